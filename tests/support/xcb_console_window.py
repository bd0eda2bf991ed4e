"""The real operator window on X11 (xcb), run as a subprocess by the tests that need real X input.

``python xcb_console_window.py`` with DISPLAY and the private PTT_APP_* folders in the environment. The
first stdin line is the test credentials as JSON ({"app_id": ..., "server_secret": ...}): never on the
command line. It then prints one line per event:

- ``READY <window id>`` once the session is open and the hotkey's backend has settled, after
  ``CHECK <how the window key tells a real release>`` (hotkeys.ReleaseCheck),
- ``HOTKEY <status line>`` whenever the hotkey's status changes, ``STATE <state word>`` whenever the
  shown state changes, ``ACTIVE <0|1>`` whenever the window gains or loses activation,
- ``REPEATS window=<n> global=<n>`` (auto-repeat events dropped) when it quits.

stdin commands: ``activate`` (raise and activate the window), ``focus-talk`` (give the talk button the
keyboard focus, as Tab would), ``quit`` (close, drain, exit).
"""

from __future__ import annotations

import json
import os
import sys

os.environ["QT_QPA_PLATFORM"] = "xcb"
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from PySide6.QtCore import QObject, QSocketNotifier, Qt, QTimer
from PySide6.QtWidgets import QApplication

from ptt_app.api.types import Credentials
from ptt_app.gui.app import make_application
from ptt_app.gui.main_window import MainWindow
from ptt_app.session.runtime import ConsoleOptions
from support.fake_credentials import FixedCredentialStore


def report(line: str) -> None:
    print(line, flush=True)


class Reporter(QObject):
    """Prints what the window shows; polls, so the window's code is exactly the shipped code."""

    def __init__(self, window: MainWindow, app: QApplication) -> None:
        super().__init__(window)
        self._window = window
        self._app = app
        self._last: dict[str, str] = {}
        self._ready = False
        self._timer = QTimer(self)
        self._timer.timeout.connect(self._poll)
        self._timer.start(10)
        window.talk.hotkey.status_changed.connect(lambda status: self._changed("HOTKEY", status.describe()))
        self._changed("HOTKEY", window.talk.hotkey.status.describe())
        self._commands = QSocketNotifier(sys.stdin.fileno(), QSocketNotifier.Type.Read, self)
        self._commands.activated.connect(self._command)

    def _changed(self, kind: str, value: str) -> None:
        if self._last.get(kind) != value:
            self._last[kind] = value
            report(f"{kind} {value}")

    def _poll(self) -> None:
        window = self._window
        if window.talk.look is not None:
            self._changed("STATE", window.talk.look.word)
        self._changed("ACTIVE", "1" if QApplication.activeWindow() is window else "0")
        settled = "starting" not in window.talk.hotkey.status.describe()
        if not self._ready and window.talk_button.isEnabled() and settled:
            self._ready = True
            check = window.talk.hold_key.release_check
            report(f"CHECK {check.value if check else 'none'}")
            report(f"READY {int(window.winId())}")

    def _command(self) -> None:
        line = sys.stdin.readline()
        command = line.strip()
        if command == "activate":
            self._window.raise_()
            self._window.activateWindow()
        elif command == "focus-talk":
            self._window.talk_button.setFocus(Qt.FocusReason.TabFocusReason)
            report(f"FOCUS {int(self._window.talk_button.hasFocus())}")
        elif command == "quit" or not line:
            self._commands.setEnabled(False)
            self._report_repeats()
            self._window.close()

    def _report_repeats(self) -> None:
        talk = self._window.talk
        backend = talk.hotkey._thread_state.backend
        report(f"REPEATS window={talk.hold_key.repeats_dropped} global={getattr(backend, 'repeats_dropped', 0)}")


def main() -> None:
    secrets = json.loads(sys.stdin.readline())
    credentials = Credentials(int(secrets["app_id"]), secrets["server_secret"])
    app = make_application()
    window = MainWindow(ConsoleOptions(), credential_store=FixedCredentialStore(credentials))
    window.remember_geometry = False
    window.resize(560, 420)
    window.show()
    Reporter(window, app)
    app.exec()


if __name__ == "__main__":
    main()
