#!/usr/bin/env bash
# Runs the scaling study (strong and weak scaling, OpenMP and TBB, threads 1 .. every core)
# and plots it.
#
#   scripts/scaling.sh [extra tribe_scaling options, e.g. --orgs 16384 --repeats 9]
#
# Environment:
#   BUILD_DIR    build tree (default build/release; configured and built if missing)
#   EXPERIMENT   experiment file (default experiments/claims.toml)
#   OUT          output JSON (default results/scaling/scaling-<UTC date>-<git short sha>.json);
#                the plot is written next to it (.png, .pdf)
#   ORGS         organizations for strong scaling (default 8192; weak: ORGS/cores per thread)
#   BACKENDS     comma-separated backends (default openmp,tbb)
#   REPEATS      timed repeats of each configuration (default 7; medians are reported)
#   FIGURE       also plot to this path without extension (e.g. docs/figures/scaling), with
#                --best: the fastest repeat of each configuration (least disturbed by other work)
# See docs/performance.md.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"

source scripts/lib/bench_env.sh
build_target tribe_scaling
out="$(output_file scaling)"

"$build/bin/tribe_scaling" "${EXPERIMENT:-experiments/claims.toml}" \
  --orgs "${ORGS:-8192}" --repeats "${REPEATS:-7}" --backends "${BACKENDS:-openmp,tbb}" --mode both -o "$out" "$@"
PYTHONPATH="$PWD/python${PYTHONPATH:+:$PYTHONPATH}" /usr/bin/python3 scripts/plot_scaling.py "$out"
if [[ -n "${FIGURE:-}" ]]; then
  PYTHONPATH="$PWD/python${PYTHONPATH:+:$PYTHONPATH}" /usr/bin/python3 scripts/plot_scaling.py "$out" --best -o "$FIGURE"
fi
echo "scaling: wrote $out and ${out%.json}.png/.pdf" >&2
