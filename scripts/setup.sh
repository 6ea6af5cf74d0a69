#!/usr/bin/env bash
# Installs tribe's Debian dependencies (idempotently) and builds a release build.
#
#   scripts/setup.sh            install packages, configure and build (preset "release")
#   scripts/setup.sh --deps     install packages only
#
# Works on a fresh Debian 12 machine as root (or with sudo). apt-get update runs
# at most once, and only when a package is actually missing.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"

packages=(
  build-essential cmake ninja-build git pkg-config
  libhdf5-dev hdf5-tools zlib1g-dev
  librandom123-dev libtomlplusplus-dev libcli11-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  libtbb-dev
  libboost-dev nlohmann-json3-dev
  libopenmpi-dev openmpi-bin
  python3 python3-h5py python3-numpy python3-scipy python3-matplotlib
  python3-dev pybind11-dev python3-pybind11 python3-pandas python3-xarray python3-tqdm
  python3-pytest python3-nbclient python3-ipykernel python3-tomli-w
  python3-venv python3-pip python3-setuptools python3-wheel black python3-flake8
  r-base-core r-base-dev r-cran-hdf5r r-cran-testthat
  clang libclang-rt-14-dev libomp-14-dev clang-format-14
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if ((${#missing[@]})); then
  sudo_cmd=()
  if [[ $(id -u) -ne 0 ]]; then sudo_cmd=(sudo); fi
  echo "setup: installing ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  "${sudo_cmd[@]}" apt-get update -q
  "${sudo_cmd[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
else
  echo "setup: all Debian packages present" >&2
fi

if [[ "${1:-}" == "--deps" ]]; then exit 0; fi

preset="${TRIBE_PRESET:-release}"
cmake --preset "$preset" >&2
cmake --build --preset "$preset" -j "$(nproc)" >&2
