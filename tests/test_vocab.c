/* test_vocab.c -- the shared vocabulary: ids, strings, growth, threads. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "vocab.h"

static int setup(void **state) {
  (void)state;
  vocab_reset();
  return 0;
}

static void test_intern_is_stable(void **state) {
  (void)state;
  uint32_t a = vocab_intern("news", 4);
  uint32_t b = vocab_intern("paper", 5);
  assert_int_equal(a, 1);
  assert_int_equal(b, 2);
  assert_int_equal(vocab_intern("news", 4), a);
  assert_int_equal(vocab_lookup("paper", 5), b);
  assert_int_equal(vocab_lookup("absent", 6), 0);
  assert_int_equal(vocab_size(), 2);
}

static void test_strings_round_trip(void **state) {
  (void)state;
  size_t len;
  uint32_t empty = vocab_intern("", 0);
  uint32_t nul = vocab_intern("a\0b", 3);
  uint32_t utf8 = vocab_intern("Pakistan’s", strlen("Pakistan’s"));
  assert_string_equal(vocab_string(empty, &len), "");
  assert_int_equal(len, 0);
  assert_memory_equal(vocab_string(nul, &len), "a\0b", 3);
  assert_int_equal(len, 3);
  assert_string_equal(vocab_string(utf8, NULL), "Pakistan’s");
  assert_null(vocab_string(0, NULL));
  assert_null(vocab_string(999, NULL));
  /* prefixes are different strings */
  assert_int_not_equal(vocab_intern("a", 1), nul);
}

static void test_growth(void **state) {
  (void)state;
  char buf[32];
  for (uint32_t i = 0; i < 200000; i++) {
    int n = snprintf(buf, sizeof buf, "w%u", i);
    assert_int_equal(vocab_intern(buf, (size_t)n), i + 1);
  }
  for (uint32_t i = 0; i < 200000; i += 997) {
    int n = snprintf(buf, sizeof buf, "w%u", i);
    assert_int_equal(vocab_lookup(buf, (size_t)n), i + 1);
    assert_string_equal(vocab_string(i + 1, NULL), buf);
  }
  assert_true(vocab_memory() > 200000 * 4);
}

static void test_long_string(void **state) {
  (void)state;
  static char big[3 << 20];
  memset(big, 'x', sizeof big);
  uint32_t id = vocab_intern(big, sizeof big);
  size_t len;
  assert_non_null(vocab_string(id, &len));
  assert_int_equal(len, sizeof big);
  assert_int_equal(vocab_lookup(big, sizeof big), id);
}

/* Threads intern overlapping words; each must see the same ids. */
#define WORDS 20000
static uint32_t seen[4][WORDS];

static void *worker(void *arg) {
  int t = (int)(intptr_t)arg;
  char buf[32];
  for (int round = 0; round < 3; round++)
    for (int i = 0; i < WORDS; i++) {
      int w = (i * 7 + t * 13) % WORDS;
      int n = snprintf(buf, sizeof buf, "word%d", w);
      seen[t][w] = vocab_intern(buf, (size_t)n);
    }
  return NULL;
}

static void test_threads_agree(void **state) {
  (void)state;
  pthread_t th[4];
  for (int t = 0; t < 4; t++)
    pthread_create(&th[t], NULL, worker, (void *)(intptr_t)t);
  for (int t = 0; t < 4; t++) pthread_join(th[t], NULL);
  assert_int_equal(vocab_size(), WORDS);
  for (int w = 0; w < WORDS; w++) {
    char buf[32];
    snprintf(buf, sizeof buf, "word%d", w);
    for (int t = 0; t < 4; t++) assert_int_equal(seen[t][w], seen[0][w]);
    assert_string_equal(vocab_string(seen[0][w], NULL), buf);
  }
}

static void test_reset_flushes_caches(void **state) {
  (void)state;
  uint32_t a = vocab_intern("alpha", 5);
  vocab_intern("beta", 4);
  vocab_reset();
  assert_int_equal(vocab_lookup("alpha", 5), 0);
  assert_int_equal(vocab_intern("beta", 4), a);   /* ids start again */
  assert_string_equal(vocab_string(a, NULL), "beta");
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup(test_intern_is_stable, setup),
    cmocka_unit_test_setup(test_strings_round_trip, setup),
    cmocka_unit_test_setup(test_growth, setup),
    cmocka_unit_test_setup(test_long_string, setup),
    cmocka_unit_test_setup(test_threads_agree, setup),
    cmocka_unit_test_setup(test_reset_flushes_caches, setup),
  };
  int rc = cmocka_run_group_tests(tests, NULL, NULL);
  vocab_reset();
  return rc;
}
