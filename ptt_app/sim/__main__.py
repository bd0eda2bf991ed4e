"""`python -m ptt_app.sim` runs the simulator, like the `ptt-app-sim` command."""

from ptt_app.sim.simulator import main

raise SystemExit(main())
