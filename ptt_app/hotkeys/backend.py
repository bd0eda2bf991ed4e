"""What every global push-to-talk backend offers: start/stop, a status, callbacks on its own thread."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from typing import Protocol

from ptt_app.hotkeys.binding import Binding
from ptt_app.translatable import QT_TR_NOOP

log = logging.getLogger(__name__)

Callback = Callable[[], None]
StatusCallback = Callable[["BackendStatus"], None]


class BackendState(Enum):
    """Where a backend is."""

    STOPPED = "stopped"
    STARTING = "starting"  # e.g. the portal is waiting for the operator to confirm the shortcut
    ACTIVE = "active"
    UNAVAILABLE = "unavailable"


@dataclass(frozen=True)
class BackendStatus:
    """A backend's state, and for UNAVAILABLE a reason the operator can act on."""

    backend: str  # "X11", "xdg-desktop-portal", "pynput", or "none"
    state: BackendState
    detail: str = ""  # ACTIVE: what is bound ("F13"); UNAVAILABLE: why and what to do

    @property
    def active(self) -> bool:
        """Whether press and release events are being delivered."""
        return self.state is BackendState.ACTIVE

    def describe(self) -> str:
        """One line for the window's status area."""
        if self.state is BackendState.ACTIVE:
            return QT_TR_NOOP("Global push-to-talk: {key} ({backend})").format(key=self.detail, backend=self.backend)
        if self.state is BackendState.STARTING:
            if self.detail:
                return QT_TR_NOOP("Global push-to-talk: starting ({backend}): {detail}").format(backend=self.backend,
                                                                                                detail=self.detail)
            return QT_TR_NOOP("Global push-to-talk: starting ({backend})").format(backend=self.backend)
        if self.state is BackendState.UNAVAILABLE:
            return QT_TR_NOOP("Global push-to-talk unavailable ({backend}): {reason}. Using the window key.").format(
                backend=self.backend, reason=self.detail)
        return QT_TR_NOOP("Global push-to-talk off")


class HotkeyBackend(Protocol):
    """A source of global press/release events for one binding.

    Callbacks run on the backend's own thread: the window must marshal them to the GUI thread. on_release
    is also called when the backend loses its input source during a hold, so a talk never stays open;
    it is not called by stop().
    """

    name: str

    @property
    def status(self) -> BackendStatus:
        """The current status."""
        ...

    def start(self, binding: Binding, on_press: Callback, on_release: Callback,
              on_status: StatusCallback | None = None) -> BackendStatus:
        """Begin delivering events; returns the status reached (STARTING if it completes later)."""
        ...

    def stop(self) -> None:
        """Stop delivering events and release every OS resource; idempotent."""
        ...


def call_safely(callback: Callable[..., None] | None, *args: object) -> None:
    """Run a caller's callback on a backend thread; an exception is logged, never kills the thread."""
    if callback is None:
        return
    try:
        callback(*args)
    except Exception:
        log.exception("hotkey callback %r failed", callback)
