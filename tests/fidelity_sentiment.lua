-- fidelity_sentiment.lua: the fidelity oracle.  Every sentence of
-- ../shared/corpora (when present) and of our own fixtures is scored by
-- this plugin and by NLTK 3.8's SentimentIntensityAnalyzer on the same
-- lexicon file (tests/fidelity_sentiment.py); the compounds must agree
-- within 0.001 on at least 99% of the sentences, and every disagreement is
-- printed.  Both sides score the very same sentence strings: ours are
-- split by the tokenize service and written to a file, NUL-separated.
--
-- Lexicon: VADER's default one when it was fetched, else the fixture
-- mini_vader.txt.  Skips (77) without /usr/bin/python3 + nltk.  All
-- sentences are used (about 51,000 from the shared corpora: ~10 s).
local T = require "testlib"
local sentiment = require "lector.sentiment"

local python = "/usr/bin/python3"
if not os.execute(python .. " -c 'import nltk.sentiment.vader' 2>/dev/null")
then
  T.skip("python3-nltk is not installed for " .. python)
end

local fixtures = T.fixtures("sentiment")
local lexicon, exists = sentiment.default_lexicon()
if not exists then lexicon = fixtures .. "/mini_vader.txt" end
local s = sentiment.new{lexicon = lexicon}

local tmp = T.tmpdir()
-- NLTK 3.8 cannot read a lexicon that ends with a newline.
local f = assert(io.open(lexicon, "rb"))
local lex = f:read("a"):gsub("\n+$", "")
f:close()
T.write(tmp .. "/lexicon.txt", lex)

local out = assert(io.open(tmp .. "/records", "wb"))
local count = 0
local function put(origin, compound, text)
  out:write(origin, "\t", string.format("%.17g", compound), "\t", text, "\0")
  count = count + 1
end

for _, sub in ipairs{"seeds", "abc", "state_union"} do
  local path = T.shared(sub)
  if path then
    for doc in lector.load(path, {quiet = true}):each() do
      for _, r in ipairs(s:sentences(doc)) do put(sub, r.compound, r.text) end
    end
  end
end
for _, name in ipairs{"sentences.txt", "edge.txt"} do
  local g = assert(io.open(fixtures .. "/" .. name, "rb"))
  local text = g:read("a")
  g:close()
  for _, r in ipairs(s:sentences(text)) do put(name, r.compound, r.text) end
  for line in text:gmatch("[^\n]+") do          -- whole lines as well
    put(name .. ":lines", s:score(line).compound, line)
  end
end
out:close()
print(string.format("lexicon %s: %d sentences", lexicon, count))

local script = fixtures .. "/../../fidelity_sentiment.py"
local ok, how, code = os.execute(string.format("%s '%s' '%s/lexicon.txt' '%s/records'",
  python, script, tmp, tmp))
T.cleanup()
if not ok then
  if how == "exit" and code == 77 then os.exit(77) end
  error("fewer than 99% of the sentences agree with NLTK (see above)")
end
