/*
** cl_lua_dup.c -- clean.duplicates(corpus [, opts]): near-duplicate
** documents (cl_dup.h).  Pass 1 of the host's document pool makes every
** document's MinHash signature; LSH bands give candidate pairs; pass 2
** reads only the documents of candidate pairs again for their shingle
** sets, and a pair whose exact Jaccard similarity reaches the threshold
** joins a cluster (union-find: clusters are transitive).
**
** opts: threshold (0.8; above 0, at most 1), shingle (5 words), hashes
**       (128), threads.
** Result: { {docs = {i, j, ...}, similarity = {1, s_j, ...}}, ... }:
**   document indices of the corpus, the kept one first (the earliest
**   date, a dated document before an undated one, then the longest, then
**   the first in the corpus); similarity[k] is the exact Jaccard
**   similarity of docs[k] with docs[1].  Clusters in the order of their
**   kept documents.  Fields: candidates (pairs checked), pairs (pairs at
**   the threshold), bands, rows.
** Memory: 4 * hashes bytes per document, plus 4 bytes per shingle of
** the documents in candidate pairs.
*/
#include <stdlib.h>
#include <string.h>

#include "lector/kit.h"
#include "cl_config.h"
#include "cl_plugin.h"

typedef struct dup_worker {
  cl_vec64 words, sh;
  uint32_t *sig;          /* every document's signature */
  uint32_t *nsh;          /* shingles per document */
  uint32_t **set;         /* pass 2: shingle sets (high halves) */
  int hashes, k;
} dup_worker;

typedef struct dup_run {
  size_t n;
  int nw;
  dup_worker *w;
  void **ctx;
  uint32_t *sig, *nsh, *parent;
  uint8_t *use;
  int32_t *skip;
  uint32_t **set;
  cl_pair *pairs;
  size_t npairs;
} dup_run;

static void run_free(void *p) {
  dup_run *r = p;
  for (int k = 0; r->w && k < r->nw; k++) {
    cl_vec64_free(&r->w[k].words);
    cl_vec64_free(&r->w[k].sh);
  }
  for (size_t i = 0; r->set && i < r->n; i++) lk_free(r->set[i]);
  lk_free(r->set);
  lk_free(r->w);
  lk_free(r->ctx);
  lk_free(r->sig);
  lk_free(r->nsh);
  lk_free(r->parent);
  lk_free(r->use);
  lk_free(r->skip);
  lk_free(r->pairs);
  lk_free(r);
}

void cl_clusters_free(void *p) {
  cl_clusters *cl = p;
  if (!cl) return;
  lk_free(cl->doc);
  lk_free(cl->sim);
  lk_free(cl->first);
  lk_free(cl);
}

static int sign_doc(void *ctx, size_t i, const lector_text *t, char **err) {
  dup_worker *w = ctx;
  int rc = cl_dup_shingles(cl_g.tok, cl_g.words, t->data, t->len, w->k,
                           &w->words, &w->sh, err);
  if (rc) return rc;
  cl_dup_minhash(w->sh.v, w->sh.n, w->hashes, w->sig + i * (size_t)w->hashes);
  w->nsh[i] = w->sh.n > UINT32_MAX ? UINT32_MAX : (uint32_t)w->sh.n;
  return LECTOR_OK;
}

static int keep_set(void *ctx, size_t i, const lector_text *t, char **err) {
  dup_worker *w = ctx;
  int rc = cl_dup_shingles(cl_g.tok, cl_g.words, t->data, t->len, w->k,
                           &w->words, &w->sh, err);
  if (rc) return rc;
  uint32_t *set = lk_alloc((w->sh.n ? w->sh.n : 1) * sizeof *set);
  size_t n = 0;
  if (!set) {
    *err = lk_errorf("out of memory (shingles of document %zu)", i + 1);
    return LECTOR_ENOMEM;
  }
  for (size_t j = 0; j < w->sh.n && n < UINT32_MAX; j++) {
    uint32_t hi = (uint32_t)(w->sh.v[j] >> 32);    /* sorted: still sorted */
    if (n == 0 || set[n - 1] != hi) set[n++] = hi;
  }
  w->set[i] = set;
  w->nsh[i] = (uint32_t)n;
  return LECTOR_OK;
}

static void run_pool(lua_State *L, dup_run *r, lector_corpus *c,
                     lector_doc_fn fn, const int32_t *skip,
                     const char *fname) {
  lector_pool job = {.struct_size = sizeof job, .corpus = c, .nworkers = r->nw,
                     .ctx = r->ctx, .fn = fn, .skip = skip, .label = fname};
  char *err = NULL;
  if (r->n && lk_host->doc_pool(&job, &err) != LECTOR_OK)
    lk_raise(L, fname, err);
}

static double jaccard(const dup_run *r, size_t a, size_t b) {
  return cl_dup_jaccard32(r->set[a], r->nsh[a], r->set[b], r->nsh[b]);
}

/* ------------------------------------------------------------------------
** Clusters
*/

typedef struct member {
  uint32_t doc;
  char date[11];
  size_t bytes;
} member;

static int cmp_member(const void *a, const void *b) {
  const member *x = a, *y = b;
  if (!x->date[0] != !y->date[0]) return x->date[0] ? -1 : 1;
  int d = strcmp(x->date, y->date);
  if (d) return d;
  if (x->bytes != y->bytes) return x->bytes > y->bytes ? -1 : 1;
  return (x->doc > y->doc) - (x->doc < y->doc);
}

/* Members of each root in order, the kept one first.  [-0, +0, v] */
static void build(lua_State *L, lk_guard *g, dup_run *r, lector_corpus *c,
                  cl_clusters *cl) {
  size_t n = r->n, nm = 0;
  size_t *size = lk_guard_alloc(L, g, (n + 1) * sizeof *size);
  memset(size, 0, (n + 1) * sizeof *size);
  for (size_t i = 0; i < n; i++) size[cl_uf_find(r->parent, i)]++;
  for (size_t i = 0; i < n; i++) nm += size[i] > 1 ? size[i] : 0;
  member *m = lk_guard_alloc(L, g, (nm + 1) * sizeof *m);
  size_t *at = lk_guard_alloc(L, g, (n + 1) * sizeof *at);
  cl->first = lk_zalloc(L, n + 1, sizeof *cl->first);
  for (size_t i = 0, pos = 0; i < n; i++)           /* roots in index order */
    if (size[i] > 1) {
      cl->first[cl->n++] = pos;
      at[i] = pos;
      pos += size[i];
    }
  cl->first[cl->n] = nm;
  for (size_t i = 0; i < n; i++) {
    size_t root = cl_uf_find(r->parent, i);
    if (size[root] < 2) continue;
    lector_doc_info info;
    member *x = &m[at[root]++];
    memset(x, 0, sizeof *x);
    x->doc = (uint32_t)i;
    if (lk_host->doc_info(c, i, &info) == LECTOR_OK) {
      memcpy(x->date, info.date, sizeof x->date);
      x->bytes = info.bytes;
    }
  }
  cl->doc = lk_zalloc(L, nm + 1, sizeof *cl->doc);
  cl->sim = lk_zalloc(L, nm + 1, sizeof *cl->sim);
  for (size_t k = 0; k < cl->n; k++) {
    size_t b = cl->first[k], e = cl->first[k + 1];
    qsort(m + b, e - b, sizeof *m, cmp_member);
    for (size_t j = b; j < e; j++) {
      cl->doc[j] = m[j].doc;
      cl->sim[j] = j == b ? 1.0 : jaccard(r, m[b].doc, m[j].doc);
    }
  }
}

/* [-0, +0, v] */
static void read_opts(lua_State *L, int oidx, const char *fname, double *t,
                      int *k, int *hashes) {
  static const char *const known[] = {"threshold", "shingle", "hashes",
                                      "threads", NULL};
  lk_opt_check(L, oidx, fname, known, NULL);
  *t = lk_opt_number(L, oidx, fname, "threshold", CL_DUP_THRESHOLD, 0, 1);
  if (!(*t > 0)) luaL_error(L, "%s: opts.threshold: expected a number above "
                            "0 and at most 1, got 0", fname);
  *k = (int)lk_opt_integer(L, oidx, fname, "shingle", CL_DUP_SHINGLE, 1, 32);
  *hashes = (int)lk_opt_integer(L, oidx, fname, "hashes", CL_DUP_HASHES, 8,
                                1024);
}

cl_clusters *cl_lua_dup_find(lua_State *L, lk_guard *g, lector_corpus *c,
                             int oidx, int threads, const char *fname) {
  double t;
  int k, hashes;
  read_opts(L, oidx, fname, &t, &k, &hashes);
  cl_need_tok(L, fname);
  size_t n = lk_host->corpus_count(c);
  if (n > UINT32_MAX) luaL_error(L, "%s: too many documents (%zu)", fname, n);
  dup_run *r = lk_guard_add(L, g, run_free, lk_zalloc(L, 1, sizeof *r));
  cl_clusters *cl = lk_guard_add(L, g, cl_clusters_free,
                                 lk_zalloc(L, 1, sizeof *cl));
  r->n = n;
  r->nw = lk_host->pool_workers(threads, n);
  r->w = lk_zalloc(L, (size_t)r->nw, sizeof *r->w);
  r->ctx = lk_zalloc(L, (size_t)r->nw, sizeof *r->ctx);
  r->sig = lk_zalloc(L, (n ? n : 1) * (size_t)hashes, sizeof *r->sig);
  r->nsh = lk_zalloc(L, n + 1, sizeof *r->nsh);
  r->use = lk_zalloc(L, n + 1, 1);
  r->skip = lk_zalloc(L, n + 1, sizeof *r->skip);
  r->set = lk_zalloc(L, n + 1, sizeof *r->set);
  r->parent = lk_zalloc(L, n + 1, sizeof *r->parent);
  for (int w = 0; w < r->nw; w++) {
    r->w[w] = (dup_worker){{0}, {0}, r->sig, r->nsh, r->set, hashes, k};
    r->ctx[w] = &r->w[w];
  }
  run_pool(L, r, c, sign_doc, NULL, fname);
  for (size_t i = 0; i < n; i++) {
    r->use[i] = r->nsh[i] > 0;
    r->skip[i] = -1;
    r->parent[i] = (uint32_t)i;
  }
  cl_dup_bands(t, hashes, CL_DUP_RECALL, &cl->bands, &cl->rows);
  char *err = NULL;
  if (cl_dup_candidates(r->sig, n, hashes, r->use, cl->bands, cl->rows,
                        &r->pairs, &r->npairs, &err))
    lk_raise(L, fname, err);
  for (size_t p = 0; p < r->npairs; p++)
    r->skip[r->pairs[p].a] = r->skip[r->pairs[p].b] = 0;
  run_pool(L, r, c, keep_set, r->skip, fname);
  cl->candidates = r->npairs;
  for (size_t p = 0; p < r->npairs; p++) {
    if (p % 4096 == 0 && lk_interrupted())      /* millions at a low t */
      luaL_error(L, "%s: interrupted", fname);
    if (jaccard(r, r->pairs[p].a, r->pairs[p].b) >= t) {
      cl_uf_union(r->parent, r->pairs[p].a, r->pairs[p].b);
      cl->verified++;
    }
  }
  build(L, g, r, c, cl);
  return cl;
}

void cl_lua_dup_push(lua_State *L, const cl_clusters *cl) {
  lua_createtable(L, cl->n < INT32_MAX ? (int)cl->n : 0, 4);
  for (size_t k = 0; k < cl->n; k++) {
    size_t b = cl->first[k], e = cl->first[k + 1];
    lua_createtable(L, 0, 2);
    lua_createtable(L, (int)(e - b), 0);
    for (size_t j = b; j < e; j++) {
      lua_pushinteger(L, (lua_Integer)cl->doc[j] + 1);
      lua_rawseti(L, -2, (lua_Integer)(j - b + 1));
    }
    lua_setfield(L, -2, "docs");
    lua_createtable(L, (int)(e - b), 0);
    for (size_t j = b; j < e; j++) {
      lua_pushnumber(L, cl->sim[j]);
      lua_rawseti(L, -2, (lua_Integer)(j - b + 1));
    }
    lua_setfield(L, -2, "similarity");
    lua_rawseti(L, -2, (lua_Integer)k + 1);
  }
  lua_pushinteger(L, (lua_Integer)cl->candidates);
  lua_setfield(L, -2, "candidates");
  lua_pushinteger(L, (lua_Integer)cl->verified);
  lua_setfield(L, -2, "pairs");
  lua_pushinteger(L, cl->bands);
  lua_setfield(L, -2, "bands");
  lua_pushinteger(L, cl->rows);
  lua_setfield(L, -2, "rows");
}

/* clean.duplicates(corpus [, opts]) -> clusters (see the top).
** [-0, +1, e] */
int cl_lua_duplicates(lua_State *L) {
  const char *fname = "clean.duplicates";
  lector_corpus *c = lk_host->corpus_check(L, 1, fname);
  int threads = lk_opt_threads(L, 2, fname);
  lua_settop(L, 2);
  lk_guard *g = lk_guard_new(L);
  c = lk_guard_corpus(L, g, c);
  cl_clusters *cl = cl_lua_dup_find(L, g, c, 2, threads, fname);
  cl_lua_dup_push(L, cl);
  return 1;
}
