/*
** lua_pack.h -- lector.pack and lector.load's `check` (packed corpora,
** pack.h).
*/
#ifndef LECTOR_LUA_PACK_H
#define LECTOR_LUA_PACK_H

#include <lua.h>

#include "plugin_loader.h"

/* Set pack, and load (lcorpus_load plus opts.check), in the lector table
** at the top of the stack; pack finds the tokenizer through pl.
** [-0, +0, m] */
void lpack_open(lua_State *L, plugin_loader *pl);

#endif
