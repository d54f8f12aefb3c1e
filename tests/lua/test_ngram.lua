-- test_ngram.lua: the Lua API of the ngram plugin on the fixture corpus
-- tests/fixtures/ngram/town (text written for these tests).
local T = require "testlib"
local ngram = require "lector.ngram"
local tokenize = require "lector.tokenize"

local town = lector.load(T.fixtures("ngram/town"))

local function grams(t)
  local out = {}
  for g, c, d in t:each() do out[#out + 1] = g .. "=" .. c .. "/" .. d end
  return table.concat(out, " ")
end

T.run {
  sources = function()
    local s = ngram.count("The cat sat. The cat ran!", {n = {1, 2}})
    T.eq(grams(s), "cat=2/1 cat ran=1/1 cat sat=1/1 ran=1/1 sat=1/1 " ..
      "sat the=1/1 the=2/1 the cat=2/1", "string")
    T.eq(s:docs(), 1, "docs of a string")
    local list = ngram.count({"a", "b", "a", "b"}, {n = 2})
    T.eq(grams(list), "a b=2/1 b a=1/1", "token list")
    local doc = town[1]
    local d = ngram.count(doc)
    local w = tokenize.words(doc)
    T.eq(d:total(), #w, "doc total = words")
    T.eq(ngram.count(town):docs(), #town, "corpus docs")
    local empty = ngram.count(town:filter(function() return false end),
      {n = 2})
    T.eq(#empty, 0, "empty corpus")
    T.eq(empty:total(), 0, "empty total")
    T.eq(#ngram.count(""), 0, "empty string")
    T.eq(#ngram.count({}), 0, "empty list")
  end,

  bad_options = function()
    T.raises("ngram.count: option 'n' must be 1..5", ngram.count, "a", {n = 0})
    T.raises("option 'n'", ngram.count, "a", {n = 6})
    T.raises("option 'n'", ngram.count, "a", {n = {3, 2}})
    T.raises("option 'n'", ngram.count, "a", {n = "2"})
    T.raises("option 'n'", ngram.count, "a", {n = 1.5})
    T.raises("ngram.count: unknown option 'colour'", ngram.count, "a",
      {colour = 1})
    T.raises("option 'ids'", ngram.count, "a", {ids = false})
    T.raises("opts.skip", ngram.count, "a", {skip = -1})
    T.raises("opts.threads", ngram.count, "a", {threads = -1})
    T.raises("opts.threads", ngram.count, town, {threads = 65})
    T.raises("opts.min_count", ngram.count, "a", {min_count = 0})
    -- a bad `by` gives corpus:group_by's message (issue 13)
    for _, by in ipairs {"text", "", 5, true} do
      local _, want = pcall(town.group_by, town, by)
      local _, got = pcall(ngram.count, town, {by = by})
      T.eq((got:gsub("^ngram%.count: ", "")),
        (want:gsub("^corpus:group_by: ", "")), "bad by " .. tostring(by))
    end
    T.raises("option 'stop_mode'", ngram.count, "a", {stop_mode = "x"})
    T.raises("option 'lower' must be a boolean", ngram.count, "a",
      {lower = 1})
    T.raises("option 'lower' does not apply to a list of tokens",
      ngram.count, {"a"}, {lower = false})
    T.raises("unknown option 'colour'", ngram.count, {"a"}, {colour = 1})
    -- issue 13: every function taking options names an unknown key and
    -- the known ones (lk_opt_check, here through the tokenizer's)
    local t = ngram.count("a b")
    for name, f in pairs {
      count = function(o) return ngram.count("a", o) end,
      count_list = function(o) return ngram.count({"a"}, o) end,
      collocations = function(o) return ngram.collocations("a b", o) end,
      collocations_table = function(o) return ngram.collocations(t, o) end,
      keyness = function(o) return ngram.keyness("a b", "a", o) end,
      keyness_tables = function(o) return ngram.keyness(t, t, o) end,
      tfidf = function(o) return ngram.tfidf("a b", o) end,
      kwic = function(o) return ngram.kwic("a b", "a", o) end,
    } do
      local ok, e = pcall(f, {colour = 1})
      T.ok(not ok and e:find("unknown option 'colour' (known: ", 1, true)
        and e:find("threads", 1, true), name .. ": " .. tostring(e))
    end
    T.raises("token 2 is a number", ngram.count, {"a", 5})
    T.raises("option 'by' needs a corpus", ngram.count, "a", {by = "year"})
    T.raises("argument 1 must be a corpus", ngram.count, 42)
  end,

  queries = function()
    local t = ngram.count(town, {n = {1, 3}})
    T.ok(#t > 100, "distinct")
    T.eq(t:total(), t:total(1) + t:total(2) + t:total(3), "totals")
    local c, df = t:get("the town council")
    T.eq(c, 7, "count of a trigram")
    T.eq(df, 5, "df of a trigram")
    T.eq(t["the town council"], 7, "index")
    T.eq(t:get({"town", "council"}), t:get("town council"), "array gram")
    T.eq(t:df("library"), 4, "df")
    T.eq(t:get("no such gram"), 0, "absent")
    T.eq(t["no such gram"], 0, "absent index")
    T.eq(t:get("town  council"), 0, "double space")
    T.eq(type(t.top), "function", "methods win over grams")
    T.raises("a gram must be a string", t.get, t, 3)
    local n1, n2 = t:n()
    T.eq(n1 * 10 + n2, 13, "n()")
    T.ok(t:memory() > 0 and t:memory() <= 32 * #t, "bytes per gram")
  end,

  top = function()
    local t = ngram.count(town, {n = {1, 2}})
    local top = t:top(5)
    T.eq(#top, 5, "top 5")
    T.eq(top[1].gram, "the", "most frequent")
    for i = 2, #top do
      local a, b = top[i - 1], top[i]
      T.ok(a.count > b.count or (a.count == b.count and a.gram < b.gram),
        "order at " .. i)
    end
    local all = t:top(#t)
    T.eq(#all, #t, "top all")
    for i = 2, #all do
      local a, b = all[i - 1], all[i]
      T.ok(a.count > b.count or (a.count == b.count and a.gram < b.gram),
        "tie-break at " .. i .. ": " .. a.gram .. " / " .. b.gram)
    end
    for _, r in ipairs(t:top(10, 2)) do
      T.ok(r.gram:find(" "), "bigrams only: " .. r.gram)
      T.eq(r.df, t:df(r.gram), "df in top")
    end
    T.eq(#t:top(0), 0, "top 0")
    T.eq(#t:top(), 10, "default 10")
  end,

  each = function()
    local t = ngram.count(town, {n = {1, 2}})
    local prev, n = nil, 0
    for g, c, d in t:each() do
      if prev then T.ok(prev < g, "sorted: " .. prev .. " < " .. g) end
      T.ok(c >= d and d >= 1, "count >= df")
      prev, n = g, n + 1
    end
    T.eq(n, #t, "each visits every gram")
    n = 0
    for g in pairs(t) do n = n + 1 end
    T.eq(n, #t, "pairs")
    n = 0
    for g in t:each(2) do T.ok(g:find(" "), "each(2)"); n = n + 1 end
    T.eq(n, #t:top(#t, 2), "each(2) count")
    T.raises("changed during iteration", function()
      for g in t:each() do t:merge(t) end
    end)
  end,

  merge = function()
    local a = ngram.count(town:filter(function(d) return d.index <= 5 end),
      {n = 2})
    local b = ngram.count(town:filter(function(d) return d.index > 5 end),
      {n = 2})
    local all = ngram.count(town, {n = 2})
    T.eq(a:merge(b), a, "merge returns the table")
    T.eq(grams(a), grams(all), "merged = whole")
    T.eq(a:docs(), #town, "docs add up")
    T.eq(a:total(), all:total(), "totals add up")
    T.raises("counted differently", a.merge, a, ngram.count(town, {n = 1}))
    T.raises("counted differently", a.merge, a,
      ngram.count(town, {n = 2, lower = false}))
  end,

  save_load = function()
    local dir = T.tmpdir()
    local t = ngram.count(town, {n = {1, 2}, stopwords = true, min_count = 2})
    t:save(dir .. "/t.tsv")
    local text = T.read(dir .. "/t.tsv")
    local header = text:match("^[^\n]*")
    T.ok(header:find("^#lector%-ngram 2\tn=1..2\tskip=0\tdocs=10\t"),
      "header: " .. header)
    T.ok(header:find("options=stop_mode=drop;stopwords=true", 1, true),
      "options in the header")
    local u = ngram.load(dir .. "/t.tsv")
    T.eq(grams(u), grams(t), "round trip")
    T.eq(u:total(), t:total(), "totals kept")
    T.eq(u:docs(), t:docs(), "docs kept")
    T.eq(u:options(), t:options(), "options kept")
    u:merge(t)
    T.eq(u:get("town council"), 2 * t:get("town council"), "loaded merges")
    t:to_csv(dir .. "/t.csv")
    local csv = T.read(dir .. "/t.csv")
    T.ok(csv:find("^gram,n,count,df\nsaid,1,15,7\n"), "csv: " .. csv:sub(1, 40))
    T.raises("ngram.load: " .. dir .. "/none.tsv", ngram.load,
      dir .. "/none.tsv")
    T.write(dir .. "/bad.tsv", "#lector-ngram 1\tn=1\na\t2\t1\nb\t1\t2\n")
    T.raises("bad.tsv:3: bad df", ngram.load, dir .. "/bad.tsv")
    T.raises("save: /nonexistent/x.tsv", t.save, t, "/nonexistent/x.tsv")
  end,

  merge_files = function()
    local dir = T.tmpdir()
    local a = ngram.count(town:filter(function(d) return d.index % 2 == 0 end),
      {n = {1, 2}})
    local b = ngram.count(town:filter(function(d) return d.index % 2 == 1 end),
      {n = {1, 2}})
    a:save(dir .. "/a.tsv")
    b:save(dir .. "/b.tsv")
    ngram.merge_files({dir .. "/a.tsv", dir .. "/b.tsv"}, dir .. "/m.tsv")
    local m = ngram.load(dir .. "/m.tsv")
    T.eq(grams(m), grams(ngram.count(town, {n = {1, 2}})), "streamed merge")
    ngram.count(town, {n = 3}):save(dir .. "/c.tsv")
    T.raises("counted with other options", ngram.merge_files,
      {dir .. "/a.tsv", dir .. "/c.tsv"}, dir .. "/x.tsv")
  end,

  display = function()
    local t = ngram.count(town, {n = {1, 2}})
    T.ok(tostring(t):find("^ngram counts %(n=1..2, %d+ distinct, %d+ total%)"),
      tostring(t))
    local s = getmetatable(t).__summary(t)
    T.ok(s:find("ngram counts: n=1..2"), "summary head")
    T.ok(s:find("\n  top:"), "summary top")
    local lines = 0
    for _ in s:gmatch("\n") do lines = lines + 1 end
    T.eq(lines, 12, "summary lines")
    t:close()
    T.eq(tostring(t), "ngram counts (closed)", "closed")
    T.raises("closed", t.total, t)
    t:close()
  end,

  by = function()
    local m = ngram.count(town, {by = "month"})
    local keys = {}
    for k, v in pairs(m) do keys[#keys + 1] = k .. ":" .. v:docs() end
    T.eq(table.concat(keys, " "),
      "2024-01:2 2024-02:1 2024-03:2 2024-04:1", "months, sorted")
    local y = ngram.count(town, {by = "year", n = 2})
    T.eq(y[2024]:total(2), ngram.count(town:filter(function(d)
      return d.date ~= nil end), {n = 2}):total(2), "year = dated docs")
    local d = ngram.count(town, {by = "date"})
    T.eq(d["2024-03-04"]:get("budget"), 3, "by date")
    local f = ngram.count(town, {n = 1, by = function(doc)
      return doc.id:match("^(%w+)/")
    end})
    keys = {}
    for k in pairs(f) do keys[#keys + 1] = k end
    T.eq(table.concat(keys, " "), "council misc weather", "by function")
    T.eq(f.misc:docs(), 4, "group docs")
    local n = ngram.count(town, {by = function(doc)
      return doc.date and #doc.id or nil
    end})
    local first = next(n)
    T.ok(first ~= nil, "number keys")
    T.raises("is an empty list", ngram.count, town,
      {by = function() return {} end})
    T.raises("boom", ngram.count, town, {by = function() error("boom") end})
  end,

  -- issue 13: `by` groups exactly as corpus:group_by does (a front-matter
  -- key, a list of keys, a field), on any number of threads (0: all
  -- cores); each group counts as the sub-corpus group_by gives.
  by_group_by = function()
    local c = lector.load("scripts/corpus")
    local multi = function(d)
      return {d.id:match("^(%w+)/"), d.meta.author and "has-author" or nil}
    end
    for _, by in ipairs {"author", "month", multi} do
      local subs = c:group_by(by)
      for _, threads in ipairs {1, 2, 0} do
        local opts = {n = {1, 2}, threads = threads, by = by}
        local got = ngram.count(c, opts)
        local keys, want_keys = {}, {}
        for k in pairs(got) do keys[#keys + 1] = tostring(k) end
        for k in pairs(subs) do want_keys[#want_keys + 1] = tostring(k) end
        T.eq(table.concat(keys, "|"), table.concat(want_keys, "|"),
          "keys by " .. tostring(by) .. ", threads " .. threads)
        T.ok(#keys >= 2, "several groups")
        for k, sub in pairs(subs) do
          local one = ngram.count(sub, {n = {1, 2}, threads = threads})
          T.eq(grams(got[k]), grams(one), "group " .. tostring(k))
          T.eq(got[k]:docs(), #sub, "docs of " .. tostring(k))
        end
      end
    end
  end,

  stopwords = function()
    local text = "The cat sat on the mat"
    local drop = ngram.count(text, {n = 2, stopwords = true})
    T.eq(grams(drop), "cat sat=1/1", "drop")
    local remove = ngram.count(text, {n = 2, stopwords = true,
      stop_mode = "remove"})
    T.eq(grams(remove), "cat sat=1/1 sat mat=1/1", "remove")
    local list = ngram.count(text, {n = 1, stopwords = {"cat", "MAT"}})
    T.eq(grams(list), "on=1/1 sat=1/1 the=2/1", "own list")
  end,

  skip_min_count = function()
    local s = ngram.count("a b c d", {n = 2, skip = 1})
    T.eq(grams(s), "a b=1/1 a c=1/1 b c=1/1 b d=1/1 c d=1/1", "skip")
    local m = ngram.count(town, {n = 1, min_count = 5})
    for _, c in m:each() do T.ok(c >= 5, "min_count") end
    T.eq(m:total(), ngram.count(town):total(), "total keeps every word")
  end,

  collocations = function()
    local rows = ngram.collocations(town, {measure = "llr", min_count = 3})
    T.ok(#rows > 0, "rows")
    T.eq(rows[1].score, rows[1].llr, "score is the measure")
    for i, r in ipairs(rows) do
      T.ok(r.count >= 3, "min_count")
      T.ok(r.pmi and r.t and r.chi2, "all measures")
      if i > 1 then T.ok(rows[i - 1].score >= r.score, "sorted") end
    end
    local grams_seen = {}
    for _, r in ipairs(rows) do grams_seen[r.gram] = true end
    T.ok(grams_seen["town council"], "town council is a collocation")
    local t = ngram.count(town, {n = {1, 3}})
    local r3 = ngram.collocations(t, {n = 3, measure = "pmi", top = 5})
    T.eq(#r3, 5, "trigrams from a table")
    T.ok(select(2, r3[1].gram:gsub(" ", "")) == 2, "trigram")
    T.raises("option 'n' must be 2 or 3", ngram.collocations, town, {n = 4})
    T.raises("no grams of length 2", ngram.collocations,
      ngram.count(town, {n = 1}))
    T.raises("opts.measure: expected one of pmi, llr, t, chi2", ngram.collocations, town,
      {measure = "dice"})
    T.raises("does not apply to a count table", ngram.collocations, t,
      {n = 3, lower = false})
  end,

  keyness = function()
    local weather = town:filter(function(d) return d.id:find("^weather") end)
    local rest = town:filter(function(d) return not d.id:find("^weather") end)
    local rows = ngram.keyness(ngram.count(weather), ngram.count(rest))
    T.ok(#rows > 0, "rows")
    local top3 = rows[1].gram .. " " .. rows[2].gram .. " " .. rows[3].gram
    T.ok(top3:find("weather") and top3:find("service"),
      "typical of weather articles: " .. top3)
    T.ok(rows[1].llr > 0 and rows[1].log_ratio > 0, "positive")
    T.ok(rows[#rows].llr < 0, "the reference end")
    for i = 2, #rows do T.ok(rows[i - 1].llr >= rows[i].llr, "sorted") end
    local lr = ngram.keyness(weather, rest, {measure = "log_ratio", top = 3})
    T.eq(#lr, 3, "sources and top")
    T.ok(lr[1].log_ratio >= lr[2].log_ratio, "by log ratio")
  end,

  tfidf = function()
    local rows = ngram.tfidf(town, {top = 3})
    T.eq(#rows, #town, "one row per document")
    T.eq(rows[1].doc, town[1].id, "doc id")
    T.eq(rows[1].index, 1, "index")
    local empty = 0
    for _, r in ipairs(rows) do
      if #r.terms == 0 then empty = empty + 1 end
      T.ok(#r.terms <= 3, "top 3")
      for i, term in ipairs(r.terms) do
        T.ok(term.tf >= 1 and term.df >= 1, "tf, df")
        local idf = math.log(#town / term.df, 10)
        T.ok(math.abs(term.tfidf - term.tf * idf) < 1e-9, "tf * log10(N/df)")
        if i > 1 then T.ok(r.terms[i - 1].tfidf >= term.tfidf, "sorted") end
      end
    end
    T.eq(empty, 2, "empty documents have no terms")
  end,

  kwic = function()
    local rows = ngram.kwic(town, "library", {window = 3})
    T.ok(#rows >= 8, "hits")
    local prev
    for _, r in ipairs(rows) do
      T.ok(r.match:lower() == "library", "match: " .. r.match)
      if prev then T.ok(prev <= r.index, "corpus order") end
      prev = r.index
      T.eq(r.doc, town[r.index].id, "doc id")
    end
    local p = ngram.kwic(town, "TOWN council", {window = 2})
    T.eq(p[1].match, "town council", "phrase, original text")
    local first = ngram.kwic(town[2], "architect", {window = 4})
    T.eq(#first, 1, "one hit")
    T.eq(first[1].left, "end of April. The", "left context, original text")
    T.eq(first[1].right, ", Ms. O’Brien, said the", "right context")
    local w = ngram.kwic("a b c a x c", "a * c")
    T.eq(#w, 2, "wildcard")
    T.eq(w[2].match, "a x c", "wildcard match")
    T.eq(w[1].doc, nil, "a string has no doc")
    T.raises("gives no token", ngram.kwic, town, "the", {stopwords = true})
    T.raises("unknown option 'n'", ngram.kwic, town, "the", {n = 2})
    T.raises("opts.window", ngram.kwic, town, "the", {window = -1})
    T.eq(#ngram.kwic(town, "zebra"), 0, "no hit")
  end,

  sentences = function()
    local text = "The cat sat. The cat ran!"
    local s = ngram.count(text, {n = {1, 2}, sentences = true})
    T.eq(grams(s), "cat=2/1 cat ran=1/1 cat sat=1/1 ran=1/1 sat=1/1 " ..
      "the=2/1 the cat=2/1", "no gram spans a sentence end")
    T.eq(s:options(), "sentences=true", "an option of the table")
    T.eq(ngram.count(text, {sentences = false}):options(), "",
      "false is the default")
    local plain = ngram.count(town, {n = 2})
    local within = ngram.count(town, {n = 2, sentences = true})
    T.ok(within:total(2) < plain:total(2), "fewer bigrams")
    T.raises("counted differently", plain.merge, plain, within)
    local dir = T.tmpdir()
    within:save(dir .. "/s.tsv")
    plain:save(dir .. "/p.tsv")
    T.eq(ngram.load(dir .. "/s.tsv"):options(), "sentences=true", "saved")
    T.raises("counted with other options", ngram.merge_files,
      {dir .. "/s.tsv", dir .. "/p.tsv"}, dir .. "/x.tsv")
    local c1 = ngram.collocations(town, {sentences = true, min_count = 2})
    local c2 = ngram.collocations(ngram.count(town, {n = {1, 2},
      sentences = true}), {min_count = 2})
    T.eq(#c1, #c2, "collocations within sentences")
    for i = 1, #c1 do T.eq(c1[i].gram, c2[i].gram, "collocation " .. i) end
    local tf = ngram.tfidf(town, {n = 2, sentences = true, top = 50})
    for _, r in ipairs(tf) do
      for _, term in ipairs(r.terms) do
        T.eq(term.df, within:df(term.gram), "tfidf df: " .. term.gram)
      end
    end
    local k = ngram.kwic(town[2], "architect", {window = 4, sentences = true})
    T.eq(k[1].left, "The", "left context stops at the sentence")
    T.eq(k[1].right, ", Ms. O’Brien, said the", "right context")
    T.eq(#ngram.kwic("A b. C d", "b c"), 1, "a phrase across sentences")
    T.eq(#ngram.kwic("A b. C d", "b c", {sentences = true}), 0,
      "not within sentences")
    T.raises("option 'sentences' must be a boolean", ngram.count, "a",
      {sentences = 1})
    T.raises("option 'sentences' does not apply to a list of tokens",
      ngram.count, {"a"}, {sentences = true})
    T.raises("option 'sentences' does not apply to a count table",
      ngram.collocations, plain, {sentences = true})
  end,
}
