/*
** sent_env.c -- the engine's environment: libc defaults, replaced by the
** host's functions when the plugin opens.
*/
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "sent_env.h"

static char oom[] = "out of memory";

static void *default_alloc(size_t n) { return malloc(n ? n : 1); }
static void *default_realloc(void *p, size_t n) {
  return realloc(p, n ? n : 1);
}
static void default_free(void *p) {
  if (p != oom) free(p);
}

static char *default_errorf(const char *fmt, ...) SENT_PRINTF(1, 2);
static char *default_errorf(const char *fmt, ...) {
  va_list ap;
  int n;
  char *s;
  va_start(ap, fmt);
  n = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  if (n < 0 || (s = malloc((size_t)n + 1)) == NULL) return oom;
  va_start(ap, fmt);
  vsnprintf(s, (size_t)n + 1, fmt, ap);
  va_end(ap);
  return s;
}

sent_env sent_env_cur = {default_alloc, default_realloc, default_free,
                         default_errorf, NULL};

void sent_env_set(const sent_env *env) {
  if (env->alloc) sent_env_cur.alloc = env->alloc;
  if (env->realloc) sent_env_cur.realloc = env->realloc;
  if (env->free) sent_env_cur.free = env->free;
  if (env->errorf) sent_env_cur.errorf = env->errorf;
  sent_env_cur.interrupted = env->interrupted;
}

int sent_grow(void **p, size_t *cap, size_t need, size_t sz) {
  size_t ncap = *cap ? *cap : 16;
  void *q;
  if (need <= *cap) return 1;
  while (ncap < need) {
    if (ncap > SIZE_MAX / 2) return 0;
    ncap *= 2;
  }
  if (ncap > SIZE_MAX / sz) return 0;
  q = sent_env_cur.realloc(*p, ncap * sz);
  if (!q) return 0;
  *p = q;
  *cap = ncap;
  return 1;
}

int sent_interrupted(void) {
  return sent_env_cur.interrupted && sent_env_cur.interrupted();
}
