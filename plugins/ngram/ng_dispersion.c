/*
** ng_dispersion.c -- range, Juilland's D and Gries's DP of words and
** phrases over the parts of a corpus (see ng_dispersion.h).
*/
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "lector/kit.h"
#include "ng_dispersion.h"
#include "ng_route.h"

/* ------------------------------------------------------------------------
** Counting (the words_fn of an ng_count word-mode job)
*/

/* An occurrence of target t at token pos of document doc. */
typedef struct dhit {
  size_t doc;
  uint32_t t, pos;
} dhit;

typedef struct dworker {
  dhit *v;
  size_t n, cap;
} dworker;

/* The targets by first word, for a binary search per token. */
typedef struct dfirst {
  uint32_t id, t;
} dfirst;

typedef struct dctx {
  const ng_dispersion_spec *spec;
  dfirst *first;               /* ntargets, by id */
  uint64_t *doc_tokens;        /* per document: written by its worker */
  dworker w[LECTOR_MAX_THREADS];
} dctx;

static int first_cmp(const void *pa, const void *pb) {
  const dfirst *a = pa, *b = pb;
  if (a->id != b->id) return a->id < b->id ? -1 : 1;
  return a->t < b->t ? -1 : a->t > b->t;
}

/* Does target t stand at ids[i..n)? */
static int target_at(const ng_dispersion_spec *sp, uint32_t t,
                     const uint32_t *ids, size_t n, size_t i) {
  size_t j, len = (size_t)sp->tlen[t];
  if (n - i < len) return 0;
  for (j = 1; j < len; j++)
    if ((ids[i + j] & NG_ID_MAX) != sp->target[t][j]) return 0;
  return 1;
}

static int push(dworker *w, size_t doc, uint32_t t, size_t pos) {
  if (w->n == w->cap) {
    dhit *v = lk_grow(w->v, &w->cap, w->n + 1, sizeof *v);
    if (!v) return -1;
    w->v = v;
  }
  w->v[w->n].doc = doc;
  w->v[w->n].t = t;
  w->v[w->n++].pos = (uint32_t)pos;
  return 0;
}

/* The first entry of c->first with word id, or ntargets. */
static size_t find_first(const dctx *c, uint32_t id) {
  size_t lo = 0, hi = c->spec->ntargets;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (c->first[mid].id < id) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

static int on_words(void *ud, int worker, size_t doc, const uint32_t *ids,
                    size_t n, char **err) {
  dctx *c = ud;
  dworker *w = &c->w[worker];
  size_t i, k;
  if (n > UINT32_MAX) {
    *err = lk_errorf("document %zu has more than 2^32 tokens", doc + 1);
    return LECTOR_ERR;
  }
  c->doc_tokens[doc] = n;
  for (i = 0; i < n; i++) {
    uint32_t id = ids[i] & NG_ID_MAX;
    for (k = find_first(c, id);
         k < c->spec->ntargets && c->first[k].id == id; k++)
      if (target_at(c->spec, c->first[k].t, ids, n, i) &&
          push(w, doc, c->first[k].t, i) != 0) {
        *err = lk_errorf("out of memory");
        return LECTOR_ENOMEM;
      }
  }
  return LECTOR_OK;
}

/* ------------------------------------------------------------------------
** Parts
*/

/* The first token of part j of np parts of N tokens. */
static uint64_t part_start(uint64_t j, uint64_t np, uint64_t N) {
  return (uint64_t)((unsigned __int128)j * N / np);
}

/* The part of token p (p < N) of np equal parts. */
static size_t part_of(uint64_t p, uint64_t np, uint64_t N) {
  uint64_t j = (uint64_t)((unsigned __int128)p * np / N);
  while (j + 1 < np && part_start(j + 1, np, N) <= p) j++;
  while (j > 0 && part_start(j, np, N) > p) j--;
  return (size_t)j;
}

/* Allocate out's arrays for np parts and nt targets.  0 or -1. */
static int alloc_parts(ng_dispersion *out, size_t np, size_t nt) {
  out->nparts = np;
  if (np == 0 || nt > SIZE_MAX / np / sizeof *out->counts) return -1;
  out->sizes = lk_alloc(np * sizeof *out->sizes);
  out->counts = lk_alloc(np * nt * sizeof *out->counts);
  if (!out->sizes || !out->counts) return -1;
  memset(out->counts, 0, np * nt * sizeof *out->counts);
  return 0;
}

/* Turn the workers' hits and the documents' sizes into out.  LECTOR_OK or
** a code with *err. */
static int make_parts(dctx *c, int nw, size_t ndocs, ng_dispersion *out,
                      char **err) {
  const ng_dispersion_spec *sp = c->spec;
  size_t np = sp->nparts ? sp->nparts : ndocs, d, j, i;
  uint64_t N = 0;
  int k;
  for (d = 0; d < ndocs; d++) {                /* doc_tokens -> starts */
    uint64_t len = c->doc_tokens[d];
    c->doc_tokens[d] = N;
    N += len;
  }
  out->tokens = N;
  if (sp->nparts && sp->nparts > N) {
    *err = lk_errorf("%zu parts of %llu tokens: parts must be at most "
                     "the number of tokens", sp->nparts,
                     (unsigned long long)N);
    return LECTOR_ERR;
  }
  if (alloc_parts(out, np, sp->ntargets) != 0) goto oom;
  for (j = 0; j < np; j++)
    out->sizes[j] = sp->nparts ? part_start(j + 1, np, N) -
                                     part_start(j, np, N)
                               : (j + 1 < ndocs ? c->doc_tokens[j + 1] : N) -
                                     c->doc_tokens[j];
  for (k = 0; k < nw; k++)
    for (i = 0; i < c->w[k].n; i++) {
      const dhit *h = &c->w[k].v[i];
      size_t part = sp->nparts ? part_of(c->doc_tokens[h->doc] + h->pos,
                                         np, N)
                               : h->doc;
      if ((i & 0xFFFF) == 0 && lk_interrupted()) {
        *err = lk_errorf("interrupted");
        return LECTOR_EINTERRUPT;
      }
      out->counts[(size_t)h->t * np + part]++;
    }
  return LECTOR_OK;
oom:
  *err = lk_errorf("out of memory (%zu parts by %zu targets)", np,
                   sp->ntargets);
  return LECTOR_ENOMEM;
}

void ng_dispersion_free(ng_dispersion *d) {
  lk_free(d->sizes);
  lk_free(d->counts);
  memset(d, 0, sizeof *d);
}

/* Set up c for spec over ndocs documents.  0 or -1. */
static int ctx_init(dctx *c, const ng_dispersion_spec *spec, size_t ndocs) {
  size_t t;
  memset(c, 0, sizeof *c);
  c->spec = spec;
  c->first = lk_alloc((spec->ntargets ? spec->ntargets : 1) *
                      sizeof *c->first);
  c->doc_tokens = lk_alloc((ndocs ? ndocs : 1) * sizeof *c->doc_tokens);
  if (!c->first || !c->doc_tokens) return -1;
  memset(c->doc_tokens, 0, (ndocs ? ndocs : 1) * sizeof *c->doc_tokens);
  for (t = 0; t < spec->ntargets; t++) {
    c->first[t].id = spec->target[t][0];
    c->first[t].t = (uint32_t)t;
  }
  qsort(c->first, spec->ntargets, sizeof *c->first, first_cmp);
  return 0;
}

int ng_dispersion_run(const ng_dispersion_spec *spec, const ng_docs *docs,
                      ng_dispersion *out, char **err) {
  static const ng_spec unigrams = {1, 1, 0, 0};
  ng_job job;
  dctx c;
  int nw = docs->nworkers, rc, k;
  memset(out, 0, sizeof *out);
  *err = NULL;
  if (nw < 1 || nw > LECTOR_MAX_THREADS || spec->ntargets < 1 ||
      spec->ntargets > UINT32_MAX) {
    *err = lk_errorf("bad dispersion job (%d workers, %zu targets)", nw,
                     spec->ntargets);
    return LECTOR_ERR;
  }
  if (ctx_init(&c, spec, docs->ndocs) != 0) {
    *err = lk_errorf("out of memory");
    rc = LECTOR_ENOMEM;
  } else {
    memset(&job, 0, sizeof job);
    job.spec = &unigrams;
    job.tok = spec->tok;
    job.src = docs;
    job.ngroups = 1;
    job.words_fn = on_words;
    job.doc_ud = &c;
    rc = ng_count_run(&job, err);
    if (rc == LECTOR_OK) rc = make_parts(&c, nw, docs->ndocs, out, err);
  }
  for (k = 0; k < nw; k++) lk_free(c.w[k].v);
  lk_free(c.first);
  lk_free(c.doc_tokens);
  if (rc != LECTOR_OK) ng_dispersion_free(out);
  return rc;
}

/* ------------------------------------------------------------------------
** Measures
*/

/* Juilland's D over the non-empty parts (NAN when undefined). */
static double juilland(const uint64_t *c, const uint64_t *s, size_t n) {
  double sum = 0, sq = 0, mean, sd;
  size_t i, k = 0;
  for (i = 0; i < n; i++)
    if (s[i]) {
      sum += (double)c[i] / (double)s[i];
      k++;
    }
  if (k < 2 || sum <= 0) return NAN;
  mean = sum / (double)k;
  for (i = 0; i < n; i++)
    if (s[i]) {
      double d = (double)c[i] / (double)s[i] - mean;
      sq += d * d;
    }
  sd = sqrt(sq / (double)k);
  return 1 - (sd / mean) / sqrt((double)k - 1);
}

void ng_dispersion_stats_of(const uint64_t *c, const uint64_t *s, size_t n,
                            ng_dispersion_stats *out) {
  uint64_t f = 0, S = 0, smin = UINT64_MAX;
  double dp = 0;
  size_t i;
  memset(out, 0, sizeof *out);
  for (i = 0; i < n; i++) {
    f += c[i];
    S += s[i];
    if (s[i] < smin) smin = s[i];
    out->range += c[i] > 0;
  }
  out->freq = f;
  out->juilland_d = juilland(c, s, n);
  if (f == 0 || S == 0) {
    out->dp = out->dp_norm = NAN;
    return;
  }
  for (i = 0; i < n; i++)
    dp += fabs((double)c[i] / (double)f - (double)s[i] / (double)S);
  out->dp = dp / 2;
  out->dp_norm = smin < S ? out->dp / (1 - (double)smin / (double)S) : NAN;
}
