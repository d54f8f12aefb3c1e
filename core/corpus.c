/*
** corpus.c -- the corpus model: the shared document store, loading the
** documents on the thread pool (pool.c), subsets, and reading a
** document's text on demand.  Walking the roots is in corpus_walk.c, the
** string arena in arena.c.
**
** Layout in memory: a corpus_store (corpus_internal.h) holds the
** corpus_doc array and one string arena (paths, titles, front matter) and
** the load warnings; it is shared, refcounted, by the corpus that loaded
** it and by its subsets.  A lector_corpus is a refcounted view: the store
** plus an index array (NULL: every document of the store, in order).
**
** body_off counts file bytes for UTF-8, Windows-1252 and raw documents;
** for documents converted with iconv it counts bytes of the converted
** text (a byte offset into a stateful encoding is of no use).
**
** Sections: store; loading one document; parallel loading; public API;
** text on demand.
*/
#include "corpus.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#include "corpus_internal.h"
#include "corpus_source.h"
#include "corpus_walk.h"
#include "docparse.h"
#include "encoding.h"
#include "mem.h"
#include "pack.h"
#include "pool.h"
#include "progress.h"
#include "session.h"
#include "util.h"

_Static_assert((int)DOCPARSE_DATE_HEADER == (int)CORPUS_DATE_HEADER &&
               (int)DOCPARSE_DATE_META == (int)CORPUS_DATE_META &&
               (int)DOCPARSE_DATE_TEXT == (int)CORPUS_DATE_TEXT,
               "docparse and corpus date sources differ");

#define LOAD_CHUNK 32             /* documents a worker takes at a time */

/* ---------------------------------------------------------------------
** Store and corpus
*/

static void store_release(corpus_store *st) {
  if (!st || atomic_fetch_sub_explicit(&st->refs, 1, memory_order_acq_rel) != 1)
    return;
  for (size_t i = 0; i < st->n_warnings; i++) {
    free((char *)st->warnings[i].msg);
    free((char *)st->warnings[i].path);
  }
  free(st->warnings);
  for (size_t i = 0; st->joined && i < st->n; i++) mem_free(st->joined[i]);
  mem_free(st->joined);
  for (size_t i = 0; st->files && i < st->n_files; i++)
    source_index_free(st->files[i].index);
  mem_free(st->files);
  mem_free(st->docs);
  arena_free(&st->strings);
  free(st->iconv_name);
  pack_map_free(st->pack);
  free(st);
}

/* Room for one more warning; 0 or -1. */
static int warn_room(corpus_store *st) {
  if (st->n_warnings < st->cap_warnings) return 0;
  size_t cap = st->cap_warnings ? 2 * st->cap_warnings : 16;
  corpus_warning_info *w = realloc(st->warnings, cap * sizeof *w);
  if (!w) return -1;
  st->warnings = w;
  st->cap_warnings = cap;
  return 0;
}

/* See corpus_internal.h.  The store keeps msg, or it is freed.  msg
** starts with path escaped; line, when there is one, follows it. */
static int store_warn(corpus_store *st, const char *path, uint64_t line,
                      char *msg) {
  char *shown = msg && path ? corpus_escape(path, strlen(path)) : NULL;
  size_t k = shown ? strlen(shown) : 0;
  if (!msg || (path && !shown) || warn_room(st) != 0) {
    free(msg);
    free(shown);
    return -1;
  }
  const char *reason = msg;
  if (shown && strncmp(msg, shown, k) == 0) {          /* path[:line]: */
    reason = msg + k;
    if (*reason == ':') reason++;
    while (line && *reason >= '0' && *reason <= '9') reason++;
    if (line && *reason == ':') reason++;
    if (*reason == ' ') reason++;
  }
  st->warnings[st->n_warnings++] =
      (corpus_warning_info){.msg = msg, .path = shown, .reason = reason,
                            .line = line};
  st->warning_bytes += strlen(msg) + k + 2;
  return 0;
}

/* See corpus_internal.h. */
int corpus_store_warn(corpus_store *st, const char *path, char *msg) {
  return store_warn(st, path, 0, msg);
}

/* See corpus_internal.h: a document with its path and id (already in the
** arena). */
int corpus_store_push(corpus_store *st, const char *path, const char *id) {
  if (st->n == st->cap) {
    size_t cap = st->cap ? 2 * st->cap : 256;
    corpus_doc *d = mem_realloc(st->docs, cap * sizeof *d);
    if (!d) return -1;
    st->docs = d;
    st->cap = cap;
  }
  st->docs[st->n++] = (corpus_doc){.path = path, .id = id, .file_id = id,
                                    .title = "", .format = CORPUS_FMT_TEXT};
  return 0;
}

/* ---------------------------------------------------------------------
** Shared helpers: opening inputs, messages naming files
*/

/* See corpus_internal.h. */
int corpus_open_input(const char *path, int *fd, struct stat *sb) {
  int f = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
  if (f < 0) return errno;
  /* O_NONBLOCK stays: it has no effect on reading a regular file. */
  int e = fstat(f, sb) != 0 ? errno : !S_ISREG(sb->st_mode) ? CORPUS_NOT_REGULAR : 0;
  if (e) {
    close(f);
    return e;
  }
  *fd = f;
  return 0;
}

/* See corpus_internal.h. */
const char *corpus_file_kind(unsigned mode) {
  switch (mode & S_IFMT) {
  case S_IFIFO: return "a FIFO";
  case S_IFCHR: return "a character device";
  case S_IFBLK: return "a block device";
  case S_IFSOCK: return "a socket";
  case S_IFDIR: return "a folder";
  default: return "a special file";
  }
}

/* See corpus_internal.h. */
const char *corpus_skip_tail(const corpus_opts *o) {
  return o->strict ? "; the load failed on this file (strict)" : ", skipped";
}

/* Length of the valid UTF-8 character at s[0..n), or 0 when it is not
** one. */
static size_t utf8_char(const unsigned char *s, size_t n) {
  size_t k = s[0] < 0x80 ? 1 : s[0] >= 0xF0 ? 4 : s[0] >= 0xE0 ? 3 : 2;
  if (k > n || enc_utf8_check((const char *)s, k) != k) return 0;
  return k;
}

/* 1 when the character at s (k bytes) is shown escaped. */
static int is_control(const unsigned char *s, size_t k) {
  return (k == 1 && (s[0] < 0x20 || s[0] == 0x7F)) ||
         (k == 2 && s[0] == 0xC2 && s[1] < 0xA0);        /* C1: U+0080..9F */
}

/* 1 when s[0..n) must be escaped for display. */
static int needs_escape(const char *s, size_t n) {
  const unsigned char *u = (const unsigned char *)s;
  for (size_t i = 0, k; i < n; i += k) {
    if (u[i] >= 0x20 && u[i] < 0x7F) {
      k = 1;
      continue;
    }
    if (!(k = utf8_char(u + i, n - i)) || is_control(u + i, k)) return 1;
  }
  return 0;
}

/* See corpus.h: C0 controls, DEL and invalid bytes as \xHH, C1 controls
** as \u00HH. */
char *corpus_escape(const char *s, size_t n) {
  const unsigned char *u = (const unsigned char *)s;
  char *out = malloc(6 * n + 1), *o = out;
  if (!out) return NULL;
  for (size_t i = 0, k; i < n; i += k) {
    k = utf8_char(u + i, n - i);
    if (k == 0) {
      o += sprintf(o, "\\x%02X", u[i]);
      k = 1;
    } else if (is_control(u + i, k)) {
      o += k == 1 ? sprintf(o, "\\x%02X", u[i]) : sprintf(o, "\\u%04X", u[i + 1]);
    } else {
      memcpy(o, u + i, k);
      o += k;
    }
  }
  *o = '\0';
  return out;
}

/* See corpus_internal.h. */
const char *corpus_display(arena *a, const char *s, size_t n, int *oom) {
  if (!needs_escape(s, n)) return s;
  char *e = corpus_escape(s, n);
  const char *p = e ? arena_strndup(a, e, strlen(e)) : NULL;
  free(e);
  if (!p) *oom = 1;
  return p;
}

/* "<path>[:<line>]: <rest>", path escaped. */
static char *path_line_vf(const char *path, uint64_t line, const char *fmt,
                          va_list ap) {
  char *shown = corpus_escape(path, strlen(path)), *rest, *msg = NULL;
  rest = util_verrorf(fmt, ap);
  if (shown && rest && line)
    msg = util_errorf("%s:%llu: %s", shown, (unsigned long long)line, rest);
  else if (shown && rest)
    msg = util_errorf("%s: %s", shown, rest);
  free(shown);
  free(rest);
  return msg;
}

/* See corpus_internal.h. */
char *corpus_pathf(const char *path, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  char *msg = path_line_vf(path, 0, fmt, ap);
  va_end(ap);
  return msg;
}

/* See corpus_internal.h. */
char *corpus_linef(const char *path, uint64_t line, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  char *msg = path_line_vf(path, line, fmt, ap);
  va_end(ap);
  return msg;
}

/* ---------------------------------------------------------------------
** Loading one document
**
** A file is read in chunks of CHUNK bytes: its first LECTOR_HEAD_MAX
** bytes (of text, for iconv) are kept for docparse, and every chunk is
** checked for NUL bytes and invalid UTF-8 and counted, so that no file is
** ever held whole.  A file found not to be UTF-8 is read a second time
** as Windows-1252, to count its decoded bytes.
*/

#ifndef LECTOR_HEAD_MAX
#define LECTOR_HEAD_MAX (64 * 1024) /* bytes kept for header, title, dateline */
#endif
#define CHUNK (64 * 1024)           /* bytes read at a time */
#define NO_OFFSET UINT64_MAX

_Static_assert(LECTOR_HEAD_MAX > LECTOR_FRONT_MATTER_MAX + 4 * LECTOR_TITLE_MAX,
               "the head must hold the front matter and a title");

typedef enum { MODE_AUTO, MODE_RAW, MODE_ICONV } load_mode;

/* The warnings about one file, in the order found (rows: by line). */
typedef struct file_warns {
  struct file_warn { uint64_t line; char *msg; } *v;
  size_t n, cap;
} file_warns;

/* Where the rows of a table file went: worker w's rows [first, first+n). */
typedef struct rows_at {
  int w;
  size_t first, n;
} rows_at;

/* The state of one corpus_load, shared by its workers.  Entry i of each
** per-file array belongs to the worker that loads file i. */
typedef struct loader {
  const corpus_opts *o;
  load_mode mode;
  corpus_store *st;
  uint8_t *status;      /* per file, LOAD_* */
  file_warns *warns;    /* per file */
  rows_at *rows;        /* per file: a table's rows */
  corpus_rows wrows[LECTOR_MAX_THREADS];  /* per worker, its rows */
  atomic_int stop;      /* the pool's stop flag (pool_job.stop) */
  progress *bar;        /* files parsed (NULL: none drawn) */
} loader;

/* One worker of the pool: its buffers, reused from file to file. */
typedef struct worker {
  loader *ld;
  int k;                /* its number */
  size_t cur;           /* the file it loads */
  size_t done;          /* documents this worker finished */
  char *chunk;          /* CHUNK bytes read, behind up to 4 carried over */
  char *obuf;           /* CHUNK bytes of iconv output */
  util_buf head;        /* the first LECTOR_HEAD_MAX bytes (of text: iconv) */
  util_buf dbuf;        /* the head decoded from Windows-1252 */
  arena strings;        /* titles and front matter, merged at the end */
  iconv_t cd;
} worker;

/* What streaming a file found. */
typedef struct scan {
  uint64_t total;       /* bytes of text: file bytes, or decoded bytes */
  uint64_t bad;         /* first invalid UTF-8 byte (auto), or NO_OFFSET */
  int whole;            /* the head holds all of it */
} scan;

/* 1 when a file must be left: Ctrl-C or the timeout, or the pool
** stopped on another worker's failure.  Polled at every read, so that a
** long file does not hold up the stop. */
static int stopped(loader *ld) {
  return session_interrupted() ||
         atomic_load_explicit(&ld->stop, memory_order_relaxed);
}

/* read(2) again after EINTR; -1 with errno. */
static ssize_t read_retry(int fd, char *buf, size_t n) {
  ssize_t r;
  do r = read(fd, buf, n);
  while (r < 0 && errno == EINTR);
  return r;
}

static void head_add(worker *w, const char *p, size_t n) {
  size_t room = LECTOR_HEAD_MAX - w->head.len;
  if (n > room) n = room;
  memcpy(w->head.data + w->head.len, p, n);
  w->head.len += n;
}

static uint64_t cp1252_len(const char *s, size_t n) {
  uint64_t k = 0;
  for (size_t i = 0; i < n; i++) k += enc_cp1252_char_len((unsigned char)s[i]);
  return k;
}

static char *binary(const loader *ld, const char *path, uint64_t off) {
  return corpus_pathf(path, "binary file (NUL byte at offset %llu)%s",
                      (unsigned long long)off, corpus_skip_tail(ld->o));
}

static char *read_error(const loader *ld, const char *path, int e) {
  return corpus_pathf(path, "%s%s", strerror(e), corpus_skip_tail(ld->o));
}

/* A source's error *msg with the tail that says what became of the file;
** LOAD_SKIP (LOAD_OOM when there is no message). */
static int load_source_error(const loader *ld, char **msg) {
  char *m = *msg ? util_errorf("%s%s", *msg, corpus_skip_tail(ld->o)) : NULL;
  free(*msg);
  *msg = m;
  return m ? LOAD_SKIP : LOAD_OOM;
}

/* Stream fd's bytes: check = 1 checks UTF-8 (and stops at the first
** invalid byte, sc->bad), cp = 1 counts decoded Windows-1252 bytes.
** LOAD_OK, LOAD_SKIP (*msg), LOAD_STOP. */
static int scan_bytes(worker *w, source *src, const char *path, int check,
                      int cp, scan *sc, char **msg) {
  size_t carry = 0;
  uint64_t base = 0, raw = 0;          /* stream offset of w->chunk[0] */
  *sc = (scan){.bad = NO_OFFSET};
  w->head.len = 0;
  if (cp && source_rewind(src, msg) != 0) return load_source_error(w->ld, msg);
  for (;;) {
    if (stopped(w->ld)) return LOAD_STOP;
    ssize_t r = source_read(src, w->chunk + carry, CHUNK, msg);
    if (r < 0) return load_source_error(w->ld, msg);
    if (r == 0) break;
    const char *p = w->chunk + carry, *nul = memchr(p, '\0', (size_t)r);
    if (nul && raw == 0 && (size_t)r >= PACK_MAGIC_LEN &&
        memcmp(p, PACK_MAGIC, PACK_MAGIC_LEN) == 0)  /* a pack in a folder */
      return *msg = corpus_pathf(path, "a Lector pack: load it by itself "
                                 "(lector.load of that file)%s",
                                 corpus_skip_tail(w->ld->o)), LOAD_SKIP;
    if (nul) return *msg = binary(w->ld, path, raw + (uint64_t)(nul - p)), LOAD_SKIP;
    head_add(w, p, (size_t)r);
    raw += (uint64_t)r;
    sc->total += cp ? cp1252_len(p, (size_t)r) : (uint64_t)r;
    if (check) {
      size_t n = carry + (size_t)r, v = enc_utf8_check(w->chunk, n);
      carry = 0;
      if (v < n) {
        if (n - v >= 4) return sc->bad = base + v, LOAD_OK;   /* not a cut */
        carry = n - v;                    /* perhaps cut: read on */
        memmove(w->chunk, w->chunk + v, carry);
      }
      base += n - carry;
    }
  }
  if (carry) sc->bad = base;              /* cut by the end of the file */
  sc->whole = w->head.len == raw;
  return LOAD_OK;
}

static const char *iconv_problem(int e) {
  return e == EILSEQ ? "invalid input" : e == EINVAL ? "incomplete input at the end"
                                                     : strerror(e);
}

/* iconv output out[0..n): kept in the head, checked, counted. */
static int iconv_emit(worker *w, const char *path, const char *out, size_t n,
                      scan *sc, char **msg) {
  const char *nul = memchr(out, '\0', n);
  if (nul) return *msg = binary(w->ld, path, sc->total + (uint64_t)(nul - out)), LOAD_SKIP;
  size_t v = enc_utf8_check(out, n);     /* iconv emits whole characters */
  if (v != n) {                          /* glibc: UTF-8 past U+10FFFF */
    *msg = corpus_pathf(path, "cannot convert from %s (iconv gave invalid "
                        "UTF-8 at byte %llu of the text)%s", w->ld->o->encoding,
                        (unsigned long long)(sc->total + v),
                        corpus_skip_tail(w->ld->o));
    return LOAD_SKIP;
  }
  head_add(w, out, n);
  sc->total += n;
  return LOAD_OK;
}

/* Stream fd through iconv (opts->encoding), as scan_bytes. */
static int scan_iconv(worker *w, source *src, const char *path, scan *sc,
                      char **msg) {
  size_t carry = 0, left, room;
  uint64_t base = 0;
  char *in, *out;
  int st = LOAD_OK;
  *sc = (scan){.bad = NO_OFFSET, .whole = 1};
  w->head.len = 0;
  iconv(w->cd, NULL, NULL, NULL, NULL);
  for (;;) {
    if (stopped(w->ld)) return LOAD_STOP;
    ssize_t r = source_read(src, w->chunk + carry, CHUNK, msg);
    if (r < 0) return load_source_error(w->ld, msg);
    int eof = r == 0;
    size_t n = carry + (size_t)r;
    in = w->chunk;
    left = n;
    while (left > 0) {
      out = w->obuf;
      room = CHUNK;
      size_t k = iconv(w->cd, &in, &left, &out, &room);
      int e = errno;
      if ((st = iconv_emit(w, path, w->obuf, (size_t)(out - w->obuf), sc, msg)))
        return st;
      if (k != (size_t)-1 || e == E2BIG) continue;
      if (e == EINVAL && !eof) break;     /* a character cut by the chunk */
      *msg = corpus_pathf(path, "cannot convert from %s (%s at byte %llu)%s",
                          w->ld->o->encoding, iconv_problem(e),
                          (unsigned long long)(base + (uint64_t)(in - w->chunk)),
                          corpus_skip_tail(w->ld->o));
      return LOAD_SKIP;
    }
    if (eof) break;
    carry = left;
    memmove(w->chunk, in, carry);
    base += n - carry;
  }
  out = w->obuf;
  room = CHUNK;
  iconv(w->cd, NULL, NULL, &out, &room);  /* a final shift sequence */
  st = iconv_emit(w, path, w->obuf, (size_t)(out - w->obuf), sc, msg);
  sc->whole = sc->total == w->head.len;
  return st;
}

/* The front matter pairs of r as a corpus_meta block in the arena;
** NULL when there are none, or *oom. */
static const char *meta_copy(arena *a, const char *s, const docparse_result *r,
                             int *oom) {
  const char *fm = s + r->front_matter.off;
  size_t flen = r->front_matter.len, pos = 0, total = 1;
  docparse_span k, v;
  while (docparse_meta_next(fm, flen, &pos, &k, &v)) total += k.len + v.len + 3;
  if (total == 1) return NULL;
  char *out = arena_alloc(a, total), *o = out;
  if (!out) {
    *oom = 1;
    return NULL;
  }
  for (pos = 0; docparse_meta_next(fm, flen, &pos, &k, &v);) {
    memcpy(o, fm + k.off, k.len);
    o += k.len;
    *o++ = '\0';
    *o++ = CORPUS_META_STRING;
    memcpy(o, fm + v.off, v.len);
    o += v.len;
    *o++ = '\0';
  }
  *o = '\0';
  return out;
}

/* Fill d's metadata from the head (w->head, the start of the decoded
** stream: no BOM) and what the scan found; bom: file bytes before the
** stream (a plain file's UTF-8 BOM, which body_off counts). */
static int describe(worker *w, corpus_doc *d, const scan *sc, size_t bom) {
  const char *h = w->head.data, *text;
  size_t hn = w->head.len, len;
  docparse_result r;
  int oom = 0;
  if (!sc->whole && d->encoding != CORPUS_ENC_CP1252 &&
      d->encoding != CORPUS_ENC_RAW) {
    size_t v = enc_utf8_check(h, hn);     /* a character cut by the head */
    if (hn - v < 4) hn = v;
  }
  uint64_t total = sc->total;
  if (d->encoding == CORPUS_ENC_CP1252) {
    w->dbuf.len = enc_cp1252_decode(h, hn, w->dbuf.data);
    text = w->dbuf.data;
    len = w->dbuf.len;
  } else {
    text = h;
    len = hn;
  }
  docparse_parse(text, len, w->ld->o->dates == CORPUS_DATES_AUTO, &r);
  if (w->ld->o->dates == CORPUS_DATES_NONE) r.date = 0, r.date_source = 0;
  size_t off = r.body_off;
  if (d->encoding == CORPUS_ENC_CP1252) off = enc_cp1252_src_offset(h, hn, off);
  d->body_off = (uint32_t)(bom + off);
  d->bytes = total - r.body_off;
  d->date = r.date;
  d->date_source = (uint8_t)r.date_source;
  if (r.title.len) {
    const char *t = arena_strndup(&w->strings, text + r.title.off, r.title.len);
    d->title = !t || d->encoding == CORPUS_ENC_RAW
             ? t : corpus_display(&w->strings, t, r.title.len, &oom);
    if (!d->title) return LOAD_OOM;
  }
  d->meta = r.has_front_matter ? meta_copy(&w->strings, text, &r, &oom) : NULL;
  return oom ? LOAD_OOM : LOAD_OK;
}

/* Stream the text file open as src for d: LOAD_OK, LOAD_WARN (*msg) or a
** failure.  Text that the source decoded from UTF-16/32 is UTF-8 already,
** whatever the mode. */
static int scan_doc(worker *w, source *src, corpus_doc *d, char **msg) {
  loader *ld = w->ld;
  load_mode mode = d->bom >= SOURCE_UTF16LE ? MODE_AUTO : ld->mode;
  scan sc;
  int st, warn = 0;
  if (mode == MODE_ICONV) {
    d->encoding = CORPUS_ENC_ICONV;
    st = scan_iconv(w, src, d->path, &sc, msg);
  } else {
    d->encoding = mode == MODE_RAW ? CORPUS_ENC_RAW : CORPUS_ENC_UTF8;
    st = scan_bytes(w, src, d->path, mode == MODE_AUTO, 0, &sc, msg);
    if (st == LOAD_OK && sc.bad != NO_OFFSET) {
      uint64_t bad = sc.bad;
      d->encoding = CORPUS_ENC_CP1252;
      st = scan_bytes(w, src, d->path, 0, 1, &sc, msg);
      if (st == LOAD_OK) {
        *msg = corpus_pathf(d->path, "not valid UTF-8 (first bad byte at offset "
                            "%llu); decoded as Windows-1252",
                            (unsigned long long)bad);
        if (!*msg) return LOAD_OOM;
        warn = 1;
      }
    }
  }
  if (st != LOAD_OK) return st;
  size_t bom = d->gzip || d->bom >= SOURCE_UTF16LE ? 0 : source_bom_len(src);
  if ((st = describe(w, d, &sc, bom)) != LOAD_OK) {   /* its problem replaces a warning */
    free(*msg);
    *msg = NULL;
    return st;
  }
  return warn ? LOAD_WARN : LOAD_OK;
}

/* The format of file d: the option, else by its id's extension (a final
** .gz aside). */
static int file_format(const loader *ld, const corpus_doc *d) {
  static const struct { const char *ext; int format; } by_ext[] = {
    {".csv", CORPUS_FMT_CSV}, {".tsv", CORPUS_FMT_TSV}, {".tab", CORPUS_FMT_TSV},
    {".jsonl", CORPUS_FMT_JSONL}, {".ndjson", CORPUS_FMT_JSONL}};
  if (ld->o->format != CORPUS_FMT_AUTO) return ld->o->format;
  size_t n = strlen(d->id);
  if (n > 3 && strcasecmp(d->id + n - 3, ".gz") == 0) n -= 3;
  for (size_t k = 0; k < sizeof by_ext / sizeof by_ext[0]; k++) {
    size_t e = strlen(by_ext[k].ext);
    if (n > e && strncasecmp(d->id + n - e, by_ext[k].ext, e) == 0)
      return by_ext[k].format;
  }
  return CORPUS_FMT_TEXT;
}

/* A gzip'd file's id loses its ".gz" (news.jsonl.gz is news.jsonl). */
static int strip_gz(worker *w, corpus_doc *d) {
  size_t n = strlen(d->id);
  if (n <= 3 || strcasecmp(d->id + n - 3, ".gz") != 0) return LOAD_OK;
  const char *id = arena_strndup(&w->strings, d->id, n - 3);
  if (!id) return LOAD_OOM;
  d->id = d->file_id = id;
  return LOAD_OK;
}

/* corpus_rows_job's callbacks, with the worker as ctx. */
static int rows_stopped(void *ctx) { return stopped(((worker *)ctx)->ld); }

static int file_warn(loader *ld, size_t i, uint64_t line, char *msg) {
  file_warns *fw = &ld->warns[i];
  if (fw->n == fw->cap) {
    size_t cap = fw->cap ? 2 * fw->cap : 4;
    struct file_warn *v = realloc(fw->v, cap * sizeof *v);
    if (!v) return free(msg), -1;
    fw->v = v;
    fw->cap = cap;
  }
  fw->v[fw->n++] = (struct file_warn){line, msg};
  return 0;
}

static int rows_warn(void *ctx, uint64_t line, char *msg) {
  worker *w = ctx;
  return file_warn(w->ld, w->cur, line, msg);
}

/* Load the rows of table file i, open as src. */
static int load_rows(worker *w, size_t i, source *src, int format, char **msg) {
  loader *ld = w->ld;
  corpus_rows *rows = &ld->wrows[w->k];
  size_t first = rows->n;
  corpus_rows_job j = {.o = ld->o, .file = &ld->st->docs[i], .file_no = (uint32_t)i,
                       .format = format, .out = &ld->st->files[i], .rows = rows,
                       .strings = &w->strings, .chunk = w->chunk,
                       .chunk_size = CHUNK, .ctx = w, .stopped = rows_stopped,
                       .warn = rows_warn};
  int st = corpus_rows_load(&j, src, msg);
  ld->rows[i] = (rows_at){w->k, first, rows->n - first};
  return st;
}

/* Load file i: LOAD_OK, LOAD_WARN or LOAD_SKIP (*msg, malloc'd; NULL
** when out of memory), LOAD_OOM or LOAD_STOP. */
static int load_doc(worker *w, size_t i, char **msg) {
  corpus_doc *d = &w->ld->st->docs[i];
  struct stat sb;
  source *src;
  int st, format = file_format(w->ld, d);
  int e = source_open(d->path, format != CORPUS_FMT_TEXT, &src, &sb);
  *msg = NULL;
  if (e == CORPUS_NOT_REGULAR) {
    *msg = corpus_pathf(d->path, "not a regular file (%s)%s",
                        corpus_file_kind(sb.st_mode), corpus_skip_tail(w->ld->o));
    return LOAD_SKIP;
  }
  if (e == ENOMEM) return LOAD_OOM;
  if (e) return *msg = read_error(w->ld, d->path, e), LOAD_SKIP;
  d->size = (uint64_t)sb.st_size;
  d->mtime_ns = (int64_t)sb.st_mtim.tv_sec * 1000000000 + sb.st_mtim.tv_nsec;
  d->dev = (uint64_t)sb.st_dev;
  d->ino = (uint64_t)sb.st_ino;
  d->gzip = (uint8_t)source_gzip(src);
  d->bom = (uint8_t)source_encoding_of(src);
  d->format = (uint8_t)format;
  w->cur = i;
  st = d->gzip ? strip_gz(w, d) : LOAD_OK;
  if (st == LOAD_OK)
    st = format == CORPUS_FMT_TEXT ? scan_doc(w, src, d, msg)
                                   : load_rows(w, i, src, format, msg);
  source_close(src);
  return st;
}

/* ---------------------------------------------------------------------
** Parallel loading, on the pool (pool.h): it owns the threads, the
** chunks, polling the interrupt flag between them and the first error.
*/

/* pool_run's fn: load document i, keep its outcome.  A strict skip and
** out of memory are errors that stop the run; a stop is an interrupt of
** our own, or another worker's failure. */
static int load_item(void *arg, size_t i, char **err) {
  worker *w = arg;
  loader *ld = w->ld;
  char *msg;
  int st = load_doc(w, i, &msg);
  if (!msg && (st == LOAD_WARN || st == LOAD_SKIP || st == LOAD_FAIL)) st = LOAD_OOM;
  ld->status[i] = (uint8_t)st;
  if (st == LOAD_SKIP && ld->rows) ld->rows[i].n = 0;
  switch (st) {
  case LOAD_OOM:
    free(msg);
    return LECTOR_ENOMEM;                 /* *err NULL: out of memory */
  case LOAD_STOP:
    free(msg);
    if (!session_interrupted()) return POOL_STOPPED;
    *err = util_errorf("interrupted");
    return LECTOR_EINTERRUPT;
  case LOAD_FAIL:
    return *err = msg, LECTOR_ERR;
  case LOAD_SKIP:
    if (ld->o->strict) return *err = msg, LECTOR_ERR;
    /* fall through */
  default:
    if (msg && file_warn(ld, i, 0, msg) != 0) return LECTOR_ENOMEM;
    w->done++;
    progress_add(ld->bar, 1);
    return LECTOR_OK;
  }
}

/* A worker's buffers, all of fixed size, and its iconv descriptor.
** 0, or nonzero with *err (NULL when out of memory). */
static int worker_init(worker *w, loader *ld, int k, char **err) {
  w->ld = ld;
  w->k = k;
  w->cd = (iconv_t)-1;
  w->chunk = malloc(CHUNK + 4);
  w->obuf = ld->mode == MODE_ICONV ? malloc(CHUNK) : NULL;
  if (!w->chunk || (ld->mode == MODE_ICONV && !w->obuf) ||
      util_buf_reserve(&w->head, LECTOR_HEAD_MAX + 1) != 0 ||
      util_buf_reserve(&w->dbuf, 3 * LECTOR_HEAD_MAX + 1) != 0)
    return *err = NULL, 1;
  if (ld->mode == MODE_ICONV) return enc_iconv_open(ld->o->encoding, &w->cd, err);
  return 0;
}

/* Free a worker's buffers; its titles and front matter go to into. */
static void worker_free(worker *w, arena *into) {
  arena_move(into, &w->strings);
  free(w->chunk);
  free(w->obuf);
  util_buf_free(&w->head);
  util_buf_free(&w->dbuf);
  if (w->cd != (iconv_t)-1) iconv_close(w->cd);
}

/* Run the pool over every document of the store.  An interrupt's error
** says how far the load got. */
static int run_workers(loader *ld, char **err) {
  size_t n = ld->st->n, done = 0;
  int nw = pool_workers(ld->o->threads, (n + LOAD_CHUNK - 1) / LOAD_CHUNK);
  int rc = 0, k;
  worker ws[LECTOR_MAX_THREADS];
  void *ctx[LECTOR_MAX_THREADS];
  memset(ws, 0, sizeof ws);
  for (k = 0; k < nw && rc == 0; k++) {
    rc = worker_init(&ws[k], ld, k, err);
    ctx[k] = &ws[k];
  }
  if (rc == 0) {
    pool_job job = {.n = n, .chunk = LOAD_CHUNK, .ctx = ctx, .nworkers = nw,
                    .fn = load_item, .interrupted = session_interrupted,
                    .stop = &ld->stop, .errorf = util_errorf, .free = free};
    rc = pool_run(&job, err);
  }
  for (int t = 0; t < k; t++) {
    done += ws[t].done;
    worker_free(&ws[t], &ld->st->strings);
  }
  if (rc == LECTOR_EINTERRUPT) {
    free(*err);
    *err = util_errorf("interrupted (Ctrl-C or the timeout) after reading %zu "
                       "of %zu files", done, n);
  }
  return rc;
}

/* The warnings about file i to the store, in order; 0 or -1. */
static int collect_warnings(loader *ld, size_t i) {
  file_warns *fw = &ld->warns[i];
  int rc = 0;
  for (size_t k = 0; k < fw->n; k++) {
    if (rc == 0) rc = store_warn(ld->st, ld->st->docs[i].path, fw->v[k].line, fw->v[k].msg);
    else free(fw->v[k].msg);
  }
  free(fw->v);
  *fw = (file_warns){0};
  return rc;
}

/* See corpus.h. */
unsigned corpus_shard_of(const char *id, unsigned n) {
  size_t len = strlen(id);
  uint64_t h = 0xcbf29ce484222325u;                 /* FNV-1a, 64 bits */
  if (len > 3 && strcmp(id + len - 3, ".gz") == 0) len -= 3;
  for (size_t k = 0; k < len; k++) h = (h ^ (unsigned char)id[k]) * 0x100000001b3u;
  return n ? (unsigned)(h % n) + 1 : 1;
}

/* 1 when the document with this id is in the load's shard. */
static int in_shard(const corpus_opts *o, const char *id) {
  return o->shard_n == 0 || corpus_shard_of(id, o->shard_n) == o->shard_i;
}

/* Text files of other shards are dropped before they are read (a
** table's rows are sorted out after, in collect). */
static void shard_files(loader *ld) {
  corpus_store *st = ld->st;
  size_t k = 0;
  if (ld->o->shard_n == 0) return;
  for (size_t i = 0; i < st->n; i++)
    if (file_format(ld, &st->docs[i]) != CORPUS_FMT_TEXT || in_shard(ld->o, st->docs[i].id))
      st->docs[k++] = st->docs[i];
  st->n = k;
}

/* Documents after the load: a text file gives one, a table its rows, a
** skipped file none. */
static size_t count_docs(const loader *ld) {
  size_t n = 0;
  for (size_t i = 0; i < ld->st->n; i++)
    n += ld->status[i] == LOAD_SKIP ? 0
       : ld->st->docs[i].format == CORPUS_FMT_TEXT ? 1 : ld->rows[i].n;
  return n;                             /* an upper bound with shards */
}

/* After a load without error: the documents in order (rows in place of
** their files, skipped files gone) and the warnings go to the store. */
static int collect(loader *ld, char **err) {
  corpus_store *st = ld->st;
  size_t n = count_docs(ld), k = 0;
  corpus_doc *docs = mem_alloc((n ? n : 1) * sizeof *docs);
  if (!docs) return *err = NULL, 1;
  for (size_t i = 0; i < st->n; i++) {
    if (collect_warnings(ld, i) != 0) {
      mem_free(docs);
      return *err = NULL, 1;
    }
    if (ld->status[i] == LOAD_SKIP) continue;
    st->docs[i].file = (uint32_t)i;
    if (st->docs[i].format == CORPUS_FMT_TEXT) {
      docs[k++] = st->docs[i];
      continue;
    }
    const rows_at *r = &ld->rows[i];
    for (size_t x = 0; x < r->n; x++) {           /* none: docs may be NULL */
      const corpus_doc *row = &ld->wrows[r->w].docs[r->first + x];
      if (in_shard(ld->o, row->id)) docs[k++] = *row;
    }
  }
  for (size_t i = 0; i < st->n; i++)
    if (st->files[i].index) st->file_bytes += source_index_memory(st->files[i].index);
  mem_free(st->docs);
  st->docs = docs;
  st->n_files = st->n;
  st->n = st->cap = k;
  return 0;
}

/* Free what the loader holds beside the store. */
static void load_free(loader *ld, size_t n) {
  for (size_t i = 0; ld->warns && i < n; i++) {
    for (size_t k = 0; k < ld->warns[i].n; k++) free(ld->warns[i].v[k].msg);
    free(ld->warns[i].v);
  }
  for (int k = 0; k < LECTOR_MAX_THREADS; k++) mem_free(ld->wrows[k].docs);
  free(ld->warns);
  free(ld->rows);
  free(ld->status);
}

static int load_all(loader *ld, char **err) {
  corpus_store *st = ld->st;
  size_t n = st->n;
  int rc = 1;
  if (n == 0) return 0;
  ld->status = calloc(n, 1);
  ld->warns = calloc(n, sizeof *ld->warns);
  ld->rows = calloc(n, sizeof *ld->rows);
  st->files = mem_alloc(n * sizeof *st->files);
  if (!ld->status || !ld->warns || !ld->rows || !st->files) {
    *err = NULL;
    goto done;
  }
  memset(st->files, 0, n * sizeof *st->files);
  st->n_files = n;
  st->file_bytes = n * sizeof *st->files;
  ld->bar = progress_begin("lector.load", "files", n);
  rc = run_workers(ld, err);
  progress_end(ld->bar);          /* the workers are joined */
  if (rc == 0) rc = collect(ld, err);
done:
  load_free(ld, n);
  return rc;
}

/* The loading mode for opts->encoding; an unknown iconv name is an error. */
static int set_mode(loader *ld, corpus_store *st, char **err) {
  const char *enc = ld->o->encoding;
  iconv_t cd;
  if (!enc || strcasecmp(enc, "auto") == 0) ld->mode = MODE_AUTO;
  else if (strcasecmp(enc, "raw") == 0) ld->mode = MODE_RAW;
  else {
    if (enc_iconv_open(enc, &cd, err) != 0) return 1;
    iconv_close(cd);
    ld->mode = MODE_ICONV;
    if (!(st->iconv_name = strdup(enc))) return *err = NULL, 1;
  }
  return 0;
}

static void print_warnings(const corpus_store *st) {
  for (size_t i = 0; i < st->n_warnings; i++)
    fprintf(stderr, "lector: warning: %s\n", st->warnings[i].msg);
}

/* ---------------------------------------------------------------------
** Public API
*/

/* Out of memory under a memory limit: say which limit, and what to do. */
static char *limit_error(const corpus_store *st) {
  size_t lim = mem_limit(), kb = 1024, mb = kb * kb;
  int in_mb = lim % mb == 0 || lim > 64 * mb;
  return util_errorf("out of memory: the memory limit (%zu %s, --memory-limit) "
                     "was reached while loading (%zu files found, %zu KB in "
                     "use); raise the limit or load fewer files",
                     in_mb ? (lim + mb - 1) / mb : (lim + kb - 1) / kb,
                     in_mb ? "MB" : "KB", st ? st->n : 0, mem_used() / kb);
}

/* See corpus.h.  *out is the caller's (corpus_release); *err is malloc'd
** (free it). */
int corpus_load(const char *const *paths, size_t n, const corpus_opts *opts,
                corpus **out, char **err) {
  static const corpus_opts defaults = {0};
  loader ld = {.o = opts ? opts : &defaults};
  corpus *c = NULL;
  int rc = 1;
  *out = NULL;
  *err = NULL;
  corpus_store *st = calloc(1, sizeof *st);
  if (!st) return 1;
  atomic_init(&st->refs, 1);
  ld.st = st;
  if (n && !paths) {
    *err = util_errorf("corpus_load: no paths given");
    goto cleanup;
  }
  if (ld.o->threads < 0 || ld.o->threads > LECTOR_MAX_THREADS) {
    *err = util_errorf("corpus_load: threads: expected 0 (all cores) to %d, "
                       "got %d", LECTOR_MAX_THREADS, ld.o->threads);
    goto cleanup;
  }
  if (ld.o->shard_n && (ld.o->shard_i < 1 || ld.o->shard_i > ld.o->shard_n)) {
    *err = util_errorf("corpus_load: shard: expected {i, n} with 1 <= i <= n, "
                       "got {%u, %u}", ld.o->shard_i, ld.o->shard_n);
    goto cleanup;
  }
  if (set_mode(&ld, st, err) != 0) goto cleanup;
  /* a root that is a pack is mapped (pack.c), not walked: -1 none is */
  int packed = pack_load_roots(paths, n, ld.o, st, err);
  if (packed > 0) goto cleanup;
  if (packed < 0 && corpus_walk_roots(ld.o, paths, n, st, err) != 0)
    goto cleanup;
  if (packed < 0) shard_files(&ld);
  if (packed < 0 && load_all(&ld, err) != 0) goto cleanup;
  if (!(c = calloc(1, sizeof *c))) goto cleanup;
  atomic_init(&c->refs, 1);
  c->store = st;
  c->n = st->n;
  st = NULL;
  if (!ld.o->quiet) print_warnings(c->store);
  *out = c;
  rc = 0;
cleanup:
  if (rc != 0 && !*err && mem_limit()) *err = limit_error(st);
  store_release(st);
  return rc;
}

/* ---------------------------------------------------------------------
** Views: text through plugins' filters
*/

static corpus_filter *filter_retain(corpus_filter *f) {
  if (f) atomic_fetch_add_explicit(&f->refs, 1, memory_order_relaxed);
  return f;
}

static void filter_release(corpus_filter *f) {
  while (f && atomic_fetch_sub_explicit(&f->refs, 1, memory_order_acq_rel) == 1) {
    corpus_filter *next = f->next;
    if (f->f.free) f->f.free(f->f.ctx);
    free(f);
    f = next;
  }
}

/* Pass *t (its owner_ malloc'd or NULL) through the filters of f, the
** oldest first. */
static int filter_apply(const corpus_filter *f, size_t key, lector_text *t,
                        char **err) {
  if (!f) return 0;
  if (filter_apply(f->next, key, t, err) != 0) return 1;
  char *out = NULL;
  size_t len = 0;
  *err = NULL;
  if (f->f.fn(f->f.ctx, key, t->data, t->len, &out, &len, err) != LECTOR_OK) {
    free(out);
    if (!*err) *err = util_errorf("a corpus view's text filter failed");
    return 1;
  }
  if (out) {
    free(t->owner_);
    t->data = t->owner_ = out;
    t->len = len;
  }
  return 0;
}

/* See corpus.h. */
size_t corpus_doc_key(const corpus *c, size_t i) { return corpus_store_index(c, i); }
size_t corpus_key_limit(const corpus *c) { return c->store->n; }

/* See corpus.h. */
void corpus_filter_meta(const corpus *c, size_t i, lua_State *L) {
  const corpus_filter *chain[64];
  int n = 0;
  for (const corpus_filter *f = c->filter; f && n < 64; f = f->next) chain[n++] = f;
  while (n-- > 0)
    if (chain[n]->f.meta_push) chain[n]->f.meta_push(chain[n]->f.ctx, L, corpus_doc_key(c, i));
}

/* See corpus.h. */
int corpus_view(corpus *c, const size_t *idx, size_t n,
                const lector_text_filter *f, corpus **out, char **err) {
  corpus_filter *cf = calloc(1, sizeof *cf);
  *out = NULL;
  if (!cf || corpus_subset(c, idx, n, out, err) != 0) {
    if (!cf) *err = NULL;
    if (f->free) f->free(f->ctx);
    free(cf);
    return 1;
  }
  atomic_init(&cf->refs, 1);
  memcpy(&cf->f, f, f->struct_size < sizeof cf->f ? f->struct_size : sizeof cf->f);
  cf->f.struct_size = sizeof cf->f;
  cf->next = (*out)->filter;          /* the subset took c's chain */
  (*out)->filter = cf;
  return 0;
}

/* See corpus.h.  *out shares c's store; release it. */
int corpus_subset(corpus *c, const size_t *idx, size_t n, corpus **out,
                  char **err) {
  *out = NULL;
  for (size_t k = 0; k < n; k++) {
    if (idx[k] >= c->n) {
      *err = util_errorf("corpus_subset: index %zu out of range (%zu documents)",
                         idx[k], c->n);
      return 1;
    }
  }
  corpus *s = calloc(1, sizeof *s);
  size_t *map = malloc((n ? n : 1) * sizeof *map);
  if (!s || !map) {
    free(s);
    free(map);
    *err = NULL;
    return 1;
  }
  for (size_t k = 0; k < n; k++) map[k] = corpus_store_index(c, idx[k]);
  atomic_init(&s->refs, 1);
  atomic_fetch_add_explicit(&c->store->refs, 1, memory_order_relaxed);
  s->store = c->store;
  s->filter = filter_retain(c->filter);
  s->idx = map;
  s->n = n;
  *out = s;
  return 0;
}

/* Take one more reference to c (any thread); returns c. */
corpus *corpus_retain(corpus *c) {
  if (c) atomic_fetch_add_explicit(&c->refs, 1, memory_order_relaxed);
  return c;
}

/* Drop a reference; the last one frees c (and the store, if unshared). */
void corpus_release(corpus *c) {
  if (!c || atomic_fetch_sub_explicit(&c->refs, 1, memory_order_acq_rel) != 1)
    return;
  store_release(c->store);
  filter_release(c->filter);
  free(c->idx);
  mem_free(atomic_load_explicit(&c->pack_at, memory_order_relaxed));
  free(c);
}

/* Number of documents in c. */
size_t corpus_count(const corpus *c) { return c->n; }

/* Document i of c (owned by c), or NULL past the end. */
const corpus_doc *corpus_doc_at(const corpus *c, size_t i) {
  return i < c->n ? &c->store->docs[corpus_store_index(c, i)] : NULL;
}

/* Number of load warnings (shared with subsets). */
size_t corpus_warning_count(const corpus *c) { return c->store->n_warnings; }

/* Warning i (owned by c), or NULL past the end. */
const char *corpus_warning(const corpus *c, size_t i) {
  return i < c->store->n_warnings ? c->store->warnings[i].msg : NULL;
}

/* Warning i in parts (owned by c), or NULL past the end. */
const corpus_warning_info *corpus_warning_at(const corpus *c, size_t i) {
  return i < c->store->n_warnings ? &c->store->warnings[i] : NULL;
}

/* d's date as "YYYY-MM-DD" in buf; 1, or 0 (buf "") when it has none. */
int corpus_doc_date(const corpus_doc *d, char buf[11]) {
  buf[0] = '\0';
  if (d->date <= 0) return 0;
  unsigned v = (unsigned)d->date;
  snprintf(buf, 11, "%04u-%02u-%02u", v / 10000 % 10000, v / 100 % 100, v % 100);
  return 1;
}

/* "utf-8", "windows-1252", the iconv name given at load, "raw", or the
** UTF-16/32 its BOM said. */
const char *corpus_encoding_name(const corpus *c, const corpus_doc *d) {
  static const char *const by_bom[] = {"utf-16le", "utf-16be", "utf-32le",
                                       "utf-32be"};
  if (d->bom >= SOURCE_UTF16LE && d->bom <= SOURCE_UTF32BE)
    return by_bom[d->bom - SOURCE_UTF16LE];
  switch (d->encoding) {
  case CORPUS_ENC_CP1252: return "windows-1252";
  case CORPUS_ENC_ICONV: return c->store->iconv_name;
  case CORPUS_ENC_RAW: return "raw";
  default: return "utf-8";
  }
}

/* "none", "header", "meta" or "text". */
const char *corpus_date_source_name(int from) {
  switch (from) {
  case CORPUS_DATE_HEADER: return "header";
  case CORPUS_DATE_META: return "meta";
  case CORPUS_DATE_TEXT: return "text";
  case CORPUS_DATE_COLUMN: return "column";
  default: return "none";
  }
}

/* "text", "csv", "tsv", "jsonl" ("auto" for CORPUS_FMT_AUTO). */
const char *corpus_format_name(int format) {
  static const char *const names[] = {"auto", "text", "csv", "tsv", "jsonl"};
  return format >= 0 && format <= CORPUS_FMT_JSONL ? names[format] : "?";
}

/* See corpus.h: the store (shared with subsets) plus c's own index and,
** on a view of a pack once walked, its place of each pack document. */
size_t corpus_memory(const corpus *c) {
  const corpus_store *st = c->store;
  size_t m = sizeof *st + st->cap * sizeof *st->docs + st->strings.bytes +
             st->cap_warnings * sizeof *st->warnings + st->warning_bytes +
             st->file_bytes + st->joined_bytes +
             (st->joined ? st->n * sizeof *st->joined : 0);
  if (st->iconv_name) m += strlen(st->iconv_name) + 1;
  if (atomic_load_explicit(&((corpus *)c)->pack_at, memory_order_acquire))
    m += (st->n ? st->n : 1) * sizeof(size_t);      /* pack_toks.c's index_of */
  return m + sizeof *c + (c->idx ? c->n * sizeof *c->idx : 0);
}

/* ---------------------------------------------------------------------
** Text on demand
*/

/* An error for a file that no longer matches what was loaded. */
static char *changed(const corpus_doc *d, const char *why) {
  return corpus_pathf(d->path, "changed since it was loaded (%s); load it again",
                      why);
}

/* Read all of the regular file fd into b (replacing its contents,
** NUL-terminated), expecting expect bytes: a short read that brings
** exactly that many is the end.  0 or an errno value. */
static int read_fd(int fd, util_buf *b, size_t expect) {
  b->len = 0;
  if (util_buf_reserve(b, expect + 2) != 0) return ENOMEM;
  for (;;) {
    if (b->cap - b->len < 2 && util_buf_reserve(b, b->cap) != 0) return ENOMEM;
    size_t want = b->cap - b->len - 1;
    ssize_t r = read_retry(fd, b->data + b->len, want);
    if (r < 0) return errno;
    if (r == 0) break;
    b->len += (size_t)r;
    if (b->len == expect && (size_t)r < want) break;
  }
  b->data[b->len] = '\0';
  return 0;
}

/* 0 when sb is the file as loaded, else 1 and *err saying what changed:
** size, mtime, device or inode (replaced). */
static int identity_changed(const corpus_doc *d, const struct stat *sb,
                            char **err) {
  char why[160];
  int64_t mt = (int64_t)sb->st_mtim.tv_sec * 1000000000 + sb->st_mtim.tv_nsec;
  if ((uint64_t)sb->st_size != d->size)
    snprintf(why, sizeof why, "size %llu bytes, was %llu",
             (unsigned long long)sb->st_size, (unsigned long long)d->size);
  else if (mt != d->mtime_ns)
    snprintf(why, sizeof why, "mtime %lld.%09lld, was %lld.%09lld",
             (long long)(mt / 1000000000), (long long)(mt % 1000000000),
             (long long)(d->mtime_ns / 1000000000),
             (long long)(d->mtime_ns % 1000000000));
  else if ((uint64_t)sb->st_dev != d->dev || (uint64_t)sb->st_ino != d->ino)
    snprintf(why, sizeof why, "another file now has its name: inode %llu, was %llu",
             (unsigned long long)sb->st_ino, (unsigned long long)d->ino);
  else
    return 0;
  *err = changed(d, why);
  return 1;
}

/* After opening d's file (e: corpus_open_input's or source_open's
** answer, sb its fstat): 0 when it is still the file loaded, else 1 with
** *err. */
static int text_opened(const corpus_doc *d, int e, const struct stat *sb,
                       char **err) {
  if (e == CORPUS_NOT_REGULAR) {
    char why[64];
    snprintf(why, sizeof why, "now %s, not a regular file",
             corpus_file_kind(sb->st_mode));
    *err = changed(d, why);
    return 1;
  }
  if (e) {
    *err = e == ENOMEM ? NULL : corpus_pathf(d->path, "%s", strerror(e));
    return 1;
  }
  return identity_changed(d, sb, err);
}

/* Read the decoded stream of d's gzip'd or UTF-16/32 file whole into
** raw. */
static int text_read_source(const corpus_doc *d, util_buf *raw, char **err) {
  struct stat sb;
  source *src = NULL;
  int e = source_open(d->path, 0, &src, &sb), rc = 1;
  raw->len = 0;
  if (text_opened(d, e, &sb, err)) goto done;
  for (;;) {
    if (util_buf_reserve(raw, CHUNK + 1) != 0) {
      *err = NULL;
      goto done;
    }
    ssize_t r = source_read(src, raw->data + raw->len, CHUNK, err);
    if (r < 0) goto done;
    if (r == 0) break;
    raw->len += (size_t)r;
  }
  raw->data[raw->len] = '\0';
  rc = 0;
done:
  source_close(src);
  return rc;
}

/* Read d's file whole into raw, unless it is no longer the file loaded. */
static int text_read(const corpus_doc *d, util_buf *raw, char **err) {
  if (d->gzip || d->bom >= SOURCE_UTF16LE) return text_read_source(d, raw, err);
  struct stat sb;
  int fd = -1, e = corpus_open_input(d->path, &fd, &sb);
  if (text_opened(d, e, &sb, err)) {
    if (fd >= 0) close(fd);
    return 1;
  }
  e = read_fd(fd, raw, (size_t)d->size);
  close(fd);
  if (e) *err = e == ENOMEM ? NULL : corpus_pathf(d->path, "%s", strerror(e));
  return e != 0;
}

/* The text of row d into *base (malloc'd), its length *len. */
static int row_text(const corpus *c, const corpus_doc *d, char **base,
                    size_t *len, char **err) {
  struct stat sb;
  util_buf b = {0};
  int fd = -1, e = corpus_open_input(d->path, &fd, &sb);
  if (text_opened(d, e, &sb, err)) {
    if (fd >= 0) close(fd);
    return 1;
  }
  e = corpus_rows_text(&c->store->files[d->file], d, fd, &b, err);
  close(fd);
  if (e) {
    util_buf_free(&b);
    return 1;
  }
  *base = b.data;
  *len = b.len;
  return 0;
}

/* Decode d's bytes in raw (taken over) into *base, the body at *off. */
static int text_decode(const corpus *c, const corpus_doc *d, util_buf *raw,
                       char **base, size_t *off, size_t *len, char **err) {
  const char *nul = d->encoding == CORPUS_ENC_ICONV ? NULL
                  : memchr(raw->data, '\0', raw->len);
  if (nul) return *err = changed(d, "it now contains a NUL byte"), 1;
  if (d->encoding == CORPUS_ENC_ICONV) {
    iconv_t cd;
    util_buf dec = {0};
    size_t bad;
    int e, r;
    if (enc_iconv_open(c->store->iconv_name, &cd, err) != 0) return 1;
    r = enc_iconv_convert(cd, raw->data, raw->len, &dec, &bad, &e);
    iconv_close(cd);
    util_buf_free(raw);
    if (r != 0) {
      util_buf_free(&dec);
      *err = r == -2 ? NULL : changed(d, "it cannot be converted any more");
      return 1;
    }
    *raw = dec;
    if (memchr(raw->data, '\0', raw->len))
      return *err = changed(d, "it now contains a NUL character"), 1;
  }
  size_t bom = enc_bom_len(raw->data, raw->len);
  if (d->encoding == CORPUS_ENC_UTF8 &&
      enc_utf8_check(raw->data + bom, raw->len - bom) != raw->len - bom)
    return *err = changed(d, "it is no longer valid UTF-8"), 1;
  size_t start = d->body_off;     /* a plain file's BOM included */
  if (start > raw->len) return *err = changed(d, "it is shorter"), 1;
  if (d->encoding == CORPUS_ENC_CP1252) {
    char *dec = malloc(3 * (raw->len - start) + 1);
    if (!dec) return *err = NULL, 1;
    *len = enc_cp1252_decode(raw->data + start, raw->len - start, dec);
    *base = dec;
    *off = 0;
    util_buf_free(raw);
  } else {
    *base = raw->data;
    *off = start;
    *len = raw->len - start;
    raw->data = NULL;
  }
  return 0;
}

/* See corpus.h.  out->data is malloc'd (out->owner_); free it with
** corpus_text_release.  *err is malloc'd. */
int corpus_text(const corpus *c, size_t i, lector_text *out, char **err) {
  const corpus_doc *d = corpus_doc_at(c, i);
  util_buf raw = {0};
  char *base = NULL;
  size_t off = 0, len = 0;
  memset(out, 0, sizeof *out);
  if (!d) {
    *err = util_errorf("no document %zu (the corpus has %zu)", i, c->n);
    return 1;
  }
  if (c->store->pack) {        /* a packed store: from its map (pack.c) */
    if (pack_text(c->store->pack, d, out, err) != 0) return 1;
    goto filter;
  }
  if (d->format != CORPUS_FMT_TEXT) {
    if (row_text(c, d, &base, &len, err) != 0) return 1;
  } else if (text_read(d, &raw, err) != 0 ||
             text_decode(c, d, &raw, &base, &off, &len, err) != 0) {
    util_buf_free(&raw);
    return 1;
  }
  if (len != d->bytes) {
    char why[96];
    snprintf(why, sizeof why, "%zu bytes of text, was %llu", len,
             (unsigned long long)d->bytes);
    free(base);
    *err = changed(d, why);
    return 1;
  }
  out->data = base + off;
  out->len = len;
  out->owner_ = base;
filter:
  if (filter_apply(c->filter, corpus_store_index(c, i), out, err) != 0) {
    corpus_text_release(out);
    return 1;
  }
  return 0;
}

/* Free the text of t (NULL fields are fine); t is zeroed. */
void corpus_text_release(lector_text *t) {
  if (!t) return;
  free(t->owner_);
  memset(t, 0, sizeof *t);
}
