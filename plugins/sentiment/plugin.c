/*
** plugin.c -- the sentiment plugin: its descriptor, open/ready/close, the
** tokenize service it scores with, and where the default lexicon is.
**
** The Lua module (require "lector.sentiment") is in sent_lua.c; VADER's
** rules in vader.c and vader_words.c; the lexicon in lexicon.c; the
** corpus workers in sent_corpus.c.
*/
#define _GNU_SOURCE         /* dladdr */
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sent_config.h"
#include "sent_env.h"
#include "sent_plugin.h"
#include "vader_words.h"

#define SENT_VERSION "1.0.0"

sent_plugin sent_g;

/* ------------------------------------------------------------------------
** The default lexicon
*/

const char *sent_howto(void) {
  return "CMake fetches it when it configures the build, from the npm "
         "package vader-sentiment@" SENT_NPM_VERSION ", if npm is installed: "
         "run `sh .ci/setup` in the source tree (or apt-get install npm), "
         "then `cmake -S <source> -B <build>` again; by hand: `npm pack "
         "vader-sentiment@" SENT_NPM_VERSION " && tar xzf vader-sentiment-"
         SENT_NPM_VERSION ".tgz package/vader_lexicon.txt`, then put "
         "vader_lexicon.txt beside sentiment.so or set " SENT_LEXICON_ENV
         " to its path (or pass sentiment.new{lexicon = path})";
}

const char *sent_default_path(char *buf, size_t cap) {
  const char *env = getenv(SENT_LEXICON_ENV), *slash;
  Dl_info info;
  if (env && *env) {
    snprintf(buf, cap, "%s", env);
    return buf;
  }
  if (!dladdr((void *)sent_default_path, &info) || !info.dli_fname) {
    snprintf(buf, cap, "the plugin's own path is unknown");
    return NULL;
  }
  slash = strrchr(info.dli_fname, '/');
  if (!slash) snprintf(buf, cap, "%s", SENT_LEXICON_FILE);
  else
    snprintf(buf, cap, "%.*s/%s", (int)(slash - info.dli_fname),
             info.dli_fname, SENT_LEXICON_FILE);
  return buf;
}

/* ------------------------------------------------------------------------
** Entry points
*/

static int sent_open(lector_ctx *ctx, const lector_host *h, char **err) {
  sent_env env;
  sent_g.host = h;
  sent_g.ctx = ctx;
  env.alloc = h->alloc;
  env.realloc = h->realloc;
  env.free = h->free;
  env.errorf = h->errorf;
  env.interrupted = h->interrupted;
  sent_env_set(&env);
  return h->register_module(ctx, "sentiment", sent_luaopen, err);
}

/* Every plugin is open: find the tokenize service.  Without it the module
** stays, and says what is missing when used. */
static int sent_ready(lector_ctx *ctx, char **err) {
  char *e = NULL;
  const lector_tokenizer_api *tok = sent_g.host->require(
      ctx, LECTOR_TOKENIZER_SERVICE, LECTOR_TOKENIZER_VERSION, &e);
  (void)err;
  if (tok && (sent_g.opts = vw_opts_new(tok, &e)) != NULL) {
    sent_g.tok = tok;
    return LECTOR_OK;
  }
  snprintf(sent_g.tok_error, sizeof sent_g.tok_error,
           "the tokenize plugin is needed: %s", e ? e : "not loaded");
  sent_g.host->free(e);
  sent_g.host->log(ctx, LECTOR_LOG_WARN, "%s", sent_g.tok_error);
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
