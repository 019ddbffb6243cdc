"""`python -m lib ...`: the Chorus command line (see lib/cli.py)."""

from lib.cli import main

raise SystemExit(main())
