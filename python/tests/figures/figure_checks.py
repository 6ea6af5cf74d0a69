"""Helpers shared by the end-to-end tests of the figure scripts (test_figures.py,
test_docking_figures.py): running tribe and the scripts, checking the figures they write
and the files they refuse, and the final summary. The pytest files beside them
(test_column_figures.py, test_lever_population.py) share ROOT, run() and tribe_binary().

Every check() counts: the test's exit status is finish()'s, 1 when any check failed.
"""
from __future__ import annotations

import concurrent.futures
import os
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(HERE)))  # python/tests/figures/
PYTHON = sys.executable or "/usr/bin/python3"
SIGNATURES = (("png", b"\x89PNG\r\n\x1a\n"), ("pdf", b"%PDF"))

checks = 0
failures: list[str] = []


def check(ok: bool, what: str) -> bool:
    global checks
    checks += 1
    print(f"  [{'ok' if ok else 'FAIL'}] {what}", flush=True)
    if not ok:
        failures.append(what)
    return ok


def run(cmd: list[str], **kw) -> subprocess.CompletedProcess:
    env = dict(os.environ, HDF5_USE_FILE_LOCKING="FALSE", MPLBACKEND="Agg")
    return subprocess.run(cmd, capture_output=True, text=True, env=env, **kw)


def tribe_binary() -> str:
    """TRIBE_BUILD/bin/tribe (default build/release) for the pytest files; fails the test
    when it is not an executable."""
    build = os.environ.get("TRIBE_BUILD", os.path.join(ROOT, "build", "release"))
    path = os.path.join(os.path.abspath(build), "bin", "tribe")
    if not os.access(path, os.X_OK):
        import pytest  # only the pytest files call this

        pytest.fail(f"{path} is not an executable: build tribe and set TRIBE_BUILD to the build folder")
    return path


def tribe_from_args(prog: str, doc: str) -> str | None:
    """BUILD_DIR/bin/tribe from the command line, or None (with a message) when it or h5py is missing."""
    if len(sys.argv) != 2:
        print(doc, file=sys.stderr)
        return None
    tribe = os.path.join(os.path.abspath(sys.argv[1]), "bin", "tribe")
    if not os.access(tribe, os.X_OK):
        print(f"{prog}: error: {tribe} is not an executable (build the tribe target first)", file=sys.stderr)
        return None
    try:
        import h5py  # noqa: F401
    except ImportError as e:
        print(f"{prog}: error: {e} (install python3-h5py; run with /usr/bin/python3)", file=sys.stderr)
        return None
    return tribe


def run_experiment(tribe: str, experiment: str, orgs_per_cell: int, outdir: str) -> str | None:
    """Runs experiments/EXPERIMENT.toml into OUTDIR/EXPERIMENT.h5; its path, or None when it failed."""
    out = os.path.join(outdir, f"{experiment}.h5")
    r = run(
        [
            tribe,
            "run",
            os.path.join(ROOT, "experiments", f"{experiment}.toml"),
            "--orgs-per-cell",
            str(orgs_per_cell),
            "-q",
            "-o",
            out,
        ]
    )
    if check(r.returncode == 0 and os.path.isfile(out), f"tribe run {experiment}.toml"):
        return out
    print(r.stderr, file=sys.stderr)
    return None


def check_drawn(r: subprocess.CompletedProcess, what: str) -> bool:
    """Checks that a figure script exited 0, showing its output when it did not."""
    ok = check(r.returncode == 0, f"{what} exits 0 (got {r.returncode})")
    if not ok:
        print(r.stdout + r.stderr, file=sys.stderr)
    return ok


def check_outputs(outdir: str, names: list[str]):
    for name in names:
        for ext, magic in SIGNATURES:
            p = os.path.join(outdir, f"{name}.{ext}")
            ok = os.path.isfile(p) and os.path.getsize(p) > 0
            if ok:
                with open(p, "rb") as f:
                    ok = f.read(len(magic)) == magic
            check(ok, f"{name}.{ext} exists, is non-empty and is a {ext.upper()} file")


def run_many(cmds: list[list[str]]) -> list[subprocess.CompletedProcess]:
    """Runs the commands at the same time, as many at once as there are cores; their results in order."""
    with concurrent.futures.ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        return list(pool.map(run, cmds))


def listing(outdir: str) -> set[str]:
    return set(os.listdir(outdir)) if os.path.isdir(outdir) else set()


def check_refusal(script: str, r: subprocess.CompletedProcess, what: str, outdir: str, before: set[str]):
    """Checks that the run R of SCRIPT exited 2 with one line '<script>: error: ...' on stderr
    and left OUTDIR as it was (BEFORE: its listing then)."""
    prog = os.path.splitext(os.path.basename(script))[0]
    err = r.stderr.strip()
    check(r.returncode == 2, f"{what}: refused with exit status 2 (got {r.returncode})")
    check(
        len(err.splitlines()) == 1 and err.startswith(f"{prog}: error:"),
        f"{what}: one-line message on stderr ({err!r})",
    )
    check(listing(outdir) == before, f"{what}: nothing drawn")


def check_refused(script: str, args: list[str], what: str, outdir: str):
    """Runs SCRIPT ARGS -o OUTDIR and checks that it refuses (check_refusal)."""
    before = listing(outdir)
    check_refusal(script, run([PYTHON, script, *args, "-o", outdir]), what, outdir, before)


def foreign_files(tmp: str) -> tuple[str, str]:
    """Writes an HDF5 file that is not a tribe result and a text file into TMP; their paths."""
    import h5py

    other = os.path.join(tmp, "other.h5")
    with h5py.File(other, "w") as f:
        f.attrs["filetype"] = "something-else"
        f["data"] = [1.0, 2.0, 3.0]
    text = os.path.join(tmp, "notes.txt")
    with open(text, "w") as f:
        f.write("not an HDF5 file\n")
    return other, text


def incomplete_copy(src: str, dst: str) -> str:
    """A copy of the result SRC at DST with its root attribute complete = 0."""
    import h5py

    shutil.copyfile(src, dst)
    with h5py.File(dst, "r+") as f:
        f.attrs["complete"] = 0
    return dst


def future_copy(src: str, dst: str) -> str:
    """A copy of the result SRC at DST claiming result format version 3.0 (unknown: 2.x is
    the layout with time series as two-dimensional datasets)."""
    import h5py

    shutil.copyfile(src, dst)
    with h5py.File(dst, "r+") as f:
        f.attrs.modify("format_version", [3, 0])
    return dst


def finish(what: str) -> int:
    """Prints the summary; the test's exit status (1 when any check failed)."""
    if failures:
        print(f"\n{len(failures)} of {checks} {what} check(s) failed:", file=sys.stderr)
        for w in failures:
            print(f"  {w}", file=sys.stderr)
        return 1
    print(f"\nall {checks} {what} checks passed")
    return 0
