/*
** encoding.c -- UTF-8 validation, Windows-1252 decoding, iconv, the BOM.
*/
#include "encoding.h"

#include <errno.h>
#include <stdint.h>
#include <string.h>

/* ---------------------------------------------------------------------
** UTF-8 validation
*/

#define HIGH_BITS 0x8080808080808080ULL

/* Pointer to the first byte at or after p with its high bit set, or end.
** Checks 32 and then 8 bytes at a time. */
static const unsigned char *skip_ascii(const unsigned char *p,
                                       const unsigned char *end) {
  uint64_t a, b, c, d;
  while (end - p >= 32) {
    memcpy(&a, p, 8);
    memcpy(&b, p + 8, 8);
    memcpy(&c, p + 16, 8);
    memcpy(&d, p + 24, 8);
    if ((a | b | c | d) & HIGH_BITS) break;
    p += 32;
  }
  while (end - p >= 8) {
    memcpy(&a, p, 8);
    if (a & HIGH_BITS) break;
    p += 8;
  }
  while (p < end && *p < 0x80) p++;
  return p;
}

/* Length of the valid multibyte sequence at p (2..4), or 0 if invalid or
** truncated.  Ranges from RFC 3629, section 4. */
static size_t utf8_seq(const unsigned char *p, const unsigned char *end) {
  unsigned c = p[0], lo = 0x80, hi = 0xBF;
  size_t n;
  if (c >= 0xC2 && c <= 0xDF) n = 2;
  else if (c == 0xE0) { n = 3; lo = 0xA0; }
  else if (c == 0xED) { n = 3; hi = 0x9F; }          /* no surrogates */
  else if (c >= 0xE1 && c <= 0xEF) n = 3;
  else if (c == 0xF0) { n = 4; lo = 0x90; }
  else if (c >= 0xF1 && c <= 0xF3) n = 4;
  else if (c == 0xF4) { n = 4; hi = 0x8F; }          /* <= U+10FFFF */
  else return 0;
  if ((size_t)(end - p) < n) return 0;
  if (p[1] < lo || p[1] > hi) return 0;
  for (size_t k = 2; k < n; k++)
    if ((p[k] & 0xC0) != 0x80) return 0;
  return n;
}

size_t enc_utf8_check(const char *s, size_t len) {
  const unsigned char *start = (const unsigned char *)s, *end = start + len;
  const unsigned char *p = start;
  for (;;) {
    p = skip_ascii(p, end);
    if (p == end) return len;
    size_t n = utf8_seq(p, end);
    if (n == 0) return (size_t)(p - start);
    p += n;
  }
}

size_t enc_bom_len(const char *s, size_t len) {
  return len >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
}

/* ---------------------------------------------------------------------
** Windows-1252
*/

/* Code points of bytes 0x80..0x9F; the rest equal their byte value. */
static const uint16_t cp1252_high[32] = {
  0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
  0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D, 0x017D, 0x008F,
  0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
  0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178,
};

static unsigned cp1252_code(unsigned char c) {
  return c >= 0x80 && c < 0xA0 ? cp1252_high[c - 0x80] : c;
}

size_t enc_cp1252_char_len(unsigned char c) {
  unsigned u = cp1252_code(c);
  return u < 0x80 ? 1 : u < 0x800 ? 2 : 3;
}

size_t enc_cp1252_decode(const char *s, size_t len, char *out) {
  const unsigned char *p = (const unsigned char *)s, *end = p + len;
  char *o = out;
  while (p < end) {
    const unsigned char *q = skip_ascii(p, end);
    memcpy(o, p, (size_t)(q - p));
    o += q - p;
    if (q == end) break;
    unsigned u = cp1252_code(*q);
    if (u < 0x800) {
      *o++ = (char)(0xC0 | (u >> 6));
    } else {
      *o++ = (char)(0xE0 | (u >> 12));
      *o++ = (char)(0x80 | ((u >> 6) & 0x3F));
    }
    *o++ = (char)(0x80 | (u & 0x3F));
    p = q + 1;
  }
  *o = '\0';
  return (size_t)(o - out);
}

size_t enc_cp1252_src_offset(const char *s, size_t len, size_t dec_off) {
  size_t i = 0, d = 0;
  while (i < len && d < dec_off) d += enc_cp1252_char_len((unsigned char)s[i++]);
  return i;
}

/* ---------------------------------------------------------------------
** iconv
*/

int enc_iconv_open(const char *name, iconv_t *cd, char **err) {
  *cd = iconv_open("UTF-8", name);
  if (*cd != (iconv_t)-1) return 0;
  int e = errno;
  *err = util_errorf("unknown encoding '%s' (%s)", name,
                     e == EINVAL ? "iconv cannot convert it to UTF-8"
                                 : strerror(e));
  return 1;
}

int enc_iconv_convert(iconv_t cd, const char *s, size_t len, util_buf *out,
                      size_t *bad_off, int *err_no) {
  char *in = (char *)s;
  size_t inleft = len;
  out->len = 0;
  iconv(cd, NULL, NULL, NULL, NULL);
  for (int flushing = 0;;) {
    if (util_buf_reserve(out, inleft + inleft / 2 + 64) != 0) return -2;
    char *o = out->data + out->len;
    size_t oleft = out->cap - out->len - 1;           /* room for '\0' */
    size_t r = flushing ? iconv(cd, NULL, NULL, &o, &oleft)
                        : iconv(cd, &in, &inleft, &o, &oleft);
    int e = errno;
    out->len = (size_t)(o - out->data);
    if (r != (size_t)-1) {
      if (flushing) break;
      flushing = 1;
      continue;
    }
    if (e == E2BIG) {
      if (util_buf_reserve(out, out->cap) != 0) return -2;   /* double */
      continue;
    }
    *bad_off = len - inleft;
    *err_no = e;
    return -1;
  }
  out->data[out->len] = '\0';
  size_t v = enc_utf8_check(out->data, out->len);
  if (v != out->len) {               /* glibc lets UTF-8 past U+10FFFF through */
    *bad_off = v < len ? v : len;
    *err_no = EILSEQ;
    return -1;
  }
  return 0;
}
