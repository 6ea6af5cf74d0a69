#!/usr/bin/python3
"""Regression guard: compare two Google Benchmark JSON outputs.

    scripts/bench_compare.py BASELINE.json CONTENDER.json [--threshold 0.05]
                             [--metric cpu_time|real_time] [--alpha 0.05] [--filter REGEX]

Both files come from `tribe_bench --benchmark_out=X.json --benchmark_out_format=json
--benchmark_repetitions=N` (scripts/bench.sh writes them). For every benchmark present in
both, the script takes the median time over the repetitions of each file and prints the
ratio contender/baseline. A benchmark is a REGRESSION when all of these hold:

  * it is slower by more than --threshold (default 5%) in the medians;
  * the slow-down is larger than the noise: twice the combined robust relative spread of
    the two sets of repetitions (1.4826 * MAD / median of each, added in quadrature);
  * with at least 3 repetitions on each side, a one-sided Mann-Whitney U test says the
    contender's repetitions are slower with p < --alpha (default 0.05).

A slow-down above the threshold that fails the noise or significance test is reported as
"noisy", not as a regression. Exit status: 0 no regression, 1 at least one regression,
2 bad input. Rate-style counters are not compared; times are (lower is better).

Google Benchmark's own tools/compare.py (from its source tree; Debian's libbenchmark-dev
does not ship it) does a similar U test; this script needs nothing but the standard library.
"""
from __future__ import annotations

import math
import re
import sys
from collections import OrderedDict

from json_input import arguments, read_json

_UNIT = {"ns": 1e-9, "us": 1e-6, "ms": 1e-3, "s": 1.0}


def median(xs: list[float]) -> float:
    s = sorted(xs)
    n = len(s)
    return s[n // 2] if n % 2 else 0.5 * (s[n // 2 - 1] + s[n // 2])


def robust_rel_spread(xs: list[float]) -> float:
    """1.4826 * median absolute deviation / median: a robust coefficient of variation."""
    if len(xs) < 2:
        return 0.0
    m = median(xs)
    if m <= 0:
        return 0.0
    return 1.4826 * median([abs(x - m) for x in xs]) / m


def mann_whitney_greater(a: list[float], b: list[float]) -> float:
    """One-sided p-value that b tends to be larger than a (normal approximation with a
    tie correction and continuity correction; exact enough for a guard)."""
    n1, n2 = len(a), len(b)
    allv = sorted([(v, 0) for v in a] + [(v, 1) for v in b])
    ranks = [0.0] * len(allv)
    i = 0
    tie_term = 0.0
    while i < len(allv):
        j = i
        while j + 1 < len(allv) and allv[j + 1][0] == allv[i][0]:
            j += 1
        r = (i + j) / 2.0 + 1.0
        for k in range(i, j + 1):
            ranks[k] = r
        t = j - i + 1
        tie_term += t**3 - t
        i = j + 1
    r2 = sum(r for r, (_, g) in zip(ranks, allv) if g == 1)
    u2 = r2 - n2 * (n2 + 1) / 2.0  # large when b is large
    mu = n1 * n2 / 2.0
    n = n1 + n2
    var = n1 * n2 / 12.0 * ((n + 1) - tie_term / (n * (n - 1)))
    if var <= 0:
        return 1.0
    z = (u2 - mu - 0.5) / math.sqrt(var)
    return 0.5 * math.erfc(z / math.sqrt(2.0))


def load(path: str, metric: str) -> "OrderedDict[str, list[float]]":
    """run_name -> list of times in seconds (one per repetition)."""
    doc = read_json("bench_compare", path)
    if doc is None:
        sys.exit(2)
    if not isinstance(doc, dict) or "benchmarks" not in doc:
        print(f"bench_compare: error: {path} is not a Google Benchmark JSON output (no 'benchmarks')", file=sys.stderr)
        sys.exit(2)
    reps: "OrderedDict[str, list[float]]" = OrderedDict()
    medians: dict[str, float] = {}
    for b in doc["benchmarks"]:
        if b.get("error_occurred"):
            continue
        name = b.get("run_name", b["name"])
        if metric not in b:
            continue  # BigO / RMS entries
        t = float(b[metric]) * _UNIT.get(b.get("time_unit", "ns"), 1e-9)
        if b.get("run_type", "iteration") == "iteration":
            reps.setdefault(name, []).append(t)
        elif b.get("aggregate_name") == "median":
            medians[name] = t
    # Files written with --benchmark_report_aggregates_only keep only aggregates: use the median.
    for name, t in medians.items():
        if name not in reps:
            reps[name] = [t]
    return reps


def main() -> int:
    ap = arguments(__doc__)
    ap.add_argument("baseline")
    ap.add_argument("contender")
    ap.add_argument("--threshold", type=float, default=0.05, help="relative slow-down that counts (default 0.05)")
    ap.add_argument(
        "--metric",
        choices=["cpu_time", "real_time"],
        default="cpu_time",
        help="time compared (default cpu_time: less sensitive to a shared machine)",
    )
    ap.add_argument("--alpha", type=float, default=0.05, help="significance of the U test (default 0.05)")
    ap.add_argument("--filter", default="", help="only benchmarks whose name matches this regex")
    args = ap.parse_args()

    old = load(args.baseline, args.metric)
    new = load(args.contender, args.metric)
    pat = re.compile(args.filter) if args.filter else None
    names = [n for n in old if n in new and (pat is None or pat.search(n))]
    if not names:
        print("bench_compare: error: no benchmark in common", file=sys.stderr)
        return 2

    regressions, noisy, improved = [], [], []
    w = max(len(n) for n in names)
    print(f"{'benchmark':<{w}}  {'baseline':>12}  {'contender':>12}  {'ratio':>7}  {'noise':>6}  {'p':>6}  verdict")
    for n in names:
        a, b = old[n], new[n]
        ma, mb = median(a), median(b)
        ratio = mb / ma if ma > 0 else float("nan")
        noise = 2.0 * math.hypot(robust_rel_spread(a), robust_rel_spread(b))
        p = mann_whitney_greater(a, b) if len(a) >= 3 and len(b) >= 3 else float("nan")
        slower = ratio - 1.0
        verdict = "ok"
        if slower > args.threshold:
            significant = slower > noise and (math.isnan(p) or p < args.alpha)
            verdict = "REGRESSION" if significant else "noisy"
            (regressions if significant else noisy).append(n)
        elif -slower > args.threshold and -slower > noise:
            verdict = "faster"
            improved.append(n)
        ps = "   -  " if math.isnan(p) else f"{p:6.3f}"
        print(f"{n:<{w}}  {ma:12.4g}  {mb:12.4g}  {ratio:7.3f}  {noise:6.1%}  {ps}  {verdict}")

    only_old = [n for n in old if n not in new]
    only_new = [n for n in new if n not in old]
    if only_old:
        print(f"only in baseline: {', '.join(only_old)}")
    if only_new:
        print(f"only in contender: {', '.join(only_new)}")
    few = [n for n in names if len(old[n]) < 3 or len(new[n]) < 3]
    if few:
        print(
            f"note: {len(few)} benchmark(s) have fewer than 3 repetitions on a side; "
            "rerun with --benchmark_repetitions=5 or more for a significance test"
        )
    print(
        f"{len(names)} compared ({args.metric}, threshold {args.threshold:.0%}): "
        f"{len(regressions)} regression(s), {len(noisy)} noisy slow-down(s), {len(improved)} faster"
    )
    for n in regressions:
        print(f"REGRESSION: {n}", file=sys.stderr)
    return 1 if regressions else 0


if __name__ == "__main__":
    sys.exit(main())
