/*
** tok_sent.c -- sentence boundaries (UAX #29 section 5, Unicode 15.0) and
** the news-text deviations described in tok_sent.h.
**
** The scanner walks "units": a character with the Extend and Format
** characters after it (rule SB5), or CR LF.  Only a sentence terminator
** (ATerm ".", STerm "!?" and kin) or a paragraph separator can end a
** sentence, so the rules are checked only there.  Rule numbers refer to
** UAX #29.
*/
#include <string.h>

#include "tok_sent.h"
#include "tok_tables.h"
#include "tok_utf8.h"

/* ------------------------------------------------------------------------
** Units
*/

/* The unit at q (q < n): returns its end, its Sentence_Break class in *sb
** (Other for an invalid byte). */
static size_t unit_at(const uint8_t *s, size_t n, size_t q, int *sb) {
  unsigned len;
  int32_t cp;
  if (s[q] < 0x80) {
    *sb = TOK_P_SB(tok_stage2[s[q]]);
    len = 1;
  } else {
    cp = tok_utf8_decode(s, n, q, &len);
    *sb = cp < 0 ? TOK_SB_OTHER : TOK_P_SB(tok_prop((uint32_t)cp));
  }
  if (*sb == TOK_SB_CR)                              /* SB3 */
    return (q + 1 < n && s[q + 1] == '\n') ? q + 2 : q + 1;
  if (*sb == TOK_SB_LF || *sb == TOK_SB_SEP) return q + len;
  q += len;
  while (q < n && s[q] >= 0x80) {                    /* SB5 */
    int32_t c = tok_utf8_decode(s, n, q, &len);
    int k;
    if (c < 0) break;
    k = TOK_P_SB(tok_prop((uint32_t)c));
    if (k != TOK_SB_EXTEND && k != TOK_SB_FORMAT) break;
    q += len;
  }
  return q;
}

#define PARASEP(k) ((k) == TOK_SB_SEP || (k) == TOK_SB_CR || (k) == TOK_SB_LF)
#define SATERM(k) ((k) == TOK_SB_ATERM || (k) == TOK_SB_STERM)

/* ------------------------------------------------------------------------
** Abbreviations (ASCII, case-sensitive; the period is not part of them)
*/

/* Followed by a name or a number, practically never by the end of a
** sentence: no break after them. */
static const char *const titles[] = {
  "Adm", "Art", "Brig", "Capt", "Cdr", "Ch", "Cmdr", "Col", "Cpl", "Cpt",
  "Det", "Dr", "Drs", "Fig", "Figs", "Fr", "Ft", "Gen", "Gov", "Govs", "Hon",
  "Insp", "Lt", "Maj", "Messrs", "Mlle", "Mme", "Mmes", "Mr", "Mrs", "Ms",
  "Msgr", "Mt", "No", "Nos", "Nr", "Pres", "Prof", "Pvt", "Rep", "Reps",
  "Rev", "Sen", "Sens", "Sgt", "St", "Ste", "Supt", "Vol", "approx", "ca",
  "cf", "e.g", "i.e", "no", "pp", "viz", "vs", NULL
};

/* May end a sentence: a break only before a common sentence opener. */
static const char *const ambiguous[] = {
  "Apr", "Ariz", "Assn", "Aug", "Ave", "Blvd", "Bros", "Calif", "Co",
  "Conn", "Corp", "Dec", "Dept", "Feb", "Fla", "Fri", "Ga", "Ill", "Inc",
  "Jan", "Jr", "Jul", "Jun", "Ltd", "Mar", "Mass", "Mich", "Minn", "Mon",
  "Nov", "Oct", "Penn", "Plc", "Rd", "Sat", "Sep", "Sept", "Sr", "Sun",
  "Tenn", "Tex", "Thu", "Thurs", "Tue", "Tues", "Univ", "Va", "Wash", "Wed",
  "Wis", "al", "etc", "est", "govt", "jr", "plc", NULL
};

/* Capitalised words that usually open a sentence. */
static const char *const openers[] = {
  "A", "According", "After", "After", "All", "Also", "Although", "An", "And",
  "Another", "As", "At", "Because", "Before", "Both", "But", "By", "Despite",
  "During", "Each", "Earlier", "Even", "Every", "For", "From", "He", "Her",
  "Here", "His", "How", "However", "I", "If", "In", "It", "Its", "Last",
  "Later", "Many", "Meanwhile", "More", "Most", "My", "No", "Not", "Now",
  "On", "One", "Only", "Or", "Our", "She", "Since", "So", "Some", "That",
  "The", "Their", "Then", "There", "These", "They", "This", "Those",
  "Though", "To", "Today", "Under", "Until", "We", "What", "When", "Where",
  "While", "Who", "Why", "With", "Yesterday", "Yet", "You", "Your", NULL
};

static int in_list(const char *const *list, const uint8_t *w, size_t len) {
  for (; *list; list++)
    if (strlen(*list) == len && memcmp(*list, w, len) == 0) return 1;
  return 0;
}

#define ALPHA(b) (((b) | 0x20) >= 'a' && ((b) | 0x20) <= 'z')

/* Start of the ASCII word (letters and periods) ending at dot, or dot when
** there is none or it is glued to a non-ASCII letter. */
static size_t word_before(const uint8_t *s, size_t dot) {
  size_t w = dot;
  while (w > 0 && (ALPHA(s[w - 1]) || s[w - 1] == '.')) w--;
  while (w < dot && s[w] == '.') w++;
  if (w > 0 && (s[w - 1] >= 0x80 || (s[w - 1] >= '0' && s[w - 1] <= '9')))
    return dot;
  return w;
}

/* Single letters separated by periods: U.S, a.m, e.g (at least one). */
static int initialism(const uint8_t *w, size_t len) {
  size_t i;
  if (len < 3 || !(len & 1)) return 0;
  for (i = 0; i < len; i++)
    if ((i & 1) ? w[i] != '.' : !ALPHA(w[i])) return 0;
  return 1;
}

/* Is the text at k (after the terminator, closers and spaces) a common
** sentence opener, possibly after opening quotes or brackets? */
static int opener_at(const uint8_t *s, size_t n, size_t k) {
  size_t e;
  int sb;
  while (k < n) {
    size_t u = unit_at(s, n, k, &sb);
    if (sb != TOK_SB_CLOSE) break;
    k = u;
  }
  for (e = k; e < n && ALPHA(s[e]); e++) {}
  if (e < n && (s[e] >= 0x80 || s[e] == '\'' || s[e] == '.')) return 0;
  return e > k && in_list(openers, s + k, e - k);
}

/* Deviation "abbrev"/"initials": should the break after the period at dot
** (k: where the break would be) be dropped? */
static int keep_together(const uint8_t *s, size_t n, size_t dot, size_t k,
                         const tok_sent_cfg *cfg) {
  size_t w = word_before(s, dot), len = dot - w;
  const uint8_t *word = s + w;
  int amb;
  if (len == 0) return 0;
  if (cfg->abbrev && in_list(titles, word, len)) return 1;
  amb = (cfg->abbrev && (in_list(ambiguous, word, len) ||
                         initialism(word, len))) ||
        (cfg->initials && len == 1 && word[0] >= 'A' && word[0] <= 'Z');
  return amb && k < n && !opener_at(s, n, k);
}

/* Deviation "glued": "on.Our" -- lower-case letters (two or more) before
** the period at dot, a capital then a lower-case letter after it. */
static int glued_at(const uint8_t *s, size_t n, size_t dot) {
  size_t w = dot, u;
  int sb;
  while (w > 0 && s[w - 1] >= 'a' && s[w - 1] <= 'z') w--;
  if (dot - w < 2 || (w > 0 && (ALPHA(s[w - 1]) || s[w - 1] >= 0x80 ||
                                s[w - 1] == '.')))
    return 0;
  if (dot + 1 >= n) return 0;
  u = unit_at(s, n, dot + 1, &sb);
  if (sb != TOK_SB_UPPER || u >= n) return 0;
  unit_at(s, n, u, &sb);
  return sb == TOK_SB_LOWER;
}

/* ------------------------------------------------------------------------
** The scanner
*/

size_t tok_sent_next(const uint8_t *s, size_t n, size_t p,
                     const tok_sent_cfg *cfg) {
  size_t q = p;
  int prev = -1;                 /* class of the unit before q; -1 at sot */
  while (q < n) {
    int c, c1 = -1, k1, closed;
    size_t u = unit_at(s, n, q, &c), k;
    if (PARASEP(c)) return u;                        /* SB4 */
    if (!SATERM(c)) { prev = c; q = u; continue; }

    if (u < n) unit_at(s, n, u, &c1);
    if (c == TOK_SB_ATERM && s[q] == '.' && cfg->glued && prev == TOK_SB_LOWER &&
        glued_at(s, n, q))
      return u;                                      /* "on.Our" */
    if (c == TOK_SB_ATERM &&
        (c1 == TOK_SB_NUMERIC ||                     /* SB6 */
         ((prev == TOK_SB_UPPER || prev == TOK_SB_LOWER) &&
          c1 == TOK_SB_UPPER))) {                    /* SB7 */
      prev = c;
      q = u;
      continue;
    }
    k = u;
    while (k < n) {                                  /* SB9: Close* */
      size_t e = unit_at(s, n, k, &k1);
      if (k1 != TOK_SB_CLOSE) break;
      k = e;
    }
    closed = k > u;
    while (k < n) {                                  /* SB10: Sp* */
      size_t e = unit_at(s, n, k, &k1);
      if (k1 != TOK_SB_SP) break;
      k = e;
    }
    if (k < n) {
      size_t e = unit_at(s, n, k, &k1);
      if (PARASEP(k1)) return e;                     /* SB9-SB11 */
      if (k1 == TOK_SB_SCONTINUE || SATERM(k1)) {    /* SB8a */
        prev = c;
        q = u;
        continue;
      }
      if (c == TOK_SB_ATERM) {                       /* SB8 */
        size_t j = k;
        int kj = k1;
        while (!(kj == TOK_SB_OLETTER || kj == TOK_SB_UPPER ||
                 kj == TOK_SB_LOWER || PARASEP(kj) || SATERM(kj))) {
          int skip;
          j = unit_at(s, n, j, &skip);             /* past unit j */
          if (j >= n) { kj = -1; break; }
          unit_at(s, n, j, &kj);
        }
        if (kj == TOK_SB_LOWER) {
          prev = c;
          q = u;
          continue;
        }
      }
      if (c == TOK_SB_STERM && closed && cfg->quotes &&
          k1 == TOK_SB_LOWER && k > u) {            /* "Why?" he asked */
        prev = c;
        q = u;
        continue;
      }
      if (c == TOK_SB_ATERM && s[q] == '.' &&
          (cfg->abbrev || cfg->initials) && keep_together(s, n, q, k, cfg)) {
        prev = c;
        q = u;
        continue;
      }
    }
    return k;                                        /* SB11 */
  }
  return n;
}

/* ------------------------------------------------------------------------
** Trimming
*/

static int is_blank_cp(int32_t cp) {
  int sb;
  if (cp < 0) return 0;
  sb = TOK_P_SB(tok_prop((uint32_t)cp));
  return sb == TOK_SB_SP || PARASEP(sb) || sb == TOK_SB_FORMAT ||
         cp == '\t' || cp == '\v' || cp == '\f';
}

void tok_sent_trim(const uint8_t *s, size_t *a, size_t *b) {
  size_t i = *a, j = *b;
  while (i < j) {
    unsigned len;
    int32_t cp = tok_utf8_decode(s, j, i, &len);
    if (!is_blank_cp(cp)) break;
    i += len;
  }
  while (j > i) {
    size_t k = tok_utf8_back(s, j);
    unsigned len;
    int32_t cp;
    if (k < i) k = i;
    cp = tok_utf8_decode(s, j, k, &len);
    if (k + len != j || !is_blank_cp(cp)) break;
    j = k;
  }
  *a = i;
  *b = j;
}
