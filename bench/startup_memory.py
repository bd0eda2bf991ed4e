"""Start-up (launch to window shown) and memory (RSS after 10 cycles vs after 1,000)."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import (
    close_window,
    open_window,
    rss_mb,
    start_rig,
    take_no_options,
    talk_cycles,
    write_result,
)

LAUNCHES = 5
# The child reports the monotonic time of its first shown frame; CLOCK_MONOTONIC is system-wide on
# Linux, so parent and child stamps compare directly.
SHOWN_PROBE = """
import sys, time
from PySide6.QtCore import QTimer
from ptt_app.gui import app as gui_app
from ptt_app.gui.main_window import MainWindow
from ptt_app.session.runtime import ConsoleOptions
qt_app = gui_app.make_application()
window = MainWindow(ConsoleOptions(demo=True))
window.show()
# Quits when the window has drained its worker and closed (quit on last window closed).
QTimer.singleShot(0, lambda: (print(time.monotonic(), flush=True), window.close()))
qt_app.exec()
"""


def launch_to_shown_s() -> float:
    home = tempfile.mkdtemp(prefix="ptt-bench-launch-")
    env = {**os.environ, "PTT_APP_CONFIG_DIR": f"{home}/c", "PTT_APP_DATA_DIR": f"{home}/d", "XDG_CONFIG_HOME": f"{home}/x"}
    started = time.monotonic()
    done = subprocess.run([sys.executable, "-c", SHOWN_PROBE], capture_output=True, text=True, env=env, timeout=60, check=True)
    return float(done.stdout.split()[0]) - started


def main() -> None:
    launch_to_shown_s()  # warm the page cache, as an operator's second start would be
    launches = [launch_to_shown_s() for _ in range(LAUNCHES)]
    rig = start_rig()
    window = open_window(rig)
    try:
        talk_cycles(window, 10)
        after_10 = rss_mb()
        talk_cycles(window, 990)
        after_1000 = rss_mb()
    finally:
        close_window(window)
        rig.stop()
    growth = after_1000 - after_10
    startup = statistics.median(launches)
    figures = {"launch_to_window_shown_s": [round(x, 3) for x in launches], "launch_median_s": round(startup, 3),
               "rss_after_10_cycles_mb": round(after_10, 1), "rss_after_1000_cycles_mb": round(after_1000, 1),
               "rss_growth_mb": round(growth, 1), "rss_growth_percent": round(100 * growth / after_10, 1),
               "log_rows_held_by_the_model": window.log_model.rowCount()}
    targets = {"window shown under 1.5 s": startup < 1.5, "no RSS growth beyond noise (< 5 MB)": growth < 5}
    summary = (f"launch to window shown median {startup:.3f} s (offscreen, from source); RSS {after_10:.1f} MB after "
               f"10 cycles, {after_1000:.1f} MB after 1,000 ({growth:+.1f} MB)")
    write_result("startup_memory", figures, targets, summary)


if __name__ == "__main__":
    take_no_options(__doc__)
    main()
