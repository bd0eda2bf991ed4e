"""The dispatch engine: the push-to-talk protocol between the operator's intents and the wire.

It owns every rule that keeps the agent from being left listening: the latest press or release wins,
a new Start/Stop waits a short ordering grace for the one before it, intents queued behind a busy server
collapse into the newest (the replaced ones are journaled as superseded), at most `max_in_flight`
listening requests are in the air, a Stop with no answer by its deadline is resent once on a fresh
connection, a Stop whose fate is unknown is retried with a new Sequence, a Start/Stop whose first attempt's
answer was lost (the client's resend of the same Sequence is answered 410001043) is asked again under a new
Sequence, and quitting drains the Stops.

The Stop deadline follows the path (StopDeadline): three times the median answer time of the last 16
Start/Stops, never below 0.3 s nor above 2 s; 0.5 s until three have been answered. A dead connection
(a NAT that dropped it: no FIN, no RST) would hold a Stop until the read timeout; the resend on a fresh
connection costs a TCP and a TLS handshake and one more one-way trip (2.5 RTT), so the agent stops
about deadline + 2.5 RTT after the release: measured through the window over HTTPS
(bench/stalled_release.py), 0.31 s at 0 ms RTT, 0.44 s at 50 ms and 0.85 s at 150 ms (deadline 0.47 s).

Qt-free and single-threaded: every method runs on one thread (the window's worker thread, or the CLI's
loop). Time comes from an injected Scheduler and answers arrive through `on_answer`, so tests drive it
without Qt and without sleeping.
"""

from __future__ import annotations

import itertools
import logging
import statistics
import time
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from ptt_app.api.types import STOP_LISTENING, ApiRequest, ApiResult, Outcome, listening_request
from ptt_app.store.journal import JournalEntry, JournalError
from ptt_app.talk.intents import ListenIntent, answer_was_lost, confirms
from ptt_app.talk.journaled import CallJournal, CallTarget
from ptt_app.talk.sequence import SequenceSource
from ptt_app.translatable import QT_TR_NOOP

_log = logging.getLogger(__name__)

# Outcomes after which a Stop may not have reached the server: it is sent again under a new Sequence.
RETRYABLE_OUTCOMES = frozenset({Outcome.TIMEOUT, Outcome.TRANSPORT_ERROR, Outcome.HTTP_ERROR, Outcome.BAD_BODY})
# A Start/Stop whose answer was lost is asked again under a new Sequence until its attempt number passes this.
LOST_ANSWER_ATTEMPTS = 3
# Timers tick in milliseconds: a wait shorter than that is no wait (and cannot loop on rounding).
_TIMER_RESOLUTION_S = 0.001
NOT_CONNECTED = QT_TR_NOOP("not connected: no session is open (check Settings); nothing was sent")


class TimerHandle(Protocol):
    """A scheduled callback that can be called off."""

    def cancel(self) -> None:
        """Do not run the callback (no effect once it ran)."""
        ...


class Scheduler(Protocol):
    """The engine's clock and timers, on the engine's own thread."""

    def monotonic(self) -> float:
        """Seconds on a clock that never steps."""
        ...

    def call_later(self, delay_s: float, callback: Callable[[], None]) -> TimerHandle:
        """Run callback on the engine's thread after delay_s."""
        ...


class Transport(Protocol):
    """Sends requests off the engine's thread; each answer comes back as engine.on_answer(ticket, result)."""

    def submit(self, ticket: int, request: ApiRequest, fresh_connection: bool) -> None:
        """Send one request; fresh_connection avoids every connection opened before."""
        ...

    def suspect_connections(self) -> None:
        """The path of the idle connections may be dead: let every sender open a fresh one next time."""
        ...


class EngineListener(Protocol):
    """What the engine reports, on its own thread."""

    def journal_changed(self, entry: JournalEntry) -> None:
        """A journal row was written or changed."""
        ...

    def listen_answered(self, intent: ListenIntent, result: ApiResult, final: bool) -> None:
        """A Start/Stop ended; final is False when it will be sent again."""
        ...

    def call_answered(self, purpose: str, result: ApiResult) -> None:
        """Any other call ended."""
        ...

    def drained(self) -> None:
        """Every Stop is answered (or the drain deadline passed): safe to quit."""
        ...

    def journal_failed(self, message: str) -> None:
        """A call could not be journaled; a Stop was sent anyway, anything else was not sent."""
        ...


@dataclass(frozen=True)
class StopDeadline:
    """How long a Stop may go unanswered before it is resent on a fresh connection: `answer_multiple` times
    the median answer time of the last `window` Start/Stops, within [floor_s, ceiling_s]; initial_s until
    `min_answers` have been timed."""

    # Well above a healthy answer (a few ms on a LAN, RTT plus server time on the Internet), so server-side
    # jitter and a GC pause do not resend Stops that were merely slow; still far below the read timeout.
    floor_s: float = 0.3
    # An answer three times slower than usual is no longer "slow": the connection is the likelier cause.
    answer_multiple: float = 3.0
    # A path this slow is on its last legs anyway; waiting longer would hold the agent listening.
    ceiling_s: float = 2.0
    # Until enough answers are timed (a Stop right after the session opened): 0.5 s brings the agent to a stop
    # within 1 s of the release up to about 150 ms RTT; on a slower path a Stop may be resent needlessly,
    # which costs one request (the Sequence rule makes it harmless).
    initial_s: float = 0.5
    # The median of this many recent answers: a few stalled answers among them do not move it.
    window: int = 16
    # Fewer answers than this say too little: the first press of a session may have waited for its
    # connection's handshakes, and one such answer would otherwise set the deadline alone.
    min_answers: int = 3

    def __post_init__(self) -> None:
        if not 0 < self.floor_s <= self.initial_s <= self.ceiling_s:
            raise ValueError("need 0 < floor_s <= initial_s <= ceiling_s")
        if self.answer_multiple <= 0 or not 1 <= self.min_answers <= self.window:
            raise ValueError("need answer_multiple > 0 and 1 <= min_answers <= window")

    def after(self, answer_times_s: Sequence[float]) -> float:
        """The deadline, given the answer times (seconds) of the most recent Start/Stops, newest last."""
        recent = list(answer_times_s)[-self.window:]
        if len(recent) < self.min_answers:
            return self.initial_s
        return min(self.ceiling_s, max(self.floor_s, self.answer_multiple * statistics.median(recent)))


@dataclass(frozen=True)
class EngineSettings:
    """The protocol's timings; the defaults are what the window and the CLI use."""

    max_in_flight: int = 3
    # A new Start/Stop waits at most this long for the one before it to be answered, so that a responsive
    # server receives them in the operator's order; past it, the new one goes out beside the slow one (the
    # Sequence rule makes that safe) and a stalled Start never holds back the Stop.
    order_grace_s: float = 0.05
    # A Stop whose fate is unknown is sent again (new Sequence) after these pauses; Starts are not
    # retried: the operator presses again.
    stop_retry_delays_s: tuple[float, ...] = (0.25, 0.5, 1.0)
    # A Stop with no answer by this deadline is resent at once on a fresh connection (None: off): a dead
    # connection must not hold the agent listening for a whole read timeout.
    stop_deadline: StopDeadline | None = StopDeadline()
    # The "sent…" row is shown only if the answer is slow: repainting the log while the request is on its
    # way would compete with the sender thread for the GIL on every press.
    pending_row_delay_s: float = 0.03


@dataclass
class _Flight:
    """One request in the air."""

    ticket: int
    row_id: int | None  # None: a Stop sent although the journal could not record it
    purpose: str
    target: CallTarget
    request: ApiRequest
    transport: Transport
    launched_at: float
    intent: ListenIntent | None = None
    landed: bool = False
    timers: list[TimerHandle] = field(default_factory=list)
    binding: _Binding | None = None  # a Start/Stop's session: its resends and retries go there, whatever came since


@dataclass(eq=False)
class _Binding:
    """Where listening requests go: a session's target, transport and Sequence source, and what the operator
    last did on it. A session replaced while its Stop is unfinished keeps its binding until the Stop ends."""

    target: CallTarget
    transport: Transport
    sequences: SequenceSource
    latest_origin: int | None = None
    # Only the latest action's attempts can be current (_is_current): older ones are forgotten, or the map
    # would grow by one entry per press and release for as long as the app runs.
    latest_attempt: dict[int, int] = field(default_factory=dict)
    # The highest Sequence sent: an intent numbered on the GUI thread before a resend took a higher one on
    # this thread is renumbered above it, so that the server never ignores the operator's newer action.
    highest_sent: int | None = None


@dataclass
class _Pending:
    """The one intent waiting to go out, and the session it is for."""

    intent: ListenIntent
    binding: _Binding


@dataclass
class _RetryTimer:
    """A Stop's retry, due later on a transport (which must stay open until then)."""

    timer: TimerHandle
    transport: Transport


class DispatchEngine:
    """Journals, sends and follows up every call; see the module docstring for the rules."""

    def __init__(
        self,
        journal: CallJournal,
        scheduler: Scheduler,
        listener: EngineListener,
        settings: EngineSettings = EngineSettings(),
        wall_clock: Callable[[], float] = time.time,
    ) -> None:
        self._journal = journal
        self._scheduler = scheduler
        self._listener = listener
        self.settings = settings
        self._wall_clock = wall_clock
        self._binding: _Binding | None = None
        self._tickets = itertools.count(1)
        self._flights: dict[int, _Flight] = {}
        self._pending: _Pending | None = None
        self._dispatch_timer: TimerHandle | None = None
        self._retry_timers: list[_RetryTimer] = []
        self._draining = False
        self._drain_timer: TimerHandle | None = None
        # Seconds from launch to answer of recent Start/Stops that got an HTTP answer on the first attempt.
        self._answer_times = _answer_times_for(settings)

    # --- session ------------------------------------------------------------------------------

    def bind(self, target: CallTarget, transport: Transport, sequences: SequenceSource, settings: EngineSettings) -> None:
        """Send listening requests to this instance and user from now on."""
        if self._binding is None or self._binding.transport is not transport:
            self._answer_times = _answer_times_for(settings)  # another session: another path
        self._flush_pending()
        self._binding = _Binding(target, transport, sequences)
        self.settings = settings
        self._dispatch()

    def unbind(self) -> None:
        """No session: new intents are answered "not connected"; flights in the air still land, and an intent
        still waiting goes out now to the session it was made for, as will a Stop's resends and retries."""
        self._flush_pending()
        self._binding = None

    def _flush_pending(self) -> None:
        """Send the waiting intent now, without its ordering wait: its session is being replaced. (Overtaking
        the Start in flight is safe: the Sequence rule makes the server ignore the older one.)"""
        if self._pending is None:
            return
        pending, self._pending = self._pending, None
        if self._dispatch_timer is not None:
            self._dispatch_timer.cancel()
            self._dispatch_timer = None
        self._send_listen(pending.intent, False, pending.binding)

    def stop_deadline_s(self) -> float | None:
        """How long a Stop sent now may go unanswered before it is resent on a fresh connection (None: never)."""
        rule = self.settings.stop_deadline
        return None if rule is None else rule.after(self._answer_times)

    def in_flight_on(self, transport: Transport) -> int:
        """How many requests are in the air or due for a retry on a transport (it may be closed at 0)."""
        flying = sum(1 for flight in self._flights.values() if flight.transport is transport)
        return flying + sum(1 for retry in self._retry_timers if retry.transport is transport)

    # --- listening ----------------------------------------------------------------------------

    def listen(self, intent: ListenIntent) -> None:
        """An operator's press or release: send it now, or hold it as the one pending intent."""
        binding = self._binding
        if binding is None:
            self._listener.listen_answered(intent, self._not_connected(intent.action, intent.sequence), True)
            return
        binding.latest_origin = intent.origin_sequence
        binding.latest_attempt = {intent.origin_sequence: intent.attempt}
        if self._pending is not None:
            self._supersede(self._pending, intent)
        self._pending = _Pending(intent, binding)
        self._dispatch()

    def _dispatch(self) -> None:
        if self._dispatch_timer is not None:
            self._dispatch_timer.cancel()  # the wait is worked out again from now
            self._dispatch_timer = None
        if self._pending is None or self._binding is None:
            return
        binding = self._pending.binding
        if self._listen_flights(binding) >= self.settings.max_in_flight:
            return  # the next landing dispatches it
        wait_s = self._order_wait_s(binding)
        if wait_s >= _TIMER_RESOLUTION_S:
            self._dispatch_timer = self._scheduler.call_later(wait_s, self._dispatch_after_wait)
            return
        pending, self._pending = self._pending, None
        self._send_listen(pending.intent, False, pending.binding)

    def _dispatch_after_wait(self) -> None:
        self._dispatch_timer = None
        self._dispatch()

    def _order_wait_s(self, binding: _Binding) -> float:
        newest = max((f.launched_at for f in self._flights.values() if f.intent and f.binding is binding),
                     default=None)
        if newest is None:
            return 0.0
        return self.settings.order_grace_s - (self._scheduler.monotonic() - newest)

    def _send_listen(self, intent: ListenIntent, fresh_connection: bool, binding: _Binding) -> None:
        if binding.highest_sent is not None and intent.sequence <= binding.highest_sent:
            intent = intent.renumbered(binding.sequences.next())
        binding.highest_sent = intent.sequence
        target = binding.target
        request = listening_request(intent.action, target.agent_instance_id, target.user_id, intent.sequence)
        flight = self._launch(request, target, binding.transport, "listen", intent, fresh_connection, binding)
        deadline_s = self.stop_deadline_s()
        # Once on a fresh connection, silence means a slow server or a dead path, which another fresh
        # connection would not cure: the failure's retries (stop_retry_delays_s) take over from there.
        if flight is not None and intent.is_stop and not fresh_connection and deadline_s is not None:
            flight.timers.append(self._scheduler.call_later(deadline_s, lambda: self._stop_overdue(flight, deadline_s)))

    def _stop_overdue(self, flight: _Flight, deadline_s: float) -> None:
        intent, binding = flight.intent, flight.binding
        assert intent is not None and binding is not None
        if flight.landed or not self._is_current(intent, binding):
            return
        _log.info("%s Sequence %s has no answer after %.2f s: resending on a fresh connection",
                  intent.action, intent.sequence, deadline_s)
        # The other senders' idle connections went the same way (a NAT that forgot the path forgot them
        # all): without this, the next press would wait a whole read timeout on one of them.
        flight.transport.suspect_connections()
        self._resend(intent, True, binding)

    def _resend(self, intent: ListenIntent, fresh_connection: bool, binding: _Binding) -> None:
        again = intent.retried(binding.sequences.next())
        binding.latest_attempt[intent.origin_sequence] = again.attempt
        self._send_listen(again, fresh_connection, binding)

    def _supersede(self, pending: _Pending, new: ListenIntent) -> None:
        old = pending.intent
        target = pending.binding.target
        request = listening_request(old.action, target.agent_instance_id, target.user_id, old.sequence)
        reason = QT_TR_NOOP(
            "superseded by {action} Sequence {sequence} while the server was busy; not sent"
        ).format(action=new.action, sequence=new.sequence)
        self._listener.journal_changed(self._journal.superseded(target, request, old.acted_wall, reason))

    @staticmethod
    def _is_current(intent: ListenIntent, binding: _Binding) -> bool:
        """The operator has not acted since on that session, and no later attempt of this action went out."""
        return (intent.origin_sequence == binding.latest_origin
                and binding.latest_attempt.get(intent.origin_sequence) == intent.attempt)

    def _listen_flights(self, binding: _Binding | None = None) -> int:
        """Start/Stops in the air (on one session's binding, if given)."""
        return sum(1 for flight in self._flights.values()
                   if flight.intent is not None and (binding is None or flight.binding is binding))

    # --- other calls --------------------------------------------------------------------------

    def call(self, request: ApiRequest, purpose: str, target: CallTarget | None = None,
             transport: Transport | None = None) -> None:
        """Any call but Start/Stop; answered through call_answered(purpose, result)."""
        if transport is None and self._binding is None:
            self._listener.call_answered(purpose, self._not_connected(request.action, None))
            return
        binding = self._binding
        chosen_target = target or (binding.target if binding else None)
        chosen_transport = transport or (binding.transport if binding else None)
        assert chosen_target is not None and chosen_transport is not None
        self._launch(request, chosen_target, chosen_transport, purpose, None, False, None)

    # --- flights ------------------------------------------------------------------------------

    def _launch(self, request: ApiRequest, target: CallTarget, transport: Transport, purpose: str,
                intent: ListenIntent | None, fresh_connection: bool, binding: _Binding | None) -> _Flight | None:
        # Journaled before it leaves: a crash from here on leaves a "sent, no answer" row.
        try:
            row_id: int | None = self._journal.begin(target, request, self._wall_clock())
        except JournalError as error:
            self._listener.journal_failed(str(error))
            if request.action != STOP_LISTENING:
                self._answer_unsent(intent, purpose, request, str(error))
                return None
            row_id = None  # a Stop goes out even unjournaled: never leave the agent listening
        flight = _Flight(next(self._tickets), row_id, purpose, target, request, transport,
                         self._scheduler.monotonic(), intent, binding=binding)
        self._flights[flight.ticket] = flight
        transport.submit(flight.ticket, request, fresh_connection)
        flight.timers.append(self._scheduler.call_later(self.settings.pending_row_delay_s, lambda: self._show_pending(flight)))
        return flight

    def _answer_unsent(self, intent: ListenIntent | None, purpose: str, request: ApiRequest, reason: str) -> None:
        result = self._not_sent(request.action, request.sequence, reason)
        if intent is not None:
            self._listener.listen_answered(intent, result, True)
        else:
            self._listener.call_answered(purpose, result)

    def _show_pending(self, flight: _Flight) -> None:
        if not flight.landed and flight.row_id is not None:
            entry = self._journal.entry(flight.row_id)
            if entry is not None:
                self._listener.journal_changed(entry)

    def on_resend(self, ticket: int, first: ApiResult) -> None:
        """The transport got no answer to a request's first attempt and is resending it as it was (same
        Sequence) on a fresh connection: the first attempt's row ends, the resend gets its own."""
        flight = self._flights.get(ticket)
        if flight is None or flight.row_id is None:
            return
        self._listener.journal_changed(self._journal.finish(flight.row_id, first))
        try:
            flight.row_id = self._journal.begin(flight.target, flight.request, self._wall_clock())
        except JournalError as error:
            flight.row_id = None
            self._listener.journal_failed(str(error))
            return
        entry = self._journal.entry(flight.row_id)
        if entry is not None:
            self._listener.journal_changed(entry)

    def on_answer(self, ticket: int, result: ApiResult) -> None:
        """A transport's answer to a submitted request (on the engine's thread)."""
        flight = self._flights.pop(ticket, None)
        if flight is None:
            return
        flight.landed = True
        for timer in flight.timers:
            timer.cancel()
        self._time_answer(flight, result)
        if flight.row_id is not None:
            self._journal_answer(flight.row_id, result)
        if flight.intent is None:
            self._listener.call_answered(flight.purpose, result)
        else:
            assert flight.binding is not None
            self._after_listen(flight.intent, result, flight.binding)
        self._dispatch()
        self._check_drained()

    def _journal_answer(self, row_id: int, result: ApiResult) -> None:
        try:
            self._listener.journal_changed(self._journal.finish(row_id, result))
        except JournalError as error:
            # The answer still counts (a failed Stop is still retried); the row stays "sent, no answer".
            self._listener.journal_failed(str(error))

    def _time_answer(self, flight: _Flight, result: ApiResult) -> None:
        """Learn the path's answer time from a Start/Stop answered on its first attempt (a timeout, a dead
        connection or a client resend says nothing about how long a healthy answer takes)."""
        if flight.intent is not None and result.http_status is not None and not result.resent:
            self._answer_times.append(self._scheduler.monotonic() - flight.launched_at)

    def _after_listen(self, intent: ListenIntent, result: ApiResult, binding: _Binding) -> None:
        if self._ask_again_after_lost_answer(intent, result, binding):
            return
        retry = (
            intent.is_stop
            and not confirms(result)
            and (result.outcome in RETRYABLE_OUTCOMES or answer_was_lost(result))
            and intent.attempt <= len(self.settings.stop_retry_delays_s)
            and self._is_current(intent, binding)
        )
        overtaken = intent.origin_sequence == binding.latest_origin and not self._is_current(intent, binding)
        if overtaken and not confirms(result):
            # An earlier attempt failing after a later one went out (typically a late 410001043) decides nothing
            # and is not reported: the later attempt decides, and this one's row is in the journal.
            return
        self._listener.listen_answered(intent, result, not retry)
        if retry:
            delay_s = self.settings.stop_retry_delays_s[intent.attempt - 1]
            _log.info("StopListening Sequence %s failed (%s): sending it again in %.2f s under a new Sequence",
                      intent.sequence, result.outcome.value, delay_s)
            holder: list[_RetryTimer] = []
            timer = self._scheduler.call_later(delay_s, lambda: self._retry_stop(intent, binding, holder[0]))
            holder.append(_RetryTimer(timer, binding.transport))
            self._retry_timers.append(holder[0])

    def _ask_again_after_lost_answer(self, intent: ListenIntent, result: ApiResult, binding: _Binding) -> bool:
        """The first attempt reached the server but how it ended is unknown (it may have failed, 410001046 say):
        the action goes out again at once under a new Sequence, whose answer decides. True if it did."""
        if not (answer_was_lost(result) and self._is_current(intent, binding) and intent.attempt < LOST_ANSWER_ATTEMPTS):
            return False
        self._listener.listen_answered(intent, result, False)
        _log.info("%s Sequence %s: the first attempt's answer was lost; asking again under a new Sequence",
                  intent.action, intent.sequence)
        self._resend(intent, False, binding)
        return True

    def _retry_stop(self, intent: ListenIntent, binding: _Binding, retry: _RetryTimer) -> None:
        self._retry_timers = [r for r in self._retry_timers if r is not retry]
        if self._is_current(intent, binding):
            if binding is self._binding:
                # In order behind anything still in the air on this session.
                self.listen(intent.retried(binding.sequences.next()))
            else:
                self._resend(intent, False, binding)  # its session was replaced: straight to it
        self._check_drained()

    # --- quitting -----------------------------------------------------------------------------

    def drain(self, deadline_s: float) -> None:
        """Wait for every Start/Stop in the air and every Stop retry, then report drained; give up after
        deadline_s. Other calls (status, instance actions) are not waited for."""
        self._draining = True
        self._drain_timer = self._scheduler.call_later(deadline_s, self._finish_drain)
        self._check_drained()

    def busy_with_listening(self) -> bool:
        """True while a Start/Stop is in the air, pending or about to be retried."""
        return bool(self._listen_flights() or self._pending or self._retry_timers)

    def _check_drained(self) -> None:
        if self._draining and not self.busy_with_listening():
            self._finish_drain()

    def _finish_drain(self) -> None:
        if not self._draining:
            return
        self._draining = False
        if self._drain_timer is not None:
            self._drain_timer.cancel()
        for timer in [*(r.timer for r in self._retry_timers), *([self._dispatch_timer] if self._dispatch_timer else [])]:
            timer.cancel()
        self._retry_timers.clear()
        self._listener.drained()

    def _not_connected(self, action: str, sequence: int | None) -> ApiResult:
        return self._not_sent(action, sequence, NOT_CONNECTED)

    def _not_sent(self, action: str, sequence: int | None, reason: str) -> ApiResult:
        return ApiResult(action, sequence, self._wall_clock(), 0.0, Outcome.NOT_SENT, None, None, reason, None)


def _answer_times_for(settings: EngineSettings) -> deque[float]:
    """An empty record of answer times, as long as the settings' Stop deadline rule looks back."""
    return deque(maxlen=settings.stop_deadline.window if settings.stop_deadline else 1)
