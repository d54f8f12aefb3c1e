/*
** pack.h -- packed corpora (issue 18): one file holding a corpus's
** document table, the decoded text of every document and, optionally,
** its tokens and a positional index (pack_toks.h), written once and then
** mapped (mmap) instead of reading the files again.
**
** Format (all integers little-endian; README "Packed corpora"):
**   header   magic PACK_MAGIC (8 bytes), u32 version, u32 section count,
**            u64 file length, u32 CRC-32C of the header (this field read
**            as zero) and the section table, u32 zero; then per section
**            {char tag[4], u32 CRC-32C, u64 offset, u64 length}; each
**            section starts at a multiple of 8
**   TEXT     every document's text followed by a NUL byte
**   DOCS     u64 documents, u64 iconv name (STRS offset or ~0), then a
**            PACK_DOC_BYTES record per document (pack.c lists fields)
**   STRS     NUL-terminated strings and corpus_meta blocks
**   TOKO VOCB VSRT TIDX TOKS POFF POST: the tokens (all or none)
**   TOFF     checkpoints into the tokens (optional: older packs lack it)
** A reader refuses another version; sections with other tags are
** skipped.  Loading checks the CRC of every section but the bulky ones
** (TEXT, TOKS, POST, TOFF), whose damage pack_verify finds.
**
** Ownership: a packed store owns its map (corpus_store.pack), unmapped
** when the store is freed; its documents' strings and texts point into
** it.  Error messages are malloc'd (util.h).
*/
#ifndef LECTOR_PACK_H
#define LECTOR_PACK_H

#include <stddef.h>
#include <stdint.h>

#include "corpus.h"
#include "pack_toks.h"

#define PACK_MAGIC "\x89LPK\r\n\x1a\n"
#define PACK_MAGIC_LEN 8
#define PACK_VERSION 2
#define PACK_DOC_BYTES 96

struct corpus_store;
typedef struct pack_map pack_map;

/* pack_parse's CRC checks. */
#define PACK_CRC_NONE 0      /* none (the fuzz target) */
#define PACK_CRC_SMALL 1     /* all but TEXT, TOKS, POST, TOFF (loading) */
#define PACK_CRC_ALL 2

/* How to pack. */
typedef struct pack_opts {
  int quiet;                 /* no warnings on stderr */
  int threads;               /* workers reading and tokenizing (0: all) */
  const ptok_opts *tokens;   /* tokenize with these, or NULL: no tokens */
} pack_opts;

/* What pack_write did. */
typedef struct pack_stats {
  size_t docs, skipped;      /* documents written; unreadable, left out */
  uint64_t text_bytes;       /* bytes of text written */
  uint64_t words, tokens;    /* distinct words and tokens packed */
  uint64_t file_bytes;       /* size of the pack */
  const char *lists;         /* how the index was built (ptok_lists), or
                                NULL without tokens */
  char **warnings;           /* one line per skipped document (malloc'd) */
} pack_stats;

/* Write the documents of c (its text as corpus_text gives it, views'
** filters applied) and, with o->tokens, their tokens to path through
** output.h: a temporary renamed over path at the end.  A path that is
** one of c's source files (or c's own pack) is refused.  A document whose
** text cannot be read is left out with a warning in st (printed unless
** o->quiet).  Polls the interrupt flag; what it holds in memory (the
** document table, strings, the word list, a batch of documents) counts
** against the memory limit.  0, or nonzero with *err (NULL: out of
** memory).  Free st with pack_stats_free either way. */
int pack_write(corpus *c, const char *path, const pack_opts *o,
               pack_stats *st, char **err);
void pack_stats_free(pack_stats *st);

/* corpus_load's hook: when one of paths[0..n) is a pack (a regular file
** starting with PACK_MAGIC, or named *.lpk), map it and fill st (empty)
** with its documents.  A pack must be the only root, and takes no option
** that decides how files are read (o).  -1: no root is a pack (st
** untouched); 0: loaded; 1: error in *err naming the file and, for a bad
** pack, the section and what is wrong. */
int pack_load_roots(const char *const *paths, size_t n, const corpus_opts *o,
                    struct corpus_store *st, char **err);

/* Parse the pack in p[0..len) (named name in messages) into st, checking
** every section's bounds and the CRC-32Cs crc (PACK_CRC_*) says.  p must
** outlive st.  0, or 1 with *err.  (pack_load_roots maps a file and calls
** this; the fuzz target calls it on its input.) */
int pack_parse(const unsigned char *p, size_t len, const char *name, int crc,
               struct corpus_store *st, char **err);

/* The token sections of a packed store's map, or NULL. */
const ptok_map *pack_toks_of(const pack_map *pm);

/* The CRC-32Cs a load skips (TEXT, TOKS, POST, TOFF) of c's pack.  0 (also for
** a corpus of files), or 1 with *err naming the section. */
int pack_verify(const corpus *c, char **err);

/* The text of document d of a packed store, from its map: out->owner_ is
** NULL (nothing to free), out->data[out->len] is NUL.  0, or 1 with *err
** when that byte is not a NUL (damage a load does not look for). */
int pack_text(const pack_map *pm, const corpus_doc *d, lector_text *out,
              char **err);

/* Unmap and free (NULL is fine). */
void pack_map_free(pack_map *pm);

/* lector.load's check: for each source file of the packed corpus c, add
** a warning to c's store naming it when its size or mtime changed since
** packing or it is gone (printed unless quiet); *changed counts them.
** 0, or 1 with *err (c is not a pack; NULL: out of memory). */
int pack_check(corpus *c, int quiet, size_t *changed, char **err);

#endif
