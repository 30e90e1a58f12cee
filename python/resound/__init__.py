"""Resound: SoundFont synthesis, entrainment tracks, effects and analysis, from a C++20 engine.

Audio is a float32 NumPy array shaped ``(channels, frames)``; the sample rate travels beside it.

    >>> import resound
    >>> audio, sample_rate = resound.read("in.wav")
    >>> resound.write("out.flac", audio, sample_rate, format="flac")
"""

from ._resound import Error, __version__, convert, info, read, write
from ._resound import SoundFont, Synth, default_soundfont, render_midi, render_midi_file
from ._resound import Player

from . import analysis  # noqa: E402  (resound.analysis submodule)

__all__ = [
    "Error", "Player", "SoundFont", "Synth", "__version__", "convert", "default_soundfont", "info", "read",
    "analysis",
    "Error", "SoundFont", "Synth", "__version__", "convert", "default_soundfont", "info", "read",
    "render_midi", "render_midi_file", "write",
]
from . import fx

__all__ = ["Error", "__version__", "convert", "fx", "info", "read", "write"]
from .track import Track

__all__ = ["Error", "Track", "__version__", "convert", "info", "read", "write"]
