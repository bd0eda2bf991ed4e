"""Releases the server or the network holds up, through the real window.

Stalled Start: the simulator holds a Start for 5 s; the Stop must reach the server at once (it goes out
beside the stalled Start after the ordering grace) and the GUI must not freeze.

Dead connection: over HTTPS through the network lab at an emulated RTT of 0, 50 and 150 ms, every open
connection is blackholed (no FIN, no RST: a NAT that dropped them) while the key is held; the Stop then
goes out on a dead connection and gets no answer. The engine resends it on a fresh connection at its Stop
deadline; the agent must stop listening within 1 s of the release at 150 ms RTT. "Stopped listening" is
the receipt of the Stop the simulator acted on (it acts within a millisecond of receipt); the deadline in
force is read from the journal, as the gap between the first attempt's and the resend's send times.
"""

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
    take_no_options,
    talk_cycles,
    use_fresh_data_dir,
    wait_until,
    write_result,
)
from ptt_app.sim import Fault, FaultKind
from ptt_app.store.journal import JournalReader, JournalStatus
from ptt_app.store.paths import journal_path
from ptt_app.talk.intents import TalkState

EPISODES = 3
STALL_S = 5.0
DEAD_RTTS_MS = (0, 50, 150)
DEAD_EPISODES = 5
# The blackholed first attempt ends at the read timeout; short, so an episode ends soon after it.
DEAD_READ_TIMEOUT_S = 3.0
HOLD_S = 0.3
WARM_CYCLES = 3
SETTLE_S = 1.0
STOP = "StopListening"


def stalled_episode(rig, window) -> tuple[float, float]:
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
    wait_until(lambda: any(r.action == STOP for r in rig.simulator.received()[before:]), 5.0)
    stop = next(r for r in rig.simulator.received()[before:] if r.action == STOP)
    # The late Start lands with a lower Sequence: the instance must end (and stay) not listening.
    wait_until(lambda: window.state_label.text() == "Idle" and not rig.simulator.is_listening(rig.instance_id), STALL_S + 3)
    wait_until(lambda: window.log_model.entry_at(1).status.value != "pending", STALL_S + 3)
    return (stop.received_monotonic - released) * 1000, probe.stop()


def measure_stalled_start() -> dict:
    rig = start_rig()
    window = open_window(rig, read_timeout_s=STALL_S + 3)
    try:
        settle(window)
        results = [stalled_episode(rig, window) for _ in range(EPISODES)]
    finally:
        close_window(window)
        rig.stop()
    releases = [round(r, 2) for r, _ in results]
    gaps = [round(g, 2) for _, g in results]
    return {"episodes": EPISODES, "stall_s": STALL_S, "release_to_receipt_ms": releases,
            "release_to_receipt_worst_ms": max(releases), "release_to_receipt_median_ms": statistics.median(releases),
            "max_event_loop_gap_ms": gaps, "max_event_loop_gap_worst_ms": max(gaps)}


def settle(window) -> None:
    """A window in use, not one just opened: one press and release, then a second for what follows the first
    answers (the agent's status and transcript) to be shown. Stalls in the first second after opening are the
    start-up's, not a release's."""
    talk_cycles(window, 1)
    until = time.monotonic() + SETTLE_S
    wait_until(lambda: time.monotonic() >= until, SETTLE_S + 1)


def talk_state(window) -> TalkState | None:
    controller = window.talk.controller
    return controller.state if controller else None


def dead_connection_episode(rig, lab) -> dict:
    """A fresh window (so no dead connection is left from an episode before) that has talked a little, press,
    hold, blackhole every connection, release; figures of the Stop's way to the server, and its journal rows."""
    use_fresh_data_dir()
    window = open_window(rig, endpoint=lab.base_url(), read_timeout_s=DEAD_READ_TIMEOUT_S)
    reader = JournalReader(journal_path())
    try:
        # A session in use has timed its answers: the deadline follows the path, not its first handshakes.
        talk_cycles(window, WARM_CYCLES)
        QTest.mousePress(window.talk_button, Qt.MouseButton.LeftButton)
        wait_until(lambda: talk_state(window) is TalkState.LISTENING, 5.0)
        hold_until = time.monotonic() + HOLD_S
        wait_until(lambda: time.monotonic() >= hold_until, 2.0)
        blackholed = lab.blackhole_all()
        released_wall, released = time.time(), time.monotonic()
        QTest.mouseRelease(window.talk_button, Qt.MouseButton.LeftButton)
        wait_until(lambda: talk_state(window) is TalkState.IDLE, DEAD_READ_TIMEOUT_S + 2)
        stops = [r for r in rig.simulator.received()
                 if r.action == STOP and r.agent_instance_id == rig.instance_id and r.received_monotonic > released]
        acted = [r for r in stops if r.acted]
        listening_after = rig.simulator.is_listening(rig.instance_id)

        def attempts():
            rows = [row for row in reader.recent(20) if row.action == STOP and (row.sent_at or 0) >= released_wall - 0.01]
            return sorted(rows, key=lambda row: row.sent_at or 0)

        def settled() -> bool:
            return all(row.status is not JournalStatus.PENDING for row in attempts())

        # The first attempt ends at its read timeout; the client then resends it (same Sequence) on a fresh
        # connection, a row of its own that ends a round trip later.
        wait_until(settled, DEAD_READ_TIMEOUT_S + 2)
        pause_until = time.monotonic() + 1.0
        wait_until(lambda: time.monotonic() >= pause_until, 2.0)
        wait_until(settled, 5.0)
        rows = attempts()
    finally:
        reader.close()
        close_window(window)
    return {
        "connections_blackholed": blackholed,
        "release_to_first_stop_receipt_ms": round((min(r.received_monotonic for r in stops) - released) * 1000, 1),
        "release_to_not_listening_ms": round((min(r.received_monotonic for r in acted) - released) * 1000, 1),
        "listening_afterwards": listening_after,
        "deadline_ms": round(((rows[1].sent_at or 0) - (rows[0].sent_at or 0)) * 1000, 1) if len(rows) > 1 else None,
        "journal": [f"Sequence {row.sequence}: {row.status.value}, {row.outcome}" for row in rows],
    }


def measure_dead_connection() -> dict:
    rig = start_rig(tls=True)
    cells: dict[str, dict] = {}
    try:
        for rtt_ms in DEAD_RTTS_MS:
            lab = rig.lab(delay_ms=rtt_ms / 2)
            try:
                episodes = [dead_connection_episode(rig, lab) for _ in range(DEAD_EPISODES)]
            finally:
                lab.stop()
            cells[f"rtt {rtt_ms} ms"] = summarise_dead(episodes)
    finally:
        rig.stop()
    return cells


def summarise_dead(episodes: list[dict]) -> dict:
    not_listening = [e["release_to_not_listening_ms"] for e in episodes]
    deadlines = [e["deadline_ms"] for e in episodes if e["deadline_ms"] is not None]
    return {
        "episodes": episodes,
        "release_to_not_listening_median_ms": statistics.median(not_listening),
        "release_to_not_listening_worst_ms": max(not_listening),
        "deadline_median_ms": statistics.median(deadlines) if deadlines else None,
        "every_first_attempt_unanswered": all(
            len(e["journal"]) >= 2 and "failed" in e["journal"][0] for e in episodes),
        "agent_left_listening": sum(e["listening_afterwards"] for e in episodes),
    }


def main() -> None:
    stalled = measure_stalled_start()
    dead = measure_dead_connection()
    worst_150 = dead["rtt 150 ms"]["release_to_not_listening_worst_ms"]
    figures = {**stalled, "dead_connection": dead}
    targets = {"release-to-receipt under 50 ms": stalled["release_to_receipt_worst_ms"] < 50,
               "event-loop gap under 16 ms": stalled["max_event_loop_gap_worst_ms"] < 16,
               "dead connection at 150 ms RTT: not listening within 1 s": worst_150 < 1000
               and not any(cell["agent_left_listening"] for cell in dead.values())}
    dead_text = "; ".join(
        f"{rtt}: median {cell['release_to_not_listening_median_ms']:.0f} ms, worst "
        f"{cell['release_to_not_listening_worst_ms']:.0f} ms (deadline {cell['deadline_median_ms']:.0f} ms)"
        for rtt, cell in dead.items())
    summary = (f"stalled Start: release-to-receipt median {stalled['release_to_receipt_median_ms']:.2f} ms, worst "
               f"{stalled['release_to_receipt_worst_ms']:.2f} ms, largest event-loop gap "
               f"{stalled['max_event_loop_gap_worst_ms']:.1f} ms over {EPISODES} episodes of a {STALL_S:g} s stall; "
               f"connection blackholed while held, release to not listening over HTTPS: {dead_text} "
               f"({DEAD_EPISODES} episodes each)")
    write_result("stalled_release", figures, targets, summary)


if __name__ == "__main__":
    take_no_options(__doc__)
    main()
