"""The turn cycle on the simulator: Status, Round, Interrupt, TTS/LLM, the message list, deletion.

Time is a stepped clock: THINKING lasts 1 s and SPEAKING 2 s of it, and nothing here sleeps."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from test_sim_calls import APP_ID, SECRET, SimCaller, SteppedClock

from ptt_app.api import codes
from ptt_app.sim import AgentApiSimulator, SimConfig

pytestmark = pytest.mark.timeout(20)

THINKING_S, SPEAKING_S = 1.0, 2.0


@pytest.fixture
def clock() -> SteppedClock:
    return SteppedClock()


@pytest.fixture
def sim(clock: SteppedClock) -> Iterator[AgentApiSimulator]:
    config = SimConfig(app_id=APP_ID, server_secret=SECRET, thinking_s=THINKING_S, speaking_s=SPEAKING_S)
    with AgentApiSimulator(config, monotonic=clock) as simulator:
        yield simulator


@pytest.fixture
def api(sim: AgentApiSimulator) -> Iterator[SimCaller]:
    caller = SimCaller(sim)
    with caller.http:
        yield caller


@pytest.fixture
def instance(api: SimCaller) -> str:
    return api.create()


def round_of(answer: dict) -> int:
    assert answer["Code"] == codes.SUCCESS, answer
    return answer["Data"]["Round"]


def test_a_new_instance_is_idle(api, instance):
    assert api.status(instance) == "IDLE"


def test_a_turn_goes_listening_thinking_speaking_idle(api, instance, clock):
    seen = []
    api.start(instance, 1)
    seen.append(api.status(instance))
    api.stop(instance, 2)
    seen.append(api.status(instance))
    clock.advance(THINKING_S)
    seen.append(api.status(instance))
    clock.advance(SPEAKING_S - 0.01)
    seen.append(api.status(instance))
    clock.advance(0.01)
    seen.append(api.status(instance))

    assert seen == ["LISTENING", "THINKING", "SPEAKING", "SPEAKING", "IDLE"]


def test_start_and_stop_of_one_turn_answer_the_same_round(api, instance, sim):
    start = round_of(api.start(instance, 1))
    stop = round_of(api.stop(instance, 2))

    assert start == stop
    assert [record.round for record in sim.received()[-2:]] == [start, stop]


def test_round_increases_with_each_turn(api, instance, clock):
    rounds = []
    for press in range(3):
        rounds.append(round_of(api.start(instance, 2 * press + 1)))
        api.stop(instance, 2 * press + 2)
        clock.advance(THINKING_S + SPEAKING_S)

    assert rounds == sorted(rounds) and len(set(rounds)) == 3


def test_start_while_speaking_cuts_the_answer_short_and_begins_a_new_round(api, instance, clock):
    first = round_of(api.start(instance, 1))
    api.stop(instance, 2)
    clock.advance(THINKING_S)
    assert api.status(instance) == "SPEAKING"

    second = round_of(api.start(instance, 3))

    assert api.status(instance) == "LISTENING" and second > first


def test_start_while_listening_keeps_the_turn_and_its_round(api, instance):
    first = round_of(api.start(instance))

    again = round_of(api.start(instance))

    assert again == first and api.status(instance) == "LISTENING"


def test_stop_while_idle_changes_nothing_and_answers_the_latest_round(api, instance, clock):
    turn = round_of(api.start(instance, 1))
    api.stop(instance, 2)
    clock.advance(THINKING_S + SPEAKING_S)

    answer = api.stop(instance, 3)

    assert round_of(answer) == turn and api.status(instance) == "IDLE"


def test_interrupt_ends_speaking_at_once_and_answers_the_round_it_ended(api, instance, clock):
    turn = round_of(api.start(instance, 1))
    api.stop(instance, 2)
    clock.advance(THINKING_S)

    answer = api.on("InterruptAgentInstance", instance)

    assert round_of(answer) == turn
    assert api.status(instance) == "IDLE"


def test_interrupt_ends_thinking_before_any_answer_is_added(api, instance):
    api.start(instance, 1)
    api.stop(instance, 2)

    api.on("InterruptAgentInstance", instance)

    assert api.status(instance) == "IDLE"
    assert [message["Role"] for message in api.messages(instance)] == ["user"]


def test_interrupt_while_listening_leaves_the_agent_listening(api, instance, sim):
    api.start(instance, 1)

    assert api.on("InterruptAgentInstance", instance)["Code"] == codes.SUCCESS

    assert api.status(instance) == "LISTENING" and sim.instance(instance).interrupts == 1


@pytest.mark.parametrize("action", ["SendAgentInstanceTTS", "SendAgentInstanceLLM"])
def test_tts_and_llm_are_refused_with_410001013_while_listening(api, instance, action):
    api.start(instance, 1)

    answer = api.on(action, instance, Text="hello")

    assert answer["Code"] == codes.AGENT_IS_LISTENING == 410001013
    assert api.status(instance) == "LISTENING"


def test_tts_speaks_at_once_in_a_new_round_then_goes_idle(api, instance, clock):
    turn = round_of(api.start(instance, 1))
    api.stop(instance, 2)
    clock.advance(THINKING_S + SPEAKING_S)

    tts = round_of(api.on("SendAgentInstanceTTS", instance, Text="Welcome"))
    speaking = api.status(instance)
    clock.advance(SPEAKING_S)

    assert tts > turn and speaking == "SPEAKING" and api.status(instance) == "IDLE"


def test_llm_thinks_then_speaks_in_a_new_round(api, instance, clock):
    round_ = round_of(api.on("SendAgentInstanceLLM", instance, Text="What is the weather?"))
    statuses = [api.status(instance)]
    clock.advance(THINKING_S)
    statuses.append(api.status(instance))

    assert round_ >= 1 and statuses == ["THINKING", "SPEAKING"]


def test_tts_text_of_301_characters_is_refused(api, instance):
    assert api.on("SendAgentInstanceTTS", instance, Text="x" * 300)["Code"] == codes.SUCCESS

    answer = api.on("SendAgentInstanceTTS", instance, Text="x" * 301)

    assert answer["Code"] == codes.INVALID_PARAMETER and "Text" in answer["Message"]


@pytest.mark.parametrize(
    ("fields", "named"),
    [
        ({}, "Text"),
        ({"Text": "hi", "Priority": "Urgent"}, "Priority"),
        ({"Text": "hi", "SamePriorityOption": "Drop"}, "SamePriorityOption"),
        ({"Text": "hi", "AddHistory": "yes"}, "AddHistory"),
    ],
)
def test_tts_body_follows_its_schema(api, instance, fields, named):
    answer = api.on("SendAgentInstanceTTS", instance, **fields)

    assert answer["Code"] == codes.INVALID_PARAMETER and named in answer["Message"]


def test_enqueued_tts_waits_for_the_current_one_in_its_own_later_round(api, instance, clock):
    first = round_of(api.on("SendAgentInstanceTTS", instance, Text="one"))
    second = round_of(api.on("SendAgentInstanceTTS", instance, Text="two", SamePriorityOption="Enqueue"))
    clock.advance(SPEAKING_S)
    still_speaking = api.status(instance)
    clock.advance(SPEAKING_S)

    assert second > first and still_speaking == "SPEAKING" and api.status(instance) == "IDLE"
    assert [message["Content"] for message in api.messages(instance)] == ["one", "two"]


def test_same_priority_clear_and_interrupt_replaces_what_is_speaking(api, instance, clock):
    api.on("SendAgentInstanceTTS", instance, Text="one")
    api.on("SendAgentInstanceTTS", instance, Text="queued", SamePriorityOption="Enqueue")

    api.on("SendAgentInstanceTTS", instance, Text="urgent", SamePriorityOption="ClearAndInterrupt")
    clock.advance(SPEAKING_S)

    assert api.status(instance) == "IDLE"
    assert [message["Content"] for message in api.messages(instance)] == ["one", "urgent"]


def test_higher_priority_interrupts_and_lower_priority_waits(api, instance, clock):
    api.on("SendAgentInstanceTTS", instance, Text="medium")
    api.on("SendAgentInstanceTTS", instance, Text="high", Priority="High", SamePriorityOption="Enqueue")
    api.on("SendAgentInstanceTTS", instance, Text="low", Priority="Low", SamePriorityOption="ClearAndInterrupt")
    clock.advance(SPEAKING_S)

    assert [message["Content"] for message in api.messages(instance)] == ["medium", "high", "low"]


def test_the_queue_holds_at_most_five_tasks(api, instance):
    api.on("SendAgentInstanceTTS", instance, Text="speaking")
    queued = [api.on("SendAgentInstanceTTS", instance, Text=f"q{n}", SamePriorityOption="Enqueue") for n in range(5)]

    sixth = api.on("SendAgentInstanceTTS", instance, Text="q5", SamePriorityOption="Enqueue")

    assert [answer["Code"] for answer in queued] == [codes.SUCCESS] * 5
    assert sixth["Code"] == codes.ACTIVE_TTS_FAILED and "queue" in sixth["Message"]


def test_the_llm_queue_holds_at_most_five_tasks_too(api, instance):
    api.on("SendAgentInstanceLLM", instance, Text="thinking")
    for n in range(5):
        api.on("SendAgentInstanceLLM", instance, Text=f"q{n}", SamePriorityOption="Enqueue")

    sixth = api.on("SendAgentInstanceLLM", instance, Text="q5", SamePriorityOption="Enqueue")

    assert sixth["Code"] == codes.ACTIVE_LLM_FAILED


def test_message_list_grows_with_each_turn_by_a_user_and_an_assistant_message(api, instance, clock):
    for press in range(2):
        api.start(instance, 2 * press + 1)
        api.stop(instance, 2 * press + 2)
        clock.advance(THINKING_S + SPEAKING_S)

    messages = api.messages(instance)

    assert [message["Role"] for message in messages] == ["user", "assistant", "user", "assistant"]
    assert all(set(message) == {"Role", "Content"} and message["Content"] for message in messages)
    assert "round 2" in messages[2]["Content"]


def test_tts_is_added_to_the_history_unless_add_history_is_false(api, instance, clock):
    api.on("SendAgentInstanceTTS", instance, Text="kept")
    clock.advance(SPEAKING_S)
    api.on("SendAgentInstanceTTS", instance, Text="not kept", AddHistory=False)

    assert api.messages(instance) == [{"Role": "assistant", "Content": "kept"}]


def test_llm_adds_its_answer_but_not_its_question_by_default(api, instance, clock):
    api.on("SendAgentInstanceLLM", instance, Text="Say hello")
    clock.advance(THINKING_S)
    api.on("SendAgentInstanceLLM", instance, Text="Ask it", AddQuestionToHistory=True, AddAnswerToHistory=False)
    clock.advance(THINKING_S)

    roles_and_texts = [(message["Role"], message["Content"]) for message in api.messages(instance)]

    assert roles_and_texts[0][0] == "assistant" and "Say hello" in roles_and_texts[0][1]
    assert roles_and_texts[1] == ("user", "Ask it") and len(roles_and_texts) == 2


def test_with_disable_tts_the_tts_call_fails_and_a_turn_thinks_then_goes_idle(api, clock):
    instance = api.create(AdvancedConfig={"CommunicationMode": 2, "DisableTTS": True})

    tts = api.on("SendAgentInstanceTTS", instance, Text="hello")
    api.start(instance, 1)
    api.stop(instance, 2)
    clock.advance(THINKING_S)

    assert tts["Code"] == codes.ACTIVE_TTS_FAILED
    assert api.status(instance) == "IDLE"


def test_delete_removes_the_instance_at_once(api, instance):
    assert api.on("DeleteAgentInstance", instance)["Code"] == codes.SUCCESS

    assert api.on("StartListening", instance)["Code"] == codes.INSTANCE_NOT_FOUND


def test_graceful_delete_of_an_idle_instance_is_immediate(api, instance):
    api.on("DeleteAgentInstance", instance, GracefulShutdown=True)

    assert api.on("QueryAgentInstanceStatus", instance)["Code"] == codes.INSTANCE_NOT_FOUND


def test_graceful_delete_waits_for_idle_and_meanwhile_answers_410001041(api, instance, clock):
    api.start(instance, 1)
    api.stop(instance, 2)

    assert api.on("DeleteAgentInstance", instance, GracefulShutdown=True)["Code"] == codes.SUCCESS
    during = api.on("QueryAgentInstanceStatus", instance)
    clock.advance(THINKING_S + SPEAKING_S)
    after = api.on("QueryAgentInstanceStatus", instance)

    assert during["Code"] == codes.GRACEFUL_SHUTDOWN == 410001041
    assert after["Code"] == codes.INSTANCE_NOT_FOUND


def test_graceful_delete_ends_after_its_timeout_even_if_never_idle(api, instance, clock):
    api.start(instance, 1)  # listening: never idle without a StopListening, which is refused now
    api.on("DeleteAgentInstance", instance, GracefulShutdown=True, GracefulShutdownTimeout=5)

    clock.advance(4.9)
    assert api.on("StopListening", instance, Sequence=2)["Code"] == codes.GRACEFUL_SHUTDOWN
    clock.advance(0.1)

    assert api.on("QueryAgentInstanceStatus", instance)["Code"] == codes.INSTANCE_NOT_FOUND


@pytest.mark.parametrize("timeout", [0, 121])
def test_graceful_shutdown_timeout_is_1_to_120_seconds(api, instance, timeout):
    answer = api.on("DeleteAgentInstance", instance, GracefulShutdown=True, GracefulShutdownTimeout=timeout)

    assert answer["Code"] == codes.INVALID_PARAMETER and "GracefulShutdownTimeout" in answer["Message"]
