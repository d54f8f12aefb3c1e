/*
** docparse.c -- the header line, front matter, title and dateline of a
** document's text.  Pure functions over the caller's bytes.
**
** Sections: characters and white space; dates; header and front matter;
** title; dateline; the whole parse.
*/
#include "docparse.h"

#include <string.h>

#include "config.h"

/* ---------------------------------------------------------------------
** Characters and white space
*/

static int is_blank(char c) { return c == ' ' || c == '\t'; }
static int is_digit(char c) { return c >= '0' && c <= '9'; }
static int is_alpha(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
static int is_alnum(char c) { return is_digit(c) || is_alpha(c); }
static char lower(char c) { return c >= 'A' && c <= 'Z' ? c + 32 : c; }

/* A three-byte UTF-8 space: U+2000..U+200B, U+2028/9, U+202F, U+205F,
** U+2060, U+3000, U+FEFF. */
static int is_ws3(unsigned char a, unsigned char b, unsigned char c) {
  if (a == 0xE2 && b == 0x80)
    return (c >= 0x80 && c <= 0x8B) || c == 0xA8 || c == 0xA9 || c == 0xAF;
  if (a == 0xE2 && b == 0x81) return c == 0x9F || c == 0xA0;
  if (a == 0xE3) return b == 0x80 && c == 0x80;
  return a == 0xEF && b == 0xBB && c == 0xBF;
}

/* Length of the white-space character at s[i] (not '\n'), or 0. */
static size_t ws_fwd(const char *s, size_t len, size_t i) {
  const unsigned char *u = (const unsigned char *)s;
  unsigned char c = u[i];
  if (c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f') return 1;
  if (c == 0xC2) return i + 1 < len && u[i + 1] == 0xA0 ? 2 : 0;
  if (c == 0xE2 || c == 0xE3 || c == 0xEF)
    return i + 2 < len && is_ws3(c, u[i + 1], u[i + 2]) ? 3 : 0;
  return 0;
}

/* Length of the white-space character ending just before s[b], not
** reaching before s[a], or 0. */
static size_t ws_back(const char *s, size_t a, size_t b) {
  const unsigned char *u = (const unsigned char *)s;
  if (b == a) return 0;
  unsigned char c = u[b - 1];
  if (c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f') return 1;
  if (b - a >= 2 && u[b - 2] == 0xC2 && c == 0xA0) return 2;
  if (b - a >= 3 && is_ws3(u[b - 3], u[b - 2], c)) return 3;
  return 0;
}

/* Index of the '\n' ending the line that starts at i, or len. */
static size_t line_end(const char *s, size_t len, size_t i) {
  const char *nl = memchr(s + i, '\n', len - i);
  return nl ? (size_t)(nl - s) : len;
}

/* Trim spaces, tabs and '\r' from both ends of [*a, *b). */
static void trim_blanks(const char *s, size_t *a, size_t *b) {
  while (*a < *b && (is_blank(s[*a]) || s[*a] == '\r')) (*a)++;
  while (*b > *a && (is_blank(s[*b - 1]) || s[*b - 1] == '\r')) (*b)--;
}

/* ---------------------------------------------------------------------
** Dates
*/

int docparse_valid_date(int y, int m, int d) {
  static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (y < 1 || m < 1 || m > 12 || d < 1) return 0;
  int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return d <= days[m - 1] + (m == 2 && leap);
}

/* The n digits at s as a number (the caller checked they are digits). */
static int digits(const char *s, int n) {
  int v = 0;
  for (int i = 0; i < n; i++) v = v * 10 + (s[i] - '0');
  return v;
}

static int32_t make_date(int y, int m, int d) {
  return docparse_valid_date(y, m, d) ? (int32_t)(y * 10000 + m * 100 + d)
                                      : 0;
}

int32_t docparse_iso_date(const char *s, size_t len) {
  static const char shape[] = "dddd-dd-dd";
  if (len < 10) return 0;
  for (int i = 0; i < 10; i++)
    if (shape[i] == 'd' ? !is_digit(s[i]) : s[i] != '-') return 0;
  return make_date(digits(s, 4), digits(s + 5, 2), digits(s + 8, 2));
}

/* ---------------------------------------------------------------------
** Header line and front matter
*/

int docparse_header(const char *s, size_t len, int32_t *date,
                    size_t *body_off) {
  size_t i = 0;
  while (i < len && is_blank(s[i])) i++;
  if (len - i < 4 || memcmp(s + i, "date", 4) != 0) return 0;
  size_t j = i + 4;
  while (j < len && is_blank(s[j])) j++;
  if (j == i + 4) return 0;
  int32_t d = docparse_iso_date(s + j, len - j);
  if (!d) return 0;
  j += 10;
  size_t k = j;
  while (k < len && is_blank(s[k])) k++;
  if (k < len && (s[k] == '\r' || s[k] == '\n')) {
    if (s[k] == '\r') k++;
    if (k < len && s[k] == '\n') k++;
  } else if (k == j && k < len) {
    return 0;                     /* text glued to the date: not a header */
  }
  *date = d;
  *body_off = k;
  return 1;
}

/* Is [a, b) a "---" line (trailing blanks and '\r' allowed)? */
static int is_fence(const char *s, size_t a, size_t b) {
  while (b > a && (is_blank(s[b - 1]) || s[b - 1] == '\r')) b--;
  return b - a == 3 && memcmp(s + a, "---", 3) == 0;
}

enum { LINE_SKIP, LINE_PAIR, LINE_OTHER };

/* What the front-matter line [a, b) holds: blank, a comment, an indented
** or "- " continuation (LINE_SKIP), a `key: value` pair, or other text.
** On LINE_PAIR, *colon is the offset of the ':'. */
static int line_kind(const char *s, size_t a, size_t b, size_t *colon) {
  if (a < b && is_blank(s[a])) return LINE_SKIP;
  trim_blanks(s, &a, &b);
  if (a == b || s[a] == '#') return LINE_SKIP;
  if (s[a] == '-' && (b - a == 1 || is_blank(s[a + 1]))) return LINE_SKIP;
  const char *c = memchr(s + a, ':', b - a);
  if (!c || c == s + a) return LINE_OTHER;
  *colon = (size_t)(c - s);
  return LINE_PAIR;
}

int docparse_front_matter(const char *s, size_t len, size_t max,
                          docparse_span *block, size_t *body_off) {
  size_t lim = len < max ? len : max;
  size_t e = line_end(s, lim, 0), colon;
  if (e >= lim || !is_fence(s, 0, e)) return 0;
  size_t start = e + 1;
  for (size_t i = start; i < lim; i = e + 1) {
    e = line_end(s, lim, i);
    if (e == lim && lim < len && s[lim] != '\n') return 0; /* over max */
    if (is_fence(s, i, e)) {
      block->off = start;
      block->len = i - start;
      *body_off = e < len ? e + 1 : len;
      return 1;
    }
    if (line_kind(s, i, e, &colon) == LINE_OTHER) return 0;
  }
  return 0;
}

int docparse_meta_next(const char *s, size_t len, size_t *pos,
                       docparse_span *key, docparse_span *val) {
  size_t i = *pos, colon = 0;
  while (i < len) {
    size_t e = line_end(s, len, i), next = e < len ? e + 1 : len;
    if (line_kind(s, i, e, &colon) == LINE_PAIR) {
      size_t ka = i, kb = colon, va = colon + 1, vb = e;
      trim_blanks(s, &ka, &kb);
      trim_blanks(s, &va, &vb);
      if (vb - va >= 2 && (s[va] == '"' || s[va] == '\'') &&
          s[vb - 1] == s[va]) {
        va++;
        vb--;
      }
      *key = (docparse_span){ka, kb - ka};
      *val = (docparse_span){va, vb - va};
      *pos = next;
      return 1;
    }
    i = next;
  }
  *pos = len;
  return 0;
}

/* The first valid `date:` value of the front matter block, or 0.  The
** value may go on after the date with a time ("2020-06-03T10:00"). */
static int32_t meta_date(const char *s, size_t len) {
  size_t pos = 0;
  docparse_span k, v;
  while (docparse_meta_next(s, len, &pos, &k, &v)) {
    if (k.len != 4 || lower(s[k.off]) != 'd' || lower(s[k.off + 1]) != 'a' ||
        lower(s[k.off + 2]) != 't' || lower(s[k.off + 3]) != 'e')
      continue;
    int32_t d = docparse_iso_date(s + v.off, v.len);
    if (d && (v.len == 10 || s[v.off + 10] == 'T' || is_blank(s[v.off + 10])))
      return d;
  }
  return 0;
}

/* ---------------------------------------------------------------------
** Title
*/

docparse_span docparse_title(const char *s, size_t len, size_t max) {
  size_t a = 0, n;
  for (;;) {
    if (a >= len) return (docparse_span){len, 0};
    if (s[a] == '\n') a++;
    else if ((n = ws_fwd(s, len, a)) != 0) a += n;
    else break;
  }
  size_t b = a;
  while (b < len && s[b] != '\n' && s[b] != '\r') b++;
  while ((n = ws_back(s, a, b)) != 0) b -= n;
  if (b - a > max) {
    b = a + max;
    for (int k = 0; k < 3 && b > a && ((unsigned char)s[b] & 0xC0) == 0x80; k++)
      b--;
    while ((n = ws_back(s, a, b)) != 0) b -= n;
  }
  return (docparse_span){a, b - a};
}

/* ---------------------------------------------------------------------
** Dateline: "03rd June, 2020", "07 Apr 2021", "Apr 08, 2021" ...
*/

/* Month names, lower case, with their lengths. */
static const struct {
  char name[10];
  unsigned char len;
} months[12] = {
  {"january", 7}, {"february", 8}, {"march", 5},     {"april", 5},
  {"may", 3},     {"june", 4},     {"july", 4},      {"august", 6},
  {"september", 9}, {"october", 7}, {"november", 8}, {"december", 8}};

/* Skip spaces, tabs and no-break spaces from i; the new position. */
static size_t skip_spaces(const char *s, size_t end, size_t i) {
  for (;;) {
    if (i < end && is_blank(s[i])) i++;
    else if (i + 1 < end && (unsigned char)s[i] == 0xC2 &&
             (unsigned char)s[i + 1] == 0xA0) i += 2;
    else return i;
  }
}

/* An optional ',' then spaces. */
static size_t skip_comma(const char *s, size_t end, size_t i) {
  if (i < end && s[i] == ',') i++;
  return skip_spaces(s, end, i);
}

/* The month named by the word at s[i] (full name or 3-letter form,
** "Sept", any case, an optional '.' after a short form): 1..12 with
** *after, or 0. */
static int month_at(const char *s, size_t end, size_t i, size_t *after) {
  size_t n = 3, full;
  int m;
  if (end - i < 3) return 0;
  for (m = 0; m < 12; m++)             /* the first three letters first */
    if (lower(s[i]) == months[m].name[0] &&
        lower(s[i + 1]) == months[m].name[1] &&
        lower(s[i + 2]) == months[m].name[2])
      break;
  if (m == 12) return 0;
  full = months[m].len;
  while (i + n < end && n < full && lower(s[i + n]) == months[m].name[n]) n++;
  if (i + n < end && is_alpha(s[i + n])) return 0;    /* a longer word */
  if (n != 3 && n != full && !(m == 8 && n == 4)) return 0;   /* "Sept" */
  *after = i + n;
  if (n < full && *after < end && s[*after] == '.') (*after)++;
  return m + 1;
}

/* A day of 1-2 digits at s[*i], with an optional st/nd/rd/th. */
static int day_at(const char *s, size_t end, size_t *i, int *day) {
  size_t j = *i;
  while (j < end && is_digit(s[j]) && j - *i < 3) j++;
  if (j == *i || j - *i > 2) return 0;
  *day = digits(s + *i, (int)(j - *i));
  if (j + 1 < end && is_alpha(s[j])) {
    char a = lower(s[j]), b = lower(s[j + 1]);
    if (!((a == 's' && b == 't') || (a == 'n' && b == 'd') ||
          (a == 'r' && b == 'd') || (a == 't' && b == 'h')))
      return 0;
    j += 2;
  }
  if (j < end && is_alpha(s[j])) return 0;
  *i = j;
  return 1;
}

/* A year of exactly 4 digits at s[i], not followed by a letter/digit. */
static int year_at(const char *s, size_t end, size_t i, int *year) {
  if (end - i < 4 || s[i] == '0') return 0;
  for (size_t k = 0; k < 4; k++)
    if (!is_digit(s[i + k])) return 0;
  if (i + 4 < end && is_alnum(s[i + 4])) return 0;
  *year = digits(s + i, 4);
  return 1;
}

/* "03rd June, 2020", "3 June 2020", "3rd of June 2020" at s[i]. */
static int32_t dmy_at(const char *s, size_t end, size_t i) {
  int d, m, y;
  size_t j = i, k;
  if (!day_at(s, end, &j, &d)) return 0;
  if ((k = skip_spaces(s, end, j)) == j) return 0;
  if (k + 2 < end && lower(s[k]) == 'o' && lower(s[k + 1]) == 'f' &&
      is_blank(s[k + 2]))
    k = skip_spaces(s, end, k + 2);
  if (!(m = month_at(s, end, k, &j))) return 0;
  if ((k = skip_comma(s, end, j)) == j) return 0;
  if (!year_at(s, end, k, &y)) return 0;
  return make_date(y, m, d);
}

/* "Apr 08, 2021", "June 3, 2020", "June 3rd 2020" at s[i]. */
static int32_t mdy_at(const char *s, size_t end, size_t i) {
  int d, m, y;
  size_t j, k;
  if (!(m = month_at(s, end, i, &j))) return 0;
  if ((k = skip_spaces(s, end, j)) == j) return 0;
  if (!day_at(s, end, &k, &d)) return 0;
  if ((j = skip_comma(s, end, k)) == k) return 0;
  if (!year_at(s, end, j, &y)) return 0;
  return make_date(y, m, d);
}

/* Offset of the end of the first max_lines lines of s. */
static size_t lines_end(const char *s, size_t len, int max_lines) {
  size_t i = 0;
  for (int n = 0; n < max_lines && i < len; n++) {
    size_t e = line_end(s, len, i);
    i = e < len ? e + 1 : len;
  }
  return i;
}

/* Can a month's name start with c (any case)? */
static int month_initial(char c) {
#define L(x) (1u << ((x) - 'a'))
  static const unsigned initials = L('j') | L('f') | L('m') | L('a') |
                                   L('s') | L('o') | L('n') | L('d');
#undef L
  unsigned k = (unsigned)(lower(c) - 'a');
  return k < 26 && (initials >> k & 1u);
}

int32_t docparse_dateline(const char *s, size_t len, int max_lines) {
  size_t end = lines_end(s, len, max_lines), i = 0;
  while (i < end) {
    char c = s[i];
    if (!is_alnum(c)) {
      i++;
      continue;
    }
    /* a word starts at i: try it, then skip it */
    int32_t d = is_digit(c) ? dmy_at(s, end, i)
                            : month_initial(c) ? mdy_at(s, end, i) : 0;
    if (d) return d;
    while (i < end && is_alnum(s[i])) i++;
  }
  return 0;
}

/* ---------------------------------------------------------------------
** The whole parse
*/

void docparse_parse(const char *s, size_t len, int text_dates,
                    docparse_result *r) {
  int32_t date;
  size_t off;
  memset(r, 0, sizeof *r);
  if (docparse_header(s, len, &date, &off)) {
    r->body_off = off;
    r->date = date;
    r->date_source = DOCPARSE_DATE_HEADER;
  } else if (docparse_front_matter(s, len, LECTOR_FRONT_MATTER_MAX,
                                   &r->front_matter, &off)) {
    r->body_off = off;
    r->has_front_matter = 1;
    r->date = meta_date(s + r->front_matter.off, r->front_matter.len);
    if (r->date) r->date_source = DOCPARSE_DATE_META;
  }
  const char *body = s + r->body_off;
  size_t blen = len - r->body_off;
  r->title = docparse_title(body, blen, LECTOR_TITLE_MAX);
  r->title.off += r->body_off;
  if (!r->date && text_dates) {
    r->date = docparse_dateline(body, blen, LECTOR_DATELINE_LINES);
    if (r->date) r->date_source = DOCPARSE_DATE_TEXT;
  }
}
