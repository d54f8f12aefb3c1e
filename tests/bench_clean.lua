-- bench_clean.lua: clean.duplicates on make-corpus output with planted
-- near-duplicates: time (wall and CPU), throughput, peak memory, recall
-- and precision.  Not a test.
--
--   build/lector tests/bench_clean.lua [CORPUS [COPIES [THRESHOLD [SOURCES]]]]
--     CORPUS     make-corpus output (default /tmp/c200)
--     COPIES     edited copies planted (default 1000): one word in 100
--                replaced by another of the text, a line added
--     THRESHOLD  (default 0.8)
--     SOURCES    the corpora make-corpus sampled (default
--                ../shared/corpora/abc and state_union), to tell which
--                source article each document comes from
--
-- make-corpus samples its sources over and over (a 200 MB corpus from
-- 16 MB of articles holds each about 13 times, with 2% of the words
-- replaced), so the corpus is full of near-duplicates of its own.  A
-- reported pair is true when it is a planted copy and its original, or
-- when both documents come from the same source article, known by its
-- first line(s) (make-corpus's replacement words never occur in the
-- sources, so they can be dropped).  Recall is measured on the planted pairs.
local clean = require "lector.clean"
local lfs = require "lfs"

local corpus = arg[1] or "/tmp/c200"
local ncopies = tonumber(arg[2]) or 1000
local threshold = tonumber(arg[3]) or 0.8
local sources = arg[4] and {arg[4]} or {"../shared/corpora/abc", "../shared/corpora/state_union"}
math.randomseed(17)

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

if not lfs.attributes(corpus, "mode") then
  io.stderr:write("bench_clean: no corpus at ", corpus, " (make-corpus --size-mb 200 --out ", corpus, ")\n")
  os.exit(77)
end

-- Plant the copies
local base = lector.load(corpus, {quiet = true})
local tmp = os.tmpname()
os.remove(tmp)
assert(lfs.mkdir(tmp))
local planted = {}             -- copy id -> original id
for k = 1, ncopies do
  local i = math.random(#base)
  local text = base[i].text
  local words = {}
  for w in text:gmatch("%a+") do words[#words + 1] = w end
  local n = 0
  text = text:gsub("%a+", function()
    n = n + 1
    if n % 100 == 0 then return words[math.random(#words)] end
  end)
  local name = string.format("copy%05d.txt", k)
  local f = assert(io.open(tmp .. "/" .. name, "wb"))
  assert(f:write(text, "\nThis story was updated.\n"))
  assert(f:close())
  planted[name] = base[i].id
end
base = nil
collectgarbage()

local c = lector.load({corpus, tmp}, {quiet = true})
local bytes = 0
for d in c:each() do bytes = bytes + d.bytes end
-- ids: files of the corpus are relative to it, copies to tmp
local t0, k0 = now(), os.clock()
local v = clean.vocab(c)
local t_ref, k_ref = now() - t0, os.clock() - k0
v:close()
t0, k0 = now(), os.clock()
local d = clean.duplicates(c, {threshold = threshold})
local t_dup, k_dup = now() - t0, os.clock() - k0
local peak = peak_kb()

-- Which source article each document comes from: its first line (or
-- first three, when sources share their first line: "State of the Union
-- Address"), words outside the sources' vocabulary dropped, names it;
-- a line with one word replaced matches too.
local src = lector.load(sources, {quiet = true, ext = "txt"})
local vocab = {}
local function head(text, k, filter)
  local out, n = {}, 0
  for line in (text .. "\n"):gmatch("(.-)\r?\n") do
    if line:match("%w") then
      for w in line:lower():gmatch("%w+") do
        if not filter or vocab[w] then out[#out + 1] = w end
      end
      n = n + 1
      if n == k then break end
    end
  end
  return out
end
local first_count, heads = {}, {}
for i = 1, #src do
  for w in src[i].text:lower():gmatch("%w+") do vocab[w] = true end
  local h = table.concat(head(src[i].text, 1), " ")
  first_count[h] = (first_count[h] or 0) + 1
end
local map = {[1] = {}, [3] = {}}
local function put(m, key, i)
  if m[key] == nil then m[key] = i elseif m[key] ~= i then m[key] = false end
end
for i = 1, #src do
  local k = first_count[table.concat(head(src[i].text, 1), " ")] > 1 and 3 or 1
  local w = head(src[i].text, k)
  put(map[k], table.concat(w, " "), i)
  for j = 1, #w do                          -- one word replaced
    local v = {table.unpack(w, 1, j - 1)}
    table.move(w, j + 1, #w, #v + 1, v)
    put(map[k], table.concat(v, " "), i)
  end
end
local source_of = {}
local function identify(i)
  local id = c[i].id
  if source_of[id] == nil then
    local text = c[i].text
    source_of[id] = map[3][table.concat(head(text, 3, true), " ")] or
                    map[1][table.concat(head(text, 1, true), " ")] or false
  end
  return source_of[id]
end

local found, right, unknown = 0, 0, 0
local cluster_of = {}
for k, cl in ipairs(d) do
  for _, x in ipairs(cl.docs) do cluster_of[c[x].id] = k end
  local kept = cl.docs[1]
  for j = 2, #cl.docs do
    local a, b = c[kept].id, c[cl.docs[j]].id
    found = found + 1
    if planted[a] == b or planted[b] == a then
      right = right + 1
    else
      local sa, sb = identify(kept), identify(cl.docs[j])
      if not sa or not sb then
        unknown = unknown + 1
        if os.getenv("BENCH_DEBUG") and unknown <= 3 then print("unknown:", c[kept].text:sub(1, 120), "||", c[cl.docs[j]].text:sub(1, 120)) end
      elseif sa == sb then right = right + 1 end
    end
  end
end
local hit = 0
for copy, orig in pairs(planted) do
  if cluster_of[copy] and cluster_of[copy] == cluster_of[orig] then hit = hit + 1 end
end

local mb = bytes / 1e6
print(string.format("corpus %s + %d planted copies: %d documents, %.1f MB", corpus, ncopies, #c, mb))
print(string.format("reference (clean.vocab: one tokenizing pass): %.1f s wall, %.1f s CPU", t_ref, k_ref))
print(string.format("clean.duplicates threshold %.2f: %.1f s wall (%.1f MB/s), %.1f s CPU (%.2fx the reference's CPU)",
  threshold, t_dup, mb / t_dup, k_dup, k_dup / math.max(k_ref, 1e-9)))
print(string.format("  %d bands of %d rows, %d candidate pairs, %d at the threshold, %d clusters",
  d.bands, d.rows, d.candidates, d.pairs, #d))
print(string.format("  planted copies found: %d of %d, recall %.4f", hit, ncopies, hit / ncopies))
print(string.format("  pairs reported: %d, precision %.4f (%d of unknown source counted false)",
  found, right / math.max(1, found), unknown))
print(string.format("peak memory (VmHWM): %.0f MB", peak / 1024))
for name in lfs.dir(tmp) do
  if name ~= "." and name ~= ".." then os.remove(tmp .. "/" .. name) end
end
lfs.rmdir(tmp)
