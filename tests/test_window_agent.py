"""A live view of the agent in the real window (pytest-qt, offscreen) against the real simulator: the status
light, the banner and its remedies, Interrupt, the Say box, the transcript, and quitting without waiting for
anything but the Stop."""

from __future__ import annotations

import pytest

from ptt_app.api.types import QUERY_AGENT_INSTANCE_STATUS, instance_request
from ptt_app.gui.agent_view import LISTENING_REFUSAL, SAY_MAX_CHARS, TRANSCRIPT_SHOWN, TranscriptPane
from ptt_app.gui.main_window import MainWindow
from ptt_app.session.runtime import ConsoleOptions
from ptt_app.sim import Fault, FaultKind
from ptt_app.talk.intents import TalkState
from ptt_app.talk.status_poller import PollSettings, TranscriptMessage

START, STOP = "StartListening", "StopListening"
ROOM = {"rtc_room_id": "room-7", "agent_stream_id": "agent-7-stream", "agent_user_id": "agent-7-user",
        "user_stream_id": "test-user-stream"}


def sent(simulator, action: str) -> list:
    return [r for r in simulator.received() if r.action == action]


def light(window) -> str:
    return window.agent.light.word_label.text()


def talk_turn(qtbot, window, hold_ms: int = 300) -> None:
    """Press, hold, release; returns once the Stop is confirmed."""
    window.press("test")
    qtbot.waitUntil(lambda: window.talk.controller.state is TalkState.LISTENING, timeout=3000)
    qtbot.wait(hold_ms)
    window.release("test")
    qtbot.waitUntil(lambda: window.talk.controller.state is TalkState.IDLE, timeout=3000)


@pytest.fixture
def demo_window(qtbot):
    """The window on the built-in demo (its own simulator, reached only through the session)."""
    window = MainWindow(ConsoleOptions(demo=True))
    window.remember_geometry = False
    window.show()
    qtbot.waitUntil(window.talk_button.isEnabled, timeout=5000)
    yield window
    if not window._drained:
        window.close()
        qtbot.waitUntil(lambda: window._drained, timeout=10000)


# --- the status light -------------------------------------------------------------------------------


def test_the_light_shows_each_status_of_a_turn_in_order(qtbot, open_window) -> None:
    window = open_window()
    qtbot.waitUntil(lambda: light(window) == "Idle", timeout=3000)
    window.press("test")
    qtbot.waitUntil(lambda: light(window) == "Listening", timeout=3000)
    window.release("test")
    # The simulator thinks for 1 s and speaks for 2 s; the light is asked about once a second meanwhile.
    for word, within_ms in (("Thinking", 2000), ("Speaking", 3000), ("Idle", 4000)):
        qtbot.waitUntil(lambda word=word: light(window) == word, timeout=within_ms)


def test_the_light_and_every_log_row_of_a_turn_carry_its_round(qtbot, open_window) -> None:
    window = open_window()
    talk_turn(qtbot, window)
    model = window.log_model

    def round_of(action: str) -> str:
        row = next(r for r in range(model.rowCount()) if model.entry_at(r).action == action)
        return model.text_at(row, 4)  # the Round column

    qtbot.waitUntil(lambda: round_of(STOP) != "")
    assert round_of(START) == round_of(STOP)
    assert window.agent.light.round_label.text() == f"Round {round_of(STOP)}"


def test_polls_are_about_one_a_second_during_a_turn_and_rarer_when_idle(qtbot, open_window, simulator) -> None:
    window = open_window()
    qtbot.waitUntil(lambda: light(window) == "Idle", timeout=3000)
    simulator.clear_received()
    qtbot.wait(3000)
    idle_polls = len(sent(simulator, QUERY_AGENT_INSTANCE_STATUS))
    window.press("test")
    qtbot.waitUntil(lambda: light(window) == "Listening", timeout=3000)
    simulator.clear_received()
    qtbot.wait(3000)
    listening_polls = len(sent(simulator, QUERY_AGENT_INSTANCE_STATUS))
    window.release("test")
    assert idle_polls <= 1 < 2 <= listening_polls <= 4
    assert PollSettings().idle_interval_s > 2 * PollSettings().active_interval_s


def test_no_poll_goes_out_while_no_session_is_open(qtbot, simulator, credentials) -> None:
    from conftest import save_profile
    from support.fake_credentials import FixedCredentialStore

    save_profile(endpoint=simulator.base_url, agent_instance_id="", user_id="op")  # no instance to watch
    window = MainWindow(ConsoleOptions(), credential_store=FixedCredentialStore(credentials))
    window.show()
    try:
        qtbot.waitUntil(lambda: window._session is not None, timeout=5000)
        qtbot.wait(1500)
        assert sent(simulator, QUERY_AGENT_INSTANCE_STATUS) == []
        assert light(window) == "No instance"
    finally:
        window.close()
        qtbot.waitUntil(lambda: window._drained, timeout=10000)


# --- the banner -----------------------------------------------------------------------------------


def test_demo_user_not_publishing_shows_the_banner_on_press_and_it_goes_once_they_publish(qtbot, demo_window) -> None:
    window = demo_window
    window.set_demo_user_state("silent")
    window.press("test")
    qtbot.waitUntil(window.agent.banner.isVisible, timeout=3000)
    window.release("test")
    text = window.agent.banner.text_label.text()
    assert text == ("User demo-operator is not publishing audio in room demo-room: start their voice client, then "
                    "press again.")
    assert window.agent.banner.remedy_button.text() == "Start demo voice client"
    window.set_demo_user_state("publishing")
    talk_turn(qtbot, window)
    assert not window.agent.banner.isVisible()


def test_the_demo_banner_button_starts_the_demo_users_voice_client(qtbot, demo_window) -> None:
    window = demo_window
    window.demo_user_actions["absent"].trigger()
    window.press("test")
    qtbot.waitUntil(window.agent.banner.isVisible, timeout=3000)
    window.release("test")
    qtbot.waitUntil(lambda: window.talk.controller.state is not TalkState.STOPPING, timeout=3000)
    window.agent.banner.remedy_button.click()
    assert window.demo_user_actions["publishing"].isChecked()
    talk_turn(qtbot, window)
    assert not window.agent.banner.isVisible()


def test_a_real_users_banner_offers_no_button_but_says_who_and_where(qtbot, open_window, simulator, instance_id) -> None:
    window = open_window()
    simulator.set_user_state("silent", instance_id)
    window.press("test")
    qtbot.waitUntil(window.agent.banner.isVisible, timeout=3000)
    window.release("test")
    assert "User test-user is not publishing audio" in window.agent.banner.text_label.text()
    assert not window.agent.banner.remedy_button.isVisibleTo(window.agent.banner)
    assert window.talk.controller.state is not TalkState.LISTENING


def test_a_full_duplex_instance_gets_a_banner_that_creates_a_walkie_talkie_one(qtbot, open_window, simulator) -> None:
    simulator.register_agent("agent-7")
    full_duplex = simulator.create_instance(agent_id="agent-7", user_id="test-user", communication_mode=0)
    window = open_window(agent_instance_id=full_duplex, agent_id="agent-7", **ROOM)
    window.remember_geometry = False  # the instance panel this test opens stays closed for later windows
    window.press("test")
    qtbot.waitUntil(window.agent.banner.isVisible, timeout=3000)
    window.release("test")
    assert "not in walkie-talkie mode" in window.agent.banner.text_label.text()
    assert window.agent.banner.remedy_button.text() == "Create instance"
    window.agent.banner.remedy_button.click()
    qtbot.waitUntil(lambda: window.instance_value.text() not in ("", full_duplex) and window.talk_button.isEnabled(),
                    timeout=5000)
    created = window.instance_value.text()
    assert window.instance_dock.isVisible() and not window.agent.banner.isVisible()
    talk_turn(qtbot, window)
    assert simulator.last_acted(created) is not None


def test_an_instance_deleted_behind_the_windows_back_is_noticed_by_the_poll(qtbot, open_window, client, instance_id) -> None:
    window = open_window()
    qtbot.waitUntil(lambda: light(window) == "Idle", timeout=3000)
    assert client.send(instance_request("DeleteAgentInstance", instance_id)).ok  # another console deleted it
    qtbot.waitUntil(window.agent.banner.isVisible, timeout=3000 + int(PollSettings().idle_interval_s * 1000))
    assert f"Instance {instance_id} is gone" in window.agent.banner.text_label.text()
    assert window.agent.banner.remedy_button.text() == "Create instance"
    assert light(window) == "Instance gone"


# --- 410001043 and unknown codes ----------------------------------------------------------------------


def test_an_outdated_answer_is_never_an_error_when_a_newer_press_exists(qtbot, open_window, simulator) -> None:
    window = open_window()
    # The Start is answered 410001043 (as a late, superseded request would be); the Stop after it is the newest.
    simulator.add_fault(Fault(FaultKind.FORCED_CODE, action=START, code=410001043, times=1))
    window.press("test")
    window.release("test")
    qtbot.waitUntil(lambda: window.talk.controller.state is TalkState.IDLE, timeout=3000)
    rows = [window.log_model.entry_at(r) for r in range(window.log_model.rowCount())]
    start_row = next(r for r, entry in enumerate(rows) if entry.action == START)
    assert window.log_model.text_at(start_row, 2) == "Ignored (outdated)"
    assert not window.message_label.property("error")
    assert not window.agent.banner.isVisible()


def test_an_unknown_code_is_shown_verbatim(qtbot, open_window, simulator) -> None:
    window = open_window()
    simulator.add_fault(Fault(FaultKind.FORCED_CODE, action=START, code=499999999, times=1))
    window.press("test")
    qtbot.waitUntil(lambda: window.talk.controller.state is TalkState.ERROR, timeout=3000)
    window.release("test")
    assert "Code 499999999: forced by the simulator's FORCED_CODE fault; not acted on" in window.shown_message()
    assert "Code 499999999: forced by the simulator's FORCED_CODE fault; not acted on (" not in window.shown_message()


# --- Interrupt, Say, transcript -----------------------------------------------------------------------


def test_interrupt_stops_the_agent_speaking(qtbot, open_window) -> None:
    window = open_window()
    window.press("test")
    qtbot.waitUntil(lambda: window.talk.controller.state is TalkState.LISTENING, timeout=3000)
    window.release("test")
    qtbot.waitUntil(lambda: light(window) in ("Thinking", "Speaking"), timeout=3000)
    window.agent.controls.interrupt_button.click()
    qtbot.waitUntil(lambda: window.agent.controls.result_label.text() == "Interrupted.", timeout=3000)
    qtbot.waitUntil(lambda: light(window) == "Idle", timeout=3000)


def test_say_is_refused_while_listening_with_the_reason(qtbot, open_window, simulator) -> None:
    window = open_window()
    pane = window.agent.transcript
    pane.say_field.setText("Hello there.")
    assert pane.say_button.isEnabled()
    window.press("test")
    qtbot.waitUntil(lambda: not pane.say_button.isEnabled(), timeout=1000)  # a few ms after the Start left
    assert pane.say_note.text() == LISTENING_REFUSAL and pane.say_button.toolTip() == LISTENING_REFUSAL
    pane.say_field.returnPressed.emit()
    window.release("test")
    qtbot.waitUntil(pane.say_button.isEnabled, timeout=3000)
    assert sent(simulator, "SendAgentInstanceTTS") == []


def test_say_refuses_more_than_300_characters_and_says_how_many_too_many(qtbot, open_window, simulator) -> None:
    window = open_window()
    pane = window.agent.transcript
    pane.say_field.setText("x" * (SAY_MAX_CHARS + 12))
    assert not pane.say_button.isEnabled()
    assert pane.say_note.text() == "Too long by 12 characters: the agent says at most 300."
    assert pane.count_label.text() == "312/300"
    pane.say_field.setText("x" * SAY_MAX_CHARS)
    assert pane.say_button.isEnabled()


def test_said_text_reaches_the_agent_and_then_the_transcript(qtbot, open_window, simulator) -> None:
    window = open_window()
    pane = window.agent.transcript
    pane.say_field.setText("The shuttle leaves at nine.")
    pane.say_button.click()
    qtbot.waitUntil(lambda: pane.say_note.text().startswith("The agent is saying it"), timeout=3000)
    assert [r.body["Text"] for r in sent(simulator, "SendAgentInstanceTTS")] == ["The shuttle leaves at nine."]
    assert pane.say_field.text() == ""
    qtbot.waitUntil(lambda: "The shuttle leaves at nine." in pane.view.toPlainText(), timeout=8000)


def test_the_transcript_refreshes_after_each_turn_and_says_what_was_heard_and_answered(qtbot, open_window) -> None:
    window = open_window()
    pane = window.agent.transcript
    for turn in (1, 2):
        talk_turn(qtbot, window)
        qtbot.waitUntil(lambda turn=turn: len(pane.messages) == 2 * turn, timeout=8000)
    assert [m.role for m in pane.messages] == ["user", "assistant", "user", "assistant"]
    text = pane.view.toPlainText()
    assert text.count("Heard (user)") == 2 and text.count("Answered (agent)") == 2
    assert window.tabs.tabText(1) == "Transcript (4 new)"
    window.tabs.setCurrentWidget(pane)
    assert window.tabs.tabText(1) == "Transcript"


def test_a_long_history_shows_only_its_latest_messages_and_counts_the_new_ones(qtbot) -> None:
    pane = TranscriptPane()
    qtbot.addWidget(pane)
    history = [TranscriptMessage("user" if i % 2 == 0 else "assistant", f"message {i:04d}") for i in range(250)]
    pane.show_transcript(history)
    assert TRANSCRIPT_SHOWN == 200 and pane.messages == history[-200:]
    text = pane.view.toPlainText()
    assert "message 0050" in text and "message 0249" in text and "message 0049" not in text
    assert pane.state_label.text().endswith(": 250 messages, the latest 200 shown.")
    with qtbot.waitSignal(pane.updated) as refreshed:
        pane.show_transcript([*history, TranscriptMessage("user", "message 0250"), TranscriptMessage("assistant", "ok")])
    assert refreshed.args == [2]
    assert pane.messages[-1].content == "ok" and len(pane.messages) == 200


# --- quitting ---------------------------------------------------------------------------------------


def test_quitting_with_nothing_in_flight_does_not_wait_for_the_drain_deadline(qtbot, open_window) -> None:
    window = open_window(read_timeout_s=30.0)  # a drain that waited for its deadline would take 31 s
    qtbot.waitUntil(lambda: light(window) == "Idle", timeout=3000)
    window.close()
    qtbot.waitUntil(lambda: window._drained, timeout=3000)


def test_quitting_does_not_wait_for_a_stalled_status_poll(qtbot, open_window, simulator) -> None:
    window = open_window(read_timeout_s=30.0)
    qtbot.waitUntil(lambda: light(window) == "Idle", timeout=3000)
    simulator.add_fault(Fault(FaultKind.STALL, action=QUERY_AGENT_INSTANCE_STATUS, seconds=60.0))
    window.agent.controls.interrupt_button.click()  # brings the next poll forward: it stalls
    qtbot.waitUntil(lambda: len(sent(simulator, QUERY_AGENT_INSTANCE_STATUS)) >= 2, timeout=3000)
    window.close()
    qtbot.waitUntil(lambda: window._drained, timeout=3000)


def test_quitting_with_a_stop_in_flight_says_it_waits_and_waits_for_it(qtbot, open_window, simulator, instance_id) -> None:
    window = open_window()
    window.press("test")
    qtbot.waitUntil(lambda: simulator.is_listening(instance_id), timeout=3000)
    simulator.add_fault(Fault(FaultKind.DELAY, action=STOP, seconds=1.0, times=1))
    window.close()
    qtbot.waitUntil(lambda: window.shown_message() == "Waiting for StopListening to be answered…", timeout=2000)
    assert not window._drained
    qtbot.waitUntil(lambda: window._drained, timeout=5000)
    assert not simulator.is_listening(instance_id)
