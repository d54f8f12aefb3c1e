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
#include "pool.h"
#include "progress.h"
#include "session.h"
#include "util.h"
#include "pack_toks.h"
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

static void host_free_msg(void *p) { host_error_free(p); }

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

/* --- the document pool ------------------------------------------------- */

/* Does job (of the plugin's struct size) have field f? */
#define POOL_HAS(job, f) \
  ((job)->struct_size >= offsetof(lector_pool, f) + sizeof((job)->f))

/* One worker of a doc_pool run: the job and the plugin's context. */
typedef struct doc_worker {
  const lector_pool *job;
  lector_progress *bar;
  void *ctx;
} doc_worker;

/* pool_run's fn: read document i, hand it to the plugin, release it. */
static int pool_doc(void *arg, size_t i, char **err) {
  doc_worker *w = arg;
  const lector_pool *job = w->job;
  lector_text t;
  if (job->skip && job->skip[i] < 0) return LECTOR_OK;
  if (POOL_HAS(job, no_text) && job->no_text) {
    t = (lector_text){"", 0, NULL};
  } else if (host_doc_text(job->corpus, i, &t, err) != LECTOR_OK) {
    if (!job->unreadable) return LECTOR_ERR;
    char *msg = *err;
    *err = NULL;
    return job->unreadable(w->ctx, i, msg, err);
  }
  int rc = job->fn(w->ctx, i, &t, err);
  host_text_release(&t);
  progress_add(w->bar, 1);
  return rc == LECTOR_POOL_STOPPED ? POOL_STOPPED : rc;
}

static void pool_done(void *arg, int failed) {
  doc_worker *w = arg;
  if (w->job->done) w->job->done(w->ctx, failed);
}

static int host_pool_workers(int threads, size_t ndocs) {
  return pool_workers(threads, ndocs);
}

static int host_doc_pool(const lector_pool *job, char **err) {
  doc_worker ws[LECTOR_MAX_THREADS];
  void *ctx[LECTOR_MAX_THREADS];
  if (!job || !POOL_HAS(job, label) || !job->corpus || !job->fn ||
      job->nworkers < 1 || job->nworkers > LECTOR_MAX_THREADS) {
    if (err) *err = host_errorf("doc_pool: malformed job (struct size, "
                                "corpus, fn or nworkers 1..%d)",
                                LECTOR_MAX_THREADS);
    return LECTOR_ERR;
  }
  lector_corpus *c = corpus_retain(job->corpus);
  size_t n = corpus_count(c), todo = n;
  if (job->skip)
    for (size_t i = 0; i < n; i++) todo -= job->skip[i] < 0;
  lector_progress *bar = job->label ? host_progress_begin(job->label, todo)
                                    : NULL;
  for (int w = 0; w < job->nworkers; w++) {
    ws[w] = (doc_worker){job, bar, job->ctx ? job->ctx[w] : NULL};
    ctx[w] = &ws[w];
  }
  pool_job pj = {
    .n = n, .chunk = 1, .ctx = ctx, .nworkers = job->nworkers,
    .fn = pool_doc, .done = pool_done, .interrupted = session_interrupted,
    .errorf = host_errorf, .free = host_free_msg,
  };
  char *msg = NULL;
  int rc = pool_run(&pj, &msg);
  progress_end(bar);
  corpus_release(c);
  if (rc != LECTOR_OK && err) *err = msg;
  else host_error_free(msg);
  return rc;
}

/* --- the table ----------------------------------------------------------- */

/* A plugin's text filter as the corpus sees it: the plugin's messages
** are host memory (host->errorf), corpus_text's are malloc'd. */
typedef struct plugin_filter {
  lector_text_filter f;
} plugin_filter;

static int pf_text(void *ctx, size_t key, const char *in, size_t len,
                   char **out, size_t *out_len, char **err) {
  plugin_filter *p = ctx;
  char *e = NULL;
  int rc = p->f.fn(p->f.ctx, key, in, len, out, out_len, &e);
  if (rc != LECTOR_OK) {
    *err = e ? util_errorf("%s", e) : NULL;
    host_error_free(e);
    if (rc == LECTOR_ENOMEM && !*err) *err = util_errorf("out of memory");
  }
  return rc;
}

static void pf_meta(void *ctx, lua_State *L, size_t key) {
  plugin_filter *p = ctx;
  if (p->f.meta_push) p->f.meta_push(p->f.ctx, L, key);
}

static void pf_free(void *ctx) {
  plugin_filter *p = ctx;
  if (p->f.free) p->f.free(p->f.ctx);
  free(p);
}

/* host->corpus_view: f->ctx is the view's from the call on, so every
** way out that raises before the view exists frees it first. */
static void host_corpus_view(lua_State *L, int cidx, const size_t *idx,
                             size_t n, const lector_text_filter *f,
                             const char *fname) {
  corpus *c = lcorpus_test(L, cidx), *v;
  char *err = NULL;
  size_t bad = SIZE_MAX;
  for (size_t k = 0; c && k < n; k++)
    if (idx[k] >= corpus_count(c)) bad = k;
  if (!c || bad != SIZE_MAX || !f || !f->fn ||
      f->struct_size < offsetof(lector_text_filter, free) + sizeof f->free) {
    if (f && f->free) f->free(f->ctx);
    if (!c) lcorpus_check(L, cidx, fname);        /* raises its message */
    if (bad != SIZE_MAX)
      luaL_error(L, "%s: document %I out of range (the corpus has %I)", fname,
                 (lua_Integer)idx[bad] + 1, (lua_Integer)corpus_count(c));
    luaL_error(L, "%s: malformed text filter (no function, or struct size "
               "%I)", fname, (lua_Integer)(f ? f->struct_size : 0));
  }
  plugin_filter *p = malloc(sizeof *p);
  if (!p) {
    if (f->free) f->free(f->ctx);
    luaL_error(L, "%s: out of memory", fname);
  }
  memset(&p->f, 0, sizeof p->f);
  memcpy(&p->f, f, f->struct_size < sizeof p->f ? f->struct_size : sizeof p->f);
  lector_text_filter wrap = {sizeof wrap, pf_text, pf_meta, p, pf_free};
  if (corpus_view(c, idx, n, &wrap, &v, &err) != 0) lcorpus_raise(L, fname, err);
  lcorpus_push(L, v);
}

static size_t host_doc_key(const lector_corpus *c, size_t i) {
  return corpus_doc_key(c, i);
}

static size_t host_doc_key_limit(const lector_corpus *c) {
  return corpus_key_limit(c);
}

/* --- packed token streams (pack_toks.h) ------------------------------------ */

/* A core message (malloc'd) as a host one. */
static int host_msg(int rc, char *msg, char **err) {
  if (rc != LECTOR_OK && rc != LECTOR_ENOMEM && err)
    *err = host_errorf("%s", UTIL_MSG(msg));
  free(msg);
  return rc;
}

static int host_doc_tokens(const lector_corpus *c, size_t i, uint32_t **ids,
                           size_t *n, size_t *cap, char **err) {
  char *msg = NULL;
  int rc = ptok_corpus_doc(c, i, ids, n, cap, &msg);
  return host_msg(rc, msg, err);
}

static int host_word_postings(const lector_corpus *c, uint32_t id,
                              int (*fn)(void *, size_t, const uint32_t *,
                                        size_t),
                              void *ud, char **err) {
  char *msg = NULL;
  int rc = ptok_corpus_postings(c, id, fn, ud, &msg);
  if (rc != LECTOR_OK && !msg) return rc;       /* fn's own, or no memory */
  return host_msg(rc, msg, err);
}

static int host_word_count(const lector_corpus *c, uint32_t id, uint64_t *n,
                           char **err) {
  char *msg = NULL;
  int rc = ptok_corpus_count(c, id, n, &msg);
  if (rc == LECTOR_ENOTFOUND) return rc;             /* no message */
  return host_msg(rc, msg, err);
}

static int host_doc_token_seek(const lector_corpus *c, size_t i, size_t k,
                               size_t *first, size_t *offset, uint32_t *ids,
                               size_t *n, char **err) {
  char *msg = NULL;
  int rc = ptok_corpus_seek(c, i, k, first, offset, ids, n, &msg);
  if (rc == LECTOR_ENOTFOUND) return rc;             /* no message */
  return host_msg(rc, msg, err);
}

static int host_word_next(const lector_corpus *c, uint32_t id,
                          int (*fn)(void *, const size_t *, const uint32_t *,
                                    size_t),
                          void *ud, char **err) {
  char *msg = NULL;
  int rc = ptok_corpus_next(c, id, fn, ud, &msg);
  if (rc == LECTOR_ENOTFOUND) return rc;             /* no message */
  if (rc != LECTOR_OK && !msg) return rc;       /* fn's own, or no memory */
  return host_msg(rc, msg, err);
}

static const lector_host host = {
  .struct_size = sizeof(lector_host),
  .abi_major = LECTOR_ABI_MAJOR,
  .abi_minor = LECTOR_ABI_MINOR,
  .version = LECTOR_VERSION,
  .alloc = mem_alloc,
  .realloc = mem_realloc,
  .free = host_free_msg,
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
  .corpus_check = lcorpus_check,
  .doc_meta_push = lcorpus_push_meta,
  .doc_meta = lcorpus_meta,
  .group_keys = lcorpus_groups,
  .pool_workers = host_pool_workers,
  .doc_pool = host_doc_pool,
  .corpus_view = host_corpus_view,
  .doc_key = host_doc_key,
  .doc_key_limit = host_doc_key_limit,
  .tokens_words = ptok_corpus_words,
  .tokens_word = ptok_corpus_word,
  .tokens_find = ptok_corpus_find,
  .doc_tokens = host_doc_tokens,
  .word_postings = host_word_postings,
  .doc_token_seek = host_doc_token_seek,
  .word_count = host_word_count,
  .word_next = host_word_next,
};

const lector_host *host_table(void) { return &host; }
