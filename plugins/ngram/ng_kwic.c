/*
** ng_kwic.c -- concordance (see ng_kwic.h).
*/
#include <stdlib.h>
#include <string.h>

#include "ng_buf.h"
#include "lector/kit.h"
#include "ng_kwic.h"

/* One token of a document: where it is, its id and its sentence. */
typedef struct ktok {
  uint32_t offset, end, id, sent;
} ktok;

/* The phrase's words as text, when they are few: a token is then matched
** against them, and every other token gets OTHER, without the word cache
** (no id is needed for a token that matches no word of the phrase). */
#define KW_WORDS 8
#define OTHER UINT32_MAX

typedef struct kwords {
  int n;                       /* 0: use the word cache */
  const char *s[KW_WORDS];
  size_t len[KW_WORDS];
  uint32_t id[KW_WORDS];
} kwords;

/* on_token's "that is all this document needs" (ng_docs.upto). */
#define ENOUGH 0x454e4f55
/* The checkpoints cannot serve this document: tokenize it whole. */
#define FALLBACK 0x46414c4c

/* A hit found in a pack's stream, in stream positions: context a .. b,
** match s .. l; from is the checkpoint at or before a, off its byte. */
typedef struct shit {
  size_t from, off, a, s, l, b;
} shit;

/* A token's bytes in the text. */
typedef struct kspan {
  uint32_t off, end;
} kspan;

typedef struct kctx {
  const ng_kwic_spec *spec;
  const kwords *words;
  /* ng_docs.upto: each() stops after the plen + window words that
  ** follow the first upto tokens (0: it does not stop). */
  const uint32_t *upto_;
  uint64_t upto, seen, after;  /* this document's; tokens seen; words past
                                  upto */
  ktok *toks;                  /* the current document's tokens */
  size_t ntoks, cap;
  uint32_t base, sent;         /* the sentence being read: offset, number */
  ng_hits hits;
  ng_wordcache *lex;                 /* words -> ids (shared) */
  lector_tok_state sst;        /* the sentence splitter */
  /* from a pack's checkpoints (spec->seek) */
  uint32_t *sids;              /* stream ids from a checkpoint */
  size_t scap;
  uint32_t *cidx;              /* indices into sids of non-empty tokens */
  size_t ccap;
  shit *sh;                    /* the document's hits */
  size_t nsh, shcap;
  kspan *spans;                /* a stretch's tokens */
  size_t spcap;
  size_t rt, rn;               /* tokens seen / wanted in the stretch */
  size_t roff;                 /* the stretch's first byte */
} kctx;

void ng_kwic_hits_free(ng_hits *h) {
  lk_free(h->v);
  h->v = NULL;
  h->n = h->cap = 0;
}

static int push_hit(ng_hits *h, const ng_hit *x) {
  if (h->n == h->cap) {
    ng_hit *v = lk_grow(h->v, &h->cap, h->n + 1, sizeof *v);
    if (!v) return -1;
    h->v = v;
  }
  h->v[h->n++] = *x;
  return 0;
}

static int push_tok(kctx *k, const lector_tok_span *sp, uint32_t id) {
  if (k->ntoks == k->cap) {
    ktok *v = lk_grow(k->toks, &k->cap, k->ntoks + 1, sizeof *v);
    if (!v) return -1;
    k->toks = v;
  }
  k->toks[k->ntoks].offset = k->base + sp->offset;
  k->toks[k->ntoks].end = k->base + sp->offset + sp->length;
  k->toks[k->ntoks].id = id;
  k->toks[k->ntoks].sent = k->sent;
  k->ntoks++;
  return 0;
}

/* The tokenizer's callback: one token into k->toks. */
static int on_token(void *ud, const lector_tok_span *sp, const char *norm,
                    size_t norm_len) {
  kctx *k = ud;
  const kwords *kw = k->words;
  uint32_t id;
  int j;
  if (k->upto && k->seen++ >= k->upto && norm_len &&
      ++k->after > (uint64_t)k->spec->plen + (uint64_t)k->spec->window)
    return ENOUGH;
  if (norm_len == 0) return 0;          /* an empty word is no word */
  if (kw->n) {
    id = OTHER;
    for (j = 0; j < kw->n; j++)
      if (kw->len[j] == norm_len && memcmp(kw->s[j], norm, norm_len) == 0) {
        id = kw->id[j];
        break;
      }
    return push_tok(k, sp, id) != 0 ? LECTOR_ENOMEM : 0;
  }
  id = ng_wordcache_id(k->lex, norm, norm_len);
  return id == 0 || push_tok(k, sp, id) != 0 ? LECTOR_ENOMEM : 0;
}

/* Tokenize each sentence of text into k->toks. */
static int read_sentences(kctx *k, const lector_text *text, char **err) {
  const ng_tokens *tok = k->spec->tok;
  lector_sent_span sp[NG_SPAN_BATCH];
  size_t got, i;
  int rc = tok->api->sent_begin(&k->sst, tok->opts, text->data, text->len,
                                err);
  if (rc != LECTOR_OK) return rc;
  while (rc == LECTOR_OK &&
         (got = tok->api->sent_next(&k->sst, sp, NG_SPAN_BATCH)) > 0)
    for (i = 0; i < got && rc == LECTOR_OK; i++, k->sent++) {
      k->base = sp[i].offset;
      rc = tok->api->each(tok->opts, text->data + sp[i].offset,
                          sp[i].length, on_token, k, err);
    }
  tok->api->end(&k->sst);
  return rc;
}

/* Tokenize text into k->toks (sentence by sentence with the option). */
static int read_tokens(kctx *k, const lector_text *text, char **err) {
  const ng_tokens *tok = k->spec->tok;
  int rc;
  k->ntoks = 0;
  k->base = k->sent = 0;
  if (tok->sentences)
    rc = read_sentences(k, text, err);
  else
    rc = tok->api->each(tok->opts, text->data, text->len, on_token, k, err);
  if (rc == ENOUGH) rc = LECTOR_OK;
  if (rc == LECTOR_ENOMEM && !*err) *err = lk_errorf("out of memory");
  return rc;
}

static int matches(const kctx *k, size_t i) {
  const ng_kwic_spec *sp = k->spec;
  int j;
  for (j = 0; j < sp->plen; j++) {
    uint32_t want = sp->phrase[j];
    if (want && k->toks[i + (size_t)j].id != want) return 0;
  }
  return 1;
}

/* The hit of the phrase at tokens i..last of document doc, with up to
** win tokens of its sentence each side. */
static ng_hit make_hit(const kctx *k, size_t doc, size_t i, size_t last,
                       size_t win) {
  ng_hit h;
  size_t a = i, b = last;
  while (a > 0 && i - a < win && k->toks[a - 1].sent == k->toks[i].sent) a--;
  while (b + 1 < k->ntoks && b - last < win &&
         k->toks[b + 1].sent == k->toks[last].sent)
    b++;
  h.doc = doc;
  h.left = k->toks[a].offset;
  h.start = k->toks[i].offset;
  h.end = k->toks[last].end;
  h.right = k->toks[b].end;
  return h;
}

_Atomic uint64_t ng_kwic_docs;
_Atomic uint64_t ng_kwic_fallbacks;
_Atomic uint64_t ng_kwic_seek_docs;

/* ------------------------------------------------------------------------
** From a pack's checkpoints (ng_kwic_seek)
*/

/* Room for n stream ids in k->sids.  0 or -1. */
static int sids_room(kctx *k, size_t n) {
  uint32_t *v;
  if (n <= k->scap) return 0;
  if (!(v = lk_grow(k->sids, &k->scap, n, sizeof *v))) return -1;
  k->sids = v;
  if (!(v = lk_grow(k->cidx, &k->ccap, n, sizeof *v))) return -1;
  k->cidx = v;
  return 0;
}

/* Stream ids decoded past what a hit needs: the checkpoint's distance
** (K - 1 = 15 at most now) and a few empty words, without a second try. */
#define SLACK 24

/* Is the anchor's occurrence at stream position p of document doc a hit
** of the phrase?  The stream's ids around it (from the checkpoint at or
** before its context) say so, without tokenizing; a hit goes to k->sh.
** LECTOR_OK, FALLBACK, or an error with *err. */
static int seek_hit(kctx *k, size_t doc, size_t p, char **err) {
  const ng_kwic_seek *sk = k->spec->seek;
  size_t plen = (size_t)k->spec->plen, w = (size_t)k->spec->window;
  size_t j0 = (size_t)sk->anchor, need_l = j0 + w, need_r = plen - 1 - j0 + w;
  size_t s = p > need_l ? p - need_l : 0, want = p - s + need_r + SLACK;
  size_t first, off, got, i, nl, nr, nc, cs, a, b, j, x;
  int tries, rc;
  for (tries = 0;; tries++) {
    if (tries > 64) return FALLBACK;
    if (sids_room(k, want > need_l + need_r + 1 ? want
                                                : need_l + need_r + 1) != 0)
      return LECTOR_ENOMEM;
    got = want;
    rc = lk_host->doc_token_seek(sk->pack, doc, s, &first, &off, k->sids,
                                 &got, err);
    if (rc == LECTOR_ENOTFOUND) return FALLBACK;      /* no checkpoints */
    if (rc != LECTOR_OK) return rc;
    if (p - first >= got) {                /* not that far: the end? */
      if (got < want) return FALLBACK;     /* the index said otherwise */
      want *= 2;
      continue;
    }
    i = p - first;
    if (k->sids[i] != sk->pphrase[j0]) return FALLBACK;
    /* the words each side (an empty word is no word) */
    for (nl = 0, x = i; x > 0 && nl < need_l;)
      if (k->sids[--x] != sk->empty) k->cidx[need_l - ++nl] = (uint32_t)x;
    if (nl < need_l && first > 0) {        /* empty words: further back */
      s = first - 1;
      want = p - s + need_r + SLACK;
      continue;
    }
    for (nr = 0, x = i + 1; x < got && nr < need_r; x++)
      if (k->sids[x] != sk->empty) nr++;
    if (nr < need_r && got == want) {      /* not the end: further on */
      want *= 2;
      continue;
    }
    break;
  }
  /* cidx[need_l - nl .. need_l) left, then the anchor, then the right */
  memmove(k->cidx, k->cidx + (need_l - nl), nl * sizeof *k->cidx);
  nc = nl;
  k->cidx[nc++] = (uint32_t)i;
  for (x = i + 1; x < got && nc < nl + 1 + nr; x++)
    if (k->sids[x] != sk->empty) k->cidx[nc++] = (uint32_t)x;
  if (nl < j0 || nl - j0 + plen > nc) return LECTOR_OK;   /* no room */
  cs = nl - j0;
  for (j = 0; j < plen; j++) {
    uint32_t id = sk->pphrase[j];
    if (id != NG_KWIC_ANY && k->sids[k->cidx[cs + j]] != id)
      return LECTOR_OK;
  }
  a = cs > w ? cs - w : 0;
  b = cs + plen - 1 + w < nc ? cs + plen - 1 + w : nc - 1;
  if (k->nsh == k->shcap) {
    shit *v = lk_grow(k->sh, &k->shcap, k->nsh + 1, sizeof *v);
    if (!v) return LECTOR_ENOMEM;
    k->sh = v;
  }
  k->sh[k->nsh].from = first;
  k->sh[k->nsh].off = off;
  k->sh[k->nsh].a = first + k->cidx[a];
  k->sh[k->nsh].s = first + k->cidx[cs];
  k->sh[k->nsh].l = first + k->cidx[cs + plen - 1];
  k->sh[k->nsh].b = first + k->cidx[b];
  k->nsh++;
  return LECTOR_OK;
}

/* The tokenizer's callback over a stretch: each token must be the
** stream's (k->sids from the stretch's checkpoint), the first at the
** checkpoint's byte. */
static int on_seek_token(void *ud, const lector_tok_span *sp,
                         const char *norm, size_t norm_len) {
  kctx *k = ud;
  const ng_kwic_seek *sk = k->spec->seek;
  size_t t = k->rt++, wl;
  const char *w;
  if (t >= k->rn || (t == 0 && sp->offset != 0)) return FALLBACK;
  w = lk_host->tokens_word(sk->pack, k->sids[t], &wl);
  if (!w || wl != norm_len || memcmp(w, norm, wl) != 0) return FALLBACK;
  k->spans[t].off = (uint32_t)(k->roff + sp->offset);
  k->spans[t].end = (uint32_t)(k->roff + sp->offset + sp->length);
  return t + 1 == k->rn ? ENOUGH : 0;
}

/* Tokenize stream positions from .. end of document doc, from byte off
** of text, into k->spans, checked against the stream.  LECTOR_OK,
** FALLBACK, or an error with *err. */
static int seek_stretch(kctx *k, size_t doc, const lector_text *text,
                        size_t from, size_t off, size_t end, char **err) {
  const ng_kwic_seek *sk = k->spec->seek;
  const ng_tokens *tok = k->spec->tok;
  size_t first, off2, got = end - from + 1;
  int rc;
  if (sids_room(k, got) != 0) return LECTOR_ENOMEM;
  if (got > k->spcap) {
    kspan *v = lk_grow(k->spans, &k->spcap, got, sizeof *v);
    if (!v) return LECTOR_ENOMEM;
    k->spans = v;
  }
  rc = lk_host->doc_token_seek(sk->pack, doc, from, &first, &off2, k->sids,
                               &got, err);
  if (rc == LECTOR_ENOTFOUND) return FALLBACK;
  if (rc != LECTOR_OK) return rc;
  if (first != from || off2 != off || got != end - from + 1 ||
      off > text->len)
    return FALLBACK;
  k->rt = 0;
  k->rn = got;
  k->roff = off;
  rc = tok->api->each(tok->opts, text->data + off, text->len - off,
                      on_seek_token, k, err);
  if (rc == ENOUGH) return LECTOR_OK;
  if (rc == LECTOR_OK) return FALLBACK;   /* the text ended first */
  if (rc == FALLBACK) return rc;
  if (rc == LECTOR_ENOMEM && !*err) *err = lk_errorf("out of memory");
  return rc;
}

/* The hits of document doc from the pack's checkpoints: the anchor's
** occurrences matched in the stream, then one stretch tokenized per run
** of hits whose stretches meet.  LECTOR_OK, FALLBACK, or an error. */
static int seek_doc(kctx *k, size_t doc, const lector_text *text,
                    char **err) {
  const ng_kwic_seek *sk = k->spec->seek;
  const uint32_t *pos = sk->pos + sk->at[doc];
  size_t n = sk->count[doc], i, r, e;
  int rc;
  k->nsh = 0;
  for (i = 0; i < n; i++) {
    if ((i & 4095) == 4095 && lk_interrupted()) {
      *err = lk_errorf("interrupted");
      return LECTOR_EINTERRUPT;
    }
    if ((rc = seek_hit(k, doc, pos[i], err)) != LECTOR_OK) return rc;
  }
  for (r = 0; r < k->nsh; r = e) {
    size_t from = k->sh[r].from, off = k->sh[r].off, end = k->sh[r].b;
    for (e = r + 1; e < k->nsh && k->sh[e].from <= end + 1; e++) {
      if (k->sh[e].from < from) from = k->sh[e].from, off = k->sh[e].off;
      if (k->sh[e].b > end) end = k->sh[e].b;
    }
    rc = seek_stretch(k, doc, text, from, off, end, err);
    if (rc != LECTOR_OK) return rc;
    for (i = r; i < e; i++) {
      const shit *x = &k->sh[i];
      ng_hit h;
      h.doc = doc;
      h.left = k->spans[x->a - from].off;
      h.start = k->spans[x->s - from].off;
      h.end = k->spans[x->l - from].end;
      h.right = k->spans[x->b - from].end;
      if (push_hit(&k->hits, &h) != 0) return LECTOR_ENOMEM;
    }
  }
  return LECTOR_OK;
}

static int find_doc(void *ctx, size_t doc, const lector_text *text,
                    char **err) {
  kctx *k = ctx;
  size_t i, plen = (size_t)k->spec->plen, win = (size_t)k->spec->window;
  int rc;
  if (k->spec->seek && k->spec->seek->count[doc] &&
      !k->spec->tok->sentences) {
    size_t had = k->hits.n;
    rc = seek_doc(k, doc, text, err);
    if (rc == LECTOR_OK) {
      atomic_fetch_add_explicit(&ng_kwic_seek_docs, 1, memory_order_relaxed);
      return rc;
    }
    if (rc == LECTOR_ENOMEM && !*err) *err = lk_errorf("out of memory");
    if (rc != FALLBACK) return rc;
    if (*err) lk_free(*err);
    *err = NULL;
    k->hits.n = had;                     /* this document's, again below */
    atomic_fetch_add_explicit(&ng_kwic_fallbacks, 1, memory_order_relaxed);
  }
  k->seen = k->after = 0;
  k->upto = k->upto_ && !k->spec->tok->sentences ? k->upto_[doc] : 0;
  rc = read_tokens(k, text, err);
  if (rc != LECTOR_OK) return rc;
  atomic_fetch_add_explicit(&ng_kwic_docs, 1, memory_order_relaxed);
  for (i = 0; i + plen <= k->ntoks; i++) {
    size_t last = i + plen - 1;
    ng_hit h;
    if (!matches(k, i) || k->toks[i].sent != k->toks[last].sent) continue;
    h = make_hit(k, doc, i, last, win);
    if (push_hit(&k->hits, &h) != 0) {
      *err = lk_errorf("out of memory");
      return LECTOR_ENOMEM;
    }
  }
  return LECTOR_OK;
}

static int hit_cmp(const void *pa, const void *pb) {
  const ng_hit *a = pa, *b = pb;
  if (a->doc != b->doc) return a->doc < b->doc ? -1 : 1;
  return a->start < b->start ? -1 : a->start > b->start;
}

/* Move every worker's hits into out, sorted.  0 or -1. */
static int gather(kctx *ks, int n, ng_hits *out) {
  size_t total = 0, at = 0;
  int i;
  for (i = 0; i < n; i++) total += ks[i].hits.n;
  out->v = lk_alloc((total ? total : 1) * sizeof *out->v);
  if (!out->v) return -1;
  out->cap = total;
  for (i = 0; i < n; i++) {
    if (ks[i].hits.n)
      memcpy(out->v + at, ks[i].hits.v, ks[i].hits.n * sizeof *out->v);
    at += ks[i].hits.n;
  }
  out->n = total;
  qsort(out->v, total, sizeof *out->v, hit_cmp);
  return 0;
}

/* The phrase's distinct words into kw, or kw->n = 0 when there are more
** than KW_WORDS (or a word has no text). */
static void phrase_words(const ng_kwic_spec *spec, kwords *kw) {
  int i, j;
  kw->n = 0;
  for (i = 0; i < spec->plen; i++) {
    uint32_t id = spec->phrase[i];
    if (!id) continue;
    for (j = 0; j < kw->n && kw->id[j] != id; j++) {}
    if (j < kw->n) continue;
    if (kw->n == KW_WORDS || !lk_env_cur.vocab_string ||
        !(kw->s[kw->n] = lk_env_cur.vocab_string(id, &kw->len[kw->n]))) {
      kw->n = 0;
      return;
    }
    kw->id[kw->n++] = id;
  }
}

int ng_kwic_run(const ng_kwic_spec *spec, const ng_docs *docs, ng_hits *out,
                char **err) {
  kwords kw;
  kctx ks[LECTOR_MAX_THREADS];
  void *ctx[LECTOR_MAX_THREADS];
  lector_pool pool;
  ng_wordcache lex;
  int n = docs->nworkers, i, rc;
  memset(out, 0, sizeof *out);
  if (n < 1 || n > LECTOR_MAX_THREADS) {
    *err = lk_errorf("bad number of workers (%d)", n);
    return LECTOR_ERR;
  }
  memset(ks, 0, sizeof ks);
  ng_wordcache_init(&lex);
  phrase_words(spec, &kw);
  for (i = 0; i < n; i++) {
    ks[i].spec = spec;
    ks[i].words = &kw;
    ks[i].upto_ = docs->upto;
    ks[i].lex = &lex;
    ctx[i] = &ks[i];
  }
  memset(&pool, 0, sizeof pool);
  pool.struct_size = sizeof pool;
  pool.nworkers = n;
  pool.ctx = ctx;
  pool.fn = find_doc;
  pool.skip = docs->skip;
  rc = docs->run(docs->ud, &pool, err);
  if (rc == LECTOR_OK && gather(ks, n, out) != 0) {
    *err = lk_errorf("out of memory");
    rc = LECTOR_ENOMEM;
  }
  for (i = 0; i < n; i++) {
    lk_free(ks[i].toks);
    lk_free(ks[i].sids);
    lk_free(ks[i].cidx);
    lk_free(ks[i].sh);
    lk_free(ks[i].spans);
    ng_kwic_hits_free(&ks[i].hits);
  }
  ng_wordcache_free(&lex);
  return rc;
}

static int is_space(unsigned char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
         c == '\v';
}

void ng_kwic_clean(const char *text, uint32_t a, uint32_t b, ng_buf *out) {
  int pending = 0;
  out->n = 0;
  ng_buf_add(out, "", 0);
  for (; a < b; a++) {
    unsigned char c = (unsigned char)text[a];
    if (is_space(c)) {
      pending = out->n > 0;
      continue;
    }
    if (pending) ng_buf_addc(out, ' ');
    pending = 0;
    ng_buf_addc(out, (char)c);
  }
}
