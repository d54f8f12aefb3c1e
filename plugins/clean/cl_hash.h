/*
** cl_hash.h -- the 64-bit hashes every pass of the clean plugin uses:
** FNV-1a over bytes, finished with a strong mixer (splitmix64's), so
** that any bits of the result can be used as buckets or MinHash values.
*/
#ifndef CL_HASH_H
#define CL_HASH_H

#include <stddef.h>
#include <stdint.h>

static inline uint64_t cl_mix64(uint64_t x) {
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9ULL;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

static inline uint64_t cl_fnv_step(uint64_t h, unsigned char c) {
  return (h ^ c) * 0x100000001b3ULL;
}

#define CL_FNV_INIT 0xcbf29ce484222325ULL

static inline uint64_t cl_hash(const void *p, size_t n) {
  const unsigned char *s = p;
  uint64_t h = CL_FNV_INIT;
  for (size_t i = 0; i < n; i++) h = cl_fnv_step(h, s[i]);
  return cl_mix64(h);
}

#endif
