"""Where does a verdict change? Threshold curves (each threshold of a derived classification
over its whole range) and sweeps (a claim evaluated at every level of a factor, e.g. the
deference assumption or the horizon): estimate, interval, margin, and the verdict at each
point as the marker."""
from __future__ import annotations

import math

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.lines import Line2D

from .frame import save
from .style import FIG_WIDTH
from .verdicts import VERDICT_STYLE, verdict_points

CODE = {0: "supported", 1: "not supported", 2: "inconclusive"}


def _legend(fig):
    handles = [Line2D([], [], **verdict_points(st), label=st["label"]) for st in VERDICT_STYLE.values()]
    handles.append(Line2D([], [], color="0.4", linestyle="--", label="threshold or margin of the claim"))
    fig.legend(handles=handles, loc="lower center", ncol=len(handles), bbox_to_anchor=(0.5, 1.0), frameon=False)


def _grid(n: int):
    cols = min(3, n)
    rows = math.ceil(n / cols)
    return rows, cols


def figure_threshold_curves(res, outdir: str, base: str, written: list) -> bool:
    """One panel per (claim, threshold): the claim's estimate as the threshold moves over its
    whole range, the verdict at each value as the marker. False when the file has no curves."""
    curves = res.threshold_curves()
    panels = [(t, cid, d) for t, cur in curves.items() for cid, d in cur["claims"].items()]
    if not panels:
        return False
    rows, cols = _grid(len(panels))
    fig, axes = plt.subplots(rows, cols, figsize=(FIG_WIDTH, 1.9 * rows + 0.5), squeeze=False, constrained_layout=True)
    for ax, (t, cid, d) in zip(axes.ravel(), panels):
        x = curves[t]["value"]
        ax.plot(x, d["estimate"], color="0.6", lw=0.8, zorder=1)
        for code, name in CODE.items():
            m = d["verdict"] == code
            if m.any():
                st = VERDICT_STYLE[name]
                ax.plot(
                    x[m],
                    d["estimate"][m],
                    **verdict_points(st),
                    ms=3.5,
                    zorder=2,
                )
        if d["test"] in ("above", "below"):
            ax.axhline(d["value"], color="0.4", ls="--", lw=0.8)
        ax.set_title(cid, fontsize=6.5)
        ax.set_xlabel(t)
        ax.set_ylabel("estimate")
    for ax in axes.ravel()[len(panels) :]:
        ax.axis("off")
    _legend(fig)
    save(
        fig,
        res,
        outdir,
        base,
        "Each threshold varied over its whole range, the other at its configured value.",
        written,
    )
    return True


def figure_sweeps(res, outdir: str, base: str, written: list) -> bool:
    """One panel per swept claim: estimate and interval at each level of the swept factor,
    the verdict as the marker, the claim's threshold or margin dashed."""
    sweeps = res.sweeps()
    if not sweeps:
        return False
    rows, cols = _grid(len(sweeps))
    fig, axes = plt.subplots(rows, cols, figsize=(FIG_WIDTH, 2.0 * rows + 0.5), squeeze=False, constrained_layout=True)
    for ax, (name, s) in zip(axes.ravel(), sweeps.items()):
        try:
            x = np.array([float(v) for v in s["levels"]])
            ticks = None
        except ValueError:
            x, ticks = np.arange(len(s["levels"])), s["levels"]
        est, lo, hi = s["estimate"], s["ci_low"], s["ci_high"]
        ax.plot(x, est, color="0.6", lw=0.8, zorder=1)
        ax.vlines(x, lo, hi, color="0.3", lw=0.8, zorder=1)
        for i, v in enumerate(s["verdict"]):
            st = VERDICT_STYLE.get(v, VERDICT_STYLE["inconclusive"])
            ax.plot(
                [x[i]],
                [est[i]],
                **verdict_points(st),
                ms=4,
                zorder=2,
            )
        v = s["value"]
        if s["test"] == "equivalent":
            for y in (-abs(v), abs(v)):
                ax.axhline(y, color="0.4", ls="--", lw=0.8)
        else:
            ax.axhline(v, color="0.4", ls="--", lw=0.8)
        if ticks is not None:
            ax.set_xticks(x, ticks)
        ax.set_title(name, fontsize=6.5)
        ax.set_xlabel(s["factor"])
        ax.set_ylabel(s["column"], fontsize=6)
    for ax in axes.ravel()[len(sweeps) :]:
        ax.axis("off")
    _legend(fig)
    save(
        fig, res, outdir, base, "Each claim evaluated at every level of the swept factor (Holm over the file).", written
    )
    return True
