#!/usr/bin/env bash
# The validation study alone (issue 26): the five empirical patterns over a population of
# organizations, their calibration by rejection ABC (experiments/validation.toml), the
# report and figure, and the essay's claims re-decided at the accepted points and at as
# many points of the prior (scripts/calibrated_claims.py). The claims' default-point
# column is read from results/<experiment>.h5 when scripts/run-study.sh has made them.
#   scripts/run-validation.sh [extra `tribe run` options, e.g. --threads 2]
# About 2.5 minutes on 2 cores (docs/results-claims.md, "Validation"). On a cluster the
# calibration shards like any run (`tribe run --shard k/n`, or under mpirun): its 400
# calibration points x 256 cells are 102,400 cells of 2 organizations.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/lib/study_env.sh
rm -f results/validation.h5 results/validation-report.md
"$tribe" run experiments/validation.toml -o results/validation.h5 "$@"
"$tribe" report results/validation.h5 --format markdown -o results/validation-report.md
/usr/bin/python3 scripts/figures.py results/validation.h5 -o results/figures --columns aligned_solve_rate
/usr/bin/python3 scripts/calibrated_claims.py results/validation.h5 --out results/calibrated \
  -o results/calibrated-claims.md --extra "$*"
echo "validation: results/validation-report.md, results/calibrated-claims.md, results/figures/validation_calibration.png" >&2
