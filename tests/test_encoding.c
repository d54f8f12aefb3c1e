/*
** test_encoding.c -- UTF-8 validation, Windows-1252, iconv, the BOM.
*/
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "encoding.h"

/* enc_utf8_check over a string literal (may hold NUL bytes). */
#define CHECK(lit) enc_utf8_check(lit, sizeof(lit) - 1)

/* ---------------------------------------------------------------------
** UTF-8
*/

static void utf8_ascii(void **state) {
  (void)state;
  char buf[200];
  for (size_t n = 0; n < sizeof buf; n++) {
    memset(buf, 'a' + (int)(n % 26), n);
    assert_int_equal(enc_utf8_check(buf, n), n);
  }
  assert_int_equal(CHECK(""), 0);
  assert_int_equal(CHECK("plain text\n\twith controls \x01\x7f"), 28);
}

static void utf8_multibyte(void **state) {
  (void)state;
  assert_int_equal(CHECK("caf\xC3\xA9"), 5);                 /* é */
  assert_int_equal(CHECK("\xE2\x82\xAC 5"), 5);              /* € */
  assert_int_equal(CHECK("\xF0\x9D\x84\x9E"), 4);            /* U+1D11E */
  assert_int_equal(CHECK("\xF4\x8F\xBF\xBF"), 4);            /* U+10FFFF */
  assert_int_equal(CHECK("\xC2\x80\xDF\xBF"), 4);            /* U+80, U+7FF */
  assert_int_equal(CHECK("\xE0\xA0\x80\xEF\xBF\xBF"), 6);    /* U+800, U+FFFF */
  assert_int_equal(CHECK("\xED\x9F\xBF\xEE\x80\x80"), 6);    /* around surrogates */
  assert_int_equal(CHECK("\xF0\x90\x80\x80"), 4);            /* U+10000 */
  assert_int_equal(CHECK("\xEF\xBB\xBF" "bom"), 6);
}

static void utf8_overlong(void **state) {
  (void)state;
  assert_int_equal(CHECK("ab\xC0\x80"), 2);
  assert_int_equal(CHECK("\xC1\xBF"), 0);
  assert_int_equal(CHECK("x\xE0\x80\x80"), 1);
  assert_int_equal(CHECK("\xE0\x9F\xBF"), 0);
  assert_int_equal(CHECK("\xF0\x80\x80\x80"), 0);
  assert_int_equal(CHECK("\xF0\x8F\xBF\xBF"), 0);
}

static void utf8_surrogates(void **state) {
  (void)state;
  assert_int_equal(CHECK("\xED\xA0\x80"), 0);                /* U+D800 */
  assert_int_equal(CHECK("ok \xED\xBF\xBF"), 3);             /* U+DFFF */
  assert_int_equal(CHECK("\xED\xA0\xBD\xED\xB2\xA9"), 0);    /* CESU pair */
}

static void utf8_truncated(void **state) {
  (void)state;
  assert_int_equal(CHECK("abc\xC3"), 3);
  assert_int_equal(CHECK("abc\xE2\x82"), 3);
  assert_int_equal(CHECK("\xF0\x9D\x84"), 0);
  assert_int_equal(CHECK("\xE2\x82" "A"), 0);                /* cut mid-text */
  assert_int_equal(CHECK("\xC3" "A"), 0);
  assert_int_equal(CHECK("\xF0\x9D\x84" "ABCDEFGH"), 0);
}

static void utf8_above_max(void **state) {
  (void)state;
  assert_int_equal(CHECK("\xF4\x90\x80\x80"), 0);            /* U+110000 */
  assert_int_equal(CHECK("a\xF5\x80\x80\x80"), 1);
  assert_int_equal(CHECK("ab\xF7\xBF\xBF\xBF"), 2);
  assert_int_equal(CHECK("\xF8\x88\x80\x80\x80"), 0);        /* 5 bytes */
  assert_int_equal(CHECK("\xFE"), 0);
  assert_int_equal(CHECK("\xFF"), 0);
}

static void utf8_stray_continuation(void **state) {
  (void)state;
  assert_int_equal(CHECK("\x80"), 0);
  assert_int_equal(CHECK("abc\xBF" "def"), 3);
  assert_int_equal(CHECK("\xC3\xA9\xA9"), 2);
}

/* The offset is exact wherever the bad byte sits relative to the 8- and
** 32-byte blocks of the fast path. */
static void utf8_offset_every_position(void **state) {
  (void)state;
  char buf[100];
  for (size_t bad = 0; bad < 90; bad++) {
    memset(buf, 'x', sizeof buf);
    buf[bad] = (char)0xFF;
    assert_int_equal(enc_utf8_check(buf, sizeof buf), bad);
    memset(buf, 'x', sizeof buf);
    memcpy(buf + bad, "\xE2\x82\xAC", 3);                    /* valid */
    assert_int_equal(enc_utf8_check(buf, sizeof buf), sizeof buf);
  }
}

static void bom(void **state) {
  (void)state;
  assert_int_equal(enc_bom_len("\xEF\xBB\xBFtext", 7), 3);
  assert_int_equal(enc_bom_len("\xEF\xBB\xBF", 3), 3);
  assert_int_equal(enc_bom_len("\xEF\xBB", 2), 0);
  assert_int_equal(enc_bom_len("text", 4), 0);
  assert_int_equal(enc_bom_len("", 0), 0);
}

/* ---------------------------------------------------------------------
** Windows-1252
*/

/* Decode lit and compare with the expected UTF-8. */
static void cp_expect(const char *in, size_t n, const char *want) {
  char *out = malloc(3 * n + 1);
  assert_non_null(out);
  size_t len = enc_cp1252_decode(in, n, out);
  assert_int_equal(len, strlen(want));
  assert_string_equal(out, want);
  free(out);
}
#define CP(lit, want) cp_expect(lit, sizeof(lit) - 1, want)

static void cp1252_latin1(void **state) {
  (void)state;
  CP("caf\xE9", "caf\xC3\xA9");
  CP("\xA0\xFF\xC0", "\xC2\xA0\xC3\xBF\xC3\x80");
  CP("plain ascii only, longer than thirty-two bytes",
     "plain ascii only, longer than thirty-two bytes");
  CP("", "");
}

static void cp1252_specials(void **state) {
  (void)state;
  CP("\x80" "5", "\xE2\x82\xAC" "5");                        /* euro */
  CP("\x93quoted\x94", "\xE2\x80\x9Cquoted\xE2\x80\x9D");    /* “ ” */
  CP("it\x92s", "it\xE2\x80\x99s");
  CP("\x96\x97", "\xE2\x80\x93\xE2\x80\x94");                /* – — */
  CP("\x81\x8D\x8F\x90\x9D", "\xC2\x81\xC2\x8D\xC2\x8F\xC2\x90\xC2\x9D");
  CP("\x9F\x83\x99", "\xC5\xB8\xC6\x92\xE2\x84\xA2");        /* Ÿ ƒ ™ */
}

static void cp1252_every_byte(void **state) {
  (void)state;
  char in[256], out[3 * 256 + 1];
  size_t want = 0;
  for (int i = 0; i < 256; i++) {
    in[i] = (char)(i == 0 ? ' ' : i);
    want += enc_cp1252_char_len((unsigned char)in[i]);
  }
  size_t len = enc_cp1252_decode(in, sizeof in, out);
  assert_int_equal(len, want);
  assert_int_equal(enc_utf8_check(out, len), len);
}

static void cp1252_src_offset(void **state) {
  (void)state;
  const char *s = "ab\x80" "cd\xE9" "e";    /* decoded: ab€cdée (3+2+3+1) */
  assert_int_equal(enc_cp1252_src_offset(s, 7, 0), 0);
  assert_int_equal(enc_cp1252_src_offset(s, 7, 2), 2);
  assert_int_equal(enc_cp1252_src_offset(s, 7, 5), 3);
  assert_int_equal(enc_cp1252_src_offset(s, 7, 9), 6);
  assert_int_equal(enc_cp1252_src_offset(s, 7, 10), 7);
}

/* ---------------------------------------------------------------------
** iconv
*/

static void iconv_latin1(void **state) {
  (void)state;
  iconv_t cd;
  char *err = NULL;
  util_buf out = {0};
  size_t bad;
  int e;
  assert_int_equal(enc_iconv_open("ISO-8859-1", &cd, &err), 0);
  assert_int_equal(enc_iconv_convert(cd, "na\xEFve", 5, &out, &bad, &e), 0);
  assert_string_equal(out.data, "na\xC3\xAFve");
  assert_int_equal(out.len, 6);
  /* the converter is reset between files */
  assert_int_equal(enc_iconv_convert(cd, "", 0, &out, &bad, &e), 0);
  assert_int_equal(out.len, 0);
  assert_string_equal(out.data, "");
  iconv_close(cd);
  util_buf_free(&out);
}

static void iconv_utf16(void **state) {
  (void)state;
  iconv_t cd;
  char *err = NULL;
  util_buf out = {0};
  size_t bad;
  int e;
  static const char in[] = "\xFF\xFE" "h\0i\0 \0\xAC\x20";    /* "hi €" LE */
  assert_int_equal(enc_iconv_open("UTF-16", &cd, &err), 0);
  assert_int_equal(enc_iconv_convert(cd, in, sizeof in - 1, &out, &bad, &e), 0);
  assert_string_equal(out.data, "hi \xE2\x82\xAC");
  iconv_close(cd);
  util_buf_free(&out);
}

static void iconv_invalid_input(void **state) {
  (void)state;
  iconv_t cd;
  char *err = NULL;
  util_buf out = {0};
  size_t bad = 0;
  int e = 0;
  assert_int_equal(enc_iconv_open("UTF-8", &cd, &err), 0);
  assert_int_equal(enc_iconv_convert(cd, "abc\xFF" "def", 7, &out, &bad, &e), -1);
  assert_int_equal(bad, 3);
  assert_int_equal(e, EILSEQ);
  assert_int_equal(enc_iconv_convert(cd, "abc\xE2\x82", 5, &out, &bad, &e), -1);
  assert_int_equal(bad, 3);
  assert_int_equal(e, EINVAL);
  iconv_close(cd);
  util_buf_free(&out);
}

/* glibc converts UTF-8 beyond U+10FFFF to itself: the result must still
** be valid UTF-8, so that is an error (found by fuzz_encoding). */
static void iconv_output_checked(void **state) {
  (void)state;
  iconv_t cd;
  char *err = NULL;
  util_buf out = {0};
  size_t bad = 99;
  int e = 0;
  assert_int_equal(enc_iconv_open("UTF-8", &cd, &err), 0);
  assert_int_equal(enc_iconv_convert(cd, "a\xF5\x84\x8E\x8E" "b", 6, &out, &bad, &e), -1);
  assert_int_equal(bad, 1);
  assert_int_equal(e, EILSEQ);
  assert_int_equal(enc_iconv_convert(cd, "a\xF4\x8F\xBF\xBF" "b", 6, &out, &bad, &e), 0);
  assert_int_equal(out.len, 6);
  iconv_close(cd);
  util_buf_free(&out);
}

static void iconv_unknown_name(void **state) {
  (void)state;
  iconv_t cd;
  char *err = NULL;
  assert_int_not_equal(enc_iconv_open("NO-SUCH-ENCODING-42", &cd, &err), 0);
  assert_non_null(err);
  assert_non_null(strstr(err, "NO-SUCH-ENCODING-42"));
  free(err);
}

static void iconv_grows_output(void **state) {
  (void)state;
  iconv_t cd;
  char *err = NULL;
  util_buf out = {0};
  size_t bad, n = 1 << 20;
  int e;
  char *in = malloc(n);
  assert_non_null(in);
  memset(in, 0xE9, n);                     /* every byte doubles */
  assert_int_equal(enc_iconv_open("ISO-8859-1", &cd, &err), 0);
  assert_int_equal(enc_iconv_convert(cd, in, n, &out, &bad, &e), 0);
  assert_int_equal(out.len, 2 * n);
  assert_int_equal(enc_utf8_check(out.data, out.len), out.len);
  iconv_close(cd);
  util_buf_free(&out);
  free(in);
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(utf8_ascii),
    cmocka_unit_test(utf8_multibyte),
    cmocka_unit_test(utf8_overlong),
    cmocka_unit_test(utf8_surrogates),
    cmocka_unit_test(utf8_truncated),
    cmocka_unit_test(utf8_above_max),
    cmocka_unit_test(utf8_stray_continuation),
    cmocka_unit_test(utf8_offset_every_position),
    cmocka_unit_test(bom),
    cmocka_unit_test(cp1252_latin1),
    cmocka_unit_test(cp1252_specials),
    cmocka_unit_test(cp1252_every_byte),
    cmocka_unit_test(cp1252_src_offset),
    cmocka_unit_test(iconv_latin1),
    cmocka_unit_test(iconv_utf16),
    cmocka_unit_test(iconv_invalid_input),
    cmocka_unit_test(iconv_output_checked),
    cmocka_unit_test(iconv_unknown_name),
    cmocka_unit_test(iconv_grows_output),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
