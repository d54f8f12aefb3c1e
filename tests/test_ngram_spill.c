/*
** test_ngram_spill.c -- unit tests of counting within a memory budget
** (plugins/ngram/ng_spill.c): a run is the saved table of its grams, byte
** for byte (big counts and escapes included); many runs merge in passes
** to the sums; the folder is removed; sizes parse.
*/
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lector/kit.h"
#include "ng_format.h"
#include "ng_spill.h"
#include "ng_table.h"
#include "ng_testvocab.h"

static char dir[64];

static int setup(void **state) {
  (void)state;
  tv_install();
  snprintf(dir, sizeof dir, "/tmp/ngspillXXXXXX");
  assert_non_null(mkdtemp(dir));
  return 0;
}

static int teardown(void **state) {
  char cmd[128];
  (void)state;
  tv_reset();
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
  assert_int_equal(system(cmd), 0);
  return 0;
}

static char *read_file(const char *path) {
  FILE *f = fopen(path, "rb");
  char *s;
  long n;
  assert_non_null(f);
  fseek(f, 0, SEEK_END);
  n = ftell(f);
  rewind(f);
  s = malloc((size_t)n + 1);
  assert_non_null(s);
  assert_int_equal(fread(s, 1, (size_t)n, f), (size_t)n);
  s[n] = '\0';
  fclose(f);
  return s;
}

/* Entries of folder d (not . and ..), or -1 when it does not exist. */
static int entries(const char *d) {
  DIR *x = opendir(d);
  struct dirent *e;
  int n = 0;
  if (!x) return -1;
  while ((e = readdir(x)))
    if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) n++;
  closedir(x);
  return n;
}

static void key_of(uint32_t *key, int width, const char *a, const char *b) {
  memset(key, 0, (size_t)width * sizeof *key);
  key[0] = tv_intern(a, strlen(a));
  if (b) key[1] = tv_intern(b, strlen(b));
}

static void test_sizes(void **state) {
  static const struct { const char *s; uint64_t v; } ok[] = {
    {"512M", 512ull << 20}, {"64k", 64ull << 10}, {"2GB", 2ull << 30},
    {"1000", 1000}, {"7b", 7}, {"1T", 1ull << 40}, {"3mb", 3ull << 20},
  };
  static const char *const bad[] = {
    "", "M", "12X", "1.5G", "-1", "99999999999999999999", "1MBB", "5 M",
    "16777216T",
  };
  size_t i;
  uint64_t v;
  (void)state;
  for (i = 0; i < sizeof ok / sizeof *ok; i++) {
    assert_int_equal(ng_spill_parse_size(ok[i].s, strlen(ok[i].s), &v), 0);
    assert_int_equal(v, ok[i].v);
  }
  for (i = 0; i < sizeof bad / sizeof *bad; i++)
    if (ng_spill_parse_size(bad[i], strlen(bad[i]), &v) == 0)
      fail_msg("'%s' parsed as %llu", bad[i], (unsigned long long)v);
}

/* A stamped table's run is what ng_format_save writes of the same grams:
** counts past 2^32 (the carry list), words needing escapes, grams of
** two lengths. */
static void test_run_is_saved_table(void **state) {
  ng_table t, u;
  ng_spill sp;
  ng_meta m;
  uint32_t key[NG_MAX_N];
  char *err = NULL, *run, *saved, path[128];
  int pass;
  (void)state;
  assert_int_equal(ng_table_init(&t, 2, 1, 0), 0);
  assert_int_equal(ng_table_init(&u, 2, 0, 0), 0);
  for (pass = 0; pass < 2; pass++) {
    ng_table *x = pass ? &u : &t;
    key_of(key, 2, "a", NULL);
    assert_int_equal(ng_table_add(x, key, (1ull << 32) + 5, 3), 0);
    key_of(key, 2, "a", "z");
    assert_int_equal(ng_table_add(x, key, 7, 2), 0);
    key_of(key, 2, "z", NULL);
    assert_int_equal(ng_table_add(x, key, 1, 1), 0);
    key_of(key, 2, "b c", "a");
    assert_int_equal(ng_table_add(x, key, 3, 1), 0);
    key_of(key, 2, "tab\there", "a");
    assert_int_equal(ng_table_add(x, key, 4294967295u, 4), 0);
    key_of(key, 2, "ab", NULL);
    assert_int_equal(ng_table_add(x, key, 2, 2), 0);
  }
  ng_spill_init(&sp, dir, 1, 1, 2, 0);
  assert_int_equal(ng_spill_write(&sp, 0, &t, 10, &err), 0);
  assert_int_equal(sp.nruns, 1);
  assert_int_equal(t.used, 0);                     /* emptied ... */
  assert_true(t.total[1] == (1ull << 32) + 8);     /* ... totals kept */
  memset(&m, 0, sizeof m);
  m.nmin = 1;
  m.nmax = 2;
  m.docs = 10;
  m.min_count = 1;
  snprintf(path, sizeof path, "%s/saved.tsv", dir);
  assert_int_equal(ng_format_save(path, &u, &m, &err), 0);
  run = read_file(sp.runs[0].path);
  saved = read_file(path);
  assert_string_equal(run, saved);
  assert_non_null(strstr(run, "a\t4294967301\t3\n"));
  assert_non_null(strstr(run, "b\\sc a\t3\t1\n"));
  free(run);
  free(saved);
  unlink(path);
  ng_spill_free(&sp);
  assert_int_equal(entries(dir), 0);               /* the folder went */
  ng_table_free(&t);
  ng_table_free(&u);
}

#define NRUNS 150

/* More runs than one merge takes: passes of NG_MERGE_FANIN, then each
** group's table holds the sums; the runs are gone; min_count applies. */
static void test_many_runs(void **state) {
  static const char *const words[] = {"w0", "w1", "w2", "w3", "w4", "w5",
                                      "w6"};
  uint64_t want[2][7], common[2] = {0, 0}, docs[2] = {0, 0};
  uint64_t tot[2][NG_MAX_N + 1];
  ng_spill sp;
  ng_meta base, m;
  ng_table t, got;
  uint32_t key[NG_MAX_N];
  char *err = NULL, *sub;
  int r, g, w;
  (void)state;
  memset(want, 0, sizeof want);
  memset(tot, 0, sizeof tot);
  ng_spill_init(&sp, dir, 1, 1, 1, 0);
  for (r = 0; r < NRUNS; r++) {
    g = r % 2;
    assert_int_equal(ng_table_init(&t, 1, 1, 0), 0);
    key_of(key, 1, words[r % 7], NULL);
    assert_int_equal(ng_table_add(&t, key, (uint64_t)r + 1, 1), 0);
    key_of(key, 1, "common", NULL);
    assert_int_equal(ng_table_add(&t, key, 1, 1), 0);
    want[g][r % 7] += (uint64_t)r + 1;
    common[g]++;
    docs[g]++;
    tot[g][1] += (uint64_t)r + 2;
    assert_int_equal(ng_spill_write(&sp, (uint32_t)g, &t, 1, &err), 0);
    ng_table_free(&t);
  }
  assert_int_equal(entries(sp.dir), NRUNS);
  memset(&base, 0, sizeof base);
  base.nmin = base.nmax = 1;
  base.options = (char *)"lower=true";
  assert_int_equal(ng_spill_finish(&sp, 2, &base, docs,
                                   (const uint64_t (*)[NG_MAX_N + 1])tot, 80,
                                   &err), 0);
  assert_int_equal(entries(sp.dir), 2);            /* the results only */
  for (g = 0; g < 2; g++) {
    uint64_t lines = 0;
    assert_int_equal(ng_format_load(sp.files[g], &got, &m, &err), 0);
    assert_int_equal(m.docs, docs[g]);
    assert_int_equal(m.min_count, 80);
    assert_string_equal(m.options, "lower=true");
    assert_true(got.total[1] == tot[g][1]);
    for (w = 0; w < 7; w++) {
      const uint32_t *s;
      key_of(key, 1, words[w], NULL);
      s = ng_table_find(&got, key);
      if (want[g][w] < 80) {
        assert_null(s);
        continue;
      }
      assert_non_null(s);
      assert_true(ng_table_count(&got, s) == want[g][w]);
      lines++;
    }
    key_of(key, 1, "common", NULL);
    assert_null(ng_table_find(&got, key));         /* 75 < 80 */
    assert_int_equal(sp.lines[g], lines);
    ng_table_free(&got);
    ng_meta_free(&m);
  }
  /* a taken result belongs to the caller */
  sub = ng_spill_take(&sp, 1);
  assert_non_null(sub);
  assert_null(ng_spill_take(&sp, 1));
  ng_spill_free(&sp);                              /* result 0 goes */
  assert_int_equal(entries(dir), 1);               /* the folder stays */
  ng_spill_remove(sub);                            /* then it goes too */
  assert_int_equal(entries(dir), 0);
}

static void test_bad_tmpdir(void **state) {
  ng_spill sp;
  ng_table t;
  uint32_t key[NG_MAX_N];
  char *err = NULL, bad[96];
  (void)state;
  snprintf(bad, sizeof bad, "%s/none", dir);
  ng_spill_init(&sp, bad, 1, 1, 1, 0);
  assert_int_equal(ng_table_init(&t, 1, 1, 0), 0);
  key_of(key, 1, "x", NULL);
  assert_int_equal(ng_table_add(&t, key, 1, 1), 0);
  assert_int_equal(ng_spill_write(&sp, 0, &t, 1, &err), -1);
  assert_non_null(strstr(err, "none': cannot make a temporary folder"));
  lk_free(err);
  ng_table_free(&t);
  ng_spill_free(&sp);
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_sizes),
    cmocka_unit_test_setup_teardown(test_run_is_saved_table, setup, teardown),
    cmocka_unit_test_setup_teardown(test_many_runs, setup, teardown),
    cmocka_unit_test_setup_teardown(test_bad_tmpdir, setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
