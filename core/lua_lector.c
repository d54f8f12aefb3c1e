/*
** lua_lector.c -- the `lector` module seen by scripts, and progress bars
** in Lua: lector.progress, lector.show_progress, and print/io.write that
** keep a bar below what they write.
*/
#include "lua_lector.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <lauxlib.h>

#include "lua_corpus.h"
#include "lua_pack.h"
#include "mem.h"
#include "output.h"
#include "pretty.h"
#include "util.h"

#define PROGRESS_MT "lector.progress"
#define OUTPUT_MT "lector.output"

static plugin_loader *get_loader(lua_State *L) {
  return lua_touserdata(L, lua_upvalueindex(1));
}

/* lector.plugin(name) -> the plugin's module table. */
static int l_plugin(lua_State *L) {
  const char *name = luaL_checkstring(L, 1);
  loader_push_module(get_loader(L), L, name);
  return 1;
}

/* Push {name=, version=, summary=, path=, uses=} or {path=, error=}. */
static void push_info(lua_State *L, const plugin_info *in) {
  lua_createtable(L, 0, 5);
  if (in->name) {
    lua_pushstring(L, in->name);
    lua_setfield(L, -2, "name");
    lua_pushstring(L, in->version);
    lua_setfield(L, -2, "version");
    lua_pushstring(L, in->summary);
    lua_setfield(L, -2, "summary");
  }
  lua_pushstring(L, in->path);
  lua_setfield(L, -2, "path");
  if (in->error) {
    lua_pushstring(L, in->error);
    lua_setfield(L, -2, "error");
    return;
  }
  lua_createtable(L, (int)in->nuses, 0);
  for (size_t i = 0; i < in->nuses; i++) {
    lua_pushstring(L, in->uses[i]);
    lua_rawseti(L, -2, (lua_Integer)i + 1);
  }
  lua_setfield(L, -2, "uses");
}

/* lector.plugins() -> loaded plugins, then those that failed (with error). */
static int l_plugins(lua_State *L) {
  plugin_loader *pl = get_loader(L);
  lua_newtable(L);
  lua_newtable(L);
  lua_Integer nok = 0, nbad = 0;
  for (size_t i = 0; i < loader_count(pl); i++) {
    const plugin_info *in = loader_info(pl, i);
    push_info(L, in);
    if (in->error) lua_rawseti(L, -2, ++nbad);
    else lua_rawseti(L, -3, ++nok);
  }
  return 2;
}

/* lector.memory() -> {used =, peak =, limit =, allocations =} in bytes
** (limit 0: none), as counted for Lua and plugins. */
static int l_memory(lua_State *L) {
  lua_createtable(L, 0, 4);
  lua_pushinteger(L, (lua_Integer)mem_used());
  lua_setfield(L, -2, "used");
  lua_pushinteger(L, (lua_Integer)mem_peak());
  lua_setfield(L, -2, "peak");
  lua_pushinteger(L, (lua_Integer)mem_limit());
  lua_setfield(L, -2, "limit");
  lua_pushinteger(L, (lua_Integer)mem_alloc_count());
  lua_setfield(L, -2, "allocations");
  return 1;
}

/* --- progress bars ------------------------------------------------------- */

typedef struct lprogress {
  progress *p;         /* NULL when not drawn (quiet, nested) or done */
} lprogress;

progress *lector_progress_push(lua_State *L, const char *label,
                               const char *unit, uint64_t total) {
  lprogress *u = lua_newuserdatauv(L, sizeof *u, 0);
  u->p = NULL;
  luaL_setmetatable(L, PROGRESS_MT);   /* first, so __gc ends the bar */
  u->p = progress_begin(label, unit, total);
  return u->p;
}

progress *lector_progress_at(lua_State *L, int idx) {
  lprogress *u = luaL_testudata(L, idx, PROGRESS_MT);
  return u ? u->p : NULL;
}

void lector_progress_done(lua_State *L, int idx) {
  lprogress *u = luaL_testudata(L, idx, PROGRESS_MT);
  if (u) {
    progress_end(u->p);
    u->p = NULL;
  }
}

/* p:done(), and __close and __gc: end the bar once. */
static int lprogress_done(lua_State *L) {
  luaL_checkudata(L, 1, PROGRESS_MT);
  lector_progress_done(L, 1);
  return 0;
}

/* p:add([n = 1]) */
static int lprogress_add(lua_State *L) {
  lprogress *u = luaL_checkudata(L, 1, PROGRESS_MT);
  lua_Integer n = luaL_optinteger(L, 2, 1);
  luaL_argcheck(L, n >= 0, 2, "must not be negative");
  progress_add(u->p, (uint64_t)n);
  return 0;
}

/* lector.progress([total [, label [, unit]]]) -> a bar; total 0 or nil
** when unknown. */
static int l_progress(lua_State *L) {
  lua_Integer total = luaL_optinteger(L, 1, 0);
  const char *label = luaL_optstring(L, 2, "progress");
  const char *unit = luaL_optstring(L, 3, "docs");
  luaL_argcheck(L, total >= 0, 1, "must not be negative");
  lector_progress_push(L, label, unit, (uint64_t)total);
  return 1;
}

/* lector.show_progress([on]) -> whether bars are drawn (stderr is a
** terminal and they are not turned off); a boolean turns them on or off. */
static int l_show_progress(lua_State *L) {
  if (!lua_isnoneornil(L, 1)) {
    luaL_checktype(L, 1, LUA_TBOOLEAN);
    progress_set_shown(lua_toboolean(L, 1));
  }
  lua_pushboolean(L, progress_shown());
  return 1;
}

/* print, wrapped: the bar is erased and drawn again below the line. */
static int l_print(lua_State *L) {
  int n = lua_gettop(L);
  progress_suspend();
  lua_pushvalue(L, lua_upvalueindex(1));
  lua_insert(L, 1);
  lua_call(L, n, 0);
  progress_resume();
  return 0;
}

/* io.write, wrapped: the same, once the output ends a line. */
static int l_write(lua_State *L) {
  int n = lua_gettop(L);
  size_t len = 0;
  const char *last = n > 0 && lua_type(L, n) == LUA_TSTRING
                         ? lua_tolstring(L, n, &len) : NULL;
  int eol = last && len && last[len - 1] == '\n';
  progress_suspend();
  lua_pushvalue(L, lua_upvalueindex(1));
  lua_insert(L, 1);
  lua_call(L, n, LUA_MULTRET);
  if (eol) {
    fflush(stdout);
    progress_resume();
  }
  return lua_gettop(L);
}

/* Replace t[name] (a function) by f with the original as upvalue. */
static void wrap(lua_State *L, int t, const char *name, lua_CFunction f) {
  t = lua_absindex(L, t);
  if (lua_getfield(L, t, name) == LUA_TFUNCTION) {
    lua_pushcclosure(L, f, 1);
    lua_setfield(L, t, name);
  } else lua_pop(L, 1);
}

static void lprogress_open(lua_State *L) {
  static const luaL_Reg meta[] = {
    {"__close", lprogress_done},
    {"__gc", lprogress_done},
    {NULL, NULL}
  };
  static const luaL_Reg methods[] = {
    {"add", lprogress_add},
    {"done", lprogress_done},
    {NULL, NULL}
  };
  luaL_newmetatable(L, PROGRESS_MT);
  luaL_setfuncs(L, meta, 0);
  luaL_newlib(L, methods);
  lua_setfield(L, -2, "__index");
  lua_pop(L, 1);
  if (!isatty(STDOUT_FILENO)) return;   /* output elsewhere: no mixing */
  lua_pushglobaltable(L);
  wrap(L, -1, "print", l_print);
  lua_pop(L, 1);
  if (lua_getglobal(L, "io") == LUA_TTABLE) wrap(L, -1, "write", l_write);
  lua_pop(L, 1);
}

/* --- lector.output: checked, atomic writes (core/output.h) --------------- */

typedef struct loutput {
  output *o;           /* NULL once committed or aborted */
} loutput;

static loutput *check_open_output(lua_State *L) {
  loutput *u = luaL_checkudata(L, 1, OUTPUT_MT);
  if (!u->o) luaL_error(L, "lector.output: already committed or aborted");
  return u;
}

/* The inputs {...} of the options table at idx as a C array in a new
** userdata; the inputs table stays pushed below it, keeping the strings.
** [-0, +1|+2, e] */
static const char **output_inputs(lua_State *L, int idx, size_t *n) {
  *n = 0;
  if (lua_isnoneornil(L, idx)) {
    lua_pushnil(L);
    return NULL;
  }
  luaL_checktype(L, idx, LUA_TTABLE);
  if (lua_getfield(L, idx, "inputs") == LUA_TNIL) return NULL;
  if (!lua_istable(L, -1))
    luaL_error(L, "lector.output: inputs must be a table of paths, got %s",
               luaL_typename(L, -1));
  int t = lua_gettop(L);
  size_t len = lua_rawlen(L, t);
  const char **v = lua_newuserdatauv(L, (len ? len : 1) * sizeof *v, 0);
  for (size_t i = 0; i < len; i++) {
    if (lua_rawgeti(L, t, (lua_Integer)i + 1) != LUA_TSTRING)
      luaL_error(L, "lector.output: inputs[%d] must be a path, got %s",
                 (int)i + 1, luaL_typename(L, -1));
    v[i] = lua_tostring(L, -1);      /* kept alive by the inputs table */
    lua_pop(L, 1);
  }
  *n = len;                          /* the inputs table stays below */
  return v;
}

/* lector.output(path [, {inputs = {...}}]) -> an output object writing
** to a temporary beside path, renamed over it by f:commit(). */
static int l_output(lua_State *L) {
  const char *path = luaL_checkstring(L, 1);
  size_t n;
  const char **inputs = output_inputs(L, 2, &n);
  loutput *u = lua_newuserdatauv(L, sizeof *u, 0);
  u->o = NULL;
  luaL_setmetatable(L, OUTPUT_MT);
  char *err = NULL;
  u->o = output_open(path, inputs, n, &err);
  if (!u->o) return lcorpus_raise(L, "lector.output: ", err);
  return 1;
}

/* f:write(...) -> f, as file:write (strings and numbers); raises on an
** error naming the path. */
static int loutput_write(lua_State *L) {
  loutput *u = check_open_output(L);
  FILE *f = output_file(u->o);
  int n = lua_gettop(L);
  for (int i = 2; i <= n; i++) {
    int ok;
    if (lua_type(L, i) == LUA_TNUMBER)
      ok = (lua_isinteger(L, i)
                ? fprintf(f, LUA_INTEGER_FMT, lua_tointeger(L, i))
                : fprintf(f, LUA_NUMBER_FMT, lua_tonumber(L, i))) > 0;
    else {
      size_t len;
      const char *s = luaL_checklstring(L, i, &len);
      ok = fwrite(s, 1, len, f) == len;
    }
    if (!ok || ferror(f)) {
      int e = errno;
      return luaL_error(L, "lector.output: %s: could not write (%s)",
                        output_path(u->o), strerror(e));
    }
  }
  lua_settop(L, 1);
  return 1;
}

/* f:commit() -> true; raises naming the path (the target untouched). */
static int loutput_commit(lua_State *L) {
  loutput *u = check_open_output(L);
  output *o = u->o;
  u->o = NULL;
  char *err = NULL;
  if (output_commit(o, &err) != 0) {
    return lcorpus_raise(L, "lector.output: ", err);
  }
  lua_pushboolean(L, 1);
  return 1;
}

/* f:abort(), __close and __gc: remove the temporary unless committed. */
static int loutput_abort(lua_State *L) {
  loutput *u = luaL_checkudata(L, 1, OUTPUT_MT);
  output_abort(u->o);
  u->o = NULL;
  return 0;
}

static int loutput_tostring(lua_State *L) {
  loutput *u = luaL_checkudata(L, 1, OUTPUT_MT);
  if (u->o) lua_pushfstring(L, "lector.output (%s)", output_path(u->o));
  else lua_pushliteral(L, "lector.output (closed)");
  return 1;
}

static void loutput_open(lua_State *L) {
  static const luaL_Reg meta[] = {
    {"__close", loutput_abort},
    {"__gc", loutput_abort},
    {"__tostring", loutput_tostring},
    {NULL, NULL}
  };
  static const luaL_Reg methods[] = {
    {"write", loutput_write},
    {"commit", loutput_commit},
    {"abort", loutput_abort},
    {NULL, NULL}
  };
  luaL_newmetatable(L, OUTPUT_MT);
  luaL_setfuncs(L, meta, 0);
  luaL_newlib(L, methods);
  lua_setfield(L, -2, "__index");
  lua_pop(L, 1);
}

/* lector.clock() -> seconds on a monotonic clock (for timing: only
** differences mean anything).  [-0, +1, -] */
static int l_clock(lua_State *L) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  lua_pushnumber(L, (lua_Number)t.tv_sec + (lua_Number)t.tv_nsec / 1e9);
  return 1;
}

/* --- the module ------------------------------------------------------------ */

void lector_lua_open(lua_State *L, plugin_loader *pl) {
  static const luaL_Reg funcs[] = {
    {"plugin", l_plugin},
    {"plugins", l_plugins},
    {NULL, NULL}
  };
  static const luaL_Reg free_funcs[] = {
    {"load", lcorpus_load},
    {"show", pretty_lua_show},
    {"progress", l_progress},
    {"show_progress", l_show_progress},
    {"output", l_output},
    {"memory", l_memory},
    {"clock", l_clock},
    {NULL, NULL}
  };
  lcorpus_open(L);
  lprogress_open(L);
  loutput_open(L);
  lua_newtable(L);
  lua_pushlightuserdata(L, pl);
  luaL_setfuncs(L, funcs, 1);
  luaL_setfuncs(L, free_funcs, 0);
  lpack_open(L, pl);      /* lector.pack; load's check option */
  lua_pushliteral(L, LECTOR_VERSION);
  lua_setfield(L, -2, "version");
  lua_pushvalue(L, -1);
  lua_setglobal(L, "lector");
  luaL_getsubtable(L, LUA_REGISTRYINDEX, LUA_LOADED_TABLE);
  lua_insert(L, -2);
  lua_setfield(L, -2, "lector");
  lua_pop(L, 1);
}
