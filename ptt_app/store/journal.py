"""The request journal: every call is written before it is sent and updated when it ends (SQLite, WAL).

A crash mid-request leaves a "sent, no answer" row, never a lost one: the next process to open the
journal turns the dead writer's PENDING rows into NO_ANSWER.

Which writer is alive is answered by a lock file per writer session (``<journal>.writers/<session>.lock``),
held by the kernel for as long as the writer has a journal open. A pid alone cannot answer it: pids are
reused (and after a container restart, reused at once), so a live pid may be a different program.
Rows of a session with no lock file (locks unsupported on that filesystem) fall back to the pid check.

A file that is not a usable journal is set aside (``journal.sqlite3.broken-<time>``) and a new one
started. A write that fails because the disk is full or the file cannot be written either raises
JournalUnwritable (the command line: nothing is sent unlogged) or, for the window, keeps the row in
memory under a provisional negative id until flush_backlog() can write it.
"""

from __future__ import annotations

import csv
import dataclasses
import errno
import json
import logging
import os
import shutil
import sqlite3
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from dataclasses import asdict, dataclass
from enum import Enum
from pathlib import Path
from typing import IO, TypeVar

from ptt_app.api.types import ApiResult, Outcome
from ptt_app.store.atomic_file import fsync_folder, write_atomically
from ptt_app.store.file_lock import still_named, try_lock
from ptt_app.store.paths import ensure_private_dir
from ptt_app.translatable import QT_TR_NOOP

# 2: the turn number (Round) the server answered.
SCHEMA_VERSION = 2
BUSY_TIMEOUT_S = 10.0
# The GUI thread reads: it must never wait long for a writer.
READ_TIMEOUT_S = 1.0
NO_ANSWER_MESSAGE = "no answer: the app stopped before the answer came"

# The order of JournalEntry's fields, of the CSV header and of the keys of each exported JSON object.
EXPORT_COLUMNS = (
    "row_id", "profile", "app_id", "agent_instance_id", "user_id", "action", "sequence", "status",
    "sent_at", "finished_at", "latency_ms", "outcome", "http_status", "code", "message", "request_id", "round",
)
_WRITER_COLUMNS = ("writer_pid", "writer_session")
_SELECT = "SELECT " + ", ".join(EXPORT_COLUMNS) + " FROM requests"
_INSERTED_COLUMNS = EXPORT_COLUMNS[1:] + _WRITER_COLUMNS
_INSERT = (f"INSERT INTO requests ({', '.join(_INSERTED_COLUMNS)}) "
           f"VALUES ({', '.join('?' * len(_INSERTED_COLUMNS))})")
# What an answer (or its absence) fills in.
_RESULT_COLUMNS = ("status", "finished_at", "latency_ms", "outcome", "http_status", "code", "message", "request_id",
                   "round")
_UPDATE_RESULT = f"UPDATE requests SET {', '.join(c + ' = ?' for c in _RESULT_COLUMNS)} WHERE row_id = ?"

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
    round             INTEGER,
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

# Beside the writers' lock files, but without their .lock suffix, so no prober takes them for a session.
_SET_ASIDE_GUARD = "set-aside.guard"
_INTEGRITY_CHECK_FLAG = "check-integrity"
# Less free space than this when SQLite reports an I/O error or cannot open a file: the disk is full.
_NEARLY_FULL_BYTES = 1024 * 1024
_SQLITE_HEADER = b"SQLite format 3\x00"

_log = logging.getLogger(__name__)
_T = TypeVar("_T")


class JournalStatus(str, Enum):
    """Where a journaled request stands."""

    PENDING = "pending"        # sent, awaiting the answer
    ANSWERED = "answered"      # HTTP 200 with a Code, 0 or not
    FAILED = "failed"          # transport error, timeout, HTTP error, bad body
    SUPERSEDED = "superseded"  # never sent: a newer intent replaced it while the server was busy
    NO_ANSWER = "no_answer"    # was pending when its process died


# Slots: the window holds up to 5,000 rows, and a row without a __dict__ is a few hundred bytes smaller.
@dataclass(frozen=True, slots=True)
class JournalEntry:
    """One row of the journal: a request and, once known, its outcome. A negative row_id is provisional:
    the row is kept in memory until the disk can take it (RequestJournal.flush_backlog)."""

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
    round: int | None = None  # Data.Round of the answer (Start/Stop/Interrupt/TTS/LLM)

    @property
    def provisional(self) -> bool:
        """Kept in memory only, not yet written to the file."""
        return self.row_id < 0

    def as_dict(self) -> dict:
        """Plain JSON values in EXPORT_COLUMNS order; the status as its text."""
        values = asdict(self)
        values["status"] = self.status.value
        return values

    def as_row(self) -> tuple:
        """The values in EXPORT_COLUMNS order, the status as its text: a CSV line or a table row."""
        return tuple(self.status.value if name == "status" else getattr(self, name) for name in EXPORT_COLUMNS)


def chronological_key(row_id: int) -> tuple[int, int]:
    """Sorts row ids in the order the rows were made: file rows by id, then provisional rows
    (-1, -2, ...), which are newer than every row in the file."""
    return (0, row_id) if row_id >= 0 else (1, -row_id)




class WriteProblem(Enum):
    """Why the journal cannot be written just now: (what is wrong, what the operator can do)."""

    DISK_FULL = (QT_TR_NOOP("the disk is full"), QT_TR_NOOP("free some space"))
    READ_ONLY = (QT_TR_NOOP("the file or its folder cannot be written"),
                 QT_TR_NOOP("check that they exist and are writable"))
    IO_ERROR = (QT_TR_NOOP("the disk reported an input/output error"), QT_TR_NOOP("check the disk"))
    DAMAGED = (QT_TR_NOOP("the file is damaged"), QT_TR_NOOP("start ptt-app again to set it aside"))
    LOCKED = (QT_TR_NOOP("another program kept it locked"), QT_TR_NOOP("close other ptt-app windows and commands"))

    @property
    def reason(self) -> str:
        """What is wrong, as a clause: "the disk is full"."""
        return self.value[0]

    @property
    def remedy(self) -> str:
        """What the operator can do, as a clause: "free some space"."""
        return self.value[1]


class JournalError(Exception):
    """The request log cannot be used as asked; str() is one sentence for the operator."""


class JournalUnwritable(JournalError):
    """Nothing could be written (and nothing was recorded); `problem` says why."""

    def __init__(self, message: str, path: Path, problem: WriteProblem) -> None:
        super().__init__(message)
        self.path = path
        self.problem = problem


class JournalTooNew(JournalError, RuntimeError):
    """The file was written by a newer release; it is left as it is."""


class _BrokenJournal(Exception):
    """The file is not a usable journal (not a database, damaged, a schema that cannot be migrated)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class _CannotWrite(Exception):
    def __init__(self, problem: WriteProblem) -> None:
        super().__init__(problem.reason)
        self.problem = problem


# --- queries shared by the writer and the read-only reader -----------------------------------------------


# Texts that repeat from row to row: each row read from SQLite brings its own copy, so one shared copy each
# keeps the window's rows small (a RequestId or a time is unique and is left alone).
_SHARED_TEXTS = ("profile", "agent_instance_id", "user_id", "action", "outcome", "message")


def _entry(row: tuple) -> JournalEntry:
    values = dict(zip(EXPORT_COLUMNS, row, strict=True))
    values["status"] = JournalStatus(values["status"])
    for name in _SHARED_TEXTS:
        if isinstance(values[name], str):
            values[name] = sys.intern(values[name])
    return JournalEntry(**values)


def _select_one(db: sqlite3.Connection, row_id: int) -> JournalEntry | None:
    row = db.execute(_SELECT + " WHERE row_id = ?", (row_id,)).fetchone()
    return _entry(row) if row else None


def _select_older(db: sqlite3.Connection, row_id: int | None, limit: int) -> list[JournalEntry]:
    if row_id is None:
        rows = db.execute(_SELECT + " ORDER BY row_id DESC LIMIT ?", (limit,))
    else:
        rows = db.execute(_SELECT + " WHERE row_id < ? ORDER BY row_id DESC LIMIT ?", (row_id, limit))
    return [_entry(row) for row in rows]


def _select_newer(db: sqlite3.Connection, row_id: int | None, limit: int) -> list[JournalEntry]:
    rows = db.execute(_SELECT + " WHERE row_id > ? ORDER BY row_id ASC LIMIT ?", (row_id or 0, limit))
    return [_entry(row) for row in rows]


def _select_count(db: sqlite3.Connection) -> int:
    return int(db.execute("SELECT COUNT(*) FROM requests").fetchone()[0])


def _check_limit(limit: int) -> None:
    # SQLite reads a negative LIMIT as "no limit", which would load a 100k-row journal at once.
    if limit < 0:
        raise ValueError(f"limit must be 0 or more, got {limit}")


# --- the writer ------------------------------------------------------------------------------------------


class RequestJournal:
    """The durable log of requests, safe to share between processes (the CLI and the GUI at once).

    One instance serves one thread (sqlite3's rule). With buffer_when_unwritable (the window), a row
    the disk cannot take is kept in memory and written by flush_backlog(); without it (the command
    line), record_sent raises JournalUnwritable and nothing is recorded."""

    def __init__(self, path: Path, *, buffer_when_unwritable: bool = False) -> None:
        self.path = Path(path)
        self.recovered_count = 0
        #: Operator-facing sentences about this open (a broken file set aside); shown once.
        self.warnings: list[str] = []
        self._buffering = buffer_when_unwritable
        self._db: sqlite3.Connection | None = None
        self._closed = False
        self._writers_dir: Path | None = None
        # Rows the disk could not take, in the order they came: provisional (negative) ids are new
        # rows, positive ids are answers to rows already in the file.
        self._backlog: dict[int, JournalEntry] = {}
        self._flushed_ids: dict[int, int] = {}  # provisional id -> the id it was written under
        self._next_provisional_id = -1
        self._problem: WriteProblem | None = None
        self._fallback_reader: JournalReader | None = None
        try:
            self._open()
        except _CannotWrite as cannot:
            if not self._buffering:
                self.close()
                raise self._unwritable(QT_TR_NOOP("cannot open the request log"), cannot.problem,
                                       QT_TR_NOOP("nothing was sent")) from None
            self._problem = cannot.problem
        except BaseException:
            self.close()
            raise

    # --- opening ------------------------------------------------------------------------------------

    def _open(self) -> None:
        if self._writers_dir is None:
            self._writers_dir = self._join_writers()
        try:
            self._connect_and_recover()
        except _BrokenJournal as broken:
            self._set_aside_and_start_anew(broken)

    def _connect_and_recover(self) -> None:
        """Connect to a usable journal (self._db) and mark the rows of dead writers NO_ANSWER."""
        self._db = self._connect_checked()
        try:
            self.recovered_count += self._recover_orphans_checked()
        except BaseException:
            _close_quietly(self._db)
            self._db = None
            raise

    def _join_writers(self) -> Path:
        try:
            ensure_private_dir(self.path.parent)
            writers_dir = ensure_private_dir(self.path.with_name(self.path.name + ".writers"))
        except OSError as error:
            raise _CannotWrite(_os_problem(error)) from error
        # Held before the first row is written, so no row of ours ever looks orphaned to another process.
        _OWN_SESSION_LOCKS.enter(writers_dir)
        return writers_dir

    def _connect_beside_readers(self) -> sqlite3.Connection:
        """Connect and prepare the schema. A read-only reader that is reading the -wal a gone writer left
        (it does so without staying attached) makes SQLite refuse a writer for that moment
        (SQLITE_READONLY): try again briefly before calling the file unwritable."""
        deadline = time.monotonic() + READ_TIMEOUT_S
        while True:
            db = _connect(self.path)
            try:
                _prepare_schema(db, self.path)
                return db
            except sqlite3.OperationalError as error:
                _close_quietly(db)
                if _primary_code(error) != 8 or time.monotonic() > deadline or not os.access(self.path, os.W_OK):
                    raise
            except BaseException:
                _close_quietly(db)
                raise
            time.sleep(0.02)

    def _connect_checked(self) -> sqlite3.Connection:
        """A connection to a usable journal; _BrokenJournal if the file is not one, _CannotWrite if the
        disk refuses."""
        looks_wrong = _not_a_database(self.path)
        if looks_wrong:
            # Said before SQLite opens it: SQLite would delete the -wal beside a file it cannot read.
            raise _BrokenJournal(looks_wrong)
        db: sqlite3.Connection | None = None
        try:
            db = self._connect_beside_readers()
            self._check_integrity_if_flagged(db)
            return db
        except sqlite3.DatabaseError as error:
            _close_quietly(db)
            problem = _write_problem(error, self.path.parent)
            if problem is WriteProblem.DAMAGED:
                raise _BrokenJournal(str(error)) from error
            if problem is None:
                raise
            raise _CannotWrite(problem) from error
        except OSError as error:
            _close_quietly(db)
            raise _CannotWrite(_os_problem(error)) from error
        except BaseException:
            _close_quietly(db)
            raise

    def _check_integrity_if_flagged(self, db: sqlite3.Connection) -> None:
        # A full check reads the whole file, so it runs only after a write met damage the quick
        # checks on open cannot see (a bad page in the middle of the file).
        flag = self._writers_path(_INTEGRITY_CHECK_FLAG)
        if not flag.exists():
            return
        verdict = db.execute("PRAGMA quick_check(1)").fetchone()[0]
        if verdict != "ok":
            raise _BrokenJournal(f"integrity check: {verdict}")
        flag.unlink(missing_ok=True)

    def _set_aside_and_start_anew(self, broken: _BrokenJournal) -> None:
        what = QT_TR_NOOP("The request log {path} could not be read ({reason})").format(path=self.path,
                                                                                       reason=_brief(broken.reason))
        with _guard(self._writers_path(_SET_ASIDE_GUARD)):
            try:
                self._connect_and_recover()  # another process may have set it aside while we waited
                kept = None
            except _BrokenJournal:
                kept = self._move_aside(what)
            if kept is None:
                self.warnings.append(QT_TR_NOOP("{what}; another ptt-app process set it aside and started a new log.")
                                     .format(what=what))
            else:
                self.warnings.append(QT_TR_NOOP("{what}; it is kept as {kept} and a new, empty log was started.")
                                     .format(what=what, kept=kept))
            if self._db is not None:
                return
            try:
                self._connect_and_recover()
            except _BrokenJournal as still:
                raise _CannotWrite(WriteProblem.DAMAGED) from still

    def _move_aside(self, what: str) -> Path | None:
        """Rename the file (and its -wal and -shm) to a free .broken-<time>[-n] name; None if it is gone."""
        stamp = time.strftime("%Y%m%d-%H%M%S")
        for attempt in range(1000):
            kept = self.path.with_name(f"{self.path.name}.broken-{stamp}" + (f"-{attempt}" if attempt else ""))
            moves = [(self.path.with_name(self.path.name + s), kept.with_name(kept.name + s)) for s in ("-wal", "-shm")]
            if kept.exists() or any(target.exists() for _, target in moves):
                continue  # never overwrite an earlier broken file
            try:
                os.replace(self.path, kept)
                for source, target in moves:
                    if source.exists():
                        os.replace(source, target)
            except FileNotFoundError:
                return None
            except OSError as error:
                self.warnings.append(QT_TR_NOOP("{what}; it could not be moved aside ({reason}) and is left in place.")
                                     .format(what=what, reason=error.strerror or error))
                raise _CannotWrite(WriteProblem.DAMAGED) from error
            fsync_folder(self.path.parent)
            return kept
        raise _CannotWrite(WriteProblem.DAMAGED)

    def _recover_orphans_checked(self) -> int:
        try:
            return self._recover_orphans()
        except sqlite3.DatabaseError as error:
            problem = _write_problem(error, self.path.parent)
            if problem is WriteProblem.DAMAGED:
                raise _BrokenJournal(str(error)) from error
            if problem is None:
                raise
            return 0  # the disk refuses for now: the next open tries again

    def _recover_orphans(self) -> int:
        """Mark NO_ANSWER the pending rows of every writer session that is gone; how many were marked."""
        own = _session_id()
        pending = dict(self._conn.execute(
            "SELECT DISTINCT writer_session, writer_pid FROM requests WHERE status = 'pending' AND writer_session != ?",
            (own,),
        ).fetchall())
        sessions = set(pending) | {s for s in _sessions_with_lock_files(self._writers_path()) if s != own}
        recovered = 0
        for session in sorted(sessions):
            with _probe_session(self._writers_path(), session) as state:
                gone = state is _WriterState.GONE or (
                    state is _WriterState.UNKNOWN and session in pending and not _process_alive(pending[session])
                )
                if gone:
                    recovered += self._mark_no_answer(session)
        return recovered

    def _mark_no_answer(self, session: str) -> int:
        with _transaction(self._conn):
            cursor = self._conn.execute(
                "UPDATE requests SET status = 'no_answer', message = ? WHERE status = 'pending' AND writer_session = ?",
                (NO_ANSWER_MESSAGE, session),
            )
        return max(cursor.rowcount, 0)

    def _writers_path(self, name: str = "") -> Path:
        assert self._writers_dir is not None  # set before any connection is made
        return self._writers_dir / name if name else self._writers_dir

    @property
    def _conn(self) -> sqlite3.Connection:
        if self._db is None:
            raise sqlite3.ProgrammingError(f"the journal {self.path} is closed")
        return self._db

    def _check_open(self) -> None:
        if self._closed:
            raise sqlite3.ProgrammingError(f"the journal {self.path} is closed")

    # --- writing (each call is its own committed transaction, or a row kept in memory) ----------------

    def record_sent(
        self, *, profile: str, app_id: int | None, agent_instance_id: str, user_id: str, action: str,
        sequence: int | None, sent_at: float,
    ) -> int:
        """A request about to leave, committed before this returns; the row id to finish it with
        (negative while the row is kept in memory). JournalUnwritable if it cannot be kept."""
        entry = JournalEntry(0, profile, app_id, agent_instance_id, user_id, action, sequence, JournalStatus.PENDING,
                             sent_at, None, None, None, None, None, "", None)
        return self._add(entry, QT_TR_NOOP("nothing was sent")).row_id

    def record_result(self, row_id: int, result: ApiResult) -> JournalEntry:
        """The outcome of a request recorded with record_sent; KeyError if there is no such row."""
        row_id = self._flushed_ids.get(row_id, row_id)
        columns = _result_columns(result)
        if row_id in self._backlog:
            self._backlog[row_id] = dataclasses.replace(self._backlog[row_id], **columns)
            return self._backlog[row_id]
        if row_id < 0:
            raise KeyError(f"journal row {row_id} does not exist")
        try:
            changed = self._on_disk(lambda db: db.execute(_UPDATE_RESULT, (*columns.values(), row_id)).rowcount)
        except _CannotWrite as cannot:
            consequence = QT_TR_NOOP("the request was sent, and the log will show it with no answer")
            self._refuse_unless_buffering(QT_TR_NOOP("cannot write the answer to the request log"), cannot.problem,
                                          consequence)
            current = self.get(row_id)
            if current is None:
                raise KeyError(f"journal row {row_id} does not exist") from None
            return self._keep_in_memory(dataclasses.replace(current, **columns), cannot.problem)
        if changed != 1:
            raise KeyError(f"journal row {row_id} does not exist")
        return self._must_get(row_id)

    def record_superseded(
        self, *, profile: str, app_id: int | None, agent_instance_id: str, user_id: str, action: str,
        sequence: int | None, reason: str, acted_at: float | None = None,
    ) -> JournalEntry:
        """An operator intent that a newer one replaced before it could be sent; kept for its Sequence.
        The time the operator acted (acted_at) goes in sent_at, so the row sorts and shows by it."""
        entry = JournalEntry(0, profile, app_id, agent_instance_id, user_id, action, sequence,
                             JournalStatus.SUPERSEDED, acted_at, None, None, None, None, None, reason, None)
        return self._add(entry, QT_TR_NOOP("the replaced request is not logged"))

    def _add(self, entry: JournalEntry, consequence: str) -> JournalEntry:
        try:
            row_id = self._on_disk(lambda db: int(db.execute(_INSERT, _insert_values(entry)).lastrowid))
        except _CannotWrite as cannot:
            self._refuse_unless_buffering(QT_TR_NOOP("cannot write the request log"), cannot.problem, consequence)
            provisional = dataclasses.replace(entry, row_id=self._next_provisional_id)
            self._next_provisional_id -= 1
            return self._keep_in_memory(provisional, cannot.problem)
        return dataclasses.replace(entry, row_id=row_id)

    def _on_disk(self, write: Callable[[sqlite3.Connection], _T]) -> _T:
        """Run one write; _CannotWrite if the disk refuses it, or if earlier rows still wait in memory
        (they go first, so the file keeps the order things happened in)."""
        self._check_open()
        if self._db is None or self._backlog:
            raise _CannotWrite(self._problem or WriteProblem.IO_ERROR)
        try:
            return write(self._db)
        except sqlite3.DatabaseError as error:
            raise self._cannot_write(error) from error

    def _cannot_write(self, error: sqlite3.DatabaseError) -> _CannotWrite:
        problem = _write_problem(error, self.path.parent)
        if problem is None:
            raise error
        if problem is WriteProblem.DAMAGED:
            self._flag_for_integrity_check()
        return _CannotWrite(problem)

    def _flag_for_integrity_check(self) -> None:
        try:
            self._writers_path(_INTEGRITY_CHECK_FLAG).touch()
        except OSError:
            pass  # the damage shows again at the next write

    def _refuse_unless_buffering(self, doing: str, problem: WriteProblem, consequence: str) -> None:
        if not self._buffering:
            raise self._unwritable(doing, problem, consequence)

    def _unwritable(self, doing: str, problem: WriteProblem, consequence: str) -> JournalUnwritable:
        message = QT_TR_NOOP("{doing} {path}: {reason}; {remedy}; {consequence}").format(
            doing=doing, path=self.path, reason=problem.reason, remedy=problem.remedy, consequence=consequence)
        return JournalUnwritable(message, self.path, problem)

    def _keep_in_memory(self, entry: JournalEntry, problem: WriteProblem) -> JournalEntry:
        self._backlog[entry.row_id] = entry
        self._problem = problem
        return entry

    # --- the in-memory backlog -------------------------------------------------------------------------

    def flush_backlog(self) -> list[tuple[int, JournalEntry]]:
        """Write the rows kept in memory, oldest first, in one transaction; for each, the id it had and
        the entry as written. Empty when there is nothing to write or the disk still refuses."""
        self._check_open()
        if self._problem is None:
            return []
        try:
            if self._db is None or self._problem not in (WriteProblem.DISK_FULL, WriteProblem.LOCKED):
                self._reopen()
            written = self._write_backlog()
        except _CannotWrite as cannot:
            self._problem = cannot.problem
            return []
        self._backlog.clear()
        self._problem = None
        return written

    def _reopen(self) -> None:
        _close_quietly(self._db)
        self._db = None
        self._open()

    def _write_backlog(self) -> list[tuple[int, JournalEntry]]:
        db = self._conn
        written: list[tuple[int, JournalEntry]] = []
        try:
            with _transaction(db):
                for old_id, entry in self._backlog.items():
                    if old_id < 0:
                        entry = dataclasses.replace(entry, row_id=int(db.execute(_INSERT, _insert_values(entry)).lastrowid))
                    else:
                        db.execute(_UPDATE_RESULT, (*(getattr(entry, c) for c in _RESULT_COLUMNS), old_id))
                    written.append((old_id, entry))
        except sqlite3.DatabaseError as error:
            raise self._cannot_write(error) from error
        self._flushed_ids.update((old_id, entry.row_id) for old_id, entry in written if old_id < 0)
        return written

    def write_problem(self) -> str | None:
        """One sentence for the operator while rows wait in memory (or the file cannot be opened); else None."""
        if self._problem is None:
            return None
        problem, rows = self._problem, len(self._backlog)
        if rows == 0:
            until = (QT_TR_NOOP("space returns") if problem is WriteProblem.DISK_FULL
                     else QT_TR_NOOP("it can be written again"))
            return QT_TR_NOOP("The request log {path} cannot be written ({reason}); new log rows are kept in memory "
                              "until {until}.").format(path=self.path, reason=problem.reason, until=until)
        kept = QT_TR_NOOP("1 log row is") if rows == 1 else QT_TR_NOOP("{count} log rows are").format(count=rows)
        if problem is WriteProblem.DISK_FULL:
            return QT_TR_NOOP("The disk is full: {kept} kept in memory and will be written to {path} when space "
                              "returns.").format(kept=kept, path=self.path)
        return QT_TR_NOOP("The request log {path} cannot be written ({reason}): {kept} kept in memory and will be "
                          "written when it can be written again.").format(path=self.path, reason=problem.reason,
                                                                          kept=kept)

    def _provisional_oldest_first(self) -> list[JournalEntry]:
        return [entry for row_id, entry in self._backlog.items() if row_id < 0]

    def _overlaid(self, entries: list[JournalEntry]) -> list[JournalEntry]:
        """File rows with answers that are still only in memory filled in."""
        if not self._backlog:
            return entries
        return [self._backlog.get(entry.row_id, entry) for entry in entries]

    # --- reading (the file and the rows kept in memory) ------------------------------------------------

    def _read_file(self, query: Callable[[sqlite3.Connection], _T], empty: _T) -> _T:
        self._check_open()
        if self._db is not None:
            try:
                return query(self._db)
            except sqlite3.DatabaseError as error:
                if _write_problem(error, self.path.parent) is WriteProblem.DAMAGED:
                    self._flag_for_integrity_check()
                raise
        # The file cannot be opened for writing (a full disk): read what it holds, read-only.
        if self._fallback_reader is None:
            self._fallback_reader = JournalReader(self.path)
        return self._fallback_reader._read(query, empty)

    def get(self, row_id: int) -> JournalEntry | None:
        """One row by id (a provisional id that was written since is still found)."""
        row_id = self._flushed_ids.get(row_id, row_id)
        if row_id in self._backlog:
            return self._backlog[row_id]
        if row_id < 0:
            self._check_open()
            return None
        return self._read_file(lambda db: _select_one(db, row_id), None)

    def _must_get(self, row_id: int) -> JournalEntry:
        entry = self.get(row_id)
        if entry is None:
            raise KeyError(f"journal row {row_id} does not exist")
        return entry

    def recent(self, n: int) -> list[JournalEntry]:
        """The newest n rows, newest first."""
        return self.older_than(None, n)

    def older_than(self, row_id: int | None, limit: int) -> list[JournalEntry]:
        """Up to limit rows made before row_id (None: from the newest), newest first."""
        _check_limit(limit)
        if row_id is not None:
            row_id = self._flushed_ids.get(row_id, row_id)
        fresh = list(reversed(self._provisional_oldest_first()))
        if row_id is not None and row_id >= 0:
            fresh = []
        elif row_id is not None:
            fresh = [entry for entry in fresh if entry.row_id > row_id]
            row_id = None
        rows = fresh[:limit]
        if len(rows) < limit:
            rows += self._overlaid(self._read_file(lambda db: _select_older(db, row_id, limit - len(rows)), []))
        return rows

    def newer_than(self, row_id: int | None, limit: int) -> list[JournalEntry]:
        """Up to limit rows made after row_id (None: from the oldest), oldest first."""
        _check_limit(limit)
        if row_id is not None:
            row_id = self._flushed_ids.get(row_id, row_id)
        fresh = self._provisional_oldest_first()
        if row_id is not None and row_id < 0:
            return [entry for entry in fresh if entry.row_id < row_id][:limit]
        rows = self._overlaid(self._read_file(lambda db: _select_newer(db, row_id, limit), []))
        return rows + fresh[: limit - len(rows)]

    def count(self) -> int:
        """How many rows the journal holds, in the file and in memory."""
        return self._read_file(_select_count, 0) + len(self._provisional_oldest_first())

    def latest_row_id(self) -> int | None:
        """The newest row's id, or None when empty."""
        fresh = self._provisional_oldest_first()
        if fresh:
            self._check_open()
            return fresh[-1].row_id
        return self._read_file(lambda db: db.execute("SELECT MAX(row_id) FROM requests").fetchone()[0], None)

    def max_sequence(self, app_id: int | None, agent_instance_id: str, user_id: str) -> int | None:
        """The highest Sequence ever journaled for this key, whatever the row's status; None if none."""
        on_file = self._read_file(lambda db: db.execute(
            "SELECT MAX(sequence) FROM requests WHERE app_id IS ? AND agent_instance_id = ? AND user_id = ?",
            (app_id, agent_instance_id, user_id),
        ).fetchone()[0], None)
        in_memory = [e.sequence for e in self._backlog.values()
                     if (e.app_id, e.agent_instance_id, e.user_id) == (app_id, agent_instance_id, user_id)
                     and e.sequence is not None]
        candidates = in_memory + ([on_file] if on_file is not None else [])
        return max(candidates) if candidates else None

    @contextmanager
    def _rows_oldest_first(self) -> Iterator[Iterator[tuple]]:
        self._check_open()
        if self._db is None:
            raise JournalError(QT_TR_NOOP("cannot export the request log {path} while it cannot be opened ({reason}); "
                                          "try again later").format(path=self.path,
                                                                    reason=(self._problem or WriteProblem.IO_ERROR).reason))
        # One statement, so the export is one consistent snapshot; closed even if writing fails, so
        # an abandoned read does not hold back the WAL checkpoint.
        cursor = self._db.execute(_SELECT + " ORDER BY row_id ASC")
        try:
            yield self._with_backlog(cursor)
        finally:
            cursor.close()

    def _with_backlog(self, rows: Iterator[tuple]) -> Iterator[tuple]:
        if not self._backlog:
            yield from rows
            return
        for row in rows:
            pending = self._backlog.get(row[0])
            yield pending.as_row() if pending else row
        for entry in self._provisional_oldest_first():
            yield entry.as_row()

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
        """Write what waits in memory if the disk now allows, then close; safe to call twice."""
        if self._closed:
            return
        if self._backlog:
            self._flush_before_closing()
        self._closed = True
        _close_quietly(self._db)
        self._db = None
        if self._fallback_reader is not None:
            self._fallback_reader.close()
        if self._writers_dir is not None:
            _OWN_SESSION_LOCKS.leave(self._writers_dir)

    def _flush_before_closing(self) -> None:
        try:
            self.flush_backlog()
        except (sqlite3.Error, JournalError, OSError):
            pass
        if self._backlog:
            _log.warning("%d request log rows could not be written to %s and are lost: %s",
                         len(self._backlog), self.path, (self._problem or WriteProblem.IO_ERROR).reason)

    def __enter__(self) -> RequestJournal:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def _insert_values(entry: JournalEntry) -> tuple:
    return (*entry.as_row()[1:], os.getpid(), _session_id())


def _result_columns(result: ApiResult) -> dict[str, object]:
    outcome = Outcome(result.outcome)
    answered = result.code is not None and outcome in (Outcome.OK, Outcome.API_ERROR)
    status = JournalStatus.ANSWERED if answered else JournalStatus.FAILED
    return {
        "status": status, "finished_at": result.sent_at + result.latency_ms / 1000.0, "latency_ms": result.latency_ms,
        "outcome": outcome.value, "http_status": result.http_status, "code": result.code,
        "message": result.message or "", "request_id": result.request_id, "round": result.round,
    }


PAGE_CACHE_KIB = 256


def _connect(path: Path) -> sqlite3.Connection:
    if not path.exists():
        # SQLite gives the -wal and -shm files the database's mode, so one private file keeps all three private.
        os.close(os.open(path, os.O_RDWR | os.O_CREAT, 0o600))
    db = sqlite3.connect(path, isolation_level=None, timeout=BUSY_TIMEOUT_S)
    try:
        db.execute("PRAGMA journal_mode=WAL")
        # NORMAL in WAL mode keeps every commit across an application crash or SIGKILL (the commit is in
        # the WAL file, which the OS holds); only a power cut can lose the newest rows. FULL would add an
        # fsync to every press and release, on the operator's latency path.
        db.execute("PRAGMA synchronous=NORMAL")
        # The CLI and the GUI may write at the same moment: wait for the other's short transaction.
        db.execute(f"PRAGMA busy_timeout={int(BUSY_TIMEOUT_S * 1000)}")
        _bound_page_cache(db)
    except BaseException:
        db.close()
        raise
    return db


def _not_a_database(path: Path) -> str | None:
    """Why the file is plainly not an SQLite database (judged by its header), or None."""
    try:
        with open(path, "rb") as stream:
            header = stream.read(100)
    except OSError:
        return None  # missing (a new journal) or unreadable (connecting says which)
    if header and (len(header) < 100 or not header.startswith(_SQLITE_HEADER)):
        return "file is not a database"
    return None


def _prepare_schema(db: sqlite3.Connection, path: Path) -> None:
    """Create or upgrade the table and indexes; _BrokenJournal for a requests table that is not ours."""
    with _transaction(db):
        version = db.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise JournalTooNew(QT_TR_NOOP("the request log {path} was written by a newer ptt-app (schema {version}); "
                                           "use that release, or move the file away to start a new log").format(
                                               path=path, version=version))
        # executescript would commit mid-transaction, so statement by statement. The indexes are
        # (re)checked on every open so that a file from an earlier release gets new ones.
        db.execute(_TABLE)
        columns = {row[1] for row in db.execute("PRAGMA table_info(requests)")}
        if version < 2 and "round" not in columns and "request_id" in columns:
            db.execute("ALTER TABLE requests ADD COLUMN round INTEGER")  # a first-release file: rows keep their data
            columns.add("round")
        missing = [name for name in EXPORT_COLUMNS + _WRITER_COLUMNS if name not in columns]
        if missing:
            raise _BrokenJournal(f"its requests table has no column {', '.join(missing)}")
        for statement in _INDEXES:
            db.execute(statement)
        if version < SCHEMA_VERSION:
            db.execute(f"PRAGMA user_version={SCHEMA_VERSION}")


@contextmanager
def _transaction(db: sqlite3.Connection) -> Iterator[None]:
    db.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        # SQLite rolls back by itself after some errors (a full disk); a second ROLLBACK would fail.
        if db.in_transaction:
            db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")


def _close_quietly(db: sqlite3.Connection | None) -> None:
    if db is not None:
        try:
            db.close()
        except sqlite3.Error:
            pass


def _brief(text: str) -> str:
    return text if len(text) <= 200 else text[:199] + "…"


def _write_export(destination: Path | IO[str], write: Callable[[IO[str]], None]) -> None:
    """Write to an open stream as is; to a path through a temporary file renamed into place when complete."""
    if not isinstance(destination, (str, os.PathLike)):
        write(destination)
        return
    write_atomically(Path(destination), write, suffix=".partial")


# --- what went wrong -------------------------------------------------------------------------------------

# SQLite's primary result codes (the low byte of an extended code such as SQLITE_IOERR_SHMSIZE).
_PROBLEM_BY_CODE = {
    3: WriteProblem.READ_ONLY,    # SQLITE_PERM
    5: WriteProblem.LOCKED,       # SQLITE_BUSY: still locked after the busy timeout
    6: WriteProblem.LOCKED,       # SQLITE_LOCKED
    8: WriteProblem.READ_ONLY,    # SQLITE_READONLY (also: the file was moved away while open)
    10: WriteProblem.IO_ERROR,    # SQLITE_IOERR
    11: WriteProblem.DAMAGED,     # SQLITE_CORRUPT
    13: WriteProblem.DISK_FULL,   # SQLITE_FULL
    14: WriteProblem.READ_ONLY,   # SQLITE_CANTOPEN
    26: WriteProblem.DAMAGED,     # SQLITE_NOTADB
}
# Python 3.10's sqlite3 errors carry no code, only SQLite's message for it.
_CODE_BY_MESSAGE = {
    "access permission denied": 3, "database is locked": 5, "database table is locked": 6,
    "attempt to write a readonly database": 8, "disk I/O error": 10, "database disk image is malformed": 11,
    "database or disk is full": 13, "unable to open database file": 14, "file is not a database": 26,
}


def _primary_code(error: sqlite3.Error) -> int | None:
    code = getattr(error, "sqlite_errorcode", None)
    return code & 0xFF if code is not None else _CODE_BY_MESSAGE.get(str(error))


def _write_problem(error: sqlite3.Error, folder: Path) -> WriteProblem | None:
    """What a failed statement says about the file; None for an error that is not about the file."""
    problem = _PROBLEM_BY_CODE.get(_primary_code(error))
    # A full disk often shows as an I/O error (SQLite cannot grow its shared-memory file) or as a
    # file it cannot create; the free space tells which.
    if problem in (WriteProblem.IO_ERROR, WriteProblem.READ_ONLY) and _nearly_full(folder):
        return WriteProblem.DISK_FULL
    return problem


def _os_problem(error: OSError) -> WriteProblem:
    if error.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
        return WriteProblem.DISK_FULL
    if error.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        return WriteProblem.READ_ONLY
    return WriteProblem.IO_ERROR


def _nearly_full(folder: Path) -> bool:
    try:
        return shutil.disk_usage(folder).free < _NEARLY_FULL_BYTES
    except OSError:
        return False


# --- the read-only reader --------------------------------------------------------------------------------


class JournalReader:
    """The journal opened read-only, for the GUI thread beside the worker's RequestJournal: it never
    creates, writes, locks or repairs a file. A missing file reads as empty; so does one that cannot be
    read, and then `problem` says why. One instance serves one thread."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        #: Why the last read came back empty although the file exists; None when it worked.
        self.problem: str | None = None
        self._db: sqlite3.Connection | None = None
        self._identity: os.stat_result | None = None
        self._closed = False

    def get(self, row_id: int) -> JournalEntry | None:
        """One row by id."""
        return self._read(lambda db: _select_one(db, row_id), None)

    def recent(self, n: int) -> list[JournalEntry]:
        """The newest n rows, newest first."""
        return self.older_than(None, n)

    def older_than(self, row_id: int | None, limit: int) -> list[JournalEntry]:
        """Up to limit rows with a row id below row_id (None: from the newest), newest first."""
        _check_limit(limit)
        return self._read(lambda db: _select_older(db, row_id, limit), [])

    def newer_than(self, row_id: int | None, limit: int) -> list[JournalEntry]:
        """Up to limit rows with a row id above row_id (None: from the oldest), oldest first."""
        _check_limit(limit)
        return self._read(lambda db: _select_newer(db, row_id, limit), [])

    def count(self) -> int:
        """How many rows the file holds."""
        return self._read(_select_count, 0)

    def close(self) -> None:
        """Close the connection; safe to call twice."""
        self._closed = True
        self._disconnect()

    def __enter__(self) -> JournalReader:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _read(self, query: Callable[[sqlite3.Connection], _T], empty: _T) -> _T:
        if self._closed:
            raise sqlite3.ProgrammingError(f"the journal reader of {self.path} is closed")
        try:
            result = self._query(query, empty)
        except sqlite3.DatabaseError as error:
            self._disconnect()
            # A writer has just created the file and not yet its table: nothing to show yet.
            self.problem = None if "no such table" in str(error) else (
                QT_TR_NOOP("The request log {path} cannot be read just now ({reason}).").format(
                    path=self.path, reason=_brief(str(error))))
            return empty
        except OSError as error:
            self._disconnect()
            self.problem = QT_TR_NOOP("The request log {path} cannot be read just now ({reason}).").format(
                path=self.path, reason=error.strerror or error)
            return empty
        self.problem = None
        return result

    def _query(self, query: Callable[[sqlite3.Connection], _T], empty: _T) -> _T:
        try:
            identity = os.stat(self.path)
        except FileNotFoundError:
            self._disconnect()
            return empty
        writer_alive = _a_writer_is_alive(self.path.with_name(self.path.name + ".writers"))
        # A writer that set a broken file aside started a new one under the same name: follow it.
        same_file = self._identity is not None and os.path.samestat(identity, self._identity)
        if self._db is not None and same_file and writer_alive:
            return self._query_patiently(query, self._db)
        self._disconnect()
        if _writer_files_exist(self.path):
            try:
                if writer_alive:
                    self._db = _connect_read_only(self.path, "readonly_shm=1")
                    self._identity = identity
                    return self._query_patiently(query, self._db)
                # The -wal and -shm of a writer that is gone (killed, or closed while we read): read them, but
                # do not stay attached, or the next writer's open would be refused (SQLITE_READONLY).
                with closing(_connect_read_only(self.path, "readonly_shm=1")) as leftover:
                    return self._query_patiently(query, leftover)
            except sqlite3.OperationalError as error:
                if _primary_code(error) != 14:  # SQLITE_CANTOPEN: the last writer closed just now
                    raise
                self._disconnect()
        # No writer has the file open (each holds its -wal and -shm): the file alone is the whole journal.
        with closing(_connect_read_only(self.path, "immutable=1")) as snapshot:
            return query(snapshot)

    @staticmethod
    def _query_patiently(query: Callable[[sqlite3.Connection], _T], db: sqlite3.Connection) -> _T:
        # A writer that has just opened the file is still building the WAL index, which a read-only
        # reader may not do for it (SQLITE_READONLY_RECOVERY): a moment later it can read.
        deadline = time.monotonic() + READ_TIMEOUT_S
        while True:
            try:
                return query(db)
            except sqlite3.OperationalError as error:
                if _primary_code(error) != 8 or time.monotonic() > deadline:  # SQLITE_READONLY
                    raise
            time.sleep(0.01)

    def _disconnect(self) -> None:
        _close_quietly(self._db)
        self._db = None
        self._identity = None


def _connect_read_only(path: Path, option: str) -> sqlite3.Connection:
    # readonly_shm: use the writers' shared-memory file, never create or change it. immutable: read the
    # file alone, with no locks and no side files.
    uri = f"{path.resolve().as_uri()}?mode=ro&{option}"
    db = sqlite3.connect(uri, uri=True, isolation_level=None, timeout=READ_TIMEOUT_S)
    _bound_page_cache(db)
    return db


def _bound_page_cache(db: sqlite3.Connection) -> None:
    # The journal grows by every call and the app runs all day: SQLite's default 2 MiB cache per connection
    # fills with pages of new rows and stays full. Writes touch the last pages and reads come a page of 100
    # rows at a time, so a small cache costs nothing and keeps the resident size flat.
    db.execute(f"PRAGMA cache_size=-{PAGE_CACHE_KIB}")


def _a_writer_is_alive(writers_dir: Path) -> bool:
    """Whether any writer session holds its lock now. Reads only: a lock taken to test is dropped at once."""
    for session in _sessions_with_lock_files(writers_dir):
        try:
            fd = os.open(writers_dir / f"{session}.lock", os.O_RDONLY)
        except OSError:
            continue  # just went away
        try:
            if not try_lock(fd):
                return True
        except OSError:
            return True  # no locks on this filesystem: assume a writer, as the journal itself does
        finally:
            os.close(fd)
    return False


def _writer_files_exist(path: Path) -> bool:
    return all(path.with_name(path.name + suffix).exists() for suffix in ("-wal", "-shm"))


@contextmanager
def _guard(path: Path) -> Iterator[None]:
    """Hold an exclusive lock on path (created if need be, never removed) while the body runs; other
    processes wait for it. Where the filesystem cannot lock, the body runs unguarded."""
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    except OSError:
        yield
        return
    try:
        deadline = time.monotonic() + BUSY_TIMEOUT_S
        while True:
            try:
                if try_lock(fd):
                    break
            except OSError:
                break  # no locks here
            if time.monotonic() > deadline:
                raise _CannotWrite(WriteProblem.LOCKED)
            time.sleep(0.05)
        yield
    finally:
        os.close(fd)


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
            if try_lock(fd) and still_named(fd, path):
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
        locked = try_lock(fd)
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
