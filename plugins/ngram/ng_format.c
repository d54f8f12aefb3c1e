/*
** ng_format.c -- the saved format, CSV and the streaming merge (see
** ng_format.h).
*/
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ng_env.h"
#include "ng_escape.h"
#include "ng_format.h"
#include "ng_order.h"

/* ------------------------------------------------------------------------
** Metadata
*/

void ng_meta_free(ng_meta *m) {
  NG_FREE(m->options);
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
    const char *w = ng_env_cur.vocab_string(key[j], &len);
    if (j) ng_buf_addc(b, ' ');
    ng_escape_word(w ? w : "", w ? len : 0, b);
  }
}

static int hexval(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
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
        ng_buf_addc(b, (char)(hi * 16 + lo));
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

/* Parse s[0..n) as a decimal uint64 (digits only).  0 or -1. */
static int parse_u64(const char *s, size_t n, uint64_t *out) {
  uint64_t v = 0;
  size_t i;
  if (n == 0 || n > 20) return -1;
  for (i = 0; i < n; i++) {
    unsigned d;
    if (s[i] < '0' || s[i] > '9') return -1;
    d = (unsigned)(s[i] - '0');
    if (v > (UINT64_MAX - d) / 10) return -1;
    v = v * 10 + d;
  }
  *out = v;
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

/* Parse "n=" values: "K" or "A..B".  0 or -1. */
static int parse_n(const char *v, size_t n, ng_meta *m) {
  const char *dots = NULL;
  uint64_t a, b;
  size_t i;
  for (i = 0; i + 1 < n; i++)
    if (v[i] == '.' && v[i + 1] == '.') { dots = v + i; break; }
  if (dots) {
    if (parse_u64(v, (size_t)(dots - v), &a) != 0 ||
        parse_u64(dots + 2, n - (size_t)(dots - v) - 2, &b) != 0)
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

/* Parse "total=" values "len:count,...".  0 or -1. */
static int parse_total(const char *v, size_t n, uint64_t *total) {
  size_t i = 0;
  while (i < n) {
    const char *comma = memchr(v + i, ',', n - i);
    size_t e = comma ? (size_t)(comma - v) : n;
    const char *colon = memchr(v + i, ':', e - i);
    uint64_t len, c;
    if (!colon || parse_u64(v + i, (size_t)(colon - v) - i, &len) != 0 ||
        len < 1 || len > NG_MAX_N ||
        parse_u64(colon + 1, e - (size_t)(colon - v) - 1, &c) != 0)
      return -1;
    total[len] = c;
    i = e + 1;
  }
  return 0;
}

/* One "key=value" header field into m / total.  NULL, or what is wrong. */
static const char *header_field(const char *f, size_t n, ng_meta *m,
                                uint64_t *total, int *has_n,
                                int *has_total) {
  const char *eq = memchr(f, '=', n);
  size_t kl, vl;
  const char *v;
  uint64_t x;
  if (!eq) return "header field without '='";
  kl = (size_t)(eq - f);
  v = eq + 1;
  vl = n - kl - 1;
#define KEY(s) (kl == sizeof(s) - 1 && memcmp(f, s, kl) == 0)
  if (KEY("n")) {
    if (parse_n(v, vl, m) != 0) return "bad n in the header";
    *has_n = 1;
  } else if (KEY("skip")) {
    if (parse_u64(v, vl, &x) != 0 || x > NG_MAX_SKIP)
      return "bad skip in the header";
    m->skip = (int)x;
  } else if (KEY("docs")) {
    if (parse_u64(v, vl, &m->docs) != 0) return "bad docs in the header";
  } else if (KEY("min_count")) {
    if (parse_u64(v, vl, &m->min_count) != 0)
      return "bad min_count in the header";
  } else if (KEY("total")) {
    if (parse_total(v, vl, total) != 0) return "bad total in the header";
    *has_total = 1;
  } else if (KEY("options")) {
    NG_FREE(m->options);
    m->options = NG_ALLOC(vl + 1);
    if (!m->options) return "out of memory";
    memcpy(m->options, v, vl);
    m->options[vl] = '\0';
  }
#undef KEY
  return NULL;
}

/* Parse the header line s[0..n).  NULL, or what is wrong. */
static const char *parse_header(const char *s, size_t n, ng_meta *m,
                                uint64_t *total, int *has_total) {
  size_t ml = sizeof NG_FORMAT_MAGIC - 1, i;
  const char *tab;
  uint64_t version;
  int has_n = 0;
  memset(m, 0, sizeof *m);
  memset(total, 0, (NG_MAX_N + 1) * sizeof *total);
  m->min_count = 1;
  *has_total = 0;
  if (n < ml + 2 || memcmp(s, NG_FORMAT_MAGIC, ml) != 0 || s[ml] != ' ')
    return "not a saved ngram table (no '" NG_FORMAT_MAGIC "' header)";
  tab = memchr(s, '\t', n);
  i = tab ? (size_t)(tab - s) : n;
  if (parse_u64(s + ml + 1, i - ml - 1, &version) != 0)
    return "bad version in the header";
  if (version != NG_FORMAT_VERSION) return "unsupported format version";
  while (i < n) {
    const char *f = s + i + 1, *e = memchr(f, '\t', n - i - 1);
    size_t fl = e ? (size_t)(e - f) : n - i - 1;
    const char *why = header_field(f, fl, m, total, &has_n, has_total);
    if (why) return why;
    i += fl + 1;
  }
  return has_n ? NULL : "the header has no n";
}

/* ------------------------------------------------------------------------
** Reading lines
*/

typedef struct reader {
  FILE *f;
  const char *path;
  uint64_t line;               /* number of the line in buf */
  char *buf;                   /* getline's buffer (malloc) */
  size_t cap;
  ng_buf prev;                 /* the previous gram field */
  ng_buf word;                 /* scratch */
  /* the current gram line */
  const char *gram;
  size_t gram_len;
  uint64_t count, df;
  int words;
} reader;

static int reader_open(reader *r, const char *path, char **err) {
  memset(r, 0, sizeof *r);
  ng_buf_init(&r->prev);
  ng_buf_init(&r->word);
  r->path = path;
  r->f = fopen(path, "rb");
  if (!r->f) {
    *err = NG_ERRORF("%s: %s", path, strerror(errno));
    return -1;
  }
  return 0;
}

static void reader_close(reader *r) {
  if (r->f) fclose(r->f);
  free(r->buf);
  ng_buf_free(&r->prev);
  ng_buf_free(&r->word);
  r->f = NULL;
  r->buf = NULL;
}

/* The next line (without its LF) in r->buf; its length, -1 at the end of
** the file, -2 on an error (*err set). */
static long read_line(reader *r, char **err) {
  ssize_t n = getline(&r->buf, &r->cap, r->f);
  if (n < 0) {
    if (ferror(r->f)) {
      *err = NG_ERRORF("%s: %s", r->path, strerror(errno));
      return -2;
    }
    return -1;
  }
  r->line++;
  if (n > 0 && r->buf[n - 1] == '\n') r->buf[--n] = '\0';
  if (n > NG_LINE_MAX) {
    *err = NG_ERRORF("%s:%" PRIu64 ": line longer than %d bytes", r->path,
                     r->line, NG_LINE_MAX);
    return -2;
  }
  return (long)n;
}

static int line_error(reader *r, const char *what, char **err) {
  *err = NG_ERRORF("%s:%" PRIu64 ": %s", r->path, r->line, what);
  return -1;
}

/* Read and parse the header of r into m. */
static int read_header(reader *r, ng_meta *m, uint64_t *total,
                       int *has_total, char **err) {
  long n = read_line(r, err);
  const char *why;
  if (n == -2) return -1;
  if (n == -1) {
    r->line = 1;
    return line_error(r, "empty file (no '" NG_FORMAT_MAGIC "' header)",
                      err);
  }
  why = parse_header(r->buf, (size_t)n, m, total, has_total);
  if (why) {
    ng_meta_free(m);
    return line_error(r, why, err);
  }
  return 0;
}

/* Check the gram field g[0..n): words, escapes, and each word (unescaped)
** through fn (may be NULL).  Returns the number of words or -1 with
** *what. */
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
      *what = r->word.oom ? "out of memory" : "bad escape in the gram";
      return -1;
    }
    if (key) {
      key[k] = ng_env_cur.vocab_intern(r->word.p, r->word.n);
      if (!key[k]) { *what = "out of memory"; return -1; }
    }
    k++;
    if (!sp) break;
    i = e + 1;
  }
  return k;
}

/* Read the next gram line of r (of a table of meta m): r->gram, count,
** df, words; key (m->nmax ids) interned when key is not NULL.  1 for a
** line, 0 at the end, -1 on an error. */
static int next_gram(reader *r, const ng_meta *m, uint32_t *key,
                     char **err) {
  long n = read_line(r, err);
  const char *s, *t1, *t2, *what = NULL;
  size_t gl, pl;
  int c;
  if (n == -1) return 0;
  if (n == -2) return -1;
  s = r->buf;
  t1 = memchr(s, '\t', (size_t)n);
  t2 = t1 ? memchr(t1 + 1, '\t', (size_t)n - (size_t)(t1 + 1 - s)) : NULL;
  if (!t1 || !t2 || memchr(t2 + 1, '\t', (size_t)n - (size_t)(t2 + 1 - s)))
    return line_error(r, "expected gram<TAB>count<TAB>df", err);
  gl = (size_t)(t1 - s);
  if (parse_u64(t1 + 1, (size_t)(t2 - t1 - 1), &r->count) != 0 ||
      r->count == 0)
    return line_error(r, "bad count", err);
  if (parse_u64(t2 + 1, (size_t)(n - (t2 + 1 - s)), &r->df) != 0 ||
      r->df > r->count || r->df > UINT32_MAX)
    return line_error(r, "bad df", err);
  if (key) memset(key, 0, (size_t)m->nmax * sizeof *key);
  r->words = check_gram(r, s, gl, m->nmax, key, &what);
  if (r->words < 0) return line_error(r, what, err);
  if (r->words < m->nmin) return line_error(r, "gram shorter than n", err);
  pl = r->prev.n;
  c = memcmp(r->prev.p ? r->prev.p : "", s, pl < gl ? pl : gl);
  if (r->line > 2 && (c > 0 || (c == 0 && pl >= gl)))
    return line_error(r, c == 0 && pl == gl ? "duplicate gram"
                                            : "grams out of order", err);
  r->prev.n = 0;
  ng_buf_add(&r->prev, s, gl);
  if (r->prev.oom) return line_error(r, "out of memory", err);
  r->gram = r->prev.p;
  r->gram_len = gl;
  return 1;
}

/* ------------------------------------------------------------------------
** Save and load
*/

static int close_out(FILE *f, const char *path, char **err) {
  int bad = ferror(f);
  if (fclose(f) != 0) bad = 1;
  if (bad) {
    *err = NG_ERRORF("%s: write failed: %s", path, strerror(errno));
    return -1;
  }
  return 0;
}

/* close_out for a file whose lines were built in b (freed here): running
** out of memory while building one is an error too. */
static int close_lines(FILE *f, ng_buf *b, const char *path, char **err) {
  int oom = b->oom;
  ng_buf_free(b);
  if (oom) {
    fclose(f);
    *err = NG_ERRORF("out of memory");
    return -1;
  }
  return close_out(f, path, err);
}

int ng_format_save(const char *path, const ng_table *t, const ng_meta *m,
                   char **err) {
  uint32_t *idx;
  size_t n, i;
  ng_buf b;
  FILE *f;
  if (ng_order_sorted(t, 0, &idx, &n) != 0) {
    *err = NG_ERRORF("out of memory");
    return -1;
  }
  f = fopen(path, "wb");
  if (!f) {
    NG_FREE(idx);
    *err = NG_ERRORF("%s: %s", path, strerror(errno));
    return -1;
  }
  write_header(f, m, t->total);
  ng_buf_init(&b);
  for (i = 0; i < n; i++) {
    const uint32_t *s = t->slots + (size_t)idx[i] * t->stride;
    b.n = 0;
    ng_escape_gram(s, t->width, &b);
    if (b.oom) break;
    fwrite(b.p, 1, b.n, f);
    fprintf(f, "\t%" PRIu64 "\t%" PRIu32 "\n", ng_table_count(t, s),
            s[NG_DF(t)]);
  }
  NG_FREE(idx);
  return close_lines(f, &b, path, err);
}

/* Check the header totals against the lines and keep them. */
static int settle_totals(reader *r, ng_table *t, const uint64_t *total,
                         int has_total, char **err) {
  int k;
  if (!has_total) return 0;
  for (k = 1; k <= NG_MAX_N; k++) {
    if (total[k] < t->total[k]) {
      *err = NG_ERRORF("%s: header total for length %d (%" PRIu64
                       ") is less than the counts (%" PRIu64 ")",
                       r->path, k, total[k], t->total[k]);
      return -1;
    }
    t->total[k] = total[k];
  }
  return 0;
}

int ng_format_load(const char *path, ng_table *t, ng_meta *m, char **err) {
  reader r;
  uint64_t total[NG_MAX_N + 1];
  uint32_t key[NG_MAX_N];
  int has_total = 0, rc;
  memset(m, 0, sizeof *m);
  memset(t, 0, sizeof *t);
  if (reader_open(&r, path, err) != 0) return -1;
  if (read_header(&r, m, total, &has_total, err) != 0) goto fail;
  if (ng_table_init(t, m->nmax, 0, 0) != 0) goto oom;
  while ((rc = next_gram(&r, m, key, err)) == 1)
    if (ng_table_add(t, key, r.count, (uint32_t)r.df) != 0) goto oom;
  if (rc < 0) goto fail;
  if (settle_totals(&r, t, total, has_total, err) != 0) goto fail;
  if (ng_table_compact(t, 1) != 0) goto oom;
  reader_close(&r);
  return 0;
oom:
  *err = NG_ERRORF("%s: out of memory", path);
fail:
  reader_close(&r);
  ng_table_free(t);
  ng_meta_free(m);
  return -1;
}

/* ------------------------------------------------------------------------
** CSV
*/

static void csv_field(FILE *f, const char *s, size_t n) {
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
  ng_buf b;
  FILE *f;
  if (ng_order_top(t, t->used, 0, &idx, &n) != 0) {
    *err = NG_ERRORF("out of memory");
    return -1;
  }
  f = fopen(path, "wb");
  if (!f) {
    NG_FREE(idx);
    *err = NG_ERRORF("%s: %s", path, strerror(errno));
    return -1;
  }
  fputs("gram,n,count,df\n", f);
  ng_buf_init(&b);
  for (i = 0; i < n && !b.oom; i++) {
    const uint32_t *s = t->slots + (size_t)idx[i] * t->stride;
    b.n = 0;
    ng_gram_string(s, t->width, &b);
    csv_field(f, b.p ? b.p : "", b.n);
    fprintf(f, ",%d,%" PRIu64 ",%" PRIu32 "\n", ng_key_len(s, t->width),
            ng_table_count(t, s), s[NG_DF(t)]);
  }
  NG_FREE(idx);
  return close_lines(f, &b, path, err);
}

/* ------------------------------------------------------------------------
** Streaming merge
*/

typedef struct merge_in {
  reader r;
  ng_meta m;
  uint64_t total[NG_MAX_N + 1];
  int live;                    /* holds a gram line */
} merge_in;

static void merge_close(merge_in *in, size_t n) {
  size_t i;
  for (i = 0; i < n; i++) {
    reader_close(&in[i].r);
    ng_meta_free(&in[i].m);
  }
  NG_FREE(in);
}

/* Open and read the headers of every input; the merged meta into m and
** totals into total. */
static int merge_open(merge_in *in, const char *const *path, size_t n,
                      ng_meta *m, uint64_t *total, char **err) {
  size_t i;
  int k, has_total;
  for (i = 0; i < n; i++) {
    if (reader_open(&in[i].r, path[i], err) != 0 ||
        read_header(&in[i].r, &in[i].m, in[i].total, &has_total, err) != 0)
      return -1;
    if (!has_total) {
      *err = NG_ERRORF("%s: the header has no total", path[i]);
      return -1;
    }
    if (i > 0 && !ng_meta_compatible(&in[0].m, &in[i].m)) {
      *err = NG_ERRORF("%s: counted with other options than %s (n, skip "
                       "or options differ)", path[i], path[0]);
      return -1;
    }
    m->docs += in[i].m.docs;
    if (in[i].m.min_count > m->min_count) m->min_count = in[i].m.min_count;
    for (k = 0; k <= NG_MAX_N; k++) total[k] += in[i].total[k];
  }
  m->nmin = in[0].m.nmin;
  m->nmax = in[0].m.nmax;
  m->skip = in[0].m.skip;
  m->options = in[0].m.options;        /* borrowed */
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

/* Write every gram, adding up equal ones. */
static int merge_lines(merge_in *in, size_t n, FILE *f, char **err) {
  size_t i;
  for (i = 0; i < n; i++)
    if (merge_advance(&in[i], err) != 0) return -1;
  for (;;) {
    merge_in *lo = NULL;
    uint64_t count = 0, df = 0;
    for (i = 0; i < n; i++)
      if (in[i].live && (!lo || gram_cmp(&in[i], lo) < 0)) lo = &in[i];
    if (!lo) return 0;
    fwrite(lo->r.gram, 1, lo->r.gram_len, f);
    for (i = 0; i < n; i++)
      if (in[i].live && &in[i] != lo && gram_cmp(&in[i], lo) == 0) {
        count += in[i].r.count;
        df += in[i].r.df;
        if (merge_advance(&in[i], err) != 0) return -1;
      }
    count += lo->r.count;
    df += lo->r.df;
    fprintf(f, "\t%" PRIu64 "\t%" PRIu64 "\n", count,
            df > UINT32_MAX ? (uint64_t)UINT32_MAX : df);
    if (merge_advance(lo, err) != 0) return -1;
  }
}

int ng_format_merge(const char *out, const char *const *path, size_t n,
                    char **err) {
  merge_in *in;
  ng_meta m;
  uint64_t total[NG_MAX_N + 1];
  FILE *f;
  if (n == 0) {
    *err = NG_ERRORF("no input files");
    return -1;
  }
  in = NG_ALLOC(n * sizeof *in);
  if (!in) {
    *err = NG_ERRORF("out of memory");
    return -1;
  }
  memset(in, 0, n * sizeof *in);
  memset(&m, 0, sizeof m);
  memset(total, 0, sizeof total);
  if (merge_open(in, path, n, &m, total, err) != 0) goto fail;
  f = fopen(out, "wb");
  if (!f) {
    *err = NG_ERRORF("%s: %s", out, strerror(errno));
    goto fail;
  }
  write_header(f, &m, total);
  if (merge_lines(in, n, f, err) != 0) {
    fclose(f);
    remove(out);
    goto fail;
  }
  merge_close(in, n);
  return close_out(f, out, err);
fail:
  merge_close(in, n);
  return -1;
}
