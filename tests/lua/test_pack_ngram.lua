-- test_pack_ngram.lua: the ngram plugin on packed corpora (issue 18).
-- Every result from a pack equals the result from the files it was made
-- from: saved count tables byte for byte (n = 1..3, by month, skip-grams,
-- stop words, stemming), collocations, keyness, tfidf, dtm, collocates,
-- dispersion and kwic rows (sorted, limited).  ngram._pack_stats() tells
-- which path ran, so the tests also fail when the token streams are not
-- read where they apply (options equal to the pack's), or are read where
-- they do not (other options, stop words dropped, sentences), or when kwic
-- tokenizes documents the positional index rules out.  Fixtures: the
-- sample corpus, hand-made documents, and a slice of ../shared/corpora
-- when present.
local T = require "testlib"
local ngram = require "lector.ngram"
local lfs = require "lfs"

local tests = {}

-- ---------------------------------------------------------------------
-- Helpers

-- A canonical string of any value: tables with sorted keys, numbers
-- with their exact bits, so that equal strings mean equal results.
local function ser_into(v, out)
  local t = type(v)
  if t == "table" then
    local keys = {}
    for k in pairs(v) do keys[#keys + 1] = k end
    table.sort(keys, function(a, b)
      if type(a) ~= type(b) then return type(a) < type(b) end
      return a < b
    end)
    out[#out + 1] = "{"
    for _, k in ipairs(keys) do
      ser_into(k, out)
      out[#out + 1] = "="
      ser_into(v[k], out)
      out[#out + 1] = ","
    end
    out[#out + 1] = "}"
  elseif t == "number" then
    out[#out + 1] = math.type(v) == "integer" and tostring(v)
                    or string.format("%a", v)
  elseif t == "string" then
    out[#out + 1] = string.format("%q", v)
  else
    out[#out + 1] = tostring(v)
  end
end

local function ser(v)
  local out = {}
  ser_into(v, out)
  return table.concat(out)
end

local function stats() return ngram._pack_stats() end

-- Run fn(corpus) on the files and on the pack; the results must be equal
-- (as ser strings), and the pack's run must have taken the path `want`
-- says:
--   true       a fast path: the token streams of every document of the
--              pack, or the successor lists (ng_next.h; a call may also
--              count a view of some documents from their streams)
--   "next"     the successor lists, no stream
--   "streams"  the streams of every document, no successor list
--   a number   that many streams
--   false      neither streams nor lists (the text)
--   nil        not checked.
local function same(what, files, pack, fn, want)
  local a = ser(fn(files))
  local s0 = stats()
  local b = ser(fn(pack))
  local s1 = stats()
  local got, lists = s1.stream_docs - s0.stream_docs,
                     s1.next_words - s0.next_words
  local says = want ~= nil and type(want) ~= "number" and
      string.format("%s: token streams read for %d of %d documents, "
                    .. "successor lists of %d words", what, got, #pack, lists)
  T.ok(a == b, what .. ": the pack's result differs from the files'")
  if want == true then
    T.ok(got >= #pack or lists > 0, says)
  elseif want == "next" then
    T.ok(lists > 0 and got == 0, says)
  elseif want == "streams" then
    T.ok(got >= #pack and lists == 0, says)
  elseif type(want) == "number" then
    T.eq(got, want, what .. ": token streams read")
  elseif want == false then
    T.ok(got == 0 and lists == 0, says)
  end
end

-- Saved tables of a count from the files and from the pack, byte for
-- byte, and the stream path taken as `want` says.
local function same_saved(what, d, files, pack, opts, want)
  local i = 0
  if want == true and opts.by == "month" then   -- the dated documents
    want = 0
    for doc in pack:each() do
      if doc.date and doc.date ~= "" then want = want + 1 end
    end
  end
  same(what, files, pack, function(c)
    i = i + 1
    local path = string.format("%s/%d.tsv", d, i)
    local r = ngram.count(c, opts)
    if type(r) == "userdata" then
      r:save(path)
      return T.read(path)
    end
    local keys, out = {}, {}        -- by: one table per group
    for k in pairs(r) do keys[#keys + 1] = k end
    table.sort(keys)
    for _, k in ipairs(keys) do
      r[k]:save(path)
      out[#out + 1] = k .. "\n" .. T.read(path)
    end
    return table.concat(out, "\n")
  end, want)
end

-- Pack files into d/name.lpk with pack options popts, and load it.
local function pack_of(files, d, name, popts)
  local out = d .. "/" .. name .. ".lpk"
  lector.pack(files, out, popts)
  return lector.load(out)
end

-- Does this host give token streams?  (Before the host side lands, a
-- pack has none and everything must still be equal, through the text.)
local function has_streams(files, pack)
  local s0 = stats().stream_docs
  ngram.count(pack, {n = 3})             -- not from the successor lists
  local got = stats().stream_docs - s0
  if got == 0 then
    io.stderr:write("note: this host gives no packed token streams\n")
  end
  return got > 0
end

-- ---------------------------------------------------------------------
-- Fixtures

-- Hand-made documents: long tokens, numbers, emoji, URLs, mentions,
-- stemming fodder, stop words, case, accents, marks with no letter,
-- invalid UTF-8, an empty document; dates over two months.
local function odd_corpus(d)
  local src = d .. "/odd"
  assert(lfs.mkdir(src))
  local long = string.rep("x", 1500)
  local docs = {
    " date 2026-01-03 The Runners were running; the runner runs!\n"
    .. "Running runs ran. 76,000 and 0.6 and 1,2,3 of THE best.\n",
    " date 2026-01-09 " .. long .. " then " .. long .. "y and "
    .. string.rep("ab", 700) .. " again " .. long .. "\n",
    " date 2026-02-11 Emoji \u{1F600} and \u{1F44D}\u{1F3FD} and "
    .. "\u{1F468}\u{200D}\u{1F469}\u{200D}\u{1F467} with @someone #tag "
    .. "https://example.org/a?b=c and mail@example.org.\n",
    " date 2026-02-14 Café CAFÉ cafe\u{301} naïve NAÏVE Ångström "
    .. "\u{301}\u{302} \u{200B} \u{AD} ’tis don’t DON'T U.S. a.m. "
    .. "well-known well known\n",
    " date 2026-02-20 bad \xff\xfe bytes \xc3 in \xe2\x82 the text; "
    .. "the end\n",
    " date 2026-02-21 \n",
    " date 2026-01-30 Of the people, by the people, for the people: "
    .. "and so on and so forth, and the rest of it.\n",
  }
  for i, text in ipairs(docs) do
    T.write(string.format("%s/d%02d.txt", src, i), text)
  end
  return lector.load(src, {quiet = true})
end

-- The shared slices: State of the Union, and every tenth ABC article;
-- nil when ../shared/corpora is absent.
local function shared_corpus()
  local su, abc = T.shared("state_union"), T.shared("abc")
  local out = {}
  if su then out[#out + 1] = lector.load(su, {quiet = true}) end
  if abc then
    local i = 0
    out[#out + 1] = lector.load(abc, {quiet = true}):filter(function()
      i = i + 1
      return i % 10 == 0
    end)
  end
  return #out > 0 and out or nil
end

-- ---------------------------------------------------------------------
-- The checks, on one corpus

local function check_counts(what, d, f, p, streams)
  -- a whole pack's unigrams and bigrams: from the successor lists
  for _, o in ipairs{
    {n = 1}, {n = 2}, {n = {1, 2}, threads = 1}, {n = {1, 2}, threads = 2},
    {n = {1, 2}, min_count = 2},
  } do
    same_saved(what .. " count " .. ser(o), d, f, p, o,
               streams and "next")
  end
  -- longer grams, skips, groups: from the streams
  for _, o in ipairs{
    {n = 3}, {n = {1, 3}}, {n = 2, skip = 2}, {n = {1, 3}, skip = 1},
  } do
    same_saved(what .. " count " .. ser(o), d, f, p, o,
               streams and "streams")
  end
  -- by month: the streams of the dated documents
  same_saved(what .. " count by month", d, f, p, {n = {1, 2}, by = "month"},
             streams)
  same_saved(what .. " count n=3 by month", d, f, p,
             {n = 3, by = "month", threads = 1}, streams)
  -- a budget the lists' tables pass: the streams, through runs on disk
  same_saved(what .. " count in 64K", d, f, p, {n = 2, memory = "64K"},
             streams)
  -- options the default pack was not made with: the text, as before
  for _, o in ipairs{
    {n = 2, stem = "english"}, {n = {1, 2}, lower = false},
    {n = 2, punct = true}, {n = {1, 2}, stopwords = true},
    {n = 2, stopwords = true, stop_mode = "remove"},
    {n = 2, sentences = true},
  } do
    same_saved(what .. " count " .. ser(o), d, f, p, o, false)
  end
end

local function check_stats(what, f, p, streams)
  same(what .. " collocations", f, p, function(c)
    return ngram.collocations(c, {measure = "llr"})
  end, streams)
  same(what .. " collocations n=3 pmi", f, p, function(c)
    return ngram.collocations(c, {n = 3, measure = "pmi", min_count = 2})
  end, streams)
  same(what .. " keyness", f, p, function(c)
    local half = c:filter(function(doc) return #doc.id % 2 == 0 end)
    return ngram.keyness(ngram.count(half), ngram.count(c))
  end, streams)
  same(what .. " tfidf", f, p, function(c)
    return ngram.tfidf(c, {top = 5})
  end, streams)
  same(what .. " tfidf n=2 smooth", f, p, function(c)
    return ngram.tfidf(c, {n = 2, tf = "raw", idf = "smooth", norm = "l2"})
  end, streams)
  same(what .. " dtm", f, p, function(c)
    local m = ngram.dtm(c, {n = {1, 2}})
    local r, cols = {dims = {m:dims()}, nnz = m:nnz(), terms = m:terms()}, {}
    for j = 1, math.min(#r.terms, 200) do cols[j] = m:col(j) end
    r.cols = cols
    r.rows = m:rownames()
    m:close()
    return r
  end, streams)
  same(what .. " dtm by month", f, p, function(c)
    local m = ngram.dtm(c, {by = "month"})
    local r = {dims = {m:dims()}, nnz = m:nnz(), terms = m:terms(),
               rows = m:rownames()}
    m:close()
    return r
  end, streams)
  same(what .. " dispersion", f, p, function(c)
    return ngram.dispersion(c, {"the", "and", "of the", "zzzz"})
  end, streams)
  same(what .. " dispersion parts", f, p, function(c)
    return ngram.dispersion(c, {"the", "people"}, {parts = 3})
  end, streams)
  same(what .. " dispersion stopwords", f, p, function(c)
    return ngram.dispersion(c, "people", {stopwords = true})
  end, false)
end

-- The documents of c with a hit of node (kwic from the files).
local function hit_docs(c, node)
  local docs, n = {}, 0
  for _, r in ipairs(ngram.kwic(c, node, {window = 0})) do
    if not docs[r.index] then n = n + 1 end
    docs[r.index] = true
  end
  return n
end

-- Collocates from a whole pack go through its index: the streams read
-- are those of the documents holding every word of the node (at least
-- those with a hit, never all when some document has none).
local function same_collocates(what, f, p, node, opts, streams)
  local a = ser(ngram.collocates(f, node, opts))
  local s0 = stats().stream_docs
  local b = ser(ngram.collocates(p, node, opts))
  local got, hits = stats().stream_docs - s0, hit_docs(f, node)
  T.ok(a == b, what .. ": the pack's result differs from the files'")
  if not streams then return end
  T.ok(got >= hits and got <= #p, string.format("%s: %d token streams "
       .. "read, %d documents with a hit, %d in all", what, got, hits, #p))
  if hits < #p then
    T.ok(got < #p, what .. ": every stream read, not only the node's")
  end
end

-- Word w's collocates and kwic rows; kwic must tokenize only the
-- documents that hold the pattern's words (fewer than all, when
-- streams).
local function check_node(what, f, p, node, streams)
  if node:find("*", 1, true) then goto kwic end
  same_collocates(what .. " collocates " .. node, f, p, node,
                  {span = {3, 3}, min_count = 1}, streams)
  same_collocates(what .. " collocates logdice " .. node, f, p, node,
                  {measure = "logdice", min_count = 1}, streams)
  do           -- a view of some documents: the index counts them all, so
    local function half(c)      -- every stream of the view is read
      local i = 0
      return c:filter(function() i = i + 1; return i % 2 == 1 end)
    end
    local fv, pv = half(f), half(p)
    same(what .. " collocates of a view " .. node, fv, pv, function(c)
      return ngram.collocates(c, node, {span = {2, 4}, min_count = 1})
    end, streams and #pv or nil)
  end
  do
    local dated = 0               -- by month: the dated documents are read
    for doc in p:each() do
      if doc.date and doc.date ~= "" then dated = dated + 1 end
    end
    same(what .. " collocates by month " .. node, f, p, function(c)
      return ngram.collocates(c, node, {by = "month", min_count = 1})
    end, streams and dated or nil)
  end
  same(what .. " collocates stopwords " .. node, f, p, function(c)
    return ngram.collocates(c, node, {stopwords = true, min_count = 1})
  end, false)
  ::kwic::
  for _, o in ipairs{
    {}, {window = 3, threads = 1}, {limit = 3}, {sort = {"R1", "L1"}},
    {sort = {"L2", "M1"}, limit = 5}, {sentences = true},
    {window = 0, threads = 2},
  } do
    local k0 = stats().kwic_docs
    local a = ser(ngram.kwic(f, node, o))
    local k1 = stats().kwic_docs
    local b = ser(ngram.kwic(p, node, o))
    local k2 = stats().kwic_docs
    T.ok(a == b, what .. " kwic " .. node .. " " .. ser(o)
                 .. ": the pack's rows differ from the files'")
    T.eq(k1 - k0, #f, what .. " kwic from the files reads every document")
    if streams and not o.sentences then
      local hits = ngram.kwic(f, node, {window = 0})
      local docs = {}
      for _, r in ipairs(hits) do docs[r.index] = true end
      local nd = 0
      for _ in pairs(docs) do nd = nd + 1 end
      -- the hits come from the checkpoints (TOFF): no document is
      -- tokenized whole (with the default options no token depends on
      -- the text before it)
      T.eq(k2 - k1, 0, what .. " kwic " .. node .. ": from the pack, "
           .. (k2 - k1) .. " documents tokenized whole")
    elseif o.sentences then
      T.eq(k2 - k1, #p, what .. " kwic with sentences reads every document")
    end
  end
end

local function check_corpus(what, d, files, nodes)
  local pack = pack_of(files, d, "default")
  local streams = has_streams(files, pack)
  check_counts(what, d, files, pack, streams)
  check_stats(what, files, pack, streams)
  for _, node in ipairs(nodes) do check_node(what, files, pack, node, streams) end
  return streams
end

-- ---------------------------------------------------------------------
-- Tests

function tests.sample_corpus()
  local d = T.tmpdir()
  local files = lector.load("scripts/corpus", {quiet = true})
  check_corpus("sample", d, files,
               {"tram", "the", "tram line", "the *", "zzzz", "Rovers"})
end

function tests.odd_documents()
  local d = T.tmpdir()
  local files = odd_corpus(d)
  check_corpus("odd", d, files, {"the", "runs", "people", "x", "Café"})
  -- a long token is a node too (its raw text is its form)
  local p = lector.load(d .. "/default.lpk")
  local long = string.rep("x", 1500)
  T.eq(ser(ngram.kwic(p, long)), ser(ngram.kwic(files, long)),
       "odd: kwic of a long token")
end

-- A pack made with other tokenizer options: calls with the default
-- options tokenize its text (and agree with the files); calls with the
-- pack's options read its streams.
function tests.other_options()
  local d = T.tmpdir()
  local files = odd_corpus(d)
  local sample = lector.load("scripts/corpus", {quiet = true})
  local srcs = {{"odd", files}, {"sample", sample}}
  for _, src in ipairs(srcs) do
    src[3] = has_streams(src[2], pack_of(src[2], d, src[1] .. "-default"))
  end
  for _, case in ipairs{
    {name = "lower", tokens = {lower = false}, opts = {lower = false}},
    {name = "stem", tokens = {stem = "english"}, opts = {stem = "english"}},
    {name = "punct", tokens = {punct = true}, opts = {punct = true}},
    {name = "stop", tokens = {stopwords = true},
     opts = {stopwords = true, stop_mode = "remove"}},
  } do
    for _, src in ipairs(srcs) do
      local what = src[1] .. " " .. case.name
      local f, streams = src[2], src[3]
      local p = pack_of(f, d, src[1] .. "-" .. case.name,
                        {tokens = case.tokens})
      same_saved(what .. ": default options", d, f, p, {n = {1, 2}}, false)
      local o = {n = {1, 3}}
      for k, v in pairs(case.opts) do o[k] = v end
      same_saved(what .. ": the pack's options", d, f, p, o, streams)
      o.by = "month"
      same_saved(what .. ": the pack's options by month", d, f, p, o, streams)
      local ko = {window = 2}
      for k, v in pairs(case.opts) do
        if k ~= "stop_mode" then ko[k] = v end
      end
      local k0 = stats().kwic_docs
      T.eq(ser(ngram.kwic(p, "the", {window = 2})),
           ser(ngram.kwic(f, "the", {window = 2})), what .. ": kwic default")
      T.eq(stats().kwic_docs - k0, 2 * #f,
           what .. ": kwic with other options reads every document")
      if case.name ~= "stop" then
        T.eq(ser(ngram.kwic(p, "the", ko)), ser(ngram.kwic(f, "the", ko)),
             what .. ": kwic with the pack's options")
      end
    end
  end
end

-- A document of a pack and a subset of a pack: the same as from the files.
function tests.docs_and_subsets()
  local d = T.tmpdir()
  local files = lector.load("scripts/corpus", {quiet = true})
  local pack = pack_of(files, d, "default")
  local streams = has_streams(files, pack)
  for i = 1, #files, 3 do
    same_saved("doc " .. i, d, files[i], pack[i], {n = {1, 2}},
               streams and 1 or false)
  end
  local keep = function(doc) return doc.id:find("tram", 1, true) ~= nil end
  local fs, ps = files:filter(keep), pack:filter(keep)
  T.ok(#fs > 0 and #fs < #files, "a proper subset")
  same_saved("subset", d, fs, ps, {n = {1, 2}}, streams)
  T.eq(ser(ngram.kwic(ps, "line")), ser(ngram.kwic(fs, "line")),
       "subset: kwic")
  -- a view whose text a plugin changes (clean.apply): the text, not the
  -- streams, which hold the unchanged text's tokens
  local ok, clean = pcall(require, "lector.clean")
  if ok then
    local o = {unglue = true}
    local fv, pv = clean.apply(files, o), clean.apply(pack, o)
    same_saved("clean view", d, fv, pv, {n = {1, 2}}, false)
  end
end

-- kwic from the checkpoints (TOFF, every 16th token): hits at token 0,
-- at the last token, at 15, 16, 17, 31, 32, 33, windows and phrases
-- across checkpoints, a long document, documents without tokens, text
-- with combining marks, emoji, invalid UTF-8, URLs, apostrophes and
-- hyphens; rows equal to the files' for every option; and a document
-- whose checkpoint starts at a '#' after a letter (with punct: from
-- there it would read "#tag"), which is tokenized whole.
function tests.kwic_checkpoints()
  local d = T.tmpdir()
  local src = d .. "/src"
  assert(lfs.mkdir(src))
  local function doc(name, words) T.write(src .. "/" .. name, table.concat(words, " ") .. "\n") end
  local function filler(n, at)
    local w = {}
    for i = 0, n - 1 do w[#w + 1] = at[i] or ("w" .. i) end
    return w
  end
  for _, i in ipairs{0, 1, 15, 16, 17, 31, 32, 33} do
    doc(("at%02d.txt"):format(i), filler(40, {[i] = "needle"}))
  end
  doc("last.txt", filler(48, {[47] = "needle"}))     -- 3 full checkpoints
  doc("last2.txt", filler(33, {[32] = "needle"}))    -- one token after 32
  doc("cross.txt", filler(40, {[15] = "cross", [16] = "over", [31] = "cross",
                               [32] = "over", [33] = "needle"}))
  doc("all.txt", filler(70, {[0] = "needle", [15] = "needle", [16] = "needle",
                             [17] = "needle", [47] = "needle", [48] = "needle",
                             [69] = "needle"}))
  -- combining marks at the start of lines (with accents = false below,
  -- where stripping them may leave nothing)
  local marks = {}
  for i = 0, 59 do
    marks[#marks + 1] = (i % 7 == 3) and "needle" or ("m" .. i)
    if i % 5 == 0 then marks[#marks + 1] = "\n\u{301}\u{302}" end
  end
  doc("marks.txt", marks)
  T.write(src .. "/empty.txt", "")
  T.write(src .. "/punct.txt", "... !!! ---\n")
  local tricky = {"caf\u{e9}", "e\u{301}te\u{301}", "\u{1F600}", "\u{1F44D}\u{1F3FD}",
                  "\u{1F1EB}\u{1F1F7}", "\xff\xfe", "http://example.com/a-b?c=d",
                  "don't", "l\u{2019}homme", "well-known", "U.S.", "3.14", "a.m.",
                  "#tag", "@name", "x#y", "mail@example.org", "--", "\u{300}x",
                  "\u{5d0}\u{5d1}", "\u{e01}\u{e32}\u{e23}", "\u{4e2d}\u{6587}",
                  "over", "cross", "w1"}
  math.randomseed(42)
  local long = {"start"}               -- (no BOM-like first bytes)
  for i = 2, 6000 do
    long[i] = (i % 37 == 0) and "needle" or (i % 53 == 0) and "cross over"
              or tricky[math.random(#tricky)]
  end
  doc("long.txt", long)
  for k = 1, 3 do
    local t = {"start"}
    for i = 2, 300 do t[i] = math.random() < 0.05 and "needle" or tricky[math.random(#tricky)] end
    doc(("tricky%d.txt"):format(k), t)
  end
  -- raw: invalid UTF-8 stays in the text (not read as Windows-1252)
  local files = lector.load(src, {quiet = true, encoding = "raw"})
  local cases = {
    {name = "default", tokens = nil, opts = {}},
    {name = "punct", tokens = {punct = true, invalid = "replace"},
     opts = {punct = true, invalid = "replace"}},
    {name = "split", tokens = {split_hyphens = true, urls = false},
     opts = {split_hyphens = true, urls = false}},
    {name = "accents", tokens = {accents = false}, opts = {accents = false}},
  }
  for _, case in ipairs(cases) do
    local p = pack_of(files, d, "ck-" .. case.name, {tokens = case.tokens})
    for _, node in ipairs{"needle", "cross over", "* needle", "needle *",
                          "over * * needle", "w1", "w0", "\u{1F600}"} do
      for _, o in ipairs{{}, {window = 0}, {window = 1}, {window = 15},
                         {window = 16}, {window = 17}, {window = 40},
                         {sort = {"R1", "L2"}}, {limit = 4, threads = 1},
                         {window = 3, sort = {"M1", "R3"}, limit = 7}} do
        local ko = {}
        for k, v in pairs(case.opts) do ko[k] = v end
        for k, v in pairs(o) do ko[k] = v end
        local ok, a = pcall(ngram.kwic, files, node, ko)
        if ok then
          local b = ngram.kwic(p, node, ko)
          T.ok(#a > 0 or node == "\u{1F600}", case.name .. " " .. node .. " " .. ser(ko) .. ": hits")
          T.ok(ser(a) == ser(b), case.name .. " kwic " .. node .. " " .. ser(ko)
                                 .. ": the pack's rows differ from the files'")
        else
          T.raises("gives no token", ngram.kwic, p, node, ko)
        end
      end
    end
    if case.name == "default" then
      local k0 = stats().kwic_docs
      T.ok(#ngram.kwic(p, "needle") > 200, "hits")
      T.eq(stats().kwic_docs - k0, 0, "default: no document tokenized whole")
    end
  end
  -- the fallback: tokens 0..14 w1..w15, x (15), # (16), tag (17), w17,
  -- needle (19); window 3 starts at the checkpoint of token 16, the '#',
  -- from which the tokenizer reads a hashtag: that document is tokenized
  -- whole, the other one is not
  local fb = d .. "/fb"
  assert(lfs.mkdir(fb))
  local w = {}
  for i = 1, 15 do w[i] = "w" .. i end
  T.write(fb .. "/a.txt", table.concat(w, " ") .. " x#tag w17 needle w19\n")
  T.write(fb .. "/b.txt", table.concat(w, " ") .. " x tag w17 needle w19\n")
  local ff = lector.load(fb, {quiet = true})
  local fp = pack_of(ff, d, "fallback", {tokens = {punct = true}})
  local k0, s0 = stats().kwic_docs, stats()
  local b = ngram.kwic(fp, "needle", {window = 3, punct = true})
  T.eq(stats().kwic_docs - k0, 1, "fallback: one document tokenized whole")
  T.eq(stats().kwic_fallbacks - s0.kwic_fallbacks, 1,
       "fallback: one document's checkpoints given up")
  T.eq(stats().kwic_seek_docs - s0.kwic_seek_docs, 1,
       "fallback: the other served from its checkpoints")
  T.eq(ser(b), ser(ngram.kwic(ff, "needle", {window = 3, punct = true})),
       "fallback: rows equal the files'")
  T.eq(b[1].left, "#tag w17", "fallback: the context (#, tag, w17)")
  -- window 5 starts at token 14, whose checkpoint is token 0: no fallback
  k0, s0 = stats().kwic_docs, stats()
  b = ngram.kwic(fp, "needle", {window = 5, punct = true})
  T.eq(stats().kwic_docs - k0, 0, "window 5: from checkpoint 0, no fallback")
  T.eq(stats().kwic_seek_docs - s0.kwic_seek_docs, 2,
       "window 5: both documents served from their checkpoints")
  T.eq(ser(b), ser(ngram.kwic(ff, "needle", {window = 5, punct = true})),
       "window 5: rows equal the files'")
end

function tests.shared_corpora()
  local slices = shared_corpus()
  if not slices then
    print("skip: ../shared/corpora is absent")
    return
  end
  for i, files in ipairs(slices) do
    local d = T.tmpdir()
    local what = "shared " .. i
    local pack = pack_of(files, d, "default")
    local streams = has_streams(files, pack)
    for _, o in ipairs{{n = {1, 3}}, {n = {1, 2}, by = "month"},
                       {n = 2, skip = 1}, {n = 2, stem = "english"}} do
      same_saved(what .. " count " .. ser(o), d, files, pack, o,
                 o.stem == nil and streams or false)
    end
    check_stats(what, files, pack, streams)
    check_node(what, files, pack, "people", streams)
    check_node(what, files, pack, "united states", streams)
  end
end

T.run(tests)
