"""A small event loop for the dispatch engine outside Qt: timers, and answers handed in from other threads.

The CLI runs the same engine as the window on this loop, so a command gets the same Stop deadline,
retries and journal rows as a press in the window.
"""

from __future__ import annotations

import heapq
import itertools
import queue
import time
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(order=True)
class _Timer:
    due: float
    order: int
    callback: Callable[[], None] = field(compare=False)
    cancelled: bool = field(default=False, compare=False)

    def cancel(self) -> None:
        """Do not run the callback."""
        self.cancelled = True


class BlockingLoop:
    """A Scheduler (for DispatchEngine) whose timers and posted callbacks run inside run_until()."""

    def __init__(self, monotonic: Callable[[], float] = time.monotonic) -> None:
        self._monotonic = monotonic
        self._timers: list[_Timer] = []
        self._order = itertools.count()
        self._posted: queue.SimpleQueue[Callable[[], None]] = queue.SimpleQueue()

    def monotonic(self) -> float:
        """The loop's clock."""
        return self._monotonic()

    def call_later(self, delay_s: float, callback: Callable[[], None]) -> _Timer:
        """Run callback inside run_until() once delay_s has passed."""
        timer = _Timer(self._monotonic() + max(0.0, delay_s), next(self._order), callback)
        heapq.heappush(self._timers, timer)
        return timer

    def post(self, callback: Callable[[], None]) -> None:
        """Run callback on the loop's thread soon; safe to call from any thread."""
        self._posted.put(callback)

    def run_until(self, done: Callable[[], bool], timeout_s: float | None = None) -> bool:
        """Run timers and posted callbacks until done() is true (True) or timeout_s passes (False)."""
        deadline = None if timeout_s is None else self._monotonic() + timeout_s
        while not done():
            now = self._monotonic()
            if deadline is not None and now >= deadline:
                return False
            self._run_due_timers(now)
            if done():
                return True
            wait_s = self._wait_s(now, deadline)
            try:
                callback = self._posted.get(timeout=wait_s) if wait_s is None or wait_s > 0 else self._posted.get_nowait()
            except queue.Empty:
                continue
            callback()
        return True

    def run_for(self, seconds: float) -> None:
        """Keep the loop running (timers, answers) for this long."""
        self.run_until(lambda: False, timeout_s=seconds)

    def _run_due_timers(self, now: float) -> None:
        while self._timers and self._timers[0].due <= now:
            timer = heapq.heappop(self._timers)
            if not timer.cancelled:
                timer.callback()

    def _wait_s(self, now: float, deadline: float | None) -> float | None:
        live = [timer.due for timer in self._timers if not timer.cancelled]
        candidates = [t for t in (min(live, default=None), deadline) if t is not None]
        return max(0.0, min(candidates) - now) if candidates else None
