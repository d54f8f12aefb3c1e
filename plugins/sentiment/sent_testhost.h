/*
** sent_testhost.h -- the tokenize service outside a Lector session, for
** the sentiment unit tests and benchmark.
**
** Loads tokenize.so through the plugin ABI (its lector_plugin_v1 entry
** and open()) with a minimal host table: libc memory, no Lua, no
** vocabulary.  Only what the tokenizer's open() and its service use is
** filled in.  Not part of the plugin.
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

/* The host's interrupt flag as the tokenizer sees it. */
void sth_set_interrupted(int on);

#endif
