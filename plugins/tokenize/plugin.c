/*
** plugin.c -- the tokenize plugin: its descriptor, the Lua module
** lector.tokenize and the C service "tokenize" (include/lector/tokenizer.h).
**
** Lua API (errors name the function: "tokenize.words: unknown option 'x'"):
**   tokenize.words(text_or_doc [, opts])     -> { "norm", ... }
**   tokenize.tokens(text_or_doc [, opts])    -> token list (userdata):
**       #list, list[i] -> {kind=, offset= (1-based), length=, id=, text=,
**       norm=, flags=, allcaps=, capital=}, ipairs(list), list:norms(),
**       list:texts(), list:ids()
**   tokenize.sentences(text_or_doc [, opts]) -> { "sentence", ... }
**   tokenize.stem(word [, lang])             -> stem (lang "english")
**   tokenize.normalize(word [, opts])        -> normalised word
**   tokenize.options(opts)                   -> compiled options, reusable
**                                               in place of an opts table
** words() drops punctuation unless opts.punct = true; tokens() and
** compiled options keep it unless opts.punct = false.
*/
#include <string.h>

#include <lauxlib.h>
#include <libstemmer.h>
#include <lua.h>

#include "lector/kit.h"
#include "lector/tokenizer.h"
#include "tok_config.h"
#include "tok_opts.h"
#include "tok_run.h"
#include "tok_tables.h"

#define TOK_PLUGIN_VERSION "1.0.0"

#define CALL_MT "lector.tokenize.call"
#define OPTS_MT "lector.tokenize.options"
#define LIST_MT "lector.tokenize.tokens"
#define STEM_MT "lector.tokenize.stemmer"
#define STEMMERS "lector.tokenize.stemmers"   /* registry: lang -> stemmer */

LK_DEFINE

static const lector_host *host;

/* ------------------------------------------------------------------------
** A call guard: a to-be-closed userdata owning what a Lua function holds
** (the document text, the tokenizer state, compiled options), so that an
** error anywhere releases them.
*/

typedef struct call {
  lector_tok_state st;
  lector_text text;
  lector_tok_opts *opts;      /* owned; NULL when borrowed or default */
  int has_text, has_state;
} call;

static void call_release(call *c) {
  if (c->has_state) tok_run_end(&c->st);
  if (c->has_text) host->text_release(&c->text);
  tok_opts_free(c->opts);
  c->has_state = c->has_text = 0;
  c->opts = NULL;
}

/* __close and __gc.  [-0, +0, -] */
static int call_gc(lua_State *L) {
  call_release(luaL_checkudata(L, 1, CALL_MT));
  return 0;
}

/* A new guard at the top of the stack, marked to-be-closed. [-0, +1, m] */
static call *call_new(lua_State *L) {
  call *c = lua_newuserdatauv(L, sizeof *c, 0);
  memset(c, 0, sizeof *c);
  luaL_setmetatable(L, CALL_MT);
  lua_toclose(L, -1);
  return c;
}

/* The options at idx: a compiled options object (borrowed), or a table or
** nil compiled on top of base into c.  [-0, +0, e] */
static const lector_tok_opts *check_opts(lua_State *L, int idx,
                                         const char *fname,
                                         const lector_tok_config *base,
                                         call *c) {
  lector_tok_opts **ud = luaL_testudata(L, idx, OPTS_MT);
  if (ud) {
    if (!*ud) luaL_error(L, "%s: options object is closed", fname);
    return *ud;
  }
  c->opts = tok_opts_from_lua(L, idx, fname, NULL, base);
  return c->opts;
}

/* Read the text argument at idx into c.  [-0, +0, e] */
static void check_text(lua_State *L, int idx, call *c) {
  host->check_text(L, idx, &c->text);
  c->has_text = 1;
}

/* Raise err (from the engine) prefixed with fname, freeing it.
** [-0, +0, v] */
static int raise(lua_State *L, const char *fname, char *err) {
  lua_pushfstring(L, "%s: %s", fname, err ? err : "error");
  host->free(err);
  return lua_error(L);
}

static void poll(lua_State *L, const char *fname, size_t count) {
  if (count % TOK_POLL_EVERY == 0 && host->interrupted())
    luaL_error(L, "%s: interrupted", fname);
}

/* ------------------------------------------------------------------------
** tokenize.words, tokenize.sentences
*/

/* tokenize.words(text_or_doc [, opts]) -> array of normalised words.
** [-0, +1, e] */
static int l_words(lua_State *L) {
  static const char fname[] = "tokenize.words";
  lector_tok_config base;
  const lector_tok_opts *o;
  lector_tok_span sp;
  const char *norm;
  size_t nlen;
  lua_Integer i = 0;
  char *err = NULL;
  call *c;
  lua_settop(L, 2);
  c = call_new(L);
  tok_config_init(&base, sizeof base);
  base.punct = 0;
  o = check_opts(L, 2, fname, &base, c);
  check_text(L, 1, c);
  if (tok_run_begin(&c->st, o, c->text.data, c->text.len,
                    TOK_RUN_NORM | TOK_RUN_NOIDS, &err) != LECTOR_OK)
    return raise(L, fname, err);
  c->has_state = 1;
  lua_createtable(L, (int)(c->text.len / 8 < 1000000 ? c->text.len / 8 : 0),
                  0);
  while (tok_run_step(&c->st, &sp, &norm, &nlen)) {
    lua_pushlstring(L, norm, nlen);
    lua_rawseti(L, -2, ++i);
    poll(L, fname, (size_t)i);
  }
  return 1;
}

/* tokenize.sentences(text_or_doc [, opts]) -> array of sentences.
** [-0, +1, e] */
static int l_sentences(lua_State *L) {
  static const char fname[] = "tokenize.sentences";
  const lector_tok_opts *o;
  lector_sent_span sp[64];
  size_t k, got;
  lua_Integer i = 0;
  char *err = NULL;
  call *c;
  lua_settop(L, 2);
  c = call_new(L);
  o = check_opts(L, 2, fname, NULL, c);
  check_text(L, 1, c);
  if (tok_run_sent_begin(&c->st, o, c->text.data, c->text.len, &err) !=
      LECTOR_OK)
    return raise(L, fname, err);
  c->has_state = 1;
  lua_newtable(L);
  while ((got = tok_run_sentences(&c->st, sp, 64)) > 0) {
    for (k = 0; k < got; k++) {
      lua_pushlstring(L, c->text.data + sp[k].offset, sp[k].length);
      lua_rawseti(L, -2, ++i);
    }
    poll(L, fname, (size_t)i);
  }
  return 1;
}

/* ------------------------------------------------------------------------
** tokenize.tokens: the token list userdata
*/

typedef struct toklist {
  size_t n, cap;
  lector_tok_span *spans;
  uint32_t *noff;             /* norm i: norms[noff[i] .. noff[i + 1]) */
  char *norms;
  size_t nlen, ncap;
  char *text;                 /* a copy of the source text */
  size_t text_len;
} toklist;

static void list_free(toklist *t) {
  host->free(t->spans);
  host->free(t->noff);
  host->free(t->norms);
  host->free(t->text);
  memset(t, 0, sizeof *t);
}

/* __gc, __close.  [-0, +0, -] */
static int list_gc(lua_State *L) {
  list_free(luaL_checkudata(L, 1, LIST_MT));
  return 0;
}

/* Grow *p (elements of size sz, capacity *cap) to hold need.  0 on out of
** memory. */
static int grow(void **p, size_t *cap, size_t need, size_t sz) {
  size_t ncap = *cap ? *cap : 64;
  void *q;
  if (need <= *cap) return 1;
  while (ncap < need) ncap *= 2;
  if (ncap > SIZE_MAX / sz) return 0;
  q = host->realloc(*p, ncap * sz);
  if (!q) return 0;
  *p = q;
  *cap = ncap;
  return 1;
}

static int list_push(toklist *t, const lector_tok_span *sp, const char *norm,
                     size_t nlen) {
  size_t cap = t->cap;
  if (t->n + 2 > t->cap) {
    void *spans = t->spans, *noff = t->noff;
    size_t c1 = cap, c2 = cap;
    if (!grow(&spans, &c1, t->n + 2, sizeof *t->spans)) return 0;
    t->spans = spans;
    if (!grow(&noff, &c2, t->n + 2, sizeof *t->noff)) return 0;
    t->noff = noff;
    t->cap = c1 < c2 ? c1 : c2;
  }
  if (t->nlen + nlen > UINT32_MAX) return 0;
  if (!grow((void **)&t->norms, &t->ncap, t->nlen + nlen + 1, 1)) return 0;
  memcpy(t->norms + t->nlen, norm, nlen);
  t->spans[t->n] = *sp;
  t->noff[t->n] = (uint32_t)t->nlen;
  t->nlen += nlen;
  t->n++;
  t->noff[t->n] = (uint32_t)t->nlen;
  return 1;
}

/* tokenize.tokens(text_or_doc [, opts]) -> token list.  [-0, +1, e] */
static int l_tokens(lua_State *L) {
  static const char fname[] = "tokenize.tokens";
  const lector_tok_opts *o;
  lector_tok_span sp;
  const char *norm;
  size_t nlen;
  char *err = NULL;
  toklist *t;
  call *c;
  lua_settop(L, 2);
  c = call_new(L);                                            /* 3 */
  o = check_opts(L, 2, fname, NULL, c);
  check_text(L, 1, c);
  t = lua_newuserdatauv(L, sizeof *t, 0);                     /* 4 */
  memset(t, 0, sizeof *t);
  luaL_setmetatable(L, LIST_MT);
  t->text = host->alloc(c->text.len + 1);
  if (!t->text) return luaL_error(L, "%s: out of memory", fname);
  memcpy(t->text, c->text.data, c->text.len);
  t->text[c->text.len] = '\0';
  t->text_len = c->text.len;
  if (tok_run_begin(&c->st, o, c->text.data, c->text.len, TOK_RUN_NORM,
                    &err) != LECTOR_OK)
    return raise(L, fname, err);
  c->has_state = 1;
  while (tok_run_step(&c->st, &sp, &norm, &nlen)) {
    if (!list_push(t, &sp, norm, nlen))
      return luaL_error(L, "%s: out of memory", fname);
    poll(L, fname, t->n);
  }
  return 1;
}

/* Push the table of token i (0-based) of t.  [-0, +1, m] */
static void push_token(lua_State *L, const toklist *t, size_t i) {
  const lector_tok_span *sp = &t->spans[i];
  lua_createtable(L, 0, 9);
  lua_pushstring(L, tok_kind_name(sp->kind));
  lua_setfield(L, -2, "kind");
  lua_pushinteger(L, (lua_Integer)sp->offset + 1);
  lua_setfield(L, -2, "offset");
  lua_pushinteger(L, (lua_Integer)sp->length);
  lua_setfield(L, -2, "length");
  lua_pushinteger(L, (lua_Integer)sp->id);
  lua_setfield(L, -2, "id");
  lua_pushlstring(L, t->text + sp->offset, sp->length);
  lua_setfield(L, -2, "text");
  lua_pushlstring(L, t->norms + t->noff[i], t->noff[i + 1] - t->noff[i]);
  lua_setfield(L, -2, "norm");
  lua_pushinteger(L, sp->flags);
  lua_setfield(L, -2, "flags");
  lua_pushboolean(L, (sp->flags & LECTOR_TOKF_ALLCAPS) != 0);
  lua_setfield(L, -2, "allcaps");
  lua_pushboolean(L, (sp->flags & LECTOR_TOKF_CAPITAL) != 0);
  lua_setfield(L, -2, "capital");
}

/* list[i] -> token table (nil out of range); list.name -> method.
** [-0, +1, m] */
static int list_index(lua_State *L) {
  toklist *t = luaL_checkudata(L, 1, LIST_MT);
  int isint;
  lua_Integer i = lua_tointegerx(L, 2, &isint);
  if (isint) {
    if (i >= 1 && (size_t)i <= t->n) push_token(L, t, (size_t)(i - 1));
    else lua_pushnil(L);
    return 1;
  }
  lua_pushvalue(L, 2);
  lua_rawget(L, lua_upvalueindex(1));
  return 1;
}

/* #list.  [-0, +1, -] */
static int list_len(lua_State *L) {
  toklist *t = luaL_checkudata(L, 1, LIST_MT);
  lua_pushinteger(L, (lua_Integer)t->n);
  return 1;
}

static int list_tostring(lua_State *L) {
  toklist *t = luaL_checkudata(L, 1, LIST_MT);
  lua_pushfstring(L, "tokens: %I", (LUAI_UACINT)t->n);
  return 1;
}

/* list:norms(), list:texts(), list:ids() -> arrays.  [-0, +1, m] */
static int list_array(lua_State *L, int what) {
  toklist *t = luaL_checkudata(L, 1, LIST_MT);
  size_t i;
  lua_createtable(L, (int)(t->n < 100000000 ? t->n : 0), 0);
  for (i = 0; i < t->n; i++) {
    const lector_tok_span *sp = &t->spans[i];
    if (what == 0)
      lua_pushlstring(L, t->norms + t->noff[i], t->noff[i + 1] - t->noff[i]);
    else if (what == 1)
      lua_pushlstring(L, t->text + sp->offset, sp->length);
    else
      lua_pushinteger(L, (lua_Integer)sp->id);
    lua_rawseti(L, -2, (lua_Integer)i + 1);
  }
  return 1;
}

static int list_norms(lua_State *L) { return list_array(L, 0); }
static int list_texts(lua_State *L) { return list_array(L, 1); }
static int list_ids(lua_State *L) { return list_array(L, 2); }

/* ------------------------------------------------------------------------
** tokenize.options, tokenize.normalize, tokenize.stem
*/

/* __gc / __close of a compiled options object.  [-0, +0, -] */
static int opts_gc(lua_State *L) {
  lector_tok_opts **ud = luaL_checkudata(L, 1, OPTS_MT);
  tok_opts_free(*ud);
  *ud = NULL;
  return 0;
}

/* tokenize.options(opts) -> compiled options.  [-0, +1, e] */
static int l_options(lua_State *L) {
  lector_tok_opts **ud;
  lua_settop(L, 1);
  ud = lua_newuserdatauv(L, sizeof *ud, 0);
  *ud = NULL;
  luaL_setmetatable(L, OPTS_MT);
  *ud = tok_opts_from_lua(L, 1, "tokenize.options", NULL, NULL);
  return 1;
}

static const char *check_word(lua_State *L, int idx, const char *fname,
                              size_t *len) {
  if (lua_type(L, idx) != LUA_TSTRING)
    luaL_error(L, "%s: argument %d must be a string (got %s)", fname, idx,
               luaL_typename(L, idx));
  return lua_tolstring(L, idx, len);
}

/* tokenize.normalize(word [, opts]) -> the word as tokens would have it.
** [-0, +1, e] */
static int l_normalize(lua_State *L) {
  static const char fname[] = "tokenize.normalize";
  const lector_tok_opts *o;
  size_t len, n;
  const char *w;
  char small[256];
  call *c;
  lua_settop(L, 2);
  w = check_word(L, 1, fname, &len);
  c = call_new(L);
  o = check_opts(L, 2, fname, NULL, c);
  n = tok_run_normalize(o, w, len, small, sizeof small);
  if (n < sizeof small) {
    lua_pushlstring(L, small, n);
  } else {
    luaL_Buffer b;
    char *p = luaL_buffinitsize(L, &b, n + 1);
    tok_run_normalize(o, w, len, p, n + 1);
    luaL_pushresultsize(&b, n);
  }
  return 1;
}

static int stemmer_gc(lua_State *L) {
  struct sb_stemmer **ud = luaL_checkudata(L, 1, STEM_MT);
  if (*ud) sb_stemmer_delete(*ud);
  *ud = NULL;
  return 0;
}

/* The cached stemmer for lang (the Lua thread only: stemmers are not
** reentrant, and the cache belongs to this lua_State).  [-0, +0, e] */
static struct sb_stemmer *get_stemmer(lua_State *L, const char *lang) {
  struct sb_stemmer **ud, *st;
  luaL_getsubtable(L, LUA_REGISTRYINDEX, STEMMERS);
  if (lua_getfield(L, -1, lang) == LUA_TUSERDATA) {
    st = *(struct sb_stemmer **)lua_touserdata(L, -1);
    lua_pop(L, 2);
    return st;
  }
  lua_pop(L, 1);
  ud = lua_newuserdatauv(L, sizeof *ud, 0);
  *ud = NULL;
  luaL_setmetatable(L, STEM_MT);
  *ud = sb_stemmer_new(lang, "UTF_8");
  if (!*ud) {
    const char **list = sb_stemmer_list();
    luaL_Buffer b;
    luaL_buffinit(L, &b);
    for (; *list; list++) {
      luaL_addstring(&b, *list);
      if (list[1]) luaL_addstring(&b, ", ");
    }
    luaL_pushresult(&b);
    luaL_error(L, "tokenize.stem: unknown stemmer language '%s' (known: %s)",
               lang, lua_tostring(L, -1));
  }
  st = *ud;
  lua_setfield(L, -2, lang);
  lua_pop(L, 1);
  return st;
}

/* tokenize.stem(word [, lang]) -> Snowball stem of word (which should be
** lower case already); the word itself when the stem would be empty.
** [-0, +1, e] */
static int l_stem(lua_State *L) {
  size_t len;
  const char *w = check_word(L, 1, "tokenize.stem", &len), *lang = "english";
  struct sb_stemmer *st;
  const sb_symbol *r;
  if (!lua_isnoneornil(L, 2)) lang = check_word(L, 2, "tokenize.stem", NULL);
  if (len > (size_t)INT32_MAX) return luaL_error(L, "tokenize.stem: word too long");
  st = get_stemmer(L, lang);
  r = sb_stemmer_stem(st, (const sb_symbol *)w, (int)len);
  if (!r) return luaL_error(L, "tokenize.stem: out of memory");
  if (sb_stemmer_length(st) == 0 && len > 0)   /* as the tokenizer does: */
    lua_pushlstring(L, w, len);                 /* no word becomes empty */
  else
    lua_pushlstring(L, (const char *)r, (size_t)sb_stemmer_length(st));
  return 1;
}

/* ------------------------------------------------------------------------
** The module
*/

static void new_mt(lua_State *L, const char *name, lua_CFunction gc) {
  luaL_newmetatable(L, name);
  lua_pushcfunction(L, gc);
  lua_setfield(L, -2, "__gc");
  lua_pushcfunction(L, gc);
  lua_setfield(L, -2, "__close");
  lua_pop(L, 1);
}

/* require "lector.tokenize".  [-0, +1, m] */
static int luaopen_tokenize(lua_State *L) {
  static const luaL_Reg funcs[] = {
    { "words", l_words }, { "tokens", l_tokens },
    { "sentences", l_sentences }, { "stem", l_stem },
    { "normalize", l_normalize }, { "options", l_options },
    { NULL, NULL }
  };
  static const luaL_Reg list_methods[] = {
    { "norms", list_norms }, { "texts", list_texts }, { "ids", list_ids },
    { NULL, NULL }
  };
  new_mt(L, CALL_MT, call_gc);
  new_mt(L, OPTS_MT, opts_gc);
  new_mt(L, STEM_MT, stemmer_gc);
  new_mt(L, LIST_MT, list_gc);
  luaL_getmetatable(L, LIST_MT);
  luaL_newlib(L, list_methods);
  lua_pushcclosure(L, list_index, 1);
  lua_setfield(L, -2, "__index");
  lua_pushcfunction(L, list_len);
  lua_setfield(L, -2, "__len");
  lua_pushcfunction(L, list_tostring);
  lua_setfield(L, -2, "__tostring");
  lua_pop(L, 1);

  luaL_newlib(L, funcs);
  lua_pushstring(L, TOK_PLUGIN_VERSION);
  lua_setfield(L, -2, "version");
  lua_pushstring(L, tok_unicode_version);
  lua_setfield(L, -2, "unicode");
  return 1;
}

/* ------------------------------------------------------------------------
** The C service and the descriptor
*/

static int api_begin(lector_tok_state *st, const lector_tok_opts *o,
                     const char *text, size_t len, char **err) {
  return tok_run_begin(st, o, text, len, 0, err);
}

static const lector_tokenizer_api api = {
  sizeof(lector_tokenizer_api),
  LECTOR_TOKENIZER_VERSION,
  tok_unicode_version,
  tok_config_init,
  tok_opts_new,
  tok_opts_from_lua,
  tok_opts_free,
  api_begin,
  tok_run_next,
  tok_run_end,
  tok_run_each,
  tok_run_sent_begin,
  tok_run_sentences,
  tok_run_normalize,
  tok_kind_name,
};

static int tok_open(lector_ctx *ctx, const lector_host *h, char **err) {
  LK_INIT(h);
  host = h;
  tok_run_forget_ids();
  tok_opts_default();
  if (h->register_module(ctx, "tokenize", luaopen_tokenize, err) != LECTOR_OK)
    return LECTOR_ERR;
  return h->provide(ctx, LECTOR_TOKENIZER_SERVICE, LECTOR_TOKENIZER_VERSION,
                    &api, err);
}

static const lector_plugin descriptor = {
  LECTOR_PLUGIN_INIT,
  "tokenize",
  TOK_PLUGIN_VERSION,
  "Unicode words (UAX #29) and sentences; the tokenize C service",
  tok_open,
  NULL,
  NULL
};

LECTOR_PLUGIN_ENTRY(descriptor)
