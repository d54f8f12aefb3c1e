/*
** lua_lector.h -- the `lector` Lua module: load, plugin, plugins, version,
** progress bars.
*/
#ifndef LECTOR_LUA_LECTOR_H
#define LECTOR_LUA_LECTOR_H

#include <lua.h>

#include "plugin_loader.h"
#include "progress.h"

/* Set the global `lector` (also package.loaded.lector) and the corpus
** metatables; lector.plugin/plugins use pl. [-0, +0, e] */
void lector_lua_open(lua_State *L, plugin_loader *pl);

/* Push a lector.progress userdata running progress_begin(label, unit,
** total); returns its bar (NULL when not drawn).  Its __close and __gc
** end the bar.  [-0, +1, m] */
progress *lector_progress_push(lua_State *L, const char *label,
                               const char *unit, uint64_t total);
/* The bar of the lector.progress value at idx (NULL: none, or done). */
progress *lector_progress_at(lua_State *L, int idx);
/* End the bar of the lector.progress value at idx now. */
void lector_progress_done(lua_State *L, int idx);

#endif
