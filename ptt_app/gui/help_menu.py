"""The Help menu: About (version, Qt, Python, licence), the data folder, the log file, and the keyboard shortcuts."""

from __future__ import annotations

import html
import logging
import platform
import re
from collections.abc import Callable
from importlib import metadata
from pathlib import Path

import PySide6
from PySide6.QtCore import QObject, Qt, QUrl, Signal, qVersion
from PySide6.QtGui import QDesktopServices, QKeySequence
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QMainWindow, QMenu, QMessageBox, QVBoxLayout

from ptt_app import __version__
from ptt_app.diagnostics.app_log import LOG_FILE_NAME, SharedRotatingFileHandler
from ptt_app.gui.i18n import tr
from ptt_app.store.paths import data_dir, ensure_private_dir
from ptt_app.translatable import QT_TR_NOOP

APP_TITLE = QT_TR_NOOP("PTT Console")
THIRD_PARTY = QT_TR_NOOP("Qt 6 and PySide6 are used under the LGPL-3.0; requests and keyring under their own "
                         "open-source licences.")


def licence() -> str:
    """The app's licence as its package metadata states it."""
    try:
        meta = metadata.metadata("ptt-app")
    except metadata.PackageNotFoundError:
        return tr("unknown (not installed from a package)")
    return meta.get("License-Expression") or meta.get("License") or tr("unknown")


def about_text() -> str:
    """The About box's text (rich text)."""
    lines = [
        f"<b>{html.escape(tr(APP_TITLE))}</b> {html.escape(__version__)}",
        html.escape(tr("Push-to-talk operator console for ZEGOCLOUD AI agents in walkie-talkie mode.")),
        f"Qt {qVersion()} · PySide6 {PySide6.__version__} · Python {platform.python_version()} "
        f"({html.escape(platform.system())})",
        html.escape(tr("Licence: {licence}.").format(licence=licence())),
        html.escape(tr(THIRD_PARTY)),
    ]
    return "<p>" + "</p><p>".join(lines) + "</p>"


def log_file() -> Path:
    """The log file this process writes (the launcher's), or where it would be."""
    for handler in logging.getLogger().handlers:
        if isinstance(handler, SharedRotatingFileHandler):
            return Path(handler.baseFilename)
    return data_dir() / "logs" / LOG_FILE_NAME


def menu_shortcuts(window: QMainWindow) -> list[tuple[str, str]]:
    """(what, keys) of every menu entry that has a keyboard shortcut, in menu order."""
    found: list[tuple[str, str]] = []
    for top in window.menuBar().actions():
        menu = top.menu()
        if not isinstance(menu, QMenu):
            continue
        for action in menu.actions():
            keys = ", ".join(key.toString(QKeySequence.SequenceFormat.NativeText) for key in action.shortcuts())
            if keys:
                found.append((f"{_plain(top.text())} → {_plain(action.text())}", keys))
    return found


def _plain(menu_text: str) -> str:
    # A translated entry keeps its Latin access key in brackets ("文件(&F)"), which the plain name drops.
    menu_text = re.sub(r"\(&\w\)", "", menu_text)
    return menu_text.replace("&&", "\0").replace("&", "").replace("\0", "&")


class HelpMenu(QObject):
    """Adds the Help menu to a window; message(text, error) reports what could not be opened."""

    message = Signal(str, bool)

    def __init__(self, window: QMainWindow, hold_key: Callable[[], tuple[str, bool]]) -> None:
        """hold_key tells the hold key and whether it works in every application (a global hotkey is active)."""
        super().__init__(window)
        self._window = window
        self._hold_key = hold_key
        self.about_box: QMessageBox | None = None
        self.shortcuts_dialog: QDialog | None = None
        menu = window.menuBar().addMenu(tr("&Help"))
        self.shortcuts_action = menu.addAction(tr("&Keyboard shortcuts"), self.show_shortcuts)
        self.shortcuts_action.setShortcut(QKeySequence(QKeySequence.StandardKey.HelpContents))
        menu.addSeparator()
        self.data_folder_action = menu.addAction(tr("Open &data folder"), self.open_data_folder)
        self.log_action = menu.addAction(tr("Open &log file"), self.open_log)
        menu.addSeparator()
        self.about_action = menu.addAction(tr("&About {app}").format(app=tr(APP_TITLE)), self.show_about)
        self.menu = menu

    def show_about(self) -> QMessageBox:
        """The About box (not modal, so the window keeps working behind it)."""
        box = QMessageBox(QMessageBox.Icon.NoIcon, tr("About {app}").format(app=tr(APP_TITLE)), about_text(),
                          QMessageBox.StandardButton.Close, self._window)
        box.setTextFormat(Qt.TextFormat.RichText)
        box.setIconPixmap(self._window.windowIcon().pixmap(64, 64))
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()
        self.about_box = box
        return box

    def open_data_folder(self) -> bool:
        """Show the folder with the request journal, logs and crash reports in the file manager."""
        folder = ensure_private_dir(data_dir())
        return self._open(folder, tr("Opened the data folder {path}.").format(path=folder))

    def open_log(self) -> bool:
        """Open the log file in the desktop's viewer for text files."""
        path = log_file()
        if not path.exists():
            self.message.emit(tr("There is no log file yet: {path} is written once the app has logged something.")
                              .format(path=path), True)
            return False
        return self._open(path, tr("Opened the log file {path}.").format(path=path))

    def _open(self, path: Path, done: str) -> bool:
        if QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))):
            self.message.emit(done, False)
            return True
        self.message.emit(tr("No program is set up to open {path}: open it from your file manager.").format(path=path),
                          True)
        return False

    def show_shortcuts(self) -> QDialog:
        """A small window listing every shortcut: the hold key first, then the menus'."""
        key, everywhere = self._hold_key()
        where = tr("Talk from any application; release to stop") if everywhere else tr(
            "Talk while the window has focus; release to stop")
        rows = [(tr("Hold {key}").format(key=key), where),
                (tr("Tab, Shift+Tab"), tr("Move between the controls; Space or Enter on the talk button talks too"))]
        rows += [(keys, what) for what, keys in menu_shortcuts(self._window)]
        table = "".join(f"<tr><td style='padding-right:16px'><b>{html.escape(keys)}</b></td><td>{html.escape(what)}</td></tr>"
                        for keys, what in rows)
        dialog = QDialog(self._window)
        dialog.setWindowTitle(tr("Keyboard shortcuts"))
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        label = QLabel(f"<table>{table}</table>")
        label.setTextFormat(Qt.TextFormat.RichText)
        label.setObjectName("shortcutsTable")
        label.setAccessibleName(tr("Keyboard shortcuts"))
        label.setAccessibleDescription("; ".join(f"{keys}: {what}" for keys, what in rows))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(dialog.reject)
        layout = QVBoxLayout(dialog)
        layout.addWidget(label)
        layout.addWidget(buttons)
        dialog.open()
        self.shortcuts_dialog = dialog
        return dialog
