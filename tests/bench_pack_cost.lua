-- bench_pack_cost.lua: what packing costs against one ngram.count{n =
-- {1, 2}} over the same files, taking turns twice in one process, on
-- two threads (issue 18: packing at most 1.5x one count).  Not a test:
-- it prints the figures and the ratio of each round.
--
--   build/lector tests/bench_pack_cost.lua CORPUS OUT
--     CORPUS  make-corpus output; OUT  the pack to write (removed after)
local ngram = require "lector.ngram"
if not arg[1] or not arg[2] then
  io.stderr:write("usage: lector tests/bench_pack_cost.lua CORPUS OUT\n")
  os.exit(2)
end
local files = lector.load(arg[1], {quiet = true, threads = 2})
for round = 1, 2 do
  local t0 = lector.clock()
  ngram.count(files, {n = {1, 2}, threads = 2})
  local t1 = lector.clock()
  lector.pack(files, arg[2], {quiet = true, threads = 2})
  local t2 = lector.clock()
  print(round, ("count %.2f pack %.2f ratio %.2f"):format(t1 - t0, t2 - t1, (t2 - t1) / (t1 - t0)))
  collectgarbage()
end
os.remove(arg[2])
