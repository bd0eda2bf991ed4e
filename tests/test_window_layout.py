"""The window's layout holds from the minimum size to a large screen, with and without the instance panel:
the real window is resized through a set of sizes and its widget geometries are compared, so overlapping
or clipped widgets fail the test (pytest-qt, offscreen, on the built-in demo)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QLabel, QMainWindow, QWidget

from ptt_app.gui.elided_label import ElidedLabel
from ptt_app.gui.main_window import MainWindow
from ptt_app.session.runtime import ConsoleOptions
from ptt_app.talk.intents import TalkState

MINIMUM = (720, 520)
SIZES = (MINIMUM, (860, 600), (1060, 700), (1366, 768), (1600, 1000), (1920, 1080))


def visible_children(widget: QWidget) -> list[QWidget]:
    children = widget.findChildren(QWidget, options=Qt.FindChildOption.FindDirectChildrenOnly)
    return [child for child in children if child.isVisible() and not child.isWindow()]


def overlaps(window: QMainWindow) -> list[str]:
    """Every pair of visible sibling widgets whose rectangles share an area."""
    found: list[str] = []

    def walk(parent: QWidget) -> None:
        children = visible_children(parent)
        for index, first in enumerate(children):
            for second in children[index + 1:]:
                shared = first.geometry().intersected(second.geometry())
                if shared.width() > 0 and shared.height() > 0:
                    found.append(f"{describe(first)} overlaps {describe(second)} by {shared.width()}x{shared.height()}")
        for child in children:
            walk(child)

    walk(window)
    return found


def clipped(window: QMainWindow) -> list[str]:
    """Visible labels and buttons narrower (or, when wrapping, shorter) than their text needs."""
    found: list[str] = []
    for label in window.findChildren(QLabel):
        if not label.isVisible() or not label.text():
            continue
        if isinstance(label, ElidedLabel):
            continue  # shortens itself with "…" and shows the whole text as its tooltip
        if label.wordWrap():
            needed = label.heightForWidth(label.width())
            if needed > label.height():
                found.append(f"{describe(label)} needs {needed} px of height, has {label.height()}")
        elif label.sizeHint().width() > label.width():
            found.append(f"{describe(label)} needs {label.sizeHint().width()} px, has {label.width()}")
    for button in window.findChildren(QAbstractButton):
        if button.isVisible() and button.text() and button.sizeHint().width() > button.width():
            found.append(f"{describe(button)} needs {button.sizeHint().width()} px, has {button.width()}")
    return found


def describe(widget: QWidget) -> str:
    text = widget.text() if isinstance(widget, QLabel | QAbstractButton) else ""
    return f"{type(widget).__name__}({widget.objectName() or '-'}, {text[:40]!r})"


def resize_and_settle(qtbot, window: QMainWindow, size: tuple[int, int]) -> None:
    window.resize(*size)
    qtbot.waitUntil(lambda: window.centralWidget().geometry().bottom() < window.height()
                    and window.size().toTuple() == size, timeout=2000)
    qtbot.wait(30)  # posted layout requests (word-wrapped labels) run


@pytest.fixture
def busy_window(qtbot):
    """The demo window with everything that takes room on show: a failed press (long message, the banner with
    its button), the latest latency line, a Round, and a narrowed log filter."""
    window = MainWindow(ConsoleOptions(demo=True))
    window.remember_geometry = False  # later tests' windows open at the default size
    window.show()
    qtbot.waitUntil(window.talk_button.isEnabled, timeout=5000)
    window.set_demo_user_state("silent")
    window.press("test")
    qtbot.waitUntil(window.agent.banner.isVisible, timeout=3000)
    window.release("test")
    qtbot.waitUntil(lambda: window.talk.controller.state is not TalkState.STOPPING, timeout=3000)
    window.log_view.context_menu_for(0).actions()[4].trigger()  # "Show only … rows": the filter note shows
    yield window
    window.close()
    qtbot.waitUntil(lambda: window._drained, timeout=10000)


@pytest.mark.parametrize("panel_open", [False, True], ids=["without the instance panel", "with the instance panel"])
@pytest.mark.parametrize("tab", [0, 1], ids=["log", "transcript"])
def test_no_widget_overlaps_another_or_is_clipped_at_any_size(qtbot, busy_window, panel_open, tab) -> None:
    window = busy_window
    window.instance_dock.setVisible(panel_open)
    window.tabs.setCurrentIndex(tab)
    assert window.agent.banner.isVisible() and window.filter_bar.isVisible()
    problems = []
    for size in SIZES:
        resize_and_settle(qtbot, window, size)
        problems += [f"{size}: {problem}" for problem in overlaps(window)]
        problems += [f"{size}: {problem}" for problem in clipped(window)]
    assert problems == []


def test_the_declared_minimum_size_is_the_windows_minimum(qtbot, busy_window) -> None:
    assert busy_window.minimumSize().toTuple() == MINIMUM
    busy_window.instance_dock.show()
    busy_window.resize(500, 400)
    qtbot.wait(50)
    assert busy_window.size().toTuple() == MINIMUM


def test_the_log_and_the_talk_button_keep_a_useful_size_at_the_minimum(qtbot, busy_window) -> None:
    busy_window.instance_dock.show()
    resize_and_settle(qtbot, busy_window, MINIMUM)
    assert busy_window.talk_button.height() >= busy_window.talk_button.minimumHeight()
    assert busy_window.log_view.viewport().height() >= 3 * busy_window.log_view.verticalHeader().defaultSectionSize()
