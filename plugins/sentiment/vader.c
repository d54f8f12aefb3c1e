/*
** vader.c -- VADER's rules on a word list (vader_words.c), after Hutto &
** Gilbert (ICWSM 2014) and the reference implementation packaged in NLTK
** 3.8.  The arithmetic is done in the same order as the reference so that
** the same lexicon gives the same doubles.
**
** For each word i with a valence v, in order:
**   - ALL CAPS: v moves away from 0 by 0.733 when the word is upper case
**     and the text mixes case (some words upper case, some not);
**   - each of the three words before it that has no valence of its own
**     may boost or dampen it (0.293, scaled by 1, 0.95, 0.9 with the
**     distance; plus 0.733 if that adverb is in caps), and may negate it
**     (x -0.74) -- a negation word or any word containing "n't";
**     "never so/this" multiplies by 1.5 instead, "so/this" two words
**     back (or "never so/this" three back) by 1.25;
**   - three words back, the idioms ("cut the mustard" ...) replace v,
**     and "kind of", "sort of", "just enough" dampen it;
**   - "least" just before negates it, except in "at least"/"very least".
** Booster words and "kind" (of) themselves score 0.  Words before the
** first "but" are halved, words after it count 1.5 times.  Then the sum
** gets 0.292 per '!' (at most 4) and 0.18 per '?' (2 or 3; 0.96 for more)
** away from 0, and compound = sum / sqrt(sum^2 + 15).
**
** Quirks of the reference kept on purpose: a repeated word is scored in
** the context of its first occurrence; "never", "so", "this", the idioms
** and the two-word dampeners match with their case as written, the other
** words lower-cased; a word only negates, boosts or triggers an idiom
** check when it has no valence itself.
*/
#include <math.h>
#include <string.h>

#include "lector/kit.h"
#include "sent_config.h"
#include "vader.h"
#include "vader_lists.h"

/* ------------------------------------------------------------------------
** Marking the rule words in a lexicon
*/

static int mark_list(lex_table *t, const char *const *words, uint32_t flag,
                     char **err) {
  int rc = LECTOR_OK;
  for (; *words && rc == LECTOR_OK; words++)
    rc = lex_mark(t, *words, strlen(*words), flag, err);
  return rc;
}

/* The words of the idioms and of the two-word dampeners. */
static int mark_idioms(lex_table *t, char **err) {
  size_t d;
  int rc = LECTOR_OK, k;
  for (d = 0; d < vader_nidioms && rc == LECTOR_OK; d++)
    for (k = 0; k < vader_idioms[d].n && rc == LECTOR_OK; k++)
      rc = lex_mark(t, vader_idioms[d].w[k], strlen(vader_idioms[d].w[k]),
                    VADER_F_IDIOM, err);
  for (d = 0; vader_booster_pairs[d][0] && rc == LECTOR_OK; d++)
    for (k = 0; k < 2 && rc == LECTOR_OK; k++)
      rc = lex_mark(t, vader_booster_pairs[d][k],
                    strlen(vader_booster_pairs[d][k]), VADER_F_IDIOM, err);
  return rc;
}

int vader_mark(lex_table *t, char **err) {
  static const struct { const char *w; uint32_t f; } single[] = {
    {"kind", VADER_F_KIND}, {"of", VADER_F_OF}, {"but", VADER_F_BUT},
    {"least", VADER_F_LEAST}, {"at", VADER_F_AT}, {"very", VADER_F_VERY},
    {"never", VADER_F_NEVER}, {"so", VADER_F_SO}, {"this", VADER_F_THIS},
  };
  size_t i;
  int rc = mark_list(t, vader_negate, VADER_F_NEGATE, err);
  if (rc == LECTOR_OK) rc = mark_list(t, vader_boosters, VADER_F_BOOST, err);
  if (rc == LECTOR_OK)
    rc = mark_list(t, vader_dampeners, VADER_F_DAMPEN, err);
  for (i = 0; rc == LECTOR_OK && i < sizeof single / sizeof single[0]; i++)
    rc = lex_mark(t, single[i].w, strlen(single[i].w), single[i].f, err);
  if (rc == LECTOR_OK) rc = mark_idioms(t, err);
  return rc;
}

/* ------------------------------------------------------------------------
** The rules on one word list
*/

typedef struct text {
  const char *s;       /* the text */
  const vw_word *w;    /* its words */
  size_t n;
  int cap_diff;        /* some words ALL CAPS, not all */
} text;

static int has_valence(const vw_word *w) {
  return (w->flags & LEX_F_VALENCE) != 0;
}

static int negated(const vw_word *w) {
  return (w->flags & VADER_F_NEGATE) || w->nt;
}

/* Is w, exactly as written, the word its flag f names ("never" ...)?
** The flag says its lower-cased form is; `exact` that it is written so. */
static int written(const vw_word *w, uint32_t f) {
  return (w->flags & f) && w->exact;
}

static int so_or_this(const text *t, size_t i) {
  return written(&t->w[i], VADER_F_SO | VADER_F_THIS);
}

/* v moved 0.733 away from zero (a positive v up, anything else down). */
static double caps(double v, double x) {
  return v > 0 ? x + VADER_C_INCR : x - VADER_C_INCR;
}

/* The boost or dampening word w gives to the valence v. */
static double scalar(const text *t, const vw_word *w, double v) {
  double s;
  if (w->flags & VADER_F_BOOST) s = VADER_B_INCR;
  else if (w->flags & VADER_F_DAMPEN) s = VADER_B_DECR;
  else return 0.0;
  if (v < 0) s *= -1;
  if (w->upper && t->cap_diff) s = caps(v, s);
  return s;
}

/* Negation or "never so/this" k + 1 words before word i. */
static double never_check(const text *t, double v, size_t k, size_t i) {
  const vw_word *w = t->w;
  if (k == 0) {
    if (negated(&w[i - 1])) v *= VADER_N_SCALAR;
  } else if (k == 1) {
    if (written(&w[i - 2], VADER_F_NEVER) && so_or_this(t, i - 1)) v *= 1.5;
    else if (negated(&w[i - 2])) v *= VADER_N_SCALAR;
  } else {
    if ((written(&w[i - 3], VADER_F_NEVER) && so_or_this(t, i - 2)) ||
        so_or_this(t, i - 1))
      v *= 1.25;
    else if (negated(&w[i - 3])) v *= VADER_N_SCALAR;
  }
  return v;
}

/* Are the n words from index `from` exactly `words`? */
static int words_are(const text *t, size_t from, size_t n,
                     const char *const *words) {
  size_t k;
  for (k = 0; k < n; k++)                  /* cheap test on flags first */
    if (!written(&t->w[from + k], VADER_F_IDIOM)) return 0;
  for (k = 0; k < n; k++)
    if (!vw_is(t->s, &t->w[from + k], words[k])) return 0;
  return 1;
}

/* The valence of the idiom made of the n words from `from`, if any. */
static int idiom(const text *t, size_t from, size_t n, double *v) {
  size_t d, k;
  for (k = 0; k < n; k++)                  /* cheap test on flags first */
    if (!written(&t->w[from + k], VADER_F_IDIOM)) return 0;
  for (d = 0; d < vader_nidioms; d++) {
    if ((size_t)vader_idioms[d].n == n &&
        words_are(t, from, n, vader_idioms[d].w)) {
      *v = vader_idioms[d].valence;
      return 1;
    }
  }
  return 0;
}

static int booster_pair(const text *t, size_t from) {
  size_t k;
  for (k = 0; vader_booster_pairs[k][0]; k++)
    if (words_are(t, from, 2, vader_booster_pairs[k])) return 1;
  return 0;
}

/* Idioms around word i (i >= 3), in the reference's order: the ones
** ending at i or just before it (first match wins), then those starting
** at i (later ones win); then "kind of" & co. dampen. */
static double idioms_check(const text *t, double v, size_t i) {
  static const struct { size_t back, n; } before[] = {
    {1, 2}, {2, 3}, {2, 2}, {3, 3}, {3, 2}
  };
  size_t k;
  for (k = 0; k < sizeof before / sizeof before[0]; k++)
    if (idiom(t, i - before[k].back, before[k].n, &v)) break;
  if (t->n - 1 > i) idiom(t, i, 2, &v);
  if (t->n - 1 > i + 1) idiom(t, i, 3, &v);
  if (booster_pair(t, i - 3) || booster_pair(t, i - 2)) v = v + VADER_B_DECR;
  return v;
}

/* "least" just before word i negates it, except after "at" / "very". */
static double least_check(const text *t, double v, size_t i) {
  const vw_word *w = t->w;
  if (i > 1 && !has_valence(&w[i - 1]) && (w[i - 1].flags & VADER_F_LEAST)) {
    if (!(w[i - 2].flags & (VADER_F_AT | VADER_F_VERY))) v *= VADER_N_SCALAR;
  } else if (i > 0 && !has_valence(&w[i - 1]) &&
             (w[i - 1].flags & VADER_F_LEAST)) {
    v *= VADER_N_SCALAR;
  }
  return v;
}

/* The valence of word i in its context. */
static double valence(const text *t, size_t i) {
  const vw_word *w = t->w;
  double v, s;
  size_t k;
  if (!has_valence(&w[i])) return 0.0;
  v = w[i].valence;
  if (w[i].upper && t->cap_diff) v = caps(v, v);
  for (k = 0; k < 3; k++) {
    if (i <= k || has_valence(&w[i - k - 1])) continue;
    s = scalar(t, &w[i - k - 1], v);
    if (k == 1 && s != 0) s = s * 0.95;
    if (k == 2 && s != 0) s = s * 0.9;
    v = v + s;
    v = never_check(t, v, k, i);
    if (k == 2) v = idioms_check(t, v, i);
  }
  return least_check(t, v, i);
}

/* Boosters, and "kind" before "of", score 0 themselves. */
static int modifier(const text *t, size_t i) {
  const vw_word *w = t->w;
  if (w[i].flags & (VADER_F_BOOST | VADER_F_DAMPEN)) return 1;
  return i + 1 < t->n && (w[i].flags & VADER_F_KIND) &&
         (w[i + 1].flags & VADER_F_OF);
}

/* Every word's valence before the "but" rule.  A word without a valence
** scores 0 whatever its context; a repeated word scores what its first
** occurrence scored. */
static void valences(const text *t, double *val) {
  size_t j;
  for (j = 0; j < t->n; j++) {
    const vw_word *w = &t->w[j];
    if (!has_valence(w)) val[j] = 0.0;
    else if (w->first != j) val[j] = val[w->first];
    else val[j] = modifier(t, j) ? 0.0 : valence(t, j);
  }
}

/* ------------------------------------------------------------------------
** From valences to scores
*/

/* Occurrences of c in s[0..len). */
static size_t count_char(const char *s, size_t len, char c) {
  const char *end = s + len, *p = s;
  size_t n = 0;
  while (p < end && (p = memchr(p, c, (size_t)(end - p))) != NULL) {
    n++;
    p++;
  }
  return n;
}

static double punct_emphasis(const char *s, size_t len) {
  size_t ep = count_char(s, len, '!'), qm = count_char(s, len, '?');
  double amp;
  amp = (double)(ep > 4 ? 4 : ep) * VADER_EP_INCR;
  if (qm > 1) amp += qm <= 3 ? (double)qm * VADER_QM_INCR : VADER_QM_MAX;
  return amp;
}

/* The scores of the n valences val[], the "but" rule applied on the way
** (words before the first "but", at index `but` (or n), count half, those
** after it one and a half times); amp is the punctuation emphasis. */
static void scores(const double *val, size_t n, size_t but, double amp,
                   vader_scores *out) {
  double sum = 0, pos = 0, neg = 0, neu = 0, total, v;
  size_t j;
  memset(out, 0, sizeof *out);
  if (n == 0) return;
  for (j = 0; j < n; j++) {       /* each sum in the reference's order */
    v = val[j];
    if (but < n && j != but) v = j < but ? v * 0.5 : v * 1.5;
    sum += v;
    if (v > 0) pos += v + 1;
    if (v < 0) neg += v - 1;
    if (v == 0) neu += 1;
  }
  if (sum > 0) sum += amp;
  else if (sum < 0) sum -= amp;
  out->compound = sum / sqrt(sum * sum + VADER_ALPHA);
  if (pos > fabs(neg)) pos += amp;
  else if (pos < fabs(neg)) neg -= amp;
  total = pos + fabs(neg) + neu;
  out->pos = fabs(pos / total);
  out->neg = fabs(neg / total);
  out->neu = fabs(neu / total);
}

/* ------------------------------------------------------------------------
** Entry points
*/

void vader_ws_init(vader_ws *ws) {
  vw_init(&ws->words);
  ws->val = NULL;
  ws->val_cap = 0;
}

void vader_ws_free(vader_ws *ws) {
  vw_free(&ws->words);
  lk_free(ws->val);
  ws->val = NULL;
  ws->val_cap = 0;
}

int vader_score(vader_ws *ws, const vader_model *m, const char *text_,
                size_t len, vader_scores *out, char **err) {
  vw_list *l = &ws->words;
  text t;
  int rc = vw_build(l, m->tok, m->opts, m->lex, VADER_F_BUT, text_, len,
                    err);
  if (rc != LECTOR_OK) return rc;
  if (l->n >= ws->val_cap) {
    double *nv = lk_grow(ws->val, &ws->val_cap, l->n + 1, sizeof *ws->val);
    if (!nv) {
      *err = lk_errorf("out of memory (words)");
      return LECTOR_ENOMEM;
    }
    ws->val = nv;
  }
  t.s = text_;
  t.w = l->w;
  t.n = l->n;
  t.cap_diff = l->upper > 0 && l->upper < l->n;
  valences(&t, ws->val);
  scores(ws->val, l->n, l->marked, punct_emphasis(text_, len), out);
  return LECTOR_OK;
}

int vader_sentences(vader_ws *ws, const vader_model *m, const char *text_,
                    size_t len, vader_sent_fn fn, void *ud, char **err) {
  size_t got, k, count = 0;
  vader_scores sc;
  int rc = m->tok->sent_begin(&ws->sst, m->opts, text_, len, err);
  if (rc != LECTOR_OK) return rc;
  while (rc == LECTOR_OK &&
         (got = m->tok->sent_next(&ws->sst, ws->sents, SENT_SENT_BATCH)) > 0) {
    for (k = 0; k < got && rc == LECTOR_OK; k++) {
      const lector_sent_span *sp = &ws->sents[k];
      rc = vader_score(ws, m, text_ + sp->offset, sp->length, &sc, err);
      if (rc == LECTOR_OK) rc = fn(ud, sp->offset, sp->length, &sc);
      if (rc == LECTOR_OK && ++count % SENT_POLL_EVERY == 0 &&
          lk_interrupted()) {
        *err = lk_errorf("interrupted");
        rc = LECTOR_EINTERRUPT;
      }
    }
  }
  m->tok->end(&ws->sst);
  return rc;
}
