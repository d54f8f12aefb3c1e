-- reduce.lua: the reducer of scripts/mr/ngrams: merge the shards' saved
-- tables into OUT in one streaming pass (ngram.merge_files refuses tables
-- counted with different options, and writes OUT atomically).
--
--   lector scripts/mr/reduce.lua OUT SHARD...
local ngram = require "lector.ngram"

local out = arg[1]
local inputs = table.move(arg, 2, #arg, 1, {})
if not out or #inputs == 0 then
  io.stderr:write("usage: lector scripts/mr/reduce.lua OUT SHARD...\n")
  os.exit(2)
end
ngram.merge_files(inputs, out)
print(("merged %d shards -> %s"):format(#inputs, out))
