"""`python -m bot` is the same as `icc-assistant`."""

from bot.cli import main

raise SystemExit(main())
