/*
** corpus_source.h -- a file's text as a stream of UTF-8 bytes, and random
** access back into that stream.
**
** What a file holds is found from its bytes, never its name: gzip by its
** magic bytes (1F 8B), undone with zlib; concatenated members are read
** one after another as gzip(1) does, zero bytes after the last member are
** ignored, anything else there is an error.  Then, in the decompressed
** data, a byte-order mark: a UTF-8 BOM is dropped; a UTF-16LE/BE or
** UTF-32LE/BE BOM is dropped and the text decoded to UTF-8 here (no
** iconv; unpaired surrogates, code points past U+10FFFF and a length that
** is not a whole number of code units are errors).  Without a BOM the
** bytes pass through as they are (the loader checks UTF-8).
**
** The decoded stream is what source_read returns, BOM excluded; its
** offsets are what source_pread takes.
**
** Streaming holds two buffers of SOURCE_BUF bytes (plus zlib's 44 KB of
** inflate state for gzip), however big the file.  A plain file (no gzip,
** no BOM or a UTF-8 BOM) is read straight into the caller's buffer, at
** the cost of read(2) alone.  The stream reads the file in order with
** read(2); source_pread uses pread(2).
**
** The index.  With index set, source_open's stream records how to get
** back into the decoded stream:
**  - plain UTF-8: nothing but the BOM length (offset + BOM = file offset);
**  - UTF-16/32 without gzip: a restart point every SOURCE_SPAN raw bytes,
**    a file offset at a character boundary and its decoded offset
**    (40 bytes a point, ~40 bytes a MB);
**  - gzip: a restart point at the first deflate block boundary after each
**    SOURCE_SPAN decompressed bytes: the compressed offset and bit there,
**    the decompressed and decoded offsets, and the 32 KB that inflate's
**    window held, so that a raw inflate primed with the bits
**    (inflatePrime) and the window (inflateSetDictionary) goes on from
**    there -- the technique of zlib's examples/zran.c.  A point at the
**    start of a member has an empty window.  About 32 KB a MB of text
**    (a 200 MB file: 186 points, 6.1 MB);
**    for UTF-16/32 in gzip the point also says how many bytes of a
**    character begun before it lie at the end of the window.
** The points are counted memory (mem.h): they count against
** --memory-limit, and indexing fails when it is reached.
**
** source_pread finds the point at or before an offset and decodes the
** span (the decoded bytes from a point to the next) that holds it.
** Decoded spans go through one process-wide cache, least recently used
** first out: SOURCE_CACHE_SPANS spans (~8 MB with 1 MB spans, counted
** memory), keyed by the index's unique id (never its address) and the
** span number, so that a pass over a gzip'd corpus in document order,
** from several threads, decompresses each span about once (a thread
** that finds the span it needs being decoded by another decodes the
** next one meanwhile, so that the threads do not queue).  A span
** longer than SOURCE_CACHE_SPAN_MAX (a deflate block that never ends) is
** decoded without caching: slower, still bounded memory.
**
** Ownership: a source owns its file descriptor and buffers until
** source_close.  source_index_take hands the index to the caller, who
** frees it with source_index_free.  Error messages are malloc'd (util.h)
** and name the file; the receiver frees them.  A source is used by one
** thread at a time; source_pread is thread-safe.
*/
#ifndef LECTOR_CORPUS_SOURCE_H
#define LECTOR_CORPUS_SOURCE_H

#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/types.h>

#include "util.h"

/* Decoded bytes (UTF-16/32: raw bytes; gzip: decompressed bytes) between
** two restart points. */
#ifndef SOURCE_SPAN
#define SOURCE_SPAN (1u << 20)
#endif
/* Decoded spans kept by source_pread's cache. */
#ifndef SOURCE_CACHE_SPANS
#define SOURCE_CACHE_SPANS 8
#endif
/* Longest span the cache keeps. */
#ifndef SOURCE_CACHE_SPAN_MAX
#define SOURCE_CACHE_SPAN_MAX (4u * SOURCE_SPAN)
#endif
/* Size of each streaming buffer (file bytes, decompressed bytes). */
#ifndef SOURCE_BUF
#define SOURCE_BUF 65536
#endif

typedef enum source_encoding {
  SOURCE_UTF8 = 0,      /* no BOM: the bytes as they are */
  SOURCE_UTF8_BOM,
  SOURCE_UTF16LE,
  SOURCE_UTF16BE,
  SOURCE_UTF32LE,
  SOURCE_UTF32BE
} source_encoding;

typedef struct source source;             /* an open file being streamed */
typedef struct source_index source_index; /* how to get back into its text */

/* Open path for streaming (corpus_open_input: O_NONBLOCK, O_CLOEXEC,
** O_NOCTTY; fstat into *sb; a regular file only) and detect gzip and the
** BOM from its first bytes (nothing else is read yet).  With index set,
** the stream builds a source_index (see above).  0 with *out (close with
** source_close); CORPUS_NOT_REGULAR (sb set); or an errno value (ENOMEM
** when out of memory).  Corrupt gzip data found while detecting is
** reported by the first source_read. */
int source_open(const char *path, int index, source **out, struct stat *sb);

/* Read up to cap (>= 1) decoded bytes into buf: the count (> 0; a short
** count does not mean the end), 0 at the end, or -1 with *err (malloc'd,
** naming the file and what is wrong where: corrupt or truncated gzip,
** invalid UTF-16/32, a read error, out of memory for the index).  After
** an error every later call fails the same way. */
ssize_t source_read(source *s, char *buf, size_t cap, char **err);

/* Go back to the start of the decoded stream (a second pass, e.g. as
** Windows-1252); the index, if any, is rebuilt by the new pass.  0, or -1
** with *err. */
int source_rewind(source *s, char **err);

source_encoding source_encoding_of(const source *s);
/* The encoding's name for messages: "UTF-8", "UTF-16LE"... (static). */
const char *source_encoding_name(source_encoding e);
/* 1 when gzip was undone. */
int source_gzip(const source *s);
/* BOM bytes skipped (at the start of the decompressed data). */
size_t source_bom_len(const source *s);
/* Decoded bytes returned so far. */
uint64_t source_pos(const source *s);
/* The open file (owned by s: do not close it), for identity checks. */
int source_fd(const source *s);

/* After source_read returned 0 on a source opened with index: the index
** (the caller owns it: source_index_free), and s keeps none.  NULL with
** *err (malloc'd) otherwise. */
source_index *source_index_take(source *s, char **err);

/* Bytes the index holds (counted memory), and the decoded length of the
** text it indexes. */
size_t source_index_memory(const source_index *ix);
uint64_t source_index_length(const source_index *ix);
/* Restart points in the index (0 for plain UTF-8). */
size_t source_index_points(const source_index *ix);
/* Free ix and the cache's spans of it; NULL is fine.  No source_pread
** may be running on it. */
void source_index_free(source_index *ix);

/* Close the file and free s (and an index not taken); NULL is fine. */
void source_close(source *s);

/* Read the decoded bytes [off, off + len) of the file open as fd (opened
** and identity-checked by the caller; path only names it in messages)
** into out, replacing its contents, NUL-terminated (out->len is len),
** using ix.  Thread-safe: any number of threads, same or different
** indexes.  Polls session_interrupted() between spans and between the
** 64 KB chunks of a span it decodes.  0, or -1 with
** *err (malloc'd; NULL when out of memory): "the file ends before byte N
** of its text" (truncated since indexing), corrupt gzip data, a read
** error, "interrupted". */
int source_pread(int fd, const char *path, const source_index *ix,
                 uint64_t off, size_t len, util_buf *out, char **err);

/* Bytes the span cache holds now (counted memory), and its hits and
** misses so far (for tests and benchmarks). */
size_t source_cache_memory(void);
void source_cache_stats(uint64_t *hits, uint64_t *misses);

#endif
