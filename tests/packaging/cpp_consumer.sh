#!/usr/bin/env bash
# A C++ program built outside the tree against the installed engine (issue 28):
# `cmake --install` of this build into a fresh prefix, find_package(tribe) from
# examples/cpp, build, and run it on a small experiment.
#   cpp_consumer.sh BUILD_DIR SOURCE_DIR
set -euo pipefail
build=$1
src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cmake --install "$build" --prefix "$tmp/prefix" > "$tmp/install.log"
test -f "$tmp/prefix/lib/cmake/tribe/tribeConfig.cmake"
cmake -S "$src/examples/cpp" -B "$tmp/consumer" -DCMAKE_PREFIX_PATH="$tmp/prefix" \
  -DCMAKE_BUILD_TYPE=Release > "$tmp/configure.log"
cmake --build "$tmp/consumer" > "$tmp/build.log"
cat > "$tmp/span.toml" <<'TOML'
[experiment]
name = "span"
model = "leadership"
seed = 5
organizations_per_cell = 20

[parameters]
agents = 12
steps = 30

[factors]
span = [2, 4, 6]
TOML
said=$("$tmp/consumer/run_and_read" "$tmp/span.toml" "$tmp/out.h5")
echo "$said"
[[ "$said" == "$tmp/out.h5: 60 organizations in 3 cells, model leadership" ]]
# The file it wrote is a result the installed program reads.
inspected=$("$tmp/prefix/bin/tribe" inspect "$tmp/out.h5")
grep -q "organizations: 60" <<< "$inspected"
echo "cpp_consumer: built with find_package(tribe) and ran"
