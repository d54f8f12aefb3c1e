/*
** tok_stop.c -- stop-word sets and the built-in English list.
*/
#include <stdint.h>
#include <string.h>

#include "lector/kit.h"
#include "tok_stop.h"

const char *const tok_stop_english[] = {
  "a", "about", "above", "after", "again", "against", "all", "almost",
  "also", "am", "among", "an", "and", "any", "are", "aren't", "as", "at",
  "be", "because", "been", "before", "being", "below", "between", "both",
  "but", "by", "can", "can't", "cannot", "could", "couldn't", "did",
  "didn't", "do", "does", "doesn't", "doing", "don't", "down", "during",
  "each", "either", "else", "ever", "few", "for", "from", "further", "had",
  "hadn't", "has", "hasn't", "have", "haven't", "having", "he", "he'd",
  "he'll", "he's", "her", "here", "here's", "hers", "herself", "him",
  "himself", "his", "how", "how's", "however", "i", "i'd", "i'll", "i'm",
  "i've", "if", "in", "into", "is", "isn't", "it", "it's", "its", "itself",
  "just", "let's", "may", "me", "might", "more", "most", "must", "mustn't",
  "my", "myself", "neither", "no", "nor", "not", "now", "of", "off", "on",
  "once", "only", "or", "other", "ought", "our", "ours", "ourselves", "out",
  "over", "own", "same", "shall", "shan't", "she", "she'd", "she'll",
  "she's", "should", "shouldn't", "since", "so", "some", "such", "than",
  "that", "that's", "the", "their", "theirs", "them", "themselves", "then",
  "there", "there's", "these", "they", "they'd", "they'll", "they're",
  "they've", "this", "those", "though", "through", "thus", "to", "too",
  "toward", "towards", "under", "until", "up", "upon", "us", "very", "was",
  "wasn't", "we", "we'd", "we'll", "we're", "we've", "were", "weren't",
  "what", "what's", "when", "when's", "where", "where's", "whether",
  "which", "while", "who", "who's", "whom", "whose", "why", "why's", "will",
  "with", "within", "without", "won't", "would", "wouldn't", "yet", "you",
  "you'd", "you'll", "you're", "you've", "your", "yours", "yourself",
  "yourselves", NULL
};

typedef struct slot {
  uint32_t hash;
  uint32_t len;
  char *word;                 /* NULL: empty slot */
} slot;

struct tok_stopset {
  slot *slots;
  size_t cap;                 /* a power of two */
  size_t count;
};

/* FNV-1a, 32 bits. */
static uint32_t hash_bytes(const char *w, size_t len) {
  uint32_t h = 2166136261u;
  size_t i;
  for (i = 0; i < len; i++) h = (h ^ (unsigned char)w[i]) * 16777619u;
  return h;
}

tok_stopset *tok_stop_new(void) {
  tok_stopset *set = lk_alloc(sizeof *set);
  if (!set) return NULL;
  set->cap = 256;
  set->count = 0;
  set->slots = lk_alloc(set->cap * sizeof *set->slots);
  if (!set->slots) {
    lk_free(set);
    return NULL;
  }
  memset(set->slots, 0, set->cap * sizeof *set->slots);
  return set;
}

static slot *find(const tok_stopset *set, uint32_t h, const char *w,
                  size_t len) {
  size_t i = h & (set->cap - 1);
  for (;;) {
    slot *s = &set->slots[i];
    if (!s->word ||
        (s->hash == h && s->len == len && memcmp(s->word, w, len) == 0))
      return s;
    i = (i + 1) & (set->cap - 1);
  }
}

static int grow(tok_stopset *set) {
  size_t cap = set->cap * 2, i;
  slot *old = set->slots, *slots = lk_alloc(cap * sizeof *slots);
  if (!slots) return -1;
  memset(slots, 0, cap * sizeof *slots);
  set->slots = slots;
  set->cap = cap;
  for (i = 0; i < cap / 2; i++)
    if (old[i].word) *find(set, old[i].hash, old[i].word, old[i].len) = old[i];
  lk_free(old);
  return 0;
}

int tok_stop_add(tok_stopset *set, const char *w, size_t len) {
  uint32_t h = hash_bytes(w, len);
  slot *s;
  if ((set->count + 1) * 2 > set->cap && grow(set) != 0) return -1;
  s = find(set, h, w, len);
  if (s->word) return 0;
  s->word = lk_alloc(len + 1);
  if (!s->word) return -1;
  memcpy(s->word, w, len);
  s->word[len] = '\0';
  s->hash = h;
  s->len = (uint32_t)len;
  set->count++;
  return 0;
}

int tok_stop_has(const tok_stopset *set, const char *w, size_t len) {
  return find(set, hash_bytes(w, len), w, len)->word != NULL;
}

size_t tok_stop_count(const tok_stopset *set) { return set->count; }

/* Each word's 64-bit FNV-1a, summed: the same for the same words in any
** order of insertion. */
uint64_t tok_stop_hash(const tok_stopset *set) {
  uint64_t sum = 0;
  size_t i, k;
  for (i = 0; i < set->cap; i++) {
    const slot *s = &set->slots[i];
    uint64_t h = 14695981039346656037ull;
    if (!s->word) continue;
    for (k = 0; k < s->len; k++)
      h = (h ^ (unsigned char)s->word[k]) * 1099511628211ull;
    sum += h;
  }
  return sum;
}

void tok_stop_free(tok_stopset *set) {
  size_t i;
  if (!set) return;
  for (i = 0; i < set->cap; i++) lk_free(set->slots[i].word);
  lk_free(set->slots);
  lk_free(set);
}
