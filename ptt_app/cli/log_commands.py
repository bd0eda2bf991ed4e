"""`ptt-app log`: the journal's newest rows, or all of it exported."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from ptt_app.cli.output import EXIT_CALL_FAILED, EXIT_OK, CommandError, fail, format_entry, local_time
from ptt_app.session.runtime import ConsoleOptions
from ptt_app.store.journal import JournalReader, RequestJournal
from ptt_app.store.paths import journal_path


def log(args: argparse.Namespace, options: ConsoleOptions) -> int:
    """Print the newest rows (text or JSON), or export the whole journal."""
    if args.export:
        return _export(Path(args.export))
    if args.last < 1:
        raise CommandError(f"--last: must be 1 or more, got {args.last}")
    reader = JournalReader(journal_path())
    try:
        entries = list(reversed(reader.recent(args.last)))
        if reader.problem:
            # Reading never repairs: the next command that writes moves a broken journal aside.
            fail(reader.problem)
            return EXIT_CALL_FAILED
    finally:
        reader.close()
    if args.json:
        rows = [{**entry.as_dict(), "sent_at_iso": _iso_time(entry.sent_at),
                 "finished_at_iso": _iso_time(entry.finished_at)} for entry in entries]
        print(json.dumps(rows, indent=2, ensure_ascii=False))
    else:
        for entry in entries:
            print(format_entry(entry))
    return EXIT_OK


def _iso_time(epoch: float | None) -> str | None:
    """An epoch time as local ISO 8601 beside it in JSON; null where the row has none."""
    return local_time(epoch) if epoch is not None else None


def _export(path: Path) -> int:
    if path.suffix.lower() not in (".csv", ".json"):
        raise CommandError(f"--export: the file must end in .csv or .json, got {path.name!r}")
    try:
        with RequestJournal(journal_path()) as journal:
            (journal.export_json if path.suffix.lower() == ".json" else journal.export_csv)(path)
            print(f"exported {journal.count()} rows to {path}")
    except OSError as error:
        raise CommandError(f"--export: cannot write {path}: {error.strerror or error}") from None
    return EXIT_OK
