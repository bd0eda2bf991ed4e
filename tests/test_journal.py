"""The request journal: durable before the send, complete after it, and recoverable after a crash."""

from __future__ import annotations

import csv
import io
import json
import os
import signal
import sqlite3
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from ptt_app.api.types import ApiResult, Outcome
from ptt_app.store.journal import (
    EXPORT_COLUMNS,
    SCHEMA_VERSION,
    JournalReader,
    JournalStatus,
    RequestJournal,
    chronological_key,
)

KEY = {"profile": "p", "app_id": 7, "agent_instance_id": "inst", "user_id": "u"}
posix_only = pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals and file modes")


def sent(journal: RequestJournal, sequence: int | None = 1, action: str = "StartListening", **key) -> int:
    return journal.record_sent(**{**KEY, **key}, action=action, sequence=sequence, sent_at=time.time())


def answer(code: int | None = 0, outcome: Outcome = Outcome.OK, request_id: str | None = "rid-1",
           http_status: int | None = 200, message: str = "success") -> ApiResult:
    return ApiResult("StartListening", 1, 1_700_000_000.0, 3.5, outcome, http_status, code, message, request_id)


def superseded(journal: RequestJournal, sequence: int, **key):
    return journal.record_superseded(**{**KEY, **key}, action="StopListening", sequence=sequence,
                                     reason=f"superseded by StartListening Sequence {sequence + 1}; not sent")


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "journal.sqlite3"


@pytest.fixture
def journal(path: Path):
    with RequestJournal(path) as opened:
        yield opened


# --- writing ---------------------------------------------------------------------------------------------


def test_a_sent_row_is_pending_and_committed_before_the_answer(journal, path) -> None:
    row_id = sent(journal, 41)
    other = sqlite3.connect(path)  # sees only what is committed
    try:
        row = other.execute("SELECT status, sequence FROM requests WHERE row_id = ?", (row_id,)).fetchone()
    finally:
        other.close()
    assert row == ("pending", 41)
    assert journal.get(row_id).status is JournalStatus.PENDING


def test_an_answer_completes_the_row(journal) -> None:
    entry = journal.record_result(sent(journal), answer())
    assert entry.status is JournalStatus.ANSWERED
    assert (entry.outcome, entry.http_status, entry.code, entry.message, entry.request_id, entry.latency_ms) == (
        "ok", 200, 0, "success", "rid-1", 3.5)
    assert entry.finished_at == pytest.approx(1_700_000_000.0035)
    assert journal.get(entry.row_id) == entry


def test_a_non_zero_code_is_answered_not_failed(journal) -> None:
    entry = journal.record_result(sent(journal), answer(410001008, Outcome.API_ERROR, message="busy"))
    assert entry.status is JournalStatus.ANSWERED and entry.code == 410001008 and entry.outcome == "api_error"


@pytest.mark.parametrize(
    ("outcome", "http_status"),
    [(Outcome.TIMEOUT, None), (Outcome.TRANSPORT_ERROR, None), (Outcome.HTTP_ERROR, 502), (Outcome.BAD_BODY, 200)],
)
def test_a_call_without_a_code_is_failed(journal, outcome, http_status) -> None:
    entry = journal.record_result(sent(journal), answer(None, outcome, None, http_status, "what went wrong"))
    assert entry.status is JournalStatus.FAILED and entry.outcome == outcome.value
    assert entry.http_status == http_status and entry.message == "what went wrong"


def test_a_result_for_an_unknown_row_raises(journal) -> None:
    with pytest.raises(KeyError):
        journal.record_result(12345, answer())


def test_a_superseded_intent_is_logged_with_its_reason_and_no_send_time(journal) -> None:
    entry = superseded(journal, 5)
    assert entry.status is JournalStatus.SUPERSEDED and entry.sequence == 5
    assert entry.message.startswith("superseded by") and entry.sent_at is None
    assert journal.get(entry.row_id) == entry


def test_a_superseded_intent_keeps_the_time_the_operator_acted_as_its_time(journal) -> None:
    entry = journal.record_superseded(**KEY, action="StopListening", sequence=5, reason="superseded", acted_at=1234.5)
    assert entry.sent_at == 1234.5 and journal.get(entry.row_id).sent_at == 1234.5


@pytest.mark.parametrize("sequence", [2**62, 2**63 - 1, -(2**63), 0, None])
def test_int64_sequences_round_trip(journal, sequence) -> None:
    assert journal.get(sent(journal, sequence)).sequence == sequence


# --- reading ---------------------------------------------------------------------------------------------


def test_recent_and_older_than_page_newest_first(journal) -> None:
    ids = [sent(journal, n) for n in range(10)]
    assert [e.row_id for e in journal.recent(3)] == [ids[9], ids[8], ids[7]]
    assert [e.row_id for e in journal.older_than(ids[5], 2)] == [ids[4], ids[3]]
    assert [e.row_id for e in journal.older_than(None, 2)] == [ids[9], ids[8]]
    assert journal.older_than(ids[0], 5) == []


def test_newer_than_pages_oldest_first(journal) -> None:
    ids = [sent(journal, n) for n in range(10)]
    assert [e.row_id for e in journal.newer_than(ids[7], 5)] == [ids[8], ids[9]]
    assert [e.row_id for e in journal.newer_than(None, 2)] == [ids[0], ids[1]]


def test_count_and_latest_row_id(journal) -> None:
    assert journal.count() == 0 and journal.latest_row_id() is None
    ids = [sent(journal, n) for n in range(3)]
    assert journal.count() == 3 and journal.latest_row_id() == ids[-1]


def test_a_negative_limit_is_refused_rather_than_read_as_no_limit(journal) -> None:
    sent(journal)
    with pytest.raises(ValueError):
        journal.recent(-1)


def test_max_sequence_counts_every_row_of_its_key_only(journal) -> None:
    journal.record_result(sent(journal, 10), answer())
    sent(journal, 11)  # still pending
    superseded(journal, 12)
    sent(journal, 99, agent_instance_id="other")
    sent(journal, 98, user_id="someone-else")
    sent(journal, 97, app_id=8)
    assert journal.max_sequence(7, "inst", "u") == 12
    assert journal.max_sequence(7, "other", "u") == 99
    assert journal.max_sequence(7, "nobody", "u") is None


def test_rows_kept_in_memory_sort_after_every_row_in_the_file_in_the_order_they_came() -> None:
    assert sorted([-2, 7, -1, 3], key=chronological_key) == [3, 7, -1, -2]


# --- the read-only reader --------------------------------------------------------------------------------


def folder_state(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def test_a_reader_pages_exactly_like_the_writer(journal, path) -> None:
    ids = [sent(journal, n) for n in range(10)]
    journal.record_result(ids[3], answer())
    with JournalReader(path) as reader:
        assert reader.recent(4) == journal.recent(4)
        assert reader.older_than(ids[5], 3) == journal.older_than(ids[5], 3)
        assert reader.newer_than(ids[7], 5) == journal.newer_than(ids[7], 5)
        assert reader.newer_than(None, 2) == journal.newer_than(None, 2)
        assert reader.get(ids[3]) == journal.get(ids[3]) and reader.get(999) is None
        assert reader.count() == 10 and reader.problem is None


def test_a_reader_of_a_journal_not_made_yet_reads_empty_and_creates_nothing(tmp_path) -> None:
    path = tmp_path / "nowhere" / "journal.sqlite3"
    with JournalReader(path) as reader:
        assert reader.recent(10) == [] and reader.count() == 0 and reader.get(1) is None
        assert reader.newer_than(None, 5) == [] and reader.problem is None
    assert not path.parent.exists()


def test_a_reader_writes_nothing_and_creates_no_file(journal, path) -> None:
    for n in range(5):
        sent(journal, n)
    journal.close()  # no writer: SQLite's shared-memory and WAL files are gone
    before = folder_state(path.parent)
    with JournalReader(path) as reader:
        assert [e.sequence for e in reader.recent(10)] == [4, 3, 2, 1, 0]
        assert reader.count() == 5
    assert folder_state(path.parent) == before


def test_a_reader_beside_an_open_writer_creates_no_file(journal, path) -> None:
    row = sent(journal)
    names = sorted(os.listdir(path.parent))
    with JournalReader(path) as reader:
        assert reader.get(row).status is JournalStatus.PENDING
    assert sorted(os.listdir(path.parent)) == names


def test_a_reader_never_recovers_the_rows_of_a_killed_writer(path) -> None:
    orphan = killed_writer_row(path)
    with JournalReader(path) as reader:
        assert reader.get(orphan).status is JournalStatus.PENDING
    with RequestJournal(path) as writer:
        assert writer.get(orphan).status is JournalStatus.NO_ANSWER


def test_a_reader_follows_the_new_journal_after_a_broken_one_is_set_aside(path) -> None:
    path.parent.mkdir(parents=True)
    path.write_bytes(b"junk" * 1000)
    with JournalReader(path) as reader:
        assert reader.recent(5) == [] and reader.problem is not None
        with RequestJournal(path) as writer:
            row = sent(writer, 42)
        assert [e.row_id for e in reader.recent(5)] == [row] and reader.problem is None


def test_a_reader_refuses_a_negative_limit_and_use_after_close(journal, path) -> None:
    reader = JournalReader(path)
    with pytest.raises(ValueError):
        reader.recent(-1)
    reader.close()
    with pytest.raises(sqlite3.ProgrammingError):
        reader.recent(1)


LOOPING_WRITER = """
import sys, time
from pathlib import Path
from ptt_app.store.journal import RequestJournal
with RequestJournal(Path(sys.argv[1])) as journal:
    for n in range(300):
        journal.record_sent(profile="p", app_id=7, agent_instance_id="inst", user_id="u",
                            action="StartListening", sequence=n, sent_at=time.time())
"""


def test_a_reader_pages_while_another_process_writes(path) -> None:
    RequestJournal(path).close()
    writer = subprocess.Popen([sys.executable, "-c", LOOPING_WRITER, str(path)])
    seen: list[int] = []
    last_row_id = None
    with JournalReader(path) as reader:
        while True:
            finished = writer.poll() is not None
            page = reader.newer_than(last_row_id, 50)
            assert reader.problem is None
            seen += [entry.sequence for entry in page]
            last_row_id = page[-1].row_id if page else last_row_id
            if finished and not page:
                break
    assert writer.wait(timeout=60) == 0
    assert seen == list(range(300))


# --- export ----------------------------------------------------------------------------------------------


def fill_three(journal: RequestJournal) -> list[int]:
    ids = [journal.record_result(sent(journal, n), answer(request_id=f"rid-{n}")).row_id for n in range(2)]
    ids.append(superseded(journal, 2).row_id)
    return ids


def test_csv_export_parses_back_to_every_row_oldest_first(journal, tmp_path) -> None:
    ids = fill_three(journal)
    journal.export_csv(tmp_path / "out.csv")
    with open(tmp_path / "out.csv", newline="", encoding="utf-8") as stream:
        reader = csv.DictReader(stream)
        rows = list(reader)
    assert tuple(reader.fieldnames) == EXPORT_COLUMNS
    assert [int(r["row_id"]) for r in rows] == ids
    assert [r["status"] for r in rows] == ["answered", "answered", "superseded"]
    assert rows[1]["request_id"] == "rid-1" and rows[1]["code"] == "0" and float(rows[1]["latency_ms"]) == 3.5
    assert rows[2]["sent_at"] == "" and rows[2]["request_id"] == ""  # None is written as an empty field


def test_json_export_parses_back_to_every_row_oldest_first(journal, tmp_path) -> None:
    ids = fill_three(journal)
    journal.export_json(tmp_path / "out.json")
    rows = json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))
    assert [row["row_id"] for row in rows] == ids
    assert all(tuple(row) == EXPORT_COLUMNS for row in rows)
    assert rows == [journal.get(row_id).as_dict() for row_id in ids]


def test_export_of_an_empty_journal_is_valid(journal, tmp_path) -> None:
    journal.export_json(tmp_path / "out.json")
    journal.export_csv(tmp_path / "out.csv")
    assert json.loads((tmp_path / "out.json").read_text()) == []
    assert (tmp_path / "out.csv").read_text().splitlines() == [",".join(EXPORT_COLUMNS)]


def test_export_writes_to_an_open_stream(journal) -> None:
    fill_three(journal)
    stream = io.StringIO()
    journal.export_json(stream)
    assert len(json.loads(stream.getvalue())) == 3


def test_a_failed_export_keeps_the_previous_file_and_leaves_no_temporary_file(journal, tmp_path) -> None:
    fill_three(journal)
    destination = tmp_path / "out.json"
    destination.write_text("previous export")
    journal.close()
    with pytest.raises(sqlite3.ProgrammingError):
        journal.export_json(destination)
    assert destination.read_text() == "previous export"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data", "out.json"]


# --- the file --------------------------------------------------------------------------------------------


def test_the_journal_is_wal_with_a_schema_version(journal, path) -> None:
    other = sqlite3.connect(path)
    try:
        assert other.execute("PRAGMA journal_mode").fetchone() == ("wal",)
        assert other.execute("PRAGMA user_version").fetchone() == (SCHEMA_VERSION,)
    finally:
        other.close()


def test_a_journal_from_a_newer_release_is_refused(path) -> None:
    RequestJournal(path).close()
    db = sqlite3.connect(path)
    db.execute(f"PRAGMA user_version={SCHEMA_VERSION + 1}")
    db.close()
    with pytest.raises(RuntimeError, match="newer"):
        RequestJournal(path)


@posix_only
def test_the_journal_file_and_folder_are_private(journal, path) -> None:
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700


def test_a_closed_journal_refuses_use_and_closes_twice_quietly(path) -> None:
    journal = RequestJournal(path)
    journal.close()
    journal.close()
    with pytest.raises(sqlite3.ProgrammingError):
        sent(journal)


# --- recovery after a crash ------------------------------------------------------------------------------

WRITER = """
import os, signal, sys, time
from pathlib import Path
from ptt_app.store.journal import RequestJournal
journal = RequestJournal(Path(sys.argv[1]))
row = journal.record_sent(profile="p", app_id=7, agent_instance_id="inst", user_id="u",
                          action="StartListening", sequence=100, sent_at=time.time())
print(row, flush=True)
if sys.argv[2] == "kill":
    os.kill(os.getpid(), signal.SIGKILL)
time.sleep(60)
"""


def run_writer(path: Path, mode: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", WRITER, str(path), mode], stdout=subprocess.PIPE, text=True)


def killed_writer_row(path: Path) -> int:
    """A row left pending by a writer killed with SIGKILL mid-request."""
    writer = run_writer(path, "kill")
    row = int(writer.stdout.readline())
    assert writer.wait(timeout=30) == -signal.SIGKILL
    writer.stdout.close()
    return row


def sleeper() -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])


@posix_only
def test_rows_left_pending_by_a_killed_process_become_no_answer(journal, path) -> None:
    earlier = [journal.record_result(sent(journal, n), answer(request_id=f"rid-{n}")) for n in range(3)]
    earlier.append(superseded(journal, 3))
    journal.close()
    orphan = killed_writer_row(path)
    with RequestJournal(path) as reopened:
        assert reopened.get(orphan).status is JournalStatus.NO_ANSWER
        assert reopened.get(orphan).sequence == 100
        assert reopened.recovered_count == 1
        assert [reopened.get(entry.row_id) for entry in earlier] == earlier
        assert reopened.count() == 5


def test_pending_rows_of_a_live_process_are_left_alone(path) -> None:
    RequestJournal(path).close()
    live = run_writer(path, "live")
    try:
        row = int(live.stdout.readline())
        with RequestJournal(path) as reopened:
            assert reopened.get(row).status is JournalStatus.PENDING
            assert reopened.recovered_count == 0
    finally:
        live.kill()
        live.wait()
        live.stdout.close()


def test_pending_rows_of_this_process_are_left_alone_by_a_second_instance(journal, path) -> None:
    row = sent(journal)  # the GUI's writer has a request in the air while its reader opens
    with RequestJournal(path) as reader:
        assert reader.get(row).status is JournalStatus.PENDING and reader.recovered_count == 0


@posix_only
def test_a_dead_writer_is_recovered_even_when_its_pid_now_belongs_to_a_live_process(path) -> None:
    orphan = killed_writer_row(path)
    stranger = sleeper()
    try:
        # What pid reuse looks like: the dead writer's pid is alive again, as another program.
        db = sqlite3.connect(path)
        with db:
            db.execute("UPDATE requests SET writer_pid = ? WHERE row_id = ?", (stranger.pid, orphan))
        db.close()
        with RequestJournal(path) as reopened:
            assert reopened.get(orphan).status is JournalStatus.NO_ANSWER
    finally:
        stranger.kill()
        stranger.wait()


@pytest.mark.parametrize("writer_alive", [True, False])
def test_without_a_lock_file_the_writer_pid_decides(path, writer_alive) -> None:
    # Rows of a writer on a filesystem without file locks (or of the first release) have no lock file.
    RequestJournal(path).close()
    writer = sleeper()
    if not writer_alive:
        writer.kill()
        writer.wait()
    try:
        db = sqlite3.connect(path)
        with db:
            row = db.execute(
                "INSERT INTO requests (profile, app_id, agent_instance_id, user_id, action, sequence, status, "
                "sent_at, writer_pid, writer_session) VALUES ('p', 7, 'inst', 'u', 'StartListening', 1, "
                "'pending', 0, ?, 'no-lock-file')", (writer.pid,)).lastrowid
        db.close()
        with RequestJournal(path) as reopened:
            expected = JournalStatus.PENDING if writer_alive else JournalStatus.NO_ANSWER
            assert reopened.get(row).status is expected
    finally:
        writer.kill()
        writer.wait()


# --- load ------------------------------------------------------------------------------------------------


def test_two_writers_on_two_threads_lose_nothing(path) -> None:
    RequestJournal(path).close()
    errors: list[BaseException] = []

    def write(first_sequence: int) -> None:
        try:
            with RequestJournal(path) as mine:
                for n in range(200):
                    row = sent(mine, first_sequence + n)
                    mine.record_result(row, answer(request_id=f"rid-{first_sequence + n}"))
        except BaseException as error:  # surfaced below: a thread's exception would otherwise vanish
            errors.append(error)

    threads = [threading.Thread(target=write, args=(k * 1000,)) for k in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with RequestJournal(path) as journal:
        rows = journal.recent(1000)
    assert len(rows) == 400
    assert sorted(e.sequence for e in rows) == list(range(200)) + list(range(1000, 1200))
    assert all(e.status is JournalStatus.ANSWERED for e in rows)


def test_a_journal_of_100k_rows_opens_and_pages_quickly(path) -> None:
    RequestJournal(path).close()
    fill_journal(path, 100_000)
    started = time.perf_counter()
    with RequestJournal(path) as journal:
        page = journal.recent(200)
    elapsed = time.perf_counter() - started
    print(f"\nopen + recent(200) of a 100k-row journal: {elapsed * 1000:.1f} ms")
    assert len(page) == 200 and page[0].sequence == 99_999 and page[-1].sequence == 99_800
    assert elapsed < 5.0  # generous: timings here are noisy


def fill_journal(path: Path, rows: int) -> None:
    """Bulk-load answered rows in one transaction straight into SQLite (test set-up only)."""
    db = sqlite3.connect(path)
    now = time.time()
    with db:
        db.executemany(
            "INSERT INTO requests (profile, app_id, agent_instance_id, user_id, action, sequence, status, sent_at, "
            "finished_at, latency_ms, outcome, http_status, code, message, request_id, writer_pid, writer_session) "
            "VALUES ('p', 7, 'inst', 'u', ?, ?, 'answered', ?, ?, 1.2, 'ok', 200, 0, 'ok', ?, ?, 'fill')",
            ((("StartListening", "StopListening")[n % 2], n, now + n / 1000, now + n / 1000, f"rid-{n:08d}",
              os.getpid()) for n in range(rows)),
        )
    db.close()


def test_a_first_release_journal_gains_the_round_column_and_keeps_its_rows(tmp_path) -> None:
    import sqlite3

    path = tmp_path / "journal.sqlite3"
    old = sqlite3.connect(path)
    old.execute("""CREATE TABLE requests (row_id INTEGER PRIMARY KEY AUTOINCREMENT, profile TEXT NOT NULL,
        app_id INTEGER, agent_instance_id TEXT NOT NULL, user_id TEXT NOT NULL, action TEXT NOT NULL,
        sequence INTEGER, status TEXT NOT NULL, sent_at REAL, finished_at REAL, latency_ms REAL, outcome TEXT,
        http_status INTEGER, code INTEGER, message TEXT NOT NULL DEFAULT '', request_id TEXT,
        writer_pid INTEGER NOT NULL, writer_session TEXT NOT NULL)""")
    old.execute("INSERT INTO requests (profile, app_id, agent_instance_id, user_id, action, sequence, status, message, "
                "request_id, writer_pid, writer_session) VALUES ('p', 1, 'i', 'u', 'StartListening', 7, 'answered', "
                "'success', 'rid-old', 1, 's')")
    old.execute("PRAGMA user_version=1")
    old.commit()
    old.close()
    with RequestJournal(path) as journal:
        (entry,) = journal.recent(1)
        assert entry.request_id == "rid-old" and entry.round is None
        row_id = journal.record_sent(profile="p", app_id=1, agent_instance_id="i", user_id="u",
                                     action="StopListening", sequence=8, sent_at=time.time())
        answered = journal.record_result(row_id, ApiResult("StopListening", 8, time.time(), 1.0, Outcome.OK, 200, 0,
                                                           "success", "rid-new", {"Round": 3}))
        assert answered.round == 3


def test_a_reader_on_files_a_gone_writer_left_behind_does_not_stop_the_next_writer(tmp_path) -> None:
    # The window's reader stays open while the worker's journal closes, so -wal and -shm remain; at the next
    # start the reader looks first. It must not attach to them: the writer then failed (SQLITE_READONLY) and
    # every row of that run was kept in memory only, then lost.
    path = tmp_path / "journal.sqlite3"
    reader = JournalReader(path)
    for run in range(3):
        reader.recent(10)
        with RequestJournal(path, buffer_when_unwritable=True) as journal:
            journal.record_sent(profile="p", app_id=1, agent_instance_id="i", user_id="u", action="StartListening",
                                sequence=run + 1, sent_at=time.time())
            assert journal.write_problem() is None
            assert len(reader.recent(10)) == run + 1
    reader.close()
    with JournalReader(path) as again:
        assert [entry.sequence for entry in again.recent(10)] == [3, 2, 1]
