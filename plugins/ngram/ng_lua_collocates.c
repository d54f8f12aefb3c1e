/*
** ng_lua_collocates.c -- ngram.collocates(source, node [, opts]) -> rows
** {word =, left =, right =, count =, f_word =, score =}, the collocates
** of a word or phrase within a span as AntConc's Collocates tool counts
** them (ng_collocates.h; formulas in docs/statistics.md), or with `by`
** {key = rows}, one table per group.
*/
#include <string.h>

#include "lector/kit.h"
#include "ng_collocates.h"
#include "ng_lua.h"

#define SPAN_DEFAULT 5          /* AntConc's 5L 5R */
#define SPAN_MAX 1000

static const char fname[] = "ngram.collocates";
static const char *const extra[] = {"span", "measure", NULL};

/* Push a description of the span value at idx: {-1, 2}, 0.5 ...
** [-0, +1, m] */
static void describe_span(lua_State *L, int idx) {
  luaL_Buffer b;
  lua_Integer i, n;
  if (lua_type(L, idx) != LUA_TTABLE) {
    lk_describe(L, idx);
    return;
  }
  n = (lua_Integer)lua_rawlen(L, idx);
  luaL_buffinit(L, &b);
  luaL_addchar(&b, '{');
  for (i = 1; i <= n && i <= 4; i++) {
    lua_rawgeti(L, idx, i);
    lk_describe(L, -1);
    lua_remove(L, -2);
    if (i > 1) luaL_addstring(&b, ", ");
    luaL_addvalue(&b);
  }
  luaL_addstring(&b, n > 4 ? ", ...}" : "}");
  luaL_pushresult(&b);
}

/* span: {left, right} (integers >= 0, not both 0) or one integer for
** both sides.  [-0, +0, v] */
static void read_span(lua_State *L, int idx, int *left, int *right) {
  lua_Integer a = SPAN_DEFAULT, b = SPAN_DEFAULT;
  int t = lua_getfield(L, idx, "span"), ok = 1, isint;
  if (t == LUA_TNUMBER) {
    a = b = lua_tointegerx(L, -1, &ok);
  } else if (t == LUA_TTABLE) {
    lua_rawgeti(L, -1, 1);
    lua_rawgeti(L, -2, 2);
    a = lua_tointegerx(L, -2, &isint);
    ok = isint && lua_type(L, -2) == LUA_TNUMBER;
    b = lua_tointegerx(L, -1, &isint);
    ok = ok && isint && lua_type(L, -1) == LUA_TNUMBER &&
         lua_rawlen(L, -3) == 2;
    lua_pop(L, 2);
  } else if (t != LUA_TNIL) {
    ok = 0;
  }
  if (!ok || a < 0 || b < 0 || a > SPAN_MAX || b > SPAN_MAX || a + b == 0) {
    describe_span(L, lua_gettop(L));
    luaL_error(L, "%s: opts.span: expected {left, right}, two integers 0 "
               "to %d not both 0 (or one for both sides), got %s", fname,
               SPAN_MAX, lua_tostring(L, -1));
  }
  lua_pop(L, 1);
  *left = (int)a;
  *right = (int)b;
}

/* What the call's results are, freed by the guard. */
typedef struct held {
  ng_collocates_group *g;
  uint32_t n;
} held;

static void held_release(void *p) {
  held *h = p;
  ng_collocates_free(h->g, h->n);
  lk_free(h);
}

/* Push the rows of group c.  [-0, +1, v] */
static void push_rows(lua_State *L, ng_guard *g,
                      const ng_collocates_group *c, int measure, int span,
                      uint64_t min_count) {
  ng_collocates_row *r;
  size_t n, i;
  if (ng_collocates_rows(c, measure, span, min_count, &r, &n) != 0)
    luaL_error(L, "%s: out of memory", fname);
  lk_free(g->mem[0]);
  g->mem[0] = r;                           /* the guard frees it */
  lua_createtable(L, n < 1000000 ? (int)n : 0, 2);
  for (i = 0; i < n; i++) {
    lua_createtable(L, 0, 6);
    ng_push_gram(L, &r[i].id, 1);
    lua_setfield(L, -2, "word");
    lua_pushinteger(L, (lua_Integer)r[i].left);
    lua_setfield(L, -2, "left");
    lua_pushinteger(L, (lua_Integer)r[i].right);
    lua_setfield(L, -2, "right");
    lua_pushinteger(L, (lua_Integer)(r[i].left + r[i].right));
    lua_setfield(L, -2, "count");
    lua_pushinteger(L, (lua_Integer)r[i].f_word);
    lua_setfield(L, -2, "f_word");
    lua_pushnumber(L, (lua_Number)r[i].score);
    lua_setfield(L, -2, "score");
    lua_rawseti(L, -2, (lua_Integer)i + 1);
  }
  lua_pushinteger(L, (lua_Integer)c->nodes);
  lua_setfield(L, -2, "node_count");
  lua_pushinteger(L, (lua_Integer)c->tokens);
  lua_setfield(L, -2, "tokens");
}

/* The call's settings. */
typedef struct call {
  ng_copts o;
  ng_collocates_spec spec;
  uint32_t ids[NG_KWIC_MAX];
  int measure;
} call;

/* A whole pack, one group: read only the documents that hold the node
** (the positional index), and take N and f_word from the index.
** [-0, +0, v] */
static void from_index(lua_State *L, ng_lua_src *s, ng_guard *g, call *c) {
  size_t nd = s->docs.ndocs;
  int32_t *skip;
  if (nd >= SIZE_MAX / sizeof *skip) luaL_error(L, "%s: out of memory", fname);
  skip = lk_guard_alloc(L, g->lk, (nd + 1) * sizeof *skip);
  if (ng_lua_src_index(L, s, c->spec.tok, c->spec.node, c->spec.nlen, skip,
                       NULL, fname)) {
    s->docs.skip = skip;
    c->spec.from_index = 1;
  }
}

/* Run the count of source s (argument 1) into a held result of c->spec's
** groups.  [-0, +0, v] */
static held *run(lua_State *L, ng_lua_src *s, ng_guard *g, call *c) {
  ng_tokens tok;
  char *err = NULL;
  held *h;
  int rc;
  ng_copts_tokens(L, 3, fname, extra, &c->o, g, &tok);
  c->spec.tok = &tok;
  c->spec.nlen = ng_lua_phrase(L, 2, g->opts, c->ids, fname, "node", 0);
  c->spec.node = c->ids;
  if (!(h = lk_alloc(sizeof *h))) luaL_error(L, "%s: out of memory", fname);
  memset(h, 0, sizeof *h);
  lk_guard_add(L, g->lk, held_release, h);
  if (s->kind == NG_SRC_CORPUS && ng_lua_src_stream(s, &tok) &&
      ng_collocates_indexable(&c->spec))
    from_index(L, s, g, c);
  ng_lua_src_ready(s, c->o.threads, fname);
  rc = ng_collocates_run(&c->spec, &s->docs, &h->g, &err);
  if (rc != LECTOR_OK) lk_raise(L, fname, err);
  h->n = c->spec.ngroups;
  return h;
}

/* With `by`: {key = rows}, the groups of corpus:group_by(by).
** [-0, +1, v] */
static void run_groups(lua_State *L, ng_lua_src *s, ng_guard *g, call *c) {
  const lector_groups *groups;
  int keys_idx, res_idx;
  uint32_t i;
  held *h;
  if (s->kind != NG_SRC_CORPUS)
    luaL_error(L, "%s: option 'by' needs a corpus", fname);
  lua_getfield(L, 3, "by");
  groups = lk_host->group_keys(L, 1, lua_gettop(L), fname);
  keys_idx = lua_gettop(L);
  lua_createtable(L, 0, groups->ngroups < 1000000 ? (int)groups->ngroups : 0);
  res_idx = lua_gettop(L);
  if (groups->ngroups > 0) {
    c->spec.group = groups->group;
    c->spec.ngroups = (uint32_t)groups->ngroups;
    if (groups->multi) {
      c->spec.first = groups->first;
      c->spec.member = groups->member;
    }
    h = run(L, s, g, c);
    for (i = 0; i < h->n; i++) {
      lua_rawgeti(L, keys_idx, (lua_Integer)i + 1);
      push_rows(L, g, &h->g[i], c->measure,
                c->spec.left + c->spec.right, c->o.min_count);
      lua_rawset(L, res_idx);
    }
  }
  lk_host->sorted_pairs(L, res_idx);       /* pairs() in key order */
}

/* ngram.collocates(source, node [, opts]).  opts: span ({5, 5}), measure
** ("llr"), min_count (1), by, threads, sentences, stopwords, stop_mode
** and the tokenizer's options.  [-0, +1, v] */
int ng_l_collocates(lua_State *L) {
  static const char *const measures[] = {"llr", "mi", "t", "dice",
                                         "logdice", "freq", NULL};
  static const char *const not_here[] = {"n", "skip", NULL};
  ng_lua_src s;
  ng_guard *g;
  call c;
  int i;
  lua_settop(L, 3);
  memset(&c, 0, sizeof c);
  if (!ng_lua_src_get(L, 1, &s) || s.kind == NG_SRC_TOKENS)
    return luaL_error(L, "%s: argument 1 must be a corpus, a document or a "
                      "string (got %s)", fname, luaL_typename(L, 1));
  for (i = 0; lua_type(L, 3) == LUA_TTABLE && not_here[i]; i++) {
    if (lua_getfield(L, 3, not_here[i]) != LUA_TNIL)
      return luaL_error(L, "%s: unknown option '%s'", fname, not_here[i]);
    lua_pop(L, 1);
  }
  ng_copts_read(L, 3, fname, extra, &c.o);
  if (lua_type(L, 3) == LUA_TTABLE) read_span(L, 3, &c.spec.left,
                                              &c.spec.right);
  else c.spec.left = c.spec.right = SPAN_DEFAULT;
  c.measure = lk_opt_choice(L, 3, fname, "measure", measures, NG_CL_LLR);
  c.spec.ngroups = 1;
  g = ng_guard_new(L);                                  /* 4 */
  ng_lua_src_hold(L, 1, &s, g, fname);   /* a 'by' function runs Lua */
  if (c.o.by) {
    run_groups(L, &s, g, &c);
  } else {
    held *h = run(L, &s, g, &c);
    push_rows(L, g, &h->g[0], c.measure, c.spec.left + c.spec.right,
              c.o.min_count);
  }
  return 1;
}
