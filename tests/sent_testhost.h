/*
** sent_testhost.h -- the tokenize service outside a Lector session, for
** the sentiment unit tests and benchmark.
**
** Loads tokenize.so through the plugin ABI (its lector_plugin_v1 entry
** and open()) with a minimal host table: kit.h's default env (malloc),
** no Lua, no vocabulary, never interrupted.  Only what the tokenizer's
** open() and its service use is filled in.  The program linking it
** writes LK_DEFINE once.
*/
#ifndef SENT_TESTHOST_H
#define SENT_TESTHOST_H

#include <stddef.h>

#include "lector/tokenizer.h"

/* The tokenize service of the plugin at path (NULL: $LECTOR_BUILD/plugins/
** tokenize.so, else build/plugins/tokenize.so).  Loaded once per process
** and never unloaded.  NULL with a message in why[0..cap) on failure. */
const lector_tokenizer_api *sth_tokenizer(const char *path, char *why,
                                          size_t cap);

#endif
