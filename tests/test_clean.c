/*
** test_clean.c -- unit tests of the clean plugin's engine (issue 17):
** word lists, line features and the boilerplate rules, LSH bands,
** Jaccard, MinHash and candidates, union-find, and the glue rules on one
** segment.  No host, no tokenizer: the vocabulary is ng_testvocab's.
*/
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "lector/kit.h"
#include "cl_bp.h"
#include "cl_dup.h"
#include "cl_glue.h"
#include "cl_words.h"
#include "ng_testvocab.h"

/* ------------------------------------------------------------------------
** Word lists: the first and last entries of each (binary search bounds)
*/

static void test_word_lists(void **state) {
  (void)state;
  assert_true(cl_function_word("a", 1));
  assert_true(cl_function_word("yours", 5));
  assert_true(cl_function_word("The", 3));
  assert_false(cl_function_word("russia", 6));
  assert_false(cl_function_word("", 0));
  assert_true(cl_protected_word("ahead", 5));
  assert_true(cl_protected_word("yourselves", 10));
  assert_true(cl_protected_word("within", 6));
  assert_false(cl_protected_word("withrussia", 10));
  assert_true(cl_compound_head("after", 5));
  assert_true(cl_compound_head("with", 4));
  assert_true(cl_compound_tail("book", 4));
  assert_true(cl_compound_tail("yard", 4));
  assert_false(cl_compound_tail("missiles", 8));
}

/* ------------------------------------------------------------------------
** Lines
*/

static cl_lines lines_of(const char *text) {
  cl_lines ls = {NULL, 0, 0};
  char *err = NULL;
  assert_int_equal(cl_bp_lines(text, strlen(text), &ls, &err), LECTOR_OK);
  return ls;
}

static void test_line_features(void **state) {
  (void)state;
  cl_lines ls = lines_of("ANL 33.30 Increased By \xE2\x96\xB2 0.20 (0.6%)\r\n"
                         "\n   \t\n"
                         "Pakistan Russia delegation level talks\n"
                         "view articleAn insight into the..\n"
                         "He said, \"yes.\"");
  assert_int_equal(ls.n, 4);                      /* blank lines skipped */
  const cl_line *t = &ls.v[0];
  assert_int_equal(t->len, 38);                   /* \r left out */
  assert_int_equal(t->words, 3);
  assert_int_equal(t->nums, 3);
  assert_int_equal(t->syms, 1);                   /* the triangle */
  assert_int_equal(t->stops, 1);                  /* By */
  assert_false(t->end);
  assert_int_equal(ls.v[1].words, 5);
  assert_int_equal(ls.v[1].stops, 0);
  assert_true(ls.v[2].ellipsis);
  assert_int_equal(ls.v[2].stops, 2);             /* into, the */
  assert_true(ls.v[3].end);
  assert_true(ls.v[3].comma);
  cl_lines_free(&ls);
}

static void test_line_hash(void **state) {
  (void)state;
  /* digits, white space and case do not count */
  assert_true(cl_bp_hash("Subscribe from 3 dollars", 24) ==
              cl_bp_hash("  SUBSCRIBE   from 44.50 dollars ", 33));
  assert_true(cl_bp_hash("ANL 33.30 (0.6%)", 16) ==
              cl_bp_hash("ANL 1,033.3 (12.25%)", 20));
  assert_false(cl_bp_hash("Subscribe now", 13) ==
               cl_bp_hash("Subscribe later", 15));
}

static void test_table(void **state) {
  (void)state;
  uint64_t v[] = {5, 1, 5, 9, 5, 1, 7};
  uint32_t counts[7];
  size_t n = cl_bp_table(v, 7, 2, counts);
  assert_int_equal(n, 2);
  assert_true(v[0] == 1 && counts[0] == 2);
  assert_true(v[1] == 5 && counts[1] == 3);
  uint64_t w[] = {3, 3, 2};
  assert_int_equal(cl_bp_sort_unique(w, 3), 2);
}

static void test_classify(void **state) {
  (void)state;
  const char *text =
      "HGZ 12.40 Up By \xE2\x96\xB2 0.15 (1.2%)\n"        /* 0 ticker */
      "Tram line opens next spring\n"                     /* 1 title */
      "The council said the line opens in April.\n"       /* 2 */
      "Subscribe from 3 dollars a week\n"                 /* 3 repeated */
      "The mayor answered that it will.\n"                /* 4 */
      "Read more: council meeting on the walls..\n"       /* 5 teaser */
      "Related\n"                                         /* 6 weak */
      "Read more: farmers ask for help..\n"               /* 7 teaser */
      "Harbourton tram council bridge canal timetable\n"; /* 8 tags */
  cl_lines ls = lines_of(text);
  uint64_t rep = cl_bp_hash("subscribe from 9 dollars a week", 31);
  cl_bp_rules r = {&rep, 1, NULL, 0, 30, 1};
  uint8_t where[16];
  assert_int_equal(ls.n, 9);
  assert_int_equal(cl_bp_classify(&r, &ls, where), 6);
  assert_int_equal(where[0], CL_WHERE_START);
  assert_int_equal(where[1], 0);
  assert_int_equal(where[2], 0);
  assert_int_equal(where[3], CL_WHERE_BODY);
  assert_int_equal(where[4], 0);
  for (int i = 5; i <= 8; i++) assert_int_equal(where[i], CL_WHERE_END);
  /* keep takes a line back; no edges: the repeated line only */
  uint64_t keep = rep;
  cl_bp_rules k = {&rep, 1, &keep, 1, 30, 1};
  assert_int_equal(cl_bp_classify(&k, &ls, where), 5);
  assert_int_equal(where[3], 0);
  cl_bp_rules e = {&rep, 1, NULL, 0, 30, 0};
  assert_int_equal(cl_bp_classify(&e, &ls, where), 1);
  /* max_words: a repeated line longer than it is prose */
  cl_bp_rules m = {&rep, 1, NULL, 0, 4, 0};
  assert_int_equal(cl_bp_classify(&m, &ls, where), 0);
  cl_lines_free(&ls);
}

/* Found by fuzz_clean: no lines, no hashes (NULL arrays, UBSan). */
static void test_empty(void **state) {
  (void)state;
  cl_lines ls = lines_of("");
  uint64_t *h = NULL;
  size_t n = 0, cap = 0;
  char *err = NULL;
  assert_int_equal(ls.n, 0);
  assert_int_equal(cl_bp_hashes(&ls, 30, &h, &n, &cap, &err), LECTOR_OK);
  assert_int_equal(n, 0);
  assert_int_equal(cl_bp_table(h, n, 1, NULL), 0);
  cl_lines_free(&ls);
}

static void test_date_is_not_ticker(void **state) {
  (void)state;
  cl_lines ls = lines_of("January 6, 1947\nThe address was given.\n");
  cl_bp_rules r = {NULL, 0, NULL, 0, 30, 1};
  uint8_t where[4];
  assert_int_equal(cl_bp_classify(&r, &ls, where), 0);
  cl_lines_free(&ls);
}

/* ------------------------------------------------------------------------
** Near-duplicates
*/

static void test_bands(void **state) {
  (void)state;
  int b, r;
  cl_dup_bands(0.8, 128, 0.995, &b, &r);
  assert_int_equal(r, 6);
  assert_int_equal(b, 21);
  cl_dup_bands(0.05, 128, 0.995, &b, &r);
  assert_int_equal(r, 1);
  assert_int_equal(b, 128);
  cl_dup_bands(1.0, 128, 0.995, &b, &r);
  assert_int_equal(r, 128);
  assert_int_equal(b, 1);
}

static void test_jaccard(void **state) {
  (void)state;
  uint32_t a[] = {1, 2, 3, 4}, b[] = {2, 3, 4, 5, 6};
  assert_true(cl_dup_jaccard32(a, 4, b, 5) == 3.0 / 6.0);
  assert_true(cl_dup_jaccard32(a, 4, a, 4) == 1.0);
  assert_true(cl_dup_jaccard32(a, 0, b, 0) == 0.0);
  assert_true(cl_dup_jaccard32(a, 4, b, 0) == 0.0);
  uint32_t c[] = {1, 5, 9}, d[] = {5, 9, 12, 15};
  assert_true(cl_dup_jaccard32(c, 3, d, 4) == 2.0 / 5.0);
  assert_true(cl_dup_jaccard32(c, 0, d, 0) == 0.0);
}

static void test_candidates(void **state) {
  (void)state;
  enum { H = 16, N = 4 };
  uint64_t x[64], y[64], z[64];
  for (int i = 0; i < 64; i++) {
    x[i] = (uint64_t)i * 0x9e3779b97f4a7c15ULL;
    y[i] = x[i];
    z[i] = (uint64_t)(i + 1000) * 0xc2b2ae3d27d4eb4fULL;
  }
  y[0] ^= 1;                                     /* one shingle differs */
  uint32_t sig[N * H];
  cl_dup_minhash(x, 64, H, sig);
  cl_dup_minhash(y, 64, H, sig + H);
  cl_dup_minhash(z, 64, H, sig + 2 * H);
  cl_dup_minhash(x, 0, H, sig + 3 * H);
  for (int j = 0; j < H; j++) assert_int_equal(sig[3 * H + j], UINT32_MAX);
  uint8_t use[N] = {1, 1, 1, 0};
  cl_pair *p = NULL;
  size_t np = 0;
  char *err = NULL;
  assert_int_equal(cl_dup_candidates(sig, N, H, use, 4, 4, &p, &np, &err),
                   LECTOR_OK);
  assert_int_equal(np, 1);                       /* x ~ y only */
  assert_int_equal(p[0].a, 0);
  assert_int_equal(p[0].b, 1);
  lk_free(p);
  uint32_t parent[5] = {0, 1, 2, 3, 4};
  cl_uf_union(parent, 3, 1);
  cl_uf_union(parent, 4, 3);
  assert_int_equal(cl_uf_find(parent, 4), 1);
  assert_int_equal(cl_uf_find(parent, 0), 0);
}

/* ------------------------------------------------------------------------
** Glued words
*/

static uint32_t counts[256];

static void word(const char *w, uint32_t c) {
  uint32_t id = tv_intern(w, strlen(w));
  assert_true(id > 0 && id < 256);
  counts[id] = c;
}

static char *split(const cl_vocab *v, const char *s) {
  static char out[128];
  uint16_t cut[4];
  size_t n = strlen(s), k = cl_glue_segment(v, s, n, cut), at = 0, o = 0;
  for (size_t j = 0; j <= k; j++) {
    size_t to = j < k ? cut[j] : n;
    if (j) out[o++] = ' ';
    memcpy(out + o, s + at, to - at);
    o += to - at;
    at = to;
  }
  out[o] = '\0';
  return out;
}

static void test_glue_segment(void **state) {
  (void)state;
  tv_install();
  memset(counts, 0, sizeof counts);
  word("with", 400); word("russia", 30); word("the", 5000); word("in", 2000);
  word("an", 300); word("having", 40); word("as", 500); word("if", 200);
  word("put", 50); word("under", 50); word("lined", 20); word("rain", 60);
  word("coat", 80); word("raincoat", 1); word("harbour", 40);
  word("bridge", 30); word("harbourbridge", 1); word("production", 30);
  word("product", 30); word("ions", 10); word("sputnik", 5); word("link", 20);
  word("we", 300); word("hum", 10); word("would", 200); word("be", 100); word("set", 50);
  cl_vocab v = {counts, 256, 100000, 3};
  assert_string_equal(split(&v, "withRussia"), "with Russia");
  assert_string_equal(split(&v, "inan"), "in an");
  assert_string_equal(split(&v, "havingthe"), "having the");
  assert_string_equal(split(&v, "Wewould"), "We would");
  assert_string_equal(split(&v, "Sputniklink"), "Sputnik link");
  assert_string_equal(split(&v, "harbourbridge"), "harbour bridge");
  assert_string_equal(split(&v, "raincoat"), "raincoat");  /* short: a compound */
  assert_string_equal(split(&v, "human"), "human");        /* hum an */
  assert_string_equal(split(&v, "Asif"), "Asif");
  assert_string_equal(split(&v, "Putin"), "Putin");
  assert_string_equal(split(&v, "underlined"), "underlined");
  assert_string_equal(split(&v, "productions"), "productions");
  assert_string_equal(split(&v, "within"), "within");
  assert_string_equal(split(&v, "NATO"), "NATO");
  assert_string_equal(split(&v, "bebeset"), "bebeset");
  assert_string_equal(split(&v, "with2"), "with2");
  counts[tv_lookup("harbourbridge", 13)] = 30;             /* known now */
  assert_string_equal(split(&v, "harbourbridge"), "harbourbridge");
  v.min_count = 31;                                         /* russia: 30 */
  assert_string_equal(split(&v, "withRussia"), "withRussia");
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_word_lists),
    cmocka_unit_test(test_line_features),
    cmocka_unit_test(test_line_hash),
    cmocka_unit_test(test_table),
    cmocka_unit_test(test_classify),
    cmocka_unit_test(test_empty),
    cmocka_unit_test(test_date_is_not_ticker),
    cmocka_unit_test(test_bands),
    cmocka_unit_test(test_jaccard),
    cmocka_unit_test(test_candidates),
    cmocka_unit_test(test_glue_segment),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
