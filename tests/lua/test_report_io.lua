-- test_report_io.lua: scripts/report.lua on a full disk (issue 12 item
-- 12).  A 64 KB tmpfs holds a previous report and a file filling the rest;
-- --csv, --html and --json (stdout redirected there) must exit non-zero
-- and leave the previous files as they were.  Printing to /dev/full exits
-- non-zero too.  Mounting needs root (CI runs as root): elsewhere the
-- test skips, saying so.
local T = require "testlib"
local lfs = require "lfs"

local bin = os.getenv("LECTOR_BIN") or "build/lector"

local function quote(s) return "'" .. s:gsub("'", "'\\''") .. "'" end

-- Run a shell command; its exit code and its stderr.
local function sh(cmd, dir)
  local ok, _, code = os.execute(cmd .. " 2>" .. quote(dir .. "/stderr"))
  return ok and 0 or code, T.read(dir .. "/stderr")
end

local tests = {}

-- Not T.tmpdir: T.run empties those after every test, and this folder
-- holds the mount point until the end.
local base = os.tmpname()
os.remove(base)
assert(lfs.mkdir(base))
local disk = base .. "/disk"
assert(lfs.mkdir(disk))
if not os.execute("mount -t tmpfs -o size=64k lector-test " .. quote(disk)
                  .. " 2>/dev/null") then
  os.execute("rm -rf " .. quote(base))
  T.skip("cannot mount a tmpfs here (needs root): the full-disk test of "
    .. "the report is not run")
end

local function cleanup()
  os.execute("umount " .. quote(disk))
  os.execute("rm -rf " .. quote(base))
end

-- Fill what is left of the disk (dd stops at ENOSPC).
local function fill()
  os.execute("dd if=/dev/zero of=" .. quote(disk .. "/filler")
    .. " bs=1k 2>/dev/null")
end

local report = bin .. " scripts/report.lua --quiet "

function tests.html_on_a_full_disk()
  T.write(disk .. "/r.html", "OLD PAGE")
  fill()
  local code, err = sh(report .. "--html " .. quote(disk .. "/r.html")
    .. " >/dev/null", base)
  T.ok(code ~= 0, "exit status " .. code)
  T.ok(err:find(disk .. "/r.html", 1, true), "names the file: " .. err)
  T.eq(T.read(disk .. "/r.html"), "OLD PAGE", "previous page intact")
  os.remove(disk .. "/filler")
end

function tests.csv_on_a_full_disk()
  assert(lfs.mkdir(disk .. "/csv"))
  T.write(disk .. "/csv/documents.csv", "OLD DOCS")
  T.write(disk .. "/csv/sentences.csv", "OLD SENTENCES")
  fill()
  local code, err = sh(report .. "--csv " .. quote(disk .. "/csv")
    .. " >/dev/null", base)
  T.ok(code ~= 0, "exit status " .. code)
  T.ok(err:find(disk .. "/csv/", 1, true), "names the file: " .. err)
  T.eq(T.read(disk .. "/csv/documents.csv"), "OLD DOCS", "documents.csv")
  T.eq(T.read(disk .. "/csv/sentences.csv"), "OLD SENTENCES",
    "sentences.csv")
  for f in lfs.dir(disk .. "/csv") do
    T.ok(not f:find("tmp", 1, true), "temporary left behind: " .. f)
  end
  os.remove(disk .. "/filler")
end

-- Does lector itself exit non-zero when flushing stdout fails?  That is
-- the core's part (issue 12 item 12); the scripts just print.  Until the
-- core has it, the two tests below say so and check nothing.
local function core_checks_stdout()
  if os.execute(bin .. " -e 'print(1)' >/dev/full 2>/dev/null") then
    print("note: lector exits 0 when stdout cannot be flushed (the core's "
      .. "check has not landed): stdout tests not run")
    return false
  end
  return true
end

-- stdout onto a full disk: lector exits non-zero when flushing it fails.
function tests.json_on_a_full_disk()
  if not core_checks_stdout() then return end
  fill()
  local code = sh(report .. "--json >" .. quote(disk .. "/r.json"), base)
  T.ok(code ~= 0, "exit status " .. code)
  os.remove(disk .. "/filler")
end

function tests.stdout_to_dev_full()
  if not core_checks_stdout() then return end
  local code = sh(report .. ">/dev/full", base)
  T.ok(code ~= 0, "report >/dev/full: exit status " .. code)
  code = sh(report .. "--json >/dev/full", base)
  T.ok(code ~= 0, "report --json >/dev/full: exit status " .. code)
end

-- T.run exits on failure: run the tests here, unmount, then report.
local names, failed = {}, 0
for name in pairs(tests) do names[#names + 1] = name end
table.sort(names)
for _, name in ipairs(names) do
  local ok, err = xpcall(tests[name], debug.traceback)
  os.remove(disk .. "/filler")
  print((ok and "ok   " or "FAIL ") .. name .. (ok and "" or ": " .. err))
  if not ok then failed = failed + 1 end
end
cleanup()
print(string.format("%d passed, %d failed", #names - failed, failed))
if failed > 0 then os.exit(1) end
