/*
** sent_corpus.c -- the corpus workers: pthreads taking documents from an
** atomic counter, each scoring with its own workspace.
*/
#include <pthread.h>
#include <stdatomic.h>
#include <string.h>
#include <unistd.h>

#include "sent_config.h"
#include "sent_corpus.h"
#include "sent_env.h"

typedef struct job {
  const vader_model *m;
  const sc_source *src;
  sc_doc *out;
  double threshold;
  atomic_size_t next;     /* the next document to take */
  atomic_int stop;        /* set on the first fatal error */
  pthread_mutex_t lock;   /* guards rc/err */
  int rc;
  char *err;
} job;

typedef struct acc {
  sc_doc *d;
  double threshold;
} acc;

static int add_sentence(void *ud, size_t off, size_t len,
                        const vader_scores *s) {
  acc *a = ud;
  (void)off;
  (void)len;
  a->d->sentences++;
  a->d->sum += s->compound;
  a->d->pos += s->compound >= a->threshold;
  a->d->neg += s->compound <= -a->threshold;
  return 0;
}

/* Record the first fatal error and make every worker stop. */
static void fail(job *j, int rc, char *err) {
  pthread_mutex_lock(&j->lock);
  if (j->rc == LECTOR_OK) {
    j->rc = rc;
    j->err = err;
    err = NULL;
  }
  pthread_mutex_unlock(&j->lock);
  sent_env_cur.free(err);
  atomic_store(&j->stop, 1);
}

/* Score document i.  0 to go on, nonzero when the job must stop. */
static int one_doc(job *j, vader_ws *ws, size_t i) {
  lector_text t;
  acc a;
  char *err = NULL;
  int rc = j->src->text(j->src->ud, i, &t, &err);
  if (rc == LECTOR_ENOMEM || rc == LECTOR_EINTERRUPT) {
    fail(j, rc, err);
    return 1;
  }
  if (rc != LECTOR_OK) {
    j->out[i].err = err ? err : sent_env_cur.errorf("cannot read document");
    return 0;
  }
  a.d = &j->out[i];
  a.threshold = j->threshold;
  rc = vader_sentences(ws, j->m, t.data, t.len, add_sentence, &a, &err);
  j->src->release(j->src->ud, &t);
  if (rc == LECTOR_OK) return 0;
  if (rc == LECTOR_ENOMEM || rc == LECTOR_EINTERRUPT) {
    fail(j, rc, err);
    return 1;
  }
  j->out[i].err = err;               /* e.g. a document over 4 GiB */
  return 0;
}

static void *worker(void *arg) {
  job *j = arg;
  vader_ws ws;
  size_t n = j->src->n, i, end;
  vader_ws_init(&ws);
  while (!atomic_load(&j->stop)) {
    i = atomic_fetch_add(&j->next, SENT_DOC_CHUNK);
    if (i >= n) break;
    end = i + SENT_DOC_CHUNK < n ? i + SENT_DOC_CHUNK : n;
    for (; i < end && !atomic_load(&j->stop); i++) {
      if (sent_interrupted()) {
        fail(j, LECTOR_EINTERRUPT, sent_env_cur.errorf("interrupted"));
        break;
      }
      if (one_doc(j, &ws, i)) break;
    }
  }
  vader_ws_free(&ws);
  return NULL;
}

int sc_threads(int threads, size_t n) {
  long cores = sysconf(_SC_NPROCESSORS_ONLN);
  size_t t = threads > 0 ? (size_t)threads : (cores > 0 ? (size_t)cores : 1);
  if (t > SENT_MAX_THREADS) t = SENT_MAX_THREADS;
  if (t > n) t = n;
  return t < 1 ? 1 : (int)t;
}

int sc_run(const vader_model *m, const sc_source *src, sc_doc *out,
           int threads, double threshold, char **err) {
  pthread_t tid[SENT_MAX_THREADS];
  int nt = sc_threads(threads, src->n), started = 0, k;
  job j;
  memset(out, 0, src->n * sizeof *out);
  j.m = m;
  j.src = src;
  j.out = out;
  j.threshold = threshold;
  atomic_init(&j.next, 0);
  atomic_init(&j.stop, 0);
  pthread_mutex_init(&j.lock, NULL);
  j.rc = LECTOR_OK;
  j.err = NULL;
  for (k = 1; k < nt; k++) {           /* the calling thread is worker 0 */
    if (pthread_create(&tid[started], NULL, worker, &j) != 0) break;
    started++;
  }
  worker(&j);
  for (k = 0; k < started; k++) pthread_join(tid[k], NULL);
  pthread_mutex_destroy(&j.lock);
  *err = j.err;
  return j.rc;
}

void sc_docs_clear(sc_doc *out, size_t n) {
  size_t i;
  for (i = 0; i < n; i++) {
    sent_env_cur.free(out[i].err);
    out[i].err = NULL;
  }
}
