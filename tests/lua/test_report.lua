-- test_report.lua: the main job, scripts/report.lua, run as a separate
-- lector process as a user would: its terminal report on the sample
-- corpus (figures checked against counts made here independently), --json,
-- --csv (parsed back), --html, the edge cases and errors, and the shared
-- corpora when ../shared is present.  The Chromium rendering of the HTML
-- is tests/test_html_render.sh.
local T = require "testlib"
local cjson = require "cjson"
local lfs = require "lfs"
local sentiment = require "lector.sentiment"
local ngram = require "lector.ngram"

local bin = os.getenv("LECTOR_BIN") or "build/lector"

local function quote(s) return "'" .. s:gsub("'", "'\\''") .. "'" end

-- Run the report with args (a list); stdout and stderr together, or
-- stdout alone when stdout_only.
local function run(args, stdout_only)
  local words = {}
  for i, a in ipairs(args or {}) do words[i] = quote(a) end
  local cmd = bin .. " scripts/report.lua " .. table.concat(words, " ")
    .. (stdout_only and " 2>/dev/null" or " 2>&1")
  local p = assert(io.popen(cmd))
  local out = p:read("a")
  local ok, _, code = p:close()
  return out, ok and 0 or code
end

local function has(out, text, what)
  T.ok(out:find(text, 1, true), (what or text) .. " in the output:\n" .. out)
end

-- A strict RFC 4180 reader: the header and the records as maps.
local function read_csv(path)
  local text, rows, row, field, i = T.read(path), {}, {}, {}, 1
  local function end_field()
    row[#row + 1] = table.concat(field)
    field = {}
  end
  local function end_row()
    end_field()
    rows[#rows + 1] = row
    row = {}
  end
  while i <= #text do
    local c = text:sub(i, i)
    if c == '"' then
      T.ok(#field == 0, path .. ": a quote inside an unquoted field")
      local j = i + 1
      while true do
        local q = text:find('"', j, true)
        T.ok(q, path .. ": unterminated quoted field")
        if text:sub(q + 1, q + 1) == '"' then
          field[#field + 1] = text:sub(j, q)
          j = q + 2
        else
          field[#field + 1] = text:sub(j, q - 1)
          i = q + 1
          break
        end
      end
    elseif c == "," then end_field(); i = i + 1
    elseif text:sub(i, i + 1) == "\r\n" then end_row(); i = i + 2
    elseif c == "\n" then end_row(); i = i + 1
    else
      local j = text:find('[,\r\n"]', i) or #text + 1
      field[#field + 1] = text:sub(i, j - 1)
      i = j
    end
  end
  if #field > 0 or #row > 0 then end_row() end
  local header, records = rows[1], {}
  for r = 2, #rows do
    T.eq(#rows[r], #header, path .. " row " .. r .. " fields")
    local rec = {}
    for k, name in ipairs(header) do rec[name] = rows[r][k] end
    records[#records + 1] = rec
  end
  return header, records
end

local sample = lector.load("scripts/corpus", {ext = "txt", quiet = true})

-- The sample corpus's most positive and most negative sentence, found
-- by scoring every sentence here.
local function extreme_sentences()
  local best, worst = {compound = -2}, {compound = 2}
  for doc in sample:each() do
    for _, s in ipairs(sentiment.sentences(doc)) do
      local this = {doc = doc.id, compound = s.compound}
      if s.compound > best.compound then best = this end
      if s.compound < worst.compound then worst = this end
    end
  end
  return best, worst
end

-- The lines of text after the line holding title.
local function section(out, title)
  local at = out:find(title, 1, true)
  T.ok(at, "section '" .. title .. "':\n" .. out)
  return out:sub(at)
end

local tests = {}

function tests.sample_terminal()
  local out, code = run()
  T.eq(code, 0, "exit status: " .. out)
  T.eq(#sample, 19, "sample articles")
  has(out, "Corpus: scripts/corpus (the sample corpus)")
  has(out, "19 documents, 29.1 KB of text")
  has(out, "Dates: 2026-05-03 to 2026-08-27 (1 undated)")
  -- Documents and sentiment per month: documents, sentences, compound.
  local months = section(out, "Documents and sentiment per month")
  -- (scores from tests/fixtures/sentiment/news_lexicon.txt, which ctest
  -- names in LECTOR_VADER_LEXICON)
  T.ok(months:find("\n2026%-05%s+5%s+%S+%s+73%s+%-0%.017%s+15%%%s+21%%"),
    "May row")
  T.ok(months:find("\n2026%-06%s+4%s+%S+%s+63%s+%-0%.111"), "June row")
  T.ok(months:find("\n2026%-08%s+4%s"), "August row")

  -- "said" and "tram line", counted here with patterns on the raw text.
  local said, tram_line = 0, 0
  for doc in sample:each() do
    local text = doc.text:lower()
    for _ in text:gmatch("%f[%w]said%f[%W]") do said = said + 1 end
    for _ in text:gmatch("%f[%w]tram line%f[%W]") do
      tram_line = tram_line + 1
    end
  end
  T.ok(section(out, "Top words"):find("\nword%s+count%s+documents\nsaid%s+"
    .. said .. "%s+18\n"), "top word 'said' x" .. said)
  T.ok(section(out, "Top bigrams"):find("\nbigram%s+count%s+documents\n"
    .. "tram line%s+" .. tram_line .. "%s+5\n"), "top bigram 'tram line'")
  T.ok(section(out, "Collocations (log-likelihood, seen 3 times or more)")
    :find("\ntram line%s+16%s+147%.3\n"), "top collocation")
  -- No stop word among the top words.
  for _, w in ipairs({"the", "and", "of", "to"}) do
    T.ok(not section(out, "Top words"):find("\n" .. w .. " ", 1, true),
      "stop word " .. w)
  end

  -- Sentiment per document, in date order, the undated one last.
  local docs = section(out, "Sentiment per document")
  T.ok(docs:find("\n2026%-06%-25%s+%-0%.180%s+Farmers drive tractors"),
    "a document row")
  T.ok(docs:find("\n%(no date%)%s+%+0%.026%s+The tram line: what you need to "
    .. "know"), "the undated article")
  T.ok(docs:find("2026-05-03", 1, true) < docs:find("2026-08-27", 1, true),
    "date order")

  -- The extreme sentences: the first of each list is the corpus's
  -- extreme (every sample document is searched).
  local best, worst = extreme_sentences()
  T.ok(section(out, "Most positive sentences"):find(string.format(
    "\n%+.3f  %s (sentence ", best.compound, best.doc), 1, true),
    "most positive sentence " .. best.doc)
  T.ok(section(out, "Most negative sentences"):find(string.format(
    "\n%+.3f  %s (sentence ", worst.compound, worst.doc), 1, true),
    "most negative sentence " .. worst.doc)
  T.eq(worst.doc, "river/2026-06-12-flood-meeting-anger.txt",
    "the angriest article")

  -- Keyness of August against the rest.
  local key = section(out, "What is distinctive about 2026-08 (4 documents) "
    .. "against the rest (15)")
  T.ok(key:find("\nword%s+2026%-08%s+rest%s+llr\naway%s+3%s+0%s+8%.9\n"),
    "keyness row")

  -- The default term in context: "tram" ("said" is in 18 of 19).
  local kwic = section(out, '"tram" in context (the first 10)')
  T.ok(kwic:find("backs  tram  line extension", 1, true), "a concordance line")
  local lines = 0
  for line in kwic:gmatch("[^\n]+") do
    if line:find("  [Tt]ram  ") then lines = lines + 1 end
  end
  T.eq(lines, 10, "concordance lines")
end

function tests.options_top_and_term()
  local out, code = run({"--top", "3", "--term", "flood defences"})
  T.eq(code, 0, "exit status: " .. out)
  local words = section(out, "Top words"):match("^.-\n\n")
  T.ok(words:find("\nsaid ") and words:find("\nflood ")
    and not words:find("\nline "), "three words:\n" .. words)
  has(out, '"flood defences" in context (the first 3)')
  has(out, "  flood defences  ")
end

function tests.sample_json()
  local out, code = run({"--json"}, true)
  T.eq(code, 0, "exit status")
  local r = cjson.decode(out)
  T.eq(r.corpus.documents, 19, "corpus.documents")
  T.eq(r.corpus.path, "scripts/corpus", "corpus.path")
  T.eq(r.corpus.sample, true, "corpus.sample")
  T.eq(r.corpus.undated, 1, "corpus.undated")
  T.eq(r.corpus.first_date, "2026-05-03", "first date")
  T.eq(r.corpus.last_date, "2026-08-27", "last date")
  T.eq(#r.documents, 19, "documents")
  for _, d in ipairs(r.documents) do
    T.ok(type(d.id) == "string" and type(d.compound) == "number"
      and type(d.sentences) == "number", "fields of " .. tostring(d.id))
  end
  T.eq(#r.months, 4, "months")
  T.eq(r.months[1].month, "2026-05", "first month")
  T.eq(r.months[1].documents, 5, "documents in May")
  T.eq(r.words[1].gram, "said", "top word")
  T.eq(r.words[1].count, 71, "its count")
  T.eq(r.bigrams[1].gram, "tram line", "top bigram")
  T.eq(r.collocations[1].gram, "tram line", "top collocation")
  T.eq(r.keyness.month, "2026-08", "keyness month")
  T.eq(r.keyness.reference_documents, 15, "reference documents")
  T.eq(r.keyness.words[1].gram, "away", "top key word")
  T.eq(r.sentences.most_negative[1].doc,
    "river/2026-06-12-flood-meeting-anger.txt", "most negative sentence")
  T.ok(r.sentences.most_positive[1].compound > 0.8, "most positive compound")
  T.eq(r.kwic.term, "tram", "concordance term")
  T.eq(#r.kwic.rows, 10, "concordance rows")
  T.eq(r.kwic.rows[1].match:lower(), "tram", "concordance match")
end

function tests.sample_csv()
  local dir = T.tmpdir() .. "/made/here"        -- made with its parents
  local out, code = run({"--csv", dir})
  T.eq(code, 0, "exit status: " .. out)
  has(out, "Top words", "the terminal report too")

  local header, docs = read_csv(dir .. "/documents.csv")
  T.eq(table.concat(header, ","), "id,path,date,title,bytes,sentences,"
    .. "compound,pos_share,neu_share,neg_share", "documents.csv columns")
  T.eq(#docs, #sample, "one row per document")
  local by_id, sentences = {}, 0
  for _, d in ipairs(docs) do
    by_id[d.id] = d
    T.ok(tonumber(d.compound) and tonumber(d.bytes) and math.tointeger(
      tonumber(d.sentences)), "numbers in " .. d.id)
    sentences = sentences + tonumber(d.sentences)
  end
  local banks = by_id["river/2026-05-09-avel-bursts-banks.txt"]
  T.eq(banks.title, "River Avel bursts its banks as 1,200 homes are "
    .. "evacuated in Marrowford", "a title with a comma")
  T.eq(banks.date, "2026-05-09", "a date")
  T.eq(by_id["tram/tram-line-questions.txt"].date, "", "no date: empty")

  header, docs = read_csv(dir .. "/months.csv")
  T.eq(header[1] .. "," .. header[2], "month,documents", "months.csv columns")
  T.eq(#docs, 4, "one row per month")

  local grams
  header, grams = read_csv(dir .. "/ngrams.csv")
  T.eq(table.concat(header, ","), "gram,n,count,df", "ngrams.csv columns")
  T.eq(#grams, #ngram.count(sample, {n = {1, 2}, stopwords = true}),
    "one row per n-gram")
  local found
  for _, g in ipairs(grams) do
    if g.gram == "tram line" then found = g end
  end
  T.ok(found and found.n == "2" and found.count == "16" and found.df == "5",
    "the 'tram line' row")

  local key
  header, key = read_csv(dir .. "/keyness.csv")
  T.eq(table.concat(header, ","), "word,count,ref_count,llr,log_ratio",
    "keyness.csv columns")
  T.eq(key[1].word, "away", "top key word")

  -- Every sentence, its text read back exactly (quotes, commas).
  local rows
  header, rows = read_csv(dir .. "/sentences.csv")
  T.eq(table.concat(header, ","), "doc,sentence,offset,compound,pos,neu,neg,"
    .. "text", "sentences.csv columns")
  T.eq(#rows, sentences, "one row per sentence")
  local k = 0
  for doc in sample:each() do
    for i, s in ipairs(sentiment.sentences(doc)) do
      k = k + 1
      T.eq(rows[k].doc, doc.id, "sentence row " .. k)
      T.eq(tonumber(rows[k].sentence), i, "sentence index " .. k)
      T.eq(tonumber(rows[k].offset), s.offset, "offset " .. k)
      T.eq(rows[k].text, s.text, "text " .. k)
      T.ok(math.abs(tonumber(rows[k].compound) - s.compound) < 1e-9,
        "compound " .. k)
    end
  end
end

function tests.sample_html()
  local path = T.tmpdir() .. "/report.html"
  local out, code = run({"--html", path})
  T.eq(code, 0, "exit status: " .. out)
  local page = T.read(path)
  T.ok(page:find("^<!DOCTYPE html>"), "a page")
  local svgs = 0
  for _ in page:gmatch("<svg ") do svgs = svgs + 1 end
  T.eq(svgs, 5, "charts: documents, sentiment, words, bigrams, keyness")
  T.ok(page:find("<polyline", 1, true), "the sentiment line")
  T.ok(not page:find("https?://"), "no network reference")
  T.ok(not page:find("<script", 1, true), "no script")
  T.ok(page:find(">tram line</text>", 1, true), "a bigram bar label")
  T.ok(page:find("St Aldric&#39;s church hall", 1, true), "escaped text")
  T.ok(page:find('<td class="left">', 1, true), "the concordance")
end

function tests.no_dates_and_one_month()
  local dir = T.tmpdir()
  T.write(dir .. "/a.txt", "Ducks on the pond\nThe ducks were happy.\n")
  T.write(dir .. "/b.txt", "Geese on the lake\nThe geese were angry.\n")
  local out, code = run({dir})
  T.eq(code, 0, "exit status: " .. out)
  has(out, "Dates: none found, so no per-month figures or keyness")
  T.ok(not out:find("per month", 1, true), "no month section")
  T.ok(not out:find("distinctive", 1, true), "no keyness")
  has(out, "Top words")
  local r = cjson.decode((run({dir, "--json"}, true)))
  T.eq(r.months, nil, "no months in JSON")
  T.eq(r.keyness, nil, "no keyness in JSON")
  out, code = run({dir, "--csv", dir .. "/csv", "--term", "swans"})
  T.eq(code, 0, "exit status with --csv: " .. out)
  has(out, '"swans" in context (0 in all)')
  T.ok(out:find("%-\n%(no match%)\n$"), "no match")
  local _, docs = read_csv(dir .. "/csv/documents.csv")
  T.eq(#docs, 2, "documents.csv rows")
  T.eq(docs[1].date, "", "no date")
  T.ok(not lfs.attributes(dir .. "/csv/months.csv"), "no months.csv")
  T.ok(not lfs.attributes(dir .. "/csv/keyness.csv"), "no keyness.csv")
  T.ok(lfs.attributes(dir .. "/csv/ngrams.csv"), "ngrams.csv")

  T.write(dir .. "/a.txt", " date 2026-03-02 Ducks on the pond\nThe ducks.\n")
  T.write(dir .. "/b.txt", " date 2026-03-09 Geese on the lake\nThe geese.\n")
  out, code = run({dir})
  T.eq(code, 0, "exit status: " .. out)
  has(out, "Only one month (2026-03): no keyness against other months.")
end

function tests.fixture_corpus()
  local out, code = run({T.fixtures("articles")})
  T.eq(code, 0, "exit status: " .. out)
  has(out, "6 documents")
  has(out, "Harbour reopens after the storm")
  has(out, "No month has 3 documents or more, too few for keyness: 2025-04 "
    .. "(1 document)")                    -- issue 14: no keyness on one doc
end

function tests.errors()
  local out, code = run({"/nonexistent/folder"})
  T.eq(code, 1, "missing folder")
  has(out, "/nonexistent/folder: No such file or directory")
  T.ok(not out:find("traceback", 1, true), "no traceback")

  local dir = T.tmpdir()
  lfs.mkdir(dir .. "/empty")
  out, code = run({dir .. "/empty"})
  T.eq(code, 1, "empty folder")
  has(out, "no documents in " .. dir .. "/empty")

  -- Paths under a regular file cannot be made, even by root.
  T.write(dir .. "/file", "x")
  out, code = run({"--html", dir .. "/file/report.html"})
  T.eq(code, 1, "unwritable --html")
  has(out, dir .. "/file/report.html")
  out, code = run({"--csv", dir .. "/file/csv"})
  T.eq(code, 1, "unwritable --csv")
  has(out, dir .. "/file/csv")
  out, code = run({"--csv", dir .. "/file"})
  T.eq(code, 1, "--csv naming a file")
  has(out, dir .. "/file")

  out, code = run({"--bogus"})
  T.eq(code, 2, "unknown option")
  has(out, "--bogus")
  out, code = run({"--top", "0"})
  T.eq(code, 2, "--top 0")
  has(out, "--top")
  out, code = run({"--term", "!!!"})
  T.eq(code, 1, "a term without a word")
  has(out, "--term")
end

-- Issue 12 item 23: without the default lexicon the report prints
-- everything but sentiment, with one line saying why; --json, --csv and
-- --html leave their sentiment parts out.  LECTOR_VADER_LEXICON naming a
-- missing file stands for a build without npm.
function tests.without_the_default_lexicon()
  local dir = T.tmpdir()
  local function run_without(args)
    local words = {}
    for i, a in ipairs(args) do words[i] = quote(a) end
    local p = assert(io.popen("LECTOR_VADER_LEXICON=" .. quote(dir ..
      "/none.txt") .. " " .. bin .. " scripts/report.lua "
      .. table.concat(words, " ") .. " 2>" .. quote(dir .. "/err")))
    local out = p:read("a")
    local ok, _, code = p:close()
    return out, ok and 0 or code, T.read(dir .. "/err")
  end
  local why = "Sentiment left out: the default VADER lexicon is missing (no "
    .. "file " .. dir .. "/none.txt)"
  local out, code, err = run_without({})
  T.eq(code, 0, "exit status: " .. out .. err)
  has(out, why)
  local n = 0
  for _ in out:gmatch("Sentiment left out") do n = n + 1 end
  T.eq(n, 1, "one line")
  T.eq(err, "", "nothing on stderr")
  has(out, "19 documents, 29.1 KB of text")
  local may = out:match("\n(2026%-05[^\n]*)")
  T.ok(may and may:find("^2026%-05%s+5%s+█") and not may:find("%d%%"),
    "May row without sentiment: " .. tostring(may))
  has(out, "Top bigrams")
  has(out, "What is distinctive about 2026-08")
  has(out, '"tram" in context')
  for _, gone in ipairs({"compound", "Most positive", "Sentiment per"}) do
    T.ok(not out:find(gone, 1, true), gone .. " left out:\n" .. out)
  end

  out, code, err = run_without({"--json", "--csv", dir .. "/csv", "--html",
    dir .. "/r.html"})
  T.eq(code, 0, "exit status: " .. err)
  has(err, why, "stderr says why")
  local r = cjson.decode(out)
  T.ok(r.sentiment_missing:find(why, 1, true), "json says why")
  T.eq(r.sentences, nil, "no extreme sentences")
  T.eq(r.documents[1].compound, nil, "no compound")
  T.eq(r.months[1].documents, 5, "months still counted")
  T.eq(r.words[1].gram, "said", "words")
  local header, docs = read_csv(dir .. "/csv/documents.csv")
  T.eq(table.concat(header, ","), "id,path,date,title,bytes", "documents.csv")
  T.eq(#docs, 19, "documents.csv rows")
  header = read_csv(dir .. "/csv/months.csv")
  T.eq(table.concat(header, ","), "month,documents", "months.csv")
  T.ok(lfs.attributes(dir .. "/csv/ngrams.csv"), "ngrams.csv")
  T.ok(lfs.attributes(dir .. "/csv/keyness.csv"), "keyness.csv")
  T.eq(lfs.attributes(dir .. "/csv/sentences.csv"), nil, "no sentences.csv")
  local page = T.read(dir .. "/r.html")
  T.ok(page:find("Sentiment left out", 1, true), "the page says why")
  T.ok(not page:find("<polyline", 1, true), "no sentiment line")
  T.ok(page:find(">tram line</text>", 1, true), "bigrams charted")
end

-- An output path is checked before the work without touching the file
-- there; a report that fails leaves it as it was.
function tests.previous_output_kept_on_failure()
  local dir = T.tmpdir()
  T.write(dir .. "/r.html", "OLD")
  local out, code = run({"--html", dir .. "/r.html", "--term", "!!!"})
  T.eq(code, 1, "failing report: " .. out)
  T.eq(T.read(dir .. "/r.html"), "OLD", "previous page intact")
  local left = {}
  for f in lfs.dir(dir) do
    if f ~= "." and f ~= ".." then left[#left + 1] = f end
  end
  T.eq(table.concat(left, " "), "r.html", "no temporary left behind")
end

-- The shared corpora: real sizes, warnings, many months, few dates.
-- Without them this test passes empty (T.skip would hide the others).
function tests.shared_corpora()
  local su, abc = T.shared("state_union"), T.shared("abc")
  if not su or not abc then
    print("(../shared/corpora is absent: not tested on them)")
    return
  end
  local out, code = run({su})
  T.eq(code, 0, "exit status: " .. out)
  has(out, "66 documents")
  has(out, "Documents and sentiment per decade")
  T.ok(out:find("\n1990s%s+11%s"), "the 1990s row")
  has(out, "6 files had problems (listed on stderr)")
  has(out, "not valid UTF-8", "the warnings on stderr")
  T.ok(section(out, "Top bigrams"):find("\nunited states%s+%d+"), "top bigram")
  has(out, "No month has 3 documents or more, too few for keyness: 2006-01 "
    .. "(1 document)")                    -- issue 14: no keyness on one doc

  local dir = T.tmpdir()
  out, code = run({abc, "--csv", dir, "--html", dir .. "/abc.html"})
  T.eq(code, 0, "exit status: " .. out)
  has(out, "3190 documents")
  has(out, "The 10 most positive of 3190 documents:")
  has(out, "(sentences searched in the 50 documents with the highest and "
    .. "lowest mean compound)")
  local _, docs = read_csv(dir .. "/documents.csv")
  T.eq(#docs, 3190, "documents.csv rows")
  local lowest = math.huge
  for _, d in ipairs(docs) do lowest = math.min(lowest, tonumber(d.compound)) end
  local first = section(out, "The 10 most negative:")
    :match("\ndate[^\n]*\n([^\n]*)")
  T.ok(first:find(string.format(" %+.3f ", lowest), 1, true),
    "the most negative document first: " .. first)
  T.ok(T.read(dir .. "/abc.html"):find("<svg ", 1, true), "HTML charts")
  local r = cjson.decode((run({su, "--json"}, true)))
  T.eq(#r.documents, 66, "JSON documents")
  T.eq(r.bigrams[1].gram, "united states", "JSON top bigram")
end

-- Issue 16: collocates of the term, as ngram.collocates gives them.
function tests.collocates_of_the_term()
  local r = cjson.decode((run({"--json", "--term", "tram"}, true)))
  local ngram = require "lector.ngram"
  local want = ngram.collocates(lector.load("scripts/corpus", {quiet = true}), "tram",
    {span = {4, 4}, measure = "logdice", min_count = 2, stopwords = true})
  T.ok(r.collocates and #r.collocates > 0, "a collocates section")
  T.eq(#r.collocates, math.min(#want, 10), "the top 10 (--top)")
  for i, x in ipairs(r.collocates) do
    T.eq(x.word, want[i].word, "word " .. i)
    T.eq(x.count, want[i].count, "count of " .. x.word)
    T.eq(x.left + x.right, x.count, "left + right")
  end
  T.eq(r.collocates[1].word, "line", "tram line")
  local out = run({"--term", "tram"}, true)
  T.ok(out:find('Collocates of "tram"', 1, true), "in the terminal report")
end

T.run(tests)
