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
  T.eq(y.groups[1].key, 2024, "first year (a number)")
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
  T.raises("scorer:corpus: the key of empty.txt is an empty list",
    s.corpus, s, c, {by = function() return {} end})
  T.raises("boom", s.corpus, s, c, {by = function() error("boom") end})
  -- a list of keys puts a document in each group, as corpus:group_by does
  local l = s:corpus(c, {by = function(doc)
    if doc.date then return {"dated", doc.year} end end})
  local keys = {}
  for _, grp in ipairs(l.groups) do keys[#keys + 1] = grp.key end
  T.eq(table.concat(keys, " "), "2024 2025 dated", "numbers, then strings")
  T.eq(l.groups[3].docs, 4, "every dated doc in 'dated'")
  T.eq(l.groups[1].docs + l.groups[2].docs, 4, "and in its year")
  T.eq(l.total.docs, #c, "each document once in total")
end

-- `by` derives keys exactly as corpus:group_by does: fields, front-matter
-- keys, functions; a bad `by` gets group_by's message.
function tests.by_is_group_by()
  local tmp = T.tmpdir()
  T.write(tmp .. "/a.txt", "---\nauthor: Ann\n---\nIt was good. Great!\n")
  T.write(tmp .. "/b.txt", "---\nauthor: Bob\n---\nIt was bad.\n")
  T.write(tmp .. "/c.txt", "---\nauthor: Ann\n---\nIt was terrible.\n")
  T.write(tmp .. "/d.txt", "No front matter. Good.\n")
  local c = lector.load(tmp, {quiet = true})
  for _, by in ipairs{"author", "title", "id", "year"} do
    local r = s:corpus(c, {by = by})
    local want = {}
    for k, sub in pairs(c:group_by(by)) do want[#want + 1] = {k, #sub} end
    T.eq(#r.groups, #want, by .. ": groups")
    for i, w in ipairs(want) do
      T.eq(r.groups[i].key, w[1], by .. ": key " .. i)
      T.eq(r.groups[i].docs, w[2], by .. ": docs " .. i)
    end
  end
  local r = sentiment.corpus ~= nil and s:corpus(c, {by = "author"})
  T.eq(r.groups[1].key, "Ann", "Ann")
  T.eq(r.groups[1].docs, 2, "two by Ann")
  T.eq(r.groups[1].sentences, 3, "Ann's sentences")
  T.eq(r.docs[4].key, nil, "no author: no key")
  for _, by in ipairs{"text", "meta", "", 42, true} do
    local _, want = pcall(c.group_by, c, by)
    local _, got = pcall(s.corpus, s, c, {by = by})
    T.eq(got, (want:gsub("corpus:group_by", "scorer:corpus")),
      "by = " .. tostring(by))
  end
end

-- Issue 12 item 1: a `by` function that closes the corpus, or the scorer,
-- is an error, never a read of freed memory (the ASan build checks).
function tests.by_closes_corpus_or_scorer()
  local c = load()
  T.raises("scorer:corpus: corpus was closed during the 'by' function",
    s.corpus, s, c, {by = function()
      c:close()
      collectgarbage()
      collectgarbage()
      return "k"
    end})
  c = load()
  local s2 = sentiment.new{lexicon = dir .. "/mini_vader.txt"}
  T.raises("scorer:corpus: the scorer is closed", s2.corpus, s2, c,
    {by = function()
      s2:close()
      collectgarbage()
      return "k"
    end})
end

function tests.threads_give_the_same_result()
  local c = load()
  local one = s:corpus(c, {threads = 1, by = "month"})
  local two = s:corpus(c, {threads = 4, by = "month"})
  local all = s:corpus(c, {threads = 0, by = "month"})
  T.eq(one.threads, 1, "one thread")
  T.eq(two.threads, 4, "four threads")
  T.ok(all.threads >= 1 and all.threads <= #c, "0: all cores")
  T.eq(s:corpus(c).threads, all.threads, "the default is all cores")
  for i = 1, #one.docs do
    T.eq(one.docs[i].compound, all.docs[i].compound, "all: doc " .. i)
  end
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
  T.raises("scorer:corpus: expected a corpus, got string", s.corpus, s,
    "text")
  T.raises("sentiment.corpus: expected a corpus, got table",
    sentiment.corpus, {})
  local closed = load()
  closed:close()
  T.raises("sentiment.corpus: corpus is closed", sentiment.corpus, closed)
  T.raises("scorer:corpus: opts.threads: expected 0 (all cores) to 64, got "
    .. "-1", s.corpus, s, c, {threads = -1})
  T.raises("expected 0 (all cores) to 64, got 65", s.corpus, s, c,
    {threads = 65})
  T.raises("scorer:corpus: opts.threads: expected an integer, got 1.5",
    s.corpus, s, c, {threads = 1.5})
  T.raises("scorer:corpus: opts.threshold: expected a number from 0 to 1, "
    .. "got 2", s.corpus, s, c, {threshold = 2})
  T.raises("scorer:corpus: unknown option 'group' (known: by, threads, "
    .. "threshold)", s.corpus, s, c, {group = "month"})
  T.raises("sentiment.corpus: options must be a table", sentiment.corpus, c,
    "month")
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
