-- alloc_scenario.lua: the work the allocation-failure sweep repeats
-- (tests/test_alloc_sweep.sh), printing a digest of every result so that
-- a run that ends with exit 0 can be compared with the reference run.
-- arg[1]: a folder for t:save; arg[2]: a lexicon file for sentiment.
local dir, lexicon = assert(arg[1]), assert(arg[2])
local tokenize = require "lector.tokenize"
local ngram = require "lector.ngram"
local sentiment = require "lector.sentiment"

local c = lector.load("scripts/corpus", {quiet = true, threads = 1})
print("docs", #c)
local words = tokenize.words(c[1], {stem = "english", stopwords = true})
print("words", #words, words[1], words[#words])
local t1 = ngram.count(c, {n = {1, 2}, threads = 1})
local t2 = ngram.count(c, {n = {1, 2}, threads = 2})
print("count", #t1, t1:total(), #t2, t2:total())
local top = t1:top(3)
for _, row in ipairs(top) do print("top", row.gram, row.count, row.df) end
local col = ngram.collocations(c, {measure = "llr", min_count = 3, threads = 1})
print("collocations", #col, col[1] and col[1].gram)
local k = ngram.kwic(c, "the", {window = 3})
print("kwic", #k, k[1] and k[1].match)
local s = sentiment.new{lexicon = lexicon}
local sc = s:score(c[1].text)
print("score", string.format("%.4f", sc.compound))
local path = dir .. "/t1.tsv"
t1:save(path)
local back = ngram.load(path)
print("load", #back, back:total())
print("allocations", lector.memory().allocations)
