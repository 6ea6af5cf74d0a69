#!/usr/bin/env bash
# The whole leadership study: every leadership experiment (claims, three_qualities,
# hero, horizon, structure, sensitivity, and the assumption spaces of the claims of
# claims, three_qualities and hero), each claims report, the report of the whole study
# as one Holm family (results/study-report.md), and the reports section of
# docs/results-claims.md (everything below its marker line is replaced). The figures
# (results/figures/) include, per claim of the assumption_space*.toml files, where it
# holds over the two parameters that matter most (assumption_space*_where*.png).
#   scripts/run-study.sh [extra `tribe run` options, e.g. --threads 2]
# Rerunning after an interruption resumes each run where it stopped.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/setup.sh
mkdir -p results
tribe=build/release/bin/tribe
experiments=(claims three_qualities hero horizon structure sensitivity
             assumption_space assumption_space_qualities assumption_space_hero)
for e in "${experiments[@]}"; do
  out=results/$e.h5
  # A finished result from an earlier run is replaced; an interrupted one is resumed.
  if [[ -e "$out" ]]; then rm -f "$out"; fi
  "$tribe" run "experiments/$e.toml" -o "$out" "$@"
  rm -f "results/$e-report.md"
  "$tribe" report "$out" --format markdown -o "results/$e-report.md"
done
# The whole study as one family: Holm over every claim of the six main files together
# (the assumption spaces evaluate the same claims over other designs and stay apart).
"$tribe" report results/claims.h5 results/three_qualities.h5 results/hero.h5 results/horizon.h5 \
  results/structure.h5 results/sensitivity.h5 --format markdown -o results/study-report.md --overwrite
doc=docs/results-claims.md
marker='<!-- Everything below this line is written by scripts/run-study.sh from the final runs. -->'
grep -qF "$marker" "$doc" || { echo "run-study: $doc has no marker line" >&2; exit 2; }
tmp=$(mktemp)
awk -v m="$marker" '{ print } $0 == m { exit }' "$doc" > "$tmp"
for e in "${experiments[@]}"; do
  printf '\n' >> "$tmp"
  sed 's/^## /### /' "results/$e-report.md" >> "$tmp"
done
mv "$tmp" "$doc"
/usr/bin/python3 scripts/figures.py results/claims.h5 results/three_qualities.h5 results/hero.h5 \
  results/horizon.h5 results/structure.h5 results/sensitivity.h5 results/assumption_space.h5 \
  results/assumption_space_qualities.h5 results/assumption_space_hero.h5 -o results/figures
echo "study: reports in results/*-report.md (results/study-report.md: all claims as one Holm family) and $doc, figures in results/figures/" >&2
