/*
** ng_count.c -- threaded counting (see ng_count.h).
*/
#include <string.h>

#include "ng_count.h"
#include "ng_env.h"

/* ------------------------------------------------------------------------
** One text
*/

/* Drop mode: the stop-word-free token stream, read in step with the main
** one. */
typedef struct stop_cursor {
  const lector_tokenizer_api *api;
  lector_tok_state *st;
  lector_tok_span spans[NG_SPAN_BATCH];
  size_t i, n;
  int done;
} stop_cursor;

/* Is the token at offset missing from the stop-word-free stream? */
static int is_stop(stop_cursor *c, uint32_t offset) {
  for (;;) {
    while (c->i < c->n && c->spans[c->i].offset < offset) c->i++;
    if (c->i < c->n) return c->spans[c->i].offset != offset;
    if (c->done) return 1;
    c->n = c->api->next(c->st, c->spans, NG_SPAN_BATCH);
    c->i = 0;
    if (c->n == 0) c->done = 1;
  }
}

/* Tokens wait in a batch before they get their ids, so that the cache
** misses of the word lookups overlap (their slots are prefetched when the
** token arrives). */
#define BATCH NG_LEX_BATCH
#define BATCH_BYTES NG_LEX_BATCH_BYTES

typedef struct pending_tok {
  uint64_t hash;
  uint32_t at, len;            /* the word: bytes[at .. at + len) */
  int stop;
} pending_tok;

typedef struct text_ctx {
  ng_grams *g;
  ng_lex *lex;
  stop_cursor *sc;
  size_t n, used;              /* tokens and bytes waiting */
  pending_tok tok[BATCH];
  char bytes[BATCH_BYTES];
} text_ctx;

/* Give the waiting tokens their ids and push them.  0 or LECTOR_ENOMEM. */
static int flush(text_ctx *c) {
  size_t i;
  for (i = 0; i < c->n; i++) {
    const pending_tok *p = &c->tok[i];
    uint32_t id = ng_lex_id_h(c->lex, c->bytes + p->at, p->len, p->hash);
    if (id == 0) return LECTOR_ENOMEM;
    ng_grams_push(c->g, id, p->stop);
  }
  c->n = c->used = 0;
  return c->g->failed ? LECTOR_ENOMEM : 0;
}

/* The tokenizer's callback: one token into the batch. */
static int on_token(void *ud, const lector_tok_span *sp, const char *norm,
                    size_t norm_len) {
  text_ctx *c = ud;
  int stop = c->sc ? is_stop(c->sc, sp->offset) : 0;
  pending_tok *p;
  if ((c->n == BATCH || c->used + norm_len > BATCH_BYTES) && flush(c) != 0)
    return LECTOR_ENOMEM;
  if (norm_len > BATCH_BYTES) {                 /* a long token: at once */
    uint32_t id = ng_lex_id(c->lex, norm, norm_len);
    if (id == 0) return LECTOR_ENOMEM;
    ng_grams_push(c->g, id, stop);
    return c->g->failed ? LECTOR_ENOMEM : 0;
  }
  p = &c->tok[c->n++];
  memcpy(c->bytes + c->used, norm, norm_len);
  p->at = (uint32_t)c->used;
  p->len = (uint32_t)norm_len;
  p->stop = stop;
  p->hash = ng_lex_hash(norm, norm_len);
  ng_lex_prefetch(c->lex, p->hash);
  c->used += norm_len;
  return 0;
}

int ng_count_text(const ng_tokens *tok, ng_grams *g, ng_lex *lex,
                  const char *text, size_t len, lector_tok_state *st2,
                  char **err) {
  const lector_tokenizer_api *api = tok->api;
  stop_cursor cur;
  text_ctx c;
  int rc;
  c.g = g;
  c.lex = lex;
  c.sc = NULL;
  c.n = c.used = 0;
  if (tok->stop_opts) {
    rc = api->begin(st2, tok->stop_opts, text, len, err);
    if (rc != LECTOR_OK) return rc;
    cur.api = api;
    cur.st = st2;
    cur.i = cur.n = 0;
    cur.done = 0;
    c.sc = &cur;
  }
  rc = api->each(tok->opts, text, len, on_token, &c, err);
  if (rc == LECTOR_OK) rc = flush(&c);
  if (c.sc) api->end(st2);
  if (ng_grams_end(g) != 0 || rc == LECTOR_ENOMEM) {
    NG_FREE(*err);
    *err = NG_ERRORF("out of memory");
    return LECTOR_ENOMEM;
  }
  return rc;
}

/* ------------------------------------------------------------------------
** Workers
*/

#define NT (NG_MAX_N + 1)       /* tables per group: one per gram length */

typedef struct wctx {
  ng_job *job;
  ng_table *tables;            /* group g, length k: tables[g * NT + k]
                                  (width 0: not started) */
  uint64_t *docs;              /* documents counted per group */
  uint32_t stamp;              /* this worker's document counter */
  ng_lex lex;                  /* words -> ids */
  lector_tok_state st2;        /* drop mode: the stop-word-free stream */
} wctx;

/* Start the tables t[nmin..nmax] of a group, with room for expect grams
** each.  0 or -1. */
static int start_tables(ng_table *t, const ng_spec *sp, size_t expect) {
  int k;
  for (k = sp->nmin; k <= sp->nmax; k++)
    if (ng_table_init(&t[k], k, 1, expect) != 0) return -1;
  return 0;
}

static void clear_table(ng_table *t) {
  if (!t->used) return;
  memset(t->slots, 0, (size_t)t->cap * t->stride * sizeof *t->slots);
  memset(t->total, 0, sizeof t->total);
  t->used = 0;
  t->nbig = 0;
}

/* The tables document i counts into: its group's, or in per-document mode
** the worker's scratch tables, cleared.  NULL on out of memory. */
static ng_table *tables_for(wctx *w, size_t i, uint32_t *grp) {
  ng_job *job = w->job;
  const ng_spec *sp = job->spec;
  ng_table *t;
  int k;
  *grp = job->group && !job->doc_fn ? (uint32_t)job->group[i] : 0;
  t = &w->tables[(size_t)*grp * NT];
  /* small jobs and groups start small (a group holds few documents) */
  if (t[sp->nmin].width == 0 &&
      start_tables(t, sp, job->ngroups > 1 || job->src->ndocs < 64
                              ? 0 : NG_INITIAL_CAP) != 0)
    return NULL;
  if (job->doc_fn)
    for (k = sp->nmin; k <= sp->nmax; k++) clear_table(&t[k]);
  return t;
}

static int count_doc(void *ctx, size_t i, const lector_text *text,
                     char **err) {
  wctx *w = ctx;
  ng_job *job = w->job;
  uint32_t grp;
  ng_grams g;
  int rc;
  ng_table *t = tables_for(w, i, &grp);
  if (!t) {
    *err = NG_ERRORF("out of memory");
    return LECTOR_ENOMEM;
  }
  ng_grams_begin(&g, job->spec, t, ++w->stamp);
  rc = ng_count_text(job->tok, &g, &w->lex, text->data, text->len, &w->st2,
                     err);
  if (rc != LECTOR_OK) return rc;
  w->docs[grp]++;
  return job->doc_fn ? job->doc_fn(job->doc_ud, i, t, err) : LECTOR_OK;
}

/* ------------------------------------------------------------------------
** Setup, merge, cleanup
*/

static void free_workers(wctx *ws, int n, uint32_t ngroups) {
  size_t i, j;
  if (!ws) return;
  for (i = 0; i < (size_t)n; i++) {
    if (ws[i].tables)
      for (j = 0; j < (size_t)ngroups * NT; j++) ng_table_free(&ws[i].tables[j]);
    NG_FREE(ws[i].tables);
    NG_FREE(ws[i].docs);
    ng_lex_free(&ws[i].lex);
  }
  NG_FREE(ws);
}

static wctx *new_workers(ng_job *job, int n) {
  wctx *ws = NG_ALLOC((size_t)n * sizeof *ws);
  size_t tb = (size_t)job->ngroups * NT * sizeof(ng_table);
  size_t db = job->ngroups * sizeof(uint64_t);
  int i;
  if (!ws) return NULL;
  memset(ws, 0, (size_t)n * sizeof *ws);
  for (i = 0; i < n; i++) {
    ws[i].job = job;
    ng_lex_init(&ws[i].lex);
    ws[i].tables = NG_ALLOC(tb);
    ws[i].docs = NG_ALLOC(db);
    if (!ws[i].tables || !ws[i].docs) {
      NG_FREE(ws[i].tables);
      ws[i].tables = NULL;
      free_workers(ws, i + 1, 0);
      return NULL;
    }
    memset(ws[i].tables, 0, tb);
    memset(ws[i].docs, 0, db);
  }
  return ws;
}

/* Merge the workers' k-gram tables of group g into part (moved from the
** largest, the others added).  0 or -1. */
static int merge_length(wctx *ws, int n, uint32_t g, int k, ng_table *part) {
  int i, best = -1;
  size_t at = (size_t)g * NT + (size_t)k;
  for (i = 0; i < n; i++)
    if (ws[i].tables[at].width &&
        (best < 0 || ws[i].tables[at].used > ws[best].tables[at].used))
      best = i;
  if (best < 0) return ng_table_init(part, k, 0, 0);
  ng_table_move(part, &ws[best].tables[at]);
  for (i = 0; i < n; i++) {
    if (i == best || !ws[i].tables[at].width) continue;
    if (ng_table_merge(part, &ws[i].tables[at]) != 0) return -1;
    ng_table_free(&ws[i].tables[at]);
  }
  return 0;
}

/* Merge group g of every worker into job->tables[g].  0 or -1. */
static int merge_group(ng_job *job, wctx *ws, int n, uint32_t g) {
  const ng_spec *sp = job->spec;
  ng_table parts[NT];
  int i, k, rc = 0;
  memset(parts, 0, sizeof parts);
  job->docs[g] = 0;
  for (i = 0; i < n; i++) job->docs[g] += ws[i].docs[g];
  for (k = sp->nmin; k <= sp->nmax && rc == 0; k++)
    rc = merge_length(ws, n, g, k, &parts[k]);
  if (rc == 0)
    rc = ng_table_assemble(&job->tables[g], parts, sp->nmin, sp->nmax,
                           sp->nmax, job->min_count, 1);
  for (k = 0; k < NT; k++) ng_table_free(&parts[k]);
  return rc;
}

void ng_count_free_results(ng_job *job) {
  uint32_t g;
  if (job->tables)
    for (g = 0; g < job->ngroups; g++) ng_table_free(&job->tables[g]);
  NG_FREE(job->tables);
  NG_FREE(job->docs);
  job->tables = NULL;
  job->docs = NULL;
}

static int merge_all(ng_job *job, wctx *ws, int n) {
  uint32_t g;
  size_t tb = job->ngroups * sizeof *job->tables;
  job->tables = NG_ALLOC(tb);
  job->docs = NG_ALLOC(job->ngroups * sizeof *job->docs);
  if (!job->tables || !job->docs) return -1;
  memset(job->tables, 0, tb);
  for (g = 0; g < job->ngroups; g++)
    if (merge_group(job, ws, n, g) != 0) return -1;
  return 0;
}

int ng_count_run(ng_job *job, char **err) {
  void *ctx[NG_MAX_THREADS];
  int n = job->threads, i, rc;
  wctx *ws;
  *err = NULL;
  job->tables = NULL;
  job->docs = NULL;
  if (ng_spec_check(job->spec) != 0 || job->ngroups < 1) {
    *err = NG_ERRORF("bad counting spec (n %d..%d, skip %d)",
                     job->spec->nmin, job->spec->nmax, job->spec->skip);
    return LECTOR_ERR;
  }
  if (n < 1) n = 1;
  if (n > NG_MAX_THREADS) n = NG_MAX_THREADS;
  if ((size_t)n > job->src->ndocs) n = job->src->ndocs ? (int)job->src->ndocs : 1;
  ws = new_workers(job, n);
  if (!ws) {
    *err = NG_ERRORF("out of memory");
    return LECTOR_ENOMEM;
  }
  for (i = 0; i < n; i++) ctx[i] = &ws[i];
  rc = ng_par_run(job->src, ctx, n, job->group, job->interrupted, count_doc,
                  err);
  if (rc == LECTOR_OK && !job->doc_fn && merge_all(job, ws, n) != 0) {
    *err = NG_ERRORF("out of memory");
    rc = LECTOR_ENOMEM;
  }
  free_workers(ws, n, job->ngroups);
  if (rc != LECTOR_OK) ng_count_free_results(job);
  return rc;
}
