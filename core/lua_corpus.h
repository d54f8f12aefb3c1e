/*
** lua_corpus.h -- corpora and documents as Lua userdata.
**
** "lector.corpus" holds a reference to a corpus; "lector.doc" holds a
** reference to its corpus and an index, so a document keeps its corpus
** alive.  Text is read from disk when a script reads doc.text.
*/
#ifndef LECTOR_LUA_CORPUS_H
#define LECTOR_LUA_CORPUS_H

#include <lua.h>

#include "corpus.h"

/* Create the metatables. [-0, +0, m] */
void lcorpus_open(lua_State *L);
/* Push a corpus userdata taking over the reference c. [-0, +1, m] */
void lcorpus_push(lua_State *L, corpus *c);
/* The corpus at idx, or NULL. [-0, +0, -] */
corpus *lcorpus_test(lua_State *L, int idx);
/* The document at idx: its corpus (NULL if not a doc) and index. */
corpus *ldoc_test(lua_State *L, int idx, size_t *index);
/* The text of a string or doc at idx (see lector_host.check_text).
** [-0, +0, e] */
void lcorpus_check_text(lua_State *L, int idx, lector_text *out);
/* Make the table at idx a group table: pairs() walks its keys in order,
** numbers then strings (see lector_host.sorted_pairs). [-0, +0, m] */
void lcorpus_sorted_pairs(lua_State *L, int idx);
/* The open corpus at idx, or an error "<fname>: corpus is closed" /
** "<fname>: expected a corpus, got X".  [-0, +0, v] */
corpus *lcorpus_check(lua_State *L, int idx, const char *fname);
/* Push doc.meta of document i of c (nil past the end). [-0, +1, m] */
void lcorpus_push_meta(lua_State *L, const corpus *c, size_t i);
/* The front-matter value of key in document i, or NULL. */
const char *lcorpus_meta(const corpus *c, size_t i, const char *key);
/* The groups of the corpus at cidx by the `by` value at by, with
** corpus:group_by's semantics and messages prefixed with fname (see
** lector_host.group_keys).  Pushes the userdata owning the result, then
** the sorted list of keys.  [-0, +2, e] */
const lector_groups *lcorpus_groups(lua_State *L, int cidx, int by,
                                    const char *fname);
/* Raise prefix followed by err (a malloc'd message, freed here; NULL means
** out of memory) without leaking err when Lua cannot hold the message.
** Every core binding raises util.h messages this way.  [-0, +1, v] */
int lcorpus_raise(lua_State *L, const char *prefix, char *err);
/* lector.load(path_or_list, opts). [-2, +1, e] */
int lcorpus_load(lua_State *L);
/* corpus:join(path_or_table [, opts]) -> corpus, result
** (lua_corpus_join.c).  [-3, +2, e] */
int lcorpus_join(lua_State *L);

#endif
