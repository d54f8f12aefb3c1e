/*
** ng_next.c -- unigrams and bigrams from a pack's successor lists (see
** ng_next.h).
*/
#include <pthread.h>
#include <string.h>

#include "lector/kit.h"
#include "ng_next.h"

_Atomic uint64_t ng_next_words;

#define BLOCK 64             /* first words a worker takes at a time */
#define OVER (-2)            /* a worker's tables passed its share */

/* A second word's count under the current first word.  32 bits do:
** ng_next_run takes only packs of fewer than 2^32 tokens and documents. */
typedef struct cell {
  uint32_t count, df;
  uint32_t last;             /* the last document + 1 that had it */
} cell;

typedef struct shared {
  ng_job *job;
  const lector_corpus *pack;
  uint32_t nwords;
  uint32_t *vid;             /* pack id -> vocabulary id */
  _Atomic uint32_t next;     /* the next block of first words to take */
  _Atomic int stop;          /* a worker failed: the others stop too */
  size_t share;              /* bytes of tables per worker (0: no limit) */
} shared;

typedef struct worker {
  shared *sh;
  cell *cells;               /* by pack id */
  uint32_t *touched;         /* the second words counted, in order met */
  size_t ntouched;
  uint64_t count;            /* the first word's own occurrences */
  uint32_t df;               /* and documents */
  size_t last;               /* its last document + 1 */
  ng_table t[3];             /* t[1] unigrams, t[2] bigrams: lists
                                (ng_table_append; width 0: not counted) */
  int rc;                    /* LECTOR_OK, OVER, or a code with err */
  char *err;
  pthread_t th;
} worker;

/* ------------------------------------------------------------------------
** One first word
*/

/* host->word_next's callback: a piece of the first word's occurrences.
** (The worker's fields are kept in locals: cells are words too, so the
** compiler would otherwise reload them after every store.) */
static int on_next(void *ud, const size_t *doc, const uint32_t *next,
                   size_t n) {
  worker *w = ud;
  cell *cells = w->cells;
  uint32_t *touched = w->touched, nwords = w->sh->nwords, df = w->df;
  size_t k, nt = w->ntouched, last = w->last;
  int bigrams = w->t[2].width != 0;
  w->count += n;
  for (k = 0; k < n; k++) {
    size_t d = doc[k] + 1;
    uint32_t x = next[k];
    cell *c;
    if (d != last) df++, last = d;
    if (!bigrams || x == UINT32_MAX) continue;
    if (x >= nwords) return LECTOR_ERR;        /* the host checks */
    c = &cells[x];
    if (c->count++ == 0) touched[nt++] = x;
    if (c->last != (uint32_t)d) c->df++, c->last = (uint32_t)d;
  }
  w->ntouched = nt;
  w->df = df;
  w->last = last;
  return 0;
}

/* The first word's grams into the worker's tables; its cells emptied.
** 0 or -1 (out of memory). */
static int emit(worker *w, uint32_t first) {
  uint32_t key[NG_MAX_N] = {0};
  size_t k;
  int rc = 0;
  key[0] = w->sh->vid[first];
  if (w->t[1].width && w->count)
    rc = ng_table_append(&w->t[1], key, w->count, w->df);
  for (k = 0; k < w->ntouched; k++) {
    cell *c = &w->cells[w->touched[k]];
    key[1] = w->sh->vid[w->touched[k]];
    if (rc == 0) rc = ng_table_append(&w->t[2], key, c->count, c->df);
    memset(c, 0, sizeof *c);
  }
  w->ntouched = 0;
  w->count = 0;
  w->df = 0;
  w->last = 0;
  return rc;
}

/* Count one first word.  LECTOR_OK, or a code with w->err. */
static int one_word(worker *w, uint32_t first) {
  int rc = lk_host->word_next(w->sh->pack, first, on_next, w, &w->err);
  if (rc == LECTOR_ERR && !w->err)
    w->err = lk_errorf("packed successor lists: word %u names a word past "
                       "the pack's %u", first, w->sh->nwords);
  if (rc == LECTOR_ENOTFOUND && !w->err)
    w->err = lk_errorf("packed successor lists: word %u has none", first);
  if (rc != LECTOR_OK) return rc == LECTOR_ENOTFOUND ? LECTOR_ERR : rc;
  if (emit(w, first) != 0) return LECTOR_ENOMEM;
  return LECTOR_OK;
}

/* Over the worker's share of the budget? */
static int over_share(const worker *w) {
  return w->sh->share &&
         ng_table_memory(&w->t[1]) + ng_table_memory(&w->t[2]) >
             w->sh->share;
}

/* A worker: blocks of first words until none is left or one fails. */
static void *count_words(void *arg) {
  worker *w = arg;
  shared *sh = w->sh;
  for (;;) {
    uint32_t lo = atomic_fetch_add(&sh->next, BLOCK), hi, id;
    if (lo >= sh->nwords || atomic_load(&sh->stop)) break;
    hi = sh->nwords - lo < BLOCK ? sh->nwords : lo + BLOCK;
    if (lk_interrupted()) {
      w->rc = LECTOR_EINTERRUPT;
      w->err = lk_errorf("interrupted");
    }
    for (id = lo; id < hi && w->rc == LECTOR_OK; id++)
      w->rc = one_word(w, id);
    if (w->rc == LECTOR_OK && over_share(w)) w->rc = OVER;
    if (w->rc != LECTOR_OK) {
      atomic_store(&sh->stop, 1);
      break;
    }
    atomic_fetch_add_explicit(&ng_next_words, hi - lo, memory_order_relaxed);
  }
  return NULL;
}

/* ------------------------------------------------------------------------
** Setup: may the lists be used, and every pack word's vocabulary id
*/

static int no_stop(void *ud, const size_t *doc, const uint32_t *next,
                   size_t n) {
  (void)ud, (void)doc, (void)next, (void)n;
  return -1;
}

/* Is job one that the lists count exactly (ng_next.h)? */
static int usable(const ng_job *job) {
  const lector_host *h = lk_host;
  const ng_tokens *tok = job->tok;
  const ng_spec *sp = job->spec;
  uint64_t tokens;
  char *err = NULL;
  int rc;
  if (!tok->pack || tok->pack_first != 0 || tok->pack_words == 0 ||
      tok->pack_words >= UINT32_MAX || !LECTOR_HOST_HAS(h, word_next) ||
      !h->word_next || !h->word_count || !h->corpus_count)
    return 0;
  if (sp->nmax > 2 || sp->skip || sp->drop_stop || job->ngroups != 1 ||
      job->group || job->first || job->doc_fn || job->words_fn ||
      job->src->skip || job->src->ndocs != h->corpus_count(tok->pack) ||
      job->src->ndocs >= UINT32_MAX)
    return 0;
  /* a whole pack (a view gets ENOTFOUND) of fewer than 2^32 tokens */
  if (h->word_count(tok->pack, UINT32_MAX, &tokens, &err) != LECTOR_OK ||
      tokens >= UINT32_MAX) {
    lk_free(err);
    return 0;
  }
  /* a pack made before the lists has none */
  rc = h->word_next(tok->pack, 0, no_stop, NULL, &err);
  lk_free(err);
  return rc != LECTOR_ENOTFOUND;
}

/* Every pack word's vocabulary id into sh->vid, on this thread: each is
** new to the vocabulary's caches, so a second thread would only wait for
** its lock.  LECTOR_OK; LECTOR_ENOTFOUND when a form is empty; else a
** code with *err. */
static int map_words(shared *sh, char **err) {
  uint32_t id;
  for (id = 0; id < sh->nwords; id++) {
    size_t len = 0;
    const char *s = lk_host->tokens_word(sh->pack, id, &len);
    if ((id & 4095) == 0 && lk_interrupted()) {
      *err = lk_errorf("interrupted");
      return LECTOR_EINTERRUPT;
    }
    if (!s || len == 0) return LECTOR_ENOTFOUND;
    sh->vid[id] = lk_env_cur.vocab_intern(s, len);
    if (sh->vid[id] == 0 || sh->vid[id] > NG_ID_MAX) {
      *err = lk_errorf("out of memory");
      return LECTOR_ENOMEM;
    }
  }
  return LECTOR_OK;
}

/* ------------------------------------------------------------------------
** Workers and results
*/

static int worker_init(worker *w, shared *sh) {
  const ng_spec *sp = sh->job->spec;
  int k;
  memset(w, 0, sizeof *w);
  w->sh = sh;
  for (k = sp->nmin; k <= sp->nmax; k++)
    if (ng_table_init(&w->t[k], k, 0, 0) != 0) return -1;
  if (sp->nmax < 2) return 0;
  w->cells = lk_alloc((size_t)sh->nwords * sizeof *w->cells);
  w->touched = lk_alloc((size_t)sh->nwords * sizeof *w->touched);
  if (!w->cells || !w->touched) return -1;
  memset(w->cells, 0, (size_t)sh->nwords * sizeof *w->cells);
  return 0;
}

static void worker_free(worker *w) {
  ng_table_free(&w->t[1]);
  ng_table_free(&w->t[2]);
  lk_free(w->cells);
  lk_free(w->touched);
  lk_free(w->err);
}

/* Run fn on n workers (the first on this thread).  LECTOR_OK, OVER,
** LECTOR_ENOTFOUND (an empty word), or a code with *err. */
static int run(worker *ws, int n, void *(*fn)(void *), char **err) {
  int i, started[LECTOR_MAX_THREADS] = {0}, rc = LECTOR_OK;
  for (i = 1; i < n; i++)
    started[i] = pthread_create(&ws[i].th, NULL, fn, &ws[i]) == 0;
  fn(&ws[0]);
  for (i = 1; i < n; i++)
    if (started[i]) pthread_join(ws[i].th, NULL);
    else fn(&ws[i]);                 /* no thread: its share here */
  for (i = 0; i < n && rc == LECTOR_OK; i++)
    if (ws[i].rc != LECTOR_OK) {
      rc = ws[i].rc;
      *err = ws[i].err;
      ws[i].err = NULL;
    }
  for (i = 0; i < n && (rc == OVER || rc == LECTOR_ENOTFOUND); i++)
    if (ws[i].rc != LECTOR_OK && ws[i].rc != OVER &&   /* a failure first */
        ws[i].rc != LECTOR_ENOTFOUND) {
      lk_free(*err);
      rc = ws[i].rc;
      *err = ws[i].err;
      ws[i].err = NULL;
    }
  return rc;
}

/* A worker of the last phase: its lists into job->tables[0], made for
** them all, at the same time as the others; then freed. */
static void *place_lists(void *arg) {
  worker *w = arg;
  const ng_job *job = w->sh->job;
  int k;
  for (k = job->spec->nmin; k <= job->spec->nmax && !w->rc; k++) {
    if (ng_table_place_shared(&job->tables[0], &w->t[k], job->min_count))
      w->rc = LECTOR_ERR, w->err = lk_errorf("a count past 2^32 - 1");
    ng_table_free(&w->t[k]);
  }
  return NULL;
}

/* The grams of a worker's lists counted at least min_count times. */
static uint64_t kept(const worker *w, int k, uint64_t min_count) {
  const ng_table *t = &w->t[k];
  uint64_t n = 0;
  uint32_t i;
  if (min_count <= 1) return t->used;
  for (i = 0; i < t->used; i++)
    n += t->slots[(size_t)i * t->stride + (uint32_t)k] >= min_count;
  return n;
}

/* The workers' disjoint lists into job->tables[0], placed on every
** worker.  LECTOR_OK, or a code with *err. */
static int assemble(ng_job *job, worker *ws, int n, char **err) {
  ng_table *t;
  uint64_t grams = 0;
  int i, k, j;
  job->tables = lk_alloc(sizeof *job->tables);
  job->docs = lk_alloc(sizeof *job->docs);
  if (!job->tables || !job->docs) return LECTOR_ENOMEM;
  memset(job->tables, 0, sizeof *job->tables);
  job->docs[0] = job->src->ndocs;
  for (i = 0; i < n; i++)
    for (k = job->spec->nmin; k <= job->spec->nmax; k++)
      grams += kept(&ws[i], k, job->min_count);
  t = &job->tables[0];
  if (ng_table_final(t, job->spec->nmax, grams) != 0) return LECTOR_ENOMEM;
  for (i = 0; i < n; i++)
    for (k = job->spec->nmin; k <= job->spec->nmax; k++)
      for (j = 0; j <= NG_MAX_N; j++) t->total[j] += ws[i].t[k].total[j];
  return run(ws, n, place_lists, err);
}

int ng_next_run(ng_job *job, char **err) {
  int n = job->src->nworkers, i, rc;
  worker *ws = NULL;
  shared sh;
  *err = NULL;
  if (n < 1 || n > LECTOR_MAX_THREADS || !usable(job))
    return LECTOR_ENOTFOUND;
  memset(&sh, 0, sizeof sh);
  sh.job = job;
  sh.pack = job->tok->pack;
  sh.nwords = (uint32_t)job->tok->pack_words;
  if (job->spill && job->spill->budget)
    sh.share = job->spill->budget / (size_t)n ? job->spill->budget / (size_t)n
                                              : 1;
  rc = (sh.vid = lk_alloc((size_t)sh.nwords * sizeof *sh.vid)) &&
               (ws = lk_alloc((size_t)n * sizeof *ws))
           ? LECTOR_OK : LECTOR_ENOMEM;
  for (i = 0; rc == LECTOR_OK && i < n; i++)
    if (worker_init(&ws[i], &sh) != 0) {
      n = i + 1;                       /* free what was made */
      rc = LECTOR_ENOMEM;
    }
  if (rc == LECTOR_OK) rc = map_words(&sh, err);
  if (rc == LECTOR_OK) rc = run(ws, n, count_words, err);
  if (rc == LECTOR_OK) rc = assemble(job, ws, n, err);
  if (rc == OVER) rc = LECTOR_ENOTFOUND;
  if (rc == LECTOR_ENOMEM && !*err) *err = lk_errorf("out of memory");
  for (i = 0; ws && i < n; i++) worker_free(&ws[i]);
  lk_free(ws);
  lk_free(sh.vid);
  if (rc != LECTOR_OK) ng_count_free_results(job);
  if (rc == LECTOR_ENOTFOUND) {
    lk_free(*err);
    *err = NULL;
  }
  return rc;
}
