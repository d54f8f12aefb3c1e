/*
** vader_lists.h -- VADER's word lists and constants.
**
** These are facts of the VADER method, used with credit:
**   C.J. Hutto and E.E. Gilbert, "VADER: A Parsimonious Rule-based Model
**   for Sentiment Analysis of Social Media Text", ICWSM 2014; the
**   MIT-licensed reference implementation vaderSentiment, as packaged in
**   NLTK 3.8 (nltk/sentiment/vader.py) and as released on its own
**   (vaderSentiment 3.3.2, whose lists differ: the vader_vs_* below).
** The negation words, the booster/dampener adverbs, the idioms and the
** empirically derived increments below are theirs; the code is ours.
*/
#ifndef VADER_LISTS_H
#define VADER_LISTS_H

#include <stddef.h>

/* Empirically derived increments (Hutto & Gilbert). */
#define VADER_B_INCR 0.293      /* a booster word before a rated word */
#define VADER_B_DECR (-0.293)   /* a dampener */
#define VADER_C_INCR 0.733      /* an ALL-CAPS word in mixed-case text */
#define VADER_N_SCALAR (-0.74)  /* negation */
#define VADER_EP_INCR 0.292     /* each '!' (at most 4) */
#define VADER_QM_INCR 0.18      /* each '?' when there are 2 or 3 */
#define VADER_QM_MAX 0.96       /* 4 or more '?' */
#define VADER_ALPHA 15.0        /* compound = s / sqrt(s*s + alpha) */

/* Lower-case words, NULL-terminated. */
extern const char *const vader_negate[];     /* negation words */
extern const char *const vader_boosters[];   /* +B_INCR adverbs */
extern const char *const vader_dampeners[];  /* B_DECR adverbs */

/* The two-word booster/dampener phrases ("kind of" ...), matched with
** their exact case as VADER does, NULL-terminated pairs. */
extern const char *const vader_booster_pairs[][2];

/* Idioms that replace the valence of a rated word inside them. */
typedef struct vader_idiom {
  const char *w[3];   /* the words, exact case; w[2] NULL for two words */
  int n;              /* 2 or 3 */
  double valence;
} vader_idiom;

extern const vader_idiom vader_idioms[];
extern const size_t vader_nidioms;

/* vaderSentiment 3.3.2's differences.  Its booster list is NLTK's plus
** these adjectives and spellings (lower case, NULL-terminated), each
** +B_INCR or B_DECR as vader_vs_dampeners says. */
extern const char *const vader_vs_boosters[];
extern const char *const vader_vs_dampeners[];

/* Its special cases, matched on lower-cased words: NLTK's idioms less
** "cut the mustard" and "hand to mouth" (which 3.3.2 lists as future
** work, unused), plus "bus stop", "to die for", "beating heart" and
** "broken heart".  (Its one-word key "badass" can never match a
** space-joined sequence of words, so it is left out.) */
extern const vader_idiom vader_vs_idioms[];
extern const size_t vader_vs_nidioms;

/* Entries where the lexicon vaderSentiment ships differs from the default
** one (npm's vader-sentiment@1.1.3 vader_lexicon.txt, NLTK's): "heart",
** "hearts" (they carry emoji names such as "heart with arrow") and
** "flawed" added, "badass" re-rated; the rest of the two files is the
** same line for line.  Applied over the default lexicon for rules =
** "vadersentiment"; NULL-terminated. */
typedef struct vader_entry {
  const char *word;
  double valence;
} vader_entry;

extern const vader_entry vader_vs_lexicon[];

#endif
