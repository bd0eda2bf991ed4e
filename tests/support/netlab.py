"""A network lab on loopback: a TCP proxy in front of a server that behaves like a real path.

NetLab forwards bytes between clients and one upstream server through an asyncio loop in a
background thread, and on the way can add one-way delay (emulated RTT, including the TCP handshake's
round trip), limit bandwidth, "lose" chunks (a retransmission delay), and treat idle connections the
way middleboxes do: close them with a FIN, silently stop forwarding (a NAT that forgot the mapping:
no FIN, no RST), or answer the next bytes with an RST. Settings change at run time.

What a user-space proxy cannot emulate: the client's own kernel talks TCP to the proxy, so its
connect() completes at once (the handshake's round trip is charged to the first bytes instead), and
TCP keepalive probes and ACKs never reach the proxy (a blackholed connection still ACKs its data).
For tests and benchmarks only; never shipped in the product.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import dataclasses
import ipaddress
import random
import socket
import struct
import threading
from collections.abc import Coroutine
from dataclasses import dataclass
from enum import Enum
from typing import Any, TypeVar
from urllib.parse import urlsplit

CHUNK_BYTES = 64 * 1024
# How often idle connections are looked at: the resolution of the idle FIN/blackhole timers.
IDLE_CHECK_S = 0.02
_T = TypeVar("_T")


@dataclass(frozen=True)
class LinkSettings:
    """How the emulated path behaves; every field applies to connections already open, too.

    delay_ms: one-way delay added to every chunk in each direction (RTT = 2 x delay_ms).
    handshake_rtt: the first bytes of a new connection also wait one RTT, as the TCP handshake would.
    idle_fin_s: a connection idle this long is closed with a FIN on both sides (server/LB idle limit).
    idle_blackhole_s: a connection idle this long silently stops forwarding, in both directions, for
        good: no FIN, no RST, data swallowed (a NAT or firewall that dropped the mapping).
    idle_reset_s: bytes a client sends after this long idle are answered with an RST, and the upstream
        side is closed (a load balancer that forgot the flow, as AWS NLB does).
    bandwidth_bytes_per_s: per direction; chunks queue behind each other.
    loss: probability that a chunk is "lost" and arrives retransmit_ms later (TCP keeps the order, so
        the chunks behind it wait too).
    """

    delay_ms: float = 0.0
    handshake_rtt: bool = True
    idle_fin_s: float | None = None
    idle_blackhole_s: float | None = None
    idle_reset_s: float | None = None
    bandwidth_bytes_per_s: float | None = None
    loss: float = 0.0
    retransmit_ms: float = 200.0

    def __post_init__(self) -> None:
        if self.delay_ms < 0 or self.retransmit_ms < 0:
            raise ValueError("delays must be 0 or above")
        for name in ("idle_fin_s", "idle_blackhole_s", "idle_reset_s", "bandwidth_bytes_per_s"):
            value = getattr(self, name)
            if value is not None and value <= 0:
                raise ValueError(f"{name} must be above 0 or None, got {value}")
        if not 0.0 <= self.loss <= 1.0:
            raise ValueError(f"loss must be within 0..1, got {self.loss}")

    @property
    def delay_s(self) -> float:
        """The one-way delay in seconds."""
        return self.delay_ms / 1000.0


@dataclass(frozen=True)
class LabCounters:
    """What the lab has seen since it started."""

    connections_accepted: int = 0
    connections_open: int = 0
    bytes_to_server: int = 0
    bytes_to_client: int = 0
    closed_with_fin: int = 0
    blackholed: int = 0
    reset: int = 0


class _LinkState(Enum):
    OPEN = "open"
    BLACKHOLED = "blackholed"
    CLOSED = "closed"


class _Event(Enum):
    """What the lab can do to every open connection at once."""

    BLACKHOLE = "blackholed"
    RESET = "reset"
    FIN = "closed_with_fin"


@dataclass
class _Direction:
    """One direction of a link: its delivery queue and its emulated wire."""

    writer: asyncio.StreamWriter
    to_server: bool
    queue: asyncio.Queue[tuple[float, bytes | None]] = dataclasses.field(default_factory=asyncio.Queue)
    wire_free_at: float = 0.0
    last_delivery_at: float = 0.0


class _Link:
    """One proxied connection: the client's socket, the upstream socket, and two pumps between them."""

    def __init__(self, lab: NetLab, client: tuple[asyncio.StreamReader, asyncio.StreamWriter],
                 upstream: tuple[asyncio.StreamReader, asyncio.StreamWriter], now: float) -> None:
        self.lab = lab
        self.client_reader, self.client_writer = client
        self.upstream_reader, self.upstream_writer = upstream
        self.accepted_at = now
        self.last_activity = now
        self.state = _LinkState.OPEN
        self.to_server = _Direction(self.upstream_writer, to_server=True)
        self.to_client = _Direction(self.client_writer, to_server=False)
        self.tasks: list[asyncio.Task[None]] = []
        self.ends_delivered = 0

    def idle_s(self, now: float) -> float:
        return now - self.last_activity

    def run(self) -> None:
        loop = asyncio.get_running_loop()
        self.tasks = [
            loop.create_task(self._read(self.client_reader, self.to_server)),
            loop.create_task(self._read(self.upstream_reader, self.to_client)),
            loop.create_task(self._deliver(self.to_server)),
            loop.create_task(self._deliver(self.to_client)),
        ]

    async def _read(self, reader: asyncio.StreamReader, direction: _Direction) -> None:
        loop = asyncio.get_running_loop()
        while self.state is not _LinkState.CLOSED:
            try:
                data = await reader.read(CHUNK_BYTES)
            except (ConnectionError, OSError):
                self.reset()
                return
            now = loop.time()
            if self.state is _LinkState.BLACKHOLED:
                if not data and direction.to_server:
                    self.close()  # the client gave up on it: free the sockets
                if not data:
                    return
                continue
            settings = self.lab.settings
            if direction.to_server and settings.idle_reset_s is not None and self.idle_s(now) >= settings.idle_reset_s:
                self.lab.count("reset")
                self.reset()
                return
            self.last_activity = now
            direction.queue.put_nowait((self._delivery_time(direction, len(data), now, settings), data or None))
            if not data:
                return

    def _delivery_time(self, direction: _Direction, size: int, now: float, settings: LinkSettings) -> float:
        """When a chunk read now arrives at the far end: handshake, wire time, delay, loss, in order."""
        leaves_at = max(now, direction.wire_free_at)
        if direction.to_server and settings.handshake_rtt:
            leaves_at = max(leaves_at, self.accepted_at + 2 * settings.delay_s)
        if settings.bandwidth_bytes_per_s is not None:
            leaves_at += size / settings.bandwidth_bytes_per_s
        direction.wire_free_at = leaves_at
        arrives_at = leaves_at + settings.delay_s
        if settings.loss and self.lab.random.random() < settings.loss:
            arrives_at += settings.retransmit_ms / 1000.0
        direction.last_delivery_at = max(arrives_at, direction.last_delivery_at)
        return direction.last_delivery_at

    async def _deliver(self, direction: _Direction) -> None:
        loop = asyncio.get_running_loop()
        while True:
            arrives_at, data = await direction.queue.get()
            wait = arrives_at - loop.time()
            if wait > 0:
                await asyncio.sleep(wait)
            if self.state is not _LinkState.OPEN:
                return
            try:
                if data is None:
                    self._deliver_end(direction)
                    return
                direction.writer.write(data)
                await direction.writer.drain()
            except (ConnectionError, OSError):
                self.reset()
                return
            self.lab.count("bytes_to_server" if direction.to_server else "bytes_to_client", len(data))
            self.last_activity = loop.time()

    def _deliver_end(self, direction: _Direction) -> None:
        """Pass on one side's FIN; once both sides have ended, the link is done."""
        self.ends_delivered += 1
        if self.ends_delivered == 2:
            self.close()
        elif direction.writer.can_write_eof():
            direction.writer.write_eof()

    def apply(self, event: _Event) -> bool:
        """Blackhole, reset or close an open link now; False if it was not open."""
        if self.state is not _LinkState.OPEN:
            return False
        if event is _Event.BLACKHOLE:
            self.blackhole()
        elif event is _Event.RESET:
            self.reset()
        else:
            self.close()
        return True

    def blackhole(self) -> bool:
        """Stop forwarding for good, without telling either side; False if it was not open."""
        if self.state is not _LinkState.OPEN:
            return False
        self.state = _LinkState.BLACKHOLED
        return True

    def close(self) -> None:
        """Close both sides gracefully: the client sees a FIN, the end of the stream."""
        if self.state is _LinkState.CLOSED:
            return
        self.state = _LinkState.CLOSED
        for writer in (self.client_writer, self.upstream_writer):
            writer.close()
        self._finish()

    def reset(self) -> None:
        """Abort both sides with an RST (SO_LINGER 0)."""
        if self.state is _LinkState.CLOSED:
            return
        self.state = _LinkState.CLOSED
        for writer in (self.client_writer, self.upstream_writer):
            sock = writer.get_extra_info("socket")
            with contextlib.suppress(OSError, AttributeError):
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            writer.transport.abort()
        self._finish()

    def _finish(self) -> None:
        current = asyncio.current_task()
        for task in self.tasks:
            if task is not current:
                task.cancel()
        self.lab.forget(self)


class NetLab:
    """A TCP proxy on 127.0.0.1 in front of one loopback server, with an emulated network between.

    start() binds a free port and serves from a background thread; stop() closes everything.
    """

    def __init__(self, upstream: tuple[str, int], settings: LinkSettings | None = None, *, seed: int | None = None) -> None:
        host, port = upstream
        if host != "localhost" and not ipaddress.ip_address(host.strip("[]")).is_loopback:
            raise ValueError(f"the lab forwards to loopback only, not {host!r}")
        self.upstream = (host.strip("[]"), port)
        self.settings = settings or LinkSettings()
        self.random = random.Random(seed)
        self._counts: collections.Counter[str] = collections.Counter()
        self._links: set[_Link] = set()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._server: asyncio.base_events.Server | None = None
        self._address: tuple[str, int] | None = None
        self._scheme = "http"

    @classmethod
    def in_front_of(cls, base_url: str, settings: LinkSettings | None = None, *, seed: int | None = None) -> NetLab:
        """A lab for a server's base URL (http:// or https://); base_url then gives the lab's own URL."""
        parts = urlsplit(base_url)
        if parts.hostname is None or parts.port is None:
            raise ValueError(f"need a URL with host and port, got {base_url!r}")
        lab = cls((parts.hostname, parts.port), settings, seed=seed)
        lab._scheme = parts.scheme
        return lab

    # ---- lifecycle ----

    def start(self) -> None:
        """Bind 127.0.0.1 on a free port and forward from a background thread."""
        if self._loop is not None:
            raise RuntimeError("the lab was already started; create a new one")
        self._loop = asyncio.new_event_loop()
        ready = threading.Event()
        self._thread = threading.Thread(target=self._run, args=(ready,), name="netlab", daemon=True)
        self._thread.start()
        if not ready.wait(10.0) or self._address is None:
            raise RuntimeError("the network lab did not start")

    def stop(self) -> None:
        """Close the listening socket and every connection (with an RST), and end the thread."""
        loop, thread = self._loop, self._thread
        if loop is None or thread is None or not thread.is_alive():
            return
        with contextlib.suppress(RuntimeError, TimeoutError):
            self._call(self._shutdown())
        loop.call_soon_threadsafe(loop.stop)
        thread.join(timeout=10.0)

    def __enter__(self) -> NetLab:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    # ---- where and how ----

    @property
    def address(self) -> tuple[str, int]:
        """The lab's listening (host, port)."""
        if self._address is None:
            raise RuntimeError("the lab is not started")
        return self._address

    @property
    def base_url(self) -> str:
        """The URL a client uses to reach the upstream server through the lab."""
        host, port = self.address
        return f"{self._scheme}://{host}:{port}"

    def configure(self, **changes: Any) -> LinkSettings:
        """Change settings now (e.g. configure(delay_ms=75)); they apply to open connections too."""
        self.settings = dataclasses.replace(self.settings, **changes)
        return self.settings

    # ---- events and counters ----

    def blackhole_all(self) -> int:
        """Silently stop forwarding on every open connection (the path died); new ones still work.
        Returns how many connections it hit."""
        return self._call(self._on_all(_Event.BLACKHOLE))

    def reset_all(self) -> int:
        """Send an RST on every open connection now; returns how many."""
        return self._call(self._on_all(_Event.RESET))

    def close_all(self) -> int:
        """Close every open connection with a FIN now; returns how many."""
        return self._call(self._on_all(_Event.FIN))

    def counters(self) -> LabCounters:
        """Connections and bytes so far."""
        return self._call(self._snapshot())

    # ---- used by links, on the loop thread ----

    def count(self, name: str, amount: int = 1) -> None:
        """Add to one of the LabCounters fields."""
        self._counts[name] += amount

    def forget(self, link: _Link) -> None:
        """A link has closed."""
        self._links.discard(link)

    # ---- loop internals ----

    def _run(self, ready: threading.Event) -> None:
        loop = self._loop
        assert loop is not None
        asyncio.set_event_loop(loop)
        try:
            self._server = loop.run_until_complete(asyncio.start_server(self._accept, "127.0.0.1", 0))
            self._address = self._server.sockets[0].getsockname()[:2]
            loop.create_task(self._watch_idle())
        finally:
            ready.set()
        try:
            loop.run_forever()
        finally:
            for task in asyncio.all_tasks(loop):
                task.cancel()
            loop.run_until_complete(asyncio.sleep(0))
            loop.close()

    def _call(self, coroutine: Coroutine[Any, Any, _T]) -> _T:
        if self._loop is None or not self._loop.is_running():
            coroutine.close()
            raise RuntimeError("the lab is not running")
        return asyncio.run_coroutine_threadsafe(coroutine, self._loop).result(timeout=10.0)

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        loop = asyncio.get_running_loop()
        accepted_at = loop.time()
        self.count("connections_accepted")
        try:
            upstream = await asyncio.open_connection(*self.upstream)
        except OSError:
            writer.transport.abort()
            return
        link = _Link(self, (reader, writer), upstream, accepted_at)
        self._links.add(link)
        link.run()

    async def _watch_idle(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            await asyncio.sleep(IDLE_CHECK_S)
            settings, now = self.settings, loop.time()
            for link in list(self._links):
                if link.state is not _LinkState.OPEN:
                    continue
                idle = link.idle_s(now)
                if settings.idle_blackhole_s is not None and idle >= settings.idle_blackhole_s:
                    link.apply(_Event.BLACKHOLE)
                    self.count("blackholed")
                elif settings.idle_fin_s is not None and idle >= settings.idle_fin_s:
                    link.apply(_Event.FIN)
                    self.count("closed_with_fin")

    async def _on_all(self, event: _Event) -> int:
        hit = sum(link.apply(event) for link in list(self._links))
        self.count(event.value, hit)
        return hit

    async def _snapshot(self) -> LabCounters:
        return LabCounters(connections_open=len(self._links), **self._counts)

    async def _shutdown(self) -> None:
        if self._server is not None:
            self._server.close()
        for link in list(self._links):
            link.reset()
