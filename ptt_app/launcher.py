"""`ptt-app`: the operator window with no command, a scriptable command otherwise.

Every run writes to the rotating log file and holds a crash-report marker in the data folder, so the
next start can say when the one before ended unexpectedly.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from importlib import metadata

from ptt_app import __version__, cli
from ptt_app.cli.output import CommandError, fail
from ptt_app.diagnostics import app_log, crash_reports
from ptt_app.diagnostics.core_dumps import forbid_core_dumps
from ptt_app.store.paths import data_dir

_log = logging.getLogger(__name__)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `ptt-app` console script and of the installed bundle."""
    forbid_core_dumps()  # before any secret is read
    args = cli.build_parser().parse_args(argv)
    reporter = _start_diagnostics()
    notice = reporter.previous_run_notice() if reporter else None
    _log.info("ptt-app %s started: %s", __version__, args.command or "window")
    if args.command is not None:
        if notice:
            fail(notice)
        code = cli.run_command(args)
    else:
        code = _run_window(args, notice, reporter)
    if reporter is not None:
        reporter.mark_clean_exit()
    return code


def _run_window(args, notice: str | None, reporter: crash_reports.CrashReporter | None) -> int:
    try:
        options = cli.console_options(args)
    except CommandError as error:
        fail(str(error))
        return error.exit_code
    from ptt_app.gui.app import run_window

    return run_window(options, smoke_test=args.smoke_test, startup_notice=notice, crash_reporter=reporter)


def _start_diagnostics() -> crash_reports.CrashReporter | None:
    """The log file and crash handling; a folder that cannot be written costs the reports, never the run."""
    folder = data_dir()
    try:
        app_log.configure(folder / "logs")
    except OSError as error:
        fail(f"the log file cannot be written in {folder / 'logs'} ({error.strerror or error}); continuing without it")
    try:
        return crash_reports.install(folder / "crash-reports", __version__, _versions())
    except OSError as error:
        fail(f"crash reports cannot be written in {folder} ({error.strerror or error}); continuing without them")
        return None


def _versions() -> dict[str, str]:
    versions = {}
    for name in ("PySide6-Essentials", "requests", "keyring"):
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return versions
