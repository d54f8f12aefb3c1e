/*
** ng_order.h -- the orders of n-grams: the file order (escaped grams in
** byte order), top-k by count, and turning keys into strings and back.
**
** File order.  A gram is written as its words joined by single spaces,
** each word escaped (ng_format.h): "\\" "\t" "\n" "\r", a space inside a
** word as "\s", other bytes below 0x20 as "\xHH".  Escaped words hold no
** byte <= 0x20, so comparing the joined strings byte by byte is the same
** as comparing word by word (a word that is a prefix of another comes
** first).  Every order here is that one, so `each`, `save` and the
** tie-break of `top` agree with `LC_ALL=C sort` of a saved file.
**
** Words come from the env's vocabulary (lector/kit.h).  Results are
** arrays of slot indices (uint32_t) of the table, in lk_alloc memory; the
** caller frees them with lk_free.  Functions return 0, or -1 on out of
** memory or when lk_interrupted() says stop (a big sort polls it;
** ask lk_interrupted() which).
*/
#ifndef NG_ORDER_H
#define NG_ORDER_H

#include <stddef.h>
#include <stdint.h>

#include "ng_buf.h"
#include "ng_table.h"

/* Compare the escaped forms of words a and b: <0, 0, >0. */
int ng_word_cmp(const char *a, size_t an, const char *b, size_t bn);

/* Compare grams a and b (keys of width ids) in file order. */
int ng_gram_cmp(const uint32_t *a, const uint32_t *b, int width);

/* Compare gram a (width wa) with gram b (width wb) in file order. */
int ng_gram_cmp2(const uint32_t *a, int wa, const uint32_t *b, int wb);

/* Slot indices of t's grams of length len (0: every length) in file
** order, into *idx / *n. */
int ng_order_sorted(const ng_table *t, int len, uint32_t **idx, size_t *n);

/* Slot indices of the k most frequent grams of length len (0: any) of t,
** by count (descending), then file order. */
int ng_order_top(const ng_table *t, size_t k, int len, uint32_t **idx,
                 size_t *n);

/* Append the words of key (width ids) joined by spaces to b. */
void ng_gram_string(const uint32_t *key, int width, ng_buf *b);

/* Parse the gram s[0..n) (words separated by single spaces) into key
** (width ids, zero-padded) using lookup (ids of known words; 0 if
** unknown).  Returns the number of words, 0 when s is empty, has an empty
** word, or has more than width words, or -1 when a word is unknown. */
int ng_gram_parse(const char *s, size_t n, uint32_t *key, int width,
                  uint32_t (*lookup)(const char *s, size_t len));

#endif
