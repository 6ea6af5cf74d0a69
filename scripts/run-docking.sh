#!/usr/bin/env bash
# The docking runs: set up everything (Debian packages, release build), run the March
# (1991) and Lazer & Friedman (2007) experiments at full size, print their claims and
# draw their figures (models/march/docking-march.md, models/lazer_friedman/docking-lazer-friedman.md).
#   scripts/run-docking.sh [extra `tribe run` options, e.g. --threads 2 or --orgs-per-cell 20]
# About 7 minutes on 2 cores at full size; `--orgs-per-cell 20` gives every figure in
# about a minute, with wide intervals. Rerunning after an interruption resumes the run
# that stopped.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/lib/study_env.sh
run() {  # run EXPERIMENT: a finished result from an earlier run is replaced
  local out="results/$1.h5"
  if [[ -e "$out" ]]; then rm -f "$out"; fi
  "$tribe" run "experiments/$1.toml" -o "$out" "${extra[@]}"
  "$tribe" report "$out" --format markdown -o "results/$1-report.md" --overwrite
  "$tribe" report "$out"
  echo
}
extra=("$@")
for e in march_fig1 march_fig3 march_fig1_rules; do run "$e"; done
for e in time density fragmented small_world k0 imitation; do run "lazer_friedman_$e"; done
/usr/bin/python3 models/march/plot_march.py results/march_fig1.h5 results/march_fig3.h5 \
  results/march_fig1_rules.h5 -o results/figures
/usr/bin/python3 models/lazer_friedman/plot_lazer_friedman.py results/lazer_friedman_time.h5 \
  results/lazer_friedman_density.h5 --fragmented results/lazer_friedman_fragmented.h5 \
  --small-world results/lazer_friedman_small_world.h5 --k0 results/lazer_friedman_k0.h5 \
  --imitation results/lazer_friedman_imitation.h5 -o results/figures
echo "reports: results/*-report.md, figures: results/figures/" >&2
