"""Settings and credentials: every field validated and named before anything is saved."""

from __future__ import annotations

import dataclasses
from enum import Enum

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ptt_app import api_codes
from ptt_app.client import ApiResult, Credentials, Outcome
from ptt_app.credentials import InvalidCredential, check_server_secret, parse_app_id
from ptt_app.paths import settings_path
from ptt_app.settings import (
    HOLD_KEYS,
    PROFILE_NAME,
    AppSettings,
    FieldProblem,
    ProfileSettings,
    SettingsStore,
    validate_profile,
)

_TEXT_FIELDS = {
    "endpoint": ("Endpoint", "The AI Agent API URL (https; http only to this machine)"),
    "agent_instance_id": ("AgentInstanceId", "The walkie-talkie agent instance to talk to"),
    "user_id": ("UserId", "Who is talking; empty = the UserId the instance was created with"),
    "agent_id": ("AgentId", "The agent to create instances of"),
    "rtc_room_id": ("RTC room", "RTC RoomId for new instances"),
    "agent_stream_id": ("Agent stream", "RTC stream id the agent publishes"),
    "user_stream_id": ("User stream", "RTC stream id the operator publishes"),
}
_CREDENTIAL_PROBLEMS_AUTH = (api_codes.SIGNATURE_WRONG, api_codes.SIGNATURE_EXPIRED, api_codes.SECRET_NOT_FOUND,
                             api_codes.APP_ID_FORMAT, api_codes.INVALID_APP_ID, api_codes.GATEWAY_AUTH_FAILED)


class FirstRunAnswer(Enum):
    """What the operator chose when no credentials were found."""

    SETTINGS = "settings"
    DEMO = "demo"
    QUIT = "quit"


def ask_first_run(parent: QWidget, profile_name: str, reason: str) -> FirstRunAnswer:
    """Offer Settings, the demo, or quitting when a profile cannot be opened."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Information)
    box.setWindowTitle("Credentials needed")
    box.setText(f"Profile {profile_name!r} cannot connect yet.")
    box.setInformativeText(f"{reason}\n\nSave the AppId and ServerSecret in Settings, or try the app on the "
                           "built-in demo simulator.")
    settings = box.addButton("Open Settings…", QMessageBox.ButtonRole.AcceptRole)
    demo = box.addButton("Try the demo", QMessageBox.ButtonRole.ActionRole)
    box.addButton("Quit", QMessageBox.ButtonRole.RejectRole)
    box.exec()
    clicked = box.clickedButton()
    if clicked is settings:
        return FirstRunAnswer.SETTINGS
    if clicked is demo:
        return FirstRunAnswer.DEMO
    return FirstRunAnswer.QUIT


class SettingsDialog(QDialog):
    """Edits one profile and its credentials; the secret field is masked and never pre-filled."""

    test_connection_requested = Signal(str, object, object)
    save_credentials_requested = Signal(str, object)

    def __init__(self, app_settings: AppSettings, profile_name: str, has_saved_credentials: bool | None,
                 parent: QWidget | None = None, settings_store: SettingsStore | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Settings and credentials")
        self.setMinimumWidth(520)
        self._app_settings = app_settings
        self._store = settings_store or SettingsStore(settings_path())
        self._has_saved_credentials = bool(has_saved_credentials)
        self._saved: AppSettings | None = None
        self._inputs: dict[str, QWidget] = {}
        self._build(profile_name)
        self._load_profile(profile_name)

    # --- layout ----------------------------------------------------------------------------------------

    def _build(self, profile_name: str) -> None:
        self.profile_box = QComboBox()
        self.profile_box.setEditable(True)
        self.profile_box.addItems(sorted(set(self._app_settings.profiles) | {profile_name}))
        self.profile_box.setCurrentText(profile_name)
        self.profile_box.setToolTip("Profiles keep separate settings and credentials; type a new name to add one")
        self.profile_box.currentTextChanged.connect(self._load_profile)
        self._inputs["profile"] = self.profile_box

        form = QFormLayout()
        form.addRow("Profile", self.profile_box)
        for name in ("endpoint", "agent_instance_id", "user_id"):
            form.addRow(_TEXT_FIELDS[name][0], self._text_input(name))
        self.hold_key_box = QComboBox()
        self.hold_key_box.addItems(sorted(HOLD_KEYS, key=lambda k: (len(k) > 1, k)))
        self.hold_key_box.setToolTip("Hold this key (while the window has focus) to talk")
        self._inputs["hold_key"] = self.hold_key_box
        form.addRow("Hold key", self.hold_key_box)
        form.addRow("Connect timeout (s)", self._number("connect_timeout_s", 0.1, 120, "Give up connecting after this long"))
        form.addRow("Read timeout (s)", self._number("read_timeout_s", 0.1, 120, "Give up waiting for an answer after this long"))
        form.addRow("Maximum hold (s)", self._number("max_hold_s", 1, 600, "Release by itself after this long, in case a key sticks"))
        form.addRow("Requests in flight", self._integer("max_in_flight", 1, 8, "How many Start/Stop may wait on a slow server at once"))

        create_group = QGroupBox("Create instance")
        create_group.setCheckable(True)
        create_group.setChecked(False)
        create_group.setToolTip("Parameters of CreateAgentInstance (the field list is unconfirmed)")
        create_form = QFormLayout(create_group)
        for name in ("agent_id", "rtc_room_id", "agent_stream_id", "user_stream_id"):
            create_form.addRow(_TEXT_FIELDS[name][0], self._text_input(name))
        create_form.addRow("CommunicationMode", self._integer(
            "walkie_talkie_mode", 0, 9, "The number that means walkie-talkie (unconfirmed; documented order suggests 2)"))
        create_form.addRow("InterruptMode", self._integer("interrupt_mode", 0, 9, "1 = voice interruption off"))
        create_group.toggled.connect(lambda on: [w.setVisible(on) for w in create_group.findChildren(QWidget)])
        create_group.toggled.emit(False)

        credentials_group = QGroupBox("Credentials (saved in the system keyring)")
        credentials_form = QFormLayout(credentials_group)
        self.app_id_input = QLineEdit()
        self.app_id_input.setToolTip("AppId from the ZEGOCLOUD console (leave empty to keep the saved one)")
        self.secret_input = QLineEdit()
        self.secret_input.setEchoMode(QLineEdit.EchoMode.Password)
        self.secret_input.setToolTip("The 32-character ServerSecret; it is never shown or written anywhere but the keyring")
        self.show_secret = QCheckBox("Show what I type")
        self.show_secret.toggled.connect(lambda on: self.secret_input.setEchoMode(
            QLineEdit.EchoMode.Normal if on else QLineEdit.EchoMode.Password))
        self._inputs["AppId"] = self.app_id_input
        self._inputs["ServerSecret"] = self.secret_input
        credentials_form.addRow("AppId", self.app_id_input)
        credentials_form.addRow("ServerSecret", self.secret_input)
        credentials_form.addRow("", self.show_secret)
        self._set_credential_placeholders()

        self.problems_label = QLabel()
        self.problems_label.setObjectName("problemsLabel")
        self.problems_label.setWordWrap(True)
        self.test_button = QPushButton("Test connection")
        self.test_button.setToolTip("Make one signed call with these settings and report what the server says")
        self.test_button.clicked.connect(self._test_connection)
        self.test_label = QLabel()
        self.test_label.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self._save)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(create_group)
        layout.addWidget(credentials_group)
        layout.addWidget(self.problems_label)
        layout.addWidget(self.test_button)
        layout.addWidget(self.test_label)
        layout.addWidget(buttons)

    def _text_input(self, name: str) -> QLineEdit:
        widget = QLineEdit()
        widget.setToolTip(_TEXT_FIELDS[name][1])
        self._inputs[name] = widget
        return widget

    def _number(self, name: str, low: float, high: float, tip: str) -> QDoubleSpinBox:
        widget = QDoubleSpinBox()
        widget.setRange(low, high)
        widget.setDecimals(1)
        widget.setToolTip(tip)
        self._inputs[name] = widget
        return widget

    def _integer(self, name: str, low: int, high: int, tip: str) -> QSpinBox:
        widget = QSpinBox()
        widget.setRange(low, high)
        widget.setToolTip(tip)
        self._inputs[name] = widget
        return widget

    def _set_credential_placeholders(self) -> None:
        saved = "saved in keyring — leave empty to keep"
        self.app_id_input.setPlaceholderText(saved if self._has_saved_credentials else "required")
        self.secret_input.setPlaceholderText(saved if self._has_saved_credentials else "required")

    # --- form <-> settings --------------------------------------------------------------------------

    def _load_profile(self, name: str) -> None:
        profile = self._app_settings.profile(name) if name in self._app_settings.profiles else ProfileSettings()
        for field in dataclasses.fields(ProfileSettings):
            widget = self._inputs.get(field.name)
            value = getattr(profile, field.name)
            if isinstance(widget, QLineEdit):
                widget.setText(value)
            elif isinstance(widget, (QSpinBox, QDoubleSpinBox)):
                widget.setValue(value)
            elif isinstance(widget, QComboBox):
                widget.setCurrentText(value)

    def form_profile(self) -> ProfileSettings:
        """The profile as the form shows it now (not validated)."""
        values = {}
        for field in dataclasses.fields(ProfileSettings):
            widget = self._inputs.get(field.name)
            if isinstance(widget, QLineEdit):
                values[field.name] = widget.text().strip()
            elif isinstance(widget, QSpinBox):
                values[field.name] = widget.value()
            elif isinstance(widget, QDoubleSpinBox):
                values[field.name] = round(widget.value(), 3)
            elif isinstance(widget, QComboBox):
                values[field.name] = widget.currentText()
        return ProfileSettings(**values)

    def chosen_profile_name(self) -> str:
        """The profile the operator saved."""
        return self.profile_box.currentText().strip()

    def saved_settings(self) -> AppSettings | None:
        """What was written to disk, after OK."""
        return self._saved

    # --- validation and saving --------------------------------------------------------------------------

    def _problems(self) -> tuple[list[FieldProblem], Credentials | None]:
        problems = list(validate_profile(self.form_profile()))
        if not PROFILE_NAME.fullmatch(self.chosen_profile_name()):
            problems.insert(0, FieldProblem("profile", "must be 1-32 letters, digits, '_', '.' or '-'"))
        app_id_text, secret = self.app_id_input.text().strip(), self.secret_input.text()
        credentials = None
        if app_id_text or secret:
            try:
                app_id = parse_app_id(app_id_text) if app_id_text else None
                if secret:
                    check_server_secret(secret)
            except InvalidCredential as error:
                return problems + [FieldProblem(error.field, error.problem)], None
            if app_id is None:
                problems.append(FieldProblem("AppId", "required with a new ServerSecret"))
            elif not secret and not self._has_saved_credentials:
                problems.append(FieldProblem("ServerSecret", "required with a new AppId"))
            elif not secret:
                problems.append(FieldProblem("ServerSecret", "type it again to change the AppId (the keyring keeps them as a pair)"))
            else:
                credentials = Credentials(app_id, secret)
        return problems, credentials

    def _show_problems(self, problems: list[FieldProblem]) -> bool:
        bad = {p.field for p in problems}
        for name, widget in self._inputs.items():
            widget.setProperty("invalid", name in bad)
            widget.style().unpolish(widget)
            widget.style().polish(widget)
        self.problems_label.setText("\n".join(str(p) for p in problems))
        if problems:
            first = self._inputs.get(problems[0].field)
            if first is not None:
                first.setFocus()
        return not problems

    def _save(self) -> None:
        problems, credentials = self._problems()
        if not self._show_problems(problems):
            return
        name = self.chosen_profile_name()
        updated = dataclasses.replace(self._app_settings.with_profile(name, self.form_profile()), active_profile=name)
        self._store.save(updated)
        self._saved = updated
        if credentials is not None:
            self.save_credentials_requested.emit(name, credentials)
        self.accept()

    def _test_connection(self) -> None:
        problems, credentials = self._problems()
        if not self._show_problems(problems):
            return
        self.test_button.setEnabled(False)
        self.test_label.setText("Testing…")
        self.test_connection_requested.emit(self.chosen_profile_name(), self.form_profile(), credentials)

    # --- answers from the worker --------------------------------------------------------------------------

    @Slot(object)
    def show_test_result(self, result: ApiResult) -> None:
        """Report the outcome of Test connection in words."""
        self.test_button.setEnabled(True)
        self.test_label.setText(describe_connection_test(result))

    @Slot(str)
    def show_credentials_saved(self, message: str) -> None:
        """The keyring write succeeded."""
        self.test_label.setText(message)

    @Slot(str)
    def show_credentials_failed(self, message: str) -> None:
        """The keyring could not be used: say so; nothing was stored elsewhere."""
        self.test_button.setEnabled(True)
        self.test_label.setText(f"Keyring: {message}")


def describe_connection_test(result: ApiResult) -> str:
    """What a Test connection answer means for the operator."""
    if result.outcome in (Outcome.TIMEOUT, Outcome.TRANSPORT_ERROR, Outcome.HTTP_ERROR, Outcome.BAD_BODY):
        return f"Could not reach the endpoint: {result.message}"
    if result.code in _CREDENTIAL_PROBLEMS_AUTH:
        return f"The server refused the credentials: {result.explanation()}"
    if result.ok:
        return f"Signature accepted by the server; the instance answered (RequestId {result.request_id})."
    return (f"Signature accepted by the server; it answered {result.explanation()} "
            f"(RequestId {result.request_id or '–'}).")
