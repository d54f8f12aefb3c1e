/*
** test_docparse.c -- header line, front matter, title and dateline.
*/
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

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
  assert_false(
      docparse_front_matter("---\na: b\n---\nx", 14, 11, &block, &off));
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
** Dateline (max_year injected: 2030)
*/

#define DL(s) docparse_dateline(s, strlen(s), LECTOR_DATELINE_LINES, 2030)

/* Rule (a): a short line holding a date and little else. */
static void dateline_bylines(void **state) {
  (void)state;
  assert_int_equal(DL("Aisha Mahmood 07 Apr 2021"), 20210407);
  assert_int_equal(DL("Published: Apr 08, 2021"), 20210408);
  assert_int_equal(DL("Updated 7 April 2021 10:32 GMT"), 20210407);
  assert_int_equal(DL("Monday, 7 June 2021"), 20210607);
  assert_int_equal(DL("2021-04-07"), 20210407);
  assert_int_equal(DL("2021-04-07 10:32"), 20210407);
  assert_int_equal(DL("2021-04-07T10:32:00Z"), 20210407);
  assert_int_equal(DL("April 16, 1945"), 19450416);
  assert_int_equal(DL("By A. Writer | 22nd Feb 2022"), 20220222);
  assert_int_equal(DL("Posted:\t12\xC2\xA0" "Mar\xC2\xA0" "2018."), 20180312);
  assert_int_equal(DL("Last updated on Sept. 9, 2009 at 10:32 a.m. EDT"),
                   20090909);
  assert_int_equal(DL("Wed, 07 Apr 2021 10:32:00 +0500"), 20210407);
  assert_int_equal(DL("published 3rd of june 2020, 10am"), 20200603);
  assert_int_equal(DL("\xC3\x89lodie Durand \xE2\x80\xA2 7 April 2021"),
                   20210407);
  assert_int_equal(
      DL("By O\xE2\x80\x99" "Brien-Smith \xE2\x80\x94 7 April 2021"),
      20210407);
  assert_int_equal(DL("(May 31, 2019)"), 20190531);
  assert_int_equal(DL("23RD OCTOBER 2005"), 20051023);
  assert_int_equal(DL("december 25th, 2010"), 20101225);
  assert_int_equal(DL("Filed 2 May 2001; updated 9 May 2001"), 20010502);
  assert_int_equal(DL("29 Feb 2020"), 20200229);
}

/* Rule (b): the opening group of a paragraph, closed by a dash or a
** bracket, before the sentence. */
static void dateline_openings(void **state) {
  (void)state;
  assert_int_equal(DL("MOSCOW (UrduPoint News / Sputnik - 03rd June, 2020) "
                      "Islamabad has not officially requested Russia's help"),
                   20200603);
  assert_int_equal(DL("WASHINGTON, March 3, 2021 \xE2\x80\x94 The president "
                      "signed the bill on Wednesday."), 20210303);
  assert_int_equal(DL("WASHINGTON, March 3, 2021\xE2\x80\x94The president "
                      "signed the bill."), 20210303);
  assert_int_equal(DL("KESTON, Apr 08, 2025 - Traders set up forty stalls."),
                   20250408);
  assert_int_equal(DL("HILLTOWN (Staff report - 14th March, 2018) The board "
                      "has put off its decision"), 20180314);
  assert_int_equal(DL("NEW YORK (Reuters) - 7 April 2021 - Stocks fell on "
                      "the news that rates would rise"), 20210407);
  assert_int_equal(DL("ST. LOUIS, Mo., June 3, 2020 -- The city council "
                      "voted to close the park"), 20200603);
  /* no year: no date, the year is not guessed */
  assert_int_equal(DL("LONDON, April 7 (Reuters) - Britain's economy grew"), 0);
  /* no date in the group */
  assert_int_equal(DL("RAWALPINDI \xE2\x80\x93 Pakistan is negotiating "
                      "defence cooperation with Russia"), 0);
  /* a group needs a place in capitals first */
  assert_int_equal(DL("On 3 June 2020 - the day the talks began - it rained"),
                   0);
  assert_int_equal(DL("London, 3 June 2020 - the talks began"), 0);
  /* a hyphen inside a word closes nothing */
  assert_int_equal(DL("On 3 June 2020 Islamabad\xE2\x80\x93Moscow talks began"),
                   0);
  /* words outside the brackets of the group are held to the rule */
  assert_int_equal(DL("MOSCOW said on 3 June 2020 - that it would help"), 0);
}

/* Rule (c): a heading that ends with its date (State of the Union). */
static void dateline_heading(void **state) {
  (void)state;
  assert_int_equal(DL("Annual Message to the Congress on the State of the "
                      "Union. January 22, 1970\n\nMr. Speaker, Mr. President"),
                   19700122);
  assert_int_equal(DL("Address on the State of the Union. Jan. 30, 1974\n"),
                   19740130);
  assert_int_equal(DL("A speech to the nation! Updated Feb. 1, 1974"),
                   19740201);
  /* only the first line, and only a dateline after a stop */
  assert_int_equal(DL("Title\nThe talks went well. January 22, 1970\n"), 0);
  assert_int_equal(DL("The talks went well. On 22 January 1970 we agreed\n"),
                   0);
  assert_int_equal(DL("The talks ended on January 22, 1970. Then more.\n"), 0);
}

/* Dates in running text on the first lines are never taken: the real
** false positives of the old rule (ABC news, issue 14), and a body
** sentence on line 2. */
static void dateline_running_text(void **state) {
  (void)state;
  assert_int_equal(DL("Mercury will cross the face of the Sun\n"
                      "On 7 November 1677 Edmond Halley witnessed a transit "
                      "of Mercury from the south Atlantic island of St "
                      "Helena.\n"), 0);
  assert_int_equal(DL("On 7 November 1677 Edmond Halley witnessed a transit"),
                   0);
  assert_int_equal(DL("At the time watchers gave it one in 3000 risk of "
                      "collision on 4 May 2102.\n"), 0);
  assert_int_equal(DL("a collision on 4 May 2102"), 0);
  assert_int_equal(DL("Aboriginal pastoral workers walked off stations on "
                      "May 1, 1946, demanding wages and better conditions."),
                   0);
  assert_int_equal(DL("\"Well what a big day, December 5, 2006, the end of "
                      "the single desk,\" another caller said.\n"), 0);
  assert_int_equal(DL("He said it began \"on 12 May 1946\"."), 0);
  assert_int_equal(DL("Council approves plan\n"
                      "The meeting on 3 June 2020 agreed to a new budget.\n"),
                   0);
  assert_int_equal(DL("On 26 April 1986, at 1.23 am local time, a series of "
                      "explosions ripped through reactor four"), 0);
  assert_int_equal(DL("Storm hits coast on 7 April 2021"), 0);
  assert_int_equal(DL("Published: 7 April 2021 by the committee"), 0);
  assert_int_equal(DL("the 5th of November 1955"), 0);
  assert_int_equal(DL("ANL 33.30 Increased 07 Apr 2021"), 0);
  assert_int_equal(DL("Page 3 7 April 2021"), 0);
  assert_int_equal(             /* a word in another script */
      DL("\xCE\xA3\xCE\xAE\xCE\xBC\xCE\xB5\xCF\x81\xCE\xB1 7 April 2021"), 0);
}

/* "Little else" has exact limits: LECTOR_DATELINE_WORDS words besides the
** date, LECTOR_DATELINE_BYTES bytes for a whole line. */
static void dateline_limits(void **state) {
  (void)state;
  char s[512] = "7 April 2021";
  for (int i = 0; i < LECTOR_DATELINE_WORDS; i++) strcat(s, " Word");
  assert_int_equal(DL(s), 20210407);
  strcat(s, " Word");
  assert_int_equal(DL(s), 0);

  size_t n = strlen("Published 7 April 2021 ");
  strcpy(s, "Published 7 April 2021 ");
  while (n < LECTOR_DATELINE_BYTES) s[n++] = '|';
  s[n] = '\0';
  assert_int_equal(DL(s), 20210407);
  strcat(s, "|");
  assert_int_equal(DL(s), 0);
  /* an opening group is not held to the line's length */
  strcpy(s, "PARIS, 7 April 2021 - ");
  for (n = strlen(s); n < 400; n++) s[n] = 'x';
  s[n] = '\0';
  assert_int_equal(DL(s), 20210407);
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
  assert_int_equal(DL("3 Ju 2020"), 0);
  assert_int_equal(DL("3 June\n2020"), 0);          /* not across lines */
  assert_int_equal(DL("2021-02-29"), 0);
  assert_int_equal(DL("2021-04-07T25:00"), 0);
  assert_int_equal(DL("07/04/2021"), 0);            /* ambiguous: not read */
  assert_int_equal(DL("31 Feb 2020 | 1 Mar 2020"), 0);
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
  assert_int_equal(DL("2021-04-07x"), 0);
}

/* The first LECTOR_DATELINE_LINES non-empty lines; blank lines do not
** count. */
static void dateline_line_limit(void **state) {
  (void)state;
  char s[512] = "";
  for (int i = 0; i < LECTOR_DATELINE_LINES - 1; i++)
    strcat(s, "A line of text.\n \t\r\n\xC2\xA0\n\n");
  strcat(s, "Published 4 July 2004\n");
  assert_int_equal(DL(s), 20040704);
  s[0] = '\0';
  for (int i = 0; i < LECTOR_DATELINE_LINES; i++) strcat(s, "text\n\n");
  strcat(s, "Published 4 July 2004\n");
  assert_int_equal(DL(s), 0);
  assert_int_equal(docparse_dateline("4 July 2004", 11, 0, 2030), 0);
  /* the first dateline wins; one out of range gives way to the next */
  assert_int_equal(DL("Filed 2 May 2001\nUpdated 9 May 2001\n"), 20010502);
  assert_int_equal(DL("Filed 2 May 1899\nUpdated 9 May 2001\n"), 20010509);
}

/* A year from 1900 to max_year; max_year is the clock's next year. */
static void dateline_years(void **state) {
  (void)state;
  const char *s = "Published 7 April 2021";
  assert_int_equal(docparse_dateline(s, strlen(s), 5, 2021), 20210407);
  assert_int_equal(docparse_dateline(s, strlen(s), 5, 2020), 0);
  assert_int_equal(DL("1 January 1900"), 19000101);
  assert_int_equal(DL("31 December 1899"), 0);
  assert_int_equal(DL("On 7 November 1677"), 0);
  assert_int_equal(DL("31 December 2030"), 20301231);
  assert_int_equal(DL("1 January 2031"), 0);

  assert_int_equal(docparse_max_year(1617791520), 2022);   /* 2021-04-07 */
  assert_int_equal(docparse_max_year(0), 1971);
  assert_int_equal(docparse_max_year((time_t)-1), 9999);

  /* the whole parse takes the clock: next year in, the year after out */
  char buf[64];
  int next = docparse_max_year(time(NULL));
  docparse_result r;
  snprintf(buf, sizeof buf, "Title\nPublished 31 December %d\n", next);
  parse(buf, &r);
  assert_int_equal(r.date, next * 10000 + 1231);
  assert_int_equal(r.date_source, DOCPARSE_DATE_TEXT);
  snprintf(buf, sizeof buf, "Title\nPublished 1 January %d\n", next + 1);
  parse(buf, &r);
  assert_int_equal(r.date, 0);
  assert_int_equal(docparse_dateline(buf, strlen(buf), 5, next + 1),
                   (next + 1) * 10000 + 101);
}

/* ---------------------------------------------------------------------
** Dates of metadata values
*/

#define DV(s) docparse_date_value(s, strlen(s))

static void date_value_iso(void **state) {
  (void)state;
  assert_int_equal(DV("2021-04-07"), 20210407);
  assert_int_equal(DV("  2021-04-07 \r\n"), 20210407);
  assert_int_equal(DV("2021-04-07T10:32:00Z"), 20210407);
  assert_int_equal(DV("2021-04-07T10:32Z"), 20210407);
  assert_int_equal(DV("2021-04-07T10:32:00"), 20210407);
  assert_int_equal(DV("2021-04-07 10:32:00+05:00"), 20210407);
  assert_int_equal(DV("2021-04-07T23:59:59.123456-0800"), 20210407);
  assert_int_equal(DV("2021-04-07T00:00:00,5+05"), 20210407);
  assert_int_equal(DV("2021-04-07 10:32:00 UTC"), 20210407);
  assert_int_equal(DV("2021-04-07 10:32"), 20210407);
  assert_int_equal(DV("20210407"), 20210407);
  assert_int_equal(DV("1000-01-01"), 10000101);
  assert_int_equal(DV("9999-12-31"), 99991231);
  assert_int_equal(DV("1677-11-07"), 16771107);   /* a column: no clock bound */
  assert_int_equal(DV("2020-02-29"), 20200229);
}

static void date_value_rfc2822(void **state) {
  (void)state;
  assert_int_equal(DV("Wed, 07 Apr 2021 10:32:00 +0500"), 20210407);
  assert_int_equal(DV("07 Apr 2021 10:32:00 +0500"), 20210407);
  assert_int_equal(DV("Wed, 7 Apr 2021 10:32 GMT"), 20210407);
  assert_int_equal(DV("Sun, 31 Dec 2023 23:59:60 -0000"), 20231231);
  assert_int_equal(DV("Thu, 01 Jan 1970 00:00:00 UT"), 19700101);
  assert_int_equal(DV("Mon, 5 Feb 2024 08:00:00 EST"), 20240205);
  assert_int_equal(DV("Mon, 5 Feb 2024 08:00:00 +0000 (UTC)"), 20240205);
  assert_int_equal(DV("Tue, 31 Dec 2024 23:00:00 +1400"), 20241231);
}

static void date_value_words(void **state) {
  (void)state;
  assert_int_equal(DV("7 April 2021"), 20210407);
  assert_int_equal(DV("April 7, 2021"), 20210407);
  assert_int_equal(DV("07 Apr 2021"), 20210407);
  assert_int_equal(DV("03rd June, 2020"), 20200603);
  assert_int_equal(DV("Monday, 7 June 2021"), 20210607);
  assert_int_equal(DV("Thurs 3 June 2021"), 20210603);
  assert_int_equal(DV("April 7, 2021 at 10:32 AM EDT"), 20210407);
  assert_int_equal(DV("April 7, 2021, 10:32pm"), 20210407);
  assert_int_equal(DV("7 April 2021 10:32 a.m."), 20210407);
  assert_int_equal(DV("Sept. 9, 2009"), 20090909);
}

static void date_value_garbage(void **state) {
  (void)state;
  const char *bad[] = {
    "", "   ", "2021", "2021-04", "2021-02-30", "2021-13-01", "2021-04-31",
    "0999-01-01", "2021-04-07x", "2021-04-07T", "2021-04-07T25:00",
    "2021-04-07T10:60", "2021-04-07T10:32:61", "2021-04-07 garbage",
    "2021-04-07 10:32 +1500", "2021-04-07 10:32 +05:60", "2021-4-7",
    "07/04/2021", "2021/04/07", "202104070", "2021040", "09990101",
    "20210230", "Wed, 07 Apr 2021 10:32:00 +0500 extra", "Wed 31 Feb 2021",
    "Wednesday", "April 2021", "7 April", "April 7", "7 April 21",
    "Wed, 07 Apr 2021 13:00 PM", "7 April 2021 0:30am", "7 April 2021 at",
    "7 April 2021 (unclosed", "Someday, 7 April 2021", "2021-04-07 at 10:32",
    "tomorrow", "1617791520", "NaN", "2021-04-07T10:32:00ZZ",
  };
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
    if (DV(bad[i]) != 0) fail_msg("\"%s\" gave %d", bad[i], DV(bad[i]));
  }
  assert_int_equal(docparse_date_value("2021-04-07", 9), 0);  /* cut */
  assert_int_equal(docparse_date_value("2021-04-07\0", 11), 0);
}

/* Front matter takes every value form. */
static void front_matter_date_forms(void **state) {
  (void)state;
  docparse_result r;
  parse("---\ndate: Wed, 07 Apr 2021 10:32:00 +0500\n---\nx\n", &r);
  assert_int_equal(r.date, 20210407);
  assert_int_equal(r.date_source, DOCPARSE_DATE_META);
  parse("---\ndate: \"7 April 2021\"\n---\nx\n", &r);
  assert_int_equal(r.date, 20210407);
  parse("---\ndate: 2021-04-07T10:32:00Z\n---\nx\n", &r);
  assert_int_equal(r.date, 20210407);
  parse("---\ndate: 2021-04-07 10:32:00 +01:00\n---\nx\n", &r);
  assert_int_equal(r.date, 20210407);
  parse("---\ndate: 1850-01-01\n---\nx\n", &r);      /* as written */
  assert_int_equal(r.date, 18500101);
  parse("---\ndate: soon\ndate: April 7, 2021\n---\nx\n", &r);
  assert_int_equal(r.date, 20210407);                 /* the first valid */
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

/* ---------------------------------------------------------------------
** The shared corpora beside the project (skipped when absent)
*/

/* $LECTOR_SHARED/corpora/sub (CMake sets LECTOR_SHARED to ../shared
** beside the source tree) into buf, or NULL when it is not a folder. */
static const char *shared_dir(const char *sub, char *buf, size_t n) {
  struct stat st;
  const char *base = getenv("LECTOR_SHARED");
  if (!base) return NULL;
  snprintf(buf, n, "%s/corpora/%s", base, sub);
  return stat(buf, &st) == 0 && S_ISDIR(st.st_mode) ? buf : NULL;
}

enum { HEAD_MAX = 64 * 1024 };    /* what the loader keeps of a file */

/* The first HEAD_MAX bytes of the regular file path into buf, without a
** UTF-8 BOM: their count, or -1. */
static long read_head(const char *path, char *buf) {
  struct stat st;
  size_t n = 0;
  int fd = open(path, O_RDONLY | O_NONBLOCK);
  if (fd < 0) return -1;
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    close(fd);
    return -1;
  }
  while (n < HEAD_MAX) {
    ssize_t r = read(fd, buf + n, HEAD_MAX - n);
    if (r < 0) {
      close(fd);
      return -1;
    }
    if (r == 0) break;
    n += (size_t)r;
  }
  close(fd);
  if (n >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0) {
    memmove(buf, buf + 3, n - 3);
    n -= 3;
  }
  return (long)n;
}

typedef struct tally {
  size_t files, text_dates;
  char *buf;
} tally;

/* Parse every *.txt under dir with text dates on; name each one dated
** from its text. */
static void tally_dir(const char *dir, tally *t) {
  DIR *d = opendir(dir);
  struct dirent *e;
  assert_non_null(d);
  while ((e = readdir(d)) != NULL) {
    char path[PATH_MAX];
    struct stat st;
    size_t n = strlen(e->d_name);
    if (e->d_name[0] == '.') continue;
    snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
    if (lstat(path, &st) != 0) continue;
    if (S_ISDIR(st.st_mode)) {
      tally_dir(path, t);
      continue;
    }
    if (!S_ISREG(st.st_mode) || n < 4 || strcmp(e->d_name + n - 4, ".txt"))
      continue;
    long len = read_head(path, t->buf);
    assert_true(len >= 0);
    docparse_result r;
    docparse_parse(t->buf, (size_t)len, 1, &r);
    t->files++;
    if (r.date_source == DOCPARSE_DATE_TEXT) {
      print_message("dated from its text: %s -> %d\n", path, r.date);
      t->text_dates++;
    }
  }
  closedir(d);
}

/* ABC science and rural news (3,189 articles): no article there has a
** dateline (each starts with a headline and running paragraphs; the old
** rule dated five from sentences: 1677-11-07, 2102-05-04, 1946-05-01,
** 1986-04-26, 2006-12-05), so none may get a date from its text. */
static void shared_abc_no_text_dates(void **state) {
  (void)state;
  char dir[PATH_MAX];
  if (!shared_dir("abc", dir, sizeof dir)) skip();
  tally t = {0, 0, malloc(HEAD_MAX)};
  assert_non_null(t.buf);
  tally_dir(dir, &t);
  free(t.buf);
  assert_true(t.files >= 3189);
  assert_int_equal(t.text_dates, 0);
}

/* The scraped news seeds: each one's date, and the date its dateline
** gives when the header line is left aside (000: the MOSCOW opening
** group; 001: the byline, its fifth non-empty line; 002-004 have no
** dateline in their first lines: 003's "Article Posted on : - Apr 08,
** 2021" is the page's footer, line 18). */
static void shared_seeds_dates(void **state) {
  (void)state;
  static const struct {
    const char *name;
    int32_t date, source, dateline;
  } want[] = {
    {"000_f8fb3484d3c4371c.txt", 20200603, DOCPARSE_DATE_HEADER, 20200603},
    {"001_75e992cbffc40e33.txt", 20210407, DOCPARSE_DATE_HEADER, 20210407},
    {"002_8805a6bfac8cc452.txt", 0, DOCPARSE_DATE_NONE, 0},
    {"003_768a46f134fdd9a5.txt", 0, DOCPARSE_DATE_NONE, 0},
    {"004_c0d05a08d663e731.txt", 0, DOCPARSE_DATE_NONE, 0},
  };
  char dir[PATH_MAX], path[PATH_MAX + 64];
  if (!shared_dir("seeds", dir, sizeof dir)) skip();
  char *buf = malloc(HEAD_MAX);
  assert_non_null(buf);
  for (size_t i = 0; i < sizeof want / sizeof *want; i++) {
    snprintf(path, sizeof path, "%s/%s", dir, want[i].name);
    long len = read_head(path, buf);
    assert_true(len > 0);
    docparse_result r;
    docparse_parse(buf, (size_t)len, 1, &r);
    assert_int_equal(r.date, want[i].date);
    assert_int_equal(r.date_source, want[i].source);
    /* the header aside: the dateline of the body alone */
    assert_int_equal(docparse_dateline(buf + r.body_off,
                                       (size_t)len - r.body_off,
                                       LECTOR_DATELINE_LINES, 0),
                     want[i].dateline);
  }
  free(buf);
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
    cmocka_unit_test(front_matter_date_forms),
    cmocka_unit_test(dateline_bylines),
    cmocka_unit_test(dateline_openings),
    cmocka_unit_test(dateline_heading),
    cmocka_unit_test(dateline_running_text),
    cmocka_unit_test(dateline_limits),
    cmocka_unit_test(dateline_invalid),
    cmocka_unit_test(dateline_not_inside_words),
    cmocka_unit_test(dateline_line_limit),
    cmocka_unit_test(dateline_years),
    cmocka_unit_test(date_value_iso),
    cmocka_unit_test(date_value_rfc2822),
    cmocka_unit_test(date_value_words),
    cmocka_unit_test(date_value_garbage),
    cmocka_unit_test(shared_abc_no_text_dates),
    cmocka_unit_test(shared_seeds_dates),
    cmocka_unit_test(parse_precedence),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
