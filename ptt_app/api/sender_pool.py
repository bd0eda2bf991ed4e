"""Sender threads: each owns one AgentApiClient (and so its own requests.Session and connections).

A requests.Session is not documented as thread-safe, so no two threads share one. Answers leave a
sender thread only as plain Python data through the `deliver` callback, which must hand them to the
engine's thread without touching Qt: a sender thread never owns or releases a Qt object.
"""

from __future__ import annotations

import dataclasses
import logging
import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from ptt_app.api.types import ApiRequest, ApiResult, Outcome

_log = logging.getLogger(__name__)

# How often an idle sender thread lets its client look after its connections (replace stale ones).
MAINTAIN_EVERY_S = 1.0


class PooledClient(Protocol):
    """What a sender thread needs of its client; the HTTP client provides it."""

    def send(self, request: ApiRequest, fresh_connection: bool = False, *,
             on_resend: Callable[[ApiResult], None] | None = None) -> ApiResult:
        """Send one call; never raises. on_resend(first_result) reports a first attempt that got no answer
        and is being resent on a fresh connection."""
        ...

    def drop_idle_connections(self) -> None:
        """Forget every idle connection now; the next call opens a fresh one."""
        ...

    def warm_up(self) -> None:
        """Open and handshake a connection now, so the first call does not wait for it."""
        ...

    def maintain(self) -> None:
        """Replace connections idle long enough that the network may have dropped them."""
        ...

    def close(self) -> None:
        """Close every connection."""
        ...


# deliver(ticket, result, final): final is False for a first attempt that the client is resending.
Deliver = Callable[[int, ApiResult, bool], None]


@dataclass(frozen=True)
class _Job:
    ticket: int
    request: ApiRequest
    fresh_connection: bool


_STOP = None
_IDLE = object()  # no job came within MAINTAIN_EVERY_S


class SenderPool:
    """A fixed set of sender threads behind one queue: an idle thread takes the next request."""

    def __init__(self, make_client: Callable[[], PooledClient], size: int, deliver: Deliver, name: str = "ptt-send") -> None:
        self._deliver = deliver
        self._jobs: queue.SimpleQueue[_Job | None] = queue.SimpleQueue()
        # Raised by suspect_connections(); each thread drops its idle connections when it sees a new value.
        self._suspicion = 0
        self._threads = [
            threading.Thread(target=self._serve, args=(make_client,), name=f"{name}-{index}", daemon=True)
            for index in range(size)
        ]
        for thread in self._threads:
            thread.start()

    def submit(self, ticket: int, request: ApiRequest, fresh_connection: bool) -> None:
        """Queue one request; its answer goes to deliver(ticket, result, True) from a sender thread, after
        deliver(ticket, first_result, False) if the client resent it."""
        self._jobs.put(_Job(ticket, request, fresh_connection))

    def suspect_connections(self) -> None:
        """Every thread drops its idle connections before its next request (the path may be dead)."""
        self._suspicion += 1  # one int store: atomic under the GIL, read by each thread on its own

    def close(self, wait_s: float = 0.0) -> None:
        """Let every thread finish its current request and end; requests still queued are dropped."""
        for _ in self._threads:
            self._jobs.put(_STOP)
        deadline = time.monotonic() + wait_s
        for thread in self._threads:
            thread.join(max(0.0, deadline - time.monotonic()))

    def _serve(self, make_client: Callable[[], PooledClient]) -> None:
        client = make_client()
        seen_suspicion = self._suspicion
        try:
            client.warm_up()
            while True:
                try:
                    job = self._jobs.get(timeout=MAINTAIN_EVERY_S)
                except queue.Empty:
                    job = _IDLE
                if self._suspicion != seen_suspicion:
                    seen_suspicion = self._suspicion
                    client.drop_idle_connections()
                if job is _IDLE:
                    client.maintain()
                    continue
                if job is _STOP:
                    return
                self._deliver(job.ticket, self._send(client, job), True)
        finally:
            client.close()

    def _send(self, client: PooledClient, job: _Job) -> ApiResult:
        resent = False

        def on_resend(first: ApiResult) -> None:
            nonlocal resent
            resent = True
            self._deliver(job.ticket, first, False)

        try:
            result = client.send(job.request, fresh_connection=job.fresh_connection, on_resend=on_resend)
            return dataclasses.replace(result, resent=True) if resent else result
        except Exception as error:  # the client never raises; this is the last line of defence
            _log.exception("sending %s failed inside the client", job.request.action)
            return ApiResult(job.request.action, job.request.sequence, time.time(), 0.0, Outcome.TRANSPORT_ERROR,
                             None, None, f"internal error: {type(error).__name__}", None)
