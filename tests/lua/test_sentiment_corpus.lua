-- test_sentiment_corpus.lua: sentiment.corpus / scorer:corpus on the small
-- corpus of tests/fixtures/sentiment/corpus (its own text), checked
-- against per-sentence scores computed in Lua.
local T = require "testlib"
local sentiment = require "lector.sentiment"

local tests = {}
local dir = T.fixtures("sentiment")
local s = sentiment.new{lexicon = dir .. "/mini_vader.txt"}

local function load() return lector.load(dir .. "/corpus", {quiet = true}) end

-- What corpus() should say about one document, from s:sentences.
local function expected(doc, t)
  t = t or 0.05
  local r = s:sentences(doc)
  local sum, pos, neg = 0, 0, 0
  for _, x in ipairs(r) do
    sum = sum + x.compound
    if x.compound >= t then pos = pos + 1 end
    if x.compound <= -t then neg = neg + 1 end
  end
  return {n = #r, sum = sum, pos = pos, neg = neg}
end

local function near(a, b, what)
  if math.abs(a - b) > 1e-12 then
    error(string.format("%s: expected %.17g, got %.17g", what, b, a), 2)
  end
end

function tests.documents_in_corpus_order()
  local c = load()
  local r = s:corpus(c)
  T.eq(#r.docs, #c, "one entry per document")
  for i, doc in ipairs(r.docs) do
    local e = expected(c[i])
    T.eq(doc.id, c[i].id, "id")
    T.eq(doc.title, c[i].title, "title")
    T.eq(doc.date, c[i].date, "date")
    T.eq(doc.sentences, e.n, doc.id .. " sentences")
    near(doc.compound, e.n > 0 and e.sum / e.n or 0, doc.id .. " compound")
    near(doc.pos, e.n > 0 and e.pos / e.n or 0, doc.id .. " pos")
    near(doc.neg, e.n > 0 and e.neg / e.n or 0, doc.id .. " neg")
    near(doc.pos + doc.neg + doc.neu, e.n > 0 and 1 or 0, doc.id .. " shares")
    T.eq(doc.key, nil, "no key without `by`")
  end
  T.eq(#r.groups, 0, "no groups without `by`")
  T.eq(r.total.docs, #c, "total docs")
  T.eq(r.total.errors, 0, "no errors")
  T.ok(r.threads >= 1, "threads")
end

function tests.groups_by_month()
  local c = load()
  local r = sentiment.corpus ~= nil and s:corpus(c, {by = "month"})
  local keys = {}
  for _, g in ipairs(r.groups) do keys[#keys + 1] = g.key end
  T.eq(table.concat(keys, " "), "2024-01 2024-02 2025-03", "sorted keys")
  local jan = r.groups[1]
  T.eq(jan.docs, 2, "two documents in January")
  local n, sum, docsum = 0, 0, 0
  for doc in c:each() do
    if doc.month == "2024-01" then
      local e = expected(doc)
      n, sum = n + e.n, sum + e.sum
      docsum = docsum + e.sum / e.n
    end
  end
  T.eq(jan.sentences, n, "sentences")
  near(jan.compound, sum / n, "mean over sentences")
  near(jan.doc_compound, docsum / 2, "mean over documents")
  local undated = 0
  for _, d in ipairs(r.docs) do if not d.key then undated = undated + 1 end end
  T.eq(undated, 2, "undated documents are in no group")
  local total = 0
  for _, d in ipairs(r.docs) do total = total + d.sentences end
  T.eq(r.total.sentences, total, "total sentences")
end

function tests.groups_by_year_date_and_function()
  local c = load()
  local y = s:corpus(c, {by = "year"})
  T.eq(#y.groups, 2, "two years")
  T.eq(y.groups[1].key, "2024", "first year")
  T.eq(y.groups[1].docs, 3, "docs in 2024")
  T.eq(#s:corpus(c, {by = "date"}).groups, 4, "four dates")
  local f = s:corpus(c, {by = function(doc) return #doc.title % 3 end})
  T.ok(#f.groups >= 1 and math.type(f.groups[1].key) == "integer",
    "number keys")
  for i = 2, #f.groups do
    T.ok(f.groups[i - 1].key < f.groups[i].key, "numbers sorted")
  end
  local g = s:corpus(c, {by = function(doc)
    if doc.date then return "dated" end end})
  T.eq(#g.groups, 1, "nil keys left out")
  T.eq(g.groups[1].docs, 4, "dated docs")
  T.raises("must return a string, a number or nil (got table",
    s.corpus, s, c, {by = function() return {} end})
  T.raises("boom", s.corpus, s, c, {by = function() error("boom") end})
end

function tests.threads_give_the_same_result()
  local c = load()
  local one = s:corpus(c, {threads = 1, by = "month"})
  local two = s:corpus(c, {threads = 4, by = "month"})
  T.eq(one.threads, 1, "one thread")
  for i = 1, #one.docs do
    T.eq(one.docs[i].compound, two.docs[i].compound, "doc " .. i)
  end
  for i = 1, #one.groups do
    T.eq(one.groups[i].compound, two.groups[i].compound, "group " .. i)
  end
end

function tests.threshold()
  local c = load()
  local r = s:corpus(c, {threshold = 0.9})
  for i, d in ipairs(r.docs) do
    local e = expected(c[i], 0.9)
    near(d.pos, e.n > 0 and e.pos / e.n or 0, "pos at 0.9")
  end
end

function tests.bad_arguments()
  local c = load()
  T.raises("argument 2 must be a corpus", s.corpus, s, "text")
  T.raises("argument 1 must be a corpus", sentiment.corpus, {})
  T.raises("by must be", s.corpus, s, c, {by = "week"})
  T.raises("threads must be an integer", s.corpus, s, c, {threads = 0})
  T.raises("threshold must be a number", s.corpus, s, c, {threshold = 2})
  T.raises("unknown option 'group'", s.corpus, s, c, {group = "month"})
end

-- A file that disappears after loading: its entry says why, the others
-- are scored, and the totals leave it out.
function tests.unreadable_document()
  local tmp = T.tmpdir()
  for _, name in ipairs{"festival.txt", "storm.txt", "ferry.txt"} do
    local f = assert(io.open(dir .. "/corpus/" .. name, "rb"))
    T.write(tmp .. "/" .. name, f:read("a"))
    f:close()
  end
  local c = lector.load(tmp, {quiet = true})
  os.remove(tmp .. "/storm.txt")
  local r = s:corpus(c, {by = "year"})
  T.eq(r.total.errors, 1, "one error")
  local bad
  for _, d in ipairs(r.docs) do if d.error then bad = d end end
  T.ok(bad and bad.id == "storm.txt", "the missing file")
  T.eq(bad.sentences, 0, "not scored")
  T.eq(r.total.docs, 3, "counted")
  T.eq(r.groups[1].docs, 2, "2024: festival (and storm) ...")
end

T.run(tests)
