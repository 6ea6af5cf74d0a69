"""scripts/levers.py and scripts/population.py on tiny runs of experiments/levers.toml (40
organizations per cell) and experiments/population.toml (2 per design point). The scripts'
estimates (their --json output) are checked against the same quantities computed here from
the raw organizations of the file (h5py, pandas, scipy): each lever's paired effects and the
within-cell slope, the Spearman and partial Spearman correlations of every measure for each
N. Also: the intervals contain the estimates, the same --seed gives the same report, a file
of another experiment or a missing file is refused with one line and a non-zero status,
and the weighted bootstrap replicates equal the statistics of explicitly resampled data.

    PYTHONPATH=build/release/python TRIBE_BUILD=build/release \
        /usr/bin/python3 -m pytest python/tests/figures/test_lever_population.py

(ctest runs it as python_lever_population.) Needs python3-pytest, python3-h5py,
python3-numpy, python3-pandas and python3-scipy.
"""
from __future__ import annotations

import importlib.util
import itertools
import json
import os
import sys

import h5py
import numpy as np
import pandas as pd
import pytest
from figure_checks import ROOT, run, tribe_binary
from scipy import stats

LEVERS = os.path.join(ROOT, "scripts", "levers.py")
POPULATION = os.path.join(ROOT, "scripts", "population.py")

LEVER_MEASURES = [
    "reliance_formal_share",
    "reliance_top_share",
    "reliance_evenness_vs_chance",
    "moment_evenness_vs_chance",
]
POP_MEASURES = [
    "reliance_top_share",
    "reliance_formal_share",
    "reliance_evenness_vs_chance",
    "moment_evenness_vs_chance",
    "evenness_vs_chance",
    "leadership_centralization",
    "leadership_density",
    "manager_share",
]
#: lever: (low, high), as experiments/levers.toml lists them.
LEVELS = {
    "structure": ("flat", "random_hierarchy"),
    "control": (0.1, 0.8),
    "proactive": (0.5, 0.8),
    "collaborative": (0.5, 0.8),
    "tie_within": (0.1, 0.5),
    "hero_deference": (0.0, 0.5),
}


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("levers_population")
    out = {}
    for name, orgs in (("levers", 40), ("population", 2)):
        h5 = tmp / f"{name}.h5"
        r = run(
            [
                tribe_binary(),
                "run",
                os.path.join(ROOT, "experiments", f"{name}.toml"),
                "--orgs-per-cell",
                str(orgs),
                "--threads",
                "2",
                "-q",
                "-o",
                str(h5),
            ]
        )
        assert r.returncode == 0, r.stderr
        out[name] = str(h5)
    return out


def script(path, result, tmp_path, *args, tag="out"):
    """Runs a script with --json; (report text, the JSON)."""
    js = tmp_path / f"{tag}.json"
    r = run([sys.executable, path, result, "--json", str(js), *args])
    assert r.returncode == 0, r.stdout + r.stderr
    with open(js) as f:
        return r.stdout, json.load(f)


def organizations(path, columns) -> pd.DataFrame:
    """Every organization with its cell's parameters (the factors) and COLUMNS, from the file."""
    with h5py.File(path, "r") as f:
        cell = f["organizations/cell"][()]
        data = {"cell": cell, "organization": f["organizations/organization"][()]}
        for k in f["cells/parameters"]:
            v = f[f"cells/parameters/{k}"][()]
            v = v.astype(str) if v.dtype.kind in "OS" else v
            data[k] = v[cell]
        for c in columns:
            data[c] = f[f"organizations/{c}"][()].astype(float)
    return pd.DataFrame(data)


def find(rows, **key):
    hits = [r for r in rows if all(r[k] == v for k, v in key.items())]
    assert len(hits) == 1, key
    return hits[0]


def load_module(path, name):
    spec = importlib.util.spec_from_file_location(name, path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


# ---------------------------------------------------------------------------------- levers
@pytest.fixture(scope="module")
def levers(files, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("levers_out")
    text, js = script(LEVERS, files["levers"], tmp, "--bootstrap", "200", "--seed", "3")
    d = organizations(files["levers"], ["aligned_solve_rate", "failures_per_challenge", *LEVER_MEASURES])
    return text, js, d


def paired(d: pd.DataFrame, lever: str, column: str) -> float:
    """Mean over the combinations of the other levers of the mean paired difference high - low."""
    low, high = LEVELS[lever]
    others = [k for k in LEVELS if k != lever]
    means = []
    for _, g in d.groupby(others):
        a = g[np.isclose(g[lever], high) if isinstance(high, float) else g[lever] == high]
        b = g[np.isclose(g[lever], low) if isinstance(low, float) else g[lever] == low]
        m = a[["organization", column]].merge(b[["organization", column]], on="organization", suffixes=("_hi", "_lo"))
        diff = (m[f"{column}_hi"] - m[f"{column}_lo"]).dropna()
        means.append(diff.mean())
    assert len(means) == 32
    return float(np.mean(means))


def within_slope(d: pd.DataFrame, y: str, x: str) -> float:
    g = d[["cell", x, y]].dropna()
    dx = g[x] - g.groupby("cell")[x].transform("mean")
    dy = g[y] - g.groupby("cell")[y].transform("mean")
    return float((dx * dy).sum() / (dx * dx).sum())


def test_levers_design_is_paired(levers):
    _, js, d = levers
    assert js["cells"] == 64 and js["organizations_per_cell"] == 40
    for _, g in d.groupby("cell"):
        assert sorted(g["organization"]) == list(range(40))


def test_levers_effects_match_direct_computation(levers):
    _, js, d = levers
    for lever in LEVELS:
        c = paired(d, lever, "aligned_solve_rate")
        fail = paired(d, lever, "failures_per_challenge")
        for m in LEVER_MEASURES:
            row = find(js["rows"], lever=lever, measure=m)
            assert row["pairs"] == 32
            assert row["c"]["estimate"] == pytest.approx(c, abs=1e-12)
            assert row["failures"]["estimate"] == pytest.approx(fail, abs=1e-12)
            assert row["a"]["estimate"] == pytest.approx(paired(d, lever, m), abs=1e-12)


def test_levers_control_in_the_report(levers):
    text, js, d = levers
    c = paired(d, "control", "aligned_solve_rate")
    line = next(ln for ln in text.splitlines() if ln.startswith("| control |") and "reliance_formal_share" in ln)
    assert f"{c:+.4f}" in line.split("|")[5]


def test_levers_mediation_split(levers):
    _, js, d = levers
    for m in LEVER_MEASURES:
        b = within_slope(d, "aligned_solve_rate", m)
        for lever in LEVELS:
            row = find(js["rows"], lever=lever, measure=m)
            assert row["b"]["estimate"] == pytest.approx(b, rel=1e-9, abs=1e-12)
            a, c = row["a"]["estimate"], row["c"]["estimate"]
            assert row["indirect"]["estimate"] == pytest.approx(a * b, rel=1e-9, abs=1e-12)
            assert row["share"]["estimate"] == pytest.approx(a * b / c, rel=1e-9, abs=1e-12)


def test_levers_intervals_contain_estimates(levers):
    _, js, _ = levers
    assert js["bootstrap"] == 200
    for row in js["rows"]:
        for k in ("a", "c", "b", "indirect", "failures"):
            s = row[k]
            assert s["ci_low"] <= s["estimate"] <= s["ci_high"], (row["lever"], row["measure"], k, s)


def test_levers_seed_reproducible(files, tmp_path, levers):
    text, _, _ = levers
    again, _ = script(LEVERS, files["levers"], tmp_path, "--bootstrap", "200", "--seed", "3", tag="again")
    assert again == text
    other, _ = script(LEVERS, files["levers"], tmp_path, "--bootstrap", "200", "--seed", "4", tag="other")
    assert other != text
    plain, _ = script(LEVERS, files["levers"], tmp_path, "--bootstrap", "20", "--format", "text", tag="text")
    assert "| control |" not in plain and "control" in plain


def test_levers_bootstrap_weights_are_a_resample(levers):
    """A weighted replicate (how often each organization index is drawn) equals the estimate
    on the explicitly resampled organizations."""
    _, _, d = levers
    mod = load_module(LEVERS, "levers_script")
    rng = np.random.default_rng(5)
    draw = rng.integers(0, 40, size=40)
    w = np.bincount(draw, minlength=40).astype(float)[None, :]
    y = d.sort_values(["cell", "organization"])["aligned_solve_rate"].to_numpy().reshape(64, 40)
    x = d.sort_values(["cell", "organization"])["reliance_top_share"].to_numpy().reshape(64, 40)
    res = d[d["organization"].isin(draw)].copy()
    res = pd.concat([res[res["organization"] == k] for k in draw])  # each drawn index once per draw
    b_direct = within_slope(res, "aligned_solve_rate", "reliance_top_share")
    assert mod.within_slope(y, x, w)[0] == pytest.approx(b_direct, rel=1e-9)


def assert_refuses_other_experiment(path, other):
    """The script at PATH refuses the result OTHER of the other experiment: exit status 2, one
    line `<script>: error: ...` that names that experiment, nothing on standard output."""
    prog, experiment = (os.path.splitext(os.path.basename(p))[0] for p in (path, other))
    r = run([sys.executable, path, other, "--bootstrap", "10"])
    assert r.returncode == 2
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"{prog}: error:") and experiment in lines[0]
    assert r.stdout == ""


def test_levers_refuses_other_experiment(files):
    assert_refuses_other_experiment(LEVERS, files["population"])
    r = run([sys.executable, LEVERS, os.path.join(os.path.dirname(files["levers"]), "nope.h5")])
    assert r.returncode != 0 and len(r.stderr.strip().splitlines()) == 1 and "no such file" in r.stderr


# ---------------------------------------------------------------------------------- population
@pytest.fixture(scope="module")
def population(files, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("population_out")
    text, js = script(POPULATION, files["population"], tmp, "--bootstrap", "100", "--seed", "2")
    d = organizations(files["population"], ["aligned_solve_rate", "reliance_events", "challenges", *POP_MEASURES])
    return text, js, d


def kept(d, n, m, volume=("reliance_events", "challenges")):
    g = d[d["agents"] == n]
    return g.dropna(subset=list(dict.fromkeys([m, "aligned_solve_rate", *volume, "reliance_events"])))


def partial_rho(g, x, y, controls):
    """Correlation of the residuals of rank(x) and rank(y) on [1, rank(controls)] by OLS."""
    rx, ry = stats.rankdata(g[x]), stats.rankdata(g[y])
    z = np.column_stack([np.ones(len(g)), *(stats.rankdata(g[c]) for c in controls)])
    ex = rx - z @ np.linalg.lstsq(z, rx, rcond=None)[0]
    ey = ry - z @ np.linalg.lstsq(z, ry, rcond=None)[0]
    return float(np.corrcoef(ex, ey)[0, 1])


def test_population_rho_is_spearman(population):
    _, js, d = population
    assert sorted(set(r["agents"] for r in js["rows"])) == [10.0, 100.0]
    for n, m in itertools.product((10.0, 100.0), POP_MEASURES):
        g = kept(d, n, m)
        row = find(js["rows"], agents=n, measure=m)
        assert row["n"] == len(g)
        assert row["rho"]["estimate"] == pytest.approx(stats.spearmanr(g[m], g["aligned_solve_rate"])[0], abs=1e-12)
        assert row["rho_volume"]["estimate"] == pytest.approx(stats.spearmanr(g[m], g["reliance_events"])[0], abs=1e-12)
        assert row["partial"]["estimate"] == pytest.approx(
            partial_rho(g, m, "aligned_solve_rate", ["reliance_events", "challenges"]), abs=1e-9
        )
        for k in ("rho", "partial"):
            s = row[k]
            assert s["ci_low"] <= s["estimate"] <= s["ci_high"], (n, m, k, s)


def test_population_clusters_are_design_points(population):
    _, js, d = population
    sampled = [
        "control",
        "aligned",
        "proactive",
        "collaborative",
        "span",
        "tie_within",
        "tie_across",
        "capacity",
        "arrival_rate",
    ]
    for n in (10.0, 100.0):
        g = d[d["agents"] == n]
        points = len(g.drop_duplicates(sampled))
        assert points == 2000 and g.groupby(sampled).size().eq(4).all()  # 2 organizations x 2 structures
        assert find(js["rows"], agents=n, measure="leadership_density")["points"] == points


def test_population_partial_with_outcome_as_control_is_zero(files, tmp_path):
    _, js = script(
        POPULATION, files["population"], tmp_path, "--bootstrap", "20", "--volume", "aligned_solve_rate", tag="self"
    )
    for row in js["rows"]:
        assert abs(row["partial"]["estimate"]) < 1e-9
        assert abs(row["partial"]["ci_low"]) < 1e-9 and abs(row["partial"]["ci_high"]) < 1e-9
        assert abs(row["rho"]["estimate"]) > 0  # the plain correlation is untouched


def test_population_seed_reproducible_and_text(files, tmp_path, population):
    text, _, _ = population
    again, _ = script(POPULATION, files["population"], tmp_path, "--bootstrap", "100", "--seed", "2", tag="again")
    assert again == text
    assert "N = 10 agents" in text and "N = 100 agents" in text and "Wang, Waldman & Zhang 2014" in text
    plain, _ = script(POPULATION, files["population"], tmp_path, "--bootstrap", "0", "--format", "text", tag="text")
    assert "partial ρ | volume" in plain and "[" not in plain.split("N = 10 agents")[1]


def test_population_weighted_ranks_are_a_resample(population):
    """A replicate's weighted ranks and correlations equal scipy's on the resampled rows."""
    _, _, d = population
    mod = load_module(POPULATION, "population_script")
    g = kept(d, 10.0, "leadership_density")
    rng = np.random.default_rng(9)
    counts = rng.multinomial(len(g), np.full(len(g), 1.0 / len(g)))
    cols = ["leadership_density", "aligned_solve_rate", "reliance_events", "challenges"]
    ranks = [mod.weighted_ranks(g[c].to_numpy(float), counts[None, :].astype(float)) for c in cols]
    res = g.loc[g.index.repeat(counts)]
    for c, r in zip(cols, ranks):
        assert np.allclose(np.repeat(r[0], counts), stats.rankdata(res[c]))
    corr, partial = mod.correlations(ranks, counts[None, :].astype(float), 2)
    assert corr[0, 0, 1] == pytest.approx(stats.spearmanr(res[cols[0]], res[cols[1]])[0], abs=1e-12)
    assert partial[0] == pytest.approx(partial_rho(res, cols[0], cols[1], cols[2:]), abs=1e-9)


def test_population_refuses_other_experiment(files):
    assert_refuses_other_experiment(POPULATION, files["levers"])
