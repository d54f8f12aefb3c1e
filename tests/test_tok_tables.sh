#!/bin/sh
# The committed plugins/tokenize/tok_tables.c must be exactly what
# gen_tables makes from the installed Unicode data; skips (77) when the
# data files are absent.
#   test_tok_tables.sh GEN_TABLES UNICODE_DIR COMMITTED_TOK_TABLES_C
gen=$1 ucd=$2 committed=$3
for f in UnicodeData.txt auxiliary/WordBreakProperty.txt \
         auxiliary/SentenceBreakProperty.txt emoji/emoji-data.txt \
         LineBreak.txt PropList.txt Scripts.txt; do
  if [ ! -r "$ucd/$f" ]; then
    echo "skip: no $ucd/$f (Debian's unicode-data)"
    exit 77
  fi
done
tmp=$(mktemp) || exit 1
trap 'rm -f "$tmp"' EXIT
"$gen" "$ucd" > "$tmp" || { echo "FAIL: $gen $ucd exited $?"; exit 1; }
if ! cmp -s "$tmp" "$committed"; then
  echo "FAIL: $committed differs from what gen_tables makes from $ucd:"
  diff "$committed" "$tmp" | head -20
  echo "(regenerate: cmake --build BUILD --target tokenize_tables)"
  exit 1
fi
echo "ok: $committed is gen_tables' output for $ucd"
