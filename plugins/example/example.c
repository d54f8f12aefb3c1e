/* example.c -- a complete Lector plugin: one Lua function and one C
** service, with the helper layer (lector/kit.h).  Build it out of tree:
**   cc -shared -fPIC $(pkg-config --cflags lector-plugin) example.c \
**      -o example.so    and put it in a folder on LECTOR_PLUGIN_PATH. */
#include <lector/kit.h>

LK_DEFINE                     /* lk_host and the env, once per plugin */

/* The C service other plugins can require("example", 1). */
typedef struct example_api {
  size_t struct_size;
  int version;
  size_t (*count_vowels)(const char *s, size_t len);
} example_api;

static size_t count_in(const char *s, size_t len, const char *set) {
  size_t n = 0;
  for (size_t i = 0; i < len; i++) n += s[i] != '\0' && strchr(set, s[i]);
  return n;
}
static size_t count_vowels(const char *s, size_t len) {
  return count_in(s, len, "aeiouAEIOU");
}

static const example_api api = {sizeof api, 1, count_vowels};

/* example.vowels(text_or_doc [, {y = false}]) -> number of ASCII vowels. */
static int l_vowels(lua_State *L) {
  static const char *const known[] = {"y", NULL};
  lk_opt_check(L, 2, "example.vowels", known, NULL);
  int y = lk_opt_boolean(L, 2, "example.vowels", "y", 0);
  lk_guard *g = lk_guard_new(L);       /* releases the text however we exit */
  lector_text *t = lk_guard_text(L, g);
  lk_host->check_text(L, 1, t);
  lua_pushinteger(L, (lua_Integer)count_in(t->data, t->len,
                                           y ? "aeiouyAEIOUY" : "aeiouAEIOU"));
  return 1;
}

static int luaopen_example(lua_State *L) {
  static const luaL_Reg funcs[] = {{"vowels", l_vowels}, {NULL, NULL}};
  luaL_newlib(L, funcs);
  return 1;
}

static int example_open(lector_ctx *ctx, const lector_host *h, char **err) {
  LK_INIT(h);
  if (h->register_module(ctx, "example", luaopen_example, err) != LECTOR_OK)
    return LECTOR_ERR;
  return h->provide(ctx, "example", 1, &api, err);
}

static const lector_plugin desc = {
  LECTOR_PLUGIN_INIT, "example", "1.1.0",
  "Counts vowels: a model plugin with a Lua function and a C service",
  example_open, NULL, NULL
};

LECTOR_PLUGIN_ENTRY(desc)
