/*
** ng_wordcache.c -- the shared word -> id cache (see ng_wordcache.h).
*/
#include <string.h>

#include "ng_config.h"
#include "lector/kit.h"
#include "ng_wordcache.h"
#include "ng_table.h"

void ng_wordcache_init(ng_wordcache *x) {
  atomic_init(&x->tab, NULL);
  pthread_mutex_init(&x->lock, NULL);
  x->used = 0;
}

void ng_wordcache_free(ng_wordcache *x) {
  ng_wordcache_tab *t = atomic_load(&x->tab);
  while (t) {
    ng_wordcache_tab *older = t->older;
    lk_free(t->slots);
    lk_free(t);
    t = older;
  }
  pthread_mutex_destroy(&x->lock);
  ng_wordcache_init(x);
}

static int same(const ng_wordcache_slot *sl, const char *s, size_t len) {
  size_t vl;
  const char *v;
  if (sl->len != NG_LEX_LONG)
    return sl->len == len && memcmp(sl->s, s, len) == 0;
  v = lk_env_cur.vocab_string(sl->id, &vl);
  return v && vl == len && memcmp(v, s, len) == 0;
}

/* The id of s in t, or 0 when absent (*at: the empty slot ending the
** probe).  Lock-free. */
static uint32_t probe(const ng_wordcache_tab *t, const char *s, size_t len,
                      uint64_t h, ng_wordcache_slot **at) {
  uint32_t pos;
  for (pos = (uint32_t)h & t->mask;; pos = (pos + 1) & t->mask) {
    ng_wordcache_slot *sl = &t->slots[pos];
    uint64_t sh = atomic_load_explicit(&sl->hash, memory_order_acquire);
    if (!sh) {
      *at = sl;
      return 0;
    }
    if (sh == h && same(sl, s, len)) return sl->id;
  }
}

/* Replace the table by one twice as large (or make the first one); the
** old one stays readable.  Under the lock.  0 or -1. */
static int grow(ng_wordcache *x) {
  ng_wordcache_tab *old = atomic_load_explicit(&x->tab, memory_order_relaxed);
  uint32_t cap = old ? (old->mask + 1) * 2 : 1024, i;
  ng_wordcache_tab *t;
  if (cap == 0 || !(t = lk_alloc(sizeof *t))) return -1;
  t->slots = lk_alloc((size_t)cap * sizeof *t->slots);
  if (!t->slots) {
    lk_free(t);
    return -1;
  }
  ng_huge_pages(t->slots, (size_t)cap * sizeof *t->slots);
  memset(t->slots, 0, (size_t)cap * sizeof *t->slots);
  t->mask = cap - 1;
  t->older = old;
  for (i = 0; old && i <= old->mask; i++) {
    const ng_wordcache_slot *sl = &old->slots[i];
    uint64_t h = atomic_load_explicit(&sl->hash, memory_order_relaxed);
    uint32_t pos = (uint32_t)h & t->mask;
    if (!h) continue;
    while (atomic_load_explicit(&t->slots[pos].hash, memory_order_relaxed))
      pos = (pos + 1) & t->mask;
    t->slots[pos].id = sl->id;
    t->slots[pos].len = sl->len;
    memcpy(t->slots[pos].s, sl->s, sizeof sl->s);
    atomic_store_explicit(&t->slots[pos].hash, h, memory_order_relaxed);
  }
  atomic_store_explicit(&x->tab, t, memory_order_release);
  return 0;
}

/* Add s (not found by a lock-free probe).  Under the lock: another
** thread may have added it meanwhile.  Its id, or 0. */
static uint32_t add(ng_wordcache *x, const char *s, size_t len, uint64_t h) {
  ng_wordcache_tab *t = atomic_load_explicit(&x->tab, memory_order_relaxed);
  ng_wordcache_slot *sl = NULL;
  uint32_t id = t ? probe(t, s, len, h, &sl) : 0;
  if (id) return id;
  if (!t || (uint64_t)(x->used + 1) * 100 > (uint64_t)t->mask * NG_LOAD_GROW) {
    if (grow(x) != 0) return 0;
    t = atomic_load_explicit(&x->tab, memory_order_relaxed);
    probe(t, s, len, h, &sl);
  }
  if (!(id = lk_env_cur.vocab_intern(s, len))) return 0;
  sl->id = id;
  if (len <= NG_LEX_INLINE) {
    sl->len = (uint8_t)len;
    memcpy(sl->s, s, len);
  } else {
    sl->len = NG_LEX_LONG;
  }
  atomic_store_explicit(&sl->hash, h, memory_order_release);
  x->used++;
  return id;
}

uint32_t ng_wordcache_id(ng_wordcache *x, const char *s, size_t len) {
  return ng_wordcache_id_h(x, s, len, ng_wordcache_hash(s, len));
}

uint32_t ng_wordcache_slow_(ng_wordcache *x, const char *s, size_t len,
                            uint64_t h) {
  ng_wordcache_tab *t = atomic_load_explicit(&x->tab, memory_order_acquire);
  ng_wordcache_slot *sl;
  uint32_t id;
  if (len == 0) return 0;
  if (t && (id = probe(t, s, len, h, &sl)) != 0) return id;
  pthread_mutex_lock(&x->lock);
  id = add(x, s, len, h);
  pthread_mutex_unlock(&x->lock);
  return id;
}
