"""The agent-instance panel builds walkie-talkie requests and shows their answers."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QMessageBox

from ptt_app.api.types import ApiResult, InstanceSpec, Outcome
from ptt_app.gui.instance_panel import InstancePanel
from ptt_app.store.settings import ProfileSettings

CREATE = "CreateAgentInstance"
QUERY = "QueryAgentInstanceStatus"
DELETE = "DeleteAgentInstance"


RTC = {"rtc_room_id": "room-1", "agent_stream_id": "agent-s", "agent_user_id": "agent-u", "user_stream_id": "user-s"}


def make_panel(qtbot, **fields) -> InstancePanel:
    panel = InstancePanel()
    qtbot.addWidget(panel)
    values = {"agent_id": "agent-1", "user_id": "op", **fields}
    panel.set_profile("default", ProfileSettings(**values))
    return panel


def answer(action: str, data: dict | None = None, code: int = 0, message: str = "success",
           request_id: str = "rid-1") -> ApiResult:
    outcome = Outcome.OK if code == 0 else Outcome.API_ERROR
    return ApiResult(action, None, 0.0, 21.0, outcome, 200, code, message, request_id, data)


def recorder(signal) -> list:
    seen: list = []
    signal.connect(lambda *args: seen.append(args if len(args) != 1 else args[0]))
    return seen


def answer_yes(monkeypatch, yes: bool) -> list:
    asked: list = []

    def question(*args, **kwargs):
        asked.append(args)
        return QMessageBox.StandardButton.Yes if yes else QMessageBox.StandardButton.No

    monkeypatch.setattr(QMessageBox, "question", question)
    return asked


def test_create_builds_the_documented_walkie_talkie_spec_from_the_profile(qtbot) -> None:
    panel = make_panel(qtbot, interrupt_mode=0, max_idle_time_s=300, **RTC)
    specs = recorder(panel.create_requested)
    panel.create_button.click()
    assert specs == [InstanceSpec(agent_id="agent-1", user_id="op", rtc_room_id="room-1", agent_stream_id="agent-s",
                                  agent_user_id="agent-u", user_stream_id="user-s", interrupt_mode=0, max_idle_time_s=300)]
    body = specs[0].as_body()
    assert body["AdvancedConfig"] == {"CommunicationMode": 2, "InterruptMode": 0, "MaxIdleTime": 300}
    assert body["RTC"] == {"RoomId": "room-1", "AgentStreamId": "agent-s", "AgentUserId": "agent-u", "UserStreamId": "user-s"}


def test_buttons_are_disabled_while_a_call_is_in_flight(qtbot) -> None:
    panel = make_panel(qtbot, agent_instance_id="inst-1")
    panel.query_button.click()
    buttons = (panel.create_button, panel.query_button, panel.delete_button)
    assert not any(button.isEnabled() for button in buttons)
    panel.show_result(QUERY, answer(QUERY, {"Status": 2}))
    assert all(button.isEnabled() for button in buttons)


def test_query_delete_and_use_are_disabled_without_an_instance_id(qtbot) -> None:
    panel = make_panel(qtbot)
    assert panel.create_button.isEnabled()
    for button in (panel.query_button, panel.delete_button, panel.use_button, panel.copy_button):
        assert not button.isEnabled()


def test_create_without_the_rtc_ids_names_them_and_sends_nothing(qtbot) -> None:
    panel = make_panel(qtbot, agent_id="", rtc_room_id="room-1")
    specs = recorder(panel.create_requested)
    panel.create_button.click()
    text = panel.result_label.text()
    assert specs == [] and "Not set: agent_id, agent_stream_id, agent_user_id, user_stream_id" in text
    assert panel.create_button.isEnabled()


def test_one_missing_setting_is_spoken_of_as_one(qtbot) -> None:
    panel = make_panel(qtbot, agent_id="", **RTC)
    panel.create_button.click()
    assert panel.result_label.text() == ("Not set: agent_id. Add it in File → Settings… (New instances) before "
                                         "creating an instance.")


def test_the_not_set_line_goes_once_the_setting_is_saved(qtbot) -> None:
    panel = make_panel(qtbot, agent_id="", **RTC)
    panel.create_button.click()
    assert panel.result_label.text().startswith("Not set: agent_id")
    panel.set_profile("default", ProfileSettings(agent_id="agent-1", user_id="op", **RTC))
    assert panel.result_label.text() == "" and panel.result_label.property("outcome") == ""


def test_a_not_set_line_names_only_what_is_still_missing(qtbot) -> None:
    panel = make_panel(qtbot, agent_id="")
    panel.create_button.click()
    panel.set_profile("default", ProfileSettings(agent_id="agent-1", user_id="op"))
    assert panel.result_label.text().startswith("Not set: rtc_room_id, agent_stream_id")


def test_the_panel_asks_for_little_width_so_the_talk_area_keeps_its_room(qtbot) -> None:
    from ptt_app.gui.instance_panel import PREFERRED_WIDTH_PX

    panel = make_panel(qtbot, agent_instance_id="1900055423527369000", **RTC)
    assert panel.sizeHint().width() <= PREFERRED_WIDTH_PX
    assert panel.minimumSizeHint().width() <= PREFERRED_WIDTH_PX


def test_delete_asks_for_confirmation_and_sends_nothing_on_no(qtbot, monkeypatch) -> None:
    panel = make_panel(qtbot, agent_instance_id="inst-1")
    calls = recorder(panel.instance_call_requested)
    asked = answer_yes(monkeypatch, False)
    panel.delete_button.click()
    assert len(asked) == 1 and "inst-1" in asked[0][2]
    assert calls == [] and panel.delete_button.isEnabled()


def test_delete_confirmed_emits_and_clears_the_deleted_id(qtbot, monkeypatch) -> None:
    panel = make_panel(qtbot, agent_instance_id="inst-1")
    calls = recorder(panel.instance_call_requested)
    answer_yes(monkeypatch, True)
    panel.delete_button.click()
    assert calls == [(DELETE, "inst-1")]
    panel.show_result(DELETE, answer(DELETE))
    assert panel.current_instance_id() == "" and "inst-1 deleted" in panel.status_view.toPlainText()


def test_show_result_of_a_create_fills_the_id_and_enables_use(qtbot) -> None:
    panel = make_panel(qtbot)
    panel.create_button.click()
    assert not panel.use_button.isEnabled()
    panel.show_result(CREATE, answer(CREATE, {"AgentInstanceId": "inst-new"}, request_id="rid-7"))
    assert panel.current_instance_id() == "inst-new" and panel.use_button.isEnabled()
    used = recorder(panel.use_instance_requested)
    panel.use_button.click()
    assert used == ["inst-new"]


def test_the_result_line_shows_code_message_and_request_id(qtbot) -> None:
    panel = make_panel(qtbot, agent_instance_id="inst-1")
    panel.query_button.click()
    panel.show_result(QUERY, answer(QUERY, code=410000010, message="agent instance not found", request_id="rid-9"))
    line = panel.result_label.text()
    assert "Code 410000010" in line and "agent instance not found" in line and "rid-9" in line
    assert panel.result_label.property("outcome") == "problem"


def test_status_data_is_pretty_printed_and_a_failed_query_clears_it(qtbot) -> None:
    panel = make_panel(qtbot, agent_instance_id="inst-1")
    panel.show_result(QUERY, answer(QUERY, {"Status": 2, "AgentInstanceId": "inst-1"}))
    assert '"Status": 2' in panel.status_view.toPlainText() and "\n" in panel.status_view.toPlainText()
    panel.show_result(QUERY, answer(QUERY, code=410000001, message="system error"))
    assert panel.status_view.toPlainText() == ""


def test_the_instance_in_use_is_marked_and_use_is_disabled(qtbot) -> None:
    panel = make_panel(qtbot, agent_instance_id="inst-1")
    assert not panel.use_button.isEnabled() and panel.use_button.text() == "Talking to this instance"


def test_answers_for_other_purposes_are_ignored(qtbot) -> None:
    panel = make_panel(qtbot, agent_instance_id="inst-1")
    panel.query_button.click()
    panel.show_result("test", answer(QUERY, {"Status": 9}))
    assert not panel.query_button.isEnabled() and panel.status_view.toPlainText() == ""


def test_buttons_come_back_when_no_answer_arrives(qtbot, monkeypatch) -> None:
    monkeypatch.setattr("ptt_app.gui.instance_panel.ANSWER_GRACE_S", 0.0)  # gives up after 0.1 + 0.1 s
    panel = make_panel(qtbot, agent_instance_id="inst-1", connect_timeout_s=0.1, read_timeout_s=0.1)
    panel.query_button.click()
    qtbot.waitUntil(panel.query_button.isEnabled, timeout=2000)
    assert "No answer" in panel.result_label.text()
    # A late create answer is still shown: an instance that exists must not go unseen.
    panel.show_result(CREATE, answer(CREATE, {"AgentInstanceId": "inst-late"}))
    assert panel.current_instance_id() == "inst-late"


def test_copy_puts_the_id_on_the_clipboard(qtbot) -> None:
    panel = make_panel(qtbot, agent_instance_id="inst-copy")
    panel.copy_button.click()
    assert QGuiApplication.clipboard().text() == "inst-copy"
