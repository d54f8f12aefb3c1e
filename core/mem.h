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

/* Parse "512M", "2G", "100000" into bytes; 0 on success, -1 if malformed. */
int mem_parse_size(const char *s, size_t *out);

#endif
