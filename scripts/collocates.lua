-- collocates.lua: the words found near a word or a phrase (the node), as
-- AntConc's Collocates tool lists them: how often each one stands within
-- a few words to its left and right, and how strongly it is attracted.
--
-- usage: lector scripts/collocates.lua [CORPUS] NODE [--left N] [--right N]
--          [--measure llr|mi|t|dice|logdice|freq] [--min-count N] [--top K]
--          [--stopwords] [--sentences] [--by month|year|date] [--json]
--
--   lector scripts/collocates.lua flood                   in the sample corpus
--   lector scripts/collocates.lua news/ "interest rates" --left 3 --right 3
--   lector scripts/collocates.lua news/ oil --measure logdice --by year
--
-- A word counts once for each occurrence of the node whose span holds it
-- (so it may count twice when two occurrences are close), within one
-- document, and across sentence ends unless --sentences.  With --stopwords
-- stop words keep their place in the span but are not listed.  Measures
-- (ngram.collocates; formulas in docs/statistics.md):
--   llr      log-likelihood (G2): reliable at every frequency (default)
--   mi       mutual information: favours rare, exclusive collocates
--   t        t-score: favours frequent collocates
--   dice, logdice   shared frequency, independent of the corpus size
--   freq     the count itself

local cli = require "lib.cli"
local ngram = require "lector.ngram"

local spec = {
  usage = "lector scripts/collocates.lua [CORPUS] NODE [options]",
  about = "The collocates of NODE (a word or a phrase) within a span.",
  options = {
    {"left", "N", "words of span to the left", default = 5, min = 0, max = 1000},
    {"right", "N", "words of span to the right", default = 5, min = 0, max = 1000},
    {"measure", "NAME", "llr, mi, t, dice, logdice or freq", default = "llr",
      choices = {"llr", "mi", "t", "dice", "logdice", "freq"}},
    {"min-count", "N", "leave out collocates seen fewer times", default = 2, min = 1},
    {"top", "K", "rows to show (per period with --by)", default = 20, min = 1},
    {"stopwords", nil, "leave stop words out of the list", default = false},
    {"sentences", nil, "spans stop at sentence ends", default = false},
    {"by", "PERIOD", "one table per month, year or date",
      choices = {"month", "year", "date"}},
  },
}
local o, args = cli.parse(arg, spec)
if #args < 1 or #args > 2 then
  cli.misuse(spec, "expected [CORPUS] NODE, got %d arguments", #args)
end
if o.left + o.right == 0 then
  cli.misuse(spec, "--left and --right are both 0: the span is empty")
end
local path, node = args[#args - 1], args[#args]
local corpus = cli.corpus(path)

local ok, result = pcall(ngram.collocates, corpus, node, {
  span = {o.left, o.right}, measure = o.measure, min_count = o.min_count,
  stopwords = o.stopwords, sentences = o.sentences, by = o.by})
if not ok then cli.fail("%s", result) end

-- One group: {key =, node_count =, tokens =, rows = the first o.top}.
local function summary(key, rows)
  return {key = key, node_count = rows.node_count, tokens = rows.tokens,
    collocates = #rows, rows = table.move(rows, 1, math.min(o.top, #rows), 1, {})}
end
local groups = {}
if o.by then
  for key, rows in pairs(result) do groups[#groups + 1] = summary(key, rows) end
else
  groups[1] = summary(nil, result)
end

if o.json then
  print(cli.json({node = node, span = {o.left, o.right}, measure = o.measure,
    min_count = o.min_count, stopwords = o.stopwords, sentences = o.sentences,
    by = o.by, groups = groups}))
  return
end

print(string.format('Collocates of "%s" in %s, span %dL %dR, by %s (seen at ' ..
  'least %d times%s%s)', node, path or "the sample corpus", o.left, o.right,
  o.measure, o.min_count, o.stopwords and ", stop words left out" or "",
  o.sentences and ", within sentences" or ""))
for _, g in ipairs(groups) do
  print()
  print(string.format("%s%s of %s tokens; %s%s", g.key and (g.key .. ": ") or "",
    cli.plural(g.node_count, "occurrence"), g.tokens,
    cli.plural(g.collocates, "collocate"),
    #g.rows < g.collocates and string.format(" (the first %d)", #g.rows) or ""))
  cli.table(g.rows, {
    {key = "word", title = "collocate", width = 30},
    {key = "left", title = "left", fmt = "%d"},
    {key = "right", title = "right", fmt = "%d"},
    {key = "count", title = "count", fmt = "%d"},
    {key = "f_word", title = "freq", fmt = "%d"},
    {key = "score", title = o.measure, fmt = o.measure == "freq" and "%d" or "%.2f"},
  })
end
