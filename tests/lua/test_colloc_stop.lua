-- test_colloc_stop.lua: collocations' two stop-word modes (issue 16)
-- against NLTK 3.8 (python3-nltk; skipped without it) and a reference
-- computed in Python from the token stream, and keyness refusing tables
-- counted differently.  The text below is written for this test.
local T = require "testlib"
local ngram = require "lector.ngram"
local tokenize = require "lector.tokenize"

local PY = "/usr/bin/python3"

-- It begins and ends with a stop word: then every content word's
-- unigram count equals both of its bigram marginals (it is neither the
-- first nor the last token), which lets NLTK's finder, whose marginals
-- are unigram counts, score exactly what Lector scores (see below).
local TEXT = [[
The letter came on a Tuesday. Mrs Weston read it twice in the garden,
and then Mrs Weston walked to the village to find Mr Elton, who was not
at home. The vicar's housekeeper said Mr Elton had gone to the market
with Mrs Weston's brother, and that the market closed at noon. So Mrs
Weston waited by the church, and read the letter a third time. When Mr
Elton came back he was carrying a basket of apples and a new hat, and
he asked Mrs Weston what the letter said. It said that the school would
open in the spring, that the roof of the school was mended at last, and
that Mr Knightley would pay for the books. Mrs Weston smiled at Mr
Elton. Mr Knightley, she said, always pays for the books, and the
school always thanks him in the spring. The apples were sweet, the hat
was too big, and the church bell rang for the]]

local function python_has(mod)
  return os.execute(PY .. " -c 'import " .. mod .. "' 2>/dev/null") == true
end

-- The tokens of TEXT and the stop words among them (a word is one when
-- tokenize.words drops it with stopwords = true).
local function tokens_and_stops(text)
  local words, stops, seen = tokenize.words(text), {}, {}
  for _, w in ipairs(words) do
    if not seen[w] then
      seen[w] = true
      if #tokenize.words(w, {stopwords = true}) == 0 then stops[#stops + 1] = w end
    end
  end
  return words, stops
end

local REF = [==[
import sys
from collections import Counter
from nltk.collocations import BigramCollocationFinder
from nltk.metrics import BigramAssocMeasures as M
from nltk.probability import FreqDist
docs = [l.rstrip("\n").split("\t") for l in open(sys.argv[1], encoding="utf-8")
        if l.strip()]
stops = set(open(sys.argv[2], encoding="utf-8").read().split("\t"))
mode = sys.argv[3]
measures = [("llr", M.likelihood_ratio), ("pmi", M.pmi), ("t", M.student_t),
            ("chi2", M.chi_sq)]
def show(scores, counts):
    for (a, b), s in sorted(scores.items()):
        print("%s %s\t%d\t%s" % (a, b, counts[(a, b)],
              "\t".join("%.17g" % s[k] for k, _ in measures)))
if mode == "nltk_after":
    # NLTK's finder on the full stream, then apply_word_filter.  One
    # document that begins and ends with a stop word: NLTK's N is the
    # number of words, Lector's the number of bigrams, one less; taking
    # one occurrence of the first word off word_fd makes them equal and
    # changes no content word's count.
    words = docs[0]
    wfd = FreqDist(words)
    wfd[words[0]] -= 1
    bfd = FreqDist(zip(words, words[1:]))
    f = BigramCollocationFinder(wfd, bfd)
    f.apply_word_filter(lambda w: w in stops)
    scores = {}
    for k, fn in measures:
        for g, s in f.score_ngrams(fn):
            scores.setdefault(g, {})[k] = s
    show(scores, bfd)
else:
    # Lector's definitions, from the tokens: bigrams within documents;
    # "before": only pairs of adjacent content words, N and marginals
    # from those; "after": every pair scored, then those with a stop word
    # dropped.  The measures are NLTK's functions.
    big = Counter()
    for w in docs:
        for a, b in zip(w, w[1:]):
            if mode == "before" and (a in stops or b in stops):
                continue
            big[(a, b)] += 1
    N = sum(big.values())
    first, second = Counter(), Counter()
    for (a, b), c in big.items():
        first[a] += c
        second[b] += c
    scores = {}
    for (a, b), c in big.items():
        if a in stops or b in stops:
            continue
        scores[(a, b)] = {k: fn(c, (first[a], second[b]), N)
                          for k, fn in measures}
    show(scores, big)
]==]

-- Run REF over docs (lists of tokens) in mode: {gram = {count, llr, pmi,
-- t, chi2}}.
local function reference(docs, stops, mode)
  local dir = T.tmpdir()
  local f = assert(io.open(dir .. "/docs.txt", "w"))
  for _, w in ipairs(docs) do f:write(table.concat(w, "\t"), "\n") end
  f:close()
  T.write(dir .. "/stops.txt", table.concat(stops, "\t"))
  T.write(dir .. "/ref.py", REF)
  local p = assert(io.popen(string.format("%s %s/ref.py %s/docs.txt %s/stops.txt %s",
    PY, dir, dir, dir, mode)))
  local ref, n = {}, 0
  for line in p:lines() do
    local g, c, llr, pmi, t, chi2 = line:match(
      "^(.-)\t(%d+)\t(%S+)\t(%S+)\t(%S+)\t(%S+)$")
    ref[g] = {count = tonumber(c), llr = tonumber(llr), pmi = tonumber(pmi),
      t = tonumber(t), chi2 = tonumber(chi2)}
    n = n + 1
  end
  T.ok(p:close(), "the Python reference ran (" .. mode .. ")")
  return ref, n
end

local function close(a, b, tol)
  return math.abs(a - b) <= tol * math.max(1, math.abs(a), math.abs(b))
end

-- Lector's rows equal the reference's, every measure.
local function same(rows, ref, nref, what, tol)
  T.eq(#rows, nref, what .. ": rows")
  for _, r in ipairs(rows) do
    local x = ref[r.gram]
    T.ok(x, what .. ": the reference has " .. r.gram)
    T.eq(r.count, x.count, what .. ": count of " .. r.gram)
    for _, m in ipairs {"llr", "pmi", "t", "chi2"} do
      T.ok(close(r[m], x[m], tol), string.format("%s: %s of %s: %.17g vs %.17g",
        what, m, r.gram, r[m], x[m]))
    end
  end
end

local function by_gram(rows)
  local out = {}
  for _, r in ipairs(rows) do out[r.gram] = r end
  return out
end

T.run {
  modes = function()
    if not python_has("nltk") then
      return print("skip: python3-nltk is not installed")
    end
    local words, stops = tokens_and_stops(TEXT)
    T.ok(#stops > 10 and words[1] == "the" and words[#words] == "the",
      "the fixture starts and ends with a stop word")
    local before = ngram.collocations(TEXT, {stopwords = true})
    local after = ngram.collocations(TEXT, {stopwords = true,
      stop_filter = "after"})
    local explicit = ngram.collocations(TEXT, {stopwords = true,
      stop_filter = "before"})
    T.eq(#explicit, #before, "before is the default")
    -- the reference of each mode, from the tokens
    local rb, nb = reference({words}, stops, "before")
    same(before, rb, nb, "before vs the Python reference", 1e-9)
    local ra, na = reference({words}, stops, "after")
    same(after, ra, na, "after vs the Python reference", 1e-9)
    -- and NLTK's own finder with apply_word_filter (its logs and square
    -- roots carry a 1e-20)
    local rn, nn = reference({words}, stops, "nltk_after")
    same(after, rn, nn, "after vs NLTK's apply_word_filter", 1e-9)
    -- the same pairs, scored differently: "mrs weston" one way and the
    -- other
    local b, a = by_gram(before)["mrs weston"], by_gram(after)["mrs weston"]
    T.ok(b and a and b.count == a.count, "mrs weston in both")
    T.ok(math.abs(a.llr - b.llr) > 1, string.format(
      "mrs weston: llr %.2f scored on content bigrams, %.2f on the stream",
      b.llr, a.llr))
    print(string.format("mrs weston: llr %.4f (before) %.4f (after)", b.llr,
      a.llr))
    -- a corpus: documents are separate streams in both modes
    local docs = {TEXT, "The school opened. Mrs Weston came with apples."}
    local dir = T.tmpdir()
    for i, t in ipairs(docs) do T.write(dir .. "/" .. i .. ".txt", t) end
    local c = lector.load(dir)
    local toks = {}
    for d in c:each() do toks[#toks + 1] = tokenize.words(d) end
    local cr, cn = reference(toks, stops, "after")
    same(ngram.collocations(c, {stopwords = true, stop_filter = "after"}), cr,
      cn, "after on a corpus", 1e-9)
    cr, cn = reference(toks, stops, "before")
    same(ngram.collocations(c, {stopwords = true}), cr, cn,
      "before on a corpus", 1e-9)
    -- trigrams: "after" keeps the trigrams of three content words, scored
    -- on the full stream's table
    local t3 = ngram.collocations(TEXT, {n = 3, stopwords = true,
      stop_filter = "after", measure = "pmi"})
    local full = by_gram(ngram.collocations(TEXT, {n = 3, measure = "pmi"}))
    T.ok(#t3 > 0, "content trigrams")
    local content = 0
    for g in pairs(full) do
      if #tokenize.words(g, {stopwords = true}) == 3 then content = content + 1 end
    end
    T.eq(#t3, content, "every trigram of three content words")
    for _, r in ipairs(t3) do
      T.ok(full[r.gram] and close(full[r.gram].pmi, r.pmi, 1e-12),
        "trigram " .. r.gram .. " scored on the stream")
      for w in r.gram:gmatch("%S+") do
        T.ok(#tokenize.words(w, {stopwords = true}) == 1, "no stop word")
      end
    end
  end,

  shared = function()
    local su = T.shared("state_union")
    if not su then return print("skip: ../shared/corpora is absent") end
    if not python_has("nltk") then return print("skip: no python3-nltk") end
    local c = lector.load(su)
    local toks, all = {}, {}
    for d in c:each() do
      local w = tokenize.words(d)
      toks[#toks + 1] = w
      for _, x in ipairs(w) do all[#all + 1] = x end
    end
    local _, stops = tokens_and_stops(table.concat(all, " "))
    for _, mode in ipairs {"before", "after"} do
      local rows = ngram.collocations(c, {stopwords = true, stop_filter = mode,
        min_count = 1})
      local ref, n = reference(toks, stops, mode)
      same(rows, ref, n, "state_union " .. mode, 1e-9)
      local r = by_gram(rows)["united states"]
      print(string.format("state_union: united states llr %.2f (%s)", r.llr,
        mode))
    end
  end,

  bad_input = function()
    T.raises("ngram.collocations: opts.stop_filter: expected one of before, after",
      ngram.collocations, TEXT, {stopwords = true, stop_filter = "nltk"})
    T.raises('stop_filter = "after" needs stopwords', ngram.collocations, TEXT,
      {stop_filter = "after"})
    T.raises('stop_filter = "after" needs stop_mode = "drop" (got "remove")',
      ngram.collocations, TEXT, {stopwords = true, stop_mode = "remove",
      stop_filter = "after"})
    T.raises('stop_filter = "after" needs a source, not a count table',
      ngram.collocations, ngram.count(TEXT, {n = {1, 2}}),
      {stop_filter = "after"})
  end,

  keyness_refuses = function()
    local a = "The tram line opens. The tram line is long."
    local b = "The bus line closes. The bus is late."
    local ok = ngram.keyness(ngram.count(a), ngram.count(b))
    T.ok(#ok > 0, "the same counting compares")
    local e = T.raises("counted differently", ngram.keyness,
      ngram.count(a, {n = 1}), ngram.count(b, {n = 2}))
    T.ok(e:find("target n=1 vs reference n=2", 1, true), e)
    e = T.raises("counted differently", ngram.keyness,
      ngram.count(a, {lower = false}), ngram.count(b))
    T.ok(e:find("options 'lower=false' vs ''", 1, true), e)
    e = T.raises("counted differently", ngram.keyness,
      ngram.count(a, {stopwords = true}),
      ngram.count(b, {stopwords = true, stop_mode = "remove"}))
    T.ok(e:find("stop_mode=drop", 1, true) and e:find("stop_mode=remove", 1, true), e)
    e = T.raises("counted differently", ngram.keyness,
      ngram.count(a, {n = 2, skip = 1}), ngram.count(b, {n = 2}))
    T.ok(e:find("skip=1 vs skip=0", 1, true), e)
    T.raises("sentences=true", ngram.keyness,
      ngram.count(a, {sentences = true}), ngram.count(b))
    -- a table against a source counted with other options
    T.raises("counted differently", ngram.keyness, ngram.count(a, {n = 2}), b)
    -- opts.n picks a length both tables hold
    local r = ngram.keyness(ngram.count(a, {n = {1, 2}}), ngram.count(b, {n = 1}),
      {n = 1})
    T.ok(#r > 0, "n = 1 of n = {1, 2} against n = 1")
    e = T.raises("counted differently", ngram.keyness,
      ngram.count(a, {n = {1, 2}}), ngram.count(b, {n = 1}), {n = 2})
    T.ok(e:find("(opts.n = 2 must be in both)", 1, true), e)
    T.raises("counted differently", ngram.keyness,
      ngram.count(a, {n = {1, 2}}), ngram.count(b, {n = 1}))
  end,
}
