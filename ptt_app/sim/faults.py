"""Faults the local API simulator can inject: kinds, the knobs of one fault, and broken answer bodies.

Standard library only and Qt-free, like ptt_app.sim, which re-exports Fault and FaultKind.
"""

from __future__ import annotations

import dataclasses
import json
import random
import threading
from dataclasses import dataclass
from enum import Enum
from typing import Any

# What a FORCED_CODE fault answers when it names no code: the documented "system error".
DEFAULT_FORCED_CODE = 410000001
# HUGE_BODY answers about this many bytes: far above any sane answer, to test the client's size cap.
HUGE_BODY_BYTES = 10 * 1024 * 1024
# How long a STALL (or a chaos-run DELAY) holds by default: above the client's usual 5 s read timeout.
DEFAULT_TIMEOUT_STALL_S = 6.0


class FaultKind(str, Enum):
    """What goes wrong with one request, and whether the simulator acted on it anyway.

    Acted on normally, answered late:
      DELAY: waits `seconds` *before* acting, as if the request arrived late (reorders requests).
      STALL: acts at once, then holds the answer `seconds`, as if the answer were late (a client
             timeout on a request the server did act on). stop() cuts the hold short and closes the
             connection without an answer.
    Not acted on (the request never reaches the API logic; its nonce is not consumed):
      DROP: closes the connection without any response.
      HTTP_502_HTML: answers 502 with an HTML error page, as a failing proxy does.
      REDIRECT: answers 302 with Location `location`.
      FORCED_CODE: answers HTTP 200 with Code `code` (default 410000001).
    Acted on normally, then the answer body is broken:
      TRUNCATED_JSON: the JSON answer cut in half, with a matching Content-Length.
      EMPTY_BODY: HTTP 200 with an empty body.
      JSON_WITHOUT_CODE: the JSON answer without its Code field.
      CODE_AS_STRING: the JSON answer with Code as a string, e.g. "0".
      HUGE_BODY: the JSON answer padded to about 10 MiB.
    """

    DELAY = "DELAY"
    STALL = "STALL"
    DROP = "DROP"
    HTTP_502_HTML = "HTTP_502_HTML"
    REDIRECT = "REDIRECT"
    FORCED_CODE = "FORCED_CODE"
    TRUNCATED_JSON = "TRUNCATED_JSON"
    EMPTY_BODY = "EMPTY_BODY"
    JSON_WITHOUT_CODE = "JSON_WITHOUT_CODE"
    CODE_AS_STRING = "CODE_AS_STRING"
    HUGE_BODY = "HUGE_BODY"


TIMING_KINDS = frozenset({FaultKind.DELAY, FaultKind.STALL})
# The request is not acted on: the simulator answers (or drops) instead of the API logic.
REPLACING_KINDS = frozenset({FaultKind.DROP, FaultKind.HTTP_502_HTML, FaultKind.REDIRECT, FaultKind.FORCED_CODE})
# The request is acted on; only the body of its answer is broken.
MANGLING_KINDS = frozenset(
    {
        FaultKind.TRUNCATED_JSON,
        FaultKind.EMPTY_BODY,
        FaultKind.JSON_WITHOUT_CODE,
        FaultKind.CODE_AS_STRING,
        FaultKind.HUGE_BODY,
    }
)


@dataclass
class Fault:
    """One injected fault: what kind, for which Action (None = any), how many times (None = until cleared)."""

    kind: FaultKind
    action: str | None = None
    times: int | None = None
    seconds: float = 0.0
    code: int | None = None
    location: str | None = None

    def __post_init__(self) -> None:
        self.kind = FaultKind(self.kind)
        if self.times is not None and self.times < 1:
            raise ValueError(f"Fault.times must be at least 1 or None, got {self.times}")
        if self.seconds < 0:
            raise ValueError(f"Fault.seconds must not be negative, got {self.seconds}")

    def matches(self, action: str) -> bool:
        """True when this fault applies to a request for `action`."""
        return self.action is None or self.action == action


@dataclass(frozen=True)
class RequestFaults:
    """What the injected faults do to one request."""

    delay_before_s: float = 0.0
    hold_answer_s: float = 0.0
    answer_fault: Fault | None = None
    labels: tuple[str, ...] = ()

    @property
    def label(self) -> str | None:
        """The fault kinds applied, joined with "+", or None when the request is left alone."""
        return "+".join(self.labels) or None


@dataclass(frozen=True)
class RandomFaults:
    """Settings of a chaos run; see FaultInjector.set_random."""

    rate: float
    kinds: tuple[FaultKind, ...]
    seed: int
    delay_range_s: tuple[float, float]
    timeout_stall_s: float


class FaultInjector:
    """The faults set on a simulator, safe to change while requests are being served."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._faults: list[Fault] = []
        self._random: RandomFaults | None = None
        self._rng = random.Random()

    def add(self, fault: Fault) -> None:
        """Add a fault; a copy is kept so the caller's object never changes under it."""
        with self._lock:
            self._faults.append(dataclasses.replace(fault))

    def clear(self) -> None:
        """Remove every fault, random ones included."""
        with self._lock:
            self._faults.clear()
            self._random = None

    def set_random(
        self,
        rate: float,
        kinds: list[FaultKind],
        seed: int,
        delay_range_s: tuple[float, float] = (0.0, 0.0),
        timeout_stall_s: float = DEFAULT_TIMEOUT_STALL_S,
    ) -> None:
        """Chaos: every request waits a uniform delay from delay_range_s before acting, and with
        probability `rate` gets one of `kinds` (DELAY and STALL then hold timeout_stall_s).
        The draws are a fixed sequence from `seed`; which request gets which draw is arrival order."""
        low, high = delay_range_s
        if not 0.0 <= rate <= 1.0:
            raise ValueError(f"rate must be within [0, 1], got {rate}")
        if low < 0 or high < low:
            raise ValueError(f"delay_range_s must be (low, high) with 0 <= low <= high, got {delay_range_s}")
        if rate > 0 and not kinds:
            raise ValueError("kinds must not be empty when rate is above 0")
        if timeout_stall_s < 0:
            raise ValueError(f"timeout_stall_s must not be negative, got {timeout_stall_s}")
        settings = RandomFaults(rate, tuple(FaultKind(kind) for kind in kinds), seed, (low, high), timeout_stall_s)
        with self._lock:
            self._random = settings
            self._rng = random.Random(seed)

    def faults_for(self, action: str) -> RequestFaults:
        """Consume and combine the faults matching one request: every matching DELAY and STALL adds
        up; the first matching fault of any other kind decides the answer."""
        delay_s = hold_s = 0.0
        answer_fault: Fault | None = None
        labels: list[str] = []
        with self._lock:
            for fault in list(self._faults):
                if not fault.matches(action):
                    continue
                if fault.kind in TIMING_KINDS:
                    delay_s, hold_s = _add_timing(fault.kind, fault.seconds, delay_s, hold_s)
                elif answer_fault is None:
                    answer_fault = fault
                else:
                    continue
                labels.append(fault.kind.value)
                self._consume(fault)
            if self._random is not None:
                random_delay_s, random_fault = self._draw(self._random)
                delay_s += random_delay_s
                if random_fault is not None and random_fault.kind in TIMING_KINDS:
                    delay_s, hold_s = _add_timing(random_fault.kind, random_fault.seconds, delay_s, hold_s)
                    labels.append(random_fault.kind.value)
                elif random_fault is not None and answer_fault is None:
                    answer_fault = random_fault
                    labels.append(random_fault.kind.value)
        return RequestFaults(delay_s, hold_s, answer_fault, tuple(labels))

    def _consume(self, fault: Fault) -> None:
        if fault.times is None:
            return
        fault.times -= 1
        if fault.times == 0:
            self._faults.remove(fault)

    def _draw(self, settings: RandomFaults) -> tuple[float, Fault | None]:
        # Always three draws per request, so the sequence of outcomes depends only on the seed.
        delay_s = self._rng.uniform(*settings.delay_range_s)
        chance = self._rng.random()
        index = self._rng.randrange(len(settings.kinds)) if settings.kinds else 0
        if chance >= settings.rate or not settings.kinds:
            return delay_s, None
        kind = settings.kinds[index]
        seconds = settings.timeout_stall_s if kind in TIMING_KINDS else 0.0
        code = DEFAULT_FORCED_CODE if kind is FaultKind.FORCED_CODE else None
        return delay_s, Fault(kind, seconds=seconds, code=code)


def _add_timing(kind: FaultKind, seconds: float, delay_s: float, hold_s: float) -> tuple[float, float]:
    if kind is FaultKind.DELAY:
        return delay_s + seconds, hold_s
    return delay_s, hold_s + seconds


def mangled_answer_body(kind: FaultKind, answer: dict[str, Any]) -> bytes:
    """The broken body a MANGLING_KINDS fault sends in place of the JSON `answer`."""
    if kind is FaultKind.EMPTY_BODY:
        return b""
    if kind is FaultKind.TRUNCATED_JSON:
        whole = json_bytes(answer)
        # Half of a JSON object always lacks its closing brace, so it can never parse.
        return whole[: max(1, len(whole) // 2)]
    if kind is FaultKind.JSON_WITHOUT_CODE:
        return json_bytes({name: value for name, value in answer.items() if name != "Code"})
    if kind is FaultKind.CODE_AS_STRING:
        return json_bytes({**answer, "Code": str(answer.get("Code"))})
    if kind is FaultKind.HUGE_BODY:
        padding = max(0, HUGE_BODY_BYTES - len(json_bytes(answer)) - len(',"Padding":""'))
        return json_bytes({**answer, "Padding": "x" * padding})
    raise ValueError(f"{kind.value} does not change an answer body")


def json_bytes(value: Any) -> bytes:
    """Compact UTF-8 JSON, as the simulator answers."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def bad_gateway_page() -> bytes:
    """The HTML page of an HTTP_502_HTML fault, like a reverse proxy's."""
    return (
        b"<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
        b"<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>ptt-app-sim</center>\r\n"
        b"</body>\r\n</html>\r\n"
    )


def redirect_page(location: str) -> bytes:
    """The small HTML body sent along with a REDIRECT fault's 302."""
    escaped = location.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    return f'<html><body>Moved to <a href="{escaped}">{escaped}</a></body></html>\r\n'.encode()
