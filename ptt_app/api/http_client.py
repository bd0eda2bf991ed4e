"""HTTP transport of the ZEGOCLOUD AI Agent server API: every call returns an ApiResult, never raises.

Connections are kept warm so that no press waits on a handshake or goes out on a connection the
network may have dropped: warm_up() opens one when a session starts, maintain() replaces it in the
background before it has been idle long enough for a NAT or load balancer to forget it, every socket
has TCP keepalive, and a Start/Stop whose answer never began is resent once on a fresh connection.

One client belongs to one thread: requests.Session is not documented as thread-safe.

urllib3 internals relied on (urllib3 2.x; checked by _pool_api_missing(), and without them the client
still sends, it only stops pre-opening connections): HTTPConnectionPool._new_conn() (a connection
configured like the pool's own: TLS context, CA bundle, socket options) and HTTPConnectionPool.pool,
the LIFO queue of idle connections and None placeholders that _get_conn()/_put_conn() use. From
requests (>= 2.32.2): HTTPAdapter.get_connection_with_tls_context(), to find the very pool send() uses.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import queue
import re
import socket
import ssl
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from enum import Enum
from typing import Any
from urllib.parse import urlsplit

import requests
import urllib3
from requests.adapters import HTTPAdapter
from requests.utils import select_proxy
from urllib3.connection import HTTPConnection
from urllib3.connectionpool import HTTPConnectionPool
from urllib3.exceptions import MaxRetryError, ProtocolError
from urllib3.util import wait_for_read

from ptt_app.api import codes
from ptt_app.api.signing import signed_params
from ptt_app.api.types import (
    QUERY_AGENT_INSTANCE_STATUS,
    START_LISTENING,
    STOP_LISTENING,
    ApiRequest,
    ApiResult,
    Credentials,
    Outcome,
)

_log = logging.getLogger(__name__)

# A real answer is a few hundred bytes; anything far larger is a proxy page or an attack on memory.
MAX_RESPONSE_BYTES = 1024 * 1024
# Idle limits of NATs, firewalls and load balancers are commonly 30-60 s (some home routers and
# mobile carriers are at the low end); a connection is replaced well before the shortest of them.
DEFAULT_IDLE_LIMIT_S = 15.0
# send() refuses a connection idle this much longer than the limit: maintain() (every ~1 s) would have
# replaced it by then, so only a client nobody maintains gets there, and it must not gamble on it.
STALE_MARGIN = 1.0 / 3.0
# A TLS 1.3 server's session tickets follow the handshake by about a round trip; wait at least this
# long for them when opening a connection (not on a call's time: at warm-up or in the background).
TICKET_WAIT_MIN_S = 0.1
# ...and after each one, this long for another right behind it.
TICKET_GAP_S = 0.02
# After a failed background open (server down), wait this long before trying again.
REOPEN_AFTER_FAILURE_S = 5.0
# Answers to these may be resent when the first attempt got no answer at all: a duplicate Start or
# Stop carrying the same Sequence is ignored by the server (410001043), and a query changes nothing.
# A Start/Stop without a Sequence is not resent: it could overtake a later call from another thread.
_RESENDABLE_WITH_SEQUENCE = frozenset({START_LISTENING, STOP_LISTENING})
_RESENDABLE_ALWAYS = frozenset({QUERY_AGENT_INSTANCE_STATUS})

OnResend = Callable[[ApiResult], None]


@dataclass(frozen=True)
class KeepAlive:
    """TCP keepalive of every connection.

    The first probe after 10 s of silence refreshes the idle timers of NATs and firewalls (most count
    probes as traffic) while staying under the shortest common limits (30 s); a peer that stops
    answering is declared dead 10 + 3 x 5 = 25 s after the last traffic, so the socket errors at once
    instead of swallowing a request. Connections are normally replaced at 15 s idle anyway; keepalive
    covers the ones nobody maintains and keeps middlebox state fresh in between.
    """

    idle_s: int = 10
    interval_s: int = 5
    count: int = 3

    def socket_options(self) -> list[tuple[int, int, int]]:
        """setsockopt() triples for this platform (options it lacks are left at the system default)."""
        options = [(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1)]
        # macOS calls the idle time TCP_KEEPALIVE; Linux and Windows 10+ call it TCP_KEEPIDLE.
        idle_option = getattr(socket, "TCP_KEEPIDLE", None) or getattr(socket, "TCP_KEEPALIVE", None)
        for option, value in (
            (idle_option, self.idle_s),
            (getattr(socket, "TCP_KEEPINTVL", None), self.interval_s),
            (getattr(socket, "TCP_KEEPCNT", None), self.count),
        ):
            if option is not None:
                options.append((socket.IPPROTO_TCP, option, value))
        return options


class AgentApiClient:
    """Signs and sends AI Agent API calls over warm keep-alive connections with explicit timeouts."""

    def __init__(
        self,
        credentials: Credentials,
        endpoint: str,
        *,
        connect_timeout_s: float = 3.0,
        read_timeout_s: float = 5.0,
        max_connections: int = 4,
        clock: Callable[[], float] = time.time,
        ca_bundle: str | None = None,
        idle_limit_s: float | None = None,
        keepalive: KeepAlive | None = None,
    ) -> None:
        self._credentials = credentials
        self.endpoint = endpoint.rstrip("/") + "/"
        self.connect_timeout_s = connect_timeout_s
        self.read_timeout_s = read_timeout_s
        # Read at construction, not bound at import, so a test can scale the module's limit down.
        self.idle_limit_s = DEFAULT_IDLE_LIMIT_S if idle_limit_s is None else idle_limit_s
        self.keepalive = keepalive or KeepAlive()
        self._clock = clock
        self._session = requests.Session()
        # TCP_NODELAY (urllib3's default option) stays: a small request must not wait for an ACK.
        socket_options = [*HTTPConnection.default_socket_options, *self.keepalive.socket_options()]
        # Retries would resend a listening request the server may already have acted on; the
        # client resends only what is safe (see send), and the caller decides the rest.
        adapter = _SocketOptionsAdapter(socket_options, pool_connections=1, pool_maxsize=max_connections, max_retries=0)
        self._session.mount("https://", adapter)
        self._session.mount("http://", adapter)
        self._session.headers.update({"Content-Type": "application/json", "User-Agent": "ptt-app"})
        environment = self._session.merge_environment_settings(self.endpoint, {}, None, ca_bundle or True, None)
        self._verify: bool | str = environment["verify"]
        self._connections = _WarmConnections(
            self._session, self.endpoint, self._verify, environment["proxies"], connect_timeout_s
        )

    @property
    def app_id(self) -> int:
        """The AppId this client signs for."""
        return self._credentials.app_id

    def close(self) -> None:
        """Close the keep-alive connections and stop any background open."""
        self._connections.close()
        self._session.close()

    def warm_up(self) -> bool:
        """Open and handshake a connection now, without an API call; True when one is ready."""
        return self._connections.open_now()

    def drop_idle_connections(self) -> None:
        """Forget every idle connection now (the path may be dead): the next call opens a fresh one."""
        self._connections.discard_idle()

    def maintain(self) -> None:
        """Call every ~1 s while idle: replaces a connection idle longer than idle_limit_s (or closed by
        the server) with a fresh, handshaken one, opened in the background without an API call."""
        self._connections.maintain(self.idle_limit_s)

    def send(self, request: ApiRequest, fresh_connection: bool = False, *, on_resend: OnResend | None = None) -> ApiResult:
        """Sign and POST one call; whatever happens on the wire comes back as an ApiResult.

        fresh_connection=True sends on a new connection. A resendable call that gets no answer at all
        (connection reset or closed, or silence on a reused connection) is resent once, at once, on a
        fresh connection: on_resend(first_result) is called just before the resend leaves, so the
        caller can record both attempts, and the result returned is the resend's (its `resent` is True)."""
        stale_after_s = self.idle_limit_s * (1.0 + STALE_MARGIN)
        reused = self._connections.prepare_for_send(fresh=fresh_connection, stale_after_s=stale_after_s)
        result, unanswered = self._attempt(request)
        if _may_resend(request, unanswered, reused):
            _report_resend(on_resend, result)
            self._connections.discard_idle()
            result, _ = self._attempt(request)
            result = dataclasses.replace(result, resent=True)
        self._connections.note_traffic()
        return result

    def _attempt(self, request: ApiRequest) -> tuple[ApiResult, _Unanswered]:
        """One POST; also says whether it failed before any byte of an answer arrived."""
        action, sequence = request.action, request.sequence
        query = signed_params(self._credentials.app_id, self._credentials.server_secret, self._clock()).as_query(action)
        payload = json.dumps(request.body, separators=(",", ":")).encode("utf-8")
        sent_at = time.time()
        started = time.perf_counter()

        def result(outcome: Outcome, message: str, **answer: Any) -> ApiResult:
            latency_ms = (time.perf_counter() - started) * 1000.0
            return ApiResult(action, sequence, sent_at, latency_ms, outcome, message=message, **_answer_fields(answer))

        try:
            response = self._session.post(
                self.endpoint,
                params=query,
                data=payload,
                timeout=(self.connect_timeout_s, self.read_timeout_s),
                allow_redirects=False,
                stream=True,
                verify=self._verify,
            )
        except requests.exceptions.ConnectTimeout:
            message = f"no connection to {self._host()} within {self.connect_timeout_s:g} s"
            return result(Outcome.TIMEOUT, message), _Unanswered.NOT_SENT
        except requests.exceptions.ReadTimeout:
            message = f"no answer from {self._host()} within {self.read_timeout_s:g} s"
            return result(Outcome.TIMEOUT, message), _Unanswered.SILENCE
        except requests.exceptions.SSLError as error:
            message = f"TLS verification of {self._host()} failed: {_tls_cause(error)}"
            return result(Outcome.TRANSPORT_ERROR, message), _Unanswered.NOT_SENT
        except requests.exceptions.RequestException as error:
            message = f"{self._host()}: {_connection_reason(error)}"
            return result(Outcome.TRANSPORT_ERROR, message), _unanswered_kind(error)
        return self._read_answer(response, result), _Unanswered.NO

    def _read_answer(self, response: requests.Response, result: Callable[..., ApiResult]) -> ApiResult:
        with response:
            try:
                raw = _read_limited(response, MAX_RESPONSE_BYTES)
            except requests.exceptions.Timeout:
                return result(Outcome.TIMEOUT, f"answer from {self._host()} stopped for over {self.read_timeout_s:g} s")
            except requests.exceptions.RequestException as error:
                return result(
                    Outcome.TRANSPORT_ERROR,
                    f"{self._host()}: answer cut off ({_reason(error)})",
                    http_status=response.status_code,
                )
            except _TooLarge:
                return result(
                    Outcome.BAD_BODY,
                    f"answer larger than {MAX_RESPONSE_BYTES // 1024} KiB, not read",
                    http_status=response.status_code,
                )
        return _interpret(response, raw, result)

    def _host(self) -> str:
        return urlsplit(self.endpoint).netloc or self.endpoint


class _Unanswered(Enum):
    """Whether an attempt failed before any byte of an answer arrived, and how."""

    NO = "an answer began"
    NOT_SENT = "no connection: the request never left"
    CLOSED = "the connection was closed or reset before an answer"
    SILENCE = "no byte of an answer within the read timeout"


def _unanswered_kind(error: requests.exceptions.RequestException) -> _Unanswered:
    """A reset, a close or a broken pipe while sending or awaiting the status line: nothing answered."""
    cause = error.args[0] if error.args else None
    if isinstance(cause, MaxRetryError):
        cause = cause.reason
    return _Unanswered.CLOSED if isinstance(cause, ProtocolError) else _Unanswered.NOT_SENT


def _may_resend(request: ApiRequest, unanswered: _Unanswered, reused: bool) -> bool:
    """Resend a safe call that got no answer: after a reset or close always; after silence only when it
    went out on a reused connection (the path may have died while idle; a fresh one that stays silent
    means a slow server, and resending would only double the wait)."""
    safe = request.action in _RESENDABLE_ALWAYS or (
        request.action in _RESENDABLE_WITH_SEQUENCE and request.sequence is not None
    )
    if not safe:
        return False
    return unanswered is _Unanswered.CLOSED or (unanswered is _Unanswered.SILENCE and reused)


def _report_resend(on_resend: OnResend | None, first: ApiResult) -> None:
    if on_resend is None:
        return
    try:
        on_resend(first)
    except Exception:  # the caller's bookkeeping must not stop the resend
        _log.exception("on_resend callback failed")


class _SocketOptionsAdapter(HTTPAdapter):
    """An HTTPAdapter whose connections get these socket options (requests' documented extension point)."""

    def __init__(self, socket_options: list[tuple[int, int, int]], **kwargs: Any) -> None:
        self._socket_options = socket_options
        super().__init__(**kwargs)

    def init_poolmanager(self, connections: int, maxsize: int, block: bool = False, **pool_kwargs: Any) -> None:
        pool_kwargs.setdefault("socket_options", self._socket_options)
        super().init_poolmanager(connections, maxsize, block, **pool_kwargs)


def _pool_api_missing() -> str | None:
    """Why the urllib3 internals warm connections rely on are unusable here, or None if they are fine."""
    major = urllib3.__version__.split(".", 1)[0]
    if major != "2":
        return f"urllib3 {urllib3.__version__} is not 2.x"
    if not callable(getattr(HTTPConnectionPool, "_new_conn", None)):
        return "HTTPConnectionPool._new_conn is gone"
    return None


@dataclass
class _Opening:
    """A connection being opened in the background."""

    future: Future[HTTPConnection]
    started: float


class _WarmConnections:
    """Keeps one handshaken, recently opened connection idle in the session's urllib3 pool.

    Everything here runs on the client's thread except the connect()+handshake of a background open,
    which touches only the new connection object until it is handed over.
    """

    def __init__(
        self, session: requests.Session, endpoint: str, verify: bool | str, proxies: dict[str, str], connect_timeout_s: float
    ) -> None:
        self._session = session
        self._endpoint = endpoint
        self._verify = verify
        self._connect_timeout_s = connect_timeout_s
        # Through an HTTP proxy the tunnel is set up per request by urllib3; a pre-opened socket
        # would skip it, so pre-opening is off and requests go the ordinary way.
        self._disabled_because = _pool_api_missing() or (
            "requests go through a proxy" if select_proxy(endpoint, proxies) else None
        )
        if self._disabled_because:
            _log.info("connections are not pre-opened: %s", self._disabled_because)
        self._last_traffic: float | None = None
        self._opening: _Opening | None = None
        self._reopen_at = 0.0
        self._closed = threading.Event()
        self._executor: ThreadPoolExecutor | None = None
        self._cached_pool: HTTPConnectionPool | None = None

    def open_now(self) -> bool:
        """Open a connection on this thread unless a live one is idle in the pool."""
        pool = self._pool()
        if pool is None:
            return False
        self._take_finished_opening(pool)
        if self._settle(pool):
            return True
        try:
            connection = _open(pool._new_conn(), self._connect_timeout_s, self._closed)
        except (OSError, urllib3.exceptions.HTTPError) as error:
            _log.warning("could not open a connection to %s: %s", _netloc(self._endpoint), error)
            return False
        self._install(pool, connection, opened_at=time.monotonic())
        return True

    def maintain(self, idle_limit_s: float) -> None:
        """Hand over a finished background open; start one if the idle connection is too old or gone."""
        pool = self._pool()
        if pool is None:
            return
        self._take_finished_opening(pool)
        if self._opening is not None:
            return
        live = self._settle(pool)
        now = time.monotonic()
        if (live and self._idle_s(now) < idle_limit_s) or now < self._reopen_at:
            return
        self._start_opening(pool, now)

    def prepare_for_send(self, *, fresh: bool, stale_after_s: float) -> bool:
        """Make the pool hold what the next request should use; True if it will reuse a connection."""
        pool = self._pool()
        if pool is None:
            return False
        self._take_finished_opening(pool)
        live = self._settle(pool)
        idle_s = self._idle_s(time.monotonic())
        if live and not fresh and idle_s < stale_after_s:
            return True
        if live:
            _log.debug("not sending on a connection idle %.1f s%s", idle_s, " (fresh one asked for)" if fresh else "")
            self.discard_idle()
        opening = self._opening
        if fresh or opening is None:
            return False
        _log.debug("waiting for the connection being opened since %.1f s", time.monotonic() - opening.started)
        # A background open is under way: it finishes sooner than a new one begun now would.
        try:
            opening.future.result(timeout=self._connect_timeout_s)
        except Exception:
            pass  # a failed or slow open: the request opens its own connection
        self._take_finished_opening(pool)
        return self._settle(pool)

    def discard_idle(self) -> None:
        """Close every idle connection, so the next request opens a new one."""
        pool = self._pool()
        if pool is not None:
            _swap_idle(pool, _close)

    def note_traffic(self) -> None:
        """A request has just used (or failed on) the pooled connection."""
        self._last_traffic = time.monotonic()

    def close(self) -> None:
        self._closed.set()
        if self._executor is not None:
            self._executor.shutdown(wait=False, cancel_futures=True)
        opening, self._opening = self._opening, None
        if opening is not None:
            opening.future.add_done_callback(_close_result)

    # ---- internals ----

    def _pool(self) -> HTTPConnectionPool | None:
        """The pool session.post() uses for the endpoint (same URL, same TLS settings: same pool key)."""
        if self._disabled_because or self._closed.is_set():
            return None
        if self._cached_pool is None or self._cached_pool.pool is None:
            adapter = self._session.get_adapter(self._endpoint)
            prepared = requests.Request("POST", self._endpoint).prepare()
            self._cached_pool = adapter.get_connection_with_tls_context(prepared, self._verify)
        return self._cached_pool if isinstance(self._cached_pool.pool, queue.LifoQueue) else None

    def _idle_s(self, now: float) -> float:
        return float("inf") if self._last_traffic is None else now - self._last_traffic

    def _settle(self, pool: HTTPConnectionPool) -> bool:
        """Close idle connections the peer has closed; True if a live one remains."""
        live = False

        def keep_if_open(connection: HTTPConnection) -> HTTPConnection | None:
            nonlocal live
            if _still_open(connection):
                live = True
                return connection
            connection.close()
            return None

        _swap_idle(pool, keep_if_open)
        return live

    def _start_opening(self, pool: HTTPConnectionPool, now: float) -> None:
        if self._executor is None:
            self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="ptt-warm-connection")
        connection = pool._new_conn()
        future = self._executor.submit(_open, connection, self._connect_timeout_s, self._closed)
        self._opening = _Opening(future, now)

    def _take_finished_opening(self, pool: HTTPConnectionPool) -> None:
        opening = self._opening
        if opening is None or not opening.future.done():
            return
        self._opening = None
        try:
            connection = opening.future.result()
        except Exception as error:
            _log.warning("could not open a fresh connection to %s: %s", _netloc(self._endpoint), error)
            self._reopen_at = time.monotonic() + REOPEN_AFTER_FAILURE_S
            return
        if self._last_traffic is not None and self._last_traffic > opening.started and self._settle(pool):
            connection.close()  # a request used the old one meanwhile: it is the fresher of the two
            return
        self._install(pool, connection, opened_at=opening.started)

    def _install(self, pool: HTTPConnectionPool, connection: HTTPConnection, opened_at: float) -> None:
        """Put a freshly opened connection in the pool in place of every idle one."""
        placed = False

        def place(slot: HTTPConnection | None) -> HTTPConnection | None:
            nonlocal placed
            if placed:
                return slot
            placed = True
            return connection

        _swap_idle(pool, _close, fill=place)
        if not placed:
            connection.close()
            return
        self._last_traffic = opened_at


def _open(connection: HTTPConnection, connect_timeout_s: float, closed: threading.Event) -> HTTPConnection:
    """Connect (TCP, and TLS with certificate checks for https) a connection made by the pool, and take
    in the TLS 1.3 session tickets that follow the handshake, so the connection is ready to carry a call."""
    connection.timeout = connect_timeout_s
    started = time.monotonic()
    connection.connect()
    handshake_s = time.monotonic() - started
    if closed.is_set():
        connection.close()
        raise ConnectionAbortedError("the client was closed while the connection opened")
    _absorb_session_tickets(connection, wait_s=min(connect_timeout_s, max(2 * handshake_s, TICKET_WAIT_MIN_S)))
    return connection


def _absorb_session_tickets(connection: HTTPConnection, wait_s: float) -> None:
    """Wait (at most wait_s) for a TLS 1.3 server's session tickets and read them.

    They arrive about one round trip after the client's handshake ends; a call sent in between would find
    the socket readable and urllib3 would drop the connection and open another on the call's time.
    """
    sock = connection.sock
    if not isinstance(sock, ssl.SSLSocket) or sock.version() != "TLSv1.3":
        return
    # Servers send more than one ticket (Python's and OpenSSL's default: two), back to back.
    while wait_for_read(sock, timeout=wait_s):
        if not _still_open(connection):
            connection.close()
            raise ConnectionResetError("the server closed the connection right after the handshake")
        wait_s = TICKET_GAP_S


def _close(connection: HTTPConnection) -> None:
    """Close an idle connection taken out of the pool (its slot becomes a None placeholder)."""
    connection.close()


def _close_result(future: Future[HTTPConnection]) -> None:
    if not future.cancelled() and future.exception() is None:
        future.result().close()


def _swap_idle(
    pool: HTTPConnectionPool,
    each: Callable[[HTTPConnection], HTTPConnection | None],
    fill: Callable[[HTTPConnection | None], HTTPConnection | None] | None = None,
) -> None:
    """Pass every idle connection of the pool through `each` (and, with fill, every slot through it
    afterwards), keeping the pool's size: None placeholders below, connections on top (LIFO)."""
    slots = pool.pool
    if slots is None:
        return
    items: list[HTTPConnection | None] = []
    while True:
        try:
            items.append(slots.get_nowait())
        except queue.Empty:
            break
    items = [each(item) if item is not None else None for item in items]
    if fill is not None:
        items = [fill(item) for item in sorted(items, key=lambda item: item is not None)]
    for item in sorted(items, key=lambda item: item is not None):
        slots.put_nowait(item)


def _still_open(connection: HTTPConnection) -> bool:
    """False when the peer has closed or reset an idle connection.

    A TLS 1.3 server sends session tickets just after the handshake; on a connection that has not
    carried a request yet they make the socket readable, which urllib3 would take for a dropped
    connection. Reading them (non-blocking) consumes them, leaving the connection usable.
    """
    sock = connection.sock
    if sock is None:
        return False
    if not wait_for_read(sock, timeout=0.0):
        return True
    if not isinstance(sock, ssl.SSLSocket):
        return False  # end of stream, or bytes nobody asked for: either way unusable
    previous = sock.gettimeout()
    try:
        sock.settimeout(0.0)
        sock.recv(1)
        return False  # an answer to nothing, or the end of the stream
    except ssl.SSLWantReadError:
        return True  # only TLS records with no data in them (session tickets): consumed now
    except OSError:
        return False
    finally:
        try:
            sock.settimeout(previous)
        except OSError:
            pass


def _netloc(url: str) -> str:
    return urlsplit(url).netloc or url


class _TooLarge(Exception):
    pass


def _read_limited(response: requests.Response, limit: int) -> bytes:
    chunks: list[bytes] = []
    size = 0
    for chunk in response.iter_content(chunk_size=64 * 1024):
        size += len(chunk)
        if size > limit:
            raise _TooLarge()
        chunks.append(chunk)
    return b"".join(chunks)


def _answer_fields(answer: dict[str, Any]) -> dict[str, Any]:
    return {
        "http_status": answer.get("http_status"),
        "code": answer.get("code"),
        "request_id": answer.get("request_id"),
        "data": answer.get("data"),
    }


def _interpret(response: requests.Response, raw: bytes, result: Callable[..., ApiResult]) -> ApiResult:
    status = response.status_code
    if 300 <= status < 400:
        location = response.headers.get("Location", "?")
        return result(
            Outcome.HTTP_ERROR, f"HTTP {status} redirect to {location} refused: the API never redirects", http_status=status
        )
    parsed = _parse_json(raw)
    if status != 200:
        detail = _describe_non_json(raw, response) if parsed is None else _brief(parsed.get("Message", ""))
        fields = _known_fields(parsed) if isinstance(parsed, dict) else {}
        fields.pop("message", None)
        return result(
            Outcome.HTTP_ERROR, f"HTTP {status} {response.reason or ''}".strip() + f": {detail}", http_status=status, **fields
        )
    if parsed is None:
        if not raw:
            return result(Outcome.BAD_BODY, "empty answer (HTTP 200 with no body)", http_status=status)
        return result(Outcome.BAD_BODY, f"answer is not JSON: {_describe_non_json(raw, response)}", http_status=status)
    if not isinstance(parsed, dict):
        return result(Outcome.BAD_BODY, "answer is JSON but not an object", http_status=status)
    code = parsed.get("Code")
    if "Code" not in parsed:
        return result(
            Outcome.BAD_BODY, "answer has no Code field", http_status=status, request_id=_text_or_none(parsed.get("RequestId"))
        )
    if not isinstance(code, int) or isinstance(code, bool):
        return result(
            Outcome.BAD_BODY,
            f"answer's Code is not an integer: {code!r}",
            http_status=status,
            request_id=_text_or_none(parsed.get("RequestId")),
        )
    fields = _known_fields(parsed)
    message = fields.pop("message")
    outcome = Outcome.OK if code == codes.SUCCESS else Outcome.API_ERROR
    return result(outcome, message, http_status=status, **fields)


def _known_fields(parsed: dict[str, Any]) -> dict[str, Any]:
    code = parsed.get("Code")
    data = parsed.get("Data")
    return {
        "code": code if isinstance(code, int) and not isinstance(code, bool) else None,
        "message": _brief(parsed.get("Message", "")),
        "request_id": _text_or_none(parsed.get("RequestId")),
        "data": data if isinstance(data, dict) else None,
    }


def _parse_json(raw: bytes) -> Any:
    if not raw:
        return None
    try:
        return json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        return None


def _text_or_none(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def _brief(value: Any, limit: int = 300) -> str:
    text = value if isinstance(value, str) else json.dumps(value)
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


_TITLE = re.compile(rb"<title[^>]*>(.*?)</title>", re.IGNORECASE | re.DOTALL)


def _describe_non_json(raw: bytes, response: requests.Response) -> str:
    if not raw:
        return "empty body"
    kind = response.headers.get("Content-Type", "unknown type").split(";")[0]
    title = _TITLE.search(raw[:65536])
    if title:
        return f"{kind} page titled {_brief(title.group(1).decode('utf-8', 'replace'), 120)!r}"
    return f"{kind}, {len(raw)} bytes starting {_brief(raw[:80].decode('utf-8', 'replace'), 80)!r}"


def _reason(error: Exception) -> str:
    text = str(error.args[0]) if error.args else str(error)
    return _brief(re.sub(r"\?\S*", "", text), 200)  # a URL's query carries the signature and nonce


def _connection_reason(error: requests.exceptions.RequestException) -> str:
    text = str(error)
    if "Connection refused" in text or "Errno 111" in text:
        return "connection refused (is the server running and the endpoint right?)"
    if "Name or service not known" in text or "getaddrinfo failed" in text or "Temporary failure in name resolution" in text:
        return "host name not found (check the endpoint)"
    if "Connection reset" in text or "ConnectionResetError" in text:
        return "connection reset by the server without an answer"
    if "RemoteDisconnected" in text or "Connection aborted" in text:
        return "connection closed by the server without an answer"
    if "Network is unreachable" in text or "No route to host" in text:
        return "network unreachable"
    return _plain_cause(error)


# What OpenSSL's verify messages and reasons mean, for an operator.
_TLS_WORDS = {
    "self-signed certificate": "the server's certificate is self-signed, so no authority vouches for it",
    "self signed certificate": "the server's certificate is self-signed, so no authority vouches for it",
    "self-signed certificate in certificate chain":
        "the server's certificate chain ends in an authority this computer does not trust",
    "self signed certificate in certificate chain":
        "the server's certificate chain ends in an authority this computer does not trust",
    "certificate has expired": "the server's certificate has expired",
    "unable to get local issuer certificate":
        "the server's certificate was issued by an authority this computer does not trust",
    "WRONG_VERSION_NUMBER": "the server did not answer in TLS (is the endpoint http:// only?)",
}


def _chain(error: BaseException) -> Iterator[BaseException]:
    """The exception and everything it wraps: causes, urllib3's reasons, first arguments, contexts."""
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        reason = getattr(current, "reason", None)
        first = current.args[0] if current.args else None
        candidates = (current.__cause__, reason if isinstance(reason, BaseException) else None,
                      first if isinstance(first, BaseException) else None, current.__context__)
        current = next((candidate for candidate in candidates if candidate is not None), None)


def _tls_cause(error: BaseException) -> str:
    """Why the TLS handshake failed, in plain words; never the URL (its query carries the signature)."""
    for cause in _chain(error):
        if isinstance(cause, ssl.SSLCertVerificationError):
            reason = cause.verify_message or str(cause.reason or "")
            if reason.startswith("Hostname mismatch"):
                return "the server's certificate is for another host name"
            return _TLS_WORDS.get(reason, f"the server's certificate was refused ({reason})")
        if isinstance(cause, ssl.SSLError):
            reason = str(cause.reason or cause.strerror or "")
            return _TLS_WORDS.get(reason, f"the TLS handshake failed ({reason})")
    return "the TLS handshake failed"


def _plain_cause(error: BaseException) -> str:
    """The innermost operating-system reason of an error, else its text without any URL query."""
    for cause in _chain(error):
        if isinstance(cause, OSError) and cause.strerror:
            return cause.strerror[:1].lower() + cause.strerror[1:]
    return _brief(re.sub(r"\?\S*", "", str(error)), 200)
