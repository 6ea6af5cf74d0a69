#!/usr/bin/env bash
# `tribe import` of the committed sample tables (examples/tables/, issue 30): a Mesa
# batch_run CSV, a NetLogo BehaviorSpace table and spreadsheet output, each with claims
# stated on it:
#   - the import echoes what it inferred, and `tribe report` prints a verdict for every claim;
#   - the result is an ordinary result file: `tribe inspect` reads it, and the Python reader
#     (tribe.open, the source tree's pure-Python reader) finds the provenance of the table
#     (its path, format and checksum) and the organizations of the table's runs;
#   - a malformed table is refused in one line naming the row and the column (exit 2), and
#     no file is left behind.
#   import_tables.sh TRIBE_BINARY SOURCE_DIR
set -euo pipefail
tribe=$1
src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
tables="$src/examples/tables"

check_import() {  # NAME TABLE CLAIMS CLAIM_COUNT FORMAT
  "$tribe" import "$tables/$2" --claims "$tables/$3" -o "$tmp/$1.h5" 2> "$tmp/$1.echo"
  grep -q "^\[tribe\] factors" "$tmp/$1.echo"
  grep -q "^\[tribe\] outcomes" "$tmp/$1.echo"
  grep -q "^\[tribe\] replicates" "$tmp/$1.echo"
  "$tribe" report "$tmp/$1.h5" > "$tmp/$1.report"
  verdicts=$(grep -cE "(supported|not supported|inconclusive)" "$tmp/$1.report" || true)
  if [ "$verdicts" -lt "$4" ]; then
    echo "FAIL: $1: expected $4 verdicts in the report" >&2
    cat "$tmp/$1.report" >&2
    exit 1
  fi
  "$tribe" inspect "$tmp/$1.h5" > /dev/null
  PYTHONPATH="$src/python" /usr/bin/python3 - "$tmp/$1.h5" "$tables/$2" "$5" <<'PY'
import sys
import h5py
import tribe

path, table, fmt = sys.argv[1:]
r = tribe.open(path)
assert r.model == "imported", r.model
with h5py.File(path, "r") as f:
    a = f.attrs
    text = lambda k: a[k].decode() if isinstance(a[k], bytes) else str(a[k])  # noqa: E731
    assert text("imported_from") == table, text("imported_from")
    assert text("imported_format") == fmt, text("imported_format")
    assert text("imported_checksum").startswith("fnv1a64:")
assert len(r.claims) > 0 and r.claims["verdict"].notna().all()
PY
}
check_import schelling mesa_schelling.csv mesa_schelling_claims.toml 3 mesa
check_import wolf_sheep netlogo_wolf_sheep_table.csv netlogo_wolf_sheep_claims.toml 2 netlogo-table
check_import fire netlogo_fire_spreadsheet.csv netlogo_fire_claims.toml 2 netlogo-spreadsheet

# A malformed table: one line naming the row and the column, exit 2, nothing written.
sed "8s/,1\.0,True$/,n\/a,True/" "$tables/mesa_schelling.csv" > "$tmp/bad.csv"
sed -n 8p "$tmp/bad.csv" | grep -q "n/a"
set +e
"$tribe" import "$tmp/bad.csv" -o "$tmp/bad.h5" 2> "$tmp/bad.err"
rc=$?
set -e
test "$rc" -eq 2
grep -v '^\[tribe\]' "$tmp/bad.err" > "$tmp/bad.line"
test "$(wc -l < "$tmp/bad.line")" -eq 1
grep -q "bad.csv:8: column pct_happy: \"n/a\" is not a number" "$tmp/bad.line"
test ! -e "$tmp/bad.h5"
test ! -e "$tmp/bad.h5.parts"
echo "import_tables: ok"
