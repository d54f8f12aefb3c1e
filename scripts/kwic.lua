-- kwic.lua: a concordance (keyword in context): every place a word or a
-- phrase occurs, one line each, with the words around it lined up.
--
-- usage: lector scripts/kwic.lua [CORPUS] TERM [--window N] [--limit N] [--json]
--
--   lector scripts/kwic.lua flood                   in the sample corpus
--   lector scripts/kwic.lua news/ "interest rates" --window 8
--   lector scripts/kwic.lua "flood *"               "*" stands for any one word
--
-- Matching is on normalised tokens ("Flood", "FLOOD" and "flood" match
-- "flood"; "floods" does not), and the lines show the original text.  The
-- search runs in the ngram plugin (ngram.kwic).

local cli = require "lib.cli"
local ngram = require "lector.ngram"

local spec = {
  usage = "lector scripts/kwic.lua [CORPUS] TERM [options]",
  about = "Every occurrence of TERM (a word or a phrase) with its context.",
  options = {
    {"window", "N", "words of context on each side", default = 6, min = 1, max = 100},
    {"limit", "N", "lines to show at most (0: all)", default = 50, min = 0},
  },
}
local o, args = cli.parse(arg, spec)
if #args < 1 or #args > 2 then
  cli.misuse(spec, "expected [CORPUS] TERM, got %d arguments", #args)
end
local path, term = args[#args - 1], args[#args]
local corpus = cli.corpus(path)

local rows = ngram.kwic(corpus, term, {window = o.window})
local matches, docs = #rows, {}
for _, r in ipairs(rows) do docs[r.doc] = true end
local ndocs = 0
for _ in pairs(docs) do ndocs = ndocs + 1 end
if o.limit > 0 then rows = table.move(rows, 1, math.min(o.limit, matches), 1, {}) end

if o.json then
  print(cli.json({term = term, matches = matches, docs = ndocs, rows = rows}))
  return
end

print(string.format('%d matches of "%s" in %d documents of %s%s', matches,
  term, ndocs, path or "the sample corpus",
  #rows < matches and string.format(" (the first %d)", #rows) or ""))
print()
-- The left context is cut at its start, so the words next to the match stay.
for _, r in ipairs(rows) do r.left = cli.clip_left(r.left, 45) end
cli.table(rows, {
  {key = "doc", title = "document", width = 32},
  {key = "left", title = "", align = "right"},
  {key = "match", title = ""},
  {key = "right", title = "", width = 45},
})
