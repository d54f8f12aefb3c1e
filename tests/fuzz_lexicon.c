/*
** fuzz_lexicon.c -- libFuzzer target for the sentiment lexicon reader
** (VADER's word<TAB>mean<TAB>sd<TAB>[ratings] and AFINN's word<TAB>integer
** formats): the first byte chooses the format (auto, vader, afinn), the
** rest is the file.  Checks: a load succeeds or fails with a message;
** every valence kept is finite and within the format's documented range
** (issue 12 item 17: never NaN, never 1e308); every word loaded is found
** again by lex_get and by the inline view; the count agrees with lex_each.
** ASan/UBSan and LeakSanitizer catch the rest.
**
**   ./fuzz_lexicon -max_total_time=30 CORPUS tests/fuzz/lexicon
*/
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lector/plugin.h"
#include "lexicon.h"
#include "sent_config.h"
#include "sent_env.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(c) do { if (!(c)) abort(); } while (0)

typedef struct seen {
  const lex_table *t;
  double max;
  size_t n;
} seen;

static int each(void *ud, const char *key, size_t len, double v) {
  seen *s = ud;
  lex_view view;
  const lex_entry *e;
  uint32_t h = lex_hash(key, len);
  CHECK(len > 0);
  CHECK(isfinite(v) && fabs(v) <= s->max);
  e = lex_get(s->t, key, len, h);
  CHECK(e && (e->flags & LEX_F_VALENCE) && e->valence == v);
  lex_view_of(s->t, &view);
  CHECK(lex_view_get(&view, key, len, h, lex_head(key, len)) == e);
  s->n++;
  return 0;
}

static void warn(void *ud, const char *msg) {
  (void)ud;
  CHECK(msg && *msg);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static const int formats[] = { LEX_AUTO, LEX_VADER, LEX_AFINN };
  lex_table *t;
  char *err = NULL;
  size_t loaded = 0;
  seen s;
  int rc, format;
  if (size < 1) return 0;
  format = formats[data[0] % 3];
  t = lex_new(&err);
  CHECK(t != NULL);
  rc = lex_load_buffer(t, "fuzz", (const char *)data + 1, size - 1, format,
                       warn, NULL, &loaded, &err);
  if (rc != LECTOR_OK) {
    CHECK(err && *err);
    sent_env_cur.free(err);
  } else {
    /* auto may read either format: the wider range bounds both */
    s.t = t;
    s.max = format == LEX_VADER ? SENT_VADER_MAX : SENT_AFINN_MAX;
    s.n = 0;
    lex_each(t, each, &s);
    CHECK(s.n == lex_count(t));
    CHECK(s.n <= loaded);
  }
  lex_free(t);
  return 0;
}
