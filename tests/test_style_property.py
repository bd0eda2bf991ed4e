"""A property that the style sheet selects on restyles its widget when it changes, and only then."""

from __future__ import annotations

from PySide6.QtGui import QColor
from PySide6.QtWidgets import QLabel, QProxyStyle, QWidget

from ptt_app.gui.style_property import set_style_property

_SHEET = 'QLabel { color: rgb(0, 0, 200); } QLabel[outcome="problem"] { color: rgb(200, 0, 0); }'


class _CountingStyle(QProxyStyle):
    """Counts how often a widget is polished (the style sheet's style polishes through it)."""

    def __init__(self) -> None:
        super().__init__()
        self.widgets_polished = 0

    def polish(self, target: object) -> object:  # Qt overloads it: a widget, a palette or the application
        if isinstance(target, QWidget):
            self.widgets_polished += 1
        return super().polish(target)


def _label(qtbot, style: QProxyStyle | None = None) -> QLabel:
    label = QLabel("text")
    if style is not None:
        label.setStyle(style)
    label.setStyleSheet(_SHEET)
    qtbot.addWidget(label)
    label.show()
    return label


def _text_colour(label: QLabel) -> QColor:
    return label.palette().color(label.foregroundRole())


def test_a_changed_property_applies_its_style_rule(qtbot) -> None:
    label = _label(qtbot)
    assert _text_colour(label) == QColor(0, 0, 200)
    set_style_property(label, "outcome", "problem")
    assert _text_colour(label) == QColor(200, 0, 0)
    set_style_property(label, "outcome", "")
    assert _text_colour(label) == QColor(0, 0, 200)


def test_setting_the_same_value_again_does_not_repolish(qtbot) -> None:
    style = _CountingStyle()
    label = _label(qtbot, style)
    set_style_property(label, "outcome", "problem")
    polished = style.widgets_polished
    set_style_property(label, "outcome", "problem")
    assert style.widgets_polished == polished
    set_style_property(label, "outcome", "")
    assert style.widgets_polished > polished
