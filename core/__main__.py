"""Entry point: `python -m core ...` (see core/cli/main.py)."""

import sys

from core.cli.main import main

sys.exit(main())
