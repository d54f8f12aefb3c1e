/*
** ng_gram.c -- n-grams and skip-grams from a token stream (ng_gram.h).
*/
#include "ng_gram.h"

int ng_spec_check(const ng_spec *spec) {
  if (spec->nmin < 1 || spec->nmax > NG_MAX_N || spec->nmin > spec->nmax)
    return -1;
  if (spec->skip < 0 || spec->skip > NG_MAX_SKIP) return -1;
  return 0;
}

void ng_grams_begin(ng_grams *g, const ng_spec *spec, const ng_sink *out,
                    uint32_t doc) {
  g->spec = spec;
  g->out = *out;
  g->doc = doc;
  g->pos = 0;
  g->last_stop = 0;
  g->failed = 0;
  g->qhead = g->qn = 0;
}

/* Emit every gram of length k that ends at the newest token, choosing the
** gaps between neighbours (each 0..skip) like an odometer. */
static void skip_grams(ng_grams *g, int k) {
  const ng_spec *sp = g->spec;
  int gap[NG_MAX_N] = {0};
  uint64_t last = g->pos - 1;          /* 0-based position of the newest */
  for (;;) {
    uint32_t key[NG_MAX_N] = {0};
    uint64_t q = last;
    int j, ok = 1;
    /* positions from the end: q_{k-1} = last, q_{j-1} = q_j - 1 - gap[j] */
    for (j = k - 1; j >= 0; j--) {
      if (last - q >= NG_RING) { ok = 0; break; }
      if (sp->drop_stop && g->stop[q & (NG_RING - 1)]) { ok = 0; break; }
      key[j] = g->ring[q & (NG_RING - 1)];
      if (j > 0) {
        uint64_t step = 1 + (uint64_t)gap[j];
        if (q < step) { ok = 0; break; }
        q -= step;
      }
    }
    if (ok) ng_grams_emit(g, key, k);
    for (j = 1; j < k; j++) {          /* next combination of gaps */
      if (++gap[j] <= sp->skip) break;
      gap[j] = 0;
    }
    if (j >= k) return;
  }
}

void ng_grams_skip_(ng_grams *g) {
  int k;
  for (k = g->spec->nmin; k <= g->spec->nmax; k++)
    if (g->pos >= (uint64_t)k) skip_grams(g, k);
}
