#!/usr/bin/python3
"""Within-cell rank correlations of leadership measures with an outcome: a diagnostic.

    /usr/bin/python3 scripts/within_cell.py RESULT.h5 [--by structure,arrival_rate]
        [--with aligned_solve_rate] [--columns a,b,...] [--format markdown|text] [-o OUT]

In one cell every organization has the same parameters, so a correlation between
organizations of one cell is a correlation of simulation noise: which organizations
happened to draw more events, ties or able people. It is neither the essay's causal claim
(that is experiments/levers.toml) nor the field's association between teams (that is
experiments/population.toml with scripts/population.py); issue 25 keeps it only as a
diagnostic. For each group of cells (the levels of the --by factors; the other factors
pooled) it reports the mean over the group's cells of the within-cell Spearman rank
correlation of each column with the outcome, and the range over those cells. A cell with
fewer than 10 complete organizations, or a constant column, is left out.

Reads through the pure-Python reader (python/tribe/result.py).
"""
from __future__ import annotations

import argparse
import os
import sys

import numpy as np
from scipy import stats

from tribe.result import Result

DEFAULT_COLUMNS = [
    "reliance_top_share",
    "reliance_formal_share",
    "reliance_evenness_vs_chance",
    "moment_evenness_vs_chance",
    "leadership_centralization",
    "evenness_vs_chance",
]


def fail(message: str) -> None:
    print(f"within_cell: {message}", file=sys.stderr)
    sys.exit(2)


def spearman(x: np.ndarray, y: np.ndarray) -> float:
    ok = ~(np.isnan(x) | np.isnan(y))
    if ok.sum() < 10 or np.ptp(x[ok]) == 0 or np.ptp(y[ok]) == 0:
        return float("nan")
    return float(stats.spearmanr(x[ok], y[ok]).statistic)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("result")
    ap.add_argument("--by", default="structure", help="factors that define the groups")
    ap.add_argument("--with", dest="outcome", default="aligned_solve_rate")
    ap.add_argument("--columns", default=",".join(DEFAULT_COLUMNS))
    ap.add_argument("--format", choices=["markdown", "text"], default="markdown")
    ap.add_argument("-o", "--output")
    args = ap.parse_args()
    if not os.path.exists(args.result):
        fail(f"{args.result} does not exist")
    try:
        res = Result(args.result)
    except Exception as e:  # the reader's own message names what is wrong
        fail(str(e))
    by = [b for b in args.by.split(",") if b]
    columns = [c for c in args.columns.split(",") if c]
    available = set(res.columns) if hasattr(res, "columns") else None
    for c in columns + [args.outcome]:
        if available is not None and c not in available:
            fail(f"{args.result} has no column {c!r} (columns: {', '.join(sorted(available))})")
    missing = [b for b in by if b not in res.factors]
    if missing:
        fail(f"--by {','.join(missing)}: not a factor of {args.result} " f"(factors: {', '.join(res.factors)})")
    orgs = res.read_organizations(columns + [args.outcome], parameters=by)
    rows = []
    for key, group in orgs.groupby(by, sort=True, observed=True):
        key = key if isinstance(key, tuple) else (key,)
        per_cell = {c: [] for c in columns}
        for _, cell in group.groupby("cell"):
            y = cell[args.outcome].to_numpy(float)
            for c in columns:
                per_cell[c].append(spearman(cell[c].to_numpy(float), y))
        for c in columns:
            r = np.array(per_cell[c])
            r = r[~np.isnan(r)]
            rows.append(
                (
                    key,
                    c,
                    len(r),
                    np.mean(r) if len(r) else np.nan,
                    np.min(r) if len(r) else np.nan,
                    np.max(r) if len(r) else np.nan,
                )
            )
    head = (
        f"Within-cell Spearman correlation with `{args.outcome}` (a diagnostic of noise, "
        f"not an estimand), {args.result}, groups by {', '.join(by)}: mean over the "
        f"group's cells [smallest, largest]."
    )
    lines = [head, ""]
    if args.format == "markdown":
        lines += ["| " + " | ".join(by) + " | column | cells | mean ρ [min, max] |", "|" + "---|" * (len(by) + 3)]
        for key, c, n, m, lo, hi in rows:
            lines.append("| " + " | ".join(str(k) for k in key) + f" | `{c}` | {n} | {m:+.3f} [{lo:+.3f}, {hi:+.3f}] |")
    else:
        for key, c, n, m, lo, hi in rows:
            lines.append(f"{' '.join(str(k) for k in key):30s} {c:32s} {n:4d} " f"{m:+.3f} [{lo:+.3f}, {hi:+.3f}]")
    text = "\n".join(lines) + "\n"
    if args.output:
        with open(args.output, "w") as f:
            f.write(text)
    else:
        sys.stdout.write(text)


if __name__ == "__main__":
    main()
