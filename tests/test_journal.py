"""The request journal: durable before the send, complete after it, and recoverable after a crash."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from ptt_app.client import ApiResult, Outcome
from ptt_app.journal import JournalStatus, RequestJournal


def sent(journal: RequestJournal, sequence: int | None = 1, action: str = "StartListening") -> int:
    return journal.record_sent(profile="p", app_id=7, agent_instance_id="inst", user_id="u", action=action,
                               sequence=sequence, sent_at=time.time())


def answer(code: int = 0, outcome: Outcome = Outcome.OK, request_id: str | None = "rid-1") -> ApiResult:
    return ApiResult("StartListening", 1, time.time(), 3.5, outcome, 200, code, "ok", request_id)


@pytest.fixture
def journal(tmp_path: Path):
    with RequestJournal(tmp_path / "journal.sqlite3") as opened:
        yield opened


def test_a_sent_row_is_pending_and_visible_to_another_connection_before_the_answer(journal, tmp_path) -> None:
    row_id = sent(journal)
    other = sqlite3.connect(tmp_path / "journal.sqlite3")
    assert other.execute("SELECT status FROM requests WHERE row_id = ?", (row_id,)).fetchone() == ("pending",)


def test_an_answer_completes_the_row(journal) -> None:
    entry = journal.record_result(sent(journal), answer())
    assert entry.status is JournalStatus.ANSWERED and entry.request_id == "rid-1" and entry.latency_ms == 3.5


def test_a_non_zero_code_is_answered_and_a_transport_error_is_failed(journal) -> None:
    assert journal.record_result(sent(journal), answer(100000005, Outcome.API_ERROR)).status is JournalStatus.ANSWERED
    failed = ApiResult("StartListening", 2, time.time(), 1.0, Outcome.TIMEOUT, None, None, "no answer", None)
    assert journal.record_result(sent(journal, 2), failed).status is JournalStatus.FAILED


def test_a_superseded_intent_is_logged_with_its_reason(journal) -> None:
    entry = journal.record_superseded(profile="p", app_id=7, agent_instance_id="inst", user_id="u",
                                      action="StopListening", sequence=5, reason="replaced by Start 6")
    assert entry.status is JournalStatus.SUPERSEDED and "replaced" in entry.message


def test_recent_and_older_than_page_newest_first(journal) -> None:
    ids = [sent(journal, n) for n in range(10)]
    assert [e.row_id for e in journal.recent(3)] == ids[:-4:-1]
    assert [e.row_id for e in journal.older_than(ids[5], 2)] == [ids[4], ids[3]]
    assert [e.row_id for e in journal.newer_than(ids[7], 5)] == [ids[8], ids[9]]


def test_int64_sequences_round_trip(journal) -> None:
    assert journal.get(sent(journal, 2**62)).sequence == 2**62


def test_max_sequence_counts_sent_and_superseded_rows_per_key(journal) -> None:
    sent(journal, 10)
    journal.record_superseded(profile="p", app_id=7, agent_instance_id="inst", user_id="u", action="StopListening",
                              sequence=12, reason="r")
    journal.record_sent(profile="p", app_id=7, agent_instance_id="other", user_id="u", action="StartListening",
                        sequence=99, sent_at=time.time())
    assert journal.max_sequence(7, "inst", "u") == 12
    assert journal.max_sequence(7, "nobody", "u") is None


def test_csv_and_json_exports_hold_every_row_oldest_first(journal, tmp_path) -> None:
    for n in range(3):
        journal.record_result(sent(journal, n), answer(request_id=f"rid-{n}"))
    journal.export_json(tmp_path / "out.json")
    journal.export_csv(tmp_path / "out.csv")
    rows = json.loads((tmp_path / "out.json").read_text())
    assert [row["request_id"] for row in rows] == ["rid-0", "rid-1", "rid-2"]
    lines = (tmp_path / "out.csv").read_text().splitlines()
    assert lines[0].startswith("row_id,") and len(lines) == 4 and "rid-2" in lines[3]


CRASHER = """
import os, signal, sys, time
from pathlib import Path
from ptt_app.journal import RequestJournal
journal = RequestJournal(Path(sys.argv[1]))
row = journal.record_sent(profile="p", app_id=7, agent_instance_id="inst", user_id="u",
                          action="StartListening", sequence=100, sent_at=time.time())
print(row, flush=True)
if sys.argv[2] == "kill":
    os.kill(os.getpid(), signal.SIGKILL)
time.sleep(30)
"""


def test_rows_left_pending_by_a_killed_process_become_no_answer(journal, tmp_path) -> None:
    earlier = [journal.record_result(sent(journal, n), answer()).row_id for n in range(3)]
    done = subprocess.run([sys.executable, "-c", CRASHER, str(tmp_path / "journal.sqlite3"), "kill"],
                          capture_output=True, text=True, timeout=30)
    orphan = int(done.stdout)
    with RequestJournal(tmp_path / "journal.sqlite3") as reopened:
        assert reopened.get(orphan).status is JournalStatus.NO_ANSWER
        assert reopened.recovered_count == 1
        assert all(reopened.get(row).status is JournalStatus.ANSWERED for row in earlier)


def test_pending_rows_of_a_live_process_are_left_alone(tmp_path) -> None:
    path = tmp_path / "journal.sqlite3"
    RequestJournal(path).close()
    live = subprocess.Popen([sys.executable, "-c", CRASHER, str(path), "live"], stdout=subprocess.PIPE, text=True)
    try:
        row = int(live.stdout.readline())
        with RequestJournal(path) as reopened:
            assert reopened.get(row).status is JournalStatus.PENDING
    finally:
        live.kill()
        live.wait()


def test_two_writers_on_two_threads_lose_nothing(tmp_path) -> None:
    path = tmp_path / "journal.sqlite3"
    RequestJournal(path).close()

    def write(offset: int) -> None:
        with RequestJournal(path) as mine:
            for n in range(200):
                mine.record_result(sent(mine, offset + n), answer())

    threads = [threading.Thread(target=write, args=(k * 1000,)) for k in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with RequestJournal(path) as journal:
        assert journal.count() == 400


def test_a_journal_of_100k_rows_opens_and_pages_at_once(tmp_path) -> None:
    path = tmp_path / "journal.sqlite3"
    RequestJournal(path).close()
    fill_journal(path, 100_000)
    started = time.perf_counter()
    with RequestJournal(path) as journal:
        page = journal.recent(500)
    elapsed = time.perf_counter() - started
    print(f"\nopen + first page of 100k rows: {elapsed * 1000:.1f} ms")
    assert len(page) == 500 and page[0].sequence == 99_999
    assert elapsed < 5.0  # generous: timings here are noisy; the benchmark reports the real figure


def fill_journal(path: Path, rows: int) -> None:
    """Bulk-load answered rows straight into SQLite (test and benchmark set-up only)."""
    db = sqlite3.connect(path)
    now = time.time()
    with db:
        db.executemany(
            "INSERT INTO requests (profile, app_id, agent_instance_id, user_id, action, sequence, status, sent_at, "
            "finished_at, latency_ms, outcome, http_status, code, message, request_id, writer_pid, writer_session) "
            "VALUES ('p', 7, 'inst', 'u', ?, ?, 'answered', ?, ?, 1.2, 'ok', 200, 0, 'ok', ?, 1, 'fill')",
            ((("StartListening", "StopListening")[n % 2], n, now + n / 1000, now + n / 1000, f"rid-{n:08d}")
             for n in range(rows)),
        )
    db.close()
