-- test_dispersion.lua: ngram.dispersion (issue 16): range, Juilland's D,
-- Gries's DP (2008) and DP_norm (Lijffijt & Gries 2012) against values
-- worked out by hand for Gries's own five-part example, and against a
-- reference computed here from the token stream (tokenize.words) with the
-- formulas of docs/statistics.md.
local T = require "testlib"
local ngram = require "lector.ngram"
local tokenize = require "lector.tokenize"

local town = lector.load(T.fixtures("ngram/town"))
local sample = lector.load("scripts/corpus")

local function close(got, want, what, tol)
  tol = tol or 1e-9
  if got == nil or math.abs(got - want) > tol then
    error(string.format("%s: expected %.12g, got %s", what, want,
      tostring(got)), 2)
  end
end

-- Gries (2008, p. 410): five parts of ten words; "a" occurs 1, 2, 3, 4,
-- 5 times, "b" twice in each.
local gries = {
  "b a m n i b e u p k", "b a s a t b e w q n", "b c a g a b e s t a",
  "b a g h a b e a a t", "b a h a a b e a x a",
}

local function corpus_of(texts)
  local dir = T.tmpdir()
  for i, t in ipairs(texts) do T.write(string.format("%s/%02d.txt", dir, i), t) end
  return lector.load(dir)
end

-- The reference: {counts =, sizes =} of word (a list of words) in parts.
local function ref_parts(corpus, words, parts, opts)
  local docs = {}
  for d in corpus:each() do docs[#docs + 1] = tokenize.words(d, opts) end
  local N = 0
  for _, w in ipairs(docs) do N = N + #w end
  local np = parts == "docs" and #docs or parts
  local counts, sizes = {}, {}
  for j = 1, np do counts[j], sizes[j] = 0, 0 end
  local function part_of(p)          -- p: 0-based position in the corpus
    if parts == "docs" then return nil end
    for j = np, 1, -1 do
      if p >= (j - 1) * N // np then return j end
    end
  end
  local p = 0
  for di, w in ipairs(docs) do
    for i = 1, #w do
      local part = part_of(p) or di
      sizes[part] = sizes[part] + 1
      local hit = i + #words - 1 <= #w
      for k = 1, #words do
        if hit and w[i + k - 1] ~= words[k] then hit = false end
      end
      if hit then counts[part] = counts[part] + 1 end
      p = p + 1
    end
  end
  return counts, sizes
end

-- The measures from docs/statistics.md.
local function ref_stats(c, s)
  local f, S, smin, range = 0, 0, math.huge, 0
  for i = 1, #c do
    f, S = f + c[i], S + s[i]
    smin = math.min(smin, s[i])
    if c[i] > 0 then range = range + 1 end
  end
  local r = {freq = f, range = range}
  if f > 0 then
    local dp = 0
    for i = 1, #c do dp = dp + math.abs(c[i] / f - s[i] / S) end
    r.dp = dp / 2
    if smin < S then r.dp_norm = r.dp / (1 - smin / S) end
    local rel = {}
    for i = 1, #c do if s[i] > 0 then rel[#rel + 1] = c[i] / s[i] end end
    if #rel >= 2 then
      local mean, sq = 0, 0
      for _, x in ipairs(rel) do mean = mean + x end
      mean = mean / #rel
      for _, x in ipairs(rel) do sq = sq + (x - mean) ^ 2 end
      r.juilland_d = 1 - (math.sqrt(sq / #rel) / mean) / math.sqrt(#rel - 1)
    end
  end
  return r
end

local function check(corpus, word, parts, opts, what)
  opts = opts or {}
  local words = tokenize.words(word, opts)
  local c, s = ref_parts(corpus, words, parts, opts)
  local o = {parts = parts}
  for k, v in pairs(opts) do o[k] = v end
  local got = ngram.dispersion(corpus, word, o)
  local want = ref_stats(c, s)
  T.eq(got.word, word, what .. ": word")
  T.eq(got.parts, #c, what .. ": parts")
  T.eq(table.concat(got.counts, ","), table.concat(c, ","), what .. ": counts")
  T.eq(got.freq, want.freq, what .. ": freq")
  T.eq(got.range, want.range, what .. ": range")
  for _, k in ipairs {"dp", "dp_norm", "juilland_d"} do
    if want[k] == nil then T.eq(got[k], nil, what .. ": " .. k .. " undefined")
    else close(got[k], want[k], what .. ": " .. k) end
  end
  return got
end

T.run {
  gries_2008 = function()
    local c = corpus_of(gries)
    local a = ngram.dispersion(c, "a")
    T.eq(table.concat(a.counts, ","), "1,2,3,4,5", "counts of a")
    T.eq(a.freq .. " " .. a.range .. " " .. a.parts, "15 5 5", "a")
    close(a.dp, 0.2, "DP of a (Gries: 0.2)")
    close(a.dp_norm, 0.25, "DP_norm of a: 0.2 / (1 - 0.2)")
    -- rel. freqs .1 .. .5: mean .3, population sd sqrt(.02)
    close(a.juilland_d, 1 - (math.sqrt(0.02) / 0.3) / 2, "D of a")
    local b = ngram.dispersion(c, "b")
    close(b.dp, 0, "DP of b: even")
    close(b.juilland_d, 1, "D of b: even")
    -- five equal parts of the corpus are its documents here
    local eq = ngram.dispersion(c, "a", {parts = 5})
    T.eq(table.concat(eq.counts, ","), "1,2,3,4,5", "five equal parts")
    -- two parts of 25 words: "a" 5 and 10 times
    local two = ngram.dispersion(c, "a", {parts = 2})
    T.eq(table.concat(two.counts, ","), "5,10", "two equal parts")
    close(two.dp, 1 / 6, "DP in two parts")
    -- uneven documents (4, 6 and 2 words): DP = 0.5 (0 + 1/6 + 1/6)
    local u = corpus_of {"a b c d", "a a x y z w", "q r"}
    local x = ngram.dispersion(u, "a")
    close(x.dp, 1 / 6, "DP weighted by part size")
    close(x.dp_norm, 0.2, "DP_norm")
    close(x.juilland_d, 0.4849212463622873, "D", 1e-12)
    T.eq(x.range, 2, "range")
  end,

  reference = function()
    for _, parts in ipairs {"docs", 1, 3, 7, 50} do
      for _, w in ipairs {"the", "library", "town council", "zebra"} do
        check(town, w, parts, nil, "town " .. w .. " parts " .. parts)
      end
      check(sample, "flood", parts, nil, "sample flood parts " .. parts)
    end
    check(town, "Library", "docs", {lower = false}, "case kept")
    check(town, "librari", 4, {stem = "english"}, "stemmed")
    check(town, "library", 5, {stopwords = true}, "stop words removed")
  end,

  lists_and_sources = function()
    local rows = ngram.dispersion(town, {"library", "town council", "zebra"},
      {parts = 4})
    T.eq(#rows, 3, "one row per item")
    T.eq(rows[2].word, "town council", "items in order")
    T.eq(rows[3].freq, 0, "absent word")
    T.eq(rows[3].dp, nil, "no DP for an absent word")
    T.eq(rows[3].juilland_d, nil, "no D for an absent word")
    local one = ngram.dispersion(town, "library", {parts = 4})
    T.eq(table.concat(rows[1].counts, ","), table.concat(one.counts, ","),
      "a list item is the word alone")
    local s = ngram.dispersion("a b a c", "a", {parts = 2})
    T.eq(table.concat(s.counts, ","), "1,1", "a string in parts")
    local d = ngram.dispersion("a b a c", "a")
    T.eq(d.parts .. " " .. tostring(d.juilland_d), "1 nil",
      "one part: D undefined")
    close(d.dp, 0, "one part: DP 0")
    local t1 = ngram.dispersion(sample, "flood", {threads = 1, parts = 9})
    local t2 = ngram.dispersion(sample, "flood", {threads = 2, parts = 9})
    T.eq(table.concat(t1.counts, ","), table.concat(t2.counts, ","),
      "threads")
  end,

  bad_input = function()
    local f = ngram.dispersion
    for _, p in ipairs {0, -1, 1.5, "doc", true, {}} do
      T.raises("ngram.dispersion: opts.parts: expected \"docs\" or a " ..
        "number of parts", f, town, "the", {parts = p})
    end
    T.raises("got 0", f, town, "the", {parts = 0})
    T.raises("ngram.dispersion: 9 parts of 4 tokens", f, "a b a c", "a",
      {parts = 9})
    T.raises("ngram.dispersion: empty word", f, town, "")
    T.raises("the list of words is empty", f, town, {})
    T.raises("item 2 of the list is a number", f, town, {"a", 5})
    T.raises("cannot hold '*'", f, town, "the *")
    T.raises("unknown option 'by'", f, town, "the", {by = "month"})
    T.raises("unknown option 'sentences'", f, town, "the", {sentences = true})
    T.raises("unknown option", f, town, "the", {colour = 1})
    T.raises("argument 1 must be a corpus", f, {"a"}, "a")
  end,

  script = function()
    local cjson = require "cjson"
    local bin = os.getenv("LECTOR_BIN") or "build/lector"
    local function run(args)
      local p = assert(io.popen(bin .. " scripts/dispersion.lua " .. args ..
        " 2>&1"))
      local out = p:read("a")
      local _, _, code = p:close()
      return out, code
    end
    local articles = lector.load("scripts/corpus", {ext = "txt"})
    for _, parts in ipairs {0, 4} do
      local out, code = run("'flood, tram line,zebra' --json --parts " .. parts)
      T.eq(code, 0, "exit status: " .. out)
      local r = cjson.decode(out)
      local want = ngram.dispersion(articles, {"flood", "tram line", "zebra"},
        {parts = parts > 0 and parts or "docs"})
      T.eq(#r.rows, 3, "three rows")
      for i = 1, 3 do
        T.eq(r.rows[i].word, want[i].word, "word " .. i)
        local counts = {}                -- cjson decodes numbers as floats
        for j, c in ipairs(r.rows[i].counts) do counts[j] = math.tointeger(c) end
        T.eq(table.concat(counts, ","),
          table.concat(want[i].counts, ","), "counts " .. i)
        if want[i].dp then close(r.rows[i].dp, want[i].dp, "dp " .. i, 1e-12)
        else T.eq(r.rows[i].dp, nil, "no dp " .. i) end
      end
    end
    local out, code = run("flood,zebra --parts 3 --counts")
    T.eq(code, 0, "text: " .. out)
    T.ok(out:find("over 3 equal parts", 1, true), "heading:\n" .. out)
    T.ok(out:find("zebra +0 +0 +%- +%- +%-"), "undefined shown as -:\n" .. out)
    for _, bad in ipairs {"flood --parts -1", "flood --parts x", "','", ""} do
      local o2, c2 = run(bad)
      T.eq(c2, 2, "misuse '" .. bad .. "': " .. o2)
    end
    local o3, c3 = run("flood --parts 100000000")
    T.eq(c3, 1, "too many parts fails")
    T.ok(o3:find("parts must be at most the number of tokens", 1, true), o3)
  end,

  shared_corpus = function()
    local path = T.shared("state_union")
    if not path then            -- T.skip would end the other tests too
      print("skip shared_corpus: ../shared/corpora is absent")
      return
    end
    local su = lector.load(path)
    for _, w in ipairs {"freedom", "soviet union", "the"} do
      check(su, w, "docs", nil, "state of the union " .. w)
      check(su, w, 20, nil, "state of the union " .. w .. " in 20 parts")
    end
  end,
}
