"""Time series: a quantity recorded at t = 0 ... T (NK's mean_score). Format 2.x stores it
as one organizations x time dataset with its time axis as a dimension scale; format 1.x
stored one column per time point. The engine, the CLI and the reader read both, with the
same names: a point is `mean_score[t=T]`."""
from __future__ import annotations

import os

import h5py
import numpy as np
import pytest

import tribe
from conftest import ROOT

FORMAT1 = os.path.join(ROOT, "tests", "data", "format1", "lazer_friedman_small.h5")
FORMAT1_TOML = os.path.join(ROOT, "tests", "data", "format1", "lazer_friedman_small.toml")
ROUNDS = 12  # of that experiment


@pytest.fixture(scope="module")
def format2(tmp_path_factory):
    """The experiment of the committed 1.0 file, run again by this build (format 2.0), with
    a second claim that names the series point in the new syntax."""
    text = open(FORMAT1_TOML).read()
    text += (
        text[text.index("[[claims]]") :]
        .replace('id = "full-faster-early"', 'id = "full-faster-early-2"')
        .replace('column = "mean_score_t005"', 'column = "mean_score[t=5]"')
    )
    out = tmp_path_factory.mktemp("nk") / "nk.h5"
    return tribe.run(text, output=out, progress=False)


def test_a_series_is_one_chunked_compressed_2d_dataset_with_a_time_scale(format2):
    with h5py.File(format2.path) as f:
        assert list(f.attrs["format_version"]) == [2, 3]
        ds = f["organizations/mean_score"]
        assert ds.shape == (16, 101) and ds.chunks is not None and ds.chunks[1] == 101
        assert ds.compression == "gzip" and ds.shuffle
        assert ds.dims[1].label == "t" and list(ds.dims[1][0][()]) == list(range(101))
        assert not any(k.startswith("mean_score_t") for k in f["organizations"])
        assert f["cells/stats/mean_score/mean"].shape == (2, 101)
        assert f["organizations/final_mean_score"].ndim == 1


def test_files_without_a_series_keep_format_1(small_result):
    with h5py.File(small_result) as f:
        assert list(f.attrs["format_version"]) == [1, 3]


@pytest.mark.parametrize("which", ["format1", "format2"])
def test_series_read_alike_from_both_formats(which, format2):
    r = tribe.open(FORMAT1) if which == "format1" else format2
    assert r.format_version[0] == (1 if which == "format1" else 2)
    assert r.series_names == ["mean_score"]
    assert list(r.times("mean_score")) == list(range(101))
    s = r.series("mean_score")
    assert s.shape == (16, 101)
    assert np.isfinite(s[:, : ROUNDS + 1]).all() and np.isnan(s[:, ROUNDS + 1 :]).all()
    orgs = r.organizations
    assert "mean_score[t=5]" in orgs.columns and "mean_score_t005" not in orgs.columns
    np.testing.assert_array_equal(orgs["mean_score[t=5]"], s[:, 5])
    df = r.read_organizations(["mean_score[t=3]", "mean_score_t004", "final_mean_score"])
    np.testing.assert_array_equal(df["mean_score[t=3]"], s[:, 3])
    np.testing.assert_array_equal(df["mean_score[t=4]"], s[:, 4])
    np.testing.assert_array_equal(orgs["final_mean_score"], s[:, ROUNDS])  # the last round's score
    assert r.read_organizations("mean_score").shape[1] == 2 + 101
    with pytest.raises(tribe.InputError, match="no time 999"):
        r.read_organizations(["mean_score[t=999]"])
    full = r.cell_index(network="full")
    assert r.series("mean_score", cells=full).shape == (8, 101)
    cells = r.cells
    per_cell = [r.series("mean_score", cells=[c]) for c in range(len(cells))]
    np.testing.assert_allclose(cells["mean_score[t=5]_mean"], [v[:, 5].mean() for v in per_cell], rtol=1e-12)
    ds = r.to_xarray()
    assert ds["mean_score_mean"].dims == ("cell", "t") and ds.sizes["t"] == 101
    np.testing.assert_allclose(
        ds["mean_score_mean"].values[:, : ROUNDS + 1], [v[:, : ROUNDS + 1].mean(axis=0) for v in per_cell], rtol=1e-12
    )


def test_the_same_run_gives_the_same_numbers_in_both_formats(format2):
    old = tribe.open(FORMAT1)
    assert old.provenance["model_version"] == format2.provenance["model_version"]
    np.testing.assert_array_equal(old.series("mean_score"), format2.series("mean_score"))
    a, b = old.cells, format2.cells
    assert list(a.columns) == list(b.columns)
    for c in a.columns:
        if c != "label":
            # Interval bounds may differ in the last bit: t and normal quantiles come from
            # Boost.Math since the 1.0 file was written.
            if a[c].dtype.kind == "f":
                np.testing.assert_allclose(a[c], b[c], rtol=1e-13, atol=0, err_msg=c)
            else:
                np.testing.assert_array_equal(a[c], b[c], err_msg=c)
    # The claim on mean_score_t005 (1.0) = the same claim (2.0) = the claim on mean_score[t=5].
    c1, c2 = old.claims.set_index("id"), format2.claims.set_index("id")
    for k in ("estimate", "ci_low", "ci_high", "verdict"):
        assert c2.loc["full-faster-early", k] == c2.loc["full-faster-early-2", k]
        if k == "verdict":
            assert c1.loc["full-faster-early", k] == c2.loc["full-faster-early", k]
        else:  # the 1.0 file predates Boost.Math quantiles and cluster-robust pooling
            assert c1.loc["full-faster-early", k] == pytest.approx(c2.loc["full-faster-early", k], rel=1e-9)


def test_inspect_and_report_read_both_formats(format2, cli):
    def points(path):
        out = cli("inspect", path, "--columns", "mean_score" if path == format2.path else "mean_score_t005")
        assert out.returncode == 0, out.stderr
        return out.stdout

    new = cli("inspect", format2.path)
    assert new.returncode == 0 and "mean_score[t=5]" in new.stdout and "mean_score[t=100]" in new.stdout
    old = cli("inspect", FORMAT1)
    assert old.returncode == 0 and "mean_score_t005" in old.stdout

    def line(text, name):
        return [row.split()[1:] for row in text.splitlines() if row.strip().startswith(name + " ")]

    assert line(new.stdout, "mean_score[t=5]") == line(old.stdout, "mean_score_t005")
    assert "mean_score[t=7]" in points(format2.path)
    for path in (FORMAT1, format2.path):
        rep = cli("report", path)
        assert rep.returncode == 0 and "full-faster-early" in rep.stdout, rep.stderr
    assert "mean_score[t=5]" in cli("report", format2.path).stdout


def test_claims_and_targets_name_a_series_point(tmp_path, cli):
    text = open(FORMAT1_TOML).read().replace('column = "mean_score_t005"', 'column = "mean_score[t=999]"')
    bad = tmp_path / "bad.toml"
    bad.write_text(text)
    c = cli("run", bad, "-o", tmp_path / "x.h5")
    assert c.returncode == 2 and "mean_score[t=999]" in c.stderr
    assert "lazer_friedman" in tribe.model("lazer_friedman")["name"]
    points = [col for col in tribe.model("lazer_friedman")["columns"] if col["name"].startswith("mean_score_t")]
    assert len(points) == 101 and {p.get("series") for p in points} == {"mean_score"}
    assert [p["time"] for p in points] == list(range(101))


def test_a_labeled_series_and_one_factor_unstacked(format2):
    # series(labeled=True): (organization, t) with the time points and each row's cell;
    # to_xarray(unstack=True) of a one-factor design makes the factor the dimension.
    r = format2
    da = r.series("mean_score", labeled=True)
    assert da.dims == ("organization", "t") and da.name == "mean_score"
    np.testing.assert_array_equal(da["t"].values, r.times("mean_score"))
    np.testing.assert_array_equal(da.values, r.series("mean_score"))
    orgs = r.read_organizations(["final_mean_score"])
    np.testing.assert_array_equal(da["cell"].values, orgs["cell"].to_numpy())
    assert list(da["label"].values[:1]) == [r.cells["label"][orgs["cell"][0]]]
    ds = r.to_xarray(unstack=True)
    assert r.factors == ["network"] and "network" in ds.dims and "cell" not in ds.dims
    np.testing.assert_allclose(
        ds["mean_score_mean"].sel(network="full").values,
        r.to_xarray()["mean_score_mean"].values[r.cell_index(network="full")[0]],
    )
