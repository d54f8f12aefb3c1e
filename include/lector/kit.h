/*
** lector/kit.h -- helpers for writing a Lector plugin, header-only.
**
** plugin.h is the ABI; this header is to it what lauxlib.h is to lua.h:
** everything here is written only in terms of plugin.h and Lua, so a
** plugin that uses it still talks to the host through the host table.
** Every name starts with lk_ (LK_ for macros; lk__ is private).
**
** Setup, once per plugin (as SQLITE_EXTENSION_INIT1/2):
**   LK_DEFINE            in exactly one .c file of the plugin (at file
**                        scope): defines lk_host and lk_env_cur;
**   LK_INIT(host);       first thing in open(): sets lk_host and points
**                        lk_env_cur at the host (memory counted against the
**                        session's limit, the session's vocabulary).
** A unit test of a plugin's engine that links no host writes LK_DEFINE in
** its own file and skips LK_INIT: the env keeps its malloc defaults.
**
** Ownership, stated once: memory from lk_alloc/lk_realloc/lk_errorf is
** freed with lk_free; error messages (char **err) are made by lk_errorf
** (or the host's errorf, which lk_free also frees once LK_INIT ran) and
** freed by whoever receives them.  Strings passed in are borrowed.
**
** Threads: lk_alloc, lk_free, lk_errorf, lk_grow and the vocabulary
** functions may be called from any thread; functions taking a lua_State
** belong to the Lua thread.  Set the env (LK_INIT, lk_env_set) before
** starting threads; it is read-only after that.
*/
#ifndef LECTOR_KIT_H
#define LECTOR_KIT_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lector/plugin.h"

#if defined(__GNUC__)
#define LK_HIDDEN __attribute__((visibility("hidden")))
#define LK_UNUSED __attribute__((unused))
#else
#define LK_HIDDEN
#define LK_UNUSED
#endif

/* ------------------------------------------------------------------------
** The environment: memory, messages and the vocabulary.  Engine code calls
** lk_alloc, lk_free, lk_errorf ... and runs the same with or without a
** host.
*/
typedef struct lk_env {
  void *(*alloc)(size_t n);                 /* NULL on failure */
  void *(*realloc)(void *p, size_t n);      /* NULL on failure, p kept */
  void (*free)(void *p);                    /* NULL is fine */
  /* A formatted message freed with free above; never NULL (on failure a
  ** static "out of memory" that free ignores). */
  char *(*errorf)(const char *fmt, ...) LECTOR_PRINTF(1, 2);
  /* The vocabulary (plugin.h's vocab_*); NULL without a host until a test
  ** sets its own. */
  uint32_t (*vocab_intern)(const char *s, size_t len);
  uint32_t (*vocab_lookup)(const char *s, size_t len);
  const char *(*vocab_string)(uint32_t id, size_t *len);
  uint32_t (*vocab_size)(void);
  /* Nonzero once the work should stop (Ctrl-C, timeout); never without a
  ** host. */
  int (*interrupted)(void);
} lk_env;

/* The host table (NULL until LK_INIT) and the current env; both are
** defined by LK_DEFINE and hidden, so two plugins never share them. */
extern LK_HIDDEN const lector_host *lk_host;
extern LK_HIDDEN lk_env lk_env_cur;

static char lk__oom[] = "out of memory";

static LK_UNUSED void *lk__malloc(size_t n) { return malloc(n ? n : 1); }
static LK_UNUSED void *lk__realloc(void *p, size_t n) {
  return realloc(p, n ? n : 1);
}
static LK_UNUSED void lk__mfree(void *p) {
  if (p != (void *)lk__oom) free(p);
}
static LK_UNUSED int lk__never(void) { return 0; }

/* The default errorf: vsnprintf into lk_env_cur.alloc memory. */
static LK_UNUSED LECTOR_PRINTF(1, 2) char *lk__errorf(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  char *s = n < 0 ? NULL : (char *)lk_env_cur.alloc((size_t)n + 1);
  if (!s) return lk__oom;
  va_start(ap, fmt);
  vsnprintf(s, (size_t)n + 1, fmt, ap);
  va_end(ap);
  return s;
}

/* The env a plugin starts with: malloc, no vocabulary, never
** interrupted. */
#define LK_ENV_DEFAULT \
  {lk__malloc, lk__realloc, lk__mfree, lk__errorf, NULL, NULL, NULL, NULL, \
   lk__never}

/* At file scope in exactly one .c file of the plugin (or test program). */
#define LK_DEFINE \
  LK_HIDDEN const lector_host *lk_host = NULL; \
  LK_HIDDEN lk_env lk_env_cur = LK_ENV_DEFAULT;

/* Replace the env; fields left NULL keep their current value. */
static LK_UNUSED void lk_env_set(const lk_env *e) {
  if (e->alloc) lk_env_cur.alloc = e->alloc;
  if (e->realloc) lk_env_cur.realloc = e->realloc;
  if (e->free) lk_env_cur.free = e->free;
  if (e->errorf) lk_env_cur.errorf = e->errorf;
  if (e->vocab_intern) lk_env_cur.vocab_intern = e->vocab_intern;
  if (e->vocab_lookup) lk_env_cur.vocab_lookup = e->vocab_lookup;
  if (e->vocab_string) lk_env_cur.vocab_string = e->vocab_string;
  if (e->vocab_size) lk_env_cur.vocab_size = e->vocab_size;
  if (e->interrupted) lk_env_cur.interrupted = e->interrupted;
}

/* Point the env at host h (the one call that does it). */
static LK_UNUSED void lk_env_use_host(const lector_host *h) {
  lk_env e = {h->alloc, h->realloc, h->free, h->errorf, h->vocab_intern,
              h->vocab_lookup, h->vocab_string, h->vocab_size,
              h->interrupted};
  lk_env_set(&e);
}

/* In open(), before anything else: lk_host = h, env from h.  Messages and
** memory made before it (with the malloc defaults) must be freed before
** it, too: after it lk_free is the host's free. */
#define LK_INIT(h) (lk_host = (h), lk_env_use_host(lk_host))

#define lk_alloc(n) (lk_env_cur.alloc(n))
#define lk_realloc(p, n) (lk_env_cur.realloc((p), (n)))
#define lk_free(p) (lk_env_cur.free(p))
#define lk_errorf lk_env_cur.errorf
#define lk_interrupted() (lk_env_cur.interrupted())

/* Grow the array p of *cap elements of elem bytes to hold at least need
** (capacity doubles from 8; every multiplication is checked).  Returns the
** new array (*cap updated), p itself when it is big enough, or NULL when
** the size overflows or memory runs out (p and *cap kept: free p as
** usual).  Use: `T *q = lk_grow(p, &cap, n + 1, sizeof *p);`. */
static LK_UNUSED void *lk_grow(void *p, size_t *cap, size_t need,
                               size_t elem) {
  size_t n = *cap ? *cap : 8;
  if (need <= *cap && p) return p;
  if (elem == 0) return NULL;
  while (n < need) {
    if (n > SIZE_MAX / 2) return NULL;
    n *= 2;
  }
  if (n > SIZE_MAX / elem) return NULL;
  void *q = lk_realloc(p, n * elem);
  if (q) *cap = n;
  return q;
}

/* ------------------------------------------------------------------------
** Errors in Lua functions.  Every Lua-facing function names itself in its
** messages: "ngram.count: ...".
*/

/* Raise the Lua error "<fname>: <err>", freeing err (lk_free).  Never
** returns; `return lk_raise(...)` reads well.  [-0, +0, v] */
static LK_UNUSED int lk_raise(lua_State *L, const char *fname, char *err) {
  lua_pushfstring(L, "%s: %s", fname, err ? err : "unknown error");
  lk_free(err);
  return lua_error(L);
}

/* Push a short description of the value at idx for messages: 0.5, 7,
** "text" (quoted, cut at 40 bytes), or its type name.  [-0, +1, m] */
static LK_UNUSED const char *lk_describe(lua_State *L, int idx) {
  idx = lua_absindex(L, idx);
  switch (lua_type(L, idx)) {
  case LUA_TNUMBER:
    if (lua_isinteger(L, idx))
      return lua_pushfstring(L, "%I", lua_tointeger(L, idx));
    return lua_pushfstring(L, "%f", lua_tonumber(L, idx));
  case LUA_TSTRING: {
    size_t n;
    const char *s = lua_tolstring(L, idx, &n);
    lua_pushlstring(L, s, n > 40 ? 40 : n);
    lua_pushfstring(L, "\"%s%s\"", lua_tostring(L, -1), n > 40 ? "..." : "");
    lua_remove(L, -2);
    return lua_tostring(L, -1);
  }
  case LUA_TBOOLEAN:
    return lua_pushstring(L, lua_toboolean(L, idx) ? "true" : "false");
  default:
    return lua_pushstring(L, luaL_typename(L, idx));
  }
}

/* ------------------------------------------------------------------------
** Classes: the metatable of a userdata type a plugin returns (a count
** table, a token list, a scorer), with the REPL metafields plugin.h
** documents.
*/

/* Register metatable `name` (luaL_newmetatable: __name is set) with the
** metamethods in meta (__gc, __close, __len, __tostring, __summary ...),
** the methods in a table that is also __methods (the REPL completes it),
** and fields[] (NULL-terminated, or NULL) as __fields.  __index is the C
** function index as a closure whose upvalue 1 is the methods table (to
** serve fields and fall back to methods), or the methods table itself
** when index is NULL.  [-0, +0, m] */
static LK_UNUSED void lk_newclass(lua_State *L, const char *name,
                                  const luaL_Reg *meta,
                                  const luaL_Reg *methods,
                                  const char *const *fields,
                                  lua_CFunction index) {
  luaL_newmetatable(L, name);
  if (meta) luaL_setfuncs(L, meta, 0);
  lua_newtable(L);
  luaL_setfuncs(L, methods, 0);
  lua_pushvalue(L, -1);
  lua_setfield(L, -3, "__methods");
  if (index) lua_pushcclosure(L, index, 1);
  lua_setfield(L, -2, "__index");
  if (fields) {
    lua_newtable(L);
    for (int i = 0; fields[i]; i++) {
      lua_pushstring(L, fields[i]);
      lua_rawseti(L, -2, i + 1);
    }
    lua_setfield(L, -2, "__fields");
  }
  lua_pop(L, 1);
}

/* ------------------------------------------------------------------------
** Options tables.  A function takes `opts` as a table of named options;
** lk_opt_check rejects keys it does not know, then the getters read one
** key each.  Absent (nil) keys give the default; a wrong type or range is
** an error naming the function, the key and the value:
**   ngram.count: unknown option 'thread' (known: n, skip, threads)
**   ngram.count: opts.threads: expected an integer, got 0.5
*/

/* Index of k[0..len) in list, or -1; k may hold NUL bytes (never equal
** to a name then), so no strcmp. */
static LK_UNUSED int lk__find(const char *const *list, const char *k,
                              size_t len) {
  for (int i = 0; list && list[i]; i++)
    if (strlen(list[i]) == len && memcmp(list[i], k, len) == 0) return i;
  return -1;
}

/* Raise unless the value at idx is nil/none or a table whose keys are all
** strings in known or extra (NULL-terminated lists; extra may be NULL).
** [-0, +0, v] */
static LK_UNUSED void lk_opt_check(lua_State *L, int idx, const char *fname,
                                   const char *const *known,
                                   const char *const *extra) {
  if (lua_isnoneornil(L, idx)) return;
  idx = lua_absindex(L, idx);
  if (lua_type(L, idx) != LUA_TTABLE)
    luaL_error(L, "%s: options must be a table, got %s", fname,
               lk_describe(L, idx));
  lua_pushnil(L);
  while (lua_next(L, idx)) {
    lua_pop(L, 1);
    size_t klen;
    const char *k = lua_type(L, -1) == LUA_TSTRING
                        ? lua_tolstring(L, -1, &klen) : NULL;
    if (k && (lk__find(known, k, klen) >= 0 || lk__find(extra, k, klen) >= 0))
      continue;
    luaL_Buffer b;
    const char *what = lua_type(L, -1) == LUA_TSTRING
                           ? lua_pushfstring(L, "'%s'", lua_tostring(L, -1))
                           : lk_describe(L, -1);
    luaL_buffinit(L, &b);
    for (int l = 0; l < 2; l++) {
      const char *const *list = l ? extra : known;
      for (size_t i = 0; list && list[i]; i++) {
        if (luaL_bufflen(&b)) luaL_addstring(&b, ", ");
        luaL_addstring(&b, list[i]);
      }
    }
    luaL_pushresult(&b);
    luaL_error(L, "%s: unknown option %s (known: %s)", fname, what,
               lua_tostring(L, -1));
  }
}

/* Push field key of the options at idx (nil/none: nil); its type.
** [-0, +1, e] */
static LK_UNUSED int lk__opt(lua_State *L, int idx, const char *key) {
  if (lua_type(L, idx) != LUA_TTABLE) {
    lua_pushnil(L);
    return LUA_TNIL;
  }
  return lua_getfield(L, idx, key);
}

/* An integer option in lo..hi (absent: dflt).  [-0, +0, v] */
static LK_UNUSED lua_Integer lk_opt_integer(lua_State *L, int idx,
                                            const char *fname,
                                            const char *key, lua_Integer dflt,
                                            lua_Integer lo, lua_Integer hi) {
  int t = lk__opt(L, idx, key);
  lua_Integer v = dflt;
  if (t != LUA_TNIL) {
    int ok = 0;
    v = lua_tointegerx(L, -1, &ok);
    if (t != LUA_TNUMBER || !ok)
      luaL_error(L, "%s: opts.%s: expected an integer, got %s", fname, key,
                 lk_describe(L, -1));
    if (v < lo || v > hi)
      luaL_error(L, "%s: opts.%s: expected %I to %I, got %I", fname, key, lo,
                 hi, v);
  }
  lua_pop(L, 1);
  return v;
}

/* A finite number option in lo..hi (absent: dflt); NaN is refused.
** [-0, +0, v] */
static LK_UNUSED lua_Number lk_opt_number(lua_State *L, int idx,
                                          const char *fname, const char *key,
                                          lua_Number dflt, lua_Number lo,
                                          lua_Number hi) {
  int t = lk__opt(L, idx, key);
  lua_Number v = dflt;
  if (t != LUA_TNIL) {
    v = lua_tonumber(L, -1);
    if (t != LUA_TNUMBER || !(v >= lo && v <= hi)) {
      char range[64];
      snprintf(range, sizeof range, "%g to %g", (double)lo, (double)hi);
      luaL_error(L, "%s: opts.%s: expected a number from %s, got %s", fname,
                 key, range, lk_describe(L, -1));
    }
  }
  lua_pop(L, 1);
  return v;
}

/* A boolean option (absent: dflt); only true and false are booleans.
** [-0, +0, v] */
static LK_UNUSED int lk_opt_boolean(lua_State *L, int idx, const char *fname,
                                    const char *key, int dflt) {
  int t = lk__opt(L, idx, key), v = dflt;
  if (t == LUA_TBOOLEAN) v = lua_toboolean(L, -1);
  else if (t != LUA_TNIL)
    luaL_error(L, "%s: opts.%s: expected a boolean, got %s", fname, key,
               lk_describe(L, -1));
  lua_pop(L, 1);
  return v;
}

/* A string option (absent: dflt, may be NULL).  The string belongs to the
** options table: valid while that table is.  [-0, +0, v] */
static LK_UNUSED const char *lk_opt_string(lua_State *L, int idx,
                                           const char *fname, const char *key,
                                           const char *dflt) {
  int t = lk__opt(L, idx, key);
  const char *v = dflt;
  if (t == LUA_TSTRING) v = lua_tostring(L, -1);
  else if (t != LUA_TNIL)
    luaL_error(L, "%s: opts.%s: expected a string, got %s", fname, key,
               lk_describe(L, -1));
  lua_pop(L, 1);
  return v;
}

/* A string option that must be one of list (NULL-terminated); returns its
** index in list (absent: dflt).  [-0, +0, v] */
static LK_UNUSED int lk_opt_choice(lua_State *L, int idx, const char *fname,
                                   const char *key, const char *const *list,
                                   int dflt) {
  size_t len = 0;
  const char *v = lk_opt_string(L, idx, fname, key, NULL);
  if (!v) return dflt;
  lk__opt(L, idx, key);                      /* the length: v may hold NUL */
  lua_tolstring(L, -1, &len);
  lua_pop(L, 1);
  int i = lk__find(list, v, len);
  if (i >= 0) return i;
  luaL_Buffer b;
  luaL_buffinit(L, &b);
  for (i = 0; list[i]; i++) {
    if (i) luaL_addstring(&b, ", ");
    luaL_addstring(&b, list[i]);
  }
  luaL_pushresult(&b);
  return luaL_error(L, "%s: opts.%s: expected one of %s, got \"%s\"", fname,
                    key, lua_tostring(L, -1), v);
}

/* The `threads` option: 0 (the default) means all cores, at most
** LECTOR_MAX_THREADS; anything else is an error, never clamped.  Returns
** 0..LECTOR_MAX_THREADS, as host->doc_pool takes it.  [-0, +0, v] */
static LK_UNUSED int lk_opt_threads(lua_State *L, int idx, const char *fname) {
  lua_Integer n = lk_opt_integer(L, idx, fname, "threads", 0, LUA_MININTEGER,
                                 LUA_MAXINTEGER);
  if (n < 0 || n > LECTOR_MAX_THREADS)
    luaL_error(L, "%s: opts.threads: expected 0 (all cores) to %d, got %I",
               fname, LECTOR_MAX_THREADS, n);
  return (int)n;
}

/* ------------------------------------------------------------------------
** The guard: a to-be-closed userdata owning what a Lua-facing call holds
** while it may raise (memory, a progress bar, a retained corpus, an output
** being written, a document's text).  It releases everything, newest
** first, when the call returns, raises, or is interrupted, and again
** never (its __close and __gc are idempotent).  A call keeps what it wants
** to keep with lk_guard_forget.
**
**   lk_guard *g = lk_guard_new(L);           -- pushed, marked to-close
**   double *v = lk_guard_alloc(L, g, n * sizeof *v);
**   lector_corpus *c = lk_guard_corpus(L, g, host->corpus_test(L, 1));
**   ... may raise ...
**   return 1;                                -- g closes here
**
** Leave the guard's stack slot alone (no lua_replace/lua_remove over it;
** lua_settop below it closes it early).
*/
typedef struct lk__slot {
  void (*release)(void *p);
  void *p;
} lk__slot;

typedef struct lk_guard {
  lk__slot *slot;
  size_t n, cap;
} lk_guard;

static LK_UNUSED int lk__guard_close(lua_State *L) {
  lk_guard *g = (lk_guard *)lua_touserdata(L, 1);
  if (!g) return 0;
  while (g->n > 0) {                       /* newest first */
    lk__slot s = g->slot[--g->n];
    if (s.release) s.release(s.p);
  }
  lk_free(g->slot);
  g->slot = NULL;
  g->cap = 0;
  return 0;
}

/* Push a new guard and mark it to-be-closed.  [-0, +1, m] */
static LK_UNUSED lk_guard *lk_guard_new(lua_State *L) {
  static const char key = 0;               /* this plugin's metatable */
  lk_guard *g = (lk_guard *)lua_newuserdatauv(L, sizeof *g, 0);
  memset(g, 0, sizeof *g);
  if (lua_rawgetp(L, LUA_REGISTRYINDEX, &key) == LUA_TNIL) {
    lua_pop(L, 1);
    lua_createtable(L, 0, 3);
    lua_pushcfunction(L, lk__guard_close);
    lua_setfield(L, -2, "__close");
    lua_pushcfunction(L, lk__guard_close);
    lua_setfield(L, -2, "__gc");
    lua_pushliteral(L, "lector.guard");
    lua_setfield(L, -2, "__name");
    lua_pushvalue(L, -1);
    lua_rawsetp(L, LUA_REGISTRYINDEX, &key);
  }
  lua_setmetatable(L, -2);
  lua_toclose(L, -1);
  return g;
}

/* Hand p to g: release(p) runs when g closes.  If g cannot grow, p is
** released at once and an out-of-memory error raised.  Returns p.
** [-0, +0, v] */
static LK_UNUSED void *lk_guard_add(lua_State *L, lk_guard *g,
                                    void (*release)(void *), void *p) {
  if (!p) return NULL;
  lk__slot *s = (lk__slot *)lk_grow(g->slot, &g->cap, g->n + 1,
                                    sizeof *g->slot);
  if (!s) {
    release(p);
    luaL_error(L, "out of memory");
  }
  g->slot = s;
  g->slot[g->n].release = release;
  g->slot[g->n++].p = p;
  return p;
}

/* Take p back from g (the newest slot holding it): it is not released.
** 1 if it was found.  Use it for what the call returns, or after an
** output was committed. */
static LK_UNUSED int lk_guard_forget(lk_guard *g, void *p) {
  for (size_t i = g->n; i-- > 0;)
    if (g->slot[i].p == p) {
      g->slot[i].release = NULL;
      return 1;
    }
  return 0;
}

static LK_UNUSED void lk__free_slot(void *p) { lk_free(p); }
static LK_UNUSED void lk__end_bar(void *p) {
  lk_host->progress_end((lector_progress *)p);
}
static LK_UNUSED void lk__release_corpus(void *p) {
  lk_host->corpus_release((lector_corpus *)p);
}
static LK_UNUSED void lk__abort_output(void *p) {
  lk_host->output_abort((lector_output *)p);
}
static LK_UNUSED void lk__release_text(void *p) {
  lk_host->text_release((lector_text *)p);
  lk_free(p);
}

/* n * size zeroed bytes of env memory (free with lk_free), NULL when n
** is 0; raises "out of memory" (n * size overflowing too).  Give it to a
** guard, or to a struct a guard frees, before anything else may raise.
** [-0, +0, v] */
static LK_UNUSED void *lk_zalloc(lua_State *L, size_t n, size_t size) {
  void *p = n && n <= SIZE_MAX / size ? lk_alloc(n * size) : NULL;
  if (!p && n) luaL_error(L, "out of memory (%I bytes)", (lua_Integer)(n * size));
  if (p) memset(p, 0, n * size);
  return p;
}

/* n bytes of env memory owned by g; raises on out of memory.
** [-0, +0, v] */
static LK_UNUSED void *lk_guard_alloc(lua_State *L, lk_guard *g, size_t n) {
  void *p = lk_alloc(n);
  if (!p) luaL_error(L, "out of memory (%I bytes)", (lua_Integer)n);
  return lk_guard_add(L, g, lk__free_slot, p);
}

/* A progress bar ended when g closes (NULL, when not drawn, is fine).
** [-0, +0, v] */
static LK_UNUSED lector_progress *lk_guard_progress(lua_State *L, lk_guard *g,
                                                    lector_progress *p) {
  return (lector_progress *)lk_guard_add(L, g, lk__end_bar, p);
}

/* A reference to corpus c (retained here, released when g closes): use
** it across Lua calls that might close the script's corpus value; NULL
** stays NULL.  [-0, +0, v] */
static LK_UNUSED lector_corpus *lk_guard_corpus(lua_State *L, lk_guard *g,
                                                lector_corpus *c) {
  if (!c) return NULL;
  return (lector_corpus *)lk_guard_add(L, g, lk__release_corpus,
                                       lk_host->corpus_retain(c));
}

/* An output aborted when g closes unless lk_guard_forget(g, o) took it
** back before output_commit.  [-0, +0, v] */
static LK_UNUSED lector_output *lk_guard_output(lua_State *L, lk_guard *g,
                                                lector_output *o) {
  return (lector_output *)lk_guard_add(L, g, lk__abort_output, o);
}

/* A zeroed lector_text whose text g releases: fill it with host->doc_text
** or host->check_text.  [-0, +0, v] */
static LK_UNUSED lector_text *lk_guard_text(lua_State *L, lk_guard *g) {
  lector_text *t = (lector_text *)lk_guard_alloc(L, g, sizeof *t);
  memset(t, 0, sizeof *t);
  g->slot[g->n - 1].release = lk__release_text;
  return t;
}

#endif
