/*
** ng_par.c -- the parallel loop over documents (see ng_par.h).
*/
#include <pthread.h>
#include <stdatomic.h>
#include <string.h>
#include <unistd.h>

#include "ng_config.h"
#include "ng_env.h"
#include "ng_par.h"

typedef struct shared {
  const ng_source *src;
  const int32_t *skip;
  int (*interrupted)(void);
  ng_par_fn fn;
  ng_par_done_fn done;
  atomic_size_t next;          /* the next document to hand out */
  atomic_int stop;             /* set on the first error */
} shared;

typedef struct worker {
  shared *sh;
  void *ctx;
  int rc;
  char *err;
  pthread_t thread;
} worker;

static int one_doc(worker *w, size_t i) {
  const ng_source *src = w->sh->src;
  lector_text text;
  int rc = src->text(src->ud, i, &text, &w->err);
  if (rc != LECTOR_OK) return rc;
  rc = w->sh->fn(w->ctx, i, &text, &w->err);
  src->release(src->ud, &text);
  return rc;
}

static void *work(void *arg) {
  worker *w = arg;
  shared *sh = w->sh;
  for (;;) {
    size_t i;
    if (atomic_load_explicit(&sh->stop, memory_order_relaxed)) break;
    if (sh->interrupted && sh->interrupted()) {
      w->rc = LECTOR_EINTERRUPT;
      w->err = NG_ERRORF("interrupted");
      break;
    }
    i = atomic_fetch_add_explicit(&sh->next, 1, memory_order_relaxed);
    if (i >= sh->src->ndocs) break;
    if (sh->skip && sh->skip[i] < 0) continue;
    w->rc = one_doc(w, i);
    if (w->rc != LECTOR_OK) break;
  }
  if (w->rc == NG_PAR_STOPPED) w->rc = LECTOR_OK;     /* not its own error */
  if (w->rc != LECTOR_OK) atomic_store(&sh->stop, 1);
  if (sh->done)
    sh->done(w->ctx, w->rc != LECTOR_OK || atomic_load(&sh->stop));
  return NULL;
}

int ng_par_cores(void) {
  long n = sysconf(_SC_NPROCESSORS_ONLN);
  return n < 1 ? 1 : (n > NG_MAX_THREADS ? NG_MAX_THREADS : (int)n);
}

int ng_par_workers(int threads, size_t ndocs) {
  int n = threads < 1 ? 1 : (threads > NG_MAX_THREADS ? NG_MAX_THREADS
                                                      : threads);
  if ((size_t)n > ndocs) n = ndocs ? (int)ndocs : 1;
  return n;
}

/* The first error of the workers into *err (the others' are freed). */
static int first_error(worker *ws, int n, char **err) {
  int i, rc = LECTOR_OK;
  for (i = 0; i < n; i++) {
    if (ws[i].rc != LECTOR_OK && rc == LECTOR_OK) {
      rc = ws[i].rc;
      *err = ws[i].err;
    } else {
      NG_FREE(ws[i].err);
    }
  }
  return rc;
}

int ng_par_run(const ng_source *src, void *const *ctx, int nctx,
               const int32_t *skip, int (*interrupted)(void), ng_par_fn fn,
               ng_par_done_fn done, char **err) {
  worker ws[NG_MAX_THREADS];
  shared sh;
  int i, started = 1;
  *err = NULL;
  sh.src = src;
  sh.skip = skip;
  sh.interrupted = interrupted;
  sh.fn = fn;
  sh.done = done;
  atomic_init(&sh.next, 0);
  atomic_init(&sh.stop, 0);
  memset(ws, 0, sizeof ws);
  for (i = 0; i < nctx; i++) {
    ws[i].sh = &sh;
    ws[i].ctx = ctx[i];
  }
  for (i = 1; i < nctx; i++) {
    if (pthread_create(&ws[i].thread, NULL, work, &ws[i]) != 0) break;
    started++;
  }
  if (started < nctx) {           /* a worker without a thread: give up */
    atomic_store(&sh.stop, 1);
    ws[started].rc = LECTOR_ERR;
    ws[started].err = NG_ERRORF("cannot start a worker thread");
    for (i = started; i < nctx; i++)
      if (done) done(ctx[i], 1);
  }
  work(&ws[0]);
  for (i = 1; i < started; i++) pthread_join(ws[i].thread, NULL);
  return first_error(ws, nctx, err);
}
