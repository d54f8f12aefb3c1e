/*
** tok_env.c -- the engine's default environment (see tok_env.h).
*/
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "tok_env.h"

static char oom_msg[] = "out of memory";

/* A message in malloc'ed memory; the static oom_msg if that fails. */
static char *default_errorf(const char *fmt, ...) {
  va_list ap;
  char *msg;
  int len;
  va_start(ap, fmt);
  len = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  if (len < 0 || !(msg = malloc((size_t)len + 1))) return oom_msg;
  va_start(ap, fmt);
  vsnprintf(msg, (size_t)len + 1, fmt, ap);
  va_end(ap);
  return msg;
}

/* free() that ignores the static out-of-memory message. */
static void default_free(void *p) {
  if (p != oom_msg) free(p);
}

tok_env tok_env_cur = {
  malloc, realloc, default_free, default_errorf, NULL, NULL
};

volatile unsigned tok_env_epoch = 1;

void tok_env_set(const tok_env *env) {
  tok_env_epoch++;
  if (env->alloc) tok_env_cur.alloc = env->alloc;
  if (env->realloc) tok_env_cur.realloc = env->realloc;
  if (env->free) tok_env_cur.free = env->free;
  if (env->errorf) tok_env_cur.errorf = env->errorf;
  tok_env_cur.intern = env->intern;
  tok_env_cur.interrupted = env->interrupted;
}
