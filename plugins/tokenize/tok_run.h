/*
** tok_run.h -- tokenizing and sentence splitting with caller-owned state:
** the functions behind the service table of tokenizer.h.
**
** A lector_tok_state holds a tok_run (private).  It is used by one thread
** at a time, must not be copied while in use (its buffer points into
** itself), and every successful begin is paired with tok_run_end.
*/
#ifndef TOK_RUN_H
#define TOK_RUN_H

#include <stddef.h>
#include <stdint.h>

#include "lector/tokenizer.h"

/* tok_run_begin's how: */
#define TOK_RUN_NORM  0x01u  /* normalise every token, for tok_run_step
                                (else only what ids, stop words, min_len and
                                stemming need is computed) */
#define TOK_RUN_NOIDS 0x02u  /* no vocabulary ids, whatever the options say */

/* Start tokenizing text[0..len) with o (NULL: defaults), as how says
** (TOK_RUN_* bits).  LECTOR_OK, or an error code with *err (len >
** UINT32_MAX; out of memory for a stemmer). */
int tok_run_begin(lector_tok_state *st, const lector_tok_opts *o,
                  const char *text, size_t len, unsigned how, char **err);

/* The next token into *sp, its normalised form in *norm / *norm_len (the
** raw text unless normalisation was needed; valid until the next call).
** 1 for a token, 0 at the end. */
int tok_run_step(lector_tok_state *st, lector_tok_span *sp,
                 const char **norm, size_t *norm_len);

/* Up to cap next tokens into out; the count, 0 at the end. */
size_t tok_run_next(lector_tok_state *st, lector_tok_span *out, size_t cap);

/* Release the state (after a begin that succeeded; a second call is a
** no-op). */
void tok_run_end(lector_tok_state *st);

/* Tokenize and call fn per token (see lector_tokenizer_api.each). */
int tok_run_each(const lector_tok_opts *o, const char *text, size_t len,
                 lector_tok_fn fn, void *ud, char **err);

/* Start splitting text[0..len) into sentences (o: NULL = defaults). */
int tok_run_sent_begin(lector_tok_state *st, const lector_tok_opts *o,
                       const char *text, size_t len, char **err);

/* Up to cap next sentences into out; the count, 0 at the end. */
size_t tok_run_sentences(lector_tok_state *st, lector_sent_span *out,
                         size_t cap);

/* Forget the vocabulary ids every thread has cached: a new session (a new
** vocabulary) begins.  Call it before any thread tokenizes with ids. */
void tok_run_forget_ids(void);

/* Normalise one word as o would (see lector_tokenizer_api.normalize). */
size_t tok_run_normalize(const lector_tok_opts *o, const char *text,
                         size_t len, char *out, size_t cap);

#endif
