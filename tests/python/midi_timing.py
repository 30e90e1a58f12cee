"""Exact note-on times of a Standard MIDI File, and where a render's note attacks fall against them.

An independent reading of the tempo map (not Resound's SMF reader), so tests can check any renderer's
timing — ours and FluidSynth's — against the times the file specifies.
"""

import struct

import numpy as np


def _read_variable_length(data, at):
    value = 0
    while True:
        byte = data[at]
        at += 1
        value = (value << 7) | (byte & 0x7F)
        if byte < 0x80:
            return value, at


def note_on_times(path):
    """(seconds, velocity) of every note-on, from the merged tempo map (metrical time division only)."""
    data = open(path, "rb").read()
    if data[:4] != b"MThd":
        raise ValueError(f"{path}: not a Standard MIDI File")
    _, track_count, division = struct.unpack(">HHH", data[8:14])
    if division & 0x8000:
        raise ValueError(f"{path}: SMPTE time division is not handled here")
    events = []  # (tick, order, value): tempo changes (order 0) before notes (order 1) at the same tick
    at = 8 + struct.unpack(">I", data[4:8])[0]
    for _ in range(track_count):
        length = struct.unpack(">I", data[at + 4:at + 8])[0]
        position, end, tick, status = at + 8, at + 8 + length, 0, 0
        while position < end:
            delta, position = _read_variable_length(data, position)
            tick += delta
            byte = data[position]
            if byte == 0xFF:
                kind = data[position + 1]
                size, position = _read_variable_length(data, position + 2)
                if kind == 0x51:
                    events.append((tick, 0, int.from_bytes(data[position:position + 3], "big")))
                position += size
                continue
            if byte in (0xF0, 0xF7):
                size, position = _read_variable_length(data, position + 1)
                position += size
                continue
            if byte & 0x80:
                status = byte
                position += 1
            size = 1 if status & 0xF0 in (0xC0, 0xD0) else 2
            message = data[position:position + size]
            position += size
            if status & 0xF0 == 0x90 and message[1] > 0:
                events.append((tick, 1, message[1]))
        at = end
    events.sort(key=lambda event: event[:2])
    seconds, last_tick, tempo_us = 0.0, 0, 500000
    notes = []
    for tick, order, value in events:
        seconds += (tick - last_tick) * tempo_us / 1e6 / division
        last_tick = tick
        if order == 0:
            tempo_us = value
        else:
            notes.append((seconds, value))
    return np.array(notes)


def frame_power(mono, sample_rate, hop_s):
    """Mean power per hop."""
    hop = int(round(sample_rate * hop_s))
    count = len(mono) // hop
    return (mono[: count * hop].reshape(count, hop) ** 2).mean(axis=1)


def attack_strength(power):
    """Rises of the log level per hop: large where notes start."""
    level = np.log10(np.sqrt(power) + 1e-5)
    return np.maximum(np.diff(level, prepend=level[0]), 0.0)


def attack_lags_s(power, notes, hop_s, segment_s=15.0, max_lag_s=0.4):
    """Per segment of the exact timeline, the shift (s) of the audio's attacks that best matches the
    velocity-weighted note-on train: 0 for a renderer that plays the notes when the file says. A
    segment that matches unshifted within 20 % of its best shift, or whose best shift is the largest
    searched, counts as 0; otherwise, of the shifts
    that match within 5 % of the best, the smallest is taken. The lags are median-filtered over three
    segments."""
    train = np.zeros(int(notes[-1, 0] / hop_s) + 2)
    for seconds, velocity in notes:
        train[int(round(seconds / hop_s))] += velocity
    strength = attack_strength(power)
    segment, reach = int(round(segment_s / hop_s)), int(round(max_lag_s / hop_s))
    lags = []
    for start in range(0, min(len(strength), len(train)), segment):
        wanted = train[start:start + segment]

        def match(lag):
            heard = strength[start + lag:start + lag + len(wanted)]
            return np.dot(wanted, heard) if start + lag >= 0 and len(heard) == len(wanted) else -1.0

        scores = {lag: match(lag) for lag in range(-reach, reach + 1)}
        best = max(scores.values())
        peak = max(scores, key=scores.get)
        if scores[0] >= 0.8 * best or abs(peak) == reach:
            # No shift is (nearly) as good, or the best lies at the edge of the search (no peak):
            # sparse or sustained passages decide nothing.
            lags.append(0.0)
            continue
        # A periodic part (a drum loop) matches equally one period away: of the near-best shifts,
        # take the smallest.
        lags.append(min((lag for lag, score in scores.items() if score >= 0.95 * best), key=abs) * hop_s)
    # Drift changes slowly: a lone segment that disagrees with both neighbours is a misreading.
    padded = [lags[0]] + lags + [lags[-1]]
    return [float(np.median(padded[i:i + 3])) for i in range(len(lags))]


def undo_lags(power, lags_s, hop_s, segment_s=15.0):
    """`power` with each segment moved back by its lag (the renderer's drift removed)."""
    segment = int(round(segment_s / hop_s))
    aligned = np.zeros_like(power)
    for index, lag_s in enumerate(lags_s):
        target = np.arange(index * segment, min((index + 1) * segment, len(power)))
        source = target + int(round(lag_s / hop_s))
        inside = (source >= 0) & (source < len(power))
        aligned[target[inside]] = power[source[inside]]
    return aligned
