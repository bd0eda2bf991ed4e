"""Icons and the style sheet shipped in ptt_app.resources (SVG, so they stay sharp at any DPI)."""

from __future__ import annotations

from functools import cache
from importlib import resources

from PySide6.QtGui import QIcon


def resource_path(name: str) -> str:
    """Filesystem path of a shipped resource (a real file in a wheel, editable install or bundle)."""
    return str(resources.files("ptt_app.resources").joinpath(name))


@cache
def icon(name: str) -> QIcon:
    """A shipped SVG icon by file name."""
    return QIcon(resource_path(name))


def app_icon() -> QIcon:
    """The application's icon."""
    return icon("ptt-app.svg")


def style_sheet(name: str = "console.qss") -> str:
    """A shipped Qt style sheet, or "" when it is missing (the platform style still works)."""
    try:
        return resources.files("ptt_app.resources").joinpath(name).read_text(encoding="utf-8")
    except FileNotFoundError:
        return ""
