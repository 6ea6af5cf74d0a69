"""tribe.Result's views of what the claims store (docs/hdf5-format.md): threshold curves,
Sobol indices, the assumption space and its scenarios, checked against the datasets
themselves and, for the per-point verdicts, against a computation from the organizations."""
from __future__ import annotations

import os

import h5py
import numpy as np
import pytest
from scipy import stats

import tribe
from conftest import ROOT

FORMAT1 = os.path.join(ROOT, "tests", "data", "format1", "lazer_friedman_small.h5")

# A small assumption space: two factors the claims compare, two sampled assumptions.
SPACE = {
    "experiment": {
        "name": "space",
        "model": "leadership",
        "seed": 23,
        "organizations_per_cell": 24,
        "common_random_numbers": True,
    },
    "parameters": {"agents": 16, "steps": 40},
    "factors": {"structure": ["flat", "hierarchy"], "control": [0.1, 0.8], "collaborative": [0.3, 0.8]},
    "design": {"sampling": "lhs", "points": 12, "ranges": {"span": [2, 6], "arrival_rate": [0.02, 0.08]}},
    "claims": [
        {
            "id": "control-concentrates",
            "statement": "control concentrates leadership",
            "test": "difference_above",
            "column": "leadership_centralization",
            "a": {"structure": "flat", "control": 0.8},
            "b": {"structure": "flat", "control": 0.1},
            "value": 0.01,
            "paired": True,
            "assumption_space": True,
        },
        {
            "id": "even-solves",
            "statement": "evenness goes with solving",
            "test": "correlation_above",
            "column": "evenness_vs_chance",
            "with": "solve_rate",
            "value": 0.1,
            "assumption_space": True,
        },
        {
            "id": "synergy",
            "statement": "control and collaboration interact on conflicts",
            "test": "interaction_above",
            "column": "conflicts_per_challenge",
            "interaction": ["control", "collaborative"],
            "value": 0.0,
            "assumption_space": True,
        },
        {
            "id": "flat-distributes",
            "statement": "flat organizations are sometimes distributed",
            "test": "above",
            "column": "distributed",
            "a": {"structure": "flat"},
            "value": 0.05,
        },
    ],
}


@pytest.fixture(scope="module")
def space(tmp_path_factory):
    out = tmp_path_factory.mktemp("space") / "space.h5"
    return tribe.run(SPACE, output=out, threads=2, progress=False)


def test_assumption_space_points_are_the_stored_ones(space):
    pts = space.assumption_space
    assert len(pts) == SPACE["design"]["points"]
    assert {"value_span", "value_arrival_rate"} <= set(pts.columns)
    with h5py.File(space.path, "r") as f:
        g = f["claims/assumption_space"]
        assert set(k for k in g if isinstance(g[k], h5py.Group)) == {"control-concentrates", "even-solves", "synergy"}
        for cid in ("control-concentrates", "even-solves"):
            codes = g[cid]["verdict"][()]
            assert list(pts[f"verdict_{cid}"]) == [["supported", "not supported", "inconclusive"][c] for c in codes]
            np.testing.assert_array_equal(pts[f"estimate_{cid}"].to_numpy(), g[cid]["estimate"][()])
        np.testing.assert_array_equal(pts["value_span"].to_numpy(), g["value_span"][()])
    # each point's sampled values are those of its cells (cells p, p + P, ...)
    cells = space.cells
    for p in range(len(pts)):
        assert set(cells.span[p :: len(pts)]) == {pts.value_span[p]}


def test_scenarios_summarize_the_points(space):
    pts, sc = space.assumption_space, space.scenarios
    assert list(sc.id) == ["control-concentrates", "even-solves", "synergy"]
    for row in sc.itertuples():
        v = pts[f"verdict_{row.id}"]
        assert row.share_supported == pytest.approx((v == "supported").mean())
        assert row.share_not_supported == pytest.approx((v == "not supported").mean())
        assert row.share_inconclusive == pytest.approx((v == "inconclusive").mean())
        assert set(row.box) <= {"span", "arrival_rate"} and isinstance(row.scenario, str) and row.scenario
        for name, (lo, hi) in row.box.items():
            assert pts[f"value_{name}"].min() - 1e-12 <= lo <= hi <= pts[f"value_{name}"].max() + 1e-12


def test_a_correlation_claim_is_decided_per_point_on_that_points_cells(space):
    """The per-point estimate of a correlation claim is its own test (mean Fisher z of the
    within-cell Spearman correlations) over the cells of that point only."""
    pts = space.assumption_space
    npoints = len(pts)
    orgs = space.read_organizations(["evenness_vs_chance", "solve_rate"])
    for p in range(npoints):
        zs = []
        for c in range(p, space.n_cells, npoints):
            d = orgs[orgs.cell == c].dropna()
            if len(d) >= 10 and d.evenness_vs_chance.nunique() > 1 and d.solve_rate.nunique() > 1:
                zs.append(
                    np.arctanh(np.clip(stats.spearmanr(d.evenness_vs_chance, d.solve_rate)[0], -0.999999, 0.999999))
                )
        expected = np.tanh(np.mean(zs)) if zs else np.nan
        got = pts["estimate_even-solves"][p]
        assert (np.isnan(expected) and np.isnan(got)) or got == pytest.approx(expected, abs=1e-9)


def test_an_interaction_claim_is_decided_per_point_on_that_points_cells(space):
    """Per point, the 2x2 interaction contrast per organization, (x(hi,hi) - x(hi,lo) -
    x(lo,hi) + x(lo,lo)) / 2, averaged over the strata of the other factor (structure),
    then over organizations — on the cells of that point only."""
    pts = space.assumption_space
    npoints = len(pts)
    cells = space.cells
    orgs = space.read_organizations(["conflicts_per_challenge"])
    for p in range(npoints):
        at = cells.iloc[p::npoints]
        per_org = 0
        for structure in ("flat", "hierarchy"):
            contrast = 0
            for control, collaborative in ((0.1, 0.3), (0.1, 0.8), (0.8, 0.3), (0.8, 0.8)):
                c = at[
                    (at.structure == structure)
                    & np.isclose(at.control, control)
                    & np.isclose(at.collaborative, collaborative)
                ].index
                assert len(c) == 1
                x = orgs[orgs.cell == c[0]].sort_values("organization").conflicts_per_challenge.to_numpy(float)
                sign = (1 if control == 0.8 else -1) * (1 if collaborative == 0.8 else -1)
                contrast = contrast + sign * x / 2
            per_org = per_org + contrast / 2
        assert pts["estimate_synergy"][p] == pytest.approx(np.nanmean(per_org), abs=1e-9)  # NaN: left out


def test_threshold_curves_and_claims_attributes(space):
    curves = space.threshold_curves
    assert set(curves) == {"dl_top_share", "dl_formal_share", "dl_reliance_evenness"}
    with h5py.File(space.path, "r") as f:
        for t, frame in curves.items():
            g = f[f"claims/threshold_curves/{t}"]
            np.testing.assert_array_equal(frame.value.to_numpy(), g["value"][()])
            np.testing.assert_array_equal(
                frame["estimate_flat-distributes"].to_numpy(), g["estimate_flat-distributes"][()]
            )
        assert space.claims.attrs["confidence"] == pytest.approx(float(f["claims"].attrs["confidence"]))
    assert space.sensitivity is None and space.variance_shares is None


def test_sobol_indices(tmp_path):
    x = {
        "experiment": {"name": "sobol", "model": "leadership", "seed": 5, "organizations_per_cell": 4},
        "parameters": {"agents": 12, "steps": 20},
        "design": {"sampling": "sobol", "points": 16, "ranges": {"control": [0.0, 1.0], "aligned": [0.2, 0.9]}},
    }
    r = tribe.run(x, output=tmp_path / "sobol.h5", progress=False)
    s = r.sensitivity
    assert s is not None and r.assumption_space is None and r.scenarios is None
    with h5py.File(r.path, "r") as f:
        for col, g in s.groupby("column"):
            h = f[f"sensitivity/{col}"]
            assert list(g.parameter) == [v.decode() if isinstance(v, bytes) else v for v in h["parameter"][()]]
            assert list(g.parameter)[-1] == "(dummy)"
            for k in ("S1", "S1_low", "S1_high", "ST", "ST_low", "ST_high"):
                np.testing.assert_array_equal(g[k].to_numpy(), h[k][()])


def test_names_of_series_points_and_stat_columns():
    r = tribe.open(FORMAT1)
    assert r.column_name("mean_score_t010") == "mean_score[t=10]" == r.column_name("mean_score[t=10]")
    assert "mean_score[t=10]" in r.stat_columns and "final_mean_score" in r.stat_columns
    assert all(f"{c}_mean" in r.cells.columns for c in r.stat_columns)
    assert r.confidence == 0.95
    with pytest.raises(tribe.InputError, match="no_such is not a column"):
        r.column_name("no_such")


def test_a_complete_file_without_its_cell_tables_is_refused(tmp_path, small_result):
    import shutil

    damaged = tmp_path / "damaged.h5"
    shutil.copyfile(small_result, damaged)
    with h5py.File(damaged, "r+") as f:
        del f["cells/label"]
    # The engine's validation (the CLI's words) refuses it before the reader would.
    with pytest.raises(tribe.InputError, match="damaged file: dataset /cells/label is missing"):
        tribe.open(damaged)
