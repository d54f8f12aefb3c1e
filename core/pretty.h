/*
** pretty.h -- renders Lua values for people: the REPL's auto-print and
** lector.show().
**
** Tables come out with their keys sorted (numbers, then strings, then
** the rest), an array part packed on as few lines as fit, nested tables
** indented, `<cycle>` where a table contains itself, `{...}` past the
** depth limit and "... (N more)" past the length limit.  A table that
** fits on one line is printed on one line.  Strings are quoted as Lua
** literals (%q-style escapes; valid UTF-8 stays as it is, invalid bytes
** become \xHH) and cut when long.  Values whose metatable has a __summary
** (a function returning a string, possibly several lines) are shown with
** it; else with __tostring; else as their type and address.  Nested in a
** table, __tostring is preferred (one line), then __summary.
**
** Rendering may call __summary and __tostring, so it can raise errors:
** call it in protected mode.  The rendering is a new Lua string (owned by
** Lua, like any value).
*/
#ifndef LECTOR_PRETTY_H
#define LECTOR_PRETTY_H

#include <stddef.h>

#include <lua.h>

/* Levels of nested tables opened (deeper ones show as {...}). */
#ifndef PRETTY_DEPTH
#define PRETTY_DEPTH 4
#endif

/* Items shown per table before "... (N more)". */
#ifndef PRETTY_ITEMS
#define PRETTY_ITEMS 50
#endif

/* Columns a table may take on one line before it is broken up. */
#ifndef PRETTY_WIDTH
#define PRETTY_WIDTH 72
#endif

/* Bytes of a string shown inside a table before it is cut ... */
#ifndef PRETTY_STRING_MAX
#define PRETTY_STRING_MAX 200
#endif

/* ... and of a string shown on its own (print() shows all of it). */
#ifndef PRETTY_STRING_TOP
#define PRETTY_STRING_TOP 10000
#endif

/* Render the value at idx and push the rendering.  depth_limit is how
** many levels of nested tables are opened (< 1 means PRETTY_DEPTH).
** Raises what __summary/__tostring raise, and memory errors.
** [-0, +1, e] */
void pretty_push(lua_State *L, int idx, int depth_limit);

/* lector.show(v [, depth]): print v's rendering and a newline to stdout.
** Returns nothing.  A lua_CFunction, for the `lector` table. [-0, +0, e] */
int pretty_lua_show(lua_State *L);

/* Whether s[0..len) is a Lua name that is not a reserved word: what can
** follow a dot or stand bare as a table key. */
int pretty_is_name(const char *s, size_t len);

#endif
