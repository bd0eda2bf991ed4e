"""Quit like the Quit menu on SIGTERM, SIGHUP and SIGINT: release, wait for the Stop, then exit.

A logout, `systemctl stop`, a closed terminal or Ctrl+C would otherwise end the process at once, with the
agent still listening if the talk was held. Python runs its signal handlers only between bytecodes, and the
GUI thread spends its time inside Qt's C++ event loop, so the signal's number is also written to a socket
(signal.set_wakeup_fd) that a QSocketNotifier watches: the window hears of the signal at once.
"""

from __future__ import annotations

import logging
import signal
import socket
from collections.abc import Callable

from PySide6.QtCore import QObject, QSocketNotifier, Slot

_log = logging.getLogger(__name__)

QUIT_SIGNALS = tuple(getattr(signal, name) for name in ("SIGTERM", "SIGHUP", "SIGINT") if hasattr(signal, name))


class QuitOnSignals(QObject):
    """Calls `quit_app` (on the GUI thread) when the process gets SIGTERM, SIGHUP or SIGINT."""

    def __init__(self, quit_app: Callable[[], object], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._quit_app = quit_app
        self._receiver, self._sender = socket.socketpair()
        for end in (self._receiver, self._sender):
            end.setblocking(False)
        self._previous_wakeup = signal.set_wakeup_fd(self._sender.fileno(), warn_on_full_buffer=False)
        self._previous = {number: signal.signal(number, _note_only) for number in QUIT_SIGNALS}
        self._notifier = QSocketNotifier(self._receiver.fileno(), QSocketNotifier.Type.Read, self)
        self._notifier.activated.connect(self._on_wakeup)

    @Slot()
    def _on_wakeup(self) -> None:
        try:
            numbers = self._receiver.recv(64)
        except BlockingIOError:
            return
        received = [number for number in numbers if number in QUIT_SIGNALS]
        if received:
            _log.info("%s received: quitting (the talk is released and its Stop waited for)",
                      signal.Signals(received[0]).name)
            self._quit_app()


def _note_only(_number: int, _frame: object) -> None:
    """The Python-level handler: nothing to do here, the wakeup socket carries the signal to the window."""
