#!/usr/bin/env bash
# End-to-end checks of the resound CLI: exit codes, messages that name the file, no partial output.
set -uo pipefail
RESOUND=${1:?usage: cli_test.sh PATH_TO_RESOUND}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
passed=0
failed=0

check() {  # check NAME CONDITION-COMMAND…
  local name=$1; shift
  if "$@"; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "FAIL: $name"; fi
}
expect_exit() {  # expect_exit CODE COMMAND…  (stderr saved in $work/stderr)
  local code=$1; shift
  "$@" >"$work/stdout" 2>"$work/stderr"
  local actual=$?
  [ "$actual" -eq "$code" ] || { echo "  exit $actual, expected $code: $*"; cat "$work/stderr"; return 1; }
}
stderr_has() { grep -q -- "$1" "$work/stderr" || { echo "  stderr lacks '$1':"; cat "$work/stderr"; return 1; }; }
stdout_has() { grep -q -- "$1" "$work/stdout" || { echo "  stdout lacks '$1':"; cat "$work/stdout"; return 1; }; }
no_files_except() {  # the folder holds exactly the named files
  local listing; listing=$(cd "$work/out" && ls -A | sort | tr '\n' ' ')
  [ "$listing" = "$* " ] || { echo "  folder holds: $listing expected: $* "; return 1; }
}

# A 2-second 440 Hz stereo tone made by sox (a peer, so the CLI reads someone else's file).
sox -n -r 48000 -c 2 -b 16 "$work/tone.wav" synth 2 sine 440 gain -6 2>/dev/null
mkdir -p "$work/out"

check "version" expect_exit 0 "$RESOUND" --version
check "version text" stdout_has "resound 0."
check "help" expect_exit 0 "$RESOUND" --help
check "help lists info" stdout_has "info"
check "no arguments prints help" expect_exit 0 "$RESOUND"
check "unknown flag is a usage error" expect_exit 2 "$RESOUND" --no-such-flag
check "unknown command is a usage error" expect_exit 2 "$RESOUND" frobnicate
check "missing argument is a usage error" expect_exit 2 "$RESOUND" info

check "info" expect_exit 0 "$RESOUND" info "$work/tone.wav"
check "info rate" stdout_has "48000 Hz"
check "info duration" stdout_has "2.000 s"
check "info json" expect_exit 0 "$RESOUND" info --json "$work/tone.wav"
check "info json parses with the expected values" /usr/bin/python3 -c "
import json,sys
d=json.load(open('$work/stdout'))
assert d['sample_rate_hz']==48000 and d['channels']==2 and d['frames']==96000, d
assert abs(d['peak_dbfs']+6.0) < 0.1 and abs(d['rms_dbfs']+9.0) < 0.1, d
"

check "convert to flac at 44.1 kHz" expect_exit 0 "$RESOUND" convert "$work/tone.wav" "$work/out/tone.flac" --rate 44100
check "converted file is right" expect_exit 0 "$RESOUND" info --json "$work/out/tone.flac"
check "converted values" /usr/bin/python3 -c "
import json
d=json.load(open('$work/stdout'))
assert d['container']=='FLAC' and d['sample_rate_hz']==44100 and abs(d['frames']-88200)<=2, d
"
check "bad format is a usage error" expect_exit 2 "$RESOUND" convert "$work/tone.wav" "$work/out/x.wav" --format mp4

# Bad input: exit 1, the file named, nothing left behind.
check "missing file" expect_exit 1 "$RESOUND" info "$work/missing.wav"
check "missing file named" stderr_has "missing.wav: file not found"
printf 'just some text, not audio\n' >"$work/text.wav"
check "text posing as wav" expect_exit 1 "$RESOUND" info "$work/text.wav"
check "text posing as wav named" stderr_has "text.wav: not a readable audio file"
head -c 50000 "$work/tone.wav" >"$work/truncated.wav"
check "truncated wav" expect_exit 1 "$RESOUND" info "$work/truncated.wav"
check "truncated wav explained" stderr_has "truncated WAV"
check "convert truncated wav" expect_exit 1 "$RESOUND" convert "$work/truncated.wav" "$work/out/t.wav"
check "no partial output" no_files_except tone.flac
check "unwritable output" expect_exit 1 "$RESOUND" convert "$work/tone.wav" /nonexistent-dir/out.wav
check "unwritable output named" stderr_has "/nonexistent-dir/out.wav"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
