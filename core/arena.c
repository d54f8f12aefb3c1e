/*
** arena.c -- chunked string storage (see arena.h).
**
** Strings are cut from chunks of ARENA_CHUNK bytes; a string bigger than
** a quarter of that gets a chunk of its own, linked behind the one being
** filled so that the space left there is not lost.  Chunks come from
** the session's counting allocator (mem.h), so what a corpus holds counts
** against --memory-limit.
*/
#include "arena.h"

#include <stdlib.h>
#include <string.h>

#include "mem.h"

#define ARENA_CHUNK (64 * 1024)   /* bytes per string-arena chunk */

struct arena_chunk {
  struct arena_chunk *next;
  size_t used, cap;
  char data[];
};

/* See arena.h. */
char *arena_alloc(arena *a, size_t n) {
  arena_chunk *h = a->head;
  if (h && h->cap - h->used >= n) {
    char *p = h->data + h->used;
    h->used += n;
    return p;
  }
  size_t cap = n > ARENA_CHUNK / 4 ? n : ARENA_CHUNK;
  arena_chunk *c = mem_alloc(sizeof *c + cap);
  if (!c) return NULL;
  c->used = n;
  c->cap = cap;
  if (cap == n && h) {            /* a big string: keep filling h */
    c->next = h->next;
    h->next = c;
  } else {
    c->next = h;
    a->head = c;
  }
  a->bytes += sizeof *c + cap;
  return c->data;
}

/* See arena.h. */
char *arena_strndup(arena *a, const char *s, size_t n) {
  char *p = arena_alloc(a, n + 1);
  if (p) {
    memcpy(p, s, n);
    p[n] = '\0';
  }
  return p;
}

/* See arena.h: from's chunks go in front of to's. */
void arena_move(arena *to, arena *from) {
  if (!from->head) return;
  arena_chunk *tail = from->head;
  while (tail->next) tail = tail->next;
  tail->next = to->head;
  to->head = from->head;
  to->bytes += from->bytes;
  from->head = NULL;
  from->bytes = 0;
}

/* See arena.h. */
void arena_free(arena *a) {
  for (arena_chunk *c = a->head, *next; c; c = next) {
    next = c->next;
    mem_free(c);
  }
  a->head = NULL;
  a->bytes = 0;
}
