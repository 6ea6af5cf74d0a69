"""Where does each claim hold? Claims evaluated over an assumption space (`assumption_space =
true` in a sampled design; tribe.Result.assumption_space and .scenarios): per claim, its
verdict at every sampled point over the two parameters that matter most for its estimate,
with the PRIM box where it is supported.

The two parameters: for each sampled parameter, the correlation ratio η² of the claim's
per-point estimate on the parameter's deciles (the share of the estimate's variance across
points that the parameter's main effect explains; points without an estimate left out);
the two largest. A claim whose estimate does not vary falls back to the parameters its PRIM
box restricts, then to the first two ranges.
"""
from __future__ import annotations

import math
import re

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle

from .frame import save
from .style import FIG_WIDTH, HALF_WIDTH
from .verdicts import VERDICT_STYLE, verdict_points

BINS = 10


def influence(x: np.ndarray, y: np.ndarray, bins: int = BINS) -> float:
    """Correlation ratio η² of Y on X cut into BINS quantile bins (NaN Y left out); 0 when Y
    is constant or too few points."""
    ok = np.isfinite(y) & np.isfinite(x)
    x, y = x[ok], y[ok]
    if y.size < 2 * bins or not np.var(y) > 0:
        return 0.0
    edges = np.unique(np.quantile(x, np.linspace(0, 1, bins + 1)))
    group = np.clip(np.searchsorted(edges, x, side="right") - 1, 0, max(len(edges) - 2, 0))
    total = np.sum((y - y.mean()) ** 2)
    between = sum(np.sum(group == g) * (y[group == g].mean() - y.mean()) ** 2 for g in np.unique(group))
    return float(between / total)


def ranges(res) -> dict:
    """{parameter: the range as written in the experiment ([low, high] or the choices)}."""
    return dict(((res.experiment_toml().get("design") or {}).get("ranges") or {}))


def top_two(points, scenario, cid: str, names: list[str]) -> tuple[list[str], dict]:
    """The two parameters that matter most for claim CID, and every parameter's η²."""
    y = points[f"estimate_{cid}"].to_numpy(float)
    eta = {n: influence(points[f"value_{n}"].to_numpy(float), y) for n in names}
    ordered = sorted(names, key=lambda n: -eta[n])
    if not any(eta.values()):
        boxed = [n for n in scenario["box"] if n in names]
        ordered = boxed + [n for n in names if n not in boxed]
    return ordered[:2], eta


def is_choice(spec) -> bool:
    return isinstance(spec, list) and bool(spec) and isinstance(spec[0], str)


def is_discrete(spec) -> bool:
    """A choice (drawn at its index) or an integer range."""
    return is_choice(spec) or (isinstance(spec, list) and bool(spec) and all(isinstance(v, int) for v in spec))


def _axis(ax, which: str, name: str, spec, values: np.ndarray):
    set_label, set_ticks, set_labels, set_lim = (
        (ax.set_xlabel, ax.set_xticks, ax.set_xticklabels, ax.set_xlim)
        if which == "x"
        else (ax.set_ylabel, ax.set_yticks, ax.set_yticklabels, ax.set_ylim)
    )
    set_label(name)
    if is_choice(spec):  # a choice: its index
        set_ticks(range(len(spec)))
        set_labels(spec, fontsize=5.5)
        set_lim(-0.5, len(spec) - 0.5)
    elif is_discrete(spec) and values.size:  # integers, drawn with a little jitter
        lo, hi = int(np.nanmin(values)), int(np.nanmax(values))
        set_lim(lo - 0.5, hi + 0.5)
        if hi - lo <= 12:
            set_ticks(range(lo, hi + 1))
    elif values.size:
        lo, hi = float(np.nanmin(values)), float(np.nanmax(values))
        pad = 0.03 * (hi - lo or 1.0)
        set_lim(lo - pad, hi + pad)


def draw_claim(
    ax,
    points,
    scenario,
    cid: str,
    names: list[str],
    spec: dict,
    jitter_seed: int = 0,
    title: str = "{id}",
    fontsize: float = 6.2,
) -> dict:
    """One claim's panel on AX: its verdict at each sampled point over its two most
    influential parameters, the PRIM box; the plotted data (for --dump)."""
    (px, py), eta = top_two(points, scenario, cid, names) if len(names) >= 2 else ((names * 2)[:2], {})
    x = points[f"value_{px}"].to_numpy(float)
    y = points[f"value_{py}"].to_numpy(float)
    verdict = points[f"verdict_{cid}"].to_numpy(str)
    rng = np.random.default_rng(jitter_seed)  # choices and integers: spread their points a little
    jx = x + rng.uniform(-0.15, 0.15, x.size) if is_discrete(spec.get(px)) else x
    jy = y + rng.uniform(-0.15, 0.15, y.size) if is_discrete(spec.get(py)) else y
    for name, st in VERDICT_STYLE.items():
        m = verdict == name
        if m.any():
            ax.plot(
                jx[m],
                jy[m],
                **verdict_points(st),
                ms=2.6,
                mew=0.5,
                alpha=0.85,
            )
    box = scenario["box"]
    if box and (px in box or py in box):
        xlo, xhi = box.get(px, (np.nanmin(x), np.nanmax(x)))
        ylo, yhi = box.get(py, (np.nanmin(y), np.nanmax(y)))
        if is_discrete(spec.get(px)):  # the box holds whole values: around their jittered points
            xlo, xhi = xlo - 0.35, xhi + 0.35
        if is_discrete(spec.get(py)):
            ylo, yhi = ylo - 0.35, yhi + 0.35
        ax.add_patch(Rectangle((xlo, ylo), xhi - xlo, yhi - ylo, fill=False, ec="0.15", lw=0.9, ls="--"))
    _axis(ax, "x", px, spec.get(px), x)
    _axis(ax, "y", py, spec.get(py), y)
    shares = (
        f"S {scenario['share_supported']:.0%} · N {scenario['share_not_supported']:.0%} · "
        f"I {scenario['share_inconclusive']:.0%}"
    )
    ax.set_title(title.format(id=cid) + "\n" + shares, fontsize=fontsize)
    return {
        "claim": cid,
        "x": px,
        "y": py,
        "eta_squared": eta,
        "box": {k: list(v) for k, v in box.items()},
        "share_supported": scenario["share_supported"],
        "share_not_supported": scenario["share_not_supported"],
        "share_inconclusive": scenario["share_inconclusive"],
        "scenario": scenario["scenario"],
        "verdicts": {v: int(np.sum(verdict == v)) for v in VERDICT_STYLE},
    }


def _legend(fig, ncol: int = 4):
    handles = [
        Line2D(
            [],
            [],
            **verdict_points(st),
            label=f"{st['label']} at the point",
        )
        for st in VERDICT_STYLE.values()
    ]
    handles.append(Line2D([], [], color="0.15", linestyle="--", label="PRIM box where it is supported"))
    fig.legend(handles=handles, loc="lower center", ncol=ncol, bbox_to_anchor=(0.5, 1.0), frameon=False)


def _footnote(scenario_rows, npoints: int) -> str:
    text = (
        f"Each dot: one of {npoints} sampled points of the design, the claim decided there alone (no correction "
        "across points). Axes: the two parameters whose deciles explain most of the variance of the claim's "
        "estimate across points (η²). S/N/I: shares of points supported / not supported / inconclusive."
    )
    boxes = [
        f"{r['id']}: {r['scenario']} (coverage {r['coverage']:.2f}, density {r['density']:.2f})"
        for r in scenario_rows
        if r["scenario"]
    ]
    return text + (" Scenarios: " + "; ".join(boxes) + "." if boxes else "")


def figure_space(res, outdir: str, base: str, written: list) -> list[dict]:
    """Per claim of the assumption space, a figure BASE_<id> (and all of them as panels of
    one figure BASE); the plotted data per claim. [] when the file has no assumption space."""
    space = res.assumption_space()
    if space is None:
        return []
    points, scenarios = space
    names = [k[len("value_") :] for k in points.columns if k.startswith("value_")]
    spec = ranges(res)
    rows = scenarios.to_dict("records")
    if not rows or not names:
        return []
    dumps = []
    for i, r in enumerate(rows):  # one figure per claim
        fig, ax = plt.subplots(figsize=(HALF_WIDTH, 3.0), constrained_layout=True)
        d = draw_claim(ax, points, r, r["id"], names, spec, jitter_seed=i, title="{id}: where it holds", fontsize=6.8)
        _legend(fig, ncol=2)
        save(fig, res, outdir, f"{base}_{safe(r['id'])}", _footnote([r], len(points)), written)
        dumps.append(d)
    cols = min(3, len(rows))
    nrows = math.ceil(len(rows) / cols)
    fig, axes = plt.subplots(
        nrows, cols, figsize=(FIG_WIDTH, 2.25 * nrows + 0.3), squeeze=False, constrained_layout=True
    )
    for i, (ax, r) in enumerate(zip(axes.ravel(), rows)):
        draw_claim(ax, points, r, r["id"], names, spec, jitter_seed=i)
    for ax in axes.ravel()[len(rows) :]:
        ax.axis("off")
    _legend(fig)
    save(fig, res, outdir, base, _footnote(rows, len(points)), written)
    return dumps


def safe(s: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", s).strip("_") or "claim"
