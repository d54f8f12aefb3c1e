/*
** lua_lector.h -- the `lector` Lua module: load, plugin, plugins, version.
*/
#ifndef LECTOR_LUA_LECTOR_H
#define LECTOR_LUA_LECTOR_H

#include <lua.h>

#include "plugin_loader.h"

/* Set the global `lector` (also package.loaded.lector) and the corpus
** metatables; lector.plugin/plugins use pl. [-0, +0, e] */
void lector_lua_open(lua_State *L, plugin_loader *pl);

#endif
