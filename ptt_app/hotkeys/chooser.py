"""Which global push-to-talk backend fits this platform and session, or why none can work."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import Enum

from ptt_app.hotkeys.backend import HotkeyBackend
from ptt_app.translatable import QT_TR_NOOP


class Scope(Enum):
    """Where the hold key works (settings: hotkey_scope)."""

    WINDOW = "window"  # only while the console window has focus
    GLOBAL = "global"  # whichever application has focus


@dataclass(frozen=True)
class BackendChoice:
    """The backend to start, or None and the reason the window key is used instead."""

    backend: HotkeyBackend | None
    reason: str = ""


def choose_backend(scope: Scope | str, environ: Mapping[str, str] = os.environ,
                   platform: str = sys.platform) -> BackendChoice:
    """Pick the backend for a scope on this platform and session (XDG_SESSION_TYPE, WAYLAND_DISPLAY, DISPLAY)."""
    if Scope(scope) is Scope.WINDOW:
        return BackendChoice(None, QT_TR_NOOP("the hold key works while this window has focus (Settings: hotkey scope)"))
    if platform in ("win32", "darwin"):
        return _load(_pynput_backend, "pynput")
    if environ.get("XDG_SESSION_TYPE", "").lower() == "wayland" or environ.get("WAYLAND_DISPLAY"):
        # X11 grabs under XWayland see only keys typed into X11 windows: Wayland needs the portal.
        return _load(_portal_backend, "jeepney")
    if environ.get("DISPLAY"):
        return _load(lambda: _x11_backend(environ["DISPLAY"]), "python-xlib")
    return BackendChoice(None, QT_TR_NOOP("no graphical session was found (neither WAYLAND_DISPLAY nor DISPLAY is set)"))


# Plain import statements (not importlib with strings), so that PyInstaller finds and bundles them.
def _pynput_backend() -> HotkeyBackend:
    from ptt_app.hotkeys.pynput_backend import PynputBackend

    return PynputBackend()


def _portal_backend() -> HotkeyBackend:
    from ptt_app.hotkeys.portal import PortalBackend

    return PortalBackend()


def _x11_backend(display: str) -> HotkeyBackend:
    from ptt_app.hotkeys.x11_grab import X11GrabBackend

    return X11GrabBackend(display)


def _load(make_backend: Callable[[], HotkeyBackend], package: str) -> BackendChoice:
    try:
        return BackendChoice(make_backend())
    except ImportError as error:
        return BackendChoice(None, QT_TR_NOOP("the {package} package is missing ({error}); reinstall the app").format(
            package=package, error=error))
