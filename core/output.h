/*
** output.h -- every file Lector writes goes through here: the bytes go to
** a temporary file in the target's folder, every write, the flush, fsync
** and the close are checked, and only then is the temporary renamed over
** the target.  A failure at any step removes the temporary and leaves the
** target as it was (a full disk never truncates a good file).
**
** An output may name the inputs of the job that writes it; a target that
** is the same file as one of them (same device and inode) is refused, so
** that `merge_files({"a", "b"}, "a")` cannot destroy "a".
**
** Ownership: an output is owned by its opener until output_commit or
** output_abort, which free it.  Error messages are malloc'd (util.h).
** Not thread-safe: one thread writes one output.
*/
#ifndef LECTOR_OUTPUT_H
#define LECTOR_OUTPUT_H

#include <stddef.h>
#include <stdio.h>

typedef struct lector_output output;

/* Start writing path: make a temporary file beside it (mode 0666 less the
** umask, like fopen).  inputs[0..ninputs) are paths the job reads (may be
** NULL when ninputs is 0; inputs that do not exist are ignored).  NULL
** with *err naming path when the target is an input, is a folder or not a
** regular file, or when the temporary cannot be made. */
output *output_open(const char *path, const char *const *inputs,
                    size_t ninputs, char **err);

/* The stream to write to (buffered; errors are caught at commit). */
FILE *output_file(output *o);

/* The target's path as given to output_open. */
const char *output_path(const output *o);

/* Finish: check the stream's error flag, flush, fsync, close, rename over
** the target.  0 on success; nonzero with *err naming the target and the
** reason otherwise, the temporary removed and the target untouched.
** Frees o either way. */
int output_commit(output *o, char **err);

/* Give up: close and remove the temporary, free o.  NULL is fine. */
void output_abort(output *o);

#endif
