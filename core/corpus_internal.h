/*
** corpus_internal.h -- the document store, shared by corpus.c (loading,
** the public API) and corpus_walk.c (which fills it).  Not part of the
** API: only core/corpus*.c include it.
**
** The store holds the corpus_doc array, one string arena (paths, titles,
** front matter) and the load warnings; corpus.c describes how corpora
** share it.  While loading, one thread owns it.
*/
#ifndef LECTOR_CORPUS_INTERNAL_H
#define LECTOR_CORPUS_INTERNAL_H

#include <stdatomic.h>
#include <stddef.h>

#include "arena.h"
#include "corpus.h"

typedef struct corpus_store {
  atomic_size_t refs;
  corpus_doc *docs;
  size_t n, cap;
  arena strings;        /* paths, titles, front matter */
  char **warnings;      /* malloc'd lines */
  size_t n_warnings, cap_warnings, warning_bytes;
  char *iconv_name;     /* opts->encoding when iconv was used */
} corpus_store;

/* Append the malloc'd line msg (taken over; NULL means out of memory).
** 0, or -1 when out of memory (msg is freed). */
int corpus_store_warn(corpus_store *st, char *msg);

/* Append a document with its path and id (already in st->strings, which
** keeps them); its other fields are zero, its title "".  0, or -1 when
** out of memory. */
int corpus_store_push(corpus_store *st, const char *path, const char *id);

#endif
