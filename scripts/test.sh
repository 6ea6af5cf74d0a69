#!/usr/bin/env bash
# Sets up everything (Debian packages, release build with tests and benchmarks) and
# runs the whole test suite through ctest.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/setup.sh
ctest --preset release -j "$(nproc)"
