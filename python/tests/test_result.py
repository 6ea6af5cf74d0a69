"""tribe.open: result files as pandas data frames, dicts and xarray datasets."""
from __future__ import annotations

import os
import shutil

import h5py
import numpy as np
import pytest

import tribe
from conftest import ROOT, SMALL, engine_message


def test_provenance_and_identity(small_result):
    r = tribe.open(small_result)
    p = r.provenance
    assert p["filetype"] == "tribe-result" and p["complete"] == 1
    assert p["seed"] == SMALL["experiment"]["seed"] and p["model"] == "leadership"
    assert p["experiment"] == tribe.experiment_text(SMALL) == r.experiment
    assert r.name == "small" and r.n_cells == 4 and r.n_organizations == 1200
    assert r.factors == ["control", "structure"]
    assert "agents" in r.parameters and "structure" in r.parameters


def test_cell_statistics_agree_with_the_organizations(small_result):
    r = tribe.open(small_result)
    cells, orgs = r.cells, r.organizations
    assert len(cells) == 4 and list(cells.organizations) == [300] * 4
    assert set(cells.structure) == {"flat", "hierarchy"} and set(cells.control) == {0.1, 0.8}
    by_cell = orgs.groupby("cell")
    np.testing.assert_allclose(cells.distributed_rate, by_cell.distributed.mean())
    np.testing.assert_array_equal(cells.distributed_successes, by_cell.distributed.sum())
    np.testing.assert_allclose(cells.solve_rate_mean, by_cell.solve_rate.mean(), rtol=1e-12)
    np.testing.assert_array_equal(cells.solve_rate_n + cells.solve_rate_missing, cells.organizations)
    assert (cells.distributed_rate_low <= cells.distributed_rate).all()
    assert (cells.distributed_rate <= cells.distributed_rate_high).all()
    assert (cells.solve_rate_ci_low <= cells.solve_rate_ci_high).all()


def test_organizations_columns_cells_and_parameters(small_result):
    r = tribe.open(small_result)
    full = r.organizations
    assert len(full) == 1200 and list(full.columns[:2]) == ["cell", "organization"]
    assert set(tribe.model("leadership")["columns"][i]["name"] for i in range(3)) <= set(full.columns)
    part = r.read_organizations(["distributed", "solve_rate"], cells=[2, 3], parameters=True)
    assert list(part.cell.unique()) == [2, 3] and len(part) == 600
    assert {"distributed", "solve_rate", "structure", "control", "agents"} <= set(part.columns)
    same = full[full.cell.isin([2, 3])].reset_index(drop=True)
    np.testing.assert_array_equal(part.solve_rate, same.solve_rate)
    cells = r.cells
    for c in (2, 3):
        rows = part[part.cell == c]
        assert set(rows.structure.astype(str)) == {cells.structure[c]}
        assert set(rows.control) == {cells.control[c]}
    only = r.read_organizations("distributed", parameters=["structure"])
    assert list(only.columns) == ["cell", "organization", "structure", "distributed"]
    flat = r.cell_index(structure="flat")
    assert list(cells.structure[flat]) == ["flat", "flat"]
    with pytest.raises(tribe.InputError, match="not a column"):
        r.read_organizations(["nope"])
    with pytest.raises(tribe.InputError, match="not a parameter"):
        r.read_organizations(["distributed"], parameters=["nope"])
    with pytest.raises(tribe.InputError, match="does not exist"):
        r.read_organizations(cells=[9])


def test_claims_match_the_report(small_result, cli):
    r = tribe.open(small_result)
    claims = r.claims
    assert list(claims.id) == ["flat-distributes-sometimes"]
    row = claims.iloc[0]
    assert row.verdict in ("supported", "not supported", "inconclusive")
    assert row.ci_low <= row.estimate <= row.ci_high
    grid = r.robustness  # `distributed` depends on thresholds: verdicts under each setting
    assert len(grid) >= 2 and any(c.startswith("offset_") for c in grid.columns)
    assert set(grid[row.id]) <= {"supported", "not supported", "inconclusive"}
    report = cli("report", small_result, "--format", "markdown")
    assert report.returncode == 0 and row.verdict in report.stdout and row.id in report.stdout


def test_to_xarray(small_result):
    r = tribe.open(small_result)
    ds = r.to_xarray()
    assert ds.sizes["cell"] == 4
    np.testing.assert_array_equal(ds["distributed_rate"].values, r.cells.distributed_rate.values)
    assert list(ds["structure"].values) == list(r.cells.structure)
    grid = r.to_xarray(unstack=True)
    assert grid["distributed_rate"].sizes == {"control": 2, "structure": 2}
    flat_high = grid["distributed_rate"].sel(structure="flat", control=0.8).item()
    cells = r.cells
    assert flat_high == cells[(cells.structure == "flat") & (cells.control == 0.8)].distributed_rate.item()


def test_sensitivity_of_a_sampled_design(tmp_path):
    x = {
        "experiment": {"name": "sens", "model": "leadership", "seed": 3, "organizations_per_cell": 4},
        "parameters": {"agents": 12, "steps": 20},
        "factors": {"structure": ["flat", "hierarchy"]},
        "design": {"sampling": "lhs", "points": 10, "ranges": {"control": [0.0, 1.0], "aligned": [0.2, 0.9]}},
        "claims": [
            {
                "id": "structure-share",
                "statement": "structure explains some variance",
                "test": "variance_share_below",
                "column": "solve_rate",
                "factors_a": ["structure"],
                "value": 1.0,
            }
        ],
    }
    r = tribe.run(x, output=tmp_path / "s.h5", progress=False)
    s = r.variance_shares
    assert s is not None and set(s.column) == {"solve_rate"}
    assert {"structure", "control", "aligned", "unexplained"} <= set(s.factor)
    assert ((s.eta_squared >= 0) & (s.eta_squared <= 1)).all()
    assert abs(s.eta_squared.sum() - 1) < 1e-9
    assert r.robustness is None  # solve_rate depends on no threshold
    with pytest.raises(tribe.InputError, match="one cell per combination"):
        r.to_xarray(unstack=True)  # 10 sampled points per factor level


def test_a_result_without_claims_or_variance(tmp_path, small_experiment):
    del small_experiment["claims"]
    r = tribe.run(small_experiment, output=tmp_path / "n.h5", orgs_per_cell=3, progress=False)
    assert r.claims.empty and r.sensitivity is None and r.variance_shares is None and r.robustness is None


def test_files_that_are_not_results_are_refused_like_the_cli(tmp_path, cli, small_result):
    missing = tmp_path / "missing.h5"
    text = tmp_path / "text.h5"
    text.write_text("not hdf5")
    foreign = tmp_path / "foreign.h5"
    with h5py.File(foreign, "w") as f:
        f["x"] = [1, 2]
    # A missing file is an environment fault (exit 3); what is there but is not a result
    # is bad input (exit 2), as the CLI's one validation layer says.
    for path, code, error in (
        (missing, 3, tribe.EnvironmentFault),
        (text, 2, tribe.InputError),
        (foreign, 2, tribe.InputError),
        (tmp_path, 2, tribe.InputError),
    ):
        c = cli("inspect", path)
        assert c.returncode == code
        with pytest.raises(error) as e:
            tribe.open(path)
        assert str(e.value) == engine_message(c)
    incomplete = tmp_path / "incomplete.h5"
    future = tmp_path / "future.h5"
    for path, attr, value in (
        (incomplete, "complete", np.uint64(0)),
        (future, "format_version", np.array([9, 0], dtype=np.uint32)),
    ):
        shutil.copy(small_result, path)
        with h5py.File(path, "r+") as f:
            f.attrs[attr] = value
        assert cli("inspect", path).returncode == 2
    with pytest.raises(tribe.InputError, match="incomplete"):
        tribe.open(incomplete)
    assert tribe.open(incomplete, allow_incomplete=True).n_organizations == 1200
    with pytest.raises(tribe.InputError, match="format version 9.x is not supported"):
        tribe.open(future)


def test_the_reader_works_without_the_compiled_engine(small_result, tmp_path):
    # Scripts may import the reader from the source tree (python/) with no build.
    import subprocess
    import sys

    code = "import sys, tribe; r = tribe.open(sys.argv[1]); print(len(r.cells), tribe._tribe is None)"
    out = subprocess.run(
        [sys.executable, "-c", code, small_result],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": os.path.join(ROOT, "python")},
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["4", "True"]


def test_plot_draws_a_column_with_the_figure_scripts_implementation(small_result):
    # Result.plot is scripts/figures.py's column figure (tribe.plot): the means it draws are
    # the file's cell statistics.
    import matplotlib

    matplotlib.use("Agg")
    r = tribe.open(small_result)
    col = "solve_rate"
    fig = r.plot(col)
    assert isinstance(fig, matplotlib.figure.Figure)
    assert len(fig.axes) >= 2  # means and distributions
    ys = np.concatenate(
        [np.asarray(line.get_ydata(), float) for ax in fig.axes for line in ax.lines if len(line.get_ydata())]
        or [np.array([])]
    )
    stat = r.cells[f"{col}_mean"].to_numpy(float)
    assert any(np.isclose(ys, m).any() for m in stat[np.isfinite(stat)])


def test_patterns_are_a_table_of_their_own(tmp_path, cli):
    x = {
        "experiment": {
            "name": "pop",
            "model": "leadership",
            "seed": 5,
            "organizations_per_cell": 4,
            "common_random_numbers": False,
        },
        "parameters": {"agents": 10, "steps": 60},
        "factors": {"structure": ["flat", "hierarchy"]},
        "design": {"sampling": "lhs", "points": 30, "ranges": {"control": [0.0, 1.0], "collaborative": [0.2, 0.9]}},
        "patterns": [
            {
                "id": "P-density",
                "statement": "denser leadership goes with performance",
                "test": "rank_correlation_within",
                "column": "leadership_density",
                "with": "aligned_solve_rate",
                "controls": ["reliance_events"],
                "band": [0.18, 0.35],
            }
        ],
    }
    r = tribe.run(x, output=tmp_path / "p.h5", progress=False)
    assert r.claims.empty
    p = r.patterns
    assert list(p.id) == ["P-density"]
    row = p.iloc[0]
    assert (row.value, row.value_high) == (0.18, 0.35)
    assert row.controls == "reliance_events" and row.b == "aligned_solve_rate"
    assert row.verdict in ("supported", "not supported", "inconclusive")
    assert row.ci_low <= row.estimate <= row.ci_high
    report = cli("report", str(tmp_path / "p.h5"))
    assert report.returncode == 0 and "Patterns of experiment pop" in report.stdout
    assert "P-density" in report.stdout


def test_calibration_reads_the_rejection_abc(tmp_path, small_result):
    # A band on the mean number of challenges (500 x arrival_rate for 10 agents x 50 steps)
    # is matched near arrival_rate 0.02: Result.calibration gives every prior draw with its
    # pattern estimate, the accepted points, the marginals and the accepted region.
    x = {
        "experiment": {
            "name": "cal",
            "model": "leadership",
            "seed": 11,
            "organizations_per_cell": 50,
            "common_random_numbers": False,
        },
        "parameters": {"agents": 10, "steps": 50, "span": 3},
        "factors": {"structure": ["flat", "hierarchy"]},
        "patterns": [
            {
                "id": "load",
                "statement": "about 10 challenges per organization",
                "test": "within",
                "column": "challenges",
                "band": [9.5, 10.5],
            }
        ],
        "calibration": {"points": 24, "quantile": 0.25, "ranges": {"arrival_rate": [0.005, 0.03]}},
    }
    r = tribe.run(x, output=tmp_path / "c.h5", progress=False)
    c = r.calibration
    assert isinstance(c, tribe.Calibration)
    assert len(c.points) == 24 and c.points["accepted"].sum() == len(c.accepted) >= 6
    est = c.points["estimate_load"].to_numpy()
    rate = c.points["value_arrival_rate"].to_numpy()
    assert np.all(np.abs(est - 500 * rate) < 2.0)
    # The quantile rule keeps the closest points: no rejected point is closer than an accepted one.
    d = c.points["distance"].to_numpy()
    acc = c.points["accepted"].to_numpy()
    assert d[acc].max() <= d[~acc].min()
    m = c.marginals.set_index("parameter").loc["arrival_rate"]
    assert m.prior_low == 0.005 and m.prior_high == 0.03
    assert m.credible_low <= 0.02 <= m.credible_high
    assert list(c.accepted_region.id) == ["load"]
    assert c.attrs["points"] == 24
    # Without [calibration] there is none.
    assert tribe.open(small_result).calibration is None


def test_cell_selections_are_masks_or_indices(small_result):
    # Issue 27, item 11: a boolean mask returned cells 0 and 1, a fractional index cell 1.
    r = tribe.open(small_result)
    mask = np.array([True, False, False, True])
    by_mask = r.read_organizations(["solve_rate"], cells=mask)
    assert sorted(set(by_mask.cell)) == [0, 3]
    assert by_mask.equals(r.read_organizations(["solve_rate"], cells=[0, 3]))
    with pytest.raises(tribe.InputError, match="one value per cell"):
        r.read_organizations(["solve_rate"], cells=np.array([True, False]))
    with pytest.raises(tribe.InputError, match="cell indices"):
        r.read_organizations(["solve_rate"], cells=[1.5])


def test_open_runs_the_engines_validation(small_result, tmp_path, cli):
    # Issue 27, items 1 and 11: tribe.open refuses what `tribe inspect` refuses, with the
    # same line: here a changed string (a label in HDF5's global heap, outside the chunks'
    # checksums) that h5py alone would read as if nothing had happened.
    data = open(small_result, "rb").read()
    at = data.rfind(b"structure=flat")
    assert at > 0
    damaged = tmp_path / "damaged.h5"
    damaged.write_bytes(data[:at] + b"S" + data[at + 1 :])
    c = cli("inspect", damaged)
    assert c.returncode == 2
    with pytest.raises(tribe.InputError) as e:
        tribe.open(damaged)
    assert str(e.value) == engine_message(c)
    assert "digest" in str(e.value)


def test_parameters_keep_their_types_and_cells_have_a_long_form(small_result):
    r = tribe.open(small_result)
    c = r.cells
    # agents, steps and span are integer parameters (stored as doubles, with their type).
    assert c["agents"].dtype.kind == "i" and c["span"].dtype.kind == "i" and c["control"].dtype.kind == "f"
    with h5py.File(small_result) as f:
        assert f["cells/parameters/agents"].attrs["type"] == "integer"
        assert f["cells/parameters/structure"].attrs["type"] == "choice"
    long = r.cells_long()
    assert list(long.columns) == ["cell", "label"] + r.factors + ["column", "t", "statistic", "value"]
    # every statistic of the wide table, once, with its value
    stats = [k for k in c.columns if k not in ("label", "organizations") and k not in r.parameters]
    assert len(long) == len(c) * len(stats) and not long["column"].isna().any()
    row = long[(long.cell == 2) & (long.column == "distributed") & (long.statistic == "rate_low")]
    assert row["value"].item() == c.loc[2, "distributed_rate_low"]
