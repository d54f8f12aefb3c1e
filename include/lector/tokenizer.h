/*
** lector/tokenizer.h -- the "tokenize" C service: words and sentences.
**
** The tokenize plugin publishes one lector_tokenizer_api table under the
** service name "tokenize".  Another plugin gets it with
**
**   char *err = NULL;
**   const lector_tokenizer_api *tok =
**       host->require(ctx, LECTOR_TOKENIZER_SERVICE,
**                     LECTOR_TOKENIZER_VERSION, &err);
**
** (in ready(), or in open() when loaded after tokenize) and then calls
** through the table; it never links against the plugin.
**
** Model: the caller compiles an options object once (from a Lua table with
** the same option names as tokenize.words, or from a C config), then
** tokenizes any number of buffers with it, from any number of threads.
** Per-call state lives in a caller-owned lector_tok_state (a stack
** variable is fine); tokens are written into a caller-owned array of
** lector_tok_span, a batch at a time, so nothing is allocated per token.
**
** Ownership, stated once for the whole header:
**   - Text buffers are borrowed: they must stay unchanged from begin() to
**     end().  Spans point into them by byte offset; nothing is copied.
**   - A lector_tok_opts belongs to whoever created it (opts_new or
**     opts_from_lua) and is freed with opts_free, after every state that
**     uses it has been ended.  It is immutable: share it between threads.
**   - A lector_tok_state belongs to its caller; one thread at a time.
**     Every successful begin()/sent_begin() is paired with end().
**   - Error messages (char **err) come from the host's errorf; free them
**     with host->free.
**
** Versioning: the table, lector_tok_config and lector_tok_span are
** append-only; LECTOR_TOKENIZER_VERSION grows when fields are appended.
** A caller built against version V asks for at least V and may check
** api->struct_size before using a later field.
*/
#ifndef LECTOR_TOKENIZER_H
#define LECTOR_TOKENIZER_H

#include <stddef.h>
#include <stdint.h>

#include <lua.h>

#include <lector/plugin.h>   /* LECTOR_OK and the other return codes */

#define LECTOR_TOKENIZER_SERVICE "tokenize"
#define LECTOR_TOKENIZER_VERSION 2

/* ------------------------------------------------------------------------
** Tokens.
*/

/* Token kinds (lector_tok_span.kind). */
enum lector_tok_kind {
  LECTOR_TOK_WORD = 1,  /* letters, possibly with digits, ' . _ inside */
  LECTOR_TOK_NUMBER,    /* digits, with inner , . separators: 76,000 0.6 */
  LECTOR_TOK_PUNCT,     /* one punctuation character: . , ! ? " ( - ... */
  LECTOR_TOK_SYMBOL,    /* one symbol character: $ % + © ... */
  LECTOR_TOK_URL,       /* http://..., https://..., www.... */
  LECTOR_TOK_EMAIL,     /* name@example.org */
  LECTOR_TOK_MENTION,   /* @name */
  LECTOR_TOK_HASHTAG,   /* #name (at least one letter) */
  LECTOR_TOK_EMOJI,     /* one emoji, with modifiers and ZWJ sequences */
  LECTOR_TOK_KIND_MAX_ = LECTOR_TOK_EMOJI
};

/* Token flags (lector_tok_span.flags), about the source text. */
#define LECTOR_TOKF_ALLCAPS  0x0001u /* has an upper-case letter, no lower */
#define LECTOR_TOKF_CAPITAL  0x0002u /* first character is upper/title case */
#define LECTOR_TOKF_HYPHEN   0x0004u /* hyphenated word kept whole */
#define LECTOR_TOKF_ABBREV   0x0008u /* initialism kept with its final
                                        period: U.S. a.m. */
#define LECTOR_TOKF_NONASCII 0x0010u /* has a byte >= 0x80 */
#define LECTOR_TOKF_DIGIT    0x0020u /* has a digit */
#define LECTOR_TOKF_DICT     0x0040u /* ideograph, kana or a run of a script
                                        written without spaces (Thai ...) */
#define LECTOR_TOKF_LONG     0x0080u /* longer than the normalisation limit:
                                        id 0, not normalised */
#define LECTOR_TOKF_INVALID  0x0100u /* an invalid byte shown as U+FFFD */

/* One token: where it is and what it is.  16 bytes. */
typedef struct lector_tok_span {
  uint32_t offset;      /* byte offset in the buffer given to begin() */
  uint32_t length;      /* length in bytes (> 0) */
  uint16_t kind;        /* enum lector_tok_kind */
  uint16_t flags;       /* LECTOR_TOKF_* */
  uint32_t id;          /* host vocabulary id of the normalised form; 0 when
                           the options say ids = false, for LONG tokens, or
                           when the vocabulary is out of memory */
} lector_tok_span;

/* One sentence: its bytes, with surrounding white space trimmed. */
typedef struct lector_sent_span {
  uint32_t offset;      /* byte offset in the buffer */
  uint32_t length;      /* length in bytes (> 0) */
} lector_sent_span;

/* ------------------------------------------------------------------------
** Options.  A lector_tok_config is plain data a C caller fills; the
** compiled lector_tok_opts is what the tokenizer runs with.
*/

/* lector_tok_config.normalize */
#define LECTOR_TOK_NORM_NONE 0
#define LECTOR_TOK_NORM_NFC  1
#define LECTOR_TOK_NORM_NFKC 2

/* lector_tok_config.invalid: what an invalid UTF-8 byte becomes */
#define LECTOR_TOK_INVALID_SKIP    0   /* nothing: it separates tokens */
#define LECTOR_TOK_INVALID_REPLACE 1   /* a SYMBOL token normalised to U+FFFD */

/* lector_tok_config.stopwords */
#define LECTOR_TOK_STOP_NONE    0
#define LECTOR_TOK_STOP_ENGLISH 1      /* the built-in English list */

/* Every field has the meaning of the Lua option of the same name
** (tokenize.words); defaults come from config_init. */
typedef struct lector_tok_config {
  size_t struct_size;   /* sizeof(lector_tok_config) as the caller saw it */
  int lower;            /* full Unicode case folding (1) */
  int normalize;        /* LECTOR_TOK_NORM_* (NFC) */
  int accents;          /* keep accents (1); 0 strips Latin/Greek/Cyrillic
                           combining diacritics (U+0300..036F and kin) */
  int apostrophes;      /* fold ’ ‘ ʼ inside words to ' in the norm (1) */
  const char *stem;     /* Snowball language ("english" ...) or NULL (NULL) */
  int stopwords;        /* LECTOR_TOK_STOP_* (NONE) */
  const char *stopwords_path;      /* a file, one word a line (NULL) */
  const char *const *stopword_list; /* words, with nstopwords (NULL) */
  size_t nstopwords;
  size_t min_len;       /* drop words shorter than this many characters (0) */
  int punct;            /* keep PUNCT and SYMBOL tokens (1) */
  int numbers;          /* keep NUMBER tokens (1) */
  int urls;             /* URL and EMAIL tokens; 0 splits them as text (1) */
  int emails;           /* EMAIL tokens (1) */
  int mentions;         /* @name as one MENTION token (1) */
  int hashtags;         /* #name as one HASHTAG token (1) */
  int emoji;            /* keep EMOJI tokens (1) */
  int split_hyphens;    /* split well-known into well - known (0) */
  int abbrev;           /* keep U.S. a.m. with their final period; in
                           sentences, no break after Mr. Gen. U.S. (the
                           built-in list), initials (George W. Bush) or
                           "Why?" before a lower-case word (1) */
  int glued;            /* split sentences glued by a lost line break:
                           "on.Our" -> on . Our (1) */
  int runs;             /* Thai, Lao, Khmer, Myanmar: one token per run of
                           letters instead of one per character (1) */
  int invalid;          /* LECTOR_TOK_INVALID_* (SKIP) */
  int ids;              /* intern the norm in the host vocabulary (1) */
} lector_tok_config;

typedef struct lector_tok_opts lector_tok_opts;   /* compiled, opaque */

/* Called by each() for every token kept.  norm[0..norm_len) is the
** normalised form (not NUL-terminated: it may point into the text; valid
** during the call only; the raw text for LONG tokens).  Return 0 to go
** on, anything else to stop: each() returns it. */
typedef int (*lector_tok_fn)(void *ud, const lector_tok_span *span,
                             const char *norm, size_t norm_len);

/* Per-call state, owned by the caller (a stack variable is fine); its
** contents are private.  Do not copy it between begin() and end(). */
#define LECTOR_TOK_STATE_SIZE 2048
typedef struct lector_tok_state {
  union {
    max_align_t align_;
    unsigned char bytes_[LECTOR_TOK_STATE_SIZE];
  } opaque_;
} lector_tok_state;

/* ------------------------------------------------------------------------
** The service table.
*/
typedef struct lector_tokenizer_api {
  size_t struct_size;   /* sizeof(lector_tokenizer_api) in the plugin */
  int version;          /* LECTOR_TOKENIZER_VERSION of the plugin */
  const char *unicode_version;  /* of the break tables, e.g. "15.0.0" */

  /* Fill cfg with the defaults.  cfg_size is sizeof(*cfg) as the caller
  ** saw it (fields past it are not touched). */
  void (*config_init)(lector_tok_config *cfg, size_t cfg_size);

  /* Compile cfg (NULL = defaults).  Reads the stop-word file now.
  ** Returns NULL with *err set on a bad value (unknown stemmer language,
  ** unreadable file, out of memory).  Free with opts_free. */
  lector_tok_opts *(*opts_new)(const lector_tok_config *cfg, char **err);

  /* Compile the options in the table at idx (nil or none: defaults) on
  ** top of base (NULL = config_init defaults).  Keys listed in extra (a
  ** NULL-terminated array, may be NULL) are the caller's own and are
  ** skipped; any other unknown key or a wrong type raises a Lua error
  ** "<fname>: unknown option 'key'" / "<fname>: option 'lower' must be a
  ** boolean".  Recognised keys: the lector_tok_config names, plus
  ** standard = true (every deviation from UAX #29 off; the other keys
  ** then apply on top).  Free the result with opts_free.  [-0, +0, e] */
  lector_tok_opts *(*opts_from_lua)(lua_State *L, int idx, const char *fname,
                                    const char *const *extra,
                                    const lector_tok_config *base);

  /* Free o (NULL is fine). */
  void (*opts_free)(lector_tok_opts *o);

  /* Start tokenizing text[0..len) with o into st.  Returns LECTOR_OK, or
  ** an error code with *err (len > UINT32_MAX, out of memory).  On
  ** success, call end(st) when done. */
  int (*begin)(lector_tok_state *st, const lector_tok_opts *o,
               const char *text, size_t len, char **err);

  /* Write up to cap next tokens into out; returns how many, 0 at the end
  ** of the text.  Never fails; poll host->interrupted between batches. */
  size_t (*next)(lector_tok_state *st, lector_tok_span *out, size_t cap);

  /* Release what begin()/sent_begin() acquired.  st may then be reused. */
  void (*end)(lector_tok_state *st);

  /* Tokenize text[0..len) with o, calling fn for every token.  Returns
  ** LECTOR_OK, fn's nonzero result, or an error code with *err (including
  ** LECTOR_EINTERRUPT when the host is interrupted). */
  int (*each)(const lector_tok_opts *o, const char *text, size_t len,
              lector_tok_fn fn, void *ud, char **err);

  /* Start splitting text[0..len) into sentences (o: NULL = defaults;
  ** the abbrev and glued options apply).  Pair with end(st). */
  int (*sent_begin)(lector_tok_state *st, const lector_tok_opts *o,
                    const char *text, size_t len, char **err);

  /* Write up to cap next sentences into out; returns how many, 0 at the
  ** end.  Sentences cover the text in order, white space trimmed. */
  size_t (*sent_next)(lector_tok_state *st, lector_sent_span *out,
                      size_t cap);

  /* Normalise the word text[0..len) as o would a token (case folding,
  ** normalisation, accents, stemming; no stop words or min_len) into
  ** out[0..cap) NUL-terminated.  Returns the full length, which may be
  ** >= cap (then out holds a truncated prefix).  Uses no state, but a
  ** stemmer is made per call: for one-off lookups, not hot loops. */
  size_t (*normalize)(const lector_tok_opts *o, const char *text, size_t len,
                      char *out, size_t cap);

  /* "word", "number", "punct", ... for a kind; "?" if unknown. */
  const char *(*kind_name)(int kind);

  /* (version 2) A key naming what o does to a text: every option that
  ** changes the tokens or their normalised forms (not `ids`), the stop
  ** words (their number and a hash), and the tokenizer's own version and
  ** Unicode version; two options with equal keys give equal tokens.
  ** Written NUL-terminated into out[0..cap); returns its full length
  ** (>= cap: truncated).  The host matches packed token streams by it
  ** (lector_host.tokens_words). */
  size_t (*opts_key)(const lector_tok_opts *o, char *out, size_t cap);
} lector_tokenizer_api;

#endif
