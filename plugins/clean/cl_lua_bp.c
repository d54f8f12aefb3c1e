/*
** cl_lua_bp.c -- clean.boilerplate(corpus [, opts]): two passes of the
** host's document pool.  The first collects each document's distinct
** line hashes (cl_bp_hashes); their table gives the lines repeated in at
** least max(min_docs, share * #corpus) documents.  The second marks each
** document's boilerplate lines (cl_bp_classify).
**
** opts: share (0.01), min_docs (3), max_words (30), edges (true: the
**       start/end rules), add = {line, ...} (always boilerplate),
**       keep = {line, ...} (never), threads.  Lines in add/keep are
**       compared normalised (digits, white space, case).
** Result: { {line =, docs =, where = "start"|"end"|"body", doc =}, ... }
**   most documents first; line is the first occurrence as written, doc
**   the index of the document it is in; fields lines (lines found),
**   docs (documents with any), min_docs (what made a line repeated).
*/
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "lector/kit.h"
#include "cl_config.h"
#include "cl_plugin.h"

/* One worker of either pass. */
typedef struct bp_worker {
  cl_lines ls;
  uint64_t *h;            /* pass 1: line hashes */
  size_t nh, caph;
  uint8_t *where;         /* pass 2: marks of one document's lines */
  size_t capw;
  cl_hit *hit;            /* pass 2: lines found */
  size_t nhit, caphit;
  const cl_bp_rules *rules;
  unsigned max_words;
} bp_worker;

typedef struct bp_run {
  int nw;
  bp_worker *w;
  void **ctx;
  uint64_t *all, *keep;   /* every document's hashes; the keep list */
  cl_bp_rules rules;
} bp_run;

static void run_free(void *p) {
  bp_run *r = p;
  for (int k = 0; r->w && k < r->nw; k++) {
    cl_lines_free(&r->w[k].ls);
    lk_free(r->w[k].h);
    lk_free(r->w[k].where);
    lk_free(r->w[k].hit);
  }
  lk_free(r->w);
  lk_free(r->ctx);
  lk_free(r->all);
  lk_free(r->keep);
  lk_free(r);
}

void cl_bp_found_free(void *p) {
  cl_bp_found *f = p;
  if (!f) return;
  lk_free(f->hit);
  lk_free(f->first);
  lk_free(f);
}

static int pass1(void *ctx, size_t i, const lector_text *t, char **err) {
  bp_worker *w = ctx;
  (void)i;
  int rc = cl_bp_lines(t->data, t->len, &w->ls, err);
  return rc ? rc : cl_bp_hashes(&w->ls, w->max_words, &w->h, &w->nh,
                                &w->caph, err);
}

static int pass2(void *ctx, size_t i, const lector_text *t, char **err) {
  bp_worker *w = ctx;
  int rc = cl_bp_lines(t->data, t->len, &w->ls, err);
  if (rc) return rc;
  uint8_t *m = lk_grow(w->where, &w->capw, w->ls.n + 1, 1);
  if (!m) goto oom;
  w->where = m;
  if (!cl_bp_classify(w->rules, &w->ls, m)) return LECTOR_OK;
  for (size_t k = 0; k < w->ls.n; k++) {
    if (!m[k]) continue;
    cl_hit *h = lk_grow(w->hit, &w->caphit, w->nhit + 1, sizeof *h);
    if (!h) goto oom;
    w->hit = h;
    h[w->nhit++] = (cl_hit){w->ls.v[k].hash, (uint32_t)i, w->ls.v[k].off,
                            w->ls.v[k].len, m[k]};
  }
  return LECTOR_OK;
oom:
  *err = lk_errorf("out of memory (%zu boilerplate lines)", w->nhit + 1);
  return LECTOR_ENOMEM;
}

/* The hashes of the list of lines at field key of the options at oidx,
** sorted and distinct (NULL when absent).  [-0, +0, v] */
static uint64_t *line_list(lua_State *L, lk_guard *g, int oidx,
                           const char *key, const char *fname, size_t *n) {
  *n = 0;
  if (lua_type(L, oidx) != LUA_TTABLE) return NULL;
  if (lua_getfield(L, oidx, key) == LUA_TNIL) {
    lua_pop(L, 1);
    return NULL;
  }
  if (!lua_istable(L, -1))
    luaL_error(L, "%s: opts.%s: expected a list of lines, got %s", fname, key,
               lk_describe(L, -1));
  size_t len = lua_rawlen(L, -1);
  uint64_t *v = lk_guard_alloc(L, g, (len ? len : 1) * sizeof *v);
  for (size_t i = 0; i < len; i++) {
    size_t sl;
    if (lua_rawgeti(L, -1, (lua_Integer)i + 1) != LUA_TSTRING)
      luaL_error(L, "%s: opts.%s[%I]: expected a line (a string), got %s",
                 fname, key, (lua_Integer)i + 1, lk_describe(L, -1));
    const char *s = lua_tolstring(L, -1, &sl);
    v[i] = cl_bp_hash(s, sl);
    lua_pop(L, 1);
  }
  lua_pop(L, 1);
  *n = cl_bp_sort_unique(v, len);
  return v;
}

/* Run a pass over c.  [-0, +0, v] */
static void run_pass(lua_State *L, bp_run *r, lector_corpus *c,
                     lector_doc_fn fn, const char *fname) {
  lector_pool job = {.struct_size = sizeof job, .corpus = c, .nworkers = r->nw,
                     .ctx = r->ctx, .fn = fn, .label = fname};
  char *err = NULL;
  if (lk_host->corpus_count(c) && lk_host->doc_pool(&job, &err) != LECTOR_OK)
    lk_raise(L, fname, err);
}

/* The repeated lines after pass 1, plus the added ones.  [-0, +0, v] */
static void repeated(lua_State *L, bp_run *r, size_t min_docs,
                     const uint64_t *add, size_t nadd) {
  size_t n = nadd;
  for (int k = 0; k < r->nw; k++) n += r->w[k].nh;
  r->all = lk_zalloc(L, n ? n : 1, sizeof *r->all);
  n = 0;
  for (int k = 0; k < r->nw; k++) {
    if (r->w[k].nh) memcpy(r->all + n, r->w[k].h, r->w[k].nh * sizeof(uint64_t));
    n += r->w[k].nh;
    lk_free(r->w[k].h);
    r->w[k].h = NULL;
  }
  n = cl_bp_table(r->all, n, min_docs, NULL);
  if (nadd) memcpy(r->all + n, add, nadd * sizeof *add);
  r->rules.rep = r->all;
  r->rules.nrep = cl_bp_sort_unique(r->all, n + nadd);
}

static int cmp_hit(const void *a, const void *b) {
  const cl_hit *x = a, *y = b;
  if (x->doc != y->doc) return (x->doc > y->doc) - (x->doc < y->doc);
  return (x->off > y->off) - (x->off < y->off);
}

/* Gather the workers' hits into f, by document.  [-0, +0, v] */
static void gather(lua_State *L, bp_run *r, cl_bp_found *f) {
  size_t n = 0;
  for (int k = 0; k < r->nw; k++) n += r->w[k].nhit;
  f->hit = lk_zalloc(L, n ? n : 1, sizeof *f->hit);
  for (int k = 0; k < r->nw; k++) {
    if (r->w[k].nhit)
      memcpy(f->hit + f->nhits, r->w[k].hit, r->w[k].nhit * sizeof(cl_hit));
    f->nhits += r->w[k].nhit;
  }
  qsort(f->hit, f->nhits, sizeof *f->hit, cmp_hit);
  f->first = lk_zalloc(L, f->ndocs + 1, sizeof *f->first);
  for (size_t i = 0, h = 0; i <= f->ndocs; i++) {
    while (h < f->nhits && f->hit[h].doc < i) h++;
    f->first[i] = h;
  }
}

cl_bp_found *cl_lua_bp_find(lua_State *L, lk_guard *g, lector_corpus *c,
                            int oidx, int threads, const char *fname) {
  static const char *const known[] = {"share", "min_docs", "max_words",
                                      "edges", "add", "keep", "threads",
                                      NULL};
  lk_opt_check(L, oidx, fname, known, NULL);
  double share = lk_opt_number(L, oidx, fname, "share", CL_BP_SHARE, 0, 1);
  lua_Integer mind = lk_opt_integer(L, oidx, fname, "min_docs",
                                    CL_BP_MIN_DOCS, 2, INT32_MAX);
  lua_Integer maxw = lk_opt_integer(L, oidx, fname, "max_words",
                                    CL_BP_MAX_WORDS, 1, 10000);
  int edges = lk_opt_boolean(L, oidx, fname, "edges", 1);
  size_t nadd, nkeep, n = lk_host->corpus_count(c);
  uint64_t *add = line_list(L, g, oidx, "add", fname, &nadd);
  uint64_t *keep = line_list(L, g, oidx, "keep", fname, &nkeep);
  bp_run *r = lk_guard_add(L, g, run_free, lk_zalloc(L, 1, sizeof *r));
  cl_bp_found *f = lk_guard_add(L, g, cl_bp_found_free, lk_zalloc(L, 1, sizeof *f));
  int nw = lk_host->pool_workers(threads, n);
  r->w = lk_zalloc(L, (size_t)nw, sizeof *r->w);
  r->ctx = lk_zalloc(L, (size_t)nw, sizeof *r->ctx);
  r->nw = nw;
  for (int k = 0; k < nw; k++) {
    r->w[k].rules = &r->rules;
    r->w[k].max_words = (unsigned)maxw;
    r->ctx[k] = &r->w[k];
  }
  double need = ceil(share * (double)n);
  f->ndocs = n;
  f->min_docs = need > (double)mind ? (size_t)need : (size_t)mind;
  run_pass(L, r, c, pass1, fname);
  repeated(L, r, f->min_docs, add, nadd);
  f->nrep = r->rules.nrep - nadd;
  r->rules.keep = keep;
  r->rules.nkeep = nkeep;
  r->rules.max_words = (unsigned)maxw;
  r->rules.edges = edges;
  run_pass(L, r, c, pass2, fname);
  gather(L, r, f);
  return f;
}

/* ------------------------------------------------------------------------
** The result
*/

typedef struct group {
  size_t first;           /* a hit of the group (the earliest document) */
  size_t docs;
  size_t where[4];
} group;

static const cl_hit *sort_base;

static int cmp_by_hash(const void *a, const void *b) {
  const cl_hit *x = &sort_base[*(const size_t *)a],
               *y = &sort_base[*(const size_t *)b];
  if (x->hash != y->hash) return (x->hash > y->hash) - (x->hash < y->hash);
  size_t i = *(const size_t *)a, j = *(const size_t *)b;
  return (i > j) - (i < j);
}

static int cmp_group(const void *a, const void *b) {
  const group *x = a, *y = b;
  if (x->docs != y->docs) return (x->docs < y->docs) - (x->docs > y->docs);
  return (x->first > y->first) - (x->first < y->first);
}

/* Group the hits of f by line; returns the number of groups in *out.
** [-0, +0, v] */
static size_t group_hits(lua_State *L, lk_guard *g, const cl_bp_found *f,
                         group **out) {
  size_t *idx = lk_guard_alloc(L, g, (f->nhits + 1) * sizeof *idx);
  group *gr = lk_guard_alloc(L, g, (f->nhits + 1) * sizeof *gr);
  size_t ng = 0;
  for (size_t i = 0; i < f->nhits; i++) idx[i] = i;
  sort_base = f->hit;            /* Lua thread only: no qsort_r needed */
  qsort(idx, f->nhits, sizeof *idx, cmp_by_hash);
  for (size_t i = 0; i < f->nhits;) {
    size_t j = i;
    group *x = &gr[ng++];
    memset(x, 0, sizeof *x);
    x->first = idx[i];
    for (; j < f->nhits && f->hit[idx[j]].hash == f->hit[idx[i]].hash; j++) {
      const cl_hit *h = &f->hit[idx[j]];
      x->docs += j == i || f->hit[idx[j - 1]].doc != h->doc;
      x->where[h->where & 3]++;
    }
    i = j;
  }
  qsort(gr, ng, sizeof *gr, cmp_group);
  *out = gr;
  return ng;
}

static const char *where_name(const group *x) {
  static const char *const names[] = {"body", "start", "end", "body"};
  int best = 1;
  for (int k = 2; k < 4; k++)
    if (x->where[k] > x->where[best]) best = k;
  return names[best];
}

/* Push the line of hit h as written.  [-0, +1, v] */
static void push_line(lua_State *L, lector_corpus *c, const cl_hit *h,
                      const char *fname) {
  lector_text t;
  char *err = NULL;
  if (lk_host->doc_text(c, h->doc, &t, &err) != LECTOR_OK)
    lk_raise(L, fname, err);
  if ((size_t)h->off + h->len <= t.len) lua_pushlstring(L, t.data + h->off, h->len);
  else lua_pushliteral(L, "");                  /* the file changed */
  lk_host->text_release(&t);
}

void cl_lua_bp_push(lua_State *L, lk_guard *g, lector_corpus *c,
                       const cl_bp_found *f, const char *fname) {
  group *gr;
  size_t ng = group_hits(L, g, f, &gr), docs = 0;
  lua_createtable(L, ng < INT32_MAX ? (int)ng : 0, 3);
  for (size_t k = 0; k < ng; k++) {
    const cl_hit *h = &f->hit[gr[k].first];
    lua_createtable(L, 0, 4);
    push_line(L, c, h, fname);
    lua_setfield(L, -2, "line");
    lua_pushinteger(L, (lua_Integer)gr[k].docs);
    lua_setfield(L, -2, "docs");
    lua_pushstring(L, where_name(&gr[k]));
    lua_setfield(L, -2, "where");
    lua_pushinteger(L, (lua_Integer)h->doc + 1);
    lua_setfield(L, -2, "doc");
    lua_rawseti(L, -2, (lua_Integer)k + 1);
  }
  for (size_t i = 0; i < f->ndocs; i++) docs += f->first[i + 1] > f->first[i];
  lua_pushinteger(L, (lua_Integer)f->nhits);
  lua_setfield(L, -2, "lines");
  lua_pushinteger(L, (lua_Integer)docs);
  lua_setfield(L, -2, "docs");
  lua_pushinteger(L, (lua_Integer)f->min_docs);
  lua_setfield(L, -2, "min_docs");
}

/* clean.boilerplate(corpus [, opts]) -> list (see the top).  [-0, +1, e] */
int cl_lua_boilerplate(lua_State *L) {
  const char *fname = "clean.boilerplate";
  lector_corpus *c = lk_host->corpus_check(L, 1, fname);
  int threads = lk_opt_threads(L, 2, fname);
  lua_settop(L, 2);
  lk_guard *g = lk_guard_new(L);
  c = lk_guard_corpus(L, g, c);
  cl_bp_found *f = cl_lua_bp_find(L, g, c, 2, threads, fname);
  cl_lua_bp_push(L, g, c, f, fname);
  return 1;
}
