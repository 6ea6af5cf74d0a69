"""Figure 4 (the structure sweep, a Latin-hypercube design): variance shares, rate against
control and collaboration, rate by structure."""
from __future__ import annotations

import math
import textwrap

import matplotlib.pyplot as plt
import numpy as np

from .design import first_binary, sampled_parameters, series_by
from .frame import errorbar, nan_note, rate_axis, save
from .stats import pooled_rate
from .style import COLUMN_LABEL, FACTOR_LABEL, FIG_WIDTH, HATCHES, LINESTYLES, MARKERS, PALETTE, col_label, col_title

FACTOR_ORDER = ["structure", "span", "tie_within", "tie_across", "control", "aligned", "proactive", "collaborative"]


def binned_line(ax, x, y, st, nbins=8):
    ok = np.isfinite(x) & np.isfinite(y)
    x, y = x[ok], y[ok]
    if x.size < 2 * nbins:
        return
    edges = np.unique(np.quantile(x, np.linspace(0, 1, nbins + 1)))
    if edges.size < 3:
        return
    which = np.clip(np.searchsorted(edges, x, side="right") - 1, 0, edges.size - 2)
    xm = [x[which == b].mean() for b in range(edges.size - 1) if np.any(which == b)]
    ym = [y[which == b].mean() for b in range(edges.size - 1) if np.any(which == b)]
    ax.plot(
        xm,
        ym,
        color=st["color"],
        ls=st["ls"],
        lw=1.5,
        marker=st["marker"],
        ms=3.5,
        mfc="white",
        mec=st["color"],
        zorder=5,
    )


def figure_structure(res, outdir: str, base: str, written: list):
    col = "distributed" if res.has_stat("distributed", "rate") else first_binary(res)
    var = res.variance()
    snames, slv, series = series_by(res, ["structure"])
    sstyles = [
        dict(color=PALETTE[i % len(PALETTE)], marker=MARKERS[i % len(MARKERS)], ls=LINESTYLES[i % 4])
        for i in range(len(series))
    ]
    fig = plt.figure(figsize=(FIG_WIDTH, 6.9), layout="constrained")
    outer = fig.add_gridspec(2, 1, height_ratios=[0.5, 6.4])
    gs = outer[1].subgridspec(2, 2)
    top = outer[0].subgridspec(1, 2)
    vax = fig.add_subplot(top[0, 0])  # the outcomes' legend of (a)
    lax = fig.add_subplot(top[0, 1])  # the structures' legend, shared by (b)-(d)
    vax.axis("off")
    lax.axis("off")
    # (a) variance shares
    ax = fig.add_subplot(gs[0, 0])
    if var:
        names = []
        for fs, _, _ in var.values():
            for f in fs:
                if f not in names:
                    names.append(f)
        names.sort(key=lambda f: (FACTOR_ORDER.index(f) if f in FACTOR_ORDER else len(FACTOR_ORDER), f))
        ncol = len(var)
        h = 0.8 / ncol
        for j, (vcol, (fs, eta, unexpl)) in enumerate(var.items()):
            d = dict(zip(fs, eta))
            y = np.arange(len(names)) + (j - (ncol - 1) / 2) * h
            vals = np.array([d.get(f, np.nan) for f in names], float)
            lab = vcol + (f" (unexplained {100 * unexpl:.0f}%)" if np.isfinite(unexpl) else "")
            ax.barh(
                y,
                np.nan_to_num(vals),
                height=h * 0.9,
                color=PALETTE[j % len(PALETTE)],
                hatch=HATCHES[j % len(HATCHES)],
                edgecolor="white" if j == 0 else "black",
                linewidth=0.4,
                label=lab,
            )
        ax.set_yticks(range(len(names)))
        ax.set_yticklabels([FACTOR_LABEL.get(f, f) for f in names])
        ax.invert_yaxis()
        ax.set_xlim(left=0)
        ax.set_xlabel("main-effect share of variance\n(η² = first-order Sobol index)")
        vax.legend(*ax.get_legend_handles_labels(), loc="center", title="(a) outcome", fontsize=6, ncol=1)
        ax.grid(axis="x", color="0.92", lw=0.5)
        # separate structure-related factors from qualities and control
        nstruct = sum(f in ("structure", "span", "tie_within", "tie_across") for f in names)
        if 0 < nstruct < len(names):
            ax.axhline(nstruct - 0.5, color="0.6", lw=0.6, ls=":")
    else:
        ax.text(
            0.5,
            0.5,
            "no variance decomposition\nin this file (/variance)",
            transform=ax.transAxes,
            ha="center",
            va="center",
            color="0.4",
        )
        ax.set_xticks([])
        ax.set_yticks([])
    ax.set_title("(a) What explains the outcomes: variance shares", fontsize=8)
    rate = res.stat(col, "rate")
    # (b), (c) rate against control and mean collaboration
    xs = []
    if res.param("control") is not None:
        xs.append(("control", res.param("control"), FACTOR_LABEL["control"] + " κ (0–1)"))
    if res.has_stat("mean_collaborative"):
        xs.append(("mean_collaborative", res.stat("mean_collaborative", "mean"), COLUMN_LABEL["mean_collaborative"]))
    elif res.param("collaborative") is not None:
        xs.append(("collaborative", res.param("collaborative"), "collaboration profile (0–1)"))
    slots = [gs[0, 1], gs[1, 0]]
    letters = iter("bcd")
    for (xname, x, xlabel), slot in zip(xs, slots):
        ax = fig.add_subplot(slot)
        for (label, smask, _), st in zip(series, sstyles):
            ax.scatter(x[smask], rate[smask], s=5, color=st["color"], marker=st["marker"], alpha=0.35, lw=0, label=None)
            binned_line(ax, x[smask], rate[smask], st)
            ax.plot([], [], color=st["color"], ls=st["ls"], marker=st["marker"], mfc="white", label=label)
        rate_axis(ax)
        ax.set_xlabel(xlabel)
        ax.set_ylabel(col_label(res, col))
        nan_note(ax, rate)
        ax.set_title(
            f"({next(letters)}) {col_title(col)} vs {'control' if xname == 'control' else 'collaboration'}", fontsize=8
        )
        ax.grid(color="0.94", lw=0.5)
        if xname == "control":
            lax.legend(
                *ax.get_legend_handles_labels(),
                loc="center",
                ncol=math.ceil(len(series) / 2),
                fontsize=6,
                title="(b)–(d) structure generator (dots: cells; lines: binned means)",
                columnspacing=1.0,
                handlelength=2.2,
            )
    # (d) rate by structure, pooled over the sampled points
    ax = fig.add_subplot(gs[1, 1])
    for i, ((label, smask, _), st) in enumerate(zip(series, sstyles)):
        r, lo, hi = pooled_rate(res, col, smask)
        ax.bar(
            i,
            0 if not np.isfinite(r) else r,
            color=st["color"],
            hatch=HATCHES[i % len(HATCHES)],
            edgecolor="white" if i == 0 else "black",
            lw=0.4,
            width=0.7,
        )
        errorbar(ax, [i], [r], [lo], [hi], fmt="none", ecolor="black", elinewidth=0.9, capsize=3)
        if np.isfinite(r):
            ax.text(i, (hi if np.isfinite(hi) else r) + 0.02, f"{r:.3f}", ha="center", va="bottom", fontsize=6)
    ax.set_xticks(range(len(series)))
    ax.set_xticklabels([textwrap.fill(s[0], 12) for s in series], fontsize=6.5, linespacing=0.95)
    rate_axis(ax)
    ax.set_ylabel(col_label(res, col))
    ax.set_xlabel("structure generator")
    ax.set_title(f"({next(letters)}) {col_title(col)} by structure", fontsize=8)
    ax.grid(axis="y", color="0.92", lw=0.5)
    sp = sampled_parameters(res)
    extra = (
        f"Latin-hypercube sample over {', '.join(sp)}; " if sp else ""
    ) + "(d) pools every cell of a structure (rate and Wilson interval over all its organizations)."
    save(fig, res, outdir, base, extra, written)
