/*
** vader_words.h -- VADER's list of words for one text, built from the
** tokenize service's spans.
**
** VADER does not use a word tokenizer: it splits the text at white space,
** drops one-character pieces, and strips one punctuation mark from either
** end of a piece ("cat," -> "cat"), keeping emoticons (":-)") and
** contractions ("don't") whole.  Its rules count positions in that list
** (the three words before a rated word, the first "but"), so we rebuild
** exactly that list on top of the tokenizer; vader_words.c says where and
** why the two differ.
**
** Ownership: a vw_list belongs to one thread at a time; vw_build reuses
** its buffers from call to call (no allocation per word once they have
** grown); vw_free releases them.  The text, the lexicon, the tokenizer
** and its options are borrowed for the call.
*/
#ifndef VADER_WORDS_H
#define VADER_WORDS_H

#include <stddef.h>
#include <stdint.h>

#include "lector/tokenizer.h"
#include "lexicon.h"
#include "sent_config.h"

typedef struct vw_word {
  double valence;       /* the lexicon's, when flags has LEX_F_VALENCE */
  uint32_t off, len;    /* the word's bytes in the text (punctuation
                           stripped as VADER does) */
  uint32_t first;       /* index of the first word with the same bytes
                           (set for words with a valence; the others
                           keep their own index) */
  uint32_t hash;        /* a hash of the bytes as written (for `first`) */
  uint32_t flags;       /* lexicon flags of the lower-cased word, or 0 */
  uint8_t upper;        /* Python's str.isupper(): cased, all upper case */
  uint8_t nt;           /* the lower-cased word contains "n't" */
  uint8_t exact;        /* ASCII without upper case: the word as written
                           is its lower-cased form (for VADER's
                           case-sensitive comparisons) */
} vw_word;

typedef struct vw_list {
  vw_word *w;           /* the words, w[0 .. n) */
  size_t n, cap;
  size_t upper;         /* how many are upper case */
  size_t marked;        /* index of the first word with a `mark` flag, or n */
  uint64_t *seen;       /* scratch hash set for `first` */
  size_t seen_cap;
  lector_tok_state st;
  lector_tok_span spans[SENT_SPAN_BATCH];
} vw_list;

/* An empty list (no memory held yet). */
void vw_init(vw_list *l);

/* Release what l holds; it may be used again after vw_init. */
void vw_free(vw_list *l);

/* The tokenizer options vw_build needs: every kind of token kept, no
** vocabulary ids, lower case without other normalisation (no NFC, accents
** and apostrophes kept), sentences split as tokenize.sentences() does by
** default.  Free with tok->opts_free.  NULL with *err on failure. */
lector_tok_opts *vw_opts_new(const lector_tokenizer_api *tok, char **err);

/* Lower-case text[0..n) as VADER does (Python's str.lower()) into
** out[0..cap), NUL-terminated: ASCII directly, other text with the
** tokenizer's case folding (o from vw_opts_new) except for the few
** characters str.lower() keeps (see vader_words.c).  Returns the length;
** a result >= cap means it did not fit (out is then unusable). */
size_t vw_lower(const lector_tokenizer_api *tok, const lector_tok_opts *o,
                const char *text, size_t n, char *out, size_t cap);

/* Fill l with VADER's words of text[0..len): tokenized with tok/o (whose
** options come from vw_opts_new), each looked up lower-cased in lex;
** l->marked is the first word whose lexicon flags have one of `mark`.  LECTOR_OK, or an error code with *err (out of
** memory, text over 4 GiB, LECTOR_EINTERRUPT). */
int vw_build(vw_list *l, const lector_tokenizer_api *tok,
             const lector_tok_opts *o, const lex_table *lex, uint32_t mark,
             const char *text, size_t len, char **err);

/* vw_build, or with vs nonzero the words of vaderSentiment 3.3.2, whose
** SentiText differs from NLTK's: no piece is dropped (one-character words
** count), and a piece loses every ASCII punctuation mark at either end
** (str.strip(string.punctuation)) unless fewer than three characters
** would be left, in which case it stays whole ("no," stays "no,", ":)"
** stays ":)", "great..." and "(great)" become "great"); every word's
** `first` is its own index (3.3.2 scores each occurrence in place). */
int vw_build_rules(vw_list *l, const lector_tokenizer_api *tok,
                   const lector_tok_opts *o, const lex_table *lex,
                   uint32_t mark, int vs, const char *text, size_t len,
                   char **err);

/* Is the word w of text exactly the NUL-terminated s (case matters)? */
int vw_is(const char *text, const vw_word *w, const char *s);

#endif
