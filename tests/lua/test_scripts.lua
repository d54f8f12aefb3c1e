-- test_scripts.lua: the analysis scripts in scripts/ (top_ngrams, kwic,
-- sentiment_timeline, collocations, compare), each run as a separate lector
-- process as a user would, with their output checked for content on the
-- sample corpus and, when present, on the shared corpora.
local T = require "testlib"
local cjson = require "cjson"
local lfs = require "lfs"

local bin = os.getenv("LECTOR_BIN") or "build/lector"

-- Run scripts/NAME.lua with args (shell words), after env (shell
-- assignments) if given; returns standard output, the exit status and
-- standard error.
local function run(name, args, env)
  local errfile = os.tmpname()
  local p = assert(io.popen(string.format("%s%s scripts/%s.lua %s 2>%s",
    env or "", bin, name, args or "", errfile)))
  local out = p:read("a")
  local ok, _, code = p:close()
  local f = assert(io.open(errfile))
  local err = f:read("a")
  f:close()
  os.remove(errfile)
  return out, ok and 0 or code, err
end

-- Run with --json; the decoded result.
local function json(name, args)
  local out, code, err = run(name, (args or "") .. " --json")
  T.eq(code, 0, name .. " " .. (args or "") .. " --json: " .. err)
  return cjson.decode(out)
end

-- out contains the plain text s.
local function has(out, s, what)
  T.ok(out:find(s, 1, true), (what or s) .. " in the output:\n" .. out)
end

-- Bad options exit with 2 and name the option; a missing folder exits
-- with 1 and names it.
local function misuse(name, args, option)
  local _, code, err = run(name, args)
  T.eq(code, 2, name .. " " .. args .. " exit status")
  has(err, option, name .. " " .. args .. ": the option named")
end
local function missing_folder(name, args)
  local _, code, err = run(name, "/nonexistent/corpus " .. (args or ""))
  T.eq(code, 1, name .. " on a missing folder")
  has(err, "/nonexistent/corpus: No such file or directory")
end

-- Independent counts on the sample corpus: occurrences of a phrase (Lua
-- pattern on lower-cased text, between word boundaries), and documents.
local sample = lector.load("scripts/corpus", {ext = "txt", quiet = true})
local function occurrences(corpus, pattern)
  local count, docs = 0, 0
  for doc in corpus:each() do
    local n = select(2, doc.text:lower():gsub("%f[%w]" .. pattern .. "%f[%W]", ""))
    count, docs = count + n, docs + (n > 0 and 1 or 0)
  end
  return count, docs
end

local tests = {}

function tests.top_ngrams()
  local count, df = occurrences(sample, "tram%s+line")
  T.eq(count, 16, "'tram line' in the sample texts")
  local out, code = run("top_ngrams", "--top 5")
  T.eq(code, 0, "exit status")
  has(out, "Top 5 bigrams in the sample corpus (" .. #sample .. " documents")
  T.ok(out:find("\ntram line%s+" .. count .. "%s+" .. df .. "\n"), "first row:\n" .. out)

  local r = json("top_ngrams", "--top 3")
  T.eq(r.groups[1].docs, #sample, "documents")
  T.eq(#r.groups[1].rows, 3, "rows")
  local top = r.groups[1].rows[1]
  T.eq(top.gram, "tram line", "top bigram")
  T.eq(top.count, 16, "its count")
  T.eq(top.df, 5, "its document frequency")
  -- With stop words, the most frequent word is "the".
  r = json("top_ngrams", "--n 1 --no-stopwords --top 1")
  T.eq(r.groups[1].rows[1].gram, "the", "top word with stop words")

  -- --by month: one table per month with documents, in order.
  out = run("top_ngrams", "--by month --top 2")
  r = json("top_ngrams", "--by month --top 2")
  local i = 0
  for month, docs in pairs(sample:group_by("month")) do
    i = i + 1
    T.eq(r.groups[i].key, month, "month " .. i)
    T.eq(r.groups[i].docs, #docs, month .. " documents")
    has(out, string.format("%s (%d documents)", month, #docs))
  end
  T.eq(#r.groups, 4, "months")

  misuse("top_ngrams", "--n 9", "--n")
  misuse("top_ngrams", "--top x", "--top")
  misuse("top_ngrams", "--by week", "--by")
  misuse("top_ngrams", "--bogus", "--bogus")
  missing_folder("top_ngrams")
end

function tests.kwic()
  local count, docs = occurrences(sample, "flood")
  T.eq(count, 21, "'flood' in the sample texts")
  local out, code = run("kwic", "flood --window 5")
  T.eq(code, 0, "exit status")
  has(out, string.format('%d matches of "flood" in %d documents', count, docs))
  -- The lines show the original text with the matches lined up.
  local line = out:match("\n([^\n]*Water poured over the%s+flood%s+defences along Quay Street and)\n")
  T.ok(line, "a line with its context:\n" .. out)
  T.ok(line:find("^river/2026%-05%-09%-avel"), "the document: " .. line)
  local col
  for l in out:gmatch("[^\n]+") do
    local at = l:find("  [Ff]lood  ")
    if at then  -- in characters, not bytes
      at = utf8.len(l:sub(1, at))
      T.ok(col == nil or col == at, "aligned matches:\n" .. out)
      col = at
    end
  end

  local r = json("kwic", "scripts/corpus 'flood defences' --window 3")
  T.eq(r.matches, (occurrences(sample, "flood%s+defences")), "phrase matches")
  T.eq(#r.rows, r.matches, "rows")
  for _, row in ipairs(r.rows) do
    T.eq(row.match:lower(), "flood defences", "match")
    T.ok(row.doc:find("^river/"), "a river article: " .. row.doc)
  end
  -- Three words each side; punctuation and quotes as in the text.
  T.eq(r.rows[1].left, "poured over the", "left context")
  T.eq(r.rows[1].right, "along Quay Street", "right context")
  T.eq(r.rows[2].left, "two days. “The", "left context with a quote")

  r = json("kwic", "flood --limit 3")
  T.eq(r.matches, count, "all matches counted")
  T.eq(#r.rows, 3, "--limit")
  has(run("kwic", "flood --limit 3"), "(the first 3)")

  misuse("kwic", "", "TERM")
  misuse("kwic", "flood --window -1", "--window")
  misuse("kwic", "flood --limit many", "--limit")
  missing_folder("kwic", "flood")
end

function tests.sentiment_timeline()
  local out, code = run("sentiment_timeline", "")
  T.eq(code, 0, "exit status")
  local months = {}
  for month, docs in pairs(sample:group_by("month")) do
    months[#months + 1] = month
    T.ok(out:find("\n" .. month:gsub("%-", "%%-") .. "%s+" .. #docs .. "%s"),
      month .. " row:\n" .. out)
  end
  T.eq(table.concat(months, " "), "2026-05 2026-06 2026-07 2026-08", "months")
  has(out, "1 of " .. #sample .. " documents have no month")
  -- June (the drought and the job cuts) is the most negative month: the
  -- full bar left of the axis; July is positive.
  T.ok(out:find("\n2026%-06[^\n]*%-0%.%d+[^\n]* ####################|\n"), "June bar:\n" .. out)
  T.ok(out:find("\n2026%-07[^\n]*%+0%.%d+[^\n]*|#+\n"), "July bar:\n" .. out)

  local r = json("sentiment_timeline", "")
  local want = (require "lector.sentiment").corpus(sample, {by = "month"})
  T.eq(#r.groups, #months, "groups")
  for i, g in ipairs(r.groups) do
    T.eq(g.key, months[i], "group key")
    T.eq(g.docs, want.groups[i].docs, g.key .. " documents")
    T.ok(math.abs(g.compound - want.groups[i].compound) < 1e-9, g.key .. " compound")
  end
  T.eq(r.total.docs, #sample, "total documents")
  T.eq(r.undated, 1, "undated documents")

  out = run("sentiment_timeline", "--by year")
  T.ok(out:find("\n2026%s+18%s"), "a year row:\n" .. out)
  misuse("sentiment_timeline", "--by week", "--by")
  missing_folder("sentiment_timeline")

  -- without the default lexicon: exit 1, one line why, no traceback
  local code, err
  out, code, err = run("sentiment_timeline",
    "", "LECTOR_VADER_LEXICON=/nonexistent/vader.txt ")
  T.eq(code, 1, "exit status without the lexicon")
  has(err, "sentiment_timeline.lua: sentiment.corpus: the default VADER "
    .. "lexicon is missing: no file /nonexistent/vader.txt")
  T.ok(not err:find("traceback", 1, true), "no traceback:\n" .. err)
end

function tests.collocations()
  local out, code = run("collocations", "--top 5")
  T.eq(code, 0, "exit status")
  has(out, "by llr (seen at least 3 times")
  T.ok(out:find("\ntram line%s+16%s"), "first row:\n" .. out)
  has(out, "flood defences")

  local r = json("collocations", "--measure pmi --min-count 4 --top 10")
  T.eq(r.measure, "pmi", "measure")
  T.eq(#r.rows, 10, "rows")
  for i, row in ipairs(r.rows) do
    T.ok(row.count >= 4, "--min-count: " .. row.gram)
    T.ok(i == 1 or row.pmi <= r.rows[i - 1].pmi, "sorted by pmi")
    T.ok(row.llr and row.t and row.chi2, "every measure")
  end
  r = json("collocations", "--n 3 --min-count 2 --top 3")
  local words = select(2, r.rows[1].gram:gsub("%S+", ""))
  T.eq(words, 3, "trigrams")

  misuse("collocations", "--measure dice", "--measure")
  misuse("collocations", "--n 4", "--n")
  misuse("collocations", "--min-count", "--min-count")
  missing_folder("collocations")
end

function tests.compare()
  -- Two folders, and the same two sides chosen by glob.
  local out, code = run("compare", "scripts/corpus/river scripts/corpus/tram --top 3")
  T.eq(code, 0, "exit status")
  has(out, "A: scripts/corpus/river (5 documents")
  T.ok(out:find("\nflood%s+20%s+0%s"), "flood, distinctive of the river:\n" .. out)
  T.ok(out:find("\ntram%s+22%s+0%s"), "tram, distinctive of the tram:\n" .. out)
  local r = json("compare", "--a 'river/*' --b 'tram/*' --top 3")
  T.eq(r.a.docs, 5, "documents in A")
  T.eq(r.b.docs, 5, "documents in B")
  T.eq(r.a.rows[1].gram, "flood", "A's first word")
  T.eq(r.a.rows[1].count, (occurrences(sample:filter(function(d)
    return d.id:find("^river/") end), "flood")), "flood in the river articles")
  T.eq(r.b.rows[1].gram, "tram", "B's first word")

  -- --where: August against the other months and the undated article.
  out = run("compare", "--where month=2026-08 --measure log_ratio --top 5")
  has(out, "A: month=2026-08 (4 documents")
  has(out, "B: the rest (" .. #sample - 4 .. " documents")
  r = json("compare", "--where month=2026-08 --top 5")
  for _, sides in ipairs({{r.a, r.b}, {r.b, r.a}}) do
    local side, other = sides[1], sides[2]
    for _, row in ipairs(side.rows) do
      T.ok(row.llr > 0 and row.count / side.words > row.ref_count / other.words,
        "relatively more frequent on its side: " .. row.gram)
    end
  end
  r = json("compare", "--where author='Sam Oduya' --a 'tram/*'")
  T.eq(r.a.docs, 2, "--where on a front-matter key and --a")

  misuse("compare", "", "--where")
  misuse("compare", "--where month", "--where")
  misuse("compare", "--where month=2026-08 --measure pmi", "--measure")
  local _, code2, err = run("compare", "--where month=1999-01")
  T.eq(code2, 1, "nothing matches")
  has(err, "no documents in month=1999-01")
  missing_folder("compare", "--where month=2026-08")
end

-- The shared corpora beside the project, when present.
function tests.shared_corpora()
  local su, abc, seeds = T.shared("state_union"), T.shared("abc"), T.shared("seeds")
  if not (su or abc or seeds) then print("skip: no shared corpora") return end
  if su then
    local r = json("top_ngrams", su .. " --top 3")
    T.eq(r.groups[1].rows[1].gram, "united states", "state_union: top bigram")
    r = json("kwic", su .. " 'soviet union' --limit 0")
    T.ok(r.matches > 50 and #r.rows == r.matches, "state_union: soviet union")
    for _, row in ipairs(r.rows) do T.eq(row.match:lower(), "soviet union", "match") end
    r = json("sentiment_timeline", su .. " --by year")
    T.ok(#r.groups >= 50, "state_union: years")
    for i = 2, #r.groups do T.ok(r.groups[i].key > r.groups[i - 1].key, "years in order") end
    r = json("collocations", su .. " --top 5")
    T.eq(#r.rows, 5, "state_union: collocations")
    local n40s = 0
    for name in lfs.dir(su) do if name:find("^194") then n40s = n40s + 1 end end
    r = json("compare", su .. " --a '194*' --b '199*' --top 5")
    T.eq(r.a.docs, n40s, "state_union: the 1940s speeches")
  end
  if abc then
    local r = json("compare", abc .. " --a 'rural/*' --b 'science/*' --top 10")
    local function words(rows)
      local s = {}
      for _, row in ipairs(rows) do s[#s + 1] = row.gram end
      return " " .. table.concat(s, " ") .. " "
    end
    has(words(r.a.rows), " farmers ", "abc: rural words")
    has(words(r.b.rows), " researchers ", "abc: science words")
    r = json("kwic", abc .. " drought --limit 5")
    T.ok(r.matches > 100 and #r.rows == 5, "abc: drought")
    r = json("top_ngrams", abc .. " --top 1")
    T.eq(r.groups[1].rows[1].gram, "per cent", "abc: top bigram")
  end
  if seeds then
    for _, s in ipairs({"top_ngrams", "collocations", "sentiment_timeline"}) do
      local out, code, err = run(s, seeds)
      T.eq(code, 0, "seeds: " .. s .. ": " .. err)
      has(out, seeds, "seeds: " .. s)
    end
  end
end

T.run(tests)
