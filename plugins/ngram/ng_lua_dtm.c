/*
** ng_lua_dtm.c -- the document-term matrix of lector.ngram:
**
**   ngram.dtm(source [, opts])   -> matrix: a row per document (or per
**                                   group with opts.by), a column per term
**   m:dims() -> rows, cols       #m -> rows      m:nnz()
**   m:terms() -> {term, ...}     m:term(j)       m:col(term) -> j or nil
**   m:rownames() -> {id, ...}    m:row(i) -> {term = value}
**   m:get(i, term_or_j) -> value m:df(term_or_j) -> rows with the term
**   m:weighted() -> boolean      m:memory() -> bytes
**   m:tfidf([opts]) -> matrix    (tf, idf, norm: ng_stats.h)
**   m:save_mm(prefix)            prefix.mtx, prefix.rows.csv, prefix.cols.txt
**   m:close()
**
** opts of ngram.dtm: n, min_df, max_df, min_count, by, sentences,
** stopwords, stop_mode, threads and the tokenizer options.  min_df and
** max_df are counts of rows when integers and proportions of the rows
** when floats (as scikit-learn's CountVectorizer: 1 is one row, 1.0 all).
**
** The matrix keeps its source (user value 1: the corpus, document or
** string) for the row metadata save_mm writes, and the group keys (user
** value 2) with by.
*/
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "lector/kit.h"
#include "ng_dtm.h"
#include "ng_format.h"
#include "ng_lua.h"
#include "ng_order.h"

#define NG_DTM_MT "lector.ngram.dtm"

typedef struct dtm_ud {
  ng_dtm m;
  int kind;                    /* NG_SRC_* of the source */
  size_t first;                /* a document source: its index */
  int grouped;                 /* rows are groups (user value 2: keys) */
  uint32_t *row_docs;          /* grouped: documents per row */
  int closed;
} dtm_ud;

static dtm_ud *dtm_check(lua_State *L, int idx, const char *fname) {
  dtm_ud *d = luaL_checkudata(L, idx, NG_DTM_MT);
  if (d->closed) luaL_error(L, "%s: the matrix is closed", fname);
  return d;
}

/* Push a new, empty matrix with 2 user values.  [-0, +1, m] */
static dtm_ud *dtm_new(lua_State *L) {
  dtm_ud *d = lua_newuserdatauv(L, sizeof *d, 2);
  memset(d, 0, sizeof *d);
  luaL_setmetatable(L, NG_DTM_MT);
  return d;
}

/* ------------------------------------------------------------------------
** Building
*/

/* min_df / max_df: an integer count of rows (>= 0) or a float proportion
** in [0, 1], as an absolute bound over nrows rows.  [-0, +0, v] */
static double df_bound(lua_State *L, int idx, const char *fname,
                       const char *key, double dflt, size_t nrows) {
  int t, isint;
  double v = dflt;
  if (lua_type(L, idx) != LUA_TTABLE) return dflt;
  t = lua_getfield(L, idx, key);
  if (t == LUA_TNUMBER) {
    lua_Integer i = lua_tointegerx(L, -1, &isint);
    if (lua_isinteger(L, -1) && isint && i >= 0) v = (double)i;
    else if (!lua_isinteger(L, -1) && lua_tonumber(L, -1) >= 0 &&
             lua_tonumber(L, -1) <= 1)
      v = lua_tonumber(L, -1) * (double)nrows;
    else t = LUA_TNONE;
  }
  if (t != LUA_TNUMBER && t != LUA_TNIL)
    luaL_error(L, "%s: opts.%s: expected a count of documents (an integer "
               ">= 0) or a proportion of them (a float from 0.0 to 1.0), "
               "got %s", fname, key, lk_describe(L, -1));
  lua_pop(L, 1);
  return v;
}

static int dtm_doc(void *ud, size_t doc, const ng_table *counts,
                   char **err) {
  return ng_dtm_build_doc(ud, doc, counts, err);
}

static void build_release(void *p) {
  ng_dtm_build_free(p);
  lk_free(p);
}

/* Documents of each group.  Lua thread.  NULL on out of memory. */
static uint32_t *docs_per_group(const lector_groups *gr) {
  uint32_t *n = lk_alloc((gr->ngroups + 1) * sizeof *n);
  size_t i, x;
  if (!n) return NULL;
  memset(n, 0, (gr->ngroups + 1) * sizeof *n);
  for (i = 0; i < gr->ndocs; i++) {
    if (gr->multi) {
      for (x = gr->first[i]; x < gr->first[i + 1]; x++) n[gr->member[x]]++;
    } else if (gr->group[i] >= 0) {
      n[gr->group[i]]++;
    }
  }
  return n;
}

/* Raise the out-of-memory error of a build: what it held, what to
** change (the counting engine's message speaks of count tables).  Frees
** err.  [-0, +0, v] */
static void oom_error(lua_State *L, const ng_dtm_build *b, char *err,
                      const char *fname) {
  size_t d, docs = 0;
  double bytes = 0;
  lk_free(err);
  for (d = 0; d < b->ndocs; d++)
    if (b->ent[d]) {
      docs++;
      bytes += (double)b->nent[d] * (b->nmax + 1) * sizeof(uint32_t);
    }
  luaL_error(L, "%s: out of memory after keeping the terms of %I of %I "
             "documents (%I MB: each document's distinct grams are kept "
             "until the matrix is made, and the matrix must fit in "
             "memory); raise --memory-limit or use a smaller n",
             fname, (LUAI_UACINT)docs, (LUAI_UACINT)b->ndocs,
             (LUAI_UACINT)(bytes / 1e6 + 0.5));
}

/* ngram.dtm(source [, opts]) -> matrix.  [-0, +1, v] */
int ng_l_dtm(lua_State *L) {
  static const char fname[] = "ngram.dtm";
  static const char *const extra[] = {"min_df", "max_df", NULL};
  const lector_groups *groups = NULL;
  ng_dtm_rows rows = {0, NULL, NULL, NULL};
  ng_copts o;
  ng_lua_src s;
  ng_guard *g;
  ng_tokens tok;
  ng_dtm_build *b;
  dtm_ud *d;
  double lo, hi;
  char *err = NULL;
  int kind, keys_idx = 0, rc;
  size_t nrows;
  lua_settop(L, 2);
  ng_copts_read(L, 2, fname, extra, &o);
  if (lua_type(L, 2) == LUA_TTABLE) {      /* counting's keys that do not fit */
    static const char *const no[] = {"memory", "tmpdir", NULL};
    int i;
    for (i = 0; no[i]; i++)
      if (lua_getfield(L, 2, no[i]) != LUA_TNIL)
        return luaL_error(L, "%s: option '%s' does not apply here (the "
                          "matrix is made in memory; see --memory-limit)",
                          fname, no[i]);
    lua_settop(L, 2);
  }
  kind = ng_lua_src_get(L, 1, &s);
  if (!kind || kind == NG_SRC_TOKENS)
    return luaL_error(L, "%s: argument 1 must be a corpus, a document or a "
                      "string (got %s)", fname, luaL_typename(L, 1));
  if (o.by && kind != NG_SRC_CORPUS)
    return luaL_error(L, "%s: option 'by' needs a corpus", fname);
  g = ng_guard_new(L);                                 /* 3 */
  ng_lua_src_hold(L, 1, &s, g, fname);
  if (o.by) {
    lua_getfield(L, 2, "by");                          /* 4 */
    groups = lk_host->group_keys(L, 1, 4, fname);      /* 5: owner, 6: keys */
    keys_idx = lua_gettop(L);
    rows.nrows = groups->ngroups;
    rows.group = groups->group;
    if (groups->multi) {
      rows.first = groups->first;
      rows.member = groups->member;
    }
  }
  nrows = groups ? groups->ngroups : s.docs.ndocs;
  lo = df_bound(L, 2, fname, "min_df", 1, nrows);
  hi = df_bound(L, 2, fname, "max_df", (double)nrows, nrows);
  if (hi < lo && nrows > 0)
    return luaL_error(L, "%s: max_df (%f documents) is below min_df (%f "
                      "documents): no term could be kept", fname, hi, lo);
  ng_copts_tokens(L, 2, fname, extra, &o, g, &tok);
  b = lk_alloc(sizeof *b);
  if (!b) return luaL_error(L, "%s: out of memory", fname);
  memset(b, 0, sizeof *b);
  lk_guard_add(L, g->lk, build_release, b);
  if (ng_dtm_build_init(b, s.docs.ndocs, o.spec.nmin, o.spec.nmax, &err) !=
      LECTOR_OK)
    return lk_raise(L, fname, err);
  memset(&g->job, 0, sizeof g->job);
  g->job.spec = &o.spec;
  g->job.tok = &tok;
  g->job.src = &s.docs;
  g->job.ngroups = 1;
  g->job.doc_fn = dtm_doc;
  g->job.doc_ud = b;
  ng_lua_src_stream(&s, &tok);
  ng_lua_src_ready(&s, o.threads, fname);
  if ((rc = ng_count_run(&g->job, &err)) != LECTOR_OK) {
    if (rc == LECTOR_ENOMEM) oom_error(L, b, err, fname);
    return lk_raise(L, fname, err);
  }
  d = dtm_new(L);
  d->kind = kind;
  d->first = s.first;
  if (groups) {
    d->grouped = 1;
    if (!(d->row_docs = docs_per_group(groups)))
      return luaL_error(L, "%s: out of memory", fname);
  }
  if (ng_dtm_finish(b, groups ? &rows : NULL, lo, hi, o.min_count, &d->m,
                    &err) != LECTOR_OK)
    return lk_raise(L, fname, err);
  lua_pushvalue(L, 1);
  lua_setiuservalue(L, -2, 1);
  if (keys_idx) {
    lua_pushvalue(L, keys_idx);
    lua_setiuservalue(L, -2, 2);
  }
  return 1;
}

/* ------------------------------------------------------------------------
** Accessors
*/

/* Push the term of column j (0-based).  [-0, +1, m] */
static void push_term(lua_State *L, const ng_dtm *m, uint32_t j) {
  ng_push_gram(L, m->keys + (size_t)j * m->width, m->width);
}

/* The column (0-based) named by the value at idx: a term (a string) or a
** column number (1-based); -1 for an unknown term.  [-0, +0, v] */
static int64_t col_arg(lua_State *L, const dtm_ud *d, int idx,
                       const char *fname) {
  uint32_t key[NG_MAX_N];
  if (lua_type(L, idx) == LUA_TNUMBER) {
    lua_Integer j = luaL_checkinteger(L, idx);
    if (j < 1 || j > (lua_Integer)d->m.ncols)
      luaL_error(L, "%s: column %I is out of range (1..%I)", fname,
                 (LUAI_UACINT)j, (LUAI_UACINT)d->m.ncols);
    return j - 1;
  }
  if (lua_type(L, idx) != LUA_TSTRING)
    luaL_error(L, "%s: a term (a string) or a column number expected, got "
               "%s", fname, luaL_typename(L, idx));
  {
    size_t n;
    const char *s = lua_tolstring(L, idx, &n);
    if (ng_gram_parse(s, n, key, d->m.width, lk_host->vocab_lookup) <= 0)
      return -1;
  }
  return ng_dtm_find_col(&d->m, key);
}

/* The row (0-based) at idx, checked.  [-0, +0, v] */
static size_t row_arg(lua_State *L, const dtm_ud *d, int idx,
                      const char *fname) {
  lua_Integer i = luaL_checkinteger(L, idx);
  if (i < 1 || (lua_Unsigned)i > d->m.nrows)
    luaL_error(L, "%s: row %I is out of range (1..%I)", fname, (LUAI_UACINT)i,
               (LUAI_UACINT)d->m.nrows);
  return (size_t)(i - 1);
}

/* Push value v of the matrix (an integer for counts).  [-0, +1, -] */
static void push_value(lua_State *L, const dtm_ud *d, double v) {
  if (d->m.weighted) lua_pushnumber(L, v);
  else lua_pushinteger(L, (lua_Integer)v);
}

static int m_dims(lua_State *L) {
  dtm_ud *d = dtm_check(L, 1, "dims");
  lua_pushinteger(L, (lua_Integer)d->m.nrows);
  lua_pushinteger(L, (lua_Integer)d->m.ncols);
  return 2;
}

static int m_len(lua_State *L) {
  dtm_ud *d = dtm_check(L, 1, "#");
  lua_pushinteger(L, (lua_Integer)d->m.nrows);
  return 1;
}

static int m_nnz(lua_State *L) {
  dtm_ud *d = dtm_check(L, 1, "nnz");
  lua_pushinteger(L, (lua_Integer)d->m.nnz);
  return 1;
}

static int m_weighted(lua_State *L) {
  dtm_ud *d = dtm_check(L, 1, "weighted");
  lua_pushboolean(L, d->m.weighted);
  return 1;
}

static int m_memory(lua_State *L) {
  dtm_ud *d = dtm_check(L, 1, "memory");
  lua_pushinteger(L, (lua_Integer)ng_dtm_memory(&d->m));
  return 1;
}

/* m:terms() -> {term, ...} in column order.  [-0, +1, m] */
static int m_terms(lua_State *L) {
  dtm_ud *d = dtm_check(L, 1, "terms");
  uint32_t j;
  lua_createtable(L, d->m.ncols < 1000000 ? (int)d->m.ncols : 0, 0);
  for (j = 0; j < d->m.ncols; j++) {
    push_term(L, &d->m, j);
    lua_rawseti(L, -2, (lua_Integer)j + 1);
  }
  return 1;
}

/* m:term(j) -> the term of column j.  [-0, +1, v] */
static int m_term(lua_State *L) {
  dtm_ud *d = dtm_check(L, 1, "term");
  lua_Integer j = luaL_checkinteger(L, 2);
  if (j < 1 || j > (lua_Integer)d->m.ncols)
    return luaL_error(L, "term: column %I is out of range (1..%I)",
                      (LUAI_UACINT)j, (LUAI_UACINT)d->m.ncols);
  push_term(L, &d->m, (uint32_t)(j - 1));
  return 1;
}

static int m_col(lua_State *L) {
  dtm_ud *d = dtm_check(L, 1, "col");
  int64_t j;
  luaL_checkstring(L, 2);
  j = col_arg(L, d, 2, "col");
  if (j < 0) lua_pushnil(L);
  else lua_pushinteger(L, (lua_Integer)j + 1);
  return 1;
}

static int m_df(lua_State *L) {
  dtm_ud *d = dtm_check(L, 1, "df");
  int64_t j = col_arg(L, d, 2, "df");
  lua_pushinteger(L, j < 0 ? 0 : (lua_Integer)d->m.df[j]);
  return 1;
}

/* Push the name of row r: a document id, a group key, or r + 1 for a
** string.  The source must be open (checked by the caller).
** [-0, +1, m] */
static void push_rowname(lua_State *L, int ud_idx, const dtm_ud *d,
                         const ng_lua_src *s, size_t r) {
  if (d->grouped) {
    lua_getiuservalue(L, ud_idx, 2);
    lua_rawgeti(L, -1, (lua_Integer)r + 1);
    lua_remove(L, -2);
  } else if (s->corpus) {
    ng_lua_src_push_id(L, s, r);
  } else {
    lua_pushinteger(L, (lua_Integer)r + 1);
  }
}

/* The source of the matrix at ud_idx into s; raises when its corpus was
** closed.  [-0, +0, v] */
static void source_of(lua_State *L, int ud_idx, const dtm_ud *d,
                      ng_lua_src *s, const char *fname) {
  lua_getiuservalue(L, ud_idx, 1);
  if (ng_lua_src_get(L, -1, s) != d->kind)
    luaL_error(L, "%s: the matrix's corpus is closed", fname);
  if (s->kind == NG_SRC_STRING) s->str = NULL;   /* not kept past the pop */
  lua_pop(L, 1);
}

static int m_rownames(lua_State *L) {
  dtm_ud *d = dtm_check(L, 1, "rownames");
  ng_lua_src s;
  size_t r;
  source_of(L, 1, d, &s, "rownames");
  lua_createtable(L, d->m.nrows < 1000000 ? (int)d->m.nrows : 0, 0);
  for (r = 0; r < d->m.nrows; r++) {
    push_rowname(L, 1, d, &s, r);
    lua_rawseti(L, -2, (lua_Integer)r + 1);
  }
  return 1;
}

/* m:row(i) -> {term = value} of row i's nonzero entries.  [-0, +1, m] */
static int m_row(lua_State *L) {
  dtm_ud *d = dtm_check(L, 1, "row");
  size_t r = row_arg(L, d, 2, "row");
  uint64_t k, a = d->m.rowptr[r], z = d->m.rowptr[r + 1];
  lua_createtable(L, 0, z - a < 1000000 ? (int)(z - a) : 0);
  for (k = a; k < z; k++) {
    push_term(L, &d->m, d->m.col[k]);
    push_value(L, d, d->m.val[k]);
    lua_rawset(L, -3);
  }
  return 1;
}

static int m_get(lua_State *L) {
  dtm_ud *d = dtm_check(L, 1, "get");
  size_t r = row_arg(L, d, 2, "get");
  int64_t j = col_arg(L, d, 3, "get");
  uint64_t lo = d->m.rowptr[r], hi = d->m.rowptr[r + 1];
  while (j >= 0 && lo < hi) {                     /* columns ascend */
    uint64_t mid = lo + (hi - lo) / 2;
    if (d->m.col[mid] == (uint32_t)j) {
      push_value(L, d, d->m.val[mid]);
      return 1;
    }
    if (d->m.col[mid] < (uint32_t)j) lo = mid + 1;
    else hi = mid;
  }
  push_value(L, d, 0);
  return 1;
}

/* m:tfidf([opts]) -> a new, weighted matrix of the same rows and
** columns.  [-0, +1, v] */
static int m_tfidf(lua_State *L) {
  static const char *const known[] = {"tf", "idf", "norm", NULL};
  dtm_ud *d = dtm_check(L, 1, "tfidf"), *w;
  ng_weighting wt;
  char *err = NULL;
  lua_settop(L, 2);
  lk_opt_check(L, 2, "tfidf", known, NULL);
  ng_weighting_read(L, 2, "tfidf", &wt);
  if (d->m.weighted)
    return luaL_error(L, "tfidf: the matrix is already weighted (call "
                      "tfidf on the count matrix)");
  w = dtm_new(L);
  w->kind = d->kind;
  w->first = d->first;
  w->grouped = d->grouped;
  if (d->row_docs) {
    w->row_docs = lk_alloc((d->m.nrows + 1) * sizeof *w->row_docs);
    if (!w->row_docs) return luaL_error(L, "tfidf: out of memory");
    memcpy(w->row_docs, d->row_docs, d->m.nrows * sizeof *w->row_docs);
  }
  if (ng_dtm_tfidf(&d->m, &wt, &w->m, &err) != LECTOR_OK)
    return lk_raise(L, "tfidf", err);
  lua_getiuservalue(L, 1, 1);
  lua_setiuservalue(L, -2, 1);
  lua_getiuservalue(L, 1, 2);
  lua_setiuservalue(L, -2, 2);
  return 1;
}

/* ------------------------------------------------------------------------
** Matrix Market files
*/

typedef struct mm_out {
  lector_output *o;
  FILE *f;
} mm_out;

/* Open prefix .. suffix for writing, owned by guard g (aborted unless
** committed).  inputs: the source's files, refused as outputs.
** [-0, +0, v] */
static void mm_open(lua_State *L, lk_guard *g, const char *prefix,
                    const char *suffix, const char *const *inputs,
                    size_t ninputs, mm_out *out) {
  char *err = NULL;
  const char *path = lua_pushfstring(L, "%s%s", prefix, suffix);
  out->o = lk_host->output_open(path, inputs, ninputs, &err);
  lua_pop(L, 1);
  if (!out->o) lk_raise(L, "save_mm", err);
  lk_guard_output(L, g, out->o);
  out->f = lk_host->output_file(out->o);
}

static void mm_commit(lua_State *L, lk_guard *g, mm_out *out) {
  char *err = NULL;
  lk_guard_forget(g, out->o);
  if (lk_host->output_commit(out->o, &err) != LECTOR_OK)
    lk_raise(L, "save_mm", err);
}

static void poll_interrupt(lua_State *L, uint64_t i) {
  if (i % NG_POLL_EVERY == 0 && lk_interrupted())
    luaL_error(L, "save_mm: interrupted");
}

static void write_mtx(lua_State *L, const dtm_ud *d, FILE *f) {
  size_t r;
  uint64_t k;
  fprintf(f, "%%%%MatrixMarket matrix coordinate %s general\n",
          d->m.weighted ? "real" : "integer");
  fprintf(f, "%% written by lector's ngram.dtm: rows are documents (.rows."
          "csv), columns terms (.cols.txt), 1-based\n");
  fprintf(f, "%zu %u %llu\n", d->m.nrows, (unsigned)d->m.ncols,
          (unsigned long long)d->m.nnz);
  for (r = 0; r < d->m.nrows; r++) {
    poll_interrupt(L, r);
    for (k = d->m.rowptr[r]; k < d->m.rowptr[r + 1]; k++) {
      if (d->m.weighted)
        fprintf(f, "%zu %u %.17g\n", r + 1, (unsigned)d->m.col[k] + 1,
                d->m.val[k]);
      else
        fprintf(f, "%zu %u %.0f\n", r + 1, (unsigned)d->m.col[k] + 1,
                d->m.val[k]);
    }
  }
}

static void write_cols(lua_State *L, const dtm_ud *d, FILE *f) {
  uint32_t j;
  for (j = 0; j < d->m.ncols; j++) {
    size_t n;
    const char *s;
    poll_interrupt(L, j);
    push_term(L, &d->m, j);
    s = lua_tolstring(L, -1, &n);
    fwrite(s, 1, n, f);
    fputc('\n', f);
    lua_pop(L, 1);
  }
}

/* Write the value at idx as a CSV field: strings, numbers and booleans
** as Lua prints them, a list as its items joined with "; ", anything
** else empty.  [-0, +0, m] */
static void csv_value(lua_State *L, int idx, FILE *f) {
  luaL_Buffer b;
  lua_Integer i, n;
  size_t len;
  const char *s;
  idx = lua_absindex(L, idx);
  switch (lua_type(L, idx)) {
    case LUA_TSTRING: case LUA_TNUMBER: case LUA_TBOOLEAN:
      s = luaL_tolstring(L, idx, &len);
      ng_csv_field(f, s, len);
      lua_pop(L, 1);
      return;
    case LUA_TTABLE:
      luaL_buffinit(L, &b);
      n = (lua_Integer)lua_rawlen(L, idx);
      for (i = 1; i <= n; i++) {
        int t = lua_rawgeti(L, idx, i);
        if (t == LUA_TSTRING || t == LUA_TNUMBER || t == LUA_TBOOLEAN) {
          luaL_tolstring(L, -1, NULL);
          lua_remove(L, -2);
          if (i > 1) {
            lua_pushliteral(L, "; ");
            lua_insert(L, -2);
            lua_concat(L, 2);
          }
          luaL_addvalue(&b);
        } else {
          lua_pop(L, 1);
        }
      }
      luaL_pushresult(&b);
      s = lua_tolstring(L, -1, &len);
      ng_csv_field(f, s, len);
      lua_pop(L, 1);
      return;
    default:
      return;
  }
}

static int str_less(const void *a, const void *b) {
  return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The metadata keys of the documents of s (not the fixed columns), sorted,
** as a Lua list pushed.  [-0, +1, m] */
static void meta_keys(lua_State *L, const ng_lua_src *s, size_t nrows) {
  static const char *const fixed[] = {"row", "id", "index", "path", "title",
                                      "date", NULL};
  size_t r, n = 0, i;
  const char **keys;
  int set;
  lua_newtable(L);
  set = lua_gettop(L);
  for (r = 0; r < nrows; r++) {
    poll_interrupt(L, r);
    lk_host->doc_meta_push(L, s->corpus, s->first + r);
    lua_pushnil(L);
    while (lua_next(L, -2)) {
      lua_pop(L, 1);
      if (lua_type(L, -1) == LUA_TSTRING) {
        const char *k = lua_tostring(L, -1);
        int j, skip = 0;
        for (j = 0; fixed[j]; j++) skip |= strcmp(k, fixed[j]) == 0;
        if (!skip) {
          lua_pushvalue(L, -1);
          lua_pushboolean(L, 1);
          lua_rawset(L, set);
        }
      }
    }
    lua_pop(L, 1);
  }
  lua_pushnil(L);
  while (lua_next(L, set)) { lua_pop(L, 1); n++; }
  keys = lua_newuserdatauv(L, (n + 1) * sizeof *keys, 0);
  i = 0;
  lua_pushnil(L);
  while (lua_next(L, set)) {
    lua_pop(L, 1);
    keys[i++] = lua_tostring(L, -1);          /* anchored by the set */
  }
  qsort(keys, n, sizeof *keys, str_less);
  lua_createtable(L, (int)n, 0);
  for (i = 0; i < n; i++) {
    lua_pushstring(L, keys[i]);
    lua_rawseti(L, -2, (lua_Integer)i + 1);
  }
  lua_replace(L, set);
  lua_pop(L, 1);                                  /* the array */
}

static void write_rows(lua_State *L, int ud_idx, const dtm_ud *d,
                       const ng_lua_src *s, FILE *f) {
  size_t r;
  lua_Integer j, nk = 0;
  int keys = 0;
  if (d->grouped) {
    fputs("row,key,docs\n", f);
  } else if (s->corpus) {
    meta_keys(L, s, d->m.nrows);
    keys = lua_gettop(L);
    nk = (lua_Integer)lua_rawlen(L, keys);
    fputs("row,id,index,path,title,date", f);
    for (j = 1; j <= nk; j++) {
      size_t n;
      const char *k;
      lua_rawgeti(L, keys, j);
      k = lua_tolstring(L, -1, &n);
      fputc(',', f);
      ng_csv_field(f, k, n);
      lua_pop(L, 1);
    }
    fputc('\n', f);
  } else {
    fputs("row,id\n", f);
  }
  for (r = 0; r < d->m.nrows; r++) {
    lector_doc_info info;
    poll_interrupt(L, r);
    fprintf(f, "%zu,", r + 1);
    if (d->grouped) {
      push_rowname(L, ud_idx, d, s, r);
      csv_value(L, -1, f);
      lua_pop(L, 1);
      fprintf(f, ",%u", (unsigned)d->row_docs[r]);
    } else if (s->corpus &&
               lk_host->doc_info(s->corpus, s->first + r, &info) ==
                   LECTOR_OK) {
      ng_csv_field(f, info.id, strlen(info.id));
      fprintf(f, ",%zu,", s->first + r + 1);
      ng_csv_field(f, info.path, strlen(info.path));
      fputc(',', f);
      ng_csv_field(f, info.title, strlen(info.title));
      fputc(',', f);
      ng_csv_field(f, info.date, strlen(info.date));
      lk_host->doc_meta_push(L, s->corpus, s->first + r);
      for (j = 1; j <= nk; j++) {
        fputc(',', f);
        lua_rawgeti(L, keys, j);
        lua_rawget(L, -2);
        csv_value(L, -1, f);
        lua_pop(L, 1);
      }
      lua_pop(L, 1);
    }
    fputc('\n', f);
  }
  if (keys) lua_pop(L, 1);
}

/* The distinct files of s's documents (the inputs an output may not
** replace), as a userdata array anchored on the stack with the strings
** (owned by the corpus).  [-0, +1, m] */
static const char **input_paths(lua_State *L, const ng_lua_src *s,
                                size_t ndocs, size_t *n) {
  const char **p;
  size_t r;
  *n = 0;
  p = lua_newuserdatauv(L, (ndocs + 1) * sizeof *p, 0);
  for (r = 0; s->corpus && r < ndocs; r++) {
    lector_doc_info info;
    if (lk_host->doc_info(s->corpus, s->first + r, &info) != LECTOR_OK)
      continue;
    if (*n && strcmp(p[*n - 1], info.path) == 0) continue;  /* rows of a table */
    p[(*n)++] = info.path;
  }
  return p;
}

/* m:save_mm(prefix): prefix.mtx (Matrix Market), prefix.rows.csv,
** prefix.cols.txt, each written to a temporary file and renamed when
** complete; none may be one of the source's files.  [-0, +0, v] */
static int m_save_mm(lua_State *L) {
  dtm_ud *d = dtm_check(L, 1, "save_mm");
  const char *prefix = luaL_checkstring(L, 2);
  const char **inputs;
  size_t ninputs, ndocs;
  ng_lua_src s;
  mm_out mtx, rows, cols;
  lk_guard *g;
  if (!*prefix) return luaL_error(L, "save_mm: the prefix is empty");
  lua_settop(L, 2);
  source_of(L, 1, d, &s, "save_mm");
  ndocs = d->grouped || !s.corpus ? s.docs.ndocs : d->m.nrows;
  if (!d->grouped && s.corpus && s.docs.ndocs != d->m.nrows)
    return luaL_error(L, "save_mm: the corpus no longer has the matrix's "
                      "%I documents", (LUAI_UACINT)d->m.nrows);
  g = lk_guard_new(L);                                /* 3 */
  lk_guard_corpus(L, g, s.corpus);
  inputs = input_paths(L, &s, ndocs, &ninputs);       /* 4 */
  mm_open(L, g, prefix, ".mtx", inputs, ninputs, &mtx);
  mm_open(L, g, prefix, ".rows.csv", inputs, ninputs, &rows);
  mm_open(L, g, prefix, ".cols.txt", inputs, ninputs, &cols);
  write_mtx(L, d, mtx.f);
  write_cols(L, d, cols.f);
  write_rows(L, 1, d, &s, rows.f);
  mm_commit(L, g, &mtx);
  mm_commit(L, g, &rows);
  mm_commit(L, g, &cols);
  return 0;
}

/* ------------------------------------------------------------------------
** Life
*/

static int m_close(lua_State *L) {
  dtm_ud *d = luaL_checkudata(L, 1, NG_DTM_MT);
  if (d->closed) return 0;
  d->closed = 1;
  ng_dtm_free(&d->m);
  lk_free(d->row_docs);
  d->row_docs = NULL;
  return 0;
}

static int m_tostring(lua_State *L) {
  dtm_ud *d = luaL_checkudata(L, 1, NG_DTM_MT);
  if (d->closed) lua_pushliteral(L, "ngram.dtm (closed)");
  else
    lua_pushfstring(L, "ngram.dtm (%I rows x %I terms, %I entries%s)",
                    (LUAI_UACINT)d->m.nrows, (LUAI_UACINT)d->m.ncols,
                    (LUAI_UACINT)d->m.nnz, d->m.weighted ? ", weighted" : "");
  return 1;
}

void ng_lua_dtm_open(lua_State *L) {
  static const luaL_Reg meta[] = {
    {"__gc", m_close}, {"__close", m_close}, {"__len", m_len},
    {"__tostring", m_tostring}, {NULL, NULL}
  };
  static const luaL_Reg methods[] = {
    {"dims", m_dims}, {"nnz", m_nnz}, {"terms", m_terms}, {"term", m_term},
    {"col", m_col}, {"df", m_df}, {"rownames", m_rownames}, {"row", m_row},
    {"get", m_get}, {"weighted", m_weighted}, {"memory", m_memory},
    {"tfidf", m_tfidf}, {"save_mm", m_save_mm}, {"close", m_close},
    {NULL, NULL}
  };
  luaL_newmetatable(L, NG_DTM_MT);
  luaL_setfuncs(L, meta, 0);
  luaL_newlib(L, methods);
  lua_setfield(L, -2, "__index");
  lua_pop(L, 1);
}
