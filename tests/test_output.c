/*
** test_output.c -- core/output.c: a committed output replaces its target,
** a failed or abandoned one leaves the target as it was, and a target
** that is an input, a folder or a FIFO is refused.  The full-disk case
** mounts a 64 KB tmpfs (root only; skipped with a message otherwise).
*/
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "output.h"

static char dir[64];

static int setup(void **state) {
  (void)state;
  strcpy(dir, "/tmp/lector-output-XXXXXX");
  return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state) {
  (void)state;
  char cmd[128];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
  return system(cmd) == 0 ? 0 : -1;
}

static void put(const char *path, const char *text) {
  FILE *f = fopen(path, "w");
  assert_non_null(f);
  fputs(text, f);
  assert_int_equal(fclose(f), 0);
}

static char *slurp(const char *path) {
  static char buf[4096];
  FILE *f = fopen(path, "r");
  if (!f) return NULL;
  size_t n = fread(buf, 1, sizeof buf - 1, f);
  buf[n] = '\0';
  fclose(f);
  return buf;
}

/* Files in dir other than "." and ".." (temporaries left behind). */
static int entries(const char *d) {
  DIR *dp = opendir(d);
  struct dirent *e;
  int n = 0;
  assert_non_null(dp);
  while ((e = readdir(dp)) != NULL)
    if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0) n++;
  closedir(dp);
  return n;
}

static void test_commit_replaces(void **state) {
  (void)state;
  char path[128], *err = NULL;
  snprintf(path, sizeof path, "%s/out.txt", dir);
  put(path, "old");
  output *o = output_open(path, NULL, 0, &err);
  assert_non_null(o);
  assert_string_equal(slurp(path), "old");      /* not touched yet */
  fputs("new", output_file(o));
  assert_int_equal(output_commit(o, &err), 0);
  assert_string_equal(slurp(path), "new");
  assert_int_equal(entries(dir), 1);
}

static void test_abort_keeps(void **state) {
  (void)state;
  char path[128], *err = NULL;
  snprintf(path, sizeof path, "%s/keep.txt", dir);
  put(path, "good");
  output *o = output_open(path, NULL, 0, &err);
  assert_non_null(o);
  fputs("half", output_file(o));
  output_abort(o);
  assert_string_equal(slurp(path), "good");
  assert_int_equal(entries(dir), 1);
}

static void test_refuses_input(void **state) {
  (void)state;
  char path[128], other[128], link[128], *err = NULL;
  snprintf(path, sizeof path, "%s/a.tsv", dir);
  snprintf(other, sizeof other, "%s/b.tsv", dir);
  snprintf(link, sizeof link, "%s/alias.tsv", dir);
  put(path, "a");
  put(other, "b");
  assert_int_equal(symlink(path, link), 0);
  const char *inputs[] = {other, link};     /* the same file, another name */
  assert_null(output_open(path, inputs, 2, &err));
  assert_non_null(strstr(err, "is also an input"));
  assert_non_null(strstr(err, path));
  free(err);
  assert_string_equal(slurp(path), "a");
}

static void test_refuses_special(void **state) {
  (void)state;
  char fifo[128], *err = NULL;
  snprintf(fifo, sizeof fifo, "%s/fifo", dir);
  assert_int_equal(mkfifo(fifo, 0600), 0);
  assert_null(output_open(fifo, NULL, 0, &err));   /* must not block */
  assert_non_null(strstr(err, "not a regular file"));
  free(err);
  assert_null(output_open(dir, NULL, 0, &err));
  assert_non_null(strstr(err, "is a folder"));
  free(err);
  assert_null(output_open("", NULL, 0, &err));
  assert_non_null(strstr(err, "empty path"));
  free(err);
}

static void test_missing_folder(void **state) {
  (void)state;
  char path[128], *err = NULL;
  snprintf(path, sizeof path, "%s/no/such/out.txt", dir);
  assert_null(output_open(path, NULL, 0, &err));
  assert_non_null(strstr(err, path));
  free(err);
}

/* A disk too small for the output: commit fails, the old file stays. */
static void test_full_disk(void **state) {
  (void)state;
  char mnt[128], path[160], *err = NULL;
  snprintf(mnt, sizeof mnt, "%s/small", dir);
  assert_int_equal(mkdir(mnt, 0700), 0);
  if (mount("tmpfs", mnt, "tmpfs", 0, "size=64k") != 0) {
    print_message("full-disk case skipped: cannot mount a tmpfs here\n");
    skip();
  }
  snprintf(path, sizeof path, "%s/big.txt", mnt);
  put(path, "previous good file");
  output *o = output_open(path, NULL, 0, &err);
  assert_non_null(o);
  for (int i = 0; i < 20000; i++)                 /* 400 KB > 64 KB */
    fputs("0123456789abcdefghi\n", output_file(o));
  int rc = output_commit(o, &err);
  char *after = slurp(path);
  int left = entries(mnt);
  umount(mnt);
  assert_int_not_equal(rc, 0);
  assert_non_null(strstr(err, path));
  free(err);
  assert_string_equal(after, "previous good file");
  assert_int_equal(left, 1);                      /* no temporary left */
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_commit_replaces, setup, teardown),
      cmocka_unit_test_setup_teardown(test_abort_keeps, setup, teardown),
      cmocka_unit_test_setup_teardown(test_refuses_input, setup, teardown),
      cmocka_unit_test_setup_teardown(test_refuses_special, setup, teardown),
      cmocka_unit_test_setup_teardown(test_missing_folder, setup, teardown),
      cmocka_unit_test_setup_teardown(test_full_disk, setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
