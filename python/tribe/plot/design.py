"""The design of a result: factor levels, masks of cells, series over factor combinations,
quality profiles and sampled parameters."""
from __future__ import annotations

import itertools
import math

import numpy as np

from .style import FACTOR_LABEL, MINUS, QUALITIES, QUALITY_LETTER, structure_name


def levels(values) -> list:
    """Sorted distinct values of a parameter across cells (choices: in design order)."""
    if values is None:
        return []
    if isinstance(values, np.ndarray) and values.dtype != object:
        return sorted({float(v) for v in values if math.isfinite(v)})
    return list(dict.fromkeys(values))


def is_numeric(values) -> bool:
    return values is not None and isinstance(values, np.ndarray) and values.dtype != object


def fmt_level(v) -> str:
    if isinstance(v, (float, np.floating)):
        return f"{v:g}"
    return str(v)


def level_mask(res, name: str, value):
    p = res.param(name)
    if p is None:
        return np.ones(res.ncells, bool)
    if p.dtype == object:
        return np.array([x == value for x in p])
    return np.isclose(p, float(value))


def series_by(res, names: list):
    """Series for every combination of the levels of the named factors: (label, mask, index tuple)."""
    names = [n for n in names if n in res.factors]
    lv = [levels(res.param(n)) for n in names]
    out = []
    for combo in itertools.product(*[range(len(x)) for x in lv]):
        mask = np.ones(res.ncells, bool)
        parts = []
        for n, l, i in zip(names, lv, combo):
            mask &= level_mask(res, n, l[i])
            if n == "structure":
                parts.append(structure_name(l[i]))
            elif n == "control":
                parts.append(f"{'low' if i == 0 else 'high' if i == len(l) - 1 else 'mid'} control ({fmt_level(l[i])})")
            else:
                parts.append(f"{FACTOR_LABEL.get(n, n)} {fmt_level(l[i])}")
        if mask.any():
            out.append((", ".join(parts) if parts else "all cells", mask, combo))
    return names, lv, out


def quality_profiles(res):
    """The quality profiles of the design: (label, mask, level indices, top indices) in
    reading order (fewest highs first)."""
    qs = [q for q in QUALITIES if q in res.factors]
    lv = {q: levels(res.param(q)) for q in qs}
    combos = list(itertools.product(*[range(len(lv[q])) for q in qs]))
    top = {q: len(lv[q]) - 1 for q in qs}
    combos.sort(key=lambda c: (sum(i == top[q] for i, q in zip(c, qs)), [-i for i in c]))
    out = []
    for c in combos:
        parts, mask = [], np.ones(res.ncells, bool)
        for i, q in zip(c, qs):
            n = len(lv[q])
            sign = "+" if (i == n - 1 and n > 1) else (MINUS if i == 0 else f"={fmt_level(lv[q][i])}")
            parts.append(QUALITY_LETTER[q] + sign)
            mask &= level_mask(res, q, lv[q][i])
        if mask.any():
            out.append((" ".join(parts), mask, dict(zip(qs, c)), top))
    return qs, lv, out


def sampled_parameters(res) -> list[str]:
    """Numeric parameters that vary across cells without being factors (sampled ranges)."""
    out = []
    for name in res.parameter_names():
        if name in res.factors:
            continue
        p = res.param(name)
        if p is None or p.dtype == object:
            continue
        if len(np.unique(p[np.isfinite(p)])) > 1:
            out.append(name)
    return out


def first_binary(res) -> str | None:
    """The distributed-leadership column when stored as a rate, else the first binary outcome,
    else any binary column; None when there is none."""
    cols = res.stat_columns()
    if "distributed" in cols and res.is_binary("distributed"):
        return "distributed"
    outcome = [c for c in cols if res.is_binary(c) and res.column_role(c) == "outcome"]
    anyb = [c for c in cols if res.is_binary(c)]
    return (outcome or anyb or [None])[0]
