#!/usr/bin/env bash
# Races `resound fx --eq/--compress` against `sox equalizer`/`sox compand` on the same file in the
# same run: best-of-N CPU time (user + sys) of the whole command, file I/O included on both sides.
# Usage: bench/bench_fx_vs_sox.sh [path/to/resound] [seconds] [repeats]
set -euo pipefail
resound=${1:-build/apps/resound/resound}
seconds=${2:-60}
repeats=${3:-3}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
sox -n -r 48000 -c 2 -b 16 "$work/in.wav" synth "$seconds" pinknoise gain -6

best_cpu_s() {  # runs "$@" $repeats times, prints the smallest user+sys seconds
  local best=""
  for _ in $(seq "$repeats"); do
    local t
    t=$( { TIMEFORMAT="%U %S"; time "$@" >/dev/null 2>/dev/null; } 2>&1 | tail -1 | awk '{print $1 + $2}')
    if [[ -z "$best" ]] || awk "BEGIN{exit !($t < $best)}"; then best=$t; fi
  done
  echo "$best"
}

race() {  # name, resound args (string), sox effect args (string)
  local ours theirs
  # shellcheck disable=SC2086
  ours=$(best_cpu_s "$resound" fx "$work/in.wav" -o "$work/ours.wav" --format wav16 $2)
  # shellcheck disable=SC2086
  theirs=$(best_cpu_s sox "$work/in.wav" "$work/theirs.wav" $3)
  awk -v n="$1" -v o="$ours" -v t="$theirs" -v s="$seconds" \
    'BEGIN{printf "%-34s resound %6.2f s (%5.0fx RT)   sox %6.2f s (%5.0fx RT)   sox/resound %.2f\n", n, o, s/o, t, s/t, t/o}'
}

echo "stereo 48 kHz pink noise, ${seconds} s, best of ${repeats} (CPU time incl. file I/O)"
race "EQ 1 peak band" "--eq peak:1000:3:1" "equalizer 1000 1q 3"
race "EQ 4 bands" "--eq peak:100:3:1,peak:500:-2:2,peak:2000:4:1,peak:8000:-3:0.7" \
  "equalizer 100 1q 3 equalizer 500 2q -2 equalizer 2000 1q 4 equalizer 8000 0.7q -3"
race "compressor (peak, 4:1 @ -20 dB)" "--compress threshold=-20,ratio=4,knee=0,attack=10,release=100" \
  "compand 0.01,0.1 -70,-70,-20,-20,0,-15"
