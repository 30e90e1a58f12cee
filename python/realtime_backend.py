"""realtime_backend: the top-level compatibility module (python-api.md §2), a re-export of resound.realtime_backend.

Applications written for the original engine `import realtime_backend` and keep working unchanged.
"""

from resound.realtime_backend import (  # noqa: F401  (re-exported API)
    enable_gpu,
    pause_stream,
    push_clip_samples,
    render_full_wav,
    render_sample_wav,
    resume_stream,
    start_from,
    start_stream,
    stop_stream,
    update_track,
)

__all__ = [
    "start_stream", "stop_stream", "pause_stream", "resume_stream", "start_from", "update_track",
    "enable_gpu", "push_clip_samples", "render_sample_wav", "render_full_wav",
]
