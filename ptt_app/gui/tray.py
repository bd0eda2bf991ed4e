"""The tray icon: the talk state at a glance (the same icons as the window), even with the window behind
others; its menu shows the window, toggles the mini talk window, and quits."""

from __future__ import annotations

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMainWindow, QMenu, QSystemTrayIcon

from ptt_app.gui.i18n import tr
from ptt_app.gui.icons import icon
from ptt_app.gui.talk_look import TalkLook, talk_look


class TalkTrayIcon:
    """Wraps QSystemTrayIcon; does nothing where the platform has no tray (offscreen, some desktops)."""

    def __init__(self, window: QMainWindow, mini_window_action: QAction | None = None) -> None:
        self._tray: QSystemTrayIcon | None = None
        self.menu: QMenu | None = None
        if not QSystemTrayIcon.isSystemTrayAvailable():
            return
        self._tray = QSystemTrayIcon(icon(talk_look(None).icon), window)
        self.menu = QMenu(window)
        self.menu.addAction(tr("Show window"), lambda: (window.showNormal(), window.activateWindow()))
        if mini_window_action is not None:
            self.menu.addAction(mini_window_action)
        self.menu.addAction(tr("Quit"), window.close)
        self._tray.setContextMenu(self.menu)
        self._tray.activated.connect(lambda _reason: (window.showNormal(), window.activateWindow()))
        self._tray.show()

    def show_look(self, look: TalkLook) -> None:
        """Show the confirmed talk state."""
        if self._tray is not None:
            self._tray.setIcon(icon(look.icon))
            self._tray.setToolTip(tr("PTT Console: {state}").format(state=look.word))

    def hide(self) -> None:
        """Remove the icon (on quit)."""
        if self._tray is not None:
            self._tray.hide()
