"""python -m incubator: see `python -m incubator --help`."""

from incubator.cli.main import main

raise SystemExit(main())
