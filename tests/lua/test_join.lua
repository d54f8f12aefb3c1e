-- test_join.lua: corpus:join (issue 14) from CSV/TSV files, labels files
-- and Lua tables; metadata lists as group keys in corpus:group_by,
-- ngram.count and sentiment.corpus; bad join inputs.
local T = require "testlib"
local ngram = require "lector.ngram"
local sentiment = require "lector.sentiment"

local tests = {}

-- A corpus of four short articles: a.txt, b.txt, farm/c.txt, farm/d.md.
local function corpus()
  local dir = T.tmpdir()
  assert(require("lfs").mkdir(dir .. "/farm"))
  T.write(dir .. "/a.txt", "Harbour\nThe harbour reopened today.\n")
  T.write(dir .. "/b.txt", "Storm\nA storm closed the harbour.\n")
  T.write(dir .. "/farm/c.txt", "Wheat\nWheat prices rose again.\n")
  T.write(dir .. "/farm/d.md", "Corn\nCorn and wheat were sold.\n")
  return lector.load(dir, {quiet = true}), dir
end

local function file(dir, name, bytes)
  T.write(dir .. "/" .. name, bytes)
  return dir .. "/" .. name
end

local function meta(c, key)
  local out = {}
  for d in c:each() do
    local v = d.meta[key]
    if type(v) == "table" then v = "{" .. table.concat(v, ",") .. "}" end
    out[#out + 1] = d.id .. "=" .. tostring(v)
  end
  return table.concat(out, " ")
end

local function has(list, pattern)
  for _, x in ipairs(list) do
    if tostring(x):find(pattern, 1, true) then return true end
  end
  return false
end

function tests.csv_join_with_and_without_extensions()
  local c, dir = corpus()
  local meta_csv = file(T.tmpdir(), "meta.csv",
    "\239\187\191id,section,rank\r\n" ..            -- a BOM, CRLF
    "a.txt,news,1\r\n" ..                            -- exact id
    "b,\"weather, coast\",2\r\n" ..                  -- without .txt
    "farm/c,\"two\nlines\",3\r\n" ..                 -- a newline quoted
    "ghost,x,9\r\n")                                 -- matches nothing
  local same, r = c:join(meta_csv, {quiet = true})
  T.ok(same == c, "join returns the corpus")
  T.eq(meta(c, "section"), "a.txt=news b.txt=weather, coast " ..
    "farm/c.txt=two\nlines farm/d.md=nil", "sections")
  T.eq(c[1].meta.rank, "1", "a CSV cell stays a string")
  T.eq(r.matched, 3, "matched")
  T.eq(r.rows, 4, "rows")
  T.eq(table.concat(r.unmatched_ids, ","), "ghost", "unmatched ids")
  T.eq(r.docs_without, 1, "docs without")
  T.eq(table.concat(r.docs_without_ids, ","), "farm/d.md", "named")
  T.ok(has(r.warnings, "meta.csv: 1 id matches no document (ghost)"),
    "unmatched warning: " .. table.concat(r.warnings, "|"))
  T.ok(has(r.warnings, "meta.csv: 1 document has no value (farm/d.md)"),
    "docs-without warning")
  T.eq(c[1].meta.encoding, "utf-8", "loaded keys are still there")
  -- a subset sees its parent's documents joined (one store)
  T.eq(c:filter(function(d) return d.id == "b.txt" end)[1].meta.section,
    "weather, coast", "subset shares")
  local _ = dir
end

function tests.extensions_on_either_side()
  local dir = T.tmpdir()
  T.write(dir .. "/x", "X\nno extension\n")
  T.write(dir .. "/y.md", "Y\nmarkdown\n")
  local c = lector.load(dir)
  local _, r = c:join({["x.txt"] = {k = 1}, ["y.txt"] = {k = 2},
    y = {j = 3}}, {quiet = true})
  T.eq(c[1].meta.k, 1, "x.txt matches the id x")
  T.eq(c[2].meta.k, nil, "y.txt does not match y.md")
  T.eq(c[2].meta.j, 3, "y matches y.md")
  T.eq(table.concat(r.unmatched_ids, ","), "y.txt", "unmatched")
end

function tests.malformed_rows_are_warnings_naming_file_and_line()
  local c = corpus()
  local f = file(T.tmpdir(), "bad.csv",
    "id,section\n" ..
    "a.txt,ok\n" ..
    "b.txt,\"closed\"junk\n" ..        -- line 3
    "farm/c.txt,one,two\n" ..          -- line 4: three fields
    "\n" ..                            -- blank: no record
    "farm/d.md,last\n")
  local _, r = c:join(f, {quiet = true})
  T.eq(r.skipped, 2, "two rows skipped")
  T.ok(has(r.warnings, "bad.csv:3: text after a closing quote, skipped"),
    "line 3: " .. table.concat(r.warnings, "|"))
  T.ok(has(r.warnings, "bad.csv:4: 3 fields, the header has 2, skipped"),
    "line 4")
  T.eq(meta(c, "section"), "a.txt=ok b.txt=nil farm/c.txt=nil " ..
    "farm/d.md=last", "the rest joins")
end

function tests.unclosed_quote_at_the_end()
  local c = corpus()
  local f = file(T.tmpdir(), "q.csv", 'id,section\na.txt,ok\nb.txt,"open\n')
  local _, r = c:join(f, {quiet = true})
  T.ok(has(r.warnings, "q.csv:3: unclosed quote, skipped"),
    table.concat(r.warnings, "|"))
  T.eq(c[1].meta.section, "ok", "row before it")
end

function tests.tsv_and_on_column()
  local c = corpus()
  local f = file(T.tmpdir(), "m.tsv", "doc\tauthor\na\tAisha\\tM\nb.txt\tBo\n")
  T.raises("m.tsv has no column 'id' to join on (columns: doc, author; " ..
    "opts.on names another)", c.join, c, f)
  local _, r = c:join(f, {on = "doc", quiet = true})
  T.eq(r.matched, 2, "two matched")
  T.eq(meta(c, "author"), "a.txt=Aisha\tM b.txt=Bo farm/c.txt=nil " ..
    "farm/d.md=nil", "TSV escapes")
  T.eq(c[1].meta.doc, nil, "the id column is not a key")
  local g = file(T.tmpdir(), "m.tab", "id\tauthor\na\tZed\n")
  c:join(g, {quiet = true})
  T.eq(c[1].meta.author, "Zed", ".tab is TSV")
end

function tests.joining_twice_replaces()
  local c = corpus()
  local dir = T.tmpdir()
  c:join(file(dir, "1.csv", "id,section\na,news\nb,sport\n"), {quiet = true})
  c:join(file(dir, "2.csv", "id,section\na,farm\n"), {quiet = true})
  T.eq(meta(c, "section"), "a.txt=farm b.txt=sport farm/c.txt=nil " ..
    "farm/d.md=nil", "a replaced, b kept")
  local cats = file(dir, "cats.txt", "a x y\n")
  c:join(cats, {format = "labels", quiet = true})
  c:join(file(dir, "cats2.txt", "a z\n"), {format = "labels", quiet = true})
  T.eq(c[1].meta.labels[1] .. #c[1].meta.labels, "z1", "labels replaced")
end

function tests.join_on_a_subset()
  local c = corpus()
  local farm = c:filter(function(d) return d.folder == "farm" end)
  local f = file(T.tmpdir(), "m.csv", "id,crop\nfarm/c,wheat\na,none\n")
  local _, r = farm:join(f, {quiet = true})
  T.eq(r.matched, 1, "the subset's document")
  T.eq(table.concat(r.unmatched_ids, ","), "a", "a is not in the subset")
  T.eq(r.docs_without, 1, "farm/d.md")
  T.eq(c[1].meta.crop, nil, "a.txt untouched")
  T.eq(c[3].meta.crop, "wheat", "the parent sees the subset's join")
end

function tests.labels_file_into_lists_and_groups()
  local c = corpus()
  local f = file(T.tmpdir(), "cats.txt",
    "a.txt trade grain\n" ..
    "farm/c  grain\n" ..
    "a.txt\twheat grain\n" ..    -- a second line for a.txt accumulates
    "farm/d\n" ..                -- an id alone: matched, no labels
    "ghost corn\n")
  local _, r = c:join(f, {format = "labels", quiet = true})
  T.eq(meta(c, "labels"), "a.txt={trade,grain,wheat} b.txt=nil " ..
    "farm/c.txt={grain} farm/d.md=nil", "labels (grain once)")
  T.eq(r.matched, 3, "a, c and d matched")
  T.eq(table.concat(r.unmatched_ids, ","), "ghost", "ghost")
  local g, multi = c:group_by("labels")
  local keys = {}
  for k, docs in pairs(g) do keys[#keys + 1] = k .. ":" .. #docs end
  T.eq(table.concat(keys, " "), "grain:2 trade:1 wheat:1", "groups")
  T.eq(multi, 1, "group_by says a.txt is in several groups")
  T.eq(select("#", c:group_by("month")), 1, "no second value otherwise")
  local _, r2 = c:join(f, {format = "labels", as = "topics", quiet = true})
  T.eq(#c[1].meta.topics, 3, "opts.as names the key")
  T.eq(r2.matched, 3, "again")
end

function tests.labels_in_plugin_groups()
  local c = corpus()
  c:join({["a.txt"] = {"x", "y"}, ["b.txt"] = {"y"}}, {as = "labels",
    quiet = true})
  local counts = ngram.count(c, {n = 1, by = "labels"})
  T.eq(counts.x:docs(), 1, "x: a.txt")
  T.eq(counts.y:docs(), 2, "y: a.txt and b.txt")
  T.eq(counts.x:get("harbour"), 2, "a.txt's words in x")
  T.eq(counts.y:get("harbour"), 3, "and in y, with b.txt's")
  local s = sentiment.new{lexicon = T.fixtures("sentiment") ..
    "/mini_vader.txt"}
  local r = s:corpus(c, {by = "labels"})
  T.eq(#r.groups, 2, "two groups")
  T.eq(r.groups[1].key .. r.groups[1].docs, "x1", "x holds a.txt")
  T.eq(r.groups[2].key .. r.groups[2].docs, "y2", "y holds a.txt, b.txt")
  T.eq(r.total.docs, 4, "each document once in total")
  T.eq(r.docs[1].key, "x", "a.txt's first key")
  T.eq(r.docs[3].index, 3, "docs rows carry index")
end

function tests.lua_table_types()
  local c = corpus()
  local _, r = c:join({
    a = {n = 3, f = 1.5, ok = true, tags = {"p", 2}, s = "str"},
    ["farm/d.md"] = {n = -1},
    nowhere = {n = 0},
  }, {quiet = true})
  local m = c[1].meta
  T.eq(math.type(m.n), "integer", "an integer stays one")
  T.eq(m.f, 1.5, "a float")
  T.eq(m.ok, true, "a boolean")
  T.eq(table.concat(m.tags, ","), "p,2", "a list (its items as strings)")
  T.eq(m.s, "str", "a string")
  T.eq(c[4].meta.n, -1, "farm/d.md")
  T.eq(r.matched, 2, "two matched")
  T.eq(table.concat(r.unmatched_ids, ","), "nowhere", "unmatched")
  T.eq(r.docs_without, 2, "b and c")
  local _, r2 = c:join({b = 0.1, a = 2^53}, {as = "weight", quiet = true})
  T.eq(c[2].meta.weight, 0.1, "a float round-trips")
  T.eq(c[1].meta.weight, 2^53, "a big float")
  T.eq(r2.matched, 2, "scalars with as")
  local g = c:group_by("n")
  T.eq(#g[3] + #g[-1], 2, "number values are number keys")
end

function tests.bad_tables()
  local c = corpus()
  T.raises("the value for 'a' is a string: give opts.as", c.join, c,
    {a = "x"})
  T.raises("the value of 'f' for 'a' is a function", c.join, c,
    {a = {f = print}})
  T.raises("a key of the table is a number", c.join, c, {[1] = {x = 1}})
  T.raises("is a list whose item 1 is a boolean", c.join, c,
    {a = {l = {true}}})
  T.raises("is inf (a number must be finite)", c.join, c, {a = {x = 1/0}})
  T.raises("opts.on is for files", c.join, c, {a = {x = 1}}, {on = "x"})
  T.raises("unknown option 'sep' (options: on, format, as, quiet)", c.join,
    c, {}, {sep = ","})
  T.raises("expected a file name or a table", c.join, c, 42)
  T.raises("opts.as: expected a name", c.join, c, {a = 1}, {as = ""})
  c:close()
  T.raises("corpus:join: corpus is closed", c.join, c, {})
end

function tests.bad_files()
  local c = corpus()
  local dir = T.tmpdir()
  T.raises("corpus:join: cannot open " .. dir .. "/none.csv: No such file",
    c.join, c, dir .. "/none.csv")
  assert(require("lfs").mkdir(dir .. "/folder.csv"))
  T.raises("folder.csv is not a regular file (a folder)", c.join, c,
    dir .. "/folder.csv")
  if os.execute("mkfifo '" .. dir .. "/pipe.csv' 2>/dev/null") then
    -- no writer: a blocking open would hang here
    T.raises("pipe.csv is not a regular file (a FIFO)", c.join, c,
      dir .. "/pipe.csv")
  end
  T.raises("cannot tell the format of " .. dir .. "/x.txt from its name",
    c.join, c, dir .. "/x.txt")
  T.raises("opts.format: unknown format 'xml'", c.join, c, dir .. "/x",
    {format = "xml"})
  T.raises("is empty (a header row was expected)", c.join, c,
    file(dir, "empty.csv", "\n\n"))
  T.raises("opts.as is for labels files", c.join, c,
    file(dir, "h.csv", "id,x\n"), {as = "y"})
  T.raises("e.csv:1: the header is malformed: unclosed quote", c.join, c,
    file(dir, "e.csv", 'id,"x\n'))
  -- a record past the limit (an unclosed quote) stops with an error
  local big = {'id,x\na,"'}
  for i = 1, 1200 do big[#big + 1] = string.rep("y", 1000) .. "\n" end
  T.raises("long.csv:2: a record longer than", c.join, c,
    file(dir, "long.csv", table.concat(big)))
end

-- A join that fails closes its file then, not at a later GC.
function tests.failed_join_closes_its_file()
  local lfs = require "lfs"
  if not lfs.attributes("/proc/self/fd") then return end
  local function fds()
    local n = 0
    for _ in lfs.dir("/proc/self/fd") do n = n + 1 end
    return n
  end
  local c = corpus()
  local bad = file(T.tmpdir(), "bad.csv", "name,x\na,1\n")
  collectgarbage("stop")
  local before = fds()
  for _ = 1, 50 do T.raises("has no column 'id'", c.join, c, bad) end
  local after = fds()
  collectgarbage("restart")
  T.ok(after - before < 5, string.format("fds: %d before, %d after", before,
    after))
end

-- Ids in a large join file are read in chunks: rows cross chunk ends.
function tests.large_file_in_chunks()
  local c = corpus()
  local rows = {"id,pad,n"}
  for i = 1, 5000 do
    rows[#rows + 1] = string.format("x%d,%s,%d", i, string.rep("p", 40), i)
  end
  rows[#rows + 1] = "farm/c.txt,last,5001"
  local _, r = c:join(file(T.tmpdir(), "big.csv",
    table.concat(rows, "\n") .. "\n"), {quiet = true})
  T.eq(r.rows, 5001, "every row")
  T.eq(#r.unmatched_ids, 5000, "every unmatched id returned")
  T.eq(c[3].meta.n, "5001", "the last row joined")
end

-- Ctrl-C and --timeout stop a join in its read loop (a 20 MB file of
-- matching rows takes seconds; the timeout is 0.2 s).
function tests.join_is_interrupted()
  local bin = os.getenv("LECTOR_BIN")
  if not bin then return end
  local _, dir = corpus()
  local f = T.tmpdir() .. "/big.csv"
  local out = assert(io.open(f, "wb"))
  out:write("id,v\n")
  local chunk = string.rep("a,v\n", 100000)
  for _ = 1, 50 do out:write(chunk) end
  out:close()
  local code = string.format("local c = lector.load(%q, {quiet = true}) " ..
    "c:join(%q, {quiet = true}) print('finished')", dir, f)
  local p = assert(io.popen(string.format("%s --timeout 0.2 -e %q 2>&1",
    bin, code)))
  local text = p:read("a")
  local ok = p:close()
  T.ok(not ok, "the run fails: " .. text)
  T.ok(text:find("corpus:join: " .. f .. ": interrupted", 1, true),
    "interrupted in the loop: " .. text)
end

T.run(tests)
