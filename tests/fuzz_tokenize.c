/*
** fuzz_tokenize.c -- libFuzzer target for the tokenize engine: the word
** tokenizer (news and standard options, both invalid-byte policies, with
** normalisation, stemming and stop words), the sentence splitter, and the
** raw segmenters.  Checks the invariants every caller relies on: spans are
** in bounds, non-empty, in order and non-overlapping; word segments and
** sentence segments cover the input exactly; chunked output equals one
** batch.  ASan/UBSan catch the rest.
**
** The fast paths of the tokenizer (64-byte bit masks, ASCII words) are
** checked against the plain segmenter token by token.
**
**   clang -fsanitize=fuzzer,address,undefined ... (see tests/CMakeLists.txt)
**   ./fuzz_tokenize -max_total_time=30 CORPUS_DIR
*/
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lector/kit.h"
#include "lector/tokenizer.h"
#include "tok_opts.h"
#include "tok_run.h"
#include "tok_sent.h"
#include "tok_word.h"
#include "tok_reference.h"

LK_DEFINE              /* the engine's env: malloc unless set below */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(c) do { if (!(c)) abort(); } while (0)

/* A vocabulary stand-in: the id is a hash of the string (never 0). */
static uint32_t fake_intern(const char *s, size_t len) {
  uint32_t h = 2166136261u;
  size_t i;
  for (i = 0; i < len; i++) h = (h ^ (unsigned char)s[i]) * 16777619u;
  return h | 1u;
}

static lector_tok_opts *opts[4];

static void init_opts(void) {
  static const char *const stop[] = { "the", "a" };
  lector_tok_config c;
  char *err = NULL;
  lk_env env = { 0 };
  env.vocab_intern = fake_intern;
  lk_env_set(&env);
  tok_config_init(&c, sizeof c);
  opts[0] = tok_opts_new(&c, &err);                      /* defaults */
  c.invalid = LECTOR_TOK_INVALID_REPLACE;
  c.stem = "english";
  c.stopwords = LECTOR_TOK_STOP_ENGLISH;
  c.stopword_list = stop;
  c.nstopwords = 2;
  c.accents = 0;
  c.normalize = LECTOR_TOK_NORM_NFKC;
  c.min_len = 2;
  opts[1] = tok_opts_new(&c, &err);                      /* everything on */
  tok_config_init(&c, sizeof c);
  tok_config_standard(&c);
  c.lower = 0;
  opts[2] = tok_opts_new(&c, &err);                      /* UAX #29 */
  tok_config_init(&c, sizeof c);
  c.ids = 0;
  opts[3] = tok_opts_new(&c, &err);                      /* offsets only */
  for (int i = 0; i < 4; i++) CHECK(opts[i] != NULL);
}

#define MAXSP 8192

static lector_tok_span ref[MAXSP], batch[MAXSP], single[MAXSP];

static int same_span(const lector_tok_span *a, const lector_tok_span *b) {
  return a->offset == b->offset && a->length == b->length &&
         a->kind == b->kind &&
         (a->flags & ~LECTOR_TOKF_LONG) == (b->flags & ~LECTOR_TOKF_LONG);
}

/* Tokens of s with o: in bounds, in order; batches of 64, one at a time
** and the step() interface agree; and, when o drops nothing after
** normalisation (drops: no stop words, no min_len), they equal the plain
** segmenter's. */
static void check_tokens(const lector_tok_opts *o, const char *s, size_t n,
                         int drops) {
  lector_tok_state st;
  const char *norm;
  size_t end = 0, got, i, nb = 0, ns = 0, nr, nlen;
  char *err = NULL;
  CHECK(tok_run_begin(&st, o, s, n, 0, &err) == LECTOR_OK);
  while (nb < MAXSP - 64 && (got = tok_run_next(&st, batch + nb, 64)) > 0)
    nb += got;
  tok_run_end(&st);
  for (i = 0; i < nb; i++) {
    CHECK(batch[i].length > 0);
    CHECK(batch[i].offset >= end);
    CHECK((size_t)batch[i].offset + batch[i].length <= n);
    CHECK(batch[i].kind >= LECTOR_TOK_WORD &&
          batch[i].kind <= LECTOR_TOK_KIND_MAX_);
    end = batch[i].offset + batch[i].length;
  }
  CHECK(tok_run_begin(&st, o, s, n, 0, &err) == LECTOR_OK);
  while (ns < MAXSP && tok_run_next(&st, single + ns, 1) == 1) ns++;
  tok_run_end(&st);
  CHECK(ns == nb);
  for (i = 0; i < nb; i++) CHECK(same_span(&batch[i], &single[i]));
  CHECK(tok_run_begin(&st, o, s, n, TOK_RUN_NORM, &err) == LECTOR_OK);
  for (i = 0; i < nb; i++) {
    lector_tok_span sp;
    CHECK(tok_run_step(&st, &sp, &norm, &nlen) == 1);
    CHECK(nlen > 0);                              /* never an empty word */
    CHECK(same_span(&sp, &batch[i]) && sp.id == batch[i].id);
  }
  tok_run_end(&st);
  if (drops) return;
  nr = ref_tokens(o, (const uint8_t *)s, n, ref, MAXSP);
  CHECK(nr == nb);
  for (i = 0; i < nb; i++) CHECK(same_span(&batch[i], &ref[i]));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  const char *s = (const char *)data;
  lector_tok_state st;
  lector_sent_span sp[16];
  tok_sent_cfg scfg[2] = { { 0, 0, 0, 0 }, { 1, 1, 1, 1 } };
  size_t p, got, i, end;
  char *err = NULL, norm[64];
  int k;
  if (!opts[0]) init_opts();
  for (k = 0; k < 4; k++) check_tokens(opts[k], s, size, k == 1);
  /* raw word segments cover the input, with every extension on or off */
  for (k = 0; k < 2; k++) {
    tok_seg seg;
    for (p = 0; p < size;) {
      size_t e = tok_seg_next(data, size, p, k ? TOK_SEG_ALL : 0, &seg);
      CHECK(e > p && e <= size);
      p = e;
    }
    for (p = 0; p < size;) {
      size_t e = tok_sent_next(data, size, p, &scfg[k]);
      size_t a = p, b = e;
      CHECK(e > p && e <= size);
      tok_sent_trim(data, &a, &b);
      CHECK(p <= a && a <= b && b <= e);
      p = e;
    }
  }
  CHECK(tok_run_sent_begin(&st, opts[0], s, size, &err) == LECTOR_OK);
  end = 0;
  while ((got = tok_run_sentences(&st, sp, 16)) > 0)
    for (i = 0; i < got; i++) {
      CHECK(sp[i].length > 0 && sp[i].offset >= end);
      CHECK((size_t)sp[i].offset + sp[i].length <= size);
      end = sp[i].offset + sp[i].length;
    }
  tok_run_end(&st);
  /* normalize() on valid or invalid input, truncating */
  tok_run_normalize(opts[1], s, size < 200 ? size : 200, norm, sizeof norm);
  return 0;
}
