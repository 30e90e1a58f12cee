"""The top-level `realtime_backend` module (python-api.md §2): same functions as resound.realtime_backend, and it works."""

import pathlib

import pytest

import resound
import resound.realtime_backend

TRACK = pathlib.Path(__file__).parents[1] / "e2e" / "data" / "glide_track.json"
API = ["start_stream", "stop_stream", "pause_stream", "resume_stream", "start_from", "update_track",
       "enable_gpu", "push_clip_samples", "render_sample_wav", "render_full_wav"]


def test_top_level_module_re_exports_the_whole_api():
    import realtime_backend

    for name in API:
        assert getattr(realtime_backend, name) is getattr(resound.realtime_backend, name), name
    assert sorted(realtime_backend.__all__) == sorted(API)


def test_top_level_module_renders_and_reports_a_missing_server(tmp_path, monkeypatch):
    import realtime_backend

    sample = tmp_path / "sample.wav"
    realtime_backend.render_sample_wav(TRACK.read_text(), sample)
    info = resound.info(str(sample))
    assert info["sample_rate"] == 48000 and info["duration_s"] > 1.0
    monkeypatch.setenv("PULSE_SERVER", f"unix:{tmp_path}/no-server")
    with pytest.raises(RuntimeError, match="sound server"):
        realtime_backend.start_stream(TRACK.read_text())
    realtime_backend.stop_stream()
