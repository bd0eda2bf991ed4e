"""The big press-and-hold button."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QPushButton, QSizePolicy, QWidget


class TalkButton(QPushButton):
    """Emits held/let_go on the left mouse button's physical press and release. Sliding off the button
    keeps talking (the widget keeps the mouse grab), unlike a click button, because an operator's hand
    drifts while speaking."""

    held = Signal()
    let_go = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Hold to talk", parent)
        self.setObjectName("talkButton")
        # Focus would let Space "click" the button; the window handles the hold key itself.
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(260, 120)
        self._mouse_down = False

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
