-- test_tokenize.lua: the lector.tokenize module through the host: words,
-- tokens, sentences, stem, normalize, options objects, documents as input,
-- and errors for bad input (they name the function).
local T = require "testlib"

local ok, tok = pcall(require, "lector.tokenize")
if not ok then T.skip("tokenize plugin not loaded: " .. tostring(tok)) end

local tests = {}

local function join(t) return table.concat(t, "|") end

function tests.words_news()
  T.eq(join(tok.words("Pakistan’s U.S. ties, 76,000 troops")),
       "pakistan's|u.s.|ties|76,000|troops", "words")
  T.eq(join(tok.words("Don't panic! It's 0.6 per cent.", {punct = true})),
       "don't|panic|!|it's|0.6|per|cent|.", "punct = true")
  T.eq(join(tok.words("Well-known COVID-19 facts")),
       "well-known|covid-19|facts", "hyphens kept")
  T.eq(join(tok.words("Well-known facts", {split_hyphens = true})),
       "well|known|facts", "split_hyphens")
  T.eq(join(tok.words("The cat sat on the mat", {stopwords = true})),
       "cat|sat|mat", "built-in stop words")
  T.eq(join(tok.words("The cat sat", {stopwords = {"cat"}})),
       "the|sat", "stop-word list")
  T.eq(join(tok.words("Running connections", {stem = "english"})),
       "run|connect", "stemming")
  T.eq(join(tok.words("A man of 42 years", {min_len = 3, numbers = false})),
       "man|years", "min_len, numbers")
  T.eq(join(tok.words("Café NAÏVE", {accents = false})), "cafe|naive",
       "accents stripped")
  T.eq(join(tok.words("Café", {lower = false})), "Café", "lower = false")
  T.eq(join(tok.words("ﬁle", {normalize = "nfkc", lower = false})), "file",
       "nfkc")
  T.eq(join(tok.words("see https://example.org/x now")),
       "see|https://example.org/x|now", "urls")
  T.eq(join(tok.words("#Vote @bob")), "#vote|@bob", "hashtags, mentions")
  T.eq(join(tok.words("#Vote @bob", {standard = true})), "vote|bob",
       "standard")
  T.eq(#tok.words(""), 0, "empty text")
end

function tests.words_scripts()
  T.eq(join(tok.words("हिन्दी বাংলা Москва Ελληνικά 한국어")),
       "हिन्दी|বাংলা|москва|ελληνικά|한국어", "scripts")
  T.eq(join(tok.words("می‌خواهم")), "می‌خواهم", "ZWNJ inside a word")
  T.eq(join(tok.words("東京タワー")), "東|京|タワー", "ideographs, katakana")
end

function tests.invalid_utf8()
  T.eq(join(tok.words("caf\xE9 noir \xFF ok")), "caf|noir|ok", "skipped")
  local t = tok.tokens("a\xE9b", {invalid = "replace"})
  T.eq(#t, 3, "replaced: three tokens")
  T.eq(t[2].kind, "symbol", "U+FFFD is a symbol")
  T.eq(t[2].norm, "\xEF\xBF\xBD", "norm U+FFFD")
  T.eq(t[2].length, 1, "one byte")
end

function tests.tokens_list()
  local text = "NASA said: \"Launch at 5 p.m.\" 🚀"
  local t = tok.tokens(text)
  T.eq(#t, 10, "#tokens")
  T.eq(t[1].text, "NASA", "text")
  T.eq(t[1].norm, "nasa", "norm")
  T.eq(t[1].kind, "word", "kind")
  T.ok(t[1].allcaps and t[1].capital, "NASA is all caps and capitalised")
  T.eq(t[1].offset, 1, "offsets are 1-based")
  T.eq(t[1].length, 4, "length")
  T.ok(t[1].id > 0, "vocabulary id")
  T.eq(t[3].kind, "punct", "colon")
  T.eq(t[7].text, "5", "number")
  T.eq(t[7].kind, "number", "number kind")
  T.eq(t[8].text, "p.m.", "abbreviation")
  T.eq(t[10].kind, "emoji", "emoji kind")
  for i, x in ipairs(t) do
    T.eq(text:sub(x.offset, x.offset + x.length - 1), x.text, "offset " .. i)
  end
  T.eq(t[11], nil, "past the end")
  T.eq(join(t:norms()), "nasa|said|:|\"|launch|at|5|p.m.|\"|🚀", "norms()")
  T.eq(#t:texts(), 10, "texts()")
  local ids = t:ids()
  T.eq(ids[1], t[1].id, "ids()")
  -- same norm, same id; the vocabulary is the host's
  local u = tok.tokens("nasa Nasa")
  T.eq(u[1].id, u[2].id, "one id per norm")
  T.eq(u[1].id, t[1].id, "ids are stable")
  T.ok(tostring(t):find("tokens: 10", 1, true), "tostring")
end

-- the REPL's metafields (plugin.h): __summary, __methods
function tests.tokens_repl()
  local t = tok.tokens("NASA said: launch at 5.")
  local mt = getmetatable(t)
  local s = mt.__summary(t)
  T.ok(s:find("tokens: 7, over a text of 23 bytes", 1, true), s)
  T.ok(s:find("\n         1  word        NASA -> nasa", 1, true), s)
  T.ok(s:find("\n        22  number      5 -> 5", 1, true), s)
  T.ok(not s:find("more", 1, true), "all 7 shown: " .. s)
  local long = mt.__summary(tok.tokens(("a "):rep(25)))
  T.ok(long:find("\n  ... 15 more$"), long)
  T.ok(mt.__summary(tok.tokens("")):find("^tokens: 0, over a text of 0 bytes$"),
       "empty list")
  local names = {}
  for k, f in pairs(rawget(mt, "__methods")) do
    T.eq(t[k], f, "__index serves " .. k)
    names[#names + 1] = k
  end
  table.sort(names)
  T.eq(table.concat(names, ","), "ids,norms,texts", "__methods")
end

function tests.sentences()
  local s = tok.sentences("Mr. Smith met Gen. Jones in the U.S. capital. " ..
    "They talked. \"Really?\" she asked. Wait... what?")
  T.eq(join(s), "Mr. Smith met Gen. Jones in the U.S. capital.|" ..
    "They talked.|\"Really?\" she asked.|Wait... what?", "sentences")
  T.eq(join(tok.sentences("Headline without a stop\nBody starts here. Ends.")),
    "Headline without a stop|Body starts here.|Ends.", "headline line")
  T.eq(join(tok.sentences("Mr. Smith left.", {standard = true})),
    "Mr.|Smith left.", "standard sentences")
  T.eq(#tok.sentences("   "), 0, "blank text")
end

function tests.stem_and_normalize()
  T.eq(tok.stem("running"), "run", "english by default")
  T.eq(tok.stem("connections", "english"), "connect", "english")
  T.eq(tok.stem("chevaux", "french"), "cheval", "french")
  T.eq(tok.normalize("Straße"), "strasse", "case folding")
  T.eq(tok.normalize("Connections", {stem = "english"}), "connect",
       "normalize with stem")
  T.raises("tokenize.stem: unknown stemmer language 'klingon'", tok.stem,
           "word", "klingon")
  T.raises("tokenize.stem: argument 1 must be a string (got table)",
           tok.stem, {})
end

function tests.options_object()
  local o = tok.options{stopwords = true, stem = "english", punct = false}
  T.eq(join(tok.words("The runners were running.", o)), "runner|run",
       "compiled options reused")
  T.eq(join(tok.words("Dogs barked", o)), "dog|bark", "again")
  T.eq(#tok.tokens("The dogs.", o), 1, "tokens with compiled options")
  T.raises("tokenize.options: unknown option 'bogus'", tok.options,
           {bogus = 1})
end

function tests.documents()
  local dir = T.tmpdir()
  T.write(dir .. "/a.txt", "Council backs plan\nThe council voted 7-2. " ..
    "Dr. Menon said the U.S. firm was paid.\n")
  local corpus = lector.load(dir)
  local doc = corpus[1]
  local words = tok.words(doc)
  T.eq(words[1], "council", "words of a document")
  T.eq(join(tok.sentences(doc)), "Council backs plan|The council voted 7-2.|" ..
    "Dr. Menon said the U.S. firm was paid.", "sentences of a document")
  local t = tok.tokens(doc)
  T.eq(t[1].text, "Council", "tokens of a document")
end

function tests.bad_input()
  T.raises("tokenize.words: unknown option 'foo'", tok.words, "x", {foo = 1})
  T.raises("tokenize.words: option 'lower' must be a boolean (got string)",
           tok.words, "x", {lower = "yes"})
  T.raises("tokenize.words: options must be a table, got 5",
           tok.words, "x", 5)
  -- every function taking options names the unknown key and the known ones
  for _, f in ipairs{"words", "tokens", "sentences", "normalize"} do
    T.raises("tokenize." .. f .. ": unknown option 'colour' (known: lower, ",
             tok[f], "x", {colour = 1})
  end
  T.raises("tokenize.options: unknown option 'colour' (known: lower, ",
           tok.options, {colour = 1})
  T.raises("tokenize.words: unknown option 1 (known: ", tok.words, "x",
           {true})
  T.raises("tokenize.tokens: option 'min_len' must be a non-negative integer",
           tok.tokens, "x", {min_len = 1.5})
  T.raises("tokenize.sentences: unknown option 'x'", tok.sentences, "a. b.",
           {x = true})
  T.raises("tokenize.words: unknown stemmer language 'xx'", tok.words, "x",
           {stem = "xx"})
  T.raises("tokenize.words: cannot open stop-word file", tok.words, "x",
           {stopwords = "/nonexistent/file"})
  T.raises("tokenize.words: option 'stopwords' must hold strings", tok.words,
           "x", {stopwords = {1, 2}})
  T.raises("tokenize.words: option 'normalize' must be", tok.words, "x",
           {normalize = "nfd"})
  -- not a string or a document: the host's check names the argument
  local okw, err = pcall(tok.words, {})
  T.ok(not okw and err, "a table is not text")
  okw = pcall(tok.words)
  T.ok(not okw, "no argument")
end

function tests.stopword_file()
  local dir = T.tmpdir()
  T.write(dir .. "/stop.txt", "# my list\nfarmers\nrain\n")
  T.eq(join(tok.words("Farmers want rain now", {stopwords = dir .. "/stop.txt"})),
       "want|now", "stop-word file")
end

-- Issue 12 item 14: no empty word, ever.  porter stems "s" to "": the word
-- stays unstemmed; ngram.count (the C service) gets no empty word either.
function tests.no_empty_words()
  T.eq(join(tok.words("s is as running", {stem = "porter"})), "s|i|a|run",
       "empty stem keeps the word")
  T.eq(tok.stem("s", "porter"), "s", "tokenize.stem")
  for _, t in ipairs(tok.tokens("s \u{301}\u{301} \u{20DD} x\u{300}",
                                {stem = "porter", accents = false})) do
    T.ok(#t.norm > 0, "token '" .. t.text .. "' has a norm")
  end
  local okn, ngram = pcall(require, "lector.ngram")
  if okn then
    local t = ngram.count("s s is", {n = 1, stem = "porter"})
    T.eq(t:get("s"), 2, "ngram counts the unstemmed word")
  end
end

T.run(tests)
