/*
** lexicon.c -- the lexicon table (open addressing on 32-bit hashes) and
** the readers of VADER and AFINN lexicon files.
*/
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lector/kit.h"
#include "lexicon.h"
#include "sent_config.h"

struct lex_table {
  lex_entry *e;          /* entries, in insertion order */
  size_t n, cap;
  uint64_t *slot;        /* (hash << 32) | (entry index + 1); 0 = empty */
  size_t mask;           /* slot count - 1 (a power of two), 0 if none */
  uint64_t *filter;      /* one bit per FILTER_BIT(hash): set for every key
                            (a Bloom filter with one hash): most words are
                            not in the table, and this 16 KB answers for
                            them without touching the slots */
  uint32_t fmask;        /* filter bits - 1 */
  char *pool;            /* the keys, back to back */
  size_t plen, pcap;
  size_t nvalence;       /* entries with LEX_F_VALENCE */
};

/* ------------------------------------------------------------------------
** The table
*/

uint32_t lex_hash(const char *s, size_t len) {
  uint64_t h = LEX_HASH_SEED(len), x = 0;
  size_t i;
  for (i = 0; i < len; i++) {
    x |= (uint64_t)(unsigned char)s[i] << (8 * (i & 7));
    if ((i & 7) == 7) {
      h = lex_hash_mix(h, x);
      x = 0;
    }
  }
  if (len & 7) h = lex_hash_mix(h, x);
  return lex_hash_fold(h);
}

uint64_t lex_head(const char *s, size_t len) {
  uint64_t x = 0;
  size_t i;
  for (i = 0; i < len && i < 8; i++)
    x |= (uint64_t)(unsigned char)s[i] << (8 * i);
  return x;
}

lex_table *lex_new(char **err) {
  lex_table *t = lk_alloc(sizeof *t);
  if (!t) {
    *err = lk_errorf("out of memory");
    return NULL;
  }
  memset(t, 0, sizeof *t);
  return t;
}

void lex_free(lex_table *t) {
  if (!t) return;
  lk_free(t->e);
  lk_free(t->slot);
  lk_free(t->filter);
  lk_free(t->pool);
  lk_free(t);
}

void lex_view_of(const lex_table *t, lex_view *v) {
  v->e = t->e;
  v->slot = t->slot;
  v->mask = t->mask;
  v->filter = t->filter;
  v->fmask = t->fmask;
  v->pool = t->pool;
}

const lex_entry *lex_get(const lex_table *t, const char *key, size_t len,
                         uint32_t h) {
  lex_view v;
  lex_view_of(t, &v);
  return lex_view_get(&v, key, len, h, lex_head(key, len));
}

/* Put entry index ix (hash h) into a free slot. */
static void slot_put(uint64_t *slot, size_t mask, uint32_t h, size_t ix) {
  size_t i = h & mask;
  while (slot[i]) i = (i + 1) & mask;
  slot[i] = ((uint64_t)h << 32) | (uint64_t)(ix + 1);
}

static void filter_put(lex_table *t, uint32_t h) {
  uint32_t bit = LEX_FILTER_BIT(t, h);
  t->filter[bit >> 6] |= (uint64_t)1 << (bit & 63);
}

/* Keep the load factor under 1/2, and 16 filter bits per key. */
static int rehash(lex_table *t) {
  size_t nslots = t->mask ? (t->mask + 1) * 2 : 64, nbits = nslots * 8, i;
  uint64_t *slot, *filter;
  if (t->mask && t->n + 1 <= (t->mask + 1) / 2) return 1;
  slot = lk_alloc(nslots * sizeof *slot);
  filter = lk_alloc(nbits / 8);
  if (!slot || !filter) {
    lk_free(slot);
    lk_free(filter);
    return 0;
  }
  memset(slot, 0, nslots * sizeof *slot);
  memset(filter, 0, nbits / 8);
  lk_free(t->slot);
  lk_free(t->filter);
  t->slot = slot;
  t->mask = nslots - 1;
  t->filter = filter;
  t->fmask = (uint32_t)(nbits - 1);
  for (i = 0; i < t->n; i++) {
    slot_put(slot, t->mask, t->e[i].hash, i);
    filter_put(t, t->e[i].hash);
  }
  return 1;
}

/* The entry of key, added (flags 0) when absent; NULL on out of memory. */
static lex_entry *upsert(lex_table *t, const char *key, size_t len) {
  uint32_t h = lex_hash(key, len);
  lex_entry *e = (lex_entry *)lex_get(t, key, len, h);
  if (e) return e;
  if (len > UINT32_MAX / 2 || t->plen + len > UINT32_MAX) return NULL;
  if (!rehash(t)) return NULL;
  lex_entry *ne = lk_grow(t->e, &t->cap, t->n + 1, sizeof *t->e);
  if (!ne) return NULL;
  t->e = ne;
  char *np = lk_grow(t->pool, &t->pcap, t->plen + len + 1, 1);
  if (!np) return NULL;
  t->pool = np;
  memcpy(t->pool + t->plen, key, len);
  e = &t->e[t->n];
  e->valence = 0;
  e->head = lex_head(key, len);
  e->key_off = (uint32_t)t->plen;
  e->key_len = (uint32_t)len;
  e->hash = h;
  e->flags = 0;
  t->plen += len;
  slot_put(t->slot, t->mask, h, t->n);
  filter_put(t, h);
  t->n++;
  return e;
}

int lex_set(lex_table *t, const char *key, size_t len, double v, char **err) {
  lex_entry *e = upsert(t, key, len);
  if (!e) {
    *err = lk_errorf("out of memory (lexicon)");
    return LECTOR_ENOMEM;
  }
  if (!(e->flags & LEX_F_VALENCE)) t->nvalence++;
  e->flags |= LEX_F_VALENCE;
  e->valence = v;
  return LECTOR_OK;
}

int lex_unset(lex_table *t, const char *key, size_t len) {
  lex_entry *e = (lex_entry *)lex_get(t, key, len, lex_hash(key, len));
  if (!e || !(e->flags & LEX_F_VALENCE)) return 0;
  e->flags &= ~LEX_F_VALENCE;
  e->valence = 0;
  t->nvalence--;
  return 1;
}

int lex_mark(lex_table *t, const char *key, size_t len, uint32_t flags,
             char **err) {
  lex_entry *e = upsert(t, key, len);
  if (!e) {
    *err = lk_errorf("out of memory (lexicon)");
    return LECTOR_ENOMEM;
  }
  e->flags |= flags & ~LEX_F_VALENCE;
  return LECTOR_OK;
}

size_t lex_count(const lex_table *t) { return t->nvalence; }

/* ------------------------------------------------------------------------
** Reading files
*/

typedef struct reader {
  lex_table *t;
  const char *name;
  int format;
  lex_warn_fn warn;
  void *ud;
  size_t line, good, bad, multi;
} reader;

static int is_blank(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

static void warnf(reader *r, const char *fmt, ...) LECTOR_PRINTF(2, 3);
static void warnf(reader *r, const char *fmt, ...) {
  char msg[512];
  va_list ap;
  if (!r->warn) return;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  r->warn(r->ud, msg);
}

/* A finite number filling s[0..len) (a copy is made: fields are not
** NUL-terminated).  integer: only an optional sign and digits. */
static int parse_number(const char *s, size_t len, int integer, double *out) {
  char buf[64], *end;
  size_t i;
  if (len == 0 || len >= sizeof buf) return 0;
  memcpy(buf, s, len);
  buf[len] = '\0';
  if (integer) {
    for (i = (buf[0] == '-' || buf[0] == '+'); i < len; i++)
      if (buf[i] < '0' || buf[i] > '9') return 0;
    if (len == 1 && (buf[0] == '-' || buf[0] == '+')) return 0;
  }
  errno = 0;
  *out = strtod(buf, &end);
  return end == buf + len && !is_blank(buf[0]);   /* range: read_line */
}

/* Split s[0..len) at tabs into at most max fields; returns the count of
** fields (which may be more than max: the rest are not stored). */
static size_t split_tabs(const char *s, size_t len, const char **f,
                         size_t *flen, size_t max) {
  size_t n = 0, a = 0, i;
  for (i = 0; i <= len; i++) {
    if (i == len || s[i] == '\t') {
      if (n < max) {
        f[n] = s + a;
        flen[n] = i - a;
      }
      n++;
      a = i + 1;
    }
  }
  return n;
}

static int afinn_shape(const char *s, size_t len) {
  const char *f[3];
  size_t fl[3];
  double v;
  return split_tabs(s, len, f, fl, 3) == 2 && parse_number(f[1], fl[1], 1, &v);
}

static void bad_line(reader *r, const char *s, size_t len) {
  r->bad++;
  if (r->bad > SENT_WARN_MAX) return;
  warnf(r, "%s:%zu: malformed line, expected %s: '%.*s'", r->name, r->line,
        r->format == LEX_AFINN ? "word<TAB>integer"
                               : "word<TAB>mean<TAB>sd<TAB>[ratings]",
        (int)(len > 60 ? 60 : len), s);
}

/* Does the line split into f[0..nf) have VADER's shape?  The mean goes
** to *v; sd and ratings, when present, must look like a number and a
** [list]. */
static int vader_shape(const char **f, const size_t *fl, size_t nf,
                       double *v) {
  double sd;
  if (nf < 2 || !parse_number(f[1], fl[1], 0, v)) return 0;
  if (nf >= 3 && !parse_number(f[2], fl[2], 0, &sd)) return 0;
  if (nf >= 4 && (fl[3] < 2 || f[3][0] != '[' || f[3][fl[3] - 1] != ']'))
    return 0;
  return nf <= 4;
}

/* One stripped, non-empty line.  LECTOR_OK; ENOMEM with *err; or ERR
** with *err naming name:LINE when the valence is not finite or out of the
** format's range (a wrong scale is no line to skip quietly). */
static int read_line(reader *r, const char *s, size_t len, char **err) {
  const char *f[4];
  size_t fl[4], nf;
  double v = 0, max;
  int ok;
  if (r->format == LEX_AUTO)
    r->format = afinn_shape(s, len) ? LEX_AFINN : LEX_VADER;
  nf = split_tabs(s, len, f, fl, 4);
  if (r->format == LEX_AFINN)
    ok = nf == 2 && parse_number(f[1], fl[1], 1, &v);
  else
    ok = vader_shape(f, fl, nf, &v);
  if (!ok || fl[0] == 0) {
    bad_line(r, s, len);
    return LECTOR_OK;
  }
  max = r->format == LEX_AFINN ? SENT_AFINN_MAX : SENT_VADER_MAX;
  if (!isfinite(v) || fabs(v) > max) {
    *err = lk_errorf("%s:%zu: the valence of '%.*s' is %.*s, "
                     "outside %g..%g (%s)", r->name, r->line,
                     (int)(fl[0] > 60 ? 60 : fl[0]), f[0],
                     (int)(fl[1] > 40 ? 40 : fl[1]), f[1], -max, max,
                     r->format == LEX_AFINN ? "AFINN" : "VADER");
    return LECTOR_ERR;
  }
  if (r->format == LEX_AFINN && memchr(f[0], ' ', fl[0])) r->multi++;
  r->good++;
  return lex_set(r->t, f[0], fl[0], v, err);
}

int lex_load_buffer(lex_table *t, const char *name, const char *data,
                    size_t len, int format, lex_warn_fn warn, void *ud,
                    size_t *loaded, char **err) {
  reader r = {t, name, format, warn, ud, 0, 0, 0, 0};
  size_t p = 0;
  int rc;
  if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0) p = 3;   /* BOM */
  while (p < len) {
    const char *nl = memchr(data + p, '\n', len - p);
    size_t e = nl ? (size_t)(nl - data) : len, a = p, b = e;
    r.line++;
    p = e + 1;
    while (a < b && (is_blank(data[a]) || data[a] == '\n')) a++;
    while (b > a && is_blank(data[b - 1])) b--;
    if (a == b) continue;
    if ((rc = read_line(&r, data + a, b - a, err)) != LECTOR_OK) return rc;
  }
  if (r.bad > SENT_WARN_MAX)
    warnf(&r, "%s: %zu more malformed lines", name, r.bad - SENT_WARN_MAX);
  if (r.multi)
    warnf(&r, "%s: %zu multi-word entries can never match: words are "
          "matched one at a time", name, r.multi);
  if (r.good == 0 && r.bad > 0) {
    *err = lk_errorf("'%s' is not a lexicon: none of its %zu "
                     "lines is word<TAB>score", name, r.bad);
    return LECTOR_ERR;
  }
  if (r.good == 0) warnf(&r, "%s: no entries", name);
  if (loaded) *loaded += r.good;
  return LECTOR_OK;
}

/* Read the whole file into *out (lk_alloc memory). */
static int slurp(const char *path, char **out, size_t *len, char **err) {
  FILE *f = fopen(path, "rb");
  char *buf = NULL;
  size_t cap = 0, n = 0, got;
  if (!f) goto fail;
  for (;;) {
    char *nb = lk_grow(buf, &cap, n + 65536, 1);
    if (!nb) {
      fclose(f);
      lk_free(buf);
      *err = lk_errorf("out of memory reading '%s'", path);
      return LECTOR_ENOMEM;
    }
    buf = nb;
    got = fread(buf + n, 1, cap - n, f);
    n += got;
    if (got == 0) break;
  }
  if (ferror(f)) {
    int e = errno;
    fclose(f);
    lk_free(buf);
    errno = e;
    goto fail;
  }
  fclose(f);
  *out = buf;
  *len = n;
  return LECTOR_OK;
fail:
  *err = lk_errorf("cannot read lexicon '%s': %s", path, strerror(errno));
  return LECTOR_ERR;
}

int lex_load_file(lex_table *t, const char *path, int format,
                  lex_warn_fn warn, void *ud, size_t *loaded, char **err) {
  char *data;
  size_t len;
  int rc = slurp(path, &data, &len, err);
  if (rc != LECTOR_OK) return rc;
  rc = lex_load_buffer(t, path, data, len, format, warn, ud, loaded, err);
  lk_free(data);
  return rc;
}
