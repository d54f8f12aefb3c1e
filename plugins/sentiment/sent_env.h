/*
** sent_env.h -- what the sentiment engine needs from its surroundings:
** memory, error messages, the interrupt flag.
**
** The engine (lexicon, words, rules, corpus) runs without the host, in
** unit tests and benchmarks: by default it uses malloc, malloc'ed
** messages, and is never interrupted.  The plugin installs the host's
** functions once, in open(), before any other engine call; after that the
** environment is read-only and every thread may use it.
*/
#ifndef SENT_ENV_H
#define SENT_ENV_H

#include <stddef.h>

#if defined(__GNUC__)
#define SENT_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define SENT_PRINTF(f, a)
#endif

typedef struct sent_env {
  void *(*alloc)(size_t n);                  /* NULL on failure */
  void *(*realloc)(void *p, size_t n);       /* NULL on failure, p kept */
  void (*free)(void *p);                     /* also frees errorf's result */
  char *(*errorf)(const char *fmt, ...) SENT_PRINTF(1, 2);  /* never NULL */
  int (*interrupted)(void);                  /* NULL: never */
} sent_env;

/* The current environment (read it, do not write it). */
extern sent_env sent_env_cur;

/* Replace the environment; NULL fields keep the defaults.  Not
** thread-safe: call before the engine is used. */
void sent_env_set(const sent_env *env);

/* Grow the array *p of elements of size sz, capacity *cap, to hold at
** least need elements (doubling).  1 on success, 0 on out of memory (then
** *p and *cap are unchanged). */
int sent_grow(void **p, size_t *cap, size_t need, size_t sz);

/* Nonzero when the host asks long loops to stop. */
int sent_interrupted(void);

#endif
