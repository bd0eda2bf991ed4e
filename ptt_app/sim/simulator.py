"""Local simulator of the ZEGOCLOUD AI Agent server API (zego-api.md), for tests, benchmarks and --demo.

It checks every call the way the real gateway is documented to (signature v2.0, timestamp window,
nonce, AppId), keeps agent instances in memory, applies the StartListening/StopListening Sequence
rule, records everything it received, and injects faults on demand. Standard library only, Qt-free,
and it serves on loopback only.
"""

from __future__ import annotations

import argparse
import dataclasses
import heapq
import hmac
import ipaddress
import json
import logging
import re
import signal
import socket
import sys
import threading
import time
import uuid
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from socketserver import TCPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from ptt_app.api import codes
from ptt_app.api.signing import SIGNATURE_VERSION, sign_request
from ptt_app.sim.faults import (
    DEFAULT_FORCED_CODE,
    DEFAULT_TIMEOUT_STALL_S,
    MANGLING_KINDS,
    Fault,
    FaultInjector,
    FaultKind,
    RequestFaults,
    bad_gateway_page,
    json_bytes,
    mangled_answer_body,
    redirect_page,
)

__all__ = [
    "DEMO_APP_ID",
    "DEMO_SERVER_SECRET",
    "SIM_CODE_INSTANCE_NOT_FOUND",
    "SIM_CODE_NONCE_REUSED",
    "SIM_CODE_NOT_WALKIE_TALKIE",
    "SIM_CODE_RATE_LIMITED",
    "SIM_OWN_CODES",
    "AgentApiSimulator",
    "AgentInstance",
    "Fault",
    "FaultKind",
    "ReceivedRequest",
    "SimConfig",
    "main",
]

_log = logging.getLogger("ptt_app.sim")

# Public, simulator-only credentials for `ptt-app-sim` without --secret-stdin. They open nothing real.
DEMO_APP_ID = 1234567890
DEMO_SERVER_SECRET = "simulatorOnlyDemoSecretNotReal00"

# ---------------------------------------------------------------------------------------------------
# The simulator's own codes. zego-api.md says further 4100000xx codes exist (instance not found, rate
# limited, ...) but their numbers are unconfirmed: these numbers are the simulator's own choice, so
# the app must show them verbatim and never give them a meaning. Replay uses 410000005, documented as
# "gateway authentication failed", because the real answer to a reused nonce is unconfirmed too.
SIM_CODE_NONCE_REUSED = 410000005
SIM_CODE_INSTANCE_NOT_FOUND = 410000010
SIM_CODE_NOT_WALKIE_TALKIE = 410000011
SIM_CODE_RATE_LIMITED = 410000012
SIM_OWN_CODES: dict[int, str] = {
    SIM_CODE_NONCE_REUSED: "SignatureNonce already used (replay)",
    SIM_CODE_INSTANCE_NOT_FOUND: "agent instance not found",
    SIM_CODE_NOT_WALKIE_TALKIE: "agent instance is not in walkie-talkie mode",
    SIM_CODE_RATE_LIMITED: "rate limited",
}
# ---------------------------------------------------------------------------------------------------

CREATE_AGENT_INSTANCE = "CreateAgentInstance"
QUERY_AGENT_INSTANCE_STATUS = "QueryAgentInstanceStatus"
DELETE_AGENT_INSTANCE = "DeleteAgentInstance"
INTERRUPT_AGENT_INSTANCE = "InterruptAgentInstance"
START_LISTENING = "StartListening"
STOP_LISTENING = "StopListening"
LISTENING_ACTIONS = frozenset({START_LISTENING, STOP_LISTENING})

INSTANCE_STATUS_RUNNING = "Running"  # the real status names are unconfirmed
JSON_CONTENT_TYPE = "application/json; charset=utf-8"
MAX_REQUEST_BODY_BYTES = 1024 * 1024
# An idle keep-alive connection is closed after this long, so forgotten clients free their thread.
KEEP_ALIVE_IDLE_S = 60.0
# received() keeps the newest this many requests, so a long --demo run does not grow without bound.
RECORD_LIMIT = 100_000
# serve_forever's poll interval: how soon stop() is noticed by the accept loop.
ACCEPT_POLL_S = 0.05

_UINT32_MAX = 2**32 - 1
_INT64_MIN, _INT64_MAX = -(2**63), 2**63 - 1
_DIGITS = re.compile(r"[0-9]{1,10}")
_SIGNED_DIGITS = re.compile(r"-?[0-9]{1,19}")
_NONCE = re.compile(r"[0-9a-fA-F]{16}")


@dataclass(frozen=True)
class SimConfig:
    """How one simulator behaves; the values the real API leaves unconfirmed are settings here."""

    app_id: int
    server_secret: str = field(repr=False)
    host: str = "127.0.0.1"
    port: int = 0
    walkie_talkie_mode: int = 2
    ignored_sequence_code: int = 0
    timestamp_window_s: int = 600
    rate_limit_per_s: float | None = None

    def __post_init__(self) -> None:
        if isinstance(self.app_id, bool) or not isinstance(self.app_id, int) or not 0 <= self.app_id <= _UINT32_MAX:
            raise ValueError(f"app_id must be an unsigned 32-bit integer, got {self.app_id!r}")
        if not isinstance(self.server_secret, str) or not self.server_secret:
            raise ValueError("server_secret must be a non-empty string")
        if not 0 <= self.port <= 65535:
            raise ValueError(f"port must be within 0..65535, got {self.port}")
        if self.timestamp_window_s <= 0:
            raise ValueError(f"timestamp_window_s must be above 0, got {self.timestamp_window_s}")
        if self.rate_limit_per_s is not None and self.rate_limit_per_s <= 0:
            raise ValueError(f"rate_limit_per_s must be above 0 or None, got {self.rate_limit_per_s}")
        loopback_family(self.host)


def loopback_family(host: str) -> socket.AddressFamily:
    """The address family to bind `host` with; ValueError unless it is a loopback address."""
    if host == "localhost":
        return socket.AF_INET
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        raise ValueError(f"the simulator binds a loopback IP address or localhost only, not {host!r}") from None
    if not address.is_loopback:
        raise ValueError(f"the simulator serves loopback only; refusing to bind {host}")
    return socket.AF_INET6 if address.version == 6 else socket.AF_INET


@dataclass(frozen=True)
class ReceivedRequest:
    """One request as the simulator received and answered it.

    received_monotonic / received_wall are taken right after the request line is read: before the
    headers, the body and any fault delay. user_id is the UserId the request applied to (for an
    acted or ignored Start/Stop without UserId, the instance's). http_status, code, message and
    request_id are None where no such answer was sent (DROP; no Code on a 502 or redirect)."""

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


@dataclass
class AgentInstance:
    """An agent instance the simulator keeps; instances() hands out copies."""

    agent_instance_id: str
    agent_id: str
    user_id: str
    communication_mode: int | None
    interrupt_mode: int | None
    rtc: dict[str, str]
    created_wall: float
    listening: bool = False
    interrupts: int = 0

    def snapshot(self) -> AgentInstance:
        """A copy that later requests do not change."""
        return dataclasses.replace(self, rtc=dict(self.rtc))


class _Rejected(Exception):
    """A check failed: answer `code` with `message`, not acted on."""

    def __init__(self, code: int, message: str, http_status: int = 200) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.http_status = http_status


@dataclass(frozen=True)
class _ActionResult:
    code: int = codes.SUCCESS
    message: str = "success"
    data: dict[str, Any] | None = None
    acted: bool = True
    ignored: bool = False
    user_id: str | None = None
    act_order: int = 0


@dataclass(frozen=True)
class _BodyRead:
    raw: bytes
    problem: str | None = None


@dataclass(frozen=True)
class _Incoming:
    method: str
    target: str
    body: _BodyRead
    received_monotonic: float
    received_wall: float


@dataclass(frozen=True)
class _HttpReply:
    status: int
    content_type: str
    body: bytes
    headers: tuple[tuple[str, str], ...] = ()
    close_connection: bool = False


@dataclass(frozen=True)
class _Outcome:
    """What the connection does: send `reply` (None = close without answer) after `hold_answer_s`."""

    reply: _HttpReply | None
    hold_answer_s: float = 0.0


# ---- body schemas: field lists of the actions (unconfirmed beyond Start/Stop, kept here only) ----


@dataclass(frozen=True)
class _Field:
    name: str
    kind: type
    required: bool = False
    fields: tuple[_Field, ...] = ()


_INSTANCE_ONLY = (_Field("AgentInstanceId", str, required=True),)
_LISTENING_BODY = (
    _Field("AgentInstanceId", str, required=True),
    _Field("UserId", str),
    _Field("Sequence", int),
)
_CREATE_BODY = (
    _Field("AgentId", str, required=True),
    _Field("UserId", str, required=True),
    _Field("RTC", dict, fields=(_Field("RoomId", str), _Field("AgentStreamId", str), _Field("UserStreamId", str))),
    _Field("AdvancedConfig", dict, fields=(_Field("CommunicationMode", int), _Field("InterruptMode", int))),
)
_BODY_SCHEMAS: dict[str, tuple[_Field, ...]] = {
    CREATE_AGENT_INSTANCE: _CREATE_BODY,
    QUERY_AGENT_INSTANCE_STATUS: _INSTANCE_ONLY,
    DELETE_AGENT_INSTANCE: _INSTANCE_ONLY,
    INTERRUPT_AGENT_INSTANCE: _INSTANCE_ONLY,
    START_LISTENING: _LISTENING_BODY,
    STOP_LISTENING: _LISTENING_BODY,
}


def _check_fields(body: dict[str, Any], fields: tuple[_Field, ...], prefix: str = "") -> None:
    for rule in fields:
        name = prefix + rule.name
        if rule.name not in body:
            if rule.required:
                raise _Rejected(codes.INVALID_PARAMETER, f"{name} is required")
            continue
        value = body[rule.name]
        if rule.kind is str:
            if not isinstance(value, str):
                raise _Rejected(codes.INVALID_PARAMETER, f"{name} must be a string")
            if rule.required and not value:
                raise _Rejected(codes.INVALID_PARAMETER, f"{name} is required and must not be empty")
        elif rule.kind is int:
            if isinstance(value, bool) or not isinstance(value, int):
                raise _Rejected(codes.INVALID_PARAMETER, f"{name} must be an integer")
            if not _INT64_MIN <= value <= _INT64_MAX:
                raise _Rejected(codes.INVALID_PARAMETER, f"{name} must fit in a signed 64-bit integer")
        elif rule.kind is dict:
            if not isinstance(value, dict):
                raise _Rejected(codes.INVALID_PARAMETER, f"{name} must be an object")
            _check_fields(value, rule.fields, prefix=f"{name}.")


class _TokenBucket:
    """At most `rate` requests per second on average, bursts up to max(1, rate)."""

    def __init__(self, rate: float) -> None:
        self._rate = rate
        self._capacity = max(1.0, rate)
        self._tokens = self._capacity
        self._updated = time.monotonic()

    def take(self) -> bool:
        now = time.monotonic()
        self._tokens = min(self._capacity, self._tokens + (now - self._updated) * self._rate)
        self._updated = now
        if self._tokens < 1.0:
            return False
        self._tokens -= 1.0
        return True


class AgentApiSimulator:
    """The AI Agent API on a loopback port: start()/stop() or use as a context manager."""

    def __init__(self, config: SimConfig, *, clock: Callable[[], float] = time.time) -> None:
        self._config = config
        self._clock = clock
        self._faults = FaultInjector()
        self._lock = threading.Lock()
        self._instances: dict[str, AgentInstance] = {}
        self._latest_sequence: dict[tuple[str, str], int] = {}
        self._records: deque[ReceivedRequest] = deque(maxlen=RECORD_LIMIT)
        self._last_acted: dict[str, tuple[int, ReceivedRequest]] = {}
        self._act_counter = 0
        self._nonce_expiry: dict[str, float] = {}
        self._nonce_heap: list[tuple[float, str]] = []
        self._rate_buckets: dict[str, _TokenBucket] = {}
        self._stopping = threading.Event()
        self._server: _SimHttpServer | None = None
        self._thread: threading.Thread | None = None

    # ---- lifecycle ----

    def start(self) -> None:
        """Bind the port and serve in a daemon thread."""
        if self._server is not None:
            raise RuntimeError("the simulator was already started; create a new one")
        family = loopback_family(self._config.host)
        self._server = _SimHttpServer((self._config.host, self._config.port), family, self)
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": ACCEPT_POLL_S},
            name=f"ptt-app-sim:{self.port}",
            daemon=True,
        )
        self._thread.start()

    def stop(self) -> None:
        """Stop serving: cut short every delay and stall, close every connection. Safe to call twice."""
        server, thread = self._server, self._thread
        if server is None or self._stopping.is_set():
            return
        self._stopping.set()
        server.shutdown()
        server.server_close()
        server.close_open_connections()
        if thread is not None:
            thread.join(timeout=5.0)

    def __enter__(self) -> AgentApiSimulator:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    @property
    def config(self) -> SimConfig:
        """The settings this simulator was made with."""
        return self._config

    @property
    def app_id(self) -> int:
        """The only AppId this simulator accepts."""
        return self._config.app_id

    @property
    def port(self) -> int:
        """The bound port (the real one when the config asked for port 0)."""
        return self._require_server().server_address[1]

    @property
    def base_url(self) -> str:
        """The endpoint to give a client, e.g. http://127.0.0.1:PORT."""
        host = self._require_server().server_address[0]
        return f"http://[{host}]:{self.port}" if ":" in host else f"http://{host}:{self.port}"

    def connections_accepted(self) -> int:
        """How many TCP connections were accepted so far: keep-alive reuses one."""
        return self._require_server().connections_accepted

    def _require_server(self) -> _SimHttpServer:
        if self._server is None:
            raise RuntimeError("the simulator is not started")
        return self._server

    # ---- faults ----

    def add_fault(self, fault: Fault) -> None:
        """Inject `fault` into the next matching requests (see FaultKind for what each kind does)."""
        self._faults.add(fault)

    def clear_faults(self) -> None:
        """Remove every fault, random ones included."""
        self._faults.clear()

    def set_random_faults(
        self,
        rate: float,
        kinds: list[FaultKind],
        seed: int,
        delay_range_s: tuple[float, float] = (0.0, 0.0),
        timeout_stall_s: float = DEFAULT_TIMEOUT_STALL_S,
    ) -> None:
        """Chaos run: every request waits a uniform delay from delay_range_s before acting, and with
        probability `rate` gets one of `kinds` (DELAY and STALL hold timeout_stall_s). Deterministic
        from `seed` for a given arrival order."""
        self._faults.set_random(rate, kinds, seed, delay_range_s, timeout_stall_s)

    # ---- state, for tests and benchmarks ----

    def received(self) -> list[ReceivedRequest]:
        """Every request received (the newest RECORD_LIMIT), oldest first."""
        with self._lock:
            return list(self._records)

    def clear_received(self) -> None:
        """Forget the received requests (not the instances, nonces or Sequences)."""
        with self._lock:
            self._records.clear()
            self._last_acted.clear()

    def is_listening(self, agent_instance_id: str) -> bool:
        """True while the instance exists and its last acted-on listening request was a Start."""
        with self._lock:
            instance = self._instances.get(agent_instance_id)
            return instance is not None and instance.listening

    def last_acted(self, agent_instance_id: str) -> ReceivedRequest | None:
        """The last StartListening/StopListening actually acted on for the instance, if any."""
        with self._lock:
            entry = self._last_acted.get(agent_instance_id)
            return entry[1] if entry else None

    def create_instance(
        self, agent_id: str = "demo-agent", user_id: str = "demo-user", communication_mode: int | None = None
    ) -> str:
        """Create an instance without HTTP; communication_mode None means walkie-talkie. Returns its id."""
        mode = self._config.walkie_talkie_mode if communication_mode is None else communication_mode
        with self._lock:
            return self._add_instance(agent_id, user_id, mode, interrupt_mode=1, rtc={}).agent_instance_id

    def instances(self) -> list[AgentInstance]:
        """Copies of the instances that exist now."""
        with self._lock:
            return [instance.snapshot() for instance in self._instances.values()]

    # ---- one request ----

    def _serve(self, incoming: _Incoming) -> _Outcome:
        """Everything one request gets, faults included; runs on the connection's thread. A request
        whose DELAY is cut short by stop() is neither acted on nor recorded."""
        target = urlsplit(incoming.target)
        query = parse_qs(target.query, keep_blank_values=True)
        action = _first(query, "Action")
        faults = self._faults.faults_for(action)
        if faults.delay_before_s > 0 and self._stopping.wait(faults.delay_before_s):
            return _Outcome(None)
        request = _RequestView(incoming, target.path, query, action, _BodyContext.of(incoming.body.raw), faults)
        fault = faults.answer_fault
        if fault is not None and fault.kind not in MANGLING_KINDS:
            reply = self._replace_answer(fault, request)
        else:
            reply = self._api_reply(request)
        return _Outcome(reply, faults.hold_answer_s)

    def _api_reply(self, request: _RequestView) -> _HttpReply:
        """Check, act, record, then the JSON answer (broken if a body-breaking fault applies)."""
        request_id = f"sim-{uuid.uuid4().hex}"
        status, result = self._answer(request)
        answer = _answer_json(result.code, result.message, request_id, result.data)
        fault = request.faults.answer_fault
        body = mangled_answer_body(fault.kind, answer) if fault is not None else json_bytes(answer)
        user_id = result.user_id if result.user_id is not None else request.context.user_id
        self._record(_record_of(request, status, result, request_id, user_id), result.act_order)
        return _HttpReply(
            status,
            JSON_CONTENT_TYPE,
            body,
            headers=(("Allow", "POST"),) if status == 405 else (),
            close_connection=request.incoming.body.problem is not None,
        )

    def _replace_answer(self, fault: Fault, request: _RequestView) -> _HttpReply | None:
        """The answer of a fault that keeps the request from the API logic: it is not acted on."""
        if fault.kind is FaultKind.FORCED_CODE:
            request_id = f"sim-{uuid.uuid4().hex}"
            code = DEFAULT_FORCED_CODE if fault.code is None else fault.code
            result = _ActionResult(code, "forced by the simulator's FORCED_CODE fault; not acted on", acted=False)
            self._record(_record_of(request, 200, result, request_id, request.context.user_id), act_order=0)
            answer = _answer_json(code, result.message, request_id)
            return _HttpReply(200, JSON_CONTENT_TYPE, json_bytes(answer))
        reply: _HttpReply | None = None
        if fault.kind is FaultKind.HTTP_502_HTML:
            reply = _HttpReply(502, "text/html", bad_gateway_page())
        elif fault.kind is FaultKind.REDIRECT:
            location = fault.location or f"{self.base_url}/moved"
            page = redirect_page(location)
            reply = _HttpReply(302, "text/html; charset=utf-8", page, headers=(("Location", location),))
        status = None if reply is None else reply.status
        record = _record_of(request, status, _ActionResult(acted=False), None, request.context.user_id)
        self._record(dataclasses.replace(record, code=None, message=None), act_order=0)
        return reply

    def _answer(self, request: _RequestView) -> tuple[int, _ActionResult]:
        """The HTTP status and API answer of one request, acting on it when every check passes."""
        method, path = request.incoming.method, request.path
        try:
            if path not in ("", "/"):
                message = f"no API at path {path!r}: every call is POST /?Action=..."
                raise _Rejected(codes.INVALID_PARAMETER, message, http_status=404)
            if method != "POST":
                message = f"method {method} not allowed: every call is POST"
                raise _Rejected(codes.INVALID_PARAMETER, message, http_status=405)
            self._check_gateway(request.query, request.action)
            body = _checked_body(request.incoming.body, request.context, request.action)
            return 200, self._act(request.action, body)
        except _Rejected as rejection:
            return rejection.http_status, _ActionResult(rejection.code, rejection.message, acted=False)

    def _check_gateway(self, query: dict[str, list[str]], action: str) -> None:
        """The common checks, in the order of the documented gateway codes' concerns."""
        if not action:
            raise _Rejected(codes.ACTION_EMPTY, "Action is empty")
        _single(query, "Action")
        if action not in _BODY_SCHEMAS:
            raise _Rejected(codes.ACTION_UNSUPPORTED, f"Action {action!r} is not supported")
        app_id = self._checked_app_id(_single(query, "AppId"))
        _check_signature_version(_single(query, "SignatureVersion"))
        nonce = _checked_nonce(_single(query, "SignatureNonce"))
        timestamp = self._checked_timestamp(_single(query, "Timestamp"))
        self._check_signature(_single(query, "Signature"), app_id, nonce, timestamp)
        self._remember_nonce(nonce, timestamp)
        self._check_rate_limit(action)

    def _checked_app_id(self, text: str) -> int:
        if not _DIGITS.fullmatch(text) or int(text) > _UINT32_MAX:
            raise _Rejected(codes.APP_ID_FORMAT, f"AppId {text!r} is not an unsigned 32-bit integer")
        if int(text) != self._config.app_id:
            raise _Rejected(codes.SECRET_NOT_FOUND, f"no ServerSecret for AppId {int(text)}")
        return int(text)

    def _checked_timestamp(self, text: str) -> int:
        if not text:
            raise _Rejected(codes.TIMESTAMP_EMPTY, "Timestamp is empty")
        if not _SIGNED_DIGITS.fullmatch(text) or not _INT64_MIN <= int(text) <= _INT64_MAX:
            raise _Rejected(codes.TIMESTAMP_FORMAT, f"Timestamp {text!r} is not an integer number of seconds")
        timestamp = int(text)
        skew = timestamp - self._clock()
        if abs(skew) > self._config.timestamp_window_s:
            raise _Rejected(
                codes.SIGNATURE_EXPIRED,
                f"signature expired: Timestamp is {skew:+.0f} s from the server's clock, "
                f"more than the {self._config.timestamp_window_s} s allowed",
            )
        return timestamp

    def _check_signature(self, given: str, app_id: int, nonce: str, timestamp: int) -> None:
        if not given:
            raise _Rejected(codes.SIGNATURE_EMPTY, "Signature is empty")
        expected = sign_request(app_id, nonce, self._config.server_secret, timestamp)
        if not hmac.compare_digest(expected.encode("utf-8"), given.encode("utf-8")):
            raise _Rejected(codes.SIGNATURE_WRONG, "Signature is wrong")

    def _remember_nonce(self, nonce: str, timestamp: int) -> None:
        """Reject a nonce seen before; a nonce is remembered until its Timestamp leaves the window,
        after which the timestamp check refuses a replay anyway."""
        key = nonce.lower()
        now = self._clock()
        with self._lock:
            while self._nonce_heap and self._nonce_heap[0][0] < now:
                _, expired = heapq.heappop(self._nonce_heap)
                if self._nonce_expiry.get(expired, now + 1) < now:
                    del self._nonce_expiry[expired]
            if key in self._nonce_expiry:
                raise _Rejected(SIM_CODE_NONCE_REUSED, "SignatureNonce already used")
            expiry = timestamp + self._config.timestamp_window_s
            self._nonce_expiry[key] = expiry
            heapq.heappush(self._nonce_heap, (expiry, key))

    def _check_rate_limit(self, action: str) -> None:
        rate = self._config.rate_limit_per_s
        if rate is None:
            return
        with self._lock:
            bucket = self._rate_buckets.setdefault(action, _TokenBucket(rate))
            allowed = bucket.take()
        if not allowed:
            message = f"rate limited: more than {rate:g} {action} requests per second for this AppId"
            raise _Rejected(SIM_CODE_RATE_LIMITED, message)

    # ---- actions ----

    def _act(self, action: str, body: dict[str, Any]) -> _ActionResult:
        with self._lock:
            if action == CREATE_AGENT_INSTANCE:
                return self._create(body)
            instance = self._instances.get(body["AgentInstanceId"])
            if instance is None:
                raise _Rejected(SIM_CODE_INSTANCE_NOT_FOUND, f"AgentInstanceId {body['AgentInstanceId']!r} not found")
            if action == QUERY_AGENT_INSTANCE_STATUS:
                return _ActionResult(data=_status_data(instance), user_id=instance.user_id)
            if action == DELETE_AGENT_INSTANCE:
                return self._delete(instance)
            if action == INTERRUPT_AGENT_INSTANCE:
                instance.interrupts += 1
                return _ActionResult(user_id=instance.user_id)
            return self._listen(action, instance, body)

    def _create(self, body: dict[str, Any]) -> _ActionResult:
        advanced = body.get("AdvancedConfig", {})
        rtc = body.get("RTC", {})
        instance = self._add_instance(
            body["AgentId"],
            body["UserId"],
            advanced.get("CommunicationMode"),
            advanced.get("InterruptMode"),
            rtc={name: rtc[name] for name in ("RoomId", "AgentStreamId", "UserStreamId") if name in rtc},
        )
        return _ActionResult(data={"AgentInstanceId": instance.agent_instance_id}, user_id=instance.user_id)

    def _add_instance(
        self,
        agent_id: str,
        user_id: str,
        communication_mode: int | None,
        interrupt_mode: int | None,
        rtc: dict[str, str],
    ) -> AgentInstance:
        instance_id = f"sim-instance-{uuid.uuid4().hex}"
        instance = AgentInstance(instance_id, agent_id, user_id, communication_mode, interrupt_mode, rtc, self._clock())
        self._instances[instance_id] = instance
        return instance

    def _delete(self, instance: AgentInstance) -> _ActionResult:
        del self._instances[instance.agent_instance_id]
        for key in [key for key in self._latest_sequence if key[0] == instance.agent_instance_id]:
            del self._latest_sequence[key]
        return _ActionResult(user_id=instance.user_id)

    def _listen(self, action: str, instance: AgentInstance, body: dict[str, Any]) -> _ActionResult:
        """The Sequence rule: per instance and user, only a Sequence above the latest one is acted on."""
        if instance.communication_mode != self._config.walkie_talkie_mode:
            raise _Rejected(
                SIM_CODE_NOT_WALKIE_TALKIE,
                f"AgentInstanceId {instance.agent_instance_id!r} has CommunicationMode "
                f"{instance.communication_mode}, not walkie-talkie ({self._config.walkie_talkie_mode})",
            )
        user_id = body.get("UserId") or instance.user_id
        sequence = body.get("Sequence")
        if sequence is not None:
            key = (instance.agent_instance_id, user_id)
            latest = self._latest_sequence.get(key)
            if latest is not None and sequence <= latest:
                message = (
                    f"not acted on: Sequence {sequence} is not above {latest}, the latest Sequence seen "
                    f"for this AgentInstanceId and UserId {user_id!r}"
                )
                code = self._config.ignored_sequence_code
                return _ActionResult(code, message, acted=False, ignored=True, user_id=user_id)
            self._latest_sequence[key] = sequence
        instance.listening = action == START_LISTENING
        self._act_counter += 1
        return _ActionResult(user_id=user_id, act_order=self._act_counter)

    def _record(self, record: ReceivedRequest, act_order: int) -> None:
        """Keep the record; act_order keeps last_acted right when two acts record out of order."""
        with self._lock:
            self._records.append(record)
            if record.acted and record.action in LISTENING_ACTIONS and record.agent_instance_id:
                previous = self._last_acted.get(record.agent_instance_id)
                if previous is None or previous[0] < act_order:
                    self._last_acted[record.agent_instance_id] = (act_order, record)


# ---- helpers of one request ----


@dataclass(frozen=True)
class _BodyContext:
    """The body parsed once: what the record shows of it, even when the request is rejected."""

    parsed: Any
    json_error: str | None
    agent_instance_id: str | None
    user_id: str | None
    sequence: int | None

    @classmethod
    def of(cls, raw: bytes) -> _BodyContext:
        try:
            parsed = json.loads(raw.decode("utf-8"), parse_constant=_reject_constant)
        except UnicodeDecodeError:
            return cls(None, "not UTF-8", None, None, None)
        except ValueError as error:
            return cls(None, str(error), None, None, None)
        except RecursionError:
            return cls(None, "nested too deeply", None, None, None)
        if not isinstance(parsed, dict):
            return cls(parsed, None, None, None, None)
        instance_id = parsed.get("AgentInstanceId")
        user_id = parsed.get("UserId")
        sequence = parsed.get("Sequence")
        return cls(
            parsed,
            None,
            instance_id if isinstance(instance_id, str) else None,
            user_id if isinstance(user_id, str) and user_id else None,
            sequence if isinstance(sequence, int) and not isinstance(sequence, bool) else None,
        )


def _reject_constant(name: str) -> Any:
    # json accepts NaN and Infinity, which are not JSON.
    raise ValueError(f"{name} is not valid JSON")


def _checked_body(body: _BodyRead, context: _BodyContext, action: str) -> dict[str, Any]:
    if body.problem is not None:
        raise _Rejected(codes.BODY_UNREADABLE, f"request body could not be read: {body.problem}")
    if context.json_error is not None:
        raise _Rejected(codes.BODY_NOT_JSON, f"body is not valid JSON: {context.json_error}")
    if not isinstance(context.parsed, dict):
        raise _Rejected(codes.INVALID_PARAMETER, "body must be a JSON object")
    _check_fields(context.parsed, _BODY_SCHEMAS[action])
    return context.parsed


@dataclass(frozen=True)
class _RequestView:
    """One request as the API logic sees it, after any DELAY."""

    incoming: _Incoming
    path: str
    query: dict[str, list[str]]
    action: str
    context: _BodyContext
    faults: RequestFaults


def _first(query: dict[str, list[str]], name: str) -> str:
    values = query.get(name)
    return values[0] if values else ""


def _single(query: dict[str, list[str]], name: str) -> str:
    values = query.get(name, [])
    if len(values) > 1:
        raise _Rejected(codes.INVALID_PARAMETER, f"{name} is given {len(values)} times; give it once")
    return values[0] if values else ""


def _check_signature_version(text: str) -> None:
    if not text:
        raise _Rejected(codes.SIGNATURE_VERSION_EMPTY, "SignatureVersion is empty")
    if text != SIGNATURE_VERSION:
        raise _Rejected(codes.SIGNATURE_VERSION_UNSUPPORTED, f"SignatureVersion {text!r} not supported (only 2.0)")


def _checked_nonce(text: str) -> str:
    if not text:
        raise _Rejected(codes.NONCE_EMPTY, "SignatureNonce is empty")
    if not _NONCE.fullmatch(text):
        raise _Rejected(codes.INVALID_PARAMETER, "SignatureNonce must be 16 hex characters")
    return text


def _status_data(instance: AgentInstance) -> dict[str, Any]:
    return {
        "AgentInstanceId": instance.agent_instance_id,
        "AgentId": instance.agent_id,
        "UserId": instance.user_id,
        "Status": INSTANCE_STATUS_RUNNING,
        "Listening": instance.listening,
        "CommunicationMode": instance.communication_mode,
        "InterruptMode": instance.interrupt_mode,
        "RTC": dict(instance.rtc),
    }


def _answer_json(code: int, message: str, request_id: str, data: dict[str, Any] | None = None) -> dict[str, Any]:
    answer: dict[str, Any] = {"Code": code, "Message": message, "RequestId": request_id}
    if data is not None:
        answer["Data"] = data
    return answer


def _record_of(
    request: _RequestView, status: int | None, result: _ActionResult, request_id: str | None, user_id: str | None
) -> ReceivedRequest:
    return ReceivedRequest(
        action=request.action,
        query={name: values[0] for name, values in request.query.items()},
        body=request.context.parsed,
        agent_instance_id=request.context.agent_instance_id,
        user_id=user_id,
        sequence=request.context.sequence,
        received_monotonic=request.incoming.received_monotonic,
        received_wall=request.incoming.received_wall,
        http_status=status,
        code=result.code if status is not None else None,
        message=result.message if status is not None else None,
        request_id=request_id,
        acted=result.acted,
        ignored=result.ignored,
        fault=request.faults.label,
    )


# ---- HTTP plumbing ----


class _SimHttpServer(ThreadingHTTPServer):
    """A thread per connection; counts and tracks connections so stop() can close idle keep-alives."""

    daemon_threads = True
    # A benchmark may open many connections at once; the default backlog of 5 would reset some.
    request_queue_size = 128

    def __init__(self, address: tuple[str, int], family: socket.AddressFamily, simulator: AgentApiSimulator) -> None:
        self.address_family = family
        self.simulator = simulator
        self.connections_accepted = 0
        self._open_connections: set[socket.socket] = set()
        self._connections_lock = threading.Lock()
        super().__init__(address, _ApiRequestHandler)

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


class _ApiRequestHandler(BaseHTTPRequestHandler):
    """HTTP/1.1 with keep-alive and a Content-Length on every answer; the logic is the simulator's."""

    protocol_version = "HTTP/1.1"
    server_version = "ptt-app-sim"
    sys_version = ""
    timeout = KEEP_ALIVE_IDLE_S
    # Small answers on a warm connection must not wait for the peer's delayed ACK.
    disable_nagle_algorithm = True
    server: _SimHttpServer

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
        incoming = _Incoming(self.command, self.path, body, self._received_monotonic, self._received_wall)
        simulator = self.server.simulator
        try:
            outcome = simulator._serve(incoming)
        except Exception:
            # A simulator bug must show up as a clear answer and a logged traceback, not a dead thread.
            _log.exception("the simulator failed on %s %s", self.command, self.path)
            message = "simulator internal error (see its log)"
            body_bytes = json_bytes(_answer_json(codes.GATEWAY_INTERNAL, message, f"sim-{uuid.uuid4().hex}"))
            outcome = _Outcome(_HttpReply(500, JSON_CONTENT_TYPE, body_bytes, close_connection=True))
        if outcome.reply is None:
            self.close_connection = True
            return
        if outcome.hold_answer_s > 0 and simulator._stopping.wait(outcome.hold_answer_s):
            self.close_connection = True
            return
        self._send(outcome.reply)

    def _send(self, reply: _HttpReply) -> None:
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

    def _read_body(self) -> _BodyRead:
        """The whole request body, so a keep-alive connection stays in step; any problem closes it."""
        try:
            encoding = self.headers.get("Transfer-Encoding", "").strip().lower()
            if encoding == "chunked":
                return _BodyRead(b"".join(_read_chunks(self.rfile)))
            if encoding:
                return self._unreadable(f"Transfer-Encoding {encoding!r} not supported")
            length_text = self.headers.get("Content-Length")
            if length_text is None:
                return _BodyRead(b"")
            if not length_text.strip().isdigit():
                return self._unreadable(f"Content-Length {length_text!r} is not a number")
            length = int(length_text)
            if length > MAX_REQUEST_BODY_BYTES:
                return self._unreadable(f"body of {length} bytes is above the {MAX_REQUEST_BODY_BYTES} byte limit")
            raw = self.rfile.read(length)
            if len(raw) < length:
                return self._unreadable(f"body cut off after {len(raw)} of {length} bytes")
            return _BodyRead(raw)
        except _BadChunk as error:
            return self._unreadable(str(error))
        except TimeoutError:
            return self._unreadable(f"body not received within {self.timeout:g} s")
        except OSError as error:
            return self._unreadable(f"connection failed while reading the body: {error}")

    def _unreadable(self, problem: str) -> _BodyRead:
        self.close_connection = True
        return _BodyRead(b"", problem)


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


# ---- console script ----


def main(argv: list[str] | None = None) -> int:
    """`ptt-app-sim`: serve the simulator on loopback until Ctrl+C (or SIGTERM)."""
    args = _argument_parser().parse_args(argv)
    if args.secret_stdin:
        secret = sys.stdin.readline().rstrip("\r\n")
        if not secret:
            print("ptt-app-sim: --secret-stdin given but stdin had no secret line", file=sys.stderr)
            return 2
    else:
        secret = DEMO_SERVER_SECRET
    try:
        config = SimConfig(
            app_id=args.app_id,
            server_secret=secret,
            host=args.host,
            port=args.port,
            walkie_talkie_mode=args.walkie_talkie_mode,
            ignored_sequence_code=args.ignored_sequence_code,
            rate_limit_per_s=args.rate_limit,
        )
        simulator = AgentApiSimulator(config)
        if args.delay > 0:
            simulator.add_fault(Fault(FaultKind.DELAY, seconds=args.delay))
        if args.stall_start > 0:
            simulator.add_fault(Fault(FaultKind.STALL, action=START_LISTENING, seconds=args.stall_start))
        simulator.start()
    except (ValueError, OSError) as error:
        print(f"ptt-app-sim: {error}", file=sys.stderr)
        return 2
    source = "secret from stdin" if args.secret_stdin else "demo secret DEMO_SERVER_SECRET"
    print(f"ptt-app-sim serving {simulator.base_url} AppId={config.app_id} ({source}); Ctrl+C stops", flush=True)
    _wait_for_interrupt()
    simulator.stop()
    return 0


def _argument_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ptt-app-sim",
        description="Local simulator of the ZEGOCLOUD AI Agent API (loopback only). "
        "The ServerSecret is never taken from the command line.",
    )
    parser.add_argument("--port", type=int, default=0, help="port to listen on; 0 picks a free one (printed)")
    parser.add_argument("--host", default="127.0.0.1", help="loopback address to bind (default 127.0.0.1)")
    parser.add_argument("--app-id", type=int, default=DEMO_APP_ID, help=f"AppId to accept (default {DEMO_APP_ID})")
    parser.add_argument(
        "--secret-stdin", action="store_true", help="read the ServerSecret from one stdin line, not the demo secret"
    )
    parser.add_argument(
        "--stall-start", type=_seconds, default=0.0, metavar="S", help="hold every StartListening answer S seconds"
    )
    parser.add_argument(
        "--delay", type=_seconds, default=0.0, metavar="S", help="delay every request S seconds before acting"
    )
    parser.add_argument(
        "--walkie-talkie-mode", type=int, default=2, help="CommunicationMode value of walkie-talkie (default 2)"
    )
    parser.add_argument(
        "--ignored-sequence-code", type=int, default=0, help="Code answered to a request not acted on by Sequence"
    )
    parser.add_argument(
        "--rate-limit", type=float, default=None, metavar="N", help="requests per second per Action (default off)"
    )
    return parser


def _seconds(text: str) -> float:
    value = float(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"seconds must not be negative, got {text}")
    return value


def _wait_for_interrupt() -> None:
    """Block until Ctrl+C or SIGTERM, so a supervisor's stop also closes connections cleanly."""
    stop_requested = threading.Event()
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, lambda _signum, _frame: stop_requested.set())
    try:
        while not stop_requested.wait(0.5):
            pass
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    sys.exit(main())
