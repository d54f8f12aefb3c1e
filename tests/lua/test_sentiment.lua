-- test_sentiment.lua: the lector.sentiment module and its scorers, on the
-- small lexicons of tests/fixtures/sentiment (expected scores are NLTK
-- 3.8's on the same lexicon), and the default lexicon when it is built.
local T = require "testlib"
local sentiment = require "lector.sentiment"

local tests = {}
local dir = T.fixtures("sentiment")
local mini = dir .. "/mini_vader.txt"
local afinn = dir .. "/mini_afinn.txt"

local function scorer() return sentiment.new{lexicon = mini} end

local function close(a, b, what)
  if math.abs(a - b) > 1e-12 then
    error(string.format("%s: expected %.17g, got %.17g", what, b, a), 2)
  end
end

function tests.new_loads_a_vader_lexicon()
  local s = scorer()
  T.eq(s.size, 32, "size")
  T.eq(#s.warnings, 0, "no warnings")
  T.eq(s.lexicons[1], mini, "lexicons")
  T.eq(s:lookup("good"), 1.9, "lookup")
  T.eq(s:lookup("GOOD"), 1.9, "lookup is case-insensitive")
  T.eq(s:lookup("xyzzy"), nil, "unknown word")
  T.eq(s:lookup("XD"), nil, "an upper-case entry never matches (as in VADER)")
  T.ok(tostring(s):find("32 words", 1, true), "tostring")
end

function tests.score_matches_nltk()
  local s = scorer()
  local r = s:score("The food was not good.")
  T.eq(r.compound, -0.3412376512543242, "compound")
  close(r.pos, 0, "pos")
  close(r.neu, 0.62441461130190445, "neu")
  close(r.neg, 0.37558538869809549, "neg")
  T.eq(s:score("The plan was good, but the result was terrible.").compound,
    -0.49391458057363097, "but")
  T.eq(s:score("That was the bomb.").compound, 0.61237243569579458, "idiom")
  local z = s:score("")
  T.eq(z.compound + z.pos + z.neu + z.neg, 0, "empty text")
end

function tests.sentences_with_text_and_offsets()
  local s = scorer()
  local text = "The food was good.  The food was not good.\nIs it good???"
  local r = s:sentences(text)
  T.eq(#r, 3, "three sentences")
  T.eq(r[2].text, "The food was not good.", "text")
  T.eq(r[2].offset, 21, "offset (1-based)")
  T.eq(text:sub(r[2].offset, r[2].offset + #r[2].text - 1), r[2].text, "sub")
  T.eq(r[1].compound, 0.44043357076016854, "first")
  T.eq(r[3].compound, 0.53304086106054849, "question marks")
  T.ok(r[3].pos > 0 and r[3].neu > 0 and r[3].neg == 0, "proportions")
  T.eq(#s:sentences(""), 0, "no sentences")
end

function tests.extra_adds_overrides_and_removes()
  local s = sentiment.new{lexicon = mini,
    extra = {Tasty = 2.5, good = false, bad = -0.5, ["caf\u{C9}"] = 1}}
  T.eq(s:lookup("tasty"), 2.5, "added (lower-cased)")
  T.eq(s:lookup("good"), nil, "removed")
  T.eq(s:lookup("bad"), -0.5, "overridden")
  T.eq(s:lookup("CAF\u{C9}"), 1, "non-ASCII keys are lower-cased too")
  T.eq(s.size, 33, "size")
  T.eq(s:score("good").compound, 0, "a removed word scores 0")
  T.ok(s:score("The soup was TASTY").compound > 0, "an added word scores")
  T.ok(s:score("caf\u{E9} caf\u{C9}").compound > 0, "matched lower-cased")
  local multi = sentiment.new{lexicon = mini, extra = {["well done"] = 2}}
  T.ok(multi.warnings[1]:find("extra['well done'] can never match", 1, true),
    "multi-word extra entries are reported")
  local only = sentiment.new{lexicon = false, extra = {nice = 2}}
  T.eq(only.size, 1, "lexicon = false: only the extra words")
  T.eq(only:score("nice").compound, 2 / math.sqrt(4 + 15), "compound")
end

function tests.afinn_and_merging()
  local a = sentiment.new{lexicon = afinn, format = "afinn"}
  T.eq(a.size, 6, "afinn size")
  T.ok(a.warnings[1]:find("multi-word", 1, true), "multi-word warning")
  T.eq(sentiment.new{lexicon = afinn}.size, 6, "afinn detected")
  local m = sentiment.new{lexicon = {mini, afinn}}
  T.eq(m:lookup("good"), 3, "later lexicon wins")
  T.eq(m:lookup("happy"), 2.7, "earlier entries kept")
  T.eq(#m.lexicons, 2, "both listed")
end

function tests.malformed_lines_are_reported()
  local s = sentiment.new{lexicon = dir .. "/bad_lines.txt"}
  T.eq(s.size, 2, "the good lines load")
  T.eq(#s.warnings, 4, "four warnings")
  T.ok(s.warnings[1]:find("bad_lines.txt:2: malformed line", 1, true),
    "file and line: " .. s.warnings[1])
  T.ok(s.warnings[4]:find("bad_lines.txt:7:", 1, true), "last")
end

function tests.bad_lexicons_are_errors()
  T.raises("sentiment.new: cannot read lexicon '/nonexistent/lex.txt'",
    sentiment.new, {lexicon = "/nonexistent/lex.txt"})
  local tmp = T.tmpdir()
  T.write(tmp .. "/junk.txt", "one\ntwo\n")
  T.raises("is not a lexicon", sentiment.new, {lexicon = tmp .. "/junk.txt"})
  T.raises("cannot read lexicon", sentiment.new, {lexicon = tmp})
  T.raises("sentiment.new: unknown option 'lexicons' (known: lexicon, extra, "
    .. "format, rules)", sentiment.new, {lexicons = mini})
  T.raises("sentiment.new: options must be a table, got \"x\"",
    sentiment.new, "x")
  T.raises('sentiment.new: opts.format: expected one of auto, vader, afinn, '
    .. 'got "csv"', sentiment.new, {lexicon = mini, format = "csv"})
  T.raises("extra['x'] must be a number or false", sentiment.new,
    {lexicon = mini, extra = {x = "1"}})
  T.raises("extra['x'] = ", sentiment.new,
    {lexicon = mini, extra = {x = 0 / 0}})
  T.raises("extra['x'] = inf is not a valence", sentiment.new,
    {lexicon = mini, extra = {x = math.huge}})
  T.raises("extra: keys must be words", sentiment.new,
    {lexicon = mini, extra = {[1] = 2}})
  T.raises("lexicon must be a path", sentiment.new, {lexicon = 42})
  T.raises("lexicon[2] must be a path", sentiment.new, {lexicon = {mini, 1}})
end

-- Issue 12 item 17: valences are finite and within the documented range
-- (files: VADER -4..4, AFINN -5..5; extra: -5..5), or an error naming the
-- word and value (and file:line); no score is ever NaN.
function tests.valences_are_bounded()
  T.raises("sentiment.new: extra['good'] = 1e+308 is not a valence: it must "
    .. "be a finite number within -5..5", sentiment.new,
    {lexicon = false, extra = {good = 1e308}})
  T.raises("extra['bad'] = -5.5 is not a valence", sentiment.new,
    {lexicon = false, extra = {bad = -5.5}})
  local s = sentiment.new{lexicon = false, extra = {good = 5, bad = -5}}
  for _, text in ipairs{("good "):rep(5000), ("bad "):rep(5000),
                        ("GOOD!!! "):rep(3000) .. ("not bad "):rep(3000)} do
    local r = s:score(text)
    for _, k in ipairs{"compound", "pos", "neu", "neg"} do
      T.ok(r[k] == r[k] and r[k] >= -1 and r[k] <= 1, k .. " " .. r[k])
    end
  end
  local tmp = T.tmpdir()
  local cases = {
    {"big.txt", "fine\t1.0\t0.5\t[1]\ngood\t1e308\t0.5\t[1]\n", "vader",
     "big.txt:2: the valence of 'good' is 1e308, outside -4..4 (VADER)"},
    {"inf.txt", "fine\t1.0\t0.5\t[1]\n\nwow\tinf\t0.5\t[1]\n", "auto",
     "inf.txt:3: the valence of 'wow' is inf, outside -4..4 (VADER)"},
    {"nan.txt", "meh\tnan\n", "vader",
     "nan.txt:1: the valence of 'meh' is nan, outside -4..4 (VADER)"},
    {"vader5.txt", "great\t4.5\t0.5\t[4, 5]\n", "auto",
     "vader5.txt:1: the valence of 'great' is 4.5, outside -4..4"},
    {"afinn.txt", "nice\t3\nsuperb\t6\n", "auto",
     "afinn.txt:2: the valence of 'superb' is 6, outside -5..5 (AFINN)"},
    {"afinn2.txt", "awful\t-99999999999999999999\n", "afinn",
     "afinn2.txt:1: the valence of 'awful' is -99999999999999999999"},
  }
  for _, c in ipairs(cases) do
    T.write(tmp .. "/" .. c[1], c[2])
    T.raises(c[4], sentiment.new, {lexicon = tmp .. "/" .. c[1],
                                    format = c[3]})
  end
  -- the ends of each range are valid
  T.write(tmp .. "/ends.txt", "a\t-4\t0\t[]\nb\t4.0\t0\t[]\n")
  T.eq(sentiment.new{lexicon = tmp .. "/ends.txt"}.size, 2, "VADER ends")
  T.write(tmp .. "/aends.txt", "a\t-5\nb\t5\n")
  T.eq(sentiment.new{lexicon = tmp .. "/aends.txt"}.size, 2, "AFINN ends")
end

function tests.documents_are_scored_like_their_text()
  local s = scorer()
  local c = lector.load(dir .. "/corpus", {quiet = true})
  for doc in c:each() do
    T.eq(s:score(doc).compound, s:score(doc.text).compound, doc.id)
    T.eq(#s:sentences(doc), #s:sentences(doc.text), doc.id .. " sentences")
  end
  T.raises("string or document", s.score, s, 42)
end

function tests.methods_and_closing()
  local s = scorer()
  T.raises("call it as a method", s.score, "text")
  s:close()
  T.eq(tostring(s), "sentiment scorer (closed)", "closed")
  T.raises("the scorer is closed", s.score, s, "good")
  s:close()                                     -- idempotent
end

-- The REPL's metafields (plugin.h): __summary, __methods, __fields.
function tests.repl_metafields()
  local s = sentiment.new{lexicon = mini, extra = {["a b"] = 1}}
  local mt = getmetatable(s)
  local summary = mt.__summary(s)
  T.ok(summary:find("^sentiment scorer: " .. s.size .. " words"), summary)
  T.ok(summary:find("\n  lexicons: " .. mini, 1, true), summary)
  T.ok(summary:find("\n  warnings: sentiment.new: extra['a b'] can never "
    .. "match", 1, true), summary)
  for _, m in ipairs{"score", "sentences", "corpus", "lookup", "close"} do
    T.eq(mt.__methods[m], s[m], "__methods." .. m)
  end
  T.eq(table.concat(mt.__fields, " "), "size warnings lexicons rules",
       "__fields")
  for _, f in ipairs(mt.__fields) do T.ok(s[f] ~= nil, f) end
  s:close()
  T.eq(mt.__summary(s), "sentiment scorer (closed)", "closed")
end

function tests.default_lexicon()
  local path, exists = sentiment.default_lexicon()
  local env = os.getenv("LECTOR_VADER_LEXICON")
  if env and env ~= "" then
    T.eq(path, env, "LECTOR_VADER_LEXICON names the default lexicon")
  else
    T.ok(path:find("vader_lexicon.txt", 1, true), "path " .. tostring(path))
  end
  if not exists then
    io.stderr:write("note: no default lexicon at ", path, "; part skipped\n")
    return
  end
  local d = sentiment.default()
  T.ok(d.size > 7000, "VADER's lexicon: " .. d.size)
  T.eq(#d.warnings, 0, "loads cleanly")
  T.eq(sentiment.score("good").compound, 0.44043357076016854, "good")
  T.eq(sentiment.lookup("HORRIBLE"), -2.5, "lookup")
  T.eq(#sentiment.sentences("Good. Bad."), 2, "sentences")
  T.eq(sentiment.new{extra = {zork = 1}}.size, d.size + 1,
    "new without lexicon starts from the default")
end

-- The first use without the default lexicon says it is missing and how to
-- get it.  Run in a child lector with LECTOR_VADER_LEXICON pointing nowhere.
function tests.missing_default_lexicon_is_explained()
  local bin = os.getenv("LECTOR_BIN")
  if not bin then return end
  local tmp = T.tmpdir()
  local cmd = string.format(
    "LECTOR_VADER_LEXICON=%s/none.txt '%s' -e 'require(\"lector.sentiment\")"
    .. ".score(\"good\")' 2>&1", tmp, bin)
  local p = assert(io.popen(cmd))
  local out = p:read("a")
  local ok = p:close()
  T.ok(not ok, "the script fails")
  T.ok(out:find("the default VADER lexicon is missing: no file " .. tmp
    .. "/none.txt (from LECTOR_VADER_LEXICON)", 1, true), out)
  T.ok(out:find("npm pack vader-sentiment@" .. sentiment.vader_npm_version,
    1, true), "says how to get it")
end

T.run(tests)
