"""Opening a tribe result file for the docking figure scripts (plot_march.py,
plot_lazer_friedman.py): one place for what they accept.

The scripts import it from their own folder (Python puts a script's folder on the path).
"""
from __future__ import annotations

import sys

import h5py
import numpy as np


def fail(script: str, msg: str) -> None:
    """One line '<script>: error: <msg>' on stderr and exit status 2."""
    print(f"{script}: error: {msg}", file=sys.stderr)
    sys.exit(2)


def open_result(path: str, model: str, script: str) -> h5py.File:
    """The complete tribe result at PATH, of format version 1 or 2 and of MODEL; otherwise
    refused through fail()."""
    try:
        f = h5py.File(path, "r")
    except OSError as e:
        fail(script, f"{path}: cannot open ({e})")
    if f.attrs.get("filetype") != "tribe-result" or int(f.attrs.get("complete", 0)) != 1:
        fail(script, f"{path}: not a complete tribe result file")
    major = int(np.asarray(f.attrs.get("format_version", [0])).ravel()[0])
    if major not in (1, 2):  # 2.x: time series stored as organizations x time datasets
        fail(script, f"{path}: result format version {major}, this script reads versions 1 and 2")
    if f.attrs.get("model") != model:
        fail(script, f"{path}: model is {f.attrs.get('model')!r}, not {model!r}")
    return f
