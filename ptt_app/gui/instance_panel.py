"""The agent-instance panel: create a walkie-talkie instance, query it, delete it, talk to it."""

from __future__ import annotations

import json

from PySide6.QtCore import Signal, Slot
from PySide6.QtGui import QGuiApplication
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

from ptt_app.client import CREATE_AGENT_INSTANCE, DELETE_AGENT_INSTANCE, QUERY_AGENT_INSTANCE_STATUS, ApiResult
from ptt_app.runtime import instance_spec
from ptt_app.settings import ProfileSettings


class InstancePanel(QWidget):
    """Buttons for the instance actions; the window forwards them to the worker and the answers back."""

    create_requested = Signal(object)
    instance_call_requested = Signal(str, str)
    use_instance_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._profile: ProfileSettings | None = None
        self._busy = False
        self.instance_field = QLineEdit()
        self.instance_field.setReadOnly(True)
        self.instance_field.setPlaceholderText("no instance yet")
        self.instance_field.setToolTip("The AgentInstanceId this panel acts on")
        copy = QPushButton("Copy")
        copy.setToolTip("Copy the AgentInstanceId")
        copy.clicked.connect(lambda: QGuiApplication.clipboard().setText(self.instance_field.text()))
        self.create_button = QPushButton("Create walkie-talkie instance")
        self.create_button.setToolTip("CreateAgentInstance with the profile's AgentId, UserId and CommunicationMode")
        self.query_button = QPushButton("Query status")
        self.query_button.setToolTip("QueryAgentInstanceStatus")
        self.delete_button = QPushButton("Delete…")
        self.delete_button.setToolTip("DeleteAgentInstance (asks first)")
        self.use_button = QPushButton("Use for talking")
        self.use_button.setToolTip("Save this AgentInstanceId in the profile and talk to it")
        self.result_label = QLabel("")
        self.result_label.setWordWrap(True)
        self.status_view = QPlainTextEdit()
        self.status_view.setReadOnly(True)
        self.status_view.setPlaceholderText("Status data appears here")
        self.status_view.setMaximumHeight(160)

        self.create_button.clicked.connect(self._create)
        self.query_button.clicked.connect(lambda: self._call(QUERY_AGENT_INSTANCE_STATUS))
        self.delete_button.clicked.connect(self._delete)
        self.use_button.clicked.connect(lambda: self.use_instance_requested.emit(self.instance_field.text()))

        id_row = QHBoxLayout()
        id_row.addWidget(self.instance_field, 1)
        id_row.addWidget(copy)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("AgentInstanceId"))
        layout.addLayout(id_row)
        for button in (self.create_button, self.query_button, self.delete_button, self.use_button):
            layout.addWidget(button)
        layout.addWidget(self.result_label)
        layout.addWidget(self.status_view)
        layout.addStretch(1)
        self._update_buttons()

    def set_profile(self, profile_name: str, profile: ProfileSettings) -> None:
        """The profile whose settings build CreateAgentInstance, and whose instance is shown."""
        self._profile = profile
        self.instance_field.setText(profile.agent_instance_id)
        self._update_buttons()

    @Slot(str, object)
    def show_result(self, purpose: str, result: ApiResult) -> None:
        """Show the answer of one of the panel's calls (other purposes are ignored)."""
        if purpose not in (CREATE_AGENT_INSTANCE, QUERY_AGENT_INSTANCE_STATUS, DELETE_AGENT_INSTANCE):
            return
        self._busy = False
        verdict = "OK" if result.ok else result.explanation()
        self.result_label.setText(f"{result.action}: {verdict}\nRequestId {result.request_id or '–'}")
        if result.ok and purpose == CREATE_AGENT_INSTANCE:
            self.instance_field.setText(str((result.data or {}).get("AgentInstanceId", "")))
        if result.ok and purpose == DELETE_AGENT_INSTANCE:
            self.status_view.setPlainText("deleted")
        elif result.data:
            self.status_view.setPlainText(json.dumps(result.data, indent=2))
        self._update_buttons()

    def _create(self) -> None:
        if self._profile is None:
            return
        if not self._profile.agent_id:
            self.result_label.setText("AgentId: not set; set it in Settings → Create instance")
            return
        self._start_call()
        self.create_requested.emit(instance_spec(self._profile))

    def _delete(self) -> None:
        instance = self.instance_field.text()
        answer = QMessageBox.question(self, "Delete agent instance", f"Delete agent instance {instance}?")
        if answer == QMessageBox.StandardButton.Yes:
            self._call(DELETE_AGENT_INSTANCE)

    def _call(self, action: str) -> None:
        self._start_call()
        self.instance_call_requested.emit(action, self.instance_field.text())

    def _start_call(self) -> None:
        self._busy = True
        self.result_label.setText("Waiting for the server…")
        self._update_buttons()

    def _update_buttons(self) -> None:
        has_id = bool(self.instance_field.text())
        self.create_button.setEnabled(not self._busy and self._profile is not None)
        for button in (self.query_button, self.delete_button, self.use_button):
            button.setEnabled(not self._busy and has_id)
