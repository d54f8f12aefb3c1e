/*
** ng_kwic.h -- concordance (keyword in context): every occurrence of a
** phrase of normalised tokens in the documents of a source, with the byte
** ranges of its left context, the match and its right context in the
** original text.
**
** A phrase is a sequence of vocabulary ids as the tokenizer options make
** them (id 0 stands for any one token: the "*" of a query).  The window
** is counted in tokens of the same options; the contexts are the original
** bytes from the first context token to the match and from the match to
** the last context token, punctuation and line breaks included.  With
** tok->sentences, a match lies within one sentence and its contexts stop
** at that sentence's ends.
**
** Ownership: the spec is borrowed; the hits belong to the caller
** (ng_kwic_hits_free).  Errors are lk_errorf memory.
*/
#ifndef NG_KWIC_H
#define NG_KWIC_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "ng_buf.h"
#include "ng_count.h"

/* A packed corpus's tokens and checkpoints (host->doc_token_seek, ABI
** 1.6): a document whose phrase's first word (the anchor) occurs at
** stream positions pos[at[d] .. at[d] + count[d]) is matched in the
** stream's ids, and only a short stretch around each hit is tokenized,
** from the checkpoint at or before it, every token checked against the
** stream (same word at the same place); on any mismatch the document is
** tokenized whole, as without seek. */
#define NG_KWIC_ANY UINT32_MAX         /* "*" in pphrase */
typedef struct ng_kwic_seek {
  const lector_corpus *pack;   /* document d of the source is pack's d */
  const uint32_t *pphrase;     /* plen pack word ids (NG_KWIC_ANY: "*") */
  int anchor;                  /* the phrase's index of the anchor word */
  uint32_t empty;              /* the pack's id of "" (UINT32_MAX: none) */
  const size_t *at;            /* per document */
  const uint32_t *count;       /* per document (0: tokenize as before) */
  const uint32_t *pos;
} ng_kwic_seek;

typedef struct ng_kwic_spec {
  const ng_tokens *tok;        /* stop_opts is not used */
  const uint32_t *phrase;      /* plen ids; 0 matches any token */
  int plen;                    /* >= 1 */
  int window;                  /* tokens of context each side, >= 0 */
  const ng_kwic_seek *seek;    /* NULL: tokenize every document */
} ng_kwic_spec;

typedef struct ng_hit {
  size_t doc;                  /* document index in the source */
  uint32_t left, start;        /* left context: text[left .. start) */
  uint32_t end, right;         /* match: [start .. end); right: [end .. right) */
} ng_hit;

typedef struct ng_hits {
  ng_hit *v;
  size_t n, cap;
} ng_hits;

/* Documents ng_kwic_run tokenized whole (up to their last hit), not
** counting those whose hits it reached from a pack's checkpoints (any
** thread; for the tests: ngram._pack_stats's kwic_docs).  Of those,
** ng_kwic_fallbacks are documents whose checkpoints it tried and then
** gave up (a token differed from the stream's, or none kept), and
** ng_kwic_seek_docs counts documents served from checkpoints. */
extern _Atomic uint64_t ng_kwic_docs;
extern _Atomic uint64_t ng_kwic_fallbacks;
extern _Atomic uint64_t ng_kwic_seek_docs;

/* Find the hits of spec in every document of docs (ng_count.h; those
** of docs->skip left out), on its workers; *out gets them in document
** order, then text order.
** LECTOR_OK, or a code with *err (out then empty). */
int ng_kwic_run(const ng_kwic_spec *spec, const ng_docs *docs, ng_hits *out,
                char **err);

/* Free the hits. */
void ng_kwic_hits_free(ng_hits *h);

/* Copy text[a..b) into b with every run of white space made one space and
** the ends trimmed. */
void ng_kwic_clean(const char *text, uint32_t a, uint32_t b, ng_buf *out);

#endif
