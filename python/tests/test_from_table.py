"""tribe.from_table: another tool's table (here Mesa's batch_run rows) into a result file
with verdicts, through `tribe import`."""

import os

import pytest

import tribe

ROOT = os.path.join(os.path.dirname(__file__), "..", "..")
TABLES = os.path.join(ROOT, "examples", "tables")


def test_a_mesa_table_becomes_a_result_with_verdicts(tmp_path):
    out = tmp_path / "schelling.h5"
    r = tribe.from_table(
        os.path.join(TABLES, "mesa_schelling.csv"),
        out,
        claims=os.path.join(TABLES, "mesa_schelling_claims.toml"),
    )
    assert r.provenance["model"] == "imported"
    claims = r.claims
    assert len(claims) >= 1
    assert set(claims["verdict"]) <= {"supported", "not supported", "inconclusive"}


def test_mesa_rows_as_dicts_are_read_like_the_csv(tmp_path):
    import pandas as pd

    # round_trip: pandas' default float parser may be one unit in the last place off.
    table = pd.read_csv(os.path.join(TABLES, "mesa_schelling.csv"), float_precision="round_trip")
    rows = table.to_dict("records")
    a = tribe.from_table(rows, tmp_path / "rows.h5")
    b = tribe.from_table(os.path.join(TABLES, "mesa_schelling.csv"), tmp_path / "csv.h5")
    assert a.cells.drop(columns=[c for c in a.cells.columns if "label" in c]).equals(
        b.cells.drop(columns=[c for c in b.cells.columns if "label" in c])
    )


def test_a_malformed_table_is_refused_in_one_line_naming_row_and_column(tmp_path):
    bad = tmp_path / "bad.csv"
    lines = open(os.path.join(TABLES, "mesa_schelling.csv")).read().splitlines()
    header = lines[0].split(",")
    fields = lines[-1].split(",")  # the last step of the last run: a row the import reads
    fields[header.index("pct_happy")] = "n/a"
    lines[-1] = ",".join(fields)
    bad.write_text("\n".join(lines) + "\n")
    with pytest.raises(tribe.InputError, match=rf"bad.csv:{len(lines)}: column pct_happy"):
        tribe.from_table(bad, tmp_path / "bad.h5")
    assert not (tmp_path / "bad.h5").exists()
