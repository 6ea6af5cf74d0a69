"""What the column figures share: the roles of the factors (x axis, lines, panels, pooled),
the positions of levels on an axis, series styles, titles and notes, and the distributions
of organizations (bounded, seeded samples read through tribe.plot.read)."""
from __future__ import annotations

import re
import textwrap

import numpy as np

from .design import fmt_level, is_numeric, levels
from .read import SERIES_RE
from .style import FIG_WIDTH, HATCHES, LINESTYLES, MARKERS, PALETTE, factor_label, structure_name

SAMPLE_PER_CELL = 4000  # organizations per cell read for a distribution, at most
SAMPLE_TOTAL = 400_000  # and at most this many over all cells


def time_series(res) -> dict:
    """{NAME: [(t, column), ...] sorted by t} for every family NAME_tNNN of at least three
    columns with cell statistics."""
    fam: dict = {}
    for c in res.stat_columns():
        m = SERIES_RE.match(c)
        if m:
            fam.setdefault(m.group("base"), []).append((int(m.group("t")), c))
    return {b: sorted(v) for b, v in fam.items() if len(v) >= 3}


def varying_factors(res) -> list[str]:
    return [f for f in res.factors if len(levels(res.param(f))) > 1]


def roles(res, x=None, by=None, facet=None):
    """(x, by, facet, pooled): the factors on the x axis, as series, as panel rows, and
    pooled over. Unset roles take the varying factors in the experiment file's order."""
    fs = varying_factors(res)
    for given in (x, by, facet):
        if given is not None and given not in fs:
            raise ValueError(f"'{given}' is not a factor that varies in this file (factors: {', '.join(fs) or 'none'})")
    chosen = [x, by, facet]
    rest = [f for f in fs if f not in chosen]
    for i in range(3):
        if chosen[i] is None and rest:
            chosen[i] = rest.pop(0)
    return chosen[0], chosen[1], chosen[2], rest


class Axis:
    """Positions of a factor's levels on an x axis: the values for a numeric factor (log2 of
    them when the levels are geometric, e.g. 2, 4, 8, 16), 0, 1, ... for choices."""

    def __init__(self, res, name):
        self.name = name
        self.values = levels(res.param(name)) if name else [None]
        v = np.asarray(self.values, float) if name and is_numeric(res.param(name)) else None
        self.numeric = v is not None
        self.log = False
        if self.numeric and v.size >= 3 and np.all(v > 0) and v.max() / v.min() >= 4:
            r = np.diff(np.log(v))
            self.log = bool(np.ptp(r) <= 0.25 * r.mean())
        if not self.numeric:
            self.pos = np.arange(len(self.values), dtype=float)
        else:
            self.pos = np.log2(v) if self.log else v
        d = np.diff(np.sort(self.pos))
        self.spacing = float(d[d > 0].min()) if np.any(d > 0) else 1.0

    def label(self) -> str:
        if not self.name:
            return ""
        return factor_label(self.name) + (" (log scale)" if self.log else "")

    def setup(self, ax):
        ax.set_xticks(self.pos)
        ax.set_xticklabels([level_name(self.name, v) if v is not None else "all cells" for v in self.values])
        pad = 0.5 * self.spacing
        ax.set_xlim(self.pos.min() - pad, self.pos.max() + pad)
        ax.set_xlabel(self.label())


def suptitle(fig, res, col, title, shown=None, series_t=None):
    """The figure title and, below it, the column's name and description from the file (for a
    time series, the description of its column at t = SERIES_T with that number read as t)."""
    desc = res.column_description(col)
    if series_t is not None:
        desc = re.sub(rf"\b{series_t}\b", "t", desc)
    what = f"{shown or col}: {desc}" if desc and desc != col else (shown or col)
    width = int(95 * fig.get_figwidth() / FIG_WIDTH)
    fig.suptitle(
        title + "\n" + "\n".join(textwrap.wrap(what, width)[:2]),
        x=0.0,
        ha="left",
        fontsize=8.5,
        fontweight="bold",
        linespacing=1.35,
    )


def missing_note(res, cols) -> str:
    """A footnote sentence on organizations whose value is undefined (NaN), '' when none is."""
    n = int(sum(np.nansum(res.stat(c, "missing")) for c in cols if res.has_stat(c, "missing")))
    return f"{n:,} undefined values (NaN) left out of means and distributions." if n else ""


def drawn(fig, extra, kind, column, roles: dict, pooled_over, points, dists, sampled, seed):
    """What a column figure's plot returns: the figure; its --dump record (KIND, COLUMN, the
    factors in their ROLES, the pooled factors, the points, the distributions and whether they
    are a seeded sample); and the footnote sentences of EXTRA that are not empty."""
    dump = {
        "kind": kind,
        "column": column,
        **roles,
        "pooled_over": pooled_over,
        "points": points,
        "distributions": dists,
        "sampled": bool(sampled),
        "sample_seed": seed if sampled else None,
    }
    return fig, dump, " ".join(e for e in extra if e)


def style(i: int, n: int) -> dict:
    c = PALETTE[i % len(PALETTE)]
    return dict(
        color=c,
        marker=MARKERS[i % len(MARKERS)],
        ls=LINESTYLES[i % len(LINESTYLES)],
        mfc=c if i % 2 == 0 else "white",
        hatch=HATCHES[i % len(HATCHES)],
    )


def level_name(name, v) -> str:
    return structure_name(v) if name == "structure" else fmt_level(v)


def level_text(name, v) -> str:
    return f"{factor_label(name)} = {level_name(name, v)}"


def sample_bound(res, max_per_cell: int | None) -> int:
    """Organizations per cell read for a distribution: MAX_PER_CELL when given, else
    SAMPLE_PER_CELL and at most SAMPLE_TOTAL over all cells (but 50 at least)."""
    if max_per_cell is not None:
        return max_per_cell
    return max(50, min(SAMPLE_PER_CELL, SAMPLE_TOTAL // max(res.ncells, 1)))


def distributions(res, col, max_per_cell, seed):
    """Values of COL per cell from /organizations (a bounded seeded sample for large cells)
    and a footnote sentence saying which."""
    per = sample_bound(res, max_per_cell)
    values, sampled = res.org_sample(col, per, seed)
    values = [v[np.isfinite(v)] for v in values]
    if sampled:
        text = (
            f"Distributions: a uniform sample of at most {per:,} organizations per cell (seed {seed}); "
            "means and intervals: all organizations (cell statistics)."
        )
    else:
        text = "Distributions: every organization (violins: kernel density, cut at the smallest and largest value)."
    return values, sampled, text


def pool_values(values, mask):
    idx = np.flatnonzero(mask)
    return np.concatenate([values[i] for i in idx]) if idx.size else np.zeros(0)


def quantiles(v) -> dict:
    if v.size == 0:
        return {}
    q = np.quantile(v, [0.05, 0.25, 0.5, 0.75, 0.95])
    return {"q05": float(q[0]), "q25": float(q[1]), "median": float(q[2]), "q75": float(q[3]), "q95": float(q[4])}
