/*
** tok_word.h -- word segmentation: Unicode UAX #29 word boundaries, with
** optional extensions for news text.
**
** tok_seg_next() returns one segment at a time, white space included, so
** that the segments of a text cover it exactly.  With opt = 0 the
** boundaries are exactly those of UAX #29 (Unicode 15.0, rules WB1-WB999),
** checked against WordBreakTest.txt; each TOK_SEG_* bit turns on one
** deviation:
**
**   TOK_SEG_HYPHENS   well-known, COVID-19, 19-year-old stay one token
**                     (a hyphen between letters/digits, a letter on one side)
**   TOK_SEG_ABBREV    U.S. e.g. a.m. keep their final period (single
**                     letters separated by periods)
**   TOK_SEG_GLUED     "carry on.Our" splits at the period (lower-case word
**                     of two or more letters, period, capitalised word):
**                     a sentence glued by a lost line break
**   TOK_SEG_URLS      http(s)://, ftp://, www. addresses as one URL token
**   TOK_SEG_EMAILS    name@example.org as one EMAIL token
**   TOK_SEG_MENTIONS  @name as one MENTION token
**   TOK_SEG_HASHTAGS  #name as one HASHTAG token
**   TOK_SEG_RUNS      runs of Line_Break=SA letters (Thai, Lao, Khmer,
**                     Myanmar) as one token instead of one per character
**
** Ideographs and Hiragana are one token per character (UAX #29 default;
** ICU uses a dictionary there), Katakana runs one token (rule WB13).
*/
#ifndef TOK_WORD_H
#define TOK_WORD_H

#include <stddef.h>
#include <stdint.h>

#define TOK_SEG_HYPHENS  0x01u
#define TOK_SEG_ABBREV   0x02u
#define TOK_SEG_GLUED    0x04u
#define TOK_SEG_URLS     0x08u
#define TOK_SEG_EMAILS   0x10u
#define TOK_SEG_MENTIONS 0x20u
#define TOK_SEG_HASHTAGS 0x40u
#define TOK_SEG_RUNS     0x80u
#define TOK_SEG_ALL      0xffu

/* Segment kinds: the LECTOR_TOK_* kinds of tokenizer.h, plus these two
** for segments that never become tokens by themselves. */
#define TOK_K_SPACE   0    /* white space, line breaks, controls, format */
#define TOK_K_INVALID 100  /* one byte that is not valid UTF-8 */

/* Character classes of ASCII bytes, for fast paths (tok_ascii[b]). */
#define TOK_A_UP   0x01u   /* A-Z */
#define TOK_A_LO   0x02u   /* a-z */
#define TOK_A_DG   0x04u   /* 0-9 */
#define TOK_A_US   0x08u   /* _ */
#define TOK_A_SP   0x10u   /* space \t \n \v \f \r */
#define TOK_A_OL   0x20u   /* (never ASCII) a letter without case */
#define TOK_A_HI   0x40u   /* a byte >= 0x80 */
#define TOK_A_WORD (TOK_A_UP | TOK_A_LO | TOK_A_DG | TOK_A_US)
#define TOK_A_LETTER (TOK_A_UP | TOK_A_LO | TOK_A_OL)

extern const uint8_t tok_ascii[256];

/* Kind of a one-byte ASCII token: LECTOR_TOK_PUNCT or LECTOR_TOK_SYMBOL
** (General_Category P* or S*), 0 for controls, letters, digits, space. */
extern const uint8_t tok_ascii_kind[128];

typedef struct tok_seg {
  size_t end;        /* the segment is s[p..end), end > p */
  int kind;          /* LECTOR_TOK_* or TOK_K_* */
  unsigned flags;    /* LECTOR_TOKF_* */
  unsigned acc;      /* TOK_A_* classes seen (letters, digits, case) */
} tok_seg;

/* The segment of s[0..n) that starts at p (p < n; p must be a boundary,
** e.g. 0 or the end of the previous segment).  Fills *seg and returns
** seg->end.  Reads only s[0..n). */
size_t tok_seg_next(const uint8_t *s, size_t n, size_t p, unsigned opt,
                    tok_seg *seg);

#endif
