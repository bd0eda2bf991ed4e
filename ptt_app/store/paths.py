"""Per-user folders for settings and the request journal, per operating system (no extra dependencies)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

APP_FOLDER = "ptt-app"
CONFIG_DIR_OVERRIDE = "PTT_APP_CONFIG_DIR"
DATA_DIR_OVERRIDE = "PTT_APP_DATA_DIR"


def config_dir() -> Path:
    """Where settings live; PTT_APP_CONFIG_DIR overrides."""
    override = _override(CONFIG_DIR_OVERRIDE)
    if override is not None:
        return override
    if sys.platform == "win32":
        return _env_dir("APPDATA", Path.home() / "AppData" / "Roaming") / APP_FOLDER
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Application Support" / APP_FOLDER
    return _env_dir("XDG_CONFIG_HOME", Path.home() / ".config") / APP_FOLDER


def data_dir() -> Path:
    """Where the request journal lives; PTT_APP_DATA_DIR overrides."""
    override = _override(DATA_DIR_OVERRIDE)
    if override is not None:
        return override
    if sys.platform == "win32":
        return _env_dir("LOCALAPPDATA", Path.home() / "AppData" / "Local") / APP_FOLDER
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Application Support" / APP_FOLDER
    return _env_dir("XDG_DATA_HOME", Path.home() / ".local" / "share") / APP_FOLDER


def settings_path() -> Path:
    """The settings file."""
    return config_dir() / "settings.json"


def journal_path() -> Path:
    """The request journal database."""
    return data_dir() / "journal.sqlite3"


def ensure_private_dir(path: Path) -> Path:
    """Create a folder (and its parents) that only the user can open; an existing folder is left as it is.

    Mode 0o700 applies on POSIX only; an existing folder is not chmod-ed because an override may point
    at a folder the user shares on purpose."""
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


def _override(variable: str) -> Path | None:
    value = os.environ.get(variable)
    return Path(value).expanduser() if value else None


def _env_dir(variable: str, fallback: Path) -> Path:
    # The XDG spec says an empty or relative value is to be ignored.
    value = os.environ.get(variable)
    return Path(value) if value and os.path.isabs(value) else fallback
