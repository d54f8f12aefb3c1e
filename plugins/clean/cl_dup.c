/*
** cl_dup.c -- shingles, MinHash, LSH banding, Jaccard, union-find.
*/
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "lector/kit.h"
#include "cl_config.h"
#include "cl_dup.h"
#include "cl_hash.h"

int cl_vec64_push(cl_vec64 *v, uint64_t x) {
  uint64_t *p = lk_grow(v->v, &v->cap, v->n + 1, sizeof *p);
  if (!p) return -1;
  v->v = p;
  p[v->n++] = x;
  return 0;
}

void cl_vec64_free(cl_vec64 *v) {
  lk_free(v->v);
  memset(v, 0, sizeof *v);
}

/* ------------------------------------------------------------------------
** Bands
*/

void cl_dup_bands(double t, int hashes, double recall, int *bands,
                  int *rows) {
  *rows = 1;
  *bands = hashes;
  for (int r = 2; r <= hashes; r++) {
    int b = hashes / r;
    double p = 1.0 - pow(1.0 - pow(t, r), b);
    if (p < recall) break;
    *rows = r;
    *bands = b;
  }
}

/* ------------------------------------------------------------------------
** Shingles and signatures
*/

static int cmp_u64(const void *a, const void *b) {
  uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
  return (x > y) - (x < y);
}

/* each() callback: the hash of a word's normalised form. */
static int add_word(void *ud, const lector_tok_span *span, const char *norm,
                    size_t len) {
  (void)span;
  return cl_vec64_push(ud, cl_hash(norm, len)) ? 1 : 0;
}

int cl_dup_shingles(const lector_tokenizer_api *tok, const lector_tok_opts *o,
                    const char *text, size_t len, int k, cl_vec64 *words,
                    cl_vec64 *out, char **err) {
  words->n = out->n = 0;
  int rc = tok->each(o, text, len, add_word, words, err);
  if (rc == 1) {
    *err = lk_errorf("out of memory (%zu words)", words->n);
    return LECTOR_ENOMEM;
  }
  if (rc != LECTOR_OK) return rc;
  size_t n = words->n, m = n < (size_t)k ? (n ? 1 : 0) : n - (size_t)k + 1;
  for (size_t i = 0; i < m; i++) {
    uint64_t h = CL_FNV_INIT;
    for (size_t j = i; j < n && j < i + (size_t)k; j++)
      h = cl_mix64(h ^ words->v[j]) + j - i;
    if (cl_vec64_push(out, cl_mix64(h))) {
      *err = lk_errorf("out of memory (%zu shingles)", out->n);
      return LECTOR_ENOMEM;
    }
  }
  if (out->n < 2) return LECTOR_OK;
  qsort(out->v, out->n, sizeof *out->v, cmp_u64);
  size_t u = 0;
  for (size_t i = 0; i < out->n; i++)
    if (u == 0 || out->v[u - 1] != out->v[i]) out->v[u++] = out->v[i];
  out->n = u;
  return LECTOR_OK;
}

/* The j-th hash function's coefficients: fixed, so that signatures of
** two runs compare. */
static void coeffs(int j, uint64_t *a, uint64_t *b) {
  *a = cl_mix64(0x9e3779b97f4a7c15ULL * (uint64_t)(2 * j + 1)) | 1;
  *b = cl_mix64(0xd1b54a32d192ed03ULL * (uint64_t)(2 * j + 2));
}

void cl_dup_minhash(const uint64_t *sh, size_t n, int hashes, uint32_t *sig) {
  for (int j = 0; j < hashes; j++) {
    uint64_t a, b;
    uint32_t m = UINT32_MAX;
    coeffs(j, &a, &b);
    for (size_t i = 0; i < n; i++) {
      uint32_t v = (uint32_t)((a * sh[i] + b) >> 32);
      m = v < m ? v : m;
    }
    sig[j] = m;
  }
}

/* ------------------------------------------------------------------------
** Candidates
*/

typedef struct bucket_item {
  uint64_t key;
  uint32_t doc;
} bucket_item;

static int cmp_item(const void *a, const void *b) {
  const bucket_item *x = a, *y = b;
  if (x->key != y->key) return (x->key > y->key) - (x->key < y->key);
  return (x->doc > y->doc) - (x->doc < y->doc);
}

static int cmp_pair(const void *a, const void *b) {
  const cl_pair *x = a, *y = b;
  if (x->a != y->a) return (x->a > y->a) - (x->a < y->a);
  return (x->b > y->b) - (x->b < y->b);
}

typedef struct pairs {
  cl_pair *v;
  size_t n, cap;
} pairs;

static int push_pair(pairs *p, uint32_t a, uint32_t b) {
  cl_pair *v = lk_grow(p->v, &p->cap, p->n + 1, sizeof *v);
  if (!v) return -1;
  p->v = v;
  v[p->n].a = a < b ? a : b;
  v[p->n++].b = a < b ? b : a;
  return 0;
}

/* The pairs of one bucket it[0..m): every pair, or for a big bucket a
** star around its first member and a chain (enough to join them). */
static int bucket_pairs(pairs *p, const bucket_item *it, size_t m) {
  for (size_t x = 0; x < m; x++)
    for (size_t y = x + 1; y < m; y++) {
      if (m > CL_DUP_BUCKET && x > 0 && y != x + 1) continue;
      if (push_pair(p, it[x].doc, it[y].doc)) return -1;
    }
  return 0;
}

/* The hash of band b of signature s. */
static uint64_t band_key(const uint32_t *s, int b, int rows) {
  uint64_t h = CL_FNV_INIT + (uint64_t)b;
  for (int r = 0; r < rows; r++)
    h = cl_mix64(h ^ s[b * rows + r]) + (uint64_t)r;
  return h;
}

static int one_band(const uint32_t *sig, size_t ndocs, int hashes,
                    const uint8_t *use, int b, int rows, bucket_item *it,
                    pairs *p) {
  size_t m = 0;
  for (size_t i = 0; i < ndocs; i++)
    if (!use || use[i]) {
      it[m].key = band_key(sig + i * (size_t)hashes, b, rows);
      it[m++].doc = (uint32_t)i;
    }
  qsort(it, m, sizeof *it, cmp_item);
  for (size_t i = 0; i < m;) {
    size_t j = i;
    while (j < m && it[j].key == it[i].key) j++;
    if (j - i > 1 && bucket_pairs(p, it + i, j - i)) return -1;
    i = j;
  }
  return 0;
}

int cl_dup_candidates(const uint32_t *sig, size_t ndocs, int hashes,
                      const uint8_t *use, int bands, int rows,
                      cl_pair **out, size_t *nout, char **err) {
  pairs p = {NULL, 0, 0};
  int rc = LECTOR_OK;
  bucket_item *it = ndocs ? lk_alloc(ndocs * sizeof *it) : NULL;
  *out = NULL;
  *nout = 0;
  if (ndocs && !it) goto oom;
  for (int b = 0; b < bands; b++) {
    if (lk_interrupted()) {
      *err = lk_errorf("interrupted");
      rc = LECTOR_EINTERRUPT;
      goto done;
    }
    if (one_band(sig, ndocs, hashes, use, b, rows, it, &p)) goto oom;
    if (p.n > 0) {                      /* keep the list distinct as it grows */
      qsort(p.v, p.n, sizeof *p.v, cmp_pair);
      size_t u = 0;
      for (size_t i = 0; i < p.n; i++)
        if (u == 0 || cmp_pair(&p.v[u - 1], &p.v[i]) != 0) p.v[u++] = p.v[i];
      p.n = u;
    }
  }
  *out = p.v;
  *nout = p.n;
  p.v = NULL;
  goto done;
oom:
  *err = lk_errorf("out of memory (%zu candidate pairs)", p.n);
  rc = LECTOR_ENOMEM;
done:
  lk_free(it);
  lk_free(p.v);
  return rc;
}

/* ------------------------------------------------------------------------
** Exact check and clusters
*/

double cl_dup_jaccard32(const uint32_t *a, size_t na, const uint32_t *b,
                        size_t nb) {
  size_t i = 0, j = 0, both = 0;
  if (na + nb == 0) return 0.0;
  while (i < na && j < nb) {
    if (a[i] == b[j]) {
      both++;
      i++;
      j++;
    } else if (a[i] < b[j]) {
      i++;
    } else {
      j++;
    }
  }
  return (double)both / (double)(na + nb - both);
}

size_t cl_uf_find(uint32_t *parent, size_t i) {
  while (parent[i] != i) {
    parent[i] = parent[parent[i]];
    i = parent[i];
  }
  return i;
}

void cl_uf_union(uint32_t *parent, size_t a, size_t b) {
  a = cl_uf_find(parent, a);
  b = cl_uf_find(parent, b);
  if (a == b) return;
  if (a < b) parent[b] = (uint32_t)a;
  else parent[a] = (uint32_t)b;
}
