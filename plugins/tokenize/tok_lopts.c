/*
** tok_lopts.c -- tokenizer options from a Lua table: one parser, so that
** tokenize.words, ngram.count and sentiment.score read the same option
** names the same way (the service's opts_from_lua).  Unknown keys are
** rejected by lk_opt_check against the names parse_one knows (opt_names).
**
** Parsing happens in two phases so that an error never leaks memory:
** first every key and value is checked into a C struct on the stack (Lua
** errors may be raised there), then the options are compiled (no Lua
** errors; a failure is turned into one after cleaning up).
*/
#include <stddef.h>
#include <string.h>

#include <lauxlib.h>
#include <lua.h>

#include "lector/kit.h"
#include "tok_lopts.h"
#include "tok_opts.h"

#define T_BOOL 1      /* an int field of lector_tok_config, true/false */

typedef struct opt_def {
  const char *name;
  int type;
  size_t offset;
} opt_def;

#define BOOL_OPT(f) { #f, T_BOOL, offsetof(lector_tok_config, f) }

static const opt_def bool_opts[] = {
  BOOL_OPT(lower), BOOL_OPT(accents), BOOL_OPT(apostrophes),
  BOOL_OPT(punct), BOOL_OPT(numbers), BOOL_OPT(urls), BOOL_OPT(emails),
  BOOL_OPT(mentions), BOOL_OPT(hashtags), BOOL_OPT(emoji),
  BOOL_OPT(split_hyphens), BOOL_OPT(abbrev), BOOL_OPT(glued),
  BOOL_OPT(runs), BOOL_OPT(ids),
  { NULL, 0, 0 }
};

/* Every key parse_one takes: bool_opts' names, then the others.  Kept in
** step with parse_one by test_tokenize's test_opts_from_lua (each name is
** accepted with a value of its type). */
static const char *const opt_names[] = {
  "lower", "accents", "apostrophes", "punct", "numbers", "urls", "emails",
  "mentions", "hashtags", "emoji", "split_hyphens", "abbrev", "glued",
  "runs", "ids", "standard", "normalize", "invalid", "stem", "stopwords",
  "min_len", NULL
};

/* Raise "<fname>: option '<key>' must be <what> (got <type>)".
** [-0, +0, v] */
static int bad_type(lua_State *L, const char *fname, const char *key,
                    const char *what, int idx) {
  return luaL_error(L, "%s: option '%s' must be %s (got %s)", fname, key,
                    what, luaL_typename(L, idx));
}

static int is_extra(const char *const *extra, const char *key) {
  for (; extra && *extra; extra++)
    if (strcmp(*extra, key) == 0) return 1;
  return 0;
}

/* Check the value at the top of the stack for option key (one of
** opt_names) and store it in cfg.  *stop_table is set when stopwords is a
** table.  [-0, +0, v] */
static void parse_one(lua_State *L, const char *fname, const char *key,
                      lector_tok_config *cfg, int *stop_table) {
  const opt_def *d;
  int t = lua_type(L, -1);
  for (d = bool_opts; d->name; d++) {
    if (strcmp(d->name, key) != 0) continue;
    if (t != LUA_TBOOLEAN) bad_type(L, fname, key, "a boolean", -1);
    *(int *)(void *)((char *)cfg + d->offset) = lua_toboolean(L, -1);
    return;
  }
  if (strcmp(key, "standard") == 0) {
    if (t != LUA_TBOOLEAN) bad_type(L, fname, key, "a boolean", -1);
    return;                                  /* applied before the others */
  }
  if (strcmp(key, "normalize") == 0) {
    const char *v;
    if (t == LUA_TBOOLEAN) {
      cfg->normalize = lua_toboolean(L, -1) ? LECTOR_TOK_NORM_NFC
                                            : LECTOR_TOK_NORM_NONE;
      return;
    }
    if (t != LUA_TSTRING)
      bad_type(L, fname, key, "\"nfc\", \"nfkc\" or false", -1);
    v = lua_tostring(L, -1);
    if (strcmp(v, "nfc") == 0 || strcmp(v, "NFC") == 0)
      cfg->normalize = LECTOR_TOK_NORM_NFC;
    else if (strcmp(v, "nfkc") == 0 || strcmp(v, "NFKC") == 0)
      cfg->normalize = LECTOR_TOK_NORM_NFKC;
    else if (strcmp(v, "none") == 0)
      cfg->normalize = LECTOR_TOK_NORM_NONE;
    else
      luaL_error(L, "%s: option 'normalize' must be \"nfc\", \"nfkc\" or "
                 "false (got \"%s\")", fname, v);
    return;
  }
  if (strcmp(key, "invalid") == 0) {
    const char *v;
    if (t != LUA_TSTRING) bad_type(L, fname, key, "\"skip\" or \"replace\"", -1);
    v = lua_tostring(L, -1);
    if (strcmp(v, "skip") == 0) cfg->invalid = LECTOR_TOK_INVALID_SKIP;
    else if (strcmp(v, "replace") == 0)
      cfg->invalid = LECTOR_TOK_INVALID_REPLACE;
    else
      luaL_error(L, "%s: option 'invalid' must be \"skip\" or \"replace\" "
                 "(got \"%s\")", fname, v);
    return;
  }
  if (strcmp(key, "stem") == 0) {
    if (t == LUA_TBOOLEAN)
      cfg->stem = lua_toboolean(L, -1) ? "english" : NULL;
    else if (t == LUA_TSTRING)
      cfg->stem = lua_tostring(L, -1);   /* anchored by the options table */
    else
      bad_type(L, fname, key, "false or a language name", -1);
    return;
  }
  if (strcmp(key, "stopwords") == 0) {
    cfg->stopwords = LECTOR_TOK_STOP_NONE;
    cfg->stopwords_path = NULL;
    *stop_table = 0;
    if (t == LUA_TBOOLEAN) {
      if (lua_toboolean(L, -1)) cfg->stopwords = LECTOR_TOK_STOP_ENGLISH;
    } else if (t == LUA_TSTRING) {
      cfg->stopwords_path = lua_tostring(L, -1);
    } else if (t == LUA_TTABLE) {
      lua_Integer i, n = (lua_Integer)lua_rawlen(L, -1);
      for (i = 1; i <= n; i++) {
        int et = lua_rawgeti(L, -1, i);
        lua_pop(L, 1);
        if (et != LUA_TSTRING)
          luaL_error(L, "%s: option 'stopwords' must hold strings (item %I "
                     "is a %s)", fname, (LUAI_UACINT)i, lua_typename(L, et));
      }
      *stop_table = 1;
    } else {
      bad_type(L, fname, key, "a boolean, a file name or a list of words",
               -1);
    }
    return;
  }
  if (strcmp(key, "min_len") == 0) {
    int isint;
    lua_Integer v = lua_tointegerx(L, -1, &isint);
    if (t != LUA_TNUMBER || !isint || v < 0)
      luaL_error(L, "%s: option 'min_len' must be a non-negative integer",
                 fname);
    cfg->min_len = (size_t)v;
  }
}

lector_tok_opts *tok_lopts_compile(lua_State *L, int idx, const char *fname,
                                   const char *const *extra,
                                   const lector_tok_config *base) {
  lector_tok_config cfg;
  lector_tok_opts *o;
  int stop_table = 0;
  char *err = NULL;

  tok_config_init(&cfg, sizeof cfg);
  if (base) {
    size_t n = base->struct_size < sizeof cfg ? base->struct_size
                                              : sizeof cfg;
    memcpy(&cfg, base, n);
    cfg.struct_size = sizeof cfg;
  }
  lk_opt_check(L, idx, fname, opt_names, extra);
  if (!lua_isnoneornil(L, idx)) {
    idx = lua_absindex(L, idx);
    luaL_checkstack(L, 4, "options");
    /* Phase 1: check everything; "standard" first, the rest on top. */
    if (!is_extra(extra, "standard")) {
      lua_getfield(L, idx, "standard");
      if (lua_type(L, -1) == LUA_TBOOLEAN && lua_toboolean(L, -1))
        tok_config_standard(&cfg);
      lua_pop(L, 1);
    }
    lua_pushnil(L);
    while (lua_next(L, idx)) {               /* keys: strings, checked */
      const char *key = lua_tostring(L, -2);
      if (!is_extra(extra, key)) parse_one(L, fname, key, &cfg, &stop_table);
      lua_pop(L, 1);
    }
  }
  /* Phase 2: the stop-word list, then compile. */
  if (stop_table) {
    lua_Integer i, n;
    const char **words;
    lua_getfield(L, idx, "stopwords");
    n = (lua_Integer)lua_rawlen(L, -1);
    words = lua_newuserdatauv(L, (size_t)(n > 0 ? n : 1) * sizeof *words, 0);
    for (i = 1; i <= n; i++) {
      lua_rawgeti(L, -2, i);
      words[i - 1] = lua_tostring(L, -1);   /* anchored by the list */
      lua_pop(L, 1);
    }
    cfg.stopword_list = words;
    cfg.nstopwords = (size_t)n;
    o = tok_opts_new(&cfg, &err);
    lua_pop(L, 2);
  } else {
    o = tok_opts_new(&cfg, &err);
  }
  if (!o) lk_raise(L, fname, err);
  return o;
}
