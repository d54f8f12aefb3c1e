/*
** cl_bp.c -- boilerplate lines: features, the corpus table of repeated
** lines, and the rules of cl_bp.h.
*/
#include <stdlib.h>
#include <string.h>

#include "lector/kit.h"
#include "cl_bp.h"
#include "cl_config.h"
#include "cl_hash.h"
#include "cl_words.h"

/* ------------------------------------------------------------------------
** Normalising and hashing a line
*/

static int is_space(unsigned char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
}
static int is_digit(unsigned char c) { return c >= '0' && c <= '9'; }
static int is_alpha(unsigned char c) {
  return (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
}

/* The hash of the normalised form of s[0..n); *prefix (may be NULL)
** gets the hash of its first CL_BP_PREFIX bytes (0: shorter). */
static uint64_t norm_hash(const char *s, size_t n, uint64_t *prefix) {
  uint64_t h = CL_FNV_INIT;
  size_t out = 0, i = 0;
  int space = 0;
  if (prefix) *prefix = 0;
  while (i < n && is_space((unsigned char)s[i])) i++;
  while (n > i && is_space((unsigned char)s[n - 1])) n--;
  for (; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    if (is_space(c)) {
      space = 1;
      continue;
    }
    if (space) {
      h = cl_fnv_step(h, ' ');
      out++;
      space = 0;
      if (prefix && out == CL_BP_PREFIX) *prefix = cl_mix64(h);
    }
    if (is_digit(c)) {              /* 33.30, 0.6, 2,021: one '0' */
      while (i + 1 < n && (is_digit((unsigned char)s[i + 1]) ||
                           ((s[i + 1] == '.' || s[i + 1] == ',') &&
                            i + 2 < n && is_digit((unsigned char)s[i + 2]))))
        i++;
      c = '0';
    } else if (c >= 'A' && c <= 'Z') {
      c = (unsigned char)(c + 32);
    }
    h = cl_fnv_step(h, c);
    if (++out == CL_BP_PREFIX && prefix) *prefix = cl_mix64(h);
  }
  return cl_mix64(h);
}

uint64_t cl_bp_hash(const char *s, size_t n) {
  return norm_hash(s, n, NULL);
}

/* ------------------------------------------------------------------------
** Features
*/

/* Count the words, numbers, symbols and function words of a line. */
static void count_tokens(const char *s, size_t n, cl_line *l) {
  size_t i = 0;
  while (i < n) {
    while (i < n && is_space((unsigned char)s[i])) i++;
    size_t b = i;
    int alpha = 0, digit = 0, other = 0;
    while (i < n && !is_space((unsigned char)s[i])) {
      unsigned char c = (unsigned char)s[i++];
      alpha |= is_alpha(c);
      digit |= is_digit(c);
      /* U+2000..U+2FFF (punctuation, arrows, shapes: ▲) is a symbol;
      ** other non-ASCII letters make a word */
      other |= c >= 0xC0 && c != 0xE2;
    }
    if (i == b) break;
    if (alpha || (other && !digit)) {
      l->words++;
      size_t wb = b, we = i;             /* the word without punctuation */
      while (wb < we && !is_alpha((unsigned char)s[wb])) wb++;
      while (we > wb && !is_alpha((unsigned char)s[we - 1])) we--;
      l->stops += (uint16_t)cl_function_word(s + wb, we - wb);
    } else if (digit) {
      l->nums++;
    } else {
      l->syms++;
    }
  }
}

static int ends_with(const char *s, size_t n, const char *suf) {
  size_t k = strlen(suf);
  return n >= k && memcmp(s + n - k, suf, k) == 0;
}

/* End-of-line features: sentence end, ellipsis, a comma anywhere. */
static void line_ends(const char *s, size_t n, cl_line *l) {
  while (n && is_space((unsigned char)s[n - 1])) n--;
  l->comma = memchr(s, ',', n) != NULL;
  l->ellipsis = ends_with(s, n, "..") || ends_with(s, n, "\xE2\x80\xA6");
  if (!n) return;
  unsigned char c = (unsigned char)s[n - 1];
  l->end = c == '.' || c == '!' || c == '?' || c == ';' || c == ':' ||
           c == '"' || c == '\'' || ends_with(s, n, "\xE2\x80\x9D") ||
           ends_with(s, n, "\xE2\x80\x99");
}

int cl_bp_lines(const char *text, size_t len, cl_lines *ls, char **err) {
  size_t i = 0;
  ls->n = 0;
  while (i < len) {
    const char *nl = memchr(text + i, '\n', len - i);
    size_t e = nl ? (size_t)(nl - text) : len, b = i, k = e;
    i = e + 1;
    while (k > b && is_space((unsigned char)text[k - 1])) k--;
    size_t j = b;
    while (j < k && is_space((unsigned char)text[j])) j++;
    if (j == k) continue;                          /* empty line */
    if (e > UINT32_MAX) break;     /* texts past 4 GB: the rest is body */
    cl_line *v = lk_grow(ls->v, &ls->cap, ls->n + 1, sizeof *v);
    if (!v) {
      *err = lk_errorf("out of memory (%zu lines)", ls->n + 1);
      return LECTOR_ENOMEM;
    }
    ls->v = v;
    cl_line *l = &v[ls->n++];
    memset(l, 0, sizeof *l);
    l->off = (uint32_t)b;
    l->len = (uint32_t)(e - b - (e > b && text[e - 1] == '\r'));
    l->hash = norm_hash(text + b, k - b, &l->prefix);
    count_tokens(text + b, k - b, l);
    line_ends(text + b, k - b, l);
  }
  return LECTOR_OK;
}

void cl_lines_free(cl_lines *ls) {
  lk_free(ls->v);
  ls->v = NULL;
  ls->n = ls->cap = 0;
}

/* ------------------------------------------------------------------------
** The corpus table
*/

static int cmp_u64(const void *a, const void *b) {
  uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
  return (x > y) - (x < y);
}

size_t cl_bp_sort_unique(uint64_t *v, size_t n) {
  size_t k = 0;
  if (n < 2) return n;
  qsort(v, n, sizeof *v, cmp_u64);
  for (size_t i = 0; i < n; i++)
    if (k == 0 || v[k - 1] != v[i]) v[k++] = v[i];
  return k;
}

int cl_bp_hashes(const cl_lines *ls, unsigned max_words, uint64_t **v,
                 size_t *n, size_t *cap, char **err) {
  size_t first = *n;
  for (size_t i = 0; i < ls->n; i++) {
    const cl_line *l = &ls->v[i];
    if (l->words == 0 || l->words > max_words) continue;
    uint64_t *p = lk_grow(*v, cap, *n + 1, sizeof **v);
    if (!p) {
      *err = lk_errorf("out of memory (%zu line hashes)", *n + 1);
      return LECTOR_ENOMEM;
    }
    *v = p;
    p[(*n)++] = l->hash;
  }
  if (*n > first) *n = first + cl_bp_sort_unique(*v + first, *n - first);
  return LECTOR_OK;
}

size_t cl_bp_table(uint64_t *v, size_t n, size_t min_docs, uint32_t *counts) {
  size_t k = 0;
  if (n == 0) return 0;
  qsort(v, n, sizeof *v, cmp_u64);
  for (size_t i = 0; i < n;) {
    size_t j = i;
    while (j < n && v[j] == v[i]) j++;
    if (j - i >= min_docs) {
      if (counts) counts[k] = (uint32_t)(j - i > UINT32_MAX ? UINT32_MAX
                                                            : j - i);
      v[k++] = v[i];
    }
    i = j;
  }
  return k;
}

/* ------------------------------------------------------------------------
** The rules
*/

static int in_sorted(const uint64_t *v, size_t n, uint64_t h) {
  size_t lo = 0, hi = n;
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    if (v[mid] == h) return 1;
    if (v[mid] < h) lo = mid + 1;
    else hi = mid;
  }
  return 0;
}

/* Numbers and symbols more than words, with three numbers or a symbol
** (a date line, "January 6, 1947", is not a ticker). */
static int ticker(const cl_line *l) {
  unsigned other = l->nums + l->syms;
  return !l->end && 2 * other >= other + l->words &&
         (l->nums >= 3 || (l->nums >= 2 && l->syms >= 1));
}

static int tags(const cl_line *l) {
  return l->words >= 4 && l->stops == 0 && !l->end && !l->comma &&
         l->nums == 0 && !l->ellipsis;
}

/* A tail line whose normalised start another tail line shares. */
static int shared_prefix(const cl_lines *ls, size_t from, size_t i) {
  const cl_line *l = &ls->v[i];
  if (!l->prefix || (l->end && !l->ellipsis) || l->words > 25) return 0;
  for (size_t k = from; k < ls->n; k++)
    if (k != i && ls->v[k].prefix == l->prefix) return 1;
  return 0;
}

static int repeated(const cl_bp_rules *r, const cl_line *l) {
  return l->words <= r->max_words && in_sorted(r->rep, r->nrep, l->hash);
}

/* Strong end-of-document junk. */
static int tail_junk(const cl_bp_rules *r, const cl_lines *ls, size_t from,
                     size_t i) {
  const cl_line *l = &ls->v[i];
  return repeated(r, l) || ticker(l) || tags(l) ||
         (l->ellipsis && l->words <= 40) || shared_prefix(ls, from, i);
}

static int weak(const cl_line *l) {
  return l->words <= 4 && !l->end;
}

static void mark_edges(const cl_bp_rules *r, const cl_lines *ls,
                       uint8_t *where) {
  size_t n = ls->n, top = 0, from = n > CL_BP_TAIL ? n - CL_BP_TAIL : 0;
  for (; top < n && top < CL_BP_EDGE; top++) {
    const cl_line *l = &ls->v[top];
    if (!ticker(l) && !repeated(r, l)) break;
    where[top] = CL_WHERE_START;
  }
  size_t pending = 0;                 /* weak lines waiting for junk above */
  for (size_t i = n; i-- > from && i >= top;) {
    if (tail_junk(r, ls, from, i)) {
      for (size_t k = i; k <= i + pending; k++) where[k] = CL_WHERE_END;
      pending = 0;
    } else if (weak(&ls->v[i]) && pending == 0 && i + 1 < n &&
               where[i + 1] == CL_WHERE_END) {
      pending = 1;
    } else {
      break;
    }
  }
}

size_t cl_bp_classify(const cl_bp_rules *r, const cl_lines *ls,
                      uint8_t *where) {
  size_t n = ls->n, marked = 0;
  memset(where, 0, n);
  if (r->edges) mark_edges(r, ls, where);
  for (size_t i = 0; i < n; i++) {
    const cl_line *l = &ls->v[i];
    if (!where[i] && repeated(r, l))
      where[i] = i < CL_BP_EDGE ? CL_WHERE_START
                 : i + CL_BP_EDGE >= n ? CL_WHERE_END : CL_WHERE_BODY;
    if (where[i] && in_sorted(r->keep, r->nkeep, l->hash)) where[i] = 0;
    marked += where[i] != 0;
  }
  return marked;
}
