/*
** pack_toks.c -- the token sections of a pack (see pack_toks.h).
**
** Sections: bytes; writing; the positional index; reading; the host's
** functions.
*/
#define _GNU_SOURCE             /* O_TMPFILE */
#include "pack_toks.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "corpus_internal.h"
#include "crc32c.h"
#include "pack.h"
#include "mem.h"
#include "pool.h"
#include "session.h"
#include "util.h"
#include "vocab.h"

const char *const ptok_tags[PTOK_NSECT] = {"TOKO", "VOCB", "VSRT", "TIDX",
                                           "TOKS", "POFF", "POST", "TOFF",
                                           "NEXT"};
enum { T_TOKO, T_VOCB, T_VSRT, T_TIDX, T_TOKS, T_POFF, T_POST, T_TOFF,
       T_NEXT };

#define SCRATCH_BUF (1u << 20)
#define POST_CHUNK ((uint64_t)128 << 20)  /* POST, NEXT built at least and */
#define POST_CHUNK_MAX ((uint64_t)1 << 30) /* at most so much at a time */
#define DROP_BLOCK ((uint64_t)1 << 20)    /* mapped pages given back so */

/* ---------------------------------------------------------------------
** Bytes
*/

/* v as a varint at p; its length. */
static size_t varint_put(unsigned char *p, uint32_t v) {
  size_t n = 0;
  while (v >= 0x80) {
    p[n++] = (unsigned char)(v | 0x80);
    v >>= 7;
  }
  p[n++] = (unsigned char)v;
  return n;
}

static size_t varint_len(uint32_t v) {
  size_t n = 1;
  while (v >= 0x80) v >>= 7, n++;
  return n;
}

/* varint_get past its first byte. */
static int varint_get_long(const unsigned char **p, const unsigned char *end,
                           uint32_t *v) {
  uint32_t x = 0;
  for (int shift = 0; shift < 35 && *p < end; shift += 7) {
    unsigned char b = *(*p)++;
    if (shift == 28 && b > 0x0f) return -1;
    x |= (uint32_t)(b & 0x7f) << shift;
    if (!(b & 0x80)) return *v = x, 0;
  }
  return -1;
}

/* The varint at *p (below end) into *v, advancing *p; -1 when it runs
** past end or over 32 bits.  Most are one byte: those take no loop. */
static inline int varint_get(const unsigned char **p,
                             const unsigned char *end, uint32_t *v) {
  if (*p < end && **p < 0x80) return *v = *(*p)++, 0;
  return varint_get_long(p, end, v);
}

int pack_buf_add(pack_buf *b, const void *s, size_t n) {
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

static int vec_add64(pack_buf *b, uint64_t v) {
  unsigned char x[8];
  pack_put64(x, v);
  return pack_buf_add(b, x, 8);
}

void pack_sect_begin(ptok_sect *s, uint64_t pos) {
  s->off = pos;
  s->len = 0;
  s->crc = 0;
}

void pack_sect_add(FILE *f, ptok_sect *s, const void *p, size_t n) {
  if (!n) return;
  fwrite(p, 1, n, f);                    /* errors: the caller's commit */
  s->crc = crc32c(s->crc, p, n);
  s->len += n;
}

void pack_sect_end(FILE *f, ptok_sect *s, uint64_t *pos) {
  static const unsigned char pad[8] = {0};
  size_t npad = (size_t)((8 - s->len % 8) % 8);
  fwrite(pad, 1, npad, f);
  *pos = s->off + s->len + npad;
}

/* ---------------------------------------------------------------------
** Writing
*/

/* Per word of the pack: its lists' sizes so far (POST, NEXT), and its
** last occurrence (+ 1), to size the next. */
typedef struct post_build {
  uint64_t *size, *nsize, *occ;
  uint32_t *last_doc, *last_pos;
  size_t cap;
} post_build;

static size_t post_entry(uint32_t *last_doc, uint32_t *last_pos,
                         uint32_t doc, uint32_t pos, unsigned char *out);
static int post_room(post_build *pb, uint32_t w);
static void post_free(post_build *pb);

/* A run: documents whose lists hold about a chunk's bytes, written to a
** scratch file word after word, with an index of (word, bytes) for the
** words in it, so that each word's list is its pieces of every run in
** order. */
typedef struct run {
  uint64_t data, ndata;       /* its pieces in the data file */
  uint64_t idx, nidx;         /* its index entries in the index file */
} run;

/* One list's runs and their scratch files (-1: none). */
typedef struct run_set {
  int dfd, ifd;
  run *run;
  size_t n, cap;
} run_set;

struct ptok_writer {
  ptok_opts o;
  char *path;                 /* the pack's: scratch files go beside it */
  int fd;                     /* the scratch file: TOKS */
  unsigned char *buf;         /* what waits to go there */
  size_t blen;
  uint64_t toks_len;
  uint64_t toks_off;          /* where TOKS went in the pack */
  int mfd;                    /* another: TOFF's checkpoints */
  unsigned char *mbuf;        /* what waits to go there */
  size_t mlen;
  uint64_t nmarks;            /* checkpoints written */
  pack_buf mfirst;            /* TOFF's first[]: u64 per document + 1 */
  uint32_t *map;              /* session id -> pack id + 1 (0: not yet) */
  size_t map_cap;
  uint32_t empty;             /* pack id + 1 of "" */
  pack_buf words, offs;       /* VOCB's bytes and offsets */
  pack_buf tidx;
  uint64_t nwords, ntokens, ndocs;
  post_build post;
  uint64_t chunk;             /* bytes of lists built at a time */
  run_set runs[2];            /* POST's and NEXT's runs, when in runs */
  const char *how;            /* how the lists were built (ptok_lists) */
  struct {                    /* the state at the start of document doc */
    uint64_t doc, nwords;     /* (half of them): where a second thread */
    uint64_t *size[2];        /* fills from (NULL: not saved) */
    uint32_t *last_doc, *last_pos;
  } mid;
};

/* A scratch file beside path (O_TMPFILE: gone when closed), else in
** TMPDIR. */
static int scratch_open(const char *path) {
  char *dir = strdup(path), *slash;
  int fd = -1;
  if (dir) {
    slash = strrchr(dir, '/');
    if (!slash) strcpy(dir, ".");
    else if (slash == dir) dir[1] = '\0';
    else *slash = '\0';
    fd = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
    free(dir);
  }
  if (fd < 0) {
    FILE *f = tmpfile();
    if (f) {
      fd = dup(fileno(f));
      fclose(f);
    }
  }
  return fd;
}

/* rs emptied: its scratch files closed, its runs freed. */
static void run_set_free(run_set *rs) {
  if (rs->dfd >= 0) close(rs->dfd);
  if (rs->ifd >= 0) close(rs->ifd);
  mem_free(rs->run);
  memset(rs, 0, sizeof *rs);
  rs->dfd = rs->ifd = -1;
}

ptok_writer *ptok_writer_new(const ptok_opts *o, const char *path,
                             uint64_t ndocs, char **err) {
  ptok_writer *w = mem_alloc(sizeof *w);
  *err = NULL;
  if (!w) return NULL;
  memset(w, 0, sizeof *w);
  w->o = *o;
  w->mid.doc = ndocs / 2;
  w->fd = w->mfd = -1;
  for (int j = 0; j < 2; j++) w->runs[j].dfd = w->runs[j].ifd = -1;
  if (!(w->path = strdup(path)) || !(w->buf = mem_alloc(SCRATCH_BUF)) ||
      !(w->mbuf = mem_alloc(SCRATCH_BUF)) || vec_add64(&w->offs, 0) != 0 ||
      vec_add64(&w->mfirst, 0) != 0) {
    ptok_writer_free(w);
    return NULL;
  }
  if ((w->fd = scratch_open(path)) < 0 || (w->mfd = scratch_open(path)) < 0) {
    *err = util_errorf("cannot make a scratch file for the token streams: "
                       "%s", strerror(errno));
    ptok_writer_free(w);
    return NULL;
  }
  return w;
}

void ptok_writer_free(ptok_writer *w) {
  if (!w) return;
  if (w->fd >= 0) close(w->fd);
  if (w->mfd >= 0) close(w->mfd);
  free(w->path);
  mem_free(w->buf);
  mem_free(w->mbuf);
  mem_free(w->mfirst.p);
  mem_free(w->map);
  mem_free(w->words.p);
  mem_free(w->offs.p);
  mem_free(w->tidx.p);
  post_free(&w->post);
  run_set_free(&w->runs[0]);
  run_set_free(&w->runs[1]);
  mem_free(w->mid.size[0]);
  mem_free(w);
}

/* Room for n ids in *ids.  0 or -1. */
static int ids_room(uint32_t **ids, size_t *cap, size_t n) {
  if (n <= *cap) return 0;
  size_t c = *cap ? *cap : 256;
  while (c < n) c *= 2;
  uint32_t *p = mem_realloc(*ids, c * sizeof *p);
  if (!p) return -1;
  *ids = p;
  *cap = c;
  return 0;
}

/* The tokenizer's callback: the token's session id. */
static int on_token(void *ud, const lector_tok_span *sp, const char *norm,
                    size_t len) {
  ptok_doc *d = ud;
  uint32_t id = len == 0 ? PTOK_EMPTY
                : sp->id ? sp->id : vocab_intern(norm, len);
  if (id == 0) return LECTOR_ENOMEM;
  if (d->n % PTOK_STRIDE == 0) {          /* a checkpoint (TOFF) */
    if (ids_room(&d->marks, &d->mcap, d->nmarks + 1) != 0)
      return LECTOR_ENOMEM;
    d->marks[d->nmarks++] = sp->offset;
  }
  if (ids_room(&d->ids, &d->cap, d->n + 1) != 0) return LECTOR_ENOMEM;
  d->ids[d->n++] = id;
  return 0;
}

int ptok_tokenize(const ptok_opts *o, const char *text, size_t len,
                  ptok_doc *d, char **err) {
  char *msg = NULL;
  d->n = d->nmarks = 0;
  *err = NULL;
  int rc = o->api->each(o->opts, text, len, on_token, d, &msg);
  if (rc == LECTOR_OK) return 0;
  if (rc != LECTOR_ENOMEM) *err = util_errorf("%s", msg ? msg : "tokenizer "
                                              "error");
  if (msg) o->msg_free(msg);
  return 1;
}

void ptok_doc_free(ptok_doc *d) {
  mem_free(d->ids);
  mem_free(d->marks);
  memset(d, 0, sizeof *d);
}

/* p[0..n) to the scratch file fd beside the pack path.  0, or 1 with
** *err. */
static int scratch_write(const char *path, int fd, const void *p, size_t n,
                         char **err) {
  size_t done = 0;
  while (done < n) {
    ssize_t k = write(fd, (const char *)p + done, n - done);
    if (k < 0 && errno == EINTR) continue;
    if (k <= 0) {
      *err = util_errorf("%s: cannot write a scratch file beside it: %s",
                         path, strerror(k < 0 ? errno : ENOSPC));
      return 1;
    }
    done += (size_t)k;
  }
  return 0;
}

static int scratch_flush(ptok_writer *w, char **err) {
  if (scratch_write(w->path, w->fd, w->buf, w->blen, err) != 0) return 1;
  w->blen = 0;
  return 0;
}

/* Document d's checkpoints (TOFF), whose tokens start at byte base of
** TOKS, now written up to byte w->toks_len: token k's when it is one. */
static int add_mark(ptok_writer *w, const ptok_doc *d, size_t k,
                    uint64_t base, char **err) {
  if (w->mlen + 8 > SCRATCH_BUF) {
    if (scratch_write(w->path, w->mfd, w->mbuf, w->mlen, err) != 0) return 1;
    w->mlen = 0;
  }
  pack_put32(w->mbuf + w->mlen, d->marks[k / PTOK_STRIDE]);
  pack_put32(w->mbuf + w->mlen + 4, (uint32_t)(w->toks_len - base));
  w->mlen += 8;
  w->nmarks++;
  return 0;
}

/* A new pack word for session id sid (PTOK_EMPTY: ""): its pack id + 1. */
static uint32_t new_word(ptok_writer *w, uint32_t sid) {
  size_t len = 0;
  const char *s = sid == PTOK_EMPTY ? "" : vocab_string(sid, &len);
  if (!s || w->nwords >= UINT32_MAX - 1 ||
      pack_buf_add(&w->words, s, len + 1) != 0 ||
      vec_add64(&w->offs, w->words.len) != 0)
    return 0;
  return (uint32_t)++w->nwords;
}

/* The pack id of session id sid (PTOK_EMPTY: ""), made on first sight:
** its pack id + 1, 0 on out of memory. */
static uint32_t pack_id(ptok_writer *w, uint32_t sid) {
  if (sid == PTOK_EMPTY) {
    if (!w->empty) w->empty = new_word(w, sid);
    return w->empty;
  }
  if (sid >= w->map_cap) {
    size_t cap = w->map_cap ? w->map_cap : 65536;
    while (cap <= sid) cap *= 2;
    uint32_t *m = mem_realloc(w->map, cap * sizeof *m);
    if (!m) return 0;
    memset(m + w->map_cap, 0, (cap - w->map_cap) * sizeof *m);
    w->map = m;
    w->map_cap = cap;
  }
  if (!w->map[sid]) w->map[sid] = new_word(w, sid);
  return w->map[sid];
}

/* The lists' state now, at the start of document w->mid.doc, into
** w->mid (one block); left unsaved when out of memory. */
static void save_mid(ptok_writer *w) {
  size_t n = (size_t)w->nwords;
  unsigned char *p = mem_alloc((n ? n : 1) * 24);
  if (!p) return;
  w->mid.nwords = n;
  w->mid.size[0] = (uint64_t *)p;
  w->mid.size[1] = w->mid.size[0] + n;
  w->mid.last_doc = (uint32_t *)(w->mid.size[1] + n);
  w->mid.last_pos = w->mid.last_doc + n;
  if (!n) return;                         /* no words yet: no arrays */
  memcpy(w->mid.size[0], w->post.size, n * 8);
  memcpy(w->mid.size[1], w->post.nsize, n * 8);
  memcpy(w->mid.last_doc, w->post.last_doc, n * 4);
  memcpy(w->mid.last_pos, w->post.last_pos, n * 4);
}

int ptok_add(ptok_writer *w, const ptok_doc *d, char **err) {
  *err = NULL;
  if (w->ndocs == w->mid.doc && w->ndocs) save_mid(w);
  if (vec_add64(&w->tidx, w->toks_len) != 0 || vec_add64(&w->tidx, d->n))
    return 1;
  if (d->n > UINT32_MAX || w->ndocs >= UINT32_MAX) {
    *err = util_errorf("%s (at most 2^32 - 1)", d->n > UINT32_MAX ?
                       "a document of more tokens" : "more documents");
    return 1;
  }
  /* checkpoints when every offset in TOKS fits 32 bits (5 bytes a token
  ** at most) */
  uint64_t base = w->toks_len;
  int marks = d->n <= UINT32_MAX / 5 &&
              d->nmarks == (d->n + PTOK_STRIDE - 1) / PTOK_STRIDE;
  uint32_t prev = UINT32_MAX;          /* the last token's id: its NEXT */
  for (size_t k = 0; k < d->n; k++) {
    uint32_t id = pack_id(w, d->ids[k]) - 1;
    if (id == UINT32_MAX || post_room(&w->post, id) != 0) return 1;
    if (prev != UINT32_MAX) w->post.nsize[prev] += varint_len(id + 1);
    prev = id;
    if (w->blen + 5 > SCRATCH_BUF && scratch_flush(w, err) != 0) return 1;
    if (marks && k % PTOK_STRIDE == 0 && add_mark(w, d, k, base, err) != 0)
      return 1;
    size_t n = varint_put(w->buf + w->blen, id);
    w->blen += n;
    w->toks_len += n;
    w->post.size[id] += post_entry(&w->post.last_doc[id],
                                   &w->post.last_pos[id], (uint32_t)w->ndocs,
                                   (uint32_t)k, NULL);
    w->post.occ[id]++;
  }
  if (prev != UINT32_MAX) w->post.nsize[prev]++;     /* 0: the last */
  w->ntokens += d->n;
  w->ndocs++;
  return vec_add64(&w->mfirst, w->nmarks);
}

void ptok_counts(const ptok_writer *w, uint64_t *words, uint64_t *tokens) {
  *words = w->nwords;
  *tokens = w->ntokens;
}

const char *ptok_lists(const ptok_writer *w) { return w->how; }

/* VSRT's order: by bytes, a prefix first (qsort_r's comparison). */
static int by_word(const void *a, const void *b, void *arg) {
  const ptok_writer *w = arg;
  uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
  const unsigned char *o = w->offs.p;
  uint64_t xo = pack_get64(o + 8 * x), xl = pack_get64(o + 8 * (x + 1)) - xo - 1;
  uint64_t yo = pack_get64(o + 8 * y), yl = pack_get64(o + 8 * (y + 1)) - yo - 1;
  int c = memcmp(w->words.p + xo, w->words.p + yo, xl < yl ? xl : yl);
  return c ? c : (xl > yl) - (xl < yl);
}

/* VSRT into s. */
static int write_sorted(ptok_writer *w, FILE *f, uint64_t *pos, ptok_sect *s) {
  uint32_t *ids = w->nwords ? mem_alloc(w->nwords * sizeof *ids) : NULL;
  if (w->nwords && !ids) return 1;
  for (uint32_t k = 0; k < w->nwords; k++) ids[k] = k;
  if (ids) qsort_r(ids, w->nwords, sizeof *ids, by_word, w);
  pack_sect_begin(s, *pos);
  for (uint32_t k = 0; k < w->nwords; k++) {
    unsigned char b[4] = {(unsigned char)ids[k], (unsigned char)(ids[k] >> 8),
                          (unsigned char)(ids[k] >> 16),
                          (unsigned char)(ids[k] >> 24)};
    pack_sect_add(f, s, b, 4);
  }
  pack_sect_end(f, s, pos);
  mem_free(ids);
  return 0;
}

/* The first len bytes of scratch file fd added to s (through w->buf),
** their pages given back as they are read (a hole punched): the pack's
** next pages reuse them, and new pages cost more than copying. */
static int copy_scratch(ptok_writer *w, int fd, uint64_t len, FILE *f,
                        ptok_sect *s, char **err) {
  uint64_t at = 0;
  while (at < len) {
    size_t want = len - at < SCRATCH_BUF ? (size_t)(len - at) : SCRATCH_BUF;
    ssize_t k = pread(fd, w->buf, want, (off_t)at);
    if (k < 0 && errno == EINTR) continue;
    if (k <= 0) {
      *err = util_errorf("cannot read back a scratch file of the pack: %s",
                         k < 0 ? strerror(errno) : "it is shorter");
      return 1;
    }
    pack_sect_add(f, s, w->buf, (size_t)k);
#ifdef FALLOC_FL_PUNCH_HOLE                   /* best effort */
    fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, (off_t)at, k);
#endif
    at += (uint64_t)k;
  }
  return 0;
}

/* TOKS: the scratch file copied (and emptied); the lists are built from
** the copy. */
static int copy_toks(ptok_writer *w, FILE *f, uint64_t *pos, ptok_sect *s,
                     char **err) {
  w->toks_off = *pos;
  pack_sect_begin(s, *pos);
  if (copy_scratch(w, w->fd, w->toks_len, f, s, err) != 0) return 1;
  pack_sect_end(f, s, pos);
  return 0;
}

/* TOFF: the spacing, first[], the checkpoints' scratch file. */
static int write_marks(ptok_writer *w, FILE *f, uint64_t *pos, ptok_sect *s,
                       char **err) {
  unsigned char k[8];
  if (scratch_write(w->path, w->mfd, w->mbuf, w->mlen, err) != 0) return 1;
  w->mlen = 0;
  pack_put64(k, PTOK_STRIDE);
  pack_sect_begin(s, *pos);
  pack_sect_add(f, s, k, 8);
  pack_sect_add(f, s, w->mfirst.p, w->mfirst.len);
  if (copy_scratch(w, w->mfd, 8 * w->nmarks, f, s, err) != 0) return 1;
  pack_sect_end(f, s, pos);
  return 0;
}

/* ---------------------------------------------------------------------
** The positional index and the successor lists.  ptok_add sizes every
** word's lists as it goes (post_entry with no output; NEXT's from the
** token that follows).  ptok_finish then fills them from TOKS (mapped),
** w->chunk bytes of lists at a time (a share of the memory limit's
** room): when POST and NEXT fit together, with one scan straight into
** the output's pages (write_in_place); when each fits alone (or the file
** system cannot reserve the pages), one scan each into memory; otherwise
** in runs of documents, each sized, filled (both lists) and written to
** scratch files word after word, and each list's runs are then merged
** word by word: TOKS is read twice whatever the corpus's size, and
** memory holds one run.
*/

/* A word's occurrence (doc, pos) into out (NULL: only its size): its
** bytes.  *last_doc and *last_pos hold its last occurrence + 1. */
static size_t post_entry(uint32_t *last_doc, uint32_t *last_pos,
                         uint32_t doc, uint32_t pos, unsigned char *out) {
  uint32_t gap = doc + 1 - *last_doc;
  uint32_t p = gap ? pos : pos + 1 - *last_pos;
  *last_doc = doc + 1;
  *last_pos = pos + 1;
  if (!out) return varint_len(gap) + varint_len(p);
  size_t n = varint_put(out, gap);
  return n + varint_put(out + n, p);
}

/* Room for word id w in pb's arrays (zeroed).  0 or -1. */
static int post_room(post_build *pb, uint32_t w) {
  if (w < pb->cap) return 0;
  size_t cap = pb->cap ? 2 * pb->cap : 65536, old = pb->cap;
  uint64_t *size = mem_realloc(pb->size, cap * sizeof *size);
  if (size) pb->size = size;
  uint64_t *nsize = mem_realloc(pb->nsize, cap * sizeof *nsize);
  if (nsize) pb->nsize = nsize;
  uint64_t *occ = mem_realloc(pb->occ, cap * sizeof *occ);
  if (occ) pb->occ = occ;
  uint32_t *ld = mem_realloc(pb->last_doc, cap * sizeof *ld);
  if (ld) pb->last_doc = ld;
  uint32_t *lp = mem_realloc(pb->last_pos, cap * sizeof *lp);
  if (lp) pb->last_pos = lp;
  if (!size || !nsize || !occ || !ld || !lp) return -1;
  memset(size + old, 0, (cap - old) * sizeof *size);
  memset(nsize + old, 0, (cap - old) * sizeof *nsize);
  memset(occ + old, 0, (cap - old) * sizeof *occ);
  memset(ld + old, 0, (cap - old) * sizeof *ld);
  memset(lp + old, 0, (cap - old) * sizeof *lp);
  pb->cap = cap;
  return 0;
}

static void post_free(post_build *pb) {
  mem_free(pb->size);
  mem_free(pb->nsize);
  mem_free(pb->occ);
  mem_free(pb->last_doc);
  mem_free(pb->last_pos);
}

/* Full pages of [from, to) of the mapping at base, given back (they stay
** in the page cache). */
static void drop_pages(const unsigned char *base, uint64_t from, uint64_t to) {
  uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);
  uintptr_t a = ((uintptr_t)(base + from) + page - 1) / page * page;
  uintptr_t b = (uintptr_t)(base + to) / page * page;
  if (b > a) madvise((void *)a, (size_t)(b - a), MADV_DONTNEED);
}

/* What a scan of TOKS (mapped at toks) reads: documents [d0, d1); and
** which lists it builds: POST (L_POST), NEXT (L_NEXT) or both. */
enum { L_POST = 1, L_NEXT = 2, L_BOTH = 3 };
typedef struct scan {
  const ptok_writer *w;
  const unsigned char *toks;
  uint64_t d0, d1;
  int which;
} scan;

/* A word's place in a fill: where its next bytes go in POST's buffer
** (at[0]) and NEXT's (at[1]), and its last occurrence + 1 (POST's gaps),
** together so that a token touches one cache line of them. */
typedef struct cursor {
  uint64_t at[2];
  uint32_t last_doc, last_pos;
} cursor;

/* Where a fill writes: list j (0 POST, 1 NEXT) into buf[j], word w's
** bytes at buf[j] + cur[w].at[j] (advanced). */
typedef struct lists {
  unsigned char *buf[2];
  cursor *cur;
} lists;

/* The id at *p, which we wrote (well formed), advancing *p. */
static uint32_t next_id(const unsigned char **p) {
  uint32_t x = *(*p)++;
  if (x >= 0x80) {
    x &= 0x7f;
    for (int shift = 7;; shift += 7) {
      unsigned char b = *(*p)++;
      x |= (uint32_t)(b & 0x7f) << shift;
      if (!(b & 0x80)) break;
    }
  }
  return x;
}

/* The lists of words [lo, hi) in sc's documents, appended in ls.  Gives
** the pages it read back as it goes.  0, or -1 when interrupted. */
static int post_fill(const scan *sc, uint32_t lo, uint32_t hi,
                     const lists *ls) {
  cursor *cur = ls->cur;
  unsigned char *buf = ls->buf[0], *nbuf = ls->buf[1];
  const unsigned char *tidx = sc->w->tidx.p;
  if (sc->d0 >= sc->d1) return 0;                   /* no documents */
  uint64_t done = pack_get64(tidx + 16 * sc->d0);   /* pages read up to */
  for (uint64_t d = sc->d0; d < sc->d1; d++) {
    const unsigned char *p = sc->toks + pack_get64(tidx + 16 * d);
    uint64_t n = pack_get64(tidx + 16 * d + 8);
    if ((d & 1023) == 0 && session_interrupted()) return -1;
    uint32_t w = n ? next_id(&p) : 0;
    for (uint32_t k = 0; k < n; k++) {
      uint32_t nx = k + 1 < n ? next_id(&p) + 1 : 0;
      if (w >= lo && w < hi) {
        cursor *c = &cur[w];
        if (sc->which & L_POST)
          c->at[0] += post_entry(&c->last_doc, &c->last_pos, (uint32_t)d, k,
                                 buf + c->at[0]);
        if (sc->which & L_NEXT) c->at[1] += varint_put(nbuf + c->at[1], nx);
      }
      w = nx - 1;
    }
    uint64_t now = (uint64_t)(p - sc->toks);
    if (now - done >= 2 * DROP_BLOCK) {
      drop_pages(sc->toks, done, now - DROP_BLOCK);
      done = now - DROP_BLOCK;
    }
  }
  return 0;
}

/* One thread's share: words [lo, hi). */
typedef struct fill_job {
  const scan *sc;
  uint32_t lo, hi;
  lists ls;
  int rc;
} fill_job;

static void *fill_thread(void *arg) {
  fill_job *j = arg;
  j->rc = post_fill(j->sc, j->lo, j->hi, &j->ls);
  return NULL;
}

/* The lists of words [lo, hi) whose sizes are size[j][] (indexed by
** word) into ls; on two threads when there are words enough (halves by
** bytes).  0, or nonzero when interrupted. */
static int fill(const scan *sc, const uint64_t *const *size, uint32_t lo,
                uint32_t hi, const lists *ls) {
  uint32_t mid = lo;
  uint64_t half = 0, total = 0;
  pthread_t th;
  for (int j = 0; j < 2; j++)
    for (uint32_t k = lo; sc->which & (1 << j) && k < hi; k++)
      total += size[j][k];
  while (mid < hi && half < total / 2) {
    for (int j = 0; j < 2; j++) if (sc->which & (1 << j)) half += size[j][mid];
    mid++;
  }
  fill_job job[2] = {{sc, lo, mid, *ls, 0}, {sc, mid, hi, *ls, 0}};
  if (pool_cores() < 2 || mid == hi ||
      pthread_create(&th, NULL, fill_thread, &job[1]) != 0)  /* one does all */
    return post_fill(sc, lo, hi, ls);
  fill_thread(&job[0]);
  pthread_join(th, NULL);
  return job[0].rc || job[1].rc;
}

/* The lists of all sc's documents (all of the pack's) into ls on two
** threads split at document w->mid.doc: the second starts each word's
** lists (cursors in second) where the first's will end, and from its
** last occurrence before, as ptok_add saved them.  0, or nonzero when
** interrupted. */
static int fill_halves(const scan *sc, const lists *ls, cursor *second) {
  const ptok_writer *w = sc->w;
  uint32_t nw = (uint32_t)w->nwords;
  scan a = *sc, b = *sc;
  pthread_t th;
  for (uint32_t k = 0; k < nw; k++) {
    second[k] = ls->cur[k];
    if (k >= w->mid.nwords) continue;        /* first seen after: as is */
    for (int j = 0; j < 2; j++) second[k].at[j] += w->mid.size[j][k];
    second[k].last_doc = w->mid.last_doc[k];
    second[k].last_pos = w->mid.last_pos[k];
  }
  a.d1 = b.d0 = w->mid.doc;
  fill_job job[2] = {{&a, 0, nw, *ls, 0},
                     {&b, 0, nw, {{ls->buf[0], ls->buf[1]}, second}, 0}};
  int started = pthread_create(&th, NULL, fill_thread, &job[1]) == 0;
  fill_thread(&job[0]);
  if (started) pthread_join(th, NULL);
  else fill_thread(&job[1]);                       /* no thread: here */
  return job[0].rc || job[1].rc;
}

/* Ask for huge pages under p[0..n) (2 MB-aligned part): a fill writes
** all over its buffers, and with 4 KB pages nearly every write would
** miss the TLB. */
static void huge_pages(void *p, size_t n) {
#ifdef MADV_HUGEPAGE
  const uintptr_t huge = (uintptr_t)2 << 20;
  uintptr_t a = ((uintptr_t)p + huge - 1) & ~(huge - 1);
  uintptr_t b = ((uintptr_t)p + n) & ~(huge - 1);
  if (b > a) madvise((void *)a, (size_t)(b - a), MADV_HUGEPAGE);
#else
  (void)p, (void)n;
#endif
}

/* The lists sc builds, of its documents, all words, sized by size[j]
** (whose words with no bytes are left out), into buf[j] of bytes[j]:
** new buffers, or the places into[j] when into is given.  On two threads:
** split at the middle document when sc reads them all (fill_halves),
** else by words (fill).  0, or 1 with *err (NULL: out of memory). */
static int fill_all(ptok_writer *w, const scan *sc,
                    const uint64_t *const *size, unsigned char *const *into,
                    unsigned char **buf, uint64_t *bytes, char **err) {
  post_build *pb = &w->post;
  size_t nw = (size_t)w->nwords;
  int halves = sc->d0 == 0 && sc->d1 == w->ndocs && w->mid.size[0] &&
               w->mid.doc < w->ndocs && pool_cores() >= 2;
  lists ls = {{NULL, NULL},
              mem_alloc((nw ? nw : 1) * (halves ? 2 : 1) * sizeof *ls.cur)};
  cursor *last = halves ? ls.cur + nw : ls.cur;    /* the state at the end */
  int rc = 1;
  buf[0] = buf[1] = NULL;
  bytes[0] = bytes[1] = 0;
  if (!ls.cur) return 1;
  for (size_t k = 0; k < nw; k++) {
    ls.cur[k].last_doc = pb->last_doc[k];
    ls.cur[k].last_pos = pb->last_pos[k];
  }
  for (int j = 0; j < 2; j++) {
    uint64_t o = 0;
    if (!(sc->which & (1 << j))) continue;
    for (size_t k = 0; k < nw; o += size[j][k++]) ls.cur[k].at[j] = o;
    bytes[j] = o;
    if (into) ls.buf[j] = into[j];
    else if (!(ls.buf[j] = mem_alloc(o ? (size_t)o : 1))) goto done;
    else huge_pages(ls.buf[j], (size_t)o);
  }
  if (halves ? fill_halves(sc, &ls, last)
             : fill(sc, size, 0, (uint32_t)nw, &ls)) {
    *err = util_errorf("interrupted");
    goto done;
  }
  for (size_t k = 0; k < nw; k++) {        /* where the next run goes on */
    pb->last_doc[k] = last[k].last_doc;
    pb->last_pos[k] = last[k].last_pos;
  }
  rc = 0;
done:
  mem_free(ls.cur);
  for (int j = 0; j < 2; j++) {
    if (rc == 0) buf[j] = ls.buf[j];
    else if (!into) mem_free(ls.buf[j]);
  }
  return rc;
}

/* How many bytes of lists to build in memory at a time: a quarter of what
** the memory limit (or, with none, the default one) leaves, at least
** POST_CHUNK; or the environment's LECTOR_PACK_CHUNK, so that tests can
** make a small corpus build its lists in runs.  At most POST_CHUNK_MAX:
** a word's piece of a run must fit 32 bits. */
static uint64_t post_chunk(void) {
  const char *e = getenv("LECTOR_PACK_CHUNK"), *why;
  uint64_t v = e ? strtoull(e, NULL, 10) : 0;
  if (!v) {
    size_t limit = mem_limit() ? mem_limit() : mem_default_limit(&why);
    v = limit > mem_used() ? (limit - mem_used()) / 4 : 0;
    if (v < POST_CHUNK) v = POST_CHUNK;
  }
  return v < POST_CHUNK_MAX ? v : POST_CHUNK_MAX;
}

/* Size documents from sc->d0 on until their lists hold w->chunk bytes
** (at least one document): sc->d1, size[j][] per word of list j.  The
** lists' state is put back as it was.  0, or -1 when interrupted. */
static int run_size(ptok_writer *w, scan *sc, uint64_t *const size[2],
                    uint32_t *save) {
  post_build *pb = &w->post;
  size_t nw = (size_t)w->nwords;
  uint64_t bytes = 0;
  memcpy(save, pb->last_doc, nw * sizeof *save);
  memcpy(save + nw, pb->last_pos, nw * sizeof *save);
  memset(size[0], 0, nw * sizeof *size[0]);
  memset(size[1], 0, nw * sizeof *size[1]);
  for (sc->d1 = sc->d0; sc->d1 < w->ndocs && (sc->d1 == sc->d0 ||
                                              bytes < w->chunk); sc->d1++) {
    uint64_t d = sc->d1;
    const unsigned char *p = sc->toks + pack_get64(w->tidx.p + 16 * d);
    uint64_t n = pack_get64(w->tidx.p + 16 * d + 8);
    if ((d & 1023) == 0 && session_interrupted()) return -1;
    uint32_t x = n ? next_id(&p) : 0;
    for (uint32_t k = 0; k < n; k++) {
      uint32_t nx = k + 1 < n ? next_id(&p) + 1 : 0;
      size_t e = post_entry(&pb->last_doc[x], &pb->last_pos[x], (uint32_t)d,
                            k, NULL), ne = varint_len(nx);
      size[0][x] += e;
      size[1][x] += ne;
      bytes += e + ne;
      x = nx - 1;
    }
  }
  memcpy(pb->last_doc, save, nw * sizeof *save);
  memcpy(pb->last_pos, save + nw, nw * sizeof *save);
  return 0;
}

/* A run's lists, bytes of them in buf (word k's size[k]), appended to
** rs's scratch files.  0, or 1 with *err (NULL: out of memory). */
static int run_add(const char *path, run_set *rs, const uint64_t *size,
                   uint64_t nwords, const unsigned char *buf, uint64_t bytes,
                   char **err) {
  pack_buf idx = {0};
  int rc = 0;
  if (rs->n == rs->cap) {
    size_t cap = rs->cap ? 2 * rs->cap : 16;
    run *g = mem_realloc(rs->run, cap * sizeof *g);
    if (!g) return 1;
    rs->run = g;
    rs->cap = cap;
  }
  run *r = &rs->run[rs->n], *prev = rs->n ? r - 1 : NULL;
  r->data = prev ? prev->data + prev->ndata : 0;
  r->idx = prev ? prev->idx + 8 * prev->nidx : 0;
  for (uint32_t k = 0; k < nwords && rc == 0; k++) {
    unsigned char e[8];
    if (!size[k]) continue;
    pack_put32(e, k);
    pack_put32(e + 4, (uint32_t)size[k]);    /* < 2 * POST_CHUNK_MAX */
    rc = pack_buf_add(&idx, e, 8) != 0;
  }
  r->ndata = bytes;
  r->nidx = idx.len / 8;
  if (rc == 0 && (scratch_write(path, rs->dfd, buf, (size_t)bytes, err) ||
                  scratch_write(path, rs->ifd, idx.p, idx.len, err)))
    rc = 1;
  if (rc == 0) rs->n++;
  mem_free(idx.p);
  return rc;
}

/* One run of both lists to their scratch files. */
static int run_write(ptok_writer *w, scan *sc, uint64_t *const size[2],
                     uint32_t *save, char **err) {
  uint64_t bytes[2];
  unsigned char *buf[2];
  const uint64_t *sizes[2] = {size[0], size[1]};
  int rc = 0;
  if (run_size(w, sc, size, save) != 0)
    return *err = util_errorf("interrupted"), 1;
  if (fill_all(w, sc, sizes, NULL, buf, bytes, err) != 0) return 1;
  for (int j = 0; j < 2; j++) {
    if (rc == 0)
      rc = run_add(w->path, &w->runs[j], size[j], w->nwords, buf[j], bytes[j],
                   err);
    mem_free(buf[j]);
  }
  return rc;
}

/* A list from its runs (then freed): each word's pieces, run after run. */
static int merge_runs(ptok_writer *w, run_set *rs, FILE *f, ptok_sect *s,
                      char **err) {
  const run *last = &rs->run[rs->n - 1];
  uint64_t dlen = last->data + last->ndata, ilen = last->idx + 8 * last->nidx;
  unsigned char *data = dlen ? mmap(NULL, (size_t)dlen, PROT_READ, MAP_SHARED,
                                    rs->dfd, 0) : NULL;
  unsigned char *idx = ilen ? mmap(NULL, (size_t)ilen, PROT_READ, MAP_SHARED,
                                   rs->ifd, 0) : NULL;
  uint64_t *at = mem_alloc(3 * rs->n * sizeof *at);   /* per run: data,
                                                         index, dropped */
  int rc = 1;
  if (data == MAP_FAILED || idx == MAP_FAILED) {
    *err = util_errorf("cannot map a scratch file of the pack: %s",
                       strerror(errno));
    goto done;
  }
  if (!at) goto done;
  for (size_t r = 0; r < rs->n; r++) {
    at[3 * r] = at[3 * r + 2] = rs->run[r].data;
    at[3 * r + 1] = rs->run[r].idx;
  }
  for (uint32_t k = 0; k < w->nwords; k++) {
    if ((k & 4095) == 0 && session_interrupted()) {
      *err = util_errorf("interrupted");
      goto done;
    }
    for (size_t r = 0; r < rs->n; r++) {
      const unsigned char *e = idx + at[3 * r + 1];
      if (at[3 * r + 1] == rs->run[r].idx + 8 * rs->run[r].nidx ||
          pack_get32(e) != k)
        continue;
      uint32_t n = pack_get32(e + 4);
      pack_sect_add(f, s, data + at[3 * r], n);
      at[3 * r] += n;
      at[3 * r + 1] += 8;
      if (at[3 * r] - at[3 * r + 2] >= 2 * DROP_BLOCK) {   /* read: back */
        drop_pages(data, at[3 * r + 2], at[3 * r] - DROP_BLOCK);
        at[3 * r + 2] = at[3 * r] - DROP_BLOCK;
      }
    }
  }
  rc = 0;
done:
  if (data && data != MAP_FAILED) munmap(data, (size_t)dlen);
  if (idx && idx != MAP_FAILED) munmap(idx, (size_t)ilen);
  mem_free(at);
  run_set_free(rs);
  return rc;
}

/* POST and NEXT of a corpus whose lists do not fit w->chunk: in runs,
** both at once; POST merged into s, NEXT's runs kept for write_next. */
static int write_runs(ptok_writer *w, const unsigned char *toks, FILE *f,
                      ptok_sect *s, char **err) {
  size_t nw = (size_t)w->nwords;
  uint64_t *size = mem_alloc(2 * nw * sizeof *size);
  uint64_t *const sizes[2] = {size, size ? size + nw : NULL};
  uint32_t *save = mem_alloc(2 * nw * sizeof *save);
  scan sc = {w, toks, 0, 0, L_BOTH};
  int rc = 1;
  for (int j = 0; j < 2; j++)
    if ((w->runs[j].dfd = scratch_open(w->path)) < 0 ||
        (w->runs[j].ifd = scratch_open(w->path)) < 0) {
      *err = util_errorf("cannot make a scratch file for the positional "
                         "index: %s", strerror(errno));
      goto done;
    }
  if (!size || !save) goto done;
  memset(w->post.last_doc, 0, nw * sizeof *w->post.last_doc);
  for (sc.d0 = 0; sc.d0 < w->ndocs; sc.d0 = sc.d1)
    if (run_write(w, &sc, sizes, save, err) != 0) goto done;
  rc = merge_runs(w, &w->runs[0], f, s, err);
done:
  mem_free(size);
  mem_free(save);
  return rc;
}

/* The bytes of POST's (list 0) or NEXT's (1) lists. */
static uint64_t lists_bytes(const ptok_writer *w, int j) {
  const uint64_t *size = j ? w->post.nsize : w->post.size;
  uint64_t total = 0;
  for (uint64_t k = 0; k < w->nwords; k++) total += size[k];
  return total;
}

/* POST's (which L_POST) or NEXT's (L_NEXT) lists added to s, when
** write_in_place could not: in runs when either list passes w->chunk
** (POST's call builds both; NEXT's runs kept till merged), else each in
** one scan of its own.  The sizes are known from ptok_add. */
static int write_lists(ptok_writer *w, const unsigned char *toks, int which,
                       FILE *f, ptok_sect *s, char **err) {
  post_build *pb = &w->post;
  const uint64_t *size[2] = {pb->size, pb->nsize};
  uint64_t bytes[2];
  unsigned char *buf[2];
  int j = which == L_NEXT;
  if (j && w->runs[1].n) return merge_runs(w, &w->runs[1], f, s, err);
  if (!j && (lists_bytes(w, 0) > w->chunk || lists_bytes(w, 1) > w->chunk)) {
    w->how = "in runs";
    return write_runs(w, toks, f, s, err);
  }
  if (!j) w->how = "one at a time";
  scan sc = {w, toks, 0, w->ndocs, which};
  if (w->nwords) memset(pb->last_doc, 0, w->nwords * sizeof *pb->last_doc);
  if (fill_all(w, &sc, size, NULL, buf, bytes, err) != 0) return 1;
  pack_sect_add(f, s, buf[j], (size_t)bytes[j]);
  mem_free(buf[j]);
  return 0;
}

/* TOKS as copied into the pack f, mapped: its bytes at p (NULL when
** empty). */
typedef struct toks_map {
  const unsigned char *p;
  void *map;
  size_t len;
} toks_map;

/* Is all that went to f, up to byte upto, in the file?  A mapping of a
** part never written would fault.  0, or 1 with *err. */
static int written(const ptok_writer *w, FILE *f, uint64_t upto,
                   char **err) {
  struct stat st;
  int e = 0;
  if (fflush(f) != 0) e = errno;
  else if (ferror(f)) e = errno ? errno : EIO;  /* likely the failed write's */
  else if (fstat(fileno(f), &st) != 0) e = errno;
  else if ((uint64_t)st.st_size < upto) e = ENOSPC;
  if (!e) return 0;
  *err = util_errorf("%s: cannot write the pack: %s", w->path, strerror(e));
  return 1;
}

/* 0, or 1 with *err. */
static int map_toks(ptok_writer *w, FILE *f, toks_map *t, char **err) {
  uint64_t page = (uint64_t)sysconf(_SC_PAGESIZE);
  uint64_t base = w->toks_off / page * page;
  memset(t, 0, sizeof *t);
  if (!w->toks_len) return 0;
  if (written(w, f, w->toks_off + w->toks_len, err) != 0) return 1;
  t->len = (size_t)(w->toks_off - base + w->toks_len);
  t->map = mmap(NULL, t->len, PROT_READ, MAP_SHARED, fileno(f), (off_t)base);
  if (t->map != MAP_FAILED) {
    t->p = (const unsigned char *)t->map + (w->toks_off - base);
    return 0;
  }
  t->map = NULL;
  *err = util_errorf("%s: cannot map the pack's token streams: %s", w->path,
                     strerror(errno));
  return 1;
}

static void unmap_toks(toks_map *t) {
  if (t->map) munmap(t->map, t->len);
}

/* POFF: per word, its offset in POST's lists and its occurrences. */
static void write_poff(ptok_writer *w, FILE *f, uint64_t *pos, ptok_sect *s) {
  post_build *pb = &w->post;
  uint64_t at = 0;
  pack_sect_begin(s, *pos);
  for (uint64_t k = 0; k < w->nwords; k++) {
    unsigned char e[16];
    pack_put64(e, at);
    pack_put64(e + 8, pb->occ[k]);
    pack_sect_add(f, s, e, 16);
    at += pb->size[k];
  }
  pack_sect_end(f, s, pos);
}

/* POST. */
static int write_post(ptok_writer *w, FILE *f, uint64_t *pos, ptok_sect *s,
                      char **err) {
  toks_map t;
  if (map_toks(w, f, &t, err) != 0) return 1;
  pack_sect_begin(s, *pos);
  int rc = write_lists(w, t.p, L_POST, f, s, err);
  if (rc == 0) pack_sect_end(f, s, pos);
  unmap_toks(&t);
  return rc;
}

/* NEXT's offset[]: u64 per word + 1, from the sizes. */
static void write_next_offsets(ptok_writer *w, FILE *f, ptok_sect *s) {
  unsigned char e[8];
  uint64_t at = 0;
  for (uint64_t k = 0; k <= w->nwords; k++) {
    pack_put64(e, at);
    pack_sect_add(f, s, e, 8);
    if (k < w->nwords) at += w->post.nsize[k];
  }
}

/* NEXT: offset[], then the lists. */
static int write_next(ptok_writer *w, FILE *f, uint64_t *pos, ptok_sect *s,
                      char **err) {
  toks_map t;
  if (map_toks(w, f, &t, err) != 0) return 1;
  pack_sect_begin(s, *pos);
  write_next_offsets(w, f, s);
  int rc = write_lists(w, t.p, L_NEXT, f, s, err);
  if (rc == 0) pack_sect_end(f, s, pos);
  unmap_toks(&t);
  return rc;
}

static uint64_t pad8(uint64_t n) { return (n + 7) / 8 * 8; }

/* f's position to byte at.  0, or 1 with *err. */
static int seek_to(const ptok_writer *w, FILE *f, uint64_t at, char **err) {
  if (fseeko(f, (off_t)at, SEEK_SET) == 0) return 0;
  *err = util_errorf("%s: cannot seek in the pack: %s", w->path,
                     strerror(errno));
  return 1;
}

/* POST, TOFF and NEXT (from *pos on) with the lists filled in place: in
** the output's own pages, reserved with fallocate and mapped, so that no
** buffer of the lists' size is made and nothing is copied (new pages
** cost the most of what packing writes).  Only when both lists fit
** w->chunk together and the file system reserves space.  0; 1 with
** *err; -1 when not possible, with nothing written. */
static int write_in_place(ptok_writer *w, FILE *f, uint64_t *pos,
                          ptok_sect s[PTOK_NSECT], char **err) {
  const uint64_t *size[2] = {w->post.size, w->post.nsize};
  uint64_t post = lists_bytes(w, 0), next = lists_bytes(w, 1), bytes[2];
  uint64_t toff = pad8(*pos + post), nsect = pad8(toff + 8 + w->mfirst.len +
                                                  8 * w->nmarks);
  uint64_t nlists = nsect + 8 * (w->nwords + 1), end = pad8(nlists + next);
  uint64_t page = (uint64_t)sysconf(_SC_PAGESIZE), base = *pos / page * page;
  unsigned char *buf[2], *map;
  toks_map toks;
  if (post + next > w->chunk || !post) return -1;
  if (written(w, f, *pos, err) != 0) return 1;
  if (fallocate(fileno(f), 0, (off_t)*pos, (off_t)(end - *pos)) != 0)
    return -1;
  map = mmap(NULL, (size_t)(end - base), PROT_READ | PROT_WRITE, MAP_SHARED,
             fileno(f), (off_t)base);
  if (map == MAP_FAILED) return -1;
  unsigned char *const into[2] = {map + (*pos - base), map + (nlists - base)};
  int rc = map_toks(w, f, &toks, err);
  scan sc = {w, toks.p, 0, w->ndocs, L_BOTH};
  memset(w->post.last_doc, 0, w->nwords * sizeof *w->post.last_doc);
  if (rc == 0) rc = fill_all(w, &sc, size, into, buf, bytes, err);
  unmap_toks(&toks);
  if (rc == 0) {
    s[T_POST] = (ptok_sect){*pos, post, crc32c(0, into[0], (size_t)post)};
    *pos = toff;
    rc = seek_to(w, f, toff, err) || write_marks(w, f, pos, &s[T_TOFF], err);
  }
  if (rc == 0) {                          /* NEXT: offset[] by f, lists */
    pack_sect_begin(&s[T_NEXT], nsect);
    write_next_offsets(w, f, &s[T_NEXT]);
    s[T_NEXT].crc = crc32c(s[T_NEXT].crc, into[1], (size_t)next);
    s[T_NEXT].len += next;
    *pos = end;
    rc = seek_to(w, f, end, err);
    w->how = "in place";
  }
  munmap(map, (size_t)(end - base));
  return rc;
}

int ptok_finish(ptok_writer *w, FILE *f, uint64_t *pos,
                ptok_sect s[PTOK_NSECT], char **err) {
  unsigned char head[16];
  *err = NULL;
  if (scratch_flush(w, err) != 0) return 1;
  w->chunk = post_chunk();
  pack_put64(head, w->nwords);
  pack_put64(head + 8, w->ntokens);
  pack_sect_begin(&s[T_TOKO], *pos);
  pack_sect_add(f, &s[T_TOKO], head, 16);
  pack_sect_add(f, &s[T_TOKO], w->o.key, strlen(w->o.key) + 1);
  pack_sect_end(f, &s[T_TOKO], pos);
  pack_sect_begin(&s[T_VOCB], *pos);
  pack_sect_add(f, &s[T_VOCB], w->offs.p, w->offs.len);
  pack_sect_add(f, &s[T_VOCB], w->words.p, w->words.len);
  pack_sect_end(f, &s[T_VOCB], pos);
  if (write_sorted(w, f, pos, &s[T_VSRT]) != 0) return 1;
  pack_sect_begin(&s[T_TIDX], *pos);
  pack_sect_add(f, &s[T_TIDX], w->tidx.p, w->tidx.len);
  pack_sect_end(f, &s[T_TIDX], pos);
  if (copy_toks(w, f, pos, &s[T_TOKS], err) != 0) return 1;
  write_poff(w, f, pos, &s[T_POFF]);
  int rc = write_in_place(w, f, pos, s, err);
  if (rc >= 0) return rc;
  return write_post(w, f, pos, &s[T_POST], err) ||
         write_marks(w, f, pos, &s[T_TOFF], err) ||
         write_next(w, f, pos, &s[T_NEXT], err);
}

/* ---------------------------------------------------------------------
** Reading
*/

struct ptok_map {
  char *name;                     /* the pack's path, for messages */
  const char *key;
  uint64_t nwords, ntokens, ndocs;
  const unsigned char *offs;      /* VOCB's offsets */
  const char *words;              /* and bytes */
  const unsigned char *sorted, *tidx, *poff;
  const unsigned char *toks, *post;
  uint64_t toks_len, post_len;
  const unsigned char *map;       /* the file's mapping, or NULL (memory) */
  const unsigned char *mfirst;    /* TOFF's first[], or NULL (no TOFF) */
  const unsigned char *marks;     /* and its checkpoints */
  uint64_t stride, nmarks;
  const unsigned char *noffs;     /* NEXT's offset[], or NULL (no NEXT) */
  const unsigned char *next;      /* and its lists */
  uint64_t next_len;
  uint32_t *ntok;                 /* TIDX's token counts (UINT32_MAX: that
                                     or more, read TIDX), so that a walk
                                     over a word's documents hits a small
                                     array, not 16 bytes of the map each */
};

/* An error about the pack, "<name>: <fmt...>" into *err: 1. */
#define bad(name, err, ...) \
  __extension__({ *(err) = corpus_pathf((name), __VA_ARGS__); 1; })

/* Document k's token count. */
static uint64_t doc_tokens(const ptok_map *m, uint64_t k) {
  uint32_t n = m->ntok[k];
  return n < UINT32_MAX ? n : pack_get64(m->tidx + 16 * k + 8);
}

/* m->ntok from TIDX.  0, or -1 when out of memory. */
static int count_tokens(ptok_map *m) {
  if (!(m->ntok = mem_alloc((m->ndocs ? m->ndocs : 1) * sizeof *m->ntok)))
    return -1;
  for (uint64_t k = 0; k < m->ndocs; k++) {
    uint64_t n = pack_get64(m->tidx + 16 * k + 8);
    m->ntok[k] = n < UINT32_MAX ? (uint32_t)n : UINT32_MAX;
  }
  return 0;
}

/* Word k's bytes and length. */
static const char *word_at(const ptok_map *m, uint64_t k, size_t *len) {
  uint64_t o = pack_get64(m->offs + 8 * k);
  *len = (size_t)(pack_get64(m->offs + 8 * (k + 1)) - o - 1);
  return m->words + o;
}

static int word_cmp(const char *a, size_t al, const char *b, size_t bl) {
  int c = memcmp(a, b, al < bl ? al : bl);
  return c ? c : (al > bl) - (al < bl);
}

static int parse_vocab(ptok_map *m, const unsigned char *p, uint64_t len,
                       char **err) {
  if (m->nwords > len / 8 || len - 8 * (m->nwords + 1) > len)
    return bad(m->name, err, "section VOCB: %llu bytes cannot hold %llu "
               "words", (unsigned long long)len,
               (unsigned long long)m->nwords);
  uint64_t nbytes = len - 8 * (m->nwords + 1), last = 0;
  m->offs = p;
  m->words = (const char *)p + 8 * (m->nwords + 1);
  if (pack_get64(p) != 0 || pack_get64(p + 8 * m->nwords) != nbytes)
    return bad(m->name, err, "section VOCB: the offsets do not span the "
               "words' bytes");
  for (uint64_t k = 1; k <= m->nwords; k++) {
    uint64_t o = pack_get64(p + 8 * k);
    if (o <= last || o > nbytes || m->words[o - 1] != '\0')
      return bad(m->name, err, "section VOCB: word %llu is malformed",
                 (unsigned long long)k);
    last = o;
  }
  return 0;
}

/* VSRT: its ids in range.  (Its order is the CRC's to guard: a search in
** a damaged order misses words, it reads nothing out of bounds.) */
static int parse_sorted(ptok_map *m, const unsigned char *p, uint64_t len,
                        char **err) {
  if (len != 4 * m->nwords)
    return bad(m->name, err, "section VSRT: %llu bytes for %llu words",
               (unsigned long long)len, (unsigned long long)m->nwords);
  m->sorted = p;
  for (uint64_t k = 0; k < m->nwords; k++)
    if (pack_get32(p + 4 * k) >= m->nwords)
      return bad(m->name, err, "section VSRT: entry %llu: word %u of %llu",
                 (unsigned long long)k, pack_get32(p + 4 * k),
                 (unsigned long long)m->nwords);
  return 0;
}

/* Entry k of a table of n {u64 offset, u64 count} records over a section
** of len bytes: its bytes [*from, *to) and count, or -1 when they do not
** fit (each item takes lo..hi bytes).  Checked when used, so that loading
** does not read the tables. */
static int table_entry(const unsigned char *p, uint64_t n, uint64_t k,
                       uint64_t len, unsigned lo, unsigned hi,
                       uint64_t *from, uint64_t *to, uint64_t *count) {
  uint64_t o = pack_get64(p + 16 * k), c = pack_get64(p + 16 * k + 8);
  uint64_t end = k + 1 < n ? pack_get64(p + 16 * (k + 1)) : len;
  if (o > end || end > len || c > (end - o) / lo ||
      c < (end - o + hi - 1) / hi)
    return -1;
  *from = o;
  *to = end;
  *count = c;
  return 0;
}

/* TOFF: its spacing, and a size that fits its first[] and checkpoints
** (first[] itself and the checkpoints are checked where they are used). */
static int parse_marks(ptok_map *m, const unsigned char *p, uint64_t len,
                       char **err) {
  uint64_t head = 8 + 8 * (m->ndocs + 1), total;
  if (len < head)
    return bad(m->name, err, "section TOFF: %llu bytes for %llu documents",
               (unsigned long long)len, (unsigned long long)m->ndocs);
  m->stride = pack_get64(p);
  total = pack_get64(p + head - 8);
  if (m->stride == 0 || m->stride > UINT32_MAX)
    return bad(m->name, err, "section TOFF: a checkpoint every %llu tokens",
               (unsigned long long)m->stride);
  if (pack_get64(p + 8) != 0 || total > (len - head) / 8 ||
      len != head + 8 * total)
    return bad(m->name, err, "section TOFF: %llu bytes for %llu documents "
               "and %llu checkpoints", (unsigned long long)len,
               (unsigned long long)m->ndocs, (unsigned long long)total);
  m->mfirst = p + 8;
  m->marks = p + head;
  m->nmarks = total;
  return 0;
}

/* NEXT: offset[] of its size, spanning the lists (each word's offsets
** are checked where used). */
static int parse_next(ptok_map *m, const unsigned char *p, uint64_t len,
                      char **err) {
  uint64_t head = 8 * (m->nwords + 1);
  if (m->nwords >= len / 8 || pack_get64(p) != 0 ||
      pack_get64(p + head - 8) != len - head)
    return bad(m->name, err, "section NEXT: %llu bytes: its offsets do not "
               "span the lists of %llu words", (unsigned long long)len,
               (unsigned long long)m->nwords);
  m->noffs = p;
  m->next = p + head;
  m->next_len = len - head;
  return 0;
}

int ptok_parse(const unsigned char *p, const uint64_t *off,
               const uint64_t *len, uint64_t ndocs, const char *name,
               ptok_map **out, char **err) {
  ptok_map *m;
  *out = NULL;
  if (!len) return 0;
  if (!(m = calloc(1, sizeof *m)) || !(m->name = strdup(name))) {
    free(m);
    return *err = NULL, 1;
  }
  m->ndocs = ndocs;
  const unsigned char *o = p + off[T_TOKO];
  if (len[T_TOKO] < 17 || o[len[T_TOKO] - 1] != '\0') {
    ptok_map_free(m);
    return bad(name, err, "section TOKO: malformed (%llu bytes)",
               (unsigned long long)len[T_TOKO]);
  }
  m->nwords = pack_get64(o);
  m->ntokens = pack_get64(o + 8);
  m->key = (const char *)o + 16;
  m->toks = p + off[T_TOKS];
  m->toks_len = len[T_TOKS];
  m->post = p + off[T_POST];
  m->post_len = len[T_POST];
  m->tidx = p + off[T_TIDX];
  m->poff = p + off[T_POFF];
  /* a token takes 1..5 bytes in TOKS, an occurrence 2..10 in POST */
  if (m->nwords > UINT32_MAX || ndocs > UINT32_MAX ||
      parse_vocab(m, p + off[T_VOCB], len[T_VOCB], err) != 0 ||
      parse_sorted(m, p + off[T_VSRT], len[T_VSRT], err) != 0 ||
      (len[T_TIDX] != 16 * ndocs &&
       bad(name, err, "section TIDX: %llu bytes for %llu documents",
           (unsigned long long)len[T_TIDX], (unsigned long long)ndocs)) ||
      (len[T_POFF] != 16 * m->nwords &&
       bad(name, err, "section POFF: %llu bytes for %llu words",
           (unsigned long long)len[T_POFF], (unsigned long long)m->nwords)) ||
      (len[T_TOFF] != PTOK_ABSENT &&
       parse_marks(m, p + off[T_TOFF], len[T_TOFF], err) != 0) ||
      (len[T_NEXT] != PTOK_ABSENT &&
       parse_next(m, p + off[T_NEXT], len[T_NEXT], err) != 0)) {
    if (!*err) bad(name, err, "section TOKO: %llu words or %llu documents "
                   "(at most 2^32 - 1)", (unsigned long long)m->nwords,
                   (unsigned long long)ndocs);
    ptok_map_free(m);
    return 1;
  }
  if (count_tokens(m) != 0) {
    ptok_map_free(m);
    return *err = NULL, 1;
  }
  *out = m;
  return 0;
}

void ptok_set_mapped(ptok_map *m, const void *base) {
  if (m) m->map = base;
}

/* A pass over the streams (a count) would leave all of TOKS in the
** process's resident set, one over the words all of POST and NEXT.
** When a document's tokens (a word's list) [from, to) of section sect
** end in a new block of DROP_BLOCK bytes, the blocks from the one
** before its first to the one two behind its end are given back (they
** stay in the page cache; a reader still in them faults them in
** again). */
static void drop_behind(const ptok_map *m, const unsigned char *sect,
                        uint64_t from, uint64_t to) {
  if (!m->map) return;                     /* memory, not a file: keep */
  uint64_t a = (uint64_t)(sect - m->map) + from;      /* file offsets */
  uint64_t b = (uint64_t)(sect - m->map) + to;
  if (a / DROP_BLOCK == b / DROP_BLOCK || b / DROP_BLOCK < 2) return;
  uint64_t lo = a / DROP_BLOCK ? a / DROP_BLOCK - 1 : 0;
  drop_pages(m->map, lo * DROP_BLOCK, (b / DROP_BLOCK - 1) * DROP_BLOCK);
}

void ptok_map_free(ptok_map *m) {
  if (m) free(m->name), mem_free(m->ntok);
  free(m);
}
const char *ptok_key(const ptok_map *m) { return m->key; }
uint64_t ptok_words(const ptok_map *m) { return m->nwords; }
uint64_t ptok_tokens(const ptok_map *m) { return m->ntokens; }

/* ---------------------------------------------------------------------
** The host's functions
*/

/* c's token map when its text is its pack's (no filter), else NULL. */
static const ptok_map *map_of(const corpus *c) {
  return c->filter ? NULL : pack_toks_of(c->store->pack);
}

size_t ptok_corpus_words(const corpus *c, const char *key) {
  const ptok_map *m = map_of(c);
  return m && key && strcmp(m->key, key) == 0 ? (size_t)m->nwords : 0;
}

const char *ptok_corpus_word(const corpus *c, uint32_t id, size_t *len) {
  const ptok_map *m = map_of(c);
  size_t n;
  if (!m || id >= m->nwords) return NULL;
  const char *w = word_at(m, id, &n);
  if (len) *len = n;
  return w;
}

uint32_t ptok_corpus_find(const corpus *c, const char *s, size_t len) {
  const ptok_map *m = map_of(c);
  uint64_t lo = 0, hi = m ? m->nwords : 0;
  while (lo < hi) {                 /* VSRT: a binary search */
    uint64_t mid = lo + (hi - lo) / 2;
    uint32_t id = pack_get32(m->sorted + 4 * mid);
    size_t wl;
    const char *w = word_at(m, id, &wl);
    int cmp = word_cmp(w, wl, s, len);
    if (cmp == 0) return id;
    if (cmp < 0) lo = mid + 1;
    else hi = mid;
  }
  return UINT32_MAX;
}

int ptok_corpus_doc(const corpus *c, size_t i, uint32_t **ids, size_t *n,
                    size_t *cap, char **err) {
  const ptok_map *m = map_of(c);
  const corpus_doc *d = corpus_doc_at(c, i);
  *err = NULL;
  *n = 0;
  if (!m || !d) {
    *err = util_errorf("no packed tokens for document %zu", i + 1);
    return LECTOR_ERR;
  }
  size_t k = (size_t)(d - c->store->docs);
  uint64_t off, end, cnt;
  if (table_entry(m->tidx, m->ndocs, k, m->toks_len, 1, 5, &off, &end,
                  &cnt) != 0) {
    bad(m->name, err, "section TIDX: document %zu (%s): its tokens do not "
        "fit TOKS", k + 1, d->id);
    return LECTOR_ERR;
  }
  const unsigned char *p = m->toks + off, *stop = m->toks + end;
  if (ids_room(ids, cap, (size_t)cnt) != 0) return LECTOR_ENOMEM;
  for (uint64_t t = 0; t < cnt; t++) {
    uint32_t id;
    if (varint_get(&p, stop, &id) != 0 || id >= m->nwords) {
      bad(m->name, err, "section TOKS: document %zu (%s): token %llu is "
          "damaged", k + 1, d->id, (unsigned long long)t + 1);
      return LECTOR_ERR;
    }
    (*ids)[t] = id;
  }
  drop_behind(m, m->toks, off, end);
  *n = (size_t)cnt;
  return LECTOR_OK;
}

/* Where each pack document is in c: its index + 1, 0 when not in c.
** NULL for the whole pack in order (identity).  Made on first use and
** kept on c (pack_at, freed with it; a view's documents do not change):
** threads that race each make one, the first stored wins. */
static const size_t *index_of(const corpus *c, int *oom) {
  *oom = 0;
  if (!c->idx) return NULL;
  size_t *at = atomic_load_explicit(&c->pack_at, memory_order_acquire);
  if (at) return at;
  size_t n = c->store->n, *none = NULL;
  if (!(at = mem_alloc((n ? n : 1) * sizeof *at))) return *oom = 1, NULL;
  memset(at, 0, n * sizeof *at);
  for (size_t i = c->n; i-- > 0;) at[c->idx[i]] = i + 1;  /* first wins */
  if (atomic_compare_exchange_strong_explicit(
          &((corpus *)c)->pack_at, &none, at, memory_order_acq_rel,
          memory_order_acquire))
    return at;
  mem_free(at);
  return none;                                 /* another thread's */
}

int ptok_corpus_count(const corpus *c, uint32_t id, uint64_t *n, char **err) {
  const ptok_map *m = map_of(c);
  uint64_t off, end;
  size_t wl;
  *err = NULL;
  /* a view of some of the documents: the index counts them all */
  if (!m || c->idx || (id != UINT32_MAX && id >= m->nwords))
    return LECTOR_ENOTFOUND;
  if (id == UINT32_MAX) {
    *n = m->ntokens;
    return LECTOR_OK;
  }
  if (table_entry(m->poff, m->nwords, id, m->post_len, 2, 10, &off, &end,
                  n) != 0) {
    bad(m->name, err, "section POFF: word %u (%s): its occurrences do not "
        "fit POST", id + 1, word_at(m, id, &wl));
    return LECTOR_ERR;
  }
  return LECTOR_OK;
}

/* A walk over a word's occurrences in POST: the last one read. */
typedef struct post_cur {
  const unsigned char *p, *stop;
  uint64_t doc, pos, limit;     /* doc UINT64_MAX before the first */
} post_cur;

/* The next occurrence into q (*newdoc: in another document than the
** last), checked: its document in the pack, its position in the
** document's tokens, ascending within it.  0, or -1 when damaged. */
static inline int post_step(const ptok_map *m, post_cur *q, int *newdoc) {
  uint32_t g, v;
  if (varint_get(&q->p, q->stop, &g) != 0 ||
      varint_get(&q->p, q->stop, &v) != 0)
    return -1;
  *newdoc = g != 0;
  if (g) {                                      /* the next document */
    q->doc = q->doc == UINT64_MAX ? (uint64_t)g - 1 : q->doc + g;
    if (q->doc >= m->ndocs) return -1;
    q->limit = doc_tokens(m, q->doc);
    q->pos = v;
  } else {
    if (q->doc == UINT64_MAX || v == 0) return -1;
    q->pos += v;
  }
  return q->pos < q->limit ? 0 : -1;
}

/* Word id's entry in POFF: its bytes of POST [*off, *end), *occ
** occurrences.  0, or LECTOR_ERR with *err. */
static int post_range(const ptok_map *m, uint32_t id, uint64_t *off,
                      uint64_t *end, uint64_t *occ, char **err) {
  size_t wl;
  if (table_entry(m->poff, m->nwords, id, m->post_len, 2, 10, off, end,
                  occ) == 0)
    return 0;
  bad(m->name, err, "section POFF: word %u (%s): its occurrences do not "
      "fit POST", id + 1, word_at(m, id, &wl));
  return LECTOR_ERR;
}

int ptok_corpus_postings(const corpus *c, uint32_t id,
                         int (*fn)(void *ud, size_t i, const uint32_t *pos,
                                   size_t npos),
                         void *ud, char **err) {
  const ptok_map *m = map_of(c);
  uint32_t *pos = NULL;
  uint64_t off, end, occ;
  size_t npos = 0, cap = 0, wl;
  int oom, nd, rc;
  *err = NULL;
  if (!m || id >= m->nwords) return LECTOR_OK;
  const size_t *at = index_of(c, &oom);
  if (oom) return LECTOR_ENOMEM;
  if ((rc = post_range(m, id, &off, &end, &occ, err)) != 0) return rc;
  post_cur q = {m->post + off, m->post + end, UINT64_MAX, 0, 0};
  for (uint64_t k = 0; k < occ; k++) {
    uint64_t was = q.doc;
    if (post_step(m, &q, &nd) != 0) goto damaged;
    if (nd) {                                   /* was's are all read */
      size_t i = npos ? (at ? at[was] : (size_t)was + 1) : 0;
      if (i && (rc = fn(ud, i - 1, pos, npos)) != 0) goto done;
      npos = 0;
    }
    if (ids_room(&pos, &cap, npos + 1) != 0) {
      rc = LECTOR_ENOMEM;
      goto done;
    }
    pos[npos++] = (uint32_t)q.pos;
  }
  if (npos) {
    size_t i = at ? at[q.doc] : (size_t)q.doc + 1;
    if (i) rc = fn(ud, i - 1, pos, npos);
  }
  goto done;
damaged:
  bad(m->name, err, "section POST: the occurrences of word %u (%s) are "
      "damaged", id + 1, word_at(m, id, &wl));
  rc = LECTOR_ERR;
done:
  mem_free(pos);
  return rc;
}

/* Word id's lists in NEXT: [*a, *b), checked against its occ
** occurrences (1..5 bytes each).  0, or LECTOR_ERR with *err. */
static int next_range(const ptok_map *m, uint32_t id, uint64_t occ,
                      uint64_t *a, uint64_t *b, char **err) {
  size_t wl;
  *a = pack_get64(m->noffs + 8 * (uint64_t)id);
  *b = pack_get64(m->noffs + 8 * ((uint64_t)id + 1));
  if (*a <= *b && *b <= m->next_len && *b - *a >= occ &&
      (*b - *a) / 5 <= occ)
    return 0;
  bad(m->name, err, "section NEXT: word %u (%s): its successors do not fit "
      "the section (bytes %llu..%llu of %llu, %llu occurrences)", id + 1,
      word_at(m, id, &wl), (unsigned long long)*a, (unsigned long long)*b,
      (unsigned long long)m->next_len, (unsigned long long)occ);
  return LECTOR_ERR;
}

/* What ptok_corpus_next hands fn: a piece of at most cap occurrences. */
typedef struct next_piece {
  size_t *doc;
  uint32_t *next;
  size_t n, cap;
} next_piece;

/* Word id's occurrences (q over POST, p over NEXT up to stop) into
** pieces for fn; at maps pack documents into c (NULL: the same).
** LECTOR_OK or fn's value; LECTOR_ERR with *which the damaged section. */
static int next_walk(const ptok_map *m, const size_t *at, uint64_t occ,
                     post_cur *q, const unsigned char *p,
                     const unsigned char *stop, next_piece *pc,
                     int (*fn)(void *, const size_t *, const uint32_t *,
                               size_t),
                     void *ud, int *which) {
  int nd, rc;
  uint32_t v;
  for (uint64_t k = 0; k < occ; k++) {
    if (post_step(m, q, &nd) != 0) return *which = T_POST, LECTOR_ERR;
    /* an id + 1, or 0 exactly after the document's last token */
    if (varint_get(&p, stop, &v) != 0 || v > m->nwords ||
        (v == 0) != (q->pos + 1 == q->limit))
      return *which = T_NEXT, LECTOR_ERR;
    size_t i = at ? at[q->doc] : (size_t)q->doc + 1;
    if (!i) continue;                           /* not in c */
    pc->doc[pc->n] = i - 1;
    pc->next[pc->n] = v ? v - 1 : UINT32_MAX;
    if (++pc->n == pc->cap) {
      pc->n = 0;
      if ((rc = fn(ud, pc->doc, pc->next, pc->cap)) != 0) return rc;
    }
  }
  if (p != stop)                              /* more than occurrences */
    return *which = T_NEXT, LECTOR_ERR;
  return pc->n ? fn(ud, pc->doc, pc->next, pc->n) : LECTOR_OK;
}

int ptok_corpus_next(const corpus *c, uint32_t id,
                     int (*fn)(void *ud, const size_t *doc,
                               const uint32_t *next, size_t n),
                     void *ud, char **err) {
  const ptok_map *m = map_of(c);
  uint64_t off, end, occ, a, b;
  size_t wl;
  int oom, rc, damaged = 0;
  *err = NULL;
  if (!m || !m->noffs) return LECTOR_ENOTFOUND;
  if (id >= m->nwords) return LECTOR_OK;
  const size_t *at = index_of(c, &oom);
  if (oom) return LECTOR_ENOMEM;
  if ((rc = post_range(m, id, &off, &end, &occ, err)) != 0 ||
      (rc = next_range(m, id, occ, &a, &b, err)) != 0)
    return rc;
  next_piece pc = {0};
  pc.cap = occ < PTOK_NEXT_PIECE ? (size_t)occ : PTOK_NEXT_PIECE;
  pc.doc = mem_alloc((pc.cap ? pc.cap : 1) * (sizeof *pc.doc + 4));
  if (!pc.doc) return LECTOR_ENOMEM;
  pc.next = (uint32_t *)(pc.doc + pc.cap);
  post_cur q = {m->post + off, m->post + end, UINT64_MAX, 0, 0};
  rc = next_walk(m, at, occ, &q, m->next + a, m->next + b, &pc, fn, ud,
                 &damaged);
  mem_free(pc.doc);
  drop_behind(m, m->post, off, end);
  drop_behind(m, m->next, a, b);
  if (damaged == T_POST)
    bad(m->name, err, "section POST: the occurrences of word %u (%s) are "
        "damaged", id + 1, word_at(m, id, &wl));
  else if (damaged == T_NEXT)
    bad(m->name, err, "section NEXT: the successors of word %u (%s) are "
        "damaged", id + 1, word_at(m, id, &wl));
  return rc;
}

/* Checkpoint j of the n of document k (whose checkpoints start at entry
** a, whose text has tlen bytes and tokens tb bytes of TOKS), checked
** against its neighbours: its text offset *to and TOKS offset *tk. */
static int mark_at(const ptok_map *m, const corpus_doc *d, size_t k,
                   uint64_t a, uint64_t n, uint64_t j, uint64_t tb,
                   uint32_t *to, uint32_t *tk, char **err) {
  const unsigned char *e = m->marks + 8 * (a + j);
  const char *what = NULL;
  *to = pack_get32(e);
  *tk = pack_get32(e + 4);
  if (*to >= d->bytes) what = "lies past the text";
  else if (*tk >= tb || (j == 0 && *tk != 0)) what = "lies outside its tokens";
  else if ((j > 0 && (pack_get32(e - 8) >= *to || pack_get32(e - 4) >= *tk)) ||
           (j + 1 < n && (pack_get32(e + 8) <= *to ||
                          pack_get32(e + 12) <= *tk)))
    what = "is out of order (offsets not ascending)";
  if (what)
    return bad(m->name, err, "section TOFF: document %zu (%s): checkpoint "
               "%llu %s", k + 1, d->id, (unsigned long long)j + 1, what);
  return 0;
}

int ptok_corpus_seek(const corpus *c, size_t i, size_t k, size_t *first,
                     size_t *offset, uint32_t *ids, size_t *n, char **err) {
  const ptok_map *m = map_of(c);
  const corpus_doc *d = corpus_doc_at(c, i);
  size_t want = *n;
  uint64_t off, end, cnt, a, b, j;
  uint32_t to, tk;
  *err = NULL;
  *n = 0;
  if (!m || !d) {
    *err = util_errorf("no packed tokens for document %zu", i + 1);
    return LECTOR_ERR;
  }
  if (!m->mfirst) return LECTOR_ENOTFOUND;          /* a pack without TOFF */
  /* below, bad() is 1: LECTOR_ERR */
  size_t dk = (size_t)(d - c->store->docs);
  if (table_entry(m->tidx, m->ndocs, dk, m->toks_len, 1, 5, &off, &end,
                  &cnt) != 0)
    return bad(m->name, err, "section TIDX: document %zu (%s): its tokens do "
               "not fit TOKS", dk + 1, d->id);
  if (k >= cnt) return LECTOR_ENOTFOUND;
  a = pack_get64(m->mfirst + 8 * dk);
  b = pack_get64(m->mfirst + 8 * (dk + 1));
  if (a > b || b > m->nmarks)
    return bad(m->name, err, "section TOFF: document %zu (%s): its "
               "checkpoints do not fit the section", dk + 1, d->id);
  if (a == b) return LECTOR_ENOTFOUND;              /* none kept for it */
  if (b - a != (cnt + m->stride - 1) / m->stride)
    return bad(m->name, err, "section TOFF: document %zu (%s): %llu "
               "checkpoints for %llu tokens", dk + 1, d->id,
               (unsigned long long)(b - a), (unsigned long long)cnt);
  j = k / m->stride;
  if (mark_at(m, d, dk, a, b - a, j, end - off, &to, &tk, err) != 0)
    return LECTOR_ERR;
  const unsigned char *p = m->toks + off + tk, *stop = m->toks + end;
  uint64_t t0 = j * m->stride, have = cnt - t0;
  size_t got = want < have ? want : (size_t)have;
  for (size_t t = 0; t < got; t++) {
    uint32_t id;
    if (varint_get(&p, stop, &id) != 0 || id >= m->nwords)
      return bad(m->name, err, "section TOKS: document %zu (%s): token %llu "
                 "is damaged", dk + 1, d->id, (unsigned long long)(t0 + t + 1));
    ids[t] = id;
  }
  *first = (size_t)t0;
  *offset = to;
  *n = got;
  return LECTOR_OK;
}
