#!/usr/bin/env bash
# Installs what is missing, builds, then runs every test (unit, Python, end-to-end); ends with ctest's summary.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
"$repo/scripts/bootstrap.sh"
exec ctest --test-dir "$repo/${RESOUND_BUILD_DIR:-build}" -j"$(nproc)" --output-on-failure "$@"
