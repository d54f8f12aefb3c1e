/*
** test_ngram_dtm.c -- unit tests of the document-term matrix engine
** (plugins/ngram/ng_dtm.c) and the TF-IDF weights (ng_stats.c): rows of
** documents and of groups (a document in two groups, one in none), df
** bounds, min_count, column order, lookups, weights by hand, and every
** allocation failing in turn.
*/
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "lector/kit.h"
#include "ng_dtm.h"
#include "ng_stats.h"
#include "ng_table.h"
#include "ng_testvocab.h"

static uint32_t W(const char *s) { return tv_intern(s, strlen(s)); }

static int setup(void **state) {
  (void)state;
  tv_install();
  return 0;
}

static int teardown(void **state) {
  (void)state;
  tv_reset();
  return 0;
}

/* Per-document unigram tables (index 1) of the space-separated words of
** text, as the counting job hands them to ng_dtm_build_doc. */
static void doc_table(ng_table *t, const char *text) {
  char buf[256], *w, *save = NULL;
  memset(t, 0, 2 * sizeof *t);
  assert_int_equal(ng_table_init(&t[1], 1, 0, 0), 0);
  strcpy(buf, text);
  for (w = strtok_r(buf, " ", &save); w; w = strtok_r(NULL, " ", &save)) {
    uint32_t k = W(w);
    assert_int_equal(ng_table_add(&t[1], &k, 1, 1), 0);
  }
}

static const char *const DOCS[] = {
  "b a a", "c a", "", "a d d d"
};

/* Build the matrix of the documents' tables docs[0..4) (rows: NULL for
** documents). */
static int build_from(ng_table (*docs)[2], const ng_dtm_rows *rows,
                      double lo, double hi, uint64_t min_count, ng_dtm *m,
                      char **err) {
  ng_dtm_build b;
  size_t d;
  int rc = ng_dtm_build_init(&b, 4, 1, 1, err);
  if (rc != LECTOR_OK) return rc;
  for (d = 0; d < 4; d++)
    if ((rc = ng_dtm_build_doc(&b, d, docs[d], err)) != LECTOR_OK) {
      ng_dtm_build_free(&b);
      return rc;
    }
  return ng_dtm_finish(&b, rows, lo, hi, min_count, m, err);
}

/* The same from DOCS. */
static int build(const ng_dtm_rows *rows, double lo, double hi,
                 uint64_t min_count, ng_dtm *m, char **err) {
  ng_table docs[4][2];
  size_t d;
  int rc;
  for (d = 0; d < 4; d++) doc_table(docs[d], DOCS[d]);
  rc = build_from(docs, rows, lo, hi, min_count, m, err);
  for (d = 0; d < 4; d++) ng_table_free(&docs[d][1]);
  return rc;
}

/* The value of row r, term s (0 when absent). */
static double cell(const ng_dtm *m, size_t r, const char *s) {
  uint32_t k = tv_lookup(s, strlen(s));
  int64_t j = k ? ng_dtm_find_col(m, &k) : -1;
  uint64_t x;
  for (x = m->rowptr[r]; j >= 0 && x < m->rowptr[r + 1]; x++)
    if (m->col[x] == (uint32_t)j) return m->val[x];
  return 0;
}

static void test_documents(void **state) {
  ng_dtm m;
  char *err = NULL;
  (void)state;
  W("d"); W("c"); W("b"); W("a");          /* ids not in byte order */
  assert_int_equal(build(NULL, 1, 4, 1, &m, &err), LECTOR_OK);
  assert_int_equal(m.nrows, 4);
  assert_int_equal(m.ncols, 4);
  assert_int_equal(m.nnz, 6);
  /* columns in byte order, whatever the ids */
  assert_int_equal(m.keys[0], W("a"));
  assert_int_equal(m.keys[3], W("d"));
  assert_int_equal(m.df[0], 3);             /* a: rows 1, 2, 4 */
  assert_true(cell(&m, 0, "a") == 2 && cell(&m, 0, "b") == 1);
  assert_true(cell(&m, 3, "d") == 3 && cell(&m, 1, "d") == 0);
  assert_int_equal(m.rowptr[2], m.rowptr[3]);        /* the empty row */
  for (size_t r = 0; r < m.nrows; r++)               /* columns ascend */
    for (uint64_t x = m.rowptr[r] + 1; x < m.rowptr[r + 1]; x++)
      assert_true(m.col[x - 1] < m.col[x]);
  ng_dtm_free(&m);
  /* df bounds: only terms of exactly one row; then min_count */
  assert_int_equal(build(NULL, 1, 1, 1, &m, &err), LECTOR_OK);
  assert_int_equal(m.ncols, 3);             /* b, c, d */
  assert_int_equal(m.nnz, 3);
  ng_dtm_free(&m);
  assert_int_equal(build(NULL, 0, 4, 3, &m, &err), LECTOR_OK);
  assert_int_equal(m.ncols, 2);             /* a (4), d (3) */
  ng_dtm_free(&m);
}

static void test_groups(void **state) {
  /* group 0: docs 0 and 3; group 1: docs 1 and 3; doc 2 in none */
  static const int32_t group[4] = {0, 1, -1, 0};
  static const size_t first[5] = {0, 1, 2, 2, 4};
  static const int32_t member[4] = {0, 1, 0, 1};
  ng_dtm_rows rows = {2, group, first, member};
  ng_dtm m;
  char *err = NULL;
  (void)state;
  assert_int_equal(build(&rows, 1, 2, 1, &m, &err), LECTOR_OK);
  assert_int_equal(m.nrows, 2);
  assert_true(cell(&m, 0, "a") == 3 && cell(&m, 0, "d") == 3);
  assert_true(cell(&m, 1, "a") == 2 && cell(&m, 1, "c") == 1);
  assert_true(cell(&m, 1, "d") == 3 && cell(&m, 1, "b") == 0);
  ng_dtm_free(&m);
  /* single groups: no first/member */
  rows.first = NULL;
  rows.member = NULL;
  assert_int_equal(build(&rows, 1, 2, 1, &m, &err), LECTOR_OK);
  assert_true(cell(&m, 0, "a") == 3 && cell(&m, 1, "d") == 0);
  ng_dtm_free(&m);
}

static void test_weights(void **state) {
  ng_weighting w = {NG_TF_LOG, NG_IDF_SMOOTH, NG_NORM_NONE};
  double v[3] = {3, -4, 0};
  ng_dtm m, t;
  char *err = NULL;
  (void)state;
  assert_true(fabs(ng_stats_weight(&w, 2, 1, 3) -
                   (1 + log(2)) * (log(4.0 / 2) + 1)) < 1e-15);
  w.tf = NG_TF_BOOL;
  w.idf = NG_IDF_PLAIN;
  assert_true(fabs(ng_stats_weight(&w, 7, 2, 4) - (log(2) + 1)) < 1e-15);
  w.tf = NG_TF_RAW;
  w.idf = NG_IDF_INVERSE;
  assert_true(fabs(ng_stats_weight(&w, 5, 1, 10) - 5) < 1e-15);
  w.idf = NG_IDF_NONE;
  assert_true(ng_stats_weight(&w, 5, 1, 10) == 5);
  ng_stats_normalize(NG_NORM_L2, v, 3);
  assert_true(fabs(v[0] - 0.6) < 1e-15 && fabs(v[1] + 0.8) < 1e-15);
  ng_stats_normalize(NG_NORM_L1, v, 3);
  assert_true(fabs(v[0] - 0.6 / 1.4) < 1e-15);
  v[0] = v[1] = v[2] = 0;
  ng_stats_normalize(NG_NORM_L2, v, 3);      /* a zero vector stays 0 */
  assert_true(v[0] == 0);
  /* the matrix: raw x smooth, l2 rows */
  assert_int_equal(build(NULL, 1, 4, 1, &m, &err), LECTOR_OK);
  w.tf = NG_TF_RAW;
  w.idf = NG_IDF_SMOOTH;
  w.norm = NG_NORM_L2;
  assert_int_equal(ng_dtm_tfidf(&m, &w, &t, &err), LECTOR_OK);
  assert_true(t.weighted && t.nnz == m.nnz);
  {
    double a = 2 * (log(5.0 / 4) + 1), b = 1 * (log(5.0 / 2) + 1);
    double n = sqrt(a * a + b * b);
    assert_true(fabs(cell(&t, 0, "a") - a / n) < 1e-15);
    assert_true(fabs(cell(&t, 0, "b") - b / n) < 1e-15);
  }
  ng_dtm_free(&t);
  ng_dtm_free(&m);
}

/* Every allocation fails in turn: a clean ENOMEM, nothing leaked (the
** ASan build checks), and success once the allocations suffice. */
static int fail_after = -1;
static void *(*real_alloc)(size_t);
static void *failing_alloc(size_t n) {
  if (fail_after == 0) return NULL;
  if (fail_after > 0) fail_after--;
  return real_alloc(n);
}

static void test_alloc_failures(void **state) {
  static const int32_t group[4] = {0, 1, -1, 0};
  ng_dtm_rows rows = {2, group, NULL, NULL};
  ng_table docs[4][2];
  int k, ok[2] = {0, 0}, kind;
  size_t d;
  (void)state;
  for (d = 0; d < 4; d++) doc_table(docs[d], DOCS[d]);
  real_alloc = lk_env_cur.alloc;
  lk_env_cur.alloc = failing_alloc;
  for (k = 0; k < 200 && !(ok[0] && ok[1]); k++)
    for (kind = 0; kind < 2; kind++) {
      ng_dtm m, t;
      char *err = NULL;
      ng_weighting w = {NG_TF_RAW, NG_IDF_SMOOTH, NG_NORM_L2};
      int rc;
      fail_after = k;
      rc = build_from(docs, kind ? &rows : NULL, 1, 4, 1, &m, &err);
      if (rc == LECTOR_OK) {
        rc = ng_dtm_tfidf(&m, &w, &t, &err);
        if (rc == LECTOR_OK) {
          assert_int_equal(t.nnz, m.nnz);
          ng_dtm_free(&t);
          ok[kind] = 1;
        }
        ng_dtm_free(&m);
      }
      if (rc != LECTOR_OK) {
        assert_int_equal(rc, LECTOR_ENOMEM);
        fail_after = -1;
        lk_free(err);
      }
    }
  lk_env_cur.alloc = real_alloc;
  fail_after = -1;
  for (d = 0; d < 4; d++) ng_table_free(&docs[d][1]);
  assert_true(ok[0] && ok[1] && k > 5);
}

static int always(void) { return 1; }

/* An env that is always interrupted: finish and tfidf stop at their
** first poll with "interrupted", nothing leaked. */
static void test_interrupted(void **state) {
  static const int32_t group[4] = {0, 1, -1, 0};
  ng_dtm_rows rows = {2, group, NULL, NULL};
  ng_weighting w = {NG_TF_RAW, NG_IDF_SMOOTH, NG_NORM_L2};
  ng_dtm m, t;
  char *err = NULL;
  int (*saved)(void) = lk_env_cur.interrupted;
  int kind;
  (void)state;
  assert_int_equal(build(NULL, 1, 4, 1, &m, &err), LECTOR_OK);
  lk_env_cur.interrupted = always;
  for (kind = 0; kind < 2; kind++) {
    ng_dtm x;
    assert_int_equal(build(kind ? &rows : NULL, 1, 4, 1, &x, &err),
                     LECTOR_EINTERRUPT);
    assert_string_equal(err, "interrupted");
    lk_free(err);
    assert_int_equal(x.nrows, 0);
  }
  assert_int_equal(ng_dtm_tfidf(&m, &w, &t, &err), LECTOR_EINTERRUPT);
  assert_string_equal(err, "interrupted");
  lk_free(err);
  lk_env_cur.interrupted = saved;
  ng_dtm_free(&m);
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown(test_documents, setup, teardown),
    cmocka_unit_test_setup_teardown(test_groups, setup, teardown),
    cmocka_unit_test_setup_teardown(test_weights, setup, teardown),
    cmocka_unit_test_setup_teardown(test_alloc_failures, setup, teardown),
    cmocka_unit_test_setup_teardown(test_interrupted, setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
