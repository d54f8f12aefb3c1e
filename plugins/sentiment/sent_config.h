/*
** sent_config.h -- tunables of the sentiment plugin, gathered in one place.
** Each can be overridden at build time with -D.
*/
#ifndef SENT_CONFIG_H
#define SENT_CONFIG_H

/* The plugin's own version (its descriptor and sentiment.version). */
#define SENT_VERSION "1.0.0"

/* Tokenizer spans and sentences fetched per call of next()/sent_next(). */
#ifndef SENT_SPAN_BATCH
#define SENT_SPAN_BATCH 256
#endif
#ifndef SENT_SENT_BATCH
#define SENT_SENT_BATCH 64
#endif

/* Sentences (or span batches) between two polls of host->interrupted(). */
#ifndef SENT_POLL_EVERY
#define SENT_POLL_EVERY 256
#endif

/* Longest word looked up in the lexicon, in bytes (a multiple of 8); a
** longer word is never in it (VADER's longest entry is 19 bytes), and an
** `extra` key must be shorter. */
#ifndef SENT_WORD_MAX
#define SENT_WORD_MAX 256
#endif

/* Malformed lexicon lines reported one by one per file; the rest are
** counted in one closing line. */
#ifndef SENT_WARN_MAX
#define SENT_WARN_MAX 20
#endif

/* The valences a lexicon may hold, |v| <= these: VADER rates words on
** -4..4 (its file's means stay inside), AFINN on the integers -5..5, and
** `extra` accepts either scale.  A value outside, or not finite, is an
** error: bounded valences keep every sum finite (never NaN). */
#ifndef SENT_VADER_MAX
#define SENT_VADER_MAX 4.0
#endif
#ifndef SENT_AFINN_MAX
#define SENT_AFINN_MAX 5.0
#endif
#ifndef SENT_EXTRA_MAX
#define SENT_EXTRA_MAX 5.0
#endif

/* A sentence counts as positive when its compound is >= this, negative
** when <= minus this (VADER's documented thresholds). */
#ifndef SENT_THRESHOLD
#define SENT_THRESHOLD 0.05
#endif

/* The default lexicon: its file name beside the plugin, the environment
** variable that overrides it, and the npm package it comes from (the
** version and SHA-256 are pinned in CMakeLists.txt, which passes them in). */
#ifndef SENT_LEXICON_FILE
#define SENT_LEXICON_FILE "vader_lexicon.txt"
#endif
#ifndef SENT_LEXICON_ENV
#define SENT_LEXICON_ENV "LECTOR_VADER_LEXICON"
#endif
#ifndef SENT_NPM_VERSION
#define SENT_NPM_VERSION "1.1.3"
#endif

#endif
