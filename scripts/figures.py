#!/usr/bin/python3
"""Make the paper figures from tribe result files (PNG at 300 dpi and PDF).

    /usr/bin/python3 scripts/figures.py RESULT.h5 [RESULT2.h5 ...] [-o OUTDIR]

OUTDIR defaults to results/figures. Each file's experiment is recognized by its root
attribute `experiment_name` (falling back on the design factors in /cells) and drawn as
follows; the files are named after the experiment (NAME.png, NAME.pdf: claims.png for the
claims experiment, claims-big.png for a variant named "claims-big" with the same design):

  claims           claims.{png,pdf}           distributed rate by quality profile,
                                              structure x control; leader share; queues;
                                              the claims' verdicts
  three_qualities  three_qualities.{png,pdf}  the 2x2x2 table and distortion signatures
  hero             hero.{png,pdf}             with/without hero x heroic mindset; hero
                                              dependence; more Joes vs better interactions
  structure        structure.{png,pdf}        variance shares; rate against control and
                                              collaboration; rate by structure
  anything else    NAME_rates.{png,pdf}       distributed rate (or first binary outcome)
                                              per cell with Wilson intervals

Every file that states claims also gets NAME_verdicts.{png,pdf}: a forest plot of the
claims (estimate, interval, threshold; marker shape = verdict). When two inputs would
write the same name, the second gets its file stem appended.

A file that is not a complete tribe result (root attribute filetype "tribe-result",
complete = 1, format_version major 1) is refused with a one-line message and exit
status 2, before anything is drawn. See docs/figures.md for how to read the figures.

Needs Debian's python3-h5py, python3-numpy and python3-matplotlib: run with /usr/bin/python3.
"""
from __future__ import annotations

import argparse
import itertools
import math
import os
import re
import sys
import textwrap
from statistics import NormalDist

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.legend_handler import HandlerTuple  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402
from matplotlib.patches import Patch  # noqa: E402

try:
    import h5py  # noqa: E402
    import numpy as np  # noqa: E402
except ImportError as e:  # pragma: no cover - environment problem
    print(f"figures: error: {e}; install Debian's python3-h5py and python3-numpy and run with /usr/bin/python3",
          file=sys.stderr)
    sys.exit(2)

PROG = "figures"
FORMAT_MAJOR = 1

# ---------------------------------------------------------------------------------------
# Style: Okabe & Ito (2008) colour-blind-safe palette, plus markers, fills, hatches and
# line styles so that every series also reads in greyscale.
# ---------------------------------------------------------------------------------------
OI = {
    "black": "#000000", "orange": "#E69F00", "skyblue": "#56B4E9", "green": "#009E73",
    "yellow": "#F0E442", "blue": "#0072B2", "vermillion": "#D55E00", "purple": "#CC79A7",
}
PALETTE = [OI["blue"], OI["vermillion"], OI["green"], OI["orange"], OI["purple"], OI["skyblue"], OI["black"],
           OI["yellow"]]
MARKERS = ["o", "s", "^", "D", "v", "P", "X", "*"]
HATCHES = ["", "///", "...", "xxx", "\\\\\\", "---", "+++", "ooo"]
LINESTYLES = ["-", "--", ":", "-."]
FILLS = ["full", "none", "left", "bottom"]

VERDICT_STYLE = {  # marker shape carries the verdict; colour repeats it
    "supported": dict(marker="o", color=OI["green"], mfc=OI["green"], label="supported"),
    "not supported": dict(marker="X", color=OI["vermillion"], mfc=OI["vermillion"], label="not supported"),
    "inconclusive": dict(marker="D", color=OI["orange"], mfc="white", label="inconclusive"),
}

plt.rcParams.update({
    "font.size": 7.5, "axes.titlesize": 8.5, "axes.titleweight": "bold", "axes.labelsize": 7.5,
    "xtick.labelsize": 7, "ytick.labelsize": 7, "legend.fontsize": 6.5, "legend.title_fontsize": 6.5,
    "legend.frameon": False, "axes.spines.top": False, "axes.spines.right": False,
    "axes.linewidth": 0.7, "lines.linewidth": 1.1, "lines.markersize": 4.5, "errorbar.capsize": 2.0,
    "savefig.dpi": 300, "pdf.fonttype": 42, "ps.fonttype": 42, "axes.titlelocation": "left",
    "figure.constrained_layout.h_pad": 0.04, "figure.constrained_layout.w_pad": 0.04,
})

FIG_WIDTH = 7.2  # inches: a two-column paper's full text width

# Axis labels (with units) of the leadership model's columns; other columns use their
# HDF5 `description` attribute.
COLUMN_LABEL = {
    "distributed": "distributed-leadership rate\n(share of organizations)",
    "solve_rate": "solve rate\n(share of resolvable challenges)",
    "aligned_solve_rate": "mission-aligned solve rate\n(share of challenges)",
    "mean_time_to_solve": "mean time to solve (steps)",
    "front_line_initiative": "front-line initiative\n(share of solutions)",
    "escalation_rate": "escalation rate\n(escalations per decision)",
    "queue_mean": "queue at leaders\n(mean items ahead)",
    "queue_max": "largest queue (items)",
    "conflicts_per_challenge": "conflicts per challenge",
    "misdirected_per_challenge": "misdirected solutions\nper challenge",
    "failures_per_challenge": "failures per challenge",
    "blame_per_challenge": "blame events\nper challenge",
    "leadership_breadth": "leadership breadth\n(share of agents)",
    "leadership_evenness": "leadership evenness (1 − Gini)",
    "leader_share": "top-leader share\n(of leadership moments)",
    "hero_dependence": "hero dependence\n(solve-rate drop without hero)",
    "mean_collaborative": "mean collaboration of members (0–1)",
}
COLUMN_TITLE = {
    "distributed": "Distributed leadership", "solve_rate": "Problems solved", "queue_mean": "Bottleneck",
    "front_line_initiative": "Front-line initiative", "blame_per_challenge": "Blame",
    "conflicts_per_challenge": "Conflict (infighting)", "misdirected_per_challenge": "Misdirected work",
    "escalation_rate": "Escalation", "failures_per_challenge": "Failures (crash and burn)",
    "leader_share": "Leadership held by the top", "hero_dependence": "Hero dependence",
    "leadership_evenness": "Leadership evenness",
}
FACTOR_LABEL = {
    "structure": "structure", "control": "upstream control", "aligned": "aligned", "proactive": "proactive",
    "collaborative": "collaborative", "span": "span of control", "tie_within": "lateral ties within units",
    "tie_across": "lateral ties across units", "hero": "hero", "hero_deference": "heroic mindset (deference)",
    "hero_managers": "hero-like managers",
}
STRUCTURE_LABEL = {
    "flat": "flat", "hierarchy": "balanced hierarchy", "random_hierarchy": "hierarchy",
    "random_tree": "random recursive tree", "preferential": "preferential attachment",
}
QUALITY_LETTER = {"aligned": "A", "proactive": "P", "collaborative": "C"}
QUALITIES = ["aligned", "proactive", "collaborative"]
MINUS = "\u2212"


class Refused(Exception):
    """The input is not something this script draws; exit status 2."""


# ---------------------------------------------------------------------------------------
# Reading a result file
# ---------------------------------------------------------------------------------------
def _text(v) -> str:
    if isinstance(v, bytes):
        return v.decode("utf-8", "replace")
    if isinstance(v, np.ndarray) and v.shape == ():
        return _text(v[()])
    return str(v)


def _strings(ds) -> list[str]:
    return [_text(x) for x in ds[()]]


class Result:
    """A tribe result file, opened read-only and checked."""

    def __init__(self, path: str):
        self.path = path
        if not os.path.isfile(path):
            raise Refused(f"{path}: no such file")
        try:
            self.f = h5py.File(path, "r")
        except (OSError, ValueError) as e:
            raise Refused(f"{path}: not a tribe result (not an HDF5 file: {str(e).splitlines()[0]})") from None
        try:
            self._check()
        except Refused:
            self.f.close()
            raise

    def _check(self):
        a = self.f.attrs
        if "filetype" not in a or _text(a["filetype"]) != "tribe-result":
            raise Refused(f"{self.path}: not a tribe result (root attribute filetype is not 'tribe-result')")
        try:
            major = int(np.asarray(a["format_version"]).ravel()[0])
        except (KeyError, IndexError, TypeError, ValueError):
            raise Refused(f"{self.path}: not a tribe result (no format_version attribute)") from None
        if major != FORMAT_MAJOR:
            raise Refused(f"{self.path}: format version {major}.x is not supported (this script reads {FORMAT_MAJOR}.x)")
        try:
            complete = int(np.asarray(a["complete"]).ravel()[0])
        except (KeyError, IndexError, TypeError, ValueError):
            complete = 0
        if complete != 1:
            raise Refused(f"{self.path}: incomplete tribe result (root attribute complete != 1)")
        for need in ("cells/label", "cells/stats", "cells/parameters", "cells/organizations"):
            if need not in self.f:
                raise Refused(f"{self.path}: not a complete tribe result (missing /{need})")

    def close(self):
        self.f.close()

    # -- provenance ----------------------------------------------------------------------
    def attr(self, name, default=""):
        return _text(self.f.attrs[name]) if name in self.f.attrs else default

    def attr_int(self, name, default=0):
        try:
            return int(np.asarray(self.f.attrs[name]).ravel()[0])
        except (KeyError, IndexError, TypeError, ValueError):
            return default

    @property
    def name(self) -> str:
        return self.attr("experiment_name", os.path.splitext(os.path.basename(self.path))[0])

    @property
    def factors(self) -> list[str]:
        c = self.f["cells"].attrs
        return [_text(x) for x in c["factors"]] if "factors" in c else []

    @property
    def confidence(self) -> float:
        c = self.f["cells"].attrs
        return float(c["confidence"]) if "confidence" in c else 0.95

    @property
    def ncells(self) -> int:
        return int(self.f["cells/label"].shape[0])

    def labels(self) -> list[str]:
        return _strings(self.f["cells/label"])

    # -- cells ---------------------------------------------------------------------------
    def param(self, name):
        """Every cell's value of a model parameter: float array, or list of str for choices."""
        ds = self.f.get(f"cells/parameters/{name}")
        if ds is None:
            return None
        if h5py.check_string_dtype(ds.dtype) is not None or ds.dtype.kind in "SOU":
            return np.array(_strings(ds), dtype=object)
        return ds[()].astype(float)

    def has_stat(self, col, key="mean") -> bool:
        return f"cells/stats/{col}/{key}" in self.f

    def stat(self, col, key):
        ds = self.f.get(f"cells/stats/{col}/{key}")
        if ds is None:
            return np.full(self.ncells, np.nan)
        return ds[()].astype(float)

    def is_binary(self, col) -> bool:
        return self.has_stat(col, "rate")

    def column_role(self, col) -> str:
        ds = self.f.get(f"organizations/{col}")
        return _text(ds.attrs["role"]) if ds is not None and "role" in ds.attrs else ""

    def column_description(self, col) -> str:
        ds = self.f.get(f"organizations/{col}")
        return _text(ds.attrs["description"]) if ds is not None and "description" in ds.attrs else col

    def stat_columns(self) -> list[str]:
        return list(self.f["cells/stats"].keys())

    # -- claims and variance -------------------------------------------------------------
    def claims(self):
        g = self.f.get("claims")
        if g is None or "id" not in g or g["id"].shape[0] == 0:
            return None
        out = {}
        for k in ("id", "statement", "test", "column", "verdict", "description", "factors_a", "factors_b"):
            out[k] = _strings(g[k]) if k in g else [""] * g["id"].shape[0]
        for k in ("value", "estimate", "ci_low", "ci_high", "robustness_share"):
            out[k] = g[k][()].astype(float) if k in g else np.full(g["id"].shape[0], np.nan)
        out["paired"] = g["paired"][()].astype(int) if "paired" in g else np.zeros(g["id"].shape[0], int)
        out["confidence"] = float(g.attrs["confidence"]) if "confidence" in g.attrs else self.confidence
        return out

    def variance(self) -> dict:
        g = self.f.get("variance")
        out = {}
        if g is None:
            return out
        for col in g:
            cg = g[col]
            if "factor" in cg and "eta_squared" in cg:
                out[col] = (_strings(cg["factor"]), cg["eta_squared"][()].astype(float),
                            float(cg.attrs["unexplained"]) if "unexplained" in cg.attrs else float("nan"))
        return out

    def org_column(self, name):
        ds = self.f.get(f"organizations/{name}")
        return None if ds is None else ds[()]


# ---------------------------------------------------------------------------------------
# Statistics: Wilson and t intervals, pooling cells from their stored statistics
# ---------------------------------------------------------------------------------------
def z_value(conf: float) -> float:
    return NormalDist().inv_cdf(0.5 + conf / 2)


def t_value(conf: float, df: float) -> float:
    """Student-t quantile by the Cornish-Fisher expansion (exact enough for df >= 3)."""
    z = z_value(conf)
    if not math.isfinite(df) or df <= 0:
        return float("nan")
    if df < 3:
        return {1: 12.706, 2: 4.303}.get(int(df), 4.303) if abs(conf - 0.95) < 1e-9 else float("nan")
    g1 = (z ** 3 + z) / 4
    g2 = (5 * z ** 5 + 16 * z ** 3 + 3 * z) / 96
    g3 = (3 * z ** 7 + 19 * z ** 5 + 17 * z ** 3 - 15 * z) / 384
    return z + g1 / df + g2 / df ** 2 + g3 / df ** 3


def wilson(successes: float, n: float, conf: float):
    if not n or n <= 0:
        return float("nan"), float("nan"), float("nan")
    z = z_value(conf)
    p = successes / n
    den = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / den
    half = z / den * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return p, max(0.0, centre - half), min(1.0, centre + half)


def pooled_rate(res: Result, col: str, mask):
    """Rate and Wilson interval of a binary column over the cells in mask."""
    idx = np.flatnonzero(mask)
    if idx.size == 0:
        return (float("nan"),) * 3
    if idx.size == 1:
        i = idx[0]
        return tuple(float(res.stat(col, k)[i]) for k in ("rate", "rate_low", "rate_high"))
    s = np.nansum(res.stat(col, "successes")[idx])
    n = np.nansum(res.stat(col, "n")[idx])
    return wilson(s, n, res.confidence)


def pooled_mean(res: Result, col: str, mask):
    """Mean and t interval of a column over the cells in mask, from the cells' n, mean, sd."""
    idx = np.flatnonzero(mask)
    if idx.size == 0:
        return (float("nan"),) * 3
    if idx.size == 1:
        i = idx[0]
        return tuple(float(res.stat(col, k)[i]) for k in ("mean", "ci_low", "ci_high"))
    n = res.stat(col, "n")[idx]
    m = res.stat(col, "mean")[idx]
    sd = res.stat(col, "sd")[idx]
    ok = (n > 0) & np.isfinite(m)
    n, m, sd = n[ok], m[ok], np.nan_to_num(sd[ok])
    N = n.sum()
    if N <= 0:
        return (float("nan"),) * 3
    mean = float((n * m).sum() / N)
    m2 = float(((n - 1) * sd ** 2 + n * (m - mean) ** 2).sum())
    if N < 2:
        return mean, float("nan"), float("nan")
    half = t_value(res.confidence, N - 1) * math.sqrt(m2 / (N - 1) / N)
    return mean, mean - half, mean + half


def pooled(res: Result, col: str, mask):
    return pooled_rate(res, col, mask) if res.is_binary(col) else pooled_mean(res, col, mask)


# ---------------------------------------------------------------------------------------
# Design helpers
# ---------------------------------------------------------------------------------------
def levels(values) -> list:
    """Sorted distinct values of a parameter across cells."""
    if values is None:
        return []
    if isinstance(values, np.ndarray) and values.dtype != object:
        return sorted({float(v) for v in values if math.isfinite(v)})
    return list(dict.fromkeys(values))  # choices: in design order (order of first appearance)


def fmt_level(v) -> str:
    if isinstance(v, (float, np.floating)):
        return f"{v:g}"
    return str(v)


def structure_name(v) -> str:
    return STRUCTURE_LABEL.get(str(v), str(v).replace("_", " "))


def level_mask(res: Result, name: str, value):
    p = res.param(name)
    if p is None:
        return np.ones(res.ncells, bool)
    if p.dtype == object:
        return np.array([x == value for x in p])
    return np.isclose(p, float(value))


def col_label(res: Result, col: str) -> str:
    return COLUMN_LABEL.get(col, res.column_description(col))


def col_title(col: str) -> str:
    return COLUMN_TITLE.get(col, col.replace("_", " ").capitalize())


def quality_profiles(res: Result):
    """The quality profiles of the design: (label, mask) in reading order (fewest highs first)."""
    qs = [q for q in QUALITIES if q in res.factors]
    lv = {q: levels(res.param(q)) for q in qs}
    combos = list(itertools.product(*[range(len(lv[q])) for q in qs]))
    top = {q: len(lv[q]) - 1 for q in qs}
    combos.sort(key=lambda c: (sum(i == top[q] for i, q in zip(c, qs)), [-i for i in c]))
    out = []
    for c in combos:
        parts, mask = [], np.ones(res.ncells, bool)
        for i, q in zip(c, qs):
            n = len(lv[q])
            sign = "+" if (i == n - 1 and n > 1) else (MINUS if i == 0 else f"={fmt_level(lv[q][i])}")
            parts.append(QUALITY_LETTER[q] + sign)
            mask &= level_mask(res, q, lv[q][i])
        if mask.any():
            out.append((" ".join(parts), mask, dict(zip(qs, c)), top))
    return qs, lv, out


def dodge(n: int, width: float = 0.62):
    if n <= 1:
        return [0.0]
    return list(np.linspace(-width / 2, width / 2, n))


def fit_ylim(ax, lows, highs):
    """y limits that show every estimate and interval, from 0 when nothing is negative."""
    vals = np.asarray([x for x in list(lows) + list(highs) if x is not None and np.isfinite(x)], float)
    if not vals.size:
        return
    lo, hi = float(vals.min()), float(vals.max())
    bottom = 0.0 if lo >= 0 else lo
    span = hi - bottom
    if span <= 0:
        span = abs(hi) if hi else 1.0
    ax.set_ylim(bottom - (0 if lo >= 0 else 0.06 * span), hi + 0.08 * span)


def rate_axis(ax):
    ax.set_ylim(-0.03, 1.03)
    ax.set_yticks([0, 0.25, 0.5, 0.75, 1.0])


def nan_note(ax, ys):
    """Say so when a panel has nothing finite to show."""
    if not np.any(np.isfinite(np.asarray(ys, float))):
        ax.text(0.5, 0.5, "no defined values", transform=ax.transAxes, ha="center", va="center",
                color="0.4", fontsize=7)


def errorbar(ax, x, y, lo, hi, **kw):
    x, y, lo, hi = (np.asarray(v, float) for v in (x, y, lo, hi))
    yerr = np.vstack([np.clip(y - lo, 0, None), np.clip(hi - y, 0, None)])
    yerr = np.where(np.isfinite(yerr), yerr, 0)
    return ax.errorbar(x, y, yerr=yerr, **kw)


# ---------------------------------------------------------------------------------------
# Figure frame: footnote and saving
# ---------------------------------------------------------------------------------------
def footnote(res: Result, extra: str = "") -> str:
    orgs = res.f["cells/organizations"][()]
    per = (f"{int(orgs.min()):,} per cell" if orgs.size and orgs.min() == orgs.max()
           else f"{int(orgs.min()):,}–{int(orgs.max()):,} per cell" if orgs.size else "")
    total = res.attr_int("organizations", int(orgs.sum()) if orgs.size else 0)
    sha = res.attr("git_sha1", "unknown")
    dirty = sha.endswith("-dirty")
    sha = sha[:12] + ("-dirty" if dirty else "")
    conf = f"{100 * res.confidence:g}%"
    line1 = (f"tribe experiment '{res.name}' ({os.path.basename(res.path)}): {total:,} organizations in "
             f"{res.ncells:,} cells ({per}); seed {res.attr_int('seed')}; git {sha}; engine "
             f"{res.attr('engine_version', '?')}, model {res.attr('model', '?')} {res.attr('model_version', '')}.")
    line2 = f"Intervals: {conf} (rates: Wilson score; means: Student t). {extra}".strip()
    return "\n".join(textwrap.wrap(line1, 175) + textwrap.wrap(line2, 175))


def save(fig, res: Result, outdir: str, base: str, extra: str, written: list):
    fig.text(0.0, -0.005, footnote(res, extra), ha="left", va="top", fontsize=5.5, color="0.3",
             wrap=False, transform=fig.transFigure)
    os.makedirs(outdir, exist_ok=True)
    paths = []
    for ext in ("png", "pdf"):
        p = os.path.join(outdir, f"{base}.{ext}")
        fig.savefig(p, dpi=300, bbox_inches="tight", pad_inches=0.05,
                    metadata={"Title": base} if ext == "pdf" else None)
        paths.append(p)
    plt.close(fig)
    written.extend(paths)
    print(f"{PROG}: wrote {paths[0]} and .pdf ({res.path})")


# ---------------------------------------------------------------------------------------
# Claims: forest plot of estimates, intervals, thresholds and verdicts
# ---------------------------------------------------------------------------------------
FACTOR_ABBREV = {"aligned": "A", "proactive": "P", "collaborative": "C", "control": "κ", "tie_within": "ties_in",
                 "tie_across": "ties_out"}


def claim_test_text(res: Result, c: dict, i: int) -> str:
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


def draw_verdicts(fig, spec, res: Result, c: dict, title: str):
    """One row per claim: id and test on the left, the estimate with its interval against
    the claim's threshold (shaded: the region the claim asserts) in the middle, the numbers
    and the verdict on the right. Each row has its own x scale (claims differ in units)."""
    n = len(c["id"])
    sub = spec.subgridspec(n + 2, 3, width_ratios=[2.3, 2.6, 1.9], height_ratios=[0.05] + [1] * n + [0.55],
                           hspace=0.0, wspace=0.02)
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
        left.text(1.0, 0.62, c["id"][i], ha="right", va="center", fontsize=6.8, fontweight="bold",
                  transform=left.transAxes)
        left.text(1.0, 0.36, "\n".join(textwrap.wrap(claim_test_text(res, c, i), 60)), ha="right", va="top",
                  fontsize=5.6, color="0.35", transform=left.transAxes, linespacing=1.0)
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
            ax.errorbar([est], [0], xerr=xerr, fmt=st["marker"], color=st["color"], mfc=st["mfc"],
                        mec=st["color"], ms=5.5, capsize=2.5, lw=1.3)
        ax.set_xlim(a, b)
        ax.set_ylim(-1, 1)
        ax.set_yticks([])
        ax.spines["left"].set_visible(False)
        ax.tick_params(axis="x", labelsize=5.5, length=2, pad=1)
        ax.xaxis.set_major_locator(matplotlib.ticker.MaxNLocator(4))
        num = (f"{est:.3g} [{lo:.3g}, {hi:.3g}]" if np.isfinite(est) else "n/a")
        rob = c["robustness_share"][i]
        robtxt = f"\nsame verdict at {100 * rob:.0f}% of threshold settings" if np.isfinite(rob) else ""
        right.text(0.04, 0.62, verdict, ha="left", va="center", fontsize=6.8, fontweight="bold",
                   color=st["color"] if verdict != "inconclusive" else "#8a5a00", transform=right.transAxes)
        right.text(0.04, 0.36, num + robtxt, ha="left", va="top", fontsize=5.6, color="0.3",
                   transform=right.transAxes, linespacing=1.0)
    handles = [Line2D([], [], ls="", marker=s["marker"], color=s["color"], mfc=s["mfc"], mec=s["color"],
                      label=s["label"]) for s in VERDICT_STYLE.values()]
    handles += [Line2D([], [], color="0.2", ls="--", lw=0.8, label="threshold"),
                Patch(color=OI["green"], alpha=0.13, label="region the claim asserts"),
                Line2D([], [], color="0.3", marker="|", ls="-", label=f"estimate, {conf} interval")]
    foot.legend(handles=handles, loc="center", ncol=6, fontsize=5.8, handlelength=1.6,
                borderaxespad=0.0, columnspacing=1.2)


def figure_verdicts(res: Result, c: dict, outdir: str, base: str, written: list):
    n = len(c["id"])
    fig = plt.figure(figsize=(FIG_WIDTH, 0.75 + 0.42 * n), layout="constrained")
    spec = fig.add_gridspec(1, 1)[0]
    draw_verdicts(fig, spec, res, c, f"Claims of experiment '{res.name}': estimates and verdicts")
    save(fig, res, outdir, base,
         "Verdicts: Holm-adjusted one-sided tests over all claims; x scales differ by row. Statements: tribe report FILE.",
         written)


# ---------------------------------------------------------------------------------------
# Per-profile panels (claims and three-qualities figures)
# ---------------------------------------------------------------------------------------
def series_by(res: Result, names: list):
    """Series for every combination of the levels of the named factors: (label, mask, index tuple)."""
    names = [n for n in names if n in res.factors]
    lv = [levels(res.param(n)) for n in names]
    out = []
    for combo in itertools.product(*[range(len(x)) for x in lv]):
        mask = np.ones(res.ncells, bool)
        parts = []
        for n, l, i in zip(names, lv, combo):
            mask &= level_mask(res, n, l[i])
            if n == "structure":
                parts.append(structure_name(l[i]))
            elif n == "control":
                parts.append(f"{'low' if i == 0 else 'high' if i == len(l) - 1 else 'mid'} control ({fmt_level(l[i])})")
            else:
                parts.append(f"{FACTOR_LABEL.get(n, n)} {fmt_level(l[i])}")
        if mask.any():
            out.append((", ".join(parts) if parts else "all cells", mask, combo))
    return names, lv, out


def profile_panel(ax, res: Result, col: str, profiles, series, styles, kind="points"):
    """col per quality profile (x) for each series; rates with Wilson, means with t intervals."""
    width = 0.8 / max(len(series), 1)
    offs = dodge(len(series), min(0.66, 0.22 * (len(series) - 1)) if kind == "points" else 0.8 - width)
    lows, highs, ys = [], [], []
    for (label, smask, _), off, st in zip(series, offs, styles):
        vals = [pooled(res, col, pmask & smask) for _, pmask, _, _ in profiles]
        y, lo, hi = (np.array(v, float) for v in zip(*vals)) if vals else ([], [], [])
        x = np.arange(len(profiles)) + off
        if kind == "bars":
            ax.bar(x, np.nan_to_num(y), width=width * 0.92, color=st["color"], hatch=st["hatch"],
                   edgecolor="white" if not st["hatch"] else "black", linewidth=0.4, label=label, alpha=0.9)
            errorbar(ax, x, y, lo, hi, fmt="none", ecolor="black", elinewidth=0.8, capsize=1.8)
        else:
            errorbar(ax, x, y, lo, hi, fmt=st["marker"], color=st["color"], mfc=st["mfc"], mec=st["color"],
                     ls="none", elinewidth=0.9, label=label, ms=4.2)
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
    return ("quality profile (" + ", ".join(f"{QUALITY_LETTER[q]} = {q}" for q in qs) +
            f"; + high, {MINUS} low)")


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
        styles.append(dict(color=col, marker=MARKERS[si % len(MARKERS)],
                           mfc=col if fill == "full" else "white", hatch=HATCHES[(si + ci) % len(HATCHES)]))
    return styles


# ---------------------------------------------------------------------------------------
# The claims figure (H1, H2)
# ---------------------------------------------------------------------------------------
def figure_claims(res: Result, outdir: str, base: str, written: list):
    qs, _, profiles = quality_profiles(res)
    snames, slv, series = series_by(res, ["structure", "control"])
    styles = structure_control_styles(snames, slv, series)
    c = res.claims()
    nclaims = len(c["id"]) if c else 0
    second = [col for col in ("leader_share", "queue_mean") if res.has_stat(col)]
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
    save(fig, res, outdir, base,
         "Filled markers: low upstream control; open markers: high. Profiles ordered by number of high qualities.",
         written)


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


def figure_three_qualities(res: Result, outdir: str, base: str, written: list):
    qs, _, profiles = quality_profiles(res)
    snames, slv, series = series_by(res, ["structure"])
    styles = [dict(color=PALETTE[i % len(PALETTE)], marker=MARKERS[i % len(MARKERS)],
                   mfc=PALETTE[i % len(PALETTE)] if i == 0 else "white", hatch=HATCHES[i % len(HATCHES)])
              for i in range(len(series))]
    sigs = [(col, q) for col, q in SIGNATURES if res.has_stat(col)]
    ncol = 3
    nrow = math.ceil(len(sigs) / ncol)
    fig = plt.figure(figsize=(FIG_WIDTH, 2.8 + 2.05 * nrow), layout="constrained")
    gs = fig.add_gridspec(2, 1, height_ratios=[2.8, 2.05 * nrow] if nrow else [1, 0.01])
    ax = fig.add_subplot(gs[0])
    profile_panel(ax, res, "distributed", profiles, series, styles, kind="bars")
    ax.set_title("(a) Distributed leadership in the 2×2×2 table of the three qualities")
    ax.set_xlabel(profile_xlabel(qs))
    if len(series) > 1 or snames:
        hs = [(Patch(facecolor=st["color"], hatch=st["hatch"], edgecolor="white" if not st["hatch"] else "black",
                     lw=0.4), Line2D([], [], ls="", marker=st["marker"], color=st["color"], mfc=st["mfc"]))
              for st in styles]
        ax.legend(hs, [s[0] for s in series], handler_map={tuple: HandlerTuple(ndivide=None, pad=0.4)},
                  loc="upper left", title="structure (bars; markers in (b)–(g))", handlelength=2.6)
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
    save(fig, res, outdir, base,
         "(b)–(g): cell means of the distortion measures. Grey band: the two-of-three profile the essay "
         "associates with that distortion.", written)


# ---------------------------------------------------------------------------------------
# The hero figure (H5, H6)
# ---------------------------------------------------------------------------------------
def figure_hero(res: Result, outdir: str, base: str, written: list):
    hero = res.param("hero")
    hero_lv = levels(hero)
    dnames, dlv, dseries = series_by(res, ["hero_deference"])
    cols = [c for c in ("solve_rate", "queue_mean", "front_line_initiative", "blame_per_challenge")
            if res.has_stat(c)]
    has_h6 = all(f in res.factors for f in ("hero_managers", "collaborative")) and res.has_stat("distributed")
    fig = plt.figure(figsize=(FIG_WIDTH, 5.3), layout="constrained")
    gs = fig.add_gridspec(2, 1, height_ratios=[2.2, 2.6])
    top = gs[0].subgridspec(1, max(len(cols), 1), wspace=0.05)
    pooled_over = [f for f in res.factors if f not in ("hero", "hero_deference")]
    dstyles = [dict(color=PALETTE[i % len(PALETTE)], marker=MARKERS[i % len(MARKERS)], ls=LINESTYLES[i % 4])
               for i in range(len(dseries))]
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
            errorbar(ax, np.arange(len(hero_lv)) + off, y, lo, hi, fmt=st["marker"], color=st["color"],
                     ls=st["ls"], mfc=st["color"] if not combo or combo[0] == 0 else "white", mec=st["color"],
                     label=lab, elinewidth=0.9)
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
                ax.hist(v, bins=bins, histtype="step", color=st["color"], ls=st["ls"], lw=1.3, label=lab,
                        weights=np.full(v.size, 1.0 / v.size))
                ax.axvline(v.mean(), color=st["color"], ls=st["ls"], lw=0.8)
                drawn = True
            ax.axvline(0, color="0.5", lw=0.6, zorder=0)
    if drawn:
        ax.legend(loc="upper right", title="deference (heroic mindset)" if dnames else "cells with a hero",
                  fontsize=6)
        ax.set_ylabel("share of organizations")
    else:
        ax.text(0.5, 0.5, "no hero_dependence values\n(no cell with a hero)", transform=ax.transAxes,
                ha="center", va="center", color="0.4")
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
                vals = [pooled_rate(res, "distributed", base_mask & dmask & level_mask(res, "hero_managers", m)
                                    & level_mask(res, "collaborative", cv)) for cv in clv]
                y, lo, hi = (np.array(v, float) for v in zip(*vals))
                col = PALETTE[(mi * 2) % len(PALETTE)] if len(mlv) <= 4 else PALETTE[mi % len(PALETTE)]
                lab = f"{fmt_level(m)} hero-like managers" + (
                    f", deference {fmt_level(dlv[0][combo[0]])}" if dnames else "")
                errorbar(ax, np.arange(len(clv)) + offs[k], y, lo, hi, fmt=MARKERS[mi % len(MARKERS)],
                         color=col, ls=LINESTYLES[di % 4], mfc=col if di == 0 else "white",
                         mec=col, label=lab, elinewidth=0.9)
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
    extra = ("(a)–(d): pooled over " + ", ".join(pooled_over) + ". " if pooled_over else "")
    save(fig, res, outdir, base, extra + "Hero dependence is NaN (excluded) where no hero is present.", written)


# ---------------------------------------------------------------------------------------
# The structure-sweep figure (H3)
# ---------------------------------------------------------------------------------------
FACTOR_ORDER = ["structure", "span", "tie_within", "tie_across", "control", "aligned", "proactive", "collaborative"]


def sampled_parameters(res: Result) -> list[str]:
    """Numeric parameters that vary across cells without being factors (sampled ranges)."""
    out = []
    for name in res.f["cells/parameters"]:
        if name in res.factors:
            continue
        p = res.param(name)
        if p is None or p.dtype == object:
            continue
        if len(np.unique(p[np.isfinite(p)])) > 1:
            out.append(name)
    return out


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
    ax.plot(xm, ym, color=st["color"], ls=st["ls"], lw=1.5, marker=st["marker"], ms=3.5, mfc="white",
            mec=st["color"], zorder=5)


def figure_structure(res: Result, outdir: str, base: str, written: list):
    col = "distributed" if res.has_stat("distributed", "rate") else first_binary(res)
    var = res.variance()
    snames, slv, series = series_by(res, ["structure"])
    sstyles = [dict(color=PALETTE[i % len(PALETTE)], marker=MARKERS[i % len(MARKERS)], ls=LINESTYLES[i % 4])
               for i in range(len(series))]
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
            ax.barh(y, np.nan_to_num(vals), height=h * 0.9, color=PALETTE[j % len(PALETTE)],
                    hatch=HATCHES[j % len(HATCHES)], edgecolor="white" if j == 0 else "black", linewidth=0.4,
                    label=lab)
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
        ax.text(0.5, 0.5, "no variance decomposition\nin this file (/variance)", transform=ax.transAxes,
                ha="center", va="center", color="0.4")
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
            ax.scatter(x[smask], rate[smask], s=5, color=st["color"], marker=st["marker"], alpha=0.35, lw=0,
                       label=None)
            binned_line(ax, x[smask], rate[smask], st)
            ax.plot([], [], color=st["color"], ls=st["ls"], marker=st["marker"], mfc="white", label=label)
        rate_axis(ax)
        ax.set_xlabel(xlabel)
        ax.set_ylabel(col_label(res, col))
        nan_note(ax, rate)
        ax.set_title(f"({next(letters)}) {col_title(col)} vs {'control' if xname == 'control' else 'collaboration'}",
                     fontsize=8)
        ax.grid(color="0.94", lw=0.5)
        if xname == "control":
            lax.legend(*ax.get_legend_handles_labels(), loc="center", ncol=math.ceil(len(series) / 2), fontsize=6,
                       title="(b)–(d) structure generator (dots: cells; lines: binned means)",
                       columnspacing=1.0, handlelength=2.2)
    # (d) rate by structure, pooled over the sampled points
    ax = fig.add_subplot(gs[1, 1])
    for i, ((label, smask, _), st) in enumerate(zip(series, sstyles)):
        r, lo, hi = pooled_rate(res, col, smask)
        ax.bar(i, 0 if not np.isfinite(r) else r, color=st["color"], hatch=HATCHES[i % len(HATCHES)],
               edgecolor="white" if i == 0 else "black", lw=0.4, width=0.7)
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
    extra = (f"Latin-hypercube sample over {', '.join(sp)}; " if sp else "") + \
        "(d) pools every cell of a structure (rate and Wilson interval over all its organizations)."
    save(fig, res, outdir, base, extra, written)


# ---------------------------------------------------------------------------------------
# Generic fallback: a binary outcome per cell
# ---------------------------------------------------------------------------------------
def first_binary(res: Result) -> str | None:
    cols = res.stat_columns()
    if "distributed" in cols and res.is_binary("distributed"):
        return "distributed"
    outcome = [c for c in cols if res.is_binary(c) and res.column_role(c) == "outcome"]
    anyb = [c for c in cols if res.is_binary(c)]
    return (outcome or anyb or [None])[0]


def short_label(res: Result, i: int, labels: list[str]) -> str:
    lab = labels[i]
    return lab if len(lab) <= 70 else lab[:67] + "..."


def figure_generic(res: Result, outdir: str, base: str, written: list):
    col = first_binary(res)
    labels = res.labels()
    n = res.ncells
    if col is None:  # no binary outcome: the first real outcome's mean
        reals = [c for c in res.stat_columns() if res.column_role(c) == "outcome"] or res.stat_columns()
        col = reals[0]
        y, lo, hi = (res.stat(col, k) for k in ("mean", "ci_low", "ci_high"))
    else:
        y, lo, hi = (res.stat(col, k) for k in ("rate", "rate_low", "rate_high"))
    binary = res.is_binary(col)
    if n <= 40:
        fig = plt.figure(figsize=(FIG_WIDTH, 1.2 + 0.2 * n), layout="constrained")
        ax = fig.add_subplot()
        yy = np.arange(n)
        xerr = np.vstack([np.clip(y - lo, 0, None), np.clip(hi - y, 0, None)])
        ax.errorbar(y, yy, xerr=np.where(np.isfinite(xerr), xerr, 0), fmt="o", color=OI["blue"], ms=3.5,
                    elinewidth=0.9, capsize=1.5)
        ax.set_yticks(yy)
        ax.set_yticklabels([short_label(res, i, labels) for i in range(n)], fontsize=6)
        ax.invert_yaxis()
        if binary:
            ax.set_xlim(-0.03, 1.03)
        ax.set_xlabel(col_label(res, col).replace("\n", " "))
        ax.grid(axis="x", color="0.92", lw=0.5)
    else:  # caterpillar plot: cells sorted by the outcome
        fig = plt.figure(figsize=(FIG_WIDTH, 3.2), layout="constrained")
        ax = fig.add_subplot()
        order = np.argsort(np.where(np.isfinite(y), y, -np.inf), kind="stable")
        r = np.arange(n)
        ax.fill_between(r, lo[order], hi[order], color=OI["skyblue"], alpha=0.5, lw=0,
                        label=f"{100 * res.confidence:g}% interval")
        ax.plot(r, y[order], color=OI["blue"], lw=1.0, label="cell estimate")
        if binary:
            rate_axis(ax)
        ax.set_xlabel("cells, sorted by the outcome (rank)")
        ax.set_ylabel(col_label(res, col))
        ax.legend(loc="upper left")
        ax.grid(color="0.94", lw=0.5)
    nan_note(ax, y)
    ax.set_title(f"{col_title(col)} per cell — experiment '{res.name}'")
    save(fig, res, outdir, base, f"Factors: {', '.join(res.factors) or 'none'}.", written)


# ---------------------------------------------------------------------------------------
# Which figure for which file
# ---------------------------------------------------------------------------------------
def is_claims(res):
    return {"structure", "control"} <= set(res.factors) and len(set(QUALITIES) & set(res.factors)) >= 2 \
        and res.has_stat("distributed", "rate")


def is_three_qualities(res):
    return set(QUALITIES) <= set(res.factors) and res.has_stat("distributed", "rate")


def is_hero(res):
    return "hero" in res.factors and res.param("hero") is not None


def is_structure(res):
    return "structure" in res.factors and (len(sampled_parameters(res)) > 0 or "variance" in res.f) \
        and first_binary(res) is not None


KINDS = [  # (kind, recognizer, figure); order matters for the factor fallback
    ("hero", is_hero, figure_hero),
    ("claims", is_claims, figure_claims),
    ("three_qualities", is_three_qualities, figure_three_qualities),
    ("structure", is_structure, figure_structure),
]


def detect(res: Result):
    """The figure kind: the experiment name when it is known and its design fits, else the
    first kind whose factors fit, else the generic figure."""
    by_name = {k: (rec, fn) for k, rec, fn in KINDS}
    if res.name in by_name and by_name[res.name][0](res):
        return res.name, by_name[res.name][1]
    for k, rec, fn in KINDS:
        if rec(res):
            return k, fn
    return None, figure_generic


def safe_name(s: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", s).strip("_") or "result"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="figures.py", description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__)
    ap.add_argument("results", nargs="+", metavar="RESULT.h5", help="tribe result files")
    ap.add_argument("-o", "--outdir", default=os.path.join("results", "figures"),
                    help="output folder (default: results/figures)")
    args = ap.parse_args(argv)
    opened = []
    try:
        for p in args.results:  # check every input before drawing anything
            opened.append(Result(p))
    except Refused as e:
        for r in opened:
            r.close()
        print(f"{PROG}: error: {e}", file=sys.stderr)
        return 2
    used, written = set(), []
    try:
        for res in opened:
            kind, fn = detect(res)
            stem = safe_name(os.path.splitext(os.path.basename(res.path))[0])
            name = safe_name(res.name)
            main_base = name if kind else f"{name}_rates"
            todo = [(main_base, lambda b, r=res, f=fn: f(r, args.outdir, b, written))]
            c = res.claims()
            if c:
                todo.append((f"{name}_verdicts",
                             lambda b, r=res, cc=c: figure_verdicts(r, cc, args.outdir, b, written)))
            for base, draw in todo:
                if base in used:
                    base = f"{base}_{stem}"
                k = 2
                while base in used:
                    base, k = f"{base}_{k}", k + 1
                used.add(base)
                draw(base)
    except OSError as e:
        print(f"{PROG}: error: {e}", file=sys.stderr)
        return 1
    finally:
        for r in opened:
            r.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
