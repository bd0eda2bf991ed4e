"""Global push-to-talk on Windows and macOS through pynput's documented Listener API.

pynput is imported only when the backend starts, so the mapping and the event filter below run (and
are tested) anywhere. Windows and macOS repeat the press of a held key, never the release; a release is
still checked against the OS key state (GetAsyncKeyState, CGEventSourceKeyState) where the key's
virtual-key code is known. Not run on this project's Linux CI: only the Qt-free logic is tested there.
"""

from __future__ import annotations

import ctypes
import logging
import sys
from collections.abc import Callable
from dataclasses import dataclass

from ptt_app.hotkeys.backend import BackendState, BackendStatus, Callback, StatusCallback, call_safely
from ptt_app.hotkeys.binding import Binding, InputKind
from ptt_app.hotkeys.hold import Edge, HoldFilter
from ptt_app.hotkeys.keynames import PYNPUT_MOUSE_BUTTONS, WIN_MOUSE_VK
from ptt_app.translatable import QT_TR_NOOP

log = logging.getLogger(__name__)
NAME = "pynput"
# pynput's macOS Key enum lacks these (its Windows enum has them all).
_MISSING_ON_MACOS = frozenset({"f21", "f22", "f23", "f24", "insert", "pause", "scroll_lock", "menu"})
_MACOS_HID_SYSTEM_STATE = 1  # kCGEventSourceStateHIDSystemState
MACOS_PERMISSION = QT_TR_NOOP("macOS has not allowed this app to watch the keyboard: System Settings → Privacy & "
                              "Security → Accessibility and Input Monitoring, allow PTT Console, then restart it")


@dataclass(frozen=True)
class PynputTarget:
    """What to listen for, in pynput's terms."""

    key_name: str | None = None  # a pynput.keyboard.Key member
    char: str | None = None  # a character key: pynput.keyboard.KeyCode.from_char(char)
    mouse_button: str | None = None  # a pynput.mouse.Button member
    win_vk: int | None = None  # for GetAsyncKeyState on Windows


def pynput_target(binding: Binding, platform: str = sys.platform) -> PynputTarget | str:
    """The pynput target of a binding on a platform, or why pynput cannot bind it there."""
    if binding.modifiers:
        return QT_TR_NOOP("the Windows/macOS backend binds a single key or side button without modifiers; use e.g. F13")
    if binding.kind is InputKind.MOUSE:
        if platform != "win32" or binding.button not in PYNPUT_MOUSE_BUTTONS:
            return QT_TR_NOOP("only the two standard mouse side buttons (Mouse8, Mouse9) can be bound, and only on "
                              "Windows")
        return PynputTarget(mouse_button=PYNPUT_MOUSE_BUTTONS[binding.button], win_vk=WIN_MOUSE_VK[binding.button])
    key = binding.key_name
    if key.pynput_key is None:
        return PynputTarget(char=key.x11_keysym, win_vk=key.win_vk)
    if platform == "darwin" and key.pynput_key in _MISSING_ON_MACOS:
        return QT_TR_NOOP("macOS has no {key} key that pynput can see; use F13-F20").format(key=binding.key)
    return PynputTarget(key_name=key.pynput_key, win_vk=key.win_vk)


class PynputEventFilter:
    """One press and one release per hold from pynput's events; key_state tells if a key is down."""

    def __init__(self, key_state: Callable[[], bool | None]) -> None:
        self._hold = HoldFilter()
        self._key_state = key_state

    def pressed(self) -> Edge | None:
        """A press of the target (repeats while held are dropped)."""
        return self._hold.raw_press()

    def released(self) -> Edge | None:
        """A release of the target; dropped while the OS still reports the key down."""
        return self._hold.raw_release(self._key_state())

    def reset(self) -> Edge | None:
        """The listener stopped: RELEASE if a hold was open."""
        return self._hold.reset()


def os_key_state(target: PynputTarget, mac_keycode: int | None, platform: str = sys.platform) -> Callable[[], bool | None]:
    """A function telling whether the target is physically down, from the OS; it answers None if it cannot."""
    if platform == "win32" and target.win_vk is not None:
        get_async_key_state = ctypes.windll.user32.GetAsyncKeyState  # type: ignore[attr-defined]
        return lambda: bool(get_async_key_state(target.win_vk) & 0x8000)
    if platform == "darwin" and mac_keycode is not None:
        services = ctypes.cdll.LoadLibrary("/System/Library/Frameworks/ApplicationServices.framework/ApplicationServices")
        key_state = services.CGEventSourceKeyState
        key_state.argtypes, key_state.restype = [ctypes.c_int32, ctypes.c_uint16], ctypes.c_bool
        return lambda: bool(key_state(_MACOS_HID_SYSTEM_STATE, mac_keycode))
    return lambda: None


class PynputBackend:
    """Global press/release through a pynput keyboard or mouse Listener (Windows, macOS)."""

    name = NAME

    def __init__(self) -> None:
        self._status = BackendStatus(NAME, BackendState.STOPPED)
        self._listener = None
        self._filter: PynputEventFilter | None = None

    @property
    def status(self) -> BackendStatus:
        """The current status."""
        return self._status

    def start(self, binding: Binding, on_press: Callback, on_release: Callback,
              on_status: StatusCallback | None = None) -> BackendStatus:
        """Start a pynput listener for the binding; ACTIVE, or UNAVAILABLE with the reason."""
        self.stop()
        target = pynput_target(binding)
        if isinstance(target, str):
            return self._set(on_status, BackendState.UNAVAILABLE, target)
        try:
            from pynput import keyboard, mouse
        except ImportError as error:
            return self._set(on_status, BackendState.UNAVAILABLE, QT_TR_NOOP("pynput cannot be loaded ({error})").format(
                error=error))
        if target.mouse_button is not None:
            listener = self._mouse_listener(mouse, target, on_press, on_release)
        else:
            listener = self._keyboard_listener(keyboard, target, on_press, on_release)
        if listener is None:
            return self._set(on_status, BackendState.UNAVAILABLE, QT_TR_NOOP("pynput has no key {key} here").format(
                key=binding))
        listener.start()
        listener.wait()
        # pynput documents IS_TRUSTED on macOS: False when Accessibility permission is missing.
        if not getattr(listener, "IS_TRUSTED", True):
            listener.stop()
            return self._set(on_status, BackendState.UNAVAILABLE, MACOS_PERMISSION)
        self._listener = listener
        return self._set(on_status, BackendState.ACTIVE, str(binding))

    def stop(self) -> None:
        """Stop the listener (its thread ends); idempotent."""
        listener, self._listener = self._listener, None
        if listener is not None:
            listener.stop()
            self._status = BackendStatus(NAME, BackendState.STOPPED)

    def _keyboard_listener(self, keyboard, target: PynputTarget, on_press: Callback, on_release: Callback):
        if target.key_name is not None:
            wanted = getattr(keyboard.Key, target.key_name, None)
            if wanted is None:
                return None
            mac_keycode = wanted.value.vk
        else:
            wanted, mac_keycode = keyboard.KeyCode.from_char(target.char), None
        self._filter = events = PynputEventFilter(os_key_state(target, mac_keycode))

        def matches(key) -> bool:
            return key is not None and listener.canonical(key) == listener.canonical(wanted)

        def pressed(key) -> None:
            if matches(key) and events.pressed() is Edge.PRESS:
                call_safely(on_press)

        def released(key) -> None:
            if matches(key) and events.released() is Edge.RELEASE:
                call_safely(on_release)

        listener = keyboard.Listener(on_press=pressed, on_release=released)
        return listener

    def _mouse_listener(self, mouse, target: PynputTarget, on_press: Callback, on_release: Callback):
        wanted = getattr(mouse.Button, target.mouse_button, None)
        if wanted is None:
            return None
        self._filter = events = PynputEventFilter(os_key_state(target, None))

        def clicked(_x, _y, button, is_press: bool) -> None:
            if button != wanted:
                return
            if is_press and events.pressed() is Edge.PRESS:
                call_safely(on_press)
            elif not is_press and events.released() is Edge.RELEASE:
                call_safely(on_release)

        return mouse.Listener(on_click=clicked)

    def _set(self, on_status: StatusCallback | None, state: BackendState, detail: str) -> BackendStatus:
        self._status = BackendStatus(NAME, state, detail)
        call_safely(on_status, self._status)
        return self._status
