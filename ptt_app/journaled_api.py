"""Calls of the AI Agent API that are journaled before they leave and when they end."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from ptt_app.client import AgentApiClient, ApiResult, InstanceSpec, listening_body
from ptt_app.journal import JournalEntry, RequestJournal


@dataclass(frozen=True)
class CallTarget:
    """Who a call is for: the journal's key columns."""

    profile: str
    app_id: int
    agent_instance_id: str
    user_id: str


class JournaledAgentApi:
    """Wraps a client so that no call goes out without a journal row, and none ends without its outcome."""

    def __init__(self, client: AgentApiClient, journal: RequestJournal, profile: str) -> None:
        self.client = client
        self.journal = journal
        self.profile = profile

    def target(self, agent_instance_id: str, user_id: str) -> CallTarget:
        """The journal key for calls on one instance and user."""
        return CallTarget(self.profile, self.client.app_id, agent_instance_id, user_id)

    def begin(self, target: CallTarget, action: str, sequence: int | None, sent_at: float) -> int:
        """Journal a call that is about to leave; returns its row id."""
        return self.journal.record_sent(
            profile=target.profile,
            app_id=target.app_id,
            agent_instance_id=target.agent_instance_id,
            user_id=target.user_id,
            action=action,
            sequence=sequence,
            sent_at=sent_at,
        )

    def finish(self, row_id: int, result: ApiResult) -> JournalEntry:
        """Journal the outcome of a call begun with `begin`."""
        return self.journal.record_result(row_id, result)

    def call(self, target: CallTarget, action: str, body: dict[str, Any], sequence: int | None = None) -> ApiResult:
        """Journal, send, journal: the synchronous path used by the CLI."""
        row_id = self.begin(target, action, sequence, time.time())
        result = self.client.call(action, body, sequence)
        self.finish(row_id, result)
        return result

    def listen(self, target: CallTarget, action: str, sequence: int) -> ApiResult:
        """StartListening or StopListening with a Sequence, journaled."""
        return self.call(target, action, listening_body(target.agent_instance_id, target.user_id, sequence), sequence)

    def create_instance(self, spec: InstanceSpec) -> ApiResult:
        """CreateAgentInstance, journaled under the spec's user."""
        return self.call(self.target("", spec.user_id), "CreateAgentInstance", spec.as_body())

    def instance_call(self, action: str, agent_instance_id: str) -> ApiResult:
        """An instance action that takes only AgentInstanceId (query, delete, interrupt), journaled."""
        return self.call(self.target(agent_instance_id, ""), action, {"AgentInstanceId": agent_instance_id})
