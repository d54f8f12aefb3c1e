/*
** ng_count.c -- threaded counting (see ng_count.h).
*/
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "ng_count.h"
#include "ng_next.h"
#include "lector/kit.h"

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

/* A worker's tokenizer states: the stop-word-free stream, the sentences. */
typedef struct scratch {
  lector_tok_state stop, sent;
} scratch;

/* A document's token words (ng_route.h): ids, stop bits, sentence ends. */
typedef struct id_buf {
  uint32_t *w;
  size_t n, cap;
} id_buf;

/* Room for more words in b.  0 or -1. */
static int ids_reserve(id_buf *b, size_t more) {
  uint32_t *w;
  if (b->n + more <= b->cap) return 0;
  if (b->n + more < more ||
      !(w = lk_grow(b->w, &b->cap, b->n + more, sizeof *w)))
    return -1;
  b->w = w;
  return 0;
}

/* Append x to b.  0 or -1. */
static int ids_put(id_buf *b, uint32_t x) {
  if (ids_reserve(b, 1) != 0) return -1;
  b->w[b->n++] = x;
  return 0;
}

/* Tokens wait in a batch before they get their ids, so that the cache
** misses of the word lookups overlap (their slots are prefetched when the
** token arrives). */
#define BATCH NG_WORDCACHE_BATCH
#define BATCH_BYTES NG_WORDCACHE_BATCH_BYTES

typedef struct pending_tok {
  uint64_t hash;
  uint32_t at, len;            /* the word: bytes[at .. at + len) */
  int stop;
} pending_tok;

typedef struct text_ctx {
  id_buf *out;
  ng_wordcache *lex;
  stop_cursor *sc;
  size_t n, used;              /* tokens and bytes waiting */
  pending_tok tok[BATCH];
  char bytes[BATCH_BYTES];
} text_ctx;

/* A token's word: its id (0 on out of memory, or past NG_ID_MAX) and the
** stop bit. */
static uint32_t token_word(uint32_t id, int stop) {
  if (id > NG_ID_MAX) return 0;
  return id | (stop ? NG_STOP_BIT : 0);
}

/* Give the waiting tokens their ids, into c->out.  0 or LECTOR_ENOMEM. */
static int flush(text_ctx *c) {
  id_buf *b = c->out;
  size_t i;
  if (ids_reserve(b, c->n) != 0) return LECTOR_ENOMEM;
  for (i = 0; i < c->n; i++) {
    const pending_tok *p = &c->tok[i];
    uint32_t w = token_word(
        ng_wordcache_id_h(c->lex, c->bytes + p->at, p->len, p->hash), p->stop);
    if (w == 0) return LECTOR_ENOMEM;
    b->w[b->n++] = w;
  }
  c->n = c->used = 0;
  return 0;
}

/* The tokenizer's callback: one token into the batch. */
static int on_token(void *ud, const lector_tok_span *sp, const char *norm,
                    size_t norm_len) {
  text_ctx *c = ud;
  int stop = c->sc ? is_stop(c->sc, sp->offset) : 0, rc;
  pending_tok *p;
  /* an empty word (a stemmer may make one) is no word; counting it would
  ** fail as if memory ran out (ng_wordcache_id is 0 for it) */
  if (norm_len == 0) return 0;
  if ((c->n == BATCH || c->used + norm_len > BATCH_BYTES) &&
      (rc = flush(c)) != 0)
    return rc;
  if (norm_len > BATCH_BYTES) {                 /* a long token: at once */
    uint32_t w = token_word(ng_wordcache_id(c->lex, norm, norm_len), stop);
    return w == 0 || ids_put(c->out, w) != 0 ? LECTOR_ENOMEM : 0;
  }
  p = &c->tok[c->n++];
  memcpy(c->bytes + c->used, norm, norm_len);
  p->at = (uint32_t)c->used;
  p->len = (uint32_t)norm_len;
  p->stop = stop;
  p->hash = ng_wordcache_hash(norm, norm_len);
  ng_wordcache_prefetch(c->lex, p->hash);
  c->used += norm_len;
  return 0;
}

/* The words of every token of text[0..len) (a whole text or one
** sentence) into c->out. */
static int words_of_span(const ng_tokens *tok, text_ctx *c, const char *text,
                         size_t len, lector_tok_state *stop_st, char **err) {
  const lector_tokenizer_api *api = tok->api;
  stop_cursor cur;
  int rc;
  c->sc = NULL;
  if (tok->stop_opts) {
    rc = api->begin(stop_st, tok->stop_opts, text, len, err);
    if (rc != LECTOR_OK) return rc;
    cur.api = api;
    cur.st = stop_st;
    cur.i = cur.n = 0;
    cur.done = 0;
    c->sc = &cur;
  }
  rc = api->each(tok->opts, text, len, on_token, c, err);
  if (rc == LECTOR_OK) rc = flush(c);
  if (c->sc) api->end(stop_st);
  return rc;
}

/* The words of each sentence of text[0..len), a 0 after each. */
static int words_of_sentences(const ng_tokens *tok, text_ctx *c,
                              const char *text, size_t len, scratch *st,
                              char **err) {
  const lector_tokenizer_api *api = tok->api;
  lector_sent_span sp[NG_SPAN_BATCH];
  size_t got, k;
  int rc = api->sent_begin(&st->sent, tok->opts, text, len, err);
  if (rc != LECTOR_OK) return rc;
  while (rc == LECTOR_OK &&
         (got = api->sent_next(&st->sent, sp, NG_SPAN_BATCH)) > 0)
    for (k = 0; k < got && rc == LECTOR_OK; k++) {
      rc = words_of_span(tok, c, text + sp[k].offset, sp[k].length,
                         &st->stop, err);
      if (rc == LECTOR_OK && ids_put(c->out, 0) != 0) rc = LECTOR_ENOMEM;
    }
  api->end(&st->sent);
  return rc;
}

/* Tokenize text[0..len) with tok into out (emptied first), each word's id
** from lex.  LECTOR_OK, or a code with *err. */
static int text_words(const ng_tokens *tok, id_buf *out, ng_wordcache *lex,
                      const char *text, size_t len, scratch *st,
                      char **err) {
  text_ctx c;
  int rc;
  out->n = 0;
  c.out = out;
  c.lex = lex;
  c.n = c.used = 0;
  rc = tok->sentences ? words_of_sentences(tok, &c, text, len, st, err)
                      : words_of_span(tok, &c, text, len, &st->stop, err);
  if (rc == LECTOR_ENOMEM) {
    lk_free(*err);
    *err = lk_errorf("out of memory");
  }
  return rc;
}

/* ------------------------------------------------------------------------
** A packed corpus's token streams (ng_tokens.pack)
*/

_Atomic uint64_t ng_count_stream_docs;

/* A pack word with an empty normalised form: no word, as on_token. */
#define NO_WORD UINT32_MAX

/* A worker's reading of the streams: the current document's pack ids,
** and what each pack word is here (0: not looked up yet), so that a
** word's id is decided once per worker, not once per token. */
typedef struct stream {
  uint32_t *pids;              /* host->realloc memory (doc_tokens) */
  size_t n, cap;
  uint32_t *map;               /* pack_words entries (lk_alloc), or NULL */
} stream;

static void stream_free(stream *ps) {
  if (ps->pids) lk_host->free(ps->pids);
  lk_free(ps->map);
  memset(ps, 0, sizeof *ps);
}

/* What pack word pid is: its vocabulary id (its normalised form through
** lex), or NO_WORD, into ps->map[pid].  LECTOR_OK, or a code with *err. */
static int stream_word(const ng_tokens *tok, stream *ps, ng_wordcache *lex,
                       uint32_t pid, char **err) {
  size_t len = 0;
  const char *s = lk_host->tokens_word(tok->pack, pid, &len);
  uint32_t id;
  if (!s) {
    *err = lk_errorf("packed token stream: word %" PRIu32 " is not in the "
                     "pack's word list", pid);
    return LECTOR_ERR;
  }
  if (len == 0) {
    ps->map[pid] = NO_WORD;
    return LECTOR_OK;
  }
  id = token_word(ng_wordcache_id(lex, s, len), 0);
  if (id == 0) {
    *err = lk_errorf("out of memory");
    return LECTOR_ENOMEM;
  }
  ps->map[pid] = id;
  return LECTOR_OK;
}

/* Document i's words from the pack into out (emptied first), exactly
** those text_words would give.  LECTOR_OK, or a code with *err. */
static int stream_words(const ng_tokens *tok, stream *ps, id_buf *out,
                        ng_wordcache *lex, size_t i, char **err) {
  size_t k, nw = tok->pack_words;
  int rc = lk_host->doc_tokens(tok->pack, tok->pack_first + i, &ps->pids,
                               &ps->n, &ps->cap, err);
  if (rc != LECTOR_OK) {
    if (!*err) *err = lk_errorf("out of memory");
    return rc;
  }
  if (!ps->map) {
    if (nw > SIZE_MAX / sizeof *ps->map ||
        !(ps->map = lk_alloc(nw * sizeof *ps->map))) {
      *err = lk_errorf("out of memory");
      return LECTOR_ENOMEM;
    }
    memset(ps->map, 0, nw * sizeof *ps->map);
  }
  out->n = 0;
  if (ids_reserve(out, ps->n) != 0) {
    *err = lk_errorf("out of memory");
    return LECTOR_ENOMEM;
  }
  for (k = 0; k < ps->n; k++) {
    uint32_t pid = ps->pids[k], x;
    if ((k & 0xFFFFF) == 0xFFFFF && lk_interrupted()) {  /* a huge document */
      *err = lk_errorf("interrupted");
      return LECTOR_EINTERRUPT;
    }
    if (pid >= nw) {
      *err = lk_errorf("packed token stream of document %zu: word %" PRIu32
                       " past the pack's %zu words", tok->pack_first + i,
                       pid, nw);
      return LECTOR_ERR;
    }
    if ((x = ps->map[pid]) == 0) {
      if ((rc = stream_word(tok, ps, lex, pid, err)) != LECTOR_OK) return rc;
      x = ps->map[pid];
    }
    if (x != NO_WORD) out->w[out->n++] = x;
  }
  atomic_fetch_add_explicit(&ng_count_stream_docs, 1, memory_order_relaxed);
  return LECTOR_OK;
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
  ng_wordcache *lex;                 /* words -> ids (shared) */
  scratch st;
  stream ps;                   /* with tok->pack */
  id_buf ids;                  /* the words of its current document */
  ng_route route;              /* with several workers, not per document */
  int routed;
  ng_uni uni;                  /* unigrams (no groups, not per document) */
  int by_id;                   /* unigrams go to uni */
  int rc;                      /* of the route's finish */
  int self;                    /* worker number */
  uint64_t seen;               /* documents counted here (own and sent) */
  size_t share;                /* bytes of tables before a run (0: none) */
  char *err;                   /* why spilling failed (lk_errorf) */
  int spill_rc;                /* and its code */
} wctx;

/* The tables of group grp (not the unigrams' when they go by id),
** started.  NULL on out of memory. */
static ng_table *group_tables(wctx *w, uint32_t grp) {
  ng_job *job = w->job;
  const ng_spec *sp = job->spec;
  ng_table *t = &w->tables[(size_t)grp * NT];
  /* small jobs and groups start small (a group holds few documents) */
  size_t expect = job->ngroups > 1 || job->src->ndocs < 64 ? 0
                                                           : NG_INITIAL_CAP;
  int k = w->by_id ? 2 : sp->nmin;
  if (t[sp->nmax].width == 0)
    for (; k <= sp->nmax; k++)
      if (ng_table_init(&t[k], k, 1, expect) != 0) return NULL;
  return t;
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
  t = group_tables(w, *grp);
  if (t && job->doc_fn)
    for (k = sp->nmin; k <= sp->nmax; k++) clear_table(&t[k]);
  /* count what the others sent first: their buffers are free sooner */
  if (t && w->routed && ng_route_drain(&w->route) < 0) return NULL;
  return t;
}

#define UNI_AHEAD 16     /* unigram entries are prefetched this far ahead */

/* Count the grams of a document's words ids[0..n) of group grp that are
** this worker's: all of them on one thread, else the unigrams of its own
** documents (by id) and the grams whose first word it owns.  0 or -1. */
static int count_words(wctx *w, uint32_t grp, const uint32_t *ids, size_t n,
                       int own) {
  ng_sink out;
  ng_grams g;
  size_t k;
  if (!(out.t = group_tables(w, grp))) return -1;
  out.uni = own && w->by_id ? &w->uni : NULL;
  out.uni_elsewhere = !own && w->by_id;
  out.owners = w->routed ? w->route.r->n : 1;
  out.self = w->route.self;
  if (++w->stamp == 0) w->stamp = 1;           /* 0 means "no stamp" */
  ng_grams_begin(&g, w->job->spec, &out, w->stamp);
  for (k = 0; k < n; k++) {
    uint32_t x = ids[k];
    if (out.uni && k + UNI_AHEAD < n)
      ng_uni_prefetch(out.uni, ids[k + UNI_AHEAD] & NG_ID_MAX);
    if (x == 0)
      ng_grams_break(&g);
    else
      ng_grams_push(&g, x & NG_ID_MAX, (x & NG_STOP_BIT) != 0);
  }
  return ng_grams_end(&g) != 0 ? -1 : 0;
}

/* ------------------------------------------------------------------------
** Spilling (ng_spill.h)
*/

/* Would the worker's tables pass its share should the largest table that
** is nearly full double (old and new arrays both held) in the next
** document? */
static int over_budget(const wctx *w) {
  const ng_job *job = w->job;
  size_t sum = 0, grow = 0, i, nt = (size_t)job->ngroups * NT;
  for (i = 0; i < nt; i++) {
    const ng_table *t = &w->tables[i];
    size_t m;
    if (!t->width) continue;
    m = ng_table_memory(t);
    sum += m;
    if (t->used + t->limit / 8 >= t->limit && 2 * m > grow) grow = 2 * m;
  }
  return sum + grow > w->share;
}

/* Write every table of the worker holding grams as a run.  0, or -1 with
** w->err and w->spill_rc. */
static int spill_all(wctx *w) {
  ng_job *job = w->job;
  size_t i, nt = (size_t)job->ngroups * NT;
  for (i = 0; i < nt; i++) {
    ng_table *t = &w->tables[i];
    if (!t->width || !t->used) continue;
    if (ng_spill_write(job->spill, (uint32_t)(i / NT), t, w->seen,
                       &w->err) != 0) {
      w->spill_rc = lk_interrupted() ? LECTOR_EINTERRUPT : LECTOR_ERR;
      return -1;
    }
  }
  return 0;
}

/* After a document: spill when over budget.  0 or -1 (w->err). */
static int maybe_spill(wctx *w) {
  if (!w->share || !over_budget(w)) return 0;
  return spill_all(w);
}

/* The error of a failed step: the spill's, else out of memory (code
** rc). */
static int worker_fail(wctx *w, int rc, char **err) {
  if (w->err) {
    lk_free(*err);
    *err = w->err;
    w->err = NULL;
    return w->spill_rc;
  }
  if (!*err) *err = lk_errorf("out of memory");
  return rc;
}

/* ng_route's hook: a document another worker sent. */
static int count_sent(void *ud, uint32_t grp, const uint32_t *ids,
                      uint32_t n) {
  wctx *w = ud;
  if (count_words(w, grp, ids, n, 0) != 0) return -1;
  w->seen++;
  return maybe_spill(w);
}

/* Count the current document's words (w->ids) in group grp, and send
** them to the other workers.  LECTOR_OK, or a code with *err. */
static int count_in_group(wctx *w, uint32_t grp, char **err) {
  int rc;
  if (count_words(w, grp, w->ids.w, w->ids.n, 1) != 0) {
    *err = lk_errorf("out of memory");
    return LECTOR_ENOMEM;
  }
  w->docs[grp]++;
  w->seen++;
  if (maybe_spill(w) != 0) return worker_fail(w, LECTOR_ERR, err);
  if (w->routed &&
      (rc = ng_route_send(&w->route, grp, w->ids.w, w->ids.n)) != LECTOR_OK) {
    if (rc == LECTOR_ENOMEM) *err = lk_errorf("out of memory");
    return rc;
  }
  return LECTOR_OK;
}

/* Document i's words into w->ids: from the pack's stream, or by
** tokenizing its text. */
static int doc_words(wctx *w, size_t i, const lector_text *text,
                     char **err) {
  const ng_tokens *tok = w->job->tok;
  if (tok->pack) return stream_words(tok, &w->ps, &w->ids, w->lex, i, err);
  return text_words(tok, &w->ids, w->lex, text->data, text->len, &w->st,
                    err);
}

/* Word mode: hand document i's words to job->words_fn. */
static int words_doc(wctx *w, size_t i, const lector_text *text,
                     char **err) {
  ng_job *job = w->job;
  int rc = doc_words(w, i, text, err);
  if (rc != LECTOR_OK) return rc;
  return job->words_fn(job->doc_ud, w->self, i, w->ids.w, w->ids.n, err);
}

/* The pool's function: document i, counted in each of its groups. */
static int count_doc(void *ctx, size_t i, const lector_text *text,
                     char **err) {
  wctx *w = ctx;
  ng_job *job = w->job;
  uint32_t grp;
  ng_table *t;
  size_t x;
  int rc;
  if (job->words_fn) return words_doc(w, i, text, err);
  if (!(t = tables_for(w, i, &grp))) return worker_fail(w, LECTOR_ENOMEM, err);
  rc = doc_words(w, i, text, err);
  if (rc != LECTOR_OK) return rc;
  if (job->doc_fn) {
    if (count_words(w, grp, w->ids.w, w->ids.n, 1) != 0) {
      *err = lk_errorf("out of memory");
      return LECTOR_ENOMEM;
    }
    w->docs[grp]++;
    return job->doc_fn(job->doc_ud, i, t, err);
  }
  rc = count_in_group(w, grp, err);
  /* a document in several groups (member[first[i]] is group[i]) */
  for (x = job->first ? job->first[i] + 1 : 0;
       rc == LECTOR_OK && job->first && x < job->first[i + 1]; x++)
    rc = count_in_group(w, (uint32_t)job->member[x], err);
  return rc;
}

/* The pool's done hook: finish the exchange with the other workers. */
static void worker_done(void *ctx, int failed) {
  wctx *w = ctx;
  if (w->routed) w->rc = ng_route_finish(&w->route, failed);
}

/* ------------------------------------------------------------------------
** Setup, assembly, cleanup
*/

static void free_workers(wctx *ws, int n, uint32_t ngroups) {
  size_t i, j;
  if (!ws) return;
  for (i = 0; i < (size_t)n; i++) {
    if (ws[i].tables)
      for (j = 0; j < (size_t)ngroups * NT; j++)
        ng_table_free(&ws[i].tables[j]);
    lk_free(ws[i].tables);
    lk_free(ws[i].docs);
    ng_route_free(&ws[i].route);
    lk_free(ws[i].ids.w);
    stream_free(&ws[i].ps);
    lk_free(ws[i].err);
    ng_uni_free(&ws[i].uni);
  }
  lk_free(ws);
}

/* n workers sharing lex; with router (n >= 2), each owns a share of the
** grams.  NULL on out of memory. */
static wctx *new_workers(ng_job *job, int n, ng_wordcache *lex,
                         ng_router *router) {
  wctx *ws = lk_alloc((size_t)n * sizeof *ws);
  size_t tb = (size_t)job->ngroups * NT * sizeof(ng_table);
  size_t db = job->ngroups * sizeof(uint64_t);
  int i;
  if (!ws) return NULL;
  memset(ws, 0, (size_t)n * sizeof *ws);
  for (i = 0; i < n; i++) {
    ws[i].job = job;
    ws[i].self = i;
    ws[i].lex = lex;
    ws[i].by_id = job->spec->nmin == 1 && job->ngroups == 1 && !job->doc_fn;
    ws[i].tables = lk_alloc(tb);
    ws[i].docs = lk_alloc(db);
    ws[i].routed = router != NULL;
    if (router) ng_route_init(&ws[i].route, router, i, count_sent, &ws[i]);
    if (!ws[i].tables || !ws[i].docs) {
      lk_free(ws[i].tables);
      ws[i].tables = NULL;
      free_workers(ws, i + 1, 0);
      return NULL;
    }
    memset(ws[i].tables, 0, tb);
    memset(ws[i].docs, 0, db);
  }
  return ws;
}

/* The workers' unigram arrays added up into *part.  0 or -1. */
static int uni_part(wctx *ws, int n, ng_table *part) {
  const ng_uni *u[LECTOR_MAX_THREADS];
  int i;
  for (i = 0; i < n; i++) u[i] = &ws[i].uni;
  return ng_uni_into(part, u, n);
}

/* Put the owners' tables of group g together into job->tables[g] (each
** freed once copied).  0 or -1. */
static int assemble_group(ng_job *job, wctx *ws, int n, uint32_t g) {
  const ng_spec *sp = job->spec;
  ng_table *parts[LECTOR_MAX_THREADS * NT + 1], uni;
  size_t np = 0;
  int i, k, rc;
  memset(&uni, 0, sizeof uni);
  if (ws[0].by_id) {
    if (uni_part(ws, n, &uni) != 0) return -1;
    parts[np++] = &uni;
  }
  job->docs[g] = 0;
  for (i = 0; i < n; i++) {
    job->docs[g] += ws[i].docs[g];
    for (k = sp->nmin; k <= sp->nmax; k++)
      if (ws[i].tables[(size_t)g * NT + (size_t)k].width)
        parts[np++] = &ws[i].tables[(size_t)g * NT + (size_t)k];
  }
  rc = ng_table_assemble(&job->tables[g], parts, np, sp->nmax,
                         job->min_count, 1);
  ng_table_free(&uni);
  return rc;
}

void ng_count_free_results(ng_job *job) {
  uint32_t g;
  if (job->tables)
    for (g = 0; g < job->ngroups; g++) ng_table_free(&job->tables[g]);
  lk_free(job->tables);
  lk_free(job->docs);
  job->tables = NULL;
  job->docs = NULL;
}

static int assemble_all(ng_job *job, wctx *ws, int n) {
  uint32_t g;
  size_t tb = job->ngroups * sizeof *job->tables;
  job->tables = lk_alloc(tb);
  if (job->tables) memset(job->tables, 0, tb);   /* freed on any failure */
  job->docs = lk_alloc(job->ngroups * sizeof *job->docs);
  if (!job->tables || !job->docs) return -1;
  for (g = 0; g < job->ngroups; g++)
    if (assemble_group(job, ws, n, g) != 0) return -1;
  return 0;
}

/* Add the totals of t to tot (lengths 1..NG_MAX_N). */
static void add_totals(uint64_t *tot, const ng_table *t) {
  int k;
  for (k = 1; k <= NG_MAX_N; k++) tot[k] += t->total[k];
}

/* The results of a job that wrote runs: every worker's tables (and the
** unigrams) written as runs too, then merged per group into
** job->spill->files; job->tables hold the totals.  LECTOR_OK, or a code
** with *err. */
static int finish_spilled(ng_job *job, wctx *ws, int n, char **err) {
  const ng_spec *sp = job->spec;
  uint64_t (*tot)[NG_MAX_N + 1];
  size_t tb = job->ngroups * sizeof *job->tables, k;
  ng_meta base;
  ng_table uni;
  uint32_t g;
  int i, rc = -1;
  memset(&uni, 0, sizeof uni);
  job->tables = lk_alloc(tb);
  if (job->tables) memset(job->tables, 0, tb);
  job->docs = lk_alloc(job->ngroups * sizeof *job->docs);
  tot = lk_alloc(job->ngroups * sizeof *tot);
  if (!job->tables || !job->docs || !tot) goto oom;
  memset(job->docs, 0, job->ngroups * sizeof *job->docs);
  memset(tot, 0, job->ngroups * sizeof *tot);
  for (i = 0; i < n; i++) {
    for (k = 0; k < (size_t)job->ngroups * NT; k++) {
      ng_table *t = &ws[i].tables[k];
      if (!t->width) continue;
      add_totals(tot[k / NT], t);
      if (t->used && ng_spill_write(job->spill, (uint32_t)(k / NT), t,
                                    ws[i].seen, err) != 0)
        goto fail;
      ng_table_free(t);                         /* room for the merge */
    }
    for (g = 0; g < job->ngroups; g++) job->docs[g] += ws[i].docs[g];
  }
  if (ws[0].by_id) {
    if (uni_part(ws, n, &uni) != 0) goto oom;
    add_totals(tot[0], &uni);
    if (uni.used && ng_spill_write(job->spill, 0, &uni, job->docs[0], err))
      goto fail;
  }
  memset(&base, 0, sizeof base);
  base.nmin = sp->nmin;
  base.nmax = sp->nmax;
  base.skip = sp->skip;
  base.options = (char *)job->options;          /* read only */
  if (ng_spill_finish(job->spill, job->ngroups, &base, job->docs,
                      (const uint64_t (*)[NG_MAX_N + 1])tot, job->min_count,
                      err) != 0)
    goto fail;
  for (g = 0; g < job->ngroups; g++) {
    job->tables[g].width = (uint8_t)sp->nmax;
    job->tables[g].stride = (uint8_t)(sp->nmax + 2);
    memcpy(job->tables[g].total, tot[g], sizeof tot[g]);
  }
  rc = LECTOR_OK;
  goto done;
oom:
  lk_free(*err);
  *err = lk_errorf("out of memory");
  rc = LECTOR_ENOMEM;
  goto done;
fail:
  rc = lk_interrupted() ? LECTOR_EINTERRUPT : LECTOR_ERR;
done:
  ng_table_free(&uni);
  lk_free(tot);
  return rc;
}

/* Run the workers over the documents.  LECTOR_OK, or a code with *err. */
static int run_workers(ng_job *job, wctx *ws, int n, char **err) {
  void *ctx[LECTOR_MAX_THREADS] = {NULL};
  lector_pool pool;
  int i, rc;
  for (i = 0; i < n; i++) ctx[i] = &ws[i];
  memset(&pool, 0, sizeof pool);
  pool.struct_size = sizeof pool;
  pool.nworkers = n;
  pool.ctx = ctx;
  pool.fn = count_doc;
  pool.done = worker_done;
  pool.skip = job->group ? job->group : job->src->skip;
  pool.no_text = job->tok->pack != NULL;   /* words from the stream only */
  rc = job->src->run(job->src->ud, &pool, err);
  for (i = 0; i < n && rc == LECTOR_OK; i++)
    if (ws[i].rc != LECTOR_OK) rc = worker_fail(&ws[i], ws[i].rc, err);
  return rc;
}

/* The out-of-memory message of a job: what grew, and what to change.
** (min_count trims the result only: every gram is kept while counting.) */
static char *oom_message(const ng_job *job, const wctx *ws, int n) {
  const ng_spec *sp = job->spec;
  uint64_t grams = 0, docs = 0;
  size_t bytes = 0, j;
  uint32_t g, id;
  int i, k;
  char nbuf[16];
  for (i = 0; ws && i < n; i++) {
    for (g = 0; g < job->ngroups; g++) {
      docs += ws[i].docs[g];
      for (k = 0; k < NT && ws[i].tables; k++) {
        const ng_table *t = &ws[i].tables[(size_t)g * NT + (size_t)k];
        grams += t->used;
        bytes += ng_table_memory(t);
      }
    }
    for (id = 0; id < ws[i].uni.cap; id++) grams += ws[i].uni.e[id].count > 0;
    bytes += (size_t)ws[i].uni.cap * sizeof(ng_uni_e);
  }
  j = (size_t)snprintf(nbuf, sizeof nbuf, "%d", sp->nmin);
  if (sp->nmax != sp->nmin)
    snprintf(nbuf + j, sizeof nbuf - j, "..%d", sp->nmax);
  return lk_errorf("out of memory counting n=%s, skip=%d: %" PRIu64
                   " distinct grams so far (%zu MB of tables, not counting "
                   "the vocabulary) after %" PRIu64 " of %zu documents; "
                   "count with a smaller n or skip, raise --memory-limit, "
                   "give ngram.count a smaller memory budget (memory = "
                   "\"256M\": tables beyond it go to disk), or count parts "
                   "of the corpus and join them with ngram.merge_files "
                   "(min_count only trims the result)",
                   nbuf, sp->skip, grams, bytes >> 20, docs,
                   job->src->ndocs);
}

int ng_count_run(ng_job *job, char **err) {
  int n = job->src->nworkers, rc, i;
  ng_router router;
  ng_wordcache lex;
  ng_router *rt = NULL;
  wctx *ws;
  *err = NULL;
  job->tables = NULL;
  job->docs = NULL;
  if (ng_spec_check(job->spec) != 0 || job->ngroups < 1 || n < 1 ||
      n > LECTOR_MAX_THREADS) {
    *err = lk_errorf("bad counting job (n %d..%d, skip %d, %d workers)",
                     job->spec->nmin, job->spec->nmax, job->spec->skip, n);
    return LECTOR_ERR;
  }
  /* a whole pack's unigrams and bigrams: from its successor lists */
  if ((rc = ng_next_run(job, err)) != LECTOR_ENOTFOUND) return rc;
  memset(&router, 0, sizeof router);
  ng_wordcache_init(&lex);
  if (n > 1 && !job->doc_fn && !job->words_fn)
    rt = &router;                       /* per document: no owners */
  ws = !rt || ng_router_init(rt, n) == 0
           ? new_workers(job, n, &lex, rt) : NULL;
  if (!ws) {
    ng_router_free(&router);
    ng_wordcache_free(&lex);
    *err = lk_errorf("out of memory");
    return LECTOR_ENOMEM;
  }
  for (i = 0; i < n && job->spill && job->spill->budget && !job->doc_fn &&
              !job->words_fn; i++)
    ws[i].share = job->spill->budget / (size_t)n > 0
                      ? job->spill->budget / (size_t)n : 1;
  rc = run_workers(job, ws, n, err);
  if (rc == LECTOR_OK && job->spill && job->spill->nruns > 0)
    rc = finish_spilled(job, ws, n, err);
  else if (rc == LECTOR_OK && !job->doc_fn && !job->words_fn &&
           assemble_all(job, ws, n) != 0)
    rc = LECTOR_ENOMEM;
  if (rc == LECTOR_ENOMEM) {            /* say what grew */
    lk_free(*err);
    *err = oom_message(job, ws, n);
  }
  free_workers(ws, n, job->ngroups);
  ng_router_free(&router);
  ng_wordcache_free(&lex);
  if (rc != LECTOR_OK) ng_count_free_results(job);
  return rc;
}
