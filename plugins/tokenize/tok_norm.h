/*
** tok_norm.h -- normalisation of one token: Unicode case folding, NFC or
** NFKC, accent stripping, apostrophe folding (utf8proc does the Unicode
** work; ASCII tokens take a fast path that never calls it).
**
** A tok_buf holds the result.  It starts with inline storage and grows on
** the heap only for long tokens; it must not be copied or moved once
** initialised (it points into itself).
*/
#ifndef TOK_NORM_H
#define TOK_NORM_H

#include <stddef.h>
#include <stdint.h>

#include "tok_config.h"

#define TOK_N_LOWER 0x01u  /* full case folding (CaseFolding.txt C+F) */
#define TOK_N_NFC   0x02u  /* canonical composition */
#define TOK_N_NFKC  0x04u  /* compatibility composition */
#define TOK_N_STRIP 0x08u  /* drop combining diacritics U+0300..036F, 1AB0..
                              1AFF, 1DC0..1DFF, 20D0..20FF, FE20..FE2F
                              (implies NFC); Indic vowel signs stay */
#define TOK_N_APOS  0x10u  /* U+2019 U+2018 U+02BC U+FF07 become ' */

typedef struct tok_buf {
  char *p;                        /* result bytes: inl or the heap */
  size_t cap;                     /* bytes at p */
  int32_t *u;                     /* code points: uinl or the heap */
  size_t ucap;                    /* code points at u */
  char inl[TOK_NORM_INLINE];
  int32_t uinl[TOK_CPS_INLINE];
} tok_buf;

/* Set b up with its inline storage. */
void tok_buf_init(tok_buf *b);

/* Free what b took from the heap; b can be initialised again. */
void tok_buf_free(tok_buf *b);

/* Make room for n bytes at b->p; 0 on out of memory (b unchanged). */
int tok_buf_reserve(tok_buf *b, size_t n);

/* Normalise the valid UTF-8 s[0..len) by flags.  ascii: s has no byte
** >= 0x80; upper: s may hold an ASCII capital (a hint; 1 is always safe).
** Sets *out to the result -- s itself when nothing changes, else b->p
** (NUL-terminated) -- and returns its length; (size_t)-1 on out of memory
** or undecodable input (then *out is s). */
size_t tok_norm(tok_buf *b, unsigned flags, const uint8_t *s, size_t len,
                int ascii, int upper, const char **out);

#endif
