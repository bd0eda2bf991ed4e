"""The in-window hold key without flapping: decides what each key event of the window means.

Qt marks auto-repeat itself, but on X11 it misses repeats (the fake release and the next press
arrive apart), so a release there is checked against the physical key state. How a release is checked
depends on the platform, chosen by ``window_key_filter`` from Qt's platform name:

- PHYSICAL_STATE (X11 with python-xlib): ask the X server (XQueryKeymap) at each release and press.
- EVENTS (Windows, macOS, Wayland, offscreen): the OS repeats presses only and marks them, so a release
  is always real and Qt's flag is exact.
- GRACE (X11 without a usable probe): a release waits GRACE_MS; a press of the key within it shows
  the release was a repeat. Measured on Xvfb (tests/test_hotkeys_x11.py records max_repeat_gap_ms):
  a repeat's press reached a PySide6 window 0.5-4 ms after its fake release, 15 ms at worst with both
  cores busy (7 runs of 34 repeats); 50 ms covers that with margin, and delays a real stop by 50 ms.
"""

from __future__ import annotations

from enum import Enum
from typing import Protocol

from ptt_app.hotkeys.binding import Binding
from ptt_app.hotkeys.hold import Edge, HoldFilter

GRACE_MS = 50


class KeyStateProbe(Protocol):
    """Tells whether a key is physically down now; None when it cannot tell."""

    def is_down(self, binding: Binding) -> bool | None:
        """True/False from the OS, or None."""
        ...


class ReleaseCheck(Enum):
    """How a release of the hold key is told from an auto-repeat release."""

    PHYSICAL_STATE = "physical key state"
    EVENTS = "the events' own repeat flag"
    GRACE = f"a {GRACE_MS} ms grace"


class KeyAction(Enum):
    """What the window does with a key event of the hold key."""

    PRESS = "press"  # send StartListening
    RELEASE = "release"  # send StopListening
    IGNORE = "ignore"  # an auto-repeat (or stale) event: swallow it
    WAIT = "wait"  # start a single-shot timer of grace_ms, then call grace_expired()


class WindowKeyFilter:
    """One press and one release per physical hold of the window's hold key. GUI thread only."""

    def __init__(self, binding: Binding, check: ReleaseCheck, probe: KeyStateProbe | None = None,
                 grace_ms: int = GRACE_MS) -> None:
        if check is ReleaseCheck.PHYSICAL_STATE and probe is None:
            raise ValueError("the physical-state check needs a probe")
        self.binding = binding
        self.check = check
        self.grace_ms = grace_ms
        self._probe = probe
        self._hold = HoldFilter()
        self._release_pending = False

    @property
    def held(self) -> bool:
        """Whether the key is held, as far as the window has acted."""
        return self._hold.held

    def key_pressed(self, auto_repeat: bool) -> KeyAction:
        """A KeyPress of the hold key (auto_repeat: Qt's isAutoRepeat())."""
        if self._release_pending:
            self._release_pending = False  # the release before this press was a repeat
            return KeyAction.IGNORE
        if auto_repeat:
            return KeyAction.IGNORE
        return KeyAction.PRESS if self._hold.raw_press(self._physically_down()) is Edge.PRESS else KeyAction.IGNORE

    def key_released(self, auto_repeat: bool) -> KeyAction:
        """A KeyRelease of the hold key (auto_repeat: Qt's isAutoRepeat(), trusted when it says yes)."""
        if auto_repeat or not self._hold.held or self._release_pending:
            return KeyAction.IGNORE
        down = self._physically_down()
        if down is None and self.check is not ReleaseCheck.EVENTS:
            # GRACE, or a probe that cannot answer now (lost server): fall back to the grace.
            self._release_pending = True
            return KeyAction.WAIT
        return KeyAction.RELEASE if self._hold.raw_release(down) is Edge.RELEASE else KeyAction.IGNORE

    def grace_expired(self) -> KeyAction:
        """The WAIT timer fired: RELEASE if no press came back meanwhile."""
        if not self._release_pending:
            return KeyAction.IGNORE
        self._release_pending = False
        return KeyAction.RELEASE if self._hold.raw_release() is Edge.RELEASE else KeyAction.IGNORE

    def reset(self) -> None:
        """Forget the hold (the window released for another reason: focus lost, closed, max hold)."""
        self._release_pending = False
        self._hold.reset()

    def close(self) -> None:
        """Release the probe's connection, if it has one."""
        close = getattr(self._probe, "close", None)
        if close is not None:
            close()

    def _physically_down(self) -> bool | None:
        if self.check is not ReleaseCheck.PHYSICAL_STATE or self._probe is None:
            return None
        return self._probe.is_down(self.binding)


def window_key_filter(binding: Binding, qt_platform: str, display_name: str | None = None) -> WindowKeyFilter:
    """The filter the window should use on this Qt platform: with an X11 probe on xcb when one can be opened."""
    if qt_platform != "xcb":
        return WindowKeyFilter(binding, ReleaseCheck.EVENTS)
    try:
        from ptt_app.hotkeys.x11_keystate import X11KeyStateProbe, X11Unavailable
    except ImportError:  # python-xlib missing: the measured grace still stops the flapping
        return WindowKeyFilter(binding, ReleaseCheck.GRACE)
    try:
        probe = X11KeyStateProbe(display_name)
    except X11Unavailable:
        return WindowKeyFilter(binding, ReleaseCheck.GRACE)
    return WindowKeyFilter(binding, ReleaseCheck.PHYSICAL_STATE, probe)
