"""The global push-to-talk hotkey in the window: picks and runs a hotkeys backend, brings its events to the GUI
thread, and says which backend is active or why none can work.

Backends are started and stopped on one control thread of their own (opening an X display or a D-Bus
connection is I/O, and stop() may wait for the backend's thread), never from a backend's callback.
Their callbacks reach the GUI thread through a ThreadInbox, tagged with the generation of the binding they
belong to, so an event of a backend already replaced is dropped.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import partial

from PySide6.QtCore import QObject, Signal

from ptt_app.gui.i18n import tr, translated
from ptt_app.gui.thread_inbox import ThreadInbox
from ptt_app.hotkeys import BackendState, BackendStatus, Binding, HotkeyBackend, Scope, choose_backend

log = logging.getLogger(__name__)
# The window property holding HotkeyStatus.describe(), for the settings dialog (it has no other link to the window).
HOTKEY_STATUS_PROPERTY = "hotkeyStatus"


@dataclass(frozen=True)
class HotkeyStatus:
    """Where the hold key works now: the scope asked for, and the global backend's status or why there is none."""

    scope: Scope
    binding: str
    backend: BackendStatus | None = None
    reason: str = ""  # no backend could be chosen: why (global scope, no backend, no reason: still choosing)

    @property
    def active(self) -> bool:
        """Whether a global backend delivers the key from every application."""
        return self.backend is not None and self.backend.active

    @property
    def problem(self) -> bool:
        """A global hotkey was asked for and cannot work: the window key is used instead."""
        if self.scope is not Scope.GLOBAL:
            return False
        if self.backend is None:
            return bool(self.reason)
        return self.backend.state in (BackendState.UNAVAILABLE, BackendState.STOPPED)

    def describe(self) -> str:
        """One line for the talk panel and the settings dialog."""
        if self.scope is Scope.WINDOW:
            return tr("Talk key: {key} while this window has focus (Settings: scope)").format(key=self.binding)
        if self.backend is None and not self.reason:
            return tr("Global push-to-talk: starting ({key})…").format(key=self.binding)
        if self.active:
            assert self.backend is not None
            return tr("Talk key: {key}, in every application ({backend})").format(key=self.backend.detail,
                                                                                 backend=self.backend.backend)
        if self.backend is None:
            return tr("Global push-to-talk unavailable: {reason}. {fallback}").format(
                reason=translated(self.reason), fallback=self._fallback())
        if self.backend.state is BackendState.STARTING:
            return translated(self.backend.describe())
        return tr("Global push-to-talk unavailable ({backend}): {reason}. {fallback}").format(
            backend=self.backend.backend, reason=translated(self.backend.detail), fallback=self._fallback())

    def _fallback(self) -> str:
        if self.binding.startswith("Mouse"):
            return tr("A mouse button cannot be the window key: use the talk button, or bind a key.")
        return tr("Using the window key ({key}).").format(key=self.binding)


class _ControlThreadState:
    """The running backend; touched only on the control thread (plain Python, no Qt)."""

    def __init__(self) -> None:
        self.backend: HotkeyBackend | None = None

    def stop(self) -> None:
        if self.backend is not None:
            self.backend.stop()
            self.backend = None


class GlobalHotkey(QObject):
    """Runs the global backend for one binding; pressed/released/status_changed arrive on the GUI thread."""

    pressed = Signal()
    released = Signal()
    status_changed = Signal(object)  # HotkeyStatus

    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        self._inbox = ThreadInbox(self)
        self._control = ThreadPoolExecutor(max_workers=1, thread_name_prefix="ptt-hotkey-control")
        self._thread_state = _ControlThreadState()
        self._generation = 0
        self._wanted: tuple[Binding, Scope] | None = None
        self._down = False
        self._shut_down = False
        self.status = HotkeyStatus(Scope.WINDOW, "Space")

    def apply(self, binding: Binding, scope: Scope) -> None:
        """Use this binding and scope; a backend already running them is kept (a failed one is tried again)."""
        if self._shut_down or (self._wanted == (binding, scope) and not self.status.problem):
            return
        self._wanted = (binding, scope)
        self._generation += 1
        self._let_go()
        text = str(binding)
        self._set_status(HotkeyStatus(scope, text))
        self._control.submit(
            _switch, self._thread_state, binding, scope,
            partial(self._inbox.sender(self._on_press), self._generation),
            partial(self._inbox.sender(self._on_release), self._generation),
            partial(self._inbox.sender(self._on_backend_status), self._generation, scope, text),
        )

    def shutdown(self) -> None:
        """Stop the backend (on the control thread) and deliver nothing more."""
        if self._shut_down:
            return
        self._shut_down = True
        self._generation += 1
        self._wanted = None
        self._let_go()
        self._control.submit(self._thread_state.stop)
        self._control.shutdown(wait=False)
        self._inbox.close()

    def _on_press(self, generation: int) -> None:
        if generation == self._generation and not self._down:
            self._down = True
            self.pressed.emit()

    def _on_release(self, generation: int) -> None:
        if generation == self._generation and self._down:
            self._down = False
            self.released.emit()

    def _on_backend_status(self, generation: int, scope: Scope, text: str, backend: BackendStatus | None,
                           reason: str) -> None:
        if generation == self._generation:
            self._set_status(HotkeyStatus(scope, text, backend, reason))

    def _let_go(self) -> None:
        # The old backend will not report this hold's release: end it here.
        if self._down:
            self._down = False
            self.released.emit()

    def _set_status(self, status: HotkeyStatus) -> None:
        if status != self.status:
            self.status = status
            self.status_changed.emit(status)


def _switch(state: _ControlThreadState, binding: Binding, scope: Scope, on_press: Callable[[], None],
            on_release: Callable[[], None], on_status: Callable[[BackendStatus | None, str], None]) -> None:
    """On the control thread: stop the old backend, choose and start the new one, report its status."""
    try:
        state.stop()
        if scope is Scope.WINDOW:
            return
        choice = choose_backend(scope)
        if choice.backend is None:
            on_status(None, choice.reason)
            return
        state.backend = choice.backend
        status = choice.backend.start(binding, on_press, on_release, lambda later: on_status(later, ""))
        on_status(status, "")
    except Exception as error:  # a backend bug must not leave the window thinking a hotkey is coming
        log.exception("global hotkey: starting a backend failed")
        on_status(None, f"the hotkey backend failed to start ({error})")
