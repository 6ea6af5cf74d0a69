#!/usr/bin/env bash
# The main job: set up everything (Debian packages, release build), run the claims
# experiment (1,000,000 organizations) and summarize the result file.
#   scripts/run-claims.sh [extra `tribe run` options, e.g. --threads 2]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/setup.sh
mkdir -p results
build/release/bin/tribe run experiments/claims.toml -o results/claims.h5 --overwrite "$@"
build/release/bin/tribe inspect results/claims.h5 --columns distributed,solve_rate,leadership_breadth,leadership_evenness,leader_share,queue_mean
