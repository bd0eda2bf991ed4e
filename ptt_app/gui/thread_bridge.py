"""Qt pieces that let Qt-free code run on a QThread: its timers, and callbacks posted from plain threads."""

from __future__ import annotations

import queue
import socket
import time
from collections.abc import Callable

from PySide6.QtCore import QObject, QSocketNotifier, QTimer


class QtTimerHandle:
    """One single-shot QTimer owned by the scheduler's object; cancel() stops and frees it."""

    def __init__(self, parent: QObject, delay_s: float, callback: Callable[[], None]) -> None:
        self._timer: QTimer | None = QTimer(parent)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(callback)
        self._timer.timeout.connect(self._release)
        self._timer.start(max(0, round(delay_s * 1000)))

    def cancel(self) -> None:
        """Do not run the callback."""
        if self._timer is not None:
            self._timer.stop()
            self._release()

    def _release(self) -> None:
        if self._timer is not None:
            self._timer.deleteLater()
            self._timer = None


class QtScheduler:
    """The Scheduler of talk.engine on the thread of `owner`: monotonic clock, QTimer callbacks."""

    def __init__(self, owner: QObject) -> None:
        self._owner = owner

    def monotonic(self) -> float:
        """Seconds on a clock that never steps."""
        return time.monotonic()

    def call_later(self, delay_s: float, callback: Callable[[], None]) -> QtTimerHandle:
        """Run callback on the owner's thread after delay_s."""
        return QtTimerHandle(self._owner, delay_s, callback)


class PostBox:
    """Runs callbacks posted from any thread on the thread that created it.

    A posting thread only puts the callback in a queue and writes one byte to a socket pair; a
    QSocketNotifier wakes the owning thread. So a plain sender thread never creates, owns or releases a
    Qt object (a signal emitted there would, through its arguments' wrappers)."""

    def __init__(self, parent: QObject) -> None:
        self._queue: queue.SimpleQueue[Callable[[], None]] = queue.SimpleQueue()
        self._reader, self._writer = socket.socketpair()
        self._reader.setblocking(False)
        self._writer.setblocking(False)
        self._notifier = QSocketNotifier(self._reader.fileno(), QSocketNotifier.Type.Read, parent)
        self._notifier.activated.connect(self._run_posted)

    def post(self, callback: Callable[[], None]) -> None:
        """Queue callback for the owning thread; safe from any thread."""
        self._queue.put(callback)
        try:
            self._writer.send(b"\0")
        except (BlockingIOError, OSError):
            pass  # wake-ups are already queued, or the box is closed (the callback is then dropped)

    def close(self) -> None:
        """Stop watching and close the socket pair; later posts are dropped."""
        self._notifier.setEnabled(False)
        self._reader.close()
        self._writer.close()

    def _run_posted(self) -> None:
        try:
            while self._reader.recv(4096):
                pass
        except (BlockingIOError, OSError):
            pass
        while True:
            try:
                callback = self._queue.get_nowait()
            except queue.Empty:
                return
            callback()
