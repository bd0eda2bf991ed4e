"""How commands speak: exit codes, result lines on stdout, one line per failure on stderr."""

from __future__ import annotations

import sys
from datetime import datetime

from ptt_app.api.types import ApiResult
from ptt_app.store.journal import JournalEntry
from ptt_app.talk.advice import TalkContext, advise

EXIT_OK = 0
EXIT_CALL_FAILED = 1
EXIT_BAD_INPUT = 2
EXIT_CREDENTIALS = 3


class CommandError(Exception):
    """A failure with a one-line reason for stderr and an exit code."""

    def __init__(self, message: str, exit_code: int = EXIT_BAD_INPUT) -> None:
        super().__init__(message)
        self.exit_code = exit_code


def fail(message: str) -> None:
    """One line on stderr, prefixed with the program's name."""
    print(f"ptt-app: {message}", file=sys.stderr, flush=True)


def report(result: ApiResult, context: TalkContext) -> int:
    """A confirmed answer's summary line on stdout; a failure once, on stderr, with its advice."""
    if result.ok:
        print(result.summary(), flush=True)
        return EXIT_OK
    reason, details = failure_parts(result, context)
    fail(f"{result.action} failed: {reason} ({details})")
    return EXIT_CALL_FAILED


def failure_parts(result: ApiResult, context: TalkContext) -> tuple[str, str]:
    """Why a call failed (its advice, else the code's explanation), and its summary after the action's name."""
    advice = advise(result, context)
    return (advice.text if advice else result.explanation()), result.summary(with_error=False).split(" ", 1)[1]


def local_time(epoch: float | None) -> str:
    """An epoch time as local ISO 8601 with milliseconds and the UTC offset ("-" when unknown)."""
    if epoch is None:
        return "-"
    return datetime.fromtimestamp(epoch).astimezone().isoformat(timespec="milliseconds")


def format_entry(entry: JournalEntry) -> str:
    """One journal row as a line of text: time, action, Sequence, status, Code, Round, RequestId, latency."""
    latency = f"{entry.latency_ms:.1f}ms" if entry.latency_ms is not None else "-"
    code = entry.code if entry.code is not None else "-"
    return (
        f"{local_time(entry.sent_at)} {entry.action} Sequence={entry.sequence if entry.sequence is not None else '-'} "
        f"status={entry.status.value} Code={code} Round={entry.round if entry.round is not None else '-'} "
        f"RequestId={entry.request_id or '-'} latency={latency} "
        f"{entry.message}".rstrip()
    )
