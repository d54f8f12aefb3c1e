-- test_clean.lua: the clean plugin (issue 17) on fixtures written for it
-- (tests/fixtures/clean/news): boilerplate lines, near-duplicates, glued
-- words, clean.apply's view, and the errors for bad input.
local T = require "testlib"
local clean = require "lector.clean"
local ngram = require "lector.ngram"

local NEWS = T.fixtures("clean/news")
local tests = {}

local function find_line(list, pattern)
  for _, r in ipairs(list) do
    if r.line:find(pattern) then return r end
  end
end

-- A copy of the fixtures in a fresh folder, with more files.
local function news_with(extra)
  local dir = T.tmpdir()
  for name in require("lfs").dir(NEWS) do
    if name:match("%.txt$") then T.write(dir .. "/" .. name, T.read(NEWS .. "/" .. name)) end
  end
  for name, text in pairs(extra or {}) do T.write(dir .. "/" .. name, text) end
  return dir
end

-- ------------------------------------------------------------------------
-- Boilerplate

function tests.boilerplate_repeated_line()
  local c = lector.load(NEWS)
  local bp = clean.boilerplate(c)
  local sub = find_line(bp, "^Subscribe to the Harbour Gazette")
  T.ok(sub, "the line repeated with changing numbers is found")
  T.eq(sub.docs, 4, "in four documents")
  T.eq(sub.where, "end", "mostly at the end")
  T.eq(bp.min_docs, 3, "three documents make a line repeated here")
  -- four documents are fewer than min_docs = 5: not repeated any more
  bp = clean.boilerplate(c, {min_docs = 5})
  T.ok(not find_line(bp, "^Subscribe"), "min_docs is honoured")
  -- share: 0.9 of 5 documents is 5
  bp = clean.boilerplate(c, {share = 0.9})
  T.ok(not find_line(bp, "^Subscribe"), "share is honoured")
  -- keep: never removed, compared normalised (other digits and case)
  bp = clean.boilerplate(c, {keep = {"SUBSCRIBE to the Harbour Gazette from 99 dollars a week"}})
  T.ok(not find_line(bp, "^Subscribe"), "keep takes a line back")
  -- add: a line found once becomes boilerplate
  bp = clean.boilerplate(c, {add = {"volunteers filled sandbags through the night at the fire station."}})
  T.ok(not find_line(bp, "^Volunteers filled"), "a long line is prose, even when added")
  bp = clean.boilerplate(c, {add = {"A new school for the harbour quarter"}, max_words = 40})
  local add = find_line(bp, "^A new school")
  T.ok(add and add.docs == 1 and add.where == "start", "add makes a line boilerplate")
end

function tests.boilerplate_edges()
  local c = lector.load(NEWS)
  local bp = clean.boilerplate(c)
  local ticker = find_line(bp, "^HGZ 12%.40")
  T.ok(ticker, "the ticker line is found")
  T.eq(ticker.where, "start", "at the start")
  T.eq(ticker.doc, 1, "in the first document")
  local tags = find_line(bp, "^Harbourton tram council")
  T.ok(tags and tags.where == "end", "the tag line is found at the end")
  for _, p in ipairs{"^Read more: council", "^Read more: farmers", "^Read more: the fire"} do
    local r = find_line(bp, p)
    T.ok(r and r.where == "end", p .. " teaser found")
  end
  -- nothing else: titles, prose and the library article stay
  T.eq(#bp, 6, "six distinct lines (the repeated one, ticker, tags, 3 teasers)")
  T.eq(bp.lines, 9, "nine lines in all")
  T.eq(bp.docs, 4, "in four documents")
  bp = clean.boilerplate(c, {edges = false})
  T.ok(not find_line(bp, "^HGZ"), "edges = false: no ticker rule")
  T.ok(find_line(bp, "^Subscribe"), "edges = false: repetition still counts")
end

-- ------------------------------------------------------------------------
-- Near-duplicates

local function edit(text, n)
  local k = 0
  return (text:gsub(" the ", function()
    k = k + 1
    if k <= n then return " a " end
  end))
end

function tests.duplicates_edited_copies()
  local tram = T.read(NEWS .. "/01_tram.txt"):gsub("^ date 2026%-03%-02", " date 2026-03-01")
  local flood = T.read(NEWS .. "/02_flood.txt")
  local dir = news_with{
    ["06_tram_copy.txt"] = edit(tram, 3),   -- earlier date: kept first
    ["07_flood_copy.txt"] = flood .. "The council meets again on Friday.\n", -- same date, longer
  }
  local c = lector.load(dir)
  local byid = {}
  for i = 1, #c do byid[c[i].id] = i end
  local d = clean.duplicates(c)
  T.eq(#d, 2, "two clusters")
  T.eq(#d[1].docs, 2, "a pair")
  T.eq(d[1].docs[1], byid["06_tram_copy.txt"], "the earliest date is kept first")
  T.eq(d[1].docs[2], byid["01_tram.txt"], "then the original")
  T.eq(d[2].docs[1], byid["07_flood_copy.txt"], "same date: the longest is kept first")
  T.eq(d[2].docs[2], byid["02_flood.txt"], "then the shorter")
  T.eq(d[1].similarity[1], 1.0, "the kept one with itself")
  T.ok(d[1].similarity[2] >= 0.8 and d[1].similarity[2] < 1, "similarity " .. d[1].similarity[2])
  T.ok(d.candidates >= 2 and d.pairs == 2, "candidates checked exactly")
  -- a threshold above their similarity separates them
  local s = d[1].similarity[2]
  T.eq(#clean.duplicates(c, {threshold = math.min(1, s + 0.01)}) , 1, "above the similarity: only the other pair")
  -- different articles are not duplicates even at a low threshold
  for _, cl in ipairs(clean.duplicates(c, {threshold = 0.3})) do
    T.eq(#cl.docs, 2, "only the planted pairs at 0.3")
  end
end

function tests.duplicates_empty_and_short()
  local dir = news_with{["08_empty.txt"] = "\n\n", ["09_empty.txt"] = "",
                        ["10_short.txt"] = "Tram line\n", ["11_short.txt"] = "tram LINE!\n"}
  local c = lector.load(dir, {quiet = true})
  local d = clean.duplicates(c)
  T.eq(#d, 1, "empty documents are nobody's duplicates; two short equal ones are")
  T.eq(#d[1].docs, 2, "the short pair")
end

-- ------------------------------------------------------------------------
-- Glued words

local VOCAB = {with = 400, russia = 30, the = 5000, ["in"] = 2000, an = 300,
  having = 40, capital = 25, hosted = 9, anti = 12, tank = 15, missiles = 11,
  sputnik = 5, link = 20, put = 50, interview = 30, told = 50, as = 500, ["if"] = 200,
  home = 60, work = 80, homework = 30, harbour = 20, within = 40, we = 300,
  would = 200, tram = 10, line = 40, x = 1}

function tests.unglue_splits()
  local text = "Talks withRussia on anti-tankmissiles, he told Sputniklink inan interview, havingthe capitalhosted them."
  local out, splits = clean.unglue(text, {vocab = VOCAB, splits = true})
  T.eq(out, "Talks with Russia on anti-tank missiles, he told Sputnik link in an interview, having the capital hosted them.", "text")
  T.eq(#splits, 6, "six splits")
  T.eq(splits[1].word, "withRussia", "word")
  T.eq(table.concat(splits[1].parts, "|"), "with|Russia", "parts")
  T.eq(splits[1].offset, 7, "offset (1-based)")
  T.eq(table.concat(splits[2].parts, "|"), "anti-tank|missiles", "a hyphenated word's last part")
  T.eq(select("#", clean.unglue(text, {vocab = VOCAB})), 1, "splits only on request")
end

function tests.unglue_leaves_alone()
  local keep = "Asif and Putin said within the NATO homework at http://example.org/withthe or 2021withthe, Harbourton x-ray we're."
  local out, splits = clean.unglue(keep, {vocab = VOCAB, splits = true})
  T.eq(out, keep, "names, protected words, capitals, known words, URLs, numbers")
  T.eq(#splits, 0, "no split")
  -- a known whole word is split only when the split is far likelier
  local v2 = {harbour = 60, bridge = 80, harbourbridge = 1, rain = 60, coat = 80, the = 10}
  T.eq(clean.unglue("the harbourbridge", {vocab = v2}), "the harbour bridge", "a hapax with two known parts is split")
  T.eq(clean.unglue("the raincoat", {vocab = v2}), "the raincoat", "but not a short one: compounds are short")
  v2.harbourbridge = 30
  T.eq(clean.unglue("the harbourbridge", {vocab = v2}), "the harbourbridge", "a known word is not")
  -- compounds: a usual first or last part needs a function word beside it
  local v3 = {under = 50, lined = 20, nation = 40, wide = 30, ["in"] = 100, the = 100}
  T.eq(clean.unglue("underlined nationwide inthe", {vocab = v3}), "underlined nationwide in the", "compounds")
  -- min_count: parts must be seen that often
  T.eq(clean.unglue("withRussia", {vocab = VOCAB, min_count = 31}), "withRussia", "min_count")
  T.eq(clean.unglue("withRussia", {vocab = VOCAB, min_count = 30}), "with Russia", "min_count reached")
end

function tests.unglue_vocabularies()
  local c = lector.load(NEWS)
  -- the corpus's own words (a document's default)
  local doc = c[1]
  local out = clean.unglue(doc)
  T.eq(out, doc.text, "nothing glued in the fixtures")
  local v = clean.vocab(c)
  T.ok(v:get("harbour") >= 5 and v:get("HARBOUR") == v:get("harbour"), "vocab:get")
  T.ok(v:total() > 500, "vocab:total")
  T.eq(clean.unglue("thecouncil saidthe harbour", {vocab = v}), "the council said the harbour", "corpus vocabulary")
  -- an ngram count table of unigrams works the same
  local t = ngram.count(c, {n = 1})
  T.eq(clean.unglue("thecouncil saidthe harbour", {vocab = t}), "the council said the harbour", "ngram table")
  -- a string needs a vocabulary
  T.raises("opts.vocab is needed for a string", clean.unglue, "thetram")
end

-- ------------------------------------------------------------------------
-- The view

function tests.apply_view()
  local tram = T.read(NEWS .. "/01_tram.txt")
  local dir = news_with{["06_tram_copy.txt"] = edit(tram, 2):gsub("The mayor answered", "Thecouncil said onthe quay. The mayor answered") .. "\n"}
  local c = lector.load(dir)
  local v, s = clean.apply(c)
  T.eq(#v, 5, "the copy (same date, longer) is kept, the original dropped")
  T.eq(s.docs, 6, "summary docs")
  T.eq(s.kept, 5, "summary kept")
  T.eq(s.dropped, 1, "summary dropped")
  T.eq(s.clusters, 1, "summary clusters")
  T.ok(s.lines >= 10, "summary lines " .. s.lines)
  T.ok(#s.boilerplate >= 6 and #s.duplicates == 1, "the lists")
  local copy
  for d in v:each() do if d.id == "06_tram_copy.txt" then copy = d end end
  T.ok(copy, "the copy is in the view")
  local text = copy.text
  T.ok(not text:find("HGZ 12.40", 1, true), "ticker gone")
  T.ok(not text:find("Subscribe to", 1, true), "repeated line gone")
  T.ok(not text:find("Harbourton tram council", 1, true), "tag line gone")
  T.ok(text:find("The council said on the quay.", 1, true), "glued words split")
  T.ok(text:find("Tram line to Harbourton opens next spring", 1, true), "the title stays")
  T.eq(copy.meta.cleaned.lines, 3, "meta: lines removed")
  T.eq(copy.meta.cleaned.splits, 2, "meta: splits made")
  T.eq(copy.meta.cleaned.duplicates, 1, "meta: duplicates dropped")
  -- every plugin takes the view: counts follow the cleaned text
  local before = ngram.count(c, {n = 1}):get("subscribe")
  local after = ngram.count(v, {n = 1}):get("subscribe")
  T.eq(before, 5, "subscribe in the corpus")
  T.eq(after, 0, "and not in the view")
  T.eq(ngram.count(c, {n = 1}):get("onthe"), 1, "a glued word in the corpus")
  T.eq(ngram.count(v, {n = 1}):get("onthe"), 0, "split in the view")
  -- a subset of the view keeps its text and meta
  local sub = v:filter(function(d) return d.id == "06_tram_copy.txt" end)
  T.eq(sub[1].text, text, "subset text")
  T.eq(sub[1].meta.cleaned.splits, 2, "subset meta")
  -- passes can be switched off; a view of a view applies both
  local v2 = clean.apply(c, {boilerplate = false, duplicates = false})
  T.eq(#v2, 6, "no duplicates pass")
  for d in v2:each() do
    T.eq(d.meta.cleaned.lines, nil, "no lines field without the pass")
    if d.id == "01_tram.txt" then T.ok(d.text:find("HGZ", 1, true), "ticker kept") end
  end
  local v3 = clean.apply(v2, {unglue = false, duplicates = false})
  for d in v3:each() do
    if d.id == "06_tram_copy.txt" then
      T.ok(d.text:find("The council said on the", 1, true) and not d.text:find("HGZ", 1, true), "both filters")
    end
  end
end

-- ------------------------------------------------------------------------
-- report.lua --clean

local function report(args)
  local bin = os.getenv("LECTOR_BIN") or "build/lector"
  local p = assert(io.popen(bin .. " scripts/report.lua " .. args .. " 2>/dev/null"))
  local out = p:read("a")
  p:close()
  return out
end

function tests.report_clean()
  local tram = T.read(NEWS .. "/01_tram.txt")
  local dir = news_with{["06_tram_copy.txt"] = edit(tram, 2):gsub("The mayor answered",
    "Thecouncil said onthe quay. The mayor answered") .. "\n"}
  local out = report("'" .. dir .. "' --clean --top 3")
  T.ok(out:find("Cleaning (--clean)", 1, true), "the section")
  T.ok(out:find("12 boilerplate lines removed from 5 documents (6 distinct)", 1, true), "lines: " .. out:match("Cleaning.*") )
  T.ok(out:find("Subscribe to the Harbour Gazette from", 1, true), "the most common line")
  T.ok(out:find("1 document dropped as near-duplicates (1 cluster); 5 of 6 kept", 1, true), "duplicates")
  T.ok(out:find("2 glued words split in 1 document", 1, true), "splits")
  T.ok(out:find("^Corpus: .-\n5 documents"), "the report is on the cleaned corpus")
  T.ok(not report("'" .. dir .. "' --top 3"):find("Cleaning", 1, true), "no section without --clean")
  local page = T.tmpdir() .. "/report.html"
  report("'" .. dir .. "' --clean --top 3 --html '" .. page .. "'")
  local html = T.read(page)
  T.ok(html:find("Cleaning (--clean)", 1, true), "the HTML section")
  T.ok(html:find("12 boilerplate lines removed from 5 documents", 1, true), "HTML lines")
  T.ok(html:find("Subscribe to the Harbour Gazette", 1, true), "HTML table of lines")
  local ok, cjson = pcall(require, "cjson")
  if ok then
    local r = cjson.decode(report("'" .. dir .. "' --clean --json"))
    T.eq(r.cleaning.dropped, 1, "json dropped")
    T.eq(r.cleaning.splits, 2, "json splits")
    T.eq(r.cleaning.lines, 12, "json lines")
    T.eq(r.corpus.documents, 5, "json documents after cleaning")
  end
end

-- ------------------------------------------------------------------------
-- Bad input

function tests.bad_input()
  local c = lector.load(NEWS)
  T.raises("clean.duplicates: opts.threshold: expected a number above 0 and at most 1, got 0",
    clean.duplicates, c, {threshold = 0})
  T.raises("clean.duplicates: opts.threshold: expected a number from 0 to 1, got 2",
    clean.duplicates, c, {threshold = 2})
  T.raises("clean.duplicates: opts.shingle: expected 1 to 32, got 0", clean.duplicates, c, {shingle = 0})
  T.raises("clean.duplicates: unknown option 'treshold'", clean.duplicates, c, {treshold = 0.5})
  T.raises("clean.boilerplate: opts.share: expected a number from 0 to 1, got \"x\"",
    clean.boilerplate, c, {share = "x"})
  T.raises("clean.boilerplate: opts.min_docs: expected 2 to", clean.boilerplate, c, {min_docs = 1})
  T.raises("clean.boilerplate: opts.add: expected a list of lines, got \"x\"",
    clean.boilerplate, c, {add = "x"})
  T.raises("clean.boilerplate: opts.keep[2]: expected a line (a string), got 7",
    clean.boilerplate, c, {keep = {"a", 7}})
  T.raises("clean.boilerplate: expected a corpus, got string", clean.boilerplate, "text")
  T.raises("clean.unglue: opts.vocab: the count of \"the\" must be a non-negative integer, got -1",
    clean.unglue, "x", {vocab = {the = -1}})
  T.raises("clean.unglue: opts.vocab: expected a count table", clean.unglue, "x", {vocab = 5})
  T.raises("clean.unglue: opts.min_count: expected 1 to", clean.unglue, "x", {vocab = {}, min_count = 0})
  T.raises("clean.unglue: opts.splits: expected a boolean, got \"yes\"",
    clean.unglue, "x", {vocab = {}, splits = "yes"})
  T.raises("clean.apply: opts.unglue: expected true, false or a table of options, got \"yes\"",
    clean.apply, c, {unglue = "yes"})
  T.raises("clean.apply: duplicates: opts.threshold: expected a number from 0 to 1, got 7",
    clean.apply, c, {duplicates = {threshold = 7}})
  T.raises("clean.apply: unglue: unknown option 'vocabulary'", clean.apply, c, {unglue = {vocabulary = {}}})
  T.raises("clean.apply: unknown option 'bogus'", clean.apply, c, {bogus = 1})
  T.raises("clean.apply: opts.threads: expected 0 (all cores) to 64, got 99", clean.apply, c, {threads = 99})
end

T.run(tests)
