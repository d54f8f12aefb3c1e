/*
** pack.c -- packed corpora (see pack.h for the format's outline).
**
** A DOCS record (PACK_DOC_BYTES, little-endian):
**    0 id, 8 path, 16 title, 24 file id, 32 metadata block: u64 offsets
**      into STRS (metadata ~0: none)
**   40 text offset into TEXT, 48 text length
**   56 source file size, 64 its mtime (ns, signed)
**   72 i32 date (YYYYMMDD), 76 u32 row line, 80 u32 body offset
**   84 u8 date source, format, encoding, gzip, BOM; 89..95 zero
**
** Writing streams TEXT to the output after a zeroed header, builds DOCS
** and STRS in memory (counted: mem.h), appends them, then seeks back to
** write the header.  Reading maps the file and checks everything a
** document will later be trusted for, so that pack_text cannot fail.
**
** Sections: bytes; writing; reading; check.
*/
#define _GNU_SOURCE             /* sync_file_range */
#include "pack.h"

#include <errno.h>
#include <pthread.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "corpus_internal.h"
#include "crc32c.h"
#include "corpus_source.h"
#include "mem.h"
#include "output.h"
#include "pack_toks.h"
#include "pool.h"
#include "progress.h"
#include "session.h"
#include "util.h"

#define NBASE 3                /* TEXT, DOCS, STRS: every pack has them */
#define NSECT (NBASE + PTOK_NSECT)
#define MAX_SECT 64
#define HDR_FIXED 32
#define SECT_BYTES 24
#define NONE UINT64_MAX
/* Documents read and tokenized at a time: up to BATCH_DOCS, or fewer
** holding BATCH_BYTES of text (large batches keep the workers' threads,
** and their caches of the vocabulary, warm). */
#define BATCH_DOCS 4096
#define BATCH_BYTES (16u << 20)

enum { S_TEXT, S_DOCS, S_STRS, S_TOKS0 };
static const char *const base_tags[NBASE] = {"TEXT", "DOCS", "STRS"};

static const char *tag_of(int s) {
  return s < NBASE ? base_tags[s] : ptok_tags[s - NBASE];
}

/* The sections whose CRC a load skips (their size grows with the text):
** checked by pack_verify, lector.load's `check`. */
static int is_bulk(int s) {
  return s == S_TEXT || (s >= NBASE && (strcmp(tag_of(s), "TOKS") == 0 ||
                                        strcmp(tag_of(s), "POST") == 0 ||
                                        strcmp(tag_of(s), "TOFF") == 0 ||
                                        strcmp(tag_of(s), "NEXT") == 0));
}

/* TOFF and NEXT may be missing from a pack with tokens (made before
** them). */
static int is_optional(int s) { return s >= NBASE + PTOK_OPTIONAL; }

struct pack_map {
  void *base;          /* the mapping (NULL: memory not ours) */
  size_t len;
  const char *text;    /* the TEXT section */
  char *path;          /* the file's name */
  ptok_map *toks;      /* the token sections, or NULL */
  uint64_t off[NSECT], slen[NSECT];
  uint32_t crc[NSECT];
  int seen[NSECT];
};

/* ---------------------------------------------------------------------
** Bytes
*/

/* CRC-32C (crc32c.h) of the header bytes h[0..n), its own field (24..27) as zero. */
static uint32_t header_crc(const unsigned char *h, size_t n) {
  static const unsigned char zero[4] = {0};
  uint32_t c = crc32c(0, h, 24);
  c = crc32c(c, zero, 4);
  return crc32c(c, h + 28, n - 28);
}

/* ---------------------------------------------------------------------
** Writing
*/

typedef struct writer {
  corpus *c;
  pack_buf docs, strs;
  uint64_t text_len;
  uint32_t crc_text;
  const char *last_path;      /* rows share their file's path */
  uint64_t last_path_off;
  pack_stats *st;
  const pack_opts *o;
  ptok_writer *tw;            /* the token streams, or NULL */
  progress *bar;
} writer;

static int add_str(writer *w, const char *s, uint64_t *off) {
  *off = w->strs.len;
  return pack_buf_add(&w->strs, s, strlen(s) + 1);
}

/* Document i's metadata block as corpus_meta_next gives it (joined keys
** first): its STRS offset, or NONE when it has no entry. */
static int add_meta(writer *w, size_t i, uint64_t *off) {
  corpus_meta m;
  size_t pos = 0;
  *off = NONE;
  while (corpus_meta_next(w->c, i, &pos, &m)) {
    unsigned char type = (unsigned char)m.type;
    if (*off == NONE) *off = w->strs.len;
    if (pack_buf_add(&w->strs, m.key, strlen(m.key) + 1) != 0 ||
        pack_buf_add(&w->strs, &type, 1) != 0 ||
        pack_buf_add(&w->strs, m.value, strlen(m.value) + 1) != 0)
      return -1;
  }
  return *off == NONE ? 0 : pack_buf_add(&w->strs, "", 1);
}

/* The DOCS record of document i, its text at text_off, len bytes. */
static int add_doc(writer *w, size_t i, uint64_t text_off, uint64_t len) {
  const corpus_doc *d = corpus_doc_at(w->c, i);
  unsigned char r[PACK_DOC_BYTES] = {0};
  uint64_t id, path, title, file_id, meta;
  if (d->path != w->last_path) {
    if (add_str(w, d->path, &w->last_path_off) != 0) return -1;
    w->last_path = d->path;
  }
  path = w->last_path_off;
  if (add_str(w, d->id, &id) != 0 || add_str(w, d->title, &title) != 0)
    return -1;
  if (d->file_id == d->id || strcmp(d->file_id, d->id) == 0) file_id = id;
  else if (add_str(w, d->file_id, &file_id) != 0) return -1;
  if (add_meta(w, i, &meta) != 0) return -1;
  pack_put64(r, id);
  pack_put64(r + 8, path);
  pack_put64(r + 16, title);
  pack_put64(r + 24, file_id);
  pack_put64(r + 32, meta);
  pack_put64(r + 40, text_off);
  pack_put64(r + 48, len);
  pack_put64(r + 56, d->size);
  pack_put64(r + 64, (uint64_t)d->mtime_ns);
  pack_put32(r + 72, (uint32_t)d->date);
  pack_put32(r + 76, d->line);
  pack_put32(r + 80, d->body_off);
  r[84] = d->date_source;
  r[85] = d->format;
  r[86] = d->encoding;
  r[87] = d->gzip;
  r[88] = d->bom;
  return pack_buf_add(&w->docs, r, sizeof r);
}

/* Leave document i out: its reason joins st's warnings. */
static int skip_doc(writer *w, char *why) {
  pack_stats *st = w->st;
  char *line = util_errorf("%s; left out of the pack", UTIL_MSG(why));
  char **v = realloc(st->warnings, (st->skipped + 1) * sizeof *v);
  free(why);
  if (!line || !v) {
    free(line);
    if (v) st->warnings = v;
    return -1;
  }
  st->warnings = v;
  st->warnings[st->skipped++] = line;
  if (!w->o->quiet) fprintf(stderr, "lector: warning: %s\n", line);
  return 0;
}

/* A batch of documents read (and tokenized) by the workers, then
** appended in order by a thread of its own while the workers go on with
** the next batch (two batches take turns). */
typedef struct slot {
  lector_text t;
  char *why;                  /* unreadable: why (NULL: out of memory) */
  int failed;
  ptok_doc toks;
} slot;

typedef struct batch {
  writer *w;
  FILE *f;
  size_t first, n;
  slot slots[BATCH_DOCS];
  int rc;                     /* the append's: 0, or 1 with err */
  char *err;
} batch;

/* pool_run's fn: document first + k read and tokenized. */
static int read_slot(void *ctx, size_t k, char **err) {
  batch *b = ctx;
  slot *s = &b->slots[k];
  const pack_opts *o = b->w->o;
  s->failed = corpus_text(b->w->c, b->first + k, &s->t, &s->why) != 0;
  if (s->failed) return 0;
  if (o->tokens && ptok_tokenize(o->tokens, s->t.data, s->t.len, &s->toks,
                                 err) != 0) {
    char *why = *err;
    if (session_interrupted()) {             /* not this document's fault */
      free(why);
      *err = util_errorf("interrupted");
      return LECTOR_EINTERRUPT;
    }
    *err = util_errorf("%s: %s", corpus_doc_at(b->w->c, b->first + k)->id,
                       UTIL_MSG(why));
    free(why);
    return LECTOR_ERR;
  }
  return 0;
}

/* Append slot k's document to the pack: text to f, record, tokens. */
static int put_slot(writer *w, FILE *f, size_t i, slot *s, char **err) {
  if (s->failed) {
    if (!s->why) return 1;
    int rc = skip_doc(w, s->why);
    s->why = NULL;
    return rc != 0;
  }
  fwrite(s->t.data, 1, s->t.len + 1, f);      /* errors: output_commit */
  w->crc_text = crc32c(w->crc_text, s->t.data, s->t.len + 1);
  if (add_doc(w, i, w->text_len, s->t.len) != 0 ||
      (w->tw && ptok_add(w->tw, &s->toks, err) != 0))
    return 1;
  w->text_len += s->t.len + 1;
  w->st->text_bytes += s->t.len;
  w->st->docs++;
  return 0;
}

static void release_slots(batch *b) {
  for (size_t k = 0; k < b->n; k++) {
    corpus_text_release(&b->slots[k].t);
    free(b->slots[k].why);
    b->slots[k].why = NULL;
  }
}

/* The appending thread: b's documents, in order. */
static void *append_batch(void *arg) {
  batch *b = arg;
  for (size_t k = 0; k < b->n && b->rc == 0; k++)
    b->rc = put_slot(b->w, b->f, b->first + k, &b->slots[k], &b->err);
  release_slots(b);
  progress_add(b->w->bar, b->n);
  return NULL;
}

/* How many documents from first make a batch. */
static size_t batch_size(const corpus *c, size_t first) {
  size_t n = corpus_count(c), k = first;
  uint64_t bytes = 0;
  while (k < n && k - first < BATCH_DOCS && (k == first || bytes < BATCH_BYTES))
    bytes += corpus_doc_at(c, k++)->bytes;
  return k - first;
}

/* Every document's text to f, each followed by NUL, a batch at a time
** read on the workers and appended in order. */
static int write_texts(writer *w, FILE *f, char **err) {
  size_t n = corpus_count(w->c);
  batch *b = mem_alloc(2 * sizeof *b), *last = NULL;
  int nw = pool_workers(w->o->threads, n < BATCH_DOCS ? n : BATCH_DOCS), rc = 0;
  int running = 0;
  void *ctx[LECTOR_MAX_THREADS];
  pthread_t appender;
  if (!b) return 1;
  memset(b, 0, 2 * sizeof *b);
  for (size_t first = 0, cur = 0; rc == 0 && first < n;
       first += b[cur].n, cur ^= 1) {
    batch *x = &b[cur];                 /* its token buffers are reused */
    x->w = w;
    x->f = f;
    x->first = first;
    x->n = batch_size(w->c, first);
    for (int k = 0; k < nw; k++) ctx[k] = x;
    pool_job job = {.n = x->n, .ctx = ctx, .nworkers = nw, .fn = read_slot,
                    .interrupted = session_interrupted,
                    .errorf = util_errorf, .free = free};
    rc = pool_run(&job, err) != LECTOR_OK;   /* while `last` is appended */
    if (running) pthread_join(appender, NULL);
    running = 0;
    if (last && last->rc && !rc) *err = last->err, last->err = NULL, rc = 1;
    if (rc) {
      release_slots(x);
      break;
    }
    last = x;
    if (pthread_create(&appender, NULL, append_batch, x) == 0) running = 1;
    else append_batch(x);                     /* no thread: here */
  }
  if (running) pthread_join(appender, NULL);
  if (last && last->rc && !rc) *err = last->err, last->err = NULL, rc = 1;
  for (int k = 0; k < 2; k++) {
    free(b[k].err);
    for (size_t i = 0; i < BATCH_DOCS; i++) ptok_doc_free(&b[k].slots[i].toks);
  }
  mem_free(b);
  return rc;
}

/* The header for the sections sect[0..ns). */
static void make_header(unsigned char *h, const ptok_sect *sect, int ns,
                        uint64_t total) {
  size_t n = HDR_FIXED + (size_t)ns * SECT_BYTES;
  memset(h, 0, n);
  memcpy(h, PACK_MAGIC, PACK_MAGIC_LEN);
  pack_put32(h + 8, PACK_VERSION);
  pack_put32(h + 12, (uint32_t)ns);
  pack_put64(h + 16, total);
  for (int s = 0; s < ns; s++) {
    unsigned char *e = h + HDR_FIXED + s * SECT_BYTES;
    memcpy(e, tag_of(s), 4);
    pack_put32(e + 4, sect[s].crc);
    pack_put64(e + 8, sect[s].off);
    pack_put64(e + 16, sect[s].len);
  }
  pack_put32(h + 24, header_crc(h, n));
}

/* The paths c reads: its documents' files and, packed, its pack. */
static const char **input_paths(corpus *c, size_t *n) {
  size_t cnt = corpus_count(c), k = 0;
  const char **v = malloc((cnt + 1) * sizeof *v);
  if (!v) return NULL;
  for (size_t i = 0; i < cnt; i++) {
    const char *p = corpus_doc_at(c, i)->path;
    if (k == 0 || strcmp(v[k - 1], p) != 0) v[k++] = p;
  }
  if (c->store->pack && c->store->pack->path) v[k++] = c->store->pack->path;
  *n = k;
  return v;
}

/* DOCS and STRS from memory. */
static void write_table(writer *w, FILE *f, uint64_t *pos, ptok_sect *sect,
                        uint64_t iconv) {
  unsigned char dh[16];
  pack_put64(dh, w->st->docs);
  pack_put64(dh + 8, iconv);
  pack_sect_begin(&sect[S_DOCS], *pos);
  pack_sect_add(f, &sect[S_DOCS], dh, sizeof dh);
  pack_sect_add(f, &sect[S_DOCS], w->docs.p, w->docs.len);
  pack_sect_end(f, &sect[S_DOCS], pos);
  pack_sect_begin(&sect[S_STRS], *pos);
  pack_sect_add(f, &sect[S_STRS], w->strs.p, w->strs.len);
  pack_sect_end(f, &sect[S_STRS], pos);
}

/* Everything after the header; sect[] filled, *ns sections. */
static int write_body(writer *w, FILE *f, const char *path, ptok_sect *sect,
                      int *ns, char **err) {
  uint64_t pos = HDR_FIXED + (uint64_t)*ns * SECT_BYTES, iconv = NONE;
  corpus *c = w->c;
  if (c->store->iconv_name && add_str(w, c->store->iconv_name, &iconv) != 0)
    return 1;
  if (w->o->tokens &&
      !(w->tw = ptok_writer_new(w->o->tokens, path, corpus_count(c), err)))
    return 1;
  pack_sect_begin(&sect[S_TEXT], pos);
  if (write_texts(w, f, err) != 0) return 1;
  if (fflush(f) == 0)           /* the text goes to disk while the index */
    sync_file_range(fileno(f), 0, 0, SYNC_FILE_RANGE_WRITE);  /* is built */
  sect[S_TEXT].len = w->text_len;
  sect[S_TEXT].crc = w->crc_text;
  pack_sect_end(f, &sect[S_TEXT], &pos);
  write_table(w, f, &pos, sect, iconv);
  if (w->tw) {
    if (ptok_finish(w->tw, f, &pos, sect + NBASE, err) != 0) return 1;
    ptok_counts(w->tw, &w->st->words, &w->st->tokens);
    w->st->lists = ptok_lists(w->tw);
  }
  w->st->file_bytes = pos;
  return 0;
}

/* See pack.h. */
int pack_write(corpus *c, const char *path, const pack_opts *po,
               pack_stats *st, char **err) {
  writer w = {.c = c, .st = st, .o = po};
  unsigned char h[HDR_FIXED + NSECT * SECT_BYTES];
  ptok_sect sect[NSECT];
  int ns = po->tokens ? NSECT : NBASE, rc = 1;
  size_t nin = 0;
  const char **in = input_paths(c, &nin);
  output *o = NULL;
  memset(st, 0, sizeof *st);
  memset(sect, 0, sizeof sect);
  *err = NULL;
  if (!in) return 1;
  if (!(o = output_open(path, in, nin, err))) goto done;
  FILE *f = output_file(o);
  memset(h, 0, sizeof h);
  fwrite(h, 1, HDR_FIXED + (size_t)ns * SECT_BYTES, f);
  w.bar = progress_begin("lector.pack", "docs", corpus_count(c));
  rc = write_body(&w, f, path, sect, &ns, err);
  progress_end(w.bar);
  if (rc != 0) goto done;
  rc = 1;
  make_header(h, sect, ns, st->file_bytes);
  if (fseek(f, 0, SEEK_SET) != 0) {
    *err = util_errorf("%s: cannot seek: %s", path, strerror(errno));
    goto done;
  }
  fwrite(h, 1, HDR_FIXED + (size_t)ns * SECT_BYTES, f);
  rc = output_commit(o, err);
  o = NULL;
done:
  output_abort(o);
  ptok_writer_free(w.tw);
  mem_free(w.docs.p);
  mem_free(w.strs.p);
  free(in);
  return rc;
}

/* See pack.h. */
void pack_stats_free(pack_stats *st) {
  for (size_t i = 0; st->warnings && i < st->skipped; i++) free(st->warnings[i]);
  free(st->warnings);
  st->warnings = NULL;
}

/* ---------------------------------------------------------------------
** Reading
*/

typedef struct reader {
  const unsigned char *p;
  size_t len;
  const char *name;
  uint64_t off[NSECT], slen[NSECT];
  uint32_t crc[NSECT];
  int seen[NSECT];
  uint64_t text_end;        /* where the next document's text starts */
  char **err;
} reader;

/* An error about the pack, "<name>: <fmt...>" into *r->err: 1. */
#define bad(r, ...) \
  __extension__({ *(r)->err = corpus_pathf((r)->name, __VA_ARGS__); 1; })

/* Section s's CRC against the one stored. */
static int check_crc(reader *r, int s) {
  uint32_t got = crc32c(0, r->p + r->off[s], (size_t)r->slen[s]);
  if (got == r->crc[s]) return 0;
  return bad(r, "section %s: checksum mismatch (CRC-32C stored %08x, "
             "computed %08x): the file is corrupt", tag_of(s), r->crc[s], got);
}

/* The fixed header: magic, version, length, section count. */
static int read_fixed(reader *r, uint32_t *ns, int crc) {
  if (r->len < PACK_MAGIC_LEN || memcmp(r->p, PACK_MAGIC, PACK_MAGIC_LEN) != 0)
    return bad(r, "not a Lector pack (its first bytes are not the pack "
               "magic)");
  if (r->len < HDR_FIXED) return bad(r, "truncated: header: %zu bytes of %d",
                                     r->len, HDR_FIXED);
  uint32_t version = pack_get32(r->p + 8);
  uint64_t total = pack_get64(r->p + 16);
  *ns = pack_get32(r->p + 12);
  if (version != PACK_VERSION)
    return bad(r, "header: pack format version %u; this lector reads "
               "version %d (pack the corpus again)", version, PACK_VERSION);
  if (*ns > MAX_SECT) return bad(r, "header: %u sections (at most %d)", *ns,
                                 MAX_SECT);
  size_t hn = HDR_FIXED + (size_t)*ns * SECT_BYTES;
  if (total != r->len)
    return bad(r, "%s: the header says %llu bytes, the file has %zu",
               total > r->len ? "truncated" : "header", (unsigned long long)total,
               r->len);
  if (r->len < hn) return bad(r, "truncated: section table");
  uint32_t want = pack_get32(r->p + 24), got = header_crc(r->p, hn);
  if (crc != PACK_CRC_NONE && want != got)
    return bad(r, "header: checksum mismatch (CRC-32C stored %08x, "
               "computed %08x)", want, got);
  return 0;
}

/* The header and section table: every section inside the file, the
** three base ones there, the token ones all or none (TOFF, NEXT may be
** missing: a pack made before them); CRCs as crc says. */
static int read_header(reader *r, int crc) {
  uint32_t ns = 0;
  if (read_fixed(r, &ns, crc) != 0) return 1;
  size_t hn = HDR_FIXED + (size_t)ns * SECT_BYTES;
  for (uint32_t k = 0; k < ns; k++) {
    const unsigned char *e = r->p + HDR_FIXED + (size_t)k * SECT_BYTES;
    uint64_t off = pack_get64(e + 8), len = pack_get64(e + 16);
    int s = -1;
    for (int t = 0; t < NSECT; t++) if (memcmp(e, tag_of(t), 4) == 0) s = t;
    if (off < hn || off > r->len || len > r->len - off)
      return bad(r, "section %u (%.4s): bytes %llu..+%llu outside the file "
                 "(%zu bytes)", k, s >= 0 ? tag_of(s) : "?",
                 (unsigned long long)off, (unsigned long long)len, r->len);
    if (s < 0) continue;                  /* a later version's section */
    if (r->seen[s]++) return bad(r, "section %s appears twice", tag_of(s));
    r->off[s] = off;
    r->slen[s] = len;
    r->crc[s] = pack_get32(e + 4);
    if ((crc == PACK_CRC_ALL || (crc == PACK_CRC_SMALL && !is_bulk(s))) &&
        check_crc(r, s) != 0)
      return 1;
  }
  int tokens = 0;
  for (int s = NBASE; s < NSECT; s++) tokens |= r->seen[s] && !is_optional(s);
  for (int s = 0; s < NSECT; s++) {
    if (!r->seen[s] && !is_optional(s) && (s < NBASE || tokens))
      return bad(r, "section %s is missing", tag_of(s));
    if (r->seen[s] && is_optional(s) && !tokens)
      return bad(r, "section %s without the token sections", tag_of(s));
  }
  return 0;
}

/* A string at STRS offset off, or NULL when off is out of bounds (STRS
** ends with NUL, checked before). */
static const char *str_at(const reader *r, uint64_t off) {
  return off < r->slen[S_STRS] ? (const char *)r->p + r->off[S_STRS] + off
                               : NULL;
}

/* 1 when the metadata block at off lies inside STRS and is well formed. */
static int meta_ok(const reader *r, uint64_t off) {
  const char *s = (const char *)r->p + r->off[S_STRS];
  uint64_t n = r->slen[S_STRS];
  while (off < n && s[off]) {
    off += strlen(s + off) + 1;                       /* the key */
    if (off >= n || !strchr("snbjl", s[off]) || !s[off]) return 0;
    off++;
    if (off >= n) return 0;
    off += strlen(s + off) + 1;                       /* the value */
  }
  return off < n;
}

/* Document k's record at p into *d. */
static int read_doc(reader *r, size_t k, const unsigned char *p,
                    corpus_doc *d, int has_iconv) {
  const char *what = NULL;
  uint64_t meta = pack_get64(p + 32), toff = pack_get64(p + 40), tlen = pack_get64(p + 48);
  uint64_t tsec = r->slen[S_TEXT];
  d->id = str_at(r, pack_get64(p));
  d->path = str_at(r, pack_get64(p + 8));
  d->title = str_at(r, pack_get64(p + 16));
  d->file_id = str_at(r, pack_get64(p + 24));
  d->meta = meta == NONE ? NULL : str_at(r, meta);
  if (!d->id) what = "id";
  else if (!d->path) what = "path";
  else if (!d->title) what = "title";
  else if (!d->file_id) what = "file id";
  else if (meta != NONE && (!d->meta || !meta_ok(r, meta))) what = "metadata";
  if (what)
    return bad(r, "section DOCS: document %zu: its %s is outside STRS or "
               "malformed", k + 1, what);
  /* texts lie end to end, each with its NUL: checked by their places,
  ** so that loading does not touch TEXT's pages; the last byte of TEXT
  ** is a NUL (read_docs), so no string runs past it */
  if (toff != r->text_end || tlen >= tsec || toff > tsec - tlen - 1)
    return bad(r, "section DOCS: document %zu: its text (%llu bytes at %llu) "
               "is not where the last one ended (%llu) or outside TEXT "
               "(%llu bytes)", k + 1, (unsigned long long)tlen,
               (unsigned long long)toff, (unsigned long long)r->text_end,
               (unsigned long long)tsec);
  r->text_end = toff + tlen + 1;
  d->row_off = toff;
  d->bytes = tlen;
  d->size = pack_get64(p + 56);
  d->mtime_ns = (int64_t)pack_get64(p + 64);
  d->date = (int32_t)pack_get32(p + 72);
  d->line = pack_get32(p + 76);
  d->body_off = pack_get32(p + 80);
  d->date_source = p[84];
  d->format = p[85];
  d->encoding = p[86];
  d->gzip = p[87];
  d->bom = p[88];
  if (d->date_source > CORPUS_DATE_COLUMN || d->format < CORPUS_FMT_TEXT ||
      d->format > CORPUS_FMT_JSONL || d->encoding > CORPUS_ENC_RAW ||
      (d->encoding == CORPUS_ENC_ICONV && !has_iconv) || d->gzip > 1 ||
      d->bom > SOURCE_UTF32BE || d->date < 0 || d->date > 99991231)
    return bad(r, "section DOCS: document %zu: a field is out of range "
               "(date %d, date source %u, format %u, encoding %u, gzip %u, "
               "BOM %u)", k + 1, d->date, d->date_source, d->format,
               d->encoding, d->gzip, d->bom);
  return 0;
}

/* The DOCS section into st->docs. */
static int read_docs(reader *r, corpus_store *st) {
  const unsigned char *p = r->p + r->off[S_DOCS];
  uint64_t len = r->slen[S_DOCS];
  if (r->slen[S_STRS] && r->p[r->off[S_STRS] + r->slen[S_STRS] - 1] != '\0')
    return bad(r, "section STRS: does not end with a NUL byte");
  if (len < 16) return bad(r, "section DOCS: %llu bytes, too short",
                           (unsigned long long)len);
  uint64_t tsec = r->slen[S_TEXT];
  if (tsec && r->p[r->off[S_TEXT] + tsec - 1] != '\0')
    return bad(r, "section TEXT: does not end with a NUL byte");
  uint64_t n = pack_get64(p), iconv = pack_get64(p + 8);
  if (n > (len - 16) / PACK_DOC_BYTES || len - 16 != n * PACK_DOC_BYTES)
    return bad(r, "section DOCS: %llu bytes cannot hold %llu documents",
               (unsigned long long)len, (unsigned long long)n);
  if (iconv != NONE) {
    const char *name = str_at(r, iconv);
    if (!name) return bad(r, "section DOCS: the encoding name is outside STRS");
    if (!(st->iconv_name = strdup(name))) return *r->err = NULL, 1;
  }
  if (n && !(st->docs = mem_alloc((size_t)n * sizeof *st->docs)))
    return *r->err = NULL, 1;
  st->n = st->cap = (size_t)n;
  for (size_t k = 0; k < n; k++) {
    st->docs[k] = (corpus_doc){0};
    if (read_doc(r, k, p + 16 + k * PACK_DOC_BYTES, &st->docs[k],
                 iconv != NONE) != 0)
      return 1;
  }
  if (r->text_end != tsec)
    return bad(r, "section TEXT: %llu bytes, its documents end at %llu",
               (unsigned long long)tsec, (unsigned long long)r->text_end);
  return 0;
}

/* See pack.h. */
int pack_parse(const unsigned char *p, size_t len, const char *name, int crc,
               corpus_store *st, char **err) {
  reader r = {.p = p, .len = len, .name = name, .err = err};
  pack_map *pm = NULL;
  *err = NULL;
  if (read_header(&r, crc) != 0 || read_docs(&r, st) != 0) return 1;
  if (!(pm = calloc(1, sizeof *pm))) return 1;
  st->pack = pm;                     /* the store frees it from now on */
  if (!(pm->path = strdup(name))) return 1;
  pm->text = (const char *)p + r.off[S_TEXT];
  memcpy(pm->off, r.off, sizeof r.off);
  memcpy(pm->slen, r.slen, sizeof r.slen);
  memcpy(pm->crc, r.crc, sizeof r.crc);
  memcpy(pm->seen, r.seen, sizeof r.seen);
  for (int s = NBASE + PTOK_OPTIONAL; s < NSECT; s++)
    if (!r.seen[s]) r.slen[s] = PTOK_ABSENT;
  return ptok_parse(p, r.off + NBASE, r.seen[NBASE] ? r.slen + NBASE : NULL,
                    st->n, name, &pm->toks, err);
}

/* Is the open regular file fd (named path) a pack?  By its first bytes,
** or its name. */
static int is_pack(int fd, const char *path) {
  char head[PACK_MAGIC_LEN];
  size_t n = strlen(path);
  if (pread(fd, head, sizeof head, 0) == (ssize_t)sizeof head &&
      memcmp(head, PACK_MAGIC, sizeof head) == 0)
    return 1;
  return n > 4 && strcmp(path + n - 4, ".lpk") == 0;
}

/* Options that say how files are read mean nothing for a pack. */
static const char *pack_bad_opt(const corpus_opts *o) {
  if (o->n_exts) return "ext";
  if (o->glob) return "glob";
  if (o->encoding) return "encoding";
  if (o->format != CORPUS_FMT_AUTO) return "format";
  if (o->dates != CORPUS_DATES_AUTO) return "dates";
  if (o->text_field) return "text";
  if (o->id_field) return "id";
  if (o->date_field) return "date";
  if (o->shard_n) return "shard";
  return NULL;
}

/* Give back the pages loading read (checksums, the document records):
** they stay in the page cache, and a read (a document's id in STRS)
** faults them in again, so that memory holds what is used. */
static void drop_read_pages(const pack_map *pm) {
  long page = sysconf(_SC_PAGESIZE);
  for (int s = 0; s < NSECT; s++) {
    if (is_bulk(s) || !pm->slen[s]) continue;
    uint64_t a = (pm->off[s] + (uint64_t)page - 1) / (uint64_t)page * (uint64_t)page;
    uint64_t b = (pm->off[s] + pm->slen[s]) / (uint64_t)page * (uint64_t)page;
    if (b > a) madvise((char *)pm->base + a, (size_t)(b - a), MADV_DONTNEED);
  }
}

/* Map the pack open as fd (size bytes) and parse it into st. */
static int map_pack(int fd, const char *path, size_t size, corpus_store *st,
                    char **err) {
  void *base;
  if (size == 0) {
    *err = corpus_pathf(path, "not a Lector pack: the file is empty");
    return 1;
  }
  base = mmap(NULL, size, PROT_READ, MAP_PRIVATE, fd, 0);
  if (base == MAP_FAILED) {
    *err = corpus_pathf(path, "cannot map the pack: %s", strerror(errno));
    return 1;
  }
  if (pack_parse(base, size, path, PACK_CRC_SMALL, st, err) != 0) {
    munmap(base, size);
    return 1;
  }
  st->pack->base = base;           /* the store unmaps it from now on */
  ptok_set_mapped(st->pack->toks, base);
  drop_read_pages(st->pack);
  return 0;
}

/* See pack.h. */
int pack_load_roots(const char *const *paths, size_t n, const corpus_opts *o,
                    corpus_store *st, char **err) {
  struct stat sb;
  int fd = -1, which = -1;
  for (size_t i = 0; i < n; i++) {
    int f;
    if (corpus_open_input(paths[i], &f, &sb) != 0) continue;
    if (is_pack(f, paths[i]) && which < 0) {
      which = (int)i;
      fd = f;
    } else close(f);
  }
  if (which < 0) return -1;
  const char *opt = pack_bad_opt(o);
  int rc = 1;
  if (n > 1)
    *err = corpus_pathf(paths[which], "a pack is loaded alone (%zu roots "
                        "given)", n);
  else if (opt)
    *err = corpus_pathf(paths[which], "option '%s' does not apply to a pack "
                        "(its documents were read when it was packed)", opt);
  else if ((uint64_t)sb.st_size > SIZE_MAX)
    *err = corpus_pathf(paths[which], "too large to map");
  else rc = map_pack(fd, paths[which], (size_t)sb.st_size, st, err);
  close(fd);
  return rc;
}

/* See pack.h. */
int pack_text(const pack_map *pm, const corpus_doc *d, lector_text *out,
              char **err) {
  out->data = pm->text + d->row_off;
  out->len = (size_t)d->bytes;
  out->owner_ = NULL;
  if (out->data[out->len] == '\0') return 0;
  *err = corpus_pathf(pm->path, "section TEXT: the text of "
                      "%s does not end with a NUL byte: the pack is damaged",
                      d->id);
  memset(out, 0, sizeof *out);
  return 1;
}

/* See pack.h. */
const ptok_map *pack_toks_of(const pack_map *pm) {
  return pm ? pm->toks : NULL;
}

/* See pack.h. */
int pack_verify(const corpus *c, char **err) {
  const pack_map *pm = c->store->pack;
  *err = NULL;
  if (!pm || !pm->base) return 0;
  reader r = {.p = pm->base, .len = pm->len, .name = pm->path, .err = err};
  memcpy(r.off, pm->off, sizeof r.off);
  memcpy(r.slen, pm->slen, sizeof r.slen);
  memcpy(r.crc, pm->crc, sizeof r.crc);
  for (int s = 0; s < NSECT; s++)
    if (is_bulk(s) && pm->seen[s] && check_crc(&r, s) != 0)
      return 1;
  return 0;
}

/* See pack.h. */
void pack_map_free(pack_map *pm) {
  if (!pm) return;
  ptok_map_free(pm->toks);
  if (pm->base) munmap(pm->base, pm->len);
  free(pm->path);
  free(pm);
}

/* ---------------------------------------------------------------------
** Check
*/

/* A warning for d's file (sb from stat, or e its errno) when it changed
** since packing; NULL when it did not (*oom on failure). */
static char *file_changed(const corpus_doc *d, int e, const struct stat *sb) {
  if (e) return corpus_pathf(d->path, "changed since packing: %s", strerror(e));
  int64_t mt = (int64_t)sb->st_mtim.tv_sec * 1000000000 + sb->st_mtim.tv_nsec;
  if ((uint64_t)sb->st_size != d->size)
    return corpus_pathf(d->path, "changed since packing: size %llu bytes, was "
                        "%llu", (unsigned long long)sb->st_size,
                        (unsigned long long)d->size);
  if (mt != d->mtime_ns)
    return corpus_pathf(d->path, "changed since packing: mtime %lld.%09lld, "
                        "was %lld.%09lld", (long long)(mt / 1000000000),
                        (long long)(mt % 1000000000),
                        (long long)(d->mtime_ns / 1000000000),
                        (long long)(d->mtime_ns % 1000000000));
  return NULL;
}

/* See pack.h. */
int pack_check(corpus *c, int quiet, size_t *changed, char **err) {
  corpus_store *st = c->store;
  const char *last = NULL;
  *changed = 0;
  *err = NULL;
  if (!st->pack) {
    *err = util_errorf("check: only a pack can be checked against its "
                       "source files");
    return 1;
  }
  for (size_t i = 0; i < st->n; i++) {
    const corpus_doc *d = &st->docs[i];
    struct stat sb;
    if (last && strcmp(last, d->path) == 0) continue;
    last = d->path;
    if (session_interrupted()) return *err = util_errorf("interrupted"), 1;
    int e = stat(d->path, &sb) != 0 ? errno : 0;
    if (!e && !S_ISREG(sb.st_mode)) e = EINVAL;
    char *msg = file_changed(d, e, &sb);
    if (!msg && (e || (uint64_t)sb.st_size != d->size ||
                 (int64_t)sb.st_mtim.tv_sec * 1000000000 + sb.st_mtim.tv_nsec !=
                     d->mtime_ns))
      return 1;                                      /* out of memory */
    if (!msg) continue;
    if (!quiet) fprintf(stderr, "lector: warning: %s\n", msg);
    if (corpus_store_warn(st, d->path, msg) != 0) return 1;
    (*changed)++;
  }
  return 0;
}
