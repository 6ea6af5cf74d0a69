"""What the scripts that report on a JSON file share (bench_compare.py, fit_complexity.py,
plot_scaling.py): a command line whose help is the script's docstring, and reading the file
with the one-line refusal (exit status 2) of a file that cannot be read or is not JSON."""
from __future__ import annotations

import argparse
import json
import sys


def arguments(doc: str) -> argparse.ArgumentParser:
    """A parser described by the docstring's first paragraph, the whole docstring as epilog."""
    return argparse.ArgumentParser(
        description=doc.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter, epilog=doc
    )


def read_json(prog: str, path: str):
    """The JSON document at PATH, or None after `PROG: error: cannot read PATH: ...`."""
    try:
        with open(path) as f:
            return json.load(f)
    except (OSError, ValueError) as e:
        print(f"{prog}: error: cannot read {path}: {e}", file=sys.stderr)
        return None
