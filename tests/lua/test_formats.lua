-- test_formats.lua: issue 14's round trip at the level users see it: a
-- folder of text files written as CSV, TSV and JSON lines (and gzip'd)
-- loads to the same texts, and ngram.count saves a byte-identical table
-- from each; the load options reach the loader.
local T = require "testlib"
local ngram = require "lector.ngram"

local tests = {}

local function csv_field(s) return '"' .. s:gsub('"', '""') .. '"' end
local function tsv_field(s)
  return (s:gsub("[\\\t\n\r]", {["\\"] = "\\\\", ["\t"] = "\\t", ["\n"] = "\\n",
                                 ["\r"] = "\\r"}))
end
local function json_string(s)
  return '"' .. s:gsub('[%c"\\]', function(c)
    return c == '"' and '\\"' or c == "\\" and "\\\\" or ("\\u%04x"):format(c:byte())
  end) .. '"'
end

-- The sample corpus's texts as table files in a fresh folder.
local function tables(c)
  local d = T.tmpdir()
  local csv, tsv, jsonl = {"id,text,n\n"}, {"id\ttext\tn\n"}, {}
  for i, doc in ipairs(c) do
    local text = doc.text
    csv[#csv + 1] = ("%s,%s,%d\n"):format(csv_field(doc.id), csv_field(text), i)
    tsv[#tsv + 1] = ("%s\t%s\t%d\n"):format(tsv_field(doc.id), tsv_field(text), i)
    jsonl[#jsonl + 1] = ('{"id":%s,"n":%d,"text":%s}\n'):format(json_string(doc.id), i,
                                                              json_string(text))
  end
  T.write(d .. "/c.csv", table.concat(csv))
  T.write(d .. "/c.tsv", table.concat(tsv))
  T.write(d .. "/c.jsonl", table.concat(jsonl))
  T.write(d .. "/g.jsonl", table.concat(jsonl))
  T.ok(os.execute("gzip '" .. d .. "/g.jsonl'"), "gzip")
  return d
end

function tests.round_trip_counts()
  local files = lector.load("scripts/corpus", {quiet = true, dates = false})
  local d = tables(files)
  local want = d .. "/files.tsv"
  ngram.count(files, {n = 2}):save(want)
  for _, name in ipairs {"c.csv", "c.tsv", "c.jsonl", "g.jsonl.gz"} do
    local c = lector.load(d .. "/" .. name, {quiet = true, id = "id"})
    T.eq(#c, #files, name .. ": one document a row")
    T.eq(#c.warnings, 0, name .. ": no warnings")
    for i = 1, #c do
      T.eq(c[i].id, files[i].id, name .. ": id column")
      T.eq(c[i].text, files[i].text, name .. ": text of " .. files[i].id)
    end
    local out = d .. "/" .. name .. ".counts"
    ngram.count(c, {n = 2}):save(out)
    T.ok(T.read(out) == T.read(want), name .. ": saved table byte-identical")
  end
end

function tests.options_reach_the_loader()
  local d = T.tmpdir()
  T.write(d .. "/a.txt", "words,when\n\"one, two\",2021-04-07\n")
  local c = lector.load(d .. "/a.txt", {format = "csv", text = "words", quiet = true})
  T.eq(#c, 1, "format = csv on a .txt file")
  T.eq(c[1].text, "one, two", "text column")
  T.eq(c[1].date, nil, "no date column by that name")
  c = lector.load(d .. "/a.txt", {format = "csv", text = "words", date = "when"})
  T.eq(c[1].date, "2021-04-07", "date column")
  T.eq(c[1].meta.date_source, "column", "date_source")
  T.eq(c[1].meta.when, "2021-04-07", "raw value kept")
  T.raises("no text column: none of text, body, content, article (the columns " ..
           "are: words, when)", lector.load, d .. "/a.txt", {format = "csv"})
end

function tests.json_types_in_meta()
  local d = T.tmpdir()
  T.write(d .. "/n.ndjson", '{"body":"b","n":2.5,"ok":false,"tags":["x","y"]}\n')
  local c = lector.load(d)
  local m = c[1].meta
  T.eq(m.n, 2.5, "a number")
  T.eq(m.ok, false, "a boolean")
  T.eq(m.tags, '["x","y"]', "an array as JSON text")
end

function tests.shards()
  local all = lector.load("scripts/corpus", {quiet = true})
  local seen = {}
  for i = 1, 3 do
    for _, d in ipairs(lector.load("scripts/corpus", {quiet = true, shard = {i, 3}})) do
      T.eq(seen[d.id], nil, d.id .. " in one shard only")
      seen[d.id] = i
    end
  end
  for _, d in ipairs(all) do T.ok(seen[d.id], d.id .. " in some shard") end
  T.raises("opts.shard: expected {i, n}", lector.load, "scripts/corpus", {shard = {0, 3}})
  T.raises("opts.shard: expected {i, n}", lector.load, "scripts/corpus", {shard = {4, 3}})
  T.raises("opts.shard: expected {i, n}", lector.load, "scripts/corpus", {shard = "1/3"})
end

T.run(tests)
