-- test_report.lua: the main job runs on the sample corpus and says what a
-- reader needs (run as a separate lector process, as a user would).
local T = require "testlib"

local bin = os.getenv("LECTOR_BIN") or "build/lector"

local function run(args)
  local p = assert(io.popen(bin .. " scripts/report.lua " .. args .. " 2>&1"))
  local out = p:read("a")
  local ok, _, code = p:close()
  return out, ok and 0 or code
end

local tests = {}

function tests.sample_corpus()
  local out, code = run("")
  T.eq(code, 0, "exit status: " .. out)
  local n = #lector.load("scripts/corpus")
  T.ok(n >= 12, "a dozen or more sample articles")
  T.ok(out:find(n .. " documents", 1, true), "document count")
  T.ok(out:find("Dates: 2026%-05%-%d%d to 2026%-08%-%d%d"), "date range")
  T.ok(out:find("2026-06 ", 1, true), "a month row")
  T.ok(out:find("(no date)", 1, true), "the undated article")
end

function tests.other_corpus_and_errors()
  local out, code = run(T.fixtures("articles"))
  T.eq(code, 0, "exit status")
  T.ok(out:find("6 documents", 1, true), "fixture count")
  T.ok(out:find("Harbour reopens after the storm", 1, true), "a title")
  out, code = run("/nonexistent/folder")
  T.eq(code, 1, "missing folder fails")
  T.ok(out:find("/nonexistent/folder: No such file or directory", 1, true),
    "names the folder: " .. out)
end

T.run(tests)
