/*
** tok_run.c -- the tokenizer loop: segments -> kept tokens -> normalised
** forms -> vocabulary ids; and the sentence loop.  All per-call state is
** in the caller's lector_tok_state; nothing is allocated per token.
**
** Three ways to find the next token, fastest first; each hands anything it
** cannot settle to the next, and all three give exactly the tokens of
** tok_seg_next (checked by the fuzz target and test_tokenize):
**   1. block_tokens (batches, SSE2/AVX2): 64 bytes are classified into bit
**      masks and every token whose boundaries the masks settle (ASCII
**      words and punctuation away from . , ; ' : - @ # and non-ASCII
**      bytes) is read off them at once;
**   2. step's ASCII paths: one ASCII word (found 16 bytes at a time) or
**      one punctuation byte;
**   3. tok_seg_next: the full UAX #29 scanner with the news extensions.
** Normalisation (finish) has an ASCII path too; vocabulary ids go through
** a per-thread cache in front of the host's vocabulary.
*/
#include <assert.h>
#include <string.h>

#include <libstemmer.h>

#include "lector/kit.h"
#include "tok_norm.h"
#include "tok_opts.h"
#include "tok_run.h"
#include "tok_sent.h"
#include "tok_tables.h"
#include "tok_utf8.h"
#include "tok_word.h"

#define MODE_TOKENS 1
#define MODE_SENTENCES 2

/* One slot of the id cache: a normalised form of up to 11 bytes as two
** words (bytes 0-7; bytes 8-10 and the length in the top byte), its id. */
typedef struct id_slot {
  uint64_t k0;
  uint32_t k1;
  uint32_t id;                 /* 0: empty */
} id_slot;

/* Bit masks of 64 bytes of text s[base..base+64): bit i for byte base+i.
** block_tokens reads token boundaries off them. */
typedef struct tok_blk {
  size_t base;                 /* offset of the block in the text */
  uint64_t w;                  /* A-Z a-z 0-9 _ */
  uint64_t up, lo, dg, us;     /* A-Z, a-z, 0-9, _ */
  uint64_t sp;                 /* space \t \n \v \f \r */
  uint64_t x1;                 /* . , ; ' (join words when a word
                                  character follows) */
  uint64_t xc;                 /* : - @ # (the full scanner decides) */
  uint64_t hi;                 /* bytes >= 0x80 */
} tok_blk;

typedef struct tok_run {
  const lector_tok_opts *o;
  const uint8_t *s;
  size_t n;
  size_t pos;                  /* where the next segment starts */
  int mode;                    /* MODE_*, 0 once ended */
  int need_norm;               /* normalise every token kept */
  int ids;                     /* intern the normalised forms */
  struct sb_stemmer *stemmer;  /* one per call: Snowball is not reentrant */
  tok_buf *fold;               /* heap; stop words when lower = false */
  tok_buf buf;                 /* the normalised form */
  id_slot *ids_cache;          /* this thread's, set by every next/step */
  int avx2;                    /* the CPU has AVX2 (x86-64) */
} tok_run;

static_assert(sizeof(tok_run) <= LECTOR_TOK_STATE_SIZE,
              "LECTOR_TOK_STATE_SIZE too small for tok_run");
static_assert(_Alignof(tok_run) <= _Alignof(max_align_t),
              "tok_run alignment");

#define RUN(st) ((tok_run *)(void *)(st)->opaque_.bytes_)

static const char replacement[] = "\xEF\xBF\xBD";     /* U+FFFD */

/* ------------------------------------------------------------------------
** Setup
*/

static int check_len(size_t len, char **err) {
  if (len > UINT32_MAX) {
    *err = lk_errorf("text of %zu bytes is over the 4 GiB limit of "
                              "a tokenizer call", len);
    return LECTOR_ERR;
  }
  return LECTOR_OK;
}

int tok_run_begin(lector_tok_state *st, const lector_tok_opts *o,
                  const char *text, size_t len, unsigned how, char **err) {
  tok_run *r = RUN(st);
  *err = NULL;
  if (check_len(len, err) != LECTOR_OK) return LECTOR_ERR;
  if (!o) o = tok_opts_default();
  memset(r, 0, sizeof *r);
  r->o = o;
  r->s = (const uint8_t *)(text ? text : "");
  r->n = len;
  r->mode = MODE_TOKENS;
#if defined(__x86_64__) && defined(__GNUC__)
  r->avx2 = __builtin_cpu_supports("avx2");
#endif
  r->ids = o->cfg.ids && lk_env_cur.vocab_intern && !(how & TOK_RUN_NOIDS);
  r->need_norm = (how & TOK_RUN_NORM) || r->ids || o->stop ||
                 o->cfg.min_len > 0 || o->stem[0];
  tok_buf_init(&r->buf);
  if (o->stem[0]) {
    r->stemmer = sb_stemmer_new(o->stem, "UTF_8");
    if (!r->stemmer) {
      r->mode = 0;
      *err = lk_errorf("out of memory (stemmer '%s')", o->stem);
      return LECTOR_ENOMEM;
    }
  }
  return LECTOR_OK;
}

void tok_run_end(lector_tok_state *st) {
  tok_run *r = RUN(st);
  if (!r->mode) return;
  if (r->stemmer) sb_stemmer_delete(r->stemmer);
  if (r->fold) {
    tok_buf_free(r->fold);
    lk_free(r->fold);
  }
  tok_buf_free(&r->buf);
  r->stemmer = NULL;
  r->fold = NULL;
  r->mode = 0;
}

/* ------------------------------------------------------------------------
** Tokens
*/

/* Is norm[0..len) a stop word?  The set holds case-folded words. */
static int stopped(tok_run *r, const char *norm, size_t len) {
  const lector_tok_opts *o = r->o;
  const char *f;
  size_t flen;
  int ascii = 1;
  size_t i;
  if (o->norm & TOK_N_LOWER) return tok_stop_has(o->stop, norm, len);
  if (!r->fold) {
    r->fold = lk_alloc(sizeof *r->fold);
    if (!r->fold) return tok_stop_has(o->stop, norm, len);
    tok_buf_init(r->fold);
  }
  for (i = 0; i < len; i++)
    if ((unsigned char)norm[i] >= 0x80) { ascii = 0; break; }
  flen = tok_norm(r->fold, TOK_N_LOWER, (const uint8_t *)norm, len, ascii, 1,
                  &f);
  if (flen == (size_t)-1) { f = norm; flen = len; }
  return tok_stop_has(o->stop, f, flen);
}

/* The first len (<= 8) bytes at s as a little-endian word, zero-padded;
** reads 8 bytes when s + 8 <= end (bytes past len are masked off). */
static inline uint64_t load_upto8(const char *s, size_t len, const char *end) {
  uint64_t w = 0;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
  if (end && s + 8 <= end) {
    memcpy(&w, s, 8);
    return len >= 8 ? w : w & ((1ull << (8 * len)) - 1);
  }
#endif
  {
    size_t i;
    (void)end;
    for (i = 0; i < len; i++) w |= (uint64_t)(unsigned char)s[i] << (8 * i);
  }
  return w;
}

/* Each thread's cache of ids, in front of the host's vocabulary (which is
** thread-safe but costs a hash, a lookup in its own thread cache and a
** string comparison, with two likely cache misses).  Direct-mapped, for
** forms of up to 11 bytes.  Valid for one epoch: a session's ids never
** change (plugin.h), and a new session re-opens the plugin, which calls
** tok_run_forget_ids.  Thread-local, so no locks; dynamic TLS of the
** shared object, freed by the C library, no destructor to run. */
static volatile unsigned ids_epoch = 1;

void tok_run_forget_ids(void) { ids_epoch++; }

static _Thread_local struct {
  unsigned epoch;
  id_slot slots[TOK_ID_CACHE];
} tcache;

/* This thread's id cache, emptied if the environment changed. */
static id_slot *ids_cache(void) {
  unsigned epoch = ids_epoch;
  if (tcache.epoch != epoch) {
    memset(tcache.slots, 0, sizeof tcache.slots);
    tcache.epoch = epoch;
  }
  return tcache.slots;
}

/* The vocabulary id of s[0..len), through r's id cache.  end: how far s
** may be read (NULL: exactly len bytes). */
static inline uint32_t intern(tok_run *r, const char *s, size_t len,
                              const char *end) {
  uint64_t k0, k1, h;
  id_slot *slot;
  uint32_t id;
  if (len > 11 || len == 0) return lk_env_cur.vocab_intern(s, len);
  k0 = load_upto8(s, len < 8 ? len : 8, end);
  k1 = (len > 8 ? load_upto8(s + 8, len - 8, end) : 0) |
       ((uint64_t)len << 24);
  h = (k0 * 0x9E3779B97F4A7C15ull) ^ (k1 * 0xC2B2AE3D27D4EB4Full);
  slot = &r->ids_cache[(h >> 32) & (TOK_ID_CACHE - 1)];
  if (slot->id && slot->k0 == k0 && slot->k1 == (uint32_t)k1) return slot->id;
  id = lk_env_cur.vocab_intern(s, len);
  if (id) {
    slot->k0 = k0;
    slot->k1 = (uint32_t)k1;
    slot->id = id;
  }
  return id;
}

/* Normalise the token sp (segment seg), look up its id.  0 when stop words
** or min_len drop it. */
static int finish(tok_run *r, lector_tok_span *sp, const tok_seg *seg,
                  const char **norm, size_t *norm_len) {
  const lector_tok_opts *o = r->o;
  const uint8_t *src = r->s + sp->offset;
  size_t len = sp->length, nlen;
  const char *out, *end = NULL;
  unsigned nf;
  int word = 0, counted = 0;

  switch (sp->kind) {
    case LECTOR_TOK_WORD: nf = o->norm; word = counted = 1; break;
    case LECTOR_TOK_NUMBER: case LECTOR_TOK_HASHTAG: case LECTOR_TOK_MENTION:
      nf = o->norm;
      counted = 1;
      break;
    case LECTOR_TOK_EMAIL: nf = o->norm & TOK_N_LOWER; break;
    case LECTOR_TOK_URL: case LECTOR_TOK_EMOJI: nf = 0; break;
    default: nf = o->norm & ~TOK_N_APOS; break;       /* punct, symbol */
  }
  if (!(sp->flags & (LECTOR_TOKF_NONASCII | LECTOR_TOKF_INVALID)) &&
      len <= TOK_NORM_MAX) {
    /* ASCII: NFC, NFKC, accents and apostrophes change nothing. */
    if ((nf & TOK_N_LOWER) && ((seg->acc & TOK_A_UP) ||
                               sp->kind == LECTOR_TOK_EMAIL)) {
      size_t i;
      char *d = r->buf.p;
      if (len + 1 > r->buf.cap && !tok_buf_reserve(&r->buf, len + 1)) {
        out = (const char *)src;
        end = (const char *)r->s + r->n;
      } else {
        d = r->buf.p;
        for (i = 0; i < len; i++) {
          uint8_t ch = src[i];
          d[i] = (char)(ch + (((unsigned)ch - 'A') < 26u) * 32);
        }
        d[len] = '\0';
        out = d;
        end = d + r->buf.cap;
      }
    } else {
      out = (const char *)src;
      end = (const char *)r->s + r->n;
    }
    nlen = len;
  } else if (sp->flags & LECTOR_TOKF_INVALID) {
    out = replacement;
    nlen = 3;
  } else if (len > TOK_NORM_MAX) {
    sp->flags |= LECTOR_TOKF_LONG;
    *norm = (const char *)src;
    *norm_len = len;
    return 1;                                   /* raw, id 0 */
  } else {
    nlen = tok_norm(&r->buf, nf, src, len, 0, 1, &out);
    if (nlen == (size_t)-1) { out = (const char *)src; nlen = len; }
    end = out == r->buf.p ? r->buf.p + r->buf.cap : (const char *)r->s + r->n;
  }
  if (nlen == 0) return 0;        /* normalisation left nothing: no token */
  if (word && o->stop && stopped(r, out, nlen)) return 0;
  if (counted && o->cfg.min_len &&
      tok_utf8_count(out, nlen) < o->cfg.min_len)
    return 0;
  if (word && r->stemmer) {
    const sb_symbol *st =
        sb_stemmer_stem(r->stemmer, (const sb_symbol *)out, (int)nlen);
    /* An empty stem ("s" in porter) keeps the unstemmed word: no word
    ** is ever empty. */
    if (st && sb_stemmer_length(r->stemmer) > 0) {
      out = (const char *)st;
      nlen = (size_t)sb_stemmer_length(r->stemmer);
      end = NULL;
    }
  }
  if (r->ids) sp->id = intern(r, out, nlen, end);
  *norm = out;
  *norm_len = nlen;
  return 1;
}

/* Bytes after an ASCII word that may continue it: 1 when the byte after
** them decides (a Mid character of UAX #29: . , ; '), 2 always (: for
** URLs and a:b, - for hyphens, @ for e-mail, anything non-ASCII). */
static const uint8_t run_ext[256] = {
  ['.'] = 1, [','] = 1, [';'] = 1, ['\''] = 1,
  [':'] = 2, ['-'] = 2, ['@'] = 2, [0x80 ... 0xff] = 2
};

/* Does the ASCII word ending at q (q < n) certainly end there?  Else the
** full scanner decides. */
static inline int word_ends(const uint8_t *s, size_t n, size_t q) {
  unsigned x = run_ext[s[q]];
  if (!x) return 1;
  return x == 1 && (q + 1 == n || !(tok_ascii[s[q + 1]] & (TOK_A_WORD |
                                                           TOK_A_HI)));
}

#if defined(__SSE2__)
#include <emmintrin.h>

/* Word bytes among the 16 at s (bit i for byte i), and in *up, *lo, *dg
** the capitals, lower-case letters and digits among them. */
static inline unsigned word_mask16(const uint8_t *s, unsigned *up,
                                   unsigned *lo, unsigned *dg) {
  __m128i v = _mm_loadu_si128((const __m128i *)(const void *)s);
  __m128i low = _mm_or_si128(v, _mm_set1_epi8(0x20));
  __m128i bias = _mm_set1_epi8((char)0x80);
  __m128i al = _mm_cmplt_epi8(
      _mm_xor_si128(_mm_sub_epi8(low, _mm_set1_epi8('a')), bias),
      _mm_set1_epi8((char)(0x80 + 26)));
  __m128i d = _mm_cmplt_epi8(
      _mm_xor_si128(_mm_sub_epi8(v, _mm_set1_epi8('0')), bias),
      _mm_set1_epi8((char)(0x80 + 10)));
  __m128i u = _mm_cmpeq_epi8(v, _mm_set1_epi8('_'));
  __m128i lc = _mm_and_si128(al, _mm_cmpeq_epi8(_mm_and_si128(
                                     v, _mm_set1_epi8(0x20)),
                                     _mm_set1_epi8(0x20)));
  unsigned a = (unsigned)_mm_movemask_epi8(al);
  *lo = (unsigned)_mm_movemask_epi8(lc);
  *up = a & ~*lo;
  *dg = (unsigned)_mm_movemask_epi8(d);
  return a | *dg | (unsigned)_mm_movemask_epi8(u);
}
#endif

#if defined(__SSE2__)
/* Kind and flags of an ASCII word from the classes in it (TOK_A_UP, LO,
** DG, US as bits 0-3). */
static const uint8_t acc_kind[16] = {
  LECTOR_TOK_PUNCT, LECTOR_TOK_WORD, LECTOR_TOK_WORD, LECTOR_TOK_WORD,
  LECTOR_TOK_NUMBER, LECTOR_TOK_WORD, LECTOR_TOK_WORD, LECTOR_TOK_WORD,
  LECTOR_TOK_PUNCT, LECTOR_TOK_WORD, LECTOR_TOK_WORD, LECTOR_TOK_WORD,
  LECTOR_TOK_NUMBER, LECTOR_TOK_WORD, LECTOR_TOK_WORD, LECTOR_TOK_WORD
};
#define AC LECTOR_TOKF_ALLCAPS
#define DI LECTOR_TOKF_DIGIT
static const uint8_t acc_flags[16] = {
  0, AC, 0, 0, DI, AC | DI, DI, DI, 0, AC, 0, 0, DI, AC | DI, DI, DI
};
#undef AC
#undef DI

/* Fold the byte masks of one 16- or 32-byte lane group (bit i = byte i
** of the group) into b at bit sh; b was zeroed by the caller. */
static inline void blk_add(tok_blk *b, unsigned sh, uint64_t al, uint64_t lc,
                           uint64_t d, uint64_t u, uint64_t ws, uint64_t m1,
                           uint64_t m2, uint64_t hi) {
  b->w |= (al | d | u) << sh;
  b->up |= (al & ~lc) << sh;
  b->lo |= lc << sh;
  b->dg |= d << sh;
  b->us |= u << sh;
  b->sp |= ws << sh;
  b->x1 |= m1 << sh;
  b->xc |= m2 << sh;
  b->hi |= hi << sh;
}

/* Classify s[base..base+64) into b. */
static void blk_load(tok_blk *b, const uint8_t *s, size_t base) {
  const __m128i bias = _mm_set1_epi8((char)0x80);
  int k;
  memset(b, 0, sizeof *b);
  b->base = base;
  for (k = 0; k < 4; k++) {
    const uint8_t *q = s + base + 16 * k;
    __m128i v = _mm_loadu_si128((const __m128i *)(const void *)q);
    __m128i low = _mm_or_si128(v, _mm_set1_epi8(0x20));
    __m128i al = _mm_cmplt_epi8(
        _mm_xor_si128(_mm_sub_epi8(low, _mm_set1_epi8('a')), bias),
        _mm_set1_epi8((char)(0x80 + 26)));
    __m128i lc = _mm_and_si128(al, _mm_cmpeq_epi8(low, v));
    __m128i d = _mm_cmplt_epi8(
        _mm_xor_si128(_mm_sub_epi8(v, _mm_set1_epi8('0')), bias),
        _mm_set1_epi8((char)(0x80 + 10)));
    __m128i u = _mm_cmpeq_epi8(v, _mm_set1_epi8('_'));
    __m128i ws = _mm_or_si128(
        _mm_cmpeq_epi8(v, _mm_set1_epi8(' ')),
        _mm_cmplt_epi8(_mm_xor_si128(_mm_sub_epi8(v, _mm_set1_epi8('\t')),
                                     bias),
                       _mm_set1_epi8((char)(0x80 + 5))));
    __m128i m1 = _mm_or_si128(
        _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('.')),
                     _mm_cmpeq_epi8(v, _mm_set1_epi8(','))),
        _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8(';')),
                     _mm_cmpeq_epi8(v, _mm_set1_epi8('\''))));
    __m128i m2 = _mm_or_si128(
        _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8(':')),
                     _mm_cmpeq_epi8(v, _mm_set1_epi8('-'))),
        _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('@')),
                     _mm_cmpeq_epi8(v, _mm_set1_epi8('#'))));
    unsigned sh = 16 * (unsigned)k;
    blk_add(b, sh, (unsigned)_mm_movemask_epi8(al), (unsigned)_mm_movemask_epi8(lc),
            (unsigned)_mm_movemask_epi8(d), (unsigned)_mm_movemask_epi8(u),
            (unsigned)_mm_movemask_epi8(ws), (unsigned)_mm_movemask_epi8(m1),
            (unsigned)_mm_movemask_epi8(m2), (unsigned)_mm_movemask_epi8(v));
  }
}

#if defined(__x86_64__) && defined(__GNUC__) && !defined(TOK_NO_AVX2)
#define TOK_HAVE_AVX2 1
#include <immintrin.h>

/* blk_load with AVX2, 32 bytes at a time (chosen at run time). */
__attribute__((target("avx2")))
static void blk_load_avx2(tok_blk *b, const uint8_t *s, size_t base) {
  const __m256i bias = _mm256_set1_epi8((char)0x80);
  int k;
  memset(b, 0, sizeof *b);
  b->base = base;
  for (k = 0; k < 2; k++) {
    const uint8_t *q = s + base + 32 * k;
    __m256i v = _mm256_loadu_si256((const __m256i *)(const void *)q);
    __m256i low = _mm256_or_si256(v, _mm256_set1_epi8(0x20));
    __m256i al = _mm256_cmpgt_epi8(
        _mm256_set1_epi8((char)(0x80 + 26)),
        _mm256_xor_si256(_mm256_sub_epi8(low, _mm256_set1_epi8('a')), bias));
    __m256i lc = _mm256_and_si256(al, _mm256_cmpeq_epi8(low, v));
    __m256i d = _mm256_cmpgt_epi8(
        _mm256_set1_epi8((char)(0x80 + 10)),
        _mm256_xor_si256(_mm256_sub_epi8(v, _mm256_set1_epi8('0')), bias));
    __m256i u = _mm256_cmpeq_epi8(v, _mm256_set1_epi8('_'));
    __m256i ws = _mm256_or_si256(
        _mm256_cmpeq_epi8(v, _mm256_set1_epi8(' ')),
        _mm256_cmpgt_epi8(_mm256_set1_epi8((char)(0x80 + 5)),
                          _mm256_xor_si256(_mm256_sub_epi8(
                              v, _mm256_set1_epi8('\t')), bias)));
    __m256i m1 = _mm256_or_si256(
        _mm256_or_si256(_mm256_cmpeq_epi8(v, _mm256_set1_epi8('.')),
                        _mm256_cmpeq_epi8(v, _mm256_set1_epi8(','))),
        _mm256_or_si256(_mm256_cmpeq_epi8(v, _mm256_set1_epi8(';')),
                        _mm256_cmpeq_epi8(v, _mm256_set1_epi8('\''))));
    __m256i m2 = _mm256_or_si256(
        _mm256_or_si256(_mm256_cmpeq_epi8(v, _mm256_set1_epi8(':')),
                        _mm256_cmpeq_epi8(v, _mm256_set1_epi8('-'))),
        _mm256_or_si256(_mm256_cmpeq_epi8(v, _mm256_set1_epi8('@')),
                        _mm256_cmpeq_epi8(v, _mm256_set1_epi8('#'))));
    unsigned sh = 32 * (unsigned)k;
    blk_add(b, sh, (uint32_t)_mm256_movemask_epi8(al), (uint32_t)_mm256_movemask_epi8(lc),
            (uint32_t)_mm256_movemask_epi8(d), (uint32_t)_mm256_movemask_epi8(u),
            (uint32_t)_mm256_movemask_epi8(ws), (uint32_t)_mm256_movemask_epi8(m1),
            (uint32_t)_mm256_movemask_epi8(m2), (uint32_t)_mm256_movemask_epi8(v));
  }
}
#endif
#endif

/* End of the run of ASCII letters, digits and _ starting at p (s[p] is
** one); *acc gets the TOK_A_* classes in it.  With SSE2 a word shorter
** than 16 bytes costs no loop, hence no mispredicted loop exit. */
static inline size_t ascii_word_end(const uint8_t *s, size_t n, size_t p,
                                    unsigned *acc) {
  unsigned a = 0;
#if defined(__SSE2__)
  while (p + 16 <= n) {
    unsigned up, lo, dg, w = word_mask16(s + p, &up, &lo, &dg), len, keep;
    len = (unsigned)__builtin_ctz(~w | 0x10000u);
    keep = (1u << len) - 1;                /* len <= 16: no overflow */
    a |= ((up & keep) ? TOK_A_UP : 0) | ((lo & keep) ? TOK_A_LO : 0) |
         ((dg & keep) ? TOK_A_DG : 0) |
         ((w & ~(up | lo | dg) & keep) ? TOK_A_US : 0);
    p += len;
    if (len < 16) { *acc = a; return p; }
  }
#endif
  while (p < n && (tok_ascii[s[p]] & TOK_A_WORD)) a |= tok_ascii[s[p++]];
  *acc = a;
  return p;
}

/* The next token of r into *sp; 1, or 0 at the end.  The common ASCII
** cases (a word of letters, digits and _ followed by a byte that cannot
** continue it; a punctuation byte) are handled here; everything else goes
** through tok_seg_next. */
#if defined(__GNUC__)
#define TOK_INLINE inline __attribute__((always_inline))
#else
#define TOK_INLINE inline
#endif

/* The per-call constants step() reads for every token, loaded once per
** batch (span stores could alias them, so the compiler would reload). */
typedef struct step_ctx {
  uint32_t keep;
  unsigned seg;
  int need_norm;
  int replace;
} step_ctx;

static inline step_ctx step_ctx_of(const tok_run *r) {
  step_ctx c;
  c.keep = r->o->keep;
  c.seg = r->o->seg;
  c.need_norm = r->need_norm;
  c.replace = r->o->cfg.invalid == LECTOR_TOK_INVALID_REPLACE;
  return c;
}

static TOK_INLINE int step(tok_run *r, lector_tok_span *sp, const char **norm,
                           size_t *norm_len, const step_ctx cx) {
  const uint8_t *s = r->s;
  size_t n = r->n, p = r->pos;
  tok_seg seg;
  for (;;) {
    size_t e;
    int kind;
    unsigned c;
    while (p < n && (tok_ascii[s[p]] & TOK_A_SP)) p++;
    if (p >= n) break;
    c = tok_ascii[s[p]];
    if (c & TOK_A_WORD) {                           /* ASCII word */
      unsigned acc;
      e = ascii_word_end(s, n, p, &acc);
      if (e < n && !word_ends(s, n, e)) goto full;
      seg.acc = acc;
      kind = (acc & TOK_A_LETTER) ? LECTOR_TOK_WORD
             : (acc & TOK_A_DG)   ? LECTOR_TOK_NUMBER : LECTOR_TOK_PUNCT;
      seg.flags = ((acc & TOK_A_DG) ? LECTOR_TOKF_DIGIT : 0) |
                  ((c & TOK_A_UP) ? LECTOR_TOKF_CAPITAL : 0) |
                  ((acc & (TOK_A_UP | TOK_A_LO)) == TOK_A_UP
                       ? LECTOR_TOKF_ALLCAPS : 0);
    } else if (!(c & TOK_A_HI) &&                   /* ASCII punctuation */
               (p + 1 == n || s[p + 1] < 0x80) &&
               !(s[p] == '#' && (cx.seg & TOK_SEG_HASHTAGS)) &&
               !(s[p] == '@' && (cx.seg & TOK_SEG_MENTIONS))) {
      int gc = TOK_P_GC(tok_stage2[s[p]]);
      e = p + 1;
      if (gc == TOK_GC_OTHER) { p = e; continue; }  /* a control byte */
      kind = gc == TOK_GC_PUNCT ? LECTOR_TOK_PUNCT : LECTOR_TOK_SYMBOL;
      seg.acc = 0;
      seg.flags = 0;
    } else {
    full:
      e = tok_seg_next(s, n, p, cx.seg, &seg);
      kind = seg.kind;
      if (kind == TOK_K_INVALID) {
        if (!cx.replace) { p = e; continue; }
        kind = LECTOR_TOK_SYMBOL;
        seg.flags |= LECTOR_TOKF_INVALID;
      }
    }
    if (!((cx.keep >> kind) & 1u)) { p = e; continue; }
    sp->offset = (uint32_t)p;
    sp->length = (uint32_t)(e - p);
    sp->kind = (uint16_t)kind;
    sp->flags = (uint16_t)seg.flags;
    sp->id = 0;
    p = e;
    if (cx.need_norm) {
      if (!finish(r, sp, &seg, norm, norm_len)) continue;
    } else {
      *norm = (const char *)s + sp->offset;
      *norm_len = sp->length;
    }
    r->pos = p;
    return 1;
  }
  r->pos = n;
  return 0;
}

int tok_run_step(lector_tok_state *st, lector_tok_span *sp, const char **norm,
                 size_t *norm_len) {
  tok_run *r = RUN(st);
  if (r->mode != MODE_TOKENS) return 0;
  if (r->ids) r->ids_cache = ids_cache();
  return step(r, sp, norm, norm_len, step_ctx_of(r));
}

#if defined(__SSE2__) && !defined(TOK_NO_BLOCK)
/* Every token of the 64 bytes at r->pos (which is a boundary, and
** r->pos + 64 <= r->n) that bit masks settle, into out[0..cap): token
** starts and ends are read off the masks for the whole block at once, so
** tokens do not wait for each other.  Stops before the first spot the
** masks cannot settle -- a non-ASCII byte, . , ; ' between word
** characters or before a non-ASCII one, any of : - @ #, the last two
** bytes -- leaving it to step().  Returns the count (0: step() must take the next token) and
** moves r->pos past what it wrote. */
static size_t block_tokens(tok_run *r, const step_ctx *cx,
                           lector_tok_span *out, size_t cap) {
  const uint8_t *s = r->s;
  size_t base = r->pos, k = 0, end = base;
  tok_blk blk, *b = &blk;
  uint64_t W, P, T, E, C, limit;
  unsigned cpos;
  const uint32_t keep = cx->keep;      /* locals: out[] stores could alias */
  const int need_norm = cx->need_norm;
#ifdef TOK_HAVE_AVX2
  if (r->avx2) blk_load_avx2(b, s, base);
  else
#endif
  blk_load(b, s, base);
  W = b->w;
  P = ~W & ~b->sp & ~b->hi;                     /* one-byte tokens */
  C = b->hi | b->xc | (1ull << 63) |
      (b->x1 & (W << 1) & ((W | b->hi) >> 1));
  cpos = (unsigned)__builtin_ctzll(C);
  if (cpos < 2) return 0;
  limit = (1ull << (cpos - 1)) - 1;             /* ends before cpos - 1 */
  T = ((W & ~(W << 1)) | P);                    /* first bytes */
  E = ((W & ~(W >> 1)) | P) & limit;            /* last bytes */
  while (E) {
    unsigned a = (unsigned)__builtin_ctzll(T), z = (unsigned)__builtin_ctzll(E);
    uint64_t bit = 1ull << a, wm = (2ull << z) - bit;
    /* Branch-free: a one-byte token has no letters or digits (ac = 0) and
    ** takes its kind from tok_ascii_kind (0 for a control byte, which no
    ** option keeps). */
    unsigned ac = (unsigned)!!(b->up & wm) | (unsigned)!!(b->lo & wm) << 1 |
                  (unsigned)!!(b->dg & wm) << 2 |
                  (unsigned)!!(b->us & wm) << 3;
    unsigned pk = tok_ascii_kind[s[base + a] & 0x7f], wk = acc_kind[ac],
             one = -(unsigned)((P >> a) & 1u);   /* all ones: 1-byte token */
    unsigned kind = wk ^ ((wk ^ pk) & one);      /* no branch to mispredict */
    unsigned kept = (keep >> kind) & 1u;
    T &= T - 1;
    E &= E - 1;
    end = base + z + 1;
    out[k].offset = (uint32_t)(base + a);
    out[k].length = z - a + 1;
    out[k].kind = (uint16_t)kind;
    out[k].flags = (uint16_t)(acc_flags[ac] |
                              ((b->up & bit) ? LECTOR_TOKF_CAPITAL : 0));
    out[k].id = 0;
    if (need_norm && kept) {
      const char *norm;
      size_t nlen;
      tok_seg seg;
      seg.acc = ac;
      if (!finish(r, &out[k], &seg, &norm, &nlen)) kept = 0;
    }
    k += kept;
    if (k == cap) break;
  }
  r->pos = end;
  if (k < cap) {
    /* Every settled token is written; the rest starts at the first token
    ** not written or at the first unsettled byte (a non-ASCII byte is no
    ** bit of T), whichever comes first: only white space lies before. */
    unsigned t0 = T ? (unsigned)__builtin_ctzll(T) : 64;
    r->pos = base + (t0 < cpos ? t0 : cpos);
  }
  return k;
}
#endif

size_t tok_run_next(lector_tok_state *st, lector_tok_span *out, size_t cap) {
  tok_run *r = RUN(st);
  size_t k = 0;
  const char *norm;
  size_t nlen;
  step_ctx cx;
  if (r->mode != MODE_TOKENS) return 0;
  if (r->ids) r->ids_cache = ids_cache();
  cx = step_ctx_of(r);
  while (k < cap) {
#if defined(__SSE2__) && !defined(TOK_NO_BLOCK)
    if (r->pos + 64 <= r->n) {
      size_t got = block_tokens(r, &cx, out + k, cap - k);
      k += got;
      if (got) continue;
    }
#endif
    if (!step(r, &out[k], &norm, &nlen, cx)) break;
    k++;
  }
  return k;
}

int tok_run_each(const lector_tok_opts *o, const char *text, size_t len,
                 lector_tok_fn fn, void *ud, char **err) {
  lector_tok_state st;
  lector_tok_span sp;
  const char *norm;
  size_t nlen, count = 0;
  int rc = tok_run_begin(&st, o, text, len, TOK_RUN_NORM, err);
  if (rc != LECTOR_OK) return rc;
  while (tok_run_step(&st, &sp, &norm, &nlen)) {
    rc = fn(ud, &sp, norm, nlen);
    if (rc != 0) break;
    if (++count % TOK_POLL_EVERY == 0 && lk_interrupted()) {
      *err = lk_errorf("interrupted");
      rc = LECTOR_EINTERRUPT;
      break;
    }
  }
  tok_run_end(&st);
  return rc;
}

/* ------------------------------------------------------------------------
** Sentences
*/

int tok_run_sent_begin(lector_tok_state *st, const lector_tok_opts *o,
                       const char *text, size_t len, char **err) {
  tok_run *r = RUN(st);
  *err = NULL;
  if (check_len(len, err) != LECTOR_OK) return LECTOR_ERR;
  memset(r, 0, sizeof *r);
  r->o = o ? o : tok_opts_default();
  r->s = (const uint8_t *)(text ? text : "");
  r->n = len;
  r->mode = MODE_SENTENCES;
  tok_buf_init(&r->buf);
  return LECTOR_OK;
}

size_t tok_run_sentences(lector_tok_state *st, lector_sent_span *out,
                         size_t cap) {
  tok_run *r = RUN(st);
  size_t k = 0;
  if (r->mode != MODE_SENTENCES) return 0;
  while (k < cap && r->pos < r->n) {
    size_t a = r->pos, b = tok_sent_next(r->s, r->n, r->pos, &r->o->sent);
    r->pos = b;
    tok_sent_trim(r->s, &a, &b);
    if (a < b) {
      out[k].offset = (uint32_t)a;
      out[k].length = (uint32_t)(b - a);
      k++;
    }
  }
  return k;
}

/* ------------------------------------------------------------------------
** One word
*/

size_t tok_run_normalize(const lector_tok_opts *o, const char *text,
                         size_t len, char *out, size_t cap) {
  tok_buf b;
  const char *norm;
  size_t nlen, i;
  int ascii = 1;
  struct sb_stemmer *stemmer = NULL;
  if (!o) o = tok_opts_default();
  for (i = 0; i < len; i++)
    if ((unsigned char)text[i] >= 0x80) { ascii = 0; break; }
  tok_buf_init(&b);
  nlen = tok_norm(&b, o->norm, (const uint8_t *)text, len, ascii, 1, &norm);
  if (nlen == (size_t)-1) { norm = text; nlen = len; }
  if (o->stem[0] && (stemmer = sb_stemmer_new(o->stem, "UTF_8")) != NULL) {
    const sb_symbol *s =
        sb_stemmer_stem(stemmer, (const sb_symbol *)norm, (int)nlen);
    if (s && sb_stemmer_length(stemmer) > 0) {   /* empty: keep the word */
      norm = (const char *)s;
      nlen = (size_t)sb_stemmer_length(stemmer);
    }
  }
  if (cap > 0) {
    size_t k = nlen < cap ? nlen : cap - 1;
    memcpy(out, norm, k);
    out[k] = '\0';
  }
  if (stemmer) sb_stemmer_delete(stemmer);
  tok_buf_free(&b);
  return nlen;
}
