/*
** fuzz_lexicon.c -- libFuzzer target for the sentiment lexicon reader
** (VADER's word<TAB>mean<TAB>sd<TAB>[ratings] and AFINN's word<TAB>integer
** formats): the first byte chooses the format (auto, vader, afinn), the
** rest is the file.  Checks: a load succeeds or fails with a message;
** every valence kept is finite and within the format's documented range
** (issue 12 item 17: never NaN, never 1e308); every word loaded is found
** again by lex_get and by the inline view; the words with a valence
** reached through the view's slots are lex_count of them.
** ASan/UBSan and LeakSanitizer catch the rest.
**
**   ./fuzz_lexicon -max_total_time=30 CORPUS tests/fuzz/lexicon
*/
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lector/kit.h"
#include "lexicon.h"
#include "sent_config.h"

LK_DEFINE

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(c) do { if (!(c)) abort(); } while (0)

/* Every entry with a valence, through the view's slots: found again by
** lex_get and lex_view_get, its valence in range.  Returns their count. */
static size_t check_all(const lex_table *t, double max) {
  lex_view view;
  size_t n = 0;
  lex_view_of(t, &view);
  for (size_t i = 0; view.mask && i <= view.mask; i++) {
    if (!view.slot[i]) continue;
    const lex_entry *e = &view.e[(uint32_t)view.slot[i] - 1];
    const char *key = view.pool + e->key_off;
    size_t len = e->key_len;
    uint32_t h = lex_hash(key, len);
    CHECK(len > 0 && (uint32_t)(view.slot[i] >> 32) == h);
    CHECK(lex_get(t, key, len, h) == e);
    CHECK(lex_view_get(&view, key, len, h, lex_head(key, len)) == e);
    if (!(e->flags & LEX_F_VALENCE)) continue;
    CHECK(isfinite(e->valence) && fabs(e->valence) <= max);
    n++;
  }
  return n;
}

static void warn(void *ud, const char *msg) {
  (void)ud;
  CHECK(msg && *msg);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static const int formats[] = { LEX_AUTO, LEX_VADER, LEX_AFINN };
  lex_table *t;
  char *err = NULL;
  size_t loaded = 0, n;
  int rc, format;
  if (size < 1) return 0;
  format = formats[data[0] % 3];
  t = lex_new(&err);
  CHECK(t != NULL);
  rc = lex_load_buffer(t, "fuzz", (const char *)data + 1, size - 1, format,
                       warn, NULL, &loaded, &err);
  if (rc != LECTOR_OK) {
    CHECK(err && *err);
    lk_free(err);
  } else {
    /* auto may read either format: the wider range bounds both */
    n = check_all(t, format == LEX_VADER ? SENT_VADER_MAX : SENT_AFINN_MAX);
    CHECK(n == lex_count(t));
    CHECK(n <= loaded);
  }
  lex_free(t);
  return 0;
}
