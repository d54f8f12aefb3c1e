/*
** plugin_loader.c -- find, check, open and close plugins; keep the
** registry of the Lua modules and C services they provide.
*/
#include "plugin_loader.h"

#include <dirent.h>
#include <dlfcn.h>
#include <limits.h>
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
  lua_pushfstring(L, MODULE_PREFIX "%s", name);
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
  plugin_loader *pl = ctx->pl;
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
    note_use(ctx, name);
    return s->api;
  }
  if (err)
    *err = host_errorf("no plugin provides the service '%s' (is its plugin "
                       "installed? see `lector --plugins`)", name ? name : "");
  return NULL;
}

/* Withdraw whatever ctx registered (after a failed open or ready). */
static void withdraw(lector_ctx *ctx) {
  plugin_loader *pl = ctx->pl;
  size_t j = 0;
  for (size_t i = 0; i < pl->nservices; i++) {
    if (pl->services[i].owner == ctx) free(pl->services[i].name);
    else pl->services[j++] = pl->services[i];
  }
  pl->nservices = j;
  if (!ctx->info.name) return;
  lua_State *L = pl->L;
  push_preload(L);
  lua_pushfstring(L, MODULE_PREFIX "%s", ctx->info.name);
  lua_pushnil(L);
  lua_rawset(L, -3);
  lua_pop(L, 1);
}

/* --- loading ------------------------------------------------------------- */

/* Mark ctx failed with a message (takes msg) and print it. */
static int fail(lector_ctx *ctx, char *msg) {
  ctx->info.error = msg ? msg : strdup("out of memory");
  if (ctx->pl->verbose)
    fprintf(stderr, "lector: plugin %s: %s\n", ctx->info.path,
            UTIL_MSG(ctx->info.error));
  if (ctx->handle) {
    dlclose(ctx->handle);
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

/* dlopen path and check it, up to (not including) running open(). */
static int load_checked(lector_ctx *ctx) {
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
  char *why = check_desc(ctx->pl, d);
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

static int run_open(lector_ctx *ctx) {
  char *err = NULL;
  int top = lua_gettop(ctx->pl->L);
  int rc = ctx->desc->open(ctx, host_table(), &err);
  lua_settop(ctx->pl->L, top);
  if (rc == LECTOR_OK) return 0;
  char *msg = util_errorf("open() failed: %s",
                          err ? err : "(no message given)");
  host_error_free(err);
  withdraw(ctx);
  return fail(ctx, msg);
}

int loader_load_file(plugin_loader *pl, const char *path) {
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
  if (load_checked(ctx) != 0) return -1;
  if (adopt_names(ctx) != 0) return fail(ctx, NULL);
  return run_open(ctx);
}

void loader_ready(plugin_loader *pl) {
  for (size_t i = 0; i < pl->nctx; i++) {
    lector_ctx *ctx = pl->ctxs[i];
    if (!ctx->handle || ctx->readied) continue;
    ctx->readied = 1;
    if (!ctx->desc->ready) continue;
    char *err = NULL;
    if (ctx->desc->ready(ctx, &err) == LECTOR_OK) continue;
    char *msg = util_errorf("ready() failed: %s", err ? err : "(no message)");
    host_error_free(err);
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
    if (path) loader_load_file(pl, path);
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
    for (char *tok = copy ? strtok_r(copy, ":", &save) : NULL; tok;
         tok = strtok_r(NULL, ":", &save))
      add_dir(&dirs, &n, tok);
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
