/* test_sentiment.c -- the sentiment engine: lexicon files, VADER's word
** list on top of the tokenize service, the rules (against values NLTK 3.8
** computes with the same lexicon), sentences, and one document's scores
** for sentiment.corpus.  The engine runs on lector/kit.h's malloc env.
**
** The tokenize service comes from build/plugins/tokenize.so, loaded
** through the plugin ABI by sent_testhost.  The lexicons are the small
** ones in tests/fixtures/sentiment/. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lector/kit.h"
#include "lexicon.h"
#include "sent_corpus.h"
#include "sent_testhost.h"
#include "vader.h"
#include "vader_words.h"

LK_DEFINE

static const lector_tokenizer_api *tok;
static lector_tok_opts *opts;

static const char *fixture(const char *name) {
  static char buf[4096];
  const char *root = getenv("LECTOR_FIXTURES");
  snprintf(buf, sizeof buf, "%s/sentiment/%s",
           root && *root ? root : "tests/fixtures", name);
  return buf;
}

/* Warnings collected from the loader, one per line. */
static char warned[8192];

static void collect(void *ud, const char *msg) {
  (void)ud;
  strncat(warned, msg, sizeof warned - strlen(warned) - 2);
  strcat(warned, "\n");
}

static lex_table *load(const char *name, int format) {
  char *err = NULL;
  lex_table *t = lex_new(&err);
  assert_non_null(t);
  assert_int_equal(vader_mark(t, &err), LECTOR_OK);
  warned[0] = '\0';
  if (lex_load_file(t, fixture(name), format, collect, NULL, NULL, &err)) {
    print_error("%s\n", err);
    fail();
  }
  return t;
}

static double valence_of(const lex_table *t, const char *w) {
  const lex_entry *e = lex_get(t, w, strlen(w), lex_hash(w, strlen(w)));
  return e && (e->flags & LEX_F_VALENCE) ? e->valence : NAN;
}

/* ------------------------------------------------------------------------
** Lexicons
*/

static void test_lexicon_vader(void **state) {
  (void)state;
  lex_table *t = load("mini_vader.txt", LEX_AUTO);
  assert_int_equal(lex_count(t), 32);
  assert_true(valence_of(t, "good") == 1.9);
  assert_true(valence_of(t, ":)") == 2.0);
  assert_true(valence_of(t, "fed up") == -1.8);
  assert_true(isnan(valence_of(t, "Good")));     /* keys are as written */
  assert_true(isnan(valence_of(t, "not")));      /* a rule word, no valence */
  assert_string_equal(warned, "");
  lex_free(t);
}

static void test_lexicon_afinn(void **state) {
  (void)state;
  lex_table *t = load("mini_afinn.txt", LEX_AUTO);
  assert_int_equal(lex_count(t), 6);
  assert_true(valence_of(t, "great") == 4.0);
  assert_non_null(strstr(warned, "2 multi-word entries can never match"));
  lex_free(t);
  t = load("mini_afinn.txt", LEX_AFINN);
  assert_int_equal(lex_count(t), 6);
  lex_free(t);
  /* read as VADER, AFINN lines are fine too (a mean, no sd) */
  t = load("mini_afinn.txt", LEX_VADER);
  assert_int_equal(lex_count(t), 6);
  lex_free(t);
}

static void test_lexicon_malformed_lines(void **state) {
  (void)state;
  lex_table *t = load("bad_lines.txt", LEX_AUTO);
  assert_int_equal(lex_count(t), 2);                 /* good, fine */
  assert_true(valence_of(t, "fine") == 0.8);
  assert_non_null(strstr(warned, "bad_lines.txt:2: malformed line"));
  assert_non_null(strstr(warned, "bad_lines.txt:3: malformed line"));
  assert_non_null(strstr(warned, "bad_lines.txt:6: malformed line"));
  assert_non_null(strstr(warned, "bad_lines.txt:7: malformed line"));
  assert_null(strstr(warned, "bad_lines.txt:5:"));
  lex_free(t);
}

static void test_lexicon_afinn_needs_integers(void **state) {
  (void)state;
  static const char text[] = "good\t3\nbad\t-2.5\nsad\t-2\tx\n";
  char *err = NULL;
  size_t n = 0;
  lex_table *t = lex_new(&err);
  warned[0] = '\0';
  assert_int_equal(lex_load_buffer(t, "mem", text, sizeof text - 1, LEX_AFINN,
                                   collect, NULL, &n, &err), LECTOR_OK);
  assert_int_equal(n, 1);
  assert_non_null(strstr(warned, "mem:2: malformed line, expected "
                                 "word<TAB>integer"));
  assert_non_null(strstr(warned, "mem:3:"));
  lex_free(t);
}

static void test_lexicon_errors(void **state) {
  (void)state;
  static const char junk[] = "one\ntwo\nthree\n";
  char *err = NULL;
  lex_table *t = lex_new(&err);
  assert_int_equal(lex_load_file(t, fixture("no-such-file.txt"), LEX_AUTO,
                                 NULL, NULL, NULL, &err), LECTOR_ERR);
  assert_non_null(strstr(err, "cannot read lexicon"));
  assert_non_null(strstr(err, "no-such-file.txt"));
  lk_free(err);
  err = NULL;
  assert_int_equal(lex_load_file(t, fixture(""), LEX_AUTO, NULL, NULL, NULL,
                                 &err), LECTOR_ERR);         /* a folder */
  lk_free(err);
  err = NULL;
  assert_int_equal(lex_load_buffer(t, "junk", junk, sizeof junk - 1,
                                   LEX_AUTO, NULL, NULL, NULL, &err),
                   LECTOR_ERR);
  assert_non_null(strstr(err, "'junk' is not a lexicon"));
  lk_free(err);
  err = NULL;
  warned[0] = '\0';
  assert_int_equal(lex_load_buffer(t, "empty", "\n\n", 2, LEX_AUTO, collect,
                                   NULL, NULL, &err), LECTOR_OK);
  assert_non_null(strstr(warned, "empty: no entries"));
  assert_int_equal(lex_count(t), 0);
  lex_free(t);
}

static void test_lexicon_override_and_unset(void **state) {
  (void)state;
  static const char a[] = "\xEF\xBB\xBFgood\t1.0\r\nbad\t-1.0\r\n";
  static const char b[] = "good\t2.0\n";
  char *err = NULL;
  lex_table *t = lex_new(&err);
  assert_int_equal(lex_mark(t, "good", 4, VADER_F_NEGATE, &err), LECTOR_OK);
  assert_int_equal(lex_load_buffer(t, "a", a, sizeof a - 1, LEX_AUTO, NULL,
                                   NULL, NULL, &err), LECTOR_OK);
  assert_int_equal(lex_load_buffer(t, "b", b, sizeof b - 1, LEX_AUTO, NULL,
                                   NULL, NULL, &err), LECTOR_OK);
  assert_true(valence_of(t, "good") == 2.0);        /* later wins; BOM, CR */
  assert_int_equal(lex_count(t), 2);
  assert_int_equal(lex_unset(t, "good", 4), 1);
  assert_int_equal(lex_unset(t, "good", 4), 0);
  assert_true(isnan(valence_of(t, "good")));
  assert_int_equal(lex_count(t), 1);
  assert_true(lex_get(t, "good", 4, lex_hash("good", 4))->flags &
              VADER_F_NEGATE);                       /* flags survive */
  lex_free(t);
}

static void test_lexicon_many_entries(void **state) {
  (void)state;
  char *err = NULL, key[32];
  lex_table *t = lex_new(&err);
  int i;
  for (i = 0; i < 20000; i++) {
    snprintf(key, sizeof key, "w%d", i);
    assert_int_equal(lex_set(t, key, strlen(key), i, &err), LECTOR_OK);
  }
  assert_int_equal(lex_count(t), 20000);
  for (i = 0; i < 20000; i += 777) {
    snprintf(key, sizeof key, "w%d", i);
    assert_true(valence_of(t, key) == i);
  }
  assert_true(isnan(valence_of(t, "w20000")));
  lex_free(t);
}

/* ------------------------------------------------------------------------
** VADER's word list
*/

/* The words of text joined with '|', and which are upper case. */
static const char *words(const lex_table *t, const char *text, char *upper) {
  static char out[4096];
  static vw_list l;
  char *err = NULL;
  size_t i;
  vw_init(&l);
  assert_int_equal(vw_build(&l, tok, opts, t, 0, text, strlen(text), &err),
                   LECTOR_OK);
  out[0] = '\0';
  for (i = 0; i < l.n; i++) {
    if (i) strcat(out, "|");
    strncat(out, text + l.w[i].off, l.w[i].len);
    if (upper) upper[i] = l.w[i].upper ? 'U' : '-';
  }
  if (upper) upper[l.n] = '\0';
  vw_free(&l);
  return out;
}

static void test_words_punctuation(void **state) {
  lex_table *t = *state;
  assert_string_equal(words(t, "He said it was \"great.\" Yes", NULL),
                      "He|said|it|was|\"great.\"|Yes");
  assert_string_equal(words(t, "great. 'great great, great!!! ?great", NULL),
                      "great|great|great|great|great");
  assert_string_equal(words(t, "great... (great) great). great!!!! x-ray,",
                      NULL), "great...|(great)|great).|great!!!!|x-ray,");
  assert_string_equal(words(t, "U.S., e.g. :) :-( <3 -- !! a I &", NULL),
                      "U.S.,|e.g.|:)|:-(|<3|--|!!");
  assert_string_equal(words(t, "don't can't,  won't!", NULL),
                      "don't|can't,|won't!");      /* rest has punct */
  assert_string_equal(words(t, "'a' ,ok ok, !ab", NULL), "'a'|ok|ok|ab");
}

static void test_words_white_space(void **state) {
  lex_table *t = *state;
  /* no-break space, em space, ideographic space, tabs: white space */
  assert_string_equal(words(t, "good\xC2\xA0great\xE2\x80\x83" "fine\t\tok"
                               "\xE3\x80\x80" "yes", NULL),
                      "good|great|fine|ok|yes");
  /* zero-width space and a control character: not white space */
  assert_string_equal(words(t, "good\xE2\x80\x8Bgreat ok\x01" "fine", NULL),
                      "good\xE2\x80\x8Bgreat|ok\x01" "fine");
  /* white space for Python inside one tokenizer span (a number with a
  ** narrow no-break space) */
  assert_string_equal(words(t, "76\xE2\x80\xAF" "000 people", NULL),
                      "76|000|people");
  assert_string_equal(words(t, "   ", NULL), "");
  assert_string_equal(words(t, "", NULL), "");
  assert_string_equal(words(t, "\xC3\xA9 \xC3\xA9t\xC3\xA9", NULL),
                      "\xC3\xA9t\xC3\xA9");        /* "é" is one character */
}

static void test_words_case(void **state) {
  lex_table *t = *state;
  char up[64];
  words(t, "GOOD Good good GOOD! 123 :) DON'T \xC3\x89T\xC3\x89 "
           "\xC3\x89t\xC3\xA9", up);
  assert_string_equal(up, "U--U--UU-");
}

static void test_words_lower(void **state) {
  char out[64];
  (void)state;
  assert_int_equal(vw_lower(tok, opts, "GoOD", 4, out, sizeof out), 4);
  assert_string_equal(out, "good");
  vw_lower(tok, opts, "\xC3\x89" "COLE", 6, out, sizeof out);
  assert_string_equal(out, "\xC3\xA9" "cole");
  /* kept as str.lower() keeps them: the ligature, long s; capital sharp s
  ** lowers to sharp s */
  vw_lower(tok, opts, "\xEF\xAC\x81ne", 5, out, sizeof out);
  assert_string_equal(out, "\xEF\xAC\x81ne");
  vw_lower(tok, opts, "STRA\xE1\xBA\x9E" "E", 8, out, sizeof out);
  assert_string_equal(out, "stra\xC3\x9F" "e");
  assert_true(vw_lower(tok, opts, "toolong", 7, out, 4) >= 4);
}

/* ------------------------------------------------------------------------
** Scores, against NLTK 3.8's SentimentIntensityAnalyzer on mini_vader.txt
** (unrounded values, printed with %.17g)
*/

typedef struct expect {
  const char *text;
  double compound, pos, neu, neg;
} expect;

static const expect nltk_mini[] = {
  {"", 0, 0, 0, 0},
  {"good", 0.44043357076016854, 1, 0, 0},
  {"The food was good.", 0.44043357076016854, 0.49152542372881353,
   0.50847457627118642, 0},
  {"The food was not good.", -0.3412376512543242, 0, 0.62441461130190445,
   0.37558538869809549},
  {"The food was GOOD, the service was slow.", 0.56221822392847265,
   0.34167215273206059, 0.65832784726793947, 0},
  {"The food was very good!!!", 0.62106216989346219, 0.50427562275374893,
   0.49572437724625112, 0},
  {"The food was kind of good.", 0.38324473176419577, 0.34271066123307481,
   0.65728933876692519, 0},
  {"I never was so happy.", 0.69476920147471899, 0.61246568706604232,
   0.38753431293395763, 0},
  {"At least it was not a disaster.", 0.50962131659341148,
   0.39715456956836265, 0.6028454304316373, 0},
  {"It was the least happy day.", -0.4584691179797461, 0,
   0.62515628907226806, 0.37484371092773194},
  {"The plan was good, but the result was terrible.", -0.49391458057363097,
   0.14885496183206104, 0.53435114503816783, 0.31679389312977096},
  {"Is it good???", 0.53304086106054849, 0.63235294117647067,
   0.36764705882352944, 0},
  {"That was the bomb.", 0.61237243569579458, 0.5714285714285714,
   0.42857142857142855, 0},
  {"yeah right, a great win", 0.89097854674125643, 1, 0, 0},
  {"good good good bad", 0.63694994292642626, 0.71311475409836067, 0,
   0.28688524590163939},
  {"XD that was fun :) lol", 0.78452737965827457, 0.6330275229357798,
   0.36697247706422015, 0},
  {"He didn't hate it, he wasn't sad.", 0.67590714057221057,
   0.52615617892342692, 0.47384382107657319, 0},
  {"It was 'great' and (bad) and fine...", 0, 0, 1, 0},
};

static void test_scores_match_nltk(void **state) {
  vader_model m = {tok, opts, *state, VADER_RULES_NLTK};
  vader_ws ws;
  vader_scores s;
  char *err = NULL;
  size_t i;
  vader_ws_init(&ws);
  for (i = 0; i < sizeof nltk_mini / sizeof nltk_mini[0]; i++) {
    const expect *e = &nltk_mini[i];
    assert_int_equal(vader_score(&ws, &m, e->text, strlen(e->text), &s, &err),
                     LECTOR_OK);
    if (s.compound != e->compound || fabs(s.pos - e->pos) > 1e-12 ||
        fabs(s.neu - e->neu) > 1e-12 || fabs(s.neg - e->neg) > 1e-12) {
      print_error("'%s': got %.17g %.17g %.17g %.17g\n", e->text, s.compound,
                  s.pos, s.neu, s.neg);
      fail();
    }
  }
  vader_ws_free(&ws);
}

/* More distinct rated words than the pairwise search of repeats handles
** (the hashed search takes over), repeats and negations: NLTK's value
** for the same lexicon (w<i> = (i mod 7) - 3) and text. */
static void test_scores_many_rated_words(void **state) {
  vader_model m = {tok, opts, NULL, VADER_RULES_NLTK};
  lex_table *big;
  vader_ws ws;
  vader_scores s;
  char text[4096] = "", key[16], *err = NULL;
  int i;
  (void)state;
  big = lex_new(&err);
  vader_mark(big, &err);
  for (i = 0; i < 60; i++) {
    snprintf(key, sizeof key, "w%d", i);
    lex_set(big, key, strlen(key), (i % 7) - 3, &err);
  }
  for (i = 0; i < 200; i++) {
    snprintf(key, sizeof key, "%sw%d", i % 3 ? " " : " not ", (i * 7) % 60);
    strcat(text, key);
  }
  m.lex = big;
  vader_ws_init(&ws);
  assert_int_equal(vader_score(&ws, &m, text, strlen(text), &s, &err), 0);
  assert_true(s.compound == 0.99111514277295798);
  assert_true(fabs(s.pos - 0.44386513729579413) < 1e-12);
  assert_true(fabs(s.neu - 0.19889545436990697) < 1e-12);
  assert_true(fabs(s.neg - 0.35723940833429885) < 1e-12);
  vader_ws_free(&ws);
  lex_free(big);
}

typedef struct sent_list {
  size_t n, off[8], len[8];
  double compound[8];
} sent_list;

static int add_sentence(void *ud, size_t off, size_t len,
                        const vader_scores *s) {
  sent_list *l = ud;
  if (l->n == 8) return 99;
  l->off[l->n] = off;
  l->len[l->n] = len;
  l->compound[l->n] = s->compound;
  l->n++;
  return 0;
}

static void test_sentences(void **state) {
  static const char text[] = "The food was good.  The food was not good.\n"
                             "Is it good???";
  vader_model m = {tok, opts, *state, VADER_RULES_NLTK};
  vader_ws ws;
  sent_list l = {0};
  char *err = NULL;
  vader_ws_init(&ws);
  assert_int_equal(vader_sentences(&ws, &m, text, sizeof text - 1,
                                   add_sentence, &l, &err), LECTOR_OK);
  assert_int_equal(l.n, 3);
  assert_int_equal(l.off[1], 20);
  assert_int_equal(l.len[1], 22);
  assert_true(l.compound[0] == nltk_mini[2].compound);
  assert_true(l.compound[1] == nltk_mini[3].compound);
  assert_true(l.compound[2] == nltk_mini[11].compound);
  vader_ws_free(&ws);
}

static void test_afinn_scores(void **state) {
  vader_model m = {tok, opts, NULL, VADER_RULES_NLTK};
  vader_ws ws;
  vader_scores s;
  char *err = NULL;
  (void)state;
  m.lex = load("mini_afinn.txt", LEX_AUTO);
  vader_ws_init(&ws);
  assert_int_equal(vader_score(&ws, &m, "good", 4, &s, &err), LECTOR_OK);
  assert_true(fabs(s.compound - 3 / sqrt(9 + 15.0)) < 1e-15);
  assert_int_equal(vader_score(&ws, &m, "does not work", 13, &s, &err), 0);
  assert_true(s.compound == 0);        /* multi-word entries never match */
  vader_ws_free(&ws);
  lex_free((lex_table *)m.lex);
}

/* ------------------------------------------------------------------------
** One document's scores (sentiment.corpus runs them on the host's pool)
*/

static const char *const docs[] = {
  "The food was good. The food was not good.",
  "Is it good???",
  "",
  "It was the least happy day. That was the bomb. The food was GOOD, the "
  "service was slow.",
  "good good good bad",
};
#define NDOCS (sizeof docs / sizeof docs[0])

static int stop_now(void) { return 1; }

static void test_corpus_doc(void **state) {
  vader_model m = {tok, opts, *state, VADER_RULES_NLTK};
  sc_doc d[NDOCS], again;
  vader_ws ws;
  char *err = NULL;
  size_t i;
  vader_ws_init(&ws);
  for (i = 0; i < NDOCS; i++)
    assert_int_equal(sc_score_doc(&ws, &m, docs[i], strlen(docs[i]), 0.05,
                                  &d[i], &err), LECTOR_OK);
  assert_int_equal(d[0].sentences, 2);
  assert_int_equal(d[0].pos, 1);
  assert_int_equal(d[0].neg, 1);
  assert_true(d[0].sum == nltk_mini[2].compound + nltk_mini[3].compound);
  assert_int_equal(d[2].sentences, 0);
  assert_int_equal(d[3].sentences, 3);
  for (i = 0; i < NDOCS; i++) assert_null(d[i].err);
  /* the same workspace again, and a higher threshold: fewer pos/neg */
  assert_int_equal(sc_score_doc(&ws, &m, docs[0], strlen(docs[0]), 1.0,
                                &again, &err), LECTOR_OK);
  assert_int_equal(again.sentences, 2);
  assert_true(again.sum == d[0].sum);
  assert_int_equal(again.pos + again.neg, 0);
  sc_docs_clear(d, NDOCS);
  vader_ws_free(&ws);
}

/* An interrupt stops the document with LECTOR_EINTERRUPT and a message. */
static void test_corpus_doc_interrupted(void **state) {
  vader_model m = {tok, opts, *state, VADER_RULES_NLTK};
  size_t len = 300000, i;
  char *text = malloc(len + 1);
  vader_ws ws;
  sc_doc d;
  char *err = NULL;
  int (*was)(void) = lk_env_cur.interrupted;
  assert_non_null(text);
  for (i = 0; i < len; i++) text[i] = "Good. "[i % 6];
  text[len] = '\0';
  vader_ws_init(&ws);
  lk_env_cur.interrupted = stop_now;
  assert_int_equal(sc_score_doc(&ws, &m, text, len, 0.05, &d, &err),
                   LECTOR_EINTERRUPT);
  lk_env_cur.interrupted = was;
  assert_string_equal(err, "interrupted");
  assert_null(d.err);
  lk_free(err);
  vader_ws_free(&ws);
  free(text);
}

/* ------------------------------------------------------------------------
** Setup
*/

static int setup_mini(void **state) {
  *state = load("mini_vader.txt", LEX_VADER);
  return 0;
}

static int teardown_mini(void **state) {
  lex_free(*state);
  return 0;
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_lexicon_vader),
    cmocka_unit_test(test_lexicon_afinn),
    cmocka_unit_test(test_lexicon_malformed_lines),
    cmocka_unit_test(test_lexicon_afinn_needs_integers),
    cmocka_unit_test(test_lexicon_errors),
    cmocka_unit_test(test_lexicon_override_and_unset),
    cmocka_unit_test(test_lexicon_many_entries),
    cmocka_unit_test_setup_teardown(test_words_punctuation, setup_mini,
                                    teardown_mini),
    cmocka_unit_test_setup_teardown(test_words_white_space, setup_mini,
                                    teardown_mini),
    cmocka_unit_test_setup_teardown(test_words_case, setup_mini,
                                    teardown_mini),
    cmocka_unit_test(test_words_lower),
    cmocka_unit_test_setup_teardown(test_scores_match_nltk, setup_mini,
                                    teardown_mini),
    cmocka_unit_test(test_scores_many_rated_words),
    cmocka_unit_test_setup_teardown(test_sentences, setup_mini,
                                    teardown_mini),
    cmocka_unit_test(test_afinn_scores),
    cmocka_unit_test_setup_teardown(test_corpus_doc, setup_mini,
                                    teardown_mini),
    cmocka_unit_test_setup_teardown(test_corpus_doc_interrupted, setup_mini,
                                    teardown_mini),
  };
  char why[512], *err = NULL;
  int rc;
  tok = sth_tokenizer(NULL, why, sizeof why);
  if (!tok) {
    fprintf(stderr, "test_sentiment: cannot load the tokenize plugin: %s\n",
            why);
    return 1;
  }
  opts = vw_opts_new(tok, &err);
  if (!opts) return 1;
  rc = cmocka_run_group_tests(tests, NULL, NULL);
  tok->opts_free(opts);
  return rc;
}
