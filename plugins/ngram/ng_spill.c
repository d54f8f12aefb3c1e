/*
** ng_spill.c -- sorted runs on disk and their merge (see ng_spill.h).
*/
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lector/kit.h"
#include "ng_buf.h"
#include "ng_order.h"
#include "ng_spill.h"

void ng_spill_init(ng_spill *sp, const char *tmpdir, size_t budget,
                   int nmin, int nmax, int skip) {
  memset(sp, 0, sizeof *sp);
  sp->tmpdir = tmpdir;
  sp->budget = budget;
  sp->nmin = nmin;
  sp->nmax = nmax;
  sp->skip = skip;
  pthread_mutex_init(&sp->lock, NULL);
}

/* ------------------------------------------------------------------------
** The folder and the names of runs (under sp->lock)
*/

static int make_dir(ng_spill *sp, char **err) {
  const char *base = sp->tmpdir;
  size_t n;
  if (sp->dir) return 0;
  if (!base || !*base) base = getenv("TMPDIR");
  if (!base || !*base) base = "/tmp";
  n = strlen(base) + 32;
  if (!(sp->dir = lk_alloc(n))) {
    *err = lk_errorf("out of memory");
    return -1;
  }
  snprintf(sp->dir, n, "%s/lector-ngram-XXXXXX", base);
  if (!mkdtemp(sp->dir)) {
    *err = lk_errorf("tmpdir '%s': cannot make a temporary folder there: "
                     "%s", base, strerror(errno));
    lk_free(sp->dir);
    sp->dir = NULL;
    return -1;
  }
  return 0;
}

/* A new path in the folder: "<dir>/<prefix><seq><suffix>". */
static char *new_path(ng_spill *sp, const char *prefix, uint64_t x,
                      const char *suffix) {
  size_t n = strlen(sp->dir) + strlen(prefix) + strlen(suffix) + 24;
  char *p = lk_alloc(n);
  if (p) snprintf(p, n, "%s/%s%" PRIu64 "%s", sp->dir, prefix, x, suffix);
  return p;
}

/* Append a run of group g at path (taken).  0 or -1 (path freed). */
static int add_run(ng_spill *sp, uint32_t g, char *path) {
  ng_run *r = lk_grow(sp->runs, &sp->cap, sp->nruns + 1, sizeof *r);
  if (!r) {
    unlink(path);
    lk_free(path);
    return -1;
  }
  sp->runs = r;
  r[sp->nruns].group = g;
  r[sp->nruns++].path = path;
  return 0;
}

/* A path for a new run, the folder made if need be.  NULL with *err. */
static char *run_path(ng_spill *sp, char **err) {
  char *p = NULL;
  pthread_mutex_lock(&sp->lock);
  if (make_dir(sp, err) == 0 && !(p = new_path(sp, "r", sp->seq++, ".run")))
    *err = lk_errorf("out of memory");
  pthread_mutex_unlock(&sp->lock);
  return p;
}

/* ------------------------------------------------------------------------
** Sorting a counting table in place
*/

typedef struct recs {
  uint32_t *r;                 /* n records of stride words */
  unsigned stride, width;
} recs;

static int rec_cmp(const recs *a, size_t i, size_t j) {
  const uint32_t *x = a->r + i * a->stride, *y = a->r + j * a->stride;
  unsigned k;
  for (k = 0; k < a->width; k++)
    if (x[k] != y[k]) return x[k] < y[k] ? -1 : 1;
  return 0;
}

static void rec_swap(const recs *a, size_t i, size_t j) {
  uint32_t *x = a->r + i * a->stride, *y = a->r + j * a->stride, t;
  unsigned k;
  for (k = 0; k < a->stride; k++) {
    t = x[k];
    x[k] = y[k];
    y[k] = t;
  }
}

/* Quicksort records [lo, hi) (no two are equal: the keys are distinct),
** the smaller side recursively.  -1 when interrupted. */
static int rec_sort(const recs *a, size_t lo, size_t hi) {
  while (hi - lo > 12) {
    size_t mid = lo + (hi - lo) / 2, i, j;
    if (hi - lo > 65536 && lk_interrupted()) return -1;
    /* median of three into lo */
    if (rec_cmp(a, mid, lo) < 0) rec_swap(a, mid, lo);
    if (rec_cmp(a, hi - 1, lo) < 0) rec_swap(a, hi - 1, lo);
    if (rec_cmp(a, hi - 1, mid) < 0) rec_swap(a, hi - 1, mid);
    rec_swap(a, lo, mid);                  /* the pivot at lo */
    i = lo;
    j = hi;
    for (;;) {
      do i++; while (i < hi && rec_cmp(a, i, lo) < 0);
      do j--; while (rec_cmp(a, j, lo) > 0);
      if (i >= j) break;
      rec_swap(a, i, j);
    }
    rec_swap(a, lo, j);
    if (j - lo < hi - j - 1) {
      if (rec_sort(a, lo, j) != 0) return -1;
      lo = j + 1;
    } else {
      if (rec_sort(a, j + 1, hi) != 0) return -1;
      hi = j;
    }
  }
  {
    size_t i, j;
    for (i = lo + 1; i < hi; i++)
      for (j = i; j > lo && rec_cmp(a, j - 1, j) > 0; j--) rec_swap(a, j - 1, j);
  }
  return 0;
}

static int id_qcmp(const void *a, const void *b) {
  return ng_gram_cmp((const uint32_t *)a, (const uint32_t *)b, 1);
}

/* Pack t's grams to the front with the high half of each count in the
** stamp word, ids replaced by word ranks, sorted.  *ids: rank - 1 -> id
** (lk_alloc).  0, or -1 (out of memory or interrupted). */
static int sort_in_place(ng_table *t, uint32_t **ids_out) {
  unsigned w = t->width, stride = t->stride, j;
  uint32_t v = lk_env_cur.vocab_size(), *rank, *ids, nids = 0, i;
  size_t n = 0, k;
  recs a;
  rank = lk_alloc(((size_t)v + 1) * sizeof *rank);
  if (!rank) return -1;
  memset(rank, 0, ((size_t)v + 1) * sizeof *rank);
  for (i = 0; i < t->cap; i++) {
    uint32_t *s = t->slots + (size_t)i * stride;
    if (!s[0]) continue;
    s[w + 2] = t->nbig ? (uint32_t)(ng_table_count(t, s) >> 32) : 0;
    if (n != i) memcpy(t->slots + n * stride, s, stride * sizeof *s);
    for (j = 0; j < w && s[j]; j++)
      if (s[j] <= v && !rank[s[j]]) {
        rank[s[j]] = 1;
        nids++;
      }
    n++;
  }
  /* the slots past n are stale copies: empty them */
  memset(t->slots + n * stride, 0, ((size_t)t->cap - n) * stride * 4);
  ids = lk_alloc((nids ? nids : 1) * sizeof *ids);
  if (!ids) { lk_free(rank); return -1; }
  nids = 0;
  for (i = 1; i <= v; i++) if (rank[i]) ids[nids++] = i;
  qsort(ids, nids, sizeof *ids, id_qcmp);
  for (i = 0; i < nids; i++) rank[ids[i]] = i + 1;
  for (k = 0; k < n; k++) {
    uint32_t *s = t->slots + k * stride;
    for (j = 0; j < w && s[j]; j++) s[j] = rank[s[j]];
  }
  lk_free(rank);
  a.r = t->slots;
  a.stride = stride;
  a.width = w;
  if (rec_sort(&a, 0, n) != 0) { lk_free(ids); return -1; }
  *ids_out = ids;
  return 0;
}

/* ------------------------------------------------------------------------
** Writing runs
*/

static void run_meta(const ng_spill *sp, uint64_t docs, ng_meta *m) {
  memset(m, 0, sizeof *m);
  m->nmin = sp->nmin;
  m->nmax = sp->nmax;
  m->skip = sp->skip;
  m->docs = docs;
  m->min_count = 1;
}

/* Should a writing loop stop (every NG_POLL_EVERY lines)? */
static int stopping(size_t i, char **err) {
  if (i % NG_POLL_EVERY != 0 || !lk_interrupted()) return 0;
  *err = lk_errorf("interrupted");
  return 1;
}

/* Write the packed, sorted, ranked grams of stamped t (n of them). */
static int write_stamped(ng_writer *wr, const ng_table *t, size_t n,
                         const uint32_t *ids, ng_buf *b, char **err) {
  unsigned w = t->width, j;
  uint32_t key[NG_MAX_N];
  size_t k;
  for (k = 0; k < n; k++) {
    const uint32_t *s = t->slots + k * t->stride;
    if (stopping(k, err)) return -1;
    for (j = 0; j < w; j++) key[j] = s[j] ? ids[s[j] - 1] : 0;
    b->n = 0;
    ng_escape_gram(key, (int)w, b);
    if (b->oom) {
      *err = lk_errorf("out of memory");
      return -1;
    }
    ng_writer_line(wr, b->p, b->n, (uint64_t)s[w + 2] << 32 | s[w], s[w + 1]);
  }
  return 0;
}

/* Write the grams of finished (unstamped) t in file order. */
static int write_plain(ng_writer *wr, const ng_table *t, ng_buf *b,
                       char **err) {
  uint32_t *idx;
  size_t n, k;
  int rc = 0;
  if (ng_order_sorted(t, 0, &idx, &n) != 0) {
    *err = lk_errorf(lk_interrupted() ? "interrupted" : "out of memory");
    return -1;
  }
  for (k = 0; k < n && rc == 0; k++) {
    const uint32_t *s = t->slots + (size_t)idx[k] * t->stride;
    if (stopping(k, err)) { rc = -1; break; }
    b->n = 0;
    ng_escape_gram(s, t->width, b);
    if (b->oom) {
      *err = lk_errorf("out of memory");
      rc = -1;
      break;
    }
    ng_writer_line(wr, b->p, b->n, ng_table_count(t, s), s[NG_DF(t)]);
  }
  lk_free(idx);
  return rc;
}

static void empty_table(ng_table *t) {
  if (t->slots) memset(t->slots, 0, (size_t)t->cap * t->stride * 4);
  t->used = 0;
  t->nbig = 0;
}

int ng_spill_write(ng_spill *sp, uint32_t group, ng_table *t, uint64_t docs,
                   char **err) {
  uint32_t *ids = NULL;
  size_t n = t->used;
  ng_writer *wr;
  ng_meta m;
  ng_buf b;
  char *path;
  int rc = 0;
  *err = NULL;
  if (t->stamped && sort_in_place(t, &ids) != 0) {
    *err = lk_errorf(lk_interrupted() ? "interrupted" : "out of memory");
    return -1;
  }
  if (!(path = run_path(sp, err))) {
    lk_free(ids);
    return -1;
  }
  run_meta(sp, docs, &m);
  /* one open at a time: the output helper sets the process's umask for a
  ** moment (umask(0) then back), which two threads would get wrong */
  pthread_mutex_lock(&sp->lock);
  rc = ng_writer_open(&wr, path, &m, t->total, err);
  pthread_mutex_unlock(&sp->lock);
  if (rc != 0) {
    lk_free(ids);
    lk_free(path);
    return -1;
  }
  ng_buf_init(&b);
  rc = t->stamped ? write_stamped(wr, t, n, ids, &b, err)
                  : write_plain(wr, t, &b, err);
  ng_buf_free(&b);
  lk_free(ids);
  rc = ng_writer_close(wr, rc != 0, err) != 0 ? -1 : rc;
  if (rc == 0) {
    pthread_mutex_lock(&sp->lock);
    sp->written += ng_table_memory(t);
    if (add_run(sp, group, path) != 0) {
      *err = lk_errorf("out of memory");
      rc = -1;
    }
    pthread_mutex_unlock(&sp->lock);
  } else {
    lk_free(path);
  }
  empty_table(t);
  return rc;
}

/* ------------------------------------------------------------------------
** Merging the runs
*/

static void drop_run(ng_run *r) {
  if (!r->path) return;
  unlink(r->path);
  lk_free(r->path);
  r->path = NULL;
}

/* Where group g's runs are: [lo, hi) of the runs sorted by group, and
** the merged runs appended from `from` on. */
typedef struct span {
  size_t lo, hi, from;
} span;

/* The live runs of group g (indices into sp->runs) into *at / *n.
** 0 or -1. */
static int runs_of(ng_spill *sp, uint32_t g, const span *w, size_t **at,
                   size_t *n) {
  size_t i, k = 0;
  *at = lk_alloc((sp->nruns ? sp->nruns : 1) * sizeof **at);
  if (!*at) return -1;
  for (i = w->lo; i < w->hi; i++)
    if (sp->runs[i].path) (*at)[k++] = i;
  for (i = w->from; i < sp->nruns; i++)
    if (sp->runs[i].path && sp->runs[i].group == g) (*at)[k++] = i;
  *n = k;
  return 0;
}

/* Runs by group, then by path (any order within a group would do: the
** merge adds equal grams up). */
static int run_qcmp(const void *a, const void *b) {
  const ng_run *x = a, *y = b;
  if (x->group != y->group) return x->group < y->group ? -1 : 1;
  if (!x->path || !y->path) return !x->path - !y->path;
  return strcmp(x->path, y->path);
}

/* Merge the first NG_MERGE_FANIN runs of group g into one new run. */
static int merge_pass(ng_spill *sp, uint32_t g, const size_t *at,
                      char **err) {
  const char *in[NG_MERGE_FANIN];
  char *out = new_path(sp, "m", sp->seq++, ".run");
  size_t i;
  if (!out) {
    *err = lk_errorf("out of memory");
    return -1;
  }
  for (i = 0; i < NG_MERGE_FANIN; i++) in[i] = sp->runs[at[i]].path;
  if (ng_format_merge(out, in, NG_MERGE_FANIN, err) != 0) {
    lk_free(out);
    return -1;
  }
  for (i = 0; i < NG_MERGE_FANIN; i++) drop_run(&sp->runs[at[i]]);
  if (add_run(sp, g, out) != 0) {
    *err = lk_errorf("out of memory");
    return -1;
  }
  return 0;
}

/* Merge the runs of group g into sp->files[g]. */
static int finish_group(ng_spill *sp, uint32_t g, const span *w,
                        const ng_meta *m, const uint64_t *total,
                        uint64_t min_count, char **err) {
  const char **in = NULL;
  ng_merge_opts mo;
  size_t *at, n, i;
  int rc = -1;
  for (;;) {
    if (runs_of(sp, g, w, &at, &n) != 0) goto oom;
    if (n <= NG_MERGE_FANIN) break;
    rc = merge_pass(sp, g, at, err);
    lk_free(at);
    if (rc != 0) return -1;
  }
  if (!(in = lk_alloc((n ? n : 1) * sizeof *in)) ||
      !(sp->files[g] = new_path(sp, "g", g, ".tsv"))) {
    lk_free(at);
    lk_free(in);
    goto oom;
  }
  for (i = 0; i < n; i++) in[i] = sp->runs[at[i]].path;
  memset(&mo, 0, sizeof mo);
  mo.meta = m;
  mo.total = total;
  mo.min_count = min_count;
  mo.lines = &sp->lines[g];
  rc = ng_format_merge_x(sp->files[g], in, n, &mo, err);
  if (rc != 0) {
    lk_free(sp->files[g]);
    sp->files[g] = NULL;
  }
  for (i = 0; i < n; i++) drop_run(&sp->runs[at[i]]);
  lk_free(at);
  lk_free(in);
  return rc;
oom:
  *err = lk_errorf("out of memory");
  return -1;
}

int ng_spill_finish(ng_spill *sp, uint32_t ngroups, const ng_meta *base,
                    const uint64_t *docs,
                    const uint64_t (*totals)[NG_MAX_N + 1],
                    uint64_t min_count, char **err) {
  uint32_t g;
  span w;
  *err = NULL;
  if (make_dir(sp, err) != 0) return -1;
  /* by group once, so that each group finds its runs without a scan of
  ** all (a count by month writes runs for every month) */
  if (sp->nruns > 1) qsort(sp->runs, sp->nruns, sizeof *sp->runs, run_qcmp);
  w.lo = w.hi = 0;
  w.from = sp->nruns;
  sp->files = lk_alloc((ngroups ? ngroups : 1) * sizeof *sp->files);
  sp->lines = lk_alloc((ngroups ? ngroups : 1) * sizeof *sp->lines);
  if (!sp->files || !sp->lines) {
    *err = lk_errorf("out of memory");
    return -1;
  }
  memset(sp->files, 0, (ngroups ? ngroups : 1) * sizeof *sp->files);
  memset(sp->lines, 0, (ngroups ? ngroups : 1) * sizeof *sp->lines);
  sp->ngroups = ngroups;
  for (g = 0; g < ngroups; g++) {
    ng_meta m = *base;
    m.docs = docs[g];
    m.min_count = min_count;
    w.lo = w.hi;
    while (w.hi < w.from && sp->runs[w.hi].group == g) w.hi++;
    if (finish_group(sp, g, &w, &m, totals[g], min_count, err) != 0)
      return -1;
  }
  return 0;
}

char *ng_spill_take(ng_spill *sp, uint32_t g) {
  char *p;
  if (!sp->files || g >= sp->ngroups) return NULL;
  p = sp->files[g];
  sp->files[g] = NULL;
  return p;
}

void ng_spill_remove(char *path) {
  char *slash;
  if (!path) return;
  unlink(path);
  slash = strrchr(path, '/');
  if (slash) {
    *slash = '\0';
    rmdir(path);                 /* fails while other results live */
  }
  lk_free(path);
}

void ng_spill_free(ng_spill *sp) {
  size_t i;
  uint32_t g;
  for (i = 0; i < sp->nruns; i++) drop_run(&sp->runs[i]);
  lk_free(sp->runs);
  for (g = 0; sp->files && g < sp->ngroups; g++)
    if (sp->files[g]) {
      unlink(sp->files[g]);
      lk_free(sp->files[g]);
    }
  lk_free(sp->files);
  lk_free(sp->lines);
  if (sp->dir) rmdir(sp->dir);
  lk_free(sp->dir);
  pthread_mutex_destroy(&sp->lock);
  memset(sp, 0, sizeof *sp);
}

int ng_spill_parse_size(const char *s, size_t n, uint64_t *bytes) {
  uint64_t v = 0, mul = 1;
  size_t i = 0;
  if (n == 0 || s[0] < '0' || s[0] > '9') return -1;
  for (; i < n && s[i] >= '0' && s[i] <= '9'; i++) {
    if (v > (UINT64_MAX - 9) / 10) return -1;
    v = v * 10 + (uint64_t)(s[i] - '0');
  }
  if (i < n) {
    switch (s[i] | 0x20) {
      case 'k': mul = 1ull << 10; break;
      case 'm': mul = 1ull << 20; break;
      case 'g': mul = 1ull << 30; break;
      case 't': mul = 1ull << 40; break;
      case 'b': mul = 1; i--; break;
      default: return -1;
    }
    i++;
    if (i < n && (s[i] | 0x20) == 'b') i++;
    if (i != n) return -1;
  }
  if (v > UINT64_MAX / mul) return -1;
  *bytes = v * mul;
  return 0;
}
