/*
** repl_complete.h -- Tab completion of Lua names for the REPL: globals,
** keywords, fields and methods, found without running Lua code; and the
** matches arrays libedit's completion hook returns.  repl.c owns the hook
** itself (it also completes the REPL's commands).
**
** Ownership: a matches array and its strings are malloc'd; libedit frees
** them.
*/
#ifndef LECTOR_REPL_COMPLETE_H
#define LECTOR_REPL_COMPLETE_H

#include <stddef.h>

#include <lua.h>

/* Characters that end the word being completed, for libedit's
** rl_basic_word_break_characters and rl_completer_word_break_characters. */
extern char complete_word_break[];

/* The completions of text, the word before the cursor: a global name or
** keyword, or a path of names "a.b.c" then "." or ":" and the start of a
** field or method.  Returns a matches array (see complete_matches), or
** NULL when there are none.  Runs no Lua code and leaves L's stack and
** collector as they were. */
char **complete_lua(lua_State *L, const char *text);

/* The matches array libedit wants, from n strings: [0] is what replaces
** the word (their longest common prefix), then the strings, then NULL (a
** single match is m[0] alone).  Takes m (calloc'd, at least n+2 slots)
** and the malloc'd strings in m[1..n]; returns m, or NULL when n is 0 or
** out of memory, all freed then. */
char **complete_matches(char **m, size_t n);

#endif
