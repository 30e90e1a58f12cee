#!/usr/bin/env bash
# `resound play` end to end without a sound card: a streamed audio file on the paced null device
# (plays for the asked time, exit 0), and a clear error — not a hang — when no PulseAudio server answers.
# Usage: play_cli_test.sh RESOUND_BINARY
set -uo pipefail
resound=$1
work=$(mktemp -d /tmp/rsplay.XXXXXX)
trap 'rm -rf "$work"' EXIT
failed=0
fail() { echo "FAIL $1"; failed=1; }

/usr/bin/python3 - "$work/tone.wav" <<'PY'
import math, struct, sys, wave
with wave.open(sys.argv[1], "wb") as out:
    out.setnchannels(2); out.setsampwidth(2); out.setframerate(48000)
    frames = b"".join(struct.pack("<hh", v, v) for v in (int(16000 * math.sin(2 * math.pi * 440 * i / 48000)) for i in range(48000 * 5)))
    out.writeframes(frames)
PY

# 1. Null device, real-time pace: 1 s from 2 s into the file, exits cleanly (time printed, not asserted).
started_ns=$(date +%s%N)
timeout 30 "$resound" play "$work/tone.wav" --device null --start 2 --duration 1 >"$work/out" 2>"$work/err" \
  || fail "null device play exited $? ($(cat "$work/err"))"
elapsed_ms=$(( ($(date +%s%N) - started_ns) / 1000000 ))
echo "null device: 1 s played in ${elapsed_ms} ms"

# 2. No server: exit 1 with a message naming the sound server, within the connect timeout.
started_ns=$(date +%s%N)
PULSE_SERVER=unix:$work/no-server timeout 30 "$resound" play "$work/tone.wav" >"$work/out" 2>"$work/err"
status=$?
elapsed_ms=$(( ($(date +%s%N) - started_ns) / 1000000 ))
echo "no server: exit $status after ${elapsed_ms} ms: $(cat "$work/err")"
[ "$status" -eq 1 ] || fail "no server: exit $status (124 = hang)"
grep -q "sound server" "$work/err" || fail "no server: message does not name the sound server"
grep -q "no-server" "$work/err" || fail "no server: message does not name the server address"

[ "$failed" -eq 0 ] && echo "play CLI e2e: PASS"
exit $failed
