/*
** tok_word.c -- word segmentation (UAX #29 "Unicode Text Segmentation",
** section 4, Unicode 15.0) plus the news-text extensions of tok_word.h.
**
** Instead of testing every position for a boundary, the scanner starts at
** a boundary and consumes the longest segment the rules allow; words are
** scanned with an ASCII fast loop and fall back to decoding only for bytes
** >= 0x80.  Rule numbers (WB5 ...) refer to UAX #29.
*/
#include <string.h>

#include "lector/tokenizer.h"
#include "tok_tables.h"
#include "tok_utf8.h"
#include "tok_word.h"

/* ------------------------------------------------------------------------
** Character classes
*/

const uint8_t tok_ascii[256] = {
  ['\t'] = TOK_A_SP, ['\n'] = TOK_A_SP, ['\v'] = TOK_A_SP,
  ['\f'] = TOK_A_SP, ['\r'] = TOK_A_SP, [' '] = TOK_A_SP,
  ['0' ... '9'] = TOK_A_DG,
  ['A' ... 'Z'] = TOK_A_UP,
  ['a' ... 'z'] = TOK_A_LO,
  ['_'] = TOK_A_US,
  [0x80 ... 0xff] = TOK_A_HI
};

#define P_ LECTOR_TOK_PUNCT
#define S_ LECTOR_TOK_SYMBOL
const uint8_t tok_ascii_kind[128] = {
  ['!'] = P_, ['"'] = P_, ['#'] = P_, ['$'] = S_, ['%'] = P_, ['&'] = P_,
  ['\''] = P_, ['('] = P_, [')'] = P_, ['*'] = P_, ['+'] = S_, [','] = P_,
  ['-'] = P_, ['.'] = P_, ['/'] = P_, [':'] = P_, [';'] = P_, ['<'] = S_,
  ['='] = S_, ['>'] = S_, ['?'] = P_, ['@'] = P_, ['['] = P_, ['\\'] = P_,
  [']'] = P_, ['^'] = S_, ['_'] = P_, ['`'] = S_, ['{'] = P_, ['|'] = S_,
  ['}'] = P_, ['~'] = S_
};
#undef P_
#undef S_

/* TOK_A_* bits of a non-ASCII character from its property record. */
static unsigned gc_bits(uint16_t pr) {
  switch (TOK_P_GC(pr)) {
    case TOK_GC_UPPER: return TOK_A_UP;
    case TOK_GC_LOWER: return TOK_A_LO;
    case TOK_GC_LETTER: return TOK_A_OL;
    case TOK_GC_NUMBER: return TOK_A_DG;
    default: return 0;
  }
}

/* Property record of the character at s[q] (q < n), its length and code
** point (TOK_BAD, record 0, length 1 for an invalid byte). */
static inline uint16_t peek(const uint8_t *s, size_t n, size_t q,
                            unsigned *len, int32_t *cp) {
  if (s[q] < 0x80) {
    *len = 1;
    *cp = s[q];
    return tok_stage2[s[q]];        /* block 0 holds U+0000..U+007F */
  }
  *cp = tok_utf8_decode(s, n, q, len);
  return *cp < 0 ? 0 : tok_prop((uint32_t)*cp);
}

#define IGNORABLE(wb) \
  ((wb) == TOK_WB_EXTEND || (wb) == TOK_WB_FORMAT || (wb) == TOK_WB_ZWJ)
#define AHL(wb) ((wb) == TOK_WB_ALETTER || (wb) == TOK_WB_HEBREW)
#define BIT(wb) (1u << (wb))
#define WORDISH_SET (BIT(TOK_WB_ALETTER) | BIT(TOK_WB_HEBREW) | \
                     BIT(TOK_WB_NUMERIC) | BIT(TOK_WB_KATAKANA) | \
                     BIT(TOK_WB_ENL))
#define WORDISH(wb) ((WORDISH_SET >> (wb)) & 1u)

/* join[left] has bit right set when rules WB5, WB8-WB10, WB13, WB13a and
** WB13b forbid a break between the two (after WB4 has removed Extend,
** Format and ZWJ). */
static const uint32_t join[TOK_WB__COUNT] = {
  [TOK_WB_ALETTER] = BIT(TOK_WB_ALETTER) | BIT(TOK_WB_HEBREW) |
                     BIT(TOK_WB_NUMERIC) | BIT(TOK_WB_ENL),
  [TOK_WB_HEBREW] = BIT(TOK_WB_ALETTER) | BIT(TOK_WB_HEBREW) |
                    BIT(TOK_WB_NUMERIC) | BIT(TOK_WB_ENL),
  [TOK_WB_NUMERIC] = BIT(TOK_WB_ALETTER) | BIT(TOK_WB_HEBREW) |
                     BIT(TOK_WB_NUMERIC) | BIT(TOK_WB_ENL),
  [TOK_WB_KATAKANA] = BIT(TOK_WB_KATAKANA) | BIT(TOK_WB_ENL),
  [TOK_WB_ENL] = BIT(TOK_WB_ALETTER) | BIT(TOK_WB_HEBREW) |
                 BIT(TOK_WB_NUMERIC) | BIT(TOK_WB_KATAKANA) | BIT(TOK_WB_ENL),
};

/* Internal flags gathered while absorbing (not LECTOR_TOKF_*). */
#define SF_VS16    0x10000u  /* U+FE0F, emoji presentation selector */
#define SF_KEYCAP  0x20000u  /* U+20E3 */
#define SF_EMOJI   0x40000u  /* an emoji modifier or a ZWJ + pictograph */

/* WB4 (and WB3c): consume Extend, Format and ZWJ after a character, and
** a pictograph right after a ZWJ.  *wb becomes the class of such a
** pictograph.  zwj says whether the character before q was a ZWJ. */
static size_t absorb(const uint8_t *s, size_t n, size_t q, int *wb,
                     unsigned *fl, int zwj) {
  while (q < n) {
    unsigned len;
    int32_t cp;
    uint16_t pr;
    int k;
    if (s[q] < 0x80) break;               /* no ASCII is Extend/Format/ZWJ */
    pr = peek(s, n, q, &len, &cp);
    k = TOK_P_WB(pr);
    if (zwj && TOK_P_EXTPICT(pr)) {       /* WB3c: ZWJ x \p{ExtPict} */
      *wb = k;
      *fl |= SF_EMOJI | LECTOR_TOKF_NONASCII;
      zwj = 0;
      q += len;
      continue;
    }
    if (!IGNORABLE(k)) break;
    *fl |= LECTOR_TOKF_NONASCII;
    if (cp == 0xFE0F) *fl |= SF_VS16;
    else if (cp == 0x20E3) *fl |= SF_KEYCAP;
    else if (cp >= 0x1F3FB && cp <= 0x1F3FF) *fl |= SF_EMOJI;
    zwj = (k == TOK_WB_ZWJ);
    q += len;
  }
  return q;
}

/* WB4 for a look-ahead: skip Extend, Format and ZWJ (no WB3c: the
** character after them is what the rule looks at). */
static size_t skip_ignorable(const uint8_t *s, size_t n, size_t q) {
  while (q < n && s[q] >= 0x80) {
    unsigned len;
    int32_t cp;
    uint16_t pr = peek(s, n, q, &len, &cp);
    if (!IGNORABLE(TOK_P_WB(pr))) break;
    q += len;
  }
  return q;
}

static int is_hyphen(int32_t cp) {
  return cp == '-' || cp == 0x2010 || cp == 0x2011;
}

/* ASCII case-insensitive comparison of s[0..len) with lower-case lit. */
static int ieq(const uint8_t *s, const char *lit, size_t len) {
  size_t i;
  for (i = 0; i < len; i++) {
    uint8_t c = s[i];
    if (c >= 'A' && c <= 'Z') c = (uint8_t)(c + 32);
    if (c != (uint8_t)lit[i]) return 0;
  }
  return 1;
}

/* ------------------------------------------------------------------------
** URLs and e-mail addresses (TOK_SEG_URLS, TOK_SEG_EMAILS)
*/

/* Does a URL start at p, given that the word there ends at q? */
static int url_start(const uint8_t *s, size_t n, size_t p, size_t q) {
  size_t w = q - p;
  if (q + 3 < n && s[q] == ':' && s[q + 1] == '/' && s[q + 2] == '/' &&
      !(tok_ascii[s[q + 3]] & TOK_A_SP))
    return (w == 4 && ieq(s + p, "http", 4)) ||
           (w == 5 && ieq(s + p, "https", 5)) ||
           (w == 3 && ieq(s + p, "ftp", 3));
  return w > 4 && ieq(s + p, "www.", 4);
}

/* End of the URL starting at p: up to white space or a character that
** cannot be in one, minus trailing punctuation and unbalanced closers. */
static size_t url_end(const uint8_t *s, size_t n, size_t p) {
  size_t q = p;
  long paren = 0, bracket = 0;
  while (q < n) {
    uint8_t b = s[q];
    if (b < 0x80) {
      if (b <= 0x20 || b == 0x7f || b == '<' || b == '>' || b == '"' ||
          b == '`' || b == '{' || b == '}' || b == '|' || b == '\\' ||
          b == '^')
        break;
      if (b == '(') paren++;
      else if (b == ')') paren--;
      else if (b == '[') bracket++;
      else if (b == ']') bracket--;
      q++;
    } else {
      unsigned len;
      int32_t cp;
      uint16_t pr = peek(s, n, q, &len, &cp);
      if (cp < 0 || TOK_P_GC(pr) == TOK_GC_OTHER ||
          (cp >= 0x2018 && cp <= 0x201F) || cp == 0xAB || cp == 0xBB ||
          cp == 0x3001 || cp == 0x3002 || cp == 0xFF0C || cp == 0x2026)
        break;
      q += len;
    }
  }
  while (q > p) {
    uint8_t b = s[q - 1];
    if (b == '.' || b == ',' || b == ';' || b == ':' || b == '!' ||
        b == '?' || b == '\'' || b == '*')
      q--;
    else if (b == ')' && paren < 0) { paren++; q--; }
    else if (b == ']' && bracket < 0) { bracket++; q--; }
    else break;
  }
  return q;
}

#define DOMAIN_CH(b) ((tok_ascii[b] & (TOK_A_UP | TOK_A_LO | TOK_A_DG)) || \
                      (b) == '-')

/* If s[p..q) is an e-mail local part and s[q] == '@' starts its domain,
** the end of the address; else 0. */
static size_t email_end(const uint8_t *s, size_t n, size_t p, size_t q) {
  size_t i, end = 0, labels = 0, last = 0;
  for (i = p; i < q; i++) {
    uint8_t b = s[i];
    if (!(tok_ascii[b] & TOK_A_WORD) && b != '.' && b != '-' && b != '+' &&
        b != '\'' && b != '%')
      return 0;
  }
  i = q + 1;
  for (;;) {
    size_t start = i;
    while (i < n && DOMAIN_CH(s[i])) i++;
    if (i == start || s[start] == '-' || s[i - 1] == '-') break;
    labels++;
    end = i;
    last = start;
    if (i + 1 < n && s[i] == '.' && DOMAIN_CH(s[i + 1])) { i++; continue; }
    break;
  }
  if (labels < 2 || end - last < 2) return 0;
  for (i = last; i < end; i++)                 /* top-level: letters only */
    if (!(tok_ascii[s[i]] & (TOK_A_UP | TOK_A_LO))) return 0;
  return end;
}

/* ------------------------------------------------------------------------
** Words: runs of ALetter, Hebrew_Letter, Numeric, Katakana, ExtendNumLet
*/

static void finish(tok_seg *seg, size_t end, unsigned acc, unsigned fl,
                   int first_upper) {
  seg->end = end;
  seg->acc = acc;
  seg->kind = (acc & TOK_A_LETTER) ? LECTOR_TOK_WORD
              : (acc & TOK_A_DG)   ? LECTOR_TOK_NUMBER
                                   : LECTOR_TOK_PUNCT;
  if (fl & SF_KEYCAP) seg->kind = LECTOR_TOK_EMOJI;
  fl &= 0xffffu;
  if (acc & TOK_A_DG) fl |= LECTOR_TOKF_DIGIT;
  if ((acc & TOK_A_UP) && !(acc & TOK_A_LO)) fl |= LECTOR_TOKF_ALLCAPS;
  if (first_upper) fl |= LECTOR_TOKF_CAPITAL;
  seg->flags = fl;
}

/* Scans the word starting at p (a word-ish character). */
static size_t scan_word(const uint8_t *s, size_t n, size_t p, unsigned opt,
                        tok_seg *seg) {
  size_t q = p, grp = 0, ndots = 0;
  unsigned acc = 0, gacc = 0, fl = 0;
  int prev = -1, abbr = 1, first_upper;
  unsigned len;
  int32_t cp;
  uint16_t pr;
  int wb;

  if (s[p] < 0x80) first_upper = (tok_ascii[s[p]] & TOK_A_UP) != 0;
  else first_upper = TOK_P_GC(peek(s, n, p, &len, &cp)) == TOK_GC_UPPER;

  for (;;) {
    size_t q0 = q;
    /* ASCII fast path: letters, digits and _ join whatever came before,
    ** unless that was Katakana or something no rule joins. */
    while (q < n && (prev < 0 || ((join[prev] >> TOK_WB_ALETTER) & 1u))) {
      unsigned c = tok_ascii[s[q]];
      if (!(c & TOK_A_WORD)) break;
      gacc |= c;
      q++;
    }
    if (q > q0) {
      unsigned c = tok_ascii[s[q - 1]];
      prev = (c & TOK_A_DG) ? TOK_WB_NUMERIC
             : (c & TOK_A_US) ? TOK_WB_ENL : TOK_WB_ALETTER;
      grp += q - q0;
      acc |= gacc;
    }
    if (q >= n) break;

    pr = peek(s, n, q, &len, &cp);
    if (cp < 0) break;
    wb = TOK_P_WB(pr);
    if (prev < 0) {                        /* first character, non-ASCII */
      unsigned c = gc_bits(pr);
      fl |= LECTOR_TOKF_NONASCII;
      prev = wb;
      grp = (c & TOK_A_LETTER) ? 1 : 0;
      gacc = c;
      acc |= c;
      q = absorb(s, n, q + len, &prev, &fl, wb == TOK_WB_ZWJ);
      continue;
    }
    if (IGNORABLE(wb)) {                   /* WB4 */
      q = absorb(s, n, q, &prev, &fl, 0);
      continue;
    }
    if ((join[prev] >> wb) & 1u) {         /* WB5, WB8-10, WB13, WB13a/b */
      unsigned c = gc_bits(pr);
      fl |= LECTOR_TOKF_NONASCII;
      if (c & TOK_A_LETTER) grp++;
      gacc |= c;
      acc |= c;
      prev = wb;
      q = absorb(s, n, q + len, &prev, &fl, 0);
      continue;
    }
    if (wb == TOK_WB_MIDLETTER || wb == TOK_WB_MIDNUMLET ||
        wb == TOK_WB_SQ || wb == TOK_WB_MIDNUM || wb == TOK_WB_DQ) {
      size_t r = skip_ignorable(s, n, q + len);
      unsigned len2 = 0;
      int32_t cp2 = TOK_BAD;
      uint16_t pr2 = 0;
      int wb2 = -1, ok;
      if (r < n) {
        pr2 = peek(s, n, r, &len2, &cp2);
        if (cp2 >= 0) wb2 = TOK_P_WB(pr2);
      }
      ok = wb2 >= 0 &&
           ((AHL(prev) && AHL(wb2) &&               /* WB6, WB7 */
             (wb == TOK_WB_MIDLETTER || wb == TOK_WB_MIDNUMLET ||
              wb == TOK_WB_SQ)) ||
            (prev == TOK_WB_HEBREW && wb == TOK_WB_DQ &&  /* WB7b, WB7c */
             wb2 == TOK_WB_HEBREW) ||
            (prev == TOK_WB_NUMERIC && wb2 == TOK_WB_NUMERIC &&  /* WB11/12 */
             (wb == TOK_WB_MIDNUM || wb == TOK_WB_MIDNUMLET ||
              wb == TOK_WB_SQ)));
      if (ok && (opt & TOK_SEG_GLUED) && cp == '.' && grp >= 2 &&
          gacc == TOK_A_LO && TOK_P_GC(pr2) == TOK_GC_UPPER) {
        size_t t = skip_ignorable(s, n, r + len2);
        unsigned len3;
        int32_t cp3;
        if (t < n && TOK_P_GC(peek(s, n, t, &len3, &cp3)) == TOK_GC_LOWER)
          break;                                     /* "on.Our": split */
      }
      if (ok) {
        unsigned c = cp2 < 0x80 ? tok_ascii[cp2] : gc_bits(pr2);
        if (cp == '.' && grp == 1) ndots++;
        else abbr = 0;
        if (cp >= 0x80 || cp2 >= 0x80 || r != q + len)
          fl |= LECTOR_TOKF_NONASCII;
        grp = (c & TOK_A_LETTER) ? 1 : 0;
        gacc = c;
        acc |= c;
        prev = wb2;
        q = absorb(s, n, r + len2, &prev, &fl, 0);
        continue;
      }
      if (prev == TOK_WB_HEBREW && wb == TOK_WB_SQ) {   /* WB7a */
        fl |= LECTOR_TOKF_NONASCII;
        prev = TOK_WB_SQ;
        q = absorb(s, n, q + len, &prev, &fl, 0);
        continue;
      }
      if ((opt & TOK_SEG_ABBREV) && cp == '.' && abbr && ndots > 0 &&
          grp == 1 && !(acc & TOK_A_DG)) {
        fl |= LECTOR_TOKF_ABBREV;                       /* U.S. */
        q = absorb(s, n, q + 1, &prev, &fl, 0);
      }
      break;
    }
    if ((opt & TOK_SEG_HYPHENS) && is_hyphen(cp) &&
        prev != TOK_WB_ENL && WORDISH(prev)) {
      size_t r = skip_ignorable(s, n, q + len);
      if (r < n) {
        unsigned len2;
        int32_t cp2;
        uint16_t pr2 = peek(s, n, r, &len2, &cp2);
        int wb2 = TOK_P_WB(pr2);
        if (cp2 >= 0 && wb2 != TOK_WB_ENL && WORDISH(wb2) &&
            ((acc & TOK_A_LETTER) || wb2 != TOK_WB_NUMERIC)) {
          fl |= LECTOR_TOKF_HYPHEN;
          if (cp >= 0x80 || r != q + len) fl |= LECTOR_TOKF_NONASCII;
          abbr = 0;
          grp = 0;
          gacc = 0;
          prev = TOK_WB_ENL;       /* joins what follows, as ExtendNumLet */
          q = r;
          continue;
        }
      }
    }
    break;
  }

  if (fl & LECTOR_TOKF_ABBREV) {
    finish(seg, q, acc, fl, first_upper);
    return q;
  }
  if ((opt & TOK_SEG_URLS) && url_start(s, n, p, q)) {
    size_t e = url_end(s, n, p);
    if (e >= q) {
      size_t i;
      seg->end = e;
      seg->kind = LECTOR_TOK_URL;
      seg->acc = acc;
      seg->flags = 0;
      for (i = p; i < e; i++)
        if (s[i] >= 0x80) { seg->flags = LECTOR_TOKF_NONASCII; break; }
      return e;
    }
  }
  if ((opt & TOK_SEG_EMAILS) && q + 1 < n && s[q] == '@') {
    size_t e = email_end(s, n, p, q);
    if (e) {
      seg->end = e;
      seg->kind = LECTOR_TOK_EMAIL;
      seg->acc = acc;
      seg->flags = 0;
      return e;
    }
  }
  finish(seg, q, acc, fl, first_upper);
  return q;
}

/* ------------------------------------------------------------------------
** Other segments
*/

/* Is the character that ends just before p a letter, digit or mark? */
static int after_word(const uint8_t *s, size_t n, size_t p) {
  size_t j;
  unsigned len;
  int32_t cp;
  uint16_t pr;
  int gc;
  if (p == 0) return 0;
  if (s[p - 1] < 0x80) return (tok_ascii[s[p - 1]] & TOK_A_WORD) != 0;
  j = tok_utf8_back(s, p);
  pr = peek(s, n, j, &len, &cp);
  if (cp < 0 || j + len != p) return 0;
  gc = TOK_P_GC(pr);
  return gc == TOK_GC_UPPER || gc == TOK_GC_LOWER || gc == TOK_GC_LETTER ||
         gc == TOK_GC_NUMBER || gc == TOK_GC_MARK;
}

/* @name or #name at p (s[p] is '@' or '#'), or 0. */
static size_t tag_end(const uint8_t *s, size_t n, size_t p, unsigned opt,
                      tok_seg *seg) {
  unsigned len;
  int32_t cp;
  uint16_t pr;
  tok_seg body;
  if (p + 1 >= n || after_word(s, n, p)) return 0;
  pr = peek(s, n, p + 1, &len, &cp);
  if (cp < 0 || !WORDISH(TOK_P_WB(pr))) return 0;
  scan_word(s, n, p + 1, opt & TOK_SEG_HYPHENS, &body);
  if (s[p] == '#' && !(body.acc & TOK_A_LETTER)) return 0;
  seg->end = body.end;
  seg->kind = s[p] == '#' ? LECTOR_TOK_HASHTAG : LECTOR_TOK_MENTION;
  seg->acc = body.acc;
  seg->flags = body.flags & (LECTOR_TOKF_NONASCII | LECTOR_TOKF_ALLCAPS |
                             LECTOR_TOKF_CAPITAL | LECTOR_TOKF_DIGIT |
                             LECTOR_TOKF_HYPHEN);
  return body.end;
}

size_t tok_seg_next(const uint8_t *s, size_t n, size_t p, unsigned opt,
                    tok_seg *seg) {
  unsigned len, fl = 0;
  int32_t cp;
  uint16_t pr;
  int wb, gc, k;
  size_t q;

  if (s[p] < 0x80 && (tok_ascii[s[p]] & TOK_A_WORD))
    return scan_word(s, n, p, opt, seg);
  pr = peek(s, n, p, &len, &cp);
  seg->acc = 0;
  seg->flags = s[p] >= 0x80 ? LECTOR_TOKF_NONASCII : 0;
  if (cp < 0) {
    seg->kind = TOK_K_INVALID;
    seg->end = p + 1;
    return p + 1;
  }
  wb = TOK_P_WB(pr);
  switch (wb) {
    case TOK_WB_CR:                                  /* WB3, WB3a */
      seg->kind = TOK_K_SPACE;
      seg->end = (p + 1 < n && s[p + 1] == '\n') ? p + 2 : p + 1;
      return seg->end;
    case TOK_WB_LF: case TOK_WB_NEWLINE:             /* WB3a */
      seg->kind = TOK_K_SPACE;
      seg->end = p + len;
      return seg->end;
    case TOK_WB_ALETTER: case TOK_WB_HEBREW: case TOK_WB_NUMERIC:
    case TOK_WB_KATAKANA: case TOK_WB_ENL:
      return scan_word(s, n, p, opt, seg);
    case TOK_WB_RI:                                  /* WB15, WB16 */
      k = wb;
      q = absorb(s, n, p + len, &k, &fl, 0);
      if (q < n && k == TOK_WB_RI) {
        unsigned len2;
        int32_t cp2;
        if (TOK_P_WB(peek(s, n, q, &len2, &cp2)) == TOK_WB_RI)
          q = absorb(s, n, q + len2, &k, &fl, 0);
      }
      seg->kind = LECTOR_TOK_EMOJI;
      seg->end = q;
      return q;
    case TOK_WB_WSEGSPACE:                           /* WB3d */
      q = p + len;
      while (q < n) {
        unsigned len2;
        int32_t cp2;
        if (TOK_P_WB(peek(s, n, q, &len2, &cp2)) != TOK_WB_WSEGSPACE) break;
        q += len2;
      }
      k = wb;
      seg->kind = TOK_K_SPACE;
      seg->end = absorb(s, n, q, &k, &fl, 0);
      return seg->end;
    default:
      break;
  }

  if ((cp == '#' && (opt & TOK_SEG_HASHTAGS)) ||
      (cp == '@' && (opt & TOK_SEG_MENTIONS))) {
    q = tag_end(s, n, p, opt, seg);
    if (q) return q;
  }

  k = wb;
  gc = TOK_P_GC(pr);
  if ((opt & TOK_SEG_RUNS) && TOK_P_SC(pr) == TOK_SC_SA &&
      gc != TOK_GC_PUNCT && gc != TOK_GC_SYMBOL) {
    q = p + len;                                     /* Thai & co: a run */
    for (;;) {
      unsigned len2;
      int32_t cp2;
      uint16_t pr2;
      q = absorb(s, n, q, &k, &fl, 0);
      if (q >= n) break;
      pr2 = peek(s, n, q, &len2, &cp2);
      if (cp2 < 0 || TOK_P_SC(pr2) != TOK_SC_SA ||
          TOK_P_GC(pr2) == TOK_GC_PUNCT || TOK_P_GC(pr2) == TOK_GC_SYMBOL)
        break;
      q += len2;
    }
  } else {
    q = absorb(s, n, p + len, &k, &fl, wb == TOK_WB_ZWJ);
  }

  seg->end = q;
  seg->flags |= fl & 0xffffu;
  if (TOK_P_EXTPICT(pr) || (fl & SF_EMOJI)) {
    if (TOK_P_EPRES(pr) || (fl & (SF_VS16 | SF_EMOJI | SF_KEYCAP))) {
      seg->kind = LECTOR_TOK_EMOJI;
      return q;
    }
  }
  if (fl & SF_KEYCAP) {                             /* #️⃣ *️⃣ */
    seg->kind = LECTOR_TOK_EMOJI;
    return q;
  }
  switch (gc) {
    case TOK_GC_UPPER: case TOK_GC_LOWER: case TOK_GC_LETTER:
      seg->kind = LECTOR_TOK_WORD;
      seg->acc = gc_bits(pr);
      if (gc == TOK_GC_UPPER)
        seg->flags |= LECTOR_TOKF_CAPITAL | LECTOR_TOKF_ALLCAPS;
      if (TOK_P_SC(pr) != TOK_SC_NONE) seg->flags |= LECTOR_TOKF_DICT;
      break;
    case TOK_GC_NUMBER:
      seg->kind = LECTOR_TOK_NUMBER;
      seg->acc = TOK_A_DG;
      seg->flags |= LECTOR_TOKF_DIGIT;
      break;
    case TOK_GC_PUNCT: seg->kind = LECTOR_TOK_PUNCT; break;
    case TOK_GC_SYMBOL: seg->kind = LECTOR_TOK_SYMBOL; break;
    default: seg->kind = TOK_K_SPACE; break;
  }
  return q;
}
