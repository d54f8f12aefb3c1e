/*
** ng_env.h -- what the ngram engine needs from its surroundings: memory
** and the vocabulary.  The plugin points these at the host (so memory
** counts against the session's limit and ids are the session's); the unit
** tests use the defaults (malloc) and a vocabulary of their own.
**
** Set once, before any other ng_* call, from one thread; read-only after.
*/
#ifndef NG_ENV_H
#define NG_ENV_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* A file being written (the host's output helper, core/output.h). */
typedef struct lector_output lector_output;

typedef struct ng_env {
  void *(*alloc)(size_t n);                 /* NULL on failure */
  void *(*realloc)(void *p, size_t n);      /* NULL on failure, p kept */
  void (*free)(void *p);
  /* The string of id and its length; NULL for an unknown id. */
  const char *(*vocab_string)(uint32_t id, size_t *len);
  /* Id of s[0..len), added if new; 0 on out of memory. */
  uint32_t (*vocab_intern)(const char *s, size_t len);
  /* Id of s[0..len) if known, else 0. */
  uint32_t (*vocab_lookup)(const char *s, size_t len);
  /* The largest id. */
  uint32_t (*vocab_size)(void);
  /* A formatted message in memory freed with `free` above; never NULL. */
  char *(*errorf)(const char *fmt, ...)
#if defined(__GNUC__)
      __attribute__((format(printf, 1, 2)))
#endif
      ;
  /* Nonzero once the work should stop (Ctrl-C, a timeout); NULL: never.
  ** Long loops poll it and fail with "interrupted". */
  int (*interrupted)(void);
  /* Every file the engine writes goes through these (lector_host's
  ** output_open/file/commit/abort: a temporary beside path, renamed at a
  ** commit whose every write succeeded; a path that is one of inputs is
  ** refused).  NULL until set: writing then fails with a message.
  ** commit returns 0 or nonzero with *err; both free o. */
  lector_output *(*output_open)(const char *path, const char *const *inputs,
                                size_t ninputs, char **err);
  FILE *(*output_file)(lector_output *o);
  int (*output_commit)(lector_output *o, char **err);
  void (*output_abort)(lector_output *o);
} ng_env;

/* The current environment (malloc/realloc/free and no vocabulary until
** ng_env_set). */
extern ng_env ng_env_cur;

/* Replace the environment; fields left NULL keep their current value. */
void ng_env_set(const ng_env *e);

#define NG_ALLOC(n) (ng_env_cur.alloc(n))
#define NG_REALLOC(p, n) (ng_env_cur.realloc((p), (n)))
#define NG_FREE(p) (ng_env_cur.free(p))
#define NG_ERRORF ng_env_cur.errorf

/* Should the work stop now? */
#define NG_INTERRUPTED() \
  (ng_env_cur.interrupted != NULL && ng_env_cur.interrupted() != 0)

#endif
