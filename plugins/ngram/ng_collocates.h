/*
** ng_collocates.h -- the collocates of a node (a word or a phrase) within a
** span, as AntConc's Collocates tool counts them, and their scores.
**
** Counting.  In each document's token stream (ng_count.h's word mode), an
** occurrence of the node is its ids at consecutive positions; its span is
** up to `left` tokens before it and `right` tokens after it, in the same
** document (and the same sentence when tok->sentences).  Each token in
** the span of an occurrence counts once for that occurrence, on its side:
** a token in the spans of two occurrences counts twice, and another
** occurrence of the node counts too.  Stop words (drop mode: NG_STOP_BIT)
** take their place in the stream but are never counted as collocates.
** Beside the span counts, each group gets N (its tokens), f_node (the
** node's occurrences) and every word's frequency f_word.
**
** Scores (docs/statistics.md): with O = left + right, S = left + right
** span sizes, R1 = f_node * S (the tokens the spans cover, AntConc's and
** Evert's window adjustment), C1 = f_word:
**   mi      log2(O / E11), E11 = R1 * C1 / N
**   t       (O - E11) / sqrt(O)
**   llr     2 sum O ln(O / E) over the 2x2 table of O, R1, C1, N (G2;
**           cells below 0 count as 0; ng_stats_assoc2), negative when
**           O < E11
**   dice    2 O / (f_node + f_word)
**   logdice 14 + log2(dice)                   (Rychly 2008)
**   freq    O
**
** Ownership: the spec is borrowed; results belong to the caller
** (ng_collocates_free).  Errors are lk_errorf memory.
*/
#ifndef NG_COLLOCATES_H
#define NG_COLLOCATES_H

#include <stddef.h>
#include <stdint.h>

#include "ng_count.h"
#include "ng_table.h"

enum { NG_CL_LLR, NG_CL_MI, NG_CL_T, NG_CL_DICE, NG_CL_LOGDICE, NG_CL_FREQ };

typedef struct ng_collocates_spec {
  const ng_tokens *tok;
  const uint32_t *node;        /* nlen ids, none 0 */
  int nlen;                    /* >= 1 */
  int left, right;             /* the span, >= 0 each */
  /* Groups as in ng_job (NULL group: every document in group 0). */
  const int32_t *group;
  const size_t *first;
  const int32_t *member;
  uint32_t ngroups;            /* >= 1 */
  /* Through the pack's index (tok->pack, a whole pack, one group: see
  ** ng_collocates_indexable): only the documents the ng_docs let through
  ** are read (those holding the node: ng_docs.skip), and there only the
  ** node and its spans are counted; N and each collocate's f_word come
  ** from host->word_count. */
  int from_index;
} ng_collocates_spec;

/* The counts of one group.  Tables of width 1 (key: the word's id). */
typedef struct ng_collocates_group {
  uint64_t tokens;             /* N */
  uint64_t nodes;              /* f_node */
  ng_table freq;               /* f_word of every word */
  ng_table side[2];            /* span counts: [0] left, [1] right */
} ng_collocates_group;

/* One collocate: the word, its counts and its score. */
typedef struct ng_collocates_row {
  uint32_t id;
  uint64_t left, right, f_word;
  double score;
} ng_collocates_row;

/* Can spec be counted through its pack's index (from_index)?  Nonzero
** when tok->pack is a whole pack whose index counts words
** (host->word_count), with one group. */
int ng_collocates_indexable(const ng_collocates_spec *spec);

/* Count spec over the documents of docs into *out (spec->ngroups groups,
** lk_alloc memory).  LECTOR_OK, or a code with *err (no results then):
** LECTOR_ENOMEM, LECTOR_EINTERRUPT, the pool's. */
int ng_collocates_run(const ng_collocates_spec *spec, const ng_docs *docs,
                      ng_collocates_group **out, char **err);

/* Free n groups (NULL is fine). */
void ng_collocates_free(ng_collocates_group *g, uint32_t n);

/* The score of measure (NG_CL_*) for a collocate seen o times in spans of
** span_size tokens around f_node occurrences, f_word times in n tokens. */
double ng_collocates_score(int measure, double o, double f_node,
                           double f_word, double n, double span_size);

/* The collocates of g seen at least min_count times in its spans, scored
** with measure for spans of span_size tokens and sorted by score
** (descending), then count (descending), then word (byte order).  *rows
** is lk_alloc memory.  0, or -1 on out of memory. */
int ng_collocates_rows(const ng_collocates_group *g, int measure,
                       int span_size, uint64_t min_count,
                       ng_collocates_row **rows, size_t *nrows);

#endif
