/* wordcount.c -- words per group of documents, counted on all cores. */
#include <lector/kit.h>

LK_DEFINE

/* One worker's counts: count[g] words in group g (or count[0]). */
typedef struct worker {
  const lector_groups *groups;   /* NULL: no `by`, one total */
  uint64_t *count;
} worker;

static uint64_t count_words(const char *s, size_t n) {
  uint64_t words = 0;
  int in_word = 0;
  for (size_t i = 0; i < n; i++) {
    unsigned char ch = (unsigned char)s[i];
    int w = ch >= 0x80 || (ch >= '0' && ch <= '9') ||
            ((ch | 0x20) >= 'a' && (ch | 0x20) <= 'z');
    words += w && !in_word;
    in_word = w;
  }
  return words;
}

/* Document i on a worker thread: its words go to each of its groups. */
static int count_doc(void *ctx, size_t i, const lector_text *t, char **err) {
  worker *w = ctx;
  uint64_t n = count_words(t->data, t->len);
  (void)err;
  if (!w->groups) w->count[0] += n;
  else
    for (size_t x = w->groups->first[i]; x < w->groups->first[i + 1]; x++)
      w->count[w->groups->member[x]] += n;
  return LECTOR_OK;
}

/* wordcount.count(corpus [, {by = key_or_fn, threads = n}]) -> the number
** of words, or with `by` {key = words} in corpus:group_by's order. */
static int l_count(lua_State *L) {
  static const char *const known[] = {"by", "threads", NULL};
  const char *fname = "wordcount.count";
  lector_corpus *c = lk_host->corpus_check(L, 1, fname);
  lk_opt_check(L, 2, fname, known, NULL);
  int threads = lk_opt_threads(L, 2, fname);
  lua_settop(L, 2);
  lk_guard *g = lk_guard_new(L);                      /* 3: released on exit */
  c = lk_guard_corpus(L, g, c);         /* a `by` function may close it */
  const lector_groups *groups = NULL;
  size_t ngroups = 1;
  if (lua_type(L, 2) == LUA_TTABLE && lua_getfield(L, 2, "by") != LUA_TNIL) {
    groups = lk_host->group_keys(L, 1, 4, fname);    /* 5: owner, 6: keys */
    ngroups = groups->ngroups ? groups->ngroups : 1;
  }
  int nw = lk_host->pool_workers(threads, lk_host->corpus_count(c));
  worker *w = lk_guard_alloc(L, g, (size_t)nw * sizeof *w);
  void **ctx = lk_guard_alloc(L, g, (size_t)nw * sizeof *ctx);
  uint64_t *count = lk_guard_alloc(L, g, (size_t)nw * ngroups * sizeof *count);
  memset(count, 0, (size_t)nw * ngroups * sizeof *count);
  for (int i = 0; i < nw; i++) {
    w[i] = (worker){groups, count + (size_t)i * ngroups};
    ctx[i] = &w[i];
  }
  lector_pool job = {.struct_size = sizeof job, .corpus = c, .nworkers = nw,
                     .ctx = ctx, .fn = count_doc,
                     .skip = groups ? groups->group : NULL, .label = fname};
  char *err = NULL;
  if (lk_host->doc_pool(&job, &err) != LECTOR_OK)
    return lk_raise(L, fname, err);
  for (int i = 1; i < nw; i++)                        /* sum the workers */
    for (size_t k = 0; k < ngroups; k++) count[k] += w[i].count[k];
  if (!groups) {
    lua_pushinteger(L, (lua_Integer)count[0]);
    return 1;
  }
  lua_createtable(L, 0, (int)groups->ngroups);
  for (size_t k = 0; k < groups->ngroups; k++) {
    lua_rawgeti(L, 6, (lua_Integer)k + 1);            /* the key */
    lua_pushinteger(L, (lua_Integer)count[k]);
    lua_rawset(L, -3);
  }
  lk_host->sorted_pairs(L, -1);
  return 1;
}

static int open_module(lua_State *L) {
  static const luaL_Reg funcs[] = {{"count", l_count}, {NULL, NULL}};
  luaL_newlib(L, funcs);
  return 1;
}

static int wc_open(lector_ctx *ctx, const lector_host *host, char **err) {
  LK_INIT(host);
  return host->register_module(ctx, "wordcount", open_module, err);
}

static const lector_plugin desc = {
  LECTOR_PLUGIN_INIT, "wordcount", "1.0.0",
  "Counts words per group of documents, on all cores", wc_open, NULL, NULL
};

LECTOR_PLUGIN_ENTRY(desc)
