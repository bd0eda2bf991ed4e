"""The journal side of every call: a row before the request leaves, its outcome when it ends."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from ptt_app.api.types import ApiRequest, ApiResult
from ptt_app.store.journal import JournalEntry, RequestJournal

# The app log names each call once, when it ends (the journal has it from before it left): one file write
# after the answer, none on the way out.
_log = logging.getLogger(__name__)


@dataclass(frozen=True)
class CallTarget:
    """Who a call is for: the journal's key columns."""

    profile: str
    app_id: int
    agent_instance_id: str
    user_id: str


class CallJournal:
    """Writes the rows of calls: no call goes out without a row, and none ends without its outcome."""

    def __init__(self, journal: RequestJournal) -> None:
        self.journal = journal

    def begin(self, target: CallTarget, request: ApiRequest, sent_at: float) -> int:
        """A call about to leave, committed before this returns; its row id."""
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
        """The outcome of a call begun with `begin`."""
        entry = self.journal.record_result(row_id, result)
        _log.info("%s%s", result.summary(), " (sent twice: the first connection was dead)" if result.resent else "")
        return entry

    def superseded(self, target: CallTarget, request: ApiRequest, acted_at: float, reason: str) -> JournalEntry:
        """An operator action replaced by a newer one before it could be sent; kept with its Sequence."""
        _log.info("%s Sequence=%s not sent: %s", request.action, request.sequence, reason)
        return self.journal.record_superseded(
            profile=target.profile,
            app_id=target.app_id,
            agent_instance_id=target.agent_instance_id,
            user_id=target.user_id,
            action=request.action,
            sequence=request.sequence,
            reason=reason,
            acted_at=acted_at,
        )

    def entry(self, row_id: int) -> JournalEntry | None:
        """The row as it stands now."""
        return self.journal.get(row_id)
