"""Everything that turns the operator's hands into Start/Stop: the button, the window key, the global hotkey,
the mini window, latch and release tail, the safety releases, the audio cues, and the talk state shown on
the panel, the mini window and the tray."""

from __future__ import annotations

import math
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMainWindow, QMenu

from ptt_app.api.types import ApiResult
from ptt_app.cues import Cue
from ptt_app.gui.cue_output import CUE_STATUS_PROPERTY, CueOutput
from ptt_app.gui.hold_key import WindowHoldKey
from ptt_app.gui.hotkey_bridge import HOTKEY_STATUS_PROPERTY, GlobalHotkey, HotkeyStatus
from ptt_app.gui.i18n import tr, translated
from ptt_app.gui.mini_window import VISIBLE_KEY, MiniTalkWindow
from ptt_app.gui.talk_look import ReleasePending, TalkLook, error_reason, talk_look
from ptt_app.gui.talk_panel import TalkPanel
from ptt_app.gui.tray import TalkTrayIcon
from ptt_app.gui.window_settings import window_settings
from ptt_app.hotkeys import Binding, InvalidBinding, Scope, parse_binding
from ptt_app.session.console import SessionInfo
from ptt_app.talk.advice import TalkContext, advise
from ptt_app.talk.gesture import GesturePhase, GestureSettings, GestureStep, Send, TalkGesture
from ptt_app.talk.intents import ListenIntent, TalkController, TalkState, confirms

RENDER_DELAY_MS = 16
# The cue and the window's own reactions to a press or release wait this long after the request is handed
# to the worker, so they do not take the GIL from the journal commit and the send (press p50 4.5 -> 3.5 ms
# measured); the cue still starts well within its 30 ms.
AFTER_SEND_MS = 5
# The inputs that hold the talk; each is a press/release reason too.
BUTTON = "button"
WINDOW_KEY = "key"
HOTKEY = "hotkey"
MINI_BUTTON = "mini window"
# Holds that do not need the window's focus: the global hotkey sees its release anywhere, and the mini window
# never takes the focus. Every other hold (window key, big button, a caller's press) ends when focus goes.
FOCUS_INDEPENDENT = frozenset({HOTKEY, MINI_BUTTON})


class TalkCoordinator(QObject):
    """Merges the inputs into one hold, applies latch and tail (talk.gesture), numbers the calls
    (listen_requested) and shows what the server confirmed."""

    listen_requested = Signal(object)
    # The press or release went out a moment ago: for what the rest of the window shows about it.
    input_sent = Signal(object)
    message = Signal(str, bool)
    listen_result_shown = Signal(object, object)

    def __init__(self, window: QMainWindow, panel: TalkPanel) -> None:
        super().__init__(window)
        self._window = window
        self._panel = panel
        self._controller: TalkController | None = None
        self._session: SessionInfo | None = None
        self.closing = False
        self.hold_key: WindowHoldKey | None = None
        self._gesture = TalkGesture()
        self._holds: set[str] = set()
        self._press_reason = ""
        self._error_reason = ""
        self._max_hold_timer = self._timer(self._on_max_hold)
        self._stop_timer = self._timer(self._on_stop_due)
        self._stop_timer.setTimerType(Qt.TimerType.PreciseTimer)
        # Press and release repaint the state one frame later (the button itself shows "down" at once),
        # so the repaint's Python work does not compete for the GIL with the request being sent:
        # measured 0.7 ms off the median press-to-server latency (bench/press_latency.py).
        self._render_timer = self._timer(self.render)
        self._render_timer.setInterval(RENDER_DELAY_MS)
        self._after_send: list[tuple[ListenIntent, Cue]] = []
        self._after_send_timer = self._timer(self._follow_up_sends)
        self._after_send_timer.setInterval(AFTER_SEND_MS)

        panel.talk_button.held.connect(lambda: self.press(BUTTON))
        panel.talk_button.let_go.connect(lambda: self.release(BUTTON))
        self.hotkey = GlobalHotkey(self)
        self.hotkey.pressed.connect(lambda: self.press(HOTKEY))
        self.hotkey.released.connect(lambda: self.release(HOTKEY))
        self.hotkey.status_changed.connect(self._show_hotkey)
        self.cues = CueOutput(self)
        self.cues.status_changed.connect(lambda text: window.setProperty(CUE_STATUS_PROPERTY, translated(text)))
        self.mini_window = MiniTalkWindow()
        self.mini_window.held.connect(lambda: self.press(MINI_BUTTON))
        self.mini_window.let_go.connect(lambda: self.release(MINI_BUTTON))
        window.destroyed.connect(self.mini_window.deleteLater)
        self.mini_window_action = QAction(tr("&Mini talk window"), window)
        self.mini_window_action.setCheckable(True)
        self.mini_window_action.setToolTip(tr("A small always-on-top window with the talk state and a hold button"))
        self.mini_window_action.toggled.connect(self._show_mini_window)
        self.mini_window.hide_requested.connect(lambda: self.mini_window_action.setChecked(False))
        self.tray = TalkTrayIcon(window, self.mini_window_action)
        panel.talk_button.installEventFilter(self)  # its enabled state is mirrored on the mini window
        # Focus loss ends holds. A filter, not an event() override on the window: an override paints the
        # whole window inside a Python call, holding the GIL that the worker and sender threads need.
        window.installEventFilter(self)
        self.mini_window_action.setChecked(window_settings().value(VISIBLE_KEY, False, type=bool))

    def _timer(self, slot: Callable[[], None]) -> QTimer:
        timer = QTimer(self)
        timer.setSingleShot(True)
        timer.timeout.connect(slot)
        return timer

    def add_view_actions(self, menu: QMenu) -> None:
        """The View menu's talk entries (the keys' settings live in Settings)."""
        menu.addAction(self.mini_window_action)

    def shutdown(self) -> None:
        """The window is closing: stop whatever is on (latch and tail too), take no more presses, stop the
        global hotkey and the cues; the caller drains the Stop."""
        self._force_stop("window closed", self._holds)
        self.closing = True
        self.hotkey.shutdown()
        self.cues.close()
        if self.hold_key is not None:
            self.hold_key.close()
        self.mini_window.hide()

    def watch_keys(self) -> None:
        """Start listening to the window's hold key (call once the window's widgets exist)."""
        self.hold_key = WindowHoldKey(self._window)
        self.hold_key.pressed.connect(lambda: self.press(WINDOW_KEY))
        self.hold_key.released.connect(lambda: self.release(WINDOW_KEY))

    @property
    def controller(self) -> TalkController | None:
        """The talk rules of the open session (None while not connected)."""
        return self._controller

    @property
    def gesture(self) -> TalkGesture:
        """The latch and tail rules of the merged hold."""
        return self._gesture

    @property
    def look(self) -> TalkLook | None:
        """What the panel shows now."""
        return self._panel.look

    # --- session ---------------------------------------------------------------------------------

    def session_ready(self, info: SessionInfo) -> None:
        """A session opened (or its settings changed): new Sequence source, the profile's keys, latch, tail, cues."""
        self._session = info
        profile = info.profile
        self._controller = TalkController(info.sequences)
        self._forget_holds()
        self._error_reason = ""
        self._gesture.configure(GestureSettings(profile.latch_enabled, profile.release_tail_ms))
        binding = _binding_or_space(profile.hold_key)
        if self.hold_key is not None:
            self.hold_key.set_binding(binding)
        self.hotkey.apply(binding, Scope(profile.hotkey_scope))
        self._show_hotkey(self.hotkey.status)  # the defaults change no status, yet the panel names the key
        self.cues.configure(profile.cues_enabled, profile.cue_volume)

    def session_lost(self) -> None:
        """No session (failed, or being replaced): a held talk is released first by the caller."""
        self._force_stop("session closed", self._holds)
        self._session = None
        self._controller = None
        self._forget_holds()
        self.render()

    # --- the operator's inputs ---------------------------------------------------------------------------

    def press(self, reason: str) -> None:
        """An input went down (reason names it: "button", "key", "hotkey", "mini window", or a caller's)."""
        if self._controller is None or self.closing:
            self.message.emit(tr("Not connected yet: nothing was sent."), False)
            return
        if reason in self._holds:
            return
        self._holds.add(reason)
        if len(self._holds) > 1:
            return  # already held by another input
        self._press_reason = reason
        step = self._gesture.press()
        self._apply(step, reason)
        if step.send is None and step.cancel_stop:
            self.cues.play(Cue.PRESS)  # pressed again within the tail: listening simply goes on

    def release(self, reason: str) -> None:
        """An input came up; a reason that holds nothing is a safety release ("window closed") and stops now."""
        if reason not in self._holds:
            self._force_stop(reason, frozenset())
            return
        self._holds.discard(reason)
        if not self._holds:
            self._apply(self._gesture.release(), reason)

    def is_held(self) -> bool:
        """True while listening is asked for (held, in its release tail, or latched)."""
        return bool(self._controller and self._controller.held)

    def window_deactivated(self) -> None:
        """The window lost focus: holds that need it (window key, big button) end; a global hotkey's and the
        mini window's go on."""
        if self._drop_holds(self._holds - FOCUS_INDEPENDENT, "window lost focus"):
            self.message.emit(tr("Released: the window lost focus while talking."), False)

    def _drop_holds(self, lost: set[str], reason: str) -> bool:
        """End holds whose release will not come; Stop now if no other input still holds. True if it sent a Stop."""
        if not lost:
            return False
        if self._holds - lost:
            self._end_holds(lost)  # still held by an input that sees its own release
            return False
        return self._force_stop(reason, lost)

    def _on_max_hold(self) -> None:
        if self._session is None or not self._gesture.listening_asked:
            return
        limit = self._session.profile.max_hold_s
        self._force_stop(f"maximum hold of {limit:g} s", {BUTTON, MINI_BUTTON})
        self.message.emit(tr("Released automatically: the maximum hold of {limit} s was reached.").format(
            limit=f"{limit:g}"), False)

    def _on_stop_due(self) -> None:
        self._apply(self._gesture.stop_due(), f"{self._press_reason} released (after the tail)")

    # --- from gestures to calls ---------------------------------------------------------------------------

    def _force_stop(self, reason: str, ending: set[str] | frozenset[str]) -> bool:
        """A safety release: Stop now whatever is on; the holds in `ending` will not report their release.
        True if a Stop was sent."""
        step = self._gesture.force_stop()
        self._apply(step, reason)
        self._end_holds(ending)
        return step.send is Send.STOP

    def _end_holds(self, sources: set[str] | frozenset[str]) -> None:
        for source in set(sources):
            self._holds.discard(source)
            if source == BUTTON:
                self._panel.talk_button.abandon_hold()
            elif source == MINI_BUTTON:
                self.mini_window.talk_button.abandon_hold()
            elif source == WINDOW_KEY and self.hold_key is not None:
                self.hold_key.reset()
        if not self._holds and self._gesture.phase is GesturePhase.SPENT:
            self._gesture.release()  # nothing is down any more: the spent hold is over

    def _forget_holds(self) -> None:
        self._end_holds(self._holds & {BUTTON, MINI_BUTTON, WINDOW_KEY})
        self._holds.clear()
        self._gesture.reset()
        for timer in (self._stop_timer, self._max_hold_timer):
            timer.stop()

    def _apply(self, step: GestureStep, reason: str) -> None:
        if step.cancel_stop:
            self._stop_timer.stop()
        if step.arm_stop_s is not None:
            self._stop_timer.start(math.ceil(step.arm_stop_s * 1000))
        if step.send is Send.START:
            self._send(self._controller.press(reason) if self._controller else None, Cue.PRESS)
            if self._session is not None:
                self._max_hold_timer.start(int(self._session.profile.max_hold_s * 1000))
        elif step.send is Send.STOP:
            self._max_hold_timer.stop()
            self._send(self._controller.release(reason) if self._controller else None, Cue.RELEASE)
        self._render_timer.start()

    def _send(self, intent: ListenIntent | None, cue: Cue) -> None:
        if intent is None:
            return
        self.listen_requested.emit(intent)
        self._after_send.append((intent, cue))
        if not self._after_send_timer.isActive():
            self._after_send_timer.start()

    def _follow_up_sends(self) -> None:
        sent, self._after_send = self._after_send, []
        for intent, cue in sent:
            self.cues.play(cue)
            self.input_sent.emit(intent)

    # --- answers -------------------------------------------------------------------------------------------

    @Slot(object, object, bool)
    def on_listen_answered(self, intent: ListenIntent, result: ApiResult, final: bool) -> None:
        """The server's answer to a Start/Stop: update the confirmed state."""
        if self._controller is None:
            return
        before = self._controller.state
        after = self._controller.on_result(intent, result, final)
        if after is TalkState.LISTENING and before is not TalkState.LISTENING:
            self.cues.play(Cue.LISTENING)  # first: the cue is due within 30 ms of the confirmation
        latest = self._controller.is_latest(intent)
        if after is TalkState.ERROR and latest:
            self._error_reason = error_reason(result)
        self._panel.show_latency(result.action, result.latency_ms, result.code)
        if not confirms(result) and latest:
            self.message.emit(self._failure_sentence(intent, result, final), True)
        self.render()
        self.listen_result_shown.emit(intent, result)

    def _failure_sentence(self, intent: ListenIntent, result: ApiResult, final: bool) -> str:
        """What failed and why, as one sentence; the banner's advice for the codes an operator can fix."""
        profile = self._session.profile if self._session else None
        context = TalkContext(profile.agent_instance_id, profile.user_id, profile.rtc_room_id) if profile else None
        advice = advise(result, context) if context else None
        why = translated(advice.text) if advice else result.explanation(tr)
        sentence = tr("{action} (Sequence {sequence}) failed: {why}").format(action=intent.action,
                                                                             sequence=intent.sequence, why=why)
        if not sentence.endswith((".", "…", "。")):
            sentence += tr(".")
        return sentence if final else sentence + tr(" Sending it again with a new Sequence.")

    # --- showing -------------------------------------------------------------------------------------------

    def render(self) -> None:
        """Show the talk state on the panel, the mini window and the tray."""
        look = talk_look(
            self._controller.state if self._controller else None,
            latched=self._gesture.latched,
            pending=self._pending_release(),
            error_reason=self._error_reason,
            hold_hint=self._hold_hint(),
        )
        self._panel.show_look(look)
        self.mini_window.show_look(look)
        self.tray.show_look(look)

    def _pending_release(self) -> ReleasePending | None:
        pending = self._gesture.pending
        if self._gesture.phase is not GesturePhase.TAIL or pending is None:
            return None
        return ReleasePending(self._gesture.settings.release_tail_ms, pending.latch_possible)

    def _hold_hint(self) -> str:
        status = self.hotkey.status
        if status.active:
            return tr("mouse, or {key} in any application").format(key=status.binding)
        if status.binding.startswith("Mouse"):
            return tr("mouse")
        return tr("mouse or {key}").format(key=status.binding)

    @Slot(object)
    def _show_hotkey(self, status: HotkeyStatus) -> None:
        if self.hold_key is not None:
            self.hold_key.set_suspended(status.active)
        self._panel.show_hotkey(status.describe(), status.problem)
        self._window.setProperty(HOTKEY_STATUS_PROPERTY, status.describe())
        self.render()

    def _show_mini_window(self, shown: bool) -> None:
        window_settings().setValue(VISIBLE_KEY, shown)
        self.mini_window.setVisible(shown and not self.closing)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._window and event.type() == QEvent.Type.WindowDeactivate:
            self.window_deactivated()
        elif watched is self._panel.talk_button and event.type() == QEvent.Type.EnabledChange:
            enabled = self._panel.talk_button.isEnabled()
            self.mini_window.talk_button.setEnabled(enabled)
            if not enabled:  # a disabled button gets no mouse release: its hold ends here
                self._drop_holds(self._holds & {BUTTON, MINI_BUTTON}, "talk button disabled")
        return False


def _binding_or_space(text: str) -> Binding:
    """The profile's hold key (validated when saved); Space if a file edited by hand names no key."""
    try:
        return parse_binding(text)
    except InvalidBinding:
        return parse_binding("Space")
