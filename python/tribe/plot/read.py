"""Reading tribe result files for the figures: a view over the Python module's reader.

There is one reader of result files, `tribe.open` (python/tribe/result.py, docs/python.md);
this module does not open HDF5 itself. `Result` gives the figure modules what they draw
from, as plain numpy arrays, lists and dicts: cell statistics and parameters (from
`tribe.Result.cells`), per-organization columns (`read_organizations`), claims, sweeps,
threshold curves, variance shares, Sobol indices and the assumption space.

Names: the figures name a point of a time series `NAME_tTTT` (how format 1.x stores it;
e.g. `mean_score_t100`), the module `NAME[t=T]`; both are accepted here and the figures
get the first, for files of either format.

This is the subpackage tribe.plot of the Python module (an installed package, or
PYTHONPATH=build/release/python, or the source tree's python/: reading needs no compiled
code, though with it every file is first checked by the engine). A file that is not a complete
tribe result of a known format major version raises `Refused` (the scripts turn it into
one line and exit status 2).
"""
from __future__ import annotations

import os
import re
import sys

try:
    import tomllib
except ImportError:  # pragma: no cover - Python < 3.11
    tomllib = None

import numpy as np

import tribe

SERIES_RE = re.compile(r"^(?P<base>.+)_t(?P<t>\d+)$")
_MODULE_POINT = re.compile(r"^(?P<base>[^\[\]]+)\[t=(?P<t>\d+)\]$")
STATISTICS = tribe.result.STATISTICS


def _figure_name(name: str) -> str:
    """The figures' name of a column: a series point `NAME[t=T]` becomes `NAME_tTTT`."""
    m = _MODULE_POINT.match(name)
    return f"{m['base']}_t{int(m['t']):03d}" if m else name


class Refused(Exception):
    """The input is not something the figure scripts draw; exit status 2."""


class Result:
    """A tribe result file, opened read-only through `tribe.open` and checked."""

    def __init__(self, path: str, model: str | None = None):
        self.path = path
        try:
            self.r = tribe.open(path)
        except tribe.TribeError as e:
            raise Refused(str(e)) from None
        if model is not None and self.r.model != model:
            got = self.r.model or "?"
            self.r.close()
            raise Refused(f"{path}: model is {got!r}, not {model!r}")
        self._cells = self.r.cells
        self._names: dict = {}

    def close(self):
        self.r.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    # -- provenance ----------------------------------------------------------------------
    def attr(self, name, default=""):
        v = self.r.provenance.get(name)
        return default if v is None else str(v)

    def attr_int(self, name, default=0):
        v = self.r.provenance.get(name)
        try:
            return int(np.asarray(v).ravel()[0])
        except (IndexError, TypeError, ValueError):
            return default

    @property
    def name(self) -> str:
        return self.r.name or os.path.splitext(os.path.basename(self.path))[0]

    @property
    def model(self) -> str:
        return self.r.model or "?"

    def provenance(self) -> dict:
        orgs = self.cell_organizations()
        return {
            "experiment": self.name,
            "file": os.path.basename(self.path),
            "seed": self.attr_int("seed"),
            "git_sha1": self.attr("git_sha1", "unknown"),
            "engine_version": self.attr("engine_version", "?"),
            "model": self.model,
            "model_version": self.attr("model_version", ""),
            "organizations": self.attr_int("organizations", int(orgs.sum()) if orgs.size else 0),
            "cells": self.ncells,
            "per_cell_min": int(orgs.min()) if orgs.size else 0,
            "per_cell_max": int(orgs.max()) if orgs.size else 0,
            "confidence": self.confidence,
        }

    def experiment_toml(self) -> dict:
        """The experiment file stored in the result, parsed ({} when it cannot be)."""
        if tomllib is None:
            return {}
        try:
            return tomllib.loads(self.r.experiment or "")
        except (tomllib.TOMLDecodeError, ValueError):
            return {}

    # -- design --------------------------------------------------------------------------
    @property
    def factors(self) -> list[str]:
        """The factor names in the order the experiment file lists them (the file stores
        them sorted by name; the stored experiment text keeps the user's order)."""
        stored = self.r.factors
        written = list((self.experiment_toml().get("factors") or {}).keys())
        ordered = [x for x in written if x in stored]
        return ordered + [x for x in stored if x not in ordered]

    def sampling(self) -> str:
        """The design's sampling ('grid' for a plain factorial; 'lhs', 'random', 'sobol'...)."""
        d = self.experiment_toml().get("design") or {}
        return str(d.get("sampling", "grid"))

    @property
    def confidence(self) -> float:
        return self.r.confidence

    @property
    def ncells(self) -> int:
        return len(self._cells)

    def labels(self) -> list[str]:
        return [str(x) for x in self._cells["label"]]

    def cell_organizations(self) -> np.ndarray:
        return self._cells["organizations"].to_numpy().astype(np.int64)

    def parameter_names(self) -> list[str]:
        return self.r.parameters

    def param(self, name):
        """Every cell's value of a model parameter: float array, or object array of str for
        choices; None when the file has no such parameter."""
        if name not in self.r.parameters:
            return None
        v = self._cells[name].to_numpy()
        if v.dtype.kind in "OSU":
            return np.array([str(x) for x in v], dtype=object)
        return v.astype(float)

    # -- columns and cell statistics ------------------------------------------------------
    def _name(self, col: str) -> str:
        """The module's name of a column (`NAME[t=T]` for a series point); COL itself when
        it is not a per-organization column."""
        if col not in self._names:
            try:
                self._names[col] = self.r.column_name(col)
            except tribe.InputError:
                self._names[col] = col
        return self._names[col]

    def stat_columns(self) -> list[str]:
        return [_figure_name(c) for c in self.r.stat_columns]

    def has_stat(self, col, key="mean") -> bool:
        return f"{self._name(col)}_{key}" in self._cells.columns

    def stat(self, col, key):
        k = f"{self._name(col)}_{key}"
        if k not in self._cells.columns:
            return np.full(self.ncells, np.nan)
        return self._cells[k].to_numpy().astype(float)

    def stats(self, col) -> dict:
        """Every stored statistic of a column per cell: {key: float array}."""
        return {k: self.stat(col, k) for k in STATISTICS if self.has_stat(col, k)}

    def is_binary(self, col) -> bool:
        return self.has_stat(col, "rate")

    def columns(self) -> list[str]:
        """The model's columns of /organizations (without `cell` and `organization`), in file order."""
        return [_figure_name(c) for c in self.r.columns]

    def column_meta(self, col) -> dict:
        info = self.r.column_info
        m = _MODULE_POINT.match(self._name(col))
        key = col if col in info.index else (m["base"] if m else None)
        if key not in info.index:
            return {"description": "", "kind": "", "role": ""}
        row = info.loc[key]
        return {k: str(row[k] or "") for k in ("description", "kind", "role")}

    def column_role(self, col) -> str:
        return self.column_meta(col)["role"]

    def column_description(self, col) -> str:
        return self.column_meta(col)["description"] or col

    # -- organizations -------------------------------------------------------------------
    def org_column(self, name):
        """A whole /organizations column (None when absent); also `cell` and `organization`."""
        try:
            if name in ("cell", "organization"):
                return self.r.read_organizations([])[name].to_numpy()
            return self.r.read_organizations([name]).iloc[:, 2].to_numpy()
        except tribe.InputError:
            return None

    def org_sample(self, col, max_per_cell: int, seed: int) -> tuple[list[np.ndarray], bool]:
        """The values of one /organizations column per cell (in the file's row order),
        reading only that column: every organization of a cell when it has at most
        MAX_PER_CELL, else a seeded uniform sample of MAX_PER_CELL of them. Returns (values
        per cell as float arrays, whether any was sampled). A sampled file is read a cell at
        a time (only that cell's rows), so memory stays bounded by the largest cell."""
        try:
            name = self.r.column_name(col)
        except tribe.InputError:
            return [np.zeros(0)] * self.ncells, False
        counts = self.cell_organizations()
        rng = np.random.default_rng(seed)
        if not (counts > max_per_cell).any():
            frame = self.r.read_organizations([name])
            cell, values = frame["cell"].to_numpy(), frame[name].to_numpy().astype(float)
            order = np.argsort(cell, kind="stable")
            bounds = np.searchsorted(cell[order], np.arange(self.ncells + 1))
            return [values[order[bounds[c] : bounds[c + 1]]] for c in range(self.ncells)], False
        out = []
        for c, total in enumerate(counts.tolist()):
            values = self.r.read_organizations([name], cells=[c])[name].to_numpy().astype(float)
            if total > max_per_cell:
                values = values[np.sort(rng.choice(total, size=max_per_cell, replace=False))]
            out.append(values)
        return out, True

    # -- claims, variance, sensitivity ---------------------------------------------------
    def claims(self):
        """The claims as {field: list or float array} (None when the file states none)."""
        frame = self.r.claims
        if frame.empty or "id" not in frame:
            return None
        n = len(frame)
        out = {}
        for k in ("id", "statement", "test", "column", "verdict", "description", "factors_a", "factors_b", "a", "b"):
            out[k] = [str(x) for x in frame[k]] if k in frame else [""] * n
        for k in ("value", "estimate", "ci_low", "ci_high", "robustness_share"):
            out[k] = frame[k].to_numpy().astype(float) if k in frame else np.full(n, np.nan)
        out["paired"] = frame["paired"].to_numpy().astype(int) if "paired" in frame else np.zeros(n, int)
        out["confidence"] = float(frame.attrs.get("confidence", self.confidence))
        self._claims_frame = frame
        return out

    def sweeps(self) -> dict:
        """Swept claims (format 1.1): {claim as written: {"levels": [str], "factor": str,
        "estimate", "ci_low", "ci_high": float arrays, "verdict": [str], "value": float,
        "test": str}}, levels in the design's order; empty without sweeps."""
        c = self.claims()
        if c is None or "sweep_of" not in self._claims_frame:
            return {}
        of = [str(x) for x in self._claims_frame["sweep_of"]]
        level = [str(x) for x in self._claims_frame["sweep_level"]]
        out = {}
        for i, base in enumerate(of):
            if not base:
                continue
            s = out.setdefault(
                base,
                {
                    "levels": [],
                    "factor": c["id"][i][len(base) + 1 :].split("=")[0],
                    "estimate": [],
                    "ci_low": [],
                    "ci_high": [],
                    "verdict": [],
                    "value": float(c["value"][i]),
                    "test": c["test"][i],
                    "column": c["column"][i],
                },
            )
            s["levels"].append(level[i])
            for k in ("estimate", "ci_low", "ci_high"):
                s[k].append(float(c[k][i]))
            s["verdict"].append(c["verdict"][i])
        for s in out.values():
            for k in ("estimate", "ci_low", "ci_high"):
                s[k] = np.array(s[k])
        return out

    def threshold_curves(self) -> dict:
        """Threshold curves (format 1.1): {threshold: {"value": grid, "claims": {id: {"verdict":
        int array (0 supported, 1 not supported, 2 inconclusive), "estimate": float array}}}},
        only for claims whose column depends on thresholds; empty without curves."""
        curves = self.r.threshold_curves
        c = self.claims()
        if not curves or c is None:
            return {}
        codes = {"supported": 0, "not supported": 1, "inconclusive": 2}
        out = {}
        for t, frame in curves.items():
            claims = {}
            for i, cid in enumerate(c["id"]):
                if np.isnan(c["robustness_share"][i]) or f"verdict_{cid}" not in frame:
                    continue
                claims[cid] = {
                    "verdict": np.array([codes[v] for v in frame[f"verdict_{cid}"]], int),
                    "estimate": frame[f"estimate_{cid}"].to_numpy().astype(float),
                    "value": float(c["value"][i]),
                    "test": c["test"][i],
                }
            if claims:
                out[t] = {"value": frame["value"].to_numpy().astype(float), "claims": claims}
        return out

    def claim_columns(self) -> list[str]:
        c = self.claims()
        if c:
            return list(dict.fromkeys(x for x in c["column"] if x))
        claims = self.experiment_toml().get("claims") or []
        return list(dict.fromkeys(str(x.get("column")) for x in claims if x.get("column")))

    def variance(self) -> dict:
        """{column: (factors, eta_squared array, unexplained share)} of the variance-share claims."""
        frame = self.r.variance_shares
        out = {}
        if frame is None:
            return out
        for col, g in frame.groupby("column", sort=False):
            shares = g[g.factor != "unexplained"]
            rest = g[g.factor == "unexplained"].eta_squared
            out[col] = (
                [str(x) for x in shares.factor],
                shares.eta_squared.to_numpy().astype(float),
                float(rest.iloc[0]) if len(rest) else float("nan"),
            )
        return out

    def sensitivity(self, col) -> dict:
        """Sobol indices of a column when the file stores them: {'parameter': [names],
        'S1', 'S1_low', 'S1_high', 'ST', 'ST_low', 'ST_high': float arrays}; {} when absent."""
        frame = self.r.sensitivity
        if frame is None:
            return {}
        g = frame[frame.column == col]
        if g.empty:
            return {}
        out = {"parameter": [str(x) for x in g.parameter]}
        for k in ("S1", "S1_low", "S1_high", "ST", "ST_low", "ST_high"):
            out[k] = g[k].to_numpy().astype(float)
        return out

    def calibration(self):
        """The rejection ABC of the file (tribe.Result.calibration), or None."""
        return self.r.calibration

    def assumption_space(self):
        """(points, scenarios) of the claims evaluated over the assumption space
        (tribe.Result.assumption_space and .scenarios), or None."""
        points = self.r.assumption_space
        return None if points is None else (points, self.r.scenarios)


def open_or_exit(path: str, model: str | None, prog: str) -> Result:
    """The checked result at PATH for a script: a refused file ends the script with one line
    '<prog>: error: ...' on stderr and exit status 2."""
    try:
        return Result(path, model)
    except Refused as e:
        exit_refused(prog, str(e))


def exit_refused(prog: str, msg: str):
    print(f"{prog}: error: {msg}", file=sys.stderr)
    sys.exit(2)
