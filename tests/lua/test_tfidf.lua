-- test_tfidf.lua: the TF-IDF weightings (issue 16) of ngram.tfidf and
-- m:tfidf on ngram.dtm's matrix, against scikit-learn's TfidfVectorizer
-- on the same tokens (python3-sklearn; skipped without it) and against
-- the formulas computed here in Lua.  Fixture: tests/fixtures/ngram/town.
local T = require "testlib"
local ngram = require "lector.ngram"
local tokenize = require "lector.tokenize"

local town = lector.load(T.fixtures("ngram/town"))
local PY = "/usr/bin/python3"

-- Each document's terms (lengths nmin..nmax) from tokenize.words.
local function doc_terms(doc, nmin, nmax)
  local w, out = tokenize.words(doc), {}
  for k = nmin, nmax do
    for i = 1, #w - k + 1 do out[#out + 1] = table.concat(w, " ", i, i + k - 1) end
  end
  return out
end

-- The weighting by the formulas of docs/statistics.md, in Lua:
-- {doc index = {term = weight}}.
local function lua_weights(nmin, nmax, o)
  local tfs, df, N = {}, {}, #town
  for i = 1, N do
    local c = {}
    for _, g in ipairs(doc_terms(town[i], nmin, nmax)) do c[g] = (c[g] or 0) + 1 end
    for g in pairs(c) do df[g] = (df[g] or 0) + 1 end
    tfs[i] = c
  end
  local out = {}
  for i = 1, N do
    local row, norm = {}, 0
    for g, tf in pairs(tfs[i]) do
      local a = ({raw = tf, log = 1 + math.log(tf), bool = 1})[o.tf or "raw"]
      local b = ({inverse = math.log(N / df[g], 10),
        plain = math.log(N / df[g]) + 1,
        smooth = math.log((1 + N) / (1 + df[g])) + 1,
        none = 1})[o.idf or "inverse"]
      row[g] = a * b
      if o.norm == "l2" then norm = norm + row[g] ^ 2
      elseif o.norm == "l1" then norm = norm + math.abs(row[g]) end
    end
    if o.norm == "l2" then norm = math.sqrt(norm) end
    if o.norm and norm > 0 then
      for g, v in pairs(row) do row[g] = v / norm end
    end
    out[i] = row
  end
  return out
end

local function close(a, b)
  return math.abs(a - b) <= 1e-12 * math.max(1, math.abs(a), math.abs(b))
end

-- Every entry of the weighted matrix w equals ref's.
local function same(w, ref, what)
  local n = 0
  for i = 1, #town do
    local row = w:row(i)
    for g, v in pairs(ref[i]) do
      n = n + 1
      T.ok(row[g] and close(row[g], v), string.format("%s: row %d %s: %s vs %s",
        what, i, g, tostring(row[g]), tostring(v)))
    end
    for g in pairs(row) do T.ok(ref[i][g], what .. ": extra " .. g) end
  end
  T.eq(w:nnz(), n, what .. ": entries")
end

local settings = {
  {},                                                  -- the default
  {tf = "raw", idf = "smooth", norm = "l2"},           -- scikit-learn's
  {tf = "log", idf = "plain", norm = "l1"},
  {tf = "bool", idf = "none", norm = false},
  {tf = "raw", idf = "plain"},
  {tf = "log", idf = "inverse", norm = "l2"},
}

local function label(o)
  return string.format("tf=%s idf=%s norm=%s", tostring(o.tf), tostring(o.idf),
    tostring(o.norm))
end

T.run {
  formulas = function()
    local m = ngram.dtm(town, {n = {1, 2}})
    for _, o in ipairs(settings) do
      same(m:tfidf(o), lua_weights(1, 2, o), "dtm " .. label(o))
    end
  end,

  -- ngram.tfidf lists each document's top terms by the same weights (the
  -- norm over all its terms, not only those listed)
  top_terms = function()
    for _, o in ipairs(settings) do
      local ref = lua_weights(1, 1, o)
      local opts = {top = 1000}
      for k, v in pairs(o) do opts[k] = v end
      local rows = ngram.tfidf(town, opts)
      for i, r in ipairs(rows) do
        local n = 0
        for _ in pairs(ref[i]) do n = n + 1 end
        T.eq(#r.terms, n, label(o) .. ": every term of doc " .. i)
        for j, t in ipairs(r.terms) do
          T.ok(close(t.tfidf, ref[i][t.gram]), label(o) .. ": " .. t.gram)
          if j > 1 then T.ok(r.terms[j - 1].tfidf >= t.tfidf, "sorted") end
        end
      end
    end
    -- the default is the old behaviour: raw count x log10(N / df)
    local rows = ngram.tfidf(town, {top = 3})
    for _, r in ipairs(rows) do
      for _, t in ipairs(r.terms) do
        T.ok(close(t.tfidf, t.tf * math.log(#town / t.df, 10)),
          "default tf * log10(N/df)")
      end
    end
  end,

  sklearn = function()
    if os.execute(PY .. " -c 'import sklearn' 2>/dev/null") ~= true then
      return print("skip: python3-sklearn is not installed")
    end
    local dir = T.tmpdir()
    local f = assert(io.open(dir .. "/docs.txt", "w"))
    for d in town:each() do f:write(table.concat(tokenize.words(d), "\t"), "\n") end
    f:close()
    -- the same tokens (tokenize.words) as the analyzer; bigrams joined
    -- with a space as CountVectorizer's word n-grams are
    T.write(dir .. "/ref.py", [[
import sys
from sklearn.feature_extraction.text import TfidfVectorizer
tf, idf, norm, nmax = sys.argv[2:6]
nmax = int(nmax)
def analyze(words):
    out = []
    for k in range(1, nmax + 1):
        out += [" ".join(words[i:i + k]) for i in range(len(words) - k + 1)]
    return out
docs = [l.rstrip("\n").split("\t") if l.strip() else []
        for l in open(sys.argv[1], encoding="utf-8")]
v = TfidfVectorizer(analyzer=analyze, sublinear_tf=(tf == "log"),
                    binary=(tf == "bool"), use_idf=(idf != "none"),
                    smooth_idf=(idf == "smooth"),
                    norm=None if norm == "false" else norm)
X = v.fit_transform(docs).tocoo()
names = v.get_feature_names_out()
for j, name in enumerate(names):
    print("col\t%d\t%s" % (j + 1, name))
for i, j, x in zip(X.row, X.col, X.data):
    print("cell\t%d\t%d\t%.17g" % (i + 1, j + 1, x))
]])
    local checked = 0
    for _, o in ipairs(settings) do
      if o.idf and o.idf ~= "inverse" then        -- scikit-learn has no log10
        for nmax = 1, 2 do
          local p = assert(io.popen(string.format("%s %s/ref.py %s/docs.txt %s %s %s %d",
            PY, dir, dir, o.tf, o.idf, tostring(o.norm or false), nmax)))
          local cols, cells = {}, {}
          for line in p:lines() do
            local kind, a, b, c = line:match("^(%a+)\t(%d+)\t([^\t]*)\t?(.*)$")
            if kind == "col" then cols[tonumber(a)] = b
            else cells[#cells + 1] = {tonumber(a), tonumber(b), tonumber(c)} end
          end
          T.ok(p:close(), "scikit-learn ran")
          local w = ngram.dtm(town, {n = {1, nmax}}):tfidf(o)
          local terms = w:terms()
          T.eq(#terms, #cols, label(o) .. ": vocabulary size")
          for j, t in ipairs(cols) do
            T.eq(terms[j], t, label(o) .. ": column " .. j .. " in the same order")
          end
          T.eq(w:nnz(), #cells, label(o) .. ": entries")
          for _, c in ipairs(cells) do
            local v = w:get(c[1], c[2])
            T.ok(close(v, c[3]), string.format("%s n<=%d: cell %d %s: %.17g vs "
              .. "scikit-learn %.17g", label(o), nmax, c[1], cols[c[2]], v, c[3]))
            checked = checked + 1
          end
        end
      end
    end
    T.ok(checked > 1000, "cells compared: " .. checked)
  end,

  bad_input = function()
    T.raises("ngram.tfidf: opts.tf: expected one of raw, log, bool",
      ngram.tfidf, town, {tf = "sqrt"})
    T.raises("ngram.tfidf: opts.idf: expected one of inverse, plain, smooth, none",
      ngram.tfidf, town, {idf = "bm25"})
    T.raises('ngram.tfidf: opts.norm: expected "l2", "l1" or false, got "l3"',
      ngram.tfidf, town, {norm = "l3"})
    T.raises("opts.norm", ngram.tfidf, town, {norm = true})
    local m = ngram.dtm(town)
    T.raises('tfidf: opts.norm: expected "l2", "l1" or false, got 2', m.tfidf, m,
      {norm = 2})
    T.raises("tfidf: opts.idf", m.tfidf, m, {idf = 10})
  end,
}
