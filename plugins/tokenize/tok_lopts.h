/*
** tok_lopts.h -- tokenizer options from a Lua options table (the
** service's opts_from_lua, see include/lector/tokenizer.h).
*/
#ifndef TOK_LOPTS_H
#define TOK_LOPTS_H

#include <lua.h>

#include "lector/tokenizer.h"

/* Compile the options table at idx (nil/none: base, or the defaults) on
** top of base (NULL: the defaults).  Keys in extra (NULL-terminated, may
** be NULL) are the caller's and skipped; any other key the parser does
** not know is an error naming it.  The caller owns the result (free it
** with tok_opts_free); strings in the table are copied.  Raises, having
** freed everything, on a bad key or value.  [-0, +0, e] */
lector_tok_opts *tok_lopts_compile(lua_State *L, int idx, const char *fname,
                                   const char *const *extra,
                                   const lector_tok_config *base);

#endif
