/*
** tok_env.h -- what the tokenize engine needs from its surroundings:
** memory, error messages, the vocabulary, the interrupt flag.
**
** The engine runs without the host (unit tests, fuzzing, benchmarks): by
** default it uses malloc, a malloc'ed message, no vocabulary (ids 0) and
** is never interrupted.  The plugin installs the host's functions once, in
** open(), before any other engine call; after that the environment is
** read-only, so every thread may use it.
*/
#ifndef TOK_ENV_H
#define TOK_ENV_H

#include <stddef.h>
#include <stdint.h>

#if defined(__GNUC__)
#define TOK_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define TOK_PRINTF(f, a)
#endif

typedef struct tok_env {
  void *(*alloc)(size_t n);                  /* NULL on failure */
  void *(*realloc)(void *p, size_t n);       /* NULL on failure, p kept */
  void (*free)(void *p);
  char *(*errorf)(const char *fmt, ...) TOK_PRINTF(1, 2);  /* never NULL */
  uint32_t (*intern)(const char *s, size_t len);  /* NULL: ids are 0 */
  int (*interrupted)(void);                       /* NULL: never */
} tok_env;

/* The current environment (read it, do not write it). */
extern tok_env tok_env_cur;

/* Bumped by every tok_env_set: caches of vocabulary ids made under an
** older environment (another session, whose vocabulary was reset) are
** dropped.  Ids are stable for a session (plugin.h), and the plugin calls
** tok_env_set in open(), once per session. */
extern volatile unsigned tok_env_epoch;

/* Replace the environment; NULL fields keep the defaults.  Not
** thread-safe: call before the engine is used. */
void tok_env_set(const tok_env *env);

#endif
