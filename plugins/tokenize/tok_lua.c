/*
** tok_lua.c -- the Lua module lector.tokenize (the token list is in
** tok_lualist.c).
**
** Lua API (errors name the function: "tokenize.words: unknown option 'x'"):
**   tokenize.words(text_or_doc [, opts])     -> { "norm", ... }
**   tokenize.tokens(text_or_doc [, opts])    -> token list (tok_lualist.c)
**   tokenize.sentences(text_or_doc [, opts]) -> { "sentence", ... }
**   tokenize.stem(word [, lang])             -> stem (lang "english")
**   tokenize.normalize(word [, opts])        -> normalised word
**   tokenize.options(opts)                   -> compiled options, reusable
**                                               in place of an opts table
** words() drops punctuation unless opts.punct = true; tokens() and
** compiled options keep it unless opts.punct = false.  Every option table
** is checked by tok_lopts_compile (lk_opt_check: unknown keys named).
**
** What a call holds while it may raise (the text, compiled options, the
** tokenizer state) belongs to its lk_guard, which releases it however the
** call ends.
*/
#include <string.h>

#include <lauxlib.h>
#include <libstemmer.h>
#include <lua.h>

#include "lector/kit.h"
#include "tok_config.h"
#include "tok_lopts.h"
#include "tok_lua.h"
#include "tok_opts.h"
#include "tok_run.h"
#include "tok_tables.h"

#define OPTS_MT "lector.tokenize.options"
#define STEM_MT "lector.tokenize.stemmer"
#define STEMMERS "lector.tokenize.stemmers"   /* registry: lang -> stemmer */

/* ------------------------------------------------------------------------
** What a call holds, in its guard
*/

static void free_opts(void *p) { tok_opts_free(p); }
static void end_state(void *p) { tok_run_end(p); }

/* The options at idx: a compiled options object (borrowed), or a table or
** nil compiled on top of base, owned by g.  [-0, +0, e] */
static const lector_tok_opts *check_opts(lua_State *L, int idx,
                                         const char *fname,
                                         const lector_tok_config *base,
                                         lk_guard *g) {
  lector_tok_opts **ud = luaL_testudata(L, idx, OPTS_MT);
  if (ud) {
    if (!*ud) luaL_error(L, "%s: options object is closed", fname);
    return *ud;
  }
  return lk_guard_add(L, g, free_opts,
                      tok_lopts_compile(L, idx, fname, NULL, base));
}

/* The text argument at idx, released by g.  [-0, +0, e] */
static const lector_text *check_text(lua_State *L, int idx, lk_guard *g) {
  lector_text *t = lk_guard_text(L, g);
  lk_host->check_text(L, idx, t);
  return t;
}

/* A tokenizer state ended and freed by g once rc (of its begin) is OK;
** raises with err otherwise.  [-0, +0, v] */
static void hold_state(lua_State *L, lk_guard *g, lector_tok_state *st,
                       const char *fname, int rc, char *err) {
  if (rc != LECTOR_OK) lk_raise(L, fname, err);
  lk_guard_add(L, g, end_state, st);
}

static void poll(lua_State *L, const char *fname, size_t count) {
  if (count % TOK_POLL_EVERY == 0 && lk_interrupted())
    luaL_error(L, "%s: interrupted", fname);
}

/* ------------------------------------------------------------------------
** tokenize.words, tokenize.sentences, tokenize.tokens
*/

/* tokenize.words(text_or_doc [, opts]) -> array of normalised words.
** [-0, +1, e] */
static int l_words(lua_State *L) {
  static const char fname[] = "tokenize.words";
  lector_tok_config base;
  lector_tok_span sp;
  const char *norm;
  size_t nlen;
  lua_Integer i = 0;
  char *err = NULL;
  lua_settop(L, 2);
  lk_guard *g = lk_guard_new(L);
  tok_config_init(&base, sizeof base);
  base.punct = 0;
  const lector_tok_opts *o = check_opts(L, 2, fname, &base, g);
  const lector_text *t = check_text(L, 1, g);
  lector_tok_state *st = lk_guard_alloc(L, g, sizeof *st);
  hold_state(L, g, st, fname,
             tok_run_begin(st, o, t->data, t->len,
                           TOK_RUN_NORM | TOK_RUN_NOIDS, &err), err);
  lua_createtable(L, (int)(t->len / 8 < 1000000 ? t->len / 8 : 0), 0);
  while (tok_run_step(st, &sp, &norm, &nlen)) {
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
  lector_sent_span sp[64];
  size_t k, got;
  lua_Integer i = 0;
  char *err = NULL;
  lua_settop(L, 2);
  lk_guard *g = lk_guard_new(L);
  const lector_tok_opts *o = check_opts(L, 2, fname, NULL, g);
  const lector_text *t = check_text(L, 1, g);
  lector_tok_state *st = lk_guard_alloc(L, g, sizeof *st);
  hold_state(L, g, st, fname,
             tok_run_sent_begin(st, o, t->data, t->len, &err), err);
  lua_newtable(L);
  while ((got = tok_run_sentences(st, sp, 64)) > 0) {
    for (k = 0; k < got; k++) {
      lua_pushlstring(L, t->data + sp[k].offset, sp[k].length);
      lua_rawseti(L, -2, ++i);
    }
    poll(L, fname, (size_t)i);
  }
  return 1;
}

/* tokenize.tokens(text_or_doc [, opts]) -> token list.  [-0, +1, e] */
static int l_tokens(lua_State *L) {
  static const char fname[] = "tokenize.tokens";
  lector_tok_span sp;
  const char *norm;
  size_t nlen;
  char *err = NULL;
  lua_settop(L, 2);
  lk_guard *g = lk_guard_new(L);                              /* 3 */
  const lector_tok_opts *o = check_opts(L, 2, fname, NULL, g);
  const lector_text *t = check_text(L, 1, g);
  tok_list *list = tok_lualist_new(L, fname, t->data, t->len); /* 4 */
  lector_tok_state *st = lk_guard_alloc(L, g, sizeof *st);
  hold_state(L, g, st, fname,
             tok_run_begin(st, o, t->data, t->len, TOK_RUN_NORM, &err), err);
  while (tok_run_step(st, &sp, &norm, &nlen)) {
    if (!tok_lualist_push(list, &sp, norm, nlen))
      return luaL_error(L, "%s: out of memory", fname);
    poll(L, fname, tok_lualist_count(list));
  }
  return 1;
}

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
  *ud = tok_lopts_compile(L, 1, "tokenize.options", NULL, NULL);
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
  lua_settop(L, 2);
  w = check_word(L, 1, fname, &len);
  o = check_opts(L, 2, fname, NULL, lk_guard_new(L));
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

int tok_lua_open(lua_State *L) {
  static const luaL_Reg funcs[] = {
    { "words", l_words }, { "tokens", l_tokens },
    { "sentences", l_sentences }, { "stem", l_stem },
    { "normalize", l_normalize }, { "options", l_options },
    { NULL, NULL }
  };
  new_mt(L, OPTS_MT, opts_gc);
  new_mt(L, STEM_MT, stemmer_gc);
  tok_lualist_open(L);
  luaL_newlib(L, funcs);
  lua_pushstring(L, TOK_PLUGIN_VERSION);
  lua_setfield(L, -2, "version");
  lua_pushstring(L, tok_unicode_version);
  lua_setfield(L, -2, "unicode");
  return 1;
}
