/*
** sent_plugin.h -- what the sentiment plugin's Lua bindings share with its
** entry points (plugin.c): the host, the tokenize service and options,
** and where the default lexicon is.
*/
#ifndef SENT_PLUGIN_H
#define SENT_PLUGIN_H

#include <stddef.h>

#include <lua.h>

#include "lector/plugin.h"
#include "lector/tokenizer.h"

typedef struct sent_plugin {
  const lector_host *host;
  lector_ctx *ctx;
  const lector_tokenizer_api *tok;   /* NULL until ready(), or missing */
  lector_tok_opts *opts;             /* compiled in ready() */
  char tok_error[256];               /* why tok is NULL, after ready() */
} sent_plugin;

/* Set by open()/ready(); read-only afterwards. */
extern sent_plugin sent_g;

/* The path of the default lexicon into buf: $LECTOR_VADER_LEXICON when
** set, else vader_lexicon.txt beside the plugin's .so.  Returns buf, or
** NULL when the plugin's own path is unknown (buf then says why). */
const char *sent_default_path(char *buf, size_t cap);

/* How to get the default lexicon: one sentence naming the npm package
** and the pinned version, for error messages. */
const char *sent_howto(void);

/* require "lector.sentiment" (sent_lua.c).  [-0, +1, m] */
int sent_luaopen(lua_State *L);

/* Release what the Lua bindings keep outside Lua (sent_lua.c). */
void sent_lua_fini(void);

/* sentiment.corpus / scorer:corpus, for the scorer at index sidx with
** the corpus at cidx and options at oidx (sent_lua_corpus.c).
** [-0, +1, e] */
struct vader_model;
int sent_lua_corpus(lua_State *L, const struct vader_model *m, int cidx,
                    int oidx, const char *fname);

#endif
