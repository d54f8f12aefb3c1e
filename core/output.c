/*
** output.c -- checked, atomic writes (see output.h).  The temporary is
** "<dir>/.<name>.XXXXXX" beside the target, so that rename(2) stays
** within one file system and is atomic.
*/
#define _GNU_SOURCE          /* mkostemp */
#include "output.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util.h"

struct lector_output {
  FILE *f;
  char *path;        /* the target */
  char *tmp;         /* the temporary beside it */
};

/* The temporary's template for path: same folder, a dot name. */
static char *output_template(const char *path) {
  const char *slash = strrchr(path, '/');
  size_t dirlen = slash ? (size_t)(slash - path) + 1 : 0;
  const char *base = path + dirlen;
  size_t n = dirlen + strlen(base) + sizeof "..XXXXXX";
  char *t = malloc(n);
  if (t) snprintf(t, n, "%.*s.%s.XXXXXX", (int)dirlen, path, base);
  return t;
}

/* 1 when path names the same file as one of inputs[0..n). */
static int output_is_input(const struct stat *st, const char *const *inputs,
                           size_t n) {
  struct stat in;
  for (size_t i = 0; i < n; i++)
    if (inputs[i] && stat(inputs[i], &in) == 0 && in.st_dev == st->st_dev &&
        in.st_ino == st->st_ino)
      return 1;
  return 0;
}

/* Refuse a target that is an input, a folder or a special file. */
static int output_check_target(const char *path, const char *const *inputs,
                               size_t ninputs, char **err) {
  struct stat st;
  if (*path == '\0') {
    *err = util_errorf("cannot write to an empty path");
    return -1;
  }
  if (stat(path, &st) != 0) return 0;        /* a new file */
  if (S_ISDIR(st.st_mode)) {
    *err = util_errorf("%s: is a folder, not a file to write", path);
    return -1;
  }
  if (!S_ISREG(st.st_mode)) {
    *err = util_errorf("%s: not a regular file; refusing to replace it", path);
    return -1;
  }
  if (output_is_input(&st, inputs, ninputs)) {
    *err = util_errorf("%s: is also an input of this job; "
                       "write the result to another file", path);
    return -1;
  }
  return 0;
}

/* The process's umask, read without changing it: umask(2) can only be
** read by setting it, which would race with other threads creating files
** (a plugin's workers).  Linux shows it in /proc/self/status; 022 when it
** cannot be read. */
static mode_t process_umask(void) {
  FILE *f = fopen("/proc/self/status", "re");
  char line[128];
  unsigned mask = 022;
  while (f && fgets(line, sizeof line, f))
    if (sscanf(line, "Umask: %o", &mask) == 1) break;
  if (f) fclose(f);
  return (mode_t)mask;
}

output *output_open(const char *path, const char *const *inputs,
                    size_t ninputs, char **err) {
  output *o = NULL;
  int fd = -1;
  if (output_check_target(path, inputs, ninputs, err) != 0) return NULL;
  if ((o = calloc(1, sizeof *o)) == NULL ||
      (o->path = strdup(path)) == NULL ||
      (o->tmp = output_template(path)) == NULL) {
    *err = NULL;                               /* out of memory */
    goto fail;
  }
  if ((fd = mkostemp(o->tmp, O_CLOEXEC)) < 0) {
    *err = util_errorf("%s: cannot create a file beside it: %s", path,
                       strerror(errno));
    goto fail;
  }
  if (fchmod(fd, 0666 & ~process_umask()) != 0 ||
      (o->f = fdopen(fd, "wb")) == NULL) {          /* fopen's 0666 & ~umask */
    *err = util_errorf("%s: %s", path, strerror(errno));
    close(fd);
    unlink(o->tmp);
    goto fail;
  }
  return o;
fail:
  if (o) {
    free(o->path);
    free(o->tmp);
    free(o);
  }
  return NULL;
}

FILE *output_file(output *o) { return o->f; }

const char *output_path(const output *o) { return o->path; }

static void output_free(output *o) {
  free(o->path);
  free(o->tmp);
  free(o);
}

int output_commit(output *o, char **err) {
  int failed = ferror(o->f), saved = failed ? EIO : 0;
  if (!failed && fflush(o->f) != 0) failed = 1, saved = errno;
  if (!failed && fsync(fileno(o->f)) != 0 && errno != EINVAL)
    failed = 1, saved = errno;                 /* EINVAL: cannot sync */
  if (fclose(o->f) != 0 && !failed) failed = 1, saved = errno;
  if (!failed && rename(o->tmp, o->path) != 0) failed = 1, saved = errno;
  if (failed) {
    *err = util_errorf("%s: could not write the file (%s); left as it was",
                       o->path, strerror(saved));
    unlink(o->tmp);
  }
  output_free(o);
  return failed ? -1 : 0;
}

void output_abort(output *o) {
  if (!o) return;
  fclose(o->f);
  unlink(o->tmp);
  output_free(o);
}
