#!/usr/bin/env bash
# The whole leadership study (leadership model 5.0.0): every leadership experiment, each
# claims report, the report of the study's claims as one Holm family
# (results/study-report.md), the analyses of the lever and population designs
# (scripts/levers.py, scripts/population.py), and the reports section of
# docs/results-claims.md (everything below its marker line is replaced). Three families:
#   - the measure's validity (measurement_validity.toml): decided first, on its own;
#   - the essay's claims: claims, three_qualities, hero, more_joes, levers, horizon,
#     structure, sensitivity, as one Holm family (the assumption spaces evaluate the same
#     claims over other designs and stay apart);
#   - verification (verification.toml): rule restatements, outside every claims family;
#   - validation (validation.toml): empirical patterns ([[patterns]]), a family of their own.
# The figures (results/figures/) include, per claim of the assumption_space*.toml files,
# where it holds over the two parameters that matter most (assumption_space*_where*.png).
#   scripts/run-study.sh [extra `tribe run` options, e.g. --threads 2]
# Rerunning after an interruption resumes each run where it stopped.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/lib/study_env.sh
experiments=(measurement_validity claims three_qualities hero more_joes levers horizon structure
             sensitivity assumption_space assumption_space_qualities assumption_space_hero
             verification population validation)
family=(claims three_qualities hero more_joes levers horizon structure sensitivity)
for e in "${experiments[@]}"; do
  out=results/$e.h5
  # A finished result from an earlier run is replaced; an interrupted one is resumed.
  if [[ -e "$out" ]]; then rm -f "$out"; fi
  "$tribe" run "experiments/$e.toml" -o "$out" "$@"
  rm -f "results/$e-report.md"
  # population.toml has no claims: its analysis is scripts/population.py.
  if [[ $e != population ]]; then
    "$tribe" report "$out" --format markdown -o "results/$e-report.md"
  fi
done
files=()
for e in "${family[@]}"; do files+=("results/$e.h5"); done
"$tribe" report "${files[@]}" --format markdown -o results/study-report.md --overwrite
/usr/bin/python3 scripts/levers.py results/levers.h5 --format markdown -o results/levers-analysis.md
/usr/bin/python3 scripts/population.py results/population.h5 --format markdown \
  -o results/population-analysis.md
# The essay's claims re-decided inside the calibration's accepted region (validation.toml,
# [calibration]) and at as many points of the whole prior.
/usr/bin/python3 scripts/calibrated_claims.py results/validation.h5 --out results/calibrated \
  -o results/calibrated-claims.md --extra "$*"
# The within-cell correlation of spread and outcomes, kept only as a diagnostic, by
# structure and control (claims.toml) and by structure and load (measurement_validity.toml).
{ /usr/bin/python3 scripts/within_cell.py results/claims.h5 --by structure,control
  echo
  /usr/bin/python3 scripts/within_cell.py results/measurement_validity.h5 --by structure,arrival_rate
} > results/within-cell.md
doc=docs/results-claims.md
marker='<!-- Everything below this line is written by scripts/run-study.sh from the final runs. -->'
grep -qF "$marker" "$doc" || { echo "run-study: $doc has no marker line" >&2; exit 2; }
tmp=$(mktemp)
awk -v m="$marker" '{ print } $0 == m { exit }' "$doc" > "$tmp"
for e in "${experiments[@]}"; do
  [[ $e == population ]] && continue
  printf '\n' >> "$tmp"
  sed 's/^## /### /' "results/$e-report.md" >> "$tmp"
  if [[ $e == levers ]]; then
    printf '\n### Lever analysis (scripts/levers.py)\n\n' >> "$tmp"
    sed 's/^## /### /; s/^# /### /' results/levers-analysis.md >> "$tmp"
  fi
done
printf '\n### Claims in the accepted region of the calibration (scripts/calibrated_claims.py)\n\n' >> "$tmp"
cat results/calibrated-claims.md >> "$tmp"
printf '\n### Population analysis (scripts/population.py)\n\n' >> "$tmp"
sed 's/^## /### /; s/^# /### /' results/population-analysis.md >> "$tmp"
printf '\n### Within-cell correlations (a diagnostic)\n\n' >> "$tmp"
cat results/within-cell.md >> "$tmp"
mv "$tmp" "$doc"
/usr/bin/python3 scripts/figures.py results/claims.h5 results/three_qualities.h5 results/hero.h5 \
  results/horizon.h5 results/structure.h5 results/sensitivity.h5 results/assumption_space.h5 \
  results/assumption_space_qualities.h5 results/assumption_space_hero.h5 -o results/figures
# The validation's paper and calibration figures, and one column (its 102,400 cells make
# each column figure a minute long).
/usr/bin/python3 scripts/figures.py results/validation.h5 --columns aligned_solve_rate \
  -o results/figures
echo "study: reports in results/*-report.md (results/study-report.md: all claims as one Holm family) and $doc, figures in results/figures/" >&2
