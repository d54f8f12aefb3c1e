/*
** ng_lex.h -- a worker's cache from normalised words to vocabulary ids.
**
** The tokenize service can intern every token in the host vocabulary
** itself, but that costs a shared-table lookup per token.  The counting
** workers ask the tokenizer for normalised text only (ids off) and map it
** to ids here: an open-addressing table owned by one thread, with short
** words stored in the slot (one cache line answers the common case) and
** the host vocabulary (ng_env vocab_intern) asked once per new word.
**
** One thread at a time per cache; memory from ng_env.
*/
#ifndef NG_LEX_H
#define NG_LEX_H

#include <stddef.h>
#include <stdint.h>

#define NG_LEX_INLINE 19          /* longest word kept in the slot */

typedef struct ng_lex_slot {
  uint64_t hash;                  /* 0: empty */
  uint32_t id;
  uint8_t len;                    /* NG_LEX_INLINE + 1: longer, see id */
  char s[NG_LEX_INLINE];
} ng_lex_slot;                    /* 32 bytes */

typedef struct ng_lex {
  ng_lex_slot *slots;
  uint32_t mask;                  /* capacity - 1 (a power of two) */
  uint32_t used;
} ng_lex;

/* An empty cache (no memory until the first word). */
void ng_lex_init(ng_lex *x);

/* Free the cache's memory; x becomes empty. */
void ng_lex_free(ng_lex *x);

/* The vocabulary id of s[0..len) (interned if new); 0 on out of memory
** or for an empty word. */
uint32_t ng_lex_id(ng_lex *x, const char *s, size_t len);

/* The same in two steps, so that a batch of words overlaps its cache
** misses: h = ng_lex_hash(s, len), ng_lex_prefetch(x, h) early, then
** ng_lex_id_h(x, s, len, h). */
uint64_t ng_lex_hash(const char *s, size_t len);
void ng_lex_prefetch(const ng_lex *x, uint64_t h);
uint32_t ng_lex_id_h(ng_lex *x, const char *s, size_t len, uint64_t h);

#endif
