#!/usr/bin/python3
"""End-to-end test of scripts/figures.py.

    /usr/bin/python3 python/tests/figures/test_figures.py BUILD_DIR

Runs BUILD_DIR/bin/tribe on the four experiments of experiments/ with 20 organizations
per cell, draws their figures with scripts/figures.py (the paper figure, the verdicts and
the column figure of queue_mean), and checks that every expected
PNG and PDF exists, is non-empty and has the right signature; that a variant of an
experiment under another name is recognized by its factors; and that files which are
not complete tribe results are refused with exit status 2 and a one-line message:
a non-tribe HDF5 file, a text file, a missing file, an incomplete result and a result
of an unknown format major version. Exit status 0 when every check passes.

Needs Debian's python3-h5py, python3-numpy and python3-matplotlib (/usr/bin/python3).
"""
from __future__ import annotations

import os
import shutil
import sys
import tempfile

from figure_checks import (
    PYTHON,
    ROOT,
    check,
    check_drawn,
    check_outputs,
    check_refused,
    finish,
    foreign_files,
    future_copy,
    incomplete_copy,
    run,
    run_experiment,
    tribe_from_args,
)

FIGURES = os.path.join(ROOT, "scripts", "figures.py")

EXPERIMENTS = {  # experiment file -> figures it must produce (with --columns queue_mean)
    "claims": ["claims", "claims_verdicts", "claims_queue_mean"],
    "three_qualities": ["three_qualities", "three_qualities_verdicts", "three_qualities_queue_mean"],
    "hero": ["hero", "hero_verdicts", "hero_queue_mean"],
    "structure": ["structure", "structure_verdicts", "structure_queue_mean"],
}


def main() -> int:
    tribe = tribe_from_args("test_figures", __doc__)
    if tribe is None:
        return 2
    import h5py

    with tempfile.TemporaryDirectory(prefix="tribe-figures-", ignore_cleanup_errors=True) as tmp:
        results = {}
        print("running the four experiments (20 organizations per cell):")
        for exp in EXPERIMENTS:
            out = run_experiment(tribe, exp, 20, tmp)
            if out:
                results[exp] = out

        print("drawing every figure in one command:")
        figdir = os.path.join(tmp, "figures")
        # one column figure per file (the column figures have their own test, test_column_figures.py)
        r = run([PYTHON, FIGURES, *results.values(), "-o", figdir, "--columns", "queue_mean"])
        check_drawn(r, f"figures.py on {len(results)} result files")
        for exp in results:
            check_outputs(figdir, EXPERIMENTS[exp])

        if "claims" in results:
            print("recognizing an experiment by its factors (claims renamed 'claims-variant'):")
            variant = os.path.join(tmp, "variant.h5")
            shutil.copyfile(results["claims"], variant)
            with h5py.File(variant, "r+") as f:
                # An edited file: without its strings' digest it reads as a file written
                # before format 1.2 (with it, the engine refuses the changed text).
                f.attrs["experiment_name"] = "claims-variant"
                del f.attrs["string_digest"]
            vdir = os.path.join(tmp, "variant")
            r = run([PYTHON, FIGURES, variant, "-o", vdir, "--columns", "queue_mean"])
            check(r.returncode == 0, f"figures.py on the variant exits 0 (got {r.returncode})")
            check_outputs(vdir, ["claims-variant", "claims-variant_verdicts", "claims-variant_queue_mean"])

        if "claims" in results:
            print("a column the claims figure uses is absent (the model's measures changed):")
            gone = os.path.join(tmp, "no_leader_share.h5")
            shutil.copyfile(results["claims"], gone)
            with h5py.File(gone, "r+") as f:
                del f["cells/stats/leader_share"], f["organizations/leader_share"]
                del f.attrs["string_digest"]  # an edited file (see above)
            gdir = os.path.join(tmp, "gone")
            r = run([PYTHON, FIGURES, gone, "-o", gdir, "--columns", "queue_mean"])
            check_drawn(r, "figures.py on a claims result without leader_share")
            check(
                "figures: note:" in r.stdout and "leader_share" in r.stdout,
                "the absent column is named in a printed note",
            )
            check_outputs(gdir, ["claims", "claims_verdicts", "claims_queue_mean"])

        print("refusing files that are not complete tribe results:")
        refdir = os.path.join(tmp, "refused")
        os.makedirs(refdir)
        other, text = foreign_files(tmp)
        check_refused(FIGURES, [other], "a non-tribe HDF5 file", refdir)
        check_refused(FIGURES, [text], "a text file", refdir)
        check_refused(FIGURES, [os.path.join(tmp, "missing.h5")], "a missing file", refdir)
        if results:
            src = next(iter(results.values()))
            incomplete = incomplete_copy(src, os.path.join(tmp, "incomplete.h5"))
            check_refused(FIGURES, [incomplete], "a result with complete = 0", refdir)
            future = future_copy(src, os.path.join(tmp, "future.h5"))
            check_refused(FIGURES, [future], "a result of format version 3.0", refdir)
            check_refused(FIGURES, [src, text], "a valid result together with a text file", refdir)

    return finish("figure")


if __name__ == "__main__":
    sys.exit(main())
