/*
** lexicon.h -- a sentiment lexicon: words with a valence, and rule flags.
**
** A lex_table maps a word (bytes, matched exactly) to an entry holding a
** valence and a set of flags.  The valence comes from lexicon files
** (VADER's or AFINN's format) or from the caller; the flags are opaque
** here (vader.c marks negations, boosters ... with them), so one lookup
** per word tells the rules everything they need.
**
** Keys are stored as given: VADER looks words up lower-cased, so an entry
** with an upper-case letter never matches (as in VADER itself); callers
** that want case-insensitive entries lower-case the key first.
**
** Ownership: a table belongs to its creator, is filled on one thread and
** is then read-only: any number of threads may look words up in it.
** Error messages (char **err) come from lk_errorf (lector/kit.h); free
** them with lk_free.
*/
#ifndef LEXICON_H
#define LEXICON_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define LEX_F_VALENCE 0x0001u   /* the word has a valence */
/* Bits 0x0002 and up are the caller's (see vader.h). */

/* File formats. */
#define LEX_AUTO 0      /* VADER unless the first line is word<TAB>integer */
#define LEX_VADER 1     /* token<TAB>mean<TAB>sd<TAB>[ratings] */
#define LEX_AFINN 2     /* word<TAB>integer */

typedef struct lex_entry {
  double valence;       /* meaningful when flags has LEX_F_VALENCE */
  uint64_t head;        /* the key's first 8 bytes, zero-filled, byte i in
                           bits 8*i (lex_head) */
  uint32_t key_off;     /* the key is pool[key_off .. key_off + key_len) */
  uint32_t key_len;
  uint32_t hash;        /* lex_hash of the key */
  uint32_t flags;       /* LEX_F_VALENCE | the caller's bits */
} lex_entry;

typedef struct lex_table lex_table;

/* Receives one warning line (valid during the call only). */
typedef void (*lex_warn_fn)(void *ud, const char *msg);

/* lex_hash(s, len): the hash the table uses, of s[0..len); callers
** compute it and pass it to lex_get.  Bytes are taken 8 at a time, byte i of a group in bits
** 8*i (the last group zero-filled), so a caller can compute the same
** value while it copies a word:
**   h = LEX_HASH_SEED(len); for each group x: h = lex_hash_mix(h, x);
**   lex_hash_fold(h)                                                    */
#define LEX_HASH_SEED(len) ((uint64_t)(len) * 0x9e3779b97f4a7c15u)

static inline uint64_t lex_hash_mix(uint64_t h, uint64_t x) {
  h = (h ^ x) * 0xbf58476d1ce4e5b9u;
  return h ^ (h >> 31);
}

static inline uint32_t lex_hash_fold(uint64_t h) {
  return (uint32_t)(h ^ (h >> 32));
}

uint32_t lex_hash(const char *s, size_t len);

/* The first 8 bytes of s[0..len) as lex_entry.head has them. */
uint64_t lex_head(const char *s, size_t len);

/* A new empty table, or NULL with *err. */
lex_table *lex_new(char **err);

/* Free t (NULL is fine). */
void lex_free(lex_table *t);

/* The entry of key[0..len) whose hash is h, or NULL.  Thread-safe on a
** table nobody writes. */
const lex_entry *lex_get(const lex_table *t, const char *key, size_t len,
                         uint32_t h);

/* A read-only view of a table for hot loops: lex_view_get is lex_get,
** inline.  Valid until the table is next changed or freed; the fields are
** the table's private layout, not to be used otherwise. */
typedef struct lex_view {
  const lex_entry *e;
  const uint64_t *slot;   /* (hash << 32) | (entry index + 1); 0 = empty */
  size_t mask;            /* slot count - 1; 0 for an empty table */
  const uint64_t *filter; /* a bit per LEX_FILTER_BIT: set for every key */
  uint32_t fmask;         /* filter bits - 1 */
  const char *pool;       /* the keys */
} lex_view;

void lex_view_of(const lex_table *t, lex_view *v);

#define LEX_FILTER_BIT(v, h) (((h) >> 13 | (h) << 19) & (v)->fmask)

/* lex_get on a view; head is lex_head(key, len), which callers that
** build keys 8 bytes at a time have at hand: keys of up to 8 bytes are
** then compared without reading the key pool. */
static inline const lex_entry *lex_view_get(const lex_view *v,
                                            const char *key, size_t len,
                                            uint32_t h, uint64_t head) {
  uint32_t bit;
  size_t i;
  uint64_t s;
  if (!v->mask) return NULL;
  bit = LEX_FILTER_BIT(v, h);
  if (!(v->filter[bit >> 6] & ((uint64_t)1 << (bit & 63)))) return NULL;
  for (i = h & v->mask; (s = v->slot[i]) != 0; i = (i + 1) & v->mask) {
    if ((uint32_t)(s >> 32) == h) {
      const lex_entry *e = &v->e[(uint32_t)s - 1];
      if (e->key_len == len && e->head == head &&
          (len <= 8 || memcmp(v->pool + e->key_off + 8, key + 8, len - 8) == 0))
        return e;
    }
  }
  return NULL;
}

/* Give key[0..len) the valence v (adding or replacing it).  LECTOR_OK or
** LECTOR_ENOMEM with *err. */
int lex_set(lex_table *t, const char *key, size_t len, double v, char **err);

/* Remove the valence of key[0..len), keeping its other flags (a word the
** caller wants neutral).  Returns 1 if it had one. */
int lex_unset(lex_table *t, const char *key, size_t len);

/* Add the caller's flag bits to key[0..len) (adding an entry without a
** valence if needed).  LECTOR_OK or LECTOR_ENOMEM with *err. */
int lex_mark(lex_table *t, const char *key, size_t len, uint32_t flags,
             char **err);

/* Number of words with a valence. */
size_t lex_count(const lex_table *t);

/* Load the lexicon file at path in the given format (LEX_*) into t;
** later entries replace earlier ones.  Malformed lines are skipped and
** reported through warn (may be NULL) as "path:LINE: ..."; so are
** AFINN's multi-word entries, which no single word can match.  Returns
** LECTOR_OK and adds the number of words read to *loaded (may be NULL);
** or an error code with *err when the file cannot be read, has lines
** but not one valid entry, or has a valence that is not finite or is
** outside the format's range (SENT_VADER_MAX, SENT_AFINN_MAX): that
** message names "path:LINE", the word and the value. */
int lex_load_file(lex_table *t, const char *path, int format,
                  lex_warn_fn warn, void *ud, size_t *loaded, char **err);

/* The same on a buffer: name is used in messages in place of a path. */
int lex_load_buffer(lex_table *t, const char *name, const char *data,
                    size_t len, int format, lex_warn_fn warn, void *ud,
                    size_t *loaded, char **err);

#endif
