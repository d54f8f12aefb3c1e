/*
** sent_corpus.c -- one document's sentence scores, summed for the corpus
** summaries of sentiment.corpus.
*/
#include <string.h>

#include "lector/kit.h"
#include "sent_corpus.h"

typedef struct acc {
  sc_doc *d;
  double threshold;
} acc;

/* vader_sent_fn: count one sentence. */
static int add_sentence(void *ud, size_t off, size_t len,
                        const vader_scores *s) {
  acc *a = ud;
  (void)off;
  (void)len;
  a->d->sentences++;
  a->d->sum += s->compound;
  a->d->pos += s->compound >= a->threshold;
  a->d->neg += s->compound <= -a->threshold;
  return 0;
}

int sc_score_doc(vader_ws *ws, const vader_model *m, const char *text,
                 size_t len, double threshold, sc_doc *d, char **err) {
  acc a = {d, threshold};
  char *e = NULL;
  int rc;
  memset(d, 0, sizeof *d);
  rc = vader_sentences(ws, m, text, len, add_sentence, &a, &e);
  if (rc == LECTOR_OK) return LECTOR_OK;
  if (rc == LECTOR_ENOMEM || rc == LECTOR_EINTERRUPT) {
    *err = e ? e : lk_errorf("out of memory");
    return rc;
  }
  d->err = e ? e : lk_errorf("cannot score the document");
  return LECTOR_OK;
}

void sc_docs_clear(sc_doc *out, size_t n) {
  for (size_t i = 0; i < n; i++) {
    lk_free(out[i].err);
    out[i].err = NULL;
  }
}
