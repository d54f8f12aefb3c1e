/*
** cl_words.c -- the function-word and protected-compound lists.  Both
** are sorted so that a lookup is a binary search.
*/
#include <stdlib.h>
#include <string.h>

#include "cl_words.h"

static const char *const function_words[] = {
  "a", "about", "above", "after", "again", "against", "all", "also", "am",
  "an", "and", "any", "are", "as", "at", "be", "because", "been", "before",
  "being", "below", "between", "both", "but", "by", "can", "could", "did",
  "do", "does", "during", "each", "few", "for", "from", "had", "has",
  "have", "having", "he", "her", "here", "hers", "him", "his", "how", "i",
  "if", "in", "into", "is", "it", "its", "may", "me", "might", "more",
  "most", "must", "my", "no", "nor", "not", "of", "off", "on", "once",
  "only", "or", "other", "our", "ours", "out", "over", "own", "same",
  "shall", "she", "should", "so", "some", "such", "than", "that", "the",
  "their", "theirs", "them", "then", "there", "these", "they", "this",
  "those", "through", "to", "too", "under", "until", "up", "upon", "us",
  "very", "was", "we", "were", "what", "when", "where", "which", "while",
  "who", "whom", "why", "will", "with", "would", "you", "your", "yours",
};

static const char *const protected_words[] = {
  "ahead", "already", "also", "although", "altogether", "always", "another",
  "anybody", "anyhow", "anyone", "anything", "anyway", "anywhere", "because",
  "become", "becomes", "before", "behind", "beside", "besides", "cannot",
  "elsewhere", "everybody", "everyone", "everything", "everywhere",
  "forever", "furthermore", "hereafter", "hereby", "herein", "hereto",
  "hereupon", "herself", "himself", "however", "inform", "inside", "instead",
  "into", "itself", "meantime", "meanwhile", "moreover", "myself",
  "nevertheless", "nobody", "nothing", "notwithstanding", "nowhere", "onto",
  "ourselves", "outside", "overall", "somebody", "somehow", "someone",
  "something", "sometime", "sometimes", "somewhat", "somewhere",
  "themselves", "thereafter", "thereby", "therefore", "therein", "thereof",
  "thereto", "throughout", "today", "together", "tonight", "toward",
  "towards", "upon", "whatever", "whenever", "whereas", "whereby",
  "whereupon", "wherever", "whether", "whoever", "within", "without",
  "yourself", "yourselves",
};

static const char *const compound_heads[] = {
  "after", "anti", "as", "auto", "back", "by", "counter", "cross", "down",
  "east", "electro", "extra", "for", "fore", "hydro", "in", "inter", "into",
  "macro", "mega", "micro", "mid", "multi", "nano", "non", "north", "off",
  "on", "out", "over", "photo", "post", "pre", "re", "semi", "south", "sub",
  "super", "tele", "through", "trans", "ultra", "under", "up", "west",
  "with",
};

static const char *const compound_tails[] = {
  "ability", "able", "ably", "back", "book", "books", "craft", "day", "days",
  "down", "field", "fields", "fold", "fully", "ground", "hold", "holder",
  "holders", "hood", "house", "land", "less", "light", "like", "line",
  "lined", "lines", "long", "maker", "makers", "man", "mark", "marks", "men",
  "ness", "off", "out", "over", "paper", "papers", "place", "point", "port",
  "ports", "room", "self", "selves", "ship", "ships", "shire", "side",
  "some", "stone", "time", "times", "ton", "town", "up", "walk", "ward",
  "wards", "water", "way", "ways", "weight", "wide", "woman", "women",
  "wood", "work", "works", "worthy", "yard",
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* Binary search of the lower-cased s[0..n) in list. */
static int find(const char *const *list, size_t count, const char *s,
                size_t n) {
  char buf[32];
  if (n == 0 || n >= sizeof buf) return 0;
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    buf[i] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
  }
  buf[n] = '\0';
  size_t lo = 0, hi = count;
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    int d = strcmp(buf, list[mid]);
    if (d == 0) return 1;
    if (d < 0) hi = mid;
    else lo = mid + 1;
  }
  return 0;
}

int cl_function_word(const char *s, size_t n) {
  return find(function_words, COUNT(function_words), s, n);
}

int cl_protected_word(const char *s, size_t n) {
  return find(protected_words, COUNT(protected_words), s, n);
}

int cl_compound_head(const char *s, size_t n) {
  return find(compound_heads, COUNT(compound_heads), s, n);
}

int cl_compound_tail(const char *s, size_t n) {
  return find(compound_tails, COUNT(compound_tails), s, n);
}
