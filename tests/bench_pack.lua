-- bench_pack.lua: packed corpora (issue 18) against the same corpus as
-- files, in one run, on two threads.  Not a test: it prints figures and
-- ratios, and whether the results from both sides are identical.
--
--   build/lector tests/bench_pack.lua [CORPUS [OUT]]
--     CORPUS  make-corpus output (default /tmp/c200)
--     OUT     the pack to write (default CORPUS .. ".lpk"; removed after)
--
-- Every time is the median of BENCH_RUNS runs (default 3) of each side.
-- Prints, each against the same work on the files:
--   packing (text, tokens, index) vs one ngram.count{n = {1, 2}};
--   loading the pack vs loading the files;
--   ngram.count{n = {1, 2}} (saved tables compared byte for byte);
--   kwic of a word with a few thousand hits (rows compared), and its
--   collocates (rows compared);
--   ngram.count on one thread against two, on each side;
--   sentiment.corpus by month (rows compared);
--   pack size vs text, and each section's; peak RSS of a count from each
--   and of packing (separate processes).
-- The files are read once before timing so both sides start from a warm
-- page cache: what the pack saves is tokenizing and parsing, not disk.
local ngram = require "lector.ngram"
local lfs = require "lfs"

local corpus = arg[1] or "/tmp/c200"
local out = arg[2] or (corpus:gsub("/$", "") .. ".lpk")
local THREADS = 2
local BIN = arg[-1] or "lector"

local now = lector.clock

if lfs.attributes(corpus, "mode") ~= "directory" then
  io.stderr:write("bench_pack: no corpus at ", corpus, " (make-corpus --size-mb 200 --out ",
                  corpus, ")\n")
  os.exit(77)
end

-- f timed RUNS times (garbage collected, and before() called, untimed,
-- before each): the median time, and the last call's result.  One run of
-- a few seconds moves by 20 % or more on a shared machine; the median of
-- three moves much less.
local RUNS = tonumber(os.getenv("BENCH_RUNS")) or 3
local function timed(f, before)
  local ts, r = {}, nil
  for i = 1, RUNS do
    r = nil
    collectgarbage()
    if before then before() end
    local t0 = now()
    r = f()
    ts[i] = now() - t0
  end
  table.sort(ts)
  return ts[(RUNS + 1) // 2], r
end

local function line(what, a, an, b, bn, note)
  print(("%-36s %8.3f s (%s) %8.3f s (%s)  %6.2fx%s"):format(what, a, an, b, bn,
    a / b, note and ("  " .. note) or ""))
end

-- Every row of a list of tables, as one string (keys sorted).
local function dump(rows)
  local out = {}
  local function one(v)
    if type(v) ~= "table" then return tostring(v) end
    local keys = {}
    for k in pairs(v) do keys[#keys + 1] = tostring(k) end
    table.sort(keys)
    local parts = {}
    for _, k in ipairs(keys) do
      local x = v[k] ~= nil and v[k] or v[tonumber(k)]
      parts[#parts + 1] = k .. "=" .. one(x)
    end
    return "{" .. table.concat(parts, ",") .. "}"
  end
  for i, r in ipairs(rows) do out[i] = one(r) end
  return table.concat(out, "\n")
end

-- Peak RSS (MB) of `lector -e code` in a process of its own.
local function peak_mb(code)
  local cmd = ("/usr/bin/time -f %%M '%s' -q -e %q 2>&1 >/dev/null | tail -1"):format(BIN, code)
  local p = io.popen(cmd)
  local kb = tonumber(p:read("a"):match("(%d+)%s*$"))
  p:close()
  return kb and kb / 1024 or 0
end

-- warm cache (xargs: a big corpus's file list is too long for one command)
os.execute("find '" .. corpus .. "' -type f -print0 | xargs -0 cat > /dev/null 2>&1")
local t_load_files, files = timed(function()
  return lector.load(corpus, {quiet = true, threads = THREADS})
end)
local text_bytes = files:bytes()
local t_count_files, counts_files = timed(function()
  return ngram.count(files, {n = {1, 2}, threads = THREADS})
end)
-- packing into a new file: deleting the last run's pack (0.1 s at 200 MB)
-- is not packing's cost
local t_pack, r = timed(function()
  return lector.pack(files, out, {quiet = true, threads = THREADS})
end, function() os.remove(out) end)
os.execute("cat '" .. out .. "' > /dev/null")     -- its pages, as the files'
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

-- a word with a few thousand hits: the unigram whose count is nearest 3000
local word, best = nil, math.huge
for gram, n in counts_files:each(1) do
  if math.abs(n - 3000) < best and gram:match("^%a+$") then word, best = gram, math.abs(n - 3000) end
end
counts_files, counts_pack = nil, nil
collectgarbage()
local kw = {window = 5, threads = THREADS}
local t_kwic_files, kwic_files = timed(function() return ngram.kwic(files, word, kw) end)
local t_kwic_pack, kwic_pack = timed(function() return ngram.kwic(pack, word, kw) end)
local co = {threads = THREADS}
local t_coll_files, coll_files = timed(function() return ngram.collocates(files, word, co) end)
local t_coll_pack, coll_pack = timed(function() return ngram.collocates(pack, word, co) end)

-- how the count scales with threads on each side: tokenizing (files)
-- is CPU work and shares out; the tables' cache misses (pack) share the
-- memory system
local one = {n = {1, 2}, threads = 1}
local t_count_files1 = timed(function() return ngram.count(files, one) end)
local t_count_pack1 = timed(function() return ngram.count(pack, one) end)

local ok_sent, sentiment = pcall(require, "lector.sentiment")
local t_sent_files, t_sent_pack, sent_same
if ok_sent and pcall(sentiment.default) then
  local s_files, s_pack
  t_sent_files, s_files = timed(function()
    return sentiment.corpus(files, {by = "month", threads = THREADS})
  end)
  t_sent_pack, s_pack = timed(function()
    return sentiment.corpus(pack, {by = "month", threads = THREADS})
  end)
  sent_same = dump(s_files.groups) == dump(s_pack.groups) and
              dump(s_files.docs) == dump(s_pack.docs)
end

local count_code = "require('lector.ngram').count(lector.load(%q, {quiet = true, threads = 2}), "
                   .. "{n = {1, 2}, threads = 2})"
local rss_files = peak_mb(count_code:format(corpus))
local rss_pack = peak_mb(count_code:format(out))
local rss_packing = peak_mb(("lector.pack(lector.load(%q, {quiet = true}), %q, {quiet = true})")
  :format(corpus, out .. ".rss"))
os.remove(out .. ".rss")

-- The pack's sections and their sizes (MB), from its header's table of
-- (tag, crc, offset, length) entries.
local function section_sizes(path)
  local f = assert(io.open(path, "rb"))
  local head = f:read(32)
  local n = string.unpack("<I4", head, 13)
  local t = head .. f:read(24 * n)
  f:close()
  local parts = {}
  for k = 0, n - 1 do
    local tag, _, _, len = string.unpack("<c4I4I8I8", t, 33 + 24 * k)
    parts[#parts + 1] = ("%s %.1f"):format(tag, len / 1e6)
  end
  return table.concat(parts, ", ")
end

print(("corpus %s: %d documents, %.1f MB of text, %d tokens, %d words; %d threads; "
        .. "times: median of %d runs; lists built %s"):format(
  corpus, #files, text_bytes / 1e6, r.tokens, r.words, THREADS, RUNS, r.lists))
print(("%-36s %19s %19s  %7s"):format("", "first", "second", "ratio"))
line("pack vs ngram.count{1,2} (files)", t_pack, "pack", t_count_files, "count",
     "target <= 1.5x")
line("load: files vs pack", t_load_files, "files", t_load_pack, "pack",
     ("pack = %.2f %% of files, target < 2 %%"):format(100 * t_load_pack / t_load_files))
line("ngram.count{1,2}: files vs pack", t_count_files, "files", t_count_pack, "pack",
     "target >= 5x; tables identical: " .. tostring(identical))
line(("kwic %q (%d hits): files vs pack"):format(word, #kwic_files), t_kwic_files, "files",
     t_kwic_pack, "pack", "target >= 50x; rows identical: "
     .. tostring(dump(kwic_files) == dump(kwic_pack)))
line(("collocates %q: files vs pack"):format(word), t_coll_files, "files", t_coll_pack,
     "pack", "rows identical: " .. tostring(dump(coll_files) == dump(coll_pack)))
line("count{1,2}, files: 1 vs 2 threads", t_count_files1, "1", t_count_files, "2",
     "speed-up from the second thread")
line("count{1,2}, pack: 1 vs 2 threads", t_count_pack1, "1", t_count_pack, "2",
     "speed-up from the second thread")
if t_sent_files then
  line("sentiment by month: files vs pack", t_sent_files, "files", t_sent_pack, "pack",
       "rows identical: " .. tostring(sent_same))
else
  print("sentiment by month: skipped (no sentiment lexicon)")
end
print(("%-36s %.1f MB (%.3fx the text, target <= 2.5x)"):format("pack size", r.bytes / 1e6,
  r.bytes / text_bytes))
print(("%-36s %s"):format("pack sections (MB)", section_sizes(out)))
print(("%-36s files %.0f MB, pack %.0f MB (%.2fx)"):format("peak RSS of a count (own process)",
  rss_files, rss_pack, rss_pack / rss_files))
print(("%-36s %.0f MB"):format("peak RSS of packing (own process)", rss_packing))
os.remove(out)
