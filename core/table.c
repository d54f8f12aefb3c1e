/*
** table.c -- CSV, TSV and JSON-lines records (see table.h).
**
** The scanner's fast path is memchr: TSV and JSON lines look only for LF;
** CSV looks for the next quote and the next LF, keeping both positions
** between steps so that no byte is searched twice.
*/
#include "table.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------------
** Scanning
*/

enum { CSV_PLAIN, CSV_QUOTED, CSV_QUOTE1 };

void table_scan_init(table_scan *s, table_format f) {
  memset(s, 0, sizeof *s);
  s->format = f;
  s->fstart = 1;
  s->cur_line = 1;
}

static int is_blank_byte(table_format f, char c) {
  return c == '\r' || (f == TABLE_JSONL && (c == ' ' || c == '\t'));
}

/* Note whether p[0..n) holds a byte that makes the record non-blank. */
static void see_bytes(table_scan *s, const char *p, size_t n) {
  for (size_t i = 0; i < n && !s->nonblank; i++)
    if (!is_blank_byte(s->format, p[i])) s->nonblank = 1;
}

/* The record in progress ended at stream offset s->pos. */
static void end_record(table_scan *s) {
  s->rec_start = s->cur_start;
  s->rec_end = s->pos;
  s->rec_line = s->cur_line;
  s->rec_blank = !s->nonblank;
  s->cur_start = s->pos;
  s->cur_line = s->lines + 1;
  s->nonblank = 0;
  s->state = CSV_PLAIN;
  s->fstart = 1;
}

static size_t next_of(const char *p, char c, size_t from, size_t n) {
  const char *q = memchr(p + from, c, n - from);
  return q ? (size_t)(q - p) : n;
}

/* TSV, JSON lines: every LF ends a record. */
static size_t lines_feed(table_scan *s, const char *p, size_t n) {
  size_t j = next_of(p, '\n', 0, n);
  see_bytes(s, p, j);
  if (j == n) {
    s->pos += n;
    return TABLE_MORE;
  }
  s->pos += j + 1;
  s->lines++;
  end_record(s);
  return j + 1;
}

/* Whether the CSV field is still at its start after plain bytes p[i..j):
** only spaces and tabs since a comma (or since before p[i]). */
static int field_start_after(const char *p, size_t i, size_t j, int fstart) {
  while (j > i && (p[j - 1] == ' ' || p[j - 1] == '\t')) j--;
  return j == i ? fstart : p[j - 1] == ',';
}

static size_t csv_feed(table_scan *s, const char *p, size_t n) {
  size_t i = 0, q = 0, l = 0;       /* next quote, next LF at or after i */
  int have_q = 0, have_l = 0;
  while (i < n) {
    if (s->state == CSV_QUOTE1) {   /* a quote in quotes: "" or the close */
      s->state = p[i] == '"' ? CSV_QUOTED : CSV_PLAIN;
      if (s->state == CSV_QUOTED) { i++; continue; }
      s->fstart = 0;
    }
    if (!have_q || q < i) { q = next_of(p, '"', i, n); have_q = 1; }
    if (!have_l || l < i) { l = next_of(p, '\n', i, n); have_l = 1; }
    if (s->state == CSV_QUOTED) {   /* count the LFs before the next quote */
      while (l < q) {
        s->lines++;
        l = next_of(p, '\n', l + 1, n);
      }
      if (q == n) break;
      s->state = CSV_QUOTE1;
      i = q + 1;
      continue;
    }
    size_t j = q < l ? q : l;
    see_bytes(s, p + i, j - i);
    s->fstart = field_start_after(p, i, j, s->fstart);
    if (j == n) break;
    if (p[j] == '\n') {
      s->pos += j + 1;
      s->lines++;
      end_record(s);
      return j + 1;
    }
    s->nonblank = 1;                /* a quote: opens only at a field start */
    if (s->fstart) s->state = CSV_QUOTED;
    s->fstart = 0;
    i = j + 1;
  }
  s->pos += n;
  return TABLE_MORE;
}

size_t table_scan_feed(table_scan *s, const char *p, size_t n) {
  if (n == 0) return TABLE_MORE;
  return s->format == TABLE_CSV ? csv_feed(s, p, n) : lines_feed(s, p, n);
}

int table_scan_end(table_scan *s) {
  if (s->pos == s->cur_start) return 0;
  end_record(s);
  return 1;
}

/* ---------------------------------------------------------------------
** Fields
*/

static size_t strip_line_end(const char *rec, size_t n) {
  if (n > 0 && rec[n - 1] == '\n') n--;
  if (n > 0 && rec[n - 1] == '\r') n--;
  return n;
}

static int is_space(char c) { return c == ' ' || c == '\t'; }

/* One CSV field from rec[*i..n): its span into *fl, *i past its comma (or
** at n).  0, or -1 and *why. */
static int csv_field(const char *rec, size_t n, size_t *i, table_field *fl,
                     const char **why) {
  size_t k = *i;
  while (k < n && is_space(rec[k])) k++;
  fl->escaped = 0;
  if (k < n && rec[k] == '"') {
    size_t start = ++k;
    for (;;) {
      const char *qp = memchr(rec + k, '"', n - k);
      if (!qp) { *why = "unclosed quote"; return -1; }
      k = (size_t)(qp - rec);
      if (k + 1 < n && rec[k + 1] == '"') { fl->escaped = 1; k += 2; continue; }
      break;
    }
    fl->off = start;
    fl->len = k - start;
    k++;
    while (k < n && is_space(rec[k])) k++;
    if (k < n && rec[k] != ',') { *why = "text after a closing quote"; return -1; }
  } else {
    const char *cp = memchr(rec + *i, ',', n - *i);
    size_t end = cp ? (size_t)(cp - rec) : n;
    if (memchr(rec + *i, '"', end - *i)) {
      *why = "a quote inside an unquoted field";
      return -1;
    }
    fl->off = *i;
    fl->len = end - *i;
    k = end;
  }
  *i = k;                           /* at the comma or at n */
  return 0;
}

static int csv_split(const char *rec, size_t n, table_field *out, size_t max,
                     size_t *nf, const char **why) {
  size_t i = 0, count = 0;
  for (;;) {
    table_field fl;
    if (csv_field(rec, n, &i, &fl, why) != 0) return -1;
    if (count == max) { *why = "more fields than the limit"; return -1; }
    out[count++] = fl;
    if (i == n) break;
    i++;                            /* the comma */
  }
  *nf = count;
  return 0;
}

static int tsv_split(const char *rec, size_t n, table_field *out, size_t max,
                     size_t *nf, const char **why) {
  size_t i = 0, count = 0;
  for (;;) {
    const char *tp = memchr(rec + i, '\t', n - i);
    size_t end = tp ? (size_t)(tp - rec) : n;
    if (count == max) { *why = "more fields than the limit"; return -1; }
    out[count].off = i;
    out[count].len = end - i;
    out[count].escaped = memchr(rec + i, '\\', end - i) != NULL;
    count++;
    if (!tp) break;
    i = end + 1;
  }
  *nf = count;
  return 0;
}

int table_split(table_format f, const char *rec, size_t n, table_field *out,
                size_t max, size_t *nf, const char **why) {
  *nf = 0;
  if (f == TABLE_JSONL) { *why = "JSON lines have no fields"; return -1; }
  n = strip_line_end(rec, n);
  return f == TABLE_CSV ? csv_split(rec, n, out, max, nf, why)
                        : tsv_split(rec, n, out, max, nf, why);
}

/* Runs without a backslash (or quote) are copied whole: text fields are
** long and their escapes sparse. */
static size_t tsv_unescape(const char *s, size_t n, char *out) {
  size_t o = 0, i = 0;
  while (i < n) {
    const char *bp = memchr(s + i, '\\', n - i);
    size_t run = (bp ? (size_t)(bp - s) : n) - i;
    memcpy(out + o, s + i, run);
    o += run;
    i += run;
    if (i == n) break;
    char e = i + 1 < n ? s[i + 1] : 0;
    char r = e == 't' ? '\t' : e == 'n' ? '\n' : e == 'r' ? '\r'
           : e == '\\' ? '\\' : 0;
    if (r) { out[o++] = r; i += 2; }
    else out[o++] = s[i++];         /* \x and a final \ stay as written */
  }
  return o;
}

static size_t csv_undouble(const char *s, size_t n, char *out) {
  size_t o = 0, i = 0;
  while (i < n) {
    const char *qp = memchr(s + i, '"', n - i);
    size_t run = (qp ? (size_t)(qp - s) + 1 : n) - i;   /* up to the quote */
    memcpy(out + o, s + i, run);
    o += run;
    i += run;
    if (qp && i < n && s[i] == '"') i++;                /* its double */
  }
  return o;
}

size_t table_field_copy(table_format f, const char *rec, const table_field *fl,
                        char *out) {
  const char *s = rec + fl->off;
  size_t o;
  if (!fl->escaped) {
    memcpy(out, s, fl->len);
    o = fl->len;
  } else {
    o = f == TABLE_TSV ? tsv_unescape(s, fl->len, out)
                       : csv_undouble(s, fl->len, out);
  }
  out[o] = '\0';
  return o;
}

/* ---------------------------------------------------------------------
** JSON lines: the pieces both walks share
*/

static size_t js_ws(const char *s, size_t i, size_t n) {
  while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' || s[i] == '\n'))
    i++;
  return i;
}

static int js_hex4(const char *s, size_t i, size_t n, unsigned *v) {
  *v = 0;
  if (n - i < 4) return -1;
  for (size_t k = i; k < i + 4; k++) {
    char c = s[k];
    unsigned d = c >= '0' && c <= '9' ? (unsigned)(c - '0')
               : c >= 'a' && c <= 'f' ? (unsigned)(c - 'a' + 10)
               : c >= 'A' && c <= 'F' ? (unsigned)(c - 'A' + 10) : 16;
    if (d == 16) return -1;
    *v = *v << 4 | d;
  }
  return 0;
}

static size_t js_put_utf8(unsigned cp, char *out) {
  if (cp < 0x80) { out[0] = (char)cp; return 1; }
  if (cp < 0x800) {
    out[0] = (char)(0xC0 | cp >> 6);
    out[1] = (char)(0x80 | (cp & 0x3F));
    return 2;
  }
  if (cp < 0x10000) {
    out[0] = (char)(0xE0 | cp >> 12);
    out[1] = (char)(0x80 | (cp >> 6 & 0x3F));
    out[2] = (char)(0x80 | (cp & 0x3F));
    return 3;
  }
  out[0] = (char)(0xF0 | cp >> 18);
  out[1] = (char)(0x80 | (cp >> 12 & 0x3F));
  out[2] = (char)(0x80 | (cp >> 6 & 0x3F));
  out[3] = (char)(0x80 | (cp & 0x3F));
  return 4;
}

/* \uXXXX at s[*i] (the backslash), a surrogate pair as one: its code
** point into *cp; *i past it.  0, or -1 and *why. */
static int js_unicode(const char *s, size_t *i, size_t n, unsigned *cp,
                      const char **why) {
  unsigned lo;
  if (js_hex4(s, *i + 2, n, cp) != 0) { *why = "a bad \\u escape"; return -1; }
  *i += 6;
  if (*cp >= 0xDC00 && *cp <= 0xDFFF) { *why = "a lone low surrogate"; return -1; }
  if (*cp >= 0xD800 && *cp <= 0xDBFF) {
    if (n - *i < 6 || s[*i] != '\\' || s[*i + 1] != 'u' ||
        js_hex4(s, *i + 2, n, &lo) != 0 || lo < 0xDC00 || lo > 0xDFFF) {
      *why = "a high surrogate without its low one";
      return -1;
    }
    *i += 6;
    *cp = 0x10000 + ((*cp - 0xD800) << 10) + (lo - 0xDC00);
  }
  return 0;
}

/* The escape at s[*i] (its backslash): its code point into *cp; *i past
** it.  0, or -1 and *why. */
static int js_escape(const char *s, size_t *i, size_t n, unsigned *cp,
                     const char **why) {
  switch (*i + 1 < n ? s[*i + 1] : 0) {
  case '"': *cp = '"'; break;
  case '\\': *cp = '\\'; break;
  case '/': *cp = '/'; break;
  case 'b': *cp = '\b'; break;
  case 'f': *cp = '\f'; break;
  case 'n': *cp = '\n'; break;
  case 'r': *cp = '\r'; break;
  case 't': *cp = '\t'; break;
  case 'u': return js_unicode(s, i, n, cp, why);
  default: *why = "a bad escape"; return -1;
  }
  *i += 2;
  return 0;
}

/* ---------------------------------------------------------------------
** JSON lines: table_json_each, one validating pass
**
** The walk checks RFC 8259's grammar and what jansson adds to it (UTF-8,
** no \u0000 in a key, no key twice in an object, numbers within a
** double's range, values at most 2048 deep), and writes what the members
** show into one buffer as it goes: top-level keys and strings decoded,
** numbers as written, nested values less white space.  The members are
** only recorded: fn runs once the whole line proved valid, so that it
** never sees part of a malformed line.  Nested keys are decoded into a
** second buffer for the duplicate check, a hash table of (object, key)
** over the whole line: the same cost per key however large an object.
** Strings are scanned 8 bytes at a time for a quote, a backslash, a
** control character or a non-ASCII byte, and copied a run at a time.
*/

#define JS_MAX_DEPTH 2048         /* jansson's JSON_PARSER_MAX_DEPTH */

typedef struct js_member {
  const char *key, *val;
  size_t key_len, len;
  char type;
} js_member;

typedef struct js_slot {           /* a slot of the key table (key NULL: free) */
  const char *key;
  size_t len;
  uint32_t obj, hash;
} js_slot;

typedef struct js_walk {
  const char *s;                  /* the record, n bytes; w->i: where we are */
  size_t n, i;
  char *out;                      /* the members' text, o bytes so far */
  size_t o;
  char *keys;                     /* nested keys, decoded, ko bytes so far */
  size_t ko;
  js_member *m, m0[32];           /* the top-level members */
  size_t nm, mcap;
  js_slot *tab, tab0[64];          /* every key of the line (tcap slots) */
  size_t nkeys, tcap;
  uint32_t objs;                  /* objects opened so far: their ids */
  size_t err_at;                  /* the error: where, why */
  const char *reason;
  char detail[96];
  int oom;
} js_walk;

static int js_fail(js_walk *w, size_t at, const char *reason) {
  w->err_at = at;
  w->reason = reason;
  return -1;
}

static int js_oom(js_walk *w) {
  w->oom = 1;
  return js_fail(w, w->i, "out of memory");
}

/* "expected WHAT, got" the byte at s[at] or the end of the line. */
static int js_expected(js_walk *w, size_t at, const char *what) {
  unsigned char c = at < w->n ? (unsigned char)w->s[at] : 0;
  if (at >= w->n)
    snprintf(w->detail, sizeof w->detail, "expected %s, got the end of the line", what);
  else if (c > 0x20 && c < 0x7F)
    snprintf(w->detail, sizeof w->detail, "expected %s, got '%c'", what, c);
  else
    snprintf(w->detail, sizeof w->detail, "expected %s, got byte 0x%02X", what, c);
  return js_fail(w, at, w->detail);
}

/* The column of s[at] in its line: 1 + the characters before it. */
static size_t js_column(const char *s, size_t at) {
  size_t col = 1;
  for (size_t i = at; i > 0 && s[i - 1] != '\n'; i--)
    col += ((unsigned char)s[i - 1] & 0xC0) != 0x80;
  return col;
}

#define JS_ONES 0x0101010101010101ull
#define JS_HIGHS 0x8080808080808080ull

static uint64_t js_load8(const char *p) {
  uint64_t v;
  memcpy(&v, p, sizeof v);
  return v;
}

/* Nonzero when one of the bytes of v is a quote, a backslash, below 0x20
** or above 0x7F (each term: some byte is zero, or below 0x20). */
static uint64_t js_stop8(uint64_t v) {
  uint64_t q = v ^ (JS_ONES * '"'), b = v ^ (JS_ONES * '\\');
  return (((q - JS_ONES) & ~q) | ((b - JS_ONES) & ~b) |
          ((v - JS_ONES * 0x20) & ~v) | v) & JS_HIGHS;
}

static int js_plain(unsigned char c) {
  return c >= 0x20 && c < 0x80 && c != '"' && c != '\\';
}

/* The length of the UTF-8 sequence at s[k] (a byte above 0x7F), or 0 when
** it is invalid or cut short (RFC 3629: no overlong form, no surrogate,
** nothing above U+10FFFF: what jansson accepts). */
static size_t js_utf8_len(const char *str, size_t k, size_t n) {
  const unsigned char *s = (const unsigned char *)str;
  unsigned c = s[k], lo = 0x80, hi = 0xBF;
  if (c < 0xC2 || c > 0xF4) return 0;
  size_t len = c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
  if (c == 0xE0) lo = 0xA0;
  else if (c == 0xED) hi = 0x9F;
  else if (c == 0xF0) lo = 0x90;
  else if (c == 0xF4) hi = 0x8F;
  if (n - k < len || s[k + 1] < lo || s[k + 1] > hi) return 0;
  for (size_t j = 2; j < len; j++)
    if ((s[k + j] & 0xC0) != 0x80) return 0;
  return len;
}

/* The string at s[w->i] (its opening quote), checked (escapes, surrogate
** pairs, UTF-8, no control character) and, when out is not NULL, decoded
** into out (NUL-terminated, *len bytes; *nul set when it holds a
** \u0000).  w->i past its closing quote.  0, or -1 (w's error). */
static int js_string(js_walk *w, char *out, size_t *len, int *nul) {
  const char *s = w->s;
  size_t n = w->n, k = w->i + 1, run = k, o = 0;
  for (;;) {
    while (n - k >= 8 && !js_stop8(js_load8(s + k))) k += 8;
    while (k < n && js_plain((unsigned char)s[k])) k++;
    if (k == n) return js_fail(w, w->i, "an unterminated string");
    unsigned char c = (unsigned char)s[k];
    if (c >= 0x80) {                /* a run of them: a word of Greek, CJK */
      do {
        size_t l = js_utf8_len(s, k, n);
        if (!l) return js_fail(w, k, "invalid UTF-8");
        k += l;
      } while (k < n && (unsigned char)s[k] >= 0x80);
      continue;
    }
    if (out) memcpy(out + o, s + run, k - run);
    o += k - run;
    if (c == '"') break;
    if (c < 0x20) {
      snprintf(w->detail, sizeof w->detail,
               "a control character (0x%02X) in a string", c);
      return js_fail(w, k, w->detail);
    }
    unsigned cp;
    const char *why;
    size_t at = k;
    if (js_escape(s, &k, n, &cp, &why) != 0) return js_fail(w, at, why);
    if (out) o += js_put_utf8(cp, out + o);
    if (cp == 0 && nul) *nul = 1;
    run = k;
  }
  if (out) {
    out[o] = '\0';
    *len = o;
  }
  w->i = k + 1;
  return 0;
}

/* 2^1024 - 2^970, the least number that strtod rounds to infinity (half
** way between DBL_MAX and 2^1024; a tie goes to the even 2^1024). */
static const char js_dbl_limit[] =
  "1797693134862315807937289714053034150799341327100378269361737789804449682"
  "9276475094664901797758720709633028641669288791094655554785194040263065748"
  "8671505820681908902000708383676273854845817711531764475730270069855571366"
  "9596228429148198608349364752927190741684443655107043427115596995080930428"
  "80177904174497792";

static int js_isdigit(char c) { return c >= '0' && c <= '9'; }

/* Whether the number with integer digits s[a..b), fraction digits s[c..d)
** and exponent e is at least js_dbl_limit: strtod overflows, and jansson,
** which reads every number with strtod, refuses it. */
static int js_overflows(const char *s, size_t a, size_t b, size_t c, size_t d,
                        long long e) {
  long long p;                      /* the value is below 10^p, at least 10^(p-1) */
  if (!(b - a == 1 && s[a] == '0')) {
    p = (long long)(b - a) + e;
  } else {                          /* 0.000ddd: the first digit not 0 */
    size_t z = c;
    while (z < d && s[z] == '0') z++;
    if (z == d) return 0;           /* zero */
    p = e - (long long)(z - c);
    a = b;
    c = z;
  }
  const long long digits = (long long)sizeof js_dbl_limit - 1;   /* 309 */
  if (p != digits) return p > digits;
  size_t ni = b - a, nd = ni + (d - c);
  for (size_t j = 0; j < (size_t)digits; j++) {
    char dg = j >= nd ? '0' : j < ni ? s[a + j] : s[c + j - ni];
    if (dg != js_dbl_limit[j]) return dg > js_dbl_limit[j];
  }
  return 1;
}

/* The number at s[w->i] (a '-' or a digit): RFC 8259's grammar, and
** within a double's range.  w->i past it.  0, or -1 (w's error). */
static int js_number(js_walk *w) {
  const char *s = w->s;
  size_t n = w->n, k = w->i + (w->s[w->i] == '-'), a = k, c, d;
  long long e = 0;
  if (k < n && s[k] == '0') k++;
  else while (k < n && js_isdigit(s[k])) k++;
  size_t b = k;
  if (b == a || (k < n && js_isdigit(s[k])))    /* no digit; 01 */
    return js_fail(w, w->i, "a malformed number");
  c = d = k;
  if (k < n && s[k] == '.') {
    c = ++k;
    while (k < n && js_isdigit(s[k])) k++;
    d = k;
    if (d == c) return js_fail(w, w->i, "a malformed number");
  }
  if (k < n && (s[k] == 'e' || s[k] == 'E')) {
    int neg = 0;
    k++;
    if (k < n && (s[k] == '+' || s[k] == '-')) neg = s[k++] == '-';
    size_t e0 = k;
    for (; k < n && js_isdigit(s[k]); k++)
      if (e < 1000000000) e = e * 10 + (s[k] - '0');   /* saturates */
    if (k == e0) return js_fail(w, w->i, "a malformed number");
    if (neg) e = -e;
  }
  if (js_overflows(s, a, b, c, d, e))
    return js_fail(w, w->i, "a number beyond a double's range (overflow)");
  w->i = k;
  return 0;
}

/* true, false or null at s[w->i]: its text into *text, *len; w->i past
** it.  0, or -1 (no error set) when there is none. */
static int js_literal(js_walk *w, const char **text, size_t *len) {
  static const char *const lits[] = {"true", "false", "null"};
  for (int k = 0; k < 3; k++) {
    size_t l = strlen(lits[k]);
    if (w->n - w->i >= l && memcmp(w->s + w->i, lits[k], l) == 0) {
      *text = lits[k];
      *len = l;
      w->i += l;
      return 0;
    }
  }
  return -1;
}

/* A string, number or literal at s[w->i], checked; w->i past it. */
static int js_scalar(js_walk *w) {
  char c = w->i < w->n ? w->s[w->i] : 0;
  const char *lit;
  size_t len;
  if (c == '"') return js_string(w, NULL, NULL, NULL);
  if (c == '-' || js_isdigit(c)) return js_number(w);
  if (js_literal(w, &lit, &len) == 0) return 0;
  return js_expected(w, w->i, "a value");
}

static uint32_t js_hash(const char *key, size_t len, uint32_t obj) {
  uint32_t h = 2166136261u ^ (obj * 0x9E3779B9u);
  for (size_t i = 0; i < len; i++) h = (h ^ (unsigned char)key[i]) * 16777619u;
  return h;
}

/* Double the key table.  0, or -1 when out of memory. */
static int js_grow(js_walk *w) {
  size_t cap = w->tcap * 2;
  js_slot *t = calloc(cap, sizeof *t);
  if (!t) return -1;
  for (size_t i = 0; i < w->tcap; i++) {
    if (!w->tab[i].key) continue;
    size_t j = w->tab[i].hash & (cap - 1);
    while (t[j].key) j = (j + 1) & (cap - 1);
    t[j] = w->tab[i];
  }
  if (w->tab != w->tab0) free(w->tab);
  w->tab = t;
  w->tcap = cap;
  return 0;
}

/* The key at s[at] is a duplicate: say which, as written (cut short). */
static int js_duplicate(js_walk *w, size_t at) {
  size_t len = 0;
  while (at + 1 + len < w->n && w->s[at + 1 + len] != '"') {
    if (w->s[at + 1 + len] == '\\') len++;
    len++;
  }
  if (len > 40) {                   /* cut on a character's first byte */
    len = 40;
    while (len > 0 && ((unsigned char)w->s[at + 1 + len] & 0xC0) == 0x80) len--;
    snprintf(w->detail, sizeof w->detail, "duplicate object key \"%.*s...\"",
             (int)len, w->s + at + 1);
  } else {
    snprintf(w->detail, sizeof w->detail, "duplicate object key \"%.*s\"",
             (int)len, w->s + at + 1);
  }
  return js_fail(w, at, w->detail);
}

/* Note key[0..len) (stays put) of object obj, written at s[at]: -1 (w's
** error) when obj has it already, or when out of memory. */
static int js_add_key(js_walk *w, uint32_t obj, const char *key, size_t len,
                      size_t at) {
  if ((w->nkeys + 1) * 2 > w->tcap && js_grow(w) != 0) return js_oom(w);
  uint32_t h = js_hash(key, len, obj);
  size_t j = h & (w->tcap - 1);
  for (; w->tab[j].key; j = (j + 1) & (w->tcap - 1)) {
    const js_slot *k = &w->tab[j];
    if (k->hash == h && k->obj == obj && k->len == len && !memcmp(k->key, key, len))
      return js_duplicate(w, at);
  }
  w->tab[j] = (js_slot){ key, len, obj, h };
  w->nkeys++;
  return 0;
}

/* The key at s[w->i] of object obj, decoded into dst (NUL-terminated,
** *len bytes) and noted; *end just past its closing quote; w->i past
** the colon and the white space after it.  0, or -1 (w's error). */
static int js_key(js_walk *w, uint32_t obj, char *dst, size_t *len, size_t *end) {
  size_t at = w->i;
  int nul = 0;
  if (at >= w->n || w->s[at] != '"') return js_expected(w, at, "a key");
  if (js_string(w, dst, len, &nul) != 0) return -1;
  if (nul) return js_fail(w, at, "a key holding \\u0000 (a NUL byte)");
  if (js_add_key(w, obj, dst, *len, at) != 0) return -1;
  *end = w->i;
  w->i = js_ws(w->s, w->i, w->n);
  if (w->i >= w->n || w->s[w->i] != ':') return js_expected(w, w->i, "':'");
  w->i = js_ws(w->s, w->i + 1, w->n);
  return 0;
}

enum { JS_VALUE, JS_AFTER, JS_KEY };

/* An array or object at s[w->i] opens: w->i past the white space after
** it; the next state. */
static int js_open(js_walk *w, uint32_t *open, size_t *sp) {
  char c = w->s[w->i];
  w->out[w->o++] = c;
  w->i = js_ws(w->s, w->i + 1, w->n);
  open[(*sp)++] = c == '{' ? ++w->objs : 0;
  if (w->i < w->n && w->s[w->i] == (c == '{' ? '}' : ']')) {
    w->out[w->o++] = w->s[w->i++];
    (*sp)--;
    return JS_AFTER;
  }
  return c == '{' ? JS_KEY : JS_VALUE;
}

/* Past a value in the container open[sp - 1]: a comma or the close.  The
** next state, or -1 (w's error). */
static int js_after(js_walk *w, const uint32_t *open, size_t *sp) {
  int obj = open[*sp - 1] != 0;
  char close = obj ? '}' : ']';
  w->i = js_ws(w->s, w->i, w->n);
  char c = w->i < w->n ? w->s[w->i] : 0;
  if (c == ',') {
    w->out[w->o++] = ',';
    w->i = js_ws(w->s, w->i + 1, w->n);
    return obj ? JS_KEY : JS_VALUE;
  }
  if (c != close) return js_expected(w, w->i, obj ? "',' or '}'" : "',' or ']'");
  w->out[w->o++] = close;
  w->i++;
  (*sp)--;
  return JS_AFTER;
}

/* The value at s[w->i], depth levels deep (jansson's count: the line's
** value is 1), checked; its text less the white space outside strings is
** appended to w->out.  w->i past it.  0, or -1 (w's error). */
static int js_value(js_walk *w, size_t depth) {
  uint32_t open[JS_MAX_DEPTH + 1];  /* containers open: an object's id, 0 for an array */
  size_t sp = 0, at, len, end;
  int state = JS_VALUE;
  for (;;) {
    switch (state) {
    case JS_VALUE:
      if (depth + sp > JS_MAX_DEPTH)
        return js_fail(w, w->i, "nesting deeper than 2048 levels");
      if (w->i < w->n && (w->s[w->i] == '{' || w->s[w->i] == '[')) {
        state = js_open(w, open, &sp);
        break;
      }
      at = w->i;
      if (js_scalar(w) != 0) return -1;
      memcpy(w->out + w->o, w->s + at, w->i - at);
      w->o += w->i - at;
      state = JS_AFTER;
      break;
    case JS_AFTER:
      if (sp == 0) return 0;
      if ((state = js_after(w, open, &sp)) < 0) return -1;
      break;
    default:                        /* JS_KEY */
      at = w->i;
      if (js_key(w, open[sp - 1], w->keys + w->ko, &len, &end) != 0) return -1;
      w->ko += len + 1;
      memcpy(w->out + w->o, w->s + at, end - at);
      w->o += end - at;
      w->out[w->o++] = ':';
      state = JS_VALUE;
    }
  }
}

/* A top-level member's value at s[w->i] into m (type, text in w->out). */
static int js_member_value(js_walk *w, js_member *m) {
  size_t at = w->i, o = w->o;
  char c = at < w->n ? w->s[at] : 0;
  int nul = 0;
  if (c == '"') {
    m->type = 's';
    if (js_string(w, w->out + o, &m->len, &nul) != 0) return -1;
  } else if (c == '-' || js_isdigit(c)) {
    m->type = 'n';
    if (js_number(w) != 0) return -1;
    m->len = w->i - at;
    memcpy(w->out + o, w->s + at, m->len);
  } else if (c == '{' || c == '[') {
    m->type = 'j';
    if (js_value(w, 2) != 0) return -1;
    m->len = w->o - o;
  } else {
    if (js_literal(w, &m->val, &m->len) != 0) return js_expected(w, at, "a value");
    m->type = m->val[0] == 'n' ? 'z' : 'b';
    return 0;
  }
  m->val = w->out + o;
  w->out[o + m->len] = '\0';
  w->o = o + m->len + 1;
  return 0;
}

static int js_add_member(js_walk *w, const js_member *m) {
  if (w->nm == w->mcap) {
    size_t cap = w->mcap * 2;
    js_member *p = malloc(cap * sizeof *p);
    if (!p) return js_oom(w);
    memcpy(p, w->m, w->nm * sizeof *p);
    if (w->m != w->m0) free(w->m);
    w->m = p;
    w->mcap = cap;
  }
  w->m[w->nm++] = *m;
  return 0;
}

/* The top-level object at s[w->i], its members recorded. */
static int js_object(js_walk *w) {
  uint32_t obj = ++w->objs;
  w->i = js_ws(w->s, w->i + 1, w->n);
  if (w->i < w->n && w->s[w->i] == '}') { w->i++; return 0; }
  for (;;) {
    js_member m;
    size_t end;
    m.key = w->out + w->o;
    if (js_key(w, obj, w->out + w->o, &m.key_len, &end) != 0) return -1;
    w->o += m.key_len + 1;
    if (js_member_value(w, &m) != 0 || js_add_member(w, &m) != 0) return -1;
    w->i = js_ws(w->s, w->i, w->n);
    char c = w->i < w->n ? w->s[w->i] : 0;
    if (c == '}') { w->i++; return 0; }
    if (c != ',') return js_expected(w, w->i, "',' or '}'");
    w->i = js_ws(w->s, w->i + 1, w->n);
  }
}

static const char *js_type_name(char c) {
  return c == '[' ? "an array" : c == '"' ? "a string" : c == 't' || c == 'f'
       ? "a boolean" : c == 'n' ? "null" : "a number";
}

/* Walk the record: 0 (an object, its members in w->m), 1 (another JSON
** value: w->reason says which), or -1 (w's error). */
static int js_walk_record(js_walk *w) {
  size_t start = w->i = js_ws(w->s, 0, w->n);
  int is_obj = start < w->n && w->s[start] == '{';
  if ((is_obj ? js_object(w) : js_value(w, 1)) != 0) return -1;
  w->i = js_ws(w->s, w->i, w->n);
  if (w->i < w->n) return js_expected(w, w->i, "the end of the line");
  if (is_obj) return 0;
  snprintf(w->detail, sizeof w->detail, "expected a JSON object, got %s",
           js_type_name(w->s[start]));
  w->reason = w->detail;
  return 1;
}

int table_json_each(const char *rec, size_t n,
                    int (*fn)(void *ud, const table_value *v), void *ud,
                    char *why, size_t whylen) {
  const char *nul = memchr(rec, '\0', n);
  if (nul) {                        /* its own message: clearer */
    snprintf(why, whylen, "invalid JSON at byte %zu: a NUL byte",
             (size_t)(nul - rec) + 1);
    return -1;
  }
  js_walk w;
  w.s = rec;
  w.n = n;
  w.i = w.o = w.ko = w.nm = w.nkeys = w.err_at = 0;
  w.m = w.m0;
  w.mcap = sizeof w.m0 / sizeof w.m0[0];
  w.tab = w.tab0;
  w.tcap = sizeof w.tab0 / sizeof w.tab0[0];
  memset(w.tab0, 0, sizeof w.tab0);
  w.objs = 0;
  w.reason = NULL;
  w.oom = 0;
  /* every byte of text out comes from at least one byte in: n + 2 bytes
  ** hold the members' text and their NULs, n + 1 the nested keys */
  char *buf = malloc(2 * n + 3);
  if (!buf) {
    snprintf(why, whylen, "out of memory");
    return -2;
  }
  w.out = buf;
  w.keys = buf + n + 2;
  int rc = js_walk_record(&w);
  if (w.oom) {
    snprintf(why, whylen, "out of memory");
    rc = -2;
  } else if (rc == 1) {
    snprintf(why, whylen, "%s", w.reason);
    rc = -1;
  } else if (rc == -1) {
    snprintf(why, whylen, "invalid JSON at column %zu: %s", js_column(rec, w.err_at),
             w.reason);
  }
  for (size_t k = 0; rc == 0 && k < w.nm; k++) {
    const js_member *m = &w.m[k];
    table_value tv = { m->key, m->key_len, m->type, m->val, m->len };
    rc = fn(ud, &tv);
  }
  if (w.m != w.m0) free(w.m);
  if (w.tab != w.tab0) free(w.tab);
  free(buf);
  return rc;
}

/* ---------------------------------------------------------------------
** One string member (table_json_get): the walk above, stopped at the key.
*/

typedef struct js_get {
  const char *key;
  size_t key_len;
  char *out;
  size_t *len;
} js_get;

static int js_get_member(void *ud, const table_value *v) {
  js_get *g = ud;
  if (v->key_len != g->key_len || memcmp(v->key, g->key, v->key_len) != 0) return 0;
  if (v->type != 's') return 2;                     /* found, not a string */
  memcpy(g->out, v->val, v->len + 1);
  *g->len = v->len;
  return 1;
}

int table_json_get(const char *rec, size_t n, const char *key, size_t key_len,
                   char *out, size_t *len, char *why, size_t whylen) {
  js_get g = {key, key_len, out, len};
  *len = 0;
  out[0] = '\0';
  int rc = table_json_each(rec, n, js_get_member, &g, why, whylen);
  return rc == 1 ? 0 : rc < 0 ? rc : 1;
}
