/*
** repl.c -- the interactive REPL (see repl.h).
**
** Reading follows lua.c: a line is first compiled as "return <line>" so
** that expressions print their values; failing that, as a statement; a
** syntax error at <eof> means the chunk is incomplete, and more lines are
** read on the second prompt.  Everything the user typed runs through
** session_pcall (traceback, timeout, Ctrl-C); printing results runs there
** too, since a __summary is Lua code that may fail.
**
** Reading keys and lines from the terminal (signals, locale) is in
** repl_input.c; completing Lua names in repl_complete.c.
**
** Sections: history; errors; compiling and running; commands; the
** completion hook; the loop.
*/
#include "repl.h"

#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <editline/readline.h>

#include <lauxlib.h>

#include "mem.h"
#include "plugin_loader.h"
#include "pretty.h"
#include "repl_complete.h"
#include "repl_input.h"
#include "util.h"

#ifndef LECTOR_VERSION
#define LECTOR_VERSION "?"
#endif

#ifndef REPL_PROMPT
#define REPL_PROMPT "> "
#endif
#ifndef REPL_PROMPT2
#define REPL_PROMPT2 ">> "
#endif
/* Entries kept in the history file. */
#ifndef REPL_HISTORY_MAX
#define REPL_HISTORY_MAX 1000
#endif
/* Traceback lines shown under an error. */
#ifndef REPL_TRACE_LINES
#define REPL_TRACE_LINES 8
#endif

/* Chunks typed at the prompt are "stdin", as in lua.c. */
#define REPL_SOURCE "stdin"
#define REPL_CHUNKNAME "=" REPL_SOURCE

typedef struct repl {
  session *s;
  lua_State *L;
  char *history;         /* the history file, or NULL */
  char *last;            /* the last entry added to the history */
  int history_failed;    /* said once that writing it failed */
  int quit;
} repl;

static repl *repl_current;               /* for the completion callback */

static void repl_report(repl *r);


/* --- history ---------------------------------------------------------- */

/* mkdir -p, quietly: a missing history folder only costs the history. */
static void repl_mkdirs(const char *dir) {
  char *p = strdup(dir), *q;
  if (p == NULL) return;
  for (q = p + 1; *q; q++) {
    if (*q != '/') continue;
    *q = '\0';
    mkdir(p, 0700);
    *q = '/';
  }
  mkdir(p, 0700);
  free(p);
}

char *repl_history_path(void) {
  const char *env = getenv("LECTOR_HISTORY");
  const char *state = getenv("XDG_STATE_HOME");
  char *dir, *path;
  if (env != NULL) return *env ? strdup(env) : NULL;
  if (state != NULL && state[0] == '/')  /* the spec ignores relative ones */
    dir = util_errorf("%s/lector", state);
  else {
    const char *home = getenv("HOME");
    if (home == NULL || *home == '\0') {
      struct passwd *pw = getpwuid(getuid());
      home = pw ? pw->pw_dir : NULL;
    }
    if (home == NULL || *home == '\0') return NULL;
    dir = util_errorf("%s/.local/state/lector", home);
  }
  if (dir == NULL) return NULL;
  repl_mkdirs(dir);
  path = util_errorf("%s/history", dir);
  free(dir);
  return path;
}

/* Add an entry (not twice in a row) and save the file at once, so that
** history survives a crash or a kill. */
static void repl_history_add(repl *r, const char *text) {
  if (*text == '\0' || (r->last && strcmp(r->last, text) == 0)) return;
  add_history(text);
  free(r->last);
  r->last = strdup(text);
  if (r->history && write_history(r->history) != 0 && !r->history_failed) {
    fprintf(stderr, "lector: cannot write the history file %s\n", r->history);
    r->history_failed = 1;
  }
}


/* --- errors ----------------------------------------------------------- */

/* Traceback lines that say nothing to the user: the REPL's own chunk and
** the C frames around it. */
static int repl_noise(const char *line, size_t len) {
  static const char *const noise[] = {
    "[C]: in ?", "[C]: in function 'error'", "[C]: in function 'assert'",
    NULL
  };
  static const char source[] = REPL_SOURCE ":", main_chunk[] = "in main chunk";
  size_t slen = sizeof source - 1, mlen = sizeof main_chunk - 1;
  int i;
  for (i = 0; noise[i]; i++)
    if (strlen(noise[i]) == len && memcmp(noise[i], line, len) == 0) return 1;
  return len > slen + mlen && memcmp(line, source, slen) == 0 &&
         memcmp(line + len - mlen, main_chunk, mlen) == 0;
}

static void repl_add_line(util_buf *b, const char *line, size_t len) {
  util_buf_add(b, "\t", 1);
  util_buf_add(b, line, len);
  util_buf_add(b, "\n", 1);
}

/* Print an error message, its traceback cut to the frames worth seeing.
** "(...tail calls...)" stays only between two frames shown: our chunk
** "return f()" makes one at the bottom of every traceback.  A traceback
** of C functions alone (string.rep(), lector.load() called at the prompt)
** says no more than the message, which names the function. */
static void repl_print_error(const char *msg) {
  static const char head[] = "\nstack traceback:\n";
  static const char tail[] = "(...tail calls...)";
  const char *tb = strstr(msg, head), *p;
  util_buf out = {0};
  int kept = 0, cut = 0, tails = 0, lua_frames = 0;
  if (tb == NULL) {
    fprintf(stderr, "%s\n", msg);
    return;
  }
  for (p = tb + sizeof head - 1; *p; ) {
    const char *line = p + (*p == '\t'), *end = strchr(line, '\n');
    size_t len = end ? (size_t)(end - line) : strlen(line);
    p = line + len + (end != NULL);
    if (repl_noise(line, len)) continue;
    if (len == sizeof tail - 1 && memcmp(line, tail, len) == 0) {
      tails = 1;
      continue;
    }
    if (kept >= REPL_TRACE_LINES) {
      cut++;
      continue;
    }
    if (tails && kept > 0) {
      repl_add_line(&out, tail, sizeof tail - 1);
      kept++;
    }
    tails = 0;
    repl_add_line(&out, line, len);
    kept++;
    lua_frames += strncmp(line, "[C]:", 4) != 0;
  }
  fprintf(stderr, "%.*s\n", (int)(tb - msg), msg);
  if (lua_frames == 0) kept = cut = 0;
  if (kept > 0 && out.data != NULL)
    fprintf(stderr, "stack traceback:\n%s", out.data);
  if (cut > 0) fprintf(stderr, "\t... (%d more)\n", cut);
  util_buf_free(&out);
}

/* Print the error on top of the stack and pop it. [-1, +0, -] */
static void repl_report(repl *r) {
  const char *msg = lua_tostring(r->L, -1);
  repl_print_error(msg ? msg : "(error object is not a string)");
  lua_pop(r->L, 1);
}


/* --- compiling and running -------------------------------------------- */

/* Whether status and the message on top say the chunk merely ended too
** soon: Lua's syntax errors at the end of the input end in "<eof>". */
static int repl_incomplete(lua_State *L, int status) {
  static const char mark[] = "<eof>";
  size_t len, n = sizeof mark - 1;
  const char *msg;
  if (status != LUA_ERRSYNTAX) return 0;
  msg = lua_tolstring(L, -1, &len);
  return msg != NULL && len >= n && memcmp(msg + len - n, mark, n) == 0;
}

/* Compile "return <text>" ("=expr" as lua 5.1 did, too); push the
** function and return 1, or push nothing and return 0. [-0, +(0|1), -] */
static int repl_load_expr(lua_State *L, const char *text, size_t len) {
  util_buf b = {0};
  size_t skip = strspn(text, " \t");
  int status;
  if (skip < len && text[skip] == '=') skip++;
  if (util_buf_add(&b, "return ", 7) != 0 ||
      util_buf_add(&b, text + skip, len - skip) != 0) {
    util_buf_free(&b);
    return 0;
  }
  status = luaL_loadbufferx(L, b.data, b.len, REPL_CHUNKNAME, "t");
  util_buf_free(&b);
  if (status == LUA_OK) return 1;
  lua_pop(L, 1);
  return 0;
}

/* Compile text as an expression, else as statements. [-0, +1, -] */
static int repl_compile(lua_State *L, const char *text, size_t len) {
  if (repl_load_expr(L, text, len)) return LUA_OK;
  return luaL_loadbufferx(L, text, len, REPL_CHUNKNAME, "t");
}

/* Whether text is an unfinished expression, like "{1," or "1 +", which
** as statements are plain syntax errors. */
static int repl_expr_incomplete(lua_State *L, const char *text, size_t len) {
  util_buf b = {0};
  int status, more = 0;
  if (util_buf_add(&b, "return ", 7) == 0 &&
      util_buf_add(&b, text, len) == 0) {
    status = luaL_loadbufferx(L, b.data, b.len, REPL_CHUNKNAME, "t");
    more = repl_incomplete(L, status);
    lua_pop(L, 1);
  }
  util_buf_free(&b);
  return more;
}

/* Read lines after `first` until they make a complete chunk, whose text
** is left in *text.  Pushes the function (LUA_OK) or the syntax error
** (its status); returns -1 with nothing pushed when Ctrl-C or Ctrl-D
** abandoned the chunk. [-0, +(0|1), -] */
static int repl_read_chunk(repl *r, const char *first, util_buf *text) {
  lua_State *L = r->L;
  int status, intr;
  char *line;
  if (util_buf_add(text, first, strlen(first)) != 0) {
    lua_pushliteral(L, "out of memory");
    return LUA_ERRMEM;
  }
  for (;;) {
    status = repl_compile(L, text->data, text->len);
    if (status == LUA_OK) return status;
    if (!repl_incomplete(L, status) &&
        !repl_expr_incomplete(L, text->data, text->len))
      return status;
    lua_pop(L, 1);
    line = repl_input_readline(REPL_PROMPT2, &intr);
    if (line == NULL) {
      if (!intr) fputc('\n', stdout);
      return -1;
    }
    if (util_buf_add(text, "\n", 1) != 0 ||
        util_buf_add(text, line, strlen(line)) != 0) {
      free(line);
      lua_pushliteral(L, "out of memory");
      return LUA_ERRMEM;
    }
    free(line);
  }
}

/* Show the values given: each rendered, on one line separated by tabs as
** lua.c prints them, or one per line when some take several lines.  The
** first becomes the global `_`.  A lua_CFunction, run protected. */
static int repl_l_show(lua_State *L) {
  int n = lua_gettop(L), i, multi = 0;
  size_t len;
  const char *s;
  luaL_checkstack(L, n + 8, "too many results to show");
  lua_pushvalue(L, 1);
  lua_setglobal(L, "_");
  for (i = 1; i <= n; i++) {
    pretty_push(L, i, PRETTY_DEPTH);
    s = lua_tolstring(L, -1, &len);
    multi |= memchr(s, '\n', len) != NULL;
  }
  for (i = 1; i <= n; i++) {
    s = lua_tolstring(L, n + i, &len);
    if (i > 1) fputc(multi ? '\n' : '\t', stdout);
    fwrite(s, 1, len, stdout);
  }
  fputc('\n', stdout);
  fflush(stdout);
  return 0;
}

/* Show the values above base, and drop them. */
static void repl_show_results(repl *r, int base) {
  lua_State *L = r->L;
  int n = lua_gettop(L) - base;
  if (n <= 0) return;
  if (!lua_checkstack(L, 2)) {
    fprintf(stderr, "too many results to show\n");
    lua_settop(L, base);
    return;
  }
  lua_pushcfunction(L, repl_l_show);
  lua_insert(L, base + 1);
  if (session_pcall(r->s, n, 0) != LUA_OK) repl_report(r);
}

/* Call the function on top and show what it returns. [-1, +0, -] */
static void repl_exec(repl *r) {
  int base = lua_gettop(r->L) - 1;
  if (session_pcall(r->s, 0, LUA_MULTRET) != LUA_OK) repl_report(r);
  else repl_show_results(r, base);
}

/* A line of Lua: read the rest of its chunk, run it, show the results. */
static void repl_eval(repl *r, const char *line) {
  util_buf text = {0};
  int status = repl_read_chunk(r, line, &text);
  if (status != -1 && text.data != NULL) repl_history_add(r, text.data);
  if (status == LUA_OK) repl_exec(r);
  else if (status != -1) repl_report(r);
  util_buf_free(&text);
}


/* --- commands --------------------------------------------------------- */

typedef struct repl_command {
  const char *name;
  const char *args;
  const char *help;
  void (*run)(repl *r, const char *arg);
} repl_command;

static void repl_cmd_help(repl *r, const char *arg);
static void repl_cmd_plugins(repl *r, const char *arg);
static void repl_cmd_load(repl *r, const char *arg);
static void repl_cmd_time(repl *r, const char *arg);
static void repl_cmd_quit(repl *r, const char *arg);

static const repl_command repl_commands[] = {
  {"help", "", "this summary", repl_cmd_help},
  {"plugins", "", "the plugins: name, version, summary, path; failures",
   repl_cmd_plugins},
  {"load", " PATH", "corpus = lector.load(PATH), and show it", repl_cmd_load},
  {"time", " EXPR", "run EXPR once: its values, wall time and memory",
   repl_cmd_time},
  {"quit", "", "leave (Ctrl-D on an empty line does too)", repl_cmd_quit},
  {NULL, NULL, NULL, NULL}
};

/* The command named by name[0..len): exact, else a unique prefix.  NULL
** when there is none; *ambiguous tells a prefix of several. */
static const repl_command *repl_find_command(const char *name, size_t len,
                                             int *ambiguous) {
  const repl_command *c, *found = NULL;
  int n = 0;
  *ambiguous = 0;
  for (c = repl_commands; c->name; c++) {
    if (strncmp(c->name, name, len) != 0) continue;
    if (strlen(c->name) == len) return c;
    found = c;
    n++;
  }
  if (n > 1) *ambiguous = 1;
  return n == 1 ? found : NULL;
}

/* A line starting with ':' (cmd points after it). */
static void repl_command_line(repl *r, const char *cmd) {
  size_t len = strcspn(cmd, " \t");
  const char *arg = cmd + len;
  const repl_command *c;
  int ambiguous;
  char *rest, *end;
  arg += strspn(arg, " \t");
  c = len > 0 ? repl_find_command(cmd, len, &ambiguous) : NULL;
  if (c == NULL) {
    fprintf(stderr, "%s command ':%.*s' (try :help)\n",
            len > 0 && ambiguous ? "ambiguous" : "unknown", (int)len, cmd);
    return;
  }
  rest = strdup(arg);
  if (rest == NULL) {
    fprintf(stderr, "out of memory\n");
    return;
  }
  for (end = rest + strlen(rest); end > rest && (end[-1] == ' ' ||
       end[-1] == '\t'); end--) {}
  *end = '\0';
  c->run(r, rest);
  free(rest);
}

static void repl_cmd_help(repl *r, const char *arg) {
  plugin_loader *pl = session_loader(r->s);
  const repl_command *c;
  size_t i, n = pl ? loader_count(pl) : 0;
  int any = 0;
  (void)arg;
  fputs(
    "Type Lua.  An expression shows its value(s); `_` holds the last one.\n"
    "  lector.load(path [, opts])  a folder, file or list of files -> corpus\n"
    "      opts: ext, glob, encoding, strict, quiet, hidden, threads,\n"
    "      format (\"auto\", \"text\", \"csv\", \"tsv\", \"jsonl\"), text, id, date\n"
    "      (column names), dates (\"auto\", \"header\", false)\n"
    "  #corpus, corpus[i]          number of documents, the i-th document\n"
    "  corpus:each()               iterate: for doc in corpus:each() do\n"
    "  corpus:filter(fn)           the documents for which fn(doc) is true\n"
    "  corpus:group_by(key_or_fn)  {key = corpus}, by a doc field or fn(doc)\n"
    "  corpus:dates(), :bytes()    first and last date; total bytes\n"
    "  corpus:join(file_or_table [, opts])  metadata by id; opts: on, format\n"
    "      (\"csv\", \"tsv\", \"labels\"), as, quiet -> corpus, counts\n"
    "  doc.id .path .title .date .year .month .folder .format .bytes .text\n"
    "      .meta .index\n"
    "  lector.plugin(name)         a plugin's module (require "
    "\"lector.<name>\")\n"
    "  lector.plugins()            the plugins: {name, version, summary, "
    "path}\n"
    "  lector.progress(n, label)   a progress bar: p:add(), p:done()\n"
    "  lector.show_progress(on)    bars on or off (off: lector -q)\n", stdout);
  for (i = 0; i < n; i++) {
    const plugin_info *in = loader_info(pl, i);
    if (in->error != NULL || in->name == NULL) continue;
    printf("%s%s", any ? ", " : "Plugins loaded: ", in->name);
    any = 1;
  }
  if (any) fputs("\n", stdout);
  fputs("Commands:\n", stdout);
  for (c = repl_commands; c->name; c++) {
    char head[32];
    snprintf(head, sizeof head, ":%s%s", c->name, c->args);
    printf("  %-12s %s\n", head, c->help);
  }
  printf("Values shown are cut: strings at %d bytes (print(s) shows all), "
         "tables at\n%d levels and %d items.\n", PRETTY_STRING_TOP,
         PRETTY_DEPTH, PRETTY_ITEMS);
  fputs("Tab completes names, fields and methods.  Ctrl-C stops a "
        "computation or\nclears the line.  Ctrl-D on an empty line quits.\n",
        stdout);
}

/* A plugin's name; for one that failed before naming itself, its file
** name without folder and ".so". */
static const char *repl_plugin_name(const plugin_info *in, int *len) {
  const char *path = in->path ? in->path : "?", *base = strrchr(path, '/');
  size_t n;
  if (in->name != NULL) {
    *len = (int)strlen(in->name);
    return in->name;
  }
  base = base ? base + 1 : path;
  n = strlen(base);
  if (n > 3 && strcmp(base + n - 3, ".so") == 0) n -= 3;
  *len = (int)n;
  return base;
}

static void repl_cmd_plugins(repl *r, const char *arg) {
  plugin_loader *pl = session_loader(r->s);
  size_t i, n = pl ? loader_count(pl) : 0;
  int width = 4;
  (void)arg;
  if (n == 0) {
    char **dirs = loader_search_path();
    printf("no plugins found; searched:");
    for (i = 0; dirs && dirs[i]; i++) printf(" %s", dirs[i]);
    printf("%s\n", dirs && dirs[0] ? "" : " (no folder)");
    loader_free_dirs(dirs);
    return;
  }
  for (i = 0; i < n; i++) {
    int len;
    repl_plugin_name(loader_info(pl, i), &len);
    if (len > width) width = len;
  }
  for (i = 0; i < n; i++) {
    const plugin_info *in = loader_info(pl, i);
    int len;
    const char *name = repl_plugin_name(in, &len);
    if (in->error != NULL)
      printf("%.*s%*s  FAILED  %s\n", len, name, width - len, "", in->error);
    else
      printf("%.*s%*s  %-7s %s\n", len, name, width - len, "",
             in->version ? in->version : "", in->summary ? in->summary : "");
    printf("%*s  %s\n", width, "", in->path ? in->path : "");
  }
}

/* corpus = lector.load(path), returned. [-1, +1, e] */
static int repl_l_load(lua_State *L) {
  if (lua_getglobal(L, "lector") != LUA_TTABLE)
    return luaL_error(L, "the global 'lector' is not the lector module");
  lua_getfield(L, -1, "load");
  lua_pushvalue(L, 1);
  lua_call(L, 1, 1);
  lua_pushvalue(L, -1);
  lua_setglobal(L, "corpus");
  return 1;
}

static void repl_cmd_load(repl *r, const char *arg) {
  lua_State *L = r->L;
  size_t len = strlen(arg);
  int base = lua_gettop(L);
  const char *home = getenv("HOME");
  if (len == 0) {
    fprintf(stderr, "usage: :load PATH (a folder, or a file)\n");
    return;
  }
  if (len >= 2 && (arg[0] == '"' || arg[0] == '\'') && arg[len - 1] == arg[0])
    lua_pushlstring(L, arg + 1, len - 2);
  else if (arg[0] == '~' && (arg[1] == '/' || arg[1] == '\0') && home)
    lua_pushfstring(L, "%s%s", home, arg + 1);
  else
    lua_pushstring(L, arg);
  lua_pushcfunction(L, repl_l_load);
  lua_insert(L, -2);
  if (session_pcall(r->s, 1, 1) != LUA_OK) repl_report(r);
  else repl_show_results(r, base);
}

/* Lua's allocator, counting what one evaluation allocates. */
typedef struct repl_count {
  lua_Alloc f;
  void *ud;
  size_t allocated;      /* bytes asked for, growths included */
  long long now, peak;   /* bytes in use, relative to the start */
} repl_count;

static void *repl_count_alloc(void *ud, void *ptr, size_t osize,
                              size_t nsize) {
  repl_count *c = ud;
  size_t old = ptr ? osize : 0;    /* without ptr, osize is a type tag */
  void *p = c->f(c->ud, ptr, osize, nsize);
  if (nsize == 0)
    c->now -= (long long)old;
  else if (p != NULL) {
    if (nsize > old) c->allocated += nsize - old;
    c->now += (long long)nsize - (long long)old;
    if (c->now > c->peak) c->peak = c->now;
  }
  return p;
}

static double repl_clock(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* "1.5 MB": bytes in human units, with a sign when asked. */
static void repl_bytes(char *buf, size_t size, long long bytes, int sign) {
  static const char *const units[] = {"B", "KB", "MB", "GB", "TB"};
  double v = (double)(bytes < 0 ? -bytes : bytes);
  const char *s = bytes < 0 ? "-" : sign ? "+" : "";
  int u = 0;
  while (v >= 1024 && u < 4) {
    v /= 1024;
    u++;
  }
  if (u == 0) snprintf(buf, size, "%s%lld B", s, bytes < 0 ? -bytes : bytes);
  else snprintf(buf, size, "%s%.1f %s", s, v, units[u]);
}

static void repl_cmd_time(repl *r, const char *arg) {
  lua_State *L = r->L;
  int base = lua_gettop(L), status;
  repl_count count;
  size_t used0, used1;
  double t0, t1;
  char dur[32], alloc[32], peak[32], net[32];
  if (*arg == '\0') {
    fprintf(stderr, "usage: :time EXPR (or a statement)\n");
    return;
  }
  if (repl_compile(L, arg, strlen(arg)) != LUA_OK) {
    repl_report(r);
    return;
  }
  memset(&count, 0, sizeof count);
  count.f = lua_getallocf(L, &count.ud);
  lua_setallocf(L, repl_count_alloc, &count);
  used0 = mem_used();
  t0 = repl_clock();
  status = session_pcall(r->s, 0, LUA_MULTRET);
  t1 = repl_clock();
  used1 = mem_used();
  lua_setallocf(L, count.f, count.ud);
  if (status != LUA_OK) repl_report(r);
  else repl_show_results(r, base);
  t1 -= t0;
  if (t1 < 1e-3) snprintf(dur, sizeof dur, "%.0f us", t1 * 1e6);
  else if (t1 < 1) snprintf(dur, sizeof dur, "%.2f ms", t1 * 1e3);
  else snprintf(dur, sizeof dur, "%.3f s", t1);
  repl_bytes(alloc, sizeof alloc, (long long)count.allocated, 0);
  repl_bytes(peak, sizeof peak, count.peak, 1);
  repl_bytes(net, sizeof net, (long long)used1 - (long long)used0, 1);
  printf("time %s, allocated %s (peak %s), in use %s\n", dur, alloc, peak,
         net);
}

static void repl_cmd_quit(repl *r, const char *arg) {
  (void)arg;
  r->quit = 1;
}


/* --- the completion hook ---------------------------------------------- */

static char **repl_complete_commands(const char *text) {
  const repl_command *c;
  size_t n = 0, len = strlen(text + 1);
  char **m = calloc(sizeof repl_commands / sizeof *repl_commands + 2,
                    sizeof *m);
  if (m == NULL) return NULL;
  for (c = repl_commands; c->name; c++)
    if (strncmp(c->name, text + 1, len) == 0 &&
        (m[n + 1] = util_errorf(":%s", c->name)) != NULL)
      n++;
  return complete_matches(m, n);
}

/* Whether the line is ":load ..." (its argument completes as a file). */
static int repl_line_is_load(void) {
  const char *line = rl_line_buffer ? rl_line_buffer : "";
  const repl_command *c;
  size_t len;
  int ambiguous;
  line += strspn(line, " \t");
  if (*line++ != ':') return 0;
  len = strcspn(line, " \t");
  c = repl_find_command(line, len, &ambiguous);
  return c != NULL && c->run == repl_cmd_load && line[len] != '\0';
}

/* libedit's completion hook: a command after ':' at the start of the
** line, a file name after ":load", else a Lua name (repl_complete.c). */
static char **repl_complete(const char *text, int start, int end) {
  repl *r = repl_current;
  (void)end;
  rl_attempted_completion_over = 1;        /* no file names by default */
  if (r == NULL) return NULL;
  if (start == 0 && text[0] == ':') return repl_complete_commands(text);
  if (repl_line_is_load()) {
    rl_attempted_completion_over = 0;
    return NULL;
  }
  return complete_lua(r->L, text);
}


/* --- the loop --------------------------------------------------------- */

static void repl_banner(repl *r, const char *script) {
  plugin_loader *pl = session_loader(r->s);
  size_t i, n = pl ? loader_count(pl) : 0;
  int ok = 0, failed = 0;
  printf("Lector %s (%s)", LECTOR_VERSION, LUA_RELEASE);
  for (i = 0; i < n; i++) {
    const plugin_info *in = loader_info(pl, i);
    if (in->error != NULL || in->name == NULL) {
      failed++;
      continue;
    }
    printf("%s%s", ok++ ? ", " : ", plugins: ", in->name);
  }
  fputc('\n', stdout);
  if (failed > 0)
    printf("%d plugin%s failed to load (:plugins tells why)\n", failed,
           failed > 1 ? "s" : "");
  if (script != NULL) printf("Ran %s; its globals are here.\n", script);
  printf(":help for help, Tab completes, Ctrl-D quits.\n");
}

/* 1 when the history file can be used: missing (made at the first
** entry) or a regular file.  A FIFO or a device would block readline's
** open(2) forever, so it is checked with a non-blocking open; otherwise a
** warning and the REPL runs without history. */
static int repl_history_usable(const char *path) {
  struct stat st;
  int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
  if (fd < 0) return errno == ENOENT;
  int ok = fstat(fd, &st) == 0 && S_ISREG(st.st_mode);
  close(fd);
  if (!ok)
    fprintf(stderr, "lector: warning: the history file %s is not a regular "
            "file; running without history\n", path);
  return ok;
}

static void repl_init_readline(repl *r) {
  rl_readline_name = "lector";
  rl_attempted_completion_function = repl_complete;
  rl_basic_word_break_characters = complete_word_break;
  rl_completer_word_break_characters = complete_word_break;
  rl_completion_append_character = '\0';
  rl_initialize();
  using_history();
  stifle_history(REPL_HISTORY_MAX);
  r->history = repl_history_path();
  if (r->history != NULL && !repl_history_usable(r->history)) {
    free(r->history);
    r->history = NULL;
  }
  if (r->history != NULL) read_history(r->history);
}

/* One prompt: a command, or a chunk of Lua. */
static void repl_step(repl *r) {
  int top = lua_gettop(r->L), intr;
  char *line = repl_input_readline(REPL_PROMPT, &intr);
  const char *p;
  if (line == NULL) {
    if (!intr) {                          /* Ctrl-D */
      fputc('\n', stdout);
      r->quit = 1;
    }
    return;
  }
  p = line + strspn(line, " \t");
  if (*p == ':') {
    repl_history_add(r, line);
    repl_command_line(r, p + 1);
  }
  else if (*p != '\0')
    repl_eval(r, line);
  free(line);
  lua_settop(r->L, top);
}

int repl_run(session *s, const char *script) {
  repl r;
  memset(&r, 0, sizeof r);
  r.s = s;
  r.L = session_lua(s);
  repl_current = &r;
  repl_input_begin();         /* signals, locale, libedit's key reader */
  repl_init_readline(&r);
  repl_banner(&r, script);
  while (!r.quit) repl_step(&r);
  fflush(stdout);
  clear_history();
  free(r.history);
  free(r.last);
  repl_input_end();
  repl_current = NULL;
  return 0;
}
