"""The press-and-hold talk button (the window's big one, and the mini window's small one)."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QPushButton, QSizePolicy, QWidget

from ptt_app.gui.icons import icon
from ptt_app.gui.talk_look import LookKind, TalkLook


class TalkButton(QPushButton):
    """Emits held/let_go on the left mouse button's physical press and release. Sliding off the button
    keeps talking (the widget keeps the mouse grab), unlike a click button, because an operator's hand
    drifts while speaking."""

    held = Signal()
    let_go = Signal()

    def __init__(self, parent: QWidget | None = None, compact: bool = False) -> None:
        super().__init__("Hold to talk", parent)
        self.setObjectName("miniTalkButton" if compact else "talkButton")
        # Focus would let Space "click" the button; the window handles the hold key itself.
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        if compact:
            self.setIconSize(QSize(20, 20))
            self.setMinimumSize(120, 40)
        else:
            self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
            self.setIconSize(QSize(44, 44))
            self.setMinimumSize(260, 120)
        self._compact = compact
        self._mouse_down = False

    @property
    def holding(self) -> bool:
        """Whether the left button is down on it now."""
        return self._mouse_down

    def show_look(self, look: TalkLook) -> None:
        """Words, icon and colour (through the style sheet's talkState) of the shown state."""
        if self._compact:  # the mini window's label says the state; its button says what a press does
            self.setText("Press to stop" if look.kind is LookKind.LOCKED else "Hold to talk")
        else:
            self.setText(look.button_text)
        self.setIcon(icon(look.icon))
        if self.property("talkState") != look.style_state:
            self.setProperty("talkState", look.style_state)
            # A dynamic property does not restyle by itself.
            self.style().unpolish(self)
            self.style().polish(self)

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

    def abandon_hold(self) -> None:
        """Forget a mouse hold ended by something other than a release (focus loss, max hold)."""
        self._mouse_down = False
        self.setDown(False)
