/*
** test_pool.c -- core/pool.c (the generic parallel loop) and the host's
** document pool built on it (host->doc_pool, host->pool_workers).
*/
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lauxlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "corpus.h"
#include "host.h"
#include "lua_corpus.h"
#include "session.h"
#include "pool.h"
#include "util.h"

#define N 10000

typedef struct wctx {
  unsigned char *seen;      /* shared: seen[i] counts visits of item i */
  size_t items;             /* this worker's */
  int done, failed;
  size_t fail_at;           /* SIZE_MAX: never */
} wctx;

static _Atomic int interrupt_flag;
static int interrupted(void) { return atomic_load(&interrupt_flag); }

static int item(void *arg, size_t i, char **err) {
  wctx *w = arg;
  __atomic_fetch_add(&w->seen[i], 1, __ATOMIC_RELAXED);
  w->items++;
  if (i == w->fail_at) {
    *err = util_errorf("item %zu failed", i);
    return LECTOR_ERR;
  }
  if (i == N / 2 && w->fail_at == SIZE_MAX - 1)
    atomic_store(&interrupt_flag, 1);
  return LECTOR_OK;
}

static void done(void *arg, int failed) {
  wctx *w = arg;
  w->done++;
  w->failed = failed;
}

static char *pool_errorf(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  char *s = util_verrorf(fmt, ap);
  va_end(ap);
  return s;
}

/* Run n items on nw workers with fail_at in each context. */
static int run(int nw, size_t chunk, size_t fail_at, wctx *w,
               unsigned char *seen, char **err) {
  void *ctx[LECTOR_MAX_THREADS];
  memset(seen, 0, N);
  for (int i = 0; i < nw; i++) {
    w[i] = (wctx){.seen = seen, .fail_at = fail_at};
    ctx[i] = &w[i];
  }
  pool_job job = {.n = N, .chunk = chunk, .ctx = ctx, .nworkers = nw,
                  .fn = item, .done = done, .interrupted = interrupted,
                  .errorf = pool_errorf, .free = free};
  return pool_run(&job, err);
}

static void test_every_item_once(void **state) {
  (void)state;
  static unsigned char seen[N];
  wctx w[LECTOR_MAX_THREADS];
  for (int nw = 1; nw <= 8; nw *= 2)
    for (size_t chunk = 0; chunk <= 64; chunk += 7) {
      char *err = NULL;
      assert_int_equal(run(nw, chunk, SIZE_MAX, w, seen, &err), LECTOR_OK);
      assert_null(err);
      size_t total = 0;
      for (int i = 0; i < nw; i++) {
        assert_int_equal(w[i].done, 1);
        assert_int_equal(w[i].failed, 0);
        total += w[i].items;
      }
      assert_int_equal(total, N);
      for (size_t i = 0; i < N; i++) assert_int_equal(seen[i], 1);
    }
}

static void test_first_error_stops(void **state) {
  (void)state;
  static unsigned char seen[N];
  wctx w[4];
  char *err = NULL;
  assert_int_equal(run(4, 1, 100, w, seen, &err), LECTOR_ERR);
  assert_string_equal(err, "item 100 failed");
  free(err);
  size_t total = 0;
  for (int i = 0; i < 4; i++) {
    assert_int_equal(w[i].done, 1);
    total += w[i].items;
  }
  assert_true(total < N);                       /* the others stopped */
}

static void test_interrupt(void **state) {
  (void)state;
  static unsigned char seen[N];
  wctx w[2];
  char *err = NULL;
  atomic_store(&interrupt_flag, 0);
  assert_int_equal(run(2, 1, SIZE_MAX - 1, w, seen, &err), LECTOR_EINTERRUPT);
  assert_string_equal(err, "interrupted");
  free(err);
  assert_true(w[0].failed && w[1].failed);
  atomic_store(&interrupt_flag, 0);
}

/* pool_job.stop: cleared at the start, set by another worker's error, so
** a long item that polls it gives up (POOL_STOPPED, not an error). */
static atomic_int stop_flag;
static atomic_int saw_stop;

static int long_item(void *arg, size_t i, char **err) {
  (void)arg;
  if (i == 1) {
    *err = util_errorf("item 1 failed");
    return LECTOR_ERR;
  }
  for (int k = 0; k < 5000 && !atomic_load(&stop_flag); k++) usleep(1000);
  atomic_store(&saw_stop, atomic_load(&stop_flag));
  return atomic_load(&stop_flag) ? POOL_STOPPED : LECTOR_OK;
}

static int quick_item(void *arg, size_t i, char **err) {
  (void)arg, (void)i, (void)err;
  return LECTOR_OK;
}

static void test_stop_flag(void **state) {
  (void)state;
  void *ctx[2] = {NULL, NULL};
  char *err = NULL;
  pool_job job = {.n = 2, .chunk = 1, .ctx = ctx, .nworkers = 2,
                  .fn = long_item, .stop = &stop_flag,
                  .errorf = pool_errorf, .free = free};
  atomic_store(&stop_flag, 1);                 /* stale: cleared by the run */
  job.fn = quick_item;
  assert_int_equal(pool_run(&job, &err), LECTOR_OK);
  assert_null(err);
  assert_int_equal(atomic_load(&stop_flag), 0);
  job.fn = long_item;                          /* item 0 waits for the stop */
  assert_int_equal(pool_run(&job, &err), LECTOR_ERR);
  assert_string_equal(err, "item 1 failed");   /* POOL_STOPPED is no error */
  free(err);
  assert_int_equal(atomic_load(&stop_flag), 1);
  assert_int_equal(atomic_load(&saw_stop), 1);
}

static void test_workers(void **state) {
  (void)state;
  int cores = pool_cores();
  assert_true(cores >= 1 && cores <= LECTOR_MAX_THREADS);
  assert_int_equal(pool_workers(0, 1000), cores);
  assert_int_equal(pool_workers(3, 1000), 3);
  assert_int_equal(pool_workers(8, 2), 2);
  assert_int_equal(pool_workers(8, 0), 1);
  assert_int_equal(pool_workers(LECTOR_MAX_THREADS, 1000),
                   LECTOR_MAX_THREADS);
}

/* --- the host's document pool over the fixture articles ----------------- */

typedef struct dctx {
  size_t docs, bytes;
  int done;
} dctx;

static int doc_fn(void *arg, size_t i, const lector_text *t, char **err) {
  dctx *d = arg;
  (void)i, (void)err;
  assert_int_equal(t->data[t->len], '\0');
  d->docs++;
  d->bytes += t->len;
  return LECTOR_OK;
}

static void doc_done(void *arg, int failed) {
  dctx *d = arg;
  assert_false(failed);
  d->done++;
}

static void test_doc_pool(void **state) {
  (void)state;
  const char *dir = getenv("LECTOR_FIXTURES");
  if (!dir) skip();
  char path[4096];
  snprintf(path, sizeof path, "%s/articles", dir);
  const char *paths[] = {path};
  corpus_opts o = {.quiet = 1};
  corpus *c;
  char *msg = NULL;
  assert_int_equal(corpus_load(paths, 1, &o, &c, &msg), 0);
  const lector_host *h = host_table();
  size_t n = h->corpus_count(c), want = 0;
  for (size_t i = 0; i < n; i++) {
    lector_doc_info info;
    assert_int_equal(h->doc_info(c, i, &info), LECTOR_OK);
    want += i % 2 ? 0 : info.bytes;
  }
  int32_t *skip = calloc(n, sizeof *skip);
  for (size_t i = 1; i < n; i += 2) skip[i] = -1;
  for (int threads = 0; threads <= 3; threads++) {
    dctx d[LECTOR_MAX_THREADS] = {{0}};
    void *ctx[LECTOR_MAX_THREADS];
    int nw = h->pool_workers(threads, n);
    for (int w = 0; w < nw; w++) ctx[w] = &d[w];
    lector_pool job = {.struct_size = sizeof job, .corpus = c,
                       .nworkers = nw, .ctx = ctx, .fn = doc_fn,
                       .done = doc_done, .skip = skip, .label = "test"};
    char *err = NULL;
    assert_int_equal(h->doc_pool(&job, &err), LECTOR_OK);
    size_t docs = 0, bytes = 0;
    for (int w = 0; w < nw; w++) {
      assert_int_equal(d[w].done, 1);
      docs += d[w].docs;
      bytes += d[w].bytes;
    }
    assert_int_equal(docs, (n + 1) / 2);
    assert_int_equal(bytes, want);
  }
  /* a plugin built before ABI 1.5 (no no_text) still runs; no_text: the
  ** text is not read, fn sees an empty one */
  for (int no_text = 0; no_text <= 1; no_text++) {
    dctx d = {0};
    void *ctx[1] = {&d};
    lector_pool job = {.struct_size = no_text ? sizeof job
                                              : offsetof(lector_pool, no_text),
                       .corpus = c, .nworkers = 1, .ctx = ctx, .fn = doc_fn,
                       .done = doc_done, .no_text = 1};
    char *err = NULL;
    assert_int_equal(h->doc_pool(&job, &err), LECTOR_OK);
    assert_int_equal(d.docs, n);
    if (no_text) assert_int_equal(d.bytes, 0);
    else assert_true(d.bytes > want);   /* read: no_text is past its size */
  }
  lector_pool bad = {.struct_size = sizeof bad, .corpus = c, .nworkers = 0,
                     .fn = doc_fn};
  char *err = NULL;
  assert_int_equal(h->doc_pool(&bad, &err), LECTOR_ERR);
  assert_non_null(strstr(err, "malformed"));
  h->free(err);
  free(skip);
  corpus_release(c);
}

/* --- a document that changed on disk: unreadable, or the first error ------ */

typedef struct uctx {
  size_t docs, unreadable;
  char last[256];
} uctx;

static int count_fn(void *arg, size_t i, const lector_text *t, char **err) {
  (void)i, (void)t, (void)err;
  ((uctx *)arg)->docs++;
  return LECTOR_OK;
}

static int on_unreadable(void *arg, size_t i, char *msg, char **err) {
  uctx *u = arg;
  (void)i, (void)err;
  u->unreadable++;
  snprintf(u->last, sizeof u->last, "%s", msg);
  host_table()->free(msg);
  return LECTOR_OK;
}

static void write_file(const char *path, const char *text) {
  FILE *f = fopen(path, "w");
  assert_non_null(f);
  fputs(text, f);
  assert_int_equal(fclose(f), 0);
}

static void test_doc_pool_unreadable(void **state) {
  (void)state;
  char dir[] = "/tmp/test_pool_XXXXXX", path[64];
  assert_non_null(mkdtemp(dir));
  for (int i = 0; i < 3; i++) {
    snprintf(path, sizeof path, "%s/%d.txt", dir, i);
    write_file(path, "Some words here.\n");
  }
  const char *paths[] = {dir};
  corpus_opts o = {.quiet = 1};
  corpus *c;
  char *msg = NULL;
  assert_int_equal(corpus_load(paths, 1, &o, &c, &msg), 0);
  snprintf(path, sizeof path, "%s/1.txt", dir);
  write_file(path, "Changed since it was loaded, and longer.\n");
  const lector_host *h = host_table();
  uctx u = {0};
  void *ctx[1] = {&u};
  lector_pool job = {.struct_size = sizeof job, .corpus = c, .nworkers = 1,
                     .ctx = ctx, .fn = count_fn, .unreadable = on_unreadable};
  char *err = NULL;
  assert_int_equal(h->doc_pool(&job, &err), LECTOR_OK);
  assert_int_equal(u.docs, 2);
  assert_int_equal(u.unreadable, 1);
  assert_non_null(strstr(u.last, "1.txt"));
  job.unreadable = NULL;                       /* now it stops the run */
  assert_int_not_equal(h->doc_pool(&job, &err), LECTOR_OK);
  assert_non_null(strstr(err, "1.txt"));
  h->free(err);
  corpus_release(c);
  for (int i = 0; i < 3; i++) {
    snprintf(path, sizeof path, "%s/%d.txt", dir, i);
    remove(path);
  }
  rmdir(dir);
}

/* --- metadata and group keys through the host table --------------------- */

static const lector_groups *groups;

/* [corpus, by] -> groups pushed (owner, keys). */
static int l_groups(lua_State *L) {
  groups = host_table()->group_keys(L, 1, 2, "test.groups");
  return 2;
}

static void test_meta_and_groups(void **state) {
  (void)state;
  const char *dir = getenv("LECTOR_FIXTURES");
  if (!dir) skip();
  session *s;
  char *err = NULL;
  session_opts so = {.no_plugins = 1};
  assert_int_equal(session_open(&so, &s, &err), 0);
  lua_State *L = session_lua(s);
  char path[4096];
  snprintf(path, sizeof path, "%s/articles", dir);
  const char *paths[] = {path};
  corpus_opts o = {.quiet = 1};
  corpus *c;
  assert_int_equal(corpus_load(paths, 1, &o, &c, &err), 0);
  const lector_host *h = host_table();
  size_t ferry = SIZE_MAX;
  for (size_t i = 0; i < h->corpus_count(c); i++) {
    lector_doc_info info;
    h->doc_info(c, i, &info);
    if (strstr(info.id, "ferry")) ferry = i;
  }
  assert_true(ferry != SIZE_MAX);
  assert_string_equal(h->doc_meta(c, ferry, "author"), "Ines Calder");
  assert_null(h->doc_meta(c, ferry, "no such key"));
  assert_null(h->doc_meta(c, 999, "author"));
  h->doc_meta_push(L, c, ferry);
  lua_getfield(L, -1, "author");
  assert_string_equal(lua_tostring(L, -1), "Ines Calder");
  lua_getfield(L, -2, "encoding");
  assert_string_equal(lua_tostring(L, -1), "utf-8");
  lua_settop(L, 0);
  lua_pushcfunction(L, l_groups);
  lcorpus_push(L, c);                          /* the userdata owns c now */
  lua_pushliteral(L, "author");
  assert_int_equal(lua_pcall(L, 2, 2, 0), LUA_OK);
  assert_int_equal(groups->ngroups, 1);
  assert_int_equal(groups->group[ferry], 0);
  assert_int_equal(groups->first[ferry + 1] - groups->first[ferry], 1);
  assert_false(groups->multi);
  lua_rawgeti(L, -1, 1);
  assert_string_equal(lua_tostring(L, -1), "Ines Calder");
  lua_settop(L, 0);
  lua_pushcfunction(L, l_groups);
  lcorpus_push(L, corpus_retain(c));
  lua_pushliteral(L, "text");
  assert_int_equal(lua_pcall(L, 2, 2, 0), LUA_ERRRUN);
  assert_non_null(strstr(lua_tostring(L, -1), "test.groups: cannot group "
                                              "by 'text'"));
  lua_settop(L, 0);
  session_close(s);
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_every_item_once),
    cmocka_unit_test(test_first_error_stops),
    cmocka_unit_test(test_interrupt),
    cmocka_unit_test(test_stop_flag),
    cmocka_unit_test(test_workers),
    cmocka_unit_test(test_doc_pool),
    cmocka_unit_test(test_doc_pool_unreadable),
    cmocka_unit_test(test_meta_and_groups),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
