/*
** test_docparse.c -- header line, front matter, title and dateline.
*/
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "docparse.h"

/* Parse the literal s into r. */
static void parse(const char *s, docparse_result *r) {
  docparse_parse(s, strlen(s), 1, r);
}

/* The title of s as a NUL-terminated copy in buf. */
static const char *title_of(const char *s, const docparse_result *r,
                            char *buf) {
  memcpy(buf, s + r->title.off, r->title.len);
  buf[r->title.len] = '\0';
  return buf;
}

/* ---------------------------------------------------------------------
** Dates
*/

static void valid_dates(void **state) {
  (void)state;
  assert_true(docparse_valid_date(2020, 2, 29));
  assert_true(docparse_valid_date(2000, 2, 29));
  assert_false(docparse_valid_date(1900, 2, 29));
  assert_false(docparse_valid_date(2021, 2, 29));
  assert_true(docparse_valid_date(2021, 2, 28));
  assert_false(docparse_valid_date(2021, 2, 31));
  assert_false(docparse_valid_date(2021, 4, 31));
  assert_true(docparse_valid_date(2021, 12, 31));
  assert_false(docparse_valid_date(2021, 13, 1));
  assert_false(docparse_valid_date(2021, 0, 1));
  assert_false(docparse_valid_date(2021, 1, 0));
  assert_false(docparse_valid_date(0, 1, 1));
}

static void iso_dates(void **state) {
  (void)state;
  assert_int_equal(docparse_iso_date("2020-06-03", 10), 20200603);
  assert_int_equal(docparse_iso_date("2020-06-03T10:00", 16), 20200603);
  assert_int_equal(docparse_iso_date("2020-02-29", 10), 20200229);
  assert_int_equal(docparse_iso_date("2021-02-29", 10), 0);
  assert_int_equal(docparse_iso_date("2020-13-01", 10), 0);
  assert_int_equal(docparse_iso_date("2020-00-10", 10), 0);
  assert_int_equal(docparse_iso_date("2020-04-31", 10), 0);
  assert_int_equal(docparse_iso_date("2020-6-03", 9), 0);
  assert_int_equal(docparse_iso_date("2020/06/03", 10), 0);
  assert_int_equal(docparse_iso_date("2020-06-0", 9), 0);
  assert_int_equal(docparse_iso_date("20x0-06-03", 10), 0);
}

/* ---------------------------------------------------------------------
** Header line
*/

static void header_with_text(void **state) {
  (void)state;
  const char *s = " date 2020-06-03 Valley school reopens\n\nBody text.\n";
  docparse_result r;
  char buf[256];
  parse(s, &r);
  assert_int_equal(r.date, 20200603);
  assert_int_equal(r.date_source, DOCPARSE_DATE_HEADER);
  assert_int_equal(r.body_off, 17);
  assert_string_equal(title_of(s, &r, buf), "Valley school reopens");
  assert_false(r.has_front_matter);
}

static void header_leading_white_space(void **state) {
  (void)state;
  int32_t d = 0;
  size_t off = 0;
  assert_true(docparse_header("date 2021-04-07 x", 17, &d, &off));
  assert_int_equal(d, 20210407);
  assert_int_equal(off, 16);
  assert_true(docparse_header(" \t date\t2021-04-07  \tx", 22, &d, &off));
  assert_int_equal(off, 21);
}

static void header_date_only(void **state) {
  (void)state;
  const char *s = " date 2022-12-31\nFirst line\nSecond\n";
  docparse_result r;
  char buf[256];
  parse(s, &r);
  assert_int_equal(r.date, 20221231);
  assert_int_equal(r.body_off, 17);
  assert_string_equal(title_of(s, &r, buf), "First line");

  const char *t = " date 2022-12-31   \r\n\r\nTitle after CRLF\r\nmore";
  parse(t, &r);
  assert_int_equal(r.date, 20221231);
  assert_int_equal(r.body_off, 21);
  assert_string_equal(title_of(t, &r, buf), "Title after CRLF");
}

static void header_at_end_of_file(void **state) {
  (void)state;
  docparse_result r;
  parse(" date 2020-06-03", &r);
  assert_int_equal(r.date, 20200603);
  assert_int_equal(r.body_off, 16);
  assert_int_equal(r.title.len, 0);
  parse(" date 2020-06-03  ", &r);
  assert_int_equal(r.body_off, 18);
}

static void header_crlf_with_text(void **state) {
  (void)state;
  const char *s = " date 2020-06-03 Title on the header line\r\nNext line\r\n";
  docparse_result r;
  char buf[256];
  parse(s, &r);
  assert_int_equal(r.date, 20200603);
  assert_string_equal(title_of(s, &r, buf), "Title on the header line");
}

static void header_bad_date_is_no_header(void **state) {
  (void)state;
  const char *s = " date 2021-02-29 Not a real day\nText\n";
  docparse_result r;
  char buf[256];
  parse(s, &r);
  assert_int_equal(r.date, 0);
  assert_int_equal(r.date_source, DOCPARSE_DATE_NONE);
  assert_int_equal(r.body_off, 0);
  assert_string_equal(title_of(s, &r, buf), "date 2021-02-29 Not a real day");
  parse(" date 2020-04-31\nx", &r);
  assert_int_equal(r.date, 0);
  assert_int_equal(r.body_off, 0);
}

static void header_near_misses(void **state) {
  (void)state;
  int32_t d;
  size_t off;
  const char *bad[] = {
    " date 2020-06-031 text", " date:2020-06-03 text", " dates 2020-06-03 x",
    " Date 2020-06-03 x", " date2020-06-03 x", "x date 2020-06-03 x",
    " date 2020-6-3 x", " date 20-06-03 x", "", " date", "\n date 2020-06-03",
  };
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
    assert_false(docparse_header(bad[i], strlen(bad[i]), &d, &off));
}

/* ---------------------------------------------------------------------
** Front matter
*/

static void front_matter_basic(void **state) {
  (void)state;
  const char *s =
      "---\n"
      "title:  \"Quoted title\"  \n"
      "date: 2019-11-20\n"
      "author: 'Single quoted'\n"
      "empty:\n"
      "url: http://example.org/a:b\n"
      "---\n"
      "Body title\nrest\n";
  docparse_result r;
  char buf[256];
  parse(s, &r);
  assert_true(r.has_front_matter);
  assert_int_equal(r.date, 20191120);
  assert_int_equal(r.date_source, DOCPARSE_DATE_META);
  assert_string_equal(s + r.body_off, "Body title\nrest\n");
  assert_string_equal(title_of(s, &r, buf), "Body title");

  const char *fm = s + r.front_matter.off;
  size_t pos = 0;
  docparse_span k, v;
  const char *want[][2] = {{"title", "Quoted title"}, {"date", "2019-11-20"},
                           {"author", "Single quoted"}, {"empty", ""},
                           {"url", "http://example.org/a:b"}};
  for (size_t i = 0; i < 5; i++) {
    assert_true(docparse_meta_next(fm, r.front_matter.len, &pos, &k, &v));
    assert_int_equal(k.len, strlen(want[i][0]));
    assert_memory_equal(fm + k.off, want[i][0], k.len);
    assert_int_equal(v.len, strlen(want[i][1]));
    assert_memory_equal(fm + v.off, want[i][1], v.len);
  }
  assert_false(docparse_meta_next(fm, r.front_matter.len, &pos, &k, &v));
}

static void front_matter_crlf(void **state) {
  (void)state;
  const char *s = "---\r\nsource: wire\r\ndate: 2016-02-29\r\n---\r\nTitle\r\n";
  docparse_result r;
  char buf[256];
  parse(s, &r);
  assert_true(r.has_front_matter);
  assert_int_equal(r.date, 20160229);
  assert_string_equal(title_of(s, &r, buf), "Title");
  size_t pos = 0;
  docparse_span k, v;
  assert_true(docparse_meta_next(s + r.front_matter.off, r.front_matter.len,
                                 &pos, &k, &v));
  assert_int_equal(v.len, 4);                    /* "wire", no '\r' */
}

static void front_matter_unterminated(void **state) {
  (void)state;
  const char *s = "---\nkey: value\nno closing line\n";
  docparse_result r;
  char buf[256];
  parse(s, &r);
  assert_false(r.has_front_matter);
  assert_int_equal(r.body_off, 0);
  assert_string_equal(title_of(s, &r, buf), "---");
  parse("---\nkey: value\n", &r);
  assert_false(r.has_front_matter);
  parse("---", &r);
  assert_false(r.has_front_matter);
}

static void front_matter_too_long(void **state) {
  (void)state;
  size_t n = LECTOR_FRONT_MATTER_MAX + 100;
  char *s = malloc(n + 64);
  assert_non_null(s);
  strcpy(s, "---\nkey: ");
  size_t len = strlen(s);
  memset(s + len, 'v', n);
  strcpy(s + len + n, "\n---\nbody\n");
  docparse_result r;
  parse(s, &r);
  assert_false(r.has_front_matter);
  assert_int_equal(r.body_off, 0);

  /* the limit itself: a closing line ending exactly at the limit is in */
  docparse_span block;
  size_t off;
  assert_true(docparse_front_matter("---\na: b\n---\nx", 14, 12, &block, &off));
  assert_int_equal(off, 13);
  assert_false(docparse_front_matter("---\na: b\n---\nx", 14, 11, &block, &off));
  free(s);
}

static void front_matter_prose_is_not(void **state) {
  (void)state;
  const char *s = "---\nA paragraph of prose between rules\n---\nText\n";
  docparse_result r;
  parse(s, &r);
  assert_false(r.has_front_matter);
  assert_int_equal(r.body_off, 0);
}

static void front_matter_bad_date(void **state) {
  (void)state;
  const char *s = "---\ndate: 2021-02-29\n---\nTitle\nPublished 3 May 2021.\n";
  docparse_result r;
  parse(s, &r);
  assert_true(r.has_front_matter);
  assert_int_equal(r.date, 20210503);           /* from the dateline */
  assert_int_equal(r.date_source, DOCPARSE_DATE_TEXT);
  parse("---\nDate: 2021-03-01 09:30\n---\nx\n", &r);
  assert_int_equal(r.date, 20210301);
  parse("---\ndate: 2021-03-01x\n---\nx\n", &r);
  assert_int_equal(r.date, 0);
}

static void front_matter_empty_and_comments(void **state) {
  (void)state;
  const char *s = "---\n---\nBody\n";
  docparse_result r;
  parse(s, &r);
  assert_true(r.has_front_matter);
  assert_int_equal(r.front_matter.len, 0);
  assert_string_equal(s + r.body_off, "Body\n");

  const char *fm = "# comment\n\ntags:\n  - one\n  - two\n- three\nk: v\n";
  size_t pos = 0;
  docparse_span k, v;
  assert_true(docparse_meta_next(fm, strlen(fm), &pos, &k, &v));
  assert_memory_equal(fm + k.off, "tags", 4);
  assert_int_equal(v.len, 0);
  assert_true(docparse_meta_next(fm, strlen(fm), &pos, &k, &v));
  assert_memory_equal(fm + k.off, "k", 1);
  assert_memory_equal(fm + v.off, "v", 1);
  assert_false(docparse_meta_next(fm, strlen(fm), &pos, &k, &v));
}

/* ---------------------------------------------------------------------
** Title
*/

static void title_trimmed(void **state) {
  (void)state;
  char buf[256];
  docparse_result r;
  const char *s = "\n\n \t  \r\n   Spaced title \t \nnext";
  parse(s, &r);
  assert_string_equal(title_of(s, &r, buf), "Spaced title");
  s = "\xC2\xA0\xE2\x80\x83Unicode spaces\xE3\x80\x80\xC2\xA0\n";
  parse(s, &r);
  assert_string_equal(title_of(s, &r, buf), "Unicode spaces");
  s = "\xEF\xBB\xBFTitle after a BOM\n";
  parse(s, &r);
  assert_string_equal(title_of(s, &r, buf), "Title after a BOM");
  s = "Old Mac line\rsecond";
  parse(s, &r);
  assert_string_equal(title_of(s, &r, buf), "Old Mac line");
}

static void title_cut_at_utf8_boundary(void **state) {
  (void)state;
  char s[1000];
  size_t n = 0;
  for (int i = 0; i < 300; i++) {                 /* "€" = 3 bytes */
    memcpy(s + n, "\xE2\x82\xAC", 3);
    n += 3;
  }
  s[n] = '\0';
  docparse_span t = docparse_title(s, n, 200);
  assert_int_equal(t.off, 0);
  assert_int_equal(t.len, 198);
  t = docparse_title(s, n, 10);
  assert_int_equal(t.len, 9);
  t = docparse_title("ab cd", 5, 3);             /* cut, then re-trimmed */
  assert_int_equal(t.len, 2);
  t = docparse_title("abc", 3, 200);
  assert_int_equal(t.len, 3);
}

static void title_none(void **state) {
  (void)state;
  docparse_result r;
  parse("", &r);
  assert_int_equal(r.title.len, 0);
  parse("\n  \n\t\r\n", &r);
  assert_int_equal(r.title.len, 0);
  assert_int_equal(r.date, 0);
}

/* ---------------------------------------------------------------------
** Dateline
*/

#define DL(s) docparse_dateline(s, strlen(s), LECTOR_DATELINE_LINES)

static void dateline_formats(void **state) {
  (void)state;
  assert_int_equal(DL("CITY (Agency - 03rd June, 2020) Text"), 20200603);
  assert_int_equal(DL("By A. Writer 07 Apr 2021"), 20210407);
  assert_int_equal(DL("Updated Apr 08, 2021 at noon"), 20210408);
  assert_int_equal(DL("June 3, 2020"), 20200603);
  assert_int_equal(DL("3 June 2020"), 20200603);
  assert_int_equal(DL("1st January 1999"), 19990101);
  assert_int_equal(DL("22nd Feb 2022"), 20220222);
  assert_int_equal(DL("23RD OCTOBER 2005"), 20051023);
  assert_int_equal(DL("december 25th, 2010"), 20101225);
  assert_int_equal(DL("Sept 9 2009"), 20090909);
  assert_int_equal(DL("Aug. 4, 2014"), 20140804);
  assert_int_equal(DL("the 5th of November 1955"), 19551105);
  assert_int_equal(DL("(May 31, 2019)"), 20190531);
  assert_int_equal(DL("Posted:\t12\xC2\xA0" "Mar\xC2\xA0" "2018."), 20180312);
  assert_int_equal(DL("29 Feb 2020"), 20200229);
}

static void dateline_invalid(void **state) {
  (void)state;
  assert_int_equal(DL("31 Feb 2020"), 0);
  assert_int_equal(DL("29 Feb 2021"), 0);
  assert_int_equal(DL("February 30, 2020"), 0);
  assert_int_equal(DL("0 June 2020"), 0);
  assert_int_equal(DL("June 2020"), 0);
  assert_int_equal(DL("June 3"), 0);
  assert_int_equal(DL("3 June"), 0);
  assert_int_equal(DL("June 32, 2020"), 0);
  assert_int_equal(DL("3 Jun 0999"), 0);
  assert_int_equal(DL("3 Ju 2020"), 0);
  assert_int_equal(DL("3 June\n2020"), 0);          /* not across lines */
  assert_int_equal(DL("31 Feb 2020, then 1 Mar 2020"), 20200301);
}

static void dateline_not_inside_words(void **state) {
  (void)state;
  assert_int_equal(DL("xJune 3, 2020"), 0);
  assert_int_equal(DL("Junes 3, 2020"), 0);
  assert_int_equal(DL("Marching 3, 2020"), 0);
  assert_int_equal(DL("13 June 20201"), 0);
  assert_int_equal(DL("123 June 2020"), 0);
  assert_int_equal(DL("3 Junebug 2020"), 0);
  assert_int_equal(DL("a3 June 2020"), 0);
  assert_int_equal(DL("3rdx June 2020"), 0);
  assert_int_equal(DL("3 June 2020a"), 0);
  assert_int_equal(DL("3zz June 2020"), 0);
  assert_int_equal(DL("June 3x, 2020"), 0);
}

static void dateline_line_limit(void **state) {
  (void)state;
  char s[512] = "";
  for (int i = 0; i < LECTOR_DATELINE_LINES - 1; i++) strcat(s, "line\n");
  strcat(s, "on the last line: 4 July 2004\n");
  assert_int_equal(DL(s), 20040704);
  s[0] = '\0';
  for (int i = 0; i < LECTOR_DATELINE_LINES; i++) strcat(s, "\n");
  strcat(s, "one line too far: 4 July 2004\n");
  assert_int_equal(DL(s), 0);
  assert_int_equal(docparse_dateline("4 July 2004", 11, 0), 0);
}

static void dateline_first_wins(void **state) {
  (void)state;
  assert_int_equal(DL("Filed 2 May 2001; updated 9 May 2001"), 20010502);
}

/* ---------------------------------------------------------------------
** Whole parse: which date wins
*/

static void parse_precedence(void **state) {
  (void)state;
  docparse_result r;
  parse(" date 2020-06-03 Written 4 July 2004\n", &r);
  assert_int_equal(r.date, 20200603);
  assert_int_equal(r.date_source, DOCPARSE_DATE_HEADER);
  parse("---\ndate: 2019-01-02\n---\nWritten 4 July 2004\n", &r);
  assert_int_equal(r.date, 20190102);
  assert_int_equal(r.date_source, DOCPARSE_DATE_META);
  parse("Headline\n\nWritten 4 July 2004\n", &r);
  assert_int_equal(r.date, 20040704);
  assert_int_equal(r.date_source, DOCPARSE_DATE_TEXT);
  assert_int_equal(r.body_off, 0);
  parse("Headline only\n", &r);
  assert_int_equal(r.date, 0);
  assert_int_equal(r.date_source, DOCPARSE_DATE_NONE);
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(valid_dates),
    cmocka_unit_test(iso_dates),
    cmocka_unit_test(header_with_text),
    cmocka_unit_test(header_leading_white_space),
    cmocka_unit_test(header_date_only),
    cmocka_unit_test(header_at_end_of_file),
    cmocka_unit_test(header_crlf_with_text),
    cmocka_unit_test(header_bad_date_is_no_header),
    cmocka_unit_test(header_near_misses),
    cmocka_unit_test(front_matter_basic),
    cmocka_unit_test(front_matter_crlf),
    cmocka_unit_test(front_matter_unterminated),
    cmocka_unit_test(front_matter_too_long),
    cmocka_unit_test(front_matter_prose_is_not),
    cmocka_unit_test(front_matter_bad_date),
    cmocka_unit_test(front_matter_empty_and_comments),
    cmocka_unit_test(title_trimmed),
    cmocka_unit_test(title_cut_at_utf8_boundary),
    cmocka_unit_test(title_none),
    cmocka_unit_test(dateline_formats),
    cmocka_unit_test(dateline_invalid),
    cmocka_unit_test(dateline_not_inside_words),
    cmocka_unit_test(dateline_line_limit),
    cmocka_unit_test(dateline_first_wins),
    cmocka_unit_test(parse_precedence),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
