/*
** bench_tokenize.c -- throughput of the tokenize engine against ICU's word
** BreakIterator and a pure-Lua string.gmatch tokenizer, in one process, on
** text already in memory (reading the files is excluded on every side).
**
**   ../shared/bench/make-corpus --source ../shared/corpora/abc \
**       --source ../shared/corpora/state_union --size-mb 200 --out /tmp/c200
**   build/tests/bench_tokenize /tmp/c200 [--runs N] [--no-icu] [--no-lua]
**
** Every job runs on one core, over every document, N times (default 3);
** the best run by thread CPU time is reported (robust on a shared
** machine), with its wall-clock rate beside it.  Jobs:
**   offsets      our tokens (all kinds, punctuation included) as spans,
**                no normalisation, no ids            (target: >= 10x ICU)
**   fold+ids     default options: case folding, NFC, ids from the host's
**                vocabulary (core/vocab.c, as in a session)  (>= 150 MB/s)
**   words+ids    as fold+ids, punctuation dropped (what ngram counts)
**   sentences    our sentence splitter
**   icu          ICU ubrk over UTF-8 (utext_openUTF8), one iterator reused,
**                counting segments whose rule status is a word's
**   lua          string.gmatch("[%w']+") over the same documents
**   lua+fold     the same with :lower() and a Lua table as vocabulary
** It prints MB/s (10^6 bytes), tokens/s, the ratios, and peak RSS.
** --only JOB runs one job (for profiling).
*/
#define _GNU_SOURCE
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include <lauxlib.h>
#include <lua.h>
#include <lualib.h>
#include <unicode/ubrk.h>
#include <unicode/utext.h>

#include "lector/kit.h"
#include "lector/tokenizer.h"
#include "tok_opts.h"
#include "tok_run.h"
#include "vocab.h"

LK_DEFINE              /* the engine's env: malloc unless set below */

/* ------------------------------------------------------------------------
** The corpus in memory
*/

typedef struct doc { size_t off, len; } doc;

static char *arena;
static size_t arena_len, arena_cap;
static doc *docs;
static size_t ndocs, docs_cap;

static int load_one(const char *path, const struct stat *sb, int type,
                    struct FTW *ftw) {
  FILE *f;
  size_t len;
  (void)ftw;
  if (type != FTW_F) return 0;
  len = (size_t)sb->st_size;
  if (arena_len + len + 1 > arena_cap) {
    arena_cap = (arena_len + len + 1) * 2;
    arena = realloc(arena, arena_cap);
  }
  if (ndocs == docs_cap) {
    docs_cap = docs_cap ? docs_cap * 2 : 1024;
    docs = realloc(docs, docs_cap * sizeof *docs);
  }
  if (!arena || !docs) { fprintf(stderr, "out of memory\n"); exit(1); }
  f = fopen(path, "rb");
  if (!f) return 0;
  len = fread(arena + arena_len, 1, len, f);
  fclose(f);
  docs[ndocs].off = arena_len;
  docs[ndocs].len = len;
  ndocs++;
  arena_len += len;
  arena[arena_len++] = '\0';
  return 0;
}

static size_t total_bytes(void) {
  size_t i, t = 0;
  for (i = 0; i < ndocs; i++) t += docs[i].len;
  return t;
}

/* ------------------------------------------------------------------------
** Timing and memory
*/

static double clock_of(clockid_t id) {
  struct timespec ts;
  clock_gettime(id, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static double now(void) { return clock_of(CLOCK_MONOTONIC); }

/* The thread's CPU time: on a shared machine, time spent descheduled does
** not count against a job. */
static double cpu_now(void) { return clock_of(CLOCK_THREAD_CPUTIME_ID); }

static long status_kb(const char *field) {
  FILE *f = fopen("/proc/self/status", "r");
  char line[256];
  long kb = -1;
  size_t n = strlen(field);
  if (!f) return -1;
  while (fgets(line, sizeof line, f))
    if (strncmp(line, field, n) == 0) { kb = atol(line + n + 1); break; }
  fclose(f);
  return kb;
}

typedef struct result {
  const char *name;
  double secs;           /* best CPU time of the runs */
  double wall;           /* wall-clock time of that run */
  size_t tokens;
  long rss_kb;           /* VmRSS after the job */
} result;

static result results[16];
static int nresults;
static int runs = 3;
static const char *only;             /* --only JOB: run just that one */

typedef size_t (*job_fn)(void *ud);

static result *run_job(const char *name, job_fn fn, void *ud) {
  result *r;
  int i;
  if (only && strcmp(only, name) != 0) return NULL;
  r = &results[nresults++];
  r->name = name;
  r->secs = 1e30;
  for (i = 0; i < runs; i++) {
    double t0 = cpu_now(), w0 = now(), dt;
    r->tokens = fn(ud);
    dt = cpu_now() - t0;
    if (dt < r->secs) {
      r->secs = dt;
      r->wall = now() - w0;
    }
  }
  r->rss_kb = status_kb("VmRSS:");
  return r;
}

/* ------------------------------------------------------------------------
** Our jobs
*/

static size_t job_ours(void *ud) {
  const lector_tok_opts *o = ud;
  lector_tok_span sp[1024];
  size_t i, n = 0, got;
  char *err = NULL;
  for (i = 0; i < ndocs; i++) {
    lector_tok_state st;
    if (tok_run_begin(&st, o, arena + docs[i].off, docs[i].len, 0, &err))
      exit(1);
    while ((got = tok_run_next(&st, sp, 1024)) > 0) n += got;
    tok_run_end(&st);
  }
  return n;
}

static size_t job_sentences(void *ud) {
  lector_sent_span sp[256];
  size_t i, n = 0, got;
  char *err = NULL;
  (void)ud;
  for (i = 0; i < ndocs; i++) {
    lector_tok_state st;
    if (tok_run_sent_begin(&st, NULL, arena + docs[i].off, docs[i].len, &err))
      exit(1);
    while ((got = tok_run_sentences(&st, sp, 256)) > 0) n += got;
    tok_run_end(&st);
  }
  return n;
}

/* ------------------------------------------------------------------------
** ICU
*/

static size_t job_icu(void *ud) {
  UErrorCode st = U_ZERO_ERROR;
  UBreakIterator *bi = ubrk_open(UBRK_WORD, "en_US", NULL, 0, &st);
  UText *ut = NULL;
  size_t i, n = 0;
  (void)ud;
  for (i = 0; i < ndocs && U_SUCCESS(st); i++) {
    int32_t b;
    ut = utext_openUTF8(ut, arena + docs[i].off, (int64_t)docs[i].len, &st);
    ubrk_setUText(bi, ut, &st);
    for (b = ubrk_first(bi); (b = ubrk_next(bi)) != UBRK_DONE;)
      if (ubrk_getRuleStatus(bi) >= UBRK_WORD_NONE_LIMIT) n++;
  }
  if (U_FAILURE(st)) { fprintf(stderr, "ICU: %s\n", u_errorName(st)); exit(1); }
  utext_close(ut);
  ubrk_close(bi);
  return n;
}

/* ------------------------------------------------------------------------
** Lua
*/

static lua_State *L;

static const char lua_plain[] =
  "local docs = ... local n = 0\n"
  "for i = 1, #docs do\n"
  "  for w in docs[i]:gmatch(\"[%w']+\") do n = n + 1 end\n"
  "end\n"
  "return n\n";

static const char lua_fold[] =
  "local docs = ... local n, ids, nid = 0, {}, 0\n"
  "for i = 1, #docs do\n"
  "  for w in docs[i]:gmatch(\"[%w']+\") do\n"
  "    w = w:lower() local id = ids[w]\n"
  "    if not id then nid = nid + 1 ids[w] = nid id = nid end\n"
  "    n = n + 1\n"
  "  end\n"
  "end\n"
  "return n\n";

static size_t job_lua(void *ud) {
  const char *chunk = ud;
  size_t n;
  if (luaL_loadstring(L, chunk) != LUA_OK) goto fail;
  lua_getglobal(L, "docs");
  if (lua_pcall(L, 1, 1, 0) != LUA_OK) goto fail;
  n = (size_t)lua_tointeger(L, -1);
  lua_pop(L, 1);
  lua_gc(L, LUA_GCCOLLECT);
  return n;
fail:
  fprintf(stderr, "lua: %s\n", lua_tostring(L, -1));
  exit(1);
}

/* ------------------------------------------------------------------------
** Main
*/

static double mbps(const result *r, size_t bytes) {
  return (double)bytes / 1e6 / r->secs;
}

static const result *find(const char *name) {
  int i;
  for (i = 0; i < nresults; i++)
    if (strcmp(results[i].name, name) == 0) return &results[i];
  return NULL;
}

int main(int argc, char **argv) {
  const char *dir = "/tmp/c200";
  int i, icu = 1, lua = 1;
  size_t bytes;
  double t0;
  lector_tok_config c;
  lector_tok_opts *offsets, *fold, *words;
  char *err = NULL;
  lk_env env = { 0 };

  for (i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--runs") == 0 && i + 1 < argc) runs = atoi(argv[++i]);
    else if (strcmp(argv[i], "--no-icu") == 0) icu = 0;
    else if (strcmp(argv[i], "--no-lua") == 0) lua = 0;
    else if (strcmp(argv[i], "--only") == 0 && i + 1 < argc) only = argv[++i];
    else if (argv[i][0] == '-') {
      fprintf(stderr, "usage: %s [CORPUS_DIR] [--runs N] [--no-icu] "
              "[--no-lua] [--only JOB]\n", argv[0]);
      return 2;
    } else dir = argv[i];
  }
  if (runs < 1) runs = 1;
  t0 = now();
  if (nftw(dir, load_one, 32, FTW_PHYS) != 0 || ndocs == 0) {
    fprintf(stderr, "bench_tokenize: no files under %s (make it with "
            "make-corpus, see the header)\n", dir);
    return 1;
  }
  bytes = total_bytes();
  printf("corpus %s: %zu documents, %.1f MB, loaded in %.2f s (excluded)\n",
         dir, ndocs, (double)bytes / 1e6, now() - t0);
  printf("one core, best of %d runs (thread CPU time); RSS after loading "
         "%ld MB\n\n", runs,
         status_kb("VmRSS:") / 1024);

  env.vocab_intern = vocab_intern;

  lk_env_set(&env);
  tok_config_init(&c, sizeof c);
  c.ids = 0;
  offsets = tok_opts_new(&c, &err);
  tok_config_init(&c, sizeof c);
  fold = tok_opts_new(&c, &err);
  c.punct = 0;
  words = tok_opts_new(&c, &err);

  run_job("offsets", job_ours, offsets);
  run_job("fold+ids", job_ours, fold);
  run_job("words+ids", job_ours, words);
  run_job("sentences", job_sentences, NULL);
  if (icu) run_job("icu", job_icu, NULL);
  if (lua && (!only || strncmp(only, "lua", 3) == 0)) {
    L = luaL_newstate();
    luaL_openlibs(L);
    lua_createtable(L, (int)ndocs, 0);
    for (size_t d = 0; d < ndocs; d++) {
      lua_pushlstring(L, arena + docs[d].off, docs[d].len);
      lua_rawseti(L, -2, (lua_Integer)d + 1);
    }
    lua_setglobal(L, "docs");
    run_job("lua", job_lua, (void *)lua_plain);
    run_job("lua+fold", job_lua, (void *)lua_fold);
  }

  printf("%-10s %9s %12s %13s %9s %11s\n", "job", "MB/s", "tokens",
         "tokens/s", "RSS MB", "wall MB/s");
  for (i = 0; i < nresults; i++) {
    const result *r = &results[i];
    printf("%-10s %9.1f %12zu %13.0f %9ld %11.1f\n", r->name, mbps(r, bytes),
           r->tokens, (double)r->tokens / r->secs, r->rss_kb / 1024,
           (double)bytes / 1e6 / r->wall);
  }
  printf("\nvocabulary: %u strings, %.1f MB\n", vocab_size(),
         (double)vocab_memory() / 1e6);
  printf("peak RSS %ld MB (corpus in memory: %.1f MB)\n\n",
         status_kb("VmHWM:") / 1024, (double)arena_cap / 1e6);
  if (!only) {
    const result *off = find("offsets"), *fi = find("fold+ids"),
                 *ic = find("icu"), *lu = find("lua"), *lf = find("lua+fold");
    printf("offsets vs icu:       %6.1fx  (target >= 10x)\n",
           ic ? ic->secs / off->secs : 0.0);
    printf("fold+ids:             %6.1f MB/s (target >= 150 MB/s)\n",
           mbps(fi, bytes));
    printf("offsets:              %6.1f MB/s (stretch >= 1000 MB/s)\n",
           mbps(off, bytes));
    if (ic) printf("fold+ids vs icu:      %6.1fx\n", ic->secs / fi->secs);
    if (lu) printf("offsets vs lua:       %6.1fx\n", lu->secs / off->secs);
    if (lf) printf("fold+ids vs lua+fold: %6.1fx\n", lf->secs / fi->secs);
  }
  if (L) lua_close(L);
  tok_opts_free(offsets);
  tok_opts_free(fold);
  tok_opts_free(words);
  free(arena);
  free(docs);
  return 0;
}
