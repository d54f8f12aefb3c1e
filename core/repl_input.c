/*
** repl_input.c -- the REPL's terminal input (see repl_input.h).
**
** Ctrl-C at the prompt: our SIGINT handler sets a flag, which ends the
** wait for a key in input_getc, so readline() returns NULL; the flag tells
** that apart from end of input.
**
** Sections: signals; reading keys; lines; the locale; begin and end.
*/
#include "repl_input.h"

#include <errno.h>
#include <langinfo.h>
#include <limits.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/select.h>
#include <unistd.h>
#include <wchar.h>

#include <editline/readline.h>

static volatile sig_atomic_t input_sigint, input_sigcont;

/* What repl_input_begin found, for repl_input_end. */
static struct sigaction input_old_int, input_old_cont;
static char *input_old_locale;


/* --- signals ---------------------------------------------------------- */

static void input_on_sigint(int sig) {
  (void)sig;
  input_sigint = 1;
}

static void input_on_sigcont(int sig) {
  (void)sig;
  input_sigcont = 1;
}

static void input_catch(int sig, void (*handler)(int), struct sigaction *old) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = handler;
  sigemptyset(&sa.sa_mask);
  sigaction(sig, &sa, old);
}


/* --- reading keys ----------------------------------------------------- */

/* libedit reads every key through here.  Waiting with pselect, which
** unblocks SIGINT and SIGCONT only while it waits, closes the window in
** which a Ctrl-C that came just before the read would leave readline
** blocked.  Keys are decoded as libedit does (mbrtowc); EOF ends the
** line.  Back from Ctrl-Z, the shell has left the terminal cooked: make
** it raw again and draw the line anew. */
static int input_getc(FILE *f) {
  int fd = f ? fileno(f) : STDIN_FILENO, c = EOF;
  char buf[MB_LEN_MAX];
  size_t n = 0;
  sigset_t block, old, wait;
  sigemptyset(&block);
  sigaddset(&block, SIGINT);
  sigaddset(&block, SIGCONT);
  sigprocmask(SIG_BLOCK, &block, &old);
  wait = old;
  sigdelset(&wait, SIGINT);
  sigdelset(&wait, SIGCONT);
  while (!input_sigint) {
    fd_set in;
    wchar_t wc;
    mbstate_t st;
    size_t k;
    ssize_t got;
    if (input_sigcont) {
      input_sigcont = 0;
      rl_deprep_terminal();
      rl_prep_terminal(1);
      rl_forced_update_display();
    }
    FD_ZERO(&in);
    FD_SET(fd, &in);
    if (pselect(fd + 1, &in, NULL, NULL, NULL, &wait) < 0) {
      if (errno == EINTR) continue;
      break;
    }
    got = read(fd, buf + n, 1);
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) break;
    n++;
    memset(&st, 0, sizeof st);
    k = mbrtowc(&wc, buf, n, &st);
    if (k == (size_t)-2 && n < sizeof buf) continue;    /* more bytes */
    if (k == (size_t)-1 || k == (size_t)-2) {           /* invalid: drop */
      n = 0;
      continue;
    }
    c = (int)wc;
    break;
  }
  sigprocmask(SIG_SETMASK, &old, NULL);
  return c;
}


/* --- lines ------------------------------------------------------------ */

/* See repl_input.h. */
char *repl_input_readline(const char *prompt, int *intr) {
  char *line;
  fflush(stdout);
  fflush(stderr);
  clearerr(stdout);
  /* again each time: session_pcall swaps its own handler in around each
  ** call, and Lua code may have changed it too */
  input_catch(SIGINT, input_on_sigint, NULL);
  input_sigint = 0;
  input_sigcont = 0;           /* readline sets the terminal up anyway */
  line = readline(prompt);
  *intr = input_sigint != 0;
  if (*intr) {
    free(line);
    line = NULL;
    fputs("^C\n", stdout);
  }
  return line;
}


/* --- the locale ------------------------------------------------------- */

/* libedit decodes keys by LC_CTYPE, and in the C locale it drops every
** non-ASCII one: use the user's locale, or C.UTF-8 when that is plain C.
** Only LC_CTYPE, which Lua does not use (LC_NUMERIC would change how it
** reads numbers).  Returns the previous setting to restore, or NULL. */
static char *input_set_locale(void) {
  const char *prev = setlocale(LC_CTYPE, NULL);
  char *saved = prev ? strdup(prev) : NULL;
  const char *set = setlocale(LC_CTYPE, "");
  if (set == NULL || strcmp(nl_langinfo(CODESET), "ANSI_X3.4-1968") == 0)
    setlocale(LC_CTYPE, "C.UTF-8");
  return saved;
}


/* --- begin and end ---------------------------------------------------- */

/* See repl_input.h. */
void repl_input_begin(void) {
  sigaction(SIGINT, NULL, &input_old_int);
  input_catch(SIGCONT, input_on_sigcont, &input_old_cont);
  input_old_locale = input_set_locale();
  rl_getc_function = input_getc;
  rl_catch_signals = 0;                   /* our handler, not libedit's */
}

/* See repl_input.h. */
void repl_input_end(void) {
  sigaction(SIGINT, &input_old_int, NULL);
  sigaction(SIGCONT, &input_old_cont, NULL);
  if (input_old_locale != NULL) setlocale(LC_CTYPE, input_old_locale);
  free(input_old_locale);
  input_old_locale = NULL;
}
