/*
** ng_format.h -- count tables on disk: the saved line format, CSV, and a
** streaming merge of saved files.
**
** The saved format, version 2 (UTF-8 text, LF line ends):
**
**   #lector-ngram 2<TAB>n=1..2<TAB>skip=0<TAB>docs=120<TAB>min_count=1
**       <TAB>total=1:5321,2:5201<TAB>options=<canonical options>
**   gram<TAB>count<TAB>df
**   ...
**   #end <gram lines> <sum of their counts modulo 2^64>
**
** The first line is the header: the magic "#lector-ngram", the format
** version, then TAB-separated key=value fields: n ("2" or "1..3"), skip,
** docs (documents counted), min_count (grams counted fewer times were left
** out), total (occurrences by gram length, "len:count" joined by commas:
** what relative frequencies divide by) and options (how the tokens were
** made: the tokenizer options and stop_mode, canonical, as ngram.count
** wrote them; "" for a token list).  Version 2 wants every field, once,
** in that order; total lists exactly the lengths of n, ascending.
**
** Every other line is one gram: its words joined by single spaces, each
** word escaped (ng_escape.h, the one canonical spelling), then its count
** (1 .. 2^63-1) and its document frequency (0 <= df <= count, df <= docs)
** in canonical decimal.  Lines are sorted by the gram field in byte order
** and each gram appears once, so shards of a corpus merge with a streaming
** merge (ng_format_merge, or ngram.merge_files): equal grams add their
** counts and dfs; docs and totals add up; a sum past 2^63-1 is an error.
** The counts of each length add up to no more than the header's total.
**
** The last line, "#end", says how many gram lines came before it and the
** sum of their counts: a file cut anywhere (even at a line end) fails to
** load.  Version 1 files (no trailer, fields in any order, unknown fields
** ignored) still load; every file written is version 2.
**
** Files are read with read(2) in blocks (no line limit: a long line grows
** a buffer of env memory (lector/kit.h)); every loop polls lk_interrupted().
** Files are written through the host's output helper (lk_host->output_*:
** a temporary, then a rename).
**
** Errors are messages "PATH:LINE: what" (or "PATH: what"), from lk_errorf,
** freed by the caller with lk_free.  Functions return 0 or -1.
*/
#ifndef NG_FORMAT_H
#define NG_FORMAT_H

#include <stddef.h>
#include <stdint.h>

#include "ng_buf.h"
#include "ng_config.h"
#include "ng_table.h"

#define NG_FORMAT_MAGIC "#lector-ngram"
#define NG_FORMAT_VERSION 2

/* The largest count, total or docs a file may hold (a Lua integer). */
#define NG_COUNT_MAX ((uint64_t)INT64_MAX)

/* What a table was counted with. */
typedef struct ng_meta {
  int nmin, nmax, skip;
  uint64_t docs;
  uint64_t min_count;
  char *options;            /* canonical options (lk_alloc), NULL for "" */
} ng_meta;

/* Free m->options. */
void ng_meta_free(ng_meta *m);

/* Do a and b describe tables that may be merged (same n, skip, options)? */
int ng_meta_compatible(const ng_meta *a, const ng_meta *b);

/* Append the escaped form of word s[0..n) to b. */
void ng_escape_word(const char *s, size_t n, ng_buf *b);

/* Append the escaped gram of key (width ids) to b. */
void ng_escape_gram(const uint32_t *key, int width, ng_buf *b);

/* Unescape the word s[0..n) into b (replacing its contents).  0, or -1 on
** a bad escape. */
int ng_unescape_word(const char *s, size_t n, ng_buf *b);

/* Write t with m to path in the saved format. */
int ng_format_save(const char *path, const ng_table *t, const ng_meta *m,
                   char **err);

/* Read path into t (made here, width m->nmax) and m.  The words are
** interned into the vocabulary. */
int ng_format_load(const char *path, ng_table *t, ng_meta *m, char **err);

/* Write t to path as CSV: a "gram,n,count,df" header, then one row per
** gram by count (descending), then gram; fields quoted as RFC 4180 says. */
int ng_format_csv(const char *path, const ng_table *t, char **err);

/* Merge the saved files in[0..nin) into out with one streaming pass: a
** k-way merge over a heap of the inputs, memory NG_READ_BLOCK and a line
** per input, independent of the files' size.  The inputs must have
** compatible headers (the error names what differs); out may not be one
** of them.  The header: docs and totals added up, the largest
** min_count. */
int ng_format_merge(const char *out, const char *const *in, size_t nin,
                    char **err);

/* How ng_format_merge_x merges. */
typedef struct ng_merge_opts {
  /* The output's header (n, skip, docs, min_count, options) and totals
  ** (NG_MAX_N + 1 entries), instead of those made from the inputs (whose
  ** options then need only agree with each other); with meta, nin may be
  ** 0 (an empty table).  NULL: as ng_format_merge. */
  const ng_meta *meta;
  const uint64_t *total;
  uint64_t min_count;       /* leave out merged grams counted fewer times
                               (0, 1: none); without meta, the header's
                               min_count is at least this */
  uint64_t *lines;          /* when not NULL: gram lines written */
} ng_merge_opts;

/* ng_format_merge with options mo. */
int ng_format_merge_x(const char *out, const char *const *in, size_t nin,
                      const ng_merge_opts *mo, char **err);

/* A saved table written one gram line at a time, in order (the caller's
** duty: the lines must be sorted and distinct), through the host's output
** helper; ng_writer_close writes the end line and commits, or with failed
** (or a failed write) aborts: path is then left as it was. */
typedef struct ng_writer ng_writer;

/* Start path with the header of m and total (NG_MAX_N + 1 entries).  0,
** or -1 with *err. */
int ng_writer_open(ng_writer **w, const char *path, const ng_meta *m,
                   const uint64_t *total, char **err);

/* One gram line: the escaped gram g[0..n), count, df. */
void ng_writer_line(ng_writer *w, const char *g, size_t n, uint64_t count,
                    uint64_t df);

/* Finish w (freed either way).  0, or -1 with *err (unless failed, when
** *err is the caller's). */
int ng_writer_close(ng_writer *w, int failed, char **err);

/* A saved table read one gram line at a time (version 1 or 2), with
** every check of ngram.load but the interning of words: memory is one
** block and the longest line.  Seeking to a line start (an offset from
** ng_stream_tell) reads on from there without the checks that need the
** lines before it (order across the seek, the sums of the end line). */
typedef struct ng_stream ng_stream;

typedef struct ng_stream_row {
  const char *gram;         /* escaped, valid until the next call */
  size_t len;
  uint64_t count, df;
  int words;
} ng_stream_row;

/* Open path and read its header.  0, or -1 with *err. */
int ng_stream_open(ng_stream **s, const char *path, char **err);

/* The header's meta and totals (NG_MAX_N + 1 entries), owned by s. */
const ng_meta *ng_stream_meta(const ng_stream *s);
const uint64_t *ng_stream_total(const ng_stream *s);

/* The next gram line into row: 1, 0 at the end (after the checked end
** line), -1 with *err. */
int ng_stream_next(ng_stream *s, ng_stream_row *row, char **err);

/* The offset of the next line's start. */
uint64_t ng_stream_tell(const ng_stream *s);

/* Go to the line starting at offset.  0 or -1 with *err. */
int ng_stream_seek(ng_stream *s, uint64_t offset, char **err);

/* Close s (NULL is fine). */
void ng_stream_close(ng_stream *s);

/* The escaped gram g[0..n) as its plain words joined by spaces, into out
** (replacing its contents).  0, or -1 on a bad escape or out of memory. */
int ng_unescape_gram(const char *g, size_t n, ng_buf *out);

/* s[0..n) as one CSV field, quoted as RFC 4180 says when it holds a
** comma, a quote or a line break (write errors show in ferror(f)). */
void ng_csv_field(FILE *f, const char *s, size_t n);

#endif
