"""Figures for any result (issue 18): one figure per column asked for, named
`<experiment>_<column>`.

- Factorial designs: cell means with the engine's stored intervals against the first factor
  (a numeric axis for numeric factors; a log axis when the levels are geometric), one colour,
  marker and line style per level of the second factor, a row of panels per level of the
  third; further factors are pooled (the pooled intervals are then computed from the cells'
  stored n, mean and sd, and the footnote says so). Beside the means: the distribution over
  organizations per cell (violins with median and quartiles), read from /organizations one
  column at a time, from every organization or a bounded seeded sample of them.
- Binary columns: rates with the stored Wilson intervals (no distribution panel: a 0/1
  column's distribution is its rate).
- Time series (columns NAME_t000, NAME_t001, ...; ask for NAME): the mean curve over time
  with its interval band per series, and beside it the 10-90% band and median of the
  organizations.
- Sampled designs (random, Latin-hypercube, Sobol: parameters that vary across cells
  without being factors): cell means against each sampled parameter with a smoothed trend
  (Gaussian kernel), per factor combination, and the sensitivity indices when the file stores
  them (/sensitivity/<column>, else the variance shares of /variance/<column>).

`plot(res, column)` returns the matplotlib figure and the points it drew; `draw()` saves it
with the provenance footnote.
"""
from __future__ import annotations

import itertools
import math
import re
import textwrap

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.lines import Line2D

from .design import fmt_level, is_numeric, level_mask, levels, sampled_parameters
from .frame import errorbar, fit_ylim, footnote, nan_note, note, rate_axis, write
from .read import SERIES_RE
from .stats import pooled
from .style import (COLUMN_LABEL, FIG_WIDTH, HATCHES, LINESTYLES, MARKERS, PALETTE, col_label, col_title,
                    factor_label, structure_name)

# The outcomes drawn by default after the claims' columns, per model (those the file has);
# for another model, its first outcome columns.
MAIN_OUTCOMES = {
    "leadership": ["distributed", "solve_rate", "queue_mean", "leadership_evenness"],
    "march": ["knowledge_code_equilibrium", "knowledge_individuals_equilibrium"],
    "lazer_friedman": ["mean_score", "final_mean_score", "rounds_to_equilibrium"],
}
OTHER_MODEL_OUTCOMES = 3
SAMPLE_PER_CELL = 4000  # organizations per cell read for a distribution, at most
SAMPLE_TOTAL = 400_000  # and at most this many over all cells


# ---------------------------------------------------------------------------------------
# Which columns
# ---------------------------------------------------------------------------------------
def time_series(res) -> dict:
    """{NAME: [(t, column), ...] sorted by t} for every family NAME_tNNN of at least three
    columns with cell statistics."""
    fam: dict = {}
    for c in res.stat_columns():
        m = SERIES_RE.match(c)
        if m:
            fam.setdefault(m.group("base"), []).append((int(m.group("t")), c))
    return {b: sorted(v) for b, v in fam.items() if len(v) >= 3}


def resolve(res, name: str):
    """('series', NAME) for a time-series family, ('column', NAME) for a column with cell
    statistics, None when the file has neither."""
    if name in time_series(res):
        return ("series", name)
    if res.has_stat(name):
        return ("column", name)
    return None


def default_columns(res) -> list[str]:
    """The columns the experiment's claims use (a member of a time series stands for the
    series), then the model's main outcomes."""
    series = time_series(res)
    member = {c: b for b, cols in series.items() for _, c in cols}
    out = [member.get(c, c) for c in res.claim_columns()]
    main = MAIN_OUTCOMES.get(res.model)
    if main is None:
        outcomes = [c for c in res.columns() if res.column_role(c) == "outcome" and res.has_stat(c)]
        main = list(dict.fromkeys(member.get(c, c) for c in outcomes))[:OTHER_MODEL_OUTCOMES]
    out += main
    absent = [c for c in dict.fromkeys(out) if not resolve(res, c)]
    if absent:
        note(res, f"no column {', '.join(absent)} in this file; no figure of it")
    return [c for c in dict.fromkeys(out) if resolve(res, c)]


# ---------------------------------------------------------------------------------------
# Layout of a factorial design
# ---------------------------------------------------------------------------------------
def varying_factors(res) -> list[str]:
    return [f for f in res.factors if len(levels(res.param(f))) > 1]


def roles(res, x=None, by=None, facet=None):
    """(x, by, facet, pooled): the factors on the x axis, as series, as panel rows, and
    pooled over. Unset roles take the varying factors in the experiment file's order."""
    fs = varying_factors(res)
    for given in (x, by, facet):
        if given is not None and given not in fs:
            raise ValueError(f"'{given}' is not a factor that varies in this file (factors: {', '.join(fs) or 'none'})")
    chosen = [x, by, facet]
    rest = [f for f in fs if f not in chosen]
    for i in range(3):
        if chosen[i] is None and rest:
            chosen[i] = rest.pop(0)
    return chosen[0], chosen[1], chosen[2], rest


class Axis:
    """Positions of a factor's levels on an x axis: the values for a numeric factor (log2 of
    them when the levels are geometric, e.g. 2, 4, 8, 16), 0, 1, ... for choices."""

    def __init__(self, res, name):
        self.name = name
        self.values = levels(res.param(name)) if name else [None]
        v = np.asarray(self.values, float) if name and is_numeric(res.param(name)) else None
        self.numeric = v is not None
        self.log = False
        if self.numeric and v.size >= 3 and np.all(v > 0) and v.max() / v.min() >= 4:
            r = np.diff(np.log(v))
            self.log = bool(np.ptp(r) <= 0.25 * r.mean())
        if not self.numeric:
            self.pos = np.arange(len(self.values), dtype=float)
        else:
            self.pos = np.log2(v) if self.log else v
        d = np.diff(np.sort(self.pos))
        self.spacing = float(d[d > 0].min()) if np.any(d > 0) else 1.0

    def label(self) -> str:
        if not self.name:
            return ""
        return factor_label(self.name) + (" (log scale)" if self.log else "")

    def setup(self, ax):
        ax.set_xticks(self.pos)
        ax.set_xticklabels([level_name(self.name, v) if v is not None else "all cells" for v in self.values])
        pad = 0.5 * self.spacing
        ax.set_xlim(self.pos.min() - pad, self.pos.max() + pad)
        ax.set_xlabel(self.label())


def suptitle(fig, res, col, title, shown=None, series_t=None):
    """The figure title and, below it, the column's name and description from the file (for a
    time series, the description of its column at t = SERIES_T with that number read as t)."""
    desc = res.column_description(col)
    if series_t is not None:
        desc = re.sub(rf"\b{series_t}\b", "t", desc)
    what = f"{shown or col}: {desc}" if desc and desc != col else (shown or col)
    width = int(95 * fig.get_figwidth() / FIG_WIDTH)
    fig.suptitle(title + "\n" + "\n".join(textwrap.wrap(what, width)[:2]), x=0.0, ha="left", fontsize=8.5,
                 fontweight="bold", linespacing=1.35)


def missing_note(res, cols) -> str:
    """A footnote sentence on organizations whose value is undefined (NaN), '' when none is."""
    n = int(sum(np.nansum(res.stat(c, "missing")) for c in cols if res.has_stat(c, "missing")))
    return f"{n:,} undefined values (NaN) left out of means and distributions." if n else ""


def style(i: int, n: int) -> dict:
    c = PALETTE[i % len(PALETTE)]
    return dict(color=c, marker=MARKERS[i % len(MARKERS)], ls=LINESTYLES[i % len(LINESTYLES)],
                mfc=c if i % 2 == 0 else "white", hatch=HATCHES[i % len(HATCHES)])


def level_name(name, v) -> str:
    return structure_name(v) if name == "structure" else fmt_level(v)


def level_text(name, v) -> str:
    return f"{factor_label(name)} = {level_name(name, v)}"


# ---------------------------------------------------------------------------------------
# Distributions over organizations
# ---------------------------------------------------------------------------------------
def sample_bound(res, max_per_cell: int | None) -> int:
    """Organizations per cell read for a distribution: MAX_PER_CELL when given, else
    SAMPLE_PER_CELL and at most SAMPLE_TOTAL over all cells (but 50 at least)."""
    if max_per_cell is not None:
        return max_per_cell
    return max(50, min(SAMPLE_PER_CELL, SAMPLE_TOTAL // max(res.ncells, 1)))


def distributions(res, col, max_per_cell, seed):
    """Values of COL per cell from /organizations (a bounded seeded sample for large cells)
    and a footnote sentence saying which."""
    per = sample_bound(res, max_per_cell)
    values, sampled = res.org_sample(col, per, seed)
    values = [v[np.isfinite(v)] for v in values]
    if sampled:
        text = (f"Distributions: a uniform sample of at most {per:,} organizations per cell (seed {seed}); "
                "means and intervals: all organizations (cell statistics).")
    else:
        text = "Distributions: every organization (violins: kernel density, cut at the smallest and largest value)."
    return values, sampled, text


def pool_values(values, mask):
    idx = np.flatnonzero(mask)
    return np.concatenate([values[i] for i in idx]) if idx.size else np.zeros(0)


def quantiles(v) -> dict:
    if v.size == 0:
        return {}
    q = np.quantile(v, [0.05, 0.25, 0.5, 0.75, 0.95])
    return {"q05": float(q[0]), "q25": float(q[1]), "median": float(q[2]), "q75": float(q[3]), "q95": float(q[4])}


def violin(ax, pos, v, width, st):
    """One violin (kernel density of V, scaled to WIDTH) with median and quartiles."""
    if v.size == 0:
        return
    q25, q50, q75 = np.quantile(v, [0.25, 0.5, 0.75])
    if v.size >= 2 and np.ptp(v) > 0:
        body = ax.violinplot([v], positions=[pos], widths=width, showextrema=False, points=80)
        for b in body["bodies"]:
            b.set_facecolor(st["color"])
            b.set_edgecolor(st["color"])
            b.set_alpha(0.35)
            b.set_linewidth(0.5)
    else:  # one value, or all equal: a flat mark
        ax.plot([pos - width / 2, pos + width / 2], [q50, q50], color=st["color"], lw=1.2, alpha=0.6)
    ax.plot([pos, pos], [q25, q75], color="0.15", lw=2.2, solid_capstyle="butt", zorder=3)
    ax.plot([pos], [q50], marker="o", ms=2.6, mfc="white", mec="0.15", mew=0.5, zorder=4, ls="")


def robust_ylim(ax, all_values, extra):
    """y limits showing the bulk of the distributions: the 0.5-99.5% quantiles when the full
    range would squash them (then noted), else the full range. Returns a note or ''."""
    v = np.concatenate([x for x in all_values if x.size] + [np.asarray(extra, float)]) if all_values else \
        np.asarray(extra, float)
    v = v[np.isfinite(v)]
    if v.size == 0:
        return ""
    lo, hi = float(v.min()), float(v.max())
    qlo, qhi = (float(x) for x in np.quantile(v, [0.005, 0.995]))
    txt = ""
    if hi > lo and (qhi - qlo) < 0.6 * (hi - lo):
        lo, hi = qlo, qhi
        txt = "Distribution axes cut at the 0.5% and 99.5% quantiles."
    span = (hi - lo) or (abs(hi) or 1.0)
    ax.set_ylim(lo - 0.05 * span, hi + 0.05 * span)
    return txt


# ---------------------------------------------------------------------------------------
# Factorial designs
# ---------------------------------------------------------------------------------------
def plot_factorial(res, col, x=None, by=None, facet=None, max_per_cell=None, seed=None):
    xf, byf, facetf, pooled_over = roles(res, x, by, facet)
    binary = res.is_binary(col)
    axis = Axis(res, xf)
    by_lv = levels(res.param(byf)) if byf else [None]
    facet_lv = levels(res.param(facetf)) if facetf else [None]
    seed = res.attr_int("seed") if seed is None else seed
    values, sampled, dist_text = (None, False, "") if binary else distributions(res, col, max_per_cell, seed)
    nrow = len(facet_lv)
    ncol = 1 if binary else 2
    width = 4.8 if binary else FIG_WIDTH
    fig = plt.figure(figsize=(width, 0.7 + 2.35 * nrow), layout="constrained")
    gs = fig.add_gridspec(nrow, ncol, width_ratios=[1] * ncol)
    points, dists = [], []
    nser = len(by_lv)
    dodge = [0.0] if nser == 1 else list(np.linspace(-1, 1, nser) * 0.05 * axis.spacing)
    vwidth = 0.8 * axis.spacing / nser
    voffs = [0.0] if nser == 1 else list((np.arange(nser) - (nser - 1) / 2) * vwidth)
    mean_axes, dist_axes = [], []
    all_lows, all_highs, all_dvals, all_dmeans = [], [], [], []
    for r, fv in enumerate(facet_lv):
        fmask = level_mask(res, facetf, fv) if facetf else np.ones(res.ncells, bool)
        ax = fig.add_subplot(gs[r, 0], sharey=mean_axes[0] if mean_axes else None)
        mean_axes.append(ax)
        dax = None
        if not binary:
            dax = fig.add_subplot(gs[r, 1], sharey=dist_axes[0] if dist_axes else None)
            dist_axes.append(dax)
        lows, highs, ys, dvals, dmeans = [], [], [], [], []
        for s, bv in enumerate(by_lv):
            st = style(s, nser)
            smask = fmask & (level_mask(res, byf, bv) if byf else True)
            est = []
            for xi, xv in enumerate(axis.values):
                mask = smask & (level_mask(res, xf, xv) if xf else True)
                cells = np.flatnonzero(mask)
                if cells.size == 0:
                    est.append((np.nan,) * 3)
                    continue
                e = pooled(res, col, mask)
                est.append(e)
                points.append({"cells": cells.tolist(), "x": xv, "by": bv, "facet": fv,
                               "estimate": e[0], "low": e[1], "high": e[2],
                               "interval": "stored" if cells.size == 1 else "pooled"})
                if values is not None:
                    v = pool_values(values, mask)
                    dvals.append(v)
                    dmeans.append(e[0])
                    violin(dax, axis.pos[xi] + voffs[s], v, vwidth * 0.92, st)
                    dax.plot([axis.pos[xi] + voffs[s] - vwidth * 0.3, axis.pos[xi] + voffs[s] + vwidth * 0.3],
                             [e[0], e[0]], color=st["color"], lw=1.4, zorder=5)
                    dists.append({"cells": cells.tolist(), "x": xv, "by": bv, "facet": fv, "n": int(v.size),
                                  "sampled": bool(sampled), **quantiles(v)})
            y, lo, hi = (np.array(z, float) for z in zip(*est))
            label = level_text(byf, bv) if byf else None
            if not np.any(np.isfinite(y)):  # nothing defined in this series (e.g. all NaN)
                continue
            errorbar(ax, axis.pos + dodge[s], y, lo, hi, fmt=st["marker"], color=st["color"], mfc=st["mfc"],
                     mec=st["color"], ls=st["ls"] if axis.numeric else "none", elinewidth=0.9, ms=4.5,
                     capsize=2.5, label=label, lw=1.1)
            lows.extend(lo)
            highs.extend(hi)
            ys.extend(y)
        all_lows += lows + ys
        all_highs += highs + ys
        all_dvals += dvals
        all_dmeans += dmeans
        axis.setup(ax)
        nan_note(ax, ys)
        if dax is not None:
            nan_note(dax, [np.nan] if not any(v.size for v in dvals) else [0.0])
        ax.set_ylabel(col_label(res, col))
        ax.grid(axis="y", color="0.92", lw=0.5)
        ax.set_axisbelow(True)
        what = "rate" if binary else "mean"
        title = f"{what} ({100 * res.confidence:g}% {'Wilson' if binary else 't'} interval)"
        ax.set_title(title + (f" — {level_text(facetf, fv)}" if facetf else ""), fontsize=7.5,
                     pad=13 if (r == 0 and not binary) else 6)
        if dax is not None:
            axis.setup(dax)
            dax.set_ylabel(col_label(res, col))
            dax.grid(axis="y", color="0.92", lw=0.5)
            dax.set_axisbelow(True)
            dax.set_title("distribution over organizations" +
                          (f" — {level_text(facetf, fv)}" if facetf else ""), fontsize=7.5, pad=13 if r == 0 else 6)
    if binary:
        rate_axis(mean_axes[0])
    else:
        fit_ylim(mean_axes[0], all_lows, all_highs)
    cut_note = robust_ylim(dist_axes[0], all_dvals, all_dmeans) if dist_axes else ""
    if dist_axes:
        keys = [Line2D([], [], color="0.4", lw=1.4, label="mean"),
                Line2D([], [], ls="", marker="o", ms=2.6, mfc="white", mec="0.15", mew=0.5, label="median"),
                Line2D([], [], color="0.15", lw=2.2, label="quartiles")]
        dist_axes[0].legend(handles=keys, loc="lower left", bbox_to_anchor=(0.0, 1.0), fontsize=6,
                            handlelength=1.2, ncol=3, columnspacing=1.0, borderaxespad=0.1)
    if byf and mean_axes[0].get_legend_handles_labels()[0]:
        mean_axes[0].legend(loc="best", fontsize=6.5, title=None, handlelength=2.2)
    sup = f"{col_title(col)} by {factor_label(xf) if xf else 'cell'}" + \
        (f" and {factor_label(byf)}" if byf else "") + (f", per {factor_label(facetf)}" if facetf else "")
    suptitle(fig, res, col, sup)
    extra = []
    if pooled_over:
        extra.append(f"Pooled over {', '.join(pooled_over)} (intervals computed from the cells' n, mean and sd).")
    else:
        extra.append("Every point is one cell with the interval the engine stored.")
    if dist_text:
        extra.append(dist_text)
    if cut_note:
        extra.append(cut_note)
    extra.append(missing_note(res, [col]))
    dump = {"kind": "rates" if binary else "means", "column": col, "x": xf, "by": byf, "facet": facetf,
            "pooled_over": pooled_over, "points": points, "distributions": dists,
            "sampled": bool(sampled), "sample_seed": seed if sampled else None}
    return fig, dump, " ".join(e for e in extra if e)


# ---------------------------------------------------------------------------------------
# Time series
# ---------------------------------------------------------------------------------------
def plot_series(res, base, x=None, by=None, facet=None, max_per_cell=None, seed=None):
    members = time_series(res)[base]
    ts = np.array([t for t, _ in members], float)
    # series: first factor (colour), second (line style); panels: third
    f1, f2, f3, pooled_over = roles(res, x, by, facet)
    l1 = levels(res.param(f1)) if f1 else [None]
    l2 = levels(res.param(f2)) if f2 else [None]
    l3 = levels(res.param(f3)) if f3 else [None]
    seed = res.attr_int("seed") if seed is None else seed
    per = sample_bound(res, max_per_cell)
    binary = res.is_binary(members[0][1])
    fig = plt.figure(figsize=(FIG_WIDTH, 0.7 + 2.35 * len(l3)), layout="constrained")
    gs = fig.add_gridspec(len(l3), 2)
    points, dists = [], []
    sampled_any = False
    # the organizations' values, one column at a time: {column: per-cell arrays}
    org = {}
    for _, c in members:
        org[c], s = res.org_sample(c, per, seed)
        sampled_any |= s
    for r, v3 in enumerate(l3):
        m3 = level_mask(res, f3, v3) if f3 else np.ones(res.ncells, bool)
        ax = fig.add_subplot(gs[r, 0])
        dax = fig.add_subplot(gs[r, 1], sharey=ax)
        k = 0
        for i1, v1 in enumerate(l1):
            for i2, v2 in enumerate(l2):
                mask = m3 & (level_mask(res, f1, v1) if f1 else True) & (level_mask(res, f2, v2) if f2 else True)
                cells = np.flatnonzero(mask)
                if cells.size == 0:
                    continue
                col = PALETTE[i1 % len(PALETTE)]
                ls = LINESTYLES[i2 % len(LINESTYLES)]
                est = np.array([pooled(res, c, mask) for _, c in members], float)
                ok = np.isfinite(est[:, 0])
                label = ", ".join(level_text(f, v) for f, v in ((f1, v1), (f2, v2)) if f) or "all cells"
                ax.fill_between(ts[ok], est[ok, 1], est[ok, 2], color=col, alpha=0.25, lw=0)
                ax.plot(ts[ok], est[ok, 0], color=col, ls=ls, lw=1.2, label=label)
                qs = []
                for (t, c), e in zip(members, est):
                    points.append({"cells": cells.tolist(), "column": c, "t": int(t), "series": [v1, v2], "facet": v3,
                                   "estimate": float(e[0]), "low": float(e[1]), "high": float(e[2]),
                                   "interval": "stored" if cells.size == 1 else "pooled"})
                    v = pool_values([x[np.isfinite(x)] for x in org[c]], mask)
                    qs.append(np.quantile(v, [0.1, 0.5, 0.9]) if v.size else [np.nan] * 3)
                    dists.append({"cells": cells.tolist(), "column": c, "t": int(t), "series": [v1, v2],
                                  "facet": v3, "n": int(v.size), **quantiles(v)})
                qs = np.array(qs, float)
                okq = np.isfinite(qs[:, 1])
                dax.fill_between(ts[okq], qs[okq, 0], qs[okq, 2], color=col, alpha=0.18, lw=0)
                dax.plot(ts[okq], qs[okq, 1], color=col, ls=ls, lw=1.0)
                k += 1
        for a in (ax, dax):
            a.set_xlabel(f"time t (columns {base}_tNNN)")
            a.grid(color="0.94", lw=0.5)
        if binary:
            rate_axis(ax)
        ax.set_ylabel(COLUMN_LABEL.get(base, base.replace("_", " ")))
        suffix = f" — {level_text(f3, v3)}" if f3 else ""
        ax.set_title(f"mean with {100 * res.confidence:g}% band" + suffix, fontsize=7.5)
        dax.set_title("organizations: median and 10–90% band" + suffix, fontsize=7.5)
        if r == 0 and k > 1:
            ax.legend(loc="best", fontsize=6.5, handlelength=2.4)
    t_desc, c_desc = members[1] if len(members) > 1 else members[0]
    suptitle(fig, res, c_desc, f"{col_title(base)} over time", base + "_tNNN", t_desc)
    extra = [f"Columns {members[0][1]} … {members[-1][1]}; bands: the engine's stored intervals per column"
             + (f", pooled over {', '.join(pooled_over)}" if pooled_over else "") + "."]
    extra.append(missing_note(res, [c for _, c in members]))
    if sampled_any:
        extra.append(f"Organizations: a uniform sample of at most {per:,} per cell (seed {seed}).")
    dump = {"kind": "series", "column": base, "series_factors": [f1, f2], "facet": f3, "pooled_over": pooled_over,
            "points": points, "distributions": dists, "sampled": bool(sampled_any),
            "sample_seed": seed if sampled_any else None}
    return fig, dump, " ".join(e for e in extra if e)


# ---------------------------------------------------------------------------------------
# Sampled designs
# ---------------------------------------------------------------------------------------
def kernel_trend(x, y, n=60):
    """Nadaraya-Watson smoother with a Gaussian kernel (bandwidth: Silverman's rule on x)."""
    ok = np.isfinite(x) & np.isfinite(y)
    x, y = x[ok], y[ok]
    if x.size < 5 or np.ptp(x) == 0:
        return None, None
    h = 1.06 * np.std(x) * x.size ** (-1 / 5)
    g = np.linspace(x.min(), x.max(), n)
    w = np.exp(-0.5 * ((g[:, None] - x[None, :]) / h) ** 2)
    return g, (w @ y) / w.sum(axis=1)


def sensitivity_indices(res, col):
    """(title, {index name: {parameter: value}}) from /sensitivity/<col>, else the variance
    shares of /variance/<col>; None when neither is stored."""
    s = res.sensitivity(col)
    if s:
        names = s.pop("parameter")
        return "sensitivity indices (/sensitivity)", {k: dict(zip(names, v)) for k, v in s.items()}
    var = res.variance().get(col)
    if var:
        fs, eta, _ = var
        return "main-effect share of variance (η², /variance)", {"eta_squared": dict(zip(fs, eta))}
    return None


def plot_sampled(res, col, **_):
    sp = sampled_parameters(res)
    binary = res.is_binary(col)
    y = res.stat(col, "rate" if binary else "mean")
    lo = res.stat(col, "rate_low" if binary else "ci_low")
    hi = res.stat(col, "rate_high" if binary else "ci_high")
    fs = varying_factors(res)
    groups = [("all cells", np.ones(res.ncells, bool))]
    if fs:
        lv = [levels(res.param(f)) for f in fs]
        groups = []
        for combo in itertools.product(*lv):
            m = np.ones(res.ncells, bool)
            for f, v in zip(fs, combo):
                m &= level_mask(res, f, v)
            if m.any():
                groups.append((", ".join(fmt_level(v) for v in combo), m))
    sens = sensitivity_indices(res, col)
    npan = len(sp) + (1 if sens else 0)
    ncol = min(3, max(npan, 1))
    nrow = math.ceil(max(npan, 1) / ncol)
    fig = plt.figure(figsize=(FIG_WIDTH, 0.9 + 2.1 * nrow), layout="constrained")
    gs = fig.add_gridspec(nrow, ncol)
    points = [{"cells": [i], "params": {p: float(res.param(p)[i]) for p in sp}, "estimate": float(y[i]),
               "low": float(lo[i]), "high": float(hi[i]), "interval": "stored"} for i in range(res.ncells)]
    for k, p in enumerate(sp):
        ax = fig.add_subplot(gs[k // ncol, k % ncol])
        xv = res.param(p)
        for g, (label, m) in enumerate(groups):
            c = PALETTE[g % len(PALETTE)]
            ax.scatter(xv[m], y[m], s=6, color=c, marker=MARKERS[g % len(MARKERS)], alpha=0.45, lw=0)
            gx, gy = kernel_trend(xv[m], y[m])
            if gx is not None:
                ax.plot(gx, gy, color=c, ls=LINESTYLES[g % len(LINESTYLES)], lw=1.5,
                        label=label if k == 0 else None)
        if binary:
            rate_axis(ax)
        else:
            fit_ylim(ax, y, y)
        ax.set_xlabel(factor_label(p))
        if k % ncol == 0:
            ax.set_ylabel(col_label(res, col), fontsize=6.5)
        ax.grid(color="0.94", lw=0.5)
    sdump = None
    if sens:
        title, idx = sens
        ax = fig.add_subplot(gs[len(sp) // ncol, len(sp) % ncol])
        names = list(dict.fromkeys(n for d in idx.values() for n in d))
        h = 0.8 / len(idx)
        for j, (iname, d) in enumerate(idx.items()):
            vals = np.array([d.get(n, np.nan) for n in names], float)
            ax.barh(np.arange(len(names)) + (j - (len(idx) - 1) / 2) * h, np.nan_to_num(vals), height=h * 0.9,
                    color=PALETTE[j % len(PALETTE)], hatch=HATCHES[j % len(HATCHES)], label=iname,
                    edgecolor="white" if j == 0 else "black", lw=0.4)
        ax.set_yticks(range(len(names)))
        ax.set_yticklabels([factor_label(n) for n in names], fontsize=6.5)
        ax.invert_yaxis()
        ax.set_title(title, fontsize=7)
        if len(idx) > 1:
            ax.legend(fontsize=6)
        sdump = {k: {n: float(v) for n, v in d.items()} for k, d in idx.items()}
    if len(groups) > 1 and sp:
        handles, labels = fig.axes[0].get_legend_handles_labels()
        title = ", ".join(factor_label(f) for f in fs) + " (lines: smoothed cell values)"
        if npan % ncol:  # a free slot at the end: the legend goes there
            lax = fig.add_subplot(gs[nrow - 1, npan % ncol:])
            lax.axis("off")
            lax.legend(handles, labels, loc="center", fontsize=6.5, title=title, handlelength=2.6)
        else:
            fig.axes[0].legend(handles, labels, fontsize=5.8, title=title, loc="best")
    if not sens:
        note(res, f"{col}: no sensitivity indices stored (/sensitivity/{col} or /variance/{col}); none drawn")
    suptitle(fig, res, col, f"{col_title(col)}: cell {'rates' if binary else 'means'} against the sampled parameters")
    extra = (f"Sampled design ({res.sampling()}): dots are cells ({res.ncells:,}); lines: Gaussian-kernel smooth "
             "of the cell values" + (" per factor combination." if len(groups) > 1 else "."))
    dump = {"kind": "sampled", "column": col, "sampled_parameters": sp, "points": points, "sensitivity": sdump}
    return fig, dump, extra


# ---------------------------------------------------------------------------------------
# Entry points
# ---------------------------------------------------------------------------------------
def plot(res, column, x=None, by=None, facet=None, max_per_cell=None, seed=None):
    """The figure of COLUMN (a column with cell statistics or a time-series name) for the
    result RES: (matplotlib figure, plotted points as a dict, footnote text)."""
    what = resolve(res, column)
    if what is None:
        raise KeyError(column)
    kw = dict(x=x, by=by, facet=facet, max_per_cell=max_per_cell, seed=seed)
    if what[0] == "series":
        return plot_series(res, column, **kw)
    if sampled_parameters(res) and not any(v is not None for v in (x, by, facet)):
        return plot_sampled(res, column)
    return plot_factorial(res, column, **kw)


def draw(res, column, outdir, base, written, formats=("png", "pdf"), dpi=300, **kw):
    """Draws COLUMN's figure into OUTDIR/BASE.{png,pdf} with the provenance footnote; the
    plotted points (for --dump)."""
    fig, dump, extra = plot(res, column, **kw)
    fig.text(0.0, -0.005, footnote(res, extra, fig.get_figwidth()), ha="left", va="top", fontsize=5.5, color="0.3",
             transform=fig.transFigure)
    paths = write(fig, outdir, base, dpi=dpi, formats=formats, bbox_inches="tight", pad_inches=0.05)
    written.extend(paths)
    print(f"figures: wrote {', '.join(paths)} ({res.path})")
    dump["figure"] = base
    dump["files"] = paths
    return dump

