/*
** corpus_walk.h -- finding the files of a corpus: the roots given to
** corpus_load, directories walked recursively.  Private to the corpus
** module (core/corpus*.c).
*/
#ifndef LECTOR_CORPUS_WALK_H
#define LECTOR_CORPUS_WALK_H

#include <stddef.h>

#include "corpus.h"

struct corpus_store;

/* Append to st one document per file under paths[0..n-1] (path and id
** set, nothing read yet), in corpus_load's order: roots in the order
** given, each root's documents sorted by id.  Directories are walked
** recursively, following symbolic links without looping; a file root is
** taken as it is.  opts (not NULL) chooses the files: exts, glob, hidden.
** A problem with an entry below a root is a warning added to st (the
** error with opts->strict); a root that cannot be read, or a NULL
** paths[i], is an error.  Returns 0, or nonzero with *err malloc'd (NULL
** when out of memory); st then keeps what was found before. */
int corpus_walk_roots(const corpus_opts *opts, const char *const *paths,
                      size_t n, struct corpus_store *st, char **err);

#endif
