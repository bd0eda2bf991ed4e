"""The operator window (pytest-qt, offscreen) against the real simulator over loopback."""

from __future__ import annotations

import time

import pytest
from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtGui import QGuiApplication, QKeyEvent
from PySide6.QtWidgets import QApplication, QLabel

from conftest import save_profile
from ptt_app.api.types import Credentials
from ptt_app.gui.main_window import MainWindow
from ptt_app.gui.mini_window import MiniTalkWindow
from ptt_app.sim import Fault, FaultKind
from ptt_app.store.journal import JournalStatus, RequestJournal
from ptt_app.store.paths import journal_path
from ptt_app.talk.intents import TalkState


def shown_state(window) -> TalkState | None:
    """The talk state the window shows (its words and icon are the talk panel's tests)."""
    controller = window.talk.controller
    return controller.state if controller is not None else None


def talk_once(qtbot, window, simulator):
    """Press and release once; returns the two requests once the log shows the Stop's answer."""
    window.press("test")
    window.release("test")
    requests = wait_for_requests(qtbot, simulator, 2)
    qtbot.waitUntil(lambda: row_of(window, requests[-1].request_id) is not None)
    return requests


def row_of(window, request_id: str) -> int | None:
    """The log's display row of a request (background reads may sit above it)."""
    model = window.log_model
    return next((row for row in range(model.rowCount()) if model.entry_at(row).request_id == request_id), None)


def listening_requests(simulator):
    return [r for r in simulator.received() if r.action in ("StartListening", "StopListening")]


def listening_rows(window):
    """The log's Start/Stop rows, newest first (the status light's reads are rows too)."""
    rows = (window.log_model.entry_at(i) for i in range(window.log_model.rowCount()))
    return [entry for entry in rows if entry.action in ("StartListening", "StopListening")]


def wait_for_requests(qtbot, simulator, count: int, timeout: int = 5000):
    qtbot.waitUntil(lambda: len(listening_requests(simulator)) >= count, timeout=timeout)
    return listening_requests(simulator)


def test_press_and_release_send_start_then_stop_with_increasing_sequence(qtbot, open_window, simulator) -> None:
    window = open_window()
    qtbot.mousePress(window.talk_button, Qt.MouseButton.LeftButton)
    qtbot.mouseRelease(window.talk_button, Qt.MouseButton.LeftButton)
    requests = wait_for_requests(qtbot, simulator, 2)
    assert [r.action for r in requests] == ["StartListening", "StopListening"]
    assert requests[0].sequence < requests[1].sequence


def test_each_request_gets_a_log_row_with_the_simulators_request_id(qtbot, open_window, simulator) -> None:
    window = open_window()
    qtbot.mousePress(window.talk_button, Qt.MouseButton.LeftButton)
    qtbot.mouseRelease(window.talk_button, Qt.MouseButton.LeftButton)
    requests = wait_for_requests(qtbot, simulator, 2)
    expected = {r.request_id for r in requests}
    qtbot.waitUntil(lambda: {entry.request_id for entry in listening_rows(window)[:2]} == expected)
    assert listening_rows(window)[0].action == "StopListening"


def test_state_shows_listening_only_after_the_server_confirmed(qtbot, open_window, simulator) -> None:
    window = open_window()
    simulator.add_fault(Fault(FaultKind.DELAY, action="StartListening", seconds=0.5, times=1))
    window.press("test")
    qtbot.waitUntil(lambda: shown_state(window) is TalkState.STARTING, timeout=1000)
    qtbot.waitUntil(lambda: shown_state(window) is TalkState.LISTENING, timeout=3000)
    window.release("test")
    qtbot.waitUntil(lambda: shown_state(window) is TalkState.IDLE, timeout=3000)


def key_event(kind: QEvent.Type, autorepeat: bool = False) -> QKeyEvent:
    return QKeyEvent(kind, Qt.Key.Key_Space, Qt.KeyboardModifier.NoModifier, " ", autorepeat)


def test_holding_space_with_auto_repeat_sends_one_start_and_one_stop(qtbot, open_window, simulator) -> None:
    window = open_window()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    QApplication.sendEvent(window, key_event(QEvent.Type.KeyPress))
    for _ in range(10):
        QApplication.sendEvent(window, key_event(QEvent.Type.KeyRelease, autorepeat=True))
        QApplication.sendEvent(window, key_event(QEvent.Type.KeyPress, autorepeat=True))
    QApplication.sendEvent(window, key_event(QEvent.Type.KeyRelease))
    wait_for_requests(qtbot, simulator, 2)
    qtbot.wait(300)
    assert [r.action for r in listening_requests(simulator)] == ["StartListening", "StopListening"]


def test_release_reaches_the_server_promptly_while_start_is_stalled(qtbot, open_window, simulator, instance_id) -> None:
    window = open_window()
    gaps: list[float] = []
    last = [time.monotonic()]

    def probe() -> None:
        now = time.monotonic()
        gaps.append(now - last[0])
        last[0] = now

    timer = QTimer()
    timer.timeout.connect(probe)
    timer.start(5)
    simulator.add_fault(Fault(FaultKind.STALL, action="StartListening", seconds=5.0, times=1))
    qtbot.mousePress(window.talk_button, Qt.MouseButton.LeftButton)
    qtbot.wait(200)
    released = time.monotonic()
    qtbot.mouseRelease(window.talk_button, Qt.MouseButton.LeftButton)
    stop = next(r for r in wait_for_requests(qtbot, simulator, 2) if r.action == "StopListening")
    assert stop.received_monotonic - released < 0.5
    # The stalled Start finally lands, but with a lower Sequence it cannot undo the Stop.
    qtbot.waitUntil(lambda: shown_state(window) is TalkState.IDLE, timeout=8000)
    qtbot.waitUntil(lambda: all(entry.status is not JournalStatus.PENDING for entry in listening_rows(window)[:2]),
                    timeout=8000)
    timer.stop()
    assert not simulator.is_listening(instance_id)
    assert max(gaps) < 0.1, f"GUI event loop stalled for {max(gaps) * 1000:.0f} ms"


def test_losing_window_focus_while_held_sends_stop(qtbot, open_window, simulator, instance_id) -> None:
    window = open_window()
    window.press("test")
    wait_for_requests(qtbot, simulator, 1)
    QApplication.sendEvent(window, QEvent(QEvent.Type.WindowDeactivate))
    requests = wait_for_requests(qtbot, simulator, 2)
    assert requests[-1].action == "StopListening"
    qtbot.waitUntil(lambda: not simulator.is_listening(instance_id))
    assert "lost focus" in window.shown_message()


def test_closing_the_window_while_held_sends_stop(qtbot, open_window, simulator, instance_id) -> None:
    window = open_window()
    window.press("test")
    qtbot.waitUntil(lambda: simulator.is_listening(instance_id))
    window.close()
    qtbot.waitUntil(lambda: window._drained, timeout=10000)
    assert listening_requests(simulator)[-1].action == "StopListening"
    assert not simulator.is_listening(instance_id)


def test_maximum_hold_releases_by_itself_and_says_so(qtbot, open_window, simulator, instance_id) -> None:
    window = open_window(max_hold_s=1.0)
    window.press("test")
    qtbot.waitUntil(lambda: simulator.is_listening(instance_id))
    qtbot.waitUntil(lambda: not simulator.is_listening(instance_id), timeout=3000)
    assert "maximum hold" in window.shown_message()


@pytest.mark.parametrize(
    ("setup", "words"),
    [
        ("bad_credentials", "Code 100000005"),
        ("server_down", "connection refused"),
        ("html_502", "HTTP 502"),
        ("timeout", "no answer"),
    ],
)
def test_failures_show_a_clear_message_and_a_log_row_and_the_app_keeps_working(
    qtbot, open_window, simulator, credentials, setup, words
) -> None:
    import socket

    options: dict = {}
    creds = credentials
    if setup == "bad_credentials":
        creds = Credentials(credentials.app_id, "z" * 32)
    elif setup == "server_down":
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            options["endpoint"] = f"http://127.0.0.1:{probe.getsockname()[1]}"
    elif setup == "html_502":
        simulator.add_fault(Fault(FaultKind.HTTP_502_HTML, action="StartListening", times=1))
    else:
        options["read_timeout_s"] = 0.5
        # Twice: the client resends a request that met silence on a reused connection, once.
        simulator.add_fault(Fault(FaultKind.STALL, action="StartListening", seconds=2.0, times=2))
    window = open_window(creds, **options)
    window.press("test")
    qtbot.waitUntil(lambda: shown_state(window) is TalkState.ERROR, timeout=5000)
    assert words in window.shown_message()
    qtbot.waitUntil(lambda: listening_rows(window) and listening_rows(window)[0].status is not JournalStatus.PENDING)
    assert listening_rows(window)[0].action == "StartListening"
    window.release("test")
    qtbot.waitUntil(lambda: listening_rows(window)[0].action == "StopListening", timeout=8000)
    assert window.talk_button.isEnabled()


def test_presses_queued_behind_a_stalled_server_are_logged_as_superseded(qtbot, open_window, simulator, instance_id) -> None:
    window = open_window(max_in_flight=1)
    simulator.add_fault(Fault(FaultKind.STALL, action="StartListening", seconds=1.0, times=1))
    for _ in range(3):
        window.press("test")
        window.release("test")
    qtbot.waitUntil(
        lambda: (
            len(listening_rows(window)) == 6
            and not any(entry.status is JournalStatus.PENDING for entry in listening_rows(window))
        ),
        timeout=5000,
    )
    statuses = [entry.status for entry in listening_rows(window)]
    assert statuses.count(JournalStatus.SUPERSEDED) == 4
    sent = listening_requests(simulator)
    assert [r.action for r in sent] == ["StartListening", "StopListening"]
    assert not simulator.is_listening(instance_id)


def test_ctrl_c_copies_the_selected_request_id(qtbot, open_window, simulator) -> None:
    window = open_window()
    requests = talk_once(qtbot, window, simulator)
    window.log_view.selectRow(row_of(window, requests[-1].request_id))
    window.copy_selected_request_id()
    assert QGuiApplication.clipboard().text() == requests[-1].request_id


def test_reopening_the_app_shows_the_earlier_rows(qtbot, open_window, simulator) -> None:
    first = open_window()
    first.press("test")
    first.release("test")
    requests = wait_for_requests(qtbot, simulator, 2)
    first.close()
    qtbot.waitUntil(lambda: first._drained, timeout=10000)
    second = open_window()
    shown = {second.log_model.entry_at(i).request_id for i in range(second.log_model.rowCount())}
    assert {r.request_id for r in requests} <= shown


def test_a_reopened_window_writes_its_rows_to_the_journal_file(qtbot, open_window, simulator) -> None:
    # The first window's log reader outlives its journal, leaving -wal/-shm; the second window's reader
    # looks at the file before its worker opens it. The worker must still write (it was refused once,
    # and every row of the second run was kept in memory, then lost).
    for _ in range(2):
        window = open_window()
        simulator.clear_received()
        window.press("test")
        window.release("test")
        requests = wait_for_requests(qtbot, simulator, 2)
        window.close()
        qtbot.waitUntil(lambda window=window: window._drained, timeout=10000)
    with RequestJournal(journal_path()) as journal:
        written = {entry.request_id for entry in journal.recent(50) if not entry.provisional}
    assert {r.request_id for r in requests} <= written


ROOM = {"rtc_room_id": "room-7", "agent_stream_id": "agent-7-stream", "agent_user_id": "agent-7-user",
        "user_stream_id": "test-user-stream"}


def test_an_instance_created_in_the_panel_is_used_for_talking(qtbot, open_window, simulator) -> None:
    simulator.register_agent("agent-7")
    window = open_window(agent_id="agent-7", **ROOM)
    panel = window.instance_panel
    panel.create_button.click()
    qtbot.waitUntil(lambda: panel.use_button.isEnabled() and panel.instance_field.text() != "", timeout=5000)
    new_id = panel.instance_field.text()
    assert new_id in {i.agent_instance_id for i in simulator.instances()}
    panel.use_button.click()
    qtbot.waitUntil(lambda: window.instance_value.text() == new_id and window.talk_button.isEnabled(), timeout=5000)
    window.press("test")
    qtbot.waitUntil(lambda: simulator.is_listening(new_id), timeout=5000)
    window.release("test")
    qtbot.waitUntil(lambda: not simulator.is_listening(new_id), timeout=5000)


def test_demo_window_talks_to_an_instance_created_in_its_panel(qtbot, monkeypatch) -> None:
    from PySide6.QtWidgets import QMessageBox

    from ptt_app.gui.main_window import MainWindow
    from ptt_app.session.runtime import ConsoleOptions

    monkeypatch.setattr(QMessageBox, "question", lambda *args, **kwargs: QMessageBox.StandardButton.Yes)
    window = MainWindow(ConsoleOptions(demo=True))
    window.show()
    try:
        qtbot.waitUntil(window.talk_button.isEnabled, timeout=5000)
        first = window.instance_value.text()
        # The demo's room ids are the profile's: the first instance must go before another can use them.
        window.instance_panel.delete_button.click()
        qtbot.waitUntil(lambda: window.instance_panel.instance_field.text() == "", timeout=5000)
        window.instance_panel.create_button.click()
        qtbot.waitUntil(lambda: window.instance_panel.instance_field.text() not in ("", first), timeout=5000)
        window.instance_panel.use_button.click()
        qtbot.waitUntil(
            lambda: (
                window.instance_value.text() == window.instance_panel.instance_field.text() and window.talk_button.isEnabled()
            ),
            timeout=5000,
        )
        window.press("test")
        qtbot.waitUntil(lambda: shown_state(window) is TalkState.LISTENING, timeout=5000)
        window.release("test")
        qtbot.waitUntil(lambda: shown_state(window) is TalkState.IDLE, timeout=5000)
    finally:
        window.close()
        qtbot.waitUntil(lambda: window._drained, timeout=10000)


class NoKeyringStore:
    """The credential store as it behaves on a machine without a Secret Service."""

    def load(self, profile: str):
        from ptt_app.store.credentials import KeyringUnavailable

        raise KeyringUnavailable("no system keyring is available")

    def backend_name(self) -> str:
        return "none"


def test_first_start_with_nothing_configured_runs_the_demo_and_says_so(qtbot) -> None:
    from ptt_app.gui.main_window import MainWindow
    from ptt_app.session.runtime import ConsoleOptions

    window = MainWindow(ConsoleOptions(), credential_store=NoKeyringStore())
    window.show()
    try:
        qtbot.waitUntil(window.talk_button.isEnabled, timeout=5000)
        assert window.windowTitle() == "PTT Console — built-in demo"
        qtbot.waitUntil(lambda: "demo simulator" in window.shown_message())
        assert "keyring" in window.shown_message()
    finally:
        window.close()
        qtbot.waitUntil(lambda: window._drained, timeout=10000)


def test_configured_profile_without_credentials_offers_settings_or_the_demo(qtbot, monkeypatch) -> None:
    from ptt_app.gui import main_window
    from ptt_app.gui.settings_dialog import FirstRunAnswer
    from ptt_app.session.runtime import ConsoleOptions
    from ptt_app.store.credentials import CredentialsMissing

    offered = []
    monkeypatch.setattr(
        main_window, "ask_first_run", lambda parent, profile, reason: offered.append(reason) or FirstRunAnswer.DEMO
    )

    class EmptyStore(NoKeyringStore):
        def load(self, profile: str):
            raise CredentialsMissing(f"no AppId and ServerSecret saved in the keyring for profile {profile!r}")

    save_profile(user_id="op")
    window = main_window.MainWindow(ConsoleOptions(), credential_store=EmptyStore())
    window.show()
    try:
        qtbot.waitUntil(lambda: bool(offered) and window.talk_button.isEnabled(), timeout=5000)
        assert offered[0].startswith("No AppId and ServerSecret saved") and "--demo" not in offered[0]
        assert window.windowTitle() == "PTT Console — built-in demo"
    finally:
        window.close()
        qtbot.waitUntil(lambda: window._drained, timeout=10000)


def test_missing_keyring_is_said_clearly_in_the_window(qtbot, monkeypatch) -> None:
    from ptt_app.gui import main_window
    from ptt_app.session.runtime import ConsoleOptions

    # The operator dismisses the first-run choice; the window must still say what is wrong.
    monkeypatch.setattr(main_window, "ask_first_run", lambda *args: None)
    save_profile(user_id="op")
    window = main_window.MainWindow(ConsoleOptions(), credential_store=NoKeyringStore())
    window.show()
    try:
        qtbot.waitUntil(lambda: "keyring" in window.shown_message(), timeout=5000)
        assert "plain file" in window.shown_message()
        assert not window.talk_button.isEnabled()
    finally:
        window.close()
        qtbot.waitUntil(lambda: window._drained, timeout=10000)


@pytest.mark.parametrize(("secret_ok", "words"), [(True, "Signature accepted"), (False, "refused the credentials")])
def test_test_connection_makes_a_signed_call_and_reports_it(qtbot, open_window, credentials, simulator, secret_ok, words) -> None:
    import dataclasses

    from ptt_app.gui.settings_dialog import SettingsDialog
    from ptt_app.store.settings import AppSettings, ProfileSettings

    window = open_window()
    dialog = SettingsDialog(AppSettings(), "default", True, window)
    window._open_dialog = dialog
    profile = ProfileSettings(endpoint=simulator.base_url, agent_instance_id="unknown-instance")
    creds = credentials if secret_ok else dataclasses.replace(credentials, server_secret="q" * 32)
    window.test_connection_requested.emit("default", profile, creds)
    qtbot.waitUntil(lambda: words in dialog.test_label.text(), timeout=5000)
    assert any(r.action == "QueryAgentInstanceStatus" for r in simulator.received())
    window._open_dialog = None


def test_one_click_on_a_request_id_copies_it(qtbot, open_window, simulator) -> None:
    from ptt_app.gui.request_log_model import REQUEST_ID_COLUMN

    window = open_window()
    requests = talk_once(qtbot, window, simulator)
    rect = window.log_view.visualRect(window.log_model.index(row_of(window, requests[-1].request_id), REQUEST_ID_COLUMN))
    qtbot.mouseClick(window.log_view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert QGuiApplication.clipboard().text() == requests[-1].request_id


def test_export_writes_every_row_as_csv_and_json(qtbot, open_window, simulator, tmp_path) -> None:
    import json

    window = open_window()
    requests = talk_once(qtbot, window, simulator)
    window.export_requested.emit(str(tmp_path / "log.json"), "json")
    window.export_requested.emit(str(tmp_path / "log.csv"), "csv")
    qtbot.waitUntil(lambda: (tmp_path / "log.csv").exists() and "Exported" in window.shown_message(), timeout=5000)
    exported = {row["request_id"] for row in json.loads((tmp_path / "log.json").read_text())}
    assert {r.request_id for r in requests} <= exported
    assert requests[-1].request_id in (tmp_path / "log.csv").read_text()


def test_the_window_writes_the_secret_to_no_file(qtbot, open_window, simulator, credentials, private_app_dirs) -> None:
    import os
    from pathlib import Path

    window = open_window()
    window.press("test")
    window.release("test")
    wait_for_requests(qtbot, simulator, 2)
    window.close()
    qtbot.waitUntil(lambda: window._drained, timeout=10000)
    secret = credentials.server_secret.encode()
    for root in (private_app_dirs, Path(os.environ["XDG_CONFIG_HOME"])):
        for path in root.rglob("*"):
            if path.is_file():
                assert secret not in path.read_bytes(), path


def test_test_connection_works_before_any_session_opened(qtbot, simulator, credentials, monkeypatch) -> None:
    from ptt_app.gui import main_window
    from ptt_app.gui.settings_dialog import SettingsDialog
    from ptt_app.session.runtime import ConsoleOptions
    from ptt_app.store.settings import AppSettings, ProfileSettings

    monkeypatch.setattr(main_window, "ask_first_run", lambda *args: None)
    save_profile(user_id="op")
    window = main_window.MainWindow(ConsoleOptions(), credential_store=NoKeyringStore())
    window.show()
    try:
        qtbot.waitUntil(lambda: "keyring" in window.shown_message(), timeout=5000)
        dialog = SettingsDialog(AppSettings(), "default", False, window)
        window._open_dialog = dialog
        window.test_connection_requested.emit("default", ProfileSettings(endpoint=simulator.base_url), credentials)
        qtbot.waitUntil(lambda: "Signature accepted" in dialog.test_label.text(), timeout=5000)
        window._open_dialog = None
    finally:
        window.close()
        qtbot.waitUntil(lambda: window._drained, timeout=10000)


# --- the Help menu ----------------------------------------------------------------------------------


class UrlCatcher:
    """Receives the URLs the window asks the desktop to open (Qt's own hook: QDesktopServices.setUrlHandler)."""

    def __init__(self) -> None:
        from PySide6.QtCore import QObject, Slot
        from PySide6.QtGui import QDesktopServices

        urls: list = []

        class _Receiver(QObject):
            @Slot("QUrl")
            def open(self, url) -> None:
                urls.append(url.toLocalFile())

        self.urls = urls
        self._receiver = _Receiver()
        QDesktopServices.setUrlHandler("file", self._receiver, "open")

    def close(self) -> None:
        from PySide6.QtGui import QDesktopServices

        QDesktopServices.unsetUrlHandler("file")


@pytest.fixture
def opened_urls():
    catcher = UrlCatcher()
    yield catcher.urls
    catcher.close()


def help_action(window, text: str):
    menu = next(action.menu() for action in window.menuBar().actions() if action.text() == "&Help")
    return next(action for action in menu.actions() if action.text().replace("&", "") == text)


def test_help_about_names_the_version_qt_python_and_licence(qtbot, open_window) -> None:
    import platform

    import PySide6
    from PySide6.QtCore import qVersion

    from ptt_app import __version__

    window = open_window()
    help_action(window, "About PTT Console").trigger()
    box = window.help.about_box
    qtbot.waitUntil(box.isVisible, timeout=2000)
    text = box.text()
    for fact in (__version__, f"Qt {qVersion()}", f"PySide6 {PySide6.__version__}", f"Python {platform.python_version()}",
                 "Licence: LicenseRef-proprietary", "LGPL-3.0"):
        assert fact in text
    box.close()


def test_help_opens_the_data_folder_and_the_log_file(qtbot, open_window, opened_urls, private_app_dirs) -> None:
    import logging

    from ptt_app.diagnostics import app_log

    window = open_window()
    help_action(window, "Open data folder").trigger()
    assert opened_urls == [str(private_app_dirs / "data")]
    help_action(window, "Open log file").trigger()
    assert "There is no log file yet" in window.shown_message() and len(opened_urls) == 1
    log_path = app_log.configure(private_app_dirs / "data" / "logs")
    try:
        logging.getLogger("test").warning("a line")
        help_action(window, "Open log file").trigger()
        assert opened_urls[-1] == str(log_path)
        assert window.shown_message() == f"Opened the log file {log_path}."
    finally:
        for handler in list(logging.getLogger().handlers):
            if isinstance(handler, app_log.SharedRotatingFileHandler):
                logging.getLogger().removeHandler(handler)
                handler.close()


def test_help_lists_the_keyboard_shortcuts_with_the_hold_key_first(qtbot, open_window) -> None:
    window = open_window(hold_key="F8")
    help_action(window, "Keyboard shortcuts").trigger()
    dialog = window.help.shortcuts_dialog
    qtbot.waitUntil(dialog.isVisible, timeout=2000)
    table = dialog.findChild(QLabel, "shortcutsTable").text()
    assert table.index("Hold F8") < table.index("Ctrl+Q") and "File → Quit" in table and "Help → Keyboard shortcuts" in table
    dialog.close()


def test_the_windows_paint_without_a_python_override_on_the_way() -> None:
    # A Python event() or paintEvent() on a top-level window runs the whole window's painting inside a
    # Python call, holding the GIL that the worker and sender threads need for a press (measured: +0.6 ms
    # on every press). Window-wide events are watched with event filters, which return before painting.
    for window_class in (MainWindow, MiniTalkWindow):
        for name in ("event", "paintEvent"):
            assert not any(name in vars(cls) for cls in window_class.__mro__ if cls.__module__.startswith("ptt_app")), (
                f"{window_class.__name__} overrides {name} in Python")
