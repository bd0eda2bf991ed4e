"""Chaos and crash runs, bounded in count and time: the agent always ends in the operator's last
state, Sequence only grows, and no press or release goes unlogged."""

from __future__ import annotations

import random
import signal
import subprocess
import sys
import time
import uuid

import pytest
from PySide6.QtCore import QTimer

from ptt_app.sim import FaultKind
from ptt_app.store.journal import JournalStatus, RequestJournal
from ptt_app.store.paths import journal_path
from ptt_app.talk.intents import ListenIntent

CYCLES = 1000
LISTENING = ("StartListening", "StopListening")


@pytest.mark.slow
@pytest.mark.timeout(600)
def test_random_presses_against_a_faulty_slow_server_end_in_the_operators_last_state(
    qtbot, open_window, simulator, instance_id
) -> None:
    window = open_window(read_timeout_s=0.5, connect_timeout_s=0.5)
    simulator.set_random_faults(
        rate=0.05,
        kinds=[FaultKind.DROP, FaultKind.HTTP_502_HTML, FaultKind.TRUNCATED_JSON, FaultKind.STALL],
        seed=20261124,
        delay_range_s=(0.0, 0.2),
        timeout_stall_s=1.0,
    )
    intents: list[ListenIntent] = []
    window.talk.listen_requested.connect(intents.append)
    schedule = random.Random(7)
    steps = [(schedule.uniform(0, 0.3), schedule.uniform(0, 0.1)) for _ in range(CYCLES)]
    state = {"cycle": 0}

    def next_cycle() -> None:
        if state["cycle"] == CYCLES:
            state["done"] = True
            return
        hold, gap = steps[state["cycle"]]
        state["cycle"] += 1
        window.press("chaos")
        QTimer.singleShot(int(hold * 1000), lambda: (window.release("chaos"),
                                                     QTimer.singleShot(int(gap * 1000), next_cycle)))

    next_cycle()
    qtbot.waitUntil(lambda: state.get("done", False), timeout=CYCLES * 1000)
    settled = lambda: all(e.status is not JournalStatus.PENDING for e in all_listening_rows())  # noqa: E731
    qtbot.waitUntil(lambda: settled() and window.state_label.property("talkState") in ("Idle", "Error"), timeout=30000)
    qtbot.wait(1500)  # the stalled answers (1 s) and any Stop retries land
    simulator.clear_faults()

    last_intent = intents[-1]
    assert last_intent.action == "StopListening"
    last = simulator.last_acted(instance_id)
    assert last is not None and last.action == "StopListening"
    assert not simulator.is_listening(instance_id)

    rows = all_listening_rows()
    first_attempts, resends = split_resends(rows)
    sequences = [row.sequence for row in first_attempts]
    assert sequences == sorted(sequences) and len(set(sequences)) == len(sequences), "Sequence must grow in send order"
    # The client resends a request that got no answer at all once, as it was, on a fresh connection: the
    # only repeated Sequence, each after a first attempt that failed.
    failed_first = {row.sequence for row in first_attempts if row.status is JournalStatus.FAILED}
    assert all(row.sequence in failed_first for row in resends)
    logged = set(sequences)
    missing = [i for i in intents if i.sequence not in logged]
    assert not missing, f"{len(missing)} presses/releases have no journal row"
    assert all(row.status in (JournalStatus.ANSWERED, JournalStatus.FAILED, JournalStatus.SUPERSEDED) for row in rows)
    print(f"\nchaos: {len(intents)} intents, {len(rows)} rows ({len(resends)} resends), "
          f"{sum(r.status is JournalStatus.FAILED for r in rows)} failed, "
          f"{sum(r.status is JournalStatus.SUPERSEDED for r in rows)} superseded")


def split_resends(rows):
    """Rows of first attempts, and rows of same-Sequence resends (journaled after their first attempt)."""
    seen: set[int] = set()
    first, again = [], []
    for row in rows:
        (again if row.sequence in seen else first).append(row)
        seen.add(row.sequence)
    return first, again


def all_listening_rows():
    with RequestJournal(journal_path()) as journal:
        rows = journal.recent(journal.count())
    return [row for row in reversed(rows) if row.action in LISTENING]


def test_killed_mid_request_the_journal_keeps_every_row_and_marks_the_open_one_no_answer(
    real_keyring, simulator, credentials, instance_id
) -> None:
    from ptt_app.sim import Fault

    profile = f"kill-{uuid.uuid4().hex[:8]}"
    cli = [sys.executable, "-m", "ptt_app", "--profile", profile, "--endpoint", simulator.base_url,
           "--agent-instance-id", instance_id]
    subprocess.run([*cli, "credentials", "set", "--app-id", str(credentials.app_id)],
                   input=credentials.server_secret + "\n", text=True, check=True, capture_output=True)
    try:
        for _ in range(3):
            subprocess.run([*cli, "talk", "--hold", "0"], check=True, capture_output=True, timeout=30)
        simulator.add_fault(Fault(FaultKind.STALL, action="StartListening", seconds=20.0, times=1))
        victim = subprocess.Popen([*cli, "talk", "--hold", "0"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 20
        while sum(r.action == "StartListening" for r in simulator.received()) < 4 and time.monotonic() < deadline:
            time.sleep(0.02)
        victim.send_signal(signal.SIGKILL)
        victim.wait(10)
    finally:
        subprocess.run([*cli, "credentials", "clear"], capture_output=True)
    with RequestJournal(journal_path()) as journal:
        rows = list(reversed(journal.recent(100)))
    listening = [row for row in rows if row.action in LISTENING]
    assert len(listening) == 7
    assert all(row.status is JournalStatus.ANSWERED for row in listening[:6])
    assert listening[6].action == "StartListening" and listening[6].status is JournalStatus.NO_ANSWER
