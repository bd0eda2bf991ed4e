"""The window's hold key: press and release of one key while the console window has focus."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import QAbstractSpinBox, QApplication, QLineEdit, QPlainTextEdit, QWidget

_TEXT_INPUTS = (QLineEdit, QPlainTextEdit, QAbstractSpinBox)


def key_from_name(name: str) -> Qt.Key:
    """The Qt key of a settings key name (Space when the name is not a key Qt knows)."""
    sequence = QKeySequence.fromString(name)
    if sequence.count() == 0:
        return Qt.Key.Key_Space
    return sequence[0].key()


class WindowHoldKey(QObject):
    """Watches the window and its focusable widgets; emits pressed/released for the hold key, never
    for auto-repeat, never while a text field has focus (typing a space must not open the microphone)."""

    pressed = Signal()
    released = Signal()

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self._window = window
        self.key = Qt.Key.Key_Space
        # Key events go to the focused widget, so the filter sits on the window and on every widget that
        # can take focus. Not on the whole application: a Python filter there runs for every event of
        # every object and takes the GIL from the sender threads on each press.
        for widget in (window, *window.findChildren(QWidget)):
            if widget is window or widget.focusPolicy() != Qt.FocusPolicy.NoFocus:
                widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease) and self._is_hold_key(event):
            if not event.isAutoRepeat():
                (self.pressed if kind == QEvent.Type.KeyPress else self.released).emit()
            return True
        return False

    def _is_hold_key(self, event: QKeyEvent) -> bool:
        if event.key() != self.key or event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
            return False
        if QApplication.activeWindow() is not self._window:
            return False
        return not isinstance(QApplication.focusWidget(), _TEXT_INPUTS)
