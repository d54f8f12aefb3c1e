/* test_plugin_loader.c -- loading good and broken fixture plugins: each
** broken one is refused with one clear line naming the file; the rest
** load and work. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <elf.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <lauxlib.h>
#include <lualib.h>

#include <link.h>

#include "plugin_loader.h"

static char dir[4096];

typedef struct fixture {
  lua_State *L;
  plugin_loader *pl;
} fixture;

static int setup(void **state) {
  const char *d = getenv("LECTOR_TEST_PLUGINS");
  if (!d) return -1;
  snprintf(dir, sizeof dir, "%s", d);
  fixture *f = calloc(1, sizeof *f);
  f->L = luaL_newstate();
  luaL_openlibs(f->L);
  f->pl = loader_new(f->L);
  loader_set_verbose(f->pl, 0);
  *state = f;
  return 0;
}

static int teardown(void **state) {
  fixture *f = *state;
  lua_close(f->L);
  loader_free(f->pl);
  free(f);
  return 0;
}

/* Load dir/name.so; return the recorded error (NULL when loaded). */
static const char *load(fixture *f, const char *name) {
  char path[4200];
  snprintf(path, sizeof path, "%s/%s.so", dir, name);
  loader_load_file(f->pl, path);
  const plugin_info *in = loader_info(f->pl, loader_count(f->pl) - 1);
  assert_string_equal(in->path, path);
  return in->error;
}

static int run(fixture *f, const char *code) {
  return luaL_dostring(f->L, code);
}

static void test_good_plugin_loads(void **state) {
  fixture *f = *state;
  assert_null(load(f, "good"));
  loader_ready(f->pl);
  const plugin_info *in = loader_info(f->pl, 0);
  assert_string_equal(in->name, "good");
  assert_string_equal(in->version, "0.1");
  assert_int_equal(run(f, "assert(require('lector.good').twice(21) == 42)"),
                   LUA_OK);
}

static void test_broken_plugins_are_refused(void **state) {
  fixture *f = *state;
  const char *e;
  assert_non_null(e = load(f, "not_elf"));
  assert_non_null(strstr(e, "not a shared object for this machine (no ELF "
                            "header)"));
  assert_non_null(e = load(f, "no_entry"));
  assert_non_null(strstr(e, "no lector_plugin_v1 symbol"));
  /* found in its symbol table: never dlopen'ed, its constructor never ran */
  assert_null(getenv("LECTOR_TESTPLUG_CTOR_RAN"));
  assert_non_null(e = load(f, "wrong_abi"));
  assert_non_null(strstr(e, "built for plugin ABI 1.99, this lector has ABI 1.7"));
  assert_non_null(e = load(f, "wrong_lua"));
  assert_non_null(strstr(e, "built for Lua 503, this lector embeds Lua 504"));
  assert_non_null(e = load(f, "own_lua"));
  assert_non_null(strstr(e, "own copy of Lua"));
  assert_non_null(e = load(f, "fail_open"));
  assert_non_null(strstr(e, "open() failed: the database file "
                            "/nonexistent.db is missing"));
  /* its module was withdrawn */
  assert_int_not_equal(run(f, "require 'lector.fail_open'"), LUA_OK);
  lua_pop(f->L, 1);
  /* and nothing stops a good plugin after them */
  assert_null(load(f, "good"));
  assert_non_null(e = load(f, "good_dup"));
  assert_non_null(strstr(e, "a plugin named 'good' is already loaded from"));
  assert_int_equal(loader_count(f->pl), 8);
}


/* Lua code that must fail with a clean "module ... not found". */
static void assert_not_found(fixture *f, const char *mod) {
  char code[256];
  snprintf(code, sizeof code,
           "assert(package.preload['%s'] == nil and "
           "package.loaded['%s'] == nil) require '%s'", mod, mod, mod);
  assert_int_not_equal(run(f, code), LUA_OK);
  const char *msg = lua_tostring(f->L, -1);
  char want[128];
  snprintf(want, sizeof want, "module '%s' not found", mod);
  if (!strstr(msg, want)) fail_msg("require %s: %s", mod, msg);
  lua_pop(f->L, 1);
}

/* Item 3: open() fails after registering two modules (its own name and
** another): both are withdrawn before the library is unloaded. */
static void test_failed_open_withdraws_all(void **state) {
  fixture *f = *state;
  const char *e = load(f, "fail_other");
  assert_non_null(e);
  assert_non_null(strstr(e, "open() failed: failing after registering"));
  assert_not_found(f, "lector.fail_other");
  assert_not_found(f, "lector.fail_other_extra");
  assert_null(load(f, "good"));
}

/* Item 19: open() or ready() raising a Lua error skips that plugin only,
** with its file named, and withdraws what it registered. */
static void test_raising_plugins_are_skipped(void **state) {
  fixture *f = *state;
  const char *e = load(f, "raise_open");
  assert_non_null(e);
  assert_non_null(strstr(e, "open() raised an error: open raised on purpose"));
  assert_not_found(f, "lector.raise_open");
  assert_not_found(f, "lector.raise_open_extra");
  assert_null(load(f, "raise_ready"));
  assert_null(load(f, "good"));
  loader_ready(f->pl);
  const plugin_info *in = loader_info(f->pl, 1);
  assert_non_null(in->error);
  assert_non_null(strstr(in->error, "ready() raised an error: ready raised "
                                    "on purpose"));
  assert_not_found(f, "lector.raise_ready");
  assert_null(loader_info(f->pl, 2)->error);
  assert_int_equal(run(f, "assert(require('lector.good').twice(2) == 4)"),
                   LUA_OK);
  assert_int_equal(lua_gettop(f->L), 0);
}

static char tmpd[256];

static void copy_file(const char *from, const char *to, long keep) {
  FILE *in = fopen(from, "rb"), *out = fopen(to, "wb");
  assert_non_null(in);
  assert_non_null(out);
  char buf[4096];
  size_t n;
  long total = 0;
  while ((n = fread(buf, 1, sizeof buf, in)) > 0) {
    if (keep >= 0 && total + (long)n > keep) n = (size_t)(keep - total);
    fwrite(buf, 1, n, out);
    total += (long)n;
    if (keep >= 0 && total >= keep) break;
  }
  fclose(in);
  assert_int_equal(fclose(out), 0);
}

/* Overwrite bytes at off in path. */
static void patch(const char *path, long off, const void *b, size_t n) {
  FILE *fp = fopen(path, "r+b");
  assert_non_null(fp);
  fseek(fp, off, SEEK_SET);
  fwrite(b, 1, n, fp);
  assert_int_equal(fclose(fp), 0);
}

static const char *load_tmp(fixture *f, const char *name) {
  char path[512];
  snprintf(path, sizeof path, "%s/%s", tmpd, name);
  loader_load_file(f->pl, path);
  return loader_info(f->pl, loader_count(f->pl) - 1)->error;
}

static void expect(const char *e, const char *want) {
  if (!e || !strstr(e, want)) fail_msg("wanted '%s', got '%s'", want, e);
}

/* Item 4 and 8: files that are not complete shared objects of this machine
** are refused before dlopen (which would SIGBUS or block on them). */
static void test_bad_files_refused_before_dlopen(void **state) {
  fixture *f = *state;
  char good[4200], path[512];
  snprintf(good, sizeof good, "%s/good.so", dir);
  snprintf(tmpd, sizeof tmpd, "/tmp/lector_tpl_XXXXXX");
  assert_non_null(mkdtemp(tmpd));
  struct stat st;
  assert_int_equal(stat(good, &st), 0);
  ElfW(Ehdr) h;
  FILE *g = fopen(good, "rb");
  assert_int_equal(fread(&h, sizeof h, 1, g), 1);
  long seg_end = 0;                   /* where the last segment ends */
  for (int i = 0; i < h.e_phnum; i++) {
    ElfW(Phdr) ph;
    fseek(g, (long)(h.e_phoff + (unsigned)i * sizeof ph), SEEK_SET);
    assert_int_equal(fread(&ph, sizeof ph, 1, g), 1);
    if ((long)(ph.p_offset + ph.p_filesz) > seg_end)
      seg_end = (long)(ph.p_offset + ph.p_filesz);
  }
  fclose(g);
#define MAKE(name, keep) (snprintf(path, sizeof path, "%s/%s", tmpd, name), \
                          copy_file(good, path, keep))
  MAKE("half.so", seg_end - 1);
  ElfW(Half) zero = 0;                /* no sections: the segments tell */
  patch(path, offsetof(ElfW(Ehdr), e_shnum), &zero, sizeof zero);
  expect(load_tmp(f, "half.so"), "truncated: a segment lies past the end");
  MAKE("header.so", (long)sizeof h);
  expect(load_tmp(f, "header.so"), "truncated: the program headers");
  MAKE("tiny.so", 10);
  expect(load_tmp(f, "tiny.so"), "shorter than an ELF header");
  MAKE("empty.so", 0);
  expect(load_tmp(f, "empty.so"), "(no ELF header)");
  MAKE("class.so", -1);
  unsigned char c32 = ELFCLASS32;
  patch(path, EI_CLASS, &c32, 1);
  expect(load_tmp(f, "class.so"), "wrong ELF class");
  MAKE("machine.so", -1);
  ElfW(Half) m = h.e_machine == EM_AARCH64 ? EM_X86_64 : EM_AARCH64;
  patch(path, offsetof(ElfW(Ehdr), e_machine), &m, sizeof m);
  expect(load_tmp(f, "machine.so"), "built for another machine");
  MAKE("sections.so", (long)(h.e_shoff + 1));
  expect(load_tmp(f, "sections.so"), "truncated: the section headers");
  snprintf(path, sizeof path, "%s/fifo.so", tmpd);
  assert_int_equal(mkfifo(path, 0600), 0);
  expect(load_tmp(f, "fifo.so"), "not a regular file");
  MAKE("open.so", -1);
  chmod(path, 0666);
  expect(load_tmp(f, "open.so"), "writable by every user");
  chmod(path, 0644);
  assert_null(load_tmp(f, "open.so"));        /* the same file, now fine */
#undef MAKE
  assert_int_equal(system("rm -rf /tmp/lector_tpl_*") , 0);
}

/* Item 20: in a folder writable by everyone, a .so owned by another user
** is skipped (one writable only by its owner, root here, loads). */
static void test_world_writable_folder(void **state) {
  fixture *f = *state;
  char good[4200], path[512];
  snprintf(good, sizeof good, "%s/good.so", dir);
  snprintf(tmpd, sizeof tmpd, "/tmp/lector_tpw_XXXXXX");
  assert_non_null(mkdtemp(tmpd));
  chmod(tmpd, 0777);
  snprintf(path, sizeof path, "%s/a.so", tmpd);
  copy_file(good, path, -1);
  snprintf(path, sizeof path, "%s/b.so", tmpd);
  copy_file(good, path, -1);
  if (chown(path, 12345, 12345) != 0) skip();
  loader_load_dir(f->pl, tmpd);
  assert_int_equal(loader_count(f->pl), 2);
  assert_null(loader_info(f->pl, 0)->error);
  expect(loader_info(f->pl, 1)->error, "owned by another user (uid 12345)");
  assert_int_equal(system("rm -rf /tmp/lector_tpw_*"), 0);
}

/* Item 20: a relative LECTOR_PLUGIN_PATH entry is skipped. */
static void test_relative_plugin_path(void **state) {
  (void)state;
  char cwd[4096], d[] = "/tmp/lector_rel_XXXXXX";
  assert_non_null(getcwd(cwd, sizeof cwd));
  assert_non_null(mkdtemp(d));
  assert_int_equal(chdir("/tmp"), 0);
  setenv("LECTOR_PLUGIN_PATH", d + 5, 1);     /* "lector_rel_..." */
  char **dirs = loader_search_path();
  for (size_t i = 0; dirs[i]; i++) assert_string_not_equal(dirs[i], d);
  loader_free_dirs(dirs);
  unsetenv("LECTOR_PLUGIN_PATH");
  assert_int_equal(chdir(cwd), 0);
  rmdir(d);
}

static void test_missing_file(void **state) {
  fixture *f = *state;
  const char *e = load(f, "does_not_exist");
  assert_non_null(e);
  assert_non_null(strstr(e, "No such file"));
}

static void test_services_and_ready(void **state) {
  fixture *f = *state;
  assert_null(load(f, "user"));         /* before its provider: ready() */
  assert_null(load(f, "provider"));
  assert_null(load(f, "fail_ready"));
  loader_ready(f->pl);
  const plugin_info *user = loader_info(f->pl, 0);
  assert_null(user->error);
  assert_int_equal(user->nuses, 1);
  assert_string_equal(user->uses[0], "counter");
  const plugin_info *bad = loader_info(f->pl, 2);
  assert_non_null(bad->error);
  assert_non_null(strstr(bad->error, "ready() failed: no plugin provides the "
                                     "service 'no-such-service'"));
  assert_int_not_equal(run(f, "require 'lector.fail_ready'"), LUA_OK);
}

static void test_search_path(void **state) {
  (void)state;
  setenv("LECTOR_PLUGIN_PATH", "/nonexistent:/tmp::/tmp", 1);
  char **dirs = loader_search_path();
  int tmp = 0;
  for (size_t i = 0; dirs[i]; i++) {
    assert_string_not_equal(dirs[i], "/nonexistent");
    tmp += strcmp(dirs[i], "/tmp") == 0;
  }
  assert_int_equal(tmp, 1);                    /* listed once */
  loader_free_dirs(dirs);
  unsetenv("LECTOR_PLUGIN_PATH");
}

static void test_load_dir_in_order(void **state) {
  fixture *f = *state;
  loader_load_dir(f->pl, dir);
  loader_ready(f->pl);
  size_t n = loader_count(f->pl), loaded = 0;
  for (size_t i = 1; i < n; i++)
    assert_true(strcmp(loader_info(f->pl, i - 1)->path,
                       loader_info(f->pl, i)->path) < 0);
  for (size_t i = 0; i < n; i++) loaded += !loader_info(f->pl, i)->error;
  assert_int_equal(loaded, 3);                 /* good, provider, user */
}

int main(void) {
  if (!getenv("LECTOR_TEST_PLUGINS")) {
    fprintf(stderr, "LECTOR_TEST_PLUGINS is not set (run through ctest)\n");
    return 1;
  }
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown(test_good_plugin_loads, setup, teardown),
    cmocka_unit_test_setup_teardown(test_broken_plugins_are_refused, setup,
                                    teardown),
    cmocka_unit_test_setup_teardown(test_missing_file, setup, teardown),
    cmocka_unit_test_setup_teardown(test_services_and_ready, setup, teardown),
    cmocka_unit_test_setup_teardown(test_search_path, setup, teardown),
    cmocka_unit_test_setup_teardown(test_load_dir_in_order, setup, teardown),
    cmocka_unit_test_setup_teardown(test_failed_open_withdraws_all, setup,
                                    teardown),
    cmocka_unit_test_setup_teardown(test_raising_plugins_are_skipped, setup,
                                    teardown),
    cmocka_unit_test_setup_teardown(test_bad_files_refused_before_dlopen,
                                    setup, teardown),
    cmocka_unit_test_setup_teardown(test_world_writable_folder, setup,
                                    teardown),
    cmocka_unit_test_setup_teardown(test_relative_plugin_path, setup,
                                    teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
