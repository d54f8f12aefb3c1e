-- test_corpus_tables.lua: the Lua face of issue 14's loading: lector.load's
-- format/text/id/date/dates options and their errors, warnings as tables,
-- doc.year as a number, doc.format, doc.folder and by = "folder" in
-- group_by and the plugins, date_source "column".
local T = require "testlib"
local lfs = require "lfs"
local ngram = require "lector.ngram"
local sentiment = require "lector.sentiment"

local tests = {}

local NEWS = "id,date,headline,body,section\n" ..
  "n1,2021-04-07,Harbour opens,\"The harbour opened, at last.\",port\n" ..
  "n2,\"Wed, 08 Apr 2021 10:32:00 +0500\",Storm,A storm came.,weather\n" ..
  "n3,,Undated,No date here.,port\n"

local function news(dir)
  dir = dir or T.tmpdir()
  T.write(dir .. "/news.csv", NEWS)
  return dir .. "/news.csv"
end

local function ids(c)
  local t = {}
  for d in c:each() do t[#t + 1] = d.id end
  return table.concat(t, " ")
end

function tests.option_errors_name_the_option_and_value()
  local f = news()
  T.raises('opts.format: unknown format \'xml\' (formats: "auto", "text", ' ..
    '"csv", "tsv", "jsonl")', lector.load, f, {format = "xml"})
  T.raises("opts.format: expected a string, got number", lector.load, f,
    {format = 1})
  T.raises('opts.dates: expected "auto", "header" or false, got true',
    lector.load, f, {dates = true})
  T.raises("opts.dates: expected \"auto\", \"header\" or false, got 'text'",
    lector.load, f, {dates = "text"})
  T.raises("opts.text: expected a column name (a string), got table",
    lector.load, f, {text = {}})
  T.raises("opts.id: an empty column name", lector.load, f, {id = ""})
  T.raises("opts.date: a column name cannot hold a NUL byte", lector.load,
    f, {date = "a\0b"})
  T.raises("unknown option 'column' (options: ext, glob, encoding, strict, " ..
    "quiet, hidden, threads, format, text, id, date, dates, shard)", lector.load, f,
    {column = "x"})
end

function tests.format_option()
  local f = news()
  T.eq(#lector.load(f), 3, "auto: .csv is a table, one doc per row")
  local t = lector.load(f, {format = "text"})
  T.eq(#t, 1, "text: the file is one document")
  T.eq(t[1].format, "text", "doc.format")
  local dir = T.tmpdir()
  T.write(dir .. "/rows.txt", NEWS)
  local c = lector.load(dir .. "/rows.txt", {format = "csv", quiet = true})
  T.eq(#c, 3, "csv forced on a .txt")
  T.eq(c[1].format, "csv", "doc.format csv")
  T.write(dir .. "/rows.dat", (NEWS:gsub(",", "\t"):gsub('"[^"]*"', "x")))
  T.eq(lector.load(dir .. "/rows.dat", {format = "tsv", quiet = true})[1]
    .format, "tsv", "tsv forced")
end

function tests.column_options()
  local f = news()
  local c = lector.load(f, {id = "id", text = "body", quiet = true})
  T.eq(ids(c), "n1 n2 n3", "opts.id")
  T.eq(c[1].text, "The harbour opened, at last.", "opts.text")
  T.eq(c[1].title, "Harbour opens", "headline is the title")
  T.eq(c[1].date, "2021-04-07", "the date column")
  T.eq(c[1].meta.date_source, "column", "date_source column")
  T.eq(c[2].date, "2021-04-08", "an RFC 2822 date")
  T.eq(c[1].meta.section, "port", "other columns in meta")
  T.eq(c[3].date, nil, "an empty date")
  local d = lector.load(f, {text = "headline", date = "section",
    quiet = true})
  T.eq(d[1].text, "Harbour opens", "another text column")
  T.eq(d[1].date, nil, "section holds no date")
  T.eq(ids(lector.load(f, {quiet = true})), "news.csv#1 news.csv#2 news.csv#3",
    "the default id")
  T.raises("no column 'nope' (the columns are: ", lector.load, f, {text = "nope"})
end

function tests.dates_option()
  local dir = T.tmpdir()
  T.write(dir .. "/a.txt", "Harbour news\nPublished: Apr 08, 2021\nIt opened.\n")
  T.write(dir .. "/b.txt", " date 2020-01-02 Header date\nbody\n")
  local auto = lector.load(dir)
  T.eq(auto[1].date, "2021-04-08", "auto: a dateline gives a date")
  T.eq(auto[1].meta.date_source, "text", "from the text")
  T.eq(auto[2].date, "2020-01-02", "header")
  local header = lector.load(dir, {dates = "header"})
  T.eq(header[1].date, nil, "header: no date from the text")
  T.eq(header[2].date, "2020-01-02", "header: the header's date")
  local none = lector.load(dir, {dates = false})
  T.eq(none[2].date, nil, "false: no dates at all")
  T.eq(none[2].year, nil, "no year either")
  T.eq(lector.load(news(), {dates = "header", quiet = true})[1].date,
    "2021-04-07", "header keeps date columns")
end

function tests.year_is_a_number()
  local c = lector.load(news(), {quiet = true})
  T.eq(c[1].year, 2021, "year")
  T.eq(math.type(c[1].year), "integer", "an integer")
  T.eq(c[1].month, "2021-04", "the month stays a string")
  local g = c:group_by("year")
  T.eq(#g[2021], 2, "year keys are numbers")
end

function tests.warnings_are_tables_that_print()
  local dir = T.tmpdir()
  T.write(dir .. "/bin.txt", "a\0b")
  T.write(dir .. "/rows.csv", 'id,text\n1,fine\n2,"bad"x\n3,ok\n')
  local c = lector.load(dir, {quiet = true})
  T.eq(#c.warnings, 2, "two warnings")
  local bin, row = c.warnings[1], c.warnings[2]
  if bin.path:find("rows") then bin, row = row, bin end
  T.eq(type(bin), "table", "a table")
  T.eq(bin.path, dir .. "/bin.txt", "path")
  T.ok(bin.reason:find("binary", 1, true), "reason: " .. bin.reason)
  T.eq(bin.line, nil, "no line for a file")
  T.eq(tostring(bin), bin.path .. ": " .. bin.reason, "tostring")
  T.eq(bin.message, tostring(bin), "message")
  T.eq("w: " .. bin, "w: " .. tostring(bin), "concat on the right")
  T.eq(bin .. "!", tostring(bin) .. "!", "concat on the left")
  T.ok(bin:find("binary", 1, true), "string methods")
  T.eq(row.line, 3, "a row's line")
  T.eq(tostring(row), row.path .. ":3: " .. row.reason, "file:line: reason")
  T.raises("attempt to concatenate a table value", function()
    return bin .. {} end)
  -- print writes it as its message
  local out = os.tmpname()
  local bin_path = os.getenv("LECTOR_BIN")
  if bin_path then
    os.execute(string.format("%s -e 'print(lector.load(%q, {quiet = true})" ..
      ".warnings[1])' > %s 2>&1", bin_path, dir .. "/bin.txt", out))
    local f = io.open(out)
    local s = f:read("a")
    f:close()
    T.ok(s:find("bin.txt", 1, true), "print: " .. s)
  end
  os.remove(out)
end

function tests.folder_field_and_groups()
  local dir = T.tmpdir()
  assert(lfs.mkdir(dir .. "/farm"))
  assert(lfs.mkdir(dir .. "/port"))
  T.write(dir .. "/top.txt", "Top\nA good day at the top.\n")
  T.write(dir .. "/farm/a.txt", "Farm\nA good harvest.\n")
  T.write(dir .. "/farm/b.txt", "Farm two\nA bad drought.\n")
  news(dir .. "/port")
  local c = lector.load(dir, {quiet = true})
  local folders = {}
  for d in c:each() do folders[#folders + 1] = d.folder end
  T.eq(table.concat(folders, ","), "farm,farm,port,port,port,",
    "folders; the root is \"\"")
  local g = c:group_by("folder")
  T.eq(#g.farm .. #g.port .. #g[""], "231", "group_by folder")
  local counts = ngram.count(c, {n = 1, by = "folder"})
  T.eq(counts.farm:get("farm"), 2, "ngram by folder")
  T.eq(counts[""]:get("top"), 2, "the root's group")
  local s = sentiment.new{lexicon = T.fixtures("sentiment") ..
    "/mini_vader.txt"}
  local r = s:corpus(c, {by = "folder"})
  T.eq(r.groups[1].key .. r.groups[1].docs, "1", "\"\" sorts first")
  T.eq(r.groups[2].key .. r.groups[2].docs, "farm2", "sentiment by folder")
  T.eq(r.docs[2].index, 2, "docs rows carry index")
  local f = c:group_by("format")
  T.eq(#f.csv .. #f.text, "33", "group_by format")
end

T.run(tests)
