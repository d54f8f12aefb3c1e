/*
** docparse.c -- the header line, front matter, title and dateline of a
** document's text.  Pure functions over the caller's bytes.
**
** Sections: characters and white space; dates; header and front matter;
** title; dateline; the whole parse.
*/
#include "docparse.h"

#include <string.h>
#include <time.h>

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
** Dates in words: "03rd June, 2020", "07 Apr 2021", "Apr 08, 2021" ...
*/

/* Month and weekday names, lower case, with their lengths. */
typedef struct name {
  char s[10];
  unsigned char len;
} name;

static const name months[12] = {
  {"january", 7}, {"february", 8}, {"march", 5},     {"april", 5},
  {"may", 3},     {"june", 4},     {"july", 4},      {"august", 6},
  {"september", 9}, {"october", 7}, {"november", 8}, {"december", 8}};

static const name weekdays[7] = {
  {"monday", 6}, {"tuesday", 7},  {"wednesday", 9}, {"thursday", 8},
  {"friday", 6}, {"saturday", 8}, {"sunday", 6}};

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

/* The word at s[i] as n.s cut to its first 3 letters, to its full
** length, or to alt1/alt2 letters (0: none), any case, then an optional
** '.' after a cut form: 1 with *after, or 0. */
static int name_at(const char *s, size_t end, size_t i, const name *n,
                   size_t alt1, size_t alt2, size_t *after) {
  size_t k = 0;
  while (i + k < end && k < n->len && lower(s[i + k]) == n->s[k]) k++;
  if (i + k < end && is_alpha(s[i + k])) return 0;     /* a longer word */
  if (k != 3 && k != n->len && k != alt1 && k != alt2) return 0;
  *after = i + k;
  if (k < n->len && *after < end && s[*after] == '.') (*after)++;
  return 1;
}

/* Is c (any case) among the letters of the bit set? */
#define LETTER_BIT(x) (1u << ((x) - 'a'))
static int letter_in(char c, unsigned set) {
  unsigned k = (unsigned)(lower(c) - 'a');
  return k < 26 && (set >> k & 1u);
}

/* The month named at s[i] ("Sept" too): 1..12 with *after, or 0. */
static int month_at(const char *s, size_t end, size_t i, size_t *after) {
  static const unsigned initials =
      LETTER_BIT('j') | LETTER_BIT('f') | LETTER_BIT('m') | LETTER_BIT('a') |
      LETTER_BIT('s') | LETTER_BIT('o') | LETTER_BIT('n') | LETTER_BIT('d');
  if (end - i < 3 || !letter_in(s[i], initials)) return 0;
  for (int m = 0; m < 12; m++)
    if (lower(s[i]) == months[m].s[0] && lower(s[i + 1]) == months[m].s[1] &&
        name_at(s, end, i, &months[m], m == 8 ? 4 : 0, 0, after))
      return m + 1;
  return 0;
}

/* A weekday named at s[i] ("Tues", "Thur", "Thurs" too): 1 with *after. */
static int weekday_at(const char *s, size_t end, size_t i, size_t *after) {
  static const unsigned initials = LETTER_BIT('m') | LETTER_BIT('t') |
                                   LETTER_BIT('w') | LETTER_BIT('f') |
                                   LETTER_BIT('s');
  if (end - i < 3 || !letter_in(s[i], initials)) return 0;
  for (int w = 0; w < 7; w++)
    if (lower(s[i]) == weekdays[w].s[0] &&
        name_at(s, end, i, &weekdays[w], w == 1 || w == 3 ? 4 : 0,
                w == 3 ? 5 : 0, after))
      return 1;
  return 0;
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

/* A year of exactly 4 digits at s[i] (1000-9999), not followed by a
** letter or digit. */
static int year_at(const char *s, size_t end, size_t i, int *year) {
  if (end - i < 4 || s[i] == '0') return 0;
  for (size_t k = 0; k < 4; k++)
    if (!is_digit(s[i + k])) return 0;
  if (i + 4 < end && is_alnum(s[i + 4])) return 0;
  *year = digits(s + i, 4);
  return 1;
}

/* "03rd June, 2020", "3 June 2020", "3rd of June 2020" at s[i]: the date
** with *after, or 0. */
static int32_t dmy_at(const char *s, size_t end, size_t i, size_t *after) {
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
  *after = k + 4;
  return make_date(y, m, d);
}

/* "Apr 08, 2021", "June 3, 2020", "June 3rd 2020" at s[i]: the date with
** *after, or 0. */
static int32_t mdy_at(const char *s, size_t end, size_t i, size_t *after) {
  int d, m, y;
  size_t j, k;
  if (!(m = month_at(s, end, i, &j))) return 0;
  if ((k = skip_spaces(s, end, j)) == j) return 0;
  if (!day_at(s, end, &k, &d)) return 0;
  if ((j = skip_comma(s, end, k)) == k) return 0;
  if (!year_at(s, end, j, &y)) return 0;
  *after = j + 4;
  return make_date(y, m, d);
}

/* ---------------------------------------------------------------------
** Times and zones
*/

/* A clock time at s[i]: h[h]:mm, then :ss and, when frac is set, a
** fraction (.123 or ,123); h <= 23, mm <= 59, ss <= 60 (a leap second).
** 1 with *hour and *after, or 0. */
static int clock_at(const char *s, size_t end, size_t i, int frac,
                    int *hour, size_t *after) {
  size_t j = i;
  while (j < end && is_digit(s[j]) && j - i < 3) j++;
  if (j == i || j - i > 2 || j + 2 >= end || s[j] != ':' ||
      !is_digit(s[j + 1]) || !is_digit(s[j + 2]))
    return 0;
  int h = digits(s + i, (int)(j - i)), m = digits(s + j + 1, 2);
  if (h > 23 || m > 59) return 0;
  j += 3;
  if (j + 2 < end && s[j] == ':' && is_digit(s[j + 1]) && is_digit(s[j + 2])) {
    if (digits(s + j + 1, 2) > 60) return 0;
    j += 3;
    if (frac && j + 1 < end && (s[j] == '.' || s[j] == ',') &&
        is_digit(s[j + 1]))
      for (j++; j < end && is_digit(s[j]); j++) {}
  }
  if (j < end && is_digit(s[j])) return 0;
  *hour = h;
  *after = j;
  return 1;
}

/* "am", "pm", "a.m.", "p.m." (any case) at s[i], not followed by a letter
** or digit: 1 with *after, or 0. */
static int meridiem_at(const char *s, size_t end, size_t i, size_t *after) {
  if (end - i < 2 || (lower(s[i]) != 'a' && lower(s[i]) != 'p')) return 0;
  size_t j = i + 1;
  int dots = j < end && s[j] == '.';
  j += (size_t)dots;
  if (j >= end || lower(s[j]) != 'm') return 0;
  j++;
  if (dots) {
    if (j >= end || s[j] != '.') return 0;
    j++;
  }
  if (j < end && is_alnum(s[j])) return 0;
  *after = j;
  return 1;
}

/* A numeric zone offset at s[i]: + or -, then hh, hhmm or hh:mm (or h
** after a zone name: "GMT+5"); hours <= 14, minutes <= 59. */
static int offset_at(const char *s, size_t end, size_t i, int one_digit,
                     size_t *after) {
  if (i >= end || (s[i] != '+' && s[i] != '-')) return 0;
  size_t j = i + 1, k = j;
  while (k < end && is_digit(s[k])) k++;
  int h, m = 0;
  if (k - j == 4) {
    h = digits(s + j, 2);
    m = digits(s + j + 2, 2);
  } else if (k - j == 2 || (k - j == 1 && one_digit)) {
    h = digits(s + j, (int)(k - j));
    if (k + 2 < end && s[k] == ':' && is_digit(s[k + 1]) &&
        is_digit(s[k + 2])) {
      m = digits(s + k + 1, 2);
      k += 3;
    }
  } else {
    return 0;
  }
  if (h > 14 || m > 59 || (k < end && is_alnum(s[k]))) return 0;
  *after = k;
  return 1;
}

/* A zone at s[i]: "Z", a numeric offset, or (unless glued to a time) a
** name of 1-5 capital letters (GMT, UTC, EST, AEST) with an optional
** offset ("GMT+5"). */
static int zone_at(const char *s, size_t end, size_t i, int glued,
                   size_t *after) {
  size_t j = i;
  if (offset_at(s, end, i, 0, after)) return 1;
  while (j < end && j - i < 6 && s[j] >= 'A' && s[j] <= 'Z') j++;
  if (j == i || j - i > 5 || (j < end && is_alnum(s[j]))) return 0;
  if (glued && (j - i != 1 || s[i] != 'Z')) return 0;
  if (!offset_at(s, end, j, 1, after)) *after = j;
  return 1;
}

/* ---------------------------------------------------------------------
** Dates in columns and front matter
*/

/* "YYYY-MM-DD" at s[i] (year 1000-9999) not glued to a digit or letter
** other than a 'T': the date with *after, or 0. */
static int32_t iso_at(const char *s, size_t end, size_t i, size_t *after) {
  int32_t d = docparse_iso_date(s + i, end - i);
  size_t j = i + 10;
  if (!d || s[i] == '0' || (j < end && is_alnum(s[j]) && s[j] != 'T'))
    return 0;
  *after = j;
  return d;
}

/* What may follow the date of a column value, s[i..end): nothing, or a
** time ('T' glued after an ISO date, else after spaces, a comma or "at"),
** then an optional am/pm, a zone and a "(comment)". */
static int value_tail(const char *s, size_t end, size_t i, int iso) {
  size_t j;
  int h;
  if (i == end) return 1;
  if (iso && s[i] == 'T') {
    i++;
  } else {
    if ((j = skip_comma(s, end, i)) == i) return 0;
    i = j;
    if (!iso && end - i > 3 && lower(s[i]) == 'a' && lower(s[i + 1]) == 't' &&
        is_blank(s[i + 2]))
      i = skip_spaces(s, end, i + 2);
  }
  if (!clock_at(s, end, i, 1, &h, &i)) return 0;
  j = skip_spaces(s, end, i);
  if (j < end && meridiem_at(s, end, j, &i)) {
    if (h < 1 || h > 12) return 0;
    j = skip_spaces(s, end, i);
  }
  if (j < end && zone_at(s, end, j, j == i, &i)) j = skip_spaces(s, end, i);
  if (j < end && s[j] == '(') {
    const char *c = memchr(s + j, ')', end - j);
    if (!c) return 0;
    j = skip_spaces(s, end, (size_t)(c - s) + 1);
  }
  return j == end;
}

int32_t docparse_date_value(const char *s, size_t len) {
  size_t a = 0, b = len, i, n;
  int32_t d;
  while (a < b && (s[a] == '\n' || ws_fwd(s, b, a)))
    a += s[a] == '\n' ? 1 : ws_fwd(s, b, a);
  while (b > a && (s[b - 1] == '\n' || ws_back(s, a, b)))
    b -= s[b - 1] == '\n' ? 1 : ws_back(s, a, b);
  if (a == b) return 0;
  if (weekday_at(s, b, a, &i)) {              /* "Wed, 07 Apr 2021 ..." */
    if ((n = skip_comma(s, b, i)) == i) return 0;
    a = n;
  }
  if ((d = iso_at(s, b, a, &i)) != 0) return value_tail(s, b, i, 1) ? d : 0;
  if (b - a == 8) {                           /* YYYYMMDD */
    for (i = a; i < b && is_digit(s[i]); i++) {}
    if (i == b)
      return s[a] == '0' ? 0 : make_date(digits(s + a, 4),
                                         digits(s + a + 4, 2),
                                         digits(s + a + 6, 2));
  }
  if (!(d = dmy_at(s, b, a, &i)) && !(d = mdy_at(s, b, a, &i))) return 0;
  return value_tail(s, b, i, 0) ? d : 0;
}

/* The first valid `date:` value of the front matter block, or 0. */
static int32_t meta_date(const char *s, size_t len) {
  size_t pos = 0;
  docparse_span k, v;
  while (docparse_meta_next(s, len, &pos, &k, &v)) {
    if (k.len != 4 || lower(s[k.off]) != 'd' || lower(s[k.off + 1]) != 'a' ||
        lower(s[k.off + 2]) != 't' || lower(s[k.off + 3]) != 'e')
      continue;
    int32_t d = docparse_date_value(s + v.off, v.len);
    if (d) return d;
  }
  return 0;
}

/* ---------------------------------------------------------------------
** Dateline (the rule is in docparse.h)
*/

/* Length of a dash at s[i]: "-", "--", U+2010..U+2015; else 0. */
static size_t dash_len(const char *s, size_t end, size_t i) {
  const unsigned char *u = (const unsigned char *)s;
  if (u[i] == '-') return i + 1 < end && u[i + 1] == '-' ? 2 : 1;
  if (u[i] == 0xE2 && i + 2 < end && u[i + 1] == 0x80 && u[i + 2] >= 0x90 &&
      u[i + 2] <= 0x95)
    return 3;
  return 0;
}

/* Length of a punctuation mark at s[i] (not a space, dash or bracket,
** which the caller takes first): ASCII punctuation, U+00A1..U+00BF,
** U+2016..U+206F (quotes, bullets), arrows, geometric shapes; else 0. */
static size_t punct_len(const char *s, size_t end, size_t i) {
  const unsigned char *u = (const unsigned char *)s;
  unsigned char c = u[i];
  if (c < 0x80) return c > ' ' && c < 0x7F && !is_alnum((char)c) ? 1 : 0;
  if (c == 0xC2) return i + 1 < end && u[i + 1] >= 0xA1 && u[i + 1] <= 0xBF;
  if (c != 0xE2 || i + 2 >= end) return 0;
  unsigned char b = u[i + 1], t = u[i + 2];
  if ((b == 0x80 && t >= 0x96) || (b == 0x81 && t <= 0xAF) || b == 0x86 ||
      b == 0x87 || b == 0x96 || b == 0x97)
    return 3;
  return 0;
}

/* End of the word at s[i]: letters, digits, non-ASCII letters, '.', '\'',
** a ':' between digits ("10:32"), and a hyphen or U+2019 apostrophe
** between two letters or digits ("Sputnik-V", "O\u2019Brien", "a.m."). */
static size_t word_end(const char *s, size_t end, size_t i) {
  const unsigned char *u = (const unsigned char *)s;
  size_t a = i, n;
  while (i < end) {
    unsigned char c = u[i];
    if (is_alnum((char)c) || c == '.' || c == '\'' ||
        (c == ':' && i > a && is_digit(s[i - 1]) && i + 1 < end &&
         is_digit(s[i + 1]))) {
      i++;
      continue;
    }
    n = c == '-' ? 1
      : c == 0xE2 && i + 2 < end && u[i + 1] == 0x80 &&
        ((u[i + 2] >= 0x90 && u[i + 2] <= 0x94) || u[i + 2] == 0x99) ? 3 : 0;
    if (n) {
      if (i > a && is_alnum(s[i - 1]) && i + n < end && is_alnum(s[i + n])) {
        i += n;
        continue;
      }
      break;
    }
    if (c >= 0x80 && !ws_fwd(s, end, i) && !punct_len(s, end, i)) {
      i++;
      continue;
    }
    break;
  }
  return i;
}

/* Is [i, e) a clock time of running text: h[h]:mm[:ss], a glued am/pm
** or both ("10:32", "10am", "10:32pm", "10 a.m." is two words), with
** trailing dots allowed? */
static int text_clock(const char *s, size_t i, size_t e) {
  int h = 0, colon;
  size_t j = i, k, dots = e;
  while (dots > i && s[dots - 1] == '.') dots--;
  if ((colon = clock_at(s, e, i, 0, &h, &j)) == 0) {
    while (j < e && is_digit(s[j]) && j - i < 3) j++;
    if (j == i || j - i > 2) return 0;
    h = digits(s + i, (int)(j - i));
  }
  if (j >= dots) return colon;
  return meridiem_at(s, e, j, &k) && (k == e || k == dots) && h >= 1 &&
         h <= 12;
}

/* Lower-case words a dateline may hold, besides weekdays and months. */
static const name labels[] = {
  {"a.m", 3},     {"am", 2},        {"and", 3},     {"at", 2},
  {"by", 2},      {"created", 7},   {"date", 4},    {"dated", 5},
  {"edited", 6},  {"filed", 5},     {"first", 5},   {"in", 2},
  {"issued", 6},  {"last", 4},      {"modified", 8}, {"of", 2},
  {"on", 2},      {"p.m", 3},       {"pm", 2},      {"posted", 6},
  {"published", 9}, {"released", 8}, {"reviewed", 8}, {"updated", 7},
  {"written", 7}};

/* Can the word [i, e) stand in a dateline besides its date?  A word with
** a capital initial (A-Z, or U+00C0..U+00DE: a name, place, agency, label,
** weekday or zone), a clock time, or a lower-case label, weekday or
** month.  Anything else -- a lower-case word of a sentence, another
** number, a word in another script -- is not. */
static int filler_word(const char *s, size_t i, size_t e) {
  unsigned char c = (unsigned char)s[i];
  size_t j;
  if (c >= 'A' && c <= 'Z') return 1;
  if (c == 0xC3)
    return i + 1 < e && (unsigned char)s[i + 1] >= 0x80 &&
           (unsigned char)s[i + 1] <= 0x9E && (unsigned char)s[i + 1] != 0x97;
  if (is_digit((char)c)) return text_clock(s, i, e);
  if (c < 'a' || c > 'z') return 0;
  while (e > i + 1 && s[e - 1] == '.') e--;
  if ((month_at(s, e, i, &j) || weekday_at(s, e, i, &j)) && j == e) return 1;
  for (size_t k = 0; k < sizeof labels / sizeof *labels; k++)
    if (labels[k].len == e - i && labels[k].s[0] == s[i] &&
        memcmp(labels[k].s, s + i, e - i) == 0)
      return 1;
  return 0;
}

/* Is [i, e) a place in capitals ("MOSCOW", "ST.", "NEW"): two or more
** capital letters and no small one? */
static int place_word(const char *s, size_t i, size_t e) {
  int caps = 0;
  for (; i < e; i++) {
    if (s[i] >= 'a' && s[i] <= 'z') return 0;
    caps += s[i] >= 'A' && s[i] <= 'Z';
  }
  return caps >= 2;
}

/* A date at s[i] of a dateline: an ISO date (a 'T' time may be glued to
** it) or a date in words; the date with *after, or 0. */
static int32_t text_date_at(const char *s, size_t end, size_t i,
                            size_t *after) {
  int32_t d;
  int h;
  if (is_digit(s[i])) {
    if ((d = iso_at(s, end, i, after)) == 0) return dmy_at(s, end, i, after);
    if (*after < end && s[*after] == 'T') {
      size_t j;
      if (!clock_at(s, end, *after + 1, 1, &h, &j)) return 0;
      if (!zone_at(s, end, j, 1, after)) *after = j;
    }
    return d;
  }
  return is_alpha(s[i]) ? mdy_at(s, end, i, after) : 0;
}

/* The first date of the line [a, b) (trimmed, not empty) if the line is
** a dateline, else 0.  One pass over its tokens: white space and
** punctuation are skipped, brackets counted, a date kept, and every word
** must pass filler_word (in brackets after a place, any word may stand:
** "(Staff report - 14th March, 2018)"), LECTOR_DATELINE_WORDS at most.
** A dash or a closing bracket outside brackets closes an opening group:
** with a date seen and a place in capitals first on the line, the date
** is the dateline's.  At the line's end, the whole line is the dateline
** if it is at most LECTOR_DATELINE_BYTES long. */
static int32_t dateline_line(const char *s, size_t a, size_t b) {
  size_t i = a, n, e;
  int depth = 0, words = 0, place = 0;
  int32_t date = 0, d;
  while (i < b) {
    char c = s[i];
    if ((n = ws_fwd(s, b, i)) != 0) {
      i += n;
    } else if (c == '(' || c == '[') {
      depth++;
      i++;
    } else if (c == ')' || c == ']' || (n = dash_len(s, b, i)) != 0) {
      if (c == ')' || c == ']') {
        n = 1;
        depth -= depth > 0;
      }
      i += n;
      if (depth == 0 && date && place) return date;
    } else if (c == '+' && zone_at(s, b, i, 0, &e)) {
      if (++words > LECTOR_DATELINE_WORDS) return 0;
      i = e;
    } else if ((n = punct_len(s, b, i)) != 0) {
      i += n;
    } else if ((d = text_date_at(s, b, i, &e)) != 0) {
      if (!date) date = d;
      i = e;
    } else {
      e = word_end(s, b, i);
      if (e == i || ++words > LECTOR_DATELINE_WORDS ||
          !((place && depth) || filler_word(s, i, e)))
        return 0;
      if (i == a) place = place_word(s, i, e);
      i = e;
    }
  }
  return b - a <= LECTOR_DATELINE_BYTES ? date : 0;
}

/* A heading that ends with its date ("Annual Message to the Congress.
** January 22, 1970"): the date of the line [a, b) after one of its last
** three sentence stops (., ! or ? then white space; "Jan. 22" has one
** inside the date) when that rest is a dateline, else 0. */
static int32_t heading_date(const char *s, size_t a, size_t b) {
  size_t p = b, q, n;
  for (int tries = 0; tries < 3; tries++) {
    while (p > a + 1 &&
           !(ws_fwd(s, b, p - 1) && (s[p - 2] == '.' || s[p - 2] == '!' ||
                                      s[p - 2] == '?')))
      p--;
    if (p <= a + 1) return 0;
    for (q = p; q < b && (n = ws_fwd(s, b, q)) != 0;) q += n;
    int32_t d = q < b ? dateline_line(s, q, b) : 0;
    if (d) return d;
    p--;
  }
  return 0;
}

int docparse_max_year(time_t now) {
  struct tm tm;
  if (now == (time_t)-1 || !gmtime_r(&now, &tm)) return 9999;
  return tm.tm_year + 1900 + 1;
}

int32_t docparse_dateline(const char *s, size_t len, int max_lines,
                          int max_year) {
  size_t i = 0, a, b, n;
  int seen = 0;
  while (i < len && seen < max_lines) {
    size_t e = line_end(s, len, i);
    a = i;
    b = e;
    i = e < len ? e + 1 : len;
    while (a < b && (n = ws_fwd(s, b, a)) != 0) a += n;
    while (b > a && (n = ws_back(s, a, b)) != 0) b -= n;
    if (a == b) continue;
    seen++;
    int32_t d = dateline_line(s, a, b);
    if (!d && seen == 1 && b - a <= LECTOR_TITLE_MAX) d = heading_date(s, a, b);
    if (!d || d < 19000101) continue;
    if (max_year <= 0) max_year = docparse_max_year(time(NULL));
    if (d / 10000 <= max_year) return d;
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
    r->date = docparse_dateline(body, blen, LECTOR_DATELINE_LINES, 0);
    if (r->date) r->date_source = DOCPARSE_DATE_TEXT;
  }
}
