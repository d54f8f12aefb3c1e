-- test_ngram_exact.lua: ngram.count against an independent slow reference
-- (plain Lua tables over tokenize.words / tokenize.tokens output, per
-- sentence of tokenize.sentences with sentences = true): every n-gram
-- count and document frequency identical, for n = 1..3, with one and
-- several threads, on the fixtures and (when present) the shared corpora.
local T = require "testlib"
local ngram = require "lector.ngram"
local tokenize = require "lector.tokenize"

-- The words of text, and in drop mode a stop flag per word (the word is
-- missing from the stop-word-free token stream).
local function unit_words(text, topts, drop)
  if not drop then return {words = tokenize.words(text, topts)} end
  local o, so, kept = {}, {}, {}
  for k, v in pairs(topts) do
    if k ~= "stopwords" then o[k] = v end
    so[k] = v
  end
  o.punct, so.punct = o.punct or false, so.punct or false
  for _, tk in ipairs(tokenize.tokens(text, so)) do kept[tk.offset] = true end
  local words, stop = {}, {}
  for _, tk in ipairs(tokenize.tokens(text, o)) do
    words[#words + 1] = tk.norm
    stop[#stop + 1] = not kept[tk.offset]
  end
  return {words = words, stop = stop}
end

-- Every document of corpus c as a list of units that grams may not span:
-- the whole text, or with sentences each sentence of
-- tokenize.sentences, tokenized on its own.
local function doc_units(c, topts, drop, sentences)
  local docs = {}
  for doc in c:each() do
    local units = {}
    if sentences then
      for _, s in ipairs(tokenize.sentences(doc, topts)) do
        units[#units + 1] = unit_words(s, topts, drop)
      end
    else
      units[1] = unit_words(doc, topts, drop)
    end
    docs[#docs + 1] = units
  end
  return docs
end

-- Reference counts: key "w1 w2 ..." -> {count, df}.  Skip-grams: a gram
-- of length k ending at `last` takes positions p_k = last, p_(j-1) =
-- p_j - 1 - g with 0 <= g <= skip.
local function reference(docs, nmin, nmax, skip)
  local ref, n = {}, 0
  for _, units in ipairs(docs) do
    local seen = {}
    for _, d in ipairs(units) do
      local w, st, pos = d.words, d.stop, {}
      local function emit(k)
        local parts = {}
        for j = 1, k do
          if st and st[pos[j]] then return end
          parts[j] = w[pos[j]]
        end
        local key = table.concat(parts, " ")
        local e = ref[key]
        if not e then e = {0, 0}; ref[key] = e; n = n + 1 end
        e[1] = e[1] + 1
        if not seen[key] then seen[key] = true; e[2] = e[2] + 1 end
      end
      local function rec(j, k)           -- choose pos[j-1] .. pos[1]
        if j == 1 then return emit(k) end
        for g = 0, skip do
          local p = pos[j] - 1 - g
          if p < 1 then return end
          pos[j - 1] = p
          rec(j - 1, k)
        end
      end
      for last = 1, #w do
        for k = nmin, nmax do
          pos[k] = last
          rec(k, k)
        end
      end
    end
  end
  return ref, n
end

local function compare(t, ref, nref, what)
  local seen = 0
  for gram, count, df in t:each() do
    local e = ref[gram]
    if not e then error(what .. ": extra gram '" .. gram .. "'", 2) end
    if e[1] ~= count or e[2] ~= df then
      error(string.format("%s: '%s' count %d df %d, reference %d %d", what,
        gram, count, df, e[1], e[2]), 2)
    end
    seen = seen + 1
  end
  T.eq(seen, nref, what .. ": distinct grams")
  T.eq(#t, nref, what .. ": #t")
end

local function opts_with(base, extra)
  local o = {}
  for k, v in pairs(base) do o[k] = v end
  for k, v in pairs(extra) do o[k] = v end
  return o
end

local function check(c, topts, nmin, nmax, skip, mode, threads_list, what,
                     sentences)
  local drop = topts.stopwords and mode ~= "remove"
  local docs = doc_units(c, topts, drop, sentences)
  local ref, nref = reference(docs, nmin, nmax, skip)
  for _, th in ipairs(threads_list) do
    local o = opts_with(topts, {n = {nmin, nmax}, skip = skip, threads = th,
                                stop_mode = mode, sentences = sentences})
    local t = ngram.count(c, o)
    compare(t, ref, nref, string.format("%s threads=%d", what, th))
    T.eq(t:docs(), #c, what .. ": docs")
    t:close()
  end
end

-- Counted by groups: each group's table against the reference of its
-- own documents.
local function check_groups(c, by, nmin, nmax, threads_list, what)
  local members = {}
  for doc in c:each() do
    local g = by(doc)
    members[g] = members[g] or {}
    members[g][doc.index] = true
  end
  for _, th in ipairs(threads_list) do
    local res = ngram.count(c, {n = {nmin, nmax}, by = by, threads = th})
    local ngroups = 0
    for g, t in pairs(res) do
      local part = c:filter(function(d) return members[g][d.index] end)
      local ref, nref = reference(doc_units(part, {}), nmin, nmax, 0)
      compare(t, ref, nref, string.format("%s group %s threads=%d", what,
        tostring(g), th))
      T.eq(t:docs(), #part, what .. ": group docs")
      ngroups = ngroups + 1
    end
    local want = 0
    for _ in pairs(members) do want = want + 1 end
    T.eq(ngroups, want, what .. ": groups")
  end
end

-- A folder with documents of many more words than one block of token
-- ids sent between workers (NG_ROUTE_BLOCK, 16384), between short ones.
local function long_documents()
  local dir, seed = T.tmpdir(), 12345
  local function word()
    seed = (seed * 1103515245 + 12345) % 2147483648
    local r = seed // 65536 % 400
    return "w" .. (r < 200 and r % 20 or r)   -- a few frequent words
  end
  local function text(nwords)
    local out = {}
    for i = 1, nwords do
      out[i] = word() .. (i % 17 == 0 and "." or "")
    end
    return table.concat(out, " ")
  end
  T.write(dir .. "/a.txt", text(50))
  T.write(dir .. "/b.txt", text(40000))
  T.write(dir .. "/c.txt", text(30))
  T.write(dir .. "/d.txt", text(20000))
  T.write(dir .. "/e.txt", text(70))
  return lector.load(dir)
end

local fixtures = lector.load(T.fixtures("ngram/town"))

T.run {
  fixtures_defaults = function()
    check(fixtures, {}, 1, 3, 0, nil, {1, 2, 3}, "defaults")
  end,
  fixtures_skip1 = function()
    check(fixtures, {}, 2, 3, 1, nil, {1, 2}, "skip 1")
  end,
  fixtures_skip3 = function()
    check(fixtures, {}, 1, 2, 3, nil, {2}, "skip 3")
  end,
  fixtures_drop = function()
    check(fixtures, {stopwords = true}, 1, 3, 0, "drop", {1, 2}, "drop")
  end,
  fixtures_remove = function()
    check(fixtures, {stopwords = true}, 1, 3, 0, "remove", {1, 2}, "remove")
  end,
  fixtures_drop_list_skip = function()
    check(fixtures, {stopwords = {"the", "on"}}, 2, 3, 1, "drop", {2},
      "drop list skip")
  end,
  fixtures_case_punct = function()
    check(fixtures, {lower = false, punct = true}, 1, 3, 0, nil, {1, 2},
      "case punct")
  end,
  fixtures_stem = function()
    check(fixtures, {stem = true}, 1, 2, 0, nil, {2}, "stem")
  end,
  fixtures_standard = function()
    check(fixtures, {standard = true, numbers = false}, 1, 3, 0, nil, {2},
      "standard")
  end,
  fixtures_sentences = function()
    check(fixtures, {}, 1, 3, 0, nil, {1, 2, 3}, "sentences", true)
  end,
  fixtures_sentences_drop_skip = function()
    check(fixtures, {stopwords = true}, 2, 3, 1, "drop", {1, 2},
      "sentences drop skip", true)
  end,
  fixtures_sentences_options = function()
    -- the splitter's own options (abbrev, glued) come from the same table
    check(fixtures, {abbrev = false, glued = false, punct = true}, 1, 2, 0,
      nil, {2}, "sentences abbrev glued", true)
  end,
  long_documents = function()
    local c = long_documents()
    check(c, {}, 1, 3, 0, nil, {1, 2, 3}, "long documents")
    check(c, {}, 1, 2, 0, nil, {2, 3}, "long documents sentences", true)
    check(c, {stopwords = {"w1", "w2"}}, 1, 2, 1, "drop", {3},
      "long documents drop skip")
  end,
  fixtures_groups = function()
    local by_folder = function(doc) return doc.id:match("^(%w+)/") end
    check_groups(fixtures, by_folder, 1, 2, {1, 2, 3}, "groups")
    check_groups(long_documents(), function(doc) return #doc.id % 2 end,
      1, 3, {2, 3}, "long groups")
  end,
  shared_state_union = function()
    local dir = T.shared("state_union")
    if not dir then print("skip: no shared corpora"); return end
    local c = lector.load(dir)
    check(c, {}, 1, 3, 0, nil, {1, 2}, "state_union")
    check(c, {}, 1, 3, 0, nil, {2}, "state_union sentences", true)
  end,
  shared_abc = function()
    local dir = T.shared("abc")
    if not dir then print("skip: no shared corpora"); return end
    -- every fourth article keeps the test short under ASan
    local c = lector.load(dir):filter(function(d) return d.index % 4 == 0 end)
    check(c, {}, 1, 3, 0, nil, {1, 2}, "abc")
    check(c, {stopwords = true}, 1, 2, 0, "drop", {2}, "abc drop")
    check(c, {}, 1, 2, 0, nil, {1, 2}, "abc sentences", true)
    check_groups(c, function(doc) return doc.id:match("^(%w+)/") end, 1, 2,
      {2}, "abc groups")
  end,
}
