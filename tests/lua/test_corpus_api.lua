-- test_corpus_api.lua: the corpus API's edge cases (issue 12 items 1, 2, 5,
-- 22) and ABI 1.3's group keys and document pool through the wordcount
-- fixture plugin (tests/plugins/wordcount.c).
local T = require "testlib"

local tests = {}
local sample = "scripts/corpus"

local function words(text)
  local n = 0
  for _ in text:gmatch("[%w\128-\255]+") do n = n + 1 end
  return n
end

-- Issue 12 item 1: a callback closes the corpus and runs the GC.
function tests.filter_closing_corpus()
  local c = lector.load(sample)
  local n = 0
  T.raises("corpus:filter: corpus was closed during filter", c.filter, c,
    function(d)
      n = n + 1
      if n == 3 then d = nil; c:close(); collectgarbage(); collectgarbage() end
      return true
    end)
end

function tests.group_by_closing_corpus()
  local c = lector.load(sample)
  local n = 0
  T.raises("corpus:group_by: corpus was closed during the 'by' function",
    c.group_by, c, function(d)
      n = n + 1
      if n == 2 then d = nil; c:close(); collectgarbage(); collectgarbage() end
      return "k"
    end)
end

-- Issue 12 item 2: a document reached after its own __gc.
function tests.doc_after_gc()
  local got
  do
    local c = lector.load(sample)
    local h = setmetatable({}, {__gc = function(s)
      got = select(2, pcall(function() return s.d.id end))
    end})
    h.d = c[1]
  end
  collectgarbage(); collectgarbage(); collectgarbage()
  T.ok(got, "the __gc ran")
  T.ok(tostring(got):find("garbage%-collected", 1, false),
    "a clear error: " .. tostring(got))
end

-- Issue 12 item 5: a __len of 2^61+1 must not size an allocation.
function tests.huge_len()
  local t = setmetatable({}, {__len = function() return 2^61 + 1 end})
  T.raises("path has a length of 2305843009213693952, but holds 0 items",
    lector.load, t)
  T.raises("opts.ext has a length of", lector.load, sample, {ext = t})
end

-- Issue 12 item 22: clear messages.
function tests.closed_corpus()
  local c = lector.load(sample)
  c:close()
  T.raises("corpus is closed", c.filter, c, function() return true end)
  T.raises("corpus is closed", function() return #c end)
  T.raises("corpus is closed", c.group_by, c, "month")
  T.eq(tostring(c), "corpus (closed)", "tostring of a closed corpus")
  T.raises("wordcount.count: corpus is closed",
    lector.plugin("wordcount").count, c)
  T.raises("wordcount.count: expected a corpus, got number",
    lector.plugin("wordcount").count, 42)
end

function tests.each_iterator_after_close()
  local c = lector.load(sample)
  local it = c:each()
  c:close()
  local err = T.raises("corpus:each: corpus is closed", it)
  T.ok(not err:find("#%-"), "no negative argument number: " .. err)
end

function tests.threads_not_integer()
  T.raises("lector.load: opts.threads: expected an integer, got 0.5",
    lector.load, sample, {threads = 0.5})
  T.raises("lector.load: opts.threads: expected 0 (all cores) to 64, got 256",
    lector.load, sample, {threads = 256})
  T.eq(#lector.load(sample, {threads = 0}), 19, "threads = 0: all cores")
end

function tests.bad_group_keys()
  local c = lector.load(sample)
  T.raises("corpus:group_by: the key of", c.group_by, c,
    function() return 0 / 0 end)
  T.raises("is NaN", c.group_by, c, function() return 0 / 0 end)
  for _, k in ipairs{"text", "meta", "bytes"} do
    T.raises("corpus:group_by: cannot group by '" .. k .. "'", c.group_by, c, k)
  end
  T.raises("corpus:group_by: 'by' is an empty string", c.group_by, c, "")
  T.raises("corpus:group_by: 'by' must be a field name", c.group_by, c, 42)
  T.raises('lector.load: ext "" is empty', lector.load, sample, {ext = ""})
end

function tests.multi_valued_keys()
  local c = lector.load(sample)
  local g = c:group_by(function(d) return {d.year or "none", "all"} end)
  T.eq(#g.all, #c, "every doc in 'all'")
  T.eq(#g[2026] + #(g.none or {}), #c, "and in its year")
end

-- ABI 1.3 through the fixture plugin: same groups and order as group_by.
local function check_by(c, by, threads)
  local wc = lector.plugin("wordcount")
  local got = wc.count(c, {by = by, threads = threads})
  local want, order = {}, {}
  for k, docs in pairs(c:group_by(by)) do
    local n = 0
    for d in docs:each() do n = n + words(d.text) end
    want[k] = n
    order[#order + 1] = tostring(k)
  end
  local got_order = {}
  for k, n in pairs(got) do
    got_order[#got_order + 1] = tostring(k)
    T.eq(n, want[k], "words of " .. tostring(k) .. " by " .. tostring(by))
  end
  T.eq(table.concat(got_order, ","), table.concat(order, ","), "key order")
end

function tests.plugin_group_keys_and_pool()
  local c = lector.load(sample)
  local wc = lector.plugin("wordcount")
  local total = 0
  for d in c:each() do total = total + words(d.text) end
  for _, threads in ipairs{0, 1, 2, 64} do
    T.eq(wc.count(c, {threads = threads}), total, "total, threads " .. threads)
    check_by(c, "month", threads)
    check_by(c, "author", threads)
    check_by(c, function(d) return #d.text > 1000 and 1 or "short" end, threads)
    check_by(c, function(d)
      return d.year and {d.year, d.meta.section or "none"} or nil
    end, threads)
    check_by(c, "folder", threads)                      -- issue 14
  end
  -- issue 14: a metadata list (joined labels) puts a document in each of
  -- its groups through host->group_keys, as group_by does
  c:join({[c[1].id] = {"x", "y"}, [c[2].id] = {"y"}}, {as = "labels",
    quiet = true})
  check_by(c, "labels", 2)
  local g = wc.count(c, {by = "labels"})
  T.eq(g.y, words(c[1].text) + words(c[2].text), "doc 1 counted in y too")
  T.raises("wordcount.count: unknown option 'thread' (known: by, threads)",
    wc.count, c, {thread = 2})
  T.raises("wordcount.count: opts.threads: expected an integer, got 0.5",
    wc.count, c, {threads = 0.5})
  T.raises("wordcount.count: opts.threads: expected 0 (all cores) to 64, got 65",
    wc.count, c, {threads = 65})
  T.raises("wordcount.count: cannot group by 'text'", wc.count, c,
    {by = "text"})
  local n = 0
  T.raises("wordcount.count: corpus was closed during the 'by' function",
    wc.count, c, {by = function() n = n + 1
      if n == 2 then c:close(); collectgarbage() end return 1 end})
end

T.run(tests)
