"""The agent-instance panel builds walkie-talkie requests and shows their answers."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox

from ptt_app.client import ApiResult, Outcome
from ptt_app.gui.instance_panel import InstancePanel
from ptt_app.settings import ProfileSettings


def make_panel(qtbot, **fields) -> InstancePanel:
    panel = InstancePanel()
    qtbot.addWidget(panel)
    panel.set_profile("default", ProfileSettings(agent_id="agent-1", user_id="op", **fields))
    return panel


def test_create_asks_for_a_walkie_talkie_instance_with_the_profiles_mode(qtbot) -> None:
    panel = make_panel(qtbot, walkie_talkie_mode=3)
    specs = []
    panel.create_requested.connect(specs.append)
    panel.create_button.click()
    assert specs[0].communication_mode == 3 and specs[0].agent_id == "agent-1"
    assert not panel.create_button.isEnabled()


def test_delete_asks_for_confirmation_before_it_is_sent(qtbot, monkeypatch) -> None:
    panel = make_panel(qtbot, agent_instance_id="inst-1")
    calls = []
    panel.instance_call_requested.connect(lambda *args: calls.append(args))
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.No)
    panel.delete_button.click()
    assert calls == []
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    panel.delete_button.click()
    assert calls == [("DeleteAgentInstance", "inst-1")]


def test_a_created_instance_can_be_used_for_talking(qtbot) -> None:
    panel = make_panel(qtbot)
    assert not panel.use_button.isEnabled()
    panel.show_result("CreateAgentInstance", ApiResult("CreateAgentInstance", None, 0, 2, Outcome.OK, 200, 0, "ok",
                                                       "rid", {"AgentInstanceId": "inst-new"}))
    used = []
    panel.use_instance_requested.connect(used.append)
    panel.use_button.click()
    assert used == ["inst-new"] and "rid" in panel.result_label.text()
