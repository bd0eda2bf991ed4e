"""What the API client and everything above it share: actions, credentials, results, request bodies.

No transport here: the talk engine and the journal use these records without importing `requests`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum
from typing import Any, Protocol

from ptt_app.api import codes
from ptt_app.translatable import QT_TR_NOOP

START_LISTENING = "StartListening"
STOP_LISTENING = "StopListening"
CREATE_AGENT_INSTANCE = "CreateAgentInstance"
QUERY_AGENT_INSTANCE_STATUS = "QueryAgentInstanceStatus"
DELETE_AGENT_INSTANCE = "DeleteAgentInstance"
INTERRUPT_AGENT_INSTANCE = "InterruptAgentInstance"
SEND_AGENT_INSTANCE_TTS = "SendAgentInstanceTTS"
SEND_AGENT_INSTANCE_LLM = "SendAgentInstanceLLM"
GET_AGENT_INSTANCE_MSG_LIST = "GetAgentInstanceMsgList"




def untranslated(text: str) -> str:
    """The English text as it is: explanation()'s translator outside the window."""
    return text


class Outcome(str, Enum):
    """How a call ended, before looking at the meaning of Code."""

    OK = "ok"
    API_ERROR = "api_error"
    TIMEOUT = "timeout"
    TRANSPORT_ERROR = "transport_error"
    HTTP_ERROR = "http_error"
    BAD_BODY = "bad_body"
    NOT_SENT = "not_sent"  # refused before anything left the machine (no session, request log unwritable)


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
    # True when this is the answer to a resend of the same request (same Sequence) after the first attempt
    # got no answer at all: a 410001043 then means the server already had this Sequence.
    resent: bool = False

    @property
    def ok(self) -> bool:
        """True when the server answered Code 0."""
        return self.outcome is Outcome.OK

    def explanation(self, tr: Callable[[str], str] = untranslated) -> str:
        """One line an operator can act on: the server's words verbatim, then the documented meaning and what to
        do, if the code is documented (an unknown code gets no guessed meaning). The window passes its
        translator as `tr`; the server's Message is never translated."""
        if self.code is None:
            return self.message
        if self.message:
            said = tr(QT_TR_NOOP("Code {code}: {message}")).format(code=self.code, message=self.message)
        else:
            said = tr(QT_TR_NOOP("Code {code}")).format(code=self.code)
        info = codes.code_info(self.code)
        if info is None or self.code == codes.SUCCESS:
            return said
        return tr(QT_TR_NOOP("{said} ({meaning}; {hint})")).format(said=said, meaning=tr(info.meaning),
                                                                   hint=tr(info.hint))

    @property
    def round(self) -> int | None:
        """The turn number the server answered (Data.Round of Start/Stop/Interrupt/TTS/LLM), if any."""
        value = (self.data or {}).get("Round")
        return value if isinstance(value, int) and not isinstance(value, bool) else None

    def summary(self, with_error: bool = True) -> str:
        """The line the CLI prints and tools grep: action, RequestId, Code, Sequence, Round, latency."""
        parts = [
            self.action,
            f"RequestId={self.request_id or '-'}",
            f"Code={self.code if self.code is not None else '-'}",
            f"Sequence={self.sequence if self.sequence is not None else '-'}",
            f"Round={self.round if self.round is not None else '-'}",
            f"latency={self.latency_ms:.1f}ms",
        ]
        if with_error and not self.ok:
            parts.append(f"error={self.explanation()}")
        return " ".join(parts)


# AdvancedConfig.CommunicationMode of a walkie-talkie (push-to-talk) instance (zego-api.md); 0 is full duplex.
WALKIE_TALKIE_MODE = 2


@dataclass(frozen=True)
class InstanceSpec:
    """What CreateAgentInstance needs for a walkie-talkie instance in an RTC room (all RTC ids required)."""

    agent_id: str
    user_id: str
    rtc_room_id: str
    agent_stream_id: str
    agent_user_id: str
    user_stream_id: str
    interrupt_mode: int = 1
    max_idle_time_s: int = 120

    def as_body(self) -> dict[str, Any]:
        """The request body of CreateAgentInstance, as the API reference documents it."""
        return {
            "AgentId": self.agent_id,
            "UserId": self.user_id,
            "RTC": {
                "RoomId": self.rtc_room_id,
                "AgentStreamId": self.agent_stream_id,
                "AgentUserId": self.agent_user_id,
                "UserStreamId": self.user_stream_id,
            },
            "AdvancedConfig": {
                "CommunicationMode": WALKIE_TALKIE_MODE,
                "InterruptMode": self.interrupt_mode,
                "MaxIdleTime": self.max_idle_time_s,
            },
        }

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
