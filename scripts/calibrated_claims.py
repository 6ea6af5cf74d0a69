#!/usr/bin/env python3
"""The essay's claims re-decided where the model matches what is known of real teams.

A calibration (experiments/validation.toml, [calibration]: rejection ABC) keeps the
points of the assumptions where the model comes closest to the empirical patterns (the
accepted region). This script runs each claims experiment of the essay (H1-H6) again at
those points, and, for comparison with the same number of points and organizations, at
as many points drawn from the whole prior (the first points of the calibration's Latin
hypercube, in its random order). Each run is an ordinary experiment file written next to
its result: the original file's text, unchanged but for its name, its organizations per
cell and the calibrated parameters it fixed, followed by a "list" design of the points
([design.points]). A calibrated parameter that the experiment varies as a factor (N in
hero.toml and more_joes.toml, the essay's founder firm and teams) keeps its factor.

Each claim's verdict is then printed at three places: the default point (the original
result file, if present), the whole prior and the accepted region. Every run decides its
claims as its own Holm family, as the original file does.

    /usr/bin/python3 scripts/calibrated_claims.py results/validation.h5 \
        --out results/calibrated -o results/calibrated-claims.md [--scale 0.5]
"""
from __future__ import annotations

import argparse
import hashlib
import math
import os
import re
import subprocess
import sys

import h5py
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
EXPERIMENTS = ["claims", "three_qualities", "hero", "more_joes"]  # H1-H2, H4, H5, H6
INTEGER = {"agents", "steps", "span", "capacity", "hero_managers"}


def fail(message: str) -> None:
    print(f"calibrated_claims: {message}", file=sys.stderr)
    sys.exit(2)


def read_calibration(path: str):
    """The calibrated parameters, the accepted points and as many prior points."""
    try:
        f = h5py.File(path, "r")
    except OSError as e:
        fail(f"{path}: cannot open ({e})")
    with f:
        if "calibration" not in f:
            fail(f"{path} has no /calibration (run an experiment with [calibration])")
        g = f["calibration"]
        names = [s.decode() if isinstance(s, bytes) else s for s in g["parameter"][()]]
        values = np.column_stack([g[f"value_{n}"][()] for n in names])
        accepted = g["accepted"][()].astype(bool)
        rule = g.attrs["rule"]
        rule = rule.decode() if isinstance(rule, bytes) else str(rule)
    m = int(accepted.sum())
    if m == 0:
        fail(f"{path}: the calibration accepted no point; nothing to re-decide")
    return names, values[accepted], values[:m], rule


def text_with_points(text: str, name: str, per_cell: int, names, points, factors) -> str:
    """The experiment's text as a "list" design at `points` (calibrated values)."""
    lines = text.splitlines()
    out, section = [], ""
    listed = [n for n in names if n not in factors]
    for line in lines:
        header = re.match(r"^\s*\[+([^\]]+)\]+", line)
        if header:
            section = header.group(1).strip()
        key = re.match(r"^\s*([A-Za-z0-9_]+)\s*=", line)
        if section == "experiment" and key and key.group(1) == "name":
            line = f'name = "{name}"'
        elif section == "experiment" and key and key.group(1) == "organizations_per_cell":
            line = f"organizations_per_cell = {per_cell}"
        elif section == "experiment" and key and key.group(1) == "output":
            line = f'output = "results/calibrated/{name}.h5"'
        elif section == "parameters" and key and key.group(1) in listed:
            line = f"# {line.strip()}  (calibrated: listed in [design.points])"
        out.append(line)
    out.append("")
    out.append("[design]")
    out.append('sampling = "list"')
    out.append("")
    out.append("[design.points]")
    for j, n in enumerate(names):
        if n not in listed:
            continue
        col = points[:, j]
        vals = [str(int(round(v))) if n in INTEGER else repr(float(v)) for v in col]
        out.append(f"{n} = [{', '.join(vals)}]")
    return "\n".join(out) + "\n"


def factors_of(text: str):
    found, section = set(), ""
    for line in text.splitlines():
        header = re.match(r"^\s*\[+([^\]]+)\]+", line)
        if header:
            section = header.group(1).strip()
            continue
        key = re.match(r"^\s*([A-Za-z0-9_]+)\s*=", line)
        if section == "factors" and key:
            found.add(key.group(1))
    return found


def verdicts(path: str):
    if not os.path.exists(path):
        return {}
    with h5py.File(path, "r") as f:
        if "claims" not in f:
            return {}
        g = f["claims"]
        ids = [s.decode() for s in g["id"][()]]
        ver = [s.decode() for s in g["verdict"][()]]
        est = g["estimate"][()]
        lo, hi = g["ci_low"][()], g["ci_high"][()]
    return {i: (v, e, a, b) for i, v, e, a, b in zip(ids, ver, est, lo, hi)}


def cell(v) -> str:
    if not v:
        return "—"
    verdict, e, lo, hi = v
    return f"{verdict} ({e:+.3g} [{lo:+.3g}, {hi:+.3g}])"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("calibration", help="a result file with /calibration")
    ap.add_argument(
        "--out",
        default=os.path.join("results", "calibrated"),
        help="folder of the generated experiments and their results",
    )
    ap.add_argument(
        "--scale", type=float, default=0.5, help="organizations of each run as a share of the original file's"
    )
    ap.add_argument("--tribe", default=os.path.join(ROOT, "build", "release", "bin", "tribe"))
    ap.add_argument("--results", default="results", help="folder of the original results")
    ap.add_argument("-o", "--output", help="write the Markdown table here (default: stdout)")
    ap.add_argument("--experiments", default=",".join(EXPERIMENTS))
    ap.add_argument("--extra", default="", help="extra `tribe run` options, e.g. '--threads 2'")
    args = ap.parse_args()
    if not (args.scale > 0):
        fail(f"--scale {args.scale} is not allowed: expected a number > 0")
    names, accepted, prior, rule = read_calibration(args.calibration)
    m = len(accepted)
    os.makedirs(args.out, exist_ok=True)
    with open(args.calibration, "rb") as fh:
        digest = hashlib.sha256(fh.read()).hexdigest()[:16]
    rows = []
    for e in [s for s in args.experiments.split(",") if s]:
        src = os.path.join(ROOT, "experiments", f"{e}.toml")
        with open(src, encoding="utf-8") as fh:
            text = fh.read()
        per_cell0 = int(re.search(r"^organizations_per_cell\s*=\s*(\d+)", text, re.M).group(1))
        per_cell = max(2, math.ceil(per_cell0 * args.scale / m))
        factors = factors_of(text)
        runs = {}
        for which, points in (("accepted", accepted), ("prior", prior)):
            name = f"{e}_{which}"
            body = text_with_points(text, name, per_cell, names, points, factors)
            head = (
                f"# Generated by scripts/calibrated_claims.py from experiments/{e}.toml at the "
                f"{m} {'accepted' if which == 'accepted' else 'first prior'} points of "
                f"{os.path.basename(args.calibration)} (sha256 {digest}...; accepted: {rule}).\n"
            )
            toml = os.path.join(args.out, f"{name}.toml")
            with open(toml, "w", encoding="utf-8") as fh:
                fh.write(head + body)
            h5 = os.path.join(args.out, f"{name}.h5")
            if os.path.exists(h5):
                os.remove(h5)
            cmd = [args.tribe, "run", toml, "-o", h5, "--quiet"] + args.extra.split()
            done = subprocess.run(cmd, capture_output=True, text=True)
            if done.returncode != 0:
                fail(f"{' '.join(cmd)} failed ({done.returncode}): {done.stderr.strip()}")
            runs[which] = verdicts(h5)
        default = verdicts(os.path.join(args.results, f"{e}.h5"))
        for cid in runs["accepted"]:
            rows.append((e, cid, default.get(cid), runs["prior"].get(cid), runs["accepted"][cid]))
    kept = [n for n in names]
    lines = [
        f"Claims re-decided at the {m} accepted points of the calibration "
        f"({os.path.basename(args.calibration)}: {rule}) and at {m} points of the whole prior, "
        f"each run with {args.scale:g} of its file's organizations spread over the points; "
        f"calibrated: {', '.join(kept)} (a factor of the file keeps its levels). "
        "Verdict (estimate [95% CI]); each run is its own Holm family.",
        "",
        "| experiment | claim | default point | whole prior | accepted region |",
        "|---|---|---|---|---|",
    ]
    for e, cid, d, p, a in rows:
        lines.append(f"| {e} | {cid} | {cell(d)} | {cell(p)} | {cell(a)} |")
    report = "\n".join(lines) + "\n"
    if args.output:
        with open(args.output, "w", encoding="utf-8") as fh:
            fh.write(report)
    else:
        sys.stdout.write(report)


if __name__ == "__main__":
    main()
