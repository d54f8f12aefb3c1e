/*
** sent_plugin.h -- what the sentiment plugin's entry points (plugin.c)
** share with its Lua bindings (sent_lua*.c): the tokenize service and
** options found in ready(), and the bindings' own entry points.  The
** host table is kit.h's lk_host.
*/
#ifndef SENT_PLUGIN_H
#define SENT_PLUGIN_H

#include "lector/kit.h"
#include "lector/tokenizer.h"
#include "vader.h"

typedef struct sent_plugin {
  lector_ctx *ctx;
  const lector_tokenizer_api *tok;   /* NULL until ready(), or missing */
  lector_tok_opts *opts;             /* compiled in ready() */
  char tok_error[256];               /* why tok is NULL, after ready() */
} sent_plugin;

/* Set by open()/ready(); read-only afterwards. */
extern sent_plugin sent_g;

/* require "lector.sentiment" (sent_lua.c).  [-0, +1, m] */
int sent_luaopen(lua_State *L);

/* Release what the Lua bindings keep outside Lua (sent_lua.c). */
void sent_lua_fini(void);

/* The model of the scorer at sidx (0: the default scorer, made on first
** use) into *m; raises when the tokenizer is missing or the scorer is
** closed.  m->lex stays valid while that scorer is neither closed nor
** collected (sent_lua.c).  [-0, +0, e] */
void sent_lua_model(lua_State *L, int sidx, const char *fname,
                    vader_model *m);

/* sentiment.corpus / scorer:corpus: the scorer at sidx (0: the default),
** the corpus at cidx, options at oidx (sent_lua_corpus.c).  [-0, +1, e] */
int sent_lua_corpus(lua_State *L, int sidx, int cidx, int oidx,
                    const char *fname);

#endif
