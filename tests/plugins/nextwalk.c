/* nextwalk.c -- a test fixture: host->word_next (ABI 1.7) and
** host->doc_tokens from Lua, so that test_pack.lua can compare a pack's
** successor lists with its token streams. */
#include <lector/kit.h>

LK_DEFINE

/* What the walk gathered: doc[k], next[k] per occurrence; its pieces. */
typedef struct walk {
  size_t *doc;
  uint32_t *next;
  size_t n, cap, pieces, biggest;
} walk;

static int on_next(void *ud, const size_t *doc, const uint32_t *next,
                   size_t n) {
  walk *w = ud;
  if (n == 0) return LECTOR_ERR;                   /* never an empty piece */
  if (w->n + n > w->cap) {
    size_t cap = (w->n + n) * 2;
    size_t *d = realloc(w->doc, cap * sizeof *d);
    if (d) w->doc = d;
    uint32_t *x = realloc(w->next, cap * sizeof *x);
    if (x) w->next = x;
    if (!d || !x) return LECTOR_ENOMEM;
    w->cap = cap;
  }
  memcpy(w->doc + w->n, doc, n * sizeof *doc);
  memcpy(w->next + w->n, next, n * sizeof *next);
  w->n += n;
  w->pieces++;
  if (n > w->biggest) w->biggest = n;
  return 0;
}

/* nextwalk.next(corpus, word [, id]) -> {doc1, next1, doc2, next2 ...}
** (documents 1-based, next the word's string, false after a document's
** last token), pieces, biggest piece; or nil, "not found" (ENOTFOUND);
** raises the host's message.  id: ask for that word id instead. */
static int l_next(lua_State *L) {
  lector_corpus *c = lk_host->corpus_check(L, 1, "nextwalk.next");
  size_t len;
  const char *s = luaL_checklstring(L, 2, &len);
  uint32_t id = lk_host->tokens_find(c, s, len);
  if (lua_type(L, 3) == LUA_TNUMBER) id = (uint32_t)lua_tointeger(L, 3);
  walk w = {0};
  char *err = NULL;
  int rc = lk_host->word_next(c, id, on_next, &w, &err);
  if (rc != LECTOR_OK) {
    free(w.doc);
    free(w.next);
    if (rc == LECTOR_ENOTFOUND && !err) {
      lua_pushnil(L);
      lua_pushliteral(L, "not found");
      return 2;
    }
    return lk_raise(L, "nextwalk.next", err);
  }
  lua_createtable(L, (int)(2 * w.n), 0);
  for (size_t k = 0; k < w.n; k++) {
    lua_pushinteger(L, (lua_Integer)w.doc[k] + 1);
    lua_rawseti(L, -2, (lua_Integer)(2 * k + 1));
    if (w.next[k] == UINT32_MAX) lua_pushboolean(L, 0);
    else {
      size_t wl;
      const char *x = lk_host->tokens_word(c, w.next[k], &wl);
      if (x) lua_pushlstring(L, x, wl);
      else lua_pushinteger(L, (lua_Integer)w.next[k]);   /* not a word */
    }
    lua_rawseti(L, -2, (lua_Integer)(2 * k + 2));
  }
  free(w.doc);
  free(w.next);
  lua_pushinteger(L, (lua_Integer)w.pieces);
  lua_pushinteger(L, (lua_Integer)w.biggest);
  return 3;
}

/* nextwalk.tokens(corpus, i) -> document i's tokens (1-based) as words. */
static int l_tokens(lua_State *L) {
  lector_corpus *c = lk_host->corpus_check(L, 1, "nextwalk.tokens");
  size_t i = (size_t)luaL_checkinteger(L, 2) - 1, n = 0, cap = 0;
  uint32_t *ids = NULL;
  char *err = NULL;
  if (lk_host->doc_tokens(c, i, &ids, &n, &cap, &err) != LECTOR_OK) {
    lk_host->free(ids);
    return lk_raise(L, "nextwalk.tokens", err);
  }
  lua_createtable(L, (int)n, 0);
  for (size_t k = 0; k < n; k++) {
    size_t wl;
    const char *x = lk_host->tokens_word(c, ids[k], &wl);
    lua_pushlstring(L, x ? x : "?", x ? wl : 1);
    lua_rawseti(L, -2, (lua_Integer)k + 1);
  }
  lk_host->free(ids);
  return 1;
}

static int open_module(lua_State *L) {
  static const luaL_Reg funcs[] = {{"next", l_next}, {"tokens", l_tokens},
                                   {NULL, NULL}};
  luaL_newlib(L, funcs);
  return 1;
}

static int nw_open(lector_ctx *ctx, const lector_host *host, char **err) {
  LK_INIT(host);
  return host->register_module(ctx, "nextwalk", open_module, err);
}

static const lector_plugin desc = {
  LECTOR_PLUGIN_INIT, "nextwalk", "1.0.0",
  "Test fixture: host->word_next from Lua", nw_open, NULL, NULL
};

LECTOR_PLUGIN_ENTRY(desc)
