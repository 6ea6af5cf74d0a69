"""The frame every figure shares: axis helpers, the provenance footnote and saving (PNG at
300 dpi and PDF with embedded TrueType fonts)."""
from __future__ import annotations

import os
import textwrap

import matplotlib.pyplot as plt
import numpy as np

from .style import errorbar_marker

PROG = "figures"


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
        ax.text(
            0.5, 0.5, "no defined values", transform=ax.transAxes, ha="center", va="center", color="0.4", fontsize=7
        )


def errorbar(ax, x, y, lo, hi, **kw):
    x, y, lo, hi = (np.asarray(v, float) for v in (x, y, lo, hi))
    yerr = np.vstack([np.clip(y - lo, 0, None), np.clip(hi - y, 0, None)])
    yerr = np.where(np.isfinite(yerr), yerr, 0)
    return ax.errorbar(x, y, yerr=yerr, **kw)


def estimates(ax, x, y, lo, hi, st, **kw):
    """Estimates with their intervals in the look of the style ST (marker, colour, face, thin
    error lines), as the factorial and quality-profile figures draw their series."""
    return errorbar(ax, x, y, lo, hi, **errorbar_marker(st), elinewidth=0.9, **kw)


def footnote(res, extra: str = "", width: float = 7.2) -> str:
    """Provenance: experiment, file, organizations, seed, commit, engine and model versions,
    and what the intervals are (plus EXTRA), wrapped for a figure WIDTH inches wide."""
    p = res.provenance()
    lo, hi = p["per_cell_min"], p["per_cell_max"]
    per = f"{lo:,} per cell" if lo == hi else f"{lo:,}–{hi:,} per cell"
    sha = p["git_sha1"]
    dirty = sha.endswith("-dirty")
    sha = sha[:12] + ("-dirty" if dirty else "")
    conf = f"{100 * p['confidence']:g}%"
    line1 = (
        f"tribe experiment '{p['experiment']}' ({p['file']}): {p['organizations']:,} organizations in "
        f"{p['cells']:,} cells ({per}); seed {p['seed']}; git {sha}; engine "
        f"{p['engine_version']}, model {p['model']} {p['model_version']}."
    )
    line2 = f"Intervals: {conf} (rates: Wilson score; means: Student t). {extra}".strip()
    chars = int(175 * width / 7.2)
    return "\n".join(textwrap.wrap(line1, chars) + textwrap.wrap(line2, chars))


def write(fig, outdir: str, base: str, dpi: int = 300, formats=("png", "pdf"), **savefig_kw) -> list[str]:
    """Saves FIG as OUTDIR/BASE.png and .pdf (or FORMATS) and closes it; the paths."""
    os.makedirs(outdir, exist_ok=True)
    paths = []
    for ext in formats:
        p = os.path.join(outdir, f"{base}.{ext}")
        fig.savefig(p, dpi=dpi, metadata={"Title": base} if ext == "pdf" else None, **savefig_kw)
        paths.append(p)
    plt.close(fig)
    return paths


def add_footnote(fig, res, extra: str) -> None:
    """The provenance footnote under the figure (file, engine, seed, organizations, EXTRA)."""
    fig.text(
        0.0,
        -0.005,
        footnote(res, extra, fig.get_figwidth()),
        ha="left",
        va="top",
        fontsize=5.5,
        color="0.3",
        wrap=False,
        transform=fig.transFigure,
    )


def save(fig, res, outdir: str, base: str, extra: str, written: list):
    """Adds the provenance footnote and writes the figure (written gets the paths)."""
    add_footnote(fig, res, extra)
    paths = write(fig, outdir, base, bbox_inches="tight", pad_inches=0.05)
    written.extend(paths)
    print(f"{PROG}: wrote {paths[0]} and .pdf ({res.path})")


def note(res, msg: str) -> None:
    """A printed note (stdout) about something a figure leaves out, e.g. an absent column."""
    print(f"{PROG}: note: {res.path}: {msg}")


def present(res, wanted, what: str) -> list:
    """The columns of WANTED that the file has cell statistics for; a note names the others."""
    have = [c for c in wanted if res.has_stat(c)]
    missing = [c for c in wanted if c not in have]
    if missing:
        note(res, f"{what}: no column {', '.join(missing)} in this file; left out")
    return have
