"""Figure 3 (the hero experiment): outcomes with and without a hero for each heroic
mindset; hero dependence per organization; more Joes or better interactions."""
from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np

from .design import fmt_level, level_mask, levels, series_by
from .frame import dodge, errorbar, fit_ylim, nan_note, present, rate_axis, save
from .stats import pooled, pooled_rate
from .style import FIG_WIDTH, LINESTYLES, MARKERS, PALETTE, col_label, col_title


def figure_hero(res, outdir: str, base: str, written: list):
    hero = res.param("hero")
    hero_lv = levels(hero)
    dnames, dlv, dseries = series_by(res, ["hero_deference"])
    cols = present(
        res, ("solve_rate", "queue_mean", "front_line_initiative", "blame_per_challenge"), "hero figure, panels (a)-(d)"
    )
    has_h6 = all(f in res.factors for f in ("hero_managers", "collaborative")) and res.has_stat("distributed")
    fig = plt.figure(figsize=(FIG_WIDTH, 5.3), layout="constrained")
    gs = fig.add_gridspec(2, 1, height_ratios=[2.2, 2.6])
    top = gs[0].subgridspec(1, max(len(cols), 1), wspace=0.05)
    pooled_over = [f for f in res.factors if f not in ("hero", "hero_deference")]
    dstyles = [
        dict(color=PALETTE[i % len(PALETTE)], marker=MARKERS[i % len(MARKERS)], ls=LINESTYLES[i % 4])
        for i in range(len(dseries))
    ]
    xlabels = {0.0: "without\nhero", 1.0: "with\nhero"}
    letters = iter("abcdefgh")
    for k, col in enumerate(cols):
        ax = fig.add_subplot(top[0, k])
        offs = dodge(len(dseries), 0.18)
        lows, highs, ys = [], [], []
        for (label, dmask, combo), st, off in zip(dseries, dstyles, offs):
            vals = [pooled(res, col, dmask & level_mask(res, "hero", h)) for h in hero_lv]
            y, lo, hi = (np.array(v, float) for v in zip(*vals))
            lab = f"deference {fmt_level(dlv[0][combo[0]])}" if dnames else "all cells"
            errorbar(
                ax,
                np.arange(len(hero_lv)) + off,
                y,
                lo,
                hi,
                fmt=st["marker"],
                color=st["color"],
                ls=st["ls"],
                mfc=st["color"] if not combo or combo[0] == 0 else "white",
                mec=st["color"],
                label=lab,
                elinewidth=0.9,
            )
            lows.extend(lo)
            highs.extend(hi)
            ys.extend(y)
        ax.set_xticks(range(len(hero_lv)))
        ax.set_xticklabels([xlabels.get(h, fmt_level(h)) for h in hero_lv])
        ax.set_xlim(-0.5, len(hero_lv) - 0.5)
        if res.is_binary(col):
            rate_axis(ax)
        else:
            fit_ylim(ax, lows + ys, highs + ys)
        nan_note(ax, ys)
        ax.set_ylabel(col_label(res, col), fontsize=6.8)
        ax.set_title(f"({next(letters)}) {col_title(col)}", fontsize=8)
        ax.grid(axis="y", color="0.92", lw=0.5)
        if k == 0:
            ax.legend(title="heroic mindset" if dnames else None, loc="best")
    bottom = gs[1].subgridspec(1, 2 if has_h6 else 1, wspace=0.08, width_ratios=[1, 1] if has_h6 else [1])
    # hero dependence per organization, hero cells only
    ax = fig.add_subplot(bottom[0, 0])
    hd = res.org_column("hero_dependence")
    cell = res.org_column("cell")
    drawn = False
    if hd is not None and cell is not None and hero is not None:
        hd = hd.astype(float)
        hero_cells = np.isclose(hero, 1.0)
        finite_all = hd[np.isfinite(hd) & hero_cells[cell]]
        if finite_all.size:
            lo_e, hi_e = np.percentile(finite_all, [0.5, 99.5])
            lo_e, hi_e = min(lo_e, finite_all.min()), max(hi_e, finite_all.max())
            if hi_e <= lo_e:
                lo_e, hi_e = lo_e - 0.01, hi_e + 0.01
            nb = int(np.clip(2.5 * finite_all.size ** (1 / 3), 8, 40))  # fewer bins for small samples
            bins = np.linspace(lo_e, hi_e, nb + 1)
            for (label, dmask, combo), st in zip(dseries, dstyles):
                sel = hero_cells & dmask
                v = hd[sel[cell]]
                v = v[np.isfinite(v)]
                if not v.size:
                    continue
                lab = (f"{fmt_level(dlv[0][combo[0]])}: " if dnames else "") + f"mean {v.mean():.3f}, n = {v.size:,}"
                ax.hist(
                    v,
                    bins=bins,
                    histtype="step",
                    color=st["color"],
                    ls=st["ls"],
                    lw=1.3,
                    label=lab,
                    weights=np.full(v.size, 1.0 / v.size),
                )
                ax.axvline(v.mean(), color=st["color"], ls=st["ls"], lw=0.8)
                drawn = True
            ax.axvline(0, color="0.5", lw=0.6, zorder=0)
    if drawn:
        ax.legend(loc="upper right", title="deference (heroic mindset)" if dnames else "cells with a hero", fontsize=6)
        ax.set_ylabel("share of organizations")
    else:
        ax.text(
            0.5,
            0.5,
            "no hero_dependence values\n(no cell with a hero)",
            transform=ax.transAxes,
            ha="center",
            va="center",
            color="0.4",
        )
    ax.set_xlabel("hero dependence: solve rate with hero − without (same organization)")
    ax.set_title(f"({next(letters)}) Hero dependence (cells with a hero)", fontsize=8)
    if has_h6:
        ax = fig.add_subplot(bottom[0, 1])
        clv = levels(res.param("collaborative"))
        mlv = levels(res.param("hero_managers"))
        base_mask = level_mask(res, "hero", 1.0) if 1.0 in hero_lv else np.ones(res.ncells, bool)
        offs = dodge(len(mlv) * max(len(dseries), 1), 0.25)
        k = 0
        for mi, m in enumerate(mlv):
            for di, (label, dmask, combo) in enumerate(dseries):
                vals = [
                    pooled_rate(
                        res,
                        "distributed",
                        base_mask & dmask & level_mask(res, "hero_managers", m) & level_mask(res, "collaborative", cv),
                    )
                    for cv in clv
                ]
                y, lo, hi = (np.array(v, float) for v in zip(*vals))
                col = PALETTE[(mi * 2) % len(PALETTE)] if len(mlv) <= 4 else PALETTE[mi % len(PALETTE)]
                lab = f"{fmt_level(m)} hero-like managers" + (
                    f", deference {fmt_level(dlv[0][combo[0]])}" if dnames else ""
                )
                errorbar(
                    ax,
                    np.arange(len(clv)) + offs[k],
                    y,
                    lo,
                    hi,
                    fmt=MARKERS[mi % len(MARKERS)],
                    color=col,
                    ls=LINESTYLES[di % 4],
                    mfc=col if di == 0 else "white",
                    mec=col,
                    label=lab,
                    elinewidth=0.9,
                )
                k += 1
        ax.set_xticks(range(len(clv)))
        ax.set_xticklabels([f"collaborative {fmt_level(v)}" for v in clv])
        ax.set_xlim(-0.5, len(clv) - 0.5)
        rate_axis(ax)
        ax.set_ylabel(col_label(res, "distributed"))
        ax.set_xlabel("quality of interactions (mean collaboration of members)")
        ax.set_title(f"({next(letters)}) More Joes or better interactions?", fontsize=8)
        ax.legend(loc="best", fontsize=6)
        ax.grid(axis="y", color="0.92", lw=0.5)
    extra = "(a)–(d): pooled over " + ", ".join(pooled_over) + ". " if pooled_over else ""
    save(fig, res, outdir, base, extra + "Hero dependence is NaN (excluded) where no hero is present.", written)
