"""The console's I/O side, Qt-free: journal, sessions, sender threads and the dispatch engine.

One ConsoleService lives on one thread (the window's worker thread, or the CLI's loop) and does all
network, keyring, settings and journal I/O there. Sender threads hand answers back through `post`,
which runs a callback on that thread; nothing else crosses threads.
"""

from __future__ import annotations

import dataclasses
import functools
import logging
import time
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Protocol

from ptt_app.api.sender_pool import SenderPool
from ptt_app.api.types import (
    INTERRUPT_AGENT_INSTANCE,
    SEND_AGENT_INSTANCE_LLM,
    SEND_AGENT_INSTANCE_TTS,
    ApiRequest,
    ApiResult,
    Credentials,
    Outcome,
    instance_request,
)
from ptt_app.diagnostics.app_log import register_secret
from ptt_app.session.demo import DemoStartFailed
from ptt_app.session.runtime import ConsoleOptions, ConsoleSession, make_client, open_session
from ptt_app.store.credentials import (
    CredentialError,
    CredentialsMissing,
    KeyringCredentialStore,
    KeyringLocked,
    KeyringMisconfigured,
    KeyringUnavailable,
)
from ptt_app.store.journal import JournalEntry, RequestJournal
from ptt_app.store.paths import journal_path, settings_path
from ptt_app.store.settings import AppSettings, InvalidSettings, ProfileSettings, SettingsStore
from ptt_app.talk.engine import DispatchEngine, EngineListener, EngineSettings, Scheduler, TimerHandle
from ptt_app.talk.intents import ListenIntent
from ptt_app.talk.journaled import CallJournal, CallTarget
from ptt_app.talk.sequence import SequenceSource
from ptt_app.talk.status_poller import STATUS_PURPOSE, TRANSCRIPT_PURPOSE, RequestBudget, StatusPoller
from ptt_app.translatable import QT_TR_NOOP

_log = logging.getLogger(__name__)

# Besides the listening requests a profile allows in the air: an instance call and a status poll. At most
# this many other calls are in the air at once, so a Start/Stop never waits for a sender thread.
EXTRA_SENDERS = 2
# Operator actions that set the agent talking or stop it: its status is looked at again soon after them.
_AGENT_ACTIONS = frozenset({INTERRUPT_AGENT_INSTANCE, SEND_AGENT_INSTANCE_TTS, SEND_AGENT_INSTANCE_LLM})
# While the disk refuses the journal, rows kept in memory are offered to it again this often.
JOURNAL_RETRY_S = 3.0
TEST_PURPOSE = "test"


@dataclass(frozen=True)
class SessionInfo:
    """What the window needs to know about an opened session."""

    profile_name: str
    profile: ProfileSettings
    app_id: int
    demo: bool
    sequences: SequenceSource
    backend_note: str
    warnings: tuple[str, ...] = ()


class SessionProblem(str, Enum):
    """Why a session could not open, so the window can offer the right way out."""

    CREDENTIALS_MISSING = "credentials_missing"
    KEYRING = "keyring"
    SETTINGS = "settings"
    DEMO = "demo"


OPEN_FAILURES = (CredentialError, InvalidSettings, DemoStartFailed)




# What a window user does about each credential problem (the command line's hints name commands instead).
_WINDOW_HINTS: tuple[tuple[type[CredentialError], str], ...] = (
    (CredentialsMissing, QT_TR_NOOP("Open File → Settings… to add them.")),
    (KeyringMisconfigured, QT_TR_NOOP("Correct or remove that setting, so that the desktop's Secret Service keyring "
                                      "is used; the ServerSecret is never stored in a plain file.")),
    (KeyringLocked, QT_TR_NOOP("Unlock your login keyring (for example by logging in to the desktop session again), "
                               "then open the profile again.")),
    (KeyringUnavailable, QT_TR_NOOP("Start a Secret Service keyring (gnome-keyring or KWallet) in your desktop "
                                    "session; the ServerSecret is never stored in a plain file.")),
)


def describe_open_failure(error: Exception) -> tuple[SessionProblem, str]:
    """The kind of an exception from ConsoleService.open, and the sentences a window user reads."""
    if isinstance(error, CredentialsMissing):
        return SessionProblem.CREDENTIALS_MISSING, describe_credential_error(error)
    if isinstance(error, CredentialError):
        return SessionProblem.KEYRING, describe_credential_error(error)
    if isinstance(error, InvalidSettings):
        return SessionProblem.SETTINGS, QT_TR_NOOP("Invalid settings: {problems}. Open File → Settings… to correct "
                                                   "them.").format(problems=error)
    return SessionProblem.DEMO, _as_sentence(str(error))


def describe_credential_error(error: CredentialError) -> str:
    """The problem and what a window user does about it, as sentences (the exception's own hint names
    command-line commands)."""
    problem = _as_sentence(str(error.args[0]) if error.args else str(error))
    hint = next((text for kind, text in _WINDOW_HINTS if isinstance(error, kind)), "")
    if not hint and error.hint:
        hint = _as_sentence(error.hint)
    return f"{problem} {hint}".strip()


def _as_sentence(text: str) -> str:
    """Sentence case, and a full stop unless the text already ends a sentence."""
    text = text.strip()
    if not text:
        return text
    text = text[0].upper() + text[1:]
    return text if text[-1] in ".?!…)" else f"{text}."


class ServiceListener(EngineListener, Protocol):
    """The engine's events, and the journal's health, on the service's thread."""

    def journal_renumbered(self, provisional_id: int, entry: JournalEntry) -> None:
        """A row kept in memory (full disk) was written to the file under a new row id."""
        ...

    def journal_health(self, problem: str | None) -> None:
        """Why rows are kept in memory now (a sentence), or None once everything is written."""
        ...


def engine_settings(profile: ProfileSettings) -> EngineSettings:
    """The dispatch engine's settings for a profile."""
    return EngineSettings(max_in_flight=profile.max_in_flight)


class ConsoleService:
    """Opens sessions and sends every call through one dispatch engine; see the module docstring."""

    def __init__(
        self,
        scheduler: Scheduler,
        post: Callable[[Callable[[], None]], None],
        listener: ServiceListener,
        credential_store: KeyringCredentialStore,
        buffer_journal: bool = True,
        watch_agent: bool = False,
    ) -> None:
        self._post = post
        self._scheduler = scheduler
        self._listener = listener
        self._credential_store = credential_store
        self._flush_timer: TimerHandle | None = None
        self._journal_problem: str | None = None
        self._buffer_journal = buffer_journal
        self._journal: RequestJournal | None = None
        self._session: ConsoleSession | None = None
        self._pool: SenderPool | None = None
        self._retired: list[tuple[SenderPool, ConsoleSession | None]] = []
        self._side_calls_in_air = 0
        self._budget = RequestBudget(scheduler.monotonic)
        self._engine = DispatchEngine(CallJournal(self.journal), scheduler, _EngineEvents(self, listener))
        # The window watches the agent (status light, transcript); a command-line call does not.
        self._poller = (StatusPoller(scheduler, self._send_poll, self._engine.busy_with_listening, self._budget)
                        if watch_agent else None)

    @property
    def journal(self) -> RequestJournal:
        """The request journal (opened on first use, on this thread). With buffer_journal, rows that cannot
        be written (full disk) are kept in memory until they can; without, such a call is refused."""
        if self._journal is None:
            self._journal = RequestJournal(journal_path(), buffer_when_unwritable=self._buffer_journal)
        return self._journal

    @property
    def engine(self) -> DispatchEngine:
        """The dispatch engine every call goes through."""
        return self._engine

    @property
    def session(self) -> ConsoleSession | None:
        """The open session, if any."""
        return self._session

    # --- sessions -----------------------------------------------------------------------------

    def open(self, options: ConsoleOptions) -> SessionInfo:
        """Open (or reopen) a profile or the demo. Raises CredentialError, InvalidSettings or DemoStartFailed;
        the previous session stays open until a new one is ready."""
        session = open_session(options, self._credential_store, self.journal)
        self._retire_current()
        self._session = session
        self._pool = self._new_pool(session.credentials, session.profile, session.profile.max_in_flight + EXTRA_SENDERS)
        return self._bind()

    def use_instance(self, agent_instance_id: str) -> SessionInfo | None:
        """Talk to another instance in the same session (the demo keeps its simulator this way)."""
        if self._session is None:
            return None
        self._session.profile = dataclasses.replace(self._session.profile, agent_instance_id=agent_instance_id)
        return self._bind()

    def _bind(self) -> SessionInfo:
        session, pool = self._session, self._pool
        assert session is not None and pool is not None
        sequences = session.sequence_source(self.journal)
        self._engine.bind(session.target(), pool, sequences, engine_settings(session.profile))
        if self._poller is not None:
            self._poller.watch(session.profile.agent_instance_id)
        note = QT_TR_NOOP("embedded demo simulator") if session.demo else self._credential_store.backend_name()
        return SessionInfo(session.profile_name, session.profile, session.app_id, session.demo is not None,
                           sequences, note, session.warnings)

    def _new_pool(self, credentials: Credentials, profile: ProfileSettings, size: int) -> SenderPool:
        post, service = self._post, weakref.ref(self)

        def deliver(ticket: int, result: ApiResult, final: bool) -> None:
            # On a sender thread: hand the plain answer to this service's thread, nothing more. Only a weak
            # reference to the service travels, so a sender thread never holds the last reference to it
            # (and through its listener, to Qt objects).
            post(functools.partial(_deliver, service, ticket, result, final))

        return SenderPool(lambda: make_client(credentials, profile), size, deliver)

    def _delivered(self, ticket: int, result: ApiResult, final: bool) -> None:
        if final:
            self._on_answer(ticket, result)
        else:
            self._engine.on_resend(ticket, result)

    def _retire_current(self) -> None:
        if self._pool is not None:
            self._retired.append((self._pool, self._session))
        self._pool = None
        self._session = None
        self._engine.unbind()
        if self._poller is not None:
            self._poller.stop()

    def _on_answer(self, ticket: int, result: ApiResult) -> None:
        self._engine.on_answer(ticket, result)
        self._close_idle_retired()
        self._watch_journal()

    # --- a journal that cannot be written (full disk) ------------------------------------------

    def _watch_journal(self) -> None:
        if self._journal is None or not self._buffer_journal:
            return
        problem = self._journal.write_problem()
        if problem != self._journal_problem:
            self._journal_problem = problem
            self._listener.journal_health(problem)
        if problem is not None and self._flush_timer is None:
            self._flush_timer = self._scheduler.call_later(JOURNAL_RETRY_S, self._flush_journal)

    def _flush_journal(self) -> None:
        """Write the rows kept in memory, in order, once the disk takes them again."""
        self._flush_timer = None
        if self._journal is None:
            return
        for provisional_id, entry in self._journal.flush_backlog():
            self._listener.journal_renumbered(provisional_id, entry)
        self._watch_journal()

    def _close_idle_retired(self) -> None:
        for pool, session in list(self._retired):
            if self._engine.in_flight_on(pool) == 0:
                self._retired.remove((pool, session))
                pool.close()
                if session is not None:
                    session.close()

    # --- calls --------------------------------------------------------------------------------

    def listen(self, intent: ListenIntent) -> None:
        """An operator's press or release."""
        self._engine.listen(intent)
        self._watch_journal()

    def call(self, request: ApiRequest, purpose: str) -> None:
        """Any other call on the open session, journaled under the instance and user its body names;
        answered through the listener's call_answered(purpose, ...). Refused (not sent) while EXTRA_SENDERS
        other calls are in the air, or when it would pass the request budget of its Action."""
        refusal = self._side_call_refusal(request.action)
        if refusal is not None:
            self._listener.call_answered(purpose, ApiResult(request.action, None, time.time(), 0.0, Outcome.NOT_SENT,
                                                            None, None, refusal, None))
            return
        self._launch_side_call(request, purpose)

    def refresh_transcript(self) -> None:
        """Fetch the agent's transcript now (answered as call_answered(TRANSCRIPT_PURPOSE, ...))."""
        if self._poller is not None:
            self._poller.request_transcript()

    def set_demo_user_state(self, state: str) -> bool:
        """In the demo, put its user "publishing", "silent" or "absent" in the room; False outside the demo."""
        session = self._session
        if session is None or session.demo is None:
            return False
        session.demo.set_user_state(state)
        return True

    def _side_call_refusal(self, action: str) -> str | None:
        if self._side_calls_in_air >= EXTRA_SENDERS:
            return QT_TR_NOOP("not sent: {count} other calls are still waiting for the server; try again once they "
                              "are answered").format(count=self._side_calls_in_air)
        if not self._budget.allows(action):
            return QT_TR_NOOP("not sent: more than {count} {action} requests in one second would pass the API's rate "
                              "limit; try again in a moment").format(count=self._budget.per_second, action=action)
        return None

    def _launch_side_call(self, request: ApiRequest, purpose: str) -> None:
        target = None
        if self._session is not None:
            body = request.body
            target = self._session.target(str(body.get("AgentInstanceId", "")), str(body.get("UserId", "")))
        self._side_calls_in_air += 1
        self._budget.record(request.action)
        self._engine.call(request, purpose, target)

    def _send_poll(self, request: ApiRequest, purpose: str) -> bool:
        if self._session is None or self._side_call_refusal(request.action) is not None:
            return False
        self._launch_side_call(request, purpose)
        return True

    def _on_listen_answered(self, intent: ListenIntent, result: ApiResult) -> None:
        self._budget.record(intent.action)
        if self._poller is not None:
            self._poller.listening_answered(intent.action, result)

    def _on_call_answered(self, purpose: str, result: ApiResult) -> None:
        if purpose != TEST_PURPOSE:  # the connection test has a sender of its own
            self._side_calls_in_air = max(0, self._side_calls_in_air - 1)
        if self._poller is None:
            return
        if purpose == STATUS_PURPOSE:
            self._poller.status_answered(result)
        elif purpose == TRANSCRIPT_PURPOSE:
            self._poller.transcript_answered()
        elif result.ok and result.action in _AGENT_ACTIONS:
            self._poller.expect_activity()

    def has_saved_settings(self) -> bool:
        """True once a settings file exists (a first start has none)."""
        return settings_path().exists()

    def load_settings(self) -> AppSettings:
        """The saved settings (defaults when there are none or the file is broken)."""
        return SettingsStore(settings_path()).load().settings

    def test_connection(self, profile_name: str, profile: ProfileSettings, credentials: Credentials | None) -> None:
        """One signed QueryAgentInstanceStatus with the given settings, answered as call_answered("test", ...).
        Raises CredentialError when no credentials are given and the keyring has none."""
        credentials = credentials or self._credential_store.load(profile_name)
        register_secret(credentials.server_secret)
        pool = self._new_pool(credentials, profile, 1)
        self._retired.append((pool, None))  # closed once its one answer landed
        instance = profile.agent_instance_id or "connection-test"
        target = CallTarget(profile_name, credentials.app_id, instance, "")
        self._engine.call(instance_request("QueryAgentInstanceStatus", instance), TEST_PURPOSE, target, pool)

    # --- settings, credentials, export --------------------------------------------------------

    def save_profile(self, name: str, settings: AppSettings, credentials: Credentials | None) -> str:
        """Save settings and credentials as one operation: the keyring first; if it refuses, nothing is saved
        (CredentialError); if the settings file cannot be written, the keyring is put back as it was."""
        store = SettingsStore(settings_path())
        if credentials is not None:
            register_secret(credentials.server_secret)
        previous = self._saved_credentials(name) if credentials is not None else None
        if credentials is not None:
            self._credential_store.save(name, credentials)
        try:
            store.save(settings)
        except BaseException:
            if credentials is not None:
                self._restore_credentials(name, previous)
            raise
        if credentials is None:
            return QT_TR_NOOP("Settings saved.")
        return QT_TR_NOOP("Settings saved; AppId and ServerSecret saved in the {keyring} keyring.").format(
            keyring=self._credential_store.backend_name())

    def _saved_credentials(self, name: str) -> Credentials | None:
        try:
            return self._credential_store.load(name)
        except CredentialsMissing:
            return None

    def _restore_credentials(self, name: str, previous: Credentials | None) -> None:
        try:
            if previous is None:
                self._credential_store.clear(name)
            else:
                self._credential_store.save(name, previous)
        except CredentialError:
            _log.warning("could not put back the keyring entries of profile %r after a failed settings save", name)

    def save_instance_id(self, agent_instance_id: str) -> None:
        """Keep a new AgentInstanceId in the open profile's settings (not for the demo)."""
        session = self._session
        if session is None or session.demo is not None:
            return
        store = SettingsStore(settings_path())
        settings = store.load().settings
        profile = dataclasses.replace(settings.profile(session.profile_name), agent_instance_id=agent_instance_id)
        store.save(settings.with_profile(session.profile_name, profile))

    def export(self, destination: Path, kind: str) -> int:
        """Write the whole journal as "csv" or "json"; how many rows. Raises OSError."""
        export = self.journal.export_json if kind == "json" else self.journal.export_csv
        export(destination)
        return self.journal.count()

    # --- quitting -----------------------------------------------------------------------------

    def drain(self, deadline_s: float) -> bool:
        """Let every Start/Stop land (or the deadline pass); the listener hears drained(). Status polls stop
        at once and other calls are not waited for. True when a Start/Stop is still to be answered."""
        if self._poller is not None:
            self._poller.stop()
        self._engine.drain(deadline_s)
        return self._engine.busy_with_listening()

    def close(self) -> None:
        """Release everything; rows still in the air stay pending and read "no answer" at the next start."""
        if self._poller is not None:
            self._poller.stop()
        self._retire_current()
        for pool, session in self._retired:
            pool.close()
            if session is not None:
                session.close()
        self._retired.clear()
        if self._journal is not None:
            self._journal.close()
            self._journal = None


class _EngineEvents:
    """The engine's events: the service hears of answers first (poller, side calls), then the listener.

    Holds the service weakly, so the engine (which the service owns) makes no reference cycle with it."""

    def __init__(self, service: ConsoleService, listener: ServiceListener) -> None:
        self._service = weakref.ref(service)
        self._listener = listener

    def journal_changed(self, entry: JournalEntry) -> None:
        self._listener.journal_changed(entry)

    def listen_answered(self, intent: ListenIntent, result: ApiResult, final: bool) -> None:
        service = self._service()
        if service is not None:
            service._on_listen_answered(intent, result)
        self._listener.listen_answered(intent, result, final)

    def call_answered(self, purpose: str, result: ApiResult) -> None:
        service = self._service()
        if service is not None:
            service._on_call_answered(purpose, result)
        self._listener.call_answered(purpose, result)

    def drained(self) -> None:
        self._listener.drained()

    def journal_failed(self, message: str) -> None:
        self._listener.journal_failed(message)


def _deliver(service: weakref.ref[ConsoleService], ticket: int, result: ApiResult, final: bool) -> None:
    """An answer from a sender thread, run on the service's thread (dropped if the service is gone)."""
    alive = service()
    if alive is not None:
        alive._delivered(ticket, result, final)
