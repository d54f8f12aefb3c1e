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

#include "lector/kit.h"
#include "ng_format.h"
#include "output.h"
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
  /* one spelling per word: \x only for what ng_esc writes so */
  assert_int_equal(ng_unescape_word("\\x41", 4, &u), -1);
  assert_int_equal(ng_unescape_word("\\x09", 4, &u), -1);
  assert_int_equal(ng_unescape_word("\\x1F", 4, &u), -1);
  assert_int_equal(ng_unescape_word("\\x1f", 4, &u), 0);
  assert_string_equal(u.p, "\x1f");
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
    "#lector-ngram 2\tn=1..2\tskip=0\tdocs=7\tmin_count=1\t"
    "total=1:8589934601,2:3\toptions=lower=false\n"
    "a\t2\t2\n"
    "a b\t2\t1\n"
    "b\t5\t3\n"
    "back\\\\slash\t8589934593\t4\n"
    "new\\nline sp\\sace\t1\t1\n"
    "tab\\there\t1\t1\n"
    "#end 6 8589934604\n");
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
  lk_free(err);
}

#define HDR "#lector-ngram 1\tn=1..2\tdocs=1\n"
#define V2 "#lector-ngram 2\tn=1..2\tskip=0\tdocs=3\tmin_count=1\t" \
           "total=1:30,2:30\toptions=\n"

static void test_load_errors(void **state) {
  ng_table t;
  ng_meta m;
  char *err = NULL;
  (void)state;
  bad("", "bad.tsv:1: empty file");
  bad("gram\t1\t1\n", "bad.tsv:1: not a saved ngram table");
  bad("#lector-ngram 3\tn=1\n", ":1: unsupported format version");
  bad("#lector-ngram 1\tdocs=3\n", ":1: the header has no n");
  bad("#lector-ngram 1\tn=0\n", ":1: bad header field 'n=0'");
  bad("#lector-ngram 1\tn=1..6\n", ":1: bad header field 'n=1..6'");
  bad("#lector-ngram 1\tn=2..1\n", ":1: bad header field 'n=2..1'");
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
  bad("#lector-ngram 1\tn=1\ttotal=1:1\na\t2\t1\n",
      ":2: the counts add up to more than the header's total");
  assert_int_equal(ng_format_load(path_of("missing.tsv"), &t, &m, &err), -1);
  assert_non_null(strstr(err, "missing.tsv: No such file"));
  lk_free(err);
  /* version 1: unknown header fields are fine; a last line without its
  ** LF is not (the file was cut) */
  write_file("ok.tsv", "#lector-ngram 1\tn=1\tfuture=x\na\t3\t1\nb\t1\t1\n");
  assert_int_equal(ng_format_load(path_of("ok.tsv"), &t, &m, &err), 0);
  assert_int_equal(t.total[1], 4);
  ng_table_free(&t);
  ng_meta_free(&m);
  bad("#lector-ngram 1\tn=1\na\t3\t1\nb\t1\t1", ":3: the last line has no end");
}

/* Issue 12 item 18: version 2 is strict, and every error names file:line
** and what is wrong. */
static void test_load_strict(void **state) {
  (void)state;
  /* the header: fields known, once, in order; total within n */
  bad("#lector-ngram 2\tn=1\tskip=0\tdocs=1\tmin_count=1\ttotal=2:5\t"
      "options=\n#end 0 0\n", "bad.tsv:1: bad header field 'total=2:5'");
  bad("#lector-ngram 2\tn=1\tskip=0\tdocs=1\tmin_count=1\ttotal=1:5:7\t"
      "options=\n#end 0 0\n", ":1: bad header field 'total=1:5:7'");
  bad("#lector-ngram 2\tn=1..2\tskip=0\tdocs=1\tmin_count=1\ttotal=1:5\t"
      "options=\n#end 0 0\n", ":1: bad header field 'total=1:5': its "
      "lengths are not those of n");
  bad("#lector-ngram 2\tn=1\tskip=0\tdocs=1\tmin_count=1\ttotal=1:5\t"
      "options=\tfuture=1\n#end 0 0\n", "bad header field 'future=1': "
      "unknown field");
  bad("#lector-ngram 2\tn=1\tskip=0\tskip=0\tdocs=1\tmin_count=1\t"
      "total=1:5\toptions=\n#end 0 0\n", "'skip=0': given twice");
  bad("#lector-ngram 2\tn=1\tdocs=1\tskip=0\tmin_count=1\ttotal=1:5\t"
      "options=\n#end 0 0\n", "'docs=1': out of place");
  bad("#lector-ngram 2\tn=1\tskip=0\tdocs=1\tmin_count=1\ttotal=1:5\n"
      "#end 0 0\n", ":1: the header has no options");
  bad("#lector-ngram 2\tn=1\tskip=0\tdocs=01\tmin_count=1\ttotal=1:5\t"
      "options=\n#end 0 0\n", "'docs=01'");
  bad("#lector-ngram 2\tn=1\tskip=0\tdocs=1\tmin_count=0\ttotal=1:5\t"
      "options=\n#end 0 0\n", "'min_count=0'");
  bad("#lector-ngram 2\tn=1\tskip=0\tdocs=9223372036854775808\t"
      "min_count=1\ttotal=1:5\toptions=\n#end 0 0\n", "'docs=92233");
  /* one spelling per word: "\x61" is not "a" */
  bad(V2 "\\x61\t1\t1\na\t1\t1\n#end 2 2\n", "bad.tsv:2: bad escape");
  /* df within docs, counts within a Lua integer and canonical */
  bad(V2 "a\t4\t4\n#end 1 4\n", ":2: df greater than the header's docs");
  bad(V2 "a\t9223372036854775808\t1\n#end 1 1\n", ":2: bad count");
  bad(V2 "a\t18446744073709551615\t1\n#end 1 1\n", ":2: bad count");
  bad(V2 "a\t01\t1\n#end 1 1\n", ":2: bad count");
  bad(V2 "a\t1\t+1\n#end 1 1\n", ":2: bad df");
  /* order, duplicates */
  bad(V2 "b\t1\t1\na\t1\t1\n#end 2 2\n", ":3: grams out of order");
  bad(V2 "a b\t1\t1\na b\t1\t1\n#end 2 2\n", ":3: duplicate gram");
  /* the trailer */
  bad(V2 "a\t1\t1\n", "bad.tsv: the file is cut short");
  bad(V2, "bad.tsv: the file is cut short");
  bad(V2 "a\t1\t1\n#end 2 1\n", ":3: the end line says 2 grams");
  bad(V2 "a\t1\t1\n#end 1 2\n", "the file is damaged");
  bad(V2 "a\t1\t1\n#end 1 1\nb\t1\t1\n", ":4: text after the end line");
  bad(V2 "a\t1\t1\n#end 1\n", ":3: bad end line");
  bad(V2 "a\t1\t1\n#end 1 1", ":3: the last line has no end");
  /* found by fuzz_ngram_table: options are kept as a C string */
  bad("#lector-ngram 2\tn=1\tskip=0\tdocs=1\tmin_count=1\ttotal=1:5\t"
      "options=a\001b\n#end 0 0\n", "holds a control byte");
}

/* Found by fuzz_ngram_table: a version 1 table without docs saved docs=0,
** then its dfs (> docs) failed to load.  Its docs is the largest df. */
static void test_v1_without_docs(void **state) {
  ng_table t, u;
  ng_meta m, m2;
  char *err = NULL;
  (void)state;
  write_file("v1.tsv", "#lector-ngram 1\tn=1\na\t2\t2\nb\t3\t1\n");
  assert_int_equal(ng_format_load(path_of("v1.tsv"), &t, &m, &err), 0);
  assert_int_equal(m.docs, 2);
  assert_int_equal(ng_format_save(path_of("v2.tsv"), &t, &m, &err), 0);
  if (ng_format_load(path_of("v2.tsv"), &u, &m2, &err) != 0)
    fail_msg("%s", err);
  ng_table_free(&t);
  ng_table_free(&u);
  ng_meta_free(&m);
  ng_meta_free(&m2);
}

/* Issue 12 items 11 and 13: a saved file cut anywhere, even at a line
** end, fails to load and names the file; a word longer than 64 KiB (and
** than a read block) saves and loads. */
static void test_truncated_and_long(void **state) {
  ng_table t, u;
  ng_meta m = {1, 2, 0, 3, 1, NULL}, m2;
  char *text, *err = NULL, *word;
  size_t len, cut, wl = 200000;
  FILE *f;
  (void)state;
  assert_int_equal(ng_table_init(&t, 2, 0, 0), 0);
  add(&t, GRAM("alpha"), 3, 2);
  add(&t, GRAM("alpha", "beta"), 2, 2);
  add(&t, GRAM("gamma"), 1, 1);
  assert_int_equal(ng_format_save(path_of("t.tsv"), &t, &m, &err), 0);
  text = read_file(path_of("t.tsv"));
  len = strlen(text);
  for (cut = 0; cut < len; cut++) {
    ng_table x;
    ng_meta mx;
    f = fopen(path_of("cut.tsv"), "wb");
    assert_non_null(f);
    fwrite(text, 1, cut, f);
    fclose(f);
    if (ng_format_load(path_of("cut.tsv"), &x, &mx, &err) == 0)
      fail_msg("a file cut at byte %zu of %zu loads", cut, len);
    assert_non_null(strstr(err, "cut.tsv"));
    lk_free(err);
    err = NULL;
  }
  free(text);
  ng_table_free(&t);
  word = malloc(wl);
  memset(word, 'w', wl);
  word[wl - 1] = 'z';
  assert_int_equal(ng_table_init(&t, 2, 0, 0), 0);
  {
    uint32_t key[NG_MAX_N] = {0};
    key[0] = tv_intern(word, wl);
    key[1] = tv_intern("b", 1);
    assert_int_equal(ng_table_add(&t, key, 4, 1), 0);
  }
  assert_int_equal(ng_format_save(path_of("long.tsv"), &t, &m, &err), 0);
  if (ng_format_load(path_of("long.tsv"), &u, &m2, &err) != 0)
    fail_msg("%s", err);
  assert_int_equal(u.used, 1);
  assert_int_equal(u.total[2], 4);
  ng_table_free(&u);
  ng_meta_free(&m2);
  ng_table_free(&t);
  free(word);
}

static int always(void) { return 1; }

/* Issue 12 item 9: load, save, to_csv and merge stop when interrupted; the
** old file stays. */
static void test_interrupted(void **state) {
  ng_table t, u;
  ng_meta m = {1, 1, 0, 1, 1, NULL}, m2;
  lk_env e, saved = lk_env_cur;
  char *err = NULL, *before, *after;
  const char *in[1];
  char p[128];
  (void)state;
  assert_int_equal(ng_table_init(&t, 1, 0, 0), 0);
  add(&t, GRAM("x"), 1, 1);
  assert_int_equal(ng_format_save(path_of("i.tsv"), &t, &m, &err), 0);
  before = read_file(path_of("i.tsv"));
  memset(&e, 0, sizeof e);
  e.interrupted = always;
  lk_env_set(&e);
  assert_int_equal(ng_format_load(path_of("i.tsv"), &u, &m2, &err), -1);
  assert_string_equal(err, "interrupted");
  lk_free(err);
  add(&t, GRAM("y"), 1, 1);
  assert_int_equal(ng_format_save(path_of("i.tsv"), &t, &m, &err), -1);
  assert_string_equal(err, "interrupted");
  lk_free(err);
  assert_int_equal(ng_format_csv(path_of("i.csv"), &t, &err), -1);
  assert_string_equal(err, "interrupted");
  lk_free(err);
  assert_int_equal(access(path_of("i.csv"), F_OK), -1);
  snprintf(p, sizeof p, "%s", path_of("i.tsv"));
  in[0] = p;
  assert_int_equal(ng_format_merge(path_of("j.tsv"), in, 1, &err), -1);
  assert_string_equal(err, "interrupted");
  lk_free(err);
  lk_env_cur = saved;
  after = read_file(path_of("i.tsv"));
  assert_string_equal(before, after);
  free(before);
  free(after);
  ng_table_free(&t);
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
  lk_free(err);
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
  lk_free(err);
  write_file("d.tsv", "#lector-ngram 1\tn=1..2\tdocs=2\ttotal=1:2,2:0\nz\t1\t1\na\t1\t1\n");
  in[1] = d_path;
  assert_int_equal(ng_format_merge(path_of("m3.tsv"), in, 2, &err), -1);
  assert_non_null(strstr(err, "d.tsv:3: grams out of order"));
  lk_free(err);
  assert_int_equal(access(path_of("m3.tsv"), F_OK), -1);
  ng_table_free(&a);
  ng_table_free(&b);
}

/* Issue 12 items 10 and 18: an output that is an input is refused (the
** input intact); sums past 2^63-1 are a "count overflow", not a wrap. */
static void test_merge_refusals(void **state) {
  char a_path[128], b_path[128], *before, *after, *err = NULL;
  const char *in[2];
  (void)state;
  write_file("a.tsv", "#lector-ngram 2\tn=1\tskip=0\tdocs=1\tmin_count=1\t"
             "total=1:9223372036854775807\toptions=\n"
             "a\t9223372036854775807\t1\n#end 1 9223372036854775807\n");
  write_file("b.tsv", "#lector-ngram 2\tn=1\tskip=0\tdocs=1\tmin_count=1\t"
             "total=1:1\toptions=\na\t1\t1\n#end 1 1\n");
  snprintf(a_path, sizeof a_path, "%s", path_of("a.tsv"));
  snprintf(b_path, sizeof b_path, "%s", path_of("b.tsv"));
  in[0] = a_path;
  in[1] = b_path;
  before = read_file(a_path);
  assert_int_equal(ng_format_merge(a_path, in, 2, &err), -1);
  if (!strstr(err, "a.tsv")) fail_msg("%s", err);
  lk_free(err);
  after = read_file(a_path);
  assert_string_equal(before, after);
  free(before);
  free(after);
  assert_int_equal(ng_format_merge(path_of("m.tsv"), in, 2, &err), -1);
  if (!strstr(err, "count overflow")) fail_msg("%s", err);
  lk_free(err);
  assert_int_equal(access(path_of("m.tsv"), F_OK), -1);
  /* counts that fit, totals that do not */
  write_file("b.tsv", "#lector-ngram 2\tn=1\tskip=0\tdocs=1\tmin_count=1\t"
             "total=1:1\toptions=\nb\t1\t1\n#end 1 1\n");
  assert_int_equal(ng_format_merge(path_of("m.tsv"), in, 2, &err), -1);
  if (!strstr(err, "count overflow")) fail_msg("%s", err);
  lk_free(err);
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown(test_escape_roundtrip, setup, teardown),
    cmocka_unit_test_setup_teardown(test_save_load, setup, teardown),
    cmocka_unit_test_setup_teardown(test_load_errors, setup, teardown),
    cmocka_unit_test_setup_teardown(test_load_strict, setup, teardown),
    cmocka_unit_test_setup_teardown(test_v1_without_docs, setup, teardown),
    cmocka_unit_test_setup_teardown(test_truncated_and_long, setup, teardown),
    cmocka_unit_test_setup_teardown(test_interrupted, setup, teardown),
    cmocka_unit_test_setup_teardown(test_csv, setup, teardown),
    cmocka_unit_test_setup_teardown(test_merge, setup, teardown),
    cmocka_unit_test_setup_teardown(test_merge_refusals, setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
