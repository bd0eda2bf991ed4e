"""Everything that turns the operator's hands into Start/Stop: the button, the hold key, the safety releases,
and the talk state shown on the panel and the tray."""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer, Signal, Slot
from PySide6.QtWidgets import QMainWindow

from ptt_app.api.types import ApiResult
from ptt_app.gui.hold_key import WindowHoldKey, key_from_name
from ptt_app.gui.talk_panel import TalkPanel
from ptt_app.gui.tray import TalkTrayIcon
from ptt_app.session.console import SessionInfo
from ptt_app.talk.intents import ListenIntent, TalkController, TalkState, confirms

RENDER_DELAY_MS = 16


class TalkCoordinator(QObject):
    """Numbers presses and releases, sends them (listen_requested), and shows what the server confirmed."""

    listen_requested = Signal(object)
    message = Signal(str, bool)
    listen_result_shown = Signal(object, object)

    def __init__(self, window: QMainWindow, panel: TalkPanel) -> None:
        super().__init__(window)
        self._window = window
        self._panel = panel
        self._controller: TalkController | None = None
        self._session: SessionInfo | None = None
        self.closing = False
        self.tray = TalkTrayIcon(window)
        panel.talk_button.held.connect(lambda: self.press("button"))
        panel.talk_button.let_go.connect(lambda: self.release("button"))
        self._max_hold_timer = QTimer(self)
        self._max_hold_timer.setSingleShot(True)
        self._max_hold_timer.timeout.connect(self._on_max_hold)
        # Press and release repaint the state one frame later (the button itself shows "down" at once),
        # so the repaint's Python work does not compete for the GIL with the request being sent:
        # measured 0.7 ms off the median press-to-server latency (bench/press_latency.py).
        self._render_timer = QTimer(self)
        self._render_timer.setSingleShot(True)
        self._render_timer.setInterval(RENDER_DELAY_MS)
        self._render_timer.timeout.connect(self.render)

    def watch_keys(self) -> None:
        """Start listening to the hold key (call once the window's widgets exist)."""
        self.hold_key = WindowHoldKey(self._window)
        self.hold_key.pressed.connect(lambda: self.press("key"))
        self.hold_key.released.connect(lambda: self.release("key"))

    @property
    def controller(self) -> TalkController | None:
        """The talk rules of the open session (None while not connected)."""
        return self._controller

    # --- session ---------------------------------------------------------------------------------

    def session_ready(self, info: SessionInfo) -> None:
        """A session opened: new Sequence source, the profile's hold key."""
        self._session = info
        self._controller = TalkController(info.sequences)
        self.hold_key.key = key_from_name(info.profile.hold_key)
        self.render()

    def session_lost(self) -> None:
        """No session (failed, or being replaced): a held talk is released first by the caller."""
        self._session = None
        self._controller = None
        self.render()

    # --- talking ---------------------------------------------------------------------------------

    def press(self, reason: str) -> None:
        """Operator pressed: send StartListening, numbered now."""
        if self._controller is None or self.closing:
            self.message.emit("Not connected yet: nothing was sent.", False)
            return
        intent = self._controller.press(reason)
        if intent is None:
            return
        self.listen_requested.emit(intent)
        if self._session is not None:
            self._max_hold_timer.start(int(self._session.profile.max_hold_s * 1000))
        self._render_timer.start()

    def release(self, reason: str) -> None:
        """Operator released (or a safety rule released): send StopListening, numbered now."""
        if self._controller is None:
            return
        intent = self._controller.release(reason)
        if intent is None:
            return
        self._max_hold_timer.stop()
        self._panel.talk_button.abandon_hold()
        self.listen_requested.emit(intent)
        self._render_timer.start()

    def is_held(self) -> bool:
        """True while the operator holds the talk (button or key)."""
        return bool(self._controller and self._controller.held)

    def window_deactivated(self) -> None:
        """The window lost focus: the window key can no longer see the release, so release now."""
        if self.is_held():
            self.release("window lost focus")
            self.message.emit("Released: the window lost focus while talking.", False)

    def _on_max_hold(self) -> None:
        if self.is_held() and self._session is not None:
            limit = self._session.profile.max_hold_s
            self.release(f"maximum hold of {limit:g} s")
            self.message.emit(f"Released automatically: the maximum hold of {limit:g} s was reached.", False)

    @Slot(object, object, bool)
    def on_listen_answered(self, intent: ListenIntent, result: ApiResult, final: bool) -> None:
        """The server's answer to a Start/Stop: update the confirmed state."""
        if self._controller is None:
            return
        self._controller.on_result(intent, result, final)
        self._panel.show_latency(result.action, result.latency_ms, result.code)
        if not confirms(result) and self._controller.is_latest(intent):
            retrying = "; retrying with a new Sequence" if not final else ""
            self.message.emit(f"{intent.action} (Sequence {intent.sequence}) failed: {result.explanation()}{retrying}", True)
        self.render()
        self.listen_result_shown.emit(intent, result)

    def render(self) -> None:
        """Show the talk state on the panel and the tray."""
        state = self._controller.state if self._controller else TalkState.IDLE
        hold_key = self._session.profile.hold_key if self._session else "Space"
        self._panel.show_state(state, self.is_held(), self._controller is not None, hold_key)
        self.tray.show_state(state, self._panel.state_label.text())
