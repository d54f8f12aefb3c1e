/*
** docparse.h -- pure parsing of the leading bytes of a document's text
** (already decoded, BOM removed): the " date YYYY-MM-DD" header line, a
** `---` front-matter block, the title, and a dateline in the first lines.
**
** Nothing here allocates or keeps state: every function reads the
** caller's buffer and answers with offsets into it.  Dates are YYYYMMDD
** integers, 0 meaning none.  Line ends may be \n or \r\n.
*/
#ifndef LECTOR_DOCPARSE_H
#define LECTOR_DOCPARSE_H

#include <stddef.h>
#include <stdint.h>

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

/* Parse s[0..len): header or front matter (LECTOR_FRONT_MATTER_MAX),
** then the title (LECTOR_TITLE_MAX bytes), then, when neither gave a
** date and text_dates is set, a dateline in the first
** LECTOR_DATELINE_LINES lines of the body (limits from config.h). */
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

/* The first date written out in words in the first max_lines lines of s:
** "03rd June, 2020", "07 Apr 2021", "Apr 08, 2021", "June 3, 2020",
** "3 June 2020" (full or 3-letter month names, any case, st/nd/rd/th
** suffixes).  YYYYMMDD, or 0 when there is none. */
int32_t docparse_dateline(const char *s, size_t len, int max_lines);

/* The first non-blank line of s, trimmed of white space (ASCII and
** Unicode spaces), cut to at most max bytes at a UTF-8 boundary. */
docparse_span docparse_title(const char *s, size_t len, size_t max);

#endif
