"""Entrainment tracks (the sound_creator JSON format): load, inspect, check and render.

    >>> import resound
    >>> track = resound.Track.load("session.json")
    >>> audio, sample_rate = track.render(start_s=60, duration_s=10)
    >>> track.render_to("session.flac")
"""

import json
import os

from ._resound import _Track

__all__ = ["Track"]


class Track:
    """A track loaded from a file path, a dict, or JSON text.

    ``seed`` keys the background noise (same seed, same audio); ``target_level`` is the peak the
    whole track is normalised to (0.25 as the original engine; 0 disables normalisation).
    """

    def __init__(self, handle, seed=0, target_level=0.25):
        self._handle = handle
        self.seed = int(seed)
        self.target_level = float(target_level)

    @classmethod
    def load(cls, source, base_folder=None, seed=0, target_level=0.25):
        """Loads ``source``: a path, a dict, or a JSON string. Relative noise/clip paths resolve
        against the file's folder, or ``base_folder`` (default: the current folder) for dicts/strings."""
        if isinstance(source, dict):
            handle = _Track.from_json(json.dumps(source), base_folder or ".")
        elif isinstance(source, (str, os.PathLike)) and not str(source).lstrip().startswith("{"):
            handle = _Track.from_file(os.fspath(source))
        elif isinstance(source, str):
            handle = _Track.from_json(source, base_folder or ".")
        else:
            raise TypeError("Track.load expects a path, a dict or a JSON string")
        return cls(handle, seed=seed, target_level=target_level)

    @property
    def sample_rate(self):
        return int(self._handle.sample_rate())

    @property
    def duration_s(self):
        """Length of the rendered track in seconds (after crossfades, gaps and clips)."""
        return self._handle.duration_s(self.seed, self.target_level)

    @property
    def steps(self):
        """The placed steps: start, duration, crossfade, alignment shift, gain and voice names."""
        return self._handle.steps(self.seed, self.target_level)

    def render(self, start_s=0.0, duration_s=None):
        """Renders ``duration_s`` seconds (default: to the end) from ``start_s``.
        Returns ``(audio, sample_rate)`` with audio float32 shaped (2, frames)."""
        return self._handle.render(float(start_s), duration_s, self.seed, self.target_level)

    def render_to(self, path, start_s=0.0, duration_s=None, format="", dither=False):
        """Streams the render to a WAV/FLAC file (constant memory). Returns the seconds written."""
        return self._handle.render_to(os.fspath(path), float(start_s), duration_s, format, dither, self.seed,
                                      self.target_level)

    def check(self):
        """Validates voices, noise and clips without rendering; returns a list of warnings."""
        return list(self._handle.check())
