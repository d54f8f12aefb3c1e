-- lib/html.lua: a small writer for self-contained HTML reports: escaping,
-- tables, and inline SVG charts (horizontal bars, values over time).  No
-- JavaScript and no network: the page opens anywhere and prints well.
--
--   local html = require "lib.html"
--   local body = { "<h2>Top words</h2>",
--     html.bars(rows, {label = "gram", value = "count"}),
--     html.table(rows, { {key = "gram", title = "word"},
--                        {key = "count", title = "count", fmt = "%d"} }) }
--   local f = assert(io.open("out.html", "w"))
--   f:write(html.page("My report", body))
--   f:close()

local html = {}

local escapes = {["&"] = "&amp;", ["<"] = "&lt;", [">"] = "&gt;",
                 ['"'] = "&quot;", ["'"] = "&#39;"}

-- Text made safe for HTML content and attribute values.
function html.escape(s)
  return (tostring(s):gsub("[&<>\"']", escapes))
end

local esc = html.escape
local fmt = string.format

-- A number with at most 2 decimals and no trailing zeros, for SVG
-- coordinates.
local function n2(x)
  return (fmt("%.2f", x):gsub("%.?0+$", ""))
end

-- A table: rows are Lua tables, columns = { {key =, title =, fmt =,
-- class =, cell = function(row) -> raw HTML} }.  Numbers are right-aligned.
-- No rows: a "(none)" note.
function html.table(rows, columns, class)
  if #rows == 0 then return '<p class="note">(none)</p>' end
  local out = {fmt('<table class="%s">', class or ""), "<thead><tr>"}
  for _, col in ipairs(columns) do
    local num = type(rows[1][col.key]) == "number"
    out[#out + 1] = fmt('<th class="%s">%s</th>',
      num and "num" or (col.class or ""), esc(col.title))
  end
  out[#out + 1] = "</tr></thead><tbody>"
  for _, row in ipairs(rows) do
    out[#out + 1] = "<tr>"
    for _, col in ipairs(columns) do
      local v, class = row[col.key], col.class or ""
      local text
      if col.cell then text = col.cell(row)
      elseif v == nil then text = ""
      else text = esc(col.fmt and fmt(col.fmt, v) or tostring(v)) end
      if type(v) == "number" then class = class .. " num" end
      out[#out + 1] = fmt('<td class="%s">%s</td>', class, text)
    end
    out[#out + 1] = "</tr>"
  end
  out[#out + 1] = "</tbody></table>"
  return table.concat(out, "\n")
end

-- A horizontal bar chart of rows[i][opts.value] labelled rows[i][opts.label]
-- (largest first, as given).  opts.fmt formats the value ("%d"),
-- opts.width is the chart's width in pixels (640).
function html.bars(rows, opts)
  local width, bar_h, gap = opts.width or 640, 18, 6
  local label_w, value_w = 180, 60
  local max = 0
  for _, r in ipairs(rows) do max = math.max(max, r[opts.value]) end
  if max <= 0 then max = 1 end
  local plot_w = width - label_w - value_w
  local height = #rows * (bar_h + gap) + gap
  local out = {fmt('<svg class="chart bars" role="img" width="%d" '
    .. 'height="%d" viewBox="0 0 %d %d">', width, height, width, height)}
  if opts.title then
    out[#out + 1] = "<title>" .. esc(opts.title) .. "</title>"
  end
  for i, r in ipairs(rows) do
    local y = gap + (i - 1) * (bar_h + gap)
    local w = math.max(1, plot_w * r[opts.value] / max)
    local label = tostring(r[opts.label])
    if utf8.len(label) and utf8.len(label) > 26 then
      label = label:sub(1, utf8.offset(label, 26) - 1) .. "…"
    end
    out[#out + 1] = fmt('<text x="%d" y="%s" text-anchor="end">%s</text>',
      label_w - 8, n2(y + bar_h * 0.72), esc(label))
    out[#out + 1] = fmt('<rect x="%d" y="%d" width="%s" height="%d">'
      .. '<title>%s: %s</title></rect>', label_w, y, n2(w), bar_h,
      esc(r[opts.label]), esc(fmt(opts.fmt or "%d", r[opts.value])))
    out[#out + 1] = fmt('<text x="%s" y="%s" class="value">%s</text>',
      n2(label_w + w + 6), n2(y + bar_h * 0.72),
      esc(fmt(opts.fmt or "%d", r[opts.value])))
  end
  out[#out + 1] = "</svg>"
  return table.concat(out, "\n")
end

-- A date "YYYY-MM-DD", or a month "YYYY-MM" (its middle), as a number of
-- months since year 0: the x axis of html.time_chart.
local function months_since_0(date)
  local y, m, d = date:match("^(%d+)-(%d+)-?(%d*)")
  local in_month = d ~= "" and (tonumber(d) - 0.5) / 31 or 0.5
  return tonumber(y) * 12 + tonumber(m) - 1 + in_month
end

-- Ticks at month starts from x = from up to (not at) to: every 1, 2, 3
-- or 6 months, or every 1, 2, 5, 10... years, at most 12 of them.
local function month_ticks(from, to)
  local step
  for _, s in ipairs({1, 2, 3, 6, 12, 24, 60, 120, 240, 600, 1200}) do
    step = s
    if (to - from) / s <= 12 then break end
  end
  local ticks = {}
  for x = math.ceil(from / step) * step, math.ceil(to) - 1, step do
    ticks[#ticks + 1] = {x = x, label = step < 12 and
      fmt("%d-%02d", x // 12, x % 12 + 1) or tostring(x // 12)}
  end
  return ticks
end

-- Values over time: opts.points = { {date =, y =, title =}, ... } drawn
-- as a line (with markers when there are at most 60 points), and
-- opts.dots (the same form) as small circles.  A date is "YYYY-MM-DD" or
-- a month "YYYY-MM"; the x axis spans whole months.  The y axis is
-- symmetric around 0, at least +-opts.ymin (0.2).  title =: a tooltip.
function html.time_chart(opts)
  local width, height = opts.width or 880, opts.height or 300
  local left, right, top, bottom = 50, 16, 14, 34
  local points, dots = opts.points or {}, opts.dots or {}
  local xmin, xmax, ymax = math.huge, -math.huge, opts.ymin or 0.2
  local x_of = {}                                  -- point -> x
  for _, list in ipairs({points, dots}) do
    for _, p in ipairs(list) do
      x_of[p] = months_since_0(p.date)
      xmin = math.min(xmin, math.floor(x_of[p]))   -- whole months
      xmax = math.max(xmax, math.floor(x_of[p]) + 1)
      ymax = math.max(ymax, math.abs(p.y))
    end
  end
  if xmin > xmax then return "" end
  ymax = math.ceil(ymax * 10) / 10
  local pw, ph = width - left - right, height - top - bottom
  -- Coordinates on the page, as text for the SVG.
  local function X(x) return n2(left + pw * (x - xmin) / (xmax - xmin)) end
  local function Y(y, dy)
    return n2(top + ph * (ymax - y) / (2 * ymax) + (dy or 0))
  end

  local out = {fmt('<svg class="chart line" role="img" width="%d" '
    .. 'height="%d" viewBox="0 0 %d %d">', width, height, width, height)}
  if opts.title then
    out[#out + 1] = "<title>" .. esc(opts.title) .. "</title>"
  end
  -- Horizontal grid lines and their labels, 0 drawn darker.
  local step = ymax <= 0.4 and 0.1 or (ymax <= 1 and 0.25 or 0.5)
  for y = -ymax, ymax + 1e-9, step do
    if math.abs(y) < 1e-9 then y = 0 end
    out[#out + 1] = fmt('<line class="%s" x1="%d" y1="%s" x2="%d" y2="%s"/>',
      y == 0 and "zero" or "grid", left, Y(y), width - right, Y(y))
    out[#out + 1] = fmt('<text x="%d" y="%s" text-anchor="end">%s</text>',
      left - 6, Y(y, 4), y == 0 and "0" or fmt("%+.2f", y))
  end
  for _, t in ipairs(month_ticks(xmin, xmax)) do
    out[#out + 1] = fmt('<line class="tick" x1="%s" y1="%d" x2="%s" '
      .. 'y2="%d"/>', X(t.x), top + ph, X(t.x), top + ph + 5)
    out[#out + 1] = fmt('<text x="%s" y="%d" text-anchor="middle">%s</text>',
      X(t.x), height - 10, esc(t.label))
  end
  for _, p in ipairs(dots) do
    out[#out + 1] = fmt('<circle class="dot" cx="%s" cy="%s" r="3.5">'
      .. '<title>%s</title></circle>', X(x_of[p]), Y(p.y), esc(p.title or ""))
  end
  local xy = {}
  for i, p in ipairs(points) do xy[i] = X(x_of[p]) .. "," .. Y(p.y) end
  out[#out + 1] = '<polyline points="' .. table.concat(xy, " ") .. '"/>'
  for _, p in ipairs(#points <= 60 and points or {}) do
    out[#out + 1] = fmt('<circle cx="%s" cy="%s" r="4.5"><title>%s</title>'
      .. '</circle>', X(x_of[p]), Y(p.y), esc(p.title or ""))
  end
  out[#out + 1] = "</svg>"
  return table.concat(out, "\n")
end

local css = [[
body { font: 15px/1.45 system-ui, "Segoe UI", Roboto, "Helvetica Neue",
       Arial, sans-serif; color: #1d232a; margin: 0 auto; padding: 24px;
       max-width: 960px; }
h1 { font-size: 1.6em; margin: 0 0 4px; }
h2 { font-size: 1.2em; margin: 32px 0 8px; padding-bottom: 4px;
     border-bottom: 2px solid #d0d7de; }
p.lead { color: #57606a; margin: 0 0 8px; }
.note { color: #57606a; font-style: italic; }
ul.note { font-size: 0.9em; }
table { border-collapse: collapse; margin: 8px 0 12px; font-size: 0.92em; }
th, td { padding: 3px 10px; text-align: left; vertical-align: top; }
th { border-bottom: 1px solid #8c959f; font-weight: 600; }
tbody tr:nth-child(even) { background: #f3f5f7; }
.num { text-align: right; font-variant-numeric: tabular-nums;
       white-space: nowrap; }
.pos { color: #1a7f37; } .neg { color: #cf222e; }
.kwic .left { text-align: right; color: #57606a; }
.kwic .match { font-weight: 700; text-align: center; }
.kwic .right { color: #57606a; }
.doc { color: #57606a; font-size: 0.9em; white-space: nowrap; }
.grid2 { display: flex; flex-wrap: wrap; gap: 0 32px; }
.grid2 > div { flex: 1 1 420px; }
svg.chart { display: block; max-width: 100%; height: auto; margin: 8px 0;
            font: 12px system-ui, Arial, sans-serif; fill: #1d232a; }
svg.bars rect { fill: #4c78a8; }
svg.bars text.value { fill: #57606a; }
svg.line line.grid { stroke: #e5e8eb; }
svg.line line.zero { stroke: #8c959f; }
svg.line line.tick { stroke: #8c959f; }
svg.line polyline { fill: none; stroke: #4c78a8; stroke-width: 2.5; }
svg.line circle { fill: #4c78a8; }
svg.line circle.dot { fill: #f58518; fill-opacity: 0.65; }
.legend { font-size: 0.9em; color: #57606a; }
.legend .swatch { display: inline-block; width: 10px; height: 10px;
                  border-radius: 50%; margin: 0 4px 0 12px; }
footer { margin-top: 40px; color: #8c959f; font-size: 0.85em; }
@media print {
  body { padding: 0; max-width: none; font-size: 11pt; }
  h2 { break-after: avoid; }
  table, svg { break-inside: avoid; }
}
]]

-- A whole page: title, then the body (a string or a list of strings).
function html.page(title, body)
  if type(body) == "table" then body = table.concat(body, "\n") end
  return table.concat({
    "<!DOCTYPE html>",
    '<html lang="en"><head><meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    "<title>" .. esc(title) .. "</title>",
    "<style>" .. css .. "</style>",
    "</head><body>", body, "</body></html>", ""}, "\n")
end

return html
