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
**
** With VADER_RULES_VS the reference is the vaderSentiment package 3.3.2
** (vaderSentiment/vaderSentiment.py), which differs from NLTK's port in
** these rules, each tested in tests/lua/test_vadersentiment.lua:
**   1. emoji are replaced by their names first (vader_emoji.h);
**   2. its words keep one-character pieces and strip punctuation their own
**      way (vw_build_rules);
**   3. every occurrence of a word is scored in place (no "first
**      occurrence" quirk);
**   4. its booster list adds 18 words ("incredible", "total", "major" ...),
**      which then score 0 themselves and boost the next words;
**   5. "no": before a rated word it scores 0 instead of its own -1.2, and
**      a rated word one or two words after "no" (or three, with "or" or
**      "nor" just before it) takes its lexicon valence times -0.74;
**   6. "never so/this" two words back multiplies by 1.25, not 1.5;
**   7. "without doubt" before a word does not negate it;
**   8. "never", "so", "this", the idioms and "kind of" ... match
**      whatever their case, and the idioms are its SPECIAL_CASES ("bus
**      stop", "to die for", "beating heart", "broken heart" added; "cut
**      the mustard" and "hand to mouth" gone);
**   9. the "but" rule rewrites each value at the first position holding
**      an equal value (list.index on the scores), so a score equal to an
**      earlier one can be scaled twice, or its twin instead of itself;
**  10. its compound is clamped to [-1, 1] (never reached in practice);
**  11. the lexicon it ships rates "heart", "hearts", "flawed" and
**      "badass" its own way (applied over the default lexicon by
**      sent_lua.c, vader_lists.h).
** The rest (caps, boosters' scaling, negation words, "least", the
** punctuation emphasis, the sums) is the same in both.
*/
#include <math.h>
#include <string.h>

#include "lector/kit.h"
#include "sent_config.h"
#include "vader.h"
#include "vader_emoji.h"
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

/* The idioms of one reference. */
static const vader_idiom *idiom_table(int vs, size_t *n) {
  *n = vs ? vader_vs_nidioms : vader_nidioms;
  return vs ? vader_vs_idioms : vader_idioms;
}

/* The words of the idioms and of the two-word dampeners. */
static int mark_idioms(lex_table *t, int vs, char **err) {
  size_t d, n;
  const vader_idiom *id = idiom_table(vs, &n);
  int rc = LECTOR_OK, k;
  for (d = 0; d < n && rc == LECTOR_OK; d++)
    for (k = 0; k < id[d].n && rc == LECTOR_OK; k++)
      rc = lex_mark(t, id[d].w[k], strlen(id[d].w[k]), VADER_F_IDIOM, err);
  for (d = 0; vader_booster_pairs[d][0] && rc == LECTOR_OK; d++)
    for (k = 0; k < 2 && rc == LECTOR_OK; k++)
      rc = lex_mark(t, vader_booster_pairs[d][k],
                    strlen(vader_booster_pairs[d][k]), VADER_F_IDIOM, err);
  return rc;
}

int vader_mark_rules(lex_table *t, int rules, char **err) {
  static const struct { const char *w; uint32_t f; } single[] = {
    {"kind", VADER_F_KIND}, {"of", VADER_F_OF}, {"but", VADER_F_BUT},
    {"least", VADER_F_LEAST}, {"at", VADER_F_AT}, {"very", VADER_F_VERY},
    {"never", VADER_F_NEVER}, {"so", VADER_F_SO}, {"this", VADER_F_THIS},
    {"no", VADER_F_NO}, {"or", VADER_F_ORNOR}, {"nor", VADER_F_ORNOR},
    {"without", VADER_F_WITHOUT}, {"doubt", VADER_F_DOUBT},
  };
  size_t i, nsingle = sizeof single / sizeof single[0];
  int vs = rules == VADER_RULES_VS;
  int rc = mark_list(t, vader_negate, VADER_F_NEGATE, err);
  if (rc == LECTOR_OK) rc = mark_list(t, vader_boosters, VADER_F_BOOST, err);
  if (rc == LECTOR_OK)
    rc = mark_list(t, vader_dampeners, VADER_F_DAMPEN, err);
  if (rc == LECTOR_OK && vs)
    rc = mark_list(t, vader_vs_boosters, VADER_F_BOOST, err);
  if (rc == LECTOR_OK && vs)
    rc = mark_list(t, vader_vs_dampeners, VADER_F_DAMPEN, err);
  if (!vs) nsingle -= 5;                  /* NLTK has no "no" rules */
  for (i = 0; rc == LECTOR_OK && i < nsingle; i++)
    rc = lex_mark(t, single[i].w, strlen(single[i].w), single[i].f, err);
  if (rc == LECTOR_OK) rc = mark_idioms(t, vs, err);
  return rc;
}

int vader_mark(lex_table *t, char **err) {
  return vader_mark_rules(t, VADER_RULES_NLTK, err);
}

/* ------------------------------------------------------------------------
** The rules on one word list
*/

typedef struct text {
  const char *s;       /* the text */
  const vw_word *w;    /* its words */
  size_t n;
  int cap_diff;        /* some words ALL CAPS, not all */
  int vs;              /* vaderSentiment 3.3.2's rules */
  const vader_model *m;
} text;

static int has_valence(const vw_word *w) {
  return (w->flags & LEX_F_VALENCE) != 0;
}

static int negated(const vw_word *w) {
  return (w->flags & VADER_F_NEGATE) || w->nt;
}

/* Is w the word its flag f names ("never" ...)?  The flag says its
** lower-cased form is; NLTK also wants it written so (`exact`), 3.3.2
** compares lower-cased words. */
static int written(const text *t, const vw_word *w, uint32_t f) {
  return (w->flags & f) && (t->vs || w->exact);
}

static int so_or_this(const text *t, size_t i) {
  return written(t, &t->w[i], VADER_F_SO | VADER_F_THIS);
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

static int flag(const vw_word *w, uint32_t f) { return (w->flags & f) != 0; }

/* Negation or "never so/this" k + 1 words before word i; 3.3.2 gives
** "never so" two words back 1.25 (NLTK 1.5) and spares "without doubt". */
static double never_check(const text *t, double v, size_t k, size_t i) {
  const vw_word *w = t->w;
  if (k == 0) {
    if (negated(&w[i - 1])) v *= VADER_N_SCALAR;
  } else if (k == 1) {
    if (written(t, &w[i - 2], VADER_F_NEVER) && so_or_this(t, i - 1))
      v *= t->vs ? 1.25 : 1.5;
    else if (t->vs && flag(&w[i - 2], VADER_F_WITHOUT) &&
             flag(&w[i - 1], VADER_F_DOUBT))
      ;                                       /* "without doubt": as is */
    else if (negated(&w[i - 2])) v *= VADER_N_SCALAR;
  } else {
    if ((written(t, &w[i - 3], VADER_F_NEVER) && so_or_this(t, i - 2)) ||
        so_or_this(t, i - 1))
      v *= 1.25;
    else if (t->vs && flag(&w[i - 3], VADER_F_WITHOUT) &&
             (flag(&w[i - 2], VADER_F_DOUBT) || flag(&w[i - 1], VADER_F_DOUBT)))
      ;
    else if (negated(&w[i - 3])) v *= VADER_N_SCALAR;
  }
  return v;
}

/* Is word w the lower-case ASCII s: as written (NLTK), or lower-cased as
** str.lower() does (3.3.2)? */
static int word_is(const text *t, const vw_word *w, const char *s) {
  char low[SENT_WORD_MAX];
  size_t k, n = strlen(s);
  if (!t->vs) return vw_is(t->s, w, s);
  if (w->exact) return vw_is(t->s, w, s);
  if (w->len > sizeof low) return 0;
  k = vw_lower(t->m->tok, t->m->opts, t->s + w->off, w->len, low, sizeof low);
  return k == n && memcmp(low, s, n) == 0;
}

/* Are the n words from index `from` exactly `words`? */
static int words_are(const text *t, size_t from, size_t n,
                     const char *const *words) {
  size_t k;
  for (k = 0; k < n; k++)                  /* cheap test on flags first */
    if (!written(t, &t->w[from + k], VADER_F_IDIOM)) return 0;
  for (k = 0; k < n; k++)
    if (!word_is(t, &t->w[from + k], words[k])) return 0;
  return 1;
}

/* The valence of the idiom made of the n words from `from`, if any. */
static int idiom(const text *t, size_t from, size_t n, double *v) {
  size_t d, k, nid;
  const vader_idiom *id = idiom_table(t->vs, &nid);
  for (k = 0; k < n; k++)                  /* cheap test on flags first */
    if (!written(t, &t->w[from + k], VADER_F_IDIOM)) return 0;
  for (d = 0; d < nid; d++) {
    if ((size_t)id[d].n == n && words_are(t, from, n, id[d].w)) {
      *v = id[d].valence;
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

/* 3.3.2's "no": 0 before a rated word; a rated word just after "no"
** (one or two words back, or three with "or"/"nor" just before it) takes
** its lexicon valence times -0.74. */
static double no_check(const text *t, double v, size_t i) {
  const vw_word *w = t->w;
  if (flag(&w[i], VADER_F_NO) && i + 1 < t->n && has_valence(&w[i + 1]))
    v = 0.0;
  if ((i > 0 && flag(&w[i - 1], VADER_F_NO)) ||
      (i > 1 && flag(&w[i - 2], VADER_F_NO)) ||
      (i > 2 && flag(&w[i - 3], VADER_F_NO) && flag(&w[i - 1], VADER_F_ORNOR)))
    v = w[i].valence * VADER_N_SCALAR;
  return v;
}

/* The valence of word i in its context. */
static double valence(const text *t, size_t i) {
  const vw_word *w = t->w;
  double v, s;
  size_t k;
  if (!has_valence(&w[i])) return 0.0;
  v = w[i].valence;
  if (t->vs) v = no_check(t, v, i);
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

/* 3.3.2's "but" rule on val[0 .. n) in place: for each position in
** turn, its current value v is rewritten at the first position holding a
** value equal to v (Python's list.index), halved there if that position
** is before `but`, times 1.5 if after.  Zeros stay zeros, so only the
** nonzero values are compared. */
static void but_vs(double *val, size_t n, size_t but) {
  size_t k, j;
  for (k = 0; k < n; k++) {
    double v = val[k];
    if (v == 0) continue;
    for (j = 0; val[j] != v; j++) {}           /* stops at k at the latest */
    if (j < but) val[j] = v * 0.5;
    else if (j > but) val[j] = v * 1.5;
  }
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
  ws->etext = NULL;
  ws->etext_cap = 0;
}

void vader_ws_free(vader_ws *ws) {
  vw_free(&ws->words);
  lk_free(ws->val);
  lk_free(ws->etext);
  ws->val = NULL;
  ws->val_cap = 0;
  ws->etext = NULL;
  ws->etext_cap = 0;
}

int vader_score(vader_ws *ws, const vader_model *m, const char *text_,
                size_t len, vader_scores *out, char **err) {
  vw_list *l = &ws->words;
  text t;
  int vs = m->rules == VADER_RULES_VS, named = 0, rc = LECTOR_OK;
  size_t n;
  if (vs) {                                 /* emoji -> their names */
    rc = vader_emoji_expand(text_, len, &ws->etext, &ws->etext_cap, &n,
                            &named, err);
    if (rc != LECTOR_OK) return rc;
    if (named) {
      text_ = ws->etext;
      len = n;
    }
  }
  rc = vw_build_rules(l, m->tok, m->opts, m->lex, VADER_F_BUT, vs, text_,
                      len, err);
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
  t.vs = vs;
  t.m = m;
  valences(&t, ws->val);
  if (vs && l->marked < l->n) {
    but_vs(ws->val, l->n, l->marked);
    scores(ws->val, l->n, l->n, punct_emphasis(text_, len), out);
  } else {
    scores(ws->val, l->n, l->marked, punct_emphasis(text_, len), out);
  }
  if (vs && out->compound > 1.0) out->compound = 1.0;
  if (vs && out->compound < -1.0) out->compound = -1.0;
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
