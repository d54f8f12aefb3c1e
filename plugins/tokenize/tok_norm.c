/*
** tok_norm.c -- token normalisation (see tok_norm.h).
*/
#include <string.h>

#include <utf8proc.h>

#include "lector/kit.h"
#include "tok_norm.h"
#include "tok_utf8.h"

void tok_buf_init(tok_buf *b) {
  b->p = b->inl;
  b->cap = sizeof b->inl;
  b->u = b->uinl;
  b->ucap = sizeof b->uinl / sizeof b->uinl[0];
}

void tok_buf_free(tok_buf *b) {
  if (b->p != b->inl) lk_free(b->p);
  if (b->u != b->uinl) lk_free(b->u);
  tok_buf_init(b);
}

/* Both buffers grow by lk_grow from NULL: new memory, no copy (the old
** content is not needed), the size checked for overflow. */
int tok_buf_reserve(tok_buf *b, size_t n) {
  char *p;
  size_t cap = b->cap;
  if (n <= cap) return 1;
  p = lk_grow(NULL, &cap, n, 1);
  if (!p) return 0;
  if (b->p != b->inl) lk_free(b->p);
  b->p = p;
  b->cap = cap;
  return 1;
}

static int reserve_cps(tok_buf *b, size_t n) {
  int32_t *u;
  size_t cap = b->ucap;
  if (n <= cap) return 1;
  u = lk_grow(NULL, &cap, n, sizeof *u);
  if (!u) return 0;
  if (b->u != b->uinl) lk_free(b->u);
  b->u = u;
  b->ucap = cap;
  return 1;
}

static utf8proc_int32_t fold_apostrophe(utf8proc_int32_t c, void *ud) {
  (void)ud;
  return (c == 0x2019 || c == 0x2018 || c == 0x02BC || c == 0xFF07) ? '\''
                                                                     : c;
}

static int diacritic(int32_t c) {
  return (c >= 0x0300 && c <= 0x036F) || (c >= 0x1AB0 && c <= 0x1AFF) ||
         (c >= 0x1DC0 && c <= 0x1DFF) || (c >= 0x20D0 && c <= 0x20FF) ||
         (c >= 0xFE20 && c <= 0xFE2F);
}

size_t tok_norm(tok_buf *b, unsigned flags, const uint8_t *s, size_t len,
                int ascii, int upper, const char **out) {
  utf8proc_option_t opts = 0;
  utf8proc_ssize_t n;
  size_t i, k;
  *out = (const char *)s;
  if (ascii) {                                 /* the fast path */
    if (!(flags & TOK_N_LOWER) || !upper) return len;
    if (!tok_buf_reserve(b, len + 1)) return (size_t)-1;
    for (i = 0; i < len; i++) {
      uint8_t c = s[i];
      b->p[i] = (char)(c + (((unsigned)c - 'A') < 26u) * 32);
    }
    b->p[len] = '\0';
    *out = b->p;
    return len;
  }
  if (flags & TOK_N_LOWER) opts |= UTF8PROC_CASEFOLD;
  if (flags & (TOK_N_NFC | TOK_N_NFKC | TOK_N_STRIP))
    opts |= UTF8PROC_COMPOSE | UTF8PROC_STABLE;
  if (flags & TOK_N_NFKC) opts |= UTF8PROC_COMPAT;
  if (!opts && !(flags & TOK_N_APOS)) return len;
  for (;;) {
    n = utf8proc_decompose_custom(s, (utf8proc_ssize_t)len, b->u,
                                  (utf8proc_ssize_t)b->ucap, opts,
                                  (flags & TOK_N_APOS) ? fold_apostrophe
                                                       : NULL,
                                  NULL);
    if (n < 0) return (size_t)-1;
    if ((size_t)n <= b->ucap) break;
    if (!reserve_cps(b, (size_t)n)) return (size_t)-1;
  }
  if (flags & TOK_N_STRIP) {
    for (i = k = 0; i < (size_t)n; i++)
      if (!diacritic(b->u[i])) b->u[k++] = b->u[i];
    n = (utf8proc_ssize_t)k;
  }
  if (opts & UTF8PROC_COMPOSE) {
    n = utf8proc_normalize_utf32(b->u, n, UTF8PROC_COMPOSE | UTF8PROC_STABLE);
    if (n < 0) return (size_t)-1;
  }
  if (!tok_buf_reserve(b, (size_t)n * 4 + 1)) return (size_t)-1;
  for (i = k = 0; i < (size_t)n; i++)
    k += tok_utf8_encode((uint32_t)b->u[i], (uint8_t *)b->p + k);
  b->p[k] = '\0';
  *out = b->p;
  return k;
}
