/*
** session.h -- one Lector session: the Lua state (with the counting
** allocator), the loaded plugins, the interrupt flag and the deadline.
** There is one session per process.
*/
#ifndef LECTOR_SESSION_H
#define LECTOR_SESSION_H

#include <stddef.h>

#include <lua.h>

#include "plugin_loader.h"

typedef struct session_opts {
  size_t memory_limit;   /* bytes; 0 = none */
  double timeout;        /* seconds for each top-level call; 0 = none */
  int no_plugins;        /* do not search for plugins (tests) */
  int quiet_plugins;     /* do not print plugin failures (--plugins lists
                            them itself) */
} session_opts;

typedef struct session session;

/* Create the Lua state, open the standard libraries and `lector`, and load
** the plugins from the search path.  Plugin failures are not errors: they
** are recorded (session_loader) and printed.  Returns 0, or nonzero with
** *err (malloc'd) when Lua itself cannot start. */
int session_open(const session_opts *opts, session **out, char **err);
/* lua_close, then close every plugin in reverse load order, then unload. */
void session_close(session *s);

lua_State *session_lua(session *s);
plugin_loader *session_loader(session *s);

/* Call the function below nargs arguments on the stack, in protected mode
** with a traceback handler, under the timeout and Ctrl-C handling.  As
** lua_pcall: returns LUA_OK with nresults pushed, or an error code with
** the message (traceback appended) pushed.  [-(nargs+1), +(nres|1), -] */
int session_pcall(session *s, int nargs, int nresults);

/* Let require find modules beside the script at path `script` (its
** folder goes in front of package.path, as LECTOR_PATH's folders do).
** LUA_OK, or an error status with the message pushed (out of memory). */
int session_add_script_dir(session *s, const char *script);

/* Print the message on top of the stack to stderr and pop it. [-1,+0,-] */
void session_report(session *s);

/* Ctrl-C: install/restore the SIGINT handler around a call; the flag is
** cleared when a top-level call starts. */
int session_interrupted(void);
void session_interrupt(void);      /* as Ctrl-C would (signal-safe) */
void session_clear_interrupt(void);

#endif
