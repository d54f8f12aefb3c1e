/*
** ng_stats.c -- collocations, keyness, TF-IDF (see ng_stats.h).
*/
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "lector/kit.h"
#include "ng_order.h"
#include "ng_stats.h"

/* ------------------------------------------------------------------------
** Measures
*/

/* O ln(O/E), 0 when O is 0; E is clamped away from 0. */
static double oln(double o, double e) {
  if (o <= 0) return 0;
  return o * log(o / (e > 1e-300 ? e : 1e-300));
}

static double chi_term(double o, double e) {
  return e > 0 ? (o - e) * (o - e) / e : 0;
}

void ng_stats_assoc2(double n_ii, double n_ix, double n_xi, double N,
                     double *out) {
  double o[4], e[4], llr = 0, chi = 0;
  int i;
  o[0] = n_ii;
  o[1] = n_ix - n_ii;
  o[2] = n_xi - n_ii;
  o[3] = N - n_ix - n_xi + n_ii;
  e[0] = n_ix * n_xi / N;
  e[1] = n_ix * (N - n_xi) / N;
  e[2] = (N - n_ix) * n_xi / N;
  e[3] = (N - n_ix) * (N - n_xi) / N;
  for (i = 0; i < 4; i++) {
    if (o[i] < 0) o[i] = 0;
    llr += oln(o[i], e[i]);
    chi += chi_term(o[i], e[i]);
  }
  out[NG_PMI] = log2(n_ii / e[0]);
  out[NG_LLR] = 2 * llr;
  out[NG_TSCORE] = (n_ii - e[0]) / sqrt(n_ii);
  out[NG_CHI2] = chi;
}

void ng_stats_assoc3(double n_iii, double n_iix, double n_ixi, double n_xii,
                     double n_ixx, double n_xix, double n_xxi, double N,
                     double *out) {
  /* cells indexed by bits (w1 w2 w3), 1 = the word, 0 = another */
  double o[8], e[8], m[3] = {n_ixx, n_xix, n_xxi}, llr = 0, chi = 0, sum;
  int c, j;
  o[7] = n_iii;
  o[3] = n_xii - n_iii;                          /* o i i */
  o[5] = n_ixi - n_iii;                          /* i o i */
  o[6] = n_iix - n_iii;                          /* i i o */
  o[1] = n_xxi - n_iii - o[3] - o[5];            /* o o i */
  o[2] = n_xix - n_iii - o[3] - o[6];            /* o i o */
  o[4] = n_ixx - n_iii - o[5] - o[6];            /* i o o */
  sum = o[7] + o[3] + o[5] + o[6] + o[1] + o[2] + o[4];
  o[0] = N - sum;
  for (c = 0; c < 8; c++) {
    e[c] = 1;
    for (j = 0; j < 3; j++) {
      int bit = (c >> (2 - j)) & 1;
      e[c] *= bit ? m[j] : N - m[j];
    }
    e[c] /= N * N;
    if (o[c] < 0) o[c] = 0;
    llr += oln(o[c], e[c]);
    chi += chi_term(o[c], e[c]);
  }
  out[NG_PMI] = log2(n_iii / e[7]);
  out[NG_LLR] = 2 * llr;
  out[NG_TSCORE] = (n_iii - e[7]) / sqrt(n_iii);
  out[NG_CHI2] = chi;
}

/* ------------------------------------------------------------------------
** Marginals
*/

/* Marginal tables of the grams of length n of t: margin[p] counts, for
** each single position (p < n) or pair of positions (n == 3: p = n + 0
** for positions 0 1, n + 1 for 0 2, n + 2 for 1 2), the gram occurrences
** with those words there. */
typedef struct margins {
  ng_table m[6];
  int n;
} margins;

static const int pair_pos[3][2] = {{0, 1}, {0, 2}, {1, 2}};

static void margins_free(margins *mg) {
  int i;
  for (i = 0; i < 6; i++) ng_table_free(&mg->m[i]);
}

static int margins_build(margins *mg, const ng_table *t, int n) {
  uint32_t i;
  int p, npairs = n == 3 ? 3 : 0;
  memset(mg, 0, sizeof *mg);
  mg->n = n;
  for (p = 0; p < n + npairs; p++)
    if (ng_table_init(&mg->m[p], p < n ? 1 : 2, 0, 0) != 0) goto oom;
  for (i = 0; i < t->cap; i++) {
    const uint32_t *s = ng_table_slot(t, i);
    uint64_t c;
    if (!s || ng_key_len(s, t->width) != n) continue;
    c = ng_table_count(t, s);
    for (p = 0; p < n; p++)
      if (ng_table_add(&mg->m[p], &s[p], c, 0) != 0) goto oom;
    for (p = 0; p < npairs; p++) {
      uint32_t k2[2] = {s[pair_pos[p][0]], s[pair_pos[p][1]]};
      if (ng_table_add(&mg->m[n + p], k2, c, 0) != 0) goto oom;
    }
  }
  return 0;
oom:
  margins_free(mg);
  return -1;
}

static double margin_of(const margins *mg, int p, const uint32_t *key) {
  const uint32_t *s = ng_table_find(&mg->m[p], key);
  return s ? (double)ng_table_count(&mg->m[p], s) : 0;
}

/* The measures of gram s (slot of length mg->n) into out. */
static void measures(const margins *mg, const uint32_t *s, double c,
                     double N, double *out) {
  if (mg->n == 2) {
    ng_stats_assoc2(c, margin_of(mg, 0, &s[0]), margin_of(mg, 1, &s[1]), N,
                    out);
  } else {
    uint32_t p12[2] = {s[0], s[1]}, p13[2] = {s[0], s[2]},
             p23[2] = {s[1], s[2]};
    ng_stats_assoc3(c, margin_of(mg, 3, p12), margin_of(mg, 4, p13),
                    margin_of(mg, 5, p23), margin_of(mg, 0, &s[0]),
                    margin_of(mg, 1, &s[1]), margin_of(mg, 2, &s[2]), N,
                    out);
  }
}

/* ------------------------------------------------------------------------
** Collocations
*/

static int colloc_cmp(const void *pa, const void *pb) {
  const ng_colloc *a = pa, *b = pb;
  if (a->score != b->score) return a->score > b->score ? -1 : 1;
  if (a->count != b->count) return a->count > b->count ? -1 : 1;
  return ng_gram_cmp2(a->key, a->width, b->key, b->width);
}

/* Is the gram s of t (length n) in keep? */
static int kept(const ng_table *keep, const uint32_t *s, int n) {
  uint32_t k[NG_MAX_N];
  if (keep->width < n) return 0;
  memset(k, 0, sizeof k);
  memcpy(k, s, (size_t)n * sizeof *s);
  return ng_table_find(keep, k) != NULL;
}

int ng_stats_colloc(const ng_table *t, int n, uint64_t min_count,
                    int measure, size_t top, ng_colloc **rows,
                    size_t *nrows) {
  return ng_stats_colloc_in(t, n, min_count, measure, top, NULL, rows,
                            nrows);
}

int ng_stats_colloc_in(const ng_table *t, int n, uint64_t min_count,
                       int measure, size_t top, const ng_table *keep,
                       ng_colloc **rows, size_t *nrows) {
  margins mg;
  ng_colloc *r;
  size_t m = 0;
  uint32_t i;
  double N = (double)t->total[n];
  *rows = NULL;
  *nrows = 0;
  if (margins_build(&mg, t, n) != 0) return -1;
  r = lk_alloc(((size_t)t->used + 1) * sizeof *r);
  if (!r) { margins_free(&mg); return -1; }
  for (i = 0; i < t->cap; i++) {
    const uint32_t *s = ng_table_slot(t, i);
    uint64_t c;
    if (!s || ng_key_len(s, t->width) != n) continue;
    c = ng_table_count(t, s);
    if (c < min_count || (keep && !kept(keep, s, n))) continue;
    r[m].key = s;
    r[m].width = t->width;
    r[m].count = c;
    measures(&mg, s, (double)c, N, r[m].m);
    r[m].score = r[m].m[measure];
    m++;
  }
  margins_free(&mg);
  qsort(r, m, sizeof *r, colloc_cmp);
  *rows = r;
  *nrows = top && top < m ? top : m;
  return 0;
}

/* ------------------------------------------------------------------------
** Keyness
*/

void ng_stats_keyness1(double a, double b, double c, double d, double *llr,
                       double *log_ratio) {
  double e1 = c * (a + b) / (c + d), e2 = d * (a + b) / (c + d);
  double g2 = 2 * (oln(a, e1) + oln(b, e2));
  double ra = (a > 0 ? a : 0.5) / c, rb = (b > 0 ? b : 0.5) / d;
  *llr = a / c >= b / d ? g2 : -g2;
  *log_ratio = log2(ra / rb);
}

static int key_cmp(const void *pa, const void *pb) {
  const ng_keyrow *a = pa, *b = pb;
  if (a->score != b->score) return a->score > b->score ? -1 : 1;
  return ng_gram_cmp2(a->key, a->width, b->key, b->width);
}

/* Pad or cut key (width w) to width ow into out; 0 if it does not fit. */
static int rekey(const uint32_t *key, int w, uint32_t *out, int ow) {
  int j, len = ng_key_len(key, w);
  if (len > ow) return 0;
  memset(out, 0, (size_t)ow * sizeof *out);
  for (j = 0; j < len; j++) out[j] = key[j];
  return 1;
}

static uint64_t count_in(const ng_table *t, const uint32_t *key, int w) {
  uint32_t k[NG_MAX_N];
  const uint32_t *s;
  if (!rekey(key, w, k, t->width)) return 0;
  s = ng_table_find(t, k);
  return s ? ng_table_count(t, s) : 0;
}

/* Add rows for the grams of `from` (the target when !ref_side), skipping
** on the reference side grams the target has. */
static size_t key_rows(const ng_table *ta, const ng_table *tb, int ref_side,
                       int len, uint64_t min_count, int measure,
                       ng_keyrow *r) {
  const ng_table *from = ref_side ? tb : ta;
  size_t m = 0;
  uint32_t i;
  for (i = 0; i < from->cap; i++) {
    const uint32_t *s = ng_table_slot(from, i);
    uint64_t a, b;
    int l;
    if (!s) continue;
    l = ng_key_len(s, from->width);
    if (len && l != len) continue;
    a = ref_side ? count_in(ta, s, from->width) : ng_table_count(ta, s);
    b = ref_side ? ng_table_count(tb, s) : count_in(tb, s, from->width);
    if ((ref_side && a > 0) || a + b < min_count) continue;
    if (ta->total[l] == 0 || tb->total[l] == 0) continue;
    r[m].key = s;
    r[m].width = from->width;
    r[m].a = a;
    r[m].b = b;
    ng_stats_keyness1((double)a, (double)b, (double)ta->total[l],
                      (double)tb->total[l], &r[m].llr, &r[m].log_ratio);
    r[m].score = measure == NG_KEY_LOGRATIO ? r[m].log_ratio : r[m].llr;
    m++;
  }
  return m;
}

int ng_stats_keyness(const ng_table *target, const ng_table *ref, int len,
                     uint64_t min_count, int measure, size_t top,
                     ng_keyrow **rows, size_t *nrows) {
  size_t m;
  ng_keyrow *r = lk_alloc(((size_t)target->used + ref->used + 1) * sizeof *r);
  *rows = NULL;
  *nrows = 0;
  if (!r) return -1;
  m = key_rows(target, ref, 0, len, min_count, measure, r);
  m += key_rows(target, ref, 1, len, min_count, measure, r + m);
  qsort(r, m, sizeof *r, key_cmp);
  *rows = r;
  *nrows = top && top < m ? top : m;
  return 0;
}

/* ------------------------------------------------------------------------
** TF-IDF
*/

/* Does row a come before row b? */
static int tfidf_before(const ng_tfidf *a, const ng_tfidf *b) {
  if (a->score != b->score) return a->score > b->score;
  if (a->tf != b->tf) return a->tf > b->tf;
  return ng_gram_cmp(a->key, b->key, NG_MAX_N) < 0;
}

/* Offer row to the sorted top list out[0..*m) of at most k rows. */
static void offer(ng_tfidf *out, size_t *m, size_t k, const ng_tfidf *row) {
  size_t j;
  if (*m == k && !tfidf_before(row, &out[*m - 1])) return;
  j = *m < k ? (*m)++ : *m - 1;
  while (j > 0 && tfidf_before(row, &out[j - 1])) {
    out[j] = out[j - 1];
    j--;
  }
  out[j] = *row;
}

double ng_stats_weight(const ng_weighting *w, double tf, double df,
                       double N) {
  double a, b;
  if (df < 1) df = 1;
  if (N < 1) N = 1;
  switch (w->tf) {
    case NG_TF_LOG: a = tf > 0 ? 1 + log(tf) : 0; break;
    case NG_TF_BOOL: a = tf > 0 ? 1 : 0; break;
    default: a = tf;
  }
  switch (w->idf) {
    case NG_IDF_PLAIN: b = log(N / df) + 1; break;
    case NG_IDF_SMOOTH: b = log((1 + N) / (1 + df)) + 1; break;
    case NG_IDF_NONE: b = 1; break;
    default: b = log10(N / df);
  }
  return a * b;
}

void ng_stats_normalize(int norm, double *v, size_t n) {
  double s = 0;
  size_t i;
  if (norm == NG_NORM_NONE) return;
  for (i = 0; i < n; i++) s += norm == NG_NORM_L1 ? fabs(v[i]) : v[i] * v[i];
  if (norm == NG_NORM_L2) s = sqrt(s);
  if (s > 0)
    for (i = 0; i < n; i++) v[i] /= s;
}

/* The df of gram row->key in df (1 when missing). */
static uint32_t df_of(const ng_table *df, const ng_tfidf *row, int width) {
  const uint32_t *d = df->width >= width ? ng_table_find(df, row->key) : NULL;
  return d && d[NG_DF(df)] ? d[NG_DF(df)] : 1;
}

/* The row of slot s of t (its gram, tf, df, unnormalised weight). */
static void tfidf_row(const ng_table *t, const uint32_t *s, const ng_table *df,
                      uint64_t ndocs, const ng_weighting *w, ng_tfidf *row) {
  memset(row->key, 0, sizeof row->key);
  memcpy(row->key, s, (size_t)t->width * sizeof *s);
  row->tf = s[NG_COUNT(t)];
  row->df = df_of(df, row, t->width);
  row->score = ng_stats_weight(w, row->tf, row->df,
                               (double)(ndocs ? ndocs : 1));
}

static int double_cmp(const void *pa, const void *pb) {
  double a = *(const double *)pa, b = *(const double *)pb;
  return a < b ? -1 : a > b;
}

/* The norm w->norm of the whole document: its grams' weights summed
** smallest first.  -1 on out of memory. */
static double doc_norm(const ng_table *doc, int nmin, int nmax,
                       const ng_table *df, uint64_t ndocs,
                       const ng_weighting *w) {
  size_t n = 0, j;
  double s = 0, *v;
  uint32_t i;
  int len;
  for (len = nmin; len <= nmax; len++) n += doc[len].used;
  if (n == 0) return 1;
  if (n > SIZE_MAX / sizeof *v || !(v = lk_alloc(n * sizeof *v))) return -1;
  for (len = nmin, j = 0; len <= nmax; len++)
    for (i = 0; i < doc[len].cap && j < n; i++) {
      const uint32_t *sl = ng_table_slot(&doc[len], i);
      ng_tfidf row;
      if (!sl) continue;
      tfidf_row(&doc[len], sl, df, ndocs, w, &row);
      v[j++] = w->norm == NG_NORM_L1 ? fabs(row.score)
                                     : row.score * row.score;
    }
  qsort(v, j, sizeof *v, double_cmp);
  for (n = 0; n < j; n++) s += v[n];
  lk_free(v);
  s = w->norm == NG_NORM_L2 ? sqrt(s) : s;
  return s > 0 ? s : 1;
}

size_t ng_stats_tfidf_doc(const ng_table *doc, int nmin, int nmax,
                          const ng_table *df, uint64_t ndocs,
                          const ng_weighting *w, size_t k, ng_tfidf *out) {
  size_t m = 0;
  uint32_t i;
  int len;
  double norm = 1;
  if (w->norm != NG_NORM_NONE &&
      (norm = doc_norm(doc, nmin, nmax, df, ndocs, w)) < 0)
    return SIZE_MAX;
  for (len = nmin; len <= nmax && k > 0; len++) {
    const ng_table *t = &doc[len];
    for (i = 0; i < t->cap; i++) {
      const uint32_t *s = ng_table_slot(t, i);
      ng_tfidf row;
      if (!s) continue;
      tfidf_row(t, s, df, ndocs, w, &row);
      row.score /= norm;
      offer(out, &m, k, &row);
    }
  }
  return m;
}
