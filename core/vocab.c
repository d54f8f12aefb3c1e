/*
** vocab.c -- interned strings with dense ids.
**
** Layout: strings live in chunks that never move ([len:u32][bytes][\0]);
** ids index a two-level table of entry pointers (a fixed directory of
** blocks, so readers need no lock); a power-of-two open-addressing table
** of (hash:32 | id:32) slots finds an id by string under the mutex.  A
** per-thread direct-mapped cache of (hash, id) answers repeat lookups.
*/
#include "vocab.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"

#define BLOCK_BITS 16
#define BLOCK_SIZE (1u << BLOCK_BITS)
#define DIR_SIZE (1u << 16)            /* up to 2^32 ids */
#define CHUNK_SIZE (1u << 20)

typedef struct chunk {
  struct chunk *next;
  size_t used, cap;
  char data[];
} chunk;

static struct {
  pthread_mutex_t lock;
  uint64_t *slots;                 /* (hash32 << 32) | id; 0 = empty */
  size_t nslots;                   /* power of two */
  _Atomic uint32_t count;          /* ids handed out */
  const char **dir[DIR_SIZE];      /* id -> entry (points at the u32 len) */
  chunk *chunks;
  size_t bytes;
  atomic_uint generation;          /* bumped by reset: stale caches flush */
} V = {.lock = PTHREAD_MUTEX_INITIALIZER};

/* --- hashing ------------------------------------------------------------- */

static uint64_t mix(uint64_t h) {
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdULL;
  h ^= h >> 33;
  h *= 0xc4ceb9fe1a85ec53ULL;
  h ^= h >> 33;
  return h;
}

uint64_t vocab_hash(const char *s, size_t len) {
  uint64_t h = 0x9e3779b97f4a7c15ULL ^ (len * 0x100000001b3ULL);
  size_t i = 0;
  for (; i + 8 <= len; i += 8) {
    uint64_t w;
    memcpy(&w, s + i, 8);
    h = (h ^ w) * 0x2127599bf4325c37ULL;
    h ^= h >> 47;
  }
  uint64_t tail = 0;
  memcpy(&tail, s + i, len - i);
  h = (h ^ tail) * 0x2127599bf4325c37ULL;
  return mix(h);
}

/* --- entries ------------------------------------------------------------- */

static const char *entry_of(uint32_t id) {
  if (id == 0 || id > atomic_load_explicit(&V.count, memory_order_acquire))
    return NULL;
  const char **block = V.dir[(id - 1) >> BLOCK_BITS];
  return block[(id - 1) & (BLOCK_SIZE - 1)];
}

static int entry_equals(const char *e, const char *s, size_t len) {
  uint32_t elen;
  memcpy(&elen, e, 4);
  return elen == len && memcmp(e + 4, s, len) == 0;
}

/* Copy s into a chunk as an entry; NULL when out of memory. */
static const char *entry_store(const char *s, size_t len) {
  size_t need = 4 + len + 1;
  chunk *c = V.chunks;
  if (!c || c->cap - c->used < need) {
    size_t cap = need > CHUNK_SIZE ? need : CHUNK_SIZE;
    c = malloc(sizeof(chunk) + cap);
    if (!c) return NULL;
    c->next = V.chunks;
    c->used = 0;
    c->cap = cap;
    V.chunks = c;
    V.bytes += sizeof(chunk) + cap;
  }
  char *e = c->data + c->used;
  uint32_t len32 = (uint32_t)len;
  memcpy(e, &len32, 4);
  memcpy(e + 4, s, len);
  e[4 + len] = '\0';
  c->used += (need + 3) & ~(size_t)3;  /* keep the u32 lengths aligned */
  if (c->used > c->cap) c->used = c->cap;
  return e;
}

/* --- the shared table (caller holds the lock) -------------------------- */

static int table_grow(void) {
  size_t n = V.nslots ? V.nslots * 2 : 1024;
  uint64_t *slots = calloc(n, sizeof *slots);
  if (!slots) return -1;
  for (size_t i = 0; i < V.nslots; i++) {
    uint64_t v = V.slots[i];
    if (!v) continue;
    size_t j = (size_t)(v >> 32) & (n - 1);
    while (slots[j]) j = (j + 1) & (n - 1);
    slots[j] = v;
  }
  V.bytes += (n - V.nslots) * sizeof *slots;
  free(V.slots);
  V.slots = slots;
  V.nslots = n;
  return 0;
}

/* Find s; when absent and add is set, add it.  Returns the id or 0. */
static uint32_t table_find(const char *s, size_t len, uint64_t h, int add) {
  uint32_t h32 = (uint32_t)(h >> 32);
  if (V.nslots) {
    size_t mask = V.nslots - 1;
    for (size_t j = h32 & mask;; j = (j + 1) & mask) {
      uint64_t v = V.slots[j];
      if (!v) break;
      uint32_t id = (uint32_t)v;
      if ((uint32_t)(v >> 32) == h32 && entry_equals(entry_of(id), s, len))
        return id;
    }
  }
  if (!add || len > UINT32_MAX) return 0;
  uint32_t count = atomic_load(&V.count);
  if (count == UINT32_MAX) return 0;
  if ((count + 1) * 4 >= V.nslots * 3 && table_grow() != 0) return 0;
  uint32_t id = count + 1;
  const char ***block = &V.dir[(id - 1) >> BLOCK_BITS];
  if (!*block) {
    *block = calloc(BLOCK_SIZE, sizeof **block);
    if (!*block) return 0;
    V.bytes += BLOCK_SIZE * sizeof **block;
  }
  const char *e = entry_store(s, len);
  if (!e) return 0;
  (*block)[(id - 1) & (BLOCK_SIZE - 1)] = e;
  size_t mask = V.nslots - 1;
  size_t j = h32 & mask;
  while (V.slots[j]) j = (j + 1) & mask;
  V.slots[j] = ((uint64_t)h32 << 32) | id;
  atomic_store_explicit(&V.count, id, memory_order_release);
  return id;
}

/* --- the per-thread cache ------------------------------------------------ */

/* A slot holds short strings whole, so a hit on one touches no other
** memory (the shared entries are cold in a large vocabulary). */
#define CACHE_HEAD 16

typedef struct cache_slot {
  uint64_t hash;
  uint32_t id;
  uint32_t len;
  char head[CACHE_HEAD];     /* the string, when len <= CACHE_HEAD */
} cache_slot;

typedef struct thread_cache {
  unsigned generation;
  cache_slot slots[LECTOR_VOCAB_CACHE];
} thread_cache;

static pthread_key_t cache_key;
static pthread_once_t cache_once = PTHREAD_ONCE_INIT;
static _Thread_local thread_cache *tcache;

static void cache_key_make(void) { pthread_key_create(&cache_key, free); }

/* This thread's cache, flushed if the vocabulary was reset; may be NULL. */
static thread_cache *cache_get(void) {
  unsigned gen = atomic_load(&V.generation);
  if (!tcache) {
    pthread_once(&cache_once, cache_key_make);
    tcache = calloc(1, sizeof *tcache);
    if (!tcache) return NULL;
    pthread_setspecific(cache_key, tcache);
    tcache->generation = gen;
  } else if (tcache->generation != gen) {
    memset(tcache->slots, 0, sizeof tcache->slots);
    tcache->generation = gen;
  }
  return tcache;
}

static uint32_t lookup(const char *s, size_t len, int add) {
  uint64_t h = vocab_hash(s, len);
  thread_cache *tc = cache_get();
  cache_slot *slot = tc ? &tc->slots[h & (LECTOR_VOCAB_CACHE - 1)] : NULL;
  if (slot && slot->id && slot->hash == h && slot->len == len &&
      (len <= CACHE_HEAD ? memcmp(slot->head, s, len) == 0
                         : entry_equals(entry_of(slot->id), s, len)))
    return slot->id;
  pthread_mutex_lock(&V.lock);
  uint32_t id = table_find(s, len, h, add);
  pthread_mutex_unlock(&V.lock);
  if (slot && id && len <= UINT32_MAX) {
    slot->hash = h;
    slot->id = id;
    slot->len = (uint32_t)len;
    memcpy(slot->head, s, len < CACHE_HEAD ? len : CACHE_HEAD);
  }
  return id;
}

/* --- public -------------------------------------------------------------- */

uint32_t vocab_intern(const char *s, size_t len) { return lookup(s, len, 1); }
uint32_t vocab_lookup(const char *s, size_t len) { return lookup(s, len, 0); }

const char *vocab_string(uint32_t id, size_t *len) {
  const char *e = entry_of(id);
  if (!e) return NULL;
  if (len) {
    uint32_t l;
    memcpy(&l, e, 4);
    *len = l;
  }
  return e + 4;
}

uint32_t vocab_size(void) { return atomic_load(&V.count); }

size_t vocab_memory(void) {
  pthread_mutex_lock(&V.lock);
  size_t n = V.bytes;
  pthread_mutex_unlock(&V.lock);
  return n;
}

void vocab_reset(void) {
  pthread_mutex_lock(&V.lock);
  for (size_t b = 0; b < DIR_SIZE && V.dir[b]; b++) {
    free(V.dir[b]);
    V.dir[b] = NULL;
  }
  while (V.chunks) {
    chunk *next = V.chunks->next;
    free(V.chunks);
    V.chunks = next;
  }
  free(V.slots);
  V.slots = NULL;
  V.nslots = 0;
  V.bytes = 0;
  atomic_store(&V.count, 0);
  atomic_fetch_add(&V.generation, 1);
  pthread_mutex_unlock(&V.lock);
}
