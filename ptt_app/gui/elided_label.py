"""Labels that shorten their text with "…" rather than be cut off or push their neighbours away; the whole
text is always the tooltip."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QRect, QSize, Qt
from PySide6.QtGui import QPainter, QPaintEvent
from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget

from ptt_app.gui.i18n import tr

# Enough to show the start of an id or a host, so a narrow window still says something useful.
MIN_CHARS = 8
PREFERRED_CHARS = 16


class ElidedLabel(QLabel):
    """Never asks for more width than MIN_CHARS characters, so it cannot push a layout wider than its window;
    what does not fit ends in "…" (the tooltip has all of it), so nothing is cut off silently."""

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        self._caption = ""
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)

    def set_caption(self, caption: str) -> None:
        """What the value is (the label beside it): a screen reader says it before the whole value."""
        self._caption = caption
        self._name_for_screen_readers()

    def setText(self, text: str) -> None:
        super().setText(text)
        self.setToolTip(text)
        self._name_for_screen_readers()

    def _name_for_screen_readers(self) -> None:
        if self._caption:
            self.setAccessibleName(tr("{name}: {value}").format(name=self._caption, value=self.text()))

    def minimumSizeHint(self) -> QSize:
        hint = super().minimumSizeHint()
        return QSize(min(hint.width(), self.fontMetrics().averageCharWidth() * MIN_CHARS), hint.height())

    def sizeHint(self) -> QSize:
        # Asks for little, and takes what the layout gives (Ignored policy): a long value never squeezes its
        # neighbours below their own size hints.
        hint = super().sizeHint()
        return QSize(min(hint.width(), self.fontMetrics().averageCharWidth() * PREFERRED_CHARS), hint.height())

    def shown_text(self) -> str:
        """The text as painted at the current width ("…" at the end when shortened)."""
        return self.fontMetrics().elidedText(self.text(), Qt.TextElideMode.ElideRight, self.contentsRect().width())

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setPen(self.palette().color(self.foregroundRole()))
        painter.drawText(self.contentsRect(), int(self.alignment()), self.shown_text())


class WrappedLineCap(QObject):
    """Keeps a word-wrapped label to at most `lines` lines at whatever width it has: a longer text ends in "…"
    at a word boundary, and the whole text is the label's tooltip. So a long message can never push the
    widgets around it off their place at a small window size."""

    def __init__(self, label: QLabel, lines: int) -> None:
        super().__init__(label)
        self._label = label
        self._lines = lines
        self._full = label.text()
        label.installEventFilter(self)

    @property
    def full_text(self) -> str:
        """The text as given, before any shortening."""
        return self._full

    def set_text(self, text: str) -> None:
        """Show `text`, shortened to the line budget if need be."""
        self._full = text
        self._fit()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._label and event.type() == QEvent.Type.Resize:
            self._fit()
        return False

    def _fit(self) -> None:
        width = self._label.contentsRect().width()
        shown = self._full if width <= 0 or self._fits(self._full, width) else self._shortened(width)
        if shown != self._label.text():
            self._label.setText(shown)
        self._label.setToolTip(self._full if shown != self._full else "")

    def _fits(self, text: str, width: int) -> bool:
        metrics = self._label.fontMetrics()
        needed = metrics.boundingRect(QRect(0, 0, width, 10_000), int(Qt.TextFlag.TextWordWrap), text).height()
        return needed <= self._lines * metrics.lineSpacing()

    def _shortened(self, width: int) -> str:
        words = self._full.split(" ")
        low, high = 0, len(words)  # the longest prefix of words that fits with "…"
        while low < high:
            middle = (low + high + 1) // 2
            if self._fits(" ".join(words[:middle]) + "…", width):
                low = middle
            else:
                high = middle - 1
        return " ".join(words[:low]).rstrip(",;:") + "…"
