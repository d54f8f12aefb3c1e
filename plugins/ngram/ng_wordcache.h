/*
** ng_wordcache.h -- the counting workers' shared cache from normalised
** words to vocabulary ids.
**
** The tokenize service can intern every token in the host vocabulary
** itself, but that costs a shared-table lookup per token.  The counting
** workers ask the tokenizer for normalised text only (ids off) and map it
** to ids here: an open-addressing table with short words stored in the
** slot (one cache line answers the common case) and the host vocabulary
** (the env's vocab_intern, lector/kit.h) asked once per new word.
**
** One cache serves every worker of a job, so its size follows the
** vocabulary, not the number of threads or how much of the vocabulary
** each thread happened to see.  Lookups take no lock: a slot is filled
** before its hash is published (release), and a reader trusts a slot only
** after reading a nonzero hash (acquire).  New words and growth take a
** mutex; a table replaced by a larger one stays readable (threads may
** still be probing it) until ng_wordcache_free.
**
** Memory from the env (lector/kit.h).
*/
#ifndef NG_WORDCACHE_H
#define NG_WORDCACHE_H

#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define NG_LEX_INLINE 19          /* longest word kept in the slot */
#define NG_LEX_LONG (NG_LEX_INLINE + 1)

typedef struct ng_wordcache_slot {
  _Atomic uint64_t hash;          /* 0: empty; written last */
  uint32_t id;
  uint8_t len;                    /* NG_LEX_LONG: longer, see id */
  char s[NG_LEX_INLINE];
} ng_wordcache_slot;                    /* 32 bytes */

typedef struct ng_wordcache_tab {
  ng_wordcache_slot *slots;
  uint32_t mask;                  /* capacity - 1 (a power of two) */
  struct ng_wordcache_tab *older;       /* the tables it replaced */
} ng_wordcache_tab;

typedef struct ng_wordcache {
  _Atomic(ng_wordcache_tab *) tab;      /* NULL until the first word */
  pthread_mutex_t lock;           /* new words, growth */
  uint32_t used;                  /* words (under lock) */
} ng_wordcache;

/* An empty cache (no memory until the first word). */
void ng_wordcache_init(ng_wordcache *x);

/* Free the cache's memory, once no thread uses it. */
void ng_wordcache_free(ng_wordcache *x);

/* The vocabulary id of s[0..len) (interned if new); 0 on out of memory
** or for an empty word.  Any thread. */
uint32_t ng_wordcache_id(ng_wordcache *x, const char *s, size_t len);

/* The same in two steps, so that a batch of words overlaps its cache
** misses: h = ng_wordcache_hash(s, len), ng_wordcache_prefetch(x, h)
** early, then ng_wordcache_id_h(x, s, len, h) (inline: once per token). */
static inline uint64_t ng_wordcache_hash(const char *s, size_t len) {
  uint64_t h = 0x9E3779B97F4A7C15u ^ (len * 0xFF51AFD7ED558CCDu), w;
  size_t i = 0;
  for (; i + 8 <= len; i += 8) {
    memcpy(&w, s + i, 8);
    h = (h ^ w) * 0xC4CEB9FE1A85EC53u;
    h ^= h >> 29;
  }
  if (i < len) {
    w = 0;
    memcpy(&w, s + i, len - i);
    h = (h ^ w) * 0xC4CEB9FE1A85EC53u;
    h ^= h >> 29;
  }
  h *= 0xBF58476D1CE4E5B9u;
  h ^= h >> 32;
  return h ? h : 1;                /* never 0: that marks an empty slot */
}

static inline void ng_wordcache_prefetch(ng_wordcache *x, uint64_t h) {
#if defined(__GNUC__)
  ng_wordcache_tab *t = atomic_load_explicit(&x->tab, memory_order_acquire);
  if (t) __builtin_prefetch(&t->slots[(uint32_t)h & t->mask]);
#else
  (void)x;
  (void)h;
#endif
}

/* Internal: the id of a word the inline probe below does not settle (a
** long word, a new word, no table yet): probe again, then add it under
** the lock. */
uint32_t ng_wordcache_slow_(ng_wordcache *x, const char *s, size_t len,
                            uint64_t h);

static inline uint32_t ng_wordcache_id_h(ng_wordcache *x, const char *s,
                                         size_t len, uint64_t h) {
  ng_wordcache_tab *t = atomic_load_explicit(&x->tab, memory_order_acquire);
  uint32_t pos;
  if (!t || len == 0) return ng_wordcache_slow_(x, s, len, h);
  for (pos = (uint32_t)h & t->mask;; pos = (pos + 1) & t->mask) {
    const ng_wordcache_slot *sl = &t->slots[pos];
    uint64_t sh = atomic_load_explicit(&sl->hash, memory_order_acquire);
    if (!sh) return ng_wordcache_slow_(x, s, len, h);
    if (sh == h && sl->len == len && len <= NG_LEX_INLINE &&
        memcmp(sl->s, s, len) == 0)
      return sl->id;
    if (sh == h && sl->len == NG_LEX_LONG)
      return ng_wordcache_slow_(x, s, len, h);
  }
}

#endif
