"""X11 physical key state (XQueryKeymap) and key lookup, shared by the probe and the global grab.

XQueryKeymap answers from the server's own record of which keys are down; an auto-repeat
release is sent while the key is still down, so at each release this tells a repeat from the real one.
"""

from __future__ import annotations

import threading

from Xlib import XK, X
from Xlib import display as xdisplay
from Xlib import error as xerror

from ptt_app.hotkeys.binding import Binding, InputKind
from ptt_app.hotkeys.keynames import x11_keycode_of_function_key

_MODIFIER_KEYSYMS = {"Alt": ("Alt_L", "Alt_R", "Meta_L"), "Super": ("Super_L", "Super_R"), "NumLock": ("Num_Lock",)}
_FIXED_MASKS = {"Ctrl": X.ControlMask, "Shift": X.ShiftMask}


class X11Unavailable(Exception):
    """The X display cannot be used; the message says why."""


def open_display(name: str | None = None) -> xdisplay.Display:
    """A new connection to the X server (DISPLAY by default); X11Unavailable if it cannot be opened."""
    try:
        return xdisplay.Display(name)
    except (xerror.DisplayError, xerror.ConnectionClosedError, OSError) as error:
        raise X11Unavailable(f"cannot open the X display {name or '$DISPLAY'}: {error}") from None


def keycode_of(display: xdisplay.Display, binding: Binding) -> int:
    """The keycode of a key binding on this server's keymap (F13-F24: their evdev keycode); 0 if none."""
    keysym = XK.string_to_keysym(binding.key_name.x11_keysym)
    code = display.keysym_to_keycode(keysym) if keysym else 0
    # No key has the keysym (F13-F24 usually carry XF86 keysyms): a pedal's evdev keycode still sends it.
    return code or x11_keycode_of_function_key(binding.key) or 0


def is_key_down(display: xdisplay.Display, keycode: int) -> bool:
    """Whether the server says the key is physically down now (one round trip)."""
    keymap = display.query_keymap()
    return bool(keymap[keycode >> 3] & (1 << (keycode & 7)))


def modifier_mask(display: xdisplay.Display, modifier: str) -> int:
    """The X modifier mask of "Ctrl", "Shift", "Alt", "Super" or "NumLock" on this server (0: none)."""
    if modifier in _FIXED_MASKS:
        return _FIXED_MASKS[modifier]
    wanted = {display.keysym_to_keycode(XK.string_to_keysym(name)) for name in _MODIFIER_KEYSYMS[modifier]} - {0}
    for index, keycodes in enumerate(display.get_modifier_mapping()):
        if wanted & set(keycodes):
            return 1 << index
    return 0


class X11KeyStateProbe:
    """Asks the X server whether the hold key is physically down, on its own connection. Thread-safe."""

    def __init__(self, display_name: str | None = None) -> None:
        self._display = open_display(display_name)
        self._lock = threading.Lock()
        self._keycodes: dict[Binding, int] = {}

    def is_down(self, binding: Binding) -> bool | None:
        """True/False from the server's key state; None for a mouse button, an unmapped key, or a lost server."""
        if binding.kind is not InputKind.KEY:
            return None
        with self._lock:
            try:
                keycode = self._keycodes.setdefault(binding, keycode_of(self._display, binding))
                return is_key_down(self._display, keycode) if keycode else None
            except (xerror.ConnectionClosedError, OSError):
                return None

    def close(self) -> None:
        """Close the connection."""
        with self._lock:
            try:
                self._display.close()
            except (xerror.ConnectionClosedError, OSError):
                pass
