#!/usr/bin/env bash
# Installs the Debian packages Resound needs (only those missing) and configures + builds the project.
# Usage: scripts/bootstrap.sh [--deps-only] [extra cmake -D options…]
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(
  # toolchain and test frameworks
  cmake ninja-build g++ pkg-config python3-dev libgtest-dev libgmock-dev libbenchmark-dev
  clang-14 libclang-rt-14-dev valgrind ccache
  # Python bindings
  pybind11-dev python3-numpy python3-pytest python3-venv python3-pip python3-setuptools python3-wheel
  # audio files, DSP, queues, CLI, JSON, pictures
  libsndfile1-dev libsoxr-dev libfftw3-dev libvorbis-dev libpng-dev
  libreaderwriterqueue-dev libconcurrentqueue-dev libcli11-dev nlohmann-json3-dev
  # real-time audio (libpulse) and the test audio server
  libpulse-dev pulseaudio pulseaudio-utils
  # spatial voices: HRTFs
  libmysofa-dev libmysofa-utils
  # SoundFonts used as defaults, in tests and benchmarks
  timgm6mb-soundfont fluid-soundfont-gm musescore-general-soundfont-small
  # peers for cross-checks and benchmarks
  fluidsynth aubio-tools libebur128-dev libzita-convolver-dev sox python3-mir-eval
)

missing=()
for package in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if ((${#missing[@]})); then
  echo "bootstrap: installing ${#missing[@]} missing Debian packages: ${missing[*]}" >&2
  sudo_cmd=(); [ "$(id -u)" -ne 0 ] && sudo_cmd=(sudo)
  export DEBIAN_FRONTEND=noninteractive
  "${sudo_cmd[@]}" apt-get -o DPkg::Lock::Timeout=600 update -qq
  "${sudo_cmd[@]}" apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${missing[@]}"
fi

if [ "${1:-}" = "--deps-only" ]; then exit 0; fi

build_dir=${RESOUND_BUILD_DIR:-build}
cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=Release "$@" >/dev/null
cmake --build "$build_dir" -j"$(nproc)"
