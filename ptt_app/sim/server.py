"""HTTP/1.1 plumbing of the simulator: keep-alive, body framing, connection tracking, optional TLS.

It knows nothing of the API: each request is read whole into an `Incoming`, handed to a serve function,
and its `Outcome` written back (or the connection closed without an answer).
"""

from __future__ import annotations

import logging
import socket
import ssl
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from socketserver import TCPServer
from typing import Any

from ptt_app.api import codes
from ptt_app.sim.faults import json_bytes
from ptt_app.sim.protocol import JSON_CONTENT_TYPE, answer_json, new_request_id

_log = logging.getLogger("ptt_app.sim")

MAX_REQUEST_BODY_BYTES = 1024 * 1024
# An idle keep-alive connection is closed after this long, so forgotten clients free their thread.
KEEP_ALIVE_IDLE_S = 60.0
# A TLS client must finish its handshake within this, or its connection is dropped.
TLS_HANDSHAKE_TIMEOUT_S = 10.0
# serve_forever's poll interval: how soon stop() is noticed by the accept loop.
ACCEPT_POLL_S = 0.05


@dataclass(frozen=True)
class BodyRead:
    """The raw request body, or why it could not be read (the connection is then closed)."""

    raw: bytes
    problem: str | None = None


@dataclass(frozen=True)
class Incoming:
    """One request as read off the connection."""

    method: str
    target: str
    body: BodyRead
    client_host: str
    received_monotonic: float
    received_wall: float
    host_header: str = ""


@dataclass(frozen=True)
class HttpReply:
    """One HTTP answer; a Content-Length is always added."""

    status: int
    content_type: str
    body: bytes
    headers: tuple[tuple[str, str], ...] = ()
    close_connection: bool = False

    @classmethod
    def json(cls, status: int, value: Any, close_connection: bool = False) -> HttpReply:
        """A compact JSON answer."""
        return cls(status, JSON_CONTENT_TYPE, json_bytes(value), close_connection=close_connection)


@dataclass(frozen=True)
class Outcome:
    """What the connection does: send `reply` (None = close without answer) after holding `hold_answer_s`."""

    reply: HttpReply | None
    hold_answer_s: float = 0.0


ServeFunction = Callable[[Incoming], Outcome]


class SimHttpServer(ThreadingHTTPServer):
    """A thread per connection; counts and tracks connections so stop() can close idle keep-alives."""

    daemon_threads = True
    # A benchmark may open many connections at once; the default backlog of 5 would reset some.
    request_queue_size = 128

    def __init__(
        self,
        address: tuple[str, int],
        family: socket.AddressFamily,
        serve: ServeFunction,
        stopping: threading.Event,
        tls: ssl.SSLContext | None = None,
    ) -> None:
        self.address_family = family
        self.serve = serve
        self.stopping = stopping
        self.connections_accepted = 0
        self._tls = tls
        self._open_connections: set[socket.socket] = set()
        self._connections_lock = threading.Lock()
        super().__init__(address, ApiRequestHandler)

    def server_bind(self) -> None:
        # HTTPServer.server_bind looks up the host's FQDN, which can stall on a machine without DNS.
        TCPServer.server_bind(self)
        self.server_name = str(self.server_address[0])
        self.server_port = self.server_address[1]

    def process_request(self, request: Any, client_address: Any) -> None:
        with self._connections_lock:
            self.connections_accepted += 1
            self._open_connections.add(request)
        super().process_request(request, client_address)

    def finish_request(self, request: Any, client_address: Any) -> None:
        """Runs on the connection's thread: the TLS handshake happens here, never in the accept loop."""
        if self._tls is None:
            super().finish_request(request, client_address)
            return
        request.settimeout(TLS_HANDSHAKE_TIMEOUT_S)
        try:
            secure = self._tls.wrap_socket(request, server_side=True)
        except (OSError, ssl.SSLError) as error:
            _log.debug("TLS handshake with %s failed: %s", client_address, error)
            return
        # wrap_socket detached `request`: track the TLS socket instead, so stop() can still wake this thread.
        self._track_instead(request, secure)
        try:
            self.RequestHandlerClass(secure, client_address, self)
        finally:
            self._close_secure(secure)

    def _track_instead(self, old: socket.socket, new: socket.socket) -> None:
        with self._connections_lock:
            self._open_connections.discard(old)
            self._open_connections.add(new)

    def _close_secure(self, secure: socket.socket) -> None:
        with self._connections_lock:
            self._open_connections.discard(secure)
        try:
            secure.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass  # the peer is gone already
        secure.close()

    def shutdown_request(self, request: Any) -> None:
        with self._connections_lock:
            self._open_connections.discard(request)
        super().shutdown_request(request)

    def close_open_connections(self) -> None:
        """Wake every connection thread (idle keep-alive, or reading) by shutting its socket down."""
        with self._connections_lock:
            connections = list(self._open_connections)
        for connection in connections:
            try:
                connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass  # already closed by its client or its thread

    def handle_error(self, request: Any, client_address: Any) -> None:
        _log.exception("connection from %s failed", client_address)


class ApiRequestHandler(BaseHTTPRequestHandler):
    """HTTP/1.1 with keep-alive and a Content-Length on every answer; the logic is the serve function's."""

    protocol_version = "HTTP/1.1"
    server_version = "ptt-app-sim"
    sys_version = ""
    timeout = KEEP_ALIVE_IDLE_S
    # Small answers on a warm connection must not wait for the peer's delayed ACK.
    disable_nagle_algorithm = True
    server: SimHttpServer

    def parse_request(self) -> bool:
        # The request line has just been read: this is the request's arrival time.
        self._received_monotonic = time.monotonic()
        self._received_wall = time.time()
        return super().parse_request()

    def do_POST(self) -> None:
        self._exchange()

    do_GET = do_PUT = do_DELETE = do_PATCH = do_OPTIONS = do_HEAD = do_POST

    def log_message(self, format: str, *args: Any) -> None:
        _log.debug("%s %s", self.address_string(), format % args)

    def _exchange(self) -> None:
        body = self._read_body()
        incoming = Incoming(
            self.command, self.path, body, str(self.client_address[0]), self._received_monotonic,
            self._received_wall, self.headers.get("Host", ""),
        )
        try:
            outcome = self.server.serve(incoming)
        except Exception:
            # A simulator bug must show up as a clear answer and a logged traceback, not a dead thread.
            _log.exception("the simulator failed on %s %s", self.command, self.path)
            answer = answer_json(codes.GATEWAY_INTERNAL, "simulator internal error (see its log)", new_request_id())
            outcome = Outcome(HttpReply.json(500, answer, close_connection=True))
        if outcome.reply is None:
            self.close_connection = True
            return
        if outcome.hold_answer_s > 0 and self.server.stopping.wait(outcome.hold_answer_s):
            self.close_connection = True
            return
        self._send(outcome.reply)

    def _send(self, reply: HttpReply) -> None:
        try:
            self.send_response(reply.status)
            self.send_header("Content-Type", reply.content_type)
            self.send_header("Content-Length", str(len(reply.body)))
            for name, value in reply.headers:
                self.send_header(name, value)
            if reply.close_connection:
                self.send_header("Connection", "close")
                self.close_connection = True
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(reply.body)
        except OSError as error:
            # The client went away mid-answer (e.g. it stopped reading a HUGE_BODY): nothing to answer.
            _log.debug("answer to %s not delivered: %s", self.address_string(), error)
            self.close_connection = True

    def _read_body(self) -> BodyRead:
        """The whole request body, so a keep-alive connection stays in step; any problem closes it."""
        try:
            encoding = self.headers.get("Transfer-Encoding", "").strip().lower()
            if encoding == "chunked":
                return BodyRead(b"".join(_read_chunks(self.rfile)))
            if encoding:
                return self._unreadable(f"Transfer-Encoding {encoding!r} not supported")
            length_text = self.headers.get("Content-Length")
            if length_text is None:
                return BodyRead(b"")
            if not length_text.strip().isdigit():
                return self._unreadable(f"Content-Length {length_text!r} is not a number")
            length = int(length_text)
            if length > MAX_REQUEST_BODY_BYTES:
                return self._unreadable(f"body of {length} bytes is above the {MAX_REQUEST_BODY_BYTES} byte limit")
            raw = self.rfile.read(length)
            if len(raw) < length:
                return self._unreadable(f"body cut off after {len(raw)} of {length} bytes")
            return BodyRead(raw)
        except _BadChunk as error:
            return self._unreadable(str(error))
        except TimeoutError:
            return self._unreadable(f"body not received within {self.timeout:g} s")
        except OSError as error:
            return self._unreadable(f"connection failed while reading the body: {error}")

    def _unreadable(self, problem: str) -> BodyRead:
        self.close_connection = True
        return BodyRead(b"", problem)


class _BadChunk(Exception):
    """A chunked request body that does not follow HTTP/1.1 framing."""


def _read_chunks(stream: Any) -> Iterator[bytes]:
    """Decode a chunked body, at most MAX_REQUEST_BODY_BYTES in all; trailers are skipped."""
    total = 0
    while True:
        size_line = stream.readline(1024)
        try:
            size = int(size_line.split(b";", 1)[0].strip(), 16)
        except ValueError:
            raise _BadChunk(f"bad chunk size line {size_line[:40]!r}") from None
        if size < 0:
            raise _BadChunk("negative chunk size")
        if size == 0:
            break
        total += size
        if total > MAX_REQUEST_BODY_BYTES:
            raise _BadChunk(f"chunked body above the {MAX_REQUEST_BODY_BYTES} byte limit")
        chunk = stream.read(size)
        if len(chunk) < size or stream.readline(1024) not in (b"\r\n", b"\n"):
            raise _BadChunk("chunk cut off or not followed by CRLF")
        yield chunk
    while stream.readline(1024) not in (b"\r\n", b"\n", b""):
        pass
