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
*/
#ifndef NG_GRAM_H
#define NG_GRAM_H

#include <stdint.h>

#include "ng_config.h"
#include "ng_table.h"

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

typedef struct ng_grams {
  const ng_spec *spec;
  ng_table *t;                /* t[k]: the k-grams (stamped, width k) */
  uint32_t doc;               /* the document's stamp in the tables */
  uint64_t pos;               /* tokens pushed so far */
  uint64_t last_stop;         /* 1-based position of the last stop token */
  int failed;                 /* an insertion ran out of memory */
  uint32_t ring[NG_RING];     /* the last tokens, by position % NG_RING */
  uint8_t stop[NG_RING];
  unsigned qhead, qn;         /* grams waiting to be counted */
  ng_pending queue[NG_QUEUE];
} ng_grams;

/* Is spec valid?  0 if so, else -1. */
int ng_spec_check(const ng_spec *spec);

/* Start a document: its k-grams go into t[k] (nmin <= k <= nmax; width k,
** stamped) with stamp doc (>= 1, a new value for each document of these
** tables).  Push its tokens, then call ng_grams_end. */
void ng_grams_begin(ng_grams *g, const ng_spec *spec, ng_table *t,
                    uint32_t doc);

/* Internal: the skip-gram path. */
void ng_grams_skip_(ng_grams *g);

/* Count the oldest waiting gram. */
static inline void ng_grams_drain1_(ng_grams *g) {
  ng_pending *p = &g->queue[g->qhead];
  if (ng_table_hit(&g->t[p->len], p->key, (int)p->len, p->hash, g->doc) != 0)
    g->failed = 1;
  g->qhead = (g->qhead + 1) % NG_QUEUE;
  g->qn--;
}

/* Queue the gram key (length len; NG_MAX_N words are copied) to be
** counted. */
static inline void ng_grams_emit(ng_grams *g, const uint32_t *key, int len) {
  ng_pending *p;
  if (g->qn == NG_QUEUE) ng_grams_drain1_(g);
  p = &g->queue[(g->qhead + g->qn) % NG_QUEUE];
  memcpy(p->key, key, sizeof p->key);        /* key has NG_MAX_N words */
  p->len = (uint32_t)len;
  p->hash = ng_hash(key, len);
  ng_table_prefetch(&g->t[len], p->hash);
  g->qn++;
}

/* End the document: count every waiting gram.  Returns 0, or -1 when an
** insertion ran out of memory (g->failed). */
static inline int ng_grams_end(ng_grams *g) {
  while (g->qn) ng_grams_drain1_(g);
  return g->failed ? -1 : 0;
}

/* Push the next token: its vocabulary id (>= 1) and whether it is a stop
** word (drop mode).  Out of memory sets g->failed. */
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
