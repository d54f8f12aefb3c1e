/*
** test_tokenize.c -- unit tests of the tokenize engine without the host:
** words in many scripts, kinds and flags, normalisation options, stop
** words, stemming, invalid UTF-8, the chunked and callback interfaces,
** sentences, options from Lua, and several threads sharing one options
** object.  A fake vocabulary stands in for the host's.
*/
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <lauxlib.h>
#include <lua.h>
#include <lualib.h>

#include "lector/kit.h"
#include "lector/tokenizer.h"
#include "tok_lopts.h"
#include "tok_opts.h"
#include "tok_run.h"
#include "tok_word.h"
#include "tok_reference.h"

LK_DEFINE              /* the engine's env: malloc unless set below */

/* ------------------------------------------------------------------------
** A fake vocabulary: a mutex-protected list (tests only)
*/

#define VMAX 4096
static char *vstr[VMAX];
static size_t vlen[VMAX];
static uint32_t vcount;
static pthread_mutex_t vlock = PTHREAD_MUTEX_INITIALIZER;

static uint32_t fake_intern(const char *s, size_t len) {
  uint32_t i, id = 0;
  pthread_mutex_lock(&vlock);
  for (i = 0; i < vcount; i++)
    if (vlen[i] == len && memcmp(vstr[i], s, len) == 0) { id = i + 1; break; }
  if (!id && vcount < VMAX) {
    vstr[vcount] = malloc(len + 1);
    memcpy(vstr[vcount], s, len);
    vstr[vcount][len] = '\0';
    vlen[vcount] = len;
    id = ++vcount;
  }
  pthread_mutex_unlock(&vlock);
  return id;
}

static int setup(void **state) {
  lk_env env = { 0 };
  (void)state;
  env.vocab_intern = fake_intern;
  lk_env_set(&env);
  return 0;
}

static int teardown(void **state) {
  uint32_t i;
  (void)state;
  for (i = 0; i < vcount; i++) free(vstr[i]);
  vcount = 0;
  return 0;
}

/* ------------------------------------------------------------------------
** Helpers
*/

#define MAXTOK 256

typedef struct toks {
  size_t n;
  lector_tok_span sp[MAXTOK];
  char norm[MAXTOK][64];
  char text[MAXTOK][64];
} toks;

static lector_tok_opts *opts_with(void (*edit)(lector_tok_config *)) {
  lector_tok_config cfg;
  lector_tok_opts *o;
  char *err = NULL;
  tok_config_init(&cfg, sizeof cfg);
  if (edit) edit(&cfg);
  o = tok_opts_new(&cfg, &err);
  if (!o) fail_msg("tok_opts_new: %s", err);
  return o;
}

static void run(const lector_tok_opts *o, const char *text, toks *t) {
  lector_tok_state st;
  char *err = NULL;
  const char *norm;
  size_t nlen;
  assert_int_equal(tok_run_begin(&st, o, text, strlen(text), TOK_RUN_NORM,
                                 &err), LECTOR_OK);
  t->n = 0;
  while (t->n < MAXTOK && tok_run_step(&st, &t->sp[t->n], &norm, &nlen)) {
    const lector_tok_span *sp = &t->sp[t->n];
    snprintf(t->norm[t->n], 64, "%.*s", (int)nlen, norm);
    snprintf(t->text[t->n], 64, "%.*s", (int)sp->length, text + sp->offset);
    t->n++;
  }
  tok_run_end(&st);
}

/* "a|b|c" of the norms (which) or texts of text tokenized with o. */
static const char *joined(const lector_tok_opts *o, const char *text,
                          int texts) {
  static char out[4096];
  static toks t;
  size_t i, used = 0;
  run(o, text, &t);
  out[0] = '\0';
  for (i = 0; i < t.n; i++)
    used += (size_t)snprintf(out + used, sizeof out - used, "%s%s",
                             i ? "|" : "", texts ? t.text[i] : t.norm[i]);
  return out;
}

#define NORMS(o, text) joined(o, text, 0)
#define TEXTS(o, text) joined(o, text, 1)

static void no_punct(lector_tok_config *c) { c->punct = 0; }

/* ------------------------------------------------------------------------
** Words
*/

static void test_news_english(void **state) {
  lector_tok_opts *o = opts_with(NULL);
  toks t;
  (void)state;
  run(o, "Pakistan\xE2\x80\x99s U.S. ties, 76,000 troops", &t);
  assert_int_equal(t.n, 6);
  assert_string_equal(t.text[0], "Pakistan\xE2\x80\x99s");
  assert_string_equal(t.norm[0], "pakistan's");
  assert_int_equal(t.sp[0].kind, LECTOR_TOK_WORD);
  assert_int_equal(t.sp[0].flags & LECTOR_TOKF_CAPITAL, LECTOR_TOKF_CAPITAL);
  assert_string_equal(t.text[1], "U.S.");
  assert_string_equal(t.norm[1], "u.s.");
  assert_true(t.sp[1].flags & LECTOR_TOKF_ABBREV);
  assert_true(t.sp[1].flags & LECTOR_TOKF_ALLCAPS);
  assert_string_equal(t.text[3], ",");
  assert_int_equal(t.sp[3].kind, LECTOR_TOK_PUNCT);
  assert_string_equal(t.text[4], "76,000");
  assert_int_equal(t.sp[4].kind, LECTOR_TOK_NUMBER);
  assert_int_equal(t.sp[4].offset, 24);
  assert_int_equal(t.sp[4].length, 6);
  /* ' and ’ give the same norm, hence the same id */
  run(o, "Pakistan's Pakistan\xE2\x80\x99s don't don\xE2\x80\x99t", &t);
  assert_int_equal(t.n, 4);
  assert_int_equal(t.sp[0].id, t.sp[1].id);
  assert_int_equal(t.sp[2].id, t.sp[3].id);
  assert_true(t.sp[0].id != 0);
  tok_opts_free(o);
}

static void test_numbers(void **state) {
  lector_tok_opts *o = opts_with(NULL);
  toks t;
  (void)state;
  assert_string_equal(TEXTS(o, "0.6 33.30 1,621 $290 3.5% 1990s 2005-06"),
                      "0.6|33.30|1,621|$|290|3.5|%|1990s|2005|-|06");
  run(o, "0.6 1990s $", &t);
  assert_int_equal(t.sp[0].kind, LECTOR_TOK_NUMBER);
  assert_int_equal(t.sp[1].kind, LECTOR_TOK_WORD);
  assert_int_equal(t.sp[2].kind, LECTOR_TOK_SYMBOL);
  tok_opts_free(o);
  o = opts_with(NULL);
  {
    lector_tok_config c;
    char *err = NULL;
    tok_config_init(&c, sizeof c);
    c.numbers = 0;
    c.punct = 0;
    tok_opts_free(o);
    o = tok_opts_new(&c, &err);
  }
  assert_string_equal(TEXTS(o, "In 2006, 76,000 people (0.6%) left."),
                      "In|people|left");
  tok_opts_free(o);
}

static void split_hyphens(lector_tok_config *c) { c->split_hyphens = 1; }

static void test_hyphens(void **state) {
  lector_tok_opts *o = opts_with(NULL), *s = opts_with(split_hyphens);
  toks t;
  (void)state;
  assert_string_equal(TEXTS(o, "well-known COVID-19 19-year-old F-16 pre- war"),
                      "well-known|COVID-19|19-year-old|F-16|pre|-|war");
  run(o, "well-known", &t);
  assert_true(t.sp[0].flags & LECTOR_TOKF_HYPHEN);
  assert_string_equal(TEXTS(s, "well-known COVID-19"),
                      "well|-|known|COVID|-|19");
  /* U+2010 HYPHEN too */
  assert_string_equal(TEXTS(o, "long\xE2\x80\x90term"),
                      "long\xE2\x80\x90term");
  tok_opts_free(o);
  tok_opts_free(s);
}

static void test_web(void **state) {
  lector_tok_opts *o = opts_with(NULL);
  lector_tok_config c;
  char *err = NULL;
  toks t;
  (void)state;
  run(o, "See https://example.org/a_(b)?x=1. Mail news@abc.net.au, "
         "follow @lector_dev #Election2024 www.abc.net.au/news now.", &t);
  assert_string_equal(t.text[1], "https://example.org/a_(b)?x=1");
  assert_int_equal(t.sp[1].kind, LECTOR_TOK_URL);
  assert_string_equal(t.text[4], "news@abc.net.au");
  assert_int_equal(t.sp[4].kind, LECTOR_TOK_EMAIL);
  assert_string_equal(t.text[7], "@lector_dev");
  assert_int_equal(t.sp[7].kind, LECTOR_TOK_MENTION);
  assert_string_equal(t.text[8], "#Election2024");
  assert_string_equal(t.norm[8], "#election2024");
  assert_int_equal(t.sp[8].kind, LECTOR_TOK_HASHTAG);
  assert_string_equal(t.text[9], "www.abc.net.au/news");
  assert_int_equal(t.sp[9].kind, LECTOR_TOK_URL);
  /* not a hashtag: no letter, or glued to a word */
  assert_string_equal(TEXTS(o, "#1 a#b"), "#|1|a|#|b");
  /* the standard preset turns them all off */
  tok_config_init(&c, sizeof c);
  tok_config_standard(&c);
  tok_opts_free(o);
  o = tok_opts_new(&c, &err);
  assert_string_equal(TEXTS(o, "@bob #tag http://x.org"),
                      "@|bob|#|tag|http|:|/|/|x.org");
  tok_opts_free(o);
}

static void test_emoji(void **state) {
  lector_tok_opts *o = opts_with(NULL);
  lector_tok_config c;
  char *err = NULL;
  toks t;
  (void)state;
  /* grinning face, thumbs up + skin tone, flag AU, family ZWJ sequence,
  ** heart + VS16 */
  run(o, "ok \xF0\x9F\x98\x80\xF0\x9F\x91\x8D\xF0\x9F\x8F\xBD "
         "\xF0\x9F\x87\xA6\xF0\x9F\x87\xBA "
         "\xF0\x9F\x91\xA8\xE2\x80\x8D\xF0\x9F\x91\xA9\xE2\x80\x8D\xF0\x9F\x91\xA7 "
         "\xE2\x9D\xA4\xEF\xB8\x8F \xC2\xA9", &t);
  assert_int_equal(t.n, 7);
  assert_int_equal(t.sp[1].kind, LECTOR_TOK_EMOJI);
  assert_int_equal(t.sp[1].length, 4);
  assert_int_equal(t.sp[2].kind, LECTOR_TOK_EMOJI);
  assert_int_equal(t.sp[2].length, 8);
  assert_int_equal(t.sp[3].kind, LECTOR_TOK_EMOJI);
  assert_int_equal(t.sp[3].length, 8);
  assert_int_equal(t.sp[4].kind, LECTOR_TOK_EMOJI);
  assert_int_equal(t.sp[4].length, 18);
  assert_int_equal(t.sp[5].kind, LECTOR_TOK_EMOJI);
  assert_int_equal(t.sp[6].kind, LECTOR_TOK_SYMBOL);   /* © without VS16 */
  tok_config_init(&c, sizeof c);
  c.emoji = 0;
  tok_opts_free(o);
  o = tok_opts_new(&c, &err);
  assert_string_equal(TEXTS(o, "great \xF0\x9F\x98\x80!"), "great|!");
  tok_opts_free(o);
}

static void test_scripts(void **state) {
  lector_tok_opts *o = opts_with(no_punct);
  toks t;
  (void)state;
  /* Devanagari, Bengali, Tamil: vowel signs and viramas stay inside */
  assert_string_equal(NORMS(o, "\xE0\xA4\xB9\xE0\xA4\xBF\xE0\xA4\xA8\xE0\xA5\x8D\xE0\xA4\xA6\xE0\xA5\x80 "
                               "\xE0\xA6\xAC\xE0\xA6\xBE\xE0\xA6\x82\xE0\xA6\xB2\xE0\xA6\xBE "
                               "\xE0\xAE\xA4\xE0\xAE\xAE\xE0\xAE\xBF\xE0\xAE\xB4\xE0\xAF\x8D"),
                      "\xE0\xA4\xB9\xE0\xA4\xBF\xE0\xA4\xA8\xE0\xA5\x8D\xE0\xA4\xA6\xE0\xA5\x80|"
                      "\xE0\xA6\xAC\xE0\xA6\xBE\xE0\xA6\x82\xE0\xA6\xB2\xE0\xA6\xBE|"
                      "\xE0\xAE\xA4\xE0\xAE\xAE\xE0\xAE\xBF\xE0\xAE\xB4\xE0\xAF\x8D");
  /* Vietnamese in NFD: one token each, NFC norm */
  assert_string_equal(NORMS(o, "Ti\x65\xCC\x82\xCC\x81ng Vi\x65\xCC\xA3\xCC\x82t"),
                      "ti\xE1\xBA\xBFng|vi\xE1\xBB\x87t");
  /* Persian with ZWNJ, Arabic */
  assert_string_equal(TEXTS(o, "\xD9\x85\xDB\x8C\xE2\x80\x8C\xD8\xAE\xD9\x88\xD8\xA7\xD9\x87\xD9\x85 "
                               "\xD8\xA7\xD9\x84\xD8\xB9\xD8\xB1\xD8\xA8\xD9\x8A\xD8\xA9"),
                      "\xD9\x85\xDB\x8C\xE2\x80\x8C\xD8\xAE\xD9\x88\xD8\xA7\xD9\x87\xD9\x85|"
                      "\xD8\xA7\xD9\x84\xD8\xB9\xD8\xB1\xD8\xA8\xD9\x8A\xD8\xA9");
  /* Hebrew with gershayim as a double quote: one token (WB7b, WB7c) */
  assert_string_equal(TEXTS(o, "\xD7\xA6\xD7\x94\"\xD7\x9C \xD7\xA9\xD7\x9C\xD7\x95\xD7\x9D"),
                      "\xD7\xA6\xD7\x94\"\xD7\x9C|\xD7\xA9\xD7\x9C\xD7\x95\xD7\x9D");
  /* Greek, Cyrillic, Armenian: case folded */
  assert_string_equal(NORMS(o, "\xCE\x95\xCE\xBB\xCE\xBB\xCE\xB7\xCE\xBD\xCE\xB9\xCE\xBA\xCE\xAC "
                               "\xD0\x9C\xD0\xBE\xD1\x81\xD0\xBA\xD0\xB2\xD0\xB0 "
                               "\xD5\x80\xD5\xA1\xD5\xB5\xD5\xA5\xD6\x80\xD5\xA5\xD5\xB6"),
                      "\xCE\xB5\xCE\xBB\xCE\xBB\xCE\xB7\xCE\xBD\xCE\xB9\xCE\xBA\xCE\xAC|"
                      "\xD0\xBC\xD0\xBE\xD1\x81\xD0\xBA\xD0\xB2\xD0\xB0|"
                      "\xD5\xB0\xD5\xA1\xD5\xB5\xD5\xA5\xD6\x80\xD5\xA5\xD5\xB6");
  /* Georgian, Ethiopic, Hangul: one token per word */
  assert_string_equal(TEXTS(o, "\xE1\x83\xA5\xE1\x83\x90\xE1\x83\xA0\xE1\x83\x97\xE1\x83\xA3\xE1\x83\x9A\xE1\x83\x98 "
                               "\xE1\x8A\xA0\xE1\x88\x9B\xE1\x88\xAD\xE1\x8A\x9B "
                               "\xED\x95\x9C\xEA\xB5\xAD\xEC\x96\xB4"),
                      "\xE1\x83\xA5\xE1\x83\x90\xE1\x83\xA0\xE1\x83\x97\xE1\x83\xA3\xE1\x83\x9A\xE1\x83\x98|"
                      "\xE1\x8A\xA0\xE1\x88\x9B\xE1\x88\xAD\xE1\x8A\x9B|"
                      "\xED\x95\x9C\xEA\xB5\xAD\xEC\x96\xB4");
  /* Han: one token per ideograph; Katakana: a run; Thai: a run */
  run(o, "\xE6\x9D\xB1\xE4\xBA\xAC\xE3\x82\xBF\xE3\x83\xAF\xE3\x83\xBC "
         "\xE0\xB8\xA0\xE0\xB8\xB2\xE0\xB8\xA9\xE0\xB8\xB2\xE0\xB9\x84\xE0\xB8\x97\xE0\xB8\xA2", &t);
  assert_int_equal(t.n, 4);
  assert_true(t.sp[0].flags & LECTOR_TOKF_DICT);
  assert_int_equal(t.sp[0].length, 3);
  assert_int_equal(t.sp[2].length, 9);                  /* タワー */
  assert_int_equal(t.sp[3].length, 21);                 /* ภาษาไทย */
  assert_true(t.sp[3].flags & LECTOR_TOKF_DICT);
  tok_opts_free(o);
}

static void test_case_folding(void **state) {
  lector_tok_opts *o = opts_with(no_punct);
  toks t;
  (void)state;
  assert_string_equal(NORMS(o, "Stra\xC3\x9F" "e NASA Hello I"),
                      "strasse|nasa|hello|i");
  run(o, "NASA Hello hello I", &t);
  assert_int_equal(t.sp[0].flags & 3, LECTOR_TOKF_ALLCAPS | LECTOR_TOKF_CAPITAL);
  assert_int_equal(t.sp[1].flags & 3, LECTOR_TOKF_CAPITAL);
  assert_int_equal(t.sp[2].flags & 3, 0);
  assert_int_equal(t.sp[3].flags & 3, LECTOR_TOKF_ALLCAPS | LECTOR_TOKF_CAPITAL);
  /* final sigma folds to sigma */
  assert_string_equal(NORMS(o, "\xCE\x9F\xCE\x94\xCE\x9F\xCE\xA3 \xE1\xBD\x81\xCE\xB4\xCF\x8C\xCF\x82"),
                      "\xCE\xBF\xCE\xB4\xCE\xBF\xCF\x83|\xE1\xBD\x81\xCE\xB4\xCF\x8C\xCF\x83");
  tok_opts_free(o);
}

static void nfkc_keep_case(lector_tok_config *c) {
  c->normalize = LECTOR_TOK_NORM_NFKC;
  c->lower = 0;
}
static void nfc_keep_case(lector_tok_config *c) { c->lower = 0; }
static void strip_accents(lector_tok_config *c) { c->accents = 0; }

static void test_normalization(void **state) {
  lector_tok_opts *k = opts_with(nfkc_keep_case), *c = opts_with(nfc_keep_case);
  lector_tok_opts *s = opts_with(strip_accents);
  (void)state;
  /* ligature fi, full-width ABC */
  assert_string_equal(NORMS(k, "\xEF\xAC\x81le \xEF\xBC\xA1\xEF\xBC\xA2\xEF\xBC\xA3"),
                      "file|ABC");
  assert_string_equal(NORMS(c, "\xEF\xAC\x81le Caf\x65\xCC\x81"),
                      "\xEF\xAC\x81le|Caf\xC3\xA9");
  /* accents stripped from Latin and Greek, Devanagari intact */
  assert_string_equal(NORMS(s, "Caf\xC3\xA9 na\xC3\xAFve \xCE\xB5\xCE\xBB\xCE\xBB\xCE\xB7\xCE\xBD\xCE\xB9\xCE\xBA\xCE\xAC "
                               "\xE0\xA4\xB9\xE0\xA4\xBF\xE0\xA4\xA8\xE0\xA5\x8D\xE0\xA4\xA6\xE0\xA5\x80"),
                      "cafe|naive|\xCE\xB5\xCE\xBB\xCE\xBB\xCE\xB7\xCE\xBD\xCE\xB9\xCE\xBA\xCE\xB1|"
                      "\xE0\xA4\xB9\xE0\xA4\xBF\xE0\xA4\xA8\xE0\xA5\x8D\xE0\xA4\xA6\xE0\xA5\x80");
  tok_opts_free(k);
  tok_opts_free(c);
  tok_opts_free(s);
}

static void stem_english(lector_tok_config *c) {
  c->stem = "english";
  c->punct = 0;
}

static void test_stemming(void **state) {
  lector_tok_opts *o = opts_with(stem_english);
  lector_tok_config c;
  char *err = NULL, buf[64];
  (void)state;
  assert_string_equal(NORMS(o, "Running connections ponies 1990s"),
                      "run|connect|poni|1990s");
  assert_int_equal(tok_run_normalize(o, "Generously", 10, buf, sizeof buf), 8);
  assert_string_equal(buf, "generous");
  tok_config_init(&c, sizeof c);
  c.stem = "klingon";
  assert_null(tok_opts_new(&c, &err));
  assert_non_null(strstr(err, "unknown stemmer language 'klingon'"));
  assert_non_null(strstr(err, "english"));
  lk_free(err);
  tok_opts_free(o);
}

static void stem_porter(lector_tok_config *c) {
  c->stem = "porter";
  c->punct = 0;
}

/* Every norm of text under o is non-empty, through the step and the
** block (tok_run_next) paths; returns how many tokens there were. */
static size_t all_nonempty(const lector_tok_opts *o, const char *text) {
  lector_tok_state st;
  lector_tok_span sp[64];
  char *err = NULL;
  const char *norm;
  size_t nlen, n = 0, k, i;
  assert_int_equal(tok_run_begin(&st, o, text, strlen(text), TOK_RUN_NORM,
                                 &err), LECTOR_OK);
  while (tok_run_step(&st, &sp[0], &norm, &nlen)) {
    assert_true(nlen > 0);
    n++;
  }
  tok_run_end(&st);
  assert_int_equal(tok_run_begin(&st, o, text, strlen(text), 0, &err),
                   LECTOR_OK);
  while ((k = tok_run_next(&st, sp, 64)) > 0)
    for (i = 0; i < k; i++) {          /* the id of a non-empty word */
      assert_true(sp[i].id != 0 && sp[i].id <= vcount);
      assert_true(vlen[sp[i].id - 1] > 0);
    }
  tok_run_end(&st);
  return n;
}

/* Issue 12 item 14: porter stems "s" to "": the word is kept unstemmed,
** never handed out empty (ngram then reported "out of memory"). */
static void test_empty_stem(void **state) {
  lector_tok_opts *o = opts_with(stem_porter);
  char buf[16];
  (void)state;
  assert_string_equal(NORMS(o, "s is as running"), "s|i|a|run");
  assert_int_equal(tok_run_normalize(o, "s", 1, buf, sizeof buf), 1);
  assert_string_equal(buf, "s");
  /* Over 64 bytes of ASCII: the block path as well as step(). */
  assert_int_equal(all_nonempty(o, "s s s s s s s s s s s s s s s s s s s s "
                                   "s s s s s s s s s s s s s s s s s s s s "
                                   "s s s s s s s s s s s s s s s s s s s s"),
                   60);
  tok_opts_free(o);
}

static void test_stopwords(void **state) {
  lector_tok_config c;
  lector_tok_opts *o;
  const char *list[] = { "Foo", "bar" };
  char path[] = "/tmp/lector_stopXXXXXX", *err = NULL;
  int fd;
  FILE *f;
  (void)state;
  tok_config_init(&c, sizeof c);
  c.stopwords = LECTOR_TOK_STOP_ENGLISH;
  c.punct = 0;
  o = tok_opts_new(&c, &err);
  assert_non_null(o);
  assert_string_equal(NORMS(o, "The cat sat on THE mat, didn't it?"),
                      "cat|sat|mat");
  tok_opts_free(o);
  /* a list; case-insensitive even with lower = false */
  c.stopwords = LECTOR_TOK_STOP_NONE;
  c.stopword_list = list;
  c.nstopwords = 2;
  c.lower = 0;
  o = tok_opts_new(&c, &err);
  assert_string_equal(NORMS(o, "foo BAR Baz"), "Baz");
  tok_opts_free(o);
  /* a file */
  fd = mkstemp(path);
  assert_true(fd >= 0);
  f = fdopen(fd, "w");
  fputs("# comment\nalpha\n  beta  \n\ngamma", f);
  fclose(f);
  tok_config_init(&c, sizeof c);
  c.stopwords_path = path;
  o = tok_opts_new(&c, &err);
  assert_non_null(o);
  assert_int_equal(tok_stop_count(o->stop), 3);
  assert_string_equal(NORMS(o, "Alpha beta gamma delta"), "delta");
  tok_opts_free(o);
  unlink(path);
  c.stopwords_path = "/nonexistent/stop.txt";
  assert_null(tok_opts_new(&c, &err));
  assert_non_null(strstr(err, "/nonexistent/stop.txt"));
  lk_free(err);
}

static void min3(lector_tok_config *c) {
  c->min_len = 3;
}

static void test_min_len(void **state) {
  lector_tok_opts *o = opts_with(min3);
  (void)state;
  /* punctuation is not subject to min_len */
  assert_string_equal(TEXTS(o, "A man of 42 years, ok!"), "man|years|,|!");
  tok_opts_free(o);
}

static void replace_invalid(lector_tok_config *c) {
  c->invalid = LECTOR_TOK_INVALID_REPLACE;
}

static void test_invalid_utf8(void **state) {
  lector_tok_opts *o = opts_with(NULL), *r = opts_with(replace_invalid);
  toks t;
  (void)state;
  /* Latin-1 é, a stray continuation byte, an overlong NUL, a surrogate,
  ** a truncated sequence at the end */
  assert_string_equal(TEXTS(o, "caf\xE9 noir \x80ok \xC0\x80x \xED\xA0\x80y z\xE2\x82"),
                      "caf|noir|ok|x|y|z");
  run(r, "caf\xE9 ok", &t);
  assert_int_equal(t.n, 3);
  assert_int_equal(t.sp[1].kind, LECTOR_TOK_SYMBOL);
  assert_true(t.sp[1].flags & LECTOR_TOKF_INVALID);
  assert_int_equal(t.sp[1].length, 1);
  assert_string_equal(t.norm[1], "\xEF\xBF\xBD");
  tok_opts_free(o);
  tok_opts_free(r);
}

static void test_long_token(void **state) {
  lector_tok_opts *o = opts_with(NULL);
  char *text = malloc(5002);
  toks t;
  (void)state;
  memset(text, 'a', 5000);
  text[5000] = '!';
  text[5001] = '\0';
  run(o, text, &t);
  assert_int_equal(t.n, 2);
  assert_int_equal(t.sp[0].length, 5000);
  assert_true(t.sp[0].flags & LECTOR_TOKF_LONG);
  assert_int_equal(t.sp[0].id, 0);
  free(text);
  tok_opts_free(o);
}

/* ------------------------------------------------------------------------
** Interfaces
*/

static const char sample[] =
    "The Prime Minister has denied he knew AWB was paying kickbacks. "
    "\xE2\x80\x9CIt would have been astonishing,\xE2\x80\x9D he said on "
    "Tuesday \xE2\x80\x94 while 1,200 farmers waited. Don't panic! "
    "Dr. Lee's U.S.-based team (est. 1999) won 3.5 million.";

static void test_chunked_equals_whole(void **state) {
  lector_tok_opts *o = opts_with(NULL);
  lector_tok_span whole[256], part[256];
  lector_tok_state st;
  size_t n, m, cap, got;
  char *err = NULL;
  (void)state;
  assert_int_equal(tok_run_begin(&st, o, sample, strlen(sample), 0, &err), 0);
  n = tok_run_next(&st, whole, 256);
  assert_int_equal(tok_run_next(&st, whole + n, 256 - n), 0);
  tok_run_end(&st);
  assert_true(n > 40);
  for (cap = 1; cap <= 9; cap += 2) {
    assert_int_equal(tok_run_begin(&st, o, sample, strlen(sample), 0, &err), 0);
    m = 0;
    while ((got = tok_run_next(&st, part + m, cap)) > 0) m += got;
    tok_run_end(&st);
    assert_int_equal(m, n);
    assert_memory_equal(part, whole, n * sizeof *whole);
  }
  tok_opts_free(o);
}

typedef struct each_ud {
  size_t count;
  size_t stop_at;
  char last[64];
} each_ud;

static int each_fn(void *ud, const lector_tok_span *sp, const char *norm,
                   size_t nlen) {
  each_ud *e = ud;
  (void)sp;
  snprintf(e->last, sizeof e->last, "%.*s", (int)nlen, norm);
  return ++e->count == e->stop_at ? 42 : 0;
}

static void test_each(void **state) {
  each_ud e = { 0, 0, "" };
  char *err = NULL;
  (void)state;
  assert_int_equal(tok_run_each(NULL, sample, strlen(sample), each_fn, &e,
                                &err), LECTOR_OK);
  assert_string_equal(e.last, ".");
  e.count = 0;
  e.stop_at = 3;
  assert_int_equal(tok_run_each(NULL, sample, strlen(sample), each_fn, &e,
                                &err), 42);
  assert_string_equal(e.last, "minister");
}

static void test_old_config_size(void **state) {
  lector_tok_config c;
  lector_tok_opts *o;
  char *err = NULL;
  (void)state;
  /* A caller built when the struct ended at "punct" gets defaults for the
  ** rest, whatever lies beyond. */
  memset(&c, 0x7f, sizeof c);
  tok_config_init(&c, offsetof(lector_tok_config, punct) + sizeof(int));
  c.punct = 0;
  o = tok_opts_new(&c, &err);
  assert_non_null(o);
  assert_int_equal(o->cfg.numbers, 1);
  assert_int_equal(o->cfg.ids, 1);
  assert_string_equal(TEXTS(o, "Hi, 5!"), "Hi|5");
  tok_opts_free(o);
}

static void test_bounds_random(void **state) {
  lector_tok_opts *o = opts_with(replace_invalid);
  unsigned seed = 12345;
  int round;
  (void)state;
  for (round = 0; round < 2000; round++) {
    char buf[64];
    size_t len = (size_t)(seed % 64), i, last_end = 0;
    lector_tok_state st;
    lector_tok_span sp[80];
    char *err = NULL;
    size_t n, k;
    for (i = 0; i < len; i++) {
      seed = seed * 1103515245u + 12345u;
      buf[i] = (char)((seed >> 16) & 0xff);
      if ((seed >> 8) % 3 == 0) buf[i] = "a .'-@#:/\xE2\x80\x99\xCC\x81"[(seed >> 4) % 13];
    }
    seed = seed * 1103515245u + 12345u;
    assert_int_equal(tok_run_begin(&st, o, buf, len, TOK_RUN_NORM, &err), 0);
    n = tok_run_next(&st, sp, 80);
    tok_run_end(&st);
    for (k = 0; k < n; k++) {
      assert_true(sp[k].length > 0);
      assert_true(sp[k].offset >= last_end);
      assert_true((size_t)sp[k].offset + sp[k].length <= len);
      last_end = sp[k].offset + sp[k].length;
    }
  }
  tok_opts_free(o);
}

static void ids_off(lector_tok_config *c) {
  c->ids = 0;
  c->invalid = LECTOR_TOK_INVALID_REPLACE;
}

/* Random text rich in what the fast paths must hand over (. , ; ' : - @ #,
** non-ASCII, invalid bytes, controls), long enough for 64-byte blocks:
** batches, single tokens and the plain segmenter agree. */
static void test_fast_paths_match_segmenter(void **state) {
  static const char *const pieces[] = {
    "a", "b", "Z", "7", "0", "_", " ", " ", " ", "  ", "\n", "\t", ".", ",",
    ";", "'", ":", "-", "@", "#", "!", "(", "$", "\x01", "\x7f",
    "\xC3\xA9", "\xE2\x80\x99", "\xCC\x81", "\xE0\xB8\x81",
    "\xF0\x9F\x98\x80", "\xFF", "\xE2\x82", "word", "U.S.", "don't",
    "76,000", "http://x.org/a", "me@x.org", "COVID-19", "www.x.com"
  };
  lector_tok_opts *opts[2] = { opts_with(ids_off), opts_with(split_hyphens) };
  static lector_tok_span got[1024], one[1024], want[1024];
  unsigned seed = 99;
  int round, k;
  (void)state;
  for (round = 0; round < 3000; round++) {
    char buf[600];
    size_t len = 0, target, ng, n1, nw, i;
    seed = seed * 1103515245u + 12345u;
    target = (seed >> 8) % 300;
    while (len < target) {
      const char *pc;
      seed = seed * 1103515245u + 12345u;
      pc = pieces[(seed >> 10) % (sizeof pieces / sizeof *pieces)];
      if (len + strlen(pc) >= sizeof buf) break;
      memcpy(buf + len, pc, strlen(pc));
      len += strlen(pc);
    }
    for (k = 0; k < 2; k++) {
      lector_tok_state st;
      char *err = NULL;
      size_t got_now;
      assert_int_equal(tok_run_begin(&st, opts[k], buf, len, TOK_RUN_NOIDS,
                                     &err), 0);
      ng = 0;
      while ((got_now = tok_run_next(&st, got + ng, 7)) > 0) ng += got_now;
      tok_run_end(&st);
      assert_int_equal(tok_run_begin(&st, opts[k], buf, len, TOK_RUN_NOIDS,
                                     &err), 0);
      n1 = 0;
      while (tok_run_next(&st, one + n1, 1) == 1) n1++;
      tok_run_end(&st);
      nw = ref_tokens(opts[k], (const uint8_t *)buf, len, want, 1024);
      assert_int_equal(ng, nw);
      assert_int_equal(n1, nw);
      for (i = 0; i < nw; i++) {
        assert_int_equal(got[i].offset, want[i].offset);
        assert_int_equal(got[i].length, want[i].length);
        assert_int_equal(got[i].kind, want[i].kind);
        assert_int_equal(got[i].flags, want[i].flags);
        assert_memory_equal(&one[i], &got[i], sizeof got[i]);
      }
    }
  }
  tok_opts_free(opts[0]);
  tok_opts_free(opts[1]);
}

/* ------------------------------------------------------------------------
** Sentences
*/

static const char *sentences(const lector_tok_opts *o, const char *text) {
  static char out[4096];
  lector_tok_state st;
  lector_sent_span sp[64];
  char *err = NULL;
  size_t n, i, used = 0;
  assert_int_equal(tok_run_sent_begin(&st, o, text, strlen(text), &err), 0);
  n = tok_run_sentences(&st, sp, 64);
  tok_run_end(&st);
  out[0] = '\0';
  for (i = 0; i < n; i++)
    used += (size_t)snprintf(out + used, sizeof out - used, "%s<%.*s>",
                             i ? " " : "", (int)sp[i].length,
                             text + sp[i].offset);
  return out;
}

static void test_sentences(void **state) {
  lector_tok_config c;
  lector_tok_opts *std;
  char *err = NULL;
  (void)state;
  assert_string_equal(
      sentences(NULL, "Mr. Smith met Gen. Jones at 5 p.m. on Dec. 3 in the "
                      "U.S. capital. They talked."),
      "<Mr. Smith met Gen. Jones at 5 p.m. on Dec. 3 in the U.S. capital.> "
      "<They talked.>");
  assert_string_equal(
      sentences(NULL, "Growth was 0.6 per cent in the U.S. The euro fell."),
      "<Growth was 0.6 per cent in the U.S.> <The euro fell.>");
  assert_string_equal(
      sentences(NULL, "George W. Bush spoke. J. R. R. Tolkien wrote."),
      "<George W. Bush spoke.> <J. R. R. Tolkien wrote.>");
  assert_string_equal(
      sentences(NULL, "\"We will win.\" He left. (That was all.) Then rain."),
      "<\"We will win.\"> <He left.> <(That was all.)> <Then rain.>");
  assert_string_equal(
      sentences(NULL, "\xE2\x80\x9CWe will win.\xE2\x80\x9D He left."),
      "<\xE2\x80\x9CWe will win.\xE2\x80\x9D> <He left.>");
  assert_string_equal(sentences(NULL, "Wait... what? Yes! No..."),
                      "<Wait... what?> <Yes!> <No...>");
  assert_string_equal(
      sentences(NULL, "\"Why?\" he asked. \"Now!\" She left."),
      "<\"Why?\" he asked.> <\"Now!\"> <She left.>");
  assert_string_equal(
      sentences(NULL, "PM denies knowledge of kickbacks\nThe Prime Minister "
                      "has denied it.\n\nHeadline two\n\nBody two."),
      "<PM denies knowledge of kickbacks> <The Prime Minister has denied it.> "
      "<Headline two> <Body two.>");
  assert_string_equal(sentences(NULL, "We must carry on.Our leader never looked back."),
                      "<We must carry on.> <Our leader never looked back.>");
  assert_string_equal(sentences(NULL, "  \n \n "), "");
  /* standard mode: UAX #29 only */
  tok_config_init(&c, sizeof c);
  tok_config_standard(&c);
  std = tok_opts_new(&c, &err);
  assert_string_equal(sentences(std, "Mr. Smith left. We carry on.Our way."),
                      "<Mr.> <Smith left.> <We carry on.Our way.>");
  tok_opts_free(std);
}

/* ------------------------------------------------------------------------
** Options from Lua
*/

static const char *const ngram_keys[] = { "n", NULL };

/* The parser's option names, in its order, then ngram_keys. */
#define KNOWN_OPTS "lower, accents, apostrophes, punct, numbers, urls, emails, mentions, hashtags, emoji, split_hyphens, abbrev, glued, runs, ids, standard, normalize, invalid, stem, stopwords, min_len, n"

/* [-0, +0, e] compile the table at 1, free it, return the stop count. */
static int lua_compile(lua_State *L) {
  lector_tok_opts *o = tok_lopts_compile(L, 1, "tokenize.words", ngram_keys,
                                         NULL);
  lua_pushinteger(L, o->stop ? (lua_Integer)tok_stop_count(o->stop) : -1);
  lua_pushboolean(L, o->cfg.split_hyphens);
  tok_opts_free(o);
  return 2;
}

/* Run chunk; "ok", or the error message without the "[string ...]:1: "
** position that luaL_error prefixes. */
static const char *lua_try(lua_State *L, const char *chunk) {
  static char msg[512];
  const char *m, *pos;
  lua_settop(L, 0);
  if (luaL_dostring(L, chunk) != LUA_OK) {
    m = lua_tostring(L, -1);
    pos = strstr(m, "]:1: ");
    snprintf(msg, sizeof msg, "%s", pos ? pos + 5 : m);
    return msg;
  }
  return "ok";
}

static void test_opts_from_lua(void **state) {
  lua_State *L = luaL_newstate();
  (void)state;
  luaL_openlibs(L);
  lua_register(L, "compile", lua_compile);
  assert_string_equal(lua_try(L, "compile{lower=false, n=3, stem='english',"
                                 " normalize='nfkc', min_len=2}"), "ok");
  assert_string_equal(lua_try(L, "compile(nil)"), "ok");
  assert_string_equal(lua_try(L, "compile{foo=1}"),
                      "tokenize.words: unknown option 'foo' (known: " KNOWN_OPTS
                      ")");
  assert_string_equal(lua_try(L, "compile{lower='yes'}"),
                      "tokenize.words: option 'lower' must be a boolean (got string)");
  assert_string_equal(lua_try(L, "compile{min_len=-1}"),
                      "tokenize.words: option 'min_len' must be a non-negative integer");
  assert_string_equal(lua_try(L, "compile{normalize='nfd'}"),
                      "tokenize.words: option 'normalize' must be \"nfc\", \"nfkc\" or false (got \"nfd\")");
  assert_string_equal(lua_try(L, "compile(42)"),
                      "tokenize.words: options must be a table, got 42");
  assert_string_equal(lua_try(L, "compile{[1]=true}"),
                      "tokenize.words: unknown option 1 (known: " KNOWN_OPTS
                      ")");
  /* every name the check lets through is one the parser takes */
  assert_string_equal(lua_try(L,
      "for k in ('" KNOWN_OPTS "'):gmatch('[%w_]+') do"
      "  local v = ({standard = true, normalize = 'nfc', invalid = 'skip',"
      "    stem = false, stopwords = false, min_len = 0, n = 2})[k]"
      "  if v == nil then v = true end"
      "  compile{[k] = v}"
      "  local ok, e = pcall(compile, {[k] = print})"
      "  assert(not ok and e:find(\"option '\" .. k .. \"' must\", 1, true)"
      "         or k == 'n', k .. ': ' .. tostring(e))"
      " end"), "ok");
  assert_string_equal(lua_try(L, "compile{stopwords={'a', 3}}"),
                      "tokenize.words: option 'stopwords' must hold strings (item 2 is a number)");
  assert_non_null(strstr(lua_try(L, "compile{stem='klingon'}"),
                         "tokenize.words: unknown stemmer language 'klingon'"));
  assert_non_null(strstr(lua_try(L, "compile{stopwords='/nonexistent'}"),
                         "tokenize.words: cannot open stop-word file '/nonexistent'"));
  assert_string_equal(lua_try(L, "local n, h = compile{stopwords={'a','b','A'}}"
                                 " assert(n == 2 and h == false)"), "ok");
  assert_string_equal(lua_try(L, "local n, h = compile{stopwords=true}"
                                 " assert(n > 100)"), "ok");
  /* standard first, explicit keys on top, whatever the table order */
  assert_string_equal(lua_try(L, "local _, h = compile{standard=true}"
                                 " assert(h == true)"
                                 " _, h = compile{split_hyphens=false, standard=true}"
                                 " assert(h == false)"), "ok");
  lua_close(L);
}

/* ------------------------------------------------------------------------
** Threads sharing one options object
*/

typedef struct thread_job {
  const lector_tok_opts *o;
  uint64_t digest;
} thread_job;

static uint64_t digest_run(const lector_tok_opts *o) {
  uint64_t h = 1469598103934665603ull;
  int round;
  for (round = 0; round < 200; round++) {
    lector_tok_state st;
    lector_tok_span sp[32];
    char *err = NULL;
    size_t n, i;
    if (tok_run_begin(&st, o, sample, strlen(sample), 0, &err) != 0) return 0;
    while ((n = tok_run_next(&st, sp, 32)) > 0)
      for (i = 0; i < n; i++)
        h = (h ^ (sp[i].offset * 31u + sp[i].length * 7u + sp[i].id)) *
            1099511628211ull;
    tok_run_end(&st);
  }
  return h;
}

static void *thread_main(void *arg) {
  thread_job *j = arg;
  j->digest = digest_run(j->o);
  return NULL;
}

static void stem_and_stop(lector_tok_config *c) {
  c->stem = "english";
  c->stopwords = LECTOR_TOK_STOP_ENGLISH;
}

static void test_threads(void **state) {
  lector_tok_opts *o = opts_with(stem_and_stop);
  pthread_t th[4];
  thread_job jobs[4];
  uint64_t want;
  int i;
  (void)state;
  want = digest_run(o);
  for (i = 0; i < 4; i++) {
    jobs[i].o = o;
    assert_int_equal(pthread_create(&th[i], NULL, thread_main, &jobs[i]), 0);
  }
  for (i = 0; i < 4; i++) {
    pthread_join(th[i], NULL);
    assert_true(jobs[i].digest == want);
  }
  tok_opts_free(o);
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_news_english),
    cmocka_unit_test(test_numbers),
    cmocka_unit_test(test_hyphens),
    cmocka_unit_test(test_web),
    cmocka_unit_test(test_emoji),
    cmocka_unit_test(test_scripts),
    cmocka_unit_test(test_case_folding),
    cmocka_unit_test(test_normalization),
    cmocka_unit_test(test_stemming),
    cmocka_unit_test(test_empty_stem),
    cmocka_unit_test(test_stopwords),
    cmocka_unit_test(test_min_len),
    cmocka_unit_test(test_invalid_utf8),
    cmocka_unit_test(test_long_token),
    cmocka_unit_test(test_chunked_equals_whole),
    cmocka_unit_test(test_each),
    cmocka_unit_test(test_old_config_size),
    cmocka_unit_test(test_bounds_random),
    cmocka_unit_test(test_fast_paths_match_segmenter),
    cmocka_unit_test(test_sentences),
    cmocka_unit_test(test_opts_from_lua),
    cmocka_unit_test(test_threads),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
