"""Models written in Python: prototypes that run on the engine, on the engine's random streams.

    import tribe

    class Condorcet(tribe.Model):
        name, version = "condorcet", "1.0.0"
        parameters = [tribe.integer("members", 1, 10001, 5, "members of the team"),
                      tribe.real("competence", 0, 1, 0.6, "probability a member votes right")]
        columns = [tribe.column("right", "binary", "the majority is right")]

        def simulate(self, params, rng):
            vote = rng.stream(2)  # a purpose: one stream per mechanism
            right = sum(vote.bernoulli(params["competence"]) for _ in range(params["members"]))
            return {"right": 2 * right > params["members"]}

    tribe.run("condorcet.toml", "condorcet.h5", model=Condorcet())

The engine runs the model like one of its own: designs, common random numbers, claims,
precision targets, parts and resume, the HDF5 file. `rng.stream(purpose, substream)` is the
engine's rng::Stream of the organization (Philox4x64-10, key = (seed, purpose), counter =
(organization, draw block, substream, domain)), and its samplers are the engine's
(next_u64, uniform, uniform_open, bernoulli, uniform_index: the same arithmetic), so a
model written once in Python and once in C++ with the same draws writes byte-identical
datasets: prototype here, port to C++ (docs/writing-a-model.md), compare the two files.

The engine calls `simulate` from its worker threads, one call at a time (Python's GIL):
a Python model runs on one core at Python's speed. An exception in `simulate` stops the run
and is raised by tribe.run (as ModelError, naming the organization and its cell); the
run's parts are removed, since rows computed meanwhile are not trusted.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Mapping, Sequence

import numpy as np

from .errors import InputError, TribeError

_MASK64 = (1 << 64) - 1
_MASK256 = (1 << 256) - 1


class ModelError(TribeError):
    """A model written in Python raised an exception while the engine ran it."""


def philox4x64(counter: Sequence[int], key: Sequence[int]) -> list[int]:
    """Philox4x64-10 (Random123) of a counter of four 64-bit words and a key of two: the
    four output words. numpy's Philox is this generator; it increments its counter before
    each call, so it is set one below."""
    value = sum((int(w) & _MASK64) << (64 * i) for i, w in enumerate(counter))
    value = (value - 1) & _MASK256
    bits = np.random.Philox(key=np.array([int(k) & _MASK64 for k in key], dtype=np.uint64))
    state = bits.state
    state["state"]["counter"] = np.array([(value >> (64 * i)) & _MASK64 for i in range(4)], dtype=np.uint64)
    state["buffer_pos"] = 4  # the buffer is spent: the next draw makes a new block
    bits.state = state
    return [int(w) for w in bits.random_raw(4)]


class Stream:
    """The engine's rng::Stream (tribe/rng/stream.hpp) and samplers (tribe/rng/samplers.hpp)."""

    __slots__ = ("_key", "_organization", "_substream", "_domain", "_block", "_words", "_pos")

    def __init__(self, seed: int, purpose: int, organization: int, substream: int = 0, domain: int = 0):
        self._key = (seed, purpose)
        self._organization, self._substream, self._domain = organization, substream, domain
        self._block = 0
        self._words: list[int] = []
        self._pos = 4

    def next_u64(self) -> int:
        """The next raw 64-bit word."""
        if self._pos == 4:
            counter = (self._organization, self._block, self._substream, self._domain)
            self._words = philox4x64(counter, self._key)
            self._block += 1
            self._pos = 0
        word = self._words[self._pos]
        self._pos += 1
        return word

    def uniform(self, a: float = 0.0, b: float = 1.0) -> float:
        """Uniform on [a, b) with 53 random bits (a + (b - a) * u, as the engine computes it)."""
        u = (self.next_u64() >> 11) * 2.0**-53
        return u if (a, b) == (0.0, 1.0) else a + (b - a) * u

    def uniform_open(self) -> float:
        """Uniform on (0, 1): (k + 1/2) 2^-53."""
        return ((self.next_u64() >> 11) + 0.5) * 2.0**-53

    def bernoulli(self, p: float) -> bool:
        """True with probability p; one draw always."""
        return self.uniform() < p

    def uniform_index(self, n: int) -> int:
        """Uniform integer in [0, n), n >= 1, unbiased (Lemire's multiply-shift with rejection)."""
        m = self.next_u64() * n
        low = m & _MASK64
        if low < n:
            threshold = ((1 << 64) - n) % n
            while low < threshold:
                m = self.next_u64() * n
                low = m & _MASK64
        return m >> 64


class Rng:
    """The random numbers of one organization: `stream(purpose, substream)` for each mechanism
    (a purpose is a small integer of the model's own, as the engine's models use an enum)."""

    __slots__ = ("seed", "organization", "domain")

    def __init__(self, seed: int, organization: int, domain: int):
        self.seed, self.organization, self.domain = seed, organization, domain

    def stream(self, purpose: int, substream: int = 0) -> Stream:
        return Stream(self.seed, purpose, self.organization, substream, self.domain)


@dataclass(frozen=True)
class Parameter:
    name: str
    type: str  # real, integer, boolean, choice
    min: float = 0.0
    max: float = 0.0
    default: Any = 0.0
    description: str = ""
    choices: tuple = ()

    def encoded_default(self) -> float:
        if self.type == "choice":
            return float(self.choices.index(self.default))
        return float(self.default)

    def decode(self, value: float) -> Any:
        """The value a model sees: int, bool, the choice's name, or float."""
        if self.type == "integer":
            return int(value)
        if self.type == "boolean":
            return value != 0.0
        if self.type == "choice":
            return self.choices[int(value)]
        return value


def real(name: str, min: float, max: float, default: float, description: str = "") -> Parameter:  # noqa: A002
    return Parameter(name, "real", float(min), float(max), float(default), description)


def integer(name: str, min: int, max: int, default: int, description: str = "") -> Parameter:  # noqa: A002
    return Parameter(name, "integer", float(min), float(max), int(default), description)


def boolean(name: str, default: bool, description: str = "") -> Parameter:
    return Parameter(name, "boolean", 0.0, 1.0, bool(default), description)


def choice(name: str, choices: Sequence[str], default: str, description: str = "") -> Parameter:
    choices = tuple(choices)
    if default not in choices:
        raise InputError(f"parameter {name}: default {default!r} is not one of {list(choices)}")
    return Parameter(name, "choice", 0.0, float(len(choices) - 1), default, description, choices)


@dataclass(frozen=True)
class Column:
    name: str
    kind: str = "real"  # binary, count, real
    description: str = ""
    role: str = "outcome"  # outcome, drawn


def column(name: str, kind: str = "real", description: str = "", role: str = "outcome") -> Column:
    if kind not in ("binary", "count", "real"):
        raise InputError(f"column {name}: kind {kind!r} is not allowed (binary, count or real)")
    if role not in ("outcome", "drawn"):
        raise InputError(f"column {name}: role {role!r} is not allowed (outcome or drawn)")
    return Column(name, kind, description, role)


class Model:
    """A model written in Python. Subclass it: set name, version, description, parameters
    (tribe.real, integer, boolean, choice) and columns (tribe.column), and define
    simulate(params, rng) returning one row: a dict by column name, or a sequence in the
    order of columns. Optionally check(params) raises ValueError for combinations of
    parameters the model refuses (each value is already within its own range)."""

    name: str = ""
    version: str = "0.1.0"
    description: str = ""
    parameters: Sequence[Parameter] = ()
    columns: Sequence[Column] = ()

    def simulate(self, params: Mapping[str, Any], rng: Rng):  # pragma: no cover - abstract
        raise NotImplementedError("a tribe.Model defines simulate(params, rng)")

    def check(self, params: Mapping[str, Any]) -> None:
        """Rules across parameters: raise ValueError naming what is wrong."""

    # ---- the engine's side ---------------------------------------------------------------

    def _params(self, values: Sequence[float]) -> dict:
        return {p.name: p.decode(v) for p, v in zip(self.parameters, values)}

    def _row(self, out, params: Mapping[str, Any]) -> list[float]:
        names = [c.name for c in self.columns]
        if isinstance(out, Mapping):
            missing = [n for n in names if n not in out]
            extra = [k for k in out if k not in names]
            if missing or extra:
                raise ModelError(
                    f"model {self.name}: simulate returned columns {sorted(out)}; expected {names}"
                    + (f" (missing {missing})" if missing else "")
                    + (f" (unknown {extra})" if extra else "")
                )
            out = [out[n] for n in names]
        row = [float(v) for v in out]
        if len(row) != len(names):
            raise ModelError(f"model {self.name}: simulate returned {len(row)} values for {len(names)} columns")
        for c, v in zip(self.columns, row):
            ok = (
                (c.kind == "binary" and v in (0.0, 1.0))
                or (c.kind == "count" and v >= 0 and v == math.floor(v) and v < 2.0**32)
                or (c.kind == "real")
            )
            if not ok:
                raise ModelError(f"model {self.name}: column {c.name} ({c.kind}) got {v!r}")
        return row

    def define(self) -> dict:
        """Registers the model with the engine (again, if it was defined before)."""
        from . import _engine

        def simulate(values, seed, organization, domain):
            params = self._params(values)
            try:
                out = self.simulate(params, Rng(seed, organization, domain))
                return self._row(out, params)
            except ModelError:
                raise
            except Exception as e:
                raise ModelError(
                    f"model {self.name} raised {type(e).__name__} at organization {organization} "
                    f"of the cell {params}: {e}"
                ) from e

        def check(values):
            self.check(self._params(values))

        return _engine().define_model(
            self.name,
            self.version,
            self.description,
            [
                {
                    "name": p.name,
                    "type": p.type,
                    "min": p.min,
                    "max": p.max,
                    "default": p.encoded_default(),
                    "choices": list(p.choices),
                    "description": p.description,
                }
                for p in self.parameters
            ],
            [{"name": c.name, "kind": c.kind, "role": c.role, "description": c.description} for c in self.columns],
            simulate,
            check,
        )
