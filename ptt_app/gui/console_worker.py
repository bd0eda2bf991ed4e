"""The one worker object of the window: it lives in a QThread and does all network, keyring and journal I/O."""

from __future__ import annotations

import dataclasses
import functools
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from PySide6.QtCore import QObject, QTimer, Signal, Slot

from ptt_app.api.types import (
    ApiRequest,
    ApiResult,
    Credentials,
    InstanceSpec,
    Outcome,
    instance_request,
    listening_request,
)
from ptt_app.session.runtime import (
    ConsoleOptions,
    ConsoleSession,
    DemoStartFailed,
    make_client,
    open_session,
)
from ptt_app.store.credentials import (
    CredentialError,
    CredentialsMissing,
    KeyringCredentialStore,
)
from ptt_app.store.journal import RequestJournal
from ptt_app.store.paths import journal_path
from ptt_app.store.settings import InvalidSettings, ProfileSettings
from ptt_app.talk.intents import ListenIntent
from ptt_app.talk.journaled import CallTarget, JournaledAgentApi
from ptt_app.talk.sequence import SequenceSource

# A Stop whose fate is unknown is sent again (new Sequence) after these pauses, so that a network
# blip never leaves the agent listening; Starts are not retried: the operator presses again.
STOP_RETRY_DELAYS_S = (0.25, 0.5, 1.0)
# A new Start/Stop waits at most this long for the one before it to be answered, so that a responsive
# server receives them in the operator's order; past it, the new one goes out beside the slow one
# (the Sequence rule makes that safe) and a stalled Start never holds back the Stop.
ORDER_GRACE_S = 0.05
PENDING_ROW_DELAY_MS = 30
_RETRYABLE = {Outcome.TIMEOUT, Outcome.TRANSPORT_ERROR, Outcome.HTTP_ERROR, Outcome.BAD_BODY}


@dataclass(frozen=True)
class SessionInfo:
    """What the window needs to know about an opened session."""

    profile_name: str
    profile: ProfileSettings
    app_id: int
    demo: bool
    sequences: SequenceSource
    backend_note: str


class SessionProblem:
    """Kinds of `session_failed`, so the window can offer the right way out."""

    CREDENTIALS_MISSING = "credentials_missing"
    KEYRING = "keyring"
    SETTINGS = "settings"
    DEMO = "demo"


@dataclass
class _Flight:
    """One request in the air: enough to journal and report its answer."""

    api: JournaledAgentApi
    row_id: int
    purpose: str
    intent: ListenIntent | None = None
    landed: bool = False


def _not_connected(action: str, sequence: int | None = None) -> ApiResult:
    """The answer to a call made while no session is open: nothing was sent."""
    return ApiResult(action, sequence, time.time(), 0.0, Outcome.TRANSPORT_ERROR, None, None,
                     "not connected: no session is open (check Settings); nothing was sent", None)


class ConsoleWorker(QObject):
    """Receives intents by queued signals, journals them, sends them on a small pool, reports back."""

    session_ready = Signal(object)
    session_failed = Signal(str, str)
    journal_changed = Signal(object)
    listen_answered = Signal(object, object, bool)
    call_answered = Signal(str, object)
    credentials_saved = Signal(str)
    credentials_failed = Signal(str)
    drained = Signal()
    export_finished = Signal(str)
    _flight_landed = Signal(object, object)

    def __init__(self, credential_store: KeyringCredentialStore | None = None) -> None:
        super().__init__()
        self._credential_store = credential_store or KeyringCredentialStore()
        self._journal: RequestJournal | None = None
        self._session: ConsoleSession | None = None
        self._retired: list[ConsoleSession] = []
        self._executor: ThreadPoolExecutor | None = None
        self._listen_in_flight = 0
        self._calls_in_flight = 0
        self._pending: ListenIntent | None = None
        self._newest_flight: tuple[int, float] | None = None
        self._latest_origin: int | None = None
        self._retries_scheduled = 0
        self._draining = False
        self._max_in_flight = 3
        self._sequences: SequenceSource | None = None
        self._flight_landed.connect(self._on_flight_landed)

    # --- session -----------------------------------------------------------------------------

    @Slot(object)
    def open_session(self, options: ConsoleOptions) -> None:
        """Open (or reopen) the session for a profile, or the demo; answers with session_ready/failed."""
        if self._journal is None:
            self._journal = RequestJournal(journal_path())
        try:
            session = open_session(options, self._credential_store, journal=self._journal)
        except CredentialsMissing as error:
            self.session_failed.emit(SessionProblem.CREDENTIALS_MISSING, str(error))
            return
        except CredentialError as error:
            self.session_failed.emit(SessionProblem.KEYRING, str(error))
            return
        except InvalidSettings as error:
            self.session_failed.emit(SessionProblem.SETTINGS, f"invalid settings: {error}")
            return
        except DemoStartFailed as error:
            self.session_failed.emit(SessionProblem.DEMO, str(error))
            return
        self._replace_session(session)
        self.session_ready.emit(self._session_info(session))

    @Slot(str)
    def use_instance(self, agent_instance_id: str) -> None:
        """Talk to another instance in the same session (the demo keeps its simulator this way)."""
        if self._session is None:
            return
        self._session.profile = dataclasses.replace(self._session.profile, agent_instance_id=agent_instance_id)
        self.session_ready.emit(self._session_info(self._session))

    def _session_info(self, session: ConsoleSession) -> SessionInfo:
        return SessionInfo(
            profile_name=session.profile_name,
            profile=session.profile,
            app_id=session.client.app_id,
            demo=session.demo is not None,
            # Seeded per instance and user: the journal's high-water mark for that key.
            sequences=session.sequence_source(),
            backend_note="embedded demo simulator" if session.demo else self._credential_store.backend_name(),
        )

    def _replace_session(self, session: ConsoleSession) -> None:
        if self._session is not None:
            self._retired.append(self._session)
        self._session = session
        self._max_in_flight = session.profile.max_in_flight
        self._close_retired_if_idle()

    # --- listening -----------------------------------------------------------------------------

    @Slot(object)
    def listen(self, intent: ListenIntent) -> None:
        """Send a Start/Stop now, or hold it as the one pending intent while the pool is full."""
        self._latest_origin = intent.origin_sequence
        if self._session is None:
            self._answer_without_session(intent)
            return
        if self._pending is not None:
            self._supersede(self._pending, intent)
        self._pending = intent
        self._dispatch_pending()

    def _dispatch_pending(self) -> None:
        if self._pending is None or self._session is None or self._listen_in_flight >= self._max_in_flight:
            return
        wait_s = self._order_wait_s()
        if wait_s > 0:
            QTimer.singleShot(max(1, int(wait_s * 1000) + 1), self._dispatch_pending)
            return
        pending, self._pending = self._pending, None
        self._send_listen(pending)

    def _order_wait_s(self) -> float:
        if self._newest_flight is None:
            return 0.0
        return ORDER_GRACE_S - (time.monotonic() - self._newest_flight[1])

    def _send_listen(self, intent: ListenIntent) -> None:
        session = self._session
        assert session is not None
        target = session.api.target(session.profile.agent_instance_id, session.profile.user_id)
        request = listening_request(intent.action, target.agent_instance_id, target.user_id, intent.sequence)
        self._listen_in_flight += 1
        row_id = self._launch(session.api, target, request, "listen", intent)
        self._newest_flight = (row_id, time.monotonic())

    def _supersede(self, old: ListenIntent, new: ListenIntent) -> None:
        session = self._session
        assert session is not None
        entry = session.api.journal.record_superseded(
            profile=session.profile_name,
            app_id=session.client.app_id,
            agent_instance_id=session.profile.agent_instance_id,
            user_id=session.profile.user_id,
            action=old.action,
            sequence=old.sequence,
            reason=f"superseded by {new.action} Sequence {new.sequence} while the server was busy; not sent",
        )
        self.journal_changed.emit(entry)

    def _answer_without_session(self, intent: ListenIntent) -> None:
        self.listen_answered.emit(intent, _not_connected(intent.action, intent.sequence), True)

    # --- other calls -----------------------------------------------------------------------------

    @Slot(str, str)
    def instance_call(self, action: str, agent_instance_id: str) -> None:
        """QueryAgentInstanceStatus / DeleteAgentInstance / InterruptAgentInstance; answers call_answered(action, result)."""
        if self._session is None:
            self.call_answered.emit(action, _not_connected(action))
            return
        api = self._session.api
        self._calls_in_flight += 1
        self._launch(api, api.target(agent_instance_id, ""), instance_request(action, agent_instance_id), action)

    @Slot(object)
    def create_instance(self, spec: InstanceSpec) -> None:
        """CreateAgentInstance; answers call_answered("CreateAgentInstance", result)."""
        if self._session is None:
            self.call_answered.emit("CreateAgentInstance", _not_connected("CreateAgentInstance"))
            return
        api = self._session.api
        self._calls_in_flight += 1
        self._launch(api, api.target("", spec.user_id), spec.as_request(), "CreateAgentInstance")

    @Slot(str, object, object)
    def test_connection(self, profile_name: str, profile: ProfileSettings, credentials: Credentials | None) -> None:
        """One signed QueryAgentInstanceStatus with the given settings; answers call_answered("test", result)."""
        if self._journal is None:
            self._journal = RequestJournal(journal_path())
        try:
            credentials = credentials or self._credential_store.load(profile_name)
        except CredentialError as error:
            self.credentials_failed.emit(str(error))
            return
        api = JournaledAgentApi(make_client(credentials, profile), self._journal, profile_name)
        self._calls_in_flight += 1
        instance = profile.agent_instance_id or "connection-test"
        self._launch(api, api.target(instance, ""), instance_request("QueryAgentInstanceStatus", instance), "test")

    @Slot(str, object)
    def save_credentials(self, profile_name: str, credentials: Credentials) -> None:
        """Write credentials to the keyring off the GUI thread."""
        try:
            self._credential_store.save(profile_name, credentials)
        except CredentialError as error:
            self.credentials_failed.emit(str(error))
            return
        self.credentials_saved.emit(f"AppId and ServerSecret saved in the {self._credential_store.backend_name()} keyring")

    @Slot(str, str)
    def export_journal(self, destination: str, kind: str) -> None:
        """Write the whole journal as "csv" or "json" off the GUI thread; answers export_finished(text)."""
        from pathlib import Path

        if self._journal is None:
            self._journal = RequestJournal(journal_path())
        try:
            export = self._journal.export_json if kind == "json" else self._journal.export_csv
            export(Path(destination))
        except OSError as error:
            self.export_finished.emit(f"Export failed: {destination}: {error.strerror or error}")
            return
        self.export_finished.emit(f"Exported {self._journal.count()} rows to {destination}")

    # --- flights -----------------------------------------------------------------------------------

    def _launch(self, api: JournaledAgentApi, target: CallTarget, request: ApiRequest,
                purpose: str, intent: ListenIntent | None = None) -> int:
        # Journaled before it leaves: a crash from here on leaves a "sent, no answer" row.
        row_id = api.begin(target, request, time.time())
        flight = _Flight(api, row_id, purpose, intent)
        call: Callable[[], ApiResult] = functools.partial(api.client.send, request)
        if self._executor is None:
            # Room for the most listening requests a profile allows plus instance calls and a
            # connection test (which may run before any session opened).
            self._executor = ThreadPoolExecutor(max_workers=8 + 2, thread_name_prefix="ptt-send")
        self._executor.submit(self._fly, flight, call)
        # The "sent…" row is shown only if the answer is slow: a repaint of the log while the request
        # is on its way would compete with the sender thread for the GIL on every press.
        QTimer.singleShot(PENDING_ROW_DELAY_MS, lambda: self._show_pending(flight))
        return row_id

    def _show_pending(self, flight: _Flight) -> None:
        if not flight.landed and self._journal is not None:
            entry = flight.api.journal.get(flight.row_id)
            if entry is not None:
                self.journal_changed.emit(entry)

    def _fly(self, flight: _Flight, call: Callable[[], ApiResult]) -> None:
        # Runs on a pool thread; the signal carries the answer back to the worker's thread.
        try:
            result = call()
        except Exception as error:  # the client never raises; this is the last line of defence
            result = ApiResult("?", None, time.time(), 0.0, Outcome.TRANSPORT_ERROR, None, None,
                               f"internal error: {type(error).__name__}: {error}", None)
        self._flight_landed.emit(flight, result)

    @Slot(object, object)
    def _on_flight_landed(self, flight: _Flight, result: ApiResult) -> None:
        flight.landed = True
        if self._journal is None:
            return  # closed after the drain deadline: the row stays "sent", read as "no answer" later
        self.journal_changed.emit(flight.api.finish(flight.row_id, result))
        if flight.intent is None:
            self._calls_in_flight -= 1
            self.call_answered.emit(flight.purpose, result)
        else:
            self._listen_in_flight -= 1
            if self._newest_flight is not None and self._newest_flight[0] == flight.row_id:
                self._newest_flight = None
            self._after_listen(flight.intent, result)
        self._dispatch_pending()
        self._close_retired_if_idle()
        self._drain_check()

    def _after_listen(self, intent: ListenIntent, result: ApiResult) -> None:
        retry = (
            intent.is_stop
            and not result.ok
            and result.outcome in _RETRYABLE
            and intent.attempt <= len(STOP_RETRY_DELAYS_S)
            and intent.origin_sequence == self._latest_origin
            and self._session is not None
        )
        self.listen_answered.emit(intent, result, not retry)
        if retry:
            self._retries_scheduled += 1
            QTimer.singleShot(int(STOP_RETRY_DELAYS_S[intent.attempt - 1] * 1000), lambda: self._retry_stop(intent))

    def _retry_stop(self, intent: ListenIntent) -> None:
        self._retries_scheduled -= 1
        session = self._session
        if intent.origin_sequence == self._latest_origin and session is not None and self._sequences is not None:
            self.listen(intent.retried(self._sequences.next()))
        self._drain_check()

    @Slot(object)
    def use_sequences(self, sequences: SequenceSource) -> None:
        """Share the window's Sequence source, so that retries number above every press and release."""
        self._sequences = sequences

    # --- shutdown -----------------------------------------------------------------------------------

    @Slot(float)
    def drain(self, deadline_s: float) -> None:
        """Finish what is in the air (Stops above all), then emit drained; give up after deadline_s."""
        self._draining = True
        QTimer.singleShot(int(deadline_s * 1000), self._give_up_drain)
        self._drain_check()

    def _outstanding(self) -> int:
        return self._listen_in_flight + self._calls_in_flight + self._retries_scheduled + (1 if self._pending else 0)

    def _drain_check(self) -> None:
        if self._draining and self._outstanding() == 0:
            self._finish_drain()

    def _give_up_drain(self) -> None:
        if self._draining:
            self._finish_drain()

    def _finish_drain(self) -> None:
        self._draining = False
        self.close()
        self.drained.emit()

    @Slot()
    def close(self) -> None:
        """Release everything; rows still in the air stay PENDING and become "no answer" on next start."""
        if self._executor is not None:
            self._executor.shutdown(wait=False, cancel_futures=True)
        for session in [*self._retired, *([self._session] if self._session else [])]:
            session.close(close_journal=False)
        self._retired.clear()
        self._session = None
        if self._journal is not None:
            self._journal.close()
            self._journal = None

    def _close_retired_if_idle(self) -> None:
        if self._retired and self._listen_in_flight == 0 and self._calls_in_flight == 0:
            for session in self._retired:
                session.close(close_journal=False)
            self._retired.clear()
