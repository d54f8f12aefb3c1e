/*
** cl_words.h -- two small word lists the rules consult, both lower-case
** ASCII: English function words (a tag line has none; a glued token
** often starts or ends with one), and closed compounds made of such
** words that must never be split (into, within, cannot, another ...).
** A third and fourth list hold the usual first and last parts of closed
** compounds (underlined, counterweight, nationwide).
** They describe English grammar, not any corpus: what is boilerplate or
** a word of a corpus is decided by its own counts.
*/
#ifndef CL_WORDS_H
#define CL_WORDS_H

#include <stddef.h>

/* 1 if s[0..n) (ASCII, any case) is a function word. */
int cl_function_word(const char *s, size_t n);

/* 1 if s[0..n) (ASCII, any case) often starts a closed compound (under-,
** counter-, in-, over- ...) or ends one (-lined, -weight, -ship, -wide
** ...): a split there needs a function word on the other side. */
int cl_compound_head(const char *s, size_t n);
int cl_compound_tail(const char *s, size_t n);

/* 1 if s[0..n) (lower-case ASCII) is a compound never split. */
int cl_protected_word(const char *s, size_t n);

#endif
