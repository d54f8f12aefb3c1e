/*
** cl_bp.h -- boilerplate: the lines of a document, their features, and
** the rules that call a line boilerplate.  Plain C on lector/kit.h's env
** (no Lua, no host): the plugin, its unit test and fuzz target link it.
**
** A line is boilerplate when
**   - its normalised form (digit runs as one 0, white space collapsed,
**     ASCII case folded) is one of the corpus's repeated lines (the caller
**     counts them with cl_bp_hashes over every document and cl_bp_table),
**     or one the user added, and it is no longer than max_words words; or
**   - it is in the run of lines at the document's start that look like a
**     ticker (numbers and symbols more than words); or
**   - it is in the run of lines at the document's end that look like a
**     ticker, a list of tags (four or more words, no function word, no
**     punctuation), a cut teaser (ending in .. or an ellipsis), or share
**     their first CL_BP_PREFIX normalised bytes with another such line
**     ("view article..."); one short line (four words or fewer, no
**     sentence end) between two of those goes with them.
** A line the user listed in `keep` never is.
**
** Ownership: arrays passed in are borrowed; cl_bp_table's result is the
** caller's (lk_free).  Errors come from lk_errorf, freed by the caller.
*/
#ifndef CL_BP_H
#define CL_BP_H

#include <stddef.h>
#include <stdint.h>

/* Where a boilerplate line was (cl_bp_classify's marks); 0: kept. */
#define CL_WHERE_START 1
#define CL_WHERE_END 2
#define CL_WHERE_BODY 3

typedef struct cl_line {
  uint32_t off, len;      /* bytes of the line, '\n' and '\r' left out */
  uint64_t hash;          /* of the normalised line */
  uint64_t prefix;        /* of its first CL_BP_PREFIX normalised bytes, 0
                             when it is shorter */
  uint16_t words, nums, syms, stops;
  uint8_t end;            /* last character ends a sentence or a quote */
  uint8_t ellipsis;       /* ends in ".." or U+2026 */
  uint8_t comma;
} cl_line;

/* A growable list of lines, reused from document to document. */
typedef struct cl_lines {
  cl_line *v;
  size_t n, cap;
} cl_lines;

/* What classifies the lines of one document; every array sorted. */
typedef struct cl_bp_rules {
  const uint64_t *rep;    /* hashes of repeated (or added) lines */
  size_t nrep;
  const uint64_t *keep;   /* hashes of lines never removed */
  size_t nkeep;
  unsigned max_words;     /* longest repeated line removed */
  int edges;              /* apply the start/end rules */
} cl_bp_rules;

/* The non-empty lines of text[0..len) with their features into ls (its
** previous contents dropped).  LECTOR_OK, or LECTOR_ENOMEM with *err. */
int cl_bp_lines(const char *text, size_t len, cl_lines *ls, char **err);

/* Free ls's array (not ls). */
void cl_lines_free(cl_lines *ls);

/* Hash of the normalised form of s[0..n), as cl_line.hash. */
uint64_t cl_bp_hash(const char *s, size_t n);

/* Append to *v (a growable array of *n / *cap) the distinct hashes of the
** lines of ls that the repetition rule may count (1 .. max_words words).
** LECTOR_OK or LECTOR_ENOMEM with *err. */
int cl_bp_hashes(const cl_lines *ls, unsigned max_words, uint64_t **v,
                 size_t *n, size_t *cap, char **err);

/* Sort v[0..n) (the hashes of every document) and keep, in place, each
** hash found at least min_docs times, once; the number kept.  counts (may
** be NULL) receives how many documents had each (same order, at least n
** entries). */
size_t cl_bp_table(uint64_t *v, size_t n, size_t min_docs, uint32_t *counts);

/* Sort and deduplicate v[0..n) in place; the new n. */
size_t cl_bp_sort_unique(uint64_t *v, size_t n);

/* Mark the boilerplate lines of ls: where[i] is CL_WHERE_* or 0.  The
** number of lines marked. */
size_t cl_bp_classify(const cl_bp_rules *r, const cl_lines *ls,
                      uint8_t *where);

#endif
