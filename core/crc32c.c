/*
** crc32c.c -- CRC-32C (see crc32c.h).
*/
#include "crc32c.h"

#include <pthread.h>
#include <string.h>

#define POLY 0x82F63B78u          /* 0x1EDC6F41 reflected */

static uint32_t table[256];
static int hw;                    /* the crc32 instruction is there */
static pthread_once_t once = PTHREAD_ONCE_INIT;

static void init(void) {
#if defined(__x86_64__) && defined(__GNUC__)
  hw = __builtin_cpu_supports("sse4.2");
#endif
  for (uint32_t i = 0; i < 256; i++) {
    uint32_t c = i;
    for (int k = 0; k < 8; k++) c = c & 1 ? c >> 1 ^ POLY : c >> 1;
    table[i] = c;
  }
}

static uint32_t crc_table(uint32_t crc, const unsigned char *p, size_t n) {
  crc = ~crc;
  while (n--) crc = crc >> 8 ^ table[(crc ^ *p++) & 0xff];
  return ~crc;
}

#if defined(__x86_64__) && defined(__GNUC__)
#include <nmmintrin.h>

__attribute__((target("sse4.2")))
static uint32_t crc_sse42(uint32_t crc, const unsigned char *p, size_t n) {
  uint64_t c = ~crc;
  for (; n && ((uintptr_t)p & 7); n--) c = _mm_crc32_u8((uint32_t)c, *p++);
  for (; n >= 8; n -= 8, p += 8) {
    uint64_t v;
    memcpy(&v, p, 8);
    c = _mm_crc32_u64(c, v);
  }
  for (; n; n--) c = _mm_crc32_u8((uint32_t)c, *p++);
  return ~(uint32_t)c;
}

#endif

uint32_t crc32c(uint32_t crc, const void *p, size_t n) {
  pthread_once(&once, init);
#if defined(__x86_64__) && defined(__GNUC__)
  if (hw) return crc_sse42(crc, p, n);
#endif
  return crc_table(crc, p, n);
}
