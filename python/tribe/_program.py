"""The `tribe` command of an installed package: the engine's own program, built by
`pip install` into the package (tribe/bin/tribe), run with the same arguments; exactly
the program `build/release/bin/tribe` of a source build."""
from __future__ import annotations

import os
import sys


def path() -> str:
    """Where the package's `tribe` program is (it may not exist in a source tree)."""
    return os.path.join(os.path.dirname(os.path.abspath(__file__)), "bin", "tribe")


def main() -> int:
    program = path()
    if not os.access(program, os.X_OK):
        print(
            f"tribe: error: the engine's program is not installed at {program} "
            "(install the package with pip, or use build/release/bin/tribe)",
            file=sys.stderr,
        )
        return 3
    os.execv(program, [program] + sys.argv[1:])
    return 0  # not reached
