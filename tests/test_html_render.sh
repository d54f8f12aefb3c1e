#!/bin/sh
# test_html_render.sh -- scripts/report.lua --html makes a self-contained
# page (an inline SVG per chart, no network, no script) that headless
# Chromium renders with the charts drawn.  Run by ctest from the source
# tree; skips (77) without Debian's chromium or python3.
set -u
L="${LECTOR_BIN:-build/lector}"
CHROME=$(command -v chromium || command -v chromium-browser || true)
[ -n "$CHROME" ] || { echo "SKIP: chromium is not installed"; exit 77; }
command -v python3 >/dev/null || { echo "SKIP: python3 is not installed"; exit 77; }
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT

fail() { echo "FAIL: $*"; exit 1; }

"$L" scripts/report.lua --html "$T/report.html" >"$T/out" 2>&1 ||
  { cat "$T/out"; fail "report.lua --html"; }
page="$T/report.html"

# One SVG per chart: documents per month, sentiment over time, top words,
# top bigrams, keyness; and nothing fetched from anywhere.
svgs=$(grep -o '<svg ' "$page" | wc -l)
[ "$svgs" -eq 5 ] || fail "$svgs SVG charts, wanted 5"
grep -q '<polyline' "$page" || fail "no sentiment line"
grep -q '<rect' "$page" || fail "no bars"
! grep -Eq 'https?://' "$page" ||
  fail "a network reference: $(grep -Eo 'https?://[^"]*' "$page" | head -1)"
! grep -qi '<script' "$page" || fail "a script"
! grep -Eqi '<(img|link|iframe)[ >]' "$page" || fail "an external resource"
echo "ok   self-contained page with 5 SVG charts"

# render PAGE PNG: a 1200x2000 screenshot (Chromium's chatter kept apart).
render() {
  HOME="$T" timeout 120 "$CHROME" --headless --no-sandbox --disable-gpu \
    --no-first-run --hide-scrollbars --user-data-dir="$T/profile" \
    --window-size=1200,2000 --screenshot="$2" "file://$1" >"$T/chrome.log" 2>&1
  [ -s "$2" ] || { cat "$T/chrome.log"; fail "no screenshot of $1"; }
}

# check PNG: decode it (zlib, filters) and require a drawn page: many
# colours, 3% of pixels not white, and 2000 pixels of the bar colour
# #4c78a8, which only the SVG charts use.
check() {
  python3 - "$1" <<'EOF'
import struct, sys, zlib
data = open(sys.argv[1], 'rb').read()
assert data[:8] == b'\x89PNG\r\n\x1a\n', 'not a PNG'
pos, idat = 8, b''
while pos < len(data):
    n, kind = struct.unpack('>I4s', data[pos:pos + 8])
    if kind == b'IHDR':
        w, h, depth, ctype = struct.unpack('>IIBB', data[pos + 8:pos + 18])
    elif kind == b'IDAT':
        idat += data[pos + 8:pos + 8 + n]
    pos += 12 + n
assert depth == 8 and ctype in (2, 6), 'PNG type %d/%d' % (depth, ctype)
bpp = 3 if ctype == 2 else 4
raw, stride = zlib.decompress(idat), w * bpp
prev, colours, ink, bars = bytearray(stride), set(), 0, 0
for y in range(h):
    f = raw[y * (stride + 1)]
    line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
    if f == 2:
        line = bytearray((x + u) & 255 for x, u in zip(line, prev))
    elif f:
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b = prev[i]
            c = prev[i - bpp] if i >= bpp else 0
            if f == 1: line[i] = (line[i] + a) & 255
            elif f == 3: line[i] = (line[i] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else
                                      b if pb <= pc else c)) & 255
    pixels = list(zip(line[0::bpp], line[1::bpp], line[2::bpp]))
    colours.update(pixels)
    ink += w - pixels.count((255, 255, 255))
    bars += pixels.count((0x4c, 0x78, 0xa8))
    prev = line
print('%dx%d: %d colours, %.1f%% ink, %d bar pixels'
      % (w, h, len(colours), 100.0 * ink / (w * h), bars))
sys.exit(0 if len(colours) >= 32 and ink >= 0.03 * w * h and bars >= 2000 else 1)
EOF
}

render "$page" "$T/report.png"
check "$T/report.png" || fail "the report rendered blank or without its charts"
echo "ok   the report renders with its charts"

# The check must tell: a blank page, and the report without its SVGs
# (text only), both fail it.
printf '<!DOCTYPE html><html><body></body></html>\n' > "$T/blank.html"
render "$T/blank.html" "$T/blank.png"
! check "$T/blank.png" || fail "a blank page passed the check"
sed '/<svg /,/<\/svg>/d' "$page" > "$T/nosvg.html"
render "$T/nosvg.html" "$T/nosvg.png"
! check "$T/nosvg.png" || fail "the page without charts passed the check"
echo "ok   a blank page and a page without charts fail the check"
