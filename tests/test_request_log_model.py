"""The request-log model: newest on top, paged from the journal, live updates in any order."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager

from ptt_app.api.types import ApiResult, Outcome
from ptt_app.gui.request_log_model import PAGE_SIZE, RequestLogModel
from ptt_app.store.journal import JournalReader, RequestJournal
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


def answered(journal: RequestJournal, sequence: int, outcome: Outcome, code: int | None, request_id: str | None,
             data: dict | None = None) -> int:
    row_id = record(journal, sequence)
    journal.record_result(row_id, ApiResult("StartListening", sequence, time.time(), 2.0, outcome, 200 if code is not None
                                            else None, code, "words", request_id, data))
    return row_id


def test_the_status_column_says_how_each_row_ended_in_words(qtbot) -> None:
    from ptt_app.gui.request_log_model import STATUS_COLUMN, RowKind

    with RequestJournal(journal_path()) as journal:
        answered(journal, 1, Outcome.OK, 0, "r1")
        answered(journal, 2, Outcome.API_ERROR, 410001043, "r2")
        answered(journal, 3, Outcome.API_ERROR, 410001046, "r3")
        answered(journal, 4, Outcome.TIMEOUT, None, None)
        record(journal, 5)
        model = RequestLogModel(journal)
        words = [model.text_at(row, STATUS_COLUMN) for row in range(model.rowCount())]
        assert words == ["Sent…", "Failed", "Error", "Ignored (outdated)", "OK"]
        assert [RowKind(kind).failed for kind in (RowKind.FAILED, RowKind.ERROR, RowKind.IGNORED, RowKind.OK)] == [
            True, True, False, False]


def test_the_round_the_server_answered_fills_the_round_column(qtbot) -> None:
    from ptt_app.gui.request_log_model import COLUMNS

    with RequestJournal(journal_path()) as journal:
        answered(journal, 1, Outcome.OK, 0, "r1", {"Round": 7})
        answered(journal, 2, Outcome.OK, 0, "r2")
        model = RequestLogModel(journal)
        assert model.text_at(1, COLUMNS.index("Round")) == "7"
        assert model.text_at(0, COLUMNS.index("Round")) == ""


def test_only_background_reads_that_went_well_count_as_routine(qtbot) -> None:
    from ptt_app.gui.request_log_model import is_routine_read

    with RequestJournal(journal_path()) as journal:
        ok = journal.record_result(
            journal.record_sent(profile="p", app_id=1, agent_instance_id="i", user_id="u",
                                action="QueryAgentInstanceStatus", sequence=None, sent_at=time.time()),
            ApiResult("QueryAgentInstanceStatus", None, time.time(), 1.0, Outcome.OK, 200, 0, "ok", "q1"))
        gone = journal.record_result(
            journal.record_sent(profile="p", app_id=1, agent_instance_id="i", user_id="u",
                                action="QueryAgentInstanceStatus", sequence=None, sent_at=time.time()),
            ApiResult("QueryAgentInstanceStatus", None, time.time(), 1.0, Outcome.API_ERROR, 200, 410001002, "gone", "q2"))
        start = journal.get(answered(journal, 1, Outcome.OK, 0, "r1"))
        assert is_routine_read(ok) and not is_routine_read(gone) and not is_routine_read(start)


# --- the bounded window of rows ------------------------------------------------------------------------

WINDOW = 200  # the smallest window the model takes: two pages


def shown_ids(model: RequestLogModel) -> list[int]:
    return [model.entry_at(row).row_id for row in range(model.rowCount())]


def read_deep_into_history(model: RequestLogModel, pages: int) -> None:
    """What the view does as the operator scrolls down: look at the bottom row, and Qt fetches the next page."""
    for _ in range(pages):
        model.set_top_visible_row(model.rowCount() - 1)
        model.fetchMore()


def scroll_back_to_the_top(model: RequestLogModel) -> None:
    """What the view does as the operator scrolls up to the top: page the newer rows back, until none are left."""
    for _ in range(1000):
        model.set_top_visible_row(0)
        if not model.can_fetch_newer():
            return
        model.fetch_newer()
    raise AssertionError("newer rows kept coming back")


def test_the_window_never_holds_more_rows_than_its_size_however_deep_the_operator_reads(qtbot) -> None:
    with RequestJournal(journal_path()) as journal:
        for n in range(1000):
            record(journal, n)
        model = RequestLogModel(journal, window_rows=WINDOW)
        for _ in range(8):
            read_deep_into_history(model, 1)
            assert model.rowCount() <= WINDOW
        assert model.can_fetch_newer()  # the newest rows were dropped to make room


def test_rows_dropped_while_reading_history_come_back_in_order_at_the_top(qtbot) -> None:
    with RequestJournal(journal_path()) as journal:
        ids = [record(journal, n) for n in range(1000)]
        model = RequestLogModel(journal, window_rows=WINDOW)
        read_deep_into_history(model, 8)
        scroll_back_to_the_top(model)
        assert shown_ids(model)[:WINDOW] == list(reversed(ids))[:WINDOW]  # newest first, none missing or twice


def test_rows_written_while_the_operator_reads_history_show_once_back_at_the_top(qtbot) -> None:
    with RequestJournal(journal_path()) as journal:
        ids = [record(journal, n) for n in range(1000)]
        model = RequestLogModel(journal, window_rows=WINDOW)
        read_deep_into_history(model, 8)
        later = [record(journal, n) for n in range(1000, 1005)]
        for row_id in later:
            model.upsert(journal.get(row_id))  # what the worker reports as it writes
        scroll_back_to_the_top(model)
        assert shown_ids(model)[:10] == list(reversed(ids + later))[:10]


# --- rows kept in memory on a full disk (negative row ids), seen through the window's file reader -------


def keep_rows_in_memory(journal: RequestJournal, model: RequestLogModel, count: int) -> list[int]:
    """Fill the file to its cap, then write `count` rows the disk refuses, reporting each row to the model as the
    worker does; their provisional ids, oldest first."""
    from test_journal_faults import cap_file_size

    cap_file_size(journal, True)
    kept: list[int] = []
    sequence = 10_000
    while len(kept) < count:
        row_id = record(journal, sequence)
        sequence += 1
        model.upsert(journal.get(row_id))
        if row_id < 0:
            kept.append(row_id)
    return kept


@contextmanager
def a_thousand_rows_seen_by_the_window() -> Iterator[tuple[RequestJournal, JournalReader, RequestLogModel]]:
    """A writer that keeps rows in memory when the disk refuses them, and the model over the window's own file
    reader, with 1,000 rows in the file."""
    with RequestJournal(journal_path(), buffer_when_unwritable=True) as journal, JournalReader(journal_path()) as reader:
        for n in range(1000):
            record(journal, n)
        yield journal, reader, RequestLogModel(reader, window_rows=WINDOW)


def test_rows_kept_in_memory_while_the_operator_reads_history_show_once_back_at_the_top(qtbot) -> None:
    with a_thousand_rows_seen_by_the_window() as (journal, reader, model):
        read_deep_into_history(model, 8)
        kept = keep_rows_in_memory(journal, model, 3)
        scroll_back_to_the_top(model)
        in_file = [entry.row_id for entry in reader.recent(WINDOW - 3)]
        assert shown_ids(model)[:WINDOW] == [*reversed(kept), *in_file]


def test_reading_deep_into_history_does_not_drop_rows_kept_in_memory_from_the_log(qtbot) -> None:
    with a_thousand_rows_seen_by_the_window() as (journal, reader, model):
        kept = keep_rows_in_memory(journal, model, 3)
        assert shown_ids(model)[:3] == list(reversed(kept))
        read_deep_into_history(model, 8)
        scroll_back_to_the_top(model)
        assert shown_ids(model)[:4] == [*reversed(kept), reader.recent(1)[0].row_id]


def test_rows_written_once_the_disk_has_room_show_once_under_their_file_ids(qtbot) -> None:
    from test_journal_faults import cap_file_size

    with a_thousand_rows_seen_by_the_window() as (journal, reader, model):
        read_deep_into_history(model, 8)
        kept = [journal.get(row_id).sequence for row_id in keep_rows_in_memory(journal, model, 3)]
        cap_file_size(journal, False)
        for provisional_id, entry in journal.flush_backlog():
            model.renumber(provisional_id, entry)  # what the window does with journal_renumbered
        scroll_back_to_the_top(model)
        assert shown_ids(model)[:WINDOW] == [entry.row_id for entry in reader.recent(WINDOW)]
        assert [model.entry_at(row).sequence for row in range(3)] == list(reversed(kept))


def test_rows_kept_in_memory_stay_newest_first_when_reading_far_back_holds_only_some_of_them(qtbot) -> None:
    with a_thousand_rows_seen_by_the_window() as (journal, reader, model):
        kept = keep_rows_in_memory(journal, model, 150)  # more than one page: a trim takes only the newest
        read_deep_into_history(model, 8)
        scroll_back_to_the_top(model)
        in_file = [entry.row_id for entry in reader.recent(WINDOW)]
        assert shown_ids(model)[:WINDOW] == [*reversed(kept), *in_file][:WINDOW]


def test_scrolling_up_to_the_rows_kept_in_memory_pages_the_newer_rows_back_below_them(qtbot) -> None:
    from ptt_app.gui.log_view import RequestLogView

    with a_thousand_rows_seen_by_the_window() as (journal, reader, model):
        kept = keep_rows_in_memory(journal, model, 3)
        read_deep_into_history(model, 8)
        view = RequestLogView(model)
        qtbot.addWidget(view)
        view.show()
        bar = view.verticalScrollBar()
        for _ in range(50):  # the operator scrolls up and down around the last row kept in memory
            bar.setValue(len(kept) + 1)
            bar.setValue(len(kept))
        assert not model.can_fetch_newer()
        assert shown_ids(model)[:5] == [*reversed(kept), *[entry.row_id for entry in reader.recent(2)]]
