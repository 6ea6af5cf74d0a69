"""Shared fixtures of the Python module's tests (run by ctest: python_module).

The tests import the package from the build tree (PYTHONPATH=<build>/python, set by
ctest) and compare it with the command-line program (TRIBE_BINARY)."""
from __future__ import annotations

import copy
import os
import subprocess

import pytest

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))


def _binary() -> str:
    b = os.environ.get("TRIBE_BINARY") or os.path.join(ROOT, "build", "release", "bin", "tribe")
    if not os.path.exists(b):
        pytest.exit(f"no tribe binary at {b}: build the project or set TRIBE_BINARY", returncode=2)
    return b


# A small leadership experiment: 2 x 2 cells, small organizations, one claim.
SMALL = {
    "experiment": {
        "name": "small",
        "description": "a small experiment of the Python tests",
        "model": "leadership",
        "seed": 17,
        "organizations_per_cell": 300,
        "output": "small.h5",
    },
    "parameters": {"agents": 20, "steps": 40, "span": 4},
    "factors": {"structure": ["flat", "hierarchy"], "control": [0.1, 0.8]},
    "claims": [
        {
            "id": "flat-distributes-sometimes",
            "statement": "Flat organizations distribute leadership at least sometimes",
            "test": "above",
            "column": "distributed",
            "a": {"structure": "flat"},
            "value": 0.0,
        }
    ],
}


@pytest.fixture
def small_experiment():
    return copy.deepcopy(SMALL)


@pytest.fixture(scope="session")
def tribe_binary():
    return _binary()


@pytest.fixture(scope="session")
def cli():
    """Runs the tribe command-line program; returns the CompletedProcess."""
    binary = _binary()

    def call(*args, cwd=None):
        return subprocess.run([binary, *map(str, args)], capture_output=True, text=True, cwd=cwd)

    return call


@pytest.fixture(scope="session")
def small_result(tmp_path_factory):
    """The small experiment run once through the module (shared, read-only)."""
    import tribe

    out = tmp_path_factory.mktemp("small") / "small.h5"
    return tribe.run(copy.deepcopy(SMALL), output=out, threads=2, progress=False).path


def datasets(path) -> dict:
    """Every dataset of an HDF5 file: name -> (dtype, shape, raw bytes)."""
    import h5py

    out = {}
    with h5py.File(path, "r") as f:

        def visit(name, obj):
            if isinstance(obj, h5py.Dataset):
                v = obj[()]
                raw = repr(v.tolist()).encode() if v.dtype.kind == "O" else v.tobytes()
                out[name] = (str(obj.dtype), obj.shape, raw)

        f.visititems(visit)
    return out


def engine_message(completed) -> str:
    """The one-line message of a failed CLI run, without the `tribe: error: ` prefix."""
    lines = [line for line in completed.stderr.splitlines() if line.startswith("tribe: error: ")]
    assert len(lines) == 1, completed.stderr
    return lines[0][len("tribe: error: ") :]
