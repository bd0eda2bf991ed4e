"""The talk area: the big hold button, the confirmed state, which hold key works where, the latest latency
and the message line."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from ptt_app.gui.i18n import tr
from ptt_app.gui.icons import icon
from ptt_app.gui.style_property import set_style_property
from ptt_app.gui.talk_button import TalkButton
from ptt_app.gui.talk_look import TalkLook, talk_look

STATE_ICON_PX = 36


class TalkPanel(QWidget):
    """Shows what the server confirmed; the button's look follows the state, never the other way round."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.talk_button = TalkButton()
        self.talk_button.setToolTip(tr("Press and hold to talk (or hold the talk key shown beside). Release to stop."))
        self.talk_button.setEnabled(False)
        self.talk_button.show_look(talk_look(None))
        self.state_icon = QLabel()
        self.state_icon.setFixedSize(STATE_ICON_PX, STATE_ICON_PX)
        self.state_icon.setAccessibleName(tr("Talk state icon"))
        self.state_label = QLabel()
        self.state_label.setObjectName("stateLabel")
        self.state_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.state_label.setWordWrap(True)
        self.state_label.setToolTip(tr("What the server confirmed: Idle, Starting…, Listening, LOCKED (latched), "
                                       "Stopping… or Error"))
        self.state_label.setAccessibleDescription(self.state_label.toolTip())
        self.hotkey_label = QLabel()
        self.hotkey_label.setObjectName("hotkeyLabel")
        self.hotkey_label.setWordWrap(True)
        self.hotkey_label.setToolTip(tr("Which push-to-talk key works, and where (Settings → Push to talk)"))
        self.hotkey_label.setAccessibleDescription(self.hotkey_label.toolTip())
        self.hotkey_label.hide()  # shown once there is something to say
        self.look: TalkLook | None = None
        self.latency_label = QLabel(tr("Last request: –"))
        # In a narrow side column (minimum size, instance panel open) it wraps instead of pushing the column
        # over the talk button.
        self.latency_label.setWordWrap(True)
        self.latency_label.setToolTip(tr("Round trip of the latest Start/Stop, from send to answer"))
        self.latency_label.setAccessibleDescription(self.latency_label.toolTip())
        self.message_label = QLabel()
        self.message_label.setObjectName("messageLabel")
        self.message_label.setWordWrap(True)
        self.message_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message_label.setAccessibleDescription(tr("What happened last"))
        self.side = QVBoxLayout()
        state_row = QHBoxLayout()
        state_row.addWidget(self.state_icon)
        state_row.addWidget(self.state_label, 1)
        self.side.addLayout(state_row)
        self.side.addWidget(self.hotkey_label)
        self.side.addWidget(self.latency_label)
        self.side.addWidget(self.message_label)
        self.side.addStretch(1)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        # The button gets the larger share: its words must fit at the minimum size with the instance panel open.
        row.addWidget(self.talk_button, 3)
        row.addLayout(self.side, 2)

    def show_look(self, look: TalkLook) -> None:
        """Show the talk state on the label, its icon and the button."""
        if look == self.look:
            return
        self.look = look
        self.state_label.setText(look.word)
        self.state_label.setAccessibleName(tr("Talk state: {state}").format(state=look.word))
        self.state_icon.setPixmap(icon(look.icon).pixmap(STATE_ICON_PX, STATE_ICON_PX))
        self.state_icon.setToolTip(look.word)
        set_style_property(self.state_label, "talkState", look.style_state)
        self.talk_button.show_look(look)

    def show_hotkey(self, text: str, problem: bool) -> None:
        """Which hold key works where; problem: a global hotkey was asked for and cannot work."""
        self.hotkey_label.setText(text)
        self.hotkey_label.setAccessibleName(text)
        self.hotkey_label.setVisible(bool(text))  # an empty line would still take its height
        set_style_property(self.hotkey_label, "problem", problem)

    def show_message(self, text: str, error: bool = False) -> None:
        """One line for the operator: what happened last."""
        self.message_label.setText(text)
        self.message_label.setAccessibleName(tr("Problem: {message}").format(message=text) if error else text)
        set_style_property(self.message_label, "error", error)

    def show_latency(self, action: str, latency_ms: float, code: int | None) -> None:
        """The latest Start/Stop's round trip and Code."""
        self.latency_label.setText(tr("Last request: {action} {latency} ms, Code {code}").format(
            action=action, latency=f"{latency_ms:.1f}", code=code if code is not None else "–"))
