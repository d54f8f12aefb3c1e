/*
** ng_lex.c -- the per-worker word -> id cache (see ng_lex.h).
*/
#include <string.h>

#include "ng_env.h"
#include "ng_lex.h"

#define LONG_WORD (NG_LEX_INLINE + 1)

void ng_lex_init(ng_lex *x) {
  x->slots = NULL;
  x->mask = 0;
  x->used = 0;
}

void ng_lex_free(ng_lex *x) {
  NG_FREE(x->slots);
  ng_lex_init(x);
}

/* A 64-bit hash of s[0..len), never 0. */
uint64_t ng_lex_hash(const char *s, size_t len) {
  uint64_t h = 0x9E3779B97F4A7C15u ^ (len * 0xFF51AFD7ED558CCDu);
  size_t i = 0;
  for (; i + 8 <= len; i += 8) {
    uint64_t w;
    memcpy(&w, s + i, 8);
    h = (h ^ w) * 0xC4CEB9FE1A85EC53u;
    h ^= h >> 29;
  }
  if (i < len) {
    uint64_t w = 0;
    memcpy(&w, s + i, len - i);
    h = (h ^ w) * 0xC4CEB9FE1A85EC53u;
    h ^= h >> 29;
  }
  h *= 0xBF58476D1CE4E5B9u;
  h ^= h >> 32;
  return h ? h : 1;
}

static int same(const ng_lex_slot *sl, const char *s, size_t len) {
  size_t vl;
  const char *v;
  if (sl->len != LONG_WORD)
    return sl->len == len && memcmp(sl->s, s, len) == 0;
  v = ng_env_cur.vocab_string(sl->id, &vl);
  return v && vl == len && memcmp(v, s, len) == 0;
}

/* Double the table (or make the first one).  0 or -1. */
static int grow(ng_lex *x) {
  uint32_t cap = x->slots ? (x->mask + 1) * 2 : 256, i;
  ng_lex_slot *slots;
  if (cap == 0) return -1;
  slots = NG_ALLOC((size_t)cap * sizeof *slots);
  if (!slots) return -1;
  memset(slots, 0, (size_t)cap * sizeof *slots);
  for (i = 0; x->slots && i <= x->mask; i++) {
    const ng_lex_slot *sl = &x->slots[i];
    uint32_t pos;
    if (!sl->hash) continue;
    for (pos = (uint32_t)sl->hash & (cap - 1); slots[pos].hash;
         pos = (pos + 1) & (cap - 1)) {}
    slots[pos] = *sl;
  }
  NG_FREE(x->slots);
  x->slots = slots;
  x->mask = cap - 1;
  return 0;
}

void ng_lex_prefetch(const ng_lex *x, uint64_t h) {
#if defined(__GNUC__)
  if (x->slots) __builtin_prefetch(&x->slots[(uint32_t)h & x->mask]);
#else
  (void)x;
  (void)h;
#endif
}

uint32_t ng_lex_id(ng_lex *x, const char *s, size_t len) {
  return ng_lex_id_h(x, s, len, ng_lex_hash(s, len));
}

uint32_t ng_lex_id_h(ng_lex *x, const char *s, size_t len, uint64_t h) {
  ng_lex_slot *sl;
  uint32_t pos, id;
  if (len == 0) return 0;
  if (x->used >= (x->mask + 1) / 2 && grow(x) != 0) return 0;
  for (pos = (uint32_t)h & x->mask;; pos = (pos + 1) & x->mask) {
    sl = &x->slots[pos];
    if (!sl->hash) break;
    if (sl->hash == h && same(sl, s, len)) return sl->id;
  }
  id = ng_env_cur.vocab_intern(s, len);
  if (!id) return 0;
  sl->hash = h;
  sl->id = id;
  if (len <= NG_LEX_INLINE) {
    sl->len = (uint8_t)len;
    memcpy(sl->s, s, len);
  } else {
    sl->len = LONG_WORD;
  }
  x->used++;
  return id;
}
