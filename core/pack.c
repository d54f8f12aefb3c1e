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
** Sections: bytes; writing; reading; check; command line.
*/
#include "pack.h"

#include <errno.h>
#include <stdarg.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "corpus_internal.h"
#include "corpus_source.h"
#include "mem.h"
#include "output.h"
#include "session.h"
#include "util.h"

#define NSECT 3
#define MAX_SECT 64
#define HDR_FIXED 32
#define SECT_BYTES 24
#define NONE UINT64_MAX

enum { S_TEXT, S_DOCS, S_STRS };
static const char *const tags[NSECT] = {"TEXT", "DOCS", "STRS"};

struct pack_map {
  void *base;          /* the mapping (NULL: memory not ours) */
  size_t len;
  const char *text;    /* the TEXT section */
  char *path;          /* the file mapped (NULL: memory) */
};

/* ---------------------------------------------------------------------
** Bytes
*/

static void put32(unsigned char *p, uint32_t v) {
  for (int i = 0; i < 4; i++) p[i] = (unsigned char)(v >> (8 * i));
}

static void put64(unsigned char *p, uint64_t v) {
  for (int i = 0; i < 8; i++) p[i] = (unsigned char)(v >> (8 * i));
}

static uint32_t get32(const unsigned char *p) {
  uint32_t v = 0;
  for (int i = 3; i >= 0; i--) v = v << 8 | p[i];
  return v;
}

static uint64_t get64(const unsigned char *p) {
  uint64_t v = 0;
  for (int i = 7; i >= 0; i--) v = v << 8 | p[i];
  return v;
}

/* A growable buffer counted against the memory limit. */
typedef struct mbuf {
  unsigned char *p;
  size_t len, cap;
} mbuf;

static int mbuf_add(mbuf *b, const void *s, size_t n) {
  if (b->cap - b->len < n) {
    size_t cap = b->cap ? b->cap : 4096;
    while (cap - b->len < n) cap *= 2;
    unsigned char *q = mem_realloc(b->p, cap);
    if (!q) return -1;
    b->p = q;
    b->cap = cap;
  }
  memcpy(b->p + b->len, s, n);
  b->len += n;
  return 0;
}

/* CRC-32 of the header bytes h[0..n), its own field (24..27) as zero. */
static uint32_t header_crc(const unsigned char *h, size_t n) {
  static const unsigned char zero[4] = {0};
  uLong c = crc32_z(0, h, 24);
  c = crc32_z(c, zero, 4);
  return (uint32_t)crc32_z(c, h + 28, n - 28);
}

/* ---------------------------------------------------------------------
** Writing
*/

typedef struct writer {
  corpus *c;
  mbuf docs, strs;
  uint64_t text_len;
  uint32_t crc_text;
  const char *last_path;      /* rows share their file's path */
  uint64_t last_path_off;
  pack_stats *st;
  int quiet;
} writer;

static int add_str(writer *w, const char *s, uint64_t *off) {
  *off = w->strs.len;
  return mbuf_add(&w->strs, s, strlen(s) + 1);
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
    if (mbuf_add(&w->strs, m.key, strlen(m.key) + 1) != 0 ||
        mbuf_add(&w->strs, &type, 1) != 0 ||
        mbuf_add(&w->strs, m.value, strlen(m.value) + 1) != 0)
      return -1;
  }
  return *off == NONE ? 0 : mbuf_add(&w->strs, "", 1);
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
  put64(r, id);
  put64(r + 8, path);
  put64(r + 16, title);
  put64(r + 24, file_id);
  put64(r + 32, meta);
  put64(r + 40, text_off);
  put64(r + 48, len);
  put64(r + 56, d->size);
  put64(r + 64, (uint64_t)d->mtime_ns);
  put32(r + 72, (uint32_t)d->date);
  put32(r + 76, d->line);
  put32(r + 80, d->body_off);
  r[84] = d->date_source;
  r[85] = d->format;
  r[86] = d->encoding;
  r[87] = d->gzip;
  r[88] = d->bom;
  return mbuf_add(&w->docs, r, sizeof r);
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
  if (!w->quiet) fprintf(stderr, "lector: warning: %s\n", line);
  return 0;
}

/* Write every document's text to f, each followed by NUL. */
static int write_texts(writer *w, FILE *f, char **err) {
  size_t n = corpus_count(w->c);
  for (size_t i = 0; i < n; i++) {
    lector_text t;
    char *why = NULL;
    if (session_interrupted()) {
      *err = util_errorf("interrupted");
      return 1;
    }
    if (corpus_text(w->c, i, &t, &why) != 0) {
      if (!why) return *err = NULL, 1;
      if (skip_doc(w, why) != 0) return *err = NULL, 1;
      continue;
    }
    fwrite(t.data, 1, t.len + 1, f);        /* errors: output_commit */
    w->crc_text = (uint32_t)crc32_z(w->crc_text, (const unsigned char *)t.data,
                                    t.len + 1);
    int rc = add_doc(w, i, w->text_len, t.len);
    w->text_len += t.len + 1;
    w->st->text_bytes += t.len;
    corpus_text_release(&t);
    if (rc != 0) return *err = NULL, 1;
    w->st->docs++;
  }
  return 0;
}

/* The header for the sections at off[], len[], crc[]. */
static void make_header(unsigned char *h, const uint64_t *off,
                        const uint64_t *len, const uint32_t *crc,
                        uint64_t total) {
  size_t n = HDR_FIXED + NSECT * SECT_BYTES;
  memset(h, 0, n);
  memcpy(h, PACK_MAGIC, PACK_MAGIC_LEN);
  put32(h + 8, PACK_VERSION);
  put32(h + 12, NSECT);
  put64(h + 16, total);
  for (int s = 0; s < NSECT; s++) {
    unsigned char *e = h + HDR_FIXED + s * SECT_BYTES;
    memcpy(e, tags[s], 4);
    put32(e + 4, crc[s]);
    put64(e + 8, off[s]);
    put64(e + 16, len[s]);
  }
  put32(h + 24, header_crc(h, n));
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

/* See pack.h. */
int pack_write(corpus *c, const char *path, int quiet, pack_stats *st,
               char **err) {
  writer w = {.c = c, .st = st, .quiet = quiet};
  unsigned char h[HDR_FIXED + NSECT * SECT_BYTES];
  size_t nin = 0;
  const char **in = input_paths(c, &nin);
  output *o = NULL;
  int rc = 1;
  memset(st, 0, sizeof *st);
  *err = NULL;
  if (!in) return 1;
  if (!(o = output_open(path, in, nin, err))) goto done;
  FILE *f = output_file(o);
  memset(h, 0, sizeof h);
  fwrite(h, 1, sizeof h, f);
  uint64_t docs_head[2] = {0, NONE};
  unsigned char dh[16];
  if (c->store->iconv_name && add_str(&w, c->store->iconv_name, &docs_head[1]))
    goto done;
  if (write_texts(&w, f, err) != 0) goto done;
  put64(dh, st->docs);
  put64(dh + 8, docs_head[1]);
  uint64_t off[NSECT], len[NSECT];
  uint32_t crc[NSECT];
  off[S_TEXT] = sizeof h;
  len[S_TEXT] = w.text_len;
  static const unsigned char pad[8] = {0};
  size_t npad = (8 - (off[S_TEXT] + len[S_TEXT]) % 8) % 8;
  fwrite(pad, 1, npad, f);
  off[S_DOCS] = off[S_TEXT] + len[S_TEXT] + npad;
  len[S_DOCS] = sizeof dh + w.docs.len;
  off[S_STRS] = off[S_DOCS] + len[S_DOCS];
  len[S_STRS] = w.strs.len;
  crc[S_TEXT] = w.crc_text;
  crc[S_DOCS] = (uint32_t)crc32_z(crc32_z(0, dh, sizeof dh), w.docs.p,
                                  w.docs.len);
  crc[S_STRS] = (uint32_t)crc32_z(0, w.strs.p, w.strs.len);
  fwrite(dh, 1, sizeof dh, f);
  if (w.docs.len) fwrite(w.docs.p, 1, w.docs.len, f);
  if (w.strs.len) fwrite(w.strs.p, 1, w.strs.len, f);
  st->file_bytes = off[S_STRS] + len[S_STRS];
  make_header(h, off, len, crc, st->file_bytes);
  if (fseek(f, 0, SEEK_SET) != 0) {
    *err = util_errorf("%s: cannot seek: %s", path, strerror(errno));
    goto done;
  }
  fwrite(h, 1, sizeof h, f);
  rc = output_commit(o, err);
  o = NULL;
done:
  output_abort(o);
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
  char **err;
} reader;

/* An error about the pack: "<name>: <fmt...>". */
static int bad(reader *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static int bad(reader *r, const char *fmt, ...) {
  char msg[256];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  *r->err = corpus_pathf(r->name, "%s", msg);
  return 1;
}

/* The header and section table: magic, version, lengths, CRCs. */
static int read_header(reader *r, int nocrc) {
  if (r->len < PACK_MAGIC_LEN || memcmp(r->p, PACK_MAGIC, PACK_MAGIC_LEN) != 0)
    return bad(r, "not a Lector pack (its first bytes are not the pack "
               "magic)");
  if (r->len < HDR_FIXED) return bad(r, "truncated: header: %zu bytes of %d",
                                     r->len, HDR_FIXED);
  uint32_t version = get32(r->p + 8), ns = get32(r->p + 12);
  uint64_t total = get64(r->p + 16);
  if (version != PACK_VERSION)
    return bad(r, "header: pack format version %u; this lector reads "
               "version %d (pack the corpus again)", version, PACK_VERSION);
  if (ns > MAX_SECT) return bad(r, "header: %u sections (at most %d)", ns,
                                MAX_SECT);
  size_t hn = HDR_FIXED + (size_t)ns * SECT_BYTES;
  if (total != r->len)
    return bad(r, "%s: the header says %llu bytes, the file has %zu",
               total > r->len ? "truncated" : "header", (unsigned long long)total,
               r->len);
  if (r->len < hn) return bad(r, "truncated: section table");
  uint32_t want = get32(r->p + 24), got = header_crc(r->p, hn);
  if (!nocrc && want != got)
    return bad(r, "header: checksum mismatch (CRC-32 stored %08x, "
               "computed %08x)", want, got);
  int seen[NSECT] = {0};
  for (uint32_t k = 0; k < ns; k++) {
    const unsigned char *e = r->p + HDR_FIXED + (size_t)k * SECT_BYTES;
    uint64_t off = get64(e + 8), len = get64(e + 16);
    int s = -1;
    for (int t = 0; t < NSECT; t++) if (memcmp(e, tags[t], 4) == 0) s = t;
    if (off < hn || off > r->len || len > r->len - off)
      return bad(r, "section %u (%.4s): bytes %llu..+%llu outside the file "
                 "(%zu bytes)", k, s >= 0 ? tags[s] : "?",
                 (unsigned long long)off, (unsigned long long)len, r->len);
    if (s < 0) continue;                  /* a later version's section */
    if (seen[s]++) return bad(r, "section %s appears twice", tags[s]);
    r->off[s] = off;
    r->slen[s] = len;
    want = get32(e + 4);
    got = (uint32_t)crc32_z(0, r->p + off, (size_t)len);
    if (!nocrc && want != got)
      return bad(r, "section %s: checksum mismatch (CRC-32 stored %08x, "
                 "computed %08x): the file is corrupt", tags[s], want, got);
  }
  for (int s = 0; s < NSECT; s++)
    if (!seen[s]) return bad(r, "section %s is missing", tags[s]);
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
  uint64_t meta = get64(p + 32), toff = get64(p + 40), tlen = get64(p + 48);
  uint64_t tsec = r->slen[S_TEXT];
  d->id = str_at(r, get64(p));
  d->path = str_at(r, get64(p + 8));
  d->title = str_at(r, get64(p + 16));
  d->file_id = str_at(r, get64(p + 24));
  d->meta = meta == NONE ? NULL : str_at(r, meta);
  if (!d->id) what = "id";
  else if (!d->path) what = "path";
  else if (!d->title) what = "title";
  else if (!d->file_id) what = "file id";
  else if (meta != NONE && (!d->meta || !meta_ok(r, meta))) what = "metadata";
  if (what)
    return bad(r, "section DOCS: document %zu: its %s is outside STRS or "
               "malformed", k + 1, what);
  if (tlen >= tsec || toff > tsec - tlen - 1 ||
      r->p[r->off[S_TEXT] + toff + tlen] != '\0')
    return bad(r, "section DOCS: document %zu: its text (%llu bytes at %llu) "
               "is outside TEXT (%llu bytes) or not NUL-terminated", k + 1,
               (unsigned long long)tlen, (unsigned long long)toff,
               (unsigned long long)tsec);
  d->row_off = toff;
  d->bytes = tlen;
  d->size = get64(p + 56);
  d->mtime_ns = (int64_t)get64(p + 64);
  d->date = (int32_t)get32(p + 72);
  d->line = get32(p + 76);
  d->body_off = get32(p + 80);
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
  uint64_t n = get64(p), iconv = get64(p + 8);
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
  return 0;
}

/* See pack.h. */
int pack_parse(const unsigned char *p, size_t len, const char *name, int nocrc,
               corpus_store *st, char **err) {
  reader r = {.p = p, .len = len, .name = name, .err = err};
  pack_map *pm = NULL;
  *err = NULL;
  if (read_header(&r, nocrc) != 0 || read_docs(&r, st) != 0) return 1;
  if (!(pm = calloc(1, sizeof *pm))) return 1;
  pm->text = (const char *)p + r.off[S_TEXT];
  st->pack = pm;
  return 0;
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
  if (pack_parse(base, size, path, 0, st, err) != 0) {
    munmap(base, size);
    return 1;
  }
  st->pack->base = base;           /* the store unmaps it from now on */
  st->pack->len = size;
  if (!(st->pack->path = strdup(path))) return *err = NULL, 1;
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
void pack_text(const pack_map *pm, const corpus_doc *d, lector_text *out) {
  out->data = pm->text + d->row_off;
  out->len = (size_t)d->bytes;
  out->owner_ = NULL;
}

/* See pack.h. */
void pack_map_free(pack_map *pm) {
  if (!pm) return;
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

/* ---------------------------------------------------------------------
** Command line
*/

/* See pack.h. */
int pack_cli(const char *dir, const char *out, int quiet) {
  corpus_opts o = {.quiet = quiet};
  corpus *c = NULL;
  pack_stats st = {0};
  char *err = NULL;
  int rc = corpus_load(&dir, 1, &o, &c, &err);
  if (rc == 0) rc = pack_write(c, out, quiet, &st, &err);
  if (rc != 0)
    fprintf(stderr, "lector: --pack: %s\n", UTIL_MSG(err));
  else if (!quiet)
    fprintf(stderr, "lector: packed %zu documents (%llu bytes of text, %zu "
            "left out) into %s (%llu bytes)\n", st.docs,
            (unsigned long long)st.text_bytes, st.skipped, out,
            (unsigned long long)st.file_bytes);
  free(err);
  pack_stats_free(&st);
  corpus_release(c);
  return rc != 0;
}
