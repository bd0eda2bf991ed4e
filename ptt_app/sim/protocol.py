"""What every part of the simulator shares: the action names, a refusal, the result of an action, the answer."""

from __future__ import annotations

import itertools
import secrets
from dataclasses import dataclass
from typing import Any

from ptt_app.api import codes
from ptt_app.api.types import (
    CREATE_AGENT_INSTANCE,
    DELETE_AGENT_INSTANCE,
    INTERRUPT_AGENT_INSTANCE,
    QUERY_AGENT_INSTANCE_STATUS,
    START_LISTENING,
    STOP_LISTENING,
)

SEND_AGENT_INSTANCE_TTS = "SendAgentInstanceTTS"
SEND_AGENT_INSTANCE_LLM = "SendAgentInstanceLLM"
GET_AGENT_INSTANCE_MSG_LIST = "GetAgentInstanceMsgList"

ACTIONS = frozenset(
    {
        CREATE_AGENT_INSTANCE,
        DELETE_AGENT_INSTANCE,
        QUERY_AGENT_INSTANCE_STATUS,
        INTERRUPT_AGENT_INSTANCE,
        START_LISTENING,
        STOP_LISTENING,
        SEND_AGENT_INSTANCE_TTS,
        SEND_AGENT_INSTANCE_LLM,
        GET_AGENT_INSTANCE_MSG_LIST,
    }
)
LISTENING_ACTIONS = frozenset({START_LISTENING, STOP_LISTENING})

JSON_CONTENT_TYPE = "application/json; charset=utf-8"
SUCCESS_MESSAGE = "success"

# RequestIds look like the reference's ("8825223157230377926"): decimal, unique within one simulator.
_request_numbers = itertools.count(8_000_000_000_000_000_000 + secrets.randbelow(10**15) * 1000)


def new_request_id() -> str:
    """A fresh RequestId."""
    return str(next(_request_numbers))


class Rejected(Exception):
    """A check failed: the request is answered `code` with `message` and not acted on."""

    def __init__(self, code: int, message: str, http_status: int = 200) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.http_status = http_status


def invalid(message: str) -> Rejected:
    """410000003, whose Message names the parameter, as the reference says."""
    return Rejected(codes.INVALID_PARAMETER, message)


@dataclass(frozen=True)
class ActionResult:
    """What one request came to: its Code and Message, Data if any, and how the model took it."""

    code: int = codes.SUCCESS
    message: str = SUCCESS_MESSAGE
    data: dict[str, Any] | None = None
    acted: bool = True
    ignored: bool = False
    user_id: str | None = None
    # Order in which listening requests were acted on, so last_acted stays right when answers race.
    act_order: int = 0

    @property
    def round(self) -> int | None:
        """Data.Round of the answer, if it has one."""
        value = (self.data or {}).get("Round")
        return value if isinstance(value, int) else None


def refused(rejection: Rejected) -> ActionResult:
    """The result of a request that a check refused."""
    return ActionResult(rejection.code, rejection.message, acted=False)


def answer_json(code: int, message: str, request_id: str, data: dict[str, Any] | None = None) -> dict[str, Any]:
    """The documented answer envelope: Code, Message, RequestId and Data on every answer, success or not (the
    reference lists all four as common to every response; its sample has "Data": null)."""
    return {"Code": code, "Message": message, "RequestId": request_id, "Data": data}
