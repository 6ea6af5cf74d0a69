"""tribe from Python: run experiments on the tribe engine and read their results.

    import tribe
    r = tribe.run("experiments/hero.toml", output="hero.h5", orgs_per_cell=1000)
    r.cells                      # pandas DataFrame: parameters and statistics per cell
    r.claims[["id", "verdict"]]  # the experiment's claims and their verdicts
    tribe.open("hero.h5").read_organizations(["distributed"], parameters=True)

`run`, `models` and `model` call the compiled engine (the extension tribe._tribe, built
with the project: PYTHONPATH=build/release/python). Reading results (`open`, `Result`)
is pure Python over h5py and also works from the source tree (PYTHONPATH=python) without
a build. See docs/python.md.
"""
from __future__ import annotations

import builtins
import os
import sys
from collections.abc import Mapping
from typing import Callable, Sequence

import numpy as np

from . import _toml
from .errors import EnvironmentFault, InputError, Interrupted, TribeError
from .python_model import Model, ModelError, Rng, Stream, boolean, choice, column, integer, real
from .result import Calibration, Result, open  # noqa: A004 - tribe.open is the module's reader
from .table import from_table

try:
    from . import _tribe
except ImportError as _e:  # the pure-Python reader still works
    _tribe = None
    _import_error = _e

__all__ = [
    "run",
    "open",
    "models",
    "model",
    "Result",
    "Calibration",
    "experiment_text",
    "check",
    "TribeError",
    "InputError",
    "EnvironmentFault",
    "Interrupted",
    "__version__",
    "example",
    "Model",
    "ModelError",
    "Rng",
    "Stream",
    "real",
    "integer",
    "boolean",
    "choice",
    "column",
    "from_table",
]


def _engine():
    if _tribe is None:
        raise ImportError(
            "tribe's compiled engine (tribe._tribe) is not available: build the project "
            "(bash scripts/setup.sh) and put build/release/python on PYTHONPATH; reading "
            f"results with tribe.open works without it ({_import_error})"
        )
    return _tribe


def __getattr__(name):
    if name == "__version__":
        return _engine().engine_version()
    raise AttributeError(f"module 'tribe' has no attribute {name!r}")


def models() -> "list[dict]":
    """Every registered model: name, version, description (as `tribe models`)."""
    e = _engine()
    return [
        {k: v for k, v in e.describe_model(n).items() if k in ("name", "version", "description")}
        for n in e.model_names()
    ]


def model(name: str) -> dict:
    """One model as `tribe models NAME` describes it: name, version, description,
    parameters (name, type, min, max or choices, default, description), columns (name,
    kind, role, description) and derived_columns. Raises InputError for an unknown name."""
    return _engine().describe_model(name)


def example(name: str = "hero_small.h5") -> str:
    """The path of a result file that comes with the package (python/tribe/data/):
    "hero_small.h5", a small run of experiments/hero.toml (50 organizations per cell)."""
    here = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data")
    path = os.path.join(here, name)
    if not os.path.isfile(path):
        known = sorted(f for f in os.listdir(here) if f.endswith(".h5")) if os.path.isdir(here) else []
        raise InputError(f"no example {name!r} (examples: {', '.join(known) or 'none installed'})")
    return path


def experiment_text(experiment) -> str:
    """The TOML text of an experiment given as a dict (or TOML text, returned as is)."""
    if isinstance(experiment, Mapping):
        return _toml.dumps(experiment)
    if isinstance(experiment, str):
        return experiment
    raise TypeError(f"experiment_text takes a dict or TOML text, not {type(experiment).__name__}")


def _source(experiment) -> "tuple[str, str, bool]":
    """(text, source path or label, read from file) of an experiment argument."""
    if isinstance(experiment, Mapping):
        return _toml.dumps(experiment), "<dict>", False
    if isinstance(experiment, os.PathLike):
        return "", os.fspath(experiment), True
    if isinstance(experiment, str):
        looks_like_toml = "\n" in experiment or experiment.lstrip().startswith("[")
        return (experiment, "<string>", False) if looks_like_toml else ("", experiment, True)
    raise TypeError(f"experiment must be a path, TOML text or a dict, not {type(experiment).__name__}")


def check(experiment) -> dict:
    """Parses and validates an experiment (path, TOML text or dict) without running it:
    name, model, cells, organizations_per_cell, seed, output. Raises InputError as
    `tribe run` would."""
    text, source, from_file = _source(experiment)
    if from_file:
        try:
            with builtins.open(source, encoding="utf-8") as fh:
                text = fh.read()
        except OSError as e:
            raise InputError(f"{source}: cannot read experiment file ({e.strerror})") from None
    return _engine().check_experiment(text, source)


class _ProgressBar:
    """A tqdm bar (Debian python3-tqdm) fed from the engine's progress reports."""

    def __init__(self):
        try:
            from tqdm import tqdm
        except ImportError:  # pragma: no cover - tqdm is a declared dependency
            tqdm = None
        self._tqdm = tqdm
        self._bar = None

    def __call__(self, done: int, total: int, seconds: float) -> None:
        if self._tqdm is None:
            return
        if self._bar is None:
            # Live on a terminal or in a notebook; a line every 10 s in a log (as the CLI).
            live = getattr(sys.stderr, "isatty", lambda: False)() or "ipykernel" in sys.modules
            self._bar = self._tqdm(
                total=total,
                unit="org",
                unit_scale=True,
                file=sys.stderr,
                desc="tribe",
                dynamic_ncols=True,
                mininterval=0.2 if live else 10.0,
            )
        if self._bar.total != total:
            self._bar.total = total
        self._bar.update(done - self._bar.n)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()
            self._bar = None


def _whole(name: str, value):
    """VALUE as an int (None stays None), or InputError naming the argument. The ranges are
    the engine's (job::resolve, shared with the CLI, with the same messages); here only
    what pybind11 cannot take: another type, or more than 64 bits."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise InputError(f"{name} = {value!r} is not allowed: expected an integer")
    if not -(2**63) <= int(value) < 2**63:
        raise InputError(f"{name} = {value} is not allowed: expected an integer of at most 63 bits")
    return int(value)


def run(
    experiment,
    output: "str | os.PathLike | None" = None,
    *,
    threads: "int | None" = None,
    backend: str = "openmp",
    seed: "int | None" = None,
    orgs_per_cell: "int | None" = None,
    progress: "bool | Callable[[int, int, float], None]" = True,
    overwrite: bool = False,
    resume: bool = False,
    ci_width: "float | None" = None,
    ci_columns: "Sequence[str] | None" = None,
    max_orgs_per_cell: "int | None" = None,
    rows_per_part: int = 65536,
    model: "Model | None" = None,
) -> Result:
    """Runs an experiment on the engine, as `tribe run` does, and opens its result.

    experiment: a path to a TOML file, TOML text, or a dict with the same tables
        ({"experiment": {...}, "parameters": {...}, "factors": {...}, "claims": [...]}).
    output: the result file (default: the experiment's `output`, results/NAME.h5).
    threads, backend ("serial", "openmp", "tbb"), seed, orgs_per_cell, overwrite, resume,
        ci_width, ci_columns, max_orgs_per_cell, rows_per_part: as the options of
        `tribe run` (results never depend on threads or backend).
    progress: True for a progress bar and the engine's notes on stderr, False for
        silence, or a function called with (done, total, seconds).
    model: a model written in Python (a tribe.Model), run as the experiment's model: its
        name must be the experiment's `model`. See docs/writing-a-model.md, "A model in Python".

    The GIL is released while the engine computes. Ctrl-C (a notebook's interrupt) stops
    the run as it stops the CLI: the finished parts are kept in OUTPUT.parts/ and
    tribe.Interrupted (a KeyboardInterrupt) is raised; the same call continues the run.
    Errors raise InputError or EnvironmentFault with the engine's message.
    """
    e = _engine()
    text, source, from_file = _source(experiment)
    # The arguments, checked here with their names (pybind11 would give a 15-line TypeError,
    # or take 1.5 and True as 1).
    threads = _whole("threads", threads)
    seed = _whole("seed", seed)
    orgs_per_cell = _whole("orgs_per_cell", orgs_per_cell)
    max_orgs_per_cell = _whole("max_orgs_per_cell", max_orgs_per_cell)
    rows_per_part = _whole("rows_per_part", rows_per_part)
    if ci_width is not None and (isinstance(ci_width, bool) or not isinstance(ci_width, (int, float))):
        raise InputError(f"ci_width = {ci_width!r} is not allowed: expected a number")
    if model is not None:
        if not isinstance(model, Model):
            raise InputError(f"model = {model!r} is not allowed: expected a tribe.Model")
        model.define()
        named = check(experiment)["model"]
        if named != model.name:
            raise InputError(f"the experiment's model is {named!r}, but model= is {model.name!r}")
    bar = _ProgressBar() if progress is True else None
    callback = bar if bar is not None else (progress if callable(progress) else None)

    def note(text: str) -> None:
        if bar is not None and bar._bar is not None and bar._bar.n >= bar._bar.total:
            bar.close()  # the computation is done: end the bar's line before the next note
        print(f"[tribe] {text}", file=sys.stderr, flush=True)

    command = f"tribe.run({source}" + (f", output={os.fspath(output)}" if output is not None else "") + ") [Python]"
    try:
        info = e.run(
            text,
            source,
            from_file=from_file,
            output=os.fspath(output) if output is not None else None,
            seed=seed,
            orgs_per_cell=orgs_per_cell,
            backend=backend,
            threads=threads,
            overwrite=overwrite,
            resume=resume,
            ci_width=ci_width,
            ci_columns=list(ci_columns or []),
            max_orgs_per_cell=max_orgs_per_cell,
            rows_per_part=rows_per_part,
            command_line=command,
            progress=callback,
            note=note if progress is True else None,
        )
    except ModelError:
        # Rows computed while the model failed are not trusted: nothing is kept to resume.
        parts = os.fspath(output if output is not None else check(experiment)["output"]) + ".parts"
        import shutil

        shutil.rmtree(parts, ignore_errors=True)
        raise
    finally:
        if bar is not None:
            bar.close()
    if info["stopped"]:
        saved = info["resumed_from"] + info["computed"]
        if info.get("stopped_while"):  # after the computing: every organization is saved
            saved = info["total"]
            message = (
                f"{info['stopped_while']}: all {saved:,} organizations are saved in {info['parts']}; "
                "run the same call again (or pass resume=True) to finish the result"
            )
        else:
            message = (
                f"interrupted: {saved:,} of {info['total']:,} organizations are saved in "
                f"{info['parts']}; run the same call again (or pass resume=True) to continue"
            )
        raise Interrupted(message, saved=saved, total=info["total"], parts=info["parts"]) from info["interrupt"]
    if progress is True and info["computed"] == 0:
        print(
            f"[tribe] wrote {info['output']} from the {info['resumed_from']:,} organizations its parts held",
            file=sys.stderr,
            flush=True,
        )
    elif progress is True:
        rate = info["computed"] / info["seconds"] if info["seconds"] > 0 else 0.0
        print(
            f"[tribe] wrote {info['output']}: {info['computed']:,} organizations computed in "
            f"{info['seconds']:.2f} s ({rate:,.0f} orgs/s, {info['threads']} threads)",
            file=sys.stderr,
            flush=True,
        )
    result = Result(info["output"])
    result.run_info = info
    return result
