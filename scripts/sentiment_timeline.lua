-- sentiment_timeline.lua: how the tone of a corpus changes over time: the
-- mean VADER compound score of the sentences of each month (or year, or
-- day), the share of positive and negative sentences, and a bar chart.
--
-- usage: lector scripts/sentiment_timeline.lua [CORPUS] [--by month|date|year] [--json]
--
--   lector scripts/sentiment_timeline.lua              the sample corpus by month
--   lector scripts/sentiment_timeline.lua speeches/ --by year
--
-- compound runs from -1 (most negative) to +1 (most positive); pos and neg
-- are the shares of sentences scoring above 0.05 and below -0.05.  The
-- scoring is done by the sentiment plugin (sentiment.corpus, all cores).

local cli = require "lib.cli"
local sentiment = require "lector.sentiment"

local spec = {
  usage = "lector scripts/sentiment_timeline.lua [CORPUS] [options]",
  about = "Sentiment per period: mean compound score, shares of positive and negative sentences.",
  options = {
    {"by", "PERIOD", "month, date or year", default = "month",
      choices = {"month", "date", "year"}},
  },
}
local o, args = cli.parse(arg, spec)
local corpus = cli.corpus(args[1])

-- Without the default VADER lexicon (no npm at build time) there is
-- nothing to show: one line says why, with no traceback.
local ok, r = pcall(sentiment.corpus, corpus, {by = o.by})
if not ok then cli.fail("%s", r) end
local dated = 0
for _, g in ipairs(r.groups) do dated = dated + g.docs end

if o.json then
  print(cli.json({by = o.by, groups = r.groups, total = r.total,
    undated = r.total.docs - dated}))
  return
end

-- A bar around a centre line: negative scores grow to the left of "|",
-- positive ones to the right; the largest score in the table fills `half`.
local half, largest = 20, 0
for _, g in ipairs(r.groups) do largest = math.max(largest, math.abs(g.compound)) end
local function bar(score)
  local n = largest > 0 and math.floor(math.abs(score) / largest * half + 0.5) or 0
  if score < 0 then
    return string.rep(" ", half - n) .. string.rep("#", n) .. "|"
  end
  return string.rep(" ", half) .. "|" .. string.rep("#", n)
end

local rows = {}
for _, g in ipairs(r.groups) do
  rows[#rows + 1] = {key = g.key, docs = g.docs, sentences = g.sentences,
    compound = g.compound, pos = g.pos * 100, neg = g.neg * 100, bar = bar(g.compound)}
end
local t = r.total
rows[#rows + 1] = {key = "all", docs = t.docs, sentences = t.sentences,
  compound = t.compound, pos = t.pos * 100, neg = t.neg * 100, bar = ""}

print(string.format("Sentiment by %s in %s (%d documents)", o.by,
  args[1] or "the sample corpus", #corpus))
print()
cli.table(rows, {
  {key = "key", title = o.by},
  {key = "docs", title = "docs", fmt = "%d"},
  {key = "sentences", title = "sentences", fmt = "%d"},
  {key = "compound", title = "compound", fmt = "%+.3f"},
  {key = "pos", title = "pos %", fmt = "%.0f"},
  {key = "neg", title = "neg %", fmt = "%.0f"},
  {key = "bar", title = string.format("compound (full bar = %.3f)", largest)},
})
if t.docs > dated then
  print(string.format("\n%d of %d documents have no %s: they are only in \"all\".",
    t.docs - dated, t.docs, o.by))
end
