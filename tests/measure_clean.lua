-- measure_clean.lua: recall and precision of the clean plugin (issue 17)
-- with damage planted in ../shared/corpora (state_union and abc), and the
-- false removals and splits on the text left untouched.  Not a test: it
-- prints figures.
--
--   build/lector tests/measure_clean.lua [SHARED_CORPORA] [SEED]
--
-- Damage, at random (fixed seed): a ticker line at the start of 20% of
-- the documents, a copyright line at the end of 20%, a tag line (six of
-- the document's own words) at the end of 10%; an edited copy (one word in
-- 100 replaced, a line added) of 5%; in 20% of the others, the
-- space between two words (letters only) removed at 3% of the places.
-- Every line and word planted is recorded, and the cleaned corpus is
-- compared with it: a removed line or a split that was not planted is a
-- false one, and on the documents with no damage of that kind every one is.
local clean = require "lector.clean"
local lfs = require "lfs"

local root = arg[1] or "../shared/corpora"
math.randomseed(tonumber(arg[2]) or 17)

local FUNCTION = {}
for w in ([[about after again against all also among an and any are around
  because been before being below between both but can could did does doing
  down during each either every few for from further had has have having her
  here hers herself him himself his how into its itself just many might more
  most much must myself near neither nor not now off once only other ought our
  ours over own same shall she should since some such than that the their
  theirs them then there these they this those though through till too under
  until upon very was were what when where whether which while who whom whose
  why will with within without would yet you your yours]]):gmatch("%a+") do
  FUNCTION[w] = true
end

local function lines_of(text)
  local t = {}
  for l in (text .. "\n"):gmatch("(.-)\r?\n") do t[#t + 1] = l end
  return t
end

local function tmpdir()
  local d = os.tmpname()
  os.remove(d)
  assert(lfs.mkdir(d))
  return d
end

local function write(path, s)
  local f = assert(io.open(path, "wb"))
  assert(f:write(s))
  assert(f:close())
end

local function rmtree(path)
  for name in lfs.dir(path) do
    if name ~= "." and name ~= ".." then os.remove(path .. "/" .. name) end
  end
  lfs.rmdir(path)
end

local function ticker()
  return string.format("HGZ %d.%02d %s By \u{25B2} %d.%02d (%d.%d%%)", math.random(5, 90),
    math.random(0, 99), math.random(2) == 1 and "Increased" or "Decreased",
    math.random(0, 3), math.random(0, 99), math.random(0, 4), math.random(0, 9))
end

local COPYRIGHT = "Copyright %d The Harbour Gazette. All rights reserved."

local function tags(text)
  local seen, out = {}, {}
  for w in text:gmatch("%a+") do
    local l = w:lower()
    if #w >= 5 and not FUNCTION[l] and not seen[l] then
      seen[l] = true
      out[#out + 1] = l:sub(1, 1):upper() .. l:sub(2)
    end
  end
  if #out < 6 then return nil end
  local pick = {}
  for _ = 1, 6 do pick[#pick + 1] = table.remove(out, math.random(#out)) end
  return table.concat(pick, " ")
end

-- One word in 100 replaced by another word of the text; a short line
-- added at the end.
local function edited(text)
  local words = {}
  for w in text:gmatch("%a+") do words[#words + 1] = w end
  local k = 0
  text = text:gsub("%a+", function(w)
    k = k + 1
    if k % 100 == 0 then return words[math.random(#words)] end
  end)
  local ls = lines_of(text)
  while #ls > 1 and ls[#ls]:match("^%s*$") do ls[#ls] = nil end
  ls[#ls + 1] = "This story was updated."
  return table.concat(ls, "\n") .. "\n"
end

-- Remove the space between two words (letters only) at rate r; never two
-- places in a row.  Returns the text and the list of {glued, a, b}.
local function glue(text, r)
  local planted, out, last = {}, {}, 0
  local prev_glued = false
  -- walk word by word so that a word glued to its left is not glued again
  local i = 1
  while true do
    local s, e, a, b = text:find("(%a+) (%a+)", i)
    if not s then break end
    local before = s > 1 and text:sub(s - 1, s - 1) or " "
    local after = text:sub(e + 1, e + 1)
    if not prev_glued and math.random() < r and not before:match("[%w%-']")
       and not after:match("[%w%-']") and #a + #b <= 40 then
      out[#out + 1] = text:sub(last + 1, s - 1) .. a .. b
      planted[#planted + 1] = {a .. b, a, b}
      last = e
      prev_glued = true
      i = e + 1
    else
      prev_glued = false
      i = s + #a + 1
    end
  end
  out[#out + 1] = text:sub(last + 1)
  return table.concat(out), planted
end

-- ------------------------------------------------------------------------
-- Build the damaged corpus

local src = {}
for _, sub in ipairs{"state_union", "abc"} do
  if lfs.attributes(root .. "/" .. sub, "mode") then src[#src + 1] = root .. "/" .. sub end
end
if #src == 0 then
  io.stderr:write("measure_clean: no corpora under ", root, "\n")
  os.exit(77)
end
local orig = lector.load(src, {quiet = true, ext = "txt"})
local dir = tmpdir()
local truth = {}          -- by file name: {lines = {[line] = true}, glued = {...}, copy_of =}
local names = {}
for i = 1, #orig do
  local text = orig[i].text
  local name = string.format("d%05d.txt", i)
  local t = {lines = {}, glued = {}, index = i}
  local ls = lines_of(text)
  while #ls > 0 and ls[#ls]:match("^%s*$") do ls[#ls] = nil end
  if math.random() < 0.2 then
    local l = ticker()
    table.insert(ls, 1, l)
    t.lines[l] = true
  end
  if math.random() < 0.2 then
    local l = string.format(COPYRIGHT, math.random(2000, 2026))
    ls[#ls + 1] = l
    t.lines[l] = true
  end
  if math.random() < 0.1 then
    local l = tags(text)
    if l then
      ls[#ls + 1] = l
      t.lines[l] = true
    end
  end
  text = table.concat(ls, "\n") .. "\n"
  if math.random() < 0.05 and #ls > 3 then
    local cname = string.format("d%05dc.txt", i)
    write(dir .. "/" .. cname, edited(text))
    local cl = {["This story was updated."] = true}  -- repeated: boilerplate too
    for l in pairs(t.lines) do cl[l] = true end
    truth[cname] = {lines = cl, glued = {}, copy_of = name, index = i}
    names[#names + 1] = cname
  elseif math.random() < 0.25 then
    text, t.glued = glue(text, 0.03)
  end
  write(dir .. "/" .. name, text)
  truth[name] = t
  names[#names + 1] = name
end

local c = lector.load(dir, {quiet = true})
io.write(string.format("corpus: %d documents from %s (%d of them edited copies)\n\n", #c,
  table.concat(src, " and "), #c - #orig))

local function now()
  local p = io.popen("date +%s.%N")
  local t = tonumber(p:read("a"))
  p:close()
  return t
end

-- ------------------------------------------------------------------------
-- Boilerplate: lines removed by clean.apply, against the lines planted

local t0, k0 = now(), os.clock()
local view = clean.apply(c, {duplicates = false, unglue = false})
local t_bp = now() - t0
local bp = {tp = 0, fp = 0, fn = 0, fp_clean = 0, clean_lines = 0, clean_docs = 0}
local examples = {}
for i = 1, #c do
  local name = c[i].id
  local t = truth[name]
  local kept = {}
  for _, l in ipairs(lines_of(view[i].text)) do kept[l] = (kept[l] or 0) + 1 end
  local untouched = next(t.lines) == nil
  if untouched then bp.clean_docs = bp.clean_docs + 1 end
  for _, l in ipairs(lines_of(c[i].text)) do
    if l:match("%S") then
      if kept[l] and kept[l] > 0 then
        kept[l] = kept[l] - 1
        if t.lines[l] then bp.fn = bp.fn + 1 end
        if untouched then bp.clean_lines = bp.clean_lines + 1 end
      elseif t.lines[l] then
        bp.tp = bp.tp + 1
      else
        bp.fp = bp.fp + 1
        if untouched then
          bp.fp_clean = bp.fp_clean + 1
          bp.clean_lines = bp.clean_lines + 1
        end
        if #examples < 5 then examples[#examples + 1] = name .. ": " .. l:sub(1, 70) end
      end
    end
  end
end
io.write(string.format([[
boilerplate (clean.apply{duplicates = false, unglue = false}: %.1f s)
  planted lines removed   %d of %d   recall    %.3f
  lines removed           %d         precision %.3f
  untouched documents     %d: %d of their %d lines removed (%.4f%%)
]], t_bp, bp.tp, bp.tp + bp.fn, bp.tp / math.max(1, bp.tp + bp.fn), bp.tp + bp.fp,
  bp.tp / math.max(1, bp.tp + bp.fp), bp.clean_docs, bp.fp_clean, bp.clean_lines,
  100 * bp.fp_clean / math.max(1, bp.clean_lines)))
for _, e in ipairs(examples) do io.write("    false: ", e, "\n") end

-- ------------------------------------------------------------------------
-- Near-duplicates: pairs (kept, member) of the clusters, against the copies

local function measure_dup(threshold)
t0 = now()
local d = clean.duplicates(c, {threshold = threshold})
local t_dup = now() - t0
local planted, found, tp = 0, 0, 0
local cluster_of = {}
for k, cl in ipairs(d) do
  for _, x in ipairs(cl.docs) do cluster_of[c[x].id] = k end
end
for name, t in pairs(truth) do
  if t.copy_of then
    planted = planted + 1
    if cluster_of[name] and cluster_of[name] == cluster_of[t.copy_of] then tp = tp + 1 end
  end
end
local fp_examples, nfp = {}, 0
for _, cl in ipairs(d) do
  local kept = c[cl.docs[1]].id
  for j = 2, #cl.docs do
    found = found + 1
    local other = c[cl.docs[j]].id
    local a, b = truth[kept], truth[other]
    if not (a.copy_of == other or b.copy_of == kept) then
      nfp = nfp + 1
      if #fp_examples < 5 then
        fp_examples[#fp_examples + 1] = string.format("%s ~ %s (%.2f)", kept, other, cl.similarity[j])
      end
    end
  end
end
local fp = nfp
io.write(string.format([[

near-duplicates (clean.duplicates, threshold %.2f: %.1f s, %d bands of %d rows, %d candidates)
  planted copies found    %d of %d   recall    %.3f
  pairs reported          %d         precision %.3f (a pair not planted is counted false)
]], threshold, t_dup, d.bands, d.rows, d.candidates, tp, planted, tp / math.max(1, planted), found,
  (found - fp) / math.max(1, found)))
for _, e in ipairs(fp_examples) do io.write("    not planted: ", e, "\n") end
return d
end

local d = measure_dup(0.8)
measure_dup(0.6)
-- how similar the planted copies are (exact, from a low threshold)
local sims = {}
for k, cl in ipairs(clean.duplicates(c, {threshold = 0.2})) do
  for j = 2, #cl.docs do sims[#sims + 1] = cl.similarity[j] end
end
table.sort(sims)
if #sims > 0 then
  io.write(string.format("  similarity of the pairs at 0.2: min %.3f, median %.3f, max %.3f\n",
    sims[1], sims[(#sims + 1) // 2], sims[#sims]))
end

-- ------------------------------------------------------------------------
-- Glued words: splits made, against the glues planted

t0 = now()
local vocab = clean.vocab(c)
local g = {tp = 0, fp = 0, planted = 0, clean_fp = 0, clean_words = 0}
local gex = {}
for i = 1, #c do
  local t = truth[c[i].id]
  local _, splits = clean.unglue(c[i], {vocab = vocab, splits = true})
  local want = {}
  for _, p in ipairs(t.glued) do
    want[p[1]] = (want[p[1]] or 0) + 1
    g.planted = g.planted + 1
  end
  for _, s in ipairs(splits) do
    local ok = want[s.word] and want[s.word] > 0
    if ok then
      for _, p in ipairs(t.glued) do
        if p[1] == s.word then ok = #s.parts == 2 and s.parts[1] == p[2] and s.parts[2] == p[3] break end
      end
    end
    if ok then
      g.tp = g.tp + 1
      want[s.word] = want[s.word] - 1
    else
      g.fp = g.fp + 1
      if #t.glued == 0 then g.clean_fp = g.clean_fp + 1 end
      if #gex < 12 then gex[#gex + 1] = s.word .. " -> " .. table.concat(s.parts, " ") end
    end
  end
end
-- the untouched originals: every split there is false
local words, orig_fp = 0, 0
for i = 1, #orig do
  local text = orig[i].text
  for _ in text:gmatch("%S+") do words = words + 1 end
  local _, s = clean.unglue(text, {vocab = vocab, splits = true})
  orig_fp = orig_fp + #s
end
local t_glue = now() - t0
io.write(string.format([[

glued words (clean.vocab of the damaged corpus, clean.unglue per document: %.1f s)
  planted glues split right  %d of %d   recall    %.3f
  splits made                %d         precision %.3f
  untouched originals        %d splits in %d words (%.2f per 10,000 words)
]], t_glue, g.tp, g.planted, g.tp / math.max(1, g.planted), g.tp + g.fp,
  g.tp / math.max(1, g.tp + g.fp), orig_fp, words, 1e4 * orig_fp / math.max(1, words)))
for _, e in ipairs(gex) do io.write("    false: ", e, "\n") end
io.write(string.format("\nCPU time in all: %.1f s\n", os.clock() - k0))
rmtree(dir)
