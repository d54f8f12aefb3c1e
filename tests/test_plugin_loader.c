/* test_plugin_loader.c -- loading good and broken fixture plugins: each
** broken one is refused with one clear line naming the file; the rest
** load and work. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lauxlib.h>
#include <lualib.h>

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
  assert_non_null(strstr(e, "cannot load"));
  assert_non_null(e = load(f, "no_entry"));
  assert_non_null(strstr(e, "no lector_plugin_v1 symbol"));
  assert_non_null(e = load(f, "wrong_abi"));
  assert_non_null(strstr(e, "built for plugin ABI 1.99, this lector has ABI 1.3"));
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
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
