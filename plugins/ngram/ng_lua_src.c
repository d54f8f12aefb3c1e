/*
** ng_lua_src.c -- the inputs of the Lua functions: sources (corpus, doc,
** string, token list), counting options, the call guard.
*/
#include <inttypes.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ng_buf.h"
#include "lector/kit.h"
#include "ng_lua.h"

/* ------------------------------------------------------------------------
** Sources
*/

int ng_lua_src_text(const ng_lua_src *s, size_t i, lector_text *out,
                 char **err) {
  if (s->corpus) return lk_host->doc_text(s->corpus, s->first + i, out, err);
  memset(out, 0, sizeof *out);              /* borrowed: nothing to release */
  out->data = s->str;
  out->len = s->len;
  return LECTOR_OK;
}

/* ng_docs's run: a corpus on the host's pool; one text here, on worker 0
** (the only one). */
static int src_run(void *ud, lector_pool *pool, char **err) {
  ng_lua_src *s = ud;
  void *ctx = pool->ctx ? pool->ctx[0] : NULL;
  lector_text t;
  int rc;
  if (s->kind == NG_SRC_CORPUS) {
    pool->corpus = s->corpus;
    pool->label = s->label;
    return lk_host->doc_pool(pool, err);
  }
  if (lk_interrupted()) {
    *err = lk_errorf("interrupted");
    rc = LECTOR_EINTERRUPT;
  } else if ((rc = ng_lua_src_text(s, 0, &t, err)) == LECTOR_OK) {
    rc = pool->fn(ctx, 0, &t, err);
    lk_host->text_release(&t);
  }
  if (pool->done) pool->done(ctx, rc != LECTOR_OK);
  return rc;
}

void ng_lua_src_ready(ng_lua_src *s, int threads, const char *fname) {
  s->docs.nworkers = s->kind == NG_SRC_CORPUS
                         ? lk_host->pool_workers(threads, s->docs.ndocs)
                         : 1;
  s->label = fname;
}

/* Can this host and tokenizer tell packed token streams apart? */
static int streams_known(void) {
  const lector_host *h = lk_host;
  return LECTOR_HOST_HAS(h, word_postings) && h->tokens_words &&
         h->tokens_word && h->tokens_find && h->doc_tokens &&
         h->word_postings && ng_tok &&
         ng_tok->struct_size >= offsetof(lector_tokenizer_api, opts_key) +
                                    sizeof ng_tok->opts_key &&
         ng_tok->opts_key;
}

int ng_lua_src_stream(const ng_lua_src *s, ng_tokens *tok) {
  char buf[512], *key = buf;
  size_t n, words;
  tok->pack = NULL;
  tok->pack_first = tok->pack_words = 0;
  if (!s->corpus || tok->stop_opts || tok->sentences || !streams_known())
    return 0;
  n = ng_tok->opts_key(tok->opts, buf, sizeof buf);
  if (n == 0) return 0;
  if (n >= sizeof buf) {                   /* a long key (a stemmer name) */
    if (!(key = lk_alloc(n + 1))) return 0;    /* tokenizing still works */
    ng_tok->opts_key(tok->opts, key, n + 1);
  }
  words = lk_host->tokens_words(s->corpus, key);
  if (key != buf) lk_free(key);
  if (words == 0 || words > UINT32_MAX) return 0;
  tok->pack = s->corpus;
  tok->pack_first = s->first;
  tok->pack_words = words;
  return 1;
}

/* Walking the postings of the k-th word of a phrase: a document keeps
** its mark only if it held the k words before; last[i] follows the
** largest position seen in document i. */
typedef struct index_walk {
  int32_t *mark;
  uint32_t *last;              /* NULL, or the last position per document */
  size_t ndocs;
  int32_t k;
  size_t seen;
} index_walk;

static int on_posting(void *ud, size_t i, const uint32_t *pos, size_t npos) {
  index_walk *x = ud;
  if ((++x->seen & 4095) == 0 && lk_interrupted()) return LECTOR_EINTERRUPT;
  if (i < x->ndocs && x->mark[i] == x->k) x->mark[i] = x->k + 1;
  if (i < x->ndocs && x->last && npos && pos[npos - 1] > x->last[i])
    x->last[i] = pos[npos - 1];
  return 0;
}

int ng_lua_src_index(lua_State *L, const ng_lua_src *s, const ng_tokens *tok,
                     const uint32_t *ids, int n, int32_t *skip,
                     uint32_t *last, const char *fname) {
  size_t nd = s->docs.ndocs, i;
  index_walk x;
  int j, m, k = 0, rc;
  if (!tok->pack || s->kind != NG_SRC_CORPUS) return 0;
  for (j = 0; j < n && !ids[j]; j++) {}
  if (j == n) return 0;                   /* "*" only: every document */
  memset(skip, 0, nd * sizeof *skip);
  if (last) memset(last, 0, nd * sizeof *last);
  x.mark = skip;
  x.last = last;
  x.ndocs = nd;
  x.seen = 0;
  for (j = 0; j < n; j++) {
    const char *w;
    size_t len;
    uint32_t pid;
    char *err = NULL;
    if (!ids[j]) continue;
    for (m = 0; m < j && ids[m] != ids[j]; m++) {}
    if (m < j) continue;                  /* a word seen before */
    w = lk_host->vocab_string(ids[j], &len);
    pid = w ? lk_host->tokens_find(tok->pack, w, len) : UINT32_MAX;
    if (pid == UINT32_MAX) {              /* not in the pack: no document */
      for (i = 0; i < nd; i++) skip[i] = -1;
      return 1;
    }
    x.k = k++;
    rc = lk_host->word_postings(tok->pack, pid, on_posting, &x, &err);
    if (rc == LECTOR_EINTERRUPT && !err) err = lk_errorf("interrupted");
    if (rc != LECTOR_OK) {
      if (!err) err = lk_errorf("out of memory");
      lk_raise(L, fname, err);
    }
  }
  for (i = 0; i < nd; i++) skip[i] = skip[i] == k ? 0 : -1;
  return 1;
}

int ng_lua_src_get(lua_State *L, int idx, ng_lua_src *s) {
  memset(s, 0, sizeof *s);
  s->docs.run = src_run;
  s->docs.ud = s;
  s->docs.nworkers = 1;
  if ((s->corpus = lk_host->corpus_test(L, idx)) != NULL) {
    s->docs.ndocs = lk_host->corpus_count(s->corpus);
    return s->kind = NG_SRC_CORPUS;
  }
  if ((s->corpus = lk_host->doc_test(L, idx, &s->first)) != NULL) {
    s->docs.ndocs = 1;
    return s->kind = NG_SRC_DOC;
  }
  if (lua_type(L, idx) == LUA_TSTRING) {
    s->str = lua_tolstring(L, idx, &s->len);
    s->docs.ndocs = 1;
    return s->kind = NG_SRC_STRING;
  }
  if (lua_type(L, idx) == LUA_TTABLE) {
    s->docs.ndocs = 1;
    return s->kind = NG_SRC_TOKENS;
  }
  return 0;
}

/* The corpus of the value at idx as a source of kind (a corpus or a
** document), or NULL.  [-0, +0, -] */
static lector_corpus *corpus_at(lua_State *L, int idx, int kind) {
  size_t first;
  if (kind == NG_SRC_CORPUS) return lk_host->corpus_test(L, idx);
  if (kind == NG_SRC_DOC) return lk_host->doc_test(L, idx, &first);
  return NULL;
}

void ng_lua_src_hold(lua_State *L, int idx, ng_lua_src *s, ng_guard *g,
                  const char *fname) {
  lector_corpus *c;
  if (s->kind != NG_SRC_CORPUS && s->kind != NG_SRC_DOC) return;
  c = corpus_at(L, idx, s->kind);
  if (!c || c != s->corpus)
    luaL_error(L, "%s: the corpus is closed", fname);
  lk_guard_corpus(L, g->lk, c);
}

void ng_lua_src_push_id(lua_State *L, const ng_lua_src *s, size_t i) {
  lector_doc_info info;
  if (s->corpus &&
      lk_host->doc_info(s->corpus, s->first + i, &info) == LECTOR_OK)
    lua_pushstring(L, info.id);
  else
    lua_pushnil(L);
}

/* ------------------------------------------------------------------------
** The call guard
*/

/* Free what g holds, then g (the kit guard's release).  The workers
** are joined by then. */
static void guard_release(void *p) {
  ng_guard *g = p;
  int i;
  if (ng_tok) {
    ng_tok->opts_free(g->opts);
    ng_tok->opts_free(g->stop_opts);
  }
  ng_count_free_results(&g->job);
  ng_kwic_hits_free(&g->hits);
  for (i = 0; i < 4; i++) lk_free(g->mem[i]);
  for (i = 0; i <= NG_MAX_N; i++) ng_table_free(&g->tab[i]);
  ng_buf_free(&g->buf);
  if (g->spill) ng_spill_free(g->spill);   /* runs and untaken results */
  lk_free(g->spill);
  lk_free(g);
}

ng_guard *ng_guard_new(lua_State *L) {
  lk_guard *k = lk_guard_new(L);
  ng_guard *g = lk_alloc(sizeof *g);
  if (!g) luaL_error(L, "out of memory");
  memset(g, 0, sizeof *g);
  ng_buf_init(&g->buf);
  g->lk = k;
  lk_guard_add(L, k, guard_release, g);
  return g;
}

/* ------------------------------------------------------------------------
** Options
*/

/* The keys counting reads itself (the tokenizer skips them). */
static const char *const count_keys[] = {
  "n", "skip", "min_count", "threads", "by", "stop_mode", "sentences", "ids",
  "memory", "tmpdir", NULL
};

static int in_list(const char *const *list, const char *key) {
  for (; list && *list; list++)
    if (strcmp(*list, key) == 0) return 1;
  return 0;
}

static int is_own(const char *const *extra, const char *key) {
  return in_list(count_keys, key) || in_list(extra, key);
}

/* n: a number or {min, max}.  [-0, +0, v] */
static void read_n(lua_State *L, int idx, const char *fname, ng_spec *sp) {
  int t = lua_getfield(L, idx, "n"), isint, ok = 1;
  lua_Integer a = 1, b = 1;
  if (t == LUA_TNUMBER) {
    a = b = lua_tointegerx(L, -1, &isint);
    ok = isint;
  } else if (t == LUA_TTABLE) {
    lua_rawgeti(L, -1, 1);
    lua_rawgeti(L, -2, 2);
    a = lua_tointegerx(L, -2, &isint);
    ok = isint;
    b = lua_tointegerx(L, -1, &isint);
    ok = ok && isint && lua_rawlen(L, -3) == 2;
    lua_pop(L, 2);
  } else if (t != LUA_TNIL) {
    ok = 0;
  }
  if (!ok || a < 1 || b > NG_MAX_N || a > b)
    luaL_error(L, "%s: option 'n' must be 1..%d or {min, max} within it",
               fname, NG_MAX_N);
  lua_pop(L, 1);
  sp->nmin = (int)a;
  sp->nmax = (int)b;
}

/* Is the value at idx the string lit, exactly?  (Not strcmp: a Lua
** string may hold a NUL, and "date\0x" is not "date".)  [-0, +0, -] */
static int is_lit(lua_State *L, int idx, const char *lit) {
  size_t n;
  const char *v;
  if (lua_type(L, idx) != LUA_TSTRING) return 0;
  v = lua_tolstring(L, idx, &n);
  return n == strlen(lit) && memcmp(v, lit, n) == 0;
}

/* by (checked by host->group_keys), stop_mode, stopwords; option names
** must be strings.  [-0, +0, v] */
static void read_misc(lua_State *L, int idx, const char *fname,
                      const char *const *extra, ng_copts *o) {
  int t;
  o->by = lua_getfield(L, idx, "by") != LUA_TNIL;
  lua_pop(L, 1);
  t = lua_getfield(L, idx, "stop_mode");
  if (t != LUA_TNIL) {
    if (is_lit(L, -1, "remove")) o->spec.drop_stop = 0;
    else if (!is_lit(L, -1, "drop"))
      luaL_error(L, "%s: option 'stop_mode' must be \"drop\" or \"remove\"",
                 fname);
  }
  lua_pop(L, 1);
  t = lua_getfield(L, idx, "stopwords");
  o->has_stop = t != LUA_TNIL && !(t == LUA_TBOOLEAN && !lua_toboolean(L, -1));
  lua_pop(L, 1);
  t = lua_getfield(L, idx, "sentences");
  if (t != LUA_TNIL && t != LUA_TBOOLEAN)
    luaL_error(L, "%s: option 'sentences' must be a boolean", fname);
  o->sentences = lua_toboolean(L, -1);
  lua_pop(L, 1);
  if (lua_getfield(L, idx, "ids") != LUA_TNIL)
    luaL_error(L, "%s: option 'ids' cannot be set (grams are counted by "
               "vocabulary id)", fname);
  lua_pop(L, 1);
  lua_pushnil(L);
  while (lua_next(L, idx)) {
    size_t n;
    lua_pop(L, 1);
    if (lua_type(L, -1) != LUA_TSTRING ||
        strlen(lua_tolstring(L, -1, &n)) != n)    /* the C code uses strcmp */
      luaL_error(L, "%s: option names must be strings (without NUL bytes)",
                 fname);
  }
}

void ng_copts_read(lua_State *L, int idx, const char *fname,
                   const char *const *extra, ng_copts *o) {
  memset(o, 0, sizeof *o);
  o->spec.nmin = o->spec.nmax = 1;
  o->spec.drop_stop = 1;
  o->min_count = 1;
  if (lua_isnoneornil(L, idx)) {
    o->spec.drop_stop = 0;
    return;
  }
  if (lua_type(L, idx) != LUA_TTABLE)
    luaL_error(L, "%s: options must be a table (got %s)", fname,
               luaL_typename(L, idx));
  idx = lua_absindex(L, idx);
  read_n(L, idx, fname, &o->spec);
  o->spec.skip = (int)lk_opt_integer(L, idx, fname, "skip", 0, 0, NG_MAX_SKIP);
  o->min_count = (uint64_t)lk_opt_integer(L, idx, fname, "min_count", 1, 1,
                                      LUA_MAXINTEGER);
  o->threads = lk_opt_threads(L, idx, fname);
  read_misc(L, idx, fname, extra, o);
  if (!o->has_stop) o->spec.drop_stop = 0;
}

/* count_keys + extra (+ "stopwords" when without_stop) into out. */
static void all_extra(const char **out, size_t cap, const char *const *extra,
                      int without_stop) {
  size_t n = 0, i;
  for (i = 0; count_keys[i] && n + 2 < cap; i++) out[n++] = count_keys[i];
  for (i = 0; extra && extra[i] && n + 2 < cap; i++) out[n++] = extra[i];
  if (without_stop) out[n++] = "stopwords";
  out[n] = NULL;
}

void ng_copts_tokens(lua_State *L, int idx, const char *fname,
                     const char *const *extra, const ng_copts *o,
                     ng_guard *g, ng_tokens *tok) {
  const char *keys[32];
  lector_tok_config base;
  memset(tok, 0, sizeof *tok);
  if (!ng_tok)
    luaL_error(L, "%s: the tokenize plugin is not loaded", fname);
  ng_tok->config_init(&base, sizeof base);
  base.punct = 0;                       /* as tokenize.words */
  base.ids = 0;                         /* the workers map words to ids */
  all_extra(keys, 32, extra, 0);
  g->opts = ng_tok->opts_from_lua(L, idx, fname, keys, &base);
  if (o->spec.drop_stop) {
    g->stop_opts = g->opts;
    g->opts = NULL;
    all_extra(keys, 32, extra, 1);
    g->opts = ng_tok->opts_from_lua(L, idx, fname, keys, &base);
  }
  tok->api = ng_tok;
  tok->opts = g->opts;
  tok->stop_opts = g->stop_opts;
  tok->sentences = o->sentences;
}

void ng_copts_no_tokenizer(lua_State *L, int idx, const char *fname,
                           const char *const *extra, const char *what) {
  const char *keys[32];
  if (lua_type(L, idx) != LUA_TTABLE) return;
  idx = lua_absindex(L, idx);
  all_extra(keys, 32, extra, 0);
  /* without the tokenizer, its keys are unknown too (named, as below
  ** where the tokenizer's own lk_opt_check names them) */
  if (!ng_tok) lk_opt_check(L, idx, fname, keys, NULL);
  lua_pushnil(L);
  while (lua_next(L, idx)) {
    const char *key;
    lua_pop(L, 1);
    key = lua_tostring(L, -1);
    if (key && strcmp(key, "sentences") == 0)
      luaL_error(L, "%s: option 'sentences' does not apply to %s", fname,
                 what);
    if (key && !is_own(extra, key)) {
      if (ng_tok) {                       /* unknown, or a tokenizer key? */
        lector_tok_opts *o;
        lua_createtable(L, 0, 1);
        lua_pushvalue(L, -2);
        lua_pushvalue(L, -1);
        lua_gettable(L, idx);
        lua_settable(L, -3);
        o = ng_tok->opts_from_lua(L, -1, fname, keys, NULL);
        ng_tok->opts_free(o);
        lua_pop(L, 1);
      }
      luaL_error(L, "%s: option '%s' does not apply to %s", fname, key,
                 what);
    }
  }
}

/* ------------------------------------------------------------------------
** Describing the options
*/

/* Append the canonical text of the option value at vidx to b.
** [-0, +0, m] */
static void describe_value(lua_State *L, int vidx, ng_buf *b) {
  char num[64];
  switch (lua_type(L, vidx)) {
    case LUA_TBOOLEAN:
      ng_buf_add(b, lua_toboolean(L, vidx) ? "true" : "false",
                 lua_toboolean(L, vidx) ? 4 : 5);
      break;
    case LUA_TNUMBER:
      if (lua_isinteger(L, vidx))
        snprintf(num, sizeof num, "%" PRId64, (int64_t)lua_tointeger(L, vidx));
      else
        snprintf(num, sizeof num, "%.17g", lua_tonumber(L, vidx));
      ng_buf_add(b, num, strlen(num));
      break;
    case LUA_TSTRING: {
      size_t n;
      const char *s = lua_tolstring(L, vidx, &n);
      ng_escape_word(s, n, b);
      break;
    }
    case LUA_TTABLE: {
      lua_Integer i, n = (lua_Integer)lua_rawlen(L, vidx);
      ng_buf_addc(b, '{');
      for (i = 1; i <= n; i++) {
        if (i > 1) ng_buf_addc(b, ',');
        lua_rawgeti(L, vidx, i);
        describe_value(L, lua_gettop(L), b);
        lua_pop(L, 1);
      }
      ng_buf_addc(b, '}');
      break;
    }
    default:
      ng_buf_add(b, "?", 1);
  }
}

static int str_cmp(const void *a, const void *b) {
  return strcmp(*(const char *const *)a, *(const char *const *)b);
}

void ng_copts_describe(lua_State *L, int idx, const char *const *extra) {
  const char *keys[64];
  size_t n = 0, i;
  int has_stop = 0, sentences = 0;
  ng_guard *g;
  ng_buf *b;
  if (lua_type(L, idx) != LUA_TTABLE) {
    lua_pushliteral(L, "");
    return;
  }
  idx = lua_absindex(L, idx);
  lua_pushnil(L);
  while (lua_next(L, idx)) {
    const char *k = lua_tostring(L, -2);  /* anchored by the table */
    if (strcmp(k, "sentences") == 0) sentences = lua_toboolean(L, -1);
    lua_pop(L, 1);
    if (strcmp(k, "stopwords") == 0) has_stop = 1;
    if (!is_own(extra, k) && n < 62) keys[n++] = k;
  }
  if (has_stop) keys[n++] = "stop_mode";
  if (sentences) keys[n++] = "sentences";         /* false: the default */
  qsort(keys, n, sizeof *keys, str_cmp);
  g = ng_guard_new(L);                  /* owns the buffer if we raise */
  b = &g->buf;
  ng_buf_add(b, "", 0);
  for (i = 0; i < n; i++) {
    if (i) ng_buf_addc(b, ';');
    ng_buf_add(b, keys[i], strlen(keys[i]));
    ng_buf_addc(b, '=');
    lua_pushstring(L, keys[i]);
    if (lua_rawget(L, idx) == LUA_TNIL && strcmp(keys[i], "stop_mode") == 0)
      ng_buf_add(b, "drop", 4);
    else
      describe_value(L, lua_gettop(L), b);
    lua_pop(L, 1);
  }
  if (b->oom) luaL_error(L, "out of memory");
  lua_pushlstring(L, b->p, b->n);
  lua_closeslot(L, -2);
  lua_remove(L, -2);
}
