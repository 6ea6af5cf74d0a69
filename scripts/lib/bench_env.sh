# Sourced by scripts/bench.sh and scripts/scaling.sh, from the repository's root: the build
# directory ($build: BUILD_DIR, default build/release, configured as a release build if it
# is not yet), a function that builds one of its targets, and the output file's name.
build="${BUILD_DIR:-build/release}"

build_target() {  # build_target TARGET
  if [[ ! -f "$build/CMakeCache.txt" ]]; then
    cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release >&2
  fi
  cmake --build "$build" -j "$(nproc)" --target "$1" >&2
}

output_file() {  # output_file KIND: $OUT, else results/KIND/KIND-<UTC time>-<git sha>.json
  mkdir -p "results/$1"
  local sha
  sha="$(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
  echo "${OUT:-results/$1/$1-$(date -u +%Y%m%dT%H%M%SZ)-$sha.json}"
}
