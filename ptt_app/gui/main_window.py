"""The operator window: talk button and confirmed state, a live view of the agent (status light, banner,
Interrupt, Say, transcript), the request log, and the Help menu. Every I/O runs on the worker thread; the log
reads the journal through a read-only reader."""

from __future__ import annotations

import dataclasses

from PySide6.QtCore import Qt, QThread, QTimer, Signal, Slot
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QDockWidget,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMenu,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ptt_app.api.types import CREATE_AGENT_INSTANCE, ApiRequest, ApiResult, InstanceSpec, instance_request
from ptt_app.gui.agent_view import AgentView
from ptt_app.gui.console_worker import ConsoleWorker
from ptt_app.gui.elided_label import ElidedLabel, WrappedLineCap
from ptt_app.gui.help_menu import HelpMenu
from ptt_app.gui.i18n import tr, translated
from ptt_app.gui.icons import app_icon
from ptt_app.gui.instance_panel import InstancePanel
from ptt_app.gui.log_view import LogFilter, RequestLogView
from ptt_app.gui.request_log_model import RequestLogModel
from ptt_app.gui.settings_dialog import FirstRunAnswer, SettingsDialog, ask_first_run
from ptt_app.gui.talk_coordinator import TalkCoordinator
from ptt_app.gui.talk_panel import TalkPanel
from ptt_app.gui.window_settings import window_settings
from ptt_app.session.console import SessionInfo, SessionProblem
from ptt_app.session.runtime import ConsoleOptions
from ptt_app.store.credentials import KeyringCredentialStore
from ptt_app.store.journal import JournalReader
from ptt_app.store.paths import journal_path
from ptt_app.store.settings import AppSettings
from ptt_app.talk.intents import ListenIntent, TalkController
from ptt_app.translatable import QT_TR_NOOP

DRAIN_GRACE_S = 1.0
# The message line under the talk state shows at most this many lines; the rest is in its tooltip and, for a
# failed request, in the request log.
MESSAGE_LINES = 3
LOG_TAB_TITLE = QT_TR_NOOP("Request log")
TRANSCRIPT_TAB_TITLE = QT_TR_NOOP("Transcript")
# The demo user's room states, as the demo menu offers them.
DEMO_USER_STATES = (
    ("publishing", QT_TR_NOOP("Publishing audio (voice client running)")),
    ("silent", QT_TR_NOOP("In the room, not publishing")),
    ("absent", QT_TR_NOOP("Out of the room")),
)


class MainWindow(QMainWindow):
    """Press-and-hold talk console; the state shown is what the server confirmed."""

    worker_start_requested = Signal()
    open_session_requested = Signal(object)
    call_requested = Signal(object, str)
    use_instance_requested = Signal(str, bool)
    test_connection_requested = Signal(str, object, object)
    save_profile_requested = Signal(str, object, object)
    load_settings_requested = Signal()
    export_requested = Signal(str, str)
    drain_requested = Signal(float)
    listen_result_shown = Signal(object, object)
    refresh_transcript_requested = Signal()
    demo_user_state_requested = Signal(str)
    message_shown = Signal(str, bool)

    def __init__(self, options: ConsoleOptions, credential_store: KeyringCredentialStore | None = None) -> None:
        super().__init__()
        self._options = options
        self._session: SessionInfo | None = None
        self._closing = False
        self._drained = False
        self._open_dialog: SettingsDialog | None = None
        self.remember_geometry = True
        self._notice = ""
        self.setWindowTitle(tr("PTT Console"))
        self.setWindowIcon(app_icon())
        self.setMinimumSize(720, 520)

        self._reader = JournalReader(journal_path())
        self.log_model = RequestLogModel(self._reader, self)
        self._build_widgets()
        self.talk = TalkCoordinator(self, self.talk_panel)
        self.tray = self.talk.tray
        self._use_next_created = False
        self._unread_messages = 0
        self._build_actions()
        self.help = HelpMenu(self, self._hold_key_use)

        self._thread = QThread(self)
        self._thread.setObjectName("ptt-worker")
        self.worker = ConsoleWorker(credential_store)
        self.worker.moveToThread(self._thread)
        self._wire_worker()
        self._thread.start()
        self.worker_start_requested.emit()  # queued first, so the service exists before any request
        self.talk.watch_keys()
        self._restore_geometry()
        self.talk.render()
        self.open_session_requested.emit(options)

    # --- layout -----------------------------------------------------------------------------------

    def _build_widgets(self) -> None:
        self.talk_panel = TalkPanel()
        self.talk_button = self.talk_panel.talk_button
        self.state_label = self.talk_panel.state_label
        self.latency_label = self.talk_panel.latency_label
        self.message_label = self.talk_panel.message_label
        self._message_cap = WrappedLineCap(self.message_label, MESSAGE_LINES)

        self._build_session_line()

        self.agent = AgentView(self)
        self.log_view = RequestLogView(self.log_model)
        self.log_view.notice.connect(self.show_message)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("logTabs")
        self.tabs.setAccessibleName(tr("Request log and transcript"))
        self.tabs.addTab(self._log_page(), tr(LOG_TAB_TITLE))
        self.tabs.addTab(self.agent.transcript, tr(TRANSCRIPT_TAB_TITLE))
        self.tabs.setTabToolTip(0, tr("Every request the app sent, newest first"))
        self.tabs.setTabToolTip(1, tr("What the agent heard and answered (GetAgentInstanceMsgList), and the Say box"))
        self.tabs.currentChanged.connect(self._on_tab_changed)
        self.agent.transcript.updated.connect(self._on_transcript_updated)
        layout = QVBoxLayout()
        layout.setContentsMargins(6, 6, 6, 4)  # every pixel counts at the minimum size with the instance panel open
        layout.addWidget(self.agent.banner)
        layout.addWidget(self.talk_panel, 2)
        layout.addWidget(self.agent.controls)
        layout.addWidget(self.tabs, 3)
        central = QWidget()
        central.setLayout(layout)
        self.setCentralWidget(central)

        self.instance_panel = InstancePanel()
        dock = QDockWidget(tr("Agent instance"), self)
        dock.setObjectName("instanceDock")
        dock.setWidget(self.instance_panel)
        self.instance_panel.setMaximumWidth(320)
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, dock)
        # Talking is the everyday job; instances are managed now and then (View → Agent instance).
        dock.hide()
        self.instance_dock = dock

    def _build_session_line(self) -> None:
        """Profile, endpoint and AgentInstanceId along the status bar: always in sight, and out of the talk
        area, which needs its height at the minimum size. Long values end in "…"; tooltips have them whole."""
        self.profile_value = ElidedLabel("–")
        self.endpoint_value = ElidedLabel("–")
        self.instance_value = ElidedLabel("–")
        line = QWidget()
        row = QHBoxLayout(line)
        row.setContentsMargins(4, 0, 4, 0)
        for name, value, stretch in ((tr("Profile"), self.profile_value, 3), (tr("Endpoint"), self.endpoint_value, 2),
                                     ("AgentInstanceId", self.instance_value, 2)):
            caption = QLabel(tr("{name}:").format(name=name))
            caption.setBuddy(value)
            value.set_caption(name)
            row.addWidget(caption)
            row.addWidget(value, stretch)
        self.statusBar().addPermanentWidget(line, 1)
        self.statusBar().setSizeGripEnabled(False)

    def _log_page(self) -> QWidget:
        """The log tab; while the filter narrows it, the tab bar's corner says so, with "Show all rows"."""
        self.filter_label = QLabel()
        self.filter_label.setObjectName("logFilterLabel")
        self.show_all_button = QPushButton(tr("Show all rows"))
        self.show_all_button.setAccessibleDescription(tr("Clear the request log's filter"))
        self.show_all_button.clicked.connect(self.log_view.clear_filter)
        bar = QHBoxLayout()
        bar.setContentsMargins(0, 0, 4, 0)
        bar.addWidget(self.filter_label)
        bar.addWidget(self.show_all_button)
        self.filter_bar = QWidget()
        self.filter_bar.setLayout(bar)
        self.filter_bar.hide()
        self.tabs.setCornerWidget(self.filter_bar, Qt.Corner.TopRightCorner)
        self.log_view.filter_changed.connect(self._on_log_filter_changed)
        return self.log_view

    def _build_actions(self) -> None:
        file_menu = self.menuBar().addMenu(tr("&File"))
        self._add_action(file_menu, tr("&Settings…"), QKeySequence.StandardKey.Preferences, self.open_settings,
                         "Ctrl+,")
        file_menu.addSeparator()
        self._add_action(file_menu, tr("Export log as &CSV…"), None, lambda: self.export_log("csv"))
        self._add_action(file_menu, tr("Export log as &JSON…"), None, lambda: self.export_log("json"))
        file_menu.addSeparator()
        self._add_action(file_menu, tr("&Quit"), QKeySequence.StandardKey.Quit, self.close, "Ctrl+Q")
        edit_menu = self.menuBar().addMenu(tr("&Edit"))
        self._add_action(edit_menu, tr("&Copy RequestId"), QKeySequence.StandardKey.Copy, self.copy_selected_request_id)
        view_menu = self.menuBar().addMenu(tr("&View"))
        view_menu.addAction(self.instance_dock.toggleViewAction())
        self.routine_reads_action = self.log_view.routine_reads_action()
        view_menu.addAction(self.routine_reads_action)
        self.talk.add_view_actions(view_menu)
        self.demo_menu = self._demo_menu()

    def _demo_menu(self) -> QMenu:
        """Shown on the demo only: where the demo's user is, to try what the window says when they do not publish."""
        menu = self.menuBar().addMenu(tr("&Demo"))
        group = QActionGroup(self)
        self.demo_user_actions: dict[str, QAction] = {}
        for state, text in DEMO_USER_STATES:
            action = menu.addAction(tr("Demo user: {state}").format(state=tr(text)))
            action.setCheckable(True)
            action.setChecked(state == "publishing")
            action.triggered.connect(lambda _checked=False, state=state: self.set_demo_user_state(state))
            group.addAction(action)
            self.demo_user_actions[state] = action
        menu.menuAction().setVisible(False)
        return menu

    def set_demo_user_state(self, state: str) -> None:
        """In the demo: put its user "publishing", "silent" or "absent" in the room."""
        if self._session is None or not self._session.demo:
            return
        self.demo_user_actions[state].setChecked(True)
        self.demo_user_state_requested.emit(state)
        self.show_message(tr("The demo user is now: {state}.").format(state=tr(dict(DEMO_USER_STATES)[state]).lower()))

    def _hold_key_use(self) -> tuple[str, bool]:
        key = self._session.profile.hold_key if self._session is not None else "Space"
        return key, self.talk.hotkey.status.active

    def _add_action(self, menu, text, standard, slot, fallback: str | None = None) -> QAction:
        action = QAction(text, self)
        keys = QKeySequence.keyBindings(standard) if standard is not None else []
        if not keys and fallback:
            keys = [QKeySequence(fallback)]
        action.setShortcuts(keys)
        action.triggered.connect(slot)
        menu.addAction(action)
        return action

    def _wire_worker(self) -> None:
        worker = self.worker
        self.worker_start_requested.connect(worker.start)
        self.open_session_requested.connect(worker.open_session)
        self.talk.listen_requested.connect(worker.listen)
        self.talk.message.connect(self.show_message)
        self.talk.listen_result_shown.connect(self.listen_result_shown)
        self.talk.listen_result_shown.connect(self._on_listen_result)
        self.talk.input_sent.connect(self._on_talk_input)
        self.agent.call_requested.connect(worker.call)
        self.agent.refresh_requested.connect(worker.refresh_transcript)
        self.agent.create_instance_requested.connect(self._create_instance_from_banner)
        self.agent.demo_user_state_requested.connect(self.set_demo_user_state)
        self.refresh_transcript_requested.connect(worker.refresh_transcript)
        self.demo_user_state_requested.connect(worker.set_demo_user_state)
        self.help.message.connect(self.show_message)
        self.call_requested.connect(worker.call)
        self.use_instance_requested.connect(worker.use_instance)
        self.test_connection_requested.connect(worker.test_connection)
        self.save_profile_requested.connect(worker.save_profile)
        self.load_settings_requested.connect(worker.load_settings)
        self.export_requested.connect(worker.export_journal)
        self.drain_requested.connect(worker.drain)
        # Only bound methods of GUI-thread objects here: a lambda would run on the worker's thread.
        worker.session_ready.connect(self._on_session_ready)
        worker.session_failed.connect(self._on_session_failed)
        worker.journal_changed.connect(self.log_model.upsert)
        worker.listen_answered.connect(self.talk.on_listen_answered)
        worker.call_answered.connect(self._on_call_answered)
        worker.export_finished.connect(self.show_message)
        worker.journal_problem.connect(self._on_journal_problem)
        worker.instance_not_saved.connect(self._on_instance_not_saved)
        worker.journal_renumbered.connect(self.log_model.renumber)
        worker.journal_health.connect(self._on_journal_health)
        worker.credentials_failed.connect(self._on_credentials_failed)
        worker.settings_loaded.connect(self._show_settings_dialog)
        worker.drain_waiting.connect(self._on_drain_waiting)
        worker.drained.connect(self._on_drained)
        self.instance_panel.create_requested.connect(self._create_instance)
        self.instance_panel.instance_call_requested.connect(self._instance_call)
        self.instance_panel.use_instance_requested.connect(self._use_instance)

    # --- talking ------------------------------------------------------------------------------------

    def press(self, reason: str) -> None:
        """Operator pressed: send StartListening, numbered now."""
        self.talk.press(reason)

    def release(self, reason: str) -> None:
        """Operator released (or a safety rule released): send StopListening, numbered now."""
        self.talk.release(reason)

    @property
    def _controller(self) -> TalkController | None:
        return self.talk.controller

    @Slot(object)
    def _on_talk_input(self, _intent: object) -> None:
        # A press or release just went out: Say waits while the talk is held.
        self.agent.set_listening(self.talk.is_held())

    @Slot(object, object)
    def _on_listen_result(self, intent: ListenIntent, result: ApiResult) -> None:
        self.agent.listen_answered(intent, result)
        self.agent.set_listening(self.talk.is_held())

    # --- focus and closing --------------------------------------------------------------------------

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._drained:
            if self.remember_geometry:
                self._save_geometry()
            event.accept()
            return
        event.ignore()
        if self._closing:
            return
        self.release("window closed")
        self._closing = True
        self.talk.shutdown()
        self.talk_button.setEnabled(False)
        timeout = (self._session.profile.read_timeout_s if self._session else 3.0) + DRAIN_GRACE_S
        self.drain_requested.emit(timeout)

    @Slot()
    def _on_drain_waiting(self) -> None:
        # Quitting waits for the Stop only; the operator sees why the window is still there.
        self.show_message(tr("Waiting for StopListening to be answered…"))

    @Slot()
    def _on_drained(self) -> None:
        if not self._closing:
            return
        self._drained = True
        self.tray.hide()
        # The worker closed its journal and sessions on its own thread before emitting drained.
        self._thread.quit()
        self._thread.wait(3000)
        self._reader.close()
        self.close()

    # --- session ---------------------------------------------------------------------------------------

    @Slot(object)
    def _on_session_ready(self, info: SessionInfo) -> None:
        self._session = info
        self.talk.session_ready(info)
        profile_name = tr("built-in demo simulator") if info.demo else info.profile_name
        self.profile_value.setText(tr("{profile} — AppId {app_id}").format(profile=profile_name, app_id=info.app_id))
        self.endpoint_value.setText(info.profile.endpoint)
        self.instance_value.setText(info.profile.agent_instance_id or tr("Not set: create one in View → Agent instance"))
        profile = info.profile
        self.agent.session_ready(profile.agent_instance_id, profile.user_id, profile.rtc_room_id, info.demo)
        self._show_demo_menu(info.demo)
        self.setWindowTitle(tr("PTT Console — {profile}").format(profile=tr("built-in demo") if info.demo
                                                                  else info.profile_name))
        self.talk_button.setEnabled(bool(info.profile.agent_instance_id) and not self._closing)
        self.instance_panel.set_profile(info.profile_name, info.profile)
        self.log_model.refresh_newer()
        ready = (tr("Ready. Credentials: {backend}.").format(backend=translated(info.backend_note))
                 if info.profile.agent_instance_id
                 else tr("No AgentInstanceId: create one in View → Agent instance, or set it in File → Settings…."))
        self.show_message(self._notice or ready)
        self._notice = ""

    @Slot(object, str, bool)
    def _on_session_failed(self, kind: SessionProblem, message: str, nothing_configured: bool) -> None:
        self._session = None
        self.talk.session_lost()
        self.agent.session_lost()
        self._show_demo_menu(False)
        self.talk_button.setEnabled(False)
        message = translated(message)
        self.show_message(message, error=True)
        if kind not in (SessionProblem.CREDENTIALS_MISSING, SessionProblem.KEYRING) or self._options.demo:
            return
        if nothing_configured:
            # A first start with nothing configured: show the app working, on the demo, and say so.
            self._notice = tr("{problem} Until then the window runs on the built-in demo simulator.").format(
                problem=message) + (f" {self._notice}" if self._notice else "")
            self.reopen(dataclasses.replace(self._options, demo=True))
            return
        QTimer.singleShot(0, lambda: self._offer_first_run(message))

    def _offer_first_run(self, reason: str) -> None:
        answer = ask_first_run(self, self._options.profile or "default", reason)
        if answer == FirstRunAnswer.SETTINGS:
            self.open_settings()
        elif answer == FirstRunAnswer.DEMO:
            self.reopen(dataclasses.replace(self._options, demo=True))
        elif answer == FirstRunAnswer.QUIT:
            self.close()

    def reopen(self, options: ConsoleOptions) -> None:
        """Open another profile or the demo; a held talk is released first."""
        self.release("session changed")
        self._options = options
        self.talk.session_lost()
        self.agent.session_lost()
        self.talk_button.setEnabled(False)
        self.open_session_requested.emit(options)

    def _show_demo_menu(self, demo: bool) -> None:
        self.demo_menu.menuAction().setVisible(demo)
        if demo:
            self.demo_user_actions["publishing"].setChecked(True)  # a new demo simulator starts with its user publishing

    # --- settings and instances ---------------------------------------------------------------------

    def open_settings(self) -> None:
        """The settings and credentials dialog; the worker reads the settings first."""
        self.load_settings_requested.emit()

    @Slot(object)
    def _show_settings_dialog(self, app_settings: AppSettings) -> None:
        if self._open_dialog is not None:
            return
        session = self._session
        name = session.profile_name if session and not session.demo else (self._options.profile or app_settings.active_profile)
        has_credentials = session is not None and not session.demo and session.profile_name == name
        dialog = SettingsDialog(app_settings, name, has_credentials, self)
        dialog.test_connection_requested.connect(self.test_connection_requested)
        dialog.save_requested.connect(self.save_profile_requested)
        self._open_dialog = dialog
        connections = (
            (self.worker.profile_saved, dialog.show_saved),
            (self.worker.profile_save_failed, dialog.show_save_failed),
            (self.worker.credentials_failed, dialog.show_credentials_failed),
        )
        for signal, slot in connections:
            signal.connect(slot)
        try:
            accepted = dialog.exec()
        finally:
            for signal, slot in connections:
                signal.disconnect(slot)
            self._open_dialog = None
            dialog.deleteLater()  # with whatever was typed in it, saved or not
        if accepted:
            self.reopen(dataclasses.replace(self._options, demo=False, profile=dialog.chosen_profile_name()))

    @Slot(str)
    def _on_instance_not_saved(self, message: str) -> None:
        self.show_message(message, error=True)

    @Slot(str)
    def _on_journal_problem(self, message: str) -> None:
        self.show_message(translated(message), error=True)

    @Slot(object)
    def _on_journal_health(self, problem: str | None) -> None:
        self.show_message(translated(problem) if problem else tr("All log rows are written to the request log again."),
                          error=problem is not None)

    @Slot(str)
    def _on_credentials_failed(self, message: str) -> None:
        if self._open_dialog is None:
            self.show_message(translated(message), error=True)

    @Slot(str, object)
    def _on_call_answered(self, purpose: str, result: ApiResult) -> None:
        if purpose == "test":
            if self._open_dialog is not None:
                self._open_dialog.show_test_result(result)
            return
        if self.agent.call_answered(purpose, result):
            return  # the light, the transcript and the Say box say it where the operator looks
        self.instance_panel.show_result(purpose, result)
        if purpose == CREATE_AGENT_INSTANCE and self._use_next_created:
            self._use_next_created = False
            new_id = str((result.data or {}).get("AgentInstanceId") or "") if result.ok else ""
            if new_id:
                self._use_instance(new_id)
        if not result.ok:
            self.show_message(tr("{action} failed: {why}").format(action=result.action, why=result.explanation(tr)),
                              error=True)

    def _create_instance(self, spec: InstanceSpec) -> None:
        self.call_requested.emit(spec.as_request(), spec.as_request().action)

    @Slot()
    def _create_instance_from_banner(self) -> None:
        """The banner's "Create instance": the panel creates one with the profile's settings, then it is used."""
        self.instance_dock.show()
        self.instance_dock.raise_()
        self._use_next_created = True
        if self.instance_panel.create_button.isEnabled():
            self.instance_panel.create_button.click()
        if not self.instance_panel.is_awaiting(CREATE_AGENT_INSTANCE):
            self._use_next_created = False  # not sent (settings missing): the panel says what to set

    def _instance_call(self, action: str, agent_instance_id: str) -> None:
        request: ApiRequest = instance_request(action, agent_instance_id)
        self.call_requested.emit(request, action)

    def _use_instance(self, instance_id: str) -> None:
        if self._session is None:
            return
        self.release("instance changed")
        # Until the worker answers with the new session, no input may start a turn: a press now would go to
        # the old instance, and its release after the switch would find nothing held to stop.
        self.talk.session_lost()
        self.agent.session_lost()
        self.talk_button.setEnabled(False)
        self.use_instance_requested.emit(instance_id, not self._session.demo)

    # --- log ------------------------------------------------------------------------------------------

    def copy_request_id(self, row: int) -> str | None:
        """Copy the RequestId of a display row to the clipboard."""
        return self.log_view.copy_request_id(row)

    def copy_selected_request_id(self) -> None:
        """Ctrl+C: copy the selected row's RequestId."""
        self.log_view.copy_selected_request_id()

    @Slot(object)
    def _on_log_filter_changed(self, log_filter: LogFilter) -> None:
        self.filter_bar.setVisible(log_filter.narrowed)
        self.filter_label.setText(log_filter.short_description())
        self.filter_label.setToolTip(log_filter.describe())
        self.routine_reads_action.setChecked(log_filter.hide_routine_reads)

    @Slot(int)
    def _on_transcript_updated(self, new_messages: int) -> None:
        if new_messages and self.tabs.currentWidget() is not self.agent.transcript:
            self._unread_messages += new_messages
            self.tabs.setTabText(1, tr("{title} ({count} new)").format(title=tr(TRANSCRIPT_TAB_TITLE),
                                                                        count=self._unread_messages))

    @Slot(int)
    def _on_tab_changed(self, index: int) -> None:
        if self.tabs.widget(index) is self.agent.transcript:
            self._unread_messages = 0
            self.tabs.setTabText(index, tr(TRANSCRIPT_TAB_TITLE))

    def export_log(self, kind: str) -> None:
        """Ask where, then let the worker write the whole journal as CSV or JSON."""
        suffix = tr("CSV files (*.csv)") if kind == "csv" else tr("JSON files (*.json)")
        title = tr("Export request log as {format}").format(format=kind.upper())
        path, _ = QFileDialog.getSaveFileName(self, title, f"ptt-requests.{kind}", suffix)
        if path:
            self.export_requested.emit(path, kind)

    def add_notice(self, text: str) -> None:
        """A sentence the operator must see once the window is ready (the last session's crash, say)."""
        self._notice = f"{self._notice} {text}".strip()
        self.show_message(text, error=True)

    def show_message(self, text: str, error: bool = False) -> None:
        """Tell the operator something on the message line (shortened there if long; the tooltip has it all)."""
        self.talk_panel.show_message(text, error)
        self._message_cap.set_text(text)
        self.message_shown.emit(text, error)

    def shown_message(self) -> str:
        """The whole of the latest message (the message line may show it shortened)."""
        return self._message_cap.full_text

    # --- geometry -------------------------------------------------------------------------------------

    def _restore_geometry(self) -> None:
        stored = window_settings()
        geometry = stored.value("window/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        else:
            self.resize(1060, 700)
        state = stored.value("window/state")
        if state is not None:
            self.restoreState(state)

    def _save_geometry(self) -> None:
        stored = window_settings()
        stored.setValue("window/geometry", self.saveGeometry())
        stored.setValue("window/state", self.saveState())
