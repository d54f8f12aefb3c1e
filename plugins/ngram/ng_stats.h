/*
** ng_stats.h -- statistics over count tables: association measures of
** collocations (PMI, log-likelihood G2, t-score, chi-squared), keyness of
** one table against another (signed log-likelihood, log ratio) and
** TF-IDF of the grams of one document.
**
** Collocations of length n (2 or 3) use the contingency table of each
** gram built from the n-gram counts themselves: for a bigram "a b",
** O11 = count(a b), R1 = bigrams starting with a, C1 = bigrams ending in
** b, N = all bigrams counted (the table's total for length 2); trigrams
** use the 2x2x2 table of NLTK's TrigramAssocMeasures (marginals of every
** position and pair of positions).  Expected counts assume independence.
**   pmi  = log2(O11 / E11)
**   llr  = 2 * sum O ln(O / E)          (G2; cells with O = 0 add 0)
**   t    = (O11 - E11) / sqrt(O11)
**   chi2 = sum (O - E)^2 / E
**
** Keyness of a gram with count a in the target (total c of its length)
** and b in the reference (total d): E1 = c(a+b)/(c+d), E2 = d(a+b)/(c+d),
** G2 = 2(a ln(a/E1) + b ln(b/E2)), signed positive when a/c > b/d;
** log ratio = log2((a/c) / (b/d)), with 0.5 in place of a zero count.
**
** TF-IDF of a gram in a document: below (ng_weighting); by default
** tf * log10(N / df) (quanteda's default), N documents.
**
** Results are arrays in lk_alloc memory, freed with lk_free.  Functions
** return 0, or -1 on out of memory.
*/
#ifndef NG_STATS_H
#define NG_STATS_H

#include <stddef.h>
#include <stdint.h>

#include "ng_table.h"

enum { NG_PMI, NG_LLR, NG_TSCORE, NG_CHI2, NG_NMEASURES };

typedef struct ng_colloc {
  const uint32_t *key;            /* the gram: its slot in the table */
  int width;
  uint64_t count;
  double score;                   /* the measure sorted by */
  double m[NG_NMEASURES];         /* indexed by NG_PMI ... */
} ng_colloc;

/* The collocations of length n (2 or 3) of t counted at least min_count
** times, sorted by measure (descending), then count (descending), then
** gram; at most top rows (0: all). */
int ng_stats_colloc(const ng_table *t, int n, uint64_t min_count,
                    int measure, size_t top, ng_colloc **rows,
                    size_t *nrows);

/* ng_stats_colloc over the grams of t that keep (a table of width >= n)
** also holds: scored with t's N and marginals, then filtered (NLTK's
** apply_word_filter when keep holds the grams without stop words). */
int ng_stats_colloc_in(const ng_table *t, int n, uint64_t min_count,
                       int measure, size_t top, const ng_table *keep,
                       ng_colloc **rows, size_t *nrows);

/* The measures of a bigram: n_ii = count, n_ix / n_xi = marginals of
** its first / second word, N = total.  out[NG_NMEASURES]. */
void ng_stats_assoc2(double n_ii, double n_ix, double n_xi, double N,
                     double *out);

/* The measures of a trigram from its 2x2x2 marginals: n_iii, the pair
** marginals (w1 w2 *), (w1 * w3), (* w2 w3), the single ones, N. */
void ng_stats_assoc3(double n_iii, double n_iix, double n_ixi, double n_xii,
                     double n_ixx, double n_xix, double n_xxi, double N,
                     double *out);

enum { NG_KEY_LLR, NG_KEY_LOGRATIO };

typedef struct ng_keyrow {
  const uint32_t *key;            /* the gram: its slot in the target or,
                                     when a == 0, in the reference */
  int width;
  uint64_t a, b;                  /* counts in target, reference */
  double score;                   /* the measure sorted by */
  double llr, log_ratio;          /* signed G2, log ratio */
} ng_keyrow;

/* Log-likelihood (signed) and log ratio for counts a, b of totals c, d. */
void ng_stats_keyness1(double a, double b, double c, double d, double *llr,
                       double *log_ratio);

/* Keyness of every gram (of length len; 0: any) of target or ref with
** a + b >= min_count, sorted by measure (descending; NG_KEY_*), then
** gram; at most top rows (0: all). */
int ng_stats_keyness(const ng_table *target, const ng_table *ref, int len,
                     uint64_t min_count, int measure, size_t top,
                     ng_keyrow **rows, size_t *nrows);

/* TF-IDF weightings, with scikit-learn's names (TfidfVectorizer) and
** quanteda's default.  A term counted tf times in a document, in df of
** the N documents:
**   tf   "raw"  tf              "log"  1 + ln(tf)    "bool"  1
**   idf  "inverse" log10(N/df)  (quanteda's dfm_tfidf default; Lector's
**                                default, as before the options existed)
**        "plain"   ln(N/df) + 1 (smooth_idf = False)
**        "smooth"  ln((1 + N) / (1 + df)) + 1   (scikit-learn's default)
**        "none"    1
**   norm the document's vector divided by its "l2" (sqrt of the sum of
**        squares) or "l1" (sum of absolute values) norm over all its
**        terms, or not at all (false); a zero vector stays zero.
** scikit-learn's defaults are raw, smooth, l2. */
enum { NG_TF_RAW, NG_TF_LOG, NG_TF_BOOL };
enum { NG_IDF_INVERSE, NG_IDF_PLAIN, NG_IDF_SMOOTH, NG_IDF_NONE };
enum { NG_NORM_NONE, NG_NORM_L1, NG_NORM_L2 };

typedef struct ng_weighting {
  int tf, idf, norm;              /* NG_TF_*, NG_IDF_*, NG_NORM_* */
} ng_weighting;

/* The weight of a term (before normalising). */
double ng_stats_weight(const ng_weighting *w, double tf, double df,
                       double N);

/* Divide v[0..n) by its norm (NG_NORM_*; nothing for a zero vector). */
void ng_stats_normalize(int norm, double *v, size_t n);

typedef struct ng_tfidf {
  uint32_t key[NG_MAX_N];
  uint32_t tf, df;
  double score;
} ng_tfidf;

/* The top k grams of one document (doc[j]: its j-grams for nmin <= j <=
** nmax, tables of width j) by the weighting w against df (document
** frequencies of the corpus, width >= nmax; a gram missing there counts
** as df 1) over ndocs documents, the norm over all the document's grams:
** score descending, then tf descending, then gram.  The norm sums the
** weights in ascending order, so that it does not depend on where the
** grams lie in the tables (their vocabulary ids: the order words were
** first seen, which differs between runs on several threads, and
** between a pack and the files).  Writes up to k rows to out; returns
** how many, or SIZE_MAX on out of memory. */
size_t ng_stats_tfidf_doc(const ng_table *doc, int nmin, int nmax,
                          const ng_table *df, uint64_t ndocs,
                          const ng_weighting *w, size_t k, ng_tfidf *out);

#endif
