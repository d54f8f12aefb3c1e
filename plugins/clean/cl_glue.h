/*
** cl_glue.h -- glued words: split a token that is two or three words run
** together (withRussia, havingthe, capitalhosted), using word counts and
** case changes.  Plain C on lector/kit.h's env and the tokenize service's
** C API (no Lua, no host).
**
** Only WORD tokens are looked at, and of those only runs of ASCII letters
** between hyphens ("anti-tankmissiles": "anti", "tankmissiles"), of
** CL_GLUE_MIN_LEN to CL_GLUE_MAX_LEN letters; a token with a digit, an
** apostrophe or a period, in capitals, or a URL, e-mail or number is left
** alone, and so is a protected compound (cl_words.h).  A part is a word
** when it is seen at least min_count times and is a function word or has
** four letters or more (three after a case change: articleSky).  A segment seen at most CL_GLUE_HAPAX times is
** "unknown" and split into words when it can be; a known one only when
** the split is CL_GLUE_KNOWN_RATIO times more likely than the segment
** (count(a) * count(b) / total >= ratio * count(ab)); a segment that is
** a known word with an ending (productions, dearest, making) is a word.
** A lower-to-upper
** case change inside a segment must be a cut, and a part has no capital
** but its first letter.  A capitalised segment (a name, often) without
** a case change is cut only when it has 7 letters or more, a part of
** three, and parts of four letters or function words (Asif is not "As
** if", Putin not "Put in", Delaware not "Del aware"; Wewould and
** Sputniklink are cut).  Three parts
** need three letters each (bebeset is not "be be set").  A cut after a usual
** first part of compounds (under, counter, in, over ...) or before a
** usual last part (lined, weight, ship, wide ...) needs a function word
** on its other side (inthe, sametime), so underlined stays whole.  A
** split into content words only needs 11 letters or a case change
** (closed compounds are short: footnotes; glued phrases long:
** tankmissiles).  A last part that also ends words (an, in, on, or, our,
** us ...) needs a lower-case token and a first part of 7 letters (human,
** Bretton, digestor stay; purchasedby is cut).  The known words with an
** ending also take a doubled consonant (drumming: drum).  Fewer parts win, then the more frequent ones.
**
** Ownership: the vocabulary is borrowed and read-only (share it between
** threads); buffers and split lists belong to the caller.
*/
#ifndef CL_GLUE_H
#define CL_GLUE_H

#include <stddef.h>
#include <stdint.h>

#include "lector/tokenizer.h"

/* Word counts by vocabulary id (the env's vocab_lookup gives the id of a
** lower-cased word). */
typedef struct cl_vocab {
  uint32_t *count;        /* count[id], id < n */
  size_t n;
  uint64_t total;         /* sum of counts */
  unsigned min_count;     /* fewest occurrences of a part */
} cl_vocab;

#define CL_GLUE_MAX_CUTS 8

/* One token split. */
typedef struct cl_split {
  uint32_t off;           /* token's offset in the input */
  uint32_t len;           /* its length */
  uint8_t ncuts;
  uint16_t cut[CL_GLUE_MAX_CUTS];  /* offsets in the token where a space
                                      goes, ascending */
} cl_split;

typedef struct cl_splits {
  cl_split *v;
  size_t n, cap;
} cl_splits;

typedef struct cl_buf {
  char *p;
  size_t n, cap;
} cl_buf;

/* The count of the lower-cased word s[0..n) (0 when unknown). */
uint32_t cl_vocab_count(const cl_vocab *v, const char *s, size_t n);

/* Cuts of the segment s[0..n) (ASCII letters) into cut[] (ascending, at
** most CL_GLUE_MAX_PARTS - 1), by the rules above; the number of cuts. */
size_t cl_glue_segment(const cl_vocab *v, const char *s, size_t n,
                       uint16_t *cut);

/* The splits of the tokens of text[0..len) (tokenized with o: hyphenated
** words kept whole) appended to sp.  LECTOR_OK, or an error code with
** *err (out of memory, interrupted). */
int cl_glue_scan(const lector_tokenizer_api *tok, const lector_tok_opts *o,
                 const cl_vocab *v, const char *text, size_t len,
                 cl_splits *sp, char **err);

/* text[0..len) with the spaces of sp[0..n) (from cl_glue_scan on this
** text) inserted, into out (replaced; NUL-terminated).  LECTOR_OK or
** LECTOR_ENOMEM with *err. */
int cl_glue_apply(const char *text, size_t len, const cl_split *sp, size_t n,
                  cl_buf *out, char **err);

/* Append s[0..n) to b.  0, or -1 when memory runs out. */
int cl_buf_add(cl_buf *b, const char *s, size_t n);
void cl_buf_free(cl_buf *b);

#endif
