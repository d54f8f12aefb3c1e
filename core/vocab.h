/*
** vocab.h -- the session's shared vocabulary: strings interned to dense
** ids 1, 2, 3 ...  Ids never change and strings never move, so an id or a
** string pointer obtained once stays valid until vocab_reset.
**
** Thread-safe.  The shared table sits behind a mutex; each thread keeps a
** direct-mapped cache of the strings it has seen, so the common case
** (a word seen before) takes no lock.
*/
#ifndef LECTOR_VOCAB_H
#define LECTOR_VOCAB_H

#include <stddef.h>
#include <stdint.h>

/* Id of s[0..len-1], adding it if new; 0 when out of memory. */
uint32_t vocab_intern(const char *s, size_t len);
/* Id of s if present, else 0. */
uint32_t vocab_lookup(const char *s, size_t len);
/* String of id (NUL-terminated, owned by the vocabulary) and its length;
** NULL for 0 or an unknown id. */
const char *vocab_string(uint32_t id, size_t *len);
/* Number of strings (the largest id). */
uint32_t vocab_size(void);
/* Bytes held by the vocabulary (strings, tables; not the thread caches). */
size_t vocab_memory(void);
/* Drop every string; ids start again at 1.  Only when no other thread is
** using the vocabulary (session start and end, tests). */
void vocab_reset(void);

/* The 64-bit hash used for strings (exposed for plugins' own tables). */
uint64_t vocab_hash(const char *s, size_t len);

#endif
