/*
** test_repl.c -- the REPL driven through a pseudo-terminal.
**
** Each test starts `$LECTOR_BIN` under forkpty() with its own history
** file and plugin folder, types keystrokes and waits (with a timeout) for
** text to appear on the screen.  The screen is the child's output with
** terminal escapes and carriage returns removed.  The child is killed in
** the teardown whatever happened.  Set REPL_TEST_VERBOSE=1 to see every
** transcript.
*/
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

/* Milliseconds to wait for an expected text (ASan builds are slow). */
#define WAIT_MS 10000

typedef struct term {
  pid_t pid;
  int fd;
  int status;          /* exit status once reaped, else -1 */
  char *screen;        /* what was shown, escapes removed */
  size_t len, cap;
  size_t mark;         /* expectations search from here */
  int esc;             /* escape-sequence state of the filter */
  char dir[64];        /* the test's temporary folder */
  char history[128];
} term;

static double now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}


/* --- the screen ------------------------------------------------------- */

static void screen_add(term *t, char c) {
  if (t->len + 2 > t->cap) {
    t->cap = t->cap ? t->cap * 2 : 4096;
    t->screen = realloc(t->screen, t->cap);
    assert_non_null(t->screen);
  }
  t->screen[t->len++] = c;
  t->screen[t->len] = '\0';
}

/* Drop CSI (ESC [ ... final) and OSC (ESC ] ... BEL/ST) sequences, other
** two-byte escapes, carriage returns and bells. */
static void screen_feed(term *t, const char *buf, size_t n) {
  size_t i;
  for (i = 0; i < n; i++) {
    unsigned char c = (unsigned char)buf[i];
    switch (t->esc) {
      case 0:
        if (c == 0x1B) t->esc = 1;
        else if (c != '\r' && c != '\a') screen_add(t, (char)c);
        break;
      case 1:
        t->esc = c == '[' ? 2 : c == ']' ? 3 : 0;
        break;
      case 2:
        if (c >= 0x40 && c <= 0x7E) t->esc = 0;
        break;
      case 3:
        if (c == '\a') t->esc = 0;
        else if (c == 0x1B) t->esc = 4;
        break;
      default:
        t->esc = c == '\\' ? 0 : 3;
        break;
    }
  }
}

/* Read what the child shows, waiting up to ms milliseconds for it.
** Returns 1 when something came, 0 when nothing did, -1 once the child
** closed the terminal. */
static int term_pump(term *t, int ms) {
  struct pollfd p = {t->fd, POLLIN, 0};
  char buf[4096];
  ssize_t n;
  if (poll(&p, 1, ms) <= 0) return 0;
  n = read(t->fd, buf, sizeof buf);
  if (n <= 0) return -1;               /* EIO once the child is gone */
  screen_feed(t, buf, (size_t)n);
  if (getenv("REPL_TEST_VERBOSE")) fwrite(buf, 1, (size_t)n, stderr);
  return 1;
}

/* Wait until text shows after the mark; move the mark past it. */
static int term_wait(term *t, const char *text, int ms) {
  double end = now_ms() + ms;
  for (;;) {
    const char *hit = t->screen ? strstr(t->screen + t->mark, text) : NULL;
    double left = end - now_ms();
    if (hit != NULL) {
      t->mark = (size_t)(hit - t->screen) + strlen(text);
      return 1;
    }
    if (left <= 0 || term_pump(t, left < 50 ? (int)left + 1 : 50) < 0)
      return 0;
  }
}

/* (print_message would cut a long screen) */
static void term_show(const term *t) {
  fprintf(stderr, "---- screen ----\n%s\n---- end ----\n",
          t->screen ? t->screen : "");
}

/* Fail the test, showing the screen, unless text appears. */
#define expect(t, text) do { \
    if (!term_wait((t), (text), WAIT_MS)) { \
      term_show(t); \
      fail_msg("timed out waiting for \"%s\"", (text)); \
    } \
  } while (0)

/* Whether text shows between the mark and the end of the screen now. */
static int term_shows(const term *t, size_t from, const char *text) {
  return t->screen && strstr(t->screen + from, text) != NULL;
}

/* Type keys now, whatever the terminal's mode. */
static void term_send_now(term *t, const char *keys) {
  size_t n = strlen(keys);
  while (n > 0) {
    ssize_t w = write(t->fd, keys, n);
    if (w < 0 && errno == EINTR) continue;
    assert_true(w > 0);
    keys += w;
    n -= (size_t)w;
  }
}

/* Type keys once the line editor reads them: libedit prints the prompt
** before it puts the terminal in raw mode, and keys typed in between are
** echoed twice, and a Ctrl-D there can be lost.  (tcgetattr on the
** master side reads the slave's modes.) */
static void term_send(term *t, const char *keys) {
  double end = now_ms() + WAIT_MS;
  struct termios tio;
  while (tcgetattr(t->fd, &tio) == 0 && (tio.c_lflag & ICANON) &&
         now_ms() < end)
    term_pump(t, 5);
  term_send_now(t, keys);
}

/* Type a line and Enter. */
static void term_line(term *t, const char *line) {
  term_send(t, line);
  term_send(t, "\r");
}


/* --- the child -------------------------------------------------------- */

/* Start $LECTOR_BIN with args (NULL-terminated; NULL: none) under a
** 120x40 terminal; delay, if not NULL, is LECTOR_PROGRESS_DELAY_MS. */
static void term_spawn(term *t, const char *const *args, const char *delay) {
  struct winsize ws = {40, 120, 0, 0};
  const char *bin = getenv("LECTOR_BIN");
  char plugdir[128];
  char *argv[16] = {NULL};
  int fd, n = 0;
  pid_t pid;
  if (bin == NULL || *bin == '\0') skip();
  argv[n++] = (char *)bin;
  while (args && args[n - 1] && n < 15) {
    argv[n] = (char *)args[n - 1];
    n++;
  }
  pid = forkpty(&fd, NULL, NULL, &ws);
  assert_true(pid >= 0);
  if (pid == 0) {
    snprintf(plugdir, sizeof plugdir, "%s/plugins", t->dir);
    setenv("LECTOR_HISTORY", t->history, 1);
    setenv("LECTOR_PLUGIN_PATH", plugdir, 1);
    setenv("HOME", t->dir, 1);           /* no ~/.editrc of the user */
    setenv("TERM", "dumb", 1);
    if (delay) setenv("LECTOR_PROGRESS_DELAY_MS", delay, 1);
    execv(bin, argv);
    _exit(127);
  }
  t->pid = pid;
  t->fd = fd;
  t->status = -1;
  t->len = t->mark = 0;
  t->esc = 0;
  if (t->screen) t->screen[0] = '\0';
}

static void term_start(term *t) {
  term_spawn(t, NULL, NULL);
  expect(t, "> ");
}

/* Wait for the child to exit (ms at most), reading what it shows. */
static int term_reap(term *t, int ms) {
  double end = now_ms() + ms;
  int st;
  while (t->status < 0) {
    if (waitpid(t->pid, &st, WNOHANG) == t->pid) {
      t->status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
      break;
    }
    if (now_ms() > end) return 0;
    term_pump(t, 20);
  }
  while (term_pump(t, 0) > 0) {}
  return 1;
}

/* :quit, and the exit status. */
static int term_quit(term *t) {
  term_line(t, ":quit");
  if (!term_reap(t, WAIT_MS)) {
    term_show(t);
    fail_msg("the REPL did not exit after :quit");
  }
  return t->status;
}

static int setup(void **state) {
  term *t = calloc(1, sizeof *t);
  char path[160];
  FILE *f;
  if (t == NULL) return -1;
  t->pid = -1;
  t->fd = -1;
  t->status = -1;
  strcpy(t->dir, "/tmp/lector-repl-XXXXXX");
  if (mkdtemp(t->dir) == NULL) return -1;
  snprintf(t->history, sizeof t->history, "%s/history", t->dir);
  /* a plugin folder with one broken plugin, for :plugins */
  snprintf(path, sizeof path, "%s/plugins", t->dir);
  mkdir(path, 0700);
  snprintf(path, sizeof path, "%s/plugins/broken.so", t->dir);
  f = fopen(path, "w");
  if (f == NULL) return -1;
  fputs("not a shared object\n", f);
  fclose(f);
  *state = t;
  return 0;
}

static void remove_tree(const char *dir) {
  DIR *d = opendir(dir);
  struct dirent *e;
  char path[512];
  struct stat st;
  if (d == NULL) return;
  while ((e = readdir(d)) != NULL) {
    if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
    snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
    if (lstat(path, &st) == 0 && S_ISDIR(st.st_mode)) remove_tree(path);
    else unlink(path);
  }
  closedir(d);
  rmdir(dir);
}

static int teardown(void **state) {
  term *t = *state;
  if (t->pid > 0 && t->status < 0) {
    kill(t->pid, SIGKILL);
    waitpid(t->pid, NULL, 0);
  }
  if (t->fd >= 0) close(t->fd);
  remove_tree(t->dir);
  free(t->screen);
  free(t);
  return 0;
}


/* --- tests ------------------------------------------------------------ */

static void test_autoprint(void **state) {
  term *t = *state;
  term_start(t);
  term_line(t, "1+1");
  expect(t, "\n2\n> ");
  term_line(t, "string.find('hello', 'l')");
  expect(t, "\n3\t3\n> ");
  term_line(t, "(function() return 1, 'two', nil end)()");
  expect(t, "\n1\t\"two\"\tnil\n> ");
  term_line(t, "x = 5");             /* a statement shows nothing */
  expect(t, "x = 5\n> ");
  term_line(t, "=x * 2");            /* the "=expr" habit of lua 5.1 */
  expect(t, "\n10\n> ");
  term_line(t, "_ + 1");             /* _ is the last value */
  expect(t, "\n11\n> ");
  assert_int_equal(term_quit(t), 0);
}

static void test_continuation(void **state) {
  term *t = *state;
  term_start(t);
  term_line(t, "for i = 1, 2 do");
  expect(t, "\n>> ");
  term_line(t, "print(i * 10)");
  expect(t, "\n>> ");
  term_line(t, "end");
  expect(t, "\n10\n20\n> ");
  term_line(t, "{1,");               /* an expression over two lines */
  expect(t, "\n>> ");
  term_line(t, "2}");
  expect(t, "\n{1, 2}\n> ");
  term_line(t, "if true then");      /* Ctrl-C abandons the chunk */
  expect(t, "\n>> ");
  term_send(t, "\x03");
  expect(t, "\n> ");
  term_line(t, "3 * 3");
  expect(t, "\n9\n> ");
  assert_int_equal(term_quit(t), 0);
}

static void test_completion(void **state) {
  term *t = *state;
  term_start(t);
  term_send(t, "string.fo\t");
  expect(t, "string.format");
  term_send(t, "('%d', 7)\r");
  expect(t, "\n\"7\"\n> ");
  term_send(t, "lector.pl\t\t");      /* two candidates: listed */
  expect(t, "lector.plugins");
  term_send(t, "\x15\r");             /* Ctrl-U: clear the line */
  expect(t, "> ");
  term_line(t, "s = 'abc'");
  expect(t, "> ");
  term_send(t, "s:up\t");             /* through the string metatable */
  expect(t, "s:upper");
  term_send(t, "()\r");
  expect(t, "\n\"ABC\"\n> ");
  /* fields along an __index chain, and an __index function never run */
  term_line(t, "base = {hello = function() return 'hi' end}");
  expect(t, "> ");
  term_line(t, "obj = setmetatable({}, {__index = setmetatable({}, "
               "{__index = base})})");
  expect(t, "> ");
  term_send(t, "obj:hel\t");
  expect(t, "obj:hello");
  term_send(t, "()\r");
  expect(t, "\n\"hi\"\n> ");
  term_line(t, "trap = setmetatable({}, {__index = function() "
               "called = true end})");
  expect(t, "> ");
  term_send(t, "trap.x\t\x15\r");
  expect(t, "> ");
  term_line(t, "called");
  expect(t, "\nnil\n> ");
  /* an __index function's offer, listed in __fields and __methods */
  term_line(t, "o = setmetatable({}, {__index = function() end, "
               "__fields = {'title', 'text'}, __methods = {grab = print}})");
  expect(t, "> ");
  term_send(t, "o.ti\t");
  expect(t, "o.title");
  term_send(t, "\x15o:gr\t");
  expect(t, "o:grab");
  term_send(t, "\x15\r");
  expect(t, "> ");
  term_send(t, ":he\t");              /* commands complete too */
  expect(t, ":help");
  term_send(t, "\x15\r");
  expect(t, "> ");
  assert_int_equal(term_quit(t), 0);
}

static void test_ctrl_c(void **state) {
  term *t = *state;
  int tries;
  term_start(t);
  term_line(t, "x = 42");
  expect(t, "> ");
  term_line(t, "while true do end");
  expect(t, "while true do end\n");
  for (tries = 0; tries < 10; tries++) {   /* until the loop is running */
    usleep(200 * 1000);
    term_send_now(t, "\x03");
    if (term_wait(t, "interrupted", 1000)) break;
  }
  if (tries == 10) {
    term_show(t);
    fail_msg("Ctrl-C did not interrupt the loop");
  }
  expect(t, "\n> ");
  term_line(t, "x");
  expect(t, "\n42\n> ");
  term_send(t, "garbage here\x03");    /* Ctrl-C at the prompt: a new line */
  expect(t, "\n> ");
  term_line(t, "x + 1");
  expect(t, "\n43\n> ");
  assert_int_equal(term_quit(t), 0);
}

static void test_error(void **state) {
  term *t = *state;
  size_t from;
  term_start(t);
  term_line(t, "function boom() error('kaboom') end");
  expect(t, "> ");
  from = t->mark;
  term_line(t, "boom()");
  expect(t, "stdin:1: kaboom\n");
  expect(t, "stack traceback:\n");
  expect(t, "in function 'boom'");
  expect(t, "\n> ");
  /* the REPL's own frames are cut */
  assert_false(term_shows(t, from, "in main chunk"));
  assert_false(term_shows(t, from, "[C]: in ?"));
  assert_false(term_shows(t, from, "tail calls"));
  term_line(t, "1 +");                 /* a syntax error after more input */
  expect(t, ">> ");
  term_line(t, ")");
  expect(t, "unexpected symbol");
  expect(t, "\n> ");
  term_line(t, "2 + 2");
  expect(t, "\n4\n> ");
  assert_int_equal(term_quit(t), 0);
}

static void test_commands(void **state) {
  term *t = *state;
  term_start(t);
  term_line(t, ":help");
  expect(t, "lector.load");
  expect(t, "format (\"auto\", \"text\", \"csv\"");   /* issue 14's options */
  expect(t, "dates (\"auto\", \"header\", false)");
  expect(t, "corpus:join(");
  expect(t, ".folder .format");
  expect(t, ":load PATH");
  expect(t, ":quit");
  expect(t, "\n> ");
  term_line(t, ":frobnicate");
  expect(t, "unknown command ':frobnicate' (try :help)");
  expect(t, "\n> ");
  term_line(t, ":plugins");
  expect(t, "broken");                 /* a failure, with its reason */
  expect(t, "FAILED");
  expect(t, "not a shared object");
  expect(t, "broken.so");              /* and its path below */
  expect(t, "\n> ");
  term_line(t, ":time 6 * 7");
  expect(t, "\n42\ntime ");
  expect(t, "allocated");
  expect(t, "\n> ");
  term_line(t, ":load");
  expect(t, "usage: :load PATH");
  expect(t, "\n> ");
  assert_int_equal(term_quit(t), 0);
}

static void test_load(void **state) {
  term *t = *state;
  const char *fixtures = getenv("LECTOR_FIXTURES");
  char line[512];
  if (fixtures == NULL) skip();
  term_start(t);
  snprintf(line, sizeof line, ":load %s/repl/corpus", fixtures);
  term_line(t, line);
  expect(t, "3 documents");
  expect(t, "\n> ");
  term_line(t, "#corpus");
  expect(t, "\n3\n> ");
  term_send(t, "corpus:gr\t");
  expect(t, "corpus:group_by");
  term_send(t, "\x15\r");
  expect(t, "> ");
  term_line(t, "corpus[2].title");
  expect(t, "\"The town library will stay open");
  expect(t, "\n> ");
  term_line(t, ":load /no/such/folder");
  expect(t, "lector.load");
  expect(t, "\n> ");
  term_line(t, "#corpus");             /* the old corpus stays bound */
  expect(t, "\n3\n> ");
  /* a pack of it, loaded the same way */
  char pack[64];
  snprintf(pack, sizeof pack, "/tmp/lector_repl_%ld.lpk", (long)getpid());
  snprintf(line, sizeof line, "lector.pack(corpus, '%s', {quiet = true}).docs",
           pack);
  term_line(t, line);
  expect(t, "\n3\n> ");
  snprintf(line, sizeof line, ":load %s", pack);
  term_line(t, line);
  expect(t, "3 documents");
  expect(t, "\n> ");
  term_line(t, "corpus[2].title");
  expect(t, "\"The town library will stay open");
  expect(t, "\n> ");
  assert_int_equal(term_quit(t), 0);
  unlink(pack);
}

static void test_pretty(void **state) {
  term *t = *state;
  term_start(t);
  term_line(t, "t = {1, 2, name = 'x', sub = {ok = true}} t.self = t");
  expect(t, "> ");
  term_line(t, "t");
  expect(t, "\n{1, 2, name = \"x\", self = <cycle>, sub = {ok = true}}\n> ");
  term_line(t, "'tab\\there'");
  expect(t, "\n\"tab\\there\"\n> ");
  assert_int_equal(term_quit(t), 0);
}

/* Issue 12 item 8: LECTOR_HISTORY naming a FIFO does not block the REPL:
** a warning, then a working REPL without history. */
static void test_history_fifo(void **state) {
  term *t = *state;
  assert_int_equal(mkfifo(t->history, 0600), 0);
  term_start(t);
  assert_non_null(strstr(t->screen, "is not a regular file; running "
                                    "without history"));
  term_line(t, "print(6 * 7)");
  expect(t, "42");
  assert_int_equal(term_quit(t), 0);
}

static void test_history(void **state) {
  term *t = *state;
  char buf[4096];
  size_t n;
  FILE *f;
  term_start(t);
  term_line(t, "answer = 6 * 7");
  expect(t, "> ");
  term_send(t, "\x04");                /* Ctrl-D on an empty line */
  assert_true(term_reap(t, WAIT_MS));
  assert_int_equal(t->status, 0);
  f = fopen(t->history, "r");
  assert_non_null(f);
  n = fread(buf, 1, sizeof buf - 1, f);
  fclose(f);
  buf[n] = '\0';
  assert_non_null(strstr(buf, "answer"));
  /* a new REPL reads it back: Up recalls the line */
  close(t->fd);
  t->fd = -1;
  term_start(t);
  term_send(t, "\x1b[A");
  expect(t, "answer = 6 * 7");
  term_send(t, "\r");
  expect(t, "> ");
  term_line(t, "answer");
  expect(t, "\n42\n> ");
  assert_int_equal(term_quit(t), 0);
}

/* A folder of n small articles in the test's folder, into dir. */
static void make_corpus(const term *t, int n, char *dir, size_t cap) {
  char path[256];
  snprintf(dir, cap, "%s/corpus", t->dir);
  assert_int_equal(mkdir(dir, 0700), 0);
  for (int i = 0; i < n; i++) {
    snprintf(path, sizeof path, "%s/a%03d.txt", dir, i);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fprintf(f, " date 2026-05-%02d Article %d\nSome text.\n", i % 28 + 1, i);
    fclose(f);
  }
}

/* Run lector with args to its end; its exit status. */
static int term_run(term *t, const char *const *args) {
  if (t->fd >= 0) close(t->fd);
  term_spawn(t, args, "0");              /* bars without the delay */
  if (!term_reap(t, WAIT_MS)) {
    term_show(t);
    fail_msg("lector did not exit");
  }
  return t->status;
}

/* Progress bars show on the terminal (lector.load, corpus:each, a
** plugin over a corpus, lector.progress), and not with --quiet or lector.show_progress(false). */
static void test_progress(void **state) {
  term *t = *state;
  char dir[128], code[640], off[720];
  make_corpus(t, 300, dir, sizeof dir);
  snprintf(code, sizeof code,
           "local c = lector.load('%s') local n = 0 "
           "for d in c:each() do n = n + 1 end "
           "c:filter(function(d) return #d.text > 0 end) "
           "c:group_by(function(d) return #d.text %% 3 end) "
           "require('lector.sentiment').corpus(c) "
           "require('lector.ngram').count(c, {n = 2}) "
           "local p <close> = lector.progress(50, 'scoring') "
           "for i = 1, 50 do p:add() end "
           "print('shown', lector.show_progress(), 'docs', n)", dir);
  const char *on[] = {"-e", code, NULL};
  assert_int_equal(term_run(t, on), 0);
  expect(t, "lector.load  [");
  expect(t, "/300 files");
  expect(t, "corpus:each  [");
  expect(t, "/300 docs");
  expect(t, "corpus:filter  [");
  expect(t, "corpus:group_by  [");
  expect(t, "sentiment.corpus  [");
  expect(t, "ngram.count  [");
  expect(t, "scoring  [");
  expect(t, "shown\ttrue\tdocs\t300");
  const char *quiet[] = {"--quiet", "-e", code, NULL};
  snprintf(off, sizeof off, "lector.show_progress(false) %s", code);
  const char *script_off[] = {"-e", off, NULL};
  for (int run = 0; run < 2; run++) {
    assert_int_equal(term_run(t, run ? script_off : quiet), 0);
    expect(t, "shown\tfalse\tdocs\t300");
    if (term_shows(t, 0, "lector.load") || term_shows(t, 0, "corpus:each") ||
        term_shows(t, 0, "scoring") || term_shows(t, 0, "sentiment") ||
        term_shows(t, 0, "corpus:filter") ||
        term_shows(t, 0, "ngram.count") || term_shows(t, 0, "  [")) {
      term_show(t);
      fail_msg("a progress bar was drawn in run %d", run);
    }
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown(test_autoprint, setup, teardown),
    cmocka_unit_test_setup_teardown(test_continuation, setup, teardown),
    cmocka_unit_test_setup_teardown(test_completion, setup, teardown),
    cmocka_unit_test_setup_teardown(test_ctrl_c, setup, teardown),
    cmocka_unit_test_setup_teardown(test_error, setup, teardown),
    cmocka_unit_test_setup_teardown(test_commands, setup, teardown),
    cmocka_unit_test_setup_teardown(test_load, setup, teardown),
    cmocka_unit_test_setup_teardown(test_pretty, setup, teardown),
    cmocka_unit_test_setup_teardown(test_history, setup, teardown),
    cmocka_unit_test_setup_teardown(test_history_fifo, setup, teardown),
    cmocka_unit_test_setup_teardown(test_progress, setup, teardown),
  };
  signal(SIGPIPE, SIG_IGN);
  return cmocka_run_group_tests(tests, NULL, NULL);
}
