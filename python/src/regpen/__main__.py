"""`python -m regpen`: the same command line as `regpen` (regpen.cli)."""

import sys

from regpen.cli import main

sys.exit(main())
