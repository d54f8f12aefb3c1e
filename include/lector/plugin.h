/*
** lector/plugin.h -- the one header a Lector plugin needs.
**
** A plugin is a shared object that exports one symbol, LECTOR_ENTRY
** ("lector_plugin_v1"), a function returning a const descriptor.  The host
** checks the file (a complete ELF shared object of this machine whose
** dynamic symbols define the entry) before dlopen, which runs the
** object's ELF constructors (keep a plugin free of them); it then checks
** every field of the descriptor before it calls any plugin function, and
** only then calls open() with a table of host functions.  A plugin never links
** against the host: everything it needs from Lector comes through that
** table; Lua's own lua_* / luaL_* functions resolve from the one shared
** liblua5.4 the host is linked with (a plugin must not carry its own Lua).
**
** Versioning: LECTOR_ABI_MAJOR changes when anything here changes
** incompatibly (the entry symbol carries it, so an old plugin is not even
** found by a new host).  LECTOR_ABI_MINOR grows when fields are appended
** to lector_host; both tables are append-only, and each starts with its
** struct size so either side can tell what the other has.  A plugin built
** against minor M loads in any host whose minor is >= M.
**
** Ownership, stated once for the whole header:
**   - Strings passed to the host are borrowed for the call, except where a
**     field says the host keeps them (descriptor strings, service tables:
**     these must live as long as the plugin is loaded).
**   - Error messages (char **err out-parameters) are made by host->errorf
**     and freed by whoever receives them, with host->free.
**   - Memory from host->alloc is freed with host->free, by anyone.
**   - Nothing longjmps across this interface: functions here report with
**     return codes.  Lua C functions a plugin registers raise ordinary Lua
**     errors (luaL_error), as any Lua C module does.
**
** Threads: every lector_host function is safe to call from any thread,
** except those taking a lua_State, which belong to the Lua thread only.
*/
#ifndef LECTOR_PLUGIN_H
#define LECTOR_PLUGIN_H

#include <stddef.h>
#include <stdint.h>
#include <stdarg.h>
#include <stdio.h>

#include <lua.h>
#include <lauxlib.h>

#define LECTOR_ABI_MAJOR 1
#define LECTOR_ABI_MINOR 7

/* The most worker threads any call uses.  Everywhere a function takes a
** `threads` option, 0 means one per online core (at most this), 1..this
** is that many, and anything else is an error, never clamped. */
#define LECTOR_MAX_THREADS 64

/* Name of the exported entry function; the ABI major is part of it. */
#define LECTOR_ENTRY "lector_plugin_v1"

#if defined(__GNUC__)
#define LECTOR_EXPORT __attribute__((visibility("default")))
#define LECTOR_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define LECTOR_EXPORT
#define LECTOR_PRINTF(f, a)
#endif

typedef struct lector_host lector_host;     /* the host's function table */
typedef struct lector_plugin lector_plugin; /* a plugin's descriptor */
typedef struct lector_ctx lector_ctx;       /* the host's handle for one loaded plugin */
typedef struct lector_corpus lector_corpus; /* a loaded corpus (opaque) */
typedef struct lector_progress lector_progress; /* a progress bar (opaque) */
typedef struct lector_output lector_output; /* a file being written (opaque) */

/* Return codes.  0 is success; anything else comes with a message. */
#define LECTOR_OK 0
#define LECTOR_ERR 1         /* generic failure; see the message */
#define LECTOR_ENOMEM 2      /* the session's memory limit was reached */
#define LECTOR_ENOTFOUND 3   /* no such service, document or module */
#define LECTOR_EVERSION 4    /* a service exists but is too old */
#define LECTOR_EINTERRUPT 5  /* Ctrl-C or a timeout: stop and return */

/* Log levels for host->log. */
#define LECTOR_LOG_DEBUG 0
#define LECTOR_LOG_INFO 1
#define LECTOR_LOG_WARN 2
#define LECTOR_LOG_ERROR 3

/* ------------------------------------------------------------------------
** The descriptor: pure data, checked by the host before any plugin code
** runs.  Fill it with LECTOR_PLUGIN_INIT so the build-time fields are right.
*/
struct lector_plugin {
  size_t struct_size;    /* sizeof(lector_plugin) as the plugin saw it */
  int abi_major;         /* LECTOR_ABI_MAJOR the plugin was built with */
  int abi_minor;         /* LECTOR_ABI_MINOR the plugin was built with */
  int lua_version_num;   /* LUA_VERSION_NUM the plugin was built with */
  size_t lua_numsizes;   /* LUAL_NUMSIZES: sizes of lua_Integer/lua_Number */
  const char *name;      /* short name, [a-z0-9_]+; unique in a session */
  const char *version;   /* the plugin's own version, e.g. "1.2.0" */
  const char *summary;   /* one line for `lector --plugins` */
  /* Called once after the checks pass.  Register Lua modules and provide
  ** services here.  Return LECTOR_OK, or an error code with *err set; then
  ** the plugin is skipped (nothing it registered stays) and closed. */
  int (*open)(lector_ctx *ctx, const lector_host *host, char **err);
  /* Optional (may be NULL): called when every plugin has been opened, so
  ** a plugin can look up services of plugins loaded after it. */
  int (*ready)(lector_ctx *ctx, char **err);
  /* Optional: called at exit after the Lua state is closed, in reverse
  ** load order, just before the shared object is unloaded. */
  void (*close)(lector_ctx *ctx);
};

/* First five fields of a descriptor; use as
**   static const lector_plugin desc = { LECTOR_PLUGIN_INIT,
**     "name", "1.0", "summary", my_open, NULL, NULL };            */
#define LECTOR_PLUGIN_INIT \
  sizeof(lector_plugin), LECTOR_ABI_MAJOR, LECTOR_ABI_MINOR, \
  LUA_VERSION_NUM, LUAL_NUMSIZES

/* Declares the entry point returning desc. */
#define LECTOR_PLUGIN_ENTRY(desc) \
  LECTOR_EXPORT const lector_plugin *lector_plugin_v1(void); \
  LECTOR_EXPORT const lector_plugin *lector_plugin_v1(void) { return &(desc); }

/* ------------------------------------------------------------------------
** Documents.  A corpus is a list of documents, each a file on disk whose
** metadata the host keeps in memory and whose text is read on demand.
*/
typedef struct lector_doc_info {
  const char *id;       /* path relative to the loaded root */
  const char *path;     /* path as opened */
  const char *title;    /* first non-empty line of the body ("" if none) */
  char date[11];        /* "YYYY-MM-DD", or "" when the doc has none */
  size_t bytes;         /* length of the text (UTF-8, header removed) */
} lector_doc_info;      /* strings are owned by the corpus */

typedef struct lector_text {
  const char *data;     /* the document's text, UTF-8 unless raw */
  size_t len;           /* its length in bytes (data[len] is '\0') */
  void *owner_;         /* host-private: release with host->text_release
                           (NULL: borrowed from a Lua string, nothing to do) */
} lector_text;

/* ------------------------------------------------------------------------
** Groups of documents (ABI 1.3): what host->group_keys derives from a
** `by` option, with corpus:group_by's semantics.  Groups are numbered
** 0 .. ngroups-1 in the order pairs() visits corpus:group_by's result
** (numbers, then strings, each ascending).
*/
typedef struct lector_groups {
  size_t ndocs;          /* documents of the corpus */
  size_t ngroups;        /* distinct keys */
  /* group[i]: the group of document i, -1 when its key is nil (the
  ** document is left out); for a document in several groups, its first. */
  const int32_t *group;
  /* Every group of document i: member[first[i] .. first[i + 1]) (one
  ** entry for most documents, none when left out, several when a `by`
  ** function returned a list).  first has ndocs + 1 entries. */
  const size_t *first;
  const int32_t *member;
  int multi;             /* some document is in more than one group */
} lector_groups;

/* ------------------------------------------------------------------------
** The document pool (ABI 1.3): host->doc_pool runs a function over the
** documents of a corpus on several threads.  The host owns the threads,
** hands out documents one at a time from a shared counter, reads each
** document's text and releases it after fn, polls the interrupt flag
** between documents, stops every worker at the first error, and counts
** the documents on one progress bar.
*/

/* Document i with its text (valid during the call), on a worker thread,
** with that worker's ctx.  LECTOR_OK, LECTOR_POOL_STOPPED (this worker
** gave up because another one failed: not an error of its own), or a
** code with *err (host->errorf). */
typedef int (*lector_doc_fn)(void *ctx, size_t i, const lector_text *text,
                             char **err);
#define LECTOR_POOL_STOPPED (-1)

typedef struct lector_pool {
  size_t struct_size;    /* sizeof(lector_pool) as the plugin saw it;
                            fields appended later are read only when it
                            covers them */
  lector_corpus *corpus; /* retained by the pool for the run */
  int nworkers;          /* from host->pool_workers; worker 0 is the
                            calling thread */
  void *const *ctx;      /* ctx[w] for worker w (NULL: all NULL) */
  lector_doc_fn fn;
  /* Optional: once per worker after its last document, failed set when
  ** the run is stopping on an error (then it must not wait for other
  ** workers).  On the worker's thread, or the caller's for a worker whose
  ** thread could not be started. */
  void (*done)(void *ctx, int failed);
  /* Optional: a document whose text cannot be read (it changed, it is
  ** gone).  Given the message (the callee frees it with host->free), it
  ** returns LECTOR_OK to go on with the others or an error code to stop
  ** (then *err).  NULL: the read error stops the run. */
  int (*unreadable)(void *ctx, size_t i, char *msg, char **err);
  /* Optional: documents with skip[i] < 0 are not read (a group array with
  ** -1 for left-out documents fits). */
  const int32_t *skip;
  /* Progress bar label ("ngram.count"), or NULL for no bar. */
  const char *label;
  /* (ABI 1.5) Nonzero when fn does not look at the text (it reads the
  ** document's packed tokens: tokens_words): the host does not read it
  ** and fn gets an empty text, so that a pack's text is never paged in. */
  int no_text;
} lector_pool;

/* ------------------------------------------------------------------------
** Corpus views whose text passes through a plugin (ABI 1.4): what
** host->corpus_view takes.  The view's doc.text is fn's output for the
** text its parent gives; views of views apply their functions in order.
*/
typedef struct lector_text_filter {
  size_t struct_size;    /* sizeof(lector_text_filter) as the plugin saw it */
  /* The text of the document with key (host->doc_key) from in[0..len):
  ** *out a malloc'd replacement of *out_len bytes (the host frees it;
  ** NUL-terminate it), or *out NULL to keep the input.  Any thread, many
  ** at once.  LECTOR_OK, or an error code with *err (host->errorf). */
  int (*fn)(void *ctx, size_t key, const char *in, size_t len, char **out,
            size_t *out_len, char **err);
  /* Optional: add fields to doc.meta of the document with key, a table
  ** at the top of the stack (leave it there).  The Lua thread.
  ** [-0, +0, m] */
  void (*meta_push)(void *ctx, lua_State *L, size_t key);
  void *ctx;             /* owned by the view once host->corpus_view is
                            called: freed by free(ctx) when the view and
                            every subset of it are gone, or at once when
                            corpus_view raises */
  void (*free)(void *ctx);   /* NULL: nothing to free */
} lector_text_filter;

/* ------------------------------------------------------------------------
** The host table.  Append-only: new fields go at the end and raise
** LECTOR_ABI_MINOR.  Check host->struct_size before using a field added
** after the minor you were built with (LECTOR_HOST_HAS).
*/
struct lector_host {
  size_t struct_size;   /* sizeof(lector_host) in the host */
  int abi_major;        /* LECTOR_ABI_MAJOR of the host */
  int abi_minor;        /* LECTOR_ABI_MINOR of the host */
  const char *version;  /* Lector's version string */

  /* --- memory: counted against the session's memory limit ------------- */
  /* Allocate n bytes; NULL when the limit is reached or malloc fails. */
  void *(*alloc)(size_t n);
  /* Resize p (NULL = alloc) to n bytes; NULL on failure, p kept. */
  void *(*realloc)(void *p, size_t n);
  /* Free memory from alloc/realloc/errorf; NULL is fine. */
  void (*free)(void *p);

  /* --- messages --------------------------------------------------------- */
  /* Print a message to stderr, prefixed with the plugin's name. */
  void (*log)(lector_ctx *ctx, int level, const char *fmt, ...)
      LECTOR_PRINTF(3, 4);
  /* Format an error message into host memory (free with host->free).
  ** Never NULL: on allocation failure returns a static "out of memory"
  ** that host->free ignores. */
  char *(*errorf)(const char *fmt, ...) LECTOR_PRINTF(1, 2);

  /* --- Lua modules ------------------------------------------------------ */
  /* Make `require "lector.<name>"` and lector.plugin(name) call openf,
  ** which must push one value (the module table).  Call from open().
  ** Returns LECTOR_OK, or LECTOR_ERR with *err when name is taken. */
  int (*register_module)(lector_ctx *ctx, const char *name,
                         lua_CFunction openf, char **err);
  /* The session's Lua state (the Lua thread only). */
  lua_State *(*lua)(lector_ctx *ctx);

  /* --- C services shared between plugins --------------------------------- */
  /* Publish api under name at version.  api must start with a size_t
  ** struct size and stay valid while the plugin is loaded.  A name can be
  ** provided once per session. */
  int (*provide)(lector_ctx *ctx, const char *name, int version,
                 const void *api, char **err);
  /* Look up a service with at least min_version; the host records that
  ** ctx uses it.  NULL with *err (LECTOR_ENOTFOUND / EVERSION text) when
  ** missing.  Safe to call from open() (for plugins loaded earlier),
  ** ready(), or later. */
  const void *(*require)(lector_ctx *ctx, const char *name, int min_version,
                         char **err);

  /* --- interruption ----------------------------------------------------- */
  /* Nonzero once Ctrl-C was pressed or the session's timeout passed.  Long
  ** loops in C poll this (it is one atomic load) and return
  ** LECTOR_EINTERRUPT; Lua-facing functions then raise an error. */
  int (*interrupted)(void);

  /* --- the shared vocabulary: string <-> id, ids are 1, 2, 3 ... -------- */
  /* Id of the len bytes at s, adding them if new; 0 only on out of memory.
  ** Ids are stable for the session. */
  uint32_t (*vocab_intern)(const char *s, size_t len);
  /* Id of s if known, else 0; never adds. */
  uint32_t (*vocab_lookup)(const char *s, size_t len);
  /* The string of id (owned by the vocabulary, NUL-terminated) and its
  ** length in *len (may be NULL); NULL for an unknown id. */
  const char *(*vocab_string)(uint32_t id, size_t *len);
  /* Number of strings in the vocabulary (the largest id). */
  uint32_t (*vocab_size)(void);

  /* --- corpora and documents -------------------------------------------- */
  /* The corpus at stack index idx, or NULL if that is not a corpus.
  ** The corpus lives as long as that Lua value does. [-0, +0, -] */
  lector_corpus *(*corpus_test)(lua_State *L, int idx);
  /* Take a reference to c, usable from any thread; drop it with
  ** corpus_release.  Use this to keep a corpus across threads. */
  lector_corpus *(*corpus_retain)(lector_corpus *c);
  void (*corpus_release)(lector_corpus *c);
  /* Number of documents in c. */
  size_t (*corpus_count)(const lector_corpus *c);
  /* Metadata of document i (0-based); LECTOR_ENOTFOUND past the end. */
  int (*doc_info)(const lector_corpus *c, size_t i, lector_doc_info *out);
  /* Read the text of document i into out (decoded to UTF-8 as the corpus
  ** was loaded).  Release with text_release.  Thread-safe. */
  int (*doc_text)(const lector_corpus *c, size_t i, lector_text *out,
                  char **err);
  void (*text_release)(lector_text *t);
  /* The text of the value at idx: a string, or a document (a corpus
  ** element), whose text is read.  Raises a Lua error naming the argument
  ** otherwise.  Release with text_release.  [-0, +0, e] */
  void (*check_text)(lua_State *L, int idx, lector_text *out);
  /* If the value at idx is a document, its corpus and index; else NULL.
  ** [-0, +0, -] */
  lector_corpus *(*doc_test)(lua_State *L, int idx, size_t *index);

  /* --- progress (ABI 1.1) ----------------------------------------------- */
  /* Start a progress bar over total documents (0: unknown, a count
  ** without a bar), labelled e.g. "ngram.count".  It is drawn on stderr
  ** only when stderr is a terminal, the user did not ask for quiet, and
  ** the work outlasts a short delay (0.5 s); while another bar is running
  ** (an outer loop) the new one is not drawn.  Returns NULL then, which
  ** the two functions below accept.  Lua thread only. */
  lector_progress *(*progress_begin)(const char *label, uint64_t total);
  /* Count n more documents done.  Any thread, never blocks: an atomic
  ** add, and a redraw at most every 100 ms. */
  void (*progress_add)(lector_progress *p, uint64_t n);
  /* Erase the bar and free p.  Lua thread only, after every thread that
  ** adds to p is done; call it before raising a Lua error too (a bar left
  ** open is taken off the screen when the top-level call returns). */
  void (*progress_end)(lector_progress *p);

  /* --- tables of groups (ABI 1.2) --------------------------------------- */
  /* Give the table at idx (keys: numbers or strings) the metatable of
  ** corpus:group_by's results, whose __pairs walks the keys in order:
  ** numbers, then strings.  [-0, +0, m] */
  void (*sorted_pairs)(lua_State *L, int idx);

  /* --- outputs (ABI 1.3) ------------------------------------------------ */
  /* Every file a plugin writes goes through these: the bytes go to a
  ** temporary beside path, and only a commit whose every write, flush,
  ** fsync and close succeeded renames it over path; on any failure path is
  ** left as it was.  inputs[0..ninputs) are the files the job reads: a
  ** path that is one of them (same file) is refused.  NULL with *err when
  ** path is an input, a folder or a special file, or cannot be created. */
  lector_output *(*output_open)(const char *path, const char *const *inputs,
                                size_t ninputs, char **err);
  /* The stream to write to; write errors are reported by output_commit. */
  FILE *(*output_file)(lector_output *o);
  /* Finish and rename; LECTOR_OK, or LECTOR_ERR with *err naming path.
  ** Frees o either way. */
  int (*output_commit)(lector_output *o, char **err);
  /* Give up: remove the temporary, free o (NULL is fine).  Call it on
  ** every error path between open and commit. */
  void (*output_abort)(lector_output *o);

  /* --- metadata, group keys, the document pool (ABI 1.3) ------------------ */
  /* The open corpus at idx; otherwise raises "<fname>: corpus is closed"
  ** or "<fname>: bad argument ... (corpus expected, got X)".  [-0, +0, v] */
  lector_corpus *(*corpus_check)(lua_State *L, int idx, const char *fname);
  /* Push doc.meta of document i of c: a new table, exactly as a script
  ** sees it (front-matter keys, encoding, utf8, date_source).
  ** [-0, +1, m] */
  void (*doc_meta_push)(lua_State *L, const lector_corpus *c, size_t i);
  /* The front-matter value of key in document i, or NULL (no such key or
  ** document).  Owned by the corpus.  Any thread. */
  const char *(*doc_meta)(const lector_corpus *c, size_t i, const char *key);
  /* Derive the groups of the corpus at corpus_idx by the `by` value at
  ** by_idx, exactly as corpus:group_by(by) does: a field ("date",
  ** "month", "year", "id", "path", "title", "index"), else a front-matter
  ** key, or a function of the document returning a string, a number, nil
  ** (left out) or a list of strings/numbers (one group each).  Errors name
  ** fname, with corpus:group_by's wording: a bad `by` ("text", "meta",
  ** "bytes", "", not a string or function), a bad key, a NaN key, the
  ** corpus closed by the function.  Pushes a userdata owning the result
  ** (keep it on the stack while using the struct), then the list of keys
  ** (keys[g + 1] is group g's key).  [-0, +2, e] */
  const lector_groups *(*group_keys)(lua_State *L, int corpus_idx,
                                     int by_idx, const char *fname);
  /* Workers the pool uses for `threads` (0: all cores; 1 ..
  ** LECTOR_MAX_THREADS) over ndocs documents: never more than ndocs,
  ** at least 1.  Size ctx arrays with it. */
  int (*pool_workers)(int threads, size_t ndocs);
  /* Run job (see lector_pool) and return when every worker is done.  The
  ** Lua thread only; it does not touch the Lua state, so fn must not
  ** either.  LECTOR_OK, or the first error with *err: LECTOR_EINTERRUPT,
  ** a text that cannot be read (without `unreadable`), fn's, LECTOR_ERR
  ** (a thread could not start; job malformed). */
  int (*doc_pool)(const lector_pool *job, char **err);

  /* --- corpus views (ABI 1.4) ----------------------------------------------- */
  /* Push a new corpus holding documents idx[0..n) (0-based, in that order)
  ** of the open corpus at corpus_idx, whose text passes through f (copied;
  ** f->ctx is the view's from now on, see lector_text_filter).  A bad
  ** index or a closed corpus raises, naming fname.  doc.bytes and
  ** doc.title stay the parent's.  [-0, +1, e] */
  void (*corpus_view)(lua_State *L, int corpus_idx, const size_t *idx,
                      size_t n, const lector_text_filter *f,
                      const char *fname);
  /* A key for document i of c that stays the same in every corpus that
  ** holds the document (subsets, groups, views), below
  ** doc_key_limit(c).  Any thread. */
  size_t (*doc_key)(const lector_corpus *c, size_t i);
  size_t (*doc_key_limit)(const lector_corpus *c);

  /* --- packed token streams (ABI 1.5) ------------------------------------ */
  /* A pack (lector.pack) may hold every document's tokens for one set of
  ** tokenizer options, as ids into the pack's own word list (0, 1, ...
  ** in the order words first occur; not the session vocabulary), and a
  ** positional index.  A plugin that would tokenize with options whose
  ** opts_key (tokenizer.h) is key asks tokens_words(c, key): the number
  ** of words in that list when every document of c comes from one pack
  ** whose tokens were made with those options and no text filter (a
  ** view) changes its text; 0 otherwise, and then it tokenizes the text
  ** as before.  The functions below are only for such a corpus.  Any
  ** thread. */
  size_t (*tokens_words)(const lector_corpus *c, const char *key);
  /* The normalised form of word id (NUL-terminated, in the pack) and
  ** its length in *len (may be NULL); NULL past the end. */
  const char *(*tokens_word)(const lector_corpus *c, uint32_t id,
                             size_t *len);
  /* The id of the normalised word s[0..len), or UINT32_MAX when the
  ** pack has no such word. */
  uint32_t (*tokens_find)(const lector_corpus *c, const char *s, size_t len);
  /* Document i's tokens, in order, into (*ids)[0 .. *n): every token
  ** the tokenizer's each() gives, those with an empty normalised form
  ** included.  *ids is grown with host->realloc to *cap entries (start
  ** with NULL and 0, free with host->free).  LECTOR_OK, LECTOR_ENOMEM,
  ** or LECTOR_ERR with *err naming the pack and section (a damaged
  ** stream). */
  int (*doc_tokens)(const lector_corpus *c, size_t i, uint32_t **ids,
                    size_t *n, size_t *cap, char **err);
  /* The documents of c that hold word id, from the positional index:
  ** fn(ud, i, pos, npos) for each, with i its index in c and pos[0 ..
  ** npos) the word's positions (0-based indices into doc_tokens's
  ** stream, ascending), in the pack's document order.  fn returns 0 to
  ** go on; anything else stops the walk and is returned.  LECTOR_OK,
  ** fn's value, LECTOR_ENOMEM, or LECTOR_ERR with *err (a damaged
  ** index). */
  int (*word_postings)(const lector_corpus *c, uint32_t id,
                       int (*fn)(void *ud, size_t i, const uint32_t *pos,
                                 size_t npos),
                       void *ud, char **err);

  /* --- token checkpoints (ABI 1.6) ---------------------------------------- */
  /* Where to start tokenizing document i of c (a corpus as above) to
  ** reach its token k (an index into doc_tokens's stream) without
  ** tokenizing what comes before it: the pack keeps the byte offset of
  ** every K-th token (K = 16 now; the "TOFF" section).  *first gets the
  ** index of the nearest such token at or before k (first <= k, k -
  ** first < K) and *offset its byte offset in the document's text; and
  ** ids[0 .. *n) the ids of tokens first, first + 1, ... from the
  ** stream (on entry *n is how many ids has room for; on return how
  ** many were given: fewer only at the end of the document), so that a
  ** caller can check that tokenizing text + *offset gives the stream's
  ** tokens (it may not: a token can depend on the character before it,
  ** such as '#' after a letter; then tokenize the document whole).
  ** LECTOR_OK; LECTOR_ENOTFOUND when the pack keeps no checkpoint for
  ** the document (a pack made before them, a document of more than
  ** 2^32 / 5 tokens) or k is past its last token: tokenize it whole;
  ** LECTOR_ERR with *err naming the pack, section and document (damaged
  ** checkpoints or tokens).  Any thread. */
  int (*doc_token_seek)(const lector_corpus *c, size_t i, size_t k,
                        size_t *first, size_t *offset, uint32_t *ids,
                        size_t *n, char **err);
  /* (ABI 1.6) How many of c's tokens are word id, from the pack's index
  ** (no stream read), into *n; with id UINT32_MAX, how many tokens c has
  ** (every word's, those with an empty normalised form included).
  ** LECTOR_OK; LECTOR_ENOTFOUND (no message) when c is not a whole pack
  ** (not packed, or a view of some of its documents: count the streams
  ** instead) or has no word id; LECTOR_ERR with *err (a damaged POFF
  ** entry).  Any thread. */
  int (*word_count)(const lector_corpus *c, uint32_t id, uint64_t *n,
                    char **err);

  /* --- successor lists (ABI 1.7) ------------------------------------------ */
  /* The word after each occurrence of word id in c's documents, from the
  ** pack's successor lists (the "NEXT" section), so that a bigram count
  ** reads one word's occurrences at a time instead of every stream:
  ** fn(ud, doc, next, n) for the occurrences in turn, in pieces of at
  ** most a few thousand, with doc[k] the index in c of occurrence k's
  ** document (documents in the pack's order; a document not in c is left
  ** out) and next[k] the id of the token after it in that document's
  ** stream (doc_tokens), UINT32_MAX when it is the document's last.  fn
  ** returns 0 to go on; anything else stops the walk and is returned.
  ** LECTOR_OK; fn's value; LECTOR_ENOTFOUND (no message) when c has no
  ** such lists (not packed, or a pack made before them); LECTOR_ENOMEM;
  ** LECTOR_ERR with *err naming the pack, section and word (damaged
  ** lists).  Any thread. */
  int (*word_next)(const lector_corpus *c, uint32_t id,
                   int (*fn)(void *ud, const size_t *doc,
                             const uint32_t *next, size_t n),
                   void *ud, char **err);
};

/* ------------------------------------------------------------------------
** Userdata in the REPL.  A value a plugin returns (a userdata with a
** metatable) can take part in the REPL through three metafields, read raw
** from its metatable; all are optional:
**   __summary  function(value) -> string: the long, multi-line form shown
**              when the value is the result of a line at the prompt
**              (trailing newlines dropped; it must return a string, and may
**              raise: the REPL reports the error and goes on).  Inside a
**              table the one-line __tostring is preferred.
**   __methods  a table name -> function: when __index is a function (so
**              the REPL cannot look without running code), these names are
**              completed after `value:` and `value.`, and looked up to
**              complete further.  __index should serve the same methods.
**   __fields   a list {"name", ...} of the fields __index gives: completed
**              after `value.`.
** The REPL never calls __index to complete.  lector.corpus and lector.doc
** use all three; so should every userdata type of a plugin.
*/

/* True when the host table has field f (added at some minor version). */
#define LECTOR_HOST_HAS(host, f) \
  ((host)->struct_size >= offsetof(lector_host, f) + sizeof((host)->f))

/* Entry point type. */
typedef const lector_plugin *(*lector_entry_fn)(void);

#endif
