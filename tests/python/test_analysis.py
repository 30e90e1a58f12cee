"""resound.analysis from Python: pitch, onsets, beats, loudness, dynamics, waveforms, scoring, streaming."""

import json
import struct

import numpy as np
import pytest

import resound
from conftest import sine

A = resound.analysis
SR = 44100


def cents(a, b):
    return 1200 * np.log2(a / b)


@pytest.mark.parametrize("midi", [21, 45, 69, 93, 108])
def test_pyin_finds_sines_across_the_piano_range(midi):
    frequency = 440.0 * 2 ** ((midi - 69) / 12)
    times, f0, voiced, prob = A.pyin(sine(frequency, SR, 1.5), SR)
    assert times.shape == f0.shape == voiced.shape == prob.shape
    middle = slice(len(f0) // 4, 3 * len(f0) // 4)
    assert voiced[middle].mean() > 0.95
    assert abs(cents(np.nanmedian(f0[middle]), frequency)) < 3
    assert np.all(np.isnan(f0[~voiced]))  # librosa convention


def test_yin_and_float64_lists_are_accepted():
    tone = sine(330.0, SR, 1.0).astype(np.float64)
    times, f0 = A.yin(list(tone), SR)
    assert abs(cents(np.nanmedian(f0), 330.0)) < 3
    assert times[1] - times[0] == pytest.approx(256 / 22050, rel=1e-6)


def test_onsets_beats_and_strength_on_a_click_track():
    bpm = 120.0
    clicks = np.arange(0.3, 12.0, 60.0 / bpm)
    y = np.zeros(int(12.5 * SR), np.float32)
    rng = np.random.default_rng(1)
    for t in clicks:
        start = int(t * SR)
        y[start:start + 400] += 0.5 * rng.standard_normal(400).astype(np.float32) * np.exp(-np.arange(400) / 80)
    found = A.onsets(y, SR)
    assert len(found) == len(clicks)
    assert np.max(np.abs(found - clicks)) < 0.03
    tempo, beats = A.beats(y, SR)
    assert tempo == pytest.approx(bpm, abs=1.5)
    assert len(beats) >= len(clicks) - 2
    times, strength = A.onset_strength(y, SR)
    assert times.shape == strength.shape and strength.max() > 0


def test_loudness_of_a_minus_23_dbfs_stereo_tone_is_minus_23_lufs():
    tone = sine(1000.0, 48000, 10.0, amplitude=10 ** (-23 / 20))
    result = A.loudness(np.stack([tone, tone]), 48000)
    assert result["integrated_lufs"] == pytest.approx(-23.0, abs=0.05)
    assert result["true_peak_dbtp"] == pytest.approx(-23.0, abs=0.1)
    assert len(result["times"]) == len(result["momentary_lufs"]) == 100


def test_streaming_loudness_meter_matches_offline():
    tone = sine(1000.0, 48000, 5.0, amplitude=0.1)
    meter = A.LoudnessMeter(48000, channels=1)
    for start in range(0, len(tone), 4096):
        meter.process(tone[start:start + 4096])
    assert meter.integrated_lufs == pytest.approx(A.loudness(tone, 48000)["integrated_lufs"], abs=1e-6)


def test_dynamics_per_onset_and_per_frame():
    y = np.concatenate([sine(440, SR, 0.5, amplitude=0.1), sine(440, SR, 0.5, amplitude=0.4)])
    per_onset = A.dynamics(y, SR, onsets=[0.0, 0.5])
    assert per_onset["db"][1] - per_onset["db"][0] == pytest.approx(12.04, abs=0.05)
    assert per_onset["velocity"][0] < per_onset["velocity"][1]
    frames = A.dynamics(y, SR)
    assert frames["rms"].shape == frames["times"].shape


def test_waveform_png_and_peaks(tmp_path):
    stereo = np.stack([sine(100, SR, 1.0), -sine(100, SR, 1.0, amplitude=0.2)])
    png = A.waveform_png(stereo, SR, width=400, height=150)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", png[16:24]) == (400, 150)
    path = tmp_path / "tone.wav"
    resound.write(str(path), stereo, SR)
    assert A.waveform_png(str(path), width=50, height=20)[:4] == b"\x89PNG"
    peaks = A.waveform_peaks(stereo, SR, samples_per_pixel=441)
    assert peaks["version"] == 2 and peaks["channels"] == 2 and peaks["length"] == 100
    assert len(peaks["data"]) == 2 * 2 * 100
    assert max(peaks["data"][0::4][:10]) <= 127


def test_streaming_pitch_agrees_with_offline_pyin():
    y = np.concatenate([sine(262, SR, 1.0), sine(392, SR, 1.0)])
    times, f0, voiced, _ = A.pyin(y, SR)
    tracker = A.StreamingPitch(SR)
    parts = [tracker.push(y[i:i + 4096]) for i in range(0, len(y), 4096)] + [tracker.flush()]
    streamed = np.concatenate([p[1] for p in parts])
    assert len(streamed) == len(f0)
    same = (np.isnan(streamed) & np.isnan(f0)) | (np.abs(cents(np.nan_to_num(streamed, nan=1), np.nan_to_num(f0, nan=1))) < 50)
    assert same.mean() > 0.98
    assert tracker.latency_s < 0.5


def test_streaming_onsets_equal_offline():
    y = np.zeros(3 * SR, np.float32)
    for t in (0.2, 1.1, 2.4):
        y[int(t * SR):int(t * SR) + 2000] = sine(500, SR, 2000 / SR) * np.exp(-np.arange(2000) / 500)
    detector = A.StreamingOnsets(SR)
    streamed = np.concatenate([detector.push(y[i:i + 1000]) for i in range(0, len(y), 1000)] + [detector.flush()])
    np.testing.assert_allclose(streamed, A.onsets(y, SR), atol=0.012)


def test_score_performance_on_the_shared_pair(shared_dir):
    data = shared_dir / "data" / "analysis"
    if not (data / "performance").is_dir():
        pytest.skip("shared analysis data not present")
    result = A.score_performance(data / "audio" / "perf_fife_march_performed.wav", data / "performance" / "fife_march_expected.mid")
    assert set(result) >= {"pitch_accuracy", "rhythm_accuracy", "notes", "counts"}
    assert 0.7 < result["pitch_accuracy"] <= 1.0
    assert 0.7 < result["rhythm_accuracy"] <= 1.0
    kinds = {note["verdict"] for note in result["notes"]}
    assert kinds <= {"correct", "wrong_pitch", "missing", "extra", "timing_error"}
    assert "wrong_pitch" in kinds and "missing" in kinds
    json.dumps(result)


@pytest.mark.parametrize("signal", [np.zeros(0, np.float32), np.zeros(SR, np.float32), np.full(5, 0.3, np.float32)])
def test_empty_silent_and_tiny_inputs(signal):
    times, f0, voiced, prob = A.pyin(signal, SR)
    assert not voiced.any()
    assert len(A.onsets(signal, SR)) == 0
    tempo, beats = A.beats(signal, SR)
    assert tempo == 0.0 and len(beats) == 0
    assert A.loudness(signal, SR)["integrated_lufs"] == -np.inf


def test_nan_input_is_treated_as_silence_and_bad_arguments_raise():
    y = sine(440, SR, 1.0)
    y[::1000] = np.nan
    times, f0, voiced, _ = A.pyin(y, SR)
    assert abs(cents(np.nanmedian(f0), 440)) < 5
    with pytest.raises(resound.Error):
        A.pyin(y, 0)
    with pytest.raises(resound.Error):
        A.pyin(y, SR, fmin=500, fmax=100)
    with pytest.raises(resound.Error):
        A.onsets(y, SR, function="magic")
    with pytest.raises(resound.Error):
        A.waveform_png(y)  # an array needs sr
    with pytest.raises(resound.Error):
        A.pyin(np.zeros((100, 2), np.float32), SR)  # (frames, channels) is refused with a hint


def test_cli_analyze_waveform_and_score(tmp_path, shared_dir):
    import os
    import subprocess
    cli = os.environ.get("RESOUND_CLI")
    if not cli:
        pytest.skip("RESOUND_CLI not set (run through ctest)")
    wav = tmp_path / "tone.wav"
    resound.write(str(wav), sine(440, SR, 2.0)[None, :], SR)
    report = json.loads(subprocess.run([cli, "analyze", str(wav), "--json"], check=True, capture_output=True, text=True).stdout)
    assert abs(cents(np.median([f for f in report["pitch"]["frequency_hz"] if f > 0]), 440)) < 3
    assert report["loudness"]["integrated_lufs"] < 0
    csv = subprocess.run([cli, "analyze", str(wav), "--pitch", "yin", "--csv"], check=True, capture_output=True, text=True).stdout
    assert csv.startswith("# pitch\ntime_s,frequency_hz,voiced,voiced_probability\n")
    subprocess.run([cli, "waveform", str(wav), "-o", str(tmp_path / "w.png"), "--width", "300", "--height", "80",
                    "--peaks", str(tmp_path / "w.json")], check=True, capture_output=True)
    assert (tmp_path / "w.png").read_bytes()[:4] == b"\x89PNG"
    assert json.loads((tmp_path / "w.json").read_text())["version"] == 2
    bad = subprocess.run([cli, "analyze", str(tmp_path / "missing.wav")], capture_output=True, text=True)
    assert bad.returncode == 1 and "resound: error:" in bad.stderr
    data = shared_dir / "data" / "analysis"
    if (data / "performance").is_dir():
        out = subprocess.run([cli, "score", str(data / "audio" / "perf_fife_march_performed.wav"),
                              str(data / "performance" / "fife_march_expected.mid"), "--json"],
                             check=True, capture_output=True, text=True).stdout
        assert json.loads(out)["pitch_accuracy"] > 0.7
