"""The package as people install it (issue 28): `pip install .` into a venv on Debian's
Python, offline, with Debian's build packages; then, from another folder and with no
environment variable set, `tribe run`, `tribe.run(...)`, `Result.plot(...)` and
`tribe-figures` work, and pip knows the package (show, uninstall).

The CMake build that pip runs is pointed at this build tree (TRIBE_BUILD_DIR), so that the
test costs seconds rather than a second full build; a fresh `pip install .` configures
and builds build/pip the same way (setup.py)."""
from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest

from conftest import ROOT


def _build_dir() -> str:
    binary = os.environ.get("TRIBE_BINARY") or os.path.join(ROOT, "build", "release", "bin", "tribe")
    return os.path.dirname(os.path.dirname(os.path.abspath(binary)))


SPAN = """[experiment]
name = "span"
model = "leadership"
seed = 5
organizations_per_cell = 30

[parameters]
agents = 12
steps = 30

[factors]
span = [2, 4]
"""


@pytest.fixture(scope="module")
def venv(tmp_path_factory):
    where = tmp_path_factory.mktemp("venv")
    v = where / "v"
    subprocess.run(["/usr/bin/python3", "-m", "venv", "--system-site-packages", str(v)], check=True)
    env = {k: x for k, x in os.environ.items() if k not in ("PYTHONPATH", "TRIBE_BINARY")}
    env["TRIBE_BUILD_DIR"] = _build_dir()
    p = subprocess.run(
        [str(v / "bin" / "pip"), "install", "--no-build-isolation", "--no-index", ROOT],
        capture_output=True,
        text=True,
        env=env,
    )
    assert p.returncode == 0, p.stdout[-2000:] + p.stderr[-2000:]
    return v


def _clean_env():
    return {k: x for k, x in os.environ.items() if k not in ("PYTHONPATH", "TRIBE_BINARY", "TRIBE_BUILD_DIR")}


def test_pip_install_gives_the_module_the_program_and_the_figures(venv, tmp_path):
    (tmp_path / "span.toml").write_text(SPAN)
    env = dict(_clean_env(), MPLBACKEND="Agg")
    run = subprocess.run(
        [str(venv / "bin" / "tribe"), "run", "span.toml", "-q"], cwd=tmp_path, capture_output=True, text=True, env=env
    )
    assert run.returncode == 0, run.stderr
    assert (tmp_path / "results" / "span.h5").exists()  # the default output, created here
    code = (
        "import tribe; r = tribe.run('span.toml', output='py.h5', progress=False); "
        "fig = r.plot('solve_rate'); fig.savefig('plot.png'); "
        "print(tribe.__file__); print(r.n_organizations, list(r.cells['span'])); "
        "print(tribe.open(tribe.example('hero_small.h5')).name)"
    )
    py = subprocess.run(
        [str(venv / "bin" / "python"), "-c", code], cwd=tmp_path, capture_output=True, text=True, env=env
    )
    assert py.returncode == 0, py.stderr
    where, counts, example = py.stdout.split("\n")[:3]
    assert where.startswith(str(venv)) and counts == "60 [2, 4]" and example == "hero"
    assert (tmp_path / "plot.png").stat().st_size > 1000
    figs = subprocess.run(
        [
            str(venv / "bin" / "tribe-figures"),
            "results/span.h5",
            "-o",
            "figs",
            "--no-paper",
            "--columns",
            "solve_rate",
            "--formats",
            "png",
            "--dpi",
            "40",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env=env,
    )
    assert figs.returncode == 0, figs.stderr
    assert any(f.endswith(".png") for f in os.listdir(tmp_path / "figs"))
    # The same program and version as the build tree's; pip's metadata agrees.
    version = subprocess.run([str(venv / "bin" / "tribe"), "--version"], capture_output=True, text=True, env=env).stdout
    built = subprocess.run(
        [os.path.join(_build_dir(), "bin", "tribe"), "--version"], capture_output=True, text=True
    ).stdout
    assert version == built
    show = subprocess.run([str(venv / "bin" / "pip"), "show", "tribe"], capture_output=True, text=True, env=env).stdout
    assert f"Version: {version.split()[0]}" in show
    gone = subprocess.run(
        [str(venv / "bin" / "pip"), "uninstall", "-y", "tribe"], capture_output=True, text=True, env=env
    )
    assert gone.returncode == 0 and not (venv / "bin" / "tribe").exists()


def test_no_python_file_edits_sys_path():
    # The package, the scripts and the tests import tribe as an installed package (or from
    # PYTHONPATH): no folder is pushed onto sys.path anywhere.
    offenders = []
    for top in ("python", "scripts", "tests", "examples"):
        for d, dirs, files in os.walk(os.path.join(ROOT, top)):
            dirs[:] = [x for x in dirs if x not in ("__pycache__", "corpus")]
            for f in files:
                if f.endswith(".py"):
                    path = os.path.join(d, f)
                    text = open(path, encoding="utf-8").read()
                    if re.search(r"sys\.path\.(insert|append)\(", text) and f != os.path.basename(__file__):
                        offenders.append(os.path.relpath(path, ROOT))
    assert offenders == [], offenders


def test_the_versions_agree():
    # CMakeLists.txt names the version once; the package, the program and CITATION.cff follow it.
    cmake = open(os.path.join(ROOT, "CMakeLists.txt")).read()
    version = re.search(r"project\(tribe VERSION ([0-9.]+)", cmake).group(1)
    program = subprocess.run(
        [os.path.join(_build_dir(), "bin", "tribe"), "--version"], capture_output=True, text=True
    ).stdout.split()[0]
    assert program == version
    citation = open(os.path.join(ROOT, "CITATION.cff")).read()
    assert re.search(r"^version: \"?([0-9.]+)\"?$", citation, re.M).group(1) == version
    import json

    assert json.load(open(os.path.join(ROOT, "codemeta.json")))["version"] == version
    sys.stdout.write(f"version {version}\n")
