/*
** plugin_loader.c -- find, check, open and close plugins; keep the
** registry of the Lua modules and C services they provide.
*/
#include "plugin_loader.h"

#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <link.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <lauxlib.h>

#include "host.h"
#include "util.h"

#define MODULE_PREFIX "lector."

typedef struct service {
  char *name;
  int version;
  const void *api;
  lector_ctx *owner;
} service;

struct lector_ctx {
  plugin_loader *pl;
  plugin_info info;          /* strings owned: see ctx_free */
  void *handle;              /* NULL once failed */
  const lector_plugin *desc;
  int readied;
  char **modules;            /* every module it registered ("lector.x") */
  size_t nmodules;
  int keep_mapped;           /* a module could not be withdrawn: never
                                dlclose (its code may still be reached) */
};

struct plugin_loader {
  lua_State *L;
  lector_ctx **ctxs;         /* every plugin tried, in order */
  size_t nctx;
  service *services;
  size_t nservices;
  int verbose;
};

/* --- the registry -------------------------------------------------------- */

plugin_loader *loader_new(lua_State *L) {
  plugin_loader *pl = calloc(1, sizeof *pl);
  if (pl) {
    pl->L = L;
    pl->verbose = 1;
  }
  return pl;
}

void loader_set_verbose(plugin_loader *pl, int on) { pl->verbose = on; }
size_t loader_count(const plugin_loader *pl) { return pl->nctx; }

const plugin_info *loader_info(const plugin_loader *pl, size_t i) {
  return i < pl->nctx ? &pl->ctxs[i]->info : NULL;
}

const char *loader_ctx_name(const lector_ctx *ctx) {
  return ctx->info.name ? ctx->info.name : ctx->info.path;
}

lua_State *loader_lua(lector_ctx *ctx) { return ctx->pl->L; }

static lector_ctx *loader_find(const plugin_loader *pl, const char *name) {
  for (size_t i = 0; i < pl->nctx; i++) {
    lector_ctx *c = pl->ctxs[i];
    if (c->handle && c->info.name && strcmp(c->info.name, name) == 0)
      return c;
  }
  return NULL;
}

static int name_is_valid(const char *name) {
  if (!name || !*name || strlen(name) > 64) return 0;
  for (const char *p = name; *p; p++)
    if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_'))
      return 0;
  return 1;
}

/* package.preload, pushed. [-0, +1, e] */
static void push_preload(lua_State *L) {
  luaL_getsubtable(L, LUA_REGISTRYINDEX, LUA_PRELOAD_TABLE);
}

int loader_register_module(lector_ctx *ctx, const char *name,
                           lua_CFunction openf, char **err) {
  lua_State *L = ctx->pl->L;
  if (!name_is_valid(name) || !openf) {
    *err = host_errorf("register_module: invalid module name '%s'",
                       name ? name : "(null)");
    return LECTOR_ERR;
  }
  push_preload(L);
  lua_pushfstring(L, MODULE_PREFIX "%s", name);
  if (lua_rawget(L, -2) != LUA_TNIL) {
    lua_pop(L, 2);
    *err = host_errorf("register_module: module 'lector.%s' is already "
                       "registered", name);
    return LECTOR_ERR;
  }
  lua_pop(L, 1);
  char **grown = realloc(ctx->modules, (ctx->nmodules + 1) * sizeof *grown);
  if (grown) ctx->modules = grown;
  char *full = grown ? util_errorf(MODULE_PREFIX "%s", name) : NULL;
  if (!full) {
    lua_pop(L, 1);
    *err = host_errorf("register_module: out of memory");
    return LECTOR_ENOMEM;
  }
  ctx->modules[ctx->nmodules++] = full;  /* first, so withdraw finds it */
  lua_pushstring(L, full);
  lua_pushcfunction(L, openf);
  lua_rawset(L, -3);
  lua_pop(L, 1);
  return LECTOR_OK;
}

int loader_provide(lector_ctx *ctx, const char *name, int version,
                   const void *api, char **err) {
  plugin_loader *pl = ctx->pl;
  if (!name || !*name || !api || version < 1) {
    *err = host_errorf("provide: a service needs a name, a version >= 1 "
                       "and a table");
    return LECTOR_ERR;
  }
  for (size_t i = 0; i < pl->nservices; i++)
    if (strcmp(pl->services[i].name, name) == 0) {
      *err = host_errorf("provide: service '%s' is already provided by "
                         "plugin '%s'", name,
                         loader_ctx_name(pl->services[i].owner));
      return LECTOR_ERR;
    }
  service *s = realloc(pl->services, (pl->nservices + 1) * sizeof *s);
  char *copy = strdup(name);
  if (s) pl->services = s;
  if (!s || !copy) {
    free(copy);
    *err = host_errorf("provide: out of memory");
    return LECTOR_ENOMEM;
  }
  pl->services[pl->nservices++] = (service){copy, version, api, ctx};
  return LECTOR_OK;
}

/* Record that ctx uses the service name (for `lector --plugins`). */
static void note_use(lector_ctx *ctx, const char *name) {
  plugin_info *in = &ctx->info;
  for (size_t i = 0; i < in->nuses; i++)
    if (strcmp(in->uses[i], name) == 0) return;
  char **u = realloc(in->uses, (in->nuses + 1) * sizeof *u);
  if (!u) return;
  in->uses = u;
  if ((u[in->nuses] = strdup(name)) != NULL) in->nuses++;
}

const void *loader_require(lector_ctx *ctx, const char *name, int min_version,
                           char **err) {
  const void *api = loader_service(ctx->pl, name, min_version, err);
  if (api) note_use(ctx, name);
  return api;
}

const void *loader_service(const plugin_loader *pl, const char *name,
                           int min_version, char **err) {
  for (size_t i = 0; i < pl->nservices; i++) {
    service *s = &pl->services[i];
    if (strcmp(s->name, name) != 0) continue;
    if (s->version < min_version) {
      if (err)
        *err = host_errorf("service '%s' is version %d (from plugin '%s'), "
                           "version %d or later is needed", name, s->version,
                           loader_ctx_name(s->owner), min_version);
      return NULL;
    }
    return s->api;
  }
  if (err)
    *err = host_errorf("no plugin provides the service '%s' (is its plugin "
                       "installed? see `lector --plugins`)", name ? name : "");
  return NULL;
}

/* Clear t[name] in the registry table `table`.  [-0, +0, -] (a raw
** set of nil in existing tables allocates nothing) */
static void clear_entry(lua_State *L, const char *table, const char *name) {
  if (lua_getfield(L, LUA_REGISTRYINDEX, table) == LUA_TTABLE) {
    lua_pushstring(L, name);
    lua_pushnil(L);
    lua_rawset(L, -3);
  }
  lua_pop(L, 1);
}

/* Runs protected: clear the modules of ctx (lightuserdata 1) from
** package.preload and package.loaded. */
static int withdraw_modules_k(lua_State *L) {
  lector_ctx *ctx = lua_touserdata(L, 1);
  for (size_t i = 0; i < ctx->nmodules; i++) {
    clear_entry(L, LUA_PRELOAD_TABLE, ctx->modules[i]);
    clear_entry(L, LUA_LOADED_TABLE, ctx->modules[i]);
  }
  return 0;
}

/* Withdraw whatever ctx registered (after a failed open or ready): its
** services, and every module it registered under any name, from
** package.preload and package.loaded, so that nothing can reach its code
** once it is unloaded. */
static void withdraw(lector_ctx *ctx) {
  plugin_loader *pl = ctx->pl;
  size_t j = 0;
  for (size_t i = 0; i < pl->nservices; i++) {
    if (pl->services[i].owner == ctx) free(pl->services[i].name);
    else pl->services[j++] = pl->services[i];
  }
  pl->nservices = j;
  lua_State *L = pl->L;
  if (ctx->nmodules && lua_checkstack(L, 4)) {
    lua_pushcfunction(L, withdraw_modules_k);
    lua_pushlightuserdata(L, ctx);
    if (lua_pcall(L, 1, 0, 0) != LUA_OK) {
      lua_pop(L, 1);
      ctx->keep_mapped = 1;
    }
  } else if (ctx->nmodules) ctx->keep_mapped = 1;
  for (size_t i = 0; i < ctx->nmodules; i++) free(ctx->modules[i]);
  free(ctx->modules);
  ctx->modules = NULL;
  ctx->nmodules = 0;
}

/* --- checking a file before dlopen -------------------------------------- */

/* dlopen maps the file and runs its ELF constructors: a file that is cut
** short SIGBUSes inside it, a FIFO blocks it.  So a candidate is opened
** without blocking, must be a regular file, and must be a complete ELF
** shared object of this machine (the class, byte order and machine of
** the running lector) whose program headers all lie within the file; and
** its dynamic symbol table must define the entry symbol, so that a
** library that is not a plugin is never dlopen'ed (its constructors never
** run).  All reads are pread(2) with bounds checks; nothing is mapped. */

typedef struct elf_file {
  int fd;
  uint64_t size;
} elf_file;

/* Read n bytes at off; 0, or -1 when they are not all in the file. */
static int elf_read(const elf_file *f, uint64_t off, void *buf, size_t n) {
  if (off > f->size || n > f->size - off) return -1;
  return pread(f->fd, buf, n, (off_t)off) == (ssize_t)n ? 0 : -1;
}

/* The ELF header of the running program (read once). */
static const ElfW(Ehdr) *self_ehdr(void) {
  static ElfW(Ehdr) self;
  static int state;                  /* 0 unread, 1 read, -1 failed */
  if (state == 0) {
    int fd = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
    state = fd >= 0 && read(fd, &self, sizeof self) == (ssize_t)sizeof self
                ? 1 : -1;
    if (fd >= 0) close(fd);
  }
  return state == 1 ? &self : NULL;
}

/* Check the header against this machine; NULL or the reason. */
static const char *elf_check_header(const ElfW(Ehdr) *h, uint64_t size) {
  const ElfW(Ehdr) *me = self_ehdr();
  if (memcmp(h->e_ident, ELFMAG, SELFMAG) != 0) return "no ELF header";
  if (h->e_ident[EI_CLASS] != (sizeof(void *) == 8 ? ELFCLASS64 : ELFCLASS32))
    return "wrong ELF class (32/64-bit)";
  if (me && h->e_ident[EI_DATA] != me->e_ident[EI_DATA])
    return "wrong byte order";
  if (h->e_type != ET_DYN) return "not a shared library (ELF type)";
  if (me && h->e_machine != me->e_machine)
    return "built for another machine (ELF e_machine)";
  if (h->e_phnum == 0 || h->e_phentsize != sizeof(ElfW(Phdr)))
    return "bad program header table";
  if (h->e_phoff > size ||
      (uint64_t)h->e_phnum * sizeof(ElfW(Phdr)) > size - h->e_phoff)
    return "truncated: the program headers lie past the end of the file";
  if (h->e_shnum && (h->e_shentsize != sizeof(ElfW(Shdr)) ||
                     h->e_shoff > size ||
                     (uint64_t)h->e_shnum * sizeof(ElfW(Shdr)) >
                         size - h->e_shoff))
    return "truncated: the section headers lie past the end of the file";
  return NULL;
}

/* Every segment's file range within the file; NULL or the reason. */
static const char *elf_check_segments(const elf_file *f, const ElfW(Ehdr) *h) {
  for (unsigned i = 0; i < h->e_phnum; i++) {
    ElfW(Phdr) ph;
    if (elf_read(f, h->e_phoff + (uint64_t)i * sizeof ph, &ph, sizeof ph))
      return "cannot read its program headers";
    if (ph.p_offset > f->size || ph.p_filesz > f->size - ph.p_offset)
      return "truncated: a segment lies past the end of the file";
  }
  return NULL;
}

/* 1 when the dynamic symbol table defines `name`, 0 when it does not, -1
** when the table cannot be read. */
static int elf_defines(const elf_file *f, const ElfW(Ehdr) *h,
                       const char *name) {
  size_t want = strlen(name) + 1;
  char buf[64];
  if (want > sizeof buf) return -1;
  for (unsigned i = 0; i < h->e_shnum; i++) {
    ElfW(Shdr) sh, str;
    if (elf_read(f, h->e_shoff + (uint64_t)i * sizeof sh, &sh, sizeof sh))
      return -1;
    if (sh.sh_type != SHT_DYNSYM) continue;
    if (sh.sh_entsize != sizeof(ElfW(Sym)) || sh.sh_link >= h->e_shnum ||
        elf_read(f, h->e_shoff + (uint64_t)sh.sh_link * sizeof str, &str,
                 sizeof str))
      return -1;
    for (uint64_t k = 0; k < sh.sh_size / sizeof(ElfW(Sym)); k++) {
      ElfW(Sym) sym;
      if (elf_read(f, sh.sh_offset + k * sizeof sym, &sym, sizeof sym))
        return -1;
      if (sym.st_shndx == SHN_UNDEF || sym.st_name >= str.sh_size ||
          str.sh_size - sym.st_name < want ||
          elf_read(f, str.sh_offset + sym.st_name, buf, want) != 0)
        continue;
      if (memcmp(buf, name, want) == 0) return 1;
    }
    return 0;
  }
  return -1;                         /* no section table: let dlsym tell */
}

/* Whether path may be dlopen'ed; NULL if so, else the reason (malloc'd).
** `shared` is set when its folder is writable by every user. */
static char *check_file(const char *path, int shared) {
  char *why = NULL;
  elf_file f = {open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY), 0};
  struct stat st;
  if (f.fd < 0) return util_errorf("cannot open: %s", strerror(errno));
  if (fstat(f.fd, &st) != 0) {
    why = util_errorf("cannot stat: %s", strerror(errno));
    goto done;
  }
  if (!S_ISREG(st.st_mode)) {
    why = util_errorf("not a regular file; skipped");
    goto done;
  }
  if (st.st_mode & S_IWOTH) {
    why = util_errorf("writable by every user (mode %03o): anyone could put "
                      "code in it; skipped (chmod o-w it to load it)",
                      (unsigned)(st.st_mode & 0777));
    goto done;
  }
  if (shared && st.st_uid != geteuid() && st.st_uid != 0) {
    why = util_errorf("in a folder writable by every user and owned by "
                      "another user (uid %u); skipped", (unsigned)st.st_uid);
    goto done;
  }
  f.size = (uint64_t)st.st_size;
  ElfW(Ehdr) h;
  unsigned char magic[SELFMAG];
  const char *bad = elf_read(&f, 0, magic, SELFMAG) ||
                            memcmp(magic, ELFMAG, SELFMAG) != 0
                        ? "no ELF header"
                    : elf_read(&f, 0, &h, sizeof h) ? "shorter than an ELF header"
                    : elf_check_header(&h, f.size);
  if (!bad) bad = elf_check_segments(&f, &h);
  if (bad) {
    why = util_errorf("not a shared object for this machine (%s)", bad);
    goto done;
  }
  if (elf_defines(&f, &h, LECTOR_ENTRY) == 0)
    why = util_errorf("no %s symbol: not a Lector plugin, or one built for "
                      "another ABI major (this lector has ABI %d.%d); not "
                      "loaded", LECTOR_ENTRY, LECTOR_ABI_MAJOR,
                      LECTOR_ABI_MINOR);
done:
  close(f.fd);
  return why;
}

/* --- loading ------------------------------------------------------------- */

/* Mark ctx failed with a message (takes msg) and print it. */
static int fail(lector_ctx *ctx, char *msg) {
  ctx->info.error = msg ? msg : strdup("out of memory");
  if (ctx->pl->verbose)
    fprintf(stderr, "lector: plugin %s: %s\n", ctx->info.path,
            UTIL_MSG(ctx->info.error));
  if (ctx->handle) {
    if (!ctx->keep_mapped) dlclose(ctx->handle);
    ctx->handle = NULL;
  }
  ctx->desc = NULL;
  return -1;
}

/* Checks on the descriptor; NULL if it is fine, else the reason. */
static char *check_desc(plugin_loader *pl, const lector_plugin *d) {
  if (!d) return util_errorf("%s() returned NULL", LECTOR_ENTRY);
  if (d->struct_size < sizeof(lector_plugin))
    return util_errorf("descriptor is %zu bytes, expected %zu (built for an "
                       "older ABI?)", d->struct_size, sizeof(lector_plugin));
  if (d->abi_major != LECTOR_ABI_MAJOR || d->abi_minor > LECTOR_ABI_MINOR)
    return util_errorf("built for plugin ABI %d.%d, this lector has ABI "
                       "%d.%d", d->abi_major, d->abi_minor, LECTOR_ABI_MAJOR,
                       LECTOR_ABI_MINOR);
  if (d->lua_version_num != LUA_VERSION_NUM)
    return util_errorf("built for Lua %d, this lector embeds Lua %d",
                       d->lua_version_num, LUA_VERSION_NUM);
  if (d->lua_numsizes != LUAL_NUMSIZES)
    return util_errorf("built with Lua number sizes %zu, this lector uses "
                       "%zu", d->lua_numsizes, (size_t)LUAL_NUMSIZES);
  if (!name_is_valid(d->name))
    return util_errorf("invalid plugin name '%s' (use a-z, 0-9, _)",
                       d->name ? d->name : "(null)");
  if (!d->version || !d->summary || !d->open)
    return util_errorf("descriptor lacks a version, summary or open()");
  lector_ctx *other = loader_find(pl, d->name);
  if (other)
    return util_errorf("a plugin named '%s' is already loaded from %s",
                       d->name, other->info.path);
  return NULL;
}

/* Check the file, dlopen it (its ELF constructors run here) and check
** its descriptor, up to (not including) running open(). */
static int load_checked(lector_ctx *ctx, int shared) {
  char *why = check_file(ctx->info.path, shared);
  if (why) return fail(ctx, why);
  ctx->handle = dlopen(ctx->info.path, RTLD_NOW | RTLD_LOCAL);
  if (!ctx->handle) {
    const char *e = dlerror();
    return fail(ctx, util_errorf("cannot load: %s", e ? e : "dlopen failed"));
  }
  void *own_lua = dlsym(ctx->handle, "lua_newstate");
  if (own_lua && own_lua != (void *)lua_newstate)
    return fail(ctx, util_errorf("carries its own copy of Lua (lua_newstate "
                                 "is not the host's); build it without "
                                 "linking liblua"));
  void *sym = dlsym(ctx->handle, LECTOR_ENTRY);
  if (!sym)
    return fail(ctx, util_errorf("no %s symbol: not a Lector plugin, or one "
                                 "built for another ABI major (this lector "
                                 "has ABI %d.%d)", LECTOR_ENTRY,
                                 LECTOR_ABI_MAJOR, LECTOR_ABI_MINOR));
  lector_entry_fn entry;
  memcpy(&entry, &sym, sizeof entry);  /* object -> function pointer */
  const lector_plugin *d = entry();
  why = check_desc(ctx->pl, d);
  if (why) return fail(ctx, why);
  ctx->desc = d;
  return 0;
}

/* Copy the descriptor's strings so they outlive a failed plugin. */
static int adopt_names(lector_ctx *ctx) {
  const lector_plugin *d = ctx->desc;
  ctx->info.name = strdup(d->name);
  ctx->info.version = strdup(d->version);
  ctx->info.summary = strdup(d->summary);
  return ctx->info.name && ctx->info.version && ctx->info.summary ? 0 : -1;
}

/* What a protected open() or ready() call returned. */
typedef struct plugin_call {
  lector_ctx *ctx;
  int ready;           /* 0: open(), 1: ready() */
  int rc;
  char *err;           /* from the plugin (host->free) */
} plugin_call;

/* Runs protected: call open() or ready() as plugin_call (lightuserdata 1)
** says, so that a Lua error raised inside it (a memory error, a
** luaL_error on loader_lua's state) is caught like a failure. */
static int plugin_call_k(lua_State *L) {
  plugin_call *c = lua_touserdata(L, 1);
  const lector_plugin *d = c->ctx->desc;
  c->rc = c->ready ? d->ready(c->ctx, &c->err)
                   : d->open(c->ctx, host_table(), &c->err);
  return 0;
}

/* Call open() (ready = 0) or ready() protected; NULL when it succeeded,
** else the reason (malloc'd, "open() failed: ..."). */
static char *call_plugin(lector_ctx *ctx, int ready, int *ok) {
  lua_State *L = ctx->pl->L;
  const char *what = ready ? "ready()" : "open()";
  plugin_call c = {ctx, ready, LECTOR_ERR, NULL};
  int top = lua_gettop(L);
  char *msg = NULL;
  *ok = 0;
  if (!lua_checkstack(L, 4))
    return util_errorf("%s not run: the Lua stack is full", what);
  lua_pushcfunction(L, plugin_call_k);
  lua_pushlightuserdata(L, &c);
  int status = lua_pcall(L, 1, 0, 0);
  if (status != LUA_OK) {
    const char *e = lua_tostring(L, -1);
    msg = util_errorf("%s raised an error: %s", what,
                      e ? e : "(error object is not a string)");
  } else if (c.rc == LECTOR_OK) *ok = 1;
  else msg = util_errorf("%s failed: %s", what,
                         c.err ? c.err : "(no message given)");
  host_error_free(c.err);
  lua_settop(L, top);
  return msg;
}

static int run_open(lector_ctx *ctx) {
  int ok;
  char *msg = call_plugin(ctx, 0, &ok);
  if (ok) return 0;
  withdraw(ctx);
  return fail(ctx, msg);
}

/* Load path; shared: its folder is writable by every user. */
static int load_file(plugin_loader *pl, const char *path, int shared) {
  lector_ctx *ctx = calloc(1, sizeof *ctx);
  lector_ctx **all = ctx ? realloc(pl->ctxs, (pl->nctx + 1) * sizeof *all)
                         : NULL;
  if (!all || !(ctx->info.path = strdup(path))) {
    free(ctx);
    fprintf(stderr, "lector: plugin %s: out of memory\n", path);
    return -1;
  }
  pl->ctxs = all;
  pl->ctxs[pl->nctx++] = ctx;
  ctx->pl = pl;
  if (load_checked(ctx, shared) != 0) return -1;
  if (adopt_names(ctx) != 0) return fail(ctx, NULL);
  return run_open(ctx);
}

int loader_load_file(plugin_loader *pl, const char *path) {
  return load_file(pl, path, 0);
}

void loader_ready(plugin_loader *pl) {
  for (size_t i = 0; i < pl->nctx; i++) {
    lector_ctx *ctx = pl->ctxs[i];
    if (!ctx->handle || ctx->readied) continue;
    ctx->readied = 1;
    if (!ctx->desc->ready) continue;
    int ok;
    char *msg = call_plugin(ctx, 1, &ok);
    if (ok) continue;
    if (ctx->desc->close) ctx->desc->close(ctx);
    withdraw(ctx);
    fail(ctx, msg);
  }
}

static int is_plugin_file(const char *name) {
  size_t n = strlen(name);
  return name[0] != '.' && n > 3 && strcmp(name + n - 3, ".so") == 0;
}

static int cmp_str(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

void loader_load_dir(plugin_loader *pl, const char *dir) {
  struct stat st;
  int shared = stat(dir, &st) == 0 && (st.st_mode & S_IWOTH);
  if (shared && pl->verbose)
    fprintf(stderr, "lector: warning: the plugin folder %s is writable by "
            "every user; only the .so files in it owned by you or root are "
            "loaded\n", dir);
  DIR *d = opendir(dir);
  if (!d) return;
  char **names = NULL;
  size_t n = 0, cap = 0;
  struct dirent *e;
  while ((e = readdir(d)) != NULL) {
    if (!is_plugin_file(e->d_name)) continue;
    if (n == cap) {
      cap = cap ? cap * 2 : 16;
      char **grown = realloc(names, cap * sizeof *names);
      if (!grown) break;
      names = grown;
    }
    if ((names[n] = strdup(e->d_name)) != NULL) n++;
  }
  closedir(d);
  if (n) qsort(names, n, sizeof *names, cmp_str);
  for (size_t i = 0; i < n; i++) {
    char *path = util_errorf("%s/%s", dir, names[i]);
    if (path) load_file(pl, path, shared);
    free(path);
    free(names[i]);
  }
  free(names);
}

void loader_push_module(plugin_loader *pl, lua_State *L, const char *name) {
  if (!loader_find(pl, name)) {
    luaL_Buffer b;
    luaL_buffinit(L, &b);
    for (size_t i = 0; i < pl->nctx; i++)
      if (pl->ctxs[i]->handle) {
        if (luaL_bufflen(&b)) luaL_addstring(&b, ", ");
        luaL_addstring(&b, pl->ctxs[i]->info.name);
      }
    luaL_pushresult(&b);
    luaL_error(L, "no plugin named '%s' is loaded (loaded: %s)", name,
               lua_tostring(L, -1)[0] ? lua_tostring(L, -1) : "none");
  }
  lua_getglobal(L, "require");
  lua_pushfstring(L, MODULE_PREFIX "%s", name);
  lua_call(L, 1, 1);
}

/* --- the search path ----------------------------------------------------- */

/* Add dir unless missing or already listed (by real path). */
static void add_dir(char ***dirs, size_t *n, const char *dir) {
  char real[PATH_MAX];
  struct stat st;
  if (!dir || !*dir || !realpath(dir, real) || stat(real, &st) != 0 ||
      !S_ISDIR(st.st_mode))
    return;
  for (size_t i = 0; i < *n; i++)
    if (strcmp((*dirs)[i], real) == 0) return;
  char **grown = realloc(*dirs, (*n + 2) * sizeof **dirs);
  if (!grown) return;
  *dirs = grown;
  if ((grown[*n] = strdup(real)) != NULL) (*n)++;
  grown[*n] = NULL;
}

char **loader_search_path(void) {
  char **dirs = calloc(1, sizeof *dirs);
  size_t n = 0;
  if (!dirs) return NULL;
  char exe[PATH_MAX];
  ssize_t len = readlink("/proc/self/exe", exe, sizeof exe - 1);
  if (len > 0) {
    exe[len] = '\0';
    char *slash = strrchr(exe, '/');
    if (slash) *slash = '\0';
    char buf[PATH_MAX + 32];
    snprintf(buf, sizeof buf, "%s/plugins", exe);           /* build tree */
    add_dir(&dirs, &n, buf);
    snprintf(buf, sizeof buf, "%s/../lib/lector/plugins", exe);
    add_dir(&dirs, &n, buf);                                 /* relocated */
  }
#ifdef LECTOR_PLUGIN_INSTALL_DIR
  add_dir(&dirs, &n, LECTOR_PLUGIN_INSTALL_DIR);
#endif
  const char *env = getenv("LECTOR_PLUGIN_PATH");
  if (env) {
    char *copy = strdup(env), *save = NULL;
    static int warned;               /* the search path is built more than once */
    for (char *tok = copy ? strtok_r(copy, ":", &save) : NULL; tok;
         tok = strtok_r(NULL, ":", &save)) {
      if (tok[0] == '/') add_dir(&dirs, &n, tok);
      else if (!warned)           /* it would depend on the current folder */
        fprintf(stderr, "lector: warning: LECTOR_PLUGIN_PATH entry '%s' is "
                "not an absolute path; skipped\n", tok);
    }
    warned = 1;
    free(copy);
  }
  return dirs;
}

void loader_free_dirs(char **dirs) {
  for (size_t i = 0; dirs && dirs[i]; i++) free(dirs[i]);
  free(dirs);
}

/* --- unloading ----------------------------------------------------------- */

static void ctx_free(lector_ctx *ctx) {
  free((char *)ctx->info.name);
  free((char *)ctx->info.version);
  free((char *)ctx->info.summary);
  free((char *)ctx->info.path);
  free((char *)ctx->info.error);
  for (size_t i = 0; i < ctx->info.nuses; i++) free(ctx->info.uses[i]);
  free(ctx->info.uses);
  for (size_t i = 0; i < ctx->nmodules; i++) free(ctx->modules[i]);
  free(ctx->modules);
  free(ctx);
}

void loader_free(plugin_loader *pl) {
  if (!pl) return;
  for (size_t i = pl->nctx; i-- > 0;) {
    lector_ctx *ctx = pl->ctxs[i];
    if (ctx->handle && ctx->desc->close) ctx->desc->close(ctx);
  }
  for (size_t i = pl->nctx; i-- > 0;) {
    lector_ctx *ctx = pl->ctxs[i];
    /* LSan cannot symbolise frames of unloaded objects; keep them mapped
    ** when it is watching. */
    if (ctx->handle && !getenv("LECTOR_NO_DLCLOSE")) dlclose(ctx->handle);
    ctx_free(ctx);
  }
  for (size_t i = 0; i < pl->nservices; i++) free(pl->services[i].name);
  free(pl->services);
  free(pl->ctxs);
  free(pl);
}
