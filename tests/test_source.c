/*
** test_source.c -- core/corpus_source.c: gzip and BOM detection, UTF-16/32
** decoding, the index of restart points, source_pread (also from several
** threads), the span cache, and every error a broken file can give.
** Fixtures are written at run time into a temporary folder.
*/
#define _GNU_SOURCE             /* nftw */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "corpus_internal.h"
#include "corpus_source.h"
#include "mem.h"
#include "session.h"
#include "util.h"

static char tmpdir[64];

/* read() is wrapped (-Wl,--wrap=read) to see what the stream asks for. */
static size_t read_calls, read_bytes, read_max;
ssize_t __real_read(int fd, void *buf, size_t n);
ssize_t __wrap_read(int fd, void *buf, size_t n);

ssize_t __wrap_read(int fd, void *buf, size_t n) {
  ssize_t r = __real_read(fd, buf, n);
  read_calls++;
  if (n > read_max) read_max = n;
  if (r > 0) read_bytes += (size_t)r;
  return r;
}

/* ---------------------------------------------------------------------
** Helpers: files, gzip, encodings, a text generator
*/

/* A path in the temporary folder (static: one at a time per name). */
static const char *path_of(const char *name) {
  static char buf[4][256];
  static int i;
  i = (i + 1) % 4;
  snprintf(buf[i], sizeof buf[i], "%s/%s", tmpdir, name);
  return buf[i];
}

static const char *put(const char *name, const void *data, size_t n) {
  const char *p = path_of(name);
  FILE *f = fopen(p, "wb");
  assert_non_null(f);
  assert_int_equal(fwrite(data, 1, n, f), n);
  assert_int_equal(fclose(f), 0);
  return p;
}

/* Append data[0..n) gzip'd (one member, zlib level) to out. */
static void gz_add(util_buf *out, const void *data, size_t n, int level) {
  z_stream z = {0};
  assert_int_equal(deflateInit2(&z, level, Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY), Z_OK);
  size_t bound = deflateBound(&z, n) + 64;
  assert_int_equal(util_buf_reserve(out, bound), 0);
  z.next_in = (Bytef *)data;
  z.avail_in = (uInt)n;
  z.next_out = (Bytef *)out->data + out->len;
  z.avail_out = (uInt)bound;
  assert_int_equal(deflate(&z, Z_FINISH), Z_STREAM_END);
  out->len += bound - z.avail_out;
  deflateEnd(&z);
}

/* The UTF-8 sequence at s (valid): its code point and length. */
static uint32_t utf8_get(const unsigned char *s, size_t *k) {
  if (s[0] < 0x80) return *k = 1, s[0];
  if (s[0] < 0xE0) return *k = 2, (uint32_t)(s[0] & 0x1F) << 6 | (s[1] & 0x3F);
  if (s[0] < 0xF0)
    return *k = 3, (uint32_t)(s[0] & 0x0F) << 12 | (uint32_t)(s[1] & 0x3F) << 6 | (s[2] & 0x3F);
  return *k = 4, (uint32_t)(s[0] & 0x07) << 18 | (uint32_t)(s[1] & 0x3F) << 12 |
                     (uint32_t)(s[2] & 0x3F) << 6 | (s[3] & 0x3F);
}

static void put_unit(util_buf *b, uint32_t u, int size, int big) {
  unsigned char c[4];
  for (int i = 0; i < size; i++) {
    int shift = 8 * (big ? size - 1 - i : i);
    c[i] = (unsigned char)(u >> shift);
  }
  assert_int_equal(util_buf_add(b, c, (size_t)size), 0);
}

/* s (UTF-8) in encoding e with its BOM, into out. */
static void encode(util_buf *out, const char *s, size_t n, source_encoding e) {
  int size = e >= SOURCE_UTF32LE ? 4 : 2, big = e == SOURCE_UTF16BE || e == SOURCE_UTF32BE;
  out->len = 0;
  put_unit(out, 0xFEFF, size, big);
  for (size_t i = 0, k; i < n; i += k) {
    uint32_t c = utf8_get((const unsigned char *)s + i, &k);
    if (size == 2 && c >= 0x10000) {
      put_unit(out, 0xD800 + ((c - 0x10000) >> 10), 2, big);
      put_unit(out, 0xDC00 + ((c - 0x10000) & 0x3FF), 2, big);
    } else {
      put_unit(out, c, size, big);
    }
  }
}

static uint64_t rng = 88172645463325252ull;
static uint64_t next_rand(void) {
  rng ^= rng << 13;
  rng ^= rng >> 7;
  rng ^= rng << 17;
  return rng;
}

/* About n bytes of varied UTF-8 text (words, numbers, accents, emoji). */
static void make_text(util_buf *b, size_t n) {
  static const char *const words[] = {
      "the", "river", "council", "said", "on", "Tuesday", "that", "wheat",
      "prices", "café", "naïve", "\xE2\x80\x94", "\xF0\x9F\x98\x80", "\xE6\x96\xB0\xE9\x97\xBB",
      "drought", "and", "rain", "\xF0\x90\x8D\x88", "farmers", "exports"};
  char num[32];
  b->len = 0;
  while (b->len < n) {
    uint64_t r = next_rand();
    const char *w = words[r % (sizeof words / sizeof *words)];
    assert_int_equal(util_buf_add(b, w, strlen(w)), 0);
    if (r % 7 == 0) {
      int k = snprintf(num, sizeof num, " %llu", (unsigned long long)(r >> 40));
      assert_int_equal(util_buf_add(b, num, (size_t)k), 0);
    }
    assert_int_equal(util_buf_add(b, r % 13 == 0 ? ".\n" : " ", r % 13 == 0 ? 2 : 1), 0);
  }
}

/* Stream path to the end with reads of at most cap bytes; its decoded
** text into out.  0, or -1 with *err. */
static int stream_all(source *s, size_t cap, util_buf *out, char **err) {
  char *buf = malloc(cap);
  assert_non_null(buf);
  out->len = 0;
  for (;;) {
    ssize_t r = source_read(s, buf, cap, err);
    if (r < 0) {
      free(buf);
      return -1;
    }
    if (r == 0) break;
    assert_true((size_t)r <= cap);
    assert_int_equal(util_buf_add(out, buf, (size_t)r), 0);
  }
  free(buf);
  return 0;
}

/* Open path, stream it (reads of cap bytes), compare with want[0..n);
** the source stays open in *out when out is not NULL. */
static void expect_text(const char *path, size_t cap, const char *want, size_t n,
                        source **out) {
  source *s;
  struct stat sb;
  char *err = NULL;
  util_buf got = {0};
  assert_int_equal(source_open(path, 1, &s, &sb), 0);
  if (stream_all(s, cap, &got, &err)) fail_msg("%s", UTIL_MSG(err));
  assert_int_equal(got.len, n);
  assert_memory_equal(got.data, want, n);
  assert_int_equal(source_pos(s), n);
  util_buf_free(&got);
  if (out) *out = s;
  else source_close(s);
}

/* Stream path to its end and take the index. */
static source_index *index_of(const char *path) {
  source *s;
  struct stat sb;
  char *err = NULL;
  util_buf got = {0};
  assert_int_equal(source_open(path, 1, &s, &sb), 0);
  if (stream_all(s, 65536, &got, &err)) fail_msg("%s", UTIL_MSG(err));
  source_index *ix = source_index_take(s, &err);
  if (!ix) fail_msg("%s", UTIL_MSG(err));
  source_close(s);
  util_buf_free(&got);
  return ix;
}

/* source_pread of [off, off + len) equals want + off. */
static void expect_range(int fd, const char *path, const source_index *ix,
                         const char *want, uint64_t off, size_t len) {
  util_buf out = {0};
  char *err = NULL;
  if (source_pread(fd, path, ix, off, len, &out, &err))
    fail_msg("pread %llu+%zu: %s", (unsigned long long)off, len, UTIL_MSG(err));
  assert_int_equal(out.len, len);
  assert_memory_equal(out.data, want + off, len);
  assert_int_equal(out.data[len], '\0');
  util_buf_free(&out);
}

/* The error of streaming path, which must fail; malloc'd. */
static char *stream_error(const char *path) {
  source *s;
  struct stat sb;
  char *err = NULL;
  util_buf got = {0};
  assert_int_equal(source_open(path, 0, &s, &sb), 0);
  assert_int_equal(stream_all(s, 4096, &got, &err), -1);
  assert_non_null(err);
  /* Every later call repeats it. */
  char buf[16], *again = NULL;
  assert_int_equal(source_read(s, buf, sizeof buf, &again), -1);
  assert_string_equal(again, err);
  free(again);
  source_close(s);
  util_buf_free(&got);
  return err;
}

static void expect_error(const char *path, const char *part) {
  char *err = stream_error(path);
  if (!strstr(err, path) || !strstr(err, part))
    fail_msg("error \"%s\" does not name %s and say \"%s\"", err, path, part);
  free(err);
}

/* ---------------------------------------------------------------------
** Plain text and the BOM
*/

static const char sample[] =
    "Wheat farmers \xE2\x80\x94 caf\xC3\xA9 owners too \xE2\x80\x94 welcomed the rain.\n"
    "Astral: \xF0\x9F\x98\x80 \xF0\x90\x8D\x88 \xF0\x9D\x84\x9E; CJK \xE6\x96\xB0\xE9\x97\xBB.\n";

static void plain_utf8(void **state) {
  (void)state;
  const char *p = put("plain.txt", sample, sizeof sample - 1);
  source *s;
  for (size_t cap = 1; cap <= 7; cap += 3) expect_text(p, cap, sample, sizeof sample - 1, NULL);
  expect_text(p, 65536, sample, sizeof sample - 1, &s);
  assert_int_equal(source_encoding_of(s), SOURCE_UTF8);
  assert_int_equal(source_gzip(s), 0);
  assert_int_equal(source_bom_len(s), 0);
  char *err = NULL;
  source_index *ix = source_index_take(s, &err);
  assert_non_null(ix);
  assert_int_equal(source_index_points(ix), 0);
  assert_true(source_index_memory(ix) < 128);
  int fd = source_fd(s);
  for (size_t off = 0; off < sizeof sample - 1; off += 5)
    expect_range(fd, p, ix, sample, off, (sizeof sample - 1 - off) / 2);
  /* Past the end: the file ends before that byte. */
  util_buf out = {0};
  assert_int_equal(source_pread(fd, p, ix, 10, sizeof sample, &out, &err), -1);
  assert_non_null(strstr(err, "the file ends before byte"));
  free(err);
  util_buf_free(&out);
  source_index_free(ix);
  source_close(s);
}

static void utf8_bom(void **state) {
  (void)state;
  util_buf b = {0};
  assert_int_equal(util_buf_add(&b, "\xEF\xBB\xBF", 3), 0);
  assert_int_equal(util_buf_add(&b, sample, sizeof sample - 1), 0);
  const char *p = put("bom.txt", b.data, b.len);
  source *s;
  expect_text(p, 2, sample, sizeof sample - 1, NULL);
  expect_text(p, 4096, sample, sizeof sample - 1, &s);
  assert_int_equal(source_encoding_of(s), SOURCE_UTF8_BOM);
  assert_int_equal(source_bom_len(s), 3);
  char *err = NULL;
  source_index *ix = source_index_take(s, &err);
  assert_non_null(ix);
  expect_range(source_fd(s), p, ix, sample, 0, 5);
  expect_range(source_fd(s), p, ix, sample, 7, 40);
  source_index_free(ix);
  source_close(s);
  util_buf_free(&b);
}

/* UTF-16/32, with and without gzip, every read size from 1 up. */
static void wide_encodings(void **state) {
  (void)state;
  static const source_encoding encs[] = {SOURCE_UTF16LE, SOURCE_UTF16BE, SOURCE_UTF32LE,
                                         SOURCE_UTF32BE};
  static const size_t boms[] = {2, 2, 4, 4};
  util_buf raw = {0}, gz = {0};
  for (size_t e = 0; e < 4; e++) {
    encode(&raw, sample, sizeof sample - 1, encs[e]);
    gz.len = 0;
    gz_add(&gz, raw.data, raw.len, 6);
    for (int z = 0; z < 2; z++) {
      const char *p = z ? put("wide.gz", gz.data, gz.len) : put("wide.txt", raw.data, raw.len);
      for (size_t cap = 1; cap <= 9; cap++)
        expect_text(p, cap, sample, sizeof sample - 1, NULL);
      source *s;
      expect_text(p, 4096, sample, sizeof sample - 1, &s);
      assert_int_equal(source_encoding_of(s), encs[e]);
      assert_int_equal(source_gzip(s), z);
      assert_int_equal(source_bom_len(s), boms[e]);
      char *err = NULL;
      source_index *ix = source_index_take(s, &err);
      assert_non_null(ix);
      assert_int_equal(source_index_length(ix), sizeof sample - 1);
      for (size_t off = 0; off + 10 < sizeof sample - 1; off += 9)
        expect_range(source_fd(s), p, ix, sample, off, 10);
      source_index_free(ix);
      source_close(s);
    }
  }
  util_buf_free(&raw);
  util_buf_free(&gz);
}

/* gzip of plain and BOM'd UTF-8; the name plays no part. */
static void gzip_utf8(void **state) {
  (void)state;
  util_buf gz = {0}, bom = {0};
  gz_add(&gz, sample, sizeof sample - 1, 9);
  const char *p = put("no-gz-suffix.txt", gz.data, gz.len);
  source *s;
  expect_text(p, 1, sample, sizeof sample - 1, NULL);
  expect_text(p, 100, sample, sizeof sample - 1, &s);
  assert_int_equal(source_gzip(s), 1);
  assert_int_equal(source_encoding_of(s), SOURCE_UTF8);
  source_close(s);
  assert_int_equal(util_buf_add(&bom, "\xEF\xBB\xBF", 3), 0);
  assert_int_equal(util_buf_add(&bom, sample, sizeof sample - 1), 0);
  gz.len = 0;
  gz_add(&gz, bom.data, bom.len, 1);
  p = put("bom.txt.gz", gz.data, gz.len);
  expect_text(p, 100, sample, sizeof sample - 1, &s);
  assert_int_equal(source_encoding_of(s), SOURCE_UTF8_BOM);
  assert_int_equal(source_bom_len(s), 3);
  char *err = NULL;
  source_index *ix = source_index_take(s, &err);
  expect_range(source_fd(s), p, ix, sample, 0, 20);
  expect_range(source_fd(s), p, ix, sample, 20, sizeof sample - 21);
  source_index_free(ix);
  source_close(s);
  /* A file that is neither: "1F" alone is text. */
  p = put("1f.txt", "\x1F", 1);
  expect_text(p, 10, "\x1F", 1, &s);
  assert_int_equal(source_gzip(s), 0);
  source_close(s);
  util_buf_free(&gz);
  util_buf_free(&bom);
}

/* Concatenated members read as one text, as gzip(1) does; zero padding
** after the last is ignored, anything else is an error. */
static void gzip_members(void **state) {
  (void)state;
  util_buf gz = {0}, want = {0};
  const char *parts[] = {"first member, ", "", "second member; ", "third.\n"};
  for (size_t i = 0; i < 4; i++) {
    gz_add(&gz, parts[i], strlen(parts[i]), 6);
    assert_int_equal(util_buf_add(&want, parts[i], strlen(parts[i])), 0);
  }
  const char *p = put("members.gz", gz.data, gz.len);
  expect_text(p, 3, want.data, want.len, NULL);
  assert_int_equal(util_buf_add(&gz, "\0\0\0\0\0\0\0\0\0", 9), 0);
  p = put("padded.gz", gz.data, gz.len);
  source *s;
  expect_text(p, 4096, want.data, want.len, &s);
  char *err = NULL;
  source_index *ix = source_index_take(s, &err);
  expect_range(source_fd(s), p, ix, want.data, 3, want.len - 5);
  source_index_free(ix);
  source_close(s);
  assert_int_equal(util_buf_add(&gz, "junk", 4), 0);
  p = put("junk.gz", gz.data, gz.len);
  expect_error(p, "data after the last gzip member, at compressed byte");
  util_buf_free(&gz);
  util_buf_free(&want);
}

static void empty_files(void **state) {
  (void)state;
  source *s;
  const char *p = put("empty.txt", "", 0);
  expect_text(p, 10, "", 0, &s);
  assert_int_equal(source_gzip(s), 0);
  char *err = NULL;
  source_index *ix = source_index_take(s, &err);
  assert_non_null(ix);
  expect_range(source_fd(s), p, ix, "", 0, 0);
  source_index_free(ix);
  source_close(s);
  util_buf gz = {0};
  gz_add(&gz, "", 0, 6);
  p = put("empty.gz", gz.data, gz.len);
  expect_text(p, 10, "", 0, &s);
  assert_int_equal(source_gzip(s), 1);
  assert_int_equal(source_encoding_of(s), SOURCE_UTF8);
  ix = source_index_take(s, &err);
  assert_non_null(ix);
  assert_int_equal(source_index_length(ix), 0);
  expect_range(source_fd(s), p, ix, "", 0, 0);
  source_index_free(ix);
  source_close(s);
  /* A BOM alone. */
  p = put("bomonly.txt", "\xFF\xFE", 2);
  expect_text(p, 10, "", 0, &s);
  assert_int_equal(source_encoding_of(s), SOURCE_UTF16LE);
  source_close(s);
  util_buf_free(&gz);
}

/* ---------------------------------------------------------------------
** Broken files
*/

static void fifo_refused(void **state) {
  (void)state;
  const char *p = path_of("fifo");
  assert_int_equal(mkfifo(p, 0600), 0);
  source *s = NULL;
  struct stat sb;
  assert_int_equal(source_open(p, 1, &s, &sb), CORPUS_NOT_REGULAR);   /* no hang */
  assert_true(S_ISFIFO(sb.st_mode));
  assert_null(s);
  assert_int_equal(source_open(path_of("missing"), 1, &s, &sb), ENOENT);
  assert_int_equal(source_open(tmpdir, 1, &s, &sb), CORPUS_NOT_REGULAR);
}

static void corrupt_gzip(void **state) {
  (void)state;
  util_buf text = {0}, gz = {0};
  make_text(&text, 200000);
  gz_add(&gz, text.data, text.len, 6);
  for (size_t i = gz.len / 2; i < gz.len / 2 + 8; i++) gz.data[i] ^= 0x55;
  expect_error(put("flipped.gz", gz.data, gz.len), "corrupt gzip data (zlib: ");
  /* A damaged CRC only shows at the end of the member. */
  gz.len = 0;
  gz_add(&gz, text.data, text.len, 6);
  gz.data[gz.len - 6] ^= 1;
  expect_error(put("crc.gz", gz.data, gz.len), "corrupt gzip data (zlib: incorrect data check)");
  /* A bad header. */
  expect_error(put("header.gz", "\x1F\x8B\x09\0\0\0\0\0\0\x03xx", 12),
               "corrupt gzip data (zlib: unknown compression method) at compressed byte");
  util_buf_free(&text);
  util_buf_free(&gz);
}

static void truncated_gzip(void **state) {
  (void)state;
  util_buf text = {0}, gz = {0};
  make_text(&text, 100000);
  gz_add(&gz, text.data, text.len, 6);
  const char *msg = "truncated gzip data: the file ends inside a member";
  expect_error(put("cut.gz", gz.data, gz.len / 2), msg);
  expect_error(put("cut-trailer.gz", gz.data, gz.len - 3), msg);
  expect_error(put("cut-header.gz", gz.data, 5), msg);
  expect_error(put("magic-only.gz", gz.data, 2), msg);
  util_buf_free(&text);
  util_buf_free(&gz);
}

static void bad_utf16(void **state) {
  (void)state;
  /* BOM, "ab", then an odd byte. */
  expect_error(put("odd.txt", "\xFF\xFE" "a\0b\0c", 7), "UTF-16 text with an odd number of bytes");
  /* A high surrogate followed by "a": its offset is named. */
  char err_at[64];
  const char *p = put("high.txt", "\xFF\xFE" "a\0\x3D\xD8" "a\0", 8);
  snprintf(err_at, sizeof err_at, "invalid UTF-16: unpaired surrogate at byte 4");
  expect_error(p, err_at);
  /* A lone low surrogate, big-endian. */
  expect_error(put("low.txt", "\xFE\xFF\0a\xDC\0", 6),
               "invalid UTF-16: unpaired surrogate at byte 4");
  /* A high surrogate at the very end. */
  expect_error(put("end.txt", "\xFF\xFE" "a\0\x3D\xD8", 6),
               "invalid UTF-16: unpaired surrogate at byte 4");
  /* The same inside gzip: the offset is of the decompressed data. */
  util_buf gz = {0};
  gz_add(&gz, "\xFF\xFE" "a\0\x3D\xD8" "a\0", 8, 6);
  expect_error(put("high.gz", gz.data, gz.len),
               "invalid UTF-16: unpaired surrogate at decompressed byte 4");
  /* UTF-32: past U+10FFFF, a surrogate, a length not a multiple of 4. */
  expect_error(put("big32.txt", "\xFF\xFE\0\0" "a\0\0\0\0\0\x11\0", 12),
               "invalid UTF-32: a code point past U+10FFFF at byte 8");
  expect_error(put("sur32.txt", "\0\0\xFE\xFF\0\0\xD8\0", 8),
               "invalid UTF-32: a surrogate code point at byte 4");
  expect_error(put("len32.txt", "\xFF\xFE\0\0" "a\0\0\0b\0", 10),
               "UTF-32 text whose length is not a multiple of 4 bytes");
  util_buf_free(&gz);
}

/* ---------------------------------------------------------------------
** Big files: the index, source_pread, the cache
*/

/* Streaming reads each byte of the file once, in requests no bigger
** than the caller's buffer (plain text) or SOURCE_BUF (gzip): a plain
** file costs what read(2) costs. */
static void reads_once(void **state) {
  (void)state;
  util_buf text = {0}, gz = {0}, got = {0};
  make_text(&text, 3u << 20);
  gz_add(&gz, text.data, text.len, 6);
  const char *paths[] = {put("once.txt", text.data, text.len), put("once.gz", gz.data, gz.len)};
  size_t sizes[] = {text.len, gz.len};
  for (int i = 0; i < 2; i++) {
    source *s;
    struct stat sb;
    char *err = NULL;
    read_calls = read_bytes = read_max = 0;
    assert_int_equal(source_open(paths[i], i, &s, &sb), 0);
    assert_int_equal(stream_all(s, 65536, &got, &err), 0);
    assert_int_equal(got.len, text.len);
    assert_int_equal(read_bytes, sizes[i]);
    assert_true(read_max <= 65536);
    assert_true(read_calls <= sizes[i] / 65536 + 3);
    source_close(s);
  }
  util_buf_free(&text);
  util_buf_free(&gz);
  util_buf_free(&got);
}

typedef struct big {
  util_buf text;           /* the decoded text */
  const char *path;
  source_index *ix;
  int fd;
} big;

/* Write text as name in the given form (0 plain, 1 gzip, 2 gzip in
** members of about 700 KB, 3 UTF-16LE, 4 UTF-16BE gzip'd) and index it. */
static void big_make(big *b, const char *name, size_t size, int form) {
  util_buf file = {0}, wide = {0};
  *b = (big){{0}, NULL, NULL, -1};
  make_text(&b->text, size);
  switch (form) {
  case 0: assert_int_equal(util_buf_add(&file, b->text.data, b->text.len), 0); break;
  case 1: gz_add(&file, b->text.data, b->text.len, 6); break;
  case 2:
    for (size_t at = 0; at < b->text.len; at += 700001) {
      size_t n = b->text.len - at < 700001 ? b->text.len - at : 700001;
      gz_add(&file, b->text.data + at, n, 6);
    }
    break;
  case 3: encode(&file, b->text.data, b->text.len, SOURCE_UTF16LE); break;
  default:
    encode(&wide, b->text.data, b->text.len, SOURCE_UTF16BE);
    gz_add(&file, wide.data, wide.len, 6);
  }
  b->path = strdup(put(name, file.data, file.len));
  b->ix = index_of(b->path);
  b->fd = open(b->path, O_RDONLY);
  assert_true(b->fd >= 0);
  util_buf_free(&file);
  util_buf_free(&wide);
}

static void big_free(big *b) {
  source_index_free(b->ix);
  close(b->fd);
  free((char *)b->path);
  util_buf_free(&b->text);
}

/* n random ranges of up to maxlen bytes (seeded by seed), and the ranges
** around every multiple of SOURCE_SPAN. */
static void big_ranges(const big *b, uint64_t seed, int n, size_t maxlen) {
  uint64_t r = seed;
  size_t len = b->text.len;
  for (int i = 0; i < n; i++) {
    r = r * 6364136223846793005ull + 1442695040888963407ull;
    uint64_t off = (r >> 11) % len;
    size_t k = (size_t)((r >> 40) % maxlen);
    if (k > len - off) k = (size_t)(len - off);
    expect_range(b->fd, b->path, b->ix, b->text.data, off, k);
  }
  for (size_t at = SOURCE_SPAN; at + 5000 < len; at += SOURCE_SPAN)
    for (size_t d = 0; d < 5000; d += 997) expect_range(b->fd, b->path, b->ix, b->text.data, at - 2500 + d, 3000);
  expect_range(b->fd, b->path, b->ix, b->text.data, 0, len);
  expect_range(b->fd, b->path, b->ix, b->text.data, len - 1, 1);
  expect_range(b->fd, b->path, b->ix, b->text.data, len, 0);
}

static void big_gzip(void **state) {
  (void)state;
  big b;
  size_t before = mem_used();
  big_make(&b, "big.gz", 5u << 20, 1);
  size_t pts = source_index_points(b.ix), memory = source_index_memory(b.ix);
  /* Points about every SOURCE_SPAN decompressed bytes, each with its
  ** window, all of it counted. */
  assert_true(pts >= 5 && pts <= 6);
  assert_true(memory > (pts - 1) * 32768 && memory < pts * 33000 + 4096);
  assert_true(mem_used() >= before + memory);
  big_ranges(&b, 1, 60, 3u << 20);
  size_t cached = source_cache_memory();
  assert_true(cached > 0 && cached <= SOURCE_CACHE_SPANS * SOURCE_CACHE_SPAN_MAX);
  big_free(&b);
  assert_int_equal(source_cache_memory(), 0);   /* freeing an index drops its spans */
  assert_int_equal(mem_used(), before);
}

static void big_members(void **state) {
  (void)state;
  big b;
  big_make(&b, "members-big.gz", 4u << 20, 2);
  assert_true(source_index_points(b.ix) >= 4);
  big_ranges(&b, 2, 40, 2u << 20);
  big_free(&b);
}

static void big_plain_and_utf16(void **state) {
  (void)state;
  big b;
  big_make(&b, "big.txt", 3u << 20, 0);
  assert_int_equal(source_index_points(b.ix), 0);
  big_ranges(&b, 3, 30, 1u << 20);
  big_free(&b);
  big_make(&b, "big16.txt", 3u << 20, 3);
  assert_true(source_index_points(b.ix) >= 6);          /* 1 MB raw each */
  assert_true(source_index_memory(b.ix) < 4096);       /* no windows */
  big_ranges(&b, 4, 30, 1u << 20);
  big_free(&b);
  big_make(&b, "big16.gz", 3u << 20, 4);
  assert_true(source_index_points(b.ix) >= 6);
  big_ranges(&b, 5, 30, 1u << 20);
  big_free(&b);
}

/* Spans longer than the cache takes (deflate blocks of 8 MB: runs of one
** byte, zlib's RLE strategy with 32K symbols a block) are decoded for
** each read, without the cache. */
static void long_spans(void **state) {
  (void)state;
  size_t n = 20u << 20;
  char *text = malloc(n);
  assert_non_null(text);
  memset(text, 'a', n);
  memcpy(text + n / 3, "a word in the run", 17);
  util_buf gz = {0};
  z_stream z = {0};
  assert_int_equal(deflateInit2(&z, 9, Z_DEFLATED, 31, 9, Z_RLE), Z_OK);
  size_t bound = deflateBound(&z, n);
  assert_int_equal(util_buf_reserve(&gz, bound), 0);
  z.next_in = (Bytef *)text;
  z.avail_in = (uInt)n;
  z.next_out = (Bytef *)gz.data;
  z.avail_out = (uInt)bound;
  assert_int_equal(deflate(&z, Z_FINISH), Z_STREAM_END);
  gz.len = bound - z.avail_out;
  deflateEnd(&z);
  const char *p = put("runs.gz", gz.data, gz.len);
  source_index *ix = index_of(p);
  size_t pts = source_index_points(ix);
  assert_true(pts >= 2 && pts <= n / SOURCE_CACHE_SPAN_MAX);
  int fd = open(p, O_RDONLY);
  size_t cached = source_cache_memory();
  expect_range(fd, p, ix, text, n / 3 - 5, 40);       /* in the first span */
  expect_range(fd, p, ix, text, 3, n / 2);             /* the first two */
  assert_int_equal(source_cache_memory(), cached);
  expect_range(fd, p, ix, text, n - 100, 100);
  close(fd);
  source_index_free(ix);
  util_buf_free(&gz);
  free(text);
}

typedef struct job {
  const big *b;
  uint64_t seed;
} job;

static void *thread_main(void *arg) {
  const job *j = arg;
  big_ranges(j->b, j->seed, 40, 300000);
  return NULL;
}

/* Four threads at once on one index, and on a second one. */
static void big_threads(void **state) {
  (void)state;
  big b[2];
  big_make(&b[0], "threads.gz", 5u << 20, 1);
  big_make(&b[1], "threads16.gz", 2u << 20, 4);
  pthread_t t[4];
  job j[4];
  for (int i = 0; i < 4; i++) {
    j[i] = (job){&b[i % 3 == 2], 100 + (uint64_t)i};
    assert_int_equal(pthread_create(&t[i], NULL, thread_main, &j[i]), 0);
  }
  for (int i = 0; i < 4; i++) assert_int_equal(pthread_join(t[i], NULL), 0);
  big_free(&b[0]);
  big_free(&b[1]);
}

/* A pass in document order decodes each span about once. */
static void cache_in_order(void **state) {
  (void)state;
  big b;
  big_make(&b, "order.gz", 4u << 20, 1);
  uint64_t h0, m0, h1, m1;
  source_cache_stats(&h0, &m0);
  for (size_t off = 0; off < b.text.len; off += 2048) {
    size_t k = b.text.len - off < 2048 ? b.text.len - off : 2048;
    expect_range(b.fd, b.path, b.ix, b.text.data, off, k);
  }
  source_cache_stats(&h1, &m1);
  assert_int_equal(m1 - m0, source_index_points(b.ix));
  assert_true(h1 - h0 >= b.text.len / 2048 - source_index_points(b.ix));
  big_free(&b);
}

typedef struct pass {
  const big *b;
  atomic_size_t next;
} pass;

static void *pass_main(void *arg) {
  pass *p = arg;
  size_t len = p->b->text.len;
  for (size_t off; (off = atomic_fetch_add(&p->next, 2048)) < len;)
    expect_range(p->b->fd, p->b->path, p->b->ix, p->b->text.data, off,
                 len - off < 2048 ? len - off : 2048);
  return NULL;
}

/* Two threads taking 2 KB ranges in order, as the document pool hands
** out documents: each span is still decoded once. */
static void threads_in_order(void **state) {
  (void)state;
  big b;
  big_make(&b, "order2.gz", 4u << 20, 1);
  pass p = {&b, 0};
  uint64_t h0, m0, h1, m1;
  source_cache_stats(&h0, &m0);
  pthread_t t[2];
  for (int i = 0; i < 2; i++) assert_int_equal(pthread_create(&t[i], NULL, pass_main, &p), 0);
  for (int i = 0; i < 2; i++) assert_int_equal(pthread_join(t[i], NULL), 0);
  source_cache_stats(&h1, &m1);
  assert_int_equal(m1 - m0, source_index_points(b.ix));
  big_free(&b);
}

/* The file shrank (or changed) after it was indexed. */
static void changed_since(void **state) {
  (void)state;
  big b;
  char *err = NULL;
  util_buf out = {0};
  big_make(&b, "shrinks.gz", 3u << 20, 1);
  struct stat sb;
  assert_int_equal(fstat(b.fd, &sb), 0);
  assert_int_equal(truncate(b.path, sb.st_size / 2), 0);
  assert_int_equal(source_pread(b.fd, b.path, b.ix, b.text.len - 100, 50, &out, &err), -1);
  assert_non_null(strstr(err, "the file ends before byte"));
  assert_non_null(strstr(err, b.path));
  free(err);
  big_free(&b);
  big_make(&b, "plain-shrinks.txt", 100000, 0);
  assert_int_equal(truncate(b.path, 50000), 0);
  assert_int_equal(source_pread(b.fd, b.path, b.ix, 49000, 2000, &out, &err), -1);
  assert_non_null(strstr(err, "the file ends before byte 50000 of its text"));
  free(err);
  big_free(&b);
  util_buf_free(&out);
}

/* Random access into a gzip file overwritten with garbage after indexing. */
static void garbage_since(void **state) {
  (void)state;
  big b;
  char *err = NULL;
  util_buf out = {0};
  big_make(&b, "garbage.gz", 3u << 20, 1);
  struct stat sb;
  assert_int_equal(fstat(b.fd, &sb), 0);
  int fd = open(b.path, O_WRONLY);
  char junk[4096];
  memset(junk, 0xA5, sizeof junk);
  for (off_t at = 0; at < sb.st_size; at += sizeof junk)
    assert_int_equal(pwrite(fd, junk, sizeof junk, at), (ssize_t)sizeof junk);
  close(fd);
  for (uint64_t off = 0; off < b.text.len; off += SOURCE_SPAN / 2) {
    int rc = source_pread(b.fd, b.path, b.ix, off, 100, &out, &err);
    if (rc == 0) continue;              /* a window can decode junk */
    assert_non_null(err);
    assert_non_null(strstr(err, b.path));
    free(err);
    err = NULL;
  }
  big_free(&b);
  util_buf_free(&out);
}

static void interrupted(void **state) {
  (void)state;
  big b;
  char *err = NULL;
  util_buf out = {0};
  big_make(&b, "interrupt.gz", 2u << 20, 1);
  session_interrupt();
  assert_int_equal(source_pread(b.fd, b.path, b.ix, 0, b.text.len, &out, &err), -1);
  session_clear_interrupt();
  assert_non_null(strstr(err, "interrupted"));
  free(err);
  expect_range(b.fd, b.path, b.ix, b.text.data, 0, b.text.len);
  big_free(&b);
  util_buf_free(&out);
}

/* Under a memory limit: indexing fails with a message; source_pread
** decodes without the cache when the cache cannot have its memory. */
static void memory_limit(void **state) {
  (void)state;
  big b;
  big_make(&b, "limit.gz", 3u << 20, 1);
  source *s;
  struct stat sb;
  char *err = NULL;
  util_buf got = {0}, out = {0};
  assert_int_equal(source_open(b.path, 1, &s, &sb), 0);
  mem_set_limit(mem_used() + 50000);
  assert_int_equal(stream_all(s, 65536, &got, &err), -1);
  assert_non_null(strstr(err, "out of memory for the index of its text"));
  free(err);
  source_close(s);
  mem_set_limit(mem_used() + 100000);   /* below one span */
  assert_int_equal(source_pread(b.fd, b.path, b.ix, SOURCE_SPAN + 5, 3000, &out, &err), 0);
  assert_memory_equal(out.data, b.text.data + SOURCE_SPAN + 5, 3000);
  mem_set_limit(0);
  big_free(&b);
  util_buf_free(&got);
  util_buf_free(&out);
}

/* ---------------------------------------------------------------------
** Rewind, index_take's contract
*/

static void rewind_stream(void **state) {
  (void)state;
  util_buf text = {0}, wide = {0}, gz = {0}, got = {0};
  make_text(&text, 3u << 20);
  encode(&wide, text.data, text.len, SOURCE_UTF16LE);
  gz_add(&gz, wide.data, wide.len, 6);
  const char *paths[] = {put("rw.txt", text.data, text.len), put("rw16.gz", gz.data, gz.len)};
  for (int i = 0; i < 2; i++) {
    source *s;
    struct stat sb;
    char *err = NULL, buf[1000];
    assert_int_equal(source_open(paths[i], 1, &s, &sb), 0);
    for (int k = 0; k < 50; k++) assert_true(source_read(s, buf, sizeof buf, &err) > 0);
    assert_int_equal(source_rewind(s, &err), 0);
    assert_int_equal(source_pos(s), 0);
    if (stream_all(s, 7777, &got, &err)) fail_msg("%s", UTIL_MSG(err));
    assert_int_equal(got.len, text.len);
    assert_memory_equal(got.data, text.data, text.len);
    source_index *ix = source_index_take(s, &err);
    assert_non_null(ix);
    /* Rewound after taking the index: a second one is built. */
    assert_int_equal(source_rewind(s, &err), 0);
    if (stream_all(s, 65536, &got, &err)) fail_msg("%s", UTIL_MSG(err));
    source_index *ix2 = source_index_take(s, &err);
    assert_non_null(ix2);
    assert_int_equal(source_index_points(ix2), source_index_points(ix));
    expect_range(source_fd(s), paths[i], ix, text.data, text.len - 3000, 2500);
    expect_range(source_fd(s), paths[i], ix2, text.data, 1500000, 1200000);
    source_index_free(ix);
    source_index_free(ix2);
    source_close(s);
  }
  util_buf_free(&text);
  util_buf_free(&wide);
  util_buf_free(&gz);
  util_buf_free(&got);
}

static void take_contract(void **state) {
  (void)state;
  const char *p = put("take.txt", sample, sizeof sample - 1);
  source *s;
  struct stat sb;
  char *err = NULL, buf[8];
  assert_int_equal(source_open(p, 1, &s, &sb), 0);
  assert_true(source_read(s, buf, sizeof buf, &err) > 0);
  assert_null(source_index_take(s, &err));          /* not at the end */
  assert_non_null(strstr(err, "not read to the end"));
  free(err);
  source_close(s);                                  /* frees the index */
  assert_int_equal(source_open(p, 0, &s, &sb), 0);
  util_buf got = {0};
  assert_int_equal(stream_all(s, 64, &got, &err), 0);
  assert_null(source_index_take(s, &err));          /* no index asked */
  assert_non_null(strstr(err, "without an index"));
  free(err);
  source_close(s);
  source_close(NULL);
  source_index_free(NULL);
  util_buf_free(&got);
}

/* ---------------------------------------------------------------------
*/

static int remove_entry(const char *p, const struct stat *sb, int flag, struct FTW *f) {
  (void)sb, (void)flag, (void)f;
  return remove(p);
}

static int setup(void **state) {
  (void)state;
  snprintf(tmpdir, sizeof tmpdir, "/tmp/test_source.XXXXXX");
  return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown(void **state) {
  (void)state;
  return nftw(tmpdir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(plain_utf8),       cmocka_unit_test(utf8_bom),
      cmocka_unit_test(wide_encodings),   cmocka_unit_test(gzip_utf8),
      cmocka_unit_test(gzip_members),     cmocka_unit_test(empty_files),
      cmocka_unit_test(fifo_refused),     cmocka_unit_test(corrupt_gzip),
      cmocka_unit_test(truncated_gzip),   cmocka_unit_test(bad_utf16),
      cmocka_unit_test(reads_once),       cmocka_unit_test(big_gzip),         cmocka_unit_test(big_members),
      cmocka_unit_test(big_plain_and_utf16), cmocka_unit_test(long_spans),
      cmocka_unit_test(big_threads),
      cmocka_unit_test(cache_in_order),   cmocka_unit_test(threads_in_order),
      cmocka_unit_test(changed_since),
      cmocka_unit_test(garbage_since),    cmocka_unit_test(interrupted),
      cmocka_unit_test(memory_limit),     cmocka_unit_test(rewind_stream),
      cmocka_unit_test(take_contract),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
