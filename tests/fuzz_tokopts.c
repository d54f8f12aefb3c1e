/*
** fuzz_tokopts.c -- libFuzzer target for the tokenizer under every
** combination of its options: the first four bytes of the input choose
** them (case folding, normal form, accents, apostrophes, stemmer, stop
** words, min_len, which kinds are kept, hyphens, abbreviations, glued
** sentences, runs, invalid bytes, ids, standard), the rest is the text.
** Checks what every caller relies on: spans in bounds, in order and
** non-empty; no empty norm ever (issue 12 item 14: a stemmer or accent
** stripping that leaves nothing); batches of 64, one at a time and step()
** agree; tokenize.normalize() is bounded.  ASan/UBSan catch the rest.
**
**   ./fuzz_tokopts -max_total_time=30 CORPUS tests/fuzz/tokopts
*/
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lector/kit.h"
#include "lector/tokenizer.h"
#include "tok_opts.h"
#include "tok_run.h"

LK_DEFINE              /* the engine's env: malloc unless set below */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(c) do { if (!(c)) abort(); } while (0)

/* A vocabulary stand-in: the id is a hash of the string (never 0); an
** empty string is a failed check. */
static uint32_t fake_intern(const char *s, size_t len) {
  uint32_t h = 2166136261u;
  size_t i;
  CHECK(len > 0);
  for (i = 0; i < len; i++) h = (h ^ (unsigned char)s[i]) * 16777619u;
  return h | 1u;
}

/* Snowball languages to pick from (porter empties "s"). */
static const char *const stems[] = {
  NULL, "english", "porter", "french", "german", "russian", "arabic",
  "finnish"
};

/* Options from the 32 bits of b. */
static lector_tok_opts *opts_from(const uint8_t *b) {
  static const char *const stop[] = { "the", "s", "é" };
  uint32_t x = (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 |
               (uint32_t)b[3] << 24;
  lector_tok_config c;
  lector_tok_opts *o;
  char *err = NULL;
  tok_config_init(&c, sizeof c);
  if (x & (1u << 31)) tok_config_standard(&c);
  c.lower = x & 1u;
  c.normalize = (int)((x >> 1) % 3u);
  c.accents = (x >> 3) & 1u;
  c.apostrophes = (x >> 4) & 1u;
  c.stem = stems[(x >> 5) & 7u];
  c.stopwords = (x >> 8) & 1u;
  if ((x >> 9) & 1u) {
    c.stopword_list = stop;
    c.nstopwords = 3;
  }
  c.min_len = (x >> 10) & 3u;
  c.punct = (x >> 12) & 1u;
  c.numbers = (x >> 13) & 1u;
  c.urls = (x >> 14) & 1u;
  c.emails = (x >> 15) & 1u;
  c.mentions = (x >> 16) & 1u;
  c.hashtags = (x >> 17) & 1u;
  c.emoji = (x >> 18) & 1u;
  c.split_hyphens = (x >> 19) & 1u;
  c.abbrev = (x >> 20) & 1u;
  c.glued = (x >> 21) & 1u;
  c.runs = (x >> 22) & 1u;
  c.invalid = (x >> 23) & 1u;
  c.ids = (x >> 24) & 1u;
  o = tok_opts_new(&c, &err);
  if (!o) {                        /* only an unknown stemmer may fail */
    CHECK(c.stem != NULL);
    lk_free(err);
  }
  return o;
}

#define MAXSP 4096
static lector_tok_span batch[MAXSP], single[MAXSP];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static int ready;
  lector_tok_opts *o;
  lector_tok_state st;
  const char *s, *norm;
  size_t n, nb = 0, ns = 0, got, i, end = 0, nlen;
  char *err = NULL, out[64];
  if (!ready) {
    lk_env env = { 0 };
    env.vocab_intern = fake_intern;
    lk_env_set(&env);
    ready = 1;
  }
  if (size < 4) return 0;
  if ((o = opts_from(data)) == NULL) return 0;
  s = (const char *)data + 4;
  n = size - 4;
  CHECK(tok_run_begin(&st, o, s, n, 0, &err) == LECTOR_OK);
  while (nb < MAXSP - 64 && (got = tok_run_next(&st, batch + nb, 64)) > 0)
    nb += got;
  tok_run_end(&st);
  for (i = 0; i < nb; i++) {
    CHECK(batch[i].length > 0 && batch[i].offset >= end);
    CHECK((size_t)batch[i].offset + batch[i].length <= n);
    end = batch[i].offset + batch[i].length;
  }
  CHECK(tok_run_begin(&st, o, s, n, 0, &err) == LECTOR_OK);
  while (ns < MAXSP && tok_run_next(&st, single + ns, 1) == 1) ns++;
  tok_run_end(&st);
  CHECK(ns == nb);
  CHECK(tok_run_begin(&st, o, s, n, TOK_RUN_NORM, &err) == LECTOR_OK);
  for (i = 0; i < nb; i++) {
    lector_tok_span sp;
    CHECK(tok_run_step(&st, &sp, &norm, &nlen) == 1);
    CHECK(nlen > 0);                              /* never an empty word */
    CHECK(sp.offset == batch[i].offset && sp.length == batch[i].length);
    CHECK(sp.offset == single[i].offset && sp.id == batch[i].id);
  }
  tok_run_end(&st);
  memset(out, 'x', sizeof out);
  tok_run_normalize(o, s, n < 200 ? n : 200, out, sizeof out);
  CHECK(memchr(out, '\0', sizeof out) != NULL);       /* terminated */
  tok_opts_free(o);
  return 0;
}
