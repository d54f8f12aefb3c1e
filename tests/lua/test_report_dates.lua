-- test_report_dates.lua: scripts/report.lua and issue 14: no keyness
-- section on a month of fewer than 3 documents (the months left out are
-- named), the documents dated from their text are counted and named, and
-- a table file (CSV) is a corpus the report takes, with the column options.
local T = require "testlib"
local cjson = require "cjson"

local bin = os.getenv("LECTOR_BIN") or "build/lector"

local function quote(s) return "'" .. s:gsub("'", "'\\''") .. "'" end

local function run(args, stdout_only)
  local words = {}
  for i, a in ipairs(args) do words[i] = quote(a) end
  local p = assert(io.popen(bin .. " scripts/report.lua " ..
    table.concat(words, " ") .. (stdout_only and " 2>/dev/null" or " 2>&1")))
  local out = p:read("a")
  local ok, _, code = p:close()
  return out, ok and 0 or code
end

local function has(out, text, what)
  T.ok(out:find(text, 1, true), (what or text) .. " in the output:\n" .. out)
end

local tests = {}

-- Three documents in 2026-02 and 2026-03 each, one in 2102-05 (a header
-- date, as a bad dateline used to give), one dated from its dateline.
local function corpus(extra_text_dated)
  local dir = T.tmpdir()
  for i = 1, 3 do
    T.write(string.format("%s/feb%d.txt", dir, i), string.format(
      " date 2026-02-0%d Geese %d\nThe geese flew over the lake.\n", i, i))
    T.write(string.format("%s/mar%d.txt", dir, i), string.format(
      " date 2026-03-0%d Ducks %d\nThe ducks swam on the pond.\n", i, i))
  end
  T.write(dir .. "/future.txt", " date 2102-05-04 Orbit\nA collision.\n")
  T.write(dir .. "/comet.txt", "Comet\nPublished: Mar 08, 2026\nThe comet.\n")
  for i = 1, extra_text_dated or 0 do
    T.write(string.format("%s/text%02d.txt", dir, i), string.format(
      "Item %d\nPublished: Feb %02d, 2026\nAn item.\n", i, i))
  end
  return dir
end

function tests.no_keyness_on_a_small_month()
  local dir = corpus()
  local out, code = run({dir})
  T.eq(code, 0, "exit status: " .. out)
  has(out, "What is distinctive about 2026-03 (4 documents) against the "
    .. "rest (4)", "keyness on the latest month of 3 or more")
  T.ok(not out:find("distinctive about 2102", 1, true), "not on 2102-05")
  has(out, "Later months left out of keyness (fewer than 3 documents "
    .. "each): 2102-05 (1 document).")
  local r = cjson.decode((run({dir, "--json"}, true)))
  T.eq(r.keyness.month, "2026-03", "JSON keyness month")
  T.eq(r.keyness_left_out.min_documents, 3, "JSON minimum")
  T.eq(r.keyness_left_out.months[1].month, "2102-05", "JSON left out")
  T.eq(r.keyness_left_out.months[1].documents, 1, "its documents")
  local html = T.tmpdir() .. "/r.html"
  out, code = run({dir, "--html", html})
  T.eq(code, 0, "exit status: " .. out)
  T.ok(T.read(html):find("Later months left out of keyness", 1, true),
    "the HTML says so too")
end

function tests.no_month_big_enough()
  local dir = T.tmpdir()
  T.write(dir .. "/a.txt", " date 2026-03-02 Ducks\nThe ducks.\n")
  T.write(dir .. "/b.txt", " date 2026-04-09 Geese\nThe geese.\n")
  T.write(dir .. "/c.txt", " date 2026-04-10 Swans\nThe swans.\n")
  local out, code = run({dir})
  T.eq(code, 0, "exit status: " .. out)
  has(out, "No month has 3 documents or more, too few for keyness: "
    .. "2026-04 (2 documents), 2026-03 (1 document).")
  T.ok(not out:find("distinctive", 1, true), "no keyness section")
  local r = cjson.decode((run({dir, "--json"}, true)))
  T.eq(r.keyness, nil, "no keyness in JSON")
  T.eq(#r.keyness_left_out.months, 2, "both months named")
end

function tests.documents_dated_from_text()
  local out, code = run({corpus()})
  T.eq(code, 0, "exit status: " .. out)
  has(out, "1 document dated from a dateline in its text:\n"
    .. "  2026-03-08  comet.txt\n")
  out = run({corpus(11)})
  has(out, "12 documents dated from a dateline in their text:")
  has(out, "  2026-03-08  comet.txt\n", "named")
  has(out, "  (and 2 more)\n", "ten named, the rest counted")
  local r = cjson.decode((run({corpus(11), "--json"}, true)))
  T.eq(r.corpus.dated_from_text, 12, "JSON count")
  T.eq(#r.corpus.text_dated, 10, "JSON: ten named")
  T.eq(r.corpus.text_dated[1].id, "comet.txt", "JSON: id")
  T.eq(r.corpus.text_dated[1].date, "2026-03-08", "JSON: date")
end

function tests.header_dates_only_say_nothing()
  local dir = T.tmpdir()
  T.write(dir .. "/a.txt", " date 2026-03-02 Ducks\nThe ducks.\n")
  local out = run({dir})
  T.ok(not out:find("dateline", 1, true), "no note: " .. out)
end

function tests.a_table_corpus()
  local dir = T.tmpdir()
  local rows = {"ref,published,headline,story"}
  for i = 1, 4 do
    rows[#rows + 1] = string.format(
      'r%d,2021-04-0%d,Harbour %d,"The harbour, again, reopened %d."', i, i,
      i, i)
  end
  T.write(dir .. "/news.csv", table.concat(rows, "\n") .. "\n")
  local out, code = run({dir .. "/news.csv", "--id", "ref", "--text",
    "story"})
  T.eq(code, 0, "exit status: " .. out)
  has(out, "Corpus: " .. dir .. "/news.csv\n4 documents")
  has(out, "Dates: 2021-04-01 to 2021-04-04 (0 undated)")
  T.ok(not out:find("dateline", 1, true), "column dates are not text dates")
  local r = cjson.decode((run({dir .. "/news.csv", "--id", "ref", "--text",
    "story", "--json"}, true)))
  T.eq(r.documents[2].id, "r2", "--id")
  T.eq(r.words[1].gram, "harbour", "--text: the story column counted")
  out, code = run({dir .. "/news.csv", "--format", "text"})
  has(out, "1 document", "--format text: the file is one document")
  out, code = run({dir .. "/news.csv", "--format", "xml"})
  T.eq(code, 2, "a bad --format is a usage error")
  has(out, "--format: expected one of auto, text, csv, tsv, jsonl")
end

T.run(tests)
