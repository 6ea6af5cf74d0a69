"""Intervals the figures need beyond what the engine stores: a pooled rate or mean over
several cells (Wilson score, Student t from scipy), computed exactly from the cells' stored
n, successes, mean and sd. A single cell's interval is always the stored one."""
from __future__ import annotations

import math

import numpy as np
from scipy import stats as sps


def z_value(conf: float) -> float:
    return float(sps.norm.ppf(0.5 + conf / 2))


def t_value(conf: float, df: float) -> float:
    """Two-sided Student-t quantile for confidence CONF (NaN when df < 1)."""
    if not math.isfinite(df) or df < 1:
        return float("nan")
    return float(sps.t.ppf(0.5 + conf / 2, df))


def wilson(successes: float, n: float, conf: float):
    """Rate and Wilson score interval (as the engine computes it for a cell)."""
    if not n or n <= 0:
        return float("nan"), float("nan"), float("nan")
    z = z_value(conf)
    p = successes / n
    den = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / den
    half = z / den * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return p, max(0.0, centre - half), min(1.0, centre + half)


def _cells(res, col, mask, keys):
    """(cell indices, None) to pool, or (None, the estimate and interval to return): NaNs
    for no cell, the stored KEYS for a single cell."""
    idx = np.flatnonzero(mask)
    if idx.size == 0:
        return None, (float("nan"),) * 3
    if idx.size == 1:
        return None, tuple(float(res.stat(col, k)[idx[0]]) for k in keys)
    return idx, None


def pooled_rate(res, col: str, mask):
    """Rate and Wilson interval of a binary column over the cells in MASK (the stored ones
    for a single cell)."""
    idx, done = _cells(res, col, mask, ("rate", "rate_low", "rate_high"))
    if done:
        return done
    s = np.nansum(res.stat(col, "successes")[idx])
    n = np.nansum(res.stat(col, "n")[idx])
    return wilson(s, n, res.confidence)


def pooled_mean(res, col: str, mask):
    """Mean and t interval of a column over the cells in MASK, from the cells' n, mean and sd
    (Chan et al.); the stored interval for a single cell."""
    idx, done = _cells(res, col, mask, ("mean", "ci_low", "ci_high"))
    if done:
        return done
    n = res.stat(col, "n")[idx]
    m = res.stat(col, "mean")[idx]
    sd = res.stat(col, "sd")[idx]
    ok = (n > 0) & np.isfinite(m)
    n, m, sd = n[ok], m[ok], np.nan_to_num(sd[ok])
    N = n.sum()
    if N <= 0:
        return (float("nan"),) * 3
    mean = float((n * m).sum() / N)
    m2 = float(((n - 1) * sd**2 + n * (m - mean) ** 2).sum())
    if N < 2:
        return mean, float("nan"), float("nan")
    half = t_value(res.confidence, N - 1) * math.sqrt(m2 / (N - 1) / N)
    return mean, mean - half, mean + half


def pooled(res, col: str, mask):
    return pooled_rate(res, col, mask) if res.is_binary(col) else pooled_mean(res, col, mask)


def mean_interval(values, conf: float):
    """Mean and Student-t interval of a sample (for a derived quantity the engine does not
    store, such as a paired difference of two columns)."""
    v = np.asarray(values, float)
    v = v[np.isfinite(v)]
    if v.size < 2:
        m = float(v.mean()) if v.size else float("nan")
        return m, float("nan"), float("nan")
    m = float(v.mean())
    half = t_value(conf, v.size - 1) * float(v.std(ddof=1)) / math.sqrt(v.size)
    return m, m - half, m + half
