"""The drop-in compatibility modules of python-api.md: `rust_audio_engine` and the top-level `realtime_backend`.

Each function is checked for the contract the original's callers rely on (return types, units, ranges,
accuracy), on real signals: generated tones, SoundFont renders and the shared performance pair.
"""

import array
import json
import math
import pathlib
import struct

import numpy as np
import pytest

import realtime_backend
import resound
import rust_audio_engine as engine
from conftest import sine

SAMPLE_RATE = 44100
SOUNDFONTS = [pathlib.Path("/usr/share/sounds/sf2/TimGM6mb.sf2"), pathlib.Path("/usr/share/sounds/sf2/FluidR3_GM.sf2")]


def installed_soundfont():
    for path in SOUNDFONTS:
        if path.is_file():
            return path
    pytest.skip("no Debian GM SoundFont installed")


def tone_bursts(start_times_s, seconds=3.0, amplitudes=None):
    """Decaying tones with 2 ms attacks and 50 ms release fades, one per start time."""
    audio = np.zeros(int(seconds * SAMPLE_RATE), np.float32)
    for index, start_s in enumerate(start_times_s):
        length = int(0.35 * SAMPLE_RATE)
        t = np.arange(length) / SAMPLE_RATE
        envelope = np.exp(-8 * t) * np.minimum(1, (length - np.arange(length)) / (0.05 * SAMPLE_RATE))
        envelope = np.minimum(envelope, np.arange(length) / (0.002 * SAMPLE_RATE))
        amplitude = 0.6 if amplitudes is None else amplitudes[index]
        begin = int(start_s * SAMPLE_RATE)
        audio[begin:begin + length] += (amplitude * envelope * np.sin(2 * np.pi * (330 + 50 * index) * t)).astype(np.float32)
    return audio


# --- detect_pitch -------------------------------------------------------------------------------------

@pytest.mark.parametrize("frequency_hz,seconds", [(27.5, 1.0), (55.0, 0.5), (261.63, 0.5), (440.0, 0.5),
                                                  (1000.0, 0.5), (4186.01, 0.5)])
def test_detect_pitch_is_within_2_hz_over_the_whole_range(frequency_hz, seconds):
    result = engine.detect_pitch(sine(frequency_hz, SAMPLE_RATE, seconds), SAMPLE_RATE)
    assert result is not None
    assert abs(result["frequency"] - frequency_hz) < 2.0
    assert result["confidence"] > 0.9  # "a clean sine scores > 0.9"
    expected_midi = 69 + 12 * math.log2(frequency_hz / 440.0)
    assert result["midi_note"] == round(expected_midi)
    assert result["cents_offset"] == pytest.approx((expected_midi - round(expected_midi)) * 100, abs=1.0)
    assert -50 <= result["cents_offset"] <= 50
    assert result["rms_level"] == pytest.approx(0.5 / math.sqrt(2), rel=0.01)


def test_detect_pitch_names_notes_with_sharps_and_octaves():
    assert engine.detect_pitch(sine(440.0, SAMPLE_RATE, 0.5), SAMPLE_RATE)["note_name"] == "A4"
    assert engine.detect_pitch(sine(554.37, SAMPLE_RATE, 0.5), SAMPLE_RATE)["note_name"] == "C#5"
    assert engine.detect_pitch(sine(27.5, SAMPLE_RATE, 1.0), SAMPLE_RATE)["note_name"] == "A0"
    assert engine.detect_pitch(sine(4186.01, SAMPLE_RATE, 0.5), SAMPLE_RATE)["note_name"] == "C8"


def test_detect_pitch_takes_lists_arrays_and_any_float_dtype():
    tone = sine(440.0, SAMPLE_RATE, 4096 / SAMPLE_RATE, amplitude=0.3)  # one WebSocket chunk
    for samples in (tone, tone.astype(np.float64), tone.tolist(), array.array("f", tone)):
        result = engine.detect_pitch(samples, SAMPLE_RATE)
        assert result is not None and abs(result["frequency"] - 440.0) < 2.0


def test_detect_pitch_of_a_soundfont_note():
    synth = resound.Synth(str(installed_soundfont()), SAMPLE_RATE)
    synth.note_on(0, 57, 100)  # A3, acoustic grand piano
    audio = synth.render(SAMPLE_RATE)
    result = engine.detect_pitch(audio[0], SAMPLE_RATE)
    assert result["midi_note"] == 57 and result["note_name"] == "A3"
    assert abs(result["frequency"] - 220.0) < 2.0


@pytest.mark.parametrize("samples", [np.zeros(4096), np.random.default_rng(7).standard_normal(SAMPLE_RATE) * 0.3,
                                     sine(440.0, SAMPLE_RATE, 0.005), []])
def test_detect_pitch_returns_none_for_silence_noise_and_too_short(samples):
    assert engine.detect_pitch(samples, SAMPLE_RATE) is None


def test_detect_pitch_refuses_nan_and_bad_rates():
    with pytest.raises(RuntimeError, match="NaN"):
        engine.detect_pitch(np.full(4096, np.nan), SAMPLE_RATE)
    with pytest.raises(RuntimeError, match="sample_rate"):
        engine.detect_pitch(sine(440.0, SAMPLE_RATE, 0.5), 0)


# --- detect_onsets_python / analyze_dynamics_python ---------------------------------------------------

def test_onsets_land_within_30_ms_including_the_first_note():
    starts = [0.0, 0.5, 1.2, 2.0, 2.6]
    onsets = engine.detect_onsets_python(tone_bursts(starts), SAMPLE_RATE)
    assert len(onsets) == len(starts)
    for onset, start_s in zip(onsets, starts):
        assert abs(onset["timestamp"] - start_s) <= 0.030
        assert onset["sample_index"] == round(onset["timestamp"] * SAMPLE_RATE)
        assert 0.0 <= onset["strength"] <= 1.0 and 0.0 <= onset["confidence"] <= 1.0
    assert [o["timestamp"] for o in onsets] == sorted(o["timestamp"] for o in onsets)
    assert max(o["strength"] for o in onsets) == pytest.approx(1.0)


def test_onset_threshold_is_a_sensitivity():
    audio = tone_bursts([0.2, 0.9, 1.6, 2.3], amplitudes=[0.6, 0.02, 0.6, 0.6])
    counts = [len(engine.detect_onsets_python(audio, SAMPLE_RATE, threshold=t)) for t in (0.05, 0.3, 1.0)]
    assert counts[0] >= counts[1] >= counts[2]
    quiet_note = [o for o in engine.detect_onsets_python(audio, SAMPLE_RATE, threshold=0.05)
                  if abs(o["timestamp"] - 0.9) < 0.03]
    assert quiet_note and quiet_note[0]["strength"] < 0.5
    with pytest.raises(RuntimeError, match="threshold"):
        engine.detect_onsets_python(audio, SAMPLE_RATE, threshold=1.5)


def test_onsets_of_silence_are_empty():
    assert engine.detect_onsets_python(np.zeros(SAMPLE_RATE), SAMPLE_RATE) == []
    assert engine.detect_onsets_python([], SAMPLE_RATE) == []


def test_dynamics_measure_each_span_from_onset_to_the_next():
    starts = [0.0, 0.5, 1.2, 2.0]
    audio = tone_bursts(starts, amplitudes=[0.6, 0.1, 0.3, 0.0001])
    onsets = [{"timestamp": s, "sample_index": int(s * SAMPLE_RATE), "strength": 1.0, "confidence": 1.0} for s in starts]
    levels = engine.analyze_dynamics_python(audio, onsets, SAMPLE_RATE)
    assert [item["timestamp"] for item in levels] == pytest.approx(starts)
    bounds = [int(s * SAMPLE_RATE) for s in starts] + [len(audio)]
    for item, begin, end in zip(levels, bounds, bounds[1:]):
        span = audio[begin:end].astype(np.float64)
        assert item["rms_level"] == pytest.approx(math.sqrt(np.mean(span ** 2)), rel=1e-3)
        assert item["peak_level"] == pytest.approx(np.max(np.abs(span)), rel=1e-3)
        assert item["db_level"] == pytest.approx(max(-60.0, 20 * math.log10(item["rms_level"])), abs=1e-3)
        assert 1 <= item["midi_velocity"] <= 127
    assert levels[3]["db_level"] == -60.0
    by_level = sorted(levels, key=lambda item: item["rms_level"])
    assert [item["midi_velocity"] for item in by_level] == sorted(item["midi_velocity"] for item in by_level)
    assert engine.analyze_dynamics_python(audio, [], SAMPLE_RATE) == []


# --- synthesize_midi / generate_waveform / analyze_performance ----------------------------------------

def test_synthesize_midi_writes_stereo_16_bit_wav(tmp_path):
    midi = pathlib.Path(__file__).parents[2] / "examples" / "demo.mid"
    output = tmp_path / "exercise.wav"
    duration_s = engine.synthesize_midi(str(midi), str(output), str(installed_soundfont()), use_gpu=True)
    info = resound.info(str(output))
    assert info["container"] == "WAV" and info["encoding"] == "PCM_16" and info["channels"] == 2
    assert info["sample_rate"] == SAMPLE_RATE
    assert duration_s == pytest.approx(info["duration_s"], abs=1e-6) and duration_s > 5
    assert info["peak_dbfs"] > -40
    dry = tmp_path / "dry.wav"
    engine.synthesize_midi(midi, dry, installed_soundfont(), sample_rate=22050, reverb=False)
    assert resound.info(str(dry))["sample_rate"] == 22050


def test_synthesize_midi_names_a_corrupt_file_and_leaves_nothing(tmp_path):
    bad = tmp_path / "broken.mid"
    bad.write_bytes(b"MThd\x00\x00\x00\x06\x00\x01")
    with pytest.raises(RuntimeError, match="broken.mid"):
        engine.synthesize_midi(bad, tmp_path / "out.wav", installed_soundfont())
    assert sorted(p.name for p in tmp_path.iterdir()) == ["broken.mid"]


def test_generate_waveform_is_a_png_of_the_requested_size(tmp_path):
    path = tmp_path / "tone.wav"
    resound.write(str(path), np.stack([tone_bursts([0.1, 1.0])] * 2), SAMPLE_RATE)
    png = engine.generate_waveform(str(path), width=640, height=120)
    assert isinstance(png, bytes) and png.startswith(b"\x89PNG\r\n\x1a\n")
    assert struct.unpack(">II", png[16:24]) == (640, 120)
    with pytest.raises(RuntimeError, match="missing.wav"):
        engine.generate_waveform(str(tmp_path / "missing.wav"))


def test_analyze_performance_really_scores(shared_dir, tmp_path):
    folder = shared_dir / "data" / "analysis"
    expected = folder / "performance" / "fife_march_expected.mid"
    performed = folder / "audio" / "perf_fife_march_performed.wav"
    if not (expected.is_file() and performed.is_file()):
        pytest.skip("performance pair not in ../shared/data")
    report = json.loads(engine.analyze_performance(str(performed), str(expected)))
    assert 0.0 <= report["pitch_accuracy"] <= 1.0 and 0.0 <= report["rhythm_accuracy"] <= 1.0
    assert report["notes"] and report["counts"]["wrong_pitch"] > 0  # the performance has deliberate mistakes
    rendered = tmp_path / "expected.wav"
    engine.synthesize_midi(expected, rendered, installed_soundfont(), reverb=False)
    exact = json.loads(engine.analyze_performance(rendered, expected))
    assert exact["pitch_accuracy"] > report["pitch_accuracy"]  # not a constant: the score follows the audio


# --- realtime_backend (top level) ----------------------------------------------------------------------

def test_top_level_realtime_backend_is_resounds(tmp_path):
    assert realtime_backend.start_stream is resound.realtime_backend.start_stream
    track = {"global": {"sample_rate": SAMPLE_RATE},
             "progression": [{"duration": 2.0, "voices": [{"synth_function_name": "binaural_beat",
                                                           "params": {"baseFreq": 200, "beatFreq": 4}}]}]}
    output = tmp_path / "sample.wav"
    realtime_backend.render_sample_wav(json.dumps(track), str(output))
    assert resound.info(str(output))["duration_s"] == pytest.approx(2.0, abs=0.01)
    realtime_backend.stop_stream()  # safe when nothing plays


def test_default_onset_threshold_uses_resounds_default_delta():
    audio = tone_bursts([0.2, 0.9, 1.6], amplitudes=[0.6, 0.05, 0.3])
    default = resound.analysis.onsets(audio, SAMPLE_RATE)
    assert np.array_equal(default, resound.analysis.onsets(audio, SAMPLE_RATE, delta=engine._ONSET_DELTA_AT_DEFAULT_THRESHOLD))


@pytest.mark.parametrize("frames", [4096, 22050])
def test_a_note_sounding_past_the_chunk_end_is_one_onset(frames):
    # The microphone WebSocket sends 4096-sample chunks: a held note is cut at every chunk end.
    start = 1000
    chunk = np.zeros(frames, np.float32)
    chunk[start:] = sine(440.0, SAMPLE_RATE, (frames - start) / SAMPLE_RATE, amplitude=0.4)
    onsets = engine.detect_onsets_python(chunk, SAMPLE_RATE)
    assert len(onsets) == 1 and abs(onsets[0]["timestamp"] - start / SAMPLE_RATE) <= 0.030
    held = sine(440.0, SAMPLE_RATE, frames / SAMPLE_RATE, amplitude=0.4)
    assert [o["timestamp"] for o in engine.detect_onsets_python(held, SAMPLE_RATE)] == [0.0]


def test_an_attack_near_the_chunk_end_is_still_found():
    chunk = np.zeros(8192, np.float32)
    start = 8192 - 2500
    chunk[start:] = sine(440.0, SAMPLE_RATE, 2500 / SAMPLE_RATE, amplitude=0.4)
    onsets = engine.detect_onsets_python(chunk, SAMPLE_RATE)
    assert len(onsets) == 1 and abs(onsets[0]["timestamp"] - start / SAMPLE_RATE) <= 0.030
