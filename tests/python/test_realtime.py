"""resound.Player: live control on the paced null device, tracks as dicts, and a clear error without a server."""

import json
import os
import pathlib
import time

import numpy as np
import pytest

import resound
from conftest import sine

TRACK = pathlib.Path(__file__).parents[1] / "e2e" / "data" / "glide_track.json"


def wait_for(predicate, timeout_s=15.0):  # generous: a busy CI machine may plan and start slowly
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.01)
    return False


@pytest.fixture
def tone_file(tmp_path):
    path = tmp_path / "tone.wav"
    resound.write(str(path), np.stack([sine(440, 48000, 20.0)] * 2), 48000, format="float")
    return path


def test_play_pause_resume_seek_on_the_null_device(tone_file):
    with resound.Player(str(tone_file), latency_ms=20, device="null") as player:
        assert player.length_s == pytest.approx(20.0)
        player.play()
        assert wait_for(lambda: player.position_s > 0.1)
        player.pause()
        assert wait_for(lambda: player.paused)
        held = player.position_s
        time.sleep(0.1)
        assert player.position_s == held  # paused: time does not advance
        player.seek(12.5)
        assert wait_for(lambda: player.position_s >= 12.5)
        assert player.position_s < 12.5 + 0.05  # seek applied while paused: lands exactly, stays put
        player.resume()
        assert wait_for(lambda: player.position_s > 12.6)
        # No bound on xruns here: on a loaded machine the paced null device may miss its pace, which
        # says nothing about the controls under test (xruns are measured by bench/realtime_latency).
    assert not player.playing


def test_track_dict_plays_and_update_keeps_position():
    track = json.loads(TRACK.read_text())
    player = resound.Player(track, device="null")
    player.seek(10.0)
    player.play()
    assert wait_for(lambda: player.position_s > 10.1)
    track["progression"][0]["voices"][0]["params"]["startAmpL"] = 0.2
    before = player.position_s
    started = time.monotonic()
    player.update(json.dumps(track))
    assert wait_for(lambda: player.position_s > before + 0.1)
    # Continued from where it was, not from 0: the null device plays in real time, so the position
    # can only have moved on by the wall time spent (planning the update may take seconds when busy).
    assert player.position_s < before + (time.monotonic() - started) + 1.0
    assert player.peak_level > 0.01
    player.stop()


def test_bad_source_is_a_resound_error(tmp_path):
    with pytest.raises(resound.Error, match="missing.wav"):
        resound.Player(str(tmp_path / "missing.wav"), device="null")


def test_absent_server_is_a_clear_error_not_a_hang(tone_file, tmp_path, monkeypatch):
    monkeypatch.setenv("PULSE_SERVER", f"unix:{tmp_path}/no-server")
    started = time.monotonic()
    with pytest.raises(resound.Error, match="sound server"):
        resound.Player(str(tone_file))
    assert time.monotonic() - started < 30.0  # bounded by the connect timeout, never a hang


def test_realtime_backend_renders_and_reports_a_missing_server(tmp_path, monkeypatch):
    from resound import realtime_backend as rb

    track_json = TRACK.read_text()
    sample = tmp_path / "sample.wav"
    rb.render_sample_wav(track_json, sample)
    info = resound.info(str(sample))
    whole_s = resound.Player(track_json, device="null").length_s
    assert whole_s < 60.0
    assert info["duration_s"] == pytest.approx(whole_s, abs=1e-3)  # shorter than 60 s: the whole track
    assert info["sample_rate"] == 48000
    audio, _ = resound.read(str(sample))
    assert 0.2 < float(np.max(np.abs(audio))) <= 0.26  # normalised to the 0.25 target peak

    monkeypatch.setenv("PULSE_SERVER", f"unix:{tmp_path}/no-server")
    with pytest.raises(resound.Error, match="sound server"):
        rb.start_stream(track_json, start_time=10.0)
    rb.stop_stream()  # safe when nothing plays
    rb.push_clip_samples(0, [0.0, 0.0])  # like the other controls: nothing plays, nothing happens


def test_streamed_clip_plays_the_pushed_samples():
    track = {
        "global": {"sample_rate": 48000},
        "progression": [{"duration": 20.0, "voices": [{"synth_function_name": "binaural_beat",
                                                       "params": {"baseFreq": 200, "beatFreq": 4, "ampL": 0.5, "ampR": 0.5}}]}],
        "overlay_clips": [{"file_path": "no-such-clip.wav", "start": 0.5, "amp": 1.0}],
    }
    with pytest.raises(resound.Error, match="no-such-clip.wav"):
        resound.Player(track, device="null")  # without streaming, a clip that cannot be read is an error
    player = resound.Player(track, device="null", stream_unreadable_clips=True)
    player.play()
    assert wait_for(lambda: player.position_s > 0.1)
    assert player.peak_level < 0.3  # the voice alone, normalised to the 0.25 target
    # 3 s of a 0.9 sine, interleaved L, R, L, R, … (the realtime_backend convention), in two pushes.
    tone = 0.9 * sine(330, 48000, 3.0)
    interleaved = np.stack([tone, tone], axis=1).ravel()
    player.push_clip_samples(0, interleaved[: len(interleaved) // 2])
    with pytest.raises(resound.Error, match="even"):
        player.push_clip_samples(0, [0.0])
    player.push_clip_samples(0, interleaved[len(interleaved) // 2:].tolist(), finished=True)
    # Mixed after the normalisation at the clip's gain: voice + clip peak well above the voice alone.
    assert wait_for(lambda: player.peak_level > 0.6, timeout_s=20.0)
    with pytest.raises(resound.Error, match="no clip 2"):
        player.push_clip_samples(2, [0.0, 0.0])
    with pytest.raises(resound.Error, match="finished"):
        player.push_clip_samples(0, [0.0, 0.0])
    player.stop()
