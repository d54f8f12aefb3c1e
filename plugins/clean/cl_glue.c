/*
** cl_glue.c -- splitting glued words (the rules are in cl_glue.h).
*/
#include <math.h>
#include <string.h>
#include <strings.h>

#include "lector/kit.h"
#include "cl_config.h"
#include "cl_glue.h"
#include "cl_words.h"

static int is_upper(char c) { return c >= 'A' && c <= 'Z'; }
static int is_lower(char c) { return c >= 'a' && c <= 'z'; }

uint32_t cl_vocab_count(const cl_vocab *v, const char *s, size_t n) {
  char buf[CL_GLUE_MAX_LEN + 1];
  if (n == 0 || n > CL_GLUE_MAX_LEN || !lk_env_cur.vocab_lookup) return 0;
  for (size_t i = 0; i < n; i++)
    buf[i] = is_upper(s[i]) ? (char)(s[i] + 32) : s[i];
  uint32_t id = lk_env_cur.vocab_lookup(buf, n);
  return id && id < v->n ? v->count[id] : 0;
}

/* log count of part s[0..n), or -1 when it is not a word. */
static double part_score(const cl_vocab *v, const char *s, size_t n,
                         int upper_start) {
  if (n < 2) return -1;
  for (size_t i = 1; i < n; i++)
    if (is_upper(s[i])) return -1;                  /* McD|onald */
  /* carp|enter, win|try; articleSky is cut at its case change */
  if (n < (upper_start ? 3u : 4u) && !cl_function_word(s, n)) return -1;
  uint32_t c = cl_vocab_count(v, s, n);
  return c >= v->min_count && c > 0 ? log((double)c) : -1;
}

/* Whether the cuts cut[0..k) cover every case change of s[0..n). */
static int cuts_case_changes(const char *s, size_t n, const size_t *cut,
                             size_t k) {
  for (size_t i = 1; i < n; i++)
    if (is_lower(s[i - 1]) && is_upper(s[i])) {
      size_t j = 0;
      while (j < k && cut[j] != i) j++;
      if (j == k) return 0;
    }
  return 1;
}

static int has_case_change(const char *s, size_t n) {
  for (size_t i = 1; i < n; i++)
    if (is_lower(s[i - 1]) && is_upper(s[i])) return 1;
  return 0;
}

/* Function words that also end words: human, Bretton, digestor, armour,
** habit, bonus, father. */
static int suffix_like(const char *s, size_t n) {
  static const char *const list[] = {"an", "as", "at", "her", "in", "is",
                                     "it", "on", "or", "our", "us", NULL};
  for (int i = 0; list[i]; i++)
    if (strlen(list[i]) == n && strncasecmp(list[i], s, n) == 0) return 1;
  return 0;
}

/* Whether every part has four letters or is a function word. */
static int parts_long(const char *s, size_t n, const size_t *cut, size_t k) {
  for (size_t j = 0; j <= k; j++) {
    size_t to = j < k ? cut[j] : n, at = j ? cut[j - 1] : 0;
    if (to - at < 4 && !cl_function_word(s + at, to - at)) return 0;
  }
  return 1;
}

/* Whether s[0..n) is a known word with an ending: productions (from
** production), dearest, combatant, making (make + ing). */
static int inflected(const cl_vocab *v, const char *s, size_t n) {
  static const char *const ends[] = {
    "s", "es", "ed", "d", "ing", "er", "ers", "est", "ly", "ion", "ions",
    "ment", "ments", "ness", "ant", "ants", "ist", "ists", "ism", "al",
    "ally", "ity", "able", "ful", "ous", "ies", "ied", "ier", NULL};
  char buf[CL_GLUE_MAX_LEN + 2];
  for (int e = 0; ends[e]; e++) {
    size_t k = strlen(ends[e]);
    if (n < k + 2 || strncasecmp(s + n - k, ends[e], k) != 0) continue;
    size_t m = n - k;
    memcpy(buf, s, m);
    if (ends[e][0] == 'i' && ends[e][1] == 'e') buf[m++] = 'y';  /* -ies: -y */
    if (m >= 3 && cl_vocab_count(v, buf, m) > CL_GLUE_HAPAX) return 1;
    buf[m] = 'e';                                      /* making: make */
    if (ends[e][0] != 'e' && cl_vocab_count(v, buf, m + 1) > CL_GLUE_HAPAX)
      return 1;
    if (m >= 4 && buf[m - 1] == buf[m - 2] &&            /* drumming: drum */
        cl_vocab_count(v, buf, m - 1) > CL_GLUE_HAPAX)
      return 1;
  }
  return 0;
}

typedef struct best {
  size_t k;               /* cuts */
  size_t cut[CL_GLUE_MAX_PARTS];
  double score;           /* sum of log counts */
} best;

/* Consider the split of s at cut[0..k): keep it in b when better. */
static void consider(const cl_vocab *v, const char *s, size_t n,
                     const size_t *cut, size_t k, best *b) {
  double sum = 0;
  size_t from = 0, longest = 0;
  if (!cuts_case_changes(s, n, cut, k)) return;
  for (size_t j = 0; j <= k; j++) {
    size_t to = j < k ? cut[j] : n, at = j ? cut[j - 1] : 0;
    longest = to - at > longest ? to - at : longest;
  }
  /* a capitalised token is a name more often than a glue: Asif, Putin,
  ** Delaware stay; Wewould, Indiahas, Sputniklink are cut */
  if (is_upper(s[0]) && !has_case_change(s, n) &&
      (longest < 3 || n < 7 || !parts_long(s, n, cut, k)))
    return;
  for (size_t j = 0; k > 1 && j <= k; j++) {   /* bebeset: be be set */
    size_t to = j < k ? cut[j] : n, at = j ? cut[j - 1] : 0;
    if (to - at < 3 && !has_case_change(s, n)) return;
  }
  int fw = 0, cc = has_case_change(s, n);
  for (size_t j = 0; j < k; j++) {            /* underlined, nationwide */
    size_t a = j ? cut[j - 1] : 0, c = cut[j], e = j + 1 < k ? cut[j + 1] : n;
    if (is_lower(s[c - 1]) && is_upper(s[c])) continue;
    if ((cl_compound_head(s + a, c - a) && !cl_function_word(s + c, e - c)) ||
        (cl_compound_tail(s + c, e - c) && !cl_function_word(s + a, c - a)))
      return;
    /* a short function word last is a suffix more often: human, Bretton,
    ** digestor; purchasedby is cut */
    if (e == n && suffix_like(s + c, e - c) &&
        !cl_function_word(s + a, c - a) && (c - a < 7 || is_upper(s[0])))
      return;
  }
  for (size_t j = 0; j <= k; j++) {
    size_t to = j < k ? cut[j] : n, at = j ? cut[j - 1] : 0;
    fw |= cl_function_word(s + at, to - at);
  }
  /* two content words: closed compounds are short (footnotes, deathbed),
  ** glued phrases long (tankmissiles, capitalhosted) */
  if (!fw && !cc && n < 11) return;
  for (size_t j = 0; j <= k; j++) {
    size_t to = j < k ? cut[j] : n;
    double p = part_score(v, s + from, to - from, from > 0 && is_upper(s[from]));
    if (p < 0) return;
    sum += p;
    from = to;
  }
  if (b->k && (k > b->k || (k == b->k && sum <= b->score))) return;
  b->k = k;
  b->score = sum;
  memcpy(b->cut, cut, k * sizeof *cut);
}

/* Whether the best split beats a segment seen cw times. */
static int beats_whole(const cl_vocab *v, const best *b, uint32_t cw) {
  if (cw <= CL_GLUE_HAPAX) return 1;
  double lt = log((double)(v->total ? v->total : 1));
  return b->score - (double)b->k * lt >= log(CL_GLUE_KNOWN_RATIO * cw);
}

size_t cl_glue_segment(const cl_vocab *v, const char *s, size_t n,
                       uint16_t *out) {
  best b;
  size_t cut[CL_GLUE_MAX_PARTS];
  int caps = 0, lower = 0;
  if (n < CL_GLUE_MIN_LEN || n > CL_GLUE_MAX_LEN) return 0;
  for (size_t i = 0; i < n; i++) {
    if (!is_upper(s[i]) && !is_lower(s[i])) return 0;
    caps += is_upper(s[i]);
    lower += is_lower(s[i]);
  }
  if (!lower || caps > 2) return 0;             /* NATO, McDonaldHQ */
  if (cl_protected_word(s, n) && caps <= (is_upper(s[0]) ? 1 : 0)) return 0;
  if (!has_case_change(s, n) && inflected(v, s, n)) return 0;
  memset(&b, 0, sizeof b);
  for (size_t i = 2; i + 2 <= n; i++) {
    cut[0] = i;
    consider(v, s, n, cut, 1, &b);
    for (size_t j = i + 2; CL_GLUE_MAX_PARTS >= 3 && j + 2 <= n; j++) {
      cut[1] = j;
      consider(v, s, n, cut, 2, &b);
    }
  }
  if (!b.k || !beats_whole(v, &b, cl_vocab_count(v, s, n))) return 0;
  for (size_t j = 0; j < b.k; j++) out[j] = (uint16_t)b.cut[j];
  return b.k;
}

/* ------------------------------------------------------------------------
** Texts
*/

int cl_buf_add(cl_buf *b, const char *s, size_t n) {
  char *p = lk_grow(b->p, &b->cap, b->n + n + 1, 1);
  if (!p) return -1;
  b->p = p;
  memcpy(p + b->n, s, n);
  b->n += n;
  p[b->n] = '\0';
  return 0;
}

void cl_buf_free(cl_buf *b) {
  lk_free(b->p);
  memset(b, 0, sizeof *b);
}

/* The cuts of token t[0..n) (segments between hyphens) into sp. */
static int glue_token(const cl_vocab *v, const char *t, size_t n,
                      uint32_t off, cl_splits *sp) {
  cl_split s;
  memset(&s, 0, sizeof s);
  for (size_t i = 0; i < n; i++)
    if (!is_upper(t[i]) && !is_lower(t[i]) && t[i] != '-') return 0;
  for (size_t b = 0; b < n;) {
    size_t e = b;
    uint16_t cut[CL_GLUE_MAX_PARTS];
    while (e < n && t[e] != '-') e++;
    size_t k = cl_glue_segment(v, t + b, e - b, cut);
    for (size_t j = 0; j < k && s.ncuts < CL_GLUE_MAX_CUTS; j++)
      s.cut[s.ncuts++] = (uint16_t)(b + cut[j]);
    b = e + 1;
  }
  if (!s.ncuts) return 0;
  s.off = off;
  s.len = (uint32_t)n;
  cl_split *p = lk_grow(sp->v, &sp->cap, sp->n + 1, sizeof *p);
  if (!p) return -1;
  sp->v = p;
  p[sp->n++] = s;
  return 0;
}

#define SKIP_FLAGS (LECTOR_TOKF_ALLCAPS | LECTOR_TOKF_ABBREV | \
                    LECTOR_TOKF_NONASCII | LECTOR_TOKF_DIGIT | \
                    LECTOR_TOKF_DICT | LECTOR_TOKF_LONG | LECTOR_TOKF_INVALID)

int cl_glue_scan(const lector_tokenizer_api *tok, const lector_tok_opts *o,
                 const cl_vocab *v, const char *text, size_t len,
                 cl_splits *sp, char **err) {
  lector_tok_state st;
  lector_tok_span span[256];
  size_t got;
  int rc = tok->begin(&st, o, text, len, err);
  if (rc != LECTOR_OK) return rc;
  while ((got = tok->next(&st, span, 256)) > 0) {
    if (lk_interrupted()) {
      *err = lk_errorf("interrupted");
      rc = LECTOR_EINTERRUPT;
      break;
    }
    for (size_t i = 0; i < got && rc == LECTOR_OK; i++) {
      const lector_tok_span *s = &span[i];
      if (s->kind != LECTOR_TOK_WORD || (s->flags & SKIP_FLAGS) ||
          s->length < CL_GLUE_MIN_LEN || s->length > UINT16_MAX)
        continue;
      if (glue_token(v, text + s->offset, s->length, s->offset, sp)) {
        *err = lk_errorf("out of memory (%zu splits)", sp->n + 1);
        rc = LECTOR_ENOMEM;
      }
    }
    if (rc != LECTOR_OK) break;
  }
  tok->end(&st);
  return rc;
}

int cl_glue_apply(const char *text, size_t len, const cl_split *sp, size_t n,
                  cl_buf *out, char **err) {
  size_t at = 0;
  out->n = 0;
  for (size_t i = 0; i < n; i++) {
    size_t from = at;
    for (size_t j = 0; j < sp[i].ncuts; j++) {
      size_t c = sp[i].off + sp[i].cut[j];
      if (cl_buf_add(out, text + from, c - from) || cl_buf_add(out, " ", 1))
        goto oom;
      from = c;
    }
    at = from;
  }
  if (cl_buf_add(out, text + at, len - at)) goto oom;
  return LECTOR_OK;
oom:
  *err = lk_errorf("out of memory (%zu bytes of text)", len);
  return LECTOR_ENOMEM;
}
