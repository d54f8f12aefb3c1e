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
** TOKS), and every word's successors (NEXT, ptok_corpus_next: pieces of
** 1..4096, documents in range and in order, known ids; or an error
** naming NEXT, POST or POFF), the same through two views (the documents
** reversed with the first again at the end, and the even ones): what
** the whole pack gives, mapped into the view.  A failure must come with
** a message naming the file.
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

/* A word's successors as a walk gave them (doc, next pairs). */
typedef struct succ {
  size_t *doc;
  uint32_t *next;
  size_t n, cap, ndocs, nwords;
} succ;

static int on_next(void *ud, const size_t *doc, const uint32_t *next,
                   size_t n) {
  succ *s = ud;
  CHECK(n > 0 && n <= 4096);
  if (s->n + n > s->cap) {
    s->cap = 2 * (s->n + n);
    CHECK((s->doc = realloc(s->doc, s->cap * sizeof *s->doc)) &&
          (s->next = realloc(s->next, s->cap * sizeof *s->next)));
  }
  for (size_t k = 0; k < n; k++) {
    CHECK(doc[k] < s->ndocs && (next[k] < s->nwords || next[k] == UINT32_MAX));
    s->doc[s->n] = doc[k];
    s->next[s->n++] = next[k];
  }
  return 0;
}

/* Word w's successors in c into s (emptied): the walk's code, its
** message checked and freed. */
static int walk_next(corpus *c, uint32_t w, succ *s, size_t nwords) {
  char *err = NULL;
  s->n = 0;
  s->ndocs = c->n;
  s->nwords = nwords;
  int rc = ptok_corpus_next(c, w, on_next, s, &err);
  if (rc == LECTOR_ERR)
    CHECK(err && (strncmp(err, "f.lpk: section NEXT: ", 21) == 0 ||
                  strncmp(err, "f.lpk: section PO", 17) == 0));
  else CHECK(!err && (rc == LECTOR_OK || rc == LECTOR_ENOTFOUND));
  free(err);
  return rc;
}

/* Every word's successors in c, and in views of it: at[d] is pack
** document d's index in view k + 1 (0: not in it). */
static void walk_next_all(corpus *c, size_t nwords, corpus **views,
                          size_t **at, int nviews) {
  succ s = {0}, v = {0};
  int none = -1;
  for (uint32_t w = 0; w < nwords && w < 4096; w++) {
    int rc = walk_next(c, w, &s, nwords);
    if (rc != LECTOR_ERR) {                  /* NEXT there for all or none */
      if (none < 0) none = rc == LECTOR_ENOTFOUND;
      CHECK(none == (rc == LECTOR_ENOTFOUND));
    }
    for (size_t k = 1; rc == LECTOR_OK && k < s.n; k++)
      CHECK(s.doc[k] >= s.doc[k - 1]);
    for (int j = 0; j < nviews; j++) {
      CHECK(walk_next(views[j], w, &v, nwords) == rc);
      if (rc != LECTOR_OK) continue;
      size_t m = 0;
      for (size_t k = 0; k < s.n; k++) {
        if (!at[j][s.doc[k]]) continue;
        CHECK(m < v.n && v.doc[m] == at[j][s.doc[k]] - 1 &&
              v.next[m] == s.next[k]);
        m++;
      }
      CHECK(m == v.n);
    }
  }
  free(s.doc);
  free(s.next);
  free(v.doc);
  free(v.next);
}

/* Two views of c: its documents reversed with the view's first (the
** pack's last) again at the end (first wins: it keeps place 0), and the
** even ones;
** then every word's successors in c and in them. */
static void walk_views(corpus *c, size_t nwords) {
  size_t n = c->n, *idx = calloc(n + 1, sizeof *idx);
  size_t *at[2] = {calloc(n + 1, sizeof(size_t)),
                   calloc(n + 1, sizeof(size_t))};
  corpus *views[2] = {NULL, NULL};
  char *err = NULL;
  CHECK(idx && at[0] && at[1]);
  for (size_t i = 0; i < n; i++) {
    idx[i] = n - 1 - i;
    at[0][n - 1 - i] = i + 1;
  }
  idx[n] = n - 1;                                  /* the first, again */
  CHECK(corpus_subset(c, idx, n ? n + 1 : 0, &views[0], &err) == 0);
  size_t ne = 0;
  for (size_t i = 0; i < n; i += 2) {
    idx[ne++] = i;
    at[1][i] = ne;
  }
  CHECK(corpus_subset(c, idx, ne, &views[1], &err) == 0);
  size_t before = corpus_memory(views[0]);
  walk_next_all(c, nwords, views, at, 2);
  /* a walk on a view keeps an index of the pack's documents: counted */
  size_t index = atomic_load(&views[0]->pack_at) ? (n ? n : 1) * sizeof(size_t)
                                                  : 0;
  CHECK(corpus_memory(views[0]) == before + index);
  corpus_release(views[0]);
  corpus_release(views[1]);
  free(idx);
  free(at[0]);
  free(at[1]);
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
  walk_views(c, nwords);
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
