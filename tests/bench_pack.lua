-- bench_pack.lua: packed corpora (issue 18) against the same corpus as
-- files, in one run, on two threads.  Not a test.
--
--   build/lector tests/bench_pack.lua [CORPUS [OUT]]
--     CORPUS  make-corpus output (default /tmp/c200)
--     OUT     the pack to write (default CORPUS .. ".lpk"; removed after)
--
-- Prints: pack time vs one ngram.count over the files; load time of the
-- pack vs the files; ngram.count{n = {1, 2}} from the pack vs the files
-- (saved tables compared byte for byte); pack size vs text size.  The
-- files are read once before timing so both sides start from a warm
-- page cache.  The pack holds the text only (no token streams yet), so
-- counting from it still tokenizes: the gain is reading, not counting.
local ngram = require "lector.ngram"
local lfs = require "lfs"

local corpus = arg[1] or "/tmp/c200"
local out = arg[2] or (corpus:gsub("/$", "") .. ".lpk")
local THREADS = 2

local function now()
  local p = io.popen("date +%s.%N")
  local t = tonumber(p:read("a"))
  p:close()
  return t
end

local function peak_kb()
  local f = io.open("/proc/self/status")
  if not f then return 0 end
  local s = f:read("a")
  f:close()
  return tonumber(s:match("VmHWM:%s*(%d+)")) or 0
end

if lfs.attributes(corpus, "mode") ~= "directory" then
  io.stderr:write("bench_pack: no corpus at ", corpus, " (make-corpus --size-mb 200 --out ",
                  corpus, ")\n")
  os.exit(77)
end

local function timed(f)
  local t0 = now()
  local r = f()
  return now() - t0, r
end

local function line(what, a, an, b, bn)
  print(("%-34s %9.3f s (%s)  %9.3f s (%s)  ratio %.2fx"):format(what, a, an, b, bn, a / b))
end

os.execute("cat $(find '" .. corpus .. "' -type f) > /dev/null 2>&1")   -- warm cache
local t_load_files, files = timed(function()
  return lector.load(corpus, {quiet = true, threads = THREADS})
end)
local text_bytes = files:bytes()
local t_count_files, counts_files = timed(function()
  return ngram.count(files, {n = {1, 2}, threads = THREADS})
end)
local t_pack, r = timed(function() return lector.pack(files, out, {quiet = true}) end)
local t_load_pack, pack = timed(function() return lector.load(out) end)
local t_count_pack, counts_pack = timed(function()
  return ngram.count(pack, {n = {1, 2}, threads = THREADS})
end)
local fa, fb = out .. ".files.tsv", out .. ".pack.tsv"
counts_files:save(fa)
counts_pack:save(fb)
local ha, hb = io.open(fa, "rb"), io.open(fb, "rb")
local identical = ha:read("a") == hb:read("a")
ha:close() hb:close()
os.remove(fa) os.remove(fb)

print(("corpus %s: %d documents, %.1f MB of text; %d threads"):format(
  corpus, #files, text_bytes / 1e6, THREADS))
line("pack vs ngram.count{1,2} (files)", t_pack, "pack", t_count_files, "count")
line("load: files vs pack", t_load_files, "files", t_load_pack, "pack")
print(("%-34s %9.2f %% of loading the files (target < 2 %%)"):format("  pack load", 100 * t_load_pack / t_load_files))
line("ngram.count{1,2}: files vs pack", t_count_files, "files", t_count_pack, "pack")
print(("%-34s %s"):format("  saved tables identical", tostring(identical)))
print(("%-34s %.1f MB (%.3fx the text, target <= 2.5x)"):format("pack size", r.bytes / 1e6,
  r.bytes / text_bytes))
print(("%-34s %d MB"):format("peak RSS (whole run)", peak_kb() // 1024))
os.remove(out)
