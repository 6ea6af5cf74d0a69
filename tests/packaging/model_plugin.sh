#!/usr/bin/env bash
# A model built outside the tree as a run-time plug-in (issue 30): `cmake --install` of this
# build into a fresh prefix, examples/model_plugin built with find_package(tribe) and
# tribe_add_model, then loaded by the installed tribe and by the Python module:
#   - `tribe models` lists it (TRIBE_MODEL_PATH); the experiment's model_library finds it too;
#   - its datasets are identical across backends, thread counts, shards + merge, MPI ranks and
#     tribe.run,
#     and to those of the same model written in Python (condorcet.py, a tribe.Model);
#   - the result records the library (path, checksum, engine) and `tribe report` decides the
#     example's claims; the spread-0 rate matches Condorcet's binomial answer;
#   - a library of another plug-in ABI, and a library that is not a model, are refused.
#   model_plugin.sh BUILD_DIR SOURCE_DIR
set -euo pipefail
build=$1
src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
py=/usr/bin/python3
digests() { "$py" "$src/scripts/dataset_digests.py" "$1" | cut -d' ' -f2-; }

cmake --install "$build" --prefix "$tmp/prefix" > "$tmp/install.log"
cmake -S "$src/examples/model_plugin" -B "$tmp/plugin" -DCMAKE_PREFIX_PATH="$tmp/prefix" \
  -DCMAKE_BUILD_TYPE=Release > "$tmp/configure.log"
cmake --build "$tmp/plugin" > "$tmp/build.log"
lib="$tmp/plugin/tribe_model_condorcet.so"
test -f "$lib"
tribe="$tmp/prefix/bin/tribe"
experiment="$src/examples/model_plugin/condorcet.toml"
export TRIBE_MODEL_PATH="$tmp/plugin"

# Listed and described like a built-in model.
"$tribe" models | grep -q "^condorcet 1.0.0"
"$tribe" models | grep -q "(loaded from $lib, fnv1a64:"
"$tribe" models condorcet | grep -q "members (integer"

# One result, the same datasets whatever the backend, the threads, or the shards.
"$tribe" run "$experiment" -q -o "$tmp/ref.h5" --orgs-per-cell 300 --backend serial --threads 1
digests "$tmp/ref.h5" > "$tmp/ref.txt"
test -s "$tmp/ref.txt"
for backend in openmp tbb; do
  for threads in 1 2; do
    "$tribe" run "$experiment" -q -o "$tmp/$backend$threads.h5" --orgs-per-cell 300 \
      --backend "$backend" --threads "$threads"
    diff "$tmp/ref.txt" <(digests "$tmp/$backend$threads.h5")
  done
done
"$tribe" run "$experiment" -q -o "$tmp/s0.h5" --orgs-per-cell 300 --shard 0/2
"$tribe" run "$experiment" -q -o "$tmp/s1.h5" --orgs-per-cell 300 --shard 1/2
# The merge finds the library its shards recorded, without TRIBE_MODEL_PATH.
env -u TRIBE_MODEL_PATH "$tribe" merge "$tmp/s0.h5" "$tmp/s1.h5" -o "$tmp/merged.h5"
diff "$tmp/ref.txt" <(digests "$tmp/merged.h5")
# Two MPI ranks, each loading the library (the search path reaches every rank).
if command -v mpiexec > /dev/null && ldd "$tribe" | grep -q libmpi; then  # a build with MPI
  timeout 300 mpiexec --allow-run-as-root --oversubscribe -n 2 "$tribe" run "$experiment" -q \
    --threads 1 -o "$tmp/mpi.h5" --orgs-per-cell 300
  diff "$tmp/ref.txt" <(digests "$tmp/mpi.h5")
fi
PYTHONPATH="$build/python" "$py" - "$experiment" "$tmp/py.h5" <<'PY'
import sys
import tribe
tribe.run(sys.argv[1], sys.argv[2], orgs_per_cell=300, progress=False)
assert "condorcet" in [m["name"] for m in tribe.models()]
assert "members" in str(tribe.model("condorcet"))
PY
diff "$tmp/ref.txt" <(digests "$tmp/py.h5")
# The same model written in Python (examples/model_plugin/condorcet.py, a tribe.Model on the
# engine's streams): byte-identical datasets.
env -u TRIBE_MODEL_PATH PYTHONPATH="$build/python" "$py" "$src/examples/model_plugin/condorcet.py" \
  "$experiment" "$tmp/python_model.h5" --orgs-per-cell 300
diff "$tmp/ref.txt" <(digests "$tmp/python_model.h5")

# A precision target on the plug-in's binary column, as on a built-in model's.
"$tribe" run "$experiment" -q -o "$tmp/precise.h5" --orgs-per-cell 200 --ci-width 0.03 \
  --ci-columns right --max-orgs-per-cell 20000
organizations=$("$tribe" inspect "$tmp/precise.h5" | sed -n 's/^  organizations: //p')
(( organizations > 800 ))  # more rounds than the first (4 cells x 200)

# experiment.model_library, relative to the experiment's folder, without the search path.
mkdir "$tmp/study"
cp "$lib" "$tmp/study/"
sed 's|^model = "condorcet"|model = "condorcet"\nmodel_library = "tribe_model_condorcet.so"|' \
  "$experiment" > "$tmp/study/condorcet.toml"
env -u TRIBE_MODEL_PATH "$tribe" run "$tmp/study/condorcet.toml" -q -o "$tmp/keyed.h5" \
  --orgs-per-cell 300
diff "$tmp/ref.txt" <(digests "$tmp/keyed.h5")

# Provenance, verdicts, and Condorcet's known answer (spread 0: the binomial tail).
"$py" - "$tmp/ref.h5" "$lib" <<'PY'
import sys, h5py
with h5py.File(sys.argv[1]) as f:
    a = {k: (v.decode() if isinstance(v, bytes) else v) for k, v in f.attrs.items()}
assert a["model"] == "condorcet", a["model"]
assert a["model_library"].endswith("tribe_model_condorcet.so"), a["model_library"]
assert a["model_library_checksum"].startswith("fnv1a64:"), a["model_library_checksum"]
assert a["model_library_engine_version"] == a["engine_version"]
PY
report=$("$tribe" report "$tmp/ref.h5")
grep -q "majority_beats_member" <<< "$report"
grep -Eq "supported|inconclusive" <<< "$report"
cat > "$tmp/exact.toml" <<'TOML'
[experiment]
name = "condorcet_exact"
model = "condorcet"
seed = 11
organizations_per_cell = 4000
[parameters]
spread = 0.0
[factors]
members = [1, 4, 9]
competence = [0.45, 0.6]
TOML
"$tribe" run "$tmp/exact.toml" -q -o "$tmp/exact.h5"
"$py" - "$tmp/exact.h5" <<'PY'
import sys
import h5py
import numpy as np
from scipy.stats import binom

with h5py.File(sys.argv[1]) as f:
    right = f["organizations/right"][()].astype(float)
    cell = f["organizations/cell"][()]
    members = f["cells/parameters/members"][()]
    competence = f["cells/parameters/competence"][()]
for c in range(len(members)):
    n, p = int(members[c]), float(competence[c])
    exact = binom.sf(n // 2, n, p) + (0.5 * binom.pmf(n // 2, n, p) if n % 2 == 0 else 0.0)
    x = right[cell == c]
    se = np.sqrt(exact * (1 - exact) / len(x))
    z = (x.mean() - exact) / se
    print(f"members {n} competence {p}: rate {x.mean():.4f}, exact {exact:.4f}, z {z:+.2f}")
    assert abs(z) < 4.5, "the plug-in's majority rate is off Condorcet's binomial answer"
PY

# Refused: another plug-in ABI, and a library that is not a model.
cat > "$tmp/old_abi.cpp" <<'CPP'
#include <cstdint>
struct Entry { std::uint32_t abi, major, minor; const char* engine; void* model; };
extern "C" const Entry* tribe_model_plugin() {
  static const Entry e{999, 1, 3, "0.0.1", nullptr};
  return &e;
}
CPP
c++ -shared -fPIC -o "$tmp/tribe_model_old.so" "$tmp/old_abi.cpp"
echo 'int answer(void) { return 42; }' > "$tmp/plain.c"
cc -shared -fPIC -o "$tmp/tribe_model_plain.so" "$tmp/plain.c"
for bad in old plain; do
  sed "s|^model = \"condorcet\"|model = \"$bad\"\nmodel_library = \"$tmp/tribe_model_$bad.so\"|" \
    "$experiment" > "$tmp/$bad.toml"
  set +e
  said=$(env -u TRIBE_MODEL_PATH "$tribe" run "$tmp/$bad.toml" -q -o "$tmp/$bad.h5" 2>&1)
  rc=$?
  set -e
  echo "$said"
  [[ $rc == 2 ]]
  [[ $(wc -l <<< "$said") == 1 ]]
  test ! -e "$tmp/$bad.h5"
done
grep -q "plug-in ABI 999" <<< "$(env -u TRIBE_MODEL_PATH "$tribe" run "$tmp/old.toml" -q -o "$tmp/x.h5" 2>&1 || true)"
grep -q "not a tribe model library" <<< "$(env -u TRIBE_MODEL_PATH "$tribe" run "$tmp/plain.toml" -q -o "$tmp/x.h5" 2>&1 || true)"
echo "model_plugin: built out of tree, loaded at run time, identical across backends, threads, shards, tribe.run and its Python twin"
