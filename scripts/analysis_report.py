"""What scripts/levers.py and scripts/population.py share: the one-line refusal, the
percentile interval of bootstrap replicates, number formatting, the Markdown or text table,
and writing the report (and its JSON) with the exit statuses of the project (2 bad input,
3 environment)."""
from __future__ import annotations

import json
import sys
import time
from typing import Callable

import numpy as np


class Refused(Exception):
    """A one-line reason to refuse the input (exit status 2)."""


def interval(v: np.ndarray) -> tuple[float, float]:
    """The 95% percentile interval of the replicates v[1:] (NaN without replicates)."""
    rep = v[1:]
    rep = rep[np.isfinite(rep)]
    if not len(rep):
        return (float("nan"), float("nan"))
    lo, hi = np.percentile(rep, [2.5, 97.5])
    return (float(lo), float(hi))


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
