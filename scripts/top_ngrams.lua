-- top_ngrams.lua: the most frequent words or n-grams of a corpus, with the
-- number of documents each one appears in (df), overall or per period.
--
-- usage: lector scripts/top_ngrams.lua [CORPUS] [--n N] [--top K]
--          [--stopwords | --no-stopwords] [--by month|year|date] [--json]
--
--   lector scripts/top_ngrams.lua                   bigrams of the sample corpus
--   lector scripts/top_ngrams.lua news/ --n 3 --by month --top 5
--
-- The ngram plugin does the counting (in C, on all cores); this script
-- only chooses the options and prints the table.

local cli = require "lib.cli"
local ngram = require "lector.ngram"

local spec = {
  usage = "lector scripts/top_ngrams.lua [CORPUS] [options]",
  about = "The most frequent n-grams, with their count and document frequency (df).",
  options = {
    {"n", "N", "n-gram length, 1 to 5", default = 2, min = 1, max = 5},
    {"top", "K", "rows to show (per period with --by)", default = 20, min = 1},
    {"stopwords", nil, "leave out n-grams with a stop word", default = true},
    {"by", "PERIOD", "one table per month, year or date",
      choices = {"month", "year", "date"}},
  },
}
local o, args = cli.parse(arg, spec)
local corpus = cli.corpus(args[1])

local names = {"word", "bigram", "trigram"}
local name = names[o.n] or (o.n .. "-gram")

-- One count table, or with --by one per period ({period = table}).
local counts = ngram.count(corpus, {n = o.n, stopwords = o.stopwords, by = o.by})

-- The rows of one table: {key =, docs =, total =, rows = {{gram, count, df}}}.
local function summary(key, t)
  return {key = key, docs = t:docs(), total = t:total(), rows = t:top(o.top)}
end

local groups = {}
if o.by then
  for key, t in pairs(counts) do groups[#groups + 1] = summary(key, t) end
else
  groups[1] = summary(nil, counts)
end

if o.json then
  print(cli.json({n = o.n, stopwords = o.stopwords, by = o.by, groups = groups}))
  return
end

print(string.format("Top %d %ss in %s (%d documents%s)", o.top, name,
  args[1] or "the sample corpus", #corpus,
  o.stopwords and ", stop words left out" or ""))
for _, g in ipairs(groups) do
  print()
  if g.key then
    print(string.format("%s (%d documents)", g.key, g.docs))
  end
  cli.table(g.rows, {
    {key = "gram", title = name, width = 50},
    {key = "count", title = "count", fmt = "%d"},
    {key = "df", title = "df", fmt = "%d"},
  })
end
