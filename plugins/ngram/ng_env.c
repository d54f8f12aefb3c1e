/*
** ng_env.c -- the ngram engine's allocator and vocabulary hooks.
*/
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "ng_env.h"

/* The default formatter (unit tests): malloc'd; aborts when malloc
** fails, so the message is always real. */
static char *default_errorf(const char *fmt, ...) {
  va_list ap;
  char *s;
  int n;
  va_start(ap, fmt);
  n = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  s = n < 0 ? NULL : malloc((size_t)n + 1);
  if (!s) abort();
  va_start(ap, fmt);
  vsnprintf(s, (size_t)n + 1, fmt, ap);
  va_end(ap);
  return s;
}

ng_env ng_env_cur = { malloc, realloc, free, NULL, NULL, NULL, NULL,
                      default_errorf, NULL, NULL, NULL, NULL, NULL };

void ng_env_set(const ng_env *e) {
  if (e->alloc) ng_env_cur.alloc = e->alloc;
  if (e->realloc) ng_env_cur.realloc = e->realloc;
  if (e->free) ng_env_cur.free = e->free;
  if (e->vocab_string) ng_env_cur.vocab_string = e->vocab_string;
  if (e->vocab_intern) ng_env_cur.vocab_intern = e->vocab_intern;
  if (e->vocab_lookup) ng_env_cur.vocab_lookup = e->vocab_lookup;
  if (e->vocab_size) ng_env_cur.vocab_size = e->vocab_size;
  if (e->errorf) ng_env_cur.errorf = e->errorf;
  if (e->interrupted) ng_env_cur.interrupted = e->interrupted;
  if (e->output_open) ng_env_cur.output_open = e->output_open;
  if (e->output_file) ng_env_cur.output_file = e->output_file;
  if (e->output_commit) ng_env_cur.output_commit = e->output_commit;
  if (e->output_abort) ng_env_cur.output_abort = e->output_abort;
}
