#!/bin/sh
# test_mr_slurm.sh -- scripts/mr/ngrams --engine slurm (issue 15) on a
# single-node SLURM that the test starts itself: munged with a key of its
# own on a socket of its own, slurmctld and slurmd from a slurm.conf in a
# temporary folder.  The array job (map) and the dependent merge job run to
# completion and the result is byte-identical to one ngram.count save; a
# rerun after losing a shard redoes only that shard; a failing map cancels
# the merge job, so --wait returns.  Every daemon it started is stopped on
# exit.  Skips (77), saying why, where SLURM cannot start.
set -u
L="${LECTOR_BIN:?run through ctest}"
SRC=$(cd "$(dirname "$0")/.." && pwd)
NG=$SRC/scripts/mr/ngrams
skip() { echo "SKIP: $*"; exit 77; }
for c in munged munge unmunge slurmctld slurmd sbatch sinfo squeue; do
  command -v $c >/dev/null 2>&1 || PATH=$PATH:/usr/sbin:/sbin
  command -v $c >/dev/null 2>&1 || skip "$c is not installed (Debian: slurm-wlm, munge)"
done
[ "$(id -u)" -eq 0 ] || skip "slurmd must run as root (this is uid $(id -u))"
export LECTOR="$L"

T=$(mktemp -d /tmp/lector-slurm.XXXXXX)
chmod 755 "$T"   # munged wants its socket's folder open to all
ctld="" slurmd=""
stop() {
  for p in $slurmd $ctld; do kill "$p" 2>/dev/null; done
  for p in $slurmd $ctld; do wait "$p" 2>/dev/null; done
  [ -f "$T/munge/munged.pid" ] && kill "$(cat "$T/munge/munged.pid")" 2>/dev/null
  rm -rf "$T"
}
trap stop EXIT
trap 'exit 1' INT TERM
logs() { for f in "$@"; do [ -f "$f" ] && tail -n 5 "$f" | sed "s|^|  $(basename "$f"): |"; done; }

# --- munge: a key and a socket of our own -------------------------------
M=$T/munge
mkdir "$M"
mu=root
id munge >/dev/null 2>&1 && mu=munge
if command -v mungekey >/dev/null 2>&1; then
  mungekey -c -k "$M/munge.key" 2>/dev/null
else
  dd if=/dev/urandom of="$M/munge.key" bs=1 count=1024 2>/dev/null
fi
chmod 600 "$M/munge.key" && chown -R "$mu" "$M" || skip "cannot give $M to the munge user $mu"
force=""
[ "$mu" = root ] && force=--force
runuser -u "$mu" -- munged $force --socket="$M/munge.sock" --key-file="$M/munge.key" \
  --pid-file="$M/munged.pid" --log-file="$M/munged.log" --seed-file="$M/seed" \
  >"$T/munged.out" 2>&1 ||
  { cat "$T/munged.out"; skip "munged cannot start (as $mu)"; }
munge -S "$M/munge.sock" -n 2>/dev/null | unmunge -S "$M/munge.sock" >/dev/null 2>&1 ||
  { logs "$M/munged.log"; skip "munged started but does not answer on $M/munge.sock"; }

# --- slurmctld and slurmd ------------------------------------------------
H=$(hostname -s)
port=$((20000 + $$ % 20000 * 2))
mkdir "$T/state" "$T/spool"
export SLURM_CONF="$T/slurm.conf"
cat > "$SLURM_CONF" <<EOF
ClusterName=lectortest
SlurmctldHost=$H(127.0.0.1)
SlurmctldPort=$port
SlurmdPort=$((port + 1))
AuthType=auth/munge
AuthInfo=socket=$M/munge.sock
CredType=cred/munge
SlurmUser=root
SlurmdUser=root
StateSaveLocation=$T/state
SlurmdSpoolDir=$T/spool
SlurmctldPidFile=$T/slurmctld.pid
SlurmdPidFile=$T/slurmd.pid
SlurmctldLogFile=$T/slurmctld.log
SlurmdLogFile=$T/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
ReturnToService=2
MpiDefault=none
MailProg=/bin/true
JobCompType=jobcomp/none
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
NodeName=$H NodeAddr=127.0.0.1 CPUs=$(nproc) State=UNKNOWN
PartitionName=lector Nodes=$H Default=YES MaxTime=INFINITE State=UP
EOF
slurmctld -D -i -f "$SLURM_CONF" >"$T/slurmctld.out" 2>&1 &
ctld=$!
slurmd -D -f "$SLURM_CONF" >"$T/slurmd.out" 2>&1 &
slurmd=$!
t=0
until [ "$(sinfo -h -n "$H" -o %T 2>/dev/null)" = idle ]; do
  for p in $ctld $slurmd; do
    kill -0 "$p" 2>/dev/null || {
      logs "$T/slurmctld.log" "$T/slurmd.log" "$T/slurmctld.out" "$T/slurmd.out"
      skip "$( [ "$p" = "$ctld" ] && echo slurmctld || echo slurmd) exited at start (see above)"
    }
  done
  t=$((t + 1))
  [ $t -le 120 ] || {
    logs "$T/slurmctld.log" "$T/slurmd.log"
    skip "node $H not idle after 60 s (state: $(sinfo -h -n "$H" -o %T 2>&1))"
  }
  sleep 0.5
done
echo "slurm: node $H idle after $((t / 2)) s (ports $port, $((port + 1)))"

# --- the driver ---------------------------------------------------------
pass=0 fail=0
ok() { echo "ok   $1"; pass=$((pass + 1)); }
bad() { echo "FAIL $1"; sed 's/^/  | /' "$T/out"; logs "$T"/out.tsv.parts/*.log; fail=$((fail + 1)); }
C=$T/corpus
mkdir "$C"
for k in 1 2 3 4 5 6 7 8; do mkdir "$C/copy$k" && cp -R "$SRC"/scripts/corpus/* "$C/copy$k/"; done
"$L" -e "local ngram = require 'lector.ngram'
  ngram.count(lector.load('$C', {quiet = true}), {n = {1, 2}, stopwords = true}):save('$T/one.tsv')"

timeout 300 "$NG" --engine slurm --wait --shards 3 "$C" "$T/out.tsv" -- stopwords=true >"$T/out" 2>&1
rc=$?
if [ $rc -eq 0 ] && cmp -s "$T/out.tsv" "$T/one.tsv"; then
  ok "slurm: 3 shards (array job + merge job), stopwords=true = one run"
else
  bad "slurm: 3 shards: exit $rc"
fi
# A shard lost: the rerun's array job skips the two left and redoes it.
rm -f "$T/out.tsv.parts/shard-2-of-3.tsv" "$T/out.tsv"
timeout 300 "$NG" --engine slurm --wait --shards 3 "$C" "$T/out.tsv" -- stopwords=true >"$T/out" 2>&1
rc=$?
P=$T/out.tsv.parts
if [ $rc -eq 0 ] && cmp -s "$T/out.tsv" "$T/one.tsv" &&
   grep -q "exists, skipped" "$P/map-1.log" && grep -q "exists, skipped" "$P/map-3.log" &&
   grep -q "^shard 2/3: [0-9]* documents" "$P/map-2.log"; then
  ok "slurm: rerun after losing shard 2 counts shard 2 only, = one run"
else
  bad "slurm: rerun: exit $rc"
fi
# A failing map (an unknown count option) cancels the merge job: --wait
# returns non-zero instead of waiting for ever on DependencyNeverSatisfied.
timeout 120 "$NG" --engine slurm --wait --shards 2 "$C" "$T/bad.tsv" -- bogus=1 >"$T/out" 2>&1
rc=$?
if [ $rc -ne 0 ] && [ $rc -ne 124 ] && grep -q "the reduce job [0-9]* ended CANCELLED" "$T/out" &&
   [ ! -e "$T/bad.tsv" ]; then
  ok "slurm: a failed map cancels the merge job and the driver says so"
else
  bad "slurm: failed map: exit $rc (124: timed out)"
fi

echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
