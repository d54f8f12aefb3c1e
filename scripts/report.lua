-- report.lua: the main report on a corpus.
-- usage: lector scripts/report.lua [CORPUS_DIR]
-- (default: the sample corpus in scripts/corpus)
--
-- Prints the corpus size, the dates it covers, documents per month, and
-- each document's date and title.  Later sections (top words, bigrams,
-- sentiment) come with the tokenize, ngram and sentiment plugins.

local function script_dir()
  local src = debug.getinfo(1, "S").source
  return src:match("^@(.*)/[^/]*$") or "."
end

local path, opts = arg[1], {quiet = true}
if path == "-h" or path == "--help" then
  print("usage: lector scripts/report.lua [CORPUS_DIR]")
  return
elseif not path then  -- the sample corpus: its articles, not its README
  path, opts.ext = script_dir() .. "/corpus", "txt"
end

local corpus = lector.load(path, opts)

local function kb(bytes) return string.format("%.1f KB", bytes / 1024) end

local function rule(title)
  print()
  print(title)
  print(string.rep("-", #title))
end

print(string.format("Corpus: %s", path))
print(string.format("%d documents, %s of text", #corpus, kb(corpus:bytes())))
local first, last = corpus:dates()
local undated = #corpus:filter(function(d) return d.date == nil end)
if first then
  print(string.format("Dates: %s to %s (%d undated)", first, last, undated))
end
if #corpus.warnings > 0 then
  print(string.format("%d files had problems:", #corpus.warnings))
  for _, w in ipairs(corpus.warnings) do print("  " .. w) end
end

rule("Documents per month")
for month, docs in pairs(corpus:group_by("month")) do
  print(string.format("%-8s %3d  %s", month, #docs, string.rep("#", #docs)))
end

rule("Documents")
for doc in corpus:each() do
  local title = doc.title
  if utf8.len(title) and utf8.len(title) > 60 then
    title = title:sub(1, utf8.offset(title, 58) - 1) .. "..."
  end
  print(string.format("%-10s  %-60s  %s", doc.date or "(no date)", title,
    doc.id))
end
