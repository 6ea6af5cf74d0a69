"""The README's "From Python" example runs as written (from a repository root, with the
module on PYTHONPATH), and its R example's data frames agree with the Python reader."""
from __future__ import annotations

import glob
import os
import re
import shutil
import subprocess
import sys

import numpy as np
import pytest

import tribe
from conftest import ROOT


def readme_block(section: str, language: str) -> str:
    text = open(os.path.join(ROOT, "README.md"), encoding="utf-8").read()
    body = text.split(f"\n## {section}\n", 1)[1].split("\n## ", 1)[0]
    m = re.search(rf"```{language}\n(.*?)```", body, flags=re.S)
    assert m, f"no {language} block in the README's section {section!r}"
    return m.group(1)


def test_readme_python_example_runs_as_written(tmp_path):
    code = readme_block("From Python", "python")
    assert len(code.strip().splitlines()) <= 5
    # A copy of the repository's experiments: the example writes into its working directory.
    os.symlink(os.path.join(ROOT, "experiments"), tmp_path / "experiments")
    out = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert "verdict" in out.stdout and "H5-crash-mindset-stays" in out.stdout
    assert tribe.open(tmp_path / "hero-small.h5").n_organizations == 120 * 50  # hero.toml: 120 cells


@pytest.fixture(scope="module")
def rscript():
    r = shutil.which("Rscript")
    assert r, "Rscript not found: scripts/setup.sh installs r-base-core and r-cran-hdf5r"
    return r


def test_r_example_reads_what_the_python_reader_reads(tmp_path, rscript):
    result = os.path.join(ROOT, "python", "tribe", "data", "hero_small.h5")
    script = os.path.join(ROOT, "examples", "read_result.R")
    code = (
        f'source("{script}"); r <- read_tribe_result("{result}"); '
        f'write.csv(r$cells, "{tmp_path}/cells.csv", row.names = FALSE); '
        f'write.csv(r$organizations, "{tmp_path}/orgs.csv", row.names = FALSE); '
        f'write.csv(r$claims, "{tmp_path}/claims.csv", row.names = FALSE); '
        f'cat(r$provenance$seed, r$provenance$experiment_name, "\\n")'
    )
    out = subprocess.run([rscript, "-e", code], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    import pandas as pd

    r = tribe.open(result)
    assert out.stdout.split() == [str(r.provenance["seed"]), r.name]
    cells, orgs = pd.read_csv(tmp_path / "cells.csv"), pd.read_csv(tmp_path / "orgs.csv")
    py_cells, py_orgs = r.cells, r.organizations
    assert list(cells.label) == list(py_cells.label)
    for column in ("organizations", "distributed_rate", "distributed_rate_low", "solve_rate_mean", "hero"):
        np.testing.assert_allclose(cells[column], py_cells[column], rtol=1e-12)
    assert len(orgs) == len(py_orgs) and set(py_orgs.columns) <= set(orgs.columns)
    for column in py_orgs.columns:
        np.testing.assert_allclose(orgs[column], py_orgs[column], rtol=1e-12, equal_nan=True)
    claims = pd.read_csv(tmp_path / "claims.csv")
    assert list(claims.verdict) == list(r.claims.verdict)
    # (CSV carries 15 significant digits.) Run as a script it prints a summary; a file that is not
    # a result is one error line.
    ok = subprocess.run([rscript, script, result], capture_output=True, text=True, cwd=ROOT)
    assert ok.returncode == 0 and "16 cells, 800 organizations" in ok.stdout
    bad = subprocess.run([rscript, script, os.path.join(ROOT, "README.md")], capture_output=True, text=True)
    assert bad.returncode == 2 and bad.stderr.strip().startswith("read_result.R: error: ")


def test_readme_first_experiment_runs_and_its_claim_is_decided(tmp_path, cli):
    text = readme_block("A first experiment", "toml")
    (tmp_path / "span.toml").write_text(text)
    run = cli("run", "span.toml", "--orgs-per-cell", "200", "--quiet", cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    report = cli("report", "results/span.h5", cwd=tmp_path)
    assert report.returncode == 0 and "wide-spans-queue" in report.stdout
    assert re.search(r"verdict:\s+(supported|not supported|inconclusive)", report.stdout)


def test_every_relative_link_of_the_readme_and_the_docs_exists():
    # The README is a landing page that points into docs/ and the models' folders (their
    # docking documents): every link must lead somewhere.
    broken = []
    pages = (
        [os.path.join(ROOT, "README.md")]
        + glob.glob(os.path.join(ROOT, "docs", "*.md"))
        + glob.glob(os.path.join(ROOT, "models", "*", "*.md"))
    )
    for page in pages:
        text = open(page, encoding="utf-8").read()
        text = re.sub(r"```.*?```", "", text, flags=re.S)  # code blocks are not links
        for target in re.findall(r"\]\(([^)\s]+)\)", text):
            if re.match(r"^(https?:|mailto:|#)", target):
                continue
            path = os.path.normpath(os.path.join(os.path.dirname(page), target.split("#", 1)[0]))
            if not os.path.exists(path):
                broken.append(f"{os.path.relpath(page, ROOT)} -> {target}")
    assert broken == [], broken
