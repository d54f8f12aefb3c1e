/*
** ng_table.c -- the n-gram count table (see ng_table.h).
*/
#include <stdint.h>
#include <string.h>
#if defined(__linux__)
#include <sys/mman.h>
#endif

#include "lector/kit.h"
#include "ng_table.h"

/* ------------------------------------------------------------------------
** Sizing
*/

/* Slots needed to hold n grams at load percent load (at least n + 1). */
static uint64_t slots_for(uint64_t n, unsigned load) {
  uint64_t c = (n * 100 + load - 1) / load;
  return c > n ? c : n + 1;
}

static uint32_t limit_of(uint32_t cap) {
  uint64_t l = (uint64_t)cap * NG_LOAD_GROW / 100;
  return (uint32_t)(l < cap ? l : cap - 1);
}

void ng_huge_pages(void *p, size_t n) {
#if defined(__linux__) && defined(MADV_HUGEPAGE)
  const uintptr_t page = 4096;
  uintptr_t a = ((uintptr_t)p + page - 1) & ~(page - 1);
  uintptr_t e = ((uintptr_t)p + n) & ~(page - 1);
  if (n >= NG_HUGE_BYTES && e > a)
    madvise((void *)a, (size_t)(e - a), MADV_HUGEPAGE);
#else
  (void)p;
  (void)n;
#endif
}

/* A zeroed slot array of cap slots of stride words; NULL on failure or
** when it would be too large. */
static uint32_t *new_slots(uint64_t cap, unsigned stride) {
  uint32_t *s;
  size_t bytes;
  if (cap == 0 || cap > UINT32_MAX) return NULL;
  if (cap > SIZE_MAX / (stride * sizeof *s)) return NULL;
  bytes = (size_t)cap * stride * sizeof *s;
  s = lk_alloc(bytes);
  if (!s) return NULL;
  ng_huge_pages(s, bytes);
  memset(s, 0, bytes);
  return s;
}

int ng_table_init(ng_table *t, int width, int stamped, size_t expect) {
  uint64_t cap;
  memset(t, 0, sizeof *t);
  t->width = (uint8_t)width;
  t->stamped = (uint8_t)(stamped != 0);
  t->stride = (uint8_t)(width + 2 + t->stamped);
  cap = slots_for(expect, NG_LOAD_GROW);
  if (cap < 8) cap = 8;
  t->slots = new_slots(cap, t->stride);
  if (!t->slots) return -1;
  t->cap = (uint32_t)cap;
  t->limit = limit_of(t->cap);
  return 0;
}

void ng_table_free(ng_table *t) {
  int width, stamped;
  if (!t) return;
  width = t->width ? t->width : 1;
  stamped = t->stamped;
  lk_free(t->slots);
  lk_free(t->big);
  memset(t, 0, sizeof *t);
  t->width = (uint8_t)width;
  t->stamped = (uint8_t)stamped;
  t->stride = (uint8_t)(width + 2 + stamped);
}

void ng_table_move(ng_table *dst, ng_table *src) {
  if (dst == src) return;
  ng_table_free(dst);
  *dst = *src;
  memset(src, 0, sizeof *src);
  src->width = dst->width;
  src->stamped = dst->stamped;
  src->stride = dst->stride;
}

size_t ng_table_memory(const ng_table *t) {
  return (size_t)t->cap * t->stride * sizeof(uint32_t) +
         (size_t)t->capbig * sizeof(ng_big);
}

uint64_t ng_table_total(const ng_table *t) {
  uint64_t sum = 0;
  int k;
  for (k = 0; k <= NG_MAX_N; k++) sum += t->total[k];
  return sum;
}

/* ------------------------------------------------------------------------
** Rehashing
*/

/* Puts slots into an empty slot array (keys are unique, so only empty
** slots are looked for).  A rehash writes all over the array, so each
** slot's home is prefetched PLACE_AHEAD slots before it is written. */
#define PLACE_AHEAD 8

typedef struct placer {
  uint32_t *dst;
  uint32_t cap;
  unsigned stride, width, copy;    /* words kept of each slot: copy */
  unsigned head, n;
  struct {
    uint32_t home;
    uint32_t w[NG_MAX_N + 3];
  } q[PLACE_AHEAD];
} placer;

static void placer_init(placer *p, uint32_t *dst, uint32_t cap,
                        unsigned stride, unsigned width, unsigned copy) {
  p->dst = dst;
  p->cap = cap;
  p->stride = stride;
  p->width = width;
  p->copy = copy;
  p->head = p->n = 0;
}

/* Write the oldest waiting slot. */
static void placer_put1(placer *p) {
  uint32_t pos = p->q[p->head].home;
  for (;;) {
    uint32_t *d = p->dst + (size_t)pos * p->stride;
    if (d[0] == 0) {
      memcpy(d, p->q[p->head].w, p->copy * sizeof *d);
      break;
    }
    if (++pos == p->cap) pos = 0;
  }
  p->head = (p->head + 1) % PLACE_AHEAD;
  p->n--;
}

/* Place slot s (its first copy words; a key of width ids). */
static void placer_add(placer *p, const uint32_t *s) {
  unsigned at;
  uint32_t home;
  if (p->n == PLACE_AHEAD) placer_put1(p);
  at = (p->head + p->n++) % PLACE_AHEAD;
  memcpy(p->q[at].w, s, p->copy * sizeof *s);
  home = ng_home(ng_hash(s, (int)p->width), p->cap);
  p->q[at].home = home;
#if defined(__GNUC__)
  __builtin_prefetch(p->dst + (size_t)home * p->stride, 1);
#endif
}

static void placer_flush(placer *p) {
  while (p->n) placer_put1(p);
}

int ng_table_grow_(ng_table *t) {
  uint64_t cap = t->cap ? (uint64_t)t->cap * 2 : NG_INITIAL_CAP;
  uint32_t *slots, i;
  placer p;
  if (cap > UINT32_MAX) cap = UINT32_MAX;
  if (cap <= t->cap) return -1;
  slots = new_slots(cap, t->stride);
  if (!slots) return -1;
  placer_init(&p, slots, (uint32_t)cap, t->stride, t->width, t->stride);
  for (i = 0; i < t->cap; i++) {
    const uint32_t *s = ng_table_slot(t, i);
    if (s) placer_add(&p, s);
  }
  placer_flush(&p);
  lk_free(t->slots);
  t->slots = slots;
  t->cap = (uint32_t)cap;
  t->limit = limit_of(t->cap);
  return 0;
}

/* ------------------------------------------------------------------------
** Big counts
*/

static ng_big *big_find(const ng_table *t, const uint32_t *key) {
  uint32_t i;
  for (i = 0; i < t->nbig; i++)
    if (ng_key_eq(t->big[i].key, key, t->width)) return &t->big[i];
  return NULL;
}

int ng_table_carry_(ng_table *t, const uint32_t *s, uint32_t high) {
  ng_big *b = big_find(t, s);
  if (!b) {
    if (t->nbig == t->capbig) {
      uint32_t ncap = t->capbig ? t->capbig * 2 : 4;
      ng_big *nb = lk_realloc(t->big, ncap * sizeof *nb);
      if (!nb) return -1;
      t->big = nb;
      t->capbig = ncap;
    }
    b = &t->big[t->nbig++];
    memset(b, 0, sizeof *b);
    memcpy(b->key, s, t->width * sizeof *s);
  }
  b->high += high;
  return 0;
}

uint64_t ng_table_count(const ng_table *t, const uint32_t *s) {
  uint64_t c = s[t->width];
  if (t->nbig) {
    const ng_big *b = big_find(t, s);
    if (b) c += (uint64_t)b->high << 32;
  }
  return c;
}

/* ------------------------------------------------------------------------
** Adding counts
*/

/* The slot of key, inserted with zero counts if new; NULL on out of
** memory.  The table grows only when a key is inserted (so adding to a
** full, compacted table, or merging a table into itself, moves nothing
** while only known keys come). */
static uint32_t *upsert(ng_table *t, const uint32_t *key) {
  uint32_t pos, w = t->width;
  uint64_t h = ng_hash(key, (int)w);
  if (t->cap == 0 && ng_table_grow_(t) != 0) return NULL;
  for (;;) {
    uint32_t *s;
    pos = ng_home(h, t->cap);
    for (;;) {
      s = t->slots + (size_t)pos * t->stride;
      if (s[0] == 0 || ng_key_eq(s, key, (int)w)) break;
      if (++pos == t->cap) pos = 0;
    }
    if (s[0] != 0) return s;
    if (t->used < t->limit) {
      memcpy(s, key, w * sizeof *key);
      t->used++;
      return s;
    }
    if (ng_table_grow_(t) != 0) return NULL;
  }
}

/* Add count and df into slot s of t (no totals). */
static int add_to_slot(ng_table *t, uint32_t *s, uint64_t count,
                       uint32_t df) {
  uint32_t w = t->width;
  uint64_t low = (uint64_t)s[w] + (count & 0xFFFFFFFFu);
  uint32_t high = (uint32_t)(count >> 32) + (uint32_t)(low >> 32);
  uint64_t d = (uint64_t)s[w + 1] + df;
  s[w] = (uint32_t)low;
  s[w + 1] = d > UINT32_MAX ? UINT32_MAX : (uint32_t)d;
  return high ? ng_table_carry_(t, s, high) : 0;
}

int ng_table_add(ng_table *t, const uint32_t *key, uint64_t count,
                 uint32_t df) {
  uint32_t *s = upsert(t, key);
  if (!s) return -1;
  t->total[ng_key_len(key, t->width)] += count;
  return add_to_slot(t, s, count, df);
}

int ng_table_append(ng_table *t, const uint32_t *key, uint64_t count,
                    uint32_t df) {
  uint32_t *s;
  if (t->used == t->cap) {
    uint64_t cap = t->cap ? (uint64_t)t->cap * 2 : NG_INITIAL_CAP;
    size_t row = (size_t)t->stride * sizeof *s;
    if (cap >= UINT32_MAX || cap > SIZE_MAX / row ||
        !(s = lk_realloc(t->slots, (size_t)cap * row)))
      return -1;
    memset(s + (size_t)t->cap * t->stride, 0, (size_t)(cap - t->cap) * row);
    t->slots = s;
    t->cap = (uint32_t)cap;
  }
  s = t->slots + (size_t)t->used++ * t->stride;
  memcpy(s, key, t->width * sizeof *key);
  t->total[ng_key_len(key, t->width)] += count;
  return add_to_slot(t, s, count, df);
}

int ng_table_merge_fits(const ng_table *dst, const ng_table *src,
                        uint64_t max) {
  uint32_t i;
  int k;
  for (k = 0; k <= NG_MAX_N; k++)
    if (src->total[k] > max || dst->total[k] > max - src->total[k]) return 0;
  for (i = 0; i < src->cap; i++) {
    const uint32_t *s = ng_table_slot(src, i), *d;
    uint64_t c, dc;
    if (!s) continue;
    c = ng_table_count(src, s);
    d = ng_table_find(dst, s);
    dc = d ? ng_table_count(dst, d) : 0;
    if (c > max || dc > max - c) return 0;
    if (d && (uint64_t)d[NG_DF(dst)] + s[NG_DF(src)] > UINT32_MAX) return 0;
  }
  return 1;
}

int ng_table_merge(ng_table *dst, const ng_table *src) {
  uint32_t i;
  int k;
  for (i = 0; i < src->cap; i++) {
    const uint32_t *s = ng_table_slot(src, i);
    uint32_t *d;
    if (!s) continue;
    d = upsert(dst, s);
    if (!d || add_to_slot(dst, d, ng_table_count(src, s),
                          s[src->width + 1]) != 0)
      return -1;
  }
  for (k = 0; k <= NG_MAX_N; k++) dst->total[k] += src->total[k];
  return 0;
}

int ng_table_compact(ng_table *t, uint64_t min_count) {
  uint32_t i, kept = 0, *slots;
  placer p;
  unsigned stride = t->width + 2u;
  uint64_t cap;
  for (i = 0; i < t->cap; i++) {
    const uint32_t *s = ng_table_slot(t, i);
    if (s && (min_count <= 1 || ng_table_count(t, s) >= min_count)) kept++;
  }
  cap = slots_for(kept, NG_LOAD_FINAL);
  if (cap < 8) cap = 8;
  slots = new_slots(cap, stride);
  if (!slots) return -1;
  placer_init(&p, slots, (uint32_t)cap, stride, t->width, stride);
  for (i = 0; i < t->cap; i++) {
    const uint32_t *s = ng_table_slot(t, i);
    if (s && (min_count <= 1 || ng_table_count(t, s) >= min_count))
      placer_add(&p, s);
  }
  placer_flush(&p);
  lk_free(t->slots);
  t->slots = slots;
  t->cap = (uint32_t)cap;
  t->used = kept;
  t->stride = (uint8_t)stride;
  t->stamped = 0;
  t->limit = limit_of(t->cap);
  if (t->limit < kept) t->limit = kept;    /* full: the next add grows it */
  return 0;
}

/* Number of grams of t counted at least min_count times. */
static uint32_t count_kept(const ng_table *t, uint64_t min_count) {
  uint32_t i, kept = 0;
  if (min_count <= 1) return t->used;
  for (i = 0; i < t->cap; i++) {
    const uint32_t *s = ng_table_slot(t, i);
    if (s && ng_table_count(t, s) >= min_count) kept++;
  }
  return kept;
}

/* Copy the kept grams of part (a narrower table) into dst, padding keys
** to dst's width.  0 or -1. */
static int widen_into(ng_table *dst, const ng_table *part,
                      uint64_t min_count) {
  uint32_t tmp[NG_MAX_N + 2], i, j;
  unsigned w = dst->width, pw = part->width;
  placer p;
  placer_init(&p, dst->slots, dst->cap, dst->stride, w, dst->stride);
  for (i = 0; i < part->cap; i++) {
    const uint32_t *s = ng_table_slot(part, i);
    uint64_t c;
    if (!s) continue;
    c = ng_table_count(part, s);
    if (c < min_count) continue;
    memset(tmp, 0, sizeof tmp);
    for (j = 0; j < pw; j++) tmp[j] = s[j];
    tmp[w] = s[pw];
    tmp[w + 1] = s[pw + 1];
    placer_add(&p, tmp);
    if (c > UINT32_MAX && ng_table_carry_(dst, tmp, (uint32_t)(c >> 32)) != 0)
      return -1;
  }
  placer_flush(&p);
  return 0;
}

int ng_table_final(ng_table *dst, int width, uint64_t kept) {
  uint64_t cap;
  memset(dst, 0, sizeof *dst);
  dst->width = (uint8_t)width;
  dst->stride = (uint8_t)(width + 2);
  if (kept >= UINT32_MAX) return -1;
  cap = slots_for(kept, NG_LOAD_FINAL);
  if (cap < 8) cap = 8;
  dst->slots = new_slots(cap, dst->stride);
  if (!dst->slots) return -1;
  dst->cap = (uint32_t)cap;
  dst->used = (uint32_t)kept;
  dst->limit = limit_of(dst->cap);
  if (dst->limit < dst->used) dst->limit = dst->used;
  return 0;
}

int ng_table_assemble(ng_table *dst, ng_table *const *parts, size_t nparts,
                      int width, uint64_t min_count, int consume) {
  uint64_t kept = 0;
  size_t i;
  int k;
  for (i = 0; i < nparts; i++) kept += count_kept(parts[i], min_count);
  if (ng_table_final(dst, width, kept) != 0) return -1;
  for (i = 0; i < nparts; i++) {
    for (k = 0; k <= NG_MAX_N; k++) dst->total[k] += parts[i]->total[k];
    if (widen_into(dst, parts[i], min_count) != 0) {
      ng_table_free(dst);
      return -1;
    }
    if (consume) ng_table_free(parts[i]);
  }
  return 0;
}

/* Claim a free slot from home on for key word k0 (any thread): the slot,
** whose first word is then k0. */
static uint32_t *claim(ng_table *dst, uint32_t home, uint32_t k0) {
  uint32_t pos = home;
  for (;;) {
    uint32_t *d = dst->slots + (size_t)pos * dst->stride, zero = 0;
    if (__atomic_load_n(d, __ATOMIC_RELAXED) == 0 &&
        __atomic_compare_exchange_n(d, &zero, k0, 0, __ATOMIC_RELAXED,
                                    __ATOMIC_RELAXED))
      return d;
    if (++pos == dst->cap) pos = 0;
  }
}

/* Copy part's slot s (its width pw) into a slot of dst claimed from
** home on. */
static void put_claimed(ng_table *dst, uint32_t home, const uint32_t *s,
                        unsigned pw) {
  uint32_t *d = claim(dst, home, s[0]), w = dst->width, j;
  for (j = 1; j < pw; j++) d[j] = s[j];
  d[w] = s[pw];
  d[w + 1] = s[pw + 1];
}

int ng_table_place_shared(ng_table *dst, const ng_table *part,
                          uint64_t min_count) {
  unsigned pw = part->width, n = 0, head = 0, at, j;
  uint32_t home[PLACE_AHEAD], i;
  const uint32_t *row[PLACE_AHEAD];
  if (pw > dst->width || part->nbig) return -1;
  for (i = 0; i < part->cap; i++) {
    const uint32_t *s = ng_table_slot(part, i);
    uint32_t key[NG_MAX_N] = {0};
    if (!s || s[pw] < min_count) continue;
    if (n == PLACE_AHEAD) {                 /* the oldest, prefetched */
      put_claimed(dst, home[head], row[head], pw);
      head = (head + 1) % PLACE_AHEAD;
      n--;
    }
    for (j = 0; j < pw; j++) key[j] = s[j];
    at = (head + n++) % PLACE_AHEAD;
    home[at] = ng_home(ng_hash(key, dst->width), dst->cap);
    row[at] = s;
#if defined(__GNUC__)
    __builtin_prefetch(dst->slots + (size_t)home[at] * dst->stride, 1);
#endif
  }
  for (; n; n--, head = (head + 1) % PLACE_AHEAD)
    put_claimed(dst, home[head], row[head], pw);
  return 0;
}
