"""The dispatch engine's push-to-talk rules, without Qt and without sleeping: time is a manual clock and
the transport hands answers back when the test says so."""

from __future__ import annotations

import heapq
import itertools
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest

from ptt_app.api.types import START_LISTENING, STOP_LISTENING, ApiRequest, ApiResult, Outcome
from ptt_app.store.journal import JournalEntry, JournalStatus, JournalUnwritable, RequestJournal, WriteProblem
from ptt_app.talk.engine import DispatchEngine, EngineSettings, StopDeadline
from ptt_app.talk.intents import ListenIntent, TalkController, TalkState
from ptt_app.talk.journaled import CallJournal, CallTarget
from ptt_app.talk.sequence import SequenceSource

TARGET = CallTarget("default", 42, "instance-1", "operator")


@dataclass(order=True)
class _Timer:
    due: float
    order: int
    callback: Callable[[], None] = field(compare=False)
    cancelled: bool = field(default=False, compare=False)

    def cancel(self) -> None:
        self.cancelled = True


class ManualClock:
    """A Scheduler whose time moves only when the test advances it."""

    def __init__(self) -> None:
        self.now = 1000.0
        self._timers: list[_Timer] = []
        self._order = itertools.count()

    def monotonic(self) -> float:
        return self.now

    def call_later(self, delay_s: float, callback: Callable[[], None]) -> _Timer:
        timer = _Timer(self.now + delay_s, next(self._order), callback)
        heapq.heappush(self._timers, timer)
        return timer

    def advance(self, seconds: float) -> None:
        """Move time forward, running every timer that falls due, in order."""
        end = self.now + seconds
        while self._timers and self._timers[0].due <= end:
            timer = heapq.heappop(self._timers)
            self.now = max(self.now, timer.due)
            if not timer.cancelled:
                timer.callback()
        self.now = end


@dataclass
class Sent:
    ticket: int
    request: ApiRequest
    fresh_connection: bool


class HeldTransport:
    """Keeps every submitted request until the test answers it."""

    def __init__(self) -> None:
        self.sent: list[Sent] = []
        self.suspected = 0

    def submit(self, ticket: int, request: ApiRequest, fresh_connection: bool) -> None:
        self.sent.append(Sent(ticket, request, fresh_connection))

    def suspect_connections(self) -> None:
        self.suspected += 1

    def actions(self) -> list[str]:
        return [s.request.action for s in self.sent]


class Recorder:
    """The engine's listener: everything it reported, in order."""

    def __init__(self) -> None:
        self.rows: list[JournalEntry] = []
        self.answers: list[tuple[ListenIntent, ApiResult, bool]] = []
        self.calls: list[tuple[str, ApiResult]] = []
        self.drained_count = 0
        self.journal_problems: list[str] = []

    def journal_changed(self, entry: JournalEntry) -> None:
        self.rows.append(entry)

    def listen_answered(self, intent: ListenIntent, result: ApiResult, final: bool) -> None:
        self.answers.append((intent, result, final))

    def call_answered(self, purpose: str, result: ApiResult) -> None:
        self.calls.append((purpose, result))

    def drained(self) -> None:
        self.drained_count += 1

    def journal_failed(self, message: str) -> None:
        self.journal_problems.append(message)


class Rig:
    """An engine bound to a session, with the controller the window would use."""

    def __init__(self, tmp_path, **settings) -> None:
        self.clock = ManualClock()
        self.transport = HeldTransport()
        self.recorder = Recorder()
        self.journal = RequestJournal(tmp_path / "journal.sqlite3")
        self.sequences = SequenceSource(clock_ms=lambda: 0)
        self.controller = TalkController(self.sequences)
        self.engine = DispatchEngine(CallJournal(self.journal), self.clock, self.recorder)
        self.engine.bind(TARGET, self.transport, self.sequences, EngineSettings(**settings))

    def press(self) -> ListenIntent:
        intent = self.controller.press("test")
        assert intent is not None
        self.engine.listen(intent)
        return intent

    def release(self) -> ListenIntent:
        intent = self.controller.release("test")
        assert intent is not None
        self.engine.listen(intent)
        return intent

    def answer(self, index: int, outcome: Outcome = Outcome.OK, code: int | None = 0) -> None:
        sent = self.transport.sent[index]
        result = ApiResult(sent.request.action, sent.request.sequence, time.time(), 1.0, outcome,
                           200 if code is not None else None, code, "ok" if code == 0 else "failed", f"rid-{index}")
        self.engine.on_answer(sent.ticket, result)

    def answer_lost(self, index: int) -> None:
        """The client resent request `index` (same Sequence) after its first answer was lost, and the server
        answered the resend 410001043: the first attempt had arrived."""
        sent = self.transport.sent[index]
        result = ApiResult(sent.request.action, sent.request.sequence, time.time(), 1.0, Outcome.API_ERROR, 200,
                           410001043, "sequence outdated", f"rid-{index}", resent=True)
        self.engine.on_answer(sent.ticket, result)

    def statuses(self) -> list[JournalStatus]:
        return [entry.status for entry in reversed(self.journal.recent(100))]


@pytest.fixture
def rig(tmp_path):
    rig = Rig(tmp_path)
    yield rig
    rig.journal.close()


def test_the_engine_keeps_nothing_per_press_once_it_is_answered(rig) -> None:
    """The app runs all day: no list, dict or set of the engine may grow with the number of presses."""

    def cycles(count: int) -> None:
        for _ in range(count):
            rig.press()
            rig.answer(len(rig.transport.sent) - 1)
            rig.release()
            rig.answer(len(rig.transport.sent) - 1)

    def sizes() -> dict[str, int]:
        return {name: len(value) for name, value in vars(rig.engine).items() if isinstance(value, (dict, list, set))}

    cycles(10)
    after_ten = sizes()
    cycles(200)
    assert sizes() == after_ten


def test_a_press_is_journaled_before_it_is_handed_to_the_transport(rig) -> None:
    rig.press()
    assert rig.transport.actions() == [START_LISTENING]
    assert rig.statuses() == [JournalStatus.PENDING]
    rig.answer(0)
    assert rig.statuses() == [JournalStatus.ANSWERED]
    assert rig.recorder.answers[-1][2] is True


def test_a_release_waits_the_ordering_grace_for_the_start_then_goes_out(rig) -> None:
    rig.press()
    rig.release()
    assert rig.transport.actions() == [START_LISTENING]
    rig.clock.advance(0.049)
    assert rig.transport.actions() == [START_LISTENING]
    rig.clock.advance(0.002)
    assert rig.transport.actions() == [START_LISTENING, STOP_LISTENING]


def test_a_release_goes_out_at_once_when_the_start_is_answered_within_the_grace(rig) -> None:
    rig.press()
    rig.release()
    rig.clock.advance(0.01)
    rig.answer(0)
    assert rig.transport.actions() == [START_LISTENING, STOP_LISTENING]


def test_intents_queued_behind_a_full_pipe_collapse_into_the_newest(tmp_path) -> None:
    rig = Rig(tmp_path, max_in_flight=1)
    rig.press()
    for _ in range(2):
        rig.release()
        rig.press()
    last = rig.release()
    rig.clock.advance(1.0)
    assert rig.transport.actions() == [START_LISTENING]
    superseded = [row for row in rig.journal.recent(100) if row.status is JournalStatus.SUPERSEDED]
    assert len(superseded) == 4
    assert all(row.sent_at is not None for row in superseded), "a superseded row carries the time the operator acted"
    rig.answer(0)
    assert rig.transport.actions() == [START_LISTENING, STOP_LISTENING]
    assert rig.transport.sent[1].request.sequence == last.sequence
    rig.journal.close()


def test_the_in_flight_cap_holds_the_next_intent_until_one_lands(tmp_path) -> None:
    rig = Rig(tmp_path, max_in_flight=2)
    rig.press()
    rig.clock.advance(0.1)
    rig.release()
    rig.clock.advance(0.1)
    rig.press()
    rig.clock.advance(0.1)
    assert len(rig.transport.sent) == 2
    rig.answer(0)
    assert len(rig.transport.sent) == 3
    rig.journal.close()


def test_a_failed_stop_is_retried_with_a_new_higher_sequence_after_each_pause(rig) -> None:
    rig.press()
    rig.answer(0)
    rig.release()
    first_stop = rig.transport.sent[1].request.sequence
    for attempt, pause in enumerate((0.25, 0.5, 1.0), start=1):
        rig.answer(attempt, Outcome.TIMEOUT, None)
        assert rig.recorder.answers[-1][2] is False, "not final while a retry is coming"
        rig.clock.advance(pause - 0.001)
        assert len(rig.transport.sent) == attempt + 1
        rig.clock.advance(0.002)
        assert len(rig.transport.sent) == attempt + 2
    sequences = [s.request.sequence for s in rig.transport.sent[1:]]
    assert sequences == sorted(set(sequences)) and sequences[0] == first_stop
    rig.answer(4, Outcome.TIMEOUT, None)
    assert rig.recorder.answers[-1][2] is True, "after the last retry the failure is final"


def test_a_stop_is_not_retried_once_the_operator_pressed_again(rig) -> None:
    rig.press()
    rig.answer(0)
    rig.release()
    rig.answer(1, Outcome.TRANSPORT_ERROR, None)
    rig.press()
    rig.clock.advance(5.0)
    assert rig.transport.actions() == [START_LISTENING, STOP_LISTENING, START_LISTENING]


def test_an_api_error_on_a_stop_is_not_retried(rig) -> None:
    rig.press()
    rig.answer(0)
    rig.release()
    rig.answer(1, Outcome.API_ERROR, 410001045)
    rig.clock.advance(5.0)
    assert rig.transport.actions() == [START_LISTENING, STOP_LISTENING]
    assert rig.recorder.answers[-1][2] is True


def test_a_start_whose_answer_was_lost_is_asked_again_at_once_under_a_new_sequence(rig) -> None:
    rig.press()
    rig.answer_lost(0)
    assert rig.recorder.answers[-1][2] is False, "410001043 to a resend decides nothing"
    assert rig.transport.actions() == [START_LISTENING, START_LISTENING]
    first, again = (s.request.sequence for s in rig.transport.sent)
    assert again > first
    rig.answer(1, Outcome.API_ERROR, 410001046)
    assert rig.recorder.answers[-1][2] is True


def test_a_lost_answer_is_not_asked_again_once_the_operator_has_acted_since(rig) -> None:
    rig.press()
    rig.release()
    rig.answer_lost(0)
    rig.clock.advance(0.2)
    assert rig.transport.actions() == [START_LISTENING, STOP_LISTENING]


def test_a_stop_whose_answers_keep_being_lost_goes_on_to_the_stop_retries(rig) -> None:
    rig.press()
    rig.answer(0)
    rig.release()
    rig.answer_lost(1)
    rig.answer_lost(2)
    assert len(rig.transport.sent) == 4, "asked again at once, twice"
    rig.answer_lost(3)
    assert rig.recorder.answers[-1][2] is False
    rig.clock.advance(1.0)
    assert len(rig.transport.sent) == 5, "then the Stop's own retries take over"
    rig.answer(4)
    assert [(result.code, final) for _, result, final in rig.recorder.answers[-5:]] == [
        (0, True), (410001043, False), (410001043, False), (410001043, False), (0, True)]


def test_a_lost_answer_never_shows_listening() -> None:
    controller = TalkController(SequenceSource(clock_ms=lambda: 0))
    intent = controller.press("test")
    assert intent is not None
    lost = ApiResult(START_LISTENING, intent.sequence, time.time(), 1.0, Outcome.API_ERROR, 200, 410001043,
                     "sequence outdated", "rid", resent=True)
    assert controller.on_result(intent, lost, final=False) is TalkState.STARTING
    assert controller.on_result(intent, lost, final=True) is TalkState.ERROR


def test_a_stop_without_an_answer_by_its_deadline_is_resent_on_a_fresh_connection(tmp_path) -> None:
    rig = Rig(tmp_path, stop_deadline=StopDeadline(floor_s=0.3, initial_s=0.3))
    rig.press()
    rig.answer(0)
    rig.release()
    rig.clock.advance(0.299)
    assert len(rig.transport.sent) == 2
    rig.clock.advance(0.002)
    resend = rig.transport.sent[2]
    assert resend.request.action == STOP_LISTENING and resend.fresh_connection
    assert resend.request.sequence > rig.transport.sent[1].request.sequence
    rig.answer(2)
    assert rig.controller.on_result(*rig.recorder.answers[-1][:2]).value == "Idle"
    rig.clock.advance(5.0)
    assert len(rig.transport.sent) == 3
    rig.journal.close()


def test_a_late_failure_of_an_attempt_already_resent_is_journaled_but_not_reported(tmp_path) -> None:
    rig = Rig(tmp_path, stop_deadline=StopDeadline(floor_s=0.3, initial_s=0.3))
    rig.press()
    rig.answer(0)
    rig.release()
    rig.clock.advance(0.301)  # the Stop is resent under a new Sequence
    rig.answer(2)
    reported = len(rig.recorder.answers)
    rig.answer(1, Outcome.API_ERROR, 410001043)  # the first Stop arrives late: outdated
    assert len(rig.recorder.answers) == reported, "the overtaken attempt decides nothing and says nothing"
    first_stop = rig.transport.sent[1].request.sequence
    assert [row.code for row in rig.recorder.rows if row.sequence == first_stop][-1] == 410001043
    rig.clock.advance(5.0)
    assert len(rig.transport.sent) == 3, "no retry chain for the overtaken attempt"
    rig.journal.close()


def test_a_stop_resent_at_its_deadline_is_not_resent_again_while_the_server_stays_silent(rig) -> None:
    press_answered(rig)
    rig.release()
    rig.clock.advance(5.0)
    assert rig.transport.actions() == [START_LISTENING, STOP_LISTENING, STOP_LISTENING]
    assert [sent.fresh_connection for sent in rig.transport.sent] == [False, False, True]


def test_a_stop_retried_after_a_failure_gets_a_deadline_of_its_own(rig) -> None:
    press_answered(rig)
    rig.release()
    rig.answer(1, Outcome.TRANSPORT_ERROR, None)
    rig.clock.advance(0.25 + 0.001)
    assert rig.transport.actions()[-1] == STOP_LISTENING and not rig.transport.sent[-1].fresh_connection
    rig.clock.advance(0.5)
    assert rig.transport.sent[-1].fresh_connection and len(rig.transport.sent) == 4


def test_a_press_without_a_session_is_answered_not_connected_and_nothing_is_sent(tmp_path) -> None:
    rig = Rig(tmp_path)
    rig.engine.unbind()
    rig.press()
    intent, result, final = rig.recorder.answers[-1]
    assert final and not result.ok and "not connected" in result.message
    assert rig.transport.sent == []
    rig.journal.close()


def test_drain_waits_for_the_stop_and_its_retries_but_not_for_other_calls(rig) -> None:
    rig.press()
    rig.answer(0)
    rig.engine.call(ApiRequest("QueryAgentInstanceStatus", {"AgentInstanceId": "instance-1"}), "poll")
    rig.release()
    rig.engine.drain(deadline_s=3.0)
    assert rig.recorder.drained_count == 0
    rig.answer(2, Outcome.TIMEOUT, None)
    rig.clock.advance(0.3)
    assert rig.recorder.drained_count == 0, "a Stop retry is still coming"
    rig.answer(3)
    assert rig.recorder.drained_count == 1


def test_drain_gives_up_at_its_deadline(rig) -> None:
    rig.press()
    rig.engine.drain(deadline_s=2.0)
    rig.clock.advance(1.999)
    assert rig.recorder.drained_count == 0
    rig.clock.advance(0.002)
    assert rig.recorder.drained_count == 1


def test_drain_with_nothing_in_flight_is_immediate(rig) -> None:
    rig.engine.drain(deadline_s=2.0)
    assert rig.recorder.drained_count == 1


def test_a_late_answer_to_an_old_press_does_not_change_the_state(rig) -> None:
    first = rig.press()
    rig.clock.advance(0.1)
    rig.release()
    rig.clock.advance(0.1)
    rig.answer(1)
    assert rig.controller.on_result(*rig.recorder.answers[-1][:2]).value == "Idle"
    rig.answer(0)
    assert rig.recorder.answers[-1][0] == first
    assert rig.controller.on_result(*rig.recorder.answers[-1][:2]).value == "Idle"


def test_the_sent_row_is_reported_only_when_the_answer_is_slow(rig) -> None:
    rig.press()
    rig.answer(0)
    assert [row.status for row in rig.recorder.rows] == [JournalStatus.ANSWERED]
    rig.release()
    rig.clock.advance(0.05)
    assert rig.recorder.rows[-1].status is JournalStatus.PENDING


# --- the Stop deadline follows the path -----------------------------------------------------------------


def talk_cycles(rig: Rig, count: int, answer_after_s: float) -> None:
    """Press and release `count` times; `answer_after_s` after each, every request sent since is answered
    (a Stop resent at its deadline meanwhile, too)."""
    for _ in range(count):
        for act in (rig.press, rig.release):
            first = len(rig.transport.sent)
            act()
            rig.clock.advance(answer_after_s)
            for index in range(first, len(rig.transport.sent)):
                rig.answer(index)


def assert_resent_after(rig: Rig, deadline_s: float) -> None:
    """Release: the Stop is still alone 1 ms before deadline_s and resent, on a fresh connection, 1 ms after."""
    rig.release()
    sent = len(rig.transport.sent)
    rig.clock.advance(deadline_s - 0.001)
    assert len(rig.transport.sent) == sent, "resent before its deadline"
    rig.clock.advance(0.002)
    assert len(rig.transport.sent) == sent + 1, "not resent at its deadline"
    assert rig.transport.sent[-1].request.action == STOP_LISTENING and rig.transport.sent[-1].fresh_connection


def press_answered(rig: Rig) -> None:
    press_answered_after(rig, 0.0)


def press_answered_after(rig: Rig, seconds: float) -> None:
    rig.press()
    rig.clock.advance(seconds)
    rig.answer(len(rig.transport.sent) - 1)


def test_before_any_answer_is_timed_a_stop_is_resent_after_the_initial_half_second(rig) -> None:
    rig.press()  # never answered: nothing is known about the path yet
    rig.clock.advance(1.0)
    assert rig.engine.stop_deadline_s() == 0.5
    assert_resent_after(rig, 0.5)


def test_on_a_150_ms_path_a_stop_is_resent_three_answer_times_after_it_left(rig) -> None:
    talk_cycles(rig, 3, answer_after_s=0.15)
    press_answered(rig)
    assert_resent_after(rig, 0.45)


def test_on_a_fast_path_the_deadline_stays_at_its_floor(rig) -> None:
    talk_cycles(rig, 3, answer_after_s=0.002)
    press_answered(rig)
    assert_resent_after(rig, 0.3)


def test_on_a_very_slow_path_the_deadline_stops_at_its_ceiling(rig) -> None:
    talk_cycles(rig, 3, answer_after_s=1.5)
    press_answered(rig)
    assert_resent_after(rig, 2.0)


def test_until_three_answers_are_timed_the_initial_deadline_holds(rig) -> None:
    press_answered_after(rig, 0.6)  # a first press that waited for its connection's handshakes
    rig.release()
    rig.clock.advance(0.1)
    rig.answer(1)
    assert rig.engine.stop_deadline_s() == 0.5
    press_answered_after(rig, 0.1)
    assert rig.engine.stop_deadline_s() == pytest.approx(0.3)


def test_one_stalled_answer_among_recent_ones_does_not_move_the_deadline(rig) -> None:
    talk_cycles(rig, 4, answer_after_s=0.15)
    talk_cycles(rig, 1, answer_after_s=5.0)
    assert rig.engine.stop_deadline_s() == pytest.approx(0.45)


def test_the_deadline_follows_the_most_recent_answers_when_the_path_changes(rig) -> None:
    talk_cycles(rig, 8, answer_after_s=0.01)
    talk_cycles(rig, 8, answer_after_s=0.2)
    assert rig.engine.stop_deadline_s() == pytest.approx(0.6)


def test_requests_that_got_no_answer_or_were_resent_by_the_client_teach_nothing(tmp_path) -> None:
    rig = Rig(tmp_path, stop_retry_delays_s=())
    rig.press()
    rig.clock.advance(5.0)
    rig.answer(0, Outcome.TIMEOUT, None)
    rig.release()
    rig.clock.advance(0.2)
    rig.answer(1, Outcome.TRANSPORT_ERROR, None)
    rig.press()
    rig.clock.advance(4.0)
    sent = rig.transport.sent[-1]
    resent = ApiResult(sent.request.action, sent.request.sequence, time.time(), 4000.0, Outcome.OK, 200, 0, "ok",
                       "rid", resent=True)
    rig.engine.on_answer(sent.ticket, resent)
    assert rig.engine.stop_deadline_s() == 0.5
    rig.journal.close()


def test_other_calls_do_not_count_towards_the_answer_time(rig) -> None:
    rig.engine.call(ApiRequest("QueryAgentInstanceStatus", {"AgentInstanceId": "instance-1"}), "poll")
    rig.clock.advance(0.5)
    rig.answer(0)
    assert rig.engine.stop_deadline_s() == 0.5


def test_a_new_session_learns_its_own_path_afresh(rig) -> None:
    talk_cycles(rig, 3, answer_after_s=0.6)
    assert rig.engine.stop_deadline_s() == pytest.approx(1.8)
    rig.engine.bind(TARGET, HeldTransport(), rig.sequences, EngineSettings())
    assert rig.engine.stop_deadline_s() == 0.5


def test_with_the_deadline_off_a_silent_stop_is_never_resent(tmp_path) -> None:
    rig = Rig(tmp_path, stop_deadline=None)
    press_answered(rig)
    rig.release()
    rig.clock.advance(10.0)
    assert rig.transport.actions() == [START_LISTENING, STOP_LISTENING]
    assert rig.engine.stop_deadline_s() is None
    rig.journal.close()


@pytest.mark.parametrize("fields", [dict(floor_s=0.0), dict(floor_s=0.6), dict(ceiling_s=0.4), dict(window=2),
                                    dict(min_answers=0), dict(answer_multiple=0.0)])
def test_a_deadline_rule_that_contradicts_itself_is_refused(fields) -> None:
    with pytest.raises(ValueError):
        StopDeadline(**fields)


def test_an_overdue_stop_makes_every_sender_suspect_its_idle_connections(rig) -> None:
    rig.press()
    rig.answer(0)
    rig.release()
    assert rig.transport.suspected == 0
    rig.clock.advance(0.51)
    assert rig.transport.sent[-1].fresh_connection and rig.transport.suspected == 1


# --- intents numbered on another thread, and sessions replaced while a Stop is unfinished -------------------------


def sent_pairs(transport: HeldTransport) -> list[tuple[str, int]]:
    return [(s.request.action, s.request.sequence) for s in transport.sent]


def test_a_release_numbered_while_a_lost_answer_is_asked_again_goes_out_above_it(rig) -> None:
    """The window numbers the release on its own thread (Sequence 2) while the engine asks the Start again
    (Sequence 3): the release goes out above it, or the server would ignore it and the agent keep listening."""
    rig.press()
    stop = rig.controller.release("test")
    assert stop is not None
    rig.answer_lost(0)
    rig.engine.listen(stop)
    rig.clock.advance(0.1)
    assert sent_pairs(rig.transport) == [(START_LISTENING, 1), (START_LISTENING, 3), (STOP_LISTENING, 4)]


def test_a_press_numbered_as_a_stop_is_resent_at_its_deadline_goes_out_above_the_resend(rig) -> None:
    rig.press()
    rig.answer(0)
    rig.release()
    rig.clock.advance(0.4999)
    start = rig.controller.press("test")
    assert start is not None
    rig.clock.advance(0.0002)  # the Stop's deadline: resent as Sequence 4
    rig.engine.listen(start)
    rig.clock.advance(0.1)
    assert sent_pairs(rig.transport) == [(START_LISTENING, 1), (STOP_LISTENING, 2), (STOP_LISTENING, 4),
                                         (START_LISTENING, 5)]


OTHER = CallTarget("other", 43, "instance-9", "operator")


def test_a_stop_still_waiting_when_the_session_changes_goes_at_once_to_its_own_instance(rig) -> None:
    rig.press()
    rig.release()  # waits the ordering grace behind the Start
    new_transport = HeldTransport()
    rig.engine.bind(OTHER, new_transport, SequenceSource(clock_ms=lambda: 0), EngineSettings())
    assert [(s.request.action, s.request.body["AgentInstanceId"]) for s in rig.transport.sent] == [
        (START_LISTENING, "instance-1"), (STOP_LISTENING, "instance-1")]
    assert new_transport.sent == []


def test_a_stop_still_waiting_when_the_session_closes_goes_out_at_once(rig) -> None:
    rig.press()
    rig.release()
    rig.engine.unbind()
    assert rig.transport.actions() == [START_LISTENING, STOP_LISTENING]


def test_a_stop_retried_after_the_session_changed_goes_to_its_own_session(rig) -> None:
    rig.press()
    rig.answer(0)
    rig.release()
    rig.answer(1, Outcome.TRANSPORT_ERROR, None)
    new_transport = HeldTransport()
    rig.engine.bind(OTHER, new_transport, SequenceSource(clock_ms=lambda: 0), EngineSettings())
    assert rig.engine.in_flight_on(rig.transport) == 1, "its transport stays open for the retry"
    rig.clock.advance(0.3)
    assert rig.transport.actions() == [START_LISTENING, STOP_LISTENING, STOP_LISTENING]
    assert new_transport.sent == []


def test_a_stop_resent_at_its_deadline_after_the_session_changed_goes_to_its_own_session(rig) -> None:
    rig.press()
    rig.answer(0)
    rig.release()
    new_transport = HeldTransport()
    rig.engine.bind(OTHER, new_transport, SequenceSource(clock_ms=lambda: 0), EngineSettings())
    rig.clock.advance(0.6)
    assert [(s.request.action, s.fresh_connection) for s in rig.transport.sent[1:]] == [
        (STOP_LISTENING, False), (STOP_LISTENING, True)]
    assert new_transport.sent == []


def test_a_press_on_the_new_session_does_not_wait_for_the_old_session_s_requests(rig) -> None:
    rig.press()
    new_transport = HeldTransport()
    rig.engine.bind(OTHER, new_transport, SequenceSource(clock_ms=lambda: 0), EngineSettings())
    intent = TalkController(rig.sequences).press("test")
    assert intent is not None
    rig.engine.listen(intent)
    assert new_transport.actions() == [START_LISTENING]


def test_a_failed_stop_is_retried_even_when_its_answer_cannot_be_journaled(rig) -> None:
    """The command line's journal refuses rows on a full disk: the Stop's unknown fate still gets its retry."""
    rig.press()
    rig.answer(0)
    rig.release()

    def disk_full(row_id, result):
        raise JournalUnwritable("disk full", rig.journal.path, WriteProblem.DISK_FULL)

    rig.journal.record_result = disk_full
    rig.answer(1, Outcome.TIMEOUT, None)
    assert rig.recorder.journal_problems
    rig.clock.advance(0.3)
    assert rig.transport.actions() == [START_LISTENING, STOP_LISTENING, STOP_LISTENING]
