/*
** ng_lua_counts.c -- the count table userdata (lector.ngram.counts):
**   #t, t:total([len]), t:get(gram) / t[gram], t:df(gram), t:top([k [, len]]),
**   t:each([len]) / pairs(t), t:merge(other), t:save(path), t:to_csv(path),
**   t:n(), t:docs(), t:options(), t:memory(), t:on_disk(), t:close(),
**   __tostring, __summary (the REPL), __gc, __close.
** A gram is a string of normalised words joined by single spaces, or an
** array of words.
**
** A table on disk (a count that wrote runs: ng_spill.h) is a saved table
** in the spill folder, read as a stream: #t, total, n, docs, options,
** get/df/t[gram] (a sparse index of every NG_DISK_EVERY-th line, built at
** the first lookup, then one short scan), top (a heap of k rows), each
** and pairs, save (a copy of the file), merge (a streaming merge into a
** new file; an in-memory side is saved first) and the REPL forms need
** memory for what they return only.  to_csv (rows by count) and every
** function of the module that reads c->t (collocations, keyness, ...)
** load the table into memory first (ng_lua_counts_check).
*/
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ng_buf.h"
#include "lector/kit.h"
#include "ng_lua.h"
#include "ng_order.h"
#include "ng_spill.h"

/* Lines between two entries of a table on disk's lookup index. */
#ifndef NG_DISK_EVERY
#define NG_DISK_EVERY 1024
#endif

struct ng_disk {
  int fd;                      /* the saved table, open, its name removed
                                  (nothing is left behind, however the
                                  process ends); -1 when no descriptor
                                  was left (then path is its name, removed
                                  with its folder at close) */
  char *path;                  /* "/proc/self/fd/N": reopens it (lk_alloc) */
  char *parent;                /* the folder the spill folder was in: where
                                  a merge writes (lk_alloc) */
  uint64_t lines;              /* its grams */
  uint64_t runs;               /* runs written to make it */
  /* the lookup index: entry i is line i * NG_DISK_EVERY, at byte off[i],
  ** its escaped gram at grams.p + at[i] (len[i] bytes) */
  size_t nidx;
  uint64_t *off;
  size_t *at, *len;
  ng_buf grams;
  int indexed;
};

static void disk_free_index(ng_disk *d) {
  lk_free(d->off);
  lk_free(d->at);
  lk_free(d->len);
  ng_buf_free(&d->grams);
  d->off = NULL;
  d->at = d->len = NULL;
  d->nidx = 0;
  d->indexed = 0;
}

/* Descriptors held by tables on disk (the Lua thread's), and how many
** they may hold: a quarter of the process's limit, at most 256, so that
** reading a corpus still finds descriptors. */
static int disk_fds;

static int disk_fd_cap(void) {
  struct rlimit r;
  if (getrlimit(RLIMIT_NOFILE, &r) != 0 || r.rlim_cur == RLIM_INFINITY)
    return 256;
  return r.rlim_cur / 4 < 256 ? (int)(r.rlim_cur / 4) : 256;
}

/* Free d and close its file (which has no name left: it goes). */
static void disk_free(ng_disk *d) {
  if (!d) return;
  disk_free_index(d);
  if (d->fd >= 0) {
    close(d->fd);
    disk_fds--;
    lk_free(d->path);
  } else {
    ng_spill_remove(d->path);
  }
  lk_free(d->parent);
  lk_free(d);
}

/* The folder above the folder of path ("." when there is none), lk_alloc;
** NULL on out of memory. */
static char *parent_of(const char *path) {
  const char *a = strrchr(path, '/'), *b = NULL, *p;
  size_t n;
  char *out;
  for (p = path; a && p < a; p++)
    if (*p == '/') b = p;
  n = b ? (size_t)(b - path) : 1;
  if (b == path) n = 1;                        /* "/x/f": "/" */
  if (!(out = lk_alloc(n + 1))) return NULL;
  memcpy(out, b ? path : ".", n);
  out[n] = '\0';
  return out;
}

void ng_lua_counts_disk(lua_State *L, ng_counts *c, char *path,
                        uint64_t lines, uint64_t runs) {
  uint64_t total[NG_MAX_N + 1];
  ng_disk *d;
  int e;
  if (!path) return;
  d = lk_alloc(sizeof *d);
  if (d) {
    memset(d, 0, sizeof *d);
    ng_buf_init(&d->grams);
    d->fd = -1;
    d->parent = parent_of(path);
    d->path = lk_alloc(32);
  }
  if (!d || !d->parent || !d->path) {
    if (d) {                                   /* nothing open or named */
      lk_free(d->path);
      lk_free(d->parent);
      lk_free(d);
    }
    ng_spill_remove(path);
    luaL_error(L, "out of memory");
    return;
  }
  if (disk_fds < disk_fd_cap()) {
    d->fd = open(path, O_RDONLY | O_CLOEXEC);
    e = errno;
  } else {
    e = EMFILE;                                /* enough held already */
  }
  if (d->fd < 0 && (e == EMFILE || e == ENFILE)) {
    lk_free(d->path);                          /* keep the name instead */
    d->path = path;
  } else {
    ng_spill_remove(path);                    /* the name and the folder */
    if (d->fd < 0) {
      lk_free(d->path);
      lk_free(d->parent);
      lk_free(d);
      luaL_error(L, "ngram: reopening a count table on disk: %s",
                 strerror(e));
      return;
    }
    snprintf(d->path, 32, "/proc/self/fd/%d", d->fd);
    disk_fds++;
  }
  d->lines = lines;
  d->runs = runs;
  memcpy(total, c->t.total, sizeof total);
  ng_table_free(&c->t);                 /* keeps nothing but the totals */
  memcpy(c->t.total, total, sizeof total);
  c->disk = d;
  c->version++;
}

/* Load the table on disk of c into memory, and remove the file. */
static void disk_load(lua_State *L, ng_counts *c, const char *fname) {
  ng_table t;
  ng_meta m;
  char *err = NULL;
  if (ng_format_load(c->disk->path, &t, &m, &err) != 0) {
    lua_pushfstring(L, "%s: loading the count table from disk: %s", fname,
                    err);
    lk_free(err);
    lua_error(L);
  }
  ng_table_free(&c->t);
  ng_meta_free(&c->m);
  c->t = t;
  c->m = m;
  disk_free(c->disk);
  c->disk = NULL;
  c->version++;
}

/* ------------------------------------------------------------------------
** Access
*/

ng_counts *ng_lua_counts_test(lua_State *L, int idx) {
  return luaL_testudata(L, idx, NG_COUNTS_MT);
}

/* The open count table at idx, in memory or on disk.  [-0, +0, v] */
static ng_counts *counts_any(lua_State *L, int idx, const char *fname) {
  ng_counts *c = luaL_testudata(L, idx, NG_COUNTS_MT);
  if (!c)
    luaL_error(L, "%s: argument %d must be an ngram count table (got %s)",
               fname, idx, luaL_typename(L, idx));
  if (c->closed) luaL_error(L, "%s: the count table is closed", fname);
  return c;
}

ng_counts *ng_lua_counts_check(lua_State *L, int idx, const char *fname) {
  ng_counts *c = counts_any(L, idx, fname);
  if (c->disk) disk_load(L, c, fname);
  return c;
}

ng_counts *ng_lua_counts_new(lua_State *L) {
  ng_counts *c = lua_newuserdatauv(L, sizeof *c, 0);
  memset(c, 0, sizeof *c);
  c->t.width = 1;
  c->t.stride = 3;
  luaL_setmetatable(L, NG_COUNTS_MT);
  return c;
}

void ng_push_gram(lua_State *L, const uint32_t *key, int width) {
  luaL_Buffer b;
  int j;
  luaL_buffinit(L, &b);
  for (j = 0; j < width && key[j]; j++) {
    size_t len = 0;
    const char *w = lk_host->vocab_string(key[j], &len);
    if (j) luaL_addchar(&b, ' ');
    if (w) luaL_addlstring(&b, w, len);
  }
  luaL_pushresult(&b);
}

/* The key of the gram at idx (a string or an array of words) into key
** (c's width).  0 when the gram cannot be in c (unknown word, too long,
** empty).  [-0, +0, v] */
static int gram_key(lua_State *L, int idx, const ng_counts *c,
                    uint32_t *key) {
  int w = c->t.width;
  if (lua_type(L, idx) == LUA_TSTRING) {
    size_t n;
    const char *s = lua_tolstring(L, idx, &n);
    return ng_gram_parse(s, n, key, w, lk_host->vocab_lookup) > 0;
  }
  if (lua_type(L, idx) == LUA_TTABLE) {
    lua_Integer i, n = (lua_Integer)lua_rawlen(L, idx);
    memset(key, 0, (size_t)w * sizeof *key);
    if (n < 1 || n > w) return 0;
    for (i = 1; i <= n; i++) {
      size_t len;
      const char *s;
      lua_rawgeti(L, idx, i);
      s = lua_tolstring(L, -1, &len);
      key[i - 1] = s ? lk_host->vocab_lookup(s, len) : 0;
      lua_pop(L, 1);
      if (!key[i - 1]) return 0;
    }
    return 1;
  }
  return luaL_error(L, "ngram: a gram must be a string or an array of "
                    "words (got %s)", luaL_typename(L, idx));
}

/* The slot of the gram at idx in c, or NULL.  [-0, +0, v] */
static const uint32_t *find_gram(lua_State *L, int idx, const ng_counts *c) {
  uint32_t key[NG_MAX_N];
  if (!gram_key(L, idx, c, key)) return NULL;
  return ng_table_find(&c->t, key);
}

/* An optional gram length argument at idx: 0 for all.  [-0, +0, v] */
static int opt_len(lua_State *L, int idx) {
  lua_Integer n = luaL_optinteger(L, idx, 0);
  luaL_argcheck(L, n >= 0 && n <= NG_MAX_N, idx, "gram length out of range");
  return (int)n;
}

/* ------------------------------------------------------------------------
** Tables on disk: streams
*/

static void release_stream(void *p) { ng_stream_close(p); }

/* Open c's file as a stream owned by the guard g.  [-0, +0, v] */
static ng_stream *disk_open(lua_State *L, lk_guard *g, const ng_counts *c,
                            const char *fname) {
  ng_stream *st;
  char *err = NULL;
  if (ng_stream_open(&st, c->disk->path, &err) != 0) lk_raise(L, fname, err);
  return lk_guard_add(L, g, release_stream, st);
}

/* The next row of st: 1, or 0 at the end; raises on an error.
** [-0, +0, v] */
static int disk_next(lua_State *L, ng_stream *st, ng_stream_row *row,
                     const char *fname) {
  char *err = NULL;
  int rc = ng_stream_next(st, row, &err);
  if (rc < 0) lk_raise(L, fname, err);
  return rc;
}

/* Push the plain gram of the escaped g[0..n).  [-0, +1, v] */
static void push_escaped(lua_State *L, const char *g, size_t n,
                         ng_buf *b) {
  if (ng_unescape_gram(g, n, b) != 0)
    luaL_error(L, "ngram: out of memory");
  lua_pushlstring(L, b->p ? b->p : "", b->n);
}

/* The escaped form of the gram at idx (a string of words joined by single
** spaces, or an array of words) into b: 1, or 0 when no table of width w
** can hold it (empty, an empty word, too many words).  [-0, +0, v] */
static int disk_target(lua_State *L, int idx, int w, ng_buf *b) {
  b->n = 0;
  ng_buf_add(b, "", 0);
  if (lua_type(L, idx) == LUA_TSTRING) {
    size_t n, i = 0;
    const char *s = lua_tolstring(L, idx, &n);
    int k = 0;
    while (i <= n) {
      const char *sp = memchr(s + i, ' ', n - i);
      size_t e = sp ? (size_t)(sp - s) : n;
      if (e == i || ++k > w) return 0;
      if (i) ng_buf_addc(b, ' ');
      ng_escape_word(s + i, e - i, b);
      if (!sp) break;
      i = e + 1;
    }
  } else if (lua_type(L, idx) == LUA_TTABLE) {
    lua_Integer i, n = (lua_Integer)lua_rawlen(L, idx);
    if (n < 1 || n > w) return 0;
    for (i = 1; i <= n; i++) {
      size_t len;
      const char *s;
      lua_rawgeti(L, idx, i);
      s = lua_tolstring(L, -1, &len);
      if (!s || len == 0) {
        lua_pop(L, 1);
        return 0;
      }
      if (i > 1) ng_buf_addc(b, ' ');
      ng_escape_word(s, len, b);
      lua_pop(L, 1);
    }
  } else {
    return luaL_error(L, "ngram: a gram must be a string or an array of "
                      "words (got %s)", luaL_typename(L, idx));
  }
  if (b->oom) luaL_error(L, "ngram: out of memory");
  return 1;
}

static int bytes_cmp(const char *a, size_t an, const char *b, size_t bn) {
  int c = memcmp(a, b, an < bn ? an : bn);
  if (c) return c;
  return an < bn ? -1 : an > bn;
}

/* Build c's lookup index (one pass over the file).  [-0, +0, v] */
static void disk_index(lua_State *L, ng_counts *c, const char *fname) {
  ng_disk *d = c->disk;
  size_t n = (size_t)(d->lines / NG_DISK_EVERY) + 1, cap = n;
  lk_guard *g = lk_guard_new(L);
  ng_stream *st = disk_open(L, g, c, fname);
  ng_stream_row row;
  uint64_t line = 0, at = ng_stream_tell(st);
  disk_free_index(d);
  d->off = lk_alloc(cap * sizeof *d->off);
  d->at = lk_alloc(cap * sizeof *d->at);
  d->len = lk_alloc(cap * sizeof *d->len);
  if (!d->off || !d->at || !d->len) {
    disk_free_index(d);
    luaL_error(L, "%s: out of memory", fname);
  }
  while (disk_next(L, st, &row, fname)) {
    if (line % NG_DISK_EVERY == 0 && d->nidx < cap) {
      d->off[d->nidx] = at;
      d->at[d->nidx] = d->grams.n;
      d->len[d->nidx++] = row.len;
      ng_buf_add(&d->grams, row.gram, row.len);
      if (d->grams.oom) {
        disk_free_index(d);
        luaL_error(L, "%s: out of memory", fname);
      }
    }
    line++;
    at = ng_stream_tell(st);
  }
  d->indexed = 1;
  lua_closeslot(L, -1);
  lua_pop(L, 1);
}

/* Look the gram at idx up in c on disk: 1 with *count / *df, or 0.
** [-0, +0, v] */
static int disk_find(lua_State *L, ng_counts *c, int idx, const char *fname,
                     uint64_t *count, uint64_t *df) {
  ng_disk *d = c->disk;
  size_t lo = 0, hi, k;
  lk_guard *g;
  ng_stream *st;
  ng_stream_row row;
  ng_buf *want;
  char *err = NULL;
  int found = 0;
  idx = lua_absindex(L, idx);
  if (lua_type(L, idx) != LUA_TSTRING && lua_type(L, idx) != LUA_TTABLE)
    return luaL_error(L, "ngram: a gram must be a string or an array of "
                      "words (got %s)", luaL_typename(L, idx));
  if (!d->indexed) disk_index(L, c, fname);
  if (d->nidx == 0) return 0;
  g = lk_guard_new(L);
  want = lk_guard_alloc(L, g, sizeof *want);
  ng_buf_init(want);
  if (!disk_target(L, idx, c->m.nmax, want)) {
    ng_buf_free(want);
    lua_closeslot(L, -1);
    lua_pop(L, 1);
    return 0;
  }
  /* the last entry <= want */
  hi = d->nidx;
  while (hi - lo > 1) {
    size_t mid = lo + (hi - lo) / 2;
    if (bytes_cmp(d->grams.p + d->at[mid], d->len[mid], want->p,
                  want->n) <= 0)
      lo = mid;
    else
      hi = mid;
  }
  st = disk_open(L, g, c, fname);
  if (ng_stream_seek(st, d->off[lo], &err) != 0) {
    ng_buf_free(want);
    lk_raise(L, fname, err);
  }
  for (k = 0; k < NG_DISK_EVERY && disk_next(L, st, &row, fname); k++) {
    int cmp = bytes_cmp(row.gram, row.len, want->p, want->n);
    if (cmp < 0) continue;
    if (cmp == 0) {
      *count = row.count;
      *df = row.df;
      found = 1;
    }
    break;
  }
  ng_buf_free(want);
  lua_closeslot(L, -1);
  lua_pop(L, 1);
  return found;
}

/* A row kept by top on disk. */
typedef struct top_row {
  uint64_t count, df, line;
  char *gram;                  /* escaped, lk_alloc */
  size_t len;
} top_row;

typedef struct top_heap {
  top_row *r;
  size_t n;
} top_heap;

static void release_top(void *p) {
  top_heap *h = p;
  size_t i;
  for (i = 0; i < h->n; i++) lk_free(h->r[i].gram);
  lk_free(h->r);
  lk_free(h);
}

/* Does row a come before row b (higher count, then file order)? */
static int top_before(const top_row *a, const top_row *b) {
  return a->count > b->count || (a->count == b->count && a->line < b->line);
}

/* The min-heap of the k best: the worst on top. */
static void top_down(top_heap *h, size_t i) {
  for (;;) {
    size_t l = 2 * i + 1, m = i;
    top_row t;
    if (l < h->n && top_before(&h->r[m], &h->r[l])) m = l;
    if (l + 1 < h->n && top_before(&h->r[m], &h->r[l + 1])) m = l + 1;
    if (m == i) return;
    t = h->r[i];
    h->r[i] = h->r[m];
    h->r[m] = t;
    i = m;
  }
}

static void top_up(top_heap *h, size_t i) {
  while (i > 0) {
    size_t p = (i - 1) / 2;
    top_row t;
    if (!top_before(&h->r[p], &h->r[i])) return;
    t = h->r[i];
    h->r[i] = h->r[p];
    h->r[p] = t;
    i = p;
  }
}

static int top_qcmp(const void *a, const void *b) {
  return top_before(a, b) ? -1 : top_before(b, a) ? 1 : 0;
}

/* t:top(k, len) of c on disk: one pass, a heap of k rows.  [-0, +1, v] */
static int disk_top(lua_State *L, ng_counts *c, size_t k, int len) {
  lk_guard *g = lk_guard_new(L);
  ng_stream *st = disk_open(L, g, c, "top");
  top_heap *h = lk_guard_alloc(L, g, sizeof *h);
  ng_stream_row row;
  ng_buf *b;
  uint64_t line = 0;
  size_t cap = k < c->disk->lines ? k : (size_t)c->disk->lines, i;
  memset(h, 0, sizeof *h);
  lk_guard_forget(g, h);                /* rows and all, from now on */
  lk_guard_add(L, g, release_top, h);
  h->r = lk_alloc((cap ? cap : 1) * sizeof *h->r);
  if (!h->r) luaL_error(L, "top: out of memory");
  while (disk_next(L, st, &row, "top")) {
    top_row x;
    line++;
    if (k == 0 || (len && row.words != len)) continue;
    x.count = row.count;
    x.df = row.df;
    x.line = line;
    if (h->n == cap && !top_before(&x, &h->r[0])) continue;
    if (!(x.gram = lk_alloc(row.len ? row.len : 1)))
      luaL_error(L, "top: out of memory");
    memcpy(x.gram, row.gram, row.len);
    x.len = row.len;
    if (h->n < cap) {
      h->r[h->n++] = x;
      top_up(h, h->n - 1);
    } else {
      lk_free(h->r[0].gram);
      h->r[0] = x;
      top_down(h, 0);
    }
  }
  qsort(h->r, h->n, sizeof *h->r, top_qcmp);
  b = lk_guard_alloc(L, g, sizeof *b);
  ng_buf_init(b);
  lua_createtable(L, h->n < 1000000 ? (int)h->n : 0, 0);
  for (i = 0; i < h->n; i++) {
    lua_createtable(L, 0, 3);
    push_escaped(L, h->r[i].gram, h->r[i].len, b);
    lua_setfield(L, -2, "gram");
    lua_pushinteger(L, (lua_Integer)h->r[i].count);
    lua_setfield(L, -2, "count");
    lua_pushinteger(L, (lua_Integer)h->r[i].df);
    lua_setfield(L, -2, "df");
    lua_rawseti(L, -2, (lua_Integer)i + 1);
  }
  ng_buf_free(b);
  lua_closeslot(L, -2);                                /* the guard */
  lua_remove(L, -2);
  return 1;
}

/* Copy c's file to path through the output helper.  [-0, +0, v] */
static void disk_save(lua_State *L, ng_counts *c, const char *path) {
  const char *in[1];
  lk_guard *g = lk_guard_new(L);
  lector_output *o;
  char *err = NULL, *blk;
  FILE *f;
  int fd;
  struct stat sb;
  in[0] = c->disk->path;
  o = lk_host->output_open(path, in, 1, &err);
  if (!o) lk_raise(L, "save", err);
  lk_guard_add(L, g, lk__abort_output, o);
  f = lk_host->output_file(o);
  blk = lk_guard_alloc(L, g, NG_READ_BLOCK);
  fd = open(c->disk->path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0 || fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
    if (fd >= 0) close(fd);
    luaL_error(L, "save: %s: %s", c->disk->path, strerror(errno));
  }
  for (;;) {
    ssize_t got;
    if (lk_host->interrupted()) {
      close(fd);
      luaL_error(L, "save: interrupted");
    }
    do got = read(fd, blk, NG_READ_BLOCK);
    while (got < 0 && errno == EINTR);
    if (got < 0) {
      int e = errno;
      close(fd);
      luaL_error(L, "save: %s: %s", c->disk->path, strerror(e));
    }
    if (got == 0) break;
    fwrite(blk, 1, (size_t)got, f);
  }
  close(fd);
  lk_guard_forget(g, o);
  if (lk_host->output_commit(o, &err) != 0) lk_raise(L, "save", err);
  lua_closeslot(L, -1);
  lua_pop(L, 1);
}

/* ------------------------------------------------------------------------
** Queries
*/

/* #t -> distinct grams.  [-0, +1, v] */
static int c_len(lua_State *L) {
  ng_counts *c = counts_any(L, 1, "ngram");
  lua_pushinteger(L, (lua_Integer)(c->disk ? c->disk->lines : c->t.used));
  return 1;
}

/* t:total([len]) -> occurrences counted (of grams of length len).
** [-0, +1, v] */
static int c_total(lua_State *L) {
  ng_counts *c = counts_any(L, 1, "total");
  int len = opt_len(L, 2);
  lua_pushinteger(L, (lua_Integer)(len ? c->t.total[len]
                                       : ng_table_total(&c->t)));
  return 1;
}

/* t:get(gram) -> count, df (0, 0 when absent).  [-0, +2, v] */
static int c_get(lua_State *L) {
  ng_counts *c = counts_any(L, 1, "get");
  const uint32_t *s;
  if (c->disk) {
    uint64_t count = 0, df = 0;
    disk_find(L, c, 2, "get", &count, &df);
    lua_pushinteger(L, (lua_Integer)count);
    lua_pushinteger(L, (lua_Integer)df);
    return 2;
  }
  s = find_gram(L, 2, c);
  lua_pushinteger(L, s ? (lua_Integer)ng_table_count(&c->t, s) : 0);
  lua_pushinteger(L, s ? (lua_Integer)s[NG_DF(&c->t)] : 0);
  return 2;
}

/* t:df(gram) -> documents the gram occurs in.  [-0, +1, v] */
static int c_df(lua_State *L) {
  ng_counts *c = counts_any(L, 1, "df");
  const uint32_t *s;
  if (c->disk) {
    uint64_t count = 0, df = 0;
    disk_find(L, c, 2, "df", &count, &df);
    lua_pushinteger(L, (lua_Integer)df);
    return 1;
  }
  s = find_gram(L, 2, c);
  lua_pushinteger(L, s ? (lua_Integer)s[NG_DF(&c->t)] : 0);
  return 1;
}

/* Push {gram =, count =, df =} for slot s.  [-0, +1, m] */
static void push_row(lua_State *L, const ng_counts *c, const uint32_t *s) {
  lua_createtable(L, 0, 3);
  ng_push_gram(L, s, c->t.width);
  lua_setfield(L, -2, "gram");
  lua_pushinteger(L, (lua_Integer)ng_table_count(&c->t, s));
  lua_setfield(L, -2, "count");
  lua_pushinteger(L, (lua_Integer)s[NG_DF(&c->t)]);
  lua_setfield(L, -2, "df");
}

/* t:top([k [, len]]) -> { {gram =, count =, df =}, ... }, the k (10) most
** frequent grams (of length len), ties in gram order.  [-0, +1, v] */
static int c_top(lua_State *L) {
  ng_counts *c = counts_any(L, 1, "top");
  lua_Integer k = luaL_optinteger(L, 2, 10);
  int len = opt_len(L, 3);
  ng_guard *g;
  uint32_t *idx;
  size_t n, i;
  luaL_argcheck(L, k >= 0, 2, "k must be >= 0");
  if (c->disk) return disk_top(L, c, (size_t)k, len);
  g = ng_guard_new(L);
  if (ng_order_top(&c->t, (size_t)k, len, &idx, &n) != 0)
    return luaL_error(L, "top: %s", lk_host->interrupted() ? "interrupted"
                                                           : "out of memory");
  g->mem[0] = idx;
  lua_createtable(L, n < 1000000 ? (int)n : 0, 0);
  for (i = 0; i < n; i++) {
    if (i % NG_POLL_EVERY == 0 && lk_host->interrupted())
      return luaL_error(L, "top: interrupted");
    push_row(L, c, c->t.slots + (size_t)idx[i] * c->t.stride);
    lua_rawseti(L, -2, (lua_Integer)i + 1);
  }
  return 1;
}

/* ------------------------------------------------------------------------
** Iteration: an index of slots in file order, kept in a userdata
*/

typedef struct iter {
  uint32_t *idx;
  size_t n, pos;
  unsigned version;
  ng_stream *st;               /* a table on disk: its file, read on */
  int len;                     /* on disk: the gram length wanted (0: any) */
  ng_buf b;
} iter;

/* __gc of an iterator's index.  [-0, +0, -] */
static int iter_gc(lua_State *L) {
  iter *it = luaL_checkudata(L, 1, NG_ITER_MT);
  lk_free(it->idx);
  it->idx = NULL;
  ng_stream_close(it->st);
  it->st = NULL;
  ng_buf_free(&it->b);
  return 0;
}

/* The iterator over a table on disk: the next line.  [-0, +3, v] */
static int iter_disk(lua_State *L, iter *it) {
  ng_stream_row row;
  char *err = NULL;
  int rc;
  while (it->st && (rc = ng_stream_next(it->st, &row, &err)) != 0) {
    if (rc < 0) {
      ng_stream_close(it->st);
      it->st = NULL;
      return lk_raise(L, "each", err);
    }
    if (it->len && row.words != it->len) continue;
    push_escaped(L, row.gram, row.len, &it->b);
    lua_pushinteger(L, (lua_Integer)row.count);
    lua_pushinteger(L, (lua_Integer)row.df);
    return 3;
  }
  ng_stream_close(it->st);              /* the end: let the file go */
  it->st = NULL;
  return 0;
}

/* The iterator: gram, count, df.  [-0, +3, v] */
static int iter_step(lua_State *L) {
  ng_counts *c = counts_any(L, lua_upvalueindex(1), "each");
  iter *it = lua_touserdata(L, lua_upvalueindex(2));
  const uint32_t *s;
  if (it->version != c->version)
    return luaL_error(L, "each: the count table changed during iteration");
  if (c->disk) return iter_disk(L, it);
  if (it->pos >= it->n) return 0;
  s = c->t.slots + (size_t)it->idx[it->pos++] * c->t.stride;
  ng_push_gram(L, s, c->t.width);
  lua_pushinteger(L, (lua_Integer)ng_table_count(&c->t, s));
  lua_pushinteger(L, (lua_Integer)s[NG_DF(&c->t)]);
  return 3;
}

/* t:each([len]) -> iterator of gram, count, df in gram order (byte order,
** as saved).  [-0, +1, v] */
static int c_each(lua_State *L) {
  ng_counts *c = counts_any(L, 1, "each");
  int len = lua_type(L, 2) == LUA_TNUMBER ? opt_len(L, 2) : 0;
  iter *it;
  lua_settop(L, 1);
  it = lua_newuserdatauv(L, sizeof *it, 0);
  memset(it, 0, sizeof *it);
  ng_buf_init(&it->b);
  luaL_setmetatable(L, NG_ITER_MT);
  if (c->disk) {
    char *err = NULL;
    if (ng_stream_open(&it->st, c->disk->path, &err) != 0)
      return lk_raise(L, "each", err);
    it->len = len;
  } else if (ng_order_sorted(&c->t, len, &it->idx, &it->n) != 0)
    return luaL_error(L, "each: %s", lk_host->interrupted()
                                         ? "interrupted" : "out of memory");
  it->version = c->version;
  lua_pushcclosure(L, iter_step, 2);
  return 1;
}

/* pairs(t) -> the each() iterator.  [-0, +3, v] */
static int c_pairs(lua_State *L) {
  lua_settop(L, 1);
  c_each(L);
  lua_pushnil(L);
  lua_pushnil(L);
  return 3;
}

/* ------------------------------------------------------------------------
** Changes and files
*/

static void meta_n(const ng_meta *m, char *buf, size_t size) {
  if (m->nmin == m->nmax) snprintf(buf, size, "n=%d", m->nmin);
  else snprintf(buf, size, "n=%d..%d", m->nmin, m->nmax);
}

static void release_file(void *p) {
  unlink(p);
  lk_free(p);
}

static void release_dir(void *p) {
  rmdir(p);
  lk_free(p);
}

/* A new folder "lector-ngram-XXXXXX" in parent, removed (once empty)
** when g closes.  [-0, +0, v] */
static char *merge_dir(lua_State *L, lk_guard *g, const char *parent) {
  size_t n = strlen(parent) + 24;
  char *p = lk_alloc(n);
  if (!p) {
    luaL_error(L, "merge: out of memory");
    return NULL;
  }
  snprintf(p, n, "%s/lector-ngram-XXXXXX", parent);
  lk_guard_add(L, g, release_dir, p);
  if (!mkdtemp(p))
    luaL_error(L, "merge: cannot make a temporary folder in '%s': %s",
               parent, strerror(errno));
  return p;
}

/* A new file name in folder dir, removed when g closes.  [-0, +0, v] */
static char *path_in(lua_State *L, lk_guard *g, const char *dir, int k) {
  size_t n = strlen(dir) + 16;
  char *p = lk_alloc(n);
  if (!p) {
    luaL_error(L, "merge: out of memory");
    return NULL;
  }
  snprintf(p, n, "%s/t%d.tsv", dir, k);
  return lk_guard_add(L, g, release_file, p);
}

/* t:merge(other) where either is on disk: a streaming merge of the two
** files (a side in memory saved beside first) into a new file, which t
** then is.  [-0, +0, v] */
static void disk_merge(lua_State *L, ng_counts *c, ng_counts *o) {
  const char *parent = c->disk ? c->disk->parent : o->disk->parent;
  lk_guard *g = lk_guard_new(L);
  const char *dir = merge_dir(L, g, parent);
  ng_counts *side[2];
  const char *in[2];
  ng_merge_opts mo;
  uint64_t lines = 0;
  char *out, *err = NULL;
  int i, k;
  side[0] = c;
  side[1] = o;
  for (i = 0; i < 2; i++) {
    if (side[i]->disk) {
      in[i] = side[i]->disk->path;
      continue;
    }
    in[i] = path_in(L, g, dir, i);
    if (ng_format_save(in[i], &side[i]->t, &side[i]->m, &err) != 0)
      lk_raise(L, "merge", err);
  }
  out = path_in(L, g, dir, 2);
  memset(&mo, 0, sizeof mo);
  mo.lines = &lines;
  if (ng_format_merge_x(out, in, 2, &mo, &err) != 0) {
    if (strstr(err, "overflow")) {
      lua_pushfstring(L, "merge: %s; the table is unchanged", err);
      lk_free(err);
      lua_error(L);
    }
    lk_raise(L, "merge", err);
  }
  lk_guard_forget(g, out);
  c->version++;
  for (k = 1; k <= NG_MAX_N; k++) c->t.total[k] += o->t.total[k];
  c->m.docs += o->m.docs;
  if (o->m.min_count > c->m.min_count) c->m.min_count = o->m.min_count;
  {
    uint64_t runs = (c->disk ? c->disk->runs : 0) + (o->disk ? o->disk->runs
                                                             : 0);
    disk_free(c->disk);
    c->disk = NULL;
    ng_lua_counts_disk(L, c, out, lines, runs);
  }
  lua_closeslot(L, -1);
  lua_pop(L, 1);
}

/* t:merge(other) -> t, with other's counts added.  [-0, +1, v] */
static int c_merge(lua_State *L) {
  ng_counts *c = counts_any(L, 1, "merge");
  ng_counts *o = counts_any(L, 2, "merge");
  if (!ng_meta_compatible(&c->m, &o->m)) {
    char a[32], b[32];
    meta_n(&c->m, a, sizeof a);
    meta_n(&o->m, b, sizeof b);
    return luaL_error(L, "merge: the tables were counted differently "
                      "(%s skip=%d options '%s' vs %s skip=%d options '%s')",
                      a, c->m.skip, c->m.options ? c->m.options : "", b,
                      o->m.skip, o->m.options ? o->m.options : "");
  }
  if (c->disk || o->disk) {
    disk_merge(L, c, o);
    lua_settop(L, 1);
    return 1;
  }
  if (!ng_table_merge_fits(&c->t, &o->t, NG_COUNT_MAX) ||
      o->m.docs > NG_COUNT_MAX - c->m.docs)
    return luaL_error(L, "merge: count overflow (a count, total or df "
                      "would pass what a table holds: 2^63-1, df 2^32-1); "
                      "the table is unchanged");
  c->version++;
  if (ng_table_merge(&c->t, &o->t) != 0 || ng_table_compact(&c->t, 1) != 0)
    return luaL_error(L, "merge: out of memory (the table holds part of "
                      "the other)");
  c->m.docs += o->m.docs;
  if (o->m.min_count > c->m.min_count) c->m.min_count = o->m.min_count;
  lua_settop(L, 1);
  return 1;
}

/* t:save(path): the saved line format (ngram.load reads it).
** [-0, +0, v] */
static int c_save(lua_State *L) {
  ng_counts *c = counts_any(L, 1, "save");
  const char *path = luaL_checkstring(L, 2);
  char *err = NULL;
  if (c->disk) {
    disk_save(L, c, path);
    return 0;
  }
  if (ng_format_save(path, &c->t, &c->m, &err) != 0)
    return lk_raise(L, "save", err);
  return 0;
}

/* t:to_csv(path): gram,n,count,df rows by count.  [-0, +0, v] */
static int c_to_csv(lua_State *L) {
  ng_counts *c = ng_lua_counts_check(L, 1, "to_csv");
  const char *path = luaL_checkstring(L, 2);
  char *err = NULL;
  if (ng_format_csv(path, &c->t, &err) != 0)
    return lk_raise(L, "to_csv", err);
  return 0;
}

/* t:n() -> smallest and largest gram length.  [-0, +2, v] */
static int c_n(lua_State *L) {
  ng_counts *c = counts_any(L, 1, "n");
  lua_pushinteger(L, c->m.nmin);
  lua_pushinteger(L, c->m.nmax);
  return 2;
}

/* t:docs() -> documents counted.  [-0, +1, v] */
static int c_docs(lua_State *L) {
  ng_counts *c = counts_any(L, 1, "docs");
  lua_pushinteger(L, (lua_Integer)c->m.docs);
  return 1;
}

/* t:options() -> the canonical options string, and skip.  [-0, +2, v] */
static int c_options(lua_State *L) {
  ng_counts *c = counts_any(L, 1, "options");
  lua_pushstring(L, c->m.options ? c->m.options : "");
  lua_pushinteger(L, c->m.skip);
  return 2;
}

/* t:memory() -> bytes held by the table (not the vocabulary).
** [-0, +1, v] */
static int c_memory(lua_State *L) {
  ng_counts *c = counts_any(L, 1, "memory");
  size_t m = ng_table_memory(&c->t);
  if (c->disk)                          /* the lookup index */
    m += c->disk->grams.cap + c->disk->nidx * 3 * sizeof(uint64_t);
  lua_pushinteger(L, (lua_Integer)m);
  return 1;
}

/* t:on_disk() -> false, or true and the runs written to count it: the
** table is read from a file in the spill folder.  [-0, +1..2, v] */
static int c_on_disk(lua_State *L) {
  ng_counts *c = counts_any(L, 1, "on_disk");
  lua_pushboolean(L, c->disk != NULL);
  if (!c->disk) return 1;
  lua_pushinteger(L, (lua_Integer)c->disk->runs);
  return 2;
}

/* t:close(), __gc, __close: free the table (idempotent).  [-0, +0, -] */
static int c_close(lua_State *L) {
  ng_counts *c = luaL_checkudata(L, 1, NG_COUNTS_MT);
  ng_table_free(&c->t);
  ng_meta_free(&c->m);
  disk_free(c->disk);
  c->disk = NULL;
  c->closed = 1;
  c->version++;
  return 0;
}

/* ------------------------------------------------------------------------
** Display
*/

/* t[key]: a method, else the count of the gram key.  [-0, +1, v] */
static int c_index(lua_State *L) {
  ng_counts *c;
  const uint32_t *s;
  if (lua_type(L, 2) == LUA_TSTRING) {
    lua_pushvalue(L, 2);
    if (lua_rawget(L, lua_upvalueindex(1)) != LUA_TNIL) return 1;
    lua_pop(L, 1);
  }
  c = counts_any(L, 1, "ngram");
  if (lua_type(L, 2) != LUA_TSTRING && lua_type(L, 2) != LUA_TTABLE) {
    lua_pushnil(L);
    return 1;
  }
  if (c->disk) {
    uint64_t count = 0, df = 0;
    disk_find(L, c, 2, "ngram", &count, &df);
    lua_pushinteger(L, (lua_Integer)count);
    return 1;
  }
  s = find_gram(L, 2, c);
  lua_pushinteger(L, s ? (lua_Integer)ng_table_count(&c->t, s) : 0);
  return 1;
}

/* tostring(t): one line.  [-0, +1, m] */
static int c_tostring(lua_State *L) {
  ng_counts *c = luaL_checkudata(L, 1, NG_COUNTS_MT);
  char n[32];
  if (c->closed) {
    lua_pushliteral(L, "ngram counts (closed)");
    return 1;
  }
  meta_n(&c->m, n, sizeof n);
  lua_pushfstring(L, "ngram counts (%s, %I distinct, %I total)", n,
                  (LUAI_UACINT)(c->disk ? c->disk->lines : c->t.used),
                  (LUAI_UACINT)ng_table_total(&c->t));
  return 1;
}

/* The REPL's long form: sizes, options, the top grams.  [-0, +1, v] */
static int c_summary(lua_State *L) {
  ng_counts *c = luaL_checkudata(L, 1, NG_COUNTS_MT);
  char n[32];
  luaL_Buffer b;
  int i, rows;
  if (c->closed) return c_tostring(L);
  meta_n(&c->m, n, sizeof n);
  lua_settop(L, 1);
  lua_pushcfunction(L, c_top);
  lua_pushvalue(L, 1);
  lua_pushinteger(L, NG_SUMMARY_TOP);
  lua_call(L, 2, 1);                                        /* 2: rows */
  rows = (int)lua_rawlen(L, 2);
  luaL_buffinit(L, &b);
  lua_pushfstring(L, "ngram counts: %s%s, %I distinct, %I total, %I "
                  "document%s\n  options: %s", n, c->m.skip ? " (skip)" : "",
                  (LUAI_UACINT)(c->disk ? c->disk->lines : c->t.used),
                  (LUAI_UACINT)ng_table_total(&c->t),
                  (LUAI_UACINT)c->m.docs, c->m.docs == 1 ? "" : "s",
                  c->m.options && *c->m.options ? c->m.options : "(defaults)");
  luaL_addvalue(&b);
  if (rows > 0) luaL_addstring(&b, "\n  top:   count      df  gram");
  for (i = 1; i <= rows; i++) {
    char line[64];
    lua_rawgeti(L, 2, i);
    lua_getfield(L, -1, "count");
    lua_getfield(L, -2, "df");
    snprintf(line, sizeof line, "\n  %12" PRId64 " %7" PRId64 "  ",
             (int64_t)lua_tointeger(L, -2), (int64_t)lua_tointeger(L, -1));
    lua_pop(L, 2);
    lua_getfield(L, -1, "gram");
    lua_remove(L, -2);
    lua_pushstring(L, line);
    lua_insert(L, -2);
    lua_concat(L, 2);
    luaL_addvalue(&b);
  }
  luaL_pushresult(&b);
  return 1;
}

void ng_lua_counts_open(lua_State *L) {
  static const luaL_Reg methods[] = {
    {"total", c_total}, {"get", c_get}, {"df", c_df}, {"top", c_top},
    {"each", c_each}, {"merge", c_merge}, {"save", c_save},
    {"to_csv", c_to_csv}, {"n", c_n}, {"docs", c_docs},
    {"options", c_options}, {"memory", c_memory}, {"close", c_close},
    {"on_disk", c_on_disk},
    {NULL, NULL}
  };
  static const luaL_Reg meta[] = {
    {"__len", c_len}, {"__tostring", c_tostring}, {"__summary", c_summary},
    {"__gc", c_close}, {"__close", c_close}, {"__pairs", c_pairs},
    {NULL, NULL}
  };
  if (luaL_newmetatable(L, NG_ITER_MT)) {
    lua_pushcfunction(L, iter_gc);
    lua_setfield(L, -2, "__gc");
  }
  lua_pop(L, 1);
  lk_newclass(L, NG_COUNTS_MT, meta, methods, NULL, c_index);
}
