/*
** test_ngram_format.c -- unit tests of the saved format of count tables:
** escaping, save/load round trips, the errors of corrupt files (with file
** and line), CSV, and the streaming merge.
*/
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ng_env.h"
#include "ng_format.h"
#include "ng_order.h"
#include "ng_table.h"
#include "ng_testvocab.h"

static char dir[64];

static int setup(void **state) {
  (void)state;
  tv_install();
  snprintf(dir, sizeof dir, "/tmp/ngfmtXXXXXX");
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

static const char *path_of(const char *name) {
  static char buf[4][128];
  static int k;
  k = (k + 1) % 4;
  snprintf(buf[k], sizeof buf[k], "%s/%s", dir, name);
  return buf[k];
}

static void write_file(const char *name, const char *text) {
  FILE *f = fopen(path_of(name), "wb");
  assert_non_null(f);
  fputs(text, f);
  fclose(f);
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
  assert_int_equal(fread(s, 1, (size_t)n, f), (size_t)n);
  s[n] = '\0';
  fclose(f);
  return s;
}

/* Add the gram of words (NULL-terminated) with count and df to t. */
static void add(ng_table *t, const char *const *words, uint64_t count,
                uint32_t df) {
  uint32_t key[NG_MAX_N] = {0};
  int j;
  for (j = 0; words[j]; j++) key[j] = tv_intern(words[j], strlen(words[j]));
  assert_int_equal(ng_table_add(t, key, count, df), 0);
}

#define GRAM(...) ((const char *const[]){__VA_ARGS__, NULL})

static uint64_t count_of(const ng_table *t, const char *const *words) {
  uint32_t key[NG_MAX_N] = {0};
  const uint32_t *s;
  int j;
  for (j = 0; words[j]; j++) key[j] = tv_lookup(words[j], strlen(words[j]));
  s = ng_table_find(t, key);
  return s ? ng_table_count(t, s) : 0;
}

/* ------------------------------------------------------------------------
** Tests
*/

static void test_escape_roundtrip(void **state) {
  char word[256];
  ng_buf e, u;
  int c;
  size_t i;
  (void)state;
  for (c = 0; c < 256; c++) word[c] = (char)c;
  ng_buf_init(&e);
  ng_buf_init(&u);
  ng_escape_word(word, 256, &e);
  for (i = 0; i < e.n; i++) assert_true((unsigned char)e.p[i] > 0x20);
  assert_int_equal(ng_unescape_word(e.p, e.n, &u), 0);
  assert_int_equal(u.n, 256);
  assert_memory_equal(u.p, word, 256);
  e.n = 0;
  ng_escape_word("a\tb c\\d\n\x01", 9, &e);
  assert_string_equal(e.p, "a\\tb\\sc\\\\d\\n\\x01");
  assert_int_equal(ng_unescape_word("a\\q", 3, &u), -1);
  assert_int_equal(ng_unescape_word("a\\", 2, &u), -1);
  assert_int_equal(ng_unescape_word("\\x4", 3, &u), -1);
  assert_int_equal(ng_unescape_word("a b", 3, &u), -1);
  assert_int_equal(ng_unescape_word("\\x41\\X", 6, &u), -1);
  assert_int_equal(ng_unescape_word("\\x41", 4, &u), 0);
  assert_string_equal(u.p, "A");
  ng_buf_free(&e);
  ng_buf_free(&u);
}

static void test_save_load(void **state) {
  ng_table t, u;
  ng_meta m = {1, 2, 0, 7, 1, NULL}, m2;
  char *text, *err = NULL;
  (void)state;
  m.options = malloc(16);
  strcpy(m.options, "lower=false");
  assert_int_equal(ng_table_init(&t, 2, 0, 0), 0);
  add(&t, GRAM("b"), 5, 3);
  add(&t, GRAM("a"), 2, 2);
  add(&t, GRAM("a", "b"), 2, 1);
  add(&t, GRAM("tab\there"), 1, 1);
  add(&t, GRAM("new\nline", "sp ace"), 1, 1);
  add(&t, GRAM("back\\slash"), (1ull << 33) + 1, 4);
  assert_int_equal(ng_format_save(path_of("t.tsv"), &t, &m, &err), 0);
  text = read_file(path_of("t.tsv"));
  assert_string_equal(text,
    "#lector-ngram 1\tn=1..2\tskip=0\tdocs=7\tmin_count=1\t"
    "total=1:8589934601,2:3\toptions=lower=false\n"
    "a\t2\t2\n"
    "a b\t2\t1\n"
    "b\t5\t3\n"
    "back\\\\slash\t8589934593\t4\n"
    "new\\nline sp\\sace\t1\t1\n"
    "tab\\there\t1\t1\n");
  free(text);
  assert_int_equal(ng_format_load(path_of("t.tsv"), &u, &m2, &err), 0);
  assert_int_equal(u.used, t.used);
  assert_int_equal(m2.nmin, 1);
  assert_int_equal(m2.nmax, 2);
  assert_int_equal(m2.docs, 7);
  assert_string_equal(m2.options, "lower=false");
  assert_true(count_of(&u, GRAM("back\\slash")) == (1ull << 33) + 1);
  assert_int_equal(count_of(&u, GRAM("new\nline", "sp ace")), 1);
  assert_int_equal(u.total[1], t.total[1]);
  assert_int_equal(u.total[2], 3);
  assert_true(ng_meta_compatible(&m, &m2));
  ng_meta_free(&m);
  ng_meta_free(&m2);
  ng_table_free(&t);
  ng_table_free(&u);
}

/* Load text as a file; expect an error containing want. */
static void bad(const char *text, const char *want) {
  ng_table t;
  ng_meta m;
  char *err = NULL;
  write_file("bad.tsv", text);
  assert_int_equal(ng_format_load(path_of("bad.tsv"), &t, &m, &err), -1);
  if (!strstr(err, want)) fail_msg("error '%s' lacks '%s'", err, want);
  assert_non_null(strstr(err, "bad.tsv"));
  free(err);
}

#define HDR "#lector-ngram 1\tn=1..2\tdocs=1\n"

static void test_load_errors(void **state) {
  ng_table t;
  ng_meta m;
  char *err = NULL;
  (void)state;
  bad("", "bad.tsv:1: empty file");
  bad("gram\t1\t1\n", "bad.tsv:1: not a saved ngram table");
  bad("#lector-ngram 2\tn=1\n", ":1: unsupported format version");
  bad("#lector-ngram 1\tdocs=3\n", ":1: the header has no n");
  bad("#lector-ngram 1\tn=0\n", ":1: bad n");
  bad("#lector-ngram 1\tn=1..6\n", ":1: bad n");
  bad("#lector-ngram 1\tn=2..1\n", ":1: bad n");
  bad(HDR "a\t1\n", "bad.tsv:2: expected gram<TAB>count<TAB>df");
  bad(HDR "a\t1\t1\t1\n", ":2: expected gram");
  bad(HDR "a\t1\t1\nb\tx\t1\n", "bad.tsv:3: bad count");
  bad(HDR "a\t0\t0\n", ":2: bad count");
  bad(HDR "a\t1\t2\n", ":2: bad df");
  bad(HDR "a\t1\t1\r\n", ":2: bad df");
  bad(HDR "b\t1\t1\na\t1\t1\n", "bad.tsv:3: grams out of order");
  bad(HDR "a\t1\t1\na\t1\t1\n", ":3: duplicate gram");
  bad(HDR "a b c\t1\t1\n", ":2: gram longer than n");
  bad("#lector-ngram 1\tn=2\na\t1\t1\n", ":2: gram shorter than n");
  bad(HDR "a\\q\t1\t1\n", ":2: bad escape");
  bad(HDR "a  b\t1\t1\n", ":2: empty word");
  bad(HDR "\n", ":2: expected gram");
  bad("#lector-ngram 1\tn=1\ttotal=1:1\na\t2\t1\n", "less than the counts");
  assert_int_equal(ng_format_load(path_of("missing.tsv"), &t, &m, &err), -1);
  assert_non_null(strstr(err, "missing.tsv: No such file"));
  free(err);
  /* no final newline, unknown header fields: fine */
  write_file("ok.tsv", "#lector-ngram 1\tn=1\tfuture=x\na\t3\t1\nb\t1\t1");
  assert_int_equal(ng_format_load(path_of("ok.tsv"), &t, &m, &err), 0);
  assert_int_equal(t.total[1], 4);
  ng_table_free(&t);
  ng_meta_free(&m);
}

static void test_csv(void **state) {
  ng_table t;
  char *text, *err = NULL;
  (void)state;
  assert_int_equal(ng_table_init(&t, 2, 0, 0), 0);
  add(&t, GRAM("x"), 1, 1);
  add(&t, GRAM("say", "\"hi\""), 3, 2);
  add(&t, GRAM("1,000"), 3, 1);
  assert_int_equal(ng_format_csv(path_of("t.csv"), &t, &err), 0);
  text = read_file(path_of("t.csv"));
  assert_string_equal(text, "gram,n,count,df\n"
                            "\"1,000\",1,3,1\n"
                            "\"say \"\"hi\"\"\",2,3,2\n"
                            "x,1,1,1\n");
  free(text);
  assert_int_equal(ng_format_csv("/nonexistent/dir/t.csv", &t, &err), -1);
  assert_non_null(strstr(err, "/nonexistent/dir/t.csv"));
  free(err);
  ng_table_free(&t);
}

static void test_merge(void **state) {
  ng_table a, b, u;
  ng_meta m = {1, 2, 0, 2, 1, NULL}, m2;
  char a_path[128], b_path[128], c_path[128], d_path[128];
  const char *in[2];
  char *err = NULL;
  uint32_t i;
  (void)state;
  assert_int_equal(ng_table_init(&a, 2, 0, 0), 0);
  assert_int_equal(ng_table_init(&b, 2, 0, 0), 0);
  add(&a, GRAM("a"), 2, 1);
  add(&a, GRAM("a", "b"), 1, 1);
  add(&a, GRAM("c"), 4, 2);
  add(&b, GRAM("a"), 1, 1);
  add(&b, GRAM("b"), 7, 2);
  add(&b, GRAM("c"), 1, 1);
  add(&b, GRAM("d", "a"), 1, 1);
  assert_int_equal(ng_format_save(path_of("a.tsv"), &a, &m, &err), 0);
  m.docs = 3;
  assert_int_equal(ng_format_save(path_of("b.tsv"), &b, &m, &err), 0);
  snprintf(a_path, sizeof a_path, "%s", path_of("a.tsv"));
  snprintf(b_path, sizeof b_path, "%s", path_of("b.tsv"));
  snprintf(c_path, sizeof c_path, "%s", path_of("c.tsv"));
  snprintf(d_path, sizeof d_path, "%s", path_of("d.tsv"));
  in[0] = a_path;
  in[1] = b_path;
  assert_int_equal(ng_format_merge(path_of("m.tsv"), in, 2, &err), 0);
  assert_int_equal(ng_format_load(path_of("m.tsv"), &u, &m2, &err), 0);
  assert_int_equal(m2.docs, 5);
  assert_int_equal(u.used, 5);
  assert_int_equal(count_of(&u, GRAM("a")), 3);
  assert_int_equal(count_of(&u, GRAM("c")), 5);
  assert_int_equal(count_of(&u, GRAM("b")), 7);
  assert_int_equal(u.total[1], a.total[1] + b.total[1]);
  /* the same as merging the tables */
  assert_int_equal(ng_table_merge(&a, &b), 0);
  for (i = 0; i < a.cap; i++) {
    const uint32_t *s = ng_table_slot(&a, i), *t;
    if (!s) continue;
    t = ng_table_find(&u, s);
    assert_non_null(t);
    assert_int_equal(ng_table_count(&a, s), ng_table_count(&u, t));
    assert_int_equal(s[NG_DF(&a)], t[NG_DF(&u)]);
  }
  ng_table_free(&u);
  ng_meta_free(&m2);
  /* incompatible headers, a corrupt input */
  m.skip = 1;
  assert_int_equal(ng_format_save(path_of("c.tsv"), &b, &m, &err), 0);
  in[1] = c_path;
  assert_int_equal(ng_format_merge(path_of("m2.tsv"), in, 2, &err), -1);
  assert_non_null(strstr(err, "c.tsv: counted with other options"));
  free(err);
  write_file("d.tsv", "#lector-ngram 1\tn=1..2\ttotal=1:2\nz\t1\t1\na\t1\t1\n");
  in[1] = d_path;
  assert_int_equal(ng_format_merge(path_of("m3.tsv"), in, 2, &err), -1);
  assert_non_null(strstr(err, "d.tsv:3: grams out of order"));
  free(err);
  assert_int_equal(access(path_of("m3.tsv"), F_OK), -1);
  ng_table_free(&a);
  ng_table_free(&b);
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown(test_escape_roundtrip, setup, teardown),
    cmocka_unit_test_setup_teardown(test_save_load, setup, teardown),
    cmocka_unit_test_setup_teardown(test_load_errors, setup, teardown),
    cmocka_unit_test_setup_teardown(test_csv, setup, teardown),
    cmocka_unit_test_setup_teardown(test_merge, setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
