"""Sequence numbers for StartListening/StopListening: strictly increasing, also across restarts."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable


def wall_clock_ms() -> int:
    """Milliseconds since the Unix epoch."""
    return time.time_ns() // 1_000_000


class SequenceSource:
    """Hands out max(last + 1, clock in ms): ordered by time when the clock is sane, still
    increasing when it steps backwards, and above every number used before when seeded with the
    journal's high-water mark (every Sequence is journaled before it is sent)."""

    def __init__(self, high_water_mark: int | None = None, clock_ms: Callable[[], int] = wall_clock_ms) -> None:
        self._last = high_water_mark if high_water_mark is not None else 0
        self._clock_ms = clock_ms
        self._lock = threading.Lock()

    def next(self) -> int:
        """The next Sequence: always above every one handed out or seeded before."""
        with self._lock:
            self._last = max(self._last + 1, self._clock_ms())
            return self._last
