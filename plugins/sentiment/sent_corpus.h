/*
** sent_corpus.h -- scoring every sentence of many documents on all cores.
**
** The documents come from a sc_source (in the plugin: a corpus through
** host->doc_text; in tests: strings).  Each worker thread has its own
** vader_ws and takes documents from a shared counter; results go into
** one sc_doc per document, so no locks are held while scoring.
**
** Ownership: the model and the source are borrowed for the call and must
** be safe to use from several threads (the source's text() is called
** concurrently).  out[] is the caller's; sc_doc.err strings are
** sent_env memory, freed with sc_docs_clear.
*/
#ifndef SENT_CORPUS_H
#define SENT_CORPUS_H

#include <stddef.h>
#include <stdint.h>

#include "lector/plugin.h"
#include "vader.h"

typedef struct sc_source {
  void *ud;
  size_t n;             /* number of documents */
  /* The text of document i into *out; LECTOR_OK or an error code with
  ** *err (sent_env memory).  Called from several threads at once. */
  int (*text)(void *ud, size_t i, lector_text *out, char **err);
  /* Release what text() gave. */
  void (*release)(void *ud, lector_text *t);
} sc_source;

typedef struct sc_doc {
  uint32_t sentences;   /* sentences scored */
  uint32_t pos, neg;    /* those with compound >= threshold, <= -threshold */
  double sum;           /* sum of their compounds */
  char *err;            /* why the document could not be read, or NULL */
} sc_doc;

/* Score every sentence of src's documents into out[0 .. src->n) (zeroed
** first), with `threads` workers (<= 0: one per online core; never more
** than documents).  A document that cannot be read gets its err set and
** the others go on.  Returns LECTOR_OK, or an error code with *err when
** the work stopped: out of memory, or LECTOR_EINTERRUPT when the host's
** interrupt flag was raised. */
int sc_run(const vader_model *m, const sc_source *src, sc_doc *out,
           int threads, double threshold, char **err);

/* Free the err strings of out[0 .. n). */
void sc_docs_clear(sc_doc *out, size_t n);

/* The number of workers sc_run uses for `threads` and n documents. */
int sc_threads(int threads, size_t n);

#endif
