/*
** test_pretty.c -- the value pretty-printer, with exact expected output.
*/
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include <lauxlib.h>
#include <lualib.h>

#include "pretty.h"

/* Render the value `code` returns, in protected mode; malloc'd result,
** or the error message prefixed with "error: ". */
static int render_call(lua_State *L) {
  int depth = (int)lua_tointeger(L, 2);
  lua_settop(L, 1);
  pretty_push(L, 1, depth);
  return 1;
}

static char *render(const char *code, int depth) {
  lua_State *L = luaL_newstate();
  char *out;
  assert_non_null(L);
  luaL_openlibs(L);
  lua_pushcfunction(L, render_call);
  if (luaL_loadstring(L, code) != LUA_OK) fail_msg("%s", lua_tostring(L, -1));
  if (lua_pcall(L, 0, 1, 0) != LUA_OK) fail_msg("%s", lua_tostring(L, -1));
  lua_pushinteger(L, depth);
  if (lua_pcall(L, 2, 1, 0) == LUA_OK) out = strdup(lua_tostring(L, -1));
  else {
    size_t n = strlen(lua_tostring(L, -1)) + 8;
    out = malloc(n);
    snprintf(out, n, "error: %s", lua_tostring(L, -1));
  }
  assert_int_equal(lua_gettop(L), 1);   /* nothing left behind */
  lua_close(L);
  return out;
}

static void check_depth(const char *code, int depth, const char *want) {
  char *got = render(code, depth);
  if (strcmp(got, want) != 0)
    print_message("code: %s\nwant: [%s]\ngot:  [%s]\n", code, want, got);
  assert_string_equal(got, want);
  free(got);
}

static void check(const char *code, const char *want) {
  check_depth(code, 0, want);
}

static void test_scalars(void **state) {
  (void)state;
  check("return 1", "1");
  check("return -7", "-7");
  check("return 1.5", "1.5");
  check("return 3.0", "3.0");
  check("return 1/0", "inf");
  check("return true", "true");
  check("return nil", "nil");
  check("return math.maxinteger", "9223372036854775807");
}

static void test_strings(void **state) {
  (void)state;
  check("return 'plain'", "\"plain\"");
  check("return 'a\\n\"b\"\\\\'", "\"a\\n\\\"b\\\"\\\\\"");
  check("return '\\t\\r\\a\\b\\f\\v'", "\"\\t\\r\\a\\b\\f\\v\"");
  check("return '\\0' .. '1'", "\"\\0001\"");  /* 3 digits before a digit */
  check("return '\\1x\\127'", "\"\\1x\\127\"");
  check("return 'caf\\195\\169'", "\"caf\xC3\xA9\"");  /* UTF-8 stays */
  check("return '\\255\\192\\128'", "\"\\xFF\\xC0\\x80\"");  /* invalid */
  check("return '\\237\\160\\128'", "\"\\xED\\xA0\\x80\"");  /* surrogate */
  check("return ''", "\"\"");
}

static void test_long_strings(void **state) {
  char want[512];
  (void)state;
  /* inside a table, cut at 200 bytes, never inside a character */
  strcpy(want, "{\n  s = \"x");
  for (int i = 0; i < 99; i++) strcat(want, "\xC3\xA9");
  strcat(want, "\"... (301 bytes),\n}");
  check("return {s = 'x' .. string.rep('\\195\\169', 150)}", want);
  /* on its own, cut only past PRETTY_STRING_TOP */
  char *got = render("return string.rep('y', 5000)", 0);
  assert_int_equal(strlen(got), 5002);
  free(got);
  got = render("return string.rep('y', 20000)", 0);
  assert_non_null(strstr(got, "\"... (20000 bytes)"));
  free(got);
}

static void test_tables(void **state) {
  (void)state;
  check("return {}", "{}");
  check("return {1, 2, 3}", "{1, 2, 3}");
  check("return {1, nil, 3}", "{1, [3] = 3}");
  /* numbers, then strings (bytewise), then booleans; names bare */
  check("return {b = 1, a = 2, [2.5] = 3, [10] = 4, 'x', [true] = 5,"
        " ['a b'] = 6, ['end'] = 7, [-1] = 8}",
        "{\n"
        "  \"x\",\n"
        "  [-1] = 8,\n"
        "  [2.5] = 3,\n"
        "  [10] = 4,\n"
        "  a = 2,\n"
        "  [\"a b\"] = 6,\n"
        "  b = 1,\n"
        "  [\"end\"] = 7,\n"
        "  [true] = 5,\n"
        "}");
  check("return {b = 1, a = 2, [2.5] = 3, 'x'}",
        "{\"x\", [2.5] = 3, a = 2, b = 1}");
  check("return {{1, 2}, {a = {}}}", "{{1, 2}, {a = {}}}");
  check("local s = {1} return {a = s, b = s}", "{a = {1}, b = {1}}");
}

static void test_cycles(void **state) {
  char *got;
  (void)state;
  check("local t = {1, name = 'x'} t.self = t return t",
        "{1, name = \"x\", self = <cycle>}");
  check("local a, b = {}, {} a.b = b b.a = a return a",
        "{b = {a = <cycle>}}");
  got = render("local t = {} t[t] = 1 return {t}", 0);  /* a table key */
  assert_true(strncmp(got, "{{[table: 0x", 12) == 0);
  assert_non_null(strstr(got, "] = 1}}"));
  free(got);
}

static void test_depth(void **state) {
  (void)state;
  check("return {a = {b = {c = {d = {e = 1}}}}}",
        "{a = {b = {c = {d = {...}}}}}");
  check_depth("return {a = {b = {c = 1}}}", 2, "{a = {b = {...}}}");
  check_depth("return {a = {b = {}}}", 2, "{a = {b = {}}}");
  check_depth("return {1, {2}}", 1, "{1, {...}}");
}

static void test_length(void **state) {
  char *got;
  const char *p;
  int lines = 0;
  (void)state;
  check("local t = {} for i = 1, 60 do t[i] = i end return t",
        "{\n"
        "  1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19,"
        " 20,\n"
        "  21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36,"
        " 37,\n"
        "  38, 39, 40, 41, 42, 43, 44, 45, 46, 47, 48, 49, 50,\n"
        "  ... (10 more)\n"
        "}");
  check("return {1, 2, 3, x = 1}", "{1, 2, 3, x = 1}");
  /* the limit counts keys too: 50 lines of keys, then the rest */
  got = render("local t = {} for i = 1, 52 do t['k' .. i] = true end"
               " return t", 0);
  for (p = got; (p = strchr(p, '\n')) != NULL; p++) lines++;
  assert_int_equal(lines, 52);
  assert_true(strncmp(got, "{\n  k1 = true,\n  k10 = true,\n", 29) == 0);
  assert_non_null(strstr(got, "\n  ... (2 more)\n}"));
  free(got);
}

static void test_layout(void **state) {
  (void)state;
  /* too wide for one line: one key per line, nested tables indented */
  check("return {name = 'a fairly long name', list = {'alpha', 'beta'},"
        " sub = {x = 1, y = {z = 'deep enough to wrap the line here'}}}",
        "{\n"
        "  list = {\"alpha\", \"beta\"},\n"
        "  name = \"a fairly long name\",\n"
        "  sub = {x = 1, y = {z = \"deep enough to wrap the line here\"}},\n"
        "}");
  check("local t = {} for i = 1, 6 do t[i] = {i, string.rep('w', 10)} end"
        " return t",
        "{\n"
        "  {1, \"wwwwwwwwww\"}, {2, \"wwwwwwwwww\"}, {3, \"wwwwwwwwww\"},\n"
        "  {4, \"wwwwwwwwww\"}, {5, \"wwwwwwwwww\"}, {6, \"wwwwwwwwww\"},\n"
        "}");
}

static void test_metamethods(void **state) {
  (void)state;
  const char *both =
    "local mt = {__summary = function() return 'long\\nform\\n' end,"
    " __tostring = function() return 'short' end}\n";
  char code[512];
  check("return setmetatable({}, {__summary = function(v)"
        " return 'Thing\\n  size: ' .. #v .. '\\n' end})",
        "Thing\n  size: 0");
  snprintf(code, sizeof code, "%sreturn setmetatable({}, mt)", both);
  check(code, "long\nform");                       /* on its own: summary */
  snprintf(code, sizeof code, "%sreturn {setmetatable({}, mt)}", both);
  check(code, "{short}");                          /* nested: tostring */
  check("return {x = setmetatable({}, {__summary = function()"
        " return 'A\\nB' end})}",
        "{\n  x = A\n  B,\n}");
  check("return setmetatable({1}, {__tostring = function() return 'T' end})",
        "T");
  check("return setmetatable({1}, {__index = {}})", "{1}");
  check("return setmetatable({}, {__summary = function()"
        " error('bad', 0) end})", "error: bad");
  check("return setmetatable({}, {__summary = function() return 1 end})",
        "error: '__summary' must return a string");
}

static void test_other_types(void **state) {
  char *got;
  (void)state;
  got = render("return print", 0);
  assert_true(strncmp(got, "function: ", 10) == 0);
  free(got);
  got = render("return io.stdout", 0);             /* userdata, __tostring */
  assert_true(strncmp(got, "file (0x", 8) == 0);
  free(got);
  got = render("return coroutine.create(print)", 0);
  assert_true(strncmp(got, "thread: ", 8) == 0);
  free(got);
}

static void test_names(void **state) {
  (void)state;
  assert_true(pretty_is_name("abc", 3));
  assert_true(pretty_is_name("_x9", 3));
  assert_false(pretty_is_name("9x", 2));
  assert_false(pretty_is_name("", 0));
  assert_false(pretty_is_name("a b", 3));
  assert_false(pretty_is_name("end", 3));
  assert_true(pretty_is_name("ends", 4));
  assert_false(pretty_is_name("a\0b", 3));
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_scalars),
    cmocka_unit_test(test_strings),
    cmocka_unit_test(test_long_strings),
    cmocka_unit_test(test_tables),
    cmocka_unit_test(test_cycles),
    cmocka_unit_test(test_depth),
    cmocka_unit_test(test_length),
    cmocka_unit_test(test_layout),
    cmocka_unit_test(test_metamethods),
    cmocka_unit_test(test_other_types),
    cmocka_unit_test(test_names),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
