"""`python -m tribe.plot RESULT.h5 ...`: the figures of result files (docs/figures.md)."""
import sys

from .cli import main

sys.exit(main())
