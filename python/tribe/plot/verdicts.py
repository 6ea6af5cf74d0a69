"""Figure 5 and panel (d) of Figure 1: the claims of a result as a forest plot (estimate,
interval, threshold; marker shape carries the verdict)."""
from __future__ import annotations

import math
import textwrap

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from .frame import save
from .style import FIG_WIDTH, OI, errorbar_marker

VERDICT_STYLE = {  # marker shape carries the verdict; colour repeats it
    "supported": dict(marker="o", color=OI["green"], mfc=OI["green"], label="supported"),
    "not supported": dict(marker="X", color=OI["vermillion"], mfc=OI["vermillion"], label="not supported"),
    "inconclusive": dict(marker="D", color=OI["orange"], mfc="white", label="inconclusive"),
}


def verdict_points(st: dict) -> dict:
    """A verdict's points as ax.plot and Line2D draw them: no line; its marker, colour, face."""
    return dict(linestyle="none", marker=st["marker"], color=st["color"], mfc=st["mfc"])


def row_text(ax, x: float, ha: str, title: str, detail: str, detail_color: str, title_color=None) -> None:
    """The two lines of text beside a claim's row (its id and test on the left, its verdict
    and estimate on the right): TITLE in bold over DETAIL in small grey, aligned at X."""
    colored = {} if title_color is None else {"color": title_color}
    ax.text(x, 0.62, title, ha=ha, va="center", fontsize=6.8, fontweight="bold", transform=ax.transAxes, **colored)
    ax.text(x, 0.36, detail, ha=ha, va="top", fontsize=5.6, color=detail_color, transform=ax.transAxes, linespacing=1.0)


FACTOR_ABBREV = {
    "aligned": "A",
    "proactive": "P",
    "collaborative": "C",
    "control": "κ",
    "tie_within": "ties_in",
    "tie_across": "ties_out",
}


def claim_test_text(res, c: dict, i: int) -> str:
    test, col, v = c["test"][i], c["column"][i], c["value"][i]
    what = "rate" if res.is_binary(col) else "mean"
    paired = " (paired)" if c["paired"][i] else ""
    vs = f"{v:g}"
    if test == "above":
        return f"{col}: {what} > {vs}"
    if test == "below":
        return f"{col}: {what} < {vs}"
    if test == "difference_above":
        return f"{col}: Δ{what} (A − B) > {vs}{paired}"
    if test == "difference_below":
        return f"{col}: Δ{what} (A − B) < {vs}{paired}"
    if test == "equivalent":
        return f"{col}: |Δ{what}| < {vs}{paired}"
    if test.startswith("variance_share"):
        fa = "+".join(FACTOR_ABBREV.get(x, x) for x in c["factors_a"][i].split(",") if x)
        fb = "+".join(FACTOR_ABBREV.get(x, x) for x in c["factors_b"][i].split(",") if x)
        lhs = f"η²({fa})" + (f" − η²({fb})" if fb else "")
        return f"{col}: {lhs} {'>' if test.endswith('above') else '<'} {vs}"
    return f"{col}: {test} {vs}"


def claim_region(test: str, v: float):
    """The interval of estimates the claim asserts: (lo, hi), infinite ends allowed."""
    if test.endswith("above"):
        return v, math.inf
    if test.endswith("below"):
        return -math.inf, v
    if test == "equivalent":
        return -abs(v), abs(v)
    return None


def draw_verdicts(fig, spec, res, c: dict, title: str):
    """One row per claim: id and test on the left, the estimate with its interval against
    the claim's threshold (shaded: the region the claim asserts) in the middle, the numbers
    and the verdict on the right. Each row has its own x scale (claims differ in units)."""
    n = len(c["id"])
    sub = spec.subgridspec(
        n + 2, 3, width_ratios=[2.3, 2.6, 1.9], height_ratios=[0.05] + [1] * n + [0.55], hspace=0.0, wspace=0.02
    )
    head = fig.add_subplot(sub[0, :])
    head.axis("off")
    head.set_title(title, loc="left")
    foot = fig.add_subplot(sub[n + 1, :])
    foot.axis("off")
    conf = f"{100 * c['confidence']:g}%"
    for i in range(n):
        left = fig.add_subplot(sub[i + 1, 0])
        ax = fig.add_subplot(sub[i + 1, 1])
        right = fig.add_subplot(sub[i + 1, 2])
        for t in (left, right):
            t.axis("off")
        row_text(left, 1.0, "right", c["id"][i], "\n".join(textwrap.wrap(claim_test_text(res, c, i), 60)), "0.35")
        est, lo, hi, v = c["estimate"][i], c["ci_low"][i], c["ci_high"][i], c["value"][i]
        verdict = c["verdict"][i]
        st = VERDICT_STYLE.get(verdict, dict(marker="s", color="0.4", mfc="0.4", label=verdict))
        pts = [x for x in (est, lo, hi, v) if np.isfinite(x)]
        region = claim_region(c["test"][i], v) if np.isfinite(v) else None
        if region and c["test"][i] == "equivalent":
            pts += [region[0], region[1]]
        if pts:
            a, b = min(pts), max(pts)
            span = b - a if b > a else max(abs(a), 1e-3)
            a, b = a - 0.12 * span, b + 0.12 * span
        else:
            a, b = -1, 1
        if region:
            ax.axvspan(max(region[0], a), min(region[1], b), color=OI["green"], alpha=0.13, lw=0)
        if np.isfinite(v):
            ax.axvline(v, color="0.2", lw=0.8, ls="--")
            if c["test"][i] == "equivalent":
                ax.axvline(-v, color="0.2", lw=0.8, ls="--")
        if np.isfinite(est):
            xerr = [[max(est - lo, 0) if np.isfinite(lo) else 0], [max(hi - est, 0) if np.isfinite(hi) else 0]]
            ax.errorbar(
                [est],
                [0],
                xerr=xerr,
                **errorbar_marker(st),
                ms=5.5,
                capsize=2.5,
                lw=1.3,
            )
        ax.set_xlim(a, b)
        ax.set_ylim(-1, 1)
        ax.set_yticks([])
        ax.spines["left"].set_visible(False)
        ax.tick_params(axis="x", labelsize=5.5, length=2, pad=1)
        ax.xaxis.set_major_locator(matplotlib.ticker.MaxNLocator(4))
        num = f"{est:.3g} [{lo:.3g}, {hi:.3g}]" if np.isfinite(est) else "n/a"
        rob = c["robustness_share"][i]
        robtxt = f"\nsame verdict at {100 * rob:.0f}% of threshold settings" if np.isfinite(rob) else ""
        row_text(
            right, 0.04, "left", verdict, num + robtxt, "0.3", st["color"] if verdict != "inconclusive" else "#8a5a00"
        )
    handles = [
        Line2D([], [], ls="", marker=s["marker"], color=s["color"], mfc=s["mfc"], mec=s["color"], label=s["label"])
        for s in VERDICT_STYLE.values()
    ]
    handles += [
        Line2D([], [], color="0.2", ls="--", lw=0.8, label="threshold"),
        Patch(color=OI["green"], alpha=0.13, label="region the claim asserts"),
        Line2D([], [], color="0.3", marker="|", ls="-", label=f"estimate, {conf} interval"),
    ]
    foot.legend(
        handles=handles, loc="center", ncol=6, fontsize=5.8, handlelength=1.6, borderaxespad=0.0, columnspacing=1.2
    )


def figure_verdicts(res, c: dict, outdir: str, base: str, written: list):
    n = len(c["id"])
    fig = plt.figure(figsize=(FIG_WIDTH, 0.75 + 0.42 * n), layout="constrained")
    spec = fig.add_gridspec(1, 1)[0]
    draw_verdicts(fig, spec, res, c, f"Claims of experiment '{res.name}': estimates and verdicts")
    save(
        fig,
        res,
        outdir,
        base,
        "Verdicts: Holm-adjusted one-sided tests over all claims; x scales differ by row. "
        "Statements: tribe report FILE.",
        written,
    )
