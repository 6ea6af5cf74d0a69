"""Column figures of factorial designs: cell means with the stored intervals against the
first factor, a line per level of the second, a row of panels per level of the third,
and the distribution over organizations beside them (rates only, for binary columns)."""
from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.lines import Line2D

from .design import level_mask, levels
from .frame import estimates, fit_ylim, nan_note, rate_axis
from .layout import Axis, distributions, drawn, level_text, missing_note, pool_values, quantiles, roles, style, suptitle
from .stats import pooled
from .style import FIG_WIDTH, col_label, col_title, factor_label


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
    v = (
        np.concatenate([x for x in all_values if x.size] + [np.asarray(extra, float)])
        if all_values
        else np.asarray(extra, float)
    )
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
                points.append(
                    {
                        "cells": cells.tolist(),
                        "x": xv,
                        "by": bv,
                        "facet": fv,
                        "estimate": e[0],
                        "low": e[1],
                        "high": e[2],
                        "interval": "stored" if cells.size == 1 else "pooled",
                    }
                )
                if values is not None:
                    v = pool_values(values, mask)
                    dvals.append(v)
                    dmeans.append(e[0])
                    violin(dax, axis.pos[xi] + voffs[s], v, vwidth * 0.92, st)
                    dax.plot(
                        [axis.pos[xi] + voffs[s] - vwidth * 0.3, axis.pos[xi] + voffs[s] + vwidth * 0.3],
                        [e[0], e[0]],
                        color=st["color"],
                        lw=1.4,
                        zorder=5,
                    )
                    dists.append(
                        {
                            "cells": cells.tolist(),
                            "x": xv,
                            "by": bv,
                            "facet": fv,
                            "n": int(v.size),
                            "sampled": bool(sampled),
                            **quantiles(v),
                        }
                    )
            y, lo, hi = (np.array(z, float) for z in zip(*est))
            label = level_text(byf, bv) if byf else None
            if not np.any(np.isfinite(y)):  # nothing defined in this series (e.g. all NaN)
                continue
            estimates(
                ax,
                axis.pos + dodge[s],
                y,
                lo,
                hi,
                st,
                ls=st["ls"] if axis.numeric else "none",
                ms=4.5,
                capsize=2.5,
                label=label,
                lw=1.1,
            )
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
        ax.set_title(
            title + (f" — {level_text(facetf, fv)}" if facetf else ""),
            fontsize=7.5,
            pad=13 if (r == 0 and not binary) else 6,
        )
        if dax is not None:
            axis.setup(dax)
            dax.set_ylabel(col_label(res, col))
            dax.grid(axis="y", color="0.92", lw=0.5)
            dax.set_axisbelow(True)
            dax.set_title(
                "distribution over organizations" + (f" — {level_text(facetf, fv)}" if facetf else ""),
                fontsize=7.5,
                pad=13 if r == 0 else 6,
            )
    if binary:
        rate_axis(mean_axes[0])
    else:
        fit_ylim(mean_axes[0], all_lows, all_highs)
    cut_note = robust_ylim(dist_axes[0], all_dvals, all_dmeans) if dist_axes else ""
    if dist_axes:
        keys = [
            Line2D([], [], color="0.4", lw=1.4, label="mean"),
            Line2D([], [], ls="", marker="o", ms=2.6, mfc="white", mec="0.15", mew=0.5, label="median"),
            Line2D([], [], color="0.15", lw=2.2, label="quartiles"),
        ]
        dist_axes[0].legend(
            handles=keys,
            loc="lower left",
            bbox_to_anchor=(0.0, 1.0),
            fontsize=6,
            handlelength=1.2,
            ncol=3,
            columnspacing=1.0,
            borderaxespad=0.1,
        )
    if byf and mean_axes[0].get_legend_handles_labels()[0]:
        mean_axes[0].legend(loc="best", fontsize=6.5, title=None, handlelength=2.2)
    sup = (
        f"{col_title(col)} by {factor_label(xf) if xf else 'cell'}"
        + (f" and {factor_label(byf)}" if byf else "")
        + (f", per {factor_label(facetf)}" if facetf else "")
    )
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
    roles_drawn = {"x": xf, "by": byf, "facet": facetf}
    return drawn(
        fig, extra, "rates" if binary else "means", col, roles_drawn, pooled_over, points, dists, sampled, seed
    )
