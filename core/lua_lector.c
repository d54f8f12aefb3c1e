/*
** lua_lector.c -- the `lector` module seen by scripts.
*/
#include "lua_lector.h"

#include <lauxlib.h>

#include "lua_corpus.h"
#include "pretty.h"

static plugin_loader *get_loader(lua_State *L) {
  return lua_touserdata(L, lua_upvalueindex(1));
}

/* lector.plugin(name) -> the plugin's module table. */
static int l_plugin(lua_State *L) {
  const char *name = luaL_checkstring(L, 1);
  loader_push_module(get_loader(L), L, name);
  return 1;
}

/* Push {name=, version=, summary=, path=, uses=} or {path=, error=}. */
static void push_info(lua_State *L, const plugin_info *in) {
  lua_createtable(L, 0, 5);
  if (in->name) {
    lua_pushstring(L, in->name);
    lua_setfield(L, -2, "name");
    lua_pushstring(L, in->version);
    lua_setfield(L, -2, "version");
    lua_pushstring(L, in->summary);
    lua_setfield(L, -2, "summary");
  }
  lua_pushstring(L, in->path);
  lua_setfield(L, -2, "path");
  if (in->error) {
    lua_pushstring(L, in->error);
    lua_setfield(L, -2, "error");
    return;
  }
  lua_createtable(L, (int)in->nuses, 0);
  for (size_t i = 0; i < in->nuses; i++) {
    lua_pushstring(L, in->uses[i]);
    lua_rawseti(L, -2, (lua_Integer)i + 1);
  }
  lua_setfield(L, -2, "uses");
}

/* lector.plugins() -> loaded plugins, then those that failed (with error). */
static int l_plugins(lua_State *L) {
  plugin_loader *pl = get_loader(L);
  lua_newtable(L);
  lua_newtable(L);
  lua_Integer nok = 0, nbad = 0;
  for (size_t i = 0; i < loader_count(pl); i++) {
    const plugin_info *in = loader_info(pl, i);
    push_info(L, in);
    if (in->error) lua_rawseti(L, -2, ++nbad);
    else lua_rawseti(L, -3, ++nok);
  }
  return 2;
}

void lector_lua_open(lua_State *L, plugin_loader *pl) {
  static const luaL_Reg funcs[] = {
    {"plugin", l_plugin},
    {"plugins", l_plugins},
    {NULL, NULL}
  };
  lcorpus_open(L);
  lua_newtable(L);
  lua_pushlightuserdata(L, pl);
  luaL_setfuncs(L, funcs, 1);
  lua_pushcfunction(L, lcorpus_load);
  lua_setfield(L, -2, "load");
  lua_pushcfunction(L, pretty_lua_show);
  lua_setfield(L, -2, "show");
  lua_pushliteral(L, LECTOR_VERSION);
  lua_setfield(L, -2, "version");
  lua_pushvalue(L, -1);
  lua_setglobal(L, "lector");
  luaL_getsubtable(L, LUA_REGISTRYINDEX, LUA_LOADED_TABLE);
  lua_insert(L, -2);
  lua_setfield(L, -2, "lector");
  lua_pop(L, 1);
}
