/*
** ng_count.h -- counting the n-grams of many documents on several
** threads: read, tokenize (the tokenize C service), count each gram in
** the tables of the worker that owns it (ng_route.h; per group), and put
** the owners' disjoint tables together at the end (a document pool, such
** as host->doc_pool, hands out the documents).  Nothing here touches Lua.
**
** Ownership: everything an ng_job points to is borrowed for the call,
** except the results (tables, docs), which ng_count_run allocates and the
** caller frees with ng_count_free_results.  Error messages are lk_errorf
** memory (lk_errorf), freed by the caller with lk_free.
*/
#ifndef NG_COUNT_H
#define NG_COUNT_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "lector/plugin.h"
#include "lector/tokenizer.h"
#include "ng_gram.h"
#include "ng_wordcache.h"
#include "ng_spill.h"
#include "ng_table.h"

/* The documents a job runs over, and the pool that runs it: run(ud,
** pool, err) runs pool (its fn, ctx, done, skip and nworkers filled by
** the engine; corpus and label are run's to set) like host->doc_pool,
** which it is for a corpus; one text is run on the calling thread; the
** unit tests have a pool of their own. */
typedef struct ng_docs {
  size_t ndocs;
  int nworkers;                    /* host->pool_workers(threads, ndocs) */
  int (*run)(void *ud, lector_pool *pool, char **err);
  void *ud;
  /* Optional: documents with skip[i] < 0 are left out (not read); for
  ** the engines that do not set a pool's skip themselves (ng_kwic.h), and
  ** for ng_count_run when the job has no groups (collocates through a
  ** pack's index). */
  const int32_t *skip;
  /* Optional (kwic, ng_kwic.h): document i needs only its first upto[i]
  ** tokens and the phrase's length plus the window's words after them
  ** (0: all of its tokens), when tokenized whole (not by sentence). */
  const uint32_t *upto;
} ng_docs;

/* How to tokenize.  The options are compiled with ids off: the workers
** map the normalised words to ids themselves (ng_wordcache.h). */
typedef struct ng_tokens {
  const lector_tokenizer_api *api;
  const lector_tok_opts *opts;     /* the tokens counted */
  /* Drop mode: opts with the stop words removed.  A token of opts that
  ** this stream does not have at the same offset is a stop word.  NULL
  ** when there is nothing to drop. */
  const lector_tok_opts *stop_opts;
  int sentences;                   /* no gram spans two sentences (the
                                      splitter runs with opts) */
  /* A packed corpus whose token streams are opts's (host->tokens_words
  ** gave pack_words for opts's key): document i of the job is document
  ** pack_first + i of pack, and its words are read from the stream
  ** (host->doc_tokens), not tokenized.  Set only where that gives the
  ** same words: without stop_opts or sentences.  NULL: tokenize. */
  const lector_corpus *pack;
  size_t pack_first;
  size_t pack_words;
} ng_tokens;

/* Documents whose words came from a pack's token stream, since the
** plugin was loaded (any thread; for the tests: ngram._pack_stats). */
extern _Atomic uint64_t ng_count_stream_docs;

/* Called after each document in per-document mode, with the document's
** own counts: counts[k] holds its k-grams (nmin <= k <= nmax; tables of
** the worker, cleared before its next document).  LECTOR_OK, or a code
** with *err. */
typedef int (*ng_doc_fn)(void *ud, size_t doc, const ng_table *counts,
                         char **err);

/* Called after each document in word mode, on worker `worker` (0 ..
** nworkers-1), with the document's words ids[0..n): vocabulary id |
** NG_STOP_BIT for a stop word in drop mode, and a 0 after each sentence
** with tok->sentences.  Nothing is counted.  LECTOR_OK, or a code with
** *err. */
typedef int (*ng_words_fn)(void *ud, int worker, size_t doc,
                           const uint32_t *ids, size_t n, char **err);

typedef struct ng_job {
  const ng_spec *spec;
  const ng_tokens *tok;
  const ng_docs *src;
  const int32_t *group;            /* group of each document (-1: left out);
                                      NULL: every document in group 0 */
  /* A document in several groups (lector_groups): member[first[i] ..
  ** first[i + 1]) are document i's; NULL: group[i] only. */
  const size_t *first;
  const int32_t *member;
  uint32_t ngroups;                /* >= 1 */
  uint64_t min_count;              /* keep grams counted at least this */
  ng_doc_fn doc_fn;                /* per-document mode when not NULL */
  void *doc_ud;                    /* doc_fn's and words_fn's */
  ng_words_fn words_fn;            /* word mode when not NULL */
  /* Counting within a budget (not in per-document or word mode): each of
  ** the W workers writes its tables as sorted runs (ng_spill.h) when they
  ** would pass spill->budget / W bytes, between two documents.  If any
  ** run was written, the results are spill->files[g] (merged, min_count
  ** applied, with the header of options) and tables[g] is an empty table
  ** holding the totals only.  NULL: everything in memory.  The caller
  ** owns spill and frees it (ng_spill_free) after the call, success or
  ** not: until then it holds the runs and results on disk. */
  ng_spill *spill;
  const char *options;             /* the runs' result header (NULL: "") */
  /* Results (not in per-document mode): ngroups finished tables and the
  ** documents counted per group. */
  ng_table *tables;
  uint64_t *docs;
} ng_job;

/* Count job->src into job->tables / job->docs (or run doc_fn or
** words_fn per document: then no results).  LECTOR_OK; else LECTOR_ENOMEM, LECTOR_EINTERRUPT or the
** pool's code with *err, and no results. */
int ng_count_run(ng_job *job, char **err);

/* Free job->tables and job->docs (NULL-safe). */
void ng_count_free_results(ng_job *job);

#endif
