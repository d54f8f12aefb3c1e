/*
** pool.h -- a parallel loop over n items: workers take chunks of items
** from a shared atomic counter and call a function with their own
** context.  Generic: the host's document pool (host.c) and corpus loading
** (corpus.c) run on it.
**
** Workers poll an interrupt flag between chunks; the first error stops
** them all (first error wins: its message is returned, the others are
** freed), and an item that takes long can see the stop (job->stop).  After its last item each worker calls `done`, so workers that
** exchange work can finish it together.
**
** Ownership: job and everything it points to are borrowed for the call.
** Messages (from fn, or the pool's own made with job->errorf) are freed
** with job->free; the one returned in *err belongs to the caller.
*/
#ifndef LECTOR_POOL_H
#define LECTOR_POOL_H

#include <stdatomic.h>
#include <stddef.h>

#include "lector/plugin.h"

/* Returned by fn when a worker gave up because another failed: not an
** error of its own. */
#define POOL_STOPPED (-1)

typedef struct pool_job {
  size_t n;               /* items 0 .. n-1 */
  size_t chunk;           /* items taken at a time (0: 1) */
  void *const *ctx;       /* ctx[w] for worker w */
  int nworkers;           /* 1..LECTOR_MAX_THREADS (pool_workers) */
  /* Item i on worker ctx: 0 (LECTOR_OK), POOL_STOPPED, or a code with
  ** *err. */
  int (*fn)(void *ctx, size_t i, char **err);
  /* Optional: after a worker's last item, failed set when the run stops
  ** on an error (then it must not wait for the others).  On the worker's
  ** thread, or the caller's for a worker whose thread did not start. */
  void (*done)(void *ctx, int failed);
  int (*interrupted)(void);        /* optional */
  /* Optional: the run's stop flag, for the caller to read (pool_run
  ** clears it first).  Set on the first error or interrupt, so an item
  ** that takes long can poll it and return POOL_STOPPED. */
  atomic_int *stop;
  /* Make the pool's own messages ("interrupted", "cannot start a worker
  ** thread"); free any message. */
  char *(*errorf)(const char *fmt, ...) LECTOR_PRINTF(1, 2);
  void (*free)(void *p);
} pool_job;

/* Online processors, 1..LECTOR_MAX_THREADS. */
int pool_cores(void);

/* Workers for `threads` (0: all cores) and n items: 1..LECTOR_MAX_THREADS
** and no more than n (1 when n is 0).  threads outside
** 0..LECTOR_MAX_THREADS is the caller's error to report; here it is
** treated as 0 (negative) or the maximum. */
int pool_workers(int threads, size_t n);

/* Run job on job->nworkers workers, the calling thread being worker 0.
** LECTOR_OK, or the first error's code with *err: LECTOR_EINTERRUPT
** ("interrupted"), LECTOR_ERR when a thread cannot be started, or fn's. */
int pool_run(const pool_job *job, char **err);

#endif
