/*
** ng_table.h -- the n-gram count table: open addressing, linear probing,
** keys of packed vocabulary ids stored inline in the slots.
**
** A slot is `stride` 32-bit words:
**
**     key[0 .. width)   ids of the gram, then 0s (ids are >= 1, so a gram
**                       of length k < width is padded with zeros, and
**                       key[0] == 0 marks an empty slot)
**     count             occurrences, low 32 bits (see "big counts")
**     df                documents the gram occurs in
**     stamp             counting tables only: the last document that hit
**                       the slot, so df grows once per document (0: none)
**
** The capacity need not be a power of two: a key's home slot is
** (hash >> 32) * cap >> 32.  A counting table doubles at NG_LOAD_GROW; a
** finished table is compacted to NG_LOAD_FINAL without the stamp word, so
** a table of bigrams costs 16 / 0.75 ~ 21 bytes per distinct gram.  Nothing
** is allocated per gram.
**
** Big counts: a count that passes 2^32 - 1 carries into a short side list
** keyed by gram (a corpus has few such grams); ng_table_count adds it back.
**
** Ownership: a table owns its arrays (lk_alloc memory).  Keys passed in
** are borrowed.  Slot pointers stay valid until the next insertion.
** One thread at a time per table.
*/
#ifndef NG_TABLE_H
#define NG_TABLE_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "ng_config.h"

typedef struct ng_big {
  uint32_t key[NG_MAX_N];
  uint32_t high;                 /* count = high << 32 | slot count */
} ng_big;

typedef struct ng_table {
  uint32_t *slots;               /* cap * stride words */
  uint32_t cap;                  /* number of slots */
  uint32_t used;                 /* occupied slots (distinct grams) */
  uint32_t limit;                /* grow when used reaches it */
  uint8_t width;                 /* ids per key, 1..NG_MAX_N */
  uint8_t stride;                /* words per slot */
  uint8_t stamped;               /* slots carry a stamp word */
  uint64_t total[NG_MAX_N + 1];  /* occurrences counted, by gram length */
  ng_big *big;                   /* counts past 2^32 - 1 */
  uint32_t nbig, capbig;
} ng_table;

/* Word offsets in a slot (a stamped table's stamp follows at width + 2). */
#define NG_COUNT(t) ((t)->width)
#define NG_DF(t) ((t)->width + 1)

/* Make t an empty table of keys of width ids (1..NG_MAX_N), with stamp
** words if stamped, with room for about expect grams before it grows.
** 0, or -1 on out of memory (t is then empty but valid to free). */
int ng_table_init(ng_table *t, int width, int stamped, size_t expect);

/* Free t's arrays; t becomes an empty table (NULL is fine). */
void ng_table_free(ng_table *t);

/* Move src into *dst (dst's old contents are freed); src becomes empty. */
void ng_table_move(ng_table *dst, ng_table *src);

/* Number of ids of a key (its gram length). */
static inline int ng_key_len(const uint32_t *key, int width) {
  int k = 0;
  while (k < width && key[k] != 0) k++;
  return k;
}

/* The 64-bit hash of a key of width ids. */
static inline uint64_t ng_hash_(const uint32_t *key, int width) {
  uint64_t h = 0x9E3779B97F4A7C15u;
  int i;
  for (i = 0; i < width; i += 2) {
    uint64_t x = key[i];
    if (i + 1 < width) x |= (uint64_t)key[i + 1] << 32;
    h ^= x;
    h *= 0xBF58476D1CE4E5B9u;
    h ^= h >> 31;
  }
  h *= 0x94D049BB133111EBu;
  return h ^ (h >> 29);
}

static inline uint64_t ng_hash(const uint32_t *key, int width) {
  switch (width) {                    /* constant widths for the compiler */
    case 1: return ng_hash_(key, 1);
    case 2: return ng_hash_(key, 2);
    default: return ng_hash_(key, width);
  }
}

/* The home slot of hash h in a table of cap slots. */
static inline uint32_t ng_home(uint64_t h, uint32_t cap) {
  return (uint32_t)(((h >> 32) * (uint64_t)cap) >> 32);
}

static inline int ng_key_eq(const uint32_t *a, const uint32_t *b,
                            int width) {
  int i;
  if (width == 1) return a[0] == b[0];
  if (width == 2) return a[0] == b[0] && a[1] == b[1];
  for (i = 0; i < width; i++)
    if (a[i] != b[i]) return 0;
  return 1;
}

/* The slot of key, or NULL if absent.  key has t->width ids. */
static inline uint32_t *ng_table_find(const ng_table *t,
                                      const uint32_t *key) {
  uint32_t pos, w = t->width, stride = t->stride;
  if (t->cap == 0) return NULL;
  pos = ng_home(ng_hash(key, (int)w), t->cap);
  for (;;) {
    uint32_t *s = t->slots + (size_t)pos * stride;
    if (s[0] == 0) return NULL;
    if (ng_key_eq(s, key, (int)w)) return s;
    if (++pos == t->cap) pos = 0;
  }
}

/* Internal: double t (or give it a first array).  0 or -1. */
int ng_table_grow_(ng_table *t);
/* Internal: carry a wrapped count of slot s into the big list.  0 or -1. */
int ng_table_carry_(ng_table *t, const uint32_t *s, uint32_t high);

#if defined(__GNUC__)
#define NG_INLINE static inline __attribute__((always_inline))
#else
#define NG_INLINE static inline
#endif

/* ng_table_hit for a table of width w (a constant where inlined), w + 3
** words a slot. */
NG_INLINE int ng_table_hit_w(ng_table *t, const uint32_t *key, int len,
                             uint64_t h, uint32_t doc, uint32_t w) {
  uint32_t pos, *slots;
  if (t->used >= t->limit && ng_table_grow_(t) != 0) return -1;
  pos = ng_home(h, t->cap);
  slots = t->slots;
  t->total[len]++;
  for (;;) {
    uint32_t *s = slots + (size_t)pos * (w + 3);
    if (s[0] == 0) {
      uint32_t j;
      for (j = 0; j < w; j++) s[j] = key[j];
      s[w] = 1;
      s[w + 1] = 1;
      s[w + 2] = doc;
      t->used++;
      return 0;
    }
    if (ng_key_eq(s, key, (int)w)) {
      if (s[w + 2] != doc) {
        s[w + 2] = doc;
        s[w + 1]++;
      }
      if (++s[w] == 0) return ng_table_carry_(t, s, 1);
      return 0;
    }
    if (++pos == t->cap) pos = 0;
  }
}

/* Count one occurrence of key (length len, padded to t->width with 0s,
** hash h = ng_hash(key, t->width)) in document doc (>= 1, a new value for
** each document of this stamped table): df grows on the document's first
** hit.  0, or -1 on out of memory (the occurrence is lost). */
static inline int ng_table_hit(ng_table *t, const uint32_t *key, int len,
                               uint64_t h, uint32_t doc) {
  switch (t->width) {                 /* constant widths for the compiler */
    case 1: return ng_table_hit_w(t, key, len, h, doc, 1);
    case 2: return ng_table_hit_w(t, key, len, h, doc, 2);
    case 3: return ng_table_hit_w(t, key, len, h, doc, 3);
    default: return ng_table_hit_w(t, key, len, h, doc, t->width);
  }
}

/* Ask the cache for the home slot of hash h (a hint; no effect on t). */
static inline void ng_table_prefetch(const ng_table *t, uint64_t h) {
#if defined(__GNUC__)
  __builtin_prefetch(t->slots + (size_t)ng_home(h, t->cap) * t->stride, 1);
#else
  (void)t;
  (void)h;
#endif
}

/* Append key (t->width ids, padded with 0s), which t does not hold, with
** count occurrences in df documents (totals included), after t's last
** gram and without hashing: t, started empty by ng_table_init with
** stamped 0, is then a list of grams, not a table, fit only to be a
** part of ng_table_assemble (or freed); ng_table_find, _hit and _add do
** not work on it.  For an engine that meets each gram once (ng_next.h).
** 0, or -1 on out of memory. */
int ng_table_append(ng_table *t, const uint32_t *key, uint64_t count,
                    uint32_t df);

/* Add count occurrences in df documents of key to t (totals included).
** 0, or -1 on out of memory. */
int ng_table_add(ng_table *t, const uint32_t *key, uint64_t count,
                 uint32_t df);

/* The full count of slot s of t. */
uint64_t ng_table_count(const ng_table *t, const uint32_t *s);

/* Would ng_table_merge(dst, src) keep every count and total within max
** and every df within 2^32-1?  1 or 0.  (Checked before merging, so that
** an overflow leaves dst as it was.) */
int ng_table_merge_fits(const ng_table *dst, const ng_table *src,
                        uint64_t max);

/* Add every gram and total of src to dst (same width).  0 or -1 (dst
** then holds part of src). */
int ng_table_merge(ng_table *dst, const ng_table *src);

/* Rebuild t without stamp words, sized for NG_LOAD_FINAL, keeping only
** grams counted at least min_count times (totals are kept: they count
** every occurrence).  0, or -1 on out of memory (t unchanged). */
int ng_table_compact(ng_table *t, uint64_t min_count);

/* Make dst a finished table of width (at least that of every part)
** holding the grams of parts[0..nparts) counted at least min_count times,
** with their totals.  No key may be in two parts (parts of different
** gram lengths, or of different owners: ng_route.h).  With consume, each
** part is freed as soon as it is copied (the peak memory is dst and the
** parts left); else the parts are left as they were.  0, or -1 on out of
** memory (dst then empty). */
int ng_table_assemble(ng_table *dst, ng_table *const *parts, size_t nparts,
                      int width, uint64_t min_count, int consume);

/* Make dst an empty finished table of width with room for kept grams
** (its `used` already kept): what ng_table_assemble fills, and
** ng_table_place_shared.  0, or -1 on out of memory (dst then empty). */
int ng_table_final(ng_table *dst, int width, uint64_t kept);
/* Copy the grams of part (a table or list of width at most dst's,
** without big counts) counted at least min_count times into dst, made by
** ng_table_final for exactly the grams of every part so placed: several
** threads may place parts into dst at once (slots are claimed with an
** atomic compare-and-swap of their first word), as no key is in two
** parts.  Totals are the caller's to add.  0, or -1 when part is too wide
** or has big counts (use ng_table_assemble). */
int ng_table_place_shared(ng_table *dst, const ng_table *part,
                          uint64_t min_count);
/* Ask for transparent huge pages over the page-aligned inside of p[0..n)
** (Linux, arrays of at least NG_HUGE_BYTES): page faults and TLB misses
** are expensive in VMs, and a big table is probed all over. */
void ng_huge_pages(void *p, size_t n);

/* Bytes held by t (slots and big counts). */
size_t ng_table_memory(const ng_table *t);

/* Sum of t->total[]. */
uint64_t ng_table_total(const ng_table *t);

/* Slot i of t (0 <= i < cap), or NULL when it is empty. */
static inline uint32_t *ng_table_slot(const ng_table *t, uint32_t i) {
  uint32_t *s = t->slots + (size_t)i * t->stride;
  return s[0] ? s : NULL;
}

#endif
