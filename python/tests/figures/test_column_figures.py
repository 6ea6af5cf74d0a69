"""The column figures of scripts/figures.py (issue 18) on a tiny experiment of each design
kind: factorial with one, two and three factors, a Latin-hypercube sample, and a model with
a time series. Each test checks that the figures exist and, from the points the tool
reports it plotted (--dump), that the means and intervals are the file's cell statistics,
that the x positions and series are the cells' factor levels, and that the distributions
are those of the file's organizations.

    PYTHONPATH=build/release/python TRIBE_BUILD=build/release \
        /usr/bin/python3 -m pytest python/tests/figures/test_column_figures.py

(ctest runs it as python_column_figures.) Needs python3-pytest, python3-h5py,
python3-numpy, python3-scipy and python3-matplotlib.
"""
from __future__ import annotations

import json
import math
import os
import sys
import textwrap

import h5py
import numpy as np
import pytest
from figure_checks import ROOT, run, tribe_binary

FIGURES = os.path.join(ROOT, "scripts", "figures.py")

LEADERSHIP = """
[experiment]
name = "{name}"
model = "leadership"
seed = 11
organizations_per_cell = {n}
common_random_numbers = true

[parameters]
agents = 16
steps = 25
structure = "hierarchy"
"""

EXPERIMENTS = {
    "one": LEADERSHIP
    + """
[factors]
span = [2, 4, 8]
""",
    "two": LEADERSHIP
    + """
[factors]
span = [2, 4, 8, 15]
control = [0.2, 0.8]

[[claims]]
id = "queues"
statement = "wider spans queue more"
test = "difference_above"
column = "queue_mean"
a = {{ span = 8, control = 0.8 }}
b = {{ span = 2, control = 0.8 }}
value = 0.0
""",
    "three": LEADERSHIP
    + """
[factors]
span = [2, 6]
control = [0.2, 0.8]
collaborative = [0.3, 0.8]
""",
    "lhs": LEADERSHIP
    + """
[factors]
span = [2, 6]

[design]
sampling = "lhs"
points = 10

[design.ranges]
control = [0.0, 1.0]
collaborative = [0.2, 0.9]

[[claims]]
id = "control-share"
statement = "control explains some of the queue"
test = "variance_share_above"
column = "queue_mean"
factors_a = ["control"]
value = 0.0
""",
    "space": LEADERSHIP
    + """
[factors]
control = [0.2, 0.8]

[design]
sampling = "lhs"
points = 12

[design.ranges]
span = [2, 6]
arrival_rate = [0.02, 0.08]

[[claims]]
id = "control-queues"
statement = "upstream control lengthens queues"
test = "difference_above"
column = "queue_mean"
a = {{ control = 0.8 }}
b = {{ control = 0.2 }}
value = 0.0
paired = true
assumption_space = true
""",
    "series": """
[experiment]
name = "{name}"
model = "lazer_friedman"
seed = 7
organizations_per_cell = {n}
common_random_numbers = true

[parameters]
bits = 8
k = 2
agents = 10
rounds = 12

[factors]
network = ["linear", "full"]
""",
}


@pytest.fixture(scope="session")
def results(tmp_path_factory):
    """Every experiment of EXPERIMENTS run once at a tiny size: {kind: result path}."""
    tmp = tmp_path_factory.mktemp("experiments")
    out = {}
    for kind, text in EXPERIMENTS.items():
        toml = tmp / f"{kind}.toml"
        toml.write_text(textwrap.dedent(text.format(name=f"tiny_{kind}", n=6 if kind == "lhs" else 12)))
        h5 = tmp / f"{kind}.h5"
        r = run([tribe_binary(), "run", str(toml), "-q", "-o", str(h5)])
        assert r.returncode == 0, r.stderr
        out[kind] = str(h5)
    return out


def draw(tmp_path, result, *args, formats="png", subprocess_run=False):
    """figures.py RESULT --no-paper ARGS (PNG only at low resolution, for speed, unless FORMATS
    says otherwise); the dump and the output folder. In this process (tribe.plot.cli.main, what
    figures.py runs) unless SUBPROCESS_RUN."""
    outdir = tmp_path / "figures"
    dump = tmp_path / "dump.json"
    argv = [
        result,
        "--no-paper",
        "-o",
        str(outdir),
        "--dump",
        str(dump),
        "--formats",
        formats,
        "--dpi",
        "300" if "pdf" in formats else "50",
        *args,
    ]
    if subprocess_run:
        r = run([sys.executable, FIGURES, *argv])
        assert r.returncode == 0, r.stdout + r.stderr
    else:
        from tribe.plot.cli import main

        assert main(argv) == 0
    with open(dump) as f:
        return json.load(f)["figures"], outdir


def assert_files(outdir, name, formats=("png",)):
    for ext, magic in (("png", b"\x89PNG"), ("pdf", b"%PDF")):
        if ext not in formats:
            continue
        p = outdir / f"{name}.{ext}"
        assert p.is_file() and p.read_bytes()[: len(magic)] == magic, p


def close(a, b) -> bool:
    if a is None or b is None or (isinstance(b, float) and math.isnan(b)):
        return (a is None or math.isnan(a)) and (b is None or math.isnan(b))
    return math.isclose(a, b, rel_tol=1e-12, abs_tol=1e-15)


def cell_values(f, col, cell):
    """COL's finite values over the organizations of CELL, straight from the file."""
    v = f[f"organizations/{col}"][()].astype(float)[f["organizations/cell"][()] == cell]
    return v[np.isfinite(v)]


def param(f, name, cell):
    v = f[f"cells/parameters/{name}"][cell]
    return v.decode() if isinstance(v, bytes) else float(v)


def check_factorial(path, fig, roles):
    """Every point is one cell: its estimate and interval are the stored statistics, its x,
    series and panel the cell's factor levels; the distribution is the cell's organizations."""
    col = fig["column"]
    with h5py.File(path, "r") as f:
        binary = f"cells/stats/{col}/rate" in f
        keys = ("rate", "rate_low", "rate_high") if binary else ("mean", "ci_low", "ci_high")
        stats = {k: f[f"cells/stats/{col}/{k}"][()] for k in keys}
        ncells = f["cells/label"].shape[0]
        assert fig["kind"] == ("rates" if binary else "means")
        assert [fig["x"], fig["by"], fig["facet"]] == roles
        seen = []
        for p in fig["points"]:
            assert len(p["cells"]) == 1 and p["interval"] == "stored"
            c = p["cells"][0]
            seen.append(c)
            for got, k in zip(("estimate", "low", "high"), keys):
                assert close(p[got], float(stats[k][c])), (col, c, got)
            for role, name in zip(("x", "by", "facet"), roles):
                if name is not None:
                    assert p[role] == param(f, name, c)
        assert sorted(seen) == list(range(ncells)), "every cell is drawn once"
        if not binary:
            assert len(fig["distributions"]) == ncells
            for d in fig["distributions"]:
                v = cell_values(f, col, d["cells"][0])
                assert d["n"] == v.size and not d["sampled"]
                assert close(d["median"], float(np.median(v)))
                assert close(d["q25"], float(np.quantile(v, 0.25)))


def test_one_factor(results, tmp_path):
    figs, outdir = draw(
        tmp_path, results["one"], "--columns", "queue_mean,distributed", formats="png,pdf", subprocess_run=True
    )
    assert [f["figure"] for f in figs] == ["tiny_one_queue_mean", "tiny_one_distributed"]
    for fig in figs:
        assert_files(outdir, fig["figure"], ("png", "pdf"))
        check_factorial(results["one"], fig, ["span", None, None])


def test_two_factors_default_columns_start_with_the_claims(results, tmp_path):
    figs, outdir = draw(tmp_path, results["two"])
    names = [f["figure"] for f in figs]
    assert names[0] == "tiny_two_queue_mean"  # the claim's column first, then the model's main outcomes
    assert "tiny_two_distributed" in names and "tiny_two_solve_rate" in names
    for fig in figs:
        assert_files(outdir, fig["figure"])
        check_factorial(results["two"], fig, ["span", "control", None])


def test_three_factors_and_chosen_roles(results, tmp_path):
    figs, outdir = draw(tmp_path, results["three"], "--columns", "solve_rate")
    assert_files(outdir, "tiny_three_solve_rate")
    check_factorial(results["three"], figs[0], ["span", "control", "collaborative"])
    figs, _ = draw(
        tmp_path,
        results["three"],
        "--columns",
        "solve_rate",
        "--x",
        "control",
        "--by",
        "collaborative",
        "--facet",
        "span",
    )
    check_factorial(results["three"], figs[0], ["control", "collaborative", "span"])


def test_pooled_interval_from_cell_statistics(results):
    """Where a figure pools cells (more factors than x, lines and panels), the pooled mean is
    the mean over the pooled organizations and its interval their Student-t interval."""
    from scipy import stats as sps
    from tribe.plot.read import Result
    from tribe.plot.stats import pooled_mean

    with h5py.File(results["three"], "r") as f:
        cells = np.flatnonzero((f["cells/parameters/span"][()] == 2) & (f["cells/parameters/control"][()] == 0.2))
        v = np.concatenate([cell_values(f, "solve_rate", c) for c in cells])
    assert cells.size == 2
    with Result(results["three"]) as res:
        mask = np.zeros(res.ncells, bool)
        mask[cells] = True
        m, lo, hi = pooled_mean(res, "solve_rate", mask)
    half = sps.t.ppf(0.975, v.size - 1) * v.std(ddof=1) / math.sqrt(v.size)
    assert math.isclose(m, v.mean(), rel_tol=1e-9)
    assert math.isclose(hi - m, half, rel_tol=1e-9) and math.isclose(m - lo, half, rel_tol=1e-9)


def test_latin_hypercube(results, tmp_path):
    figs, outdir = draw(tmp_path, results["lhs"], "--columns", "queue_mean")
    fig = figs[0]
    assert_files(outdir, "tiny_lhs_queue_mean")
    assert fig["kind"] == "sampled"
    assert sorted(fig["sampled_parameters"]) == ["collaborative", "control"]
    with h5py.File(results["lhs"], "r") as f:
        mean = f["cells/stats/queue_mean/mean"][()]
        lo = f["cells/stats/queue_mean/ci_low"][()]
        assert len(fig["points"]) == f["cells/label"].shape[0]
        for p in fig["points"]:
            c = p["cells"][0]
            assert close(p["estimate"], float(mean[c])) and close(p["low"], float(lo[c]))
            for name, v in p["params"].items():
                assert close(v, param(f, name, c))
        factors = [x.decode() for x in f["variance/queue_mean/factor"][()]]
        eta = f["variance/queue_mean/eta_squared"][()]
    assert fig["sensitivity"] == {"eta_squared": {n: float(e) for n, e in zip(factors, eta)}}


def test_time_series(results, tmp_path):
    figs, outdir = draw(tmp_path, results["series"], "--columns", "mean_score")
    fig = figs[0]
    assert_files(outdir, "tiny_series_mean_score")
    assert fig["kind"] == "series" and fig["series_factors"] == ["network", None]
    with h5py.File(results["series"], "r") as f:
        ncells = f["cells/label"].shape[0]
        # Format 2.x stores the series as one cells x time dataset per statistic (its time
        # axis in /time/mean_score); 1.x as one column per time point.
        two_d = "time/mean_score" in f
        times = list(f["time/mean_score"][()]) if two_d else None
        members = times if two_d else sorted(c for c in f["cells/stats"] if c.startswith("mean_score_t"))
        assert len(fig["points"]) == ncells * len(members)
        for p in fig["points"]:
            c = p["cells"][0]
            assert p["column"] == f"mean_score_t{p['t']:03d}"
            for got, k in (("estimate", "mean"), ("low", "ci_low"), ("high", "ci_high")):
                stored = (
                    f[f"cells/stats/mean_score/{k}"][c, times.index(p["t"])]
                    if two_d
                    else f[f"cells/stats/{p['column']}/{k}"][c]
                )
                assert close(p[got], float(stored))
            assert p["series"][0] == param(f, "network", c)


def test_default_columns_of_a_time_series_model(results, tmp_path):
    figs, _ = draw(tmp_path, results["series"])
    assert [f["figure"] for f in figs][:2] == ["tiny_series_mean_score", "tiny_series_final_mean_score"]


def test_bounded_seeded_sample(results, tmp_path):
    a, _ = draw(tmp_path / "a", results["two"], "--columns", "queue_mean", "--sample", "5")
    b, _ = draw(tmp_path / "b", results["two"], "--columns", "queue_mean", "--sample", "5")
    c, _ = draw(tmp_path / "c", results["two"], "--columns", "queue_mean", "--sample", "5", "--sample-seed", "99")
    full, _ = draw(tmp_path / "d", results["two"], "--columns", "queue_mean")
    da = a[0]["distributions"]
    assert a[0]["sampled"] and all(d["n"] == 5 and d["sampled"] for d in da)
    assert da == b[0]["distributions"], "the same seed gives the same sample"
    assert da != c[0]["distributions"], "another seed gives another sample"
    with h5py.File(results["two"], "r") as f:  # sampled values are the cell's own organizations
        for d in da:
            v = cell_values(f, "queue_mean", d["cells"][0])
            assert v.min() <= d["q05"] <= d["q95"] <= v.max()
    # the means and intervals still come from every organization (the cell statistics)
    assert a[0]["points"] == full[0]["points"]
    assert not full[0]["sampled"] and all(d["n"] == 12 for d in full[0]["distributions"])


@pytest.mark.parametrize(
    "args, message",
    [
        (["--columns", "no_such_column"], "no column no_such_column"),
        (["--x", "structure"], "'structure' is not a factor that varies"),
        (["--sample", "0"], "--sample must be at least 1"),
    ],
)
def test_refusals(results, tmp_path, args, message):
    r = run([sys.executable, FIGURES, results["two"], "-o", str(tmp_path / "out"), *args])
    err = r.stderr.strip()
    assert r.returncode == 2 and len(err.splitlines()) == 1 and err.startswith("figures: error:") and message in err
    assert not (tmp_path / "out").exists()


def test_where_each_claim_holds(results, tmp_path):
    """Claims over an assumption space: a figure per claim and one with all of them; each
    plots the claim's stored verdict at every sampled point over two sampled parameters,
    those whose deciles explain most of the variance of its estimate."""
    from tribe.plot.cli import main

    out, dump = tmp_path / "out", tmp_path / "dump.json"
    assert main([results["space"], "-o", str(out), "--columns", "queue_mean", "--dump", str(dump)]) == 0
    for name in ("tiny_space_where", "tiny_space_where_control-queues"):
        assert_files(out, name, formats=("png", "pdf"))
    (d,) = json.loads(dump.read_text())["assumption_space"]
    assert d["claim"] == "control-queues" and {d["x"], d["y"]} <= {"span", "arrival_rate"} and d["x"] != d["y"]
    assert d["eta_squared"][d["x"]] >= d["eta_squared"][d["y"]]
    with h5py.File(results["space"], "r") as f:
        g = f["claims/assumption_space/control-queues"]
        codes = g["verdict"][()]
        for code, name in enumerate(["supported", "not supported", "inconclusive"]):
            assert d["verdicts"][name] == int(np.sum(codes == code))
        assert close(d["share_supported"], float(g.attrs["share_supported"]))
        assert d["scenario"] == (
            g.attrs["scenario"].decode() if isinstance(g.attrs["scenario"], bytes) else str(g.attrs["scenario"])
        )
