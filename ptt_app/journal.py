"""The request journal: every call is written before it is sent and updated when it ends (SQLite, WAL)."""

from __future__ import annotations

import csv
import json
import os
import sqlite3
import sys
import tempfile
import uuid
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from enum import Enum
from pathlib import Path
from typing import IO, Iterator

from ptt_app.client import ApiResult, Outcome
from ptt_app.paths import ensure_private_dir

SCHEMA_VERSION = 1
# One id for every journal opened by this process: rows it left pending are its own, not orphans.
PROCESS_SESSION = uuid.uuid4().hex

_SCHEMA = """
CREATE TABLE IF NOT EXISTS requests (
    row_id            INTEGER PRIMARY KEY AUTOINCREMENT,
    profile           TEXT    NOT NULL,
    app_id            INTEGER,
    agent_instance_id TEXT    NOT NULL,
    user_id           TEXT    NOT NULL,
    action            TEXT    NOT NULL,
    sequence          INTEGER,
    status            TEXT    NOT NULL,
    sent_at           REAL,
    finished_at       REAL,
    latency_ms        REAL,
    outcome           TEXT,
    http_status       INTEGER,
    code              INTEGER,
    message           TEXT    NOT NULL DEFAULT '',
    request_id        TEXT,
    writer_pid        INTEGER NOT NULL,
    writer_session    TEXT    NOT NULL
);
CREATE INDEX IF NOT EXISTS requests_by_key ON requests (app_id, agent_instance_id, user_id, sequence);
CREATE INDEX IF NOT EXISTS requests_pending ON requests (status) WHERE status = 'pending';
"""

EXPORT_COLUMNS = (
    "row_id", "sent_at", "finished_at", "profile", "app_id", "agent_instance_id", "user_id", "action",
    "sequence", "status", "outcome", "http_status", "code", "message", "request_id", "latency_ms",
)
_SELECT = "SELECT " + ", ".join(EXPORT_COLUMNS) + " FROM requests"


class JournalStatus(str, Enum):
    """Where a journaled request stands."""

    PENDING = "pending"
    ANSWERED = "answered"
    FAILED = "failed"
    SUPERSEDED = "superseded"
    NO_ANSWER = "no_answer"


@dataclass(frozen=True)
class JournalEntry:
    """One row of the journal: a request and, once known, its outcome."""

    row_id: int
    sent_at: float | None
    finished_at: float | None
    profile: str
    app_id: int | None
    agent_instance_id: str
    user_id: str
    action: str
    sequence: int | None
    status: JournalStatus
    outcome: str | None
    http_status: int | None
    code: int | None
    message: str
    request_id: str | None
    latency_ms: float | None

    def as_dict(self) -> dict:
        """Plain values for JSON: the status as its text."""
        values = asdict(self)
        values["status"] = self.status.value
        return values


def _entry(row: tuple) -> JournalEntry:
    values = dict(zip(EXPORT_COLUMNS, row))
    values["status"] = JournalStatus(values["status"])
    return JournalEntry(**values)


class RequestJournal:
    """The durable log of requests. One instance serves one thread (sqlite3's rule); open another
    instance for another thread or process: WAL lets readers and writers work side by side."""

    def __init__(self, path: Path) -> None:
        ensure_private_dir(path.parent)
        self.path = path
        self._db = sqlite3.connect(path, isolation_level=None, timeout=10.0)
        self._db.execute("PRAGMA journal_mode=WAL")
        # NORMAL in WAL mode keeps every commit across an application crash or SIGKILL (the data is in
        # the WAL file); only a power cut can lose the newest rows. FULL would fsync on every press,
        # on the operator's latency path.
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.execute("PRAGMA busy_timeout=10000")
        self._create_schema()
        self.recovered_count = self._recover_orphans()

    def _create_schema(self) -> None:
        with self._transaction():
            version = self._db.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA_VERSION:
                raise RuntimeError(f"{self.path} was written by a newer ptt-app (schema {version})")
            if version == 0:
                # executescript would commit mid-transaction, so statement by statement.
                for statement in filter(str.strip, _SCHEMA.split(";")):
                    self._db.execute(statement)
                self._db.execute(f"PRAGMA user_version={SCHEMA_VERSION}")

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    def _recover_orphans(self) -> int:
        pending = self._db.execute(
            "SELECT row_id, writer_pid FROM requests WHERE status = 'pending' AND writer_session != ?",
            (PROCESS_SESSION,),
        ).fetchall()
        orphans = [row_id for row_id, pid in pending if not _process_alive(pid)]
        if orphans:
            self._db.executemany(
                "UPDATE requests SET status = 'no_answer', message = 'no answer: the app stopped before the answer came' "
                "WHERE row_id = ? AND status = 'pending'",
                [(row_id,) for row_id in orphans],
            )
        return len(orphans)

    # --- writing -----------------------------------------------------------------------------------

    def record_sent(
        self, *, profile: str, app_id: int | None, agent_instance_id: str, user_id: str, action: str,
        sequence: int | None, sent_at: float,
    ) -> int:
        """A request about to leave, committed before this returns; the row id to finish it with."""
        cursor = self._db.execute(
            "INSERT INTO requests (profile, app_id, agent_instance_id, user_id, action, sequence, status, sent_at, "
            "message, writer_pid, writer_session) VALUES (?, ?, ?, ?, ?, ?, 'pending', ?, '', ?, ?)",
            (profile, app_id, agent_instance_id, user_id, action, sequence, sent_at, os.getpid(), PROCESS_SESSION),
        )
        return int(cursor.lastrowid)

    def record_result(self, row_id: int, result: ApiResult) -> JournalEntry:
        """The outcome of a request recorded with record_sent."""
        answered = result.code is not None and result.outcome in (Outcome.OK, Outcome.API_ERROR)
        status = JournalStatus.ANSWERED if answered else JournalStatus.FAILED
        self._db.execute(
            "UPDATE requests SET status = ?, finished_at = ?, latency_ms = ?, outcome = ?, http_status = ?, code = ?, "
            "message = ?, request_id = ? WHERE row_id = ?",
            (status.value, result.sent_at + result.latency_ms / 1000.0, result.latency_ms, result.outcome.value,
             result.http_status, result.code, result.message, result.request_id, row_id),
        )
        entry = self.get(row_id)
        assert entry is not None, f"journal row {row_id} vanished"
        return entry

    def record_superseded(
        self, *, profile: str, app_id: int | None, agent_instance_id: str, user_id: str, action: str,
        sequence: int | None, reason: str,
    ) -> JournalEntry:
        """An operator intent that was replaced by a newer one before it could be sent."""
        cursor = self._db.execute(
            "INSERT INTO requests (profile, app_id, agent_instance_id, user_id, action, sequence, status, message, "
            "writer_pid, writer_session) VALUES (?, ?, ?, ?, ?, ?, 'superseded', ?, ?, ?)",
            (profile, app_id, agent_instance_id, user_id, action, sequence, reason, os.getpid(), PROCESS_SESSION),
        )
        entry = self.get(int(cursor.lastrowid))
        assert entry is not None
        return entry

    # --- reading -------------------------------------------------------------------------------------

    def get(self, row_id: int) -> JournalEntry | None:
        """One row by id."""
        row = self._db.execute(_SELECT + " WHERE row_id = ?", (row_id,)).fetchone()
        return _entry(row) if row else None

    def recent(self, n: int) -> list[JournalEntry]:
        """The newest n rows, newest first."""
        return self.older_than(None, n)

    def older_than(self, row_id: int | None, limit: int) -> list[JournalEntry]:
        """Up to limit rows older than row_id (None: from the newest), newest first."""
        if row_id is None:
            rows = self._db.execute(_SELECT + " ORDER BY row_id DESC LIMIT ?", (limit,))
        else:
            rows = self._db.execute(_SELECT + " WHERE row_id < ? ORDER BY row_id DESC LIMIT ?", (row_id, limit))
        return [_entry(row) for row in rows]

    def newer_than(self, row_id: int, limit: int) -> list[JournalEntry]:
        """Up to limit rows newer than row_id, oldest first."""
        rows = self._db.execute(_SELECT + " WHERE row_id > ? ORDER BY row_id ASC LIMIT ?", (row_id, limit))
        return [_entry(row) for row in rows]

    def count(self) -> int:
        """How many rows the journal holds."""
        return int(self._db.execute("SELECT COUNT(*) FROM requests").fetchone()[0])

    def latest_row_id(self) -> int | None:
        """The newest row's id, or None when empty."""
        return self._db.execute("SELECT MAX(row_id) FROM requests").fetchone()[0]

    def max_sequence(self, app_id: int, agent_instance_id: str, user_id: str) -> int | None:
        """The highest Sequence ever journaled for this key, sent or superseded."""
        return self._db.execute(
            "SELECT MAX(sequence) FROM requests WHERE app_id = ? AND agent_instance_id = ? AND user_id = ?",
            (app_id, agent_instance_id, user_id),
        ).fetchone()[0]

    def _rows_oldest_first(self) -> Iterator[tuple]:
        yield from self._db.execute(_SELECT + " ORDER BY row_id ASC")

    # --- export ---------------------------------------------------------------------------------------

    def export_csv(self, destination: Path | IO[str]) -> None:
        """Every row, oldest first, as CSV with a header of EXPORT_COLUMNS."""
        def write(stream: IO[str]) -> None:
            writer = csv.writer(stream)
            writer.writerow(EXPORT_COLUMNS)
            writer.writerows(self._rows_oldest_first())

        _write_via_temp(destination, write)

    def export_json(self, destination: Path | IO[str]) -> None:
        """Every row, oldest first, as a JSON array of objects, streamed row by row."""
        def write(stream: IO[str]) -> None:
            stream.write("[")
            for index, row in enumerate(self._rows_oldest_first()):
                stream.write(",\n" if index else "\n")
                stream.write(json.dumps(_entry(row).as_dict()))
            stream.write("\n]\n")

        _write_via_temp(destination, write)

    def close(self) -> None:
        """Close the connection."""
        self._db.close()

    def __enter__(self) -> "RequestJournal":
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def _write_via_temp(destination: Path | IO[str], write) -> None:
    if not isinstance(destination, (str, Path)):
        write(destination)
        return
    target = Path(destination)
    handle, temp_name = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
            write(stream)
        os.replace(temp_name, target)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise


def _process_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    if sys.platform == "win32":
        return _windows_process_alive(pid)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _windows_process_alive(pid: int) -> bool:
    # os.kill on Windows would terminate the process, so ask the kernel instead.
    import ctypes

    synchronize, wait_timeout = 0x00100000, 0x00000102
    kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]
    handle = kernel32.OpenProcess(synchronize, False, pid)
    if not handle:
        return False
    try:
        return kernel32.WaitForSingleObject(handle, 0) == wait_timeout
    finally:
        kernel32.CloseHandle(handle)
