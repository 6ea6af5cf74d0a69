"""Shared style: the Okabe & Ito (2008) colour-blind-safe palette, markers, fills, hatches
and line styles (every series also reads in greyscale), the paper rcParams and the axis
labels of known columns and factors."""
from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

OI = {
    "black": "#000000",
    "orange": "#E69F00",
    "skyblue": "#56B4E9",
    "green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "purple": "#CC79A7",
}
PALETTE = [
    OI["blue"],
    OI["vermillion"],
    OI["green"],
    OI["orange"],
    OI["purple"],
    OI["skyblue"],
    OI["black"],
    OI["yellow"],
]
MARKERS = ["o", "s", "^", "D", "v", "P", "X", "*"]
HATCHES = ["", "///", "...", "xxx", "\\\\\\", "---", "+++", "ooo"]
LINESTYLES = ["-", "--", ":", "-."]
FILLS = ["full", "none", "left", "bottom"]

FIG_WIDTH = 7.2  # inches: a two-column paper's full text width
HALF_WIDTH = 3.5  # one column

PAPER_RC = {
    "font.size": 7.5,
    "axes.titlesize": 8.5,
    "axes.titleweight": "bold",
    "axes.labelsize": 7.5,
    "xtick.labelsize": 7,
    "ytick.labelsize": 7,
    "legend.fontsize": 6.5,
    "legend.title_fontsize": 6.5,
    "legend.frameon": False,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.linewidth": 0.7,
    "lines.linewidth": 1.1,
    "lines.markersize": 4.5,
    "errorbar.capsize": 2.0,
    "savefig.dpi": 300,
    "pdf.fonttype": 42,
    "ps.fonttype": 42,
    "axes.titlelocation": "left",
    "figure.constrained_layout.h_pad": 0.04,
    "figure.constrained_layout.w_pad": 0.04,
}


def use_paper_style(**overrides):
    """Applies the paper rcParams (and OVERRIDES) to matplotlib."""
    plt.rcParams.update({**PAPER_RC, **overrides})


def color(i: int) -> str:
    return PALETTE[i % len(PALETTE)]


def marker(i: int) -> str:
    return MARKERS[i % len(MARKERS)]


def linestyle(i: int):
    return LINESTYLES[i % len(LINESTYLES)]


def errorbar_marker(st: dict) -> dict:
    """A style's points as ax.errorbar draws them: its marker and colour, its face (mfc),
    edged in its colour (the same look in every figure that plots estimates with intervals)."""
    return dict(fmt=st["marker"], color=st["color"], mfc=st["mfc"], mec=st["color"])


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
    "distributed": "Distributed leadership",
    "solve_rate": "Problems solved",
    "queue_mean": "Bottleneck",
    "front_line_initiative": "Front-line initiative",
    "blame_per_challenge": "Blame",
    "conflicts_per_challenge": "Conflict (infighting)",
    "misdirected_per_challenge": "Misdirected work",
    "escalation_rate": "Escalation",
    "failures_per_challenge": "Failures (crash and burn)",
    "leader_share": "Leadership held by the top",
    "hero_dependence": "Hero dependence",
    "leadership_evenness": "Leadership evenness",
}
FACTOR_LABEL = {
    "structure": "structure",
    "control": "upstream control",
    "aligned": "aligned",
    "proactive": "proactive",
    "collaborative": "collaborative",
    "span": "span of control",
    "tie_within": "lateral ties within units",
    "tie_across": "lateral ties across units",
    "hero": "hero",
    "hero_deference": "heroic mindset (deference)",
    "hero_managers": "hero-like managers",
}
STRUCTURE_LABEL = {
    "flat": "flat",
    "hierarchy": "balanced hierarchy",
    "random_hierarchy": "hierarchy",
    "random_tree": "random recursive tree",
    "preferential": "preferential attachment",
}
QUALITY_LETTER = {"aligned": "A", "proactive": "P", "collaborative": "C"}
QUALITIES = ["aligned", "proactive", "collaborative"]
MINUS = "\u2212"


def col_label(res, col: str) -> str:
    """The axis label of a column: a known label, else its description (wrapped), else its name."""
    if col in COLUMN_LABEL:
        return COLUMN_LABEL[col]
    desc = res.column_description(col)
    return desc if len(desc) <= 40 else col.replace("_", " ")


def col_title(col: str) -> str:
    return COLUMN_TITLE.get(col, col.replace("_", " ").capitalize())


def factor_label(name: str) -> str:
    return FACTOR_LABEL.get(name, name.replace("_", " "))


def structure_name(v) -> str:
    return STRUCTURE_LABEL.get(str(v), str(v).replace("_", " "))
