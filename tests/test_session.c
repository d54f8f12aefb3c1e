/* test_session.c -- the session: protected calls with tracebacks,
** interruption from another thread, timeouts, the memory limit. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <pthread.h>
#include <string.h>
#include <unistd.h>

#include <lauxlib.h>

#include "mem.h"
#include "session.h"

static int call(session *s, const char *code) {
  lua_State *L = session_lua(s);
  if (luaL_loadstring(L, code) != LUA_OK) return -1;
  return session_pcall(s, 0, 0);
}

static void test_error_has_traceback(void **state) {
  (void)state;
  session *s;
  char *err = NULL;
  session_opts o = {.no_plugins = 1};
  assert_int_equal(session_open(&o, &s, &err), 0);
  assert_int_equal(call(s, "local function f() error('deep') end f()"),
                   LUA_ERRRUN);
  const char *msg = lua_tostring(session_lua(s), -1);
  assert_non_null(strstr(msg, "deep"));
  assert_non_null(strstr(msg, "stack traceback:"));
  assert_non_null(strstr(msg, "in local 'f'"));
  lua_pop(session_lua(s), 1);
  assert_int_equal(call(s, "assert(lector and lector.load and lector.plugins)"),
                   LUA_OK);
  session_close(s);
}

static void *interrupt_later(void *arg) {
  (void)arg;
  usleep(200 * 1000);
  session_interrupt();
  return NULL;
}

static void test_interrupt_from_another_thread(void **state) {
  (void)state;
  session *s;
  char *err = NULL;
  session_opts o = {.no_plugins = 1};
  assert_int_equal(session_open(&o, &s, &err), 0);
  pthread_t th;
  pthread_create(&th, NULL, interrupt_later, NULL);
  assert_int_equal(call(s, "while true do end"), LUA_ERRRUN);
  pthread_join(th, NULL);
  assert_non_null(strstr(lua_tostring(session_lua(s), -1), "interrupted"));
  lua_pop(session_lua(s), 1);
  /* the state is kept and usable */
  assert_int_equal(call(s, "x = 1"), LUA_OK);
  assert_int_equal(session_interrupted(), 0);
  session_close(s);
}

/* Issue 12 item 21: the interruption is sticky: a script that pcall's
** the work cannot swallow it and run on. */
static void test_interrupt_through_pcall(void **state) {
  (void)state;
  session *s;
  char *err = NULL;
  session_opts o = {.no_plugins = 1};
  assert_int_equal(session_open(&o, &s, &err), 0);
  pthread_t th;
  pthread_create(&th, NULL, interrupt_later, NULL);
  int rc = call(s, "caught = 0 for i = 1, 4000 do "
                   "if not pcall(function() for j = 1, 1e5 do end end) then "
                   "caught = caught + 1 end end");
  pthread_join(th, NULL);
  assert_int_equal(rc, LUA_ERRRUN);
  assert_non_null(strstr(lua_tostring(session_lua(s), -1), "interrupted"));
  lua_pop(session_lua(s), 1);
  assert_int_equal(session_interrupted(), 1);     /* main exits 130 */
  assert_int_equal(call(s, "assert(caught <= 1)"), LUA_OK);
  session_close(s);
}

static void test_timeout(void **state) {
  (void)state;
  session *s;
  char *err = NULL;
  session_opts o = {.no_plugins = 1, .timeout = 0.2};
  assert_int_equal(session_open(&o, &s, &err), 0);
  assert_int_equal(call(s, "while true do end"), LUA_ERRRUN);
  assert_non_null(strstr(lua_tostring(session_lua(s), -1), "timeout"));
  lua_pop(session_lua(s), 1);
  assert_int_equal(call(s, "y = 2"), LUA_OK);     /* a new deadline */
  session_close(s);
}

static void test_memory_limit(void **state) {
  (void)state;
  session *s;
  char *err = NULL;
  session_opts o = {.no_plugins = 1, .memory_limit = 32 << 20};
  assert_int_equal(session_open(&o, &s, &err), 0);
  assert_int_equal(call(s, "local t = {} for i = 1, 1e8 do t[i] = i end"),
                   LUA_ERRMEM);
  lua_pop(session_lua(s), 1);
  assert_int_equal(call(s, "z = {1, 2, 3}"), LUA_OK);
  session_close(s);
  mem_set_limit(0);
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_error_has_traceback),
    cmocka_unit_test(test_interrupt_from_another_thread),
    cmocka_unit_test(test_interrupt_through_pcall),
    cmocka_unit_test(test_timeout),
    cmocka_unit_test(test_memory_limit),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
