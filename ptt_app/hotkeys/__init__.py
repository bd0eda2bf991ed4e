"""Push-to-talk keys that never flap: the binding spec, the in-window key filter and global backends (Qt-free).

Global backends are loaded by ``choose_backend`` (X11 grab, xdg-desktop-portal GlobalShortcuts, pynput);
their callbacks run on the backend's own thread.
"""

from ptt_app.hotkeys.backend import BackendState, BackendStatus, HotkeyBackend
from ptt_app.hotkeys.binding import Binding, InputKind, InvalidBinding, binding_problem, parse_binding
from ptt_app.hotkeys.chooser import BackendChoice, Scope, choose_backend
from ptt_app.hotkeys.window_key import KeyAction, ReleaseCheck, WindowKeyFilter, window_key_filter

__all__ = [
    "BackendChoice", "BackendState", "BackendStatus", "Binding", "HotkeyBackend", "InputKind", "InvalidBinding",
    "KeyAction", "ReleaseCheck", "Scope", "WindowKeyFilter", "binding_problem", "choose_backend", "parse_binding",
    "window_key_filter",
]
