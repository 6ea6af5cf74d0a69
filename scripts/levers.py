#!/usr/bin/python3
"""Each lever's paired effect on the spread of reliance and on mission-aligned solving,
with a mediation split (experiments/levers.toml).

    /usr/bin/python3 scripts/levers.py results/levers.h5 [--bootstrap 1000] [--seed 1]
        [--format markdown|text] [-o OUT] [--json FILE]

Reads a result of experiments/levers.toml: a full factorial of six two-level levers under
common random numbers (organization k of every cell shares its people, challenges and random
numbers; every cell has the same organization indices 0 .. n-1). For each lever L, with
"high" and "low" the second and the first level the experiment lists:

  c  total effect on Y = aligned_solve_rate: the mean over the combinations of the other
     levers (equal weights; 32 in the full design) of the mean paired difference
     Y(L high) - Y(L low) over the organizations where both values are defined;
  a  the same for a measure M of the spread of reliance (reliance_formal_share,
     reliance_top_share, reliance_evenness_vs_chance, moment_evenness_vs_chance);
  b  the slope of Y on M within cells: pooled OLS of Y on M with a fixed effect per cell
     (both demeaned by cell), over every cell of the design;
  a*b the indirect part (product of coefficients) and a*b / c its share of the total
     effect ("n/a" where |c| < 0.002: no effect to split).

This is a descriptive decomposition of a simulation: the part of a lever's effect that
goes with its effect on the measure, not an identified mediated effect (the lever moves
other things too, and b is an association between organizations within a cell). 95%
intervals: percentile cluster bootstrap over the organization index (each replicate draws n
indices with replacement and keeps every cell's row of each drawn index, so the pairing of
common random numbers is kept), --bootstrap replicates from --seed. A second table gives
each lever's effect on every measure, on aligned solving and on failures_per_challenge.

Refusals and exit statuses, --json, and what it needs: as every analysis of
scripts/analysis_report.py (run with /usr/bin/python3).
"""
from __future__ import annotations

import sys
import tomllib

import numpy as np

import tribe.result as tr
from analysis_report import Refused, analysis_main, experiment_result, fmt, provenance, stat, table

PROG = "levers"
EXPERIMENT = "levers"
OUTCOME = "aligned_solve_rate"
FAILURES = "failures_per_challenge"
MEASURES = ("reliance_formal_share", "reliance_top_share", "reliance_evenness_vs_chance", "moment_evenness_vs_chance")
#: |c| below this: no total effect to split (the share is reported as n/a).
MIN_TOTAL = 0.002


# ---------------------------------------------------------------------------------- input
def lever_levels(res: tr.Result, cells) -> dict[str, tuple]:
    """{lever: (low, high)} in the experiment's order of [factors]: low and high are the
    first and second levels listed there (each factor must have exactly two)."""
    listed: dict = {}
    try:
        listed = tomllib.loads(res.experiment).get("factors", {}) or {}
    except (tomllib.TOMLDecodeError, AttributeError):
        listed = {}
    names = [k for k in listed if k in res.factors] + [k for k in res.factors if k not in listed]
    out = {}
    for k in names:
        present = list(dict.fromkeys(cells[k].tolist()))
        if len(present) != 2:
            raise Refused(f"{res.path}: factor {k} has {len(present)} levels; every lever needs exactly two")
        order = [v for v in listed.get(k, []) if any(_same(v, p) for p in present)]
        if len(order) == 2:
            low, high = (next(p for p in present if _same(v, p)) for v in order)
        else:
            low, high = sorted(present)
        out[k] = (low, high)
    return out


def _same(a, b) -> bool:
    if isinstance(a, str) or isinstance(b, str):
        return str(a) == str(b)
    return bool(np.isclose(float(a), float(b)))


def load(path: str):
    """The design and the per-organization values as arrays [cell x organization]."""
    with experiment_result(path, EXPERIMENT) as res:
        missing = [c for c in (OUTCOME, FAILURES) + MEASURES if c not in res.columns]
        if missing:
            raise Refused(f"{path}: no column {', '.join(missing)} (a result of an older leadership model?)")
        if not res.factors:
            raise Refused(f"{path}: the design has no factors")
        cells = res.cells
        levels = lever_levels(res, cells)
        combos = cells[list(levels)].astype(str).apply(tuple, axis=1)
        if combos.duplicated().any() or len(combos) != 2 ** len(levels):
            raise Refused(
                f"{path}: not a full two-level factorial of {', '.join(levels)} "
                f"({len(cells)} cells for {2 ** len(levels)} combinations)"
            )
        cols = [OUTCOME, FAILURES, *MEASURES]
        orgs = res.read_organizations(cols)
        counts = orgs.groupby("cell").size().reindex(range(len(cells)), fill_value=0).to_numpy()
        n = int(counts[0])
        if n < 2 or (counts != n).any():
            raise Refused(
                f"{path}: the cells have different numbers of organizations "
                f"({counts.min()} to {counts.max()}); the paired contrasts need the same in each"
            )
        orgs = orgs.sort_values(["cell", "organization"], kind="stable")
        index = orgs["organization"].to_numpy().reshape(len(cells), n)
        if not (index == np.arange(n)).all():
            raise Refused(
                f"{path}: the cells do not all hold organizations 0 .. {n - 1}; "
                "the pairing by organization index needs them"
            )
        values = {c: orgs[c].to_numpy(float).reshape(len(cells), n) for c in cols}
        info = {**provenance(res, path), "cells": len(cells), "n": n}
        return cells, levels, values, info


def pairs(cells, levels: dict, lever: str) -> tuple[np.ndarray, np.ndarray]:
    """(high cells, low cells) of LEVER, matched on the levels of the other levers."""
    others = [k for k in levels if k != lever]
    key = cells[others].astype(str).apply(tuple, axis=1) if others else cells[lever].map(lambda _: ())
    low, high = levels[lever]
    is_high = np.array([_same(v, high) for v in cells[lever].tolist()])
    hi = {key.iloc[i]: i for i in np.flatnonzero(is_high)}
    lo = {key.iloc[i]: i for i in np.flatnonzero(~is_high)}
    order = sorted(hi)
    return np.array([hi[k] for k in order]), np.array([lo[k] for k in order])


# ---------------------------------------------------------------------------------- estimates
def paired_effect(v: np.ndarray, hi: np.ndarray, lo: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """For each row of WEIGHTS (replicates x organizations: how often each organization index
    is drawn), the mean over the pairs of cells of the weighted mean difference v[hi] - v[lo]
    over the organizations where both are defined."""
    d = v[hi] - v[lo]
    ok = np.isfinite(d)
    s = weights @ np.where(ok, d, 0.0).T  # replicates x pairs
    m = weights @ ok.T.astype(float)
    with np.errstate(invalid="ignore", divide="ignore"):
        return (s / m).mean(axis=1)


def within_slope(y: np.ndarray, x: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """The pooled OLS slope of Y on X with a fixed effect per cell (rows of the arrays), for
    each row of WEIGHTS, over the organizations where both are defined."""
    ok = np.isfinite(x) & np.isfinite(y)
    x0, y0 = np.where(ok, x, 0.0), np.where(ok, y, 0.0)
    s1 = weights @ ok.T.astype(float)  # replicates x cells
    sx, sy = weights @ x0.T, weights @ y0.T
    sxy, sxx = weights @ (x0 * y0).T, weights @ (x0 * x0).T
    with np.errstate(invalid="ignore", divide="ignore"):
        cxy = np.where(s1 > 0, sxy - sx * sy / s1, 0.0).sum(axis=1)
        cxx = np.where(s1 > 0, sxx - sx * sx / s1, 0.0).sum(axis=1)
        return cxy / cxx


def analyse(cells, levels, values, n: int, replicates: int, seed: int) -> list[dict]:
    """One row per lever x measure: estimates (index 0) and bootstrap replicates of c, a, b,
    a*b, the share, and the effect on failures."""
    rng = np.random.default_rng(seed)
    ones = np.ones((1, n))
    boot = rng.multinomial(n, np.full(n, 1.0 / n), size=replicates).astype(float) if replicates else ones[:0]
    weights = np.vstack([ones, boot])
    y = values[OUTCOME]
    slopes = {m: within_slope(y, values[m], weights) for m in MEASURES}
    rows = []
    for lever in levels:
        hi, lo = pairs(cells, levels, lever)
        c = paired_effect(y, hi, lo, weights)
        fail = paired_effect(values[FAILURES], hi, lo, weights)
        for m in MEASURES:
            a = paired_effect(values[m], hi, lo, weights)
            b = slopes[m]
            with np.errstate(invalid="ignore", divide="ignore"):
                share = a * b / c
            rows.append(
                {
                    "lever": lever,
                    "low": levels[lever][0],
                    "high": levels[lever][1],
                    "pairs": len(hi),
                    "measure": m,
                    "c": c,
                    "a": a,
                    "b": b,
                    "indirect": a * b,
                    "share": share,
                    "failures": fail,
                }
            )
    return rows


# ---------------------------------------------------------------------------------- output
def level(v) -> str:
    return f"{v:g}" if isinstance(v, float) else str(v)


def report(rows: list[dict], info: dict, replicates: int, seed: int, style: str) -> str:
    levers = list(dict.fromkeys(r["lever"] for r in rows))
    npairs = rows[0]["pairs"] if rows else 0
    boot = (
        f"95% intervals: percentile cluster bootstrap over the organization index, {replicates:,} "
        f"replicates, bootstrap seed {seed}"
        if replicates
        else "no bootstrap (--bootstrap 0): no intervals"
    )
    head = [
        f"Levers: `{info['path']}` (experiment {EXPERIMENT}, leadership model {info['model_version']}, "
        f"run seed {info['seed']}; {info['cells']} cells = 2^{len(levers)} levels of "
        f"{', '.join(levers)}; {info['n']:,} organizations per cell"
        + (
            ", common random numbers)."
            if info["crn"]
            else "; NOT run with common random numbers: the pairs " "share only their index)."
        ),
        "",
        f"Estimands. For each lever, Δ is the mean over the {npairs} combinations of the other levers "
        "(equal weights) of the mean paired difference high - low, organization by organization "
        f"(pairs where both values are defined): a on the measure, c on Y = {OUTCOME}. The "
        "within-cell slope b is the pooled OLS slope of Y on the measure with a fixed effect per cell "
        "(both demeaned by cell, all cells). Indirect = a·b (product of coefficients) and share = a·b / c, "
        f"n/a where |c| < {MIN_TOTAL}. {boot}.",
        "",
        "This is a descriptive decomposition of a simulation, not identification: the indirect part is "
        "the part of the lever's effect on aligned solving that goes with its effect on the measure, "
        "given how the measure and aligned solving go together between organizations of a cell; the "
        "lever moves other things too. The margins stated in experiments/levers.toml: 0.05 on "
        "reliance_formal_share, 0.02 on aligned solving.",
        "",
    ]
    ci = " [CI]" if replicates else ""
    header = [
        "lever",
        "levels (low → high)",
        "measure",
        f"Δ measure{ci}",
        f"Δ aligned solving{ci}",
        f"within-cell slope{ci}",
        f"indirect a·b{ci}",
        f"share a·b/c{ci}",
    ]
    body = []
    for r in rows:
        share = fmt(r["share"], 2) if abs(float(r["c"][0])) >= MIN_TOTAL else "n/a"
        body.append(
            [
                r["lever"],
                f"{level(r['low'])} → {level(r['high'])}",
                r["measure"],
                fmt(r["a"], 4),
                fmt(r["c"], 4),
                fmt(r["b"], 3),
                fmt(r["indirect"], 4),
                share,
            ]
        )
    out = head + table(header, body, style, 3)
    out += [
        "",
        "Lever table: each lever's Δ (high - low) on every measure, on aligned solving and on "
        "failures per challenge" + (", with 95% intervals." if replicates else "."),
        "",
    ]
    header2 = ["lever", "levels (low → high)", *(f"Δ {m}" for m in MEASURES), f"Δ {OUTCOME}", f"Δ {FAILURES}"]
    body2 = []
    for lever in levers:
        mine = {r["measure"]: r for r in rows if r["lever"] == lever}
        first = next(iter(mine.values()))
        body2.append(
            [
                lever,
                f"{level(first['low'])} → {level(first['high'])}",
                *(fmt(mine[m]["a"], 4) for m in MEASURES),
                fmt(first["c"], 4),
                fmt(first["failures"], 4),
            ]
        )
    out += table(header2, body2, style, 2)
    return "\n".join(out) + "\n"


def dump(rows: list[dict], info: dict, replicates: int, seed: int) -> dict:
    return {
        "file": info["path"],
        "run_seed": info["seed"],
        "bootstrap": replicates,
        "bootstrap_seed": seed,
        "organizations_per_cell": info["n"],
        "cells": info["cells"],
        "rows": [
            {
                "lever": r["lever"],
                "low": r["low"],
                "high": r["high"],
                "pairs": int(r["pairs"]),
                "measure": r["measure"],
                **{k: stat(r[k]) for k in ("a", "c", "b", "indirect", "share", "failures")},
            }
            for r in rows
        ],
    }


def main(argv=None) -> int:
    def finish(a, loaded):
        cells, levels, values, info = loaded
        rows = analyse(cells, levels, values, info["n"], a.bootstrap, a.seed)
        return report(rows, info, a.bootstrap, a.seed, a.format), lambda: dump(rows, info, a.bootstrap, a.seed)

    return analysis_main(PROG, __doc__, EXPERIMENT, argv, lambda a: load(a.result), finish)


if __name__ == "__main__":
    sys.exit(main())
