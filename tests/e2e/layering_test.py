#!/usr/bin/env python3
"""The architecture rule of DESIGN.md, checked on the source tree: dependencies point down only.

Every `#include "resound/<module>/…"` in src/<module> must name a module that the layer table below
allows, and headers of outer-layer libraries (pybind11, Boost, libpulse, CUDA, JSON) may appear only
where DESIGN.md puts them. Prints one line per violation and a summary line.
"""

import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parents[2]

# module -> modules it may include (besides itself), from DESIGN.md's diagram.
ALLOWED = {
    "core": set(),
    "formats": {"core"},
    "dsp": {"core"},
    "fx": {"core", "dsp", "formats"},
    "synth": {"core", "dsp", "formats", "fx"},
    "track": {"core", "dsp", "formats"},
    "analysis": {"core", "dsp", "formats"},
    "gpu": {"core", "dsp", "fx", "analysis"},
    "audio_io": {"core", "formats"},
    "engine": {"core", "dsp", "formats", "fx", "synth", "track", "analysis"},
    "host": {"core", "dsp", "formats", "fx", "synth", "track", "analysis", "gpu", "audio_io", "engine"},
    "server": {"core", "dsp", "formats", "fx", "synth", "track", "analysis", "gpu", "audio_io", "engine", "host"},
}

# Third-party headers confined to certain places: pattern -> predicate on the path relative to src/.
CONFINED = {
    r"pybind11/": lambda rel: False,  # only python/, never src/
    r"boost/": lambda rel: rel.startswith("server/"),
    r"pulse/": lambda rel: rel.startswith("audio_io/"),
    r"cuda|cufft": lambda rel: rel.startswith("gpu/"),
    r"nlohmann/": lambda rel: rel.startswith(("host/", "server/")) or re.match(r"track/.*schema", rel) is not None,
}

INCLUDE = re.compile(r'^\s*#\s*include\s*[<"]([^>"]+)[>"]', re.MULTILINE)


def main():
    violations = []
    checked = 0
    for path in sorted((ROOT / "src").rglob("*")):
        if path.suffix not in {".hpp", ".h", ".cpp", ".cc", ".cu", ".cuh"}:
            continue
        rel = path.relative_to(ROOT / "src").as_posix()
        module = rel.split("/", 1)[0]
        if module not in ALLOWED:
            violations.append(f"{rel}: module '{module}' is not in DESIGN.md's layer table")
            continue
        checked += 1
        for header in INCLUDE.findall(path.read_text(errors="replace")):
            match = re.match(r"resound/([a-z_0-9]+)/", header)
            if match and match.group(1) != module and match.group(1) not in ALLOWED[module]:
                violations.append(f"{rel}: includes {header} but {module} may not depend on {match.group(1)}")
            for pattern, allowed_here in CONFINED.items():
                if re.match(pattern, header) and not allowed_here(rel):
                    violations.append(f"{rel}: includes {header}, which DESIGN.md keeps out of this layer")
    for line in violations:
        print("FAIL:", line)
    failed_files = {line.split(":", 1)[0] for line in violations}
    print(f"{checked - len(failed_files)} passed, {len(failed_files)} failed")
    return 1 if violations else 0


if __name__ == "__main__":
    sys.exit(main())
