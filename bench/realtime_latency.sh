#!/usr/bin/env bash
# Latency sweep for live playback: the smallest PulseAudio latency with 0 xruns, idle and with two
# CPU-bound processes beside it, on a private null sink (tests/e2e/pulse_ci.sh).
# Usage: bench/realtime_latency.sh BUILD_DIR [SOURCE=voices30] [SECONDS=10]   (SECONDS=60 for the full run)
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=${1:?build dir}
source_name=${2:-voices30}
seconds=${3:-10}
tool=$build/bench/realtime_latency
. "$here/../tests/e2e/pulse_ci.sh"
burners=()
cleanup() { for pid in "${burners[@]}"; do kill "$pid" 2>/dev/null; done; pulse_stop; }
trap cleanup EXIT
pulse_start || exit 1
latencies="2.7 5 10 20 40"
for load in idle loaded; do
  if [ "$load" = loaded ]; then
    for _ in 1 2; do (while :; do :; done) & burners+=($!); done
  fi
  best=""
  for latency in $latencies; do
    line=$("$tool" "$source_name" "$latency" "$seconds")
    echo "$load $line"
    xruns=$(sed -n 's/.*xruns=\([0-9]*\).*/\1/p' <<<"$line")
    [ -z "$best" ] && [ "${xruns:-1}" = 0 ] && best=$latency
  done
  echo "RESULT $load: smallest latency with 0 xruns over ${seconds}s = ${best:-none} ms ($source_name)"
done
