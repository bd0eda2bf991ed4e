"""The window's worker: a thin Qt adapter around the Qt-free ConsoleService, living in a QThread.

Signals from the window become service calls on the worker thread; the service's events become signals.
Sender threads hand answers back through a socket pair watched by a QSocketNotifier, so they never touch
a Qt object. The sentences it emits are in the window's language already (translation is thread-safe).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Signal, Slot

from ptt_app.api.types import ApiRequest, Credentials
from ptt_app.gui.i18n import tr, translated
from ptt_app.gui.thread_bridge import PostBox, QtScheduler
from ptt_app.session.console import OPEN_FAILURES, ConsoleService, describe_credential_error, describe_open_failure
from ptt_app.session.runtime import ConsoleOptions
from ptt_app.store.credentials import CredentialError, KeyringCredentialStore
from ptt_app.store.journal import JournalError
from ptt_app.store.settings import AppSettings, InvalidSettings, ProfileSettings
from ptt_app.talk.intents import ListenIntent


class ConsoleWorker(QObject):
    """Owns the ConsoleService on its thread; see the module docstring."""

    session_ready = Signal(object)
    session_failed = Signal(object, str, bool)
    settings_loaded = Signal(object)
    journal_changed = Signal(object)
    listen_answered = Signal(object, object, bool)
    call_answered = Signal(str, object)
    profile_saved = Signal(str)
    profile_save_failed = Signal(str)
    credentials_failed = Signal(str)
    export_finished = Signal(str)
    journal_problem = Signal(str)
    instance_not_saved = Signal(str)
    journal_renumbered = Signal(object, object)
    journal_health = Signal(object)
    drain_waiting = Signal()
    drained = Signal()

    def __init__(self, credential_store: KeyringCredentialStore | None = None) -> None:
        super().__init__()
        self._credential_store = credential_store or KeyringCredentialStore()
        self._service: ConsoleService | None = None

    # --- slots ---------------------------------------------------------------------------------------

    @Slot()
    def start(self) -> None:
        """Create the service on the worker thread (call once, queued, after moveToThread)."""
        self._post_box = PostBox(self)
        self._scheduler = QtScheduler(self)
        self._service = ConsoleService(self._scheduler, self._post_box.mailbox.post, _Listener(self), self._credential_store,
                                       watch_agent=True)

    @Slot(object)
    def open_session(self, options: ConsoleOptions) -> None:
        """Open a profile or the demo; answers session_ready(SessionInfo) or session_failed(kind, message)."""
        try:
            info = self._require().open(options)
        except OPEN_FAILURES as error:
            kind, message = describe_open_failure(error)
            self.session_failed.emit(kind, message, not self._require().has_saved_settings())
            return
        self.session_ready.emit(info)

    @Slot()
    def load_settings(self) -> None:
        """Read the settings file; answers settings_loaded(AppSettings)."""
        self.settings_loaded.emit(self._require().load_settings())

    @Slot(object)
    def listen(self, intent: ListenIntent) -> None:
        self._require().listen(intent)

    @Slot(object, str)
    def call(self, request: ApiRequest, purpose: str) -> None:
        self._require().call(request, purpose)

    @Slot(str, bool)
    def use_instance(self, agent_instance_id: str, remember: bool) -> None:
        """Talk to another instance; with remember, also keep it in the profile's settings."""
        service = self._require()
        not_saved = None
        if remember:
            try:
                service.save_instance_id(agent_instance_id)
            except (OSError, InvalidSettings) as error:
                # Still used for this run: the operator asked for it, and the window waits for the session.
                reason = getattr(error, "strerror", None) or error
                not_saved = tr("Instance {instance} is used for this run, but the settings file could not be written "
                               "({reason}): it will not be remembered.").format(instance=agent_instance_id,
                                                                               reason=reason)
        info = service.use_instance(agent_instance_id)
        if info is not None:
            self.session_ready.emit(info)
        if not_saved is not None:
            self.instance_not_saved.emit(not_saved)  # after the session's own "Ready" message, not under it

    @Slot(str, object, object)
    def test_connection(self, profile_name: str, profile: ProfileSettings, credentials: Credentials | None) -> None:
        try:
            self._require().test_connection(profile_name, profile, credentials)
        except CredentialError as error:
            self.credentials_failed.emit(translated(describe_credential_error(error)))

    @Slot(str, object, object)
    def save_profile(self, name: str, settings: AppSettings, credentials: Credentials | None) -> None:
        """Settings and credentials in one operation; answers profile_saved or profile_save_failed."""
        try:
            self.profile_saved.emit(translated(self._require().save_profile(name, settings, credentials)))
        except CredentialError as error:
            self.profile_save_failed.emit(tr("{problem} Nothing was saved.").format(
                problem=translated(describe_credential_error(error))))
        except InvalidSettings as error:
            problems = tr("; ").join(tr("{field}: {problem}").format(field=problem.field,
                                                                     problem=translated(problem.problem))
                                     for problem in error.problems)
            self.profile_save_failed.emit(tr("Settings refused: {problems}. Nothing was saved.").format(
                problems=problems))
        except OSError as error:
            self.profile_save_failed.emit(tr("The settings file could not be written: {reason}. Nothing was saved.")
                                          .format(reason=error.strerror or error))

    @Slot(str, str)
    def export_journal(self, destination: str, kind: str) -> None:
        try:
            count = self._require().export(Path(destination), kind)
        except (OSError, JournalError) as error:
            reason = error.strerror if isinstance(error, OSError) and error.strerror else str(error)
            self.export_finished.emit(tr("Export failed: {path}: {reason}.").format(path=destination,
                                                                                   reason=translated(reason)))
            return
        self.export_finished.emit(tr("Exported {count} rows to {path}.").format(count=count, path=destination))

    @Slot()
    def refresh_transcript(self) -> None:
        """Fetch the agent's transcript now; answered as call_answered(TRANSCRIPT_PURPOSE, result)."""
        self._require().refresh_transcript()

    @Slot(str)
    def set_demo_user_state(self, state: str) -> None:
        """In the demo only: its user "publishing", "silent" or "absent" in the room."""
        self._require().set_demo_user_state(state)

    @Slot(float)
    def drain(self, deadline_s: float) -> None:
        """Let the Stops land, then close everything and answer drained(); drain_waiting() first when a
        Start/Stop is still to be answered."""
        if self._require().drain(deadline_s):
            self.drain_waiting.emit()

    def _close_after_drain(self) -> None:
        # Runs from the engine's drained report: close once the engine has returned.
        self._scheduler.call_later(0.0, self._close_and_report)

    def _close_and_report(self) -> None:
        self.close()
        self.drained.emit()

    @Slot()
    def close(self) -> None:
        """Release the service; rows still in the air read "no answer" at the next start."""
        if self._service is not None:
            self._service.close()
            self._service = None
            self._scheduler.stop()
            self._post_box.close()

    def _require(self) -> ConsoleService:
        assert self._service is not None, "ConsoleWorker.start() was not called"
        return self._service


class _Listener:
    """The service's events as the worker's signals, emitted on the worker thread."""

    def __init__(self, worker: ConsoleWorker) -> None:
        self.journal_changed = worker.journal_changed.emit
        self.listen_answered = worker.listen_answered.emit
        self.call_answered = worker.call_answered.emit
        self.journal_failed = worker.journal_problem.emit
        self.journal_renumbered = worker.journal_renumbered.emit
        self.journal_health = worker.journal_health.emit
        # Closing comes first, once the engine has returned; drained() is emitted then.
        self.drained = worker._close_after_drain
