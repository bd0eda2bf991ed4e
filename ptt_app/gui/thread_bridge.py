"""Qt pieces that let Qt-free code run on a QThread: its timers, and callbacks posted from plain threads."""

from __future__ import annotations

import heapq
import itertools
import math
import queue
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from PySide6.QtCore import QObject, QSocketNotifier, Qt, QTimer


@dataclass(order=True)
class TimerHandle:
    """One scheduled callback; cancel() drops it. Plain Python, so it can sit in any reference cycle."""

    due: float
    order: int
    callback: Callable[[], None] | None = field(compare=False)

    def cancel(self) -> None:
        """Do not run the callback."""
        self.callback = None


class QtScheduler:
    """The Scheduler of talk.engine on the thread of `owner`: one QTimer, re-armed for the earliest callback.

    Callbacks wait in a plain heap. Qt never holds a Python callable per callback, so none can be released
    on another thread or without the GIL (per-callback QTimer.singleShot and QTimer objects both crashed the
    chaos test under load)."""

    def __init__(self, owner: QObject) -> None:
        self._heap: list[TimerHandle] = []
        self._order = itertools.count()
        self._timer = QTimer(owner)
        self._timer.setSingleShot(True)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.timeout.connect(self._run_due)
        self._armed_for: float | None = None

    def monotonic(self) -> float:
        """Seconds on a clock that never steps."""
        return time.monotonic()

    def call_later(self, delay_s: float, callback: Callable[[], None]) -> TimerHandle:
        """Run callback on the owner's thread after delay_s."""
        handle = TimerHandle(time.monotonic() + max(0.0, delay_s), next(self._order), callback)
        heapq.heappush(self._heap, handle)
        if self._armed_for is None or handle.due < self._armed_for:
            self._arm()
        return handle

    def stop(self) -> None:
        """Forget every callback (the owner is closing)."""
        self._heap.clear()
        self._timer.stop()
        self._armed_for = None

    def _run_due(self) -> None:
        self._armed_for = None
        now = time.monotonic()
        try:
            while self._heap and self._heap[0].due <= now:
                callback = heapq.heappop(self._heap).callback
                if callback is not None:
                    callback()
        finally:
            self._arm()  # a callback that raised (reported by the excepthook) must not strand the later ones

    def _arm(self) -> None:
        while self._heap and self._heap[0].callback is None:
            heapq.heappop(self._heap)
        if not self._heap:
            self._timer.stop()
            self._armed_for = None
            return
        due = self._heap[0].due
        self._armed_for = due
        self._timer.start(max(0, math.ceil((due - time.monotonic()) * 1000)))


class Mailbox:
    """Callbacks queued from any thread, and a socket pair to wake their reader. Pure Python: a thread that
    posts holds a reference to this and nothing else, so it can never end up releasing a Qt object."""

    def __init__(self) -> None:
        self._queue: queue.SimpleQueue[Callable[[], None]] = queue.SimpleQueue()
        self.reader, self._writer = socket.socketpair()
        self.reader.setblocking(False)
        self._writer.setblocking(False)

    def post(self, callback: Callable[[], None]) -> None:
        """Queue callback for the reading thread; safe from any thread."""
        self._queue.put(callback)
        self._wake()

    def _wake(self) -> None:
        try:
            self._writer.send(b"\0")
        except (BlockingIOError, OSError):
            pass  # wake-ups are already queued, or the mailbox is closed (the callback is then dropped)

    def run_posted(self) -> None:
        """Run everything posted so far (on the reading thread)."""
        try:
            while self.reader.recv(4096):
                pass
        except (BlockingIOError, OSError):
            pass
        while True:
            try:
                callback = self._queue.get_nowait()
            except queue.Empty:
                return
            try:
                callback()
            except BaseException:
                self._wake()  # the callbacks behind it run at the next turn of the loop, not at the next post
                raise

    def close(self) -> None:
        """Close the socket pair; later posts are dropped."""
        self.reader.close()
        self._writer.close()


class PostBox:
    """Runs callbacks posted from any thread on the thread that created it: a QSocketNotifier on the
    mailbox's socket wakes the owning thread. Posting threads get `mailbox.post` only (see Mailbox)."""

    def __init__(self, parent: QObject) -> None:
        self.mailbox = Mailbox()
        self._notifier = QSocketNotifier(self.mailbox.reader.fileno(), QSocketNotifier.Type.Read, parent)
        self._notifier.activated.connect(self.mailbox.run_posted)

    def post(self, callback: Callable[[], None]) -> None:
        """Queue callback for the owning thread; safe from any thread."""
        self.mailbox.post(callback)

    def close(self) -> None:
        """Stop watching and close the mailbox; later posts are dropped."""
        self._notifier.setEnabled(False)
        self.mailbox.close()
