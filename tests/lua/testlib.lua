-- testlib.lua: small helpers for the Lua integration tests run by lector.
-- A test fails by raising an error (lector exits 1) and skips with exit 77.
local lfs = require "lfs"

local T = {}

function T.eq(got, want, what)
  if got ~= want then
    error(string.format("%s: expected %s, got %s", what or "value",
      tostring(want), tostring(got)), 2)
  end
end

function T.ok(cond, what)
  if not cond then error((what or "condition") .. " failed", 2) end
end

-- fn must raise an error whose message contains pattern (plain text).
function T.raises(pattern, fn, ...)
  local ok, err = pcall(fn, ...)
  if ok then error("expected an error matching '" .. pattern .. "'", 2) end
  if not tostring(err):find(pattern, 1, true) then
    error(string.format("error '%s' does not contain '%s'", tostring(err),
      pattern), 2)
  end
  return err
end

function T.skip(why)
  io.stderr:write("SKIP: ", why, "\n")
  os.exit(77)
end

function T.fixtures(sub)
  local root = os.getenv("LECTOR_FIXTURES") or "tests/fixtures"
  return sub and (root .. "/" .. sub) or root
end

-- The shared corpora beside the project, or nil.
function T.shared(sub)
  local root = os.getenv("LECTOR_SHARED") or "../shared"
  local path = root .. "/corpora/" .. sub
  return lfs.attributes(path, "mode") and path or nil
end

-- A fresh temporary folder, removed by T.cleanup().
local made = {}
function T.tmpdir()
  local base = os.tmpname()
  os.remove(base)
  assert(lfs.mkdir(base))
  made[#made + 1] = base
  return base
end

function T.read(path)
  local f = assert(io.open(path, "rb"))
  local s = f:read("a")
  f:close()
  return s
end

function T.write(path, bytes)
  local f = assert(io.open(path, "wb"))
  f:write(bytes)
  f:close()
end

local function rmtree(path)
  local mode = lfs.symlinkattributes(path, "mode")
  if mode == "directory" then
    for name in lfs.dir(path) do
      if name ~= "." and name ~= ".." then rmtree(path .. "/" .. name) end
    end
    lfs.rmdir(path)
  elseif mode then
    os.remove(path)
  end
end

function T.cleanup()
  for _, d in ipairs(made) do rmtree(d) end
  made = {}
end

-- Run the named test functions in order, reporting each.
function T.run(tests)
  local names = {}
  for name in pairs(tests) do names[#names + 1] = name end
  table.sort(names)
  local failed = 0
  for _, name in ipairs(names) do
    local ok, err = xpcall(tests[name], debug.traceback)
    T.cleanup()
    if ok then print("ok   " .. name)
    else
      failed = failed + 1
      print("FAIL " .. name .. ": " .. tostring(err))
    end
  end
  print(string.format("%d passed, %d failed", #names - failed, failed))
  if failed > 0 then os.exit(1) end
end

return T
