#!/usr/bin/env bash
# The R package r/tribe (issue 28): R CMD build, then R CMD check with its testthat tests
# (committed files of formats 1.3 and 2.3; the damaged-file test with the engine's program).
# Passes only with no ERROR and no WARNING.
#   r_check.sh SOURCE_DIR TRIBE_PROGRAM
set -euo pipefail
src=$1
export TRIBE_BINARY=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"
R CMD build --no-manual "$src/r/tribe" > build.log 2>&1 || { cat build.log; exit 1; }
if ! R CMD check --no-manual --no-build-vignettes tribe_*.tar.gz > check.log 2>&1; then
  cat check.log
  cat tribe.Rcheck/tests/testthat.Rout.fail 2>/dev/null || true
  exit 1
fi
grep -E "^Status:" check.log
if grep -qE "^Status:.*(ERROR|WARNING)" check.log; then
  cat check.log
  exit 1
fi
