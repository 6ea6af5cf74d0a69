"""tribe.models() and tribe.model(NAME): what `tribe models` prints, as data."""
from __future__ import annotations

import re

import pytest

import tribe
from conftest import engine_message


def test_models_lists_what_the_cli_lists(cli):
    c = cli("models")
    assert c.returncode == 0
    listed = re.findall(r"^(\S+) (\S+)$", c.stdout, flags=re.M)
    assert [(m["name"], m["version"]) for m in tribe.models()] == listed
    assert "leadership" in [m["name"] for m in tribe.models()]


@pytest.mark.parametrize("name", ["leadership", "march", "lazer_friedman"])
def test_model_parameters_and_columns_match_the_cli(cli, name):
    c = cli("models", name, "--format", "markdown")
    assert c.returncode == 0
    m = tribe.model(name)
    rows = re.findall(r"^\| `([^`]+)` \| (\S+) \|", c.stdout, flags=re.M)
    params = [(p["name"], p["type"]) for p in m["parameters"]]
    columns = [(col["name"], col["kind"]) for col in m["columns"]]
    assert rows == params + columns
    for p in m["parameters"]:
        assert p["description"]
        if p["type"] in ("real", "integer"):
            assert p["min"] <= p["default"] <= p["max"]
        if p["type"] == "choice":
            assert p["default"] in p["choices"]
    assert {col["role"] for col in m["columns"]} <= {"drawn", "outcome"}


def test_leadership_names_its_derived_columns():
    derived = {d["column"]: d for d in tribe.model("leadership")["derived_columns"]}
    assert "distributed" in derived and derived["distributed"]["thresholds"]


def test_unknown_model_raises_the_engine_message(cli):
    c = cli("models", "nosuchmodel")
    assert c.returncode == 2
    with pytest.raises(tribe.InputError) as e:
        tribe.model("nosuchmodel")
    assert str(e.value) == engine_message(c)


def test_check_validates_without_running(small_experiment):
    info = tribe.check(small_experiment)
    assert info["cells"] == 4 and info["model"] == "leadership" and info["organizations_per_cell"] == 300
    small_experiment["parameters"]["agents"] = -1
    with pytest.raises(tribe.InputError, match="agents"):
        tribe.check(small_experiment)
