/*
** host.c -- the lector_host table: the functions plugins call.  Most are
** thin adapters over the core modules (mem, vocab, corpus, loader).
*/
#include "host.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "corpus.h"
#include "lua_corpus.h"
#include "mem.h"
#include "output.h"
#include "plugin_loader.h"
#include "progress.h"
#include "session.h"
#include "util.h"
#include "vocab.h"

static char oom_message[] = "out of memory";

/* The message in counted memory (plugins free it with host->free). */
static char *host_verrorf(const char *fmt, va_list ap) {
  char *tmp = util_verrorf(fmt, ap);
  size_t n = tmp ? strlen(tmp) + 1 : 0;
  char *s = tmp ? mem_alloc(n) : NULL;
  if (s) memcpy(s, tmp, n);
  free(tmp);
  return s ? s : oom_message;
}

char *host_errorf(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  char *s = host_verrorf(fmt, ap);
  va_end(ap);
  return s;
}

void host_error_free(char *msg) {
  if (msg != oom_message) mem_free(msg);
}

static int quiet;    /* --quiet: no info messages */

void host_set_quiet(int on) { quiet = on; }

static void host_log(lector_ctx *ctx, int level, const char *fmt, ...) {
  static const char *const names[] = {"debug", "info", "warning", "error"};
  if (level < LECTOR_LOG_DEBUG || level > LECTOR_LOG_ERROR)
    level = LECTOR_LOG_ERROR;
  if (level == LECTOR_LOG_DEBUG && !getenv("LECTOR_DEBUG")) return;
  if (level == LECTOR_LOG_INFO && quiet) return;
  va_list ap;
  va_start(ap, fmt);
  char line[1024];
  vsnprintf(line, sizeof line, fmt, ap);
  va_end(ap);
  fprintf(stderr, "lector: %s: %s: %s\n", loader_ctx_name(ctx), names[level],
          line);
}

static int host_interrupted(void) { return session_interrupted(); }

/* --- corpora ------------------------------------------------------------- */

static lector_corpus *host_corpus_test(lua_State *L, int idx) {
  return lcorpus_test(L, idx);
}

static size_t host_corpus_count(const lector_corpus *c) {
  return corpus_count(c);
}

static int host_doc_info(const lector_corpus *c, size_t i,
                         lector_doc_info *out) {
  const corpus_doc *d = corpus_doc_at(c, i);
  if (!d) return LECTOR_ENOTFOUND;
  out->id = d->id;
  out->path = d->path;
  out->title = d->title;
  if (!corpus_doc_date(d, out->date)) out->date[0] = '\0';
  out->bytes = (size_t)d->bytes;
  return LECTOR_OK;
}

static int host_doc_text(const lector_corpus *c, size_t i, lector_text *out,
                         char **err) {
  char *msg = NULL;
  if (corpus_text(c, i, out, &msg) == 0) return LECTOR_OK;
  if (err) *err = host_errorf("%s", UTIL_MSG(msg));
  free(msg);
  return LECTOR_ERR;
}

static void host_text_release(lector_text *t) {
  if (t && t->owner_) corpus_text_release(t);
}

/* --- progress ------------------------------------------------------------ */

/* A plugin's bar counts documents. */
static lector_progress *host_progress_begin(const char *label, uint64_t total) {
  return progress_begin(label, "docs", total);
}

/* --- outputs -------------------------------------------------------------- */

static lector_output *host_output_open(const char *path,
                                       const char *const *inputs,
                                       size_t ninputs, char **err) {
  char *msg = NULL;
  lector_output *o = output_open(path, inputs, ninputs, &msg);
  if (!o && err) *err = host_errorf("%s", UTIL_MSG(msg));
  free(msg);
  return o;
}

static int host_output_commit(lector_output *o, char **err) {
  char *msg = NULL;
  if (output_commit(o, &msg) == 0) return LECTOR_OK;
  if (err) *err = host_errorf("%s", UTIL_MSG(msg));
  free(msg);
  return LECTOR_ERR;
}

/* --- the table ----------------------------------------------------------- */

static void host_free(void *p) { host_error_free(p); }

static const lector_host host = {
  .struct_size = sizeof(lector_host),
  .abi_major = LECTOR_ABI_MAJOR,
  .abi_minor = LECTOR_ABI_MINOR,
  .version = LECTOR_VERSION,
  .alloc = mem_alloc,
  .realloc = mem_realloc,
  .free = host_free,
  .log = host_log,
  .errorf = host_errorf,
  .register_module = loader_register_module,
  .lua = loader_lua,
  .provide = loader_provide,
  .require = loader_require,
  .interrupted = host_interrupted,
  .vocab_intern = vocab_intern,
  .vocab_lookup = vocab_lookup,
  .vocab_string = vocab_string,
  .vocab_size = vocab_size,
  .corpus_test = host_corpus_test,
  .corpus_retain = corpus_retain,
  .corpus_release = corpus_release,
  .corpus_count = host_corpus_count,
  .doc_info = host_doc_info,
  .doc_text = host_doc_text,
  .text_release = host_text_release,
  .check_text = lcorpus_check_text,
  .doc_test = ldoc_test,
  .progress_begin = host_progress_begin,
  .progress_add = progress_add,
  .progress_end = progress_end,
  .sorted_pairs = lcorpus_sorted_pairs,
  .output_open = host_output_open,
  .output_file = output_file,
  .output_commit = host_output_commit,
  .output_abort = output_abort,
};

const lector_host *host_table(void) { return &host; }
