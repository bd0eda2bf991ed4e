"""The AI Agent API simulator on a loopback port: AgentApiSimulator, for tests, benchmarks and --demo.

It serves every call the way the reference documents it (gateway checks in gateway.py, body schemas in
schemas.py, agent behaviour in model.py), injects faults on demand (faults.py), answers simulator-only
control requests (control.py) and records everything it received (records.py). Qt-free, loopback only.
"""

from __future__ import annotations

import dataclasses
import json
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, urlsplit

from ptt_app.api import codes
from ptt_app.sim.config import (
    DEFAULT_AGENT_ID,
    DEMO_APP_ID,
    DEMO_SERVER_SECRET,
    RtcIdConflict,
    SimConfig,
    UserState,
    loopback_family,
)
from ptt_app.sim.control import ControlRequests, is_control_path
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
from ptt_app.sim.gateway import NONCE_REUSED_CODE, PUBLIC_PARAMETERS, Gateway, RateLimiter, single
from ptt_app.sim.model import DEFAULT_MAX_IDLE_TIME_S, WALKIE_TALKIE, AgentInstance, AgentModel, AgentStatus, NewInstance
from ptt_app.sim.protocol import (
    JSON_CONTENT_TYPE,
    ActionResult,
    Rejected,
    answer_json,
    invalid,
    new_request_id,
    refused,
)
from ptt_app.sim.records import ReceivedRequest, RequestLog
from ptt_app.sim.schemas import body_from_query, check_body
from ptt_app.sim.server import ACCEPT_POLL_S, HttpReply, Incoming, Outcome, SimHttpServer
from ptt_app.sim.tls import TlsIdentity, make_tls_identity

__all__ = [
    "DEFAULT_AGENT_ID",
    "DEMO_APP_ID",
    "DEMO_SERVER_SECRET",
    "NONCE_REUSED_CODE",
    "AgentApiSimulator",
    "AgentInstance",
    "AgentStatus",
    "Fault",
    "FaultKind",
    "ReceivedRequest",
    "RtcIdConflict",
    "SimConfig",
    "UserState",
    "main",
]

ALLOWED_METHODS = ("GET", "POST")  # "The server API supports the following HTTP request methods: GET, POST"


class AgentApiSimulator:
    """The AI Agent API on a loopback port: start()/stop() or use as a context manager.

    `clock` is the wall clock the Timestamp window is checked against; `monotonic` drives the agent
    model (turn phases, MaxIdleTime, graceful shutdown, rate limit), so a test can step time."""

    def __init__(
        self,
        config: SimConfig,
        *,
        clock: Callable[[], float] = time.time,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._config = config
        self._faults = FaultInjector()
        self._model = AgentModel(config, monotonic, clock)
        self._gateway = Gateway(config, clock)
        self._rate_limiter = RateLimiter(config.rate_limit_per_s, monotonic)
        self._control = ControlRequests(self._model)
        self._log = RequestLog()
        self._stopping = threading.Event()
        self._server: SimHttpServer | None = None
        self._thread: threading.Thread | None = None
        self._tls: TlsIdentity | None = None

    # ---- lifecycle ----

    def start(self) -> None:
        """Bind the port (making the TLS certificate first if asked) and serve in a daemon thread."""
        if self._server is not None:
            raise RuntimeError("the simulator was already started; create a new one")
        family = loopback_family(self._config.host)
        if self._config.tls:
            self._tls = make_tls_identity()
        context = self._tls.server_context() if self._tls is not None else None
        address = (self._config.host, self._config.port)
        self._server = SimHttpServer(address, family, self._serve, self._stopping, context)
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
        if self._tls is not None:
            self._tls.remove()

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
        """The endpoint to give a client: http://127.0.0.1:PORT, or https://... with SimConfig(tls=True)."""
        host = str(self._require_server().server_address[0])
        scheme = "https" if self._config.tls else "http"
        return f"{scheme}://[{host}]:{self.port}" if ":" in host else f"{scheme}://{host}:{self.port}"

    @property
    def ca_certificate_path(self) -> str | None:
        """With SimConfig(tls=True): the PEM file a client trusts (`verify=`); None without TLS."""
        self._require_server()
        return str(self._tls.certificate_path) if self._tls is not None else None

    def connections_accepted(self) -> int:
        """How many TCP connections were accepted so far: keep-alive reuses one."""
        return self._require_server().connections_accepted

    def _require_server(self) -> SimHttpServer:
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

    # ---- the simulated world, for tests, benchmarks and the demo ----

    def create_instance(
        self,
        agent_id: str = DEFAULT_AGENT_ID,
        user_id: str = "demo-user",
        communication_mode: int | None = WALKIE_TALKIE,
        *,
        interrupt_mode: int = 1,
        max_idle_time_s: int = DEFAULT_MAX_IDLE_TIME_S,
        user_state: UserState | str | None = None,
        rtc: dict[str, str] | None = None,
        disable_tts: bool = False,
    ) -> str:
        """Create an instance without HTTP and return its AgentInstanceId. Walkie-talkie unless told
        otherwise (None also means walkie-talkie); RTC ids made up and unique unless given; the agent is
        registered if it was not; user_state defaults to SimConfig.user_state. The instance limit and
        RTC id clashes still apply: ValueError names the Code the API would answer."""
        tag = secrets.token_hex(4)
        spec = NewInstance(
            agent_id=agent_id,
            user_id=user_id,
            rtc=rtc or {
                "RoomId": f"sim-room-{tag}",
                "AgentStreamId": f"sim-agent-stream-{tag}",
                "AgentUserId": f"sim-agent-{tag}",
                "UserStreamId": f"sim-user-stream-{tag}",
            },
            communication_mode=WALKIE_TALKIE if communication_mode is None else communication_mode,
            interrupt_mode=interrupt_mode,
            max_idle_time_s=max_idle_time_s,
            disable_tts=disable_tts,
            user_state=UserState(user_state) if user_state is not None else None,
        )
        try:
            return self._model.create(spec)
        except Rejected as rejection:
            raise ValueError(f"Code {rejection.code}: {rejection.message}") from None

    def register_agent(self, agent_id: str) -> None:
        """Count `agent_id` as registered, so CreateAgentInstance accepts it."""
        self._model.register_agent(agent_id)

    def set_user_state(
        self, state: UserState | str, agent_instance_id: str | None = None, *, user_id: str | None = None
    ) -> list[str]:
        """Put the real user in a room state: of one instance, or (None) of every live instance and of
        those created later. KeyError for an unknown instance. Returns the instance ids changed."""
        return self._model.set_user_state(UserState(state), agent_instance_id, user_id)

    def instances(self) -> list[AgentInstance]:
        """Copies of the instances that exist now."""
        return self._model.snapshots()

    def instance(self, agent_instance_id: str) -> AgentInstance | None:
        """A copy of one instance, or None when it does not exist (any more)."""
        return self._model.snapshot(agent_instance_id)

    def status_of(self, agent_instance_id: str) -> str | None:
        """The instance's Status (IDLE, LISTENING, THINKING, SPEAKING), or None when it does not exist."""
        instance = self._model.snapshot(agent_instance_id)
        return instance.status if instance is not None else None

    def is_listening(self, agent_instance_id: str) -> bool:
        """True while the instance exists and is LISTENING."""
        return self.status_of(agent_instance_id) == AgentStatus.LISTENING.value

    def received(self) -> list[ReceivedRequest]:
        """Every API request received (the newest 100,000), oldest first; control requests are not kept."""
        return self._log.all()

    def clear_received(self) -> None:
        """Forget the received requests (not the instances, nonces or Sequences)."""
        self._log.clear()

    def last_acted(self, agent_instance_id: str) -> ReceivedRequest | None:
        """The last StartListening/StopListening actually acted on for the instance, if any."""
        return self._log.last_acted(agent_instance_id)

    # ---- one request ----

    def _serve(self, incoming: Incoming) -> Outcome:
        """Everything one request gets, faults included; runs on the connection's thread. A request
        whose DELAY is cut short by stop() is neither acted on nor recorded."""
        target = urlsplit(incoming.target)
        if is_control_path(target.path):
            return Outcome(self._control.answer(incoming, target.path))
        query = parse_qs(target.query, keep_blank_values=True)
        action = _first(query, "Action")
        faults = self._faults.faults_for(action)
        if faults.delay_before_s > 0 and self._stopping.wait(faults.delay_before_s):
            return Outcome(None)
        request = _RequestView(incoming, target.path, query, action, _BodyContext.of(incoming, query, action), faults)
        fault = faults.answer_fault
        if fault is not None and fault.kind not in MANGLING_KINDS:
            reply = self._replace_answer(fault, request)
        else:
            reply = self._api_reply(request)
        return Outcome(reply, faults.hold_answer_s)

    def _api_reply(self, request: _RequestView) -> HttpReply:
        """Check, act, record, then the JSON answer (broken if a body-breaking fault applies)."""
        request_id = new_request_id()
        try:
            status, result = 200, self._answer(request)
        except _RateLimited as limited:
            return self._rate_limited_reply(request, request_id, limited.message)
        except Rejected as rejection:
            status, result = rejection.http_status, refused(rejection)
        answer = answer_json(result.code, result.message, request_id, result.data)
        fault = request.faults.answer_fault
        body = mangled_answer_body(fault.kind, answer) if fault is not None else json_bytes(answer)
        self._log.add(_record_of(request, status, result, request_id), result.act_order)
        allow = (("Allow", ", ".join(ALLOWED_METHODS)),) if status == 405 else ()
        close = request.incoming.body.problem is not None
        return HttpReply(status, JSON_CONTENT_TYPE, body, headers=allow, close_connection=close)

    def _answer(self, request: _RequestView) -> ActionResult:
        """The API answer of one request, acting on it when every check passes."""
        method, path = request.incoming.method, request.path
        if path not in ("", "/"):
            raise Rejected(codes.INVALID_PARAMETER, f"no API at path {path!r}: every call is /?Action=...", 404)
        if method not in ALLOWED_METHODS:
            raise Rejected(codes.INVALID_PARAMETER, f"method {method} not allowed: use POST (or GET)", 405)
        self._gateway.check(request.query, request.action, request.incoming.host_header)
        if not self._rate_limiter.allow(request.action):
            raise _RateLimited(
                f"rate limited: more than {self._rate_limiter.rate:g} {request.action} requests per second"
            )
        body = _checked_body(request)
        return self._model.act(request.action, body)

    def _rate_limited_reply(self, request: _RequestView, request_id: str, message: str) -> HttpReply:
        # No Code: the reference documents the limit but no code for exceeding it, and a number would
        # mean something else on the real server.
        result = ActionResult(code=-1, message=message, acted=False)
        record = dataclasses.replace(_record_of(request, 429, result, request_id), code=None)
        self._log.add(record, act_order=0)
        answer = {"Message": message, "RequestId": request_id}
        return HttpReply(429, JSON_CONTENT_TYPE, json_bytes(answer), headers=(("Retry-After", "1"),))

    def _replace_answer(self, fault: Fault, request: _RequestView) -> HttpReply | None:
        """The answer of a fault that keeps the request from the API logic: it is not acted on."""
        if fault.kind is FaultKind.FORCED_CODE:
            request_id = new_request_id()
            code = DEFAULT_FORCED_CODE if fault.code is None else fault.code
            result = ActionResult(code, "forced by the simulator's FORCED_CODE fault; not acted on", acted=False)
            self._log.add(_record_of(request, 200, result, request_id), act_order=0)
            return HttpReply(200, JSON_CONTENT_TYPE, json_bytes(answer_json(code, result.message, request_id)))
        reply: HttpReply | None = None
        if fault.kind is FaultKind.HTTP_502_HTML:
            reply = HttpReply(502, "text/html", bad_gateway_page())
        elif fault.kind is FaultKind.REDIRECT:
            location = fault.location or f"{self.base_url}/moved"
            reply = HttpReply(302, "text/html; charset=utf-8", redirect_page(location), headers=(("Location", location),))
        status = None if reply is None else reply.status
        record = _record_of(request, status, ActionResult(acted=False), None)
        self._log.add(dataclasses.replace(record, code=None, message=None), act_order=0)
        return reply


class _RateLimited(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


# ---- helpers of one request ----


@dataclass(frozen=True)
class _BodyContext:
    """The body parsed once: what the record shows of it, even when the request is refused."""

    parsed: Any
    json_error: str | None

    @classmethod
    def of(cls, incoming: Incoming, query: dict[str, list[str]], action: str) -> _BodyContext:
        if incoming.method == "GET":
            params = {name: values[0] for name, values in query.items() if name not in PUBLIC_PARAMETERS}
            return cls(body_from_query(action, params), None)
        try:
            return cls(json.loads(incoming.body.raw.decode("utf-8"), parse_constant=_reject_constant), None)
        except UnicodeDecodeError:
            return cls(None, "not UTF-8")
        except ValueError as error:
            return cls(None, str(error))
        except RecursionError:
            return cls(None, "nested too deeply")

    def field(self, name: str) -> Any:
        """A top-level body field, or None."""
        return self.parsed.get(name) if isinstance(self.parsed, dict) else None


def _reject_constant(name: str) -> Any:
    # json accepts NaN and Infinity, which are not JSON.
    raise ValueError(f"{name} is not valid JSON")


@dataclass(frozen=True)
class _RequestView:
    """One request as the API logic sees it, after any DELAY."""

    incoming: Incoming
    path: str
    query: dict[str, list[str]]
    action: str
    context: _BodyContext
    faults: RequestFaults


def _first(query: dict[str, list[str]], name: str) -> str:
    values = query.get(name)
    return values[0] if values else ""


def _checked_body(request: _RequestView) -> dict[str, Any]:
    body, context = request.incoming.body, request.context
    if body.problem is not None:
        raise Rejected(codes.BODY_UNREADABLE, f"request body could not be read: {body.problem}")
    if context.json_error is not None:
        raise Rejected(codes.BODY_NOT_JSON, f"body is not valid JSON: {context.json_error}")
    if request.incoming.method == "GET":
        for name in context.parsed:
            single(request.query, name)
    if not isinstance(context.parsed, dict):
        raise invalid("body must be a JSON object")
    return check_body(request.action, context.parsed)


def _record_of(request: _RequestView, status: int | None, result: ActionResult, request_id: str | None) -> ReceivedRequest:
    context = request.context
    instance_id, user_id, sequence = context.field("AgentInstanceId"), context.field("UserId"), context.field("Sequence")
    answered = status is not None
    return ReceivedRequest(
        action=request.action,
        query={name: values[0] for name, values in request.query.items()},
        body=context.parsed,
        agent_instance_id=instance_id if isinstance(instance_id, str) else None,
        user_id=result.user_id or (user_id if isinstance(user_id, str) and user_id else None),
        sequence=sequence if isinstance(sequence, int) and not isinstance(sequence, bool) else None,
        received_monotonic=request.incoming.received_monotonic,
        received_wall=request.incoming.received_wall,
        http_status=status,
        code=result.code if answered else None,
        message=result.message if answered else None,
        request_id=request_id,
        acted=result.acted,
        ignored=result.ignored,
        fault=request.faults.label,
        method=request.incoming.method,
        round=result.round,
    )


def main(argv: list[str] | None = None) -> int:
    """`ptt-app-sim` (the console script's entry point): see ptt_app/sim/__main__.py."""
    from ptt_app.sim.__main__ import run

    return run(argv)
