-- test_kwic_sort.lua: ngram.kwic's sort and limit (issue 16), as
-- AntConc's concordance sort levels: by the normalised words at R1, R2,
-- L1 ... (none there sorts first), ties by the next key, then corpus
-- order.  The reference sorts the unsorted rows here, taking the words
-- from the shown contexts with tokenize.words.
local T = require "testlib"
local ngram = require "lector.ngram"
local tokenize = require "lector.tokenize"

local town = lector.load(T.fixtures("ngram/town"))
local sample = lector.load("scripts/corpus")

local function lines(rows)
  local out = {}
  for _, r in ipairs(rows) do
    out[#out + 1] = (r.doc or "") .. "|" .. r.left .. "|" .. r.match .. "|" ..
      r.right
  end
  return out
end

-- The key words of a row: L<k> from the left context's end, R<k> from
-- the right's start, M<k> in the match.
local function key_word(r, key, opts)
  local side, k = key:sub(1, 1), tonumber(key:sub(2))
  local w = tokenize.words(side == "L" and r.left or side == "R" and r.right
    or r.match)
  return side == "L" and w[#w - k + 1] or w[k]
end

local function ref_sort(rows, keys, opts)
  local recs = {}
  for i, r in ipairs(rows) do
    local rec = {i = i, r = r}
    for j, k in ipairs(keys) do rec[j] = key_word(r, k, opts) end
    recs[#recs + 1] = rec
  end
  table.sort(recs, function(a, b)
    for j = 1, #keys do
      if a[j] ~= b[j] then
        if a[j] == nil then return true end
        if b[j] == nil then return false end
        return a[j] < b[j]
      end
    end
    return a.i < b.i
  end)
  local out = {}
  for _, rec in ipairs(recs) do out[#out + 1] = rec.r end
  return out
end

local function check(src, pattern, opts, keys, what)
  local plain = ngram.kwic(src, pattern, opts)
  local o = {sort = keys}
  for k, v in pairs(opts) do o[k] = v end
  local got = ngram.kwic(src, pattern, o)
  T.ok(#got > 2, what .. ": rows")
  T.eq(table.concat(lines(got), "\n"),
    table.concat(lines(ref_sort(plain, keys, opts)), "\n"), what)
  o.limit = 3
  local first = ngram.kwic(src, pattern, o)
  T.eq(table.concat(lines(first), "\n"),
    table.concat(table.move(lines(got), 1, 3, 1, {}), "\n"),
    what .. ": limit after sort")
end

T.run {
  hand = function()
    local text = "b x a. c x b. a x c. a x a"
    local rows = ngram.kwic(text, "x", {window = 1, sort = {"R1", "L1"}})
    local got = {}
    for _, r in ipairs(rows) do got[#got + 1] = r.left .. r.match .. r.right end
    T.eq(table.concat(got, " "), "axa bxa cxb axc", "R1 then L1")
    rows = ngram.kwic(text, "x", {window = 1, sort = {"L1"}})
    got = {}
    for _, r in ipairs(rows) do got[#got + 1] = r.left .. r.match .. r.right end
    T.eq(table.concat(got, " "), "axc axa bxa cxb", "L1, ties in text order")
    -- no word there sorts first
    rows = ngram.kwic("x b. a x", "x", {window = 1, sort = {"L1"}})
    T.eq(rows[1].left, "", "the match with nothing before it first")
    -- case folded like the match: "B" sorts as "b"
    rows = ngram.kwic("x C x B x a", "x", {window = 1, sort = {"R1"}})
    T.eq(rows[1].right .. rows[2].right .. rows[3].right, "aBC", "normalised")
    rows = ngram.kwic("x a x b x c", "x *", {sort = {"M2"}})
    T.eq(rows[1].match .. rows[3].match, "x ax c", "M2: the second matched word")
  end,

  reference = function()
    check(town, "the", {window = 4}, {"R1", "R2", "L1"}, "town the R1 R2 L1")
    check(town, "the", {window = 3}, {"L2", "R3"}, "town the L2 R3")
    check(town, "library", {window = 5, sentences = true}, {"R1"},
      "sentences")
    check(sample, "flood", {window = 2}, {"L1", "R1", "R2"}, "sample flood")
    check(town, "the *", {window = 2}, {"M2", "R1"}, "wildcard match")
  end,

  limit = function()
    local all = ngram.kwic(town, "the")
    local three = ngram.kwic(town, "the", {limit = 3})
    T.eq(#three, 3, "limit")
    T.eq(table.concat(lines(three), "\n"),
      table.concat(table.move(lines(all), 1, 3, 1, {}), "\n"),
      "the first three in corpus order")
    T.eq(#ngram.kwic(town, "the", {limit = 100000}), #all, "limit above")
  end,

  bad_input = function()
    local f = ngram.kwic
    T.raises("ngram.kwic: opts.sort: key 'R6' lies beyond the window (5 " ..
      "words)", f, town, "the", {sort = {"R6"}})
    T.raises("key 'M2' lies beyond the pattern (1 words)", f, town, "the",
      {sort = {"M2"}})
    for _, k in ipairs {"X1", "R0", "R", "r1", "R1x", "L-1", 1} do
      T.raises("opts.sort: key 1 must be L<k>, R<k> or M<k>", f, town,
        "the", {sort = {k}})
    end
    T.raises("opts.sort: expected a list of 1 to 8 keys", f, town, "the",
      {sort = "R1"})
    T.raises("opts.sort: expected a list of 1 to 8 keys", f, town, "the",
      {sort = {}})
    T.raises("opts.limit: expected 1 to", f, town, "the", {limit = 0})
    T.raises("opts.limit: expected an integer", f, town, "the",
      {limit = 1.5})
  end,

  shared_corpus = function()
    local path = T.shared("abc")
    if not path then            -- T.skip would end the other tests too
      print("skip shared_corpus: ../shared/corpora is absent")
      return
    end
    local abc = lector.load(path)
    local part = abc:filter(function(d) return d.index <= 300 end)
    check(part, "government", {window = 3}, {"R1", "R2", "L1"},
      "abc government")
  end,
}
