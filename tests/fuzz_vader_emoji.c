/*
** fuzz_vader_emoji.c -- libFuzzer target for vaderSentiment's emoji
** rewrite (plugins/sentiment/vader_emoji.c), which decodes UTF-8 on its
** own.  Checks: the rewrite succeeds; a text is left alone exactly when it
** holds no named emoji; a rewritten text holds none any more (names are
** plain text), so rewriting it again changes nothing; every ASCII byte is
** kept, in order.  ASan/UBSan catch the rest.
**
**   ./fuzz_vader_emoji -max_total_time=30 CORPUS tests/fuzz/vader_emoji
*/
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lector/kit.h"
#include "vader_emoji.h"

LK_DEFINE

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(c) do { if (!(c)) abort(); } while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  char *buf = NULL, *again = NULL, *err = NULL;
  size_t cap = 0, cap2 = 0, n = 0, n2 = 0, i, j;
  int changed = -1, changed2 = -1;
  CHECK(vader_emoji_expand((const char *)data, size, &buf, &cap, &n,
                           &changed, &err) == LECTOR_OK);
  CHECK(changed == 0 || changed == 1);
  if (changed) {
    CHECK(vader_emoji_expand(buf, n, &again, &cap2, &n2, &changed2, &err) ==
          LECTOR_OK);
    CHECK(changed2 == 0);
    for (i = 0, j = 0; i < size; i++) {  /* ASCII is never an emoji: kept */
      if (data[i] >= 0x80) continue;
      while (j < n && buf[j] != (char)data[i]) j++;
      CHECK(j < n);
      j++;
    }
  }
  lk_free(buf);
  lk_free(again);
  return 0;
}
