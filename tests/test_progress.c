/*
** test_progress.c -- progress bars: what is drawn (into a pipe, or a pty
** for the width), when (delay, rate limit, quiet, nesting), erasing, and
** exact counts from several threads.
*/
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <fcntl.h>
#include <pthread.h>
#include <pty.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "progress.h"

static int fds[2];                     /* the pipe bars are drawn into */
static char out[8192];

/* Everything written since the last call, NUL-terminated. */
static const char *drain(int fd) {
  size_t n = 0;
  ssize_t r;
  while (n + 1 < sizeof out && (r = read(fd, out + n, sizeof out - 1 - n)) > 0)
    n += (size_t)r;
  out[n] = '\0';
  return out;
}

static int setup(void **state) {
  (void)state;
  if (pipe(fds) != 0) return -1;
  fcntl(fds[0], F_SETFL, O_NONBLOCK);
  fcntl(fds[1], F_SETFL, O_NONBLOCK);
  return 0;
}

static int teardown(void **state) {
  (void)state;
  close(fds[0]);
  close(fds[1]);
  return 0;
}

/* Each test starts with bars on, no delay, and an empty pipe. */
static int fresh(void **state) {
  (void)state;
  progress_configure(fds[1], 1, 0);
  progress_set_shown(1);
  progress_reset();                    /* a failed test's bar */
  drain(fds[0]);
  return 0;
}

static void test_bar(void **state) {
  (void)state;
  progress *p = progress_begin("ngram.count", "docs", 10000);
  assert_non_null(p);
  assert_string_equal(drain(fds[0]), "");       /* nothing before an add */
  progress_add(p, 4210);
  const char *s = drain(fds[0]);
  assert_memory_equal(s, "\rngram.count  [", 15);
  assert_non_null(strstr(s, "]  4,210/10,000 docs  42%  "));
  assert_non_null(strstr(s, " left\x1b[K"));
  assert_int_equal(s[strlen(s) - 1], 'K');
  /* the bar: 42.1% of its cells, then dots */
  const char *open = strchr(s, '['), *close = strchr(s, ']');
  size_t cells = (size_t)(close - open - 1), hashes = strspn(open + 1, "#");
  assert_true(cells >= 10 && cells <= 40);
  assert_int_equal(hashes, cells * 4210 / 10000);
  assert_int_equal(strspn(open + 1 + hashes, "."), cells - hashes);
  assert_true(strlen(s) - 4 <= 79);             /* fits 80 columns */
  progress_end(p);
  assert_string_equal(drain(fds[0]), "\r\x1b[K");
}

static void test_redraw_rate(void **state) {
  (void)state;
  progress *p = progress_begin("load", "files", 300);
  progress_add(p, 1);
  assert_non_null(strstr(drain(fds[0]), "1/300 files  0%"));
  progress_add(p, 1);                           /* within 100 ms: no draw */
  assert_string_equal(drain(fds[0]), "");
  usleep((PROGRESS_REDRAW_MS + 20) * 1000);
  progress_add(p, 298);
  const char *s = drain(fds[0]);
  assert_non_null(strstr(s, "[########"));
  assert_non_null(strstr(s, "300/300 files  100%\x1b[K"));   /* no "left" */
  assert_int_equal(progress_count(p), 300);
  progress_end(p);
}

static void test_unknown_total(void **state) {
  (void)state;
  progress *p = progress_begin("walk", "files", 0);
  progress_add(p, 1234567);
  const char *s = drain(fds[0]);
  assert_non_null(strstr(s, "\rwalk  1,234,567 files  0:00\x1b[K"));
  assert_null(strstr(s, "  ["));               /* no bar */
  assert_null(strchr(s, '%'));
  progress_end(p);
  assert_string_equal(drain(fds[0]), "\r\x1b[K");
}

static void test_nested(void **state) {
  (void)state;
  progress *outer = progress_begin("outer", "docs", 10);
  progress *inner = progress_begin("inner", "docs", 5);
  assert_non_null(outer);
  assert_null(inner);                           /* only the outermost */
  progress_add(inner, 3);
  progress_end(inner);
  assert_string_equal(drain(fds[0]), "");
  progress_add(outer, 1);
  assert_non_null(strstr(drain(fds[0]), "outer  ["));
  progress_end(outer);
  drain(fds[0]);
  progress *next = progress_begin("next", "docs", 1);
  assert_non_null(next);                        /* free again */
  progress_end(next);
  assert_string_equal(drain(fds[0]), "");       /* never drawn: no erase */
}

static void test_off(void **state) {
  (void)state;
  progress_configure(fds[1], 0, 0);             /* not a terminal */
  assert_false(progress_shown());
  progress *p = progress_begin("x", "docs", 10);
  assert_null(p);
  progress_add(p, 5);
  progress_end(p);
  assert_string_equal(drain(fds[0]), "");
  progress_configure(fds[1], 1, 0);
  progress_set_shown(0);                        /* --quiet */
  assert_false(progress_shown());
  assert_null(progress_begin("x", "docs", 10));
  progress_set_shown(1);
  assert_true(progress_shown());
  assert_string_equal(drain(fds[0]), "");
}

static void test_delay(void **state) {
  (void)state;
  progress_configure(fds[1], 1, 10000);
  progress *p = progress_begin("slow", "docs", 100);
  assert_non_null(p);
  progress_add(p, 50);
  progress_add(p, 50);
  progress_end(p);
  assert_string_equal(drain(fds[0]), "");       /* quick work: nothing */
  setenv("LECTOR_PROGRESS_DELAY_MS", "0", 1);
  progress_configure(fds[1], 1, -1);            /* the environment's delay */
  p = progress_begin("slow", "docs", 100);
  progress_add(p, 1);
  assert_non_null(strstr(drain(fds[0]), "slow  ["));
  progress_end(p);
  unsetenv("LECTOR_PROGRESS_DELAY_MS");
}

static void test_reset_suspend(void **state) {
  (void)state;
  progress *p = progress_begin("job", "docs", 10);
  progress_add(p, 1);
  drain(fds[0]);
  progress_suspend();                           /* before other output */
  assert_string_equal(drain(fds[0]), "\r\x1b[K");
  progress_resume();
  assert_non_null(strstr(drain(fds[0]), "job  ["));
  progress_reset();                             /* the top-level call ended */
  assert_string_equal(drain(fds[0]), "\r\x1b[K");
  usleep((PROGRESS_REDRAW_MS + 20) * 1000);
  progress_add(p, 1);                           /* a stale bar stays off */
  assert_string_equal(drain(fds[0]), "");
  progress *q = progress_begin("other", "docs", 1);
  assert_non_null(q);
  progress_end(q);
  progress_end(p);
  assert_string_equal(drain(fds[0]), "");
}

static void test_label_and_width(void **state) {
  (void)state;
  int master, slave;
  struct winsize ws = {24, 40, 0, 0};
  assert_int_equal(openpty(&master, &slave, NULL, NULL, &ws), 0);
  fcntl(master, F_SETFL, O_NONBLOCK);
  progress_configure(slave, 1, 0);
  /* a control character becomes a space; the line is cut at 39 columns
  ** (bytes), between UTF-8 characters */
  char label[64] = "r\xc3\xa9sum\xc3\xa9\na";
  for (int i = 0; i < 18; i++) strcat(label, "\xc3\xa9");
  progress *p = progress_begin(label, "docs", 10000);
  progress_add(p, 4210);
  usleep(50 * 1000);
  const char *s = drain(master);
  assert_memory_equal(s, "\rr\xc3\xa9sum\xc3\xa9 a\xc3\xa9", 13);
  assert_null(strstr(s, "  ["));                /* no room for a bar */
  const char *end = strstr(s, "\x1b[K");
  assert_non_null(end);
  assert_int_equal(end - s - 1, 38);            /* 39 would split a char */
  assert_memory_equal(end - 2, "\xc3\xa9", 2);
  progress_end(p);
  close(master);
  close(slave);
}

#define THREADS 4
#define ADDS 200000

static void *adder(void *arg) {
  for (int i = 0; i < ADDS; i++) progress_add(arg, 1);
  return NULL;
}

static void test_threads(void **state) {
  (void)state;
  pthread_t t[THREADS];
  progress *p = progress_begin("count", "docs", (uint64_t)THREADS * ADDS);
  for (int i = 0; i < THREADS; i++)
    assert_int_equal(pthread_create(&t[i], NULL, adder, p), 0);
  for (int i = 0; i < THREADS; i++) pthread_join(t[i], NULL);
  assert_int_equal(progress_count(p), (uint64_t)THREADS * ADDS);
  const char *s = drain(fds[0]);
  assert_non_null(strstr(s, "count  ["));      /* drew, one line at a time */
  for (const char *c = strchr(s + 1, '\r'); c; c = strchr(c + 1, '\r'))
    assert_memory_equal(c - 3, "\x1b[K", 3);
  progress_end(p);
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup(test_bar, fresh),
    cmocka_unit_test_setup(test_redraw_rate, fresh),
    cmocka_unit_test_setup(test_unknown_total, fresh),
    cmocka_unit_test_setup(test_nested, fresh),
    cmocka_unit_test_setup(test_off, fresh),
    cmocka_unit_test_setup(test_delay, fresh),
    cmocka_unit_test_setup(test_reset_suspend, fresh),
    cmocka_unit_test_setup(test_label_and_width, fresh),
    cmocka_unit_test_setup(test_threads, fresh),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
