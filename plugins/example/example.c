/*
** example.c -- a complete Lector plugin: one Lua function and one C
** service.  Build it out of tree with:
**   cc -shared -fPIC $(pkg-config --cflags lector-plugin) example.c \
**      -o example.so
** and drop example.so into a folder on LECTOR_PLUGIN_PATH.
*/
#include <string.h>

#include <lector/plugin.h>

static const lector_host *host;

/* The C service other plugins can require("example", 1). */
typedef struct example_api {
  size_t struct_size;
  int version;
  size_t (*count_vowels)(const char *s, size_t len);
} example_api;

static size_t count_vowels(const char *s, size_t len) {
  size_t n = 0;
  for (size_t i = 0; i < len; i++)
    n += s[i] != '\0' && strchr("aeiouAEIOU", s[i]) != NULL;
  return n;
}

static const example_api api = {sizeof api, 1, count_vowels};

/* example.vowels(text_or_doc) -> number of ASCII vowels. */
static int l_vowels(lua_State *L) {
  lector_text t;
  host->check_text(L, 1, &t);
  lua_pushinteger(L, (lua_Integer)count_vowels(t.data, t.len));
  host->text_release(&t);
  return 1;
}

static int luaopen_example(lua_State *L) {
  static const luaL_Reg funcs[] = {{"vowels", l_vowels}, {NULL, NULL}};
  luaL_newlib(L, funcs);
  return 1;
}

static int example_open(lector_ctx *ctx, const lector_host *h, char **err) {
  host = h;
  if (h->register_module(ctx, "example", luaopen_example, err) != LECTOR_OK)
    return LECTOR_ERR;
  return h->provide(ctx, "example", 1, &api, err);
}

static const lector_plugin desc = {
  LECTOR_PLUGIN_INIT, "example", "1.0.0",
  "Counts vowels: a model plugin with a Lua function and a C service",
  example_open, NULL, NULL
};

LECTOR_PLUGIN_ENTRY(desc)
