"""The mini talk window: a small always-on-top control with the state's colour, word and icon and a hold
button, for operators who work in other windows. Dragged by its frame; its position is remembered."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt, Signal
from PySide6.QtGui import QGuiApplication, QMouseEvent, QMoveEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLayout, QToolButton, QWidget

from ptt_app.gui.i18n import tr
from ptt_app.gui.icons import icon
from ptt_app.gui.style_property import set_style_property
from ptt_app.gui.talk_button import TalkButton
from ptt_app.gui.talk_look import TalkLook, talk_look
from ptt_app.gui.window_settings import window_settings

POSITION_KEY = "mini/position"
VISIBLE_KEY = "mini/visible"
ICON_PX = 22


class MiniTalkWindow(QWidget):
    """Frameless tool window, on top of other windows, that never takes the keyboard focus from them."""

    held = Signal()
    let_go = Signal()
    hide_requested = Signal()

    def __init__(self) -> None:
        # A top-level window (no parent): it stays up when the main window is minimised.
        super().__init__(None, Qt.WindowType.Tool | Qt.WindowType.FramelessWindowHint
                         | Qt.WindowType.WindowStaysOnTopHint | Qt.WindowType.WindowDoesNotAcceptFocus)
        self.setObjectName("miniTalkWindow")
        self.setWindowTitle(tr("PTT Console — mini"))
        self.setAccessibleName(tr("Mini talk window"))
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        self.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating)
        self.setToolTip(tr("Drag the frame to move it; View → Mini talk window hides it"))
        self.icon_label = QLabel()
        self.icon_label.setFixedSize(ICON_PX, ICON_PX)
        self.icon_label.setAccessibleName(tr("Talk state icon"))
        self.state_label = QLabel()
        self.state_label.setObjectName("miniStateLabel")
        self.state_label.setMinimumWidth(100)
        self.state_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.talk_button = TalkButton(compact=True)
        self.talk_button.setMinimumWidth(150)  # fits "Press to stop" with its icon
        self.talk_button.setToolTip(tr("Press and hold to talk; release to stop"))
        self.talk_button.held.connect(self.held)
        self.talk_button.let_go.connect(self.let_go)
        self.close_button = QToolButton()
        self.close_button.setText("×")
        self.close_button.setAutoRaise(True)
        self.close_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.close_button.setToolTip(tr("Hide the mini window (View → Mini talk window shows it again)"))
        self.close_button.setAccessibleName(tr("Hide the mini window"))
        self.close_button.setAccessibleDescription(self.close_button.toolTip())
        self.close_button.clicked.connect(self.hide_requested)
        row = QHBoxLayout(self)
        row.setSizeConstraint(QLayout.SizeConstraint.SetFixedSize)  # always exactly as big as its contents
        row.setContentsMargins(8, 6, 4, 6)
        row.addWidget(self.icon_label)
        row.addWidget(self.state_label)
        row.addWidget(self.talk_button)
        row.addWidget(self.close_button, 0, Qt.AlignmentFlag.AlignTop)
        self._drag_offset: QPoint | None = None
        self._restoring = True
        self.show_look(talk_look(None))
        self._restore_position()
        self._restoring = False

    def show_look(self, look: TalkLook) -> None:
        """The state's word, icon and colour."""
        self.state_label.setText(look.short_word)
        self.state_label.setAccessibleName(tr("Talk state: {state}").format(state=look.word))
        self.icon_label.setPixmap(icon(look.icon).pixmap(ICON_PX, ICON_PX))
        self.talk_button.show_look(look)
        for widget in (self, self.state_label):
            set_style_property(widget, "talkState", look.style_state)

    # --- dragging: the system moves it where it can (Wayland), else the window follows the pointer -----

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            event.ignore()
            return
        handle = self.windowHandle()
        if handle is not None and handle.startSystemMove():
            event.accept()
            return
        self._drag_offset = event.globalPosition().toPoint() - self.frameGeometry().topLeft()
        event.accept()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._drag_offset is not None:
            self.move(event.globalPosition().toPoint() - self._drag_offset)
            event.accept()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self._drag_offset = None
        event.accept()

    def moveEvent(self, event: QMoveEvent) -> None:
        super().moveEvent(event)
        if not self._restoring and self.isVisible():
            window_settings().setValue(POSITION_KEY, self.pos())

    def _restore_position(self) -> None:
        stored = window_settings().value(POSITION_KEY)
        # A position on a screen that is gone (a monitor unplugged) would hide the window: keep the default.
        if isinstance(stored, QPoint) and QGuiApplication.screenAt(stored) is not None:
            self.move(stored)
