-- collocations.lua: word pairs (or triples) that occur together more often
-- than chance would have it: names, set phrases, recurring topics.
--
-- usage: lector scripts/collocations.lua [CORPUS] [--measure llr|pmi|t|chi2]
--          [--min-count N] [--top K] [--n 2|3] [--no-stopwords] [--json]
--
--   lector scripts/collocations.lua                    the sample corpus, by llr
--   lector scripts/collocations.lua news/ --measure pmi --min-count 5
--
-- Measures (computed by the ngram plugin, ngram.collocations):
--   llr   log-likelihood ratio (G2): reliable at every frequency (default)
--   pmi   pointwise mutual information: favours rare, exclusive pairs
--   t     t-score: favours frequent pairs
--   chi2  Pearson's chi-squared

local cli = require "lib.cli"
local ngram = require "lector.ngram"

local spec = {
  usage = "lector scripts/collocations.lua [CORPUS] [options]",
  about = "Collocations ranked by an association measure.",
  options = {
    {"measure", "NAME", "llr, pmi, t or chi2", default = "llr",
      choices = {"llr", "pmi", "t", "chi2"}},
    {"min-count", "N", "leave out pairs seen fewer times", default = 3, min = 1},
    {"top", "K", "rows to show", default = 20, min = 1},
    {"n", "N", "2 for pairs, 3 for triples", default = 2, min = 2, max = 3},
    {"stopwords", nil, "leave out pairs with a stop word", default = true},
  },
}
local o, args = cli.parse(arg, spec)
local corpus = cli.corpus(args[1])

-- Each row has gram, count, and every measure (llr, pmi, t, chi2); rows
-- are sorted by the chosen one.
local rows = ngram.collocations(corpus, {n = o.n, measure = o.measure,
  min_count = o.min_count, top = o.top, stopwords = o.stopwords})

if o.json then
  print(cli.json({measure = o.measure, n = o.n, min_count = o.min_count, rows = rows}))
  return
end

print(string.format("Top %d collocations in %s by %s (seen at least %d times%s)",
  o.top, args[1] or "the sample corpus", o.measure, o.min_count,
  o.stopwords and ", stop words left out" or ""))
print()
cli.table(rows, {
  {key = "gram", title = "collocation", width = 50},
  {key = "count", title = "count", fmt = "%d"},
  {key = "llr", title = "llr", fmt = "%.1f"},
  {key = "pmi", title = "pmi", fmt = "%.2f"},
  {key = "t", title = "t", fmt = "%.2f"},
  {key = "chi2", title = "chi2", fmt = "%.1f"},
})
