"""Per-user folders for settings and the request journal, per operating system."""

from __future__ import annotations

import os
import sys
from pathlib import Path

APP_FOLDER = "ptt-app"


def config_dir() -> Path:
    """Where settings live; PTT_APP_CONFIG_DIR overrides."""
    override = os.environ.get("PTT_APP_CONFIG_DIR")
    if override:
        return Path(override)
    if sys.platform == "win32":
        return Path(os.environ.get("APPDATA", Path.home() / "AppData" / "Roaming")) / APP_FOLDER
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Application Support" / APP_FOLDER
    return Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config") / APP_FOLDER


def data_dir() -> Path:
    """Where the request journal lives; PTT_APP_DATA_DIR overrides."""
    override = os.environ.get("PTT_APP_DATA_DIR")
    if override:
        return Path(override)
    if sys.platform == "win32":
        return Path(os.environ.get("LOCALAPPDATA", Path.home() / "AppData" / "Local")) / APP_FOLDER
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Application Support" / APP_FOLDER
    return Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share") / APP_FOLDER


def settings_path() -> Path:
    """The settings file."""
    return config_dir() / "settings.json"


def journal_path() -> Path:
    """The request journal database."""
    return data_dir() / "journal.sqlite3"


def ensure_private_dir(path: Path) -> Path:
    """Create a folder only the user can read (the journal and settings are nobody else's business)."""
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path
