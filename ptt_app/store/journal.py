"""The request journal: every call is written before it is sent and updated when it ends (SQLite, WAL).

A crash mid-request leaves a "sent, no answer" row, never a lost one: the next process to open the
journal turns the dead writer's PENDING rows into NO_ANSWER.

Which writer is alive is answered by a lock file per writer session (``<journal>.writers/<session>.lock``),
held by the kernel for as long as the writer has a journal open. A pid alone cannot answer it: pids are
reused (and after a container restart, reused at once), so a live pid may be a different program.
Rows of a session with no lock file (locks unsupported on that filesystem) fall back to the pid check.
"""

from __future__ import annotations

import csv
import json
import os
import sqlite3
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from enum import Enum
from pathlib import Path
from typing import IO

from ptt_app.api.types import ApiResult, Outcome
from ptt_app.store.atomic_file import write_atomically
from ptt_app.store.paths import ensure_private_dir

SCHEMA_VERSION = 1
BUSY_TIMEOUT_S = 10.0
NO_ANSWER_MESSAGE = "no answer: the app stopped before the answer came"

# The order of JournalEntry's fields, of the CSV header and of the keys of each exported JSON object.
EXPORT_COLUMNS = (
    "row_id", "profile", "app_id", "agent_instance_id", "user_id", "action", "sequence", "status",
    "sent_at", "finished_at", "latency_ms", "outcome", "http_status", "code", "message", "request_id",
)
_SELECT = "SELECT " + ", ".join(EXPORT_COLUMNS) + " FROM requests"

# SQLite INTEGER is a signed 64-bit value, so sequence holds any int64 Sequence.
_TABLE = """
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
)
"""
# Paging and export use the row_id primary key; these serve max_sequence and the recovery on open.
_INDEXES = (
    "CREATE INDEX IF NOT EXISTS requests_by_key ON requests (app_id, agent_instance_id, user_id, sequence)",
    "CREATE INDEX IF NOT EXISTS requests_pending_by_writer ON requests (writer_session) WHERE status = 'pending'",
    "DROP INDEX IF EXISTS requests_pending",  # the first release's pending index, replaced by the one above
)


class JournalStatus(str, Enum):
    """Where a journaled request stands."""

    PENDING = "pending"        # sent, awaiting the answer
    ANSWERED = "answered"      # HTTP 200 with a Code, 0 or not
    FAILED = "failed"          # transport error, timeout, HTTP error, bad body
    SUPERSEDED = "superseded"  # never sent: a newer intent replaced it while the server was busy
    NO_ANSWER = "no_answer"    # was pending when its process died


@dataclass(frozen=True)
class JournalEntry:
    """One row of the journal: a request and, once known, its outcome."""

    row_id: int
    profile: str
    app_id: int | None
    agent_instance_id: str
    user_id: str
    action: str
    sequence: int | None
    status: JournalStatus
    sent_at: float | None
    finished_at: float | None
    latency_ms: float | None
    outcome: str | None
    http_status: int | None
    code: int | None
    message: str
    request_id: str | None

    def as_dict(self) -> dict:
        """Plain JSON values in EXPORT_COLUMNS order; the status as its text."""
        values = asdict(self)
        values["status"] = self.status.value
        return values


def _entry(row: tuple) -> JournalEntry:
    values = dict(zip(EXPORT_COLUMNS, row, strict=True))
    values["status"] = JournalStatus(values["status"])
    return JournalEntry(**values)


class RequestJournal:
    """The durable log of requests, safe to share between processes (the CLI and the GUI at once).

    One instance serves one thread (sqlite3's rule): the GUI's worker thread writes through one
    instance and the GUI thread reads through a second; WAL lets them, and other processes, work
    side by side."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.recovered_count = 0
        self._db: sqlite3.Connection | None = None
        self._closed = False
        ensure_private_dir(self.path.parent)
        self._writers_dir = ensure_private_dir(self.path.with_name(self.path.name + ".writers"))
        # Held before the first row is written, so no row of ours ever looks orphaned to another process.
        _OWN_SESSION_LOCKS.enter(self._writers_dir)
        try:
            self._db = _connect(self.path)
            self._create_schema()
            self.recovered_count = self._recover_orphans()
        except BaseException:
            self.close()
            raise

    # --- opening ------------------------------------------------------------------------------------

    def _create_schema(self) -> None:
        with self._transaction():
            version = self._conn.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA_VERSION:
                raise RuntimeError(f"{self.path} was written by a newer ptt-app (schema {version})")
            # executescript would commit mid-transaction, so statement by statement. The indexes are
            # (re)checked on every open so that a file from an earlier release gets new ones.
            self._conn.execute(_TABLE)
            for statement in _INDEXES:
                self._conn.execute(statement)
            if version < SCHEMA_VERSION:
                self._conn.execute(f"PRAGMA user_version={SCHEMA_VERSION}")

    def _recover_orphans(self) -> int:
        """Mark NO_ANSWER the pending rows of every writer session that is gone; how many were marked."""
        own = _session_id()
        pending = dict(self._conn.execute(
            "SELECT DISTINCT writer_session, writer_pid FROM requests WHERE status = 'pending' AND writer_session != ?",
            (own,),
        ).fetchall())
        sessions = set(pending) | {s for s in _sessions_with_lock_files(self._writers_dir) if s != own}
        recovered = 0
        for session in sorted(sessions):
            with _probe_session(self._writers_dir, session) as state:
                gone = state is _WriterState.GONE or (
                    state is _WriterState.UNKNOWN and session in pending and not _process_alive(pending[session])
                )
                if gone:
                    recovered += self._mark_no_answer(session)
        return recovered

    def _mark_no_answer(self, session: str) -> int:
        with self._transaction():
            cursor = self._conn.execute(
                "UPDATE requests SET status = 'no_answer', message = ? WHERE status = 'pending' AND writer_session = ?",
                (NO_ANSWER_MESSAGE, session),
            )
        return max(cursor.rowcount, 0)

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        self._conn.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self._conn.execute("ROLLBACK")
            raise
        self._conn.execute("COMMIT")

    @property
    def _conn(self) -> sqlite3.Connection:
        if self._db is None:
            raise sqlite3.ProgrammingError(f"the journal {self.path} is closed")
        return self._db

    # --- writing (each call is its own committed transaction) ----------------------------------------

    def record_sent(
        self, *, profile: str, app_id: int | None, agent_instance_id: str, user_id: str, action: str,
        sequence: int | None, sent_at: float,
    ) -> int:
        """A request about to leave, committed before this returns; the row id to finish it with."""
        cursor = self._conn.execute(
            "INSERT INTO requests (profile, app_id, agent_instance_id, user_id, action, sequence, status, sent_at, "
            "message, writer_pid, writer_session) VALUES (?, ?, ?, ?, ?, ?, 'pending', ?, '', ?, ?)",
            (profile, app_id, agent_instance_id, user_id, action, sequence, sent_at, os.getpid(), _session_id()),
        )
        return int(cursor.lastrowid)

    def record_result(self, row_id: int, result: ApiResult) -> JournalEntry:
        """The outcome of a request recorded with record_sent; KeyError if there is no such row."""
        outcome = Outcome(result.outcome)
        answered = result.code is not None and outcome in (Outcome.OK, Outcome.API_ERROR)
        status = JournalStatus.ANSWERED if answered else JournalStatus.FAILED
        cursor = self._conn.execute(
            "UPDATE requests SET status = ?, finished_at = ?, latency_ms = ?, outcome = ?, http_status = ?, code = ?, "
            "message = ?, request_id = ? WHERE row_id = ?",
            (status.value, result.sent_at + result.latency_ms / 1000.0, result.latency_ms, outcome.value,
             result.http_status, result.code, result.message or "", result.request_id, row_id),
        )
        if cursor.rowcount != 1:
            raise KeyError(f"journal row {row_id} does not exist")
        return self._must_get(row_id)

    def record_superseded(
        self, *, profile: str, app_id: int | None, agent_instance_id: str, user_id: str, action: str,
        sequence: int | None, reason: str,
    ) -> JournalEntry:
        """An operator intent that a newer one replaced before it could be sent; kept for its Sequence."""
        cursor = self._conn.execute(
            "INSERT INTO requests (profile, app_id, agent_instance_id, user_id, action, sequence, status, message, "
            "writer_pid, writer_session) VALUES (?, ?, ?, ?, ?, ?, 'superseded', ?, ?, ?)",
            (profile, app_id, agent_instance_id, user_id, action, sequence, reason, os.getpid(), _session_id()),
        )
        return self._must_get(int(cursor.lastrowid))

    # --- reading -------------------------------------------------------------------------------------

    def get(self, row_id: int) -> JournalEntry | None:
        """One row by id."""
        row = self._conn.execute(_SELECT + " WHERE row_id = ?", (row_id,)).fetchone()
        return _entry(row) if row else None

    def _must_get(self, row_id: int) -> JournalEntry:
        entry = self.get(row_id)
        if entry is None:
            raise KeyError(f"journal row {row_id} does not exist")
        return entry

    def recent(self, n: int) -> list[JournalEntry]:
        """The newest n rows, newest first."""
        return self.older_than(None, n)

    def older_than(self, row_id: int | None, limit: int) -> list[JournalEntry]:
        """Up to limit rows with a row id below row_id (None: from the newest), newest first."""
        _check_limit(limit)
        if row_id is None:
            rows = self._conn.execute(_SELECT + " ORDER BY row_id DESC LIMIT ?", (limit,))
        else:
            rows = self._conn.execute(_SELECT + " WHERE row_id < ? ORDER BY row_id DESC LIMIT ?", (row_id, limit))
        return [_entry(row) for row in rows]

    def newer_than(self, row_id: int | None, limit: int) -> list[JournalEntry]:
        """Up to limit rows with a row id above row_id (None: from the oldest), oldest first."""
        _check_limit(limit)
        rows = self._conn.execute(_SELECT + " WHERE row_id > ? ORDER BY row_id ASC LIMIT ?", (row_id or 0, limit))
        return [_entry(row) for row in rows]

    def count(self) -> int:
        """How many rows the journal holds."""
        return int(self._conn.execute("SELECT COUNT(*) FROM requests").fetchone()[0])

    def latest_row_id(self) -> int | None:
        """The newest row's id, or None when empty."""
        return self._conn.execute("SELECT MAX(row_id) FROM requests").fetchone()[0]

    def max_sequence(self, app_id: int | None, agent_instance_id: str, user_id: str) -> int | None:
        """The highest Sequence ever journaled for this key, whatever the row's status; None if none."""
        return self._conn.execute(
            "SELECT MAX(sequence) FROM requests WHERE app_id IS ? AND agent_instance_id = ? AND user_id = ?",
            (app_id, agent_instance_id, user_id),
        ).fetchone()[0]

    @contextmanager
    def _rows_oldest_first(self) -> Iterator[Iterator[tuple]]:
        # One statement, so the export is one consistent snapshot; closed even if writing fails, so
        # an abandoned read does not hold back the WAL checkpoint.
        cursor = self._conn.execute(_SELECT + " ORDER BY row_id ASC")
        try:
            yield cursor
        finally:
            cursor.close()

    # --- export (streamed from the cursor: 100k rows never sit in memory at once) ----------------------

    def export_csv(self, destination: Path | IO[str]) -> None:
        """Every row, oldest first, as CSV: a header of EXPORT_COLUMNS, then one line per row (None is empty)."""
        def write(stream: IO[str]) -> None:
            writer = csv.writer(stream)
            writer.writerow(EXPORT_COLUMNS)
            with self._rows_oldest_first() as rows:
                writer.writerows(rows)

        _write_export(destination, write)

    def export_json(self, destination: Path | IO[str]) -> None:
        """Every row, oldest first, as a JSON array of objects with the keys of EXPORT_COLUMNS."""
        def write(stream: IO[str]) -> None:
            stream.write("[")
            with self._rows_oldest_first() as rows:
                for index, row in enumerate(rows):
                    stream.write(",\n" if index else "\n")
                    stream.write(json.dumps(_entry(row).as_dict()))
            stream.write("\n]\n")

        _write_export(destination, write)

    # --- lifetime ----------------------------------------------------------------------------------------

    def close(self) -> None:
        """Close the connection; safe to call twice."""
        if self._closed:
            return
        self._closed = True
        if self._db is not None:
            self._db.close()
        _OWN_SESSION_LOCKS.leave(self._writers_dir)

    def __enter__(self) -> RequestJournal:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def _connect(path: Path) -> sqlite3.Connection:
    if not path.exists():
        # SQLite gives the -wal and -shm files the database's mode, so one private file keeps all three private.
        os.close(os.open(path, os.O_RDWR | os.O_CREAT, 0o600))
    db = sqlite3.connect(path, isolation_level=None, timeout=BUSY_TIMEOUT_S)
    db.execute("PRAGMA journal_mode=WAL")
    # NORMAL in WAL mode keeps every commit across an application crash or SIGKILL (the commit is in
    # the WAL file, which the OS holds); only a power cut can lose the newest rows. FULL would add an
    # fsync to every press and release, on the operator's latency path.
    db.execute("PRAGMA synchronous=NORMAL")
    # The CLI and the GUI may write at the same moment: wait for the other's short transaction.
    db.execute(f"PRAGMA busy_timeout={int(BUSY_TIMEOUT_S * 1000)}")
    return db


def _check_limit(limit: int) -> None:
    # SQLite reads a negative LIMIT as "no limit", which would load a 100k-row journal at once.
    if limit < 0:
        raise ValueError(f"limit must be 0 or more, got {limit}")


def _write_export(destination: Path | IO[str], write: Callable[[IO[str]], None]) -> None:
    """Write to an open stream as is; to a path through a temporary file renamed into place when complete."""
    if not isinstance(destination, (str, os.PathLike)):
        write(destination)
        return
    write_atomically(Path(destination), write, suffix=".partial")


# --- writer sessions -------------------------------------------------------------------------------------

# Chosen at import, so every thread of the process shares it; a forked child gets its own (below).
_session = uuid.uuid4().hex


def _session_id() -> str:
    """This process's writer session id, stored on every row it writes."""
    return _session


class _WriterState(Enum):
    ALIVE = "alive"      # its lock file is locked
    GONE = "gone"        # its lock file exists and nobody holds it
    UNKNOWN = "unknown"  # no lock file to ask


class _OwnSessionLocks:
    """This process's lock file per journal folder, held while any journal there is open in the process."""

    def __init__(self) -> None:
        self._guard = threading.Lock()
        self._held: dict[str, tuple[int | None, int]] = {}

    def enter(self, writers_dir: Path) -> None:
        key = str(writers_dir.resolve())
        with self._guard:
            fd, users = self._held.get(key, (None, 0))
            if users == 0:
                fd = _hold_lock_file(writers_dir / f"{_session_id()}.lock")
            self._held[key] = (fd, users + 1)

    def leave(self, writers_dir: Path) -> None:
        key = str(writers_dir.resolve())
        with self._guard:
            fd, users = self._held.get(key, (None, 0))
            if users > 1:
                self._held[key] = (fd, users - 1)
                return
            self._held.pop(key, None)
            if fd is not None:
                _discard_lock_file(fd, writers_dir / f"{_session_id()}.lock")


_OWN_SESSION_LOCKS = _OwnSessionLocks()


def _become_a_new_writer() -> None:
    # A forked child is another writer: it needs its own session and its own lock files, and must not
    # inherit a guard some other thread of the parent held at the moment of the fork.
    global _session, _OWN_SESSION_LOCKS
    _session = uuid.uuid4().hex
    _OWN_SESSION_LOCKS = _OwnSessionLocks()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_become_a_new_writer)


def _hold_lock_file(path: Path) -> int | None:
    """Create and lock this session's file; None where the filesystem cannot lock (pid fallback then)."""
    for attempt in range(5):
        time.sleep(0.02 * attempt)
        try:
            fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        except OSError:
            return None
        try:
            # A prober may have taken the new file for a dead writer's and unlinked it: then try again.
            if _try_lock(fd) and _still_named(fd, path):
                return fd
        except OSError:
            os.close(fd)
            return None
        os.close(fd)
    return None


@contextmanager
def _probe_session(writers_dir: Path, session: str) -> Iterator[_WriterState]:
    """Whether a writer session is alive; while the body runs, a gone session's lock is held by us, so
    two processes opening at once do not both recover it. The lock file is removed afterwards."""
    path = writers_dir / f"{session}.lock"
    try:
        fd = os.open(path, os.O_RDWR)
    except OSError:
        yield _WriterState.UNKNOWN
        return
    try:
        locked = _try_lock(fd)
    except OSError:
        os.close(fd)
        yield _WriterState.UNKNOWN
        return
    if not locked:
        os.close(fd)
        yield _WriterState.ALIVE
        return
    try:
        yield _WriterState.GONE
    except BaseException:
        os.close(fd)  # keep the file: the next open tries the recovery again
        raise
    _discard_lock_file(fd, path)


def _sessions_with_lock_files(writers_dir: Path) -> list[str]:
    try:
        return [entry.stem for entry in writers_dir.iterdir() if entry.suffix == ".lock"]
    except OSError:
        return []


def _still_named(fd: int, path: Path) -> bool:
    if sys.platform == "win32":
        return True  # Windows cannot unlink a file another process holds open
    try:
        return os.path.samestat(os.fstat(fd), os.stat(path))
    except FileNotFoundError:
        return False


def _discard_lock_file(fd: int, path: Path) -> None:
    # POSIX: unlink while still locked, so nobody can lock the name in between. Windows: close first,
    # since an open file cannot be deleted there; a file another process has open stays for a later sweep.
    if sys.platform != "win32":
        path.unlink(missing_ok=True)
        os.close(fd)
        return
    os.close(fd)
    try:
        path.unlink(missing_ok=True)
    except PermissionError:
        pass


if sys.platform == "win32":
    import msvcrt

    def _try_lock(fd: int) -> bool:
        """Lock the file's first byte; False if another process holds it. The kernel frees it on exit."""
        os.lseek(fd, 0, os.SEEK_SET)
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
else:
    import errno
    import fcntl

    def _try_lock(fd: int) -> bool:
        """flock the file; False if another process holds it. The kernel frees it when the holder dies."""
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as error:
            if error.errno in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
                return False
            raise
        return True


def _process_alive(pid: int) -> bool:
    """The pid fallback, for sessions without a lock file."""
    if pid == os.getpid():
        return False  # a row of another session with our pid was written by an earlier process
    if sys.platform == "win32":
        return _windows_process_alive(pid)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # alive, owned by another user
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
