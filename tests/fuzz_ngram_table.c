/*
** fuzz_ngram_table.c -- libFuzzer target for the count-table reader
** (ng_format_load, plugins/ngram/ng_format.c).  Any bytes either load or
** fail with a message naming the file; ASan/UBSan catch the rest.  For
** every input that loads:
**   - save(load(x)) loads again, and saving that gives the same bytes
**     (load -> save -> load -> save is byte-identical);
**   - a version 2 input is canonical: save(load(x)) is x itself (one
**     spelling per table: fields, escapes, numbers, order, trailer).
** The engine runs with malloc, the unit tests' vocabulary (ng_testvocab)
** and the host's output helper (core/output.c), in a temporary folder.
**
**   clang -fsanitize=fuzzer,address,undefined ... (see tests/CMakeLists.txt)
**   ./fuzz_ngram_table -max_total_time=30 CORPUS_DIR tests/fuzz/ngram_table
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

static char dir[64];
static char in_path[96], a_path[96], b_path[96];

static void setup(void) {
  tv_install();           /* malloc, its vocabulary, the output helper */
  snprintf(dir, sizeof dir, "/tmp/fuzz_ngram_XXXXXX");
  CHECK(mkdtemp(dir) != NULL);
  snprintf(in_path, sizeof in_path, "%s/in.tsv", dir);
  snprintf(a_path, sizeof a_path, "%s/a.tsv", dir);
  snprintf(b_path, sizeof b_path, "%s/b.tsv", dir);
}

static void put(const char *path, const void *p, size_t n) {
  FILE *f = fopen(path, "wb");
  CHECK(f != NULL);
  CHECK(n == 0 || fwrite(p, 1, n, f) == n);
  CHECK(fclose(f) == 0);
}

/* The bytes of path (malloc) and their number. */
static char *get(const char *path, size_t *n) {
  FILE *f = fopen(path, "rb");
  char *s;
  long len;
  CHECK(f != NULL);
  CHECK(fseek(f, 0, SEEK_END) == 0);
  len = ftell(f);
  CHECK(len >= 0);
  rewind(f);
  s = malloc((size_t)len + 1);
  CHECK(s != NULL);
  CHECK(fread(s, 1, (size_t)len, f) == (size_t)len);
  fclose(f);
  *n = (size_t)len;
  return s;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static int ready;
  ng_table t, u;
  ng_meta m, mu;
  char *err = NULL, *a, *b;
  size_t an, bn;
  if (!ready) {
    setup();
    ready = 1;
  }
  put(in_path, data, size);
  if (ng_format_load(in_path, &t, &m, &err) != 0) {
    CHECK(err != NULL && strstr(err, "in.tsv") != NULL);
    free(err);
    tv_reset();
    return 0;
  }
  if (ng_format_save(a_path, &t, &m, &err) != 0) {
    fprintf(stderr, "save: %s\n", err);
    abort();
  }
  if (ng_format_load(a_path, &u, &mu, &err) != 0) {
    fprintf(stderr, "reload: %s\n", err);
    abort();
  }
  CHECK(ng_format_save(b_path, &u, &mu, &err) == 0);
  a = get(a_path, &an);
  b = get(b_path, &bn);
  CHECK(an == bn && memcmp(a, b, an) == 0);
  if (size > 16 && memcmp(data, "#lector-ngram 2\t", 16) == 0)
    CHECK(an == size && memcmp(a, data, size) == 0);
  free(a);
  free(b);
  ng_table_free(&t);
  ng_table_free(&u);
  ng_meta_free(&m);
  ng_meta_free(&mu);
  tv_reset();
  return 0;
}
