#!/bin/sh
# test_cli.sh -- the lector command line: exit codes, -e, -, arg, errors,
# --plugins with broken fixture plugins, timeouts.  Run by ctest.
set -u
L="${LECTOR_BIN:?run through ctest}"
TP="${LECTOR_TEST_PLUGINS:?}"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
pass=0 fail=0

check() {  # check NAME EXPECTED_RC PATTERN -- command...
  name=$1 want=$2 pattern=$3
  shift 4
  "$@" >"$T/out" 2>&1
  rc=$?
  if [ "$rc" -ne "$want" ]; then
    echo "FAIL $name: exit $rc, wanted $want"; sed 's/^/  | /' "$T/out"
    fail=$((fail + 1)); return
  fi
  if [ -n "$pattern" ] && ! grep -q -- "$pattern" "$T/out"; then
    echo "FAIL $name: no '$pattern' in output"; sed 's/^/  | /' "$T/out"
    fail=$((fail + 1)); return
  fi
  echo "ok   $name"; pass=$((pass + 1))
}

printf 'print("args", ...)\nprint(arg[0], arg[1], arg[2])\n' > "$T/args.lua"
printf 'local t = nil\nlocal x = t.field\n' > "$T/bad.lua"
printf 'x = = 1\n' > "$T/syntax.lua"

check version 0 "lector 0" -- "$L" --version
check help 0 "usage: lector" -- "$L" --help
check e 0 "^3$" -- "$L" -e "print(1 + 2)"
check e_twice 0 "^ab$" -- "$L" -e "x = 'a'" -e "print(x .. 'b')"
check script_args 0 "args	one	two" -- "$L" "$T/args.lua" one two
check arg_table 0 "args.lua	one	two" -- "$L" "$T/args.lua" one two
check runtime_error 1 "bad.lua:2: attempt to index a nil value" -- "$L" "$T/bad.lua"
check traceback 1 "stack traceback:" -- "$L" "$T/bad.lua"
check syntax_error 1 "syntax.lua:1:" -- "$L" "$T/syntax.lua"
check missing_script 1 "cannot open" -- "$L" "$T/none.lua"
check unknown_option 2 "unknown option '--bogus'" -- "$L" --bogus
check e_without_code 2 "needs an argument" -- "$L" -e
check bad_timeout 2 "--timeout wants" -- "$L" --timeout soon -e ""
check bad_memory 2 "--memory-limit wants" -- "$L" --memory-limit lots -e ""
check timeout 1 "timeout" -- "$L" --timeout 0.3 -e "while true do end"
check memory_limit 1 "not enough memory" -- "$L" --memory-limit 64M -e \
  "local t = {} for i = 1, 1e8 do t[i] = {} end"
check lfs 0 "directory" -- "$L" -e "print(require('lfs').attributes('.', 'mode'))"

# A count on three threads stopped by the memory limit or the timeout
# ends with its error, and nothing leaks (ASan) or hangs: 300 documents
# of 3,000 words drawn from 30,000.
mkdir "$T/big"
"$L" -e "math.randomseed(7)
  local w = {}
  for i = 1, 30000 do w[i] = string.format('w%x', i * 7919) end
  for f = 1, 300 do
    local t = {}
    for i = 1, 3000 do t[i] = w[math.random(#w)] end
    local h = assert(io.open('$T/big/' .. f .. '.txt', 'w'))
    h:write(table.concat(t, ' '), '\\n')
    h:close()
  end"
count3="local ng = require('lector.ngram') local c = lector.load('$T/big')"
# (memory = '1T' keeps the tables in memory: by default a count within
# --memory-limit goes to disk instead of running out, issue 15)
check ngram_memory_limit 1 "ngram.count: out of memory" -- "$L" \
  --memory-limit 24M -e "$count3 ng.count(c, {n = {1, 3}, threads = 3, memory = '1T'})"
check ngram_timeout 1 "interrupted" -- "$L" --timeout 0.3 -e \
  "$count3 for i = 1, 1000 do ng.count(c, {n = {1, 3}, threads = 3}) end"

# require finds modules beside the script and in LECTOR_PATH.
mkdir "$T/lib" "$T/app"
printf 'return {name = "helper"}\n' > "$T/lib/helper.lua"
printf 'return {name = "sibling"}\n' > "$T/app/sibling.lua"
printf 'print(require("sibling").name)\n' > "$T/app/main.lua"
printf 'print(require("helper").name)\n' > "$T/app/uses_lib.lua"
check require_beside 0 "^sibling$" -- "$L" "$T/app/main.lua"
check require_lector_path 0 "^helper$" -- env LECTOR_PATH="/nonexistent:$T/lib" "$L" "$T/app/uses_lib.lua"
check require_missing 1 "module 'helper' not found" -- "$L" "$T/app/uses_lib.lua"

# A script from stdin, with '-' and with no arguments when not a terminal.
printf 'print("stdin", ...)\n' > "$T/in.lua"
check stdin_dash 0 "stdin	x" -- sh -c "\"$L\" - x < \"$T/in.lua\""
check stdin_pipe 0 "^stdin$" -- sh -c "\"$L\" < \"$T/in.lua\""

# Broken plugins are reported and skipped; the good ones still load.
export LECTOR_PLUGIN_PATH="$TP"
check plugins_list 0 "^good " -- "$L" --plugins
check plugins_uses 0 "uses: counter" -- "$L" --plugins
check plugins_failed 0 "failed: .*wrong_abi.so: built for plugin ABI 1.99, this lector has ABI 1.7" -- "$L" --plugins
check plugins_not_elf 0 "failed: .*not_elf.so: not a shared object for this machine (no ELF header)" -- "$L" --plugins
check plugins_dup 0 "good_dup.so: a plugin named 'good' is already loaded" -- "$L" --plugins
check plugins_open 0 "fail_open.so: open() failed: the database file" -- "$L" --plugins
check plugins_stderr 0 "lector: plugin .*own_lua.so: carries its own copy of Lua" -- "$L" -e ""
check plugins_work 0 "^42$" -- "$L" -e "print(lector.plugin('good').twice(21))"
check service_use 0 "^counter$" -- "$L" -e \
  "for _, p in ipairs(lector.plugins()) do if p.name == 'user' then print(p.uses[1]) end end"
check vocab_shared 0 "^true$" -- "$L" -e \
  "local g = lector.plugin('good'); print(g.intern('tram') == g.intern('tram') and g.intern('tram') ~= g.intern('line'))"
check doc_access 0 "Harbour reopens after the storm|2025-01-15" -- "$L" -e \
  "print(lector.plugin('good').titles(lector.load('$LECTOR_FIXTURES/articles'))[1])"
unset LECTOR_PLUGIN_PATH

# A plugin built out of tree with one cc line and pkg-config, dropped in.
mkdir "$T/mine"
check cc_plugin 0 "" -- sh -c "PKG_CONFIG_PATH='$LECTOR_BUILD' cc -shared \
  \$(PKG_CONFIG_PATH='$LECTOR_BUILD' pkg-config --cflags lector-plugin) \
  -DPLUGIN_NAME='\"mine\"' '$(dirname "$0")/plugins/testplug.c' -o '$T/mine/mine.so'"
check cc_plugin_loads 0 "^10$" -- env LECTOR_PLUGIN_PATH="$T/mine" "$L" -e \
  "print(require('lector.mine').twice(5))"
check no_plugins 0 "^0$" -- "$L" --no-plugins -e "print(#lector.plugins())"

# Progress bars: never on a piped stderr, even with no delay; --quiet.
P="local c = lector.load('$LECTOR_FIXTURES/articles') local n = 0
for d in c:each() do n = n + 1 end
local p <close> = lector.progress(3, 'scoring') p:add(3)
print(lector.show_progress(), n > 0)"
check progress_piped 0 "^false	true$" -- env LECTOR_PROGRESS_DELAY_MS=0 "$L" -e "$P"
LECTOR_PROGRESS_DELAY_MS=0 "$L" -e "$P" >/dev/null 2>"$T/err"
if grep -q "$(printf '\033')\\|lector.load\\|corpus:each\\|scoring" "$T/err"; then
  echo "FAIL progress_stderr: a bar on a piped stderr"; sed 's/^/  | /' "$T/err"
  fail=$((fail + 1))
else echo "ok   progress_stderr"; pass=$((pass + 1)); fi
check quiet 0 "^false$" -- "$L" --quiet -e "print(lector.show_progress())"
check quiet_short 0 "^ok$" -- "$L" -q -e "print('ok')"
check help_quiet 0 "^  -q, --quiet" -- "$L" --help

# Issue 12 item 4 and 8: a truncated .so and a FIFO named *.so in a plugin
# folder are reported and skipped, never dlopen'ed (SIGBUS, a hang).
mkdir "$T/badplug"
head -c 3000 "$TP/good.so" > "$T/badplug/cut.so"
mkfifo "$T/badplug/fifo.so"
check plugins_truncated 0 "cut.so: not a shared object for this machine (truncated" -- \
  timeout 20 env LECTOR_PLUGIN_PATH="$T/badplug" "$L" --plugins
check plugins_fifo 0 "fifo.so: not a regular file" -- \
  timeout 20 env LECTOR_PLUGIN_PATH="$T/badplug" "$L" -e ""
# item 20: a relative entry is skipped, with a warning naming it.
check plugins_relative 0 "LECTOR_PLUGIN_PATH entry 'some/rel' is not an absolute path" -- \
  env LECTOR_PLUGIN_PATH="some/rel:$T/badplug" "$L" -e ""

# Item 12: output that cannot be written is an error, not exit 0.
if [ -w /dev/full ]; then
  check stdout_full 1 "cannot write the output to standard output" -- \
    sh -c "\"$L\" -e 'print(1)' > /dev/full"
  check stdout_full_iowrite 1 "cannot write the output" -- \
    sh -c "\"$L\" -e 'io.write((\"x\"):rep(100000)) print(\"done\")' > /dev/full"
fi

# Item 21: an interrupt stays an interrupt, even when the script pcall's
# the work (Lua code, and a plugin call that sees the flag).
check timeout_pcall 1 "timeout" -- timeout 20 "$L" --timeout 0.3 -e \
  "for i = 1, 5 do pcall(function() while true do end end) end print('escaped')"
check timeout_pcall_plugin 1 "timeout" -- timeout 30 "$L" --timeout 2 -e \
  "ng = require('lector.ngram') c = lector.load('$T/big')" -e \
  "for i = 1, 1000 do pcall(ng.count, c, {n = {1, 3}, threads = 2}) end print('escaped')"
"$L" -e "io.stdout:setvbuf('no') print('started')
  while true do pcall(function() while true do end end) end" >"$T/int.out" 2>&1 &
pid=$!
i=0
while [ "$i" -lt 50 ] && ! grep -q started "$T/int.out"; do sleep 0.1; i=$((i + 1)); done
kill -INT "$pid"
( sleep 20; kill -KILL "$pid" ) >/dev/null 2>&1 &
killer=$!
wait "$pid"
rc=$?
kill "$killer" 2>/dev/null
if [ "$rc" -eq 130 ] && grep -q interrupted "$T/int.out"; then
  echo "ok   sigint_pcall"; pass=$((pass + 1))
else
  echo "FAIL sigint_pcall: exit $rc"; sed 's/^/  | /' "$T/int.out"
  fail=$((fail + 1))
fi

# Item 24: a default memory limit, shown by --help and lifted by none; the
# error names the limit and how to raise it.
check help_memory 0 "% of physical memory\|memory cgroup" -- "$L" --help
check memory_default 0 "^true$" -- "$L" -e "print(lector.memory().limit > 0)"
check memory_none 0 "^0$" -- "$L" --memory-limit none -e "print(lector.memory().limit)"
check memory_zero 0 "^0$" -- "$L" --memory-limit 0 -e "print(lector.memory().limit)"
check memory_note 1 "memory limit of 64.0M was reached, set by --memory-limit; raise it" -- \
  "$L" --memory-limit 64M -e "local t = {} for i = 1, 1e8 do t[i] = {} end"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
