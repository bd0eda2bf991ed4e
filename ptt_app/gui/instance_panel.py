"""The agent-instance panel: create a walkie-talkie instance, query it, delete it, talk to it."""

from __future__ import annotations

import json
from collections.abc import Callable

from PySide6.QtCore import QSize, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QFontDatabase, QGuiApplication
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ptt_app.api.types import (
    CREATE_AGENT_INSTANCE,
    DELETE_AGENT_INSTANCE,
    QUERY_AGENT_INSTANCE_STATUS,
    ApiResult,
)
from ptt_app.gui.i18n import tr
from ptt_app.gui.style_property import set_style_property
from ptt_app.session.runtime import instance_spec
from ptt_app.store.settings import FieldProblem, ProfileSettings, creation_problems

PANEL_ACTIONS = (CREATE_AGENT_INSTANCE, QUERY_AGENT_INSTANCE_STATUS, DELETE_AGENT_INSTANCE)
# The worker stays silent when no session is open: past the client's timeouts plus this, the
# buttons work again (a late answer is still shown, so a created id is never lost).
ANSWER_GRACE_S = 5.0
PREFERRED_WIDTH_PX = 200


class InstancePanel(QWidget):
    """Buttons for the instance actions; the window forwards them to the worker and the answers back."""

    create_requested = Signal(object)
    instance_call_requested = Signal(str, str)
    use_instance_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._profile: ProfileSettings | None = None
        self._awaiting: list[str] = []
        self._deleting_id = ""
        self._missing_shown = False
        self._watchdog = QTimer(self)
        self._watchdog.setSingleShot(True)
        self._watchdog.timeout.connect(self._no_answer)
        self._build()
        self._update_buttons()

    def sizeHint(self) -> QSize:
        # Narrow by default: at the window's minimum size the talk button and its side column need the room.
        hint = super().sizeHint()
        return QSize(min(hint.width(), PREFERRED_WIDTH_PX), hint.height())

    # --- layout ----------------------------------------------------------------------------------------

    def _build(self) -> None:
        self.profile_label = QLabel(tr("No session open"))
        self.profile_label.setWordWrap(True)
        self.instance_field = QLineEdit()
        self.instance_field.setReadOnly(True)
        self.instance_field.setPlaceholderText(tr("no instance yet"))
        self.instance_field.setToolTip(tr("The AgentInstanceId this panel acts on"))
        self.instance_field.setAccessibleName("AgentInstanceId")
        self.instance_field.setAccessibleDescription(self.instance_field.toolTip())
        self.copy_button = self._button(tr("Copy"), tr("Copy the AgentInstanceId to the clipboard"), self._copy_id)
        self.create_button = self._button(tr("Create instance"), tr("CreateAgentInstance in walkie-talkie mode, with "
                                          "the profile's AgentId, UserId, room and InterruptMode"), self._create)
        self.query_button = self._button(tr("Query status"), tr("QueryAgentInstanceStatus of this instance"),
                                         lambda: self._call(QUERY_AGENT_INSTANCE_STATUS))
        self.delete_button = self._button(tr("Delete…"), tr("DeleteAgentInstance (asks first)"), self._delete)
        self.use_button = self._button(tr("Use for talking"), tr("Save this AgentInstanceId in the profile and talk to it"),
                                       self._use)
        self.result_label = QLabel()
        self.result_label.setObjectName("instanceResultLabel")
        self.result_label.setWordWrap(True)
        # Selectable, so that a RequestId can be copied for a support ticket.
        self.result_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.status_view = QPlainTextEdit()
        self.status_view.setReadOnly(True)
        self.status_view.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.status_view.setPlaceholderText(tr("The Data of the last answer appears here"))
        self.status_view.setToolTip(tr("Data of the last answer, as the server sent it"))
        self.status_view.setAccessibleName(tr("Last answer's Data"))
        self.status_view.setAccessibleDescription(self.status_view.toolTip())
        self._lay_out()

    def _lay_out(self) -> None:
        # The id is 19+ digits: its field gets the whole row, so the start of the id is never cut off.
        caption_row = QHBoxLayout()
        call_row = QHBoxLayout()
        call_row.addWidget(self.query_button)
        call_row.addWidget(self.delete_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.profile_label)
        id_caption = QLabel("AgentInstanceId")
        id_caption.setBuddy(self.instance_field)
        caption_row.addWidget(id_caption, 1)
        caption_row.addWidget(self.copy_button)
        layout.addLayout(caption_row)
        layout.addWidget(self.instance_field)
        layout.addWidget(self.create_button)
        layout.addLayout(call_row)
        layout.addWidget(self.use_button)
        layout.addWidget(QLabel(tr("Last answer")))
        layout.addWidget(self.result_label)
        layout.addWidget(self.status_view, 1)

    def _button(self, text: str, tip: str, slot: Callable[[], None]) -> QPushButton:
        button = QPushButton(text)
        button.setToolTip(tip)
        button.setAccessibleDescription(tip)
        button.clicked.connect(slot)
        return button

    # --- inputs from the window --------------------------------------------------------------------------

    def set_profile(self, profile_name: str, profile: ProfileSettings) -> None:
        """The profile whose settings build CreateAgentInstance, and whose instance is shown."""
        self._profile = profile
        self.profile_label.setText(tr("Profile {profile} · AgentId {agent} · room {room} · walkie-talkie mode").format(
            profile=profile_name, agent=profile.agent_id or tr("(not set)"), room=profile.rtc_room_id or tr("(not set)")))
        self._show_instance_id(profile.agent_instance_id)
        if self._missing_shown:
            # Settings were saved since the "Not set" line: say what is still missing, if anything.
            self._show_missing(creation_problems(profile))
        self._update_buttons()

    def is_awaiting(self, action: str) -> bool:
        """True while a call of `action` from this panel waits for its answer."""
        return action in self._awaiting

    def current_instance_id(self) -> str:
        """The AgentInstanceId the panel shows (empty when none)."""
        return self.instance_field.text()

    @Slot(str, object)
    def show_result(self, purpose: str, result: ApiResult) -> None:
        """Show the answer of an instance call (other purposes, such as "test", are ignored)."""
        if purpose not in PANEL_ACTIONS:
            return
        if purpose in self._awaiting:
            self._awaiting.remove(purpose)
        if not self._awaiting:
            self._watchdog.stop()
        self._show_result_line(result)
        if purpose == CREATE_AGENT_INSTANCE:
            self._show_created(result)
        elif purpose == DELETE_AGENT_INSTANCE:
            self._show_deleted(result)
        else:
            self._show_data(result.data if result.ok else None)
        self._update_buttons()

    # --- answers --------------------------------------------------------------------------

    def _show_result_line(self, result: ApiResult) -> None:
        request_id = result.request_id or "–"
        self.result_label.setText(tr("{action}: {why}\nRequestId {request_id} · {latency} ms").format(
            action=result.action, why=result.explanation(tr), request_id=request_id, latency=f"{result.latency_ms:.0f}"))
        self._set_outcome("ok" if result.ok else "problem")

    def _show_created(self, result: ApiResult) -> None:
        self._show_data(result.data)
        new_id = str((result.data or {}).get("AgentInstanceId") or "") if result.ok else ""
        if new_id:
            self._show_instance_id(new_id)
        elif result.ok:
            self.result_label.setText(self.result_label.text() + "\n" + tr("The answer has no AgentInstanceId."))

    def _show_instance_id(self, instance_id: str) -> None:
        self.instance_field.setText(instance_id)
        self.instance_field.setCursorPosition(0)  # show the start of the id where the field is narrow

    def _show_deleted(self, result: ApiResult) -> None:
        if not result.ok:
            self._show_data(result.data)
            return
        if self.instance_field.text() == self._deleting_id:
            self.instance_field.clear()
        self.status_view.setPlainText(tr("Instance {instance} deleted.").format(instance=self._deleting_id))

    def _show_data(self, data: dict | None) -> None:
        # A failed query clears the old status: stale data must not pass for the current state.
        self.status_view.setPlainText(json.dumps(data, indent=2, ensure_ascii=False) if data else "")

    def _set_outcome(self, outcome: str) -> None:
        # The style sheet colours the line by this property; a property change needs a repolish.
        set_style_property(self.result_label, "outcome", outcome)

    def _no_answer(self) -> None:
        waited = self._answer_wait_s()
        self._awaiting.clear()
        self.result_label.setText(tr("No answer after {seconds} s: is a session open? A late answer will still be "
                                     "shown here.").format(seconds=f"{waited:.0f}"))
        self._set_outcome("problem")
        self._update_buttons()

    # --- actions --------------------------------------------------------------------------

    def _create(self) -> None:
        profile = self._profile
        if profile is None:
            return
        missing = creation_problems(profile)
        if missing:
            self._show_missing(missing)
            return
        self._start(CREATE_AGENT_INSTANCE)
        self.create_requested.emit(instance_spec(profile))

    def _show_missing(self, missing: list[FieldProblem]) -> None:
        """The "Not set" line for what CreateAgentInstance still lacks (cleared when nothing is missing)."""
        self._missing_shown = bool(missing)
        if not missing:
            self.result_label.clear()
            self._set_outcome("")
            return
        names = ", ".join(problem.field for problem in missing)
        template = (tr("Not set: {names}. Add them in File → Settings… (New instances) before creating an instance.")
                    if len(missing) > 1 else
                    tr("Not set: {names}. Add it in File → Settings… (New instances) before creating an instance."))
        self.result_label.setText(template.format(names=names))
        self._set_outcome("problem")

    def _delete(self) -> None:
        instance = self.instance_field.text()
        talking = self._profile is not None and instance == self._profile.agent_instance_id
        warning = "\n\n" + tr("The talk button uses this instance.") if talking else ""
        answer = QMessageBox.question(self, tr("Delete agent instance"),
                                      tr("Delete agent instance {instance}?").format(instance=instance) + warning,
                                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                                      QMessageBox.StandardButton.No)
        if answer == QMessageBox.StandardButton.Yes:
            self._deleting_id = instance
            self._call(DELETE_AGENT_INSTANCE)

    def _call(self, action: str) -> None:
        self._start(action)
        self.instance_call_requested.emit(action, self.instance_field.text())

    def _use(self) -> None:
        self.use_instance_requested.emit(self.instance_field.text())

    def _copy_id(self) -> None:
        QGuiApplication.clipboard().setText(self.instance_field.text())

    def _start(self, action: str) -> None:
        self._awaiting.append(action)
        self.result_label.setText(tr("{action}: waiting for the server…").format(action=action))
        self._set_outcome("")
        self._watchdog.start(int(self._answer_wait_s() * 1000))
        self._update_buttons()

    def _answer_wait_s(self) -> float:
        profile = self._profile or ProfileSettings()
        return profile.connect_timeout_s + profile.read_timeout_s + ANSWER_GRACE_S

    def _update_buttons(self) -> None:
        busy = bool(self._awaiting)
        instance = self.instance_field.text()
        in_use = self._profile is not None and instance == self._profile.agent_instance_id
        self.create_button.setEnabled(not busy and self._profile is not None)
        self.copy_button.setEnabled(bool(instance))
        self.query_button.setEnabled(not busy and bool(instance))
        self.delete_button.setEnabled(not busy and bool(instance))
        self.use_button.setEnabled(not busy and bool(instance) and not in_use)
        self.use_button.setText(tr("Talking to this instance") if in_use and instance else tr("Use for talking"))

