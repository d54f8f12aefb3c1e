/*
** ng_lua_dispersion.c -- ngram.dispersion(source, word_or_list [, opts])
** -> {word =, freq =, parts =, range =, juilland_d =, dp =, dp_norm =,
** counts = {...}} for a word or phrase, a list of those for a list: how
** evenly it spreads over the documents or over n equal parts of the
** corpus (ng_dispersion.h; formulas in docs/statistics.md).
*/
#include <math.h>
#include <string.h>

#include "lector/kit.h"
#include "ng_dispersion.h"
#include "ng_lua.h"

static const char fname[] = "ngram.dispersion";
static const char *const extra[] = {"parts", NULL};

/* parts: "docs" (0) or a number of equal parts >= 1.  [-0, +0, v] */
static size_t read_parts(lua_State *L, int idx) {
  size_t n;
  const char *s;
  int t = lua_type(L, idx) == LUA_TTABLE ? lua_getfield(L, idx, "parts")
                                         : LUA_TNIL;
  lua_Integer k;
  int isint = 0;
  if (t == LUA_TNIL) {
    lua_pop(L, lua_type(L, idx) == LUA_TTABLE);
    return 0;
  }
  if (t == LUA_TSTRING) {
    s = lua_tolstring(L, -1, &n);
    if (n == 4 && memcmp(s, "docs", 4) == 0) {
      lua_pop(L, 1);
      return 0;
    }
  }
  k = t == LUA_TNUMBER ? lua_tointegerx(L, -1, &isint) : 0;
  if (!isint || k < 1 || (lua_Unsigned)k > SIZE_MAX / 2) {
    lk_describe(L, -1);
    luaL_error(L, "%s: opts.parts: expected \"docs\" or a number of parts "
               "(an integer >= 1), got %s", fname, lua_tostring(L, -1));
  }
  lua_pop(L, 1);
  return (size_t)k;
}

/* The targets: the phrase at idx 2, or each phrase of the list there.
** Fills spec (arrays in g's memory); returns 1 for a list.
** [-0, +0, v] */
static int read_targets(lua_State *L, ng_guard *g, ng_dispersion_spec *sp) {
  int list = lua_type(L, 2) == LUA_TTABLE;
  size_t n = list ? lua_rawlen(L, 2) : 1, i;
  uint32_t *ids, **tp;
  int *tl;
  if (list && n == 0) luaL_error(L, "%s: the list of words is empty", fname);
  if (n > SIZE_MAX / (NG_KWIC_MAX * sizeof *ids) || n > UINT32_MAX)
    luaL_error(L, "%s: too many words", fname);
  g->mem[1] = ids = lk_alloc(n * NG_KWIC_MAX * sizeof *ids);
  g->mem[2] = tl = lk_alloc(n * sizeof *tl);
  g->mem[3] = tp = lk_alloc(n * sizeof *tp);
  if (!ids || !tl || !tp) luaL_error(L, "%s: out of memory", fname);
  for (i = 0; i < n; i++) {
    tp[i] = ids + i * NG_KWIC_MAX;
    if (!list) {
      tl[i] = ng_lua_phrase(L, 2, g->opts, tp[i], fname, "word", 0);
      continue;
    }
    if (lua_rawgeti(L, 2, (lua_Integer)i + 1) != LUA_TSTRING)
      luaL_error(L, "%s: item %I of the list is a %s (want a word or a "
                 "phrase)", fname, (LUAI_UACINT)i + 1, luaL_typename(L, -1));
    tl[i] = ng_lua_phrase(L, lua_gettop(L), g->opts, tp[i], fname, "word",
                          0);
    lua_pop(L, 1);
  }
  sp->target = (const uint32_t *const *)tp;
  sp->tlen = tl;
  sp->ntargets = n;
  return list;
}

/* Set field k of the table on top to x, or leave it out when x is NAN
** (undefined).  [-0, +0, m] */
static void set_measure(lua_State *L, const char *k, double x) {
  if (isnan(x)) return;
  lua_pushnumber(L, (lua_Number)x);
  lua_setfield(L, -2, k);
}

/* Push the row of target t of d; its word is the value at widx.
** [-0, +1, m] */
static void push_row(lua_State *L, const ng_dispersion *d, size_t t,
                     int widx) {
  const uint64_t *c = d->counts + t * d->nparts;
  ng_dispersion_stats st;
  size_t i;
  ng_dispersion_stats_of(c, d->sizes, d->nparts, &st);
  lua_createtable(L, 0, 8);
  lua_pushvalue(L, widx);
  lua_setfield(L, -2, "word");
  lua_pushinteger(L, (lua_Integer)st.freq);
  lua_setfield(L, -2, "freq");
  lua_pushinteger(L, (lua_Integer)d->nparts);
  lua_setfield(L, -2, "parts");
  lua_pushinteger(L, (lua_Integer)st.range);
  lua_setfield(L, -2, "range");
  set_measure(L, "juilland_d", st.juilland_d);
  set_measure(L, "dp", st.dp);
  set_measure(L, "dp_norm", st.dp_norm);
  lua_createtable(L, d->nparts < 1000000 ? (int)d->nparts : 0, 0);
  for (i = 0; i < d->nparts; i++) {
    lua_pushinteger(L, (lua_Integer)c[i]);
    lua_rawseti(L, -2, (lua_Integer)i + 1);
  }
  lua_setfield(L, -2, "counts");
}

static void disp_release(void *p) {
  ng_dispersion_free(p);
  lk_free(p);
}

/* ngram.dispersion(source, word_or_list [, opts]).  opts: parts ("docs"),
** threads, stopwords (removed from the stream) and the tokenizer's
** options.  [-0, +1, v] */
int ng_l_dispersion(lua_State *L) {
  static const char *const not_here[] = {"n", "skip", "min_count", "by",
                                         "stop_mode", "sentences", NULL};
  ng_dispersion_spec spec;
  ng_dispersion *d;
  ng_tokens tok;
  ng_copts o;
  ng_lua_src s;
  ng_guard *g;
  char *err = NULL;
  size_t t;
  int i, list;
  lua_settop(L, 3);
  memset(&spec, 0, sizeof spec);
  if (!ng_lua_src_get(L, 1, &s) || s.kind == NG_SRC_TOKENS)
    return luaL_error(L, "%s: argument 1 must be a corpus, a document or a "
                      "string (got %s)", fname, luaL_typename(L, 1));
  for (i = 0; lua_type(L, 3) == LUA_TTABLE && not_here[i]; i++) {
    if (lua_getfield(L, 3, not_here[i]) != LUA_TNIL)
      return luaL_error(L, "%s: unknown option '%s'", fname, not_here[i]);
    lua_pop(L, 1);
  }
  ng_copts_read(L, 3, fname, extra, &o);
  o.spec.drop_stop = 0;                 /* stop words leave the stream */
  spec.nparts = read_parts(L, 3);
  g = ng_guard_new(L);                                  /* 4 */
  ng_lua_src_hold(L, 1, &s, g, fname);
  ng_copts_tokens(L, 3, fname, extra, &o, g, &tok);
  spec.tok = &tok;
  list = read_targets(L, g, &spec);
  if (!(d = lk_alloc(sizeof *d))) return luaL_error(L, "%s: out of memory",
                                                    fname);
  memset(d, 0, sizeof *d);
  lk_guard_add(L, g->lk, disp_release, d);
  ng_lua_src_stream(&s, &tok);
  ng_lua_src_ready(&s, o.threads, fname);
  if (ng_dispersion_run(&spec, &s.docs, d, &err) != LECTOR_OK)
    return lk_raise(L, fname, err);
  if (!list) {
    push_row(L, d, 0, 2);
    return 1;
  }
  lua_createtable(L, spec.ntargets < 1000000 ? (int)spec.ntargets : 0, 0);
  for (t = 0; t < spec.ntargets; t++) {
    lua_rawgeti(L, 2, (lua_Integer)t + 1);
    push_row(L, d, t, lua_gettop(L));
    lua_remove(L, -2);
    lua_rawseti(L, -2, (lua_Integer)t + 1);
  }
  return 1;
}
