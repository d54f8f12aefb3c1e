-- lib/cli.lua: what every script in this folder shares: options, the
-- default corpus, and output as aligned tables, CSV or JSON.
--
--   local cli = require "lib.cli"     -- found beside the running script
--   local o, args = cli.parse(arg, {usage = "...", about = "...",
--     options = { {"top", "K", "rows to show", default = 20},
--                 {"stopwords", nil, "leave out stop words"} }})
--   local corpus = cli.corpus(args[1])
--
-- Options with a dash come back with an underscore: --min-count is
-- o.min_count.
--
-- Copy it next to your own scripts, or put its folder in LECTOR_PATH.

local cli = {}

local function script_name()
  return (arg and arg[0] or "script"):match("[^/]*$")
end

-- Options every script has, after its own.
local common = {
  {"json", nil, "print the results as JSON"},
  {"quiet", nil, "no progress bar"},
  {"help", nil, "show this help"},
}

local function usage(spec)
  local lines = {"usage: " .. spec.usage}
  if spec.about then lines[#lines + 1] = spec.about end
  lines[#lines + 1] = "options:"
  for _, list in ipairs({spec.options or {}, common}) do
    for _, o in ipairs(list) do
      local left = "--" .. o[1] .. (o[2] and (" " .. o[2]) or "")
      local default = o.default ~= nil and
        string.format(" (default: %s)", tostring(o.default)) or ""
      lines[#lines + 1] = string.format("  %-18s %s%s", left, o[3], default)
    end
  end
  return table.concat(lines, "\n")
end

-- Exit with status 2 (misuse), naming the script and what was wrong.
-- Scripts call it as cli.misuse(spec, fmt, ...) for checks of their own.
local function misuse(spec, fmt, ...)
  io.stderr:write(script_name(), ": ", string.format(fmt, ...), "\n",
    usage(spec), "\n")
  os.exit(2)
end
cli.misuse = misuse

-- Exit with status 1 (a failure), naming the script and what failed.
function cli.fail(fmt, ...)
  io.stderr:write(script_name(), ": ", string.format(fmt, ...), "\n")
  os.exit(1)
end

local function find_option(spec, name)
  for _, list in ipairs({spec.options or {}, common}) do
    for _, o in ipairs(list) do
      if o[1] == name then return o end
    end
  end
end

-- The value given for option o, converted like its default (a whole
-- number when the default is one) and checked against o.choices (the
-- values allowed) and o.min, o.max (bounds of a number).
local function convert(spec, o, value)
  local v = value
  if math.type(o.default) == "integer" then
    v = math.tointeger(tonumber(value))
    if not v then misuse(spec, "--%s: expected a whole number, got '%s'", o[1], value) end
  elseif type(o.default) == "number" then
    v = tonumber(value)
    if not v then misuse(spec, "--%s: expected a number, got '%s'", o[1], value) end
  end
  if (o.min and v < o.min) or (o.max and v > o.max) then
    local range = o.min and o.max and (o.min .. " to " .. o.max) or
      o.min and ("at least " .. o.min) or ("at most " .. o.max)
    misuse(spec, "--%s: expected %s, got %s", o[1], range, value)
  end
  if o.choices then
    for _, c in ipairs(o.choices) do
      if v == c then return v end
    end
    misuse(spec, "--%s: expected one of %s, got '%s'", o[1],
      table.concat(o.choices, ", "), value)
  end
  return v
end

-- Parse argv (the script's `arg`) against spec.options, each
-- {name, ARGNAME or nil for a flag, help, default = value} (optionally
-- choices = {...}, min =, max =).  Returns the options by name (defaults
-- filled in) and the positional arguments.
-- --name=value and --name value both work; --no-name turns a flag off.
function cli.parse(argv, spec)
  local opts, args = {}, {}
  local function set(o, v) opts[o[1]:gsub("-", "_")] = v end  -- min-count: o.min_count
  for _, o in ipairs(spec.options or {}) do set(o, o.default) end
  local i = 1
  while argv[i] do
    local a = argv[i]
    local name, value = a:match("^%-%-([%w_-]+)=(.*)$")
    name = name or a:match("^%-%-([%w_-]+)$")
    if a == "--" then
      table.move(argv, i + 1, #argv, #args + 1, args)
      break
    elseif not name then
      if a:sub(1, 1) == "-" and a ~= "-" then
        misuse(spec, "unknown option '%s'", a)
      end
      args[#args + 1] = a
    else
      local o, negated = find_option(spec, name), false
      if not o and name:sub(1, 3) == "no-" then
        o, negated = find_option(spec, name:sub(4)), true
        if o and o[2] then o = nil end
      end
      if not o then misuse(spec, "unknown option '--%s'", name) end
      if o[2] then
        if not value then
          i = i + 1
          value = argv[i]
          if not value then misuse(spec, "--%s needs a value (%s)", o[1], o[2]) end
        end
        set(o, convert(spec, o, value))
      elseif value then
        misuse(spec, "--%s takes no value", o[1])
      else
        set(o, not negated)
      end
    end
    i = i + 1
  end
  if opts.help then
    print(usage(spec))
    os.exit(0)
  end
  if opts.quiet or opts.json then
    if lector.show_progress then lector.show_progress(false) end
  end
  return opts, args
end

-- The corpus at path, or the sample corpus bundled with the scripts, and
-- the path it was loaded from.  A folder that cannot be loaded ends the
-- script with a one-line error naming it (cli.fail).
function cli.corpus(path, opts)
  opts = opts or {}
  if opts.quiet == nil then opts.quiet = true end
  if not path then  -- the sample corpus: its articles, not its README
    local here = debug.getinfo(1, "S").source:match("^@(.*)/lib/[^/]*$")
    path, opts.ext = (here or ".") .. "/corpus", opts.ext or "txt"
  end
  local ok, corpus = pcall(lector.load, path, opts)
  if not ok then cli.fail("%s", corpus) end
  if #corpus.warnings > 0 then
    io.stderr:write(string.format("%s: %d file(s) skipped or changed:\n",
      path, #corpus.warnings))
    for _, w in ipairs(corpus.warnings) do
      io.stderr:write("  ", tostring(w), "\n")     -- a table that prints
    end
  end
  return corpus, path
end

-- JSON through lua-cjson (Debian's lua-cjson).
function cli.json(value)
  local ok, cjson = pcall(require, "cjson")
  if not ok then
    error("--json needs lua-cjson (Debian package lua-cjson)", 0)
  end
  return cjson.encode(value)
end

-- A CSV cell: numbers as numbers, text quoted when it must be (RFC 4180).
-- Plain finds: a pattern with a character class costs twice as much over
-- a long sentence, and a report may write a million of them.
local function csv_cell(v)
  local t = math.type(v)
  if t == "float" then return string.format("%.10g", v) end
  if v == nil then return "" end
  local s = tostring(v)
  if t then return s end
  if s:find('"', 1, true) then return '"' .. s:gsub('"', '""') .. '"' end
  if s:find(",", 1, true) or s:find("\n", 1, true) or s:find("\r", 1, true) then
    return '"' .. s .. '"'
  end
  return s
end

-- An output file written whole or not at all: the host's lector.output
-- (a temporary file beside path; f:write(...) raises on error; f:commit()
-- checks the flush, fsync and close and renames it over path, raising
-- with path named; f:abort() removes it; a to-be-closed output is aborted
-- unless committed).  Errors name path.
function cli.output(path)
  return lector.output(path)
end

-- A CSV file with a header row: w:row{...} in the header's order, then
-- w:close() to commit it (cli.output: the file appears only when whole).
-- As a to-be-closed variable an unfinished file is aborted.  Errors
-- (an unwritable path, a full disk) are raised naming the path.
function cli.csv(path, header)
  local f = cli.output(path)
  local w, cells, n = {}, {}, #header
  function w:row(values)
    for i = 1, n do cells[i] = csv_cell(values[i]) end
    f:write(table.concat(cells, ",", 1, n), "\r\n")
  end
  function w:close() f:commit() end
  f:write(table.concat(header, ","), "\r\n")
  return setmetatable(w, {__close = function() f:abort() end})
end

-- The last width characters of s (UTF-8), starting with "…" when cut:
-- for text whose end matters, such as the left context of a match.
function cli.clip_left(s, width)
  local n = utf8.len(s)
  if not n or n <= width then return s end
  return "…" .. s:sub(utf8.offset(s, n - width + 2))
end

-- "1 document", "3 documents" (word + "s" unless plural is given).
function cli.plural(n, word, plural)
  return string.format("%d %s", n, n == 1 and word or plural or word .. "s")
end

-- s cut to at most width characters (UTF-8), ending in "…" when cut.
function cli.clip(s, width)
  s = tostring(s)
  local n = utf8.len(s)
  if not n then return s end  -- not UTF-8: leave it to the terminal
  if n <= width then return s end
  return s:sub(1, utf8.offset(s, width) - 1) .. "…"
end

local function pad(s, width, right)
  local fill = string.rep(" ", width - (utf8.len(s) or #s))
  return right and fill .. s or s .. fill
end

-- Print rows (tables) as aligned columns; columns = { {key =, title =,
-- fmt = "%d" (optional), width = max (optional), align = "left" or
-- "right" (optional)} }.  Numbers are right-aligned, and so are their
-- titles.  No rows print "(none)".
function cli.table(rows, columns)
  if #rows == 0 then
    print("(none)")
    return
  end
  local cells, widths, numeric = {}, {}, {}
  for c, col in ipairs(columns) do
    widths[c] = utf8.len(col.title) or #col.title
    numeric[c] = col.align == "right" or
      (col.align == nil and type(rows[1][col.key]) == "number")
  end
  for r, row in ipairs(rows) do
    cells[r] = {}
    for c, col in ipairs(columns) do
      local v = row[col.key]
      local s = v == nil and "" or
        (col.fmt and string.format(col.fmt, v) or tostring(v))
      if col.width then s = cli.clip(s, col.width) end
      cells[r][c] = s
      widths[c] = math.max(widths[c], utf8.len(s) or #s)
    end
  end
  local function line(values)
    local out = {}
    for c = 1, #columns do out[c] = pad(values[c], widths[c], numeric[c]) end
    print((table.concat(out, "  "):gsub("%s+$", "")))
  end
  local titles = {}
  for c, col in ipairs(columns) do titles[c] = col.title end
  line(titles)
  for _, r in ipairs(cells) do line(r) end
end

return cli
