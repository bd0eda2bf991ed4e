"""When to ask the agent what it is doing, and how many requests each Action may send.

QueryAgentInstanceStatus is asked about once a second while a turn is active (listening, thinking or
speaking) and every few seconds while the agent is idle; never while a Start/Stop is pending or in the
air (presses go first), never past the client's request budget, and never while no instance is watched.
Each time a turn ends the transcript (GetAgentInstanceMsgList) is fetched once.

Qt-free and single-threaded, like the dispatch engine: time and timers come from the engine's
Scheduler, and requests leave through a `send` callback that may refuse (all side senders busy).
"""

from __future__ import annotations

import collections
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum

from ptt_app.api import codes
from ptt_app.api.types import (
    GET_AGENT_INSTANCE_MSG_LIST,
    QUERY_AGENT_INSTANCE_STATUS,
    START_LISTENING,
    STOP_LISTENING,
    ApiRequest,
    ApiResult,
    instance_request,
)
from ptt_app.talk.engine import Scheduler, TimerHandle

# The API reference: "10 requests per second for every interface unless its page says otherwise".
API_RATE_LIMIT_PER_S = 10
# What this client lets itself send of one Action in any one second: below the limit, so that a clock
# that ticks a little differently from the server's never trips it.
CLIENT_BUDGET_PER_S = 8
LISTENING_ACTIONS = frozenset({START_LISTENING, STOP_LISTENING})

STATUS_PURPOSE = "agent-status"
TRANSCRIPT_PURPOSE = "agent-transcript"


class AgentStatus(str, Enum):
    """Data.Status of QueryAgentInstanceStatus, as the API reference lists it."""

    IDLE = "IDLE"
    LISTENING = "LISTENING"
    THINKING = "THINKING"
    SPEAKING = "SPEAKING"

    @property
    def word(self) -> str:
        """The word the window shows: Idle, Listening, Thinking, Speaking."""
        return self.value.capitalize()

    @property
    def active(self) -> bool:
        """True while a turn is under way."""
        return self is not AgentStatus.IDLE


def status_of(result: ApiResult) -> AgentStatus | None:
    """The agent's status in a QueryAgentInstanceStatus answer; None when it failed or names none."""
    if not result.ok:
        return None
    value = (result.data or {}).get("Status")
    try:
        return AgentStatus(value) if isinstance(value, str) else None
    except ValueError:
        return None


@dataclass(frozen=True)
class TranscriptMessage:
    """One message of GetAgentInstanceMsgList: who said it (user or assistant) and what."""

    role: str
    content: str


def transcript_of(result: ApiResult) -> list[TranscriptMessage] | None:
    """The messages of a GetAgentInstanceMsgList answer, oldest first; None when it failed."""
    if not result.ok:
        return None
    items = (result.data or {}).get("MessageList")
    if not isinstance(items, list):
        return []
    return [
        TranscriptMessage(str(item.get("Role", "")), str(item.get("Content", "")))
        for item in items
        if isinstance(item, dict)
    ]


class RequestBudget:
    """Requests sent per Action in a sliding window of one second.

    Start/Stop are counted but never refused: the operator's hands always go first (a person cannot press
    anywhere near 10 times a second, and the engine collapses presses queued behind a busy server). Every
    other Action is sent only while it is under `per_second` in the last second."""

    def __init__(self, clock: Callable[[], float], per_second: int = CLIENT_BUDGET_PER_S, window_s: float = 1.0) -> None:
        self._clock = clock
        self.per_second = per_second
        self._window_s = window_s
        self._sent: dict[str, collections.deque[float]] = collections.defaultdict(collections.deque)

    def record(self, action: str) -> None:
        """One request of `action` left now."""
        self._sent[action].append(self._clock())

    def sent_in_window(self, action: str) -> int:
        """How many requests of `action` left within the last second."""
        return len(self._recent(action))

    def allows(self, action: str) -> bool:
        """True when one more request of `action` may leave now."""
        return action in LISTENING_ACTIONS or self.sent_in_window(action) < self.per_second

    def wait_s(self, action: str) -> float:
        """How long until `action` is allowed again (0 when it is now)."""
        if self.allows(action):
            return 0.0
        oldest = self._recent(action)[0]
        return max(0.0, oldest + self._window_s - self._clock())

    def _recent(self, action: str) -> collections.deque[float]:
        stamps = self._sent[action]
        horizon = self._clock() - self._window_s
        while stamps and stamps[0] <= horizon:
            stamps.popleft()
        return stamps


@dataclass(frozen=True)
class PollSettings:
    """How often the status is asked; the defaults are what the window uses."""

    # While a turn is active: the light follows listening → thinking → speaking within about a second.
    active_interval_s: float = 1.0
    # While idle: enough to notice an instance that was deleted or began speaking on its own.
    idle_interval_s: float = 5.0
    # After a Start/Stop was answered: soon, to show the turn's next state.
    after_listen_s: float = 0.25
    # After a failed poll (other than "instance gone"): the server or network is in trouble.
    after_failure_s: float = 5.0
    # How soon to look again when a Start/Stop is in the air, or the side senders are all busy.
    defer_s: float = 0.1


# send(request, purpose) -> False when it could not leave now (every side sender busy).
Send = Callable[[ApiRequest, str], bool]


class StatusPoller:
    """Decides when to send QueryAgentInstanceStatus and GetAgentInstanceMsgList for one instance."""

    def __init__(self, scheduler: Scheduler, send: Send, listening_busy: Callable[[], bool], budget: RequestBudget,
                 settings: PollSettings = PollSettings()) -> None:
        self._scheduler = scheduler
        self._send = send
        self._listening_busy = listening_busy
        self._budget = budget
        self.settings = settings
        self._instance_id: str | None = None
        self._timer: TimerHandle | None = None
        self._next_status_at = 0.0
        self._status_in_flight = False
        self._transcript_due = False
        self._transcript_in_flight = False
        self._turn_open = False
        self.gone = False
        self.last_status: AgentStatus | None = None

    @property
    def watching(self) -> str | None:
        """The AgentInstanceId being polled, or None."""
        return self._instance_id

    # --- what the service tells it --------------------------------------------------------------

    def watch(self, agent_instance_id: str) -> None:
        """Poll this instance from now on: its status and transcript at once."""
        self.stop()
        self._instance_id = agent_instance_id or None
        self.gone = False
        self.last_status = None
        self._turn_open = False
        self._transcript_due = True
        self._next_status_at = self._scheduler.monotonic()
        self._plan()

    def stop(self) -> None:
        """No more polls (no session, or quitting); answers still in the air are ignored."""
        self._instance_id = None
        self._cancel_timer()
        self._status_in_flight = False
        self._transcript_in_flight = False

    def listening_answered(self, action: str, result: ApiResult) -> None:
        """A Start/Stop was answered: a turn moves on, so look again soon."""
        if self._instance_id is None or not result.ok:
            return
        self.gone = False
        self._turn_open = True
        self._poll_within(self.settings.after_listen_s)

    def expect_activity(self) -> None:
        """The operator made the agent act (Say, Interrupt): look again soon, and fetch the transcript after."""
        if self._instance_id is None:
            return
        self._turn_open = True
        self._poll_within(self.settings.after_listen_s)

    def request_transcript(self) -> None:
        """Fetch the transcript as soon as the budget and the senders allow."""
        if self._instance_id is None:
            return
        self._transcript_due = True
        self._plan()

    def status_answered(self, result: ApiResult) -> AgentStatus | None:
        """A poll's answer: when to ask next, and whether a turn just ended (transcript due)."""
        self._status_in_flight = False
        if self._instance_id is None:
            return None
        status = status_of(result)
        now = self._scheduler.monotonic()
        if result.code == codes.INSTANCE_NOT_FOUND:
            self.gone = True  # nothing to poll until the instance changes or a press gets through again
            self.last_status = None
            self._cancel_timer()
            return None
        if status is None:
            self._next_status_at = now + self.settings.after_failure_s
        else:
            self._note(status)
            busy = status.active or self._turn_open
            self._next_status_at = now + (self.settings.active_interval_s if busy else self.settings.idle_interval_s)
        self._plan()
        return status

    def transcript_answered(self) -> None:
        """The transcript's answer arrived (the window shows it)."""
        self._transcript_in_flight = False
        self._plan()

    # --- the schedule ------------------------------------------------------------------------------

    def _note(self, status: AgentStatus) -> None:
        if status.active:
            self._turn_open = True
        elif self._turn_open:
            self._turn_open = False
            self._transcript_due = True  # a turn (or a Say) just ended: what was heard and answered
        self.last_status = status

    def _poll_within(self, delay_s: float) -> None:
        self._next_status_at = min(self._next_status_at, self._scheduler.monotonic() + delay_s)
        self._plan()

    def _plan(self) -> None:
        """Arm the one timer for the earliest thing due."""
        self._cancel_timer()
        if self._instance_id is None or self.gone:
            return
        waits = []
        if not self._status_in_flight:
            waits.append(max(self._next_status_at - self._scheduler.monotonic(),
                             self._budget.wait_s(QUERY_AGENT_INSTANCE_STATUS)))
        if self._transcript_due and not self._transcript_in_flight:
            waits.append(self._budget.wait_s(GET_AGENT_INSTANCE_MSG_LIST))
        if waits:
            self._timer = self._scheduler.call_later(max(0.0, min(waits)), self._tick)

    def _tick(self) -> None:
        self._timer = None
        if self._instance_id is None or self.gone:
            return
        if self._listening_busy():
            self._timer = self._scheduler.call_later(self.settings.defer_s, self._tick)
            return
        refused = False
        if self._transcript_due and not self._transcript_in_flight and self._budget.allows(GET_AGENT_INSTANCE_MSG_LIST):
            self._transcript_due, self._transcript_in_flight = False, True
            if not self._try(GET_AGENT_INSTANCE_MSG_LIST, TRANSCRIPT_PURPOSE):
                self._transcript_due, self._transcript_in_flight, refused = True, False, True
        status_due = self._scheduler.monotonic() >= self._next_status_at
        if status_due and not self._status_in_flight and self._budget.allows(QUERY_AGENT_INSTANCE_STATUS):
            # Marked before it leaves: a send that answers at once (nothing sent) finds it in flight.
            self._status_in_flight = True
            if not self._try(QUERY_AGENT_INSTANCE_STATUS, STATUS_PURPOSE):
                self._status_in_flight, refused = False, True
        if refused:
            self._cancel_timer()
            self._timer = self._scheduler.call_later(self.settings.defer_s, self._tick)
        else:
            self._plan()

    def _try(self, action: str, purpose: str) -> bool:
        if self._instance_id is None:
            return True  # stopped by an answer that arrived while sending: nothing more to send
        return self._send(instance_request(action, self._instance_id), purpose)

    def _cancel_timer(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
