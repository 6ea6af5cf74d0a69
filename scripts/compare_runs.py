#!/usr/bin/python3
"""Do two runs of one experiment draw the same distributions?

    /usr/bin/python3 scripts/compare_runs.py BEFORE.h5 AFTER.h5 [--markdown OUT.md]

For a change of the engine that must change the random streams but not the model (a new
sampler, a new order of draws), run the same experiment before and after, preferably with
different seeds so that the two samples are independent, and compare them here. For every
cell and every column (drawn and outcome) it tests
  - the means: Welch's two-sample t test (NaN rows left out, as the engine's statistics do);
  - the whole distributions: the two-sample Kolmogorov-Smirnov test (scipy; conservative
    for discrete columns),
and adjusts each family's p-values with Holm's method over all cells and columns (valid
under any dependence: with common random numbers, cells that share parameters share
organizations, e.g. the same trees in every cell of one structure). Under
"the model did not change", about 5% of the raw p-values fall below 0.05 and the
Holm-adjusted ones rarely do. Prints a summary and the most extreme tests; exits 0 (the
numbers are the result, not a verdict of this script).

Reads through tribe.open (PYTHONPATH=python from the source tree).
"""
from __future__ import annotations

import argparse
import sys

import numpy as np
from scipy import stats

import tribe


def holm(p: np.ndarray) -> np.ndarray:
    """Holm (1979) step-down adjusted p-values (NaN stays NaN)."""
    out = np.full_like(p, np.nan)
    ok = np.flatnonzero(~np.isnan(p))
    order = ok[np.argsort(p[ok], kind="stable")]
    m = len(order)
    running = 0.0
    for rank, i in enumerate(order):
        running = max(running, min(1.0, (m - rank) * p[i]))
        out[i] = running
    return out


def cell_label(params: dict, factors: list[str], c: int) -> str:
    return ", ".join(f"{k}={params[k][c]}" for k in (factors or list(params)) if k in params)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("before")
    ap.add_argument("after")
    ap.add_argument("--markdown", help="also write the summary as Markdown to this file")
    ap.add_argument("--top", type=int, default=8, help="tests listed (smallest p first)")
    a = ap.parse_args()

    b, f = tribe.open(a.before), tribe.open(a.after)
    if b.n_cells != f.n_cells or b.parameters != f.parameters:
        sys.exit(
            f"compare_runs: {a.before} and {a.after} are not runs of one design " f"({b.n_cells} vs {f.n_cells} cells)"
        )
    pb, pf = b._parameter_values(), f._parameter_values()
    for k in pb:
        if not np.array_equal(np.asarray(pb[k]).astype(str), np.asarray(pf[k]).astype(str)):
            sys.exit(f"compare_runs: the cells differ in parameter {k}")
    columns = [c for c in b.columns if c in set(f.columns)]
    rows = []  # (cell, column, n_b, n_f, mean_b, mean_f, sd_pooled, p_welch, p_ks)
    for c in range(b.n_cells):
        db = b.read_organizations(columns, cells=[c])
        df = f.read_organizations(columns, cells=[c])
        for col in columns:
            x = db[col].to_numpy(float)
            y = df[col].to_numpy(float)
            x, y = x[~np.isnan(x)], y[~np.isnan(y)]
            if len(x) < 2 or len(y) < 2:
                continue
            sx, sy = x.std(ddof=1), y.std(ddof=1)
            if sx == 0 and sy == 0:
                p_w = 1.0 if x[0] == y[0] else 0.0
            else:
                p_w = stats.ttest_ind(x, y, equal_var=False).pvalue
            p_ks = stats.ks_2samp(x, y).pvalue
            sd = np.sqrt((sx * sx + sy * sy) / 2)
            rows.append((c, col, len(x), len(y), x.mean(), y.mean(), sd, p_w, p_ks))
    p_w = np.array([r[7] for r in rows])
    p_ks = np.array([r[8] for r in rows])
    h_w, h_ks = holm(p_w), holm(p_ks)
    n = len(rows)
    d = np.array([(r[5] - r[4]) / r[6] if r[6] > 0 else 0.0 for r in rows])
    lines = [
        f"Before: `{a.before}` (engine {b.provenance.get('engine_version', '?')}, "
        f"{b.model} {b.provenance.get('model_version', '?')}, seed {b.provenance.get('seed', '?')}, "
        f"{b.n_organizations:,} organizations)",
        f"After: `{a.after}` (engine {f.provenance.get('engine_version', '?')}, "
        f"{f.model} {f.provenance.get('model_version', '?')}, seed {f.provenance.get('seed', '?')}, "
        f"{f.n_organizations:,} organizations)",
        "",
        f"{n} tests per family ({b.n_cells} cells x {len(columns)} columns, constant or empty ones left out).",
        "",
        "| family | raw p < 0.05 | expected if unchanged | smallest raw p | smallest Holm p | Holm p < 0.05 |",
        "|---|---:|---:|---:|---:|---:|",
        f"| Welch t (means) | {int((p_w < 0.05).sum())} | {0.05 * n:.1f} | {np.nanmin(p_w):.3g} | "
        f"{np.nanmin(h_w):.3g} | {int((h_w < 0.05).sum())} |",
        f"| Kolmogorov-Smirnov (distributions) | {int((p_ks < 0.05).sum())} | {0.05 * n:.1f} | "
        f"{np.nanmin(p_ks):.3g} | {np.nanmin(h_ks):.3g} | {int((h_ks < 0.05).sum())} |",
        "",
        f"Largest standardized difference of means |after - before| / sd: {np.abs(d).max():.4f} "
        f"(median {np.median(np.abs(d)):.4f}).",
        "",
        "Smallest Welch p-values:",
        "",
        "| cell | column | mean before | mean after | (after - before) / sd | p | Holm p | KS p |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    for i in np.argsort(p_w)[: a.top]:
        r = rows[i]
        lines.append(
            f"| {cell_label(pb, b.factors, r[0])} | {r[1]} | {r[4]:.5g} | {r[5]:.5g} | {d[i]:+.4f} | "
            f"{r[7]:.3g} | {h_w[i]:.3g} | {r[8]:.3g} |"
        )
    text = "\n".join(lines)
    print(text)
    if a.markdown:
        with open(a.markdown, "w") as out:
            out.write(text + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
