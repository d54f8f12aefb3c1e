/*
** test_corpus.c -- the corpus model: the walk, filters, bad input,
** encodings, text on demand, subsets, and the shared corpora when present.
**
** Unreadable files are simulated by wrapping open() (the target links with
** -Wl,--wrap=open): CI runs as root, where chmod 000 does not stop reads.
*/
#define _GNU_SOURCE  /* nftw, O_TMPFILE */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <lauxlib.h>
#include <malloc.h>

#include "corpus.h"
#include "util.h"
#include "lua_corpus.h"
#include "mem.h"
#include "session.h"

#ifndef LECTOR_FIXTURES_DIR
#define LECTOR_FIXTURES_DIR "tests/fixtures"
#endif

/* ---------------------------------------------------------------------
** open() wrapper: paths ending in fail_suffix fail with EACCES.
*/

static const char *fail_suffix;
/* open() of a path ending in interrupt_suffix sets the interrupt flag, as
** Ctrl-C would in the middle of a load. */
static const char *interrupt_suffix;

int __real_open(const char *path, int flags, ...);
int __wrap_open(const char *path, int flags, ...);

int __wrap_open(const char *path, int flags, ...) {
  int mode = 0;
  if (flags & (O_CREAT | O_TMPFILE)) {
    va_list ap;
    va_start(ap, flags);
    mode = va_arg(ap, int);
    va_end(ap);
  }
  size_t n = strlen(path), k = fail_suffix ? strlen(fail_suffix) : 0;
  size_t ki = interrupt_suffix ? strlen(interrupt_suffix) : 0;
  if (interrupt_suffix && n >= ki && strcmp(path + n - ki, interrupt_suffix) == 0)
    session_interrupt();
  if (fail_suffix && n >= k && strcmp(path + n - k, fail_suffix) == 0) {
    errno = EACCES;
    return -1;
  }
  return __real_open(path, flags, mode);
}

/* ---------------------------------------------------------------------
** read() wrapper (-Wl,--wrap=read): the largest request and the bytes
** read, to check that loading reads in bounded chunks.
*/

static size_t max_read_request, bytes_read;

ssize_t __real_read(int fd, void *buf, size_t n);
ssize_t __wrap_read(int fd, void *buf, size_t n);

ssize_t __wrap_read(int fd, void *buf, size_t n) {
  if (n > max_read_request) max_read_request = n;
  ssize_t r = __real_read(fd, buf, n);
  if (r > 0) bytes_read += (size_t)r;
  return r;
}


/* ---------------------------------------------------------------------
** Helpers: a temporary folder per test, files, loading
*/

static char tmp[PATH_MAX];

static int setup_tmp(void **state) {
  (void)state;
  const char *base = getenv("TMPDIR");
  snprintf(tmp, sizeof tmp, "%s/lector-corpus-XXXXXX", base ? base : "/tmp");
  fail_suffix = NULL;
  interrupt_suffix = NULL;
  return mkdtemp(tmp) ? 0 : -1;
}

static int rm_entry(const char *p, const struct stat *sb, int flag,
                    struct FTW *ftw) {
  (void)sb;
  (void)flag;
  (void)ftw;
  return remove(p);
}

static int teardown_tmp(void **state) {
  (void)state;
  fail_suffix = NULL;
  interrupt_suffix = NULL;
  session_clear_interrupt();
  mem_set_limit(0);
  return nftw(tmp, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* A path under the temporary folder (a static buffer out of four). */
static const char *tp(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));
static const char *tp(const char *fmt, ...) {
  static char bufs[4][2 * PATH_MAX + 2];
  static int next;
  char *b = bufs[next++ & 3], rel[PATH_MAX];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(rel, sizeof rel, fmt, ap);
  va_end(ap);
  snprintf(b, sizeof bufs[0], "%s/%s", tmp, rel);
  return b;
}

static void write_bytes(const char *path, const void *data, size_t n) {
  FILE *f = fopen(path, "wb");
  assert_non_null(f);
  assert_int_equal(fwrite(data, 1, n, f), n);
  assert_int_equal(fclose(f), 0);
}
#define WRITE_LIT(path, lit) write_bytes(path, lit, sizeof(lit) - 1)

static void make_dir(const char *path) { assert_int_equal(mkdir(path, 0755), 0); }

/* tests/fixtures/corpus/<sub> */
static const char *fixture(const char *sub) {
  static char buf[2][PATH_MAX];
  static int next;
  const char *base = getenv("LECTOR_FIXTURES");
  char *b = buf[next++ & 1];
  snprintf(b, PATH_MAX, "%s/corpus/%s", base ? base : LECTOR_FIXTURES_DIR, sub);
  return b;
}

static const corpus_opts quiet_opts = {.quiet = 1};

/* Load the one root path, failing the test on error. */
static corpus *load(const char *path, const corpus_opts *o) {
  corpus *c = NULL;
  char *err = NULL;
  if (corpus_load(&path, 1, o ? o : &quiet_opts, &c, &err) != 0)
    fail_msg("loading %s: %s", path, err ? err : "out of memory");
  assert_non_null(c);
  return c;
}

/* The error loading path with o (must fail); malloc'd. */
static char *load_error(const char *path, const corpus_opts *o) {
  corpus *c = NULL;
  char *err = NULL;
  assert_int_not_equal(corpus_load(&path, 1, o, &c, &err), 0);
  assert_null(c);
  assert_non_null(err);
  return err;
}

static void assert_contains(const char *s, const char *part) {
  if (!s) fail_msg("NULL does not contain \"%s\"", part);
  else if (!strstr(s, part)) fail_msg("\"%s\" does not contain \"%s\"", s, part);
}

static const corpus_doc *doc_by_id(const corpus *c, const char *id) {
  for (size_t i = 0; i < corpus_count(c); i++)
    if (strcmp(corpus_doc_at(c, i)->id, id) == 0) return corpus_doc_at(c, i);
  fail_msg("no document %s", id);
  return NULL;
}

static size_t index_of(const corpus *c, const char *id) {
  return (size_t)(doc_by_id(c, id) - corpus_doc_at(c, 0));
}

/* The text of document i, checked against its metadata; release it. */
static lector_text text_of(const corpus *c, size_t i) {
  lector_text t;
  char *err = NULL;
  if (corpus_text(c, i, &t, &err) != 0) fail_msg("text: %s", err);
  assert_int_equal(t.len, corpus_doc_at(c, i)->bytes);
  assert_int_equal(t.data[t.len], '\0');
  return t;
}

static void assert_text(const corpus *c, size_t i, const char *want) {
  lector_text t = text_of(c, i);
  assert_int_equal(t.len, strlen(want));
  assert_memory_equal(t.data, want, t.len);
  corpus_text_release(&t);
}

static void assert_ids(const corpus *c, const char *const *ids, size_t n) {
  assert_int_equal(corpus_count(c), n);
  for (size_t i = 0; i < n; i++) assert_string_equal(corpus_doc_at(c, i)->id, ids[i]);
  assert_null(corpus_doc_at(c, n));
}

/* ---------------------------------------------------------------------
** The walk
*/

static const char *const walk_ids[] = {
  "a.txt", "b-c.txt", "b.txt", "b/sub/z.txt", "b/x.txt", "b/y.md", "c.TXT",
  "notes"};

static void walk_sorted(void **state) {
  (void)state;
  const char *root = fixture("walk");
  corpus *c = load(root, NULL);
  assert_ids(c, walk_ids, 8);
  char want[PATH_MAX];
  for (size_t i = 0; i < 8; i++) {
    const corpus_doc *d = corpus_doc_at(c, i);
    snprintf(want, sizeof want, "%s/%s", root, d->id);
    assert_string_equal(d->path, want);
    assert_ptr_equal(d->id, d->path + strlen(root) + 1);
  }
  const corpus_doc *a = corpus_doc_at(c, 0);
  assert_int_equal(a->date, 20210305);
  assert_int_equal(a->date_source, CORPUS_DATE_HEADER);
  assert_string_equal(a->title, "Flood warning lifted for the lower valley");
  assert_string_equal(corpus_doc_at(c, 5)->title, "# Notes on the school fete");
  assert_int_equal(corpus_warning_count(c), 0);
  corpus_release(c);
}

static void walk_ext_filter(void **state) {
  (void)state;
  const char *txt[] = {"txt"}, *two[] = {".md", "TXT"};
  corpus_opts o = {.quiet = 1, .exts = txt, .n_exts = 1};
  corpus *c = load(fixture("walk"), &o);
  const char *const want[] = {"a.txt", "b-c.txt", "b.txt", "b/sub/z.txt",
                              "b/x.txt", "c.TXT"};
  assert_ids(c, want, 6);
  corpus_release(c);
  o.exts = two;
  o.n_exts = 2;
  c = load(fixture("walk"), &o);
  assert_int_equal(corpus_count(c), 7);
  assert_string_equal(corpus_doc_at(c, 5)->id, "b/y.md");
  corpus_release(c);
}

static void walk_glob_filter(void **state) {
  (void)state;
  corpus_opts o = {.quiet = 1, .glob = "b/*"};
  corpus *c = load(fixture("walk"), &o);
  const char *const want[] = {"b/sub/z.txt", "b/x.txt", "b/y.md"};
  assert_ids(c, want, 3);
  corpus_release(c);
  const char *txt[] = {"txt"};
  o.exts = txt;
  o.n_exts = 1;
  c = load(fixture("walk"), &o);
  assert_int_equal(corpus_count(c), 2);
  corpus_release(c);
  o = (corpus_opts){.quiet = 1, .glob = "*.md"};
  c = load(fixture("walk"), &o);
  assert_int_equal(corpus_count(c), 1);
  corpus_release(c);
}

static void walk_hidden(void **state) {
  (void)state;
  corpus_opts o = {.quiet = 1, .hidden = 1};
  corpus *c = load(fixture("walk"), &o);
  assert_int_equal(corpus_count(c), 10);
  assert_string_equal(corpus_doc_at(c, 0)->id, ".hidden.txt");
  assert_string_equal(corpus_doc_at(c, 1)->id, ".hiddendir/h.txt");
  assert_string_equal(corpus_doc_at(c, 2)->id, "a.txt");
  corpus_release(c);
}

static void walk_root_trailing_slash(void **state) {
  (void)state;
  char root[PATH_MAX], want[PATH_MAX + 16];
  snprintf(root, sizeof root, "%s/", fixture("walk"));
  corpus *c = load(root, NULL);
  assert_ids(c, walk_ids, 8);
  snprintf(want, sizeof want, "%sb/x.txt", root);
  assert_string_equal(corpus_doc_at(c, 4)->path, want);
  corpus_release(c);
}

static void single_file_roots(void **state) {
  (void)state;
  const char *p = fixture("walk/b/x.txt");
  corpus *c = load(p, NULL);
  assert_int_equal(corpus_count(c), 1);
  assert_string_equal(corpus_doc_at(c, 0)->id, "x.txt");
  assert_string_equal(corpus_doc_at(c, 0)->path, p);
  assert_string_equal(corpus_doc_at(c, 0)->title, "Library extends its weekend hours");
  corpus_release(c);
  c = load(fixture("walk/.hidden.txt"), NULL);        /* named: taken */
  assert_int_equal(corpus_count(c), 1);
  corpus_release(c);
}

static void several_roots_in_order(void **state) {
  (void)state;
  char p0[PATH_MAX], p1[PATH_MAX], p2[PATH_MAX];  /* fixture() reuses */
  snprintf(p0, sizeof p0, "%s", fixture("walk/b"));
  snprintf(p1, sizeof p1, "%s", fixture("walk/a.txt"));
  snprintf(p2, sizeof p2, "%s", fixture("articles"));
  const char *paths[] = {p0, p1, p2};
  corpus *c = NULL;
  char *err = NULL;
  assert_int_equal(corpus_load(paths, 3, &quiet_opts, &c, &err), 0);
  const char *const want[] = {"sub/z.txt", "x.txt", "y.md", "a.txt",
                              "blank.txt", "dateline.txt", "empty.txt",
                              "front.txt", "header.txt", "header_only.txt"};
  assert_ids(c, want, 10);
  corpus_release(c);
}

static void missing_root(void **state) {
  (void)state;
  char *err = load_error("/nonexistent/lector-missing-root", &quiet_opts);
  assert_string_equal(err, "/nonexistent/lector-missing-root: No such file or directory");
  free(err);
  const char *paths[] = {fixture("walk"), "also-missing.txt"};
  corpus *c = NULL;
  assert_int_not_equal(corpus_load(paths, 2, &quiet_opts, &c, &err), 0);
  assert_null(c);
  assert_contains(err, "also-missing.txt: No such file or directory");
  free(err);
}

static void empty_root_list(void **state) {
  (void)state;
  corpus *c = NULL;
  char *err = NULL;
  assert_int_equal(corpus_load(NULL, 0, NULL, &c, &err), 0);
  assert_int_equal(corpus_count(c), 0);
  assert_null(corpus_doc_at(c, 0));
  corpus_release(c);
  make_dir(tp("empty"));
  c = load(tp("empty"), NULL);
  assert_int_equal(corpus_count(c), 0);
  corpus_release(c);
}

static void symlink_loop(void **state) {
  (void)state;
  make_dir(tp("d"));
  make_dir(tp("d/sub"));
  WRITE_LIT(tp("d/a.txt"), "Top level\n");
  WRITE_LIT(tp("d/sub/b.txt"), "Below\n");
  assert_int_equal(symlink("..", tp("d/sub/up")), 0);
  assert_int_equal(symlink(".", tp("d/self")), 0);
  assert_int_equal(symlink("../sub", tp("d/sub/again")), 0);
  assert_int_equal(symlink("a.txt", tp("d/link.txt")), 0);
  corpus *c = load(tp("d"), NULL);
  const char *const want[] = {"a.txt", "link.txt", "sub/b.txt"};
  assert_ids(c, want, 3);
  assert_string_equal(corpus_doc_at(c, 1)->title, "Top level");
  assert_int_equal(corpus_warning_count(c), 0);
  corpus_release(c);
}

/* A folder reached through a link and directly is listed under its real
** path; a linked folder outside the root is walked, in sorted place. */
static void linked_folders(void **state) {
  (void)state;
  make_dir(tp("d"));
  make_dir(tp("d/b"));
  make_dir(tp("outside"));
  WRITE_LIT(tp("d/b/x.txt"), "Real folder\n");
  WRITE_LIT(tp("d/f.txt"), "Plain file\n");
  WRITE_LIT(tp("outside/o.txt"), "Outside the root\n");
  assert_int_equal(symlink("b", tp("d/a-link")), 0);       /* sorts first */
  assert_int_equal(symlink("../outside", tp("d/ext")), 0);
  assert_int_equal(symlink("../outside", tp("d/ext2")), 0);  /* same again */
  corpus *c = load(tp("d"), NULL);
  const char *const want[] = {"b/x.txt", "ext/o.txt", "f.txt"};
  assert_ids(c, want, 3);
  assert_string_equal(corpus_doc_at(c, 1)->title, "Outside the root");
  corpus_release(c);
}

/* ---------------------------------------------------------------------
** Bad input
*/

static void dangling_symlink(void **state) {
  (void)state;
  make_dir(tp("d"));
  WRITE_LIT(tp("d/a.txt"), "Fine\n");
  assert_int_equal(symlink("nowhere.txt", tp("d/gone.txt")), 0);
  corpus *c = load(tp("d"), NULL);
  assert_int_equal(corpus_count(c), 1);
  assert_int_equal(corpus_warning_count(c), 1);
  char want[PATH_MAX + 64];
  snprintf(want, sizeof want, "%s: No such file or directory, skipped",
           tp("d/gone.txt"));
  assert_string_equal(corpus_warning(c, 0), want);
  assert_null(corpus_warning(c, 1));
  corpus_release(c);
  corpus_opts strict = {.quiet = 1, .strict = 1};
  char *err = load_error(tp("d"), &strict);
  snprintf(want, sizeof want, "%s: No such file or directory; the load failed "
           "on this file (strict)", tp("d/gone.txt"));
  assert_string_equal(err, want);
  free(err);
}

static void unreadable_file(void **state) {
  (void)state;
  make_dir(tp("d"));
  WRITE_LIT(tp("d/a.txt"), "Readable one\n");
  WRITE_LIT(tp("d/secret.txt"), "Nobody reads this\n");
  WRITE_LIT(tp("d/z.txt"), "Readable two\n");
  fail_suffix = "/secret.txt";
  corpus *c = load(tp("d"), NULL);
  const char *const want[] = {"a.txt", "z.txt"};
  assert_ids(c, want, 2);
  char msg[PATH_MAX + 64];
  snprintf(msg, sizeof msg, "%s: Permission denied, skipped", tp("d/secret.txt"));
  assert_int_equal(corpus_warning_count(c), 1);
  assert_string_equal(corpus_warning(c, 0), msg);
  corpus_release(c);
  corpus_opts strict = {.quiet = 1, .strict = 1};
  char *err = load_error(tp("d"), &strict);
  snprintf(msg, sizeof msg, "%s: Permission denied; the load failed on this "
           "file (strict)", tp("d/secret.txt"));
  assert_string_equal(err, msg);
  free(err);
}

static void unreadable_subdir(void **state) {
  (void)state;
  make_dir(tp("d"));
  make_dir(tp("d/locked"));
  WRITE_LIT(tp("d/a.txt"), "Readable\n");
  WRITE_LIT(tp("d/locked/in.txt"), "Behind a locked door\n");
  fail_suffix = "/locked/";
  corpus *c = load(tp("d"), NULL);
  assert_int_equal(corpus_count(c), 1);
  char msg[PATH_MAX + 64];
  snprintf(msg, sizeof msg, "%s: Permission denied, skipped", tp("d/locked"));
  assert_string_equal(corpus_warning(c, 0), msg);
  corpus_release(c);
  /* an unreadable root is an error */
  fail_suffix = "/d/";
  char *err = load_error(tp("d"), &quiet_opts);
  snprintf(msg, sizeof msg, "%s: Permission denied", tp("d"));
  assert_string_equal(err, msg);
  free(err);
}

static void unreadable_text(void **state) {
  (void)state;
  WRITE_LIT(tp("a.txt"), "Later unreadable\n");
  corpus *c = load(tp("a.txt"), NULL);
  fail_suffix = "/a.txt";
  lector_text t;
  char *err = NULL;
  assert_int_not_equal(corpus_text(c, 0, &t, &err), 0);
  assert_contains(err, tp("a.txt"));
  assert_contains(err, "Permission denied");
  assert_null(t.data);
  free(err);
  corpus_release(c);
}

static void binary_file(void **state) {
  (void)state;
  make_dir(tp("d"));
  WRITE_LIT(tp("d/a.txt"), "Text file\n");
  WRITE_LIT(tp("d/blob.txt"), "abc\0def");
  corpus *c = load(tp("d"), NULL);
  assert_int_equal(corpus_count(c), 1);
  char msg[PATH_MAX + 64];
  snprintf(msg, sizeof msg, "%s: binary file (NUL byte at offset 3), skipped",
           tp("d/blob.txt"));
  assert_string_equal(corpus_warning(c, 0), msg);
  corpus_release(c);
  corpus_opts strict = {.quiet = 1, .strict = 1};
  char *err = load_error(tp("d"), &strict);
  snprintf(msg, sizeof msg, "%s: binary file (NUL byte at offset 3); the load "
           "failed on this file (strict)", tp("d/blob.txt"));
  assert_string_equal(err, msg);
  assert_null(strstr(err, "skipped"));
  free(err);
}

static void special_file(void **state) {
  (void)state;
  make_dir(tp("d"));
  WRITE_LIT(tp("d/a.txt"), "Text file\n");
  assert_int_equal(mkfifo(tp("d/pipe.txt"), 0644), 0);
  corpus *c = load(tp("d"), NULL);                  /* must not block */
  assert_int_equal(corpus_count(c), 1);
  assert_contains(corpus_warning(c, 0), "pipe.txt: not a regular file (a FIFO), skipped");
  corpus_release(c);
  corpus_opts strict = {.quiet = 1, .strict = 1};
  char *err = load_error(tp("d"), &strict);
  assert_contains(err, "pipe.txt: not a regular file (a FIFO); the load failed");
  free(err);
  /* a FIFO or a device as a root: an error naming it, at once */
  err = load_error(tp("d/pipe.txt"), &quiet_opts);
  assert_contains(err, "pipe.txt: not a regular file or a folder (a FIFO)");
  free(err);
  err = load_error("/dev/zero", &quiet_opts);
  assert_string_equal(err, "/dev/zero: not a regular file or a folder "
                      "(a character device)");
  free(err);
}

/* A document replaced by a FIFO (nobody writing to it) before its text is
** read: an error, not a hang. */
static void text_of_fifo(void **state) {
  (void)state;
  WRITE_LIT(tp("a.txt"), "Title\nBody\n");
  corpus *c = load(tp("a.txt"), NULL);
  assert_int_equal(unlink(tp("a.txt")), 0);
  assert_int_equal(mkfifo(tp("a.txt"), 0644), 0);
  lector_text t;
  char *err = NULL;
  assert_int_not_equal(corpus_text(c, 0, &t, &err), 0);
  assert_contains(err, "a.txt: changed since it was loaded (now a FIFO, not a "
                  "regular file)");
  free(err);
  corpus_release(c);
}

/* A file replaced by one of the same length: its size, mtime or inode tell
** (issue 12 item 15). */
static void same_length_replacement(void **state) {
  (void)state;
  WRITE_LIT(tp("a.txt"), "Old title\nold body\n");
  corpus *c = load(tp("a.txt"), NULL);
  const corpus_doc *d = corpus_doc_at(c, 0);
  struct stat sb;
  assert_int_equal(stat(tp("a.txt"), &sb), 0);
  assert_int_equal(d->size, 19);
  assert_int_equal(d->ino, sb.st_ino);
  assert_true(d->mtime_ns == (int64_t)sb.st_mtim.tv_sec * 1000000000 + sb.st_mtim.tv_nsec);
  /* same length, same inode, the mtime set one second apart */
  WRITE_LIT(tp("a.txt"), "New title\nnew body\n");
  struct timespec ts[2] = {sb.st_atim, sb.st_mtim};
  ts[1].tv_sec += 1;
  assert_int_equal(utimensat(AT_FDCWD, tp("a.txt"), ts, 0), 0);
  lector_text t;
  char *err = NULL;
  assert_int_not_equal(corpus_text(c, 0, &t, &err), 0);
  assert_contains(err, tp("a.txt"));
  assert_contains(err, ": changed since it was loaded (mtime ");
  free(err);
  /* another file renamed over it, with the old mtime: the inode tells */
  WRITE_LIT(tp("b.txt"), "New title\nnew body\n");
  ts[1] = sb.st_mtim;
  assert_int_equal(utimensat(AT_FDCWD, tp("b.txt"), ts, 0), 0);
  assert_int_equal(rename(tp("b.txt"), tp("a.txt")), 0);
  assert_int_not_equal(corpus_text(c, 0, &t, &err), 0);
  assert_contains(err, "changed since it was loaded (another file now has its "
                  "name: inode");
  free(err);
  corpus_release(c);
}

static void empty_and_blank_files(void **state) {
  (void)state;
  corpus *c = load(fixture("articles"), NULL);
  const corpus_doc *e = doc_by_id(c, "empty.txt"), *b = doc_by_id(c, "blank.txt");
  assert_int_equal(e->bytes, 0);
  assert_string_equal(e->title, "");
  assert_int_equal(e->date, 0);
  assert_null(e->meta);
  assert_string_equal(b->title, "");
  assert_int_equal(b->bytes, 7);
  assert_text(c, index_of(c, "empty.txt"), "");
  corpus_release(c);
}

static void very_long_line(void **state) {
  (void)state;
  size_t n = 600000, len = 3 * n;                     /* 1.8 MB, one line */
  char *s = malloc(len + 32);
  assert_non_null(s);
  for (size_t i = 0; i < n; i++) memcpy(s + 3 * i, "\xE2\x82\xAC", 3);
  memcpy(s + len, "\nsecond line\n", 13);
  write_bytes(tp("long.txt"), s, len + 13);
  corpus *c = load(tp("long.txt"), NULL);
  const corpus_doc *d = corpus_doc_at(c, 0);
  assert_int_equal(d->bytes, len + 13);
  assert_int_equal(strlen(d->title), 198);            /* 66 whole euros */
  assert_int_equal(d->encoding, CORPUS_ENC_UTF8);
  lector_text t = text_of(c, 0);
  assert_memory_equal(t.data, s, len + 13);
  corpus_text_release(&t);
  corpus_release(c);
  free(s);
}

/* Loading reads in bounded chunks and keeps only a bounded head: a long
** one-line file is never held whole (issue 12 item 9). */
static void bounded_reads(void **state) {
  (void)state;
  size_t n = 4 << 20;
  char *s = malloc(n);
  assert_non_null(s);
  memset(s, 'a', n);
  memcpy(s, "Title ", 6);
  write_bytes(tp("one-line.txt"), s, n);
  free(s);
  max_read_request = 0;
  corpus *c = load(tp("one-line.txt"), NULL);
  assert_true(max_read_request <= 64 * 1024);
  const corpus_doc *d = corpus_doc_at(c, 0);
  assert_int_equal(d->bytes, n);
  assert_int_equal(strlen(d->title), 200);
  assert_int_equal(corpus_memory(c) < 256 * 1024, 1);
  corpus_release(c);
  /* a 1 GB sparse file of NUL bytes: binary, seen in its first chunk */
  int fd = open(tp("zeros.txt"), O_WRONLY | O_CREAT, 0644);
  assert_true(fd >= 0);
  assert_int_equal(ftruncate(fd, (off_t)1 << 30), 0);
  close(fd);
  bytes_read = 0;
  c = load(tp("zeros.txt"), NULL);
  assert_int_equal(corpus_count(c), 0);
  assert_contains(corpus_warning(c, 0), "binary file (NUL byte at offset 0)");
  assert_true(bytes_read <= 64 * 1024);
  corpus_release(c);
}

/* Characters cut by the 64 KB chunks: a valid one is read on, an invalid
** one found with its file offset, an iconv one converted whole. */
static void chunk_boundaries(void **state) {
  (void)state;
  size_t c = 64 * 1024, n = 3 * c;
  char *s = malloc(n);
  assert_non_null(s);
  memset(s, 'a', n);
  s[0] = 'T';
  s[100] = '\n';
  memcpy(s + c - 1, "\xE2\x82\xAC", 3);          /* a euro sign across */
  memcpy(s + 2 * c - 2, "\xF0\x9F\x98\x80", 4);  /* an emoji across */
  write_bytes(tp("valid.txt"), s, n);
  corpus *co = load(tp("valid.txt"), NULL);
  assert_int_equal(corpus_doc_at(co, 0)->encoding, CORPUS_ENC_UTF8);
  assert_int_equal(corpus_warning_count(co), 0);
  assert_int_equal(corpus_doc_at(co, 0)->bytes, n);
  corpus_release(co);
  s[c] = 'x';                                     /* euro cut: invalid */
  write_bytes(tp("cut.txt"), s, n);
  co = load(tp("cut.txt"), NULL);
  const corpus_doc *d = corpus_doc_at(co, 0);
  assert_int_equal(d->encoding, CORPUS_ENC_CP1252);
  char want[64];
  snprintf(want, sizeof want, "(first bad byte at offset %zu)", c - 1);
  assert_contains(corpus_warning(co, 0), want);
  lector_text t = text_of(co, 0);                 /* bytes agree with it */
  corpus_text_release(&t);
  corpus_release(co);
  s[c] = '\x82';
  s[n - 1] = '\xE2';                              /* cut by the end */
  write_bytes(tp("end.txt"), s, n);
  co = load(tp("end.txt"), NULL);
  snprintf(want, sizeof want, "(first bad byte at offset %zu)", n - 1);
  assert_contains(corpus_warning(co, 0), want);
  corpus_release(co);
  /* UTF-16LE with a surrogate pair across the first chunk boundary */
  size_t units = c;                               /* 2 * c bytes */
  char *u = calloc(2 * units + 2, 1);
  assert_non_null(u);
  u[0] = '\xFF';
  u[1] = '\xFE';
  for (size_t i = 1; i < units; i++) u[2 * i] = 'b';
  memcpy(u + c - 2, "\x3D\xD8\x00\xDE", 4);      /* U+1F600 */
  write_bytes(tp("u16.txt"), u, 2 * units);
  corpus_opts o = {.quiet = 1, .encoding = "UTF-16"};
  co = load(tp("u16.txt"), &o);
  assert_int_equal(corpus_count(co), 1);
  assert_int_equal(corpus_doc_at(co, 0)->bytes, (units - 3) + 4);
  t = text_of(co, 0);
  assert_memory_equal(t.data + (c - 2) / 2 - 1, "\xF0\x9F\x98\x80", 4);
  corpus_text_release(&t);
  corpus_release(co);
  free(u);
  free(s);
}

/* Ctrl-C (or the timeout) in the middle of a load: a clear error, nothing
** leaked; before the load, the walk stops. */
static void interrupted_load(void **state) {
  (void)state;
  make_dir(tp("d"));
  for (int i = 0; i < 300; i++) {
    char name[32];
    snprintf(name, sizeof name, "d/f%03d.txt", i);
    write_bytes(tp("%s", name), "Title\nbody\n", 11);
  }
  interrupt_suffix = "/f150.txt";
  corpus_opts one = {.quiet = 1, .threads = 1};
  char *err = load_error(tp("d"), &one);
  assert_contains(err, "interrupted (Ctrl-C or the timeout) after reading "
                       "150 of 300 files");      /* f000..f149, one by one */
  free(err);
  interrupt_suffix = NULL;
  err = load_error(tp("d"), &one);           /* the flag is still set */
  assert_contains(err, "interrupted (Ctrl-C or the timeout) while looking for files");
  free(err);
  session_clear_interrupt();
  corpus *c = load(tp("d"), &one);
  assert_int_equal(corpus_count(c), 300);
  corpus_release(c);
}

/* What a load holds counts against the memory limit (mem.h). */
static void memory_limit(void **state) {
  (void)state;
  make_dir(tp("d"));
  char title[256];
  memset(title, 'x', 220);
  memcpy(title + 220, "\nbody\n", 7);
  for (int i = 0; i < 2000; i++) {
    char name[64];
    snprintf(name, sizeof name, "d/a-rather-long-file-name-%04d.txt", i);
    write_bytes(tp("%s", name), title, 226);
  }
  assert_int_equal(mem_used(), 0);
  mem_set_limit(256 * 1024);
  char *err = load_error(tp("d"), &quiet_opts);
  assert_contains(err, "out of memory: the memory limit (256 KB, --memory-limit)");
  free(err);
  mem_set_limit(0);
  size_t before = mem_used();
  corpus *c = load(tp("d"), &quiet_opts);
  assert_int_equal(corpus_count(c), 2000);
  assert_true(mem_used() - before > 2000 * 200);     /* titles are counted */
  corpus_release(c);
  assert_int_equal(mem_used(), before);
}

/* Names that are not valid UTF-8 or hold control characters: ids and
** warnings show them escaped, the path stays the raw bytes (item 16). */
static void escaped_names(void **state) {
  (void)state;
  make_dir(tp("d"));
  WRITE_LIT(tp("d/caf\xE9 \x1B[31m.txt"), "Title \x07 bell\nbody\n");
  WRITE_LIT(tp("d/ok-\xC3\xA9.txt"), "Fine\n");
  WRITE_LIT(tp("d/nul\x0A.txt"), "a\0b");
  corpus *c = load(tp("d"), NULL);
  assert_int_equal(corpus_count(c), 2);
  const corpus_doc *d = corpus_doc_at(c, 0);
  assert_string_equal(d->id, "caf\\xE9 \\x1B[31m.txt");
  assert_string_equal(d->path, tp("d/caf\xE9 \x1B[31m.txt"));
  assert_string_equal(d->title, "Title \\x07 bell");
  assert_text(c, 0, "Title \x07 bell\nbody\n");
  assert_string_equal(corpus_doc_at(c, 1)->id, "ok-\xC3\xA9.txt");
  assert_contains(corpus_warning(c, 0), "/d/nul\\x0A.txt: binary file");
  assert_null(strchr(corpus_warning(c, 0), '\n'));
  corpus_release(c);
  char *e = corpus_escape("a\xC2\x9B\x7F\xF0\x9F\x98\x80\xED\xA0\x80", 11);
  assert_string_equal(e, "a\\u009B\\x7F\xF0\x9F\x98\x80\\xED\\xA0\\x80");
  free(e);
}

/* Option values that would silently match nothing are errors (item 22). */
static void bad_options(void **state) {
  (void)state;
  const char *root = fixture("walk");
  char *err = load_error("", &quiet_opts);
  assert_string_equal(err, "empty path");
  free(err);
  const char *two[] = {root, ""};
  corpus *c = NULL;
  assert_int_not_equal(corpus_load(two, 2, &quiet_opts, &c, &err), 0);
  assert_string_equal(err, "empty path (item 2 of the list)");
  free(err);
  static const char *const bad[] = {"[", "*.[tx", "[[:bogus:]]", "a\\", "[[:alpha:]"};
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
    corpus_opts o = {.quiet = 1, .glob = bad[i]};
    err = load_error(root, &o);
    assert_contains(err, "is not a valid pattern");
    assert_contains(err, bad[i]);
    free(err);
  }
  static const char *const good[] = {"[]]*", "*.[tT]xt", "[!a]*", "[[:alpha:]]*", "\\a*"};
  for (size_t i = 0; i < sizeof good / sizeof *good; i++) {
    corpus_opts o = {.quiet = 1, .glob = good[i]};
    corpus_release(load(root, &o));
  }
  const char *empty[] = {"txt", ""}, *dot[] = {"."};
  corpus_opts o = {.quiet = 1, .exts = empty, .n_exts = 2};
  err = load_error(root, &o);
  assert_string_equal(err, "ext \"\" is empty: give extensions such as \"txt\"");
  free(err);
  o.exts = dot;
  o.n_exts = 1;
  err = load_error(root, &o);
  assert_contains(err, "ext \".\" is empty");
  free(err);
}

/* threads: 0 is all cores, 1..LECTOR_MAX_THREADS that many (no more than
** there are chunks of documents), anything else an error: never clamped. */
static void threads_range(void **state) {
  (void)state;
  const char *root = fixture("walk");
  const int bad[] = {-1, LECTOR_MAX_THREADS + 1, 256};
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
    corpus_opts o = {.quiet = 1, .threads = bad[i]};
    char want[96], *err = load_error(root, &o);
    snprintf(want, sizeof want, "corpus_load: threads: expected 0 (all cores) "
             "to %d, got %d", LECTOR_MAX_THREADS, bad[i]);
    assert_string_equal(err, want);
    free(err);
  }
  corpus_opts all = {.quiet = 1, .threads = 0};
  corpus *a = load(root, &all);
  for (int t = 1; t <= LECTOR_MAX_THREADS; t += LECTOR_MAX_THREADS - 1) {
    corpus_opts o = {.quiet = 1, .threads = t};
    corpus *b = load(root, &o);
    assert_int_equal(corpus_count(b), corpus_count(a));
    corpus_release(b);
  }
  corpus_release(a);
}

/* ---------------------------------------------------------------------
** Encodings
*/

static void latin1_file(void **state) {
  (void)state;
  WRITE_LIT(tp("latin1.txt"), "Caf\xE9 \x93quoted\x94 costs \x80 5\nSecond line\n");
  corpus *c = load(tp("latin1.txt"), NULL);
  const corpus_doc *d = corpus_doc_at(c, 0);
  assert_int_equal(d->encoding, CORPUS_ENC_CP1252);
  assert_string_equal(corpus_encoding_name(c, d), "windows-1252");
  assert_string_equal(d->title, "Caf\xC3\xA9 \xE2\x80\x9Cquoted\xE2\x80\x9D costs \xE2\x82\xAC 5");
  char msg[PATH_MAX + 128];
  snprintf(msg, sizeof msg, "%s: not valid UTF-8 (first bad byte at offset 3); "
           "decoded as Windows-1252", tp("latin1.txt"));
  assert_int_equal(corpus_warning_count(c), 1);
  assert_string_equal(corpus_warning(c, 0), msg);
  assert_text(c, 0, "Caf\xC3\xA9 \xE2\x80\x9Cquoted\xE2\x80\x9D costs \xE2\x82\xAC 5\nSecond line\n");
  corpus_release(c);
  corpus_opts strict = {.quiet = 1, .strict = 1};    /* a warning, not an error */
  c = load(tp("latin1.txt"), &strict);
  corpus_release(c);
}

static void latin1_header_and_front_matter(void **state) {
  (void)state;
  make_dir(tp("d"));
  WRITE_LIT(tp("d/h.txt"), " date 2020-06-03 Caf\xE9 news\nmore\n");
  WRITE_LIT(tp("d/m.txt"), "---\ntitle: Caf\xE9\n---\nBody \xE9\n");
  corpus *c = load(tp("d"), NULL);
  const corpus_doc *h = corpus_doc_at(c, 0), *m = corpus_doc_at(c, 1);
  assert_int_equal(h->date, 20200603);
  assert_int_equal(h->body_off, 17);
  assert_string_equal(h->title, "Caf\xC3\xA9 news");
  assert_text(c, 0, "Caf\xC3\xA9 news\nmore\n");
  assert_int_equal(m->body_off, 20);                  /* file bytes */
  assert_string_equal(m->meta, "title");
  assert_string_equal(m->meta + 6, "sCaf\xC3\xA9");             /* 's': a string */
  assert_string_equal(corpus_meta_get(c, 1, "title", NULL), "Caf\xC3\xA9");
  assert_text(c, 1, "Body \xC3\xA9\n");
  assert_int_equal(corpus_warning_count(c), 2);
  corpus_release(c);
}

static void raw_encoding(void **state) {
  (void)state;
  WRITE_LIT(tp("latin1.txt"), "Caf\xE9 au lait\n");
  corpus_opts o = {.quiet = 1, .encoding = "raw"};
  corpus *c = load(tp("latin1.txt"), &o);
  const corpus_doc *d = corpus_doc_at(c, 0);
  assert_int_equal(d->encoding, CORPUS_ENC_RAW);
  assert_string_equal(corpus_encoding_name(c, d), "raw");
  assert_string_equal(d->title, "Caf\xE9 au lait");
  assert_int_equal(corpus_warning_count(c), 0);
  assert_text(c, 0, "Caf\xE9 au lait\n");
  corpus_release(c);
}

static void iconv_encoding(void **state) {
  (void)state;
  make_dir(tp("d"));
  WRITE_LIT(tp("d/a.txt"), "Na\xEFve title\nBody\n");
  corpus_opts o = {.quiet = 1, .encoding = "ISO-8859-1"};
  corpus *c = load(tp("d"), &o);
  const corpus_doc *d = corpus_doc_at(c, 0);
  assert_int_equal(d->encoding, CORPUS_ENC_ICONV);
  assert_string_equal(corpus_encoding_name(c, d), "ISO-8859-1");
  assert_string_equal(d->title, "Na\xC3\xAFve title");
  assert_text(c, 0, "Na\xC3\xAFve title\nBody\n");
  corpus_release(c);
}

/* encoding = "UTF-8" through iconv: glibc lets code points past U+10FFFF
** through, so the text is checked (found by fuzz_encoding). */
static void iconv_invalid_output(void **state) {
  (void)state;
  WRITE_LIT(tp("big.txt"), "ok \xF5\x84\x8E\x8E\n");
  corpus_opts o = {.quiet = 1, .encoding = "UTF-8"};
  corpus *c = load(tp("big.txt"), &o);
  assert_int_equal(corpus_count(c), 0);
  assert_contains(corpus_warning(c, 0), "big.txt: cannot convert from UTF-8 "
                  "(iconv gave invalid UTF-8 at byte 3 of the text), skipped");
  corpus_release(c);
}

static void iconv_utf16(void **state) {
  (void)state;
  const char *s = " date 2020-06-03 Title\nBody\n";
  char buf[128] = "\xFF\xFE";
  size_t n = 2;
  for (const char *p = s; *p; p++) {
    buf[n++] = *p;
    buf[n++] = '\0';
  }
  write_bytes(tp("u16.txt"), buf, n);
  corpus_opts o = {.quiet = 1, .encoding = "UTF-16"};
  corpus *c = load(tp("u16.txt"), &o);
  assert_int_equal(corpus_count(c), 1);               /* NULs are fine */
  const corpus_doc *d = corpus_doc_at(c, 0);
  assert_int_equal(d->date, 20200603);
  assert_string_equal(d->title, "Title");
  assert_text(c, 0, "Title\nBody\n");
  corpus_release(c);
}

static void iconv_unknown_and_unconvertible(void **state) {
  (void)state;
  corpus_opts o = {.quiet = 1, .encoding = "NO-SUCH-CHARSET"};
  char *err = load_error(fixture("walk"), &o);
  assert_contains(err, "NO-SUCH-CHARSET");
  free(err);
  make_dir(tp("d"));
  WRITE_LIT(tp("d/bad.txt"), "ok\xFF");
  WRITE_LIT(tp("d/good.txt"), "fine\n");
  o.encoding = "UTF-8";
  corpus *c = load(tp("d"), &o);
  assert_int_equal(corpus_count(c), 1);
  char msg[PATH_MAX + 128];
  snprintf(msg, sizeof msg, "%s: cannot convert from UTF-8 (invalid input at "
           "byte 2), skipped", tp("d/bad.txt"));
  assert_string_equal(corpus_warning(c, 0), msg);
  corpus_release(c);
  o.strict = 1;
  err = load_error(tp("d"), &o);
  snprintf(msg, sizeof msg, "%s: cannot convert from UTF-8 (invalid input at "
           "byte 2); the load failed on this file (strict)", tp("d/bad.txt"));
  assert_string_equal(err, msg);
  free(err);
}

static void bom_and_crlf(void **state) {
  (void)state;
  make_dir(tp("d"));
  WRITE_LIT(tp("d/a.txt"), "\xEF\xBB\xBF date 2020-06-03 BOM title\r\nLine two\r\n");
  WRITE_LIT(tp("d/b.txt"), "\xEF\xBB\xBF---\r\ndate: 2020-01-02\r\nk: v\r\n---\r\n\r\nT\r\n");
  WRITE_LIT(tp("d/c.txt"), "\xEF\xBB\xBFJust a BOM\n");
  corpus *c = load(tp("d"), NULL);
  const corpus_doc *a = corpus_doc_at(c, 0), *b = corpus_doc_at(c, 1);
  assert_int_equal(a->date, 20200603);
  assert_string_equal(a->title, "BOM title");
  assert_int_equal(a->body_off, 20);
  assert_int_equal(a->encoding, CORPUS_ENC_UTF8);
  assert_text(c, 0, "BOM title\r\nLine two\r\n");
  assert_int_equal(b->date, 20200102);
  assert_int_equal(b->date_source, CORPUS_DATE_META);
  assert_string_equal(b->title, "T");
  assert_memory_equal(b->meta, "date\0s" "2020-01-02\0k\0sv\0", 22);
  assert_text(c, 1, "\r\nT\r\n");
  assert_string_equal(corpus_doc_at(c, 2)->title, "Just a BOM");
  assert_text(c, 2, "Just a BOM\n");
  assert_int_equal(corpus_warning_count(c), 0);
  corpus_release(c);
}

/* ---------------------------------------------------------------------
** Metadata of the fixture articles
*/

static void fixture_articles(void **state) {
  (void)state;
  corpus *c = load(fixture("articles"), NULL);
  char date[11];
  const corpus_doc *d = doc_by_id(c, "dateline.txt");
  assert_int_equal(d->date, 20180314);
  assert_int_equal(d->date_source, CORPUS_DATE_TEXT);
  assert_string_equal(d->title, "Wind farm approval delayed again");

  d = doc_by_id(c, "front.txt");
  assert_int_equal(d->date, 20191120);
  assert_string_equal(corpus_date_source_name(d->date_source), "meta");
  assert_string_equal(d->title, "Dredging of the inner harbour starts next week");
  const char *m = d->meta;
  const char *want[] = {"title", "Harbour dredging to begin", "date", "2019-11-20",
                        "author", "Desk Reporter", "tags", ""};
  for (size_t i = 0; i < 8; i++, m += strlen(m) + 1) {
    if (i % 2) assert_int_equal(*m++, CORPUS_META_STRING);
    assert_string_equal(m, want[i]);
  }
  assert_string_equal(m, "");

  d = doc_by_id(c, "header.txt");
  assert_int_equal(d->date, 20200229);
  assert_int_equal(corpus_doc_date(d, date), 1);
  assert_string_equal(date, "2020-02-29");
  assert_string_equal(corpus_date_source_name(d->date_source), "header");
  assert_string_equal(d->title, "Leap day market draws a record crowd");
  lector_text t = text_of(c, index_of(c, "header.txt"));
  assert_true(strncmp(t.data, "Leap day market draws", 21) == 0);
  corpus_text_release(&t);

  d = doc_by_id(c, "header_only.txt");
  assert_int_equal(d->date, 20221231);
  assert_string_equal(d->title, "New year fireworks cancelled");
  assert_text(c, index_of(c, "header_only.txt"),
              "\n  New year fireworks cancelled  \nHigh winds are forecast for the night.\n");

  d = doc_by_id(c, "blank.txt");
  assert_int_equal(corpus_doc_date(d, date), 0);
  assert_string_equal(date, "");
  assert_string_equal(corpus_date_source_name(d->date_source), "none");
  assert_string_equal(corpus_date_source_name(CORPUS_DATE_TEXT), "text");
  assert_string_equal(corpus_encoding_name(c, d), "utf-8");
  for (size_t i = 0; i < corpus_count(c); i++) {
    t = text_of(c, i);
    assert_int_equal(strlen(t.data), t.len);
    corpus_text_release(&t);
  }
  corpus_release(c);
}

/* ---------------------------------------------------------------------
** Text on demand after the file changed
*/

static void text_after_change(void **state) {
  (void)state;
  WRITE_LIT(tp("a.txt"), " date 2020-06-03 Title\nBody\n");
  corpus *c = load(tp("a.txt"), NULL);
  lector_text t;
  char *err = NULL;
  assert_text(c, 0, "Title\nBody\n");
  struct stat sb;
  assert_int_equal(stat(tp("a.txt"), &sb), 0);
  WRITE_LIT(tp("a.txt"), " date 2020-06-03 Title\nBo\0y\n");
  struct timespec ts[2] = {sb.st_atim, sb.st_mtim};      /* mtime kept */
  assert_int_equal(utimensat(AT_FDCWD, tp("a.txt"), ts, 0), 0);
  assert_int_not_equal(corpus_text(c, 0, &t, &err), 0);
  assert_contains(err, tp("a.txt"));
  assert_contains(err, "NUL");
  free(err);
  WRITE_LIT(tp("a.txt"), " date 2020-06-03 Title\nA longer body\n");
  assert_int_not_equal(corpus_text(c, 0, &t, &err), 0);
  assert_contains(err, tp("a.txt"));
  assert_contains(err, "changed");
  free(err);
  WRITE_LIT(tp("a.txt"), "short");
  assert_int_not_equal(corpus_text(c, 0, &t, &err), 0);
  free(err);
  assert_int_equal(unlink(tp("a.txt")), 0);
  assert_int_not_equal(corpus_text(c, 0, &t, &err), 0);
  assert_contains(err, tp("a.txt"));
  assert_contains(err, "No such file or directory");
  free(err);
  assert_int_not_equal(corpus_text(c, 1, &t, &err), 0);   /* past the end */
  assert_non_null(err);
  free(err);
  corpus_text_release(&t);                                 /* zeroed: fine */
  corpus_release(c);
}

/* ---------------------------------------------------------------------
** Subsets and references
*/

static void subsets(void **state) {
  (void)state;
  corpus *c = load(fixture("walk"), NULL);
  corpus *s = NULL, *s2 = NULL, *e = NULL;
  char *err = NULL;
  size_t idx[] = {7, 0, 3}, idx2[] = {2};
  assert_int_equal(corpus_subset(c, idx, 3, &s, &err), 0);
  assert_int_equal(corpus_count(s), 3);
  assert_ptr_equal(corpus_doc_at(s, 0), corpus_doc_at(c, 7));
  assert_ptr_equal(corpus_doc_at(s, 2), corpus_doc_at(c, 3));
  assert_null(corpus_doc_at(s, 3));
  assert_int_equal(corpus_subset(s, idx2, 1, &s2, &err), 0);
  assert_ptr_equal(corpus_doc_at(s2, 0), corpus_doc_at(c, 3));
  assert_int_equal(corpus_memory(s), corpus_memory(c) + 3 * sizeof(size_t));
  size_t bad[] = {3};
  assert_int_not_equal(corpus_subset(s, bad, 1, &e, &err), 0);
  assert_null(e);
  assert_contains(err, "out of range");
  free(err);
  assert_int_equal(corpus_subset(c, NULL, 0, &e, &err), 0);
  assert_int_equal(corpus_count(e), 0);
  corpus_release(e);
  corpus_release(c);                       /* the subsets keep the store */
  corpus_release(s);
  assert_string_equal(corpus_doc_at(s2, 0)->id, "b/sub/z.txt");
  assert_text(s2, 0, "Ferry timetable changes from March\n"
                     "Two early sailings are dropped during the winter months.\n");
  assert_ptr_equal(corpus_retain(s2), s2);
  corpus_release(s2);
  corpus_release(s2);
  corpus_release(NULL);
}

/* ---------------------------------------------------------------------
** Threads: the same result whatever the number of workers
*/

/* A folder of n documents of every kind (good, Latin-1, binary). */
static void make_mixed(size_t n) {
  make_dir(tp("m"));
  char name[64], body[256];
  for (size_t i = 0; i < n; i++) {
    snprintf(name, sizeof name, "m/%03zu.txt", i);
    int len;
    if (i % 17 == 5)
      len = snprintf(body, sizeof body, "Bin%zu", i) + 1;   /* and its NUL */
    else if (i % 13 == 2)
      len = snprintf(body, sizeof body, "Caf\xE9 number %zu\n", i);
    else if (i % 3 == 0)
      len = snprintf(body, sizeof body, " date 2021-%02zu-%02zu Report %zu\ntext\n",
                     i % 12 + 1, i % 28 + 1, i);
    else
      len = snprintf(body, sizeof body, "Story %zu\nwritten %zu March 2019\n", i, i % 28 + 1);
    write_bytes(tp("%s", name), body, (size_t)len);
  }
}

static void threads_agree(void **state) {
  (void)state;
  make_mixed(400);
  corpus_opts one = {.quiet = 1, .threads = 1}, many = {.quiet = 1, .threads = 7};
  corpus *a = load(tp("m"), &one), *b = load(tp("m"), &many);
  assert_int_equal(corpus_count(a), corpus_count(b));
  assert_int_equal(corpus_count(a), 400 - 24);
  for (size_t i = 0; i < corpus_count(a); i++) {
    const corpus_doc *x = corpus_doc_at(a, i), *y = corpus_doc_at(b, i);
    assert_string_equal(x->id, y->id);
    assert_string_equal(x->title, y->title);
    assert_int_equal(x->date, y->date);
    assert_int_equal(x->bytes, y->bytes);
    assert_int_equal(x->encoding, y->encoding);
  }
  assert_int_equal(corpus_warning_count(a), corpus_warning_count(b));
  for (size_t i = 0; i < corpus_warning_count(a); i++)
    assert_string_equal(corpus_warning(a, i), corpus_warning(b, i));
  corpus_release(a);
  corpus_release(b);
}

typedef struct text_job {
  const corpus *c;
  int failures;
} text_job;

static void *read_all(void *arg) {
  text_job *j = arg;
  for (int round = 0; round < 3; round++) {
    for (size_t i = 0; i < corpus_count(j->c); i++) {
      lector_text t;
      char *err = NULL;
      if (corpus_text(j->c, i, &t, &err) != 0 || t.len != corpus_doc_at(j->c, i)->bytes)
        j->failures++;
      free(err);
      corpus_text_release(&t);
    }
  }
  return NULL;
}

static void text_from_threads(void **state) {
  (void)state;
  make_mixed(200);
  corpus *c = load(tp("m"), NULL);
  pthread_t th[4];
  text_job jobs[4];
  for (int i = 0; i < 4; i++) {
    jobs[i] = (text_job){c, 0};
    assert_int_equal(pthread_create(&th[i], NULL, read_all, &jobs[i]), 0);
  }
  for (int i = 0; i < 4; i++) {
    pthread_join(th[i], NULL);
    assert_int_equal(jobs[i].failures, 0);
  }
  corpus_release(c);
}

/* ---------------------------------------------------------------------
** Warnings on stderr unless quiet
*/

/* Load path with o while capturing stderr into tp("stderr"); returns
** what was printed (malloc'd). */
static char *load_capturing_stderr(const char *path, const corpus_opts *o) {
  char out[PATH_MAX];
  snprintf(out, sizeof out, "%s", tp("stderr.log"));
  fflush(stderr);
  int saved = dup(2), fd = __real_open(out, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  assert_true(saved >= 0 && fd >= 0);
  dup2(fd, 2);
  close(fd);
  corpus *c = load(path, o);
  fflush(stderr);
  dup2(saved, 2);
  close(saved);
  corpus_release(c);
  FILE *f = fopen(out, "rb");
  assert_non_null(f);
  char *buf = calloc(1, 4096);
  assert_non_null(buf);
  size_t n = fread(buf, 1, 4095, f);
  buf[n] = '\0';
  fclose(f);
  return buf;
}

static void warnings_printed_unless_quiet(void **state) {
  (void)state;
  make_dir(tp("d"));
  WRITE_LIT(tp("d/blob.txt"), "x\0y");
  corpus_opts loud = {0};
  char *got = load_capturing_stderr(tp("d"), &loud);
  char want[PATH_MAX + 128];
  snprintf(want, sizeof want, "lector: warning: %s: binary file (NUL byte at "
           "offset 1), skipped\n", tp("d/blob.txt"));
  assert_string_equal(got, want);
  free(got);
  got = load_capturing_stderr(tp("d"), &quiet_opts);
  assert_string_equal(got, "");
  free(got);
}

/* [doc] -> doc.text */
static int get_text(lua_State *L) {
  lua_getfield(L, 1, "text");
  return 1;
}

/* doc.text when Lua runs out of memory copying it: a memory error, and
** the text read from disk is freed (it leaked: LSan in the ASan build,
** the heap in use here). */
static void text_out_of_lua_memory(void **state) {
  (void)state;
  enum { BIG = 1 << 20 };
  char *body = malloc(BIG);
  memset(body, 'a', BIG);
  body[0] = 'T', body[1] = '\n';
  make_dir(tp("d"));
  write_bytes(tp("d/big.txt"), body, BIG);
  free(body);
  corpus *c = load(tp("d"), &quiet_opts);
  lua_State *L = lua_newstate(mem_lua_alloc, NULL);
  assert_non_null(L);
  lcorpus_open(L);
  lua_pushcfunction(L, get_text);
  lcorpus_push(L, c);
  lua_pushinteger(L, 1);
  lua_gettable(L, -2);                         /* corpus[1]: the document */
  lua_remove(L, -2);
  lua_gc(L, LUA_GCCOLLECT);
  size_t before = mallinfo2().uordblks;
  for (int k = 0; k < 4; k++) {
    lua_pushvalue(L, 1);
    lua_pushvalue(L, 2);
    mem_set_limit(mem_used() + BIG / 4);
    assert_int_equal(lua_pcall(L, 1, 1, 0), LUA_ERRMEM);
    mem_set_limit(0);
    lua_pop(L, 1);
  }
  lua_gc(L, LUA_GCCOLLECT);
  assert_true(mallinfo2().uordblks < before + BIG);   /* 4 MB if leaked */
  lua_pushvalue(L, 1);
  lua_pushvalue(L, 2);
  assert_int_equal(lua_pcall(L, 1, 1, 0), LUA_OK);    /* and without a limit */
  assert_int_equal(lua_rawlen(L, -1), corpus_doc_at(c, 0)->bytes);
  lua_close(L);
}

static void memory_accounting(void **state) {
  (void)state;
  make_mixed(400);
  corpus_opts two = {.quiet = 1, .threads = 2};
  corpus *c = load(tp("m"), &two);
  size_t m = corpus_memory(c), n = corpus_count(c);
  assert_true(m > n * sizeof(corpus_doc));
  assert_true(m < n * sizeof(corpus_doc) + 4 * 65536 + 100 * n);
  corpus_release(c);
}

/* ---------------------------------------------------------------------
** The shared corpora beside the project (skipped when absent)
*/

static const char *shared(const char *sub) {
  static char buf[PATH_MAX];
  struct stat st;
  const char *base = getenv("LECTOR_SHARED");
  if (!base) return NULL;
  snprintf(buf, sizeof buf, "%s/corpora/%s", base, sub);
  return stat(buf, &st) == 0 && S_ISDIR(st.st_mode) ? buf : NULL;
}

static void shared_seeds(void **state) {
  (void)state;
  const char *dir = shared("seeds");
  if (!dir) skip();
  corpus_opts strict = {.quiet = 1, .strict = 1};
  corpus *c = load(dir, &strict);
  assert_int_equal(corpus_count(c), 5);
  assert_int_equal(corpus_warning_count(c), 0);
  char date[11];
  const corpus_doc *a = corpus_doc_at(c, 0), *b = corpus_doc_at(c, 1);
  assert_int_equal(corpus_doc_date(a, date), 1);
  assert_string_equal(date, "2020-06-03");
  assert_int_equal(a->date_source, CORPUS_DATE_HEADER);
  assert_true(strncmp(a->title, "Islamabad", 9) == 0);
  assert_int_equal(corpus_doc_date(b, date), 1);
  assert_string_equal(date, "2021-04-07");
  assert_int_equal(b->date_source, CORPUS_DATE_HEADER);
  for (size_t i = 0; i < 5; i++) {
    const corpus_doc *d = corpus_doc_at(c, i);
    assert_int_equal(d->encoding, CORPUS_ENC_UTF8);
    assert_true(d->title[0] != '\0' && strstr(d->title, " date ") == NULL);
    if (i >= 2) assert_int_not_equal(d->date_source, CORPUS_DATE_HEADER);
    lector_text t = text_of(c, i);
    if (i < 2) assert_true(strncmp(t.data, d->title, strlen(d->title)) == 0);
    corpus_text_release(&t);
  }
  corpus_release(c);
}

static void shared_state_union_latin1(void **state) {
  (void)state;
  const char *dir = shared("state_union");
  if (!dir) skip();
  corpus *c = load(dir, NULL);
  size_t cp = 0;
  for (size_t i = 0; i < corpus_count(c); i++) {
    const corpus_doc *d = corpus_doc_at(c, i);
    if (d->encoding != CORPUS_ENC_CP1252) continue;
    assert_string_equal(corpus_encoding_name(c, d), "windows-1252");
    assert_contains(corpus_warning(c, cp), d->path);
    assert_contains(corpus_warning(c, cp), "decoded as Windows-1252");
    lector_text t = text_of(c, i);
    corpus_text_release(&t);
    cp++;
  }
  assert_int_equal(cp, 6);
  assert_int_equal(corpus_warning_count(c), 6);
  assert_true(corpus_count(c) >= 60);
  corpus_release(c);
}

/* ---------------------------------------------------------------------
** Table files: one document per row (CSV, TSV, JSON lines), gzip,
** UTF-16/32, metadata
*/

#include <zlib.h>

/* path written gzip'd with data[0..n). */
static void write_gz(const char *path, const void *data, size_t n) {
  gzFile g = gzopen(path, "wb");
  assert_non_null(g);
  assert_int_equal(gzwrite(g, data, (unsigned)n), (int)n);
  assert_int_equal(gzclose(g), Z_OK);
}

static const char *meta_of(const corpus *c, size_t i, const char *key, int type) {
  int t = 0;
  const char *v = corpus_meta_get(c, i, key, &t);
  if (v) assert_int_equal(t, type);
  return v;
}

static const char news_csv[] =
    "\xEF\xBB\xBFid,Date,title,text,source\r\n"
    "n1,2021-04-07,First,\"Hello, world\r\nsecond line\",abc\r\n"
    "\r\n"
    "n2,\"Wed, 07 Apr 2021 10:32:00 +0500\",Second,\"She said \"\"hi\"\"\",xyz\r\n"
    "n3,notadate,,plain text,\r\n"
    "n4,2021-01-01,too,many,fields,here\r\n"
    "n5,2021-01-02,bad,\"a \"quote\" inside\",x\r\n"
    "n6,2020-02-02,Last,last row without a line end,end";

static void csv_rows(void **state) {
  (void)state;
  write_bytes(tp("news.csv"), news_csv, sizeof news_csv - 1);
  corpus_opts o = {.quiet = 1, .id_field = "id"};
  corpus *c = load(tp("news.csv"), &o);
  const char *ids[] = {"n1", "n2", "n3", "n6"};
  assert_ids(c, ids, 4);
  assert_text(c, 0, "Hello, world\r\nsecond line");
  assert_text(c, 1, "She said \"hi\"");
  assert_text(c, 3, "last row without a line end");
  const corpus_doc *d = corpus_doc_at(c, 0);
  assert_int_equal(d->format, CORPUS_FMT_CSV);
  assert_int_equal(d->date, 20210407);
  assert_int_equal(d->date_source, CORPUS_DATE_COLUMN);
  assert_int_equal(d->line, 2);
  assert_string_equal(d->title, "First");
  assert_string_equal(d->file_id, "news.csv");
  assert_int_equal(corpus_doc_at(c, 1)->date, 20210407);       /* RFC 2822 */
  assert_string_equal(meta_of(c, 1, "Date", CORPUS_META_STRING),
                      "Wed, 07 Apr 2021 10:32:00 +0500");    /* raw value kept */
  assert_string_equal(meta_of(c, 1, "source", CORPUS_META_STRING), "xyz");
  assert_null(corpus_meta_get(c, 1, "text", NULL));            /* not metadata */
  assert_int_equal(corpus_doc_at(c, 2)->date, 0);
  assert_string_equal(corpus_doc_at(c, 2)->title, "plain text"); /* first line */
  /* Warnings name file:line; the bad date is one summary. */
  assert_int_equal(corpus_warning_count(c), 3);
  const corpus_warning_info *w = corpus_warning_at(c, 0);
  assert_int_equal(w->line, 7);
  assert_contains(w->msg, "news.csv:7: 6 fields, the header has 5, skipped");
  assert_string_equal(w->reason, "6 fields, the header has 5, skipped");
  assert_contains(w->path, "news.csv");
  assert_contains(corpus_warning(c, 1), "news.csv:8: malformed row (text after a "
                  "closing quote), skipped");
  assert_contains(corpus_warning(c, 2), "1 row with a date that cannot be read "
                  "(the first, line 6: \"notadate\")");
  corpus_release(c);
  /* Without the id option: <file id>#<row>, the id column is metadata. */
  c = load(tp("news.csv"), NULL);
  assert_string_equal(corpus_doc_at(c, 0)->id, "news.csv#1");
  assert_string_equal(corpus_doc_at(c, 3)->id, "news.csv#6");
  assert_string_equal(meta_of(c, 0, "id", CORPUS_META_STRING), "n1");
  corpus_release(c);
  /* strict: the first bad row fails the load, naming it. */
  o = (corpus_opts){.quiet = 1, .strict = 1};
  char *err = load_error(tp("news.csv"), &o);
  assert_contains(err, "news.csv:7: 6 fields, the header has 5 (strict)");
  free(err);
}

static void tsv_rows(void **state) {
  (void)state;
  WRITE_LIT(tp("a.tab"), "body\tauthor\n"
                         "one\\ttab\\nnew line\\\\ back\tme\n"
                         "two\tyou\n");
  corpus *c = load(tp("a.tab"), NULL);
  assert_int_equal(corpus_count(c), 2);
  assert_int_equal(corpus_doc_at(c, 0)->format, CORPUS_FMT_TSV);
  assert_text(c, 0, "one\ttab\nnew line\\ back");
  assert_string_equal(meta_of(c, 1, "author", CORPUS_META_STRING), "you");
  corpus_release(c);
}

static void jsonl_rows(void **state) {
  (void)state;
  WRITE_LIT(tp("a.jsonl"),
            "{\"content\":\"json \\u00e9 one\",\"published_at\":\"2020-06-03T10:00:00Z\","
            "\"n\":3,\"x\":1.50,\"ok\":true,\"tags\":[\"a\",\"b\"],\"none\":null,"
            "\"headline\":\"Head\"}\n"
            "[1,2]\n"
            "{\"content\":\"nul \\u0000 inside\"}\n"
            "{\"content\":7}\n"
            "{\"other\":\"no text\"}\n"
            "  \n"
            "{\"content\":\"two\"}\r\n");
  corpus *c = load(tp("a.jsonl"), NULL);
  assert_int_equal(corpus_count(c), 2);
  assert_text(c, 0, "json \xC3\xA9 one");
  assert_text(c, 1, "two");
  const corpus_doc *d = corpus_doc_at(c, 0);
  assert_int_equal(d->format, CORPUS_FMT_JSONL);
  assert_int_equal(d->date, 20200603);
  assert_string_equal(d->title, "Head");
  assert_string_equal(d->id, "a.jsonl#1");
  assert_string_equal(corpus_doc_at(c, 1)->id, "a.jsonl#6");  /* blank: no row */
  assert_string_equal(meta_of(c, 0, "n", CORPUS_META_NUMBER), "3");
  assert_string_equal(meta_of(c, 0, "x", CORPUS_META_NUMBER), "1.50");
  assert_string_equal(meta_of(c, 0, "ok", CORPUS_META_BOOL), "true");
  assert_string_equal(meta_of(c, 0, "tags", CORPUS_META_JSON), "[\"a\",\"b\"]");
  assert_null(corpus_meta_get(c, 0, "none", NULL));
  assert_int_equal(corpus_warning_count(c), 4);
  assert_contains(corpus_warning(c, 0), "a.jsonl:2: expected a JSON object");
  assert_contains(corpus_warning(c, 1), "a.jsonl:3: a NUL byte in the text");
  assert_contains(corpus_warning(c, 2), "a.jsonl:4: the field 'content' is not a string");
  assert_contains(corpus_warning(c, 3), "a.jsonl:5: no field 'content'");
  corpus_release(c);
}

/* A table without its text column cannot be read until the user names
** the column: given as a root, the load fails, naming the file and the
** columns found; found in a folder, it is skipped with that warning (the
** other files load), or fails the load with strict. */
static void table_without_text(void **state) {
  (void)state;
  make_dir(tp("t"));
  WRITE_LIT(tp("t/a.csv"), "x,y\n1,2\n");
  WRITE_LIT(tp("t/b.csv"), "");
  WRITE_LIT(tp("t/c.csv"), "text\nkept\n");
  WRITE_LIT(tp("j.jsonl"), "{\"x\":1,\"y\":\"two\"}\n{\"y\":\"three\"}\n");
  const char *no_text = "a.csv: no text column: none of text, body, content, "
                        "article (the columns are: x, y); name one with the option text";
  char *err = load_error(tp("t/a.csv"), &quiet_opts);
  assert_contains(err, no_text);
  free(err);
  corpus *c = load(tp("t"), NULL);
  assert_int_equal(corpus_count(c), 1);
  assert_text(c, 0, "kept");
  assert_int_equal(corpus_warning_count(c), 2);
  assert_contains(corpus_warning(c, 0), no_text);
  assert_contains(corpus_warning(c, 0), ", skipped");
  assert_contains(corpus_warning(c, 1), "b.csv: no header row");
  corpus_release(c);
  err = load_error(tp("t"), &(corpus_opts){.quiet = 1, .strict = 1});
  assert_contains(err, no_text);
  free(err);
  err = load_error(tp("j.jsonl"), &quiet_opts);
  assert_contains(err, "j.jsonl: no text field: no line has text, body, content or "
                  "article (the first object's fields are: x, y)");
  free(err);
  err = load_error(tp("t/c.csv"), &(corpus_opts){.quiet = 1, .text_field = "zz"});
  assert_contains(err, "c.csv: no column 'zz' (the columns are: text)");
  free(err);
  err = load_error(tp("t/c.csv"), &(corpus_opts){.quiet = 1, .date_field = "when"});
  assert_contains(err, "c.csv: no column 'when' (the columns are: text)");
  free(err);
  corpus_opts o = {.quiet = 1, .text_field = "y"};
  c = load(tp("t/a.csv"), &o);
  assert_text(c, 0, "2");
  corpus_release(c);
  c = load(tp("j.jsonl"), &o);
  assert_int_equal(corpus_count(c), 2);
  assert_text(c, 1, "three");
  corpus_release(c);
}

static void format_option(void **state) {
  (void)state;
  WRITE_LIT(tp("rows.txt"), "text,k\nfirst,1\nsecond,2\n");
  corpus_opts o = {.quiet = 1, .format = CORPUS_FMT_CSV};
  corpus *c = load(tp("rows.txt"), &o);
  assert_int_equal(corpus_count(c), 2);
  assert_text(c, 1, "second");
  corpus_release(c);
  WRITE_LIT(tp("whole.csv"), "text\nrow\n");
  o.format = CORPUS_FMT_TEXT;
  c = load(tp("whole.csv"), &o);
  assert_int_equal(corpus_count(c), 1);
  assert_text(c, 0, "text\nrow\n");
  corpus_release(c);
}

static void dates_option(void **state) {
  (void)state;
  make_dir(tp("d"));
  WRITE_LIT(tp("d/a.txt"), "MOSCOW, June 3, 2020 - Talks began.\n");
  WRITE_LIT(tp("d/b.txt"), " date 2021-01-02 Header dated.\n");
  WRITE_LIT(tp("d/c.csv"), "text,date\n\"LONDON, 7 April 2021 - x\",\n"
                           "y,2019-05-06\n");
  corpus *c = load(tp("d"), NULL);
  assert_int_equal(corpus_doc_at(c, 0)->date, 20200603);
  assert_int_equal(corpus_doc_at(c, 0)->date_source, CORPUS_DATE_TEXT);
  assert_int_equal(corpus_doc_at(c, 2)->date, 20210407);      /* a row's dateline */
  assert_int_equal(corpus_doc_at(c, 3)->date, 20190506);
  corpus_release(c);
  corpus_opts o = {.quiet = 1, .dates = CORPUS_DATES_HEADER};
  c = load(tp("d"), &o);
  assert_int_equal(corpus_doc_at(c, 0)->date, 0);
  assert_int_equal(corpus_doc_at(c, 1)->date, 20210102);
  assert_int_equal(corpus_doc_at(c, 2)->date, 0);
  assert_int_equal(corpus_doc_at(c, 3)->date, 20190506);
  corpus_release(c);
  o.dates = CORPUS_DATES_NONE;
  c = load(tp("d"), &o);
  for (size_t i = 0; i < corpus_count(c); i++) assert_int_equal(corpus_doc_at(c, i)->date, 0);
  assert_text(c, 1, "Header dated.\n");                       /* header still cut */
  corpus_release(c);
}

/* A CSV of many rows, gzip'd across several of the source's spans: every
** row's text read back through the index, from two threads. */
static void *read_rows(void *arg) {
  const corpus *c = arg;
  char want[64];
  for (size_t i = 0; i < corpus_count(c); i++) {
    lector_text t;
    char *err = NULL;
    if (corpus_text(c, i, &t, &err) != 0) return err;
    snprintf(want, sizeof want, "row %zu says %zu", i, i * 7919 % 100003);
    int ok = t.len == strlen(want) && memcmp(t.data, want, t.len) == 0;
    corpus_text_release(&t);
    if (!ok) return strdup("wrong text");
  }
  return NULL;
}

static void gzip_files(void **state) {
  (void)state;
  util_buf b = {0};
  char line[128];
  make_dir(tp("g"));
  util_buf_add(&b, "text,pad\n", 9);
  for (size_t i = 0; i < 60000; i++) {
    int n = snprintf(line, sizeof line, "row %zu says %zu,%0*d\n", i, i * 7919 % 100003,
                     (int)(i % 40), 0);
    util_buf_add(&b, line, (size_t)n);
  }
  write_gz(tp("g/big.csv.gz"), b.data, b.len);
  util_buf_free(&b);
  write_gz(tp("g/one.txt.gz"), " date 2020-01-02 Gz title\nbody\n", 31);
  corpus_opts o = {.quiet = 1, .exts = (const char *const[]){"csv"}, .n_exts = 1};
  corpus *c = load(tp("g"), &o);                     /* .csv matches .csv.gz */
  assert_int_equal(corpus_count(c), 60000);
  assert_string_equal(corpus_doc_at(c, 0)->id, "big.csv#1");
  assert_int_equal(corpus_doc_at(c, 0)->gzip, 1);
  pthread_t th[2];
  for (int k = 0; k < 2; k++)
    assert_int_equal(pthread_create(&th[k], NULL, read_rows, c), 0);
  for (int k = 0; k < 2; k++) {
    void *r;
    pthread_join(th[k], &r);
    if (r) fail_msg("thread %d: %s", k, (char *)r);
  }
  corpus_release(c);
  c = load(tp("g/one.txt.gz"), NULL);
  assert_string_equal(corpus_doc_at(c, 0)->id, "one.txt");
  assert_int_equal(corpus_doc_at(c, 0)->date, 20200102);
  assert_string_equal(corpus_doc_at(c, 0)->title, "Gz title");
  assert_text(c, 0, "Gz title\nbody\n");
  corpus_release(c);
  WRITE_LIT(tp("bad.jsonl.gz"), "\x1F\x8B\x08\x00garbage that is not deflate");
  c = load(tp("bad.jsonl.gz"), NULL);
  assert_int_equal(corpus_count(c), 0);
  assert_contains(corpus_warning(c, 0), "bad.jsonl.gz: ");
  assert_contains(corpus_warning(c, 0), "gzip");
  corpus_release(c);
}

static void utf16_files(void **state) {
  (void)state;
  /* "hé\n" in UTF-16LE with its BOM; a CSV in UTF-16BE. */
  make_dir(tp("u"));
  write_bytes(tp("u/le.txt"), "\xFF\xFE" "h\0\xE9\0\n\0", 8);
  write_bytes(tp("u/be.csv"), "\xFE\xFF" "\0t\0e\0x\0t\0\n\0\xE9\0\n", 16);
  corpus *c = load(tp("u"), NULL);
  assert_int_equal(corpus_count(c), 2);
  assert_string_equal(corpus_doc_at(c, 0)->id, "be.csv#1");
  assert_text(c, 0, "\xC3\xA9");
  assert_text(c, 1, "h\xC3\xA9\n");
  assert_string_equal(corpus_encoding_name(c, corpus_doc_at(c, 1)), "utf-16le");
  assert_string_equal(corpus_doc_at(c, 1)->title, "h\xC3\xA9");
  assert_int_equal(corpus_warning_count(c), 0);
  corpus_release(c);
}

static void row_changed(void **state) {
  (void)state;
  WRITE_LIT(tp("r.csv"), "text\nalpha\nbeta\n");
  corpus *c = load(tp("r.csv"), NULL);
  assert_text(c, 1, "beta");
  WRITE_LIT(tp("r.csv"), "text\nalpha\nbetx\n");    /* same size, new mtime */
  struct timespec ts[2] = {{0, UTIME_OMIT}, {1, 0}};
  assert_int_equal(utimensat(AT_FDCWD, tp("r.csv"), ts, 0), 0);
  lector_text t;
  char *err = NULL;
  assert_int_not_equal(corpus_text(c, 1, &t, &err), 0);
  assert_contains(err, "r.csv: changed since it was loaded");
  free(err);
  corpus_release(c);
}

/* A folder of text files written as CSV, TSV and JSON lines (and
** gzip'd) loads to the same texts, in the same order. */
static void put_csv(util_buf *b, const char *s, size_t n) {
  util_buf_add(b, "\"", 1);
  for (size_t k = 0; k < n; k++) util_buf_add(b, s[k] == '"' ? "\"\"" : s + k, s[k] == '"' ? 2 : 1);
  util_buf_add(b, "\"\n", 2);
}

static void put_tsv(util_buf *b, const char *s, size_t n) {
  for (size_t k = 0; k < n; k++) {
    const char *e = s[k] == '\t' ? "\\t" : s[k] == '\n' ? "\\n" : s[k] == '\r' ? "\\r"
                  : s[k] == '\\' ? "\\\\" : NULL;
    util_buf_add(b, e ? e : s + k, e ? 2 : 1);
  }
  util_buf_add(b, "\tx\n", 3);     /* an empty text alone would be a blank line */
}

static void put_json(util_buf *b, const char *s, size_t n) {
  char esc[8];
  util_buf_add(b, "{\"text\":\"", 9);
  for (size_t k = 0; k < n; k++) {
    unsigned char ch = (unsigned char)s[k];
    if (ch == '"' || ch == '\\') util_buf_add(b, "\\", 1), util_buf_add(b, s + k, 1);
    else if (ch < 0x20) snprintf(esc, sizeof esc, "\\u%04x", ch), util_buf_add(b, esc, 6);
    else util_buf_add(b, s + k, 1);
  }
  util_buf_add(b, "\"}\n", 3);
}

static void round_trip(void **state) {
  (void)state;
  corpus_opts o = {.quiet = 1, .dates = CORPUS_DATES_NONE};
  corpus *src = load(fixture("articles"), &o);
  util_buf csv = {0}, tsv = {0}, json = {0};
  util_buf_add(&csv, "text\n", 5);
  util_buf_add(&tsv, "text\tk\n", 7);
  for (size_t i = 0; i < corpus_count(src); i++) {
    lector_text t = text_of(src, i);
    put_csv(&csv, t.data, t.len);
    put_tsv(&tsv, t.data, t.len);
    put_json(&json, t.data, t.len);
    corpus_text_release(&t);
  }
  write_bytes(tp("rt.csv"), csv.data, csv.len);
  write_bytes(tp("rt.tsv"), tsv.data, tsv.len);
  write_bytes(tp("rt.jsonl"), json.data, json.len);
  write_gz(tp("rt.csv.gz"), csv.data, csv.len);
  write_gz(tp("rt.jsonl.gz"), json.data, json.len);
  const char *names[] = {"rt.csv", "rt.tsv", "rt.jsonl", "rt.csv.gz", "rt.jsonl.gz"};
  for (size_t f = 0; f < 5; f++) {
    corpus *c = load(tp("%s", names[f]), &o);
    if (corpus_count(c) != corpus_count(src))
      fail_msg("%s: %zu rows, %zu files (%s)", names[f], corpus_count(c),
               corpus_count(src), corpus_warning(c, 0) ? corpus_warning(c, 0) : "");
    for (size_t i = 0; i < corpus_count(c); i++) {
      lector_text a = text_of(src, i), b = text_of(c, i);
      if (a.len != b.len || memcmp(a.data, b.data, a.len) != 0)
        fail_msg("%s row %zu differs from %s", names[f], i + 1, corpus_doc_at(src, i)->id);
      corpus_text_release(&a);
      corpus_text_release(&b);
    }
    corpus_release(c);
  }
  util_buf_free(&csv);
  util_buf_free(&tsv);
  util_buf_free(&json);
  corpus_release(src);
}

static void meta_join(void **state) {
  (void)state;
  WRITE_LIT(tp("j.csv"), "text,topic,year\nx,oil,2020\ny,gas,2021\n");
  corpus *c = load(tp("j.csv"), NULL), *sub;
  char *err = NULL;
  size_t one = 1;
  assert_int_equal(corpus_subset(c, &one, 1, &sub, &err), 0);
  const char *labels[] = {"trade", "grain"};
  assert_int_equal(corpus_meta_set(sub, 0, "labels", CORPUS_META_STRING, labels, 2, &err), 0);
  const char *topic[] = {"energy"};
  assert_int_equal(corpus_meta_set(c, 1, "topic", CORPUS_META_STRING, topic, 1, &err), 0);
  /* The subset's join shows in the parent (one store); joined keys hide
  ** loaded ones; a list comes in order. */
  assert_string_equal(corpus_meta_get(c, 1, "topic", NULL), "energy");
  corpus_meta m;
  size_t pos = 0, n = 0;
  const char *want[][2] = {{"labels", "trade"}, {"labels", "grain"}, {"topic", "energy"},
                           {"year", "2021"}};
  while (corpus_meta_next(c, 1, &pos, &m)) {
    assert_true(n < 4);
    assert_string_equal(m.key, want[n][0]);
    assert_string_equal(m.value, want[n][1]);
    n++;
  }
  assert_int_equal(n, 4);
  assert_int_equal(corpus_meta_set(c, 1, "topic", CORPUS_META_STRING, NULL, 0, &err), 0);
  assert_string_equal(corpus_meta_get(c, 1, "topic", NULL), "gas");   /* shows again */
  assert_null(corpus_meta_get(c, 0, "labels", NULL));
  assert_int_not_equal(corpus_meta_set(c, 5, "k", CORPUS_META_STRING, topic, 1, &err), 0);
  assert_contains(err, "no document 5");
  free(err);
  corpus_release(sub);
  corpus_release(c);
}

/* shard = {i, n}: the shards of a load are disjoint, cover it, follow
** corpus_shard_of, and hold rows as well as files. */
static void shards(void **state) {
  (void)state;
  make_dir(tp("s"));
  for (int k = 0; k < 40; k++) {
    char name[32];
    snprintf(name, sizeof name, "s/f%02d.txt", k);
    WRITE_LIT(tp("%s", name), "words\n");
  }
  WRITE_LIT(tp("s/rows.csv"), "text\na\nb\nc\nd\ne\nf\ng\nh\n");
  corpus *all = load(tp("s"), NULL);
  size_t seen = 0;
  for (unsigned i = 1; i <= 3; i++) {
    corpus_opts o = {.quiet = 1, .shard_i = i, .shard_n = 3};
    corpus *c = load(tp("s"), &o);
    assert_true(corpus_count(c) > 0 && corpus_count(c) < corpus_count(all));
    for (size_t d = 0; d < corpus_count(c); d++)
      assert_int_equal(corpus_shard_of(corpus_doc_at(c, d)->id, 3), i);
    seen += corpus_count(c);
    corpus_release(c);
  }
  assert_int_equal(seen, corpus_count(all));
  /* The documented hash: FNV-1a 64 of the id (less .gz), mod n, plus 1. */
  assert_int_equal(corpus_shard_of("", 7), 0xcbf29ce484222325u % 7 + 1);
  assert_int_equal(corpus_shard_of("a", 1000), 0xaf63dc4c8601ec8cu % 1000 + 1);
  assert_int_equal(corpus_shard_of("x.txt.gz", 97), corpus_shard_of("x.txt", 97));
  corpus_release(all);
  char *err = load_error(tp("s"), &(corpus_opts){.quiet = 1, .shard_i = 4, .shard_n = 3});
  assert_contains(err, "shard: expected {i, n} with 1 <= i <= n, got {4, 3}");
  free(err);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup_tmp, teardown_tmp)

int main(void) {
  const struct CMUnitTest tests[] = {
    T(walk_sorted),
    T(walk_ext_filter),
    T(walk_glob_filter),
    T(walk_hidden),
    T(walk_root_trailing_slash),
    T(single_file_roots),
    T(several_roots_in_order),
    T(missing_root),
    T(empty_root_list),
    T(symlink_loop),
    T(linked_folders),
    T(dangling_symlink),
    T(unreadable_file),
    T(unreadable_subdir),
    T(unreadable_text),
    T(binary_file),
    T(special_file),
    T(text_of_fifo),
    T(same_length_replacement),
    T(bounded_reads),
    T(chunk_boundaries),
    T(interrupted_load),
    T(memory_limit),
    T(escaped_names),
    T(bad_options),
    T(threads_range),
    T(empty_and_blank_files),
    T(very_long_line),
    T(latin1_file),
    T(latin1_header_and_front_matter),
    T(raw_encoding),
    T(iconv_encoding),
    T(iconv_utf16),
    T(iconv_invalid_output),
    T(iconv_unknown_and_unconvertible),
    T(bom_and_crlf),
    T(fixture_articles),
    T(text_after_change),
    T(subsets),
    T(threads_agree),
    T(text_from_threads),
    T(warnings_printed_unless_quiet),
    T(text_out_of_lua_memory),
    T(memory_accounting),
    T(shared_seeds),
    T(shared_state_union_latin1),
    T(csv_rows),
    T(tsv_rows),
    T(jsonl_rows),
    T(table_without_text),
    T(format_option),
    T(dates_option),
    T(gzip_files),
    T(utf16_files),
    T(row_changed),
    T(round_trip),
    T(meta_join),
    T(shards),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
