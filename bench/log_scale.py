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
    cpu_noise_gauge,
    open_window,
    percentiles,
    start_rig,
    take_no_options,
    talk_cycles,
    wait_until,
    write_result,
)
from ptt_app.store.journal import RequestJournal
from ptt_app.store.paths import journal_path

ROWS = 100_000
APPENDED = 1_000


def full_repaint_ms(view, times: int = 60) -> float:
    """Median time of one full repaint of the log's visible cells, nothing else running in this process."""
    viewport = view.viewport()
    samples = []
    for _ in range(times):
        started = time.perf_counter()
        viewport.repaint()
        samples.append((time.perf_counter() - started) * 1000)
    return round(percentiles(samples)["p50"], 2)


def idle_loop_gaps(seconds: float) -> dict[str, float]:
    """The control: the same probe and the same event loop for as long, with the window open and idle (no
    rows appended, no scrolling). What this machine alone stretches an idle loop to."""
    probe = EventLoopProbe(5)
    probe.start()
    end = time.monotonic() + seconds
    wait_until(lambda: time.monotonic() >= end, seconds + 5.0)
    probe.stop()
    figures = percentiles(probe.gaps_ms)
    figures["over_16_ms"] = probe.ticks_over(16)
    return figures


def main() -> None:
    noise = cpu_noise_gauge()
    RequestJournal(journal_path()).close()
    fill_journal(journal_path(), ROWS)
    rig = start_rig()
    started = time.perf_counter()
    window = open_window(rig)  # returns once the window is shown and its session is ready
    wait_until(lambda: window.log_model.rowCount() > 0 and window.log_view.isVisible(), 5.0)
    open_s = time.perf_counter() - started
    repaint_ms = full_repaint_ms(window.log_view)

    scrollbar = window.log_view.verticalScrollBar()
    scroller = QTimer()
    scroller.timeout.connect(lambda: scrollbar.setValue((scrollbar.value() + 7) % max(1, scrollbar.maximum())))
    probe = EventLoopProbe(5)
    probe.start()
    scroller.start(10)
    loaded_started = time.monotonic()
    try:
        talk_cycles(window, APPENDED // 2)
        scroller.stop()
        max_gap = probe.stop()
        idle = idle_loop_gaps(time.monotonic() - loaded_started)
        rows_shown = window.log_model.rowCount()
    finally:
        scroller.stop()  # also when a cycle failed, before the window closes
        close_window(window)
        rig.stop()
    gaps = percentiles(probe.gaps_ms)
    over_16 = probe.ticks_over(16)
    with RequestJournal(journal_path()) as journal:
        total = journal.count()
    figures = {"journal_rows": total, "open_until_rows_shown_s": round(open_s, 3), "appended_rows": APPENDED,
               "max_event_loop_gap_ms_while_scrolling": round(max_gap, 2), "rows_loaded_in_model": rows_shown,
               "event_loop_gaps_ms": gaps, "gaps_over_16_ms": over_16, "full_log_repaint_ms_idle": repaint_ms,
               "cpu_noise_gauge_ms": noise, "idle_window_event_loop_gaps_ms": idle}
    targets = {"open 100k-row journal under 0.5 s": open_s < 0.5, "event-loop gap under 16 ms": max_gap < 16}
    summary = (f"window with a {ROWS:,}-row journal shows rows after {open_s:.3f} s; largest event-loop gap while "
               f"appending {APPENDED:,} rows and scrolling {max_gap:.1f} ms (p50 {gaps['p50']:.1f}, p99 "
               f"{gaps['p99']:.1f}, {over_16} of {gaps['n']} ticks over 16 ms; a full repaint of the log "
               f"{repaint_ms:.1f} ms; machine noise: a fixed {noise['p50']:.1f} ms task took up to "
               f"{noise['max']:.1f} ms, {noise['max_over_p50']:.0f}x; the same probe on the idle window as long: largest gap "
               f"{idle['max']:.1f} ms, {idle['over_16_ms']} of {idle['n']} ticks over 16 ms)")
    write_result("log_scale", figures, targets, summary)


if __name__ == "__main__":
    take_no_options(__doc__)
    main()
