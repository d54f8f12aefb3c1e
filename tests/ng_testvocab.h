/*
** ng_testvocab.h -- a small vocabulary for the ngram engine's unit tests,
** standing in for the host's (ids 1, 2, 3 ... in order of first sight;
** linear search; thread-safe, as counting workers intern through it).
*/
#ifndef NG_TESTVOCAB_H
#define NG_TESTVOCAB_H

#include <stddef.h>
#include <stdint.h>

/* Make the engine's env (lector/kit.h, malloc) use this vocabulary,
** empty, and lk_host a stand-in table with the host's output helper
** (core/output.c) only. */
void tv_install(void);
/* Forget every word (ids start at 1 again). */
void tv_reset(void);

uint32_t tv_intern(const char *s, size_t len);   /* 0 when full */
uint32_t tv_lookup(const char *s, size_t len);   /* 0 when unknown */

#endif
