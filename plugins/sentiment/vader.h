/*
** vader.h -- VADER's rules: the sentiment of one text, or of each of its
** sentences.
**
** The method is Hutto & Gilbert's (ICWSM 2014).  Two references, chosen
** per model (vader_model.rules): VADER_RULES_NLTK, the code as packaged in
** NLTK 3.8 (the default), and VADER_RULES_VS, the vaderSentiment package
** 3.3.2 itself, which most published results use.  Either is reproduced
** exactly on the same lexicon, quirks included (see vader_words.c for the
** word list, vader.c for the rules and where the two differ,
** vader_emoji.h for 3.3.2's emoji).
**
** A vader_model is what a scorer is made of: the tokenize service, its
** compiled options and a lexicon marked with vader_mark.  It is borrowed
** and read-only during calls, so threads may share one.  A vader_ws is a
** thread's scratch space: one per thread, reused from call to call.
*/
#ifndef VADER_H
#define VADER_H

#include <stddef.h>

#include "lector/tokenizer.h"
#include "lexicon.h"
#include "vader_words.h"

/* Lexicon flags of the words VADER's rules look for (LEX_F_VALENCE is
** the lexicon's own).  All match the lower-cased word. */
#define VADER_F_NEGATE 0x0002u    /* a negation word */
#define VADER_F_BOOST 0x0004u     /* a booster adverb (+) */
#define VADER_F_DAMPEN 0x0008u    /* a dampener adverb (-) */
#define VADER_F_KIND 0x0010u      /* "kind" (of) */
#define VADER_F_OF 0x0020u        /* "of" */
#define VADER_F_BUT 0x0040u       /* "but" */
#define VADER_F_LEAST 0x0080u     /* "least" */
#define VADER_F_AT 0x0100u        /* "at" (least) */
#define VADER_F_VERY 0x0200u      /* "very" (least) */
#define VADER_F_NEVER 0x0400u     /* "never" (so/this) */
#define VADER_F_SO 0x0800u        /* "so" */
#define VADER_F_THIS 0x1000u      /* "this" */
#define VADER_F_IDIOM 0x2000u     /* a word of an idiom or of "kind of" ... */
#define VADER_F_NO 0x4000u        /* "no" (vaderSentiment only) */
#define VADER_F_ORNOR 0x8000u     /* "or", "nor" (after "no ...") */
#define VADER_F_WITHOUT 0x10000u  /* "without" (doubt) */
#define VADER_F_DOUBT 0x20000u    /* "doubt" */

/* The reference a model follows. */
#define VADER_RULES_NLTK 0        /* NLTK 3.8's port (the default) */
#define VADER_RULES_VS 1          /* the vaderSentiment package, 3.3.2 */

typedef struct vader_model {
  const lector_tokenizer_api *tok;
  const lector_tok_opts *opts;   /* see vw_build for what they must be */
  const lex_table *lex;          /* marked with vader_mark_rules(rules) */
  int rules;                     /* VADER_RULES_* (0: NLTK's) */
} vader_model;

/* VADER's four scores.  Not rounded (NLTK rounds compound to 4 places and
** the others to 3 when it returns them). */
typedef struct vader_scores {
  double compound;      /* normalised sum, in [-1, 1] */
  double pos, neu, neg; /* proportions, summing to 1 (all 0 without words) */
} vader_scores;

typedef struct vader_ws {
  vw_list words;
  double *val;                  /* one valence per word */
  size_t val_cap;
  char *etext;                  /* the text with emoji named (VS rules) */
  size_t etext_cap;
  lector_tok_state sst;         /* the sentence splitter's state */
  lector_sent_span sents[SENT_SENT_BATCH];
} vader_ws;

/* Mark the words of VADER's rules in t (negations, boosters, "but" ...)
** as the reference `rules` (VADER_RULES_*) has them; vader_mark is
** vader_mark_rules(t, VADER_RULES_NLTK).  Call once per table, before it
** is shared.  LECTOR_OK or ENOMEM + *err. */
int vader_mark_rules(lex_table *t, int rules, char **err);
int vader_mark(lex_table *t, char **err);

/* A fresh workspace / release one (it may then be initialised again). */
void vader_ws_init(vader_ws *ws);
void vader_ws_free(vader_ws *ws);

/* Score text[0..len) as one piece, as polarity_scores(text) does in the
** model's reference (with VADER_RULES_VS, emoji are named first).
** LECTOR_OK with *out filled, or an error code with *err (out of memory,
** text over 4 GiB, LECTOR_EINTERRUPT). */
int vader_score(vader_ws *ws, const vader_model *m, const char *text,
                size_t len, vader_scores *out, char **err);

/* Called for each sentence: its bytes text[off .. off + len) and scores.
** Return 0 to go on; anything else stops vader_sentences, which returns
** it. */
typedef int (*vader_sent_fn)(void *ud, size_t off, size_t len,
                             const vader_scores *s);

/* Split text[0..len) into sentences with the tokenize service and score
** each one on its own.  Returns LECTOR_OK, fn's nonzero result, or an
** error code with *err (polling the host's interrupt flag). */
int vader_sentences(vader_ws *ws, const vader_model *m, const char *text,
                    size_t len, vader_sent_fn fn, void *ud, char **err);

#endif
