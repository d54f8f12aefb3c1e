/*
** lua_pack.c -- lector.pack(corpus, path [, opts]) and lector.load's
** `check` option for packs (pack.h).  lector.load is wrapped here: the
** wrapper takes `check` out of the options, loads through lcorpus_load,
** then checks the pack's source files.
*/
#include "lua_pack.h"

#include <lauxlib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "host.h"
#include "lector/tokenizer.h"
#include "lua_corpus.h"
#include "pack.h"
#include "plugin_loader.h"
#include "util.h"

/* opts at idx: only the keys in ok[] (nil: none).  [-0, +0, v] */
static void check_keys(lua_State *L, int idx, const char *fname,
                       const char *const *ok, const char *list) {
  if (lua_isnoneornil(L, idx)) return;
  luaL_checktype(L, idx, LUA_TTABLE);
  lua_pushnil(L);
  while (lua_next(L, idx)) {
    int known = 0;
    if (lua_type(L, -2) == LUA_TSTRING)
      for (int i = 0; ok[i]; i++) known |= strcmp(lua_tostring(L, -2), ok[i]) == 0;
    if (!known)
      luaL_error(L, "%s: unknown option '%s' (options: %s)", fname,
                 lua_type(L, -2) == LUA_TSTRING ? lua_tostring(L, -2)
                                                : luaL_typename(L, -2), list);
    lua_pop(L, 1);
  }
}

static int opt_true(lua_State *L, int idx, const char *k) {
  if (lua_isnoneornil(L, idx)) return 0;
  int r = lua_getfield(L, idx, k) != LUA_TNIL && lua_toboolean(L, -1);
  lua_pop(L, 1);
  return r;
}

/* Push the list s[0..n) of strings.  [-0, +1, m] */
static void push_lines(lua_State *L, char **s, size_t n) {
  lua_createtable(L, (int)n, 0);
  for (size_t i = 0; i < n; i++) {
    lua_pushstring(L, s[i]);
    lua_rawseti(L, -2, (lua_Integer)i + 1);
  }
}

/* opts.threads: 0 (all cores) .. LECTOR_MAX_THREADS.  [-0, +0, v] */
static int opt_threads(lua_State *L, int idx) {
  if (lua_isnoneornil(L, idx) || lua_getfield(L, idx, "threads") == LUA_TNIL) {
    if (!lua_isnoneornil(L, idx)) lua_pop(L, 1);
    return 0;
  }
  int ok;
  lua_Integer n = lua_tointegerx(L, -1, &ok);
  if (!ok || n < 0 || n > LECTOR_MAX_THREADS)
    luaL_error(L, "lector.pack: option 'threads' must be an integer from 0 "
               "(all cores) to %d", LECTOR_MAX_THREADS);
  lua_pop(L, 1);
  return (int)n;
}

/* The tokenizer options of opts.tokens (nil: tokenize.words's defaults;
** false: no tokens) compiled into t, the key into key[0..cap).  0 when
** there are none.  [-0, +0, v] */
static int tokens_opts(lua_State *L, int idx, ptok_opts *t, char *key,
                       size_t cap, int quiet) {
  plugin_loader *pl = lua_touserdata(L, lua_upvalueindex(1));
  int type = lua_isnoneornil(L, idx) ? LUA_TNIL : lua_getfield(L, idx, "tokens");
  int asked = type == LUA_TTABLE, off = type == LUA_TBOOLEAN && !lua_toboolean(L, -1);
  if (!lua_isnoneornil(L, idx)) lua_pop(L, 1);
  if (off) return 0;
  if (type != LUA_TNIL && type != LUA_TTABLE && type != LUA_TBOOLEAN)
    luaL_error(L, "lector.pack: option 'tokens' must be a table of tokenizer "
               "options or false (got %s)", lua_typename(L, type));
  const lector_tokenizer_api *api =
      loader_service(pl, LECTOR_TOKENIZER_SERVICE, 2, NULL);
  if (!api) {
    if (asked)
      luaL_error(L, "lector.pack: option 'tokens' needs the tokenize plugin "
                 "(version 2 or later), which is not loaded");
    if (!quiet)
      fprintf(stderr, "lector: warning: lector.pack: the tokenize plugin is "
              "not loaded: the pack holds no tokens\n");
    return 0;
  }
  lector_tok_config base;
  api->config_init(&base, sizeof base);
  base.punct = 0;                          /* as tokenize.words */
  if (asked) lua_getfield(L, idx, "tokens");
  else lua_pushnil(L);
  t->opts = api->opts_from_lua(L, -1, "lector.pack", NULL, &base);
  lua_pop(L, 1);
  t->api = api;
  t->key = key;
  t->msg_free = host_error_free;
  if (api->opts_key(t->opts, key, cap) >= cap) {
    api->opts_free(t->opts);
    luaL_error(L, "lector.pack: the tokenizer's options are too long");
  }
  return 1;
}

/* Push what pack_write did (st is freed).  [-0, +1, m] */
static void push_stats(lua_State *L, pack_stats *st) {
  lua_createtable(L, 0, 8);
  lua_pushinteger(L, (lua_Integer)st->docs);
  lua_setfield(L, -2, "docs");
  lua_pushinteger(L, (lua_Integer)st->skipped);
  lua_setfield(L, -2, "skipped");
  lua_pushinteger(L, (lua_Integer)st->text_bytes);
  lua_setfield(L, -2, "text_bytes");
  lua_pushinteger(L, (lua_Integer)st->file_bytes);
  lua_setfield(L, -2, "bytes");
  lua_pushinteger(L, (lua_Integer)st->words);
  lua_setfield(L, -2, "words");
  lua_pushinteger(L, (lua_Integer)st->tokens);
  lua_setfield(L, -2, "tokens");
  if (st->lists) {
    lua_pushstring(L, st->lists);
    lua_setfield(L, -2, "lists");
  }
  /* copied into Lua, then freed (a memory error while copying leaks
  ** these few lines: they hold no resource) */
  push_lines(L, st->warnings, st->skipped);
  pack_stats_free(st);
  lua_setfield(L, -2, "warnings");
}

/* lector.pack(corpus, path [, {quiet, threads, tokens}]) -> {docs,
** skipped, text_bytes, bytes, words, tokens, lists, warnings}.
** [-3, +1, e] */
static int l_pack(lua_State *L) {
  static const char *const ok[] = {"quiet", "threads", "tokens", NULL};
  corpus *c = lcorpus_check(L, 1, "lector.pack");
  const char *path = luaL_checkstring(L, 2);
  check_keys(L, 3, "lector.pack", ok, "quiet, threads, tokens");
  pack_opts o = {.quiet = opt_true(L, 3, "quiet"),
                 .threads = opt_threads(L, 3)};
  ptok_opts t;
  char key[1024];
  if (tokens_opts(L, 3, &t, key, sizeof key, o.quiet)) o.tokens = &t;
  pack_stats st;
  char *err = NULL;
  int rc = pack_write(c, path, &o, &st, &err);
  if (o.tokens) t.api->opts_free(t.opts);
  if (rc != 0) {
    pack_stats_free(&st);
    return lcorpus_raise(L, "lector.pack: ", err);
  }
  push_stats(L, &st);
  return 1;
}

/* lector.load(paths [, opts]) with opts.check: as lcorpus_load, then
** pack_check on the result.  [-2, +1, e] */
static int l_load(lua_State *L) {
  lua_settop(L, 2);
  if (!lua_istable(L, 2) || lua_getfield(L, 2, "check") == LUA_TNIL) {
    lua_settop(L, 2);
    return lcorpus_load(L);
  }
  int check = lua_toboolean(L, -1), quiet;
  lua_pop(L, 1);
  lua_newtable(L);                 /* opts without check */
  lua_pushnil(L);
  while (lua_next(L, 2)) {
    if (lua_type(L, -2) == LUA_TSTRING && strcmp(lua_tostring(L, -2), "check") == 0) {
      lua_pop(L, 1);
      continue;
    }
    lua_pushvalue(L, -2);
    lua_insert(L, -2);
    lua_rawset(L, 3);
  }
  quiet = opt_true(L, 3, "quiet");
  lua_replace(L, 2);
  lcorpus_load(L);
  if (!check) return 1;
  corpus *c = lcorpus_test(L, -1);
  size_t changed;
  char *err = NULL;
  if (pack_verify(c, &err) != 0 || pack_check(c, quiet, &changed, &err) != 0)
    return lcorpus_raise(L, "lector.load: ", err);
  return 1;
}

/* See lua_pack.h. */
void lpack_open(lua_State *L, plugin_loader *pl) {
  lua_pushlightuserdata(L, pl);
  lua_pushcclosure(L, l_pack, 1);
  lua_setfield(L, -2, "pack");
  lua_pushcfunction(L, l_load);
  lua_setfield(L, -2, "load");
}
