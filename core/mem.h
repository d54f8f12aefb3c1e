/*
** mem.h -- the session's memory accounting.  Every allocation made for
** Lua (mem_lua_alloc) and for plugins (mem_alloc) is counted against one
** limit; past it, allocations fail (Lua raises "not enough memory").
*/
#ifndef LECTOR_MEM_H
#define LECTOR_MEM_H

#include <stddef.h>

/* Set the limit in bytes (0 = none). */
void mem_set_limit(size_t limit);
size_t mem_limit(void);
/* Bytes in use now, and the most ever in use. */
size_t mem_used(void);
size_t mem_peak(void);

/* Counted malloc/realloc/free for plugins (a small header keeps the size).
** mem_free(NULL) is a no-op. */
void *mem_alloc(size_t n);
void *mem_realloc(void *p, size_t n);
void mem_free(void *p);

/* A lua_Alloc counting against the same limit (ud unused). */
void *mem_lua_alloc(void *ud, void *ptr, size_t osize, size_t nsize);

/* Parse "512M", "2G", "100000" into bytes, "none" into 0; 0 on success,
** -1 if malformed. */
int mem_parse_size(const char *s, size_t *out);

/* The share of physical memory (MemTotal) that is the default limit. */
#ifndef MEM_DEFAULT_PERCENT
#define MEM_DEFAULT_PERCENT 80
#define MEM_DEFAULT_PERCENT_STR "80"
#endif

/* The default limit: MEM_DEFAULT_PERCENT of MemTotal, or the memory
** cgroup's limit (v2 memory.max, v1 memory.limit_in_bytes) when smaller;
** 0 when neither is known.  *why (static) says which. */
size_t mem_default_limit(const char **why);

/* Where the limit came from, for messages: "--memory-limit" (the default
** source) or what mem_default_limit said.  why must be static. */
void mem_set_limit_source(const char *why);
const char *mem_limit_source(void);

/* How many allocations the limit (or fault injection) has refused. */
size_t mem_refused(void);

/* "1.5G", "512.0M", "100 bytes" into buf. */
void mem_format_size(size_t n, char *buf, size_t len);

/* Fault injection for tests: with LECTOR_FAIL_ALLOC=N in the environment
** the Nth counted allocation (Lua's and plugins', from 1) fails as if the
** limit were hit; with N+ it and every later one fail.  The count of
** counted allocations so far (with or without the variable): */
unsigned long mem_alloc_count(void);

#endif
