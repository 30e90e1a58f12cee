#!/usr/bin/python3
"""Whole-render race: `resound midi` against `fluidsynth -ni -F` on the shared MIDI corpus, single thread.

For each SoundFont (TimGM6mb, FluidR3_GM) and effects setting (off, on), renders every file with both
programs in the same run and prints, per file and in aggregate, × real time from CPU time (user+sys of
the child, so other load on the machine does not count), the speed ratio, and Resound's ns per voice
per sample (from the voice-frames count `resound midi` prints). It also checks agreement: the
correlation of the two renders' 100 ms RMS envelopes (the issue asks for >= 0.9 per file), printed
twice: "raw" compares the envelopes as rendered; "aligned" is the definition of the test
(tests/python/test_synth.py): FluidSynth's render moved back by its own measured timing drift
(its player drifts on files with many tempo changes) before correlating. Both rendered lengths are
printed too (ours follows --tail exact: the MIDI end; FluidSynth runs on past it). Note the test
compares at FluidSynth's loudness convention (--emu-attenuation); without it, drum-heavy files
balance differently and correlate lower.

Last, batch mode: the whole corpus rendered by one `resound midi … -d DIR -j N` with 1 and with 2
worker threads (wall-clock time: it measures parallelism; alternated, best of --batch-repeats),
and the speed-up of 2 threads over 1 (the issue asks for >= 1.8 on 2 cores).

    bench/bench_midi.py [--resound build/apps/resound/resound] [--files 4] [--effects off|on|both]
                        [--soundfonts timgm,fluidr3] [--interp cubic] [--batch-repeats 3 | --no-batch]
"""

import argparse
import os
import pathlib
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import wave

import time

import numpy as np

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "python"))
import midi_timing  # noqa: E402  (the FluidSynth comparison test's timing analysis)

HOP_S = 0.01  # the test's analysis hop
SOUNDFONTS = {
    "timgm": pathlib.Path("/usr/share/sounds/sf2/TimGM6mb.sf2"),
    "fluidr3": pathlib.Path("/usr/share/sounds/sf2/FluidR3_GM.sf2"),
}


def cpu_seconds(command):
    """Runs `command`; returns (CPU seconds of the child, its stdout)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    result = subprocess.run(command, check=True, capture_output=True, text=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), result.stdout


def duration_s(path):
    with wave.open(str(path)) as file:
        return file.getnframes() / file.getframerate()


def rms_envelope(path):
    """100 ms RMS envelope of a 16-bit WAV (channels averaged)."""
    with wave.open(str(path)) as file:
        rate, channels = file.getframerate(), file.getnchannels()
        samples = np.frombuffer(file.readframes(file.getnframes()), dtype="<i2").astype(np.float64) / 32768.0
    mono = samples.reshape(-1, channels).mean(axis=1)
    hop = rate // 10
    count = len(mono) // hop
    return np.sqrt((mono[: count * hop].reshape(count, hop) ** 2).mean(axis=1))


def envelope_correlation(ours, theirs):
    a, b = rms_envelope(ours), rms_envelope(theirs)
    count = min(len(a), len(b))
    return float(np.corrcoef(a[:count], b[:count])[0, 1])


def mono_of(path):
    with wave.open(str(path)) as file:
        rate, channels = file.getframerate(), file.getnchannels()
        samples = np.frombuffer(file.readframes(file.getnframes()), dtype="<i2").astype(np.float64) / 32768.0
    return samples.reshape(-1, channels).mean(axis=1), rate


def aligned_correlation(ours, theirs, song):
    """The test's correlation: 100 ms envelopes after undoing FluidSynth's measured drift."""
    notes = midi_timing.note_on_times(song)
    our_mono, rate = mono_of(ours)
    their_mono, _ = mono_of(theirs)
    our_power = midi_timing.frame_power(our_mono, rate, HOP_S)
    their_power = midi_timing.frame_power(their_mono, rate, HOP_S)
    lags = midi_timing.attack_lags_s(their_power, notes, HOP_S)
    aligned = midi_timing.undo_lags(their_power, lags, HOP_S)
    count = min(len(our_power), len(aligned)) // 10 * 10

    def envelope(power):
        return np.sqrt(power[:count].reshape(-1, 10).mean(axis=1))

    return float(np.corrcoef(envelope(our_power), envelope(aligned))[0, 1])


def batch_speedup(resound, files, font, repeats):
    """Wall-clock seconds of one batch render of `files` with 1 and 2 worker threads (best of `repeats`)."""
    best = {1: float("inf"), 2: float("inf")}
    with tempfile.TemporaryDirectory() as folder:
        for _ in range(repeats):
            for jobs in (1, 2):
                command = [resound, "midi", *map(str, files), "-s", str(font), "-d", folder, "-j", str(jobs),
                           "--tail", "exact", "--no-reverb", "--no-chorus"]
                started = time.perf_counter()
                subprocess.run(command, check=True, capture_output=True)
                best[jobs] = min(best[jobs], time.perf_counter() - started)
    return best


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--resound", default=str(ROOT / "build" / "apps" / "resound" / "resound"))
    parser.add_argument("--midi-dir", default=str(ROOT / ".." / "shared" / "data" / "midi"))
    parser.add_argument("--files", type=int, default=0, help="only the first N files (0 = all)")
    parser.add_argument("--effects", choices=["off", "on", "both"], default="both")
    parser.add_argument("--soundfonts", default="timgm,fluidr3")
    parser.add_argument("--interp", default="cubic", choices=["linear", "cubic", "sinc"])
    parser.add_argument("--emu-attenuation", action="store_true", help="pass --emu-attenuation to resound (FluidSynth's 0.4 scaling)")
    parser.add_argument("--batch-repeats", type=int, default=3, help="batch timing: best of N alternated runs")
    parser.add_argument("--no-batch", action="store_true", help="skip the batch (-j 1 vs -j 2) measurement")
    args = parser.parse_args()
    if shutil.which("fluidsynth") is None:
        sys.exit("fluidsynth is not installed (apt-get install fluidsynth)")
    files = sorted(pathlib.Path(args.midi_dir).glob("*.mid"))
    if args.files:
        files = files[: args.files]
    if not files:
        sys.exit(f"no MIDI files in {args.midi_dir}")
    effects = ["off", "on"] if args.effects == "both" else [args.effects]
    with tempfile.TemporaryDirectory() as temporary:
        output = pathlib.Path(temporary)
        for font_name in args.soundfonts.split(","):
            font = SOUNDFONTS[font_name]
            if not font.exists():
                print(f"skip {font_name}: {font} not installed")
                continue
            for effect in effects:
                print(f"\n== {font.name}, effects {effect}, interpolation {args.interp} (x real time from CPU time) ==")
                print(f"{'file':36} {'resound':>9} {'fluidsynth':>10} {'ratio':>7} {'ns/voice-sample':>16} "
                      f"{'corr raw':>8} {'aligned':>8} {'len ours':>9} {'len fs':>8}")
                totals = {"resound_cpu": 0.0, "fluid_cpu": 0.0, "resound_audio": 0.0, "fluid_audio": 0.0, "voice_frames": 0}
                for song in files:
                    ours = output / "resound.wav"
                    command = [args.resound, "midi", str(song), "-s", str(font), "-o", str(ours), "--tail", "exact",
                               "--interp", args.interp]
                    if effect == "off":
                        command += ["--no-reverb", "--no-chorus"]
                    if args.emu_attenuation:
                        command.append("--emu-attenuation")
                    resound_cpu, stdout = cpu_seconds(command)
                    voice_frames = int(re.search(r"(\d+) voice-frames", stdout).group(1))
                    theirs = output / "fluidsynth.wav"
                    fluid_command = ["fluidsynth", "-ni", "-q", "-F", str(theirs), "-r", "44100",
                                     "-o", "synth.cpu-cores=1", "-o", f"synth.reverb.active={int(effect == 'on')}",
                                     "-o", f"synth.chorus.active={int(effect == 'on')}", str(font), str(song)]
                    fluid_cpu, _ = cpu_seconds(fluid_command)
                    ours_s, theirs_s = duration_s(ours), duration_s(theirs)
                    ours_speed, theirs_speed = ours_s / resound_cpu, theirs_s / fluid_cpu
                    ns = resound_cpu * 1e9 / max(voice_frames, 1)
                    correlation = envelope_correlation(ours, theirs)
                    aligned = aligned_correlation(ours, theirs, song)
                    totals.setdefault("correlations", []).append(correlation)
                    totals.setdefault("aligned", []).append(aligned)
                    print(f"{song.name:36} {ours_speed:8.0f}x {theirs_speed:9.0f}x {ours_speed / theirs_speed:6.2f}x {ns:16.2f} "
                          f"{correlation:8.3f} {aligned:8.3f} {ours_s:8.1f}s {theirs_s:7.1f}s", flush=True)
                    totals["resound_cpu"] += resound_cpu
                    totals["fluid_cpu"] += fluid_cpu
                    totals["resound_audio"] += ours_s
                    totals["fluid_audio"] += theirs_s
                    totals["voice_frames"] += voice_frames
                ours_speed = totals["resound_audio"] / totals["resound_cpu"]
                theirs_speed = totals["fluid_audio"] / totals["fluid_cpu"]
                ns = totals["resound_cpu"] * 1e9 / max(totals["voice_frames"], 1)
                print(f"{'AGGREGATE':36} {ours_speed:8.0f}x {theirs_speed:9.0f}x {ours_speed / theirs_speed:6.2f}x {ns:16.2f} "
                      f"{min(totals['correlations']):8.3f} {min(totals['aligned']):8.3f} (lowest)")
        if not args.no_batch:
            font = next((SOUNDFONTS[name] for name in args.soundfonts.split(",") if SOUNDFONTS[name].exists()), None)
            if font is not None:
                best = batch_speedup(args.resound, files, font, args.batch_repeats)
                print(f"\n== batch: {len(files)} files, {font.name}, effects off (wall clock, best of {args.batch_repeats}) ==")
                print(f"-j 1: {best[1]:.2f} s   -j 2: {best[2]:.2f} s   speed-up {best[1] / best[2]:.2f}x "
                      f"(on {os.cpu_count()} cores; other load on the machine lowers it)")


if __name__ == "__main__":
    main()
