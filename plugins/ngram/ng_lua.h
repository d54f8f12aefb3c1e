/*
** ng_lua.h -- the Lua side of the ngram plugin, shared by its files:
** ng_lua_src.c (sources, options, the call state), ng_lua_counts.c (the
** count table userdata), ng_lua.c (counting, files, the module table),
** ng_lua_stats.c and ng_lua_kwic.c (statistics, concordance),
** ng_lua_collocates.c and ng_lua_dispersion.c.
**
** Every Lua-facing function raises ordinary Lua errors prefixed with its
** name ("ngram.count: ...").  C resources held across code that may raise
** belong to a kit guard (lk_guard), a to-be-closed userdata, so an error
** frees them.
*/
#ifndef NG_LUA_H
#define NG_LUA_H

#include <stddef.h>
#include <stdint.h>

#include <lauxlib.h>
#include <lua.h>

#include "lector/kit.h"
#include "lector/tokenizer.h"
#include "ng_buf.h"
#include "ng_count.h"
#include "ng_format.h"
#include "ng_kwic.h"
#include "ng_stats.h"
#include "ng_table.h"

#define NG_COUNTS_MT "lector.ngram.counts"
#define NG_ITER_MT "lector.ngram.iter"

/* Set by plugin.c: the tokenize service (NULL when the tokenize plugin
** is missing).  The host is lk_host (lector/kit.h). */
extern const lector_tokenizer_api *ng_tok;

/* ------------------------------------------------------------------------
** The count table userdata
*/

typedef struct ng_disk ng_disk;

typedef struct ng_counts {
  ng_table t;                  /* on disk: empty, with the totals */
  ng_meta m;
  unsigned version;            /* bumped by every change (iterators check) */
  int closed;
  ng_disk *disk;               /* a table on disk (a spilled count), or
                                  NULL (ng_lua_counts.c) */
} ng_counts;

/* Push a new, empty count table.  [-0, +1, m] */
ng_counts *ng_lua_counts_new(lua_State *L);

/* The count table at idx, or NULL.  [-0, +0, -] */
ng_counts *ng_lua_counts_test(lua_State *L, int idx);

/* The open count table at idx, in memory (a table on disk is loaded
** first: the callers read c->t); raises otherwise.  [-0, +0, v] */
ng_counts *ng_lua_counts_check(lua_State *L, int idx, const char *fname);

/* Make c a table on disk: the saved table at path (lk_alloc, taken:
** removed with its folder, if empty, when c closes) of lines grams,
** merged from runs runs (t:on_disk() says it); c->t keeps only its
** totals.  [-0, +0, m] */
void ng_lua_counts_disk(lua_State *L, ng_counts *c, char *path,
                        uint64_t lines, uint64_t runs);

/* Create the metatables.  [-0, +0, m] */
void ng_lua_counts_open(lua_State *L);

/* Push the gram of key (width ids) as a string.  [-0, +1, m] */
void ng_push_gram(lua_State *L, const uint32_t *key, int width);

/* ------------------------------------------------------------------------
** Sources and options
*/

/* Where documents come from: docs runs a corpus on host->doc_pool, one
** text (a document, a string) on the calling thread. */
typedef struct ng_lua_src {
  ng_docs docs;                /* docs.ud is the source itself */
  lector_corpus *corpus;       /* corpus or a doc's corpus, else NULL */
  size_t first;                /* a doc: its index in the corpus */
  const char *str;             /* a string source */
  size_t len;
  int kind;                    /* NG_SRC_* */
  const char *label;           /* a corpus: its progress bar's label */
} ng_lua_src;

enum { NG_SRC_CORPUS = 1, NG_SRC_DOC, NG_SRC_STRING, NG_SRC_TOKENS };

/* What the value at idx is as a source (NG_SRC_*), filling s (tokens:
** nothing to fill), or 0 if it is none of them.  [-0, +0, -] */
int ng_lua_src_get(lua_State *L, int idx, ng_lua_src *s);

/* The text of document i of s into *out (release it with
** host->text_release).  LECTOR_OK, or a code with *err.  Any thread. */
int ng_lua_src_text(const ng_lua_src *s, size_t i, lector_text *out,
                    char **err);

/* Push the id of document i of s (nil for a string).  [-0, +1, m] */
void ng_lua_src_push_id(lua_State *L, const ng_lua_src *s, size_t i);

/* What a call holds while it may raise, owned by a kit guard (lk_guard,
** pushed by ng_guard_new), which frees it on return, error or interrupt. */
typedef struct ng_guard {
  lk_guard *lk;                /* the owner: add corpora, texts ... to it */
  lector_tok_opts *opts, *stop_opts;
  ng_job job;                  /* results, freed at close */
  ng_hits hits;
  void *mem[4];                /* lk_alloc buffers */
  ng_table tab[NG_MAX_N + 1];  /* tables being built */
  ng_buf buf;                  /* text being built */
  ng_spill *spill;             /* runs of a count within a budget */
} ng_guard;

/* Push a new kit guard owning a new ng_guard, marked to-be-closed.
** [-0, +1, m] */
ng_guard *ng_guard_new(lua_State *L);

/* Hold the corpus of the source s (taken from the value at idx) for the
** whole call: a reference of g's (released when g closes, error or not),
** so that Lua code run meanwhile (a 'by' function, a finalizer closing
** the corpus) cannot free it under the workers.  Looks the corpus up
** again, as an allocation since ng_lua_src_get may have run a finalizer;
** raises "the corpus is closed" then.  Strings and token lists: nothing
** to hold.  [-0, +0, v] */
void ng_lua_src_hold(lua_State *L, int idx, ng_lua_src *s, ng_guard *g,
                  const char *fname);

/* Get s ready to run on threads threads (0: all cores; a corpus only),
** with a progress bar labelled fname.  Lua thread, just before the
** work. */
void ng_lua_src_ready(ng_lua_src *s, int threads, const char *fname);

/* Let tok read the token streams of s's packed corpus instead of
** tokenizing (tok->pack, ng_count.h) when the corpus has streams made
** with tok->opts (host->tokens_words of its key) and tok has neither
** stop_opts nor sentences; else leave tok->pack NULL.  Returns whether
** it did.  Lua thread, after ng_copts_tokens. */
int ng_lua_src_stream(const ng_lua_src *s, ng_tokens *tok);

/* With tok->pack (ng_lua_src_stream) and s a corpus: from the pack's
** positional index, skip[i] = 0 for each document i of s that holds
** every word of ids[0..n) (vocabulary ids, normalised with tok->opts;
** 0, any word, is ignored), -1 for the others; and when last is not
** NULL, last[i] = the last position (in the document's token stream) of
** any of those words in document i.  Returns 1 when skip was filled, 0
** when no index applies (no pack, no word).  A damaged index raises,
** naming fname.  [-0, +0, v] */
int ng_lua_src_index(lua_State *L, const ng_lua_src *s, const ng_tokens *tok,
                     const uint32_t *ids, int n, int32_t *skip,
                     uint32_t *last, const char *fname);

/* Counting options (ngram.count and the functions that count). */
typedef struct ng_copts {
  ng_spec spec;
  int threads;                 /* 0: all cores */
  uint64_t min_count;
  int by;                      /* the options have a `by` */
  int has_stop;                /* the options name stop words */
  int sentences;               /* grams stay within sentences */
} ng_copts;

/* Read the counting options in the table at idx (nil: defaults) into o.
** extra lists the caller's further keys (NULL-terminated, may be NULL),
** which it reads itself.  [-0, +0, v] */
void ng_copts_read(lua_State *L, int idx, const char *fname,
                   const char *const *extra, ng_copts *o);

/* Compile the tokenizer options of the table at idx into g->opts (and
** g->stop_opts in drop mode) and fill tok.  [-0, +0, v] */
void ng_copts_tokens(lua_State *L, int idx, const char *fname,
                     const char *const *extra, const ng_copts *o,
                     ng_guard *g, ng_tokens *tok);

/* Raise unless the table at idx holds only keys of copts or extra:
** tokenizer options (and sentences) do not apply to a token list or a
** count table.  [-0, +0, v] */
void ng_copts_no_tokenizer(lua_State *L, int idx, const char *fname,
                           const char *const *extra, const char *what);

/* Push the canonical string of the options at idx that shape the tokens
** (tokenizer keys, stop_mode, sentences when true; not n, skip,
** threads ...).  [-0, +1, m] */
void ng_copts_describe(lua_State *L, int idx, const char *const *extra);

/* Count the source at src_idx with the options at opts_idx (o read from
** them; extra: the caller's own keys) into a new table, pushed.
** [-0, +1, v] */
ng_counts *ng_count_source(lua_State *L, int src_idx, int opts_idx,
                           const char *fname, const char *const *extra,
                           const ng_copts *o);

/* ------------------------------------------------------------------------
** The module functions (ng_lua_stats.c, ng_lua_kwic.c) and the module
*/

/* ngram.collocations, ngram.keyness, ngram.tfidf.  [-0, +1, v] */
int ng_l_collocations(lua_State *L);
int ng_l_keyness(lua_State *L);
int ng_l_tfidf(lua_State *L);

/* Read opts.tf, opts.idf, opts.norm of the table at idx (anything
** else: the defaults) into w; bad values raise naming option and value.
** [-0, +0, v] */
void ng_weighting_read(lua_State *L, int idx, const char *fname,
                       ng_weighting *w);

/* ngram.dtm (ng_lua_dtm.c).  [-0, +1, v] */
int ng_l_dtm(lua_State *L);

/* Create the document-term matrix's metatable.  [-0, +0, m] */
void ng_lua_dtm_open(lua_State *L);

/* ngram.kwic.  [-0, +1, v] */
int ng_l_kwic(lua_State *L);

/* The phrase at idx (a string: words split at white space; or an array
** of words), each word normalised with opts, into ids[0..NG_KWIC_MAX);
** "*" is 0 (any one token) when star, else an error.  Messages name the
** phrase as what ("pattern", "node").  Returns its length, >= 1.
** [-0, +0, v] */
int ng_lua_phrase(lua_State *L, int idx, const lector_tok_opts *opts,
                  uint32_t *ids, const char *fname, const char *what,
                  int star);

/* ngram.collocates (ng_lua_collocates.c), ngram.dispersion
** (ng_lua_dispersion.c).  [-0, +1, v] */
int ng_l_collocates(lua_State *L);
int ng_l_dispersion(lua_State *L);

/* require "lector.ngram": the module table.  [-0, +1, m] */
int ng_lua_open(lua_State *L);

#endif
