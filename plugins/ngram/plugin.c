/*
** plugin.c -- the ngram plugin: its descriptor, open and ready.  The Lua
** module lector.ngram is in ng_lua*.c; the engine (ng_*.c, no Lua) uses
** the env of lector/kit.h, pointed at the host here.
**
** The tokenize service is looked up in ready(), once every plugin is
** open; without it, counting text raises "the tokenize plugin is not
** loaded" while token lists and saved tables still work.
*/
#include "lector/kit.h"
#include "lector/tokenizer.h"
#include "ng_lua.h"

#define NG_PLUGIN_VERSION "1.0.0"

LK_DEFINE

const lector_tokenizer_api *ng_tok;
static lector_ctx *ng_ctx;

static int ngram_open(lector_ctx *ctx, const lector_host *h, char **err) {
  if (!LECTOR_HOST_HAS(h, doc_pool)) {
    *err = h->errorf("the ngram plugin needs a host of ABI 1.3 or later "
                     "(this one is %d.%d)", h->abi_major, h->abi_minor);
    return LECTOR_EVERSION;
  }
  LK_INIT(h);
  ng_ctx = ctx;
  return h->register_module(ctx, "ngram", ng_lua_open, err);
}

static int ngram_ready(lector_ctx *ctx, char **err) {
  char *why = NULL;
  (void)err;
  ng_tok = lk_host->require(ctx, LECTOR_TOKENIZER_SERVICE,
                            LECTOR_TOKENIZER_VERSION, &why);
  if (!ng_tok) {
    lk_host->log(ng_ctx, LECTOR_LOG_WARN,
                 "no tokenize service (%s): only token lists and saved "
                 "tables can be used", why ? why : "not found");
    lk_free(why);
  }
  return LECTOR_OK;
}

static const lector_plugin descriptor = {
  LECTOR_PLUGIN_INIT,
  "ngram",
  NG_PLUGIN_VERSION,
  "N-gram counts, collocations, keyness, TF-IDF and concordance",
  ngram_open,
  ngram_ready,
  NULL
};

LECTOR_PLUGIN_ENTRY(descriptor)
