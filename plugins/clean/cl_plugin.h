/*
** cl_plugin.h -- what the clean plugin's entry points (cl_plugin.c)
** share with its Lua bindings (cl_lua*.c): the tokenize service and the
** options compiled for it in ready(), and the bindings' internal API.
** The host table is kit.h's lk_host.
*/
#ifndef CL_PLUGIN_H
#define CL_PLUGIN_H

#include "lector/kit.h"
#include "lector/tokenizer.h"
#include "cl_bp.h"
#include "cl_dup.h"
#include "cl_glue.h"

typedef struct cl_plugin {
  lector_ctx *ctx;
  const lector_tokenizer_api *tok;   /* NULL until ready(), or missing */
  lector_tok_opts *words;   /* shingles: lower-cased words and numbers */
  lector_tok_opts *count;   /* vocabulary: words, hyphens split */
  lector_tok_opts *glue;    /* unglue: every token, hyphenated words whole */
  char tok_error[256];      /* why tok is NULL, after ready() */
} cl_plugin;

/* Set by open()/ready(); read-only afterwards. */
extern cl_plugin cl_g;

/* require "lector.clean" (cl_lua.c).  [-0, +1, m] */
int cl_luaopen(lua_State *L);

/* Raise unless the tokenize service is there.  [-0, +0, v] */
void cl_need_tok(lua_State *L, const char *fname);

/* ------------------------------------------------------------------------
** Boilerplate over a corpus (cl_lua_bp.c)
*/

/* One line found, in document doc. */
typedef struct cl_hit {
  uint64_t hash;
  uint32_t doc, off, len;
  uint8_t where;          /* CL_WHERE_* */
} cl_hit;

typedef struct cl_bp_found {
  size_t ndocs;
  cl_hit *hit;            /* sorted by doc, then offset */
  size_t nhits;
  size_t *first;          /* hits of doc i: hit[first[i] .. first[i + 1]) */
  size_t min_docs;        /* documents that made a line repeated */
  size_t nrep;            /* repeated lines in the corpus */
} cl_bp_found;

void cl_bp_found_free(void *p);

/* Read the boilerplate options at oidx (keys of clean.boilerplate; with
** prefix "boilerplate." in messages when from clean.apply) and find the
** boilerplate of the open corpus c, owned by g.  [-0, +0, v] */
cl_bp_found *cl_lua_bp_find(lua_State *L, lk_guard *g, lector_corpus *c,
                            int oidx, int threads, const char *fname);

/* Push clean.boilerplate's list for f (c: f's corpus, to read each line
** as written).  [-0, +1, v] */
void cl_lua_bp_push(lua_State *L, lk_guard *g, lector_corpus *c,
                    const cl_bp_found *f, const char *fname);

/* ------------------------------------------------------------------------
** Near-duplicates (cl_lua_dup.c)
*/

typedef struct cl_clusters {
  size_t n;               /* clusters */
  uint32_t *doc;          /* members, cluster k at doc[first[k] ..
                             first[k + 1]), the kept one first */
  double *sim;            /* Jaccard with the cluster's kept document */
  size_t *first;
  size_t candidates, verified;
  int bands, rows;
} cl_clusters;

void cl_clusters_free(void *p);

/* Push clean.duplicates' list for cl.  [-0, +1, m] */
void cl_lua_dup_push(lua_State *L, const cl_clusters *cl);

/* Read the duplicates options at oidx and cluster the documents of c,
** owned by g.  [-0, +0, v] */
cl_clusters *cl_lua_dup_find(lua_State *L, lk_guard *g, lector_corpus *c,
                             int oidx, int threads, const char *fname);

/* ------------------------------------------------------------------------
** Vocabularies (cl_lua.c)
*/

/* The vocabulary for unglue: the value at vidx (a clean vocabulary, an
** ngram count table or a table word -> count), or when it is nil the
** unigrams of corpus c (NULL: an error naming opts.vocab).  Owned by g;
** min_count set from opts at oidx.  [-0, +0, v] */
cl_vocab *cl_lua_vocab(lua_State *L, lk_guard *g, int vidx,
                       lector_corpus *c, int threads, const char *fname);

void cl_vocab_free(void *p);

/* clean.boilerplate (cl_lua_bp.c), clean.duplicates (cl_lua_dup.c),
** clean.apply (cl_lua_apply.c).  [-0, +1, e] */
int cl_lua_boilerplate(lua_State *L);
int cl_lua_duplicates(lua_State *L);
int cl_lua_apply(lua_State *L);

#endif
