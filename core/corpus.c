/*
** corpus.c -- the corpus model: the shared document store, loading the
** documents with worker threads, subsets, and reading a document's text
** on demand.  Walking the roots is in corpus_walk.c, the string arena in
** arena.c.
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
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "config.h"
#include "corpus_internal.h"
#include "corpus_walk.h"
#include "docparse.h"
#include "encoding.h"
#include "progress.h"
#include "util.h"

_Static_assert((int)DOCPARSE_DATE_HEADER == (int)CORPUS_DATE_HEADER &&
               (int)DOCPARSE_DATE_META == (int)CORPUS_DATE_META &&
               (int)DOCPARSE_DATE_TEXT == (int)CORPUS_DATE_TEXT,
               "docparse and corpus date sources differ");

#define LOAD_CHUNK 32             /* documents a worker takes at a time */
#define READ_BUF_MIN (64 * 1024)  /* first size of a worker's read buffer */
#define MAX_THREADS 64

/* ---------------------------------------------------------------------
** Store and corpus
*/

struct lector_corpus {
  atomic_size_t refs;
  corpus_store *store;
  size_t *idx;          /* store indices, or NULL: all, in order */
  size_t n;
};

static void store_release(corpus_store *st) {
  if (!st || atomic_fetch_sub_explicit(&st->refs, 1, memory_order_acq_rel) != 1)
    return;
  for (size_t i = 0; i < st->n_warnings; i++) free(st->warnings[i]);
  free(st->warnings);
  free(st->docs);
  arena_free(&st->strings);
  free(st->iconv_name);
  free(st);
}

/* See corpus_internal.h.  The store keeps msg, or it is freed. */
int corpus_store_warn(corpus_store *st, char *msg) {
  if (!msg) return -1;
  if (st->n_warnings == st->cap_warnings) {
    size_t cap = st->cap_warnings ? 2 * st->cap_warnings : 16;
    char **w = realloc(st->warnings, cap * sizeof *w);
    if (!w) {
      free(msg);
      return -1;
    }
    st->warnings = w;
    st->cap_warnings = cap;
  }
  st->warnings[st->n_warnings++] = msg;
  st->warning_bytes += strlen(msg) + 1;
  return 0;
}

/* See corpus_internal.h: a document with its path and id (already in the
** arena). */
int corpus_store_push(corpus_store *st, const char *path, const char *id) {
  if (st->n == st->cap) {
    size_t cap = st->cap ? 2 * st->cap : 256;
    corpus_doc *d = realloc(st->docs, cap * sizeof *d);
    if (!d) return -1;
    st->docs = d;
    st->cap = cap;
  }
  st->docs[st->n++] = (corpus_doc){.path = path, .id = id, .title = ""};
  return 0;
}

/* Store index of the corpus's document i. */
static size_t store_index(const corpus *c, size_t i) {
  return c->idx ? c->idx[i] : i;
}

/* ---------------------------------------------------------------------
** Loading one document
*/

typedef enum { MODE_AUTO, MODE_RAW, MODE_ICONV } load_mode;

enum { ST_OK, ST_WARN, ST_SKIP, ST_OOM };

/* The state of one corpus_load, shared by its workers. */
typedef struct loader {
  const corpus_opts *o;
  load_mode mode;
  corpus_store *st;
  uint8_t *status;      /* per document, ST_* */
  char **warn;          /* per document, a malloc'd warning or NULL */
  atomic_size_t next;   /* next document a worker takes */
  atomic_int stop;      /* strict failure or out of memory: stop early */
  progress *bar;        /* files parsed (NULL: none drawn) */
} loader;

typedef struct worker {
  loader *L;
  util_buf rbuf;        /* the file's bytes, reused from file to file */
  util_buf dbuf;        /* decoded text (Windows-1252, iconv) */
  arena strings;        /* titles and front matter, merged at the end */
  iconv_t cd;
  pthread_t thread;
  int started;
} worker;

/* Read all of fd into b (replacing its contents, NUL-terminated).  With
** expect (the size the file had when loaded; 0 if unknown), b is sized
** for it and a short read that brings exactly that many bytes is the end
** of a regular file: no further read(2) is needed to see EOF.  0 or an
** errno value. */
static int read_fd(int fd, util_buf *b, size_t expect) {
  b->len = 0;
  if (util_buf_reserve(b, (expect ? expect : READ_BUF_MIN) + 2) != 0)
    return ENOMEM;
  for (;;) {
    if (b->cap - b->len < 2 && util_buf_reserve(b, b->cap) != 0) return ENOMEM;
    size_t want = b->cap - b->len - 1;
    ssize_t r = read(fd, b->data + b->len, want);
    if (r < 0) {
      if (errno == EINTR) continue;
      return errno;
    }
    if (r == 0) break;
    b->len += (size_t)r;
    if (expect && b->len == expect && (size_t)r < want) break;
  }
  b->data[b->len] = '\0';
  return 0;
}

/* Read the file at path into b; expect as for read_fd. */
static int read_file(const char *path, util_buf *b, size_t expect) {
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return errno;
  int e = read_fd(fd, b, expect);
  close(fd);
  return e;
}

/* Record the outcome of document i: status and a malloc'd warning. */
static void doc_outcome(worker *w, size_t i, int status, char *msg) {
  loader *L = w->L;
  if (!msg && status != ST_OK) status = ST_OOM;
  L->status[i] = (uint8_t)status;
  L->warn[i] = msg;
  if (status == ST_OOM || (status == ST_SKIP && L->o->strict))
    atomic_store(&L->stop, 1);
}

static const char *iconv_problem(int e) {
  return e == EILSEQ ? "invalid input" : e == EINVAL ? "incomplete input at the end"
                                                     : strerror(e);
}

/* Decoded text of the file bytes in w->rbuf (*text, *len), and *pre, the
** bytes dropped in front (a BOM), in body_off's units.  Returns ST_*,
** with *msg for a warning. */
static int decode(worker *w, const char *path, corpus_doc *d, const char **text,
                  size_t *len, size_t *pre, char **msg) {
  const char *s = w->rbuf.data;
  size_t n = w->rbuf.len;
  const char *nul;
  if (w->L->mode == MODE_ICONV) {
    size_t bad;
    int e;
    int r = enc_iconv_convert(w->cd, s, n, &w->dbuf, &bad, &e);
    if (r == -2) return ST_OOM;
    if (r != 0) {
      *msg = util_errorf("%s: cannot convert from %s (%s at byte %zu), skipped",
                         path, w->L->o->encoding, iconv_problem(e), bad);
      return ST_SKIP;
    }
    s = w->dbuf.data;
    n = w->dbuf.len;
  }
  if ((nul = memchr(s, '\0', n)) != NULL) {
    *msg = util_errorf("%s: binary file (NUL byte at offset %zu), skipped",
                       path, (size_t)(nul - s));
    return ST_SKIP;
  }
  *pre = enc_bom_len(s, n);
  *text = s + *pre;
  *len = n - *pre;
  d->encoding = w->L->mode == MODE_ICONV ? CORPUS_ENC_ICONV
              : w->L->mode == MODE_RAW ? CORPUS_ENC_RAW : CORPUS_ENC_UTF8;
  if (w->L->mode != MODE_AUTO) return ST_OK;
  size_t bad = enc_utf8_check(*text, *len);
  if (bad == *len) return ST_OK;
  if (util_buf_reserve(&w->dbuf, 3 * *len + 1) != 0) return ST_OOM;
  w->dbuf.len = enc_cp1252_decode(*text, *len, w->dbuf.data);
  *text = w->dbuf.data;
  *len = w->dbuf.len;
  d->encoding = CORPUS_ENC_CP1252;
  *msg = util_errorf("%s: not valid UTF-8 (first bad byte at offset %zu); "
                     "decoded as Windows-1252", path, *pre + bad);
  return ST_WARN;
}

/* The front matter pairs of r as "key\0value\0...\0\0" in the arena;
** NULL when there are none, or *oom. */
static const char *meta_copy(arena *a, const char *s, const docparse_result *r,
                             int *oom) {
  const char *fm = s + r->front_matter.off;
  size_t flen = r->front_matter.len, pos = 0, total = 1;
  docparse_span k, v;
  while (docparse_meta_next(fm, flen, &pos, &k, &v)) total += k.len + v.len + 2;
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
    memcpy(o, fm + v.off, v.len);
    o += v.len;
    *o++ = '\0';
  }
  *o = '\0';
  return out;
}

/* Fill d's metadata from its decoded text. */
static int describe(worker *w, corpus_doc *d, const char *text, size_t len,
                    size_t pre, char **msg) {
  docparse_result r;
  int oom = 0;
  docparse_parse(text, len, &r);
  size_t off = r.body_off;
  if (d->encoding == CORPUS_ENC_CP1252)
    off = enc_cp1252_src_offset(w->rbuf.data + pre, w->rbuf.len - pre, off);
  if (pre + off > UINT32_MAX) {
    *msg = util_errorf("%s: header longer than 4 GB, skipped", d->path);
    return ST_SKIP;
  }
  d->body_off = (uint32_t)(pre + off);
  d->bytes = len - r.body_off;
  d->date = r.date;
  d->date_source = (uint8_t)r.date_source;
  if (r.title.len) {
    d->title = arena_strndup(&w->strings, text + r.title.off, r.title.len);
    if (!d->title) return ST_OOM;
  }
  d->meta = r.has_front_matter ? meta_copy(&w->strings, text, &r, &oom) : NULL;
  return oom ? ST_OOM : ST_OK;
}

static void load_doc(worker *w, size_t i) {
  corpus_doc *d = &w->L->st->docs[i];
  const char *text = NULL;
  size_t len = 0, pre = 0;
  char *msg = NULL;
  int e = read_file(d->path, &w->rbuf, 0);
  if (e) {
    doc_outcome(w, i, e == ENOMEM ? ST_OOM : ST_SKIP,
                e == ENOMEM ? NULL : util_errorf("%s: %s", d->path, strerror(e)));
    return;
  }
  d->size = w->rbuf.len;
  int st = decode(w, d->path, d, &text, &len, &pre, &msg);
  if (st == ST_OK || st == ST_WARN) {
    char *msg2 = NULL;
    int st2 = describe(w, d, text, len, pre, &msg2);
    if (st2 != ST_OK) {                /* its problem replaces a warning */
      free(msg);
      msg = msg2;
      st = st2;
    }
  }
  doc_outcome(w, i, st, msg);
}

/* ---------------------------------------------------------------------
** Parallel loading
*/

static void *worker_main(void *arg) {
  worker *w = arg;
  loader *L = w->L;
  size_t n = L->st->n;
  while (!atomic_load_explicit(&L->stop, memory_order_relaxed)) {
    size_t i = atomic_fetch_add(&L->next, LOAD_CHUNK);
    if (i >= n) break;
    size_t end = i + LOAD_CHUNK < n ? i + LOAD_CHUNK : n;
    for (size_t j = i; j < end; j++) load_doc(w, j);   /* finish the chunk */
    progress_add(L->bar, end - i);
  }
  return NULL;
}

static int thread_count(const corpus_opts *o, size_t n) {
  long t = o->threads > 0 ? o->threads : LECTOR_LOAD_THREADS;
  if (t <= 0) t = sysconf(_SC_NPROCESSORS_ONLN);
  size_t chunks = (n + LOAD_CHUNK - 1) / LOAD_CHUNK;
  if (t > MAX_THREADS) t = MAX_THREADS;
  if ((size_t)t > chunks) t = (long)chunks;
  return t < 1 ? 1 : (int)t;
}

static void worker_done(worker *w, arena *into) {
  arena_move(into, &w->strings);
  util_buf_free(&w->rbuf);
  util_buf_free(&w->dbuf);
  if (w->cd != (iconv_t)-1) iconv_close(w->cd);
}

/* Run the workers over every document of the store; the calling thread
** is worker 0. */
static int run_workers(loader *L, char **err) {
  int nt = thread_count(L->o, L->st->n), rc = 0;
  worker *ws = calloc((size_t)nt, sizeof *ws);
  if (!ws) return *err = NULL, 1;
  for (int t = 0; t < nt; t++) {
    ws[t].L = L;
    ws[t].cd = (iconv_t)-1;
    if (rc == 0 && L->mode == MODE_ICONV &&
        enc_iconv_open(L->o->encoding, &ws[t].cd, err) != 0)
      rc = 1;
  }
  for (int t = 1; rc == 0 && t < nt; t++)
    ws[t].started = pthread_create(&ws[t].thread, NULL, worker_main, &ws[t]) == 0;
  if (rc == 0) worker_main(&ws[0]);
  for (int t = 0; t < nt; t++) {
    if (ws[t].started) pthread_join(ws[t].thread, NULL);
    worker_done(&ws[t], &L->st->strings);
  }
  free(ws);
  return rc;
}

/* After the workers: the first failure (strict or out of memory) becomes
** the error; else warnings go to the store and skipped documents go. */
static int collect(loader *L, char **err) {
  corpus_store *st = L->st;
  size_t i, k = 0;
  for (i = 0; i < st->n; i++) {
    if (L->status[i] == ST_OOM || (L->status[i] == ST_SKIP && L->o->strict)) {
      *err = L->warn[i];
      L->warn[i] = NULL;
      return 1;
    }
  }
  for (i = 0; i < st->n; i++) {
    if (L->warn[i]) {
      int r = corpus_store_warn(st, L->warn[i]);
      L->warn[i] = NULL;
      if (r != 0) return *err = NULL, 1;
    }
    if (L->status[i] != ST_SKIP) st->docs[k++] = st->docs[i];
  }
  st->n = k;
  if (k < st->cap) {
    corpus_doc *d = k ? realloc(st->docs, k * sizeof *d) : NULL;
    if (d || !k) {
      if (!k) free(st->docs);
      st->docs = d;
      st->cap = k;
    }
  }
  return 0;
}

static int load_all(loader *L, char **err) {
  size_t n = L->st->n;
  int rc = 1;
  if (n == 0) return 0;
  L->status = calloc(n, 1);
  L->warn = calloc(n, sizeof *L->warn);
  if (!L->status || !L->warn) {
    *err = NULL;
    goto done;
  }
  L->bar = progress_begin("lector.load", "files", n);
  rc = run_workers(L, err);
  progress_end(L->bar);          /* the workers are joined */
  if (rc == 0) rc = collect(L, err);
done:
  for (size_t i = 0; L->warn && i < n; i++) free(L->warn[i]);
  free(L->warn);
  free(L->status);
  return rc;
}

/* The loading mode for opts->encoding; an unknown iconv name is an error. */
static int set_mode(loader *L, corpus_store *st, char **err) {
  const char *enc = L->o->encoding;
  iconv_t cd;
  if (!enc || strcasecmp(enc, "auto") == 0) L->mode = MODE_AUTO;
  else if (strcasecmp(enc, "raw") == 0) L->mode = MODE_RAW;
  else {
    if (enc_iconv_open(enc, &cd, err) != 0) return 1;
    iconv_close(cd);
    L->mode = MODE_ICONV;
    if (!(st->iconv_name = strdup(enc))) return *err = NULL, 1;
  }
  return 0;
}

static void print_warnings(const corpus_store *st) {
  for (size_t i = 0; i < st->n_warnings; i++)
    fprintf(stderr, "lector: warning: %s\n", st->warnings[i]);
}

/* ---------------------------------------------------------------------
** Public API
*/

/* See corpus.h.  *out is the caller's (corpus_release); *err is malloc'd
** (free it). */
int corpus_load(const char *const *paths, size_t n, const corpus_opts *opts,
                corpus **out, char **err) {
  static const corpus_opts defaults = {0};
  loader L = {.o = opts ? opts : &defaults};
  corpus *c = NULL;
  int rc = 1;
  *out = NULL;
  *err = NULL;
  corpus_store *st = calloc(1, sizeof *st);
  if (!st) return 1;
  atomic_init(&st->refs, 1);
  L.st = st;
  if (n && !paths) {
    *err = util_errorf("corpus_load: no paths given");
    goto cleanup;
  }
  if (set_mode(&L, st, err) != 0) goto cleanup;
  if (corpus_walk_roots(L.o, paths, n, st, err) != 0) goto cleanup;
  if (load_all(&L, err) != 0) goto cleanup;
  if (!(c = calloc(1, sizeof *c))) goto cleanup;
  atomic_init(&c->refs, 1);
  c->store = st;
  c->n = st->n;
  st = NULL;
  if (!L.o->quiet) print_warnings(c->store);
  *out = c;
  rc = 0;
cleanup:
  store_release(st);
  return rc;
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
  for (size_t k = 0; k < n; k++) map[k] = store_index(c, idx[k]);
  atomic_init(&s->refs, 1);
  atomic_fetch_add_explicit(&c->store->refs, 1, memory_order_relaxed);
  s->store = c->store;
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
  free(c->idx);
  free(c);
}

/* Number of documents in c. */
size_t corpus_count(const corpus *c) { return c->n; }

/* Document i of c (owned by c), or NULL past the end. */
const corpus_doc *corpus_doc_at(const corpus *c, size_t i) {
  return i < c->n ? &c->store->docs[store_index(c, i)] : NULL;
}

/* Number of load warnings (shared with subsets). */
size_t corpus_warning_count(const corpus *c) { return c->store->n_warnings; }

/* Warning i (owned by c), or NULL past the end. */
const char *corpus_warning(const corpus *c, size_t i) {
  return i < c->store->n_warnings ? c->store->warnings[i] : NULL;
}

/* d's date as "YYYY-MM-DD" in buf; 1, or 0 (buf "") when it has none. */
int corpus_doc_date(const corpus_doc *d, char buf[11]) {
  buf[0] = '\0';
  if (d->date <= 0) return 0;
  unsigned v = (unsigned)d->date;
  snprintf(buf, 11, "%04u-%02u-%02u", v / 10000 % 10000, v / 100 % 100, v % 100);
  return 1;
}

/* "utf-8", "windows-1252", the iconv name given at load, or "raw". */
const char *corpus_encoding_name(const corpus *c, const corpus_doc *d) {
  switch (d->encoding) {
  case CORPUS_ENC_CP1252: return "windows-1252";
  case CORPUS_ENC_ICONV: return c->store->iconv_name;
  case CORPUS_ENC_RAW: return "raw";
  default: return "utf-8";
  }
}

/* "none", "header", "meta" or "text". */
const char *corpus_date_source_name(int source) {
  switch (source) {
  case CORPUS_DATE_HEADER: return "header";
  case CORPUS_DATE_META: return "meta";
  case CORPUS_DATE_TEXT: return "text";
  default: return "none";
  }
}

/* See corpus.h: the store (shared with subsets) plus c's own index. */
size_t corpus_memory(const corpus *c) {
  const corpus_store *st = c->store;
  size_t m = sizeof *st + st->cap * sizeof *st->docs + st->strings.bytes +
             st->cap_warnings * sizeof *st->warnings + st->warning_bytes;
  if (st->iconv_name) m += strlen(st->iconv_name) + 1;
  return m + sizeof *c + (c->idx ? c->n * sizeof *c->idx : 0);
}

/* ---------------------------------------------------------------------
** Text on demand
*/

/* An error for a file that no longer matches what was loaded. */
static char *changed(const corpus_doc *d, const char *why) {
  return util_errorf("%s: file changed since the corpus was loaded (%s); "
                     "load it again", d->path, why);
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
  size_t start = d->body_off;                   /* the BOM included */
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
  int e = read_file(d->path, &raw, d->size);
  if (e) {
    util_buf_free(&raw);
    *err = e == ENOMEM ? NULL : util_errorf("%s: %s", d->path, strerror(e));
    return 1;
  }
  if (text_decode(c, d, &raw, &base, &off, &len, err) != 0) {
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
  return 0;
}

/* Free the text of t (NULL fields are fine); t is zeroed. */
void corpus_text_release(lector_text *t) {
  if (!t) return;
  free(t->owner_);
  memset(t, 0, sizeof *t);
}
