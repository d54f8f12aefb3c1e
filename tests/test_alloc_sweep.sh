#!/bin/sh
# test_alloc_sweep.sh -- the allocation-failure sweep (issue 12, "Always
# on, in CI").  tests/lua/alloc_scenario.lua (load the sample corpus,
# tokenize, ngram count on 1 and 2 threads, collocations, kwic, a
# sentiment score, t:save and ngram.load) is run once to count its
# allocations (Lua's and plugins', as core/mem.c counts them), then again
# with LECTOR_FAIL_ALLOC=N for every N from 1 to that total, in two modes:
#   N   only the Nth allocation fails (Lua retries after a full GC, so the
#       run may recover: then its output must equal the reference's);
#   N+  the Nth and every later one fail (the run must end in an error).
# Each run must end in exit 0 with the reference output, or exit 1 with a
# message on stderr: never a crash, a hang (60 s), a sanitizer report, or
# another status.  SWEEP_STRIDE=K tries every Kth N only in the N+ mode
# (default 1: all); the N mode, where most runs simply recover, tries every
# SWEEP_ONLY_STRIDE-th N (default 4 x SWEEP_STRIDE) to keep CI's time in
# bounds.  SWEEP_JOBS runs that many at once (default 2).  Run by ctest.
set -u
L="${LECTOR_BIN:?run through ctest}"
SRC=$(cd "$(dirname "$0")/.." && pwd)
LEX="$SRC/tests/fixtures/sentiment/news_lexicon.txt"
STRIDE="${SWEEP_STRIDE:-1}"
ONLY_STRIDE="${SWEEP_ONLY_STRIDE:-$((STRIDE * 4))}"
JOBS="${SWEEP_JOBS:-2}"
export LECTOR_PLUGIN_PATH=
cd "$SRC" || exit 1

# Known failures in code this test does not own, reported as KNOWN (not
# failing the test) until fixed: one extended regex per line, matched
# against the failing run's stderr.  None today.
KNOWN=''

# one N: run the scenario failing allocation N, print a verdict line
# (T and REF come from the parent).
if [ "${1:-}" = one ]; then
  n=$2
  d="$T/run.$n"
  mkdir -p "$d"
  LECTOR_FAIL_ALLOC=$n timeout 60 "$L" tests/lua/alloc_scenario.lua "$d" \
    "$LEX" >"$d/out" 2>"$d/err"
  rc=$?
  grep -v '^allocations' "$d/out" >"$d/digest"
  why=
  if grep -q 'AddressSanitizer\|LeakSanitizer\|runtime error:' "$d/err"; then
    why="sanitizer report"
  elif [ "$rc" -eq 0 ]; then
    cmp -s "$d/digest" "$REF" || why="exit 0 with wrong output"
  elif [ "$rc" -eq 1 ]; then
    [ -s "$d/err" ] || why="exit 1 without a message"
  else
    why="exit $rc"
  fi
  if [ -n "$why" ] && printf '%s\n' "$KNOWN" | grep -v '^$' |
       grep -E -q -f - "$d/err"; then
    echo "KNOWN N=$n: $why"
    grep -E 'ERROR|SUMMARY|#[0-9] ' "$d/err" | head -8 | sed 's/^/  | /'
  elif [ -n "$why" ]; then
    echo "FAIL N=$n: $why"
    sed 's/^/  | /' "$d/err" | head -30
  else
    echo "ok N=$n rc=$rc"
    rm -rf "$d"
  fi
  exit 0
fi

T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
"$L" tests/lua/alloc_scenario.lua "$T" "$LEX" >"$T/ref.out" 2>"$T/ref.err" || {
  echo "the scenario fails without fault injection:"; cat "$T/ref.err"; exit 1; }
grep -v '^allocations' "$T/ref.out" >"$T/ref"
total=$(sed -n 's/^allocations\t//p' "$T/ref.out")
total=$((total + 50))                 # and a few past the end
export REF="$T/ref" T L LEX
echo "reference: $total counted allocations; N+ every $STRIDE, N every $ONLY_STRIDE, $JOBS jobs"
seq 1 "$STRIDE" "$total" | sed 's/$/+/' >"$T/ns"
seq 1 "$ONLY_STRIDE" "$total" >>"$T/ns"
xargs -P "$JOBS" -n 1 sh "$0" one <"$T/ns" >"$T/log"
runs=$(wc -l <"$T/ns")
bad=$(grep -c '^FAIL' "$T/log")
grep -v '^ok' "$T/log"
echo "alloc sweep: $runs runs, $bad failed, $(grep -c '^KNOWN' "$T/log") known ($(grep -c 'rc=0' "$T/log") recovered, $(grep -c 'rc=1' "$T/log") clean errors)"
[ "$bad" -eq 0 ]
