/*
** ng_order.c -- file order, top-k, gram strings (see ng_order.h).
*/
#include <string.h>

#include "lector/kit.h"
#include "ng_escape.h"
#include "ng_order.h"

/* ------------------------------------------------------------------------
** Comparing words and grams
*/

/* A cursor over the escaped bytes of a word. */
typedef struct esc_it {
  const unsigned char *s;
  size_t n, i;
  char pend[4];
  int np, ip;
} esc_it;

/* The next escaped byte, or -1 at the end. */
static int esc_next(esc_it *e) {
  if (e->ip < e->np) return (unsigned char)e->pend[e->ip++];
  if (e->i >= e->n) return -1;
  e->np = ng_esc(e->s[e->i++], e->pend);
  e->ip = 1;
  return (unsigned char)e->pend[0];
}

int ng_word_cmp(const char *a, size_t an, const char *b, size_t bn) {
  esc_it x = {(const unsigned char *)a, an, 0, {0}, 0, 0};
  esc_it y = {(const unsigned char *)b, bn, 0, {0}, 0, 0};
  size_t i, m = an < bn ? an : bn;
  /* fast path: the common prefix of plain bytes */
  for (i = 0; i < m && a[i] == b[i] && (unsigned char)a[i] > 0x20 &&
              a[i] != '\\';
       i++) {}
  x.i = y.i = i;
  for (;;) {
    int ca = esc_next(&x), cb = esc_next(&y);
    if (ca != cb) return ca < cb ? -1 : 1;
    if (ca < 0) return 0;
  }
}

/* Compare the words of ids a and b (0: no word, first). */
static int id_cmp(uint32_t a, uint32_t b) {
  const char *sa, *sb;
  size_t la = 0, lb = 0;
  if (a == b) return 0;
  if (a == 0 || b == 0) return a == 0 ? -1 : 1;
  sa = lk_env_cur.vocab_string(a, &la);
  sb = lk_env_cur.vocab_string(b, &lb);
  return ng_word_cmp(sa ? sa : "", la, sb ? sb : "", lb);
}

int ng_gram_cmp(const uint32_t *a, const uint32_t *b, int width) {
  int j;
  for (j = 0; j < width; j++) {
    int c = id_cmp(a[j], b[j]);
    if (c) return c;
    if (a[j] == 0) return 0;
  }
  return 0;
}

int ng_gram_cmp2(const uint32_t *a, int wa, const uint32_t *b, int wb) {
  int j, w = wa > wb ? wa : wb;
  for (j = 0; j < w; j++) {
    uint32_t x = j < wa ? a[j] : 0, y = j < wb ? b[j] : 0;
    int c = id_cmp(x, y);
    if (c) return c;
    if (x == 0) return 0;
  }
  return 0;
}

/* ------------------------------------------------------------------------
** A merge sort of uint32 values with a context comparator
*/

typedef int (*idx_cmp)(const void *ctx, uint32_t a, uint32_t b);

static void insertion(uint32_t *a, size_t n, idx_cmp cmp, const void *ctx) {
  size_t i, j;
  for (i = 1; i < n; i++) {
    uint32_t v = a[i];
    for (j = i; j > 0 && cmp(ctx, a[j - 1], v) > 0; j--) a[j] = a[j - 1];
    a[j] = v;
  }
}

static void merge(const uint32_t *src, uint32_t *dst, size_t lo, size_t mid,
                  size_t hi, idx_cmp cmp, const void *ctx) {
  size_t i = lo, j = mid, k = lo;
  while (i < mid && j < hi)
    dst[k++] = cmp(ctx, src[j], src[i]) < 0 ? src[j++] : src[i++];
  while (i < mid) dst[k++] = src[i++];
  while (j < hi) dst[k++] = src[j++];
}

/* Stable sort of a[0..n).  0, or -1 on out of memory or when
** interrupted. */
static int msort(uint32_t *a, size_t n, idx_cmp cmp, const void *ctx) {
  const size_t run = 16;
  uint32_t *tmp, *src = a, *dst;
  size_t w, lo;
  for (lo = 0; lo < n; lo += run)
    insertion(a + lo, n - lo < run ? n - lo : run, cmp, ctx);
  if (n <= run) return 0;
  tmp = lk_alloc(n * sizeof *tmp);
  if (!tmp) return -1;
  dst = tmp;
  for (w = run; w < n; w *= 2) {
    uint32_t *t;
    if (lk_interrupted()) {              /* once a pass: a big sort is long */
      lk_free(tmp);
      return -1;
    }
    for (lo = 0; lo < n; lo += 2 * w) {
      size_t mid = lo + w < n ? lo + w : n;
      size_t hi = lo + 2 * w < n ? lo + 2 * w : n;
      merge(src, dst, lo, mid, hi, cmp, ctx);
    }
    t = src;
    src = dst;
    dst = t;
  }
  if (src != a) memcpy(a, src, n * sizeof *a);
  lk_free(tmp);
  return 0;
}

/* ------------------------------------------------------------------------
** File order of a whole table: rank the words, radix-sort rank tuples
*/

static int word_cmp_ctx(const void *ctx, uint32_t a, uint32_t b) {
  (void)ctx;
  return id_cmp(a, b);
}

/* rank[id] = 1 + position of id's word among the words of t in file
** order (0 for ids t does not use).  *rank has vocab_size + 1 entries. */
static int rank_words(const ng_table *t, uint32_t **rank) {
  uint32_t v = lk_env_cur.vocab_size(), i, nids = 0, *ids, *r;
  r = lk_alloc(((size_t)v + 1) * sizeof *r);
  if (!r) return -1;
  memset(r, 0, ((size_t)v + 1) * sizeof *r);
  for (i = 0; i < t->cap; i++) {
    const uint32_t *s = ng_table_slot(t, i);
    int j;
    for (j = 0; s && j < t->width && s[j]; j++)
      if (s[j] <= v && !r[s[j]]) {
        r[s[j]] = 1;
        nids++;
      }
  }
  ids = lk_alloc((nids ? nids : 1) * sizeof *ids);
  if (!ids) { lk_free(r); return -1; }
  nids = 0;
  for (i = 1; i <= v; i++) if (r[i]) ids[nids++] = i;
  if (msort(ids, nids, word_cmp_ctx, NULL) != 0) {
    lk_free(ids);
    lk_free(r);
    return -1;
  }
  for (i = 0; i < nids; i++) r[ids[i]] = i + 1;
  lk_free(ids);
  *rank = r;
  return 0;
}

/* One stable counting-sort pass of the n records of stride words in src
** into dst by 16-bit digit (word w, shift sh).  Returns 0 if the pass was
** skipped (every record has the same digit). */
static int radix_pass(const uint32_t *src, uint32_t *dst, size_t n,
                      unsigned stride, unsigned w, unsigned sh,
                      size_t *count) {
  size_t i, sum = 0;
  memset(count, 0, 65536 * sizeof *count);
  for (i = 0; i < n; i++) count[(src[i * stride + w] >> sh) & 0xFFFF]++;
  for (i = 0; i < 65536; i++) {
    size_t c = count[i];
    if (c == n) return 0;
    count[i] = sum;
    sum += c;
  }
  for (i = 0; i < n; i++) {
    const uint32_t *r = src + i * stride;
    memcpy(dst + count[(r[w] >> sh) & 0xFFFF]++ * stride, r,
           stride * sizeof *r);
  }
  return 1;
}

/* Sort records (width ranks, then the slot index) lexicographically. */
static int radix_sort(uint32_t *rec, size_t n, unsigned width) {
  unsigned stride = width + 1, w, sh;
  uint32_t *tmp, *src = rec, *dst;
  size_t *count = lk_alloc(65536 * sizeof *count);
  tmp = lk_alloc((n ? n : 1) * stride * sizeof *tmp);
  if (!count || !tmp) {
    lk_free(count);
    lk_free(tmp);
    return -1;
  }
  dst = tmp;
  for (w = width; w-- > 0;)
    for (sh = 0; sh < 32; sh += 16)
      if (radix_pass(src, dst, n, stride, w, sh, count)) {
        uint32_t *t = src;
        src = dst;
        dst = t;
      }
  if (src != rec) memcpy(rec, src, n * stride * sizeof *rec);
  lk_free(tmp);
  lk_free(count);
  return 0;
}

static int wanted(const ng_table *t, const uint32_t *s, int len) {
  return len == 0 || ng_key_len(s, t->width) == len;
}

int ng_order_sorted(const ng_table *t, int len, uint32_t **idx, size_t *n) {
  unsigned width = t->width, stride = width + 1u, j;
  uint32_t *rank = NULL, *rec, *out, i;
  size_t m = 0, k;
  *idx = NULL;
  *n = 0;
  if (rank_words(t, &rank) != 0) return -1;
  rec = lk_alloc(((size_t)t->used + 1) * stride * sizeof *rec);
  if (!rec) { lk_free(rank); return -1; }
  for (i = 0; i < t->cap; i++) {
    const uint32_t *s = ng_table_slot(t, i);
    if (!s || !wanted(t, s, len)) continue;
    for (j = 0; j < width; j++) rec[m * stride + j] = s[j] ? rank[s[j]] : 0;
    rec[m * stride + width] = i;
    m++;
  }
  lk_free(rank);
  if (radix_sort(rec, m, width) != 0) { lk_free(rec); return -1; }
  out = lk_alloc((m ? m : 1) * sizeof *out);
  if (!out) { lk_free(rec); return -1; }
  for (k = 0; k < m; k++) out[k] = rec[k * stride + width];
  lk_free(rec);
  *idx = out;
  *n = m;
  return 0;
}

/* ------------------------------------------------------------------------
** By count
*/

/* <0 when slot a comes before slot b: higher count, then file order. */
static int count_cmp(const void *ctx, uint32_t a, uint32_t b) {
  const ng_table *t = ctx;
  const uint32_t *sa = t->slots + (size_t)a * t->stride;
  const uint32_t *sb = t->slots + (size_t)b * t->stride;
  uint64_t ca = ng_table_count(t, sa), cb = ng_table_count(t, sb);
  if (ca != cb) return ca > cb ? -1 : 1;
  return ng_gram_cmp(sa, sb, t->width);
}

/* Restore the heap property below position i (the root is the slot that
** comes last in count order). */
static void sift_down(const ng_table *t, uint32_t *h, size_t n, size_t i) {
  for (;;) {
    size_t l = 2 * i + 1, r = l + 1, m = i;
    if (l < n && count_cmp(t, h[l], h[m]) > 0) m = l;
    if (r < n && count_cmp(t, h[r], h[m]) > 0) m = r;
    if (m == i) return;
    uint32_t v = h[i];
    h[i] = h[m];
    h[m] = v;
    i = m;
  }
}

static void sift_up(const ng_table *t, uint32_t *h, size_t i) {
  while (i > 0) {
    size_t p = (i - 1) / 2;
    if (count_cmp(t, h[i], h[p]) <= 0) return;
    uint32_t v = h[i];
    h[i] = h[p];
    h[p] = v;
    i = p;
  }
}

/* <0 when slot a has the higher count (ties: equal). */
static int count_only_cmp(const void *ctx, uint32_t a, uint32_t b) {
  const ng_table *t = ctx;
  uint64_t ca = ng_table_count(t, t->slots + (size_t)a * t->stride);
  uint64_t cb = ng_table_count(t, t->slots + (size_t)b * t->stride);
  return ca > cb ? -1 : ca < cb;
}

int ng_order_top(const ng_table *t, size_t k, int len, uint32_t **idx,
                 size_t *n) {
  uint32_t *h, i;
  size_t m = 0;
  *idx = NULL;
  *n = 0;
  if (k > t->used) k = t->used;
  if (k > 0 && k >= t->used / 8) {
    /* most of the table: file order (a radix sort), then a stable sort by
    ** count alone, with no word comparisons at all */
    if (ng_order_sorted(t, len, &h, &m) != 0) return -1;
    if (msort(h, m, count_only_cmp, t) != 0) { lk_free(h); return -1; }
    *idx = h;
    *n = m < k ? m : k;
    return 0;
  }
  h = lk_alloc((k ? k : 1) * sizeof *h);
  if (!h) return -1;
  for (i = 0; i < t->cap && k > 0; i++) {
    const uint32_t *s = ng_table_slot(t, i);
    if (!s || !wanted(t, s, len)) continue;
    if (m < k) {
      h[m++] = i;
      sift_up(t, h, m - 1);
    } else if (count_cmp(t, i, h[0]) < 0) {
      h[0] = i;
      sift_down(t, h, m, 0);
    }
  }
  if (msort(h, m, count_cmp, t) != 0) { lk_free(h); return -1; }
  *idx = h;
  *n = m;
  return 0;
}

/* ------------------------------------------------------------------------
** Strings
*/

void ng_gram_string(const uint32_t *key, int width, ng_buf *b) {
  int j;
  for (j = 0; j < width && key[j]; j++) {
    size_t len = 0;
    const char *w = lk_env_cur.vocab_string(key[j], &len);
    if (j) ng_buf_addc(b, ' ');
    ng_buf_add(b, w ? w : "", w ? len : 0);
  }
  if (!b->p) ng_buf_add(b, "", 0);
}

int ng_gram_parse(const char *s, size_t n, uint32_t *key, int width,
                  uint32_t (*lookup)(const char *s, size_t len)) {
  size_t i = 0;
  int k = 0, unknown = 0;
  memset(key, 0, (size_t)width * sizeof *key);
  if (n == 0) return 0;
  while (i <= n) {
    const char *sp = memchr(s + i, ' ', n - i);
    size_t e = sp ? (size_t)(sp - s) : n;
    if (e == i || k == width) return 0;
    key[k] = lookup(s + i, e - i);
    if (key[k] == 0) unknown = 1;
    k++;
    i = e + 1;
    if (!sp) break;
  }
  return unknown ? -1 : k;
}
