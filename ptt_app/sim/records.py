"""The record of every request the simulator received, for tests and benchmarks to inspect."""

from __future__ import annotations

import threading
from collections import deque
from dataclasses import dataclass
from typing import Any

from ptt_app.sim.protocol import LISTENING_ACTIONS

# received() keeps the newest this many requests, so a long --demo run does not grow without bound.
RECORD_LIMIT = 100_000


@dataclass(frozen=True)
class ReceivedRequest:
    """One request as the simulator received and answered it.

    received_monotonic / received_wall are taken right after the request line is read: before the
    headers, the body and any fault delay (time.monotonic, system-wide, even when the model runs on an
    injected clock). user_id is the UserId the request applied to (for a Start/Stop without UserId, the
    instance's). http_status, code, message and request_id are None where no such answer was sent (DROP;
    no Code on a 502, a redirect or a 429). round is the Data.Round answered, if any."""

    action: str
    query: dict[str, str]
    body: Any
    agent_instance_id: str | None
    user_id: str | None
    sequence: int | None
    received_monotonic: float
    received_wall: float
    http_status: int | None
    code: int | None
    message: str | None
    request_id: str | None
    acted: bool
    ignored: bool
    fault: str | None
    method: str = "POST"
    round: int | None = None


class RequestLog:
    """The received requests, newest RECORD_LIMIT, and the last acted-on Start/Stop of each instance."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._records: deque[ReceivedRequest] = deque(maxlen=RECORD_LIMIT)
        self._last_acted: dict[str, tuple[int, ReceivedRequest]] = {}

    def add(self, record: ReceivedRequest, act_order: int) -> None:
        """Keep the record; act_order keeps last_acted right when two acts are recorded out of order."""
        with self._lock:
            self._records.append(record)
            if record.acted and record.action in LISTENING_ACTIONS and record.agent_instance_id:
                previous = self._last_acted.get(record.agent_instance_id)
                if previous is None or previous[0] < act_order:
                    self._last_acted[record.agent_instance_id] = (act_order, record)

    def all(self) -> list[ReceivedRequest]:
        """Every kept record, oldest first."""
        with self._lock:
            return list(self._records)

    def last_acted(self, agent_instance_id: str) -> ReceivedRequest | None:
        """The last StartListening/StopListening acted on for the instance, if any."""
        with self._lock:
            entry = self._last_acted.get(agent_instance_id)
            return entry[1] if entry else None

    def clear(self) -> None:
        """Forget every record."""
        with self._lock:
            self._records.clear()
            self._last_acted.clear()
