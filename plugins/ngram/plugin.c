/*
** plugin.c -- the ngram plugin: its descriptor, the host hooks of the
** engine (ng_env) and the Lua module lector.ngram (ng_lua.c).
**
** The tokenize service is looked up in ready(), once every plugin is
** open; without it, counting text raises "the tokenize plugin is not
** loaded" while token lists and saved tables still work.
*/
#include "lector/plugin.h"
#include "lector/tokenizer.h"
#include "ng_env.h"
#include "ng_lua.h"

#define NG_PLUGIN_VERSION "1.0.0"

const lector_host *ng_host;
const lector_tokenizer_api *ng_tok;
static lector_ctx *ng_ctx;

static int ngram_open(lector_ctx *ctx, const lector_host *h, char **err) {
  ng_env env = {0};
  ng_host = h;
  ng_ctx = ctx;
  env.alloc = h->alloc;
  env.realloc = h->realloc;
  env.free = h->free;
  env.vocab_string = h->vocab_string;
  env.vocab_intern = h->vocab_intern;
  env.vocab_lookup = h->vocab_lookup;
  env.vocab_size = h->vocab_size;
  env.errorf = h->errorf;
  env.interrupted = h->interrupted;
  if (LECTOR_HOST_HAS(h, output_abort)) {
    env.output_open = h->output_open;
    env.output_file = h->output_file;
    env.output_commit = h->output_commit;
    env.output_abort = h->output_abort;
  }
  ng_env_set(&env);
  return h->register_module(ctx, "ngram", ng_lua_open, err);
}

static int ngram_ready(lector_ctx *ctx, char **err) {
  char *why = NULL;
  (void)err;
  ng_tok = ng_host->require(ctx, LECTOR_TOKENIZER_SERVICE,
                            LECTOR_TOKENIZER_VERSION, &why);
  if (!ng_tok) {
    ng_host->log(ng_ctx, LECTOR_LOG_WARN,
                 "no tokenize service (%s): only token lists and saved "
                 "tables can be used", why ? why : "not found");
    ng_host->free(why);
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
