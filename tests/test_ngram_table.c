/*
** test_ngram_table.c -- unit tests of the ngram engine: the count table,
** n-grams and skip-grams, orders, statistics, and threaded counting with
** a stand-in tokenizer (words split at spaces).
*/
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ng_count.h"
#include "ng_gram.h"
#include "ng_kwic.h"
#include "ng_order.h"
#include "ng_stats.h"
#include "ng_table.h"
#include "ng_uni.h"
#include "ng_testvocab.h"
#include "pool.h"

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

/* The count and df of the gram of words (NULL-terminated) in t. */
static uint64_t count_of(const ng_table *t, const char *const *words,
                         uint32_t *df) {
  uint32_t key[NG_MAX_N] = {0};
  const uint32_t *s;
  int j;
  for (j = 0; words[j]; j++) key[j] = tv_lookup(words[j], strlen(words[j]));
  s = ng_table_find(t, key);
  if (df) *df = s ? s[NG_DF(t)] : 0;
  return s ? ng_table_count(t, s) : 0;
}

#define GRAM(...) ((const char *const[]){__VA_ARGS__, NULL})

/* ------------------------------------------------------------------------
** The table
*/

static void hit(ng_table *t, uint32_t a, uint32_t b, uint32_t doc) {
  uint32_t key[2] = {a, b};
  assert_int_equal(ng_table_hit(t, key, b ? 2 : 1, ng_hash(key, 2), doc),
                   0);
}

static void test_hit_df(void **state) {
  ng_table t;
  uint32_t key[2] = {7, 9};
  const uint32_t *s;
  (void)state;
  assert_int_equal(ng_table_init(&t, 2, 1, 0), 0);
  hit(&t, 7, 9, 1);
  hit(&t, 7, 9, 1);
  hit(&t, 7, 0, 1);
  hit(&t, 7, 9, 2);
  hit(&t, 7, 9, 4);
  s = ng_table_find(&t, key);
  assert_non_null(s);
  assert_int_equal(ng_table_count(&t, s), 4);
  assert_int_equal(s[NG_DF(&t)], 3);
  assert_int_equal(t.used, 2);
  assert_int_equal(t.total[2], 4);
  assert_int_equal(t.total[1], 1);
  key[1] = 8;
  assert_null(ng_table_find(&t, key));
  ng_table_free(&t);
}

static void test_uni(void **state) {
  ng_uni u[2];
  const ng_uni *pu[2] = {&u[0], &u[1]};
  ng_table t;
  uint32_t key[1] = {9000};
  const uint32_t *s;
  (void)state;
  memset(u, 0, sizeof u);
  assert_int_equal(ng_uni_hit(&u[0], 9000, 1), 0);     /* grows past 4096 */
  assert_int_equal(ng_uni_hit(&u[0], 9000, 1), 0);
  assert_int_equal(ng_uni_hit(&u[0], 3, 2), 0);
  assert_int_equal(ng_uni_hit(&u[1], 9000, 1), 0);     /* another worker */
  assert_int_equal(ng_uni_into(&t, pu, 2), 0);
  assert_int_equal(t.used, 2);
  assert_int_equal(t.total[1], 4);
  s = ng_table_find(&t, key);
  assert_int_equal(ng_table_count(&t, s), 3);
  assert_int_equal(s[NG_DF(&t)], 2);
  ng_table_free(&t);
  ng_uni_free(&u[0]);
  ng_uni_free(&u[1]);
}

static void test_grow(void **state) {
  ng_table t;
  uint32_t i, key[3] = {0, 0, 0};
  (void)state;
  assert_int_equal(ng_table_init(&t, 3, 1, 0), 0);
  for (i = 1; i <= 100000; i++) {
    key[0] = i;
    key[1] = i * 7 + 1;
    key[2] = i % 13 + 1;
    assert_int_equal(
        ng_table_hit(&t, key, 3, ng_hash(key, 3), 1 + i % 3), 0);
    if (i % 3 == 0)
      assert_int_equal(ng_table_hit(&t, key, 3, ng_hash(key, 3), 9), 0);
  }
  assert_int_equal(t.used, 100000);
  for (i = 1; i <= 100000; i++) {
    const uint32_t *s;
    key[0] = i;
    key[1] = i * 7 + 1;
    key[2] = i % 13 + 1;
    s = ng_table_find(&t, key);
    assert_non_null(s);
    assert_int_equal(ng_table_count(&t, s), i % 3 == 0 ? 2 : 1);
    assert_int_equal(s[NG_DF(&t)], i % 3 == 0 ? 2 : 1);
  }
  assert_int_equal(ng_table_compact(&t, 2), 0);
  assert_int_equal(t.used, 33333);
  assert_int_equal(t.total[3], 133333);       /* totals keep every hit */
  ng_table_free(&t);
}

static void test_big_counts(void **state) {
  ng_table t, u;
  uint32_t key[2] = {3, 4};
  uint32_t *s;
  (void)state;
  assert_int_equal(ng_table_init(&t, 2, 1, 0), 0);
  hit(&t, 3, 4, 1);
  s = ng_table_find(&t, key);
  s[NG_COUNT(&t)] = UINT32_MAX;               /* as if counted 2^32-1 times */
  hit(&t, 3, 4, 1);
  hit(&t, 3, 4, 1);
  s = ng_table_find(&t, key);
  assert_true(ng_table_count(&t, s) == (1ull << 32) + 1);
  /* merge: carries add up */
  assert_int_equal(ng_table_init(&u, 2, 0, 0), 0);
  assert_int_equal(ng_table_add(&u, key, (3ull << 32) + 5, 2), 0);
  assert_int_equal(ng_table_merge(&u, &t), 0);
  s = ng_table_find(&u, key);
  assert_true(ng_table_count(&u, s) == (4ull << 32) + 6);
  assert_int_equal(ng_table_compact(&u, 1), 0);
  s = ng_table_find(&u, key);
  assert_true(ng_table_count(&u, s) == (4ull << 32) + 6);
  assert_int_equal(s[NG_DF(&u)], 3);
  ng_table_free(&t);
  ng_table_free(&u);
}

static void test_assemble_bytes(void **state) {
  ng_table parts[NG_MAX_N + 1], t, *pp[2] = {&parts[1], &parts[2]};
  uint32_t i, key[2];
  (void)state;
  memset(parts, 0, sizeof parts);
  assert_int_equal(ng_table_init(&parts[1], 1, 1, 0), 0);
  assert_int_equal(ng_table_init(&parts[2], 2, 1, 0), 0);
  for (i = 1; i <= 50000; i++) {
    key[0] = i;
    key[1] = i + 1;
    assert_int_equal(ng_table_hit(&parts[1], key, 1, ng_hash(key, 1), 1), 0);
    assert_int_equal(ng_table_hit(&parts[2], key, 2, ng_hash(key, 2), 1), 0);
  }
  key[0] = 1;
  assert_int_equal(ng_table_hit(&parts[1], key, 1, ng_hash(key, 1), 2), 0);
  assert_int_equal(ng_table_assemble(&t, pp, 2, 2, 1, 0), 0);
  assert_int_equal(t.used, 100000);
  assert_int_equal(t.total[1], 50001);
  assert_int_equal(t.total[2], 50000);
  assert_true(ng_table_memory(&t) <= 32 * (size_t)t.used);
  key[0] = 1;
  key[1] = 0;
  assert_int_equal(ng_table_count(&t, ng_table_find(&t, key)), 2);
  assert_int_equal(ng_table_find(&t, key)[NG_DF(&t)], 2);
  ng_table_free(&t);
  /* min_count drops the singletons */
  assert_int_equal(ng_table_assemble(&t, pp, 2, 3, 2, 1), 0);
  assert_int_equal(t.used, 1);
  assert_int_equal(t.width, 3);
  ng_table_free(&t);
  ng_table_free(&parts[1]);
  ng_table_free(&parts[2]);
}

/* t holds the grams of u, with the same counts and documents. */
static void assert_same_grams(const ng_table *t, const ng_table *u) {
  uint32_t i;
  assert_int_equal(t->used, u->used);
  for (i = 0; i < u->cap; i++) {
    const uint32_t *x = ng_table_slot(u, i), *s;
    if (!x) continue;
    s = ng_table_find(t, x);
    assert_non_null(s);
    assert_true(ng_table_count(t, s) == ng_table_count(u, x));
    assert_int_equal(s[NG_DF(t)], x[NG_DF(u)]);
  }
}

typedef struct placing {
  ng_table *dst, *part;
  uint64_t min_count;
  int rc;
} placing;

static void *place_one(void *arg) {
  placing *p = arg;
  p->rc = ng_table_place_shared(p->dst, p->part, p->min_count);
  return NULL;
}

/* ng_table_final + ng_table_place_shared of two parts on two threads:
** 0, or -1 when either refuses. */
static int place_two(ng_table *t, ng_table *const *parts,
                     uint64_t min_count) {
  placing p[2] = {{t, parts[0], min_count, 0}, {t, parts[1], min_count, 0}};
  pthread_t th;
  assert_int_equal(ng_table_final(t, 2, parts[0]->used + parts[1]->used), 0);
  assert_int_equal(pthread_create(&th, NULL, place_one, &p[1]), 0);
  place_one(&p[0]);
  pthread_join(th, NULL);
  return p[0].rc || p[1].rc ? -1 : 0;
}

/* Lists placed from two threads at once make the table ng_table_assemble
** makes of them; a part with a big count is refused. */
static void test_place_shared(void **state) {
  ng_table list[3], t, u, *pl[2] = {&list[1], &list[2]};
  uint32_t i, key[2] = {0, 0};
  (void)state;
  assert_int_equal(ng_table_init(&list[1], 1, 0, 0), 0);
  assert_int_equal(ng_table_init(&list[2], 2, 0, 0), 0);
  for (i = 1; i <= 30000; i++) {
    key[0] = i;
    key[1] = 0;
    assert_int_equal(ng_table_append(&list[1], key, i % 5 + 1, i % 2 + 1), 0);
    key[1] = 3 * i;
    assert_int_equal(ng_table_append(&list[2], key, i % 7 + 1, 1), 0);
  }
  assert_int_equal(ng_table_assemble(&u, pl, 2, 2, 1, 0), 0);
  assert_int_equal(place_two(&t, pl, 1), 0);
  assert_same_grams(&t, &u);
  ng_table_free(&t);
  key[0] = 1;
  key[1] = 1;
  assert_int_equal(ng_table_append(&list[2], key, 1ull << 32, 1), 0);
  assert_int_equal(place_two(&t, pl, 1), -1);
  ng_table_free(&t);
  ng_table_free(&u);
  ng_table_free(&list[1]);
  ng_table_free(&list[2]);
}

/* Lists (ng_table_append) assemble like tables: the same grams, counts,
** documents and totals, big counts and min_count included. */
static void test_append_lists(void **state) {
  ng_table list[3], t, u, *pl[2] = {&list[1], &list[2]};
  uint32_t i, key[2];
  (void)state;
  memset(list, 0, sizeof list);
  assert_int_equal(ng_table_init(&list[1], 1, 0, 0), 0);
  assert_int_equal(ng_table_init(&list[2], 2, 0, 0), 0);
  assert_int_equal(ng_table_init(&u, 2, 0, 0), 0);
  for (i = 1; i <= 20000; i++) {            /* grows past its first array */
    key[0] = i;
    key[1] = 0;
    assert_int_equal(ng_table_append(&list[1], key, i % 3 + 1, 1), 0);
    assert_int_equal(ng_table_add(&u, key, i % 3 + 1, 1), 0);
    key[1] = i + 7;
    assert_int_equal(ng_table_append(&list[2], key, 2, 2), 0);
    assert_int_equal(ng_table_add(&u, key, 2, 2), 0);
  }
  key[0] = 5;
  key[1] = 6;
  assert_int_equal(ng_table_append(&list[2], key, (2ull << 32) + 9, 4), 0);
  assert_int_equal(ng_table_add(&u, key, (2ull << 32) + 9, 4), 0);
  assert_int_equal(ng_table_assemble(&t, pl, 2, 2, 1, 0), 0);
  assert_true(t.total[1] == u.total[1] && t.total[2] == u.total[2]);
  assert_same_grams(&t, &u);
  ng_table_free(&t);
  /* min_count 3: the unigrams counted 3 times and the big bigram */
  assert_int_equal(ng_table_assemble(&t, pl, 2, 2, 3, 1), 0);
  assert_int_equal(t.used, 6667 + 1);        /* i = 2, 5, ... 19998 */
  ng_table_free(&t);
  ng_table_free(&u);
}

/* ------------------------------------------------------------------------
** Grams
*/

/* Count the words of text (split at spaces; a leading '*' marks a stop
** word) with spec into parts, then assemble into *out. */
static void count_words(const ng_spec *sp, const char *text, ng_table *out) {
  ng_table parts[NG_MAX_N + 1], *pp[NG_MAX_N];
  ng_sink sink = {NULL, NULL, 0, 1, 0};
  ng_grams g;
  char buf[1024], *w, *save = NULL;
  int k;
  memset(parts, 0, sizeof parts);
  for (k = sp->nmin; k <= sp->nmax; k++) {
    pp[k - sp->nmin] = &parts[k];
    assert_int_equal(ng_table_init(&parts[k], k, 1, 0), 0);
  }
  snprintf(buf, sizeof buf, "%s", text);
  sink.t = parts;
  ng_grams_begin(&g, sp, &sink, 1);
  for (w = strtok_r(buf, " ", &save); w; w = strtok_r(NULL, " ", &save)) {
    int stop = w[0] == '*';
    ng_grams_push(&g, W(w + stop), stop);
  }
  assert_int_equal(ng_grams_end(&g), 0);
  assert_int_equal(ng_table_assemble(out, pp,
                                     (size_t)(sp->nmax - sp->nmin + 1),
                                     sp->nmax, 1, 1), 0);
  for (k = 0; k <= NG_MAX_N; k++) ng_table_free(&parts[k]);
}

static void test_contiguous(void **state) {
  ng_spec sp = {1, 3, 0, 0};
  ng_table t;
  (void)state;
  count_words(&sp, "a b a b a", &t);
  assert_int_equal(count_of(&t, GRAM("a"), NULL), 3);
  assert_int_equal(count_of(&t, GRAM("a", "b"), NULL), 2);
  assert_int_equal(count_of(&t, GRAM("b", "a"), NULL), 2);
  assert_int_equal(count_of(&t, GRAM("a", "b", "a"), NULL), 2);
  assert_int_equal(count_of(&t, GRAM("b", "a", "b"), NULL), 1);
  assert_int_equal(t.used, 2 + 2 + 2);
  assert_int_equal(t.total[1], 5);
  assert_int_equal(t.total[2], 4);
  assert_int_equal(t.total[3], 3);
  ng_table_free(&t);
}

static void test_skip(void **state) {
  ng_spec sp = {2, 3, 1, 0};
  ng_table t;
  (void)state;
  count_words(&sp, "a b c d", &t);
  /* bigrams: ab bc cd (gap 0), ac bd (gap 1) */
  assert_int_equal(t.total[2], 5);
  assert_int_equal(count_of(&t, GRAM("a", "c"), NULL), 1);
  assert_int_equal(count_of(&t, GRAM("b", "d"), NULL), 1);
  assert_int_equal(count_of(&t, GRAM("a", "d"), NULL), 0);
  /* trigrams: abc bcd, abd acd (one gap of 1) -- a?c?e needs 5 tokens */
  assert_int_equal(t.total[3], 4);
  assert_int_equal(count_of(&t, GRAM("a", "b", "d"), NULL), 1);
  assert_int_equal(count_of(&t, GRAM("a", "c", "d"), NULL), 1);
  ng_table_free(&t);
}

static void test_drop(void **state) {
  ng_spec sp = {1, 2, 0, 1};
  ng_table t;
  (void)state;
  count_words(&sp, "big *the cat *on mat mat", &t);
  assert_int_equal(count_of(&t, GRAM("the"), NULL), 0);
  assert_int_equal(count_of(&t, GRAM("big", "the"), NULL), 0);
  assert_int_equal(count_of(&t, GRAM("big", "cat"), NULL), 0);
  assert_int_equal(count_of(&t, GRAM("mat", "mat"), NULL), 1);
  assert_int_equal(t.total[1], 4);
  assert_int_equal(t.total[2], 1);
  ng_table_free(&t);
  sp.skip = 1;
  count_words(&sp, "big *the cat", &t);
  assert_int_equal(count_of(&t, GRAM("big", "cat"), NULL), 1);
  ng_table_free(&t);
}

/* ------------------------------------------------------------------------
** Orders
*/

static void test_word_cmp(void **state) {
  (void)state;
  assert_true(ng_word_cmp("a", 1, "b", 1) < 0);
  assert_true(ng_word_cmp("a", 1, "ab", 2) < 0);      /* prefix first */
  assert_true(ng_word_cmp("ab", 2, "ab", 2) == 0);
  /* TAB is written "\t": after '!' (0x21) although the byte is smaller */
  assert_true(ng_word_cmp("\t", 1, "!", 1) > 0);
  assert_true(ng_word_cmp("\t", 1, "]", 1) < 0);      /* '\' < ']' */
  assert_true(ng_word_cmp("\\", 1, "\t", 1) < 0);     /* "\\\\" < "\\t" */
  assert_true(ng_word_cmp("a b", 3, "a\\", 2) > 0);   /* "a\s" > "a\\" */
}

static void test_sorted_top(void **state) {
  ng_spec sp = {1, 2, 0, 0};
  ng_table t;
  uint32_t *idx;
  size_t n, i;
  ng_buf b;
  const char *want[] = {"a", "a b", "ab", "ab b", "b", "b a", "b ab"};
  (void)state;
  /* words interned in an order unlike the byte order */
  W("b");
  W("ab");
  W("a");
  count_words(&sp, "b ab b a b a", &t);
  assert_int_equal(ng_order_sorted(&t, 0, &idx, &n), 0);
  assert_int_equal(n, t.used);
  assert_int_equal(n, 7);
  ng_buf_init(&b);
  for (i = 0; i < n; i++) {
    b.n = 0;
    ng_gram_string(t.slots + (size_t)idx[i] * t.stride, t.width, &b);
    assert_string_equal(b.p, want[i]);
    if (i + 1 < n)
      assert_true(ng_gram_cmp(t.slots + (size_t)idx[i] * t.stride,
                              t.slots + (size_t)idx[i + 1] * t.stride,
                              t.width) < 0);
  }
  lk_free(idx);
  /* top: b=3, then a=2, "b a"=2 (ties in gram order), ab=1 ... */
  assert_int_equal(ng_order_top(&t, 4, 0, &idx, &n), 0);
  assert_int_equal(n, 4);
  for (i = 0; i < n; i++) {
    b.n = 0;
    ng_gram_string(t.slots + (size_t)idx[i] * t.stride, t.width, &b);
    if (i == 0) assert_string_equal(b.p, "b");
    if (i == 1) assert_string_equal(b.p, "a");
    if (i == 2) assert_string_equal(b.p, "b a");
    if (i == 3) assert_string_equal(b.p, "a b");   /* "a b" < "ab" */
  }
  lk_free(idx);
  assert_int_equal(ng_order_top(&t, 100, 2, &idx, &n), 0);
  assert_int_equal(n, 4);                       /* bigrams only */
  lk_free(idx);
  ng_buf_free(&b);
  ng_table_free(&t);
}

static void test_gram_parse(void **state) {
  uint32_t key[3];
  (void)state;
  W("x");
  W("y");
  assert_int_equal(ng_gram_parse("x y", 3, key, 3, tv_lookup), 2);
  assert_int_equal(key[0], tv_lookup("x", 1));
  assert_int_equal(key[2], 0);
  assert_int_equal(ng_gram_parse("x  y", 4, key, 3, tv_lookup), 0);
  assert_int_equal(ng_gram_parse("x y ", 4, key, 3, tv_lookup), 0);
  assert_int_equal(ng_gram_parse("", 0, key, 3, tv_lookup), 0);
  assert_int_equal(ng_gram_parse("x y x y", 7, key, 3, tv_lookup), 0);
  assert_int_equal(ng_gram_parse("x zz", 4, key, 3, tv_lookup), -1);
}

/* ------------------------------------------------------------------------
** Statistics (expected values computed independently, see the comments)
*/

static void test_assoc2(void **state) {
  double m[NG_NMEASURES];
  (void)state;
  /* O11 = 8, R1 = 10, C1 = 20, N = 1000: E11 = 0.2.
  ** pmi = log2(40); t = (8 - 0.2) / sqrt(8); chi2 and G2 from the full
  ** 2x2 table {8, 2; 12, 978} (computed with Python's math module). */
  ng_stats_assoc2(8, 10, 20, 1000, m);
  assert_true(fabs(m[NG_PMI] - log2(40.0)) < 1e-9);
  assert_true(fabs(m[NG_TSCORE] - 7.8 / sqrt(8.0)) < 1e-9);
  assert_true(fabs(m[NG_CHI2] - 313.5435992578849) < 1e-6);
  assert_true(fabs(m[NG_LLR] - 56.30906487701645) < 1e-6);
}

static void test_assoc3(void **state) {
  double m[NG_NMEASURES];
  (void)state;
  /* n_iii = 5, pairs 6, 7, 8, singles 10, 12, 14, N = 1000:
  ** pmi = log2(5 * 1000^2 / (10 * 12 * 14)). */
  ng_stats_assoc3(5, 6, 7, 8, 10, 12, 14, 1000, m);
  assert_true(fabs(m[NG_PMI] - log2(5e6 / 1680.0)) < 1e-9);
  assert_true(fabs(m[NG_TSCORE] - (5 - 0.00168) / sqrt(5.0)) < 1e-9);
  assert_true(m[NG_LLR] > 0 && m[NG_CHI2] > 0);
}

static void test_keyness1(void **state) {
  double llr, lr;
  (void)state;
  /* a = 20 of c = 1000, b = 5 of d = 2000: E1 = 25/3, E2 = 50/3,
  ** G2 = 2 (20 ln(20 / E1) + 5 ln(5 / E2)); log ratio = log2(8). */
  ng_stats_keyness1(20, 5, 1000, 2000, &llr, &lr);
  assert_true(fabs(llr - 2 * (20 * log(20 / (25.0 / 3)) +
                              5 * log(5 / (50.0 / 3)))) < 1e-9);
  assert_true(fabs(lr - 3) < 1e-9);
  ng_stats_keyness1(5, 20, 2000, 1000, &llr, &lr);
  assert_true(llr < 0 && fabs(lr + 3) < 1e-9);
  ng_stats_keyness1(0, 4, 1000, 1000, &llr, &lr);
  assert_true(llr < 0 && fabs(lr - log2(0.5 / 4)) < 1e-9);
}

static void test_colloc_keyness(void **state) {
  ng_spec sp = {2, 2, 0, 0};
  ng_table t, u;
  ng_colloc *rows;
  ng_keyrow *kr;
  size_t n;
  ng_buf b;
  (void)state;
  count_words(&sp, "new york is big new york is old new deal old york", &t);
  assert_int_equal(ng_stats_colloc(&t, 2, 2, NG_PMI, 0, &rows, &n), 0);
  assert_int_equal(n, 2);                     /* "new york", "york is" */
  ng_buf_init(&b);
  ng_gram_string(rows[0].key, rows[0].width, &b);
  assert_string_equal(b.p, "york is");        /* higher PMI than new york */
  assert_true(rows[0].score >= rows[1].score);
  lk_free(rows);
  count_words(&sp, "old deal old deal new york", &u);
  assert_int_equal(ng_stats_keyness(&t, &u, 0, 1, NG_KEY_LLR, 0, &kr, &n), 0);
  assert_true(n > 0);
  b.n = 0;
  ng_gram_string(kr[n - 1].key, kr[n - 1].width, &b);
  assert_string_equal(b.p, "old deal");       /* typical of the reference */
  assert_true(kr[0].llr > 0 && kr[n - 1].llr < 0);
  lk_free(kr);
  ng_buf_free(&b);
  ng_table_free(&t);
  ng_table_free(&u);
}

/* ------------------------------------------------------------------------
** Threaded counting with a stand-in tokenizer: words are runs of
** non-space bytes; the "stop" options leave out "the" and "a".
*/

typedef struct fake_run {
  const char *s;
  size_t n, pos;
  int stop;
} fake_run;

static int fake_opts_all, fake_opts_stop;

static int fake_begin(lector_tok_state *st, const lector_tok_opts *o,
                      const char *text, size_t len, char **err) {
  fake_run *r = (fake_run *)(void *)st->opaque_.bytes_;
  (void)err;
  r->s = text;
  r->n = len;
  r->pos = 0;
  r->stop = (const void *)o == (const void *)&fake_opts_stop;
  return LECTOR_OK;
}

static size_t fake_next(lector_tok_state *st, lector_tok_span *out,
                        size_t cap) {
  fake_run *r = (fake_run *)(void *)st->opaque_.bytes_;
  size_t k = 0;
  while (k < cap && r->pos < r->n) {
    size_t a, e;
    while (r->pos < r->n && r->s[r->pos] == ' ') r->pos++;
    a = r->pos;
    while (r->pos < r->n && r->s[r->pos] != ' ') r->pos++;
    e = r->pos;
    if (e == a) break;
    if (r->stop && ((e - a == 3 && memcmp(r->s + a, "the", 3) == 0) ||
                    (e - a == 1 && r->s[a] == 'a')))
      continue;
    out[k].offset = (uint32_t)a;
    out[k].length = (uint32_t)(e - a);
    out[k].kind = LECTOR_TOK_WORD;
    out[k].flags = 0;
    out[k].id = tv_intern(r->s + a, e - a);
    k++;
  }
  return k;
}

static void fake_end(lector_tok_state *st) { (void)st; }

static int fake_each(const lector_tok_opts *o, const char *text, size_t len,
                     lector_tok_fn fn, void *ud, char **err) {
  lector_tok_state st;
  lector_tok_span sp[4];
  size_t n, i;
  int rc;
  *err = NULL;
  fake_begin(&st, o, text, len, err);
  while ((n = fake_next(&st, sp, 4)) > 0)
    for (i = 0; i < n; i++) {
      /* "~" stands for a word a stemmer makes empty */
      size_t nl = sp[i].length == 1 && text[sp[i].offset] == '~'
                      ? 0 : sp[i].length;
      if ((rc = fn(ud, &sp[i], text + sp[i].offset, nl)) != 0) return rc;
    }
  return LECTOR_OK;
}

static lector_tokenizer_api fake_api;

static const char *const docs[] = {
  "the cat sat on the mat", "a cat and a dog", "", "the the the",
  "dog eats cat", "on the mat the cat sat", "x", "cat dog cat dog cat"
};
#define NDOCS (sizeof docs / sizeof docs[0])

/* A larger corpus (BIG_DOCS documents of words w0 .. w299, one of them
** longer than a block of token ids), so that the workers send each other
** many blocks and wait for room. */
#define BIG_DOCS 400
static char *big[BIG_DOCS];
static const char *const *src_docs = docs;
static size_t src_ndocs;               /* of src_docs when set */

static void big_make(void) {
  uint32_t x = 12345;
  int d, i;
  for (d = 0; d < BIG_DOCS; d++) {
    int words = d == 7 ? 60000 : 50 + d % 300, at = 0;
    big[d] = malloc((size_t)words * 6 + 1);
    for (i = 0; i < words; i++) {
      x = x * 1103515245u + 12345u;
      at += sprintf(big[d] + at, "w%u ", (x >> 16) % (i % 7 ? 300u : 40u));
    }
    big[d][at] = '\0';
  }
  src_docs = (const char *const *)big;
}

static void big_free(void) {
  int d;
  for (d = 0; d < BIG_DOCS; d++) free(big[d]);
  src_docs = docs;
}

static int fail_doc = -1;

/* A stand-in for host->doc_pool over src_docs, on the host's own pool
** (core/pool.c): the engine's ng_docs run. */
typedef struct tp_worker {
  const lector_pool *job;
  void *ctx;
} tp_worker;

static int (*tp_interrupted)(void);

static int tp_doc(void *arg, size_t i, char **err) {
  tp_worker *w = arg;
  lector_text t;
  int rc;
  if (w->job->skip && w->job->skip[i] < 0) return LECTOR_OK;
  if ((int)i == fail_doc) {
    *err = lk_errorf("cannot read document %zu", i);
    return LECTOR_ERR;
  }
  memset(&t, 0, sizeof t);
  t.data = src_docs[i];
  t.len = strlen(src_docs[i]);
  rc = w->job->fn(w->ctx, i, &t, err);
  return rc == LECTOR_POOL_STOPPED ? POOL_STOPPED : rc;
}

static void tp_done(void *arg, int failed) {
  tp_worker *w = arg;
  if (w->job->done) w->job->done(w->ctx, failed);
}

static int tp_run(void *ud, lector_pool *job, char **err) {
  const ng_docs *d = ud;
  tp_worker ws[LECTOR_MAX_THREADS];
  void *ctx[LECTOR_MAX_THREADS];
  pool_job pj;
  int w;
  for (w = 0; w < job->nworkers; w++) {
    ws[w].job = job;
    ws[w].ctx = job->ctx ? job->ctx[w] : NULL;
    ctx[w] = &ws[w];
  }
  memset(&pj, 0, sizeof pj);
  pj.n = d->ndocs;
  pj.chunk = 1;
  pj.ctx = ctx;
  pj.nworkers = job->nworkers;
  pj.fn = tp_doc;
  pj.done = tp_done;
  pj.interrupted = tp_interrupted;
  pj.errorf = lk_errorf;
  pj.free = lk_env_cur.free;
  return pool_run(&pj, err);
}

/* The documents: src_docs on threads workers. */
static ng_docs *tp_docs(int threads) {
  static ng_docs d;
  d.ndocs = src_ndocs ? src_ndocs : src_docs == docs ? NDOCS : BIG_DOCS;
  d.nworkers = pool_workers(threads, d.ndocs);
  d.run = tp_run;
  d.ud = &d;
  return &d;
}

static int stop_now(void) { return 1; }

/* Run a count of the fake documents. */
static int run(const ng_spec *sp, int threads, int drop, const int32_t *group,
               uint32_t ngroups, int (*interrupted)(void), ng_job *job,
               char **err) {
  static ng_tokens tok;
  fake_api.struct_size = sizeof fake_api;
  fake_api.begin = fake_begin;
  fake_api.next = fake_next;
  fake_api.end = fake_end;
  fake_api.each = fake_each;
  tok.api = &fake_api;
  tok.opts = (const lector_tok_opts *)(const void *)&fake_opts_all;
  tok.stop_opts =
      drop ? (const lector_tok_opts *)(const void *)&fake_opts_stop : NULL;
  memset(job, 0, sizeof *job);
  job->spec = sp;
  job->tok = &tok;
  job->src = tp_docs(threads);
  job->group = group;
  job->ngroups = ngroups;
  job->min_count = 1;
  tp_interrupted = interrupted;
  return ng_count_run(job, err);
}

static void test_count_threads(void **state) {
  ng_spec sp = {1, 3, 0, 0};
  ng_job a, b;
  char *err = NULL;
  uint32_t i, df;
  (void)state;
  assert_int_equal(run(&sp, 1, 0, NULL, 1, NULL, &a, &err), LECTOR_OK);
  assert_int_equal(run(&sp, 4, 0, NULL, 1, NULL, &b, &err), LECTOR_OK);
  assert_int_equal(a.tables[0].used, b.tables[0].used);
  assert_int_equal(a.docs[0], NDOCS);
  for (i = 0; i < a.tables[0].cap; i++) {
    const uint32_t *s = ng_table_slot(&a.tables[0], i);
    const uint32_t *t = s ? ng_table_find(&b.tables[0], s) : NULL;
    if (!s) continue;
    assert_non_null(t);
    assert_int_equal(ng_table_count(&a.tables[0], s),
                     ng_table_count(&b.tables[0], t));
    assert_int_equal(s[NG_DF(&a.tables[0])], t[NG_DF(&b.tables[0])]);
  }
  assert_int_equal(count_of(&a.tables[0], GRAM("cat"), &df), 7);
  assert_int_equal(df, 5);
  assert_int_equal(count_of(&a.tables[0], GRAM("the", "the"), &df), 2);
  assert_int_equal(df, 1);
  assert_int_equal(count_of(&a.tables[0], GRAM("cat", "dog", "cat"), &df), 2);
  ng_count_free_results(&a);
  ng_count_free_results(&b);
}

/* Every gram of a and b has the same count and df, and none is missing. */
static void same_tables(const ng_table *a, const ng_table *b) {
  uint32_t i;
  assert_int_equal(a->used, b->used);
  assert_true(ng_table_total(a) == ng_table_total(b));
  for (i = 0; i < a->cap; i++) {
    const uint32_t *s = ng_table_slot(a, i);
    const uint32_t *t = s ? ng_table_find(b, s) : NULL;
    if (!s) continue;
    assert_non_null(t);
    assert_true(ng_table_count(a, s) == ng_table_count(b, t));
    assert_int_equal(s[NG_DF(a)], t[NG_DF(b)]);
  }
}

/* Many blocks of token ids go between the workers, with and without
** groups; the counts match one thread's. */
static void test_count_sharded(void **state) {
  ng_spec sp = {1, 3, 1, 0};
  int32_t group[BIG_DOCS];
  ng_job one, many;
  char *err = NULL;
  int th, d;
  uint32_t g;
  (void)state;
  big_make();
  for (d = 0; d < BIG_DOCS; d++) group[d] = d % 5 == 0 ? -1 : d % 3;
  assert_int_equal(run(&sp, 1, 0, NULL, 1, NULL, &one, &err), LECTOR_OK);
  for (th = 2; th <= 4; th++) {
    assert_int_equal(run(&sp, th, 0, NULL, 1, NULL, &many, &err), LECTOR_OK);
    same_tables(&one.tables[0], &many.tables[0]);
    ng_count_free_results(&many);
  }
  ng_count_free_results(&one);
  assert_int_equal(run(&sp, 1, 0, group, 3, NULL, &one, &err), LECTOR_OK);
  assert_int_equal(run(&sp, 3, 0, group, 3, NULL, &many, &err), LECTOR_OK);
  for (g = 0; g < 3; g++) {
    same_tables(&one.tables[g], &many.tables[g]);
    assert_true(one.docs[g] == many.docs[g]);
  }
  ng_count_free_results(&one);
  ng_count_free_results(&many);
  big_free();
}

static void test_count_groups_drop(void **state) {
  ng_spec sp = {1, 2, 0, 1};
  int32_t group[NDOCS] = {0, 1, 0, -1, 1, 0, -1, 1};
  ng_job j;
  char *err = NULL;
  uint32_t df;
  (void)state;
  assert_int_equal(run(&sp, 3, 1, group, 2, NULL, &j, &err), LECTOR_OK);
  assert_int_equal(j.docs[0], 3);
  assert_int_equal(j.docs[1], 3);
  assert_int_equal(count_of(&j.tables[0], GRAM("the"), NULL), 0);
  assert_int_equal(count_of(&j.tables[0], GRAM("cat", "sat"), &df), 2);
  assert_int_equal(df, 2);
  assert_int_equal(count_of(&j.tables[0], GRAM("sat", "on"), NULL), 1);
  assert_int_equal(count_of(&j.tables[0], GRAM("on", "mat"), NULL), 0);
  assert_int_equal(count_of(&j.tables[1], GRAM("cat", "and"), NULL), 1);
  assert_int_equal(count_of(&j.tables[1], GRAM("and", "a"), NULL), 0);
  assert_int_equal(count_of(&j.tables[1], GRAM("dog", "cat"), NULL), 2);
  ng_count_free_results(&j);
}

static void test_count_errors(void **state) {
  ng_spec sp = {1, 1, 0, 0};
  ng_job j;
  char *err = NULL;
  int rc;
  (void)state;
  fail_doc = 5;
  rc = run(&sp, 2, 0, NULL, 1, NULL, &j, &err);
  fail_doc = -1;
  assert_int_equal(rc, LECTOR_ERR);
  assert_string_equal(err, "cannot read document 5");
  assert_null(j.tables);
  lk_free(err);
  err = NULL;
  rc = run(&sp, 2, 0, NULL, 1, stop_now, &j, &err);
  assert_int_equal(rc, LECTOR_EINTERRUPT);
  assert_string_equal(err, "interrupted");
  assert_null(j.tables);
  lk_free(err);
}

/* Issue 12 item 14: an empty word (an empty stem) is left out, never
** "out of memory"; in counting and in the concordance. */
static void test_empty_word(void **state) {
  static const char *const edocs[] = {"a ~ b", "~", "b ~ ~ a b"};
  ng_spec sp = {1, 2, 0, 0};
  ng_job j;
  ng_kwic_spec ks;
  ng_hits hits;
  static ng_tokens tok;
  uint32_t phrase[1];
  char *err = NULL;
  int th;
  (void)state;
  src_docs = edocs;
  src_ndocs = 3;
  for (th = 1; th <= 2; th++) {
    int rc = run(&sp, th, 0, NULL, 1, NULL, &j, &err);
    if (rc != LECTOR_OK) fail_msg("%d threads: %s", th, err);
    assert_int_equal(count_of(&j.tables[0], GRAM("a", "b"), NULL), 2);
    assert_int_equal(count_of(&j.tables[0], GRAM("b", "a"), NULL), 1);
    assert_int_equal(count_of(&j.tables[0], GRAM("b"), NULL), 3);
    assert_int_equal(j.tables[0].total[1], 5);
    ng_count_free_results(&j);
  }
  tok.api = &fake_api;
  tok.opts = (const lector_tok_opts *)(const void *)&fake_opts_all;
  memset(&ks, 0, sizeof ks);             /* fields it does not set: none */
  ks.tok = &tok;
  phrase[0] = W("b");
  ks.phrase = phrase;
  ks.plen = 1;
  ks.window = 1;
  tp_interrupted = NULL;
  assert_int_equal(ng_kwic_run(&ks, tp_docs(2), &hits, &err), LECTOR_OK);
  assert_int_equal(hits.n, 3);
  ng_kwic_hits_free(&hits);
  src_docs = docs;
  src_ndocs = 0;
}

/* Allocation failure: the Nth allocation of a count fails, for every N;
** each run ends in LECTOR_OK or LECTOR_ENOMEM with a message (the alloc
** sweep found results freed uninitialised when the docs array failed). */
static long fail_at, nalloc;
static void *fail_alloc(size_t n) {
  return ++nalloc == fail_at ? NULL : malloc(n);
}
static void *fail_realloc(void *p, size_t n) {
  return ++nalloc == fail_at ? NULL : realloc(p, n);
}

static void test_count_alloc_failures(void **state) {
  ng_spec sp = {1, 2, 0, 0};
  lk_env e, saved = lk_env_cur;
  ng_job j;
  long total;
  int th;
  (void)state;
  memset(&e, 0, sizeof e);
  e.alloc = fail_alloc;
  e.realloc = fail_realloc;
  for (th = 1; th <= 2; th++) {
    char *err = NULL;
    lk_env_set(&e);
    fail_at = -1;
    nalloc = 0;
    assert_int_equal(run(&sp, th, 0, NULL, 1, NULL, &j, &err), LECTOR_OK);
    ng_count_free_results(&j);
    total = nalloc;
    for (fail_at = 1; fail_at <= total; fail_at++) {
      int rc;
      nalloc = 0;
      err = NULL;
      rc = run(&sp, th, 0, NULL, 1, NULL, &j, &err);
      if (rc == LECTOR_OK) {
        ng_count_free_results(&j);
        continue;
      }
      assert_int_equal(rc, LECTOR_ENOMEM);
      assert_non_null(strstr(err, "out of memory"));
      lk_free(err);
    }
    lk_env_cur = saved;
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_hit_df),
    cmocka_unit_test(test_uni),
    cmocka_unit_test(test_grow),
    cmocka_unit_test(test_big_counts),
    cmocka_unit_test(test_assemble_bytes),
    cmocka_unit_test(test_append_lists),
    cmocka_unit_test(test_place_shared),
    cmocka_unit_test_setup_teardown(test_contiguous, setup, teardown),
    cmocka_unit_test_setup_teardown(test_skip, setup, teardown),
    cmocka_unit_test_setup_teardown(test_drop, setup, teardown),
    cmocka_unit_test(test_word_cmp),
    cmocka_unit_test_setup_teardown(test_sorted_top, setup, teardown),
    cmocka_unit_test_setup_teardown(test_gram_parse, setup, teardown),
    cmocka_unit_test(test_assoc2),
    cmocka_unit_test(test_assoc3),
    cmocka_unit_test(test_keyness1),
    cmocka_unit_test_setup_teardown(test_colloc_keyness, setup, teardown),
    cmocka_unit_test_setup_teardown(test_count_threads, setup, teardown),
    cmocka_unit_test_setup_teardown(test_count_sharded, setup, teardown),
    cmocka_unit_test_setup_teardown(test_count_groups_drop, setup, teardown),
    cmocka_unit_test_setup_teardown(test_count_errors, setup, teardown),
    cmocka_unit_test_setup_teardown(test_empty_word, setup, teardown),
    cmocka_unit_test_setup_teardown(test_count_alloc_failures, setup,
                                    teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
