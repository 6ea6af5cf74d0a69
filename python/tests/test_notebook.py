"""The tutorial notebook (examples/tutorial.ipynb) runs from top to bottom without an
error, in a fresh kernel of Debian's Python (nbclient, ipykernel)."""
from __future__ import annotations

import os

import nbformat
from nbclient import NotebookClient

from conftest import ROOT


def test_tutorial_notebook_runs(tmp_path, monkeypatch):
    nb = nbformat.read(os.path.join(ROOT, "examples", "tutorial.ipynb"), as_version=4)
    # The kernel inherits this environment: the module on PYTHONPATH. The notebook runs in
    # a scratch folder, outside the repository: it needs nothing of it.
    monkeypatch.setenv("MPLBACKEND", "Agg")
    monkeypatch.setenv("PYDEVD_DISABLE_FILE_VALIDATION", "1")  # a debugger notice of ipykernel
    client = NotebookClient(nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}})
    client.execute()  # raises CellExecutionError on the first failing cell
    assert (tmp_path / "tutorial.h5").exists()
    outputs = [o for cell in nb.cells if cell.cell_type == "code" for o in cell.get("outputs", [])]
    assert not [o for o in outputs if o.get("output_type") == "error"]
