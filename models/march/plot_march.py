#!/usr/bin/python3
"""Plots the March (1991) reproductions next to the reference curves.

Usage: /usr/bin/python3 models/march/plot_march.py RESULT.h5 [RESULT.h5 ...] [-o OUTDIR]

Each file is recognised by its factors (p1 and superior_by or code_update vary: Figure 1
under the two reconstructions of the original program, march_fig1_rules.toml; p1 varies:
Figure 1; otherwise Figure 3). Every
point is the cell mean with its 95% interval (`tribe.open(FILE).cells`: <column>_mean,
_ci_low, _ci_high), drawn against the cell's parameters. Reference curves are drawn dashed
and labelled with their source (see REFERENCE below and models/march/docking-march.md).
Writes <OUTDIR>/<experiment>.png and .pdf (default OUTDIR: results/figures).
A file that is not a complete tribe result of the march model, or not of Figure 1 or 3, is
refused with a one-line message and exit status 2, before anything is drawn.
"""
import argparse
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from tribe.plot.frame import write  # noqa: E402
from tribe.plot.read import exit_refused, open_or_exit  # noqa: E402
from tribe.plot.style import OI  # noqa: E402  (Okabe-Ito palette)

P2_COLOURS = {0.1: OI["orange"], 0.5: OI["blue"], 0.9: OI["green"]}

P1_LEVELS = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9]

# Reference curve for Figure 1. March (1991) gives Figure 1 only as a plot (80 runs per
# point); no numbers are stated in the text. A search of stored copies of the paper (search
# corpus "pages") returned only its abstract, so the figure could not be read and NO
# published values are drawn. The dashed reference is the independent re-implementation of
# March's original algorithm by M. Workiewicz (github.com/Mac13kW/March_1991_Original, file
# Output/March_1991_p1_0.1-0.9_p2_0.1-0.9_p3_0_p4_0_t_limit_100_i_10000.csv: 10,000 runs
# per point, same rules and the same knowledge measure sum(code x reality) / m), whose
# author reports that it reproduces March's Figure 1. It is NOT the published curve. Put
# values digitized from the paper's figure into PUBLISHED_FIG1 (drawn dotted, labelled
# "read from figure") when a copy is at hand (models/march/docking-march.md, "Published results").
REFERENCE_FIG1_LABEL = "Workiewicz re-implementation (10,000 runs), not read from the paper"
REFERENCE_FIG1 = {
    0.1: [0.8633, 0.8171, 0.8051, 0.8021, 0.7994, 0.8032, 0.8060, 0.8090, 0.8132],
    0.5: [0.9543, 0.9088, 0.8691, 0.8371, 0.8106, 0.7867, 0.7679, 0.7540, 0.7421],
    0.9: [0.9724, 0.9404, 0.9081, 0.8737, 0.8401, 0.8067, 0.7796, 0.7561, 0.7284],
}
# Points read from March (1991) Figure 1: {p2: [knowledge at p1 = 0.1 ... 0.9]}. Empty on
# purpose: the paper states no numbers for Figure 1 in its text and its figure could not be
# consulted; never fill this from memory or from a re-implementation.
PUBLISHED_FIG1 = {}


def cell_table(res, columns):
    params = {k: res.param(k) for k in res.parameter_names()}
    stats = {c: tuple(res.stat(c, k) for k in ("mean", "ci_low", "ci_high")) for c in columns}
    return params, stats


def errorbars(ax, x, mean, lo, hi, **kw):
    yerr = np.vstack([mean - lo, hi - mean])
    ax.errorbar(x, mean, yerr=yerr, capsize=2.5, marker="o", markersize=4, linewidth=1.5, **kw)


def curve_at(ax, curves, level, **kw):
    """The curve of CURVES ({p2: knowledge at each of P1_LEVELS}) for p2 = LEVEL, where it has
    one (the reference and the published curves of Figure 1)."""
    if level in curves:
        ax.plot(P1_LEVELS, curves[level], **kw)


def plot_fig1(res, out):
    params, stats = cell_table(res, ["knowledge_code_equilibrium"])
    mean, lo, hi = stats["knowledge_code_equilibrium"]
    p1, p2 = params["p1"], params["p2"]
    fig, ax = plt.subplots(figsize=(6.4, 4.6))
    for level in sorted(set(np.round(p2, 6))):
        sel = np.isclose(p2, level)
        order = np.argsort(p1[sel])
        colour = P2_COLOURS.get(level, OI["purple"])
        errorbars(
            ax,
            p1[sel][order],
            mean[sel][order],
            lo[sel][order],
            hi[sel][order],
            color=colour,
            label=f"tribe, p2 = {level:g} (95% CI)",
        )
        curve_at(
            ax,
            REFERENCE_FIG1,
            level,
            linestyle="--",
            color=colour,
            linewidth=1,
            alpha=0.8,
            label=f"reference, p2 = {level:g}",
        )
        curve_at(
            ax,
            PUBLISHED_FIG1,
            level,
            linestyle=":",
            marker="x",
            color=colour,
            label=f"March 1991 Fig. 1 (read from figure), p2 = {level:g}",
        )
    ax.set_xlabel("socialization rate p1")
    ax.set_ylabel("equilibrium knowledge of the code")
    title = "March (1991) Figure 1: m = 30, n = 50, p3 = p4 = 0"
    ax.set_title(title, fontsize=10)
    ax.text(0.01, 0.01, "dashed: " + REFERENCE_FIG1_LABEL, transform=ax.transAxes, fontsize=7, color="0.3")
    ax.legend(fontsize=7, ncol=2, loc="upper right")
    ax.grid(alpha=0.3)
    save(fig, out, "march_fig1")


def plot_fig3(res, out):
    cols = ["knowledge_code_at_period", "knowledge_individuals_at_period"]
    params, stats = cell_table(res, cols)
    share = params["fast_share"]
    order = np.argsort(share)
    fig, ax = plt.subplots(figsize=(6.4, 4.6))
    labels = {
        "knowledge_code_at_period": ("code", OI["blue"]),
        "knowledge_individuals_at_period": ("average individual", OI["vermillion"]),
    }
    for c in cols:
        mean, lo, hi = stats[c]
        name, colour = labels[c]
        errorbars(
            ax, share[order] * 50, mean[order], lo[order], hi[order], color=colour, label=f"tribe, {name} (95% CI)"
        )
    ax.set_xlabel("number of fast learners (p1 = 0.9) among n = 50; the others p1 = 0.1")
    ax.set_ylabel("knowledge at period 20")
    ax.set_title("March (1991) Figure 3: p2 = 0.5, m = 30, period 20", fontsize=10)
    ax.text(
        0.01,
        0.01,
        "no published or reference values drawn (not available)",
        transform=ax.transAxes,
        fontsize=7,
        color="0.3",
    )
    ax.legend(fontsize=8)
    ax.grid(alpha=0.3)
    save(fig, out, "march_fig3")


RULES = [
    ("actions", "adopt", "actions, adopt (issue; Christensen)", OI["blue"], "-", "o"),
    ("actions", "step", "actions, step", OI["skyblue"], "-.", "^"),
    ("beliefs", "adopt", "beliefs, adopt", OI["orange"], ":", "D"),
    ("beliefs", "step", "beliefs, step (BASIC; Watts)", OI["vermillion"], "--", "s"),
]


def text_param(res, name):
    d = res.param(name)
    return d.astype(str) if d.dtype.kind in "SO" else d


def plot_fig1_rules(res, out):
    params, stats = cell_table(res, ["knowledge_code_equilibrium"])
    mean, lo, hi = stats["knowledge_code_equilibrium"]
    p1, p2 = params["p1"], params["p2"]
    by, update = text_param(res, "superior_by"), text_param(res, "code_update")
    levels = sorted(set(np.round(p2, 6)))
    fig, axes = plt.subplots(1, len(levels), figsize=(3.0 * len(levels), 3.4), sharey=True)
    axes = np.atleast_1d(axes)
    print("equilibrium knowledge of the code, sum(c r)/m, per rule set " "(superior_by, code_update):")
    for ax, level in zip(axes, levels):
        for sb, cu, label, colour, ls, marker in RULES:
            sel = np.isclose(p2, level) & (by == sb) & (update == cu)
            if not sel.any():
                continue
            order = np.argsort(p1[sel])
            x = p1[sel][order]
            m, l, h = mean[sel][order], lo[sel][order], hi[sel][order]
            ax.errorbar(
                x,
                m,
                yerr=np.vstack([m - l, h - m]),
                capsize=2,
                marker=marker,
                markersize=3.5,
                linewidth=1.3,
                linestyle=ls,
                color=colour,
                label=label,
            )
            print(f"  p2 = {level:g}, {sb}/{cu}: " + "  ".join(f"{a:g}:{b:.3f}" for a, b in zip(x, m)))
        curve_at(
            ax,
            REFERENCE_FIG1,
            level,
            linestyle=(0, (1, 1)),
            color=OI["black"],
            linewidth=1,
            label="Workiewicz (actions, adopt)",
        )
        ax.set_title(f"p2 = {level:g}", fontsize=9)
        ax.set_xlabel("socialization rate p1")
        ax.grid(alpha=0.3)
    axes[0].set_ylabel("equilibrium knowledge of the code")
    axes[0].legend(fontsize=6, loc="lower left")
    fig.suptitle("March (1991) Figure 1 under two reconstructions of the original program (95% CIs)", fontsize=9)
    save(fig, out, "march_fig1_rules")


def save(fig, out, stem):
    fig.tight_layout()
    for path in write(fig, out, stem, dpi=150):
        print(path)


def fail(msg):
    exit_refused("plot_march", msg)


def open_result(path):
    return open_or_exit(path, "march", "plot_march")


def varies(res, name):
    values = res.param(name)
    return values is not None and len(set(values.tolist())) > 1


def figure_of(path, res):
    if varies(res, "p1") and (varies(res, "superior_by") or varies(res, "code_update")):
        return plot_fig1_rules
    if varies(res, "p1") and res.param("p2") is not None:
        return plot_fig1
    if res.param("fast_share") is not None:
        return plot_fig3
    fail(f"{path}: not a March Figure 1 or 3 experiment ({res.name})")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("files", nargs="+")
    ap.add_argument("-o", "--outdir", default="results/figures")
    args = ap.parse_args()
    # Every file is checked before anything is drawn.
    plots = []
    for path in args.files:
        res = open_result(path)
        plots.append((figure_of(path, res), res))
    for plot, res in plots:
        plot(res, args.outdir)
        res.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
