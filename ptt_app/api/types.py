"""What the API client and everything above it share: actions, credentials, results, request bodies.

No transport here: the talk engine and the journal use these records without importing `requests`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Any, Protocol

from ptt_app.api import codes

START_LISTENING = "StartListening"
STOP_LISTENING = "StopListening"
CREATE_AGENT_INSTANCE = "CreateAgentInstance"
QUERY_AGENT_INSTANCE_STATUS = "QueryAgentInstanceStatus"
DELETE_AGENT_INSTANCE = "DeleteAgentInstance"
INTERRUPT_AGENT_INSTANCE = "InterruptAgentInstance"


class Outcome(str, Enum):
    """How a call ended, before looking at the meaning of Code."""

    OK = "ok"
    API_ERROR = "api_error"
    TIMEOUT = "timeout"
    TRANSPORT_ERROR = "transport_error"
    HTTP_ERROR = "http_error"
    BAD_BODY = "bad_body"


@dataclass(frozen=True)
class Credentials:
    """AppId and ServerSecret of one profile; the secret never appears in repr or str."""

    app_id: int
    server_secret: str = field(repr=False)


@dataclass(frozen=True)
class ApiResult:
    """The record of one call: what was sent, when, and what came back (or what went wrong)."""

    action: str
    sequence: int | None
    sent_at: float
    latency_ms: float
    outcome: Outcome
    http_status: int | None
    code: int | None
    message: str
    request_id: str | None
    data: dict | None = None

    @property
    def ok(self) -> bool:
        """True when the server answered Code 0."""
        return self.outcome is Outcome.OK

    def explanation(self) -> str:
        """One line an operator can act on: the server's words, plus the documented meaning if any."""
        if self.code is None:
            return self.message
        meaning = codes.describe_code(self.code)
        if meaning is None or self.code == codes.SUCCESS:
            return f"Code {self.code}: {self.message}"
        return f"Code {self.code}: {self.message} ({meaning})"

    def summary(self) -> str:
        """The line the CLI prints and tools grep: action, RequestId, Code, Sequence, latency."""
        parts = [
            self.action,
            f"RequestId={self.request_id or '-'}",
            f"Code={self.code if self.code is not None else '-'}",
            f"Sequence={self.sequence if self.sequence is not None else '-'}",
            f"latency={self.latency_ms:.1f}ms",
        ]
        if not self.ok:
            parts.append(f"error={self.explanation()}")
        return " ".join(parts)


@dataclass(frozen=True)
class InstanceSpec:
    """What CreateAgentInstance needs; its field list is unconfirmed, so it is built in one place."""

    agent_id: str
    user_id: str
    rtc_room_id: str = ""
    agent_stream_id: str = ""
    user_stream_id: str = ""
    communication_mode: int = 2
    interrupt_mode: int = 1

    def as_body(self) -> dict[str, Any]:
        """The request body of CreateAgentInstance for a walkie-talkie instance."""
        body: dict[str, Any] = {
            "AgentId": self.agent_id,
            "UserId": self.user_id,
            "AdvancedConfig": {
                "CommunicationMode": self.communication_mode,
                "InterruptMode": self.interrupt_mode,
            },
        }
        rtc = {
            "RoomId": self.rtc_room_id,
            "AgentStreamId": self.agent_stream_id,
            "UserStreamId": self.user_stream_id,
        }
        if any(rtc.values()):
            body["RTC"] = rtc
        return body

    def as_request(self) -> ApiRequest:
        """The CreateAgentInstance call."""
        return ApiRequest(CREATE_AGENT_INSTANCE, self.as_body())


@dataclass(frozen=True)
class ApiRequest:
    """One call as it will be signed and sent: the Action, its JSON body, and the Sequence it carries."""

    action: str
    body: dict[str, Any]
    sequence: int | None = None


def listening_request(action: str, agent_instance_id: str, user_id: str, sequence: int | None) -> ApiRequest:
    """StartListening or StopListening; UserId and Sequence only when given."""
    body: dict[str, Any] = {"AgentInstanceId": agent_instance_id}
    if user_id:
        body["UserId"] = user_id
    if sequence is not None:
        body["Sequence"] = sequence
    return ApiRequest(action, body, sequence)


def instance_request(action: str, agent_instance_id: str) -> ApiRequest:
    """An action whose body is only AgentInstanceId (query, delete, interrupt)."""
    return ApiRequest(action, {"AgentInstanceId": agent_instance_id})


class ApiSender(Protocol):
    """Anything that signs and sends a call for one AppId: the HTTP client, or a stand-in in tests."""

    @property
    def app_id(self) -> int:
        """The AppId calls are signed for."""
        ...

    def send(self, request: ApiRequest) -> ApiResult:
        """Send one call; never raises."""
        ...
