"""The request-log model: newest on top, paged from the journal, live updates in any order."""

from __future__ import annotations

import time

from ptt_app.api.types import ApiResult, Outcome
from ptt_app.gui.request_log_model import PAGE_SIZE, RequestLogModel
from ptt_app.store.journal import RequestJournal
from ptt_app.store.paths import journal_path


def record(journal: RequestJournal, sequence: int) -> int:
    return journal.record_sent(profile="p", app_id=1, agent_instance_id="i", user_id="u", action="StartListening",
                               sequence=sequence, sent_at=time.time())


def test_rows_show_newest_first_and_older_pages_load_on_demand(qtbot) -> None:
    with RequestJournal(journal_path()) as journal:
        ids = [record(journal, n) for n in range(PAGE_SIZE + 10)]
        model = RequestLogModel(journal)
        assert model.rowCount() == PAGE_SIZE and model.entry_at(0).row_id == ids[-1]
        assert model.canFetchMore()
        model.fetchMore()
        assert model.rowCount() == PAGE_SIZE + 10 and model.entry_at(model.rowCount() - 1).row_id == ids[0]


def test_a_row_shown_late_slots_in_below_newer_rows(qtbot) -> None:
    with RequestJournal(journal_path()) as journal:
        model = RequestLogModel(journal)
        slow = record(journal, 1)
        fast = [record(journal, n) for n in (2, 3)]
        for row_id in fast:
            model.upsert(journal.get(row_id))
        model.upsert(journal.get(slow))
        assert [model.entry_at(r).row_id for r in range(3)] == [fast[1], fast[0], slow]


def test_an_answer_updates_its_row_in_place(qtbot) -> None:
    with RequestJournal(journal_path()) as journal:
        model = RequestLogModel(journal)
        row_id = record(journal, 1)
        model.upsert(journal.get(row_id))
        answered = journal.record_result(
            row_id, ApiResult("StartListening", 1, time.time(), 2.0, Outcome.OK, 200, 0, "ok", "rid")
        )
        model.upsert(answered)
        assert model.rowCount() == 1 and model.entry_at(0).request_id == "rid"
