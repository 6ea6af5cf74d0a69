#!/usr/bin/python3
"""End-to-end test of the docking figure scripts, models/march/plot_march.py and
models/lazer_friedman/plot_lazer_friedman.py.

    /usr/bin/python3 python/tests/figures/test_docking_figures.py BUILD_DIR

Runs BUILD_DIR/bin/tribe on the nine docking experiments of experiments/ (March 1991:
march_fig1, march_fig3, march_fig1_rules with 5 organizations per cell; Lazer & Friedman 2007: time,
density, fragmented, small_world, k0, imitation with 3 organizations per cell, each of which searches
all 2^20 solutions), draws the March figures with plot_march.py and the six Lazer &
Friedman figures with one plot_lazer_friedman.py command, and checks that every expected
PNG and PDF exists, is non-empty and has the right signature. Then checks that each
script refuses, with exit status 2, one line '<script>: error: ...' on stderr and no
figure written: a non-tribe HDF5 file, a text file, a missing file, a result of the other
model, an incomplete result, and a valid result given together with a text file.
Exit status 0 when every check passes, 1 when any fails.

Needs Debian's python3-h5py, python3-numpy and python3-matplotlib (/usr/bin/python3).
"""
from __future__ import annotations

import os
import sys
import tempfile

from figure_checks import (
    PYTHON,
    ROOT,
    check_drawn,
    check_outputs,
    check_refusal,
    finish,
    foreign_files,
    future_copy,
    incomplete_copy,
    run_experiment,
    run_many,
    tribe_from_args,
)

MARCH = os.path.join(ROOT, "models", "march", "plot_march.py")
LAZER_FRIEDMAN = os.path.join(ROOT, "models", "lazer_friedman", "plot_lazer_friedman.py")

MARCH_ORGS = 5  # about 1 ms an organization
MARCH_FIGURES = {
    "march_fig1": "march_fig1",
    "march_fig3": "march_fig3",
    "march_fig1_rules": "march_fig1_rules",
}  # experiment -> figure

LF_ORGS = 3  # 10-40 ms an organization (exhaustive search of 2^20 solutions); 2 or more for paired intervals
# experiment -> (plot_lazer_friedman.py arguments before the file, figure)
LF_FIGURES = {
    "lazer_friedman_time": ([], "lazer_friedman_time"),
    "lazer_friedman_density": ([], "lazer_friedman_density"),
    "lazer_friedman_fragmented": (["--fragmented"], "lazer_friedman_fragmented"),
    "lazer_friedman_small_world": (["--small-world"], "lazer_friedman_small_world"),
    "lazer_friedman_k0": (["--k0"], "lazer_friedman_k0"),
    "lazer_friedman_imitation": (["--imitation"], "lazer_friedman_imitation"),
}


def refusal_cases(march: dict, lf: dict, tmp: str) -> list[tuple[str, list[str], str]]:
    """(script, arguments, what) for every file each script must refuse."""
    other, text = foreign_files(tmp)
    missing = os.path.join(tmp, "missing.h5")
    cases = []
    for script, own, foreign, model in (
        (MARCH, march["march_fig1"], lf["lazer_friedman_time"], "Lazer & Friedman"),
        (LAZER_FRIEDMAN, lf["lazer_friedman_time"], march["march_fig1"], "March"),
    ):
        name = os.path.basename(script)
        cases += [
            (script, [other], f"{name}, a non-tribe HDF5 file"),
            (script, [text], f"{name}, a text file"),
            (script, [missing], f"{name}, a missing file"),
        ]
        if foreign:
            cases.append((script, [foreign], f"{name}, a result of the {model} model"))
        if own:
            stem = os.path.splitext(os.path.basename(own))[0]
            incomplete = incomplete_copy(own, os.path.join(tmp, f"{stem}-incomplete.h5"))
            future = future_copy(own, os.path.join(tmp, f"{stem}-future.h5"))
            cases += [
                (script, [incomplete], f"{name}, a result with complete = 0"),
                (script, [future], f"{name}, a result of format version 3.0"),
                (script, [own, text], f"{name}, a valid result together with a text file"),
            ]
    # A Lazer & Friedman result of another experiment in a slot: refused, not a traceback.
    if lf["lazer_friedman_time"] and lf["lazer_friedman_density"]:
        cases += [
            (LAZER_FRIEDMAN, [lf["lazer_friedman_density"]], "plot_lazer_friedman.py, a density result as TIME"),
            (
                LAZER_FRIEDMAN,
                [lf["lazer_friedman_time"], "--fragmented", lf["lazer_friedman_density"]],
                "plot_lazer_friedman.py, a density result as --fragmented",
            ),
        ]
    if lf["lazer_friedman_time"] and lf["lazer_friedman_k0"]:
        cases.append(
            (
                LAZER_FRIEDMAN,
                [lf["lazer_friedman_time"], "--small-world", lf["lazer_friedman_k0"]],
                "plot_lazer_friedman.py, a K = 0 result as --small-world",
            )
        )
    return cases


def main() -> int:
    tribe = tribe_from_args("test_docking_figures", __doc__)
    if tribe is None:
        return 2

    with tempfile.TemporaryDirectory(prefix="tribe-docking-figures-", ignore_cleanup_errors=True) as tmp:
        print(f"running the March experiments ({MARCH_ORGS} organizations per cell):")
        march = {e: run_experiment(tribe, e, MARCH_ORGS, tmp) for e in MARCH_FIGURES}
        print(f"running the Lazer & Friedman experiments ({LF_ORGS} organizations per cell):")
        lf = {e: run_experiment(tribe, e, LF_ORGS, tmp) for e in LF_FIGURES}

        # Every figure script run (the two drawings and the refusals) at once: each is one
        # single-threaded Python process. Each refusal writes into an empty folder of its own.
        figdir = os.path.join(tmp, "figures")
        draws = []  # (what, command, figures)
        done = {e: p for e, p in march.items() if p}
        if done:
            draws.append(
                (
                    f"plot_march.py on {len(done)} result files",
                    [PYTHON, MARCH, *done.values(), "-o", figdir],
                    [MARCH_FIGURES[e] for e in done],
                )
            )
        done = {e: p for e, p in lf.items() if p}
        if "lazer_friedman_time" in done:  # the one positional argument it needs
            args = [a for e, p in done.items() for a in (*LF_FIGURES[e][0], p)]
            draws.append(
                (
                    f"plot_lazer_friedman.py on {len(done)} result files",
                    [PYTHON, LAZER_FRIEDMAN, *args, "-o", figdir],
                    [LF_FIGURES[e][1] for e in done],
                )
            )
        refusals = []  # (script, command, what, outdir)
        for i, (script, args, what) in enumerate(refusal_cases(march, lf, tmp)):
            outdir = os.path.join(tmp, f"refused-{i}")
            os.makedirs(outdir)
            refusals.append((script, [PYTHON, script, *args, "-o", outdir], what, outdir))
        results = run_many([d[1] for d in draws] + [r[1] for r in refusals])

        print("drawing the March figures and the five Lazer & Friedman figures:")
        for (what, _, figures), r in zip(draws, results):
            check_drawn(r, what)
            check_outputs(figdir, figures)
        print("refusing files the scripts cannot draw:")
        for (script, _, what, outdir), r in zip(refusals, results[len(draws) :]):
            check_refusal(script, r, what, outdir, set())

    return finish("docking figure")


if __name__ == "__main__":
    sys.exit(main())
