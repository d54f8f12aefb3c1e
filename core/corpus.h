/*
** corpus.h -- the corpus model: a list of documents with their metadata
** in memory; the text of a document is read on demand.  A document is a
** whole file (format "text") or one row of a table file (CSV, TSV, JSON
** lines), any of them possibly gzip'd or in UTF-16/32 with a BOM.
**
** A corpus is reference counted and immutable once loaded.  A subset
** (filter, group) shares its parent's document store.  The struct is the
** lector_corpus of the plugin ABI.  All functions are thread-safe on a
** loaded corpus; loading itself uses worker threads internally.
**
** Ownership: strings returned by corpus_* accessors belong to the corpus
** and live as long as it does.  Error messages are malloc'd (util.h).
*/
#ifndef LECTOR_CORPUS_H
#define LECTOR_CORPUS_H

#include <stddef.h>
#include <stdint.h>

#include "lector/plugin.h"

typedef struct lector_corpus corpus;

/* How the bytes of a file were turned into text. */
typedef enum corpus_encoding {
  CORPUS_ENC_UTF8 = 0,   /* valid UTF-8, used as is (a BOM is dropped) */
  CORPUS_ENC_CP1252,     /* auto mode found invalid UTF-8: Windows-1252 */
  CORPUS_ENC_ICONV,      /* converted from opts.encoding with iconv */
  CORPUS_ENC_RAW         /* bytes kept as they are; may be invalid UTF-8 */
} corpus_encoding;

/* Where a document's date came from. */
typedef enum corpus_date_source {
  CORPUS_DATE_NONE = 0,
  CORPUS_DATE_HEADER,    /* the " date YYYY-MM-DD" first line */
  CORPUS_DATE_META,      /* a front-matter `date:` field */
  CORPUS_DATE_TEXT,      /* a dateline found in the first lines */
  CORPUS_DATE_COLUMN     /* a table's date column */
} corpus_date_source;

/* What a file holds (corpus_opts.format, corpus_doc.format). */
typedef enum corpus_format {
  CORPUS_FMT_AUTO = 0,   /* opts only: by extension, .gz ignored: .csv,
                            .tsv/.tab, .jsonl/.ndjson; anything else text */
  CORPUS_FMT_TEXT,       /* one document per file */
  CORPUS_FMT_CSV,        /* one document per row, RFC 4180, a header row */
  CORPUS_FMT_TSV,        /* tab-separated, backslash escapes, a header row */
  CORPUS_FMT_JSONL       /* one JSON object per line */
} corpus_format;

/* Where dates may come from (corpus_opts.dates). */
typedef enum corpus_dates {
  CORPUS_DATES_AUTO = 0, /* header, front matter, date column, dateline */
  CORPUS_DATES_HEADER,   /* header, front matter and date column only */
  CORPUS_DATES_NONE      /* no dates at all */
} corpus_dates;

typedef struct corpus_opts {
  const char *const *exts; /* keep files with these extensions ("txt" or
                              ".txt"; "" is an error); NULL or n_exts == 0:
                              all files */
  size_t n_exts;
  const char *glob;      /* fnmatch(3) pattern on the id, or NULL; an
                            unclosed bracket expression is an error */
  const char *encoding;  /* "auto" (NULL), "raw", or an iconv name */
  int strict;            /* unreadable/binary files are errors, not warnings */
  int quiet;             /* do not print warnings to stderr (still kept) */
  int hidden;            /* also walk files and folders starting with '.' */
  int threads;           /* worker threads: 0 = all cores, 1 ..
                            LECTOR_MAX_THREADS; anything else is an error */
  int format;            /* corpus_format */
  int dates;             /* corpus_dates */
  /* Tables: the column (or JSON field) holding the text, NULL: the first
  ** of text, body, content, article; the one whose value is doc.id, NULL:
  ** "<file id>#<row>"; the one parsed as the date, NULL: date, published,
  ** published_at.  Matched exactly, then ignoring case. */
  const char *text_field, *id_field, *date_field;
  /* Keep only shard shard_i of shard_n (1 <= shard_i <= shard_n; shard_n
  ** 0: everything): the documents whose corpus_shard_of(id, shard_n) is
  ** shard_i.  Text files of other shards are not read. */
  unsigned shard_i, shard_n;
} corpus_opts;

/* One document's metadata (what stays in memory). */
typedef struct corpus_doc {
  const char *path;      /* as opened: root joined with the id (raw bytes) */
  const char *id;        /* path relative to its root (or the file name for
                            a single-file root), for display: valid UTF-8,
                            with invalid bytes and control characters
                            written \xHH (corpus_escape) */
  const char *title;     /* first non-empty body line, at most
                            LECTOR_TITLE_MAX bytes, escaped as the id
                            (except with encoding "raw": raw bytes);
                            "" if none */
  const char *file_id;   /* the id of its file (== id for a text file) */
  const char *meta;      /* metadata as loaded (front matter, table
                            columns), a corpus_meta block, or NULL */
  uint64_t bytes;        /* length of the text after decoding, in bytes */
  uint64_t size;         /* the file's size when loaded, in bytes */
  int64_t mtime_ns;      /* its modification time when loaded (ns) */
  uint64_t dev, ino;     /* and its identity: corpus_text refuses a file
                            that changed in any of size, mtime, dev, ino */
  uint64_t row_off;      /* a row: where its record starts in the file's
                            decoded stream (corpus_source.h) */
  uint32_t row_len;      /* and its length in bytes (line end excluded) */
  uint32_t line;         /* a row: its first line in the file (1-based) */
  uint32_t file;         /* index of its file in the store */
  uint32_t body_off;     /* text: bytes before the body (BOM, header) */
  int32_t date;          /* YYYYMMDD, or 0 when none */
  uint8_t encoding;      /* corpus_encoding */
  uint8_t date_source;   /* corpus_date_source */
  uint8_t format;        /* corpus_format of its file (never AUTO) */
  uint8_t gzip;          /* 1: its file was gzip'd */
  uint8_t bom;           /* its file's BOM: source_encoding (corpus_source.h) */
  uint8_t root;          /* 1: its file was given as a root, not found in a
                            folder */
} corpus_doc;

/* ---------------------------------------------------------------------
** Metadata.  A block is a run of entries "key\0" type "value\0", ended
** by an empty key; type is one of corpus_meta_type.  A list is several
** entries of type CORPUS_META_LIST with the same key, in order.  A
** document has the block it was loaded with and, after corpus_meta_set,
** a joined block whose keys hide the loaded ones of the same name.
*/
typedef enum corpus_meta_type {
  CORPUS_META_STRING = 's',
  CORPUS_META_NUMBER = 'n',   /* the number as text (lua_stringtonumber) */
  CORPUS_META_BOOL = 'b',     /* "true" or "false" */
  CORPUS_META_JSON = 'j',     /* a nested JSON value as compact text */
  CORPUS_META_LIST = 'l'      /* one item of a list of strings */
} corpus_meta_type;

typedef struct corpus_meta {
  const char *key;
  const char *value;          /* NUL-terminated, owned by the corpus */
  int type;                   /* corpus_meta_type */
} corpus_meta;

/* Load the files under paths[0..n-1] (directories are walked recursively,
** following symbolic links without looping; files are taken as they are).
** Documents come sorted by path within each root, roots in the order given.
** Files that cannot be read, that are not regular files (FIFOs, devices,
** sockets: never opened in a way that blocks), binary files (NUL bytes)
** and undecodable files are skipped with a warning (an error when
** opts->strict); a root that is not a folder or a regular file is an
** error.  Each file is read in bounded chunks: its first LECTOR_HEAD_MAX
** bytes are kept for the header and title, the rest is only checked and
** counted.  The load polls session_interrupted() and stops with an
** "interrupted" error; what it holds counts against the session's memory
** limit (mem.h), past which it stops with an error naming the limit.
** opts may be NULL for defaults.  On success *out holds a new corpus
** (release it); on error returns nonzero and sets *err (NULL when out of
** memory). */
int corpus_load(const char *const *paths, size_t n, const corpus_opts *opts,
                corpus **out, char **err);

/* The shard (1 .. n) of the document with this id: 1 + FNV-1a 64 of the
** id's bytes, less a final ".gz", modulo n.  A document's shard depends
** on its id alone, so adding files moves no other document. */
unsigned corpus_shard_of(const char *id, unsigned n);

/* A new corpus holding documents idx[0..n-1] of c (indices into c). */
int corpus_subset(corpus *c, const size_t *idx, size_t n, corpus **out,
                  char **err);

/* A subset of c whose text passes through f (plugin.h), after c's own
** filters; f->fn's messages are malloc'd here (util.h), not host memory
** (host.c wraps plugins' filters).  f is copied; f->ctx belongs to the
** new corpus from the call on, even when it fails (then it is freed at
** once).  0, or nonzero with *err (NULL: out of memory). */
int corpus_view(corpus *c, const size_t *idx, size_t n,
                const lector_text_filter *f, corpus **out, char **err);

/* A key for document i of c, the same in every corpus sharing its store
** (subsets, groups, views), below corpus_key_limit(c). */
size_t corpus_doc_key(const corpus *c, size_t i);
size_t corpus_key_limit(const corpus *c);

/* Add what c's filters say about document i to the table at the top of
** L's stack (lector_text_filter.meta_push).  The Lua thread. */
void corpus_filter_meta(const corpus *c, size_t i, lua_State *L);

corpus *corpus_retain(corpus *c);
void corpus_release(corpus *c);   /* NULL is fine */

size_t corpus_count(const corpus *c);
/* Document i (0-based), or NULL past the end. */
const corpus_doc *corpus_doc_at(const corpus *c, size_t i);

/* Warnings from loading (one line each, naming the file). */
size_t corpus_warning_count(const corpus *c);
const char *corpus_warning(const corpus *c, size_t i);

/* Warning i in parts, NULL past the end: msg is corpus_warning's line,
** "<path>[:<line>]: <reason>". */
typedef struct corpus_warning_info {
  const char *msg, *path, *reason;
  uint64_t line;              /* 1-based line of a table row, 0: none */
} corpus_warning_info;
const corpus_warning_info *corpus_warning_at(const corpus *c, size_t i);

/* The next metadata entry of document i, joined entries first, then the
** loaded ones not hidden by a joined key.  *pos is 0 at first.  1 with
** *m, 0 at the end (or no such document). */
int corpus_meta_next(const corpus *c, size_t i, size_t *pos, corpus_meta *m);

/* The first value of key for document i, or NULL; *type when found
** (type may be NULL). */
const char *corpus_meta_get(const corpus *c, size_t i, const char *key,
                            int *type);

/* Set key of document i in its joined block to values[0..n) of type
** (n > 1 or CORPUS_META_LIST: a list; n == 0 removes the joined key so
** the loaded one shows again).  The store is shared with c's subsets,
** which see the change.  Not thread-safe: the Lua thread only, while no
** pool runs on the corpus.  0, or nonzero with *err (NULL: out of
** memory). */
int corpus_meta_set(corpus *c, size_t i, const char *key, int type,
                    const char *const *values, size_t n, char **err);

/* The first path component of the document's file id ("" for a file at
** the root), into buf of size cap (cut); its length. */
size_t corpus_doc_folder(const corpus_doc *d, char *buf, size_t cap);

/* Read the text of document i, decoded as at load time, into out
** (NUL-terminated); release with corpus_text_release.  Nonzero and *err
** when the file can no longer be read, is no longer a regular file, or
** changed since it was loaded (size, mtime, device or inode). */
int corpus_text(const corpus *c, size_t i, lector_text *out, char **err);
void corpus_text_release(lector_text *t);

/* The document's date as "YYYY-MM-DD" into buf[11]; 0 if it has none. */
int corpus_doc_date(const corpus_doc *d, char buf[11]);
/* Names for the enums, for doc.meta. */
const char *corpus_encoding_name(const corpus *c, const corpus_doc *d);
const char *corpus_date_source_name(int source);
const char *corpus_format_name(int format);   /* "text", "csv", ... */

/* A copy of s[0..n) for display: valid UTF-8 is kept, except control
** characters (below 0x20, and 0x7F); those and every byte of an invalid
** sequence are written \xHH.  malloc'd (free it), NULL when out of
** memory. */
char *corpus_escape(const char *s, size_t n);

/* Bytes of memory the corpus accounts for: its document store (document
** structs, paths, titles, front matter, warnings) and its own index. */
size_t corpus_memory(const corpus *c);

#endif
