/*
** ng_next.h -- counting the unigrams and bigrams of a whole pack from its
** successor lists (host->word_next, ABI 1.7) instead of its token streams.
**
** Counting the streams is bound by the cache misses of a hash table that
** every bigram lands in.  The successor lists hold, word after word, the
** word after each occurrence: the bigrams of one first word at a time.
** Their counts go into an array indexed by the second word's pack id
** (small enough to stay in the cache), and each distinct bigram reaches
** a hash table once, not once per occurrence.  Workers take first words
** in small blocks; their tables hold disjoint keys and are assembled as
** the stream engine's owners' are (ng_count.c).
**
** Exactness: the same tables as counting the streams (counts, document
** frequencies, totals), so ng_count_run uses this engine only where that
** holds: see ng_next_run.
*/
#ifndef NG_NEXT_H
#define NG_NEXT_H

#include <stdatomic.h>
#include <stdint.h>

#include "ng_count.h"

/* First words whose lists were read, since the plugin was loaded (any
** thread; for the tests: ngram._pack_stats). */
extern _Atomic uint64_t ng_next_words;

/* Count job (ng_count.h) from the successor lists of job->tok->pack
** when it can give the same results: n within 1..2 without skips or
** dropped stop words, one group of every document of a whole pack (no
** view, no document left out), not in per-document or word mode, no pack
** word with an empty form (the streams leave such tokens out, and a
** bigram spans them), and a host and pack that have the lists.
** LECTOR_OK with job->tables and job->docs as ng_count_run makes them;
** LECTOR_ENOTFOUND (no message, no results) when the job is not one of
** these, or its tables would pass job->spill's budget (the stream engine
** can write runs); else LECTOR_ENOMEM, LECTOR_EINTERRUPT or LECTOR_ERR (a
** damaged pack) with *err. */
int ng_next_run(ng_job *job, char **err);

#endif
