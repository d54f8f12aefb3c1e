/*
** tok_opts.h -- compiled tokenizer options (struct lector_tok_opts).
**
** A lector_tok_config (tokenizer.h) is what callers fill; tok_opts_new
** validates it and derives what the hot loop needs (segmentation bits,
** normalisation flags, the set of kinds kept, the stop-word set).  The
** result is immutable, so any number of threads share it.
*/
#ifndef TOK_OPTS_H
#define TOK_OPTS_H

#include <stddef.h>
#include <stdint.h>

#include "lector/tokenizer.h"
#include "tok_sent.h"
#include "tok_stop.h"

#define TOK_STEM_MAX 32

struct lector_tok_opts {
  lector_tok_config cfg;     /* the values; string fields set to NULL */
  char stem[TOK_STEM_MAX];   /* Snowball language, "" for none */
  unsigned seg;              /* TOK_SEG_* for tok_seg_next */
  unsigned norm;             /* TOK_N_* for word tokens */
  uint32_t keep;             /* bit k set: tokens of kind k are kept */
  tok_sent_cfg sent;         /* the sentence deviations */
  tok_stopset *stop;         /* NULL: no stop words */
};

/* Defaults into cfg, of which the caller knows size bytes. */
void tok_config_init(lector_tok_config *cfg, size_t size);

/* Turn every deviation from UAX #29 off in cfg (option standard = true):
** split_hyphens on; abbrev, glued, urls, emails, mentions, hashtags and
** runs off. */
void tok_config_standard(lector_tok_config *cfg);

/* Compile cfg (NULL: defaults).  NULL with *err (lk_errorf) on a bad
** value or out of memory. */
lector_tok_opts *tok_opts_new(const lector_tok_config *cfg, char **err);

/* Free o (NULL is fine). */
void tok_opts_free(lector_tok_opts *o);

/* The options every NULL opts argument stands for (built on first use;
** the plugin builds it in open() so that no thread races to do it). */
const lector_tok_opts *tok_opts_default(void);

/* The service's opts_key (tokenizer.h): what o does to a text, as
** text, into out[0..cap); its full length. */
size_t tok_opts_key(const lector_tok_opts *o, char *out, size_t cap);

/* "word", "number" ... for a kind, "?" if unknown. */
const char *tok_kind_name(int kind);

#endif
