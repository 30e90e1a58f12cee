"""realtime_backend: the entrainment player's streaming API (python-api.md §2) over resound.Player.

Tracks are JSON strings in the track format. At most one stream plays at a time (module state).

    >>> from resound import realtime_backend as rb
    >>> rb.start_stream(open("track.json").read(), start_time=10.0)
    >>> rb.pause_stream(); rb.resume_stream(); rb.start_from(30.0); rb.stop_stream()
"""

import threading

from . import _resound

_lock = threading.Lock()
_player = None


def start_stream(track_json, start_time=None):
    """Plays `track_json` on the default output from `start_time` s (0 if None); replaces any stream."""
    global _player
    with _lock:
        if _player is not None:
            _player.stop()
            _player = None
        # A clip whose file cannot be read is streamed: push_clip_samples() feeds it (as the original).
        player = _resound.Player(track_json, stream_unreadable_clips=True)
        if start_time:
            player.seek(float(start_time))
        player.play()
        _player = player


def stop_stream():
    """Stops playback and releases the device. Safe when nothing plays."""
    global _player
    with _lock:
        if _player is not None:
            _player.stop()
            _player = None


def _with_player(action):
    with _lock:
        if _player is not None:
            action(_player)


def pause_stream():
    """Silences the output (5 ms fade); track time stops advancing."""
    _with_player(lambda player: player.pause())


def resume_stream():
    """Continues where pause_stream() stopped."""
    _with_player(lambda player: player.resume())


def start_from(seconds):
    """Seeks the playing stream to `seconds`."""
    _with_player(lambda player: player.seek(float(seconds)))


def update_track(track_json):
    """Replaces the track while playing, keeping the position (50 ms crossfade)."""
    _with_player(lambda player: player.update(track_json))


def enable_gpu(enabled):
    """Accepted for compatibility: track playback runs on the CPU, which keeps up in real time."""
    del enabled


def push_clip_samples(index, samples, finished=False):
    """Appends interleaved stereo float samples (L, R, L, R, … at the stream's 48 kHz) to overlay clip
    `index` of the playing track, a clip whose file could not be loaded (a streamed clip). The clip
    plays what has arrived when its start time comes; `finished=True` marks its end. Raises
    resound.Error for an unknown index or a clip that plays its file. Does nothing when no stream plays."""
    _with_player(lambda player: player.push_clip_samples(int(index), samples, bool(finished)))


def render_sample_wav(track_json, out_path):
    """Renders the first 60 s (or the whole track if shorter) to a WAV file."""
    _resound._render_track(track_json, str(out_path), 60.0)


def render_full_wav(track_json, out_path):
    """Renders the whole track to a WAV file."""
    _resound._render_track(track_json, str(out_path), -1.0)
