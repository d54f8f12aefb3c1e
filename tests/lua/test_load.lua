-- test_load.lua: lector.load and the corpus/doc API on fixtures, and every
-- kind of bad input.
local T = require "testlib"
local lfs = require "lfs"

local tests = {}
local articles = T.fixtures("articles")

local function ids(corpus)
  local out = {}
  for doc in corpus:each() do out[#out + 1] = doc.id end
  return table.concat(out, " ")
end

function tests.directory_sorted_by_path()
  local c = lector.load(articles, {quiet = true})
  T.eq(#c, 6, "#corpus")
  T.eq(ids(c), "harbour/2025-01-15-reopens.txt harbour/2025-02-03-ferry.txt "
    .. "market/empty.txt market/fountain.txt market/notes.md market/stalls.txt",
    "ids")
  T.eq(c[1].path, articles .. "/harbour/2025-01-15-reopens.txt", "path")
  T.eq(c[0], nil, "corpus[0]")
  T.eq(c[7], nil, "corpus[7]")
end

function tests.header_date_and_body()
  local d = lector.load(articles .. "/harbour/2025-01-15-reopens.txt")[1]
  T.eq(d.id, "2025-01-15-reopens.txt", "id of a single file")
  T.eq(d.date, "2025-01-15", "date")
  T.eq(d.month, "2025-01", "month")
  T.eq(d.year, 2025, "year (a number)")
  T.eq(d.title, "Harbour reopens after the storm", "title")
  T.ok(d.text:find("^Harbour reopens after the storm\nFishing boats"),
    "the header line's text is part of the body")
  T.eq(d.bytes, #d.text, "bytes")
  T.eq(d.meta.date_source, "header", "date_source")
  T.eq(d.meta.encoding, "utf-8", "encoding")
end

function tests.front_matter()
  local d = lector.load(articles .. "/harbour/2025-02-03-ferry.txt")[1]
  T.eq(d.date, "2025-02-03", "date")
  T.eq(d.meta.author, "Ines Calder", "meta.author")
  T.eq(d.meta.title, "Ferry timetable changes", "quotes stripped")
  T.eq(d.meta.date_source, "meta", "date_source")
  T.ok(not d.text:find("author:"), "front matter is not in the text")
end

function tests.dateline_and_no_date()
  local c = lector.load(articles .. "/market", {quiet = true})
  local by = {}
  for doc in c:each() do by[doc.id] = doc end
  T.eq(by["stalls.txt"].date, "2025-04-08", "dateline date")
  T.eq(by["stalls.txt"].meta.date_source, "text", "date_source")
  T.eq(by["fountain.txt"].date, nil, "no date")
  T.eq(by["fountain.txt"].title, "Square fountain repaired",
    "title skips blank lines")
  T.eq(by["empty.txt"].text, "", "empty file kept")
  T.eq(by["empty.txt"].title, "", "empty title")
end

function tests.filters()
  local c = lector.load(articles, {ext = "md"})
  T.eq(ids(c), "market/notes.md", "ext")
  c = lector.load(articles, {ext = {".txt", "md"}})
  T.eq(#c, 6, "ext list")
  c = lector.load(articles, {glob = "harbour/*"})
  T.eq(#c, 2, "glob")
  c = lector.load({articles .. "/market/stalls.txt",
    articles .. "/harbour"})
  T.eq(ids(c), "stalls.txt 2025-01-15-reopens.txt 2025-02-03-ferry.txt",
    "list of roots in order")
end

function tests.filter_and_group_by()
  local c = lector.load(articles)
  local dated = c:filter(function(d) return d.date ~= nil end)
  T.eq(#dated, 3, "filter")
  T.eq(dated[1].id, "harbour/2025-01-15-reopens.txt", "filter keeps order")
  local groups = c:group_by("month")
  local keys = {}
  for k, sub in pairs(groups) do keys[#keys + 1] = k .. "=" .. #sub end
  T.eq(table.concat(keys, " "), "2025-01=1 2025-02=1 2025-04=1",
    "group_by month, sorted")
  groups = c:group_by(function(d) return #d.text > 100 and "long" or "short" end)
  T.eq(#groups.long + #groups.short, 6, "group_by fn")
  groups = c:group_by("author")
  T.eq(#groups["Ines Calder"], 1, "group_by a front-matter key")
  T.raises("group_by: the key of", c.group_by, c, function() return {} end)
  local lo, hi = c:dates()
  T.eq(lo .. ".." .. hi, "2025-01-15..2025-04-08", "dates")
end

function tests.docs_outlive_their_corpus()
  local d = lector.load(articles)[2]
  collectgarbage()
  collectgarbage()
  T.eq(d.date, "2025-02-03", "doc after its corpus was collected")
  local c <close> = lector.load(articles)
  T.ok(tostring(c):find("6 documents"), "tostring")
end

function tests.bad_arguments()
  T.raises("unknown option 'bogus'", lector.load, articles, {bogus = 1})
  T.raises("No such file or directory", lector.load, articles .. "/missing")
  T.raises("no paths given", lector.load, {})
  T.raises("path[2] is a number", lector.load, {articles, 5})
  T.raises("a document has no field 'nope'", function()
    return lector.load(articles)[1].nope
  end)
  T.raises("a corpus has no field or method 'nope'", function()
    return lector.load(articles).nope
  end)
end

function tests.bad_files_are_skipped_with_warnings()
  local dir = T.tmpdir()
  T.write(dir .. "/a-good.txt", "Good article\nAll is well.\n")
  T.write(dir .. "/b-binary.txt", "PK\3\4\0\0binary")
  T.write(dir .. "/c-latin1.txt", "Caf\233 opens\nThe caf\233 serves cr\232me.\n")
  T.write(dir .. "/d-long.txt", "Long line\n" .. string.rep("word ", 400000))
  local c = lector.load(dir, {quiet = true})
  T.eq(ids(c), "a-good.txt c-latin1.txt d-long.txt", "binary skipped")
  local w = ""
  for _, x in ipairs(c.warnings) do w = w .. x .. "\n" end   -- tables (issue 14)
  T.ok(w:find("b-binary.txt: binary file", 1, true), "binary warning: " .. w)
  T.ok(w:find("c-latin1.txt: not valid UTF-8", 1, true), "latin1 warning")
  T.eq(c[2].title, "Café opens", "Windows-1252 decoded")
  T.eq(c[2].meta.encoding, "windows-1252", "encoding recorded")
  T.eq(#c[3].text, 10 + 5 * 400000, "long line kept whole")
  local raw = lector.load(dir .. "/c-latin1.txt", {encoding = "raw"})[1]
  T.eq(raw.title, "Caf\233 opens", "raw bytes kept")
  T.eq(raw.meta.utf8, false, "raw flagged")
  local iso = lector.load(dir .. "/c-latin1.txt", {encoding = "ISO-8859-1"})[1]
  T.eq(iso.title, "Café opens", "iconv")
  T.raises("BOGUS-ENC", lector.load, dir, {encoding = "BOGUS-ENC"})
  T.raises("binary file", lector.load, dir, {strict = true, quiet = true})
  local ok, err = pcall(lector.load, dir, {strict = true, quiet = true})
  T.ok(not ok and err:find("the load failed on this file (strict)", 1, true)
    and not err:find("skipped"), "strict says the load failed: " .. tostring(err))
end

function tests.symlink_loop_does_not_hang()
  local dir = T.tmpdir()
  assert(lfs.mkdir(dir .. "/sub"))
  T.write(dir .. "/sub/x.txt", "An article\n")
  assert(lfs.link(dir, dir .. "/sub/loop", true))
  local c = lector.load(dir, {quiet = true})
  T.eq(#c, 1, "the file once")
end

function tests.text_read_on_demand()
  local dir = T.tmpdir()
  T.write(dir .. "/x.txt", "First title\nfirst body\n")
  local c = lector.load(dir)
  T.ok(c[1].text:find("first body"), "text is read when asked for")
  T.write(dir .. "/x.txt", "First title\nmuch longer body\n")
  T.raises("x.txt: changed since it was loaded (size",
    function() return c[1].text end)
  os.remove(dir .. "/x.txt")
  T.raises("x.txt", function() return c[1].text end)
end

-- Issue 12 item 15: a file replaced by one of the same length.
function tests.same_length_change_is_an_error()
  local dir = T.tmpdir()
  T.write(dir .. "/x.txt", "First title\nfirst body\n")
  local c = lector.load(dir)
  local mtime = lfs.attributes(dir .. "/x.txt", "modification")
  T.write(dir .. "/x.txt", "Fresh title\nfresh body\n")
  assert(lfs.touch(dir .. "/x.txt", mtime + 5, mtime + 5))
  T.raises("x.txt: changed since it was loaded (mtime",
    function() return c[1].text end)
end

-- Issue 12 items 8 and 9: FIFOs and devices never block a load.
function tests.fifo_and_devices()
  T.raises("lector.load: /dev/zero: not a regular file or a folder "
    .. "(a character device)", lector.load, "/dev/zero")
  local dir = T.tmpdir()
  T.write(dir .. "/a.txt", "A title\nbody\n")
  if not os.execute("mkfifo '" .. dir .. "/pipe.txt' 2>/dev/null") then
    return                                    -- no mkfifo here
  end
  T.raises("pipe.txt: not a regular file or a folder (a FIFO)", lector.load,
    dir .. "/pipe.txt")
  local c = lector.load(dir, {quiet = true})
  T.eq(#c, 1, "the FIFO is skipped")
  T.ok(c.warnings[1]:find("pipe.txt: not a regular file (a FIFO), skipped", 1,
    true), "warning: " .. tostring(c.warnings[1]))
end

-- Issue 12 item 9: what a load holds counts against --memory-limit.
function tests.memory_limit_stops_a_load()
  local bin = os.getenv("LECTOR_BIN")
  if not bin then return end
  local dir = T.tmpdir()
  local title = string.rep("t", 190)
  for i = 1, 3000 do
    T.write(string.format("%s/a-long-enough-file-name-%04d.txt", dir, i),
      title .. "\nbody\n")
  end
  local p = assert(io.popen(string.format(
    "'%s' --memory-limit 1M -e 'lector.load(%q)' 2>&1", bin, dir)))
  local out = p:read("a")
  local ok = p:close()
  T.ok(not ok, "exit status")
  T.ok(out:find("lector.load: out of memory: the memory limit (1 MB, "
    .. "--memory-limit) was reached while loading", 1, true), out)
end

-- Issue 12 item 22: values that would silently load nothing.
function tests.unclear_options_are_errors()
  T.raises("lector.load: empty path", lector.load, "")
  T.raises('glob "[" is not a valid pattern', lector.load, articles,
    {glob = "["})
  T.raises('ext "" is empty', lector.load, articles, {ext = ""})
  T.raises('ext "" is empty', lector.load, articles, {ext = {"txt", ""}})
end

-- Issue 12 item 16: names that are not UTF-8 show escaped; path is raw.
function tests.escaped_ids()
  local dir = T.tmpdir()
  local name = "caf\233\27.txt"
  T.write(dir .. "/" .. name, "Title\nbody\n")
  local d = lector.load(dir)[1]
  T.eq(d.id, "caf\\xE9\\x1B.txt", "id escaped")
  T.ok(utf8.len(d.id), "id is valid UTF-8")
  T.eq(d.path, dir .. "/" .. name, "path raw")
  T.eq(d.text, "Title\nbody\n", "text read through the raw path")
end

T.run(tests)
