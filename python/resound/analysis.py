"""resound.analysis: pitch, onsets, beats, dynamics, loudness, waveforms and performance scoring.

Functions take a float array (1-D mono or (channels, frames); lists and any float dtype work) and
the sample rate, and return NumPy arrays of frame times and values, librosa-style:

    >>> times, f0, voiced, prob = resound.analysis.pyin(y, sr)
    >>> onset_times = resound.analysis.onsets(y, sr)
    >>> tempo, beat_times = resound.analysis.beats(y, sr)
"""

import json as _json

from ._resound import analysis as _native

pyin = _native.pyin
yin = _native.yin
onsets = _native.onsets
onset_strength = _native.onset_strength
beats = _native.beats
loudness = _native.loudness
dynamics = _native.dynamics
waveform_png = _native.waveform_png
StreamingPitch = _native.StreamingPitch
StreamingOnsets = _native.StreamingOnsets
LoudnessMeter = _native.LoudnessMeter


def waveform_peaks(audio, sr=None, samples_per_pixel=256, bits=8):
    """audiowaveform / peaks.js data (version 2) as a dict; ``json.dump`` it for peaks.js."""
    return _json.loads(_native.waveform_peaks_json(audio, sr, samples_per_pixel, bits))


def score_performance(recording, expected_midi, sr=None):
    """Score a monophonic recording (path or array + sr) against a MIDI file.

    Returns a dict with ``pitch_accuracy``, ``rhythm_accuracy``, ``offset_s``, ``counts`` and
    ``notes`` (one verdict per note: correct, wrong_pitch, missing, extra or timing_error).
    """
    return _json.loads(_native.score_performance_json(recording, str(expected_midi), sr))


__all__ = ["pyin", "yin", "onsets", "onset_strength", "beats", "loudness", "dynamics", "waveform_png",
           "waveform_peaks", "score_performance", "StreamingPitch", "StreamingOnsets", "LoudnessMeter"]
