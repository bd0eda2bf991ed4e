"""Dynamic properties that the style sheet's rules select on (talkState, outcome, problem, ...)."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget


def set_style_property(widget: QWidget, name: str, value: object) -> None:
    """Set a property a style-sheet rule selects on; repolish only if it changed. A property change does not
    restyle by itself, and a repolish costs about 0.1 ms of the GUI thread on every press and answer."""
    if widget.property(name) == value:
        return
    widget.setProperty(name, value)
    widget.style().unpolish(widget)
    widget.style().polish(widget)
