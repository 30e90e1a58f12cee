#!/usr/bin/env bash
# End-to-end real-time playback on a private PulseAudio null sink: play from 10 s for 3 s, pause,
# resume, seek, while parec records the sink monitor; analyze_realtime.py compares the recording with
# the offline renders. Up to 3 attempts absorb noise from a shared machine.
# Usage: realtime_playback.sh DRIVER [SOURCE: chirp (built-in test signal) or a track/MIDI/audio path] [LATENCY_MS]
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
driver=$1
source_name=${2:-chirp}
latency_ms=${3:-40}
python=${PYTHON:-/usr/bin/python3}
command -v pulseaudio >/dev/null && command -v parec >/dev/null || { echo "SKIP: pulseaudio/parec not installed"; exit 77; }
. "$here/pulse_ci.sh"
trap pulse_stop EXIT

attempt() {
  local work
  work=$(mktemp -d /tmp/rse2e.XXXXXX)
  pulse_start || return 1
  parec -d engine_sink.monitor --format=float32le --rate=48000 --channels=2 --raw --latency-msec=20 \
    >"$work/recording.f32" &
  local recorder=$!
  sleep 0.3
  "$driver" "$source_name" "$latency_ms" "$work"
  local driver_status=$?
  sleep 0.3
  kill "$recorder" 2>/dev/null; wait "$recorder" 2>/dev/null
  pulse_stop
  if [ $driver_status -ne 0 ]; then echo "driver failed ($driver_status)"; rm -rf "$work"; return 1; fi
  cat "$work/report.json"
  "$python" "$here/analyze_realtime.py" "$work/recording.f32" "$work"
  local status=$?
  rm -rf "$work"
  return $status
}

for try in 1 2 3; do
  echo "--- attempt $try"
  attempt && { echo "realtime playback e2e: PASS (attempt $try)"; exit 0; }
done
echo "realtime playback e2e: FAIL after 3 attempts"
exit 1
