"""What scripts/levers.py and scripts/population.py share: their command line, opening the
result of their experiment and its provenance, the one-line refusal, the percentile interval
of bootstrap replicates, number formatting, the Markdown or text table, and writing the
report (and its JSON) with the exit statuses of the project (2 bad input, 3 environment).

What the analyses' command lines share: a file that is not a complete tribe result or is a
result of another experiment is refused with a one-line message and exit status 2; a
missing or unreadable file likewise, with status 3. --json FILE also writes every estimate
and interval, unrounded. Results are read through the package tribe
(PYTHONPATH=build/release/python, or installed). Needs Debian's python3-h5py, python3-numpy
and python3-pandas: run with /usr/bin/python3.
"""
from __future__ import annotations

import argparse
import contextlib
import json
import sys
import time
from typing import Callable

import numpy as np

import tribe.result as tr
from tribe.errors import EnvironmentFault, InputError


class Refused(Exception):
    """A one-line reason to refuse the input (exit status 2)."""


def analysis_main(
    prog: str,
    doc: str,
    experiment: str,
    argv,
    load: Callable,
    finish: Callable,
    options: Callable | None = None,
    check: Callable | None = None,
) -> int:
    """The command line of an analysis of experiments/EXPERIMENT.toml, its exit status: the
    result, --bootstrap, --seed, --format, -o, the script's OPTIONS (a function that adds them
    to the parser), --json. A negative --bootstrap, or a message from CHECK(args), is refused
    (status 2) before anything is read; LOAD(args) reads the result (a refused or unreadable
    file: one line, status 2 or 3); FINISH(args, loaded) gives the report's text and a
    function that gives its JSON object, which write() writes."""
    ap = argparse.ArgumentParser(prog=prog, description=doc.splitlines()[0])
    ap.add_argument("result", help=f"a result of experiments/{experiment}.toml (results/{experiment}.h5)")
    ap.add_argument("--bootstrap", type=int, default=1000, help="bootstrap replicates (default 1000; 0: none)")
    ap.add_argument("--seed", type=int, default=1, help="seed of the bootstrap (default 1)")
    ap.add_argument("--format", choices=("markdown", "text"), default="markdown")
    ap.add_argument("-o", "--output", help="write the report to this file (default: standard output)")
    if options:
        options(ap)
    ap.add_argument("--json", help="also write every estimate and interval, unrounded, to this JSON file")
    a = ap.parse_args(argv)
    bad = f"--bootstrap must be 0 or more (got {a.bootstrap})" if a.bootstrap < 0 else check and check(a)
    if bad:
        print(f"{prog}: error: {bad}", file=sys.stderr)
        return 2
    start = time.monotonic()
    try:
        loaded = load(a)
    except (Refused, InputError) as e:
        print(f"{prog}: error: {e}", file=sys.stderr)
        return 2
    except (EnvironmentFault, OSError) as e:
        print(f"{prog}: error: {e}", file=sys.stderr)
        return 3
    text, json_object = finish(a, loaded)
    return write(prog, text, a.output, a.json, json_object, start)


@contextlib.contextmanager
def experiment_result(path: str, experiment: str):
    """The result at PATH, refused unless it is one of experiments/EXPERIMENT.toml; closed after."""
    res = tr.Result(path)
    try:
        if res.name != experiment:
            raise Refused(
                f"{path} is a result of experiment {res.name!r}, not {experiment!r} " f"(experiments/{experiment}.toml)"
            )
        yield res
    finally:
        res.close()


def provenance(res: tr.Result, path: str) -> dict:
    """What a report says of the run it reads: the file, the run's seed, whether it used
    common random numbers, the model's version."""
    return {
        "path": path,
        "seed": res.provenance.get("seed", "?"),
        "crn": bool(res.provenance.get("common_random_numbers", 0)),
        "model_version": res.provenance.get("model_version", "?"),
    }


def interval(v: np.ndarray) -> tuple[float, float]:
    """The 95% percentile interval of the replicates v[1:] (NaN without replicates)."""
    rep = v[1:]
    rep = rep[np.isfinite(rep)]
    if not len(rep):
        return (float("nan"), float("nan"))
    lo, hi = np.percentile(rep, [2.5, 97.5])
    return (float(lo), float(hi))


def stat(v: np.ndarray) -> dict:
    """The estimate v[0] and the interval of the replicates v[1:], as the JSON holds them."""
    lo, hi = interval(v)
    return {"estimate": float(v[0]), "ci_low": lo, "ci_high": hi}


def fmt(v: np.ndarray, digits: int = 3, ci: bool = True) -> str:
    """v[0] signed to `digits` decimals, with the interval of v[1:] when asked and present."""
    est = float(v[0])
    if not np.isfinite(est):
        return "n/a"
    s = f"{est:+.{digits}f}"
    if ci and len(v) > 1:
        lo, hi = interval(v)
        s += f" [{lo:+.{digits}f}, {hi:+.{digits}f}]"
    return s


def table(header: list[str], rows: list[list[str]], style: str, right_from: int) -> list[str]:
    """A Markdown table, or aligned text; columns from `right_from` on are right-aligned."""
    if style == "markdown":
        out = [
            "| " + " | ".join(header) + " |",
            "|" + "|".join("---" if i < right_from else "---:" for i in range(len(header))) + "|",
        ]
        return out + ["| " + " | ".join(r) + " |" for r in rows]
    widths = [max(len(x) for x in col) for col in zip(header, *rows)]

    def line(r):
        return "  ".join(x.ljust(w) if i < right_from else x.rjust(w) for i, (x, w) in enumerate(zip(r, widths)))

    return [line(header), "  ".join("-" * w for w in widths)] + [line(r) for r in rows]


def write(
    prog: str, text: str, output: str | None, json_path: str | None, json_object: Callable[[], dict], start: float
) -> int:
    """Writes the report to `output` (or standard output) and the JSON; the exit status."""
    try:
        if output:
            with open(output, "w") as f:
                f.write(text)
        else:
            sys.stdout.write(text)
        if json_path:
            with open(json_path, "w") as f:
                json.dump(json_object(), f, indent=1)
    except OSError as e:
        print(f"{prog}: error: {e}", file=sys.stderr)
        return 3
    if output:
        print(f"{prog}: wrote {output} ({time.monotonic() - start:.1f} s)", file=sys.stderr)
    return 0
