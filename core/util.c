/*
** util.c -- error strings and growable buffers for the core.
*/
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char *util_verrorf(const char *fmt, va_list ap) {
  va_list copy;
  va_copy(copy, ap);
  int n = vsnprintf(NULL, 0, fmt, copy);
  va_end(copy);
  if (n < 0) return NULL;
  char *s = malloc((size_t)n + 1);
  if (s) vsnprintf(s, (size_t)n + 1, fmt, ap);
  return s;
}

char *util_errorf(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  char *s = util_verrorf(fmt, ap);
  va_end(ap);
  return s;
}

int util_buf_reserve(util_buf *b, size_t n) {
  if (b->cap - b->len >= n) return 0;
  size_t cap = b->cap ? b->cap : 256;
  while (cap - b->len < n) {
    if (cap > ((size_t)-1) / 2) return -1;
    cap *= 2;
  }
  char *p = realloc(b->data, cap);
  if (!p) return -1;
  b->data = p;
  b->cap = cap;
  return 0;
}

int util_buf_add(util_buf *b, const void *s, size_t len) {
  if (util_buf_reserve(b, len + 1) != 0) return -1;
  memcpy(b->data + b->len, s, len);
  b->len += len;
  b->data[b->len] = '\0';
  return 0;
}

void util_buf_free(util_buf *b) {
  free(b->data);
  b->data = NULL;
  b->len = b->cap = 0;
}
