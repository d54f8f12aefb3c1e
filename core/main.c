/*
** main.c -- the `lector` command: options, scripts, -e, stdin, the REPL.
** Exit status: 0 on success, 1 on a script error, 2 on misuse.
*/
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <lauxlib.h>

#include "host.h"
#include "mem.h"
#include "plugin_loader.h"
#include "progress.h"
#include "repl.h"
#include "session.h"
#include "util.h"

#define EXIT_SCRIPT 1
#define EXIT_USAGE 2
#define EXIT_INTERRUPTED 130   /* as a shell reports a SIGINT death */

static const char *progname = "lector";

static void usage(FILE *f) {
  const char *why;
  char size[32];
  size_t def = mem_default_limit(&why);
  mem_format_size(def, size, sizeof size);
  fprintf(f,
    "usage: %s [options] [script [args...]]\n"
    "Runs a Lua analysis script with the lector module and its plugins.\n"
    "  -e CODE             run CODE (may be repeated)\n"
    "  -i                  enter the REPL after the script or -e\n"
    "  -                   read the script from standard input\n"
    "  --plugins           list plugins found, and those that failed\n"
    "  --pack DIR OUT      load DIR and write it as the pack OUT (.lpk)\n"
    "  --timeout SECONDS   stop a run that takes longer\n"
    "  --memory-limit SIZE cap memory used by Lua and plugins (e.g. 2G);\n"
    "                      0 or none: no cap; here %s by default (%s)\n"
    "  --no-plugins        do not load plugins\n"
    "  -q, --quiet         no progress bars or informational messages\n"
    "  -v, --version       print the version\n"
    "  -h, --help          print this help\n"
    "  --                  stop handling options\n"
    "With no script: the REPL on a terminal, else a script read from stdin.\n"
    "Exit status: 0 ok, 1 error, 2 misuse, 130 interrupted (Ctrl-C).\n",
    progname, def ? size : "none", why);
}

static int misuse(const char *fmt, const char *what) {
  fprintf(stderr, "%s: ", progname);
  fprintf(stderr, fmt, what);
  fprintf(stderr, "\n");
  usage(stderr);
  return EXIT_USAGE;
}

typedef struct cmdline {
  session_opts so;
  int script;            /* argv index of the script; 0 = none */
  int interactive;       /* -i */
  int list_plugins;
  int version;
  int help;
  int memory_set;        /* --memory-limit given */
  int quiet;             /* -q, --quiet */
  char **pack;           /* --pack DIR OUT: argv + i (pack.h) */
  char **code;           /* the -e arguments, in order (argv entries) */
  int ncode;
} cmdline;

/* Parse options; returns 0 or EXIT_USAGE (after printing why). */
static int parse_args(int argc, char **argv, cmdline *cl) {
  int i;
  for (i = 1; i < argc; i++) {
    const char *a = argv[i];
    if (a[0] != '-' || strcmp(a, "-") == 0) break;
    if (strcmp(a, "--") == 0) {
      i++;
      break;
    }
    if (strcmp(a, "-e") == 0) {
      if (++i >= argc) return misuse("'%s' needs an argument", a);
      cl->code[cl->ncode++] = argv[i];
    } else if (strcmp(a, "-i") == 0) cl->interactive = 1;
    else if (strcmp(a, "--plugins") == 0) cl->list_plugins = 1;
    else if (strcmp(a, "--pack") == 0) {
      if (i + 2 >= argc) return misuse("'%s' needs a folder and an output", a);
      cl->pack = argv + i + 1;
      i += 2;
    }
    else if (strcmp(a, "--no-plugins") == 0) cl->so.no_plugins = 1;
    else if (strcmp(a, "-q") == 0 || strcmp(a, "--quiet") == 0) cl->quiet = 1;
    else if (strcmp(a, "-v") == 0 || strcmp(a, "--version") == 0)
      cl->version = 1;
    else if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) cl->help = 1;
    else if (strcmp(a, "--timeout") == 0) {
      char *end;
      if (++i >= argc) return misuse("'%s' needs an argument", a);
      cl->so.timeout = strtod(argv[i], &end);
      if (*end || end == argv[i] || cl->so.timeout <= 0)
        return misuse("--timeout wants a number of seconds, not '%s'",
                      argv[i]);
    } else if (strcmp(a, "--memory-limit") == 0) {
      if (++i >= argc) return misuse("'%s' needs an argument", a);
      if (mem_parse_size(argv[i], &cl->so.memory_limit) != 0)
        return misuse("--memory-limit wants a size like 512M or 2G (or "
                      "none), not '%s'", argv[i]);
      cl->memory_set = 1;
    } else return misuse("unknown option '%s'", a);
  }
  if (i < argc) cl->script = i;
  return 0;
}

typedef struct argv_view {
  int argc;
  char **argv;
  int script;
} argv_view;

/* Runs protected (it allocates): the global `arg`, as lua.c makes it:
** arg[0] is the script, options before it get negative indices, its
** arguments 1..n.  Lightuserdata 1: the argv_view. */
static int create_arg_k(lua_State *L) {
  const argv_view *a = lua_touserdata(L, 1);
  int base = a->script ? a->script : a->argc;
  lua_createtable(L, a->argc - base, base + 1);
  for (int i = 0; i < a->argc; i++) {
    lua_pushstring(L, a->argv[i]);
    lua_rawseti(L, -2, i - (a->script ? a->script : 0));
  }
  lua_setglobal(L, "arg");
  return 0;
}

/* Runs protected: push the script's arguments, argv[script+1 ..]. */
static int push_args_k(lua_State *L) {
  const argv_view *a = lua_touserdata(L, 1);
  int nargs = a->argc - a->script - 1;
  luaL_checkstack(L, nargs + 3, "too many arguments to script");
  for (int i = a->script + 1; i < a->argc; i++) lua_pushstring(L, a->argv[i]);
  return nargs;
}

/* Runs protected (luaL_loadfile pushes the chunk name unprotected):
** load the file named by lightuserdata 1 (NULL: stdin); its errors are
** raised. */
static int load_file_k(lua_State *L) {
  const char *name = lua_touserdata(L, 1);
  if (luaL_loadfile(L, name) != LUA_OK) return lua_error(L);
  return 1;
}

/* luaL_loadfile, protected against memory errors: the same status and
** the chunk or the message pushed. */
static int load_file(lua_State *L, const char *name) {
  lua_pushcfunction(L, load_file_k);
  lua_pushlightuserdata(L, (void *)name);
  return lua_pcall(L, 1, 1, 0);
}

static int create_arg(session *s, int argc, char **argv, int script) {
  argv_view a = {argc, argv, script};
  lua_State *L = session_lua(s);
  lua_pushcfunction(L, create_arg_k);
  lua_pushlightuserdata(L, &a);
  if (lua_pcall(L, 1, 0, 0) == LUA_OK) return 0;
  session_report(s);
  return EXIT_SCRIPT;
}

/* Run the chunk loaded by status (LUA_OK with the function pushed) with
** nargs arguments pushed after it; report errors. */
static int run_loaded(session *s, int status, int nargs) {
  lua_State *L = session_lua(s);
  if (status == LUA_OK) status = session_pcall(s, nargs, 0);
  else lua_pop(L, nargs);
  if (status != LUA_OK) {
    session_report(s);
    return EXIT_SCRIPT;
  }
  return 0;
}

static int run_string(session *s, const char *code) {
  lua_State *L = session_lua(s);
  return run_loaded(s, luaL_loadbuffer(L, code, strlen(code), "=(command line)"),
                    0);
}

/* Run the script at argv[script] ('-' = stdin) with its arguments. */
static int run_script(session *s, int argc, char **argv, int script) {
  lua_State *L = session_lua(s);
  const char *name = argv[script];
  if (strcmp(name, "-") == 0 && strcmp(argv[script - 1], "--") != 0)
    name = NULL;                               /* stdin */
  else if (session_add_script_dir(s, name) != LUA_OK) {
    session_report(s);
    return EXIT_SCRIPT;
  }
  int status = load_file(L, name);
  argv_view a = {argc, argv, script};
  int top = lua_gettop(L);
  lua_pushcfunction(L, push_args_k);
  lua_pushlightuserdata(L, &a);
  if (lua_pcall(L, 1, LUA_MULTRET, 0) != LUA_OK) {
    session_report(s);
    lua_settop(L, top - 1);          /* and the chunk or its error */
    return EXIT_SCRIPT;
  }
  return run_loaded(s, status, lua_gettop(L) - top);
}

/* Run every -e in order. */
/* --pack DIR OUT: lector.pack(lector.load(DIR), OUT), as a script would
** (so the options and messages are lector.pack's), and what it did.  An
** error is its message alone: an error object with __tostring gets no
** traceback, which would only show this chunk. */
static int run_pack(session *s, char **pack, int quiet) {
  static const char code[] =
      "local dir, out, quiet = ...\n"
      "local ok, r = pcall(function()\n"
      "  return lector.pack(lector.load(dir, {quiet = quiet}), out,\n"
      "                     {quiet = quiet})\n"
      "end)\n"
      "if not ok then\n"
      "  error(setmetatable({}, {__tostring = function() return tostring(r) "
      "end}))\n"
      "end\n"
      "if not quiet then\n"
      "  io.stderr:write(string.format('lector: packed %d documents (%d bytes "
      "of text, %d words, %d tokens, %d left out) into %s (%d bytes)\\n',\n"
      "    r.docs, r.text_bytes, r.words, r.tokens, r.skipped, out, r.bytes))\n"
      "end\n";
  lua_State *L = session_lua(s);
  int status = luaL_loadbuffer(L, code, sizeof code - 1, "=--pack");
  lua_pushstring(L, pack[0]);
  lua_pushstring(L, pack[1]);
  lua_pushboolean(L, quiet);
  return run_loaded(s, status, 3);
}

static int run_e(session *s, const cmdline *cl) {
  for (int i = 0; i < cl->ncode; i++) {
    int rc = run_string(s, cl->code[i]);
    if (rc) return rc;
  }
  return 0;
}

static int list_plugins(session *s) {
  plugin_loader *pl = session_loader(s);
  size_t n = loader_count(pl), bad = 0;
  char **dirs = loader_search_path();
  printf("plugin folders:");
  for (size_t i = 0; dirs && dirs[i]; i++) printf(" %s", dirs[i]);
  printf("%s\n", dirs && dirs[0] ? "" : " (none found)");
  loader_free_dirs(dirs);
  for (size_t i = 0; i < n; i++) {
    const plugin_info *in = loader_info(pl, i);
    if (in->error) {
      bad++;
      continue;
    }
    printf("%-12s %-8s %s\n             %s\n", in->name, in->version,
           in->summary, in->path);
    for (size_t u = 0; u < in->nuses; u++)
      printf("%s%s", u ? ", " : "             uses: ", in->uses[u]);
    if (in->nuses) printf("\n");
  }
  for (size_t i = 0; i < n; i++) {
    const plugin_info *in = loader_info(pl, i);
    if (in->error) printf("failed: %s: %s\n", in->path, in->error);
  }
  return 0;
}

/* What print and io.write left in stdout's buffer is written now: a
** failure (a full disk, a closed pipe) is an error, never exit 0. */
static int finish_output(int rc) {
  int failed = ferror(stdout);
  errno = 0;
  if (fflush(stdout) != 0) failed = 1;
  if (failed) {
    fprintf(stderr, "%s: cannot write the output to standard output%s%s\n",
            progname, errno ? ": " : "", errno ? strerror(errno) : "");
    return rc ? rc : EXIT_SCRIPT;
  }
  return rc;
}

int main(int argc, char **argv) {
  char *code[argc > 0 ? argc : 1];   /* at most one -e per argument */
  cmdline cl = {.code = code};
  if (parse_args(argc, argv, &cl) != 0) return EXIT_USAGE;
  if (cl.help) {
    usage(stdout);
    return 0;
  }
  if (cl.version) {
    printf("lector %s (%s, plugin ABI %d.%d)\n", LECTOR_VERSION, LUA_RELEASE,
           LECTOR_ABI_MAJOR, LECTOR_ABI_MINOR);
    return 0;
  }
  if (!cl.memory_set) {
    const char *why;
    cl.so.memory_limit = mem_default_limit(&why);
    mem_set_limit_source(why);
  }
  cl.so.quiet_plugins = cl.list_plugins;
  /* bars only on a terminal: piped stderr stays clean for logs */
  progress_configure(STDERR_FILENO, isatty(STDERR_FILENO), -1);
  progress_set_shown(!cl.quiet);
  host_set_quiet(cl.quiet);
  session *s;
  char *err = NULL;
  if (session_open(&cl.so, &s, &err) != 0) {
    fprintf(stderr, "%s: %s\n", progname, UTIL_MSG(err));
    free(err);
    return EXIT_SCRIPT;
  }
  int rc = 0;
  if (cl.pack) rc = run_pack(s, cl.pack, cl.quiet);
  else if (cl.list_plugins) rc = list_plugins(s);
  else {
    rc = create_arg(s, argc, argv, cl.script);
    if (!rc) rc = run_e(s, &cl);
    if (!rc && cl.script) rc = run_script(s, argc, argv, cl.script);
    if (!rc && (cl.interactive || (!cl.script && !cl.ncode))) {
      if (cl.interactive || isatty(STDIN_FILENO))
        rc = repl_run(s, cl.script ? argv[cl.script] : NULL);
      else {
        rc = run_loaded(s, load_file(session_lua(s), NULL), 0);
      }
    }
  }
  if (rc && session_interrupted()) rc = EXIT_INTERRUPTED;
  session_close(s);
  return finish_output(rc);
}
