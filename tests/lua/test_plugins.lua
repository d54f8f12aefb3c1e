-- test_plugins.lua: plugins from Lua: lector.plugin, require, lector.plugins,
-- and the example plugin's function on strings and documents.
local T = require "testlib"

local tests = {}

function tests.example_plugin()
  local ex = lector.plugin("example")
  T.eq(ex, require "lector.example", "lector.plugin and require agree")
  T.eq(ex.vowels("Education"), 5, "vowels of a string")
  local doc = lector.load(T.fixtures("articles/market/stalls.txt"))[1]
  local n = 0
  for _ in doc.text:gmatch("[aeiouAEIOU]") do n = n + 1 end
  T.eq(ex.vowels(doc), n, "vowels of a document")
  T.raises("string or document expected, got table", ex.vowels, {})
end

function tests.plugins_list()
  local list = lector.plugins()
  local found
  for _, p in ipairs(list) do
    T.ok(p.name and p.version and p.summary and p.path, "fields")
    if p.name == "example" then found = p end
  end
  T.ok(found, "example is listed")
  T.ok(found.path:find("example.so$"), "path")
end

function tests.unknown_plugin()
  T.raises("no plugin named 'nope' is loaded", lector.plugin, "nope")
  T.raises("module 'lector.nope' not found", require, "lector.nope")
end

function tests.lfs_available()
  local lfs = require "lfs"
  T.eq(lfs.attributes(T.fixtures(), "mode"), "directory", "lfs works")
end

T.run(tests)
