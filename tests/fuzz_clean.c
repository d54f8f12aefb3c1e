/*
** fuzz_clean.c -- libFuzzer target for the clean plugin's text readers:
** the line splitter and its features (cl_bp_lines), the repeated-line
** table and the boilerplate rules (with the input's own lines as the
** repeated ones), and the glue rules on every run of letters and hyphens
** (cl_glue_segment, with a small fixed vocabulary).  Checks: lines lie
** inside the input in order, marks are CL_WHERE_* values, cuts are
** ascending inside their segment.
*/
#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lector/kit.h"
#include "cl_bp.h"
#include "cl_config.h"
#include "cl_glue.h"

LK_DEFINE

static const char *const words[] = {
  "with", "russia", "the", "in", "an", "having", "as", "if", "we", "would",
  "under", "lined", "rain", "coat", "tank", "missiles", "anti", "link",
  "sputnik", "capital", "hosted", "be", "set", "production", "product",
  NULL};
static uint32_t counts[64];

static uint32_t lookup(const char *s, size_t n) {
  for (uint32_t i = 0; words[i]; i++)
    if (strlen(words[i]) == n && memcmp(words[i], s, n) == 0) return i + 1;
  return 0;
}

static void check_lines(const char *text, size_t len) {
  cl_lines ls = {NULL, 0, 0};
  char *err = NULL;
  if (cl_bp_lines(text, len, &ls, &err) != LECTOR_OK) {
    lk_free(err);
    cl_lines_free(&ls);
    return;
  }
  size_t at = 0;
  for (size_t i = 0; i < ls.n; i++) {
    assert(ls.v[i].off >= at && (size_t)ls.v[i].off + ls.v[i].len <= len);
    at = ls.v[i].off + ls.v[i].len;
  }
  uint64_t *h = NULL;
  size_t nh = 0, cap = 0;
  if (cl_bp_hashes(&ls, CL_BP_MAX_WORDS, &h, &nh, &cap, &err) == LECTOR_OK) {
    size_t nrep = cl_bp_table(h, nh, 1, NULL);
    cl_bp_rules r = {h, nrep, h, nrep / 2, CL_BP_MAX_WORDS, 1};
    uint8_t *where = malloc(ls.n + 1);
    if (where) {
      size_t marked = cl_bp_classify(&r, &ls, where), m = 0;
      for (size_t i = 0; i < ls.n; i++) {
        assert(where[i] <= CL_WHERE_BODY);
        m += where[i] != 0;
      }
      assert(m == marked);
      free(where);
    }
  } else {
    lk_free(err);
  }
  lk_free(h);
  cl_lines_free(&ls);
}

static int letter(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static void check_glue(const char *text, size_t len) {
  cl_vocab v = {counts, 64, 100000, 3};
  for (size_t i = 0; i < len;) {
    size_t e = i;
    while (e < len && letter(text[e])) e++;
    if (e > i) {
      uint16_t cut[CL_GLUE_MAX_PARTS];
      size_t k = cl_glue_segment(&v, text + i, e - i, cut);
      assert(k < CL_GLUE_MAX_PARTS);
      for (size_t j = 0; j < k; j++) {
        assert(cut[j] > 0 && cut[j] < e - i);
        assert(j == 0 || cut[j] > cut[j - 1]);
      }
    }
    i = e + 1;
  }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static int ready;
  if (!ready) {
    lk_env e = {0};
    e.vocab_lookup = lookup;
    lk_env_set(&e);
    for (int i = 0; words[i]; i++) counts[i + 1] = (uint32_t)(7 * i + 3);
    ready = 1;
  }
  check_lines((const char *)data, size);
  check_glue((const char *)data, size);
  return 0;
}
