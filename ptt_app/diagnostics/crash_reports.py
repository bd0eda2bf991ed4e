"""Crash reports: an uncaught exception in any thread, or a fatal signal, leaves a report file, and the
next start says whether the last run ended unexpectedly.

Each run holds an OS lock on its marker ``runs/<run>.run`` until mark_clean_exit(). A marker nobody
holds belongs to a run that ended without it: the next process to start claims it (under its lock, so
a window and a command starting together do not both), names its report once, and removes it.
Fatal signals (SIGSEGV, SIGABRT, SIGBUS, SIGFPE, SIGILL) are written by faulthandler to
``runs/<run>.fault``, turned into a report when the run is claimed. Everything is redacted like the log.
"""

from __future__ import annotations

import faulthandler
import json
import logging
import os
import platform
import sys
import threading
import time
import traceback
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from types import TracebackType
from typing import IO, Any

from ptt_app.diagnostics.app_log import redact
from ptt_app.store.file_lock import still_named, try_lock
from ptt_app.store.paths import ensure_private_dir
from ptt_app.translatable import QT_TR_NOOP

KEEP_DAYS = 30
REPORT_PREFIX = "crash-"


KILLED_NOTICE = QT_TR_NOOP("The last session ended unexpectedly (it was killed or the machine stopped, so there is no "
                           "report)")

_log = logging.getLogger(__name__)


@dataclass(frozen=True)
class CrashReport:
    """A report just written for an uncaught exception."""

    path: Path | None  # None when the report could not be written (a full disk, say)
    thread_name: str
    summary: str  # "RuntimeError: what it said", redacted, one line


@dataclass(frozen=True)
class _DeadRun:
    started: float
    reports: list[Path]
    exited_cleanly: bool = False  # it reported an internal error, then the operator quit as usual


class CrashReporter:
    """This run's crash handling; made by install()."""

    def __init__(self, folder: Path, run_id: str, versions: dict[str, str],
                 on_crash: Callable[[CrashReport], None] | None, notice: str | None) -> None:
        self.folder = folder
        self.run_id = run_id
        self.versions = versions
        self.on_crash = on_crash
        self._notice = notice
        self._started = time.time()
        self._marker_fd: int | None = None
        self._fault_stream: IO[str] | None = None
        self._previous_hooks: tuple[Any, Any] | None = None
        self._crashed = False

    def previous_run_notice(self) -> str | None:
        """One sentence if a run before this one ended unexpectedly (said once, then forgotten); else None."""
        return self._notice

    def mark_clean_exit(self) -> None:
        """This run ends normally: the next start will not report it. Call last, once the app is done."""
        if self._fault_stream is not None:
            faulthandler.disable()
            self._fault_stream.close()
            self._fault_stream = None
            _remove_if_empty(self._run_file(".fault"))
        if self._marker_fd is not None:
            if self._crashed:
                # An internal error was reported but the app carried on: keep the marker, noted as a clean
                # exit, so the next start still names the report.
                _rewrite_details(self._marker_fd, {**_read_details(self._marker_fd), "clean_exit": True})
            else:
                # Unlinked while still locked, so no other process can take it for a dead run's marker.
                self._run_file(".run").unlink(missing_ok=True)
            os.close(self._marker_fd)
            self._marker_fd = None

    def uninstall(self) -> None:
        """Put back the exception hooks found at install() and stop faulthandler (for embedding and tests)."""
        if self._previous_hooks is not None:
            sys.excepthook, threading.excepthook = self._previous_hooks
            self._previous_hooks = None
        if self._fault_stream is not None:
            faulthandler.disable()

    def report_exception(self, exc_type: type[BaseException], exc: BaseException,
                         tb: TracebackType | None, thread_name: str) -> CrashReport:
        """Write a report for an exception, print it to stderr, log it and tell on_crash; never raises."""
        self._crashed = True
        text = redact("".join(traceback.format_exception(exc_type, exc, tb)))
        summary = redact(traceback.format_exception_only(exc_type, exc)[-1].strip()).splitlines()[0]
        path = self._write_report(self._report_text(thread_name, text))
        report = CrashReport(path, thread_name, summary)
        where = f"crash report: {path}" if path else "the crash report could not be written"
        if sys.stderr is not None:
            try:
                print(f"{text}ptt-app: internal error in thread {thread_name}: {summary}; {where}", file=sys.stderr)
            except (OSError, ValueError):
                pass
        if logging.getLogger().handlers:  # with no handler, logging would print it to stderr a second time
            _log.error("uncaught exception in thread %s; %s\n%s", thread_name, where, text.rstrip())
        if self.on_crash is not None:
            try:
                self.on_crash(report)
            except Exception:
                pass  # the callback must not turn one crash into two
        return report

    # --- hooks -------------------------------------------------------------------------------------------

    def _install_hooks(self) -> None:
        self._previous_hooks = (sys.excepthook, threading.excepthook)
        sys.excepthook = self._on_uncaught
        threading.excepthook = self._on_uncaught_in_thread

    def _on_uncaught(self, exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        if issubclass(exc_type, KeyboardInterrupt) and self._previous_hooks is not None:
            self._previous_hooks[0](exc_type, exc, tb)
            return
        self.report_exception(exc_type, exc, tb, threading.current_thread().name)

    def _on_uncaught_in_thread(self, args: threading.ExceptHookArgs) -> None:
        if args.exc_type is SystemExit:
            return  # what threading's own hook does: a thread that exits is no crash
        name = args.thread.name if args.thread is not None else "unknown"
        self.report_exception(args.exc_type, args.exc_value or args.exc_type(), args.exc_traceback, name)

    # --- files ---------------------------------------------------------------------------------------------

    def _run_file(self, suffix: str) -> Path:
        return self.folder / "runs" / f"{self.run_id}{suffix}"

    def _hold_marker(self) -> None:
        runs = ensure_private_dir(self.folder / "runs")
        details = {"pid": os.getpid(), "started": self._started, "versions": self.versions, "command": _command()}
        starting = runs / f"{self.run_id}.starting"
        fd = os.open(starting, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            os.write(fd, json.dumps(details).encode("utf-8"))
        except OSError:
            # A full disk: a marker without its details would read as a killed run at the next start.
            os.close(fd)
            starting.unlink(missing_ok=True)
            raise
        try:
            locked = try_lock(fd)
        except OSError:
            locked = False  # no locks on this filesystem: the marker still tells the next start nothing
        # Locked before it gets the name other processes look for, so it never looks like a dead run's.
        os.replace(starting, self._run_file(".run"))
        self._marker_fd = fd if locked else None
        if not locked:
            os.close(fd)

    def _enable_faulthandler(self) -> None:
        # Held open for the whole run: faulthandler writes to its descriptor from a signal handler.
        self._fault_stream = open(self._run_file(".fault"), "w", encoding="utf-8")
        faulthandler.enable(self._fault_stream, all_threads=True)

    def _report_text(self, thread_name: str, body: str) -> str:
        return _report(time.time(), thread_name, os.getpid(), self.run_id, self._started, self.versions, _command(),
                       body)

    def _write_report(self, text: str, suffix: str = "") -> Path | None:
        return _write_new_file(self.folder, f"{REPORT_PREFIX}{_stamp(time.time())}-{self.run_id}{suffix}", text)


def install(folder: Path, app_version: str, extra_versions: dict[str, str] | None = None, *,
            on_crash: Callable[[CrashReport], None] | None = None, keep_days: float = KEEP_DAYS) -> CrashReporter:
    """Start crash handling for this process: claim runs that ended unexpectedly (see
    previous_run_notice), prune reports older than keep_days, hold this run's marker, and install the
    exception hooks and faulthandler. Problems with the folder never stop the app: they are logged."""
    folder = Path(folder)
    versions = {"ptt-app": app_version, "Python": platform.python_version(), "platform": platform.platform(),
                **(extra_versions or {})}
    notice = None
    try:
        ensure_private_dir(folder / "runs")
        _prune(folder, keep_days)
        notice = _notice_for(_claim_dead_runs(folder))
    except OSError as error:
        _log.warning("crash reports: cannot use %s: %s", folder, error)
    reporter = CrashReporter(folder, uuid.uuid4().hex[:16], versions, on_crash, notice)
    try:
        reporter._hold_marker()
        reporter._enable_faulthandler()
    except OSError as error:
        _log.warning("crash reports: cannot mark this run in %s: %s", folder, error)
    reporter._install_hooks()
    return reporter


# --- runs that ended unexpectedly --------------------------------------------------------------------------


def _claim_dead_runs(folder: Path) -> list[_DeadRun]:
    dead = []
    for marker in sorted((folder / "runs").glob("*.run")):
        claimed = _claim(marker)
        if claimed is not None:
            dead.append(claimed)
    return dead


def _claim(marker: Path) -> _DeadRun | None:
    """The run of a marker nobody holds, its report made and the marker removed; None if it is alive."""
    try:
        fd = os.open(marker, os.O_RDWR)
    except OSError:
        return None
    try:
        if not try_lock(fd) or not still_named(fd, marker):
            return None  # alive, or claimed by another process just now
        details = _read_details(fd)
        run_id = marker.stem
        fatal = _report_fatal_signal(marker.parent.parent, run_id, details)
        reports = sorted(marker.parent.parent.glob(f"{REPORT_PREFIX}*-{run_id}*.txt"), key=_mtime)
        if fatal is not None and fatal not in reports:
            reports.append(fatal)
        marker.with_suffix(".fault").unlink(missing_ok=True)
        marker.unlink(missing_ok=True)  # still locked by us: nobody claims it twice
        return _DeadRun(float(details.get("started", 0.0)), reports, details.get("clean_exit") is True)
    except OSError:
        return None  # no locks on this filesystem, or the folder went away: nothing to say
    finally:
        os.close(fd)


def _read_details(fd: int) -> dict[str, Any]:
    os.lseek(fd, 0, os.SEEK_SET)
    raw = os.read(fd, 65536)
    try:
        details = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        return {}
    return details if isinstance(details, dict) else {}


def _rewrite_details(fd: int, details: dict[str, Any]) -> None:
    os.lseek(fd, 0, os.SEEK_SET)
    os.ftruncate(fd, 0)
    os.write(fd, json.dumps(details).encode("utf-8"))


def _report_fatal_signal(folder: Path, run_id: str, details: dict[str, Any]) -> Path | None:
    fault = folder / "runs" / f"{run_id}.fault"
    try:
        text = fault.read_text(encoding="utf-8", errors="replace")
        when = fault.stat().st_mtime
    except OSError:
        return None
    if not text.strip():
        return None
    versions = details.get("versions") if isinstance(details.get("versions"), dict) else {}
    body = f"A fatal signal stopped the process; faulthandler wrote:\n\n{text}"
    report = _report(when, "see below", details.get("pid", "?"), run_id, details.get("started"), versions,
                     str(details.get("command", "")), body)
    return _write_new_file(folder, f"{REPORT_PREFIX}{_stamp(when)}-{run_id}-fatal", report)


def _notice_for(dead: list[_DeadRun]) -> str | None:
    if not dead:
        return None
    reports = sorted((r for run in dead for r in run.reports), key=_mtime)
    if not reports:
        return KILLED_NOTICE
    more = len(reports) - 1
    if more == 0:
        tail = ""
    elif more == 1:
        tail = QT_TR_NOOP(" (1 earlier report in {folder})").format(folder=reports[-1].parent)
    else:
        tail = QT_TR_NOOP(" ({count} earlier reports in {folder})").format(count=more, folder=reports[-1].parent)
    if all(run.exited_cleanly for run in dead):
        return QT_TR_NOOP("The last session had an internal error; report: {report}{more}").format(report=reports[-1],
                                                                                                   more=tail)
    return QT_TR_NOOP("The last session ended unexpectedly; report: {report}{more}").format(report=reports[-1], more=tail)


def _prune(folder: Path, keep_days: float) -> None:
    oldest = time.time() - keep_days * 86400
    candidates = [*folder.glob(f"{REPORT_PREFIX}*.txt"), *(folder / "runs").glob("*.fault"),
                  *(folder / "runs").glob("*.run"), *(folder / "runs").glob("*.starting")]
    for path in candidates:
        if _mtime(path) < oldest and not _held_by_a_live_run(path):
            path.unlink(missing_ok=True)


def _held_by_a_live_run(path: Path) -> bool:
    marker = path.with_suffix(".run") if path.parent.name == "runs" else None
    if marker is None or not marker.exists():
        return False
    try:
        fd = os.open(marker, os.O_RDWR)
    except OSError:
        return False
    try:
        return not try_lock(fd)  # a window left running for weeks keeps its marker and fault file
    except OSError:
        return False
    finally:
        os.close(fd)


# --- report files ------------------------------------------------------------------------------------------


def _command() -> str:
    return redact(" ".join(sys.argv[1:])) or "(no arguments)"


def _report(when: float, thread_name: str, pid: object, run_id: str, started: object,
            versions: dict[str, str], command: str, body: str) -> str:
    started_text = _iso(started) if isinstance(started, (int, float)) else "unknown"
    lines = [
        "ptt-app crash report",
        f"Time: {_iso(when)}",
        f"Thread: {thread_name}",
        f"Process: {pid} (run {run_id}, started {started_text})",
        "Versions: " + "; ".join(f"{name} {value}" for name, value in versions.items()),
        f"Arguments: {command}",
        "",
        body.rstrip(),
        "",
    ]
    return redact("\n".join(lines))


def _write_new_file(folder: Path, stem: str, text: str) -> Path | None:
    """Write text to folder/<stem>.txt, or <stem>-2.txt and on if taken; None if it cannot be written."""
    for attempt in range(1, 100):
        path = folder / (f"{stem}.txt" if attempt == 1 else f"{stem}-{attempt}.txt")
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            continue
        except OSError:
            return None
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as stream:
                stream.write(text)
        except OSError:
            return path if path.exists() and path.stat().st_size else None
        return path
    return None


def _remove_if_empty(path: Path) -> None:
    try:
        if path.stat().st_size == 0:
            path.unlink()
    except OSError:
        pass


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0


def _stamp(when: float) -> str:
    return time.strftime("%Y%m%d-%H%M%S", time.localtime(when))


def _iso(when: float) -> str:
    return datetime.fromtimestamp(when).astimezone().isoformat(timespec="milliseconds")
