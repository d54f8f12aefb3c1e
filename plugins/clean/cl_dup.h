/*
** cl_dup.h -- near-duplicate documents: word shingles, MinHash
** signatures, LSH banding into candidate pairs, the exact Jaccard check
** and clusters (union-find).  Plain C on lector/kit.h's env and the
** tokenize service's C API (no Lua, no host).
**
** A document's shingles are the hashes of every run of k consecutive
** words (lower-cased, as tokenize.words gives them with punct = false);
** a document of fewer than k words has one shingle of all its words, and
** one without words none (it is nobody's duplicate).  Its signature is,
** for each of `hashes` universal hash functions h_j(x) = (a_j x + b_j) >>
** 32, the least h_j over its shingles.  LSH cuts the signature into
** bands of `rows` values; two documents equal in some band are a
** candidate pair, checked exactly on their shingle sets.
**
** Ownership: arrays passed in are borrowed; arrays returned are the
** caller's (lk_free).  Errors come from lk_errorf, freed by the caller.
*/
#ifndef CL_DUP_H
#define CL_DUP_H

#include <stddef.h>
#include <stdint.h>

#include "lector/tokenizer.h"

typedef struct cl_vec64 {
  uint64_t *v;
  size_t n, cap;
} cl_vec64;

typedef struct cl_pair {
  uint32_t a, b;          /* document indices, a < b */
} cl_pair;

/* Append x to v.  0, or -1 when memory runs out. */
int cl_vec64_push(cl_vec64 *v, uint64_t x);
void cl_vec64_free(cl_vec64 *v);

/* The LSH bands for a threshold t in (0, 1]: the most rows per band
** (fewest candidates) such that a pair whose Jaccard similarity is t
** becomes a candidate with probability at least `recall`, using at most
** `hashes` values (bands * rows <= hashes). */
void cl_dup_bands(double t, int hashes, double recall, int *bands,
                  int *rows);

/* The sorted, distinct shingles (k words) of text[0..len) into out (its
** contents replaced); words is scratch.  tok and o tokenize (o: words and
** numbers, no punctuation).  LECTOR_OK, or an error code with *err. */
int cl_dup_shingles(const lector_tokenizer_api *tok, const lector_tok_opts *o,
                    const char *text, size_t len, int k, cl_vec64 *words,
                    cl_vec64 *out, char **err);

/* The signature sig[0..hashes) of the shingles sh[0..n) (all 0xFFFFFFFF
** when n is 0). */
void cl_dup_minhash(const uint64_t *sh, size_t n, int hashes, uint32_t *sig);

/* The candidate pairs of documents 0..ndocs-1 (signatures sig[i * hashes
** ...], documents with use[i] == 0 left out), sorted and distinct, into
** *pairs / *npairs.  LECTOR_OK, LECTOR_ENOMEM or LECTOR_EINTERRUPT with
** *err. */
int cl_dup_candidates(const uint32_t *sig, size_t ndocs, int hashes,
                      const uint8_t *use, int bands, int rows,
                      cl_pair **pairs, size_t *npairs, char **err);

/* Jaccard similarity of two sorted, distinct sets of 32-bit values (0
** when both empty): the high halves of sorted 64-bit
** shingles: half the memory, and two documents of a few thousand
** shingles share a false one with a chance below one in 10^3). */
double cl_dup_jaccard32(const uint32_t *a, size_t na, const uint32_t *b,
                        size_t nb);

/* Union-find over n elements: parent[i] = i to start. */
size_t cl_uf_find(uint32_t *parent, size_t i);
void cl_uf_union(uint32_t *parent, size_t a, size_t b);

#endif
