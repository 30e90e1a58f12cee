"""resound.Track: loading from path/dict/JSON text, rendering, seeking, checking, writing."""

import json
import os

import numpy as np
import pytest

import resound

EXAMPLES = None


def examples_dir(shared_dir):
    path = os.path.join(shared_dir, "data", "track", "examples")
    if not os.path.isdir(path):
        pytest.skip("track examples not found")
    return path


def simple_track(rate=8000):
    return {
        "global": {"sample_rate": rate, "crossfade_duration": 0.5, "crossfade_curve": "equal_power"},
        "progression": [
            {"duration": 2.0, "voices": [{"synth_function_name": "binaural_beat",
                                          "params": {"ampL": 0.5, "ampR": 0.5, "baseFreq": 200, "beatFreq": 10}}]},
            {"duration": 2.0, "voices": [{"synth_function_name": "isochronic_tone_transition",
                                          "params": {"startBaseFreq": 250, "endBaseFreq": 300,
                                                     "startBeatFreq": 4, "endBeatFreq": 8}}]},
        ],
    }


def dominant_hz(signal, rate):
    spectrum = np.abs(np.fft.rfft(signal * np.hanning(len(signal)), 1 << 18))
    return np.argmax(spectrum) * rate / (1 << 18)


def test_load_dict_and_json_text_agree():
    a = resound.Track.load(simple_track())
    b = resound.Track.load(json.dumps(simple_track()))
    assert a.duration_s == pytest.approx(b.duration_s)
    audio_a, rate = a.render()
    audio_b, _ = b.render()
    assert rate == 8000
    assert audio_a.shape == (2, int(round(a.duration_s * rate)))
    np.testing.assert_array_equal(audio_a, audio_b)
    assert np.max(np.abs(audio_a)) == pytest.approx(0.25, abs=1e-5)  # target_level


def test_binaural_beat_frequency_and_steps():
    track = resound.Track.load(simple_track(), target_level=0)
    steps = track.steps
    assert len(steps) == 2
    assert steps[1]["crossfade_s"] == pytest.approx(0.5)
    audio, rate = track.render(start_s=0.1, duration_s=1.0)
    left, right = audio
    assert dominant_hz(left, rate) == pytest.approx(195.0, abs=0.1)
    assert dominant_hz(right, rate) == pytest.approx(205.0, abs=0.1)


def test_render_from_offset_equals_full_render():
    track = resound.Track.load(simple_track())
    full, rate = track.render()
    start = int(1.7 * rate)
    part, _ = track.render(start_s=1.7, duration_s=0.5)
    np.testing.assert_allclose(part, full[:, start:start + part.shape[1]], atol=1e-5)


def test_render_to_file_and_check(tmp_path):
    track = resound.Track.load(simple_track())
    path = tmp_path / "t.wav"
    seconds = track.render_to(path, format="float")
    assert seconds == pytest.approx(track.duration_s)
    audio, rate = resound.read(str(path))
    full, _ = track.render()
    np.testing.assert_allclose(audio, full, atol=1e-6)
    assert track.check() == []


def test_check_lists_unknown_keys_and_voices():
    data = simple_track()
    data["progression"][0]["mystery"] = 1
    data["progression"][0]["voices"].append({"synth_function_name": "not_a_voice"})
    warnings = resound.Track.load(data).check()
    assert any("mystery" in w for w in warnings)
    assert any("not_a_voice" in w for w in warnings)


def test_bad_input_raises_with_json_path():
    data = simple_track()
    data["progression"][1]["voices"][0]["params"]["startBaseFreq"] = "loud"
    with pytest.raises(resound.Error, match=r"progression\[1\]\.voices\[0\]\.params\.startBaseFreq"):
        resound.Track.load(data)
    with pytest.raises(resound.Error):
        resound.Track.load("{not json")
    with pytest.raises(TypeError):
        resound.Track.load(42)


def test_gui_and_python_key_examples_render_the_same(shared_dir):
    folder = examples_dir(shared_dir)
    gui = resound.Track.load(os.path.join(folder, "keys_gui_style.json"))
    python = resound.Track.load(os.path.join(folder, "keys_python_style.json"))
    a, _ = gui.render(duration_s=4)
    b, _ = python.render(duration_s=4)
    np.testing.assert_array_equal(a, b)
    # The clip (from 2 s) and the noise are present, unlike the original renderer with GUI keys.
    assert np.sqrt(np.mean(a ** 2)) > 0.03
