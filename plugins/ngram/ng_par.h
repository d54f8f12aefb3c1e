/*
** ng_par.h -- a parallel loop over the documents of a source: each worker
** thread takes the next document from a shared atomic counter, reads its
** text and hands it to a function with the worker's own context.  Workers
** poll `interrupted` between documents; the first error stops them all.
** After its last document each worker calls a `done` function, so that
** workers that exchange work (ng_route.h) can finish it together.
**
** Ownership: src, ctx and everything they point to are borrowed.  The
** text given to fn is valid during the call only.  Error messages come
** from src->errorf and are freed by the caller with NG_FREE.
*/
#ifndef NG_PAR_H
#define NG_PAR_H

#include <stddef.h>
#include <stdint.h>

#include "lector/plugin.h"

/* Where the documents come from. */
typedef struct ng_source {
  size_t ndocs;
  /* The text of document i into *out (thread-safe); LECTOR_OK, or a code
  ** with *err (made by errorf). */
  int (*text)(void *ud, size_t i, lector_text *out, char **err);
  /* Release a text from text(). */
  void (*release)(void *ud, lector_text *t);
  void *ud;
} ng_source;

/* Called for document i with its text, on a worker thread, with that
** worker's context.  LECTOR_OK, NG_PAR_STOPPED (the worker gave up
** because another one failed: not an error of its own), or a code with
** *err. */
typedef int (*ng_par_fn)(void *ctx, size_t i, const lector_text *text,
                         char **err);
#define NG_PAR_STOPPED (-1)

/* Called once for every context after its worker's last document, with
** failed set when the run is stopping on an error (then it must not wait
** for the other workers).  On the worker's thread, or on the calling
** thread for a worker whose thread could not be started. */
typedef void (*ng_par_done_fn)(void *ctx, int failed);

/* The number of workers for a job of ndocs documents on up to threads
** threads: 1..NG_MAX_THREADS, no more than ndocs. */
int ng_par_workers(int threads, size_t ndocs);

/* Run fn over every document of src on nctx workers (nctx from
** ng_par_workers; the calling thread is one of them), with ctx[w] for
** worker w, then done (may be NULL) for each.  Documents with skip[i] < 0
** (skip may be NULL) are not read.  LECTOR_OK, or the first error:
** LECTOR_EINTERRUPT ("interrupted"), LECTOR_ERR when a thread cannot be
** started, a source error, or fn's. */
int ng_par_run(const ng_source *src, void *const *ctx, int nctx,
               const int32_t *skip, int (*interrupted)(void), ng_par_fn fn,
               ng_par_done_fn done, char **err);

/* Number of online processors (1..NG_MAX_THREADS). */
int ng_par_cores(void);

#endif
