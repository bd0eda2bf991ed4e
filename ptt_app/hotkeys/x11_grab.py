"""Global push-to-talk on X11: a passive grab of the key (or mouse button) on the root window.

The grab delivers the key to this connection whichever window has focus (and keeps it from that window).
A release counts only if XQueryKeymap says the key is up, which drops the fake releases of auto-repeat;
a press of a key that is already up again is stale (it was queued behind the real release) and dropped too.
The grab is made with every combination of CapsLock and NumLock, which X treats as modifiers.
"""

from __future__ import annotations

import itertools
import logging
import os
import select
import threading

from Xlib import X
from Xlib import display as xdisplay
from Xlib import error as xerror

from ptt_app.hotkeys.backend import BackendState, BackendStatus, Callback, StatusCallback, call_safely
from ptt_app.hotkeys.binding import Binding, InputKind
from ptt_app.hotkeys.hold import Edge, HoldFilter
from ptt_app.hotkeys.x11_keystate import X11Unavailable, is_key_down, keycode_of, modifier_mask, open_display
from ptt_app.translatable import QT_TR_NOOP

log = logging.getLogger(__name__)
NAME = "X11"
_STOP_JOIN_S = 5.0


class X11GrabBackend:
    """Global press/release of one binding through an X11 passive grab; events on its own thread."""

    name = NAME

    def __init__(self, display_name: str | None = None) -> None:
        self._display_name = display_name
        self._status = BackendStatus(NAME, BackendState.STOPPED)
        self._thread: threading.Thread | None = None
        self._wake_r, self._wake_w = -1, -1
        self._hold = HoldFilter()
        self._on_status: StatusCallback | None = None
        self.repeats_dropped = 0  # presses and releases of the key that were auto-repeat (or stale)

    @property
    def status(self) -> BackendStatus:
        """The current status."""
        return self._status

    def start(self, binding: Binding, on_press: Callback, on_release: Callback,
              on_status: StatusCallback | None = None) -> BackendStatus:
        """Grab the binding; ACTIVE, or UNAVAILABLE with the reason (no display, key taken, not on the keymap)."""
        self.stop()
        self._on_status = on_status
        try:
            display = open_display(self._display_name)
        except X11Unavailable as error:
            return self._set_status(BackendState.UNAVAILABLE, QT_TR_NOOP("{error}; is this an X11 session?").format(
                error=error))
        grab = _Grab(display, binding)
        problem = grab.acquire()
        if problem:
            _close_quietly(display)
            return self._set_status(BackendState.UNAVAILABLE, problem)
        self._hold = HoldFilter()
        self.repeats_dropped = 0
        self._wake_r, self._wake_w = os.pipe()
        self._thread = threading.Thread(target=self._run, args=(grab, on_press, on_release),
                                        name="ptt-hotkey-x11", daemon=True)
        self._set_status(BackendState.ACTIVE, grab.description)
        self._thread.start()
        return self._status

    def stop(self) -> None:
        """Ungrab, close the display connection and end the thread; idempotent."""
        thread, self._thread = self._thread, None
        if thread is None:
            return
        os.write(self._wake_w, b"x")
        thread.join(_STOP_JOIN_S)
        for fd in (self._wake_r, self._wake_w):
            os.close(fd)
        self._wake_r = self._wake_w = -1
        if self._status.state is BackendState.ACTIVE:
            self._set_status(BackendState.STOPPED)

    def _run(self, grab: _Grab, on_press: Callback, on_release: Callback) -> None:
        display = grab.display
        try:
            while True:
                while display.pending_events():
                    self._handle(grab, display.next_event(), on_press, on_release)
                readable, _, _ = select.select([display.fileno(), self._wake_r], [], [])
                if self._wake_r in readable:
                    break
        except (xerror.ConnectionClosedError, OSError) as error:
            log.warning("X11 hotkey: lost the display: %s", error)
            if self._hold.reset() is Edge.RELEASE:
                call_safely(on_release)
            self._set_status(BackendState.UNAVAILABLE, QT_TR_NOOP("lost the X display ({error})").format(error=error))
            return
        grab.release()
        _close_quietly(display)

    def _handle(self, grab: _Grab, event, on_press: Callback, on_release: Callback) -> None:
        if not grab.matches(event):
            return
        if event.type in (X.KeyPress, X.ButtonPress):
            edge = self._hold.raw_press(grab.physically_down())
        else:
            edge = self._hold.raw_release(grab.physically_down())
        if edge is Edge.PRESS:
            call_safely(on_press)
        elif edge is Edge.RELEASE:
            call_safely(on_release)
        else:
            self.repeats_dropped += 1

    def _set_status(self, state: BackendState, detail: str = "") -> BackendStatus:
        self._status = BackendStatus(NAME, state, detail)
        call_safely(self._on_status, self._status)
        return self._status


class _Grab:
    """The passive grabs of one binding on one display connection."""

    def __init__(self, display: xdisplay.Display, binding: Binding) -> None:
        self.display = display
        self.binding = binding
        self.root = display.screen().root
        self.code = binding.button if binding.kind is InputKind.MOUSE else keycode_of(display, binding)
        self.masks = self._modifier_variants()
        self.description = str(binding) if binding.kind is InputKind.MOUSE else f"{binding} (keycode {self.code})"

    def acquire(self) -> str | None:
        """Make the grabs; None on success, else the operator-facing reason (and nothing stays grabbed)."""
        if self.code == 0:
            return QT_TR_NOOP("no key on this keyboard layout produces {key} (check with xev, or map it with xmodmap); "
                              "choose another key").format(key=self.binding.key)
        if self.masks is None:
            return QT_TR_NOOP("this X server has no modifier for {modifiers}").format(
                modifiers=", ".join(self.binding.ordered_modifiers))
        catcher = xerror.CatchError(xerror.BadAccess, xerror.BadValue)
        for mask in self.masks:
            if self.binding.kind is InputKind.MOUSE:
                self.root.grab_button(self.code, mask, True, X.ButtonPressMask | X.ButtonReleaseMask,
                                      X.GrabModeAsync, X.GrabModeAsync, X.NONE, X.NONE, onerror=catcher)
            else:
                self.root.grab_key(self.code, mask, True, X.GrabModeAsync, X.GrabModeAsync, onerror=catcher)
        self.display.sync()
        if catcher.get_error() is None:
            return None
        self.release()
        if isinstance(catcher.get_error(), xerror.BadAccess):
            return QT_TR_NOOP("another program already uses {key} as a global shortcut on this X display; free it "
                              "there or choose another key").format(key=self.binding)
        return QT_TR_NOOP("the X server refused to grab {key} ({error})").format(key=self.binding,
                                                                                 error=catcher.get_error())

    def release(self) -> None:
        """Undo every grab (ignoring grabs that were never made)."""
        ignore = xerror.CatchError()
        for mask in self.masks or ():
            if self.binding.kind is InputKind.MOUSE:
                self.root.ungrab_button(self.code, mask, onerror=ignore)
            else:
                self.root.ungrab_key(self.code, mask, onerror=ignore)
        try:
            self.display.sync()
        except (xerror.ConnectionClosedError, OSError):
            pass

    def matches(self, event) -> bool:
        """Whether an X event is a press or release of this binding."""
        kinds = (X.ButtonPress, X.ButtonRelease) if self.binding.kind is InputKind.MOUSE else (X.KeyPress, X.KeyRelease)
        return event.type in kinds and event.detail == self.code

    def physically_down(self) -> bool | None:
        """The key's state on the server; None for mouse buttons (they do not auto-repeat)."""
        return is_key_down(self.display, self.code) if self.binding.kind is InputKind.KEY else None

    def _modifier_variants(self) -> list[int] | None:
        base = 0
        for modifier in self.binding.ordered_modifiers:
            mask = modifier_mask(self.display, modifier)
            if mask == 0:
                return None
            base |= mask
        # CapsLock and NumLock are modifiers to X: without these variants the key would not fire while on.
        locks = [X.LockMask, modifier_mask(self.display, "NumLock")]
        locks = [mask for mask in locks if mask]
        return [base | sum(combo) for n in range(len(locks) + 1) for combo in itertools.combinations(locks, n)]


def _close_quietly(display: xdisplay.Display) -> None:
    try:
        display.close()
    except (xerror.ConnectionClosedError, OSError):
        pass
