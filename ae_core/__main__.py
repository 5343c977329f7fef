"""`python -m ae_core`: the command line (ae_core/cli.py)."""

import sys

from ae_core.cli import main

if __name__ == "__main__":
    sys.exit(main())
