/*
** test_table.c -- CSV, TSV and JSON-lines records (core/table.c): record
** ends in a stream fed in pieces, fields, escapes, JSON members, and
** table_json_each beside jansson (tests/table_ref.h) on crafted, mutated
** and generated lines.
*/
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "table.h"
#include "table_ref.h"

#define LIT(s) s, sizeof(s) - 1

/* ---------------------------------------------------------------------
** Helpers
*/

typedef struct rec_t {
  uint64_t start, end, line;
  int blank;
} rec_t;

#define MAX_RECS 64

/* Scan s[0..n) fed in pieces of `piece` bytes (0: whole); records into
** out (the final one without a line end included); returns the count. */
static size_t scan_all(table_format f, const char *s, size_t n, size_t piece,
                       rec_t *out) {
  table_scan sc;
  size_t count = 0;
  table_scan_init(&sc, f);
  for (size_t at = 0; at < n;) {
    size_t len = piece && n - at > piece ? piece : n - at;
    size_t k = table_scan_feed(&sc, s + at, len);
    if (k == TABLE_MORE) { at += len; continue; }
    assert_true(k >= 1 && k <= len);
    assert_int_equal(s[at + k - 1], '\n');
    assert_true(count < MAX_RECS);
    out[count++] = (rec_t){ sc.rec_start, sc.rec_end, sc.rec_line, sc.rec_blank };
    at += k;
  }
  if (table_scan_end(&sc)) {
    assert_true(count < MAX_RECS);
    out[count++] = (rec_t){ sc.rec_start, sc.rec_end, sc.rec_line, sc.rec_blank };
  }
  assert_int_equal(table_scan_end(&sc), 0);       /* nothing left twice */
  return count;
}

static void same_recs(const rec_t *a, const rec_t *b, size_t count) {
  for (size_t i = 0; i < count; i++) {
    assert_int_equal(a[i].start, b[i].start);
    assert_int_equal(a[i].end, b[i].end);
    assert_int_equal(a[i].line, b[i].line);
    assert_int_equal(a[i].blank, b[i].blank);
  }
}

/* The same records whatever the pieces: whole, every size 1..n+1. */
static size_t scan_checked(table_format f, const char *s, size_t n, rec_t *out) {
  size_t count = scan_all(f, s, n, 0, out);
  for (size_t piece = 1; piece <= n + 1; piece++) {
    rec_t other[MAX_RECS];
    size_t c2 = scan_all(f, s, n, piece, other);
    assert_int_equal(c2, count);
    same_recs(other, out, count);
  }
  return count;
}

static void check_rec(const rec_t *r, uint64_t start, uint64_t end,
                      uint64_t line, int blank) {
  assert_int_equal(r->start, start);
  assert_int_equal(r->end, end);
  assert_int_equal(r->line, line);
  assert_int_equal(r->blank, blank);
}

/* Split s with up to 16 fields and copy them, joined by '|', into out. */
static int split_join(table_format f, const char *s, size_t n, char *out,
                      const char **why) {
  table_field fl[16];
  size_t nf = 99;
  *why = NULL;
  out[0] = '\0';
  int rc = table_split(f, s, n, fl, 16, &nf, why);
  if (rc != 0) {
    assert_non_null(*why);
    return rc;
  }
  size_t o = 0;
  for (size_t i = 0; i < nf; i++) {
    assert_true(fl[i].off + fl[i].len <= n);
    char *v = malloc(fl[i].len + 1);
    assert_non_null(v);
    size_t len = table_field_copy(f, s, &fl[i], v);
    assert_true(len <= fl[i].len);
    assert_int_equal(v[len], '\0');
    if (i) out[o++] = '|';
    memcpy(out + o, v, len);
    o += len;
    free(v);
  }
  out[o] = '\0';
  return (int)nf;
}

/* ---------------------------------------------------------------------
** Scanning
*/

static void scan_lf_records(void **state) {
  (void)state;
  rec_t r[MAX_RECS];
  static const char in[] = "a,b\nc,d\n";
  assert_int_equal(scan_checked(TABLE_CSV, LIT(in), r), 2);
  check_rec(&r[0], 0, 4, 1, 0);
  check_rec(&r[1], 4, 8, 2, 0);
}

static void scan_crlf_records(void **state) {
  (void)state;
  rec_t r[MAX_RECS];
  static const char in[] = "a,b\r\nc,d\r\n";
  for (int f = TABLE_CSV; f <= TABLE_JSONL; f++) {
    assert_int_equal(scan_checked((table_format)f, LIT(in), r), 2);
    check_rec(&r[0], 0, 5, 1, 0);
    check_rec(&r[1], 5, 10, 2, 0);
  }
}

static void scan_quoted_newlines(void **state) {
  (void)state;
  rec_t r[MAX_RECS];
  /* LF and CRLF inside quotes, a doubled quote before a newline */
  static const char in[] = "id,text\n1,\"one\ntwo\"\n2,\"x\r\ny\"\"\nz\"\r\n3,c\n";
  assert_int_equal(scan_checked(TABLE_CSV, LIT(in), r), 4);
  check_rec(&r[0], 0, 8, 1, 0);
  check_rec(&r[1], 8, 20, 2, 0);
  check_rec(&r[2], 20, 34, 4, 0);
  check_rec(&r[3], 34, 38, 7, 0);
  /* the same bytes as TSV and JSON lines: every LF ends a record */
  assert_int_equal(scan_checked(TABLE_TSV, LIT(in), r), 7);
  check_rec(&r[2], 15, 20, 3, 0);
  assert_int_equal(scan_checked(TABLE_JSONL, LIT(in), r), 7);
}

static void scan_line_counter(void **state) {
  (void)state;
  table_scan sc;
  static const char in[] = "\"a\n\n\nb\",c\nd\n";
  table_scan_init(&sc, TABLE_CSV);
  assert_int_equal(table_scan_feed(&sc, LIT(in)), 10);
  assert_int_equal(sc.lines, 4);
  assert_int_equal(sc.rec_line, 1);
  assert_int_equal(table_scan_feed(&sc, in + 10, 2), 2);
  assert_int_equal(sc.lines, 5);
  assert_int_equal(sc.rec_line, 5);
}

static void scan_final_record(void **state) {
  (void)state;
  rec_t r[MAX_RECS];
  static const char in[] = "a,b\nc,\"d\ne\"";
  assert_int_equal(scan_checked(TABLE_CSV, LIT(in), r), 2);
  check_rec(&r[1], 4, 11, 2, 0);
  static const char js[] = "{\"a\":1}\n{\"b\":2}";
  assert_int_equal(scan_checked(TABLE_JSONL, LIT(js), r), 2);
  check_rec(&r[1], 8, 15, 2, 0);
  /* nothing after the last LF: no final record */
  assert_int_equal(scan_checked(TABLE_TSV, LIT("x\ty\n"), r), 1);
  /* an empty stream has none */
  assert_int_equal(scan_checked(TABLE_CSV, "", 0, r), 0);
}

static void scan_blank_lines(void **state) {
  (void)state;
  rec_t r[MAX_RECS];
  static const char in[] = "\na\n\r\n \n\r";
  assert_int_equal(scan_checked(TABLE_CSV, LIT(in), r), 5);
  check_rec(&r[0], 0, 1, 1, 1);
  check_rec(&r[1], 1, 3, 2, 0);
  check_rec(&r[2], 3, 5, 3, 1);
  check_rec(&r[3], 5, 7, 4, 0);           /* a space is a CSV field */
  check_rec(&r[4], 7, 8, 5, 1);           /* a final lone CR */
  assert_int_equal(scan_checked(TABLE_TSV, LIT(in), r), 5);
  check_rec(&r[3], 5, 7, 4, 0);
  assert_int_equal(scan_checked(TABLE_JSONL, LIT(in), r), 5);
  check_rec(&r[3], 5, 7, 4, 1);           /* JSON white space is blank */
  assert_int_equal(scan_checked(TABLE_JSONL, LIT(" \t{}\n"), r), 1);
  check_rec(&r[0], 0, 5, 1, 0);
  /* a quoted empty field is not blank */
  assert_int_equal(scan_checked(TABLE_CSV, LIT("\"\"\n"), r), 1);
  check_rec(&r[0], 0, 3, 1, 0);
}

static void scan_quote_mid_field(void **state) {
  (void)state;
  rec_t r[MAX_RECS];
  /* a quote inside an unquoted field is data: the LF still ends it */
  static const char in[] = "5\" screen,x\nb\n";
  assert_int_equal(scan_checked(TABLE_CSV, LIT(in), r), 2);
  check_rec(&r[0], 0, 12, 1, 0);
  /* text after a closing quote, then a quote: not an opening one */
  static const char in2[] = "\"a\"b\"c\nd\n";
  assert_int_equal(scan_checked(TABLE_CSV, LIT(in2), r), 2);
  check_rec(&r[0], 0, 7, 1, 0);
  /* spaces before an opening quote: it still opens */
  static const char in3[] = "a,  \"b\nc\"\nd\n";
  assert_int_equal(scan_checked(TABLE_CSV, LIT(in3), r), 2);
  check_rec(&r[0], 0, 10, 1, 0);
  /* after a space run that follows a letter it does not */
  static const char in4[] = "a b \"c\nd\n";
  assert_int_equal(scan_checked(TABLE_CSV, LIT(in4), r), 2);
}

static void scan_unclosed_quote(void **state) {
  (void)state;
  rec_t r[MAX_RECS];
  static const char in[] = "a,b\n\"c,d\ne,f\n";
  assert_int_equal(scan_checked(TABLE_CSV, LIT(in), r), 2);
  check_rec(&r[1], 4, 13, 2, 0);
  const char *why;
  char out[64];
  assert_int_equal(split_join(TABLE_CSV, in + 4, 9, out, &why), -1);
  assert_string_equal(why, "unclosed quote");
}

static void scan_lone_cr(void **state) {
  (void)state;
  rec_t r[MAX_RECS];
  static const char in[] = "a\rb\rc\n";
  assert_int_equal(scan_checked(TABLE_CSV, LIT(in), r), 1);
  check_rec(&r[0], 0, 6, 1, 0);
}

/* Every input above and a few more, as one stream per format: 1-byte
** pieces and every two-piece cut give the same record ends. */
static void scan_every_cut(void **state) {
  (void)state;
  static const char in[] =
    "id,\"te,xt\"\r\n\n1,\"a\"\"\nb\"\r\n \"q\" ,\"\"\"\"\n\"open\r\n\nx\"y\nlast";
  size_t n = sizeof in - 1;
  for (int f = TABLE_CSV; f <= TABLE_JSONL; f++) {
    rec_t whole[MAX_RECS];
    size_t count = scan_checked((table_format)f, in, n, whole);
    assert_true(count >= 3);
    for (size_t cut = 0; cut <= n; cut++) {
      table_scan sc;
      rec_t got[MAX_RECS];
      size_t c = 0;
      table_scan_init(&sc, (table_format)f);
      size_t parts[2][2] = { { 0, cut }, { cut, n } };
      for (int p = 0; p < 2; p++) {
        size_t at = parts[p][0], end = parts[p][1];
        while (at < end) {
          size_t k = table_scan_feed(&sc, in + at, end - at);
          if (k == TABLE_MORE) break;
          got[c++] = (rec_t){ sc.rec_start, sc.rec_end, sc.rec_line, sc.rec_blank };
          at += k;
        }
      }
      if (table_scan_end(&sc))
        got[c++] = (rec_t){ sc.rec_start, sc.rec_end, sc.rec_line, sc.rec_blank };
      assert_int_equal(c, count);
      same_recs(got, whole, count);
    }
  }
}

/* A large stream with long quoted fields: record ends agree with a slow
** byte-by-byte reference of the same rules. */
static void scan_matches_reference(void **state) {
  (void)state;
  size_t n = 200000;
  char *s = malloc(n);
  assert_non_null(s);
  uint32_t x = 12345;
  static const char alphabet[] = "ab ,\"\n\r\"\n,x";
  for (size_t i = 0; i < n; i++) {
    x = x * 1103515245u + 12345u;
    s[i] = alphabet[(x >> 16) % (sizeof alphabet - 1)];
  }
  /* the reference: a quote opens at a field start, "" in quotes stays */
  size_t ends = 0, got = 0;
  int quoted = 0, fstart = 1;
  uint64_t *refs = malloc(n * sizeof *refs);
  assert_non_null(refs);
  for (size_t i = 0; i < n; i++) {
    char c = s[i];
    if (quoted) {
      if (c == '"') {
        if (i + 1 < n && s[i + 1] == '"') i++;
        else { quoted = 0; fstart = 0; }
      }
      continue;
    }
    if (c == '\n') { refs[ends++] = i + 1; fstart = 1; }
    else if (c == ',') fstart = 1;
    else if (c == '"') { quoted = fstart; fstart = 0; }
    else if (c != ' ' && c != '\t') fstart = 0;
  }
  size_t pieces[] = { n, 4096, 7, 1 };
  for (size_t p = 0; p < 4; p++) {
    table_scan sc;
    table_scan_init(&sc, TABLE_CSV);
    got = 0;
    for (size_t at = 0; at < n;) {
      size_t len = n - at > pieces[p] ? pieces[p] : n - at;
      size_t k = table_scan_feed(&sc, s + at, len);
      if (k == TABLE_MORE) { at += len; continue; }
      assert_true(got < ends);
      assert_int_equal(sc.rec_end, refs[got]);
      got++;
      at += k;
    }
    assert_int_equal(got, ends);
  }
  free(refs);
  free(s);
}

/* ---------------------------------------------------------------------
** CSV and TSV fields
*/

static void split_csv_plain(void **state) {
  (void)state;
  char out[256];
  const char *why;
  assert_int_equal(split_join(TABLE_CSV, LIT("a,bc,d e\n"), out, &why), 3);
  assert_string_equal(out, "a|bc|d e");
  assert_int_equal(split_join(TABLE_CSV, LIT("a,bc\r\n"), out, &why), 2);
  assert_string_equal(out, "a|bc");
  assert_int_equal(split_join(TABLE_CSV, LIT("a,bc\r"), out, &why), 2);
  assert_string_equal(out, "a|bc");
  assert_int_equal(split_join(TABLE_CSV, LIT("a,bc"), out, &why), 2);
  assert_string_equal(out, "a|bc");
  /* a lone CR inside is data */
  assert_int_equal(split_join(TABLE_CSV, LIT("a\rb,c\n"), out, &why), 2);
  assert_string_equal(out, "a\rb|c");
}

static void split_csv_quoted(void **state) {
  (void)state;
  char out[256];
  const char *why;
  table_field fl[4];
  size_t nf;
  static const char rec[] = "\"a, b\",\"say \"\"hi\"\"\",\"x\ny\r\nz\"\r\n";
  assert_int_equal(split_join(TABLE_CSV, LIT(rec), out, &why), 3);
  assert_string_equal(out, "a, b|say \"hi\"|x\ny\r\nz");
  assert_int_equal(table_split(TABLE_CSV, LIT(rec), fl, 4, &nf, &why), 0);
  assert_int_equal(nf, 3);
  assert_int_equal(fl[0].off, 1);         /* spans exclude the quotes */
  assert_int_equal(fl[0].len, 4);
  assert_int_equal(fl[0].escaped, 0);
  assert_int_equal(fl[1].escaped, 1);     /* doubled quotes to undo */
  assert_int_equal(fl[2].escaped, 0);
  /* only quotes */
  assert_int_equal(split_join(TABLE_CSV, LIT("\"\"\"\"\"\",\"\"\n"), out, &why), 2);
  assert_string_equal(out, "\"\"|");
}

static void split_csv_empty_fields(void **state) {
  (void)state;
  char out[256];
  const char *why;
  assert_int_equal(split_join(TABLE_CSV, LIT(",,\n"), out, &why), 3);
  assert_string_equal(out, "||");
  assert_int_equal(split_join(TABLE_CSV, LIT("a,\n"), out, &why), 2);
  assert_string_equal(out, "a|");
  assert_int_equal(split_join(TABLE_CSV, LIT(",\"\"\n"), out, &why), 2);
  assert_string_equal(out, "|");
  assert_int_equal(split_join(TABLE_CSV, LIT("\n"), out, &why), 1);
  assert_string_equal(out, "");
  assert_int_equal(split_join(TABLE_CSV, "", 0, out, &why), 1);
}

static void split_csv_spaces(void **state) {
  (void)state;
  char out[256];
  const char *why;
  /* around quoted fields spaces and tabs go; unquoted fields keep theirs */
  assert_int_equal(split_join(TABLE_CSV, LIT(" \"a, b\" ,\t\"c\"\t, d \n"), out, &why), 3);
  assert_string_equal(out, "a, b|c| d ");
  assert_int_equal(split_join(TABLE_CSV, LIT("  ,\n"), out, &why), 2);
  assert_string_equal(out, "  |");
}

static void split_csv_malformed(void **state) {
  (void)state;
  char out[256];
  const char *why;
  assert_int_equal(split_join(TABLE_CSV, LIT("a,5\" screen\n"), out, &why), -1);
  assert_string_equal(why, "a quote inside an unquoted field");
  assert_int_equal(split_join(TABLE_CSV, LIT("a,\"b\"c\n"), out, &why), -1);
  assert_string_equal(why, "text after a closing quote");
  assert_int_equal(split_join(TABLE_CSV, LIT("\"b\" \"c\"\n"), out, &why), -1);
  assert_string_equal(why, "text after a closing quote");
  assert_int_equal(split_join(TABLE_CSV, LIT("a,\"b\n"), out, &why), -1);
  assert_string_equal(why, "unclosed quote");
  assert_int_equal(split_join(TABLE_CSV, LIT("a,\"b\"\"\n"), out, &why), -1);
  assert_string_equal(why, "unclosed quote");
  assert_int_equal(split_join(TABLE_CSV, LIT("\""), out, &why), -1);
  assert_string_equal(why, "unclosed quote");
}

static void split_field_limit(void **state) {
  (void)state;
  table_field fl[3];
  size_t nf = 0;
  const char *why = NULL;
  assert_int_equal(table_split(TABLE_CSV, LIT("a,b,c\n"), fl, 3, &nf, &why), 0);
  assert_int_equal(nf, 3);
  assert_int_equal(table_split(TABLE_CSV, LIT("a,b,c,d\n"), fl, 3, &nf, &why), -1);
  assert_string_equal(why, "more fields than the limit");
  assert_int_equal(table_split(TABLE_CSV, LIT("a,b,c,\n"), fl, 3, &nf, &why), -1);
  assert_int_equal(table_split(TABLE_TSV, LIT("a\tb\tc\n"), fl, 3, &nf, &why), 0);
  assert_int_equal(nf, 3);
  why = NULL;
  assert_int_equal(table_split(TABLE_TSV, LIT("a\tb\tc\t\n"), fl, 3, &nf, &why), -1);
  assert_string_equal(why, "more fields than the limit");
  assert_int_equal(table_split(TABLE_TSV, LIT("a"), fl, 0, &nf, &why), -1);
}

static void split_tsv_escapes(void **state) {
  (void)state;
  char out[256];
  const char *why;
  assert_int_equal(split_join(TABLE_TSV, LIT("a\\tb\tc\\nd\\re\tf\\\\g\n"), out, &why), 3);
  assert_string_equal(out, "a\tb|c\nd\re|f\\g");
  /* unknown escapes and a final backslash stay as written */
  assert_int_equal(split_join(TABLE_TSV, LIT("\\N\t\\x41\tend\\\r\n"), out, &why), 3);
  assert_string_equal(out, "\\N|\\x41|end\\");
  /* \\t is a backslash then t, not a tab */
  assert_int_equal(split_join(TABLE_TSV, LIT("\\\\t\n"), out, &why), 1);
  assert_string_equal(out, "\\t");
  /* quotes are data, empty fields kept */
  assert_int_equal(split_join(TABLE_TSV, LIT("\"a\"\t\t\"\n"), out, &why), 3);
  assert_string_equal(out, "\"a\"||\"");
  table_field fl[2];
  size_t nf;
  assert_int_equal(table_split(TABLE_TSV, LIT("ab\tc\\n"), fl, 2, &nf, &why), 0);
  assert_int_equal(fl[0].escaped, 0);
  assert_int_equal(fl[1].escaped, 1);
  assert_int_equal(fl[1].off, 3);
  assert_int_equal(fl[1].len, 3);
}

static void split_jsonl_refused(void **state) {
  (void)state;
  table_field fl[2];
  size_t nf;
  const char *why = NULL;
  assert_int_equal(table_split(TABLE_JSONL, LIT("{}"), fl, 2, &nf, &why), -1);
  assert_string_equal(why, "JSON lines have no fields");
}

/* A value with every special byte written as CSV and TSV and read back. */
static void split_round_trip(void **state) {
  (void)state;
  static const char val[] = "a,\"b\"\t\\n\r\n\\\\x \"";
  char csv[128], tsv[128], out[128];
  size_t c = 0, t = 0;
  csv[c++] = '"';
  for (size_t i = 0; i < sizeof val - 1; i++) {
    char ch = val[i];
    if (ch == '"') csv[c++] = '"';
    csv[c++] = ch;
    const char *e = ch == '\t' ? "\\t" : ch == '\n' ? "\\n" : ch == '\r' ? "\\r"
                  : ch == '\\' ? "\\\\" : NULL;
    if (e) { memcpy(tsv + t, e, 2); t += 2; }
    else tsv[t++] = ch;
  }
  csv[c++] = '"';
  const char *why;
  assert_int_equal(split_join(TABLE_CSV, csv, c, out, &why), 1);
  assert_string_equal(out, val);
  assert_int_equal(split_join(TABLE_TSV, tsv, t, out, &why), 1);
  assert_string_equal(out, val);
}

/* ---------------------------------------------------------------------
** JSON lines
*/

typedef struct seen_t {
  size_t count, stop_at;
  char text[1024];
  size_t o;
} seen_t;

/* Appends "key=type:value;" for each member (NUL shown as \0). */
static int collect(void *ud, const table_value *v) {
  seen_t *s = ud;
  assert_int_equal(v->val[v->len], '\0');
  s->o += (size_t)snprintf(s->text + s->o, sizeof s->text - s->o, "%.*s=%c:",
                           (int)v->key_len, v->key, v->type);
  for (size_t i = 0; i < v->len && s->o + 3 < sizeof s->text; i++) {
    if (v->val[i] == '\0') { memcpy(s->text + s->o, "\\0", 2); s->o += 2; }
    else s->text[s->o++] = v->val[i];
  }
  s->text[s->o++] = ';';
  s->text[s->o] = '\0';
  return ++s->count == s->stop_at ? 7 : 0;
}

static int json_text(const char *rec, size_t n, seen_t *s, char *why) {
  memset(s, 0, sizeof *s);
  return table_json_each(rec, n, collect, s, why, 200);
}

static void json_types(void **state) {
  (void)state;
  seen_t s;
  char why[200];
  static const char rec[] =
    "{\"s\": \"a\\\"b\\\\c\\n\\u00e9\\ud83d\\ude00\", \"i\": 42, \"neg\": -0,"
    " \"big\": 123456789012345678901234567890, \"r\": 1.50, \"e\": 1E+3,"
    " \"t\": true, \"f\": false, \"z\": null,"
    " \"arr\": [1, 2.0, \"x y\", {\"k\" : [ ]}], \"obj\": { \"a\\n\" : \"b c\" }}\r\n";
  assert_int_equal(json_text(LIT(rec), &s, why), 0);
  assert_string_equal(s.text,
    "s=s:a\"b\\c\n\xC3\xA9\xF0\x9F\x98\x80;i=n:42;neg=n:-0;"
    "big=n:123456789012345678901234567890;r=n:1.50;e=n:1E+3;"
    "t=b:true;f=b:false;z=z:null;"
    "arr=j:[1,2.0,\"x y\",{\"k\":[]}];obj=j:{\"a\\n\":\"b c\"};");
  assert_int_equal(s.count, 11);
}

static void json_order_and_keys(void **state) {
  (void)state;
  seen_t s;
  char why[200];
  /* document order, not sorted; escaped keys decoded */
  assert_int_equal(json_text(LIT("{\"z\":1,\"a\":2,\"m\\u0041\":3,\"\":4}"), &s, why), 0);
  assert_string_equal(s.text, "z=n:1;a=n:2;mA=n:3;=n:4;");
  assert_int_equal(json_text(LIT("{}"), &s, why), 0);
  assert_int_equal(s.count, 0);
  /* nested strings with braces and escaped quotes do not confuse the walk */
  assert_int_equal(json_text(LIT("{\"a\":{\"b\":\"}\\\"]\"},\"c\":\"d\"}"), &s, why), 0);
  assert_string_equal(s.text, "a=j:{\"b\":\"}\\\"]\"};c=s:d;");
}

static void json_nul_in_string(void **state) {
  (void)state;
  seen_t s;
  char why[200];
  assert_int_equal(json_text(LIT("{\"t\":\"a\\u0000b\"}"), &s, why), 0);
  assert_string_equal(s.text, "t=s:a\\0b;");
}

static void json_stop(void **state) {
  (void)state;
  seen_t s;
  char why[200];
  memset(&s, 0, sizeof s);
  s.stop_at = 2;
  assert_int_equal(table_json_each(LIT("{\"a\":1,\"b\":2,\"c\":3}"), collect, &s,
                                   why, sizeof why), 7);
  assert_int_equal(s.count, 2);
  assert_string_equal(s.text, "a=n:1;b=n:2;");
}

static void json_errors(void **state) {
  (void)state;
  seen_t s;
  char why[200];
  assert_int_equal(json_text(LIT("[1,2]"), &s, why), -1);
  assert_string_equal(why, "expected a JSON object, got an array");
  assert_int_equal(json_text(LIT("\"text\""), &s, why), -1);
  assert_string_equal(why, "expected a JSON object, got a string");
  assert_int_equal(json_text(LIT("3"), &s, why), -1);
  assert_string_equal(why, "expected a JSON object, got a number");
  assert_int_equal(json_text(LIT("null"), &s, why), -1);
  assert_string_equal(why, "expected a JSON object, got null");
  assert_int_equal(json_text(LIT("{\"a\":1} x"), &s, why), -1);      /* trailing */
  assert_string_equal(why, "invalid JSON at column 9: expected the end of the line, got 'x'");
  assert_int_equal(json_text(LIT("{\"a\":1}{}"), &s, why), -1);
  assert_string_equal(why, "invalid JSON at column 8: expected the end of the line, got '{'");
  assert_int_equal(json_text(LIT("{\"a\": [1, 2"), &s, why), -1);    /* truncated */
  assert_string_equal(why, "invalid JSON at column 12: expected ',' or ']', got the end of the line");
  assert_int_equal(json_text(LIT("{\"a\": \"b"), &s, why), -1);
  assert_string_equal(why, "invalid JSON at column 7: an unterminated string");
  assert_int_equal(json_text(LIT("{\"a\":1,\"a\":2}"), &s, why), -1); /* duplicate */
  assert_string_equal(why, "invalid JSON at column 8: duplicate object key \"a\"");
  assert_int_equal(json_text(LIT("{\"a\":{\"b\":1,\"b\":1}}"), &s, why), -1);
  assert_string_equal(why, "invalid JSON at column 13: duplicate object key \"b\"");
  assert_int_equal(json_text(LIT("{\"a\":1e999}"), &s, why), -1);     /* overflow */
  assert_string_equal(why, "invalid JSON at column 6: a number beyond a double's range (overflow)");
  assert_int_equal(json_text(LIT("{\"a\":\"\xff\"}"), &s, why), -1);  /* not UTF-8 */
  assert_int_equal(json_text(LIT("{\"a\":\"x\ty\"}"), &s, why), -1);  /* control */
  assert_int_equal(json_text(LIT("{\"a\":1}\0{\"b\""), &s, why), -1); /* raw NUL */
  assert_string_equal(why, "invalid JSON at byte 8: a NUL byte");
  assert_int_equal(json_text(LIT("{\"a\\u0000\":1}"), &s, why), -1);  /* NUL key */
  assert_string_equal(why, "invalid JSON at column 2: a key holding \\u0000 (a NUL byte)");
  assert_int_equal(json_text(LIT("   "), &s, why), -1);
  assert_int_equal(json_text(LIT("{'a':1}"), &s, why), -1);
  assert_int_equal(s.count, 0);                       /* fn never ran */
  /* the message is cut to fit */
  char small[12];
  assert_int_equal(table_json_each(LIT("[1]"), collect, &s, small, sizeof small), -1);
  assert_string_equal(small, "expected a ");
}

/* table_json_get(rec, key) into out: its return, out holding the value. */
static int get(const char *rec, size_t n, const char *key, char *out,
               size_t *len, char *why) {
  assert_true(n < 512);
  return table_json_get(rec, n, key, strlen(key), out, len, why, 200);
}

static void json_get_string(void **state) {
  (void)state;
  char out[512], why[200];
  size_t len;
  static const char rec[] =
    "{\"meta\": {\"text\": \"inner\", \"a\": [\"}\", \"\\\"]\"]}, \"n\": -1.5e3,"
    " \"m\\u0041\": \"key\", \"text\": \"q\\\" \\\\ \\/\\b\\f\\n\\r\\t"
    "\\u00e9\\ud83d\\ude00\\u0000end\"}\r\n";
  assert_int_equal(get(LIT(rec), "text", out, &len, why), 0);
  static const char want[] = "q\" \\ /\b\f\n\r\t\xC3\xA9\xF0\x9F\x98\x80\0end";
  assert_int_equal(len, sizeof want - 1);
  assert_memory_equal(out, want, len);
  assert_int_equal(out[len], '\0');
  /* keys are compared decoded */
  assert_int_equal(get(LIT(rec), "mA", out, &len, why), 0);
  assert_string_equal(out, "key");
  /* the same as table_json_each on every string member */
  seen_t s;
  assert_int_equal(json_text(LIT(rec), &s, why), 0);
  assert_non_null(strstr(s.text, "text=s:q\" \\ /\b\f\n\r\t\xC3\xA9\xF0\x9F\x98\x80\\0end;"));
}

static void json_get_missing(void **state) {
  (void)state;
  char out[512], why[200];
  size_t len = 99;
  static const char rec[] = "{\"a\": {\"text\": \"x\"}, \"n\": 3, \"t\": true, \"l\": [\"text\"]}";
  assert_int_equal(get(LIT(rec), "text", out, &len, why), 1);   /* nested only */
  assert_int_equal(len, 0);
  assert_string_equal(out, "");
  assert_int_equal(get(LIT(rec), "n", out, &len, why), 1);      /* not a string */
  assert_string_equal(out, "");
  assert_int_equal(get(LIT(rec), "a", out, &len, why), 1);
  assert_int_equal(get(LIT("{}"), "a", out, &len, why), 1);
  assert_int_equal(get(LIT(" { } "), "a", out, &len, why), 1);
}

static int json_ignore(void *ud, const table_value *v) {
  (void)ud;
  (void)v;
  return 0;
}

/* table_json_get is table_json_each stopped at its member: a malformed
** line is -1 with table_json_each's message, wherever the fault lies
** (before, in or after the member). */
static void json_get_errors(void **state) {
  (void)state;
  static const char *const bad[] = {
    "[\"text\"]", "{\"text\": \"\\udc00\"}", "{\"text\": \"\\ud800x\"}",
    "{\"text\": \"\\ud800\\u0041\"}", "{\"text\": \"\\u12G4\"}",
    "{\"text\": \"a\\x\"}", "{\"text\": \"a\tb\"}", "{\"text\": \"abc",
    "{\"a\" 1}", "{\"a\": 1 \"text\": \"x\"}", "{\"text\": \"x\"} trailing",
    "{\"text\": \"x\", \"text\": \"y\"}", "{\"text\": \"x\", \"b\": [1, }",
    NULL};
  char out[512], why[200], want[200];
  size_t len;
  for (size_t k = 0; bad[k]; k++) {
    size_t n = strlen(bad[k]);
    assert_int_equal(table_json_each(bad[k], n, json_ignore, NULL, want, sizeof want), -1);
    assert_int_equal(get(bad[k], n, "text", out, &len, why), -1);
    assert_string_equal(why, want);
    assert_int_equal(len, 0);
  }
}

/* ---------------------------------------------------------------------
** table_json_each against jansson (tests/table_ref.h): the same lines
** accepted, the same members (key, type, text) on those; fn never runs
** on a line either refuses.
*/

static size_t diff_cases, diff_accepted;

/* Compare on rec[0..n); returns table_json_each's answer (0 or -1). */
static int diff_one(const char *rec, size_t n) {
  ref_flat a = {0}, b = {0};
  char wa[200], wb[200];
  int ra = table_json_each(rec, n, ref_flatten, &a, wa, sizeof wa);
  int rb = ref_json_each(rec, n, ref_flatten, &b, wb, sizeof wb);
  int same = ra == rb && (ra != 0 || (a.len == b.len && (!a.len || !memcmp(a.p, b.p, a.len))))
          && (ra == 0 || a.calls == 0);
  if (!same) {
    fprintf(stderr, "differs on %zu bytes: \"", n);
    for (size_t i = 0; i < n && i < 300; i++) {
      unsigned char c = (unsigned char)rec[i];
      if (c >= 0x20 && c < 0x7F && c != '\\') fputc(c, stderr);
      else fprintf(stderr, "\\x%02X", c);
    }
    fprintf(stderr, "\"\n  table_json_each %d (%s)\n  jansson %d (%s)\n", ra,
            ra ? wa : "", rb, rb ? wb : "");
  }
  free(a.p);
  free(b.p);
  assert_true(same);
  assert_true(ra == 0 || ra == -1);
  if (ra == -1)
    assert_true(!strncmp(wa, "invalid JSON at column ", 23) ||
                !strncmp(wa, "invalid JSON at byte ", 21) ||
                !strncmp(wa, "expected a JSON object, got ", 28));
  diff_cases++;
  diff_accepted += ra == 0;
  return ra;
}

#define DIFF(s, want) assert_int_equal(diff_one(LIT(s)), want)

static void json_diff_cases(void **state) {
  (void)state;
  /* numbers: the grammar, the range (2^1024 - 2^970 is the first overflow) */
  DIFF("{\"a\":0,\"b\":-0,\"c\":0.5,\"d\":-1.25e-3,\"e\":1E+2,\"f\":2e-0}", 0);
  DIFF("{\"a\":123456789012345678901234567890123456789}", 0);
  DIFF("{\"a\":1e308,\"b\":-1.7976931348623157e308,\"c\":1.7976931348623158e308}", 0);
  DIFF("{\"a\":1.7976931348623159e308}", -1);
  DIFF("{\"a\":-1.7976931348623159e308}", -1);
  DIFF("{\"a\":1e309}", -1);
  DIFF("{\"a\":0.1e309}", 0);
  DIFF("{\"a\":0.01e310}", 0);
  DIFF("{\"a\":0.01e311}", -1);
  DIFF("{\"a\":0.000e99999999999999999999}", 0);
  DIFF("{\"a\":1e-99999999999999999999,\"b\":1e-400,\"c\":-4.9e-324}", 0);
  DIFF("{\"a\":1e99999999999999999999}", -1);
  DIFF("{\"a\":179769313486231580793728971405303415079934132710037826936173778980444968292764750946649017977587207096330286416692887910946555547851940402630657488671505820681908902000708383676273854845817711531764475730270069855571366959622842914819860834936475292719074168444365510704342711559699508093042880177904174497791}", 0);
  DIFF("{\"a\":179769313486231580793728971405303415079934132710037826936173778980444968292764750946649017977587207096330286416692887910946555547851940402630657488671505820681908902000708383676273854845817711531764475730270069855571366959622842914819860834936475292719074168444365510704342711559699508093042880177904174497791.999999}", 0);
  DIFF("{\"a\":179769313486231580793728971405303415079934132710037826936173778980444968292764750946649017977587207096330286416692887910946555547851940402630657488671505820681908902000708383676273854845817711531764475730270069855571366959622842914819860834936475292719074168444365510704342711559699508093042880177904174497792}", -1);
  DIFF("{\"a\":1.79769313486231580793728971405303415079934132710037826936173778980444968292764750946649017977587207096330286416692887910946555547851940402630657488671505820681908902000708383676273854845817711531764475730270069855571366959622842914819860834936475292719074168444365510704342711559699508093042880177904174497792e308}", -1);
  DIFF("{\"a\":0.000179769313486231580793728971405303415079934132710037826936173778980444968292764750946649017977587207096330286416692887910946555547851940402630657488671505820681908902000708383676273854845817711531764475730270069855571366959622842914819860834936475292719074168444365510704342711559699508093042880177904174497791e312}", 0);
  DIFF("{\"a\":01}", -1);
  DIFF("{\"a\":-01}", -1);
  DIFF("{\"a\":1.}", -1);
  DIFF("{\"a\":.5}", -1);
  DIFF("{\"a\":1e}", -1);
  DIFF("{\"a\":1e+}", -1);
  DIFF("{\"a\":-}", -1);
  DIFF("{\"a\":+1}", -1);
  DIFF("{\"a\":1.5.2}", -1);
  DIFF("{\"a\":0x10}", -1);
  DIFF("{\"a\":NaN}", -1);
  DIFF("{\"a\":1true}", -1);
  /* literals */
  DIFF("{\"a\":true,\"b\":false,\"c\":null,\"d\":[true,false,null]}", 0);
  DIFF("{\"a\":tru}", -1);
  DIFF("{\"a\":truex}", -1);
  DIFF("{\"a\":nul}", -1);
  DIFF("{\"a\":True}", -1);
  /* strings: escapes, surrogates, UTF-8, control characters */
  DIFF("{\"a\":\"\\\"\\\\\\/\\b\\f\\n\\r\\t\\u0041\\u00e9\\u20AC\\ud83d\\ude00\\u0000\"}", 0);
  DIFF("{\"a\":[\"\\ud83d\\ude00\",\"\\u0000\"]}", 0);
  DIFF("{\"a\":\"\\ud83d\"}", -1);
  DIFF("{\"a\":\"\\ude00\"}", -1);
  DIFF("{\"a\":\"\\ud83d\\u0041\"}", -1);
  DIFF("{\"a\":\"\\ud83dx\"}", -1);
  DIFF("{\"a\":[\"\\ud83d\"]}", -1);
  DIFF("{\"a\":\"\\u12\"}", -1);
  DIFF("{\"a\":\"\\u12g4\"}", -1);
  DIFF("{\"a\":\"\\x\"}", -1);
  DIFF("{\"a\":\"\\'\"}", -1);
  DIFF("{\"a\":\"\\", -1);
  DIFF("{\"a\":\"\x7F\"}", 0);
  DIFF("{\"a\":\"\x1F\"}", -1);
  DIFF("{\"a\":[\"\x01\"]}", -1);
  DIFF("{\"a\":\"\xC2\x80\xDF\xBF\xE0\xA0\x80\xED\x9F\xBF\xEE\x80\x80\xEF\xBF\xBF"
       "\xF0\x90\x80\x80\xF4\x8F\xBF\xBF\"}", 0);
  DIFF("{\"a\":\"\xC0\x80\"}", -1);
  DIFF("{\"a\":\"\xC1\xBF\"}", -1);
  DIFF("{\"a\":\"\xE0\x9F\xBF\"}", -1);
  DIFF("{\"a\":\"\xED\xA0\x80\"}", -1);
  DIFF("{\"a\":\"\xF0\x8F\xBF\xBF\"}", -1);
  DIFF("{\"a\":\"\xF4\x90\x80\x80\"}", -1);
  DIFF("{\"a\":\"\xF5\x80\x80\x80\"}", -1);
  DIFF("{\"a\":\"\x80\"}", -1);
  DIFF("{\"a\":\"\xC3\"}", -1);
  DIFF("{\"a\":\"\xE2\x82\"}", -1);
  DIFF("{\"a\":[\"\xE2\x82\"]}", -1);
  DIFF("{\"\xC3\xA9\":1,\"a\":\"\xE2\x82\xAC\"}", 0);
  DIFF("{\"a\":\"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\xE2\x82\xAC"
       "yyyyyyyyyyyyyyy\\nzzzzzzzzzzzzzzzzzzzzzzzzz\"}", 0);
  DIFF("{\"a\":\"xxxxxxxxxxxxxxxx", -1);
  DIFF("{\xC3\xA9:1}", -1);
  DIFF("{\"a\":1} \xC3\xA9", -1);
  /* keys: duplicates compared decoded, in every object, not across objects */
  DIFF("{\"a\":1,\"\\u0061\":2}", -1);
  DIFF("{\"a\":{\"b\":1,\"c\":{\"b\":2,\"a\":3}},\"b\":[{\"b\":1},{\"b\":2}]}", 0);
  DIFF("{\"a\":[{\"b\":1,\"c\":2,\"b\":3}]}", -1);
  DIFF("{\"a\":{\"x\":{},\"y\":{},\"x\":1}}", -1);
  DIFF("{\"\":1,\"\":2}", -1);
  DIFF("{\"a\\u0000\":1}", -1);
  DIFF("{\"a\":{\"\\u0000\":1}}", -1);
  DIFF("{\"a\":{\"b\\u0000c\":1}}", -1);
  DIFF("{\"\\u00e9\":1,\"\xC3\xA9\":2}", -1);
  /* grammar and white space */
  DIFF(" \t{ \"a\" : [ 1 , { \"b\" : \"c d\" } , [ ] , { } ] , \"e\" : { } }\r\n", 0);
  DIFF("{}", 0);
  DIFF("{ }\n", 0);
  DIFF("{", -1);
  DIFF("{\"a\"}", -1);
  DIFF("{\"a\":}", -1);
  DIFF("{\"a\":1,}", -1);
  DIFF("{\"a\":[1,]}", -1);
  DIFF("{\"a\":[,1]}", -1);
  DIFF("{,}", -1);
  DIFF("{\"a\":1 \"b\":2}", -1);
  DIFF("{\"a\":[1 2]}", -1);
  DIFF("{\"a\":{\"b\"}}", -1);
  DIFF("{\"a\":{1:2}}", -1);
  DIFF("{\"a\":1}}", -1);
  DIFF("{\"a\":[}", -1);
  DIFF("{\"a\":{]}", -1);
  DIFF("{\"a\":1}\x0b", -1);
  DIFF("{\"a\":1}\f", -1);
  DIFF("\xEF\xBB\xBF{\"a\":1}", -1);
  DIFF("{\"a\":1}/", -1);
  DIFF("", -1);
  DIFF("   ", -1);
  DIFF("[1,2]", -1);
  DIFF("[1,2", -1);
  DIFF("\"x\"", -1);
  DIFF("-1", -1);
  DIFF("true", -1);
  DIFF("null", -1);
  DIFF("[{\"a\":1,\"a\":2}]", -1);
  DIFF("{\"a\":1}\0", -1);
  DIFF("{\"a\":\"\0\"}", -1);
}

/* s (a buffer of at least 2 * levels + 32 bytes): {"a": levels arrays
** deep, holding inner}.  Its length. */
static size_t deep(char *s, size_t levels, const char *inner) {
  size_t o = (size_t)sprintf(s, "{\"a\":");
  for (size_t i = 0; i < levels; i++) s[o++] = '[';
  o += (size_t)sprintf(s + o, "%s", inner);
  for (size_t i = 0; i < levels; i++) s[o++] = ']';
  s[o++] = '}';
  return o;
}

static void json_diff_depth(void **state) {
  (void)state;
  char *s = malloc(2 * 2100 + 64);
  assert_non_null(s);
  /* the line's object is level 1: 2047 arrays under it reach 2048 */
  assert_int_equal(diff_one(s, deep(s, 2047, "")), 0);
  assert_int_equal(diff_one(s, deep(s, 2046, "1")), 0);
  assert_int_equal(diff_one(s, deep(s, 2047, "1")), -1);
  assert_int_equal(diff_one(s, deep(s, 2048, "")), -1);
  assert_int_equal(diff_one(s, deep(s, 2046, "{}")), 0);
  assert_int_equal(diff_one(s, deep(s, 2047, "{}")), -1);
  assert_int_equal(diff_one(s, deep(s, 2046, "{\"b\":1}")), -1);
  assert_int_equal(diff_one(s, deep(s, 2045, "{\"b\":1}")), 0);
  char why[200];
  ref_flat f = {0};
  assert_int_equal(table_json_each(s, deep(s, 2047, "1"), ref_flatten, &f, why,
                                   sizeof why), -1);
  assert_string_equal(why, "invalid JSON at column 2053: nesting deeper than 2048 levels");
  /* a top-level array: level 1 itself */
  memset(s, '[', 2048);
  memset(s + 2048, ']', 2048);
  assert_int_equal(diff_one(s, 4096), -1);
  assert_int_equal(diff_one(s + 1, 4094), -1);
  free(s);
}

/* Many keys in one object (the key table grows): all distinct, then one
** key given again last. */
static void json_diff_many_keys(void **state) {
  (void)state;
  size_t cap = 3000 * 24 + 64, o = 0;
  char *s = malloc(cap);
  assert_non_null(s);
  s[o++] = '{';
  for (int i = 0; i < 3000; i++)
    o += (size_t)sprintf(s + o, "%s\"k%d\":{\"k%d\":%d}", i ? "," : "", i, i, i);
  s[o] = '}';
  assert_int_equal(diff_one(s, o + 1), 0);
  o += (size_t)sprintf(s + o, ",\"k1234\":0}");
  assert_int_equal(diff_one(s, o), -1);
  free(s);
}

/* Every line of a few valid ones with one byte deleted, replaced or
** inserted (bytes that matter to JSON), and every cut. */
static void json_diff_mutations(void **state) {
  (void)state;
  static const char *const base[] = {
    "{\"id\": \"0/1\", \"n\": -12.5e+3, \"t\": [\"a\", 0, {\"k\": null}], \"ok\": true}",
    "{\"text\":\"a\\\"b\\\\c\\u00e9\\ud83d\\ude00 \xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80\"}",
    "{\"a\":{\"b\":{\"c\":[1,2,{\"d\":\"e\"}]},\"f\":false},\"g\":0.0}\r\n",
    "{\"\\u0061\":1,\"b\":[[],{}],\"c\":\"\\/\\b\\f\\n\\r\\t\",\"d\":1E9}",
  };
  static const char bytes[] = "\"\\{}[],: 0-+.eEu1atfnl\x01\x1f\x7f\x80\xbf\xc3\xe2\xed\xf0\xf4\xff";
  size_t nb = sizeof bytes - 1;
  char m[256];
  size_t before = diff_cases;
  for (size_t b = 0; b < sizeof base / sizeof base[0]; b++) {
    const char *s = base[b];
    size_t n = strlen(s);
    assert_int_equal(diff_one(s, n), 0);
    for (size_t i = 0; i <= n; i++) {
      diff_one(s, i);                               /* cut */
      if (i < n) {                                  /* deleted */
        memcpy(m, s, i);
        memcpy(m + i, s + i + 1, n - i - 1);
        diff_one(m, n - 1);
      }
      for (size_t k = 0; k < nb; k++) {
        memcpy(m, s, n);                            /* replaced */
        if (i < n) {
          m[i] = bytes[k];
          diff_one(m, n);
        }
        memcpy(m, s, i);                            /* inserted */
        m[i] = bytes[k];
        memcpy(m + i + 1, s + i, n - i);
        diff_one(m, n + 1);
      }
    }
  }
  assert_true(diff_cases - before > 10000);
}

/* Random JSON-like lines: a small grammar with a chance of junk. */
typedef struct rnd { uint64_t x; } rnd;

static unsigned rnd_next(rnd *r, unsigned below) {
  r->x ^= r->x << 13;
  r->x ^= r->x >> 7;
  r->x ^= r->x << 17;
  return (unsigned)(r->x % below);
}

static void gen_value(rnd *r, char *s, size_t *o, size_t cap, int depth);

static void gen_string(rnd *r, char *s, size_t *o, size_t cap) {
  static const char *const parts[] = {
    "a", "b", "k", " ", "\\n", "\\\"", "\\\\", "\\u0061", "\\u00E9", "\\ud83d\\ude00",
    "\\u0000", "\xC3\xA9", "\xE2\x82\xAC", "\xF0\x9F\x98\x80", "xxxxxxxxxxxxxxxxxxxx",
    "\\ud800", "\\udc00", "\x01", "\xC3", "\xED\xA0\x80", "\\q", "\t", "\x7f"};
  s[(*o)++] = '"';
  unsigned len = rnd_next(r, 4);
  for (unsigned i = 0; i < len && *o + 32 < cap; i++) {
    unsigned k = rnd_next(r, 100) < 97 ? rnd_next(r, 15) : rnd_next(r, 23);
    size_t l = strlen(parts[k]);
    memcpy(s + *o, parts[k], l);
    *o += l;
  }
  s[(*o)++] = '"';
}

static void gen_container(rnd *r, char *s, size_t *o, size_t cap, int depth, int obj) {
  s[(*o)++] = obj ? '{' : '[';
  unsigned count = rnd_next(r, 5);
  for (unsigned i = 0; i < count && *o + 64 < cap; i++) {
    if (i) s[(*o)++] = ',';
    if (rnd_next(r, 4) == 0) s[(*o)++] = ' ';
    if (obj) {
      gen_string(r, s, o, cap);
      s[(*o)++] = ':';
    }
    gen_value(r, s, o, cap, depth + 1);
  }
  s[(*o)++] = obj ? '}' : ']';
}

static void gen_value(rnd *r, char *s, size_t *o, size_t cap, int depth) {
  static const char *const scalars[] = {
    "0", "-1", "12.5", "1e3", "-0.0E-2", "1e400", "123456789012345678901234",
    "true", "false", "null", "01", "1.", "tru"};
  unsigned k = rnd_next(r, depth > 4 ? 3 : 5);
  if (*o + 64 >= cap) k = 0;
  if (k == 0) {
    unsigned j = rnd_next(r, 100) < 95 ? rnd_next(r, 10) : rnd_next(r, 13);
    size_t l = strlen(scalars[j]);
    memcpy(s + *o, scalars[j], l);
    *o += l;
  } else if (k <= 2) {
    gen_string(r, s, o, cap);
  } else {
    gen_container(r, s, o, cap, depth, k == 4);
  }
}

static void json_diff_random(void **state) {
  (void)state;
  rnd r = { 0x9E3779B97F4A7C15ull };
  char s[4096];
  size_t accepted = diff_accepted, cases = diff_cases;
  for (int t = 0; t < 30000; t++) {
    size_t o = 0;
    gen_container(&r, s, &o, sizeof s - 64, 1, 1);
    if (rnd_next(&r, 8) == 0) {                     /* a byte of junk */
      static const char junk[] = "\"\\{}[],:0 -e.\x80\xff";
      s[rnd_next(&r, (unsigned)o)] = junk[rnd_next(&r, sizeof junk - 1)];
    }
    diff_one(s, o);
  }
  /* both outcomes well represented */
  assert_true(diff_accepted - accepted > 5000);
  assert_true((diff_cases - cases) - (diff_accepted - accepted) > 5000);
  printf("table_json_each beside jansson: %zu lines, %zu accepted\n", diff_cases,
         diff_accepted);
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(scan_lf_records),
    cmocka_unit_test(scan_crlf_records),
    cmocka_unit_test(scan_quoted_newlines),
    cmocka_unit_test(scan_line_counter),
    cmocka_unit_test(scan_final_record),
    cmocka_unit_test(scan_blank_lines),
    cmocka_unit_test(scan_quote_mid_field),
    cmocka_unit_test(scan_unclosed_quote),
    cmocka_unit_test(scan_lone_cr),
    cmocka_unit_test(scan_every_cut),
    cmocka_unit_test(scan_matches_reference),
    cmocka_unit_test(split_csv_plain),
    cmocka_unit_test(split_csv_quoted),
    cmocka_unit_test(split_csv_empty_fields),
    cmocka_unit_test(split_csv_spaces),
    cmocka_unit_test(split_csv_malformed),
    cmocka_unit_test(split_field_limit),
    cmocka_unit_test(split_tsv_escapes),
    cmocka_unit_test(split_jsonl_refused),
    cmocka_unit_test(split_round_trip),
    cmocka_unit_test(json_types),
    cmocka_unit_test(json_order_and_keys),
    cmocka_unit_test(json_nul_in_string),
    cmocka_unit_test(json_stop),
    cmocka_unit_test(json_errors),
    cmocka_unit_test(json_get_string),
    cmocka_unit_test(json_get_missing),
    cmocka_unit_test(json_get_errors),
    cmocka_unit_test(json_diff_cases),
    cmocka_unit_test(json_diff_depth),
    cmocka_unit_test(json_diff_many_keys),
    cmocka_unit_test(json_diff_mutations),
    cmocka_unit_test(json_diff_random),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
