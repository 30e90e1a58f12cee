#!/usr/bin/env bash
# The main job `scripts/run.sh` runs without arguments: until an engine demo exists, the CLI's help.
set -euo pipefail
resound=${1:?usage: demo.sh PATH_TO_RESOUND}
exec "$resound" --help
