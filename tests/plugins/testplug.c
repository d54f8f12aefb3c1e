/*
** testplug.c -- fixture plugins for the loader tests, one per variant
** (chosen with -DVARIANT_...): good ones and deliberately broken ones.
*/
#include <stdlib.h>
#include <string.h>

#include <lector/plugin.h>

#ifndef PLUGIN_NAME
#define PLUGIN_NAME "good"
#endif

static const lector_host *host;

typedef struct counter_api {
  size_t struct_size;
  int version;
  int (*twice)(int);
} counter_api;

static int twice(int x) { return 2 * x; }
static const counter_api api = {sizeof api, 2, twice};

/* good.twice(n) -> 2n, through the service when a user of it. */
static int l_twice(lua_State *L) {
  lua_pushinteger(L, 2 * luaL_checkinteger(L, 1));
  return 1;
}

/* good.intern(s) -> vocabulary id of s, to check the shared vocabulary. */
static int l_intern(lua_State *L) {
  size_t len;
  const char *s = luaL_checklstring(L, 1, &len);
  lua_pushinteger(L, host->vocab_intern(s, len));
  return 1;
}

/* good.len(text_or_doc) -> bytes of the text. */
static int l_len(lua_State *L) {
  lector_text t;
  host->check_text(L, 1, &t);
  lua_pushinteger(L, (lua_Integer)t.len);
  host->text_release(&t);
  return 1;
}

/* good.titles(corpus) -> titles through the C document access. */
static int l_titles(lua_State *L) {
  lector_corpus *c = host->corpus_test(L, 1);
  if (!c) return luaL_typeerror(L, 1, "corpus");
  size_t n = host->corpus_count(c);
  lua_createtable(L, (int)n, 0);
  for (size_t i = 0; i < n; i++) {
    lector_doc_info info;
    host->doc_info(c, i, &info);
    lua_pushfstring(L, "%s|%s", info.title, info.date);
    lua_rawseti(L, -2, (lua_Integer)i + 1);
  }
  return 1;
}

static int luaopen_plug(lua_State *L) {
  static const luaL_Reg f[] = {{"twice", l_twice}, {"intern", l_intern},
                               {"len", l_len}, {"titles", l_titles},
                               {NULL, NULL}};
  luaL_newlib(L, f);
  return 1;
}

static int plug_open(lector_ctx *ctx, const lector_host *h, char **err) {
  host = h;
#ifdef VARIANT_FAIL_OPEN
  *err = h->errorf("the database file %s is missing", "/nonexistent.db");
  return LECTOR_ERR;
#endif
  if (h->register_module(ctx, PLUGIN_NAME, luaopen_plug, err)) return 1;
#ifdef VARIANT_FAIL_OPEN_OTHER
  /* a second module under another name, then a failure */
  if (h->register_module(ctx, "fail_other_extra", luaopen_plug, err))
    return 1;
  *err = h->errorf("failing after registering two modules");
  return LECTOR_ERR;
#endif
#ifdef VARIANT_RAISE_OPEN
  if (h->register_module(ctx, "raise_open_extra", luaopen_plug, err))
    return 1;
  if (h->provide(ctx, "raiser", 1, &api, err)) return 1;
  luaL_error(h->lua(ctx), "open raised on purpose");
#endif
#ifdef VARIANT_PROVIDER
  if (h->provide(ctx, "counter", 2, &api, err)) return 1;
#endif
  return LECTOR_OK;
}

static int plug_ready(lector_ctx *ctx, char **err) {
#ifdef VARIANT_USER
  const counter_api *c = host->require(ctx, "counter", 2, err);
  if (!c || c->twice(21) != 42) return LECTOR_ERR;
#endif
#ifdef VARIANT_FAIL_READY
  return host->require(ctx, "no-such-service", 1, err) ? 0 : LECTOR_ERR;
#endif
#ifdef VARIANT_RAISE_READY
  luaL_error(host->lua(ctx), "ready raised on purpose");
#endif
  (void)ctx;
  (void)err;
  return LECTOR_OK;
}

static const lector_plugin desc = {
#ifdef VARIANT_WRONG_ABI
  sizeof(lector_plugin), LECTOR_ABI_MAJOR, 99,
  LUA_VERSION_NUM, LUAL_NUMSIZES,
#elif defined(VARIANT_WRONG_LUA)
  sizeof(lector_plugin), LECTOR_ABI_MAJOR, LECTOR_ABI_MINOR, 503,
  LUAL_NUMSIZES,
#else
  LECTOR_PLUGIN_INIT,
#endif
  PLUGIN_NAME, "0.1", "fixture plugin " PLUGIN_NAME, plug_open, plug_ready,
  NULL
};

#ifdef VARIANT_NO_ENTRY
LECTOR_EXPORT const lector_plugin *lector_plugin_v0(void);
LECTOR_EXPORT const lector_plugin *lector_plugin_v0(void) { return &desc; }
/* Not a plugin: its constructor must never run (it is not dlopen'ed). */
__attribute__((constructor)) static void no_entry_ctor(void) {
  setenv("LECTOR_TESTPLUG_CTOR_RAN", "1", 1);
}
#else
LECTOR_PLUGIN_ENTRY(desc)
#endif

#ifdef VARIANT_OWN_LUA
/* Stands for a private copy of Lua linked into the plugin. */
LECTOR_EXPORT lua_State *lua_newstate(lua_Alloc f, void *ud) {
  (void)f;
  (void)ud;
  return NULL;
}
#endif
