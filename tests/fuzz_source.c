/*
** fuzz_source.c -- libFuzzer target for core/corpus_source.c.
**
** The input's first byte chooses the read size and whether the rest is
** gzip'd here first (in one or two members, with a block boundary every
** 97 bytes, so that valid gzip reaches the index); the bytes are written
** to a memfd, opened by path and streamed to the end.  When that
** succeeds, ranges read back with source_pread (the index built while
** streaming) must equal the streamed text, and a second pass after
** source_rewind must too.  Built with tiny spans and buffers
** (tests/CMakeLists.txt): restart points, member boundaries and the span
** cache all occur in a few KB.
**
** corpus_source.c calls three functions of the host; they are supplied
** here so that the target needs neither Lua nor the loader:
** corpus_open_input and corpus_pathf do what corpus.c's do (without its
** escaping of control characters), session_interrupted is never set.
*/
#define _GNU_SOURCE           /* memfd_create */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "corpus_internal.h"
#include "corpus_source.h"
#include "session.h"
#include "util.h"

int corpus_open_input(const char *path, int *fd, struct stat *sb) {
  int f = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
  if (f < 0) return errno;
  int e = fstat(f, sb) != 0 ? errno : !S_ISREG(sb->st_mode) ? CORPUS_NOT_REGULAR : 0;
  if (e) {
    close(f);
    return e;
  }
  *fd = f;
  return 0;
}

char *corpus_pathf(const char *path, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  char *rest = util_verrorf(fmt, ap), *msg = NULL;
  va_end(ap);
  if (rest) msg = util_errorf("%s: %s", path, rest);
  free(rest);
  return msg;
}

int session_interrupted(void) { return 0; }

#define CHECK(c) do { if (!(c)) { fprintf(stderr, "failed: %s (line %d)\n", #c, __LINE__); abort(); } } while (0)

/* d[0..n) gzip'd into out: members (1 or 2), a full flush every 97
** bytes. */
static void gzip_into(util_buf *out, const uint8_t *d, size_t n, int members) {
  size_t cut = members > 1 ? n / 2 : n;
  for (int m = 0; m < members; m++) {
    const uint8_t *p = m ? d + cut : d;
    size_t len = m ? n - cut : cut;
    z_stream z = {0};
    CHECK(deflateInit2(&z, 6, Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY) == Z_OK);
    size_t bound = deflateBound(&z, len) + 64 + 8 * (len / 97 + 1);
    CHECK(util_buf_reserve(out, bound) == 0);
    z.next_out = (Bytef *)out->data + out->len;
    z.avail_out = (uInt)bound;
    for (size_t at = 0; at < len; at += 97) {
      z.next_in = (Bytef *)p + at;
      z.avail_in = (uInt)(len - at < 97 ? len - at : 97);
      CHECK(deflate(&z, Z_FULL_FLUSH) == Z_OK);
    }
    CHECK(deflate(&z, Z_FINISH) == Z_STREAM_END);
    out->len += bound - z.avail_out;
    deflateEnd(&z);
  }
}

/* Stream s to its end in reads of cap bytes into text; 0 or -1. */
static int stream(source *s, size_t cap, util_buf *text, const char *path) {
  char buf[64], *err = NULL;
  text->len = 0;
  for (;;) {
    ssize_t r = source_read(s, buf, cap, &err);
    if (r < 0) {
      CHECK(err == NULL || strstr(err, path));
      free(err);
      return -1;
    }
    if (r == 0) return 0;
    CHECK((size_t)r <= cap);
    CHECK(util_buf_add(text, buf, (size_t)r) == 0);
  }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 1) return 0;
  static const size_t caps[] = {1, 2, 3, 5, 8, 13, 64, 64};
  size_t cap = caps[data[0] & 7];
  util_buf file = {0}, text = {0}, again = {0}, out = {0};
  if (data[0] & 0x40) gzip_into(&file, data + 1, size - 1, data[0] & 0x80 ? 2 : 1);
  else CHECK(util_buf_add(&file, data + 1, size - 1) == 0);

  int mfd = memfd_create("fuzz_source", MFD_CLOEXEC);
  CHECK(mfd >= 0);
  CHECK(file.len == 0 || write(mfd, file.data, file.len) == (ssize_t)file.len);
  char path[64];
  snprintf(path, sizeof path, "/proc/self/fd/%d", mfd);

  source *s;
  struct stat sb;
  char *err = NULL;
  CHECK(source_open(path, 1, &s, &sb) == 0);
  if (stream(s, cap, &text, path) == 0) {
    if (data[0] & 0x40) CHECK(source_gzip(s));
    source_index *ix = source_index_take(s, &err);
    CHECK(ix && source_index_length(ix) == text.len);
    int fd = source_fd(s);
    if (!text.data) CHECK(util_buf_reserve(&text, 1) == 0);
    /* Ranges chosen by the input's bytes, then the whole text. */
    for (size_t i = 1; i + 1 < size && i < 24; i += 2) {
      uint64_t off = text.len ? data[i] * 37u % (text.len + 1) : 0;
      size_t len = (size_t)(data[i + 1] * 53u % (text.len - off + 1));
      CHECK(source_pread(fd, path, ix, off, len, &out, &err) == 0);
      CHECK(out.len == len && !memcmp(out.data, text.data + off, len));
    }
    CHECK(source_pread(fd, path, ix, 0, text.len, &out, &err) == 0);
    CHECK(out.len == text.len && !memcmp(out.data, text.data, text.len));
    /* Past the end: an error naming the file. */
    CHECK(source_pread(fd, path, ix, text.len, 1, &out, &err) == -1);
    CHECK(err && strstr(err, path));
    free(err);
    source_index_free(ix);
    /* A second pass gives the same text. */
    CHECK(source_rewind(s, &err) == 0);
    CHECK(stream(s, 64, &again, path) == 0);
    CHECK(again.len == text.len && (!text.len || !memcmp(again.data, text.data, text.len)));
  }
  source_close(s);
  close(mfd);
  util_buf_free(&file);
  util_buf_free(&text);
  util_buf_free(&again);
  util_buf_free(&out);
  return 0;
}
