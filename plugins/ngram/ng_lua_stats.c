/*
** ng_lua_stats.c -- the statistics functions of lector.ngram:
**   ngram.collocations(source [, opts]) -> { {gram =, count =, score =,
**                                            pmi =, llr =, t =, chi2 =} }
**   ngram.keyness(target, reference [, opts])
**                                       -> { {gram =, count =, ref_count =,
**                                            llr =, log_ratio =} }
**   ngram.tfidf(source [, opts])        -> { {doc =, index =, terms =
**                                            { {gram =, tf =, df =,
**                                            tfidf =} } } }
** The measures are defined in ng_stats.h, the formulas in
** docs/statistics.md.
*/
#include <stdio.h>
#include <string.h>

#include "lector/kit.h"
#include "ng_lua.h"
#include "ng_stats.h"

/* ------------------------------------------------------------------------
** Options
*/

/* The count table at idx, or the source at idx counted with the options
** at opts_idx (pushed).  [-0, +(0|1), v] */
static ng_counts *table_or_count(lua_State *L, int idx, int opts_idx,
                                 const char *fname, const char *const *extra,
                                 ng_copts *o) {
  ng_counts *c = ng_lua_counts_test(L, idx);
  if (c) return ng_lua_counts_check(L, idx, fname);
  if (o->by)
    luaL_error(L, "%s: option 'by' does not apply here", fname);
  return ng_count_source(L, idx, opts_idx, fname, extra, o);
}

/* Push a copy of the options at idx without stopwords and stop_mode:
** the full stream.  [-0, +1, m] */
static void opts_without_stop(lua_State *L, int idx) {
  lua_newtable(L);
  lua_pushnil(L);
  while (lua_next(L, idx)) {
    const char *k = lua_tostring(L, -2);         /* keys are strings */
    if (strcmp(k, "stopwords") == 0 || strcmp(k, "stop_mode") == 0 ||
        strcmp(k, "stop_filter") == 0) {
      lua_pop(L, 1);
      continue;
    }
    lua_pushvalue(L, -2);
    lua_insert(L, -2);
    lua_rawset(L, -4);
  }
}

/* stop_filter = "before" (default) or "after": see docs/statistics.md.
** "after" needs a source and stop words in drop mode.  [-0, +0, v] */
static int read_stop_filter(lua_State *L, int idx, const char *fname,
                            const ng_copts *o) {
  static const char *const modes[] = {"before", "after", NULL};
  int after = lk_opt_choice(L, idx, fname, "stop_filter", modes, 0);
  if (!after) return 0;
  if (ng_lua_counts_test(L, 1))
    luaL_error(L, "%s: stop_filter = \"after\" needs a source, not a count "
               "table (the stop words must be known while counting)", fname);
  if (!o->has_stop)
    luaL_error(L, "%s: stop_filter = \"after\" needs stopwords", fname);
  if (!o->spec.drop_stop)
    luaL_error(L, "%s: stop_filter = \"after\" needs stop_mode = \"drop\" "
               "(got \"remove\")", fname);
  return 1;
}

/* ngram.collocations(source [, opts]) -> rows sorted by the measure.
** opts: measure ("llr", "pmi", "t", "chi2"), n (2 or 3), min_count, top,
** stop_filter ("before": score the content grams only; "after": score
** the full stream, then drop the grams with a stop word, as NLTK's
** apply_word_filter), and the counting options when source is not a
** count table.  [-0, +1, v] */
int ng_l_collocations(lua_State *L) {
  static const char fname[] = "ngram.collocations";
  static const char *const extra[] = {"measure", "top", "stop_filter", NULL};
  static const char *const measures[] = {"pmi", "llr", "t", "chi2", NULL};
  static const char *const names[] = {"pmi", "llr", "t", "chi2"};
  ng_copts o;
  ng_counts *c, *keep = NULL;
  ng_guard *g;
  ng_colloc *rows;
  size_t n, i;
  int measure, len, j, after;
  lua_Integer top;
  uint64_t min_count;
  lua_settop(L, 2);
  ng_copts_read(L, 2, fname, extra, &o);
  if (lua_type(L, 2) != LUA_TTABLE || lua_getfield(L, 2, "n") == LUA_TNIL)
    o.spec.nmin = o.spec.nmax = 2;
  lua_settop(L, 2);
  len = o.spec.nmax;
  if (o.spec.nmin != o.spec.nmax || (len != 2 && len != 3))
    return luaL_error(L, "%s: option 'n' must be 2 or 3", fname);
  measure = lk_opt_choice(L, 2, fname, "measure", measures, NG_LLR);
  top = lk_opt_integer(L, 2, fname, "top", 0, 0, LUA_MAXINTEGER);
  after = read_stop_filter(L, 2, fname, &o);
  min_count = o.min_count;
  o.min_count = 1;                     /* marginals need every gram */
  if (ng_lua_counts_test(L, 1))
    ng_copts_no_tokenizer(L, 2, fname, extra, "a count table");
  if (after) {                         /* 3: content grams, 5: full stream */
    ng_copts full = o;
    keep = table_or_count(L, 1, 2, fname, extra, &o);
    opts_without_stop(L, 2);                           /* 4 */
    full.has_stop = 0;
    full.spec.drop_stop = 0;
    c = table_or_count(L, 1, 4, fname, extra, &full);
  } else {
    c = table_or_count(L, 1, 2, fname, extra, &o);
  }
  if (len < c->m.nmin || len > c->m.nmax)
    return luaL_error(L, "%s: the count table has no grams of length %d",
                      fname, len);
  g = ng_guard_new(L);
  if (ng_stats_colloc_in(&c->t, len, min_count, measure, (size_t)top,
                         keep ? &keep->t : NULL, &rows, &n) != 0)
    return luaL_error(L, "%s: out of memory", fname);
  g->mem[0] = rows;
  lua_createtable(L, n < 1000000 ? (int)n : 0, 0);
  for (i = 0; i < n; i++) {
    lua_createtable(L, 0, 7);
    ng_push_gram(L, rows[i].key, rows[i].width);
    lua_setfield(L, -2, "gram");
    lua_pushinteger(L, (lua_Integer)rows[i].count);
    lua_setfield(L, -2, "count");
    lua_pushnumber(L, rows[i].score);
    lua_setfield(L, -2, "score");
    for (j = 0; j < NG_NMEASURES; j++) {
      lua_pushnumber(L, rows[i].m[j]);
      lua_setfield(L, -2, names[j]);
    }
    lua_rawseti(L, -2, (lua_Integer)i + 1);
  }
  return 1;
}

/* Append "n=A vs n=B" style differences of a and b to buf. */
static void describe_n(const ng_meta *m, char *buf, size_t size) {
  if (m->nmin == m->nmax) snprintf(buf, size, "n=%d", m->nmin);
  else snprintf(buf, size, "n={%d, %d}", m->nmin, m->nmax);
}

/* Raise unless a and b were counted the same way (as t:merge demands):
** the same gram lengths (or both holding len, when the call picks one),
** skip, tokenizer options, stop words and their mode, sentences.  The
** message names every difference.  [-0, +0, v] */
static void same_counting(lua_State *L, const ng_counts *a,
                          const ng_counts *b, int len, const char *fname) {
  const char *oa = a->m.options ? a->m.options : "";
  const char *ob = b->m.options ? b->m.options : "";
  int n_ok = len ? (len >= a->m.nmin && len <= a->m.nmax &&
                    len >= b->m.nmin && len <= b->m.nmax)
                 : (a->m.nmin == b->m.nmin && a->m.nmax == b->m.nmax);
  luaL_Buffer buf;
  if (n_ok && a->m.skip == b->m.skip && strcmp(oa, ob) == 0) return;
  luaL_buffinit(L, &buf);
  luaL_addstring(&buf, fname);
  luaL_addstring(&buf, ": the tables were counted differently, so their "
                 "frequencies cannot be compared:");
  if (!n_ok) {
    char x[32], y[32];
    describe_n(&a->m, x, sizeof x);
    describe_n(&b->m, y, sizeof y);
    lua_pushfstring(L, " target %s vs reference %s", x, y);
    luaL_addvalue(&buf);
    if (len) {
      lua_pushfstring(L, " (opts.n = %d must be in both)", len);
      luaL_addvalue(&buf);
    }
    luaL_addchar(&buf, ';');
  }
  if (a->m.skip != b->m.skip) {
    lua_pushfstring(L, " skip=%d vs skip=%d;", a->m.skip, b->m.skip);
    luaL_addvalue(&buf);
  }
  if (strcmp(oa, ob) != 0) {
    lua_pushfstring(L, " options '%s' vs '%s' (tokenizer options, "
                    "stopwords and stop_mode, sentences);", oa, ob);
    luaL_addvalue(&buf);
  }
  luaL_pushresult(&buf);
  lua_error(L);
}

/* ngram.keyness(target, reference [, opts]) -> rows sorted by the signed
** measure, the grams most typical of target first.  opts: measure ("llr",
** "log_ratio"), n (a gram length to keep), min_count (count + ref_count),
** top, and the counting options for sources.  [-0, +1, v] */
int ng_l_keyness(lua_State *L) {
  static const char fname[] = "ngram.keyness";
  static const char *const extra[] = {"measure", "top", NULL};
  static const char *const measures[] = {"llr", "log_ratio", NULL};
  ng_copts o;
  ng_counts *a, *b;
  ng_guard *g;
  ng_keyrow *rows;
  size_t n, i;
  int measure, len = 0;
  lua_Integer top;
  uint64_t min_count;
  lua_settop(L, 3);
  ng_copts_read(L, 3, fname, extra, &o);
  if (lua_type(L, 3) == LUA_TTABLE && lua_getfield(L, 3, "n") == LUA_TNUMBER)
    len = o.spec.nmin;
  lua_settop(L, 3);
  measure = lk_opt_choice(L, 3, fname, "measure", measures, NG_KEY_LLR);
  top = lk_opt_integer(L, 3, fname, "top", 0, 0, LUA_MAXINTEGER);
  min_count = o.min_count;
  o.min_count = 1;
  if (ng_lua_counts_test(L, 1) && ng_lua_counts_test(L, 2))
    ng_copts_no_tokenizer(L, 3, fname, extra, "count tables");
  a = table_or_count(L, 1, 3, fname, extra, &o);
  b = table_or_count(L, 2, 3, fname, extra, &o);
  same_counting(L, a, b, len, fname);
  g = ng_guard_new(L);
  if (ng_stats_keyness(&a->t, &b->t, len, min_count, measure, (size_t)top,
                       &rows, &n) != 0)
    return luaL_error(L, "%s: out of memory", fname);
  g->mem[0] = rows;
  lua_createtable(L, n < 1000000 ? (int)n : 0, 0);
  for (i = 0; i < n; i++) {
    lua_createtable(L, 0, 5);
    ng_push_gram(L, rows[i].key, rows[i].width);
    lua_setfield(L, -2, "gram");
    lua_pushinteger(L, (lua_Integer)rows[i].a);
    lua_setfield(L, -2, "count");
    lua_pushinteger(L, (lua_Integer)rows[i].b);
    lua_setfield(L, -2, "ref_count");
    lua_pushnumber(L, rows[i].llr);
    lua_setfield(L, -2, "llr");
    lua_pushnumber(L, rows[i].log_ratio);
    lua_setfield(L, -2, "log_ratio");
    lua_rawseti(L, -2, (lua_Integer)i + 1);
  }
  return 1;
}

/* ------------------------------------------------------------------------
** TF-IDF
*/

void ng_weighting_read(lua_State *L, int idx, const char *fname,
                       ng_weighting *w) {
  static const char *const tfs[] = {"raw", "log", "bool", NULL};
  static const char *const idfs[] = {"inverse", "plain", "smooth", "none",
                                     NULL};
  int t;
  memset(w, 0, sizeof *w);
  if (lua_type(L, idx) != LUA_TTABLE) return;
  w->tf = lk_opt_choice(L, idx, fname, "tf", tfs, NG_TF_RAW);
  w->idf = lk_opt_choice(L, idx, fname, "idf", idfs, NG_IDF_INVERSE);
  t = lua_getfield(L, idx, "norm");
  if (t == LUA_TSTRING && strcmp(lua_tostring(L, -1), "l2") == 0)
    w->norm = NG_NORM_L2;
  else if (t == LUA_TSTRING && strcmp(lua_tostring(L, -1), "l1") == 0)
    w->norm = NG_NORM_L1;
  else if (t == LUA_TNIL || (t == LUA_TBOOLEAN && !lua_toboolean(L, -1)))
    w->norm = NG_NORM_NONE;
  else
    luaL_error(L, "%s: opts.norm: expected \"l2\", \"l1\" or false, got %s",
               fname, lk_describe(L, -1));
  lua_pop(L, 1);
}

typedef struct tfidf_ctx {
  const ng_spec *spec;
  const ng_table *df;
  uint64_t ndocs;
  ng_weighting w;
  size_t k;
  ng_tfidf *rows;                      /* k per document */
  uint32_t *nrows;                     /* per document */
} tfidf_ctx;

static int tfidf_doc(void *ud, size_t doc, const ng_table *counts,
                     char **err) {
  tfidf_ctx *x = ud;
  size_t n = ng_stats_tfidf_doc(counts, x->spec->nmin, x->spec->nmax, x->df,
                                x->ndocs, &x->w, x->k, x->rows + doc * x->k);
  if (n == SIZE_MAX) {
    *err = lk_errorf("out of memory");
    return LECTOR_ENOMEM;
  }
  x->nrows[doc] = (uint32_t)n;
  return LECTOR_OK;
}

/* Push the terms of document d.  [-0, +1, m] */
static void push_terms(lua_State *L, const tfidf_ctx *x, size_t d) {
  uint32_t j;
  lua_createtable(L, (int)x->nrows[d], 0);
  for (j = 0; j < x->nrows[d]; j++) {
    const ng_tfidf *r = &x->rows[d * x->k + j];
    lua_createtable(L, 0, 4);
    ng_push_gram(L, r->key, NG_MAX_N);
    lua_setfield(L, -2, "gram");
    lua_pushinteger(L, r->tf);
    lua_setfield(L, -2, "tf");
    lua_pushinteger(L, r->df);
    lua_setfield(L, -2, "df");
    lua_pushnumber(L, r->score);
    lua_setfield(L, -2, "tfidf");
    lua_rawseti(L, -2, (lua_Integer)j + 1);
  }
}

/* ngram.tfidf(source [, opts]) -> per document, in order, {doc =, index =,
** terms = {{gram =, tf =, df =, tfidf =}, ...}}: its top (10) grams by
** the weighting of opts.tf, opts.idf, opts.norm (default: tf *
** log10(N / df), as before those options existed).  [-0, +1, v] */
int ng_l_tfidf(lua_State *L) {
  static const char fname[] = "ngram.tfidf";
  static const char *const extra[] = {"top", "tf", "idf", "norm", NULL};
  ng_copts o;
  ng_lua_src s;
  ng_counts *df;
  ng_guard *g;
  ng_tokens tok;
  tfidf_ctx x;
  char *err = NULL;
  size_t d;
  lua_settop(L, 2);
  ng_copts_read(L, 2, fname, extra, &o);
  if (o.by)
    return luaL_error(L, "%s: option 'by' does not apply here", fname);
  x.k = (size_t)lk_opt_integer(L, 2, fname, "top", 10, 1, 100000);
  ng_weighting_read(L, 2, fname, &x.w);
  if (ng_lua_src_get(L, 1, &s) == 0 || s.kind == NG_SRC_TOKENS)
    return luaL_error(L, "%s: argument 1 must be a corpus, a document or a "
                      "string", fname);
  df = ng_count_source(L, 1, 2, fname, extra, &o);     /* 3 */
  g = ng_guard_new(L);                                  /* 4 */
  ng_lua_src_hold(L, 1, &s, g, fname);
  x.spec = &o.spec;
  x.df = &df->t;
  x.ndocs = df->m.docs;
  x.rows = lk_alloc((s.docs.ndocs * x.k + 1) * sizeof *x.rows);
  x.nrows = lk_alloc((s.docs.ndocs + 1) * sizeof *x.nrows);
  g->mem[0] = x.rows;
  g->mem[1] = x.nrows;
  if (!x.rows || !x.nrows) return luaL_error(L, "%s: out of memory", fname);
  memset(x.nrows, 0, (s.docs.ndocs + 1) * sizeof *x.nrows);
  ng_copts_tokens(L, 2, fname, extra, &o, g, &tok);
  memset(&g->job, 0, sizeof g->job);
  g->job.spec = &o.spec;
  g->job.tok = &tok;
  g->job.src = &s.docs;
  g->job.ngroups = 1;
  g->job.doc_fn = tfidf_doc;
  g->job.doc_ud = &x;
  ng_lua_src_stream(&s, &tok);
  ng_lua_src_ready(&s, o.threads, fname);
  if (ng_count_run(&g->job, &err) != LECTOR_OK) return lk_raise(L, fname, err);
  lua_createtable(L, (int)s.docs.ndocs, 0);
  for (d = 0; d < s.docs.ndocs; d++) {
    lua_createtable(L, 0, 3);
    ng_lua_src_push_id(L, &s, d);
    lua_setfield(L, -2, "doc");
    lua_pushinteger(L, (lua_Integer)(s.first + d + 1));
    lua_setfield(L, -2, "index");
    push_terms(L, &x, d);
    lua_setfield(L, -2, "terms");
    lua_rawseti(L, -2, (lua_Integer)d + 1);
  }
  return 1;
}
