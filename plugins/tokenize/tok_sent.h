/*
** tok_sent.h -- sentence boundaries: UAX #29 section 5 (rules SB1-SB998,
** Unicode 15.0, checked against SentenceBreakTest.txt), plus three
** deviations for news text, each switched by a field of tok_sent_cfg:
**
**   abbrev    no break after a period that ends a title abbreviation from
**             the built-in list (Mr. Dr. Gen. No. St. e.g. ...); after other
**             abbreviations (U.S. a.m. Inc. Dec. ...) a break only when the
**             next word is a common sentence opener (The, He, But ...).
**   initials  the same for a single capital letter and its period
**             (George W. Bush, J. R. R. Tolkien).
**   glued     a break after the period of "carry on.Our": a lower-case word
**             of two or more letters, a period, then a capitalised word,
**             where a line break was lost (UAX #29 rule SB7 joins them).
**   quotes    no break after ? or ! and a closing quote or bracket when a
**             lower-case word follows: "Really?" she asked.  (UAX #29
**             breaks there; for a period it already does not, rule SB8.)
**
** Line breaks: every line break ends a sentence (rule SB4), so a headline
** without final punctuation is a sentence of its own.
*/
#ifndef TOK_SENT_H
#define TOK_SENT_H

#include <stddef.h>
#include <stdint.h>

typedef struct tok_sent_cfg {
  int abbrev;
  int initials;
  int glued;
  int quotes;
} tok_sent_cfg;

/* End of the sentence of s[0..n) that starts at p (p < n, a boundary).
** The sentences of a text cover it exactly, white space included: the
** white space after a sentence belongs to it (as in UAX #29). */
size_t tok_sent_next(const uint8_t *s, size_t n, size_t p,
                     const tok_sent_cfg *cfg);

/* The sentence s[a..b) without leading and trailing white space (spaces,
** line breaks, format characters): sets *a and *b; empty when *a == *b. */
void tok_sent_trim(const uint8_t *s, size_t *a, size_t *b);

#endif
