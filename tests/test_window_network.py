"""No press lost to a dead connection, through the real window (pytest-qt, offscreen): the simulator serves
HTTPS behind the network lab (tests/support/netlab.py), in each of the lab's idle modes.

After an idle spell longer than the lab's idle limit, a press and a release succeed on the first try (the
client replaced its connections before the lab dropped them). With every connection killed while the key is
held (closed, reset, or blackholed: no FIN, no RST), the release still stops the agent; a blackholed Stop is
resent by the engine on a fresh connection at its deadline, long before the first attempt's read timeout,
and the journal shows every attempt. Idle limits are scaled down from seconds to tenths of a second.
"""

from __future__ import annotations

import time

import pytest

from ptt_app.api import http_client, sender_pool
from ptt_app.sim import Fault, FaultKind
from ptt_app.store.journal import JournalEntry, JournalReader, JournalStatus
from ptt_app.store.paths import journal_path
from ptt_app.talk.intents import TalkState
from support import network_rig
from support.netlab import LinkSettings
from support.network_rig import (
    CLIENT_IDLE_LIMIT_S,
    MAINTAIN_EVERY_S,
    MODES,
    ONE_WAY_DELAY_MS,
    SENDER_THREADS,
    dropping_idle,
    kill_every_connection,
)

START, STOP = "StartListening", "StopListening"
# Longer than both idle limits (support/network_rig.py), so every connection opened before it would be dead by
# its end.
IDLE_SPELL_S = 1.5
# The first attempt of a Stop on a dead connection ends at this read timeout; the deadline resend must come
# long before it (the deadline is under 0.5 s here).
READ_TIMEOUT_S = 4.0


# The shared fixtures of support/network_rig.py (HTTPS simulator, labs in front of it).
simulator = network_rig.simulator
make_lab = network_rig.make_lab


@pytest.fixture
def fast_idle_limits(monkeypatch: pytest.MonkeyPatch) -> None:
    """Clients replace idle connections after CLIENT_IDLE_LIMIT_S, looked after every MAINTAIN_EVERY_S."""
    monkeypatch.setattr(http_client, "DEFAULT_IDLE_LIMIT_S", CLIENT_IDLE_LIMIT_S)
    monkeypatch.setattr(sender_pool, "MAINTAIN_EVERY_S", MAINTAIN_EVERY_S)


def talk_state(window) -> TalkState | None:
    controller = window.talk.controller
    return controller.state if controller else None


def press_and_release(qtbot, window) -> None:
    """Press, wait for the server-confirmed Listening, release, wait for the server-confirmed Idle."""
    window.press("test")
    qtbot.waitUntil(lambda: talk_state(window) is TalkState.LISTENING, timeout=5000)
    window.release("test")
    qtbot.waitUntil(lambda: talk_state(window) is TalkState.IDLE, timeout=5000)


def listening_rows_after(row_id: int) -> list[JournalEntry]:
    """Start/Stop rows of the journal written after row_id, oldest first."""
    with JournalReader(journal_path()) as reader:
        rows = reader.newer_than(row_id, 100)
    return [row for row in rows if row.action in (START, STOP)]


def latest_row_id() -> int:
    with JournalReader(journal_path()) as reader:
        newest = reader.recent(1)
    return newest[0].row_id if newest else 0


@pytest.mark.parametrize("mode", MODES)
def test_after_an_idle_spell_a_press_and_a_release_succeed_on_the_first_try(
        qtbot, open_window, make_lab, mode, simulator, instance_id, fast_idle_limits) -> None:
    lab = make_lab(dropping_idle(mode))
    window = open_window(endpoint=lab.base_url, read_timeout_s=READ_TIMEOUT_S)
    press_and_release(qtbot, window)
    before_spell = lab.counters()
    mark = latest_row_id()
    qtbot.wait(int(IDLE_SPELL_S * 1000))
    press_and_release(qtbot, window)

    rows = listening_rows_after(mark)
    assert [(row.action, row.status, row.outcome) for row in rows] == [
        (START, JournalStatus.ANSWERED, "ok"), (STOP, JournalStatus.ANSWERED, "ok")], "one attempt each, both answered"
    assert not simulator.is_listening(instance_id)
    # Replaced before the lab's limit, so the lab never had a connection to drop; had they been kept, the
    # blackhole and reset modes would have swallowed or refused the first attempt (a second row above).
    assert lab.counters().connections_accepted > before_spell.connections_accepted, "idle connections were replaced"


@pytest.mark.parametrize("how", ["fin", "reset", "blackhole"])
def test_when_every_connection_dies_while_held_the_release_still_stops_the_agent(
        qtbot, open_window, make_lab, how, simulator, instance_id) -> None:
    # The client's own idle limit (15 s) here: the connections killed stay in the pool, as on a real path.
    lab = make_lab(LinkSettings(delay_ms=ONE_WAY_DELAY_MS))
    window = open_window(endpoint=lab.base_url, read_timeout_s=READ_TIMEOUT_S, connect_timeout_s=3.0)
    for _ in range(3):  # a session in use: the engine has timed its answers on this path
        press_and_release(qtbot, window)
    # Every sender thread holds a connection (one without would send the Stop on a new one, which nothing kills).
    qtbot.waitUntil(lambda: lab.counters().connections_open >= SENDER_THREADS, timeout=5000)
    window.press("test")
    qtbot.waitUntil(lambda: talk_state(window) is TalkState.LISTENING, timeout=5000)
    mark = latest_row_id()
    assert kill_every_connection(lab, how) >= SENDER_THREADS

    window.release("test")
    qtbot.waitUntil(lambda: talk_state(window) is TalkState.IDLE and not simulator.is_listening(instance_id),
                    timeout=int(READ_TIMEOUT_S * 1000))
    acted = simulator.last_acted(instance_id)
    assert acted is not None and acted.action == STOP
    rows_when_stopped = listening_rows_after(mark)
    assert any(row.sequence == acted.sequence and row.outcome == "ok" for row in rows_when_stopped), \
        "the Stop the agent acted on is journaled as answered"
    if how == "blackhole":
        assert rows_when_stopped[0].status is JournalStatus.PENDING, "stopped long before the dead attempt's read timeout"

    # Every attempt ends in the journal: none is left "sent, no answer".
    qtbot.waitUntil(lambda: all(row.status is not JournalStatus.PENDING for row in listening_rows_after(mark)),
                    timeout=int(READ_TIMEOUT_S * 1000) + 3000)
    rows = listening_rows_after(mark)
    assert all(row.action == STOP for row in rows)
    if how == "blackhole":
        # The first attempt was swallowed: the engine resent the Stop under a new Sequence at its deadline,
        # and the first attempt's row ends at its read timeout.
        assert (rows[0].status, rows[0].outcome) == (JournalStatus.FAILED, "timeout")
        assert acted.sequence > rows[0].sequence
    else:
        # A closed or reset connection is seen before or as the Stop goes out: the client sends it on a fresh
        # connection at once, and no attempt fails. (A fresh connection takes 2.5 RTT, close to the deadline:
        # the engine may resend it under a new Sequence as well, which the server takes or ignores.)
        assert all(row.status is JournalStatus.ANSWERED for row in rows), rows
    assert not simulator.is_listening(instance_id)


def test_after_a_silent_stop_the_next_press_does_not_wait_on_a_dead_connection(
        qtbot, open_window, make_lab, simulator, instance_id) -> None:
    # A silent Stop means the path forgot every idle connection; the other sender threads hold some. The next
    # press went out on one of them and waited a whole read timeout (5.48 s measured) before its resend.
    lab = make_lab(LinkSettings(delay_ms=ONE_WAY_DELAY_MS))
    window = open_window(endpoint=lab.base_url, read_timeout_s=READ_TIMEOUT_S, connect_timeout_s=3.0)
    for _ in range(3):
        press_and_release(qtbot, window)
    qtbot.waitUntil(lambda: lab.counters().connections_open >= SENDER_THREADS, timeout=5000)
    window.press("test")
    qtbot.waitUntil(lambda: talk_state(window) is TalkState.LISTENING, timeout=5000)
    assert kill_every_connection(lab, "blackhole") >= SENDER_THREADS
    window.release("test")
    qtbot.waitUntil(lambda: not simulator.is_listening(instance_id), timeout=int(READ_TIMEOUT_S * 1000))

    mark = latest_row_id()
    started = time.monotonic()
    window.press("test")
    qtbot.waitUntil(lambda: simulator.is_listening(instance_id), timeout=int(READ_TIMEOUT_S * 1000))
    assert time.monotonic() - started < READ_TIMEOUT_S / 2, "the press went out on a fresh connection"
    window.release("test")
    qtbot.waitUntil(lambda: not simulator.is_listening(instance_id), timeout=5000)
    first_start = next(row for row in listening_rows_after(mark) if row.action == START)
    assert first_start.status is not JournalStatus.FAILED, "one attempt, answered"


def test_a_press_whose_failure_was_lost_on_a_reset_connection_shows_the_failure_not_listening(
        qtbot, open_window, make_lab, simulator, instance_id) -> None:
    """The user is not publishing, so the press fails (410001046), but that answer is lost: the connection is reset
    while the server holds it. The client's resend of the same Sequence is answered 410001043, which says only
    that the first attempt arrived; the engine asks again under a new Sequence, and that answer decides."""
    lab = make_lab(LinkSettings())
    window = open_window(endpoint=lab.base_url, read_timeout_s=READ_TIMEOUT_S)
    simulator.set_user_state("silent", instance_id)
    simulator.add_fault(Fault(FaultKind.STALL, action=START, times=1, seconds=30.0))
    mark = latest_row_id()
    window.press("test")
    qtbot.waitUntil(lambda: any(r.action == START for r in simulator.received()), timeout=5000)
    assert lab.reset_all() >= 1

    qtbot.waitUntil(lambda: talk_state(window) is TalkState.ERROR, timeout=5000)
    qtbot.waitUntil(window.agent.banner.isVisible, timeout=3000)
    assert "is not publishing audio" in window.agent.banner.text_label.text()
    assert [r.code for r in simulator.received() if r.action == START] == [410001046, 410001043, 410001046]
    rows = listening_rows_after(mark)
    assert [(row.outcome, row.code) for row in rows] == [
        ("transport_error", None), ("api_error", 410001043), ("api_error", 410001046)], "every attempt journaled"
    assert not simulator.is_listening(instance_id)
    window.release("test")
