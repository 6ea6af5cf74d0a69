"""The command line of `python -m tribe.plot` (and `tribe-figures`, scripts/figures.py):
which figures for which file."""
from __future__ import annotations

import argparse
import json
import math
import os
import re
import sys

import numpy as np

import tribe

from . import calibration, columns, curves, layout, space
from .design import first_binary, sampled_parameters
from .frame import note
from .hero import figure_hero
from .profiles import figure_claims, figure_three_qualities
from .read import Refused, Result
from .structure import figure_structure
from .style import QUALITIES, use_paper_style
from .verdicts import figure_verdicts

PROG = "figures"


def is_claims(res):
    return (
        {"structure", "control"} <= set(res.factors)
        and len(set(QUALITIES) & set(res.factors)) >= 2
        and res.has_stat("distributed", "rate")
    )


def is_three_qualities(res):
    return set(QUALITIES) <= set(res.factors) and res.has_stat("distributed", "rate")


def is_hero(res):
    return "hero" in res.factors and res.param("hero") is not None


def is_structure(res):
    return (
        "structure" in res.factors
        and (len(sampled_parameters(res)) > 0 or bool(res.variance()))
        and first_binary(res) is not None
    )


KINDS = [  # (kind, recognizer, figure); order matters for the factor fallback
    ("hero", is_hero, figure_hero),
    ("claims", is_claims, figure_claims),
    ("three_qualities", is_three_qualities, figure_three_qualities),
    ("structure", is_structure, figure_structure),
]


def detect(res):
    """The paper figure of the file: its experiment name when known and its design fits, else
    the first kind whose factors fit; (None, None) when none does."""
    by_name = {k: (rec, fn) for k, rec, fn in KINDS}
    if res.name in by_name:
        if by_name[res.name][0](res):
            return res.name, by_name[res.name][1]
        note(
            res,
            f"experiment '{res.name}' no longer has the factors or columns its paper figure needs; "
            "drawing the column figures only",
        )
        return None, None
    for k, rec, fn in KINDS:
        if rec(res):
            return k, fn
    return None, None


def safe_name(s: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", s).strip("_") or "result"


def _json_default(o):
    if isinstance(o, (np.integer,)):
        return int(o)
    if isinstance(o, (np.floating,)):
        return float(o)
    if isinstance(o, np.ndarray):
        return o.tolist()
    raise TypeError(type(o))


def _clean(o):
    """NaN and infinities as null, so that the dump is strict JSON."""
    if isinstance(o, dict):
        return {k: _clean(v) for k, v in o.items()}
    if isinstance(o, (list, tuple)):
        return [_clean(v) for v in o]
    if isinstance(o, (float, np.floating)):
        return float(o) if math.isfinite(o) else None
    if isinstance(o, np.integer):
        return int(o)
    return o


def parser():
    doc = sys.modules["__main__"].__doc__ or __doc__
    ap = argparse.ArgumentParser(
        prog="figures.py",
        description=doc.split("\n\n")[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=doc,
    )
    ap.add_argument("results", nargs="+", metavar="RESULT.h5", help="tribe result files")
    ap.add_argument(
        "-o", "--outdir", default=os.path.join("results", "figures"), help="output folder (default: results/figures)"
    )
    ap.add_argument(
        "--columns",
        metavar="A,B",
        help="columns to draw (a time series by its name without _tNNN); default: the claims' "
        "columns, then the model's main outcomes",
    )
    ap.add_argument("--x", help="factor on the x axis of the column figures (default: the first factor)")
    ap.add_argument("--by", help="factor drawn as one line per level (default: the second factor)")
    ap.add_argument("--facet", help="factor drawn as one row of panels per level (default: the third factor)")
    ap.add_argument(
        "--sample",
        type=int,
        metavar="N",
        help=f"organizations per cell read for distributions, at most (default {layout.SAMPLE_PER_CELL:,},"
        f" and {layout.SAMPLE_TOTAL:,} over all cells)",
    )
    ap.add_argument("--sample-seed", type=int, metavar="S", help="seed of that sample (default: the file's seed)")
    ap.add_argument(
        "--formats", default="png,pdf", metavar="png,pdf", help="file formats of the column figures (default png,pdf)"
    )
    ap.add_argument("--dpi", type=int, default=300, help="resolution of the PNG column figures (default 300)")
    ap.add_argument("--no-paper", action="store_true", help="only the column figures (no paper or verdict figure)")
    ap.add_argument(
        "--dump",
        metavar="FILE.json",
        help="write the plotted points (means, intervals, " "distributions per cell) of the column figures as JSON",
    )
    return ap


def main(argv=None) -> int:
    args = parser().parse_args(argv)
    use_paper_style()
    wanted = [c.strip() for c in args.columns.split(",") if c.strip()] if args.columns else None
    if args.sample is not None and args.sample < 1:
        print(f"{PROG}: error: --sample must be at least 1 (got {args.sample})", file=sys.stderr)
        return 2
    formats = [x.strip() for x in args.formats.split(",") if x.strip()]
    bad = [x for x in formats if x not in ("png", "pdf", "svg")]
    if bad or not formats or not 20 <= args.dpi <= 1200:
        print(
            f"{PROG}: error: --formats takes png, pdf or svg (got {args.formats!r}) and --dpi 20 to 1200 "
            f"(got {args.dpi})",
            file=sys.stderr,
        )
        return 2
    opened = []
    try:
        for p in args.results:  # check every input before drawing anything
            opened.append(Result(p))
        for res in opened:
            if wanted:
                missing = [c for c in wanted if columns.resolve(res, c) is None]
                if missing:
                    raise Refused(
                        f"{res.path}: no column {', '.join(missing)} (columns with cell statistics: "
                        f"{', '.join(res.stat_columns())}; time series: "
                        f"{', '.join(layout.time_series(res)) or 'none'})"
                    )
            try:
                layout.roles(res, args.x, args.by, args.facet)
            except ValueError as e:
                raise Refused(f"{res.path}: {e}") from None
    except Refused as e:
        for r in opened:
            r.close()
        print(f"{PROG}: error: {e}", file=sys.stderr)
        return 2
    used, written, dumps, spaces = set(), [], [], []

    def unique(base, stem):
        if base in used:
            base = f"{base}_{stem}"
        k = 2
        while base in used:
            base, k = f"{base}_{k}", k + 1
        used.add(base)
        return base

    try:
        for res in opened:
            stem = safe_name(os.path.splitext(os.path.basename(res.path))[0])
            name = safe_name(res.name)
            if not args.no_paper:
                kind, fn = detect(res)
                if fn is not None:
                    fn(res, args.outdir, unique(name, stem), written)
                c = res.claims()
                if c:
                    figure_verdicts(res, c, args.outdir, unique(f"{name}_verdicts", stem), written)
                    if res.threshold_curves():
                        curves.figure_threshold_curves(
                            res, args.outdir, unique(f"{name}_threshold_curves", stem), written
                        )
                    if res.sweeps():
                        curves.figure_sweeps(res, args.outdir, unique(f"{name}_sweeps", stem), written)
                    if res.assumption_space() is not None:
                        spaces += space.figure_space(res, args.outdir, unique(f"{name}_where", stem), written)
                if res.calibration() is not None:
                    calibration.figure_calibration(res, args.outdir, unique(f"{name}_calibration", stem), written)
            cols = wanted or columns.default_columns(res)
            if not cols:
                note(res, "no column with cell statistics to draw")
            for col in cols:
                d = columns.draw(
                    res,
                    col,
                    args.outdir,
                    unique(f"{name}_{safe_name(col)}", stem),
                    written,
                    x=args.x,
                    by=args.by,
                    facet=args.facet,
                    max_per_cell=args.sample,
                    seed=args.sample_seed,
                    formats=formats,
                    dpi=args.dpi,
                )
                d["file"] = res.path
                d["experiment"] = res.name
                dumps.append(d)
        if args.dump:
            with open(args.dump, "w") as f:
                json.dump(_clean({"figures": dumps, "assumption_space": spaces}), f, indent=1, default=_json_default)
            print(f"{PROG}: wrote {args.dump}")
    except tribe.TribeError as e:
        # A file that passed the first checks and fails while its rows are read (a chunk
        # whose checksum fails): one line, as the CLI (exit 2; 3 for the environment).
        print(f"{PROG}: error: {e}", file=sys.stderr)
        return 3 if isinstance(e, tribe.EnvironmentFault) else 2
    except OSError as e:
        print(f"{PROG}: error: {e}", file=sys.stderr)
        return 1
    finally:
        for r in opened:
            r.close()
    return 0
