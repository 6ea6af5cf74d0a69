"""Column figures of sampled designs (random, Latin hypercube): cell means against each
sampled parameter with a kernel-smoothed trend per factor combination, and the sensitivity
indices (or variance shares) the file stores."""
from __future__ import annotations

import itertools
import math

import matplotlib.pyplot as plt
import numpy as np

from .design import fmt_level, level_mask, levels, sampled_parameters
from .frame import fit_ylim, note, rate_axis
from .layout import suptitle, varying_factors
from .style import FIG_WIDTH, HATCHES, LINESTYLES, MARKERS, PALETTE, col_label, col_title, factor_label


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
    points = [
        {
            "cells": [i],
            "params": {p: float(res.param(p)[i]) for p in sp},
            "estimate": float(y[i]),
            "low": float(lo[i]),
            "high": float(hi[i]),
            "interval": "stored",
        }
        for i in range(res.ncells)
    ]
    for k, p in enumerate(sp):
        ax = fig.add_subplot(gs[k // ncol, k % ncol])
        xv = res.param(p)
        for g, (label, m) in enumerate(groups):
            c = PALETTE[g % len(PALETTE)]
            ax.scatter(xv[m], y[m], s=6, color=c, marker=MARKERS[g % len(MARKERS)], alpha=0.45, lw=0)
            gx, gy = kernel_trend(xv[m], y[m])
            if gx is not None:
                ax.plot(gx, gy, color=c, ls=LINESTYLES[g % len(LINESTYLES)], lw=1.5, label=label if k == 0 else None)
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
            ax.barh(
                np.arange(len(names)) + (j - (len(idx) - 1) / 2) * h,
                np.nan_to_num(vals),
                height=h * 0.9,
                color=PALETTE[j % len(PALETTE)],
                hatch=HATCHES[j % len(HATCHES)],
                label=iname,
                edgecolor="white" if j == 0 else "black",
                lw=0.4,
            )
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
            lax = fig.add_subplot(gs[nrow - 1, npan % ncol :])
            lax.axis("off")
            lax.legend(handles, labels, loc="center", fontsize=6.5, title=title, handlelength=2.6)
        else:
            fig.axes[0].legend(handles, labels, fontsize=5.8, title=title, loc="best")
    if not sens:
        note(res, f"{col}: no sensitivity indices stored (/sensitivity/{col} or /variance/{col}); none drawn")
    suptitle(fig, res, col, f"{col_title(col)}: cell {'rates' if binary else 'means'} against the sampled parameters")
    extra = (
        f"Sampled design ({res.sampling()}): dots are cells ({res.ncells:,}); lines: Gaussian-kernel smooth "
        "of the cell values" + (" per factor combination." if len(groups) > 1 else ".")
    )
    dump = {"kind": "sampled", "column": col, "sampled_parameters": sp, "points": points, "sensitivity": sdump}
    return fig, dump, extra
