# pulse_ci.sh — start/stop a private PulseAudio server with a null sink for audio tests (source me).
# Recipe and pitfalls: ../shared/ENVIRONMENT.md §2. User mode with private directories (no D-Bus, no
# systemd), a float32 null sink `engine_sink`, and a silent keep-alive stream: without it the null
# sink idles at a 2 s latency and every new stream stalls for up to 2 s.
#   trap pulse_stop EXIT; pulse_start || exit 1
#   parec -d engine_sink.monitor …
PULSE_CI_DIR=""
PULSE_CI_PID=""
PULSE_CI_KEEPALIVE_PID=""

pulse_start() {
  # unix socket paths are limited to 108 bytes: keep the directory short.
  PULSE_CI_DIR=$(mktemp -d /tmp/rsp.XXXXXX) || return 1
  mkdir -p "$PULSE_CI_DIR/run" "$PULSE_CI_DIR/state"
  PULSE_RUNTIME_PATH=$PULSE_CI_DIR/run PULSE_STATE_PATH=$PULSE_CI_DIR/state HOME=$PULSE_CI_DIR \
    pulseaudio --daemonize=no --fail=yes -n --exit-idle-time=-1 --disallow-exit --use-pid-file=no \
      --log-target=file:$PULSE_CI_DIR/pulse.log \
      --load="module-native-protocol-unix auth-anonymous=1 socket=$PULSE_CI_DIR/native" \
      --load="module-null-sink sink_name=engine_sink format=float32le rate=48000 channels=2" \
      >/dev/null 2>&1 &
  PULSE_CI_PID=$!
  export PULSE_SERVER=unix:$PULSE_CI_DIR/native
  export PULSE_RUNTIME_PATH=$PULSE_CI_DIR/run PULSE_STATE_PATH=$PULSE_CI_DIR/state
  local i
  for i in $(seq 1 100); do
    pactl info >/dev/null 2>&1 && break
    sleep 0.05
  done
  pactl info >/dev/null 2>&1 || { echo "pulse_ci: server did not start (log: $PULSE_CI_DIR/pulse.log)" >&2; return 1; }
  # The daemon gives SCHED_RR only to its sink thread, but its main thread relays every "need more
  # data" request to clients: on a loaded machine a late relay is an underrun. Raise it too where
  # permitted (root); harmless to skip.
  chrt -r -p 5 "$PULSE_CI_PID" >/dev/null 2>&1 || true
  pacat --raw --latency-msec=10 --device=engine_sink </dev/zero >/dev/null 2>&1 &
  PULSE_CI_KEEPALIVE_PID=$!
  # Wait until the sink has re-armed at a low latency (it idles at 2 s).
  local latency_us
  for i in $(seq 1 100); do
    latency_us=$(pactl list sinks 2>/dev/null | sed -n 's/.*Latency: \([0-9]*\) usec.*/\1/p' | head -1)
    [ -n "$latency_us" ] && [ "$latency_us" -lt 100000 ] && return 0
    sleep 0.05
  done
  echo "pulse_ci: sink latency stayed at ${latency_us:-?} us" >&2
  return 0
}

pulse_stop() {
  [ -n "$PULSE_CI_KEEPALIVE_PID" ] && kill "$PULSE_CI_KEEPALIVE_PID" 2>/dev/null && wait "$PULSE_CI_KEEPALIVE_PID" 2>/dev/null
  [ -n "$PULSE_CI_PID" ] && kill "$PULSE_CI_PID" 2>/dev/null && wait "$PULSE_CI_PID" 2>/dev/null
  [ -n "$PULSE_CI_DIR" ] && rm -rf "$PULSE_CI_DIR"
  PULSE_CI_PID="" PULSE_CI_KEEPALIVE_PID="" PULSE_CI_DIR=""
  unset PULSE_SERVER
}
