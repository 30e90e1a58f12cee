"""resound.read / write / info / convert: round trips, dtypes, shapes and errors."""

import threading
import time

import numpy as np
import pytest

import resound
from conftest import sine


def test_float_round_trip_is_exact(tmp_path):
    audio = np.random.default_rng(1).uniform(-1, 1, size=(2, 4800)).astype(np.float32)
    resound.write(tmp_path / "a.wav", audio, 48000, format="float")
    back, rate = resound.read(tmp_path / "a.wav")
    assert rate == 48000 and isinstance(rate, int)
    assert back.dtype == np.float32 and back.shape == (2, 4800)
    np.testing.assert_array_equal(back, audio)


def test_sixteen_bit_round_trip_within_one_lsb(tmp_path):
    audio = sine(1000, 44100, 0.5)
    resound.write(str(tmp_path / "b.wav"), audio, 44100)  # 1-D means mono; str paths work too
    back, rate = resound.read(str(tmp_path / "b.wav"))
    assert back.shape == (1, audio.size)
    assert np.max(np.abs(back[0] - audio)) <= 1 / 32768


def test_accepts_lists_and_float64(tmp_path):
    resound.write(tmp_path / "list.wav", [0.0, 0.5, -0.5, 0.25], 8000, format="float")
    resound.write(tmp_path / "f64.flac", np.linspace(-0.5, 0.5, 1000), 8000, format="flac")
    assert resound.read(tmp_path / "list.wav")[0][0, 1] == pytest.approx(0.5)
    assert resound.read(tmp_path / "f64.flac")[0].shape == (1, 1000)


def test_info_reports_format_and_levels(tmp_path):
    resound.write(tmp_path / "tone.flac", np.stack([sine(440, 48000, 1.0)] * 2), 48000, format="flac16")
    info = resound.info(tmp_path / "tone.flac")
    assert info["container"] == "FLAC" and info["encoding"] == "PCM_16"
    assert info["channels"] == 2 and info["frames"] == 48000 and info["sample_rate"] == 48000
    assert info["duration_s"] == pytest.approx(1.0)
    assert info["peak_dbfs"] == pytest.approx(-6.02, abs=0.05)
    assert info["rms_dbfs"] == pytest.approx(-9.03, abs=0.05)


def test_convert_resamples(tmp_path):
    resound.write(tmp_path / "in.wav", sine(1000, 48000, 1.0), 48000)
    duration = resound.convert(tmp_path / "in.wav", tmp_path / "out.wav", sample_rate=44100)
    assert duration == pytest.approx(1.0, abs=1e-3)
    back, rate = resound.read(tmp_path / "out.wav")
    assert rate == 44100
    spectrum = np.abs(np.fft.rfft(back[0] * np.hanning(back.shape[1])))
    assert np.argmax(spectrum) * rate / back.shape[1] == pytest.approx(1000, abs=2)


def test_errors_are_resound_errors_with_the_file_name(tmp_path):
    assert issubclass(resound.Error, RuntimeError)
    with pytest.raises(resound.Error, match="missing.wav: file not found"):
        resound.read(tmp_path / "missing.wav")
    (tmp_path / "text.wav").write_text("not audio")
    with pytest.raises(resound.Error, match="text.wav: not a readable audio file"):
        resound.read(tmp_path / "text.wav")
    with pytest.raises(resound.Error, match="unknown audio format"):
        resound.write(tmp_path / "x.wav", [0.0], 44100, format="mp4")
    with pytest.raises(resound.Error, match="nonexistent"):
        resound.write("/nonexistent/x.wav", [0.0], 44100)
    with pytest.raises(resound.Error, match="did you mean array.T"):
        resound.write(tmp_path / "y.wav", np.zeros((1000, 2), np.float32), 44100)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["text.wav"]  # nothing partial left behind


def test_truncated_wav_raises(tmp_path):
    resound.write(tmp_path / "full.wav", sine(440, 44100, 1.0), 44100)
    data = (tmp_path / "full.wav").read_bytes()
    (tmp_path / "cut.wav").write_bytes(data[: len(data) // 2])
    with pytest.raises(resound.Error, match="truncated"):
        resound.read(tmp_path / "cut.wav")


def test_gil_is_released_during_io(tmp_path):
    audio = np.random.default_rng(2).uniform(-1, 1, size=(2, 48000 * 20)).astype(np.float32)
    resound.write(tmp_path / "big.flac", audio, 48000, format="flac")
    ticks = []
    stop = threading.Event()

    def ticker():
        while not stop.is_set():
            ticks.append(time.perf_counter())
            time.sleep(0.001)

    thread = threading.Thread(target=ticker)
    thread.start()
    start = time.perf_counter()
    resound.read(tmp_path / "big.flac")
    elapsed = time.perf_counter() - start
    stop.set()
    thread.join()
    during = [t for t in ticks if start <= t <= start + elapsed]
    # With the GIL held for the whole decode the ticker could not run at all meanwhile.
    assert elapsed < 0.02 or len(during) >= 3, (elapsed, len(during))
