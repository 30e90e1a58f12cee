#!/usr/bin/env bash
# The one command to use Resound: installs missing Debian packages, builds (optimised), runs `resound ARGS…`.
# With no arguments it runs the project's main job (see the README).
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
"$repo/scripts/bootstrap.sh" >&2
resound="$repo/${RESOUND_BUILD_DIR:-build}/apps/resound/resound"
if [ $# -eq 0 ]; then
  exec "$repo/scripts/demo.sh" "$resound"
fi
exec "$resound" "$@"
