"""A bare PySide6 window on X11 that applies the window hold-key filter to Space, for the X11 tests.

Run as a subprocess with DISPLAY set: ``python qt_hold_window.py MODE`` where MODE is ``physical``
(WindowKeyFilter with the XQueryKeymap probe) or ``grace`` (WindowKeyFilter with the grace only).
Prints ``READY <window id>``, then one line per raw event (``raw press``/``raw release`` with Qt's
repeat flag and time.monotonic()) and per decision (``PRESS``, ``RELEASE``); quits when stdin closes.
"""

from __future__ import annotations

import os
import sys
import time

os.environ["QT_QPA_PLATFORM"] = "xcb"

from PySide6.QtCore import QEvent, QObject, QSocketNotifier, Qt, QTimer
from PySide6.QtWidgets import QApplication, QWidget

from ptt_app.hotkeys.binding import parse_binding
from ptt_app.hotkeys.window_key import KeyAction, ReleaseCheck, WindowKeyFilter
from ptt_app.hotkeys.x11_keystate import X11KeyStateProbe


class HoldKeyReporter(QObject):
    """Prints what the window would do with each Space event."""

    def __init__(self, mode: str) -> None:
        super().__init__()
        binding = parse_binding("Space")
        if mode == "physical":
            self.filter = WindowKeyFilter(binding, ReleaseCheck.PHYSICAL_STATE, X11KeyStateProbe())
        else:
            self.filter = WindowKeyFilter(binding, ReleaseCheck.GRACE)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(lambda: self.act(self.filter.grace_expired()))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind not in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease) or event.key() != Qt.Key.Key_Space:
            return False
        pressed = kind == QEvent.Type.KeyPress
        report(f"raw {'press' if pressed else 'release'} repeat={event.isAutoRepeat()} t={time.monotonic():.6f}")
        self.act(self.filter.key_pressed(event.isAutoRepeat()) if pressed
                 else self.filter.key_released(event.isAutoRepeat()))
        return True

    def act(self, action: KeyAction) -> None:
        if action is KeyAction.WAIT:
            self.timer.start(self.filter.grace_ms)
        elif action in (KeyAction.PRESS, KeyAction.RELEASE):
            report(action.name)


def report(line: str) -> None:
    print(line, flush=True)


def main() -> None:
    app = QApplication(sys.argv[:1])
    window = QWidget()
    window.setWindowTitle("hold-key test")
    window.resize(200, 100)
    reporter = HoldKeyReporter(sys.argv[1])
    window.installEventFilter(reporter)
    window.show()
    stdin_closed = QSocketNotifier(sys.stdin.fileno(), QSocketNotifier.Type.Read)
    stdin_closed.activated.connect(app.quit)
    QTimer.singleShot(0, lambda: report(f"READY {int(window.winId())}"))
    app.exec()


if __name__ == "__main__":
    main()
