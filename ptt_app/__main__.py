"""`python -m ptt_app` runs the console."""

from ptt_app.launcher import main

raise SystemExit(main())
