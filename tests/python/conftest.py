"""Shared pytest fixtures: the shared data folder (skipped when absent) and test signals."""

import os
import pathlib

import numpy as np
import pytest


@pytest.fixture
def shared_dir():
    path = pathlib.Path(os.environ.get("RESOUND_SHARED_DIR", pathlib.Path(__file__).parents[2] / ".." / "shared"))
    if not path.is_dir():
        pytest.skip("../shared is not present")
    return path


def sine(frequency_hz, sample_rate, seconds, amplitude=0.5):
    t = np.arange(int(round(sample_rate * seconds))) / sample_rate
    return (amplitude * np.sin(2 * np.pi * frequency_hz * t)).astype(np.float32)
