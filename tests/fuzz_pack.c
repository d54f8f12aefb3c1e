/*
** fuzz_pack.c -- libFuzzer target for the pack reader (core/pack.c): the
** input is a pack; its first byte's low bit says whether CRCs are
** checked (0) or skipped (1), so that mutations reach the document table
** and not only the checksum test.  A pack that parses is walked the way
** a script would: every document's strings, metadata and text (which
** must be NUL-terminated with the length the table gives, or an error
** naming TEXT), and, with
** token sections, every document's tokens (ids below the word count)
** and every word's postings (documents and positions in range, positions
** ascending), and the checkpoints (TOFF) of every document at its first,
** middle and last tokens and a few past them (each at or before the
** token asked for, inside the text, its ids known words, no further
** than the stream when that decoded; or an error naming TOFF, TIDX or
** TOKS).  A failure must come with a message naming the file.
*/
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "corpus_internal.h"
#include "mem.h"
#include "pack.h"

/* The key of c's token sections, or NULL. */
static const char *st_key(const corpus *c) {
  const ptok_map *m = pack_toks_of(c->store->pack);
  return m ? ptok_key(m) : NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int session_interrupted(void);

#define CHECK(c) do { if (!(c)) abort(); } while (0)

int session_interrupted(void) { return 0; }

/* The documents' token streams, kept for the postings' check. */
typedef struct streams {
  uint32_t **ids;
  size_t *n;
  int *ok;
} streams;

static int on_posting(void *ud, size_t i, const uint32_t *pos, size_t npos) {
  streams *s = ud;
  CHECK(npos > 0);
  for (size_t k = 0; k < npos; k++) {
    CHECK(k == 0 || pos[k] > pos[k - 1]);
    /* a damaged index may point elsewhere, but never past the stream */
    if (s->ok[i]) CHECK(pos[k] < s->n[i]);
  }
  return 0;
}

/* Document i's checkpoints (ptok_corpus_seek) at some tokens k, against
** its stream of n tokens (ok: it decoded).  (Not their ids against the
** stream's: a fuzzer can forge CRCs, so a pack that passed them may
** still lie; kwic checks every token it reads from a checkpoint.) */
static void walk_marks(corpus *c, size_t i, size_t n, int ok, size_t nwords) {
  size_t ks[] = {0, 1, 15, 16, 17, n / 2, n ? n - 1 : 0, n, n + 40};
  uint32_t got[64];
  for (size_t j = 0; j < sizeof ks / sizeof ks[0]; j++) {
    size_t first = 0, off = 0, cnt = sizeof got / sizeof got[0];
    char *err = NULL;
    int rc = ptok_corpus_seek(c, i, ks[j], &first, &off, got, &cnt, &err);
    if (rc == LECTOR_OK) {
      CHECK(!err && first <= ks[j] && off < corpus_doc_at(c, i)->bytes);
      CHECK(cnt <= sizeof got / sizeof got[0]);
      for (size_t t = 0; t < cnt; t++) CHECK(got[t] < nwords);
      if (ok) CHECK(ks[j] < n && first + cnt <= n);
    } else if (rc == LECTOR_ENOTFOUND) {
      CHECK(!err);
    } else {
      CHECK(rc == LECTOR_ERR && err &&
            (strncmp(err, "f.lpk: section TOFF: ", 21) == 0 ||
             strncmp(err, "f.lpk: section TIDX: ", 21) == 0 ||
             strncmp(err, "f.lpk: section TOKS: ", 21) == 0));
    }
    free(err);
  }
}

static void walk_tokens(corpus *c) {
  const char *key = st_key(c);
  if (!key) return;
  size_t nwords = ptok_corpus_words(c, key), n = c->n;
  streams s = {calloc(n + 1, sizeof *s.ids), calloc(n + 1, sizeof *s.n),
               calloc(n + 1, sizeof *s.ok)};
  CHECK(s.ids && s.n && s.ok);
  for (size_t i = 0; i < n; i++) {
    size_t cap = 0;
    char *err = NULL;
    int rc = ptok_corpus_doc(c, i, &s.ids[i], &s.n[i], &cap, &err);
    s.ok[i] = rc == 0;
    if (rc == 0)
      for (size_t k = 0; k < s.n[i]; k++) CHECK(s.ids[i][k] < nwords);
    else CHECK(err && strncmp(err, "f.lpk: section T", 16) == 0);
    free(err);
    walk_marks(c, i, s.n[i], s.ok[i], nwords);
  }
  for (uint32_t w = 0; w < nwords && w < 4096; w++) {
    size_t len;
    const char *word = ptok_corpus_word(c, w, &len);
    CHECK(word && word[len] == '\0');
    char *err = NULL;
    if (ptok_corpus_postings(c, w, on_posting, &s, &err) != 0)
      CHECK(err && strncmp(err, "f.lpk: section PO", 17) == 0);
    free(err);
  }
  for (size_t i = 0; i < n; i++) mem_free(s.ids[i]);
  free(s.ids);
  free(s.n);
  free(s.ok);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size == 0) return 0;
  int crc = data[0] & 1 ? PACK_CRC_NONE : PACK_CRC_ALL;
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
  if (pack_parse(p, size - 1, "f.lpk", crc, st, &err) != 0) {
    CHECK(err && strncmp(err, "f.lpk: ", 7) == 0);
    free(err);
  } else {
    c->n = st->n;
    for (size_t i = 0; i < c->n; i++) {
      const corpus_doc *d = corpus_doc_at(c, i);
      CHECK(strlen(d->id) + strlen(d->path) + strlen(d->title) +
            strlen(d->file_id) < 4 * size);
      lector_text t;
      if (corpus_text(c, i, &t, &err) == 0)
        CHECK(t.len == d->bytes && t.data[t.len] == '\0');
      else CHECK(err && strncmp(err, "f.lpk: section TEXT: ", 21) == 0);
      free(err);
      err = NULL;
      corpus_text_release(&t);
      corpus_meta m;
      size_t pos = 0;
      while (corpus_meta_next(c, i, &pos, &m))
        CHECK(strlen(m.key) > 0 && strlen(m.value) < size);
      char buf[11];
      corpus_doc_date(d, buf);
      CHECK(corpus_encoding_name(c, d) != NULL);
    }
    walk_tokens(c);
  }
  corpus_release(c);         /* frees the store */
  free(p);
  return 0;
}
