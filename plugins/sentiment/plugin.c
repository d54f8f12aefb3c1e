/*
** plugin.c -- the sentiment plugin: its descriptor and open/ready/close.
**
** The Lua module (require "lector.sentiment") is in sent_lua.c and
** sent_lua_corpus.c; the engine (VADER's rules, words and lexicon, one
** document's scores) in vader*.c, lexicon.c and sent_corpus.c.
*/
#include "lector/kit.h"
#include "sent_config.h"
#include "sent_plugin.h"
#include "vader_words.h"

LK_DEFINE

sent_plugin sent_g;

static int sent_open(lector_ctx *ctx, const lector_host *h, char **err) {
  LK_INIT(h);
  sent_g.ctx = ctx;
  return h->register_module(ctx, "sentiment", sent_luaopen, err);
}

/* Every plugin is open: find the tokenize service.  Without it the module
** stays, and says what is missing when used. */
static int sent_ready(lector_ctx *ctx, char **err) {
  char *e = NULL;
  const lector_tokenizer_api *tok = lk_host->require(
      ctx, LECTOR_TOKENIZER_SERVICE, LECTOR_TOKENIZER_VERSION, &e);
  (void)err;
  if (tok && (sent_g.opts = vw_opts_new(tok, &e)) != NULL) {
    sent_g.tok = tok;
    return LECTOR_OK;
  }
  snprintf(sent_g.tok_error, sizeof sent_g.tok_error,
           "the tokenize plugin is needed: %s", e ? e : "not loaded");
  lk_free(e);
  lk_host->log(ctx, LECTOR_LOG_WARN, "%s", sent_g.tok_error);
  return LECTOR_OK;
}

static void sent_close(lector_ctx *ctx) {
  (void)ctx;
  sent_lua_fini();
  if (sent_g.tok && sent_g.opts) sent_g.tok->opts_free(sent_g.opts);
  sent_g.opts = NULL;
  sent_g.tok = NULL;
}

static const lector_plugin descriptor = {
  LECTOR_PLUGIN_INIT,
  "sentiment",
  SENT_VERSION,
  "VADER sentiment (Hutto & Gilbert 2014) per text, sentence, document "
  "and group",
  sent_open,
  sent_ready,
  sent_close
};

LECTOR_PLUGIN_ENTRY(descriptor)
