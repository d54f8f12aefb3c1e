/*
** fuzz_table.c -- libFuzzer target for core/table.c.  The first byte picks
** the format and a piece size; the rest is a stream.  Checked: the same
** record ends (and lines, blank flags) whether the stream is fed whole, in
** 1-byte pieces or in pieces of the chosen size; records tile the stream,
** end at an LF (but the last) and start on the line the LFs before them
** say; every field span lies inside its record, copies are no longer than
** their spans, and fields written back as CSV/TSV split into the same
** values (one record to the scanner); JSON members have a known type,
** NUL-terminated text, numbers strtod reads whole, nested values jansson
** parses, and table_json_get finds each string member with the same bytes
** (and nothing for the other members).  And table_json_each against the
** jansson reference (tests/table_ref.h), on every record and on the whole
** input as one line: the same accept/reject, the same members (key, type,
** text) when accepted, fn never called when refused.  ASan/UBSan catch
** the rest.
**
**   ./fuzz_table -max_total_time=30 CORPUS_DIR tests/fuzz/table
*/
#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "table.h"
#include "table_ref.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(c) do { if (!(c)) abort(); } while (0)
#define MAX_FIELDS 64

typedef struct rec_t { uint64_t start, end, line; int blank; } rec_t;

/* Records of s[0..n) fed in pieces of `piece` bytes; *count of them. */
static rec_t *scan(table_format f, const char *s, size_t n, size_t piece,
                   size_t *count) {
  rec_t *r = malloc((n + 1) * sizeof *r);
  table_scan sc;
  size_t c = 0;
  if (!r) abort();
  table_scan_init(&sc, f);
  for (size_t at = 0; at < n;) {
    size_t len = n - at > piece ? piece : n - at;
    size_t k = table_scan_feed(&sc, s + at, len);
    if (k == TABLE_MORE) { at += len; continue; }
    CHECK(k >= 1 && k <= len && s[at + k - 1] == '\n');
    r[c++] = (rec_t){ sc.rec_start, sc.rec_end, sc.rec_line, sc.rec_blank };
    at += k;
  }
  if (table_scan_end(&sc))
    r[c++] = (rec_t){ sc.rec_start, sc.rec_end, sc.rec_line, sc.rec_blank };
  CHECK(table_scan_end(&sc) == 0);
  *count = c;
  return r;
}

static int same_rec(const rec_t *a, const rec_t *b) {
  return a->start == b->start && a->end == b->end && a->line == b->line &&
         a->blank == b->blank;
}

static int is_number_text(const char *s, size_t n) {
  char *end;
  if (n == 0) return 0;
  strtod(s, &end);
  return (size_t)(end - s) == n;
}

typedef struct line_t { const char *rec; size_t n; char *buf; } line_t;

static int check_member(void *ud, const table_value *v) {
  const line_t *l = ud;
  CHECK(v->key && v->val && v->val[v->len] == '\0');
  char why[64];
  size_t len = 99;
  int rc = table_json_get(l->rec, l->n, v->key, v->key_len, l->buf, &len, why,
                          sizeof why);
  CHECK(l->buf[len] == '\0');
  if (v->type == 's') CHECK(rc == 0 && len == v->len && !memcmp(l->buf, v->val, len));
  else CHECK(rc == 1 && len == 0);
  CHECK(strchr("snbzj", v->type) && v->type);
  if (v->type == 'n') CHECK(is_number_text(v->val, v->len));
  if (v->type == 'b') CHECK(!strcmp(v->val, "true") || !strcmp(v->val, "false"));
  if (v->type == 'z') CHECK(!strcmp(v->val, "null"));
  if (v->type == 'j') {
    json_error_t err;
    json_t *j = json_loadb(v->val, v->len, JSON_DECODE_ANY | JSON_ALLOW_NUL |
                           JSON_DECODE_INT_AS_REAL, &err);
    CHECK(j && (json_is_object(j) || json_is_array(j)));
    CHECK(!memchr(v->val, ' ', v->len) || memchr(v->val, '"', v->len));
    json_decref(j);
  }
  return 0;
}

/* table_json_each and the jansson reference agree on rec[0..n). */
static void check_json_diff(const char *rec, size_t n) {
  ref_flat a = {0}, b = {0};
  char wa[64], wb[64];
  int ra = table_json_each(rec, n, ref_flatten, &a, wa, sizeof wa);
  int rb = ref_json_each(rec, n, ref_flatten, &b, wb, sizeof wb);
  if (ra != -2 && rb != -2) {       /* out of memory: nothing to compare */
    CHECK(ra == rb && (ra == 0 || ra == -1));
    if (ra == 0) CHECK(a.len == b.len && (!a.len || !memcmp(a.p, b.p, a.len)));
    else CHECK(a.calls == 0 && strlen(wa) < sizeof wa);
  }
  free(a.p);
  free(b.p);
}

/* Write the values back in format f (CSV: all quoted) into out. */
static size_t write_back(table_format f, char **vals, const size_t *lens,
                         size_t nf, char *out) {
  size_t o = 0;
  for (size_t i = 0; i < nf; i++) {
    if (i) out[o++] = f == TABLE_CSV ? ',' : '\t';
    if (f == TABLE_CSV) out[o++] = '"';
    for (size_t k = 0; k < lens[i]; k++) {
      char c = vals[i][k];
      const char *e = c == '\t' ? "\\t" : c == '\n' ? "\\n" : c == '\r' ? "\\r"
                    : c == '\\' ? "\\\\" : NULL;
      if (f == TABLE_CSV && c == '"') out[o++] = '"';
      if (f == TABLE_TSV && e) { memcpy(out + o, e, 2); o += 2; }
      else out[o++] = c;
    }
    if (f == TABLE_CSV) out[o++] = '"';
  }
  return o;
}

static void check_fields(table_format f, const char *rec, size_t n) {
  table_field fl[MAX_FIELDS], fl2[MAX_FIELDS];
  char *vals[MAX_FIELDS];
  size_t lens[MAX_FIELDS], nf = 0, nf2 = 0, prev_end = 0;
  const char *why = NULL;
  if (table_split(f, rec, n, fl, MAX_FIELDS, &nf, &why) != 0) {
    CHECK(why && *why);
    return;
  }
  CHECK(nf >= 1 && nf <= MAX_FIELDS);
  for (size_t i = 0; i < nf; i++) {
    CHECK(fl[i].off >= prev_end && fl[i].off + fl[i].len <= n);
    prev_end = fl[i].off + fl[i].len;
    vals[i] = malloc(fl[i].len + 1);
    if (!vals[i]) abort();
    lens[i] = table_field_copy(f, rec, &fl[i], vals[i]);
    CHECK(lens[i] <= fl[i].len && vals[i][lens[i]] == '\0');
    if (!fl[i].escaped) CHECK(lens[i] == fl[i].len);
  }
  char *out = malloc(2 * n + 3 * nf + 2);
  if (!out) abort();
  size_t o = write_back(f, vals, lens, nf, out);
  CHECK(table_split(f, out, o, fl2, MAX_FIELDS, &nf2, &why) == 0 && nf2 == nf);
  for (size_t i = 0; i < nf; i++) {
    char *v = malloc(fl2[i].len + 1);
    if (!v) abort();
    size_t len = table_field_copy(f, out, &fl2[i], v);
    CHECK(len == lens[i] && !memcmp(v, vals[i], len));
    free(v);
    free(vals[i]);
  }
  out[o++] = '\n';                  /* one record to the scanner */
  table_scan sc;
  table_scan_init(&sc, f);
  CHECK(table_scan_feed(&sc, out, o) == o);
  free(out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size == 0) return 0;
  table_format f = (table_format)(data[0] % 3);
  size_t piece = (size_t)(data[0] / 3) % 17 + 2;
  size_t n = size - 1;
  char *s = malloc(n ? n : 1);      /* exactly n bytes, for ASan */
  if (!s) return 0;
  memcpy(s, data + 1, n);
  size_t c0, c1, c2;
  rec_t *whole = scan(f, s, n, n ? n : 1, &c0);
  rec_t *ones = scan(f, s, n, 1, &c1);
  rec_t *some = scan(f, s, n, piece, &c2);
  CHECK(c0 == c1 && c0 == c2);
  for (size_t i = 0; i < c0; i++) {
    CHECK(same_rec(&whole[i], &ones[i]));
    CHECK(same_rec(&whole[i], &some[i]));
  }
  uint64_t at = 0, lfs = 0;
  for (size_t i = 0; i < c0; i++) {
    const rec_t *r = &whole[i];
    CHECK(r->start == at && r->end > r->start && r->end <= n);
    CHECK(r->line == lfs + 1);
    CHECK(s[r->end - 1] == '\n' || (i == c0 - 1 && r->end == n));
    for (uint64_t k = r->start; k < r->end; k++) lfs += s[k] == '\n';
    at = r->end;
    const char *rec = s + r->start;
    size_t len = (size_t)(r->end - r->start);
    if (f != TABLE_JSONL) check_fields(f, rec, len);
    char why[64];
    line_t l = { rec, len, malloc(len + 1) };
    if (!l.buf) abort();
    int rc = table_json_each(rec, len, check_member, &l, why, sizeof why);
    CHECK(rc == 0 || ((rc == -1 || rc == -2) && strlen(why) < sizeof why));
    check_json_diff(rec, len);
    size_t got;                     /* any bytes: no crash, a valid answer */
    rc = table_json_get(rec, len, "text", 4, l.buf, &got, why, sizeof why);
    CHECK((rc == 0 && got <= len) || (rc == 1 && got == 0) || rc == -1);
    CHECK(l.buf[got] == '\0' || rc == -1);
    free(l.buf);
  }
  CHECK(at == n);
  check_json_diff(s, n);            /* LFs inside: white space to JSON */
  free(whole);
  free(ones);
  free(some);
  free(s);
  return 0;
}
