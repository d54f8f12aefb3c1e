/*
** fuzz_sentences.c -- libFuzzer target for the sentence splitter: the
** first byte chooses its rules (abbreviations, initials, glued sentences,
** quotes) and the options it is run with through the tokenizer; the rest
** is the text.  Checks: the raw sentences cover the text exactly and
** move forward; trimming stays inside a sentence; the tokenizer's
** sentences are non-empty, in order, in bounds, hold no leading or
** trailing white space the trim would remove, and batches of 16 equal
** one at a time.  ASan/UBSan catch the rest.
**
**   ./fuzz_sentences -max_total_time=30 CORPUS tests/fuzz/sentences
*/
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lector/kit.h"
#include "lector/tokenizer.h"
#include "tok_opts.h"
#include "tok_run.h"
#include "tok_sent.h"

LK_DEFINE              /* the engine's env: malloc unless set below */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(c) do { if (!(c)) abort(); } while (0)

static uint32_t fake_intern(const char *s, size_t len) {
  (void)s;
  return (uint32_t)len | 1u;
}

#define MAXS 4096
static lector_sent_span many[MAXS], one[MAXS];

/* The tokenizer's sentences of s[0..n) under o into out; the count. */
static size_t sentences(const lector_tok_opts *o, const char *s, size_t n,
                        lector_sent_span *out, size_t batch) {
  lector_tok_state st;
  char *err = NULL;
  size_t k = 0, got;
  CHECK(tok_run_sent_begin(&st, o, s, n, &err) == LECTOR_OK);
  while (k + batch <= MAXS && (got = tok_run_sentences(&st, out + k, batch)) > 0)
    k += got;
  tok_run_end(&st);
  return k;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static lector_tok_opts *opts[2];
  const uint8_t *s;
  size_t n, p, k, i, end;
  tok_sent_cfg cfg;
  lector_tok_opts *o;
  if (!opts[0]) {
    lk_env env = { 0 };
    lector_tok_config c;
    char *err = NULL;
    env.vocab_intern = fake_intern;
    lk_env_set(&env);
    tok_config_init(&c, sizeof c);
    opts[0] = tok_opts_new(&c, &err);                     /* news rules */
    tok_config_standard(&c);
    opts[1] = tok_opts_new(&c, &err);                     /* UAX #29 */
    CHECK(opts[0] && opts[1]);
  }
  if (size < 1) return 0;
  cfg.abbrev = data[0] & 1;
  cfg.initials = (data[0] >> 1) & 1;
  cfg.glued = (data[0] >> 2) & 1;
  cfg.quotes = (data[0] >> 3) & 1;
  o = opts[(data[0] >> 4) & 1];
  s = data + 1;
  n = size - 1;
  for (p = 0; p < n;) {                       /* raw: an exact cover */
    size_t e = tok_sent_next(s, n, p, &cfg), a = p, b;
    CHECK(e > p && e <= n);
    b = e;
    tok_sent_trim(s, &a, &b);
    CHECK(p <= a && a <= b && b <= e);
    p = e;
  }
  k = sentences(o, (const char *)s, n, many, 16);
  CHECK(sentences(o, (const char *)s, n, one, 1) == k);
  for (i = 0, end = 0; i < k; i++) {
    size_t a = many[i].offset, b = a + many[i].length;
    CHECK(many[i].length > 0 && a >= end && b <= n);
    CHECK(one[i].offset == many[i].offset && one[i].length == many[i].length);
    tok_sent_trim(s, &a, &b);                 /* already trimmed */
    CHECK(a == many[i].offset && b == a + many[i].length);
    end = b;
  }
  return 0;
}
