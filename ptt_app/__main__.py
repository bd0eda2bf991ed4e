"""`python -m ptt_app` runs the console."""

from ptt_app.cli import main

raise SystemExit(main())
