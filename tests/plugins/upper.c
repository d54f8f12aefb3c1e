/* upper.c -- a test plugin for corpus views (ABI 1.4): text through a
** plugin's filter.  upper.view(corpus [, {indices}]) is a view whose text
** is upper-cased and whose doc.meta.upper is true; upper.failing(corpus)
** a view whose filter fails on every other document; upper.live() the
** filter contexts not yet freed. */
#include <lector/kit.h>

LK_DEFINE

static int live;                   /* contexts alive (the Lua thread) */

typedef struct upper { int fail_odd; } upper;

static int up_text(void *ctx, size_t key, const char *in, size_t len,
                   char **out, size_t *out_len, char **err) {
  upper *u = ctx;
  if (u->fail_odd && key % 2) {
    *err = lk_errorf("upper: document key %zu refused", key);
    return LECTOR_ERR;
  }
  char *s = malloc(len + 1);                 /* the host frees it: free() */
  if (!s) return LECTOR_ENOMEM;
  for (size_t i = 0; i < len; i++)
    s[i] = in[i] >= 'a' && in[i] <= 'z' ? (char)(in[i] - 32) : in[i];
  s[len] = '\0';
  *out = s;
  *out_len = len;
  return LECTOR_OK;
}

static void up_meta(void *ctx, lua_State *L, size_t key) {
  (void)ctx;
  lua_pushinteger(L, (lua_Integer)key);
  lua_setfield(L, -2, "upper_key");
}

static void up_free(void *ctx) {
  free(ctx);
  live--;
}

/* A view of the corpus at 1 through a new filter; fail_odd as given. */
static int make_view(lua_State *L, int fail_odd, const char *fname) {
  lector_corpus *c = lk_host->corpus_check(L, 1, fname);
  size_t n = lk_host->corpus_count(c), k = 0;
  if (lua_istable(L, 2)) n = (size_t)lua_rawlen(L, 2);
  size_t *idx = lua_newuserdatauv(L, (n ? n : 1) * sizeof *idx, 0);
  for (k = 0; k < n; k++) {
    if (!lua_istable(L, 2)) idx[k] = k;
    else {
      lua_rawgeti(L, 2, (lua_Integer)k + 1);
      idx[k] = (size_t)luaL_checkinteger(L, -1) - 1;
      lua_pop(L, 1);
    }
  }
  upper *u = malloc(sizeof *u);
  if (!u) return luaL_error(L, "%s: out of memory", fname);
  u->fail_odd = fail_odd;
  live++;
  lector_text_filter f = {sizeof f, up_text, up_meta, u, up_free};
  lk_host->corpus_view(L, 1, idx, n, &f, fname);
  return 1;
}

static int l_view(lua_State *L) { return make_view(L, 0, "upper.view"); }
static int l_failing(lua_State *L) { return make_view(L, 1, "upper.failing"); }
static int l_live(lua_State *L) {
  lua_pushinteger(L, live);
  return 1;
}

static const luaL_Reg funcs[] = {
  {"view", l_view}, {"failing", l_failing}, {"live", l_live}, {NULL, NULL}};

static int open_upper(lua_State *L) {
  luaL_newlib(L, funcs);
  return 1;
}

static int up_open(lector_ctx *ctx, const lector_host *host, char **err) {
  LK_INIT(host);
  return host->register_module(ctx, "upper", open_upper, err);
}

static const lector_plugin desc = {
  LECTOR_PLUGIN_INIT, "upper", "1.0.0", "Corpus views for the tests", up_open,
  NULL, NULL
};

LECTOR_PLUGIN_ENTRY(desc)
