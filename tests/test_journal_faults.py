"""The journal on bad files and full disks: a broken file is kept aside, a full disk never loses a row
(the window) or lets a request out unlogged (the command line), and neither ends in a traceback."""

from __future__ import annotations

import errno
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from ptt_app.api.types import ApiResult, Outcome
from ptt_app.store.journal import (
    JournalReader,
    JournalStatus,
    JournalTooNew,
    JournalUnwritable,
    RequestJournal,
    WriteProblem,
)

KEY = {"profile": "p", "app_id": 7, "agent_instance_id": "inst", "user_id": "u"}
KEPT_NAME = re.compile(r"journal\.sqlite3\.broken-\d{8}-\d{6}(-\d+)?")


def sent(journal: RequestJournal, sequence: int = 1, action: str = "StartListening") -> int:
    return journal.record_sent(**KEY, action=action, sequence=sequence, sent_at=time.time())


def answer(request_id: str = "rid-1") -> ApiResult:
    return ApiResult("StartListening", 1, 1_700_000_000.0, 3.5, Outcome.OK, 200, 0, "success", request_id)


def kept_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if KEPT_NAME.fullmatch(p.name))


def rows_in_file(path: Path) -> list[tuple]:
    """What the file itself holds, read by plain SQLite."""
    db = sqlite3.connect(path)
    try:
        return db.execute("SELECT row_id, sequence, status, request_id FROM requests ORDER BY row_id").fetchall()
    finally:
        db.close()


@pytest.fixture
def path(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    folder.mkdir()
    return folder / "journal.sqlite3"


# --- a file that is not a usable journal -----------------------------------------------------------------


def test_a_file_of_junk_bytes_is_kept_aside_and_a_new_journal_started(path) -> None:
    junk = os.urandom(8192)
    path.write_bytes(junk)
    with RequestJournal(path) as journal:
        row = sent(journal)
        assert journal.get(row).status is JournalStatus.PENDING
        warnings = journal.warnings
    [kept] = kept_files(path.parent)
    assert kept.read_bytes() == junk
    assert len(warnings) == 1 and str(kept) in warnings[0] and warnings[0].startswith("The request log ")
    assert "file is not a database" in warnings[0]


def test_a_truncated_journal_is_kept_aside(path) -> None:
    with RequestJournal(path) as journal:
        for n in range(300):
            journal.record_result(sent(journal, n), answer(f"rid-{n}"))
    whole = path.read_bytes()
    path.write_bytes(whole[: len(whole) // 2])
    with RequestJournal(path) as journal:
        assert journal.count() == 0
        assert len(journal.warnings) == 1
    [kept] = kept_files(path.parent)
    assert kept.read_bytes() == whole[: len(whole) // 2]


def test_a_requests_table_of_another_shape_is_kept_aside_with_its_rows(path) -> None:
    other = sqlite3.connect(path)
    with other:
        other.execute("CREATE TABLE requests (id INTEGER PRIMARY KEY, body TEXT)")
        other.execute("INSERT INTO requests (body) VALUES ('not ours')")
    other.close()
    with RequestJournal(path) as journal:
        assert journal.count() == 0
        assert "no column" in journal.warnings[0]
    [kept] = kept_files(path.parent)
    db = sqlite3.connect(kept)
    try:
        assert db.execute("SELECT body FROM requests").fetchall() == [("not ours",)]
    finally:
        db.close()


def test_the_wal_and_shm_files_of_a_broken_journal_are_kept_with_it(path) -> None:
    path.write_bytes(b"junk" * 1000)
    Path(f"{path}-wal").write_bytes(b"its wal")
    Path(f"{path}-shm").write_bytes(b"its shm")
    RequestJournal(path).close()
    [kept] = kept_files(path.parent)
    assert Path(f"{kept}-wal").read_bytes() == b"its wal"
    assert Path(f"{kept}-shm").read_bytes() == b"its shm"


def test_a_broken_file_never_overwrites_one_kept_earlier(path) -> None:
    path.write_bytes(b"first junk" * 100)
    RequestJournal(path).close()
    path.write_bytes(b"second junk" * 100)
    RequestJournal(path).close()
    kept = kept_files(path.parent)
    assert sorted(p.read_bytes() for p in kept) == [b"first junk" * 100, b"second junk" * 100]


def test_a_journal_from_a_newer_release_is_refused_and_left_in_place(path) -> None:
    RequestJournal(path).close()
    db = sqlite3.connect(path)
    db.execute("PRAGMA user_version=99")
    db.close()
    with pytest.raises(JournalTooNew, match="newer ptt-app"):
        RequestJournal(path)
    assert kept_files(path.parent) == []
    assert sqlite3.connect(path).execute("PRAGMA user_version").fetchone() == (99,)


def test_a_reader_never_sets_a_broken_file_aside(path) -> None:
    path.write_bytes(b"junk" * 1000)
    before = sorted(os.listdir(path.parent))
    with JournalReader(path) as reader:
        assert reader.recent(10) == [] and reader.count() == 0
        assert reader.problem is not None and str(path) in reader.problem
    assert sorted(os.listdir(path.parent)) == before and path.read_bytes() == b"junk" * 1000


OPENER = """
import json, sys, time
from pathlib import Path
from ptt_app.store.journal import RequestJournal
journal = RequestJournal(Path(sys.argv[1]))
journal.record_sent(profile="p", app_id=7, agent_instance_id="inst", user_id="u",
                    action="StartListening", sequence=int(sys.argv[2]), sent_at=time.time())
print(json.dumps(journal.warnings))
journal.close()
"""


def test_processes_opening_a_broken_journal_at_once_keep_one_copy_and_lose_no_row(path) -> None:
    path.write_bytes(b"junk" * 1000)
    openers = [subprocess.Popen([sys.executable, "-c", OPENER, str(path), str(n)], stdout=subprocess.PIPE, text=True)
               for n in range(3)]
    warnings = []
    for opener in openers:
        out, _ = opener.communicate(timeout=60)
        assert opener.returncode == 0
        warnings += json.loads(out)
    assert len(kept_files(path.parent)) == 1
    assert sum("it is kept as" in w for w in warnings) == 1
    assert sorted(row[1] for row in rows_in_file(path)) == [0, 1, 2]


def test_damage_inside_the_file_found_by_a_write_sets_it_aside_at_the_next_open(path) -> None:
    with RequestJournal(path) as journal:
        for n in range(50):
            sent(journal, n)
    damage_index_page(path)
    with RequestJournal(path) as journal, pytest.raises(JournalUnwritable) as refused:
        sent(journal, 50)  # the write must update the damaged index
    assert refused.value.problem is WriteProblem.DAMAGED
    with RequestJournal(path) as journal:
        assert sent(journal, 51) > 0 and journal.count() == 1
        assert "kept as" in journal.warnings[0]
    assert len(kept_files(path.parent)) == 1


def test_the_window_keeps_rows_met_by_damage_and_writes_them_to_a_new_journal(path) -> None:
    with RequestJournal(path) as journal:
        for n in range(50):
            sent(journal, n)
    damage_index_page(path)
    with RequestJournal(path, buffer_when_unwritable=True) as journal:
        row = sent(journal, 50)
        assert row < 0 and "the file is damaged" in journal.write_problem()
        [(old_id, entry)] = journal.flush_backlog()
        assert old_id == row and entry.row_id > 0 and entry.sequence == 50
        assert journal.write_problem() is None and "kept as" in journal.warnings[0]
    assert [r[1] for r in rows_in_file(path)] == [50]


def damage_index_page(path: Path) -> None:
    """Overwrite the root page of the index every insert updates, as a bad disk sector would."""
    db = sqlite3.connect(path)
    root, page_size = db.execute("SELECT rootpage FROM sqlite_master WHERE name = 'requests_by_key'").fetchone()[0], \
        db.execute("PRAGMA page_size").fetchone()[0]
    db.close()
    with open(path, "r+b") as stream:
        stream.seek((root - 1) * page_size)
        stream.write(b"\xee" * page_size)


# --- a full disk, always tested: SQLITE_FULL from a capped file size -------------------------------------


def cap_file_size(journal: RequestJournal, capped: bool) -> None:
    """Forbid (or allow again) the file to grow past its size, which SQLite reports as a full disk.
    SQLite keeps this limit per connection, so the test reaches the journal's own."""
    db = journal._conn
    limit = db.execute("PRAGMA page_count").fetchone()[0] if capped else 2**31 - 2
    db.execute(f"PRAGMA max_page_count={limit}")


def write_until_refused(journal: RequestJournal, first_sequence: int) -> tuple[list[int], int]:
    """Sequences written to the file, and the provisional id of the first row kept in memory."""
    written = []
    for sequence in range(first_sequence, first_sequence + 1000):
        row = sent(journal, sequence)
        if row < 0:
            return written, row
        written.append(sequence)
    raise AssertionError("the capped file never filled up")


def test_a_capped_file_keeps_the_windows_rows_in_memory_until_it_may_grow(path) -> None:
    with RequestJournal(path, buffer_when_unwritable=True) as journal:
        cap_file_size(journal, True)
        written, first_kept = write_until_refused(journal, 0)
        second_kept = sent(journal, 9999)
        journal.record_result(second_kept, answer("rid-late"))
        assert (first_kept, second_kept) == (-1, -2)
        assert journal.write_problem() == (
            f"The disk is full: 2 log rows are kept in memory and will be written to {path} when space returns.")
        assert journal.flush_backlog() == []  # still no room
        cap_file_size(journal, False)
        flushed = journal.flush_backlog()
        assert [old for old, _ in flushed] == [-1, -2]
        assert [e.sequence for _, e in flushed] == [len(written), 9999]
        assert flushed[1][1].request_id == "rid-late" and flushed[1][1].status is JournalStatus.ANSWERED
        assert journal.write_problem() is None
    assert [r[1] for r in rows_in_file(path)] == [*written, len(written), 9999]


def test_a_capped_file_refuses_the_command_lines_row_and_records_nothing(path) -> None:
    with RequestJournal(path) as journal:
        cap_file_size(journal, True)
        with pytest.raises(JournalUnwritable) as refused:
            for sequence in range(1000):
                sent(journal, sequence)
        count = journal.count()
    assert str(refused.value) == f"cannot write the request log {path}: the disk is full; free some space; nothing was sent"
    assert refused.value.problem is WriteProblem.DISK_FULL and refused.value.path == path
    assert len(rows_in_file(path)) == count


# --- a real full disk: a 256 KiB tmpfs -------------------------------------------------------------------


@pytest.fixture
def tiny_disk(tmp_path: Path) -> Iterator[Path]:
    """A real 256 KiB filesystem to fill up; skipped where this machine cannot mount one."""
    folder = tmp_path / "tiny"
    folder.mkdir()
    if sys.platform != "linux" or shutil.which("mount") is None:
        pytest.skip("a tmpfs needs Linux and mount(8); SQLITE_FULL is still covered by the capped-file tests")
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=256k,mode=0700", "tmpfs", str(folder)],
                             capture_output=True, text=True)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here ({mounted.stderr.strip()}); SQLITE_FULL is still covered by the "
                    "capped-file tests")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


def fill_up(folder: Path) -> Path:
    """Take every free byte of the filesystem that holds folder; delete the returned file to free them."""
    filler = folder / "filler"
    with open(filler, "wb", buffering=0) as stream:
        for size in (65536, 4096, 1):
            try:
                while True:
                    stream.write(b"\0" * size)
            except OSError as error:
                if error.errno != errno.ENOSPC:
                    raise
    assert shutil.disk_usage(folder).free == 0
    return filler


def test_on_a_full_disk_the_window_loses_no_row_and_writes_all_when_space_returns(tiny_disk) -> None:
    path = tiny_disk / "journal.sqlite3"
    with RequestJournal(path, buffer_when_unwritable=True) as journal:
        in_the_air = sent(journal, 1)
        filler = fill_up(tiny_disk)
        kept = sent(journal, 2, "StopListening")
        answered = journal.record_result(in_the_air, answer("rid-1"))
        assert kept < 0 and answered.row_id == in_the_air and answered.request_id == "rid-1"
        assert journal.write_problem() == (
            f"The disk is full: 2 log rows are kept in memory and will be written to {path} when space returns.")
        assert [e.row_id for e in journal.recent(10)] == [kept, in_the_air]
        assert journal.get(in_the_air).status is JournalStatus.ANSWERED
        assert journal.count() == 2 and journal.max_sequence(7, "inst", "u") == 2
        assert journal.flush_backlog() == []
        filler.unlink()
        flushed = journal.flush_backlog()
        # In the order they came: the new row, then the answer to the row already in the file.
        assert [(old, e.sequence) for old, e in flushed] == [(kept, 2), (in_the_air, 1)]
        assert journal.write_problem() is None
        assert journal.get(kept) == flushed[0][1]  # the provisional id still finds the row
    assert rows_in_file(path) == [(in_the_air, 1, "answered", "rid-1"), (flushed[0][1].row_id, 2, "pending", None)]


def test_on_a_full_disk_the_command_line_is_refused_and_nothing_is_recorded(tiny_disk) -> None:
    path = tiny_disk / "journal.sqlite3"
    with RequestJournal(path) as journal:
        sent(journal, 1)
        filler = fill_up(tiny_disk)
        with pytest.raises(JournalUnwritable, match="the disk is full; free some space; nothing was sent"):
            sent(journal, 2)
    filler.unlink()
    assert [r[1] for r in rows_in_file(path)] == [1]


def test_opening_on_a_full_disk_refuses_the_command_line(tiny_disk) -> None:
    path = tiny_disk / "data" / "journal.sqlite3"
    fill_up(tiny_disk)
    with pytest.raises(JournalUnwritable) as refused:
        RequestJournal(path)
    assert str(refused.value).startswith(f"cannot open the request log {path}: the disk is full; free some space")


def test_opening_on_a_full_disk_the_window_keeps_rows_until_the_file_can_be_made(tiny_disk) -> None:
    path = tiny_disk / "data" / "journal.sqlite3"
    filler = fill_up(tiny_disk)
    with RequestJournal(path, buffer_when_unwritable=True) as journal:
        assert "new log rows are kept in memory until space returns" in journal.write_problem()
        row = sent(journal, 5)
        assert row == -1 and journal.recent(5)[0].sequence == 5
        filler.unlink()
        [(old_id, entry)] = journal.flush_backlog()
        assert old_id == -1 and entry.row_id > 0
    assert [r[1] for r in rows_in_file(path)] == [5]


def test_the_gui_reader_still_shows_the_history_of_a_journal_on_a_full_disk(tiny_disk) -> None:
    path = tiny_disk / "journal.sqlite3"
    with RequestJournal(path) as journal:
        rows = [sent(journal, n) for n in range(3)]
    fill_up(tiny_disk)
    with JournalReader(path) as reader:
        assert [e.row_id for e in reader.recent(10)] == rows[::-1]
        assert reader.problem is None


# --- through the real command ----------------------------------------------------------------------------


def run_demo_talk(data_dir: Path, config_dir: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PTT_APP_DATA_DIR": str(data_dir), "PTT_APP_CONFIG_DIR": str(config_dir)}
    return subprocess.run([sys.executable, "-m", "ptt_app", "--demo", "talk", "--hold", "0"],
                          capture_output=True, text=True, timeout=120, env=env)


def test_demo_talk_on_a_corrupted_journal_sets_it_aside_and_talks(tmp_path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "journal.sqlite3").write_bytes(os.urandom(8192))
    done = run_demo_talk(data, tmp_path / "config")
    assert "Traceback" not in done.stderr
    assert done.returncode == 0, done.stderr
    assert len(kept_files(data)) == 1
    actions = [row.action for row in JournalReader(data / "journal.sqlite3").recent(10)]
    assert actions[:2] == ["StopListening", "StartListening"]


def test_demo_talk_on_a_corrupted_journal_names_the_kept_file(tmp_path) -> None:
    """Waits for the lead's change: the CLI prints RequestJournal.warnings as `ptt-app: <warning>`."""
    data = tmp_path / "data"
    data.mkdir()
    (data / "journal.sqlite3").write_bytes(os.urandom(8192))
    done = run_demo_talk(data, tmp_path / "config")
    [kept] = kept_files(data)
    assert f"it is kept as {kept}" in done.stderr


def test_demo_talk_on_a_full_disk_refuses_the_start_with_the_reason(tiny_disk, tmp_path) -> None:
    """Waits for the lead's change: the CLI prints JournalUnwritable as `ptt-app: <message>` and exits 1."""
    data = tiny_disk / "data"
    done = run_demo_talk(data, tmp_path / "config")  # a first run makes the journal
    assert done.returncode == 0, done.stderr
    fill_up(tiny_disk)
    done = run_demo_talk(data, tmp_path / "config")
    assert "Traceback" not in done.stderr
    assert done.returncode == 1
    assert (f"ptt-app: cannot open the request log {data / 'journal.sqlite3'}: the disk is full; free some space; "
            "nothing was sent") in done.stderr or (
        f"ptt-app: cannot write the request log {data / 'journal.sqlite3'}: the disk is full; free some space; "
        "nothing was sent") in done.stderr


def test_demo_talk_where_the_journal_cannot_even_be_created_refuses_with_the_reason(tiny_disk, tmp_path) -> None:
    """Waits for the lead's change: the CLI prints JournalUnwritable as `ptt-app: <message>` and exits 1."""
    fill_up(tiny_disk)
    data = tiny_disk / "data"
    done = run_demo_talk(data, tmp_path / "config")
    assert "Traceback" not in done.stderr
    assert done.returncode == 1
    assert (f"ptt-app: cannot open the request log {data / 'journal.sqlite3'}: the disk is full; free some space; "
            "nothing was sent") in done.stderr
