"""Release under a stalled Start: the Stop must reach the server at once and the GUI must not freeze."""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from common import (
    EventLoopProbe,
    close_window,
    open_window,
    start_rig,
    wait_until,
    write_result,
)
from ptt_app.sim import Fault, FaultKind

EPISODES = 3
STALL_S = 5.0


def episode(rig, window) -> tuple[float, float]:
    """One press, 200 ms hold, release, and the wait for the stalled Start; (release-to-receipt ms, max gap ms)."""
    rig.simulator.add_fault(Fault(FaultKind.STALL, action="StartListening", seconds=STALL_S, times=1))
    probe = EventLoopProbe(5)
    probe.start()
    before = len(rig.simulator.received())
    QTest.mousePress(window.talk_button, Qt.MouseButton.LeftButton)
    hold_until = time.monotonic() + 0.2
    wait_until(lambda: time.monotonic() >= hold_until, 2.0)
    released = time.monotonic()
    QTest.mouseRelease(window.talk_button, Qt.MouseButton.LeftButton)
    wait_until(lambda: any(r.action == "StopListening" for r in rig.simulator.received()[before:]), 5.0)
    stop = next(r for r in rig.simulator.received()[before:] if r.action == "StopListening")
    # The late Start lands with a lower Sequence: the instance must end (and stay) not listening.
    wait_until(lambda: window.state_label.text() == "Idle" and not rig.simulator.is_listening(rig.instance_id), STALL_S + 3)
    wait_until(lambda: window.log_model.entry_at(1).status.value != "pending", STALL_S + 3)
    return (stop.received_monotonic - released) * 1000, probe.stop()


def main() -> None:
    rig = start_rig()
    window = open_window(rig, read_timeout_s=STALL_S + 3)
    try:
        results = [episode(rig, window) for _ in range(EPISODES)]
    finally:
        close_window(window)
        rig.stop()
    releases = [round(r, 2) for r, _ in results]
    gaps = [round(g, 2) for _, g in results]
    figures = {"episodes": EPISODES, "stall_s": STALL_S, "release_to_receipt_ms": releases,
               "release_to_receipt_worst_ms": max(releases), "release_to_receipt_median_ms": statistics.median(releases),
               "max_event_loop_gap_ms": gaps, "max_event_loop_gap_worst_ms": max(gaps)}
    targets = {"release-to-receipt under 50 ms": max(releases) < 50, "event-loop gap under 16 ms": max(gaps) < 16}
    summary = (f"release-to-receipt median {statistics.median(releases):.2f} ms, worst {max(releases):.2f} ms; "
               f"largest event-loop gap {max(gaps):.1f} ms over {EPISODES} episodes of a {STALL_S:g} s stalled Start")
    write_result("stalled_release", figures, targets, summary)


if __name__ == "__main__":
    main()
