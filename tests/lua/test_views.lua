-- test_views.lua: corpus views whose text passes through a plugin (ABI
-- 1.4, host->corpus_view), with the fixture plugin tests/plugins/upper.c.
local T = require "testlib"
local upper = lector.plugin("upper")
local ngram = require "lector.ngram"

local tests = {}

local function corpus()
  return lector.load("scripts/corpus", {quiet = true})
end

function tests.text_through_the_filter()
  local c = corpus()
  local v = upper.view(c, {3, 1})
  T.eq(#v, 2, "the indices given")
  T.eq(v[1].id, c[3].id, "in that order")
  T.eq(v[1].text, c[3].text:upper(), "filtered text")
  T.eq(v[2].text, c[1].text:upper(), "filtered text")
  T.eq(c[1].text:upper() ~= c[1].text, true, "the parent is untouched")
  T.eq(v[1].meta.upper_key, 2, "meta_push adds fields (key of doc 3)")
  T.eq(c[3].meta.upper_key, nil, "not to the parent")
end

function tests.subsets_and_views_of_views_keep_the_filter()
  local c = corpus()
  local v = upper.view(c)
  local sub = v:filter(function(d) return d.index % 2 == 1 end)
  T.eq(sub[1].text, c[1].text:upper(), "filter() keeps the view's text")
  for k, g in pairs(v:group_by("month")) do
    T.eq(g[1].text, g[1].text:upper(), "group " .. tostring(k) .. " too")
  end
  local vv = upper.view(sub)
  T.eq(vv[1].text, c[1].text:upper(), "a view of a view")
end

function tests.plugins_read_the_view()
  local c = corpus()
  T.ok(#ngram.kwic(c, "the", {window = 1, lower = false}) > 0, "'the' in the parent")
  local kw = ngram.kwic(upper.view(c), "the", {window = 1, lower = false})
  T.eq(#kw, 0, "no lower-case 'the' left in the view's text")
  local t1 = ngram.count(c, {n = 1})
  local t2 = ngram.count(upper.view(c), {n = 1})
  T.eq(t2:total(), t1:total(), "same tokens, case folded by the tokenizer")
end

function tests.filter_errors_name_the_document()
  local c = corpus()
  local f = upper.failing(c)
  T.eq(f[1].text, c[1].text:upper(), "key 0 passes")
  T.raises("upper: document key 1 refused", function() return f[2].text end)
  T.raises("document key 1 refused", ngram.count, f, {n = 1})
end

function tests.bad_calls_and_freeing()
  local c = corpus()
  local before = upper.live()
  T.raises("upper.view: document 99 out of range", upper.view, c, {99})
  c:close()
  T.raises("corpus is closed", upper.view, c)
  T.eq(upper.live(), before, "a refused view frees its context at once")
  local v = upper.view(corpus())
  T.eq(upper.live(), before + 1, "one alive")
  v = nil
  collectgarbage()
  collectgarbage()
  T.eq(upper.live(), before, "freed with the last view")
end

T.run(tests)
