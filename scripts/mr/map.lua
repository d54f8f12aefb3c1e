-- map.lua: one mapper of scripts/mr/ngrams: count shard I of N of a corpus
-- and save the table as OUT.  Does nothing when OUT exists (a rerun skips
-- finished shards); t:save writes a temporary beside OUT and renames it
-- when complete, so a killed mapper leaves nothing that looks finished.
--
--   lector scripts/mr/map.lua CORPUS I N OUT [key=value ...]
--
-- key=value are ngram.count options: numbers, true/false, a range a..b
-- (n = {a, b}), or strings.
local ngram = require "lector.ngram"

local corpus, i, n, out = arg[1], tonumber(arg[2]), tonumber(arg[3]), arg[4]
if not (corpus and i and n and out) then
  io.stderr:write("usage: lector scripts/mr/map.lua CORPUS I N OUT [key=value ...]\n")
  os.exit(2)
end

-- "3" -> 3, "true" -> true, "1..2" -> {1, 2}, anything else a string.
local function value(s)
  local a, b = s:match("^(%d+)%.%.(%d+)$")
  if a then return {tonumber(a), tonumber(b)} end
  if s == "true" or s == "false" then return s == "true" end
  return tonumber(s) or s
end

local opts = {}
for k = 5, #arg do
  local key, v = arg[k]:match("^([%a_][%w_]*)=(.*)$")
  if not key then
    io.stderr:write(("map.lua: count option %q is not key=value\n"):format(arg[k]))
    os.exit(2)
  end
  opts[key] = value(v)
end

local f = io.open(out, "rb")
if f then
  f:close()
  print(("shard %d/%d: %s exists, skipped"):format(i, n, out))
  return
end
local c = lector.load(corpus, {quiet = true, shard = {i, n}})
ngram.count(c, opts):save(out)
print(("shard %d/%d: %d documents -> %s"):format(i, n, #c, out))
