/*
** vader_emoji.c -- emoji names as vaderSentiment 3.3.2 has them (see
** vader_emoji.h).  The table of names is generated from Unicode's
** emoji-test.txt at configure time; here are the lookup, the Emoji 11.0
** names of the emoji renamed since, and the rewrite of a text.
*/
#include <string.h>

#include "lector/kit.h"
#include "vader_emoji.h"

/* Emoji 11.0's names of the single-code-point emoji (Emoji 11.0 or
** older) that later versions renamed, sorted by code point.  Unicode
** data (emoji-test.txt, Emoji 11.0), (c) Unicode, Inc. */
static const vader_emoji_name renamed[] = {
  {0x2611u, "ballot box with check"},
  {0x2705u, "white heavy check mark"},
  {0x2714u, "heavy check mark"},
  {0x2716u, "heavy multiplication x"},
  {0x2753u, "question mark"},
  {0x2757u, "exclamation mark"},
  {0x2763u, "heavy heart exclamation"},
  {0x2795u, "heavy plus sign"},
  {0x2796u, "heavy minus sign"},
  {0x2797u, "heavy division sign"},
  {0x2B55u, "heavy large circle"},
  {0x1F392u, "school backpack"},
  {0x1F3AFu, "direct hit"},
  {0x1F438u, "frog face"},
  {0x1F439u, "hamster face"},
  {0x1F43Au, "wolf face"},
  {0x1F43Bu, "bear face"},
  {0x1F43Cu, "panda face"},
  {0x1F46Bu, "man and woman holding hands"},
  {0x1F46Cu, "two men holding hands"},
  {0x1F46Du, "two women holding hands"},
  {0x1F470u, "bride with veil"},
  {0x1F471u, "blond-haired person"},
  {0x1F472u, "man with Chinese cap"},
  {0x1F4A4u, "zzz"},
  {0x1F4BBu, "laptop computer"},
  {0x1F52Bu, "pistol"},
  {0x1F574u, "man in suit levitating"},
  {0x1F621u, "pouting face"},
  {0x1F635u, "dizzy face"},
  {0x1F638u, "grinning cat face with smiling eyes"},
  {0x1F639u, "cat face with tears of joy"},
  {0x1F63Au, "grinning cat face"},
  {0x1F63Bu, "smiling cat face with heart-eyes"},
  {0x1F63Cu, "cat face with wry smile"},
  {0x1F63Du, "kissing cat face"},
  {0x1F63Eu, "pouting cat face"},
  {0x1F63Fu, "crying cat face"},
  {0x1F640u, "weary cat face"},
  {0x1F916u, "robot face"},
  {0x1F917u, "hugging face"},
  {0x1F935u, "man in tuxedo"},
  {0x1F970u, "smiling face with 3 hearts"},
  {0x1F97Fu, "woman\xE2\x80\x99s flat shoe"},
  {0x1F981u, "lion face"},
  {0x1F984u, "unicorn face"},
  {0x1F98Au, "fox face"},
  {0x1F9B0u, "red-haired"},
  {0x1F9B1u, "curly-haired"},
  {0x1F9B3u, "white-haired"},
  {0x1F9D1u, "adult"},
  {0x1F9D3u, "older adult"},
  {0x1F9D4u, "bearded person"},
  {0x1F9E9u, "jigsaw"},
  {0x1F9F1u, "bricks"},
};

static const char *search(const vader_emoji_name *t, size_t n, uint32_t cp) {
  size_t lo = 0, hi = n;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (t[mid].cp == cp) return t[mid].name;
    if (t[mid].cp < cp) lo = mid + 1;
    else hi = mid;
  }
  return NULL;
}

const char *vader_emoji_name_of(uint32_t cp) {
  const char *s;
  if (cp < 0xA9u || vader_emoji_count == 0) return NULL;
  if ((s = search(renamed, sizeof renamed / sizeof renamed[0], cp)) != NULL)
    return s;
  return search(vader_emoji_names, vader_emoji_count, cp);
}

/* The code point at s[0..n) (n >= 1) and its length in *k; an invalid or
** truncated sequence is one byte, code point 0 (never an emoji). */
static uint32_t decode(const unsigned char *s, size_t n, size_t *k) {
  uint32_t c = s[0];
  size_t len, i;
  *k = 1;
  if (c < 0x80) return c;
  if (c >= 0xC2 && c <= 0xDF) len = 2, c &= 0x1F;
  else if (c >= 0xE0 && c <= 0xEF) len = 3, c &= 0x0F;
  else if (c >= 0xF0 && c <= 0xF4) len = 4, c &= 0x07;
  else return 0;
  if (len > n) return 0;
  for (i = 1; i < len; i++) {
    if ((s[i] & 0xC0) != 0x80) return 0;
    c = c << 6 | (s[i] & 0x3Fu);
  }
  *k = len;
  return c;
}

/* Append s[0..n) to *buf at *len.  0, or -1 out of memory. */
static int append(char **buf, size_t *cap, size_t *len, const char *s,
                  size_t n) {
  char *b;
  if (*len + n < *len) return -1;
  if ((b = lk_grow(*buf, cap, *len + n, 1)) == NULL) return -1;
  *buf = b;
  memcpy(b + *len, s, n);
  *len += n;
  return 0;
}

int vader_emoji_expand(const char *text, size_t len, char **buf, size_t *cap,
                       size_t *out_len, int *changed, char **err) {
  const unsigned char *s = (const unsigned char *)text;
  size_t p = 0, k, n = 0;
  int prev_space = 1, any = 0;
  *changed = 0;
  for (p = 0; p < len && !any; p += k) {  /* most texts have none */
    k = 1;
    if (s[p] >= 0xC2) any = vader_emoji_name_of(decode(s + p, len - p, &k))
                            != NULL;
  }
  if (!any) return LECTOR_OK;
  for (p = 0; p < len; p += k) {
    const char *name = NULL;
    int rc;
    k = 1;
    if (s[p] >= 0xC2) name = vader_emoji_name_of(decode(s + p, len - p, &k));
    if (name) {
      rc = prev_space ? 0 : append(buf, cap, &n, " ", 1);
      if (rc == 0) rc = append(buf, cap, &n, name, strlen(name));
      prev_space = 0;
    } else {
      rc = append(buf, cap, &n, text + p, k);
      prev_space = k == 1 && s[p] == ' ';
    }
    if (rc != 0) {
      *err = lk_errorf("out of memory (emoji names)");
      return LECTOR_ENOMEM;
    }
  }
  *out_len = n;
  *changed = 1;
  return LECTOR_OK;
}
