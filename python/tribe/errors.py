"""Exceptions of the tribe module. Each carries the engine's one-line message (the text
after `tribe: error: ` on the command line)."""
from __future__ import annotations


class TribeError(Exception):
    """Base class of every error the tribe module raises on purpose."""


class InputError(TribeError, ValueError):
    """Bad input: an experiment, an argument or a file that is not what is allowed
    (the CLI exits with status 2)."""


class EnvironmentFault(TribeError, OSError):
    """A fault of the environment: a missing directory, an unwritable or unreadable file,
    a full disk (the CLI exits with status 3). Not named EnvironmentError, which is a
    builtin alias of OSError."""


class Interrupted(KeyboardInterrupt):
    """A run stopped by Ctrl-C (or a notebook's interrupt): the finished parts are kept,
    and the same call continues from them. `.saved`, `.total` and `.parts` say how far
    it got and where."""

    def __init__(self, message: str, saved: int = 0, total: int = 0, parts: str = ""):
        super().__init__(message)
        self.saved = saved
        self.total = total
        self.parts = parts
