"""The auto-repeat filter every backend shares: one press and one release per physical hold.

Auto-repeat shows up in two ways. X11 (core protocol) sends a fake release and a new press at every
repeat; Windows, macOS and the portal repeat the press only. Either way a press while held is a repeat,
and a release is real only when the key is physically up, which the caller learns from the OS
(XQueryKeymap, GetAsyncKeyState) and passes in; None means "cannot tell", and then the event is believed.
"""

from __future__ import annotations

import threading
from enum import Enum


class Edge(Enum):
    """A real change of the operator's hold."""

    PRESS = "press"
    RELEASE = "release"


class HoldFilter:
    """Passes the first press of a hold and its real release; drops repeats. Thread-safe."""

    def __init__(self) -> None:
        self._held = False
        self._lock = threading.Lock()

    @property
    def held(self) -> bool:
        """Whether a press was passed and its release not yet."""
        return self._held

    def raw_press(self, physically_down: bool | None = None) -> Edge | None:
        """A press event; PRESS if it starts a hold. A press of a key already up again is stale: dropped."""
        with self._lock:
            if self._held or physically_down is False:
                return None
            self._held = True
            return Edge.PRESS

    def raw_release(self, physically_down: bool | None = None) -> Edge | None:
        """A release event; RELEASE if it ends the hold, None for an auto-repeat release (key still down)."""
        with self._lock:
            if not self._held or physically_down is True:
                return None
            self._held = False
            return Edge.RELEASE

    def reset(self) -> Edge | None:
        """Forget the hold (the input source went away); RELEASE if one was open, so talk never stays on."""
        with self._lock:
            was_held, self._held = self._held, False
        return Edge.RELEASE if was_held else None
