"""Return codes of the AI Agent server API, as documented in its return-code table; others are shown verbatim.

Every documented code has one `CodeInfo`: what it means and what the operator can do about it. A code
that is not in the table gets no meaning and no hint (`describe_code` and `hint_for` answer None): the
app shows its Code and Message as the server sent them and never guesses.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

SUCCESS = 0

# ---- common (gateway) codes, shared by all ZEGOCLOUD server APIs ----
WRONG_HOST = 100000000
APP_ID_FORMAT = 100000001
TIMESTAMP_EMPTY = 100000002
TIMESTAMP_FORMAT = 100000003
SIGNATURE_EXPIRED = 100000004
SIGNATURE_WRONG = 100000005
ACTION_EMPTY = 100000006
ACTION_UNSUPPORTED = 100000007
NONCE_EMPTY = 100000008
SIGNATURE_EMPTY = 100000009
SECRET_NOT_FOUND = 100000010
APP_CONFIG_NOT_FOUND = 100000011
BODY_UNREADABLE = 100000012
SIGNATURE_VERSION_EMPTY = 100000013
SIGNATURE_VERSION_UNSUPPORTED = 100000014
GATEWAY_INTERNAL = 100000015
SERVICE_NOT_ENABLED = 100000017

# ---- AI Agent business codes ----
SYSTEM_ERROR = 410000001
INVALID_APP_ID = 410000002
INVALID_PARAMETER = 410000003
BODY_NOT_JSON = 410000004
GATEWAY_AUTH_FAILED = 410000005
AI_AGENT_NOT_ENABLED = 410000006
INTERNAL_CALL_FAILED = 410000009
INSUFFICIENT_RESOURCES = 410000010
INSTANCE_LIMIT = 410000011
DIGITAL_HUMAN_PARAMETER_INVALID = 410000014
INSTANCE_NOT_FOUND = 410001002
INSTANCE_CREATE_FAILED = 410001003
INSTANCE_MODIFY_FAILED = 410001004
INSTANCE_DELETE_FAILED = 410001005
ACTIVE_LLM_FAILED = 410001006
ACTIVE_TTS_FAILED = 410001007
AGENT_ALREADY_EXISTS = 410001008
AGENT_NOT_FOUND = 410001009
MESSAGE_HISTORY_LOAD_FAILED = 410001010
INSTANCE_UPDATE_FAILED = 410001011
AGENT_IS_LISTENING = 410001013
CONTEXT_GET_FAILED = 410001022
CONTEXT_RESET_FAILED = 410001023
INTERRUPT_FAILED = 410001024
DIGITAL_HUMAN_RESOURCES = 410001025
DIGITAL_HUMAN_CONFIG_UNSUPPORTED = 410001026
DIGITAL_HUMAN_ID_WRONG = 410001027
DIGITAL_HUMAN_CREATE_FAILED = 410001028
DIGITAL_HUMAN_RATE_LIMITED = 410001029
DIGITAL_HUMAN_STREAM_DUPLICATE = 410001030
DIGITAL_HUMAN_LIMIT = 410001031
DIGITAL_HUMAN_SYSTEM_ERROR = 410001032
LLM_TEST_ACCOUNT_EXPIRED = 410001033
TTS_TEST_ACCOUNT_EXPIRED = 410001034
APP_TEST_ACCOUNT_EXPIRED = 410001035
GRACEFUL_SHUTDOWN = 410001041
NOT_WALKIE_TALKIE = 410001042
SEQUENCE_OUTDATED = 410001043
START_LISTENING_FAILED = 410001044
STOP_LISTENING_FAILED = 410001045
USER_NOT_PUBLISHING = 410001046
ZEGO_TEST_LLM_URL_INVALID = 410001047
DIGITAL_HUMAN_NOT_OF_APP = 410001048
LIVE_DIGITAL_HUMAN_NO_API = 410001049


class CodeGroup(str, Enum):
    """Which table of the reference a code comes from."""

    COMMON = "common"
    BUSINESS = "business"


@dataclass(frozen=True)
class CodeInfo:
    """One documented return code: its meaning, and what an operator can do about it."""

    code: int
    group: CodeGroup
    meaning: str
    hint: str


_SUPPORT = "contact ZEGOCLOUD technical support and quote the RequestId"


def _common(code: int, meaning: str, hint: str) -> CodeInfo:
    return CodeInfo(code, CodeGroup.COMMON, meaning, hint)


def _business(code: int, meaning: str, hint: str) -> CodeInfo:
    return CodeInfo(code, CodeGroup.BUSINESS, meaning, hint)


_TABLE: tuple[CodeInfo, ...] = (
    _common(SUCCESS, "success", "nothing to do"),
    _common(WRONG_HOST, "wrong Host in the request header", "check the endpoint (pick the region by name)"),
    _common(APP_ID_FORMAT, "AppId has a wrong format", "enter the AppId from the ZEGOCLOUD console (digits only)"),
    _common(TIMESTAMP_EMPTY, "Timestamp is empty", "a client bug: report it with the log"),
    _common(TIMESTAMP_FORMAT, "Timestamp has a wrong format", "a client bug: report it with the log"),
    _common(
        SIGNATURE_EXPIRED,
        "signature expired: Timestamp outside the 10-minute window",
        "set this computer's clock right (automatic time), then try again",
    ),
    _common(SIGNATURE_WRONG, "signature wrong", "check the ServerSecret of this AppId in the ZEGOCLOUD console"),
    _common(ACTION_EMPTY, "Action is empty", "a client bug: report it with the log"),
    _common(ACTION_UNSUPPORTED, "Action not supported", "check the endpoint: it must be an AI Agent API host"),
    _common(NONCE_EMPTY, "SignatureNonce is empty", "a client bug: report it with the log"),
    _common(SIGNATURE_EMPTY, "Signature is empty", "a client bug: report it with the log"),
    _common(SECRET_NOT_FOUND, "no ServerSecret found for this AppId", "check the AppId in the ZEGOCLOUD console"),
    _common(APP_CONFIG_NOT_FOUND, "App configuration not found", f"check the AppId, or {_SUPPORT}"),
    _common(BODY_UNREADABLE, "request body could not be read", f"try again; if it persists, {_SUPPORT}"),
    _common(SIGNATURE_VERSION_EMPTY, "SignatureVersion is empty", "a client bug: report it with the log"),
    _common(SIGNATURE_VERSION_UNSUPPORTED, "SignatureVersion not supported (only 2.0)", "a client bug: report it"),
    _common(GATEWAY_INTERNAL, "gateway internal error", f"try again; if it persists, {_SUPPORT}"),
    _common(SERVICE_NOT_ENABLED, "the App has not enabled this service", f"enable the AI Agent service: {_SUPPORT}"),
    _business(SYSTEM_ERROR, "AI Agent system error", f"try again; if it persists, {_SUPPORT}"),
    _business(INVALID_APP_ID, "invalid AppId", "check the AppId in the ZEGOCLOUD console"),
    _business(INVALID_PARAMETER, "invalid parameter", "the Message names the parameter: correct it in the settings"),
    _business(BODY_NOT_JSON, "request body is not valid JSON", "a client bug: report it with the log"),
    _business(GATEWAY_AUTH_FAILED, "gateway authentication failed", f"check AppId and ServerSecret, or {_SUPPORT}"),
    _business(AI_AGENT_NOT_ENABLED, "the App has not enabled the AI Agent service", f"{_SUPPORT} to enable it"),
    _business(INTERNAL_CALL_FAILED, "internal service call failed", f"try again; if it persists, {_SUPPORT}"),
    _business(INSUFFICIENT_RESOURCES, "insufficient service resources", f"try again later; if it persists, {_SUPPORT}"),
    _business(
        INSTANCE_LIMIT,
        "concurrent agent instance limit of the App reached",
        "delete agent instances that are no longer used, or ask ZEGOCLOUD support for a higher limit",
    ),
    _business(DIGITAL_HUMAN_PARAMETER_INVALID, "invalid digital human parameter", "check the digital human settings"),
    _business(
        INSTANCE_NOT_FOUND,
        "agent instance not found (deleted, or expired after MaxIdleTime without the user in the room)",
        "create a new agent instance and talk to that one",
    ),
    _business(INSTANCE_CREATE_FAILED, "agent instance creation failed", _SUPPORT),
    _business(INSTANCE_MODIFY_FAILED, "agent instance modification failed", _SUPPORT),
    _business(INSTANCE_DELETE_FAILED, "agent instance deletion failed", _SUPPORT),
    _business(ACTIVE_LLM_FAILED, "active LLM call failed", _SUPPORT),
    _business(ACTIVE_TTS_FAILED, "active TTS call failed", _SUPPORT),
    _business(AGENT_ALREADY_EXISTS, "agent already exists", "do not register the same AgentId twice"),
    _business(AGENT_NOT_FOUND, "agent not found (AgentId)", "check the AgentId: it must be a registered agent"),
    _business(MESSAGE_HISTORY_LOAD_FAILED, "failed to load the message history", _SUPPORT),
    _business(INSTANCE_UPDATE_FAILED, "agent instance update failed", _SUPPORT),
    _business(
        AGENT_IS_LISTENING,
        "the agent is listening: LLM or TTS cannot be triggered now",
        "release the talk button (StopListening) first, then try again",
    ),
    _business(CONTEXT_GET_FAILED, "failed to get the agent instance context", _SUPPORT),
    _business(CONTEXT_RESET_FAILED, "failed to reset the agent instance context", _SUPPORT),
    _business(INTERRUPT_FAILED, "failed to interrupt the agent instance", f"try again; if it persists, {_SUPPORT}"),
    _business(DIGITAL_HUMAN_RESOURCES, "digital human service resources insufficient", _SUPPORT),
    _business(DIGITAL_HUMAN_CONFIG_UNSUPPORTED, "digital human ConfigId not supported", _SUPPORT),
    _business(DIGITAL_HUMAN_ID_WRONG, "digital human DigitalHumanId is incorrect", "check the DigitalHumanId"),
    _business(DIGITAL_HUMAN_CREATE_FAILED, "digital human agent instance creation failed", _SUPPORT),
    _business(DIGITAL_HUMAN_RATE_LIMITED, "digital human interface frequency limit", _SUPPORT),
    _business(DIGITAL_HUMAN_STREAM_DUPLICATE, "digital human stream ID duplicate", "use a stream ID not yet in use"),
    _business(DIGITAL_HUMAN_LIMIT, "digital human concurrency limit reached", _SUPPORT),
    _business(DIGITAL_HUMAN_SYSTEM_ERROR, "digital human service system error", _SUPPORT),
    _business(LLM_TEST_ACCOUNT_EXPIRED, "LLM test account expired", f"configure your own LLM, or {_SUPPORT}"),
    _business(TTS_TEST_ACCOUNT_EXPIRED, "TTS test account expired", f"configure your own TTS, or {_SUPPORT}"),
    _business(APP_TEST_ACCOUNT_EXPIRED, "App test account expired", _SUPPORT),
    _business(
        GRACEFUL_SHUTDOWN,
        "the agent instance is being gracefully shut down",
        "wait for it to end, then create a new agent instance",
    ),
    _business(
        NOT_WALKIE_TALKIE,
        "the agent instance is not in walkie-talkie mode: Start/StopListening not allowed",
        "create the agent instance with AdvancedConfig.CommunicationMode 2 (walkie-talkie)",
    ),
    _business(
        SEQUENCE_OUTDATED,
        "Sequence outdated: the request was ignored",
        "nothing to do: a newer press or release already superseded this request",
    ),
    _business(START_LISTENING_FAILED, "start listening failed", f"press again; if it persists, {_SUPPORT}"),
    _business(STOP_LISTENING_FAILED, "stop listening failed", f"release again; if it persists, {_SUPPORT}"),
    _business(
        USER_NOT_PUBLISHING,
        "the user has not started publishing audio in the room: cannot start listening",
        "start the user's voice client (join the RTC room and publish the microphone), then press again",
    ),
    _business(
        ZEGO_TEST_LLM_URL_INVALID,
        'LLM.ApiKey is "zego_test" but LLM.Url is not one of the test URLs',
        "use one of the documented test URLs with zego_test, or your own ApiKey",
    ),
    _business(DIGITAL_HUMAN_NOT_OF_APP, "digital human DigitalHumanId does not belong to this App", "check it"),
    _business(
        LIVE_DIGITAL_HUMAN_NO_API,
        "API operations on a live digital human instance are prohibited",
        "live digital human instances cannot be controlled by API",
    ),
)

DOCUMENTED_CODES: dict[int, CodeInfo] = {info.code: info for info in _TABLE}
# Kept for callers that only need the words: code -> documented meaning.
DOCUMENTED_MEANINGS: dict[int, str] = {info.code: info.meaning for info in _TABLE}


def code_info(code: int) -> CodeInfo | None:
    """The documented entry of a Code, or None for a number the reference does not list."""
    return DOCUMENTED_CODES.get(code)


def describe_code(code: int) -> str | None:
    """The documented meaning of a Code, or None: an unknown number is never given a guessed meaning."""
    info = DOCUMENTED_CODES.get(code)
    return info.meaning if info else None


def hint_for(code: int) -> str | None:
    """What an operator can do about a documented Code, or None for an unknown number."""
    info = DOCUMENTED_CODES.get(code)
    return info.hint if info else None
