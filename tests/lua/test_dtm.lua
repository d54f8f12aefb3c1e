-- test_dtm.lua: ngram.dtm (issue 16) against counts made here from
-- tokenize.words, its files read back by Python's scipy.io.mmread
-- (python3-scipy; those parts skip without it) and csv module, and its
-- bad inputs.  Fixture: tests/fixtures/ngram/town (text written for the
-- tests); ../shared/corpora/state_union when present.
local T = require "testlib"
local ngram = require "lector.ngram"
local tokenize = require "lector.tokenize"
local lfs = require "lfs"

local town = lector.load(T.fixtures("ngram/town"))
local PY = "/usr/bin/python3"

local function has_python(mod)
  return os.execute(PY .. " -c 'import " .. mod .. "' 2>/dev/null") == true
end

-- Expected rows: for each document (or group of documents), {term =
-- count} of its n-grams (lengths nmin..nmax) from tokenize.words.
local function doc_counts(doc, nmin, nmax, opts)
  local w, c = tokenize.words(doc, opts), {}
  for k = nmin, nmax do
    for i = 1, #w - k + 1 do
      local g = table.concat(w, " ", i, i + k - 1)
      c[g] = (c[g] or 0) + 1
    end
  end
  return c
end

-- The terms of rows kept by min_df / max_df (counts of rows), sorted as
-- Python sorts str (code points: UTF-8 byte order).
local function expected_terms(rows, lo, hi)
  local df, out = {}, {}
  for _, r in ipairs(rows) do
    for g in pairs(r) do df[g] = (df[g] or 0) + 1 end
  end
  for g, d in pairs(df) do
    if d >= lo and d <= hi then out[#out + 1] = g end
  end
  table.sort(out)
  return out, df
end

-- Read prefix.* back with scipy and csv: {shape = {r, c}, nnz, dtype,
-- cells = {"i j" = value}, cols = {...}, rows = {{field, ...}, ...}}.
local function read_back(prefix)
  local dir = T.tmpdir()
  T.write(dir .. "/read.py", [[
import csv, sys
import scipy.io
p = sys.argv[1]
m = scipy.io.mmread(p + ".mtx").tocoo()
print("shape\t%d\t%d\t%d\t%s" % (m.shape[0], m.shape[1], m.nnz, m.dtype.kind))
for i, j, v in zip(m.row, m.col, m.data):
    print("cell\t%d\t%d\t%.17g" % (i + 1, j + 1, v))
with open(p + ".cols.txt", encoding="utf-8", newline="") as f:
    for line in f.read().split("\n")[:-1]:
        print("col\t" + line)
with open(p + ".rows.csv", encoding="utf-8", newline="") as f:
    for row in csv.reader(f):
        print("row\t" + "\t".join(x.replace("\n", "<NL>") for x in row))
]])
  local p = assert(io.popen(PY .. " " .. dir .. "/read.py " .. prefix))
  local r = {cells = {}, cols = {}, rows = {}}
  for line in p:lines() do
    local f = {}
    for x in (line .. "\t"):gmatch("(.-)\t") do f[#f + 1] = x end
    if f[1] == "shape" then
      r.shape = {tonumber(f[2]), tonumber(f[3])}
      r.nnz, r.dtype = tonumber(f[4]), f[5]
    elseif f[1] == "cell" then
      r.cells[f[2] .. " " .. f[3]] = tonumber(f[4])
    elseif f[1] == "col" then
      r.cols[#r.cols + 1] = f[2]
    elseif f[1] == "row" then
      table.remove(f, 1)
      for k, x in ipairs(f) do f[k] = x:gsub("<NL>", "\n") end
      r.rows[#r.rows + 1] = f
    end
  end
  T.ok(p:close(), "scipy read " .. prefix)
  return r
end

-- The matrix m equals the expected rows exp over the terms exp_terms:
-- through the accessors, and through the files read by scipy.
local function check(m, exp, exp_terms, what, prefix)
  local nr, nc = m:dims()
  T.eq(nr, #exp, what .. ": rows")
  T.eq(nc, #exp_terms, what .. ": columns")
  local terms, nnz = m:terms(), 0
  for j = 1, nc do T.eq(terms[j], exp_terms[j], what .. ": term " .. j) end
  local keep = {}
  for _, g in ipairs(exp_terms) do keep[g] = true end
  for i, r in ipairs(exp) do
    local got = m:row(i)
    for g, c in pairs(r) do
      if keep[g] then
        nnz = nnz + 1
        T.eq(got[g], c, what .. ": row " .. i .. " " .. g)
      end
    end
    for g in pairs(got) do T.ok(keep[g] and r[g], what .. ": extra " .. g) end
  end
  T.eq(m:nnz(), nnz, what .. ": nnz")
  if not prefix then return end
  m:save_mm(prefix)
  local back = read_back(prefix)
  T.eq(back.shape[1] .. "x" .. back.shape[2], nr .. "x" .. nc,
    what .. ": scipy shape")
  T.eq(back.nnz, nnz, what .. ": scipy nnz")
  T.eq(back.dtype, "i", what .. ": integer matrix")
  T.eq(#back.cols, nc, what .. ": cols.txt lines")
  for j = 1, nc do T.eq(back.cols[j], exp_terms[j], what .. ": cols.txt") end
  local col = {}
  for j, g in ipairs(exp_terms) do col[g] = j end
  local seen = 0
  for i, r in ipairs(exp) do
    for g, c in pairs(r) do
      if col[g] then
        T.eq(back.cells[i .. " " .. col[g]], c, what .. ": scipy cell " ..
          i .. " " .. g)
        seen = seen + 1
      end
    end
  end
  T.eq(seen, back.nnz, what .. ": every scipy cell expected")
  return back
end

T.run {
  counts = function()
    local exp = {}
    for d in town:each() do exp[#exp + 1] = doc_counts(d, 1, 1) end
    local terms = expected_terms(exp, 1, math.huge)
    local m = ngram.dtm(town)
    check(m, exp, terms, "unigrams")
    T.eq(#m, #town, "#m")
    local names = m:rownames()
    for i = 1, #town do T.eq(names[i], town[i].id, "rowname " .. i) end
    T.eq(m:term(1), terms[1], "term(1)")
    T.eq(m:col(terms[5]), 5, "col(term)")
    T.eq(m:col("zebra"), nil, "col of an unknown term")
    T.eq(m:get(1, "zebra"), 0, "get of an unknown term")
    local _, df = expected_terms(exp, 1, math.huge)
    T.eq(m:df(terms[3]), df[terms[3]], "df")
    T.eq(m:get(2, m:col(terms[3])), exp[2][terms[3]] or 0, "get by column")
    T.eq(m:weighted(), false, "counts")
    T.ok(m:memory() > 0, "memory")
    T.ok(tostring(m):find("rows x", 1, true), "tostring")
    -- empty documents are empty rows
    local empty = 0
    for i = 1, #town do
      if next(m:row(i)) == nil then empty = empty + 1 end
    end
    T.eq(empty, 2, "two empty documents, two empty rows")
    -- no documents, no words: empty matrices, not errors
    local none = ngram.dtm(town:filter(function() return false end))
    T.eq(table.concat({none:dims()}, "x"), "0x0", "an empty corpus")
    T.eq(table.concat({ngram.dtm(""):dims()}, "x"), "1x0", "an empty string")
  end,

  bounds_and_bigrams = function()
    local exp = {}
    for d in town:each() do exp[#exp + 1] = doc_counts(d, 1, 2) end
    local terms = expected_terms(exp, 2, 5)
    check(ngram.dtm(town, {n = {1, 2}, min_df = 2, max_df = 5}), exp, terms,
      "n = {1, 2}, min_df = 2, max_df = 5")
    -- proportions: 0.2 of 10 rows is 2, 0.5 is 5
    check(ngram.dtm(town, {n = {1, 2}, min_df = 0.2, max_df = 0.5}), exp,
      terms, "proportions")
    -- max_df = 1 (an integer) is one document; 1.0 is all of them
    check(ngram.dtm(town, {max_df = 1}), (function()
      local e = {}
      for d in town:each() do e[#e + 1] = doc_counts(d, 1, 1) end
      return e
    end)(), (function()
      local e = {}
      for d in town:each() do e[#e + 1] = doc_counts(d, 1, 1) end
      return (expected_terms(e, 1, 1))
    end)(), "max_df = 1")
    T.eq(select(2, ngram.dtm(town, {max_df = 1.0}):dims()),
      select(2, ngram.dtm(town):dims()), "max_df = 1.0 keeps all")
    -- min_count: total count over the corpus
    local m = ngram.dtm(town, {min_count = 3})
    local tot = {}
    for d in town:each() do
      for _, w in ipairs(tokenize.words(d)) do tot[w] = (tot[w] or 0) + 1 end
    end
    local want = 0
    for _, c in pairs(tot) do if c >= 3 then want = want + 1 end end
    T.eq(select(2, m:dims()), want, "min_count")
    -- tokenizer options and stop words reach the matrix
    local s = ngram.dtm(town, {stopwords = true})
    T.eq(s:col("the"), nil, "stop words are not terms")
    T.ok(ngram.dtm(town):col("the"), "the is a term by default")
    local l = ngram.dtm(town, {lower = false})
    T.ok(l:col("The"), "lower = false keeps case")
  end,

  groups = function()
    local groups, keys = town:group_by("month"), {}
    for k in pairs(groups) do keys[#keys + 1] = k end
    local exp = {}
    for _, k in ipairs(keys) do
      local r = {}
      for d in groups[k]:each() do
        for g, c in pairs(doc_counts(d, 1, 1)) do r[g] = (r[g] or 0) + c end
      end
      exp[#exp + 1] = r
    end
    local m = ngram.dtm(town, {by = "month"})
    check(m, exp, (expected_terms(exp, 1, math.huge)), "by = month")
    local names = m:rownames()
    for i, k in ipairs(keys) do T.eq(names[i], k, "group key " .. i) end
    -- a document in two groups counts in both; one in none in neither
    local all = {}
    for d in town:each() do
      for g, c in pairs(doc_counts(d, 1, 1)) do all[g] = (all[g] or 0) + c end
    end
    local two = ngram.dtm(town, {by = function() return {"x", "y"} end})
    check(two, {all, all}, (expected_terms({all}, 1, 1)), "two groups each")
    T.eq(select(1, ngram.dtm(town, {by = function() return nil end}):dims()),
      0, "no group")
    if not has_python("scipy") then return end
    local dir = T.tmpdir()
    m:save_mm(dir .. "/g")
    local back = read_back(dir .. "/g")
    T.eq(table.concat(back.rows[1], ","), "row,key,docs", "groups' rows.csv")
    for i, k in ipairs(keys) do
      T.eq(back.rows[i + 1][2], k, "key of row " .. i)
      T.eq(tonumber(back.rows[i + 1][3]), #groups[k], "docs of row " .. i)
    end
  end,

  files = function()
    if not has_python("scipy") then
      return print("skip: python3-scipy is not installed")
    end
    local dir = T.tmpdir()
    local exp = {}
    for d in town:each() do exp[#exp + 1] = doc_counts(d, 1, 2) end
    local m = ngram.dtm(town, {n = {1, 2}, min_df = 2})
    local back = check(m, exp, (expected_terms(exp, 2, math.huge)),
      "saved", dir .. "/town")
    -- rows.csv: header, then one line per row in row order, ids and
    -- metadata, read by Python's csv module
    local head = back.rows[1]
    T.eq(table.concat(head, ",", 1, 6), "row,id,index,path,title,date",
      "rows.csv columns")
    T.eq(#back.rows, #town + 1, "a line per row")
    for i = 1, #town do
      local r = back.rows[i + 1]
      T.eq(r[1], tostring(i), "row number")
      T.eq(r[2], town[i].id, "doc id " .. i)
      T.eq(r[3], tostring(i), "doc index " .. i)
      T.eq(r[5], town[i].title, "title " .. i)
      T.eq(r[6], town[i].date or "", "date " .. i)
    end
    -- the first lines of the .mtx, as Matrix Market says
    local mtx = T.read(dir .. "/town.mtx")
    T.ok(mtx:find("^%%%%MatrixMarket matrix coordinate integer general\n"),
      "Matrix Market header")
    -- metadata with commas, quotes and line breaks: RFC 4180 quoting
    local md = T.tmpdir()
    T.write(md .. "/docs.csv", 'id,text,author,tags\n' ..
      'a,"The tram line, at last.","Smith, ""Jo""",x\n' ..
      'b,The tram line again,"two\nlines",y\n')
    local c = lector.load(md .. "/docs.csv")
    local cm = ngram.dtm(c)
    cm:save_mm(dir .. "/meta")
    local mb = read_back(dir .. "/meta")
    local col = {}
    for j, name in ipairs(mb.rows[1]) do col[name] = j end
    T.ok(col.author, "metadata column author: " .. table.concat(mb.rows[1], "|"))
    T.eq(mb.rows[2][col.author], 'Smith, "Jo"', "quoted field read back")
    T.eq(mb.rows[3][col.author], "two\nlines", "line break read back")
    T.eq(mb.rows[2][col.id], c[1].id, "csv row id")
    -- a weighted matrix is a real one
    m:tfidf{idf = "smooth", norm = "l2"}:save_mm(dir .. "/w")
    T.ok(T.read(dir .. "/w.mtx"):find(
      "^%%%%MatrixMarket matrix coordinate real general\n"), "real header")
    T.eq(read_back(dir .. "/w").dtype, "f", "scipy reads floats")
    -- a string source: one row
    local sm = ngram.dtm("The tram line. The tram.")
    T.eq(select(1, sm:dims()), 1, "a string is one row")
    T.eq(sm:get(1, "tram"), 2, "string counts")
    sm:save_mm(dir .. "/s")
    T.eq(read_back(dir .. "/s").rows[2][1], "1", "string's row")
  end,

  outputs = function()
    -- an output that is one of the corpus's files is refused, and
    -- nothing is left behind (the other two files are not written)
    local dir = T.tmpdir()
    T.write(dir .. "/x.cols.txt", "Tram lines and more tram lines.\n")
    local c = lector.load(dir)
    T.eq(#c, 1, "the corpus has the file")
    local m = ngram.dtm(c)
    local before = T.read(dir .. "/x.cols.txt")
    T.raises("x.cols.txt", m.save_mm, m, dir .. "/x")
    T.eq(T.read(dir .. "/x.cols.txt"), before, "the input is unchanged")
    T.ok(not lfs.attributes(dir .. "/x.mtx"), "no .mtx left")
    T.ok(not lfs.attributes(dir .. "/x.rows.csv"), "no .rows.csv left")
    -- a folder in the way: an error naming it
    lfs.mkdir(dir .. "/y.mtx")
    T.raises("y.mtx", m.save_mm, m, dir .. "/y")
    T.ok(not lfs.attributes(dir .. "/y.cols.txt"), "nothing written")
    -- a missing folder
    T.raises("nowhere", m.save_mm, m, dir .. "/nowhere/z")
    -- overwriting an earlier output is fine
    m:save_mm(dir .. "/ok")
    m:save_mm(dir .. "/ok")
    T.ok(lfs.attributes(dir .. "/ok.mtx"), "written twice")
  end,

  bad_input = function()
    T.raises("ngram.dtm: opts.min_df: expected a count of documents",
      ngram.dtm, town, {min_df = -1})
    T.raises("got 1.5", ngram.dtm, town, {min_df = 1.5})
    T.raises("opts.max_df", ngram.dtm, town, {max_df = "all"})
    T.raises("max_df (2.0 documents) is below min_df (3.0 documents)",
      ngram.dtm, town, {min_df = 3, max_df = 2})
    T.raises("option 'by' needs a corpus", ngram.dtm, "a b", {by = "month"})
    T.raises("argument 1 must be a corpus, a document or a string",
      ngram.dtm, {"a", "b"})
    T.raises("argument 1 must be a corpus", ngram.dtm, 5)
    T.raises("unknown option 'colour'", ngram.dtm, town, {colour = 1})
    T.raises("option 'n'", ngram.dtm, town, {n = 9})
    T.raises("option 'memory' does not apply here", ngram.dtm, town,
      {memory = "256M"})
    T.raises("option 'tmpdir' does not apply here", ngram.dtm, town,
      {tmpdir = "/tmp"})
    local m = ngram.dtm(town)
    T.raises("row 11 is out of range (1..10)", m.row, m, 11)
    T.raises("row 0 is out of range", m.get, m, 0, "the")
    T.raises("column 0 is out of range", m.term, m, 0)
    T.raises("column 9999 is out of range", m.get, m, 1, 9999)
    T.raises("the prefix is empty", m.save_mm, m, "")
    T.raises("tfidf: opts.tf: expected one of raw, log, bool",
      m.tfidf, m, {tf = "sqrt"})
    T.raises("unknown option 'smooth_idf'", m.tfidf, m, {smooth_idf = true})
    local w = m:tfidf()
    T.raises("already weighted", w.tfidf, w)
    m:close()
    T.raises("the matrix is closed", m.dims, m)
    T.eq(tostring(m), "ngram.dtm (closed)", "closed tostring")
    -- a closed corpus: accessors of the counts still work, names do not
    local c = lector.load(T.fixtures("ngram/town"))
    local cm = ngram.dtm(c)
    c:close()
    T.eq(select(1, cm:dims()), 10, "dims without the corpus")
    T.raises("corpus is closed", cm.rownames, cm)
    T.raises("corpus is closed", cm.save_mm, cm, T.tmpdir() .. "/c")
  end,

  -- out of memory while keeping the documents' terms: the message says
  -- what was kept and what to change
  out_of_memory = function()
    local bin = os.getenv("LECTOR_BIN") or "build/lector"
    local dir = T.tmpdir()
    local x = 7
    for d = 1, 40 do
      local words = {}
      for i = 1, 3000 do
        x = (x * 1103515245 + 12345) % 2147483648
        words[i] = tostring(x % 1000000)
      end
      T.write(dir .. "/" .. d .. ".txt", table.concat(words, " "))
    end
    local code = "local m = require('lector.ngram').dtm(lector.load('" .. dir ..
      "'), {n = {1, 3}, threads = 1})"
    local p = io.popen("'" .. bin .. "' --memory-limit 12M -e \"" .. code ..
      "\" 2>&1; echo rc=$?")
    local out = p:read("a")
    p:close()
    T.ok(not out:find("rc=0", 1, true), "ran out of memory: " .. out)
    T.ok(out:find("ngram.dtm: out of memory after keeping the terms of %d+ " ..
      "of 40 documents %(%d+ MB"), "what was kept: " .. out)
    T.ok(out:find("--memory-limit", 1, true), "what to change: " .. out)
  end,

  shared = function()
    local su = T.shared("state_union")
    if not su then return print("skip: ../shared/corpora is absent") end
    local c = lector.load(su)
    local exp = {}
    for d in c:each() do exp[#exp + 1] = doc_counts(d, 1, 1) end
    local terms = expected_terms(exp, 5, math.huge)
    local m = ngram.dtm(c, {min_df = 5})
    local prefix = has_python("scipy") and (T.tmpdir() .. "/su") or nil
    check(m, exp, terms, "state_union", prefix)
  end,
}
