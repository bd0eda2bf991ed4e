"""The request bodies of every action, as the reference's OpenAPI files document them.

Types, required fields, lengths, character sets, enums and ranges; a body that breaks one is answered
410000003 with a Message naming the field (e.g. "RTC.AgentUserId is at most 32 characters"). Fields the
reference does not list are accepted and ignored, as an OpenAPI object without `additionalProperties:
false` allows (the reference's own examples carry such fields, e.g. CallbackConfig.AgentSpeakAction).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum
from typing import Any

from ptt_app.api.types import (
    CREATE_AGENT_INSTANCE,
    DELETE_AGENT_INSTANCE,
    INTERRUPT_AGENT_INSTANCE,
    QUERY_AGENT_INSTANCE_STATUS,
    START_LISTENING,
    STOP_LISTENING,
)
from ptt_app.sim.protocol import (
    GET_AGENT_INSTANCE_MSG_LIST,
    SEND_AGENT_INSTANCE_LLM,
    SEND_AGENT_INSTANCE_TTS,
    invalid,
)

_INT64_MIN, _INT64_MAX = -(2**63), 2**63 - 1

# accessing-server-apis: "ID-type parameters ... UserId, AgentId, RoomId, StreamId": AgentId allows
# numbers, letters and !#$%&()+-:;<=.>?@[]^_{}|~, ; the other IDs numbers, letters, '-' and '_'.
# The RTC object narrows its own: "only numbers, English characters, '_', '-', and '.'".
AGENT_ID_CHARS = re.compile(r"[0-9A-Za-z!#$%&()+\-:;<=.>?@\[\]^_{}|~,]+")
USER_ID_CHARS = re.compile(r"[0-9A-Za-z_\-]+")
RTC_ID_CHARS = re.compile(r"[0-9A-Za-z_\-.]+")


class Kind(str, Enum):
    """JSON types of the OpenAPI schemas."""

    STRING = "a string"
    INTEGER = "an integer"
    NUMBER = "a number"
    BOOLEAN = "a boolean"
    OBJECT = "an object"
    ARRAY = "an array"


@dataclass(frozen=True)
class Rule:
    """One documented field: its type and every constraint the reference puts on it."""

    name: str
    kind: Kind
    required: bool = False
    non_empty: bool = False
    max_length: int | None = None
    chars: re.Pattern[str] | None = None
    chars_named: str = ""
    choices: tuple[Any, ...] = ()
    minimum: float | None = None
    maximum: float | None = None
    fields: tuple[Rule, ...] = ()
    items: Rule | None = None
    max_items: int | None = None
    values: Rule | None = None  # every value of an object whose keys are free (additionalProperties)


def _id(name: str, max_length: int, chars: re.Pattern[str], named: str, required: bool = True) -> Rule:
    return Rule(name, Kind.STRING, required=required, non_empty=True, max_length=max_length, chars=chars,
                chars_named=named)


def _flag(name: str) -> Rule:
    return Rule(name, Kind.INTEGER, choices=(0, 1))


_USER_ID_NAMED = "0-9 A-Z a-z - _"
_RTC_NAMED = "0-9 A-Z a-z _ - ."
INSTANCE_ID = Rule("AgentInstanceId", Kind.STRING, required=True, non_empty=True)
_PRIORITY = Rule("Priority", Kind.STRING, choices=("Low", "Medium", "High"))
_SAME_PRIORITY = Rule("SamePriorityOption", Kind.STRING, choices=("ClearAndInterrupt", "Enqueue"))

RTC = Rule("RTC", Kind.OBJECT, required=True, fields=(
    _id("RoomId", 128, RTC_ID_CHARS, _RTC_NAMED),
    _id("AgentStreamId", 128, RTC_ID_CHARS, _RTC_NAMED),
    _id("AgentUserId", 32, RTC_ID_CHARS, _RTC_NAMED),
    _id("UserStreamId", 128, RTC_ID_CHARS, _RTC_NAMED),
    # "All attribute character restrictions" of RTC is read as the four IDs: extra info is free text.
    Rule("StreamExtraInfo", Kind.STRING, max_length=1024),
))
LLM = Rule("LLM", Kind.OBJECT, fields=(
    Rule("Vendor", Kind.STRING, choices=("OpenAIChat", "OpenAIResponses")),
    Rule("Url", Kind.STRING, required=True),
    Rule("ApiKey", Kind.STRING, required=True),
    Rule("Model", Kind.STRING, required=True),
    Rule("SystemPrompt", Kind.STRING),
    Rule("Temperature", Kind.NUMBER, minimum=0, maximum=2),
    Rule("TopP", Kind.NUMBER, minimum=0, maximum=1),
    Rule("Params", Kind.OBJECT),
    Rule("AddAgentInfo", Kind.BOOLEAN),
    Rule("AgentExtraInfo", Kind.OBJECT),
))
TTS = Rule("TTS", Kind.OBJECT, fields=(
    Rule("Vendor", Kind.STRING, required=True,
         choices=("Aliyun", "ByteDanceV3", "ByteDanceFlowing", "MiniMax", "CosyVoice")),
    Rule("Url", Kind.STRING),
    Rule("Params", Kind.OBJECT, required=True, fields=(Rule("app", Kind.OBJECT, required=True),)),
    Rule("FilterText", Kind.ARRAY, items=Rule("item", Kind.OBJECT, fields=(
        Rule("BeginCharacters", Kind.STRING, required=True),
        Rule("EndCharacters", Kind.STRING, required=True),
    ))),
    Rule("TerminatorText", Kind.STRING, max_length=4),
    Rule("CharacterFilter", Kind.ARRAY, items=Rule("item", Kind.STRING, max_length=2)),
))
ASR = Rule("ASR", Kind.OBJECT, fields=(
    Rule("Vendor", Kind.STRING,
         choices=("Tencent", "AliyunParaformer", "Microsoft", "AliyunFunASR", "AliyunQwenASR", "VolcSeedASR")),
    Rule("Params", Kind.OBJECT),
    # Deprecated since 2.12.0 (moved to VAD) but still documented, so still accepted.
    Rule("VADSilenceSegmentation", Kind.NUMBER, minimum=200, maximum=2000),
    Rule("PauseInterval", Kind.NUMBER, minimum=200, maximum=2000),
    Rule("VADSensitiveLevel", Kind.NUMBER, choices=(0, 1, 2, 3)),
    Rule("VADMinSpeechDur", Kind.NUMBER, minimum=0, maximum=1000),
    Rule("VADEnergyThreshold", Kind.NUMBER, minimum=0, maximum=1),
    Rule("HotWord", Kind.STRING),
))
VAD = Rule("VAD", Kind.OBJECT, fields=(
    Rule("TurnDetectConfig", Kind.OBJECT, fields=(
        Rule("SilenceSegmentation", Kind.INTEGER, minimum=200, maximum=2000),
        Rule("PauseInterval", Kind.INTEGER, minimum=200, maximum=2000),
    )),
    Rule("VoiceDetectConfig", Kind.OBJECT, fields=(
        Rule("SensitiveConfig", Kind.OBJECT, fields=(
            Rule("Level", Kind.INTEGER, choices=(0, 1, 2, 3)),
            Rule("MinSpeechDur", Kind.INTEGER, minimum=0, maximum=1000),
            Rule("EnergyThreshold", Kind.NUMBER, minimum=0, maximum=1),
        )),
    )),
))
MESSAGE = Rule("item", Kind.OBJECT, fields=(
    Rule("Role", Kind.STRING, required=True, choices=("user", "assistant")),
    Rule("Content", Kind.STRING, required=True),
))
MESSAGE_HISTORY = Rule("MessageHistory", Kind.OBJECT, fields=(
    Rule("SyncMode", Kind.INTEGER, choices=(0, 1)),
    Rule("Messages", Kind.ARRAY, items=MESSAGE, max_items=100),
    Rule("WindowSize", Kind.INTEGER, minimum=0, maximum=500),
    Rule("ZIM", Kind.OBJECT, fields=(
        Rule("RobotId", Kind.STRING),
        Rule("LoadMessageCount", Kind.INTEGER, minimum=0, maximum=500),
    )),
))
CALLBACK_CONFIG = Rule("CallbackConfig", Kind.OBJECT, fields=(
    _flag("ASRResult"), _flag("LLMResult"), _flag("Interrupted"), _flag("UserSpeakAction"),
    _flag("AgentInstanceStatus"), _flag("UserAudioData"), Rule("HostTag", Kind.STRING),
))
ADVANCED_CONFIG = Rule("AdvancedConfig", Kind.OBJECT, fields=(
    Rule("InterruptMode", Kind.INTEGER, choices=(0, 1)),
    Rule("MaxIdleTime", Kind.INTEGER, minimum=10, maximum=1800),
    Rule("DisableTTS", Kind.BOOLEAN),
    Rule("CommunicationMode", Kind.INTEGER, choices=(0, 2)),
    Rule("LLMMetaInfo", Kind.OBJECT, fields=(
        # "Cannot be empty or only whitespace."
        Rule("BeginCharacters", Kind.STRING, non_empty=True),
        Rule("EndCharacters", Kind.STRING, non_empty=True),
        Rule("SendMetaKeys", Kind.ARRAY, items=Rule("item", Kind.STRING)),
    )),
    Rule("AddASRInfo", Kind.BOOLEAN),
    Rule("TTSParamPaths", Kind.OBJECT, values=Rule("value", Kind.STRING)),
))

_LISTENING = (
    INSTANCE_ID,
    _id("UserId", 32, USER_ID_CHARS, _USER_ID_NAMED, required=False),
    Rule("Sequence", Kind.INTEGER),
)
BODY_SCHEMAS: dict[str, tuple[Rule, ...]] = {
    CREATE_AGENT_INSTANCE: (
        _id("AgentId", 128, AGENT_ID_CHARS, "0-9 A-Z a-z !#$%&()+-:;<=.>?@[]^_{}|~,"),
        _id("UserId", 32, USER_ID_CHARS, _USER_ID_NAMED),
        RTC, LLM, TTS, ASR, VAD, MESSAGE_HISTORY, CALLBACK_CONFIG, ADVANCED_CONFIG,
    ),
    DELETE_AGENT_INSTANCE: (
        INSTANCE_ID,
        Rule("GracefulShutdown", Kind.BOOLEAN),
        Rule("GracefulShutdownTimeout", Kind.INTEGER, minimum=1, maximum=120),
    ),
    QUERY_AGENT_INSTANCE_STATUS: (INSTANCE_ID,),
    INTERRUPT_AGENT_INSTANCE: (INSTANCE_ID,),
    GET_AGENT_INSTANCE_MSG_LIST: (INSTANCE_ID,),
    START_LISTENING: _LISTENING,
    STOP_LISTENING: _LISTENING,
    SEND_AGENT_INSTANCE_TTS: (
        INSTANCE_ID,
        # Required; an empty text has nothing to speak, so it is refused like a missing one.
        Rule("Text", Kind.STRING, required=True, non_empty=True, max_length=300),
        Rule("AddHistory", Kind.BOOLEAN),
        Rule("InterruptMode", Kind.INTEGER, choices=(0, 1)),  # deprecated, still documented
        _PRIORITY,
        _SAME_PRIORITY,
    ),
    SEND_AGENT_INSTANCE_LLM: (
        INSTANCE_ID,
        Rule("Text", Kind.STRING, required=True, non_empty=True),
        Rule("SystemPrompt", Kind.STRING),
        Rule("AddQuestionToHistory", Kind.BOOLEAN),
        Rule("AddAnswerToHistory", Kind.BOOLEAN),
        _PRIORITY,
        _SAME_PRIORITY,
    ),
}


def check_body(action: str, body: Any) -> dict[str, Any]:
    """The body of `action` if it follows the documented schema; else Rejected 410000003 naming the field."""
    if not isinstance(body, dict):
        raise invalid("body must be a JSON object")
    _check_fields(body, BODY_SCHEMAS[action], "")
    return body


def _check_fields(body: dict[str, Any], rules: tuple[Rule, ...], prefix: str) -> None:
    for rule in rules:
        name = prefix + rule.name
        if rule.name not in body:
            if rule.required:
                raise invalid(f"{name} is required")
            continue
        _check_value(body[rule.name], rule, name)


def _check_value(value: Any, rule: Rule, name: str) -> None:
    _check_type(value, rule.kind, name)
    if rule.kind is Kind.STRING:
        _check_text(value, rule, name)
    elif rule.kind in (Kind.INTEGER, Kind.NUMBER):
        _check_range(value, rule, name)
    elif rule.kind is Kind.OBJECT:
        _check_fields(value, rule.fields, f"{name}.")
        if rule.values is not None:
            for key, item in value.items():
                _check_value(item, rule.values, f"{name}.{key}")
    elif rule.kind is Kind.ARRAY:
        if rule.max_items is not None and len(value) > rule.max_items:
            raise invalid(f"{name} has at most {rule.max_items} items")
        if rule.items is not None:
            for index, item in enumerate(value):
                _check_value(item, rule.items, f"{name}[{index}]")
    if rule.choices and value not in rule.choices:
        allowed = ", ".join(str(choice) for choice in rule.choices)
        raise invalid(f"{name} must be one of {allowed}, not {value!r}")


def _check_type(value: Any, kind: Kind, name: str) -> None:
    is_number = isinstance(value, (int, float)) and not isinstance(value, bool)
    matches = {
        Kind.STRING: isinstance(value, str),
        Kind.INTEGER: isinstance(value, int) and not isinstance(value, bool),
        Kind.NUMBER: is_number,
        Kind.BOOLEAN: isinstance(value, bool),
        Kind.OBJECT: isinstance(value, dict),
        Kind.ARRAY: isinstance(value, list),
    }[kind]
    if not matches:
        raise invalid(f"{name} must be {kind.value}")
    if kind is Kind.INTEGER and not _INT64_MIN <= value <= _INT64_MAX:
        raise invalid(f"{name} must fit in a signed 64-bit integer")


def _check_text(value: str, rule: Rule, name: str) -> None:
    if rule.non_empty and not value.strip():
        raise invalid(f"{name} must not be empty")
    if rule.max_length is not None and len(value) > rule.max_length:
        raise invalid(f"{name} is at most {rule.max_length} characters, got {len(value)}")
    if rule.chars is not None and not rule.chars.fullmatch(value):
        raise invalid(f"{name} may only contain {rule.chars_named}")


def _check_range(value: float, rule: Rule, name: str) -> None:
    if rule.minimum is not None and value < rule.minimum:
        raise invalid(f"{name} must be at least {rule.minimum:g}, got {value}")
    if rule.maximum is not None and value > rule.maximum:
        raise invalid(f"{name} must be at most {rule.maximum:g}, got {value}")


def body_from_query(action: str, params: dict[str, str]) -> dict[str, Any]:
    """The body of a GET call, whose parameters all travel in the query ("For a GET request, all request
    parameters ... should be placed in the Query"): integers and booleans of the schema are read from
    their text; anything else stays text, so an object-typed field cannot come this way."""
    rules = {rule.name: rule for rule in BODY_SCHEMAS.get(action, ())}
    body: dict[str, Any] = {}
    for name, text in params.items():
        rule = rules.get(name)
        body[name] = _typed(text, rule.kind) if rule is not None else text
    return body


def _typed(text: str, kind: Kind) -> Any:
    if kind is Kind.INTEGER and re.fullmatch(r"-?[0-9]{1,19}", text):
        return int(text)
    if kind is Kind.BOOLEAN and text in ("true", "false"):
        return text == "true"
    return text
