"""Accessibility, read through Qt's QAccessible interface as a screen reader reads it: names and descriptions,
the talk button saying its state, every control reachable with Tab and showing its focus, and texts that keep
their contrast on dark and high-contrast palettes."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible, QColor, QPalette
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTableView,
    QTextBrowser,
    QWidget,
)

from ptt_app.gui.request_log_model import RowKind
from ptt_app.gui.talk_look import ReleasePending, talk_look
from ptt_app.gui.theme import Theme, contrast_ratio
from ptt_app.store.settings import AppSettings
from ptt_app.talk.intents import TalkState

CONTROLS = (QAbstractButton, QLineEdit, QComboBox, QAbstractSpinBox, QTableView, QTextBrowser, QPlainTextEdit)
WCAG_AA = 4.5
_ROLE = QPalette.ColorRole
# Every look the talk state can have.
LOOKS = [
    talk_look(None), talk_look(TalkState.IDLE), talk_look(TalkState.STARTING), talk_look(TalkState.LISTENING),
    talk_look(TalkState.LISTENING, pending=ReleasePending(300, False)), talk_look(TalkState.LISTENING, latched=True),
    talk_look(TalkState.STOPPING), talk_look(TalkState.ERROR, error_reason="Start failed, no answer"),
]


def accessible(widget: QWidget) -> tuple[str, str, QAccessible.Role]:
    """Name, description and role as an assistive technology reads them."""
    interface = QAccessible.queryAccessibleInterface(widget)
    assert interface is not None and interface.isValid()
    return (interface.text(QAccessible.Text.Name), interface.text(QAccessible.Text.Description), interface.role())


# Qt's own parts of its widgets (a table's corner button, a tab bar's scroll arrows, the menu bar's overflow).
QT_INTERNAL = ("qt_", "ScrollLeftButton", "ScrollRightButton")


def controls_of(widget: QWidget) -> list[QWidget]:
    """The operable widgets shown under a widget (a spin box's or combo box's inner line edit is part of it)."""
    found = []
    for child in widget.findChildren(QWidget):
        if not isinstance(child, CONTROLS) or not child.isVisibleTo(widget) or child.objectName().startswith(QT_INTERNAL):
            continue
        if isinstance(child.parentWidget(), (QAbstractSpinBox, QComboBox)):
            continue
        found.append(child)
    return found


# --- names, descriptions, roles ----------------------------------------------------------------------------


def test_every_control_of_the_window_has_an_accessible_name_and_description(open_window):
    window = open_window()
    window.instance_dock.show()
    missing = set()
    for tab in range(window.tabs.count()):
        window.tabs.setCurrentIndex(tab)
        for control in controls_of(window):
            name, description, _role = accessible(control)
            if not name.strip() or not description.strip():
                missing.add(f"{type(control).__name__} {control.objectName()!r} name={name!r} description={description!r}")
    assert not missing, "\n".join(sorted(missing))


def test_every_field_of_the_settings_dialog_has_an_accessible_name_and_description(qtbot):
    from ptt_app.gui.settings_dialog import SettingsDialog

    dialog = SettingsDialog(AppSettings(), "default", True)
    qtbot.addWidget(dialog)
    missing = set()
    for tab in range(dialog.tabs.count()):
        dialog.tabs.setCurrentIndex(tab)
        missing |= {f"{type(control).__name__} {accessible(control)[:2]}" for control in controls_of(dialog)
                    if not all(text.strip() for text in accessible(control)[:2])}
    assert not missing, "\n".join(sorted(missing))


def test_the_talk_button_says_its_state_to_a_screen_reader(open_window, qtbot):
    window = open_window()
    name, description, role = accessible(window.talk_button)
    assert role == QAccessible.Role.Button and "Idle" in name and "hold" in description.lower()
    window.press("test")
    qtbot.waitUntil(lambda: "Listening" in accessible(window.talk_button)[0], timeout=5000)
    assert "release" in accessible(window.talk_button)[1].lower()
    window.release("test")
    qtbot.waitUntil(lambda: "Idle" in accessible(window.talk_button)[0], timeout=5000)


def test_the_state_label_is_named_by_the_state(open_window):
    window = open_window()
    name, _description, _role = accessible(window.state_label)
    assert name == f"Talk state: {window.state_label.text()}"


# --- the keyboard -------------------------------------------------------------------------------------------


def tab_cycle(window: QWidget, qtbot, presses: int = 80) -> list[QWidget]:
    """The widgets Tab visits from the first control, in order, until focus comes back round."""
    visited: list[QWidget] = []
    window.activateWindow()
    window.setFocus()
    for _ in range(presses):
        qtbot.keyClick(QApplication.focusWidget() or window, Qt.Key.Key_Tab)
        focused = QApplication.focusWidget()
        if focused in visited:
            break
        if focused is not None:
            visited.append(focused)
    return visited


def test_tab_reaches_every_control_of_the_window_including_the_talk_button(open_window, qtbot):
    window = open_window()
    window.instance_dock.show()
    visited = tab_cycle(window, qtbot)
    expected = [control for control in controls_of(window) if control.isVisible() and control.isEnabled()
                and control.focusPolicy() & Qt.FocusPolicy.TabFocus]
    unreached = [f"{type(control).__name__} {accessible(control)[0]!r}" for control in expected if control not in visited]
    assert window.talk_button in visited and not unreached, unreached


def test_space_on_the_focused_talk_button_talks_while_held(open_window, qtbot):
    window = open_window(hold_key="F13")  # Space is then the button's own key, not the window's hold key
    window.talk_button.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.keyPress(window.talk_button, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: window.talk.look.style_state == "Listening", timeout=5000)
    qtbot.keyRelease(window.talk_button, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: window.talk.look.style_state == "Idle", timeout=5000)


def test_the_focused_control_is_drawn_with_a_focus_frame(themes, open_window, qtbot):
    window = open_window()
    button = window.agent.transcript.refresh_button
    window.tabs.setCurrentWidget(window.agent.transcript)
    window.log_view.setFocus()
    qtbot.waitUntil(lambda: not button.hasFocus())
    unfocused = button.grab().toImage()
    button.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(button.hasFocus)
    focused = button.grab().toImage()
    highlight = button.palette().color(_ROLE.Highlight)
    assert focused != unfocused
    assert _has_colour(focused, highlight) and not _has_colour(unfocused, highlight)


def _has_colour(image, colour: QColor) -> bool:
    return any(image.pixelColor(x, image.height() // 2) == colour for x in range(min(6, image.width())))


# --- colours ---------------------------------------------------------------------------------------------------


def text_contrast(widget: QWidget) -> float:
    """Contrast of a widget's text against its own background, as the style sheet left its palette."""
    widget.ensurePolished()
    palette = widget.palette()
    if isinstance(widget, QAbstractButton):
        return contrast_ratio(palette.color(_ROLE.ButtonText), palette.color(_ROLE.Button))
    background = palette.color(_ROLE.Window) if widget.autoFillBackground() or widget.testAttribute(
        Qt.WidgetAttribute.WA_StyledBackground) else QApplication.palette().color(_ROLE.Window)
    return contrast_ratio(palette.color(_ROLE.WindowText), background)


def low_contrast(window) -> list[str]:
    """Every text and state colour of the window under 4.5:1, in every talk state."""
    panel = window.talk_panel
    found = []
    for look in LOOKS:
        panel.look = None
        panel.show_look(look)
        window.talk.mini_window.show_look(look)
        for widget in (panel.state_label, window.talk_button, window.talk.mini_window.state_label):
            if (ratio := text_contrast(widget)) < WCAG_AA:
                found.append(f"{widget.objectName()} {look.kind.value}: {ratio:.2f}")
    panel.show_message("problem", error=True)
    panel.show_hotkey("hotkey problem", True)
    checks = [panel.message_label, panel.hotkey_label, panel.latency_label]
    for outcome in ("ok", "problem"):
        label = QLabel("outcome", window)
        label.setProperty("outcome", outcome)
        checks.append(label)
    for widget in checks:
        if (ratio := text_contrast(widget)) < WCAG_AA:
            found.append(f"{widget.objectName() or widget.text()}: {ratio:.2f}")
    base = window.log_view.palette().color(_ROLE.Base)
    window.log_model.use_palette(window.log_view.palette())
    for kind in RowKind:
        colour = window.log_model._colours.get(kind)
        if colour is not None and contrast_ratio(colour, base) < WCAG_AA:
            found.append(f"log {kind.word}: {contrast_ratio(colour, base):.2f}")
    banner = window.agent.banner.text_label
    if (ratio := contrast_ratio(banner.palette().color(_ROLE.WindowText), window.agent.banner.palette().color(
            _ROLE.Window))) < WCAG_AA:
        found.append(f"banner: {ratio:.2f}")
    return found


@pytest.mark.parametrize("theme", [Theme.LIGHT, Theme.DARK, Theme.HIGH_CONTRAST])
def test_texts_and_state_colours_keep_their_contrast_in_every_theme(themes, open_window, theme):
    themes.apply(theme)
    window = open_window()
    window.agent.banner.show()
    assert low_contrast(window) == []


def test_a_dark_palette_set_on_the_application_brings_the_dark_style_sheet(themes, qapp, qtbot, open_window):
    from ptt_app.gui.theme import dark_palette

    window = open_window()
    themes.watch(window)
    qapp.setPalette(dark_palette())
    qtbot.waitUntil(lambda: themes.theme is Theme.DARK, timeout=2000)
    window.talk_button.ensurePolished()
    assert window.talk_button.palette().color(_ROLE.Button).lightness() < 128  # no light slab on a dark desk
    assert low_contrast(window) == []
