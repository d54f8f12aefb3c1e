/*
** ng_dtm.c -- the document-term matrix (see ng_dtm.h).
*/
#include <stdlib.h>
#include <string.h>

#include "lector/kit.h"
#include "ng_dtm.h"
#include "ng_order.h"

#define POLL_ROWS 256          /* rows between two lk_interrupted() polls */

static int oom(char **err) {
  *err = lk_errorf("out of memory");
  return LECTOR_ENOMEM;
}

static int poll_stop(size_t i, char **err) {
  if (i % POLL_ROWS != 0 || !lk_interrupted()) return 0;
  *err = lk_errorf("interrupted");
  return 1;
}

/* ------------------------------------------------------------------------
** Keeping each document's counts
*/

int ng_dtm_build_init(ng_dtm_build *b, size_t ndocs, int nmin, int nmax,
                      char **err) {
  memset(b, 0, sizeof *b);
  b->nmin = nmin;
  b->nmax = nmax;
  b->ndocs = ndocs;
  b->ent = lk_alloc((ndocs + 1) * sizeof *b->ent);
  b->nent = lk_alloc((ndocs + 1) * sizeof *b->nent);
  if (!b->ent || !b->nent) {           /* not zeroed: free the arrays only */
    lk_free(b->ent);
    lk_free(b->nent);
    memset(b, 0, sizeof *b);
    return oom(err);
  }
  memset(b->ent, 0, (ndocs + 1) * sizeof *b->ent);
  memset(b->nent, 0, (ndocs + 1) * sizeof *b->nent);
  return LECTOR_OK;
}

int ng_dtm_build_doc(ng_dtm_build *b, size_t doc, const ng_table *counts,
                     char **err) {
  size_t n = 0, m = 0;
  uint32_t i, *e, w = (uint32_t)b->nmax;
  int k;
  for (k = b->nmin; k <= b->nmax; k++) n += counts[k].used;
  if (n == 0) return LECTOR_OK;
  if (n > UINT32_MAX || !(e = lk_alloc(n * (w + 1) * sizeof *e)))
    return oom(err);
  for (k = b->nmin; k <= b->nmax; k++) {
    const ng_table *t = &counts[k];
    for (i = 0; i < t->cap; i++) {
      const uint32_t *s = ng_table_slot(t, i);
      uint32_t *d = e + m * (w + 1);
      uint64_t c;
      if (!s) continue;
      c = ng_table_count(t, s);
      if (c > UINT32_MAX) {
        lk_free(e);
        *err = lk_errorf("a term occurs more than 2^32-1 times in one "
                         "document");
        return LECTOR_ERR;
      }
      memset(d, 0, w * sizeof *d);
      memcpy(d, s, (size_t)t->width * sizeof *d);
      d[w] = (uint32_t)c;
      m++;
    }
  }
  b->ent[doc] = e;
  b->nent[doc] = (uint32_t)m;
  return LECTOR_OK;
}

void ng_dtm_build_free(ng_dtm_build *b) {
  size_t d;
  if (!b) return;
  if (b->ent)
    for (d = 0; d < b->ndocs; d++) lk_free(b->ent[d]);
  lk_free(b->ent);
  lk_free(b->nent);
  memset(b, 0, sizeof *b);
}

/* ------------------------------------------------------------------------
** Rows: a group's row sums its documents (an ng_table of the row's terms)
*/

/* Documents of each row: docs[at[r] .. at[r + 1]).  Counting sort over
** the member lists. */
static int row_docs(const ng_dtm_rows *rows, size_t ndocs, size_t **at,
                    size_t **docs, char **err) {
  size_t d, x, total = 0, *a, *p;
  a = lk_alloc((rows->nrows + 2) * sizeof *a);
  if (!a) return oom(err);
  memset(a, 0, (rows->nrows + 2) * sizeof *a);
  for (d = 0; d < ndocs; d++) {
    if (rows->first) {
      for (x = rows->first[d]; x < rows->first[d + 1]; x++)
        a[(size_t)rows->member[x] + 2]++, total++;
    } else if (rows->group[d] >= 0) {
      a[(size_t)rows->group[d] + 2]++, total++;
    }
  }
  for (d = 2; d < rows->nrows + 2; d++) a[d] += a[d - 1];
  if (!(p = lk_alloc((total + 1) * sizeof *p))) {
    lk_free(a);
    return oom(err);
  }
  for (d = 0; d < ndocs; d++) {                   /* a[r + 1]: next free */
    if (rows->first) {
      for (x = rows->first[d]; x < rows->first[d + 1]; x++)
        p[a[(size_t)rows->member[x] + 1]++] = d;
    } else if (rows->group[d] >= 0) {
      p[a[(size_t)rows->group[d] + 1]++] = d;
    }
  }
  *at = a;
  *docs = p;
  return LECTOR_OK;
}

/* Sum the documents docs[0..n) of b into one entry list (*e, *ne). */
static int sum_docs(const ng_dtm_build *b, const size_t *docs, size_t n,
                    uint32_t **e, uint32_t *ne, char **err) {
  ng_table acc;
  uint32_t i, w = (uint32_t)b->nmax, *out;
  size_t j, m = 0;
  *e = NULL;
  *ne = 0;
  if (ng_table_init(&acc, (int)w, 0, 0) != 0) return oom(err);
  for (j = 0; j < n; j++) {
    const uint32_t *src = b->ent[docs[j]];
    for (i = 0; i < b->nent[docs[j]]; i++)
      if (ng_table_add(&acc, src + (size_t)i * (w + 1),
                       src[(size_t)i * (w + 1) + w], 1) != 0)
        goto nomem;
  }
  if (acc.used == 0) {
    ng_table_free(&acc);
    return LECTOR_OK;
  }
  if (!(out = lk_alloc((size_t)acc.used * (w + 1) * sizeof *out)))
    goto nomem;
  for (i = 0; i < acc.cap; i++) {
    const uint32_t *s = ng_table_slot(&acc, i);
    uint64_t c;
    if (!s) continue;
    c = ng_table_count(&acc, s);
    if (c > UINT32_MAX) {
      lk_free(out);
      ng_table_free(&acc);
      *err = lk_errorf("a term occurs more than 2^32-1 times in one group");
      return LECTOR_ERR;
    }
    memcpy(out + m * (w + 1), s, w * sizeof *out);
    out[m * (w + 1) + w] = (uint32_t)c;
    m++;
  }
  ng_table_free(&acc);
  *e = out;
  *ne = (uint32_t)m;
  return LECTOR_OK;
nomem:
  ng_table_free(&acc);
  return oom(err);
}

/* Replace b's documents by the rows of rows (b->ndocs becomes nrows). */
static int make_rows(ng_dtm_build *b, const ng_dtm_rows *rows, char **err) {
  ng_dtm_build r;
  size_t *at = NULL, *docs = NULL, i;
  int rc;
  if (!rows || !rows->group) return LECTOR_OK;
  if ((rc = row_docs(rows, b->ndocs, &at, &docs, err)) != LECTOR_OK)
    return rc;
  if ((rc = ng_dtm_build_init(&r, rows->nrows, b->nmin, b->nmax, err)) !=
      LECTOR_OK)
    goto done;
  for (i = 0; i < rows->nrows && rc == LECTOR_OK; i++) {
    if (poll_stop(i, err)) rc = LECTOR_EINTERRUPT;
    else rc = sum_docs(b, docs + at[i], at[i + 1] - at[i], &r.ent[i],
                       &r.nent[i], err);
  }
  if (rc == LECTOR_OK) {
    ng_dtm_build_free(b);
    *b = r;
  } else {
    ng_dtm_build_free(&r);
  }
done:
  lk_free(at);
  lk_free(docs);
  return rc;
}

/* ------------------------------------------------------------------------
** Columns
*/

/* Every term of b into df: its count, and its document frequency (over
** rows) in the df word. */
static int count_df(const ng_dtm_build *b, ng_table *df, char **err) {
  uint32_t w = (uint32_t)b->nmax, i;
  size_t r;
  if (ng_table_init(df, (int)w, 0, 0) != 0) return oom(err);
  for (r = 0; r < b->ndocs; r++) {
    if (poll_stop(r, err)) return LECTOR_EINTERRUPT;
    for (i = 0; i < b->nent[r]; i++)
      if (ng_table_add(df, b->ent[r] + (size_t)i * (w + 1),
                       b->ent[r][(size_t)i * (w + 1) + w], 1) != 0)
        return oom(err);
  }
  return LECTOR_OK;
}

/* The terms of df with a df within [lo, hi] and a count of at least
** min_count, sorted, into m->keys / m->df, and their columns (count =
** column + 1) into cols. */
static int make_cols(const ng_table *df, double lo, double hi,
                     uint64_t min_count, ng_dtm *m, ng_table *cols,
                     char **err) {
  uint32_t *idx, w = (uint32_t)m->width;
  size_t n, j, k = 0;
  if (ng_order_sorted(df, 0, &idx, &n) != 0) {     /* file order */
    if (lk_interrupted()) {
      *err = lk_errorf("interrupted");
      return LECTOR_EINTERRUPT;
    }
    return oom(err);
  }
  m->keys = lk_alloc((n * w + 1) * sizeof *m->keys);
  m->df = lk_alloc((n + 1) * sizeof *m->df);
  if (!m->keys || !m->df || ng_table_init(cols, (int)w, 0, n) != 0) {
    lk_free(idx);
    return oom(err);
  }
  for (j = 0; j < n; j++) {
    const uint32_t *s = df->slots + (size_t)idx[j] * df->stride;
    double f = (double)s[NG_DF(df)];
    if (f < lo || f > hi || ng_table_count(df, s) < min_count) continue;
    memcpy(m->keys + k * w, s, w * sizeof *m->keys);
    m->df[k] = s[NG_DF(df)];
    if (ng_table_add(cols, s, k + 1, 0) != 0) {
      lk_free(idx);
      return oom(err);
    }
    k++;
  }
  m->ncols = (uint32_t)k;
  lk_free(idx);
  return LECTOR_OK;
}

/* ------------------------------------------------------------------------
** The matrix
*/

typedef struct cell {
  uint32_t col;
  uint32_t count;
} cell;

static int cell_cmp(const void *a, const void *b) {
  uint32_t x = ((const cell *)a)->col, y = ((const cell *)b)->col;
  return x < y ? -1 : x > y;
}

/* Column + 1 of entry e (key of width w) in cols, or 0. */
static uint32_t col_of(const ng_table *cols, const uint32_t *e) {
  const uint32_t *s = ng_table_find(cols, e);
  return s ? s[NG_COUNT(cols)] : 0;
}

/* Write the matrix of b's rows over the columns of cols.  The first pass
** puts each entry's column + 1 (0: dropped) over its key's first word,
** so each key is looked up once. */
static int fill(const ng_dtm_build *b, const ng_table *cols, ng_dtm *m,
                char **err) {
  uint32_t w = (uint32_t)b->nmax, i, maxrow = 0;
  size_t r;
  uint64_t k = 0;
  cell *tmp;
  m->rowptr = lk_alloc((b->ndocs + 1) * sizeof *m->rowptr);
  if (!m->rowptr) return oom(err);
  for (r = 0; r < b->ndocs; r++) {               /* sizes first */
    uint32_t n = 0;
    m->rowptr[r] = k;
    for (i = 0; i < b->nent[r]; i++) {
      uint32_t *e = b->ent[r] + (size_t)i * (w + 1);
      if ((e[0] = col_of(cols, e)) != 0) n++;
    }
    k += n;
    if (n > maxrow) maxrow = n;
  }
  m->rowptr[b->ndocs] = m->nnz = k;
  m->col = lk_alloc((k + 1) * sizeof *m->col);
  m->val = lk_alloc((k + 1) * sizeof *m->val);
  tmp = lk_alloc(((size_t)maxrow + 1) * sizeof *tmp);
  if (!m->col || !m->val || !tmp) {
    lk_free(tmp);
    return oom(err);
  }
  for (r = 0; r < b->ndocs; r++) {
    uint32_t n = 0, c;
    uint64_t at = m->rowptr[r];
    if (poll_stop(r, err)) {
      lk_free(tmp);
      return LECTOR_EINTERRUPT;
    }
    for (i = 0; i < b->nent[r]; i++) {
      const uint32_t *e = b->ent[r] + (size_t)i * (w + 1);
      if ((c = e[0]) == 0) continue;
      tmp[n].col = c - 1;
      tmp[n++].count = e[w];
    }
    qsort(tmp, n, sizeof *tmp, cell_cmp);
    for (i = 0; i < n; i++) {
      m->col[at + i] = tmp[i].col;
      m->val[at + i] = tmp[i].count;
    }
  }
  lk_free(tmp);
  return LECTOR_OK;
}

int ng_dtm_finish(ng_dtm_build *b, const ng_dtm_rows *rows, double min_df,
                  double max_df, uint64_t min_count, ng_dtm *out,
                  char **err) {
  ng_table df, cols;
  int rc;
  memset(out, 0, sizeof *out);
  memset(&df, 0, sizeof df);
  memset(&cols, 0, sizeof cols);
  out->width = b->nmax;
  if ((rc = make_rows(b, rows, err)) != LECTOR_OK) goto done;
  out->nrows = b->ndocs;
  if ((rc = count_df(b, &df, err)) != LECTOR_OK) goto done;
  if ((rc = make_cols(&df, min_df, max_df, min_count, out, &cols, err)) != LECTOR_OK)
    goto done;
  ng_table_free(&df);
  rc = fill(b, &cols, out, err);
done:
  ng_table_free(&df);
  ng_table_free(&cols);
  ng_dtm_build_free(b);
  if (rc != LECTOR_OK) ng_dtm_free(out);
  return rc;
}

/* ------------------------------------------------------------------------
** TF-IDF, lookups
*/

static void *copy_of(const void *p, size_t n) {
  void *q = lk_alloc(n ? n : 1);
  if (q && n) memcpy(q, p, n);
  return q;
}

int ng_dtm_tfidf(const ng_dtm *in, const ng_weighting *w, ng_dtm *out,
                 char **err) {
  size_t r;
  uint64_t k;
  memset(out, 0, sizeof *out);
  out->nrows = in->nrows;
  out->ncols = in->ncols;
  out->nnz = in->nnz;
  out->width = in->width;
  out->weighted = 1;
  out->keys = copy_of(in->keys, (size_t)in->ncols * (size_t)in->width *
                                    sizeof *in->keys);
  out->df = copy_of(in->df, (size_t)in->ncols * sizeof *in->df);
  out->rowptr = copy_of(in->rowptr, (in->nrows + 1) * sizeof *in->rowptr);
  out->col = copy_of(in->col, in->nnz * sizeof *in->col);
  out->val = lk_alloc((in->nnz + 1) * sizeof *out->val);
  if (!out->keys || !out->df || !out->rowptr || !out->col || !out->val) {
    ng_dtm_free(out);
    return oom(err);
  }
  for (r = 0; r < in->nrows; r++) {
    uint64_t a = in->rowptr[r], z = in->rowptr[r + 1];
    if (poll_stop(r, err)) {
      ng_dtm_free(out);
      return LECTOR_EINTERRUPT;
    }
    for (k = a; k < z; k++)
      out->val[k] = ng_stats_weight(w, in->val[k], in->df[in->col[k]],
                                    (double)in->nrows);
    ng_stats_normalize(w->norm, out->val + a, (size_t)(z - a));
  }
  return LECTOR_OK;
}

int64_t ng_dtm_find_col(const ng_dtm *m, const uint32_t *key) {
  size_t lo = 0, hi = m->ncols;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    int c = ng_gram_cmp(m->keys + mid * (size_t)m->width, key, m->width);
    if (c == 0) return (int64_t)mid;
    if (c < 0) lo = mid + 1;
    else hi = mid;
  }
  return -1;
}

size_t ng_dtm_memory(const ng_dtm *m) {
  return (size_t)m->ncols * ((size_t)m->width + 1) * sizeof(uint32_t) +
         (m->nrows + 1) * sizeof *m->rowptr +
         (size_t)m->nnz * (sizeof *m->col + sizeof *m->val);
}

void ng_dtm_free(ng_dtm *m) {
  if (!m) return;
  lk_free(m->keys);
  lk_free(m->df);
  lk_free(m->rowptr);
  lk_free(m->col);
  lk_free(m->val);
  memset(m, 0, sizeof *m);
}
