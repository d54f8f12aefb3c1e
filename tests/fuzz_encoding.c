/*
** fuzz_encoding.c -- libFuzzer target for encoding detection and
** conversion: UTF-8 validation (against a plain byte-by-byte reference,
** and the property the chunked loader relies on: a prefix of valid UTF-8
** is reported cut at most 3 bytes before its end), the BOM, Windows-1252
** decoding (valid UTF-8 out, its length, offsets back into the input),
** and iconv conversion from an encoding the first byte picks (valid UTF-8
** out, or an error offset inside the input).  ASan/UBSan catch the rest.
**
**   clang -fsanitize=fuzzer,address,undefined ... (see tests/CMakeLists.txt)
**   ./fuzz_encoding -max_total_time=30 CORPUS_DIR tests/fuzz/encoding
*/
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "encoding.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(c) do { if (!(c)) abort(); } while (0)

/* The first invalid or truncated sequence, the slow way (RFC 3629). */
static size_t ref_utf8_check(const unsigned char *s, size_t len) {
  size_t i = 0;
  while (i < len) {
    unsigned c = s[i], need, min;
    uint32_t cp;
    if (c < 0x80) { i++; continue; }
    if ((c & 0xE0) == 0xC0) { need = 1; min = 0x80; cp = c & 0x1F; }
    else if ((c & 0xF0) == 0xE0) { need = 2; min = 0x800; cp = c & 0x0F; }
    else if ((c & 0xF8) == 0xF0) { need = 3; min = 0x10000; cp = c & 0x07; }
    else return i;
    if (len - i <= need) return i;
    for (unsigned k = 1; k <= need; k++) {
      if ((s[i + k] & 0xC0) != 0x80) return i;
      cp = (cp << 6) | (s[i + k] & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return i;
    i += need + 1;
  }
  return len;
}

static void check_utf8(const char *s, size_t len) {
  size_t v = enc_utf8_check(s, len);
  CHECK(v == ref_utf8_check((const unsigned char *)s, len));
  CHECK(enc_utf8_check(s, v) == v);                 /* the prefix is valid */
  if (v == len) {
    for (size_t k = 0; k <= len; k += 1 + k / 8) {  /* any cut of it */
      size_t c = enc_utf8_check(s, k);
      CHECK(c <= k && k - c <= 3);
    }
  } else if (len - v >= 4) {
    CHECK(enc_utf8_check(s, v + 4) == v);           /* invalid, not cut */
  }
  size_t bom = enc_bom_len(s, len);
  CHECK(bom == 0 || (bom == 3 && len >= 3 && (unsigned char)s[0] == 0xEF));
}

static void check_cp1252(const char *s, size_t len) {
  char *out = malloc(3 * len + 1);
  if (!out) return;
  size_t n = enc_cp1252_decode(s, len, out), want = 0;
  for (size_t i = 0; i < len; i++) want += enc_cp1252_char_len((unsigned char)s[i]);
  CHECK(n == want && n <= 3 * len);
  CHECK(out[n] == '\0');
  CHECK(enc_utf8_check(out, n) == n);
  size_t d = 0;                         /* decoded bytes before byte i */
  for (size_t i = 0; i <= len; i++) {
    CHECK(enc_cp1252_src_offset(s, len, d) == i);
    if (i < len) d += enc_cp1252_char_len((unsigned char)s[i]);
  }
  free(out);
}

static const char *const encodings[] = {
  "UTF-16", "UTF-16LE", "UTF-16BE", "UTF-32", "ISO-8859-1", "ISO-8859-15",
  "WINDOWS-1251", "SHIFT_JIS", "EUC-JP", "GB18030", "ISO-2022-JP", "UTF-7",
  "UTF-8", "KOI8-R", "BIG5", "CP437",
};
#define N_ENC (sizeof encodings / sizeof *encodings)
static iconv_t cds[N_ENC];

static void check_iconv(unsigned pick, const char *s, size_t len) {
  size_t e = pick % N_ENC;
  if (!cds[e]) {
    char *err = NULL;
    if (enc_iconv_open(encodings[e], &cds[e], &err) != 0) {
      free(err);
      cds[e] = (iconv_t)-1;
    }
  }
  if (cds[e] == (iconv_t)-1) return;
  util_buf out = {0};
  size_t bad = 0;
  int err_no = 0, r = enc_iconv_convert(cds[e], s, len, &out, &bad, &err_no);
  CHECK(r == 0 || r == -1 || r == -2);
  if (r == 0) {
    CHECK(out.data[out.len] == '\0');
    CHECK(enc_utf8_check(out.data, out.len) == out.len);
  } else if (r == -1) {
    CHECK(bad <= len);
    CHECK(err_no == EILSEQ || err_no == EINVAL);
  }
  util_buf_free(&out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  char *s = malloc(size ? size : 1);      /* exactly size bytes, for ASan */
  if (!s) return 0;
  memcpy(s, data, size);
  check_utf8(s, size);
  check_cp1252(s, size);
  if (size > 0) check_iconv((unsigned char)s[0], s + 1, size - 1);
  free(s);
  return 0;
}
