#!/usr/bin/env bash
# The main job: set up everything (Debian packages, release build), run the claims
# experiment (1,000,000 organizations), print its report and make its figures.
#   scripts/run-claims.sh [extra `tribe run` options, e.g. --threads 2]
# Rerunning after an interruption resumes the run where it stopped.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/lib/study_env.sh
out=results/claims.h5
# A finished result from an earlier run is replaced; an interrupted one is resumed.
if [[ -e "$out" ]]; then rm -f "$out"; fi
"$tribe" run experiments/claims.toml -o "$out" "$@"
"$tribe" inspect "$out" --columns reliance_top_share,reliance_formal_share,reliance_evenness_vs_chance,moment_evenness_vs_chance,distributed,aligned_solve_rate,queue_mean
echo
"$tribe" report "$out"
"$tribe" report "$out" --format markdown -o results/claims-report.md --overwrite
# Paper figure, verdicts, threshold curves, and the distributions of the leadership
# measures by structure and upstream control (one row of panels per alignment level).
/usr/bin/python3 scripts/figures.py "$out" -o results/figures --x structure --by control \
  --columns reliance_top_share,reliance_formal_share,reliance_evenness_vs_chance,moment_evenness_vs_chance,distributed
echo "report: results/claims-report.md, figures: results/figures/" >&2
