"""Light, dark and high-contrast looks: the palette and the style sheet follow the desktop's colour scheme, its
contrast preference, or a palette set on the application, and change with them while the app runs."""

from __future__ import annotations

from enum import Enum

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication, QWidget

from ptt_app.gui.icons import style_sheet

# A palette whose window is darker than this (HSL lightness, 0-255) is a dark one.
DARK_LIGHTNESS = 128
# The contrast a desktop's own high-contrast palette has at least between text and window.
HIGH_CONTRAST_RATIO = 7.0
_ROLE = QPalette.ColorRole
_GROUP = QPalette.ColorGroup


class Theme(str, Enum):
    """The look in use; its value names the style sheet added to resources/console.qss."""

    LIGHT = "light"
    DARK = "dark"
    HIGH_CONTRAST = "high-contrast"


def contrast_ratio(first: QColor, second: QColor) -> float:
    """WCAG 2 contrast ratio of two colours (1 to 21)."""
    lighter, darker = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def _luminance(colour: QColor) -> float:
    def channel(value: float) -> float:
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(colour.redF()) + 0.7152 * channel(colour.greenF()) + 0.0722 * channel(colour.blueF())


def is_dark(palette: QPalette) -> bool:
    """Whether a palette has light text on a dark window."""
    return palette.color(_ROLE.Window).lightness() < DARK_LIGHTNESS


def wanted_theme(app: QGuiApplication) -> Theme:
    """The desktop's wish: high contrast first, then a dark palette or colour scheme, else light."""
    hints = app.styleHints()
    accessibility = hints.accessibility()
    if accessibility.contrastPreference() == Qt.ContrastPreference.HighContrast:
        return Theme.HIGH_CONTRAST
    if is_dark(app.palette()) or hints.colorScheme() == Qt.ColorScheme.Dark:
        return Theme.DARK
    return Theme.LIGHT


def dark_palette() -> QPalette:
    """Light text on dark grey, for a desktop that asks for dark but whose style does not provide it."""
    return _palette(window="#202124", text="#e8eaed", base="#171717", alternate="#262729", button="#303134",
                    highlight="#8ab4f8", highlighted_text="#000000", placeholder="#9aa0a6", disabled="#8b9095",
                    link="#8ab4f8")


def high_contrast_palette() -> QPalette:
    """White on black with a yellow highlight, for a desktop that asks for more contrast."""
    return _palette(window="#000000", text="#ffffff", base="#000000", alternate="#1a1a1a", button="#000000",
                    highlight="#ffff00", highlighted_text="#000000", placeholder="#c8c8c8", disabled="#b4b4b4",
                    link="#00ffff")


def _palette(*, window: str, text: str, base: str, alternate: str, button: str, highlight: str,
             highlighted_text: str, placeholder: str, disabled: str, link: str) -> QPalette:
    palette = QPalette()
    colours = {
        _ROLE.Window: window, _ROLE.WindowText: text, _ROLE.Base: base, _ROLE.AlternateBase: alternate,
        _ROLE.Text: text, _ROLE.Button: button, _ROLE.ButtonText: text, _ROLE.BrightText: "#ffffff",
        _ROLE.Highlight: highlight, _ROLE.HighlightedText: highlighted_text, _ROLE.ToolTipBase: button,
        _ROLE.ToolTipText: text, _ROLE.PlaceholderText: placeholder, _ROLE.Link: link, _ROLE.LinkVisited: link,
        _ROLE.Light: "#5f6368", _ROLE.Midlight: "#4a4d51", _ROLE.Mid: "#3c4043", _ROLE.Dark: "#111111",
        _ROLE.Shadow: "#000000",
    }
    for role, colour in colours.items():
        palette.setColor(role, QColor(colour))
    for role in (_ROLE.WindowText, _ROLE.Text, _ROLE.ButtonText):
        palette.setColor(_GROUP.Disabled, role, QColor(disabled))
    return palette


def theme_style_sheet(theme: Theme) -> str:
    """The console's style sheet with the theme's rules after the common ones."""
    extra = "" if theme is Theme.LIGHT else style_sheet(f"console-{theme.value}.qss")
    return style_sheet() + "\n" + extra


class ThemeWatcher(QObject):
    """Applies the wanted theme now and whenever the colour scheme or the contrast preference changes, or the
    application palette changes under a watched window."""

    def __init__(self, app: QApplication) -> None:
        super().__init__(app)
        self._app = app
        self._applying = False
        self.theme: Theme | None = None
        hints = app.styleHints()
        hints.colorSchemeChanged.connect(lambda _scheme: self.apply())
        self._accessibility = hints.accessibility()
        self._accessibility.contrastPreferenceChanged.connect(lambda _preference: self.apply())
        self.apply()

    def watch(self, window: QWidget) -> None:
        """Follow palette changes that reach this window (a filter on one window, not on the whole application:
        that would run Python for every event of every object)."""
        window.installEventFilter(self)

    def apply(self, theme: Theme | None = None) -> Theme:
        """Set the palette (where the style does not follow the wish by itself) and the style sheet of the
        desktop's wanted theme, or of `theme`."""
        theme = theme or wanted_theme(self._app)
        self._applying = True
        try:
            self._set_palette(theme)
            self._app.setStyleSheet(theme_style_sheet(theme))
        finally:
            self._applying = False
        self.theme = theme
        return theme

    def _set_palette(self, theme: Theme) -> None:
        palette = self._app.palette()
        if theme is Theme.DARK and not is_dark(palette):
            self._app.setPalette(dark_palette())
        elif theme is Theme.HIGH_CONTRAST and not (is_dark(palette) and contrast_ratio(
                palette.color(_ROLE.WindowText), palette.color(_ROLE.Window)) >= HIGH_CONTRAST_RATIO):
            # The high-contrast sheet draws light text on dark: a desktop's own light-on-dark high-contrast
            # palette is kept, anything else becomes white on black.
            self._app.setPalette(high_contrast_palette())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (event.type() in (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange) and not self._applying
                and wanted_theme(self._app) is not self.theme):
            self.apply()
        return False
