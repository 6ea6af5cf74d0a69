"""Claims on another tool's results: `from_table` turns a table of runs (a Mesa batch_run
DataFrame or CSV, a NetLogo BehaviorSpace table or spreadsheet output) into a tribe result
file, with the claims evaluated, exactly as `tribe import` does (docs/importing-results.md).

    import mesa, tribe
    results = mesa.batch_run(Schelling, parameters={...}, iterations=5, max_steps=8)
    r = tribe.from_table(results, "schelling.h5", claims="schelling_claims.toml")
    r.claims[["id", "verdict"]]

The work is the engine's `tribe import` program (found as TRIBE_BINARY, the package's own
program, the build tree's, or `tribe` on PATH); a DataFrame or a list of batch_run's dicts
is written to a temporary CSV file first, and recorded as `source` (default "<DataFrame>").
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from typing import Sequence

from .errors import EnvironmentFault, InputError, Interrupted, TribeError
from .result import Result
from .result import open as open_result


def _program(program: str | None) -> str:
    candidates = [program, os.environ.get("TRIBE_BINARY")]
    from . import _program as installed

    candidates.append(installed.path())
    here = os.path.dirname(os.path.abspath(__file__))
    # The build tree: <build>/python/tribe (this package, copied) beside <build>/bin/tribe.
    candidates.append(os.path.join(here, "..", "..", "bin", "tribe"))
    candidates.append(shutil.which("tribe"))
    for c in candidates:
        if c and os.path.isfile(c) and os.access(c, os.X_OK):
            return c
    raise EnvironmentFault(
        "tribe's program is not found (set TRIBE_BINARY, install the package with pip, or "
        "build the project): from_table runs `tribe import`"
    )


def _write_rows(table, path: str) -> None:
    """A pandas DataFrame, or Mesa batch_run's list of dicts, as CSV (no index column)."""
    import pandas as pd

    frame = table if isinstance(table, pd.DataFrame) else pd.DataFrame(list(table))
    frame.to_csv(path, index=False)


def from_table(
    table,
    output: str | os.PathLike,
    *,
    claims: str | os.PathLike | None = None,
    format: str = "auto",  # noqa: A002 - the option's name, as `tribe import --format`
    factors: Sequence[str] | None = None,
    outcomes: Sequence[str] | None = None,
    step: int | None = None,
    replicates: str = "equal",
    common_random_numbers: bool = False,
    name: str | None = None,
    source: str | None = None,
    overwrite: bool = False,
    echo: bool = False,
    program: str | None = None,
) -> Result:
    """Imports `table` into the result file `output` and returns it opened (tribe.open).

    table: a path to a CSV file, a pandas DataFrame (Mesa's batch_run results), or the
    list of dicts batch_run returns. claims: a TOML file of [[claims]] (and [report]), or
    its text. format: "auto", "mesa", "netlogo-table" or "netlogo-spreadsheet". factors,
    outcomes: column names (default: inferred, and echoed). step: the step at which each
    run is read (default: its last). replicates: "equal" (uneven cells are an error) or
    "min" (the first n runs of each cell). common_random_numbers: replicate k used the same
    seed in every cell. echo: print what was inferred (stderr of `tribe import`).
    Raises InputError with the engine's one line ("TABLE:LINE: column NAME: ...") for a
    table that does not fit, and nothing is written."""
    with tempfile.TemporaryDirectory(prefix="tribe-import-") as tmp:
        if isinstance(table, (str, os.PathLike)):
            path = os.fspath(table)
        else:
            path = os.path.join(tmp, "table.csv")
            _write_rows(table, path)
            source = source or "<DataFrame>"
        args = [_program(program), "import", path, "-o", os.fspath(output)]
        if claims is not None:
            text = claims if isinstance(claims, str) and "\n" in claims else None
            if text is not None:
                claims = os.path.join(tmp, "claims.toml")
                with open(claims, "w", encoding="utf-8") as f:
                    f.write(text)
            args += ["--claims", os.fspath(claims)]
        args += ["--format", format, "--replicates", replicates]
        if factors:
            args += ["--factors", ",".join(factors)]
        if outcomes:
            args += ["--outcomes", ",".join(outcomes)]
        if step is not None:
            args += ["--step", str(int(step))]
        if common_random_numbers:
            args.append("--common-random-numbers")
        if name is not None:
            args += ["--name", name]
        if source is not None:
            args += ["--source", source]
        if overwrite:
            args.append("--overwrite")
        done = subprocess.run(args, capture_output=True, text=True)
    if echo and done.stderr:
        print(done.stderr, end="", file=sys.stderr)
    if done.returncode != 0:
        lines = [x for x in done.stderr.splitlines() if x.startswith("tribe:")]
        message = (lines[-1] if lines else done.stderr.strip()).removeprefix("tribe: error: ")
        if not isinstance(table, (str, os.PathLike)):
            message = message.replace(path, source)
        kind = {2: InputError, 3: EnvironmentFault}.get(done.returncode)
        if done.returncode == 130:
            raise Interrupted(message)
        raise (kind or TribeError)(message)
    return open_result(output)
