/*
** plugin.c -- the tokenize plugin: its descriptor and open().  It
** registers the Lua module lector.tokenize (tok_lua.c) and provides the C
** service "tokenize" (tok_api.c, include/lector/tokenizer.h); everything
** else is the engine (README.md).
*/
#include "lector/kit.h"
#include "lector/tokenizer.h"
#include "tok_api.h"
#include "tok_lua.h"
#include "tok_opts.h"
#include "tok_run.h"

LK_DEFINE

/* Once per session, before any other engine call: the env (host memory,
** messages, vocabulary), a new vocabulary for the id caches, the default
** options built here so that no thread races to build them. */
static int tok_open(lector_ctx *ctx, const lector_host *h, char **err) {
  LK_INIT(h);
  tok_run_forget_ids();
  tok_opts_default();
  if (h->register_module(ctx, "tokenize", tok_lua_open, err) != LECTOR_OK)
    return LECTOR_ERR;
  return h->provide(ctx, LECTOR_TOKENIZER_SERVICE, LECTOR_TOKENIZER_VERSION,
                    &tok_api, err);
}

static const lector_plugin descriptor = {
  LECTOR_PLUGIN_INIT,
  "tokenize",
  TOK_PLUGIN_VERSION,
  "Unicode words (UAX #29) and sentences; the tokenize C service",
  tok_open,
  NULL,
  NULL
};

LECTOR_PLUGIN_ENTRY(descriptor)
