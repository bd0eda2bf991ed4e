"""A "press the key to bind" field: the push-to-talk binding is whatever the operator presses in it — a key
with its modifiers, F13-F24 from a foot pedal, or a mouse side button. Tab still moves on, Esc still cancels
the dialog; a key the backends cannot bind is refused with the reason."""

from __future__ import annotations

from PySide6.QtCore import QKeyCombination, Qt, Signal
from PySide6.QtGui import QGuiApplication, QKeyEvent, QKeySequence, QMouseEvent
from PySide6.QtWidgets import QLineEdit, QWidget

from ptt_app.gui.i18n import tr, translated
from ptt_app.hotkeys import binding_problem, parse_binding
from ptt_app.hotkeys.keynames import function_key_of_x11_keycode

_MODIFIER_KEYS = frozenset({
    Qt.Key.Key_Shift, Qt.Key.Key_Control, Qt.Key.Key_Alt, Qt.Key.Key_AltGr, Qt.Key.Key_Meta,
    Qt.Key.Key_Super_L, Qt.Key.Key_Super_R, Qt.Key.Key_Hyper_L, Qt.Key.Key_Hyper_R,
})
_MODIFIER_NAMES = ((Qt.KeyboardModifier.ControlModifier, "Ctrl"), (Qt.KeyboardModifier.AltModifier, "Alt"),
                   (Qt.KeyboardModifier.ShiftModifier, "Shift"), (Qt.KeyboardModifier.MetaModifier, "Super"))
# Qt's first extra mouse button is the back button; X11 (and the binding syntax) numbers it 8.
_FIRST_EXTRA_BUTTON = Qt.MouseButton.ExtraButton1.value
_X11_NUMBER_OF_FIRST_EXTRA = 8


def key_event_name(event: QKeyEvent, platform_name: str) -> str | None:
    """The binding text of a key press ("Ctrl+F13", "Space"), or None for a bare modifier."""
    if event.key() in _MODIFIER_KEYS:
        return None
    modifiers = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
    if platform_name == "xcb":
        # A pedal's F13-F24 arrives as XF86Tools, XF86Launch5, ... on most layouts; its keycode says which.
        function_key = function_key_of_x11_keycode(event.nativeScanCode())
        if function_key is not None:
            return "+".join((*(name for flag, name in _MODIFIER_NAMES if modifiers & flag), function_key))
    combination = QKeyCombination(modifiers, Qt.Key(event.key()))
    return QKeySequence(combination).toString(QKeySequence.SequenceFormat.PortableText) or None


def mouse_button_name(button: Qt.MouseButton) -> str | None:
    """"Mouse8" for the back button, "Mouse9" forward, "Mouse10"... for further extra buttons; None otherwise."""
    value = button.value
    if value < _FIRST_EXTRA_BUTTON or value & (value - 1):
        return None
    return f"Mouse{value.bit_length() - _FIRST_EXTRA_BUTTON.bit_length() + _X11_NUMBER_OF_FIRST_EXTRA}"


class KeyCaptureField(QLineEdit):
    """Shows the binding; a press of a key, pedal or mouse side button in it becomes the new binding."""

    captured = Signal(str)  # the canonical binding text
    refused = Signal(str)  # why the pressed key cannot be bound

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setReadOnly(True)  # typed text would be a name, not a key: the key itself is what counts
        self.setPlaceholderText(tr("press the key, pedal or mouse side button"))
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape and not event.modifiers():
            event.ignore()  # the dialog's Cancel
            return
        event.accept()
        if event.isAutoRepeat():
            return
        name = key_event_name(event, QGuiApplication.platformName())
        if name is not None:
            self._offer(name)

    def keyReleaseEvent(self, event: QKeyEvent) -> None:
        event.accept()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        name = mouse_button_name(event.button())
        if name is None:
            super().mousePressEvent(event)  # a left click focuses the field
            return
        self.setFocus(Qt.FocusReason.MouseFocusReason)
        event.accept()
        self._offer(name)

    def _offer(self, name: str) -> None:
        problem = binding_problem(name)
        if problem is not None:
            self.refused.emit(tr("{key} cannot be the talk key: {problem}").format(key=name, problem=translated(problem)))
            return
        text = str(parse_binding(name))
        self.setText(text)
        self.captured.emit(text)
