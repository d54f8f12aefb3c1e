/*
** ng_format.c -- the saved format, CSV and the streaming merge (see
** ng_format.h).
*/
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lector/kit.h"
#include "ng_escape.h"
#include "ng_format.h"
#include "ng_order.h"

/* ------------------------------------------------------------------------
** Metadata
*/

void ng_meta_free(ng_meta *m) {
  lk_free(m->options);
  m->options = NULL;
}

static const char *opts_of(const ng_meta *m) {
  return m->options ? m->options : "";
}

int ng_meta_compatible(const ng_meta *a, const ng_meta *b) {
  return a->nmin == b->nmin && a->nmax == b->nmax && a->skip == b->skip &&
         strcmp(opts_of(a), opts_of(b)) == 0;
}

/* ------------------------------------------------------------------------
** Escaping
*/

void ng_escape_word(const char *s, size_t n, ng_buf *b) {
  size_t i, start = 0;
  for (i = 0; i < n; i++) {
    char e[4];
    int k;
    unsigned char c = (unsigned char)s[i];
    if (c > 0x20 && c != '\\') continue;
    ng_buf_add(b, s + start, i - start);
    k = ng_esc(c, e);
    ng_buf_add(b, e, (size_t)k);
    start = i + 1;
  }
  ng_buf_add(b, s + start, n - start);
}

void ng_escape_gram(const uint32_t *key, int width, ng_buf *b) {
  int j;
  for (j = 0; j < width && key[j]; j++) {
    size_t len = 0;
    const char *w = lk_env_cur.vocab_string(key[j], &len);
    if (j) ng_buf_addc(b, ' ');
    ng_escape_word(w ? w : "", w ? len : 0, b);
  }
}

/* A lower-case hex digit's value, or -1 (upper case is not canonical). */
static int hexval(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

int ng_unescape_word(const char *s, size_t n, ng_buf *b) {
  size_t i;
  b->n = 0;
  ng_buf_add(b, "", 0);
  for (i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c <= 0x20) return -1;             /* must have been escaped */
    if (c != '\\') { ng_buf_addc(b, (char)c); continue; }
    if (++i >= n) return -1;
    switch (s[i]) {
      case '\\': ng_buf_addc(b, '\\'); break;
      case 't': ng_buf_addc(b, '\t'); break;
      case 'n': ng_buf_addc(b, '\n'); break;
      case 'r': ng_buf_addc(b, '\r'); break;
      case 's': ng_buf_addc(b, ' '); break;
      case 'x': {
        int hi, lo;
        if (i + 2 >= n) return -1;
        hi = hexval(s[i + 1]);
        lo = hexval(s[i + 2]);
        if (hi < 0 || lo < 0) return -1;
        c = (unsigned char)(hi * 16 + lo);
        /* only the bytes ng_esc writes as \xHH: one spelling per word */
        if (c >= 0x20 || c == '\t' || c == '\n' || c == '\r') return -1;
        ng_buf_addc(b, (char)c);
        i += 2;
        break;
      }
      default: return -1;
    }
  }
  return b->oom ? -1 : 0;
}

/* ------------------------------------------------------------------------
** Numbers
*/

#define NG_STR_(x) #x
#define NG_STR(x) NG_STR_(x)

/* Parse s[0..n) as a canonical decimal (digits, no leading zero) of at
** most NG_COUNT_MAX.  0 or -1. */
static int parse_u64(const char *s, size_t n, uint64_t *out) {
  uint64_t v = 0;
  size_t i;
  if (n == 0 || n > 19 || (n > 1 && s[0] == '0')) return -1;
  for (i = 0; i < n; i++) {
    unsigned d;
    if (s[i] < '0' || s[i] > '9') return -1;
    d = (unsigned)(s[i] - '0');
    if (v > (NG_COUNT_MAX - d) / 10) return -1;
    v = v * 10 + d;
  }
  *out = v;
  return 0;
}

/* *acc += x, or -1 when the sum passes NG_COUNT_MAX (*acc unchanged). */
static int add_count(uint64_t *acc, uint64_t x) {
  if (x > NG_COUNT_MAX || *acc > NG_COUNT_MAX - x) return -1;
  *acc += x;
  return 0;
}

/* ------------------------------------------------------------------------
** The header
*/

static void write_header(FILE *f, const ng_meta *m, const uint64_t *total) {
  int k, first = 1;
  fprintf(f, "%s %d\tn=", NG_FORMAT_MAGIC, NG_FORMAT_VERSION);
  if (m->nmin == m->nmax) fprintf(f, "%d", m->nmin);
  else fprintf(f, "%d..%d", m->nmin, m->nmax);
  fprintf(f, "\tskip=%d\tdocs=%" PRIu64 "\tmin_count=%" PRIu64 "\ttotal=",
          m->skip, m->docs, m->min_count);
  for (k = m->nmin; k <= m->nmax; k++) {
    fprintf(f, "%s%d:%" PRIu64, first ? "" : ",", k, total[k]);
    first = 0;
  }
  fprintf(f, "\toptions=%s\n", opts_of(m));
}

/* The header's fields, in the order version 2 requires. */
enum { F_N, F_SKIP, F_DOCS, F_MIN, F_TOTAL, F_OPTIONS, NFIELDS };
static const char *const field_name[NFIELDS] = {
  "n", "skip", "docs", "min_count", "total", "options"
};

/* What a header said beyond ng_meta. */
typedef struct header {
  uint64_t version;
  unsigned seen;               /* bit per field */
  unsigned lens;               /* bit per gram length listed in total */
  const char *tf;              /* the total field, for messages */
  size_t tfl;
  uint64_t total[NG_MAX_N + 1];
} header;

/* Parse "n=" values: "K" or "A..B" with A < B.  0 or -1. */
static int parse_n(const char *v, size_t n, ng_meta *m) {
  const char *dots = NULL;
  uint64_t a, b;
  size_t i;
  for (i = 0; i + 1 < n; i++)
    if (v[i] == '.' && v[i + 1] == '.') { dots = v + i; break; }
  if (dots) {
    if (parse_u64(v, (size_t)(dots - v), &a) != 0 ||
        parse_u64(dots + 2, n - (size_t)(dots - v) - 2, &b) != 0 || a == b)
      return -1;
  } else {
    if (parse_u64(v, n, &a) != 0) return -1;
    b = a;
  }
  if (a < 1 || a > b || b > NG_MAX_N) return -1;
  m->nmin = (int)a;
  m->nmax = (int)b;
  return 0;
}

/* Parse "total=" values "len:count,..." (lengths ascending, each once)
** into h.  0 or -1. */
static int parse_total(const char *v, size_t n, header *h) {
  size_t i = 0;
  uint64_t last = 0;
  if (n == 0) return -1;
  while (i <= n) {
    const char *comma = memchr(v + i, ',', n - i);
    size_t e = comma ? (size_t)(comma - v) : n;
    const char *colon = memchr(v + i, ':', e - i);
    uint64_t len, c;
    if (!colon || parse_u64(v + i, (size_t)(colon - v) - i, &len) != 0 ||
        len < 1 || len > NG_MAX_N || len <= last ||
        parse_u64(colon + 1, e - (size_t)(colon - v) - 1, &c) != 0)
      return -1;
    h->total[len] = c;
    h->lens |= 1u << len;
    last = len;
    if (!comma) break;
    i = e + 1;
  }
  return 0;
}

/* The value of field k, v[0..n), into m / h.  NULL, or what is wrong. */
static const char *field_value(int k, const char *v, size_t n, ng_meta *m,
                               header *h) {
  uint64_t x;
  switch (k) {
    case F_N:
      return parse_n(v, n, m) ? "not a length 1.." NG_STR(NG_MAX_N)
                                " or a range A..B within it" : NULL;
    case F_SKIP:
      if (parse_u64(v, n, &x) != 0 || x > NG_MAX_SKIP)
        return "not a number 0.." NG_STR(NG_MAX_SKIP);
      m->skip = (int)x;
      return NULL;
    case F_DOCS:
      return parse_u64(v, n, &m->docs) ? "not a number 0..2^63-1" : NULL;
    case F_MIN:
      if (parse_u64(v, n, &m->min_count) != 0 || m->min_count < 1)
        return "not a number 1..2^63-1";
      return NULL;
    case F_TOTAL:
      return parse_total(v, n, h) ? "not len:count pairs, lengths ascending"
                                  : NULL;
    default:
      for (x = 0; x < n; x++)                /* kept as a C string */
        if ((unsigned char)v[x] < 0x20) return "holds a control byte";
      lk_free(m->options);
      m->options = lk_alloc(n + 1);
      if (!m->options) return "out of memory";
      memcpy(m->options, v, n);
      m->options[n] = '\0';
      return NULL;
  }
}

/* One "key=value" header field f[0..n), the pos-th, into m / h.  NULL, or
** what is wrong (*bad: the field is to be quoted). */
static const char *header_field(const char *f, size_t n, int pos, ng_meta *m,
                                header *h) {
  const char *eq = memchr(f, '=', n);
  int k;
  if (!eq) return "no '='";
  for (k = 0; k < NFIELDS; k++)
    if ((size_t)(eq - f) == strlen(field_name[k]) &&
        memcmp(f, field_name[k], (size_t)(eq - f)) == 0)
      break;
  if (k == NFIELDS) {
    if (h->version == 1) return NULL;   /* version 1 ignored them */
    return "unknown field";
  }
  if (h->seen & (1u << k)) return "given twice";
  if (h->version >= 2 && k != pos)
    return "out of place (the fields are n, skip, docs, min_count, total, "
           "options)";
  h->seen |= 1u << k;
  if (k == F_TOTAL) {
    h->tf = f;
    h->tfl = n;
  }
  return field_value(k, eq + 1, n - (size_t)(eq - f) - 1, m, h);
}

/* The lengths total must list: those of m. */
static unsigned lens_of(const ng_meta *m) {
  unsigned want = 0;
  int k;
  for (k = m->nmin; k <= m->nmax; k++) want |= 1u << k;
  return want;
}

/* Parse the header line s[0..n).  NULL, or what is wrong (in why, a
** buffer of wn bytes). */
static const char *parse_header(const char *s, size_t n, ng_meta *m,
                                header *h, char *why, size_t wn) {
  size_t ml = sizeof NG_FORMAT_MAGIC - 1, i;
  const char *tab;
  int pos = 0;
  memset(m, 0, sizeof *m);
  memset(h, 0, sizeof *h);
  m->min_count = 1;
  if (n < ml + 2 || memcmp(s, NG_FORMAT_MAGIC, ml) != 0 || s[ml] != ' ')
    return "not a saved ngram table (no '" NG_FORMAT_MAGIC "' header)";
  tab = memchr(s, '\t', n);
  i = tab ? (size_t)(tab - s) : n;
  if (parse_u64(s + ml + 1, i - ml - 1, &h->version) != 0)
    return "bad version in the header";
  if (h->version < 1 || h->version > NG_FORMAT_VERSION)
    return "unsupported format version (this Lector reads 1 and 2)";
  while (i < n) {
    const char *f = s + i + 1, *e = memchr(f, '\t', n - i - 1);
    size_t fl = e ? (size_t)(e - f) : n - i - 1;
    const char *what = header_field(f, fl, pos++, m, h);
    if (what) {
      snprintf(why, wn, "bad header field '%.*s': %s",
               (int)(fl > 60 ? 60 : fl), f, what);
      return why;
    }
    i += fl + 1;
  }
  if (!(h->seen & (1u << F_N))) return "the header has no n";
  if (h->version >= 2)
    for (pos = 0; pos < NFIELDS; pos++)
      if (!(h->seen & (1u << pos))) {
        snprintf(why, wn, "the header has no %s", field_name[pos]);
        return why;
      }
  if ((h->seen & (1u << F_TOTAL)) && h->lens != lens_of(m)) {
    snprintf(why, wn, "bad header field '%.*s': its lengths are not those "
             "of n", (int)(h->tfl > 60 ? 60 : h->tfl), h->tf);
    return why;
  }
  return NULL;
}

/* ------------------------------------------------------------------------
** Reading lines: read(2) in blocks of env memory (lector/kit.h), no line limit
*/

typedef struct reader {
  int fd;
  const char *path;
  uint64_t line;               /* number of the current line */
  char *blk;                   /* NG_READ_BLOCK bytes */
  size_t pos, end;
  ng_buf big;                  /* a line that spans blocks */
  const char *s;               /* the current line, without its LF */
  size_t n;
  header h;
  ng_buf prev;                 /* the previous gram field */
  ng_buf word;                 /* scratch */
  /* the current gram line */
  const char *gram;
  size_t gram_len;
  uint64_t count, df;
  int words;
  /* what the trailer checks */
  uint64_t nlines, sum;        /* gram lines, their counts (mod 2^64) */
  uint64_t lensum[NG_MAX_N + 1];
  uint64_t maxdf;              /* the largest df read */
  int ended;                   /* the trailer was read */
  int partial;                 /* read from a seek: no sum or order checks
                                  across the seek, "#end" just ends */
} reader;

static int reader_open(reader *r, const char *path, char **err) {
  struct stat st;
  memset(r, 0, sizeof *r);
  r->fd = -1;
  ng_buf_init(&r->prev);
  ng_buf_init(&r->word);
  ng_buf_init(&r->big);
  r->path = path;
  r->fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (r->fd < 0) {
    *err = lk_errorf("%s: %s", path, strerror(errno));
    return -1;
  }
  if (fstat(r->fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    *err = lk_errorf("%s: not a regular file", path);
    return -1;
  }
  r->blk = lk_alloc(NG_READ_BLOCK);
  if (!r->blk) {
    *err = lk_errorf("%s: out of memory", path);
    return -1;
  }
  return 0;
}

static void reader_close(reader *r) {
  if (r->fd >= 0) close(r->fd);
  lk_free(r->blk);
  ng_buf_free(&r->big);
  ng_buf_free(&r->prev);
  ng_buf_free(&r->word);
  r->fd = -1;
  r->blk = NULL;
}

static int line_error(reader *r, const char *what, char **err) {
  *err = lk_errorf("%s:%" PRIu64 ": %s", r->path, r->line, what);
  return -1;
}

/* Refill r's block.  1, 0 at the end of the file, -1 on an error. */
static int refill(reader *r, char **err) {
  ssize_t got;
  if (lk_interrupted()) {
    *err = lk_errorf("interrupted");
    return -1;
  }
  do got = read(r->fd, r->blk, NG_READ_BLOCK);
  while (got < 0 && errno == EINTR);
  if (got < 0) {
    *err = lk_errorf("%s: %s", r->path, strerror(errno));
    return -1;
  }
  r->pos = 0;
  r->end = (size_t)got;
  return got > 0;
}

/* The next line into r->s / r->n (without its LF).  1, 0 at the end of
** the file, -1 on an error (a last line without its LF is one: the file
** was cut). */
static int read_line(reader *r, char **err) {
  int spans = 0, rc;
  for (;;) {
    const char *nl;
    size_t k;
    if (r->pos == r->end && (rc = refill(r, err)) <= 0) {
      if (rc < 0) return -1;
      if (!spans) return 0;
      r->line++;
      return line_error(r, "the last line has no end (the file is cut "
                        "short)", err);
    }
    nl = memchr(r->blk + r->pos, '\n', r->end - r->pos);
    k = nl ? (size_t)(nl - (r->blk + r->pos)) : r->end - r->pos;
    if (!nl || spans) {
      if (!spans) r->big.n = 0;
      ng_buf_add(&r->big, r->blk + r->pos, k);
      spans = 1;
      if (r->big.oom) {
        r->line++;
        return line_error(r, "out of memory (a very long line)", err);
      }
    }
    r->pos += k + (nl != NULL);
    if (!nl) continue;
    r->line++;
    r->s = spans ? r->big.p : nl - k;
    r->n = spans ? r->big.n : k;
    return 1;
  }
}

/* Read and parse the header of r into m. */
static int read_header(reader *r, ng_meta *m, char **err) {
  char why[160];
  const char *what;
  int rc = read_line(r, err);
  if (rc < 0) return -1;
  if (rc == 0) {
    r->line = 1;
    return line_error(r, "empty file (no '" NG_FORMAT_MAGIC "' header)",
                      err);
  }
  what = parse_header(r->s, r->n, m, &r->h, why, sizeof why);
  if (what) {
    ng_meta_free(m);
    return line_error(r, what, err);
  }
  return 0;
}

/* Check the gram field g[0..n): words, escapes, each word (unescaped)
** interned into key when key is not NULL.  Returns the number of words
** or -1 with *what. */
static int check_gram(reader *r, const char *g, size_t n, int nmax,
                      uint32_t *key, const char **what) {
  size_t i = 0;
  int k = 0;
  while (i <= n) {
    const char *sp = memchr(g + i, ' ', n - i);
    size_t e = sp ? (size_t)(sp - g) : n;
    if (e == i) { *what = "empty word in the gram"; return -1; }
    if (k == nmax) { *what = "gram longer than n"; return -1; }
    if (ng_unescape_word(g + i, e - i, &r->word) != 0) {
      *what = r->word.oom ? "out of memory"
                          : "bad escape in the gram (not as Lector writes it)";
      return -1;
    }
    if (key) {
      key[k] = lk_env_cur.vocab_intern(r->word.p, r->word.n);
      if (!key[k]) { *what = "out of memory"; return -1; }
    }
    k++;
    if (!sp) break;
    i = e + 1;
  }
  return k;
}

/* The trailer "#end LINES SUM" in r->s: check it against what was read. */
static int check_trailer(reader *r, char **err) {
  const char *s = r->s + 5, *sp = memchr(s, ' ', r->n - 5);
  uint64_t lines, sum;
  const char *tail;
  int rc;
  if (!sp || parse_u64(s, (size_t)(sp - s), &lines) != 0)
    return line_error(r, "bad end line (want '#end LINES SUM')", err);
  /* the sum is modulo 2^64: any 64-bit decimal */
  if (sp + 1 >= r->s + r->n || sp[1] < '0' || sp[1] > '9' ||
      (sp[1] == '0' && sp + 2 < r->s + r->n))
    return line_error(r, "bad end line (want '#end LINES SUM')", err);
  sum = 0;
  for (tail = sp + 1; tail < r->s + r->n; tail++) {
    unsigned d = (unsigned)(*tail - '0');
    if (*tail < '0' || *tail > '9' || sum > (UINT64_MAX - d) / 10)
      return line_error(r, "bad end line (want '#end LINES SUM')", err);
    sum = sum * 10 + d;
  }
  if (lines != r->nlines || sum != r->sum) {
    *err = lk_errorf("%s:%" PRIu64 ": the end line says %" PRIu64 " grams "
                     "(count sum %" PRIu64 "), the file has %" PRIu64
                     " (%" PRIu64 "): the file is damaged", r->path, r->line,
                     lines, sum, r->nlines, r->sum);
    return -1;
  }
  r->ended = 1;
  rc = read_line(r, err);
  if (rc > 0) return line_error(r, "text after the end line", err);
  return rc;
}

/* Parse count and df of the gram line s[0..n) with tabs t1, t2. */
static int line_numbers(reader *r, const ng_meta *m, const char *t1,
                        const char *t2, char **err) {
  const char *s = r->s;
  size_t n = r->n;
  if (parse_u64(t1 + 1, (size_t)(t2 - t1 - 1), &r->count) != 0 ||
      r->count == 0)
    return line_error(r, "bad count (want a number 1..2^63-1)", err);
  if (parse_u64(t2 + 1, (size_t)(n - (size_t)(t2 + 1 - s)), &r->df) != 0 ||
      r->df > r->count || r->df > UINT32_MAX)
    return line_error(r, "bad df (want a number 0..count)", err);
  if ((r->h.seen & (1u << F_DOCS)) && r->df > m->docs)
    return line_error(r, "df greater than the header's docs", err);
  return 0;
}

/* Read the next gram line of r (of a table of meta m): r->gram, count,
** df, words; key (m->nmax ids) interned when key is not NULL.  1 for a
** line, 0 at the end, -1 on an error. */
static int next_gram(reader *r, const ng_meta *m, uint32_t *key,
                     char **err) {
  int rc = read_line(r, err);
  const char *s, *t1, *t2, *what = NULL;
  uint64_t limit;
  size_t n, gl, pl;
  int c;
  if (rc < 0) return -1;
  if (rc == 0) {
    if (r->h.version < 2) return 0;
    *err = lk_errorf("%s: the file is cut short (no '#end' line after %"
                     PRIu64 " lines)", r->path, r->line);
    return -1;
  }
  s = r->s;
  n = r->n;
  if (r->h.version >= 2 && n >= 5 && memcmp(s, "#end ", 5) == 0 &&
      !memchr(s, '\t', n))
    return r->partial ? 0 : check_trailer(r, err);
  t1 = memchr(s, '\t', n);
  t2 = t1 ? memchr(t1 + 1, '\t', n - (size_t)(t1 + 1 - s)) : NULL;
  if (!t1 || !t2 || memchr(t2 + 1, '\t', n - (size_t)(t2 + 1 - s)))
    return line_error(r, "expected gram<TAB>count<TAB>df", err);
  gl = (size_t)(t1 - s);
  if (line_numbers(r, m, t1, t2, err) != 0) return -1;
  if (key) memset(key, 0, (size_t)m->nmax * sizeof *key);
  r->words = check_gram(r, s, gl, m->nmax, key, &what);
  if (r->words < 0) return line_error(r, what, err);
  if (r->words < m->nmin) return line_error(r, "gram shorter than n", err);
  limit = (r->h.seen & (1u << F_TOTAL)) ? r->h.total[r->words]
                                        : NG_COUNT_MAX;
  if (!r->partial && (add_count(&r->lensum[r->words], r->count) != 0 ||
                      r->lensum[r->words] > limit))
    return line_error(r, "the counts add up to more than the header's "
                      "total", err);
  pl = r->prev.n;
  c = memcmp(r->prev.p ? r->prev.p : "", s, pl < gl ? pl : gl);
  if (r->nlines > 0 && (c > 0 || (c == 0 && pl >= gl)))
    return line_error(r, c == 0 && pl == gl ? "duplicate gram"
                                            : "grams out of order", err);
  r->prev.n = 0;
  ng_buf_add(&r->prev, s, gl);
  if (r->prev.oom) return line_error(r, "out of memory", err);
  r->gram = r->prev.p;
  r->gram_len = gl;
  r->nlines++;
  r->sum += r->count;
  if (r->df > r->maxdf) r->maxdf = r->df;
  return 1;
}

/* ------------------------------------------------------------------------
** Writing: through the host's output helper
*/

/* Start writing path (inputs: the files the job reads).  NULL with *err. */
static lector_output *out_open(const char *path, const char *const *in,
                               size_t nin, FILE **f, char **err) {
  lector_output *o;
  if (!lk_host || !LECTOR_HOST_HAS(lk_host, output_abort)) {
    *err = lk_errorf("%s: cannot write files here (no output helper)", path);
    return NULL;
  }
  o = lk_host->output_open(path, in, nin, err);
  if (o) *f = lk_host->output_file(o);
  return o;
}

/* Commit o, or abort it when failed (*err already set).  0 or -1. */
static int out_close(lector_output *o, int failed, char **err) {
  if (failed) {
    lk_host->output_abort(o);
    return -1;
  }
  return lk_host->output_commit(o, err) == 0 ? 0 : -1;
}

/* Every NG_POLL_EVERY steps: should a writing loop stop?  Sets *err. */
static int stop_now(size_t i, char **err) {
  if (i % NG_POLL_EVERY != 0 || !lk_interrupted()) return 0;
  *err = lk_errorf("interrupted");
  return 1;
}

/* "\tCOUNT\tDF\n" in decimal to f (fprintf is a tenth of a merge). */
static void write_numbers(FILE *f, uint64_t count, uint64_t df) {
  char b[48], *e = b + sizeof b, *p = e;
  *--p = '\n';
  do *--p = (char)('0' + df % 10); while ((df /= 10) > 0);
  *--p = '\t';
  do *--p = (char)('0' + count % 10); while ((count /= 10) > 0);
  *--p = '\t';
  fwrite(p, 1, (size_t)(e - p), f);
}

static void write_trailer(FILE *f, uint64_t lines, uint64_t sum) {
  fprintf(f, "#end %" PRIu64 " %" PRIu64 "\n", lines, sum);
}

/* ------------------------------------------------------------------------
** Save and load
*/

int ng_format_save(const char *path, const ng_table *t, const ng_meta *m,
                   char **err) {
  uint32_t *idx;
  uint64_t sum = 0;
  size_t n, i;
  lector_output *o;
  FILE *f = NULL;
  ng_buf b;
  int failed = 0;
  if (ng_order_sorted(t, 0, &idx, &n) != 0) {
    *err = lk_interrupted() ? lk_errorf("interrupted")
                            : lk_errorf("%s: out of memory", path);
    return -1;
  }
  if (!(o = out_open(path, NULL, 0, &f, err))) {
    lk_free(idx);
    return -1;
  }
  write_header(f, m, t->total);
  ng_buf_init(&b);
  for (i = 0; i < n && !failed; i++) {
    const uint32_t *s = t->slots + (size_t)idx[i] * t->stride;
    uint64_t c = ng_table_count(t, s);
    if ((failed = stop_now(i, err))) break;
    b.n = 0;
    ng_escape_gram(s, t->width, &b);
    if (b.oom) {
      *err = lk_errorf("%s: out of memory", path);
      failed = 1;
      break;
    }
    fwrite(b.p, 1, b.n, f);
    fprintf(f, "\t%" PRIu64 "\t%" PRIu32 "\n", c, s[NG_DF(t)]);
    sum += c;
  }
  if (!failed) write_trailer(f, n, sum);
  lk_free(idx);
  ng_buf_free(&b);
  return out_close(o, failed, err);
}

/* Keep the header totals (the lines were checked against them). */
static void settle_totals(const reader *r, ng_table *t) {
  int k;
  if (!(r->h.seen & (1u << F_TOTAL))) return;
  for (k = 1; k <= NG_MAX_N; k++) t->total[k] = r->h.total[k];
}

int ng_format_load(const char *path, ng_table *t, ng_meta *m, char **err) {
  reader r;
  uint32_t key[NG_MAX_N];
  int rc;
  memset(m, 0, sizeof *m);
  memset(t, 0, sizeof *t);
  if (reader_open(&r, path, err) != 0) goto fail;
  if (read_header(&r, m, err) != 0) goto fail;
  if (ng_table_init(t, m->nmax, 0, 0) != 0) goto oom;
  while ((rc = next_gram(&r, m, key, err)) == 1)
    if (ng_table_add(t, key, r.count, (uint32_t)r.df) != 0) goto oom;
  if (rc < 0) goto fail;
  settle_totals(&r, t);
  if (!(r.h.seen & (1u << F_DOCS)))     /* version 1 without docs: at least */
    m->docs = r.maxdf;
  if (ng_table_compact(t, 1) != 0) goto oom;
  reader_close(&r);
  return 0;
oom:
  *err = lk_errorf("%s: out of memory", path);
fail:
  reader_close(&r);
  ng_table_free(t);
  ng_meta_free(m);
  return -1;
}

/* ------------------------------------------------------------------------
** CSV
*/

/* See ng_format.h. */
void ng_csv_field(FILE *f, const char *s, size_t n) {
  size_t i;
  if (!memchr(s, ',', n) && !memchr(s, '"', n) && !memchr(s, '\n', n) &&
      !memchr(s, '\r', n)) {
    fwrite(s, 1, n, f);
    return;
  }
  fputc('"', f);
  for (i = 0; i < n; i++) {
    if (s[i] == '"') fputc('"', f);
    fputc(s[i], f);
  }
  fputc('"', f);
}

int ng_format_csv(const char *path, const ng_table *t, char **err) {
  uint32_t *idx;
  size_t n, i;
  lector_output *o;
  FILE *f = NULL;
  ng_buf b;
  int failed = 0;
  if (ng_order_top(t, t->used, 0, &idx, &n) != 0) {
    *err = lk_interrupted() ? lk_errorf("interrupted")
                            : lk_errorf("%s: out of memory", path);
    return -1;
  }
  if (!(o = out_open(path, NULL, 0, &f, err))) {
    lk_free(idx);
    return -1;
  }
  fputs("gram,n,count,df\n", f);
  ng_buf_init(&b);
  for (i = 0; i < n; i++) {
    const uint32_t *s = t->slots + (size_t)idx[i] * t->stride;
    if ((failed = stop_now(i, err))) break;
    b.n = 0;
    ng_gram_string(s, t->width, &b);
    if (b.oom) {
      *err = lk_errorf("%s: out of memory", path);
      failed = 1;
      break;
    }
    ng_csv_field(f, b.p ? b.p : "", b.n);
    fprintf(f, ",%d,%" PRIu64 ",%" PRIu32 "\n", ng_key_len(s, t->width),
            ng_table_count(t, s), s[NG_DF(t)]);
  }
  lk_free(idx);
  ng_buf_free(&b);
  return out_close(o, failed, err);
}

/* ------------------------------------------------------------------------
** Streaming merge: a k-way merge with a binary heap of the inputs
*/

typedef struct merge_in {
  reader r;
  ng_meta m;
  int live;                    /* holds a gram line */
} merge_in;

static void merge_close(merge_in *in, size_t n) {
  size_t i;
  for (i = 0; i < n; i++) {
    reader_close(&in[i].r);
    ng_meta_free(&in[i].m);
  }
  lk_free(in);
}

/* What differs between metas a (of path pa) and b (of pb), into why. */
static void meta_diff(const ng_meta *a, const char *pa, const ng_meta *b,
                      const char *pb, char *why, size_t wn) {
  if (a->nmin != b->nmin || a->nmax != b->nmax)
    snprintf(why, wn, "n=%d..%d here, n=%d..%d in %s", b->nmin, b->nmax,
             a->nmin, a->nmax, pa);
  else if (a->skip != b->skip)
    snprintf(why, wn, "skip=%d here, skip=%d in %s", b->skip, a->skip, pa);
  else
    snprintf(why, wn, "options '%.200s' here, '%.200s' in %s", opts_of(b),
             opts_of(a), pa);
  (void)pb;
}

/* Open and read the headers of every input; the merged meta into m and
** totals into total. */
static int merge_open(merge_in *in, const char *const *path, size_t n,
                      ng_meta *m, uint64_t *total, char **err) {
  size_t i;
  int k;
  for (i = 0; i < n; i++) {
    if (reader_open(&in[i].r, path[i], err) != 0 ||
        read_header(&in[i].r, &in[i].m, err) != 0)
      return -1;
    for (k = 0; k < 2; k++) {              /* version 1 may lack them */
      int f = k ? F_TOTAL : F_DOCS;
      if (!(in[i].r.h.seen & (1u << f))) {
        *err = lk_errorf("%s: the header has no %s", path[i], field_name[f]);
        return -1;
      }
    }
    if (i > 0 && !ng_meta_compatible(&in[0].m, &in[i].m)) {
      char why[600];
      meta_diff(&in[0].m, path[0], &in[i].m, path[i], why, sizeof why);
      *err = lk_errorf("%s: counted with other options than %s (%s)",
                       path[i], path[0], why);
      return -1;
    }
    if (add_count(&m->docs, in[i].m.docs) != 0) {
      *err = lk_errorf("%s: count overflow (the documents add up to more "
                       "than 2^63-1)", path[i]);
      return -1;
    }
    if (in[i].m.min_count > m->min_count) m->min_count = in[i].m.min_count;
    for (k = 1; k <= NG_MAX_N; k++)
      if (add_count(&total[k], in[i].r.h.total[k]) != 0) {
        *err = lk_errorf("%s: count overflow (the totals of length %d add "
                         "up to more than 2^63-1)", path[i], k);
        return -1;
      }
  }
  if (n > 0) {
    m->nmin = in[0].m.nmin;
    m->nmax = in[0].m.nmax;
    m->skip = in[0].m.skip;
    m->options = in[0].m.options;      /* borrowed */
  }
  return 0;
}

/* Advance input x to its next gram line. */
static int merge_advance(merge_in *x, char **err) {
  int rc = next_gram(&x->r, &x->m, NULL, err);
  if (rc < 0) return -1;
  x->live = rc;
  return 0;
}

static int gram_cmp(const merge_in *a, const merge_in *b) {
  size_t n = a->r.gram_len < b->r.gram_len ? a->r.gram_len : b->r.gram_len;
  int c = memcmp(a->r.gram, b->r.gram, n);
  if (c) return c;
  return a->r.gram_len < b->r.gram_len ? -1 : a->r.gram_len > b->r.gram_len;
}

/* The sum of x's count and df into *count / *df; -1 with *err when it
** does not fit. */
static int merge_add(const merge_in *x, uint64_t *count, uint64_t *df,
                     char **err) {
  if (add_count(count, x->r.count) == 0 && (*df += x->r.df) <= UINT32_MAX)
    return 0;
  *err = lk_errorf("%s:%" PRIu64 ": count overflow: the gram '%.*s' adds "
                   "up to more than %s", x->r.path, x->r.line,
                   (int)(x->r.gram_len > 80 ? 80 : x->r.gram_len), x->r.gram,
                   *df > UINT32_MAX ? "2^32-1 documents" : "2^63-1");
  return -1;
}

/* The heap of live inputs (indices into in), smallest gram on top; equal
** grams by input order. */
typedef struct mheap {
  merge_in *in;
  size_t *h, n;
} mheap;

static int heap_less(const mheap *q, size_t a, size_t b) {
  int c = gram_cmp(&q->in[a], &q->in[b]);
  return c < 0 || (c == 0 && a < b);
}

static void heap_down(mheap *q, size_t i) {
  for (;;) {
    size_t l = 2 * i + 1, m = i, t;
    if (l < q->n && heap_less(q, q->h[l], q->h[m])) m = l;
    if (l + 1 < q->n && heap_less(q, q->h[l + 1], q->h[m])) m = l + 1;
    if (m == i) return;
    t = q->h[i];
    q->h[i] = q->h[m];
    q->h[m] = t;
    i = m;
  }
}

/* Advance the top input; drop it from the heap at its end. */
static int heap_next(mheap *q, char **err) {
  merge_in *x = &q->in[q->h[0]];
  if (merge_advance(x, err) != 0) return -1;
  if (!x->live) q->h[0] = q->h[--q->n];
  heap_down(q, 0);
  return 0;
}

/* Write every gram, adding up equal ones, leaving out those counted
** fewer than min_count times; the trailer at the end.  *lines: gram
** lines written. */
static int merge_lines(merge_in *in, size_t n, uint64_t min_count, FILE *f,
                       uint64_t *lines, char **err) {
  uint64_t sum = 0, steps = 0;
  mheap q;
  ng_buf g;
  size_t i;
  int rc = -1;
  *lines = 0;
  q.in = in;
  q.n = 0;
  q.h = lk_alloc((n ? n : 1) * sizeof *q.h);
  ng_buf_init(&g);
  if (!q.h) {
    *err = lk_errorf("out of memory");
    return -1;
  }
  for (i = 0; i < n; i++) {
    if (merge_advance(&in[i], err) != 0) goto done;
    if (in[i].live) q.h[q.n++] = i;
  }
  for (i = q.n / 2; i-- > 0;) heap_down(&q, i);
  while (q.n > 0) {
    merge_in *lo = &in[q.h[0]];
    uint64_t count = 0, df = 0;
    if (stop_now((size_t)steps++, err)) goto done;
    g.n = 0;                           /* the gram outlives its reader */
    ng_buf_add(&g, lo->r.gram, lo->r.gram_len);
    if (g.oom) {
      *err = lk_errorf("out of memory");
      goto done;
    }
    do {
      if (merge_add(&in[q.h[0]], &count, &df, err) != 0 ||
          heap_next(&q, err) != 0)
        goto done;
    } while (q.n > 0 && in[q.h[0]].r.gram_len == g.n &&
             memcmp(in[q.h[0]].r.gram, g.p, g.n) == 0);
    if (count < min_count) continue;
    fwrite(g.p, 1, g.n, f);
    write_numbers(f, count, df);
    ++*lines;
    sum += count;
  }
  write_trailer(f, *lines, sum);
  rc = 0;
done:
  lk_free(q.h);
  ng_buf_free(&g);
  return rc;
}

int ng_format_merge_x(const char *out, const char *const *path, size_t n,
                      const ng_merge_opts *mo, char **err) {
  merge_in *in;
  ng_meta m;
  uint64_t total[NG_MAX_N + 1], lines = 0, minc;
  lector_output *o;
  FILE *f = NULL;
  int failed;
  size_t i;
  if (n == 0 && !mo->meta) {
    *err = lk_errorf("no input files");
    return -1;
  }
  in = lk_alloc((n ? n : 1) * sizeof *in);
  if (!in) {
    *err = lk_errorf("out of memory");
    return -1;
  }
  memset(in, 0, (n ? n : 1) * sizeof *in);
  for (i = 0; i < n; i++) in[i].r.fd = -1;
  memset(&m, 0, sizeof m);
  memset(total, 0, sizeof total);
  if (!(o = out_open(out, path, n, &f, err))) {      /* refused first */
    merge_close(in, n);
    return -1;
  }
  if (merge_open(in, path, n, &m, total, err) != 0) {
    merge_close(in, n);
    return out_close(o, 1, err);
  }
  minc = mo->min_count > 1 ? mo->min_count : 1;
  if (mo->meta) {
    write_header(f, mo->meta, mo->total);
  } else {
    if (minc > m.min_count) m.min_count = minc;
    write_header(f, &m, total);
  }
  failed = merge_lines(in, n, minc, f, &lines, err) != 0;
  if (mo->lines) *mo->lines = lines;
  merge_close(in, n);
  return out_close(o, failed, err);
}

int ng_format_merge(const char *out, const char *const *path, size_t n,
                    char **err) {
  ng_merge_opts mo;
  memset(&mo, 0, sizeof mo);
  return ng_format_merge_x(out, path, n, &mo, err);
}

/* ------------------------------------------------------------------------
** Writers: a table written line by line
*/

struct ng_writer {
  lector_output *o;
  FILE *f;
  uint64_t lines, sum;
};

int ng_writer_open(ng_writer **out, const char *path, const ng_meta *m,
                   const uint64_t *total, char **err) {
  ng_writer *w = lk_alloc(sizeof *w);
  *out = NULL;
  if (!w) {
    *err = lk_errorf("%s: out of memory", path);
    return -1;
  }
  memset(w, 0, sizeof *w);
  if (!(w->o = out_open(path, NULL, 0, &w->f, err))) {
    lk_free(w);
    return -1;
  }
  write_header(w->f, m, total);
  *out = w;
  return 0;
}

void ng_writer_line(ng_writer *w, const char *g, size_t n, uint64_t count,
                    uint64_t df) {
  fwrite(g, 1, n, w->f);
  write_numbers(w->f, count, df);
  w->lines++;
  w->sum += count;
}

int ng_writer_close(ng_writer *w, int failed, char **err) {
  int rc;
  if (!failed) write_trailer(w->f, w->lines, w->sum);
  rc = out_close(w->o, failed, err);
  lk_free(w);
  return rc;
}

/* ------------------------------------------------------------------------
** Streams: a saved table read line by line
*/

struct ng_stream {
  reader r;
  ng_meta m;
};

int ng_stream_open(ng_stream **out, const char *path, char **err) {
  ng_stream *s = lk_alloc(sizeof *s);
  *out = NULL;
  if (!s) {
    *err = lk_errorf("%s: out of memory", path);
    return -1;
  }
  memset(&s->m, 0, sizeof s->m);
  if (reader_open(&s->r, path, err) != 0 || read_header(&s->r, &s->m, err)) {
    reader_close(&s->r);
    lk_free(s);
    return -1;
  }
  *out = s;
  return 0;
}

const ng_meta *ng_stream_meta(const ng_stream *s) { return &s->m; }

const uint64_t *ng_stream_total(const ng_stream *s) { return s->r.h.total; }

int ng_stream_next(ng_stream *s, ng_stream_row *row, char **err) {
  int rc = next_gram(&s->r, &s->m, NULL, err);
  if (rc != 1) return rc;
  row->gram = s->r.gram;
  row->len = s->r.gram_len;
  row->count = s->r.count;
  row->df = s->r.df;
  row->words = s->r.words;
  return 1;
}

uint64_t ng_stream_tell(const ng_stream *s) {
  off_t at = lseek(s->r.fd, 0, SEEK_CUR);
  return at < 0 ? 0 : (uint64_t)at - (s->r.end - s->r.pos);
}

int ng_stream_seek(ng_stream *s, uint64_t offset, char **err) {
  if (lseek(s->r.fd, (off_t)offset, SEEK_SET) < 0) {
    *err = lk_errorf("%s: %s", s->r.path, strerror(errno));
    return -1;
  }
  s->r.pos = s->r.end = 0;
  s->r.nlines = 0;
  s->r.partial = 1;
  return 0;
}

void ng_stream_close(ng_stream *s) {
  if (!s) return;
  reader_close(&s->r);
  ng_meta_free(&s->m);
  lk_free(s);
}

int ng_unescape_gram(const char *g, size_t n, ng_buf *out) {
  ng_buf w;
  size_t i = 0;
  int rc = 0;
  out->n = 0;
  ng_buf_add(out, "", 0);
  ng_buf_init(&w);
  while (i <= n && rc == 0) {
    const char *sp = memchr(g + i, ' ', n - i);
    size_t e = sp ? (size_t)(sp - g) : n;
    if (ng_unescape_word(g + i, e - i, &w) != 0) rc = -1;
    if (i) ng_buf_addc(out, ' ');
    ng_buf_add(out, w.p ? w.p : "", w.n);
    if (!sp) break;
    i = e + 1;
  }
  ng_buf_free(&w);
  return rc == 0 && !out->oom ? 0 : -1;
}
