-- test_ngram_spill.lua (issue 15): counts within a memory budget (sorted
-- runs on disk, merged at the end) are the in-memory counts, byte for
-- byte; a table on disk answers every method as the table in memory; shards
-- merged with ngram.merge_files are the count of the whole corpus.
local T = require "testlib"
local ngram = require "lector.ngram"

local town = lector.load(T.fixtures("ngram/town"), {quiet = true})
local BIG = "1T"          -- a budget nothing here reaches: in memory

local function saved(t, dir, name)
  local p = dir .. "/" .. name
  t:save(p)
  return T.read(p)
end

local function entries(dir)
  local out = {}
  local p = io.popen("ls -A '" .. dir .. "' 2>/dev/null")
  for l in p:lines() do out[#out + 1] = l end
  p:close()
  return out
end

-- Every method of t (on disk) against m (in memory).
local function same_answers(t, m, what)
  T.eq(#t, #m, what .. ": #")
  T.eq(t:total(), m:total(), what .. ": total")
  for len = 1, 3 do T.eq(t:total(len), m:total(len), what .. ": total " .. len) end
  T.eq(t:docs(), m:docs(), what .. ": docs")
  local n1, n2 = t:n()
  local m1, m2 = m:n()
  T.eq(n1 .. ".." .. n2, m1 .. ".." .. m2, what .. ": n")
  T.eq(t:options(), m:options(), what .. ": options")
  local rows, i = {}, 0
  for g, c, d in m:each() do rows[#rows + 1] = {g, c, d} end
  for g, c, d in t:each() do
    i = i + 1
    local r = rows[i] or {}
    if r[1] ~= g or r[2] ~= c or r[3] ~= d then
      T.eq(g .. "=" .. c .. "/" .. d, tostring(r[1]) .. "=" .. tostring(r[2])
        .. "/" .. tostring(r[3]), what .. ": each row " .. i)
      break
    end
  end
  T.eq(i, #rows, what .. ": each rows")
  for _, r in ipairs(rows) do
    local c, d = t:get(r[1])
    if c ~= r[2] or d ~= r[3] or t[r[1]] ~= r[2] or t:df(r[1]) ~= r[3] then
      T.eq(r[1] .. " " .. c .. "/" .. d, r[1] .. " " .. r[2] .. "/" .. r[3],
        what .. ": get")
      break
    end
  end
  T.eq(select("#", t:get("no-such-word here")), 2, what .. ": get absent")
  T.eq(t:get("no-such-word"), 0, what .. ": absent count")
  T.eq(t["a  b"], 0, what .. ": empty word")
  T.eq(t:get({"the", "nosuchword"}), 0, what .. ": absent list")
  for _, k in ipairs {0, 1, 5, 50, 100000} do
    for len = 0, 3 do
      local a, b = t:top(k, len), m:top(k, len)
      T.eq(#a, #b, what .. ": top " .. k .. " " .. len)
      for j = 1, #b do
        if a[j].gram ~= b[j].gram or a[j].count ~= b[j].count or
            a[j].df ~= b[j].df then
          T.eq(a[j].gram, b[j].gram, what .. ": top row " .. j)
          break
        end
      end
    end
  end
  local e1, e2 = {}, {}
  for g in t:each(2) do e1[#e1 + 1] = g end
  for g in m:each(2) do e2[#e2 + 1] = g end
  T.eq(table.concat(e1, "|"), table.concat(e2, "|"), what .. ": each(2)")
end

T.run {
  -- tiny budgets force many runs; the saved tables are byte-identical
  exact = function()
    local dir = T.tmpdir()
    local function umask()
      local p = io.popen("umask")
      local m = p:read("l")
      p:close()
      return m
    end
    local mask = umask()
    for _, o in ipairs {
      {n = 1}, {n = {1, 2}}, {n = {1, 3}}, {n = {2, 3}}, {n = 2, skip = 2},
      {n = {1, 3}, stopwords = {"the", "a"}}, {n = 2, sentences = true},
      {n = {1, 2}, min_count = 2}, {n = 3, min_count = 3, skip = 1},
    } do
      for threads = 1, 3 do
        for _, budget in ipairs {"1", "2K", "6K"} do
          local what = ("n=%s skip=%s min_count=%s threads=%d memory=%s")
            :format(type(o.n) == "table" and o.n[1] .. ".." .. o.n[2] or o.n,
                    o.skip or 0, o.min_count or 1, threads, budget)
          local mo, so = {threads = threads, memory = BIG}, {threads = threads,
            memory = budget, tmpdir = dir}
          for k, v in pairs(o) do mo[k] = v; so[k] = v end
          local m = ngram.count(town, mo)
          local t = ngram.count(town, so)
          T.eq(m:on_disk(), false, what .. ": in memory")
          local disk, runs = t:on_disk()
          if o.n == 1 then    -- unigrams: an array by word, never spilled
            T.eq(disk, false, what .. ": unigrams in memory")
          else
            T.ok(disk and runs >= 2, what .. ": on disk, runs " ..
              tostring(runs))
          end
          T.eq(saved(t, dir, "t.tsv"), saved(m, dir, "m.tsv"), what)
          t:close()
        end
      end
    end
    -- runs written on three threads at once leave the umask as it was
    -- (the output helper sets it for a moment)
    T.eq(umask(), mask, "umask after counts on threads")
    collectgarbage()
    local left = entries(dir)
    for _, e in ipairs(left) do
      T.ok(not e:find("^lector%-ngram%-"), "spill folder left: " .. e)
    end
  end,

  answers = function()
    local dir = T.tmpdir()
    for _, threads in ipairs {1, 3} do
      local o = {n = {1, 3}, threads = threads}
      local m = ngram.count(town, {n = {1, 3}, threads = threads, memory = BIG})
      o.memory, o.tmpdir = "8K", dir
      local t = ngram.count(town, o)
      T.ok(t:on_disk(), "on disk")
      same_answers(t, m, "threads " .. threads)
      -- the REPL forms
      T.eq(tostring(t), tostring(m), "tostring")
      local mt = getmetatable(t)
      T.eq(mt.__summary(t), mt.__summary(m), "summary")
      -- to_csv loads it (rows by count need memory), as collocations do
      t:to_csv(dir .. "/t.csv")
      m:to_csv(dir .. "/m.csv")
      T.eq(T.read(dir .. "/t.csv"), T.read(dir .. "/m.csv"), "to_csv")
      T.eq(t:on_disk(), false, "loaded by to_csv")
      same_answers(t, m, "loaded")
    end
  end,

  collocations_keyness = function()
    local dir = T.tmpdir()
    local function disk(o)
      o.memory, o.tmpdir = "4K", dir
      local t = ngram.count(town, o)
      T.ok(t:on_disk(), "on disk")
      return t
    end

    local m = ngram.count(town, {n = {1, 2}, memory = BIG})
    local a = ngram.collocations(m, {min_count = 2})
    local b = ngram.collocations(disk {n = {1, 2}}, {min_count = 2})
    T.eq(#b, #a, "collocations rows")
    for i = 1, #a do
      T.eq(b[i].gram .. b[i].count, a[i].gram .. a[i].count, "collocation " .. i)
    end
    local half = town:filter(function(d) return d.index % 2 == 0 end)
    local k1 = ngram.keyness(ngram.count(town, {n = 2, memory = BIG}),
      ngram.count(half, {n = 2, memory = BIG}))
    local k2 = ngram.keyness(disk {n = 2}, ngram.count(half, {n = 2,
      memory = "4K", tmpdir = dir}))
    T.eq(#k2, #k1, "keyness rows")
    for i = 1, #k1 do T.eq(k2[i].gram, k1[i].gram, "keyness " .. i) end
  end,

  groups = function()
    local dir = T.tmpdir()
    local bys = {
      function(d) return d.index % 3 end,
      function(d) return {"all", d.index % 2 == 0 and "even" or "odd"} end,
      function(d) if d.index % 4 ~= 0 then return "some" end end,
    }
    for bi, by in ipairs(bys) do
      for threads = 1, 3 do
        local m = ngram.count(town, {n = {1, 2}, by = by, threads = threads,
          memory = BIG})
        local t = ngram.count(town, {n = {1, 2}, by = by, threads = threads,
          memory = "2K", tmpdir = dir})
        local keys = 0
        for k, mt in pairs(m) do
          keys = keys + 1
          T.ok(t[k] and t[k]:on_disk(), "group " .. tostring(k) .. " on disk")
          T.eq(saved(t[k], dir, "t.tsv"), saved(mt, dir, "m.tsv"),
            ("by %d threads %d group %s"):format(bi, threads, tostring(k)))
        end
        for _ in pairs(t) do keys = keys - 1 end
        T.eq(keys, 0, "same groups")
      end
    end
  end,

  merge = function()
    local dir = T.tmpdir()
    local even = town:filter(function(d) return d.index % 2 == 0 end)
    local odd = town:filter(function(d) return d.index % 2 == 1 end)
    local whole = saved(ngram.count(town, {n = {1, 2}, memory = BIG}), dir,
      "w.tsv")
    local function count(src, disk)
      return ngram.count(src, {n = {1, 2}, memory = disk and "4K" or BIG,
        tmpdir = dir})
    end
    for _, c in ipairs {{true, true}, {true, false}, {false, true}} do
      local a, b = count(even, c[1]), count(odd, c[2])
      T.eq(a:on_disk(), c[1], "a on disk")
      a:merge(b)
      T.eq(a:on_disk(), true, "merged on disk")
      T.eq(saved(a, dir, "a.tsv"), whole,
        ("merge disk=%s into disk=%s"):format(tostring(c[2]), tostring(c[1])))
      T.eq(saved(b, dir, "b.tsv"),
        saved(count(odd, false), dir, "b2.tsv"), "other unchanged")
    end
    local a = count(even, true)
    T.raises("counted differently", a.merge, a,
      ngram.count(odd, {n = 1, memory = "4K", tmpdir = dir}))
  end,

  -- shards counted apart and merged are the count of the whole corpus
  shards = function()
    local dir = T.tmpdir()
    local path = T.fixtures("ngram/town")
    for _, o in ipairs {{n = {1, 3}}, {n = 2, skip = 1}, {n = {1, 2}, min_count = 2}} do
      local whole = saved(ngram.count(lector.load(path, {quiet = true}),
        {n = o.n, skip = o.skip, min_count = o.min_count, memory = BIG}),
        dir, "whole.tsv")
      for _, nshards in ipairs {1, 2, 3, 5} do
        for _, budget in ipairs {BIG, "4K"} do
          local files = {}
          for i = 1, nshards do
            local c = lector.load(path, {quiet = true, shard = {i, nshards}})
            local t = ngram.count(c, {n = o.n, skip = o.skip, memory = budget,
              tmpdir = dir})
            files[i] = dir .. "/s" .. i .. ".tsv"
            t:save(files[i])
          end
          ngram.merge_files(files, dir .. "/merged.tsv",
            {min_count = o.min_count})
          T.eq(T.read(dir .. "/merged.tsv"), whole,
            ("%d shards, memory %s, min_count %s"):format(nshards, budget,
              tostring(o.min_count)))
        end
      end
    end
  end,

  merge_files_refusals = function()
    local dir = T.tmpdir()
    ngram.count(town, {n = 2}):save(dir .. "/a.tsv")
    ngram.count(town, {n = 2, skip = 1}):save(dir .. "/b.tsv")
    ngram.count(town, {n = {1, 2}}):save(dir .. "/c.tsv")
    ngram.count(town, {n = 2, lower = false}):save(dir .. "/d.tsv")
    T.raises("b.tsv: counted with other options than " .. dir ..
      "/a.tsv (skip=1 here, skip=0 in", ngram.merge_files, {dir .. "/a.tsv", dir .. "/b.tsv"},
      dir .. "/x.tsv")
    T.raises("n=1..2 here, n=2..2 in", ngram.merge_files,
      {dir .. "/a.tsv", dir .. "/c.tsv"}, dir .. "/x.tsv")
    T.raises("options 'lower=false' here", ngram.merge_files,
      {dir .. "/a.tsv", dir .. "/d.tsv"}, dir .. "/x.tsv")
    T.raises("min_count", ngram.merge_files, {dir .. "/a.tsv"},
      dir .. "/x.tsv", {min_count = 0})
    T.raises("unknown option", ngram.merge_files, {dir .. "/a.tsv"},
      dir .. "/x.tsv", {mincount = 2})
    -- many inputs at once (a heap of them)
    local files = {}
    for i = 1, 40 do files[i] = dir .. "/a.tsv" end
    ngram.merge_files(files, dir .. "/many.tsv")
    local m, a = ngram.load(dir .. "/many.tsv"), ngram.load(dir .. "/a.tsv")
    T.eq(m:get("of the"), 40 * a:get("of the"), "40 inputs")
    T.eq(m:docs(), 40 * a:docs(), "40 inputs: docs")
  end,

  -- Ctrl-C in the middle of a count that is writing runs: the child fails
  -- with "interrupted" and leaves nothing in tmpdir.  The Ctrl-C is sent
  -- once a run file exists; `sleep 60` then KILL catches a hang.
  interrupted = function()
    local bin = os.getenv("LECTOR_BIN") or "build/lector"
    local dir, spill = T.tmpdir(), T.tmpdir()
    local words, seed = {}, 11
    for i = 1, 300 do words[i] = "w" .. i end
    for d = 1, 2000 do
      local t = {}
      for i = 1, 400 do
        seed = (seed * 1103515245 + 12345) % 2147483648
        t[i] = words[seed % #words + 1]
      end
      T.write(string.format("%s/%04d.txt", dir, d), table.concat(t, " "))
    end
    local function q(x) return "'" .. x:gsub("'", "'\\''") .. "'" end
    local code = "local ngram = require 'lector.ngram'\n" ..
      "local c = lector.load(" .. string.format("%q", dir) .. ")\n" ..
      "for i = 1, 50 do ngram.count(c, {n = 3, memory = '256K', tmpdir = " ..
      string.format("%q", spill) .. "}) end\n"
    local p = assert(io.popen(q(bin) .. " -e " .. q(code) .. " 2>&1 & " ..
      "pid=$!; (sleep 60; kill -KILL $pid) >/dev/null 2>&1 & dog=$!; " ..
      "while ! ls " .. q(spill) .. "/lector-ngram-*/r* >/dev/null 2>&1 && " ..
      "kill -0 $pid 2>/dev/null; do sleep 0.01; done; kill -INT $pid; " ..
      "wait $pid; rc=$?; kill $dog 2>/dev/null; echo \"rc=$rc\""))
    local out = p:read("a")
    p:close()
    local rc = tonumber(out:match("rc=(%d+)%s*$"))
    T.ok(rc ~= 137, "hangs when interrupted: " .. out)
    T.ok(rc ~= 0 and out:find("interrupted", 1, true),
      "not interrupted: " .. out)
    T.eq(table.concat(entries(spill), " "), "", "tmpdir after Ctrl-C")
  end,

  -- Without a memory option the budget follows --memory-limit: a count
  -- whose tables do not fit the limit (as a count with memory = "1T"
  -- shows: it runs out of memory) goes through runs and gives the
  -- in-memory count's bytes.
  default_budget = function()
    local bin = os.getenv("LECTOR_BIN") or "build/lector"
    local dir, out = T.tmpdir(), T.tmpdir()
    local words, seed = {}, 11
    for i = 1, 300 do words[i] = "w" .. i end
    for d = 1, 2000 do
      local t = {}
      for i = 1, 400 do
        seed = (seed * 1103515245 + 12345) % 2147483648
        t[i] = words[seed % #words + 1]
      end
      T.write(string.format("%s/%04d.txt", dir, d), table.concat(t, " "))
    end
    local function q(x) return "'" .. x:gsub("'", "'\\''") .. "'" end
    local function child(mem)
      local code = "local ngram = require 'lector.ngram'\n" ..
        "local c = lector.load(" .. string.format("%q", dir) ..
        ", {quiet = true})\n" ..
        "local t = ngram.count(c, {n = 3, tmpdir = " ..
        string.format("%q", out) .. (mem and ", memory = '" .. mem .. "'" or "")
        .. "})\nprint('on_disk', t:on_disk())\n" ..
        "t:save(" .. string.format("%q", out .. "/child.tsv") .. ")\n"
      local p = assert(io.popen(q(bin) .. " --memory-limit 40M -e " ..
        q(code) .. " 2>&1; echo \"rc=$?\""))
      local o = p:read("a")
      p:close()
      return o
    end
    local o = child("1T")
    T.ok(o:find("out of memory", 1, true) and not o:find("rc=0", 1, true),
      "the limit is too small for the tables: " .. o)
    o = child(nil)
    T.ok(o:find("on_disk\ttrue", 1, true) and o:find("rc=0", 1, true),
      "counted through runs: " .. o)
    ngram.count(lector.load(dir, {quiet = true}), {n = 3, memory = BIG})
      :save(out .. "/parent.tsv")
    T.eq(T.read(out .. "/child.tsv"), T.read(out .. "/parent.tsv"),
      "the in-memory count")
  end,

  -- More tables on disk than descriptors (ulimit -n 64, 150 groups): the
  -- tables past the limit keep their file by name instead, answer the
  -- same, and their folder goes when the last one is closed.
  descriptors = function()
    local bin = os.getenv("LECTOR_BIN") or "build/lector"
    local dir, spill = T.tmpdir(), T.tmpdir()
    local seed = 5
    for d = 1, 300 do
      local t = {}
      for i = 1, 60 do
        seed = (seed * 1103515245 + 12345) % 2147483648
        t[i] = "w" .. seed % 200
      end
      T.write(string.format("%s/%04d.txt", dir, d), table.concat(t, " "))
    end
    local code = "local ngram = require 'lector.ngram'\n" ..
      "local c = lector.load(" .. string.format("%q", dir) ..
      ", {quiet = true})\n" ..
      "local by = function(d) return d.index % 150 end\n" ..
      "local a = ngram.count(c, {n = 2, by = by, memory = '1K', tmpdir = " ..
      string.format("%q", spill) .. "})\n" ..
      "local b = ngram.count(c, {n = 2, by = by, memory = '1T'})\n" ..
      "local bad, named = 0, 0\n" ..
      "for k, t in pairs(b) do\n" ..
      "  if not a[k]:on_disk() then bad = bad + 1 end\n" ..
      "  for g, n, df in t:each() do\n" ..
      "    local x, y = a[k]:get(g)\n" ..
      "    if x ~= n or y ~= df then bad = bad + 1 end\n" ..
      "  end\n" ..
      "end\n" ..
      "local p = io.popen('ls -A ' .. " .. string.format("%q", spill) ..
      " .. '/*/ 2>/dev/null | wc -l')\n" ..
      "named = tonumber(p:read('a')) p:close()\n" ..
      "for _, t in pairs(a) do t:close() end\n" ..
      "print('bad=' .. bad .. ' named=' .. named)\n"
    local f = assert(io.open(dir .. "/../fd.lua", "w"))
    f:write(code)
    f:close()
    local p = assert(io.popen("ulimit -n 64 && '" .. bin .. "' '" .. dir ..
      "/../fd.lua' 2>&1"))
    local out = p:read("a")
    p:close()
    os.remove(dir .. "/../fd.lua")
    local bad, named = out:match("bad=(%d+) named=(%d+)")
    T.eq(bad, "0", "every group answers as in memory: " .. out)
    T.ok(tonumber(named or 0) > 0, "some tables kept their name: " .. out)
    T.eq(table.concat(entries(spill), " "), "", "tmpdir after close")
  end,

  options = function()
    local dir = T.tmpdir()
    T.raises("option 'memory' must be a size", ngram.count, town,
      {memory = "12X"})
    T.raises("option 'memory' must be a size", ngram.count, town,
      {memory = ""})
    T.raises("option 'memory' must be a number of bytes >= 1", ngram.count,
      town, {memory = 0})
    T.raises("option 'memory' must be a number of bytes >= 1", ngram.count,
      town, {memory = 1.5})
    T.raises("option 'memory' must be a size", ngram.count, town,
      {memory = {}})
    T.raises("option 'tmpdir' must be a folder name", ngram.count, town,
      {tmpdir = 3, memory = "1K"})
    T.raises("tmpdir '" .. dir .. "/none': cannot make a temporary folder",
      ngram.count, town, {n = 2, memory = "1K", tmpdir = dir .. "/none"})
    T.eq(#entries(dir), 0, "nothing made")
    -- sizes
    for _, s in ipairs {"64K", "64k", "64KB", "1M", "2G", "1000", 5000} do
      T.eq(#ngram.count("a b a", {memory = s}), 2, "memory = " .. s)
    end
    -- the budget is not part of the options a table was counted with
    T.eq(ngram.count(town, {memory = "1K", tmpdir = dir}):options(),
      ngram.count(town):options(), "options")
    -- a table on disk keeps its file open and nameless: nothing is left
    -- in tmpdir once the count returns, not even after os.exit without
    -- closing the state
    local t = ngram.count(town, {n = 2, memory = "1K", tmpdir = dir})
    T.ok(t:on_disk(), "on disk")
    T.eq(#entries(dir), 0, "no spill folder while the table lives")
    local other = ngram.count(town, {n = 2, memory = BIG})
    t:merge(other)
    T.eq(#entries(dir), 0, "nor after a merge")
    T.eq(t:get("of the"), 2 * other:get("of the"), "merged")
    t:close()
    local bin = os.getenv("LECTOR_BIN") or "build/lector"
    local code = "local ngram = require 'lector.ngram'\n" ..
      "local t = ngram.count(lector.load(" ..
      string.format("%q", T.fixtures("ngram/town")) .. ", {quiet = true}), " ..
      "{n = 2, memory = '1K', tmpdir = " .. string.format("%q", dir) ..
      "})\nprint(t:on_disk())\nos.exit(0)\n"
    local f = assert(io.open(dir .. "/exit.lua", "w"))
    f:write(code)
    f:close()
    local p = assert(io.popen("'" .. bin .. "' '" .. dir .. "/exit.lua' 2>&1"))
    local out = p:read("a")
    p:close()
    T.ok(out:find("true", 1, true), "the child counted on disk: " .. out)
    os.remove(dir .. "/exit.lua")
    T.eq(table.concat(entries(dir), " "), "", "nothing left after os.exit")
  end,
}
