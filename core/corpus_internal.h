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
#include <stdint.h>

#include "arena.h"
#include "corpus.h"
#include "util.h"

/* A file that holds rows (a table), or a compressed or UTF-16/32 text
** file: what reading a document's text back needs beyond corpus_doc. */
typedef struct corpus_file {
  struct source_index *index;   /* corpus_source.h; NULL: plain UTF-8 */
  const char *text_field;       /* tables: the column or JSON field */
  uint32_t text_col;            /* CSV/TSV: its index */
} corpus_file;

typedef struct corpus_store {
  atomic_size_t refs;
  corpus_doc *docs;
  size_t n, cap;
  arena strings;        /* paths, ids, titles, metadata */
  corpus_warning_info *warnings;  /* msg malloc'd; the other strings
                                     point into it */
  size_t n_warnings, cap_warnings, warning_bytes;
  char *iconv_name;     /* opts->encoding when iconv was used */
  corpus_file *files;   /* corpus_doc.file indexes it (mem_malloc'd) */
  size_t n_files, file_bytes;
  char **joined;        /* per document, its joined metadata block (or
                           NULL); the array is NULL until the first join */
  size_t joined_bytes;
  struct pack_map *pack;  /* a packed store (pack.c): its map, which the
                             strings and texts point into; NULL: files */
} corpus_store;

/* ---------------------------------------------------------------------
** Loading (corpus.c runs the workers; corpus_rows.c loads table files)
*/

/* Longest table record kept while loading (a longer one is skipped with
** a warning: an unclosed quote, most likely), most columns, and the row
** warnings named per file (the rest are counted). */
#ifndef LECTOR_ROW_MAX
#define LECTOR_ROW_MAX (64u << 20)
#endif
#ifndef LECTOR_TABLE_COLS
#define LECTOR_TABLE_COLS 4096
#endif
#ifndef LECTOR_ROW_WARNINGS
#define LECTOR_ROW_WARNINGS 20
#endif

/* How loading a document (or a file's rows) ended.  LOAD_FAIL: an error
** that fails the load whatever strict says (a table given as a root whose
** text column the user must name). */
enum { LOAD_OK, LOAD_WARN, LOAD_SKIP, LOAD_OOM, LOAD_STOP, LOAD_FAIL };

/* Rows loaded by one worker, of all the table files it took. */
typedef struct corpus_rows {
  corpus_doc *docs;     /* mem_realloc'd */
  size_t n, cap;
} corpus_rows;

struct source;

/* One table file to load: corpus_rows_load's arguments. */
typedef struct corpus_rows_job {
  const corpus_opts *o;
  const corpus_doc *file;   /* the walked entry: path, id, identity */
  uint32_t file_no;         /* its index: corpus_doc.file of its rows */
  int format;               /* CORPUS_FMT_CSV, _TSV, _JSONL */
  corpus_file *out;         /* its entry in the file table (filled) */
  corpus_rows *rows;        /* rows are appended here */
  arena *strings;           /* ids, titles, metadata */
  char *chunk;              /* a read buffer of chunk_size bytes */
  size_t chunk_size;
  void *ctx;                /* for the two callbacks */
  int (*stopped)(void *ctx);                          /* 1: stop now */
  int (*warn)(void *ctx, uint64_t line, char *msg);   /* keep msg: 0/-1 */
} corpus_rows_job;

/* Load the rows of the table file open as src (opened with an index):
** LOAD_OK (rows appended, j->out filled); LOAD_SKIP with *msg (none of
** its rows kept: the file cannot be read as a table, or a bad row under
** strict, or no text column in a table found in a folder); LOAD_FAIL
** with *msg (no text column, or a column the options name is missing, in
** a table given as a root); LOAD_OOM; LOAD_STOP. */
int corpus_rows_load(corpus_rows_job *j, struct source *src, char **msg);

/* The text of row d of file f, open as fd (identity checked), into out
** (replacing it, NUL-terminated).  0, or nonzero with *err (NULL: out of
** memory). */
int corpus_rows_text(const corpus_file *f, const corpus_doc *d, int fd,
                     util_buf *out, char **err);

/* A text filter of a view (plugin.h's lector_text_filter), shared by the
** view and its subsets, and by views made of them (next). */
typedef struct corpus_filter {
  atomic_size_t refs;
  struct corpus_filter *next;   /* the parent's filters: applied first */
  lector_text_filter f;
} corpus_filter;

/* A corpus: a refcounted view of a store (corpus.c describes sharing). */
struct lector_corpus {
  atomic_size_t refs;
  corpus_store *store;
  size_t *idx;          /* store indices, or NULL: all, in order */
  size_t n;
  corpus_filter *filter;  /* what its text passes through, or NULL */
  /* pack_toks.c's cache for a view of a pack: store index -> index + 1
  ** in c (0: not in c); made on first use (mem_alloc), NULL till then */
  _Atomic(size_t *) pack_at;
};

/* Store index of the corpus's document i. */
static inline size_t corpus_store_index(const corpus *c, size_t i) {
  return c->idx ? c->idx[i] : i;
}

/* Append the malloc'd line msg about path, "<path>: <reason>" as
** corpus_pathf makes it (taken over; NULL means out of memory).  0, or
** -1 when out of memory (msg is freed). */
int corpus_store_warn(corpus_store *st, const char *path, char *msg);

/* Append a document with its path and id (already in st->strings, which
** keeps them); its other fields are zero, its title "".  0, or -1 when
** out of memory. */
int corpus_store_push(corpus_store *st, const char *path, const char *id);

struct stat;

/* corpus_open_input's answer for a file that is not a regular file. */
#define CORPUS_NOT_REGULAR (-1)

/* Open path for reading without ever blocking on it (O_NONBLOCK, so a
** FIFO or a device cannot hang the load), fstat it into *sb and require
** a regular file (on which O_NONBLOCK changes nothing, so it stays).
** 0 with *fd (close it); CORPUS_NOT_REGULAR (sb set, nothing open); or
** an errno value. */
int corpus_open_input(const char *path, int *fd, struct stat *sb);

/* What a file of st_mode mode is, for messages: "a FIFO", "a socket"... */
const char *corpus_file_kind(unsigned mode);

/* How a message about a file that is not loaded ends: ", skipped", or
** with opts->strict a phrase saying the load failed on it. */
const char *corpus_skip_tail(const corpus_opts *o);

/* "<path>: <fmt...>" with path escaped as corpus_escape does (a message
** naming a file never prints control characters).  malloc'd, NULL when
** out of memory. */
char *corpus_pathf(const char *path, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* "<path>:<line>: <fmt...>" as corpus_pathf (line 0: as corpus_pathf). */
char *corpus_linef(const char *path, uint64_t line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* s[0..n) (NUL-terminated) itself when it shows as it is, else its
** escaped copy in the arena a; NULL and *oom when out of memory. */
const char *corpus_display(arena *a, const char *s, size_t n, int *oom);

#endif
