"""Reading tribe result files (docs/hdf5-format.md) into pandas and xarray.

Pure Python over h5py: it needs no compiled code, so scripts can use it from the source
tree (PYTHONPATH=python) without building the extension. Files are read
lazily: opening reads the root attributes only; `.cells` reads the cell table (small
whatever the number of organizations); `.organizations` reads the per-organization
columns asked for, and only the rows of the cells asked for.

Time series: a model may record a quantity at each time t = 0, 1, ... . Format 1.x files
store it as one column per time point (`mean_score_t000` ... `mean_score_t100`); the
reader recognizes such families and offers them as series (`Result.series`,
`Result.series_names`, and a time dimension in `to_xarray()`), with the same names as in
a file that stores a series as a single two-dimensional dataset (format 2.x).
"""
from __future__ import annotations

import functools
import os
import re
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any, Sequence

import h5py
import numpy as np

from .errors import EnvironmentFault, InputError, TribeError

FILETYPE = "tribe-result"
#: Major format versions this reader understands.
READABLE_MAJOR_VERSIONS = (1, 2)

#: Verdict codes of /claims/robustness, threshold curves and the assumption space.
_VERDICTS = np.array(["supported", "not supported", "inconclusive"])

#: The statistics of a column in /cells/stats, in the order the cell table shows them.
STATISTICS = (
    "n",
    "missing",
    "mean",
    "sd",
    "ci_low",
    "ci_high",
    "min",
    "max",
    "successes",
    "rate",
    "rate_low",
    "rate_high",
)
_SERIES_POINT = re.compile(r"^(?P<name>.+)_t(?P<t>\d{3,})$")
#: How a claim or a table names one point of a series: mean_score[t=100].
_POINT_NAME = re.compile(r"^(?P<name>[^\[\]]+)\[t=(?P<t>\d+)\]$")


def _pd():
    import pandas as pd  # imported on first use: reading attributes needs only h5py

    return pd


def _decode(v):
    """An HDF5 attribute value as a plain Python value."""
    if isinstance(v, bytes):
        return v.decode("utf-8", "replace")
    if isinstance(v, np.ndarray):
        if v.dtype.kind in "SO":
            return [_decode(x) for x in v.tolist()]
        return v.tolist()
    if isinstance(v, np.generic):
        return v.item()
    return v


def _attributes(obj) -> dict:
    """The attributes of a file, group or dataset, decoded (_decode)."""
    return {k: _decode(v) for k, v in obj.attrs.items()}


def _subgroups(g: h5py.Group) -> list[tuple[str, h5py.Group]]:
    """(name, group) of each group directly in G, in the file's order (datasets left out)."""
    return [(k, g[k]) for k in g.keys() if isinstance(g[k], h5py.Group)]


def _sampled_values(g: h5py.Group) -> OrderedDict:
    """The `value_<name>` datasets of a group of sampled points (the calibration's prior draws,
    the assumption space's points), in the group's order: the first columns of its table."""
    return OrderedDict((k, g[k][()]) for k in g.keys() if k.startswith("value_") and isinstance(g[k], h5py.Dataset))


def _strings(ds: h5py.Dataset) -> np.ndarray:
    return ds.asstr()[()] if ds.dtype.kind in "SO" else ds[()]


def _engine():
    """The compiled engine (tribe._tribe), or None when the reader runs without it."""
    try:
        from . import _tribe
    except ImportError:
        return None
    return _tribe


@dataclass
class Calibration:
    """The /calibration group of a result file (Result.calibration): see docs/hdf5-format.md."""

    points: Any  # DataFrame: one row per prior draw
    marginals: Any  # DataFrame: one row per calibrated assumption
    patterns: Any  # DataFrame: one row per pattern
    accepted_region: Any  # DataFrame: the patterns over the accepted points pooled
    attrs: dict = field(default_factory=dict)

    @property
    def accepted(self):
        """The accepted points (rows of `points`)."""
        return self.points[self.points["accepted"]]


class Result:
    """A tribe result file, opened read-only.

    Attributes and properties (each reads what it needs when first asked):
      path, provenance (dict), experiment (TOML text), model, name, format_version,
      parameters (names), factors (names), columns (per-organization column names),
      column_info (DataFrame: kind, role, description), series_names,
      cells (DataFrame), organizations (DataFrame), claims (DataFrame),
      robustness, threshold_curves, sensitivity (Sobol indices), variance_shares,
      assumption_space, scenarios (each None when the file has none), confidence.
    Methods: read_organizations(columns, cells, parameters), series(name, cells),
      cell_index(**selection), to_xarray(), close().
    """

    def __init__(self, path: str | os.PathLike, allow_incomplete: bool = False):
        self.path = os.fspath(path)
        p = self.path
        # The engine's own validation first, when the compiled engine is there (the CLI's
        # checks, word for word: every dataset a reader uses, the strings' digest, the
        # format); the checks below are what a reader without the engine can do.
        engine = _engine()
        if engine is not None:
            engine.validate_result(p, allow_incomplete)
        if not os.path.exists(p):
            raise EnvironmentFault(f"{p}: no such file")
        if os.path.isdir(p):
            raise InputError(f"{p}: is a directory, not a result file")
        if not h5py.is_hdf5(p):
            raise InputError(f"{p}: not an HDF5 file (or truncated/corrupt)")
        try:
            self._f = h5py.File(p, "r")
        except OSError as e:
            raise EnvironmentFault(f"{p}: cannot open HDF5 file (truncated, corrupt or locked?): {e}") from None
        attrs = self._f.attrs
        if _decode(attrs.get("filetype")) != FILETYPE:
            self._f.close()
            raise InputError(f'{p}: not a tribe result file (no filetype = "{FILETYPE}" attribute)')
        version = [int(x) for x in np.asarray(attrs.get("format_version", [])).ravel()]
        if len(version) != 2 or version[0] not in READABLE_MAJOR_VERSIONS:
            self._f.close()
            major = str(version[0]) if version else "?"
            raise InputError(
                f"{p}: result format version {major}.x is not supported "
                f"(this reader reads {', '.join(f'{v}.x' for v in READABLE_MAJOR_VERSIONS)})"
            )
        self.format_version = tuple(version)
        self.complete = int(_decode(attrs.get("complete", 0)) or 0) == 1
        if not self.complete and not allow_incomplete:
            self._f.close()
            raise InputError(
                f"{p}: incomplete result file (the run did not finish); "
                "pass allow_incomplete=True to read what is there"
            )
        if self.complete:
            for need in ("cells/label", "cells/parameters", "cells/organizations", "cells/stats", "organizations/cell"):
                if need not in self._f:
                    self._f.close()
                    raise InputError(f"{p}: not a complete tribe result file (no /{need})")
        self._cache: dict = {}

    # -- lifetime ---------------------------------------------------------------------------
    def close(self) -> None:
        if getattr(self, "_f", None) is not None and self._f.id.valid:
            self._f.close()

    def __enter__(self) -> "Result":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def __del__(self):
        try:
            self.close()
        except Exception:  # noqa: BLE001 - interpreter shutdown
            pass

    def __repr__(self) -> str:
        try:
            return (
                f"<tribe.Result {self.path!r}: experiment {self.name!r}, model {self.model!r}, "
                f"{self.n_cells} cells, {self.n_organizations} organizations>"
            )
        except Exception:  # noqa: BLE001 - a closed file
            return f"<tribe.Result {self.path!r} (closed)>"

    @property
    def file(self) -> h5py.File:
        """The open h5py.File, for anything this class does not offer."""
        return self._f

    # -- provenance ---------------------------------------------------------------------------
    @property
    def provenance(self) -> dict:
        """Every root attribute (docs/hdf5-format.md), strings as str, arrays as lists."""
        if "provenance" not in self._cache:
            self._cache["provenance"] = _attributes(self._f)
        return dict(self._cache["provenance"])

    def _attr(self, name, default=None):
        v = self._f.attrs.get(name)
        return default if v is None else _decode(v)

    @property
    def experiment(self) -> str:
        """The full text of the experiment file the run was made from."""
        return self._attr("experiment", "")

    @property
    def name(self) -> str:
        return self._attr("experiment_name", "")

    @property
    def model(self) -> str:
        return self._attr("model", "")

    @property
    def n_cells(self) -> int:
        return int(self._f["cells/label"].shape[0]) if "cells/label" in self._f else int(self._attr("cells", 0))

    @property
    def n_organizations(self) -> int:
        org = self._f.get("organizations/cell")
        return int(org.shape[0]) if org is not None else 0

    @property
    def factors(self) -> list[str]:
        cells = self._f.get("cells")
        if cells is None or "factors" not in cells.attrs:
            return []
        return list(_decode(cells.attrs["factors"]))

    @property
    def parameters(self) -> list[str]:
        g = self._f.get("cells/parameters")
        # In the file's order: the model's order of its parameters (as `tribe models` lists them).
        return list(g.keys()) if g is not None else []

    @property
    def confidence(self) -> float:
        """The confidence level of the stored cell intervals (attribute of /cells; 0.95)."""
        cells = self._f.get("cells")
        v = None if cells is None else cells.attrs.get("confidence")
        return 0.95 if v is None else float(np.asarray(v).ravel()[0])

    # -- columns and series -----------------------------------------------------------------------
    def _org_datasets(self) -> list[str]:
        """Per-organization datasets (not `cell`, `organization`), in file order."""
        if "org_datasets" not in self._cache:
            g = self._f.get("organizations")
            names = [] if g is None else [k for k in g.keys() if k not in ("cell", "organization")]
            self._cache["org_datasets"] = names
        return self._cache["org_datasets"]

    def _series_layout(self) -> "OrderedDict[str, tuple[np.ndarray, list[str] | None]]":
        """name -> (times, the 1.x point columns in time order, or None for a 2-D dataset)."""
        if "series" in self._cache:
            return self._cache["series"]
        g = self._f.get("organizations")
        layout: OrderedDict = OrderedDict()
        families: dict[str, list[tuple[int, str]]] = {}
        for k in self._org_datasets():
            ds = g[k]
            if ds.ndim == 2:
                layout[k] = (self._time_axis(ds), None)
                continue
            m = _SERIES_POINT.match(k)
            if m:
                families.setdefault(m["name"], []).append((int(m["t"]), k))
        for name, points in families.items():
            if len(points) >= 2:
                points.sort()
                layout[name] = (np.array([t for t, _ in points], dtype=np.int64), [k for _, k in points])
        self._cache["series"] = layout
        return layout

    @staticmethod
    def _time_axis(ds: h5py.Dataset) -> np.ndarray:
        dim = ds.dims[1]
        if len(dim) > 0:
            return np.asarray(dim[0][()])
        return np.arange(ds.shape[1])

    @property
    def series_names(self) -> list[str]:
        """Quantities recorded over time (e.g. NK's mean_score)."""
        return list(self._series_layout().keys())

    def times(self, name: str) -> np.ndarray:
        """The time points of a series."""
        return self._series_layout()[self._series_name(name)][0]

    def _series_name(self, name: str) -> str:
        if name not in self._series_layout():
            raise InputError(
                f"{name} is not a series of {self.path} (series: " f"{', '.join(self.series_names) or 'none'})"
            )
        return name

    def _column_map(self) -> "tuple[list[tuple[str, str, int | None]], dict]":
        """Every per-organization value as (name, dataset, index along time or None), and
        every name it may be asked for by (its name, and a series point's other name:
        `name_tTTT` in a 2.x file, the stored `name_tTTT` of a 1.x file)."""
        if "column_map" in self._cache:
            return self._cache["column_map"]
        layout = self._series_layout()
        point_of = {
            p: (name, t)
            for name, (times, points) in layout.items()
            if points is not None
            for t, p in zip(times.tolist(), points)
        }
        entries: list = []
        aliases: dict = {}
        for k in self._org_datasets():
            if k in layout and layout[k][1] is None:
                for j, t in enumerate(layout[k][0].tolist()):
                    e = (f"{k}[t={t}]", k, j)
                    entries.append(e)
                    aliases[e[0]] = aliases[f"{k}_t{t:03d}"] = e
            elif k in point_of:
                name, t = point_of[k]
                e = (f"{name}[t={t}]", k, None)
                entries.append(e)
                aliases[e[0]] = aliases[k] = e
            else:
                e = (k, k, None)
                entries.append(e)
                aliases[k] = e
        self._cache["column_map"] = (entries, aliases)
        return entries, aliases

    def _display_name(self, stored: str) -> str:
        """The name a stored 1-D column is shown by (a 1.x series point: `name[t=T]`)."""
        e = self._column_map()[1].get(stored)
        return e[0] if e is not None and e[2] is None else stored

    @property
    def columns(self) -> list[str]:
        """Per-organization columns, one name per value; a point of a series is named
        `name[t=T]` whether the file stores it as a column (1.x) or in a 2-D dataset (2.x)."""
        return [e[0] for e in self._column_map()[0]]

    def column_name(self, name: str) -> str:
        """The name this reader gives a column asked for by any of its names: a series point
        `name_tTTT` (how format 1.x stores it) is `name[t=T]`; other columns keep theirs.
        Raises InputError for a name that is not a per-organization column."""
        e = self._column_map()[1].get(name)
        if e is None:
            self._resolve_columns([name])  # raises the reader's message
            raise InputError(f"{name} is not a single column of {self.path} (a series: ask for one point)")
        return e[0]

    @property
    def stat_columns(self) -> list[str]:
        """The columns with cell statistics in `cells` (`<column>_<statistic>`), in the
        model's order; a series contributes one name per point, `name[t=T]`."""
        if "stat_columns" not in self._cache:
            names: list[str] = []
            for col, _stat, ds in self._stat_columns():
                if ds.ndim == 2:
                    names += [f"{col}[t={int(t)}]" for t in self.times(col)]
                else:
                    names.append(self._display_name(col))
            self._cache["stat_columns"] = list(dict.fromkeys(names))
        return list(self._cache["stat_columns"])

    @property
    def column_info(self):
        """DataFrame indexed by dataset name: kind, role, description (and, for a series,
        the number of time points)."""
        pd = _pd()
        g = self._f["organizations"]
        rows = []
        for k in self._org_datasets():
            a = g[k].attrs
            rows.append(
                {
                    "column": k,
                    "kind": _decode(a.get("kind", "")),
                    "role": _decode(a.get("role", "")),
                    "description": _decode(a.get("description", "")),
                    "times": g[k].shape[1] if g[k].ndim == 2 else 0,
                }
            )
        return pd.DataFrame(rows).set_index("column")

    # -- cells ----------------------------------------------------------------------------------
    def _parameter_values(self) -> "OrderedDict[str, np.ndarray]":
        if "params" not in self._cache:
            g = self._f.get("cells/parameters")
            vals: OrderedDict = OrderedDict()
            types = self._parameter_types()
            if g is not None:
                for k in self.parameters:
                    v = _strings(g[k])
                    # Integers and booleans as such (stored as doubles; exact when whole).
                    if (
                        types.get(k) == "integer"
                        and v.dtype.kind == "f"
                        and np.all(np.isfinite(v))
                        and np.all(v == np.round(v))
                    ):
                        v = v.astype(np.int64)
                    elif types.get(k) == "boolean" and v.dtype.kind == "f" and np.all(np.isin(v, (0.0, 1.0))):
                        v = v.astype(bool)
                    vals[k] = v
            self._cache["params"] = vals
        return self._cache["params"]

    def _parameter_types(self) -> dict:
        """name -> "real", "integer", "boolean" or "choice": from the file (format 1.3 and
        later: attribute `type` of each /cells/parameters dataset), else from the engine's
        model of that name when the compiled engine is there, else none known."""
        g = self._f.get("cells/parameters")
        types = {}
        if g is not None:
            for k in self.parameters:
                t = g[k].attrs.get("type") if k in g else None
                if t is not None:
                    types[k] = _decode(t)
        if len(types) < len(self.parameters):
            engine = _engine()
            if engine is not None:
                try:
                    spec = engine.describe_model(self.model)
                except Exception:  # noqa: BLE001 - a model this engine does not have
                    spec = None
                for p in (spec or {}).get("parameters", []):
                    types.setdefault(p.get("name"), p.get("type"))
        return types

    def _stat_columns(self) -> list[tuple[str, str, h5py.Dataset]]:
        """(column, statistic, dataset) of /cells/stats, in column then statistic order."""
        g = self._f.get("cells/stats")
        out = []
        if g is None:
            return out
        order = list(STATISTICS)
        for col in self._stats_column_order(g):
            sg = g[col]
            names = list(sg.keys())
            names.sort(key=lambda s: (order.index(s) if s in order else len(order), s))
            for s in names:
                out.append((col, s, sg[s]))
        return out

    def _stats_column_order(self, g: h5py.Group) -> list[str]:
        # The order of the organization datasets (the model's order when the file keeps it).
        known = [c for c in self._org_datasets() if c in g]
        return known + [c for c in g.keys() if c not in known]

    @property
    def cells(self):
        """One row per cell: label, organizations, every parameter, and per column its
        statistics as `<column>_<statistic>` (n, missing, mean, sd, ci_low, ci_high, min,
        max; binary columns also successes, rate, rate_low, rate_high). A series'
        statistics are one column per time point, `<name>[t=T]_<statistic>`."""
        if "cells" not in self._cache:
            pd = _pd()
            f = self._f
            data: OrderedDict = OrderedDict()
            data["label"] = _strings(f["cells/label"])
            data["organizations"] = f["cells/organizations"][()]
            for k, v in self._parameter_values().items():
                data[k] = v
            series: OrderedDict = OrderedDict()  # a 2-D series' statistics, laid out time by time
            for col, stat, ds in self._stat_columns() + [("", "", None)]:
                if series and col != next(iter(series.values()))[0]:
                    first = next(iter(series.values()))[0]
                    for j, t in enumerate(self.times(first)):
                        for st, (_, v) in series.items():
                            data[f"{first}[t={int(t)}]_{st}"] = v[:, j]
                    series.clear()
                if ds is None:
                    break
                v = ds[()]
                if v.ndim == 2:
                    series[stat] = (col, v)
                else:
                    data[f"{self._display_name(col)}_{stat}"] = v
            frame = pd.DataFrame(data)
            frame.index.name = "cell"
            self._cache["cells"] = frame
        return self._cache["cells"].copy()

    def cell_index(self, **selection) -> np.ndarray:
        """Indices of the cells whose parameters have the given values, e.g.
        `r.cell_index(structure="flat", control=0.8)`."""
        params = self._parameter_values()
        keep = np.ones(self.n_cells, dtype=bool)
        for k, v in selection.items():
            if k not in params:
                raise InputError(f"{k} is not a parameter of {self.path} (parameters: {', '.join(params)})")
            col = params[k]
            keep &= np.isclose(col, float(v)) if col.dtype.kind in "fiu" else (col == str(v))
        return np.flatnonzero(keep)

    # -- organizations --------------------------------------------------------------------------
    def _segments(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(cell, first row in /organizations, count) of each segment of rows."""
        if "segments" not in self._cache:
            f = self._f
            if "cells/segments/cell" in f:
                cell = f["cells/segments/cell"][()]
                count = f["cells/segments/count"][()]
            else:  # one segment per cell, in cell order
                count = f["cells/organizations"][()]
                cell = np.arange(len(count), dtype=np.uint64)
            start = np.concatenate([[0], np.cumsum(count, dtype=np.uint64)[:-1]]).astype(np.uint64)
            self._cache["segments"] = (cell, start, count)
        return self._cache["segments"]

    def _row_ranges(self, cells) -> list[tuple[int, int]]:
        arr = np.atleast_1d(np.asarray(cells))
        if arr.dtype == bool:  # a mask over the cells, as numpy indexes with one
            if arr.size != self.n_cells:
                raise InputError(f"cells: a boolean mask needs one value per cell ({self.n_cells}), " f"not {arr.size}")
            arr = np.flatnonzero(arr)
        elif arr.size and not np.issubdtype(arr.dtype, np.integer):
            if not (np.issubdtype(arr.dtype, np.floating) and np.all(np.mod(arr, 1) == 0)):
                raise InputError(
                    f"cells: expected cell indices (integers) or a boolean mask, " f"not {arr.tolist()[:3]}"
                )
        wanted = set(int(c) for c in arr)
        bad = [c for c in wanted if c < 0 or c >= self.n_cells]
        if bad:
            raise InputError(f"cell {bad[0]} does not exist in {self.path} (cells 0 .. {self.n_cells - 1})")
        cell, start, count = self._segments()
        ranges: list[tuple[int, int]] = []
        for c, s, n in zip(cell.tolist(), start.tolist(), count.tolist()):
            if c in wanted and n > 0:
                if ranges and ranges[-1][1] == s:
                    ranges[-1] = (ranges[-1][0], s + n)
                else:
                    ranges.append((s, s + n))
        return ranges

    @staticmethod
    def _read(ds: h5py.Dataset, ranges: list[tuple[int, int]] | None) -> np.ndarray:
        if ranges is None:
            return ds[()]
        if not ranges:
            return np.empty((0,) + ds.shape[1:], dtype=ds.dtype)
        parts = [ds[a:b] for a, b in ranges]
        return parts[0] if len(parts) == 1 else np.concatenate(parts)

    def _resolve_columns(self, columns) -> list[tuple[str, str, int | None]]:
        """(output name, dataset, index along time or None) for each wanted column."""
        entries, aliases = self._column_map()
        if columns is None:
            return list(entries)
        if isinstance(columns, str):
            columns = [columns]
        layout = self._series_layout()
        out = []
        for name in columns:
            if name in aliases:
                out.append(aliases[name])
            elif name in layout:  # a whole series
                times = layout[name][0].tolist()
                out += [aliases[f"{name}[t={t}]"] for t in times]
            else:
                m = _POINT_NAME.match(name) or _SERIES_POINT.match(name)
                if m and m["name"] in layout:
                    times = layout[m["name"]][0]
                    raise InputError(
                        f"{name}: series {m['name']} has no time {int(m['t'])} "
                        f"(times {int(times[0])} .. {int(times[-1])})"
                    )
                raise InputError(f"{name} is not a column of {self.path} (columns: {', '.join(self.columns)})")
        return out

    def read_organizations(
        self, columns: Sequence[str] | str | None = None, cells=None, parameters: bool | Sequence[str] = False
    ):
        """A DataFrame with one row per organization: `cell`, `organization`, then the
        columns asked for (default: every column; a series by its name gives all its
        points, `name[t=T]` one point), only the rows of `cells` (indices) if given, and
        the cells' parameter values joined on (`parameters=True`: every parameter; or a
        list of names). Choice parameters come as pandas categoricals."""
        pd = _pd()
        g = self._f["organizations"]
        ranges = None if cells is None else self._row_ranges(cells)
        cell = self._read(g["cell"], ranges)
        data: OrderedDict = OrderedDict()
        data["cell"] = cell
        data["organization"] = self._read(g["organization"], ranges)
        if parameters:
            params = self._parameter_values()
            names = (
                list(params)
                if parameters is True
                else [parameters]
                if isinstance(parameters, str)
                else list(parameters)
            )
            for k in names:
                if k not in params:
                    raise InputError(f"{k} is not a parameter of {self.path} (parameters: {', '.join(params)})")
                values = params[k]
                if values.dtype.kind == "O" or values.dtype.kind in "SU":
                    cats, codes = np.unique(values.astype(str), return_inverse=True)
                    data[k] = pd.Categorical.from_codes(codes[cell], categories=cats)
                else:
                    data[k] = values[cell]
        wide: dict[str, np.ndarray] = {}
        for out, ds, j in self._resolve_columns(columns):
            if j is None:
                data[out] = self._read(g[ds], ranges)
            else:
                if ds not in wide:
                    wide[ds] = self._read(g[ds], ranges)
                data[out] = wide[ds][:, j]
        return pd.DataFrame(data, copy=False)

    @property
    def organizations(self):
        """Every organization and every column (`read_organizations()`); read from the file
        at each access: keep the frame in a variable, or ask read_organizations for the
        columns and cells you need."""
        return self.read_organizations()

    def series(self, name: str, cells=None, labeled: bool = False):
        """The values of a series as a 2-D array (organizations x time), for all
        organizations or those of `cells`; `times(name)` gives the time axis. With
        `labeled=True`, an xarray.DataArray with dimensions (organization, t): coordinates
        t (the time points), organization, and the organization's cell and label."""
        if labeled:
            import xarray as xr

            values = self.series(name, cells)
            rows = self.read_organizations(columns=[], cells=cells)
            labels = self.cells["label"].to_numpy()
            return xr.DataArray(
                values,
                dims=("organization", "t"),
                name=self._series_name(name),
                coords={
                    "t": self.times(name),
                    "organization": rows["organization"].to_numpy(),
                    "cell": ("organization", rows["cell"].to_numpy()),
                    "label": ("organization", labels[rows["cell"].to_numpy()]),
                },
            )
        name = self._series_name(name)
        times, points = self._series_layout()[name]
        g = self._f["organizations"]
        ranges = None if cells is None else self._row_ranges(cells)
        if points is None:
            return self._read(g[name], ranges)
        return np.column_stack([self._read(g[p], ranges) for p in points]) if points else np.empty((0, 0))

    # -- claims and sensitivity -------------------------------------------------------------------
    @property
    def claims(self):
        """One row per claim of the experiment (empty when it states none): id, statement,
        test, column, the cells compared, estimate, interval, p-values, verdict,
        robustness share ..."""
        return self._claim_table("claims")

    @property
    def patterns(self):
        """One row per pattern of the experiment ([[patterns]]; empty when it states none):
        the same columns as `claims`, with the band [value, value_high]; verdict "supported"
        means the model reproduces the pattern. The patterns are a family of their own."""
        return self._claim_table("patterns")

    @property
    def calibration(self):
        """The rejection ABC of the experiment's [calibration] (None when it has none): a
        `Calibration` with `points` (one row per prior draw: `value_<assumption>`,
        `distance`, `accepted`, and per pattern `estimate_<id>`, `ci_low_<id>`,
        `ci_high_<id>`, `band_distance_<id>`), `marginals` (one row per calibrated
        assumption: prior range, accepted median, credible interval), `patterns` (per
        pattern: used by the distance, share of points inside its band over all points and
        over the accepted ones), `accepted_region` (the patterns over the accepted points'
        organizations pooled, the layout of `patterns`) and `attrs` (rule, tolerance
        reached, ...)."""
        pd = _pd()
        g = self._f.get("calibration")
        if g is None:
            return None
        points = _sampled_values(g)
        points["distance"] = g["distance"][()]
        points["accepted"] = g["accepted"][()].astype(bool)
        ids = _strings(g["pattern"])
        for pid in ids:
            sg = g["at_point"][pid]
            for k in ("estimate", "ci_low", "ci_high", "band_distance"):
                points[f"{k}_{pid}"] = sg[k][()]
        frame = pd.DataFrame(points)
        frame.index.name = "point"
        marginals = pd.DataFrame(
            OrderedDict(
                (k, _strings(g[k]))
                for k in ("parameter", "prior_low", "prior_high", "median", "credible_low", "credible_high")
            )
        )
        patterns = pd.DataFrame(
            OrderedDict(
                [
                    ("pattern", ids),
                    ("used", g["uses"][()].astype(bool)),
                    ("inside_prior", g["inside_prior"][()]),
                    ("inside_accepted", g["inside_accepted"][()]),
                ]
            )
        )
        region = self._claim_table("calibration/accepted_region")
        return Calibration(
            points=frame, marginals=marginals, patterns=patterns, accepted_region=region, attrs=_attributes(g)
        )

    def _claim_table(self, group: str):
        pd = _pd()
        g = self._f.get(group)
        if g is None:
            return pd.DataFrame(columns=["id", "statement", "verdict"])
        first = [
            "id",
            "statement",
            "test",
            "column",
            "a",
            "b",
            "value",
            "value_high",
            "estimate",
            "ci_low",
            "ci_high",
            "verdict",
            "robustness_share",
        ]
        names = [k for k in g.keys() if isinstance(g[k], h5py.Dataset) and g[k].ndim == 1]
        names.sort(key=lambda s: (first.index(s) if s in first else len(first), s))
        frame = pd.DataFrame(OrderedDict((k, _strings(g[k])) for k in names))
        # The report's confidence level and decision rule (attributes of the group).
        frame.attrs = _attributes(g)
        frame.attrs.setdefault("confidence", self.confidence)
        return frame

    @property
    def threshold_curves(self):
        """Each claim whose column is derived with thresholds, over each threshold's whole
        range (None when the file has none): {threshold: DataFrame with one row per grid
        value, `value`, and per claim `verdict_<id>` (str) and `estimate_<id>`}."""
        pd = _pd()
        g = self._f.get("claims/threshold_curves")
        if g is None or not len(g):
            return None
        out = OrderedDict()
        for t in g.keys():
            data: OrderedDict = OrderedDict()
            data["value"] = g[t]["value"][()]
            for k in g[t].keys():
                if k.startswith("verdict_"):
                    data[k] = _VERDICTS[g[t][k][()].astype(int)]
                elif k.startswith("estimate_"):
                    data[k] = g[t][k][()]
            out[t] = pd.DataFrame(data)
        return out

    @property
    def assumption_space(self):
        """Claims evaluated at every sampled point of the design (`assumption_space = true`;
        None when the file has none): one row per sampled point with the value of each
        sampled range (`value_<name>`: numbers, a choice as its index into the range's
        choices) and per claim `verdict_<id>` (str: each point decided alone) and
        `estimate_<id>`. `scenarios` summarizes each claim."""
        pd = _pd()
        g = self._f.get("claims/assumption_space")
        if g is None:
            return None
        data = _sampled_values(g)
        for cid, sg in _subgroups(g):
            data[f"verdict_{cid}"] = _VERDICTS[sg["verdict"][()].astype(int)]
            data[f"estimate_{cid}"] = sg["estimate"][()]
        frame = pd.DataFrame(data)
        frame.index.name = "point"
        frame.attrs = _attributes(g)
        return frame

    @property
    def scenarios(self):
        """Per claim of the assumption space (None without one): id, the shares of the
        sampled points where it is supported / not supported / inconclusive, and its PRIM
        scenario, the box where it is supported: `scenario` (in words), `coverage`,
        `density`, `mass`, and `box` ({parameter: (low, high)}, encoded values, restricted
        parameters only)."""
        pd = _pd()
        g = self._f.get("claims/assumption_space")
        if g is None:
            return None
        rows = []
        for cid, sg in _subgroups(g):
            a = sg.attrs
            row = {"id": cid}
            for k in ("share_supported", "share_not_supported", "share_inconclusive"):
                row[k] = float(_decode(a.get(k, np.nan)))
            row["scenario"] = _decode(a.get("scenario", ""))
            for k in ("coverage", "density", "mass"):
                row[k] = float(_decode(a.get(k, np.nan)))
            names = _strings(sg["box_parameter"]).tolist() if "box_parameter" in sg else []
            low = sg["box_low"][()].tolist() if "box_low" in sg else []
            high = sg["box_high"][()].tolist() if "box_high" in sg else []
            row["box"] = {n: (lo, hi) for n, lo, hi in zip(names, low, high)}
            rows.append(row)
        return pd.DataFrame(
            rows,
            columns=[
                "id",
                "share_supported",
                "share_not_supported",
                "share_inconclusive",
                "scenario",
                "coverage",
                "density",
                "mass",
                "box",
            ],
        )

    @property
    def robustness(self):
        """Verdict of each claim under each threshold setting (None when no claim's outcome
        depends on thresholds): one row per grid point, offset_<threshold> and one column
        per claim id."""
        pd = _pd()
        g = self._f.get("claims/robustness")
        if g is None or not any(k.startswith("offset_") for k in g.keys()):
            return None
        verdicts = _VERDICTS
        data: OrderedDict = OrderedDict()
        for k in sorted(g.keys()):
            if k.startswith("offset_"):
                data[k] = g[k][()]
        for k in sorted(g.keys()):
            if k.startswith("verdict_"):
                data[k[len("verdict_") :]] = verdicts[g[k][()].astype(int)]
        return pd.DataFrame(data)

    @property
    def sensitivity(self):
        """Sobol indices of a Sobol design (/sensitivity; None when the file has none): one
        row per (column, parameter) — the sampled ranges, then `(dummy)`, the engine's inert
        control — with the first-order index S1 (Saltelli 2010) and the total-order index ST
        (Jansen 1999), their bootstrap intervals (S1_low, S1_high, ST_low, ST_high), and per
        column base_points_used and variance (of the cell means)."""
        pd = _pd()
        g = self._f.get("sensitivity")
        if g is None:
            return None
        cols = [
            "column",
            "parameter",
            "S1",
            "S1_low",
            "S1_high",
            "ST",
            "ST_low",
            "ST_high",
            "base_points_used",
            "variance",
        ]
        rows = []
        for col, sg in _subgroups(g):
            if "parameter" not in sg:
                continue
            names = _strings(sg["parameter"]).tolist()
            values = {k: sg[k][()] for k in cols[2:8] if k in sg}
            for i, name in enumerate(names):
                row = {"column": col, "parameter": name}
                for k in cols[2:8]:
                    row[k] = float(values[k][i]) if k in values else np.nan
                for k in cols[8:]:
                    row[k] = _decode(sg.attrs[k]) if k in sg.attrs else np.nan
                rows.append(row)
        frame = pd.DataFrame(rows, columns=cols)
        frame.attrs = _attributes(g)
        return frame

    @property
    def variance_shares(self):
        """Variance decomposition of the outcomes of variance-share claims (/variance; None
        when the file has none): one row per (column, factor) with eta_squared, the
        main-effect share of the column's variance, and a row factor = "unexplained" per
        column."""
        pd = _pd()
        g = self._f.get("variance")
        if g is None:
            return None
        rows = []
        for col, sg in _subgroups(g):
            for fac, eta in zip(_strings(sg["factor"]).tolist(), sg["eta_squared"][()].tolist()):
                rows.append({"column": col, "factor": fac, "eta_squared": eta})
            if "unexplained" in sg.attrs:
                rows.append(
                    {"column": col, "factor": "unexplained", "eta_squared": float(_decode(sg.attrs["unexplained"]))}
                )
        return pd.DataFrame(rows, columns=["column", "factor", "eta_squared"])

    # -- xarray ---------------------------------------------------------------------------------
    def plot(self, column: str, **kw):
        """The figure of COLUMN (a matplotlib Figure): cell means with the stored intervals
        against the factors and the distribution over organizations beside them — the same
        implementation as `python -m tribe.plot` (scripts/figures.py). Keyword arguments: x,
        by, facet, max_per_cell, seed, as its --x, --by, --facet, --sample, --sample-seed.
        A column the file does not have is an InputError naming the columns it has."""
        from . import plot as tribe_plot

        try:
            with tribe_plot.open_result(self.path) as res:
                fig, _points, _footnote = tribe_plot.plot(res, column, **kw)
        except KeyError:
            raise InputError(
                f"{self.path}: no column {column!r} to plot (columns with cell statistics: "
                f"{', '.join(self.stat_columns())})"
            ) from None
        except tribe_plot.Refused as e:
            raise InputError(str(e)) from None
        return fig

    def to_xarray(self, unstack: bool = False):
        """The cell table as an xarray.Dataset: dimension `cell` (parameters and labels as
        its coordinates); per column and statistic a variable `<column>_<statistic>`; a
        series' statistics have dimensions (cell, t). With `unstack=True` the cell
        dimension of a factorial design becomes one dimension per factor."""
        import xarray as xr

        f = self._f
        coords: OrderedDict = OrderedDict()
        n = self.n_cells
        coords["cell"] = np.arange(n)
        coords["label"] = ("cell", _strings(f["cells/label"]))
        coords["organizations"] = ("cell", f["cells/organizations"][()])
        for k, v in self._parameter_values().items():
            coords[k] = ("cell", v.astype(str) if v.dtype.kind == "O" else v)
        data_vars: OrderedDict = OrderedDict()
        layout = self._series_layout()
        point_of: dict[str, tuple[str, int]] = {}
        for name, (times, points) in layout.items():
            coords.setdefault("t", times)
            if points is not None:
                for j, p in enumerate(points):
                    point_of[p] = (name, j)
        stacked: dict[tuple[str, str], np.ndarray] = {}
        for col, stat, ds in self._stat_columns():
            v = ds[()]
            if v.ndim == 2:
                data_vars[f"{col}_{stat}"] = (("cell", "t"), v)
            elif col in point_of:
                name, j = point_of[col]
                arr = stacked.get((name, stat))
                if arr is None:
                    arr = np.full((n, len(layout[name][0])), np.nan)
                    stacked[(name, stat)] = arr
                    data_vars[f"{name}_{stat}"] = (("cell", "t"), arr)
                arr[:, j] = v
            else:
                data_vars[f"{col}_{stat}"] = ("cell", v)
        attrs = {k: (v if isinstance(v, (str, int, float)) else str(v)) for k, v in self.provenance.items()}
        ds = xr.Dataset(data_vars=data_vars, coords=coords, attrs=attrs)
        if unstack and self.factors:
            combos = list(zip(*(np.asarray(ds[k].values).tolist() for k in self.factors)))
            if len(set(combos)) != len(combos):
                raise InputError(
                    f"{self.path}: unstack needs one cell per combination of the factors "
                    f"({', '.join(self.factors)}); this design also samples points: keep the cell "
                    "dimension"
                )
            if len(self.factors) == 1:  # one factor: its levels become the dimension
                return ds.swap_dims({"cell": self.factors[0]}).drop_vars("cell")
            import warnings

            with warnings.catch_warnings():
                # xarray casts integer statistics through float while unstacking; the grid is
                # complete (one cell per combination), so nothing is filled in.
                warnings.simplefilter("ignore", RuntimeWarning)
                ds = ds.set_index(cell=self.factors).unstack("cell")
        return ds

    def cells_long(self):
        """The cell table in long (tidy) form: one row per cell x column x statistic, with
        the cell's label and factors: columns cell, label, <factors...>, column, t (the
        time point of a series' statistic, else NaN), statistic, value."""
        pd = _pd()
        wide = self.cells
        keys = ["label"] + [f for f in self.factors if f in wide.columns]
        stat_names = [c for c in wide.columns if c not in ("label", "organizations") and c not in self.parameters]
        long = wide.reset_index().melt(
            id_vars=["cell"] + keys, value_vars=stat_names, var_name="name", value_name="value"
        )
        parts = long["name"].str.extract(
            r"^(?P<column>.+?)(?:\[t=(?P<t>\d+)\])?_(?P<statistic>"
            + "|".join(sorted(STATISTICS, key=len, reverse=True))
            + r")$"
        )
        long = pd.concat([long.drop(columns="name"), parts], axis=1)
        long["t"] = pd.to_numeric(long["t"])
        return (
            long[["cell"] + keys + ["column", "t", "statistic", "value"]]
            .sort_values(["cell", "column", "t", "statistic"], na_position="first")
            .reset_index(drop=True)
        )


def _read_errors_as_damage(member):
    """Wraps a public member of Result so that a read HDF5 refuses (a chunk whose checksum
    fails, an index block that no longer reads) reaches the caller as one InputError naming
    the file, as `tribe inspect` reports it, never as h5py's OSError from deep inside."""

    @functools.wraps(member)
    def guarded(self, *args, **kwargs):
        try:
            return member(self, *args, **kwargs)
        except TribeError:
            raise
        except (OSError, RuntimeError) as e:
            if getattr(self, "_f", None) is None or not self._f.id.valid:
                raise
            first = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
            raise InputError(f"{self.path}: damaged file: cannot read it ({first})") from None

    return guarded


for _name, _member in list(vars(Result).items()):
    if _name.startswith("_") or _name in ("close", "file"):
        continue
    if isinstance(_member, property) and _member.fget is not None:
        setattr(Result, _name, property(_read_errors_as_damage(_member.fget), doc=_member.__doc__))
    elif callable(_member) and not isinstance(_member, (staticmethod, classmethod, type)):
        setattr(Result, _name, _read_errors_as_damage(_member))


def open(path: str | os.PathLike, allow_incomplete: bool = False) -> Result:  # noqa: A001 - tribe.open
    """Opens a tribe result file (read-only, lazily). Raises tribe.EnvironmentFault for a
    missing, foreign, incomplete or future-format file."""
    return Result(path, allow_incomplete=allow_incomplete)
