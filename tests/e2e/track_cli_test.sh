#!/usr/bin/env bash
# End-to-end checks of `resound track`: render, excerpt, check, formats, errors naming the JSON path.
set -uo pipefail
RESOUND=${1:?usage: track_cli_test.sh PATH_TO_RESOUND}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failed=0
fail() { echo "FAIL: $*"; failed=$((failed + 1)); }

cat > "$work/t.json" <<'JSON'
{"global": {"sample_rate": 8000, "crossfade_duration": 0.5},
 "progression": [{"duration": 2, "voices": [{"synth_function_name": "binaural_beat", "params": {"baseFreq": 220, "beatFreq": 6}}]},
                 {"duration": 2, "mystery": 1, "voices": [{"synth_function_name": "isochronic_tone", "params": {"baseFreq": 300}}]}]}
JSON

"$RESOUND" track "$work/t.json" -o "$work/full.wav" > "$work/out" 2>&1 || fail "render exit code"
grep -q "wrote" "$work/out" || fail "render message"
"$RESOUND" info "$work/full.wav" > "$work/info" 2>&1 || fail "info of the render"
grep -q "8000" "$work/info" || fail "render sample rate"
"$RESOUND" track "$work/t.json" -o "$work/part.flac" --start 1 --duration 1 --format flac16 --dither > /dev/null 2>&1 || fail "excerpt"
[ -s "$work/part.flac" ] || fail "excerpt file"
"$RESOUND" track "$work/t.json" --check > "$work/check" 2>&1 || fail "check exit code"
grep -q "progression\[1\].mystery" "$work/check" || fail "check lists the unknown key"

sed 's/"baseFreq": 300/"baseFreq": "loud"/' "$work/t.json" > "$work/bad.json"
"$RESOUND" track "$work/bad.json" -o "$work/bad.wav" > /dev/null 2> "$work/err"
[ $? -eq 1 ] || fail "bad type exit code"
grep -q "progression\[1\].voices\[0\].params.baseFreq" "$work/err" || fail "bad type error names the JSON path"
[ ! -e "$work/bad.wav" ] || fail "no output after an error"
"$RESOUND" track "$work/missing.json" > /dev/null 2>&1
[ $? -eq 1 ] || fail "missing file exit code"

if [ "$failed" -ne 0 ]; then echo "$failed track CLI check(s) failed"; exit 1; fi
echo "track CLI checks passed"
