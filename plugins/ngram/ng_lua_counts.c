/*
** ng_lua_counts.c -- the count table userdata (lector.ngram.counts):
**   #t, t:total([len]), t:get(gram) / t[gram], t:df(gram), t:top([k [, len]]),
**   t:each([len]) / pairs(t), t:merge(other), t:save(path), t:to_csv(path),
**   t:n(), t:docs(), t:options(), t:memory(), t:close(),
**   __tostring, __summary (the REPL), __gc, __close.
** A gram is a string of normalised words joined by single spaces, or an
** array of words.
*/
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "ng_buf.h"
#include "lector/kit.h"
#include "ng_lua.h"
#include "ng_order.h"

/* ------------------------------------------------------------------------
** Access
*/

ng_counts *ng_lua_counts_test(lua_State *L, int idx) {
  return luaL_testudata(L, idx, NG_COUNTS_MT);
}

ng_counts *ng_lua_counts_check(lua_State *L, int idx, const char *fname) {
  ng_counts *c = luaL_testudata(L, idx, NG_COUNTS_MT);
  if (!c)
    luaL_error(L, "%s: argument %d must be an ngram count table (got %s)",
               fname, idx, luaL_typename(L, idx));
  if (c->closed) luaL_error(L, "%s: the count table is closed", fname);
  return c;
}

ng_counts *ng_lua_counts_new(lua_State *L) {
  ng_counts *c = lua_newuserdatauv(L, sizeof *c, 0);
  memset(c, 0, sizeof *c);
  c->t.width = 1;
  c->t.stride = 3;
  luaL_setmetatable(L, NG_COUNTS_MT);
  return c;
}

void ng_push_gram(lua_State *L, const uint32_t *key, int width) {
  luaL_Buffer b;
  int j;
  luaL_buffinit(L, &b);
  for (j = 0; j < width && key[j]; j++) {
    size_t len = 0;
    const char *w = lk_host->vocab_string(key[j], &len);
    if (j) luaL_addchar(&b, ' ');
    if (w) luaL_addlstring(&b, w, len);
  }
  luaL_pushresult(&b);
}

/* The key of the gram at idx (a string or an array of words) into key
** (c's width).  0 when the gram cannot be in c (unknown word, too long,
** empty).  [-0, +0, v] */
static int gram_key(lua_State *L, int idx, const ng_counts *c,
                    uint32_t *key) {
  int w = c->t.width;
  if (lua_type(L, idx) == LUA_TSTRING) {
    size_t n;
    const char *s = lua_tolstring(L, idx, &n);
    return ng_gram_parse(s, n, key, w, lk_host->vocab_lookup) > 0;
  }
  if (lua_type(L, idx) == LUA_TTABLE) {
    lua_Integer i, n = (lua_Integer)lua_rawlen(L, idx);
    memset(key, 0, (size_t)w * sizeof *key);
    if (n < 1 || n > w) return 0;
    for (i = 1; i <= n; i++) {
      size_t len;
      const char *s;
      lua_rawgeti(L, idx, i);
      s = lua_tolstring(L, -1, &len);
      key[i - 1] = s ? lk_host->vocab_lookup(s, len) : 0;
      lua_pop(L, 1);
      if (!key[i - 1]) return 0;
    }
    return 1;
  }
  return luaL_error(L, "ngram: a gram must be a string or an array of "
                    "words (got %s)", luaL_typename(L, idx));
}

/* The slot of the gram at idx in c, or NULL.  [-0, +0, v] */
static const uint32_t *find_gram(lua_State *L, int idx, const ng_counts *c) {
  uint32_t key[NG_MAX_N];
  if (!gram_key(L, idx, c, key)) return NULL;
  return ng_table_find(&c->t, key);
}

/* An optional gram length argument at idx: 0 for all.  [-0, +0, v] */
static int opt_len(lua_State *L, int idx) {
  lua_Integer n = luaL_optinteger(L, idx, 0);
  luaL_argcheck(L, n >= 0 && n <= NG_MAX_N, idx, "gram length out of range");
  return (int)n;
}

/* ------------------------------------------------------------------------
** Queries
*/

/* #t -> distinct grams.  [-0, +1, v] */
static int c_len(lua_State *L) {
  ng_counts *c = ng_lua_counts_check(L, 1, "ngram");
  lua_pushinteger(L, (lua_Integer)c->t.used);
  return 1;
}

/* t:total([len]) -> occurrences counted (of grams of length len).
** [-0, +1, v] */
static int c_total(lua_State *L) {
  ng_counts *c = ng_lua_counts_check(L, 1, "total");
  int len = opt_len(L, 2);
  lua_pushinteger(L, (lua_Integer)(len ? c->t.total[len]
                                       : ng_table_total(&c->t)));
  return 1;
}

/* t:get(gram) -> count, df (0, 0 when absent).  [-0, +2, v] */
static int c_get(lua_State *L) {
  ng_counts *c = ng_lua_counts_check(L, 1, "get");
  const uint32_t *s = find_gram(L, 2, c);
  lua_pushinteger(L, s ? (lua_Integer)ng_table_count(&c->t, s) : 0);
  lua_pushinteger(L, s ? (lua_Integer)s[NG_DF(&c->t)] : 0);
  return 2;
}

/* t:df(gram) -> documents the gram occurs in.  [-0, +1, v] */
static int c_df(lua_State *L) {
  ng_counts *c = ng_lua_counts_check(L, 1, "df");
  const uint32_t *s = find_gram(L, 2, c);
  lua_pushinteger(L, s ? (lua_Integer)s[NG_DF(&c->t)] : 0);
  return 1;
}

/* Push {gram =, count =, df =} for slot s.  [-0, +1, m] */
static void push_row(lua_State *L, const ng_counts *c, const uint32_t *s) {
  lua_createtable(L, 0, 3);
  ng_push_gram(L, s, c->t.width);
  lua_setfield(L, -2, "gram");
  lua_pushinteger(L, (lua_Integer)ng_table_count(&c->t, s));
  lua_setfield(L, -2, "count");
  lua_pushinteger(L, (lua_Integer)s[NG_DF(&c->t)]);
  lua_setfield(L, -2, "df");
}

/* t:top([k [, len]]) -> { {gram =, count =, df =}, ... }, the k (10) most
** frequent grams (of length len), ties in gram order.  [-0, +1, v] */
static int c_top(lua_State *L) {
  ng_counts *c = ng_lua_counts_check(L, 1, "top");
  lua_Integer k = luaL_optinteger(L, 2, 10);
  int len = opt_len(L, 3);
  ng_guard *g;
  uint32_t *idx;
  size_t n, i;
  luaL_argcheck(L, k >= 0, 2, "k must be >= 0");
  g = ng_guard_new(L);
  if (ng_order_top(&c->t, (size_t)k, len, &idx, &n) != 0)
    return luaL_error(L, "top: %s", lk_host->interrupted() ? "interrupted"
                                                           : "out of memory");
  g->mem[0] = idx;
  lua_createtable(L, n < 1000000 ? (int)n : 0, 0);
  for (i = 0; i < n; i++) {
    if (i % NG_POLL_EVERY == 0 && lk_host->interrupted())
      return luaL_error(L, "top: interrupted");
    push_row(L, c, c->t.slots + (size_t)idx[i] * c->t.stride);
    lua_rawseti(L, -2, (lua_Integer)i + 1);
  }
  return 1;
}

/* ------------------------------------------------------------------------
** Iteration: an index of slots in file order, kept in a userdata
*/

typedef struct iter {
  uint32_t *idx;
  size_t n, pos;
  unsigned version;
} iter;

/* __gc of an iterator's index.  [-0, +0, -] */
static int iter_gc(lua_State *L) {
  iter *it = luaL_checkudata(L, 1, NG_ITER_MT);
  lk_free(it->idx);
  it->idx = NULL;
  return 0;
}

/* The iterator: gram, count, df.  [-0, +3, v] */
static int iter_step(lua_State *L) {
  ng_counts *c = ng_lua_counts_check(L, lua_upvalueindex(1), "each");
  iter *it = lua_touserdata(L, lua_upvalueindex(2));
  const uint32_t *s;
  if (it->version != c->version)
    return luaL_error(L, "each: the count table changed during iteration");
  if (it->pos >= it->n) return 0;
  s = c->t.slots + (size_t)it->idx[it->pos++] * c->t.stride;
  ng_push_gram(L, s, c->t.width);
  lua_pushinteger(L, (lua_Integer)ng_table_count(&c->t, s));
  lua_pushinteger(L, (lua_Integer)s[NG_DF(&c->t)]);
  return 3;
}

/* t:each([len]) -> iterator of gram, count, df in gram order (byte order,
** as saved).  [-0, +1, v] */
static int c_each(lua_State *L) {
  ng_counts *c = ng_lua_counts_check(L, 1, "each");
  int len = lua_type(L, 2) == LUA_TNUMBER ? opt_len(L, 2) : 0;
  iter *it;
  lua_settop(L, 1);
  it = lua_newuserdatauv(L, sizeof *it, 0);
  memset(it, 0, sizeof *it);
  luaL_setmetatable(L, NG_ITER_MT);
  if (ng_order_sorted(&c->t, len, &it->idx, &it->n) != 0)
    return luaL_error(L, "each: %s", lk_host->interrupted()
                                         ? "interrupted" : "out of memory");
  it->version = c->version;
  lua_pushcclosure(L, iter_step, 2);
  return 1;
}

/* pairs(t) -> the each() iterator.  [-0, +3, v] */
static int c_pairs(lua_State *L) {
  lua_settop(L, 1);
  c_each(L);
  lua_pushnil(L);
  lua_pushnil(L);
  return 3;
}

/* ------------------------------------------------------------------------
** Changes and files
*/

static void meta_n(const ng_meta *m, char *buf, size_t size) {
  if (m->nmin == m->nmax) snprintf(buf, size, "n=%d", m->nmin);
  else snprintf(buf, size, "n=%d..%d", m->nmin, m->nmax);
}

/* t:merge(other) -> t, with other's counts added.  [-0, +1, v] */
static int c_merge(lua_State *L) {
  ng_counts *c = ng_lua_counts_check(L, 1, "merge");
  ng_counts *o = ng_lua_counts_check(L, 2, "merge");
  if (!ng_meta_compatible(&c->m, &o->m)) {
    char a[32], b[32];
    meta_n(&c->m, a, sizeof a);
    meta_n(&o->m, b, sizeof b);
    return luaL_error(L, "merge: the tables were counted differently "
                      "(%s skip=%d options '%s' vs %s skip=%d options '%s')",
                      a, c->m.skip, c->m.options ? c->m.options : "", b,
                      o->m.skip, o->m.options ? o->m.options : "");
  }
  if (!ng_table_merge_fits(&c->t, &o->t, NG_COUNT_MAX) ||
      o->m.docs > NG_COUNT_MAX - c->m.docs)
    return luaL_error(L, "merge: count overflow (a count, total or df "
                      "would pass what a table holds: 2^63-1, df 2^32-1); "
                      "the table is unchanged");
  c->version++;
  if (ng_table_merge(&c->t, &o->t) != 0 || ng_table_compact(&c->t, 1) != 0)
    return luaL_error(L, "merge: out of memory (the table holds part of "
                      "the other)");
  c->m.docs += o->m.docs;
  if (o->m.min_count > c->m.min_count) c->m.min_count = o->m.min_count;
  lua_settop(L, 1);
  return 1;
}

/* t:save(path): the saved line format (ngram.load reads it).
** [-0, +0, v] */
static int c_save(lua_State *L) {
  ng_counts *c = ng_lua_counts_check(L, 1, "save");
  const char *path = luaL_checkstring(L, 2);
  char *err = NULL;
  if (ng_format_save(path, &c->t, &c->m, &err) != 0)
    return lk_raise(L, "save", err);
  return 0;
}

/* t:to_csv(path): gram,n,count,df rows by count.  [-0, +0, v] */
static int c_to_csv(lua_State *L) {
  ng_counts *c = ng_lua_counts_check(L, 1, "to_csv");
  const char *path = luaL_checkstring(L, 2);
  char *err = NULL;
  if (ng_format_csv(path, &c->t, &err) != 0)
    return lk_raise(L, "to_csv", err);
  return 0;
}

/* t:n() -> smallest and largest gram length.  [-0, +2, v] */
static int c_n(lua_State *L) {
  ng_counts *c = ng_lua_counts_check(L, 1, "n");
  lua_pushinteger(L, c->m.nmin);
  lua_pushinteger(L, c->m.nmax);
  return 2;
}

/* t:docs() -> documents counted.  [-0, +1, v] */
static int c_docs(lua_State *L) {
  ng_counts *c = ng_lua_counts_check(L, 1, "docs");
  lua_pushinteger(L, (lua_Integer)c->m.docs);
  return 1;
}

/* t:options() -> the canonical options string, and skip.  [-0, +2, v] */
static int c_options(lua_State *L) {
  ng_counts *c = ng_lua_counts_check(L, 1, "options");
  lua_pushstring(L, c->m.options ? c->m.options : "");
  lua_pushinteger(L, c->m.skip);
  return 2;
}

/* t:memory() -> bytes held by the table (not the vocabulary).
** [-0, +1, v] */
static int c_memory(lua_State *L) {
  ng_counts *c = ng_lua_counts_check(L, 1, "memory");
  lua_pushinteger(L, (lua_Integer)ng_table_memory(&c->t));
  return 1;
}

/* t:close(), __gc, __close: free the table (idempotent).  [-0, +0, -] */
static int c_close(lua_State *L) {
  ng_counts *c = luaL_checkudata(L, 1, NG_COUNTS_MT);
  ng_table_free(&c->t);
  ng_meta_free(&c->m);
  c->closed = 1;
  c->version++;
  return 0;
}

/* ------------------------------------------------------------------------
** Display
*/

/* t[key]: a method, else the count of the gram key.  [-0, +1, v] */
static int c_index(lua_State *L) {
  ng_counts *c;
  const uint32_t *s;
  if (lua_type(L, 2) == LUA_TSTRING) {
    lua_pushvalue(L, 2);
    if (lua_rawget(L, lua_upvalueindex(1)) != LUA_TNIL) return 1;
    lua_pop(L, 1);
  }
  c = ng_lua_counts_check(L, 1, "ngram");
  if (lua_type(L, 2) != LUA_TSTRING && lua_type(L, 2) != LUA_TTABLE) {
    lua_pushnil(L);
    return 1;
  }
  s = find_gram(L, 2, c);
  lua_pushinteger(L, s ? (lua_Integer)ng_table_count(&c->t, s) : 0);
  return 1;
}

/* tostring(t): one line.  [-0, +1, m] */
static int c_tostring(lua_State *L) {
  ng_counts *c = luaL_checkudata(L, 1, NG_COUNTS_MT);
  char n[32];
  if (c->closed) {
    lua_pushliteral(L, "ngram counts (closed)");
    return 1;
  }
  meta_n(&c->m, n, sizeof n);
  lua_pushfstring(L, "ngram counts (%s, %I distinct, %I total)", n,
                  (LUAI_UACINT)c->t.used, (LUAI_UACINT)ng_table_total(&c->t));
  return 1;
}

/* The REPL's long form: sizes, options, the top grams.  [-0, +1, v] */
static int c_summary(lua_State *L) {
  ng_counts *c = luaL_checkudata(L, 1, NG_COUNTS_MT);
  char n[32];
  luaL_Buffer b;
  int i, rows;
  if (c->closed) return c_tostring(L);
  meta_n(&c->m, n, sizeof n);
  lua_settop(L, 1);
  lua_pushcfunction(L, c_top);
  lua_pushvalue(L, 1);
  lua_pushinteger(L, NG_SUMMARY_TOP);
  lua_call(L, 2, 1);                                        /* 2: rows */
  rows = (int)lua_rawlen(L, 2);
  luaL_buffinit(L, &b);
  lua_pushfstring(L, "ngram counts: %s%s, %I distinct, %I total, %I "
                  "document%s\n  options: %s", n, c->m.skip ? " (skip)" : "",
                  (LUAI_UACINT)c->t.used, (LUAI_UACINT)ng_table_total(&c->t),
                  (LUAI_UACINT)c->m.docs, c->m.docs == 1 ? "" : "s",
                  c->m.options && *c->m.options ? c->m.options : "(defaults)");
  luaL_addvalue(&b);
  if (rows > 0) luaL_addstring(&b, "\n  top:   count      df  gram");
  for (i = 1; i <= rows; i++) {
    char line[64];
    lua_rawgeti(L, 2, i);
    lua_getfield(L, -1, "count");
    lua_getfield(L, -2, "df");
    snprintf(line, sizeof line, "\n  %12" PRId64 " %7" PRId64 "  ",
             (int64_t)lua_tointeger(L, -2), (int64_t)lua_tointeger(L, -1));
    lua_pop(L, 2);
    lua_getfield(L, -1, "gram");
    lua_remove(L, -2);
    lua_pushstring(L, line);
    lua_insert(L, -2);
    lua_concat(L, 2);
    luaL_addvalue(&b);
  }
  luaL_pushresult(&b);
  return 1;
}

void ng_lua_counts_open(lua_State *L) {
  static const luaL_Reg methods[] = {
    {"total", c_total}, {"get", c_get}, {"df", c_df}, {"top", c_top},
    {"each", c_each}, {"merge", c_merge}, {"save", c_save},
    {"to_csv", c_to_csv}, {"n", c_n}, {"docs", c_docs},
    {"options", c_options}, {"memory", c_memory}, {"close", c_close},
    {NULL, NULL}
  };
  static const luaL_Reg meta[] = {
    {"__len", c_len}, {"__tostring", c_tostring}, {"__summary", c_summary},
    {"__gc", c_close}, {"__close", c_close}, {"__pairs", c_pairs},
    {NULL, NULL}
  };
  if (luaL_newmetatable(L, NG_ITER_MT)) {
    lua_pushcfunction(L, iter_gc);
    lua_setfield(L, -2, "__gc");
  }
  lua_pop(L, 1);
  lk_newclass(L, NG_COUNTS_MT, meta, methods, NULL, c_index);
}
