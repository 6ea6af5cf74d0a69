"""An experiment given as a Python dict, written as the TOML text the engine reads.

The engine parses and validates the text (with the same messages as for a file), and the
text is what the result file stores as its `experiment` attribute, so a run from a dict
is reproducible from the file alone. Python's tomllib reads TOML but cannot write it; the
writing is Debian's python3-tomli-w (PyPI: tomli-w), which escapes every string as TOML
requires (control characters, U+007F). Here the values are only checked and made plain
(numpy scalars and arrays as Python values), with errors naming the key.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

try:
    import tomli_w
except ImportError:  # pragma: no cover - environment problem
    tomli_w = None


def _plain(v: Any, where: str) -> Any:
    """v with numpy values as Python values, checked to be something TOML holds."""
    if hasattr(v, "tolist") and not isinstance(v, (str, bytes)):
        v = v.tolist()
    if isinstance(v, (bool, int, float, str)):
        if isinstance(v, str) and any(0xD800 <= ord(c) <= 0xDFFF for c in v):
            raise ValueError(f"experiment value {where} holds a lone surrogate (not text TOML can hold)")
        return v
    if isinstance(v, Mapping):
        out = {}
        for k, x in v.items():
            if not isinstance(k, str):
                raise TypeError(f"experiment keys must be strings, not {type(k).__name__} ({k!r})")
            out[k] = _plain(x, f"{where}.{k}" if where else k)
        return out
    if isinstance(v, Sequence) and not isinstance(v, (bytes, bytearray)):
        return [_plain(x, f"{where}[{i}]") for i, x in enumerate(v)]
    raise TypeError(
        f"experiment value {where} = {v!r} has type {type(v).__name__}; "
        "expected a bool, int, float, str, list or dict"
    )


def dumps(experiment: Mapping) -> str:
    """TOML text of an experiment dict: {"experiment": {...}, "parameters": {...},
    "factors": {...}, "design": {...}, "report": {...}, "claims": [{...}, ...]}."""
    if not isinstance(experiment, Mapping):
        raise TypeError(f"an experiment dict is a mapping, not {type(experiment).__name__}")
    if tomli_w is None:
        from .errors import EnvironmentFault

        raise EnvironmentFault(
            "writing an experiment dict as TOML needs tomli-w "
            "(Debian: python3-tomli-w, installed by scripts/setup.sh; PyPI: tomli-w)"
        )
    return tomli_w.dumps(_plain(experiment, ""))
