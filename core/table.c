/*
** table.c -- CSV, TSV and JSON-lines records (see table.h).
**
** The scanner's fast path is memchr: TSV and JSON lines look only for LF;
** CSV looks for the next quote and the next LF, keeping both positions
** between steps so that no byte is searched twice.
*/
#include "table.h"

#include <jansson.h>
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
** JSON lines
**
** jansson validates the record and decodes keys and strings; numbers and
** nested values are taken from the record's own text, walked in step with
** jansson's members (document order; duplicate keys are rejected, so the
** i-th member written is jansson's i-th).  Integers are parsed as reals
** (JSON_DECODE_INT_AS_REAL) so that no integer is "too big": only the
** text is used.  Every walk is bounded by n although jansson validated it.
*/

static size_t js_ws(const char *s, size_t i, size_t n) {
  while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' || s[i] == '\n'))
    i++;
  return i;
}

/* s[i] is a quote: the offset past the string's closing quote. */
static size_t js_string_end(const char *s, size_t i, size_t n) {
  for (i++; i < n; i++) {
    if (s[i] == '\\') i++;
    else if (s[i] == '"') return i + 1;
  }
  return n;
}

/* The offset past the value starting at s[i]. */
static size_t js_value_end(const char *s, size_t i, size_t n) {
  if (i >= n) return n;
  if (s[i] == '"') return js_string_end(s, i, n);
  if (s[i] == '{' || s[i] == '[') {
    size_t depth = 0;
    while (i < n) {
      char c = s[i];
      if (c == '"') { i = js_string_end(s, i, n); continue; }
      if (c == '{' || c == '[') depth++;
      else if ((c == '}' || c == ']') && --depth == 0) return i + 1;
      i++;
    }
    return n;
  }
  while (i < n && !strchr(",}] \t\r\n", s[i])) i++;   /* a number or literal */
  return i;
}

/* s[0..n) less the white space outside strings, into out. */
static size_t js_compact(const char *s, size_t n, char *out) {
  size_t o = 0;
  for (size_t i = 0; i < n;) {
    if (s[i] == '"') {
      size_t e = js_string_end(s, i, n);
      memcpy(out + o, s + i, e - i);
      o += e - i;
      i = e;
    } else {
      if (!strchr(" \t\r\n", s[i])) out[o++] = s[i];
      i++;
    }
  }
  out[o] = '\0';
  return o;
}

static const char *js_type_name(const json_t *v) {
  switch (json_typeof(v)) {
  case JSON_ARRAY: return "an array";
  case JSON_STRING: return "a string";
  case JSON_INTEGER: case JSON_REAL: return "a number";
  case JSON_TRUE: case JSON_FALSE: return "a boolean";
  case JSON_NULL: return "null";
  default: return "an object";
  }
}

/* Call fn for each member of obj, walking the text rec[0..n) beside it. */
static int js_members(json_t *obj, const char *rec, size_t n,
                      int (*fn)(void *, const table_value *), void *ud,
                      char *scratch) {
  size_t i = js_ws(rec, 0, n) + 1;  /* past the '{' */
  for (void *it = json_object_iter(obj); it; it = json_object_iter_next(obj, it)) {
    json_t *v = json_object_iter_value(it);
    i = js_ws(rec, i, n);
    i = js_string_end(rec, i, n);   /* the key */
    i = js_ws(rec, i, n) + 1;       /* the colon */
    i = js_ws(rec, i, n);
    if (i > n) i = n;
    size_t end = js_value_end(rec, i, n);
    table_value tv = { json_object_iter_key(it), json_object_iter_key_len(it),
                       0, NULL, 0 };
    switch (json_typeof(v)) {
    case JSON_STRING:
      tv.type = 's'; tv.val = json_string_value(v); tv.len = json_string_length(v);
      break;
    case JSON_INTEGER: case JSON_REAL:
      tv.type = 'n';
      memcpy(scratch, rec + i, end - i);
      scratch[end - i] = '\0';
      tv.val = scratch; tv.len = end - i;
      break;
    case JSON_TRUE: tv.type = 'b'; tv.val = "true"; tv.len = 4; break;
    case JSON_FALSE: tv.type = 'b'; tv.val = "false"; tv.len = 5; break;
    case JSON_NULL: tv.type = 'z'; tv.val = "null"; tv.len = 4; break;
    default:
      tv.type = 'j';
      tv.len = js_compact(rec + i, end - i, scratch);
      tv.val = scratch;
      break;
    }
    int r = fn(ud, &tv);
    if (r) return r;
    i = js_ws(rec, end, n) + 1;     /* past the comma */
  }
  return 0;
}

int table_json_each(const char *rec, size_t n,
                    int (*fn)(void *ud, const table_value *v), void *ud,
                    char *why, size_t whylen) {
  json_error_t err;
  const char *nul = memchr(rec, '\0', n);
  if (nul) {                        /* jansson would stop there as at the end */
    snprintf(why, whylen, "invalid JSON at byte %zu: a NUL byte",
             (size_t)(nul - rec) + 1);
    return -1;
  }
  json_t *root = json_loadb(rec, n, JSON_DECODE_ANY | JSON_DECODE_INT_AS_REAL |
                            JSON_ALLOW_NUL | JSON_REJECT_DUPLICATES, &err);
  if (!root) {
    if (json_error_code(&err) == json_error_out_of_memory) {
      snprintf(why, whylen, "out of memory");
      return -2;
    }
    snprintf(why, whylen, "invalid JSON at column %d: %s", err.column, err.text);
    return -1;
  }
  int rc = 0;
  char *scratch = NULL;
  if (!json_is_object(root)) {
    snprintf(why, whylen, "expected a JSON object, got %s", js_type_name(root));
    rc = -1;
  } else if (!(scratch = malloc(n + 1))) {
    snprintf(why, whylen, "out of memory");
    rc = -2;
  } else {
    rc = js_members(root, rec, n, fn, ud, scratch);
  }
  free(scratch);
  json_decref(root);
  return rc;
}

/* ---------------------------------------------------------------------
** One string member, fast (table_json_get): a top-level walk that decodes
** only the key it compares and the string it returns.
*/

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

/* \uXXXX at s[i] (the backslash), a surrogate pair as one: its UTF-8
** into out; *i past it.  0, or -1 and *why. */
static int js_unicode(const char *s, size_t *i, size_t n, char *out, size_t *o,
                      const char **why) {
  unsigned cp, lo;
  if (js_hex4(s, *i + 2, n, &cp) != 0) { *why = "a bad \\u escape"; return -1; }
  *i += 6;
  if (cp >= 0xDC00 && cp <= 0xDFFF) { *why = "a lone low surrogate"; return -1; }
  if (cp >= 0xD800 && cp <= 0xDBFF) {
    if (n - *i < 6 || s[*i] != '\\' || s[*i + 1] != 'u' ||
        js_hex4(s, *i + 2, n, &lo) != 0 || lo < 0xDC00 || lo > 0xDFFF) {
      *why = "a high surrogate without its low one";
      return -1;
    }
    *i += 6;
    cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
  }
  *o += js_put_utf8(cp, out + *o);
  return 0;
}

/* Decode the string at s[*i] (its opening quote) into out (NUL-terminated,
** *len bytes); *i past its closing quote.  0, or -1 and *why. */
static int js_decode(const char *s, size_t *i, size_t n, char *out, size_t *len,
                     const char **why) {
  size_t k = *i + 1, o = 0;
  for (;;) {
    size_t run = k;
    while (run < n && s[run] != '"' && s[run] != '\\' && (unsigned char)s[run] >= 0x20)
      run++;
    memcpy(out + o, s + k, run - k);
    o += run - k;
    k = run;
    if (k == n) { *why = "an unterminated string"; return -1; }
    if (s[k] == '"') break;
    if ((unsigned char)s[k] < 0x20) { *why = "a control character in a string"; return -1; }
    char e = k + 1 < n ? s[k + 1] : 0, r;
    switch (e) {
    case '"': r = '"'; break;
    case '\\': r = '\\'; break;
    case '/': r = '/'; break;
    case 'b': r = '\b'; break;
    case 'f': r = '\f'; break;
    case 'n': r = '\n'; break;
    case 'r': r = '\r'; break;
    case 't': r = '\t'; break;
    case 'u':
      if (js_unicode(s, &k, n, out, &o, why) != 0) return -1;
      continue;
    default: *why = "a bad escape"; return -1;
    }
    out[o++] = r;
    k += 2;
  }
  out[o] = '\0';
  *len = o;
  *i = k + 1;
  return 0;
}

static int js_get_fail(const char *reason, size_t at, char *why, size_t whylen) {
  snprintf(why, whylen, "invalid JSON at byte %zu: %s", at + 1, reason);
  return -1;
}

int table_json_get(const char *rec, size_t n, const char *key, size_t key_len,
                   char *out, size_t *len, char *why, size_t whylen) {
  const char *reason = NULL;
  size_t i = js_ws(rec, 0, n), klen;
  *len = 0;
  out[0] = '\0';
  if (i == n || rec[i] != '{') return js_get_fail("expected a JSON object", i, why, whylen);
  i = js_ws(rec, i + 1, n);
  if (i < n && rec[i] == '}') return 1;
  for (;;) {
    if (i == n || rec[i] != '"') return js_get_fail("expected a key", i, why, whylen);
    size_t at = i;
    if (js_decode(rec, &i, n, out, &klen, &reason) != 0)
      return js_get_fail(reason, at, why, whylen);
    int match = klen == key_len && memcmp(out, key, klen) == 0;
    i = js_ws(rec, i, n);
    if (i == n || rec[i] != ':') return js_get_fail("expected ':'", i, why, whylen);
    i = js_ws(rec, i + 1, n);
    if (match) {
      out[0] = '\0';
      if (i == n || rec[i] != '"') return 1;
      at = i;
      if (js_decode(rec, &i, n, out, len, &reason) != 0)
        return js_get_fail(reason, at, why, whylen);
      return 0;
    }
    size_t end = js_value_end(rec, i, n);
    if (end == i) return js_get_fail("expected a value", i, why, whylen);
    i = js_ws(rec, end, n);
    if (i < n && rec[i] == '}') { out[0] = '\0'; return 1; }
    if (i == n || rec[i] != ',') return js_get_fail("expected ',' or '}'", i, why, whylen);
    i = js_ws(rec, i + 1, n);
  }
}
