/*
** corpus_meta.h -- building metadata blocks (corpus.h describes them) for
** the loader.  Reading and joining are in corpus.h.
*/
#ifndef LECTOR_CORPUS_META_H
#define LECTOR_CORPUS_META_H

#include <stddef.h>

#include "arena.h"
#include "util.h"

/* Append the entry key = val of type (corpus_meta_type) to the block
** being built in b.  0; 1 when key is empty or either holds a NUL byte
** (nothing added); -1 when out of memory. */
int meta_add(util_buf *b, const char *key, size_t klen, int type,
             const char *val, size_t vlen);

/* The block built in b (b->len > 0), ended, copied into a; NULL when b
** is empty or out of memory (tell them apart by b->len).  b is kept for
** reuse: set b->len = 0. */
const char *meta_finish(util_buf *b, arena *a);

#endif
