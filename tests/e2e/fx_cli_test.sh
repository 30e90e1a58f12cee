#!/usr/bin/env bash
# End-to-end checks of `resound fx`: every effect flag, a JSON chain, the ceiling held, errors that
# name the file or option with the right exit code, and no output left behind on failure.
set -uo pipefail
RESOUND=${1:?usage: fx_cli_test.sh PATH_TO_RESOUND}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failed=0
check() {  # check NAME COMMAND…
  local name=$1; shift
  if ! "$@"; then failed=$((failed + 1)); echo "FAIL: $name"; fi
}
exit_is() {  # exit_is CODE COMMAND…  (stderr saved)
  local code=$1; shift
  "$@" >"$work/stdout" 2>"$work/stderr"
  local actual=$?
  [ "$actual" -eq "$code" ] || { echo "  exit $actual, expected $code: $*"; cat "$work/stderr"; return 1; }
}
stderr_has() { grep -q -- "$1" "$work/stderr" || { echo "  stderr lacks '$1':"; cat "$work/stderr"; return 1; }; }

sox -n -r 48000 -c 2 -b 16 "$work/in.wav" synth 2 sine 440 gain -3 2>/dev/null
sox -n -r 44100 -c 2 -b 24 "$work/ir.wav" synth 0.8 whitenoise fade 0 0.8 0.7 gain -12 2>/dev/null
sox -n -r 48000 -c 3 "$work/ir3.wav" synth 0.2 whitenoise 2>/dev/null

check "all flags" exit_is 0 "$RESOUND" fx "$work/in.wav" -o "$work/all.wav" --reverb "$work/ir.wav:0.3" \
  --eq "highpass:40,peak:2500:2:1.5" --compress "threshold=-20,ratio=3" --limit -1dBTP
# Input 2 s plus the 0.8 s IR tail.
check "length with tail" bash -c "sox --i -D '$work/all.wav' | awk '{exit !(\$1 > 2.79 && \$1 < 2.81)}'"
# The limiter's ceiling holds: sample peak at most -1 dBFS (sox reports the maximum amplitude).
check "ceiling" bash -c "sox '$work/all.wav' -n stat 2>&1 | awk '/Maximum amplitude/ {exit !(\$3 <= 0.8913)}'"
cat >"$work/chain.json" <<'JSON'
{"chain": [{"type": "eq", "bands": [{"type": "lowshelf", "frequency_hz": 120, "gain_db": -3}]},
           {"type": "reverb", "room_size": 0.6, "mix": 0.3},
           {"type": "limiter", "ceiling_db": -2}]}
JSON
check "json chain" exit_is 0 "$RESOUND" fx "$work/in.wav" -o "$work/chain.flac" --chain "$work/chain.json"
# Both convolution partitionings render the same reverb (within float rounding: 16-bit output equal or 1 LSB apart).
check "reverb fixed" exit_is 0 "$RESOUND" fx "$work/in.wav" -o "$work/fixed.wav" --reverb "$work/ir.wav:0.5" --reverb-mode fixed
check "reverb exact" exit_is 0 "$RESOUND" fx "$work/in.wav" -o "$work/exact.wav" --reverb "$work/ir.wav:0.5" --reverb-mode exact
check "modes agree" bash -c "sox -m -v 1 '$work/fixed.wav' -v -1 '$work/exact.wav' -n stat 2>&1 | awk '/Maximum amplitude/ {found = 1; ok = (\$3 <= 0.0001)} END {exit !(found && ok)}'"
check "bad reverb mode" exit_is 2 "$RESOUND" fx "$work/in.wav" -o "$work/out/x.wav" --reverb "$work/ir.wav" --reverb-mode fast
check "room" exit_is 0 "$RESOUND" fx "$work/in.wav" -o "$work/room.wav" --room 0.8:0.4 --tail 0.5

mkdir -p "$work/out"
check "bad eq spec" exit_is 2 "$RESOUND" fx "$work/in.wav" -o "$work/out/x.wav" --eq "wobble:3"
check "bad eq names option" stderr_has "--eq"
check "three-channel IR" exit_is 1 "$RESOUND" fx "$work/in.wav" -o "$work/out/x.wav" --reverb "$work/ir3.wav"
check "names the IR" stderr_has "ir3.wav: impulse response has 3 channels"
check "missing IR" exit_is 1 "$RESOUND" fx "$work/in.wav" -o "$work/out/x.wav" --reverb "$work/nope.wav"
echo '[{"type": "eq", "bands": [{"type": "peak", "freq": 1}]}]' >"$work/bad.json"
check "bad chain field" exit_is 1 "$RESOUND" fx "$work/in.wav" -o "$work/out/x.wav" --chain "$work/bad.json"
check "names the field" stderr_has "chain\[0\].bands\[0\].freq"
check "no partial output" bash -c "[ -z \"\$(ls -A '$work/out')\" ]"
check "help documents specs" bash -c "'$RESOUND' fx --help | grep -q 'TYPE:FREQ_HZ\[:GAIN_DB\[:Q\]\]'"

[ "$failed" -eq 0 ] && echo "fx CLI: all checks passed" || { echo "fx CLI: $failed check(s) failed"; exit 1; }
