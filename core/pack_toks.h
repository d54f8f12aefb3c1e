/*
** pack_toks.h -- the token sections of a pack (issue 18): every
** document's tokens as ids into the pack's own word list, and a
** positional index, so that plugins whose tokenizer options match need
** not tokenize (plugin.h, "packed token streams").
**
** Sections (little-endian; ids are 0-based in first-occurrence order;
** "varint" is LEB128, at most 5 bytes for a u32):
**   TOKO  u64 words, u64 tokens, the tokenizer's opts_key, NUL
**   VOCB  u64 offset[words + 1] into the bytes that follow; word k is
**         bytes[offset[k] .. offset[k + 1] - 1), then a NUL
**   VSRT  u32 ids ordered by their words' bytes (memcmp, shorter first)
**   TIDX  per document {u64 offset into TOKS, u64 tokens}
**   TOKS  per document, its ids as varints
**   POFF  per word {u64 offset into POST, u64 occurrences}
**   POST  per word, its occurrences in document order: varint gap of the
**         document number (from -1; 0: the same document), then varint
**         position (a new document) or its gap from the last (>= 1)
**   TOFF  (optional: a pack made before it has none) u64 K, the spacing
**         of the checkpoints; u64 first[documents + 1], document d's
**         checkpoints being entries first[d] .. first[d + 1]; per
**         checkpoint, of tokens 0, K, 2K ... of a document, {u32 byte
**         offset of the token in the document's text, u32 byte offset of
**         its id in the document's part of TOKS}.  A document has
**         ceil(tokens / K) checkpoints, or none (more than 2^32 / 5
**         tokens: its offsets in TOKS might not fit 32 bits); kwic starts
**         tokenizing at one to reach a hit without tokenizing what comes
**         before (ptok_corpus_seek).
**   NEXT  (optional: a pack made before it has none) u64 offset[words
**         + 1] into the bytes that follow (offset[0] = 0, non-decreasing,
**         the last their length); word k's bytes offset[k] ..
**         offset[k + 1] hold, for each of its occurrences in POST's
**         order, a varint: the id of the token after it in the
**         document's stream + 1, or 0 when it is the document's last.
**         A bigram count reads one word's successors at a time instead of
**         every stream (ptok_corpus_next).
**
** Writing: workers tokenize (ptok_tokenize, into session-vocabulary
** ids); one thread appends documents in order (ptok_add), which maps
** those ids to the pack's and streams TOKS to a scratch file; ptok_finish
** writes the sections, building POST and NEXT in memory when they fit a
** chunk (a share of the memory limit), else both in runs of documents
** merged word by word (bounded memory, two reads of TOKS).
** Reading checks what a reader will trust (word offsets, ids in VSRT)
** and decodes TOKS, POST and NEXT with bounds checks, so damage there is
** an error naming the section, never a crash.
*/
#ifndef LECTOR_PACK_TOKS_H
#define LECTOR_PACK_TOKS_H

#include <endian.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "corpus.h"
#include "lector/tokenizer.h"

#define PTOK_NSECT 9
extern const char *const ptok_tags[PTOK_NSECT]; /* TOKO ... POST, TOFF, NEXT */
#define PTOK_OPTIONAL 7    /* TOFF, and all after it: may be absent (older
                              packs) */
#define PTOK_ABSENT UINT64_MAX        /* its length in ptok_parse then */
#define PTOK_STRIDE 16                /* K: a checkpoint every 16 tokens */

/* What the writer tokenizes with (borrowed). */
typedef struct ptok_opts {
  const lector_tokenizer_api *api;
  lector_tok_opts *opts;             /* compiled (ids on is fastest) */
  const char *key;                   /* api->opts_key(opts) */
  void (*msg_free)(char *msg);       /* frees the tokenizer's messages */
} ptok_opts;

/* A section as written: where, how long, its CRC-32C. */
typedef struct ptok_sect {
  uint64_t off, len;
  uint32_t crc;
} ptok_sect;

/* Writing a section to f: begin at pos (a multiple of 8), add bytes (the
** CRC follows them; write errors are left for the output's commit), end
** with zeros to the next multiple of 8, *pos past them.  Shared with
** pack.c. */
void pack_sect_begin(ptok_sect *s, uint64_t pos);
void pack_sect_add(FILE *f, ptok_sect *s, const void *p, size_t n);
void pack_sect_end(FILE *f, ptok_sect *s, uint64_t *pos);

/* Little-endian integers at p (any alignment). */
static inline uint32_t pack_get32(const unsigned char *p) {
  uint32_t v;
  memcpy(&v, p, 4);
  return le32toh(v);
}

static inline uint64_t pack_get64(const unsigned char *p) {
  uint64_t v;
  memcpy(&v, p, 8);
  return le64toh(v);
}

static inline void pack_put32(unsigned char *p, uint32_t v) {
  v = htole32(v);
  memcpy(p, &v, 4);
}

static inline void pack_put64(unsigned char *p, uint64_t v) {
  v = htole64(v);
  memcpy(p, &v, 8);
}

/* A growable byte array counted against the memory limit (mem.h). */
typedef struct pack_buf {
  unsigned char *p;
  size_t len, cap;
} pack_buf;

/* Append s[0..n).  0, or -1 when out of memory. */
int pack_buf_add(pack_buf *b, const void *s, size_t n);

/* One document's tokens as session-vocabulary ids (PTOK_EMPTY for an
** empty normalised form); malloc'd, reused between documents. */
#define PTOK_EMPTY UINT32_MAX
typedef struct ptok_doc {
  uint32_t *ids;
  size_t n, cap;
  uint32_t *marks;             /* byte offsets of tokens 0, K, 2K ... */
  size_t nmarks, mcap;
} ptok_doc;

typedef struct ptok_writer ptok_writer;

/* A writer whose scratch file lies beside path (or in TMPDIR), for about
** ndocs documents (it saves the lists' state half-way, so that two
** threads can fill them).  NULL with *err (NULL: out of memory). */
ptok_writer *ptok_writer_new(const ptok_opts *o, const char *path,
                             uint64_t ndocs, char **err);

/* Tokenize text[0..len) into d (emptied first).  Any thread.  0, or
** nonzero with *err (malloc'd; NULL: out of memory). */
int ptok_tokenize(const ptok_opts *o, const char *text, size_t len,
                  ptok_doc *d, char **err);
void ptok_doc_free(ptok_doc *d);

/* Append the next document's tokens.  One thread.  0, or nonzero with
** *err (NULL: out of memory). */
int ptok_add(ptok_writer *w, const ptok_doc *d, char **err);

/* Words and tokens added so far. */
void ptok_counts(const ptok_writer *w, uint64_t *words, uint64_t *tokens);

/* After ptok_finish: how POST's and NEXT's lists were built, a constant:
** "in place" (in the output's mapped pages, one scan), "one at a time"
** (in memory, a scan each) or "in runs" (through scratch files). */
const char *ptok_lists(const ptok_writer *w);

/* Write the nine sections to f, the first at *pos (a multiple of 8),
** each padded to 8 bytes; s[k] gets ptok_tags[k]'s place.  *pos ends
** past the last.  Polls the interrupt flag.  0, or nonzero with *err
** (NULL: out of memory; write errors are left for the caller's commit). */
int ptok_finish(ptok_writer *w, FILE *f, uint64_t *pos,
                ptok_sect s[PTOK_NSECT], char **err);

/* Free w and remove its scratch file (NULL is fine). */
void ptok_writer_free(ptok_writer *w);

/* --- reading ------------------------------------------------------------- */

typedef struct ptok_map ptok_map;

/* The token sections of the pack at p, section k at off[k], len[k]
** (bounds already checked; len[k] for k >= PTOK_OPTIONAL is PTOK_ABSENT
** when the pack has no such section: TOFF, NEXT), for ndocs documents;
** name is the file, for messages.  *out NULL when len is NULL (no
** token sections).  0, or 1 with *err naming the section (NULL: out of
** memory). */
int ptok_parse(const unsigned char *p, const uint64_t *off,
               const uint64_t *len, uint64_t ndocs, const char *name,
               ptok_map **out, char **err);
void ptok_map_free(ptok_map *m);

/* Tell m that its pack is the file mapping at base (not memory): pages of
** TOKS a pass has read are then given back as it goes. */
void ptok_set_mapped(ptok_map *m, const void *base);

/* The opts_key the tokens were made with, and the word and token counts. */
const char *ptok_key(const ptok_map *m);
uint64_t ptok_words(const ptok_map *m);
uint64_t ptok_tokens(const ptok_map *m);

/* The host's functions (plugin.h) on a corpus c. */
size_t ptok_corpus_words(const corpus *c, const char *key);
const char *ptok_corpus_word(const corpus *c, uint32_t id, size_t *len);
uint32_t ptok_corpus_find(const corpus *c, const char *s, size_t len);
int ptok_corpus_doc(const corpus *c, size_t i, uint32_t **ids, size_t *n,
                    size_t *cap, char **err);
int ptok_corpus_postings(const corpus *c, uint32_t id,
                         int (*fn)(void *ud, size_t i, const uint32_t *pos,
                                   size_t npos),
                         void *ud, char **err);
/* host->word_count (plugin.h): the occurrences of word id in c, or all of
** c's tokens for id UINT32_MAX, from POFF and TOKO.  LECTOR_OK;
** LECTOR_ENOTFOUND (no message) when c is not a whole pack or has no word
** id; LECTOR_ERR with *err (malloc) for a damaged POFF entry. */
int ptok_corpus_count(const corpus *c, uint32_t id, uint64_t *n, char **err);
/* host->doc_token_seek (plugin.h): document i's checkpoint at or before
** token k (*first, *offset) and the ids of up to *n tokens from it
** (*n: how many).  LECTOR_OK; LECTOR_ENOTFOUND (no TOFF, no checkpoints
** for the document, k past its tokens); LECTOR_ERR with *err (malloc'd)
** naming the section and document. */
int ptok_corpus_seek(const corpus *c, size_t i, size_t k, size_t *first,
                     size_t *offset, uint32_t *ids, size_t *n, char **err);
/* host->word_next (plugin.h): the token after each occurrence of word id
** in c's documents, from NEXT and POST: fn(ud, doc, next, n) with pieces
** of at most PTOK_NEXT_PIECE occurrences, doc[] indices in c (pack order;
** documents not in c left out, a document twice in c at its first
** place), next[] ids, UINT32_MAX after a document's last token.
** LECTOR_OK (also for an id past the words: no occurrences); fn's value;
** LECTOR_ENOTFOUND (no message) when c has no NEXT (not a pack, a text
** filter, a pack made before it); LECTOR_ENOMEM; LECTOR_ERR with *err
** (malloc'd) naming the pack, section and word. */
#define PTOK_NEXT_PIECE 4096
int ptok_corpus_next(const corpus *c, uint32_t id,
                     int (*fn)(void *ud, const size_t *doc,
                               const uint32_t *next, size_t n),
                     void *ud, char **err);

#endif
