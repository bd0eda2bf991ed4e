"""The talk area: the big hold button, the confirmed state, the latest latency and the message line."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from ptt_app.gui.talk_button import TalkButton
from ptt_app.talk.intents import TalkState


def restyle(widget: QWidget) -> None:
    """Apply style-sheet rules that depend on a dynamic property just changed."""
    widget.style().unpolish(widget)
    widget.style().polish(widget)


class TalkPanel(QWidget):
    """Shows what the server confirmed; the button's look follows the state, never the other way round."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.talk_button = TalkButton()
        self.talk_button.setToolTip("Press and hold to talk (or hold Space). Release to stop.")
        self.talk_button.setEnabled(False)
        self.state_label = QLabel()
        self.state_label.setObjectName("stateLabel")
        self.state_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.state_label.setToolTip("What the server confirmed: Idle, Starting, Listening, Stopping or Error")
        self.latency_label = QLabel("Last request: –")
        self.latency_label.setToolTip("Round trip of the latest Start/Stop, from send to answer")
        self.message_label = QLabel()
        self.message_label.setObjectName("messageLabel")
        self.message_label.setWordWrap(True)
        self.message_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.side = QVBoxLayout()
        self.side.addWidget(self.state_label)
        self.info_slot = QVBoxLayout()
        self.side.addLayout(self.info_slot)
        self.side.addWidget(self.latency_label)
        self.side.addWidget(self.message_label)
        self.side.addStretch(1)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.talk_button, 1)
        row.addLayout(self.side, 1)

    def show_state(self, state: TalkState, held: bool, connected: bool, hold_key: str) -> None:
        """Show the talk state on the label and the button."""
        self.state_label.setText(state.value if connected else "Not connected")
        for widget in (self.state_label, self.talk_button):
            widget.setProperty("talkState", state.value)
            restyle(widget)
        self.talk_button.setText("Listening…\nrelease to stop" if held else f"Hold to talk\n(mouse or {hold_key})")

    def show_message(self, text: str, error: bool = False) -> None:
        """One line for the operator: what happened last."""
        self.message_label.setText(text)
        self.message_label.setProperty("error", error)
        restyle(self.message_label)

    def show_latency(self, action: str, latency_ms: float, code: int | None) -> None:
        """The latest Start/Stop's round trip and Code."""
        self.latency_label.setText(f"Last request: {action} {latency_ms:.1f} ms, Code {code if code is not None else '–'}")
