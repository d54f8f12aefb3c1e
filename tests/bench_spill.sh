#!/bin/sh
# bench_spill.sh LECTOR DIR [N] [BUDGETS] -- issue 15's benchmark (not a
# test): ngram.count(corpus, {n = {1, N}}) over the text files under DIR,
# in memory and within each memory budget (default "256M 64M"), each in a
# process of its own, then t:save.  Prints per run the wall time, the peak
# RSS (from /usr/bin/time), the runs written, the distinct grams, and the
# ratios to the in-memory count; a baseline run (load only, count n = 1)
# shows what the session holds besides the count tables.  The saved
# tables must be byte-identical (checked with cmp).
#
#   ../shared/bench/make-corpus --size-mb 200 --out /tmp/c200
#   sh tests/bench_spill.sh build/lector /tmp/c200 3
set -eu
lector=$1 dir=$2 n=${3:-3} budgets=${4:-"256M 64M"}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT INT TERM

printf '%s\n' 'local ngram = require "lector.ngram"' \
  'local dir, n, mem, out, tmp = arg[1], tonumber(arg[2]), arg[3], arg[4], arg[5]' \
  'local c = lector.load(dir, {quiet = true, dates = false})' \
  'if mem == "base" then print(#ngram.count(c, {n = 1}), 0) return end' \
  'local o = {n = {1, n}, tmpdir = tmp}' \
  'if mem ~= "memory" then o.memory = mem end' \
  'local t = ngram.count(c, o)' \
  't:save(out)' \
  'local disk, runs = t:on_disk()' \
  'print(#t, runs or 0)' > "$work/count.lua"

# run LABEL MEM: prints "label secs peak_mb distinct runs"
run() {
  /usr/bin/time -f "%e %M" -o "$work/time" "$lector" "$work/count.lua" \
    "$dir" "$n" "$2" "$work/$1.tsv" "$work" > "$work/out" 2> "$work/err" || {
    cat "$work/err" >&2
    exit 1
  }
  set -- "$1" $(cat "$work/time") $(cat "$work/out")
  echo "$1 $2 $(($3 / 1024)) $4 $5"
}

echo "corpus $dir ($(du -sm "$dir" | cut -f1) MB on disk), n = 1..$n, $(nproc) cores"
run base base > "$work/base"
run memory memory > "$work/memory"
for b in $budgets; do run "b$b" "$b" >> "$work/budgets"; done
read -r _ bsecs bmb _ _ < "$work/base"
read -r _ msecs mmb mdistinct _ < "$work/memory"
printf '%-10s %9s %9s %7s %12s %8s %8s\n' count secs peak_MB runs distinct \
  time_x rss_x
printf '%-10s %9s %9s %7s %12s %8s %8s\n' "load only" "$bsecs" "$bmb" - - - -
printf '%-10s %9s %9s %7s %12s %8s %8s\n' "in memory" "$msecs" "$mmb" 0 \
  "$mdistinct" 1.00 1.00
while read -r label secs mb distinct runs; do
  printf '%-10s %9s %9s %7s %12s %8s %8s\n' "${label#b}" "$secs" "$mb" \
    "$runs" "$distinct" "$(echo "scale=2; $secs / $msecs" | bc)" \
    "$(echo "scale=2; $mb / $mmb" | bc)"
  cmp "$work/memory.tsv" "$work/$label.tsv" || {
    echo "the table counted within $label differs" >&2
    exit 1
  }
done < "$work/budgets"
echo "saved tables: byte-identical ($(du -m "$work/memory.tsv" | cut -f1) MB)"
