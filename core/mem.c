/*
** mem.c -- counted allocation against the session's memory limit.
*/
#include "mem.h"

#include <ctype.h>
#include <errno.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static atomic_size_t used, peak;
static size_t limit;

void mem_set_limit(size_t n) { limit = n; }
size_t mem_limit(void) { return limit; }
size_t mem_used(void) { return atomic_load(&used); }
size_t mem_peak(void) { return atomic_load(&peak); }

/* Reserve n more bytes; 0 when that would pass the limit. */
static int mem_take(size_t n) {
  size_t now = atomic_fetch_add(&used, n) + n;
  if (limit && now > limit) {
    atomic_fetch_sub(&used, n);
    return 0;
  }
  size_t p = atomic_load(&peak);
  while (now > p && !atomic_compare_exchange_weak(&peak, &p, now)) {}
  return 1;
}

static void mem_give(size_t n) { atomic_fetch_sub(&used, n); }

/* The header before each plugin block: its size, kept max-aligned. */
typedef union mem_head {
  size_t size;
  max_align_t align_;
} mem_head;

void *mem_alloc(size_t n) { return mem_realloc(NULL, n); }

void *mem_realloc(void *p, size_t n) {
  mem_head *h = p ? (mem_head *)p - 1 : NULL;
  size_t old = h ? h->size : 0;
  if (n > SIZE_MAX - sizeof(mem_head)) return NULL;
  if (n > old && !mem_take(n - old)) return NULL;
  mem_head *nh = realloc(h, sizeof(mem_head) + n);
  if (!nh) {
    if (n > old) mem_give(n - old);
    return NULL;
  }
  if (n < old) mem_give(old - n);
  nh->size = n;
  return nh + 1;
}

void mem_free(void *p) {
  if (!p) return;
  mem_head *h = (mem_head *)p - 1;
  mem_give(h->size);
  free(h);
}

void *mem_lua_alloc(void *ud, void *ptr, size_t osize, size_t nsize) {
  (void)ud;
  if (!ptr) osize = 0;  /* osize then encodes the object type */
  if (nsize == 0) {
    free(ptr);
    mem_give(osize);
    return NULL;
  }
  if (nsize > osize && !mem_take(nsize - osize)) return NULL;
  void *np = realloc(ptr, nsize);
  if (!np) {
    if (nsize > osize) mem_give(nsize - osize);
    return NULL;
  }
  if (nsize < osize) mem_give(osize - nsize);
  return np;
}

int mem_parse_size(const char *s, size_t *out) {
  char *end;
  errno = 0;
  if (!isdigit((unsigned char)*s)) return -1;
  unsigned long long v = strtoull(s, &end, 10);
  if (errno) return -1;
  unsigned shift = 0;
  switch (toupper((unsigned char)*end)) {
    case '\0': break;
    case 'K': shift = 10; end++; break;
    case 'M': shift = 20; end++; break;
    case 'G': shift = 30; end++; break;
    default: return -1;
  }
  if (*end == 'B' || *end == 'b') end++;
  if (*end != '\0' || v > (SIZE_MAX >> shift)) return -1;
  *out = (size_t)(v << shift);
  return 0;
}
