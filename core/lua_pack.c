/*
** lua_pack.c -- lector.pack(corpus, path [, opts]) and lector.load's
** `check` option for packs (pack.h).  lector.load is wrapped here: the
** wrapper takes `check` out of the options, loads through lcorpus_load,
** then checks the pack's source files.
*/
#include "lua_pack.h"

#include <lauxlib.h>
#include <stdlib.h>
#include <string.h>

#include "lua_corpus.h"
#include "pack.h"
#include "util.h"

/* opts at idx: only the keys in ok[] (nil: none).  [-0, +0, v] */
static void check_keys(lua_State *L, int idx, const char *fname,
                       const char *const *ok, const char *list) {
  if (lua_isnoneornil(L, idx)) return;
  luaL_checktype(L, idx, LUA_TTABLE);
  lua_pushnil(L);
  while (lua_next(L, idx)) {
    int known = 0;
    if (lua_type(L, -2) == LUA_TSTRING)
      for (int i = 0; ok[i]; i++) known |= strcmp(lua_tostring(L, -2), ok[i]) == 0;
    if (!known)
      luaL_error(L, "%s: unknown option '%s' (options: %s)", fname,
                 lua_type(L, -2) == LUA_TSTRING ? lua_tostring(L, -2)
                                                : luaL_typename(L, -2), list);
    lua_pop(L, 1);
  }
}

static int opt_true(lua_State *L, int idx, const char *k) {
  if (lua_isnoneornil(L, idx)) return 0;
  int r = lua_getfield(L, idx, k) != LUA_TNIL && lua_toboolean(L, -1);
  lua_pop(L, 1);
  return r;
}

/* Push the list s[0..n) of strings.  [-0, +1, m] */
static void push_lines(lua_State *L, char **s, size_t n) {
  lua_createtable(L, (int)n, 0);
  for (size_t i = 0; i < n; i++) {
    lua_pushstring(L, s[i]);
    lua_rawseti(L, -2, (lua_Integer)i + 1);
  }
}

/* lector.pack(corpus, path [, {quiet = bool}]) -> {docs, skipped,
** text_bytes, bytes, warnings}.  [-3, +1, e] */
static int l_pack(lua_State *L) {
  static const char *const ok[] = {"quiet", NULL};
  corpus *c = lcorpus_check(L, 1, "lector.pack");
  const char *path = luaL_checkstring(L, 2);
  check_keys(L, 3, "lector.pack", ok, "quiet");
  pack_stats st;
  char *err = NULL;
  int rc = pack_write(c, path, opt_true(L, 3, "quiet"), &st, &err);
  if (rc != 0) {
    pack_stats_free(&st);
    return lcorpus_raise(L, "lector.pack: ", err);
  }
  lua_createtable(L, 0, 5);
  lua_pushinteger(L, (lua_Integer)st.docs);
  lua_setfield(L, -2, "docs");
  lua_pushinteger(L, (lua_Integer)st.skipped);
  lua_setfield(L, -2, "skipped");
  lua_pushinteger(L, (lua_Integer)st.text_bytes);
  lua_setfield(L, -2, "text_bytes");
  lua_pushinteger(L, (lua_Integer)st.file_bytes);
  lua_setfield(L, -2, "bytes");
  /* copied into Lua, then freed (a memory error while copying leaks
  ** these few lines: they hold no resource) */
  push_lines(L, st.warnings, st.skipped);
  pack_stats_free(&st);
  lua_setfield(L, -2, "warnings");
  return 1;
}

/* lector.load(paths [, opts]) with opts.check: as lcorpus_load, then
** pack_check on the result.  [-2, +1, e] */
static int l_load(lua_State *L) {
  lua_settop(L, 2);
  if (!lua_istable(L, 2) || lua_getfield(L, 2, "check") == LUA_TNIL) {
    lua_settop(L, 2);
    return lcorpus_load(L);
  }
  int check = lua_toboolean(L, -1), quiet;
  lua_pop(L, 1);
  lua_newtable(L);                 /* opts without check */
  lua_pushnil(L);
  while (lua_next(L, 2)) {
    if (lua_type(L, -2) == LUA_TSTRING && strcmp(lua_tostring(L, -2), "check") == 0) {
      lua_pop(L, 1);
      continue;
    }
    lua_pushvalue(L, -2);
    lua_insert(L, -2);
    lua_rawset(L, 3);
  }
  quiet = opt_true(L, 3, "quiet");
  lua_replace(L, 2);
  lcorpus_load(L);
  if (!check) return 1;
  corpus *c = lcorpus_test(L, -1);
  size_t changed;
  char *err = NULL;
  if (pack_check(c, quiet, &changed, &err) != 0)
    return lcorpus_raise(L, "lector.load: ", err);
  return 1;
}

/* See lua_pack.h. */
void lpack_open(lua_State *L) {
  lua_pushcfunction(L, l_pack);
  lua_setfield(L, -2, "pack");
  lua_pushcfunction(L, l_load);
  lua_setfield(L, -2, "load");
}
