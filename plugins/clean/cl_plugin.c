/*
** cl_plugin.c -- the clean plugin: its descriptor and open/ready/close.
**
** The Lua module (require "lector.clean") is in cl_lua*.c; the engine
** (lines and boilerplate rules, shingles and MinHash, glued words) in
** cl_bp.c, cl_dup.c, cl_glue.c and cl_words.c.
*/
#include "lector/kit.h"
#include "cl_config.h"
#include "cl_plugin.h"

LK_DEFINE

cl_plugin cl_g;

static int cl_open(lector_ctx *ctx, const lector_host *h, char **err) {
  LK_INIT(h);
  cl_g.ctx = ctx;
  if (!LECTOR_HOST_HAS(h, doc_key_limit)) {
    *err = h->errorf("clean needs a host of ABI 1.4 (corpus views), this "
                     "one is %d.%d", h->abi_major, h->abi_minor);
    return LECTOR_EVERSION;
  }
  return h->register_module(ctx, "clean", cl_luaopen, err);
}

/* Compile the three option sets the passes tokenize with. */
static int compile(const lector_tokenizer_api *tok, char **err) {
  lector_tok_config cfg;
  tok->config_init(&cfg, sizeof cfg);
  cfg.punct = 0;
  cfg.ids = 0;
  cl_g.words = tok->opts_new(&cfg, err);
  cfg.numbers = 0;
  cfg.split_hyphens = 1;
  cfg.ids = 1;
  cl_g.count = cl_g.words ? tok->opts_new(&cfg, err) : NULL;
  tok->config_init(&cfg, sizeof cfg);
  cfg.ids = 0;
  cl_g.glue = cl_g.count ? tok->opts_new(&cfg, err) : NULL;
  if (cl_g.glue) return LECTOR_OK;
  tok->opts_free(cl_g.words);
  tok->opts_free(cl_g.count);
  cl_g.words = cl_g.count = NULL;
  return LECTOR_ERR;
}

/* Every plugin is open: find the tokenize service.  Without it the module
** stays, and says what is missing when used. */
static int cl_ready(lector_ctx *ctx, char **err) {
  char *e = NULL;
  const lector_tokenizer_api *tok = lk_host->require(
      ctx, LECTOR_TOKENIZER_SERVICE, LECTOR_TOKENIZER_VERSION, &e);
  (void)err;
  if (tok && compile(tok, &e) == LECTOR_OK) {
    cl_g.tok = tok;
    return LECTOR_OK;
  }
  snprintf(cl_g.tok_error, sizeof cl_g.tok_error,
           "the tokenize plugin is needed: %s", e ? e : "not loaded");
  lk_free(e);
  lk_host->log(ctx, LECTOR_LOG_WARN, "%s", cl_g.tok_error);
  return LECTOR_OK;
}

static void cl_close(lector_ctx *ctx) {
  const lector_tokenizer_api *tok = cl_g.tok;
  (void)ctx;
  if (!tok) return;
  tok->opts_free(cl_g.words);
  tok->opts_free(cl_g.count);
  tok->opts_free(cl_g.glue);
  cl_g.words = cl_g.count = cl_g.glue = NULL;
  cl_g.tok = NULL;
}

static const lector_plugin descriptor = {
  LECTOR_PLUGIN_INIT,
  "clean",
  CL_VERSION,
  "Cleaning scraped news: boilerplate lines, near-duplicates (MinHash), "
  "glued words; clean.apply gives a cleaned corpus view",
  cl_open,
  cl_ready,
  cl_close
};

LECTOR_PLUGIN_ENTRY(descriptor)
