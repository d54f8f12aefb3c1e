-- test_pack.lua: packed corpora (issue 18, core/pack.c).  A pack loads to
-- the same documents as the files it was made from (text files, table
-- rows, gzip'd files, front matter, joined metadata, a filtered subset);
-- every damaged section, a truncated file and a foreign file named .lpk
-- are errors naming the section (the bulky TEXT, TOKS, POST and TOFF when
-- loading with check = true; damaged checkpoints when kwic uses them; a
-- pack without TOFF, as made before it, still loads and serves kwic); the
-- successor lists (NEXT, host->word_next) equal what the streams give,
-- made in one piece or in runs, and their damage is an error naming NEXT
-- and the word (a pack without NEXT loads, word_next: not found); check =
-- true names changed sources; a
-- pack never overwrites an input; a full disk is an error naming the
-- pack, the old one left whole; the token sections are there for the
-- options asked for, or not at all.
local T = require "testlib"
local ngram = require "lector.ngram"
-- host->doc_tokens and host->word_next from Lua (tests/plugins/nextwalk.c)
local nextwalk = lector.plugin("nextwalk")

local tests = {}

-- CRC-32C (Castagnoli), to forge packs whose checksums still match.
local crc_table = {}
for i = 0, 255 do
  local c = i
  for _ = 1, 8 do c = (c & 1) ~= 0 and (0x82F63B78 ~ (c >> 1)) or (c >> 1) end
  crc_table[i] = c
end
local function crc32(s)
  local c = 0xFFFFFFFF
  for i = 1, #s do c = crc_table[(c ~ s:byte(i)) & 0xFF] ~ (c >> 8) end
  return c ~ 0xFFFFFFFF
end

-- The sections of the pack bytes s: {TEXT = {off, len, entry}, ...}
-- (off 0-based; entry: 1-based position of its table entry).
local function sections(s)
  local n = string.unpack("<I4", s, 13)
  local out = {}
  for k = 0, n - 1 do
    local e = 33 + 24 * k
    local tag, crc, off, len = string.unpack("<c4I4I8I8", s, e)
    out[tag] = {off = off, len = len, entry = e, crc = crc}
  end
  return out
end

-- s with bytes at 1-based position i replaced by r.
local function patch(s, i, r) return s:sub(1, i - 1) .. r .. s:sub(i + #r) end

-- Recompute the CRC of section tag, then the header's.
local function reseal(s, tag)
  local x = sections(s)[tag]
  s = patch(s, x.entry + 4, string.pack("<I4", crc32(s:sub(x.off + 1, x.off + x.len))))
  local n = string.unpack("<I4", s, 13)
  local h = s:sub(1, 24) .. "\0\0\0\0" .. s:sub(29, 32 + 24 * n)
  return patch(s, 25, string.pack("<I4", crc32(h)))
end

local function meta_string(m)
  local keys = {}
  for k in pairs(m) do keys[#keys + 1] = k end
  table.sort(keys)
  local out = {}
  for _, k in ipairs(keys) do
    local v = m[k]
    if type(v) == "table" then v = "{" .. table.concat(v, "|") .. "}" end
    out[#out + 1] = k .. "=" .. tostring(v) .. ":" .. type(m[k])
  end
  return table.concat(out, ";")
end

-- a and b hold the same documents, field for field.
local function same(a, b, what)
  T.eq(#b, #a, what .. ": documents")
  for i = 1, #a do
    local x, y = a[i], b[i]
    local w = what .. ": " .. x.id
    T.eq(y.id, x.id, w .. ": id")
    T.eq(y.path, x.path, w .. ": path")
    T.eq(y.title, x.title, w .. ": title")
    T.eq(y.date, x.date, w .. ": date")
    T.eq(y.bytes, x.bytes, w .. ": bytes")
    T.eq(y.text, x.text, w .. ": text")
    T.eq(meta_string(y.meta), meta_string(x.meta), w .. ": meta")
  end
end

local function pack_round_trip(c, d, name)
  local out = d .. "/" .. name .. ".lpk"
  local r = lector.pack(c, out)
  T.eq(r.docs, #c, name .. ": documents packed")
  T.eq(r.skipped, 0, name .. ": none left out")
  T.eq(r.bytes, #T.read(out), name .. ": bytes reported")
  local p = lector.load(out)
  same(c, p, name)
  local want, got = d .. "/" .. name .. ".files.tsv", d .. "/" .. name .. ".pack.tsv"
  ngram.count(c, {n = {1, 2}}):save(want)
  ngram.count(p, {n = {1, 2}}):save(got)
  T.ok(T.read(want) == T.read(got), name .. ": ngram.count from the pack = from the files")
  return out, p
end

-- A folder of every kind of document the loader reads.
local function mixed()
  local d = T.tmpdir()
  local src = d .. "/src"
  assert(require("lfs").mkdir(src))
  T.write(src .. "/a.txt", " date 2020-01-02 First line\nThe body of a.\n")
  T.write(src .. "/b.txt", "---\ntags: [red, blue]\ncount: 3\nok: true\n---\n"
                           .. "Front matter\nwords and more words\n")
  T.write(src .. "/c.txt", "Caf\xe9 in Windows-1252\n")
  T.write(src .. "/t.csv", 'id,text,date\nr1,"row one, quoted",2021-05-06\n'
                           .. 'r2,"row\ntwo",2021-05-07\n')
  T.write(src .. "/g.jsonl", '{"id":"j1","text":"gzip\'d row","n":1}\n')
  T.ok(os.execute("gzip '" .. src .. "/g.jsonl'"), "gzip")
  T.write(src .. "/z.txt", "gzip'd text file\nsecond line\n")
  T.ok(os.execute("gzip '" .. src .. "/z.txt'"), "gzip")
  return d, src
end

function tests.round_trip()
  local d, src = mixed()
  local files = lector.load(src, {quiet = true})
  T.ok(#files == 7, "seven documents, got " .. #files)
  pack_round_trip(files, d, "mixed")
  pack_round_trip(lector.load("scripts/corpus", {quiet = true}), d, "sample")
  -- a filtered corpus with joined metadata packs what it shows
  local sub = files:filter(function(doc) return doc.id ~= "a.txt" end)
  sub:join({["b.txt"] = {label = "x", n = 2}}, {quiet = true})
  local _, p = pack_round_trip(sub, d, "sub")
  T.eq(p[1].meta.label, "x", "joined metadata packed")
  -- the texts come from the map: the sources may go
  local text = sub[1].text
  os.execute("rm -r '" .. src .. "'")
  T.eq(p[1].text, text, "text without its source file")
  -- group_by works on a pack
  local g = p:group_by(function(doc) return doc.id:sub(1, 1) end)
  T.ok(g.t and #g.t == 2 and g.b and #g.b == 1, "group_by on a pack")
end

function tests.detected_by_magic_and_cli()
  local d, src = mixed()
  local out = d .. "/cli.lpk"
  T.ok(os.execute(("'%s' -q --pack '%s' '%s'"):format(os.getenv("LECTOR_BIN"), src, out)),
       "lector --pack")
  local renamed = d .. "/packed.data"
  T.ok(os.rename(out, renamed), "rename")
  same(lector.load(src, {quiet = true}), lector.load(renamed), "a pack without .lpk")
  local ok = os.execute(("'%s' --pack '%s' 2>/dev/null"):format(os.getenv("LECTOR_BIN"), src))
  T.ok(not ok, "--pack without an output is misuse")
  -- a folder that cannot be loaded: its name and why, no traceback
  local p = io.popen(("'%s' --pack '%s/none' '%s/x.lpk' 2>&1"):format(
    os.getenv("LECTOR_BIN"), d, d))
  local said = p:read("a")
  T.ok(not p:close(), "--pack of a missing folder fails")
  T.eq(said, ("lector.load: %s/none: No such file or directory\n"):format(d),
       "--pack: the message alone")
end

function tests.corrupt_sections()
  local d, src = mixed()
  local out = d .. "/c.lpk"
  lector.pack(lector.load(src, {quiet = true}), out)
  local s = T.read(out)
  local x = sections(s)
  T.ok(crc32("123456789") == 0xE3069283, "the test's CRC-32C")
  for tag in pairs(x) do
    local i = x[tag].off + x[tag].len // 2 + 1
    -- TOFF's middle may be its table of documents, read at load: a
    -- checkpoint's byte instead
    if tag == "TOFF" or tag == "NEXT" then i = x[tag].off + x[tag].len - 1 end
    local bad = patch(s, i, string.char(s:byte(i) ~ 0x55))
    T.write(d .. "/bad.lpk", bad)
    local msg = "section " .. tag .. ": checksum mismatch"
    if tag == "TEXT" or tag == "TOKS" or tag == "POST" or tag == "TOFF" or
       tag == "NEXT" then
      -- bulky: not read when loading (so that loading is instant), found
      -- by check
      T.ok(lector.load(d .. "/bad.lpk"), tag .. ": loads")
      T.raises(msg, lector.load, d .. "/bad.lpk", {check = true, quiet = true})
    else
      T.raises(msg, lector.load, d .. "/bad.lpk")
    end
  end
  T.ok(x.TOKO and x.VOCB and x.VSRT and x.TIDX and x.TOKS and x.POFF and x.POST
       and x.TOFF and x.NEXT, "the token sections are there")
  -- the section table itself
  local bad = patch(s, x.DOCS.entry + 8, string.char(s:byte(x.DOCS.entry + 8) ~ 1))
  T.write(d .. "/bad.lpk", bad)
  T.raises("header: checksum mismatch", lector.load, d .. "/bad.lpk")
  -- a section pointing past the end, checksums made to match
  bad = reseal(patch(s, x.STRS.entry + 16, string.pack("<I8", #s - x.STRS.off + 1)), "DOCS")
  T.write(d .. "/bad.lpk", bad)
  T.raises("(STRS): bytes", lector.load, d .. "/bad.lpk")
  -- a document whose text lies outside TEXT, checksums made to match
  local rec = x.DOCS.off + 16 + 1              -- first record, 1-based
  bad = reseal(patch(s, rec + 48, string.pack("<I8", x.TEXT.len + 5)), "DOCS")
  T.write(d .. "/bad.lpk", bad)
  T.raises("section DOCS: document 1: its text", lector.load, d .. "/bad.lpk")
  -- texts not end to end
  bad = reseal(patch(s, rec + 40, string.pack("<I8", 1)), "DOCS")
  T.write(d .. "/bad.lpk", bad)
  T.raises("is not where the last one ended (0)", lector.load, d .. "/bad.lpk")
  -- a token section missing (its tag renamed), sealed
  bad = reseal(patch(s, x.VSRT.entry, "VSRX"), "DOCS")
  T.write(d .. "/bad.lpk", bad)
  T.raises("section VSRT is missing", lector.load, d .. "/bad.lpk")
  -- a word list whose offsets go backwards, sealed
  local nwords = string.unpack("<I8", s, x.TOKO.off + 1)
  bad = reseal(patch(s, x.VOCB.off + 8 + 1, string.pack("<I8", 0)), "VOCB")
  T.write(d .. "/bad.lpk", bad)
  T.raises("section VOCB: word 1 is malformed", lector.load, d .. "/bad.lpk")
  -- a sorted id past the word list
  bad = reseal(patch(s, x.VSRT.off + 1, string.pack("<I4", nwords)), "VSRT")
  T.write(d .. "/bad.lpk", bad)
  T.raises("section VSRT: entry 0: word " .. nwords, lector.load, d .. "/bad.lpk")
  -- damage inside TOKS or the tables that lead into it, found when read
  bad = patch(s, x.TOKS.off + 1, string.rep("\255", 6))
  T.write(d .. "/bad.lpk", bad)
  T.raises("bad.lpk: section TOKS: document 1 (a.txt): token 1 is damaged",
           nextwalk.tokens, lector.load(d .. "/bad.lpk"), 1)
  bad = reseal(patch(s, x.TIDX.off + 1, string.pack("<I8", x.TOKS.len + 1)), "TIDX")
  T.write(d .. "/bad.lpk", bad)
  T.raises("section TIDX: document 1 (a.txt): its tokens do not fit TOKS",
           nextwalk.tokens, lector.load(d .. "/bad.lpk"), 1)
  local first = string.unpack("<I4", s, x.VSRT.off + 1)    -- a word with postings
  bad = reseal(patch(s, x.POFF.off + 16 * first + 1, string.pack("<I8", x.POST.len + 1)), "POFF")
  T.write(d .. "/bad.lpk", bad)
  local p = lector.load(d .. "/bad.lpk")
  local offs = x.VOCB.off + 1
  local nw = string.unpack("<I8", s, x.TOKO.off + 1)
  local wo = string.unpack("<I8", s, offs + 8 * first)
  local word = s:sub(offs + 8 * (nw + 1) + wo, offs + 8 * (nw + 1) + wo + 40):match("^[^%z]*")
  T.raises("section POFF: word " .. (first + 1) .. " (" .. word .. "): its occurrences do not fit POST",
           ngram.kwic, p, word)
  -- a document table of another size than the documents
  bad = reseal(patch(s, x.TIDX.entry + 16, string.pack("<I8", x.TIDX.len - 16)), "TIDX")
  T.write(d .. "/bad.lpk", bad)
  T.raises("section TIDX: " .. (x.TIDX.len - 16) .. " bytes for 7 documents",
           lector.load, d .. "/bad.lpk")
  -- a title offset outside STRS
  bad = reseal(patch(s, rec + 16, string.pack("<I8", x.STRS.len)), "DOCS")
  T.write(d .. "/bad.lpk", bad)
  T.raises("document 1: its title is outside STRS", lector.load, d .. "/bad.lpk")
  -- a metadata block without its end
  bad = reseal(patch(s, rec + 32, string.pack("<I8", x.STRS.len - 2)), "DOCS")
  T.write(d .. "/bad.lpk", bad)
  T.raises("document 1: its metadata is outside STRS", lector.load, d .. "/bad.lpk")
  -- another format version (1: before the tokens)
  bad = reseal(patch(s, 9, string.pack("<I4", 1)), "DOCS")
  T.write(d .. "/bad.lpk", bad)
  T.raises("pack format version 1; this lector reads version 2 (pack the "
           .. "corpus again)", lector.load, d .. "/bad.lpk")
end

-- The checkpoints (TOFF): a document of 40 tokens, "needle" its 20th
-- (index 19), so that kwic with window 1 starts at the checkpoint of
-- token 16 (the second); damage there is an error naming TOFF when kwic
-- reads it, a wrong size when loading.
function tests.damaged_checkpoints()
  local d = T.tmpdir()
  local src = d .. "/src"
  assert(require("lfs").mkdir(src))
  local w = {}
  for i = 1, 40 do w[i] = i == 20 and "needle" or ("w" .. i) end
  T.write(src .. "/a.txt", table.concat(w, " ") .. "\n")
  T.write(src .. "/b.txt", "another needle here\n")
  local files = lector.load(src, {quiet = true})
  local out = d .. "/c.lpk"
  lector.pack(files, out)
  local s = T.read(out)
  local x = sections(s).TOFF
  T.ok(x, "TOFF is there")
  local k = string.unpack("<I8", s, x.off + 1)
  T.eq(k, 16, "a checkpoint every 16 tokens")
  local first = x.off + 8 + 1                    -- first[], 1-based
  local marks = first + 8 * 3                    -- two documents + 1
  T.eq(string.unpack("<I8", s, first + 8), 3, "a.txt: 3 checkpoints")
  T.eq(string.unpack("<I8", s, first + 16), 4, "b.txt: 1 checkpoint")
  T.eq(x.len, 8 + 8 * 3 + 8 * 4, "TOFF's size")
  T.eq(string.unpack("<I4", s, marks + 8), #table.concat(w, " ", 1, 16) + 1,
       "checkpoint 2: the byte offset of token 16")
  local want = ngram.kwic(files, "needle", {window = 1})
  T.eq(#want, 2, "two hits")
  local function try(bad, msg, what)
    T.write(d .. "/bad.lpk", bad)
    T.raises(msg, ngram.kwic, lector.load(d .. "/bad.lpk"), "needle",
             {window = 1})
    T.raises("section TOFF: checksum mismatch", lector.load, d .. "/bad.lpk",
             {check = true, quiet = true})
    T.ok(what, what)
  end
  try(patch(s, marks + 8, string.pack("<I4", 100000)),
      "bad.lpk: section TOFF: document 1 (a.txt): checkpoint 2 lies past the text",
      "an offset past the text")
  try(patch(s, marks + 8, string.pack("<I4", 0)),
      "section TOFF: document 1 (a.txt): checkpoint 2 is out of order "
      .. "(offsets not ascending)", "offsets not ascending")
  try(patch(s, marks + 16, string.pack("<I4", 1)),
      "section TOFF: document 1 (a.txt): checkpoint 2 is out of order",
      "the next checkpoint before this one")
  try(patch(s, marks + 12, string.pack("<I4", 100000)),
      "section TOFF: document 1 (a.txt): checkpoint 2 lies outside its tokens",
      "an offset past the document's tokens")
  try(patch(s, first + 8, string.pack("<I8", 2)),
      "section TOFF: document 1 (a.txt): 2 checkpoints for 40 tokens",
      "a document's checkpoints miscounted")
  try(patch(s, first + 8, string.pack("<I8", 9)),
      "section TOFF: document 1 (a.txt): its checkpoints do not fit the section",
      "a document's checkpoints outside the section")
  -- the wrong size, sealed: found when loading
  local bad = reseal(patch(s, x.entry + 16, string.pack("<I8", x.len - 8)), "DOCS")
  T.write(d .. "/bad.lpk", bad)
  T.raises("section TOFF: 56 bytes for 2 documents and 4 checkpoints",
           lector.load, d .. "/bad.lpk")
  bad = reseal(patch(s, x.off + 1, string.pack("<I8", 0)), "TOFF")
  T.write(d .. "/bad.lpk", bad)
  T.raises("section TOFF: a checkpoint every 0 tokens", lector.load, d .. "/bad.lpk")
  -- a pack made before TOFF (its tag unknown, so skipped): loads, and
  -- kwic tokenizes the documents whole, with the same rows
  bad = reseal(patch(s, x.entry, "TOFX"), "DOCS")
  T.write(d .. "/old.lpk", bad)
  local old = lector.load(d .. "/old.lpk", {check = true, quiet = true})
  local k0 = ngram._pack_stats().kwic_docs
  local got = ngram.kwic(old, "needle", {window = 1})
  T.eq(ngram._pack_stats().kwic_docs - k0, 2, "without TOFF: both tokenized")
  T.eq(#got, 2, "without TOFF: two hits")
  for i = 1, 2 do
    T.eq(got[i].left .. "|" .. got[i].match .. "|" .. got[i].right,
         want[i].left .. "|" .. want[i].match .. "|" .. want[i].right, "row " .. i)
  end
  -- and with it, neither is (their hits come from the checkpoints)
  k0 = ngram._pack_stats().kwic_docs
  T.eq(#ngram.kwic(lector.load(out), "needle", {window = 1}), 2, "with TOFF")
  T.eq(ngram._pack_stats().kwic_docs - k0, 0, "with TOFF: no document tokenized whole")
  -- TOFF without the token sections is refused
  local t = d .. "/t.lpk"
  lector.pack(files, t, {tokens = false})
  T.ok(not sections(T.read(t)).TOFF, "a pack of text only has no TOFF")
end

-- The successor lists (NEXT) through host->word_next (the nextwalk
-- fixture plugin), against the streams (host->doc_tokens).

-- A folder of documents for NEXT: repeated words, a one-token document,
-- empty ones, a word with more than a piece (4096) of occurrences.
local function next_fixture()
  local d = T.tmpdir()
  local src = d .. "/src"
  assert(require("lfs").mkdir(src))
  T.write(src .. "/a.txt", "the cat sat on the mat the end\n")
  T.write(src .. "/b.txt", "one\n")
  T.write(src .. "/c.txt", "")
  T.write(src .. "/d.txt", "... !!\n")
  T.write(src .. "/e.txt", "the the the cat\n")
  T.write(src .. "/f.txt", ("x y "):rep(4500) .. "x x\n")
  T.write(src .. "/g.txt", "cat\n")
  return d, src
end

-- What the streams say: {doc, next word or false, ...} for word w, the
-- documents of c in order (docs: their indices in c, default 1..#c).
local function next_of_streams(c, w, streams)
  local out = {}
  for i = 1, #c do
    local t = streams[i]
    for k = 1, #t do
      if t[k] == w then
        out[#out + 1] = i
        out[#out + 1] = t[k + 1] or false
      end
    end
  end
  return out
end

local function flat(t)
  local o = {}
  for k = 1, #t do o[k] = tostring(t[k]) end
  return table.concat(o, ",")
end

-- Every word's successors from NEXT equal the streams'; pieces of at
-- most 4096.  Returns the number of words checked.
local function check_next(c, what)
  local streams, words = {}, {}
  for i = 1, #c do
    streams[i] = nextwalk.tokens(c, i)
    for _, w in ipairs(streams[i]) do words[w] = true end
  end
  local n = 0
  for w in pairs(words) do
    local got, pieces, big = nextwalk.next(c, w)
    local a, b = flat(got), flat(next_of_streams(c, w, streams))
    T.ok(a == b, what .. ": " .. w .. ": got " .. a:sub(1, 60) .. "..., want "
         .. b:sub(1, 60) .. "...")
    T.ok(big <= 4096 and pieces >= math.ceil(#got / 2 / 4096),
         what .. ": pieces of " .. w)
    n = n + 1
  end
  return n
end

function tests.successor_lists()
  local d, src = next_fixture()
  local files = lector.load(src, {quiet = true})
  local out = d .. "/n.lpk"
  lector.pack(files, out)
  local p = lector.load(out, {check = true})
  T.eq(check_next(p, "whole pack"), 9, "nine words")
  local x, pieces, big = nextwalk.next(p, "x")
  T.eq(#x // 2, 4502, "x: every occurrence")
  T.eq(pieces, 2, "x: in two pieces")
  T.eq(big, 4096, "x: the first of 4096")
  T.eq(flat({table.unpack(x, #x - 3)}), "6,x,6,false", "x: the last two")
  T.eq(flat(nextwalk.next(p, "one")), "2,false", "a one-token document")
  T.eq(flat(nextwalk.next(p, "the")),
       "1,cat,1,mat,1,end,5,the,5,the,5,cat", "a repeated word")
  -- in-order views (filter, groups): documents left out, indices in them
  local sub = p:filter(function(doc) return doc.id ~= "a.txt" end)
  check_next(sub, "a filtered pack")
  T.eq(flat(nextwalk.next(sub, "the")), "4,the,4,the,4,cat", "the, without a.txt")
  local g = p:group_by(function(doc) return doc.id < "d" and "x" or "y" end)
  check_next(g.x, "group x")
  check_next(g.y, "group y")
  T.eq(flat(nextwalk.next(g.y, "cat")), "2,false,4,false", "cat in group y")
  -- a word past the list: nothing
  T.eq(#nextwalk.next(p, "the", 1e6), 0, "an id past the words: none")
  -- every way of building the lists makes the same bytes: the default
  -- built both in one scan, in place in the pack's pages where the file
  -- system reserves them (as fallocate(1) finds); both in runs when
  -- either passes the chunk (LECTOR_PACK_CHUNK 8, or between their
  -- sizes); each in one scan of its own when each fits but not both (the
  -- chunk POST's size)
  local s = T.read(out)
  local sx = sections(s)
  local nw = string.unpack("<I8", s, sx.TOKO.off + 1)
  local nlists = sx.NEXT.len - 8 * (nw + 1)
  T.ok(nlists < sx.POST.len - 1, "NEXT's lists smaller than POST")
  local code = "io.write(lector.pack(lector.load(%q, {quiet = true}), %q, {quiet = true}).lists)"
  local function pack_how(env, r)
    local p = io.popen(("%s '%s' -q -e %q"):format(env, os.getenv("LECTOR_BIN"),
                                                   code:format(src, r)))
    local how = p:read("a")
    T.ok(p:close(), "lector.pack with " .. env)
    return how
  end
  local reserves = os.execute(("fallocate -l 4096 '%s/probe' 2>/dev/null"):format(d))
  T.eq(pack_how("", d .. "/again.lpk"), reserves and "in place" or "one at a time",
       "the default: in place when the file system reserves")
  T.ok(T.read(d .. "/again.lpk") == s, "and the same bytes every time")
  local ways = {"in runs", "in runs", "one at a time"}
  for i, chunk in ipairs({8, (nlists + sx.POST.len) // 2, sx.POST.len}) do
    local r = d .. "/runs" .. chunk .. ".lpk"
    T.eq(pack_how("LECTOR_PACK_CHUNK=" .. chunk, r), ways[i], "chunk " .. chunk)
    local rs = T.read(r)
    local a, b = sections(s).NEXT, sections(rs).NEXT
    T.ok(a and b and s:sub(a.off + 1, a.off + a.len) == rs:sub(b.off + 1, b.off + b.len),
         "NEXT in runs of " .. chunk .. " bytes: the same bytes")
    T.ok(s == rs, "the whole pack in runs: the same bytes")
  end
  -- NEXT's layout: u64 offset[words + 1], then the varints
  T.eq(string.unpack("<I8", s, sx.NEXT.off + 1), 0, "offset[0] = 0")
  T.eq(string.unpack("<I8", s, sx.NEXT.off + 1 + 8 * nw), sx.NEXT.len - 8 * (nw + 1),
       "the last offset: the lists' length")
  T.eq(select(2, nextwalk.next(p, "zzz")), 0, "an unknown word: no pieces")
  -- a view whose text passes through a plugin has no packed tokens
  local got, why = nextwalk.next(lector.plugin("upper").view(p), "the")
  T.ok(got == nil and why == "not found", "a text filter's view: not found")
end

-- Damage in NEXT: an error naming the pack, NEXT and the word when it is
-- loaded or walked, never a crash; without NEXT (an older pack) word_next
-- says not found and the rest works.
function tests.damaged_successor_lists()
  local d, src = next_fixture()
  local out = d .. "/n.lpk"
  lector.pack(lector.load(src, {quiet = true}), out)
  local s = T.read(out)
  local x = sections(s)
  local nx = x.NEXT
  local nw = string.unpack("<I8", s, x.TOKO.off + 1)
  local lists = nx.off + 8 * (nw + 1)          -- 0-based start of the varints
  local p = lector.load(out)
  -- words are numbered as first seen: the (1), cat (2) ...
  T.eq(nextwalk.tokens(p, 1)[2], "cat", "a.txt: the cat")
  local function offset(k) return string.unpack("<I8", s, nx.off + 1 + 8 * k) end
  local function load_bad(bad)
    T.write(d .. "/bad.lpk", bad)
    return lector.load(d .. "/bad.lpk")
  end
  local function walk_raises(bad, msg, word, what)
    T.raises(msg, nextwalk.next, load_bad(bad), word)
    T.raises("section NEXT: checksum mismatch", lector.load, d .. "/bad.lpk",
             {check = true, quiet = true})
    T.ok(true, what)
  end
  -- offsets: word 1's end past the section, going backwards, too few or
  -- too many bytes for its occurrences
  local a1, b1 = offset(0), offset(1)
  T.eq(a1, 0, "the's list starts at 0")
  walk_raises(patch(s, nx.off + 1 + 8, string.pack("<I8", nx.len)),
              "bad.lpk: section NEXT: word 1 (the): its successors do not fit the section",
              "the", "an offset past the section")
  walk_raises(patch(s, nx.off + 1 + 16, string.pack("<I8", 0)),
              "section NEXT: word 2 (cat): its successors do not fit the section",
              "cat", "offsets going backwards")
  walk_raises(patch(s, nx.off + 1 + 8, string.pack("<I8", b1 - 1)),
              "section NEXT: word 1 (the): its successors do not fit", "the",
              "a byte short (6 occurrences in 5 bytes)")
  -- the varints: an id past the words, a 0 before the document's end, a
  -- nonzero at its end, one over 32 bits, one more than the occurrences
  local function entry(k, v) return patch(s, lists + k + 1, v) end
  walk_raises(entry(0, string.char(nw + 1)),
              "bad.lpk: section NEXT: the successors of word 1 (the) are damaged",
              "the", "an id past the words")
  walk_raises(entry(0, "\0"), "section NEXT: the successors of word 1 (the) are damaged",
              "the", "'the cat': 0 (the last) before the end")
  -- "end" (word 6) is a.txt's last token: its 0 made an id
  T.eq(s:byte(lists + offset(5) + 1), 0, "end's successor: none")
  walk_raises(entry(offset(5), "\1"),
              "section NEXT: the successors of word 6 (end) are damaged",
              "end", "an id where the document ends")
  -- the's first varint made one of five bytes (over the words)
  walk_raises(entry(0, "\255\255\255\255"),
              "section NEXT: the successors of word 1 (the) are damaged", "the",
              "a varint running over")
  -- a list a byte longer than its occurrences need (the next word's
  -- start moved on: its own list then short)
  local bad = patch(s, nx.off + 1 + 8, string.pack("<I8", b1 + 1))
  walk_raises(bad, "section NEXT: the successors of word 1 (the) are damaged",
              "the", "more successors than occurrences")
  -- the section's size and ends, sealed: found when loading
  bad = reseal(patch(s, nx.off + 1 + 8 * nw, string.pack("<I8", nx.len)), "NEXT")
  T.write(d .. "/bad.lpk", bad)
  T.raises("bad.lpk: section NEXT: " .. nx.len .. " bytes: its offsets do not "
           .. "span the lists of " .. nw .. " words", lector.load, d .. "/bad.lpk")
  bad = reseal(patch(s, nx.off + 1, string.pack("<I8", 1)), "NEXT")
  T.write(d .. "/bad.lpk", bad)
  T.raises("section NEXT: " .. nx.len .. " bytes: its offsets do not span",
           lector.load, d .. "/bad.lpk")
  bad = reseal(patch(s, nx.entry + 16, string.pack("<I8", 8 * nw)), "DOCS")
  T.write(d .. "/bad.lpk", bad)
  T.raises("section NEXT: " .. 8 * nw .. " bytes: its offsets do not span",
           lector.load, d .. "/bad.lpk")
  -- truncated: the file cut inside NEXT
  T.write(d .. "/bad.lpk", s:sub(1, nx.off + 8))
  T.raises("bad.lpk: truncated", lector.load, d .. "/bad.lpk")
  -- a pack made before NEXT (its tag unknown, so skipped): loads, counts,
  -- and word_next says not found
  bad = reseal(patch(s, nx.entry, "NEXX"), "DOCS")
  T.write(d .. "/old.lpk", bad)
  local old = lector.load(d .. "/old.lpk", {check = true, quiet = true})
  local got, why = nextwalk.next(old, "the")
  T.ok(got == nil and why == "not found", "without NEXT: not found")
  T.eq(#nextwalk.tokens(old, 1), 8, "without NEXT: the streams are there")
  local want, have = d .. "/w.tsv", d .. "/h.tsv"
  ngram.count(p, {n = {1, 2}}):save(want)
  ngram.count(old, {n = {1, 2}}):save(have)
  T.ok(T.read(want) == T.read(have), "without NEXT: the same counts")
  -- and the rest of the pack is untouched by NEXT's damage
  T.ok(lector.load(out, {check = true}), "the good pack checks")
end

function tests.truncated_and_foreign()
  local d, src = mixed()
  local out = d .. "/c.lpk"
  lector.pack(lector.load(src, {quiet = true}), out)
  local s = T.read(out)
  T.write(d .. "/t.lpk", s:sub(1, #s - 10))
  T.raises("truncated: the header says " .. #s .. " bytes", lector.load, d .. "/t.lpk")
  T.write(d .. "/t.lpk", s:sub(1, 20))
  T.raises("truncated: header", lector.load, d .. "/t.lpk")
  T.write(d .. "/t.lpk", "")
  T.raises("t.lpk: not a Lector pack: the file is empty", lector.load, d .. "/t.lpk")
  T.write(d .. "/foreign.lpk", "just some text, not a pack at all\n")
  T.raises("foreign.lpk: not a Lector pack", lector.load, d .. "/foreign.lpk")
  -- a pack found in a folder is skipped with a warning that says what it is
  local w = T.tmpdir()
  T.write(w .. "/a.txt", "an article\n")
  T.write(w .. "/c.lpk", s)
  local c = lector.load(w, {quiet = true})
  T.eq(#c, 1, "the article only")
  T.ok(tostring(c.warnings[1]):find("c.lpk: a Lector pack: load it by itself", 1, true),
       "the pack named: " .. tostring(c.warnings[1]))
  -- a pack is loaded alone, without options about reading files
  T.raises("a pack is loaded alone", lector.load, {out, src})
  T.raises("option 'glob' does not apply to a pack", lector.load, out, {glob = "*"})
end

function tests.check_names_changed_sources()
  local d, src = mixed()
  local out = d .. "/c.lpk"
  lector.pack(lector.load(src, {quiet = true}), out)
  local p = lector.load(out, {check = true, quiet = true})
  T.eq(#p.warnings, 0, "nothing changed yet")
  T.ok(os.execute("touch -m -d @1000000000 '" .. src .. "/a.txt'"), "touch")
  T.write(src .. "/t.csv", "id,text\nr1,changed\n")
  os.remove(src .. "/c.txt")
  p = lector.load(out, {check = true, quiet = true})
  T.eq(#p.warnings, 3, "three sources changed")
  local all = {}
  for i = 1, #p.warnings do all[#all + 1] = tostring(p.warnings[i]) end
  all = table.concat(all, "\n")
  T.ok(all:find("a.txt: changed since packing: mtime", 1, true), "a.txt named: " .. all)
  T.ok(all:find("t.csv: changed since packing: size", 1, true), "t.csv named once: " .. all)
  T.ok(all:find("c.txt: changed since packing: No such file", 1, true), "c.txt named")
  T.eq(#lector.load(out, {quiet = true}).warnings, 0, "no check, no warnings")
  T.ok(p[1].text:find("The body of a.", 1, true), "texts still served")
  T.raises("only a pack can be checked", lector.load, src, {check = true, quiet = true})
end

-- A pack on a full disk (tmpfs mounts of sizes below and above what it
-- needs, the scratch files beside it included): an error naming the pack
-- and saying why, the previous pack whole, no temporary left; or, with
-- room enough, the same bytes as elsewhere.  Whichever step runs out of
-- space (text, streams, scratch files, the lists' reserved pages), never
-- a crash (mapping a part of the pack never written would be SIGBUS).
function tests.full_disk()
  local d = T.tmpdir()
  local src = d .. "/src"
  assert(require("lfs").mkdir(src))
  for i = 1, 300 do
    local words = {}
    for k = 1, 250 do words[k] = ("w%d"):format((i * 7919 + k * k) % 3001) end
    T.write(("%s/d%03d.txt"):format(src, i), table.concat(words, " ") .. ".\n")
  end
  local c = lector.load(src, {quiet = true})
  local want = d .. "/want.lpk"
  local size = lector.pack(c, want, {quiet = true}).bytes
  local mnt = d .. "/mnt"
  assert(require("lfs").mkdir(mnt))
  local failed, done = 0, 0
  for _, share in ipairs({0.1, 0.4, 0.7, 0.9, 1.0, 1.2, 1.5, 2.5, 4}) do
    local kb = math.ceil(size * share / 4096) * 4
    if not os.execute(("mount -t tmpfs -o size=%dk tmpfs '%s' 2>/dev/null"):format(kb, mnt)) then
      io.stderr:write("full_disk: mount not permitted, skipped\n")
      return
    end
    local out = mnt .. "/c.lpk"
    T.write(out, "the old pack\n")
    local ok, r = pcall(lector.pack, c, out, {quiet = true})
    if ok then
      done = done + 1
      T.ok(T.read(out) == T.read(want), kb .. " KB: the same bytes")
    else
      failed = failed + 1
      T.ok(r:find(out, 1, true) and r:find("No space left", 1, true),
           kb .. " KB: names the pack and says why: " .. r)
      T.eq(T.read(out), "the old pack\n", kb .. " KB: the old pack whole")
    end
    local names = {}
    for n in require("lfs").dir(mnt) do
      if n ~= "." and n ~= ".." then names[#names + 1] = n end
    end
    T.eq(table.concat(names, " "), "c.lpk", kb .. " KB: nothing else left")
    assert(os.execute(("umount '%s'"):format(mnt)))
  end
  T.ok(failed >= 3 and done >= 2, ("%d failed, %d done"):format(failed, done))
end

function tests.never_over_an_input()
  local d, src = mixed()
  local c = lector.load(src, {quiet = true})
  local before = T.read(src .. "/a.txt")
  T.raises("is also an input", lector.pack, c, src .. "/a.txt")
  T.eq(T.read(src .. "/a.txt"), before, "input untouched")
  local out = d .. "/c.lpk"
  lector.pack(c, out)
  local packed = T.read(out)
  T.raises("is also an input", lector.pack, lector.load(out), out)
  T.eq(T.read(out), packed, "pack untouched")
  T.raises("unknown option 'level'", lector.pack, c, d .. "/x.lpk", {level = 9})
end

function tests.token_sections()
  local d, src = mixed()
  local c = lector.load(src, {quiet = true})
  local tokenize = require "lector.tokenize"
  local words, tokens = {}, 0
  for i = 1, #c do
    for _, w in ipairs(tokenize.words(c[i].text)) do
      tokens = tokens + 1
      words[w] = true
    end
  end
  local nwords = 0
  for _ in pairs(words) do nwords = nwords + 1 end
  local r = lector.pack(c, d .. "/t.lpk", {threads = 1})
  T.eq(r.tokens, tokens, "every token of tokenize.words packed")
  T.eq(r.words, nwords, "every distinct word")
  local s = sections(T.read(d .. "/t.lpk"))
  T.ok(s.TOKS and s.POST, "token sections")
  -- another tokenizer's options: other words
  local r2 = lector.pack(c, d .. "/t2.lpk", {tokens = {lower = false, punct = true}})
  T.ok(r2.tokens > r.tokens and r2.words > r.words, "punctuation and case kept: "
       .. r2.tokens .. " tokens, " .. r2.words .. " words")
  -- none
  local r3 = lector.pack(c, d .. "/t3.lpk", {tokens = false})
  T.eq(r3.words, 0, "tokens = false: no words")
  s = sections(T.read(d .. "/t3.lpk"))
  T.ok(not s.TOKO and not s.TOKS and s.TEXT, "tokens = false: text only")
  same(c, lector.load(d .. "/t3.lpk"), "a pack without tokens")
  -- the same pack on 1 and 2 threads, byte for byte
  lector.pack(c, d .. "/t4.lpk", {threads = 2})
  T.ok(T.read(d .. "/t.lpk") == T.read(d .. "/t4.lpk"), "1 and 2 threads: same bytes")
  -- and with the positional index built in runs of 8 bytes (a big
  -- corpus's way) instead of in one piece
  T.ok(os.execute(("LECTOR_PACK_CHUNK=8 '%s' -q --pack '%s' '%s'"):format(
    os.getenv("LECTOR_BIN"), src, d .. "/t5.lpk")), "lector --pack in runs")
  T.ok(T.read(d .. "/t.lpk") == T.read(d .. "/t5.lpk"), "index in runs: same bytes")
  -- an empty corpus, and one whose documents have no tokens
  local e = T.tmpdir()
  r = lector.pack(lector.load(e, {quiet = true}), e .. "/none.lpk", {quiet = true})
  T.eq(r.docs + r.words + r.tokens, 0, "an empty corpus packs")
  T.eq(#ngram.count(lector.load(e .. "/none.lpk", {check = true}), {n = {1, 2}}), 0,
       "and counts nothing")
  assert(require("lfs").mkdir(e .. "/src"))
  T.write(e .. "/src/a.txt", "...\n")
  T.write(e .. "/src/b.txt", "")
  r = lector.pack(lector.load(e .. "/src", {quiet = true}), e .. "/empty.lpk", {quiet = true})
  T.eq(r.docs, 2, "documents without tokens")
  T.eq(r.tokens, 0, "no tokens")
  T.eq(#ngram.kwic(lector.load(e .. "/empty.lpk", {check = true}), "x"), 0, "kwic of nothing")
  T.raises("option 'tokens' must be a table of tokenizer options or false",
           lector.pack, c, d .. "/x.lpk", {tokens = "yes"})
  T.raises("lector.pack: unknown option 'colour'", lector.pack, c, d .. "/x.lpk",
           {tokens = {colour = true}})
  T.raises("option 'threads' must be an integer", lector.pack, c, d .. "/x.lpk",
           {threads = 0.5})
end

T.run(tests)
