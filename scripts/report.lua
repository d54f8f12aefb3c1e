-- report.lua: the main report on a corpus.
-- usage: lector scripts/report.lua [CORPUS] [--top N] [--term WORD]
--                                  [--html OUT.html] [--csv DIR] [--json]
--                                  [--clean]
-- (default: the sample corpus in scripts/corpus)
--
-- Sections: the corpus's size and dates; documents and sentiment per month;
-- the top words and bigrams (stop words left out) and collocations;
-- sentiment per document with the most positive and negative sentences;
-- what is distinctive about the most recent month of KEYNESS_MIN_DOCS
-- documents or more (keyness; smaller months are named, not used); and a
-- word in context.  Documents dated from a dateline in their text (not a
-- header, front matter or a date column) are counted and named.
--
-- CORPUS may be a folder, a file, or a table file (news.csv, .tsv,
-- .jsonl, gzip'd too: one document per row); --format, --text, --id and
-- --date are lector.load's options of the same names.  --html writes the same as one self-contained page with
-- charts, --csv tidy tables for R or pandas, --json the data as JSON.
-- --clean reports on the corpus cleaned by the clean plugin (clean.apply:
-- boilerplate lines removed, near-duplicates dropped, glued words split),
-- with a section on what cleaning removed.
--
-- The work is done by a few plugin calls, each a pass over the corpus in
-- C on all cores (sentiment.corpus, ngram.count); Lua only arranges what
-- they return, so a large corpus costs what the plugins cost.

local cli = require "lib.cli"
local html = require "lib.html"
local lfs = require "lfs"
local ngram = require "lector.ngram"
local sentiment = require "lector.sentiment"

local o, args = cli.parse(arg, {
  usage = "lector scripts/report.lua [CORPUS] [options]",
  about = "The main report on a corpus (default: the sample corpus).",
  options = {
    {"html", "FILE", "also write a self-contained HTML report"},
    {"csv", "DIR", "also write tidy CSV files into DIR (made if missing)"},
    {"top", "N", "rows per table", default = 10, min = 1},
    {"term", "WORD", "the word shown in context (default: a top word)"},
    {"format", "FMT", "auto (by extension), text, csv, tsv or jsonl",
      choices = {"auto", "text", "csv", "tsv", "jsonl"}},
    {"text", "COLUMN", "tables: the column holding the text"},
    {"id", "COLUMN", "tables: the column holding the document id"},
    {"date", "COLUMN", "tables: the column holding the date"},
    {"clean", nil, "clean the corpus first: boilerplate lines, "
      .. "near-duplicates, glued words (the clean plugin)"},
  }})

-- Documents searched for the most positive and negative sentences (see
-- extreme_sentences), sentences shown of each, and the months shown
-- before they become years.
local CANDIDATES = 25
local SENTENCES = 5
local MAX_ROWS = 24
-- The fewest documents a month needs for a keyness section (a "month" of
-- one document is that document, not the month), months named when
-- left out, and documents named as dated from their text.
local KEYNESS_MIN_DOCS = 3
local NAMED_MONTHS = 5
local NAMED_TEXT_DATES = 10

local fail = cli.fail

------------------------------------------------------------------------
-- Input and output paths, checked before the work starts.

-- The corpus at path (nil: the sample corpus), and its path.  A missing
-- or empty folder is an error naming it.
local function load_corpus(path)
  local corpus, where = cli.corpus(path, {format = o.format, text = o.text,
    id = o.id, date = o.date})
  if #corpus == 0 then fail("no documents in %s", where) end
  return corpus, where
end

-- mkdir -p: make dir and its missing parents.
local function make_dir(dir)
  local path = dir:sub(1, 1) == "/" and "" or "."
  for part in dir:gmatch("[^/]+") do
    path = path .. "/" .. part
    if not lfs.attributes(path) then
      local ok, err = lfs.mkdir(path)
      if not ok then fail("cannot create %s: %s", dir, err) end
    end
  end
  if lfs.attributes(dir, "mode") ~= "directory" then
    fail("cannot create %s: a file has that name", dir)
  end
end

-- Check now that path can be written (a temporary made beside it and
-- removed), so a bad path fails before the work; the file itself is not
-- touched until the report is ready.
local function check_writable(path)
  local ok, err = pcall(function() cli.output(path):abort() end)
  if not ok then fail("%s", err) end
end

-- Sentiment needs the default VADER lexicon (fetched by the build with
-- npm).  Without it the report leaves its sentiment parts out and says
-- why in one line: nil when sentiment works.
local function sentiment_unavailable()
  local path, exists = sentiment.default_lexicon()
  if not exists then
    return string.format("Sentiment left out: the default VADER lexicon is "
      .. "missing (no file %s); see the README's sentiment section to get "
      .. "it, or set LECTOR_VADER_LEXICON", tostring(path))
  end
  local ok, err = pcall(sentiment.default)
  if not ok then
    return "Sentiment left out: " .. tostring(err):match("^[^\n]*")
  end
end

------------------------------------------------------------------------
-- The analyses.  Each returns plain tables (the JSON output as it is).

-- Sentiment of every document and month: one pass of sentiment.corpus.
-- compound is the mean VADER compound of the sentences; the shares are
-- the fractions of sentences above 0.05, between, and below -0.05.
local function sentiment_rows(corpus)
  local r = sentiment.corpus(corpus, {by = "month"})
  local docs, months = {}, {}
  for i, d in ipairs(r.docs) do
    local doc = corpus[i]
    docs[i] = {index = i, id = d.id, path = doc.path, date = d.date,
      date_source = doc.meta.date_source,
      title = d.title, bytes = doc.bytes, sentences = d.sentences,
      compound = d.compound or 0, pos_share = d.pos, neu_share = d.neu,
      neg_share = d.neg}
  end
  for i, g in ipairs(r.groups) do
    months[i] = {month = g.key, documents = g.docs, sentences = g.sentences,
      compound = g.compound or 0, pos_share = g.pos, neu_share = g.neu,
      neg_share = g.neg}
  end
  return docs, months
end

-- The same rows without sentiment: documents and months from the corpus.
local function plain_rows(corpus)
  local docs, months, by_month = {}, {}, {}
  for i = 1, #corpus do
    local doc = corpus[i]
    docs[i] = {index = i, id = doc.id, path = doc.path, date = doc.date,
      date_source = doc.meta.date_source, title = doc.title,
      bytes = doc.bytes}
    local m = doc.month
    if m then
      if not by_month[m] then
        by_month[m] = {month = m, documents = 0}
        months[#months + 1] = by_month[m]
      end
      by_month[m].documents = by_month[m].documents + 1
    end
  end
  table.sort(months, function(a, b) return a.month < b.month end)
  return docs, months
end

local function describe(corpus, path, sample, docs)
  local first, last = corpus:dates()
  local undated, from_text, named = 0, 0, {}
  for _, d in ipairs(docs) do
    if not d.date then undated = undated + 1 end
    if d.date_source == "text" then
      from_text = from_text + 1
      if #named < NAMED_TEXT_DATES then
        named[#named + 1] = {id = d.id, date = d.date}
      end
    end
  end
  local warnings = {}
  for i, w in ipairs(corpus.warnings) do warnings[i] = tostring(w) end
  return {path = path, sample = sample, documents = #corpus,
    bytes = corpus:bytes(), first_date = first, last_date = last,
    undated = undated, warnings = #warnings > 0 and warnings or nil,
    dated_from_text = from_text,
    text_dated = #named > 0 and named or nil}
end

-- The month keyness is about: the most recent one with KEYNESS_MIN_DOCS
-- documents or more (nil when none has), and the more recent months left
-- out for having fewer, latest first.
local function keyness_month(months)
  local left_out = {}
  for i = #months, 1, -1 do
    local m = months[i]
    if m.documents >= KEYNESS_MIN_DOCS then return m, left_out end
    left_out[#left_out + 1] = {month = m.month, documents = m.documents}
  end
  return nil, left_out
end

-- Words and bigrams, stop words left out, in one ngram.count pass.  With
-- two months or more, the keyness month and the rest are counted apart
-- and then merged into the whole corpus's table.  Returns the whole
-- table, the keyness rows (or nil): the top ones, or all of them when csv
-- (for keyness.csv), the keyness month, and the months left out.
local function count_grams(corpus, months, csv)
  local opts = {n = {1, 2}, stopwords = true}
  if #months < 2 then return ngram.count(corpus, opts) end
  local target, left_out = keyness_month(months)
  if not target then return ngram.count(corpus, opts), nil, nil, left_out end
  local recent = target.month
  opts.by = function(doc)
    return doc.month == recent and "recent" or "rest"
  end
  local parts = ngram.count(corpus, opts)
  local rows = ngram.keyness(parts.recent, parts.rest, {n = 1,
    measure = "llr", min_count = 3, top = csv and 0 or o.top})
  return parts.rest:merge(parts.recent), rows, target, left_out
end

-- The words most typical of the keyness month: those with a positive
-- (signed) log-likelihood, the strongest first.
local function keyness_summary(rows, recent, ndocs)
  local words = {}
  for _, r in ipairs(rows) do
    if #words == o.top or r.llr <= 0 then break end
    words[#words + 1] = {gram = r.gram, count = r.count,
      ref_count = r.ref_count, llr = r.llr}
  end
  return {month = recent.month, documents = recent.documents,
    reference_documents = ndocs - recent.documents,
    words = #words > 0 and words or nil}
end

-- Top collocations by log-likelihood; the least count grows with the
-- corpus (3 for the sample, about one per 100,000 bigrams beyond).
local function collocations(all)
  local min_count = math.max(3, all:total(2) // 100000)
  local rows = {}
  for i, r in ipairs(ngram.collocations(all, {measure = "llr",
      min_count = min_count, top = o.top})) do
    rows[i] = {gram = r.gram, count = r.count, llr = r.llr}
  end
  return rows, min_count
end

-- The documents from the most positive to the most negative (a copy).
local function by_compound(docs)
  local order = table.move(docs, 1, #docs, 1, {})
  table.sort(order, function(a, b)
    if a.compound ~= b.compound then return a.compound > b.compound end
    return a.index < b.index
  end)
  return order
end

-- The most positive and most negative sentences.  Scoring every sentence
-- of a large corpus from Lua would cost more than the rest of the report,
-- so they are looked for in the CANDIDATES documents with the highest
-- (and lowest) mean compound: every document of a small corpus.
local function extreme_sentences(corpus, docs)
  local order = by_compound(docs)
  local function search(first, last, step, sign)
    local found = {}
    for k = first, last, step do
      local d = order[k]
      for i, s in ipairs(sentiment.sentences(corpus[d.index])) do
        if s.compound * sign >= 0.05 then
          found[#found + 1] = {doc = d.id, date = d.date, sentence = i,
            offset = s.offset, compound = s.compound, text = s.text}
        end
      end
    end
    table.sort(found, function(a, b)
      if a.compound ~= b.compound then
        return a.compound * sign > b.compound * sign
      end
      if a.doc ~= b.doc then return a.doc < b.doc end
      return a.sentence < b.sentence
    end)
    return table.move(found, 1, math.min(#found, SENTENCES), 1, {})
  end
  local k = math.min(CANDIDATES, #order)
  return {most_positive = search(1, k, 1, 1),
    most_negative = search(#order, #order - k + 1, -1, -1),
    documents_searched = math.min(#order, 2 * k)}
end

-- The default term in context: the most frequent word found in at most
-- half the documents ("said" is in all of them and says little).
local function default_term(all, ndocs)
  for _, r in ipairs(all:top(50, 1)) do
    if r.df <= ndocs / 2 then return r.gram end
  end
  local top = all:top(1, 1)[1]
  return top and top.gram
end

-- The words most attracted to term within 4 words either side (logDice,
-- seen at least twice, stop words left out: docs/statistics.md), the top
-- o.top; nil when the term is a phrase the tokenizer splits oddly or the
-- corpus has no tokenizer.
function term_collocates(corpus, term)
  local ok, rows = pcall(ngram.collocates, corpus, term,
    {span = {4, 4}, measure = "logdice", min_count = 2, stopwords = true})
  if not ok or #rows == 0 then return nil end
  local top = {}
  for i = 1, math.min(o.top, #rows) do
    local x = rows[i]
    top[i] = {word = x.word, count = x.count, left = x.left, right = x.right,
              score = math.floor(x.score * 100 + 0.5) / 100}
  end
  return top
end

-- The first matches of term in corpus order.  ngram.kwic runs (on all
-- cores) over a slice of the documents at a time, 16 first and then four
-- times more each round, so a frequent word costs little in a large
-- corpus and a rare one no more than one pass.
local function concordance(corpus, term)
  local rows, first, size = {}, 1, 16
  while #rows < o.top and first <= #corpus do
    local last = first + size - 1
    local slice = corpus:filter(function(doc)
      return doc.index >= first and doc.index <= last
    end)
    local ok, hits = pcall(ngram.kwic, slice, term, {window = 6})
    if not ok then fail("--term %s", hits) end
    for _, r in ipairs(hits) do
      if #rows == o.top then break end
      rows[#rows + 1] = {doc = r.doc, left = r.left, match = r.match,
        right = r.right}
    end
    first, size = last + 1, size * 4
  end
  return rows
end

-- Months, or years or decades when there are too many months for one
-- screen: the documents and sentences added up, the means weighted.
-- The list's unit is "month", "year" or "decade".
local function periods(months)
  local scored = months[1] and months[1].sentences ~= nil
  local function merge(key_len, suffix)
    local out, by_key = {}, {}
    for _, m in ipairs(months) do
      local key = m.month:sub(1, key_len) .. suffix
      local p = by_key[key]
      if not p then
        p = {period = key, documents = 0, sentences = 0, compound = 0,
          pos_share = 0, neg_share = 0}
        by_key[key], out[#out + 1] = p, p
      end
      p.documents = p.documents + m.documents
      if scored then
        p.sentences = p.sentences + m.sentences
        for _, f in ipairs({"compound", "pos_share", "neg_share"}) do
          p[f] = p[f] + m[f] * m.sentences
        end
      end
    end
    for _, p in ipairs(out) do
      for _, f in ipairs({"sentences", "compound", "pos_share", "neg_share"}) do
        if not scored then
          p[f] = nil
        elseif f ~= "sentences" then
          p[f] = p.sentences > 0 and p[f] / p.sentences or 0
        end
      end
    end
    return out
  end
  local list = merge(7, "")
  list.unit = "month"
  if #list > MAX_ROWS then list = merge(4, ""); list.unit = "year" end
  if #list > MAX_ROWS then list = merge(3, "0s"); list.unit = "decade" end
  return list
end

------------------------------------------------------------------------
-- The terminal report.

local function heading(title)
  print()
  print(title)
  print(string.rep("-", utf8.len(title) or #title))
end

local function kb(bytes)
  if bytes >= 1024 * 1024 then
    return string.format("%.1f MB", bytes / (1024 * 1024))
  end
  return string.format("%.1f KB", bytes / 1024)
end

local function percent(share) return math.floor(share * 100 + 0.5) end

-- Documents in date order (undated last), all of them when they fit,
-- else the most positive and the most negative.
local function documents_to_show(docs)
  if #docs <= 3 * o.top then
    local order = table.move(docs, 1, #docs, 1, {})
    table.sort(order, function(a, b)
      if (a.date or "~") ~= (b.date or "~") then
        return (a.date or "~") < (b.date or "~")
      end
      return a.index < b.index
    end)
    return order
  end
  local order = by_compound(docs)
  local negative = {}
  for i = #order, #order - o.top + 1, -1 do
    negative[#negative + 1] = order[i]
  end
  return table.move(order, 1, o.top, 1, {}), negative
end

local print_sentiment, print_rest, left_out_note

local function print_report(r, view)
  local c = r.corpus
  print("Corpus: " .. c.path .. (c.sample and " (the sample corpus)" or ""))
  print(string.format("%s, %s of text", cli.plural(c.documents, "document"),
    kb(c.bytes)))
  if c.first_date then
    print(string.format("Dates: %s to %s (%d undated)", c.first_date,
      c.last_date, c.undated))
  else
    print("Dates: none found, so no per-month figures or keyness")
  end
  if c.dated_from_text > 0 then
    print(string.format("%s dated from a dateline in %s text:",
      cli.plural(c.dated_from_text, "document"),
      c.dated_from_text == 1 and "its" or "their"))
    for _, d in ipairs(c.text_dated) do
      print(string.format("  %s  %s", d.date, d.id))
    end
    if c.dated_from_text > #c.text_dated then
      print(string.format("  (and %d more)", c.dated_from_text - #c.text_dated))
    end
  end
  if c.warnings then
    print(string.format("%d files had problems (listed on stderr)",
      #c.warnings))
  end
  if r.sentiment_missing then print(r.sentiment_missing) end

  if view and r.sentences then
    heading("Documents and sentiment per " .. view.unit)
    local most = 0
    for _, p in ipairs(view) do most = math.max(most, p.documents) end
    for _, p in ipairs(view) do
      p.bar = string.rep("█", math.ceil(20 * p.documents / most))
      p.pos, p.neg = percent(p.pos_share), percent(p.neg_share)
    end
    cli.table(view, {{key = "period", title = view.unit},
      {key = "documents", title = "docs"}, {key = "bar", title = ""},
      {key = "sentences", title = "sentences"},
      {key = "compound", title = "compound", fmt = "%+.3f"},
      {key = "pos", title = "positive", fmt = "%d%%"},
      {key = "neg", title = "negative", fmt = "%d%%"}})
  elseif view then
    heading("Documents per " .. view.unit)
    local most = 0
    for _, p in ipairs(view) do most = math.max(most, p.documents) end
    for _, p in ipairs(view) do
      p.bar = string.rep("█", math.ceil(20 * p.documents / most))
    end
    cli.table(view, {{key = "period", title = view.unit},
      {key = "documents", title = "docs"}, {key = "bar", title = ""}})
  end

  heading("Top words (stop words left out)")
  cli.table(r.words, {{key = "gram", title = "word", width = 30},
    {key = "count", title = "count"}, {key = "df", title = "documents"}})
  heading("Top bigrams")
  cli.table(r.bigrams, {{key = "gram", title = "bigram", width = 40},
    {key = "count", title = "count"}, {key = "df", title = "documents"}})
  heading(string.format("Collocations (log-likelihood, seen %d times or more)",
    r.collocation_min_count))
  cli.table(r.collocations, {{key = "gram", title = "bigram", width = 40},
    {key = "count", title = "count"},
    {key = "llr", title = "llr", fmt = "%.1f"}})

  if r.sentences then print_sentiment(r) end
  print_rest(r)
end

-- The terminal report's sentiment per document and extreme sentences.
function print_sentiment(r)
  heading("Sentiment per document (mean compound of its sentences)")
  local shown, negative = documents_to_show(r.documents)
  local function show(list)
    local rows = {}
    for i, d in ipairs(list) do
      rows[i] = {date = d.date or "(no date)", compound = d.compound,
        title = d.title}
    end
    cli.table(rows, {{key = "date", title = "date"},
      {key = "compound", title = "compound", fmt = "%+.3f"},
      {key = "title", title = "title", width = 60}})
  end
  if negative then
    print(string.format("The %d most positive of %d documents:", o.top,
      #r.documents))
    show(shown)
    print(string.format("\nThe %d most negative:", o.top))
    show(negative)
  else
    show(shown)
  end

  local s = r.sentences
  for _, side in ipairs({{"Most positive sentences", s.most_positive},
                         {"Most negative sentences", s.most_negative}}) do
    heading(side[1])
    for _, x in ipairs(side[2]) do
      print(string.format("%+.3f  %s (sentence %d)", x.compound, x.doc,
        x.sentence))
      print("        " .. cli.clip(x.text:gsub("%s+", " "), 110))
    end
    if #side[2] == 0 then print("(none)") end
  end
  if s.documents_searched < #r.documents then
    print(string.format("\n(sentences searched in the %d documents with the "
      .. "highest and lowest mean compound)", s.documents_searched))
  end
end

-- Why months were left out of keyness, in one sentence.
function left_out_note(l)
  local names = {}
  for i = 1, math.min(#l.months, NAMED_MONTHS) do
    local m = l.months[i]
    names[i] = string.format("%s (%s)", m.month,
      cli.plural(m.documents, "document"))
  end
  if #l.months > NAMED_MONTHS then
    names[#names + 1] = string.format("and %d more", #l.months - NAMED_MONTHS)
  end
  if l.chosen then
    return string.format("Later months left out of keyness (fewer than %d "
      .. "documents each): %s.", l.min_documents, table.concat(names, ", "))
  end
  return string.format("No month has %d documents or more, too few for "
    .. "keyness: %s.", l.min_documents, table.concat(names, ", "))
end

-- The terminal report's keyness and concordance.
function print_rest(r)

  local k = r.keyness
  if k then
    heading(string.format("What is distinctive about %s (%s) against the "
      .. "rest (%d)", k.month, cli.plural(k.documents, "document"),
      k.reference_documents))
    if k.words then
      cli.table(k.words, {{key = "gram", title = "word", width = 30},
        {key = "count", title = k.month}, {key = "ref_count", title = "rest"},
        {key = "llr", title = "llr", fmt = "%.1f"}})
    else
      print("(no word stands out)")
    end
    if r.keyness_left_out then print(left_out_note(r.keyness_left_out)) end
  elseif r.keyness_left_out then
    heading("Keyness")
    print(left_out_note(r.keyness_left_out))
  elseif r.months then
    heading("Keyness")
    print(string.format("Only one month (%s): no keyness against other months.",
      r.months[1].month))
  end

  if r.kwic then
    local rows = r.kwic.rows or {}
    heading(string.format('"%s" in context (%s)', r.kwic.term, #rows < o.top
      and #rows .. " in all" or "the first " .. #rows))
    for _, x in ipairs(rows) do
      local left = cli.clip_left(x.left, 38)
      print(string.rep(" ", 38 - utf8.len(left)) .. left .. "  " .. x.match
        .. "  " .. cli.clip(x.right, 38))
    end
    if #rows == 0 then print("(no match)") end
  end
  if r.collocates then
    heading(string.format('Collocates of "%s" (4 words either side, logDice)',
      r.kwic.term))
    print(string.format("%-24s %6s %5s %5s %6s", "word", "count", "left", "right",
      "score"))
    for _, x in ipairs(r.collocates) do
      print(string.format("%-24s %6d %5d %5d %6.2f", cli.clip(x.word, 24), x.count,
        x.left, x.right, x.score))
    end
  end
end

------------------------------------------------------------------------
-- The HTML report (lib/html.lua makes the tables and charts).

local H = html.escape

-- The mean per month as a line, and each document as a dot (up to 2000).
local function sentiment_chart(r)
  local line, dots = {}, {}
  for i, m in ipairs(r.months) do
    line[i] = {date = m.month, y = m.compound, title = string.format(
      "%s: %+.3f (%d documents)", m.month, m.compound, m.documents)}
  end
  if r.corpus.documents - r.corpus.undated <= 2000 then
    for _, d in ipairs(r.documents) do
      if d.date then
        dots[#dots + 1] = {date = d.date, y = d.compound,
          title = string.format("%s %+.3f %s", d.date, d.compound, d.title)}
      end
    end
  end
  return html.time_chart({points = line, dots = dots,
      title = "Mean sentence compound per month"}) ..
    '\n<p class="legend"><span class="swatch" style="background:#4c78a8">'
    .. "</span>mean per month" .. (#dots > 0 and
      '<span class="swatch" style="background:#f58518"></span>one document'
      or "") .. "</p>"
end

local function signed(key)
  return function(row)
    return string.format('<span class="%s">%+.3f</span>',
      row[key] >= 0.05 and "pos" or (row[key] <= -0.05 and "neg" or ""),
      row[key])
  end
end

local function share(key)
  return function(row) return string.format("%.0f%%", 100 * row[key]) end
end

local html_sentiment, html_rest

local function html_report(r, view)
  local c = r.corpus
  local out = {}
  local function add(...)
    for _, s in ipairs({...}) do out[#out + 1] = s end
  end
  local function section(title) add("<h2>" .. H(title) .. "</h2>") end
  local function note(text) add('<p class="note">' .. H(text) .. "</p>") end

  local dates = c.first_date and string.format(", %s to %s (%d undated)",
    c.first_date, c.last_date, c.undated) or ", no dates"
  add("<h1>Corpus report</h1>", string.format(
    '<p class="lead">%s%s — %s, %s of text%s</p>', H(c.path),
    c.sample and " (the sample corpus)" or "",
    cli.plural(c.documents, "document"), kb(c.bytes), dates))
  if c.dated_from_text > 0 then
    local list = {}
    for i, d in ipairs(c.text_dated) do list[i] = d.id .. " (" .. d.date .. ")" end
    note(string.format("%s dated from a dateline in %s text: %s%s.",
      cli.plural(c.dated_from_text, "document"),
      c.dated_from_text == 1 and "its" or "their", table.concat(list, ", "),
      c.dated_from_text > #list and string.format(" and %d more",
        c.dated_from_text - #list) or ""))
  end
  if c.warnings then
    note(string.format("%d files had problems:", #c.warnings))
    add('<ul class="note">')
    for _, w in ipairs(c.warnings) do add("<li>" .. H(w) .. "</li>") end
    add("</ul>")
  end
  if r.sentiment_missing then note(r.sentiment_missing) end
  if r.cleaning then html_cleaning(r.cleaning, add, section) end

  if view and not r.sentences then
    section("Documents per " .. view.unit)
    add(html.bars(view, {label = "period", value = "documents",
      title = "Documents per " .. view.unit}))
  elseif view then
    section("Documents and sentiment per " .. view.unit)
    add(html.bars(view, {label = "period", value = "documents",
      title = "Documents per " .. view.unit}))
    section("Sentiment over time")
    add(sentiment_chart(r))
    add(html.table(view, {{key = "period", title = view.unit},
      {key = "documents", title = "documents"},
      {key = "sentences", title = "sentences"},
      {key = "compound", title = "compound", cell = signed("compound")},
      {key = "pos_share", title = "positive", cell = share("pos_share")},
      {key = "neg_share", title = "negative", cell = share("neg_share")}}))
  else
    note("No dates in this corpus: no per-month figures or keyness.")
  end

  section("Top words and bigrams (stop words left out)")
  add('<div class="grid2"><div>', html.bars(r.words, {label = "gram",
    value = "count", width = 440, title = "Top words"}), "</div><div>",
    html.bars(r.bigrams, {label = "gram", value = "count", width = 440,
    title = "Top bigrams"}), "</div></div>")
  section(string.format("Collocations (log-likelihood, seen %d times or more)",
    r.collocation_min_count))
  add(html.table(r.collocations, {{key = "gram", title = "bigram"},
    {key = "count", title = "count"},
    {key = "llr", title = "llr", fmt = "%.1f"}}))

  if r.sentences then html_sentiment(r, add, section, note) end
  html_rest(r, add, section, note)
  add("<footer>Made by Lector's scripts/report.lua.</footer>")
  return html.page("Corpus report: " .. c.path, out)
end

-- The page's sentiment per document and extreme sentences.
function html_sentiment(r, add, section, note)
  section("Sentiment per document")
  local shown, negative = documents_to_show(r.documents)
  local columns = {{key = "date", title = "date", class = "doc",
      cell = function(d) return d.date or "no date" end},
    {key = "compound", title = "compound", cell = signed("compound")},
    {key = "title", title = "title"},
    {key = "id", title = "document", class = "doc"}}
  if negative then
    note(string.format("The %d most positive and the %d most negative of %d "
      .. "documents.", o.top, o.top, #r.documents))
    add(html.table(shown, columns), html.table(negative, columns))
  else
    add(html.table(shown, columns))
  end
  local s = r.sentences
  for _, side in ipairs({{"Most positive sentences", s.most_positive},
                         {"Most negative sentences", s.most_negative}}) do
    add("<h3>" .. side[1] .. "</h3>")
    add(html.table(side[2], {{key = "compound", title = "compound",
      cell = signed("compound")}, {key = "text", title = "sentence"},
      {key = "doc", title = "document", class = "doc"}}))
  end
end

-- The page's keyness and concordance.
function html_rest(r, add, section, note)
  if r.keyness then
    local k = r.keyness
    section(string.format("What is distinctive about %s (%s) against the "
      .. "rest (%d)", k.month, cli.plural(k.documents, "document"),
      k.reference_documents))
    if k.words then
      add(html.bars(k.words, {label = "gram", value = "llr", fmt = "%.1f",
        title = "Keyness (log-likelihood) of " .. k.month}))
      add(html.table(k.words, {{key = "gram", title = "word"},
        {key = "count", title = k.month}, {key = "ref_count", title = "rest"},
        {key = "llr", title = "llr", fmt = "%.1f"}}))
    else
      note("No word stands out.")
    end
    if r.keyness_left_out then note(left_out_note(r.keyness_left_out)) end
  elseif r.keyness_left_out then
    section("Keyness")
    note(left_out_note(r.keyness_left_out))
  elseif r.months then
    section("Keyness")
    note("Only one month (" .. r.months[1].month .. "): no keyness.")
  end

  if r.kwic then
    section(string.format('"%s" in context', r.kwic.term))
    if r.kwic.rows then
      add(html.table(r.kwic.rows, {{key = "left", title = "", class = "left"},
        {key = "match", title = r.kwic.term, class = "match"},
        {key = "right", title = "", class = "right"},
        {key = "doc", title = "document", class = "doc"}}, "kwic"))
    else
      note("No match.")
    end
  end
  if r.collocates then
    section(string.format('Collocates of "%s" (4 words either side, logDice)',
      r.kwic.term))
    add(html.table(r.collocates, {{key = "word", title = "word"},
      {key = "count", title = "count"}, {key = "left", title = "left"},
      {key = "right", title = "right"}, {key = "score", title = "logDice"}},
      "collocates"))
  end
end

------------------------------------------------------------------------
-- Tidy CSV files, each written whole or not at all (cli.csv); without
-- sentiment, its columns and sentences.csv are left out.

local function write_csv(dir, r, corpus, all, keyness_rows)
  local scored = r.sentences ~= nil
  local cols = {"id", "path", "date", "title", "bytes"}
  if scored then
    table.move({"sentences", "compound", "pos_share", "neu_share",
      "neg_share"}, 1, 5, 6, cols)
  end
  do
    local w <close> = cli.csv(dir .. "/documents.csv", cols)
    for _, d in ipairs(r.documents) do
      w:row{d.id, d.path, d.date, d.title, d.bytes, d.sentences, d.compound,
        d.pos_share, d.neu_share, d.neg_share}
    end
    w:close()
  end

  if r.months then
    local w <close> = cli.csv(dir .. "/months.csv", scored and {"month",
      "documents", "sentences", "compound", "pos_share", "neu_share",
      "neg_share"} or {"month", "documents"})
    for _, m in ipairs(r.months) do
      w:row{m.month, m.documents, m.sentences, m.compound, m.pos_share,
        m.neu_share, m.neg_share}
    end
    w:close()
  end

  all:to_csv(dir .. "/ngrams.csv")          -- gram,n,count,df (in C)

  if keyness_rows then
    local w <close> = cli.csv(dir .. "/keyness.csv", {"word", "count",
      "ref_count", "llr", "log_ratio"})
    for _, k in ipairs(keyness_rows) do
      w:row{k.gram, k.count, k.ref_count, k.llr, k.log_ratio}
    end
    w:close()
  end

  if not scored then return end
  -- Every sentence's scores: one document's sentences in memory at a time.
  local w <close> = cli.csv(dir .. "/sentences.csv", {"doc", "sentence",
    "offset", "compound", "pos", "neu", "neg", "text"})
  for doc in corpus:each() do
    for i, s in ipairs(sentiment.sentences(doc)) do
      w:row{doc.id, i, s.offset, s.compound, s.pos, s.neu, s.neg, s.text}
    end
  end
  w:close()
end

-- Write the HTML page at path whole or not at all.
local function write_html(path, r, view)
  local f <close> = cli.output(path)
  f:write(html_report(r, view))
  f:commit()
end

------------------------------------------------------------------------
-- Cleaning (--clean): the corpus through clean.apply, and what it removed.

local CLEAN_LINES = 5   -- boilerplate lines shown

local function clean_corpus(corpus)
  local ok, clean = pcall(require, "lector.clean")
  if not ok then fail("--clean needs the clean plugin: %s", clean) end
  local view, s = clean.apply(corpus)
  local lines = {}
  for i = 1, math.min(CLEAN_LINES, #s.boilerplate) do
    local b = s.boilerplate[i]
    lines[i] = {line = b.line, documents = b.docs, where = b.where}
  end
  return view, {documents = s.docs, kept = s.kept, dropped = s.dropped,
    clusters = s.clusters, lines = s.lines, line_documents = s.line_docs,
    distinct_lines = #s.boilerplate, splits = s.splits,
    split_documents = s.split_docs, top_lines = lines}
end

local function print_cleaning(k)
  heading("Cleaning (--clean)")
  print(string.format("%s removed from %s (%d distinct)",
    cli.plural(k.lines, "boilerplate line"),
    cli.plural(k.line_documents, "document"), k.distinct_lines))
  for _, b in ipairs(k.top_lines) do
    print(string.format("  %5d  %-5s  %s", b.documents, b.where,
      cli.clip(b.line, 90)))
  end
  print(string.format("%s dropped as near-duplicates (%s); %d of %d kept",
    cli.plural(k.dropped, "document"), cli.plural(k.clusters, "cluster"),
    k.kept, k.documents))
  print(string.format("%s split in %s", cli.plural(k.splits, "glued word"),
    cli.plural(k.split_documents, "document")))
end

-- The page's section on what cleaning removed.
function html_cleaning(k, add, section)
  section("Cleaning (--clean)")
  add(string.format("<p>%s removed from %s (%d distinct); %s dropped as "
    .. "near-duplicates (%s), %d of %d kept; %s split in %s.</p>",
    cli.plural(k.lines, "boilerplate line"),
    cli.plural(k.line_documents, "document"), k.distinct_lines,
    cli.plural(k.dropped, "document"), cli.plural(k.clusters, "cluster"),
    k.kept, k.documents, cli.plural(k.splits, "glued word"),
    cli.plural(k.split_documents, "document")))
  if #k.top_lines > 0 then
    add(html.table(k.top_lines, {{key = "documents", title = "documents"},
      {key = "where", title = "where"}, {key = "line", title = "line"}}))
  end
end

------------------------------------------------------------------------
-- Main.

local corpus, path = load_corpus(args[1])
local cleaning
if o.clean then corpus, cleaning = clean_corpus(corpus) end
if o.html then check_writable(o.html) end
if o.csv then
  make_dir(o.csv)
  check_writable(o.csv .. "/documents.csv")
end

local r = {}
r.cleaning = cleaning
r.sentiment_missing = sentiment_unavailable()
local docs, months
if r.sentiment_missing then
  docs, months = plain_rows(corpus)
  -- the terminal report has the line; other outputs also say it on stderr
  if o.json or o.html or o.csv then
    io.stderr:write("report.lua: ", r.sentiment_missing, "\n")
  end
else
  docs, months = sentiment_rows(corpus)
end
r.corpus = describe(corpus, path, args[1] == nil, docs)
r.documents = docs
r.months = #months > 0 and months or nil
local view = r.months and periods(months)   -- months, years or decades

local all, keyness_rows, target, left_out = count_grams(corpus, months,
  o.csv)
r.words, r.bigrams = all:top(o.top, 1), all:top(o.top, 2)
r.collocations, r.collocation_min_count = collocations(all)
if keyness_rows then
  r.keyness = keyness_summary(keyness_rows, target, #corpus)
end
if left_out and #left_out > 0 then
  r.keyness_left_out = {min_documents = KEYNESS_MIN_DOCS,
    chosen = target and target.month, months = left_out}
end
if not r.sentiment_missing then r.sentences = extreme_sentences(corpus, docs) end

local term = o.term or default_term(all, #corpus)
if term then
  local rows = concordance(corpus, term)
  r.kwic = {term = term, rows = #rows > 0 and rows or nil}
  r.collocates = term_collocates(corpus, term)
end

if o.json then
  print(cli.json(r))
else
  print_report(r, view)
  if r.cleaning then print_cleaning(r.cleaning) end
end
-- A failed write (a full disk) ends the script with status 1 naming the
-- file; the file that was there before is left as it was.
local ok, err = pcall(function()
  if o.html then write_html(o.html, r, view) end
  if o.csv then write_csv(o.csv, r, corpus, all, keyness_rows) end
end)
if not ok then fail("%s", err) end
