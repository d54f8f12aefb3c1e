/*
** fuzz_ngram_merge.c -- libFuzzer target for the streaming side of the
** count-table reader (plugins/ngram/ng_format.c): the k-way merge of saved
** tables (ng_format_merge_x: runs of a count within a budget and
** ngram.merge_files) and the line stream with seeks (ng_stream: tables on
** disk).  The input is cut at each "\n--\n" into up to four files.
**   - The merge either fails with a message naming a file, or writes a
**     table that loads and equals the in-memory merge of the loaded inputs
**     (every gram, count, df, docs and total); with min_count, exactly
**     the grams of that merge counted that often.
**   - A stream of each input that loads yields its lines (as many as the
**     table holds, each found in it with that count and df); seeking to
**     the start of any line read yields that line again.
** The engine runs with malloc, the unit tests' vocabulary (ng_testvocab)
** and the host's output helper (core/output.c), in a temporary folder.
**
**   ./fuzz_ngram_merge -max_total_time=30 CORPUS_DIR tests/fuzz/ngram_merge
*/
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lector/kit.h"
#include "ng_format.h"
#include "ng_table.h"
#include "ng_testvocab.h"
#include "output.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(c) do { if (!(c)) { fprintf(stderr, "CHECK %s\n", #c); \
                                  abort(); } } while (0)
#define NIN 4

static char dir[64];
static char in_path[NIN][96], out_path[96];

static void setup(void) {
  int i;
  tv_install();
  snprintf(dir, sizeof dir, "/tmp/fuzz_ngmerge_XXXXXX");
  CHECK(mkdtemp(dir) != NULL);
  for (i = 0; i < NIN; i++)
    snprintf(in_path[i], sizeof in_path[i], "%s/in%d.tsv", dir, i);
  snprintf(out_path, sizeof out_path, "%s/out.tsv", dir);
}

static void put(const char *path, const void *p, size_t n) {
  FILE *f = fopen(path, "wb");
  CHECK(f != NULL);
  CHECK(n == 0 || fwrite(p, 1, n, f) == n);
  CHECK(fclose(f) == 0);
}

/* The key of the escaped gram g[0..n) (words looked up), into key.
** 1, or 0 when a word is unknown or there are too many. */
static int key_of(const char *g, size_t n, uint32_t *key, int width,
                  ng_buf *w) {
  size_t i = 0;
  int k = 0;
  memset(key, 0, (size_t)width * sizeof *key);
  while (i <= n) {
    const char *sp = memchr(g + i, ' ', n - i);
    size_t e = sp ? (size_t)(sp - g) : n;
    if (k == width || ng_unescape_word(g + i, e - i, w) != 0) return 0;
    if (!(key[k++] = tv_lookup(w->p, w->n))) return 0;
    if (!sp) break;
    i = e + 1;
  }
  return 1;
}

/* Stream path (a table that loaded as t) and check it against t. */
static void check_stream(const char *path, const ng_table *t) {
  ng_stream *st;
  ng_stream_row row;
  uint64_t offs[8], lines = 0;
  char *err = NULL, grams[8][64];
  size_t glen[8];
  int rc, k = 0, i;
  ng_buf plain;
  ng_buf_init(&plain);
  CHECK(ng_stream_open(&st, path, &err) == 0);
  for (;;) {
    uint64_t at = ng_stream_tell(st);
    uint32_t key[NG_MAX_N];
    const uint32_t *s;
    if ((rc = ng_stream_next(st, &row, &err)) != 1) break;
    CHECK(key_of(row.gram, row.len, key, t->width, &plain));
    s = ng_table_find(t, key);
    CHECK(s != NULL);
    CHECK(ng_table_count(t, s) == row.count && s[NG_DF(t)] == row.df);
    if (k < 8 && row.len < sizeof grams[0]) {
      offs[k] = at;
      memcpy(grams[k], row.gram, row.len);
      glen[k++] = row.len;
    }
    lines++;
  }
  CHECK(rc == 0);
  CHECK(lines == t->used);
  for (i = k; i-- > 0;) {                 /* seek back to each */
    CHECK(ng_stream_seek(st, offs[i], &err) == 0);
    CHECK(ng_stream_next(st, &row, &err) == 1);
    CHECK(row.len == glen[i] && memcmp(row.gram, grams[i], glen[i]) == 0);
  }
  ng_stream_close(st);
  ng_buf_free(&plain);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static int ready;
  const char *paths[NIN];
  ng_table t[NIN], sum, got;
  ng_meta m[NIN], gm;
  ng_merge_opts mo;
  char *err = NULL;
  size_t n = 0, at = 0;
  int loaded = 1, i;
  uint64_t min_count = size > 0 ? data[0] % 3 : 0;
  if (!ready) {
    setup();
    ready = 1;
  }
  while (n < NIN) {                       /* cut at "\n--\n" */
    const uint8_t *sep = NULL;
    size_t j;
    for (j = at; j + 4 <= size; j++)
      if (memcmp(data + j, "\n--\n", 4) == 0) { sep = data + j; break; }
    put(in_path[n], data + at, sep ? (size_t)(sep - data) + 1 - at
                                   : size - at);
    paths[n] = in_path[n];
    n++;
    if (!sep) break;
    at = (size_t)(sep - data) + 4;
  }
  for (i = 0; i < (int)n; i++) {
    memset(&t[i], 0, sizeof t[i]);
    memset(&m[i], 0, sizeof m[i]);
    if (ng_format_load(paths[i], &t[i], &m[i], &err) != 0) {
      free(err);
      err = NULL;
      loaded = 0;
    } else {
      check_stream(paths[i], &t[i]);
    }
  }
  memset(&mo, 0, sizeof mo);
  mo.min_count = min_count;
  if (ng_format_merge_x(out_path, paths, n, &mo, &err) != 0) {
    CHECK(err != NULL && strstr(err, dir) != NULL);
    free(err);
  } else {
    CHECK(loaded);
    /* the in-memory merge of the inputs */
    CHECK(ng_table_init(&sum, m[0].nmax, 0, 0) == 0);
    for (i = 0; i < (int)n; i++) CHECK(ng_table_merge(&sum, &t[i]) == 0);
    CHECK(ng_format_load(out_path, &got, &gm, &err) == 0);
    {
      uint64_t docs = 0, kept = 0;
      uint32_t j;
      int k;
      for (i = 0; i < (int)n; i++) docs += m[i].docs;
      CHECK(gm.docs == docs);
      for (k = 1; k <= NG_MAX_N; k++) CHECK(got.total[k] == sum.total[k]);
      for (j = 0; j < sum.cap; j++) {
        const uint32_t *s = ng_table_slot(&sum, j), *g;
        if (!s) continue;
        g = ng_table_find(&got, s);
        if (ng_table_count(&sum, s) < (min_count ? min_count : 1)) {
          CHECK(g == NULL);
          continue;
        }
        kept++;
        CHECK(g != NULL);
        CHECK(ng_table_count(&got, g) == ng_table_count(&sum, s));
        CHECK(g[NG_DF(&got)] == s[NG_DF(&sum)]);
      }
      CHECK(kept == got.used);
    }
    check_stream(out_path, &got);
    ng_table_free(&sum);
    ng_table_free(&got);
    ng_meta_free(&gm);
  }
  for (i = 0; i < (int)n; i++) {
    ng_table_free(&t[i]);
    ng_meta_free(&m[i]);
  }
  tv_reset();
  return 0;
}
