"""Checks a PulseAudio monitor recording of realtime_e2e_driver against the offline renders.

Usage: analyze_realtime.py RECORDING.f32 OUT_DIR   (OUT_DIR holds report.json and ref_*.wav)
Exit 0 when every check passes; prints one line per check.
"""
import json
import struct
import sys

import numpy as np

RATE = 48000


def read_float_wav(path):
    """Planar (channels, frames) float32 from a WAV written by Resound (IEEE float or WAVE_FORMAT_EXTENSIBLE)."""
    data = open(path, "rb").read()
    position, channels = 12, 2
    while position + 8 <= len(data):
        chunk, size = data[position:position + 4], struct.unpack("<I", data[position + 4:position + 8])[0]
        body = data[position + 8:position + 8 + size]
        if chunk == b"fmt ":
            channels = struct.unpack("<H", body[2:4])[0]
        elif chunk == b"data":
            return np.frombuffer(body, dtype="<f4").reshape(-1, channels).T
        position += 8 + size + (size & 1)
    raise ValueError(f"{path}: no data chunk")


def best_match(recording, reference, start=0):
    """Lag (in recording frames) where `reference` fits best after `start`, and its normalised correlation."""
    segment = recording[start:]
    n = 1 << int(np.ceil(np.log2(len(segment) + len(reference))))
    correlation = np.fft.irfft(np.fft.rfft(segment, n) * np.conj(np.fft.rfft(reference, n)), n)[: len(segment) - len(reference) + 1]
    lag = int(np.argmax(correlation))
    window = segment[lag:lag + len(reference)]
    ncc = float(np.dot(window, reference) / np.sqrt(np.dot(window, window) * np.dot(reference, reference) + 1e-30))
    return start + lag, ncc


def max_second_difference(signal):
    return float(np.max(np.abs(np.diff(signal, 2)))) if len(signal) > 2 else 0.0


def main():
    recording_path, out_dir = sys.argv[1], sys.argv[2]
    report = json.load(open(f"{out_dir}/report.json"))
    recorded = np.fromfile(recording_path, dtype="<f4")
    recorded = recorded[: len(recorded) // 2 * 2].reshape(-1, 2).T
    failures = []

    def check(name, ok, detail):
        print(f"{'PASS' if ok else 'FAIL'} {name}: {detail}")
        if not ok:
            failures.append(name)

    check("xruns", report["xruns"] == 0, f"{report['xruns']} at {report['latency_ms_requested']} ms "
          f"(granted {report['latency_ms_granted']:.1f} ms, SCHED_RR {report['realtime_priority']})")
    check("realtime guard", report["callback_allocations"] == 0 and report["callback_locks"] == 0
          and report["callbacks"] > 100,
          f"{report['callback_allocations']} allocations, {report['callback_locks']} locks in {report['callbacks']} callbacks")
    check("pause holds position", abs(report["still_paused_at_s"] - report["paused_at_s"]) < 1e-9,
          f"{report['paused_at_s']:.4f} s -> {report['still_paused_at_s']:.4f} s while paused")
    advanced = report["after_seek_s"] - report["seek_target_s"]
    check("seek position", 0.5 * report["after_seek_wait_s"] < advanced < report["after_seek_wait_s"] + 0.5,
          f"{report['after_seek_s']:.3f} s, {advanced:.3f} s after the {report['seek_target_s']:.0f} s target "
          f"({report['after_seek_wait_s']} s of wall time)")

    left = recorded[0]
    check("recording has audio", len(left) > RATE and np.max(np.abs(left)) > 0.1,
          f"{len(left) / RATE:.2f} s, peak {np.max(np.abs(left)) if len(left) else 0:.3f}")
    if failures:
        return 1

    # 1. Play from 10 s: the recording matches the offline render (both channels), 2.8 s of the 3 s
    # played, leaving out the 5 ms fade-in a start mid-track begins with (10 ms to be safe).
    start_ref = read_float_wav(f"{out_dir}/ref_start.wav")[:, int(0.01 * RATE): int(2.8 * RATE)]
    lag_start, ncc_left = best_match(left, start_ref[0])
    window = recorded[1][lag_start:lag_start + start_ref.shape[1]]
    ncc_right = float(np.dot(window, start_ref[1]) / np.sqrt(np.dot(window, window) * np.dot(start_ref[1], start_ref[1]) + 1e-30))
    check("match from start", min(ncc_left, ncc_right) >= 0.999,
          f"NCC {ncc_left:.6f} / {ncc_right:.6f} at lag {lag_start / RATE:.3f} s")

    # 2. Resume: audio continues from the pause position (skip the 5 ms fade-in).
    resume_ref = read_float_wav(f"{out_dir}/ref_resume.wav")[0, int(0.01 * RATE): int(0.8 * RATE)]
    lag_resume, ncc_resume = best_match(left, resume_ref, lag_start + int(2.5 * RATE))
    check("resume position", ncc_resume >= 0.999, f"NCC {ncc_resume:.6f} at {lag_resume / RATE:.3f} s")

    # 3. The pause is silent in between.
    gap = np.abs(left[lag_start + int(3.0 * RATE): lag_resume])
    silent = int(np.sum(gap < 1e-6))
    check("pause is silent", silent > 0.3 * RATE, f"{silent / RATE:.3f} s of silence between the pause and the resume")

    # 4. Seek: audio continues at the seek target (skip the fade-in) — and straight through the heavy
    # update made while it played (same audio, re-planned on the control thread, crossfaded in).
    seek_ref = read_float_wav(f"{out_dir}/ref_seek.wav")[0, int(0.01 * RATE): int((report["after_seek_wait_s"] - 0.3) * RATE)]
    lag_seek, ncc_seek = best_match(left, seek_ref, lag_resume)
    check("seek lands on target", ncc_seek >= 0.999, f"NCC {ncc_seek:.6f} at {lag_seek / RATE:.3f} s")
    if "update_at_s" in report:
        into = report["update_at_s"] - report["seek_target_s"]
        check("update inside the matched span", 0.05 < into < len(seek_ref) / RATE - 0.1,
              f"update at {into:.3f} s after the seek, after {report['update_plans']} plans in "
              f"{report['update_plan_s']:.3f} s on the control thread; xruns before it {report['xruns_before_update']}")

    # 5. No discontinuity anywhere (pause, resume, seek included): the second difference never exceeds
    # a few times what the offline renders themselves contain. The first 20 ms of the stream are left
    # out: when a stream joins, the server rewinds the sink and the monitor loses the stream's first
    # few dozen frames (seen as the fade-in starting above zero), which is the recorder's artefact.
    smooth = max(max_second_difference(start_ref[0]), max_second_difference(seek_ref))
    played = left[lag_start + int(0.01 * RATE): lag_seek + len(seek_ref)]
    worst = max_second_difference(played)
    check("no discontinuity", worst <= 3.0 * smooth + 0.005,
          f"max |second difference| {worst:.5f} (offline render {smooth:.5f})")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
