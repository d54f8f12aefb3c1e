/*
** docparse.h -- pure parsing of the leading bytes of a document's text
** (already decoded, BOM removed): the " date YYYY-MM-DD" header line, a
** `---` front-matter block, the title, a dateline in the first lines, and
** the date of a metadata value.
**
** Nothing here allocates or keeps state: every function reads the
** caller's buffer and answers with offsets into it (the dateline reads
** the clock, for its latest year, unless given one).  Dates are YYYYMMDD
** integers, 0 meaning none.  Line ends may be \n or \r\n.
*/
#ifndef LECTOR_DOCPARSE_H
#define LECTOR_DOCPARSE_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

/* Where a date came from; the same values as corpus_date_source. */
enum {
  DOCPARSE_DATE_NONE = 0,
  DOCPARSE_DATE_HEADER = 1,
  DOCPARSE_DATE_META = 2,
  DOCPARSE_DATE_TEXT = 3
};

/* A byte range of the parsed buffer. */
typedef struct docparse_span {
  size_t off, len;
} docparse_span;

typedef struct docparse_result {
  size_t body_off;            /* where the body starts */
  int32_t date;               /* YYYYMMDD, or 0 */
  int date_source;            /* DOCPARSE_DATE_* */
  int has_front_matter;       /* a complete `---` block was removed */
  docparse_span front_matter; /* its `key: value` lines, between the ---s */
  docparse_span title;        /* the title (trimmed, cut); len 0 if none */
} docparse_result;

/* Parse s[0..len): header or front matter (LECTOR_FRONT_MATTER_MAX;
** its first `date:` read by docparse_date_value), then the title
** (LECTOR_TITLE_MAX bytes), then, when neither gave a date and text_dates
** is set, docparse_dateline over the first LECTOR_DATELINE_LINES
** non-empty lines of the body, next year by the clock the latest year
** (limits from config.h). */
void docparse_parse(const char *s, size_t len, int text_dates,
                    docparse_result *r);

/* 1 if y-m-d is a real calendar date (Gregorian leap years), else 0. */
int docparse_valid_date(int y, int m, int d);

/* The date "YYYY-MM-DD" at the start of s as YYYYMMDD (0 if s does not
** start with a valid one); what follows it is not looked at. */
int32_t docparse_iso_date(const char *s, size_t len);

/* The header line: optional spaces/tabs, "date", spaces/tabs, a valid
** YYYY-MM-DD, then spaces/tabs before the article's first line, or the
** line end.  1 with *date and *body_off (just after the date and the
** blanks, or on the next line when nothing follows), else 0. */
int docparse_header(const char *s, size_t len, int32_t *date,
                    size_t *body_off);

/* A front-matter block: a first line "---", lines, a closing "---" line
** ending within max bytes.  1 with *block (the lines between) and
** *body_off (after the closing line), else 0. */
int docparse_front_matter(const char *s, size_t len, size_t max,
                          docparse_span *block, size_t *body_off);

/* Next `key: value` pair of the block s[0..len), starting at *pos (0 at
** first).  Keys and values are trimmed; quotes around the value are
** stripped; blank lines, `#` comments and lines without a key are
** skipped.  1 with the spans (offsets into s), or 0 at the end. */
int docparse_meta_next(const char *s, size_t len, size_t *pos,
                       docparse_span *key, docparse_span *val);

/* The date of a dateline among the first max_lines non-empty lines of s
** (docparse_parse passes LECTOR_DATELINE_LINES, 5), or 0.  A date is
** never taken from running sentences: only from a line that is
**
**  (a) a short line holding a date and little else: the whole line,
**      trimmed, is at most LECTOR_DATELINE_BYTES (100) bytes and "little
**      else" (below) holds for all of it:
**        Aisha Mahmood 07 Apr 2021       Published: Apr 08, 2021
**        Updated 7 April 2021 10:32 GMT  Monday, 7 June 2021
**        2021-04-07T10:32:00Z            April 16, 1945
**  (b) a paragraph opening with a dateline: the line starts with a place
**      in capitals (a first word of two or more capital letters and no
**      small one: MOSCOW, NEW YORK, ST. LOUIS), and the opening group up
**      to a dash or a closing bracket (outside brackets) holds the date
**      and little else, whatever the sentence after it:
**        MOSCOW (UrduPoint News / Sputnik - 03rd June, 2020) Islamabad ...
**        WASHINGTON, March 3, 2021 -- The president ...
**      In brackets after the place any word may stand (an agency credit:
**      "HILLTOWN (Staff report - 14th March, 2018) The board ...").
**  (c) a heading that ends with its date: the first non-empty line, at
**      most LECTOR_TITLE_MAX bytes, whose rest after one of its last
**      three sentence stops (., ! or ? then white space) is a dateline by
**      (a):
**        Annual Message to the Congress. January 22, 1970
**        Address on the State of the Union. Jan. 30, 1974
**
** "Little else" is exact: besides its dates, the line or group holds
** white space, punctuation, brackets, dashes and at most
** LECTOR_DATELINE_WORDS (8) words, each of them
**   - a word with a capital initial (A-Z, U+00C0..U+00DE): a name, place,
**     agency, label, weekday or zone (Aisha, Published, Monday, GMT);
**   - a clock time (10:32, 10:32:00, 10am, 10:32pm) or zone (+0500);
**   - a lower-case label: by, on, at, and, in, of, am, pm, a.m., p.m.,
**     posted, published, updated, date, dated, last, modified, first,
**     created, filed, issued, released, reviewed, edited, written, or a
**     weekday or month name.
** Any other word -- a lower-case word of a sentence ("On 7 November 1677
** Edmond Halley witnessed"), another number, a word in another script --
** and the line is no dateline.
**
** Dates: "03rd June, 2020", "3 June 2020", "3rd of June 2020", "June 3,
** 2020", "Apr 08, 2021", "Sept. 9 2009" (full or 3-letter month names,
** any case, st/nd/rd/th) and ISO "2021-04-07" (a 'T' time may be glued).
** A date without a year ("LONDON, April 7 (Reuters) -") is no date: the
** year is not guessed.  Numeric dates other than ISO (07/04/2021) are
** ambiguous and not read.  When a line holds several dates, the first
** counts.  A date with a year before 1900 or after max_year is not used
** (the next line is tried); max_year <= 0 means
** docparse_max_year(time(NULL)). */
int32_t docparse_dateline(const char *s, size_t len, int max_lines,
                          int max_year);

/* The year after now's year (UTC): the latest year a dateline may have
** ("next year").  9999 when now is (time_t)-1, a failed clock. */
int docparse_max_year(time_t now);

/* The date of a metadata value (a CSV/JSON date column, a front-matter
** `date:`), s[0..len) trimmed of white space, as YYYYMMDD, or 0 when the
** whole value is not one of:
**   ISO 8601   2021-04-07, 2021-04-07T10:32:00Z, 2021-04-07 10:32,
**              2021-04-07T10:32:00.123+05:00, and the basic 20210407
**              (exactly 8 digits)
**   RFC 2822   Wed, 07 Apr 2021 10:32:00 +0500, 07 Apr 2021 10:32 GMT
**   words      7 April 2021, April 7, 2021, 07 Apr 2021, Monday, 7 June
**              2021, April 7, 2021 at 10:32 AM EDT
** A time is h[h]:mm[:ss[.fraction]] (hours <= 23, or 1-12 with am/pm);
** a zone is Z, +hh, +hhmm, +hh:mm (or -), or 1-5 capital letters
** (GMT, UTC, EST, AEST) with an optional offset; a "(comment)" may end
** an RFC 2822 value.  The date is the calendar date as written: the zone
** is checked, never applied.  The year is any of 1000-9999 (a column is
** data the user chose: no clock bound, unlike the dateline).  An invalid
** date (2021-02-30), time (25:00) or anything else after it is 0. */
int32_t docparse_date_value(const char *s, size_t len);

/* The first non-blank line of s, trimmed of white space (ASCII and
** Unicode spaces), cut to at most max bytes at a UTF-8 boundary. */
docparse_span docparse_title(const char *s, size_t len, size_t max);

#endif
