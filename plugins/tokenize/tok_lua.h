/*
** tok_lua.h -- the Lua module lector.tokenize (tok_lua.c) and its token
** list userdata (tok_lualist.c).
*/
#ifndef TOK_LUA_H
#define TOK_LUA_H

#include <stddef.h>

#include <lua.h>

#include "lector/tokenizer.h"

/* The plugin's version: its descriptor and tokenize.version. */
#define TOK_PLUGIN_VERSION "1.0.0"

typedef struct tok_list tok_list;      /* a token list (tok_lualist.c) */

/* require "lector.tokenize": the module table.  [-0, +1, m] */
int tok_lua_open(lua_State *L);

/* Create the token list's metatable (once per lua_State, from
** tok_lua_open).  [-0, +0, m] */
void tok_lualist_open(lua_State *L);

/* A new empty token list over a copy of text[0..len), pushed.  Raises on
** out of memory, naming fname.  [-0, +1, m] */
tok_list *tok_lualist_new(lua_State *L, const char *fname, const char *text,
                          size_t len);

/* Append token sp, its normalised form norm[0..nlen), to t.  0 on out of
** memory or when the forms pass 4 GiB (t is unchanged). */
int tok_lualist_push(tok_list *t, const lector_tok_span *sp,
                     const char *norm, size_t nlen);

/* Tokens in t. */
size_t tok_lualist_count(const tok_list *t);

#endif
