-- test_ngram_faults.lua: the ngram plugin under bad input, faults and
-- limits (issue 12): a 'by' function that closes the corpus, paths that
-- the GC may take, NUL bytes in patterns and options, empty words, cut and
-- malformed count tables, outputs that are inputs, a full disk, Ctrl-C in
-- long C loops, running out of memory.  Each test names its item.
local T = require "testlib"
local ngram = require "lector.ngram"
local lfs = require "lfs"

local bin = os.getenv("LECTOR_BIN") or "build/lector"
local town = T.fixtures("ngram/town")

-- Quote s for sh.
local function q(s) return "'" .. s:gsub("'", "'\\''") .. "'" end

-- Run a shell command; its exit status and output (stdout and stderr).
local function sh(cmd)
  local p = io.popen("(" .. cmd .. ") 2>&1; echo \"rc=$?\"")
  local out = p:read("a")
  p:close()
  return tonumber(out:match("rc=(%d+)%s*$")), out
end

-- A table of about n distinct bigrams (and their unigrams), made here.
local function big_table(n)
  local words, x = {}, 12345
  for i = 1, n do
    x = (x * 1103515245 + 12345) % 2147483648
    words[i] = "w" .. (x // 65536) % (n // 2 + 7)
  end
  return ngram.count(words, {n = {1, 2}})
end

T.run {
  -- item 1: the corpus is held across the 'by' calls; a closed corpus is
  -- a clear error (under ASan, the old code read freed memory).
  by_closes_corpus = function()
    for _, at in ipairs {"last", 2} do
      local c = lector.load(town)
      local n, stop = 0, at == "last" and #c or at
      T.raises("ngram.count: corpus was closed during the 'by' function",
        ngram.count, c, {n = 2, by = function(d)
          n = n + 1
          if n == stop then
            d = nil                                    -- luacheck: ignore
            c:close()
            collectgarbage()
            collectgarbage()
          end
          return "k"
        end})
    end
    collectgarbage()
    -- the corpus stays usable when the function leaves it open
    local c = lector.load(town)
    local g = ngram.count(c, {by = function(d) return #d.id % 2 end})
    T.ok(g[0] or g[1], "groups counted")
  end,

  -- item 6: merge_files keeps the strings it made of number items where
  -- the GC sees them (the old code kept a pointer into a popped string;
  -- an aggressive GC freed it: ASan's use-after-free).
  merge_files_numbers = function()
    local dir = T.tmpdir()
    local names, want = {}, 0
    for i = 1, 40 do
      local t = ngram.count({"a", "b" .. i, "a"})
      t:save(dir .. "/" .. i)
      names[i] = i                                      -- numbers
      want = want + t:total()
    end
    local here = lfs.currentdir()
    assert(lfs.chdir(dir))
    collectgarbage("incremental", 1, 1000, 20)
    local ok, err = pcall(ngram.merge_files, names, "m.tsv")
    collectgarbage("incremental", 200, 100, 13)
    assert(lfs.chdir(here))
    T.ok(ok, tostring(err))
    local m = ngram.load(dir .. "/m.tsv")
    T.eq(m:total(), want, "merged total")
    T.eq(m:get("a"), 80, "merged count")
    T.raises("item 2 is not a path (got table)", ngram.merge_files,
      {dir .. "/1", {}}, dir .. "/x.tsv")
    -- A full GC in the middle of the conversions: make the k-th allocation
    -- of the call fail (LECTOR_FAIL_ALLOC; Lua collects and retries).  The
    -- first input is bad, so the error message reads the first path: a
    -- freed string there is ASan's use-after-free.
    local f = io.open(dir .. "/1", "a")
    f:write("junk\n")
    f:close()
    local code = "local ngram = require 'lector.ngram'\n" ..
      "local names = {} for i = 1, 40 do names[i] = i end\n" ..
      "local a = lector.memory().allocations\n" ..
      "local ok, err = pcall(ngram.merge_files, names, 'm.tsv')\n" ..
      "print('at', a, ok, err)\n"
    local function cmd(fail)
      return "cd " .. q(dir) .. " && " .. (fail or "") .. q(bin) .. " -e " ..
        q(code)
    end
    local rc, out = sh(cmd())
    local at = tonumber(out:match("at\t(%d+)"))
    T.ok(rc == 0 and at and out:find("1:5: text after the end line", 1, true),
      "reference run: " .. out)
    for k = 1, 12 do
      rc, out = sh(cmd("LECTOR_FAIL_ALLOC=" .. (at + k) .. " "))
      T.ok(not out:find("Sanitizer", 1, true) and (rc == 0 or rc == 1),
        "allocation " .. k .. " of merge_files failed: " .. out)
    end
  end,

  -- item 7: NUL bytes in a pattern or an option are bytes, not the end.
  nul_bytes = function()
    local code = [[
      local ngram = require "lector.ngram"
      print(pcall(ngram.kwic, "a b", "\0"))
      print(pcall(ngram.kwic, "a b", "\0 b \0"))
      print(#ngram.kwic("a b\0c b", "b"))
    ]]
    local rc, out = sh("timeout 30 " .. q(bin) .. " -e " .. q(code))
    T.ok(rc ~= 124, "ngram.kwic with a NUL pattern hangs")
    T.eq(rc, 0, "exit status: " .. out)
    T.ok(out:find("false\tngram.kwic: '\\x00' gives no token", 1, true),
      "NUL pattern: " .. out)
    local c = lector.load(town)
    -- "date\0junk" is no field: a front-matter key, as in group_by
    T.eq(next(ngram.count(c, {by = "date\0junk"})), next(c:group_by("date\0junk")),
      "by a key with a NUL byte")
    T.raises("option 'stop_mode' must be", ngram.count, "a",
      {stopwords = true, stop_mode = "drop\0"})
    T.raises("opts.measure: expected one of", ngram.collocations, "a b a b",
      {measure = "llr\0"})
    T.raises("option names must be strings", ngram.count, "a",
      {["n\0"] = 2})
  end,

  -- item 13: a word longer than 64 KiB saves and loads (no line limit).
  long_word = function()
    local dir = T.tmpdir()
    local w = string.rep("x", 70000) .. "y"
    local t = ngram.count({w, "b", w}, {n = {1, 2}})
    t:save(dir .. "/long.tsv")
    local u = ngram.load(dir .. "/long.tsv")
    T.eq(u:get(w), 2, "long word's count")
    T.eq(u:get(w .. " b"), 1, "bigram with the long word")
  end,

  -- items 11, 18: a cut table fails to load (at every line end too);
  -- malformed ones name file:line and what is wrong.
  cut_and_malformed = function()
    local dir = T.tmpdir()
    local t = ngram.count(lector.load(town), {n = {1, 2}})
    t:save(dir .. "/t.tsv")
    local text = T.read(dir .. "/t.tsv")
    T.ok(text:find("\n#end %d+ %d+\n$"), "trailer")
    local cuts = 0
    for at in text:gmatch("()\n") do
      if at < #text then
        T.write(dir .. "/cut.tsv", text:sub(1, at))
        T.raises(dir .. "/cut.tsv", ngram.load, dir .. "/cut.tsv")
        cuts = cuts + 1
      end
    end
    T.ok(cuts > 100, "cut at every line end")
    local h = "#lector-ngram 2\tn=1\tskip=0\tdocs=2\tmin_count=1\t"
    local function bad(body, want)
      T.write(dir .. "/bad.tsv", body)
      T.raises(want, ngram.load, dir .. "/bad.tsv")
    end
    bad(h .. "total=2:5\toptions=\n#end 0 0\n",
      "bad.tsv:1: bad header field 'total=2:5'")
    bad(h .. "total=1:2\toptions=\n\\x61\t1\t1\na\t1\t1\n#end 2 2\n",
      "bad.tsv:2: bad escape")
    bad(h .. "total=1:9\toptions=\na\t3\t3\n#end 1 3\n",
      "bad.tsv:2: df greater than the header's docs")
    bad(h .. "total=1:9223372036854775807\toptions=\n" ..
      "a\t9223372036854775808\t1\n#end 1 9223372036854775808\n",
      "bad.tsv:2: bad count")
    bad(h .. "total=1:2\toptions=\nb\t1\t1\na\t1\t1\n#end 2 2\n",
      "bad.tsv:3: grams out of order")
    -- merging two counts of 2^63-1 is an overflow, not a wrap
    T.write(dir .. "/max.tsv", h .. "total=1:9223372036854775807\toptions=\n"
      .. "a\t9223372036854775807\t1\n#end 1 9223372036854775807\n")
    local a, b = ngram.load(dir .. "/max.tsv"), ngram.load(dir .. "/max.tsv")
    T.raises("merge: count overflow", a.merge, a, b)
    T.eq(a:get("a"), math.maxinteger, "unchanged after the overflow")
    T.raises("count overflow", ngram.merge_files,
      {dir .. "/max.tsv", dir .. "/max.tsv"}, dir .. "/mm.tsv")
    T.ok(not lfs.attributes(dir .. "/mm.tsv"), "no output after an error")
  end,

  -- item 10: an output that is one of the inputs is refused, intact.
  output_is_input = function()
    local dir = T.tmpdir()
    ngram.count("a b a"):save(dir .. "/self.tsv")
    ngram.count("b c"):save(dir .. "/other.tsv")
    local before = T.read(dir .. "/self.tsv")
    T.raises(dir .. "/self.tsv", ngram.merge_files,
      {dir .. "/self.tsv", dir .. "/other.tsv"}, dir .. "/self.tsv")
    T.eq(T.read(dir .. "/self.tsv"), before, "the input is intact")
    -- a table loaded from a file may be saved over it (nothing reads it)
    local t = ngram.load(dir .. "/self.tsv")
    t:merge(ngram.load(dir .. "/other.tsv"))
    t:save(dir .. "/self.tsv")
    T.eq(ngram.load(dir .. "/self.tsv"):get("b"), 2, "saved over")
  end,

  -- items 10, 11: a full disk (a 64 KiB tmpfs) fails save, to_csv and
  -- merge_files with the path named; the old file stays whole.
  full_disk = function()
    local dir = T.tmpdir()
    local mnt = dir .. "/full"
    assert(lfs.mkdir(mnt))
    local rc = sh("mount -t tmpfs -o size=64k tmpfs " .. q(mnt))
    if rc ~= 0 then
      io.stderr:write("skip full_disk: cannot mount a tmpfs (not root?)\n")
      return
    end
    local ok, err = pcall(function()
      local small = ngram.count("a b c")
      small:save(mnt .. "/t.tsv")
      small:to_csv(mnt .. "/t.csv")
      small:save(mnt .. "/m.tsv")
      local old_tsv, old_csv = T.read(mnt .. "/t.tsv"), T.read(mnt .. "/t.csv")
      local old_m = T.read(mnt .. "/m.tsv")
      local big = big_table(20000)
      T.raises("save: " .. mnt .. "/t.tsv", big.save, big, mnt .. "/t.tsv")
      T.eq(T.read(mnt .. "/t.tsv"), old_tsv, "old table intact")
      T.raises("to_csv: " .. mnt .. "/t.csv", big.to_csv, big,
        mnt .. "/t.csv")
      T.eq(T.read(mnt .. "/t.csv"), old_csv, "old csv intact")
      big:save(dir .. "/big.tsv")
      T.raises(mnt .. "/m.tsv", ngram.merge_files, {dir .. "/big.tsv"},
        mnt .. "/m.tsv")
      T.eq(T.read(mnt .. "/m.tsv"), old_m, "old merge output intact")
      local left = {}
      for name in lfs.dir(mnt) do
        if name ~= "." and name ~= ".." then left[#left + 1] = name end
      end
      table.sort(left)
      T.eq(table.concat(left, " "), "m.tsv t.csv t.tsv", "no temporaries")
    end)
    sh("umount " .. q(mnt))
    if not ok then error(err, 0) end
  end,

  -- item 9: Ctrl-C stops load, save, to_csv, merge_files and top.  Each
  -- runs in a child on a table big enough that it cannot end before the
  -- Ctrl-C sent as soon as the child says it starts (hundreds of ms of C
  -- work against a signal within about 10 ms): the run must fail with
  -- "interrupted" and leave no output or temporary behind.  No times are
  -- compared (a loaded machine makes them noise); `timeout 60` catches a
  -- hang.  That the C loops themselves poll is shown without a clock by
  -- test_ngram_format's test_interrupted (an env that is always
  -- interrupted).
  interrupted = function()
    local dir = T.tmpdir()
    local t = big_table(1000000)
    t:save(dir .. "/big.tsv")
    t:close()
    collectgarbage()
    local ops = {
      {"ngram.load", "ngram.load(BIG)", false},
      {"save", "t:save(DIR .. '/out.tsv')", true},
      {"to_csv", "t:to_csv(DIR .. '/out.csv')", true},
      {"ngram.merge_files", "ngram.merge_files({BIG}, DIR .. '/m.tsv')", false},
      {"top", "t:top(1e7)", true},
    }
    local function listing()
      local names = {}
      for f in lfs.dir(dir) do
        if f ~= "." and f ~= ".." and f ~= "ready" then
          names[#names + 1] = f
        end
      end
      table.sort(names)
      return table.concat(names, " ")
    end
    for _, op in ipairs(ops) do
      local ready = dir .. "/ready"
      os.remove(ready)
      local code = "local ngram = require 'lector.ngram'\n" ..
        "local BIG, DIR = " .. string.format("%q, %q", dir .. "/big.tsv", dir)
        .. "\nlocal t = " .. (op[3] and "ngram.load(BIG)" or "nil") ..
        "\nio.open(DIR .. '/ready', 'w'):close()\n" .. op[2] .. "\n"
      local rc, out = sh(q(bin) .. " -e " .. q(code) .. " & pid=$!; " ..
        "(sleep 60; kill -KILL $pid) >/dev/null 2>&1 & dog=$!; " ..
        "while [ ! -e " .. q(ready) .. " ] && kill -0 $pid 2>/dev/null; " ..
        "do sleep 0.01; done; kill -INT $pid; wait $pid; rc=$?; " ..
        "kill $dog 2>/dev/null; exit $rc")
      T.ok(rc ~= 137, op[1] .. " hangs when interrupted: " .. out)
      T.ok(rc ~= 0 and out:find("interrupted", 1, true),
        op[1] .. " was not interrupted: " .. out)
      T.eq(listing(), "big.tsv", op[1] .. " leaves nothing behind")
    end
    -- a timeout says where it stopped
    local rc, out = sh(q(bin) .. " --timeout 0.2 -e " ..
      q("require('lector.ngram').load(" .. string.format("%q", dir ..
        "/big.tsv") .. ")"))
    T.ok(rc ~= 0 and out:find("ngram.load: interrupted", 1, true),
      "--timeout: " .. out)
  end,

  -- item 24: running out of memory names what grew and what to change.
  out_of_memory = function()
    local code = [[
      local ngram = require "lector.ngram"
      local words, x = {}, 7
      for i = 1, 400000 do
        x = (x * 1103515245 + 12345) % 2147483648
        words[i] = tostring(x % 100000)
      end
      local text = table.concat(words, " ")
      words = nil
      collectgarbage()
      ngram.count(text, {n = {1, 5}, skip = 2})
    ]]
    local rc, out = sh(q(bin) .. " --memory-limit 60M -e " .. q(code))
    T.ok(rc ~= 0, "ran out of memory")
    T.ok(out:find("out of memory counting n=1..5, skip=2: %d+ distinct " ..
      "grams so far"), "what grew: " .. out)
    T.ok(out:find("smaller n or skip", 1, true), "what to change: " .. out)
    T.ok(out:find("%-%-memory%-limit"), "the limit: " .. out)
  end,
}
