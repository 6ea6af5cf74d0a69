#!/usr/bin/env bash
# Runs tribe's micro-benchmarks with repetitions and writes Google Benchmark JSON to
# results/bench/, then prints the floor ratio and the complexity fit.
#
#   scripts/bench.sh [extra tribe_bench options, e.g. --benchmark_filter=BM_Rng]
#
# Environment:
#   BUILD_DIR    build tree (default build/release; configured and built if missing)
#   REPS         repetitions of each benchmark (default 5; medians are reported)
#   MIN_TIME     --benchmark_min_time per repetition, seconds (default 0.2)
#   OUT          output JSON (default results/bench/bench-<UTC date>-<git short sha>.json);
#                results/bench/latest.json is always a copy of the last run
#
# Compare two runs (regression guard; exit 1 on a slow-down beyond threshold and noise):
#   scripts/bench_compare.py results/bench/OLD.json results/bench/latest.json
# See docs/performance.md.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"

source scripts/lib/bench_env.sh
reps="${REPS:-5}"
min_time="${MIN_TIME:-0.2}"
build_target tribe_bench
out="$(output_file bench)"

echo "bench: $build/bin/tribe_bench x $reps repetitions -> $out" >&2
"$build/bin/tribe_bench" \
  --benchmark_repetitions="$reps" \
  --benchmark_min_time="$min_time" \
  --benchmark_out="$out" --benchmark_out_format=json \
  "$@"
cp "$out" results/bench/latest.json

/usr/bin/python3 scripts/fit_complexity.py "$out"
echo "bench: wrote $out (and results/bench/latest.json)" >&2
