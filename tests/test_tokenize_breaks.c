/*
** test_tokenize_breaks.c -- Unicode's conformance tests for the tokenize
** engine: WordBreakTest.txt and SentenceBreakTest.txt (UAX #29), read from
** Debian's unicode-data package (LECTOR_UNICODE_DIR overrides
** /usr/share/unicode; the tests skip when the files are absent).
**
** Standard mode (all deviations off) must pass every case.  With the
** news-text options on, cases may differ only where a listed deviation
** applies; those are counted and printed, not failed.
*/
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lector/kit.h"
#include "lector/tokenizer.h"
#include "tok_sent.h"
#include "tok_tables.h"
#include "tok_utf8.h"
#include "tok_word.h"

LK_DEFINE              /* the engine's env: malloc unless set below */

#define MAXB 512

typedef struct bcase {
  uint8_t text[MAXB * 4];
  size_t len;
  size_t bounds[MAXB];   /* expected boundaries (byte offsets), 0 and len */
  size_t nbounds;
  unsigned line;
} bcase;

static FILE *open_test(const char *name) {
  const char *dir = getenv("LECTOR_UNICODE_DIR");
  char path[1024];
  snprintf(path, sizeof path, "%s/auxiliary/%s",
           dir ? dir : "/usr/share/unicode", name);
  return fopen(path, "r");
}

/* Parses "÷ 0041 × 0308 ÷ ..." (up to '#') into c; 0 at a blank line. */
static int parse_case(char *line, bcase *c) {
  char *p = line, *hash = strchr(line, '#');
  if (hash) *hash = '\0';
  c->len = 0;
  c->nbounds = 0;
  while (*p) {
    if ((unsigned char)p[0] == 0xC3 && (unsigned char)p[1] == 0xB7) {  /* ÷ */
      if (c->nbounds < MAXB) c->bounds[c->nbounds++] = c->len;
      p += 2;
    } else if ((unsigned char)p[0] == 0xC3 && (unsigned char)p[1] == 0x97) {
      p += 2;                                                       /* × */
    } else if ((*p >= '0' && *p <= '9') || (*p >= 'A' && *p <= 'F')) {
      char *end;
      unsigned long cp = strtoul(p, &end, 16);
      c->len += tok_utf8_encode((uint32_t)cp, c->text + c->len);
      p = end;
    } else {
      p++;
    }
  }
  return c->nbounds > 0;
}

static size_t word_bounds(const bcase *c, unsigned opt, size_t *out) {
  size_t p = 0, k = 0;
  tok_seg seg;
  out[k++] = 0;
  while (p < c->len) {
    p = tok_seg_next(c->text, c->len, p, opt, &seg);
    if (k < MAXB) out[k++] = p;
  }
  return k;
}

static size_t sent_bounds(const bcase *c, const tok_sent_cfg *cfg,
                          size_t *out) {
  size_t p = 0, k = 0;
  out[k++] = 0;
  while (p < c->len) {
    p = tok_sent_next(c->text, c->len, p, cfg);
    if (k < MAXB) out[k++] = p;
  }
  return k;
}

static int same(const bcase *c, const size_t *got, size_t ngot) {
  return ngot == c->nbounds &&
         memcmp(got, c->bounds, ngot * sizeof *got) == 0;
}

static void show(const char *what, const bcase *c, const size_t *got,
                 size_t ngot) {
  size_t i;
  printf("  %s line %u: expected", what, c->line);
  for (i = 0; i < c->nbounds; i++) printf(" %zu", c->bounds[i]);
  printf(", got");
  for (i = 0; i < ngot; i++) printf(" %zu", got[i]);
  printf("\n");
}

/* ------------------------------------------------------------------------
** Words
*/

static void test_wordbreak_standard(void **state) {
  FILE *f = open_test("WordBreakTest.txt");
  char line[4096];
  static bcase c;
  size_t got[MAXB], n, cases = 0, fails = 0, news_diff = 0;
  (void)state;
  if (!f) { skip(); return; }
  c.line = 0;
  while (fgets(line, sizeof line, f)) {
    c.line++;
    if (!parse_case(line, &c)) continue;
    cases++;
    n = word_bounds(&c, 0, got);
    if (!same(&c, got, n)) {
      if (fails < 20) show("word", &c, got, n);
      fails++;
    }
    n = word_bounds(&c, TOK_SEG_ALL, got);
    if (!same(&c, got, n)) news_diff++;
  }
  fclose(f);
  printf("WordBreakTest.txt: %zu cases, %zu failures in standard mode; "
         "%zu differ with every news option on\n", cases, fails, news_diff);
  assert_true(cases > 1000);
  assert_int_equal(fails, 0);
}

/* With the news options on, the cases that differ must differ only where
** a deviation applies: a hyphen, a period after single letters, an @ or #,
** or an SA (Thai ...) character.  Anything else is a bug. */
static int explained(const bcase *c) {
  size_t i = 0;
  while (i < c->len) {
    unsigned len;
    int32_t cp = tok_utf8_decode(c->text, c->len, i, &len);
    if (cp == '-' || cp == 0x2010 || cp == 0x2011 || cp == '.' ||
        cp == '@' || cp == '#' || cp == ':' ||
        (cp >= 0 && TOK_P_SC(tok_prop((uint32_t)cp)) == TOK_SC_SA))
      return 1;
    i += len;
  }
  return 0;
}

static void test_wordbreak_news_deviations(void **state) {
  FILE *f = open_test("WordBreakTest.txt");
  char line[4096];
  static bcase c;
  size_t got[MAXB], n, unexplained = 0;
  (void)state;
  if (!f) { skip(); return; }
  c.line = 0;
  while (fgets(line, sizeof line, f)) {
    c.line++;
    if (!parse_case(line, &c)) continue;
    n = word_bounds(&c, TOK_SEG_ALL, got);
    if (!same(&c, got, n) && !explained(&c)) {
      show("word (news)", &c, got, n);
      unexplained++;
    }
  }
  fclose(f);
  assert_int_equal(unexplained, 0);
}

/* ------------------------------------------------------------------------
** Sentences
*/

static void test_sentbreak_standard(void **state) {
  FILE *f = open_test("SentenceBreakTest.txt");
  char line[4096];
  static bcase c;
  size_t got[MAXB], n, cases = 0, fails = 0, news_diff = 0;
  tok_sent_cfg std = {0, 0, 0, 0}, news = {1, 1, 1, 1};
  (void)state;
  if (!f) { skip(); return; }
  c.line = 0;
  while (fgets(line, sizeof line, f)) {
    c.line++;
    if (!parse_case(line, &c)) continue;
    cases++;
    n = sent_bounds(&c, &std, got);
    if (!same(&c, got, n)) {
      if (fails < 20) show("sentence", &c, got, n);
      fails++;
    }
    n = sent_bounds(&c, &news, got);
    if (!same(&c, got, n)) news_diff++;
  }
  fclose(f);
  printf("SentenceBreakTest.txt: %zu cases, %zu failures in standard mode; "
         "%zu differ with the news options on\n", cases, fails, news_diff);
  assert_true(cases > 400);
  assert_int_equal(fails, 0);
}

/* The generated table agrees with the ASCII fast-path classes. */
static void test_ascii_table(void **state) {
  unsigned b;
  (void)state;
  assert_int_equal(tok_stage1[0], 0);
  for (b = 0; b < 0x80; b++) {
    uint16_t p = tok_prop(b);
    unsigned a = tok_ascii[b];
    int gc = TOK_P_GC(p);
    assert_int_equal(tok_stage2[b], p);
    assert_int_equal((a & TOK_A_UP) != 0, gc == TOK_GC_UPPER);
    assert_int_equal((a & TOK_A_LO) != 0, gc == TOK_GC_LOWER);
    assert_int_equal((a & TOK_A_DG) != 0, TOK_P_WB(p) == TOK_WB_NUMERIC);
    assert_int_equal((a & TOK_A_US) != 0, TOK_P_WB(p) == TOK_WB_ENL);
    if (a & (TOK_A_UP | TOK_A_LO))
      assert_int_equal(TOK_P_WB(p), TOK_WB_ALETTER);
    if (!(a & (TOK_A_WORD & ~TOK_A_US)) && !(a & TOK_A_SP))
      assert_int_equal(tok_ascii_kind[b],
                       gc == TOK_GC_PUNCT ? LECTOR_TOK_PUNCT
                       : gc == TOK_GC_SYMBOL ? LECTOR_TOK_SYMBOL : 0);
    /* No ASCII character is Extend, Format or ZWJ (absorb relies on it). */
    assert_true(TOK_P_WB(p) != TOK_WB_EXTEND &&
                TOK_P_WB(p) != TOK_WB_FORMAT && TOK_P_WB(p) != TOK_WB_ZWJ);
  }
  for (b = 0x80; b < 0x100; b++) assert_int_equal(tok_ascii[b], TOK_A_HI);
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_ascii_table),
    cmocka_unit_test(test_wordbreak_standard),
    cmocka_unit_test(test_wordbreak_news_deviations),
    cmocka_unit_test(test_sentbreak_standard),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
