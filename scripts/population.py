#!/usr/bin/python3
"""The between-organization association of leadership spread and mission-aligned solving
in a population of organizations (experiments/population.toml).

    /usr/bin/python3 scripts/population.py results/population.h5 [--bootstrap 1000] [--seed 1]
        [--format markdown|text] [-o OUT] [--volume reliance_events,challenges] [--json FILE]

Reads a result of experiments/population.toml: agents (N = 10, 100) x structure (flat,
random hierarchy) x a Latin hypercube of design points over documented parameter ranges,
a few organizations per point, independent random numbers per cell. For each N and each
spread measure X (reliance_top_share, reliance_formal_share, reliance_evenness_vs_chance,
moment_evenness_vs_chance, evenness_vs_chance, leadership_centralization,
leadership_density, manager_share) against Y = aligned_solve_rate, over the organizations
of that N (both structures) where X, Y and the volume variables are defined:

  rho          Spearman's rank correlation of X and Y between organizations (average ranks
               for ties);
  partial rho  the same net of event volume: the ranks of X and of Y are each residualized
               on the ranks of the volume variables by OLS (with an intercept), and the
               residuals correlated. Volume = reliance_events (the volume of the
               reliance network: every escalation, turn to, routing through, request to
               join or pull-in) and challenges (the challenges that arose); --volume
               names others. Where the controls explain the ranks of X or of Y
               entirely, nothing is left to correlate and it is 0;
  rho volume   the rank correlation of X with reliance_events itself: a measure that
               "counts events" correlates with it strongly.

95% intervals: percentile cluster bootstrap over design points (--bootstrap replicates from
--seed). A design point's organizations share its parameters, and the Latin hypercube's
points are the same in both structures, so a cluster is a point: its organizations in both
structure cells of that N (identified by equal values of every parameter but the factors;
a cell is its own cluster where no other cell shares its values). Ranks are recomputed in
each replicate (a drawn cluster's organizations enter as often as it is drawn).

This describes the model's population; it is not a validation (no tolerance bands are
claimed). Values to read it against: Wang, Waldman & Zhang 2014 (J. Appl. Psychol.
99:181-198), shared leadership and team effectiveness rho ~ .34; D'Innocenzo, Mathieu &
Kukenberger 2016 (J. Manage. 42:1964-1991), the sign and size depend on the measure
(density vs centralization); Cummings & Cross 2003 (Social Networks 25:197-210), centralized
structures perform worse net of communication volume.

Refusals and exit statuses, --json, and what it needs: as every analysis of
scripts/analysis_report.py (run with /usr/bin/python3).
"""
from __future__ import annotations

import sys

import numpy as np

from analysis_report import Refused, analysis_main, experiment_result, fmt, provenance, stat, table

PROG = "population"
EXPERIMENT = "population"
OUTCOME = "aligned_solve_rate"
MEASURES = (
    "reliance_top_share",
    "reliance_formal_share",
    "reliance_evenness_vs_chance",
    "moment_evenness_vs_chance",
    "evenness_vs_chance",
    "leadership_centralization",
    "leadership_density",
    "manager_share",
)
VOLUME = ("reliance_events", "challenges")
#: The column "rho volume" correlates each measure with.
EVENTS = "reliance_events"


# ---------------------------------------------------------------------------------- input
def load(path: str, volume: tuple[str, ...]):
    """The organizations (DataFrame with `agents`, `point` and the columns) and a summary."""
    with experiment_result(path, EXPERIMENT) as res:
        cols = list(dict.fromkeys([OUTCOME, *MEASURES, *volume, EVENTS]))
        missing = [c for c in cols if c not in res.columns]
        if missing:
            raise Refused(f"{path}: no column {', '.join(missing)} (columns: {', '.join(res.columns)})")
        if "agents" not in res.parameters:
            raise Refused(f"{path}: no parameter agents")
        cells = res.cells
        # A design point: the cells with equal values of every parameter but the factors.
        rest = [k for k in res.parameters if k not in res.factors and k != "agents"]
        key = cells[["agents", *rest]].astype(str).apply(tuple, axis=1)
        point = key.factorize()[0]
        orgs = res.read_organizations(cols, parameters=["agents"])
        orgs["point"] = point[orgs["cell"].to_numpy()]
        info = {
            **provenance(res, path),
            "cells": len(cells),
            "organizations": len(orgs),
            "factors": res.factors,
            "points_per_n": {float(n): int(g.nunique()) for n, g in orgs.groupby("agents")["point"]},
        }
        return orgs, info


# ---------------------------------------------------------------------------------- estimates
def weighted_ranks(v: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Average ranks of the values V in each weighted sample: row r of W (replicates x rows)
    says how often each value is drawn. A value's rank is the number of drawn values below it
    plus (the number equal to it + 1) / 2 — the rank every copy would get from
    scipy.stats.rankdata in the resampled data."""
    order = np.argsort(v, kind="stable")
    sv = v[order]
    starts = np.flatnonzero(np.r_[True, sv[1:] != sv[:-1]])
    group = np.cumsum(np.r_[True, sv[1:] != sv[:-1]]) - 1
    gw = np.add.reduceat(w[:, order], starts, axis=1)  # replicates x distinct values
    below = np.cumsum(gw, axis=1) - gw
    mid = below + (gw + 1.0) / 2.0
    out = np.empty_like(w)
    out[:, order] = mid[:, group]
    return out


def correlations(ranks: list[np.ndarray], w: np.ndarray, n_controls: int):
    """From RANKS (per variable, replicates x rows: the measure X, the outcome Y, the
    controls, then any further variables) and the weights W (replicates x rows): the weighted
    correlation matrix of the ranks (replicates x variables x variables) and the partial
    correlation of X and Y given the controls per replicate: the correlation of the
    residuals of X's and Y's ranks on the controls' ranks (OLS with an intercept), from the
    partial covariance S_xy - S_xc S_cc^+ S_cy. Where the controls explain X's or Y's ranks
    entirely (nothing is left to correlate) the partial correlation is 0."""
    total = w.sum(axis=1)
    nv = len(ranks)
    dev = [r - np.einsum("ri,ri->r", r, w)[:, None] / total[:, None] for r in ranks]
    cov = np.empty((len(w), nv, nv))
    for v in range(nv):
        wd = dev[v] * w
        for u in range(v, nv):
            cov[:, v, u] = cov[:, u, v] = np.einsum("ri,ri->r", wd, dev[u])
    var = np.einsum("rvv->rv", cov)
    c = slice(2, 2 + n_controls)
    with np.errstate(invalid="ignore", divide="ignore"):
        corr = cov / np.sqrt(var[:, :, None] * var[:, None, :])
        sc = cov[:, :2, c]
        part = cov[:, :2, :2] - sc @ np.linalg.pinv(cov[:, c, c]) @ sc.transpose(0, 2, 1)
        left = np.minimum(part[:, 0, 0] / var[:, 0], part[:, 1, 1] / var[:, 1])
        p = part[:, 0, 1] / np.sqrt(np.clip(part[:, 0, 0], 0, None) * np.clip(part[:, 1, 1], 0, None))
    return corr, np.where(left < 1e-10, 0.0, p)


def analyse(orgs, volume, replicates: int, seed: int, chunk: int = 100) -> list[dict]:
    """One row per N x measure: rho, partial rho (estimate at index 0, then the bootstrap
    replicates), rho with EVENTS, n. The replicates of one N draw the same design points for
    every measure."""
    rng = np.random.default_rng(seed)
    extra = [] if EVENTS in volume else [EVENTS]
    rows = []
    for n_agents, d in orgs.groupby("agents", sort=True):
        points, cluster = np.unique(d["point"].to_numpy(), return_inverse=True)
        k = len(points)
        draws = (
            rng.multinomial(k, np.full(k, 1.0 / k), size=replicates).astype(float) if replicates else np.zeros((0, k))
        )
        weights = np.vstack([np.ones((1, len(d))), draws[:, cluster]])
        keeps = {
            m: d[list(dict.fromkeys([m, OUTCOME, *volume, EVENTS]))].notna().all(axis=1).to_numpy() for m in MEASURES
        }
        values = {c: d[c].to_numpy(float) for c in dict.fromkeys([*MEASURES, OUTCOME, *volume, *extra])}
        out = {
            m: {
                "rho": np.full(len(weights), np.nan),
                "partial": np.full(len(weights), np.nan),
                "rho_volume": np.full(len(weights), np.nan),
            }
            for m in MEASURES
        }
        for s in range(0, len(weights), chunk):
            cache: dict = {}
            for m in MEASURES:
                keep = keeps[m]
                if keep.sum() < len(volume) + 3:
                    continue
                w = weights[s : s + chunk][:, keep]
                stack = []
                for col in (m, OUTCOME, *volume, *extra):
                    key = (col, keep.tobytes())
                    if key not in cache:
                        cache[key] = weighted_ranks(values[col][keep], w)
                    stack.append(cache[key])
                corr, partial = correlations(stack, w, len(volume))
                events = (2 + list(volume).index(EVENTS)) if EVENTS in volume else 2 + len(volume)
                out[m]["rho"][s : s + chunk] = corr[:, 0, 1]
                out[m]["partial"][s : s + chunk] = partial
                out[m]["rho_volume"][s : s + chunk] = corr[:, 0, events]
        for m in MEASURES:
            rows.append(
                {
                    "agents": float(n_agents),
                    "measure": m,
                    "n": int(keeps[m].sum()),
                    "points": int(len(np.unique(cluster[keeps[m]]))),
                    "dropped": int((~keeps[m]).sum()),
                    **out[m],
                }
            )
    return rows


# ---------------------------------------------------------------------------------- output
def report(rows, info, volume, replicates: int, seed: int, style: str) -> str:
    ns = sorted(set(r["agents"] for r in rows))
    points = ", ".join(f"{info['points_per_n'].get(n, 0):,} for N = {n:g}" for n in ns)
    boot = (
        f"95% intervals: percentile cluster bootstrap over design points, {replicates:,} replicates, "
        f"bootstrap seed {seed}"
        if replicates
        else "no bootstrap (--bootstrap 0): no intervals"
    )
    design = " x ".join(info["factors"])
    head = [
        f"Population: `{info['path']}` (experiment {EXPERIMENT}, leadership model "
        f"{info['model_version']}, run seed {info['seed']}; {info['cells']:,} cells = {design} x design "
        f"points of a Latin hypercube, {info['organizations']:,} organizations; design points {points}; "
        + ("independent random numbers per cell)." if not info["crn"] else "common random numbers)."),
        "",
        "Estimated, for each N separately over its organizations (both structures): Spearman's ρ of each "
        f"spread measure with Y = {OUTCOME} between organizations; the partial ρ net of event volume "
        "(the ranks of the measure and of Y each residualized by OLS on the ranks of "
        f"{' and '.join(volume)}, the residuals correlated); and the measure's ρ with {EVENTS} itself "
        "(a measure that counts events correlates with it strongly). Rows with a missing value of the "
        "measure, of Y or of a volume variable are left out (n: the organizations used). "
        f"{boot}; a cluster is a design point (its organizations in both structures share its "
        "parameters), and the ranks are recomputed in each replicate.",
        "",
        "Read against: Wang, Waldman & Zhang 2014 (J. Appl. Psychol. 99:181-198): shared leadership and "
        "team effectiveness ρ ≈ .34; D'Innocenzo, Mathieu & Kukenberger 2016 (J. Manage. 42:1964-1991): "
        "the sign and size depend on the measure (density vs centralization); Cummings & Cross 2003 "
        "(Social Networks 25:197-210): centralized structures perform worse net of communication volume. "
        "The measures point in different directions: a higher top share, formal share, centralization or "
        "manager share is less spread, a higher evenness or density more. This describes the model's "
        "population over the ranges of experiments/population.toml; it is not a validation, and no "
        "tolerance bands are claimed.",
    ]
    out = head
    for n in ns:
        out += ["", f"N = {n:g} agents", ""]
        bar = "\\|" if style == "markdown" else "|"
        ci = " [CI]" if replicates else ""
        header = ["measure", f"ρ{ci}", f"partial ρ {bar} volume{ci}", f"ρ with {EVENTS}", "n"]
        body = [
            [r["measure"], fmt(r["rho"]), fmt(r["partial"]), fmt(r["rho_volume"][:1]), f"{r['n']:,}"]
            for r in rows
            if r["agents"] == n
        ]
        out += table(header, body, style, 1)
    return "\n".join(out) + "\n"


def dump(rows, info, volume, replicates: int, seed: int) -> dict:
    return {
        "file": info["path"],
        "run_seed": info["seed"],
        "bootstrap": replicates,
        "bootstrap_seed": seed,
        "volume": list(volume),
        "rows": [
            {
                "agents": r["agents"],
                "measure": r["measure"],
                "n": r["n"],
                "points": r["points"],
                "dropped": r["dropped"],
                "rho": stat(r["rho"]),
                "partial": stat(r["partial"]),
                "rho_volume": stat(r["rho_volume"]),
            }
            for r in rows
        ],
    }


def volume_of(a) -> tuple[str, ...]:
    """The volume variables --volume names."""
    return tuple(v.strip() for v in a.volume.split(",") if v.strip())


def main(argv=None) -> int:
    def options(ap):
        ap.add_argument(
            "--volume",
            default=",".join(VOLUME),
            help=f"the volume variables of the partial correlation, comma-separated (default " f"{','.join(VOLUME)})",
        )

    def finish(a, loaded):
        (orgs, info), volume = loaded, volume_of(a)
        rows = analyse(orgs, volume, a.bootstrap, a.seed)
        text = report(rows, info, volume, a.bootstrap, a.seed, a.format)
        return text, lambda: dump(rows, info, volume, a.bootstrap, a.seed)

    return analysis_main(
        PROG,
        __doc__,
        EXPERIMENT,
        argv,
        lambda a: load(a.result, volume_of(a)),
        finish,
        options,
        lambda a: None if volume_of(a) else "--volume names no column",
    )


if __name__ == "__main__":
    sys.exit(main())
