#!/usr/bin/env python3
"""Writes the tiny seed files of the MIDI and SoundFont fuzz targets (fuzz/seeds/midi, fuzz/seeds/soundfont).

Run from anywhere: python3 fuzz/make_synth_seeds.py. The SF3 seed needs `sox` (Ogg Vorbis encoding).
"""

import math
import pathlib
import struct
import subprocess
import tempfile

HERE = pathlib.Path(__file__).resolve().parent


def vlq(value):
    out = [value & 0x7F]
    value >>= 7
    while value:
        out.insert(0, 0x80 | (value & 0x7F))
        value >>= 7
    return bytes(out)


def track(events):
    body = b"".join(vlq(delta) + bytes(data) for delta, data in events) + b"\x00\xff\x2f\x00"
    return b"MTrk" + struct.pack(">I", len(body)) + body


def midi(fmt, division, tracks):
    return b"MThd" + struct.pack(">IHHH", 6, fmt, len(tracks), division) + b"".join(tracks)


def write_midi_seeds(folder):
    notes = [(0, [0xFF, 0x51, 3, 0x07, 0xA1, 0x20]), (0, [0xC0, 5]), (0, [0x90, 60, 100]), (96, [62, 90]),
             (96, [0x80, 60, 0]), (0, [0xE0, 0, 0x50]), (48, [0xB0, 64, 127]), (0, [0xF0, 5, 0x7E, 0x7F, 9, 1, 0xF7]),
             (96, [0x90, 62, 0])]
    (folder / "format0.mid").write_bytes(midi(0, 96, [track(notes)]))
    conductor = track([(0, [0xFF, 0x51, 3, 0x0F, 0x42, 0x40]), (0, [0xFF, 0x58, 4, 4, 2, 24, 8])])
    drums = track([(0, [0xFF, 0x03, 5] + list(b"Drums")), (0, [0x99, 36, 127]), (24, [0x89, 36, 0]), (0, [0x99, 42, 90])])
    (folder / "format1.mid").write_bytes(midi(1, 480, [conductor, drums]))
    (folder / "format2_smpte.mid").write_bytes(midi(2, 0xE728, [track(notes[:3]), track([(96, [0x90, 62, 90]), (96, [0x80, 62, 0]), (0, [0xE0, 0, 0x50])])]))


def chunk(tag, data):
    return tag + struct.pack("<I", len(data)) + data + (b"\x00" if len(data) % 2 else b"")


def listing(kind, parts):
    return chunk(b"LIST", kind + b"".join(parts))


def soundfont(sample_blob, headers, version=(2, 4), extra_generators=()):
    """One preset -> one instrument -> one zone per sample header (start, end, loop_start, loop_end, type)."""
    shdr = b""
    for index, (start, end, loop_start, loop_end, kind) in enumerate(headers):
        shdr += struct.pack("<20sIIIIIBbHH", f"s{index}".encode(), start, end, loop_start, loop_end, 22050, 60, 0, 0, kind)
    shdr += struct.pack("<20sIIIIIBbHH", b"EOS", 0, 0, 0, 0, 0, 0, 0, 0, 0)
    igen = b""
    ibag = b""
    count = 0
    for index in range(len(headers)):
        ibag += struct.pack("<HH", count, 0)
        gens = [(43, 0 | (127 << 8)), (54, 1), *extra_generators, (53, index)]
        igen += b"".join(struct.pack("<HH", kind, amount & 0xFFFF) for kind, amount in gens)
        count += len(gens)
    ibag += struct.pack("<HH", count, 0)
    igen += b"\x00" * 4
    inst = struct.pack("<20sH", b"Sine", 0) + struct.pack("<20sH", b"EOI", len(headers))
    phdr = struct.pack("<20sHHHIII", b"Sine", 0, 0, 0, 0, 0, 0) + struct.pack("<20sHHHIII", b"Drums", 0, 128, 1, 0, 0, 0)
    phdr += struct.pack("<20sHHHIII", b"EOP", 0, 0, 2, 0, 0, 0)
    pbag = struct.pack("<HH", 0, 0) + struct.pack("<HH", 1, 0) + struct.pack("<HH", 2, 0)
    pgen = struct.pack("<HH", 41, 0) + struct.pack("<HH", 41, 0) + b"\x00" * 4
    # One modulator (CC1 -> filter cutoff) and a linked one, so modulator parsing is seeded too.
    imod = struct.pack("<HHhHH", 0x0081, 8, -2400, 0, 0) + b"\x00" * 10
    pmod = b"\x00" * 10
    info = listing(b"INFO", [chunk(b"ifil", struct.pack("<HH", *version)), chunk(b"INAM", b"Seed\x00\x00")])
    sdta = listing(b"sdta", [chunk(b"smpl", sample_blob)])
    pdta = listing(b"pdta", [chunk(b"phdr", phdr), chunk(b"pbag", pbag), chunk(b"pmod", pmod), chunk(b"pgen", pgen),
                             chunk(b"inst", inst), chunk(b"ibag", ibag), chunk(b"imod", imod), chunk(b"igen", igen),
                             chunk(b"shdr", shdr)])
    return chunk(b"RIFF", b"sfbk" + info + sdta + pdta)


def write_soundfont_seeds(folder):
    frames = [int(12000 * math.sin(2 * math.pi * i / 50)) for i in range(500)] + [0] * 46
    blob = struct.pack(f"<{len(frames)}h", *frames)
    (folder / "sine.sf2").write_bytes(soundfont(blob, [(0, 500, 100, 500, 1)]))
    (folder / "filtered.sf2").write_bytes(soundfont(blob, [(0, 500, 100, 500, 1)], extra_generators=[(8, 6000), (9, 120)]))
    with tempfile.TemporaryDirectory() as temporary:
        raw = pathlib.Path(temporary) / "sine.raw"
        raw.write_bytes(blob)
        ogg = pathlib.Path(temporary) / "sine.ogg"
        subprocess.run(["sox", "-t", "raw", "-r", "22050", "-e", "signed", "-b", "16", "-c", "1", str(raw),
                        "-C", "-1", str(ogg)], check=True)
        vorbis = ogg.read_bytes()
    (folder / "sine.sf3").write_bytes(soundfont(vorbis, [(0, len(vorbis), 100, 500, 0x11)], version=(3, 1)))


if __name__ == "__main__":
    write_midi_seeds(HERE / "seeds" / "midi")
    write_soundfont_seeds(HERE / "seeds" / "soundfont")
    for path in sorted((HERE / "seeds" / "midi").iterdir()) + sorted((HERE / "seeds" / "soundfont").iterdir()):
        print(f"{path.relative_to(HERE)}: {path.stat().st_size} bytes")
