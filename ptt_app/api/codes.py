"""Return codes of the AI Agent server API, as documented in its return-code table; others are shown verbatim.

Every documented code has one `CodeInfo`: what it means and what the operator can do about it. A code
that is not in the table gets no meaning and no hint (`describe_code` and `hint_for` answer None): the
app shows its Code and Message as the server sent them and never guesses.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from ptt_app.translatable import QT_TR_NOOP

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




SUPPORT_HINT = QT_TR_NOOP("contact ZEGOCLOUD technical support and quote the RequestId")


def _common(code: int, meaning: str, hint: str) -> CodeInfo:
    return CodeInfo(code, CodeGroup.COMMON, meaning, hint)


def _business(code: int, meaning: str, hint: str) -> CodeInfo:
    return CodeInfo(code, CodeGroup.BUSINESS, meaning, hint)


_TABLE: tuple[CodeInfo, ...] = (
    _common(SUCCESS, QT_TR_NOOP("success"), QT_TR_NOOP("nothing to do")),
    _common(
        WRONG_HOST,
        QT_TR_NOOP("wrong Host in the request header"),
        QT_TR_NOOP("check the endpoint (pick the region by name)"),
    ),
    _common(
        APP_ID_FORMAT,
        QT_TR_NOOP("AppId has a wrong format"),
        QT_TR_NOOP("enter the AppId from the ZEGOCLOUD console (digits only)"),
    ),
    _common(TIMESTAMP_EMPTY, QT_TR_NOOP("Timestamp is empty"), QT_TR_NOOP("a client bug: report it with the log")),
    _common(TIMESTAMP_FORMAT, QT_TR_NOOP("Timestamp has a wrong format"), QT_TR_NOOP("a client bug: report it with the log")),
    _common(
        SIGNATURE_EXPIRED,
        QT_TR_NOOP("signature expired: Timestamp outside the 10-minute window"),
        QT_TR_NOOP("set this computer's clock right (automatic time), then try again"),
    ),
    _common(
        SIGNATURE_WRONG,
        QT_TR_NOOP("signature wrong"),
        QT_TR_NOOP("check the ServerSecret of this AppId in the ZEGOCLOUD console"),
    ),
    _common(ACTION_EMPTY, QT_TR_NOOP("Action is empty"), QT_TR_NOOP("a client bug: report it with the log")),
    _common(
        ACTION_UNSUPPORTED,
        QT_TR_NOOP("Action not supported"),
        QT_TR_NOOP("check the endpoint: it must be an AI Agent API host"),
    ),
    _common(NONCE_EMPTY, QT_TR_NOOP("SignatureNonce is empty"), QT_TR_NOOP("a client bug: report it with the log")),
    _common(SIGNATURE_EMPTY, QT_TR_NOOP("Signature is empty"), QT_TR_NOOP("a client bug: report it with the log")),
    _common(
        SECRET_NOT_FOUND,
        QT_TR_NOOP("no ServerSecret found for this AppId"),
        QT_TR_NOOP("check the AppId in the ZEGOCLOUD console"),
    ),
    _common(
        APP_CONFIG_NOT_FOUND,
        QT_TR_NOOP("App configuration not found"),
        QT_TR_NOOP("check the AppId, or contact ZEGOCLOUD technical support and quote the RequestId"),
    ),
    _common(
        BODY_UNREADABLE,
        QT_TR_NOOP("request body could not be read"),
        QT_TR_NOOP("try again; if it persists, contact ZEGOCLOUD technical support and quote the RequestId"),
    ),
    _common(SIGNATURE_VERSION_EMPTY, QT_TR_NOOP("SignatureVersion is empty"), QT_TR_NOOP("a client bug: report it with the log")),
    _common(
        SIGNATURE_VERSION_UNSUPPORTED,
        QT_TR_NOOP("SignatureVersion not supported (only 2.0)"),
        QT_TR_NOOP("a client bug: report it"),
    ),
    _common(
        GATEWAY_INTERNAL,
        QT_TR_NOOP("gateway internal error"),
        QT_TR_NOOP("try again; if it persists, contact ZEGOCLOUD technical support and quote the RequestId"),
    ),
    _common(
        SERVICE_NOT_ENABLED,
        QT_TR_NOOP("the App has not enabled this service"),
        QT_TR_NOOP("enable the AI Agent service: contact ZEGOCLOUD technical support and quote the RequestId"),
    ),
    _business(
        SYSTEM_ERROR,
        QT_TR_NOOP("AI Agent system error"),
        QT_TR_NOOP("try again; if it persists, contact ZEGOCLOUD technical support and quote the RequestId"),
    ),
    _business(INVALID_APP_ID, QT_TR_NOOP("invalid AppId"), QT_TR_NOOP("check the AppId in the ZEGOCLOUD console")),
    _business(
        INVALID_PARAMETER,
        QT_TR_NOOP("invalid parameter"),
        QT_TR_NOOP("the Message names the parameter: correct it in the settings"),
    ),
    _business(BODY_NOT_JSON, QT_TR_NOOP("request body is not valid JSON"), QT_TR_NOOP("a client bug: report it with the log")),
    _business(
        GATEWAY_AUTH_FAILED,
        QT_TR_NOOP("gateway authentication failed"),
        QT_TR_NOOP("check AppId and ServerSecret, or contact ZEGOCLOUD technical support and quote the RequestId"),
    ),
    _business(
        AI_AGENT_NOT_ENABLED,
        QT_TR_NOOP("the App has not enabled the AI Agent service"),
        QT_TR_NOOP("contact ZEGOCLOUD technical support and quote the RequestId to enable it"),
    ),
    _business(
        INTERNAL_CALL_FAILED,
        QT_TR_NOOP("internal service call failed"),
        QT_TR_NOOP("try again; if it persists, contact ZEGOCLOUD technical support and quote the RequestId"),
    ),
    _business(
        INSUFFICIENT_RESOURCES,
        QT_TR_NOOP("insufficient service resources"),
        QT_TR_NOOP("try again later; if it persists, contact ZEGOCLOUD technical support and quote the RequestId"),
    ),
    _business(
        INSTANCE_LIMIT,
        QT_TR_NOOP("concurrent agent instance limit of the App reached"),
        QT_TR_NOOP("delete agent instances that are no longer used, or ask ZEGOCLOUD support for a higher limit"),
    ),
    _business(
        DIGITAL_HUMAN_PARAMETER_INVALID,
        QT_TR_NOOP("invalid digital human parameter"),
        QT_TR_NOOP("check the digital human settings"),
    ),
    _business(
        INSTANCE_NOT_FOUND,
        QT_TR_NOOP("agent instance not found (deleted, or expired after MaxIdleTime without the user in the room)"),
        QT_TR_NOOP("create a new agent instance and talk to that one"),
    ),
    _business(INSTANCE_CREATE_FAILED, QT_TR_NOOP("agent instance creation failed"), SUPPORT_HINT),
    _business(INSTANCE_MODIFY_FAILED, QT_TR_NOOP("agent instance modification failed"), SUPPORT_HINT),
    _business(INSTANCE_DELETE_FAILED, QT_TR_NOOP("agent instance deletion failed"), SUPPORT_HINT),
    _business(ACTIVE_LLM_FAILED, QT_TR_NOOP("active LLM call failed"), SUPPORT_HINT),
    _business(ACTIVE_TTS_FAILED, QT_TR_NOOP("active TTS call failed"), SUPPORT_HINT),
    _business(AGENT_ALREADY_EXISTS, QT_TR_NOOP("agent already exists"), QT_TR_NOOP("do not register the same AgentId twice")),
    _business(
        AGENT_NOT_FOUND,
        QT_TR_NOOP("agent not found (AgentId)"),
        QT_TR_NOOP("check the AgentId: it must be a registered agent"),
    ),
    _business(MESSAGE_HISTORY_LOAD_FAILED, QT_TR_NOOP("failed to load the message history"), SUPPORT_HINT),
    _business(INSTANCE_UPDATE_FAILED, QT_TR_NOOP("agent instance update failed"), SUPPORT_HINT),
    _business(
        AGENT_IS_LISTENING,
        QT_TR_NOOP("the agent is listening: LLM or TTS cannot be triggered now"),
        QT_TR_NOOP("release the talk button (StopListening) first, then try again"),
    ),
    _business(CONTEXT_GET_FAILED, QT_TR_NOOP("failed to get the agent instance context"), SUPPORT_HINT),
    _business(CONTEXT_RESET_FAILED, QT_TR_NOOP("failed to reset the agent instance context"), SUPPORT_HINT),
    _business(
        INTERRUPT_FAILED,
        QT_TR_NOOP("failed to interrupt the agent instance"),
        QT_TR_NOOP("try again; if it persists, contact ZEGOCLOUD technical support and quote the RequestId"),
    ),
    _business(DIGITAL_HUMAN_RESOURCES, QT_TR_NOOP("digital human service resources insufficient"), SUPPORT_HINT),
    _business(DIGITAL_HUMAN_CONFIG_UNSUPPORTED, QT_TR_NOOP("digital human ConfigId not supported"), SUPPORT_HINT),
    _business(
        DIGITAL_HUMAN_ID_WRONG,
        QT_TR_NOOP("digital human DigitalHumanId is incorrect"),
        QT_TR_NOOP("check the DigitalHumanId"),
    ),
    _business(DIGITAL_HUMAN_CREATE_FAILED, QT_TR_NOOP("digital human agent instance creation failed"), SUPPORT_HINT),
    _business(DIGITAL_HUMAN_RATE_LIMITED, QT_TR_NOOP("digital human interface frequency limit"), SUPPORT_HINT),
    _business(
        DIGITAL_HUMAN_STREAM_DUPLICATE,
        QT_TR_NOOP("digital human stream ID duplicate"),
        QT_TR_NOOP("use a stream ID not yet in use"),
    ),
    _business(DIGITAL_HUMAN_LIMIT, QT_TR_NOOP("digital human concurrency limit reached"), SUPPORT_HINT),
    _business(DIGITAL_HUMAN_SYSTEM_ERROR, QT_TR_NOOP("digital human service system error"), SUPPORT_HINT),
    _business(
        LLM_TEST_ACCOUNT_EXPIRED,
        QT_TR_NOOP("LLM test account expired"),
        QT_TR_NOOP("configure your own LLM, or contact ZEGOCLOUD technical support and quote the RequestId"),
    ),
    _business(
        TTS_TEST_ACCOUNT_EXPIRED,
        QT_TR_NOOP("TTS test account expired"),
        QT_TR_NOOP("configure your own TTS, or contact ZEGOCLOUD technical support and quote the RequestId"),
    ),
    _business(APP_TEST_ACCOUNT_EXPIRED, QT_TR_NOOP("App test account expired"), SUPPORT_HINT),
    _business(
        GRACEFUL_SHUTDOWN,
        QT_TR_NOOP("the agent instance is being gracefully shut down"),
        QT_TR_NOOP("wait for it to end, then create a new agent instance"),
    ),
    _business(
        NOT_WALKIE_TALKIE,
        QT_TR_NOOP("the agent instance is not in walkie-talkie mode: Start/StopListening not allowed"),
        QT_TR_NOOP("create the agent instance with AdvancedConfig.CommunicationMode 2 (walkie-talkie)"),
    ),
    _business(
        SEQUENCE_OUTDATED,
        QT_TR_NOOP("Sequence outdated: the request was ignored"),
        QT_TR_NOOP("nothing to do: a newer press or release already superseded this request"),
    ),
    _business(
        START_LISTENING_FAILED,
        QT_TR_NOOP("start listening failed"),
        QT_TR_NOOP("press again; if it persists, contact ZEGOCLOUD technical support and quote the RequestId"),
    ),
    _business(
        STOP_LISTENING_FAILED,
        QT_TR_NOOP("stop listening failed"),
        QT_TR_NOOP("release again; if it persists, contact ZEGOCLOUD technical support and quote the RequestId"),
    ),
    _business(
        USER_NOT_PUBLISHING,
        QT_TR_NOOP("the user has not started publishing audio in the room: cannot start listening"),
        QT_TR_NOOP("start the user's voice client (join the RTC room and publish the microphone), then press again"),
    ),
    _business(
        ZEGO_TEST_LLM_URL_INVALID,
        QT_TR_NOOP('LLM.ApiKey is "zego_test" but LLM.Url is not one of the test URLs'),
        QT_TR_NOOP("use one of the documented test URLs with zego_test, or your own ApiKey"),
    ),
    _business(
        DIGITAL_HUMAN_NOT_OF_APP,
        QT_TR_NOOP("digital human DigitalHumanId does not belong to this App"),
        QT_TR_NOOP("check it"),
    ),
    _business(
        LIVE_DIGITAL_HUMAN_NO_API,
        QT_TR_NOOP("API operations on a live digital human instance are prohibited"),
        QT_TR_NOOP("live digital human instances cannot be controlled by API"),
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
