/*
** ng_lua_kwic.c -- ngram.kwic(source, pattern [, opts]) -> { {doc =, index =,
** left =, match =, right =} }: the concordance (keyword in context) of a
** word, a phrase or a pattern with "*" for any one token, in corpus order,
** matching normalised tokens and showing the original text (ng_kwic.h);
** or sorted as AntConc's sort levels (opts.sort), and the first
** opts.limit rows.
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

/* Append the ids of the word w[0..n) of phrase what ("*": 0 when star)
** to ids.  Returns the new count.  [-0, +0, v] */
static int pattern_word(lua_State *L, const char *w, size_t n,
                        const lector_tok_opts *opts, uint32_t *ids, int k,
                        const char *fname, const char *what, int star) {
  word_ids x;
  char *err = NULL;
  int rc;
  if (n == 1 && w[0] == '*') {
    if (!star)
      luaL_error(L, "%s: the %s cannot hold '*' (any word)", fname, what);
    if (k >= NG_KWIC_MAX) luaL_error(L, "%s: %s too long", fname, what);
    ids[k] = 0;
    return k + 1;
  }
  x.ids = ids;
  x.k = k;
  x.full = 0;
  rc = ng_tok->each(opts, w, n, on_word, &x, &err);
  if (x.full) {
    lk_free(err);
    luaL_error(L, "%s: %s too long (at most %d words)", fname, what,
               NG_KWIC_MAX);
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

int ng_lua_phrase(lua_State *L, int idx, const lector_tok_opts *opts,
                  uint32_t *ids, const char *fname, const char *what,
                  int star) {
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
        k = pattern_word(L, lua_tostring(L, -1), e - i, opts, ids, k, fname,
                         what, star);
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
      if (!w) luaL_error(L, "%s: %s item %I is not a string", fname, what,
                         (LUAI_UACINT)i);
      k = pattern_word(L, w, len, opts, ids, k, fname, what, star);
      lua_pop(L, 1);
    }
  } else {
    luaL_error(L, "%s: the %s must be a word, a phrase or an array of "
               "words (got %s)", fname, what, luaL_typename(L, idx));
  }
  if (k == 0) luaL_error(L, "%s: empty %s", fname, what);
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

/* ------------------------------------------------------------------------
** Sorting (AntConc's sort levels): by the normalised words at positions
** such as R1 (the first word after the match), L2 (the second before it)
** or M1 (the first of the match), ties by the next key, then corpus order.
** The words are those of the context each row shows: its bytes are
** tokenized again with the call's options.
*/

#define SORT_KEYS 8

typedef struct sort_key {
  char side;                   /* 'L', 'M', 'R' */
  int pos;                     /* 1 .. */
} sort_key;

/* One hit's sort record: the words at the keys (NULL: none there). */
typedef struct sort_rec {
  size_t hit;
  const char *w[SORT_KEYS];
  size_t len[SORT_KEYS];
} sort_rec;

static int rec_cmp(const void *pa, const void *pb) {
  const sort_rec *a = pa, *b = pb;
  int k;
  for (k = 0; k < SORT_KEYS; k++) {     /* unused keys: NULL, equal */
    size_t n = a->len[k] < b->len[k] ? a->len[k] : b->len[k];
    int c;
    if (!a->w[k] || !b->w[k]) {
      if (a->w[k] != b->w[k]) return a->w[k] ? 1 : -1;   /* none first */
      continue;
    }
    if ((c = memcmp(a->w[k], b->w[k], n)) != 0) return c;
    if (a->len[k] != b->len[k]) return a->len[k] < b->len[k] ? -1 : 1;
  }
  return a->hit < b->hit ? -1 : a->hit > b->hit;
}

/* opts.sort: an array of 1 .. SORT_KEYS keys "L<k>", "R<k>" (k <= the
** window), "M<k>" (k <= the pattern's length).  Returns the number of
** keys (0: no sort).  [-0, +0, v] */
static int read_sort(lua_State *L, int idx, sort_key *keys, int window,
                     int plen, const char *fname) {
  lua_Integer i, n;
  if (lua_type(L, idx) != LUA_TTABLE ||
      lua_getfield(L, idx, "sort") == LUA_TNIL) {
    if (lua_type(L, idx) == LUA_TTABLE) lua_pop(L, 1);
    return 0;
  }
  n = lua_type(L, -1) == LUA_TTABLE ? (lua_Integer)lua_rawlen(L, -1) : 0;
  if (n < 1 || n > SORT_KEYS) {
    lk_describe(L, -1);
    luaL_error(L, "%s: opts.sort: expected a list of 1 to %d keys such as "
               "{\"R1\", \"R2\", \"L1\"}, got %s", fname, SORT_KEYS,
               lua_tostring(L, -1));
  }
  for (i = 1; i <= n; i++) {
    size_t len;
    const char *k;
    long pos = 0;
    size_t j;
    lua_rawgeti(L, -1, i);
    k = lua_type(L, -1) == LUA_TSTRING ? lua_tolstring(L, -1, &len) : NULL;
    if (k && len >= 2 && len <= 4 && (k[0] == 'L' || k[0] == 'R' ||
                                      k[0] == 'M') && k[1] != '0') {
      for (j = 1; j < len && k[j] >= '0' && k[j] <= '9'; j++)
        pos = pos * 10 + (k[j] - '0');
      if (j < len) pos = 0;
    }
    if (pos < 1) {
      lk_describe(L, -1);
      luaL_error(L, "%s: opts.sort: key %I must be L<k>, R<k> or M<k> "
                 "(k >= 1), got %s", fname, (LUAI_UACINT)i,
                 lua_tostring(L, -1));
    }
    if (k[0] != 'M' && pos > window)
      luaL_error(L, "%s: opts.sort: key '%s' lies beyond the window (%d "
                 "words)", fname, k, window);
    if (k[0] == 'M' && pos > plen)
      luaL_error(L, "%s: opts.sort: key '%s' lies beyond the pattern (%d "
                 "words)", fname, k, plen);
    keys[i - 1].side = k[0];
    keys[i - 1].pos = (int)pos;
    lua_pop(L, 1);
  }
  lua_pop(L, 1);
  return (int)n;
}

/* The words of one hit's shown text, as (offset, word). */
typedef struct ctx_words {
  uint32_t base;               /* offset of the text tokenized */
  uint32_t off[2 * NG_KWIC_MAX + NG_KWIC_MAX];
  const char *w[2 * NG_KWIC_MAX + NG_KWIC_MAX];
  size_t len[2 * NG_KWIC_MAX + NG_KWIC_MAX];
  int n, full;
} ctx_words;

static int on_ctx_word(void *ud, const lector_tok_span *sp, const char *norm,
                       size_t norm_len) {
  ctx_words *c = ud;
  uint32_t id;
  if (norm_len == 0) return 0;
  if (c->n == (int)(sizeof c->off / sizeof c->off[0])) {
    c->full = 1;                /* cannot be (the window's words): stop */
    return 1;
  }
  if (!(id = lk_host->vocab_intern(norm, norm_len))) return LECTOR_ENOMEM;
  c->off[c->n] = c->base + sp->offset;
  c->w[c->n] = lk_host->vocab_string(id, &c->len[c->n]);
  c->n++;
  return 0;
}

/* Fill r's words at keys from the shown text of hit h of text t.
** [-0, +0, v] */
static void hit_keys(lua_State *L, const lector_text *t, const ng_hit *h,
                     const lector_tok_opts *opts, const sort_key *keys,
                     int nkeys, sort_rec *r, ctx_words *c,
                     const char *fname) {
  int k, first_m = -1, first_r = -1, i, at, rc;
  char *err = NULL;
  c->base = h->left;
  c->n = c->full = 0;
  rc = ng_tok->each(opts, t->data + h->left, h->right - h->left, on_ctx_word,
                    c, &err);
  if (rc != LECTOR_OK && !c->full) {
    if (!err) err = lk_errorf("out of memory");
    lk_raise(L, fname, err);
  }
  lk_free(err);
  for (i = 0; i < c->n; i++) {
    if (first_m < 0 && c->off[i] >= h->start) first_m = i;
    if (first_r < 0 && c->off[i] >= h->end) first_r = i;
  }
  if (first_m < 0) first_m = c->n;
  if (first_r < 0) first_r = c->n;
  memset(r->w, 0, sizeof r->w);
  memset(r->len, 0, sizeof r->len);
  for (k = 0; k < nkeys; k++) {
    at = keys[k].side == 'L'   ? first_m - keys[k].pos
         : keys[k].side == 'M' ? first_m + keys[k].pos - 1
                               : first_r + keys[k].pos - 1;
    if (at < 0 || at >= c->n || (keys[k].side == 'M' && at >= first_r)) {
      r->w[k] = NULL;
      r->len[k] = 0;
    } else {
      r->w[k] = c->w[at];
      r->len[k] = c->len[at];
    }
  }
}

/* Sort g->hits by keys (ties: corpus order).  [-0, +0, v] */
static void sort_hits(lua_State *L, ng_lua_src *s, ng_guard *g,
                      const sort_key *keys, int nkeys, const char *fname) {
  lector_text *t = lk_guard_text(L, g->lk);
  ctx_words *c = lk_guard_alloc(L, g->lk, sizeof *c);
  size_t i, n = g->hits.n, cur = (size_t)-1;
  sort_rec *r;
  ng_hit *v;
  if (n == 0) return;
  if (n > SIZE_MAX / sizeof *r) luaL_error(L, "%s: out of memory", fname);
  r = lk_guard_alloc(L, g->lk, n * sizeof *r);
  v = lk_guard_alloc(L, g->lk, n * sizeof *v);
  for (i = 0; i < n; i++) {
    const ng_hit *h = &g->hits.v[i];
    if (lk_interrupted()) luaL_error(L, "%s: interrupted", fname);
    if (h->doc != cur) read_doc(L, s, cur = h->doc, t);
    r[i].hit = i;
    hit_keys(L, t, h, g->opts, keys, nkeys, &r[i], c, fname);
  }
  qsort(r, n, sizeof *r, rec_cmp);
  for (i = 0; i < n; i++) v[i] = g->hits.v[r[i].hit];
  memcpy(g->hits.v, v, n * sizeof *v);
}

/* ------------------------------------------------------------------------
** A packed corpus's checkpoints (ng_kwic_seek): where the phrase's first
** word occurs, per document the index kept.
*/

/* At most this many occurrences of the anchor word are listed; a more
** frequent word (its hits dense: stretches would cover the documents)
** tokenizes whole documents as before, without the list's memory. */
#define SEEK_MAX_POS (1u << 22)

typedef struct anchor_walk {
  const int32_t *skip;
  size_t ndocs, total, seen;
  size_t *at;                  /* NULL: counting */
  uint32_t *count, *pos;
} anchor_walk;

static int on_anchor(void *ud, size_t i, const uint32_t *pos, size_t npos) {
  anchor_walk *x = ud;
  if ((++x->seen & 4095) == 0 && lk_interrupted()) return LECTOR_EINTERRUPT;
  if (i >= x->ndocs || x->skip[i] < 0) return 0;
  if (!x->at) {
    x->total += npos;
    return x->total > SEEK_MAX_POS ? 1 : 0;      /* too many: stop */
  }
  if (x->count[i] || x->total + npos > SEEK_MAX_POS) return 0;  /* cannot */
  x->at[i] = x->total;
  x->count[i] = (uint32_t)npos;
  memcpy(x->pos + x->total, pos, npos * sizeof *pos);
  x->total += npos;
  return 0;
}

/* Walk the anchor word's postings into x.  [-0, +0, v] */
static int walk_anchor(lua_State *L, const lector_corpus *pack, uint32_t id,
                       anchor_walk *x, const char *fname) {
  char *err = NULL;
  int rc = lk_host->word_postings(pack, id, on_anchor, x, &err);
  if (rc == 1 && !err) return 1;                 /* too many, counting */
  if (rc == LECTOR_EINTERRUPT && !err) err = lk_errorf("interrupted");
  if (rc != LECTOR_OK) {
    if (!err) err = lk_errorf("out of memory");
    lk_raise(L, fname, err);
  }
  return 0;
}

/* Fill sk (pphrase: room for plen ids) so that ng_kwic_run reaches the
** hits in the documents skip keeps from the pack's checkpoints, when the
** host has them (ABI 1.6) and the phrase has a word of the pack.
** Returns whether it did.  [-0, +0, v] */
static int seek_plan(lua_State *L, const ng_lua_src *s, const ng_tokens *tok,
                     const uint32_t *ids, int plen, const int32_t *skip,
                     ng_guard *g, ng_kwic_seek *sk, uint32_t *pphrase,
                     const char *fname) {
  size_t nd = s->docs.ndocs;
  anchor_walk x;
  int j;
  if (!LECTOR_HOST_HAS(lk_host, doc_token_seek) || !lk_host->doc_token_seek ||
      !tok->pack || nd == 0)
    return 0;
  sk->anchor = -1;
  for (j = 0; j < plen; j++) {
    size_t len;
    const char *w = ids[j] ? lk_host->vocab_string(ids[j], &len) : NULL;
    pphrase[j] = !ids[j] ? NG_KWIC_ANY
                 : w ? lk_host->tokens_find(tok->pack, w, len) : UINT32_MAX;
    if (ids[j] && pphrase[j] == UINT32_MAX) return 0;  /* not in the pack */
    if (ids[j] && sk->anchor < 0) sk->anchor = j;
  }
  if (sk->anchor < 0) return 0;
  memset(&x, 0, sizeof x);
  x.skip = skip;
  x.ndocs = nd;
  if (walk_anchor(L, tok->pack, pphrase[sk->anchor], &x, fname) != 0 ||
      x.total > SEEK_MAX_POS)
    return 0;
  x.at = lk_guard_alloc(L, g->lk, nd * sizeof *x.at);
  x.count = lk_guard_alloc(L, g->lk, nd * sizeof *x.count);
  x.pos = lk_guard_alloc(L, g->lk, (x.total ? x.total : 1) * sizeof *x.pos);
  memset(x.count, 0, nd * sizeof *x.count);
  x.total = x.seen = 0;
  walk_anchor(L, tok->pack, pphrase[sk->anchor], &x, fname);
  sk->pack = tok->pack;
  sk->pphrase = pphrase;
  sk->empty = lk_host->tokens_find(tok->pack, "", 0);
  sk->at = x.at;
  sk->count = x.count;
  sk->pos = x.pos;
  return 1;
}

/* ngram.kwic(source, pattern [, opts]) -> concordance rows in corpus
** order, or sorted by opts.sort; the first opts.limit of them.  opts:
** window (5), sort, limit, threads, sentences, tokenizer options.
** [-0, +1, v] */
int ng_l_kwic(lua_State *L) {
  static const char fname[] = "ngram.kwic";
  static const char *const extra[] = {"window", "sort", "limit", NULL};
  static const char *const not_here[] = {"n", "skip", "min_count", "by",
                                         "stop_mode", NULL};
  uint32_t ids[NG_KWIC_MAX], pids[NG_KWIC_MAX];
  ng_kwic_seek seek;
  sort_key keys[SORT_KEYS];
  lua_Integer limit;
  ng_kwic_spec spec;
  ng_copts o;
  ng_tokens tok;
  ng_lua_src s;
  ng_guard *g;
  char *err = NULL;
  int i, nkeys;
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
  limit = lk_opt_integer(L, 3, fname, "limit", LUA_MAXINTEGER, 1,
                         LUA_MAXINTEGER);
  g = ng_guard_new(L);                                  /* 4 */
  ng_lua_src_hold(L, 1, &s, g, fname);    /* its texts are read below */
  ng_copts_tokens(L, 3, fname, extra, &o, g, &tok);
  spec.tok = &tok;
  spec.seek = NULL;
  spec.plen = ng_lua_phrase(L, 2, g->opts, ids, fname, "pattern", 1);
  spec.phrase = ids;
  nkeys = read_sort(L, 3, keys, spec.window, spec.plen, fname);
  /* a packed corpus: only the documents holding the pattern's words */
  if (s.kind == NG_SRC_CORPUS && ng_lua_src_stream(&s, &tok)) {
    size_t nd = s.docs.ndocs, d;
    int32_t *skip;
    uint32_t *last;
    if (nd >= SIZE_MAX / sizeof *skip)
      return luaL_error(L, "%s: out of memory", fname);
    skip = lk_guard_alloc(L, g->lk, (nd + 1) * sizeof *skip);
    last = lk_guard_alloc(L, g->lk, (nd + 1) * sizeof *last);
    if (ng_lua_src_index(L, &s, &tok, ids, spec.plen, skip, last, fname)) {
      s.docs.skip = skip;
      /* and each document is tokenized only up to its last word of the
      ** phrase, and the plen + window words after it (ng_docs.upto): a
      ** hit starts at or before that word */
      for (d = 0; d < nd; d++)
        last[d] = last[d] == UINT32_MAX ? 0 : last[d] + 1;
      s.docs.upto = last;
      /* better: from the checkpoints, a short stretch around each hit */
      if (seek_plan(L, &s, &tok, ids, spec.plen, skip, g, &seek, pids,
                    fname))
        spec.seek = &seek;
    }
  }
  ng_lua_src_ready(&s, o.threads, fname);
  if (ng_kwic_run(&spec, &s.docs, &g->hits, &err) != LECTOR_OK)
    return lk_raise(L, fname, err);
  if (nkeys > 0) sort_hits(L, &s, g, keys, nkeys, fname);
  if ((lua_Unsigned)limit < g->hits.n) g->hits.n = (size_t)limit;
  push_hits(L, &s, g);
  return 1;
}
