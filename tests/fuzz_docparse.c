/*
** fuzz_docparse.c -- libFuzzer target for the document parser: the whole
** parse (header or front matter, title, dateline), each piece on its
** own, and the date of a metadata value (the input as a column value, and
** each of its lines).  Checks the invariants corpus.c relies on: every span lies inside
** the input, the body starts inside it, a title is non-empty, trimmed and
** at most LECTOR_TITLE_MAX bytes, ends at a UTF-8 boundary when the input
** is UTF-8, every date is a real calendar date, a dateline's year lies in
** 1900..max_year and a value's in 1000-9999.  ASan/UBSan catch the
** rest.
**
**   clang -fsanitize=fuzzer,address,undefined ... (see tests/CMakeLists.txt)
**   ./fuzz_docparse -max_total_time=30 CORPUS_DIR tests/fuzz/docparse
*/
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "config.h"
#include "docparse.h"
#include "encoding.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(c) do { if (!(c)) abort(); } while (0)

static void check_date(int32_t d) {
  if (d == 0) return;
  CHECK(d > 0);
  CHECK(docparse_valid_date(d / 10000, d / 100 % 100, d % 100));
}

/* A date whose year lies in lo..hi. */
static void check_year(int32_t d, int lo, int hi) {
  check_date(d);
  CHECK(d == 0 || (d / 10000 >= lo && d / 10000 <= hi));
}

static void check_span(docparse_span sp, size_t len) {
  CHECK(sp.off <= len && sp.len <= len - sp.off);
}

static void check_title(const char *s, size_t len, docparse_span t) {
  check_span(t, len);
  if (t.len == 0) return;
  CHECK(t.len <= LECTOR_TITLE_MAX);
  CHECK(s[t.off] != ' ' && s[t.off] != '\n' && s[t.off] != '\r');
  char last = s[t.off + t.len - 1];
  CHECK(last != ' ' && last != '\t' && last != '\n' && last != '\r');
  if (enc_utf8_check(s, len) == len)
    CHECK(enc_utf8_check(s + t.off, t.len) == t.len);
}

static void check_meta(const char *s, size_t len) {
  size_t pos = 0, prev = 0, n = 0;
  docparse_span k, v;
  while (docparse_meta_next(s, len, &pos, &k, &v)) {
    CHECK(pos > prev || n == 0);     /* progress, or the loop never ends */
    CHECK(pos <= len);
    check_span(k, len);
    check_span(v, len);
    CHECK(k.len > 0);
    prev = pos;
    CHECK(++n <= len);
  }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  /* a copy of exactly size bytes, so ASan sees any read past the end */
  char *s = malloc(size ? size : 1);
  if (!s) return 0;
  memcpy(s, data, size);
  docparse_result r;
  docparse_parse(s, size, 1, &r);
  CHECK(r.body_off <= size);
  check_date(r.date);
  CHECK(r.date_source >= DOCPARSE_DATE_NONE && r.date_source <= DOCPARSE_DATE_TEXT);
  CHECK((r.date == 0) == (r.date_source == DOCPARSE_DATE_NONE));
  if (r.has_front_matter) {
    check_span(r.front_matter, size);
    check_meta(s + r.front_matter.off, r.front_matter.len);
  }
  check_title(s, size, r.title);
  CHECK(r.title.len == 0 || r.title.off >= r.body_off);

  int32_t date = 0;
  size_t body = 0;
  if (docparse_header(s, size, &date, &body)) {
    CHECK(body <= size);
    CHECK(date != 0);
    check_date(date);
  }
  docparse_span block;
  if (docparse_front_matter(s, size, LECTOR_FRONT_MATTER_MAX, &block, &body)) {
    CHECK(body <= size);
    check_span(block, size);
    CHECK(block.off + block.len <= body);
  }
  check_meta(s, size);
  check_date(docparse_iso_date(s, size));
  check_year(r.date_source == DOCPARSE_DATE_TEXT ? r.date : 0, 1900,
             docparse_max_year(time(NULL)));
  check_year(docparse_dateline(s, size, LECTOR_DATELINE_LINES, 2021), 1900,
             2021);
  check_year(docparse_dateline(s, size, 1, 0), 1900,
             docparse_max_year(time(NULL)));
  check_year(docparse_date_value(s, size), 1000, 9999);
  for (size_t a = 0, e; a < size; a = e + 1) {      /* each line a value */
    const char *nl = memchr(s + a, '\n', size - a);
    e = nl ? (size_t)(nl - s) : size;
    check_year(docparse_date_value(s + a, e - a), 1000, 9999);
  }
  check_title(s, size, docparse_title(s, size, LECTOR_TITLE_MAX));
  for (size_t max = 0; max < 8 && max < size; max++)
    CHECK(docparse_title(s, size, max).len <= max);
  free(s);
  return 0;
}
