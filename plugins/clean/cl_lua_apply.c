/*
** cl_lua_apply.c -- clean.apply(corpus [, opts]) -> view, summary.
**
** Runs the passes asked for over the corpus (boilerplate lines,
** near-duplicate clusters, and, over the documents kept with their
** boilerplate removed, the glued words), keeps per document (by
** host->doc_key) what to do, and returns a corpus view (host->corpus_view,
** ABI 1.4) of the documents that are not duplicates of a kept one, whose
** doc.text is computed on demand, on any thread: the lines removed, then
** the glued words split.  doc.meta.cleaned = {lines =, splits =,
** duplicates =} (each only for a pass that ran: lines removed, words
** split, documents dropped as its duplicates).
**
** opts: boilerplate, duplicates, unglue: true (the default), false, or a
**       table of that function's options (unglue: vocab, min_count);
**       threads.
** summary: {docs =, kept =, lines =, line_docs =, clusters =, dropped =,
**           splits =, split_docs =, boilerplate = <clean.boilerplate's
**           list>, duplicates = <clean.duplicates' list>} (the lists only
**           for a pass that ran).
*/
#include <stdlib.h>
#include <string.h>

#include "lector/kit.h"
#include "cl_config.h"
#include "cl_plugin.h"

typedef struct cut {
  uint32_t off, len;      /* a line removed (and its line end) */
} cut;

/* The view's context: what to do to each document, by key. */
typedef struct view {
  size_t nkeys;
  size_t *first;          /* cuts of key k: cut[first[k] .. first[k + 1]) */
  cut *cut;
  uint32_t *splits;       /* words split per key (NULL: no unglue) */
  uint32_t *dups;         /* duplicates dropped per key (NULL: no pass) */
  cl_vocab vocab;
  int bp;
} view;

static void view_free(void *p) {
  view *v = p;
  if (!v) return;
  lk_free(v->first);
  lk_free(v->cut);
  lk_free(v->splits);
  lk_free(v->dups);
  lk_free(v->vocab.count);
  lk_free(v);
}

/* in[0..len) less the cuts of key into out (len + 1 bytes); its length. */
static size_t strip(const view *v, size_t key, const char *in, size_t len,
                    char *out) {
  size_t at = 0, n = 0;
  for (size_t k = v->first ? v->first[key] : 0;
       v->first && k < v->first[key + 1]; k++) {
    size_t b = v->cut[k].off, e = b + v->cut[k].len;
    if (b < at || e > len) continue;           /* not this text: keep it */
    if (e < len && in[e] == '\r') e++;
    if (e < len && in[e] == '\n') e++;
    memcpy(out + n, in + at, b - at);
    n += b - at;
    at = e;
  }
  memcpy(out + n, in + at, len - at);
  n += len - at;
  out[n] = '\0';
  return n;
}

static int has_cuts(const view *v, size_t key) {
  return v->first && v->first[key + 1] > v->first[key];
}

/* lector_text_filter.fn: lines out, then glued words split. */
static int view_fn(void *ctx, size_t key, const char *in, size_t len,
                   char **out, size_t *out_len, char **err) {
  const view *v = ctx;
  int split = v->splits && key < v->nkeys && v->splits[key];
  *out = NULL;
  if (key >= v->nkeys || (!has_cuts(v, key) && !split)) return LECTOR_OK;
  char *s = malloc(len + 1);
  if (!s) goto oom;
  size_t n = strip(v, key, in, len, s);
  if (split) {
    cl_splits sp = {NULL, 0, 0};
    cl_buf b = {NULL, 0, 0};
    int rc = cl_glue_scan(cl_g.tok, cl_g.glue, &v->vocab, s, n, &sp, err);
    if (!rc) rc = cl_glue_apply(s, n, sp.v, sp.n, &b, err);
    lk_free(sp.v);
    char *o = rc ? NULL : malloc(b.n + 1);
    if (o) memcpy(o, b.p, b.n + 1);
    n = b.n;
    cl_buf_free(&b);
    free(s);
    if (rc) return rc;
    if (!(s = o)) goto oom;
  }
  *out = s;
  *out_len = n;
  return LECTOR_OK;
oom:
  *err = lk_errorf("out of memory (cleaning a text of %zu bytes)", len);
  return LECTOR_ENOMEM;
}

/* lector_text_filter.meta_push: doc.meta.cleaned.  [-0, +0, m] */
static void view_meta(void *ctx, lua_State *L, size_t key) {
  const view *v = ctx;
  if (key >= v->nkeys) return;
  lua_createtable(L, 0, 3);
  if (v->bp) {
    lua_pushinteger(L, (lua_Integer)(v->first[key + 1] - v->first[key]));
    lua_setfield(L, -2, "lines");
  }
  if (v->splits) {
    lua_pushinteger(L, (lua_Integer)v->splits[key]);
    lua_setfield(L, -2, "splits");
  }
  if (v->dups) {
    lua_pushinteger(L, (lua_Integer)v->dups[key]);
    lua_setfield(L, -2, "duplicates");
  }
  lua_setfield(L, -2, "cleaned");
}

/* ------------------------------------------------------------------------
** Passes
*/

/* The cuts of f by key.  [-0, +0, v] */
static void take_lines(lua_State *L, view *v, lector_corpus *c,
                       const cl_bp_found *f) {
  v->bp = 1;
  v->first = lk_zalloc(L, v->nkeys + 1, sizeof *v->first);
  v->cut = lk_zalloc(L, f->nhits + 1, sizeof *v->cut);
  for (size_t i = 0; i < f->ndocs; i++)          /* counts per key */
    v->first[lk_host->doc_key(c, i)] += f->first[i + 1] - f->first[i];
  size_t sum = 0;
  for (size_t k = 0; k <= v->nkeys; k++) {
    size_t x = v->first[k];
    v->first[k] = sum;
    sum += x;
  }
  for (size_t i = 0; i < f->ndocs; i++) {
    size_t at = v->first[lk_host->doc_key(c, i)];
    for (size_t h = f->first[i]; h < f->first[i + 1]; h++)
      v->cut[at++] = (cut){f->hit[h].off, f->hit[h].len};
  }
}

/* One worker of the splits pass. */
typedef struct sp_worker {
  view *v;
  lector_corpus *c;
  cl_splits sp;
  char *buf;
  size_t cap;
} sp_worker;

static int count_splits(void *ctx, size_t i, const lector_text *t,
                        char **err) {
  sp_worker *w = ctx;
  size_t key = lk_host->doc_key(w->c, i);
  char *b = lk_grow(w->buf, &w->cap, t->len + 1, 1);
  if (!b) {
    *err = lk_errorf("out of memory (a text of %zu bytes)", t->len);
    return LECTOR_ENOMEM;
  }
  w->buf = b;
  size_t n = strip(w->v, key, t->data, t->len, b);
  w->sp.n = 0;
  int rc = cl_glue_scan(cl_g.tok, cl_g.glue, &w->v->vocab, b, n, &w->sp, err);
  if (rc == LECTOR_OK && key < w->v->nkeys)
    w->v->splits[key] = w->sp.n > UINT32_MAX ? UINT32_MAX : (uint32_t)w->sp.n;
  return rc;
}

typedef struct sp_run {
  int nw;
  sp_worker *w;
  void **ctx;
} sp_run;

static void sp_run_free(void *p) {
  sp_run *r = p;
  for (int k = 0; r->w && k < r->nw; k++) {
    lk_free(r->w[k].sp.v);
    lk_free(r->w[k].buf);
  }
  lk_free(r->w);
  lk_free(r->ctx);
  lk_free(r);
}

/* Count the splits of the documents kept (skip[i] >= 0).  [-0, +0, v] */
static void pass_splits(lua_State *L, lk_guard *g, view *v, lector_corpus *c,
                        const int32_t *skip, int threads, const char *fname) {
  size_t n = lk_host->corpus_count(c);
  sp_run *r = lk_guard_add(L, g, sp_run_free, lk_zalloc(L, 1, sizeof *r));
  r->nw = lk_host->pool_workers(threads, n);
  r->w = lk_zalloc(L, (size_t)r->nw, sizeof *r->w);
  r->ctx = lk_zalloc(L, (size_t)r->nw, sizeof *r->ctx);
  for (int k = 0; k < r->nw; k++) {
    r->w[k].v = v;
    r->w[k].c = c;
    r->ctx[k] = &r->w[k];
  }
  v->splits = lk_zalloc(L, v->nkeys + 1, sizeof *v->splits);
  lector_pool job = {.struct_size = sizeof job, .corpus = c, .nworkers = r->nw,
                     .ctx = r->ctx, .fn = count_splits, .skip = skip,
                     .label = fname};
  char *err = NULL;
  if (n && lk_host->doc_pool(&job, &err) != LECTOR_OK)
    lk_raise(L, fname, err);
}

/* The sub-options of pass `key`: 0 when it is off; else pushes them (nil
** for true) and returns their index.  [-0, +(0|1), v] */
static int pass_opts(lua_State *L, int oidx, const char *key,
                     const char *fname) {
  int t = lua_type(L, oidx) == LUA_TTABLE ? lua_getfield(L, oidx, key)
                                          : (lua_pushnil(L), LUA_TNIL);
  if (t == LUA_TNIL || (t == LUA_TBOOLEAN && lua_toboolean(L, -1))) {
    lua_pop(L, 1);
    lua_pushnil(L);
    return lua_gettop(L);
  }
  if (t == LUA_TTABLE) return lua_gettop(L);
  if (t == LUA_TBOOLEAN) {
    lua_pop(L, 1);
    return 0;
  }
  return luaL_error(L, "%s: opts.%s: expected true, false or a table of "
                    "options, got %s", fname, key, lk_describe(L, -1));
}

/* ------------------------------------------------------------------------
** The call
*/

/* summary[k] = v; the summary is at 4.  [-0, +0, m] */
static void set_int(lua_State *L, const char *k, size_t v) {
  lua_pushinteger(L, (lua_Integer)v);
  lua_setfield(L, 4, k);
}

int cl_lua_apply(lua_State *L) {
  static const char *const known[] = {"boilerplate", "duplicates", "unglue",
                                      "threads", NULL};
  static const char *const uknown[] = {"vocab", "min_count", NULL};
  const char *fname = "clean.apply";
  lector_corpus *c = lk_host->corpus_check(L, 1, fname);
  lk_opt_check(L, 2, fname, known, NULL);
  int threads = lk_opt_threads(L, 2, fname);
  cl_need_tok(L, fname);
  lua_settop(L, 2);
  lk_guard *g = lk_guard_new(L);                          /* 3 */
  c = lk_guard_corpus(L, g, c);
  size_t n = lk_host->corpus_count(c), kept = n, dropped = 0;
  view *v = lk_guard_add(L, g, view_free, lk_zalloc(L, 1, sizeof *v));
  v->nkeys = lk_host->doc_key_limit(c);
  int32_t *skip = lk_guard_alloc(L, g, (n + 1) * sizeof *skip);
  memset(skip, 0, (n + 1) * sizeof *skip);
  lua_createtable(L, 0, 10);                              /* 4: summary */
  int bo = pass_opts(L, 2, "boilerplate", "clean.apply");
  if (bo) {
    const cl_bp_found *f = cl_lua_bp_find(L, g, c, bo, threads,
                                          "clean.apply: boilerplate");
    take_lines(L, v, c, f);
    size_t docs = 0;
    for (size_t i = 0; i < n; i++) docs += f->first[i + 1] > f->first[i];
    cl_lua_bp_push(L, g, c, f, fname);
    lua_setfield(L, 4, "boilerplate");
    lua_pushinteger(L, (lua_Integer)f->nhits);
    lua_setfield(L, 4, "lines");
    lua_pushinteger(L, (lua_Integer)docs);
    lua_setfield(L, 4, "line_docs");
  }
  lua_settop(L, 4);
  int du = pass_opts(L, 2, "duplicates", "clean.apply");
  if (du) {
    const cl_clusters *cl = cl_lua_dup_find(L, g, c, du, threads,
                                            "clean.apply: duplicates");
    v->dups = lk_zalloc(L, v->nkeys + 1, sizeof *v->dups);
    for (size_t k = 0; k < cl->n; k++) {
      size_t b = cl->first[k], e = cl->first[k + 1];
      v->dups[lk_host->doc_key(c, cl->doc[b])] = (uint32_t)(e - b - 1);
      for (size_t j = b + 1; j < e; j++) skip[cl->doc[j]] = -1;
      dropped += e - b - 1;
    }
    kept = n - dropped;
    cl_lua_dup_push(L, cl);
    lua_setfield(L, 4, "duplicates");
    lua_pushinteger(L, (lua_Integer)cl->n);
    lua_setfield(L, 4, "clusters");
  }
  lua_settop(L, 4);
  int uo = pass_opts(L, 2, "unglue", "clean.apply");
  if (uo) {
    const char *uf = "clean.apply: unglue";
    lk_opt_check(L, uo, uf, uknown, NULL);
    lua_Integer minc = lk_opt_integer(L, uo, uf, "min_count",
                                      CL_GLUE_MIN_COUNT, 1, UINT32_MAX);
    if (lua_type(L, uo) == LUA_TTABLE) lua_getfield(L, uo, "vocab");
    else lua_pushnil(L);
    cl_vocab *voc = cl_lua_vocab(L, g, lua_gettop(L), c, threads, uf);
    v->vocab = *voc;                      /* the view takes the counts */
    voc->count = NULL;
    v->vocab.min_count = (unsigned)minc;
    pass_splits(L, g, v, c, skip, threads, uf);
    size_t total = 0, docs = 0;
    for (size_t i = 0; i < n; i++)
      if (skip[i] >= 0) {
        uint32_t s = v->splits[lk_host->doc_key(c, i)];
        total += s;
        docs += s > 0;
      }
    set_int(L, "splits", total);
    set_int(L, "split_docs", docs);
  }
  lua_settop(L, 4);
  set_int(L, "docs", n);
  set_int(L, "kept", kept);
  set_int(L, "dropped", dropped);
  size_t *idx = lk_guard_alloc(L, g, (kept + 1) * sizeof *idx);
  for (size_t i = 0, k = 0; i < n; i++)
    if (skip[i] >= 0) idx[k++] = i;
  lector_text_filter filter = {sizeof filter, view_fn, view_meta, v,
                               view_free};
  lk_guard_forget(g, v);             /* the view's from here, even on error */
  lk_host->corpus_view(L, 1, idx, kept, &filter, fname);   /* 5 */
  lua_insert(L, 4);
  return 2;
}
