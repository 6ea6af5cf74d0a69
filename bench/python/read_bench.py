#!/usr/bin/python3
"""How fast tribe.open reads a large result (a benchmark, not a test).

    PYTHONPATH=build/release/python /usr/bin/python3 bench/python/read_bench.py \
        [--file results/bench/read_bench.h5] [--organizations 10000000] [--repeat 3]

Makes the file first if it does not exist: a real run of the engine (tribe.run), with
organizations made cheap (the leadership model with 2 agents and 1 step, 10 cells) so
that 10 million of them take a minute or two on two cores; the file has the layout and
every column of any leadership result. Then, each in a fresh process (so that its peak
memory is its own), it measures:

  cells          open the file and read .cells (parameters and every statistic)
  organizations  .read_organizations(cells=[0]): every column of one cell's rows
                 (organizations / 10 rows, one million for the default size)
  one_column     .read_organizations(["solve_rate"]) over every organization

and prints the best wall time of --repeat tries and the peak resident memory above that
of a process that only imported tribe and pandas.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time

CHEAP = {
    "experiment": {"name": "read_bench", "model": "leadership", "seed": 1, "organizations_per_cell": 1},
    "parameters": {"agents": 2, "steps": 1, "span": 1},
    "factors": {"structure": ["flat", "hierarchy"], "control": [0.1, 0.3, 0.5, 0.7, 0.9]},
}

MEASURES = {
    "baseline": "pass",
    "cells": "r = tribe.open(path); x = r.cells; rows = len(x)",
    "organizations": "r = tribe.open(path); x = r.read_organizations(cells=[0]); rows = len(x)",
    "one_column": "r = tribe.open(path); x = r.read_organizations(['solve_rate']); rows = len(x)",
}


def measure(name: str, path: str) -> dict:
    code = f"""
import json, resource, sys, time
import pandas, tribe
path = sys.argv[1]
rows = 0
start = time.perf_counter()
{MEASURES[name]}
took = time.perf_counter() - start
print(json.dumps({{"seconds": took, "rows": rows,
                   "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}}))
"""
    out = subprocess.run([sys.executable, "-c", code, path], capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--file", default="results/bench/read_bench.h5")
    ap.add_argument("--organizations", type=int, default=10_000_000)
    ap.add_argument("--repeat", type=int, default=3)
    a = ap.parse_args()
    import tribe

    if not os.path.exists(a.file):
        os.makedirs(os.path.dirname(a.file) or ".", exist_ok=True)
        CHEAP["experiment"]["organizations_per_cell"] = a.organizations // 10
        start = time.perf_counter()
        tribe.run(CHEAP, output=a.file)
        print(f"made {a.file} in {time.perf_counter() - start:.0f} s", file=sys.stderr)
    r = tribe.open(a.file)
    size = os.path.getsize(a.file) / 2**20
    print(f"{a.file}: {r.n_organizations:,} organizations, {r.n_cells} cells, "
          f"{len(r.columns)} columns, {size:.0f} MiB")
    base = min((measure("baseline", a.file) for _ in range(a.repeat)), key=lambda m: m["peak_mib"])
    for name in ("cells", "organizations", "one_column"):
        runs = [measure(name, a.file) for _ in range(a.repeat)]
        best = min(runs, key=lambda m: m["seconds"])
        print(f"  {name:14s} {best['rows']:>11,} rows  {best['seconds']:7.3f} s  "
              f"peak memory +{best['peak_mib'] - base['peak_mib']:.0f} MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
