"""Time series: a quantity recorded at t = 0 ... T read as one 2-D array, from a file
that stores it as one column per time point (format 1.x) or as one dataset."""
from __future__ import annotations

import numpy as np
import pytest

import tribe

NK = {
    "experiment": {"name": "nk_small", "model": "lazer_friedman", "seed": 5, "organizations_per_cell": 6},
    "parameters": {"bits": 8, "k": 2, "agents": 10, "rounds": 12},
    "factors": {"network": ["linear", "full"]},
}


@pytest.fixture(scope="module")
def nk_result(tmp_path_factory):
    out = tmp_path_factory.mktemp("nk") / "nk.h5"
    return tribe.run(NK, output=out, progress=False)


def test_series_are_recognized(nk_result):
    r = nk_result
    assert "mean_score" in r.series_names
    times = r.times("mean_score")
    assert times[0] == 0 and len(times) >= 13 and np.all(np.diff(times) == 1)
    s = r.series("mean_score")
    assert s.shape == (12, len(times))
    orgs = r.organizations
    point = [c for c in orgs.columns if c.startswith("mean_score_t")][5]
    np.testing.assert_array_equal(s[:, 5], orgs[point])
    # Scores are defined up to the rounds simulated, NaN beyond.
    assert np.isfinite(s[:, : 13]).all() and np.isnan(s[:, 13:]).all()
    only_full = r.series("mean_score", cells=r.cell_index(network="full"))
    assert only_full.shape == (6, len(times))


def test_series_by_name_and_point(nk_result):
    r = nk_result
    df = r.read_organizations(["mean_score[t=3]", "final_mean_score"])
    np.testing.assert_array_equal(df["mean_score[t=3]"], r.series("mean_score")[:, 3])
    with pytest.raises(tribe.InputError, match="no time 999"):
        r.read_organizations(["mean_score[t=999]"])
    whole = r.read_organizations("mean_score")
    assert whole.shape[1] == 2 + len(r.times("mean_score"))


def test_series_in_xarray(nk_result):
    r = nk_result
    ds = r.to_xarray()
    v = ds["mean_score_mean"]
    assert v.dims == ("cell", "t") and v.sizes["t"] == len(r.times("mean_score"))
    by_cell = np.array([r.series("mean_score", cells=[c])[:, :13].mean(axis=0) for c in range(2)])
    np.testing.assert_allclose(v.values[:, :13], by_cell[:, :13], rtol=1e-12)
    assert "final_mean_score_mean" in ds and ds["final_mean_score_mean"].dims == ("cell",)
