/*
** ng_lua_kwic.c -- ngram.kwic(source, pattern [, opts]) -> { {doc =, index =,
** left =, match =, right =} }: the concordance (keyword in context) of a
** word, a phrase or a pattern with "*" for any one token, in corpus order,
** matching normalised tokens and showing the original text (ng_kwic.h).
*/
#include <string.h>

#include "lector/kit.h"
#include "ng_lua.h"

/* ------------------------------------------------------------------------
** Concordance
*/

/* Collecting the ids of a pattern word. */
typedef struct word_ids {
  uint32_t *ids;
  int k, full;
} word_ids;

static int on_word(void *ud, const lector_tok_span *sp, const char *norm,
                   size_t norm_len) {
  word_ids *w = ud;
  (void)sp;
  if (norm_len == 0) return 0;          /* an empty word is no word */
  if (w->k >= NG_KWIC_MAX) {
    w->full = 1;
    return 1;
  }
  w->ids[w->k] = lk_host->vocab_intern(norm, norm_len);
  return w->ids[w->k++] ? 0 : LECTOR_ENOMEM;
}

/* Append the ids of the pattern word w[0..n) ("*": 0) to ids.  Returns the
** new count.  [-0, +0, v] */
static int pattern_word(lua_State *L, const char *w, size_t n,
                        const lector_tok_opts *opts, uint32_t *ids, int k,
                        const char *fname) {
  word_ids x;
  char *err = NULL;
  int rc;
  if (n == 1 && w[0] == '*') {
    if (k >= NG_KWIC_MAX) luaL_error(L, "%s: pattern too long", fname);
    ids[k] = 0;
    return k + 1;
  }
  x.ids = ids;
  x.k = k;
  x.full = 0;
  rc = ng_tok->each(opts, w, n, on_word, &x, &err);
  if (x.full) {
    lk_free(err);
    luaL_error(L, "%s: pattern too long", fname);
  }
  if (rc != LECTOR_OK) {
    if (!err) err = lk_errorf("out of memory");
    lk_raise(L, fname, err);
  }
  if (x.k == k) {
    ng_buf e;                           /* shown escaped: it may hold NULs */
    ng_buf_init(&e);
    ng_escape_word(w, n, &e);
    lua_pushlstring(L, e.p ? e.p : "", e.n);
    ng_buf_free(&e);
    luaL_error(L, "%s: '%s' gives no token with these options", fname,
               lua_tostring(L, -1));
  }
  return x.k;
}

/* Does c separate the words of a pattern?  (Not strchr: it finds the
** terminator of its set, and a Lua string may hold a NUL.) */
static int is_blank(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* The pattern at idx (a string: words split at white space; or an array
** of words) as ids.  [-0, +0, v] */
static int pattern_ids(lua_State *L, int idx, const lector_tok_opts *opts,
                       uint32_t *ids, const char *fname) {
  int k = 0;
  if (lua_type(L, idx) == LUA_TSTRING) {
    size_t n, i = 0;
    const char *s = lua_tolstring(L, idx, &n);
    while (i < n) {
      size_t e;
      while (i < n && is_blank(s[i])) i++;
      for (e = i; e < n && !is_blank(s[e]); e++) {}
      if (e > i) {
        lua_pushlstring(L, s + i, e - i);
        k = pattern_word(L, lua_tostring(L, -1), e - i, opts, ids, k, fname);
        lua_pop(L, 1);
      }
      i = e;
    }
  } else if (lua_type(L, idx) == LUA_TTABLE) {
    lua_Integer i, n = (lua_Integer)lua_rawlen(L, idx);
    for (i = 1; i <= n; i++) {
      size_t len;
      const char *w;
      lua_rawgeti(L, idx, i);
      w = lua_tolstring(L, -1, &len);
      if (!w) luaL_error(L, "%s: pattern item %I is not a string", fname,
                         (LUAI_UACINT)i);
      k = pattern_word(L, w, len, opts, ids, k, fname);
      lua_pop(L, 1);
    }
  } else {
    luaL_error(L, "%s: argument 2 must be a word, a phrase or an array of "
               "words", fname);
  }
  if (k == 0) luaL_error(L, "%s: empty pattern", fname);
  return k;
}

/* Push text[a..b) cleaned (white space runs made one space), built in
** g's buffer.  [-0, +1, m] */
static void push_clean(lua_State *L, const char *text, uint32_t a,
                       uint32_t b, ng_guard *g) {
  ng_kwic_clean(text, a, b, &g->buf);
  if (g->buf.oom) luaL_error(L, "ngram.kwic: out of memory");
  lua_pushlstring(L, g->buf.p ? g->buf.p : "", g->buf.n);
}

/* Read the text of document d of s into t (a guard's: releasing the
** previous one).  [-0, +0, v] */
static void read_doc(lua_State *L, ng_lua_src *s, size_t d, lector_text *t) {
  char *err = NULL;
  lk_host->text_release(t);
  if (ng_lua_src_text(s, d, t, &err) != LECTOR_OK)
    lk_raise(L, "ngram.kwic", err);
}

/* Push the rows of the hits in g.  [-0, +1, v] */
static void push_hits(lua_State *L, ng_lua_src *s, ng_guard *g) {
  lector_text *t = lk_guard_text(L, g->lk);   /* after the corpus's hold */
  size_t i, cur = (size_t)-1;
  lua_createtable(L, g->hits.n < 1000000 ? (int)g->hits.n : 0, 0);
  for (i = 0; i < g->hits.n; i++) {
    const ng_hit *h = &g->hits.v[i];
    if (h->doc != cur) read_doc(L, s, cur = h->doc, t);
    lua_createtable(L, 0, 5);
    ng_lua_src_push_id(L, s, h->doc);
    lua_setfield(L, -2, "doc");
    if (s->kind != NG_SRC_STRING) {
      lua_pushinteger(L, (lua_Integer)(s->first + h->doc + 1));
      lua_setfield(L, -2, "index");
    }
    push_clean(L, t->data, h->left, h->start, g);
    lua_setfield(L, -2, "left");
    push_clean(L, t->data, h->start, h->end, g);
    lua_setfield(L, -2, "match");
    push_clean(L, t->data, h->end, h->right, g);
    lua_setfield(L, -2, "right");
    lua_rawseti(L, -2, (lua_Integer)i + 1);
  }
}

/* ngram.kwic(source, pattern [, opts]) -> concordance rows in corpus
** order.  opts: window (5), threads, sentences, tokenizer options.
** [-0, +1, v] */
int ng_l_kwic(lua_State *L) {
  static const char fname[] = "ngram.kwic";
  static const char *const extra[] = {"window", NULL};
  static const char *const not_here[] = {"n", "skip", "min_count", "by",
                                         "stop_mode", NULL};
  uint32_t ids[NG_KWIC_MAX];
  ng_kwic_spec spec;
  ng_copts o;
  ng_tokens tok;
  ng_lua_src s;
  ng_guard *g;
  char *err = NULL;
  int i;
  lua_settop(L, 3);
  if (!ng_lua_src_get(L, 1, &s) || s.kind == NG_SRC_TOKENS)
    return luaL_error(L, "%s: argument 1 must be a corpus, a document or a "
                      "string", fname);
  for (i = 0; lua_type(L, 3) == LUA_TTABLE && not_here[i]; i++) {
    if (lua_getfield(L, 3, not_here[i]) != LUA_TNIL)
      return luaL_error(L, "%s: unknown option '%s'", fname, not_here[i]);
    lua_pop(L, 1);
  }
  ng_copts_read(L, 3, fname, extra, &o);
  o.spec.drop_stop = 0;
  spec.window = (int)lk_opt_integer(L, 3, fname, "window", NG_KWIC_WINDOW, 0,
                                NG_KWIC_MAX);
  g = ng_guard_new(L);                                  /* 4 */
  ng_lua_src_hold(L, 1, &s, g, fname);    /* its texts are read below */
  ng_copts_tokens(L, 3, fname, extra, &o, g, &tok);
  spec.tok = &tok;
  spec.plen = pattern_ids(L, 2, g->opts, ids, fname);
  spec.phrase = ids;
  ng_lua_src_ready(&s, o.threads, fname);
  if (ng_kwic_run(&spec, &s.docs, &g->hits, &err) != LECTOR_OK)
    return lk_raise(L, fname, err);
  push_hits(L, &s, g);
  return 1;
}
