-- test_output.lua: lector.output, the checked and atomic way scripts write
-- files: nothing reaches the target before commit, an abort or a close
-- without commit leaves it as it was, errors name the path, and a full
-- disk (a 64 KB tmpfs, when mount is permitted) keeps the old file.
local T = require "testlib"
local lfs = require "lfs"

local tests = {}

-- The names in dir, sorted.
local function names(dir)
  local t = {}
  for n in lfs.dir(dir) do
    if n ~= "." and n ~= ".." then t[#t + 1] = n end
  end
  table.sort(t)
  return table.concat(t, " ")
end

function tests.commit_replaces()
  local d = T.tmpdir()
  local p = d .. "/out.txt"
  T.write(p, "old\n")
  local f = lector.output(p)
  T.eq(f:write("a", 1, " ", 2.5, "\n"), f, "write returns the object")
  T.eq(T.read(p), "old\n", "target untouched before commit")
  T.eq(f:commit(), true, "commit")
  T.eq(T.read(p), "a1 2.5\n", "target replaced")
  T.eq(names(d), "out.txt", "no temporary left")
  T.raises("already committed", f.write, f, "x")
end

function tests.close_without_commit_aborts()
  local d = T.tmpdir()
  local p = d .. "/out.txt"
  T.write(p, "old\n")
  do
    local f <close> = lector.output(p)
    f:write("new")
  end
  T.eq(T.read(p), "old\n", "closed without commit: old content")
  T.eq(names(d), "out.txt", "temporary removed at close")
  local g = lector.output(d .. "/new.txt")
  g:write("x")
  g = nil
  collectgarbage()
  collectgarbage()
  T.eq(names(d), "out.txt", "temporary removed at GC")
  local h = lector.output(p)
  h:write("y")
  h:abort()
  h:abort()                       -- twice is fine
  T.eq(T.read(p), "old\n", "abort keeps the old content")
  T.raises("already committed or aborted", h.commit, h)
end

function tests.error_in_block_aborts()
  local d = T.tmpdir()
  local p = d .. "/out.txt"
  local ok = pcall(function()
    local f <close> = lector.output(p)
    f:write("half")
    error("stop")
  end)
  T.eq(ok, false, "raised")
  T.eq(names(d), "", "nothing written")
end

function tests.refusals()
  local d = T.tmpdir()
  local p = d .. "/in.txt"
  T.write(p, "input\n")
  T.raises(p .. ": is also an input", lector.output, p, {inputs = {p}})
  T.raises("is a folder", lector.output, d)
  T.raises("no/such/dir/x.txt: cannot create", lector.output,
           d .. "/no/such/dir/x.txt")
  T.raises("inputs[1] must be a path", lector.output, d .. "/o", {inputs = {1}})
  T.raises("inputs must be a table", lector.output, d .. "/o", {inputs = "x"})
  T.raises("bad argument #1", lector.output)
  T.eq(T.read(p), "input\n", "input intact")
end

-- A 64 KB tmpfs: writing 1 MB fails at write or commit, naming the path,
-- and the previous content stays whole.
function tests.full_disk()
  local d = T.tmpdir()
  local ok = os.execute("mount -t tmpfs -o size=64k tmpfs '" .. d ..
                        "' 2>/dev/null")
  if not ok then
    io.stderr:write("full_disk: mount not permitted, skipped\n")
    return
  end
  local p = d .. "/out.txt"
  T.write(p, "good old file\n")
  local err = T.raises(p, function()
    local f <close> = lector.output(p)
    local chunk = string.rep("x", 4096)
    for _ = 1, 256 do f:write(chunk) end
    f:commit()
  end)
  T.ok(err:find("No space left", 1, true), "says why: " .. err)
  T.eq(T.read(p), "good old file\n", "old file intact")
  T.eq(names(d), "out.txt", "temporary removed")
  os.execute("umount '" .. d .. "'")
end

T.run(tests)
