/*
** sent_testhost.c -- a minimal host that loads tokenize.so for tests.
*/
#include <dlfcn.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lector/plugin.h"
#include "sent_testhost.h"

static const void *service;
static volatile int interrupted_flag;

static void *h_alloc(size_t n) { return malloc(n ? n : 1); }
static void *h_realloc(void *p, size_t n) { return realloc(p, n ? n : 1); }
static void h_free(void *p) { free(p); }

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

static char *h_errorf(const char *fmt, ...) LECTOR_PRINTF(1, 2);
static char *h_errorf(const char *fmt, ...) {
  va_list ap;
  int n;
  char *s;
  va_start(ap, fmt);
  n = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  s = malloc(n > 0 ? (size_t)n + 1 : 1);
  if (!s) abort();
  va_start(ap, fmt);
  vsnprintf(s, (size_t)n + 1, fmt, ap);
  va_end(ap);
  return s;
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

static int h_interrupted(void) { return interrupted_flag; }

void sth_set_interrupted(int on) { interrupted_flag = on; }

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
  host.alloc = h_alloc;
  host.realloc = h_realloc;
  host.free = h_free;
  host.log = h_log;
  host.errorf = h_errorf;
  host.register_module = h_register;
  host.provide = h_provide;
  host.interrupted = h_interrupted;
  if (d->open(NULL, &host, &err) != LECTOR_OK || !service) {
    snprintf(why, cap, "%s: open failed: %s", path, err ? err : "no service");
    free(err);
    return NULL;
  }
  return service;
}
