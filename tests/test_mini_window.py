"""The mini talk window (pytest-qt, offscreen) against the real simulator: always on top, a hold button that
talks like the big one, the state's words, dragged and remembered, toggled from the View menu and the tray."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QSystemTrayIcon

from ptt_app.gui.talk_look import LookKind
from ptt_app.gui.tray import TalkTrayIcon

START, STOP = "StartListening", "StopListening"


def sent(simulator) -> list[str]:
    return [r.action for r in simulator.received() if r.action in (START, STOP)]


def wait_sent(qtbot, simulator, count: int) -> list[str]:
    qtbot.waitUntil(lambda: len(sent(simulator)) >= count, timeout=5000)
    return sent(simulator)


def wait_shown(qtbot, window, kind: LookKind) -> None:
    qtbot.waitUntil(lambda: window.talk.look.kind is kind, timeout=5000)


def test_the_view_menu_shows_an_always_on_top_mini_window_whose_button_holds(qtbot, open_window, simulator) -> None:
    window = open_window()
    mini = window.talk.mini_window
    assert not mini.isVisible()
    view_menu = next(action.menu() for action in window.menuBar().actions() if action.text() == "&View")
    assert window.talk.mini_window_action in view_menu.actions()
    window.talk.mini_window_action.trigger()
    qtbot.waitUntil(mini.isVisible)
    flags = mini.windowFlags()
    assert flags & Qt.WindowType.WindowStaysOnTopHint and flags & Qt.WindowType.Tool
    qtbot.mousePress(mini.talk_button, Qt.MouseButton.LeftButton)
    wait_shown(qtbot, window, LookKind.LISTENING)
    assert mini.state_label.text() == "Listening"
    qtbot.mouseRelease(mini.talk_button, Qt.MouseButton.LeftButton)
    assert wait_sent(qtbot, simulator, 2) == [START, STOP]
    window.talk.mini_window_action.trigger()
    assert not mini.isVisible()


def test_the_mini_window_remembers_where_it_was_dragged_and_that_it_was_shown(qtbot, open_window, private_app_dirs) -> None:
    first = open_window()
    first.talk.mini_window_action.setChecked(True)
    mini = first.talk.mini_window
    qtbot.waitUntil(mini.isVisible)
    start = mini.pos()
    qtbot.mousePress(mini, Qt.MouseButton.LeftButton, pos=QPoint(4, 4))
    qtbot.mouseMove(mini, QPoint(44, 34))
    qtbot.mouseRelease(mini, Qt.MouseButton.LeftButton, pos=QPoint(44, 34))
    qtbot.waitUntil(lambda: mini.pos() == start + QPoint(40, 30))
    first.close()
    qtbot.waitUntil(lambda: first._drained, timeout=10000)
    second = open_window()
    qtbot.waitUntil(second.talk.mini_window.isVisible)
    assert second.talk.mini_window.pos() == start + QPoint(40, 30)
    assert (private_app_dirs / "config" / "ptt-app.conf").is_file()  # in PTT_APP_CONFIG_DIR, not the operator's


def test_the_mini_windows_button_is_disabled_while_the_big_one_is(qtbot, open_window) -> None:
    window = open_window()
    assert window.talk.mini_window.talk_button.isEnabled()
    window.talk_button.setEnabled(False)
    assert not window.talk.mini_window.talk_button.isEnabled()


def test_the_tray_menu_toggles_the_mini_window(qtbot, open_window, monkeypatch) -> None:
    window = open_window()
    # The offscreen platform has no tray; the menu is built the same way where one exists.
    monkeypatch.setattr(QSystemTrayIcon, "isSystemTrayAvailable", staticmethod(lambda: True))
    tray = TalkTrayIcon(window, window.talk.mini_window_action)
    try:
        assert window.talk.mini_window_action in tray.menu.actions()
    finally:
        tray.hide()
