"""The tray icon: listening state at a glance, even with the window behind others."""

from __future__ import annotations

from PySide6.QtWidgets import QMainWindow, QMenu, QSystemTrayIcon

from ptt_app.gui.icons import icon
from ptt_app.talk.intents import TalkState

_STATE_ICONS = {
    TalkState.IDLE: "tray-idle.svg",
    TalkState.STARTING: "tray-listening.svg",
    TalkState.LISTENING: "tray-listening.svg",
    TalkState.STOPPING: "tray-listening.svg",
    TalkState.ERROR: "tray-error.svg",
}


class TalkTrayIcon:
    """Wraps QSystemTrayIcon; does nothing where the platform has no tray (offscreen, some desktops)."""

    def __init__(self, window: QMainWindow) -> None:
        self._tray: QSystemTrayIcon | None = None
        if not QSystemTrayIcon.isSystemTrayAvailable():
            return
        self._tray = QSystemTrayIcon(icon("tray-idle.svg"), window)
        menu = QMenu(window)
        menu.addAction("Show window", lambda: (window.showNormal(), window.activateWindow()))
        menu.addAction("Quit", window.close)
        self._tray.setContextMenu(menu)
        self._tray.activated.connect(lambda _reason: (window.showNormal(), window.activateWindow()))
        self._tray.show()

    def show_state(self, state: TalkState, label: str) -> None:
        """Show the confirmed talk state."""
        if self._tray is not None:
            self._tray.setIcon(icon(_STATE_ICONS[state]))
            self._tray.setToolTip(f"PTT Console: {label}")

    def hide(self) -> None:
        """Remove the icon (on quit)."""
        if self._tray is not None:
            self._tray.hide()
