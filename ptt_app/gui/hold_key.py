"""The window's hold key: one press and one release per physical hold of the bound key while the window has
focus, never flapping with auto-repeat (hotkeys.window_key_filter decides what each key event means)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QKeyCombination, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication, QKeyEvent, QKeySequence
from PySide6.QtWidgets import QAbstractSpinBox, QApplication, QLineEdit, QPlainTextEdit, QWidget

from ptt_app.hotkeys import Binding, InputKind, KeyAction, ReleaseCheck, window_key_filter
from ptt_app.hotkeys.keynames import function_key_of_x11_keycode

_TEXT_INPUTS = (QLineEdit, QPlainTextEdit, QAbstractSpinBox)
MODIFIER_FLAGS = {
    "Ctrl": Qt.KeyboardModifier.ControlModifier,
    "Alt": Qt.KeyboardModifier.AltModifier,
    "Shift": Qt.KeyboardModifier.ShiftModifier,
    "Super": Qt.KeyboardModifier.MetaModifier,
}


def key_combination(binding: Binding) -> QKeyCombination:
    """The Qt key and modifiers of a key binding."""
    key = QKeySequence.fromString(binding.key, QKeySequence.SequenceFormat.PortableText)[0].key()
    modifiers = Qt.KeyboardModifier.NoModifier
    for name in binding.ordered_modifiers:
        modifiers |= MODIFIER_FLAGS[name]
    return QKeyCombination(modifiers, key)


class FilteredHold(QObject):
    """One key's physical holds: turns its key events into one pressed and one released per hold through a
    WindowKeyFilter (the X server's key state on xcb), running the filter's grace timer where it asks."""

    pressed = Signal()
    released = Signal()

    def __init__(self, binding: Binding, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._filter = window_key_filter(binding, QGuiApplication.platformName())
        self.repeats_dropped = 0  # key events that were auto-repeat (or stale)
        self._grace = QTimer(self)
        self._grace.setSingleShot(True)
        self._grace.setTimerType(Qt.TimerType.PreciseTimer)
        self._grace.timeout.connect(self._grace_expired)

    @property
    def check(self) -> ReleaseCheck:
        """How a real release is told from an auto-repeat one here."""
        return self._filter.check

    @property
    def held(self) -> bool:
        """Whether the key is held, as far as this filter has acted."""
        return self._filter.held

    def key_event(self, pressed: bool, auto_repeat: bool) -> None:
        """A KeyPress (pressed) or KeyRelease of the key, with Qt's isAutoRepeat()."""
        key = self._filter
        self._act(key.key_pressed(auto_repeat) if pressed else key.key_released(auto_repeat))

    def reset(self) -> None:
        """Forget a hold whose release will not be seen (focus lost, safety release)."""
        self._grace.stop()
        self._filter.reset()

    def close(self) -> None:
        """Forget the hold and release the key-state probe's connection."""
        self.reset()
        self._filter.close()

    def _grace_expired(self) -> None:
        self._act(self._filter.grace_expired())

    def _act(self, action: KeyAction) -> None:
        if action is KeyAction.PRESS:
            self.pressed.emit()
        elif action is KeyAction.RELEASE:
            self.released.emit()
        elif action is KeyAction.WAIT:
            self._grace.start(self._filter.grace_ms)
        else:
            self.repeats_dropped += 1


class WindowHoldKey(QObject):
    """Watches the window and its focusable widgets; emits pressed/released for the hold key, never for
    auto-repeat, never while a text field has focus (typing a space must not open the microphone)."""

    pressed = Signal()
    released = Signal()

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self._window = window
        self._binding: Binding | None = None
        self._combination: QKeyCombination | None = None
        self._hold: FilteredHold | None = None
        self._xcb = QGuiApplication.platformName() == "xcb"
        self._suspended = False
        self._dropped_before = 0  # repeats dropped under earlier bindings
        # Key events go to the focused widget, so the filter sits on the window and on every widget that
        # can take focus. Not on the whole application: a Python filter there runs for every event of
        # every object and takes the GIL from the sender threads on each press.
        for widget in (window, *window.findChildren(QWidget)):
            if widget is window or widget.focusPolicy() != Qt.FocusPolicy.NoFocus:
                widget.installEventFilter(self)
        # While the key is held its release may land anywhere: a menu or context menu opened meanwhile takes
        # every key, and Qt says nothing when one opens. So from press to release (only then: the press itself
        # is not slowed) the filter watches the whole application.
        self.pressed.connect(self._watch_everywhere)
        self.released.connect(self._watch_window_only)

    @property
    def release_check(self) -> ReleaseCheck | None:
        """How releases are checked on this platform (None: the binding is not a key)."""
        return self._hold.check if self._hold else None

    @property
    def held(self) -> bool:
        """Whether the key is held, as far as the window has acted."""
        return self._hold is not None and self._hold.held

    @property
    def repeats_dropped(self) -> int:
        """Key events of the hold key that were auto-repeat (or stale)."""
        return self._dropped_before + (self._hold.repeats_dropped if self._hold else 0)

    def set_binding(self, binding: Binding) -> None:
        """Watch this key (a mouse button binding leaves the window key unused: only global backends see it)."""
        if binding == self._binding:
            return
        self.close()
        self._binding = binding
        if binding.kind is InputKind.KEY:
            self._combination = key_combination(binding)
            self._hold = FilteredHold(binding, self)
            self._hold.pressed.connect(self.pressed)
            self._hold.released.connect(self.released)

    def set_suspended(self, suspended: bool) -> None:
        """While a global backend delivers the same binding, the window swallows the key but does not act."""
        if suspended and self.held:
            self.reset()
            self.released.emit()
        self._suspended = suspended

    def reset(self) -> None:
        """Forget a hold whose release the window will not see (focus lost, safety release)."""
        self._watch_window_only()
        if self._hold is not None:
            self._hold.reset()

    def close(self) -> None:
        """Release the key-state probe's connection."""
        self._watch_window_only()
        if self._hold is not None:
            self._dropped_before += self._hold.repeats_dropped
            self._hold.close()
            self._hold.deleteLater()
        self._hold = None
        self._combination = None
        self._binding = None

    def _watch_everywhere(self) -> None:
        QApplication.instance().installEventFilter(self)

    def _watch_window_only(self) -> None:
        QApplication.instance().removeEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind not in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease) or self._hold is None:
            return False
        pressed = kind == QEvent.Type.KeyPress
        if not self._is_hold_key(event, with_modifiers=pressed):
            return False
        if not self.held and not self._watching_keys():
            return False
        if self._suspended:
            return True
        self._hold.key_event(pressed, event.isAutoRepeat())
        return True

    def _is_hold_key(self, event: QKeyEvent, with_modifiers: bool) -> bool:
        assert self._combination is not None and self._binding is not None
        if with_modifiers:
            modifiers = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
            if modifiers != self._combination.keyboardModifiers():
                return False
        if event.key() == self._combination.key():
            return True
        # A foot pedal's F13-F24 often arrives as XF86Tools, XF86Launch5, ...: its keycode still says which.
        return self._xcb and function_key_of_x11_keycode(event.nativeScanCode()) == self._binding.key

    def _watching_keys(self) -> bool:
        if QApplication.activeWindow() is not self._window:
            return False
        return not isinstance(QApplication.focusWidget(), _TEXT_INPUTS)
