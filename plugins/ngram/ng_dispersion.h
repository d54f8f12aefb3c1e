/*
** ng_dispersion.h -- how evenly words or phrases spread over the parts of
** a corpus: range, Juilland's D, Gries's DP (docs/statistics.md).
**
** Parts are the documents of the source, or nparts parts of equal size
** cut from the corpus's token stream read in document order (part j holds
** the tokens at positions floor(j N / nparts) .. floor((j+1) N / nparts)
** - 1 of N).  An occurrence of a phrase belongs to the part of its first
** token.  For a target with counts c[i] in parts of sizes s[i] (tokens),
** f = sum c[i], S = sum s[i]:
**   range      parts with c[i] > 0
**   dp         0.5 * sum |c[i]/f - s[i]/S|               (Gries 2008)
**   dp_norm    dp / (1 - min s[i]/S)            (Lijffijt & Gries 2012)
**   juilland_d 1 - V / sqrt(n - 1), V = sd / mean of the relative
**              frequencies c[i]/s[i] over the n non-empty parts (each
**              weighing the same; sd the population one, divided by n)
** dp is undefined (NAN) when f = 0, dp_norm also when there is only
** one part, juilland_d when f = 0 or n < 2.
**
** Ownership: the spec is borrowed; results are lk_alloc memory the caller
** frees (ng_dispersion_free).  Errors are lk_errorf memory.
*/
#ifndef NG_DISPERSION_H
#define NG_DISPERSION_H

#include <stddef.h>
#include <stdint.h>

#include "ng_count.h"

typedef struct ng_dispersion_spec {
  const ng_tokens *tok;        /* no stop_opts, no sentences */
  const uint32_t *const *target;  /* ntargets phrases of vocabulary ids */
  const int *tlen;             /* their lengths, >= 1 */
  size_t ntargets;
  size_t nparts;               /* 0: one part per document */
} ng_dispersion_spec;

typedef struct ng_dispersion {
  size_t nparts;
  uint64_t *sizes;             /* tokens of each part */
  uint64_t *counts;            /* target t, part i: counts[t * nparts + i] */
  uint64_t tokens;             /* N */
} ng_dispersion;

/* The measures of one target. */
typedef struct ng_dispersion_stats {
  uint64_t freq, range;
  double dp, dp_norm, juilland_d;   /* NAN when undefined */
} ng_dispersion_stats;

/* Count the targets of spec in the documents of docs, by part, into *out.
** LECTOR_OK, or a code with *err (out then empty): LECTOR_ENOMEM,
** LECTOR_EINTERRUPT, the pool's, or LECTOR_ERR when spec->nparts exceeds
** the corpus's tokens. */
int ng_dispersion_run(const ng_dispersion_spec *spec, const ng_docs *docs,
                      ng_dispersion *out, char **err);

/* Free what d holds (d itself is the caller's). */
void ng_dispersion_free(ng_dispersion *d);

/* The measures of counts c[0..n) in parts of sizes s[0..n). */
void ng_dispersion_stats_of(const uint64_t *c, const uint64_t *s, size_t n,
                            ng_dispersion_stats *out);

#endif
