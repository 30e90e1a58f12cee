#!/usr/bin/env python3
"""Writes examples/demo.mid: a 24-second piece for piano, strings, bass and drums (General MIDI).

Resound's own demo material (no third-party files): a I–vi–IV–V progression with an arpeggiated
piano, sustained strings, a walking bass and a drum groove, at 96 BPM. Run it to regenerate the file.
"""

import pathlib
import struct

TICKS_PER_QUARTER = 480
TEMPO_US_PER_QUARTER = 625000  # 96 BPM


def variable_length(value):
    out = [value & 0x7F]
    value >>= 7
    while value:
        out.append((value & 0x7F) | 0x80)
        value >>= 7
    return bytes(reversed(out))


def track_chunk(events):
    """events: list of (tick, bytes) in any order -> an MTrk chunk with an end-of-track event."""
    data = bytearray()
    last_tick = 0
    for tick, message in sorted(events, key=lambda event: (event[0], event[1][0] & 0xF0 != 0x80)):
        data += variable_length(tick - last_tick) + message
        last_tick = tick
    data += variable_length(0) + b"\xff\x2f\x00"
    return b"MTrk" + struct.pack(">I", len(data)) + bytes(data)


def note(events, channel, tick, length, key, velocity):
    events.append((tick, bytes([0x90 | channel, key, velocity])))
    events.append((tick + length, bytes([0x80 | channel, key, 0])))


def main():
    bar = 4 * TICKS_PER_QUARTER
    chords = [(60, 64, 67), (57, 60, 64), (53, 57, 60), (55, 59, 62)]  # C, Am, F, G
    bass_roots = [36, 33, 29, 31]
    conductor = [(0, b"\xff\x51\x03" + TEMPO_US_PER_QUARTER.to_bytes(3, "big")),
                 (0, b"\xff\x58\x04\x04\x02\x18\x08"),
                 (0, b"\xff\x03\x0cResound demo")]
    piano, strings, bass, drums = [], [], [], []
    piano.append((0, bytes([0xC0, 0])))        # Acoustic Grand Piano
    strings.append((0, bytes([0xC1, 48])))     # String Ensemble 1
    strings.append((0, bytes([0xB1, 7, 70])))  # softer strings
    strings.append((0, bytes([0xB1, 91, 80]))) # more reverb send
    bass.append((0, bytes([0xC2, 32])))        # Acoustic Bass
    for repeat in range(2):
        for index, (chord, root) in enumerate(zip(chords, bass_roots)):
            start = (repeat * 4 + index) * bar
            pattern = list(chord) + [chord[0] + 12, chord[2], chord[1], chord[0] + 12, chord[2] + 12]
            for step, key in enumerate(pattern):
                note(piano, 0, start + step * TICKS_PER_QUARTER // 2, TICKS_PER_QUARTER // 2, key, 70 + 8 * (step % 2 == 0))
            for key in chord:
                note(strings, 1, start, bar - 20, key - 12, 60)
            for beat, offset in enumerate([0, 7, 12, 7]):
                note(bass, 2, start + beat * TICKS_PER_QUARTER, TICKS_PER_QUARTER - 30, root + offset, 90)
            for beat in range(4):
                tick = start + beat * TICKS_PER_QUARTER
                note(drums, 9, tick, 60, 36 if beat % 2 == 0 else 38, 100 if beat % 2 == 0 else 90)
                note(drums, 9, tick, 60, 42, 70)
                note(drums, 9, tick + TICKS_PER_QUARTER // 2, 60, 42, 55)
    final = 8 * bar
    note(piano, 0, final, 2 * bar, 48, 80)
    for key in (60, 64, 67, 72):
        note(piano, 0, final, 2 * bar, key, 75)
    note(bass, 2, final, bar, 36, 90)
    note(drums, 9, final, 120, 49, 100)  # crash
    tracks = [track_chunk(t) for t in (conductor, piano, strings, bass, drums)]
    header = b"MThd" + struct.pack(">IHHH", 6, 1, len(tracks), TICKS_PER_QUARTER)
    path = pathlib.Path(__file__).with_name("demo.mid")
    path.write_bytes(header + b"".join(tracks))
    print(f"wrote {path} ({path.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
