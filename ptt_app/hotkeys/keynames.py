"""The keys and mouse buttons a push-to-talk binding may name, and what each backend calls them.

One row per key: the portable name used in settings, the X11 keysym name, the identifier of the
freedesktop shortcuts specification (xkbcommon keysym names, used by the GlobalShortcuts portal),
pynput's ``Key`` member name (None for a character key), and the Windows virtual-key code.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class KeyName:
    """One bindable key and its name in each input system."""

    name: str  # the portable name, as settings spell it
    x11_keysym: str
    portal_id: str
    pynput_key: str | None  # a pynput.keyboard.Key member; None: a character key (KeyCode.from_char)
    win_vk: int


def _special(name: str, x11: str, pynput_key: str | None, win_vk: int, portal: str | None = None) -> KeyName:
    return KeyName(name, x11, portal or x11, pynput_key, win_vk)


_SPECIAL_KEYS = (
    _special("Space", "space", "space", 0x20),
    _special("Return", "Return", "enter", 0x0D),
    # Enter is the keypad's; pynput and Windows do not tell it from Return.
    _special("Enter", "KP_Enter", "enter", 0x0D),
    _special("Tab", "Tab", "tab", 0x09),
    _special("Backspace", "BackSpace", "backspace", 0x08),
    _special("Insert", "Insert", "insert", 0x2D),
    _special("Home", "Home", "home", 0x24),
    _special("End", "End", "end", 0x23),
    _special("PgUp", "Prior", "page_up", 0x21, portal="Page_Up"),
    _special("PgDown", "Next", "page_down", 0x22, portal="Page_Down"),
    _special("Pause", "Pause", "pause", 0x13),
    _special("ScrollLock", "Scroll_Lock", "scroll_lock", 0x91),
    _special("CapsLock", "Caps_Lock", "caps_lock", 0x14),
    _special("Menu", "Menu", "menu", 0x5D),
)
_LETTERS = tuple(KeyName(c, c.lower(), c.lower(), None, ord(c)) for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZ")
_DIGITS = tuple(KeyName(d, d, d, None, ord(d)) for d in "0123456789")
# F1-F24: F13-F24 are what most USB foot pedals send. VK_F1 is 0x70, and the rest follow in order.
_FUNCTION_KEYS = tuple(KeyName(f"F{n}", f"F{n}", f"F{n}", f"f{n}", 0x70 + n - 1) for n in range(1, 25))

KEYS: dict[str, KeyName] = {key.name: key for key in (*_LETTERS, *_DIGITS, *_FUNCTION_KEYS, *_SPECIAL_KEYS)}

# Other spellings people type (case is ignored too): Qt's, X11's and common ones.
KEY_ALIASES: dict[str, str] = {
    "spacebar": "Space", "kp_enter": "Enter", "page_up": "PgUp", "pageup": "PgUp", "prior": "PgUp",
    "page_down": "PgDown", "pagedown": "PgDown",
    "next": "PgDown", "scroll_lock": "ScrollLock", "caps_lock": "CapsLock", "ins": "Insert", "apps": "Menu",
}

# xkb's evdev keycodes of F13-F24 (191-202). Many layouts give them XF86 keysyms (F13 is XF86Tools, F14
# XF86Launch5...), so a foot pedal that sends F13 has no keysym F13 on X11: its keycode identifies it.
EVDEV_KEYCODE_F13 = 191


def function_key_of_x11_keycode(keycode: int) -> str | None:
    """"F13"-"F24" for xkb's evdev keycodes 191-202 (e.g. a Qt event's nativeScanCode() on xcb), else None."""
    number = keycode - EVDEV_KEYCODE_F13 + 13
    return f"F{number}" if 13 <= number <= 24 else None


def x11_keycode_of_function_key(name: str) -> int | None:
    """The evdev keycode of F13-F24, else None."""
    if name.startswith("F") and name[1:].isdigit() and 13 <= int(name[1:]) <= 24:
        return EVDEV_KEYCODE_F13 + int(name[1:]) - 13
    return None


# Mouse side buttons, as X11 numbers them (8 back, 9 forward; gaming mice go further).
MOUSE_BUTTONS = range(8, 16)
# pynput (Windows) knows the two standard side buttons only.
PYNPUT_MOUSE_BUTTONS = {8: "x1", 9: "x2"}
# Windows virtual-key codes of the side buttons, for GetAsyncKeyState.
WIN_MOUSE_VK = {8: 0x05, 9: 0x06}

# Modifiers in their canonical order, with their names in X11 masks, the shortcuts spec and pynput.
MODIFIERS = ("Ctrl", "Alt", "Shift", "Super")
MODIFIER_ALIASES = {"ctrl": "Ctrl", "control": "Ctrl", "alt": "Alt", "shift": "Shift", "super": "Super",
                    "meta": "Super", "win": "Super", "logo": "Super", "cmd": "Super"}
PORTAL_MODIFIERS = {"Ctrl": "CTRL", "Alt": "ALT", "Shift": "SHIFT", "Super": "LOGO"}
