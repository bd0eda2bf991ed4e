"""The Qt event loop run by hand, as the screenshot scripts need it between steps and before a grab."""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtWidgets import QApplication


def pump_until(condition: Callable[[], bool], timeout: float = 10.0) -> None:
    """Process events until condition() holds; TimeoutError if it does not within timeout seconds."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("the window did not reach the expected state")
        QApplication.processEvents()
        time.sleep(0.01)


def settle(seconds: float = 0.4) -> None:
    """Let the window paint (the render delay, the style sheet, a resize) before a grab."""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        QApplication.processEvents()
        time.sleep(0.01)
