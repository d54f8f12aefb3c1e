/*
** ng_uni.h -- unigram counts in an array indexed by vocabulary id.
**
** Vocabulary ids are dense (1, 2, 3 ...) and the frequent words got
** theirs first, so counting a word is one access to a small, hot array:
** no hashing, no probing, and no sending to another worker (each worker
** counts the words of its own documents; ng_uni_into adds the workers'
** arrays up at the end).  Used when a count has no groups and is not per
** document (ng_count.c); its memory is 16 bytes per id of the vocabulary.
**
** One thread at a time per array; memory from the env (lector/kit.h).
*/
#ifndef NG_UNI_H
#define NG_UNI_H

#include <stddef.h>
#include <stdint.h>

#include "ng_table.h"

typedef struct ng_uni_e {
  uint64_t count;
  uint32_t df;
  uint32_t stamp;               /* the last document that hit the id */
} ng_uni_e;

typedef struct ng_uni {
  ng_uni_e *e;                  /* cap entries, indexed by id */
  uint32_t cap;
} ng_uni;

void ng_uni_free(ng_uni *u);

/* Internal: room for id.  0 or -1. */
int ng_uni_grow_(ng_uni *u, uint32_t id);

/* Count one occurrence of id (>= 1) in document doc (>= 1, a new value
** for each document of this array).  0, or -1 on out of memory. */
static inline int ng_uni_hit(ng_uni *u, uint32_t id, uint32_t doc) {
  ng_uni_e *e;
  if (id >= u->cap && ng_uni_grow_(u, id) != 0) return -1;
  e = &u->e[id];
  e->count++;
  if (e->stamp != doc) {
    e->stamp = doc;
    e->df++;
  }
  return 0;
}

/* Ask the cache for id's entry (a hint). */
static inline void ng_uni_prefetch(const ng_uni *u, uint32_t id) {
#if defined(__GNUC__)
  if (id < u->cap) __builtin_prefetch(&u->e[id], 1);
#else
  (void)u;
  (void)id;
#endif
}

/* Make part a table of width 1 holding the sums of the counts of
** u[0..n) (and their total).  0, or -1 on out of memory (part then
** empty). */
int ng_uni_into(ng_table *part, const ng_uni *const *u, int n);

#endif
