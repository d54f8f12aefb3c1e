-- test_collocates.lua: ngram.collocates (issue 16) against references
-- computed here from the token stream (tokenize.words): the span counts
-- as AntConc counts them, and every measure from its formula in
-- docs/statistics.md; and against NLTK's window BigramCollocationFinder
-- and BigramAssocMeasures (Debian's python3-nltk) when it is installed.
local T = require "testlib"
local ngram = require "lector.ngram"
local tokenize = require "lector.tokenize"

local town = lector.load(T.fixtures("ngram/town"))
local sample = lector.load("scripts/corpus")

-- ------------------------------------------------------------------------
-- The reference

-- The segments of doc (one per sentence with opts.sentences, else one),
-- each a list of {w = word, stop = is a stop word}.  Stop words (drop
-- mode) are the words of the full stream missing from the stream without
-- them: tokenize.words with and without opts.stopwords, matched in order.
local function segments(doc, opts)
  local tok = {}
  for k, v in pairs(opts) do
    if k ~= "span" and k ~= "measure" and k ~= "min_count" and
       k ~= "sentences" and k ~= "stop_mode" and k ~= "threads" then
      tok[k] = v
    end
  end
  local drop = tok.stopwords and opts.stop_mode ~= "remove"
  local texts = opts.sentences and tokenize.sentences(doc) or {doc}
  local out = {}
  for _, text in ipairs(texts) do
    local seg = {}
    if drop then
      local content = tokenize.words(text, tok)
      local full_opts = {}
      for k, v in pairs(tok) do full_opts[k] = v end
      full_opts.stopwords = nil
      local j = 1
      for _, w in ipairs(tokenize.words(text, full_opts)) do
        local stop = content[j] ~= w
        if not stop then j = j + 1 end
        seg[#seg + 1] = {w = w, stop = stop}
      end
      T.eq(j, #content + 1, "stop words line up")
    else
      for _, w in ipairs(tokenize.words(text, tok)) do
        seg[#seg + 1] = {w = w, stop = false}
      end
    end
    out[#out + 1] = seg
  end
  return out
end

-- Span counts of node (a list of words) in the documents of src (a corpus
-- or a string): {N =, f_node =, freq = {}, left = {}, right = {}}.
local function ref_counts(src, node, L, R, opts)
  local r = {N = 0, f_node = 0, freq = {}, left = {}, right = {}}
  local docs = {src}                       -- a string or a document
  if type(src) ~= "string" and pcall(function() return src.each end) then
    docs = {}
    for d in src:each() do docs[#docs + 1] = d end
  end
  for _, doc in ipairs(docs) do
    for _, seg in ipairs(segments(doc, opts)) do
      for i, t in ipairs(seg) do
        r.N = r.N + 1
        r.freq[t.w] = (r.freq[t.w] or 0) + 1
        local match = i + #node - 1 <= #seg
        for k = 1, #node do
          if match and seg[i + k - 1].w ~= node[k] then match = false end
        end
        if match then
          r.f_node = r.f_node + 1
          for j = math.max(1, i - L), i - 1 do
            local x = seg[j]
            if not x.stop then r.left[x.w] = (r.left[x.w] or 0) + 1 end
          end
          for j = i + #node, math.min(#seg, i + #node + R - 1) do
            local x = seg[j]
            if not x.stop then r.right[x.w] = (r.right[x.w] or 0) + 1 end
          end
        end
      end
    end
  end
  return r
end

local log2 = function(x) return math.log(x, 2) end

-- The measures, straight from docs/statistics.md.
local function ref_score(measure, O, fn, fw, N, S)
  if measure == "freq" then return O end
  local dice = 2 * O / (fn + fw)
  if measure == "dice" then return dice end
  if measure == "logdice" then return 14 + log2(dice) end
  local R1, C1 = fn * S, fw
  local E11 = R1 * C1 / N
  if measure == "mi" then return log2(O / E11) end
  if measure == "t" then return (O - E11) / math.sqrt(O) end
  local o = {O, R1 - O, C1 - O, N - R1 - C1 + O}
  local e = {R1 * C1 / N, R1 * (N - C1) / N, (N - R1) * C1 / N,
             (N - R1) * (N - C1) / N}
  local g = 0
  for i = 1, 4 do
    if o[i] > 0 then g = g + o[i] * math.log(o[i] / e[i]) end
  end
  return O < E11 and -2 * g or 2 * g      -- signed: repelled words last
end

local function close(a, b, what)
  local tol = 1e-9 * math.max(1, math.abs(b))
  if math.abs(a - b) > tol then
    error(string.format("%s: expected %.15g, got %.15g", what, b, a), 2)
  end
end

-- Compare ngram.collocates(src, node, opts) with the reference.
local function check(src, node, opts, what)
  local span = opts.span or {5, 5}
  if type(span) == "number" then span = {span, span} end
  local words = {}                  -- the node's words, normalised
  for w in node:gmatch("%S+") do
    words[#words + 1] = segments(w, {lower = opts.lower,
      stem = opts.stem})[1][1].w
  end
  local ref = ref_counts(src, words, span[1], span[2], opts)
  local rows = ngram.collocates(src, node, opts)
  T.eq(rows.node_count, ref.f_node, what .. ": node_count")
  T.eq(rows.tokens, ref.N, what .. ": tokens")
  local want = {}
  for w in pairs(ref.left) do want[w] = true end
  for w in pairs(ref.right) do want[w] = true end
  local n = 0
  for w in pairs(want) do
    local c = (ref.left[w] or 0) + (ref.right[w] or 0)
    if c >= (opts.min_count or 1) then n = n + 1 else want[w] = nil end
  end
  T.eq(#rows, n, what .. ": rows")
  for i, r in ipairs(rows) do
    local w = r.word
    T.ok(want[w], what .. ": unexpected collocate " .. w)
    T.eq(r.left, ref.left[w] or 0, what .. ": left of " .. w)
    T.eq(r.right, ref.right[w] or 0, what .. ": right of " .. w)
    T.eq(r.count, r.left + r.right, what .. ": count of " .. w)
    T.eq(r.f_word, ref.freq[w], what .. ": f_word of " .. w)
    close(r.score, ref_score(opts.measure or "llr", r.count, ref.f_node,
      ref.freq[w], ref.N, span[1] + span[2]), what .. ": score of " .. w)
    local p = rows[i - 1]
    if p then          -- score, then count (descending), then word
      T.ok(p.score > r.score or (p.score == r.score and (p.count > r.count or
        (p.count == r.count and p.word < r.word))), what .. ": order at " .. i)
    end
  end
  return rows
end

-- ------------------------------------------------------------------------

T.run {
  hand = function()
    -- "oil" at 3, 7, 10, 11: "gas" is in the spans of 7 (right) and of
    -- 10 and 11 (left), "oil" in each other's, "price" only right of 3
    local r = ngram.collocates("The crude oil price rose. Crude oil and " ..
      "gas; oil oil the", "oil", {span = {2, 2}, measure = "freq"})
    local by = {}
    for _, x in ipairs(r) do by[x.word] = x end
    T.eq(r.node_count, 4, "node count")
    T.eq(r.tokens, 12, "tokens")
    T.eq(by.gas.left .. "/" .. by.gas.right, "2/1", "gas")
    T.eq(by.oil.left .. "/" .. by.oil.right, "1/1", "oil")
    T.eq(by.the.left .. "/" .. by.the.right, "1/2", "the")
    T.eq(by.price.left .. "/" .. by.price.right, "0/1", "price")
    T.eq(by.oil.f_word, 4, "f_word")
    T.eq(r[1].word .. " " .. r[1].score, "gas 3.0", "first by freq")
    -- spans stop at a document's ends
    r = ngram.collocates("oil b c", "oil", {span = {3, 3}, measure = "freq"})
    T.eq(#r, 2, "no span past the end")
    -- a one-sided span
    r = ngram.collocates("a oil b", "oil", {span = {0, 1}, measure = "freq"})
    T.eq(#r, 1, "right only")
    T.eq(r[1].word, "b", "right only word")
    -- llr is signed: "y" stands by "oil" once where 18 times are expected
    r = ngram.collocates(("oil x "):rep(10) .. "oil " .. ("y "):rep(100),
      "oil", {span = 1})
    T.eq(r[#r].word, "y", "the repelled word last")
    T.ok(r[#r].score < 0 and r[1].score > 0, "llr below expectation < 0")
  end,

  measures = function()
    for _, m in ipairs {"llr", "mi", "t", "dice", "logdice", "freq"} do
      check(town, "library", {span = {4, 4}, measure = m}, "town " .. m)
      check(sample, "flood", {span = {3, 5}, measure = m}, "sample " .. m)
    end
    check(town, "library", {}, "defaults: span 5 5, llr")
    check(town, "library", {span = 2}, "one number for both sides")
  end,

  phrase_and_sentences = function()
    check(town, "town council", {span = {3, 1}, measure = "mi"}, "phrase")
    check(town, "Town Council", {span = {2, 2}}, "phrase normalised")
    check(town, "library", {span = {6, 6}, sentences = true, measure = "t"},
      "sentences")
    -- a span stops at a sentence end only with sentences = true
    local a = ngram.collocates("X oil. Then", "oil", {span = 1, measure = "freq"})
    local b = ngram.collocates("X oil. Then", "oil", {span = 1, measure = "freq",
      sentences = true})
    T.eq(#a .. " " .. #b, "2 1", "sentences cut the span")
  end,

  stopwords = function()
    local stop = {"the", "a", "and", "of", "to", "in", "on", "was"}
    local drop = check(town, "library", {span = {4, 4}, stopwords = stop},
      "drop")
    local remove = check(town, "library", {span = {4, 4}, stopwords = stop,
      stop_mode = "remove"}, "remove")
    for _, r in ipairs(drop) do T.ok(r.word ~= "the", "no stop word") end
    T.ok(remove.tokens < drop.tokens, "remove mode counts fewer tokens")
    check(town, "library", {span = {3, 3}, stopwords = true, min_count = 2,
      measure = "logdice"}, "built-in list, min_count")
    T.raises("gives no token", ngram.collocates, town, "the",
      {stopwords = stop, stop_mode = "remove"})
  end,

  tokenizer_options = function()
    check(town, "librari", {span = {3, 3}, stem = "english", measure = "dice"},
      "stemmed")
    check(town, "Library", {span = {3, 3}, lower = false}, "case kept")
  end,

  threads_and_docs = function()
    local one = ngram.collocates(sample, "flood", {threads = 1})
    local two = ngram.collocates(sample, "flood", {threads = 2})
    T.eq(#one, #two, "rows on 1 and 2 threads")
    for i = 1, #one do
      T.eq(one[i].word .. one[i].count .. one[i].f_word,
        two[i].word .. two[i].count .. two[i].f_word, "row " .. i)
      T.eq(one[i].score, two[i].score, "score " .. i)
    end
    check(town[2], "library", {span = {3, 3}}, "a document")
    T.eq(#ngram.collocates(town, "zebra"), 0, "absent node")
  end,

  by_groups = function()
    local by = "month"
    local got = ngram.collocates(sample, "flood", {span = {3, 3}, by = by,
      measure = "mi"})
    local subs = sample:group_by(by)
    local keys, want = {}, {}
    for k in pairs(got) do keys[#keys + 1] = tostring(k) end
    for k in pairs(subs) do want[#want + 1] = tostring(k) end
    T.eq(table.concat(keys, "|"), table.concat(want, "|"), "group keys")
    T.ok(#keys >= 2, "several groups")
    for k, sub in pairs(subs) do
      local one = check(sub, "flood", {span = {3, 3}, measure = "mi"},
        "group " .. k)
      T.eq(#got[k], #one, "group " .. k .. " rows")
      for i = 1, #one do
        T.eq(got[k][i].word, one[i].word, "group " .. k .. " row " .. i)
        T.eq(got[k][i].score, one[i].score, "group " .. k .. " score " .. i)
      end
    end
    -- a document in several groups counts in each
    local multi = ngram.collocates(sample, "flood", {by = function(d)
      return {"all", d.id:match("^(%w+)/")} end, measure = "freq"})
    local all = ngram.collocates(sample, "flood", {measure = "freq"})
    T.eq(#multi.all, #all, "the 'all' group is the corpus")
    T.raises("option 'by' needs a corpus", ngram.collocates, "a b", "a",
      {by = "month"})
  end,

  bad_input = function()
    local f = ngram.collocates
    for _, span in ipairs {{-1, 2}, {1}, {1, 2, 3}, {0, 0}, {1.5, 2}, "4",
                           {"1", "2"}, 0, -3, {1, 1001}} do
      T.raises("ngram.collocates: opts.span: expected {left, right}", f,
        "a b", "a", {span = span})
    end
    T.raises("got {-1, 2}", f, "a b", "a", {span = {-1, 2}})
    T.raises("opts.measure: expected one of llr, mi, t, dice, logdice, " ..
      "freq, got \"pmi\"", f, "a b", "a", {measure = "pmi"})
    T.raises("ngram.collocates: empty node", f, "a b", "")
    T.raises("ngram.collocates: empty node", f, "a b", "  ")
    T.raises("the node cannot hold '*'", f, "a b", "a *")
    T.raises("the node must be a word, a phrase or an array of words", f,
      "a b", 5)
    T.raises("unknown option 'n'", f, "a b", "a", {n = 2})
    T.raises("unknown option 'skip'", f, "a b", "a", {skip = 1})
    T.raises("unknown option", f, "a b", "a", {colour = 1})
    T.raises("opts.min_count", f, "a b", "a", {min_count = 0})
    T.raises("argument 1 must be a corpus, a document or a string", f,
      {"a"}, "a")
  end,

  nltk = function()
    -- NLTK's window finder counts the pairs (w1, w2) with w2 at most
    -- window_size - 1 tokens after w1: right counts of the node are its
    -- pairs (node, w) with window R + 1, left counts the pairs (w, node)
    -- with window L + 1.  The scores come from BigramAssocMeasures with
    -- n_ix = f_node * S.
    local py = "/usr/bin/python3"
    if os.execute(py .. " -c 'import nltk' 2>/dev/null") ~= true then
      print("skip nltk: python3-nltk is not installed")
      return
    end
    local dir = T.tmpdir()
    local f = assert(io.open(dir .. "/docs.txt", "w"))
    for d in sample:each() do
      f:write(table.concat(tokenize.words(d), "\t"), "\n")
    end
    f:close()
    T.write(dir .. "/ref.py", [[
import math, sys
from collections import Counter
from nltk.collocations import BigramCollocationFinder
from nltk.metrics import BigramAssocMeasures as M
node, L, R = sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
left, right, freq, N, fn = Counter(), Counter(), Counter(), 0, 0
for line in open(sys.argv[1], encoding="utf-8"):
    words = line.rstrip("\n").split("\t") if line.strip() else []
    N += len(words); freq.update(words); fn += words.count(node)
    if len(words) < 2: continue
    fr = BigramCollocationFinder.from_words(words, window_size=R + 1)
    fl = BigramCollocationFinder.from_words(words, window_size=L + 1)
    for (a, b), c in fr.ngram_fd.items():
        if a == node: right[b] += c
    for (a, b), c in fl.ngram_fd.items():
        if b == node: left[a] += c
S = L + R
for w in sorted(set(left) | set(right)):
    o = left[w] + right[w]
    m = (o, (fn * S, freq[w]), N)
    print("%s\t%d\t%d\t%d\t%.17g\t%.17g\t%.17g\t%.17g" % (w, left[w],
          right[w], freq[w], M.likelihood_ratio(*m), M.pmi(*m),
          M.student_t(*m), M.dice(o, (fn, freq[w]), N)))
]])
    local p = assert(io.popen(string.format("%s %s/ref.py %s/docs.txt flood 3 2",
      py, dir, dir)))
    local ref, n = {}, 0
    for line in p:lines() do
      local w, l, r, fw, llr, mi, t, dice = line:match(
        "^(.-)\t(%d+)\t(%d+)\t(%d+)\t(%S+)\t(%S+)\t(%S+)\t(%S+)$")
      ref[w] = {left = tonumber(l), right = tonumber(r), f_word = tonumber(fw),
        llr = tonumber(llr), mi = tonumber(mi), t = tonumber(t),
        dice = tonumber(dice)}
      n = n + 1
    end
    T.ok(p:close(), "the NLTK reference ran")
    T.ok(n > 10, "NLTK found collocates")
    for _, m in ipairs {"llr", "mi", "t", "dice"} do
      local rows = ngram.collocates(sample, "flood", {span = {3, 2},
        measure = m})
      T.eq(#rows, n, m .. ": rows as NLTK")
      for _, r in ipairs(rows) do
        local x = ref[r.word]
        T.ok(x, "NLTK has " .. r.word)
        T.eq(r.left .. "/" .. r.right .. "/" .. r.f_word,
          x.left .. "/" .. x.right .. "/" .. x.f_word, "counts of " .. r.word)
        -- NLTK adds 1e-20 inside logs and square roots
        -- (and its G2 is unsigned: ours is negative below expectation)
        local score = m == "llr" and math.abs(r.score) or r.score
        T.ok(math.abs(score - x[m]) <= 1e-6 * math.max(1, math.abs(x[m])),
          string.format("%s of %s: %.12g, NLTK %.12g", m, r.word, score,
            x[m]))
      end
    end
  end,

  script = function()
    -- scripts/collocates.lua as a user runs it, against the API on the
    -- corpus it loads (the sample's articles)
    local cjson = require "cjson"
    local bin = os.getenv("LECTOR_BIN") or "build/lector"
    local function run(args)
      local p = assert(io.popen(bin .. " scripts/collocates.lua " .. args ..
        " 2>&1"))
      local out = p:read("a")
      local _, _, code = p:close()
      return out, code
    end
    local out, code = run("'flood' --left 3 --right 2 --measure mi " ..
      "--min-count 2 --top 5 --json")
    T.eq(code, 0, "exit status: " .. out)
    local r = cjson.decode(out)
    local articles = lector.load("scripts/corpus", {ext = "txt"})
    local want = ngram.collocates(articles, "flood", {span = {3, 2},
      measure = "mi", min_count = 2})
    T.eq(r.groups[1].node_count, want.node_count, "script node count")
    T.eq(#r.groups[1].rows, 5, "script --top")
    for i = 1, 5 do
      T.eq(r.groups[1].rows[i].word, want[i].word, "script row " .. i)
      T.eq(r.groups[1].rows[i].count, want[i].count, "script count " .. i)
    end
    out, code = run("flood --by month --top 2")
    T.eq(code, 0, "--by: " .. out)
    T.ok(out:find("2026-05: ", 1, true), "a group heading:\n" .. out)
    T.ok(out:find("collocate  left  right  count", 1, true), "columns")
    for _, bad in ipairs {"flood --measure pmi", "flood --left -1",
                          "flood --left 0 --right 0", ""} do
      local o2, c2 = run(bad)
      T.eq(c2, 2, "misuse '" .. bad .. "': " .. o2)
    end
    local o3, c3 = run("'*'")
    T.eq(c3, 1, "a bad node fails")
    T.ok(o3:find("cannot hold '*'", 1, true), "the node's error: " .. o3)
  end,

  -- Ctrl-C stops collocates, dispersion and a sorted kwic: each runs in
  -- a child on a corpus big enough that it cannot end before the Ctrl-C
  -- sent as soon as the child says it starts; the run must fail with
  -- "interrupted".  No times are compared; `sleep 60` then KILL catches a
  -- hang.
  interrupted = function()
    local bin = os.getenv("LECTOR_BIN") or "build/lector"
    local dir = T.tmpdir()
    local words, seed = {}, 7
    for i = 1, 300 do words[i] = "w" .. i end
    for d = 1, 3000 do
      local t = {}
      for i = 1, 400 do
        seed = (seed * 1103515245 + 12345) % 2147483648
        t[i] = words[seed % #words + 1]
      end
      T.write(string.format("%s/%04d.txt", dir, d), table.concat(t, " "))
    end
    local function q(s) return "'" .. s:gsub("'", "'\\''") .. "'" end
    for _, op in ipairs {
      {"ngram.collocates", "ngram.collocates(c, 'w1', {span = 9})"},
      {"ngram.dispersion", "ngram.dispersion(c, words, {parts = 100})"},
      {"ngram.kwic", "ngram.kwic(c, 'w1', {sort = {'R1', 'L1'}})"},
    } do
      local ready = dir .. "/ready"
      os.remove(ready)
      local code = "local ngram = require 'lector.ngram'\n" ..
        "local c = lector.load(" .. string.format("%q", dir) .. ")\n" ..
        "local words = {} for i = 1, 300 do words[i] = 'w' .. i end\n" ..
        "io.open(" .. string.format("%q", ready) .. ", 'w'):close()\n" ..
        "for i = 1, 50 do " .. op[2] .. " end\n"
      local p = assert(io.popen(q(bin) .. " -e " .. q(code) .. " 2>&1 & " ..
        "pid=$!; (sleep 60; kill -KILL $pid) >/dev/null 2>&1 & dog=$!; " ..
        "while [ ! -e " .. q(ready) .. " ] && kill -0 $pid 2>/dev/null; " ..
        "do sleep 0.01; done; kill -INT $pid; wait $pid; rc=$?; " ..
        "kill $dog 2>/dev/null; echo \"rc=$rc\""))
      local out = p:read("a")
      p:close()
      local rc = tonumber(out:match("rc=(%d+)%s*$"))
      T.ok(rc ~= 137, op[1] .. " hangs when interrupted: " .. out)
      -- (in C the call names itself; between calls Lua's hook says
      -- "interrupted" alone)
      T.ok(rc ~= 0 and out:find("interrupted", 1, true),
        op[1] .. " was not interrupted: " .. out)
    end
  end,

  shared_corpus = function()
    local path = T.shared("abc")
    if not path then            -- T.skip would end the other tests too
      print("skip shared_corpus: ../shared/corpora is absent")
      return
    end
    local abc = lector.load(path)
    local part = abc:filter(function(d) return d.index <= 400 end)
    for _, m in ipairs {"llr", "mi", "logdice"} do
      local rows = check(part, "government", {span = {4, 4}, measure = m},
        "abc " .. m)
      T.ok(#rows > 50, "abc: many collocates")
    end
    check(part, "prime minister", {span = {2, 3}, sentences = true,
      stopwords = true}, "abc phrase, sentences, stop words")
  end,
}
