/*
** pool.c -- the parallel loop over items (see pool.h).
*/
#include "pool.h"

#include <pthread.h>
#include <stdatomic.h>
#include <string.h>
#include <unistd.h>

typedef struct shared {
  const pool_job *job;
  atomic_size_t next;          /* the next item to hand out */
  atomic_int own_stop;
  atomic_int *stop;            /* set on the first error: own_stop, or
                                  job->stop */
} shared;

typedef struct worker {
  shared *sh;
  void *ctx;
  int rc;
  char *err;
  pthread_t thread;
} worker;

/* Items [i, end) of one chunk; stops at the first error. */
static int run_chunk(worker *w, size_t i, size_t end) {
  const pool_job *job = w->sh->job;
  for (; i < end; i++) {
    int rc = job->fn(w->ctx, i, &w->err);
    if (rc != LECTOR_OK) return rc;
  }
  return LECTOR_OK;
}

static void *work(void *arg) {
  worker *w = arg;
  shared *sh = w->sh;
  const pool_job *job = sh->job;
  size_t chunk = job->chunk ? job->chunk : 1;
  while (!atomic_load_explicit(sh->stop, memory_order_relaxed)) {
    if (job->interrupted && job->interrupted()) {
      w->rc = LECTOR_EINTERRUPT;
      w->err = job->errorf("interrupted");
      break;
    }
    size_t i = atomic_fetch_add_explicit(&sh->next, chunk,
                                         memory_order_relaxed);
    if (i >= job->n) break;
    w->rc = run_chunk(w, i, job->n - i < chunk ? job->n : i + chunk);
    if (w->rc != LECTOR_OK) break;
  }
  if (w->rc == POOL_STOPPED) w->rc = LECTOR_OK;     /* not its own error */
  if (w->rc != LECTOR_OK) atomic_store(sh->stop, 1);
  if (job->done)
    job->done(w->ctx, w->rc != LECTOR_OK || atomic_load(sh->stop));
  return NULL;
}

int pool_cores(void) {
  long n = sysconf(_SC_NPROCESSORS_ONLN);
  return n < 1 ? 1 : n > LECTOR_MAX_THREADS ? LECTOR_MAX_THREADS : (int)n;
}

int pool_workers(int threads, size_t n) {
  int w = threads <= 0 ? pool_cores()
                       : threads > LECTOR_MAX_THREADS ? LECTOR_MAX_THREADS
                                                      : threads;
  if ((size_t)w > n) w = n ? (int)n : 1;
  return w;
}

/* The first error of the workers into *err (the others' are freed). */
static int first_error(const pool_job *job, worker *ws, int n, char **err) {
  int rc = LECTOR_OK;
  for (int i = 0; i < n; i++) {
    if (ws[i].rc != LECTOR_OK && rc == LECTOR_OK) {
      rc = ws[i].rc;
      *err = ws[i].err;
    } else {
      job->free(ws[i].err);
    }
  }
  return rc;
}

int pool_run(const pool_job *job, char **err) {
  worker ws[LECTOR_MAX_THREADS];
  shared sh;
  int nw = job->nworkers < 1 ? 1 : job->nworkers > LECTOR_MAX_THREADS
                                       ? LECTOR_MAX_THREADS : job->nworkers;
  int started = 1;
  *err = NULL;
  sh.job = job;
  atomic_init(&sh.next, 0);
  atomic_init(&sh.own_stop, 0);
  sh.stop = job->stop ? job->stop : &sh.own_stop;
  atomic_store(sh.stop, 0);
  memset(ws, 0, sizeof ws);
  for (int i = 0; i < nw; i++) {
    ws[i].sh = &sh;
    ws[i].ctx = job->ctx ? job->ctx[i] : NULL;
  }
  for (int i = 1; i < nw; i++) {
    if (pthread_create(&ws[i].thread, NULL, work, &ws[i]) != 0) break;
    started++;
  }
  if (started < nw) {             /* a worker without a thread: give up */
    atomic_store(sh.stop, 1);
    ws[started].rc = LECTOR_ERR;
    ws[started].err = job->errorf("cannot start a worker thread");
    for (int i = started; i < nw; i++)
      if (job->done) job->done(ws[i].ctx, 1);
  }
  work(&ws[0]);
  for (int i = 1; i < started; i++) pthread_join(ws[i].thread, NULL);
  return first_error(job, ws, nw, err);
}
