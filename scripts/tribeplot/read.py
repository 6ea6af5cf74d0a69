"""Reading tribe result files: the one place where the figure code touches HDF5.

Every figure module reads through `Result` and gets plain numpy arrays, lists and dicts
back, so that this module can later be switched to the Python front end (`tribe.open`)
without touching any figure. A file that is not a complete tribe result of a known format
major version raises `Refused` (the scripts turn it into one line and exit status 2).
"""
from __future__ import annotations

import os
import re

try:
    import tomllib
except ImportError:  # pragma: no cover - Python < 3.11
    tomllib = None

import h5py
import numpy as np

FORMAT_MAJOR = 1
# Format 2.x stores a model's time series as one 2-D dataset (organizations x time) with
# its time axis in /time/<series>; 1.x stored one column per time point, NAME_tNNN. The
# reader presents 2.x series under the 1.x names, so every figure reads both.
FORMAT_MAJORS = (1, 2)
_POINT = re.compile(r"^(.*)_t(\d+)$")


class _SeriesColumn:
    """One time point of a 2-D series dataset, read like a 1-D column (shape, slicing)."""

    def __init__(self, ds, j: int):
        self.ds, self.j = ds, j
        self.shape = (ds.shape[0],)
        self.attrs = ds.attrs

    def __getitem__(self, key):
        if key == ():
            return self.ds[:, self.j]
        return self.ds[key, self.j]


class Refused(Exception):
    """The input is not something the figure scripts draw; exit status 2."""


def _text(v) -> str:
    if isinstance(v, bytes):
        return v.decode("utf-8", "replace")
    if isinstance(v, np.ndarray) and v.shape == ():
        return _text(v[()])
    return str(v)


def _strings(ds) -> list[str]:
    return [_text(x) for x in ds[()]]


def _first_int(value, default=None):
    try:
        return int(np.asarray(value).ravel()[0])
    except (IndexError, TypeError, ValueError):
        return default


def check_file(f, path: str, model: str | None = None) -> None:
    """Raises Refused unless the open h5py file F is a complete tribe result of format major
    FORMAT_MAJOR (and of MODEL when given)."""
    a = f.attrs
    if "filetype" not in a or _text(a["filetype"]) != "tribe-result":
        raise Refused(f"{path}: not a tribe result (root attribute filetype is not 'tribe-result')")
    major = _first_int(a["format_version"]) if "format_version" in a else None
    if major is None:
        raise Refused(f"{path}: not a tribe result (no format_version attribute)")
    if major not in FORMAT_MAJORS:
        raise Refused(f"{path}: format version {major}.x is not supported (this script reads "
                      f"{' and '.join(f'{m}.x' for m in FORMAT_MAJORS)})")
    complete = _first_int(a["complete"], 0) if "complete" in a else 0
    if complete != 1:
        raise Refused(f"{path}: incomplete tribe result (root attribute complete != 1)")
    for need in ("cells/label", "cells/stats", "cells/parameters", "cells/organizations"):
        if need not in f:
            raise Refused(f"{path}: not a complete tribe result (missing /{need})")
    if model is not None:
        got = _text(a["model"]) if "model" in a else "?"
        if got != model:
            raise Refused(f"{path}: model is {got!r}, not {model!r}")


def open_h5(path: str, model: str | None = None) -> h5py.File:
    """The checked result file at PATH as an open h5py.File (for the docking scripts, which
    index it directly); raises Refused."""
    if not os.path.isfile(path):
        raise Refused(f"{path}: no such file")
    try:
        f = h5py.File(path, "r")
    except (OSError, ValueError) as e:
        raise Refused(f"{path}: not a tribe result (not an HDF5 file: {str(e).splitlines()[0]})") from None
    try:
        check_file(f, path, model)
    except Refused:
        f.close()
        raise
    return f


SERIES_RE = re.compile(r"^(?P<base>.+)_t(?P<t>\d+)$")


class Result:
    """A tribe result file, opened read-only and checked."""

    def __init__(self, path: str, model: str | None = None):
        self.path = path
        self.f = open_h5(path, model)
        self._params: dict = {}
        self._stats: dict = {}

    def close(self):
        self.f.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    # -- provenance ----------------------------------------------------------------------
    def attr(self, name, default=""):
        return _text(self.f.attrs[name]) if name in self.f.attrs else default

    def attr_int(self, name, default=0):
        return _first_int(self.f.attrs[name], default) if name in self.f.attrs else default

    @property
    def name(self) -> str:
        return self.attr("experiment_name", os.path.splitext(os.path.basename(self.path))[0])

    @property
    def model(self) -> str:
        return self.attr("model", "?")

    def provenance(self) -> dict:
        orgs = self.cell_organizations()
        return {
            "experiment": self.name, "file": os.path.basename(self.path), "seed": self.attr_int("seed"),
            "git_sha1": self.attr("git_sha1", "unknown"), "engine_version": self.attr("engine_version", "?"),
            "model": self.model, "model_version": self.attr("model_version", ""),
            "organizations": self.attr_int("organizations", int(orgs.sum()) if orgs.size else 0),
            "cells": self.ncells, "per_cell_min": int(orgs.min()) if orgs.size else 0,
            "per_cell_max": int(orgs.max()) if orgs.size else 0, "confidence": self.confidence,
        }

    def experiment_toml(self) -> dict:
        """The experiment file stored in the result, parsed ({} when it cannot be)."""
        if tomllib is None:
            return {}
        try:
            return tomllib.loads(self.attr("experiment", ""))
        except (tomllib.TOMLDecodeError, ValueError):
            return {}

    # -- design --------------------------------------------------------------------------
    @property
    def factors(self) -> list[str]:
        """The factor names in the order the experiment file lists them (the file's /cells
        attribute `factors` is sorted by name; the stored experiment text keeps the user's order)."""
        c = self.f["cells"].attrs
        stored = [_text(x) for x in c["factors"]] if "factors" in c else []
        written = list((self.experiment_toml().get("factors") or {}).keys())
        ordered = [x for x in written if x in stored]
        return ordered + [x for x in stored if x not in ordered]

    def sampling(self) -> str:
        """The design's sampling ('grid' for a plain factorial; 'lhs', 'random', 'sobol'...)."""
        d = self.experiment_toml().get("design") or {}
        return str(d.get("sampling", "grid"))

    @property
    def confidence(self) -> float:
        c = self.f["cells"].attrs
        return float(np.asarray(c["confidence"]).ravel()[0]) if "confidence" in c else 0.95

    @property
    def ncells(self) -> int:
        return int(self.f["cells/label"].shape[0])

    def labels(self) -> list[str]:
        return _strings(self.f["cells/label"])

    def cell_organizations(self) -> np.ndarray:
        return self.f["cells/organizations"][()].astype(np.int64)

    def parameter_names(self) -> list[str]:
        return list(self.f["cells/parameters"].keys())

    def param(self, name):
        """Every cell's value of a model parameter: float array, or object array of str for
        choices; None when the file has no such parameter."""
        if name not in self._params:
            ds = self.f.get(f"cells/parameters/{name}")
            if ds is None:
                self._params[name] = None
            elif h5py.check_string_dtype(ds.dtype) is not None or ds.dtype.kind in "SOU":
                self._params[name] = np.array(_strings(ds), dtype=object)
            else:
                self._params[name] = ds[()].astype(float)
        return self._params[name]

    # -- time series (format 2.x) -----------------------------------------------------------
    def series_times(self) -> dict:
        """{series name: its time points} of the 2-D series datasets (empty for 1.x files)."""
        if not hasattr(self, "_series"):
            self._series = {}
            if "time" in self.f:
                for name in self.f["time"].keys():
                    self._series[name] = self.f[f"time/{name}"][()].astype(np.int64)
        return self._series

    def _point(self, col):
        """(series, index of the time point) when COL names a point of a 2-D series, else None."""
        m = _POINT.match(col)
        if not m or m.group(1) not in self.series_times():
            return None
        hits = np.nonzero(self.series_times()[m.group(1)] == int(m.group(2)))[0]
        return (m.group(1), int(hits[0])) if hits.size else None

    def _expand(self, names) -> list[str]:
        out = []
        for n in names:
            times = self.series_times().get(n)
            out.extend([f"{n}_t{t:03d}" for t in times] if times is not None else [n])
        return out

    def _dataset(self, group: str, col: str):
        pt = self._point(col)
        if pt is None:
            return self.f.get(f"{group}/{col}")
        ds = self.f.get(f"{group}/{pt[0]}")
        return None if ds is None else _SeriesColumn(ds, pt[1])

    # -- cell statistics -----------------------------------------------------------------
    def stat_columns(self) -> list[str]:
        return self._expand(self.f["cells/stats"].keys())

    def has_stat(self, col, key="mean") -> bool:
        pt = self._point(col)
        return f"cells/stats/{pt[0] if pt else col}/{key}" in self.f

    def stat(self, col, key):
        k = (col, key)
        if k not in self._stats:
            pt = self._point(col)
            ds = (self.f.get(f"cells/stats/{col}/{key}") if pt is None
                  else (lambda d: None if d is None else _SeriesColumn(d, pt[1]))(self.f.get(f"cells/stats/{pt[0]}/{key}")))
            self._stats[k] = np.full(self.ncells, np.nan) if ds is None else ds[()].astype(float)
        return self._stats[k]

    def stats(self, col) -> dict:
        """Every stored statistic of a column per cell: {key: float array}."""
        g = self.f.get(f"cells/stats/{col}")
        return {} if g is None else {k: self.stat(col, k) for k in g.keys()}

    def is_binary(self, col) -> bool:
        return self.has_stat(col, "rate")

    # -- organizations -------------------------------------------------------------------
    def columns(self) -> list[str]:
        """The model's columns in /organizations (without `cell` and `organization`), in file order."""
        g = self.f["organizations"] if "organizations" in self.f else {}
        return self._expand([c for c in g.keys() if c not in ("cell", "organization")])

    def column_meta(self, col) -> dict:
        ds = self._dataset("organizations", col)
        a = ds.attrs if ds is not None else {}
        return {k: (_text(a[k]) if k in a else "") for k in ("description", "kind", "role")}

    def column_role(self, col) -> str:
        return self.column_meta(col)["role"]

    def column_description(self, col) -> str:
        return self.column_meta(col)["description"] or col

    def org_column(self, name):
        """A whole /organizations column (None when absent)."""
        ds = self._dataset("organizations", name)
        return None if ds is None else ds[()]

    def cell_segments(self) -> list[list[tuple[int, int]]]:
        """For each cell, its rows of /organizations as (first row, count) runs (from
        /cells/segments when stored, else from the cells' organization counts: rows are
        cell-major)."""
        segs = [[] for _ in range(self.ncells)]
        if "cells/segments/cell" in self.f:
            scell = self.f["cells/segments/cell"][()].astype(np.int64)
            scount = self.f["cells/segments/count"][()].astype(np.int64)
        else:
            scell = np.arange(self.ncells, dtype=np.int64)
            scount = self.cell_organizations()
        start = np.concatenate([[0], np.cumsum(scount)[:-1]]).astype(np.int64)
        for c, s, n in zip(scell, start, scount):
            segs[int(c)].append((int(s), int(n)))
        return segs

    def org_sample(self, col, max_per_cell: int, seed: int) -> tuple[list[np.ndarray], bool]:
        """The values of one /organizations column per cell, reading only that column: every
        organization of a cell when it has at most MAX_PER_CELL, else a seeded uniform sample of
        MAX_PER_CELL of them. Returns (values per cell as float arrays, whether any was sampled).
        Memory and time stay bounded for any file size: rows are drawn per cell without listing
        them, and a sampled column is read a million rows at a time."""
        ds = self._dataset("organizations", col)
        if ds is None:
            return [np.zeros(0)] * self.ncells, False
        rng = np.random.default_rng(seed)
        picks, sampled = [], False
        for segs in self.cell_segments():
            first = np.array([s for s, _ in segs], np.int64)
            count = np.array([n for _, n in segs], np.int64)
            total = int(count.sum())
            if total > max_per_cell:
                k = np.sort(rng.choice(total, size=max_per_cell, replace=False))
                sampled = True
            else:
                k = np.arange(total, dtype=np.int64)
            offset = np.concatenate([[0], np.cumsum(count)[:-1]])  # position of each run in the cell
            run = np.searchsorted(offset, k, side="right") - 1
            picks.append(first[run] + (k - offset[run]) if total else np.zeros(0, np.int64))
        if not sampled:
            values = ds[()].astype(float)
            return [values[r] for r in picks], False
        wanted = np.concatenate(picks)
        order = np.argsort(wanted, kind="stable")
        sorted_rows = wanted[order]
        out = np.empty(sorted_rows.size)
        step = 1 << 20
        for lo in range(0, int(ds.shape[0]), step):
            a, b = np.searchsorted(sorted_rows, [lo, lo + step])
            if a < b:
                block = ds[lo:min(lo + step, ds.shape[0])].astype(float)
                out[a:b] = block[sorted_rows[a:b] - lo]
        values = np.empty_like(out)
        values[order] = out
        bounds = np.cumsum([0] + [p.size for p in picks])
        return [values[bounds[i]:bounds[i + 1]] for i in range(len(picks))], True

    # -- claims, variance, sensitivity ---------------------------------------------------
    def claims(self):
        g = self.f.get("claims")
        if g is None or "id" not in g or g["id"].shape[0] == 0:
            return None
        n = g["id"].shape[0]
        out = {}
        for k in ("id", "statement", "test", "column", "verdict", "description", "factors_a", "factors_b", "a", "b"):
            out[k] = _strings(g[k]) if k in g else [""] * n
        for k in ("value", "estimate", "ci_low", "ci_high", "robustness_share"):
            out[k] = g[k][()].astype(float) if k in g else np.full(n, np.nan)
        out["paired"] = g["paired"][()].astype(int) if "paired" in g else np.zeros(n, int)
        out["confidence"] = float(g.attrs["confidence"]) if "confidence" in g.attrs else self.confidence
        return out

    def sweeps(self) -> dict:
        """Swept claims (format 1.1): {claim as written: {"levels": [str], "factor": str,
        "estimate", "ci_low", "ci_high": float arrays, "verdict": [str], "value": float,
        "test": str}}, levels in the design's order; empty without sweeps."""
        g = self.f.get("claims")
        if g is None or "sweep_of" not in g:
            return {}
        c = self.claims()
        of, level = _strings(g["sweep_of"]), _strings(g["sweep_level"])
        out = {}
        for i, base in enumerate(of):
            if not base:
                continue
            s = out.setdefault(base, {"levels": [], "factor": c["id"][i][len(base) + 1:].split("=")[0],
                                      "estimate": [], "ci_low": [], "ci_high": [], "verdict": [],
                                      "value": float(c["value"][i]), "test": c["test"][i],
                                      "column": c["column"][i]})
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
        g = self.f.get("claims/threshold_curves")
        c = self.claims()
        if g is None or c is None:
            return {}
        out = {}
        for t in g.keys():
            grid = g[t]["value"][()].astype(float)
            claims = {}
            for i, cid in enumerate(c["id"]):
                if np.isnan(c["robustness_share"][i]) or f"verdict_{cid}" not in g[t]:
                    continue
                claims[cid] = {"verdict": g[t][f"verdict_{cid}"][()].astype(int),
                               "estimate": g[t][f"estimate_{cid}"][()].astype(float),
                               "value": float(c["value"][i]), "test": c["test"][i]}
            if claims:
                out[t] = {"value": grid, "claims": claims}
        return out

    def claim_columns(self) -> list[str]:
        c = self.claims()
        if c:
            return list(dict.fromkeys(x for x in c["column"] if x))
        claims = self.experiment_toml().get("claims") or []
        return list(dict.fromkeys(str(x.get("column")) for x in claims if x.get("column")))

    def variance(self) -> dict:
        """{column: (factors, eta_squared array, unexplained share)} from /variance."""
        g = self.f.get("variance")
        out = {}
        if g is None:
            return out
        for col in g:
            cg = g[col]
            if isinstance(cg, h5py.Group) and "factor" in cg and "eta_squared" in cg:
                out[col] = (_strings(cg["factor"]), cg["eta_squared"][()].astype(float),
                            float(cg.attrs["unexplained"]) if "unexplained" in cg.attrs else float("nan"))
        return out

    def sensitivity(self, col) -> dict:
        """Sensitivity indices of a column when the file stores them (/sensitivity/<column>):
        {'parameter': [names], index name: float array, ...}; {} when absent."""
        g = self.f.get(f"sensitivity/{col}")
        if g is None or not isinstance(g, h5py.Group):
            return {}
        names_key = next((k for k in ("parameter", "factor", "name") if k in g), None)
        if names_key is None:
            return {}
        out = {"parameter": _strings(g[names_key])}
        for k in g.keys():
            ds = g[k]
            if k != names_key and isinstance(ds, h5py.Dataset) and ds.dtype.kind == "f" \
                    and ds.shape == (len(out["parameter"]),):
                out[k] = ds[()].astype(float)
        return out


def open_or_exit(path: str, model: str | None, prog: str):
    """open_h5 for a script: a refused file ends the script with one line '<prog>: error: ...'
    on stderr and exit status 2."""
    try:
        return open_h5(path, model)
    except Refused as e:
        exit_refused(prog, str(e))


def exit_refused(prog: str, msg: str):
    import sys
    print(f"{prog}: error: {msg}", file=sys.stderr)
    sys.exit(2)
