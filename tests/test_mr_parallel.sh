#!/bin/sh
# test_mr_parallel.sh -- scripts/mr/ngrams on GNU parallel (issue 15): a
# mapper killed with SIGKILL leaves nothing that looks finished, a rerun of
# the same command does only the shards not done, and the merged table is
# byte-identical to ngram.count(...):save() of the whole corpus in one
# process, for 1, 3 and 4 shards and with count options after --.  Bad
# input: clear messages, non-zero exit.  Skips (77) without parallel.
set -u
L="${LECTOR_BIN:?run through ctest}"
SRC=$(cd "$(dirname "$0")/.." && pwd)
NG=$SRC/scripts/mr/ngrams
command -v parallel >/dev/null 2>&1 ||
  { echo "SKIP: GNU parallel is not installed (Debian: apt-get install parallel)"; exit 77; }
command -v pgrep >/dev/null 2>&1 || { echo "SKIP: no pgrep (procps)"; exit 77; }
export LECTOR="$L"
T=$(mktemp -d)
killer=""
trap '[ -n "$killer" ] && kill "$killer" 2>/dev/null; rm -rf "$T"' EXIT
pass=0 fail=0
ok() { echo "ok   $1"; pass=$((pass + 1)); }
bad() { echo "FAIL $1"; [ -f "$T/out" ] && sed 's/^/  | /' "$T/out"; fail=$((fail + 1)); }

# The corpus: the sample corpus in 400 copies (7,600 documents, ~20 MB),
# so that a mapper runs long enough to be killed midway.
C=$T/corpus
mkdir "$C"
k=1
while [ $k -le 400 ]; do
  mkdir "$C/copy$k" && cp -R "$SRC"/scripts/corpus/* "$C/copy$k/" || exit 1
  k=$((k + 1))
done

# one OUT N-RANGE [key=value ...]: the whole corpus counted in one process.
one() {
  out=$1 nr=$2
  shift 2
  o="n = {${nr%%..*}, ${nr##*..}}"
  for kv in "$@"; do o="$o, ${kv%%=*} = ${kv#*=}"; done
  "$L" -e "local ngram = require 'lector.ngram'
    ngram.count(lector.load('$C', {quiet = true}), {$o}):save('$out')"
}
same() {  # same NAME A B
  if cmp -s "$2" "$3"; then ok "$1"; else echo "FAIL $1: $2 and $3 differ"; fail=$((fail + 1)); fi
}

# --- 4 shards, options after --: a mapper killed inside the driver -------
# -j 1 runs the shards in order: once shard 1 is saved, every attempt at
# shard 2 (parallel retries it) is killed with SIGKILL until the driver
# gives up; shards 3 and 4 never start.
W4=$T/four.tsv.parts
"$NG" --jobs 1 --shards 4 "$C" "$T/four.tsv" -- stopwords=true min_len=2 >"$T/out" 2>&1 &
drv=$!
(
  while [ ! -f "$W4/shard-1-of-4.tsv" ] && kill -0 $drv 2>/dev/null; do sleep 0.01; done
  while kill -0 $drv 2>/dev/null; do
    p=$(pgrep -f "map.lua $C 2 4 ") && kill -9 $p 2>/dev/null
    sleep 0.01
  done
) &
killer=$!
wait $drv
rc=$?
wait $killer
killer=""
if [ $rc -ne 0 ] && grep -q "a mapper failed.*rerun the same command" "$T/out"; then
  ok "killed mapper: the driver fails and says to rerun"
else
  bad "killed mapper: driver exit $rc"
fi
# The joblog: shard 1 done, shard 2 killed by signal 9.
if awk -F'\t' '$1 == 1 && $7 == 0 { d++ } $1 == 2 && $8 == 9 { k++ } END { exit !(d == 1 && k == 1) }' "$W4/joblog"; then
  ok "killed mapper: joblog has shard 1 done and shard 2 killed (signal 9)"
else
  echo "FAIL killed mapper: joblog"; sed 's/^/  | /' "$W4/joblog"; fail=$((fail + 1))
fi
left=$(cd "$W4" && ls shard-* 2>/dev/null | tr '\n' ' ')
if [ "$left" = "shard-1-of-4.tsv " ]; then
  ok "killed mapper: no finished-looking shard but 1 ($left)"
else
  echo "FAIL killed mapper: shards left: $left"; fail=$((fail + 1))
fi
# The rerun does shards 2-4 only: parallel skips shard 1 through the joblog.
"$NG" --jobs 1 --shards 4 "$C" "$T/four.tsv" -- stopwords=true min_len=2 >"$T/out" 2>&1
rc=$?
if [ $rc -eq 0 ] && ! grep -q "^shard 1/4" "$T/out" &&
   [ "$(grep -c '^shard [234]/4: [0-9]* documents' "$T/out")" -eq 3 ] &&
   [ "$(awk -F'\t' '$1 == 1' "$W4/joblog" | wc -l)" -eq 1 ]; then
  ok "rerun: counts shards 2, 3 and 4 only"
else
  bad "rerun: exit $rc"
fi
one "$T/four.one" 1..2 stopwords=true min_len=2
same "4 shards, stopwords=true min_len=2 = one run" "$T/four.tsv" "$T/four.one"
# Another rerun does nothing but the merge.
"$NG" --jobs 1 --shards 4 "$C" "$T/four.tsv" -- stopwords=true min_len=2 >"$T/out" 2>&1
if [ $? -eq 0 ] && ! grep -q "^shard" "$T/out" && grep -q "^merged 4 shards" "$T/out"; then
  ok "rerun of a finished job: merge only"
else
  bad "rerun of a finished job"
fi
# The same workdir with other options is refused: its shards are another
# job's (they were once merged silently).
"$NG" --jobs 1 --shards 4 "$C" "$T/four.tsv" -- stopwords=false >"$T/out" 2>&1
rc=$?
if [ $rc -ne 0 ] && grep -q "four.tsv.parts holds the shards of another job" "$T/out"; then
  ok "workdir of another job (options) refused"
else
  bad "workdir of another job: exit $rc"
fi
"$NG" --shards 3 "$C" "$T/four.tsv" -- stopwords=true min_len=2 >"$T/out" 2>&1
rc=$?
if [ $rc -ne 0 ] && grep -q "holds the shards of another job" "$T/out"; then
  ok "workdir of another job (shards) refused"
else
  bad "workdir of another job (shards): exit $rc"
fi

# --- 3 shards: a mapper killed midway, one shard done by hand -----------
# The mapper is killed by the kernel while it writes its table: past a
# file-size limit (ulimit -f, 512- or 1024-byte blocks) a write raises
# SIGXFSZ, whose default action ends the process.  Unlike a timer this does
# not depend on the machine's speed (a timer of 0.1 s let a fast machine
# finish the mapper first).
W3=$T/three.tsv.parts
mkdir "$W3"
(ulimit -f 16 && exec "$L" "$SRC/scripts/mr/map.lua" "$C" 2 3 "$W3/shard-2-of-3.tsv" n=2) >"$T/out" 2>&1
rc=$?
if [ $rc -gt 128 ] && [ ! -e "$W3/shard-2-of-3.tsv" ] && [ -n "$(ls -A "$W3")" ]; then
  ok "mapper killed while writing (signal $((rc - 128))): no shard-2-of-3.tsv, only its temporary"
else
  bad "mapper killed while writing: exit $rc, workdir: $(ls -A "$W3" | tr '\n' ' ')"
fi
"$L" "$SRC/scripts/mr/map.lua" "$C" 1 3 "$W3/shard-1-of-3.tsv" n=2 >/dev/null 2>&1
"$NG" --shards 3 --n 2 "$C" "$T/three.tsv" >"$T/out" 2>&1
rc=$?
if [ $rc -eq 0 ] && grep -q "^shard 1/3: .*exists, skipped" "$T/out" &&
   [ "$(grep -c '^shard [23]/3: [0-9]* documents' "$T/out")" -eq 2 ]; then
  ok "driver after a killed mapper: shard 1 exists, skipped; 2 and 3 counted"
else
  bad "driver after a killed mapper: exit $rc"
fi
one "$T/three.one" 2..2
same "3 shards, --n 2 = one run" "$T/three.tsv" "$T/three.one"

# --- 1 shard ---------------------------------------------------------------
"$NG" --shards 1 --n 1 "$C" "$T/single.tsv" -- min_len=3 >"$T/out" 2>&1 || bad "1 shard: driver failed"
one "$T/single.one" 1..1 min_len=3
same "1 shard, --n 1 min_len=3 = one run" "$T/single.tsv" "$T/single.one"

# --- bad input -------------------------------------------------------------
check() {  # check NAME PATTERN -- command...
  name=$1 pattern=$2
  shift 3
  "$@" >"$T/out" 2>&1
  rc=$?
  if [ $rc -ne 0 ] && grep -q -- "$pattern" "$T/out"; then ok "$name"; else bad "$name: exit $rc"; fi
}
"$NG" --help >"$T/out" 2>&1 && grep -q "^usage: .*ngrams \[--engine parallel|slurm\]" "$T/out" &&
  grep -q "CORPUS OUT.tsv \[-- key=value ...\]" "$T/out" && ok "help: the whole synopsis, exit 0" || bad "help"
check no_output "^usage: " -- "$NG" "$C"
check unknown_option "unknown option --frobnicate" -- "$NG" --frobnicate "$C" "$T/x.tsv"
check shards_zero "--shards: a positive integer, not '0'" -- "$NG" --shards 0 "$C" "$T/x.tsv"
check shards_zeros "--shards: a positive integer, not '00'" -- "$NG" --shards 00 "$C" "$T/x.tsv"
check shards_word "--shards: a positive integer, not 'four'" -- "$NG" --shards four "$C" "$T/x.tsv"
check shards_no_value "--shards needs a value" -- "$NG" --shards
check engine "--engine: parallel or slurm, not 'mpi'" -- "$NG" --engine mpi "$C" "$T/x.tsv"
check n_range "--n: a length 1-5 or a range such as 1..2, not '7'" -- "$NG" --n 7 "$C" "$T/x.tsv"
check missing_corpus "$T/none: no such corpus" -- "$NG" "$T/none" "$T/x.tsv"
check not_key_value "count option 'stopwords' is not key=value" -- "$NG" "$C" "$T/x.tsv" -- stopwords
check output_in_corpus "the output is inside the corpus" -- "$NG" "$C" "$C/x.tsv"
[ ! -e "$C/x.tsv.parts" ] && ok "output_in_corpus: nothing made" || bad "output_in_corpus: made $C/x.tsv.parts"
check unknown_count_option "unknown option 'bogus'" -- "$NG" --shards 2 "$C" "$T/bogus.tsv" -- bogus=1
[ ! -e "$T/bogus.tsv" ] && ok "unknown_count_option: no output" || bad "unknown_count_option: output made"

echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
