-- fidelity_vadersentiment.lua: sentiment.new{rules = "vadersentiment"}
-- against tests/vadersentiment_ref.py, a plain-Python rewrite of the
-- vaderSentiment 3.3.2 rules (the package itself comes from PyPI, out of
-- reach here).  Every sentence of ../shared/corpora (when present) and
-- every line of our fixtures (emoji.txt: short texts with emoji as
-- people post them; sentences.txt, edge.txt) is scored by the plugin and
-- by the reference on the same lexicon and emoji-test.txt; at least 99.9%
-- must agree to 1e-9.  Also prints how many compounds differ by more than
-- 0.001 between the two modes (NLTK's, the default, and vaderSentiment's)
-- on the first 2,000 texts and on the emoji fixture.
--
-- Skips (77) without /usr/bin/python3, the default lexicon or Unicode's
-- emoji-test.txt.
local T = require "testlib"
local sentiment = require "lector.sentiment"

local python = "/usr/bin/python3"
local emoji_test = os.getenv("LECTOR_EMOJI_TEST") or
  "/usr/share/unicode/emoji/emoji-test.txt"
if not os.execute(python .. " -c '' 2>/dev/null") then
  T.skip("no " .. python)
end
if not io.open(emoji_test) then T.skip("no " .. emoji_test) end
local lexicon, exists = sentiment.default_lexicon()
if not exists then T.skip("the default VADER lexicon is missing") end

local vs = sentiment.new{rules = "vadersentiment"}
local nltk = sentiment.default()
local fixtures = T.fixtures("sentiment")
local tmp = T.tmpdir()
local out = assert(io.open(tmp .. "/records", "wb"))
local count = 0
local diff = {all = {0, 0}, emoji = {0, 0}}

local function put(origin, text, compound)
  compound = compound or vs:score(text).compound
  out:write(origin, "\t", string.format("%.17g", compound), "\t", text, "\0")
  count = count + 1
  local d = origin == "emoji.txt" and diff.emoji or
            diff.all[1] < 2000 and diff.all or nil
  if d then
    d[1] = d[1] + 1
    if math.abs(compound - nltk:score(text).compound) > 0.001 then
      d[2] = d[2] + 1
    end
  end
end

for _, name in ipairs{"emoji.txt", "sentences.txt", "edge.txt"} do
  for line in T.read(fixtures .. "/" .. name):gmatch("[^\n]+") do
    put(name, line)
  end
end
for _, sub in ipairs{"seeds", "abc", "state_union"} do
  local path = T.shared(sub)
  if path then
    for doc in lector.load(path, {quiet = true}):each() do
      for _, r in ipairs(vs:sentences(doc)) do put(sub, r.text, r.compound) end
    end
  end
end
out:close()
print(string.format("%d texts; compounds differing by > 0.001 between "
  .. "rules = \"nltk\" and \"vadersentiment\": %d of the first %d texts, "
  .. "%d of %d in emoji.txt", count, diff.all[2], diff.all[1],
  diff.emoji[2], diff.emoji[1]))
T.ok(diff.emoji[2] >= diff.emoji[1] / 4, "many emoji texts differ")

local script = fixtures .. "/../../vadersentiment_ref.py"
local ok = os.execute(string.format("%s '%s' '%s' '%s' '%s/records' 50",
  python, script, lexicon, emoji_test, tmp))
T.cleanup()
if not ok then
  error("fewer than 99.9% of the texts agree with the reference (see above)")
end
