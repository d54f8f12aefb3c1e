/*
** sent_lua_corpus.c -- sentiment.corpus(corpus [, opts]) and
** scorer:corpus: group keys from the host (host->group_keys, exactly
** corpus:group_by's), sentence scores on the host's document pool
** (sc_score_doc in each worker), summaries built here.
**
** opts: by = a field ("date", "month", "year", "id", "title" ...), a
**       front-matter key, or function(doc) -> key, list of keys or nil;
**       threads = n (0, the default: all cores); threshold = t (0.05).
** Result:
**   { docs   = { {index =, id =, title =, date =, key =, sentences =,
**                 compound =, pos =, neu =, neg = [, error =]}, ... }
**                                         -- corpus order; index: corpus[i]
**     groups = { {key =, docs =, sentences =, compound =, doc_compound =,
**                 pos =, neu =, neg =, errors =}, ... }    -- sorted by key
**     total  = {docs =, sentences =, compound =, doc_compound =, pos =,
**               neu =, neg =, errors =},
**     threads = n }
** compound is the mean over sentences, doc_compound the mean over
** documents of their means; pos / neg / neu are the shares of sentences
** whose compound is >= t, <= -t, or between.  A document without a key
** is in no group but is in total; one with several keys (a list) is in
** each of their groups, and its `key` is the first.
*/
#include <string.h>

#include "lector/kit.h"
#include "sent_config.h"
#include "sent_corpus.h"
#include "sent_plugin.h"

/* One pool worker: its own workspace, the shared model and results. */
typedef struct worker {
  vader_ws ws;
  const vader_model *m;
  sc_doc *docs;
  double threshold;
} worker;

/* What one call holds, released by the call's guard. */
typedef struct run {
  size_t n;
  sc_doc *docs;          /* n */
  int nw;
  worker *w;             /* nw */
  void **ctx;            /* nw: &w[k] */
  vader_model m;
} run;

typedef struct summary {
  size_t docs, scored, sentences, pos, neg, errors;
  double sum, doc_sum;
} summary;

static void run_free(void *p) {
  run *r = p;
  if (r->docs) sc_docs_clear(r->docs, r->n);
  for (int k = 0; r->w && k < r->nw; k++) vader_ws_free(&r->w[k].ws);
  lk_free(r->docs);
  lk_free(r->w);
  lk_free(r->ctx);
  lk_free(r);
}


/* A run for n documents and nw workers, owned by g.  [-0, +0, v] */
static run *run_new(lua_State *L, lk_guard *g, size_t n, int nw) {
  run *r = lk_guard_add(L, g, run_free, lk_zalloc(L, 1, sizeof(run)));
  r->n = n;
  r->docs = lk_zalloc(L, n ? n : 1, sizeof *r->docs);
  r->w = lk_zalloc(L, (size_t)nw, sizeof *r->w);
  r->ctx = lk_zalloc(L, (size_t)nw, sizeof *r->ctx);
  for (int k = 0; k < nw; k++) {
    vader_ws_init(&r->w[k].ws);
    r->w[k].docs = r->docs;
    r->w[k].m = &r->m;
    r->ctx[k] = &r->w[k];
  }
  r->nw = nw;                      /* every workspace is initialised */
  return r;
}

/* lector_doc_fn: score document i on a worker thread. */
static int score_doc(void *ctx, size_t i, const lector_text *t, char **err) {
  worker *w = ctx;
  return sc_score_doc(&w->ws, w->m, t->data, t->len, w->threshold,
                      &w->docs[i], err);
}

/* A document that cannot be read: the message becomes its `error`, and
** the others go on. */
static int unreadable(void *ctx, size_t i, char *msg, char **err) {
  worker *w = ctx;
  (void)err;
  w->docs[i].err = msg ? msg : lk_errorf("cannot read the document");
  return LECTOR_OK;
}

/* ------------------------------------------------------------------------
** Summaries
*/

/* Count document d in summary s (an unreadable one only as an error). */
static void add_doc(summary *s, const sc_doc *d) {
  s->docs++;
  if (d->err) {
    s->errors++;
    return;
  }
  s->sentences += d->sentences;
  s->pos += d->pos;
  s->neg += d->neg;
  s->sum += d->sum;
  if (d->sentences) {
    s->scored++;
    s->doc_sum += d->sum / d->sentences;
  }
}

static double share(size_t k, size_t n) { return n ? (double)k / n : 0.0; }

/* Set mean compound and shares of `sentences` sentences.  [-0, +0, m] */
static void set_means(lua_State *L, double sum, size_t sentences, size_t pos,
                      size_t neg) {
  lua_pushinteger(L, (lua_Integer)sentences);
  lua_setfield(L, -2, "sentences");
  lua_pushnumber(L, sentences ? sum / sentences : 0.0);
  lua_setfield(L, -2, "compound");
  lua_pushnumber(L, share(pos, sentences));
  lua_setfield(L, -2, "pos");
  lua_pushnumber(L, share(neg, sentences));
  lua_setfield(L, -2, "neg");
  lua_pushnumber(L, share(sentences - pos - neg, sentences));
  lua_setfield(L, -2, "neu");
}

/* [-0, +1, m] */
static void push_summary(lua_State *L, const summary *s) {
  lua_createtable(L, 0, 9);
  set_means(L, s->sum, s->sentences, s->pos, s->neg);
  lua_pushinteger(L, (lua_Integer)s->docs);
  lua_setfield(L, -2, "docs");
  lua_pushnumber(L, s->scored ? s->doc_sum / s->scored : 0.0);
  lua_setfield(L, -2, "doc_compound");
  lua_pushinteger(L, (lua_Integer)s->errors);
  lua_setfield(L, -2, "errors");
}

/* The docs list; groups (NULL without `by`) with their keys at kidx.
** [-0, +1, m] */
static void push_docs(lua_State *L, const lector_corpus *c, const run *r,
                      const lector_groups *gr, int kidx) {
  lector_doc_info info;
  lua_createtable(L, r->n < INT32_MAX ? (int)r->n : 0, 0);
  for (size_t i = 0; i < r->n; i++) {
    const sc_doc *d = &r->docs[i];
    lua_createtable(L, 0, 11);
    lua_pushinteger(L, (lua_Integer)i + 1);   /* as tfidf and kwic rows */
    lua_setfield(L, -2, "index");
    if (lk_host->doc_info(c, i, &info) == LECTOR_OK) {
      lua_pushstring(L, info.id);
      lua_setfield(L, -2, "id");
      lua_pushstring(L, info.title);
      lua_setfield(L, -2, "title");
      if (info.date[0]) {
        lua_pushstring(L, info.date);
        lua_setfield(L, -2, "date");
      }
    }
    if (gr && gr->group[i] >= 0) {
      lua_rawgeti(L, kidx, (lua_Integer)gr->group[i] + 1);
      lua_setfield(L, -2, "key");
    }
    set_means(L, d->sum, d->sentences, d->pos, d->neg);
    if (d->err) {
      lua_pushstring(L, d->err);
      lua_setfield(L, -2, "error");
    }
    lua_rawseti(L, -2, (lua_Integer)i + 1);
  }
}

/* The groups list in the host's key order (numbers, then strings); keys
** at kidx.  [-0, +1, m] */
static void push_groups(lua_State *L, lk_guard *g, const run *r,
                        const lector_groups *gr, int kidx) {
  size_t ng = gr ? gr->ngroups : 0;
  summary *sum = lk_guard_alloc(L, g, (ng ? ng : 1) * sizeof *sum);
  memset(sum, 0, (ng ? ng : 1) * sizeof *sum);
  for (size_t i = 0; gr && i < r->n; i++)
    for (size_t x = gr->first[i]; x < gr->first[i + 1]; x++)
      add_doc(&sum[gr->member[x]], &r->docs[i]);
  lua_createtable(L, ng < INT32_MAX ? (int)ng : 0, 0);
  for (size_t k = 0; k < ng; k++) {
    push_summary(L, &sum[k]);
    lua_rawgeti(L, kidx, (lua_Integer)k + 1);
    lua_setfield(L, -2, "key");
    lua_rawseti(L, -2, (lua_Integer)k + 1);
  }
}

/* ------------------------------------------------------------------------
** The call
*/

/* Score and summarise; see the top of the file.  The scorer's model is
** taken after the `by` function ran (it may close the scorer).
** [-0, +1, e] */
int sent_lua_corpus(lua_State *L, int sidx, int cidx, int oidx,
                    const char *fname) {
  static const char *const known[] = {"by", "threads", "threshold", NULL};
  lector_corpus *c = lk_host->corpus_check(L, cidx, fname);
  lk_opt_check(L, oidx, fname, known, NULL);
  int threads = lk_opt_threads(L, oidx, fname);
  double threshold = lk_opt_number(L, oidx, fname, "threshold",
                                   SENT_THRESHOLD, 0, 1);
  lua_settop(L, oidx);
  lk_guard *g = lk_guard_new(L);                 /* oidx + 1 */
  c = lk_guard_corpus(L, g, c);      /* a `by` function may close it */
  const lector_groups *gr = NULL;
  int kidx = 0;
  if (lua_type(L, oidx) == LUA_TTABLE &&
      lua_getfield(L, oidx, "by") != LUA_TNIL) {   /* oidx + 2 */
    gr = lk_host->group_keys(L, cidx, oidx + 2, fname);
    kidx = oidx + 4;                    /* oidx + 3: owner, + 4: keys */
  }
  size_t n = lk_host->corpus_count(c);
  int nw = lk_host->pool_workers(threads, n);
  run *r = run_new(L, g, n, nw);
  sent_lua_model(L, sidx, fname, &r->m);
  for (int k = 0; k < nw; k++) r->w[k].threshold = threshold;
  lector_pool job = {.struct_size = sizeof job, .corpus = c, .nworkers = nw,
                     .ctx = r->ctx, .fn = score_doc, .unreadable = unreadable,
                     .label = fname};
  char *err = NULL;
  if (n && lk_host->doc_pool(&job, &err) != LECTOR_OK)
    return lk_raise(L, fname, err);
  summary total;
  memset(&total, 0, sizeof total);
  for (size_t i = 0; i < n; i++) add_doc(&total, &r->docs[i]);
  if (total.errors)
    lk_host->log(sent_g.ctx, LECTOR_LOG_WARN, "%s: %zu documents could "
                 "not be read (see docs[i].error)", fname, total.errors);
  lua_createtable(L, 0, 4);
  push_docs(L, c, r, gr, kidx);
  lua_setfield(L, -2, "docs");
  push_groups(L, g, r, gr, kidx);
  lua_setfield(L, -2, "groups");
  push_summary(L, &total);
  lua_setfield(L, -2, "total");
  lua_pushinteger(L, nw);
  lua_setfield(L, -2, "threads");
  return 1;
}
