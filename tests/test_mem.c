/* test_mem.c -- counted allocation and the memory limit. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include <lauxlib.h>
#include <lualib.h>

#include "mem.h"

static void test_counts_and_frees(void **state) {
  (void)state;
  mem_set_limit(0);
  size_t before = mem_used();
  char *p = mem_alloc(1000);
  assert_non_null(p);
  assert_int_equal(mem_used(), before + 1000);
  p = mem_realloc(p, 5000);
  assert_non_null(p);
  memset(p, 1, 5000);
  assert_int_equal(mem_used(), before + 5000);
  p = mem_realloc(p, 10);
  assert_int_equal(mem_used(), before + 10);
  mem_free(p);
  mem_free(NULL);
  assert_int_equal(mem_used(), before);
  assert_true(mem_peak() >= before + 5000);
}

static void test_limit_refuses(void **state) {
  (void)state;
  mem_set_limit(mem_used() + 4096);
  void *a = mem_alloc(3000);
  assert_non_null(a);
  assert_null(mem_alloc(2000));          /* would pass the limit */
  assert_null(mem_realloc(a, 8000));     /* a is kept */
  mem_free(a);
  assert_non_null(a = mem_alloc(4000));
  mem_free(a);
  mem_set_limit(0);
}

static void test_lua_hits_limit(void **state) {
  (void)state;
  mem_set_limit(0);
  lua_State *L = lua_newstate(mem_lua_alloc, NULL);
  luaL_openlibs(L);
  mem_set_limit(mem_used() + (1 << 20));
  assert_int_equal(luaL_loadstring(L, "local t = {} for i = 1, 1e7 do "
                                      "t[i] = i end"), LUA_OK);
  int rc = lua_pcall(L, 0, 0, 0);
  assert_int_equal(rc, LUA_ERRMEM);
  mem_set_limit(0);
  lua_close(L);
}

static void test_parse_size(void **state) {
  (void)state;
  size_t n;
  assert_int_equal(mem_parse_size("512M", &n), 0);
  assert_int_equal(n, (size_t)512 << 20);
  assert_int_equal(mem_parse_size("2g", &n), 0);
  assert_int_equal(n, (size_t)2 << 30);
  assert_int_equal(mem_parse_size("100000", &n), 0);
  assert_int_equal(n, 100000);
  assert_int_equal(mem_parse_size("12KB", &n), 0);
  assert_int_equal(n, 12 << 10);
  assert_int_equal(mem_parse_size("", &n), -1);
  assert_int_equal(mem_parse_size("-5M", &n), -1);
  assert_int_equal(mem_parse_size("5X", &n), -1);
  assert_int_equal(mem_parse_size("99999999999999999999G", &n), -1);
}

/* Issue 12 item 24: "none" and "0" lift the limit; the default is the
** documented share of MemTotal or the cgroup's limit, whichever is less. */
static void test_default_limit(void **state) {
  (void)state;
  size_t v = 1;
  assert_int_equal(mem_parse_size("none", &v), 0);
  assert_int_equal(v, 0);
  v = 1;
  assert_int_equal(mem_parse_size("0", &v), 0);
  assert_int_equal(v, 0);
  const char *why = NULL;
  size_t def = mem_default_limit(&why);
  assert_non_null(why);
  unsigned long long kb = 0;
  char line[256];
  FILE *f = fopen("/proc/meminfo", "r");
  if (!f) skip();
  while (fgets(line, sizeof line, f))
    if (sscanf(line, "MemTotal: %llu kB", &kb) == 1) break;
  fclose(f);
  size_t share = (size_t)(kb * 1024 / 100 * MEM_DEFAULT_PERCENT);
  assert_true(def > 0);
  assert_true(def <= share);
  if (def == share) assert_non_null(strstr(why, "80% of physical memory"));
  else assert_non_null(strstr(why, "cgroup"));
  char buf[32];
  mem_format_size((size_t)3 << 30, buf, sizeof buf);
  assert_string_equal(buf, "3.0G");
  mem_format_size(100, buf, sizeof buf);
  assert_string_equal(buf, "100 bytes");
}

/* The limit counts refusals (the session names the limit after one). */
static void test_refusals_counted(void **state) {
  (void)state;
  size_t before = mem_refused();
  unsigned long n = mem_alloc_count();
  mem_set_limit(mem_used() + 100);
  assert_null(mem_alloc(1000));
  assert_int_equal(mem_refused(), before + 1);
  assert_true(mem_alloc_count() > n);
  mem_set_limit(0);
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_counts_and_frees),
    cmocka_unit_test(test_limit_refuses),
    cmocka_unit_test(test_lua_hits_limit),
    cmocka_unit_test(test_parse_size),
    cmocka_unit_test(test_default_limit),
    cmocka_unit_test(test_refusals_counted),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
