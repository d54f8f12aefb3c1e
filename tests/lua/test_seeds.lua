-- test_seeds.lua: the shared corpora beside the project (skipped when
-- ../shared is absent): seed dates, Latin-1 State of the Union files.
local T = require "testlib"

local seeds = T.shared("seeds")
if not seeds then T.skip("../shared/corpora is absent") end

local tests = {}

function tests.seed_dates()
  local c = lector.load(seeds)
  T.eq(#c, 5, "five seeds")
  T.eq(c[1].date, "2020-06-03", "first seed's header date")
  T.eq(c[1].meta.date_source, "header", "from the header")
  T.eq(c[2].date, "2021-04-07", "second seed's header date")
  T.ok(c[1].text:find("^Islamabad has not officially requested"),
    "text after the date is kept")
  for doc in c:each() do
    T.ok(#doc.title > 0, doc.id .. " has a title")
    T.eq(doc.meta.encoding, "utf-8", doc.id .. " encoding")
  end
end

function tests.state_union_latin1()
  local dir = T.shared("state_union")
  if not dir then return end
  local c = lector.load(dir, {quiet = true, ext = "txt"})
  T.eq(#c, 65, "all addresses load")
  local cp = c:filter(function(d) return d.meta.encoding == "windows-1252" end)
  T.eq(#cp, 6, "six Latin-1 files decoded")
  T.eq(#c.warnings, 6, "one warning each")
  for doc in cp:each() do T.ok(utf8.len(doc.text), doc.id .. " is UTF-8 now") end
end

function tests.abc_all_load()
  local dir = T.shared("abc")
  if not dir then return end
  local c = lector.load(dir, {ext = "txt"})
  T.ok(#c >= 3189, "abc articles: " .. #c)
  T.eq(#c.warnings, 0, "no warnings")
end

T.run(tests)
