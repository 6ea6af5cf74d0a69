#!/usr/bin/python3
"""Make figures from tribe result files (PNG at 300 dpi and PDF).

    /usr/bin/python3 scripts/figures.py RESULT.h5 [RESULT2.h5 ...] [-o OUTDIR]
        [--columns A,B] [--x F] [--by F] [--facet F] [--sample N] [--dump FILE.json]

OUTDIR defaults to results/figures. For every file:

  EXPERIMENT_COLUMN.{png,pdf}  one figure per column asked for (--columns; default: the
                               columns of the experiment's claims, then the model's main
                               outcomes): cell means with the stored 95% intervals against
                               the first factor, a line per level of the second, a row of
                               panels per level of the third, and beside them the
                               distribution over organizations; rates with Wilson intervals
                               for binary columns; curves over time for a time series
                               (columns NAME_t000, NAME_t001, ...: ask for NAME); for sampled
                               designs (random, LHS), cell means against each sampled
                               parameter with a smoothed trend and the sensitivity indices
  EXPERIMENT_verdicts          the claims' estimates, intervals and verdicts (files with claims)
  EXPERIMENT_where, EXPERIMENT_where_CLAIM
                               claims evaluated over an assumption space (assumption_space =
                               true): each claim's verdict at every sampled point over the two
                               parameters that matter most for its estimate, with the PRIM box
                               where it is supported (all claims as panels, and one per claim)

and the paper figures of the four leadership experiments, recognized by the root attribute
`experiment_name` (or, for another name, by the design factors):

  claims           claims.{png,pdf}           distributed rate by quality profile,
                                              structure x control; leader share; queues;
                                              the claims' verdicts
  three_qualities  three_qualities.{png,pdf}  the 2x2x2 table and distortion signatures
  hero             hero.{png,pdf}             with/without hero x heroic mindset; hero
                                              dependence; more Joes vs better interactions
  structure        structure.{png,pdf}        variance shares; rate against control and
                                              collaboration; rate by structure

When two inputs would write the same name, the second gets its file stem appended. A column
a paper figure needs that the file lacks is left out with a printed note.

A file that is not a complete tribe result (root attribute filetype "tribe-result",
complete = 1, format_version major 1 or 2), a column the file does not have, or a factor
that does not vary is refused with a one-line message and exit status 2, before anything
is drawn. See docs/figures.md for how to read the figures.

This script is a thin wrapper over the figure package of the Python module, tribe.plot
(`python -m tribe.plot` and the installed command `tribe-figures` are the same program).
The package must be importable: installed (`pip install .`, docs/python.md) or from the
build tree (PYTHONPATH=build/release/python). Needs Debian's python3-h5py, python3-numpy,
python3-pandas, python3-scipy and python3-matplotlib: run with /usr/bin/python3.
"""
import sys

try:
    import h5py  # noqa: F401
    import numpy  # noqa: F401
    import pandas  # noqa: F401
    import scipy  # noqa: F401
except ImportError as e:  # pragma: no cover - environment problem
    print(
        f"figures: error: {e}; install Debian's python3-h5py, python3-numpy, python3-pandas and "
        "python3-scipy and run with "
        "/usr/bin/python3",
        file=sys.stderr,
    )
    sys.exit(3)
try:
    from tribe.plot.cli import main
except ImportError as e:
    print(
        f"figures: error: the Python package tribe is not importable ({e}): install it (pip install .) or "
        "set PYTHONPATH=build/release/python after building",
        file=sys.stderr,
    )
    sys.exit(3)

if __name__ == "__main__":
    sys.exit(main())
