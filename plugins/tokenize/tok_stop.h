/*
** tok_stop.h -- stop-word sets: an open-addressing hash set of byte
** strings, immutable once built, so threads share it without locks.
*/
#ifndef TOK_STOP_H
#define TOK_STOP_H

#include <stddef.h>
#include <stdint.h>

typedef struct tok_stopset tok_stopset;

/* The built-in English list (lower case, NULL-terminated), written for
** Lector: articles, pronouns, auxiliaries, prepositions, conjunctions and
** their contractions, with ' as the apostrophe. */
extern const char *const tok_stop_english[];

/* An empty set; NULL on out of memory. */
tok_stopset *tok_stop_new(void);

/* Add a copy of w[0..len) (already normalised by the caller); 0 on
** success, -1 on out of memory (the set stays usable). */
int tok_stop_add(tok_stopset *set, const char *w, size_t len);

/* Is w[0..len) in the set? */
int tok_stop_has(const tok_stopset *set, const char *w, size_t len);

/* Number of words in the set. */
size_t tok_stop_count(const tok_stopset *set);

/* A hash of the set's words, independent of their order. */
uint64_t tok_stop_hash(const tok_stopset *set);

/* Free the set (NULL is fine). */
void tok_stop_free(tok_stopset *set);

#endif
