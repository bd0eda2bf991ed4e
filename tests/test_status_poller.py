"""The status poller's schedule and the request budget, without Qt: time is a manual clock that also drives
the simulator's agent (listening → thinking → speaking → idle), and every poll is a real signed request
to the simulator over loopback."""

from __future__ import annotations

import heapq
import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import pytest

from ptt_app.api import codes
from ptt_app.api.http_client import AgentApiClient
from ptt_app.api.types import (
    GET_AGENT_INSTANCE_MSG_LIST,
    QUERY_AGENT_INSTANCE_STATUS,
    SEND_AGENT_INSTANCE_TTS,
    START_LISTENING,
    STOP_LISTENING,
    ApiRequest,
    ApiResult,
    Credentials,
    listening_request,
)
from ptt_app.sim import AgentApiSimulator, SimConfig
from ptt_app.talk.status_poller import (
    CLIENT_BUDGET_PER_S,
    STATUS_PURPOSE,
    AgentStatus,
    PollSettings,
    RequestBudget,
    StatusPoller,
    TranscriptMessage,
    transcript_of,
)

ANSWER_AFTER_S = 0.02
SETTINGS = PollSettings()


@dataclass(order=True)
class _Timer:
    due: float
    order: int
    callback: Callable[[], None] = field(compare=False)
    cancelled: bool = field(default=False, compare=False)

    def cancel(self) -> None:
        self.cancelled = True


class ManualClock:
    """A Scheduler whose time moves only when the test advances it (the simulator reads it too)."""

    def __init__(self) -> None:
        self.now = 5000.0
        self._timers: list[_Timer] = []
        self._order = itertools.count()

    def monotonic(self) -> float:
        return self.now

    def call_later(self, delay_s: float, callback: Callable[[], None]) -> _Timer:
        timer = _Timer(self.now + delay_s, next(self._order), callback)
        heapq.heappush(self._timers, timer)
        return timer

    def advance(self, seconds: float) -> None:
        end = self.now + seconds
        while self._timers and self._timers[0].due <= end:
            timer = heapq.heappop(self._timers)
            self.now = max(self.now, timer.due)
            if not timer.cancelled:
                timer.callback()
        self.now = end


@dataclass(frozen=True)
class Sent:
    at: float
    action: str
    purpose: str


class Rig:
    """Plays the console service: sends what the poller asks over real HTTP, answers it ANSWER_AFTER_S later."""

    def __init__(self, clock: ManualClock, client: AgentApiClient, instance_id: str) -> None:
        self.clock = clock
        self.client = client
        self.instance_id = instance_id
        self.budget = RequestBudget(clock.monotonic)
        self.sent: list[Sent] = []
        self.statuses: list[AgentStatus | None] = []
        self.transcripts: list[list[TranscriptMessage] | None] = []
        self.listening_in_air = False
        self.senders_busy = False
        self.answers_held = False
        self._sequence = itertools.count(1)
        self.poller = StatusPoller(clock, self._send, lambda: self.listening_in_air, self.budget, SETTINGS)

    def _send(self, request: ApiRequest, purpose: str) -> bool:
        if self.senders_busy:
            return False
        self.budget.record(request.action)
        self.sent.append(Sent(self.clock.now, request.action, purpose))
        if not self.answers_held:
            self.clock.call_later(ANSWER_AFTER_S, lambda: self._answer(request, purpose))
        return True

    def _answer(self, request: ApiRequest, purpose: str) -> None:
        result = self.client.send(request)
        if purpose == STATUS_PURPOSE:
            self.statuses.append(self.poller.status_answered(result))
        else:
            self.transcripts.append(transcript_of(result))
            self.poller.transcript_answered()

    def listen(self, action: str) -> ApiResult:
        """A Start/Stop of the operator, answered; the poller hears of it as the service would tell it."""
        result = self.client.send(listening_request(action, self.instance_id, "", next(self._sequence)))
        self.budget.record(action)
        self.poller.listening_answered(action, result)
        return result

    def polls(self, since: float = 0.0) -> list[Sent]:
        return [s for s in self.sent if s.action == QUERY_AGENT_INSTANCE_STATUS and s.at >= since]

    def transcript_fetches(self) -> list[Sent]:
        return [s for s in self.sent if s.action == GET_AGENT_INSTANCE_MSG_LIST]


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
def sim(credentials: Credentials, clock: ManualClock) -> Iterator[AgentApiSimulator]:
    """The simulator on the manual clock, rate-limited as the API documents (10 requests/s per Action)."""
    config = SimConfig(app_id=credentials.app_id, server_secret=credentials.server_secret, rate_limit_per_s=10,
                       thinking_s=1.0, speaking_s=2.0)
    with AgentApiSimulator(config, monotonic=clock.monotonic) as simulator:
        yield simulator


@pytest.fixture
def rig(sim: AgentApiSimulator, credentials: Credentials, clock: ManualClock) -> Iterator[Rig]:
    instance = sim.create_instance(agent_id="test-agent", user_id="test-user")
    api = AgentApiClient(credentials, sim.base_url, connect_timeout_s=2.0, read_timeout_s=2.0)
    try:
        yield Rig(clock, api, instance)
    finally:
        api.close()


def test_watching_an_instance_asks_its_status_and_transcript_at_once(rig: Rig, clock: ManualClock) -> None:
    rig.poller.watch(rig.instance_id)
    clock.advance(0.1)
    assert {s.action for s in rig.sent} == {QUERY_AGENT_INSTANCE_STATUS, GET_AGENT_INSTANCE_MSG_LIST}
    assert rig.statuses == [AgentStatus.IDLE] and rig.transcripts == [[]]


def test_nothing_is_sent_while_no_instance_is_watched(rig: Rig, clock: ManualClock) -> None:
    clock.advance(30.0)
    rig.poller.watch(rig.instance_id)
    clock.advance(3.0)
    rig.poller.stop()
    stopped_at = clock.now
    clock.advance(30.0)
    assert rig.sent and all(s.at < stopped_at for s in rig.sent)


def test_an_idle_agent_is_asked_every_few_seconds(rig: Rig, clock: ManualClock) -> None:
    rig.poller.watch(rig.instance_id)
    clock.advance(0.1)
    start = clock.now
    clock.advance(30.5)
    gaps = [b.at - a.at for a, b in itertools.pairwise(rig.polls(start))]
    assert len(rig.polls(start)) == 6 and all(gap == pytest.approx(SETTINGS.idle_interval_s, abs=0.05) for gap in gaps)


def test_a_listening_agent_is_asked_about_once_a_second(rig: Rig, clock: ManualClock) -> None:
    rig.poller.watch(rig.instance_id)
    clock.advance(0.1)
    assert rig.listen(START_LISTENING).ok
    start = clock.now
    clock.advance(10.0)
    polls = rig.polls(start)
    assert 9 <= len(polls) <= 11
    assert max(b.at - a.at for a, b in itertools.pairwise(polls)) <= SETTINGS.active_interval_s + 0.05
    assert set(rig.statuses[1:]) == {AgentStatus.LISTENING}


def test_the_light_follows_a_turn_through_thinking_and_speaking_back_to_idle(rig: Rig, clock: ManualClock) -> None:
    rig.poller.watch(rig.instance_id)
    clock.advance(0.1)
    rig.listen(START_LISTENING)
    clock.advance(1.5)
    rig.listen(STOP_LISTENING)
    clock.advance(6.0)
    seen = [status for status in dict.fromkeys(rig.statuses) if status is not None]
    assert seen == [AgentStatus.IDLE, AgentStatus.LISTENING, AgentStatus.THINKING, AgentStatus.SPEAKING]
    assert rig.statuses[-1] is AgentStatus.IDLE


def test_an_answered_start_or_stop_brings_the_next_poll_forward(rig: Rig, clock: ManualClock) -> None:
    rig.poller.watch(rig.instance_id)
    clock.advance(1.0)  # idle: the next poll would be 4 s away
    rig.listen(START_LISTENING)
    answered = clock.now
    clock.advance(0.5)
    assert [s.at - answered for s in rig.polls(answered)] == [pytest.approx(SETTINGS.after_listen_s)]


def test_no_poll_leaves_while_a_start_or_stop_is_in_the_air(rig: Rig, clock: ManualClock) -> None:
    rig.poller.watch(rig.instance_id)
    clock.advance(0.1)
    rig.listening_in_air = True
    held_from = clock.now
    clock.advance(12.0)
    assert rig.polls(held_from) == []
    rig.listening_in_air = False
    settled = clock.now
    clock.advance(SETTINGS.defer_s + 0.01)
    assert len(rig.polls(settled)) == 1


def test_one_poll_at_a_time_even_when_the_server_is_slow(rig: Rig, clock: ManualClock) -> None:
    rig.answers_held = True  # no answer ever comes back
    rig.poller.watch(rig.instance_id)
    clock.advance(60.0)
    assert len(rig.polls()) == 1


def test_busy_side_senders_delay_the_poll_but_do_not_drop_it(rig: Rig, clock: ManualClock) -> None:
    rig.senders_busy = True
    rig.poller.watch(rig.instance_id)
    clock.advance(2.0)
    assert rig.sent == []
    rig.senders_busy = False
    clock.advance(SETTINGS.defer_s + 0.05)
    assert len(rig.polls()) == 1 and len(rig.transcript_fetches()) == 1


def test_the_transcript_is_fetched_once_after_each_turn(rig: Rig, clock: ManualClock) -> None:
    rig.poller.watch(rig.instance_id)
    clock.advance(0.1)
    for _ in range(2):
        rig.listen(START_LISTENING)
        clock.advance(1.2)
        rig.listen(STOP_LISTENING)
        clock.advance(6.0)
    assert len(rig.transcript_fetches()) == 3  # at watch, then after each of the two turns
    roles = [message.role for message in rig.transcripts[-1] or []]
    assert roles == ["user", "assistant", "user", "assistant"]


def test_a_turn_too_short_to_be_seen_still_refreshes_the_transcript(rig: Rig, clock: ManualClock) -> None:
    rig.poller.watch(rig.instance_id)
    clock.advance(0.1)
    rig.listen(START_LISTENING)
    rig.listen(STOP_LISTENING)
    clock.advance(10.0)
    assert len(rig.transcript_fetches()) == 2
    assert [m.role for m in rig.transcripts[-1] or []] == ["user", "assistant"]


def test_a_spoken_text_counts_as_activity(rig: Rig, clock: ManualClock) -> None:
    rig.poller.watch(rig.instance_id)
    clock.advance(1.0)
    result = rig.client.send(ApiRequest(SEND_AGENT_INSTANCE_TTS, {"AgentInstanceId": rig.instance_id, "Text": "Hello."}))
    assert result.ok
    rig.poller.expect_activity()
    clock.advance(4.0)
    assert AgentStatus.SPEAKING in rig.statuses and rig.statuses[-1] is AgentStatus.IDLE
    assert rig.transcripts[-1] == [TranscriptMessage("assistant", "Hello.")]


def test_an_instance_that_is_gone_is_not_polled_again(rig: Rig, sim: AgentApiSimulator, clock: ManualClock) -> None:
    rig.poller.watch(rig.instance_id)
    clock.advance(0.1)
    rig.client.send(ApiRequest("DeleteAgentInstance", {"AgentInstanceId": rig.instance_id}))
    clock.advance(6.0)
    gone_at = clock.now
    clock.advance(60.0)
    assert rig.poller.gone and rig.polls(gone_at) == []


def test_a_failed_poll_is_tried_again_later_not_at_once(rig: Rig, sim: AgentApiSimulator, clock: ManualClock) -> None:
    from ptt_app.sim import Fault, FaultKind

    rig.poller.watch(rig.instance_id)
    clock.advance(0.1)
    sim.add_fault(Fault(FaultKind.FORCED_CODE, action=QUERY_AGENT_INSTANCE_STATUS, code=codes.SYSTEM_ERROR, times=1))
    clock.advance(5.0)
    failed_at = rig.polls()[-1].at
    clock.advance(SETTINGS.after_failure_s + 0.1)
    assert rig.statuses[-2] is None and rig.statuses[-1] is AgentStatus.IDLE
    assert rig.polls()[-1].at - failed_at == pytest.approx(SETTINGS.after_failure_s, abs=0.05)


def test_polls_leave_room_in_the_budget_the_operator_used(rig: Rig, clock: ManualClock) -> None:
    rig.poller.watch(rig.instance_id)
    clock.advance(0.1)
    rig.listen(START_LISTENING)
    for _ in range(CLIENT_BUDGET_PER_S):  # the operator pressed "Query status" as fast as the budget allows
        rig.budget.record(QUERY_AGENT_INSTANCE_STATUS)
    filled_at = clock.now
    clock.advance(0.9)
    assert rig.polls(filled_at) == []
    clock.advance(0.2)
    assert len(rig.polls(filled_at)) == 1


def test_the_budget_never_lets_an_action_past_its_rate_but_always_lets_start_and_stop_through(clock: ManualClock) -> None:
    budget = RequestBudget(clock.monotonic)
    sent: list[float] = []
    for _ in range(400):
        if budget.allows(QUERY_AGENT_INSTANCE_STATUS):
            budget.record(QUERY_AGENT_INSTANCE_STATUS)
            sent.append(clock.now)
        clock.advance(0.01)
    busiest = max(sum(1 for t in sent if start <= t < start + 1.0) for start in sent)
    assert busiest == CLIENT_BUDGET_PER_S < 10
    for _ in range(30):
        budget.record(START_LISTENING)
    assert budget.allows(START_LISTENING) and budget.allows(STOP_LISTENING)


def test_a_whole_session_of_polls_never_trips_the_servers_rate_limit(rig: Rig, clock: ManualClock) -> None:
    rig.poller.watch(rig.instance_id)
    for _ in range(20):
        clock.advance(0.3)
        rig.listen(START_LISTENING)
        clock.advance(0.3)
        rig.listen(STOP_LISTENING)
    clock.advance(10.0)
    assert None not in rig.statuses  # an HTTP 429 from the simulator's limiter would show as None
