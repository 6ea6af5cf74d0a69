"""The calibration of an experiment by rejection ABC ([calibration]; tribe.Result.calibration):
where the model comes closest to the empirical patterns.

Top row: each calibrated assumption's prior draws (grey) and accepted points (dark), as
histograms on the prior range, with the accepted median and credible interval. Bottom
row: each pattern's statistic at every calibration point against the assumption that
moves it most (η² of its estimate on the assumption's deciles), the band shaded, the
accepted points dark.
"""
from __future__ import annotations

import math
import textwrap

import matplotlib.pyplot as plt
import numpy as np

from .frame import save
from .space import influence
from .style import FIG_WIDTH


def figure_calibration(res, outdir: str, base: str, written: list) -> None:
    cal = res.calibration()
    if cal is None:
        return
    points, marg, pats = cal.points, cal.marginals, cal.patterns
    acc = points["accepted"].to_numpy(bool)
    names = [str(n) for n in marg["parameter"]]
    ids = [str(i) for i in pats["pattern"]]
    bands = {}
    table = res.r.patterns
    for _, row in table.iterrows():
        bands[str(row["id"])] = (float(row["value"]), float(row["value_high"]))
    ncol = max(len(names), len(ids))
    ncol = min(ncol, 8)
    rows_top = math.ceil(len(names) / ncol)
    rows_bottom = math.ceil(len(ids) / ncol)
    fig, axes = plt.subplots(
        rows_top + rows_bottom, ncol, figsize=(FIG_WIDTH * 1.6, 1.45 * (rows_top + rows_bottom)), squeeze=False
    )
    for ax in axes.ravel():
        ax.set_visible(False)
    for k, n in enumerate(names):
        ax = axes[k // ncol][k % ncol]
        ax.set_visible(True)
        x = points[f"value_{n}"].to_numpy(float)
        lo, hi = float(marg["prior_low"][k]), float(marg["prior_high"][k])
        bins = np.linspace(lo, hi, 11)
        ax.hist(x, bins=bins, color="0.8", label="prior draws")
        ax.hist(x[acc], bins=bins, color="0.15", label="accepted")
        med, clo, chi = (float(marg[c][k]) for c in ("median", "credible_low", "credible_high"))
        if np.isfinite(med):  # the accepted median and credible interval, above the bars
            top = ax.get_ylim()[1] * 1.06
            ax.plot([clo, chi], [top, top], color="C3", lw=1.5, solid_capstyle="butt")
            ax.plot([med], [top], "o", color="C3", ms=3)
            ax.set_ylim(0, top * 1.08)
        ax.set_title(n, fontsize=7)
        ax.tick_params(labelsize=6)
        if k == 0:
            ax.legend(fontsize=5.5, frameon=False)
    for j, pid in enumerate(ids):
        ax = axes[rows_top + j // ncol][j % ncol]
        ax.set_visible(True)
        y = points[f"estimate_{pid}"].to_numpy(float)
        eta = {n: influence(points[f"value_{n}"].to_numpy(float), y) for n in names}
        best = max(names, key=lambda n: eta[n])
        x = points[f"value_{best}"].to_numpy(float)
        if pid in bands:
            ax.axhspan(*bands[pid], color="C2", alpha=0.18, lw=0)
        ax.scatter(x[~acc], y[~acc], s=3, color="0.6", lw=0)
        ax.scatter(x[acc], y[acc], s=6, color="0.1", lw=0)
        ax.set_xlabel(f"{best} (η² {eta[best]:.2f})", fontsize=6)
        ax.set_title(textwrap.fill(pid.replace("-", " "), 26), fontsize=6)
        ax.tick_params(labelsize=6)
    fig.suptitle(
        f"{res.name}: rejection ABC, {int(acc.sum())} of {len(acc)} points accepted " f"({cal.attrs.get('rule', '')})",
        fontsize=7.5,
    )
    fig.tight_layout()
    save(fig, res, outdir, base, "calibration: prior draws and accepted points; patterns' bands shaded", written)
    plt.close(fig)
