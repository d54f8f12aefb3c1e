/*
** tok_reference.h -- the plain segmenter's tokens, for tests: what every
** fast path of the tokenize engine must reproduce.  Shared by
** test_tokenize.c and fuzz_tokenize.c (include after the engine headers).
*/
#ifndef LECTOR_TOK_REFERENCE_H
#define LECTOR_TOK_REFERENCE_H

/* The plain segmenter's tokens (tok_seg_next, white space skipped, kinds
** filtered): what the fast paths must reproduce. */
static inline size_t ref_tokens(const lector_tok_opts *o, const uint8_t *s, size_t n,
                         lector_tok_span *out, size_t cap) {
  size_t p = 0, k = 0;
  while (p < n && k < cap) {
    tok_seg seg;
    size_t e;
    int kind;
    unsigned flags;
    if (tok_ascii[s[p]] & TOK_A_SP) { p++; continue; }
    e = tok_seg_next(s, n, p, o->seg, &seg);
    kind = seg.kind;
    flags = seg.flags;
    if (kind == TOK_K_INVALID) {
      if (o->cfg.invalid != LECTOR_TOK_INVALID_REPLACE) { p = e; continue; }
      kind = LECTOR_TOK_SYMBOL;
      flags |= LECTOR_TOKF_INVALID;
    }
    if ((o->keep >> kind) & 1u) {
      out[k].offset = (uint32_t)p;
      out[k].length = (uint32_t)(e - p);
      out[k].kind = (uint16_t)kind;
      out[k].flags = (uint16_t)flags;
      out[k].id = 0;
      k++;
    }
    p = e;
  }
  return k;
}

#endif
