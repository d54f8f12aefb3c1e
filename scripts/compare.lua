-- compare.lua: what distinguishes two sets of documents (keyness): for
-- each side, the words used much more there than on the other side.
--
-- usage: lector scripts/compare.lua A_DIR B_DIR [options]
--        lector scripts/compare.lua [CORPUS] --where KEY=VALUE | --a GLOB [--b GLOB]
--
--   lector scripts/compare.lua --where month=2026-08       August against the rest
--   lector scripts/compare.lua --a "river/*" --b "tram/*"  by document id (path)
--
-- llr (signed log-likelihood) says how sure a difference is, log_ratio
-- (log2 of the ratio of relative frequencies) how large it is.  Counting
-- and keyness run in the ngram plugin (ngram.count, ngram.keyness).

local cli = require "lib.cli"
local ngram = require "lector.ngram"

local spec = {
  usage = "lector scripts/compare.lua (A_DIR B_DIR | [CORPUS] --where KEY=VALUE\n" ..
    "         | [CORPUS] --a GLOB [--b GLOB]) [options]",
  about = "Distinctive words of two sets of documents, for each side.",
  options = {
    {"where", "KEY=VALUE", "side A: documents whose field or front-matter KEY is VALUE"},
    {"a", "GLOB", "side A: documents whose id matches GLOB"},
    {"b", "GLOB", "side B: documents whose id matches GLOB (default: the rest)"},
    {"measure", "NAME", "llr or log_ratio", default = "llr", choices = {"llr", "log_ratio"}},
    {"top", "K", "words to show for each side", default = 15, min = 1},
    {"min-count", "N", "leave out words seen fewer times on both sides together",
      default = 3, min = 1},
    {"stopwords", nil, "leave out stop words", default = true},
  },
}
local o, args = cli.parse(arg, spec)
local key, value
if o.where then
  key, value = o.where:match("^([^=]+)=(.*)$")
  if not key then cli.misuse(spec, "--where: expected KEY=VALUE, got '%s'", o.where) end
end

local a, b, a_name, b_name
if #args == 2 and not (o.where or o.a or o.b) then
  a, b, a_name, b_name = cli.corpus(args[1]), cli.corpus(args[2]), args[1], args[2]
elseif #args <= 1 and (o.where or o.a) then
  -- Side A: the documents whose id matches --a (lector.load's glob), and
  -- of those, the ones whose field or front-matter key matches --where.
  a = cli.corpus(args[1], {glob = o.a})
  if key then
    local fields = {id = true, title = true, date = true, month = true, year = true}
    a = a:filter(function(doc)
      local v = fields[key] and doc[key] or doc.meta[key]
      return v ~= nil and tostring(v) == value
    end)
  end
  -- Side B: the documents matching --b, or all those not in A.
  if o.b then
    b = cli.corpus(args[1], {glob = o.b})
  else
    local in_a = {}
    for doc in a:each() do in_a[doc.id] = true end
    b = cli.corpus(args[1]):filter(function(doc) return not in_a[doc.id] end)
  end
  a_name = o.where and o.a and (o.where .. " and " .. o.a) or o.where or o.a
  b_name = o.b or "the rest"
else
  cli.misuse(spec, "give two folders, or one corpus (or none) with --where or --a")
end
if #a == 0 or #b == 0 then
  error(string.format("no documents in %s", #a == 0 and a_name or b_name), 0)
end

-- Count words once per side, then rank each side against the other.
local count_opts = {n = 1, stopwords = o.stopwords}
local ta, tb = ngram.count(a, count_opts), ngram.count(b, count_opts)
local function distinctive(target, reference)
  local rows = ngram.keyness(target, reference, {measure = o.measure,
    top = o.top, min_count = o.min_count})
  local kept = {}  -- only the words more frequent in the target
  for _, r in ipairs(rows) do
    if r[o.measure] > 0 then kept[#kept + 1] = r end
  end
  return kept
end
local sides = {
  {label = "A", name = a_name, docs = #a, words = ta:total(), rows = distinctive(ta, tb)},
  {label = "B", name = b_name, docs = #b, words = tb:total(), rows = distinctive(tb, ta)},
}

if o.json then
  print(cli.json({measure = o.measure, stopwords = o.stopwords, a = sides[1], b = sides[2]}))
  return
end

for _, side in ipairs(sides) do
  print(string.format("%s: %s (%d documents, %d %swords)", side.label, side.name,
    side.docs, side.words, o.stopwords and "content " or ""))
end
for i, side in ipairs(sides) do
  local other = sides[3 - i]
  print()
  print(string.format("Distinctive of %s (%s)", side.label, side.name))
  cli.table(side.rows, {
    {key = "gram", title = "word", width = 40},
    {key = "count", title = "in " .. side.label, fmt = "%d"},
    {key = "ref_count", title = "in " .. other.label, fmt = "%d"},
    {key = o.measure, title = o.measure, fmt = "%.2f"},
  })
end
