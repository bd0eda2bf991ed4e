"""Entry script of the PyInstaller bundle: the same `ptt-app` as the console script."""

from ptt_app.launcher import main

raise SystemExit(main())
