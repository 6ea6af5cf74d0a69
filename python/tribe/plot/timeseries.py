"""Column figures of time series (columns NAME_t000, NAME_t001, ...): the mean curve with its
stored interval band per series, and the organizations' median and 10-90% band."""
from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np

from .design import level_mask, levels
from .frame import rate_axis
from .layout import drawn, level_text, missing_note, pool_values, quantiles, roles, sample_bound, suptitle, time_series
from .stats import pooled
from .style import COLUMN_LABEL, FIG_WIDTH, LINESTYLES, PALETTE, col_title


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
                    points.append(
                        {
                            "cells": cells.tolist(),
                            "column": c,
                            "t": int(t),
                            "series": [v1, v2],
                            "facet": v3,
                            "estimate": float(e[0]),
                            "low": float(e[1]),
                            "high": float(e[2]),
                            "interval": "stored" if cells.size == 1 else "pooled",
                        }
                    )
                    v = pool_values([x[np.isfinite(x)] for x in org[c]], mask)
                    qs.append(np.quantile(v, [0.1, 0.5, 0.9]) if v.size else [np.nan] * 3)
                    dists.append(
                        {
                            "cells": cells.tolist(),
                            "column": c,
                            "t": int(t),
                            "series": [v1, v2],
                            "facet": v3,
                            "n": int(v.size),
                            **quantiles(v),
                        }
                    )
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
    extra = [
        f"Columns {members[0][1]} … {members[-1][1]}; bands: the engine's stored intervals per column"
        + (f", pooled over {', '.join(pooled_over)}" if pooled_over else "")
        + "."
    ]
    extra.append(missing_note(res, [c for _, c in members]))
    if sampled_any:
        extra.append(f"Organizations: a uniform sample of at most {per:,} per cell (seed {seed}).")
    roles_drawn = {"series_factors": [f1, f2], "facet": f3}
    return drawn(fig, extra, "series", base, roles_drawn, pooled_over, points, dists, sampled_any, seed)
