/*
** fuzz_pack.c -- libFuzzer target for the pack reader (core/pack.c): the
** input is a pack; its first byte's low bit says whether CRCs are
** checked (0) or skipped (1), so that mutations reach the document table
** and not only the checksum test.  A pack that parses is walked the way
** a script would: every document's strings, metadata and text (which
** must be NUL-terminated with the length the table gives).  A failure
** must come with a message naming the file.
*/
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "corpus_internal.h"
#include "pack.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int session_interrupted(void);

#define CHECK(c) do { if (!(c)) abort(); } while (0)

int session_interrupted(void) { return 0; }

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size == 0) return 0;
  int nocrc = data[0] & 1;
  /* a copy of exactly the pack's bytes, so ASan sees any read past it */
  unsigned char *p = malloc(size - 1 ? size - 1 : 1);
  CHECK(p);
  memcpy(p, data + 1, size - 1);
  corpus_store *st = calloc(1, sizeof *st);
  corpus *c = calloc(1, sizeof *c);
  CHECK(st && c);
  atomic_init(&st->refs, 1);
  atomic_init(&c->refs, 1);
  c->store = st;
  char *err = NULL;
  if (pack_parse(p, size - 1, "f.lpk", nocrc, st, &err) != 0) {
    CHECK(err && strncmp(err, "f.lpk: ", 7) == 0);
    free(err);
  } else {
    c->n = st->n;
    for (size_t i = 0; i < c->n; i++) {
      const corpus_doc *d = corpus_doc_at(c, i);
      CHECK(strlen(d->id) + strlen(d->path) + strlen(d->title) +
            strlen(d->file_id) < 4 * size);
      lector_text t;
      CHECK(corpus_text(c, i, &t, &err) == 0);
      CHECK(t.len == d->bytes && t.data[t.len] == '\0');
      corpus_text_release(&t);
      corpus_meta m;
      size_t pos = 0;
      while (corpus_meta_next(c, i, &pos, &m))
        CHECK(strlen(m.key) > 0 && strlen(m.value) < size);
      char buf[11];
      corpus_doc_date(d, buf);
      CHECK(corpus_encoding_name(c, d) != NULL);
    }
  }
  corpus_release(c);         /* frees the store */
  free(p);
  return 0;
}
