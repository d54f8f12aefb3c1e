/*
** ng_dtm.h -- the document-term matrix: one row per document (or group
** of documents), one column per term (a gram of the counted lengths),
** compressed sparse rows.  Built in two steps: ng_dtm_build_doc keeps
** each document's own counts as the counting job hands them over (any
** thread, one call per document), then ng_dtm_finish makes the rows,
** keeps the terms whose document frequency (over rows) is within bounds,
** numbers the columns in file order (ng_order.h: the byte order of the
** terms, as scikit-learn's CountVectorizer sorts its vocabulary) and
** writes the matrix.  Nothing here touches Lua.
**
** Ownership: a builder and a matrix own their arrays (lk_alloc memory,
** counted against the session's limit); free them with
** ng_dtm_build_free / ng_dtm_free.  Error messages are lk_errorf memory
** freed by the caller.  Functions return LECTOR_OK, LECTOR_ENOMEM or
** LECTOR_EINTERRUPT (long loops poll lk_interrupted()).
*/
#ifndef NG_DTM_H
#define NG_DTM_H

#include <stddef.h>
#include <stdint.h>

#include "ng_stats.h"
#include "ng_table.h"

typedef struct ng_dtm_build {
  int nmin, nmax;                /* gram lengths counted; keys are nmax wide */
  size_t ndocs;
  uint32_t **ent;                /* per document: nent[d] entries of
                                    nmax + 1 words (key, count) */
  uint32_t *nent;
} ng_dtm_build;

/* Make b ready for ndocs documents of grams nmin..nmax. */
int ng_dtm_build_init(ng_dtm_build *b, size_t ndocs, int nmin, int nmax,
                      char **err);

/* Keep document doc's counts (counts[k]: its k-grams, nmin <= k <= nmax;
** borrowed).  Any thread; each document once.  A count past 2^32 - 1 in
** one document is an error. */
int ng_dtm_build_doc(ng_dtm_build *b, size_t doc, const ng_table *counts,
                     char **err);

/* Free what b holds (b becomes empty; NULL-safe). */
void ng_dtm_build_free(ng_dtm_build *b);

typedef struct ng_dtm {
  size_t nrows;
  uint32_t ncols;
  uint64_t nnz;
  int width;                     /* ids per column key */
  uint32_t *keys;                /* ncols * width ids, in column order */
  uint32_t *df;                  /* per column: rows with the term */
  uint64_t *rowptr;              /* nrows + 1: row r is [rowptr[r],
                                    rowptr[r + 1]) of col / val */
  uint32_t *col;                 /* nnz, ascending within a row */
  double *val;                   /* nnz: counts, or weights */
  int weighted;                  /* val holds TF-IDF weights */
} ng_dtm;

/* How documents make rows: NULL group, row d is document d (nrows ==
** ndocs); else as lector_groups: group[d] (-1: left out) and, with
** first/member, every group of document d; a row sums its documents. */
typedef struct ng_dtm_rows {
  size_t nrows;
  const int32_t *group;
  const size_t *first;
  const int32_t *member;
} ng_dtm_rows;

/* Make *out from b's documents (consumed: b is freed either way): the
** rows of rows, the terms in at least min_df and at most max_df rows and
** counted at least min_count times in all.  On error *out is empty. */
int ng_dtm_finish(ng_dtm_build *b, const ng_dtm_rows *rows, double min_df,
                  double max_df, uint64_t min_count, ng_dtm *out,
                  char **err);

/* The TF-IDF weighting of the count matrix in (not weighted) into *out:
** same rows, columns and entries; df of each column from in, N its rows
** (ng_stats.h: ng_stats_weigh). */
int ng_dtm_tfidf(const ng_dtm *in, const ng_weighting *w, ng_dtm *out,
                 char **err);

/* Column of the key (width ids), or -1. */
int64_t ng_dtm_find_col(const ng_dtm *m, const uint32_t *key);

/* Bytes held by m. */
size_t ng_dtm_memory(const ng_dtm *m);

/* Free m's arrays; m becomes empty (NULL-safe). */
void ng_dtm_free(ng_dtm *m);

#endif
