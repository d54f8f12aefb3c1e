/*
** sent_testhost.c -- a minimal host that loads tokenize.so for tests.
*/
#include <dlfcn.h>

#include "lector/kit.h"
#include "sent_testhost.h"

static const void *service;

static void h_log(lector_ctx *ctx, int level, const char *fmt, ...)
    LECTOR_PRINTF(3, 4);
static void h_log(lector_ctx *ctx, int level, const char *fmt, ...) {
  va_list ap;
  (void)ctx;
  (void)level;
  va_start(ap, fmt);
  vfprintf(stderr, fmt, ap);
  va_end(ap);
  fputc('\n', stderr);
}

static int h_register(lector_ctx *ctx, const char *name, lua_CFunction f,
                      char **err) {
  (void)ctx;
  (void)name;
  (void)f;
  (void)err;
  return LECTOR_OK;
}

static int h_provide(lector_ctx *ctx, const char *name, int version,
                     const void *api, char **err) {
  (void)ctx;
  (void)version;
  (void)err;
  if (strcmp(name, LECTOR_TOKENIZER_SERVICE) == 0) service = api;
  return LECTOR_OK;
}

const lector_tokenizer_api *sth_tokenizer(const char *path, char *why,
                                          size_t cap) {
  static lector_host host;
  char buf[4096];
  const char *build = getenv("LECTOR_BUILD");
  const lector_plugin *(*entry)(void);
  const lector_plugin *d;
  char *err = NULL;
  void *h;
  if (service) return service;
  (void)lua_version(NULL);      /* the plugin's lua_* come from this liblua */
  if (!path) {
    snprintf(buf, sizeof buf, "%s/plugins/tokenize.so",
             build && *build ? build : "build");
    path = buf;
  }
  if ((h = dlopen(path, RTLD_NOW | RTLD_LOCAL)) == NULL) {
    snprintf(why, cap, "%s", dlerror());
    return NULL;
  }
  *(void **)&entry = dlsym(h, LECTOR_ENTRY);
  if (!entry || (d = entry()) == NULL || d->abi_major != LECTOR_ABI_MAJOR) {
    snprintf(why, cap, "%s: not a Lector plugin of ABI %d", path,
             LECTOR_ABI_MAJOR);
    return NULL;
  }
  host.struct_size = sizeof host;
  host.abi_major = LECTOR_ABI_MAJOR;
  host.abi_minor = LECTOR_ABI_MINOR;
  host.version = "test";
  host.alloc = lk_env_cur.alloc;          /* kit's defaults: malloc */
  host.realloc = lk_env_cur.realloc;
  host.free = lk_env_cur.free;
  host.errorf = lk_env_cur.errorf;
  host.interrupted = lk_env_cur.interrupted;
  host.log = h_log;
  host.register_module = h_register;
  host.provide = h_provide;
  if (d->open(NULL, &host, &err) != LECTOR_OK || !service) {
    snprintf(why, cap, "%s: open failed: %s", path, err ? err : "no service");
    lk_free(err);
    return NULL;
  }
  return service;
}
