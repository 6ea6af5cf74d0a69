#!/usr/bin/python3
"""End-to-end test of scripts/figures.py.

    /usr/bin/python3 tests/python/test_figures.py BUILD_DIR

Runs BUILD_DIR/bin/tribe on the four experiments of experiments/ with 20 organizations
per cell, draws their figures with scripts/figures.py, and checks that every expected
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
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
FIGURES = os.path.join(ROOT, "scripts", "figures.py")
PYTHON = sys.executable or "/usr/bin/python3"

EXPERIMENTS = {  # experiment file -> figures it must produce
    "claims": ["claims", "claims_verdicts"],
    "three_qualities": ["three_qualities", "three_qualities_verdicts"],
    "hero": ["hero", "hero_verdicts"],
    "structure": ["structure", "structure_verdicts"],
}

failures: list[str] = []


def check(ok: bool, what: str) -> bool:
    print(f"  [{'ok' if ok else 'FAIL'}] {what}", flush=True)
    if not ok:
        failures.append(what)
    return ok


def run(cmd: list[str], **kw) -> subprocess.CompletedProcess:
    env = dict(os.environ, HDF5_USE_FILE_LOCKING="FALSE", MPLBACKEND="Agg")
    return subprocess.run(cmd, capture_output=True, text=True, env=env, **kw)


def check_outputs(outdir: str, names: list[str]):
    for name in names:
        for ext, magic in (("png", b"\x89PNG\r\n\x1a\n"), ("pdf", b"%PDF")):
            p = os.path.join(outdir, f"{name}.{ext}")
            ok = os.path.isfile(p) and os.path.getsize(p) > 0
            if ok:
                with open(p, "rb") as f:
                    ok = f.read(len(magic)) == magic
            check(ok, f"{name}.{ext} exists, is non-empty and is a {ext.upper()} file")


def check_refused(args: list[str], what: str, outdir: str):
    before = set(os.listdir(outdir)) if os.path.isdir(outdir) else set()
    r = run([PYTHON, FIGURES, *args, "-o", outdir])
    err = r.stderr.strip()
    check(r.returncode == 2, f"{what}: refused with exit status 2 (got {r.returncode})")
    check(len(err.splitlines()) == 1 and err.startswith("figures: error:"),
          f"{what}: one-line message on stderr ({err!r})")
    after = set(os.listdir(outdir)) if os.path.isdir(outdir) else set()
    check(after == before, f"{what}: nothing drawn")


def main() -> int:
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    tribe = os.path.join(os.path.abspath(sys.argv[1]), "bin", "tribe")
    if not os.access(tribe, os.X_OK):
        print(f"test_figures: error: {tribe} is not an executable (build the tribe target first)", file=sys.stderr)
        return 2
    try:
        import h5py
    except ImportError as e:
        print(f"test_figures: error: {e} (install python3-h5py; run with /usr/bin/python3)", file=sys.stderr)
        return 2

    tmp = tempfile.mkdtemp(prefix="tribe-figures-")
    try:
        results = {}
        print("running the four experiments (20 organizations per cell):")
        for exp in EXPERIMENTS:
            out = os.path.join(tmp, f"{exp}.h5")
            r = run([tribe, "run", os.path.join(ROOT, "experiments", f"{exp}.toml"), "--orgs-per-cell", "20",
                     "-q", "-o", out])
            if check(r.returncode == 0 and os.path.isfile(out), f"tribe run {exp}.toml"):
                results[exp] = out
            else:
                print(r.stderr, file=sys.stderr)

        print("drawing every figure in one command:")
        figdir = os.path.join(tmp, "figures")
        r = run([PYTHON, FIGURES, *results.values(), "-o", figdir])
        check(r.returncode == 0, f"figures.py on {len(results)} result files exits 0 (got {r.returncode})")
        if r.returncode != 0:
            print(r.stdout + r.stderr, file=sys.stderr)
        for exp in results:
            check_outputs(figdir, EXPERIMENTS[exp])

        if "claims" in results:
            print("recognizing an experiment by its factors (claims renamed 'claims-variant'):")
            variant = os.path.join(tmp, "variant.h5")
            shutil.copyfile(results["claims"], variant)
            with h5py.File(variant, "r+") as f:
                f.attrs["experiment_name"] = "claims-variant"
            vdir = os.path.join(tmp, "variant")
            r = run([PYTHON, FIGURES, variant, "-o", vdir])
            check(r.returncode == 0, f"figures.py on the variant exits 0 (got {r.returncode})")
            check_outputs(vdir, ["claims-variant", "claims-variant_verdicts"])

        print("refusing files that are not complete tribe results:")
        refdir = os.path.join(tmp, "refused")
        os.makedirs(refdir)
        other = os.path.join(tmp, "other.h5")
        with h5py.File(other, "w") as f:
            f.attrs["filetype"] = "something-else"
            f["data"] = [1.0, 2.0, 3.0]
        check_refused([other], "a non-tribe HDF5 file", refdir)
        text = os.path.join(tmp, "notes.txt")
        with open(text, "w") as f:
            f.write("not an HDF5 file\n")
        check_refused([text], "a text file", refdir)
        check_refused([os.path.join(tmp, "missing.h5")], "a missing file", refdir)
        if results:
            src = next(iter(results.values()))
            incomplete = os.path.join(tmp, "incomplete.h5")
            shutil.copyfile(src, incomplete)
            with h5py.File(incomplete, "r+") as f:
                f.attrs["complete"] = 0
            check_refused([incomplete], "a result with complete = 0", refdir)
            future = os.path.join(tmp, "future.h5")
            shutil.copyfile(src, future)
            with h5py.File(future, "r+") as f:
                f.attrs.modify("format_version", [2, 0])
            check_refused([future], "a result of format version 2.0", refdir)
            check_refused([src, text], "a valid result together with a text file", refdir)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    if failures:
        print(f"\n{len(failures)} check(s) failed:", file=sys.stderr)
        for w in failures:
            print(f"  {w}", file=sys.stderr)
        return 1
    print("\nall figure checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
