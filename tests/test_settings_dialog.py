"""The settings and credentials dialog: bad fields named, nothing saved until everything is valid."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QLineEdit

from ptt_app.client import ApiResult, Credentials, Outcome
from ptt_app.gui.settings_dialog import SettingsDialog, describe_connection_test
from ptt_app.settings import AppSettings, ProfileSettings, SettingsStore


@pytest.fixture
def store(tmp_path):
    saved = SettingsStore(tmp_path / "settings.json")
    saved.save(AppSettings(profiles={"default": ProfileSettings(user_id="op-1")}))
    return saved


def open_dialog(qtbot, store, has_credentials=False) -> SettingsDialog:
    dialog = SettingsDialog(store.load().settings, "default", has_credentials, settings_store=store)
    qtbot.addWidget(dialog)
    return dialog


def test_invalid_endpoint_keeps_the_dialog_open_names_the_field_and_saves_nothing(qtbot, store) -> None:
    before = store.path.read_bytes()
    dialog = open_dialog(qtbot, store)
    dialog._inputs["endpoint"].setText("http://example.com")
    dialog._save()
    assert dialog.result() == 0 and not dialog.saved_settings()
    assert "endpoint:" in dialog.problems_label.text()
    assert dialog._inputs["endpoint"].property("invalid") is True
    assert store.path.read_bytes() == before


def test_bad_app_id_is_named_and_nothing_is_saved(qtbot, store) -> None:
    before = store.path.read_bytes()
    dialog = open_dialog(qtbot, store)
    emitted = []
    dialog.save_credentials_requested.connect(lambda *args: emitted.append(args))
    dialog.app_id_input.setText("-12")
    dialog.secret_input.setText("a" * 32)
    dialog._save()
    assert "AppId:" in dialog.problems_label.text()
    assert emitted == [] and store.path.read_bytes() == before


def test_secret_field_is_masked_and_empty_when_credentials_are_saved(qtbot, store) -> None:
    dialog = open_dialog(qtbot, store, has_credentials=True)
    assert dialog.secret_input.echoMode() == QLineEdit.EchoMode.Password
    assert dialog.secret_input.text() == "" and "keyring" in dialog.secret_input.placeholderText()


def test_typed_credentials_are_emitted_on_ok_and_settings_saved(qtbot, store, server_secret) -> None:
    dialog = open_dialog(qtbot, store)
    emitted = []
    dialog.save_credentials_requested.connect(lambda *args: emitted.append(args))
    dialog._inputs["agent_instance_id"].setText("inst-9")
    dialog.app_id_input.setText("4242")
    dialog.secret_input.setText(server_secret)
    dialog._save()
    assert emitted == [("default", Credentials(4242, server_secret))]
    assert store.load().settings.profile("default").agent_instance_id == "inst-9"
    assert server_secret.encode() not in store.path.read_bytes()


def test_new_app_id_without_a_secret_is_refused(qtbot, store) -> None:
    dialog = open_dialog(qtbot, store)
    dialog.app_id_input.setText("4242")
    dialog._save()
    assert "ServerSecret: required" in dialog.problems_label.text()


def test_test_connection_sends_the_forms_settings_and_shows_the_answer(qtbot, store) -> None:
    dialog = open_dialog(qtbot, store, has_credentials=True)
    asked = []
    dialog.test_connection_requested.connect(lambda *args: asked.append(args))
    dialog._inputs["endpoint"].setText("http://127.0.0.1:9999")
    dialog.test_button.click()
    assert asked[0][0] == "default" and asked[0][1].endpoint == "http://127.0.0.1:9999" and asked[0][2] is None
    assert not dialog.test_button.isEnabled()
    dialog.show_test_result(ApiResult("QueryAgentInstanceStatus", None, 0, 1, Outcome.API_ERROR, 200, 100000005, "bad", "r1"))
    assert dialog.test_button.isEnabled() and "refused the credentials" in dialog.test_label.text()


def test_connection_test_wording_separates_reachability_from_credentials() -> None:
    down = ApiResult("Q", None, 0, 1, Outcome.TRANSPORT_ERROR, None, None, "connection refused", None)
    unknown_instance = ApiResult("Q", None, 0, 1, Outcome.API_ERROR, 200, 410000010, "instance not found", "r")
    assert describe_connection_test(down).startswith("Could not reach")
    assert describe_connection_test(unknown_instance).startswith("Signature accepted")
