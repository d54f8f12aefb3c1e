/*
** corpus_source.c -- a file's text as a stream of UTF-8 bytes (gzip
** undone, a BOM decoded), and random access back into it through an
** index of restart points.  The design and its memory are described in
** corpus_source.h.
**
** Three layers, used by both the stream and source_pread:
**   the gzip reader (gzr): file bytes -> decompressed bytes;
**   the decoder (dec): decompressed bytes -> UTF-8 (UTF-16/32);
**   the span cache: decoded spans shared by every source_pread.
*/
#include "corpus_source.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "corpus_internal.h"
#include "mem.h"
#include "session.h"

#define WINDOW 32768            /* deflate's window */

/* zlib's own memory counts against the limit too. */
static voidpf z_alloc(voidpf op, uInt items, uInt size) {
  (void)op;
  if (size && items > SIZE_MAX / size) return Z_NULL;
  return mem_alloc((size_t)items * size);
}

static void z_free(voidpf op, voidpf p) {
  (void)op;
  mem_free(p);
}

/* pread, or with at UINT64_MAX read (the stream reads the file in order
** with read(2), so that tests wrapping read() see its requests), retrying
** EINTR: bytes read, 0 at the end, -1 with errno. */
static ssize_t pread_full(int fd, void *buf, size_t n, uint64_t at) {
  ssize_t r;
  do r = at == UINT64_MAX ? read(fd, buf, n) : pread(fd, buf, n, (off_t)at);
  while (r < 0 && errno == EINTR);
  return r;
}

#define SEQ UINT64_MAX           /* pread_full's "in order" */

/* ---------------------------------------------------------------------
** The decoder: UTF-16/32 into UTF-8 (UTF-8 passes through).  A character
** cut by the end of a chunk waits in carry for the next one.
*/

typedef struct dec {
  int unit;                  /* 1, 2 or 4 bytes a code unit */
  int big;                   /* big-endian */
  unsigned char carry[4];    /* the start of a character not complete */
  size_t carry_n;
  const char *bad;           /* what was wrong (static) */
  uint64_t bad_at;           /* at which decompressed byte (UINT64_MAX: none) */
} dec;

static void dec_init(dec *d, source_encoding e) {
  memset(d, 0, sizeof *d);
  d->unit = e == SOURCE_UTF16LE || e == SOURCE_UTF16BE   ? 2
            : e == SOURCE_UTF32LE || e == SOURCE_UTF32BE ? 4
                                                         : 1;
  d->big = e == SOURCE_UTF16BE || e == SOURCE_UTF32BE;
}

static uint32_t rd16(const unsigned char *p, int big) {
  return big ? (uint32_t)p[0] << 8 | p[1] : (uint32_t)p[1] << 8 | p[0];
}

static uint32_t rd32(const unsigned char *p, int big) {
  return big ? (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3]
             : (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 | (uint32_t)p[1] << 8 | p[0];
}

static size_t utf8_put(char *o, uint32_t c) {
  unsigned char *u = (unsigned char *)o;
  if (c < 0x80) {
    u[0] = (unsigned char)c;
    return 1;
  }
  if (c < 0x800) {
    u[0] = (unsigned char)(0xC0 | c >> 6);
    u[1] = (unsigned char)(0x80 | (c & 0x3F));
    return 2;
  }
  if (c < 0x10000) {
    u[0] = (unsigned char)(0xE0 | c >> 12);
    u[1] = (unsigned char)(0x80 | (c >> 6 & 0x3F));
    u[2] = (unsigned char)(0x80 | (c & 0x3F));
    return 3;
  }
  u[0] = (unsigned char)(0xF0 | c >> 18);
  u[1] = (unsigned char)(0x80 | (c >> 12 & 0x3F));
  u[2] = (unsigned char)(0x80 | (c >> 6 & 0x3F));
  u[3] = (unsigned char)(0x80 | (c & 0x3F));
  return 4;
}

/* The character at p[0..n): 1 with *c and its length *len; 0 when p holds
** only the start of one; -1 when it is invalid (d->bad). */
static int dec_one(dec *d, const unsigned char *p, size_t n, uint32_t *c,
                   size_t *len) {
  if (d->unit == 2) {
    if (n < 2) return 0;
    uint32_t u = rd16(p, d->big), v;
    if (u < 0xD800 || u > 0xDFFF) {
      *c = u;
      *len = 2;
      return 1;
    }
    if (u >= 0xDC00) goto unpaired;
    if (n < 4) return 0;
    v = rd16(p + 2, d->big);
    if (v < 0xDC00 || v > 0xDFFF) goto unpaired;
    *c = 0x10000 + ((u - 0xD800) << 10) + (v - 0xDC00);
    *len = 4;
    return 1;
  unpaired:
    d->bad = "invalid UTF-16: unpaired surrogate";
    return -1;
  }
  if (n < 4) return 0;
  *c = rd32(p, d->big);
  *len = 4;
  if (*c > 0x10FFFF) d->bad = "invalid UTF-32: a code point past U+10FFFF";
  else if (*c >= 0xD800 && *c <= 0xDFFF) d->bad = "invalid UTF-32: a surrogate code point";
  else return 1;
  return -1;
}

/* Decode in[0..n), the decompressed bytes from offset at, into
** out[0..cap): *used bytes of in taken (an incomplete character at the
** end goes to the carry and counts as taken), *made bytes written.  A
** wide decoder writes only while 4 bytes of room are left.  0, or -1
** with d->bad and d->bad_at. */
static int dec_run(dec *d, const unsigned char *in, size_t n, uint64_t at,
                   char *out, size_t cap, size_t *used, size_t *made) {
  size_t i = 0, o = 0, k;
  uint32_t c;
  *used = *made = 0;
  if (d->unit == 1) {
    k = n < cap ? n : cap;
    memcpy(out, in, k);
    *used = *made = k;
    return 0;
  }
  if (cap < 4) return 0;
  if (d->carry_n) {          /* complete the character begun before */
    unsigned char t[8];
    size_t had = d->carry_n, take = n < 4 ? n : 4;
    memcpy(t, d->carry, had);
    memcpy(t + had, in, take);
    int r = dec_one(d, t, had + take, &c, &k);
    if (r < 0) {
      d->bad_at = at - had;
      return -1;
    }
    if (r == 0) {            /* still incomplete: all of in is carried */
      memcpy(d->carry + had, in, take);
      d->carry_n += take;
      *used = take;
      return 0;
    }
    o = utf8_put(out, c);
    i = k - had;
    d->carry_n = 0;
  }
  int lo = d->big ? d->unit - 1 : 0;
  while (cap - o >= 4) {
    if (d->unit == 2 && n - i >= 2 && in[i + 1 - lo] == 0 && in[i + lo] < 0x80) {
      out[o++] = (char)in[i + lo];     /* ASCII */
      i += 2;
      continue;
    }
    int r = dec_one(d, in + i, n - i, &c, &k);
    if (r < 0) {
      d->bad_at = at + i;
      *used = i;
      *made = o;
      return -1;
    }
    if (r == 0) {
      memcpy(d->carry, in + i, n - i);
      d->carry_n = n - i;
      i = n;
      break;
    }
    o += utf8_put(out + o, c);
    i += k;
  }
  *used = i;
  *made = o;
  return 0;
}

/* At the end of the data (decompressed offset at): 0, or -1 with d->bad
** when a character was left incomplete. */
static int dec_finish(dec *d, uint64_t at) {
  if (!d->carry_n) return 0;
  d->bad_at = UINT64_MAX;
  if (d->unit == 4) {
    d->bad = "UTF-32 text whose length is not a multiple of 4 bytes";
  } else if (d->carry_n % 2) {
    d->bad = "UTF-16 text with an odd number of bytes";
  } else {
    d->bad = "invalid UTF-16: unpaired surrogate";
    d->bad_at = at - d->carry_n;
  }
  return -1;
}

/* A message for d's error in path. */
static char *dec_message(const dec *d, const char *path, int gz) {
  if (d->bad_at == UINT64_MAX) return corpus_pathf(path, "%s", d->bad);
  return corpus_pathf(path, "%s at %sbyte %llu", d->bad, gz ? "decompressed " : "",
                      (unsigned long long)d->bad_at);
}

/* ---------------------------------------------------------------------
** The gzip reader: members one after another, inflated into the
** caller's buffer; input read with pread from in_pos on.  A member
** begun at a restart point is raw deflate, its trailer skipped by hand;
** the others go through zlib's gzip wrapper, which checks the header,
** the CRC and the length.
*/

enum { GZ_OK, GZ_END, GZ_CORRUPT, GZ_TRUNC, GZ_TRAIL, GZ_IO, GZ_NOMEM };

typedef struct gzr {
  z_stream z;
  int live;             /* inflateInit2 done */
  int seq;              /* read in order (the stream), not with pread */
  int raw;              /* this member is raw deflate (restarted) */
  int between;          /* a member ended: what follows decides */
  int eof, done;
  size_t trailer;       /* raw member: trailer bytes still to skip */
  unsigned char *in;    /* SOURCE_BUF bytes */
  size_t in_off, in_len;
  uint64_t in_pos;      /* file offset of in[in_len] */
  uint64_t total;       /* decompressed offset of the next byte out */
  const char *zmsg;     /* GZ_CORRUPT: zlib's word */
  uint64_t bad_at;      /* GZ_CORRUPT, GZ_TRAIL: compressed offset */
  int err_no;           /* GZ_IO */
} gzr;

/* Compressed offset of the next byte to inflate. */
static uint64_t gzr_at(const gzr *g) { return g->in_pos - (g->in_len - g->in_off); }

static int gzr_init(gzr *g, int window_bits) {
  g->z.zalloc = z_alloc;
  g->z.zfree = z_free;
  g->z.opaque = Z_NULL;
  if (inflateInit2(&g->z, window_bits) != Z_OK) return GZ_NOMEM;
  g->live = 1;
  g->raw = window_bits < 0;
  return GZ_OK;
}

static void gzr_end(gzr *g) {
  if (g->live) inflateEnd(&g->z);
  g->live = 0;
}

/* Read more input (what is left moves to the front). */
static int gzr_fill(gzr *g, int fd) {
  if (g->in_off) {
    memmove(g->in, g->in + g->in_off, g->in_len - g->in_off);
    g->in_len -= g->in_off;
    g->in_off = 0;
  }
  ssize_t r = pread_full(fd, g->in + g->in_len, SOURCE_BUF - g->in_len,
                         g->seq ? SEQ : g->in_pos);
  if (r < 0) {
    g->err_no = errno;
    return GZ_IO;
  }
  if (r == 0) g->eof = 1;
  g->in_len += (size_t)r;
  g->in_pos += (uint64_t)r;
  return GZ_OK;
}

/* After a member: skip a raw member's trailer, then start the next
** member, or reach the end through zero bytes only. */
static int gzr_next(gzr *g, int fd) {
  for (;;) {
    size_t have = g->in_len - g->in_off;
    const unsigned char *p = g->in + g->in_off;
    if (g->trailer) {
      size_t k = have < g->trailer ? have : g->trailer;
      g->in_off += k;
      g->trailer -= k;
      if (!g->trailer) continue;
      if (g->eof) return GZ_TRUNC;
    } else if (have >= 2 && p[0] == 0x1F && p[1] == 0x8B) {
      if (inflateReset2(&g->z, 31) != Z_OK) return GZ_NOMEM;
      g->raw = g->between = 0;
      return GZ_OK;
    } else if (have >= 2 || (have && g->eof)) {
      size_t k = 0;                        /* zeros, as gzip(1) allows */
      while (k < have && p[k] == 0) k++;
      if (k < have) {
        g->bad_at = gzr_at(g) + k;
        return GZ_TRAIL;
      }
      g->in_off += k;
      continue;
    } else if (g->eof) {
      g->done = 1;
      return GZ_END;
    }
    if (gzr_fill(g, fd)) return GZ_IO;
  }
}

/* Inflate into out[0..cap) until it is full, the last member ends, or --
** stop not UINT64_MAX -- a deflate block ends (or a member's header)
** with total >= stop (*boundary set).  *made bytes; GZ_OK, GZ_END (done,
** nothing made) or an error. */
static int gzr_inflate(gzr *g, int fd, unsigned char *out, size_t cap,
                       uint64_t stop, size_t *made, int *boundary) {
  int flush = stop == UINT64_MAX ? Z_NO_FLUSH : Z_BLOCK, rc = GZ_OK;
  size_t o = 0;
  *boundary = 0;
  while (o < cap && !g->done) {
    if (g->between) {
      if ((rc = gzr_next(g, fd)) == GZ_END) rc = GZ_OK;
      if (rc || g->done) break;
    }
    if (g->in_off == g->in_len && !g->eof && (rc = gzr_fill(g, fd))) break;
    size_t avail = g->in_len - g->in_off;
    g->z.next_in = g->in + g->in_off;
    g->z.avail_in = (uInt)avail;
    g->z.next_out = out + o;
    g->z.avail_out = (uInt)(cap - o);
    int r = inflate(&g->z, flush);
    size_t used = avail - g->z.avail_in, got = (cap - o) - g->z.avail_out;
    g->in_off += used;
    o += got;
    g->total += got;
    if (r == Z_STREAM_END) {
      g->between = 1;
      g->trailer = g->raw ? 8 : 0;
      continue;
    }
    if (r == Z_BUF_ERROR || (r == Z_OK && !used && !got)) {
      if (g->eof && g->in_off == g->in_len) {
        rc = GZ_TRUNC;
        break;
      }
      continue;
    }
    if (r != Z_OK) {
      g->zmsg = g->z.msg ? g->z.msg : zError(r);
      g->bad_at = gzr_at(g);
      rc = r == Z_MEM_ERROR ? GZ_NOMEM : GZ_CORRUPT;
      break;
    }
    if (flush == Z_BLOCK && (g->z.data_type & 128) && !(g->z.data_type & 64) &&
        g->total >= stop) {
      *boundary = 1;
      break;
    }
  }
  *made = o;
  if (!rc && g->done && !o) rc = GZ_END;
  return rc;
}

/* A message for the gzip reader's error rc in path. */
static char *gzr_message(const gzr *g, int rc, const char *path) {
  switch (rc) {
  case GZ_CORRUPT:
    return corpus_pathf(path, "corrupt gzip data (zlib: %s) at compressed byte %llu",
                        g->zmsg, (unsigned long long)g->bad_at);
  case GZ_TRUNC:
    return corpus_pathf(path, "truncated gzip data: the file ends inside a member");
  case GZ_TRAIL:
    return corpus_pathf(path, "data after the last gzip member, at compressed byte "
                        "%llu, is not gzip", (unsigned long long)g->bad_at);
  case GZ_IO: return corpus_pathf(path, "cannot read: %s", strerror(g->err_no));
  default: return corpus_pathf(path, "out of memory while decompressing");
  }
}

/* ---------------------------------------------------------------------
** The index
*/

typedef struct source_point {
  uint64_t in;              /* where reading restarts: file offset */
  uint64_t mid;             /* decompressed offset there */
  uint64_t out;             /* decoded offset there */
  unsigned char *window;    /* gzip: the window before (counted), or NULL */
  uint32_t wlen;
  uint8_t bits;             /* gzip: bits of byte in-1 not yet inflated */
  uint8_t carry;            /* bytes of a character begun before, at the
                               end of the window */
  uint8_t head;             /* a gzip header starts at in (point 0) */
} source_point;

struct source_index {
  uint64_t id;              /* unique in the process: the cache's key */
  source_encoding enc;
  int gz;
  size_t bom;
  uint64_t length;          /* decoded bytes */
  source_point *pt;         /* counted memory */
  size_t n, cap;
  size_t memory;
};

static atomic_uint_fast64_t next_index_id = 1;

static source_index *ix_new(source_encoding enc, int gz, size_t bom) {
  source_index *ix = mem_alloc(sizeof *ix);
  if (!ix) return NULL;
  memset(ix, 0, sizeof *ix);
  ix->id = atomic_fetch_add(&next_index_id, 1);
  ix->enc = enc;
  ix->gz = gz;
  ix->bom = bom;
  ix->memory = sizeof *ix;
  return ix;
}

/* Append p (its window, if any, is taken over).  0, or -1 when out of
** memory (the window is freed). */
static int ix_push(source_index *ix, const source_point *p) {
  if (ix->n == ix->cap) {
    size_t nc = ix->cap ? 2 * ix->cap : 16;
    source_point *np = mem_realloc(ix->pt, nc * sizeof *np);
    if (!np) {
      mem_free(p->window);
      return -1;
    }
    ix->memory += (nc - ix->cap) * sizeof *np;
    ix->pt = np;
    ix->cap = nc;
  }
  ix->pt[ix->n++] = *p;
  ix->memory += p->wlen;
  return 0;
}

/* Keep only the first n points. */
static void ix_cut(source_index *ix, size_t n) {
  while (ix->n > n) {
    source_point *p = &ix->pt[--ix->n];
    ix->memory -= p->wlen;
    mem_free(p->window);
  }
}

/* Point 0: the start of the text. */
static int ix_start(source_index *ix) {
  source_point p = {0};
  if (ix->gz) p.head = 1;
  else p.in = p.mid = ix->bom;
  return ix_push(ix, &p);
}

size_t source_index_memory(const source_index *ix) { return ix->memory; }
uint64_t source_index_length(const source_index *ix) { return ix->length; }
size_t source_index_points(const source_index *ix) { return ix->n; }

static void cache_forget(uint64_t id);

void source_index_free(source_index *ix) {
  if (!ix) return;
  cache_forget(ix->id);
  ix_cut(ix, 0);
  mem_free(ix->pt);
  mem_free(ix);
}

/* ---------------------------------------------------------------------
** Streaming
*/

struct source {
  int fd;
  char *path;
  int gz;
  source_encoding enc;
  size_t bom;
  dec d;
  gzr g;
  unsigned char *mid;       /* decompressed (plain: file) bytes */
  size_t mid_off, mid_len;
  uint64_t mid_base;        /* decompressed offset of mid[0] */
  int raw_end;              /* no more decompressed bytes */
  int end;                  /* source_read returned 0 */
  char outp[8];             /* a character for a buffer under 4 bytes */
  size_t outp_off, outp_len;
  uint64_t pos;             /* decoded bytes returned */
  uint64_t made;            /* decoded bytes made (pos + outp's) */
  int failed;
  char *err;                /* what every call repeats after a failure */
  int want_index;
  source_index *ix;
  int pend;                 /* gzip: a point is due at this boundary */
  uint64_t pend_in, pend_mid;
  int pend_bits;
};

source_encoding source_encoding_of(const source *s) { return s->enc; }
int source_gzip(const source *s) { return s->gz; }
size_t source_bom_len(const source *s) { return s->bom; }
uint64_t source_pos(const source *s) { return s->pos; }
int source_fd(const source *s) { return s->fd; }

const char *source_encoding_name(source_encoding e) {
  static const char *const names[] = {"UTF-8", "UTF-8 with a BOM", "UTF-16LE",
                                      "UTF-16BE", "UTF-32LE", "UTF-32BE"};
  return (unsigned)e < sizeof names / sizeof *names ? names[e] : "?";
}

/* The encoding its first bytes p[0..n) announce, and the BOM's length. */
static source_encoding detect_bom(const unsigned char *p, size_t n, size_t *bom) {
  static const struct { unsigned char b[4]; size_t n; source_encoding e; } boms[] = {
      {{0xFF, 0xFE, 0, 0}, 4, SOURCE_UTF32LE}, {{0, 0, 0xFE, 0xFF}, 4, SOURCE_UTF32BE},
      {{0xEF, 0xBB, 0xBF}, 3, SOURCE_UTF8_BOM}, {{0xFF, 0xFE}, 2, SOURCE_UTF16LE},
      {{0xFE, 0xFF}, 2, SOURCE_UTF16BE}};
  for (size_t i = 0; i < sizeof boms / sizeof *boms; i++)
    if (n >= boms[i].n && !memcmp(p, boms[i].b, boms[i].n)) {
      *bom = boms[i].n;
      return boms[i].e;
    }
  *bom = 0;
  return SOURCE_UTF8;
}

/* Record a failure (msg malloc'd, NULL when out of memory); -1. */
static int fail(source *s, char *msg) {
  s->failed = 1;
  free(s->err);
  s->err = msg;
  return -1;
}

/* The point due now that mid is used up, if any.  0, or -1 (failed). */
static int add_point(source *s) {
  source_index *ix = s->ix;
  source_point p = {0};
  if (s->gz) {
    if (!s->pend) return 0;
    s->pend = 0;
    uInt wlen = 0;
    inflateGetDictionary(&s->g.z, Z_NULL, &wlen);
    if (wlen < s->d.carry_n) return 0;  /* the character began in the last member */
    if (wlen && !(p.window = mem_alloc(wlen))) goto oom;
    if (wlen) inflateGetDictionary(&s->g.z, p.window, &wlen);
    p.wlen = wlen;
    p.in = s->pend_in;
    p.mid = s->pend_mid;
    p.bits = (uint8_t)s->pend_bits;
    p.carry = (uint8_t)s->d.carry_n;
  } else {
    uint64_t at = s->mid_base - s->d.carry_n;
    if (s->d.unit == 1 || at - ix->pt[ix->n - 1].mid < SOURCE_SPAN) return 0;
    p.in = p.mid = at;
  }
  p.out = s->made;
  if (ix_push(ix, &p) == 0) return 0;
oom:
  return fail(s, corpus_pathf(s->path, "out of memory for the index of its text "
                              "(%zu bytes so far)", ix->memory));
}

/* More decompressed bytes after mid_len (mid emptied first when all of it
** was used: the moment a restart point is taken).  0, or -1 (failed). */
static int refill(source *s) {
  if (s->mid_off == s->mid_len) {
    s->mid_base += s->mid_len;
    s->mid_off = s->mid_len = 0;
    if (s->ix && s->ix->n && add_point(s)) return -1;
  }
  size_t room = SOURCE_BUF - s->mid_len, made;
  if (!s->gz) {
    ssize_t r = pread_full(s->fd, s->mid + s->mid_len, room, SEQ);
    if (r < 0) return fail(s, corpus_pathf(s->path, "cannot read: %s", strerror(errno)));
    if (r == 0) s->raw_end = 1;
    s->mid_len += (size_t)r;
    return 0;
  }
  uint64_t stop = UINT64_MAX;
  if (s->ix && s->ix->n) stop = s->ix->pt[s->ix->n - 1].mid + SOURCE_SPAN;
  int boundary, rc = gzr_inflate(&s->g, s->fd, s->mid + s->mid_len, room, stop, &made,
                                 &boundary);
  s->mid_len += made;
  if (rc == GZ_END) s->raw_end = 1;
  else if (rc) return fail(s, gzr_message(&s->g, rc, s->path));
  if (boundary) {
    s->pend = 1;
    s->pend_in = gzr_at(&s->g);
    s->pend_bits = s->g.z.data_type & 7;
    s->pend_mid = s->g.total;
  }
  return 0;
}

/* (Re)start the stream at the file's first byte: read what detection
** needs, detect gzip and the BOM when detect is set, skip the BOM.
** 0, an errno value, or 0 with s failed (corrupt data). */
static int stream_begin(source *s, int detect) {
  s->mid_off = s->mid_len = 0;
  s->mid_base = 0;
  s->raw_end = s->end = s->pend = 0;
  s->outp_off = s->outp_len = 0;
  s->pos = s->made = 0;
  s->failed = 0;
  free(s->err);
  s->err = NULL;
  if (s->ix) ix_cut(s->ix, 0);
  if (lseek(s->fd, 0, SEEK_SET) != 0) return errno;
  if (s->gz) {
    gzr *g = &s->g;
    g->in_off = g->in_len = g->trailer = 0;
    g->in_pos = g->total = 0;
    g->eof = g->done = g->between = g->raw = 0;
    if (inflateReset2(&g->z, 31) != Z_OK) return ENOMEM;
  } else {
    ssize_t r = pread_full(s->fd, s->mid, SOURCE_BUF, SEQ);
    if (r < 0) return errno;
    s->mid_len = (size_t)r;
    if (detect && r >= 2 && s->mid[0] == 0x1F && s->mid[1] == 0x8B) {
      s->gz = 1;
      if (!(s->g.in = mem_alloc(SOURCE_BUF)) || gzr_init(&s->g, 31)) return ENOMEM;
      s->g.seq = 1;
      memcpy(s->g.in, s->mid, (size_t)r);
      s->g.in_len = (size_t)r;
      s->g.in_pos = (uint64_t)r;
      s->mid_len = 0;
    } else if (r == 0) {
      s->raw_end = 1;
    }
  }
  while (s->gz && s->mid_len < 4 && !s->raw_end && !s->failed)
    if (refill(s) && !s->err) return ENOMEM;
  if (detect) s->enc = detect_bom(s->mid, s->mid_len, &s->bom);
  s->mid_off = s->bom < s->mid_len ? s->bom : s->mid_len;
  dec_init(&s->d, s->enc);
  if (s->ix) {
    s->ix->enc = s->enc;
    s->ix->gz = s->gz;
    s->ix->bom = s->bom;
    if (ix_start(s->ix)) return ENOMEM;
  }
  return 0;
}

/* See corpus_source.h. */
int source_open(const char *path, int index, source **out, struct stat *sb) {
  int fd, e = corpus_open_input(path, &fd, sb);
  if (e) return e;
  source *s = calloc(1, sizeof *s);
  if (!s) {
    close(fd);
    return ENOMEM;
  }
  s->fd = fd;
  s->want_index = index;
  if (!(s->path = strdup(path)) || !(s->mid = mem_alloc(SOURCE_BUF)) ||
      (index && !(s->ix = ix_new(SOURCE_UTF8, 0, 0)))) {
    source_close(s);
    return ENOMEM;
  }
  if ((e = stream_begin(s, 1))) {
    source_close(s);
    return e;
  }
  *out = s;
  return 0;
}

/* See corpus_source.h. */
int source_rewind(source *s, char **err) {
  if (s->want_index && !s->ix && !(s->ix = ix_new(s->enc, s->gz, s->bom))) {
    *err = corpus_pathf(s->path, "out of memory");
    return -1;
  }
  int e = stream_begin(s, 0);
  if (e) {
    fail(s, corpus_pathf(s->path, "cannot read: %s", strerror(e)));
    *err = s->err ? strdup(s->err) : NULL;
    return -1;
  }
  return 0;
}

/* The stored failure again. */
static ssize_t failed(source *s, char **err) {
  *err = s->err ? strdup(s->err) : NULL;
  return -1;
}

/* Decode what mid holds into buf[0..cap) (cap >= 4 for a wide text):
** bytes written, or -1 (failed). */
static ssize_t decode_mid(source *s, char *buf, size_t cap) {
  size_t used, made;
  int r = dec_run(&s->d, s->mid + s->mid_off, s->mid_len - s->mid_off,
                  s->mid_base + s->mid_off, buf, cap, &used, &made);
  s->mid_off += used;
  s->made += made;
  if (r) return fail(s, dec_message(&s->d, s->path, s->gz));
  return (ssize_t)made;
}

/* See corpus_source.h. */
ssize_t source_read(source *s, char *buf, size_t cap, char **err) {
  size_t got = 0;
  ssize_t r;
  if (s->failed) return failed(s, err);
  while (got == 0 && cap) {
    if (s->outp_off < s->outp_len) {
      size_t k = s->outp_len - s->outp_off;
      got = k < cap ? k : cap;
      memcpy(buf, s->outp + s->outp_off, got);
      s->outp_off += got;
    } else if (s->mid_off < s->mid_len) {
      if (cap < 4 && s->d.unit > 1) {   /* a character may not fit */
        if ((r = decode_mid(s, s->outp, sizeof s->outp)) < 0) return failed(s, err);
        s->outp_off = 0;
        s->outp_len = (size_t)r;
      } else if ((r = decode_mid(s, buf, cap)) < 0) {
        return failed(s, err);
      } else {
        got = (size_t)r;
      }
    } else if (s->raw_end) {
      if (dec_finish(&s->d, s->mid_base + s->mid_len)) {
        fail(s, dec_message(&s->d, s->path, s->gz));
        return failed(s, err);
      }
      s->end = 1;
      break;
    } else if (!s->gz && s->d.unit == 1) {   /* plain UTF-8: pass through */
      s->mid_base += s->mid_len;
      s->mid_off = s->mid_len = 0;
      if ((r = pread_full(s->fd, buf, cap, SEQ)) < 0) {
        fail(s, corpus_pathf(s->path, "cannot read: %s", strerror(errno)));
        return failed(s, err);
      }
      if (r == 0) s->raw_end = 1;
      s->mid_base += (uint64_t)r;
      s->made += (uint64_t)r;
      got = (size_t)r;
    } else if (refill(s)) {
      return failed(s, err);
    }
  }
  s->pos += got;
  return (ssize_t)got;
}

/* See corpus_source.h. */
source_index *source_index_take(source *s, char **err) {
  if (!s->want_index || !s->ix || !s->end) {
    *err = corpus_pathf(s->path, "%s", !s->want_index ? "opened without an index"
                                       : !s->ix      ? "its index was already taken"
                                                     : "its text was not read to the end");
    return NULL;
  }
  source_index *ix = s->ix;
  s->ix = NULL;
  ix->length = s->made;
  if (!ix->gz && ix->enc <= SOURCE_UTF8_BOM) {   /* needs no points */
    ix_cut(ix, 0);
    mem_free(ix->pt);
    ix->pt = NULL;
    ix->memory -= ix->cap * sizeof *ix->pt;
    ix->cap = 0;
  }
  return ix;
}

/* See corpus_source.h. */
void source_close(source *s) {
  if (!s) return;
  if (s->fd >= 0) close(s->fd);
  gzr_end(&s->g);
  mem_free(s->g.in);
  mem_free(s->mid);
  source_index_free(s->ix);
  free(s->err);
  free(s->path);
  free(s);
}

/* ---------------------------------------------------------------------
** Random access: decoding a span from its restart point
*/

/* Decoded offset where span k ends. */
static uint64_t span_end(const source_index *ix, size_t k) {
  return k + 1 < ix->n ? ix->pt[k + 1].out : ix->length;
}

/* The last point at or before the decoded offset off. */
static size_t find_point(const source_index *ix, uint64_t off) {
  size_t lo = 0, hi = ix->n;          /* pt[lo].out <= off < pt[hi].out */
  while (hi - lo > 1) {
    size_t m = lo + (hi - lo) / 2;
    if (ix->pt[m].out <= off) lo = m;
    else hi = m;
  }
  return lo;
}

/* Set up g to inflate from point p of fd. */
static int span_gz_start(gzr *g, int fd, const source_point *p) {
  int rc = gzr_init(g, p->head ? 31 : -15);
  if (rc) return rc;
  g->in_pos = p->in;
  g->total = p->mid;
  if (p->bits) {
    unsigned char b;
    ssize_t r = pread_full(fd, &b, 1, p->in - 1);
    if (r < 0) {
      g->err_no = errno;
      return GZ_IO;
    }
    if (r == 0) return GZ_TRUNC;
    inflatePrime(&g->z, p->bits, b >> (8 - p->bits));
  }
  if (p->wlen && inflateSetDictionary(&g->z, p->window, p->wlen) != Z_OK) return GZ_NOMEM;
  return GZ_OK;
}

/* Decode span k of ix from fd and copy its bytes in [lo, hi) (a part of
** the span) to dst.  0, or -1 with *err. */
static int span_decode(int fd, const char *path, const source_index *ix, size_t k,
                       uint64_t lo, uint64_t hi, char *dst, char **err) {
  const source_point *p = &ix->pt[k];
  uint64_t dpos = p->out, mpos = p->mid;
  size_t skip = mpos < ix->bom ? ix->bom - (size_t)mpos : 0;
  int rc = GZ_OK, eof = 0;
  gzr g = {0};
  dec d;
  dec_init(&d, ix->enc);
  if (p->carry) memcpy(d.carry, p->window + p->wlen - p->carry, p->carry);
  d.carry_n = p->carry;
  unsigned char *mid = malloc(SOURCE_BUF);
  char *tmp = d.unit > 1 ? malloc(SOURCE_BUF) : NULL;
  if (!mid || (d.unit > 1 && !tmp) || (ix->gz && !(g.in = malloc(SOURCE_BUF)))) {
    *err = NULL;
    goto fail;
  }
  if (ix->gz && (rc = span_gz_start(&g, fd, p))) {
    if (rc != GZ_TRUNC) goto gzfail;
    eof = 1;                        /* the file shrank before the point */
  }
  while (dpos < hi) {
    size_t n = 0;
    int boundary;
    if (session_interrupted()) {
      *err = corpus_pathf(path, "interrupted");
      goto fail;
    }
    if (eof) {
      if (dec_finish(&d, mpos)) goto decfail;
      *err = corpus_pathf(path, "the file ends before byte %llu of its text",
                          (unsigned long long)dpos);
      goto fail;
    }
    if (ix->gz) {
      rc = gzr_inflate(&g, fd, mid, SOURCE_BUF, UINT64_MAX, &n, &boundary);
      if (rc == GZ_END || rc == GZ_TRUNC) eof = 1, rc = GZ_OK;
      if (rc) goto gzfail;
    } else {
      ssize_t r = pread_full(fd, mid, SOURCE_BUF, mpos);
      if (r < 0) {
        *err = corpus_pathf(path, "cannot read: %s", strerror(errno));
        goto fail;
      }
      eof = r == 0;
      n = (size_t)r;
    }
    size_t i = skip < n ? skip : n;
    skip -= i;
    while (i < n && dpos < hi) {
      size_t used, made;
      const char *chunk = (const char *)mid + i;
      if (d.unit > 1) {
        if (dec_run(&d, mid + i, n - i, mpos + i, tmp, SOURCE_BUF, &used, &made)) goto decfail;
        chunk = tmp;
      } else {
        used = made = n - i;
      }
      uint64_t a = dpos > lo ? dpos : lo, b = dpos + made < hi ? dpos + made : hi;
      if (a < b) memcpy(dst + (a - lo), chunk + (a - dpos), (size_t)(b - a));
      dpos += made;
      i += used;
    }
    mpos += n;
  }
  free(mid);
  free(tmp);
  free(g.in);
  gzr_end(&g);
  return 0;
gzfail:
  *err = gzr_message(&g, rc, path);
  goto fail;
decfail:
  *err = dec_message(&d, path, ix->gz);
fail:
  free(mid);
  free(tmp);
  free(g.in);
  gzr_end(&g);
  return -1;
}

/* ---------------------------------------------------------------------
** The span cache: SOURCE_CACHE_SPANS decoded spans, least recently used
** out first.  A span being decoded is marked loading: other threads
** wanting it wait rather than decode it again.
*/

typedef struct cache_ent {
  uint64_t id;          /* index id; 0: empty */
  size_t span;
  char *data;           /* counted memory */
  size_t len;
  uint64_t used;        /* tick of the last use */
  int loading;
} cache_ent;

static struct {
  pthread_mutex_t mu;
  pthread_cond_t cv;
  cache_ent e[SOURCE_CACHE_SPANS];
  uint64_t tick, hits, misses;
  size_t memory;
} cache = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, {{0}}, 0, 0, 0, 0};

size_t source_cache_memory(void) {
  pthread_mutex_lock(&cache.mu);
  size_t m = cache.memory;
  pthread_mutex_unlock(&cache.mu);
  return m;
}

void source_cache_stats(uint64_t *hits, uint64_t *misses) {
  pthread_mutex_lock(&cache.mu);
  *hits = cache.hits;
  *misses = cache.misses;
  pthread_mutex_unlock(&cache.mu);
}

/* Drop the spans of index id (none of them is loading: no pread runs on
** a freed index). */
static void cache_forget(uint64_t id) {
  char *drop[SOURCE_CACHE_SPANS];
  size_t n = 0;
  pthread_mutex_lock(&cache.mu);
  for (size_t i = 0; i < SOURCE_CACHE_SPANS; i++) {
    cache_ent *e = &cache.e[i];
    if (e->id == id && !e->loading) {
      drop[n++] = e->data;
      cache.memory -= e->len;
      *e = (cache_ent){0};
    }
  }
  pthread_mutex_unlock(&cache.mu);
  while (n) mem_free(drop[--n]);
}

/* Under the lock: span k of index id (perhaps loading), or NULL. */
static cache_ent *cache_find(uint64_t id, size_t k) {
  for (size_t i = 0; i < SOURCE_CACHE_SPANS; i++)
    if (cache.e[i].id == id && cache.e[i].span == k) return &cache.e[i];
  return NULL;
}

/* Under the lock: the slot to load a span into (empty, else the least
** recently used one not loading), its old data in *old; NULL when every
** slot is loading. */
static cache_ent *cache_victim(char **old) {
  cache_ent *v = NULL;
  for (size_t i = 0; i < SOURCE_CACHE_SPANS; i++) {
    cache_ent *e = &cache.e[i];
    if (e->loading) continue;
    if (!e->id) {
      v = e;
      break;
    }
    if (!v || e->used < v->used) v = e;
  }
  *old = NULL;
  if (v) {
    *old = v->data;
    cache.memory -= v->len;
    *v = (cache_ent){0};
  }
  return v;
}

static size_t span_len(const source_index *ix, size_t k) {
  return (size_t)(span_end(ix, k) - ix->pt[k].out);
}

/* Under the lock (released while decoding): decode span k of ix into a
** slot of the cache.  The slot; or NULL with *rc 0 when no slot is free
** or there is no memory for the span, -1 (*err) when decoding failed. */
static cache_ent *cache_load(int fd, const char *path, const source_index *ix, size_t k,
                             int *rc, char **err) {
  size_t slen = span_len(ix, k);
  uint64_t s0 = ix->pt[k].out;
  char *old, *buf;
  cache_ent *e = cache_victim(&old);
  *rc = 0;
  if (!e) return NULL;
  e->id = ix->id;
  e->span = k;
  e->loading = 1;
  cache.misses++;
  pthread_mutex_unlock(&cache.mu);
  mem_free(old);
  if ((buf = mem_alloc(slen ? slen : 1))) *rc = span_decode(fd, path, ix, k, s0, s0 + slen, buf, err);
  pthread_mutex_lock(&cache.mu);
  pthread_cond_broadcast(&cache.cv);
  if (buf && !*rc) {
    e->data = buf;
    e->len = slen;
    e->used = ++cache.tick;
    e->loading = 0;
    cache.memory += slen;
    return e;
  }
  *e = (cache_ent){0};
  mem_free(buf);
  return NULL;
}

/* Bytes [lo, hi) of span k (whose length fits the cache) into dst,
** through the cache.  While another thread decodes span k, this one
** decodes span k + 1 rather than wait: threads reading documents in
** order then decode spans side by side.  0, or -1 with *err. */
static int span_cached(int fd, const char *path, const source_index *ix, size_t k,
                       uint64_t lo, uint64_t hi, char *dst, char **err) {
  uint64_t s0 = ix->pt[k].out;
  int rc = 0;
  pthread_mutex_lock(&cache.mu);
  cache_ent *e;
  while ((e = cache_find(ix->id, k)) && e->loading) {
    size_t n = k + 1;
    char *ignored = NULL;       /* span n's own read reports its errors */
    if (n < ix->n && span_len(ix, n) <= SOURCE_CACHE_SPAN_MAX && !cache_find(ix->id, n) &&
        cache_load(fd, path, ix, n, &rc, &ignored))
      continue;
    free(ignored);
    pthread_cond_wait(&cache.cv, &cache.mu);
  }
  if (e) cache.hits++;
  else e = cache_load(fd, path, ix, k, &rc, err);
  if (e) {
    e->used = ++cache.tick;
    memcpy(dst, e->data + (lo - s0), (size_t)(hi - lo));
  }
  pthread_mutex_unlock(&cache.mu);
  if (e) return 0;
  if (rc) return -1;
  /* No slot or no memory for the span: decode just the range. */
  return span_decode(fd, path, ix, k, lo, hi, dst, err);
}

/* A plain UTF-8 file: the text is the file after its BOM. */
static int plain_pread(int fd, const char *path, const source_index *ix, uint64_t off,
                       size_t len, char *dst, char **err) {
  size_t got = 0;
  while (got < len) {
    ssize_t r = pread_full(fd, dst + got, len - got, ix->bom + off + got);
    if (r < 0) {
      *err = corpus_pathf(path, "cannot read: %s", strerror(errno));
      return -1;
    }
    if (r == 0) {
      *err = corpus_pathf(path, "the file ends before byte %llu of its text",
                          (unsigned long long)(off + got));
      return -1;
    }
    got += (size_t)r;
  }
  return 0;
}

/* See corpus_source.h. */
int source_pread(int fd, const char *path, const source_index *ix, uint64_t off,
                 size_t len, util_buf *out, char **err) {
  *err = NULL;
  out->len = 0;
  if (util_buf_reserve(out, len + 1)) return -1;
  if (!ix->n) {
    if (plain_pread(fd, path, ix, off, len, out->data, err)) return -1;
  } else if (off > ix->length || len > ix->length - off) {
    *err = corpus_pathf(path, "bytes %llu to %llu are past the end of its text "
                        "(%llu bytes)", (unsigned long long)off,
                        (unsigned long long)off + len, (unsigned long long)ix->length);
    return -1;
  } else {
    uint64_t at = off, end = off + len;
    for (size_t k = find_point(ix, off); at < end; k++) {
      if (session_interrupted()) {
        *err = corpus_pathf(path, "interrupted");
        return -1;
      }
      uint64_t s1 = span_end(ix, k), b = s1 < end ? s1 : end;
      int rc = s1 - ix->pt[k].out <= SOURCE_CACHE_SPAN_MAX
                   ? span_cached(fd, path, ix, k, at, b, out->data + (at - off), err)
                   : span_decode(fd, path, ix, k, at, b, out->data + (at - off), err);
      if (rc) return -1;
      at = b;
    }
  }
  out->len = len;
  out->data[len] = '\0';
  return 0;
}
