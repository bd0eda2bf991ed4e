"""CreateAgentInstance on the simulator, rule by rule from the reference's create-agent-instance.yaml."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from test_sim_calls import APP_ID, SECRET, SimCaller, create_body, rtc_ids

from ptt_app.api import codes
from ptt_app.sim import AgentApiSimulator, RtcIdConflict, SimConfig

pytestmark = pytest.mark.timeout(20)


@pytest.fixture
def sim() -> Iterator[AgentApiSimulator]:
    config = SimConfig(app_id=APP_ID, server_secret=SECRET, registered_agents=("demo-agent", "Jacky"))
    with AgentApiSimulator(config) as simulator:
        yield simulator


@pytest.fixture
def api(sim: AgentApiSimulator) -> Iterator[SimCaller]:
    caller = SimCaller(sim)
    with caller.http:
        yield caller


@pytest.fixture
def rejecting_api() -> Iterator[SimCaller]:
    """A simulator set to refuse reused RTC ids with 410000003 (RtcIdConflict.REJECT, simulator-only)."""
    config = SimConfig(app_id=APP_ID, server_secret=SECRET, rtc_id_conflict=RtcIdConflict.REJECT)
    with AgentApiSimulator(config) as simulator:
        caller = SimCaller(simulator)
        with caller.http:
            yield caller


def create(api: SimCaller, body: dict[str, Any]) -> dict[str, Any]:
    return api.call("CreateAgentInstance", body)


def test_the_reference_example_body_creates_an_instance_and_answers_its_id(sim, api):
    body = {"AgentId": "Jacky", "UserId": "user_1", "RTC": {
        "RoomId": "room_1", "AgentStreamId": "agent_stream_1", "AgentUserId": "agent_user_1", "UserStreamId": "user_stream_1",
    }}

    answer = create(api, body)

    assert answer["Code"] == codes.SUCCESS
    instance = answer["Data"]["AgentInstanceId"]
    assert isinstance(instance, str) and instance.isdigit()
    [kept] = sim.instances()
    assert (kept.agent_instance_id, kept.agent_id, kept.user_id) == (instance, "Jacky", "user_1")
    assert kept.rtc == body["RTC"] and kept.max_idle_time_s == 120


def test_communication_mode_defaults_to_full_duplex(sim, api):
    instance = api.create(communication_mode=None)

    assert sim.instance(instance).communication_mode == 0
    assert api.start(instance, 1)["Code"] == codes.NOT_WALKIE_TALKIE


def test_walkie_talkie_mode_2_allows_listening(api):
    instance = api.create(communication_mode=2)

    assert api.start(instance, 1)["Code"] == codes.SUCCESS


@pytest.mark.parametrize("field", ["AgentId", "UserId", "RTC"])
def test_each_required_top_level_field_is_named_when_missing(api, field):
    body = create_body()
    del body[field]

    answer = create(api, body)

    assert answer["Code"] == codes.INVALID_PARAMETER
    assert answer["Message"] == f"{field} is required"


@pytest.mark.parametrize("field", ["RoomId", "AgentStreamId", "AgentUserId", "UserStreamId"])
def test_each_of_the_four_rtc_ids_is_required(api, field):
    rtc = rtc_ids()
    del rtc[field]

    answer = create(api, create_body(RTC=rtc))

    assert answer["Code"] == codes.INVALID_PARAMETER
    assert answer["Message"] == f"RTC.{field} is required"


@pytest.mark.parametrize(
    ("field", "limit"), [("RoomId", 128), ("AgentStreamId", 128), ("AgentUserId", 32), ("UserStreamId", 128)]
)
def test_rtc_id_lengths_are_limited_as_documented(api, field, limit):
    at_limit = {**rtc_ids(), field: "r" * limit}
    over = {**rtc_ids(), field: "r" * (limit + 1)}

    accepted = create(api, create_body(RTC=at_limit))
    refused = create(api, create_body(RTC=over))

    assert accepted["Code"] == codes.SUCCESS
    assert refused["Code"] == codes.INVALID_PARAMETER and f"RTC.{field}" in refused["Message"]


def test_rtc_ids_allow_letters_digits_underscore_dash_and_dot(api):
    answer = create(api, create_body(RTC={**rtc_ids(), "RoomId": "Room_1-a.B"}))

    assert answer["Code"] == codes.SUCCESS


@pytest.mark.parametrize("value", ["room 1", "room/1", "räum", "room#1"])
def test_rtc_ids_with_other_characters_are_refused_naming_the_field(api, value):
    answer = create(api, create_body(RTC={**rtc_ids(), "RoomId": value}))

    assert answer["Code"] == codes.INVALID_PARAMETER
    assert "RTC.RoomId" in answer["Message"]


def test_user_id_of_32_characters_is_accepted_and_33_refused(api):
    assert create(api, create_body(user_id="u" * 32))["Code"] == codes.SUCCESS

    answer = create(api, create_body(user_id="u" * 33))

    assert answer["Code"] == codes.INVALID_PARAMETER and "UserId" in answer["Message"]


@pytest.mark.parametrize("user_id", ["user.1", "user 1", "user@1", ""])
def test_user_id_allows_only_letters_digits_dash_and_underscore(api, user_id):
    answer = create(api, create_body(user_id=user_id))

    assert answer["Code"] == codes.INVALID_PARAMETER and "UserId" in answer["Message"]


def test_unregistered_agent_is_410001009(api):
    answer = create(api, create_body(AgentId="nobody-registered-me"))

    assert answer["Code"] == codes.AGENT_NOT_FOUND == 410001009
    assert "nobody-registered-me" in answer["Message"]


def test_an_agent_registered_at_run_time_is_accepted(sim, api):
    sim.register_agent("late-agent")

    assert create(api, create_body(AgentId="late-agent"))["Code"] == codes.SUCCESS


@pytest.mark.parametrize(
    ("advanced", "field"),
    [
        ({"CommunicationMode": 1}, "AdvancedConfig.CommunicationMode"),
        ({"CommunicationMode": 3}, "AdvancedConfig.CommunicationMode"),
        ({"CommunicationMode": "2"}, "AdvancedConfig.CommunicationMode"),
        ({"InterruptMode": 2}, "AdvancedConfig.InterruptMode"),
        ({"MaxIdleTime": 9}, "AdvancedConfig.MaxIdleTime"),
        ({"MaxIdleTime": 1801}, "AdvancedConfig.MaxIdleTime"),
        ({"DisableTTS": 1}, "AdvancedConfig.DisableTTS"),
    ],
)
def test_advanced_config_values_outside_the_schema_are_refused_naming_the_field(api, advanced, field):
    answer = create(api, create_body(AdvancedConfig=advanced))

    assert answer["Code"] == codes.INVALID_PARAMETER
    assert field in answer["Message"]


@pytest.mark.parametrize("max_idle_time", [10, 1800])
def test_max_idle_time_bounds_are_accepted(sim, api, max_idle_time):
    instance = api.create(AdvancedConfig={"CommunicationMode": 2, "MaxIdleTime": max_idle_time})

    assert sim.instance(instance).max_idle_time_s == max_idle_time


def test_a_full_body_with_every_documented_section_is_accepted(api):
    body = create_body(
        LLM={"Vendor": "OpenAIChat", "Url": "https://llm.example/v1/chat/completions", "ApiKey": "key",
             "Model": "m", "SystemPrompt": "be brief", "Temperature": 0.7, "TopP": 0.9, "Params": {"max_tokens": 64},
             "AddAgentInfo": False, "AgentExtraInfo": {"k": "v"}},
        TTS={"Vendor": "ByteDanceV3", "Params": {"app": {"appid": "a", "token": "t"}, "req_params": {}},
             "FilterText": [{"BeginCharacters": "(", "EndCharacters": ")"}], "TerminatorText": "#-#",
             "CharacterFilter": ["#", "##"]},
        ASR={"Vendor": "Tencent", "Params": {"engine_model_type": "16k_en"}},
        VAD={"TurnDetectConfig": {"SilenceSegmentation": 500, "PauseInterval": 800},
             "VoiceDetectConfig": {"SensitiveConfig": {"Level": 3, "MinSpeechDur": 100, "EnergyThreshold": 0.5}}},
        MessageHistory={"SyncMode": 1, "Messages": [{"Role": "user", "Content": "hi"}], "WindowSize": 20},
        CallbackConfig={"ASRResult": 1, "LLMResult": 0, "AgentSpeakAction": 1, "HostTag": "Custom1"},
        AdvancedConfig={"CommunicationMode": 2, "InterruptMode": 1, "MaxIdleTime": 300, "DisableTTS": False,
                        "LLMMetaInfo": {"BeginCharacters": "[[", "EndCharacters": "]]", "SendMetaKeys": ["emotion"]},
                        "AddASRInfo": True, "TTSParamPaths": {"instruction": "payload.parameters.instruction"}},
    )

    assert create(api, body)["Code"] == codes.SUCCESS


@pytest.mark.parametrize(
    ("section", "field"),
    [
        ({"LLM": {"Url": "u", "ApiKey": "k"}}, "LLM.Model"),
        ({"LLM": {"Url": "u", "ApiKey": "k", "Model": "m", "Temperature": 2.5}}, "LLM.Temperature"),
        ({"LLM": {"Url": "u", "ApiKey": "k", "Model": "m", "Vendor": "Other"}}, "LLM.Vendor"),
        ({"TTS": {"Vendor": "ByteDanceV3"}}, "TTS.Params"),
        ({"TTS": {"Vendor": "ByteDanceV3", "Params": {}}}, "TTS.Params.app"),
        ({"TTS": {"Vendor": "Nobody", "Params": {"app": {}}}}, "TTS.Vendor"),
        ({"TTS": {"Vendor": "MiniMax", "Params": {"app": {}}, "TerminatorText": "#####"}}, "TTS.TerminatorText"),
        ({"ASR": {"Vendor": "Nobody"}}, "ASR.Vendor"),
        ({"VAD": {"TurnDetectConfig": {"SilenceSegmentation": 100}}}, "VAD.TurnDetectConfig.SilenceSegmentation"),
        ({"MessageHistory": {"Messages": [{"Role": "system", "Content": "x"}]}}, "MessageHistory.Messages[0].Role"),
        ({"MessageHistory": {"SyncMode": 2}}, "MessageHistory.SyncMode"),
        ({"MessageHistory": {"WindowSize": 501}}, "MessageHistory.WindowSize"),
        ({"CallbackConfig": {"ASRResult": 2}}, "CallbackConfig.ASRResult"),
        ({"AdvancedConfig": {"TTSParamPaths": {"pitch": 3}}}, "AdvancedConfig.TTSParamPaths.pitch"),
        ({"AdvancedConfig": {"LLMMetaInfo": {"BeginCharacters": " "}}}, "AdvancedConfig.LLMMetaInfo.BeginCharacters"),
    ],
)
def test_optional_sections_follow_their_schema(api, section, field):
    answer = create(api, create_body(**section))

    assert answer["Code"] == codes.INVALID_PARAMETER
    assert field in answer["Message"]


def test_more_than_100_history_messages_are_refused(api):
    messages = [{"Role": "user", "Content": str(n)} for n in range(101)]

    answer = create(api, create_body(MessageHistory={"SyncMode": 1, "Messages": messages}))

    assert answer["Code"] == codes.INVALID_PARAMETER and "MessageHistory.Messages" in answer["Message"]


def test_zego_test_api_key_with_an_undocumented_url_is_410001047(api):
    llm = {"Url": "https://llm.example/v1/chat/completions", "ApiKey": "zego_test", "Model": "m"}

    answer = create(api, create_body(LLM=llm))

    assert answer["Code"] == codes.ZEGO_TEST_LLM_URL_INVALID == 410001047


def test_zego_test_api_key_with_a_documented_url_is_accepted(api):
    llm = {"Url": "https://api.stepfun.com/v1/chat/completions", "ApiKey": "zego_test", "Model": "step-2-16k"}

    assert create(api, create_body(LLM=llm))["Code"] == codes.SUCCESS


def test_history_messages_seed_the_message_list_only_with_sync_mode_1(api):
    seeded = [{"Role": "user", "Content": "Hello"}, {"Role": "assistant", "Content": "Hi, I am Jacky"}]
    by_parameter = api.create(MessageHistory={"SyncMode": 1, "Messages": seeded})
    from_chat = api.create(MessageHistory={"Messages": seeded})

    assert api.messages(by_parameter) == seeded
    assert api.messages(from_chat) == []


def test_the_eleventh_live_instance_is_410000011(sim, api):
    for _ in range(10):
        api.create()

    answer = create(api, create_body())

    assert answer["Code"] == codes.INSTANCE_LIMIT == 410000011
    assert len(sim.instances()) == 10


def test_deleting_an_instance_makes_room_under_the_limit(api):
    instances = [api.create() for _ in range(10)]
    api.on("DeleteAgentInstance", instances[0])

    assert create(api, create_body())["Code"] == codes.SUCCESS


def test_the_instance_limit_is_a_setting():
    with AgentApiSimulator(SimConfig(APP_ID, SECRET, max_instances=1)) as small, SimCaller(small).http as http:
        api = SimCaller(small, http)
        api.create()

        assert create(api, create_body())["Code"] == codes.INSTANCE_LIMIT
        with pytest.raises(ValueError, match="410000011"):
            small.create_instance()


def test_rejecting_an_agent_stream_id_in_use_is_refused_naming_it(rejecting_api):
    rejecting_api.create(RTC=rtc_ids("one"))

    answer = create(rejecting_api, create_body(RTC={**rtc_ids("two"), "AgentStreamId": "agent-stream-one"}))

    assert answer["Code"] == codes.INVALID_PARAMETER and "RTC.AgentStreamId" in answer["Message"]


def test_rejecting_an_agent_user_id_in_use_is_refused_naming_it(rejecting_api):
    rejecting_api.create(RTC=rtc_ids("one"))

    answer = create(rejecting_api, create_body(RTC={**rtc_ids("two"), "AgentUserId": "agent-one"}))

    assert answer["Code"] == codes.INVALID_PARAMETER and "RTC.AgentUserId" in answer["Message"]


def test_rejecting_an_agent_user_id_equal_to_the_real_user_id_is_refused(rejecting_api):
    answer = create(rejecting_api, create_body(user_id="same-1", RTC={**rtc_ids(), "AgentUserId": "same-1"}))

    assert answer["Code"] == codes.INVALID_PARAMETER and "RTC.AgentUserId" in answer["Message"]


def test_a_stream_id_of_a_deleted_instance_can_be_used_again(api):
    first = api.create(RTC=rtc_ids("again"))
    api.on("DeleteAgentInstance", first)

    assert create(api, create_body(RTC=rtc_ids("again")))["Code"] == codes.SUCCESS


def test_by_default_a_reused_agent_stream_id_is_accepted_as_the_reference_gives_no_code(api):
    api.create(RTC=rtc_ids("one"))

    assert create(api, create_body(RTC={**rtc_ids("two"), "AgentStreamId": "agent-stream-one"}))["Code"] == 0


def as_documented_sim() -> AgentApiSimulator:
    return AgentApiSimulator(SimConfig(APP_ID, SECRET, rtc_id_conflict=RtcIdConflict.AS_DOCUMENTED))


def test_as_documented_a_reused_agent_user_id_kicks_the_earlier_instance():
    with as_documented_sim() as sim, SimCaller(sim).http as http:
        api = SimCaller(sim, http)
        earlier = api.create(RTC=rtc_ids("one"))

        later = api.create(RTC={**rtc_ids("two"), "AgentUserId": "agent-one"})

        assert api.on("QueryAgentInstanceStatus", earlier)["Code"] == codes.INSTANCE_NOT_FOUND
        assert api.status(later) == "IDLE"


def test_as_documented_a_reused_agent_stream_id_makes_the_later_instance_fail():
    with as_documented_sim() as sim, SimCaller(sim).http as http:
        api = SimCaller(sim, http)
        earlier = api.create(RTC=rtc_ids("one"))

        later = api.create(RTC={**rtc_ids("two"), "AgentStreamId": "agent-stream-one"})

        answer = api.on("QueryAgentInstanceStatus", later)
        assert answer["Code"] == codes.INSTANCE_NOT_FOUND and "failed to publish" in answer["Message"]
        assert api.status(earlier) == "IDLE"


def test_create_instance_without_http_makes_unique_rtc_ids_and_walkie_talkie_mode(sim):
    first, second = sim.create_instance(), sim.create_instance()

    one, two = sim.instance(first), sim.instance(second)
    assert one.communication_mode == two.communication_mode == 2
    assert set(one.rtc) == {"RoomId", "AgentStreamId", "AgentUserId", "UserStreamId"}
    assert one.rtc["AgentStreamId"] != two.rtc["AgentStreamId"]
    assert one.rtc["AgentUserId"] != two.rtc["AgentUserId"]
