/*
** mem.c -- counted allocation against the session's memory limit.
*/
#include "mem.h"

#include <ctype.h>
#include <errno.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static atomic_size_t used, peak, refused;
static size_t limit;
static const char *limit_source = "--memory-limit";

void mem_set_limit(size_t n) { limit = n; }
size_t mem_limit(void) { return limit; }
size_t mem_used(void) { return atomic_load(&used); }
size_t mem_peak(void) { return atomic_load(&peak); }
size_t mem_refused(void) { return atomic_load(&refused); }

void mem_set_limit_source(const char *why) { limit_source = why; }
const char *mem_limit_source(void) { return limit_source; }

/* --- fault injection (tests) --------------------------------------------- */

static atomic_ulong nalloc;            /* counted allocations so far */
static unsigned long fail_at;          /* 0 = off */
static int fail_after;                 /* 1: fail_at and every later one */
static int fail_state;                 /* 0 = LECTOR_FAIL_ALLOC not read */

/* LECTOR_FAIL_ALLOC=N makes the Nth counted allocation fail (as if the
** limit were hit); N+ makes it and every later one fail. */
static void fail_init(void) {
  const char *env = getenv("LECTOR_FAIL_ALLOC");
  char *end;
  fail_state = 1;
  if (!env || !*env) return;
  fail_at = strtoul(env, &end, 10);
  fail_after = *end == '+';
}

unsigned long mem_alloc_count(void) { return atomic_load(&nalloc); }

/* 1 when this allocation is to fail by LECTOR_FAIL_ALLOC. */
static int fail_now(void) {
  if (!fail_state) fail_init();
  unsigned long k = atomic_fetch_add(&nalloc, 1) + 1;
  return fail_at && (k == fail_at || (fail_after && k > fail_at));
}

/* Reserve n more bytes; 0 when that would pass the limit. */
static int mem_take(size_t n) {
  if (fail_now()) {
    atomic_fetch_add(&refused, 1);
    return 0;
  }
  size_t now = atomic_fetch_add(&used, n) + n;
  if (limit && now > limit) {
    atomic_fetch_sub(&used, n);
    atomic_fetch_add(&refused, 1);
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
  if (strcmp(s, "none") == 0) {
    *out = 0;
    return 0;
  }
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

/* --- the default limit --------------------------------------------------- */

/* The number in the file at path, or 0 ("max", missing, unreadable). */
static size_t read_number(const char *path) {
  FILE *f = fopen(path, "re");
  unsigned long long v = 0;
  if (!f) return 0;
  if (fscanf(f, "%llu", &v) != 1) v = 0;
  fclose(f);
  return v >= (1ULL << 60) ? 0 : (size_t)v;   /* v1 "unlimited" is huge */
}

/* The memory cgroup's limit (v2 memory.max or v1 limit_in_bytes), looked
** up at the cgroup's path and at the mount's root (a cgroup namespace);
** 0 when there is none. */
static size_t cgroup_limit(void) {
  static const char *const fmt[] = {
    "/sys/fs/cgroup%s/memory.max",
    "/sys/fs/cgroup/memory%s/memory.limit_in_bytes",
  };
  char line[512], rel[400] = "", path[512];
  size_t best = 0;
  FILE *f = fopen("/proc/self/cgroup", "re");
  while (f && fgets(line, sizeof line, f)) {
    char *p = strrchr(line, ':');            /* "0::/a/b" or "4:memory:/a" */
    if (!p || (strncmp(line, "0::", 3) != 0 && !strstr(line, ":memory:")))
      continue;
    p[strcspn(p, "\n")] = '\0';
    snprintf(rel, sizeof rel, "%s", strcmp(p + 1, "/") ? p + 1 : "");
  }
  if (f) fclose(f);
  for (size_t i = 0; i < sizeof fmt / sizeof *fmt; i++)
    for (int root = 0; root < 2; root++) {
      snprintf(path, sizeof path, fmt[i], root ? "" : rel);
      size_t v = read_number(path);
      if (v && (!best || v < best)) best = v;
    }
  return best;
}

size_t mem_default_limit(const char **why) {
  unsigned long long kb = 0;
  char line[256];
  FILE *f = fopen("/proc/meminfo", "re");
  while (f && fgets(line, sizeof line, f))
    if (sscanf(line, "MemTotal: %llu kB", &kb) == 1) break;
  if (f) fclose(f);
  size_t share = (size_t)(kb * 1024 / 100 * MEM_DEFAULT_PERCENT);
  size_t cg = cgroup_limit();
  if (cg && (!share || cg < share)) {
    *why = "default: the memory cgroup's limit";
    return cg;
  }
  *why = "default: " MEM_DEFAULT_PERCENT_STR "% of physical memory";
  return share;
}

void mem_format_size(size_t n, char *buf, size_t len) {
  static const char unit[] = "KMGT";
  double v = (double)n;
  int u = -1;
  while (v >= 1024 && u < 3) v /= 1024, u++;
  if (u < 0) snprintf(buf, len, "%zu bytes", n);
  else snprintf(buf, len, "%.1f%c", v, unit[u]);
}
