/*
** vader_emoji.h -- emoji as vaderSentiment 3.3.2 reads them: replaced by
** their Unicode names before the words are split.
**
** vaderSentiment 3.3.2 maps each emoji of a text to its name ("😀" ->
** "grinning face") through its file emoji_utf8_lexicon.txt, which its
** author derived from Unicode's emoji-test.txt.  It looks at the text one
** code point at a time, so only emoji of a single code point are ever
** replaced (a skin tone or a variation selector after one is a code point
** of its own: the tone gets its own name, the selector stays).
**
** We derive the same names from Unicode's emoji-test.txt as Debian's
** unicode-data package ships it (read by CMake at configure time, see
** CMakeLists.txt, into the generated table vader_emoji_names), keeping
** the emoji of Emoji 11.0 and earlier (3.3.2's file is Emoji 11.0's),
** with the names Emoji 11.0 gave those that have been renamed since
** (vader_emoji.c).  Names: (c) Unicode, Inc., Unicode Emoji data files,
** https://www.unicode.org/reports/tr51 (Unicode License v3).
*/
#ifndef VADER_EMOJI_H
#define VADER_EMOJI_H

#include <stddef.h>
#include <stdint.h>

typedef struct vader_emoji_name {
  uint32_t cp;          /* one code point */
  const char *name;     /* its name, UTF-8 */
} vader_emoji_name;

/* The generated table: sorted by code point; vader_emoji_count entries
** (0 when emoji-test.txt was missing at configure time). */
extern const vader_emoji_name vader_emoji_names[];
extern const size_t vader_emoji_count;

/* Where the table came from ("<path> (Emoji <version>)"), or, when it is
** empty, why (a sentence naming the missing file and how to get it). */
extern const char vader_emoji_source[];

/* The name vaderSentiment 3.3.2 gives code point cp, or NULL. */
const char *vader_emoji_name_of(uint32_t cp);

/* Rewrite text[0..len) as vaderSentiment 3.3.2 does: each emoji replaced
** by its name, preceded by a space unless the text before it ends in a
** space (U+0020) or it starts the text.  When text holds an emoji the
** result goes to *buf (grown with lk_grow; the caller owns it and frees
** it with lk_free), *out_len is its length and *changed is 1; otherwise
** *changed is 0 and nothing is written.  LECTOR_OK, or LECTOR_ENOMEM with
** *err. */
int vader_emoji_expand(const char *text, size_t len, char **buf, size_t *cap,
                       size_t *out_len, int *changed, char **err);

#endif
