"""An experiment given as a Python dict, written as the TOML text the engine reads.

The engine parses and validates the text (with the same messages as for a file), and the
text is what the result file stores as its `experiment` attribute, so a run from a dict
is reproducible from the file alone. Python's tomllib reads TOML but cannot write it.
"""
from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping, Sequence
from typing import Any

_BARE_KEY = re.compile(r"^[A-Za-z0-9_-]+$")


def _key(k: Any) -> str:
    if not isinstance(k, str):
        raise TypeError(f"experiment keys must be strings, not {type(k).__name__} ({k!r})")
    return k if _BARE_KEY.match(k) else json.dumps(k, ensure_ascii=False)


def _plain(v: Any) -> Any:
    """numpy scalars and arrays as Python values."""
    if hasattr(v, "tolist") and not isinstance(v, (str, bytes)):
        return v.tolist()
    return v


def _value(v: Any, where: str) -> str:
    v = _plain(v)
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        if math.isnan(v):
            return "nan"
        if math.isinf(v):
            return "inf" if v > 0 else "-inf"
        return repr(v)  # shortest text that reads back as the same double
    if isinstance(v, str):
        return json.dumps(v, ensure_ascii=False)  # a TOML basic string
    if isinstance(v, Mapping):
        return "{" + ", ".join(f"{_key(k)} = {_value(x, f'{where}.{k}')}" for k, x in v.items()) + "}"
    if isinstance(v, Sequence) and not isinstance(v, (bytes, bytearray)):
        return "[" + ", ".join(_value(x, f"{where}[{i}]") for i, x in enumerate(v)) + "]"
    raise TypeError(f"experiment value {where} = {v!r} has type {type(v).__name__}; "
                    "expected a bool, int, float, str, list or dict")


def _is_table_array(v: Any) -> bool:
    v = _plain(v)
    return (isinstance(v, Sequence) and not isinstance(v, (str, bytes)) and len(v) > 0
            and all(isinstance(x, Mapping) for x in v))


def _table(lines: list[str], path: list[str], table: Mapping) -> None:
    scalars = [(k, v) for k, v in table.items() if not isinstance(v, Mapping) and not _is_table_array(v)]
    tables = [(k, v) for k, v in table.items() if isinstance(v, Mapping)]
    arrays = [(k, v) for k, v in table.items() if _is_table_array(v)]
    where = ".".join(path)
    for k, v in scalars:
        lines.append(f"{_key(k)} = {_value(v, f'{where}.{k}' if where else k)}")
    for k, v in tables:
        sub = path + [_key(k)]
        lines.append("")
        lines.append("[" + ".".join(sub) + "]")
        _table(lines, sub, v)
    for k, v in arrays:
        sub = path + [_key(k)]
        for item in _plain(v):
            lines.append("")
            lines.append("[[" + ".".join(sub) + "]]")
            _table(lines, sub, item)


def dumps(experiment: Mapping) -> str:
    """TOML text of an experiment dict: {"experiment": {...}, "parameters": {...},
    "factors": {...}, "design": {...}, "report": {...}, "claims": [{...}, ...]}."""
    if not isinstance(experiment, Mapping):
        raise TypeError(f"an experiment dict is a mapping, not {type(experiment).__name__}")
    lines: list[str] = []
    # Top-level scalars (none are allowed by the engine; it names them if given) first.
    _table(lines, [], experiment)
    return "\n".join(lines).lstrip("\n") + "\n"
