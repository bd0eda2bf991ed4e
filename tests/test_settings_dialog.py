"""The settings and credentials dialog: bad fields named, nothing saved until everything is valid."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLineEdit

from ptt_app.api.types import ApiResult, Credentials, Outcome
from ptt_app.gui.key_capture import key_event_name
from ptt_app.gui.settings_dialog import SettingsDialog, describe_connection_test
from ptt_app.hotkeys import binding_problem
from ptt_app.store.settings import (
    CUSTOM_REGION,
    REGION_ENDPOINTS,
    AppSettings,
    InvalidSettings,
    ProfileSettings,
    SettingsStore,
    validate_profile,
)

QUERY = "QueryAgentInstanceStatus"


@pytest.fixture
def store(tmp_path) -> SettingsStore:
    saved = SettingsStore(tmp_path / "settings.json")
    saved.save(AppSettings(profiles={"default": ProfileSettings(user_id="op-1"),
                                     "backup": ProfileSettings(user_id="op-2", agent_id="agent-b")}))
    return saved


def open_dialog(qtbot, store: SettingsStore, has_credentials: bool | None = False) -> SettingsDialog:
    """The dialog with a stand-in for the worker: Save writes the settings file and answers the dialog."""
    dialog = SettingsDialog(store.load().settings, "default", has_credentials)
    qtbot.addWidget(dialog)

    def save(name: str, settings: AppSettings, credentials: Credentials | None) -> None:
        try:
            store.save(settings)
        except InvalidSettings as error:
            dialog.show_save_failed(f"Settings refused: {error}. Nothing was saved.")
            return
        dialog.show_saved("Settings saved.")

    dialog.save_requested.connect(save)
    return dialog


def use_custom_url(dialog: SettingsDialog, url: str) -> None:
    region = dialog._inputs["region"]
    region.setCurrentIndex(region.findData(CUSTOM_REGION))
    dialog._inputs["endpoint"].setText(url)


def press_save(dialog: SettingsDialog) -> None:
    dialog.button_box.button(QDialogButtonBox.StandardButton.Ok).click()


def emitted_credentials(dialog: SettingsDialog) -> list[tuple]:
    """The (profile, credentials) of every Save that carried credentials to the worker."""
    emitted: list[tuple] = []
    dialog.save_requested.connect(lambda name, _settings, credentials: credentials and emitted.append((name, credentials)))
    return emitted


def api_result(outcome: Outcome, code: int | None, message: str, request_id: str | None = "rid-1") -> ApiResult:
    return ApiResult(QUERY, None, 0.0, 12.0, outcome, 200 if code is not None else None, code, message, request_id)


def test_invalid_endpoint_keeps_the_dialog_open_names_the_field_and_leaves_the_file_byte_identical(qtbot, store) -> None:
    before = store.path.read_bytes()
    dialog = open_dialog(qtbot, store)
    dialog.show()
    use_custom_url(dialog, "http://example.com")
    press_save(dialog)
    assert dialog.isVisible() and dialog.result() == 0 and dialog.saved_settings() is None
    assert dialog.problems_label.text().startswith("Custom URL: must start with https://")
    assert dialog._inputs["endpoint"].property("invalid") is True
    assert dialog.focusWidget() is dialog._inputs["endpoint"]
    assert store.path.read_bytes() == before


def test_bad_app_id_is_named_and_nothing_is_saved(qtbot, store) -> None:
    before = store.path.read_bytes()
    dialog = open_dialog(qtbot, store)
    emitted = emitted_credentials(dialog)
    dialog.app_id_input.setText("-12")
    dialog.secret_input.setText("a" * 32)
    press_save(dialog)
    assert "AppId: must be a whole number" in dialog.problems_label.text()
    assert dialog.app_id_input.property("invalid") is True
    assert emitted == [] and store.path.read_bytes() == before


def test_secret_problem_never_echoes_the_typed_secret(qtbot, store) -> None:
    dialog = open_dialog(qtbot, store)
    dialog.app_id_input.setText("4242")
    dialog.secret_input.setText("Sekr1tValue")
    press_save(dialog)
    assert "ServerSecret: must be 32 characters" in dialog.problems_label.text()
    assert "Sekr1tValue" not in dialog.problems_label.text()


def test_secret_field_is_masked_and_empty_when_credentials_are_saved(qtbot, store) -> None:
    dialog = open_dialog(qtbot, store, has_credentials=True)
    assert dialog.secret_input.echoMode() == QLineEdit.EchoMode.Password
    assert dialog.secret_input.text() == ""
    assert dialog.secret_input.placeholderText() == "saved in keyring — leave empty to keep"


def test_show_toggle_reveals_only_what_was_typed(qtbot, store) -> None:
    dialog = open_dialog(qtbot, store, has_credentials=True)
    dialog.show_secret.setChecked(True)
    assert dialog.secret_input.echoMode() == QLineEdit.EchoMode.Normal and dialog.secret_input.text() == ""
    dialog.show_secret.setChecked(False)
    assert dialog.secret_input.echoMode() == QLineEdit.EchoMode.Password


def test_typed_secret_is_emitted_only_on_ok_with_valid_input(qtbot, store, server_secret) -> None:
    dialog = open_dialog(qtbot, store)
    emitted = emitted_credentials(dialog)
    dialog._inputs["agent_instance_id"].setText("inst-9")
    dialog.app_id_input.setText("4242")
    dialog.secret_input.setText(server_secret)
    assert emitted == []
    press_save(dialog)
    assert emitted == [("default", Credentials(4242, server_secret))]
    assert dialog.result() == QDialog.DialogCode.Accepted and dialog.secret_input.text() == ""
    assert store.load().settings.profile("default").agent_instance_id == "inst-9"
    assert server_secret.encode() not in store.path.read_bytes()


def test_a_saved_secret_cannot_be_brought_back_into_the_dialog_by_undo(qtbot, store, server_secret) -> None:
    from PySide6.QtTest import QTest

    dialog = open_dialog(qtbot, store)
    dialog.app_id_input.setText("4242")
    dialog.show_secret.setChecked(True)  # shown as typed: the field keeps an undo history
    QTest.keyClicks(dialog.secret_input, server_secret)
    press_save(dialog)
    dialog.secret_input.undo()
    assert dialog.secret_input.text() == ""


def test_empty_credentials_with_saved_ones_keep_them(qtbot, store) -> None:
    dialog = open_dialog(qtbot, store, has_credentials=True)
    emitted = emitted_credentials(dialog)
    press_save(dialog)
    assert dialog.result() == QDialog.DialogCode.Accepted and emitted == []
    assert dialog.saved_settings() == store.load().settings and dialog.chosen_profile_name() == "default"


def test_new_app_id_without_a_secret_is_refused(qtbot, store) -> None:
    before = store.path.read_bytes()
    dialog = open_dialog(qtbot, store, has_credentials=False)
    dialog.app_id_input.setText("4242")
    press_save(dialog)
    assert "ServerSecret: required with a new AppId" in dialog.problems_label.text()
    assert store.path.read_bytes() == before


def test_a_bad_field_on_another_tab_brings_that_tab_forward(qtbot, store) -> None:
    dialog = open_dialog(qtbot, store)
    dialog.show()
    assert dialog.tabs.currentIndex() == 0
    dialog._inputs["agent_id"].setText("has space")
    press_save(dialog)
    assert dialog.tabs.tabText(dialog.tabs.currentIndex()) == "New instances"
    assert "AgentId: must not contain spaces" in dialog.problems_label.text()


def test_rtc_ids_are_checked_with_the_documented_characters_and_lengths(qtbot, store) -> None:
    dialog = open_dialog(qtbot, store)
    dialog._inputs["rtc_room_id"].setText("room/1")
    dialog._inputs["agent_user_id"].setText("a" * 33)
    press_save(dialog)
    text = dialog.problems_label.text()
    assert "RTC room: may contain only letters, digits, '_', '-' and '.'" in text
    assert "Agent user: must be at most 32 characters, got 33" in text


def test_the_agent_user_must_differ_from_the_real_user(qtbot, store) -> None:
    dialog = open_dialog(qtbot, store)
    dialog._inputs["agent_user_id"].setText("op-1")
    press_save(dialog)
    assert "Agent user: must differ from user_id" in dialog.problems_label.text()


def test_a_region_is_chosen_by_name_and_saved_as_its_host(qtbot, store) -> None:
    dialog = open_dialog(qtbot, store)
    region = dialog._inputs["region"]
    assert region.currentData() == "unified" and not dialog._inputs["endpoint"].isEnabled()
    region.setCurrentIndex(region.findData("fra"))
    press_save(dialog)
    assert store.load().settings.profile("default").endpoint == REGION_ENDPOINTS["fra"]


def test_a_failed_save_keeps_the_dialog_open_with_the_reason(qtbot, store) -> None:
    dialog = SettingsDialog(store.load().settings, "default", False)
    qtbot.addWidget(dialog)
    dialog.save_requested.connect(lambda *args: dialog.show_save_failed("Keyring: the keyring is locked. Nothing was saved."))
    dialog.show()
    dialog.app_id_input.setText("4242")
    dialog.secret_input.setText("a" * 32)
    press_save(dialog)
    assert dialog.isVisible() and dialog.result() == 0
    assert "the keyring is locked" in dialog.problems_label.text()
    assert dialog.secret_input.text() == "a" * 32, "what was typed stays for another try"


def test_choosing_another_profile_shows_its_values_and_saves_it_as_active(qtbot, store) -> None:
    dialog = open_dialog(qtbot, store, has_credentials=True)
    dialog.profile_box.setCurrentText("backup")
    dialog.profile_box.activated.emit(dialog.profile_box.currentIndex())
    assert dialog._inputs["agent_id"].text() == "agent-b"
    # Saved credentials were known for "default" only.
    assert "keep what the keyring has" in dialog.secret_input.placeholderText()
    press_save(dialog)
    assert store.load().settings.active_profile == "backup"


def test_a_typed_new_profile_name_starts_from_the_values_shown(qtbot, store) -> None:
    dialog = open_dialog(qtbot, store)
    dialog._inputs["user_id"].setText("op-new")
    dialog.profile_box.setEditText("night-shift")
    press_save(dialog)
    saved = store.load().settings
    assert saved.active_profile == "night-shift" and saved.profile("night-shift").user_id == "op-new"
    assert saved.profile("default").user_id == "op-1"


def test_invalid_profile_name_is_named(qtbot, store) -> None:
    dialog = open_dialog(qtbot, store)
    dialog.profile_box.setEditText("has space")
    press_save(dialog)
    assert "Profile: must be 1-32 letters" in dialog.problems_label.text()
    assert dialog.profile_box.property("invalid") is True


def test_enter_saves_and_escape_cancels(qtbot, store) -> None:
    dialog = open_dialog(qtbot, store)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog._inputs["user_id"].setFocus()
    qtbot.keyClick(dialog._inputs["user_id"], Qt.Key.Key_Return)
    assert dialog.result() == QDialog.DialogCode.Accepted
    other = open_dialog(qtbot, store)
    other.show()
    qtbot.waitExposed(other)
    qtbot.keyClick(other._inputs["user_id"], Qt.Key.Key_Escape)
    assert other.result() == QDialog.DialogCode.Rejected and not other.isVisible()


def talk_key_field(dialog: SettingsDialog):
    dialog.tabs.setCurrentIndex(dialog._tab_of["hold_key"])
    return dialog._inputs["hold_key"]


def test_pressing_a_key_in_the_talk_key_field_binds_it(qtbot, store) -> None:
    dialog = open_dialog(qtbot, store)
    field = talk_key_field(dialog)
    qtbot.keyClick(field, Qt.Key.Key_F13)
    assert field.text() == "F13"
    press_save(dialog)
    assert store.load().settings.profile("default").hold_key == "F13"


def test_modifiers_are_part_of_the_binding_and_alone_bind_nothing(qtbot, store) -> None:
    dialog = open_dialog(qtbot, store)
    field = talk_key_field(dialog)
    qtbot.keyClick(field, Qt.Key.Key_Shift, Qt.KeyboardModifier.ShiftModifier)
    assert field.text() == "Space"
    qtbot.keyClick(field, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert field.text() == "Ctrl+Shift+P"
    assert validate_profile(dialog.form_profile()) == []


def test_a_pedals_f13_is_named_by_its_keycode_on_x11() -> None:
    # Most X11 layouts give keycode 191 the keysym XF86Tools: Qt reports Key_Tools, not F13.
    event = QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_Tools, Qt.KeyboardModifier.NoModifier, 191, 0, 0)
    assert key_event_name(event, "xcb") == "F13"
    assert binding_problem(key_event_name(event, "offscreen")) is not None


def test_a_mouse_side_button_binds_and_makes_the_scope_global(qtbot, store) -> None:
    dialog = open_dialog(qtbot, store)
    field = talk_key_field(dialog)
    qtbot.mousePress(field, Qt.MouseButton.BackButton)
    assert field.text() == "Mouse8"
    assert dialog._inputs["hotkey_scope"].currentData() == "global"
    assert "only as a global hotkey" in dialog.key_note.text()
    assert validate_profile(dialog.form_profile()) == []


def test_a_key_that_cannot_be_bound_is_refused_with_the_reason(qtbot, store) -> None:
    dialog = open_dialog(qtbot, store)
    field = talk_key_field(dialog)
    qtbot.keyClick(field, Qt.Key.Key_Left)
    assert field.text() == "Space"
    assert "Left cannot be the talk key" in dialog.key_note.text()


def test_escape_in_the_talk_key_field_still_cancels_the_dialog(qtbot, store) -> None:
    dialog = open_dialog(qtbot, store)
    dialog.show()
    qtbot.waitExposed(dialog)
    qtbot.keyClick(talk_key_field(dialog), Qt.Key.Key_Escape)
    assert dialog.result() == QDialog.DialogCode.Rejected


def test_a_mouse_button_with_the_window_scope_is_refused_on_save(qtbot, store) -> None:
    before = store.path.read_bytes()
    dialog = open_dialog(qtbot, store)
    talk_key_field(dialog).setText("Mouse9")
    press_save(dialog)
    assert "Talk key: a mouse button works only as a global hotkey" in dialog.problems_label.text()
    assert store.path.read_bytes() == before


@pytest.mark.parametrize(("environment", "words"), [
    ({"DISPLAY": ":7"}, "an X11 key grab"),
    ({}, "no graphical session was found"),
])
def test_the_global_scope_says_which_backend_would_be_used_here(qtbot, store, monkeypatch, environment, words) -> None:
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "XDG_SESSION_TYPE"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    dialog = open_dialog(qtbot, store)
    scope = dialog._inputs["hotkey_scope"]
    scope.setCurrentIndex(scope.findData("global"))
    assert words in dialog.hotkey_status_label.text()


def test_a_global_space_warns_that_typing_loses_it(qtbot, store) -> None:
    dialog = open_dialog(qtbot, store)
    scope = dialog._inputs["hotkey_scope"]
    scope.setCurrentIndex(scope.findData("global"))
    assert "Space talks whenever it is typed" in dialog.hotkey_status_label.text()
    qtbot.keyClick(talk_key_field(dialog), Qt.Key.Key_F13)
    assert "whenever it is typed" not in dialog.hotkey_status_label.text()


def test_the_running_hotkeys_status_is_shown_from_the_window(qtbot, store) -> None:
    from PySide6.QtWidgets import QWidget

    window = QWidget()
    qtbot.addWidget(window)
    window.setProperty("hotkeyStatus", "Talk key: F13 (keycode 191), in every application (X11)")
    dialog = SettingsDialog(store.load().settings, "default", False, window)
    assert "Now: Talk key: F13 (keycode 191)" in dialog.hotkey_status_label.text()


def test_every_input_has_a_tooltip(qtbot, store) -> None:
    dialog = open_dialog(qtbot, store)
    assert all(widget.toolTip() for widget in dialog._inputs.values())
    assert all(widget.accessibleName() for widget in dialog._inputs.values())


def test_test_connection_emits_the_forms_settings_and_shows_the_result(qtbot, store) -> None:
    dialog = open_dialog(qtbot, store, has_credentials=True)
    asked = []
    dialog.test_connection_requested.connect(lambda *args: asked.append(args))
    use_custom_url(dialog, "http://127.0.0.1:9999")
    dialog.test_button.click()
    assert len(asked) == 1
    name, profile, credentials = asked[0]
    assert name == "default" and profile == dialog.form_profile() and credentials is None
    assert profile.endpoint == "http://127.0.0.1:9999" and profile.user_id == "op-1"
    assert not dialog.test_button.isEnabled() and dialog.test_label.text() == "Testing…"
    dialog.show_test_result(api_result(Outcome.API_ERROR, 410000010, "agent instance not found"))
    assert dialog.test_button.isEnabled()
    assert dialog.test_label.text().startswith("Signature accepted by the server")
    assert dialog.test_label.property("outcome") == "ok"


def test_test_connection_sends_typed_credentials(qtbot, store, server_secret) -> None:
    dialog = open_dialog(qtbot, store)
    asked = []
    dialog.test_connection_requested.connect(lambda *args: asked.append(args))
    dialog.app_id_input.setText("77")
    dialog.secret_input.setText(server_secret)
    dialog.test_button.click()
    assert asked[0][2] == Credentials(77, server_secret)


def test_test_connection_with_a_bad_field_sends_nothing(qtbot, store) -> None:
    dialog = open_dialog(qtbot, store)
    asked = []
    dialog.test_connection_requested.connect(lambda *args: asked.append(args))
    use_custom_url(dialog, "ftp://x")
    dialog.test_button.click()
    assert asked == [] and dialog.test_button.isEnabled() and "Custom URL:" in dialog.problems_label.text()


def test_test_connection_gives_the_button_back_when_no_answer_comes(qtbot, store, monkeypatch) -> None:
    monkeypatch.setattr("ptt_app.gui.settings_dialog._TEST_GRACE_S", 0.0)  # gives up after 0.1 + 0.1 s
    dialog = open_dialog(qtbot, store, has_credentials=True)
    dialog._inputs["connect_timeout_s"].setValue(0.1)
    dialog._inputs["read_timeout_s"].setValue(0.1)
    dialog.test_button.click()
    qtbot.waitUntil(dialog.test_button.isEnabled, timeout=2000)
    assert "No answer" in dialog.test_label.text()


def test_keyring_failure_during_a_test_is_shown_and_the_button_comes_back(qtbot, store) -> None:
    dialog = open_dialog(qtbot, store, has_credentials=True)
    dialog.test_button.click()
    dialog.show_credentials_failed("no AppId saved in the keyring for profile 'default'")
    assert dialog.test_button.isEnabled() and dialog.test_label.text().startswith("no AppId")


@pytest.mark.parametrize(
    ("result", "words"),
    [
        (api_result(Outcome.OK, 0, "success"), "Signature accepted by the server; the instance exists"),
        (
            api_result(Outcome.API_ERROR, 410000010, "agent instance not found"),
            "Signature accepted by the server; it answered Code 410000010",
        ),
        (api_result(Outcome.API_ERROR, 100000004, "signature expired"), "The server refused the credentials: Code 100000004"),
        (api_result(Outcome.API_ERROR, 100000005, "signature wrong"), "The server refused the credentials: Code 100000005"),
        (api_result(Outcome.API_ERROR, 100000010, "no secret"), "The server refused the credentials: Code 100000010"),
        (api_result(Outcome.API_ERROR, 100000017, "not enabled"), "The gateway refused the request"),
        (
            api_result(Outcome.TRANSPORT_ERROR, None, "connection refused", None),
            "Could not reach the endpoint: connection refused",
        ),
        (api_result(Outcome.TIMEOUT, None, "read timed out after 5.0 s", None), "Could not reach the endpoint: read timed out"),
        (api_result(Outcome.HTTP_ERROR, None, "HTTP 404", None), "The endpoint answered, but not as the AI Agent API"),
    ],
)
def test_connection_test_wording_separates_reachability_credentials_and_acceptance(result, words) -> None:
    assert describe_connection_test(result).startswith(words)


def test_clock_problem_is_explained() -> None:
    expired = api_result(Outcome.API_ERROR, 100000004, "signature expired")
    assert "clock" in describe_connection_test(expired)


def test_many_problems_at_once_do_not_stretch_the_dialog_down_the_screen(qtbot, store) -> None:
    dialog = open_dialog(qtbot, store)
    dialog.show()
    height = dialog.sizeHint().height()
    for name in ("agent_instance_id", "user_id", "agent_id", "rtc_room_id", "agent_stream_id", "agent_user_id",
                 "user_stream_id"):
        dialog._inputs[name].setText("not valid here ✗")
    dialog.app_id_input.setText("-1")
    dialog.secret_input.setText("short")
    press_save(dialog)
    assert dialog.problems_label.text().count("\n") >= 8, "every problem is still listed"
    # It grew to 770 px with errors shown; now the list scrolls within a few lines.
    assert dialog.sizeHint().height() <= height + dialog.problems_area.maximumHeight() + 24
    assert dialog.sizeHint().height() < 600
