/*
** cl_lua.c -- require "lector.clean": the module table, vocabularies
** (clean.vocab) and clean.unglue.  Boilerplate is in cl_lua_bp.c,
** duplicates in cl_lua_dup.c, clean.apply in cl_lua_apply.c.
*/
#include <string.h>

#include "lector/kit.h"
#include "cl_config.h"
#include "cl_plugin.h"

#define CL_VOCAB_MT "lector.clean.vocab"

void cl_need_tok(lua_State *L, const char *fname) {
  if (!cl_g.tok)
    luaL_error(L, "%s: %s", fname,
               cl_g.tok_error[0] ? cl_g.tok_error : "tokenize is not ready");
}

/* ------------------------------------------------------------------------
** Vocabularies
*/

void cl_vocab_free(void *p) {
  cl_vocab *v = p;
  if (!v) return;
  lk_free(v->count);
  lk_free(v);
}

/* A new empty vocabulary (raises on out of memory).  [-0, +0, v] */
static cl_vocab *vocab_new(lua_State *L, lk_guard *g) {
  cl_vocab *v = lk_guard_alloc(L, g, sizeof *v);
  memset(v, 0, sizeof *v);
  g->slot[g->n - 1].release = cl_vocab_free;
  v->min_count = CL_GLUE_MIN_COUNT;
  return v;
}

/* count[id] += c, growing the array.  0, or -1 out of memory. */
static int vocab_add(cl_vocab *v, size_t *cap, uint32_t id, uint64_t c) {
  if (id >= v->n) {
    uint32_t *p = lk_grow(v->count, cap, (size_t)id + 1, sizeof *p);
    if (!p) return -1;
    memset(p + v->n, 0, (*cap - v->n) * sizeof *p);
    v->count = p;
    v->n = *cap;
  }
  uint64_t s = v->count[id] + c;
  v->count[id] = s > UINT32_MAX ? UINT32_MAX : (uint32_t)s;
  v->total += c;
  return 0;
}

/* One counting worker: its own array. */
typedef struct counter {
  cl_vocab v;
  size_t cap;
  int oom;
} counter;

static int count_word(void *ud, const lector_tok_span *span, const char *norm,
                      size_t len) {
  counter *w = ud;
  (void)norm;
  (void)len;
  if (span->id && vocab_add(&w->v, &w->cap, span->id, 1)) w->oom = 1;
  return w->oom;
}

static int count_doc(void *ctx, size_t i, const lector_text *t, char **err) {
  counter *w = ctx;
  (void)i;
  int rc = cl_g.tok->each(cl_g.count, t->data, t->len, count_word, w, err);
  if (w->oom) {
    *err = lk_errorf("out of memory counting words (%zu distinct)", w->v.n);
    return LECTOR_ENOMEM;
  }
  return rc;
}

static void counters_free(void *p) {
  counter *w = p;
  for (size_t k = 0; k < LECTOR_MAX_THREADS && w[k].cap != SIZE_MAX; k++)
    lk_free(w[k].v.count);
  lk_free(w);
}

/* The unigrams of corpus c into v.  [-0, +0, v] */
static void vocab_count(lua_State *L, lk_guard *g, cl_vocab *v,
                        lector_corpus *c, int threads, const char *fname) {
  size_t n = lk_host->corpus_count(c), cap = 0;
  int nw = lk_host->pool_workers(threads, n);
  counter *w = lk_guard_alloc(L, g, (LECTOR_MAX_THREADS + 1) * sizeof *w);
  void **ctx = lk_guard_alloc(L, g, (size_t)nw * sizeof *ctx);
  memset(w, 0, (LECTOR_MAX_THREADS + 1) * sizeof *w);
  w[nw].cap = SIZE_MAX;                           /* the end mark */
  g->slot[g->n - 2].release = counters_free;
  for (int k = 0; k < nw; k++) ctx[k] = &w[k];
  lector_pool job = {.struct_size = sizeof job, .corpus = c, .nworkers = nw,
                     .ctx = ctx, .fn = count_doc, .label = fname};
  char *err = NULL;
  if (n && lk_host->doc_pool(&job, &err) != LECTOR_OK)
    lk_raise(L, fname, err);
  for (int k = 0; k < nw; k++)
    for (size_t id = 0; id < w[k].v.n; id++)
      if (w[k].v.count[id] && vocab_add(v, &cap, (uint32_t)id,
                                        w[k].v.count[id]))
        luaL_error(L, "%s: out of memory (vocabulary of %zu words)", fname,
                   v->n);
}

/* Add the pair word (at -2), count (at -1) of a vocabulary table.
** [-0, +0, v] */
static void vocab_pair(lua_State *L, cl_vocab *v, size_t *cap,
                       const char *fname) {
  char buf[CL_GLUE_MAX_LEN + 1];
  int ok = 0;
  lua_Integer c = lua_tointegerx(L, -1, &ok);
  if (lua_type(L, -2) != LUA_TSTRING)
    luaL_error(L, "%s: opts.vocab: keys must be words, got %s", fname,
               lk_describe(L, -2));
  if (lua_type(L, -1) != LUA_TNUMBER || !ok || c < 0) {
    const char *w = lua_tostring(L, -2);
    luaL_error(L, "%s: opts.vocab: the count of \"%s\" must be a "
               "non-negative integer, got %s", fname, w, lk_describe(L, -1));
  }
  size_t n;
  const char *s = lua_tolstring(L, -2, &n);
  if (n == 0 || n > CL_GLUE_MAX_LEN || memchr(s, ' ', n)) return;
  for (size_t i = 0; i < n; i++)
    buf[i] = (char)(s[i] >= 'A' && s[i] <= 'Z' ? s[i] + 32 : s[i]);
  uint32_t id = lk_host->vocab_intern(buf, n);
  if (!id || vocab_add(v, cap, id, (uint64_t)c))
    luaL_error(L, "%s: out of memory (vocabulary of %zu words)", fname,
               v->n);
}

/* The word counts of the table (or __pairs object: an ngram count table)
** at idx into v.  Grams with spaces are skipped.  [-0, +0, v] */
static void vocab_table(lua_State *L, cl_vocab *v, int idx,
                        const char *fname) {
  size_t cap = 0;
  idx = lua_absindex(L, idx);
  if (luaL_getmetafield(L, idx, "__pairs") != LUA_TNIL) {
    lua_pushvalue(L, idx);
    lua_call(L, 1, 3);                              /* f, s, control */
    for (;;) {
      lua_pushvalue(L, -3);
      lua_pushvalue(L, -3);
      lua_pushvalue(L, -3);
      lua_call(L, 2, 2);
      if (lua_isnil(L, -2)) break;
      vocab_pair(L, v, &cap, fname);
      lua_pop(L, 1);                                /* the key stays */
      lua_replace(L, -2);
    }
    lua_pop(L, 5);
    return;
  }
  if (!lua_istable(L, idx))
    luaL_error(L, "%s: opts.vocab: expected a count table (ngram.count, "
               "clean.vocab or {word = count}), got %s", fname,
               lk_describe(L, idx));
  lua_pushnil(L);
  while (lua_next(L, idx)) {
    vocab_pair(L, v, &cap, fname);
    lua_pop(L, 1);
  }
}

/* A copy of a vocabulary userdata's counts.  [-0, +0, v] */
static void vocab_copy(lua_State *L, cl_vocab *v, const cl_vocab *from) {
  v->count = from->n ? lk_alloc(from->n * sizeof *v->count) : NULL;
  if (from->n && !v->count) luaL_error(L, "out of memory");
  if (from->n) memcpy(v->count, from->count, from->n * sizeof *v->count);
  v->n = from->n;
  v->total = from->total;
}

cl_vocab *cl_lua_vocab(lua_State *L, lk_guard *g, int vidx,
                       lector_corpus *c, int threads, const char *fname) {
  cl_vocab *v = vocab_new(L, g);
  cl_vocab **ud = lua_isnoneornil(L, vidx)
                      ? NULL : luaL_testudata(L, vidx, CL_VOCAB_MT);
  if (ud && *ud) vocab_copy(L, v, *ud);
  else if (ud) luaL_error(L, "%s: opts.vocab: the vocabulary is closed", fname);
  else if (!lua_isnoneornil(L, vidx)) vocab_table(L, v, vidx, fname);
  else if (c) vocab_count(L, g, v, c, threads, fname);
  else
    luaL_error(L, "%s: opts.vocab is needed for a string (an ngram count "
               "table, clean.vocab(corpus) or {word = count})", fname);
  return v;
}

static int vocab_gc(lua_State *L) {
  cl_vocab **ud = luaL_checkudata(L, 1, CL_VOCAB_MT);
  cl_vocab_free(*ud);
  *ud = NULL;
  return 0;
}

static cl_vocab *vocab_check(lua_State *L) {
  cl_vocab **ud = luaL_checkudata(L, 1, CL_VOCAB_MT);
  if (!*ud) luaL_error(L, "clean.vocab: the vocabulary is closed");
  return *ud;
}

/* v:get(word) -> count.  [-0, +1, v] */
static int vocab_get(lua_State *L) {
  cl_vocab *v = vocab_check(L);
  size_t n;
  const char *s = luaL_checklstring(L, 2, &n);
  lua_pushinteger(L, (lua_Integer)cl_vocab_count(v, s, n));
  return 1;
}

/* v:total() -> the number of words counted.  [-0, +1, v] */
static int vocab_total(lua_State *L) {
  lua_pushinteger(L, (lua_Integer)vocab_check(L)->total);
  return 1;
}

static int vocab_tostring(lua_State *L) {
  cl_vocab **ud = luaL_checkudata(L, 1, CL_VOCAB_MT);
  if (!*ud) lua_pushliteral(L, "clean.vocab (closed)");
  else lua_pushfstring(L, "clean.vocab (%I words counted)",
                       (lua_Integer)(*ud)->total);
  return 1;
}

/* clean.vocab(corpus_or_table [, {threads = n}]) -> a vocabulary: the
** unigrams of a corpus, or of a table word -> count (an ngram count
** table works too), for opts.vocab.  [-0, +1, e] */
static int l_vocab(lua_State *L) {
  static const char *const known[] = {"threads", NULL};
  const char *fname = "clean.vocab";
  lector_corpus *c = lk_host->corpus_test(L, 1);
  lk_opt_check(L, 2, fname, known, NULL);
  int threads = lk_opt_threads(L, 2, fname);
  cl_need_tok(L, fname);
  if (c) c = lk_host->corpus_check(L, 1, fname);
  lua_settop(L, 2);
  lk_guard *g = lk_guard_new(L);                  /* 3 */
  c = lk_guard_corpus(L, g, c);
  if (c) lua_pushnil(L);
  else lua_pushvalue(L, 1);                       /* 4 */
  cl_vocab *v = cl_lua_vocab(L, g, 4, c, threads, fname);
  cl_vocab **ud = lua_newuserdatauv(L, sizeof *ud, 0);
  *ud = NULL;
  luaL_setmetatable(L, CL_VOCAB_MT);
  lk_guard_forget(g, v);
  *ud = v;
  return 1;
}

/* ------------------------------------------------------------------------
** clean.unglue
*/

static void splits_free(void *p) {
  cl_splits *s = p;
  lk_free(s->v);
  lk_free(s);
}

static void buf_free(void *p) {
  cl_buf_free(p);
  lk_free(p);
}

/* The list of splits: { {word =, parts = {...}, offset =}, ... } (offset
** 1-based, in the input).  [-0, +1, m] */
static void push_splits(lua_State *L, const char *text, const cl_splits *sp) {
  lua_createtable(L, sp->n < INT32_MAX ? (int)sp->n : 0, 0);
  for (size_t i = 0; i < sp->n; i++) {
    const cl_split *s = &sp->v[i];
    lua_createtable(L, 0, 3);
    lua_pushlstring(L, text + s->off, s->len);
    lua_setfield(L, -2, "word");
    lua_pushinteger(L, (lua_Integer)s->off + 1);
    lua_setfield(L, -2, "offset");
    lua_createtable(L, s->ncuts + 1, 0);
    size_t from = 0;
    for (size_t j = 0; j <= s->ncuts; j++) {
      size_t to = j < s->ncuts ? s->cut[j] : s->len;
      lua_pushlstring(L, text + s->off + from, to - from);
      lua_rawseti(L, -2, (lua_Integer)j + 1);
      from = to;
    }
    lua_setfield(L, -2, "parts");
    lua_rawseti(L, -2, (lua_Integer)i + 1);
  }
}

/* clean.unglue(text_or_doc [, {vocab =, min_count =, splits = false,
** threads =}]) -> text [, splits].  [-0, +1|2, e] */
static int l_unglue(lua_State *L) {
  static const char *const known[] = {"vocab", "min_count", "splits",
                                      "threads", NULL};
  const char *fname = "clean.unglue";
  size_t di;
  lector_corpus *c = lk_host->doc_test(L, 1, &di);
  lk_opt_check(L, 2, fname, known, NULL);
  lua_Integer minc = lk_opt_integer(L, 2, fname, "min_count",
                                    CL_GLUE_MIN_COUNT, 1, UINT32_MAX);
  int want = lk_opt_boolean(L, 2, fname, "splits", 0);
  int threads = lk_opt_threads(L, 2, fname);
  cl_need_tok(L, fname);
  lua_settop(L, 2);
  lk_guard *g = lk_guard_new(L);                  /* 3 */
  lector_text *t = lk_guard_text(L, g);
  lk_host->check_text(L, 1, t);
  c = lk_guard_corpus(L, g, c);
  if (lua_type(L, 2) == LUA_TTABLE) lua_getfield(L, 2, "vocab");
  else lua_pushnil(L);                            /* 4 */
  cl_vocab *v = cl_lua_vocab(L, g, 4, c, threads, fname);
  v->min_count = (unsigned)minc;
  cl_splits *sp = lk_guard_alloc(L, g, sizeof *sp);
  memset(sp, 0, sizeof *sp);
  g->slot[g->n - 1].release = splits_free;
  cl_buf *out = lk_guard_alloc(L, g, sizeof *out);
  memset(out, 0, sizeof *out);
  g->slot[g->n - 1].release = buf_free;
  char *err = NULL;
  if (cl_glue_scan(cl_g.tok, cl_g.glue, v, t->data, t->len, sp, &err) ||
      cl_glue_apply(t->data, t->len, sp->v, sp->n, out, &err))
    return lk_raise(L, fname, err);
  lua_pushlstring(L, out->p, out->n);
  if (!want) return 1;
  push_splits(L, t->data, sp);
  return 2;
}

/* ------------------------------------------------------------------------
** The module
*/

int cl_luaopen(lua_State *L) {
  static const luaL_Reg vmeta[] = {
    {"__gc", vocab_gc}, {"__close", vocab_gc}, {"__tostring", vocab_tostring},
    {NULL, NULL}};
  static const luaL_Reg vmethods[] = {
    {"get", vocab_get}, {"total", vocab_total}, {"close", vocab_gc},
    {NULL, NULL}};
  static const luaL_Reg funcs[] = {
    {"boilerplate", cl_lua_boilerplate}, {"duplicates", cl_lua_duplicates},
    {"unglue", l_unglue}, {"vocab", l_vocab}, {"apply", cl_lua_apply},
    {NULL, NULL}};
  lk_newclass(L, CL_VOCAB_MT, vmeta, vmethods, NULL, NULL);
  luaL_newlib(L, funcs);
  lua_pushliteral(L, CL_VERSION);
  lua_setfield(L, -2, "version");
  return 1;
}
