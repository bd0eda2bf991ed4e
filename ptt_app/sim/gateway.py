"""The gateway in front of every action: public query parameters, signature v2.0, time window, nonce, AppId.

Each failed check answers the documented common code of its concern (100000001-100000014). The
gateway also keeps the simulator-only rate limit, which the reference documents without a Code.
"""

from __future__ import annotations

import heapq
import hmac
import re
import threading
from collections.abc import Callable

from ptt_app.api import codes
from ptt_app.api.signing import SIGNATURE_VERSION, sign_request
from ptt_app.sim.config import SimConfig
from ptt_app.sim.protocol import ACTIONS, Rejected, invalid

# The public parameters: every other query parameter of a GET call is a business parameter.
PUBLIC_PARAMETERS = frozenset({"Action", "AppId", "SignatureNonce", "Timestamp", "Signature", "SignatureVersion"})

# A reused nonce is answered "gateway authentication failed": the reference documents no replay code,
# and of the documented ones this is the only one true of a replay. 100000005 ("signature error") would
# send the operator hunting for a wrong ServerSecret although the signature itself is right.
NONCE_REUSED_CODE = codes.GATEWAY_AUTH_FAILED

_UINT32_MAX = 2**32 - 1
_INT64_MIN, _INT64_MAX = -(2**63), 2**63 - 1
_DIGITS = re.compile(r"[0-9]{1,10}")
_SIGNED_DIGITS = re.compile(r"-?[0-9]{1,19}")
_NONCE = re.compile(r"[0-9a-fA-F]{16}")


class Gateway:
    """The common checks of one request, in the order of the documented codes' concerns."""

    def __init__(self, config: SimConfig, clock: Callable[[], float]) -> None:
        self._config = config
        self._clock = clock
        self._nonces = NonceLedger()

    def check(self, query: dict[str, list[str]], action: str, host_header: str = "") -> None:
        """Raise Rejected with the documented code of the first check that fails."""
        expected = self._config.expected_host
        if expected is not None and _host_name(host_header) != expected.lower():
            raise Rejected(codes.WRONG_HOST, f"Host {host_header!r} is not {expected!r}")
        if not action:
            raise Rejected(codes.ACTION_EMPTY, "Action is empty")
        single(query, "Action")
        if action not in ACTIONS:
            raise Rejected(codes.ACTION_UNSUPPORTED, f"Action {action!r} is not supported")
        app_id = self._checked_app_id(single(query, "AppId"))
        _check_signature_version(single(query, "SignatureVersion"))
        nonce = self._checked_nonce(single(query, "SignatureNonce"))
        timestamp = self._checked_timestamp(single(query, "Timestamp"))
        self._check_signature(single(query, "Signature"), app_id, nonce, timestamp)
        expiry = timestamp + self._config.timestamp_window_s
        if not self._nonces.remember(nonce, expiry, now=self._clock()):
            raise Rejected(NONCE_REUSED_CODE, "SignatureNonce already used")

    def _checked_app_id(self, text: str) -> int:
        if not _DIGITS.fullmatch(text) or int(text) > _UINT32_MAX:
            raise Rejected(codes.APP_ID_FORMAT, f"AppId {text!r} is not an unsigned 32-bit integer")
        if int(text) != self._config.app_id:
            raise Rejected(codes.SECRET_NOT_FOUND, f"no ServerSecret for AppId {int(text)}")
        return int(text)

    def _checked_nonce(self, text: str) -> str:
        if not text:
            raise Rejected(codes.NONCE_EMPTY, "SignatureNonce is empty")
        if self._config.strict_nonce_format and not _NONCE.fullmatch(text):
            raise invalid("SignatureNonce must be 16 hex characters")
        return text

    def _checked_timestamp(self, text: str) -> int:
        if not text:
            raise Rejected(codes.TIMESTAMP_EMPTY, "Timestamp is empty")
        if not _SIGNED_DIGITS.fullmatch(text) or not _INT64_MIN <= int(text) <= _INT64_MAX:
            raise Rejected(codes.TIMESTAMP_FORMAT, f"Timestamp {text!r} is not an integer number of seconds")
        timestamp = int(text)
        skew = timestamp - self._clock()
        if abs(skew) > self._config.timestamp_window_s:
            raise Rejected(
                codes.SIGNATURE_EXPIRED,
                f"signature expired: Timestamp is {skew:+.0f} s from the server's clock, "
                f"more than the {self._config.timestamp_window_s} s allowed",
            )
        return timestamp

    def _check_signature(self, given: str, app_id: int, nonce: str, timestamp: int) -> None:
        if not given:
            raise Rejected(codes.SIGNATURE_EMPTY, "Signature is empty")
        expected = sign_request(app_id, nonce, self._config.server_secret, timestamp)
        if not hmac.compare_digest(expected.encode("utf-8"), given.encode("utf-8")):
            raise Rejected(codes.SIGNATURE_WRONG, "Signature is wrong")


def single(query: dict[str, list[str]], name: str) -> str:
    """The one value of a query parameter ("" when absent); given twice it is 410000003."""
    values = query.get(name, [])
    if len(values) > 1:
        raise invalid(f"{name} is given {len(values)} times; give it once")
    return values[0] if values else ""


def _host_name(host_header: str) -> str:
    """The name of a Host header, without its port ("[::1]:80" -> "[::1]")."""
    name = host_header.strip().lower()
    if name.startswith("["):
        return name.split("]", 1)[0] + "]"
    return name.rsplit(":", 1)[0] if name.count(":") == 1 else name


def _check_signature_version(text: str) -> None:
    if not text:
        raise Rejected(codes.SIGNATURE_VERSION_EMPTY, "SignatureVersion is empty")
    if text != SIGNATURE_VERSION:
        raise Rejected(codes.SIGNATURE_VERSION_UNSUPPORTED, f"SignatureVersion {text!r} not supported (only 2.0)")


class NonceLedger:
    """Nonces seen, each kept until its Timestamp leaves the window (after which the window refuses a replay)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._expiry: dict[str, float] = {}
        self._heap: list[tuple[float, str]] = []

    def remember(self, nonce: str, expiry: float, now: float) -> bool:
        """True for a nonce not seen before (now remembered); False for a replay."""
        key = nonce.lower()
        with self._lock:
            while self._heap and self._heap[0][0] < now:
                _, expired = heapq.heappop(self._heap)
                if self._expiry.get(expired, now + 1) < now:
                    del self._expiry[expired]
            if key in self._expiry:
                return False
            self._expiry[key] = expiry
            heapq.heappush(self._heap, (expiry, key))
            return True


class RateLimiter:
    """At most `rate` requests per second per Action, bursts up to max(1, rate); simulator-only."""

    def __init__(self, rate: float | None, monotonic: Callable[[], float]) -> None:
        self._rate = rate
        self._monotonic = monotonic
        self._lock = threading.Lock()
        self._buckets: dict[str, tuple[float, float]] = {}  # action -> (tokens, updated)

    @property
    def rate(self) -> float | None:
        """Requests per second allowed per Action, or None when there is no limit."""
        return self._rate

    def allow(self, action: str) -> bool:
        """Take a token for one request of `action`; False when the Action is over its rate."""
        if self._rate is None:
            return True
        capacity = max(1.0, self._rate)
        now = self._monotonic()
        with self._lock:
            tokens, updated = self._buckets.get(action, (capacity, now))
            tokens = min(capacity, tokens + (now - updated) * self._rate)
            allowed = tokens >= 1.0
            self._buckets[action] = (tokens - 1.0 if allowed else tokens, now)
            return allowed
