"""Settings of one simulator (SimConfig), the room states of a user, and the demo credentials.

Every value the reference leaves open is a setting here, with a comment saying what the reference says.
"""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass, field
from enum import Enum

# Public, simulator-only credentials for `ptt-app-sim` without --secret-stdin. They open nothing real.
DEMO_APP_ID = 1234567890
DEMO_SERVER_SECRET = "simulatorOnlyDemoSecretNotReal00"
# The agent a fresh simulator knows as registered (the demo creates its instance with it).
DEFAULT_AGENT_ID = "demo-agent"

_UINT32_MAX = 2**32 - 1


class UserState(str, Enum):
    """Where the real user of an agent instance is in its RTC room."""

    PUBLISHING = "publishing"  # in the room, publishing audio: StartListening works
    SILENT = "silent"  # in the room, not publishing: StartListening answers 410001046
    ABSENT = "absent"  # not in the room: 410001046, and after MaxIdleTime the instance is deleted


class RtcIdConflict(str, Enum):
    """What CreateAgentInstance does with an AgentStreamId/AgentUserId already used by a live instance.

    The reference documents only the consequence (a later instance on a used AgentStreamId fails to
    publish; an earlier instance with the same AgentUserId is kicked from its room; an AgentUserId equal
    to a real UserId makes them kick each other), no Code. AS_DOCUMENTED (the default) answers 0 and plays
    out the documented consequence (the failing instance is deleted, later calls on it get 410001002);
    REJECT is simulator-only: it answers 410000003 naming the field, a code the reference does not give
    for this, so that a test can see the mistake at once."""

    REJECT = "reject"
    AS_DOCUMENTED = "as_documented"


@dataclass(frozen=True)
class SimConfig:
    """How one simulator behaves. Defaults follow the reference; the rest is said per field."""

    app_id: int
    server_secret: str = field(repr=False)
    host: str = "127.0.0.1"
    port: int = 0
    # Serve HTTPS with a throw-away self-signed certificate (see AgentApiSimulator.ca_certificate_path).
    tls: bool = False
    # The real gateway answers 100000000 to a wrong Host header; the simulator has no name of its own, so
    # it checks the Host header (name, without port) only when this is set.
    expected_host: str | None = None
    # "at most 10 minutes of error" between Timestamp and the server's clock.
    timestamp_window_s: int = 600
    # The reference documents 10 requests/s per interface but no Code for exceeding it: None = no limit;
    # a number limits each Action to that rate and answers HTTP 429 with a JSON Message and no Code.
    rate_limit_per_s: float | None = None
    # The reference's SignatureNonce is "a 16-character hexadecimal random string" (yet its own example is
    # 14 decimal digits): True answers 410000003 to any other form, False accepts any non-empty nonce.
    strict_nonce_format: bool = True
    # AgentIds that RegisterAgent would have registered; CreateAgentInstance with any other is 410001009.
    registered_agents: tuple[str, ...] = (DEFAULT_AGENT_ID,)
    # "By default, each account can have at most 10 AI agent instances" (410000011 beyond).
    max_instances: int = 10
    # Where the real user of a new instance is; the reference has no such setting (it is the user's client).
    user_state: UserState = UserState.PUBLISHING
    # How long the agent thinks after StopListening (or SendAgentInstanceLLM), then speaks its answer;
    # the reference gives the order of the states, not their length.
    thinking_s: float = 1.0
    speaking_s: float = 2.0
    # "Enqueue: queue up to wait, the maximum number of queues is 5".
    max_queued_tasks: int = 5
    rtc_id_conflict: RtcIdConflict = RtcIdConflict.AS_DOCUMENTED

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
        if self.max_instances < 0:
            raise ValueError(f"max_instances must not be negative, got {self.max_instances}")
        if self.thinking_s < 0 or self.speaking_s < 0:
            raise ValueError("thinking_s and speaking_s must not be negative")
        if self.max_queued_tasks < 0:
            raise ValueError(f"max_queued_tasks must not be negative, got {self.max_queued_tasks}")
        # Strings are accepted for the enums, as a command line or a settings file gives them.
        object.__setattr__(self, "user_state", UserState(self.user_state))
        object.__setattr__(self, "rtc_id_conflict", RtcIdConflict(self.rtc_id_conflict))
        object.__setattr__(self, "registered_agents", tuple(self.registered_agents))
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
