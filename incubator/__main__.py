"""python -m incubator: see `python -m incubator --help`."""

from incubator.cli import main

raise SystemExit(main())
