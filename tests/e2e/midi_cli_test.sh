#!/usr/bin/env bash
# End-to-end checks of `resound midi`: renders with exact lengths, batch mode, errors naming the file.
set -uo pipefail
RESOUND=${1:?usage: midi_cli_test.sh PATH_TO_RESOUND SEEDS_DIR}
SEEDS=${2:?usage: midi_cli_test.sh PATH_TO_RESOUND SEEDS_DIR}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
passed=0
failed=0
check() {  # check NAME COMMAND…
  local name=$1; shift
  if "$@" >"$work/stdout" 2>"$work/stderr"; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "FAIL: $name"; cat "$work/stderr"; fi
}
fails_with() {  # fails_with CODE TEXT COMMAND…
  local code=$1 text=$2; shift 2
  "$@" >"$work/stdout" 2>"$work/stderr"
  [ $? -eq "$code" ] && grep -q -- "$text" "$work/stderr"
}
frames() { "$RESOUND" info "$1" | awk '/^duration/ {gsub(/[()]/, "", $4); print $4}'; }

font="$SEEDS/soundfont/sine.sf2"
song="$SEEDS/midi/format0.mid"   # 336 ticks at 96 ticks/quarter, 120 BPM: ends at 1.75 s
check "render exact" "$RESOUND" midi "$song" -s "$font" -o "$work/song.wav" --tail exact
check "exact length" test "$(frames "$work/song.wav")" = 77175
check "render with a fixed tail" "$RESOUND" midi "$song" -s "$font" -o "$work/tail.flac" --tail 1.5 --interp sinc
check "fixed tail length" test "$(frames "$work/tail.flac")" = 143325
check "SF3 render" "$RESOUND" midi "$SEEDS/midi/format1.mid" -s "$SEEDS/soundfont/sine.sf3" -o "$work/sf3.wav"
mkdir -p "$work/batch"
check "batch" "$RESOUND" midi "$SEEDS"/midi/*.mid -s "$font" -d "$work/batch" -j 2 --tail exact
check "batch wrote every file" test "$(ls "$work/batch" | wc -l)" = 3
printf 'MThd\0\0\0\6\0\0\0\1\0\140MTrk\0\0\1\0' > "$work/cut.mid"
check "truncated MIDI is an error naming the file" fails_with 1 "cut.mid" "$RESOUND" midi "$work/cut.mid" -s "$font" -o "$work/cut.wav"
check "no output left behind" test ! -e "$work/cut.wav"
check "bad tail is an error" fails_with 2 "tail" "$RESOUND" midi "$song" -s "$font" -o "$work/x.wav" --tail later
echo "midi_cli_test: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
