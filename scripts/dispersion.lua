-- dispersion.lua: how evenly words or phrases spread over a corpus: in
-- how many documents (or equal parts) each occurs, and Gries's DP and
-- Juilland's D, which tell a word used everywhere from a word used a lot
-- in a few places (AntConc's Plot tool in numbers).
--
-- usage: lector scripts/dispersion.lua [CORPUS] WORDS [--parts N]
--          [--counts] [--json]
--
--   lector scripts/dispersion.lua flood,council,tram       the sample corpus
--   lector scripts/dispersion.lua news/ "interest rates,inflation" --parts 10
--
-- WORDS is a comma-separated list of words or phrases.  Parts are the
-- documents (the default, --parts 0) or N parts of equal size cut from
-- the corpus read in order.  The measures (ngram.dispersion; formulas in
-- docs/statistics.md):
--   range   parts in which the word occurs
--   DP      Gries (2008): 0 = spread as the parts' sizes are, towards 1 =
--           all in one small part; DPnorm (Lijffijt & Gries 2012) scales
--           it to 0..1
--   D       Juilland's D: 1 = even, 0 = all in one part (equal parts
--           are its home; over documents of unequal size prefer DP)

local cli = require "lib.cli"
local ngram = require "lector.ngram"

local spec = {
  usage = "lector scripts/dispersion.lua [CORPUS] WORDS [options]",
  about = "Range, DP and Juilland's D of each word or phrase of WORDS " ..
    "(comma-separated).",
  options = {
    {"parts", "N", "N equal parts (0: one part per document)", default = 0, min = 0},
    {"counts", nil, "show the count in each part (up to 20 parts)"},
  },
}
local o, args = cli.parse(arg, spec)
if #args < 1 or #args > 2 then
  cli.misuse(spec, "expected [CORPUS] WORDS, got %d arguments", #args)
end
local path, list = args[#args - 1], args[#args]
local words = {}
for w in list:gmatch("[^,]+") do
  w = w:match("^%s*(.-)%s*$")
  if w ~= "" then words[#words + 1] = w end
end
if #words == 0 then cli.misuse(spec, "no word in '%s'", list) end
local corpus = cli.corpus(path)

local ok, rows = pcall(ngram.dispersion, corpus, words,
  {parts = o.parts > 0 and o.parts or "docs"})
if not ok then cli.fail("%s", rows) end

if o.json then
  print(cli.json({parts = o.parts > 0 and o.parts or "docs", rows = rows}))
  return
end

print(string.format("Dispersion over %s of %s%s", o.parts > 0 and
  (o.parts .. " equal parts") or (#corpus .. " documents"),
  path or "the sample corpus", "  (-: undefined)"))
print()
for _, r in ipairs(rows) do
  for _, k in ipairs {"dp", "dp_norm", "juilland_d"} do
    if r[k] == nil then r[k] = "-" else r[k] = string.format("%.3f", r[k]) end
  end
  if o.counts and r.parts <= 20 then r.per_part = table.concat(r.counts, " ") end
end
local columns = {
  {key = "word", title = "word", width = 30},
  {key = "freq", title = "freq", fmt = "%d"},
  {key = "range", title = "range", fmt = "%d"},
  {key = "dp", title = "DP", align = "right"},
  {key = "dp_norm", title = "DPnorm", align = "right"},
  {key = "juilland_d", title = "D", align = "right"},
}
if o.counts then columns[#columns + 1] = {key = "per_part", title = "per part"} end
cli.table(rows, columns)
