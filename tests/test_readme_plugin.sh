#!/bin/sh
# test_readme_plugin.sh -- the plugin of README.md's "Writing a plugin",
# taken from the README as it stands, built with the one cc line the README
# gives (plus -Wall -Wextra -Werror) against the build tree's
# lector-plugin-uninstalled.pc, loaded through LECTOR_PLUGIN_PATH and run
# on the sample corpus (scripts/corpus), grouped by "month" and by a
# front-matter key, with threads = 0 and 2.
set -eu
: "${LECTOR_BIN:?}" "${LECTOR_BUILD:?}"
command -v cc >/dev/null && command -v pkg-config >/dev/null || exit 77
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/plugins"
# The ```c block whose first line names wordcount.c.
awk '/^```c$/ { inb = 1; buf = ""; next }
     /^```$/  { if (inb && buf ~ /^\/\* wordcount\.c --/) { printf "%s", buf; found = 1; exit }
                inb = 0; next }
     inb      { buf = buf $0 "\n" }
     END      { exit found ? 0 : 1 }' README.md > "$tmp/wordcount.c" ||
  { echo "README.md: no wordcount.c code block" >&2; exit 1; }
lines=$(wc -l < "$tmp/wordcount.c")
[ "$lines" -lt 150 ] || { echo "the walk-through is $lines lines" >&2; exit 1; }
PKG_CONFIG_PATH="$LECTOR_BUILD" cc -shared -fPIC -Wall -Wextra -Werror \
  $(PKG_CONFIG_PATH="$LECTOR_BUILD" pkg-config --cflags lector-plugin) \
  "$tmp/wordcount.c" -o "$tmp/plugins/wordcount.so"
cat > "$tmp/check.lua" <<'LUA'
local wc = lector.plugin("wordcount")
local c = lector.load("scripts/corpus")
local function words(text)
  local n = 0
  for _ in text:gmatch("[%w\128-\255]+") do n = n + 1 end
  return n
end
local total = 0
for d in c:each() do total = total + words(d.text) end
for _, threads in ipairs{0, 2} do
  assert(wc.count(c, {threads = threads}) == total, "total")
  for _, by in ipairs{"month", "author"} do
    local got, keys = wc.count(c, {by = by, threads = threads}), {}
    for k, n in pairs(got) do keys[#keys + 1] = k .. "=" .. n end
    local want = {}
    for k, docs in pairs(c:group_by(by)) do
      local n = 0
      for d in docs:each() do n = n + words(d.text) end
      want[#want + 1] = k .. "=" .. n
    end
    assert(#want > 1, by .. ": groups")
    assert(table.concat(keys, " ") == table.concat(want, " "),
      by .. ", threads " .. threads .. ": " .. table.concat(keys, " ")
      .. " ~= " .. table.concat(want, " "))
  end
end
local ok, err = pcall(wc.count, c, {thread = 2})
assert(not ok and err:find("unknown option 'thread'", 1, true), err)
print("ok")
LUA
out=$(LECTOR_PLUGIN_PATH="$tmp/plugins" "$LECTOR_BIN" "$tmp/check.lua")
[ "$out" = ok ] || { echo "$out" >&2; exit 1; }
# The fixture built by CMake (tests/plugins/wordcount.c, run under ASan by
# lua_corpus_api) is this very code: keep the two from drifting apart.
cmp -s "$tmp/wordcount.c" tests/plugins/wordcount.c ||
  { echo "README.md's wordcount.c differs from tests/plugins/wordcount.c" >&2; exit 1; }
