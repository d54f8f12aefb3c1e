/*
** tok_api.c -- the C service "tokenize" (include/lector/tokenizer.h): the
** engine's functions in the service table that the plugin provides.
*/
#include "lector/tokenizer.h"
#include "tok_api.h"
#include "tok_lopts.h"
#include "tok_opts.h"
#include "tok_run.h"
#include "tok_tables.h"

/* begin(): every token, normalised only as far as the options need. */
static int api_begin(lector_tok_state *st, const lector_tok_opts *o,
                     const char *text, size_t len, char **err) {
  return tok_run_begin(st, o, text, len, 0, err);
}

const lector_tokenizer_api tok_api = {
  sizeof(lector_tokenizer_api),
  LECTOR_TOKENIZER_VERSION,
  tok_unicode_version,
  tok_config_init,
  tok_opts_new,
  tok_lopts_compile,
  tok_opts_free,
  api_begin,
  tok_run_next,
  tok_run_end,
  tok_run_each,
  tok_run_sent_begin,
  tok_run_sentences,
  tok_run_normalize,
  tok_kind_name,
  tok_opts_key,
};
