/*
** session.c -- the Lua state, protected calls with tracebacks, Ctrl-C and
** timeouts, and the plugins of one session.
*/
#include "session.h"

#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <lauxlib.h>
#include <lualib.h>

#include "config.h"
#include "lua_lector.h"
#include "mem.h"
#include "progress.h"
#include "util.h"
#include "vocab.h"

struct session {
  lua_State *L;
  plugin_loader *loader;
  session_opts opts;
  double timeout;
  int warn_on;
};

/* The one session of the process (signal handlers need it). */
static session *current;
static atomic_int interrupt_flag;
static _Atomic double deadline;        /* monotonic seconds; 0 = none */

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* --- interruption -------------------------------------------------------- */

static void stop_hook(lua_State *L, lua_Debug *ar);

int session_interrupted(void) {
  if (atomic_load_explicit(&interrupt_flag, memory_order_relaxed)) return 1;
  double d = atomic_load_explicit(&deadline, memory_order_relaxed);
  return d > 0 && now() > d;
}

/* Set the flag and make the running Lua code stop at its next
** instruction.  Safe in a signal handler (lua_sethook is, as lua.c relies
** on) and from another thread. */
void session_interrupt(void) {
  atomic_store(&interrupt_flag, 1);
  if (current)
    lua_sethook(current->L, stop_hook,
                LUA_MASKCALL | LUA_MASKRET | LUA_MASKCOUNT, 1);
}

void session_clear_interrupt(void) {
  atomic_store(&interrupt_flag, 0);
}

/* The hook: raise an error at the next instruction count check, and keep
** raising at every instruction after it: an interruption is sticky, so a
** script (or a plugin call) that pcall's the work cannot swallow it; only
** the end of the top-level call (session_pcall) clears it.  Counting only
** from then on: a call or return hook would fire in the message handler
** and turn the error into an "error in error handling". */
static void stop_hook(lua_State *L, lua_Debug *ar) {
  (void)ar;
  if (!session_interrupted()) return;
  lua_sethook(L, stop_hook, LUA_MASKCOUNT, 1);
  if (atomic_load(&interrupt_flag))
    luaL_error(L, "interrupted");
  luaL_error(L, "timeout: the call ran longer than %f seconds",
             current ? current->timeout : 0.0);
}

static void on_sigint(int sig) {
  (void)sig;
  session_interrupt();
}

/* --- calls --------------------------------------------------------------- */

/* Message handler: add a traceback (as lua.c's msghandler). */
static int msghandler(lua_State *L) {
  const char *msg = lua_tostring(L, 1);
  if (msg == NULL) {
    if (luaL_callmeta(L, 1, "__tostring") && lua_type(L, -1) == LUA_TSTRING)
      return 1;
    msg = lua_pushfstring(L, "(error object is a %s value)",
                          luaL_typename(L, 1));
  }
  luaL_traceback(L, L, msg, 1);
  return 1;
}

/* Runs protected: append to the message (index 1) which limit was hit
** and how to raise it. */
static int add_limit_note(lua_State *L) {
  char size[32];
  mem_format_size(mem_limit(), size, sizeof size);
  const char *msg = lua_tostring(L, 1);
  lua_pushfstring(L, "%s\n(the memory limit of %s was reached, set by %s; "
                  "raise it with --memory-limit SIZE, e.g. --memory-limit "
                  "8G, or lift it with --memory-limit none)",
                  msg ? msg : "not enough memory", size, mem_limit_source());
  return 1;
}

/* After a failed call: when the memory limit refused an allocation during
** it, say so in the message on top.  [-1, +1, -] */
static void note_memory_limit(lua_State *L, size_t refused_before) {
  const char *msg = lua_tostring(L, -1);
  if (!mem_limit() || mem_refused() == refused_before || !msg ||
      !strstr(msg, "memory") || !lua_checkstack(L, 3))
    return;
  lua_pushcfunction(L, add_limit_note);
  lua_pushvalue(L, -2);
  if (lua_pcall(L, 1, 1, 0) == LUA_OK) lua_replace(L, -2);
  else lua_pop(L, 1);               /* keep the plain message */
}

int session_pcall(session *s, int nargs, int nresults) {
  lua_State *L = s->L;
  int base = lua_gettop(L) - nargs;
  size_t refused = mem_refused();
  lua_pushcfunction(L, msghandler);
  lua_insert(L, base);
  session_clear_interrupt();
  if (s->timeout > 0) {
    atomic_store(&deadline, now() + s->timeout);
    lua_sethook(L, stop_hook, LUA_MASKCOUNT, LECTOR_HOOK_COUNT);
  }
  void (*old)(int) = signal(SIGINT, on_sigint);
  int status = lua_pcall(L, nargs, nresults, base);
  progress_reset();                  /* no bar outlives its call */
  signal(SIGINT, old);
  lua_sethook(L, NULL, 0, 0);
  atomic_store(&deadline, 0.0);
  lua_remove(L, base);
  if (status != LUA_OK) note_memory_limit(L, refused);
  return status;
}

void session_report(session *s) {
  const char *msg = lua_tostring(s->L, -1);
  fprintf(stderr, "%s\n", msg ? msg : "(error object is not a string)");
  fflush(stderr);
  lua_pop(s->L, 1);
}

/* --- warnings (lua_warn): off until "@on", as in lua.c ------------------- */

static void warnf(void *ud, const char *msg, int tocont) {
  static int continued;
  session *s = ud;
  if (!continued && *msg == '@') {
    if (strcmp(msg, "@on") == 0) s->warn_on = 1;
    else if (strcmp(msg, "@off") == 0) s->warn_on = 0;
    return;
  }
  if (s->warn_on) {
    if (!continued) fputs("Lua warning: ", stderr);
    fputs(msg, stderr);
    if (!tocont) fputc('\n', stderr);
  }
  continued = tocont;
}

/* --- set-up -------------------------------------------------------------- */

/* Put dir/?.lua and dir/?/init.lua in front of package.path.
** [-0, +0, e] */
static void path_prepend(lua_State *L, const char *dir, size_t len) {
  lua_getglobal(L, "package");
  luaL_Buffer b;
  luaL_buffinit(L, &b);
  luaL_addlstring(&b, dir, len);
  luaL_addstring(&b, "/?.lua;");
  luaL_addlstring(&b, dir, len);
  luaL_addstring(&b, "/?/init.lua;");
  lua_getfield(L, -2, "path");
  luaL_addvalue(&b);
  luaL_pushresult(&b);
  lua_setfield(L, -2, "path");
  lua_pop(L, 1);
}

/* Runs protected (it allocates): put the folder of the script named by
** lightuserdata 1 in front of package.path. */
static int session_add_dir_k(lua_State *L) {
  const char *script = lua_touserdata(L, 1);
  const char *slash = strrchr(script, '/');
  if (slash) path_prepend(L, script, (size_t)(slash - script));
  else path_prepend(L, ".", 1);
  return 0;
}

/* LECTOR_PATH: folders (colon-separated) searched first by require. */
static void path_from_env(lua_State *L) {
  const char *env = getenv("LECTOR_PATH");
  if (!env) return;
  const char *end = env + strlen(env);
  while (end > env) {             /* backwards, so the first stays first */
    const char *start = end;
    while (start > env && start[-1] != ':') start--;
    if (end > start) path_prepend(L, start, (size_t)(end - start));
    end = start > env ? start - 1 : env;
  }
}

int session_add_script_dir(session *s, const char *script) {
  lua_State *L = s->L;
  lua_pushcfunction(L, session_add_dir_k);
  lua_pushlightuserdata(L, (void *)script);
  return lua_pcall(L, 1, 0, 0);
}

/* Runs in protected mode: libraries, `lector`, plugins. */
static int session_init(lua_State *L) {
  session *s = lua_touserdata(L, 1);
  luaL_checkversion(L);
  luaL_openlibs(L);
  path_from_env(L);
  s->loader = loader_new(L);
  if (!s->loader) return luaL_error(L, "out of memory");
  loader_set_verbose(s->loader, !s->opts.quiet_plugins);
  lector_lua_open(L, s->loader);
  if (!s->opts.no_plugins) {
    char **dirs = loader_search_path();
    for (size_t i = 0; dirs && dirs[i]; i++)
      loader_load_dir(s->loader, dirs[i]);
    loader_free_dirs(dirs);
    loader_ready(s->loader);
  }
  return 0;
}

int session_open(const session_opts *opts, session **out, char **err) {
  static const session_opts defaults = {0};
  if (!opts) opts = &defaults;
  session *s = calloc(1, sizeof *s);
  if (!s) return *err = NULL, -1;
  mem_set_limit(opts->memory_limit);
  s->opts = *opts;
  s->timeout = opts->timeout;
  s->L = lua_newstate(mem_lua_alloc, NULL);
  if (!s->L) {
    free(s);
    *err = util_errorf("cannot create the Lua state (memory limit too low?)");
    return -1;
  }
  lua_setwarnf(s->L, warnf, s);
  current = s;
  lua_pushcfunction(s->L, session_init);
  lua_pushlightuserdata(s->L, s);
  if (session_pcall(s, 1, 0) != LUA_OK) {
    *err = util_errorf("cannot start: %s", lua_tostring(s->L, -1));
    session_close(s);
    return -1;
  }
  *out = s;
  return 0;
}

void session_close(session *s) {
  if (!s) return;
  lua_close(s->L);
  loader_free(s->loader);
  if (current == s) current = NULL;
  vocab_reset();
  free(s);
}

lua_State *session_lua(session *s) { return s->L; }
plugin_loader *session_loader(session *s) { return s->loader; }
