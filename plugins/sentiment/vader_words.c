/*
** vader_words.c -- VADER's word list on top of the tokenize service.
**
** Where VADER and the tokenizer differ, and what we do about it
** ----------------------------------------------------------------
** The tokenizer finds UAX #29 words, numbers and single punctuation marks.
** VADER (nltk/sentiment/vader.py, SentiText) instead takes Python's
** str.split() pieces.  Its rules look at word positions -- negation in
** the three words before, "never so", idioms, the first "but" -- so
** scores only agree with VADER's when the list of words is VADER's.
** We therefore take the tokenizer's spans and put VADER's pieces back
** together on top of them:
**
** 1. Glue.  Spans not separated by white space form one VADER word:
**    "don't" is one span but ":-)", "(great", "great." and "U.S.," are
**    several, and VADER keeps each of them whole.  The white space that
**    separates is Python's (str.isspace: ASCII \t\n\v\f\r and space,
**    U+001C..U+001F, U+0085, U+00A0, U+1680, U+2000..U+200A, U+2028,
**    U+2029, U+202F, U+205F, U+3000).  Bytes the tokenizer skips that are
**    not white space for Python (controls, a lone zero-width space, an
**    invalid byte) stay inside the word, as they do in VADER.
** 2. One character.  Pieces of one code point ("a", "I", "-", "&") are
**    dropped before anything else, as VADER does; they do not count as
**    neutral words either.
** 3. Punctuation.  VADER strips exactly one item of its PUNC_LIST
**    (. ! ? , ; : - ' " and !! !!! ?? ??? ?!? !?! ?!?! !?!?) from the
**    start or the end of a piece, and only when what is left has at least
**    two characters and no ASCII punctuation at all.  So "great." and
**    "'great" become "great" but "great..." , "(great", "great)." ,
**    "'great'" and "well-known," stay as written and miss the lexicon.
**    We reproduce this, misses included.
** 4. Case.  Words are looked up lower-cased.  ASCII words are lower-cased
**    here; a word with other characters is case-folded by the
**    tokenizer's normalize() with the options of vw_opts_new (full case
**    folding, no NFC, accents and apostrophes kept).  Full case folding
**    differs from Python's str.lower() on a few characters; those that
**    fold to ASCII letters (ß ẞ ſ and the ligatures ﬀ..ﬆ: "ﬁne" would
**    become "fine") are kept as str.lower() keeps them (vw_lower); the
**    others (final sigma, Cherokee ...) never reach a VADER entry.  Curly
**    apostrophes are not folded: VADER does not see "don’t" as a
**    negation, and neither do we.
** 5. ALL CAPS.  Python's str.isupper() (some cased character, none in
**    lower case): exact for ASCII; for other text it is taken from the
**    tokenizer's ALLCAPS flag per span, so a piece gluing upper-case
**    letters to a caseless script other than CJK/Thai-like runs (which the
**    tokenizer flags DICT) counts as not upper, where Python says upper.
** 6. Repeated words.  VADER finds a word's position with list.index(),
**    i.e. the position of its first occurrence, and applies the rules
**    there; `first` records it (the bytes as written, case matters).
*/
#include <string.h>

#include "lector/kit.h"
#include "vader_words.h"

_Static_assert(SENT_WORD_MAX % 8 == 0 && SENT_WORD_MAX >= 8,
               "SENT_WORD_MAX must be a multiple of 8 (words are read 8 bytes "
               "at a time)");

#define LATIN_SPACE 0x01u   /* Python white space in ASCII */
#define LATIN_PUNCT 0x02u   /* string.punctuation */
#define LATIN_UPPER 0x04u
#define LATIN_LOWER 0x08u
#define LATIN_APOS 0x10u    /* an apostrophe (also LATIN_PUNCT) */

/* The class of each ASCII byte. */
#define S LATIN_SPACE
#define P LATIN_PUNCT
#define A LATIN_APOS
#define U LATIN_UPPER
#define L LATIN_LOWER
static const uint8_t ascii_class[128] = {
  0, 0, 0, 0, 0, 0, 0, 0, 0, S, S, S, S, S, 0, 0,
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, S, S, S, S,
  S, P, P, P, P, P, P, P|A, P, P, P, P, P, P, P, P,
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, P, P, P, P, P, P,
  P, U, U, U, U, U, U, U, U, U, U, U, U, U, U, U,
  U, U, U, U, U, U, U, U, U, U, U, P, P, P, P, P,
  P, L, L, L, L, L, L, L, L, L, L, L, L, L, L, L,
  L, L, L, L, L, L, L, L, L, L, L, P, P, P, P, 0,
};
#undef S
#undef P
#undef A
#undef U
#undef L

void vw_init(vw_list *l) { memset(l, 0, offsetof(vw_list, st)); }

void vw_free(vw_list *l) {
  lk_free(l->w);
  lk_free(l->seen);
  memset(l, 0, offsetof(vw_list, st));
}

int vw_is(const char *text, const vw_word *w, const char *s) {
  size_t n = strlen(s);
  return w->len == n && memcmp(text + w->off, s, n) == 0;
}

/* ------------------------------------------------------------------------
** Characters
*/

/* Length of the Python white-space character at s[0..n), or 0. */
static size_t py_space(const unsigned char *s, size_t n) {
  if (s[0] < 0x80) return (ascii_class[s[0]] & LATIN_SPACE) ? 1 : 0;
  if (n >= 2 && s[0] == 0xC2 && (s[1] == 0x85 || s[1] == 0xA0)) return 2;
  if (n < 3) return 0;
  if (s[0] == 0xE1 && s[1] == 0x9A && s[2] == 0x80) return 3;   /* 1680 */
  if (s[0] == 0xE3 && s[1] == 0x80 && s[2] == 0x80) return 3;   /* 3000 */
  if (s[0] != 0xE2) return 0;
  if (s[1] == 0x80)                              /* 2000-200A 2028 2029 202F */
    return (s[2] <= 0x8A || s[2] == 0xA8 || s[2] == 0xA9 || s[2] == 0xAF)
               ? 3 : 0;
  return (s[1] == 0x81 && s[2] == 0x9F) ? 3 : 0;  /* 205F */
}

/* Length in bytes of the (possibly invalid) character at s[0..n). */
static size_t char_len(const unsigned char *s, size_t n) {
  size_t k = 1;
  while (k < n && k < 4 && (s[k] & 0xC0) == 0x80) k++;
  return s[0] < 0x80 ? 1 : k;
}

/* Number of code points in s[0..n), counting at most 2. */
static size_t chars_upto2(const unsigned char *s, size_t n) {
  size_t k = 0, i;
  for (i = 0; i < n && k < 2; i++) k += (s[i] & 0xC0) != 0x80;
  return k;
}

static int is_punct(unsigned char c) {
  return c < 0x80 && (ascii_class[c] & LATIN_PUNCT);
}

/* Is s[0..n) an item of VADER's PUNC_LIST? */
static int punc_item(const unsigned char *s, size_t n) {
  static const char *const multi[] = {"!!", "!!!", "??", "???", "?!?",
                                      "!?!", "?!?!", "!?!?", NULL};
  size_t i;
  if (n == 1) return strchr(".!?,;:-'\"", s[0]) != NULL && s[0] != '\0';
  for (i = 0; multi[i]; i++)
    if (strlen(multi[i]) == n && memcmp(multi[i], s, n) == 0) return 1;
  return 0;
}

/* VADER's strip of one punctuation item from one end of s[*a .. *b):
** only when that end is an item of PUNC_LIST, the other end is not
** punctuation, and the rest has no ASCII punctuation and two characters
** or more.  One pass over the bytes. */
static void strip_punct(const unsigned char *s, uint32_t *a, uint32_t *b) {
  uint32_t i, x = 0, y = 0, punct = 0, lead, trail;
  int found = 0;
  for (i = *a; i < *b; i++) {
    if (is_punct(s[i])) {
      punct++;
    } else {
      if (!found) x = i;
      found = 1;
      y = i + 1;
    }
  }
  if (!found || punct == 0) return;
  lead = x - *a;
  trail = *b - y;
  if (punct != lead + trail || (lead && trail)) return;
  if (chars_upto2(s + x, y - x) < 2) return;
  if (lead && punc_item(s + *a, lead)) *a = x;
  else if (trail && punc_item(s + y, trail)) *b = y;
}

/* vaderSentiment 3.3.2's strip: every ASCII punctuation mark off both
** ends of s[*a .. *b) (Python's str.strip(string.punctuation)), kept only
** when what is left has more than two characters. */
static void strip_all(const unsigned char *s, uint32_t *a, uint32_t *b) {
  uint32_t x = *a, y = *b, i, k = 0;
  while (x < y && is_punct(s[x])) x++;
  while (y > x && is_punct(s[y - 1])) y--;
  for (i = x; i < y && k < 3; i++) k += (s[i] & 0xC0) != 0x80;
  if (k < 3) return;
  *a = x;
  *b = y;
}

/* ------------------------------------------------------------------------
** Tokenizer options
*/

lector_tok_opts *vw_opts_new(const lector_tokenizer_api *tok, char **err) {
  lector_tok_config cfg;
  tok->config_init(&cfg, sizeof cfg);
  cfg.lower = 1;
  cfg.normalize = LECTOR_TOK_NORM_NONE;
  cfg.accents = 1;
  cfg.apostrophes = 0;
  cfg.stem = NULL;
  cfg.stopwords = LECTOR_TOK_STOP_NONE;
  cfg.min_len = 0;
  cfg.punct = cfg.numbers = cfg.emoji = 1;
  cfg.ids = 0;
  cfg.invalid = LECTOR_TOK_INVALID_SKIP;
  return tok->opts_new(&cfg, err);
}

/* ------------------------------------------------------------------------
** Building the list
*/

typedef struct group {
  int open;
  uint32_t a, b;        /* bytes of the piece so far */
  int nonascii;         /* a byte >= 0x80 */
  int span_upper;       /* a span flagged ALLCAPS */
  int span_lower;       /* a non-ASCII span that is neither ALLCAPS nor of
                           a caseless run (DICT): has lower case letters */
} group;

typedef struct builder {
  vw_list *l;
  const lector_tokenizer_api *tok;
  const lector_tok_opts *o;
  lex_view lex;
  const unsigned char *s;
  size_t n;             /* bytes in s */
  uint32_t mark;        /* flags that set l->marked */
  int vs;               /* vaderSentiment 3.3.2's pieces (see vw_build_rules) */
  group g;
  char **err;
} builder;

/* The characters that full case folding turns into ASCII letters while
** Python's str.lower() keeps them: ß, ẞ (lowered to ß), ſ, and the Latin
** ligatures U+FB00..FB06.  Their length at s[0..n), or 0. */
static size_t kept_case(const unsigned char *s, size_t n) {
  if (n >= 2 && ((s[0] == 0xC3 && s[1] == 0x9F) || (s[0] == 0xC5 && s[1] == 0xBF)))
    return 2;
  if (n >= 3 && ((s[0] == 0xE1 && s[1] == 0xBA && s[2] == 0x9E) ||
                 (s[0] == 0xEF && s[1] == 0xAC && s[2] <= 0x86)))
    return 3;
  return 0;
}

size_t vw_lower(const lector_tokenizer_api *tok, const lector_tok_opts *o,
                const char *text, size_t n, char *out, size_t cap) {
  const unsigned char *s = (const unsigned char *)text;
  size_t len = 0, p = 0, q, k;
  for (q = 0; q < n && s[q] < 0x80; q++) {}
  if (q == n) {                                          /* ASCII */
    if (n >= cap) return n;
    for (q = 0; q < n; q++)
      out[q] = (char)(s[q] >= 'A' && s[q] <= 'Z' ? s[q] + 32 : s[q]);
    out[n] = '\0';
    return n;
  }
  for (q = 0; q <= n; q++) {
    size_t special = q < n ? kept_case(s + q, n - q) : 0;
    if (q < n && !special) continue;
    if (q > p) {                              /* fold the piece s[p..q) */
      k = tok->normalize(o, text + p, q - p, out + len, cap - len);
      if (k >= cap - len) return cap;
      len += k;
    }
    if (q == n) break;
    if (len + special >= cap) return cap;
    if (special == 3 && s[q] == 0xE1) {                  /* ẞ -> ß */
      memcpy(out + len, "\xC3\x9F", 2);
      len += 2;
    } else {
      memcpy(out + len, s + q, special);
      len += special;
    }
    out[len] = '\0';
    q += special - 1;
    p = q + 1;
  }
  return len;
}

/* Does s[0..n) contain "n't"? */
static int has_nt(const char *s, size_t n) {
  size_t i;
  for (i = 0; i + 3 <= n; i++)
    if (s[i] == 'n' && s[i + 1] == '\'' && s[i + 2] == 't') return 1;
  return 0;
}

/* ASCII words 8 bytes at a time (SWAR): for each byte, is it in [lo, hi]
** (both < 0x80)?  The high bit of each byte of the result says. */
#define ONES 0x0101010101010101u
#define HIGH 0x8080808080808080u
#define IN_RANGE(x, lo, hi) \
  (((x) + ONES * (0x80u - (lo))) & ~((x) + ONES * (0x7fu - (hi))) & HIGH)

/* Bytes p[0 .. k) (k <= 8) as a little-endian word, the rest zero. */
static uint64_t load_le(const unsigned char *p, size_t k, int can_overread) {
  uint64_t x = 0;
  size_t i;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
  if (can_overread) {
    memcpy(&x, p, 8);
    return k == 8 ? x : x & (((uint64_t)1 << (8 * k)) - 1);
  }
#else
  (void)can_overread;
#endif
  for (i = 0; i < k; i++) x |= (uint64_t)p[i] << (8 * i);
  return x;
}

/* Lower-case 8 ASCII bytes; add what they hold to *seen (LATIN_*). */
static uint64_t lower8(uint64_t x, unsigned *seen) {
  uint64_t up = IN_RANGE(x, 'A', 'Z'), lo = IN_RANGE(x, 'a', 'z'),
           graph = IN_RANGE(x, 0x21, 0x7e), digit = IN_RANGE(x, '0', '9');
  if (up) *seen |= LATIN_UPPER;
  if (lo) *seen |= LATIN_LOWER;
  if (graph & ~(up | lo | digit)) *seen |= LATIN_PUNCT;
  if (IN_RANGE(x, '\'', '\'')) *seen |= LATIN_APOS;
  return x | (up >> 2);                            /* 0x80 >> 2 == 0x20 */
}

/* The ASCII word at bytes [a, b) into *w (every field): case, lower-cased
** copy and lookup, 8 bytes at a time.  Its hash is lex_hash of the
** lower-cased bytes (equal words get equal hashes, which is all `first`
** needs).  Returns the classes seen. */
static unsigned lookup_ascii(builder *bd, vw_word *w, uint32_t a, uint32_t b,
                             uint32_t index) {
  const unsigned char *p = bd->s + a;
  const lex_entry *e = NULL;
  uint64_t low[SENT_WORD_MAX / 8], h, x, head;
  uint32_t i, n = b - a, hash;
  unsigned seen = 0, nt = 0;
  if (n > SENT_WORD_MAX) {                   /* longer than any entry */
    for (i = 0; i < n; i++) seen |= ascii_class[p[i]];
    hash = lex_hash((const char *)p, n);
  } else {
    h = LEX_HASH_SEED(n);
    low[0] = 0;
    for (i = 0; i < n; i += 8) {
      uint32_t k = n - i < 8 ? n - i : 8;
      x = lower8(load_le(p + i, k, a + i + 8 <= bd->n), &seen);
      low[i / 8] = x;
      h = lex_hash_mix(h, x);
    }
    hash = lex_hash_fold(h);
    head = low[0];                           /* the first 8 bytes, as words */
#if !(defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__)
    for (i = 0; i < n; i++)              /* the words back to bytes */
      ((unsigned char *)low)[i] = (unsigned char)(p[i] + (p[i] >= 'A' &&
                                                   p[i] <= 'Z' ? 32 : 0));
#endif
    nt = (seen & LATIN_APOS) && has_nt((const char *)low, n);
    e = lex_view_get(&bd->lex, (const char *)low, n, hash, head);
  }
  *w = (vw_word){.valence = e ? e->valence : 0, .off = a, .len = n,
                 .first = index, .hash = hash, .flags = e ? e->flags : 0,
                 .upper = (seen & LATIN_UPPER) && !(seen & LATIN_LOWER),
                 .nt = (uint8_t)nt, .exact = !(seen & LATIN_UPPER)};
  return seen;
}

/* A word with other characters: case from the tokenizer's flags, lower
** case from vw_lower. */
static void lookup_other(builder *bd, vw_word *w) {
  const unsigned char *p = bd->s + w->off;
  char low[SENT_WORD_MAX];
  const lex_entry *e;
  size_t n = w->len, i, k;
  unsigned seen = 0;
  for (i = 0; i < n; i++)
    if (p[i] < 0x80) seen |= ascii_class[p[i]];
  w->hash = lex_hash((const char *)p, n);      /* of the bytes: enough */
  w->upper = ((seen & LATIN_UPPER) || bd->g.span_upper) &&
             !((seen & LATIN_LOWER) || bd->g.span_lower);
  if (n > sizeof low) return;
  k = vw_lower(bd->tok, bd->o, (const char *)p, n, low, sizeof low);
  if (k >= sizeof low) return;
  w->nt = has_nt(low, k);
  e = lex_view_get(&bd->lex, low, k, lex_hash(low, k), lex_head(low, k));
  if (e) {
    w->flags = e->flags;
    w->valence = e->valence;
  }
}

/* A new word for bytes [a, b), its fields zero; NULL on out of memory.
** (lookup_ascii then fills every field itself.) */
static vw_word *new_word(builder *bd, uint32_t a, uint32_t b) {
  vw_list *l = bd->l;
  vw_word *w;
  if (l->n == l->cap) {
    vw_word *nw = lk_grow(l->w, &l->cap, l->n + 1, sizeof *l->w);
    if (!nw) {
      *bd->err = lk_errorf("out of memory (words)");
      return NULL;
    }
    l->w = nw;
  }
  w = &l->w[l->n];
  *w = (vw_word){.off = a, .len = b - a, .first = (uint32_t)l->n};
  return w;
}

/* The piece in bd->g is complete: add it as a word if VADER would.  An
** ASCII piece is looked up first and stripped only when it turns out to
** hold punctuation (most words have none). */
static int close_group(builder *bd) {
  group *g = &bd->g;
  vw_word *w;
  uint32_t a = g->a, b = g->b;
  if (!g->open) return LECTOR_OK;
  g->open = 0;
  if (bd->vs) {              /* 3.3.2: every piece, stripped its own way */
    strip_all(bd->s, &a, &b);
    if ((w = new_word(bd, a, b)) == NULL) return LECTOR_ENOMEM;
    if (!g->nonascii) lookup_ascii(bd, w, a, b, (uint32_t)bd->l->n);
    else lookup_other(bd, w);
  } else if (b - a < 2) {
    return LECTOR_OK;                                 /* one character */
  } else if (!g->nonascii) {
    if ((w = new_word(bd, a, b)) == NULL) return LECTOR_ENOMEM;
    if (lookup_ascii(bd, w, a, b, (uint32_t)bd->l->n) & LATIN_PUNCT) {
      uint32_t a0 = a, b0 = b;
      strip_punct(bd->s, &a, &b);
      if (a != a0 || b != b0)              /* again, stripped */
        lookup_ascii(bd, w, a, b, (uint32_t)bd->l->n);
    }
  } else {
    if (b - a < 5 && chars_upto2(bd->s + a, b - a) < 2) return LECTOR_OK;
    strip_punct(bd->s, &a, &b);
    if ((w = new_word(bd, a, b)) == NULL) return LECTOR_ENOMEM;
    lookup_other(bd, w);
  }
  bd->l->upper += w->upper;
  if ((w->flags & bd->mark) && bd->l->marked == (size_t)-1)
    bd->l->marked = bd->l->n;
  bd->l->n++;
  return LECTOR_OK;
}

/* Extend (or open) the piece with bytes [a, b). */
static void extend(group *g, uint32_t a, uint32_t b) {
  if (!g->open) {
    memset(g, 0, sizeof *g);
    g->open = 1;
    g->a = a;
  }
  g->b = b;
}

/* Add the case of span sp to the open piece. */
static void span_case(group *g, const lector_tok_span *sp) {
  if (sp->flags & LECTOR_TOKF_ALLCAPS) g->span_upper = 1;
  if ((sp->flags & LECTOR_TOKF_NONASCII) &&
      !(sp->flags & (LECTOR_TOKF_ALLCAPS | LECTOR_TOKF_DICT)) &&
      sp->kind != LECTOR_TOK_PUNCT && sp->kind != LECTOR_TOK_SYMBOL &&
      sp->kind != LECTOR_TOK_EMOJI && sp->kind != LECTOR_TOK_NUMBER)
    g->span_lower = 1;
}

/* Bytes [a, b) character by character: Python's white space ends the
** piece, anything else belongs to it (with the case of sp, if not NULL).
** Used for what lies between spans, and for the inside of non-ASCII
** spans, which may hold white space for Python: the tokenizer keeps
** "76\u202F000" (a narrow no-break space) as one number. */
static int walk(builder *bd, uint32_t a, uint32_t b,
                const lector_tok_span *sp) {
  const unsigned char *s = bd->s;
  while (a < b) {
    size_t k = py_space(s + a, b - a);
    if (k) {
      int rc = close_group(bd);
      if (rc != LECTOR_OK) return rc;
    } else {
      k = char_len(s + a, b - a);
      extend(&bd->g, a, (uint32_t)(a + k));
      if (s[a] >= 0x80) bd->g.nonascii = 1;
      if (sp) span_case(&bd->g, sp);
    }
    a += (uint32_t)k;
  }
  return LECTOR_OK;
}

/* Span sp joins the open piece (an ASCII span never holds white space). */
static int add_span(builder *bd, const lector_tok_span *sp) {
  if (sp->flags & LECTOR_TOKF_NONASCII)
    return walk(bd, sp->offset, sp->offset + sp->length, sp);
  extend(&bd->g, sp->offset, sp->offset + sp->length);
  if (sp->flags & LECTOR_TOKF_ALLCAPS) bd->g.span_upper = 1;
  return LECTOR_OK;
}

/* Is word o the same bytes as word w? */
static int same_word(const char *text, const vw_word *o, const vw_word *w) {
  return o->hash == w->hash && o->len == w->len &&
         memcmp(text + o->off, text + w->off, w->len) == 0;
}

/* Set w[i].first, the first word with the same bytes, for the words that
** have a valence: only they use it (VADER's rules give the others 0
** wherever they are).  Few words have one, so they are compared pairwise
** while there are up to VW_PAIRWISE of them, and hashed beyond. */
#define VW_PAIRWISE 32

static int find_firsts(vw_list *l, const char *text, char **err) {
  size_t nslot = 16, mask, i, j, k = 0;
  uint32_t rated[VW_PAIRWISE];
  uint64_t e;
  for (i = 0; i < l->n; i++) {
    vw_word *w = &l->w[i];
    if (!(w->flags & LEX_F_VALENCE)) continue;
    if (k == VW_PAIRWISE) break;
    for (j = 0; j < k; j++)
      if (same_word(text, &l->w[rated[j]], w)) {
        w->first = rated[j];
        break;
      }
    if (j == k) rated[k++] = (uint32_t)i;
  }
  if (i == l->n) return LECTOR_OK;
  while (nslot < 2 * l->n) nslot *= 2;
  if (nslot > l->seen_cap) {
    void *ns = lk_grow(l->seen, &l->seen_cap, nslot, sizeof *l->seen);
    if (!ns) {
      *err = lk_errorf("out of memory (words)");
      return LECTOR_ENOMEM;
    }
    l->seen = ns;
  }
  mask = nslot - 1;                /* many rated words: hash every word */
  memset(l->seen, 0, nslot * sizeof *l->seen);
  for (i = 0; i < l->n; i++) {
    vw_word *w = &l->w[i];
    for (j = w->hash & mask; (e = l->seen[j]) != 0; j = (j + 1) & mask) {
      if ((uint32_t)(e >> 32) == w->hash &&
          same_word(text, &l->w[(uint32_t)e - 1], w)) {
        w->first = (uint32_t)e - 1;
        break;
      }
    }
    if (!e) l->seen[j] = (uint64_t)w->hash << 32 | (uint64_t)(i + 1);
  }
  return LECTOR_OK;
}

int vw_build(vw_list *l, const lector_tokenizer_api *tok,
             const lector_tok_opts *o, const lex_table *lex, uint32_t mark,
             const char *text, size_t len, char **err) {
  return vw_build_rules(l, tok, o, lex, mark, 0, text, len, err);
}

int vw_build_rules(vw_list *l, const lector_tokenizer_api *tok,
                   const lector_tok_opts *o, const lex_table *lex,
                   uint32_t mark, int vs, const char *text, size_t len,
                   char **err) {
  builder bd;
  size_t got, k, batches = 0;
  uint32_t p = 0;
  int rc;
  l->n = l->upper = 0;
  l->marked = (size_t)-1;
  *err = NULL;
  if ((rc = tok->begin(&l->st, o, text, len, err)) != LECTOR_OK) return rc;
  memset(&bd, 0, sizeof bd);
  bd.l = l;
  bd.tok = tok;
  bd.o = o;
  lex_view_of(lex, &bd.lex);
  bd.s = (const unsigned char *)text;
  bd.n = len;
  bd.mark = mark;
  bd.vs = vs;
  bd.err = err;
  while (rc == LECTOR_OK &&
         (got = tok->next(&l->st, l->spans, SENT_SPAN_BATCH)) > 0) {
    for (k = 0; k < got && rc == LECTOR_OK; k++) {
      const lector_tok_span *sp = &l->spans[k];
      if (sp->offset == p + 1 && bd.s[p] == ' ') rc = close_group(&bd);
      else if (sp->offset > p) rc = walk(&bd, p, sp->offset, NULL);
      if (rc == LECTOR_OK) rc = add_span(&bd, sp);
      p = sp->offset + sp->length;
    }
    if (++batches % SENT_POLL_EVERY == 0 && lk_interrupted()) {
      *err = lk_errorf("interrupted");
      rc = LECTOR_EINTERRUPT;
    }
  }
  tok->end(&l->st);
  if (rc == LECTOR_OK && p < len) rc = walk(&bd, p, (uint32_t)len, NULL);
  if (rc == LECTOR_OK) rc = close_group(&bd);
  if (l->marked == (size_t)-1) l->marked = l->n;
  if (rc == LECTOR_OK && l->n > 1 && !vs) rc = find_firsts(l, text, err);
  return rc;
}
