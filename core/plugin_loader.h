/*
** plugin_loader.h -- finding, checking, opening and closing plugins, and
** the registry of what they provide (Lua modules, C services) and use.
**
** A plugin goes through: dlopen(RTLD_NOW|RTLD_LOCAL) -> entry symbol ->
** descriptor checks (sizes, ABI, Lua version and number sizes, name, no
** private copy of Lua, unique name) -> open() -> ready().  Any failure is
** one line naming the file; the plugin is unloaded, whatever it registered
** is withdrawn, and loading goes on with the next one.
*/
#ifndef LECTOR_PLUGIN_LOADER_H
#define LECTOR_PLUGIN_LOADER_H

#include <stddef.h>

#include <lua.h>

#include "lector/plugin.h"

typedef struct plugin_loader plugin_loader;

/* What `lector --plugins` and lector.plugins() show. */
typedef struct plugin_info {
  const char *name;      /* NULL when the plugin failed before naming itself */
  const char *version;
  const char *summary;
  const char *path;
  const char *error;     /* NULL when loaded */
  char **uses;           /* services it required from other plugins */
  size_t nuses;
} plugin_info;

/* A loader registering Lua modules into L (package.preload). */
plugin_loader *loader_new(lua_State *L);
/* Unload every plugin: close() then dlclose(), in reverse load order.
** Call after lua_close(L). */
void loader_free(plugin_loader *pl);

/* The plugin folders, in search order: LECTOR_PLUGIN_PATH (colon-
** separated) is searched last.  Folders that do not exist are left out;
** the same folder is not listed twice.  Returns a malloc'd NULL-terminated
** array of malloc'd strings (free with loader_free_dirs). */
char **loader_search_path(void);
void loader_free_dirs(char **dirs);

/* Load every *.so in dir, in name order. */
void loader_load_dir(plugin_loader *pl, const char *dir);
/* Load one file.  Returns 0 when it loaded; else records the failure. */
int loader_load_file(plugin_loader *pl, const char *path);
/* Call ready() on every plugin opened since the last call. */
void loader_ready(plugin_loader *pl);

/* Print failures to stderr as they happen (default on). */
void loader_set_verbose(plugin_loader *pl, int on);

/* Loaded and failed plugins, in the order they were tried. */
size_t loader_count(const plugin_loader *pl);
const plugin_info *loader_info(const plugin_loader *pl, size_t i);

/* The module table of a loaded plugin: require "lector.<name>".
** Raises a Lua error listing the loaded plugins when there is none.
** [-0, +1, e] */
void loader_push_module(plugin_loader *pl, lua_State *L, const char *name);

/* The service name at min_version or later, for the host's own use (no
** plugin is recorded as its user); NULL with *err (host_errorf; err may
** be NULL) when missing or older. */
const void *loader_service(const plugin_loader *pl, const char *name,
                           int min_version, char **err);

/* --- for host.c: what the host table's plugin-facing calls do ---------- */
int loader_register_module(lector_ctx *ctx, const char *name,
                           lua_CFunction openf, char **err);
lua_State *loader_lua(lector_ctx *ctx);
int loader_provide(lector_ctx *ctx, const char *name, int version,
                   const void *api, char **err);
const void *loader_require(lector_ctx *ctx, const char *name,
                           int min_version, char **err);
const char *loader_ctx_name(const lector_ctx *ctx);

#endif
