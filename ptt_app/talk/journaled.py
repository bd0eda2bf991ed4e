"""Calls of the AI Agent API that are journaled before they leave and when they end."""

from __future__ import annotations

import time
from dataclasses import dataclass

from ptt_app.api.types import ApiRequest, ApiResult, ApiSender
from ptt_app.store.journal import JournalEntry, RequestJournal


@dataclass(frozen=True)
class CallTarget:
    """Who a call is for: the journal's key columns."""

    profile: str
    app_id: int
    agent_instance_id: str
    user_id: str


class JournaledAgentApi:
    """Wraps a client so that no call goes out without a journal row, and none ends without its outcome."""

    def __init__(self, client: ApiSender, journal: RequestJournal, profile: str) -> None:
        self.client = client
        self.journal = journal
        self.profile = profile

    def target(self, agent_instance_id: str, user_id: str) -> CallTarget:
        """The journal key for calls on one instance and user."""
        return CallTarget(self.profile, self.client.app_id, agent_instance_id, user_id)

    def begin(self, target: CallTarget, request: ApiRequest, sent_at: float) -> int:
        """Journal a call that is about to leave; returns its row id."""
        return self.journal.record_sent(
            profile=target.profile,
            app_id=target.app_id,
            agent_instance_id=target.agent_instance_id,
            user_id=target.user_id,
            action=request.action,
            sequence=request.sequence,
            sent_at=sent_at,
        )

    def finish(self, row_id: int, result: ApiResult) -> JournalEntry:
        """Journal the outcome of a call begun with `begin`."""
        return self.journal.record_result(row_id, result)

    def call(self, target: CallTarget, request: ApiRequest) -> ApiResult:
        """Journal, send, journal: the synchronous path used by the CLI."""
        row_id = self.begin(target, request, time.time())
        result = self.client.send(request)
        self.finish(row_id, result)
        return result
