"""Settings and credentials: every field validated and named before anything is saved."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from enum import Enum
from typing import TypeVar

from PySide6.QtCore import Qt, QTimer, Signal, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ptt_app.api import codes
from ptt_app.api.types import ApiResult, Credentials, Outcome
from ptt_app.gui.cue_output import CUE_STATUS_PROPERTY
from ptt_app.gui.hotkey_bridge import HOTKEY_STATUS_PROPERTY
from ptt_app.gui.i18n import tr, translated
from ptt_app.gui.key_capture import KeyCaptureField
from ptt_app.gui.style_property import set_style_property
from ptt_app.hotkeys import InputKind, Scope, choose_backend, parse_binding
from ptt_app.store.credentials import InvalidCredential, check_server_secret, parse_app_id
from ptt_app.store.settings import (
    CUSTOM_REGION,
    HOTKEY_SCOPES,
    LANGUAGES,
    PROFILE_NAME,
    REGION_ENDPOINTS,
    REGIONS,
    AppSettings,
    FieldProblem,
    ProfileSettings,
    region_of,
    validate_profile,
)
from ptt_app.translatable import QT_TR_NOOP

# Label and tooltip of every input, keyed by the field name validate_profile and the credentials use (English,
# marked for the catalogue; field_label() and field_tip() give them in the window's language).
FIELD_LABELS: dict[str, tuple[str, str]] = {
    "profile": (QT_TR_NOOP("Profile"), QT_TR_NOOP("Each profile keeps its own settings and credentials. Pick one "
                                                  "from the list to edit it, or type a new name to add a profile "
                                                  "starting from the values shown.")),
    "region": (QT_TR_NOOP("Region"), QT_TR_NOOP("Where the AI Agent API is served: the unified address, a regional "
                                                "one, or a custom URL")),
    "endpoint": (QT_TR_NOOP("Custom URL"), QT_TR_NOOP("The AI Agent API URL when the region is Custom; https, or "
                                                      "http only to this machine")),
    "agent_instance_id": ("AgentInstanceId", QT_TR_NOOP("The walkie-talkie agent instance the talk button speaks to")),
    "user_id": ("UserId", QT_TR_NOOP("Who is talking: the real user's UserId in the RTC room (at most 32 letters, "
                                     "digits, - or _)")),
    "connect_timeout_s": (QT_TR_NOOP("Connect timeout"),
                          QT_TR_NOOP("Give up connecting to the endpoint after this many seconds")),
    "read_timeout_s": (QT_TR_NOOP("Read timeout"), QT_TR_NOOP("Give up waiting for an answer after this many seconds")),
    "hold_key": (QT_TR_NOOP("Talk key"), QT_TR_NOOP("Click here, then press the key, foot pedal or mouse side button "
                                                    "to talk with; F13-F24 are what most USB foot pedals send")),
    "hotkey_scope": (QT_TR_NOOP("Talk key works"),
                     QT_TR_NOOP("Only while this window has focus, or in every application (global)")),
    "latch_enabled": (QT_TR_NOOP("Latch"), QT_TR_NOOP("Double-tap the talk key to keep listening until the next press")),
    "release_tail_ms": (QT_TR_NOOP("Release tail"),
                        QT_TR_NOOP("Keep listening this long after the release, so word endings are not cut")),
    "cues_enabled": (QT_TR_NOOP("Sound cues"), QT_TR_NOOP("A short sound on press, when the agent listens, and on "
                                                          "release")),
    "cue_volume": (QT_TR_NOOP("Cue volume"), QT_TR_NOOP("Loudness of the sound cues, 0 to 100")),
    "max_hold_s": (QT_TR_NOOP("Maximum hold"), QT_TR_NOOP("Stop listening by itself after this many seconds, in case "
                                                          "a key or button sticks")),
    "max_in_flight": (QT_TR_NOOP("Requests in flight"),
                      QT_TR_NOOP("How many StartListening/StopListening may wait on a slow server at once")),
    "agent_id": ("AgentId", QT_TR_NOOP("The registered agent that new instances run")),
    "rtc_room_id": (QT_TR_NOOP("RTC room"), QT_TR_NOOP("RoomId of the RTC room the agent and the user meet in "
                                                       "(letters, digits, _ - .)")),
    "agent_stream_id": (QT_TR_NOOP("Agent stream"),
                        QT_TR_NOOP("The stream the agent publishes; unique across all your instances")),
    "agent_user_id": (QT_TR_NOOP("Agent user"),
                      QT_TR_NOOP("The agent's UserId in the room; unique, and never a real user's UserId")),
    "user_stream_id": (QT_TR_NOOP("User stream"), QT_TR_NOOP("The stream the real user publishes")),
    "max_idle_time_s": (QT_TR_NOOP("Maximum idle time"), QT_TR_NOOP("The server deletes the instance when the user "
                                                                    "is away from the room this long (10-1800 s)")),
    "interrupt_mode": (QT_TR_NOOP("Voice interrupts"),
                       QT_TR_NOOP("Whether the user's voice interrupts the agent while it speaks")),
    "language": (QT_TR_NOOP("Language"), QT_TR_NOOP("The language of the window; System follows the desktop's. "
                                                    "A change applies when the app starts next.")),
    "AppId": ("AppId", QT_TR_NOOP("The AppId from the ZEGOCLOUD console, a whole number")),
    "ServerSecret": ("ServerSecret", QT_TR_NOOP("The 32-character ServerSecret from the ZEGOCLOUD console. It is "
                                                "kept only in the system keyring; this field never shows the saved "
                                                "one.")),
}
REGION_NAMES = {"unified": QT_TR_NOOP("Unified (nearest)"), "sha": QT_TR_NOOP("Shanghai"),
                "hkg": QT_TR_NOOP("Hong Kong"), "fra": QT_TR_NOOP("Frankfurt"), "lax": QT_TR_NOOP("California"),
                "bom": QT_TR_NOOP("Mumbai"), "sgp": QT_TR_NOOP("Singapore"), CUSTOM_REGION: QT_TR_NOOP("Custom URL")}
SCOPE_NAMES = {"window": QT_TR_NOOP("This window only"), "global": QT_TR_NOOP("Every application (global)")}
# What each global backend means for the operator, shown before saving.
BACKEND_NOTES = {
    "X11": QT_TR_NOOP("an X11 key grab: the key works in every X11 application and is taken from them"),
    "xdg-desktop-portal": QT_TR_NOOP("the desktop's GlobalShortcuts portal: the desktop asks you to confirm the "
                                     "shortcut"),
    "pynput": QT_TR_NOOP("a keyboard hook (pynput); macOS asks once for Input Monitoring permission"),
}
# Each language by its own name, as language lists show them; "System" is in the window's language.
LANGUAGE_NAMES = {"system": QT_TR_NOOP("System"), "en": "English", "zh_CN": "简体中文"}
_TABS = {
    QT_TR_NOOP("Connection"): ("profile", "region", "endpoint", "agent_instance_id", "user_id", "connect_timeout_s",
                               "read_timeout_s", "AppId", "ServerSecret"),
    QT_TR_NOOP("Push to talk"): ("hold_key", "hotkey_scope", "latch_enabled", "release_tail_ms", "cues_enabled",
                                 "cue_volume", "max_hold_s", "max_in_flight", "language"),
    QT_TR_NOOP("New instances"): ("agent_id", "rtc_room_id", "agent_stream_id", "agent_user_id", "user_stream_id",
                                  "max_idle_time_s", "interrupt_mode"),
}
PROBLEM_LINES_SHOWN = 5
_SAVED_PLACEHOLDER = QT_TR_NOOP("saved in keyring — leave empty to keep")
# Gateway codes that mean the signature was checked and refused: wrong credentials or a wrong clock.
_CREDENTIAL_CODES = frozenset({
    codes.SIGNATURE_EXPIRED, codes.SIGNATURE_WRONG, codes.SECRET_NOT_FOUND,
    codes.APP_ID_FORMAT, codes.INVALID_APP_ID, codes.GATEWAY_AUTH_FAILED,
})
_GATEWAY_CODES = range(100000000, 100000100)
# Test connection gives up waiting on the worker this long after the client's own timeouts.
_TEST_GRACE_S = 5.0
_T = TypeVar("_T")


class FirstRunAnswer(Enum):
    """What the operator chose when a profile had no usable credentials."""

    SETTINGS = "settings"
    DEMO = "demo"
    QUIT = "quit"


def ask_first_run(parent: QWidget | None, profile_name: str, reason: str) -> FirstRunAnswer:
    """Offer Settings, the demo, or quitting when a profile cannot be opened; Esc means Quit."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Information)
    box.setWindowTitle(tr("Credentials needed"))
    box.setText(tr("No usable credentials for profile “{profile}”.").format(profile=profile_name))
    box.setInformativeText(reason + "\n\n" + tr("Save the AppId and ServerSecret in Settings, or try the console "
                                                 "on the built-in demo simulator."))
    settings = box.addButton(tr("Open Settings…"), QMessageBox.ButtonRole.AcceptRole)
    demo = box.addButton(tr("Try the demo"), QMessageBox.ButtonRole.ActionRole)
    quit_ = box.addButton(tr("Quit"), QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(settings)
    box.setEscapeButton(quit_)
    box.exec()
    clicked = box.clickedButton()
    if clicked is settings:
        return FirstRunAnswer.SETTINGS
    if clicked is demo:
        return FirstRunAnswer.DEMO
    return FirstRunAnswer.QUIT


def global_backend_outlook() -> str:
    """Which global hotkey backend this session would use, or why none can work (nothing is started)."""
    choice = choose_backend(Scope.GLOBAL)
    if choice.backend is None:
        return tr("Here no global hotkey can work: {reason}. The window key is used instead.").format(
            reason=translated(choice.reason))
    note = BACKEND_NOTES.get(choice.backend.name)
    return tr("Here the global hotkey uses {backend}.").format(backend=tr(note) if note else choice.backend.name)


def field_label(name: str) -> str:
    """A field's label in the window's language (the field name itself for a field the dialog does not show)."""
    label = FIELD_LABELS.get(name)
    return tr(label[0]) if label else name


def field_tip(name: str) -> str:
    """A field's tooltip in the window's language."""
    label = FIELD_LABELS.get(name)
    return tr(label[1]) if label else ""


def takes_typing_key(binding_text: str) -> bool:
    """Whether a binding is a key used for typing (a letter, digit or Space without Ctrl/Alt/Super)."""
    try:
        binding = parse_binding(binding_text)
    except ValueError:
        return False
    if binding.kind is not InputKind.KEY or binding.modifiers - {"Shift"}:
        return False
    return binding.key == "Space" or len(binding.key) == 1


class SettingsDialog(QDialog):
    """Edits one profile and its credentials; the secret field is masked and never pre-filled.

    Save validates every field, then asks the worker (save_requested) to write the keyring and the
    settings as one operation; the dialog closes on show_saved and stays open on show_save_failed."""

    test_connection_requested = Signal(str, object, object)
    save_requested = Signal(str, object, object)

    def __init__(self, app_settings: AppSettings, profile_name: str, has_saved_credentials: bool | None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("Settings and credentials"))
        self.setMinimumWidth(560)
        self._app_settings = app_settings
        # Known only for the profile the dialog opened on; for any other profile it is unknown (None).
        self._credentials_known_for = profile_name
        self._has_saved_credentials = has_saved_credentials
        self._loaded_profile = ""
        self._saving: AppSettings | None = None
        self._saved: AppSettings | None = None
        self._inputs: dict[str, QWidget] = {}
        self._tab_of: dict[str, int] = {}
        self._test_watchdog = QTimer(self)
        self._test_watchdog.setSingleShot(True)
        self._test_watchdog.timeout.connect(self._test_timed_out)
        self._build(profile_name)
        self._show_profile(profile_name)
        self._update_credential_placeholders()

    # --- layout ----------------------------------------------------------------------------------------

    def _build(self, profile_name: str) -> None:
        layout = QVBoxLayout(self)
        self.tabs = QTabWidget()
        builders = dict(zip(_TABS, (self._connection_tab, self._talk_tab, self._create_tab), strict=True))
        for title, build in builders.items():
            page = QWidget()
            form = QFormLayout(page)
            build(form, profile_name)
            index = self.tabs.addTab(page, tr(title))
            self._tab_of.update({name: index for name in _TABS[title]})
        layout.addWidget(self.tabs)
        self.problems_label = QLabel()
        self.problems_label.setObjectName("problemsLabel")
        self.problems_label.setWordWrap(True)
        self.problems_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        # Many problems at once scroll inside a few lines instead of stretching the dialog down the screen.
        self.problems_area = QScrollArea()
        self.problems_area.setWidget(self.problems_label)
        self.problems_area.setWidgetResizable(True)
        self.problems_area.setFrameShape(QFrame.Shape.NoFrame)
        self.problems_area.setMaximumHeight(PROBLEM_LINES_SHOWN * self.fontMetrics().lineSpacing() + 8)
        self.problems_area.hide()
        layout.addWidget(self.problems_area)
        layout.addLayout(self._test_row())
        self.button_box = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        ok = self.button_box.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(tr("Save"))
        ok.setToolTip(tr("Check every field, save the settings (and the credentials, if typed) and reconnect (Enter)"))
        ok.setAccessibleDescription(ok.toolTip())
        ok.setDefault(True)
        cancel = self.button_box.button(QDialogButtonBox.StandardButton.Cancel)
        cancel.setText(tr("Cancel"))
        cancel.setToolTip(tr("Close without saving (Esc)"))
        cancel.setAccessibleDescription(cancel.toolTip())
        self.button_box.accepted.connect(self._save)
        self.button_box.rejected.connect(self.reject)
        layout.addWidget(self.button_box)

    def _connection_tab(self, form: QFormLayout, profile_name: str) -> None:
        self.profile_box = QComboBox()
        self.profile_box.setEditable(True)
        # A typed name must not be added to the list before it is saved.
        self.profile_box.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.profile_box.addItems(sorted(set(self._app_settings.profiles) | {profile_name}))
        self.profile_box.setCurrentText(profile_name)
        self.profile_box.activated.connect(lambda _index: self._switch_profile(self.chosen_profile_name()))
        self.profile_box.lineEdit().editingFinished.connect(lambda: self._switch_profile(self.chosen_profile_name()))
        self.profile_box.currentTextChanged.connect(lambda _text: self._update_credential_placeholders())
        self._add_row(form, "profile", self.profile_box)
        region = self._choices([(tr(REGION_NAMES[name]), name) for name in REGIONS])
        region.currentIndexChanged.connect(lambda _index: self._show_region())
        self._add_row(form, "region", region)
        for name in ("endpoint", "agent_instance_id", "user_id"):
            self._add_row(form, name, QLineEdit())
        for name in ("connect_timeout_s", "read_timeout_s"):
            self._add_row(form, name, self._seconds(0.1, 120))
        self.app_id_input = QLineEdit()
        self.secret_input = QLineEdit()
        self.secret_input.setEchoMode(QLineEdit.EchoMode.Password)
        self.show_secret = QCheckBox(tr("Show what I type"))
        self.show_secret.setToolTip(tr("Shows only what you typed here; the saved ServerSecret is never read back"))
        self.show_secret.setAccessibleDescription(self.show_secret.toolTip())
        self.show_secret.toggled.connect(self._reveal_typed_secret)
        note = QLabel(tr("Credentials are kept only in the system keyring."))
        note.setWordWrap(True)
        form.addRow(note)
        self._add_row(form, "AppId", self.app_id_input)
        self._add_row(form, "ServerSecret", self.secret_input)
        form.addRow("", self.show_secret)

    def _talk_tab(self, form: QFormLayout, _profile_name: str) -> None:
        self._talk_form = form
        self.key_field = KeyCaptureField()
        self.key_field.captured.connect(self._key_captured)
        self.key_field.refused.connect(lambda why: self._show_key_note(why, True))
        self._add_row(form, "hold_key", self.key_field)
        self.key_note = self._note_label("keyNote")
        form.addRow("", self.key_note)
        scope = self._choices([(tr(SCOPE_NAMES[name]), name) for name in HOTKEY_SCOPES])
        scope.currentIndexChanged.connect(lambda _index: self._show_hotkey_outlook())
        self._add_row(form, "hotkey_scope", scope)
        self.hotkey_status_label = self._note_label("hotkeyStatusLabel")
        form.addRow("", self.hotkey_status_label)
        self._add_row(form, "latch_enabled", QCheckBox(tr("Double-tap to latch listening on")))
        tail = self._whole(0, 500)
        tail.setSuffix(" ms")
        self._add_row(form, "release_tail_ms", tail)
        self._add_row(form, "cues_enabled", QCheckBox(tr("Play sound cues")))
        self._add_row(form, "cue_volume", self._whole(0, 100))
        self.cue_status_label = self._note_label("cueStatusLabel")
        cue_status = str(self._window_property(CUE_STATUS_PROPERTY) or "")
        self.cue_status_label.setText(cue_status)
        form.addRow("", self.cue_status_label)
        form.setRowVisible(self.cue_status_label, bool(cue_status))
        self._add_row(form, "max_hold_s", self._seconds(1, 600))
        self._add_row(form, "max_in_flight", self._whole(1, 8))
        self._add_row(form, "language", self._choices([(tr(LANGUAGE_NAMES[name]), name) for name in LANGUAGES]))
        language_note = self._note_label("languageNote")
        language_note.setText(tr("The window's language changes when the app starts next."))
        form.addRow("", language_note)

    def _create_tab(self, form: QFormLayout, _profile_name: str) -> None:
        intro = QLabel(tr("What the instance panel's Create button sends (CreateAgentInstance, walkie-talkie mode). "
                          "All RTC fields are required to create an instance."))
        intro.setWordWrap(True)
        form.addRow(intro)
        for name in ("agent_id", "rtc_room_id", "agent_stream_id", "agent_user_id", "user_stream_id"):
            self._add_row(form, name, QLineEdit())
        idle = self._whole(10, 1800)
        idle.setSuffix(" s")
        self._add_row(form, "max_idle_time_s", idle)
        self._add_row(form, "interrupt_mode", self._choices([(tr("Yes: the user's voice stops the agent (0)"), 0),
                                                             (tr("No: the agent finishes its answer (1)"), 1)]))

    def _test_row(self) -> QHBoxLayout:
        self.test_button = QPushButton(tr("Test connection"))
        self.test_button.setToolTip(tr("Make one signed call with the values above and say what the server answered"))
        self.test_button.setAccessibleDescription(self.test_button.toolTip())
        # Enter anywhere in the form means Save, not Test.
        self.test_button.setAutoDefault(False)
        self.test_button.clicked.connect(self._test_connection)
        self.test_label = QLabel()
        self.test_label.setObjectName("testLabel")
        self.test_label.setWordWrap(True)
        self.test_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        row = QHBoxLayout()
        row.addWidget(self.test_button, 0, Qt.AlignmentFlag.AlignTop)
        row.addWidget(self.test_label, 1)
        return row

    @staticmethod
    def _note_label(name: str) -> QLabel:
        label = QLabel()
        label.setObjectName(name)
        label.setWordWrap(True)
        # A wrapped label's size hint is computed for a narrow column: too tall for the form's real width.
        label.setMinimumWidth(380)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        return label

    def _window_property(self, name: str) -> object:
        parent = self.parentWidget()
        return parent.property(name) if parent is not None else None

    def _key_captured(self, text: str) -> None:
        scope = self._inputs["hotkey_scope"]
        if parse_binding(text).kind is InputKind.MOUSE and scope.currentData() != "global":
            scope.setCurrentIndex(scope.findData("global"))
            self._show_key_note(tr("{key} works only as a global hotkey: the scope is now “{scope}”.").format(
                key=text, scope=tr(SCOPE_NAMES["global"])), False)
        else:
            self._show_key_note("", False)
        self._show_hotkey_outlook()

    def _show_key_note(self, text: str, problem: bool) -> None:
        self.key_note.setText(text or tr("Click the field, then press the key, foot pedal or mouse side button to use."))
        set_style_property(self.key_note, "outcome", "problem" if problem else "")

    def _show_hotkey_outlook(self) -> None:
        """What the chosen scope will do here: the running hotkey's status, the backend, a typing-key warning."""
        lines = []
        now = self._window_property(HOTKEY_STATUS_PROPERTY)
        if now:
            lines.append(tr("Now: {status}").format(status=now))
        if self._inputs["hotkey_scope"].currentData() == "global":
            lines.append(global_backend_outlook())
            key = self.key_field.text().strip()
            if takes_typing_key(key):
                lines.append(tr("Note: as a global hotkey, {key} talks whenever it is typed in any application "
                                "(on X11 it then cannot be typed at all); a pedal key such as F13 is better.").format(key=key))
        self.hotkey_status_label.setText("\n".join(lines))
        self._talk_form.setRowVisible(self.hotkey_status_label, bool(lines))

    def _add_row(self, form: QFormLayout, name: str, widget: QWidget) -> None:
        label, tip = field_label(name), field_tip(name)
        widget.setToolTip(tip)
        widget.setAccessibleName(label)
        widget.setAccessibleDescription(tip)
        self._inputs[name] = widget
        caption = QLabel(label)
        caption.setBuddy(widget)
        form.addRow(caption, widget)

    @staticmethod
    def _choices(items: list[tuple[str, object]]) -> QComboBox:
        box = QComboBox()
        for text, value in items:
            box.addItem(text, value)
        box.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        return box

    @staticmethod
    def _seconds(low: float, high: float) -> QDoubleSpinBox:
        widget = QDoubleSpinBox()
        widget.setRange(low, high)
        widget.setDecimals(1)
        widget.setSuffix(" s")
        widget.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        return widget

    @staticmethod
    def _whole(low: int, high: int) -> QSpinBox:
        widget = QSpinBox()
        widget.setRange(low, high)
        widget.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        return widget

    def _reveal_typed_secret(self, shown: bool) -> None:
        self.secret_input.setEchoMode(QLineEdit.EchoMode.Normal if shown else QLineEdit.EchoMode.Password)

    def _show_region(self) -> None:
        custom = self._inputs["region"].currentData() == CUSTOM_REGION
        self._inputs["endpoint"].setEnabled(custom)

    # --- form <-> settings --------------------------------------------------------------------------

    def _switch_profile(self, name: str) -> None:
        # Only an existing profile replaces the form; a new name starts from the values shown.
        if name in self._app_settings.profiles and name != self._loaded_profile:
            self._show_profile(name)

    def _show_profile(self, name: str) -> None:
        self._loaded_profile = name
        profile = self._app_settings.profile(name)
        values = {**dataclasses.asdict(profile), "region": region_of(profile.endpoint),
                  "language": self._app_settings.language}
        if values["region"] != CUSTOM_REGION:
            values["endpoint"] = ""
        for field_name, value in values.items():
            _set_value(self._inputs[field_name], value)
        self._show_region()
        self._show_key_note("", False)
        self._show_hotkey_outlook()

    def _saved_credentials_state(self) -> bool | None:
        if self.chosen_profile_name() != self._credentials_known_for or self._has_saved_credentials is None:
            return None
        return self._has_saved_credentials

    def _update_credential_placeholders(self) -> None:
        placeholder = {
            True: tr(_SAVED_PLACEHOLDER),
            False: tr("not saved yet — required to connect"),
            None: tr("leave empty to keep what the keyring has for this profile"),
        }[self._saved_credentials_state()]
        self.app_id_input.setPlaceholderText(placeholder)
        self.secret_input.setPlaceholderText(placeholder)

    def form_profile(self) -> ProfileSettings:
        """The profile as the form shows it now (not validated)."""
        values = {field.name: _value_of(self._inputs[field.name]) for field in dataclasses.fields(ProfileSettings)}
        region = self._inputs["region"].currentData()
        if region != CUSTOM_REGION:
            values["endpoint"] = REGION_ENDPOINTS[region]
        return ProfileSettings(**values)

    def form_language(self) -> str:
        """The language chosen in the form."""
        return self._inputs["language"].currentData()

    def chosen_profile_name(self) -> str:
        """The profile name in the form (the one saved on Save)."""
        return self.profile_box.currentText().strip()

    def saved_settings(self) -> AppSettings | None:
        """What the worker saved on Save; None before that."""
        return self._saved

    # --- validation --------------------------------------------------------------------------

    def _validate(self) -> tuple[list[FieldProblem], Credentials | None]:
        problems = list(validate_profile(self.form_profile()))
        if not PROFILE_NAME.fullmatch(self.chosen_profile_name()):
            problems.append(FieldProblem("profile", QT_TR_NOOP("must be 1-32 letters, digits, '_', '.' or '-'")))
        credential_problems, credentials = self._typed_credentials()
        order = list(self._inputs)
        problems = sorted(problems + credential_problems, key=lambda p: order.index(p.field) if p.field in order else 0)
        return problems, credentials

    def _typed_credentials(self) -> tuple[list[FieldProblem], Credentials | None]:
        # The keyring keeps AppId and ServerSecret as a pair, and the GUI never reads it: both or neither.
        app_id_text = self.app_id_input.text().strip()
        secret = self.secret_input.text().strip()
        if not app_id_text and not secret:
            return [], None
        problems: list[FieldProblem] = []
        app_id = None
        if not app_id_text:
            problems.append(FieldProblem("AppId", QT_TR_NOOP("required with a new ServerSecret")))
        else:
            app_id = _checked(parse_app_id, app_id_text, problems)
        if secret:
            _checked(check_server_secret, secret, problems)
        elif self._saved_credentials_state():
            problems.append(FieldProblem("ServerSecret",
                                         QT_TR_NOOP("type it again to change the AppId (they are saved as a pair)")))
        else:
            problems.append(FieldProblem("ServerSecret", QT_TR_NOOP("required with a new AppId")))
        if problems or app_id is None:
            return problems, None
        return [], Credentials(app_id, secret)

    def _show_problems(self, problems: list[FieldProblem]) -> bool:
        """Mark the bad fields and list them; True when there are none."""
        bad = {problem.field for problem in problems}
        for name, widget in self._inputs.items():
            set_style_property(widget, "invalid", name in bad)
        self.problems_label.setText("\n".join(self._describe(problem) for problem in problems))
        self.problems_area.setVisible(bool(problems))
        first = next((problem.field for problem in problems if problem.field in self._inputs), None)
        if first is not None:
            self.tabs.setCurrentIndex(self._tab_of[first])
            self._inputs[first].setFocus()
        return not problems

    @staticmethod
    def _describe(problem: FieldProblem) -> str:
        return tr("{field}: {problem}").format(field=field_label(problem.field), problem=translated(problem.problem))

    # --- saving and testing --------------------------------------------------------------------------

    def _save(self) -> None:
        if self._saving is not None:
            return
        problems, credentials = self._validate()
        if not self._show_problems(problems):
            return
        name = self.chosen_profile_name()
        updated = dataclasses.replace(self._app_settings.with_profile(name, self.form_profile()), active_profile=name,
                                      language=self.form_language())
        self._saving = updated
        self.button_box.button(QDialogButtonBox.StandardButton.Ok).setEnabled(False)
        self._show_test_outcome(tr("Saving…"), None)
        self.save_requested.emit(name, updated, credentials)

    @Slot(str)
    def show_saved(self, message: str) -> None:
        """The worker saved settings (and credentials): close the dialog."""
        self._saved, self._saving = self._saving, None
        # The secret now lives only in the keyring: do not keep it in the widget (setText, unlike clear(),
        # also empties the undo history, which holds what was typed while it was shown).
        self.secret_input.setText("")
        self._show_test_outcome(message, True)
        self.accept()

    @Slot(str)
    def show_save_failed(self, message: str) -> None:
        """Nothing was saved: say why and keep the dialog open with what was typed."""
        self._saving = None
        self.button_box.button(QDialogButtonBox.StandardButton.Ok).setEnabled(True)
        self.problems_label.setText(message)
        self.problems_area.show()
        self._show_test_outcome("", None)

    def _test_connection(self) -> None:
        problems, credentials = self._validate()
        if not self._show_problems(problems):
            return
        profile = self.form_profile()
        self.test_button.setEnabled(False)
        self._show_test_outcome(tr("Testing…"), None)
        wait_s = profile.connect_timeout_s + profile.read_timeout_s + _TEST_GRACE_S
        self._test_watchdog.start(int(wait_s * 1000))
        self.test_connection_requested.emit(self.chosen_profile_name(), profile, credentials)

    def _test_timed_out(self) -> None:
        self.test_button.setEnabled(True)
        self._show_test_outcome(tr("No answer to the test (is the console's worker running?); try again."), False)

    def _show_test_outcome(self, text: str, good: bool | None) -> None:
        self.test_label.setText(text)
        # Coloured by the style sheet: green when the server accepted us, red for a problem.
        set_style_property(self.test_label, "outcome", {True: "ok", False: "problem", None: ""}[good])

    # --- answers from the worker --------------------------------------------------------------------------

    @Slot(object)
    def show_test_result(self, result: ApiResult) -> None:
        """Report the outcome of Test connection in words."""
        self._test_watchdog.stop()
        self.test_button.setEnabled(True)
        self._show_test_outcome(describe_connection_test(result), signature_accepted(result))

    @Slot(str)
    def show_credentials_failed(self, message: str) -> None:
        """The keyring could not be used (or had nothing for the test): say so; nothing was stored elsewhere."""
        self._test_watchdog.stop()
        self.test_button.setEnabled(True)
        self._show_test_outcome(message, False)


def _set_value(widget: QWidget, value: object) -> None:
    if isinstance(widget, QLineEdit):
        widget.setText(str(value))
    elif isinstance(widget, QCheckBox):
        widget.setChecked(bool(value))
    elif isinstance(widget, (QSpinBox, QDoubleSpinBox)):
        widget.setValue(value)
    elif isinstance(widget, QComboBox):
        index = widget.findData(value)
        if index >= 0:
            widget.setCurrentIndex(index)
        else:
            widget.setCurrentText(str(value))


def _value_of(widget: QWidget) -> object:
    if isinstance(widget, QLineEdit):
        return widget.text().strip()
    if isinstance(widget, QCheckBox):
        return widget.isChecked()
    if isinstance(widget, QSpinBox):
        return widget.value()
    if isinstance(widget, QDoubleSpinBox):
        return round(widget.value(), 3)
    assert isinstance(widget, QComboBox)
    return widget.currentData()


def _checked(check: Callable[[str], _T], value: str, problems: list[FieldProblem]) -> _T | None:
    """check(value), or None with its InvalidCredential added to problems."""
    try:
        return check(value)
    except InvalidCredential as error:
        problems.append(FieldProblem(error.field, error.problem))
        return None


def signature_accepted(result: ApiResult) -> bool:
    """True when the answer proves the server checked and accepted the signature."""
    if result.ok:
        return True
    return (result.outcome is Outcome.API_ERROR and result.code is not None
            and result.code not in _CREDENTIAL_CODES and result.code not in _GATEWAY_CODES)


def describe_connection_test(result: ApiResult) -> str:
    """What a Test connection answer means for the operator."""
    request_id = tr(" (RequestId {request_id})").format(request_id=result.request_id) if result.request_id else ""
    why = result.explanation(tr)
    if result.outcome in (Outcome.TIMEOUT, Outcome.TRANSPORT_ERROR):
        return tr("Could not reach the endpoint: {reason}").format(reason=translated(result.message))
    if result.outcome in (Outcome.HTTP_ERROR, Outcome.BAD_BODY):
        return tr("The endpoint answered, but not as the AI Agent API: {why}").format(why=why)
    if result.code in _CREDENTIAL_CODES:
        return tr("The server refused the credentials: {why}").format(why=why) + request_id
    if result.ok:
        return tr("Signature accepted by the server; the instance exists{request_id}.").format(request_id=request_id)
    if signature_accepted(result):
        # A business answer (instance not found, …) comes only after the signature passed the gateway.
        return tr("Signature accepted by the server; it answered {why}{request_id}.").format(why=why,
                                                                                           request_id=request_id)
    return tr("The gateway refused the request: {why}").format(why=why) + request_id
