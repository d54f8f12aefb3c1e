/*
** vader_lists.c -- VADER's word lists (see vader_lists.h for the credit:
** Hutto & Gilbert, ICWSM 2014; vaderSentiment, MIT licence).
*/
#include "vader_lists.h"

const char *const vader_negate[] = {
  "aint", "arent", "cannot", "cant", "couldnt", "darent", "didnt", "doesnt",
  "ain't", "aren't", "can't", "couldn't", "daren't", "didn't", "doesn't",
  "dont", "hadnt", "hasnt", "havent", "isnt", "mightnt", "mustnt",
  "neither", "don't", "hadn't", "hasn't", "haven't", "isn't", "mightn't",
  "mustn't", "neednt", "needn't", "never", "none", "nope", "nor", "not",
  "nothing", "nowhere", "oughtnt", "shant", "shouldnt", "uhuh", "wasnt",
  "werent", "oughtn't", "shan't", "shouldn't", "uh-uh", "wasn't",
  "weren't", "without", "wont", "wouldnt", "won't", "wouldn't", "rarely",
  "seldom", "despite", NULL
};

const char *const vader_boosters[] = {
  "absolutely", "amazingly", "awfully", "completely", "considerably",
  "decidedly", "deeply", "effing", "enormously", "entirely", "especially",
  "exceptionally", "extremely", "fabulously", "flipping", "flippin",
  "fricking", "frickin", "frigging", "friggin", "fully", "fucking",
  "greatly", "hella", "highly", "hugely", "incredibly", "intensely",
  "majorly", "more", "most", "particularly", "purely", "quite", "really",
  "remarkably", "so", "substantially", "thoroughly", "totally",
  "tremendously", "uber", "unbelievably", "unusually", "utterly", "very",
  NULL
};

const char *const vader_dampeners[] = {
  "almost", "barely", "hardly", "kinda", "kindof", "kind-of", "less",
  "little", "marginally", "occasionally", "partly", "scarcely", "slightly",
  "somewhat", "sorta", "sortof", "sort-of", NULL
};

const char *const vader_booster_pairs[][2] = {
  {"just", "enough"}, {"kind", "of"}, {"sort", "of"}, {NULL, NULL}
};

const vader_idiom vader_idioms[] = {
  {{"the", "shit", NULL}, 2, 3.0},
  {{"the", "bomb", NULL}, 2, 3.0},
  {{"bad", "ass", NULL}, 2, 1.5},
  {{"yeah", "right", NULL}, 2, -2.0},
  {{"cut", "the", "mustard"}, 3, 2.0},
  {{"kiss", "of", "death"}, 3, -1.5},
  {{"hand", "to", "mouth"}, 3, -2.0},
};

const size_t vader_nidioms = sizeof vader_idioms / sizeof vader_idioms[0];

const char *const vader_vs_boosters[] = {
  "considerable", "enormous", "exceptional", "extreme", "frackin",
  "fracking", "fuckin", "fuggin", "fugging", "incredible", "major",
  "total", "tremendous", "utter", NULL
};

const char *const vader_vs_dampeners[] = {
  "marginal", "occasional", "scarce", "slight", NULL
};

const vader_idiom vader_vs_idioms[] = {
  {{"the", "shit", NULL}, 2, 3.0},
  {{"the", "bomb", NULL}, 2, 3.0},
  {{"bad", "ass", NULL}, 2, 1.5},
  {{"bus", "stop", NULL}, 2, 0.0},
  {{"yeah", "right", NULL}, 2, -2.0},
  {{"kiss", "of", "death"}, 3, -1.5},
  {{"to", "die", "for"}, 3, 3.0},
  {{"beating", "heart", NULL}, 2, 3.1},
  {{"broken", "heart", NULL}, 2, -2.9},
};

const size_t vader_vs_nidioms =
    sizeof vader_vs_idioms / sizeof vader_vs_idioms[0];

const vader_entry vader_vs_lexicon[] = {
  {"badass", 1.4}, {"flawed", -2.1}, {"heart", 3.2}, {"hearts", 3.3},
  {NULL, 0}
};
