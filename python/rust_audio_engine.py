"""rust_audio_engine: the music-education backend's API (python-api.md §1), a thin layer over `resound`.

Applications written against the original engine switch by installing Resound; nothing else
changes. Every function wraps the `resound` core (no second implementation); samples may be any
float sequence (list, array.array, NumPy array of any float dtype). Errors raise `resound.Error`
(a RuntimeError) naming the file and what is wrong. The GIL is released inside the native calls.

    >>> import rust_audio_engine as rae
    >>> rae.synthesize_midi("song.mid", "song.wav", "/usr/share/sounds/sf2/TimGM6mb.sf2")
    >>> rae.detect_pitch(samples, 44100)["note_name"]
"""

import json as _json
import math as _math

import numpy as _np

import resound as _resound
from resound import analysis as _analysis

__all__ = ["synthesize_midi", "generate_waveform", "detect_pitch", "detect_onsets_python",
           "analyze_dynamics_python", "analyze_performance"]

_NOTE_NAMES = ("C", "C#", "D", "D#", "E", "F", "F#", "G", "G#", "A", "A#", "B")
_LOWEST_PITCH_HZ = 27.5      # A0
_HIGHEST_PITCH_HZ = 4186.01  # C8
_DB_FLOOR = -60.0
# detect_onsets_python's `threshold` (sensitivity 0–1) scales the peak picker's delta: the callers' most
# common setting (0.3) gets resound.analysis.onsets' default delta (OnsetOptions::delta; a test keeps them equal).
_DEFAULT_ONSET_THRESHOLD = 0.3
_ONSET_DELTA_AT_DEFAULT_THRESHOLD = 0.005
_ONSET_LEAD_IN_S = 0.05
_ONSET_MIN_RELATIVE_STRENGTH = 0.1  # × threshold: weakest attack reported, relative to the buffer's strongest
_ONSET_TOLERANCE_S = 0.03  # an onset reported this early before the buffer belongs to its first sample


def _mono(samples):
    """Any float sequence -> contiguous float32 1-D array (a 2-D (channels, frames) array is averaged)."""
    array = _np.asarray(samples, dtype=_np.float32)
    if array.ndim == 2:
        array = array.mean(axis=0, dtype=_np.float32)
    if array.ndim != 1:
        raise _resound.Error(f"samples must be a 1-D sequence of floats, got an array of shape {array.shape}")
    return _np.ascontiguousarray(array)


def _check_rate(sample_rate):
    if not (isinstance(sample_rate, (int, float)) and _math.isfinite(sample_rate) and sample_rate > 0):
        raise _resound.Error(f"sample_rate must be a positive number of Hz, got {sample_rate!r}")
    return float(sample_rate)


def synthesize_midi(midi_path, output_path, soundfont_path, sample_rate=44100, use_gpu=True, reverb=True):
    """Renders `midi_path` with `soundfont_path` to a stereo 16-bit WAV; returns its duration in seconds.

    `use_gpu` is accepted for compatibility: the synthesizer runs on the CPU, far faster than real time.
    `reverb=True` adds the natural room reverb (Resound's FDN reverb fed by each channel's reverb send).
    """
    del use_gpu
    return _resound.render_midi_file(str(midi_path), str(output_path), soundfont=str(soundfont_path),
                                     sample_rate=_check_rate(sample_rate), reverb=bool(reverb),
                                     chorus=bool(reverb), format="wav16")


def generate_waveform(audio_path, width=1000, height=200, use_gpu=True):
    """PNG bytes, `width`×`height`, of the min/max envelope of the audio file (channels mixed to one lane)."""
    del use_gpu
    return _analysis.waveform_png(str(audio_path), width=int(width), height=int(height), split_channels=False)


def _note_of(frequency_hz):
    midi_float = 69.0 + 12.0 * _math.log2(frequency_hz / 440.0)
    midi_note = int(round(midi_float))
    cents = (midi_float - midi_note) * 100.0
    name = f"{_NOTE_NAMES[midi_note % 12]}{midi_note // 12 - 1}"
    return midi_note, cents, name


def _refine_frequency(mono, sample_rate, coarse_hz):
    """Sharpens a frame-tracker estimate to a fraction of a hertz for a steady tone.

    pYIN's frames agree on the note but carry its pitch-grid and interpolation error (±a few Hz at
    the top of the range). A steady tone is measured better over the whole buffer: the strongest of
    the first harmonics near k·coarse_hz in a Hann-windowed, 4× zero-padded spectrum, located by
    parabolic interpolation of the log magnitude, divided by k. Falls back to coarse_hz when no clear
    peak lies within ±3 % of a harmonic.
    """
    n = len(mono)
    window = _np.hanning(n).astype(_np.float32)
    size = 1 << int(_math.ceil(_math.log2(4 * n)))
    magnitude = _np.abs(_np.fft.rfft(mono * window, size))
    bin_hz = sample_rate / size
    best = None
    for harmonic in range(1, 5):
        centre_hz = harmonic * coarse_hz
        if centre_hz * 1.03 >= sample_rate / 2:
            break
        low = max(1, int(centre_hz * 0.97 / bin_hz))
        high = min(len(magnitude) - 2, int(centre_hz * 1.03 / bin_hz) + 1)
        if high <= low:
            continue
        peak = low + int(_np.argmax(magnitude[low:high + 1]))
        if best is None or magnitude[peak] > best[1]:
            best = (harmonic, magnitude[peak], peak)
    if best is None or not (1 <= best[2] < len(magnitude) - 1):
        return coarse_hz
    harmonic, _, peak = best
    left, centre, right = _np.log(magnitude[peak - 1:peak + 2] + 1e-30)
    curvature = left - 2.0 * centre + right
    shift = 0.5 * (left - right) / curvature if curvature < 0 else 0.0
    refined_hz = (peak + shift) * bin_hz / harmonic
    return refined_hz if abs(refined_hz / coarse_hz - 1.0) < 0.03 else coarse_hz


def detect_pitch(audio_samples, sample_rate=44100, use_gpu=False):
    """One pitch estimate for the whole buffer, or None (silence, noise, too short).

    Returns {frequency, confidence, midi_note, cents_offset, rms_level, note_name}. pYIN tracks the
    buffer frame by frame; the buffer is pitched when at least a third of its frames are voiced, and
    the voiced frames' median is refined on the spectrum of the whole buffer.
    """
    del use_gpu
    sample_rate = _check_rate(sample_rate)
    mono = _mono(audio_samples)
    finite = mono[_np.isfinite(mono)]
    if len(finite) != len(mono):
        raise _resound.Error("detect_pitch: audio_samples contain NaN or infinite values")
    rms_level = float(_np.sqrt(_np.mean(_np.square(mono, dtype=_np.float64)))) if len(mono) else 0.0
    if len(mono) < int(0.02 * sample_rate) or rms_level < 1e-4:
        return None
    _, f0, voiced, probability = _analysis.pyin(mono, sample_rate, fmin=_LOWEST_PITCH_HZ, fmax=_HIGHEST_PITCH_HZ)
    voiced = _np.asarray(voiced, dtype=bool) & _np.isfinite(f0)
    if len(voiced) == 0 or voiced.sum() < max(1, len(voiced) / 3):
        return None
    coarse_hz = float(_np.median(f0[voiced]))
    frequency = float(_refine_frequency(mono, sample_rate, coarse_hz))
    # The median: the buffer's edge frames (half outside the signal) must not pull a steady tone down.
    confidence = float(_np.clip(_np.median(_np.asarray(probability)[voiced]), 0.0, 1.0))
    midi_note, cents, name = _note_of(frequency)
    return {"frequency": frequency, "confidence": confidence, "midi_note": midi_note,
            "cents_offset": float(cents), "rms_level": min(1.0, rms_level), "note_name": name}


def detect_onsets_python(audio_samples, sample_rate=44100, hop_size=256, threshold=0.3):
    """Onsets in time order: [{timestamp, sample_index, strength, confidence}], [] for silence.

    `threshold` is a sensitivity in 0–1 (lower finds more). `hop_size` is accepted for compatibility;
    Resound's detector uses its own hop and refines each onset to the attack.
    """
    del hop_size
    sample_rate = _check_rate(sample_rate)
    if not (0.0 <= float(threshold) <= 1.0):
        raise _resound.Error(f"threshold must be within 0…1, got {threshold!r}")
    mono = _mono(audio_samples)
    if len(mono) == 0 or not _np.any(mono):
        return []
    delta = _ONSET_DELTA_AT_DEFAULT_THRESHOLD * max(float(threshold), 0.01) / _DEFAULT_ONSET_THRESHOLD
    # A note sounding from the buffer's first sample has no rise before it in the detection function;
    # leading silence gives it one, so the first note is reported like every other.
    lead_in = int(_ONSET_LEAD_IN_S * sample_rate)
    padded = _np.concatenate([_np.zeros(lead_in, dtype=_np.float32), mono])
    lead_in_s = lead_in / sample_rate
    times = _np.asarray(_analysis.onsets(padded, sample_rate, delta=delta), dtype=float) - lead_in_s
    times = _np.maximum(times[times > -_ONSET_TOLERANCE_S], 0.0)
    if len(times) == 0:
        return []
    envelope_times, envelope = (_np.asarray(a, dtype=float) for a in _analysis.onset_strength(padded, sample_rate))
    envelope_times = envelope_times - lead_in_s
    peak_of_envelope = float(envelope.max()) if len(envelope) else 0.0
    result = []
    for time_s in times:
        # The envelope's peak within ±2 frames of the onset measures how strong the attack was.
        index = int(_np.searchsorted(envelope_times, time_s))
        near = envelope[max(0, index - 2):index + 3]
        local = float(near.max()) if len(near) else 0.0
        strength = local / peak_of_envelope if peak_of_envelope > 0 else 0.0
        background = float(_np.median(envelope[max(0, index - 20):index + 20])) if len(envelope) else 0.0
        confidence = (local - background) / local if local > 0 else 0.0
        if strength < _ONSET_MIN_RELATIVE_STRENGTH * float(threshold):
            continue  # a ripple of the detection function far below the buffer's attacks, not a note
        result.append({"timestamp": float(time_s), "sample_index": int(round(time_s * sample_rate)),
                       "strength": float(_np.clip(strength, 0.0, 1.0)),
                       "confidence": float(_np.clip(confidence, 0.0, 1.0))})
    return result


def analyze_dynamics_python(audio_samples, onsets, sample_rate=44100):
    """Per onset: {timestamp, rms_level, peak_level, db_level (≥ −60), midi_velocity (1–127)}.

    `onsets` are dicts as detect_onsets_python returns (or plain times in seconds); each span runs
    from its onset to the next one, or to the end.
    """
    sample_rate = _check_rate(sample_rate)
    mono = _mono(audio_samples)
    times = sorted(float(onset["timestamp"] if isinstance(onset, dict) else onset) for onset in onsets)
    if not times:
        return []
    levels = _analysis.dynamics(mono, sample_rate, onsets=times)
    result = []
    for time_s, rms, peak, velocity in zip(levels["times"], levels["rms"], levels["peak"], levels["velocity"]):
        db = 20.0 * _math.log10(rms) if rms > 0 else _DB_FLOOR
        result.append({"timestamp": float(time_s), "rms_level": float(rms), "peak_level": float(peak),
                       "db_level": max(_DB_FLOOR, db), "midi_velocity": int(min(127, max(1, velocity)))})
    return result


def analyze_performance(recording_path, expected_midi_path, use_gpu=True):
    """JSON text: the recording aligned to the expected MIDI, with pitch_accuracy, rhythm_accuracy and per-note verdicts."""
    del use_gpu
    return _json.dumps(_analysis.score_performance(str(recording_path), str(expected_midi_path)))
