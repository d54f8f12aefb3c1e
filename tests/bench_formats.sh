#!/bin/sh
# bench_formats.sh LECTOR DIR [RUNS] -- issue 14's benchmark (not a test):
# the text files under DIR written as one JSON-lines file (and that file
# gzip'd), then `lector.load` + `ngram.count{n = 1}` over each, as a
# user would run them.  Prints the best wall time of RUNS (default 3) for
# each form, its ratio to the files, and the token total of each count
# (they must agree).
#
#   ../shared/bench/make-corpus --size-mb 200 --out /tmp/c200
#   sh tests/bench_formats.sh build/lector /tmp/c200
set -eu
lector=$1 dir=$2 runs=${3:-3}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT INT TERM

# Written from lector's own doc.text, so that every form holds the same
# texts (a file's date header is not part of its text).
printf '%s\n' 'local cjson = require "cjson"' \
  'local c = lector.load(arg[1], {quiet = true, dates = false})' \
  'local f = assert(io.open(arg[2], "w"))' \
  'for i = 1, #c do f:write(cjson.encode({id = c[i].id, text = c[i].text}), "\n") end' \
  'assert(f:close())' > "$work/convert.lua"
"$lector" "$work/convert.lua" "$dir" "$work/corpus.jsonl"
gzip -k -1 "$work/corpus.jsonl"
printf '%s\n' 'local ngram = require "lector.ngram"' \
  'local c = lector.load(arg[1], {quiet = true, dates = false})' \
  'local t = ngram.count(c, {n = 1})' \
  'print(#c, t:total())' > "$work/count.lua"

# best wall time of $runs runs of the count over $1; prints "secs docs tokens"
best() {
  b=""
  for _ in $(seq "$runs"); do
    s=$(date +%s.%N)
    out=$("$lector" "$work/count.lua" "$1")
    e=$(date +%s.%N)
    t=$(echo "$e - $s" | bc)
    if [ -z "$b" ] || [ "$(echo "$t < $b" | bc)" = 1 ]; then b=$t; fi
  done
  echo "$b $out"
}

size=$(du -sm "$work/corpus.jsonl" | cut -f1)
echo "corpus: $dir ($size MB as JSON lines), best of $runs, $(nproc) cores"
set -- $(best "$dir"); files=$1
printf '%-22s %7.2f s  1.00x  %s docs, %s tokens\n' "files" "$1" "$2" "$3"
for f in corpus.jsonl corpus.jsonl.gz; do
  set -- $(best "$work/$f")
  printf '%-22s %7.2f s  %.2fx  %s docs, %s tokens\n' "$f" "$1" \
    "$(echo "$1 / $files" | bc -l)" "$2" "$3"
done
