"""tribe.plot: figures from tribe result files (`python -m tribe.plot`, `tribe-figures`).

Modules: read (the figures' view of a result, read through tribe.open: python/tribe),
style (palette, markers, labels), stats (pooled intervals), design (levels, series, profiles),
frame (axis helpers, footnote,
saving), verdicts, profiles (Figures 1-2), hero (Figure 3), structure (Figure 4), columns
(figures of any column of any result, issue 18), curves (threshold curves, sweeps), space
(where each claim holds over an assumption space) and cli (`python -m tribe.plot`; scripts/figures.py runs it).

    from tribe.plot import open_result, plot
    with open_result("results/span.h5") as res:
        fig, points, footnote = plot(res, "queue_mean")
"""
__all__ = ["Refused", "Result", "open_result", "plot"]


def __getattr__(name):  # Refused and Result on first use: style alone needs no h5py
    if name in ("Refused", "Result"):
        from . import read

        return getattr(read, name)
    raise AttributeError(name)


def open_result(path: str, model: str | None = None):
    """The checked result file at PATH (a tribe.plot.read.Result; raises Refused)."""
    from .read import Result

    return Result(path, model)


def plot(res, column: str, **kw):
    """The figure of COLUMN for the result RES: (figure, plotted points, footnote text)."""
    from .columns import plot as _plot
    from .style import use_paper_style

    use_paper_style()
    return _plot(res, column, **kw)
