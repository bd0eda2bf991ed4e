"""The operator window: talk button, confirmed state, request log; every I/O goes to the worker thread."""

from __future__ import annotations

import dataclasses

from PySide6.QtCore import QEvent, QObject, QSettings, Qt, QThread, QTimer, Signal, Slot
from PySide6.QtGui import QAction, QCloseEvent, QGuiApplication, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QAbstractSpinBox,
    QApplication,
    QDockWidget,
    QFileDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMainWindow,
    QPlainTextEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ptt_app.api.types import ApiResult
from ptt_app.gui.console_worker import ConsoleWorker, SessionInfo, SessionProblem
from ptt_app.gui.icons import app_icon
from ptt_app.gui.instance_panel import InstancePanel
from ptt_app.gui.request_log_model import REQUEST_ID_COLUMN, RequestLogModel
from ptt_app.gui.settings_dialog import FirstRunAnswer, SettingsDialog, ask_first_run
from ptt_app.gui.tray import TalkTrayIcon
from ptt_app.session.runtime import ConsoleOptions
from ptt_app.store.credentials import KeyringCredentialStore
from ptt_app.store.journal import RequestJournal
from ptt_app.store.paths import journal_path, settings_path
from ptt_app.store.settings import SettingsStore
from ptt_app.talk.intents import ListenIntent, TalkController, TalkState

DRAIN_GRACE_S = 1.0
RENDER_DELAY_MS = 16
_TEXT_INPUTS = (QLineEdit, QPlainTextEdit, QAbstractSpinBox)


class MainWindow(QMainWindow):
    """Press-and-hold talk console; the state shown is what the server confirmed."""

    open_session_requested = Signal(object)
    listen_requested = Signal(object)
    sequences_shared = Signal(object)
    instance_call_requested = Signal(str, str)
    create_instance_requested = Signal(object)
    test_connection_requested = Signal(str, object, object)
    save_credentials_requested = Signal(str, object)
    export_requested = Signal(str, str)
    drain_requested = Signal(float)
    listen_result_shown = Signal(object, object)
    use_instance_requested = Signal(str)

    def __init__(self, options: ConsoleOptions, credential_store: KeyringCredentialStore | None = None) -> None:
        super().__init__()
        self._options = options
        self._controller: TalkController | None = None
        self._session: SessionInfo | None = None
        self._hold_key = Qt.Key.Key_Space
        self._closing = False
        self._drained = False
        self._open_dialog: SettingsDialog | None = None
        self.remember_geometry = True
        self._notice = ""
        self.setWindowTitle("PTT Console")
        self.setWindowIcon(app_icon())
        self.setMinimumSize(720, 520)

        self._reader = RequestJournal(journal_path())
        self.log_model = RequestLogModel(self._reader, self)
        self._build_widgets()
        self._build_actions()
        self.tray = TalkTrayIcon(self)
        self._max_hold_timer = QTimer(self)
        self._max_hold_timer.setSingleShot(True)
        self._max_hold_timer.timeout.connect(self._on_max_hold)
        # Press and release repaint the state one frame later (the button itself shows "down" at once),
        # so the repaint's Python work does not compete for the GIL with the request being sent:
        # measured 0.7 ms off the median press-to-server latency (bench/press_latency.py).
        self._render_timer = QTimer(self)
        self._render_timer.setSingleShot(True)
        self._render_timer.setInterval(RENDER_DELAY_MS)
        self._render_timer.timeout.connect(self._render_state)

        self._thread = QThread(self)
        self._thread.setObjectName("ptt-worker")
        self.worker = ConsoleWorker(credential_store)
        self.worker.moveToThread(self._thread)
        self._wire_worker()
        self._thread.start()
        self._watch_hold_key()
        self._restore_geometry()
        self._render_state()
        self.open_session_requested.emit(options)

    # --- layout -----------------------------------------------------------------------------------

    def _build_widgets(self) -> None:
        from ptt_app.gui.talk_button import TalkButton

        self.talk_button = TalkButton()
        self.talk_button.setToolTip("Press and hold to talk (or hold Space). Release to stop.")
        self.talk_button.setEnabled(False)
        self.talk_button.held.connect(lambda: self.press("button"))
        self.talk_button.let_go.connect(lambda: self.release("button"))

        self.state_label = QLabel()
        self.state_label.setObjectName("stateLabel")
        self.state_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.state_label.setToolTip("What the server confirmed: Idle, Starting, Listening, Stopping or Error")
        self.latency_label = QLabel("Last request: –")
        self.latency_label.setToolTip("Round trip of the latest Start/Stop, from send to answer")
        self.message_label = QLabel()
        self.message_label.setObjectName("messageLabel")
        self.message_label.setWordWrap(True)
        self.message_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.profile_value = QLabel("–")
        self.endpoint_value = QLabel("–")
        self.instance_value = QLabel("–")
        for value in (self.profile_value, self.endpoint_value, self.instance_value):
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        info = QGridLayout()
        for row, (name, value) in enumerate(
            (("Profile", self.profile_value), ("Endpoint", self.endpoint_value), ("AgentInstanceId", self.instance_value))
        ):
            info.addWidget(QLabel(f"{name}:"), row, 0)
            info.addWidget(value, row, 1)
        info.setColumnStretch(1, 1)

        side = QVBoxLayout()
        side.addWidget(self.state_label)
        side.addLayout(info)
        side.addWidget(self.latency_label)
        side.addWidget(self.message_label)
        side.addStretch(1)
        top = QHBoxLayout()
        top.addWidget(self.talk_button, 1)
        top.addLayout(side, 1)

        self.log_view = QTableView()
        self.log_view.setModel(self.log_model)
        self.log_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.log_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.log_view.setAlternatingRowColors(True)
        self.log_view.setWordWrap(False)
        self.log_view.verticalHeader().setVisible(False)
        # Fixed row heights keep scrolling a 100k-row log cheap: Qt never measures rows.
        self.log_view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.log_view.verticalHeader().setDefaultSectionSize(22)
        header = self.log_view.horizontalHeader()
        header.setStretchLastSection(True)
        for column, width in enumerate((95, 120, 115, 85, 85, 75, 310, 200)):
            self.log_view.setColumnWidth(column, width)
        self.log_view.setToolTip("Click a RequestId (or double-click any cell of a row) to copy it")
        self.log_view.clicked.connect(self._on_log_clicked)
        self.log_view.doubleClicked.connect(lambda index: self.copy_request_id(index.row()))

        separator = QFrame()
        separator.setFrameShape(QFrame.Shape.HLine)
        layout = QVBoxLayout()
        layout.addLayout(top, 2)
        layout.addWidget(separator)
        layout.addWidget(QLabel("Request log (newest first)"))
        layout.addWidget(self.log_view, 3)
        central = QWidget()
        central.setLayout(layout)
        self.setCentralWidget(central)

        self.instance_panel = InstancePanel()
        dock = QDockWidget("Agent instance", self)
        dock.setObjectName("instanceDock")
        dock.setWidget(self.instance_panel)
        self.instance_panel.setMaximumWidth(320)
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, dock)
        # Talking is the everyday job; instances are managed now and then (View → Agent instance).
        dock.hide()
        self.instance_dock = dock

    def _build_actions(self) -> None:
        file_menu = self.menuBar().addMenu("&File")
        self._add_action(file_menu, "&Settings…", QKeySequence.StandardKey.Preferences, self.open_settings, "Ctrl+,")
        file_menu.addSeparator()
        self._add_action(file_menu, "Export log as &CSV…", None, lambda: self.export_log("csv"))
        self._add_action(file_menu, "Export log as &JSON…", None, lambda: self.export_log("json"))
        file_menu.addSeparator()
        self._add_action(file_menu, "&Quit", QKeySequence.StandardKey.Quit, self.close, "Ctrl+Q")
        edit_menu = self.menuBar().addMenu("&Edit")
        self._add_action(edit_menu, "&Copy RequestId", QKeySequence.StandardKey.Copy, self.copy_selected_request_id)
        view_menu = self.menuBar().addMenu("&View")
        view_menu.addAction(self.instance_dock.toggleViewAction())

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
        self.open_session_requested.connect(worker.open_session)
        self.listen_requested.connect(worker.listen)
        self.sequences_shared.connect(worker.use_sequences)
        self.instance_call_requested.connect(worker.instance_call)
        self.create_instance_requested.connect(worker.create_instance)
        self.test_connection_requested.connect(worker.test_connection)
        self.save_credentials_requested.connect(worker.save_credentials)
        self.export_requested.connect(worker.export_journal)
        self.drain_requested.connect(worker.drain)
        self.use_instance_requested.connect(worker.use_instance)
        worker.session_ready.connect(self._on_session_ready)
        worker.session_failed.connect(self._on_session_failed)
        worker.journal_changed.connect(self.log_model.upsert)
        worker.listen_answered.connect(self._on_listen_answered)
        worker.call_answered.connect(self._on_call_answered)
        worker.export_finished.connect(self.show_message)
        # Only bound methods of GUI-thread objects here: a lambda would run on the worker's thread.
        worker.credentials_failed.connect(self._on_credentials_failed)
        worker.drained.connect(self._on_drained)
        self.instance_panel.create_requested.connect(self.create_instance_requested)
        self.instance_panel.instance_call_requested.connect(self.instance_call_requested)
        self.instance_panel.use_instance_requested.connect(self._use_instance)

    # --- talking ------------------------------------------------------------------------------------

    def press(self, reason: str) -> None:
        """Operator pressed: send StartListening, numbered now."""
        if self._controller is None or self._closing:
            self.show_message("Not connected yet: nothing was sent.")
            return
        intent = self._controller.press(reason)
        if intent is None:
            return
        self.listen_requested.emit(intent)
        if self._session is not None:
            self._max_hold_timer.start(int(self._session.profile.max_hold_s * 1000))
        self._render_timer.start()

    def release(self, reason: str) -> None:
        """Operator released (or a safety rule released): send StopListening, numbered now."""
        if self._controller is None:
            return
        intent = self._controller.release(reason)
        if intent is None:
            return
        self._max_hold_timer.stop()
        self.talk_button.abandon_hold()
        self.listen_requested.emit(intent)
        self._render_timer.start()

    def _on_max_hold(self) -> None:
        if self._controller is not None and self._controller.held and self._session is not None:
            limit = self._session.profile.max_hold_s
            self.release(f"maximum hold of {limit:g} s")
            self.show_message(f"Released automatically: the maximum hold of {limit:g} s was reached.")

    @Slot(object, object, bool)
    def _on_listen_answered(self, intent: ListenIntent, result: ApiResult, final: bool) -> None:
        if self._controller is None:
            return
        self._controller.on_result(intent, result, final)
        self.latency_label.setText(
            f"Last request: {result.action} {result.latency_ms:.1f} ms, Code {result.code if result.code is not None else '–'}"
        )
        if not result.ok:
            retrying = "; retrying with a new Sequence" if not final else ""
            self.show_message(f"{intent.action} (Sequence {intent.sequence}) failed: {result.explanation()}{retrying}")
        self._render_state()
        self.listen_result_shown.emit(intent, result)

    def _render_state(self) -> None:
        state = self._controller.state if self._controller else TalkState.IDLE
        held = bool(self._controller and self._controller.held)
        label = state.value if self._controller else "Not connected"
        self.state_label.setText(label)
        for widget in (self.state_label, self.talk_button):
            widget.setProperty("talkState", state.value)
            widget.style().unpolish(widget)
            widget.style().polish(widget)
        self.talk_button.setText("Listening…\nrelease to stop" if held else "Hold to talk\n(mouse or Space)")
        self.tray.show_state(state, label)

    # --- keyboard and focus safety -------------------------------------------------------------

    def _watch_hold_key(self) -> None:
        # Key events go to the focused widget, so the filter sits on the window and on every widget
        # that can take focus. Not on the whole application: a Python filter there runs for every
        # event of every object and takes the GIL from the sender threads on each press.
        for widget in (self, *self.findChildren(QWidget)):
            if widget is self or widget.focusPolicy() != Qt.FocusPolicy.NoFocus:
                widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease) and self._is_hold_key(event):
            if event.isAutoRepeat():
                return True
            if kind == QEvent.Type.KeyPress:
                self.press("key")
            else:
                self.release("key")
            return True
        return False

    def _is_hold_key(self, event: QKeyEvent) -> bool:
        if event.key() != self._hold_key or event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
            return False
        if QApplication.activeWindow() is not self:
            return False
        # Typing a space into a field must never open the microphone.
        return not isinstance(QApplication.focusWidget(), _TEXT_INPUTS)

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.WindowDeactivate and self._controller is not None and self._controller.held:
            self.release("window lost focus")
            self.show_message("Released: the window lost focus while talking.")
        return super().event(event)

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
        self.talk_button.setEnabled(False)
        timeout = (self._session.profile.read_timeout_s if self._session else 3.0) + DRAIN_GRACE_S
        self.drain_requested.emit(timeout)

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
        self._controller = TalkController(info.sequences)
        self.sequences_shared.emit(info.sequences)
        self._hold_key = _key_from_name(info.profile.hold_key)
        self.profile_value.setText(f"{'built-in demo simulator' if info.demo else info.profile_name} — AppId {info.app_id}")
        self.endpoint_value.setText(info.profile.endpoint)
        self.instance_value.setText(info.profile.agent_instance_id or "not set: create one in the instance panel")
        self.setWindowTitle(f"PTT Console — {'built-in demo' if info.demo else info.profile_name}")
        self.talk_button.setEnabled(bool(info.profile.agent_instance_id) and not self._closing)
        self.instance_panel.set_profile(info.profile_name, info.profile)
        self.log_model.refresh_newer()
        ready = (f"Ready. Credentials: {info.backend_note}." if info.profile.agent_instance_id
                 else "No AgentInstanceId: create one in the instance panel or set it in Settings.")
        self.show_message(self._notice or ready)
        self._notice = ""
        self._render_state()

    @Slot(str, str)
    def _on_session_failed(self, kind: str, message: str) -> None:
        self._session = None
        self._controller = None
        self.talk_button.setEnabled(False)
        self.show_message(message, error=True)
        self._render_state()
        if kind not in (SessionProblem.CREDENTIALS_MISSING, SessionProblem.KEYRING) or self._options.demo:
            return
        if not settings_path().exists():
            # A first start with nothing configured: show the app working, on the demo, and say so.
            self._notice = (f"{message[:1].upper()}{message[1:]}. Running on the built-in demo simulator; File → Settings… adds "
                            "your AppId and ServerSecret.")
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
        self._controller = None
        self.talk_button.setEnabled(False)
        self._render_state()
        self.open_session_requested.emit(options)

    # --- settings and instances ---------------------------------------------------------------------

    def open_settings(self) -> None:
        """The settings and credentials dialog; saving reopens the session."""
        store = SettingsStore(settings_path())
        app_settings = store.load().settings
        name = self._session.profile_name if self._session and not self._session.demo else (
            self._options.profile or app_settings.active_profile)
        has_credentials = self._session is not None and not self._session.demo and self._session.profile_name == name
        dialog = SettingsDialog(app_settings, name, has_credentials, self, settings_store=store)
        dialog.test_connection_requested.connect(self.test_connection_requested)
        dialog.save_credentials_requested.connect(self.save_credentials_requested)
        self._open_dialog = dialog
        connections = (
            (self.worker.credentials_saved, dialog.show_credentials_saved),
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
        if accepted:
            profile = dialog.chosen_profile_name()
            self.reopen(dataclasses.replace(self._options, demo=False, profile=profile))

    @Slot(str)
    def _on_credentials_failed(self, message: str) -> None:
        self.show_message(message, error=True)

    @Slot(str, object)
    def _on_call_answered(self, purpose: str, result: ApiResult) -> None:
        if purpose == "test":
            if self._open_dialog is not None:
                self._open_dialog.show_test_result(result)
            return
        self.instance_panel.show_result(purpose, result)
        if not result.ok:
            self.show_message(f"{result.action} failed: {result.explanation()}", error=True)

    def _use_instance(self, instance_id: str) -> None:
        if self._session is None:
            return
        if not self._session.demo:
            store = SettingsStore(settings_path())
            settings = store.load().settings
            name = self._session.profile_name
            profile = dataclasses.replace(settings.profile(name), agent_instance_id=instance_id)
            store.save(settings.with_profile(name, profile))
        self.release("instance changed")
        self.talk_button.setEnabled(False)
        self.use_instance_requested.emit(instance_id)

    # --- log ------------------------------------------------------------------------------------------

    def copy_request_id(self, row: int) -> str | None:
        """Copy the RequestId of a display row to the clipboard."""
        if not 0 <= row < self.log_model.rowCount():
            return None
        request_id = self.log_model.entry_at(row).request_id
        if not request_id:
            self.show_message("That row has no RequestId (the server did not answer it).")
            return None
        QGuiApplication.clipboard().setText(request_id)
        self.show_message(f"Copied RequestId {request_id}")
        return request_id

    def _on_log_clicked(self, index) -> None:
        # One click on the RequestId itself copies it: that is what support asks for.
        if index.column() == REQUEST_ID_COLUMN:
            self.copy_request_id(index.row())

    def copy_selected_request_id(self) -> None:
        """Ctrl+C: copy the selected row's RequestId."""
        rows = self.log_view.selectionModel().selectedRows(REQUEST_ID_COLUMN)
        if rows:
            self.copy_request_id(rows[0].row())

    def export_log(self, kind: str) -> None:
        """Ask where, then let the worker write the whole journal as CSV or JSON."""
        suffix = "CSV files (*.csv)" if kind == "csv" else "JSON files (*.json)"
        path, _ = QFileDialog.getSaveFileName(self, f"Export request log as {kind.upper()}", f"ptt-requests.{kind}", suffix)
        if path:
            self.export_requested.emit(path, kind)

    def show_message(self, text: str, error: bool = False) -> None:
        """Tell the operator something in the window (and the status bar)."""
        self.message_label.setText(text)
        self.message_label.setProperty("error", error)
        self.message_label.style().unpolish(self.message_label)
        self.message_label.style().polish(self.message_label)
        self.statusBar().showMessage(text, 10000)

    # --- geometry -------------------------------------------------------------------------------------

    def _restore_geometry(self) -> None:
        stored = QSettings()
        geometry = stored.value("window/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        else:
            self.resize(1060, 700)
        state = stored.value("window/state")
        if state is not None:
            self.restoreState(state)

    def _save_geometry(self) -> None:
        stored = QSettings()
        stored.setValue("window/geometry", self.saveGeometry())
        stored.setValue("window/state", self.saveState())


def _key_from_name(name: str) -> Qt.Key:
    sequence = QKeySequence.fromString(name)
    if sequence.count() == 0:
        return Qt.Key.Key_Space
    return sequence[0].key()
