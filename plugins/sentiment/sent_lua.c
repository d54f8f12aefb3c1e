/*
** sent_lua.c -- the Lua module lector.sentiment and its scorer objects.
**
**   sentiment.score(text_or_doc)     -> {compound =, pos =, neu =, neg =}
**   sentiment.sentences(text_or_doc) -> { {text =, offset =, compound =,
**                                          pos =, neu =, neg =}, ... }
**   sentiment.corpus(corpus [, opts]) -> {docs =, groups =, total =}
**                                        (sent_lua_corpus.c)
**   sentiment.lookup(word)           -> valence or nil
**   sentiment.new{lexicon =, extra =, format =, rules =} -> scorer
**     rules = "nltk" (default: NLTK 3.8's port of VADER) or
**     "vadersentiment" (the vaderSentiment package 3.3.2; see vader.c;
**     with the default lexicon, the entries of the one it ships on top)
**   sentiment.default()              -> the default scorer
**   sentiment.default_lexicon()      -> path, exists
**   scorer:score/sentences/corpus/lookup as above; scorer.size,
**   scorer.warnings, scorer.lexicons, scorer.rules; the REPL metafields.
**
** The module's functions use the default scorer, made on first use from
** the default lexicon (VADER's, beside the plugin); its absence is an
** error that says how to get it.  Errors name the function
** ("sentiment.new: ...").
*/
#define _GNU_SOURCE         /* dladdr */
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lector/kit.h"
#include "lexicon.h"
#include "sent_config.h"
#include "sent_plugin.h"
#include "vader.h"
#include "vader_emoji.h"
#include "vader_lists.h"

#define SCORER_MT "lector.sentiment.scorer"
#define DEFAULT_KEY "lector.sentiment.default"

typedef struct scorer {
  lex_table *lex;       /* owned; NULL once closed */
  int rules;            /* VADER_RULES_* */
} scorer;

/* The names of VADER_RULES_* for Lua, in order. */
static const char *const rule_names[] = {"nltk", "vadersentiment", NULL};

/* The Lua thread's workspace, reused by every call (one Lua thread). */
static vader_ws main_ws;
static int main_ws_ready;

static vader_ws *ws_main(void) {
  if (!main_ws_ready) {
    vader_ws_init(&main_ws);
    main_ws_ready = 1;
  }
  return &main_ws;
}

void sent_lua_fini(void) {
  if (main_ws_ready) vader_ws_free(&main_ws);
  main_ws_ready = 0;
}

/* ------------------------------------------------------------------------
** The default lexicon
*/

/* How to get the default lexicon: one sentence naming the npm package
** and the pinned version, for error messages. */
static const char *howto(void) {
  return "CMake fetches it when it configures the build, from the npm "
         "package vader-sentiment@" SENT_NPM_VERSION ", if npm is installed: "
         "run `sh .ci/setup` in the source tree (or apt-get install npm), "
         "then `cmake -S <source> -B <build>` again; by hand: `npm pack "
         "vader-sentiment@" SENT_NPM_VERSION " && tar xzf vader-sentiment-"
         SENT_NPM_VERSION ".tgz package/vader_lexicon.txt`, then put "
         "vader_lexicon.txt beside sentiment.so or set " SENT_LEXICON_ENV
         " to its path (or pass sentiment.new{lexicon = path})";
}

/* The path of the default lexicon into buf: $LECTOR_VADER_LEXICON when
** set, else vader_lexicon.txt beside the plugin's .so.  Returns buf, or
** NULL when the plugin's own path is unknown (buf then says why). */
static const char *lexicon_path(char *buf, size_t cap) {
  const char *env = getenv(SENT_LEXICON_ENV), *slash;
  Dl_info info;
  if (env && *env) {
    snprintf(buf, cap, "%s", env);
    return buf;
  }
  if (!dladdr((void *)lexicon_path, &info) || !info.dli_fname) {
    snprintf(buf, cap, "the plugin's own path is unknown");
    return NULL;
  }
  slash = strrchr(info.dli_fname, '/');
  if (!slash) snprintf(buf, cap, "%s", SENT_LEXICON_FILE);
  else
    snprintf(buf, cap, "%.*s/%s", (int)(slash - info.dli_fname),
             info.dli_fname, SENT_LEXICON_FILE);
  return buf;
}

/* ------------------------------------------------------------------------
** Growing buffers owned by a call's guard (lector/kit.h)
*/

typedef struct item {
  size_t off, len;
  vader_scores sc;
} item;

typedef struct items {
  item *v;
  size_t n, cap;
} items;

typedef struct lines {
  char *s;              /* warning lines, each ending in '\n' */
  size_t len, cap;
} lines;

static void items_free(void *p) {
  lk_free(((items *)p)->v);
  lk_free(p);
}

static void lines_free(void *p) {
  lk_free(((lines *)p)->s);
  lk_free(p);
}

/* size zeroed bytes released by release(p) when g closes.  [-0, +0, v] */
static void *guard_zeroed(lua_State *L, lk_guard *g, size_t size,
                          void (*release)(void *)) {
  void *p = lk_alloc(size);
  if (!p) luaL_error(L, "out of memory");
  memset(p, 0, size);
  return lk_guard_add(L, g, release, p);
}

/* ------------------------------------------------------------------------
** Scores to Lua
*/

/* t[k] = v for the table on top.  [-0, +0, m] */
static void set_number(lua_State *L, const char *k, double v) {
  lua_pushnumber(L, v);
  lua_setfield(L, -2, k);
}

/* A table {compound, pos, neu, neg}, with room for `extra` more fields.
** [-0, +1, m] */
static void push_scores(lua_State *L, const vader_scores *s, int extra) {
  lua_createtable(L, 0, 4 + extra);
  set_number(L, "compound", s->compound);
  set_number(L, "pos", s->pos);
  set_number(L, "neu", s->neu);
  set_number(L, "neg", s->neg);
}

/* The model of scorer s; raises when the tokenizer is missing.
** [-0, +0, v] */
static void model(lua_State *L, const scorer *s, const char *fname,
                  vader_model *m) {
  if (!sent_g.tok) luaL_error(L, "%s: %s", fname, sent_g.tok_error);
  if (!s->lex) luaL_error(L, "%s: the scorer is closed", fname);
  m->tok = sent_g.tok;
  m->opts = sent_g.opts;
  m->lex = s->lex;
  m->rules = s->rules;
}

/* ------------------------------------------------------------------------
** score, sentences, lookup
*/

/* score(text_or_doc at arg) with scorer s.  [-0, +1, e] */
static int do_score(lua_State *L, const scorer *s, int arg,
                    const char *fname) {
  vader_model m;
  vader_scores sc;
  lector_text t;
  char *err = NULL;
  int rc;
  model(L, s, fname, &m);
  lk_host->check_text(L, arg, &t);
  rc = vader_score(ws_main(), &m, t.data, t.len, &sc, &err);
  lk_host->text_release(&t);
  if (rc != LECTOR_OK) return lk_raise(L, fname, err);
  push_scores(L, &sc, 0);
  return 1;
}

/* vader_sent_fn: keep one sentence's scores. */
static int add_item(void *ud, size_t off, size_t len, const vader_scores *s) {
  items *l = ud;
  item *v = lk_grow(l->v, &l->cap, l->n + 1, sizeof *l->v);
  if (!v) return LECTOR_ENOMEM;
  l->v = v;
  l->v[l->n].off = off;
  l->v[l->n].len = len;
  l->v[l->n].sc = *s;
  l->n++;
  return LECTOR_OK;
}

/* sentences(text_or_doc at arg) with scorer s.  The scores are gathered
** in C first, so no Lua error can strike while the tokenizer holds state.
** [-0, +1, e] */
static int do_sentences(lua_State *L, const scorer *s, int arg,
                        const char *fname) {
  vader_model m;
  char *err = NULL;
  size_t i;
  int rc;
  model(L, s, fname, &m);
  lk_guard *g = lk_guard_new(L);
  lector_text *t = lk_guard_text(L, g);
  items *l = guard_zeroed(L, g, sizeof *l, items_free);
  lk_host->check_text(L, arg, t);
  rc = vader_sentences(ws_main(), &m, t->data, t->len, add_item, l, &err);
  if (rc == LECTOR_ENOMEM && !err) err = lk_errorf("out of memory");
  if (rc != LECTOR_OK) return lk_raise(L, fname, err);
  lua_createtable(L, l->n < INT32_MAX ? (int)l->n : 0, 0);
  for (i = 0; i < l->n; i++) {
    const item *it = &l->v[i];
    push_scores(L, &it->sc, 2);
    lua_pushlstring(L, t->data + it->off, it->len);
    lua_setfield(L, -2, "text");
    lua_pushinteger(L, (lua_Integer)it->off + 1);
    lua_setfield(L, -2, "offset");
    lua_rawseti(L, -2, (lua_Integer)i + 1);
  }
  return 1;
}

/* Lower-case key[0..n) as words are before lookup into out[0..cap); the
** length, >= cap when it did not fit. */
static size_t lower_key(const char *key, size_t n, char *out, size_t cap) {
  size_t i;
  if (sent_g.tok) return vw_lower(sent_g.tok, sent_g.opts, key, n, out, cap);
  for (i = 0; i < n && i < cap; i++)           /* no tokenizer: ASCII only */
    out[i] = (char)(key[i] >= 'A' && key[i] <= 'Z' ? key[i] + 32 : key[i]);
  return n;
}

/* lookup(word at arg) in scorer s: its valence or nil.  [-0, +1, e] */
static int do_lookup(lua_State *L, const scorer *s, int arg,
                     const char *fname) {
  size_t n, k;
  const char *w = luaL_checklstring(L, arg, &n);
  char low[SENT_WORD_MAX];
  const lex_entry *e;
  if (!s->lex) return luaL_error(L, "%s: the scorer is closed", fname);
  k = lower_key(w, n, low, sizeof low);
  e = k < sizeof low ? lex_get(s->lex, low, k, lex_hash(low, k)) : NULL;
  if (e && (e->flags & LEX_F_VALENCE)) lua_pushnumber(L, e->valence);
  else lua_pushnil(L);
  return 1;
}

/* ------------------------------------------------------------------------
** Making scorers
*/

/* lex_warn_fn: keep a warning line (dropped if out of memory). */
static void warn_line(void *ud, const char *msg) {
  lines *w = ud;
  size_t n = strlen(msg);
  char *s = lk_grow(w->s, &w->cap, w->len + n + 1, 1);
  if (!s) return;
  w->s = s;
  memcpy(w->s + w->len, msg, n);
  w->s[w->len + n] = '\n';
  w->len += n + 1;
}

/* Move the warnings w to the host's log and to the list at index widx.
** [-0, +0, m] */
static void flush_warnings(lua_State *L, lines *w, int widx) {
  size_t p = 0;
  lua_Integer k = (lua_Integer)luaL_len(L, widx);
  while (p < w->len) {
    const char *nl = memchr(w->s + p, '\n', w->len - p);
    size_t e = (size_t)(nl - w->s);
    lk_host->log(sent_g.ctx, LECTOR_LOG_WARN, "%.*s", (int)(e - p),
                 w->s + p);
    lua_pushlstring(L, w->s + p, e - p);
    lua_rawseti(L, widx, ++k);
    p = e + 1;
  }
  w->len = 0;
}

/* A new scorer following `rules` with an empty lexicon holding the rule
** words, and its info table {warnings = {}, lexicons = {}} as user value.
** [-0, +1, e] */
static scorer *scorer_new(lua_State *L, int rules, const char *fname) {
  char *err = NULL;
  scorer *s;
  if (rules == VADER_RULES_VS && vader_emoji_count == 0)
    luaL_error(L, "%s: rules = \"vadersentiment\" needs Unicode's emoji "
               "names, which this build lacks: %s", fname, vader_emoji_source);
  s = lua_newuserdatauv(L, sizeof *s, 1);
  s->lex = NULL;
  s->rules = rules;
  luaL_setmetatable(L, SCORER_MT);
  lua_createtable(L, 0, 2);
  lua_newtable(L);
  lua_setfield(L, -2, "warnings");
  lua_newtable(L);
  lua_setfield(L, -2, "lexicons");
  lua_setiuservalue(L, -2, 1);
  if ((s->lex = lex_new(&err)) == NULL ||
      vader_mark_rules(s->lex, rules, &err) != 0)
    lk_raise(L, fname, err);
  return s;
}

/* Push the list `field` of the scorer at sidx.  [-0, +1, -] */
static void info_list(lua_State *L, int sidx, const char *field) {
  lua_getiuservalue(L, sidx, 1);
  lua_getfield(L, -1, field);
  lua_remove(L, -2);
}

/* Load the lexicon file path into the scorer s at sidx.  [-0, +0, e] */
static void scorer_load(lua_State *L, scorer *s, int sidx, const char *path,
                        int format, const char *fname) {
  char *err = NULL;
  int rc;
  lk_guard *g = lk_guard_new(L);
  lines *w = guard_zeroed(L, g, sizeof *w, lines_free);
  info_list(L, sidx, "warnings");
  rc = lex_load_file(s->lex, path, format, warn_line, w, NULL, &err);
  flush_warnings(L, w, lua_gettop(L));
  lua_pop(L, 1);
  if (rc != LECTOR_OK) lk_raise(L, fname, err);
  info_list(L, sidx, "lexicons");
  lua_pushstring(L, path);
  lua_rawseti(L, -2, (lua_Integer)luaL_len(L, -2) + 1);
  lua_pop(L, 1);
  lua_closeslot(L, -1);           /* the guard (lua_pop on a to-be-closed */
  lua_pop(L, 1);                  /* slot is unsafe in Lua 5.4.4) */
}

/* Note that the extra entry w can never match: VADER's words hold no
** white space.  The scorer is at sidx.  [-0, +0, m] */
static void warn_multiword(lua_State *L, int sidx, const char *w,
                           const char *fname) {
  info_list(L, sidx, "warnings");
  lua_pushfstring(L, "%s: extra['%s'] can never match: words are matched "
                  "one at a time", fname, w);
  lk_host->log(sent_g.ctx, LECTOR_LOG_WARN, "%s", lua_tostring(L, -1));
  lua_rawseti(L, -2, (lua_Integer)luaL_len(L, -2) + 1);
  lua_pop(L, 1);
}

/* Apply the table {word = number | false} at tidx to the scorer s at
** sidx: keys are lower-cased as words are; false makes a word neutral.
** [-0, +0, e] */
static void scorer_extra(lua_State *L, scorer *s, int sidx, int tidx,
                         const char *fname) {
  char low[SENT_WORD_MAX], *err = NULL;
  luaL_checktype(L, tidx, LUA_TTABLE);
  lua_pushnil(L);
  while (lua_next(L, tidx)) {
    size_t n, k;
    const char *w;
    if (lua_type(L, -2) != LUA_TSTRING)
      luaL_error(L, "%s: extra: keys must be words (got %s)", fname,
                 luaL_typename(L, -2));
    w = lua_tolstring(L, -2, &n);
    k = lower_key(w, n, low, sizeof low);
    if (k >= sizeof low || k == 0)
      luaL_error(L, "%s: extra: '%s' is not a word of at most %d bytes",
                 fname, w, SENT_WORD_MAX - 1);
    if (memchr(low, ' ', k)) warn_multiword(L, sidx, w, fname);
    if (lua_type(L, -1) == LUA_TNUMBER) {
      lua_Number v = lua_tonumber(L, -1);
      if (!(v >= -SENT_EXTRA_MAX && v <= SENT_EXTRA_MAX))   /* NaN too */
        luaL_error(L, "%s: extra['%s'] = %s is not a valence: it must be a "
                   "finite number within %d..%d", fname, w,
                   lua_tostring(L, -1), -(int)SENT_EXTRA_MAX,
                   (int)SENT_EXTRA_MAX);
      if (lex_set(s->lex, low, k, v, &err) != LECTOR_OK)
        lk_raise(L, fname, err);
    } else if (lua_type(L, -1) == LUA_TBOOLEAN && !lua_toboolean(L, -1)) {
      lex_unset(s->lex, low, k);
    } else {
      luaL_error(L, "%s: extra['%s'] must be a number or false (got %s)",
                 fname, w, luaL_typename(L, -1));
    }
    lua_pop(L, 1);
  }
}

/* The default lexicon's path, or raise saying it is missing and how to
** get it.  [-0, +0, v] */
static const char *default_path(lua_State *L, char *buf, size_t cap,
                                const char *fname) {
  FILE *f;
  if (!lexicon_path(buf, cap))
    luaL_error(L, "%s: the default VADER lexicon cannot be located (%s); %s",
               fname, buf, howto());
  if ((f = fopen(buf, "rb")) == NULL)
    luaL_error(L, "%s: the default VADER lexicon is missing: no file %s%s; %s",
               fname, buf, getenv(SENT_LEXICON_ENV) && *getenv(SENT_LEXICON_ENV)
                   ? " (from " SENT_LEXICON_ENV ")" : "",
               howto());
  fclose(f);
  return buf;
}

/* Load the `lexicon` option at idx (nil: the default lexicon; false: none;
** a path or a list of paths) into the scorer at sidx.  [-0, +0, e] */
static void load_lexicons(lua_State *L, scorer *s, int sidx, int idx,
                          int format, const char *fname) {
  char buf[4096];
  lua_Integer i, n;
  switch (lua_type(L, idx)) {
    case LUA_TNIL: case LUA_TNONE:
      scorer_load(L, s, sidx, default_path(L, buf, sizeof buf, fname),
                  LEX_VADER, fname);
      break;
    case LUA_TBOOLEAN:
      if (lua_toboolean(L, idx)) goto bad;
      break;
    case LUA_TSTRING:
      scorer_load(L, s, sidx, lua_tostring(L, idx), format, fname);
      break;
    case LUA_TTABLE:
      n = (lua_Integer)luaL_len(L, idx);
      for (i = 1; i <= n; i++) {
        if (lua_geti(L, idx, i) != LUA_TSTRING)
          luaL_error(L, "%s: lexicon[%d] must be a path", fname, (int)i);
        scorer_load(L, s, sidx, lua_tostring(L, -1), format, fname);
        lua_pop(L, 1);
      }
      break;
    default:
    bad:
      luaL_error(L, "%s: lexicon must be a path, a list of paths or false",
                 fname);
  }
}

/* The default lexicon as vaderSentiment ships it: its own entries over
** it (vader_lists.h).  [-0, +0, e] */
static void vs_lexicon(lua_State *L, scorer *s, const char *fname) {
  char *err = NULL;
  const vader_entry *e;
  for (e = vader_vs_lexicon; e->word; e++)
    if (lex_set(s->lex, e->word, strlen(e->word), e->valence, &err) !=
        LECTOR_OK)
      lk_raise(L, fname, err);
}

/* sentiment.new{lexicon =, extra =, format =, rules =} -> scorer.
** [-0, +1, e] */
static int l_new(lua_State *L) {
  static const char fname[] = "sentiment.new";
  static const char *const keys[] = {"lexicon", "extra", "format", "rules",
                                     NULL};
  static const char *const names[] = {"auto", "vader", "afinn", NULL};
  static const int formats[] = {LEX_AUTO, LEX_VADER, LEX_AFINN};
  scorer *s;
  int format, rules;
  lua_settop(L, 1);
  lk_opt_check(L, 1, fname, keys, NULL);
  format = formats[lk_opt_choice(L, 1, fname, "format", names, 0)];
  rules = lk_opt_choice(L, 1, fname, "rules", rule_names, VADER_RULES_NLTK);
  if (lua_isnil(L, 1)) {
    lua_newtable(L);
    lua_replace(L, 1);
  }
  lua_getfield(L, 1, "lexicon");                          /* 2 */
  lua_getfield(L, 1, "extra");                            /* 3 */
  lua_pushnil(L);                                         /* 4 */
  s = scorer_new(L, rules, fname);                        /* 5 */
  load_lexicons(L, s, 5, 2, format, fname);
  if (rules == VADER_RULES_VS && lua_isnil(L, 2)) vs_lexicon(L, s, fname);
  if (!lua_isnil(L, 3)) scorer_extra(L, s, 5, 3, fname);
  return 1;
}

/* The default scorer, made on first use (and again if it was closed).
** [-0, +0, e] */
static scorer *default_scorer(lua_State *L, const char *fname) {
  scorer *s;
  if (lua_getfield(L, LUA_REGISTRYINDEX, DEFAULT_KEY) == LUA_TUSERDATA &&
      ((scorer *)lua_touserdata(L, -1))->lex) {
    s = lua_touserdata(L, -1);
    lua_pop(L, 1);
    return s;
  }
  lua_pop(L, 1);
  s = scorer_new(L, VADER_RULES_NLTK, fname);
  lua_pushnil(L);                        /* the `lexicon` option: default */
  load_lexicons(L, s, lua_gettop(L) - 1, lua_gettop(L), LEX_VADER, fname);
  lua_pop(L, 1);
  lua_setfield(L, LUA_REGISTRYINDEX, DEFAULT_KEY);
  return s;
}

/* ------------------------------------------------------------------------
** Module functions (default scorer) and scorer methods
*/

/* The scorer a method was called on (argument 1).  [-0, +0, v] */
static scorer *check_scorer(lua_State *L, const char *fname) {
  scorer *s = luaL_testudata(L, 1, SCORER_MT);
  if (!s)
    luaL_error(L, "%s: call it as a method (scorer:...), got %s", fname,
               luaL_typename(L, 1));
  return s;
}

/* The module's functions: the default scorer's methods.  [-?, +1, e] */
static int l_score(lua_State *L) {
  return do_score(L, default_scorer(L, "sentiment.score"), 1,
                  "sentiment.score");
}
static int l_sentences(lua_State *L) {
  return do_sentences(L, default_scorer(L, "sentiment.sentences"), 1,
                      "sentiment.sentences");
}
static int l_lookup(lua_State *L) {
  return do_lookup(L, default_scorer(L, "sentiment.lookup"), 1,
                   "sentiment.lookup");
}
static int l_corpus(lua_State *L) {
  return sent_lua_corpus(L, 0, 1, 2, "sentiment.corpus");
}
static int l_default(lua_State *L) {
  default_scorer(L, "sentiment.default");
  lua_getfield(L, LUA_REGISTRYINDEX, DEFAULT_KEY);
  return 1;
}

/* sentiment.default_lexicon() -> path (or nil), exists.  [-0, +2, m] */
static int l_default_lexicon(lua_State *L) {
  char buf[4096];
  FILE *f;
  if (!lexicon_path(buf, sizeof buf)) {
    lua_pushnil(L);
    lua_pushboolean(L, 0);
    return 2;
  }
  lua_pushstring(L, buf);
  f = fopen(buf, "rb");
  lua_pushboolean(L, f != NULL);
  if (f) fclose(f);
  return 2;
}

/* The scorer's methods.  [-?, +1, e] */
static int m_score(lua_State *L) {
  return do_score(L, check_scorer(L, "scorer:score"), 2, "scorer:score");
}
static int m_sentences(lua_State *L) {
  return do_sentences(L, check_scorer(L, "scorer:sentences"), 2,
                      "scorer:sentences");
}
static int m_lookup(lua_State *L) {
  return do_lookup(L, check_scorer(L, "scorer:lookup"), 2, "scorer:lookup");
}
static int m_corpus(lua_State *L) {
  check_scorer(L, "scorer:corpus");
  return sent_lua_corpus(L, 1, 2, 3, "scorer:corpus");
}

void sent_lua_model(lua_State *L, int sidx, const char *fname,
                    vader_model *m) {
  const scorer *s = sidx ? luaL_checkudata(L, sidx, SCORER_MT)
                         : default_scorer(L, fname);
  model(L, s, fname, m);
}

/* __gc, __close, scorer:close().  [-0, +0, -] */
static int scorer_gc(lua_State *L) {
  scorer *s = luaL_checkudata(L, 1, SCORER_MT);
  lex_free(s->lex);
  s->lex = NULL;
  return 0;
}

/* scorer.size, .warnings, .lexicons, or a method.  [-0, +1, -] */
static int scorer_index(lua_State *L) {
  scorer *s = luaL_checkudata(L, 1, SCORER_MT);
  const char *k = lua_tostring(L, 2);
  if (k && strcmp(k, "size") == 0) {
    lua_pushinteger(L, s->lex ? (lua_Integer)lex_count(s->lex) : 0);
    return 1;
  }
  if (k && strcmp(k, "rules") == 0) {
    lua_pushstring(L, rule_names[s->rules]);
    return 1;
  }
  if (k && (strcmp(k, "warnings") == 0 || strcmp(k, "lexicons") == 0)) {
    info_list(L, 1, k);
    return 1;
  }
  lua_pushvalue(L, 2);
  lua_rawget(L, lua_upvalueindex(1));
  return 1;
}

/* __tostring.  [-0, +1, m] */
static int scorer_tostring(lua_State *L) {
  scorer *s = luaL_checkudata(L, 1, SCORER_MT);
  if (!s->lex) lua_pushliteral(L, "sentiment scorer (closed)");
  else
    lua_pushfstring(L, "sentiment scorer (%I words)",
                    (LUAI_UACINT)lex_count(s->lex));
  return 1;
}

/* Push "\n  <label>: " and the scorer's list `label` (the scorer at 1),
** one item a line, or "none".  [-0, +1, m] */
static void push_list(lua_State *L, const char *label) {
  info_list(L, 1, label);
  int t = lua_gettop(L);
  lua_Integer n = (lua_Integer)lua_rawlen(L, t);
  lua_pushfstring(L, "\n  %s: %s", label, n ? "" : "none");
  for (lua_Integer i = 1; i <= n; i++) {
    lua_pushstring(L, i > 1 ? "\n    " : "");
    lua_rawgeti(L, t, i);
    lua_concat(L, 3);
  }
  lua_remove(L, t);
}

/* __summary (the REPL): the words, the lexicon files, the warnings.
** [-0, +1, m] */
static int scorer_summary(lua_State *L) {
  scorer *s = luaL_checkudata(L, 1, SCORER_MT);
  lua_settop(L, 1);
  if (!s->lex) return scorer_tostring(L);
  lua_pushfstring(L, "sentiment scorer: %I words with a valence, rules %s",
                  (LUAI_UACINT)lex_count(s->lex), rule_names[s->rules]);
  push_list(L, "lexicons");
  push_list(L, "warnings");
  lua_concat(L, 3);
  return 1;
}

/* require "lector.sentiment".  [-0, +1, m] */
int sent_luaopen(lua_State *L) {
  static const luaL_Reg funcs[] = {
    {"score", l_score}, {"sentences", l_sentences}, {"corpus", l_corpus},
    {"lookup", l_lookup}, {"new", l_new}, {"default", l_default},
    {"default_lexicon", l_default_lexicon}, {NULL, NULL}
  };
  static const luaL_Reg methods[] = {
    {"score", m_score}, {"sentences", m_sentences}, {"corpus", m_corpus},
    {"lookup", m_lookup}, {"close", scorer_gc}, {NULL, NULL}
  };
  static const luaL_Reg meta[] = {
    {"__summary", scorer_summary}, {"__gc", scorer_gc},
    {"__close", scorer_gc}, {"__tostring", scorer_tostring}, {NULL, NULL}
  };
  static const char *const fields[] = {"size", "warnings", "lexicons", "rules",
                                       NULL};
  lk_newclass(L, SCORER_MT, meta, methods, fields, scorer_index);
  luaL_newlib(L, funcs);
  lua_pushliteral(L, SENT_VERSION);
  lua_setfield(L, -2, "version");
  lua_pushliteral(L, SENT_NPM_VERSION);
  lua_setfield(L, -2, "vader_npm_version");
  return 1;
}
