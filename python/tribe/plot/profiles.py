"""Figures 1 and 2 (the claims and three-qualities experiments): outcomes per quality
profile, for each structure (and control level)."""
from __future__ import annotations

import math

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.legend_handler import HandlerTuple
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from .design import quality_profiles, series_by
from .frame import dodge, errorbar, estimates, fit_ylim, nan_note, present, rate_axis, save
from .stats import pooled
from .style import (
    FIG_WIDTH,
    FILLS,
    HATCHES,
    MARKERS,
    MINUS,
    PALETTE,
    QUALITY_LETTER,
    col_label,
    col_title,
)
from .verdicts import draw_verdicts


def profile_panel(ax, res, col: str, profiles, series, styles, kind="points"):
    """col per quality profile (x) for each series; rates with Wilson, means with t intervals."""
    width = 0.8 / max(len(series), 1)
    offs = dodge(len(series), min(0.66, 0.22 * (len(series) - 1)) if kind == "points" else 0.8 - width)
    lows, highs, ys = [], [], []
    for (label, smask, _), off, st in zip(series, offs, styles):
        vals = [pooled(res, col, pmask & smask) for _, pmask, _, _ in profiles]
        y, lo, hi = (np.array(v, float) for v in zip(*vals)) if vals else ([], [], [])
        x = np.arange(len(profiles)) + off
        if kind == "bars":
            ax.bar(
                x,
                np.nan_to_num(y),
                width=width * 0.92,
                color=st["color"],
                hatch=st["hatch"],
                edgecolor="white" if not st["hatch"] else "black",
                linewidth=0.4,
                label=label,
                alpha=0.9,
            )
            errorbar(ax, x, y, lo, hi, fmt="none", ecolor="black", elinewidth=0.8, capsize=1.8)
        else:
            estimates(ax, x, y, lo, hi, st, ls="none", label=label, ms=4.2)
        lows.extend(lo)
        highs.extend(hi)
        highs.extend(y)
        ys.extend(y)
    ax.set_xticks(np.arange(len(profiles)))
    ax.set_xticklabels([p[0] for p in profiles])
    if len(profiles) > 8:  # more than two levels somewhere: stack the labels
        stacked_profile_ticks(ax, profiles)
    ax.set_xlim(-0.6, len(profiles) - 0.4)
    # separators between groups with the same number of high qualities
    counts = [sum(i == p[3][q] for q, i in p[2].items()) for p in profiles]
    for k in range(1, len(counts)):
        if counts[k] != counts[k - 1]:
            ax.axvline(k - 0.5, color="0.85", lw=0.6, zorder=0)
    if res.is_binary(col):
        rate_axis(ax)
    else:
        fit_ylim(ax, lows + ys, highs)
    nan_note(ax, ys)
    ax.set_ylabel(col_label(res, col))
    ax.grid(axis="y", color="0.92", lw=0.5)
    ax.set_axisbelow(True)
    return lows


def stacked_profile_ticks(ax, profiles):
    """Profile labels stacked on three lines, for narrow panels."""
    ax.set_xticklabels([p[0].replace(" ", "\n") for p in profiles], fontsize=5.8, linespacing=0.95)
    ax.tick_params(axis="x", length=2, pad=1.5)


def profile_xlabel(qs):
    return "quality profile (" + ", ".join(f"{QUALITY_LETTER[q]} = {q}" for q in qs) + f"; + high, {MINUS} low)"


def structure_control_styles(snames, slv, series):
    """Colour and marker by structure, fill by control level."""
    styles = []
    for _, _, combo in series:
        d = dict(zip(snames, combo))
        si = d.get("structure", 0)
        ci = d.get("control", 0)
        nctl = len(slv[snames.index("control")]) if "control" in snames else 1
        fill = FILLS[0] if ci == 0 else FILLS[1] if ci == nctl - 1 else FILLS[2 + (ci % 2)]
        col = PALETTE[si % len(PALETTE)]
        styles.append(
            dict(
                color=col,
                marker=MARKERS[si % len(MARKERS)],
                mfc=col if fill == "full" else "white",
                hatch=HATCHES[(si + ci) % len(HATCHES)],
            )
        )
    return styles


# ---------------------------------------------------------------------------------------
# The claims figure (H1, H2)
# ---------------------------------------------------------------------------------------
def figure_claims(res, outdir: str, base: str, written: list):
    qs, _, profiles = quality_profiles(res)
    snames, slv, series = series_by(res, ["structure", "control"])
    styles = structure_control_styles(snames, slv, series)
    c = res.claims()
    nclaims = len(c["id"]) if c else 0
    second = present(res, ("leader_share", "queue_mean"), "claims figure, panels (b)-(c)")
    h = 2.9 + (2.3 if second else 0) + (0.7 + 0.40 * nclaims if nclaims else 0)
    fig = plt.figure(figsize=(FIG_WIDTH, h), layout="constrained")
    rows = [2.9] + ([2.3] if second else []) + ([0.7 + 0.40 * nclaims] if nclaims else [])
    gs = fig.add_gridspec(len(rows), 1, height_ratios=rows)
    ax = fig.add_subplot(gs[0])
    profile_panel(ax, res, "distributed", profiles, series, styles)
    ax.set_title("(a) Distributed leadership by quality profile, structure and upstream control")
    ax.set_xlabel(profile_xlabel(qs))
    ax.legend(loc="upper left", ncol=2, handletextpad=0.3)
    letters = iter("bcdefg")
    if second:
        sub = gs[1].subgridspec(1, len(second), wspace=0.08)
        for k, col in enumerate(second):
            a2 = fig.add_subplot(sub[0, k])
            profile_panel(a2, res, col, profiles, series, styles)
            a2.set_title(f"({next(letters)}) {col_title(col)}")
            stacked_profile_ticks(a2, profiles)
    if nclaims:
        draw_verdicts(fig, gs[len(rows) - 1], res, c, f"({next(letters)}) Claims H1–H2: estimate, interval, verdict")
    save(
        fig,
        res,
        outdir,
        base,
        "Filled markers: low upstream control; open markers: high. Profiles ordered by number of high qualities.",
        written,
    )


# ---------------------------------------------------------------------------------------
# The three-qualities chart (H4)
# ---------------------------------------------------------------------------------------
SIGNATURES = [  # column, the quality whose absence (with the other two high) the essay links to it
    ("conflicts_per_challenge", "collaborative"),
    ("misdirected_per_challenge", "aligned"),
    ("escalation_rate", "proactive"),
    ("queue_mean", None),
    ("failures_per_challenge", None),
    ("blame_per_challenge", None),
]


def figure_three_qualities(res, outdir: str, base: str, written: list):
    qs, _, profiles = quality_profiles(res)
    snames, slv, series = series_by(res, ["structure"])
    styles = [
        dict(
            color=PALETTE[i % len(PALETTE)],
            marker=MARKERS[i % len(MARKERS)],
            mfc=PALETTE[i % len(PALETTE)] if i == 0 else "white",
            hatch=HATCHES[i % len(HATCHES)],
        )
        for i in range(len(series))
    ]
    have = present(res, [col for col, _ in SIGNATURES], "three-qualities figure, signature panels")
    sigs = [(col, q) for col, q in SIGNATURES if col in have]
    ncol = 3
    nrow = math.ceil(len(sigs) / ncol)
    fig = plt.figure(figsize=(FIG_WIDTH, 2.8 + 2.05 * nrow), layout="constrained")
    gs = fig.add_gridspec(2, 1, height_ratios=[2.8, 2.05 * nrow] if nrow else [1, 0.01])
    ax = fig.add_subplot(gs[0])
    profile_panel(ax, res, "distributed", profiles, series, styles, kind="bars")
    ax.set_title("(a) Distributed leadership in the 2×2×2 table of the three qualities")
    ax.set_xlabel(profile_xlabel(qs))
    if len(series) > 1 or snames:
        hs = [
            (
                Patch(
                    facecolor=st["color"], hatch=st["hatch"], edgecolor="white" if not st["hatch"] else "black", lw=0.4
                ),
                Line2D([], [], ls="", marker=st["marker"], color=st["color"], mfc=st["mfc"]),
            )
            for st in styles
        ]
        ax.legend(
            hs,
            [s[0] for s in series],
            handler_map={tuple: HandlerTuple(ndivide=None, pad=0.4)},
            loc="upper left",
            title="structure (bars; markers in (b)–(g))",
            handlelength=2.6,
        )
    if sigs:
        sub = gs[1].subgridspec(nrow, ncol, wspace=0.06, hspace=0.08)
        for k, (col, q) in enumerate(sigs):
            a2 = fig.add_subplot(sub[k // ncol, k % ncol])
            if q in qs:  # shade the two-of-three profile missing quality q
                for j, p in enumerate(profiles):
                    idx = p[2]
                    if idx.get(q) == 0 and all(idx[o] == p[3][o] for o in qs if o != q):
                        a2.axvspan(j - 0.5, j + 0.5, color="0.5", alpha=0.15, lw=0, zorder=0)
            profile_panel(a2, res, col, profiles, series, styles)
            a2.set_title(f"({'bcdefghij'[k]}) {col_title(col)}", fontsize=8)
            stacked_profile_ticks(a2, profiles)
            a2.yaxis.label.set_size(6.8)
    save(
        fig,
        res,
        outdir,
        base,
        "(b)–(g): cell means of the distortion measures. Grey band: the two-of-three profile the essay "
        "associates with that distortion.",
        written,
    )
