/*
** test_kit.c -- lector/kit.h without a host: the malloc env, lk_grow's
** overflow checks, errorf/raise, option checking and the guard, in a
** plain Lua state.
*/
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <lualib.h>

#include "lector/kit.h"

LK_DEFINE

/* --- env and memory ------------------------------------------------------- */

static void test_env_defaults(void **state) {
  (void)state;
  assert_null(lk_host);
  char *m = lk_errorf("bad %s at %d", "value", 7);
  assert_string_equal(m, "bad value at 7");
  lk_free(m);
  lk_free(NULL);
  assert_int_equal(lk_interrupted(), 0);
  assert_null(lk_env_cur.vocab_intern);
}

static size_t fail_after;           /* allocations left before failing */
static void *failing_alloc(size_t n) {
  if (fail_after == 0) return NULL;
  fail_after--;
  return malloc(n);
}

static void test_errorf_oom(void **state) {
  (void)state;
  lk_env saved = lk_env_cur, e = {0};
  e.alloc = failing_alloc;
  fail_after = 0;
  lk_env_set(&e);
  char *m = lk_errorf("x");
  assert_string_equal(m, "out of memory");
  lk_free(m);                       /* the static message: ignored */
  lk_env_cur = saved;
}

static void test_grow(void **state) {
  (void)state;
  size_t cap = 0;
  int *p = lk_grow(NULL, &cap, 1, sizeof *p);
  assert_non_null(p);
  assert_int_equal(cap, 8);
  assert_ptr_equal(lk_grow(p, &cap, 8, sizeof *p), p);
  int *q = lk_grow(p, &cap, 9, sizeof *p);
  assert_non_null(q);
  assert_int_equal(cap, 16);
  p = q;
  q = lk_grow(p, &cap, 1000, sizeof *p);
  assert_non_null(q);
  assert_int_equal(cap, 1024);
  p = q;
  /* doubling would pass SIZE_MAX: refused, p and cap kept */
  assert_null(lk_grow(p, &cap, SIZE_MAX / 2 + 2, 1));
  assert_int_equal(cap, 1024);
  /* the element size multiplication overflows */
  assert_null(lk_grow(p, &cap, (SIZE_MAX / 8) + 1, 16));
  assert_null(lk_grow(p, &cap, 2048, 0));
  assert_int_equal(cap, 1024);
  lk_free(p);
}

static void *failing_realloc(void *p, size_t n) {
  (void)p, (void)n;
  return NULL;
}

static void test_grow_oom_keeps(void **state) {
  (void)state;
  size_t cap = 0;
  char *p = lk_grow(NULL, &cap, 4, 1);
  assert_non_null(p);
  lk_env saved = lk_env_cur;
  lk_env_cur.realloc = failing_realloc;
  assert_null(lk_grow(p, &cap, 9, 1));
  assert_int_equal(cap, 8);
  lk_env_cur = saved;
  lk_free(p);
}

/* --- Lua: options, raise, guard ------------------------------------------ */

static const char *const known[] = {"n", "threads", "mode", "flag", "name",
                                    "share", NULL};
static const char *const extra[] = {"by", NULL};
static const char *const modes[] = {"drop", "keep", NULL};

/* f(opts): checks and reads every option, returns them. */
static int l_opts(lua_State *L) {
  lk_opt_check(L, 1, "kit.f", known, extra);
  lua_pushinteger(L, lk_opt_integer(L, 1, "kit.f", "n", 2, 1, 5));
  lua_pushinteger(L, lk_opt_threads(L, 1, "kit.f"));
  lua_pushinteger(L, lk_opt_choice(L, 1, "kit.f", "mode", modes, 0));
  lua_pushboolean(L, lk_opt_boolean(L, 1, "kit.f", "flag", 0));
  lua_pushstring(L, lk_opt_string(L, 1, "kit.f", "name", "none"));
  lua_pushnumber(L, lk_opt_number(L, 1, "kit.f", "share", 0.5, 0, 1));
  return 6;
}

/* Run `return f(...)` with chunk as the argument list; the error message
** or NULL. */
static const char *run(lua_State *L, const char *args) {
  char code[256];
  snprintf(code, sizeof code,            /* no tail call: no position */
           "local r = table.pack(f(%s)) return table.unpack(r, 1, r.n)", args);
  lua_settop(L, 0);
  if (luaL_loadstring(L, code) != LUA_OK) return lua_tostring(L, -1);
  if (lua_pcall(L, 0, LUA_MULTRET, 0) != LUA_OK) return lua_tostring(L, -1);
  return NULL;
}

/* The error of run(L, args) ends with want (luaL_error puts the caller's
** position in front). */
static void raises(lua_State *L, const char *args, const char *want) {
  const char *got = run(L, args);
  assert_non_null(got);
  size_t g = strlen(got), w = strlen(want);
  if (g < w || strcmp(got + g - w, want) != 0) fail_msg("got: %s", got);
}

static lua_State *new_state(lua_CFunction f) {
  lua_State *L = luaL_newstate();
  luaL_openlibs(L);
  lua_register(L, "f", f);
  return L;
}

static void test_options(void **state) {
  (void)state;
  lua_State *L = new_state(l_opts);
  assert_null(run(L, ""));
  assert_int_equal(lua_tointeger(L, 1), 2);
  assert_int_equal(lua_tointeger(L, 2), 0);            /* all cores */
  assert_string_equal(lua_tostring(L, 5), "none");
  assert_true(lua_tonumber(L, 6) == 0.5);
  assert_null(run(L, "{n = 5, threads = 64, mode = 'keep', flag = true, "
                     "name = 'x', share = 0.25, by = 1}"));
  assert_int_equal(lua_tointeger(L, 1), 5);
  assert_int_equal(lua_tointeger(L, 2), 64);
  assert_int_equal(lua_tointeger(L, 3), 1);
  assert_true(lua_toboolean(L, 4));
  assert_true(lua_tonumber(L, 6) == 0.25);
  assert_non_null(strstr(run(L, "{share = 0/0}"),
                         "kit.f: opts.share: expected a number from 0 to 1"));
  raises(L, "{share = 1.5}",
                      "kit.f: opts.share: expected a number from 0 to 1, got 1.5");
  raises(L, "{share = '1'}",
                      "kit.f: opts.share: expected a number from 0 to 1, got \"1\"");
  raises(L, "{thread = 2}",
                      "kit.f: unknown option 'thread' (known: n, threads, "
                      "mode, flag, name, share, by)");
  raises(L, "{[1] = 2}",
                      "kit.f: unknown option 1 (known: n, threads, mode, "
                      "flag, name, share, by)");
  raises(L, "{threads = 0.5}",
                      "kit.f: opts.threads: expected an integer, got 0.5");
  raises(L, "{threads = 65}",
                      "kit.f: opts.threads: expected 0 (all cores) to 64, got 65");
  raises(L, "{threads = -1}",
                      "kit.f: opts.threads: expected 0 (all cores) to 64, got -1");
  raises(L, "{n = '3'}",
                      "kit.f: opts.n: expected an integer, got \"3\"");
  raises(L, "{flag = 1}",
                      "kit.f: opts.flag: expected a boolean, got 1");
  raises(L, "{mode = 'lose'}",
                      "kit.f: opts.mode: expected one of drop, keep, got "
                      "\"lose\"");
  raises(L, "{name = {}}",
                      "kit.f: opts.name: expected a string, got table");
  raises(L, "7", "kit.f: options must be a table, got 7");
  assert_non_null(strstr(run(L, "{['n\\0x'] = 1}"), "unknown option"));
  assert_non_null(strstr(run(L, "{mode = 'drop\\0'}"), "expected one of"));
  lua_close(L);
}

static int released[8];
static int nreleased;
static void note_release(void *p) { released[nreleased++] = *(int *)p; }

/* f(fail): a guard holding memory and two counted resources; raises when
** fail is true, else forgets the second and returns. */
static int l_guarded(lua_State *L) {
  static int one = 1, two = 2;
  lk_guard *g = lk_guard_new(L);
  char *mem = lk_guard_alloc(L, g, 100);
  memset(mem, 0, 100);
  lk_guard_add(L, g, note_release, &one);
  lk_guard_add(L, g, note_release, &two);
  if (lua_toboolean(L, 1))
    return lk_raise(L, "kit.g", lk_errorf("failed after %d", 2));
  assert_true(lk_guard_forget(g, &two));
  assert_false(lk_guard_forget(g, &released));
  return 0;
}

static void test_guard(void **state) {
  (void)state;
  lua_State *L = new_state(l_guarded);
  nreleased = 0;
  raises(L, "true", "kit.g: failed after 2");
  assert_int_equal(nreleased, 2);           /* newest first */
  assert_int_equal(released[0], 2);
  assert_int_equal(released[1], 1);
  nreleased = 0;
  assert_null(run(L, "false"));
  assert_int_equal(nreleased, 1);           /* two was forgotten */
  assert_int_equal(released[0], 1);
  nreleased = 0;
  /* inside a coroutine that errors, and closed twice (close, then gc) */
  assert_int_equal(luaL_dostring(L, "local co = coroutine.wrap(function() "
                   "f(true) end) assert(not pcall(co)) collectgarbage() "
                   "collectgarbage()"), LUA_OK);
  assert_int_equal(nreleased, 2);
  lua_close(L);
  assert_int_equal(nreleased, 2);           /* __gc after __close: nothing */
}

/* --- classes ---------------------------------------------------------------- */

static int l_hello(lua_State *L) {
  lua_pushliteral(L, "hello");
  return 1;
}

static int l_len(lua_State *L) {
  lua_pushinteger(L, 7);
  return 1;
}

/* __index of the closure form: "size" is a field, else a method. */
static int l_index(lua_State *L) {
  if (lua_type(L, 2) == LUA_TSTRING && strcmp(lua_tostring(L, 2), "size") == 0) {
    lua_pushinteger(L, 3);
    return 1;
  }
  lua_rawget(L, lua_upvalueindex(1));
  return 1;
}

static void test_newclass(void **state) {
  (void)state;
  static const luaL_Reg meta[] = {{"__len", l_len}, {NULL, NULL}};
  static const luaL_Reg methods[] = {{"hello", l_hello}, {NULL, NULL}};
  static const char *const fields[] = {"size", NULL};
  lua_State *L = luaL_newstate();
  luaL_openlibs(L);
  lk_newclass(L, "kit.plain", meta, methods, NULL, NULL);
  lk_newclass(L, "kit.fields", NULL, methods, fields, l_index);
  assert_int_equal(lua_gettop(L), 0);
  lua_newuserdatauv(L, 1, 0);
  luaL_setmetatable(L, "kit.plain");
  lua_setglobal(L, "p");
  lua_newuserdatauv(L, 1, 0);
  luaL_setmetatable(L, "kit.fields");
  lua_setglobal(L, "f");
  assert_int_equal(luaL_dostring(L,
      "local mp, mf = getmetatable(p), getmetatable(f)\n"
      "assert(#p == 7 and p:hello() == 'hello' and mp.__name == 'kit.plain')\n"
      "assert(mp.__methods.hello and mp.__fields == nil)\n"
      "assert(f.size == 3 and f:hello() == 'hello' and f.other == nil)\n"
      "assert(mf.__methods.hello and mf.__fields[1] == 'size')"), LUA_OK);
  lua_close(L);
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_env_defaults),
    cmocka_unit_test(test_errorf_oom),
    cmocka_unit_test(test_grow),
    cmocka_unit_test(test_grow_oom_keeps),
    cmocka_unit_test(test_options),
    cmocka_unit_test(test_guard),
    cmocka_unit_test(test_newclass),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
