/*
** ng_gram.h -- turning a stream of token ids into n-grams: contiguous
** grams of lengths nmin..nmax, skip-grams, and the "drop" stop-word mode.
**
** One ng_grams per document being counted: begin, push every token in
** order, end; the grams go into one counting table per gram length (a
** table of width k for the k-grams: the small unigram table stays in the
** cache, and each table is as narrow as its keys).  No allocation except
** the tables' own growth.
**
** Skip-grams (skip = k > 0): a gram of length n is any n tokens in order
** with at most k tokens left out between two neighbours (quanteda's
** skip = 0:k); each choice of positions is one occurrence.
**
** Stop words: in "remove" mode the tokenizer already took them out, so
** grams run across the gap.  In "drop" mode they are pushed with stop = 1
** and every gram containing one is left out.
**
** Sentences: ng_grams_break ends the run of tokens, so that no gram spans
** the break (the caller breaks at every sentence end).
**
** Where grams go (ng_sink): the k-grams into the table of width k, or
** unigrams into an array by id (ng_uni.h); with several counting
** workers, only the grams whose first word this worker owns
** (ng_route.h).
*/
#ifndef NG_GRAM_H
#define NG_GRAM_H

#include <stdint.h>

#include "lector/plugin.h"
#include "ng_config.h"
#include "ng_route.h"
#include "ng_table.h"
#include "ng_uni.h"

#define NG_RING 64            /* > (NG_MAX_N - 1) * (NG_MAX_SKIP + 1) + 1 */

/* Grams are counted NG_QUEUE (ng_config.h) grams after they are made:
** their home slots are prefetched meanwhile, so the cache misses of the
** table overlap. */
typedef struct ng_pending {
  uint64_t hash;
  uint32_t key[NG_MAX_N];
  uint32_t len;
} ng_pending;

typedef struct ng_spec {
  int nmin, nmax;             /* gram lengths, 1 <= nmin <= nmax <= NG_MAX_N */
  int skip;                   /* 0..NG_MAX_SKIP */
  int drop_stop;              /* drop grams containing a stop token */
} ng_spec;

typedef struct ng_sink {
  ng_table *t;                /* t[k]: the k-grams (stamped, width k) */
  ng_uni *uni;                /* unigrams, instead of t[1] (may be NULL) */
  int uni_elsewhere;          /* unigrams are another worker's to count */
  int owners, self;           /* count the grams whose first word worker
                                 self of owners owns (owners 1: all) */
} ng_sink;

typedef struct ng_grams {
  const ng_spec *spec;
  ng_sink out;
  uint32_t doc;               /* the document's stamp in the tables */
  uint64_t pos;               /* tokens pushed since the start or break */
  uint64_t last_stop;         /* 1-based position of the last stop token */
  int failed;                 /* LECTOR_ENOMEM, or 0 while all is well */
  uint32_t ring[NG_RING];     /* the last tokens, by position % NG_RING */
  uint8_t stop[NG_RING];
  unsigned qhead, qn;         /* grams waiting to be counted */
  ng_pending queue[NG_QUEUE];
} ng_grams;

/* Is spec valid?  0 if so, else -1. */
int ng_spec_check(const ng_spec *spec);

/* Start a document: its grams go to out (tables t[k] for nmin <= k <=
** nmax, width k, stamped) with stamp doc (>= 1, a new value for each
** document of these tables).  Push its tokens, then call ng_grams_end. */
void ng_grams_begin(ng_grams *g, const ng_spec *spec, const ng_sink *out,
                    uint32_t doc);

/* No gram spans this point (a sentence ends). */
static inline void ng_grams_break(ng_grams *g) {
  g->pos = 0;
  g->last_stop = 0;
}

/* Internal: the skip-gram path. */
void ng_grams_skip_(ng_grams *g);

/* Count the oldest waiting gram. */
static inline void ng_grams_drain1_(ng_grams *g) {
  ng_pending *p = &g->queue[g->qhead];
  if (ng_table_hit(&g->out.t[p->len], p->key, (int)p->len, p->hash,
                   g->doc) != 0)
    g->failed = LECTOR_ENOMEM;
  g->qhead = (g->qhead + 1) % NG_QUEUE;
  g->qn--;
}

/* Queue the gram key (length len; NG_MAX_N words are copied) to be
** counted, if it is this sink's. */
static inline void ng_grams_emit(ng_grams *g, const uint32_t *key, int len) {
  ng_pending *p;
  uint64_t h;
  if (len == 1 && g->out.uni) {
    if (ng_uni_hit(g->out.uni, key[0], g->doc) != 0)
      g->failed = LECTOR_ENOMEM;
    return;
  }
  if (len == 1 && g->out.uni_elsewhere) return;
  if (g->out.owners > 1 && ng_owner(key[0], g->out.owners) != g->out.self)
    return;
  h = ng_hash(key, len);
  if (g->qn == NG_QUEUE) ng_grams_drain1_(g);
  p = &g->queue[(g->qhead + g->qn) % NG_QUEUE];
  memcpy(p->key, key, sizeof p->key);        /* key has NG_MAX_N words */
  p->len = (uint32_t)len;
  p->hash = h;
  ng_table_prefetch(&g->out.t[len], h);
  g->qn++;
}

/* End the document: count every waiting gram.  Returns 0, or g->failed. */
static inline int ng_grams_end(ng_grams *g) {
  while (g->qn) ng_grams_drain1_(g);
  return g->failed;
}

/* Push the next token: its vocabulary id (>= 1) and whether it is a stop
** word (drop mode).  Failures set g->failed. */
static inline void ng_grams_push(ng_grams *g, uint32_t id, int stop) {
  const ng_spec *sp = g->spec;
  uint64_t p = g->pos++;
  int k;
  g->ring[p & (NG_RING - 1)] = id;
  g->stop[p & (NG_RING - 1)] = (uint8_t)(stop != 0);
  if (stop) g->last_stop = p + 1;
  if (sp->skip) {
    ng_grams_skip_(g);
    return;
  }
  for (k = sp->nmin; k <= sp->nmax; k++) {
    uint32_t key[NG_MAX_N] = {0};
    int j;
    if (g->pos < (uint64_t)k) break;
    if (sp->drop_stop && g->last_stop && g->pos - g->last_stop < (uint64_t)k)
      break;                    /* longer grams hold the stop word too */
    for (j = 0; j < k; j++)
      key[j] = g->ring[(p + 1 - (uint64_t)k + (uint64_t)j) & (NG_RING - 1)];
    ng_grams_emit(g, key, k);
  }
}

#endif
