/*
** repl_complete.c -- Tab completion of Lua names (see repl_complete.h).
**
** Completion runs no Lua code: names are found with raw gets along the
** chain of __index tables.  An object whose __index is a function can
** list what it offers in its metatable: __methods (a table of functions,
** as lector.corpus has) and __fields (a list of field names).
**
** Sections: finding names; matches arrays; completing a word.
*/
#include "repl_complete.h"

#include <stdlib.h>
#include <string.h>

#include "pretty.h"

/* __index tables followed when completing; chains are short in practice,
** and a loop of metatables must end. */
#define COMPLETE_INDEX_HOPS 8

static const char *const complete_keywords[] = {
  "and", "break", "do", "else", "elseif", "end", "false", "for", "function",
  "goto", "if", "in", "local", "nil", "not", "or", "repeat", "return",
  "then", "true", "until", "while", NULL
};

/* Characters that end the word being completed: '.' and ':' are not among
** them, so "corpus:gr" reaches us whole. */
char complete_word_break[] = " \t\n\"'`@$><=;|&{(}[],+-*/%^~#";


/* --- finding names ---------------------------------------------------- */

/* Add prefix..k to the set for each string key k of table t that is a
** name starting with partial (names starting "__" only when partial
** does); with `methods`, only keys holding functions. [-0, +0, m] */
static void complete_add_names(lua_State *L, int t, const char *partial,
                               const char *prefix, int methods, int set) {
  size_t plen = strlen(partial), len;
  int hidden = strncmp(partial, "__", 2) != 0;
  lua_pushnil(L);
  while (lua_next(L, t)) {
    const char *k = lua_type(L, -2) == LUA_TSTRING ?
                    lua_tolstring(L, -2, &len) : NULL;
    if (k != NULL && len >= plen && memcmp(k, partial, plen) == 0 &&
        pretty_is_name(k, len) && !(hidden && strncmp(k, "__", 2) == 0) &&
        (!methods || lua_type(L, -1) == LUA_TFUNCTION)) {
      lua_pushfstring(L, "%s%s", prefix, k);
      lua_pushboolean(L, 1);
      lua_rawset(L, set);
    }
    lua_pop(L, 1);
  }
}

/* The strings of the list at l that start with partial, as above. */
static void complete_add_list(lua_State *L, int l, const char *partial,
                              const char *prefix, int set) {
  size_t plen = strlen(partial), len;
  lua_Integer i;
  for (i = 1; lua_rawgeti(L, l, i) == LUA_TSTRING; i++) {
    const char *k = lua_tolstring(L, -1, &len);
    if (len >= plen && memcmp(k, partial, plen) == 0 &&
        pretty_is_name(k, len)) {
      lua_pushfstring(L, "%s%s", prefix, k);
      lua_pushboolean(L, 1);
      lua_rawset(L, set);
    }
    lua_pop(L, 1);
  }
  lua_pop(L, 1);
}

/* Push mt[k] by a raw lookup. [-0, +1, -] */
static int complete_rawgetfield(lua_State *L, int mt, const char *k) {
  lua_pushstring(L, k);
  return lua_rawget(L, mt);
}

/* Completions of the fields of the value at v: its own keys if it is a
** table, then those of its metatables' __index tables.  No code runs
** (no __index function is called); where __index is a function, the
** metatable's __methods table and __fields list stand for what it
** gives.  [-0, +0, m] */
static void complete_add_fields(lua_State *L, int v, const char *partial,
                                const char *prefix, int methods, int set) {
  int top = lua_gettop(L), hops, cur, mt;
  lua_pushvalue(L, v);
  cur = lua_gettop(L);
  for (hops = 0; hops < COMPLETE_INDEX_HOPS; hops++) {
    if (lua_type(L, cur) == LUA_TTABLE)
      complete_add_names(L, cur, partial, prefix, methods, set);
    if (!lua_getmetatable(L, cur)) break;
    mt = lua_gettop(L);
    if (complete_rawgetfield(L, mt, "__index") == LUA_TTABLE) {
      lua_replace(L, cur);
      lua_settop(L, cur);
      continue;
    }
    if (lua_type(L, -1) == LUA_TFUNCTION) {
      if (complete_rawgetfield(L, mt, "__methods") == LUA_TTABLE)
        complete_add_names(L, lua_gettop(L), partial, prefix, methods, set);
      if (!methods && complete_rawgetfield(L, mt, "__fields") == LUA_TTABLE)
        complete_add_list(L, lua_gettop(L), partial, prefix, set);
    }
    break;
  }
  lua_settop(L, top);
}

/* Replace the value on top by its field named by the string above it,
** looked up raw along the __index chain (and __methods); nil when not
** found that way. [-2, +1, -] */
static void complete_rawindex(lua_State *L) {
  int key = lua_gettop(L), cur = key - 1, hops, mt;
  for (hops = 0; hops < COMPLETE_INDEX_HOPS; hops++) {
    if (lua_type(L, cur) == LUA_TTABLE) {
      lua_pushvalue(L, key);
      if (lua_rawget(L, cur) != LUA_TNIL) break;
      lua_pop(L, 1);
    }
    if (!lua_getmetatable(L, cur)) {
      lua_pushnil(L);
      break;
    }
    mt = lua_gettop(L);
    if (complete_rawgetfield(L, mt, "__index") == LUA_TTABLE) {
      lua_replace(L, cur);
      lua_settop(L, key);
      continue;
    }
    if (lua_type(L, -1) == LUA_TFUNCTION &&
        complete_rawgetfield(L, mt, "__methods") == LUA_TTABLE) {
      lua_pushvalue(L, key);
      lua_rawget(L, -2);
    }
    else
      lua_pushnil(L);
    break;
  }
  lua_replace(L, cur);
  lua_settop(L, cur);
}

/* (text) -> a set of completions of text: a global name, or a path of
** names "a.b.c" then "." or ":" and the start of a field or method. */
static int complete_l_names(lua_State *L) {
  const char *text = lua_touserdata(L, 1);
  const char *dot = strrchr(text, '.'), *colon = strrchr(text, ':');
  const char *sep = (colon && (!dot || colon > dot)) ? colon : dot;
  const char *p, *q;
  int set, i;
  lua_newtable(L);
  set = lua_gettop(L);
  lua_pushglobaltable(L);
  if (sep == NULL) {
    complete_add_fields(L, set + 1, text, "", 0, set);
    for (i = 0; complete_keywords[i]; i++) {
      if (strncmp(complete_keywords[i], text, strlen(text)) != 0) continue;
      lua_pushstring(L, complete_keywords[i]);
      lua_pushboolean(L, 1);
      lua_rawset(L, set);
    }
    lua_settop(L, set);
    return 1;
  }
  for (p = text; p < sep; p = q + 1) {    /* walk a.b.c */
    for (q = p; q < sep && *q != '.'; q++) {}
    if (!pretty_is_name(p, (size_t)(q - p))) {
      lua_settop(L, set);
      return 1;
    }
    lua_pushlstring(L, p, (size_t)(q - p));
    complete_rawindex(L);
  }
  lua_pushlstring(L, text, (size_t)(sep - text) + 1);
  complete_add_fields(L, set + 1, sep + 1, lua_tostring(L, -1), *sep == ':',
                      set);
  lua_settop(L, set);
  return 1;
}


/* --- matches arrays --------------------------------------------------- */

static int complete_strcmp(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* See repl_complete.h. */
char **complete_matches(char **m, size_t n) {
  size_t i, lcp;
  if (n == 0) {
    free(m);
    return NULL;
  }
  qsort(m + 1, n, sizeof *m, complete_strcmp);
  lcp = strlen(m[1]);
  for (i = 2; i <= n; i++) {
    size_t j = 0;
    while (j < lcp && m[i][j] == m[1][j]) j++;
    lcp = j;
  }
  m[0] = strndup(m[1], lcp);
  if (m[0] == NULL) {
    for (i = 1; i <= n; i++) free(m[i]);
    free(m);
    return NULL;
  }
  if (n == 1) {        /* a single match is m[0] alone */
    free(m[1]);
    m[1] = NULL;
  }
  return m;
}

/* Copy the keys of the set on top into a matches array. */
static char **complete_matches_from_set(lua_State *L, int set) {
  size_t n = 0, i = 0;
  char **m;
  lua_pushnil(L);
  while (lua_next(L, set)) {
    lua_pop(L, 1);
    n++;
  }
  m = calloc(n + 2, sizeof *m);
  if (m == NULL) return NULL;
  lua_pushnil(L);
  while (lua_next(L, set)) {
    lua_pop(L, 1);
    if (i < n && (m[i + 1] = strdup(lua_tostring(L, -1))) != NULL) i++;
  }
  return complete_matches(m, i);
}


/* --- completing a word ------------------------------------------------ */

/* See repl_complete.h.  The lookups run in a protected call (they
** allocate) with the collector stopped, so no finalizer runs either. */
char **complete_lua(lua_State *L, const char *text) {
  char **m = NULL;
  int top = lua_gettop(L), gc;
  if (!lua_checkstack(L, 4)) return NULL;
  gc = lua_gc(L, LUA_GCISRUNNING);
  lua_gc(L, LUA_GCSTOP);
  lua_pushcfunction(L, complete_l_names);
  lua_pushlightuserdata(L, (void *)text);
  if (lua_pcall(L, 1, 1, 0) == LUA_OK)
    m = complete_matches_from_set(L, top + 1);
  lua_settop(L, top);
  if (gc) lua_gc(L, LUA_GCRESTART);
  return m;
}
