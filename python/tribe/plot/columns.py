"""Figures for any result (issue 18): one figure per column asked for, named
`<experiment>_<column>`.

- Factorial designs: cell means with the engine's stored intervals against the first factor
  (a numeric axis for numeric factors; a log axis when the levels are geometric), one colour,
  marker and line style per level of the second factor, a row of panels per level of the
  third; further factors are pooled (the pooled intervals are then computed from the cells'
  stored n, mean and sd, and the footnote says so). Beside the means: the distribution over
  organizations per cell (violins with median and quartiles), read from /organizations one
  column at a time, from every organization or a bounded seeded sample of them.
- Binary columns: rates with the stored Wilson intervals (no distribution panel: a 0/1
  column's distribution is its rate).
- Time series (columns NAME_t000, NAME_t001, ...; ask for NAME): the mean curve over time
  with its interval band per series, and beside it the 10-90% band and median of the
  organizations.
- Sampled designs (random, Latin-hypercube, Sobol: parameters that vary across cells
  without being factors): cell means against each sampled parameter with a smoothed trend
  (Gaussian kernel), per factor combination, and the sensitivity indices when the file stores
  them (/sensitivity/<column>, else the variance shares of /variance/<column>).

The families live in factorial.py, timeseries.py and sampled.py (shared pieces: layout.py);
this module chooses the columns and the family. `plot(res, column)` returns the matplotlib
figure, the points it drew and its footnote text; `draw()` saves it with the provenance
footnote.
"""
from __future__ import annotations

from .design import sampled_parameters
from .factorial import plot_factorial
from .frame import add_footnote, note, write
from .layout import time_series
from .sampled import plot_sampled
from .timeseries import plot_series

# The outcomes drawn by default after the claims' columns, per model (those the file has);
# for another model, its first outcome columns.
MAIN_OUTCOMES = {
    "leadership": ["distributed", "solve_rate", "queue_mean", "leadership_evenness"],
    "march": ["knowledge_code_equilibrium", "knowledge_individuals_equilibrium"],
    "lazer_friedman": ["mean_score", "final_mean_score", "rounds_to_equilibrium"],
}
OTHER_MODEL_OUTCOMES = 3


# ---------------------------------------------------------------------------------------
# Which columns
# ---------------------------------------------------------------------------------------
def resolve(res, name: str):
    """('series', NAME) for a time-series family, ('column', NAME) for a column with cell
    statistics, None when the file has neither."""
    if name in time_series(res):
        return ("series", name)
    if res.has_stat(name):
        return ("column", name)
    return None


def default_columns(res) -> list[str]:
    """The columns the experiment's claims use (a member of a time series stands for the
    series), then the model's main outcomes."""
    series = time_series(res)
    member = {c: b for b, cols in series.items() for _, c in cols}
    out = [member.get(c, c) for c in res.claim_columns()]
    main = MAIN_OUTCOMES.get(res.model)
    if main is None:
        outcomes = [c for c in res.columns() if res.column_role(c) == "outcome" and res.has_stat(c)]
        main = list(dict.fromkeys(member.get(c, c) for c in outcomes))[:OTHER_MODEL_OUTCOMES]
    out += main
    absent = [c for c in dict.fromkeys(out) if not resolve(res, c)]
    if absent:
        note(res, f"no column {', '.join(absent)} in this file; no figure of it")
    return [c for c in dict.fromkeys(out) if resolve(res, c)]


# ---------------------------------------------------------------------------------------
# Entry points
# ---------------------------------------------------------------------------------------
def plot(res, column, x=None, by=None, facet=None, max_per_cell=None, seed=None):
    """The figure of COLUMN (a column with cell statistics or a time-series name) for the
    result RES: (matplotlib figure, plotted points as a dict, footnote text)."""
    what = resolve(res, column)
    if what is None:
        raise KeyError(column)
    kw = dict(x=x, by=by, facet=facet, max_per_cell=max_per_cell, seed=seed)
    if what[0] == "series":
        return plot_series(res, column, **kw)
    if sampled_parameters(res) and not any(v is not None for v in (x, by, facet)):
        return plot_sampled(res, column)
    return plot_factorial(res, column, **kw)


def draw(res, column, outdir, base, written, formats=("png", "pdf"), dpi=300, **kw):
    """Draws COLUMN's figure into OUTDIR/BASE.{png,pdf} with the provenance footnote; the
    plotted points (for --dump)."""
    fig, dump, extra = plot(res, column, **kw)
    add_footnote(fig, res, extra)
    paths = write(fig, outdir, base, dpi=dpi, formats=formats, bbox_inches="tight", pad_inches=0.05)
    written.extend(paths)
    print(f"figures: wrote {', '.join(paths)} ({res.path})")
    dump["figure"] = base
    dump["files"] = paths
    return dump
