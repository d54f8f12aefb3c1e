/*
** tok_api.h -- the tokenize service table (include/lector/tokenizer.h).
*/
#ifndef TOK_API_H
#define TOK_API_H

#include "lector/tokenizer.h"

/* The table the plugin provides as LECTOR_TOKENIZER_SERVICE; immutable. */
extern const lector_tokenizer_api tok_api;

#endif
