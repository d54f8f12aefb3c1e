/*
** ng_buf.h -- a growable byte buffer (lk_alloc memory), for gram strings
** and file lines.  Always NUL-terminated once anything was added.
*/
#ifndef NG_BUF_H
#define NG_BUF_H

#include <stddef.h>
#include <string.h>

#include "lector/kit.h"

typedef struct ng_buf {
  char *p;
  size_t n, cap;
  int oom;                 /* an append ran out of memory (sticky) */
} ng_buf;

static inline void ng_buf_init(ng_buf *b) {
  b->p = NULL;
  b->n = b->cap = 0;
  b->oom = 0;
}

static inline void ng_buf_free(ng_buf *b) {
  lk_free(b->p);
  ng_buf_init(b);
}

/* Room for extra more bytes and the NUL; 0, or -1 (sets oom). */
static inline int ng_buf_reserve(ng_buf *b, size_t extra) {
  size_t need = b->n + extra + 1;
  char *p;
  if (need <= b->cap) return 0;
  if (b->oom || need < extra ||
      !(p = lk_grow(b->p, &b->cap, need, 1))) {
    b->oom = 1;
    return -1;
  }
  b->p = p;
  return 0;
}

static inline void ng_buf_add(ng_buf *b, const char *s, size_t n) {
  if (ng_buf_reserve(b, n) != 0) return;
  if (n) memcpy(b->p + b->n, s, n);
  b->n += n;
  b->p[b->n] = '\0';
}

static inline void ng_buf_addc(ng_buf *b, char c) {
  if (ng_buf_reserve(b, 1) != 0) return;
  b->p[b->n++] = c;
  b->p[b->n] = '\0';
}

#endif
