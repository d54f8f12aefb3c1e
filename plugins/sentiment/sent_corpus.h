/*
** sent_corpus.h -- the sentence scores of one document of a corpus.
**
** sentiment.corpus runs sc_score_doc on the host's document pool, one
** vader_ws per worker; the counts of every document go into its own
** sc_doc, so workers share nothing but the (read-only) model.
**
** Ownership: sc_doc.err is lk_alloc memory (an lk_errorf message, or one
** handed over by the host), freed with sc_docs_clear.
*/
#ifndef SENT_CORPUS_H
#define SENT_CORPUS_H

#include <stddef.h>
#include <stdint.h>

#include "vader.h"

typedef struct sc_doc {
  uint32_t sentences;   /* sentences scored */
  uint32_t pos, neg;    /* those with compound >= threshold, <= -threshold */
  double sum;           /* sum of their compounds */
  char *err;            /* why the document could not be scored, or NULL */
} sc_doc;

/* Score every sentence of text[0 .. len) with m into *d (zeroed first),
** using ws (one per thread).  A document that cannot be scored (one over
** 4 GiB) gets d->err and LECTOR_OK: the others go on.  Out of memory or
** an interrupt returns LECTOR_ENOMEM or LECTOR_EINTERRUPT with *err (the
** caller frees it with lk_free): the run must stop. */
int sc_score_doc(vader_ws *ws, const vader_model *m, const char *text,
                 size_t len, double threshold, sc_doc *d, char **err);

/* Free the err strings of out[0 .. n). */
void sc_docs_clear(sc_doc *out, size_t n);

#endif
