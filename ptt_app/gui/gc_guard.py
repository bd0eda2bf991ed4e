"""Cyclic garbage collection on the GUI thread only.

CPython runs a collection on whichever thread happens to allocate past the threshold, so a sender
thread could end up destroying a Qt wrapper left in a reference cycle: Qt objects must die on their own
thread. With automatic collection off, this timer collects on the GUI thread as often as CPython would
(the same generation thresholds), so memory behaves as before and no other thread ever collects.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer

CHECK_EVERY_MS = 50


class GuiThreadCollector(QObject):
    """Owns automatic garbage collection while it lives: install() turns it off, uninstall() back on."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._thresholds = gc.get_threshold()
        self._timer = QTimer(self)
        self._timer.setInterval(CHECK_EVERY_MS)
        self._timer.timeout.connect(self.collect_due)
        self._was_enabled = gc.isenabled()

    def install(self) -> None:
        """Stop allocation-triggered collections on every thread; collect from this thread's timer."""
        gc.disable()
        self._timer.start()

    def uninstall(self) -> None:
        """Give collection back to CPython's allocation trigger."""
        self._timer.stop()
        if self._was_enabled:
            gc.enable()

    def collect_due(self) -> int:
        """Collect the oldest generation whose threshold is reached, as CPython's own trigger would;
        returns the generation collected, or -1 when none was due."""
        counts = gc.get_count()
        generation = -1
        for level in range(3):
            if counts[level] >= self._thresholds[level] > 0:
                generation = level
            else:
                break
        if generation >= 0:
            gc.collect(generation)
        return generation
