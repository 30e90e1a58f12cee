#!/usr/bin/env bash
# The main job `scripts/run.sh` runs without arguments: renders examples/demo.mid with the default
# SoundFont to ./demo.wav through Resound's own synthesizer, and says what it did.
set -euo pipefail
resound=${1:?usage: demo.sh PATH_TO_RESOUND}
repo=$(cd "$(dirname "$0")/.." && pwd)
echo "Rendering $repo/examples/demo.mid (Resound's own demo piece) with the default SoundFont…"
"$resound" midi "$repo/examples/demo.mid" -o demo.wav
"$resound" info demo.wav
echo "Wrote $(pwd)/demo.wav — play it with any audio player, or: $resound play demo.wav"
