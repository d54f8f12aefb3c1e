/*
** arena.h -- chunked string storage for the corpus: many small strings
** (paths, titles, front matter) allocated one after another and freed all
** at once.
**
** Ownership: the arena owns every string it hands out; a pointer stays
** valid until arena_free (arena_move hands the strings on, unmoved).
** Zero-initialise an arena before use.  Not thread-safe: one arena per
** thread, merged with arena_move.
*/
#ifndef LECTOR_ARENA_H
#define LECTOR_ARENA_H

#include <stddef.h>

typedef struct arena_chunk arena_chunk;

typedef struct arena {
  arena_chunk *head;  /* the chunk being filled, then older ones */
  size_t bytes;       /* malloc'd in all, for corpus_memory */
} arena;

/* n bytes (unaligned, uninitialised) owned by a, or NULL when out of
** memory or past the session's memory limit (chunks are counted, mem.h). */
char *arena_alloc(arena *a, size_t n);

/* A copy of s[0..n) with a final NUL, owned by a; NULL when out of
** memory. */
char *arena_strndup(arena *a, const char *s, size_t n);

/* Move every chunk of from to to; from is left empty. */
void arena_move(arena *to, arena *from);

/* Free every string of a; a is left empty. */
void arena_free(arena *a);

#endif
