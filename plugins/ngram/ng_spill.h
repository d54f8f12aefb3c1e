/*
** ng_spill.h -- counting within a memory budget: a worker whose count
** tables reach its share of the budget writes them as sorted runs to a
** temporary folder and empties them; at the end the runs of each group
** are merged, streaming (ng_format_merge_x: a k-way merge over a heap),
** into one saved table per group, which the caller reads from disk.
**
** A run is a saved table (ng_format.h, version 2): the grams of one
** group and one gram length, in file order, with a header whose docs and
** totals bound its dfs and counts (so a run passes every check of the
** reader).  A table is sorted in place for its run: the occupied slots
** are packed to the front, the word ids replaced by the ranks of their
** words in file order, the records sorted by rank with an in-place
** quicksort (no second array: the budget bounds the memory), the ranks
** mapped back to words as the lines are written.  A group with more than
** NG_MERGE_FANIN runs is merged in passes of NG_MERGE_FANIN.
**
** The folder, "lector-ngram-XXXXXX" in tmpdir ($TMPDIR, else /tmp), is
** made at the first run; runs are removed as soon as they are merged.
** ng_spill_free removes whatever is left (runs and results nobody took)
** and the folder if empty: on success, error or interrupt alike.  A
** result taken with ng_spill_take belongs to the caller, who removes it
** and then tries to remove the folder (ng_spill_remove).
**
** Threads: ng_spill_write may run on several workers at once (a mutex
** guards the folder, the list of runs and the opening of a run: the
** output helper sets the umask for a moment); the rest on one thread.
** Memory from the env (lector/kit.h); messages from lk_errorf.
*/
#ifndef NG_SPILL_H
#define NG_SPILL_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#include "ng_format.h"
#include "ng_table.h"

/* Runs merged at once (the reader's block each: NG_READ_BLOCK). */
#ifndef NG_MERGE_FANIN
#define NG_MERGE_FANIN 64
#endif

typedef struct ng_run {
  uint32_t group;
  char *path;                  /* lk_alloc; NULL once merged and removed */
} ng_run;

typedef struct ng_spill {
  const char *tmpdir;          /* borrowed; NULL: $TMPDIR, else /tmp */
  size_t budget;               /* bytes of count tables; 0: no budget */
  int nmin, nmax, skip;        /* of the runs' headers */
  char *dir;                   /* the folder, NULL until the first run */
  pthread_mutex_t lock;
  ng_run *runs;
  size_t nruns, cap;
  uint64_t seq;                /* names runs */
  uint64_t written;            /* bytes of tables written (statistics) */
  /* After ng_spill_finish: the merged table of each group (NULL once
  ** taken) and its gram lines. */
  char **files;
  uint64_t *lines;
  uint32_t ngroups;
} ng_spill;

/* Make sp an empty spill for grams n = nmin..nmax with skip, a budget of
** budget bytes (0: none) and a folder in tmpdir (borrowed). */
void ng_spill_init(ng_spill *sp, const char *tmpdir, size_t budget,
                   int nmin, int nmax, int skip);

/* Write the grams of t (a counting table of group, stamped or not; its
** counts are of at most docs documents) as a run, and empty t of its
** grams (its totals stay: they count every occurrence).  t's slots are
** reordered even on failure.  0, or -1 with *err (lk_errorf). */
int ng_spill_write(ng_spill *sp, uint32_t group, ng_table *t, uint64_t docs,
                   char **err);

/* Merge the runs of each group g < ngroups into sp->files[g], a saved
** table with the header of base (n, skip, options), docs[g], min_count
** (grams counted fewer times are left out) and totals[g] (NG_MAX_N + 1
** entries each).  0, or -1 with *err. */
int ng_spill_finish(ng_spill *sp, uint32_t ngroups, const ng_meta *base,
                    const uint64_t *docs, const uint64_t (*totals)[NG_MAX_N + 1],
                    uint64_t min_count, char **err);

/* Take the merged table of group g (the caller removes the file and then
** calls ng_spill_remove(path) for the folder); NULL if taken. */
char *ng_spill_take(ng_spill *sp, uint32_t g);

/* Remove the file path (lk_alloc, freed here) and its folder if it is
** empty.  NULL is fine. */
void ng_spill_remove(char *path);

/* Remove every run and untaken result, the folder if empty; free sp. */
void ng_spill_free(ng_spill *sp);

/* The budget given by a string "512M", "2G", "64K" or bytes ("1000000"),
** 1024-based: *bytes.  0, or -1 when s is not such a size. */
int ng_spill_parse_size(const char *s, size_t n, uint64_t *bytes);

#endif
