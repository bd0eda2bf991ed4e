"""The app's log file: ``ptt-app.log`` in one folder, rotated at 1 MiB (five files at most), shared by
every ptt-app process, and redacted: no registered secret, request signature or URL query reaches it."""

from __future__ import annotations

import logging
import os
import re
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from logging.handlers import RotatingFileHandler
from pathlib import Path

from ptt_app.store.file_lock import lock
from ptt_app.store.paths import ensure_private_dir

LOG_FILE_NAME = "ptt-app.log"
MAX_LOG_BYTES = 1024 * 1024
# ptt-app.log and ptt-app.log.1 to .4: five files of 1 MiB at most.
BACKUP_COUNT = 4
REDACTED = "[redacted]"
LINE_FORMAT = "%(asctime)s %(levelname)s [%(threadName)s] %(name)s: %(message)s"

# key=value (a query string, a log line) and "key": "value" (JSON, a repr of a dict).
_SIGNATURE_VALUE = re.compile(r"""(?i)(\bSignature(?:Nonce)?)(=|["']?\s*:\s*["']?)([^&\s"',;)}\]]+)""")
# Everything between "?" and the end of a URL: the query a signed call carries its signature in.
_URL_QUERY = re.compile(r"""(\b[a-zA-Z][a-zA-Z0-9+.-]*://[^\s?#"'<>]*)\?[^\s#"'<>]*""")

_secrets: set[str] = set()
_secrets_guard = threading.Lock()


def register_secret(text: str) -> None:
    """Never let `text` reach the log, a crash report or anything else redact() cleans, in this process."""
    if text:
        with _secrets_guard:
            _secrets.add(text)


def redact(text: str) -> str:
    """The text with registered secrets, Signature/SignatureNonce values and URL query strings replaced."""
    with _secrets_guard:
        secrets = sorted(_secrets, key=len, reverse=True)  # a secret that contains another goes first
    for secret in secrets:
        text = text.replace(secret, REDACTED)
    text = _URL_QUERY.sub(rf"\1?{REDACTED}", text)
    return _SIGNATURE_VALUE.sub(rf"\1\2{REDACTED}", text)


class RedactingFilter(logging.Filter):
    """Redacts a record's message, arguments, exception and stack text before any handler formats it."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = redact(_message_of(record))
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True


def _message_of(record: logging.LogRecord) -> str:
    try:
        return record.getMessage()
    except Exception:  # a format string that does not match its arguments: keep both, still redacted
        return f"{record.msg!s} {record.args!r}"


class _IsoFormatter(logging.Formatter):
    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:
        return datetime.fromtimestamp(record.created).astimezone().isoformat(timespec="milliseconds")


class SharedRotatingFileHandler(RotatingFileHandler):
    """A rotating file that several processes append to: each write and rotation holds an OS lock on
    ``<log>.lock``, and a process whose file was rotated away by another follows it to the new one."""

    def __init__(self, path: Path) -> None:
        super().__init__(path, maxBytes=MAX_LOG_BYTES, backupCount=BACKUP_COUNT, encoding="utf-8")
        self._lock_path = Path(f"{path}.lock")
        self._failing = False

    def handleError(self, record: logging.LogRecord) -> None:
        # logging's own handleError prints a traceback to stderr for every failed line: on a full disk that
        # buries the operator's messages. Say it once in plain words; lines that cannot be written are dropped.
        if self._failing:
            return
        self._failing = True
        error = sys.exc_info()[1]
        reason = error.strerror if isinstance(error, OSError) and error.strerror else type(error).__name__
        if sys.stderr is not None:
            print(f"ptt-app: the log file {self.baseFilename} cannot be written ({reason}); "
                  "lines that cannot be written are dropped", file=sys.stderr)

    def emit(self, record: logging.LogRecord) -> None:
        try:
            with _held_lock(self._lock_path):
                self._follow_rotation()
                super().emit(record)
        except Exception:
            self.handleError(record)

    def _follow_rotation(self) -> None:
        if self.stream is None:
            return
        try:
            moved = not os.path.samestat(os.fstat(self.stream.fileno()), os.stat(self.baseFilename))
        except OSError:
            moved = True  # renamed away and not made again yet
        if moved:
            self.stream.close()
            self.stream = self._open()


def configure(folder: Path, level: int = logging.INFO) -> Path:
    """Send the root logger's records to folder/ptt-app.log, redacted; calling again changes nothing
    (or moves the log to a new folder). The log file's path."""
    path = ensure_private_dir(Path(folder)) / LOG_FILE_NAME
    root = logging.getLogger()
    root.setLevel(level)
    for handler in list(root.handlers):
        if isinstance(handler, SharedRotatingFileHandler):
            if Path(handler.baseFilename) == path.absolute():
                return path
            root.removeHandler(handler)
            handler.close()
    handler = SharedRotatingFileHandler(path)
    handler.setFormatter(_IsoFormatter(LINE_FORMAT))
    handler.addFilter(RedactingFilter())
    root.addHandler(handler)
    return path


@contextmanager
def _held_lock(path: Path) -> Iterator[None]:
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        lock(fd)
        yield
    finally:
        os.close(fd)  # closing the file releases the lock
