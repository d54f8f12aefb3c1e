/*
** tok_utf8.h -- strict UTF-8 decoding that never reads past the end.
**
** Invalid input (stray continuation bytes, overlong forms, surrogates,
** values above U+10FFFF, truncated sequences) decodes as TOK_BAD with a
** length of one byte, so a caller can skip or replace one byte and go on.
*/
#ifndef TOK_UTF8_H
#define TOK_UTF8_H

#include <stddef.h>
#include <stdint.h>

#define TOK_BAD (-1)

/* The code point starting at s[i] (i < n), its length in *len (1..4);
** TOK_BAD and *len = 1 for an invalid sequence. */
static inline int32_t tok_utf8_decode(const uint8_t *s, size_t n, size_t i,
                                      unsigned *len) {
  uint32_t b0 = s[i], cp;
  size_t left = n - i;
  if (b0 < 0x80) { *len = 1; return (int32_t)b0; }
  *len = 1;
  if (b0 < 0xC2) return TOK_BAD;                  /* continuation, overlong */
  if (b0 < 0xE0) {
    if (left < 2 || (s[i + 1] & 0xC0) != 0x80) return TOK_BAD;
    *len = 2;
    return (int32_t)(((b0 & 0x1F) << 6) | (s[i + 1] & 0x3F));
  }
  if (b0 < 0xF0) {
    if (left < 3 || (s[i + 1] & 0xC0) != 0x80 || (s[i + 2] & 0xC0) != 0x80)
      return TOK_BAD;
    cp = ((b0 & 0x0F) << 12) | ((uint32_t)(s[i + 1] & 0x3F) << 6) |
         (s[i + 2] & 0x3F);
    if (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF)) return TOK_BAD;
    *len = 3;
    return (int32_t)cp;
  }
  if (b0 < 0xF5) {
    if (left < 4 || (s[i + 1] & 0xC0) != 0x80 || (s[i + 2] & 0xC0) != 0x80 ||
        (s[i + 3] & 0xC0) != 0x80)
      return TOK_BAD;
    cp = ((b0 & 0x07) << 18) | ((uint32_t)(s[i + 1] & 0x3F) << 12) |
         ((uint32_t)(s[i + 2] & 0x3F) << 6) | (s[i + 3] & 0x3F);
    if (cp < 0x10000 || cp > 0x10FFFF) return TOK_BAD;
    *len = 4;
    return (int32_t)cp;
  }
  return TOK_BAD;
}

/* Start of the code point that ends just before s[i] (0 < i): steps back
** over at most three continuation bytes. */
static inline size_t tok_utf8_back(const uint8_t *s, size_t i) {
  size_t j = i - 1, lim = i >= 4 ? i - 4 : 0;
  while (j > lim && (s[j] & 0xC0) == 0x80) j--;
  return j;
}

/* Writes cp as UTF-8 to out (room for 4 bytes); returns the length. */
static inline unsigned tok_utf8_encode(uint32_t cp, uint8_t *out) {
  if (cp < 0x80) { out[0] = (uint8_t)cp; return 1; }
  if (cp < 0x800) {
    out[0] = (uint8_t)(0xC0 | (cp >> 6));
    out[1] = (uint8_t)(0x80 | (cp & 0x3F));
    return 2;
  }
  if (cp < 0x10000) {
    out[0] = (uint8_t)(0xE0 | (cp >> 12));
    out[1] = (uint8_t)(0x80 | ((cp >> 6) & 0x3F));
    out[2] = (uint8_t)(0x80 | (cp & 0x3F));
    return 3;
  }
  out[0] = (uint8_t)(0xF0 | (cp >> 18));
  out[1] = (uint8_t)(0x80 | ((cp >> 12) & 0x3F));
  out[2] = (uint8_t)(0x80 | ((cp >> 6) & 0x3F));
  out[3] = (uint8_t)(0x80 | (cp & 0x3F));
  return 4;
}

/* Number of code points in the valid UTF-8 s[0..len). */
static inline size_t tok_utf8_count(const char *s, size_t len) {
  size_t i, n = 0;
  for (i = 0; i < len; i++) n += ((unsigned char)s[i] & 0xC0) != 0x80;
  return n;
}

#endif
