"""Resound: SoundFont synthesis, entrainment tracks, effects and analysis, from a C++20 engine.

Audio is a float32 NumPy array shaped ``(channels, frames)``; the sample rate travels beside it.

    >>> import resound
    >>> audio, sample_rate = resound.read("in.wav")
    >>> resound.write("out.flac", audio, sample_rate, format="flac")
"""

from ._resound import Error, Player, __version__, convert, info, read, write

__all__ = ["Error", "Player", "__version__", "convert", "info", "read", "write"]
