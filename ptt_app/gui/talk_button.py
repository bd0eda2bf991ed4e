"""The press-and-hold talk button (the window's big one, and the mini window's small one)."""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QFocusEvent, QKeyEvent, QMouseEvent
from PySide6.QtWidgets import QPushButton, QSizePolicy, QWidget

from ptt_app.gui.hold_key import FilteredHold
from ptt_app.gui.i18n import tr
from ptt_app.gui.icons import icon
from ptt_app.gui.style_property import set_style_property
from ptt_app.gui.talk_look import LookKind, TalkLook
from ptt_app.hotkeys import parse_binding

# Keys that hold a focused talk button the way the mouse does (a keyboard-only operator Tabs to it), by
# their binding names: each is filtered for auto-repeat like the hold key (X11 marks repeats unreliably).
HOLD_KEYS = {Qt.Key.Key_Space: "Space", Qt.Key.Key_Return: "Return", Qt.Key.Key_Enter: "Enter"}


class TalkButton(QPushButton):
    """Emits held/let_go on the left mouse button's physical press and release, or on Space/Enter held while it
    has the keyboard focus. Sliding off the button keeps talking (the widget keeps the mouse grab), unlike a
    click button, because an operator's hand drifts while speaking. Its accessible name says the state."""

    held = Signal()
    let_go = Signal()

    def __init__(self, parent: QWidget | None = None, compact: bool = False) -> None:
        super().__init__(tr("Hold to talk"), parent)
        self.setObjectName("miniTalkButton" if compact else "talkButton")
        # Reached with Tab, never focused by a click (which would take the focus from a text field). The mini
        # window never takes the focus from the application in front.
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus if compact else Qt.FocusPolicy.TabFocus)
        if compact:
            self.setIconSize(QSize(20, 20))
            self.setMinimumSize(120, 40)
        else:
            self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
            self.setIconSize(QSize(44, 44))
            self.setMinimumSize(260, 120)
        self._compact = compact
        self._mouse_down = False
        self._key_holds: dict[Qt.Key, FilteredHold] = {}
        self._holding_key: FilteredHold | None = None  # the key whose press started the hold

    @property
    def holding(self) -> bool:
        """Whether the left button (or a hold key, while focused) is down on it now."""
        return self._mouse_down or self._holding_key is not None

    def show_look(self, look: TalkLook) -> None:
        """Words, icon and colour (through the style sheet's talkState) of the shown state."""
        if self._compact:  # the mini window's label says the state; its button says what a press does
            self.setText(tr("Press to stop") if look.kind is LookKind.LOCKED else tr("Hold to talk"))
        else:
            self.setText(look.button_text)
        self.setIcon(icon(look.icon))
        # A screen reader announces the change of name: the state is heard as it is seen.
        self.setAccessibleName(tr("Talk button: {state}").format(state=look.word))
        self.setAccessibleDescription(look.what_next)
        set_style_property(self, "talkState", look.style_state)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton or not self.isEnabled():
            event.ignore()
            return
        self._mouse_down = True
        self.setDown(True)
        event.accept()
        self.held.emit()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton or not self._mouse_down:
            event.ignore()
            return
        self._mouse_down = False
        self.setDown(False)
        event.accept()
        self.let_go.emit()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        # QPushButton would toggle "down" as the pointer leaves; the hold continues, so ignore it.
        event.accept()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = Qt.Key(event.key())
        if key not in HOLD_KEYS or event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
            super().keyPressEvent(event)
            return
        event.accept()
        if self.isEnabled():
            self._key_hold(key).key_event(True, event.isAutoRepeat())

    def keyReleaseEvent(self, event: QKeyEvent) -> None:
        key = Qt.Key(event.key())
        if key not in HOLD_KEYS:
            super().keyReleaseEvent(event)
            return
        event.accept()
        if key in self._key_holds:
            self._key_holds[key].key_event(False, event.isAutoRepeat())

    def focusOutEvent(self, event: QFocusEvent) -> None:
        # A key release after the focus left comes to another widget: the hold ends with the focus.
        super().focusOutEvent(event)
        if self._holding_key is not None:
            self._forget_key_holds()
            self.let_go.emit()

    def abandon_hold(self) -> None:
        """Forget a hold ended by something other than a release (focus loss, max hold)."""
        self._mouse_down = False
        self._forget_key_holds()

    def _key_hold(self, key: Qt.Key) -> FilteredHold:
        hold = self._key_holds.get(key)
        if hold is None:
            hold = self._key_holds[key] = FilteredHold(parse_binding(HOLD_KEYS[key]), self)
            hold.pressed.connect(partial(self._key_pressed, hold))
            hold.released.connect(partial(self._key_released, hold))
        return hold

    def _key_pressed(self, hold: FilteredHold) -> None:
        if self._holding_key is None:
            self._holding_key = hold
            self.setDown(True)
            self.held.emit()

    def _key_released(self, hold: FilteredHold) -> None:
        if self._holding_key is hold:
            self._holding_key = None
            self.setDown(False)
            self.let_go.emit()

    def _forget_key_holds(self) -> None:
        for hold in self._key_holds.values():
            hold.reset()
        self._holding_key = None
        self.setDown(False)
