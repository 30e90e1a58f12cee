"""Resound: SoundFont synthesis, entrainment tracks, effects and analysis, from a C++20 engine.

Audio is a float32 NumPy array shaped ``(channels, frames)``; the sample rate travels beside it.

    >>> import resound
    >>> audio, sample_rate = resound.read("in.wav")
    >>> resound.write("out.flac", audio, sample_rate, format="flac")
"""

from ._resound import Error, __version__, convert, info, read, write
from ._resound import SoundFont, Synth, default_soundfont, render_midi, render_midi_file
from ._resound import Player
from .track import Track
from . import analysis, fx  # noqa: E402  (submodules resound.analysis, resound.fx)

__all__ = [
    "Error", "Player", "SoundFont", "Synth", "Track", "__version__", "analysis", "convert", "default_soundfont",
    "fx", "info", "read", "render_midi", "render_midi_file", "write",
]
