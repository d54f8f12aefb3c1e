/*
** fuzz_rows.c -- libFuzzer target for table files as the loader reads
** them (core/corpus_rows.c on corpus.c, table.c and corpus_source.c):
** the input's first byte picks the form (CSV, TSV, JSON lines, each plain
** or gzip'd), the rest is written to a file of that name and loaded.
** Checks: the load fails on content only when no text column can be
** found or the bytes pass for a pack (bad rows are warnings), every
** row's text reads back with the length the load found and without a NUL,
** every row lies inside the decoded stream, titles and ids are valid
** UTF-8, and every warning names the file.  ASan/UBSan catch the rest.
*/
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "corpus.h"
#include "encoding.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int session_interrupted(void);

#define CHECK(c) do { if (!(c)) abort(); } while (0)

int session_interrupted(void) { return 0; }

static const char *const names[] = {"f.csv", "f.tsv", "f.jsonl",
                                    "f.csv.gz", "f.tsv.gz", "f.jsonl.gz"};

static void write_input(const char *path, const uint8_t *p, size_t n, int gz) {
  if (gz) {
    gzFile g = gzopen(path, "wb1");
    CHECK(g);
    CHECK(n == 0 || gzwrite(g, p, (unsigned)n) == (int)n);
    CHECK(gzclose(g) == Z_OK);
    return;
  }
  FILE *f = fopen(path, "wb");
  CHECK(f);
  CHECK(fwrite(p, 1, n, f) == n);
  CHECK(fclose(f) == 0);
}

static void check_doc(const corpus *c, size_t i) {
  const corpus_doc *d = corpus_doc_at(c, i);
  lector_text t;
  char *err = NULL;
  CHECK(d && d->format != CORPUS_FMT_TEXT);
  CHECK(enc_utf8_check(d->id, strlen(d->id)) == strlen(d->id));
  CHECK(enc_utf8_check(d->title, strlen(d->title)) == strlen(d->title));
  CHECK(corpus_text(c, i, &t, &err) == 0);
  CHECK(t.len == d->bytes && t.data[t.len] == '\0');
  CHECK(memchr(t.data, '\0', t.len) == NULL);
  corpus_text_release(&t);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static char dir[64];
  char path[128];
  if (size < 1) return 0;
  if (!dir[0]) {
    snprintf(dir, sizeof dir, "/tmp/fuzz_rows.XXXXXX");
    CHECK(mkdtemp(dir));
  }
  int form = data[0] % 6;
  snprintf(path, sizeof path, "%s/%s", dir, names[form]);
  write_input(path, data + 1, size - 1, form >= 3);
  const char *p = path;
  corpus_opts o = {.quiet = 1, .threads = 1};
  corpus *c = NULL;
  char *err = NULL;
  if (corpus_load(&p, 1, &o, &c, &err) != 0) {
    /* The failures content may cause: a table whose text column the user
    ** must name (a table given as a root), or bytes that start as a
    ** packed corpus does (core/pack.h: found by its magic, whatever the
    ** name) but are none. */
    int packed = size > 4 && memcmp(data + 1, "\x89LPK", 4) == 0;
    CHECK(err && strstr(err, names[form]) &&
          (packed || strstr(err, ": no text column") || strstr(err, ": no text field")));
    free(err);
    unlink(path);
    return 0;
  }
  for (size_t i = 0; i < corpus_count(c); i++) check_doc(c, i);
  for (size_t i = 0; i < corpus_warning_count(c); i++)
    CHECK(strstr(corpus_warning(c, i), names[form]) != NULL);
  corpus_release(c);
  unlink(path);
  return 0;
}
