/*
** test_ngram_colloc.c -- unit tests of the ngram engine's issue-16 parts
** that need no tokenizer: the collocate measures (ng_collocates_score)
** and the dispersion measures (ng_dispersion_stats_of), each against
** numbers worked out by hand from the formulas of docs/statistics.md.
** (Counting is tested through Lua against references built from the
** token stream: tests/lua/test_collocates.lua, test_dispersion.lua.)
*/
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>

#include "ng_collocates.h"
#include "ng_dispersion.h"
#include "ng_testvocab.h"

static void near_(double a, double b) {
  assert_true(fabs(a - b) < 1e-12 * (1 + fabs(b)));
}
#define NEAR(a, b) near_((a), (b))

/* O = 10 in spans of S = 4 around 5 nodes, f_word = 20, N = 1000:
** R1 = 20, E11 = 20 * 20 / 1000 = 0.4. */
static void test_scores(void **state) {
  double o = 10, fn = 5, fw = 20, n = 1000, s = 4, e = 0.4, g = 0;
  double cells[4][2] = {{10, 0.4}, {10, 19.6}, {10, 19.6}, {970, 960.4}};
  int i;
  (void)state;
  NEAR(ng_collocates_score(NG_CL_FREQ, o, fn, fw, n, s), 10);
  NEAR(ng_collocates_score(NG_CL_MI, o, fn, fw, n, s), log2(10 / e));
  NEAR(ng_collocates_score(NG_CL_T, o, fn, fw, n, s), (10 - e) / sqrt(10));
  NEAR(ng_collocates_score(NG_CL_DICE, o, fn, fw, n, s), 20.0 / 25);
  NEAR(ng_collocates_score(NG_CL_LOGDICE, o, fn, fw, n, s),
       14 + log2(20.0 / 25));
  for (i = 0; i < 4; i++) g += cells[i][0] * log(cells[i][0] / cells[i][1]);
  NEAR(ng_collocates_score(NG_CL_LLR, o, fn, fw, n, s), 2 * g);
  /* below expectation: llr is negative, with the same size */
  assert_true(ng_collocates_score(NG_CL_LLR, 1, 50, 100, 1000, 4) < 0);
  /* a cell made negative by overlapping spans (O > f_word) counts 0 */
  assert_true(isfinite(ng_collocates_score(NG_CL_LLR, 30, 10, 20, 100, 4)));
}

/* Gries (2008): "a" 1..5 times in five parts of ten words. */
static void test_gries(void **state) {
  uint64_t c[5] = {1, 2, 3, 4, 5}, s[5] = {10, 10, 10, 10, 10};
  uint64_t even[5] = {2, 2, 2, 2, 2};
  ng_dispersion_stats st;
  (void)state;
  ng_dispersion_stats_of(c, s, 5, &st);
  assert_int_equal(st.freq, 15);
  assert_int_equal(st.range, 5);
  NEAR(st.dp, 0.2);
  NEAR(st.dp_norm, 0.25);
  NEAR(st.juilland_d, 1 - (sqrt(0.02) / 0.3) / 2);
  ng_dispersion_stats_of(even, s, 5, &st);
  NEAR(st.dp, 0);
  NEAR(st.juilland_d, 1);
}

/* Parts of unequal size, an empty part, and the undefined cases. */
static void test_edges(void **state) {
  uint64_t c[4] = {1, 2, 0, 0}, s[4] = {4, 6, 2, 0}, zero[2] = {0, 0};
  uint64_t one_c[1] = {3}, one_s[1] = {9}, all_c[2] = {3, 0};
  uint64_t all_s[2] = {9, 0};
  ng_dispersion_stats st;
  (void)state;
  ng_dispersion_stats_of(c, s, 4, &st);      /* the empty part drops out */
  assert_int_equal(st.range, 2);
  NEAR(st.dp, 1.0 / 6);
  NEAR(st.dp_norm, (1.0 / 6) / 1);            /* min share is 0 */
  NEAR(st.juilland_d, 0.4849212463622873);
  ng_dispersion_stats_of(zero, s, 2, &st);   /* absent: undefined */
  assert_int_equal(st.freq, 0);
  assert_true(isnan(st.dp) && isnan(st.dp_norm) && isnan(st.juilland_d));
  ng_dispersion_stats_of(one_c, one_s, 1, &st);   /* one part */
  NEAR(st.dp, 0);
  assert_true(isnan(st.dp_norm) && isnan(st.juilland_d));
  ng_dispersion_stats_of(all_c, all_s, 2, &st);   /* one part has tokens */
  NEAR(st.dp, 0);
  NEAR(st.dp_norm, 0);
  assert_true(isnan(st.juilland_d));
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_scores),
    cmocka_unit_test(test_gries),
    cmocka_unit_test(test_edges),
  };
  tv_install();
  return cmocka_run_group_tests(tests, NULL, NULL);
}
