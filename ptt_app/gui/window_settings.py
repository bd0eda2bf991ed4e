"""Where the window keeps its own state (geometry, mini window), beside settings.json in the config folder."""

from __future__ import annotations

from PySide6.QtCore import QSettings

from ptt_app.store.paths import config_dir

WINDOW_STATE_FILE = "ptt-app.conf"


def window_settings() -> QSettings:
    """The window's QSettings: an INI file in config_dir(), so PTT_APP_CONFIG_DIR moves it too (and tests
    never touch the operator's file); on Linux the same file Qt's default would use."""
    return QSettings(str(config_dir() / WINDOW_STATE_FILE), QSettings.Format.IniFormat)
