"""Log scale: open a 100k-row journal in the window, then append 1,000 rows while scrolling."""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from PySide6.QtCore import QTimer
from test_journal import fill_journal

from common import (
    EventLoopProbe,
    close_window,
    open_window,
    start_rig,
    talk_cycles,
    wait_until,
    write_result,
)
from ptt_app.store.journal import RequestJournal
from ptt_app.store.paths import journal_path

ROWS = 100_000
APPENDED = 1_000


def main() -> None:
    RequestJournal(journal_path()).close()
    fill_journal(journal_path(), ROWS)
    rig = start_rig()
    started = time.perf_counter()
    window = open_window(rig)  # returns once the window is shown and its session is ready
    wait_until(lambda: window.log_model.rowCount() > 0 and window.log_view.isVisible(), 5.0)
    open_s = time.perf_counter() - started

    scrollbar = window.log_view.verticalScrollBar()
    scroller = QTimer()
    scroller.timeout.connect(lambda: scrollbar.setValue((scrollbar.value() + 7) % max(1, scrollbar.maximum())))
    probe = EventLoopProbe(5)
    probe.start()
    scroller.start(10)
    try:
        talk_cycles(window, APPENDED // 2)
    finally:
        scroller.stop()
        max_gap = probe.stop()
        rows_shown = window.log_model.rowCount()
        close_window(window)
        rig.stop()
    with RequestJournal(journal_path()) as journal:
        total = journal.count()
    figures = {"journal_rows": total, "open_until_rows_shown_s": round(open_s, 3), "appended_rows": APPENDED,
               "max_event_loop_gap_ms_while_scrolling": round(max_gap, 2), "rows_loaded_in_model": rows_shown}
    targets = {"open 100k-row journal under 0.5 s": open_s < 0.5, "event-loop gap under 16 ms": max_gap < 16}
    summary = (f"window with a {ROWS:,}-row journal shows rows after {open_s:.3f} s; largest event-loop gap while "
               f"appending {APPENDED:,} rows and scrolling {max_gap:.1f} ms")
    write_result("log_scale", figures, targets, summary)


if __name__ == "__main__":
    main()
